"""Gradient surgery, MindSpore's way: ``ops.InsertGradientOf(f)`` and ``ops.HookBackward``
(identity forward; the hook sees the gradient flowing in and may replace it), checked by
value against hand-derived numbers (the recorded MindSpore case is
tests/ms_cases/cases/ops_gradient_hooks.py); ``Tensor.register_hook`` inside differentiated
code, placed at its value's definition (compiler/hooks.py), as MindSpore 2.10 measured."""
import numpy as np
import pytest

from autograd_st import Parameter, Tensor, nn, ops
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


def test_register_hook_in_differentiated_code_halves_the_gradient():
    np.testing.assert_allclose(ops.grad(_register)(X).asnumpy(), 0.5 * 18.0 * X.asnumpy())


def _twice(g):
    return g * 10


def _hook_after_uses(x):
    y = x * 2
    z = y * 3
    y.register_hook(_twice)  # (MindSpore: the hook gets the gradient of both uses)
    w = y * y
    return z.sum() + w.sum()


def test_register_hook_sees_every_use_of_the_value_as_mindspore():
    # MindSpore 2.10 (measured): the hook gets 3 + 2y = [7, 11] and d/dx = 2 * 10 * that
    seen = []

    def spy(g):
        seen.append(g.asnumpy().copy())
        return g * 10

    def f(x):
        y = x * 2
        z = y * 3
        y.register_hook(spy)
        w = y * y
        return z.sum() + w.sum()

    x = Tensor(np.array([1.0, 2.0]))
    np.testing.assert_allclose(ops.grad(f)(x).asnumpy(), [140.0, 220.0])
    np.testing.assert_allclose(seen[-1], [7.0, 11.0])
    np.testing.assert_allclose(ops.grad(_hook_after_uses)(x).asnumpy(), [140.0, 220.0])
    assert "apply_grad_hook(_twice" in ops.grad(_hook_after_uses).source(x)


def test_register_hook_returning_none_keeps_the_gradient_and_hooks_an_input():
    seen = []

    def f(x):
        x.register_hook(lambda g: seen.append(g.asnumpy().copy()))
        y = x * 2
        y.register_hook(lambda g: None)
        return ops.sum(y * y)

    np.testing.assert_allclose(ops.grad(f)(X).asnumpy(), 8 * X.asnumpy())
    np.testing.assert_allclose(seen[-1], 8 * X.asnumpy())


def test_register_hook_in_a_cell_and_in_a_branch_block():
    class Net(nn.Cell):
        def construct(self, x):
            if ops.sum(x) > 0:
                y = x * 2
                y.register_hook(_twice)
            else:
                y = x * 3
            return ops.sum(y * y)

    net = Net()
    np.testing.assert_allclose(ops.grad(net)(X).asnumpy(), 10 * 8 * X.asnumpy())
    np.testing.assert_allclose(ops.grad(net)(-X).asnumpy(), -18 * X.asnumpy())
    assert float(net(X).asnumpy()) == float(np.sum((2 * X.asnumpy()) ** 2))  # eager: no effect


def _rebound_hook(x):
    h = _twice
    y = x * 2
    h = ops.stop_gradient
    y.register_hook(h)  # (h changed after y: the hook cannot move to y's definition)
    return ops.sum(y * y)


def test_register_hook_that_cannot_be_placed_is_refused_with_the_way_out():
    with pytest.raises(CompileError, match="register_hook") as info:
        ops.grad(_rebound_hook)(X)
    assert "InsertGradientOf" in str(info.value)
    assert info.value.lineno == _rebound_hook.__code__.co_firstlineno + 4


def test_register_hook_eagerly_hooks_the_gradient_returned_for_that_input():
    # MindSpore 2.10 (measured, tests/ms_cases/cases/api_eager_hooks.py): the hook gets the
    # gradient returned for the hooked Tensor and its result is returned instead
    x = Tensor(np.array([1.0, 2.0]))
    y = Tensor(np.array([4.0, -1.0]))
    seen = []

    def spy(g):
        seen.append(g.asnumpy().copy())
        return g * 2

    handle = x.register_hook(spy)
    f = lambda a, b: ops.sum(a * a * b)  # noqa: E731
    np.testing.assert_allclose(ops.grad(f)(x, y).asnumpy(), 2 * 2 * x.asnumpy() * y.asnumpy())
    np.testing.assert_allclose(seen.pop(), 2 * x.asnumpy() * y.asnumpy())
    # not differentiated: the hook does not run, the other gradient is untouched
    np.testing.assert_allclose(ops.grad(f, grad_position=1)(x, y).asnumpy(), x.asnumpy() ** 2)
    assert not seen
    dx, dy = ops.grad(f, grad_position=(0, 1))(x, y)
    np.testing.assert_allclose(dx.asnumpy(), 4 * x.asnumpy() * y.asnumpy())
    np.testing.assert_allclose(dy.asnumpy(), x.asnumpy() ** 2)
    value, dx = ops.value_and_grad(f)(x, y)
    assert float(value.asnumpy()) == float(np.sum(x.asnumpy() ** 2 * y.asnumpy()))
    np.testing.assert_allclose(dx.asnumpy(), 4 * x.asnumpy() * y.asnumpy())
    (pos, dx), = [ops.grad(f, return_ids=True)(x, y)]
    assert pos == 0
    np.testing.assert_allclose(dx.asnumpy(), 4 * x.asnumpy() * y.asnumpy())
    sens = Tensor(np.array(3.0))
    np.testing.assert_allclose(ops.GradOperation(sens_param=True)(f)(x, y, sens).asnumpy(),
                               3 * 4 * x.asnumpy() * y.asnumpy())
    handle.remove()
    np.testing.assert_allclose(ops.grad(f)(x, y).asnumpy(), 2 * x.asnumpy() * y.asnumpy())
    with pytest.raises(TypeError, match="should be python function"):
        x.register_hook(3)


def test_eager_hooks_run_in_order_and_none_keeps_the_gradient():
    x = Tensor(np.array([1.0]))
    x.register_hook(lambda g: g * 3)
    x.register_hook(lambda g: None)
    x.register_hook(lambda g: g + 1)
    np.testing.assert_allclose(ops.grad(lambda t: ops.sum(t * 5))(x).asnumpy(), [16.0])


class _Scale(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([1.0, 2.0])), name="w")
        self.b = Parameter(Tensor(np.array([0.5])), name="b")

    def construct(self, a):
        return ops.sum(self.w * a + self.b)


def test_a_parameter_hooked_eagerly_hooks_its_weight_gradient():
    net = _Scale()
    a = Tensor(np.array([3.0, 4.0]))
    net.w.register_hook(lambda g: g * 2)
    dw, db = ops.grad(net, grad_position=None, weights=net.trainable_params())(a)
    np.testing.assert_allclose(dw.asnumpy(), [6.0, 8.0])
    np.testing.assert_allclose(db.asnumpy(), [2.0])
    (da,), (dw, db) = ops.GradOperation(get_all=True, get_by_list=True)(
        net, net.trainable_params())(a)
    np.testing.assert_allclose(da.asnumpy(), [1.0, 2.0])
    np.testing.assert_allclose(dw.asnumpy(), [6.0, 8.0])
    # a training step: the hooked gradient is the one the optimizer applies
    net2 = _Scale()
    net2.w.register_hook(lambda g: g * 0)
    step = nn.TrainOneStepCell(net2, nn.SGD(net2.trainable_params(), 0.1))
    step(a)
    np.testing.assert_allclose(net2.w.asnumpy(), [1.0, 2.0])
    np.testing.assert_allclose(net2.b.asnumpy(), [0.5 - 0.1 * 2])


def test_a_hooked_tensor_passed_twice_gets_the_hooked_sum():
    # measured in MindSpore 2.10: each position of the Tensor gets the hook applied to the
    # sum of its gradients (tests/test_aliased_args.py: the sum itself)
    x = Tensor(np.array([1.0, 2.0]))
    x.register_hook(_twice)
    ga, gb = ops.grad(lambda a, b: ops.sum(a * b), grad_position=(0, 1))(x, x)
    np.testing.assert_allclose(ga.asnumpy(), 20 * x.asnumpy())
    np.testing.assert_allclose(gb.asnumpy(), 20 * x.asnumpy())
    np.testing.assert_allclose(  # d/dx x**3, hooked (_twice: times 10)
        ops.grad(lambda a, b: ops.sum(a * b * b))(x, x).asnumpy(), 30 * x.asnumpy() ** 2)
    y = x.copy()  # another object: its gradient stays apart, and it has no hook
    np.testing.assert_allclose(ops.grad(lambda a, b: ops.sum(a * b))(x, y).asnumpy(),
                               10 * y.asnumpy())


def _reads_a_local(x):
    s = 2.0
    y = x * s
    y.register_hook(lambda g: g * s)  # (reads the function's own variable s)
    return ops.sum(y * y)


def test_register_hook_with_a_lambda_over_a_local_is_refused():
    with pytest.raises(CompileError, match="register_hook") as info:
        ops.grad(_reads_a_local)(X)
    assert info.value.lineno == _reads_a_local.__code__.co_firstlineno + 3


def test_register_hook_with_a_nested_def_over_a_closure_cell():
    scale = [3.0]

    def f(x):
        def hook(g):
            return g * scale[0]
        y = x * 2
        y.register_hook(hook)
        return ops.sum(y * y)

    np.testing.assert_allclose(ops.grad(f)(X).asnumpy(), 3.0 * 8 * X.asnumpy())
    scale[0] = 0.5  # the hook reads the cell when it runs
    np.testing.assert_allclose(ops.grad(f)(X).asnumpy(), 0.5 * 8 * X.asnumpy())
