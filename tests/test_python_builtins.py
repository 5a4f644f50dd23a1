"""Python's numeric builtins on values being differentiated: ``abs(x)`` and ``pow(x, y)`` are
numpy's ``abs`` and ``power`` (their gradients checked against central differences in
float64, broadcasting shapes included); ``pow`` with a modulus is refused by its signature."""
import numpy as np
import pytest
from helpers import assert_close

from autograd_st import Tensor, numerical_grad, ops
from autograd_st.errors import CompileError


def powers(x, y):
    return (pow(x, 2) + pow(2.0, x) + pow(x, y) + abs(x - y)).sum()


@pytest.mark.parametrize("xs, ys", [((3,), (3,)), ((2, 3), (3,)), ((2, 1), (1, 4)), ((), ())])
def test_pow_and_abs(xs, ys):
    rng = np.random.default_rng(len(xs) + len(ys))
    x = rng.uniform(0.5, 2.0, xs)
    y = rng.uniform(-1.5, 1.5, ys)
    value, (gx, gy) = ops.value_and_grad(powers, (0, 1))(Tensor(x), Tensor(y))
    assert_close(value, powers(Tensor(x), Tensor(y)), 1e-12, 1e-12)
    ex, ey = numerical_grad(powers, (x, y), (0, 1))
    assert_close(gx, ex, 1e-6, 1e-7)
    assert_close(gy, ey, 1e-6, 1e-7)


def test_pow_by_hand():
    x = np.array([1.5, 2.0])
    # d/dx (x ** 3) = 3 x ** 2; d/dx 3 ** x = log(3) 3 ** x
    g = ops.grad(lambda a: (pow(a, 3) + pow(3.0, a)).sum())(x)
    np.testing.assert_allclose(g, 3 * x ** 2 + np.log(3.0) * 3.0 ** x, rtol=1e-12)


def test_pow_with_a_modulus_is_refused_at_the_call():
    def f(a):
        return pow(a, 2, 3).sum()
    with pytest.raises(CompileError, match="pow"):
        ops.grad(f)(np.array([1.0, 2.0]))
