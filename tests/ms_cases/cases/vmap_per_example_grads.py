"""ops.vmap over ops.grad (per-example gradients of a small MLP), and ops.grad of a function
calling ops.vmap (the batch loss): values and gradients."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def mlp_loss(w1, b1, w2, x, y):
    h = ops.tanh(ops.matmul(x, w1) + b1)
    out = ops.matmul(h, w2)
    return ops.reduce_sum((out - y) ** 2)


def batch_loss(w1, b1, w2, xs, ys):
    per = ops.vmap(mlp_loss, in_axes=(None, None, None, 0, 0))(w1, b1, w2, xs, ys)
    return ops.reduce_mean(per)


def run():
    rng = np.random.default_rng(7)
    w1 = Tensor(rng.standard_normal((3, 4)).astype(np.float32) * 0.5)
    b1 = Tensor(rng.standard_normal(4).astype(np.float32) * 0.1)
    w2 = Tensor(rng.standard_normal((4, 2)).astype(np.float32) * 0.5)
    xs = Tensor(rng.standard_normal((5, 3)).astype(np.float32))
    ys = Tensor(rng.standard_normal((5, 2)).astype(np.float32))
    per = ops.vmap(ops.grad(mlp_loss, grad_position=(0, 1, 2)),
                   in_axes=(None, None, None, 0, 0))(w1, b1, w2, xs, ys)
    value, grads = ops.value_and_grad(batch_loss, grad_position=(0, 1, 2, 3))(w1, b1, w2, xs,
                                                                              ys)
    return {"per_w1": per[0], "per_b1": per[1], "per_w2": per[2],
            "per_losses": ops.vmap(mlp_loss, in_axes=(None, None, None, 0, 0))(
                w1, b1, w2, xs, ys),
            "value": value, "g_w1": grads[0], "g_b1": grads[1], "g_w2": grads[2],
            "g_xs": grads[3]}
