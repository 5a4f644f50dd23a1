"""ops.assign on a Parameter inside a differentiated construct, in GRAPH_MODE: each read of
the Parameter keeps the value it had when it was read (MindSpore's Load), in the backward too."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


class Loop(nn.Cell):
    def __init__(self, dtype):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, 2.0]), dtype), name="w")

    def construct(self, x):
        out = 0
        i = 0
        while i < 3:
            ops.assign(self.w, x * i - 1)
            out = x * self.w + out
            i = i + 1
        return out.sum()


class Chain(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, 2.0, -1.5], np.float32)), name="w")

    def construct(self, x):
        y = x * self.w
        ops.assign(self.w, self.w * 3)
        z = y * self.w
        ops.assign_add(self.w, Tensor(np.array([1.0, -1.0, 0.5], np.float32)))
        return (z * self.w).sum()


def run():
    ms.set_context(mode=ms.GRAPH_MODE)
    try:
        out = {}
        x = Tensor(np.array([1.5, -1.0], np.float32))
        net = Loop(ms.float32)
        (dx,), (dw,) = ops.GradOperation(get_all=True, get_by_list=True)(net, net.trainable_params())(x)
        out.update(loop_dx=dx, loop_dw=dw, loop_w_after=net.w.value())
        net = Loop(ms.int32)
        xi = Tensor(np.array([2, 3], np.int32))
        out["loop_int_dx"] = ops.GradOperation(get_all=True)(net)(xi)[0]
        net = Chain()
        x = Tensor(np.array([1.5, -1.0, 0.25], np.float32))
        out["chain_value"] = net(x)
        net = Chain()
        out["chain_dx"] = ops.GradOperation()(net)(x)
        out["chain_w_after"] = net.w.value()
        return out
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)
