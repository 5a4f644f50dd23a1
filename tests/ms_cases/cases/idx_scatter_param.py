"""The scatter ops on a Parameter with a repeated index: the result, and the Parameter
written in place (update keeps the last write; the others accumulate)."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor, Parameter


def run():
    base = np.array([[1.0, 2, 3], [4, 5, 6], [7, 8, 9]], np.float32)
    idx = Tensor(np.array([0, 2, 0], np.int32))
    nd = Tensor(np.array([[0], [2], [0]], np.int32))
    upd = Tensor(np.array([[1.0, 1, 1], [2, 2, 2], [3, 3, 3]], np.float32))
    out = {}
    for name in ("scatter_add", "scatter_update", "scatter_max", "scatter_min", "scatter_mul",
                 "scatter_div"):
        p = Parameter(Tensor(base), name="p_" + name)
        out[name] = getattr(ops, name)(p, idx, upd)
        out[name + "_param"] = p.value()
    for name in ("scatter_nd_update", "scatter_nd_add", "scatter_nd_sub", "scatter_nd_max"):
        p = Parameter(Tensor(base), name="p_" + name)
        out[name] = getattr(ops, name)(p, nd, upd)
        out[name + "_param"] = p.value()
    out["inplace_add"] = ops.inplace_add(Tensor(base), upd[:2], (0, 0))
    out["inplace_update"] = ops.inplace_update(Tensor(base), upd[:2], (1, 2))
    p = Parameter(Tensor(base), name="p_sub")
    out["class_sub"] = ops.ScatterSub()(p, idx, upd)
    out["class_sub_param"] = p.value()
    out["class_nd_update"] = ops.ScatterNdUpdate()(Parameter(Tensor(base), name="q"), nd, upd)
    return out
