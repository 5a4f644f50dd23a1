"""Python in differentiated code (MindSpore 2.10 PyNative): a function defined inside the
differentiated function (test_framstruct.py::test_grad_refactor_1/2, int32 Tensors),
construct(self, x, y, *arg, **kwargs) with gradients for *arg and the keyword arguments and
the sens given by keyword (test_kw_and_kwarg.py::test_kw_grad, test_grad: each gradient in
its input's dtype, float16 included), bprop(self, *args) (grad/test_auto_grad.py
::test_auto_grad_bprop_net), a tuple argument (test_tuple_parameter.py::test_net).
(GradOperation inside the construct of a Cell with a bprop, test_cell_bprop.py's
test_grad_in_bprop_*, raises RuntimeError "In no_grad context" in 2.10: not a case.)"""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor
from mindspore.ops import GradOperation

ga = GradOperation(get_all=True)


def grad_refactor_1(a, b):
    def inner(x, y):
        return x * y
    return inner(a, b)


def grad_refactor_2(a, b):
    def inner(x):
        return x * b
    return inner(b) * inner(a)


class KwNet(nn.Cell):
    def construct(self, x, y, *arg, **kwargs):
        return 2 * x + 3 * y + 4 * arg[0] + 5 * kwargs['v']


class GradKwNet(nn.Cell):
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.grad = GradOperation(get_all=True, sens_param=True)

    def construct(self, x, y, *arg, **kwargs):
        return self.grad(self.net)(x, y, *arg, **kwargs)


class Net3(nn.Cell):
    def construct(self, x, y, z):
        return 2 * x + 3 * y + 4 * z


class CustomBpropNet(nn.Cell):
    def construct(self, x):
        y = x * x
        return y + y

    def bprop(self, *args):
        return args[0] * 4,


class ArgsBprop2(nn.Cell):
    def construct(self, x, y):
        return x * y

    def bprop(self, *args):
        return args[1] * args[3], args[0] * args[3] + args[2]


class Block1(nn.Cell):
    def construct(self, tuple_xy):
        x, y = tuple_xy
        return x * y


class Net1(nn.Cell):
    def __init__(self):
        super().__init__()
        self.block = Block1()

    def construct(self, x, y):
        return self.block((x, y))


def dtype_code(t):
    return float([ms.int32, ms.float16, ms.float32, ms.float64].index(t.dtype))


def run():
    ms.set_context(mode=ms.PYNATIVE_MODE)
    out = {}
    g = ga(grad_refactor_1)(Tensor(2, dtype=ms.int32), Tensor(3, dtype=ms.int32))
    out["refactor_1_0"], out["refactor_1_1"], out["refactor_1_dtype"] = g[0], g[1], dtype_code(g[0])
    g = ga(grad_refactor_2)(Tensor(2, dtype=ms.int32), Tensor(3, dtype=ms.int32))
    out["refactor_2_0"], out["refactor_2_1"] = g[0], g[1]
    g = ga(grad_refactor_2)(Tensor(np.array([2.0, -1.0], np.float32)), Tensor(np.array([3.0, 0.5], np.float32)))
    out["refactor_2_f32_0"], out["refactor_2_f32_1"] = g[0], g[1]
    shape = [1, 2, 3]
    x = Tensor(np.ones(shape, np.int32))
    y = Tensor(np.ones(shape, np.float32) * 2)
    z = Tensor(np.ones(shape, np.float64) * 3)
    u = Tensor(np.ones(shape, np.float16))
    v = Tensor(np.ones(shape, np.int32))
    w = Tensor(np.ones(shape, np.float64))
    sens = Tensor(np.arange(6, dtype=np.float64).reshape(shape))
    out["kw_value"] = KwNet()(x, y, z, u=u, v=v, w=w)
    g = GradKwNet(KwNet())(x, y, z, u=u, v=v, w=w, sens=sens)
    out["kw_grad_len"] = len(g)
    for i, gi in enumerate(g):
        out["kw_grad_%d" % i] = gi
        out["kw_grad_%d_dtype" % i] = dtype_code(gi)
    g = GradOperation(get_all=True, sens_param=True)(KwNet())(x, y, z, u, v=v, w=w, sens=sens)
    out["kw_direct_len"] = len(g)
    out["kw_direct_3"] = g[3]
    out["kw_direct_4"] = g[4]
    z16 = Tensor(np.ones(shape, np.float16))
    g = GradOperation(get_all=True, sens_param=True)(Net3())(x, y, z16, Tensor(np.ones(shape, np.float32)))
    for i, gi in enumerate(g):
        out["f16_grad_%d" % i] = gi
        out["f16_grad_%d_dtype" % i] = dtype_code(gi)
    g = ops.grad(lambda a: a * Tensor(np.ones(2, np.float32)) * a)(Tensor(np.array([3.0, 0.5], np.float16)))
    out["f16_times_f32"], out["f16_times_f32_dtype"] = g, dtype_code(g)
    out["bprop_args"] = ops.grad(CustomBpropNet())(Tensor([2.0], ms.float32))
    g = ga(ArgsBprop2())(Tensor([2.0]), Tensor([5.0]))
    out["bprop_args2_0"], out["bprop_args2_1"] = g[0], g[1]
    x2 = Tensor(np.ones([1, 1, 3, 3], np.float32) * 2)
    y3 = Tensor(np.ones([1, 1, 3, 3], np.float32) * 3)
    g = ga(Net1())(x2, y3)
    out["tuple_param_0"], out["tuple_param_1"] = g[0], g[1]
    return out
