"""Objects of the user's own classes called like functions (``__call__``: a loss functor, an
activation object): compiled like the user's functions, as a method of the user's own class
is (what they read of themselves is guarded); one that changes itself runs as it is."""
import numpy as np
import pytest
from helpers import assert_close

from autograd_st import Tensor, nn, numerical_grad, ops
from autograd_st.errors import NoDerivativeError


class Scaled:
    def __init__(self, k):
        self.k = k

    def __call__(self, x):
        return ops.tanh(x) * self.k


class SquaredError:
    def __call__(self, pred, target):
        return ((pred - target) ** 2).mean()


class Counting:
    def __init__(self):
        self.calls = 0

    def __call__(self, x):
        self.calls += 1
        return x * 2.0


FNS = [Scaled(0.5), Scaled(2.0)]
LOSS = SquaredError()


def through_functors(x):
    return sum(f(x).sum() for f in FNS) + LOSS(np.sin(x), x * 0.5)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.act = Scaled(1.5)
        self.loss = SquaredError()

    def construct(self, x, t):
        return self.loss(self.act(x), t)


def _data(shape, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, shape)


@pytest.mark.parametrize("shape", [(3,), (2, 3)], ids=str)
def test_functors_are_compiled(shape):
    data = _data(shape)
    value, grad = ops.value_and_grad(through_functors)(data)
    assert_close(value, through_functors(data), 1e-12, 1e-12)
    assert_close(grad, numerical_grad(through_functors, (data,), 0), 1e-6, 1e-7)


def test_what_a_functor_reads_of_itself_is_guarded():
    g = ops.grad(through_functors)
    data = _data((2, 2), 1)
    g(data)
    FNS[1].k = -3.0
    try:
        assert_close(g(data), numerical_grad(through_functors, (data,), 0), 1e-6, 1e-7)
    finally:
        FNS[1].k = 2.0


def test_functors_held_by_a_cell():
    net = Net()
    x, t = _data((2, 3), 2), _data((2, 3), 3)
    gx = ops.grad(net)(Tensor(x), Tensor(t))
    assert_close(gx, numerical_grad(lambda a: net(Tensor(a), Tensor(t)), (x,), 0), 1e-6, 1e-7)


def test_a_functor_that_changes_itself_runs_as_it_is():
    counting = Counting()

    def f(x):
        return counting(x).sum()
    with pytest.raises(NoDerivativeError, match="counting has no derivative rule"):
        ops.grad(f)(_data((3,)))
