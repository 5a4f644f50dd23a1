"""A user primitive with two outputs (an identity bprop) under grad in PyNative mode, with
stop_gradient on one output, on both, and a primitive without a bprop whose outputs are all
stopped (follows test_stop_gradient.py::test_stop_gradient_7, _8 and _10)."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, nn, ops
from mindspore import ops as C
stop_gradient = ops.stop_gradient
from mindspore.ops.primitive import prim_attr_register, PrimitiveWithInfer


class TwoOut(PrimitiveWithInfer):
    @prim_attr_register
    def __init__(self):
        """init"""

    def __call__(self, x, y):
        return x, y

    def infer_shape(self, x_shape, y_shape):
        return x_shape, y_shape

    def infer_dtype(self, x_type, y_type):
        return x_type, y_type

    def get_bprop(self):
        def bprop(x, y, out, dout):
            return (dout[0], dout[1])
        return bprop


class NoBprop(PrimitiveWithInfer):
    @prim_attr_register
    def __init__(self):
        """init"""

    def __call__(self, x, y):
        return x, y


class StopOne(nn.Cell):
    def __init__(self):
        super().__init__()
        self.two = TwoOut()

    def construct(self, x1, x2):
        x1, x2 = self.two(x1 * 2, x2 * x1)
        x1 = stop_gradient(x1)
        return x1, x2


class StopBoth(nn.Cell):
    def __init__(self):
        super().__init__()
        self.two = TwoOut()

    def construct(self, x1, x2):
        x1, x2 = stop_gradient(self.two(x1 * 2, x2 * x1))
        return x1, x2


class StoppedNoBprop(nn.Cell):
    def __init__(self):
        super().__init__()
        self.nob = NoBprop()

    def construct(self, x, y):
        x = x * y
        x, y = self.nob(x, y)
        x = stop_gradient(x)
        y = stop_gradient(y)
        return x, y


def run():
    grad_all = C.GradOperation(get_all=True)
    x = Tensor(np.array([1.5, -2.0], np.float32))
    y = Tensor(np.array([0.5, 3.0], np.float32))
    one = grad_all(StopOne())(x, y)
    both = grad_all(StopBoth())(x, y)
    nob = grad_all(StoppedNoBprop())(x, y)
    out = StopOne()(x, y)
    return {"one_dx": one[0], "one_dy": one[1], "both_dx": both[0], "both_dy": both[1],
            "nob_dx": nob[0], "nob_dy": nob[1], "fwd0": out[0], "fwd1": out[1]}
