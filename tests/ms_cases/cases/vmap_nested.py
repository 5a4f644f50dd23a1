"""Nested ops.vmap: an outer product from a vmap of a vmap, per-row sums of a 3-d Tensor,
and the gradient of a loss over a doubly vmapped function."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def mul(x, y):
    return x * y


def row_sum(x):
    return x.sum()


def sin_dot(x, w):
    return ops.reduce_sum(ops.sin(x * w))


def loss(x, w):
    inner = ops.vmap(sin_dot, in_axes=(0, None))
    return ops.reduce_sum(ops.vmap(inner, in_axes=(0, None))(x, w) ** 2)


def run():
    a = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
    b = Tensor(np.array([0.5, -1.0, 2.0, 4.0], np.float32))
    t = Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7)
    x = Tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(2, 3, 2))
    w = Tensor(np.array([0.7, -1.3], np.float32))
    gx, gw = ops.grad(loss, grad_position=(0, 1))(x, w)
    return {"outer": ops.vmap(ops.vmap(mul, in_axes=(0, None)), in_axes=(None, 0))(a, b),
            "row_sums": ops.vmap(ops.vmap(row_sum))(t),
            "loss": loss(x, w), "grad_x": gx, "grad_w": gw}
