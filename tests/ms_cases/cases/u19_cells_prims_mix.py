"""Model-zoo habits in one net: primitive classes made in __init__ (ops.Concat, ops.ReduceMean
with keep_dims, ops.Transpose, ops.ExpandDims, ops.Tile, ops.Softmax), nn.SequentialCell from
an OrderedDict, a plain Python list of Cells (not a CellList) looped over, a helper method
with a default argument, a class constant, a Tensor made from a Python list and ops.ones
shaped from the input inside construct, and ops.depend."""
from collections import OrderedDict

import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Net(nn.Cell):
    SCALE = 0.5

    def __init__(self):
        super().__init__()
        self.concat = ops.Concat(axis=-1)
        self.mean = ops.ReduceMean(keep_dims=True)
        self.transpose = ops.Transpose()
        self.expand = ops.ExpandDims()
        self.tile = ops.Tile()
        self.softmax = ops.Softmax(axis=-1)
        self.seq = nn.SequentialCell(OrderedDict([
            ("fc", nn.Dense(6, 6, weight_init="normal", bias_init="zeros")),
            ("act", nn.Tanh()),
        ]))
        self.heads = [nn.Dense(6, 3, weight_init="normal", bias_init="normal"),
                      nn.Dense(6, 3, weight_init="normal", bias_init="normal")]
        for i, h in enumerate(self.heads):
            self.insert_child_to_cell("head%d" % i, h)

    def gate(self, x, power=2):
        return ops.sigmoid(x) ** power

    def construct(self, x):
        b = x.shape[0]
        w = Tensor([1.0, -1.0, 0.5], ms.float32)
        h = self.seq(self.concat((x, x * self.SCALE)))
        outs = []
        for head in self.heads:
            outs.append(head(h) * w)
        y = self.concat(outs)                                  # (b, 6)
        y = self.expand(y, 1)                                  # (b, 1, 6)
        y = self.tile(y, (1, 2, 1))                            # (b, 2, 6)
        y = self.transpose(y, (0, 2, 1))                       # (b, 6, 2)
        m = self.mean(y, 1)                                    # (b, 1, 2)
        p = self.softmax(y - m)
        ones = ops.ones((b, 6, 2), ms.float32)
        p = ops.depend(p, ones)
        return (p * self.gate(y) + ones * 0.1).sum() + self.gate(m, 3).mean()


def run():
    ms.set_seed(5)
    net = Net()
    x = Tensor(np.linspace(-1, 1, 12).reshape(4, 3).astype(np.float32))
    out = {"value": net(x), "n_params": len(net.trainable_params())}
    gx, gw = ops.grad(net, grad_position=0, weights=net.trainable_params())(x)
    out["gx"] = gx
    for p, g in zip(net.trainable_params(), gw):
        out["g_" + p.name] = g
    return out
