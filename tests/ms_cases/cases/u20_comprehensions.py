"""Comprehensions, max/min, *-unpacking and map as users write them in PyNative mode: a Cell
that runs a Dense layer over each row of its input in a list comprehension, keeps the rows
whose activation sum passes a threshold (a condition on a runtime value), sums a generator
over a range of the input's own length, takes Python's max and min of scalar Tensors,
unpacks with a starred name and maps a function over a list; its value and its gradients
with respect to the input and every parameter, on two inputs that keep different rows."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Rows(nn.Cell):
    def __init__(self):
        super().__init__()
        self.dense = nn.Dense(4, 3)

    def construct(self, x):
        ys = [ops.tanh(self.dense(row)) for row in x]
        kept = sum((y * y for y in ys if y.sum() > 0.0), ys[0] * 0)
        total = sum(x[i].sum() * (i + 1) for i in range(x.shape[0]))
        first, *rest = ys
        mapped = list(map(ops.sigmoid, rest))
        best = max(first.sum(), mapped[0].sum(), (kept * 2).sum())
        least = min(total * 0.1, 0.5)
        return best + least + ops.stack(mapped).sum() + kept.sum()


def run():
    ms.set_seed(3)
    out = {}
    net = Rows()
    for k, scale in enumerate((1.0, -0.6)):
        x = Tensor((np.linspace(-1, 1, 20).reshape(5, 4) * scale).astype(np.float32))
        out["value_%d" % k] = net(x)
        gx, gw = ops.grad(net, grad_position=0, weights=net.trainable_params())(x)
        out["gx_%d" % k] = gx
        for p, g in zip(net.trainable_params(), gw):
            out["g%d_%s" % (k, p.name)] = g
    return out
