"""index_add, index_fill, select/slice/diagonal_scatter, tensor_scatter_elements and the
unsorted segment reductions under ops.grad (values and gradients).  MindSpore's index_add
writes into its input even when that is not a Parameter (measured), so it is given a copy."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[1.0, 2.5, -3.0], [4.0, -5.5, 6.0], [0.5, 8.0, -2.0]], np.float32))
    y = Tensor(np.array([[0.5, -1.0, 2.0], [1.5, 3.0, -0.25]], np.float32))
    w = Tensor(np.arange(9, dtype=np.float32).reshape(3, 3) - 4.0)
    rows = Tensor(np.array([2, 0], np.int32))

    def f(x, y):
        a = ops.index_add(x * 1.0, rows, y, 0)
        b = ops.index_fill(x, 1, Tensor(np.array([0, 2], np.int32)), 0.5)
        c = ops.select_scatter(x, y[0], 0, 1)
        d = ops.slice_scatter(x, y.T[:, :2], 1, 0, 3, 2)
        e = ops.diagonal_scatter(x, y[1, :2], 1)
        g = ops.tensor_scatter_elements(x, Tensor(np.array([[1, 0, 2], [0, 2, 1]], np.int64)),
                                        y, 0)
        return ((a + b + c + d + e + g) * w).sum()

    def segments(x):
        ids = Tensor(np.array([1, 0, 1], np.int32))
        return ((ops.unsorted_segment_max(x, ids, 2) * 2.0 + ops.unsorted_segment_min(x, ids, 2)
                 + ops.unsorted_segment_prod(x, ids, 2)) * w[:2]).sum()

    value, (gx, gy) = ops.value_and_grad(f, (0, 1))(x, y)
    sv, sg = ops.value_and_grad(segments)(x)
    return {"value": value, "dx": gx, "dy": gy, "segments": sv, "segments_dx": sg,
            "diagonal": ops.diagonal(x, 1), "index_add": ops.index_add(Tensor(x.asnumpy()), rows, y, 0)}
