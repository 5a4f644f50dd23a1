"""Integer and bool reductions, measured in MindSpore 2.10: ``ReduceSum`` / ``ops.reduce_sum``
keep an integer Tensor's dtype (``ops.sum`` and ``Tensor.sum`` give int64); a bool mask's
``cumsum`` counts (int32): position ids from a padding mask, eagerly and inside a gradient;
the unsigned dtypes' names."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def positions(x, mask):
    pos = mask.cumsum(1) * mask  # 1, 2, ... over the kept tokens, 0 over padding
    return (x * pos.astype(ms.float32)).sum()


def run():
    xi = Tensor(np.array([[1, -2, 3], [4, 5, -6]], np.int32))
    x8 = Tensor(np.array([[1, 2, 3]], np.int8))
    xu = Tensor(np.array([[200, 100, 3]], np.uint16))
    mask = Tensor(np.array([[True, True, False], [True, False, False]]))
    x = Tensor(np.linspace(-1, 1, 6).reshape(2, 3).astype(np.float32))
    out = {}
    for name, v in [("reduce_sum_class_i32", ops.ReduceSum()(xi)),
                    ("reduce_sum_class_axis", ops.ReduceSum(keep_dims=True)(xi, 1)),
                    ("reduce_sum_i8", ops.reduce_sum(x8)), ("sum_i32", ops.sum(xi)),
                    ("method_sum_i32", xi.sum()), ("cumsum_mask", mask.cumsum(1)),
                    ("cumsum_i32", xi.cumsum(1))]:
        out[name] = v
        out[name + "_is_int32"] = float(v.dtype == ms.int32)
        out[name + "_is_int64"] = float(v.dtype == ms.int64)
        out[name + "_is_int8"] = float(v.dtype == ms.int8)
    out["uint16_name"] = float(str(xu.dtype) == "UInt16")
    out["uint64_name"] = float(str(ms.uint64) == "UInt64")
    out["positions"] = positions(x, mask)
    out["positions_grad"] = ms.grad(positions)(x, mask)
    return out
