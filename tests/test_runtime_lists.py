"""Lists appended to inside loops that stay loops (a trip count known only at run time).

The compiled code keeps such a list a Python list (``outs = []``, ``list_append(outs, h)``),
and its gradient a list of gradients (``grad_pop`` per append, walked back to front).  Every
value here is compared with the direct call, every gradient with float64 central differences
(``numerical_grad``, ``check_grads``); what is not supported is refused at the user's line.
"""
from __future__ import annotations

import inspect

import numpy as np
import pytest

from autograd_st import Parameter, Tensor, check_grads, nn, numerical_grad, ops
from autograd_st.errors import UnsupportedSyntaxError
from autograd_st.runtime import GradList

try:
    from .helpers import assert_close, check_value_and_grads
except ImportError:
    from helpers import assert_close, check_value_and_grads


def _line(fn, text):
    """The file line of the first line of ``fn``'s source that contains ``text``."""
    lines, start = inspect.getsourcelines(fn)
    for i, line in enumerate(lines):
        if text in line:
            return start + i
    raise AssertionError(text)


def _rng(seed=0):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------------------------------
# the RNN of the issue, read after the loop in each supported way
# ---------------------------------------------------------------------------------------

class RNN(nn.Cell):
    def __init__(self, read="stack"):
        super().__init__()
        self.read = read
        self.w = Parameter(Tensor(np.array([[0.5, -0.2], [0.1, 0.3]])), name="w")

    def construct(self, x):
        h = x[0] * 0.0
        outs = []
        for t in range(x.shape[0]):
            h = ops.tanh(ops.matmul(h, self.w) + x[t])
            outs.append(h)
        if self.read == "stack":
            return ops.stack(outs).sum()
        if self.read == "stack1":
            return (ops.stack(outs, 1) * ops.stack(outs, 1)).sum()
        if self.read == "concat":
            return (ops.concat(outs, 1) ** 2).sum() + ops.cat(outs).sum()
        if self.read == "last":
            return outs[-1].sum() * 2.0 + outs[0].sum()
        if self.read == "len":
            return ops.stack(outs).sum() * len(outs)
        if self.read == "for":
            s = x[0].sum() * 0.0
            for o in outs:
                s = s + (o * o).sum()
            return s
        if self.read == "tuple":
            return ops.stack(tuple(outs), 2).sum() + ops.stack(list(outs)).mean()
        if self.read == "numpy":
            return np.stack(outs, axis=1).sum() + np.concatenate(outs, axis=0).mean()
        return (ops.stack(outs).sum() + outs[-1].sum() + ops.concat(outs).sum()
                + len(outs))


READS = ["stack", "stack1", "concat", "last", "len", "for", "tuple", "numpy", "all"]


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("steps", [1, 2, 6])
def test_rnn_value_and_gradients(read, steps):
    net = RNN(read)
    x = Tensor(_rng(steps).standard_normal((steps, 3, 2)))
    direct = net(x)
    value, (gx, (gw,)) = ops.value_and_grad(net, 0, net.trainable_params())(x)
    assert_close(value, direct)
    assert_close(gx, numerical_grad(net, (x,)), 1e-6, 1e-7)
    assert_close(gw, numerical_grad(net, (x,), None, net.trainable_params())[0], 1e-6, 1e-7)


def test_one_compile_serves_every_trip_count():
    net = RNN("all")
    g = ops.grad(net, 0, net.trainable_params())
    first = g.source(Tensor(np.ones((2, 3, 2))))
    for steps in (1, 4, 9):
        x = Tensor(_rng(steps).standard_normal((steps, 3, 2)))
        gx, (gw,) = g(x)
        assert_close(gx, numerical_grad(net, (x,)), 1e-6, 1e-7)
        assert g.source(x) == first  # the same code: the loop is a loop
    # the forward keeps a Python list, appended to once per iteration; the backward pops
    # one gradient per iteration off the list of gradients
    assert "outs = []" in first
    assert "for t in range(" in first
    # (twice where the loop has a fast copy, compiler/lower_step.py: once in each)
    assert first.count("list_append(") == (2 if "fwd_rows(" in first else 1)
    assert "grad_pop(" in first and "grad_unstack(" in first and "grad_item(" in first
    assert "# outs.append(h)" in first and "# grad of: outs.append(h)" in first


# ---------------------------------------------------------------------------------------
# a GRU-like cell collecting its outputs, stacked along axis 1
# ---------------------------------------------------------------------------------------

class GRULike(nn.Cell):
    def __init__(self, n_in=3, n_h=4):
        super().__init__()
        rng = _rng(7)
        self.wz = Parameter(Tensor(rng.standard_normal((n_in + n_h, n_h)) * 0.4), name="wz")
        self.wh = Parameter(Tensor(rng.standard_normal((n_in + n_h, n_h)) * 0.4), name="wh")
        self.b = Parameter(Tensor(rng.standard_normal((n_h,)) * 0.1), name="b")
        self.n_h = n_h

    def construct(self, x):  # x: (B, T, n_in)
        h = x[:, 0, :1] * self.b * 0.0  # zeros, (B, n_h)
        outs = []
        for t in range(x.shape[1]):
            xh = ops.concat((x[:, t], h), 1)
            z = ops.sigmoid(ops.matmul(xh, self.wz) + self.b)
            c = ops.tanh(ops.matmul(xh, self.wh))
            h = z * h + (1.0 - z) * c
            outs.append(h)
        y = ops.stack(outs, 1)  # (B, T, n_h)
        return (y * y).mean() + y[:, -1].sum()


@pytest.mark.parametrize("steps", [1, 3, 5])
def test_gru_like_stacked_along_axis_1(steps):
    net = GRULike()
    x = Tensor(_rng(steps).standard_normal((2, steps, 3)))
    direct = net(x)
    value, (gx, gws) = ops.value_and_grad(net, 0, net.trainable_params())(x)
    assert_close(value, direct)
    assert_close(gx, numerical_grad(net, (x,)), 1e-6, 1e-7)
    for g, expected in zip(gws, numerical_grad(net, (x,), None, net.trainable_params())):
        assert_close(g, expected, 1e-6, 1e-7)


# ---------------------------------------------------------------------------------------
# while loops, lists with items before the loop, trip count 0, nested loops, branches
# ---------------------------------------------------------------------------------------

def while_collect(x, w):
    h = x[0]
    outs = [h * w]  # an item before the loop
    i = 0
    while i < x.shape[0]:
        h = ops.sin(h * w + x[i])
        outs.append(h)
        i = i + 1
    return ops.stack(outs).sum() + outs[-1].sum() * outs[0].sum() + len(outs)


def maybe_empty(x, w):
    outs = [w * 2.0, ops.exp(w)]
    for t in range(x.shape[0] - 2):  # 0 iterations for 2 rows (and fewer)
        outs.append(x[t] * w)
    return ops.concat(outs).sum() * len(outs) + outs[-1].sum()


def nested(x, w):
    outs = []
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            outs.append(ops.tanh(x[i, j] * w))
    return (ops.stack(outs) ** 2).sum() + outs[len(outs) - 1].sum()


def in_branches(x, w):
    outs = []
    for t in range(x.shape[0]):
        if x[t].sum() > 0.0:
            outs.append(x[t] * w)
        else:
            outs.append(ops.exp(x[t] * 0.5) * w)
    return ops.stack(outs, 1).sum()


def read_in_loop(x, w):
    outs = [w]
    for t in range(x.shape[0]):
        outs.append(outs[-1] * x[t] + ops.sin(outs[0]))
    return ops.stack(outs).sum()


def two_loops(x, w):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t] * w)
    for t in range(x.shape[0]):
        outs.append(ops.cos(outs[t]))
    return ops.stack(outs).sum()


def inactive_items(x, w):
    outs = []
    for t in range(x.shape[0]):
        outs.append(ops.ones_like(x[t]) * 2.0)  # an item with no gradient
        outs.append(x[t] * w)
    return (ops.stack(outs) ** 2).sum()


def one_branch(x, w):
    outs = [w]
    for t in range(x.shape[0]):
        if x[t].sum() > 0.0:  # appended on one path only: the list's length is a run-time
            outs.append(x[t] * w)  # value
    return ops.stack(outs).sum() * len(outs) + outs[-1].sum()


def twice_per_iteration(x, w):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t] * w)
        outs.append(ops.sin(outs[-1]) * x[t])
        outs.extend((x[t] * 2.0, ops.cos(outs[-2])))
    return (ops.stack(outs, 1) ** 2).sum()


def fresh_each_iteration(x, w):
    s = w.sum()
    for t in range(x.shape[0]):
        tmp = []  # a new list per iteration of the outer loop, filled by the inner one
        for k in range(x.shape[1]):
            tmp.append(x[t, k] * s * w[k])
        s = s + ops.stack(tmp).sum() * 0.1
    return s


COLLECTING = [fresh_each_iteration, while_collect, maybe_empty, nested, in_branches, read_in_loop, two_loops,
              inactive_items, one_branch, twice_per_iteration]
NEEDS_A_ROW = (while_collect, nested, in_branches, two_loops, inactive_items,
               twice_per_iteration)


@pytest.mark.parametrize("fn", COLLECTING)
@pytest.mark.parametrize("rows", [0, 1, 2, 4])
def test_collecting_loops(fn, rows):
    x = _rng(rows).uniform(-1.0, 1.0, (rows, 3))
    w = _rng(rows + 10).uniform(0.2, 0.9, (3,))
    if rows == 0 and fn in NEEDS_A_ROW:  # x[0], or a stack of no item: raises directly too
        with pytest.raises((IndexError, ValueError)):
            fn(Tensor(x), Tensor(w))
        with pytest.raises((IndexError, ValueError)):
            ops.grad(fn, (0, 1))(Tensor(x), Tensor(w))
        return
    check_value_and_grads(fn, x, w)


def test_trip_count_zero_with_an_empty_list():
    def f(x, w):
        outs = []
        for t in range(x.shape[0]):
            outs.append(x[t] * w)
        return w.sum() * len(outs)

    for rows in (0, 3):
        x = np.ones((rows, 2))
        w = np.array([0.5, 2.0])
        value, gw = ops.value_and_grad(f, 1)(Tensor(x), Tensor(w))
        assert float(value) == pytest.approx(2.5 * rows)
        assert_close(gw, np.full(2, float(rows)))


# ---------------------------------------------------------------------------------------
# a sub-Cell's forward/backward pair
# ---------------------------------------------------------------------------------------

class Encoder(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(_rng(3).standard_normal((2, 2)) * 0.5), name="w")

    def construct(self, x):
        h = x[0] * 0.0
        outs = []
        for t in range(x.shape[0]):
            h = ops.tanh(ops.matmul(h, self.w) + x[t])
            outs.append(h)
        return ops.stack(outs, 1), h


class Model(nn.Cell):
    def __init__(self):
        super().__init__()
        self.enc = Encoder()

    def construct(self, x):
        ys, h = self.enc(x)
        return (ys ** 2).sum() + h.sum()


def test_inside_a_sub_cell():
    net = Model()
    x = Tensor(_rng(4).standard_normal((4, 3, 2)))
    value, (gx, (gw,)) = ops.value_and_grad(net, 0, net.trainable_params())(x)
    assert_close(value, net(x))
    assert_close(gx, numerical_grad(net, (x,)), 1e-6, 1e-7)
    assert_close(gw, numerical_grad(net, (x,), None, net.trainable_params())[0], 1e-6, 1e-7)


# ---------------------------------------------------------------------------------------
# what is refused, at the user's line
# ---------------------------------------------------------------------------------------

def collect(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(ops.sin(x[t]))  # LINE append
    return ops.stack(outs).sum()


def _assert_refused_at(err, fn, text, what):
    assert isinstance(err, SyntaxError)
    assert err.filename == __file__
    assert err.lineno == _line(fn, text)
    message = str(err)
    assert what in message and "hint:" in message and "^" in message


def test_forward_mode_is_refused_at_the_append():
    x = Tensor(np.ones((3, 2)))
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.jvp(collect, (x,), (x,))
    _assert_refused_at(info.value, collect, "LINE append", "forward mode")


def test_second_order_is_refused():
    x = np.ones((3, 2))
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.grad(ops.grad(collect))(Tensor(x))
    assert "a derivative of a derivative" in str(info.value)
    assert info.value.filename == __file__
    with pytest.raises(UnsupportedSyntaxError):
        check_grads(collect, (x,), order=2, modes=("rev",))


def pops(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t])
    return outs.pop(0).sum()  # LINE pop


def as_array(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t])
    return (outs * 2.0).sum()  # LINE array


def printed(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t])
    print(outs)  # LINE print
    return x.sum()


def list_items(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append([x[t]])  # LINE items
    return x.sum()


def two_names(x):
    outs = []
    alias = outs
    for t in range(x.shape[0]):  # LINE two-names
        alias.append(x[t])
    return ops.stack(outs).sum()


def held_in_tuple(x):
    outs = [x[0]]
    pair = (outs, 1)
    for t in range(x.shape[0]):  # LINE held
        outs.append(x[t])
    return ops.stack(pair[0]).sum()


def tuple_grows(x):  # (at its end, ys + (v,), a run-time list: tests/test_runtime_tuples.py)
    ys = ()
    for t in range(x.shape[0]):  # LINE tuple
        ys = (x[t],) + ys
    return ops.stack(ys).sum()


@pytest.mark.parametrize("fn, tag, what", [
    (pops, "LINE pop", "outs.pop(...) is not supported on a list built at run time"),
    (as_array, "LINE array", "using outs as an array (in mul) is not supported"),
    (printed, "LINE print", "print(outs) is not supported on a list built at run time"),
    (list_items, "LINE items", "appending a list, tuple or dict (to outs) is not supported"),
    (tuple_grows, "LINE tuple", "this loop changes 'ys' from a tuple of 0 items"),
    (two_names, "LINE two-names", "giving the list two names (outs, alias) is not supported"),
    (held_in_tuple, "LINE held", "holding outs inside a tuple, list or dict (pair) is not"),
])
def test_unsupported_uses_are_refused(fn, tag, what):
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.grad(fn)(Tensor(np.ones((3, 2))))
    _assert_refused_at(info.value, fn, tag, what)


def test_gradient_lists_add_item_by_item():
    a = GradList([np.ones(2), None, None])
    b = GradList([None, np.ones(2) * 2.0, None])
    total = a + b
    assert isinstance(total, GradList)
    assert_close(total[0], np.ones(2))
    assert_close(total[1], np.full(2, 2.0))
    assert total[2] is None
    with pytest.raises(ValueError, match="changed length"):
        a + GradList([None])


def loop_slices(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t] * x[t])
    tail = outs[1:]
    tail.append(x[0])  # a slice is a new list: appending to it leaves outs as it was
    return ops.stack(tail).sum() + ops.stack(outs[::-2]).sum() * 2.0 + len(outs)


@pytest.mark.parametrize("n", [1, 2, 5])
def test_slices_of_a_list_built_in_a_loop(n):
    x = Tensor(np.linspace(-1.0, 1.0, 2 * n).reshape(n, 2))
    xd = x.asnumpy()
    want = 2 * xd.copy()
    want[0] = 0.0
    want[0] += 1.0  # tail's x[0]
    want[n - 1::-2] += 2 * 2 * xd[n - 1::-2]
    got = ops.value_and_grad(loop_slices)(x)
    np.testing.assert_allclose(got[1].asnumpy(), want, rtol=1e-12)
    value = (xd[1:] ** 2).sum() + xd[0].sum() + 2 * (xd[::-2] ** 2).sum() + n
    np.testing.assert_allclose(float(got[0].asnumpy()), value, rtol=1e-12)
