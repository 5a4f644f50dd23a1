"""Sequence loops as users write them in PyNative mode: layers read with getattr by a name the
loop counter makes, a recurrent cell over the rows of the input with enumerate, the outputs
walked back with reversed and paired with zip, and Python's max and any over the collected
outputs; the value and the gradients with respect to the input and every parameter, on two
inputs."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Seq(nn.Cell):
    def __init__(self):
        super().__init__()
        for i in range(2):
            setattr(self, "proj%d" % i, nn.Dense(3, 3))
        self.cell = nn.RNNCell(3, 4)

    def construct(self, x):
        for i in range(2):
            x = ops.tanh(getattr(self, "proj%d" % i)(x))
        h = ops.zeros((1, 4), x.dtype)
        hs = []
        for t, row in enumerate(x):
            h = self.cell(row.reshape(1, 3) * (t + 1), h)
            hs.append(h)
        back = h * 0.0
        for v in reversed(hs):
            back = ops.tanh(v + back)
        pairs = sum((a * b).sum() for a, b in zip(hs, hs[1:]))
        best = max(v.sum() for v in hs)
        bonus = 1.0 if any(v.sum() > 0.0 for v in hs) else 0.5
        return back.sum() + pairs + best * bonus


def run():
    ms.set_seed(5)
    out = {}
    net = Seq()
    for k, scale in enumerate((1.0, -0.8)):
        x = Tensor((np.linspace(-1, 1, 15).reshape(5, 3) * scale).astype(np.float32))
        out["value_%d" % k] = net(x)
        gx, gw = ops.grad(net, grad_position=0, weights=net.trainable_params())(x)
        out["gx_%d" % k] = gx
        for p, g in zip(net.trainable_params(), gw):
            out["g%d_%s" % (k, p.name)] = g
    return out
