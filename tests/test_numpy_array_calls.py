"""``np.array`` / ``np.asarray`` / ``np.float64(...)`` of values being differentiated in a
plain numpy function: an array copied (or itself), a list or tuple of arrays stacked (nested
too), cast to a dtype.  These gave a gradient of zeros, silently (the list was handed to
numpy's own call with no gradient); each is checked against the direct call and central
differences in float64."""
import numpy as np
import pytest
from helpers import assert_close

from autograd_st import numerical_grad, ops
from autograd_st.errors import CompileError


def stacked(a):
    return (np.array([a[0], a[1] * 2.0, np.sin(a[0])]) ** 2).sum()


def nested(a):
    m = np.array([[a[0, 0], a[0, 1]], [a[1, 1] * 3.0, a[1, 0]]])
    return np.linalg.det(m) + (np.asarray((a[0], a[1])) * m).sum()


def copied(a):
    b = np.array(a)
    b[0] = b[0] * 5.0
    return (b * a).sum()


def same_array(a):
    return (np.asarray(a, dtype=np.float64) ** 3).sum() + np.float64(a.sum()) * 2.0


def cast_through(a):
    return (np.array([a, a * a], dtype=np.float64) * a).sum() + np.float32(a).sum()


@pytest.mark.parametrize("fn", [stacked, nested, copied, same_array, cast_through],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("shape", [(2, 2), (2, 3)])
def test_value_and_gradient(fn, shape):
    if fn is nested and shape != (2, 2):
        return
    a = np.random.default_rng(sum(shape)).uniform(-1.0, 1.0, shape)
    value, grad = ops.value_and_grad(fn)(a)
    assert_close(value, fn(a.copy()), 1e-12, 1e-12)
    if fn is cast_through:  # (a float32 term: steps above its rounding)
        assert_close(grad, numerical_grad(fn, (a,), 0, eps=1e-3), 2e-4, 2e-4)
    else:
        assert_close(grad, numerical_grad(fn, (a,), 0), 1e-6, 1e-7)


def test_stack_gradient_by_hand():
    a = np.array([0.5, -1.5])
    g = ops.grad(lambda x: np.array([x, x * 3.0]).sum())(a)
    np.testing.assert_allclose(g, [4.0, 4.0])


def test_a_list_mixing_constants_is_refused_with_the_rewrite():
    def mixed(a):
        return np.array([a[0], 1.0]).sum()
    with pytest.raises(CompileError, match="ops.full_like"):
        ops.grad(mixed)(np.array([0.5, 2.0]))
