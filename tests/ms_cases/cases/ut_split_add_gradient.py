"""output[0] * 3 + output[1] * 2 of ops.split(x, 3) under ops.grad (MindSpore's
pynative_mode/grad/test_auto_grad.py::test_auto_grad_multi_output_add_gradient), on 9 and 10
entries, and on a 2-d input split along axis 1 with a negative index."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class SplitAddNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.split = ops.split

    def construct(self, x):
        output = self.split(x, 3)
        y = output[0] * 3
        z = output[1] * 2
        return y + z


def run():
    net = SplitAddNet()
    out = {}
    for n in (9, 10):
        x = Tensor(np.arange(n).astype("float32"))
        out["grad_%d" % n] = ops.grad(net)(x)

    def last(x):
        o = ops.split(x, 2, 1)
        return (o[-1] * o[0]).sum() * len(o)

    x = Tensor(np.arange(15).reshape(3, 5).astype("float32") * 0.25)
    out["last_value"] = last(x)
    out["last_grad"] = ops.grad(last)(x)
    return out
