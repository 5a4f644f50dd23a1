"""The tensor_scatter_* / scatter_nd forms under ops.grad: values and gradients in both the
input and the updates (a repeated coordinate in the add/sub forms; no ties in max/min)."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[1.0, 2.5, -3.0], [4.0, -5.5, 6.0], [0.5, 8.0, -2.0]], np.float32))
    u = Tensor(np.array([2.0, -3.5, 4.25], np.float32))
    ind = Tensor(np.array([[0, 1], [2, 2], [0, 1]], np.int32))
    ind_u = Tensor(np.array([[0, 1], [2, 2], [1, 0]], np.int32))  # no repeat
    w = Tensor(np.arange(9, dtype=np.float32).reshape(3, 3) - 4.0)

    def f_add(x, u):
        return ((ops.tensor_scatter_add(x, ind, u) - ops.tensor_scatter_sub(x, ind, u) * 2.0)
                * w).sum()

    def f_max(x, u):
        return ((ops.tensor_scatter_max(x, ind_u, u) + ops.tensor_scatter_min(x, ind_u, u))
                * w).sum()

    def f_mul(x, u):
        return ((ops.tensor_scatter_mul(x, ind_u, u) + ops.tensor_scatter_div(x, ind_u, u))
                * w).sum()

    out = {}
    for name, f in (("add", f_add), ("max", f_max), ("mul", f_mul)):
        value, (gx, gu) = ops.value_and_grad(f, (0, 1))(x, u)
        out[name] = value
        out[name + "_dx"] = gx
        out[name + "_du"] = gu
    out["tensor_scatter_max"] = ops.tensor_scatter_max(x, ind, u)
    out["tensor_scatter_div"] = ops.tensor_scatter_div(x, ind, u)
    return out
