"""Custom gradients: a Cell's bprop(self, *inputs, out, dout), and register_vjp for a user
function, both through the same registry interface as the built-in rules."""
import numpy as np
import pytest

import autograd_st
from autograd_st import Parameter, Tensor, context, nn, ops
from autograd_st.errors import CompileError


class ScaledGrad(nn.Cell):
    """Forward x * y; backward deliberately not the true gradient (a custom rule)."""

    def construct(self, x, y):
        return x * y

    def bprop(self, x, y, out, dout):
        return dout * 10.0, dout * x


class UsesScaled(nn.Cell):
    def __init__(self):
        super().__init__()
        self.inner = ScaledGrad()
        self.w = Parameter(Tensor(np.array([1.5, -0.5])), name="w")

    def construct(self, x, y):
        return ops.sum(self.inner(x * 2.0, y) * self.w)


X = np.array([1.0, 2.0])
Y = np.array([3.0, -4.0])


def test_bprop_replaces_the_backward_of_the_cell_itself():
    gx, gy = ops.grad(ScaledGrad(), grad_position=(0, 1))(Tensor(X), Tensor(Y))
    np.testing.assert_allclose(gx.asnumpy(), [10.0, 10.0])
    np.testing.assert_allclose(gy.asnumpy(), X)


def test_bprop_of_a_sub_cell_inside_construct():
    net = UsesScaled()
    (gx, gy), (gw,) = ops.grad(net, grad_position=(0, 1), weights=[net.w])(Tensor(X),
                                                                          Tensor(Y))
    w = net.w.asnumpy()
    np.testing.assert_allclose(gx.asnumpy(), 2.0 * 10.0 * w)  # chain rule through x * 2
    np.testing.assert_allclose(gy.asnumpy(), 2.0 * X * w)
    np.testing.assert_allclose(gw.asnumpy(), 2.0 * X * Y)  # w's own gradient is ordinary


class WrongArity(nn.Cell):
    def construct(self, x):
        return x * 2.0

    def bprop(self, x, dout):
        return (dout,)


class WrongCount(nn.Cell):
    def construct(self, x):
        return x * 2.0

    def bprop(self, x, out, dout):
        return dout, dout


def test_bprop_arity_is_checked_when_the_gradient_is_built():
    with pytest.raises(CompileError) as info:
        ops.grad(WrongArity())(Tensor(X))
    assert "takes 2 arguments after self" in str(info.value)
    assert info.value.filename == __file__


def test_bprop_returning_more_gradients_than_inputs():
    # MindSpore 2.10 (measured): extra gradients are ignored unless check_bprop=True, which
    # raises TypeError (tests/test_ut17_semantics.py has the other checks)
    np.testing.assert_allclose(ops.grad(WrongCount())(Tensor(X)).asnumpy(), [1.0, 1.0])
    context.set_context(check_bprop=True)
    try:
        with pytest.raises(TypeError, match="which is: 1, but got:2"):
            ops.grad(WrongCount())(Tensor(X))
    finally:
        context.set_context(check_bprop=False)


def smooth_abs(x):
    return np.sqrt(x * x + 1e-6)


@autograd_st.register_vjp(smooth_abs)
def _smooth_abs_vjp(dout, out, x):
    return (dout * x / out,)


def uses_smooth_abs(x):
    return np.sum(smooth_abs(x) * np.tanh(x))


def test_register_vjp_gives_a_user_function_its_rule():
    x = np.array([0.5, -2.0, 1.3])
    got = ops.grad(uses_smooth_abs)(x)
    s = np.sqrt(x * x + 1e-6)
    want = x / s * np.tanh(x) + s * (1 - np.tanh(x) ** 2)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert "user_smooth_abs_vjp" in ops.grad(uses_smooth_abs).source(x)


def test_register_vjp_checks_the_rule_signature():
    def f(x, y):
        return x * y
    with pytest.raises(TypeError):
        @autograd_st.register_vjp(f)
        def _(dout, x, y):
            return dout, dout
