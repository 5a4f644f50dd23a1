"""Property tests for the runtime helpers that generated code and the rules call.

``unbroadcast``, ``expand_to`` and ``ungetitem`` are checked against references built from
an index map (``np.arange(size).reshape(shape)`` pushed through the same broadcast or index,
then ``np.bincount``), which shares no code with the helpers; the numerics helpers
(``softmax``, ``log_softmax``, ``logsumexp``, ``sigmoid``) against straightforward numpy on
moderate inputs, and for stability on inputs where the straightforward formula overflows.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd_st import runtime as rt
from autograd_st.prims import Sym

PROPERTY = settings(deadline=None, max_examples=120)
SEEDS = st.integers(0, 2**32 - 1)
SHAPES = hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=3)


def _scatter_reference(g, positions, shape):
    """Sum each entry of ``g`` into the flat position ``positions`` names, shaped ``shape``."""
    size = int(np.prod(shape, dtype=int))
    flat = np.bincount(np.ravel(positions), weights=np.ravel(g), minlength=size)
    return flat.reshape(shape)


class _strict_float:
    """Overflow, invalid operations, division by zero and any warning raise."""

    def __enter__(self):
        self._err = np.errstate(over="raise", invalid="raise", divide="raise")
        self._err.__enter__()
        self._warn = warnings.catch_warnings()
        self._warn.__enter__()
        warnings.simplefilter("error")

    def __exit__(self, *exc):
        self._warn.__exit__(*exc)
        self._err.__exit__(*exc)
        return False


# ---------------------------------------------------------------------------------------
# unbroadcast
# ---------------------------------------------------------------------------------------

@PROPERTY
@given(hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=3),
       SEEDS)
def test_unbroadcast_sums_the_broadcast_gradient(shapes, seed):
    target, _ = shapes.input_shapes
    g_shape = shapes.result_shape
    rng = np.random.default_rng(seed)
    g = rng.standard_normal(g_shape)
    got = rt.unbroadcast(g, np.zeros(target))
    assert np.shape(got) == target
    size = int(np.prod(target, dtype=int))
    positions = np.broadcast_to(np.arange(size).reshape(target), g_shape)
    np.testing.assert_allclose(got, _scatter_reference(g, positions, target),
                               rtol=1e-12, atol=1e-12)
    # the adjoint of broadcasting: <unbroadcast(g), y> == <g, broadcast_to(y)>
    y = rng.standard_normal(target)
    np.testing.assert_allclose(np.sum(got * y), np.sum(g * np.broadcast_to(y, g_shape)),
                               rtol=1e-10, atol=1e-10)


@PROPERTY
@given(SHAPES, SEEDS)
def test_unbroadcast_to_python_scalar(shape, seed):
    g = np.random.default_rng(seed).standard_normal(shape)
    got = rt.unbroadcast(g, 2.0)
    assert np.shape(got) == ()
    np.testing.assert_allclose(got, np.sum(g), rtol=1e-12, atol=1e-12)


@PROPERTY
@given(SHAPES, SEEDS)
def test_unbroadcast_same_shape_is_identity(shape, seed):
    g = np.random.default_rng(seed).standard_normal(shape)
    np.testing.assert_array_equal(rt.unbroadcast(g, np.zeros(shape)), g)


_UP_CRASH = ("the broadcast-up branch indexes g.shape[i] with like's axes: IndexError when g "
             "has fewer dimensions than like and like has a size-1 axis")


@pytest.mark.parametrize("g_shape, like_shape", [
    ((), (2, 3)),
    ((3,), (2, 3)),
    ((1, 3), (2, 3)),
    ((2, 1), (2, 3)),
    ((3,), (2, 1, 3)),
    ((), (1, 3)),
])
def test_unbroadcast_broadcasts_a_smaller_gradient_up(g_shape, like_shape):
    """The last branch of unbroadcast: a g smaller than like is broadcast up to it."""
    g = np.random.default_rng(0).standard_normal(g_shape)
    got = rt.unbroadcast(g, np.zeros(like_shape))
    np.testing.assert_array_equal(got, np.broadcast_to(g, like_shape))


# ---------------------------------------------------------------------------------------
# expand_to
# ---------------------------------------------------------------------------------------

@st.composite
def reductions(draw):
    """(shape, axis, keepdims) for a valid reduction: axis None, an int or a tuple, each
    axis possibly negative."""
    shape = draw(SHAPES)
    nd = len(shape)
    kinds = ["none", "tuple"] + (["int"] if nd else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "none":
        axis = None
    elif kind == "int":
        axis = draw(st.integers(-nd, nd - 1))
    else:
        axes = draw(st.lists(st.integers(0, max(nd - 1, 0)), unique=True, max_size=nd))
        axis = tuple(a - nd if draw(st.booleans()) else a for a in axes)
    return shape, axis, draw(st.booleans())


@PROPERTY
@given(reductions(), SEEDS)
def test_expand_to_is_the_adjoint_of_sum(reduction, seed):
    shape, axis, keepdims = reduction
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    reduced = np.sum(x, axis=axis, keepdims=keepdims)
    g = rng.standard_normal(np.shape(reduced))
    got = rt.expand_to(g, x, axis, keepdims)
    assert np.shape(got) == shape
    kept = np.shape(np.sum(x, axis=axis, keepdims=True))
    np.testing.assert_array_equal(got, np.broadcast_to(np.reshape(g, kept), shape))
    np.testing.assert_allclose(np.sum(got * x), np.sum(g * reduced), rtol=1e-10, atol=1e-10)


# ---------------------------------------------------------------------------------------
# ungetitem
# ---------------------------------------------------------------------------------------

@st.composite
def indexings(draw):
    """(shape, index): basic indices (ints, slices, None, Ellipsis), integer arrays (with
    repeats) and boolean masks."""
    kind = draw(st.sampled_from(["basic", "int_arrays", "mask", "int_array_first_axis"]))
    if kind == "basic":
        shape = draw(SHAPES)
        return shape, draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4))
    if kind == "int_arrays":
        return shape, draw(hnp.integer_array_indices(
            shape, result_shape=hnp.array_shapes(min_dims=1, max_dims=2, max_side=5)))
    if kind == "mask":
        return shape, draw(hnp.arrays(bool, shape))
    rows = draw(st.lists(st.integers(-shape[0], shape[0] - 1), min_size=1, max_size=6))
    return shape, np.array(rows)


@PROPERTY
@given(indexings(), st.sampled_from(["float64", "float32"]), SEEDS)
def test_ungetitem_scatters_and_accumulates(indexing, dtype, seed):
    shape, index = indexing
    size = int(np.prod(shape, dtype=int))
    positions = np.arange(size).reshape(shape)[index]
    g = np.random.default_rng(seed).standard_normal(np.shape(positions)).astype(dtype)
    got = rt.ungetitem(g, np.zeros(shape), index)
    assert np.shape(got) == shape
    assert got.dtype == np.dtype(dtype)
    tol = 1e-12 if dtype == "float64" else 1e-5
    np.testing.assert_allclose(got, _scatter_reference(g.astype(np.float64), positions, shape),
                               rtol=tol, atol=tol)


def test_ungetitem_accumulates_repeated_indices():
    got = rt.ungetitem(np.array([1.0, 2.0, 4.0]), np.zeros(5), np.array([0, 0, -1]))
    np.testing.assert_array_equal(got, [3.0, 0.0, 0.0, 0.0, 4.0])


# ---------------------------------------------------------------------------------------
# softmax, log_softmax, logsumexp
# ---------------------------------------------------------------------------------------

@st.composite
def arrays_and_axes(draw, elements=st.floats(-30, 30)):
    x = draw(hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=4),
                        elements=elements))
    nd = x.ndim
    axis = draw(st.one_of(
        st.none(),
        st.integers(-nd, nd - 1),
        st.lists(st.integers(0, nd - 1), min_size=1, unique=True, max_size=nd).map(tuple)))
    return x, axis


@PROPERTY
@given(arrays_and_axes())
def test_softmax_matches_numpy(case):
    x, axis = case
    e = np.exp(x)
    with _strict_float():
        got = rt.softmax(x, axis=axis)
    np.testing.assert_allclose(got, e / np.sum(e, axis=axis, keepdims=True),
                               rtol=1e-12, atol=1e-15)


@PROPERTY
@given(arrays_and_axes())
def test_log_softmax_matches_numpy(case):
    x, axis = case
    with _strict_float():
        got = rt.log_softmax(x, axis=axis)
    ref = x - np.log(np.sum(np.exp(x), axis=axis, keepdims=True))
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12)


@PROPERTY
@given(arrays_and_axes(), st.booleans())
def test_logsumexp_matches_numpy(case, keepdims):
    x, axis = case
    with _strict_float():
        got = rt.logsumexp(x, axis=axis, keepdims=keepdims)
    ref = np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))
    assert np.shape(got) == np.shape(ref)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-12)


@PROPERTY
@given(arrays_and_axes(), st.sampled_from([800.0, -800.0, 1e5, -1e5, 1e300, -1e300]))
def test_softmax_family_is_stable_for_large_inputs(case, shift):
    """exp overflows (or underflows to a 0/0) past |x| ~ 709; the helpers subtract the max.
    Shifting the input shifts logsumexp and leaves softmax alone."""
    x, axis = case
    big = x + shift
    with _strict_float():
        sm = rt.softmax(big, axis=axis)
        lsm = rt.log_softmax(big, axis=axis)
        lse = rt.logsumexp(big, axis=axis, keepdims=True)
    # x + shift rounds x to a multiple of ulp(shift); compare with what survived of x
    kept = big - shift
    e = np.exp(kept - np.max(kept, axis=axis, keepdims=True))
    np.testing.assert_allclose(sm, e / np.sum(e, axis=axis, keepdims=True),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(lsm, np.log(sm), rtol=1e-9, atol=1e-12)
    ref_lse = np.log(np.sum(np.exp(kept), axis=axis, keepdims=True)) + shift
    np.testing.assert_allclose(lse, ref_lse, rtol=1e-12, atol=1e-12)
    assert np.all(np.isfinite(sm)) and np.all(np.isfinite(lsm)) and np.all(np.isfinite(lse))


def test_logsumexp_with_infinities():
    x = np.array([[-np.inf, 0.0], [-np.inf, -np.inf], [np.inf, 1.0]])
    with np.errstate(divide="ignore"):
        got = rt.logsumexp(x, axis=1)
    np.testing.assert_array_equal(got, [0.0, -np.inf, np.inf])
    with _strict_float():
        np.testing.assert_array_equal(rt.softmax(np.array([-np.inf, 0.0, 0.0])), [0, 0.5, 0.5])


@pytest.mark.parametrize("axis, keepdims, shape", [
    (None, False, ()), (None, True, (1, 1)), (0, False, (3,)), (-1, True, (2, 1)),
    ((0, 1), False, ()), ((), False, (2, 3)),
])
def test_logsumexp_shapes(axis, keepdims, shape):
    x = np.random.default_rng(1).standard_normal((2, 3))
    got = rt.logsumexp(x, axis=axis, keepdims=keepdims)
    assert np.shape(got) == shape
    np.testing.assert_allclose(got, np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims)))


# ---------------------------------------------------------------------------------------
# sigmoid
# ---------------------------------------------------------------------------------------

def _sigmoid_reference(x):
    """The textbook two-branch form, each branch evaluated only where exp cannot overflow."""
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


@PROPERTY
@given(hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=2, max_side=5),
                  elements=st.floats(allow_nan=False, allow_infinity=True)))
def test_sigmoid_never_overflows(x):
    with _strict_float():
        s = rt.sigmoid(x)
    assert np.shape(s) == np.shape(x)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(s, _sigmoid_reference(x), rtol=1e-12, atol=1e-300)
    with _strict_float():
        np.testing.assert_allclose(s + rt.sigmoid(-x), 1.0, rtol=0, atol=4e-16)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_sigmoid_extremes(dtype):
    fmax = np.finfo(dtype).max
    x = np.array([-np.inf, -fmax, -1000, -100, -30, 0, 30, 100, 1000, fmax, np.inf], dtype=dtype)
    with _strict_float():
        s = rt.sigmoid(x)
    assert s.dtype == np.dtype(dtype)
    assert s[0] == 0 and s[-1] == 1 and s[5] == 0.5
    assert np.all(np.diff(s) >= 0)
    np.testing.assert_allclose(s, _sigmoid_reference(x), rtol=1e-6 if dtype == "float32"
                               else 1e-12, atol=1e-30)
    with np.errstate(invalid="ignore"):  # nan in, nan out (numpy flags logaddexp(0, nan))
        assert np.isnan(rt.sigmoid(np.array(np.nan)))


# ---------------------------------------------------------------------------------------
# the small helpers
# ---------------------------------------------------------------------------------------

@PROPERTY
@given(hnp.mutually_broadcastable_shapes(signature="(m,k),(n,k)->(m,n)", max_dims=4,
                                         max_side=3), SEEDS)
def test_matmul_nt_and_tn(shapes, seed):
    rng = np.random.default_rng(seed)
    a_shape, b_shape = shapes.input_shapes
    a, b = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    # small products are summed in order, BLAS's are not: entries that nearly cancel differ
    # in their last bits, hence the absolute tolerance (the inputs are of order 1)
    np.testing.assert_allclose(rt.matmul_nt(a, b), a @ np.swapaxes(b, -1, -2), rtol=1e-12,
                               atol=1e-13)
    at = np.swapaxes(a, -1, -2).copy()  # (k, m): matmul_tn(at, b^T) == a @ b^T again
    bt = np.swapaxes(b, -1, -2).copy()
    np.testing.assert_allclose(rt.matmul_tn(at, bt), a @ bt, rtol=1e-12, atol=1e-13)


def test_cast_like_and_the_trivial_helpers():
    g32 = np.ones((2, 3), dtype=np.float32)
    like64 = np.zeros(3)
    assert rt.cast_like(g32, like64).dtype == np.float64
    assert rt.cast_like(np.ones(3), np.float32(1)).dtype == np.float32
    same = np.ones(3)
    assert rt.cast_like(same, like64) is same  # no copy when the dtype already matches
    assert rt.cast_like(1.0, 2.0) == 1.0
    x = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(rt.relu(x), [0.0, 0.0, 3.0])
    assert rt.stop_gradient(x) is x
    np.testing.assert_array_equal(rt.ones_like(x), np.ones(3))
    np.testing.assert_array_equal(rt.zeros_like(x), np.zeros(3))
    assert set(rt.RUNTIME_NAMES) == set(rt.__all__) - {"RUNTIME_NAMES"}


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "complex128"])
@pytest.mark.parametrize("shape", [(64, 10), (16, 64), (3, 5), (300, 1), (1, 400)], ids=str)
def test_a_bias_gradient_is_the_sum_over_rows(shape, dtype):
    """``unbroadcast`` to a row (a bias), ``sum_to`` and ``accumulate_to`` sum the rows: as a
    BLAS product for large float32/float64 arrays, by numpy otherwise; the result is the sum,
    in the gradient's dtype, also for transposed (non-contiguous) arrays."""
    rng = np.random.default_rng(7)
    g = (rng.standard_normal(shape) * 4).astype(dtype)
    want = g.astype(np.complex128 if dtype == "complex128" else np.float64).sum(axis=0)
    tol = {"float16": 1e-2, "float32": 1e-5}.get(dtype, 1e-12)
    like = np.zeros(shape[1:], dtype)
    for got in (rt.unbroadcast(g, like), rt.sum_to(g, like.shape), rt.sum_rows(g),
                rt.accumulate_to(np.zeros_like(like), g, like)):
        assert got.dtype == g.dtype and got.shape == like.shape
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol * np.abs(g).sum(axis=0).max())
    gt = np.asfortranarray(g)  # column-major: the same sums
    np.testing.assert_allclose(rt.sum_rows(gt), rt.sum_rows(g), rtol=tol, atol=tol * 10)
    ones = rt.ones_vector(shape[0], g.dtype)
    assert ones is rt.ones_vector(shape[0], g.dtype) and not ones.flags.writeable


def test_accumulate_tn_adds_in_place_only_when_that_is_the_pure_result():
    rng = np.random.default_rng(8)
    a32 = rng.standard_normal((64, 32)).astype(np.float32)
    b32 = rng.standard_normal((64, 16)).astype(np.float32)
    w32 = np.zeros((32, 16), np.float32)
    acc = np.zeros_like(w32)
    out = rt.accumulate_tn(acc, a32, b32, w32)
    assert out is acc  # the loop's own accumulator, same dtype and shape: in place
    np.testing.assert_allclose(out, a32.T.astype(np.float64) @ b32, rtol=1e-5, atol=1e-5)
    acc = np.zeros_like(w32)
    out = rt.accumulate_tn(acc, a32.astype(np.float64), b32, w32)  # a wider gradient:
    assert out is not acc and out.dtype == np.float64  # promoted as acc + g would be
    assert not acc.any()
    np.testing.assert_allclose(out, a32.T.astype(np.float64) @ b32, rtol=1e-12)
    # a 1-D weight (x @ v): the per-row products summed, as unbroadcast(matmul_tn) gives
    v = np.zeros(32)
    out = rt.accumulate_tn(np.zeros(32), a32.astype(np.float64), b32[:, 0].astype(np.float64), v)
    np.testing.assert_allclose(out, a32.T.astype(np.float64) @ b32[:, 0], rtol=1e-12)


def test_ones_like_and_zeros_like_of_a_numpy_scalar_are_0d_arrays():
    for dtype in (np.float32, np.float64, np.int32):
        for fn, value in ((rt.ones_like, 1), (rt.zeros_like, 0)):
            got = fn(dtype(3))
            want = (np.ones_like if value else np.zeros_like)(dtype(3))
            assert type(got) is type(want) and got.dtype == want.dtype and got.shape == ()
            assert got == value


def test_iterating_a_runtime_value_in_library_code_is_refused_not_endless():
    with pytest.raises(TypeError, match="cannot be iterated"):
        tuple(Sym(None))
