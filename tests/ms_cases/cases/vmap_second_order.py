"""Derivatives of a function calling ops.vmap beyond the first: ops.grad of ops.grad of a
vmapped batch loss, the forward-mode ops.jvp of a vmapped function, and the gradient of a
per-example gradient penalty (ops.vmap of ops.grad, differentiated)."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def loss(w, x, y):
    return ops.reduce_sum((ops.matmul(x, w) - y) ** 2)


def batch_loss(w, x, y):
    # (MindSpore 2.10 fails the second derivative of the same sum of squares of the vmapped
    # losses, "Number of args excced the number of edges"; autograd_st gives it)
    return ops.reduce_sum(ops.vmap(loss, in_axes=(None, 0, 0))(w, x, y))


def sin_dot(x, w):
    return ops.reduce_sum(ops.sin(x * w))


def penalty(w, x, y):
    per = ops.vmap(ops.grad(loss), in_axes=(None, 0, 0))(w, x, y)
    return ops.reduce_sum(per ** 2)


def run():
    rng = np.random.default_rng(11)
    w = Tensor(rng.standard_normal((2, 1)).astype(np.float32))
    x = Tensor(rng.standard_normal((5, 2)).astype(np.float32))
    y = Tensor(rng.standard_normal((5, 1)).astype(np.float32))
    v = Tensor(rng.standard_normal((2,)).astype(np.float32))
    xs = Tensor(rng.standard_normal((4, 2)).astype(np.float32))
    dxs = Tensor(rng.standard_normal((4, 2)).astype(np.float32))
    vmapped = ops.vmap(sin_dot, in_axes=(0, None))
    out, tangent = ops.jvp(vmapped, (xs, v), (dxs, ops.zeros_like(v)))
    return {"grad": ops.grad(batch_loss)(w, x, y),
            "grad_grad": ops.grad(ops.grad(batch_loss))(w, x, y),
            "jvp_out": out, "jvp_tangent": tangent,
            "penalty": penalty(w, x, y), "grad_penalty": ops.grad(penalty)(w, x, y)}
