"""Tensor indexing and item assignment inside construct, as model code writes them: slices
with steps, an ellipsis, None, a bool mask from a comparison, an int Tensor index, and
setitem with a number, a Tensor, a slice and a mask, then gradients of the inputs and a
Parameter through the written-over Tensor."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


class Writer(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.linspace(-1.0, 1.0, 12).reshape(3, 4).astype(np.float32)),
                           name="w")

    def construct(self, x, idx):
        h = x * self.w                       # (2, 3, 4)
        h[:, 0] = 0.0
        h[..., 1:3] = h[..., 1:3] * 2.0
        h[1, :, ::2] = self.w[:, ::2]
        m = h > 0.5
        h[m] = 0.5
        g = h[:, idx]                        # int Tensor index on axis 1
        top = h[0, None, 1:, -1]
        e = h[..., -1]
        return g.sum() + (top * top).sum() + (e * ops.exp(e)).sum()


class Scatter(nn.Cell):
    def construct(self, x, v):
        y = x.copy()
        y[1] = v
        y[0, 1:3] = v[1:3] * 3
        y[-1, ...] = y[-1, ...] * y[0, ...]
        return (y ** 2).sum(), y


def run():
    out = {}
    rng = np.random.default_rng(9)
    x = Tensor(rng.normal(size=(2, 3, 4)).astype(np.float32))
    idx = Tensor(np.array([2, 0, 2], np.int32))
    net = Writer()
    loss, (gx, gw) = ops.value_and_grad(net, 0, net.trainable_params())(x, idx)
    out["writer/loss"] = loss
    out["writer/gx"] = gx
    out["writer/gw"] = gw[0]
    sc = Scatter()
    a = Tensor(rng.normal(size=(3, 4)).astype(np.float32))
    v = Tensor(np.array([0.5, -1.0, 2.0, 0.25], np.float32))
    (l, y), (ga, gv) = ops.value_and_grad(sc, (0, 1), has_aux=True)(a, v)
    out["scatter/loss"] = l
    out["scatter/y"] = y
    out["scatter/ga"] = ga
    out["scatter/gv"] = gv
    t = Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4))
    out["read/ellipsis"] = t[..., 1]
    out["read/none"] = t[None, 1, ::2]
    out["read/mask"] = t[t % 5 == 0]
    out["read/neg_step"] = t[:, ::-1, 1]
    out["read/list"] = t[[1, 0], [2, 1]]
    t[t > 20] = -1.0
    t[0, :, 1:3] = Tensor(np.array([7.0, 8.0], np.float32))
    out["write/eager"] = t
    return out
