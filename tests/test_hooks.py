"""Gradient surgery, MindSpore's way: ``ops.InsertGradientOf(f)`` and ``ops.HookBackward``
(identity forward; the hook sees the gradient flowing in and may replace it), checked by
value against hand-derived numbers (the recorded MindSpore case is
tests/ms_cases/cases/ops_gradient_hooks.py); ``Tensor.register_hook`` inside differentiated
code is refused with a way out."""
import numpy as np
import pytest

from autograd_st import Tensor, nn, ops
from autograd_st.errors import CompileError

X = Tensor(np.array([1.0, 2.0, -0.5]))


def test_insert_gradient_of_replaces_the_gradient_and_shows_in_the_code():
    seen = []
    clip = ops.InsertGradientOf(lambda g: seen.append(g.asnumpy().copy()) or ops.clamp(g, -4, 4))

    def f(x):
        y = clip(x * 3.0)
        return ops.sum(y * y)

    grad = ops.grad(f)(X).asnumpy()
    dy = 2 * 3.0 * X.asnumpy()  # d(sum y^2)/dy, y = 3x
    np.testing.assert_allclose(seen[-1], dy)
    np.testing.assert_allclose(grad, 3.0 * np.clip(dy, -4, 4))
    assert "apply_grad_hook" in ops.grad(f).source(X)
    np.testing.assert_array_equal(clip(X).asnumpy(), X.asnumpy())  # forward: the identity


def test_hook_backward_gets_a_tuple_and_none_keeps_the_gradient():
    calls = []

    def watch(grad):
        calls.append(type(grad))

    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.hook = ops.HookBackward(watch)
            self.scale = ops.HookBackward(lambda g: (g[0] * 10.0,))

        def construct(self, x):
            return ops.sum(self.scale(self.hook(x * 2.0)) ** 2)

    grad = ops.grad(Net())(X).asnumpy()
    # the outer hook multiplies by 10 the gradient 2*(2x) flowing into the inner one
    np.testing.assert_allclose(grad, 2.0 * 10.0 * 2 * (2.0 * X.asnumpy()))
    assert calls == [tuple]


def test_a_hook_returning_the_wrong_shape_is_an_error():
    bad = ops.InsertGradientOf(lambda g: ops.sum(g))
    with pytest.raises(ValueError, match="shape"):
        ops.grad(lambda x: ops.sum(bad(x) ** 2))(X)


def _register(x):
    y = x * 3.0
    y.register_hook(lambda g: g * 0.5)
    return ops.sum(y * y)


def test_register_hook_in_differentiated_code_is_refused_with_the_way_out():
    with pytest.raises(CompileError, match="register_hook") as info:
        ops.grad(_register)(X)
    assert "InsertGradientOf" in str(info.value)
    assert info.value.lineno == _register.__code__.co_firstlineno + 2
