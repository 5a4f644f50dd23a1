"""``x[i] = v`` and ``x[i] += v`` in differentiated code (``normalize_stmts.set_item``): a
Tensor gets a new value (a copy with ``v`` written), in straight code, branches and loops
over a run-time trip count; values and gradients are the direct call's and central
differences'; a function parameter's array is written as MindSpore's PyNative mode writes
it; a value left behind by the write (another name, a view) is refused where it is read."""
from __future__ import annotations

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Tensor, nn, numerical_grad, ops
from autograd_st.errors import UnsupportedSyntaxError
from tests.helpers import assert_close


def straight(x):
    y = x * 2.0
    y[:, 0:1] = ops.tanh(y[:, 0:1]) * 3.0  # xcit's x[:, 0:1] = norm(x[:, 0:1])
    y[1] += x[0] * x[0]
    y[-1, ::2] = 0.5
    return (y * x).sum()


def in_branches(x):
    y = x * 1.0
    if x.sum() > 0:
        y[0] = y[0] * 3.0
    else:
        y[1] += 2.0
    return (y * x).sum()


def in_runtime_loop(x):
    h = x * 0.0
    for t in range(x.shape[1]):
        h[:, t] = ops.tanh(x[:, t] + h[:, t - 1] * 0.5)
    return (h * h).sum()


def containers(x):
    d = {}
    d["a"] = x * 2.0
    ys = [x, x * 3.0]
    ys[1] = ys[1] * d["a"]
    for k in range(2):  # (a constant trip count: unrolled)
        d["a"] = d["a"] + x[k]
    return (d["a"] * ys[1]).sum()


FUNCS = [straight, in_branches, in_runtime_loop, containers]


@pytest.mark.parametrize("fn", FUNCS)
@pytest.mark.parametrize("shape", [(3, 4), (2, 5)])
def test_values_and_gradients(fn, shape):
    for sign in (1.0, -1.0):  # (both branches of in_branches)
        x = sign * np.abs(np.random.default_rng(sum(shape)).uniform(0.1, 1.0, shape))
        value, gx = ops.value_and_grad(fn)(Tensor(x))
        assert_close(value, fn(Tensor(x)))
        assert_close(gx, numerical_grad(fn, (Tensor(x),)), 1e-6, 1e-8)


def test_hand_derived_gradient():
    # y = 2x except y[0] = 6 x[0]: d/dx sum(y * x) = 4x, and 12 x[0] on row 0
    def f(x):
        y = x * 2.0
        y[0] = x[0] * 6.0
        return (y * x).sum()
    x = np.arange(6.0).reshape(2, 3)
    expected = 4.0 * x
    expected[0] = 12.0 * x[0]
    assert_close(ops.grad(f)(Tensor(x)), expected)


def test_parameter_written_in_place():
    def f(x):
        x[0] = x[0] * 2.0
        return (x * x).sum()
    x = np.array([[1.0, -2.0], [3.0, 0.5]])
    t = Tensor(x.copy())
    g = ops.grad(f)(t)
    assert_close(t, np.array([[2.0, -4.0], [3.0, 0.5]]))  # the caller's array, written
    assert_close(g, np.array([[8.0, -16.0], [6.0, 1.0]]))  # of f at the input it was given


class Block(nn.Cell):
    """A class-attention block's pattern: only the first token is normalized."""

    def __init__(self):
        super().__init__()
        self.norm = nn.LayerNorm((4,))
        self.fc = nn.Dense(4, 4)

    def construct(self, x):
        x = self.fc(x)
        x[:, 0:1] = self.norm(x[:, 0:1])
        return (x * x).sum()


def test_cell_weights_through_a_written_slice():
    net = Block()
    for p in net.trainable_params():
        p.set_dtype(ms.float64)
    x = Tensor(np.random.default_rng(1).uniform(-1, 1, (2, 3, 4)))
    value, grads = ms.value_and_grad(net, None, net.trainable_params())(x)
    assert_close(value, net(x))
    for p, g in zip(net.trainable_params(), grads):
        w0, fd = p.asnumpy().copy(), np.zeros(p.shape)
        for k in np.ndindex(*p.shape):
            for sgn in (1, -1):
                w = w0.copy()
                w[k] += sgn * 1e-6
                p.set_data(Tensor(w))
                fd[k] += sgn * float(net(x).asnumpy()) / 2e-6
            p.set_data(Tensor(w0))
        assert_close(g, fd, 1e-5, 1e-7)


def test_a_value_left_behind_is_refused_where_it_is_read():
    def f(x):
        y = x * 2.0
        z = y[0]  # a view: numpy would show it the write
        y[0] = x[1]
        return (z * y).sum()  # LINE
    with pytest.raises(UnsupportedSyntaxError, match=r"a value read after y\[\.\.\.\] = \.\.\.") \
            as info:
        ops.grad(f)(Tensor(np.ones((2, 3))))
    assert "hint:" in str(info.value)

    def alias(x):
        y = x * 2.0
        w = y
        y[0] = 0.0
        return (w * x).sum()
    with pytest.raises(UnsupportedSyntaxError, match="a value read after"):
        ops.grad(alias)(Tensor(np.ones((2, 3))))
