"""A stacked forward loop's step written into its tape rows (compiler/lower_step.py; helper
fwd_rows in runtime_loops.py).  Each end-to-end test compares the value and the gradients
with the pass on and off (bit for bit: a ufunc or matmul with ``out=`` runs the loop it runs
without) and with float64 central finite differences, on biases that broadcast, carried
values whose shape changes, trip counts 0, 1, 2 and 7, mixed dtypes, a loop left early and
steps that read a value again after the chain that would overwrite it."""
import types

import numpy as np
import pytest
from helpers import numeric
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autograd_st import Tensor, compiler, ops
from autograd_st.compiler import lower_step
from autograd_st.runtime_loops import as_row, fwd_rows


def run(fn, args, on, pos):
    lower_step.ENABLED[0] = on
    fn = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__,
                            fn.__closure__)
    try:
        compiler.clear_caches()
        with compiler.capture() as stages:
            value, grads = ops.value_and_grad(fn, grad_position=pos)(*[Tensor(a) for a in args])
    finally:
        lower_step.ENABLED[0] = True
        compiler.clear_caches()
    grads = grads if isinstance(grads, tuple) else (grads,)
    return value.asnumpy(), [g.asnumpy() for g in grads], "\n".join(stages.get("lowered", []))


def check(fn, fn_np, args, pos, fast=True, rtol=1e-6, atol=1e-7):
    """Value and gradients with the pass on equal (bitwise) those with it off, and finite
    differences; the source with it on, and whether it has a fast copy."""
    v_on, got, src = run(fn, args, True, pos)
    v_off, ref, plain = run(fn, args, False, pos)
    np.testing.assert_array_equal(v_on, v_off)
    for a, b in zip(got, ref):
        np.testing.assert_array_equal(a, b)
        assert a.dtype == b.dtype
    for i, p in enumerate(pos):
        np.testing.assert_allclose(got[i], numeric(fn_np, args, p), rtol=rtol, atol=atol)
    assert "fwd_rows(" not in plain
    assert ("fwd_rows(" in src) == fast
    return src


def rnn(xs, h, wx, wh, b):
    for t in range(xs.shape[0]):
        h = ops.tanh(ops.matmul(xs[t], wx) + ops.matmul(h, wh) + b)
    return ops.sum(h * h)


def rnn_np(xs, h, wx, wh, b):
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ wx + h @ wh + b)
    return np.sum(h * h)


def rnn_args(steps, batch=3, h_shape=None, b_shape=(5,), seed=0, dtype=np.float64):
    r = np.random.default_rng(seed)
    nin, nh = 4, 5
    return [a.astype(dtype) for a in (
        r.standard_normal((steps, batch, nin)), r.standard_normal(h_shape or (batch, nh)) * 0.5,
        r.standard_normal((nin, nh)) * 0.5, r.standard_normal((nh, nh)) * 0.5,
        r.standard_normal(b_shape) * 0.1)]


@pytest.mark.parametrize("steps", [0, 1, 2, 7])
@pytest.mark.parametrize("b_shape", [(5,), (1, 5), (3, 5)])
def test_rnn_step_into_its_row_for_every_trip_count_and_bias_shape(steps, b_shape):
    args = rnn_args(steps, b_shape=b_shape)
    src = check(rnn, rnn_np, args, (0, 1, 2, 3, 4))
    # the matmul into the carried value's row, + and tanh in place, no shape taped per step
    assert "np.matmul(h_1, wh, out=_tape_h_1[t + 1])" in src
    assert "np.tanh(_add_1, out=_add_1)" in src
    assert "_tape_shapes = [(_row, _row, _row)] * _tape_n" in src
    # the bias broadcast to the row once before the loop, read in the step
    assert "b_row = as_row(b, _row)" in src and "np.add(_add, b_row, out=_add)" in src
    # and the run time check takes the copy exactly when it is the same arithmetic
    rows = args[0][:steps] @ args[2]
    got = fwd_rows(steps, (args[1],), (rows,), (args[3],), (args[4],), 0)
    assert (got is not None) == (steps >= 2)
    if got is not None:
        assert got[0] == (3, 5) and got[1].shape == (steps + 1, 3, 5)
        np.testing.assert_array_equal(got[1][0], args[1])


@pytest.mark.parametrize("steps", [1, 3])
def test_batch_one_and_h_that_grows_to_the_batch(steps):
    check(rnn, rnn_np, rnn_args(steps, batch=1), (1, 2, 3, 4))
    # h of shape (5,): the first step broadcasts it to the batch, fwd_rows refuses (the
    # projection's rows are (3, 5), not h's (5,)): the loop as it was
    args = rnn_args(steps, h_shape=(5,))
    check(rnn, rnn_np, args, (1, 2, 3, 4))
    assert fwd_rows(steps, (args[1],), (args[0][:steps] @ args[2],), (args[3],),
                    (args[4],), 0) is None


def test_h_of_one_axis_and_a_bias_wider_than_the_row():
    def f(xs, h, w, b):
        for t in range(xs.shape[0]):
            h = ops.tanh(ops.matmul(h, w) + xs[t] + b)
        return ops.sum(h)

    def f_np(xs, h, w, b):
        for t in range(xs.shape[0]):
            h = np.tanh(h @ w + xs[t] + b)
        return np.sum(h)
    r = np.random.default_rng(2)
    args = [r.standard_normal((5, 4)), r.standard_normal(4) * 0.5,
            r.standard_normal((4, 4)) * 0.5, r.standard_normal(4) * 0.1]
    src = check(f, f_np, args, (0, 1, 2, 3))  # (rows of (4,): the copy runs)
    assert "out=_tape_h_1[t + 1]" in src
    assert fwd_rows(5, (args[1],), (args[0],), (args[2],), (args[3],), 0) is not None
    # a bias of (2, 4) grows the row: the check refuses, the loop runs as it was
    args[3] = r.standard_normal((2, 4)) * 0.1
    check(f, f_np, args, (0, 1, 2, 3))
    assert fwd_rows(5, (args[1],), (args[0],), (args[2],), (args[3],), 0) is None


def test_float32_state_with_float64_weights_runs_the_loop_as_it_was():
    args = rnn_args(4)
    args[1] = args[1].astype(np.float32)  # h float32, the rest float64: h grows to float64
    check(rnn, rnn_np, args, (1, 2, 3, 4))
    assert fwd_rows(4, (args[1],), (args[0][:4] @ args[2],), (args[3],), (args[4],), 0) \
        is None
    # all float32: the copy runs, float32 rows
    args = rnn_args(4, dtype=np.float32)
    check(rnn, rnn_np, args, (2, 3, 4), rtol=2e-3, atol=2e-4)
    got = fwd_rows(4, (args[1],), (args[0][:4] @ args[2],), (args[3],), (args[4],), 0)
    assert got[1].dtype == np.float32
    # a float64 bias on float32 rows, a Python number, a bool: checked at run time
    assert fwd_rows(4, (args[1],), (), (), (args[4].astype(np.float64),), 0) is None
    assert fwd_rows(4, (args[1],), (), (), (2.0, 3), 0) is not None
    assert fwd_rows(4, (args[1],), (), (), (True,), 0) is None
    assert fwd_rows(4, (args[1].astype(np.int64),), (), (), (), 0) is None


def test_a_loop_left_early_keeps_its_list():
    def f(xs, h, w):
        for t in range(xs.shape[0]):
            h = ops.tanh(ops.matmul(h, w) + xs[t])
            if t == 2:
                break
        return ops.sum(h)

    def f_np(xs, h, w):
        for t in range(xs.shape[0]):
            h = np.tanh(h @ w + xs[t])
            if t == 2:
                break
        return np.sum(h)
    r = np.random.default_rng(4)
    args = [r.standard_normal((6, 2, 3)), r.standard_normal((2, 3)) * 0.5,
            r.standard_normal((3, 3)) * 0.5]
    check(f, f_np, args, (0, 1, 2), fast=False)


def test_values_read_again_are_not_overwritten():
    # a (the matmul) is read after the sum that would overwrite it, and h (the carried
    # value: a view of row t) after the next value is written into row t + 1
    def f(xs, h, w, b):
        s = h * 0.0
        for t in range(xs.shape[0]):
            a = ops.matmul(h, w)
            z = a + xs[t] + b
            h2 = ops.tanh(z)
            s = s + a * h2 + h * 0.5
            h = h2
        return ops.sum(s) + ops.sum(h)

    def f_np(xs, h, w, b):
        s = h * 0.0
        for t in range(xs.shape[0]):
            a = h @ w
            z = a + xs[t] + b
            h2 = np.tanh(z)
            s = s + a * h2 + h * 0.5
            h = h2
        return np.sum(s) + np.sum(h)
    r = np.random.default_rng(5)
    args = [r.standard_normal((5, 2, 3)), r.standard_normal((2, 3)) * 0.5,
            r.standard_normal((3, 3)) * 0.5, r.standard_normal((1, 3)) * 0.1]
    src = check(f, f_np, args, (0, 1, 2, 3))
    fast = src[src.index("if _fwd"):src.index("else:", src.index("if _fwd"))]
    assert "a = np.matmul(h_1, w, out=_tape_a[t])" in fast  # (a is taped: its row)
    assert "out=a)" not in fast and "out=h_1)" not in fast
    assert "_add_2 = np.add(s_1, _mul_1, out=_mul_1)" in fast  # (s carried, not taped)


def test_a_taped_value_of_the_step_is_written_into_its_rows():
    # exp's output is taped (its gradient reads it): the matmul is made in its row
    def f(xs, h, w):
        for t in range(xs.shape[0]):
            e = ops.exp(ops.matmul(h, w) * 0.3)
            h = ops.tanh(e * xs[t])
        return ops.sum(h)

    def f_np(xs, h, w):
        for t in range(xs.shape[0]):
            e = np.exp((h @ w) * 0.3)
            h = np.tanh(e * xs[t])
        return np.sum(h)
    r = np.random.default_rng(6)
    args = [r.standard_normal((4, 2, 3)), r.standard_normal((2, 3)) * 0.5,
            r.standard_normal((3, 3)) * 0.5]
    src = check(f, f_np, args, (0, 1, 2))
    assert "out=_tape_e[t])" in src


def test_linear_in_the_step_and_as_the_input_projection():
    def f(xs, h, wx, wh, b):
        for t in range(xs.shape[0]):
            h = ops.tanh(ops.nn_func.linear(xs[t], wx, b) + ops.nn_func.linear(h, wh))
        return ops.sum(h)

    def f_np(xs, h, wx, wh, b):
        for t in range(xs.shape[0]):
            h = np.tanh(xs[t] @ wx.T + b + h @ wh.T)
        return np.sum(h)
    r = np.random.default_rng(8)
    args = [r.standard_normal((5, 2, 3)), r.standard_normal((2, 4)) * 0.5,
            r.standard_normal((4, 3)) * 0.5, r.standard_normal((4, 4)) * 0.5,
            r.standard_normal(4) * 0.1]
    check(f, f_np, args, (0, 1, 2, 3, 4))


def test_a_loop_in_a_loop():
    def f(xs, h, w):
        for i in range(2):
            for t in range(xs.shape[0]):
                h = ops.tanh(ops.matmul(h, w) + xs[t])
            h = h * 0.5
        return ops.sum(h)

    def f_np(xs, h, w):
        for i in range(2):
            for t in range(xs.shape[0]):
                h = np.tanh(h @ w + xs[t])
            h = h * 0.5
        return np.sum(h)
    r = np.random.default_rng(9)
    args = [r.standard_normal((3, 2, 3)), r.standard_normal((2, 3)) * 0.5,
            r.standard_normal((3, 3)) * 0.5]
    v_on, got, _ = run(f, args, True, (0, 1, 2))
    v_off, ref, _ = run(f, args, False, (0, 1, 2))
    np.testing.assert_array_equal(v_on, v_off)
    for i, p in enumerate((0, 1, 2)):
        np.testing.assert_array_equal(got[i], ref[i])
        np.testing.assert_allclose(got[i], numeric(f_np, args, p), rtol=1e-6, atol=1e-7)


def test_dense_rnn_batched_like_the_matmul_one():
    # nn.Dense's product (linear) in the step: the input projection of every step in one
    # product before the loop, the weights' gradients one product each after it; sizes past
    # the einsum size of linear (16 x 32 x 70), so the one-product branches run
    def f(xs, h, wx, wh, b):
        for t in range(xs.shape[0]):
            h = ops.tanh(ops.nn_func.linear(xs[t], wx, b) + ops.nn_func.linear(h, wh))
        return ops.sum(h * h)

    def f_np(xs, h, wx, wh, b):
        for t in range(xs.shape[0]):
            h = np.tanh(xs[t] @ wx.T + b + h @ wh.T)
        return np.sum(h * h)
    r = np.random.default_rng(11)
    nb, nin, nh = 16, 32, 70
    args = [r.standard_normal((3, nb, nin)), r.standard_normal((nb, nh)) * 0.5,
            r.standard_normal((nh, nin)) / np.sqrt(nin), r.standard_normal((nh, nh)) / nh,
            r.standard_normal(nh) * 0.1]
    src = check(f, f_np, args, (2, 3, 4), rtol=1e-5, atol=1e-7)
    for line in ("linear_rows_1 = linear_rows(xs, _getitem, wx, b)",
                 "d_wh = accumulate_dw_rows(d_wh, d_linear_1_rows, h_1_rows, _tape_n_1)",
                 "d_wx = accumulate_dw_rows(d_wx, d_linear_rows, getitem_1_rows, _tape_n_1)",
                 "d_b = accumulate_to_rows(d_b, d_linear_rows, _tape_n_1, b)"):
        assert line in src, line
    assert "accumulate(d_w" not in src


def test_linear_rows_and_accumulate_dw_rows():
    from autograd_st.kernels import linear, linear_dw
    from autograd_st.runtime_loops import accumulate_dw_rows, linear_rows
    r = np.random.default_rng(12)
    for dtype in (np.float32, np.float64):
        xs = r.standard_normal((5, 16, 32)).astype(dtype)
        w = r.standard_normal((40, 32)).astype(dtype)
        for b in (None, r.standard_normal(40).astype(dtype),
                  r.standard_normal((1, 40)).astype(dtype),
                  r.standard_normal((16, 40)).astype(dtype)):
            rows = linear_rows(xs, 4, w, b)
            assert isinstance(rows, np.ndarray) and rows.shape == (4, 16, 40)
            for t in range(4):  # each step's own product (BLAS blocks more rows its way)
                np.testing.assert_allclose(rows[t], linear(xs[t], w, b),
                                           rtol=1e-5 if dtype == np.float32 else 1e-13,
                                           atol=1e-5 if dtype == np.float32 else 1e-13)
    # small products (linear's einsum branch), a bias of another dtype or one that grows
    # the row, a list: each row when read, as the step computes it
    for xs_, w_, b_ in [(xs[:, :2, :3], w[:4, :3], None),
                        (xs, w, r.standard_normal(40).astype(np.float32)),
                        (xs, w, r.standard_normal((2, 16, 40))),
                        (list(xs), w, None)]:
        rows = linear_rows(xs_, 3, w_, b_)
        assert not isinstance(rows, np.ndarray)
        np.testing.assert_array_equal(rows[2], linear(xs_[2], w_, b_))
    g = r.standard_normal((4, 16, 40))
    x = r.standard_normal((5, 16, 32))
    want = sum(linear_dw(g[k], x[k + 1]) for k in range(4))
    np.testing.assert_allclose(accumulate_dw_rows(np.zeros((40, 32)), g, x, 4, x_from=1), want,
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(accumulate_dw_rows(np.zeros((40, 32)), list(g), list(x), 4,
                                                  x_from=1), want, rtol=1e-12, atol=1e-12)
    acc = np.ones((40, 32))
    assert accumulate_dw_rows(acc, g, x, 0) is acc


def _hand(xs, h, wx, wh, b):
    """The RNN's loss ``sum(h)`` and its gradients, written by hand (float64)."""
    hs = [h]
    for t in range(xs.shape[0]):
        hs.append(np.tanh(xs[t] @ wx + hs[-1] @ wh + b))
    dh = np.ones_like(hs[-1])
    dwx, dwh, db = np.zeros_like(wx), np.zeros_like(wh), np.zeros(hs[-1].shape)
    for t in range(xs.shape[0] - 1, -1, -1):
        dz = dh * (1 - hs[t + 1] ** 2)
        dwx += xs[t].T @ dz if dz.ndim == 2 else np.outer(xs[t], dz)
        dwh += np.outer(hs[t], dz) if hs[t].ndim == 1 and dz.ndim == 1 \
            else np.broadcast_to(hs[t], dz.shape).T @ dz
        db = db + dz if db.shape == dz.shape else np.broadcast_to(db, dz.shape) + dz
        dh = dz @ wh.T
        if hs[t].ndim < dh.ndim:
            dh = dh.sum(0)
    return np.sum(hs[-1]), (dwx, dwh, db.reshape(-1, db.shape[-1]).sum(0)
                            if b.ndim == 1 else db.sum(0, keepdims=True) if b.shape[0] == 1
                            else db)


def rnn_sum(xs, h, wx, wh, b):
    for t in range(xs.shape[0]):
        h = ops.tanh(ops.matmul(xs[t], wx) + ops.matmul(h, wh) + b)
    return ops.sum(h)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=st.integers(0, 7), batch=st.integers(1, 3), b_kind=st.sampled_from("h1b"),
       h_1d=st.booleans(), f32=st.booleans(), seed=st.integers(0, 1000))
def test_random_rnns_same_bits_and_the_hand_gradient(steps, batch, b_kind, h_1d, f32, seed):
    nh = 5
    b_shape = {"h": (nh,), "1": (1, nh), "b": (batch, nh)}[b_kind]
    if h_1d and b_kind == "b":
        b_shape = (nh,)
    args = rnn_args(steps, batch=batch, h_shape=(nh,) if h_1d else None, b_shape=b_shape,
                    seed=seed, dtype=np.float32 if f32 else np.float64)
    v_on, got, _ = run(rnn_sum, args, True, (2, 3, 4))
    v_off, ref, _ = run(rnn_sum, args, False, (2, 3, 4))
    np.testing.assert_array_equal(v_on, v_off)
    for a, r in zip(got, ref):
        np.testing.assert_array_equal(a, r)
    if h_1d:  # (the hand version is written for h of (batch, nh))
        return
    loss, hand = _hand(*[a.astype(np.float64) for a in args])
    tol = dict(rtol=2e-4, atol=2e-4) if f32 else dict(rtol=1e-9, atol=1e-10)
    np.testing.assert_allclose(v_on, loss, **tol)
    for a, r in zip(got, hand):
        np.testing.assert_allclose(a, r, **tol)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_ufuncs_written_into_a_row_give_their_own_bits(dtype):
    # what the copy relies on: a ufunc (tanh, exp...) or a matmul with out= a row of a
    # bigger array, at any offset, in place or not, gives the bits it gives into its own
    r = np.random.default_rng(13)
    for rows, cols in [(3, 5), (16, 64), (1, 7), (2, 33)]:
        x = (r.standard_normal((rows, cols)) * 3).astype(dtype)
        w = (r.standard_normal((cols, cols)) * 0.3).astype(dtype)
        buf = np.empty((4, rows, cols), dtype)
        for f in (np.tanh, np.exp, np.sin, np.negative):
            np.testing.assert_array_equal(f(x, out=buf[1]), f(x))
            buf[2] = x
            np.testing.assert_array_equal(f(buf[2], out=buf[2]), f(x))
        np.testing.assert_array_equal(np.matmul(x, w, out=buf[3]), np.matmul(x, w))
        buf[1] = x
        np.testing.assert_array_equal(np.matmul(buf[1], w, out=buf[2]), np.matmul(x, w))


def test_a_copy_of_a_taped_value_is_not_overwritten():
    def f(xs, h, w):
        s = h * 0.0
        for t in range(xs.shape[0]):
            h2 = ops.tanh(ops.matmul(h, w) + xs[t])
            y = h2
            s = s + (y + 1.0) * xs[t]
            h = h2
        return ops.sum(s * h)

    def f_np(xs, h, w):
        s = h * 0.0
        for t in range(xs.shape[0]):
            h2 = np.tanh(h @ w + xs[t])
            y = h2
            s = s + (y + 1.0) * xs[t]
            h = h2
        return np.sum(s * h)
    r = np.random.default_rng(14)
    args = [r.standard_normal((4, 2, 3)), r.standard_normal((2, 3)) * 0.5,
            r.standard_normal((3, 3)) * 0.5]
    src = check(f, f_np, args, (0, 1, 2))
    fast = src[src.index("if _fwd"):src.index("else:", src.index("if _fwd"))]
    assert "out=h2)" not in fast and "out=y)" not in fast and "out=h_1)" not in fast


@pytest.mark.parametrize("b_shape", [(3,), (1, 3), (2, 3)])
def test_a_bias_times_the_loop_index_is_checked_once(b_shape):
    # self.b * i (LoopNet): of the bias's shape at every step, its shape taped once
    def f(x, w, b):
        for i in range(4):
            x = ops.tanh(ops.matmul(x, w) + b * i - 0.5 * b)
        return ops.sum(x * x)

    def f_np(x, w, b):
        for i in range(4):
            x = np.tanh(x @ w + b * i - 0.5 * b)
        return np.sum(x * x)
    r = np.random.default_rng(15)
    args = [r.standard_normal((2, 3)) * 0.5, r.standard_normal((3, 3)) * 0.5,
            r.standard_normal(b_shape) * 0.2]
    src = check(f, f_np, args, (0, 1, 2))
    assert "getattr(_mul, 'shape', ())" in src.split("else:")[0]
    # b read only by values made of invariants and the index (their shapes are taped): not
    # broadcast; ``0.5 * b``, hoisted before the loop, is an invariant read by ``-`` only
    assert "as_row(b," not in src and "_mul_1_row = as_row(_mul_1, _row)" in src


def test_a_bias_read_also_outside_an_elementwise_op_of_the_row_is_not_broadcast():
    def f(x, w, b):
        for i in range(4):
            x = ops.tanh(ops.matmul(x, w) + b + b * i)
        return ops.sum(x * x)

    def f_np(x, w, b):
        for i in range(4):
            x = np.tanh(x @ w + b + b * i)
        return np.sum(x * x)
    r = np.random.default_rng(17)
    args = [r.standard_normal((2, 3)) * 0.5, r.standard_normal((3, 3)) * 0.5,
            r.standard_normal(3) * 0.2]
    src = check(f, f_np, args, (0, 1, 2))
    assert "as_row(b," not in src and "getattr(_mul, 'shape', ())" in src.split("else:")[0]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_as_row_broadcasts_small_operands_once(dtype):
    b = np.arange(5, dtype=dtype)
    for x in [b, b.reshape(1, 5), b[:3].reshape(3, 1), np.asarray(b[2])]:
        got = as_row(x, (3, 5))
        assert got.shape == (3, 5) and got.dtype == dtype and got.flags.c_contiguous
        np.testing.assert_array_equal(got, np.broadcast_to(x, (3, 5)))
        assert not np.shares_memory(got, x)
    same = np.ones((3, 5), dtype)
    assert as_row(same, (3, 5)) is same and as_row(2.5, (3, 5)) == 2.5
    # a row over 1 MiB keeps the broadcasting operand (it reads less memory there)
    big = (1 << 20) // 5 // np.dtype(dtype).itemsize
    assert as_row(b, (big + 1, 5)) is b
    assert as_row(b, (big, 5)).shape == (big, 5)


def test_a_step_run_for_an_effect_keeps_the_loop_as_it_was(capsys):
    # a statement run for its effect may hold (and a later one write into) a value that
    # would be a tape row in the copy: no copy
    def f(xs, h, w):
        for t in range(xs.shape[0]):
            h = ops.tanh(ops.matmul(h, w) + xs[t])
            print(t)
        return ops.sum(h)

    def f_np(xs, h, w):
        for t in range(xs.shape[0]):
            h = np.tanh(h @ w + xs[t])
        return np.sum(h)
    r = np.random.default_rng(16)
    args = [r.standard_normal((3, 2, 3)), r.standard_normal((2, 3)) * 0.5,
            r.standard_normal((3, 3)) * 0.5]
    check(f, f_np, args, (0, 1, 2), fast=False)


def test_fwd_rows_takes_shared_values_that_broadcast_into_the_row_only():
    h = np.zeros((3, 5))
    fits = [(5,), (1, 5), (3, 5), (3, 1), (1, 1), (), (1,)]
    for shape in fits + [(2, 5), (5, 1), (4,), (1, 3, 5), (3, 5, 1)]:
        got = fwd_rows(2, (h,), (), (), (np.ones(shape),), 0)
        assert (got is not None) == (shape in fits), shape
