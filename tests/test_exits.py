"""Early return, break and continue (lowered by compiler/desugar.py) differentiate correctly:
gradients against closed forms and central finite differences in float64."""
import numpy as np
import pytest

from autograd_st import Parameter, Tensor, nn, numerical_grad, ops
from autograd_st.errors import UnsupportedSyntaxError


def early_return(x):
    if x.sum() > 0:
        return (x * x).sum()
    y = ops.exp(x)
    return y.sum()


def nested_early_return(x):
    if x.sum() > 0:
        if x.max() > 2.0:
            return ops.sin(x).sum()
        z = x * 3.0
    else:
        z = x * x
    return (z * x).sum()


def break_at_three(x):
    s = x * 0.0
    for i in range(10):
        if i >= 3:
            break
        s = s + ops.sin(x * i)
    return s.sum()


def break_on_tensor_value(x):
    s = x * 0.0
    for i in range(20):
        s = s + x * x
        if s.sum() > 10.0:
            break
    return s.sum()


def continue_on_odd(x):
    s = x * 0.0
    for i in range(6):
        if i % 2 == 1:
            continue
        s = s + x ** (i + 1)
    return s.sum()


def return_in_while(x):
    while x.sum() < 100.0:
        x = x * 1.5
        if x.max() > 20.0:
            return (x * x).sum()
    return x.sum()


def return_in_nested_loop(x):
    s = x * 0.0
    for i in range(4):
        for j in range(4):
            s = s + x * (i + j)
            if s.sum() > 30.0:
                return (s * x).sum()
    return s.sum()


def break_in_inner_loop_only(x):
    s = x * 0.0
    for i in range(3):
        for j in range(5):
            if j > i:
                break
            s = s + ops.tanh(x * j)
    return s.sum()


FUNCS = [early_return, nested_early_return, break_at_three, break_on_tensor_value,
         continue_on_odd, return_in_while, return_in_nested_loop, break_in_inner_loop_only]
INPUTS = [np.array([0.35, 0.7]), np.array([-0.4, -0.9]), np.array([1.2, 2.5]),
          np.array([3.0, 0.5])]


POSITIVE_ONLY = {return_in_while}  # with a negative sum it would loop forever, as in Python
CASES = [(fn, x) for fn in FUNCS for x in INPUTS if fn not in POSITIVE_ONLY or (x > 0).all()]


@pytest.mark.parametrize("fn, x", CASES,
                         ids=["%s-%s" % (fn.__name__, x.tolist()) for fn, x in CASES])
def test_gradient_matches_finite_differences(fn, x):
    got = ops.grad(fn)(Tensor(x)).asnumpy()
    np.testing.assert_allclose(got, numerical_grad(fn, (Tensor(x),)), rtol=1e-5, atol=1e-6)
    # the value is Python's too
    value, _ = ops.value_and_grad(fn)(Tensor(x))
    assert float(value.asnumpy()) == pytest.approx(float(fn(Tensor(x)).asnumpy()), rel=1e-12)


def test_closed_forms():
    x = np.array([1.0, 2.0])
    # break after i = 0, 1, 2: d/dx sum(sin(0 x) + sin(x) + sin(2x)) = cos(x) + 2 cos(2x)
    np.testing.assert_allclose(ops.grad(break_at_three)(Tensor(x)).asnumpy(),
                               np.cos(x) + 2 * np.cos(2 * x))
    # continue on odd i: s = x + x^3 + x^5
    np.testing.assert_allclose(ops.grad(continue_on_odd)(Tensor(x)).asnumpy(),
                               1 + 3 * x ** 2 + 5 * x ** 4)


def test_break_stops_the_loop():
    """A for over range that breaks becomes a while on its counter: it does not idle on."""
    src = ops.grad(break_at_three).source(Tensor(np.array([1.0])))
    code = [line for line in src.splitlines() if not line.strip().startswith("#")]
    assert any("while" in line for line in code)
    assert not any("range(10)" in line for line in code)


# -- a for with break whose body indexes a CellList by the counter: unrolled, each copy
# under "if not <broke>:" (desugar's unrollable_form), the counter after the loop the value
# of the iteration that broke

class _Scale(nn.Cell):
    def __init__(self, k):
        super().__init__()
        self.w = Parameter(Tensor(np.linspace(-0.5, 0.8, 3) * k), name="w")

    def construct(self, x):
        return ops.tanh(x * self.w)


class EarlyExitStack(nn.Cell):
    """Blocks applied until the running sum passes a threshold (an early-exit network)."""

    def __init__(self, threshold, n=4):
        super().__init__()
        self.threshold = threshold
        self.n = n
        self.blocks = nn.CellList([_Scale(k + 1.0) for k in range(n)])

    def construct(self, x):
        for i in range(self.n):
            x = self.blocks[i](x) + x
            if x.sum() > self.threshold:
                break
        return x.sum() * (i + 1)


class EarlyReturnStack(EarlyExitStack):
    def construct(self, x):
        for i in range(self.n):
            x = self.blocks[i](x) * 1.5 + x
            if x.max() > self.threshold:
                return (x * x).sum() + i
        return x.sum()


def _exit_iteration(net, x):
    """Which iteration the loop left at, by running the blocks eagerly."""
    for i in range(net.n):
        x = net.blocks[i](x) + x
        if float(x.sum().asnumpy()) > net.threshold:
            return i
    return None


@pytest.mark.parametrize("cls", [EarlyExitStack, EarlyReturnStack])
@pytest.mark.parametrize("threshold", [-100.0, 0.5, 2.0, 3.5, 100.0])
def test_cell_list_indexed_in_loop_with_break(cls, threshold):
    net = cls(threshold)
    x = Tensor(np.array([0.3, -0.2, 0.9]))
    value, (gx, gw) = ops.value_and_grad(net, 0, net.trainable_params())(x)
    assert float(value.asnumpy()) == pytest.approx(float(net(x).asnumpy()), rel=1e-12)
    np.testing.assert_allclose(gx.asnumpy(), numerical_grad(net, (x,)), rtol=1e-6, atol=1e-8)
    for k, p in enumerate(net.trainable_params()):
        def at(w, p=p):
            old = p.asnumpy().copy()
            p.set_data(Tensor(w))
            try:
                return float(net(x).asnumpy())
            finally:
                p.set_data(Tensor(old))
        w0, eps, fd = p.asnumpy().copy(), 1e-6, np.zeros(3)
        for j in range(3):
            e = np.zeros(3)
            e[j] = eps
            fd[j] = (at(w0 + e) - at(w0 - e)) / (2 * eps)
        np.testing.assert_allclose(gw[k].asnumpy(), fd, rtol=1e-6, atol=1e-8)


def test_cell_list_loop_breaks_at_each_iteration():
    """The thresholds above leave the loop at different iterations (so the test covers a
    break at the first, a middle and no iteration), and the counter after it is that one."""
    x = Tensor(np.array([0.3, -0.2, 0.9]))
    exits = {t: _exit_iteration(EarlyExitStack(t), x) for t in (-100.0, 0.5, 2.0, 3.5, 100.0)}
    assert exits[-100.0] == 0 and exits[100.0] is None
    assert len(set(exits.values())) >= 4
    for t, i in exits.items():
        net = EarlyExitStack(t)
        last = net.n - 1 if i is None else i
        x2 = x
        for k in range(last + 1):
            x2 = net.blocks[k](x2) + x2
        assert float(net(x).asnumpy()) == pytest.approx(float(x2.sum().asnumpy()) * (last + 1))


def test_cell_list_loop_with_runtime_length_is_refused():
    class Net(EarlyExitStack):
        def construct(self, x):
            for i in range(x.shape[0]):
                x = self.blocks[i](x) + x
                if x.sum() > self.threshold:
                    break
            return x.sum()

    with pytest.raises(UnsupportedSyntaxError, match="range whose length is not a constant"):
        ops.grad(Net(1.0))(Tensor(np.array([0.3, -0.2, 0.9])))
