"""A primitive class of the user's own (PrimitiveWithInfer, prim_attr_register) with its bprop
given by get_bprop() and by @bprop_getters.register: MindSpore's graph mode differentiates it
with that bprop (what autograd_st does in both modes); multi-output, a stop_gradient on one
output (follows test_stop_gradient.py::test_stop_gradient_7 / _8)."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, nn, ops, context
from mindspore.ops import operations as P
from mindspore.ops.primitive import prim_attr_register, PrimitiveWithInfer
from mindspore.ops._grad_experimental.grad_base import bprop_getters


class ScaledPair(PrimitiveWithInfer):
    @prim_attr_register
    def __init__(self, k=2.0):
        """init"""

    def __call__(self, x, y):
        return x * self.k, y * 3

    def infer_shape(self, x_shape, y_shape):
        return x_shape, y_shape

    def infer_dtype(self, x_type, y_type):
        return x_type, y_type

    def get_bprop(self):
        def bprop(x, y, out, dout):
            return (dout[0] * 10 + y, dout[1] * 100)
        return bprop


class Cube(PrimitiveWithInfer):
    @prim_attr_register
    def __init__(self):
        self.init_prim_io_names(inputs=['x'], outputs=['y'])

    def __call__(self, x):
        return x * x * x

    def infer_shape(self, s):
        return s

    def infer_dtype(self, t):
        return t


@bprop_getters.register(Cube)
def get_bprop_cube(self):
    def bprop(x, out, dout):
        return (dout * 3 * x * x + 1,)
    return bprop


class PairNet(nn.Cell):
    def __init__(self, stop_first):
        super().__init__()
        self.p = ScaledPair(2.0)
        self.stop_first = stop_first

    def construct(self, x1, x2):
        a, b = self.p(x1 * 1, x2 * 1)
        if self.stop_first:
            a = ops.stop_gradient(a)
        return a * 2 + b


class CubeNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.cube = Cube()

    def construct(self, x):
        return self.cube(x) + x * 2


def run():
    context.set_context(mode=context.GRAPH_MODE)
    try:
        grad_all = ops.GradOperation(get_all=True)
        x = Tensor(np.array([1.0, -2.0, 0.5], np.float32))
        y = Tensor(np.array([0.25, 3.0, -1.0], np.float32))
        g_pair = grad_all(PairNet(False))(x, y)
        g_stop = grad_all(PairNet(True))(x, y)
        g_cube = grad_all(CubeNet())(x)
    finally:
        context.set_context(mode=context.PYNATIVE_MODE)
    return {"pair_dx": g_pair[0], "pair_dy": g_pair[1], "stop_dx": g_stop[0],
            "stop_dy": g_stop[1], "cube_dx": g_cube[0]}
