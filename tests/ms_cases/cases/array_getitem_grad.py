"""Tensor indexing under ops.grad: ints, negative ints, slices with steps, None, Ellipsis, a
boolean mask, integer-array indices (repeated): values and the gradient."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[0.5, -1.0, 2.0, 0.3], [0.1, 0.2, -0.3, 1.5],
                         [1.1, -0.7, 0.4, 0.9]], np.float32))
    mask = Tensor(np.array([[True, False, True, False], [False, True, True, False],
                            [True, True, False, True]]))
    rows = Tensor(np.array([2, 0, 2], np.int64))

    def f(x):
        return (ops.sum(ops.sin(x[0])) + ops.sum(x[-1, 1:] * 2.0) + ops.sum(x[:, ::2] ** 2)
                + ops.sum(x[None, ..., -1] * 3.0) + ops.sum(ops.sin(x[mask]))
                + ops.sum(x[rows] * x[rows]) + ops.sum(x[1:, -2]) + ops.sum(x[..., 1:3] * 0.5))

    return {"value": f(x), "grad": ops.grad(f)(x), "masked": x[mask], "rows": x[rows],
            "ellipsis": x[None, ..., -1], "step": x[:, ::-2]}
