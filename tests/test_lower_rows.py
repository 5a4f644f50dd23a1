"""A stacked backward loop's tape-only arithmetic batched before it, and the step's gradient
written into those rows (compiler/lower_rows.py; helpers rows_stacked, into_row,
tape_put_row in runtime_loops.py).  Each end-to-end test compares the gradients with the
pass on and off (bit for bit: elementwise arithmetic rounds each element alone) and with
float64 central finite differences, on shapes that broadcast, change between steps, and
trip counts 0 and 1; the alias rules are checked on hand-written loops."""
import types

import astor
import gast
import numpy as np
import pytest
from helpers import numeric

from autograd_st import Tensor, compiler, ops
from autograd_st.compiler import lower_rows
from autograd_st.compiler.names import NameAllocator
from autograd_st.runtime import matmul_nt_to, sum_to
from autograd_st.runtime_loops import into_row, rows_fast, rows_stacked, tape_put, tape_put_row


def grads_and_source(fn, args, on, pos):
    lower_rows.ENABLED[0] = on
    fn = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__,
                            fn.__closure__)
    try:
        compiler.clear_caches()
        with compiler.capture() as stages:
            out = ops.grad(fn, grad_position=pos)(*[Tensor(a) for a in args])
    finally:
        lower_rows.ENABLED[0] = True
        compiler.clear_caches()
    outs = out if isinstance(out, tuple) else (out,)
    return [o.asnumpy() for o in outs], "\n".join(stages.get("lowered", []))


def check(fn, fn_np, args, pos, batched=True):
    """Gradients with the pass on equal (bitwise) those with it off, and finite
    differences; the source with it on, and whether it batched."""
    got, src = grads_and_source(fn, args, True, pos)
    ref, plain = grads_and_source(fn, args, False, pos)
    for a, b in zip(got, ref):
        np.testing.assert_array_equal(a, b)
    for i, p in enumerate(pos):
        np.testing.assert_allclose(got[i], numeric(fn_np, args, p), rtol=1e-6, atol=1e-7)
    assert "rows_stacked(" not in plain
    assert ("rows_stacked(" in src) == batched
    return src


def rnn(xs, h, wx, wh, b):
    for t in range(xs.shape[0]):
        h = ops.tanh(ops.matmul(xs[t], wx) + ops.matmul(h, wh) + b)
    return ops.sum(h * h)


def rnn_np(xs, h, wx, wh, b):
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ wx + h @ wh + b)
    return np.sum(h * h)


def rnn_args(steps, batch=3, h_shape=None, b_shape=(5,), seed=0):
    r = np.random.default_rng(seed)
    nin, nh = 4, 5
    return [r.standard_normal((steps, batch, nin)),
            r.standard_normal(h_shape or (batch, nh)) * 0.5,
            r.standard_normal((nin, nh)) * 0.5, r.standard_normal((nh, nh)) * 0.5,
            r.standard_normal(b_shape) * 0.1]


@pytest.mark.parametrize("steps", [0, 1, 2, 7])
@pytest.mark.parametrize("b_shape", [(5,), (1, 5), (3, 5)])
def test_rnn_rows_batched_for_every_trip_count_and_bias_shape(steps, b_shape):
    src = check(rnn, rnn_np, rnn_args(steps, b_shape=b_shape), (0, 1, 2, 3, 4))
    # 1 - h * h over the stacked rows before the loop, the step's gradient into its row
    assert "np.subtract(1, sub_h_2_rows, out=sub_h_2_rows)" in src
    assert "into_row(sub_h_2_rows, _k, np.multiply, d_h_2, sub_h_2_rows)" in src
    assert "tape_put_row(" in src


@pytest.mark.parametrize("steps", [1, 3])
def test_rnn_batch_one_and_h_that_grows_to_the_batch(steps):
    # batch 1
    check(rnn, rnn_np, rnn_args(steps, batch=1), (1, 2, 3, 4))
    # h of shape (5,): the first step's h broadcasts to the batch (its row shape changes:
    # the carried tape is a list, the rows are computed one by one)
    check(rnn, rnn_np, rnn_args(steps, h_shape=(5,)), (1, 2, 3, 4))


def test_rows_not_read_in_place_when_an_invariant_has_more_axes():
    # the row is (5,) and the bias (3, 5): the per-row products grow to (3, 5), so
    # rows_stacked refuses the stacked form (it would broadcast across the rows' axis)
    def f(xs, h, c):
        for t in range(xs.shape[0]):
            h = ops.tanh(h * xs[t])
            h = ops.sum(h * c, 0)
        return ops.sum(h)

    def f_np(xs, h, c):
        for t in range(xs.shape[0]):
            h = np.tanh(h * xs[t])
            h = np.sum(h * c, 0)
        return np.sum(h)
    r = np.random.default_rng(3)
    args = [r.standard_normal((4, 5)), r.standard_normal(5) * 0.5,
            r.standard_normal((3, 5)) * 0.5]
    check(f, f_np, args, (0, 1, 2))


def test_sigmoid_like_chain_batches_its_tape_only_factor():
    def f(xs, h, w):
        for t in range(xs.shape[0]):
            s = ops.sigmoid(ops.matmul(h, w) + xs[t])
            h = s * (1 - s) * 2.0 + h * 0.5
        return ops.sum(h)

    def f_np(xs, h, w):
        for t in range(xs.shape[0]):
            s = 1 / (1 + np.exp(-(h @ w + xs[t])))
            h = s * (1 - s) * 2.0 + h * 0.5
        return np.sum(h)
    r = np.random.default_rng(7)
    args = [r.standard_normal((5, 2, 3)), r.standard_normal((2, 3)) * 0.5,
            r.standard_normal((3, 3)) * 0.5]
    check(f, f_np, args, (0, 1, 2))


def test_float32_gradients_are_the_same_bits():
    args = [a.astype(np.float32) for a in rnn_args(6)]
    got, _ = grads_and_source(rnn, args, True, (2, 3, 4))
    ref, _ = grads_and_source(rnn, args, False, (2, 3, 4))
    for a, b in zip(got, ref):
        assert a.dtype == np.float32
        np.testing.assert_array_equal(a, b)


# ---------------------------------------------------------------------------------------
# the helpers
# ---------------------------------------------------------------------------------------

def test_rows_stacked_says_when_the_stacked_rows_give_the_same_values():
    h = np.arange(24.0).reshape(4, 2, 3)
    got = rows_stacked(3, (), h, 1)
    assert got is not None and len(got) == 2
    np.testing.assert_array_equal(got[0], h[1:4])
    assert got[1].shape == (3, 2, 3) and got[1].dtype == h.dtype
    b = np.ones(3)
    assert rows_stacked(3, (b, 2.0, 1), h, 0, h, 1) is not None
    assert rows_stacked(0, (), h, 0) is None                      # nothing to compute
    assert rows_stacked(3, (np.ones((5, 2, 3)),), h, 0) is None    # more axes than a row
    assert rows_stacked(3, (np.ones((4, 3)),), h, 0) is None       # grows the row
    assert rows_stacked(3, (np.ones(3, np.float32),), h, 0) is None  # another dtype
    assert rows_stacked(3, (), h, 0, h[:, :, :2], 0) is None       # row shapes differ
    assert rows_stacked(3, (), h.astype(int), 0) is None           # not floats
    assert rows_stacked(3, (), list(h), 0) is None                 # a list tape
    assert rows_stacked(3, (), np.arange(4.0), 0) is None          # rows of scalars


def test_into_row_writes_only_what_has_the_rows_shape_and_dtype():
    rows = np.arange(12.0).reshape(3, 2, 2).copy()
    g = np.full((2, 2), 2.0)
    got = into_row(rows, 1, np.multiply, g, rows)
    assert got.base is rows
    np.testing.assert_array_equal(rows[1], np.arange(4.0, 8.0).reshape(2, 2) * 2)
    got = into_row(rows, 0, np.subtract, rows, 1.0)  # the row first, a number
    assert got.base is rows and rows[0, 0, 0] == -1.0
    before = rows.copy()
    big = np.ones((3, 2, 2))  # broadcasting grows it: a new array, the rows unchanged
    got = into_row(rows, 2, np.multiply, big, rows)
    assert got.base is not rows and got.shape == (3, 2, 2)
    np.testing.assert_array_equal(rows, before)
    got = into_row(rows, 2, np.multiply, g.astype(np.float32), rows)
    assert got.base is not rows
    got = into_row(rows, 2, np.add, np.ones(2), rows)  # broadcasts into the row's shape
    assert got.base is rows
    assert into_row(list(before), 2, np.multiply, g, None).shape == (2, 2)
    with pytest.raises(ValueError):
        into_row(rows, 2, np.multiply, np.ones(3), rows)


def test_tape_put_row_shares_the_rows_while_every_step_wrote_into_them():
    rows = np.arange(12.0).reshape(3, 2, 2).copy()
    buf = None
    for k in (2, 1):
        v = into_row(rows, k, np.multiply, 2.0, rows)
        buf = tape_put_row(buf, k, 3, v, rows)
        assert buf is rows
    v = np.full((2, 2), 7.0)  # a step that could not write into its row
    buf = tape_put_row(buf, 0, 3, v, rows)
    assert buf is not rows
    np.testing.assert_array_equal(buf[0], v)
    np.testing.assert_array_equal(buf[1:], rows[1:])
    # the first step not in place: an ordinary tape
    rows2 = np.zeros((2, 2))
    b2 = tape_put_row(None, 1, 2, np.ones(2), rows2)
    assert b2 is not rows2


# ---------------------------------------------------------------------------------------
# the alias rules, on hand-written loops
# ---------------------------------------------------------------------------------------

LOOP = '''
def f(n, rows, d_h, w, acc):
    d_rows = None
    for _k in range(n - 1, -1, -1):
        h_2 = rows[_k + 1]
        d = d_h * (1 - h_2 * h_2)
        d_rows = tape_put(d_rows, _k, n, d)
        {extra}
        d_h = matmul_nt_to(d, w, h_2)
    {after}
    return d_rows
'''


def rewritten(extra="pass", after="pass"):
    fdef = gast.parse(LOOP.format(extra=extra, after=after)).body[0]
    loop = next(s for s in fdef.body if isinstance(s, gast.For))
    parent = {id(loop): (fdef.body, fdef)}
    lower_rows.batch_row_exprs(loop, parent, NameAllocator(), fdef)
    return astor.to_source(gast.gast_to_ast(fdef))


def test_the_gradient_goes_into_its_row_when_nothing_else_holds_it():
    src = rewritten()
    assert "into_row(sub_h_2_rows, _k, np.multiply, d_h, sub_h_2_rows)" in src
    assert "tape_put_row(d_rows, _k, n, d, sub_h_2_rows)" in src
    assert "np.subtract(1, sub_h_2_rows, out=sub_h_2_rows)" in src


@pytest.mark.parametrize("extra, after", [
    ("acc = accumulate(d, w)", "pass"),   # accumulated into: written after its tape put
    ("e = d\n        acc = accumulate(e, w)", "pass"),  # through a name handed it
    ("d += 1.0", "pass"),                 # augmented
    ("d[0] = 1.0", "pass"),               # an item store
    ("np.add(d, 1.0, out=d)", "pass"),    # out=
    ("pass", "print(d)"),                 # read after the loop (a view of the rows then)
    ("e = sum_to(d, w)", "print(e)"),     # a name that may hold it, read after the loop
])
def test_the_gradient_keeps_its_own_array_when_it_may_be_written_or_read_later(extra, after):
    src = rewritten(extra, after)
    assert "sub_h_2_rows[_k]" in src  # (still batched)
    assert "into_row(" not in src and "tape_put_row(" not in src


# ---------------------------------------------------------------------------------------
# the fast copy of the backward loop
# ---------------------------------------------------------------------------------------

def big_rnn_args(steps, b_shape=(32,), h_shape=None, dtype=np.float64, seed=1):
    """Sizes past matmul_nt_to's einsum size (20 * 32 * 32 > 2 ** 14): the fast copy runs."""
    r = np.random.default_rng(seed)
    nin, nh, batch = 3, 32, 20
    return [a.astype(dtype) for a in (
        r.standard_normal((steps, batch, nin)), r.standard_normal(h_shape or (batch, nh)) * 0.3,
        r.standard_normal((nin, nh)) * 0.3, r.standard_normal((nh, nh)) * 0.2,
        r.standard_normal(b_shape) * 0.1)]


@pytest.mark.parametrize("steps", [0, 1, 4])
@pytest.mark.parametrize("b_shape", [(32,), (1, 32), (20, 32)])
def test_the_fast_copy_gives_the_same_bits(steps, b_shape):
    args = big_rnn_args(steps, b_shape)
    got, src = grads_and_source(rnn, args, True, (0, 1, 2, 3, 4))
    ref, _ = grads_and_source(rnn, args, False, (0, 1, 2, 3, 4))
    for a, b in zip(got, ref):
        np.testing.assert_array_equal(a, b)
    # the gradient carried into the first step checked once (with the product that makes
    # it in each step), no guard per step
    assert "rows_fast(" in src and "carry=(d_h_1, 0))" in src and "break" not in src
    if steps:  # (finite differences of the small weights; the rest is checked bitwise)
        for p in (4, 2):
            np.testing.assert_allclose(got[p], numeric(rnn_np, args, p), rtol=1e-6, atol=1e-7)
    if steps:  # and the fast copy ran: what it needs is known for these arrays
        rows, h_rows = np.zeros((steps, 20, 32)), np.zeros((steps + 1, 20, 32))
        shapes = [((20, 32), (20, 32), (20, 32))] * steps
        assert rows_fast(steps, rows, shapes, (0, 2), args[3], h_rows) is not None


def test_the_fast_copy_leaves_to_the_loop_a_step_it_cannot_run():
    # float32 rows, a float64 gradient flowing in (the loss multiplies by float64): the
    # guard fails at the first step, the general loop runs every step
    def f(xs, h, wx, wh, b, c):
        for t in range(xs.shape[0]):
            h = ops.tanh(ops.matmul(xs[t], wx) + ops.matmul(h, wh) + b)
        return ops.sum(h * c)
    args = big_rnn_args(3, dtype=np.float32) + [np.full((20, 32), 0.5)]
    got, src = grads_and_source(f, args, True, (2, 3, 4))
    ref, _ = grads_and_source(f, args, False, (2, 3, 4))
    for a, b in zip(got, ref):
        np.testing.assert_array_equal(a, b)
    assert "rows_fast(" in src


def test_the_fast_copy_with_h_growing_to_the_batch():
    # h of shape (32,): the first step's carried rows change shape (a list tape), no fast
    # copy at run time; the numbers as without the pass
    args = big_rnn_args(3, h_shape=(32,))
    got, _ = grads_and_source(rnn, args, True, (1, 3, 4))
    ref, _ = grads_and_source(rnn, args, False, (1, 3, 4))
    for a, b in zip(got, ref):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(got[0], numeric(rnn_np, args, 1), rtol=1e-6, atol=1e-7)


def test_rows_fast_refuses_what_it_cannot_know():
    rows, h_rows, wh = np.zeros((3, 20, 32)), np.zeros((4, 20, 32)), np.zeros((32, 32))
    same = [((20, 32), (20, 32))] * 3
    got = rows_fast(3, rows, same, (0, 1), wh, h_rows)
    assert got[0] == (20, 32) and got[1] == rows.dtype and got[2].base is wh
    assert rows_fast(0, rows, same, (0,)) is None                       # no step
    assert rows_fast(3, list(rows), same, (0,)) is None                 # a list tape
    grows = [((20, 32), (1, 32))] * 3                                   # a sum_to sums
    assert rows_fast(3, rows, grows, (0, 1)) is None
    assert rows_fast(3, rows, grows, (0,)) is not None
    changes = [((20, 32),), ((1, 32),), ((20, 32),)]
    assert rows_fast(3, rows, changes, (0,)) is None                    # one step differs
    small = np.zeros((3, 4, 5)), np.zeros((4, 4, 5)), np.zeros((5, 5))  # einsum's size
    assert rows_fast(3, small[0], [((4, 5),)] * 3, (0,), small[2], small[1]) is None
    assert rows_fast(3, rows, same, (0,), wh, list(h_rows)) is None     # like not rows
    assert rows_fast(3, rows, same, (0,), np.zeros((2, 32, 32)), h_rows) is None
    # the carried gradient: of the row's shape and dtype, its product's weight square of it
    g = np.zeros((20, 32))
    assert rows_fast(3, rows, same, (0,), wh, h_rows, carry=(g, 0)) is not None
    assert rows_fast(3, rows, same, (0,), wh, h_rows, carry=(g.astype(np.float32), 0)) is None
    assert rows_fast(3, rows, same, (0,), wh, h_rows, carry=(g[:1], 0)) is None
    assert rows_fast(3, rows, same, (0,), wh, h_rows, carry=(list(g), 0)) is None
    assert rows_fast(3, rows, same, (0,), wh.astype(np.float32), h_rows, carry=(g, 0)) is None
    assert rows_fast(3, rows, same, (0,), np.zeros((40, 32)), h_rows, carry=(g, 0)) is None
    assert rows_fast(3, rows, same, (0,), np.zeros((40, 32)), h_rows) is not None


def test_a_value_written_in_place_in_the_loop_is_not_an_invariant():
    # w - h_2 * h_2 with w written in place each step: only h_2 * h_2 is batched
    fdef = gast.parse(LOOP.format(extra="pass", after="pass").replace(
        "(1 - h_2 * h_2)", "(w - h_2 * h_2)").replace("d_h, w, acc", "d_h, w, acc, c")
        .replace("        d_h = matmul_nt_to(d, w, h_2)",
                 "        d_h = matmul_nt_to(d, c, h_2)\n        np.add(w, 1.0, out=w)")).body[0]
    loop = next(s for s in fdef.body if isinstance(s, gast.For))
    lower_rows.batch_row_exprs(loop, {id(loop): (fdef.body, fdef)}, NameAllocator(), fdef)
    src = astor.to_source(gast.gast_to_ast(fdef))
    assert "(w - mul_h_2_rows[_k])" in src and "rows_stacked(n, (), rows, 1)" in src


MID = '''
def f(n, rows, d_h, w, sh):
    d_rows = None
    for _k in range(n - 1, -1, -1):
        a_s, b_s = sh[_k]
        h_2 = rows[_k + 1]
        h_1 = rows[_k]
        d = d_h * (1 - h_2 * h_2)
        d_rows = tape_put(d_rows, _k, n, d)
        e = sum_to(d, a_s)
        d_h = matmul_nt_to(e, w, h_1)
        d_h = switch(d_h, _k)
    return d_rows, d_h
'''


@pytest.mark.parametrize("at", [None, 3, 2, 0])
def test_the_fast_copy_breaks_where_a_step_is_not_known_and_the_loop_goes_on(at):
    # the gradient turns float32 at the end of step ``at``: the fast copy runs the steps
    # after it and breaks at the next one, the loop runs the rest; the same bits as the
    # code as written
    def switch(g, k):
        return g.astype(np.float32) if k == at else g
    env = {"np": np, "switch": switch, "sum_to": sum_to, "matmul_nt_to": matmul_nt_to,
           "tape_put": tape_put, "tape_put_row": tape_put_row, "into_row": into_row,
           "rows_stacked": rows_stacked, "rows_fast": rows_fast}
    plain: dict = dict(env)
    exec(compile(MID, "<plain>", "exec"), plain)
    fdef = gast.parse(MID).body[0]
    loop = next(s for s in fdef.body if isinstance(s, gast.For))
    lower_rows.batch_row_exprs(loop, {id(loop): (fdef.body, fdef)}, NameAllocator(), fdef)
    src = astor.to_source(gast.gast_to_ast(fdef))
    assert "rows_fast(n, sub_h_2_rows, sh, (0,), w, rows)" in src and "break" in src
    general = []  # the steps the loop itself ran (into_row is called in it only)

    def counted(rows, k, *rest):
        general.append(k)
        return into_row(rows, k, *rest)
    fast: dict = dict(env, into_row=counted)
    exec(compile(src, "<fast>", "exec"), fast)
    r = np.random.default_rng(2)
    n = 5
    args = (n, np.tanh(r.standard_normal((n + 1, 20, 32))), r.standard_normal((20, 32)),
            r.standard_normal((32, 32)) * 0.2, [((20, 32), (1, 32))] * n)
    want, got = plain["f"](*args), fast["f"](*args)
    for a, b in zip(want, got):
        assert np.asarray(a).dtype == np.asarray(b).dtype
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    assert general == ([] if at in (None, 0) else list(range(at - 1, -1, -1)))


def rnn_half(xs, h, wx, wh, b):
    for t in range(xs.shape[0]):
        h = ops.tanh(ops.matmul(xs[t], wx) + ops.matmul(h * 0.5, wh) + b)
    return ops.sum(h * h)


def rnn_half_np(xs, h, wx, wh, b):
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ wx + (h * 0.5) @ wh + b)
    return np.sum(h * h)


def rnn_twice(xs, h, wx, wh, b):
    for t in range(xs.shape[0]):
        h = ops.tanh(ops.matmul(xs[t], wx) + ops.matmul(h, wh) + ops.matmul(h, wh) + b)
    return ops.sum(h * h)


def rnn_twice_np(xs, h, wx, wh, b):
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ wx + h @ wh + h @ wh + b)
    return np.sum(h * h)


@pytest.mark.parametrize("steps", [1, 2, 4])
@pytest.mark.parametrize("fns", [(rnn_half, rnn_half_np), (rnn_twice, rnn_twice_np)])
def test_a_carried_gradient_not_made_by_one_product_keeps_its_guard_per_step(steps, fns):
    # h's gradient is a product times 0.5, or the sum of two products: each step's guard
    # stays (and the numbers are the ones without the pass)
    f, f_np = fns
    args = big_rnn_args(steps)
    got, src = grads_and_source(f, args, True, (0, 1, 2, 3, 4))
    ref, _ = grads_and_source(f, args, False, (0, 1, 2, 3, 4))
    for a, b in zip(got, ref):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(got[4], numeric(f_np, args, 4), rtol=1e-6, atol=1e-7)
    assert "rows_fast(" in src and "carry=" not in src and "break" in src
