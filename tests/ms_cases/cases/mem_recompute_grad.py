"""Cell.recompute() and mindspore.recompute: the gradients are the plain ones (a recomputed
sub-Cell, the function form, a recomputed top-level Cell with a loop in its construct)."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


class Block(nn.Cell):
    def __init__(self, seed):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.w = Parameter(Tensor(rng.uniform(-0.7, 0.7, (3, 3)).astype(np.float32)), name="w")

    def construct(self, x):
        h = ops.tanh(ops.matmul(x, self.w))
        return ops.sigmoid(h) * x + ops.sum(h * h, 1, keepdim=True)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.a = Block(0)
        self.c = Block(1)

    def construct(self, x):
        return ops.sum(ms.recompute(self.c, self.a(x)) ** 2)


class Loop(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([[0.5, -0.2, 0.1], [0.3, 0.8, -0.4], [0.0, 0.2, 0.6]],
                                           np.float32)), name="lw")

    def construct(self, x):
        h = x
        for t in range(5):
            h = ops.tanh(ops.matmul(h, self.w) + x) * 0.9 + t * 0.01
        return ops.sum(h * h)


def run():
    x = Tensor(np.array([[0.5, -1.0, 2.0], [0.1, 0.2, -0.3]], np.float32))
    net = Net()
    plain = ops.grad(net, 0, net.trainable_params())(x)
    net.a.recompute()
    rc = ops.grad(net, 0, net.trainable_params())(x)
    loop = Loop()
    loop_plain = ops.grad(loop, 0, loop.trainable_params())(x)
    loop.recompute()
    loop_rc = ops.grad(loop, 0, loop.trainable_params())(x)
    return {"plain_dx": plain[0], "plain_dwa": plain[1][0], "plain_dwc": plain[1][1],
            "rc_dx": rc[0], "rc_dwa": rc[1][0], "rc_dwc": rc[1][1],
            "loop_dx": loop_plain[0], "loop_dw": loop_plain[1][0],
            "loop_rc_dx": loop_rc[0], "loop_rc_dw": loop_rc[1][0]}
