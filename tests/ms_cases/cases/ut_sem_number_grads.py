"""Gradients asked of Python numbers (MindSpore 2.10 PyNative): the numbers are left out of the
result, () when only numbers are asked for; GradOperation, ops.grad, ops.value_and_grad, Cells
with and without bprop (follows test_cell_bprop.py's grad_all(mul_add)(1, 2) calls, written
with 2.10's GradOperation(get_all=True))."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor
from mindspore.ops import GradOperation


class MulAdd(nn.Cell):
    def construct(self, x, y):
        return 2 * x + y

    def bprop(self, x, y, out, dout):
        return 2 * dout, 2 * y


class NoBprop(nn.Cell):
    def construct(self, x, y):
        return 2 * x + y


class InlineMulAdd(nn.Cell):
    def __init__(self):
        super().__init__()
        self.mul_add = MulAdd()
        self.param = 2

    def construct(self, x, y):
        return self.mul_add(x, y) + x + self.param * y


def f(x, y):
    return 2 * x + y


def run():
    ms.set_context(mode=ms.PYNATIVE_MODE)
    ga = GradOperation(get_all=True)
    t = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
    out = {}
    out["len_ga_muladd_ints"] = len(ga(MulAdd())(1, 2))
    out["len_ga_nobprop_ints"] = len(ga(NoBprop())(1, 2))
    out["len_ga_inline_ints"] = len(ga(InlineMulAdd())(1, 2))
    out["len_ga_f_floats"] = len(ga(f)(1.0, 2.0))
    out["len_gop_f_ints"] = len(GradOperation()(f)(1, 2))
    out["len_gop_f_int_tensor"] = len(GradOperation()(f)(1, t))
    out["len_grad_f_ints"] = len(ops.grad(f)(1, 2))
    out["len_grad_f_pos01_ints"] = len(ops.grad(f, grad_position=(0, 1))(1, 2))
    out["len_grad_f_pos1_t_int"] = len(ops.grad(f, grad_position=1)(t, 2))
    out["grad_f_pos01_t_int"] = ops.grad(f, grad_position=(0, 1))(t, 2)
    out["grad_f_pos0_t_int"] = ops.grad(f, grad_position=0)(t, 2)
    r = ga(f)(1, t)
    out["len_ga_f_int_t"] = len(r)
    out["ga_f_int_t_0"] = r[0]
    r = ga(f)(t, 1.5)
    out["len_ga_f_t_float"] = len(r)
    out["ga_f_t_float_0"] = r[0]
    r = ga(MulAdd())(1, t)
    out["len_ga_muladd_int_t"] = len(r)
    out["ga_muladd_int_t_0"] = r[0]
    value, g = ops.value_and_grad(f)(1, 2)
    out["vg_value_ints"] = value
    out["len_vg_grad_ints"] = len(g)
    r = ga(InlineMulAdd())(t, t * 2)
    out["ga_inline_t_t_0"] = r[0]
    out["ga_inline_t_t_1"] = r[1]
    return out
