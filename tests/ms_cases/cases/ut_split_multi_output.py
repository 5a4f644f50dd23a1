"""ops.split(x, 3) returned whole from a Cell under ops.grad (MindSpore's
pynative_mode/grad/test_auto_grad.py::test_ir_grad_multi_output): the outputs are summed, on
9 and 10 entries (3 and 4 parts), and value_and_grad's tuple of parts."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class SplitNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.split = ops.split

    def construct(self, x):
        output = self.split(x, 3)
        return output


def run():
    net = SplitNet()
    out = {}
    for n in (9, 10):
        x = Tensor(np.arange(n).astype("float32") * 0.5)
        out["grad_%d" % n] = ops.grad(net)(x)
    x = Tensor(np.arange(10).astype("float32") * 0.5)
    value, grad = ops.value_and_grad(net)(x)
    out["n_parts"] = float(len(value))
    for i, v in enumerate(value):
        out["part_%d" % i] = v
    out["vag_grad"] = grad
    return out
