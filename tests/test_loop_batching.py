"""Loop batching in the lowering (compiler/lower_loops.py, runtime_loops.py): a loop's tape
stacked into arrays, weight gradients summed after the backward loop, the scattered
read-back added in place, invariant work hoisted.  Each test compares the batched code's
gradients with the unbatched path's (``lower_loops.ENABLED[0] = False``) and with float64
central finite differences, and reads the generated source to see which form ran."""
import os
import pathlib
import re
import sys
import types

import numpy as np
import pytest
from helpers import numeric

from autograd_st import Parameter, Tensor, compiler, nn, ops
from autograd_st.compiler import lower_loops
from autograd_st.runtime_loops import (
    accumulate_at,
    accumulate_tn_rows,
    accumulate_to_rows,
    matmul_rows,
    sum_to_each,
    sum_to_rows,
    tape_put,
    tape_put_as,
    tape_put_next,
)

sys.path.insert(0, str(pathlib.Path(__file__).parent.parent / "tools" / "bench"))
import workloads  # noqa: E402

GOLDEN = pathlib.Path(__file__).parent / "golden"
UPDATE = os.environ.get("AUTOGRAD_ST_UPDATE_GOLDEN") == "1"


def grads_and_source(fn, args, batched, **kw):
    """``ops.grad(fn, **kw)(*args)`` as numpy arrays, and the lowered source, compiled with
    the batching on or off."""
    lower_loops.ENABLED[0] = batched
    # a fresh function object: ops.grad remembers the gradient of a function it has seen
    fn = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__,
                            fn.__closure__)
    try:
        compiler.clear_caches()
        with compiler.capture() as stages:
            out = ops.grad(fn, **kw)(*[Tensor(a) for a in args])
    finally:
        lower_loops.ENABLED[0] = True
        compiler.clear_caches()
    outs = out if isinstance(out, tuple) else (out,)
    return [o.asnumpy() for o in outs], "\n".join(stages.get("lowered", []))


def both(fn, args, **kw):
    """The batched and unbatched gradients (asserted equal) and the batched source."""
    got, src = grads_and_source(fn, args, True, **kw)
    ref, plain = grads_and_source(fn, args, False, **kw)
    assert len(got) == len(ref)
    for a, b in zip(got, ref):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    return got, src, plain


# ---------------------------------------------------------------------------------------
# an RNN written as a function: the W4 pattern
# ---------------------------------------------------------------------------------------

def rnn(xs, h, wx, wh, b):
    for t in range(xs.shape[0]):
        h = ops.tanh(ops.matmul(xs[t], wx) + ops.matmul(h, wh) + b)
    return ops.sum(h * h)


def rnn_np(xs, h, wx, wh, b):
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ wx + h @ wh + b)
    return np.sum(h * h)


def rnn_args(steps, seed=0, batch=3, nin=4, nh=5):
    r = np.random.default_rng(seed)
    return [r.standard_normal((steps, batch, nin)), r.standard_normal((batch, nh)) * 0.5,
            r.standard_normal((nin, nh)) * 0.5, r.standard_normal((nh, nh)) * 0.5,
            r.standard_normal(nh) * 0.1]


@pytest.mark.parametrize("steps", [0, 1, 2, 7])
def test_rnn_gradients_match_unbatched_and_finite_differences(steps):
    args = rnn_args(steps)
    got, src, plain = both(rnn, args, grad_position=(0, 1, 2, 3, 4))
    for pos in range(5):
        np.testing.assert_allclose(got[pos], numeric(rnn_np, args, pos), rtol=1e-6, atol=1e-7)
    # the batched forms were emitted (and the unbatched code has none of them)
    for form in ("tape_put_next(", "accumulate_tn_rows(", "accumulate_to_rows(",
                 "matmul_rows(", "accumulate_at("):
        assert form in src, form
        assert form not in plain, form
    # no list of tuples left, but the shapes' one (a tuple of shapes per step)
    assert "_tape.append(" not in src and "_tape.append(" in plain
    assert "_tape_shapes.append((getattr(" in src


def test_rnn_batched_source_reads_as_the_backward_with_the_sums_after_the_loop():
    _, src, _ = both(rnn, rnn_args(3), grad_position=(2, 3, 4))
    lines = [ln.strip() for ln in src.splitlines()]
    walk = next(i for i, ln in enumerate(lines) if ln.startswith("for _k in range("))
    end = next(i for i in range(walk + 1, len(lines))
               if not src.splitlines()[i].startswith(" " * 8))
    body, after = lines[walk:end], lines[end:]
    # no per-step weight products left in the backward loop; one per weight after it
    assert not any("accumulate_tn(" in ln for ln in body)
    assert sum(ln.startswith("d_wx = accumulate_tn_rows(") for ln in after) == 1
    assert sum(ln.startswith("d_wh = accumulate_tn_rows(") for ln in after) == 1
    assert sum(ln.startswith("d_b = accumulate_to_rows(") for ln in after) == 1
    # the input projection of all steps before the forward loop, read by row in it
    assert any(ln.startswith("matmul_rows_") and "= matmul_rows(xs, " in ln for ln in lines)


def test_w4_dump_reads_as_the_rnn_backward():
    """The benchmark's W4 (an nn.Cell, weights as Parameters): golden dump."""
    w = workloads.get("W4")
    xs, h0, wx, wh, b = w.make(small=True, dtype=np.float64)
    net = workloads.RNN(wx, wh, b, steps=xs.shape[0])
    compiler.clear_caches()
    text = ops.value_and_grad(net, None, net.trainable_params()).source(Tensor(xs), Tensor(h0))
    path = GOLDEN / "w4_rnn_value_and_grad.py.txt"
    if UPDATE or not path.exists():
        path.write_text(text)
    assert text == path.read_text(), "generated code changed: diff it, then update"
    assert "d_self_wx = accumulate_tn_rows(" in text and "matmul_rows(xs, 6, self_wx)" in text
    # and it computes the hand-written gradients
    _, grads = ops.value_and_grad(net, None, net.trainable_params())(Tensor(xs), Tensor(h0))
    _, ref = w.hand(xs, h0, wx, wh, b)
    for a, r in zip(grads, ref):
        np.testing.assert_allclose(a.asnumpy(), r, rtol=1e-10, atol=1e-12)


class RNNCell(nn.Cell):
    def __init__(self, steps):
        super().__init__()
        r = np.random.default_rng(3)
        self.wx = Parameter(Tensor(r.standard_normal((4, 5)) * 0.5), name="wx")
        self.wh = Parameter(Tensor(r.standard_normal((5, 5)) * 0.5), name="wh")
        self.b = Parameter(Tensor(r.standard_normal(5) * 0.1), name="b")
        self.steps = steps

    def construct(self, xs, h):
        for t in range(self.steps):
            h = ops.tanh(ops.matmul(xs[t], self.wx) + ops.matmul(h, self.wh) + self.b)
        return ops.sum(h)


class Outer(nn.Cell):
    """The loop inside a sub-Cell: a forward/backward pair, the tape a residual."""

    def __init__(self, steps):
        super().__init__()
        self.rnn = RNNCell(steps)

    def construct(self, xs, h):
        return self.rnn(xs, h) * 2.0


@pytest.mark.parametrize("steps", [0, 1, 4])
def test_a_sub_cell_pair_keeps_its_stacked_tape_as_a_residual(steps):
    r = np.random.default_rng(1)
    xs, h = r.standard_normal((max(steps, 1), 2, 4)), r.standard_normal((2, 5))
    out = {}
    for batched in (True, False):
        lower_loops.ENABLED[0] = batched
        try:
            compiler.clear_caches()
            net = Outer(steps)
            g = ops.value_and_grad(net, (0, 1), net.trainable_params())
            src = g.source(Tensor(xs), Tensor(h))
            _, (ins, ws) = g(Tensor(xs), Tensor(h))
        finally:
            lower_loops.ENABLED[0] = True
            compiler.clear_caches()
        out[batched] = [a.asnumpy() for a in ins + ws], src
    assert "tape_put_next(" in out[True][1] and "accumulate_tn_rows(" in out[True][1]
    for a, b in zip(out[True][0], out[False][0]):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    wx, wh, b = (p.asnumpy() for p in (net.rnn.wx, net.rnn.wh, net.rnn.b))

    def f(xs_, h_, wx_, wh_, b_):
        for t in range(steps):
            h_ = np.tanh(xs_[t] @ wx_ + h_ @ wh_ + b_)
        return 2.0 * np.sum(h_)
    args = [xs, h, wx.copy(), wh.copy(), b.copy()]
    for pos, got in enumerate(out[True][0]):
        np.testing.assert_allclose(got, numeric(f, args, pos), rtol=1e-6, atol=1e-7)


# ---------------------------------------------------------------------------------------
# loops that fall back
# ---------------------------------------------------------------------------------------

def with_break(x, w):
    s = x
    for t in range(5):
        if ops.sum(s) > 3.0:
            break
        s = ops.sin(ops.matmul(s, w)) + x
    return ops.sum(s)


def with_continue(x, w):
    s = x
    for t in range(5):
        if t == 2:
            continue
        s = ops.sin(ops.matmul(s, w)) + x
    return ops.sum(s)


def with_while(x, w):
    s = x
    k = 0
    while k < 4:
        s = ops.sin(ops.matmul(s, w)) + x
        k = k + 1
    return ops.sum(s)


@pytest.mark.parametrize("fn", [with_break, with_continue, with_while],
                         ids=["break", "continue", "while"])
def test_loops_left_early_or_of_unknown_trip_count_are_right(fn):
    r = np.random.default_rng(2)
    args = [r.standard_normal((2, 3)) * 0.3, r.standard_normal((3, 3)) * 0.5]
    got, src, plain = both(fn, args, grad_position=(0, 1))

    def f(x, w):
        return fn(Tensor(x), Tensor(w)).asnumpy().item()
    for pos in (0, 1):
        np.testing.assert_allclose(got[pos], numeric(f, args, pos), rtol=1e-6, atol=1e-8)
    if fn is with_while:  # a while loop's trip count is not known when it starts
        assert ".append(" in src and "tape_put" not in src


def test_a_taped_value_whose_shape_changes_falls_back_to_a_list():
    def f(x):
        s = x[0] * 0.0
        for t in range(x.shape[0]):
            y = x[t] * x[: t + 1].sum()  # a (t + 1)-row slice taped for its gradient
            s = s + ops.sin(y) + ops.sum(ops.cos(x[: t + 1]))
        return ops.sum(s)

    def f_np(x):
        s = x[0] * 0.0
        for t in range(x.shape[0]):
            s = s + np.sin(x[t] * x[: t + 1].sum()) + np.sum(np.cos(x[: t + 1]))
        return np.sum(s)
    x = np.random.default_rng(4).standard_normal((4, 3)) * 0.5
    got, src, _ = both(f, [x])
    assert "tape_put(" in src
    np.testing.assert_allclose(got[0], numeric(f_np, [x], 0), rtol=1e-6, atol=1e-8)


def test_nested_loops():
    def f(x, w):
        s = x
        for i in range(3):
            for j in range(2):
                s = ops.tanh(ops.matmul(s, w) * (i + 1) + x[j])
        return ops.sum(s * s)

    def f_np(x, w):
        s = x
        for i in range(3):
            for j in range(2):
                s = np.tanh((s @ w) * (i + 1) + x[j])
        return np.sum(s * s)
    r = np.random.default_rng(5)
    args = [r.standard_normal((3, 3)) * 0.5, r.standard_normal((3, 3)) * 0.5]
    got, src, _ = both(f, args, grad_position=(0, 1))
    # both backward loops walk stacked rows
    assert len(re.findall(r"for _k(_\d+)? in range\(", src)) == 2
    for pos in (0, 1):
        np.testing.assert_allclose(got[pos], numeric(f_np, args, pos), rtol=1e-6, atol=1e-8)


def test_second_order_through_a_loop_is_unchanged():
    """grad of grad: the inner gradient is built to be differentiated again and never
    lowered; the outer one is batched."""
    def f(x):
        s = x
        for t in range(3):
            s = ops.sin(s) * x
        return ops.sum(s)

    def g(x):
        return ops.sum(ops.grad(f)(x) * x)

    x = np.array([0.3, -0.7, 1.1])
    got, src, _ = both(g, [x])

    def g_np(x):
        eps = 1e-6

        def f_np(x):
            s = x
            for t in range(3):
                s = np.sin(s) * x
            return np.sum(s)
        return np.sum(numeric(f_np, [x.copy()], 0, eps) * x)
    np.testing.assert_allclose(got[0], numeric(g_np, [x], 0, 1e-4), rtol=1e-4, atol=1e-5)


def test_the_read_back_of_x_t_is_added_in_place():
    def f(x):
        s = x[0] * 0.0
        for t in range(x.shape[0]):
            s = s + ops.sin(x[t]) * x[t]
        return ops.sum(s)

    def f_np(x):
        return np.sum(np.sin(x) * x)
    x = np.random.default_rng(6).standard_normal((6, 2))
    got, src, plain = both(f, [x])
    assert "accumulate_at(d_x, t, " in src and "ungetitem(" in plain
    np.testing.assert_allclose(got[0], numeric(f_np, [x], 0), rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------------------------------
# the runtime helpers on their own
# ---------------------------------------------------------------------------------------

def test_tape_put_stacks_arrays_and_falls_back_to_a_list():
    a, b = np.ones((2, 3), np.float32), np.full((2, 3), 2.0, np.float32)
    buf = tape_put(None, 0, 3, a)
    assert isinstance(buf, np.ndarray) and buf.shape == (3, 2, 3) and buf.dtype == np.float32
    buf = tape_put(buf, 1, 3, b)
    assert buf[1].sum() == 12.0
    # another shape (or dtype): a list of n entries, the rows so far kept
    odd = np.zeros(4)
    lst = tape_put(buf, 2, 3, odd)
    assert isinstance(lst, list) and len(lst) == 3
    np.testing.assert_array_equal(lst[0], a)
    np.testing.assert_array_equal(lst[1], b)
    assert lst[2] is odd
    assert isinstance(tape_put(tape_put(None, 0, 2, a), 1, 2, b.astype(np.float64)), list)
    # not arrays (shapes, ints), or one row: a list
    assert tape_put(None, 0, 3, (2, 3)) == [(2, 3), None, None]
    assert isinstance(tape_put(None, 0, 1, a), list)
    # the backward order: first record at the last row
    assert isinstance(tape_put(None, 2, 3, a), np.ndarray)


def test_tape_put_next_and_put_as():
    h0, h1, h2 = (np.full((2,), v) for v in (0.0, 1.0, 2.0))
    buf = tape_put_next(None, 0, 2, h0, h1)
    buf = tape_put_next(buf, 1, 2, h1, h2)
    np.testing.assert_array_equal(buf, [[0, 0], [1, 1], [2, 2]])
    lst = tape_put_next(None, 0, 2, 0.0, h1)  # the value before the loop a number
    assert isinstance(lst, list) and lst[0] == 0.0 and lst[1] is h1
    rows = tape_put(None, 1, 2, h1)
    shared = tape_put_as(None, 1, 2, h1, h1, rows)
    assert shared is rows
    rows = tape_put(rows, 0, 2, h2)
    own = tape_put_as(shared, 0, 2, h0, h2, rows)  # no longer the same array: its own rows
    assert own is not rows
    np.testing.assert_array_equal(own, [[0, 0], [1, 1]])
    np.testing.assert_array_equal(rows, [[2, 2], [1, 1]])


def test_sum_to_rows_hands_the_rows_on_or_sums_each():
    r = np.random.default_rng(3)
    g = r.standard_normal((3, 2, 4))
    same = [((2, 4), (2, 4))] * 3
    assert sum_to_rows(g, 3, (same, 0), (same, 1)) is g  # every sum_to a no-op: no copy
    assert sum_to_rows(g, 3, ([(2, 4)] * 3, None)) is g  # a shape taped alone
    # one step's shape smaller: every row summed by sum_to, stacked as tape_put stacks
    mixed = [((2, 4), (1, 4)), ((2, 4), (1, 4)), ((2, 4), (1, 4))]
    got = sum_to_rows(g, 3, (mixed, 0), (mixed, 1))
    np.testing.assert_array_equal(got, g.sum(axis=1, keepdims=True))
    # shapes that change between steps (a list comes back), and rows kept as a list
    changing = [(4,), (2, 4), (2, 4)]
    got = sum_to_rows(list(g), 3, (changing, None))
    assert isinstance(got, list)
    np.testing.assert_array_equal(got[0], g[0].sum(axis=0))
    assert got[1] is not None and np.array_equal(got[1], g[1]) and np.array_equal(got[2], g[2])
    # only the first n steps count (a loop's rows may be longer)
    assert sum_to_rows(g[:2], 2, (mixed + [((9,), (9,))], 0)) is not None


def test_sum_to_each_is_two_sum_tos():
    g = np.arange(6.0).reshape(2, 3)
    assert sum_to_each(g, (2, 3), (2, 3)) is g
    np.testing.assert_array_equal(sum_to_each(g, (2, 3), (3,)), [3.0, 5.0, 7.0])
    np.testing.assert_array_equal(sum_to_each(g, (1, 3), (1, 1)), [[15.0]])
    assert sum_to_each(2.0, (), ()) == 2.0
    np.testing.assert_array_equal(sum_to_each(2.0, (), (2,)), [2.0, 2.0])


def rnn_row_input(xs, h, wx, wh, b):
    """The input projection of one row ``(1, nin)`` broadcast over the batch: its gradient is
    summed over the batch by ``sum_to`` in each step (the rows after the loop sum it too)."""
    for t in range(xs.shape[0]):
        h = ops.tanh(ops.matmul(xs[t][:1], wx) + ops.matmul(h, wh) + b)
    return ops.sum(h * h)


def rnn_row_input_np(xs, h, wx, wh, b):
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t][:1] @ wx + h @ wh + b)
    return np.sum(h * h)


@pytest.mark.parametrize("h_rows", [3, 1])
def test_weight_rows_made_after_the_loop_through_sum_to(h_rows):
    """The rows of a matmul's gradient that ``sum_to`` reduces (every step), or reduces only
    in the first step (``h`` of one row broadcast to three: its shapes change, its tape is a
    list), are made after the loop by ``sum_to_rows``: the same gradients as the unbatched
    code and as finite differences."""
    args = rnn_args(4, seed=5)
    args[1] = args[1][:h_rows]
    got, src, _ = both(rnn_row_input, args, grad_position=(0, 1, 2, 3, 4))
    for pos in range(5):
        np.testing.assert_allclose(got[pos], numeric(rnn_row_input_np, args, pos),
                                   rtol=1e-6, atol=1e-7)
    assert "sum_to_rows(" in src and "tape_put_as(" not in src


def test_the_w4_backward_step_makes_no_weight_rows_in_the_loop():
    _, src, _ = both(rnn, rnn_args(3), grad_position=(2, 3, 4))
    lines = src.splitlines()
    # (the last loop over _k: the general one; lower_rows puts a fast copy before it)
    walk = max(i for i, ln in enumerate(lines) if ln.strip().startswith("for _k in range("))
    end = next(i for i in range(walk + 1, len(lines)) if not lines[i].startswith(" " * 8))
    body = "\n".join(lines[walk:end])
    # the two sums of h's gradient (of ``a + b + c``) in one call, one row put
    assert body.count("sum_to_each(") == 1 and body.count(" sum_to(") == 0
    # its one row put: the step's gradient written into the rows of 1 - h * h (lower_rows)
    assert body.count("tape_put_row(") == 1 and body.count("tape_put(") == 0
    assert body.count("into_row(") == 1 and "tape_put_as(" not in body
    assert sum("= sum_to_rows(" in ln for ln in lines[end:]) == 2


def test_row_sums_equal_the_per_step_sums():
    r = np.random.default_rng(7)
    a, g = r.standard_normal((4, 3, 2)), r.standard_normal((4, 3, 5))
    w, bias = np.zeros((2, 5)), np.zeros(5)
    want_w = sum(a[k].T @ g[k] for k in range(4))
    np.testing.assert_allclose(accumulate_tn_rows(np.zeros((2, 5)), a, g, 4, w), want_w)
    np.testing.assert_allclose(accumulate_tn_rows(np.zeros((2, 5)), list(a), list(g), 4, w),
                               want_w)
    np.testing.assert_allclose(accumulate_tn_rows(np.zeros((2, 5)), a, g, 2, w),
                               a[0].T @ g[0] + a[1].T @ g[1])
    acc = np.ones((2, 5))
    assert accumulate_tn_rows(acc, None, None, 0, w) is acc
    np.testing.assert_allclose(accumulate_to_rows(np.zeros(5), g, 4, bias), g.sum(axis=(0, 1)))
    np.testing.assert_allclose(accumulate_to_rows(np.zeros(5), list(g), 4, bias),
                               g.sum(axis=(0, 1)))
    # rows of a batch large enough for BLAS (50 x 16 x 64, W4's bias): one product over
    # all rows, float32 and float64; a row slice (g_from), a view that is not contiguous,
    # a bias of (1, H) (summed by numpy)
    for dt, tol in ((np.float32, 2e-5), (np.float64, 1e-12)):
        big = r.standard_normal((51, 16, 64)).astype(dt)
        want = big[1:].astype(np.float64).sum(axis=(0, 1))
        got = accumulate_to_rows(np.ones(64, dt), big, 50, np.zeros(64, dt), 1)
        assert got.dtype == dt
        np.testing.assert_allclose(got, want + 1, rtol=tol, atol=tol * 50)
        got = accumulate_to_rows(np.zeros(16, dt), big.transpose(0, 2, 1), 51, np.zeros(16, dt))
        np.testing.assert_allclose(got, big.astype(np.float64).sum(axis=(0, 2)), rtol=tol,
                                   atol=tol * 50)
        got = accumulate_to_rows(np.zeros((1, 64), dt), big, 51, np.zeros((1, 64), dt))
        np.testing.assert_allclose(got, big.astype(np.float64).sum(axis=(0, 1))[None],
                                   rtol=tol, atol=tol * 50)
    # a per-step value smaller than the weight (broadcast up): row by row
    s = r.standard_normal(4)
    np.testing.assert_allclose(accumulate_to_rows(np.zeros(3), s, 4, np.zeros(3)),
                               np.full(3, s.sum()))


def test_accumulate_at_and_matmul_rows():
    x = np.zeros((4, 2))
    acc = np.zeros((4, 2))
    out = accumulate_at(acc, 2, np.array([1.0, 2.0]), x)
    assert out is acc and out[2].tolist() == [1.0, 2.0]
    out = accumulate_at(out, np.array([1, 1]), np.ones((2, 2)), x)  # repeated index: both added
    assert out[1].tolist() == [2.0, 2.0]
    f32 = accumulate_at(np.zeros((4, 2), np.float32), 0, np.ones(2), x)  # dtype changes: a sum
    assert f32.dtype == np.float64
    r = np.random.default_rng(8)
    xs, w = r.standard_normal((5, 3, 4)), r.standard_normal((4, 2))
    rows = matmul_rows(xs, 5, w)
    for t in range(5):
        np.testing.assert_allclose(rows[t], xs[t] @ w)
    lazy = matmul_rows(list(xs), 5, w)  # not an array: each row when read
    np.testing.assert_allclose(lazy[3], xs[3] @ w)
    with pytest.raises(IndexError):
        matmul_rows(xs, 7, w)[6]


def test_loop_invariant_work_is_hoisted_out_of_the_forward_loop():
    def f(xs, h, w, u):
        for t in range(xs.shape[0]):
            h = ops.tanh(ops.matmul(xs[t], ops.transpose(w, (1, 0))) + ops.matmul(h, u * 2.0))
        return ops.sum(h)

    def f_np(xs, h, w, u):
        for t in range(xs.shape[0]):
            h = np.tanh(xs[t] @ w.T + h @ (u * 2.0))
        return np.sum(h)
    r = np.random.default_rng(9)
    args = [r.standard_normal((4, 2, 3)), r.standard_normal((2, 5)),
            r.standard_normal((5, 3)) * 0.5, r.standard_normal((5, 5)) * 0.5]
    got, src, plain = both(f, args, grad_position=(0, 1, 2, 3))
    fwd_loop = re.search(r"\n +for t in range\(", src).start()  # (maybe in a fast copy's if)
    # the transpose and the scaled weight once, before the loop; the input projection of
    # every step in one product over the hoisted transpose; none of them taped per step
    for stmt in ("_transpose = np.transpose(w, (1, 0))", "_mul = u * 2.0",
                 "matmul_rows(xs, _getitem, _transpose)"):
        assert -1 < src.index(stmt) < fwd_loop, stmt
    # (unbatched: inside the loop)
    assert plain.index("_transpose = np.transpose(") > plain.index("\n    for t in range(")
    assert "tape_put(_tape_transpose" not in src and "tape_put(_tape_mul," not in src
    for pos in range(4):
        np.testing.assert_allclose(got[pos], numeric(f_np, args, pos), rtol=1e-6, atol=1e-8)


def test_loop_invariant_work_is_hoisted_out_of_the_backward_loop():
    def f(xs, w):
        s = xs[0] * 0.0
        for t in range(xs.shape[0]):
            s = s + ops.tanh(xs[t] * ops.maximum(w, 0.5))
        return ops.sum(s)

    def f_np(xs, w):
        return np.sum(np.tanh(xs * np.maximum(w, 0.5)))
    r = np.random.default_rng(10)
    args = [r.standard_normal((5, 3)), np.array([0.2, 0.7, 1.3])]
    got, src, plain = both(f, args, grad_position=(0, 1))
    walk = src.index("for _k in range(")
    # maximum's rule reads where w ties 0.5: once, before the backward loop
    assert -1 < src.index("_tie = w == 0.5") < walk
    assert plain.index("_tie = w == 0.5") > plain.index("in reversed(_tape)")
    for pos in (0, 1):
        np.testing.assert_allclose(got[pos], numeric(f_np, args, pos), rtol=1e-6, atol=1e-8)


def test_an_elementwise_weight_gradient_stays_accumulated_in_the_loop():
    """Only a matrix product's gradient (and a bias's sharing its rows) is summed after the
    loop: an element-wise weight's would keep a weight-sized array per step."""
    def f(x, w):
        y = x
        for _ in range(4):
            y = ops.tanh(y) * w
        return ops.sum(y)

    def f_np(x, w):
        y = x
        for _ in range(4):
            y = np.tanh(y) * w
        return np.sum(y)
    r = np.random.default_rng(11)
    args = [r.standard_normal(3), r.standard_normal(3)]
    got, src, _ = both(f, args, grad_position=(0, 1))
    assert "d_w = accumulate_to(d_w, " in src and "_rows(d_w" not in src
    for pos in (0, 1):
        np.testing.assert_allclose(got[pos], numeric(f_np, args, pos), rtol=1e-6, atol=1e-8)


SEEN = []


def test_nothing_is_hoisted_out_of_a_loop_with_a_statement_run_for_its_effect():
    def f(xs, w):
        s = xs[0] * 0.0
        for t in range(xs.shape[0]):
            SEEN.append(t)  # run for its effect: the loop may change what it reads
            s = s + ops.tanh(xs[t] * ops.maximum(w, 0.5))
        return ops.sum(s)
    r = np.random.default_rng(12)
    args = [r.standard_normal((3, 2)), np.array([0.2, 0.9])]
    SEEN.clear()
    got, src, _ = both(f, args, grad_position=(0, 1))
    assert SEEN == [0, 1, 2] * 2  # once per compile and call: batched, then unbatched
    loop = src.index("\n    for t in range(")
    assert src.index("_maximum = np.maximum(w, 0.5)") > loop  # still in the loop
    want = np.tanh(args[0] * np.maximum(args[1], 0.5))
    np.testing.assert_allclose(got[0], (1 - want ** 2) * np.maximum(args[1], 0.5), rtol=1e-12)


def test_rows_arrays_are_reused_only_when_nothing_refers_to_them():
    from autograd_st import runtime_loops
    shape = (3, 64, 256)  # 192 KiB of float32: pooled
    a = runtime_loops._empty(shape, np.float32)
    first = id(a)
    del a
    b = runtime_loops._empty(shape, np.float32)
    assert id(b) == first  # nothing referred to it: handed out again
    view = b[1]  # a row still read somewhere: the array is not handed out
    c = runtime_loops._empty(shape, np.float32)
    assert c is not b and np.shares_memory(view, b) and not np.shares_memory(view, c)
    small = runtime_loops._empty((4, 4), np.float32)  # small ones: numpy's own allocation
    assert all(small is not x for kept in runtime_loops._POOL.values() for x in kept)
    # a gradient computed twice through pooled rows: the same numbers, fresh arrays
    args = rnn_args(40, batch=16, nin=32, nh=64)
    g = ops.grad(rnn, grad_position=(2, 3, 4))
    one = [x.asnumpy().copy() for x in g(*[Tensor(x) for x in args])]
    two = g(*[Tensor(x) for x in args])
    for x, y in zip(one, two):
        np.testing.assert_array_equal(x, y.asnumpy())
