"""Cell forward hooks (MindSpore's ``register_forward_pre_hook`` / ``register_forward_hook``):
run eagerly and in differentiated code (compiled like helpers: their effects run, gradients
flow through what they return), with MindSpore's numbers (recorded:
tests/ms_cases/cases/ops_cell_forward_hooks.py); removing a hook takes it out of code
compiled before."""
import re

import numpy as np
import pytest

from autograd_st import Tensor, nn, numerical_grad, ops
from autograd_st.errors import GradientAPIError

X = Tensor(np.array([[1.0, 2.0]]))


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(2, 2, weight_init=Tensor(np.array([[1.0, -0.5], [0.3, 2.0]])),
                           bias_init=Tensor(np.array([0.1, -0.2])))

    def construct(self, x):
        return ops.sum(ops.tanh(self.fc(x)) ** 2)


def test_hooks_change_inputs_and_output_eagerly_and_in_the_gradient():
    net, log = Net(), []

    def pre(cell, inputs):
        log.append(("pre", len(inputs)))
        return (inputs[0] * 2.0,)

    def post(cell, inputs, output):
        log.append(("post", len(inputs)))
        return output * 0.5 + 0.1 * inputs[0].sum()

    h1 = net.fc.register_forward_pre_hook(pre)
    h2 = net.fc.register_forward_hook(post)
    w = net.fc.weight.asnumpy()
    b = net.fc.bias.asnumpy()

    def by_hand(x):
        x2 = 2.0 * x
        return np.sum(np.tanh((x2 @ w.T + b) * 0.5 + 0.1 * x2.sum()) ** 2)

    np.testing.assert_allclose(net(X).asnumpy(), by_hand(X.asnumpy()))
    grad = ops.grad(lambda x: net(x))(X)
    np.testing.assert_allclose(grad.asnumpy(), numerical_grad(by_hand, (X.asnumpy(),)),
                               rtol=1e-6)
    assert log.count(("pre", 1)) >= 2 and log.count(("post", 1)) >= 2
    h1.remove()
    h2.remove()
    plain = ops.grad(lambda x: net(x))(X).asnumpy()
    direct = numerical_grad(lambda x: np.sum(np.tanh(x @ w.T + b) ** 2), (X.asnumpy(),))
    np.testing.assert_allclose(plain, direct, rtol=1e-6)


def test_hooks_on_the_cell_differentiated_itself_are_refused_not_skipped():
    net = Net()
    net.register_forward_hook(lambda cell, inputs, output: output * 2.0)
    with pytest.raises(GradientAPIError, match="forward or backward hooks"):
        ops.grad(net)(X)


def test_a_backward_hook_sees_the_gradients_and_replaces_the_inputs():
    net, seen = Net(), {}

    class Outer(nn.Cell):
        def __init__(self):
            super().__init__()
            self.net = net

        def construct(self, x):
            return self.net(ops.sin(x))

    def hook(cell, grad_input, grad_output):
        seen["cell"] = cell
        seen["in"], seen["out"] = grad_input[0].asnumpy(), grad_output[0].asnumpy()
        return (grad_input[0] * 3.0,)

    outer = Outer()
    plain = ops.grad(lambda x: outer(x))(X).asnumpy()
    handle = net.register_backward_hook(hook)
    hooked = ops.grad(lambda x: outer(x))(X).asnumpy()
    assert seen["cell"] is net
    np.testing.assert_allclose(seen["out"], 1.0)  # d(loss)/d(net's output): a scalar sum
    np.testing.assert_allclose(seen["in"] * np.cos(X.asnumpy()), plain)
    np.testing.assert_allclose(hooked, 3.0 * plain)
    assert "call_backward_hook" in ops.grad(lambda x: outer(x)).source(X)
    handle.remove()
    np.testing.assert_allclose(ops.grad(lambda x: outer(x))(X).asnumpy(), plain)


def test_a_backward_hook_on_a_cell_with_two_runtime_inputs_is_refused():
    class Two(nn.Cell):
        def construct(self, a, b):
            return a * b

    two = Two()
    two.register_backward_hook(lambda cell, gi, go: None)
    with pytest.raises(Exception, match="backward hook"):
        ops.grad(lambda x: ops.sum(two(x, x * 2.0)))(X)


class _Scaled(nn.Cell):
    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def construct(self, x):
        return ops.sum(self.inner(x * 2.0) * x)


def test_backward_pre_hooks_see_and_replace_the_output_gradient_in_order():
    # MindSpore 2.10 (recorded: tests/ms_cases/cases/api_backward_pre_hook.py)
    x = Tensor(np.array([0.5, -1.0, 0.25]))
    inner, seen = nn.Tanh(), []
    outer = _Scaled(inner)
    plain = ops.grad(outer)(x).asnumpy()
    h1 = inner.register_backward_pre_hook(
        lambda cell, g: (seen.append((cell, g[0].asnumpy().copy())), (g[0] * 3.0,))[1])
    h2 = inner.register_backward_pre_hook(lambda cell, g: seen.append((cell, g[0].asnumpy())))
    got = ops.grad(outer)(x).asnumpy()
    (c1, g1), (c2, g2) = seen
    assert c1 is inner and c2 is inner
    np.testing.assert_allclose(g1, x.asnumpy())  # d(sum(inner(2x) * x))/d(inner's output)
    np.testing.assert_allclose(g2, 3.0 * x.asnumpy())  # the first one's result
    xs = x.asnumpy()
    t = np.tanh(2 * xs)
    np.testing.assert_allclose(plain, t + xs * 2 * (1 - t * t), rtol=1e-12)
    np.testing.assert_allclose(got, t + 3.0 * xs * 2 * (1 - t * t), rtol=1e-12)
    assert "backward_pre_hook" in ops.grad(outer).source(x)
    seen.clear()
    assert float(outer(x).asnumpy()) == pytest.approx(float(np.sum(t * xs)))  # eager: no run
    assert not seen
    h1.remove()
    h2.remove()
    np.testing.assert_allclose(ops.grad(outer)(x).asnumpy(), plain)


def test_backward_hooks_see_the_output_a_forward_hook_left():
    # MindSpore 2.10: grad_output is the gradient of the output after the forward hooks
    x = Tensor(np.array([0.5, -1.0, 0.25]))
    inner, seen = nn.Tanh(), {}
    inner.register_forward_hook(lambda cell, inputs, o: o + o)
    inner.register_backward_pre_hook(lambda cell, g: seen.setdefault("pre", g[0].asnumpy()))
    inner.register_backward_hook(
        lambda cell, gi, go: seen.update(gi=gi[0].asnumpy(), go=go[0].asnumpy()))
    got = ops.grad(_Scaled(inner))(x).asnumpy()
    xs = x.asnumpy()
    t = np.tanh(2 * xs)
    np.testing.assert_allclose(seen["pre"], xs)
    np.testing.assert_allclose(seen["go"], xs)
    np.testing.assert_allclose(seen["gi"], 2 * xs * (1 - t * t))
    np.testing.assert_allclose(got, 2 * t + 2 * xs * 2 * (1 - t * t), rtol=1e-12)
    want = numerical_grad(lambda v: np.sum(2 * np.tanh(2 * v) * v), (xs,))
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_print_in_differentiated_code_prints_tensors():
    lines = []

    def f(x):
        y = x * 2.0
        print("y:", y, (y,), file=_Sink(lines))
        return ops.sum(y)

    ops.grad(f)(Tensor(np.array([1.0, 2.0], np.float32)))
    eager = []
    y = Tensor(np.array([2.0, 4.0], np.float32))
    print("y:", y, (y,), file=_Sink(eager))
    assert lines == eager and "Tensor(shape=[2], dtype=Float32" in "".join(lines)


class _Sink:
    def __init__(self, out):
        self.out = out

    def write(self, text):
        self.out.append(text)


def test_hooks_registered_after_the_first_compile_are_seen_and_cost_no_guard():
    net = Net()
    loss = lambda x: net(x)  # noqa: E731
    grad = ops.grad(loss)
    plain = grad(X).asnumpy()
    handle = net.fc.register_forward_hook(lambda cell, inputs, output: output * 2.0)
    w, b = net.fc.weight.asnumpy(), net.fc.bias.asnumpy()
    doubled = numerical_grad(lambda x: np.sum(np.tanh(2.0 * (x @ w.T + b)) ** 2),
                             (X.asnumpy(),))
    np.testing.assert_allclose(grad(X).asnumpy(), doubled, rtol=1e-6, atol=1e-10)
    handle.remove()
    np.testing.assert_allclose(grad(X).asnumpy(), plain)
    # the hooks are read as part of the Cell's structure, not by a guard checked per call
    from autograd_st.compiler import frontend  # noqa: PLC0415 - the cache under test
    guards = [str(g) for fir in frontend._IR_CACHE.values() for g in fir.guards]
    assert not [g for g in guards if re.search(r"\._(forward_pre|forward|backward)_hooks ", g)]
