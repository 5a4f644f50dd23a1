"""Tensor in-place methods (``z.add_(y)``) in differentiated code: the name is bound to the
new value, so loops, branches and the gradient see it; a parameter of the function is
written at run time too; a value another name also holds is refused.  References: central
finite differences and hand-derived values."""
import numpy as np
import pytest
from helpers import assert_close, numeric

from autograd_st import Tensor, grad, nn, ops
from autograd_st.errors import UnsupportedSyntaxError

X = np.array([2.0, 1.0, 0.5], np.float32)
Y = np.array([3.0, 4.0, -1.0], np.float32)


def loop_branch(x, y):
    z = x * 2.0
    for i in range(3):
        z.add_(y * i)
    if (z > 100).any():
        z.mul_(2)
    else:
        z.sub_(y, alpha=0.5)
    return (z * z * x).sum()


def temp_chain(x, y):
    z = x * y
    w = z * x
    z.mul_(y)
    z.add_(w)
    z.masked_fill_(z > 40, 1.5)
    return (ops.sin(z) * x).sum()


def on_input(x, y):
    x.div_(y)
    return (x * x).sum()


@pytest.mark.parametrize("fn", [loop_branch, temp_chain, on_input])
def test_matches_finite_differences(fn):
    def f(*args):
        return float(fn(*(Tensor(np.array(a, np.float32)) for a in args)).asnumpy())  # (copies: on_input writes x)

    value, (dx, dy) = ops.value_and_grad(fn, (0, 1))(Tensor(X.copy()), Tensor(Y.copy()))
    assert_close(value, f(X, Y), rtol=1e-6)
    assert_close(dx, numeric(f, [X, Y], 0, eps=1e-3), rtol=2e-3, atol=2e-3)
    assert_close(dy, numeric(f, [X, Y], 1, eps=1e-3), rtol=2e-3, atol=2e-3)


def test_by_hand_and_input_written():
    # loop_branch: z = 2x + 3y = [13, 14, -2] (no entry above 100), then z - y / 2
    z = 2 * X + 3 * Y - Y / 2
    assert_close(ops.grad(loop_branch, 0)(Tensor(X), Tensor(Y)), z * z + 4 * z * X, rtol=1e-6)
    # the caller's Tensor is written, as the eager call writes it
    x = Tensor(X.copy())
    dx = ops.grad(on_input, 0)(x, Tensor(Y))
    assert_close(x, X / Y, rtol=1e-6)
    assert_close(dx, 2 * X / Y / Y, rtol=1e-6)


class Net(nn.Cell):
    def construct(self, x, y):
        out = (x + y) * x
        return out.add_(y)


def test_returned_in_place_value_in_a_cell():
    dx, dy = grad(Net(), grad_position=(0, 1))(Tensor(X), Tensor(Y))
    assert_close(dx, 2 * X + Y, rtol=1e-6)
    assert_close(dy, X + 1, rtol=1e-6)


def test_aliased_value_refused():
    def aliased(x, y):
        z = x * 1.0
        w = z
        z.add_(y)
        return (w * z).sum()

    with pytest.raises(UnsupportedSyntaxError, match="add_"):
        ops.grad(aliased)(Tensor(X), Tensor(Y))


def _viewed_then_written(x, y):
    z = x * y
    r = z.reshape(3)  # numpy: a view of z, which the write would change too
    z.add_(1.0)
    return (r * r).sum()


def _view_written(x, y):
    z = x * y
    r = z[1:]
    r.mul_(2.0)
    return (z * z).sum()


def _listed_then_written(x, y):
    z = x * y
    outs = []
    outs.append(z)
    z.add_(1.0)
    return (outs[0] * y).sum()


@pytest.mark.parametrize("fn", [_viewed_then_written, _view_written, _listed_then_written])
def test_shared_storage_refused_or_exact(fn):
    """A value whose storage something else shares: refused, or (where the compiler can
    follow it) the numbers of the eager call."""
    def f(*args):
        return float(fn(*(Tensor(np.array(a, np.float32)) for a in args)).asnumpy())

    try:
        value, (dx, dy) = ops.value_and_grad(fn, (0, 1))(Tensor(X.copy()), Tensor(Y.copy()))
    except UnsupportedSyntaxError as e:
        assert "writes into its Tensor" in str(e)
        return
    assert_close(value, f(X, Y), rtol=1e-6)
    assert_close(dx, numeric(f, [X, Y], 0, eps=1e-3), rtol=2e-3, atol=2e-3)
    assert_close(dy, numeric(f, [X, Y], 1, eps=1e-3), rtol=2e-3, atol=2e-3)
