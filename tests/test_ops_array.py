"""The array ops (``autograd_st.table_array``) inside differentiated code: each function below
uses one op the way model code writes it, and ``ops.grad`` of it must equal central finite
differences of the same function run eagerly; plus values derived by hand for what finite
differences cannot see (ties, zeros, index dtypes, the parts of a split).
"""
from __future__ import annotations

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Tensor, numerical_grad, ops

IDX = Tensor(np.array([2, 0, 2, -1], np.int32))
IDX2 = Tensor(np.array([[0, 0, 3], [2, 1, 1]]))
MASK = Tensor(np.array([[True, False, True, False], [False, False, True, True],
                        [True, True, False, False]]))
ROW_MASK = Tensor(np.array([True, False, False, True]))
SPLIT3 = ops.Split(1, 2)
GATHER = ops.Gather()
GATHER_D = ops.GatherD()
TILE = ops.Tile()
CUMSUM = ops.CumSum(exclusive=True, reverse=True)
ARGMAX_V = ops.ArgMaxWithValue(axis=1, keep_dims=True)
ARGMIN_V = ops.ArgMinWithValue()
TOPK = ops.TopK()
SORT = ops.Sort(axis=0, descending=True)
PAD = ops.Pad(((1, 0), (0, 2)))
REDUCE_PROD = ops.ReduceProd(keep_dims=True)
REDUCE_MIN = ops.ReduceMin()
CONCAT = ops.Concat(1)
STACK = ops.Stack(-1)
FLATTEN = ops.Flatten()
TRIU = ops.Triu(1)
SELECT = ops.Select()
MASKED_FILL = ops.MaskedFill()


def s(x):
    """A smooth scalar of a value, so that each entry's gradient differs."""
    return ops.sum(ops.sin(x * 1.3))


# each takes x shaped (3, 4) (and y where it has two parameters)
def f_split_list(x):
    a, b = ops.split(x, [1, 3], 1)
    return s(a) + ops.sum(b * b)


def f_split_class(x):
    a, b = SPLIT3(x)
    return s(a * b)


def f_split_method(x):
    parts = x.split([2, 1], axis=0)
    return s(parts[0]) + s(parts[1] * 3.0)


def f_chunk(x):
    a, b = ops.chunk(x, 2, 1)
    return s(a - b)


def f_chunk_method(x):
    a, b = x.chunk(2, dim=-1)
    return s(a * b)


def f_narrow(x):
    return s(ops.narrow(x, 1, 1, 2)) + s(x.narrow(-2, 0, 1))


def f_gather(x):
    return s(ops.gather(x, IDX, 1)) + s(GATHER(x, Tensor(np.array([1, 1])), 0))


def f_gather_method(x):
    return s(x.gather(IDX, 1)) + s(x.gather(1, IDX2))


def f_gather_elements(x):
    return s(ops.gather_elements(x, 1, IDX2)) + s(GATHER_D(x, 0, IDX2[:, :2]))


def f_index_select(x):
    return s(ops.index_select(x, 0, Tensor(np.array([2, 2, 0])))) + s(x.index_select(1, IDX))


def f_masked_fill(x, y):
    return s(ops.masked_fill(x, MASK, y)) + s(x.masked_fill(ROW_MASK, 2.0)) \
        + s(MASKED_FILL(x, MASK, y * 2.0))


def f_masked_select(x):
    return s(ops.masked_select(x, MASK)) + s(x.masked_select(ROW_MASK))


def f_triangles(x):
    return s(ops.triu(x)) + s(ops.tril(x, -1) * 2.0) + s(x.triu(1)) + s(TRIU(x) * x)


def f_tile(x):
    return s(ops.tile(x, (2, 1))) + s(TILE(x, (1, 2, 1))) + s(x.tile((2,))) \
        + s(x.repeat(1, 2))


def f_repeat_interleave(x):
    return s(ops.repeat_interleave(x, 2, 1)) + s(ops.repeat_interleave(x, [1, 0, 2], 0)) \
        + s(x.repeat_interleave(3))


def f_cumsum(x):
    return s(ops.cumsum(x, 1)) + s(CUMSUM(x, 0)) + s(x.cumsum()) + s(x.cumsum(axis=0))


def f_cumprod(x):
    return s(ops.cumprod(x, 1)) + s(x.cumprod(0))


def f_prod(x):
    return s(ops.prod(x, 1)) + s(REDUCE_PROD(x, 0)) + s(x.prod()) + s(x.prod(-1, True))


def f_max_axis(x):
    values, index = ops.max(x, 1)
    v0, _ = ops.max(x, axis=0, keepdims=True)
    return s(values) + s(v0) + s(ops.min(x, -1)[0])


def f_max_classes(x):
    index, values = ARGMAX_V(x)
    _, low = ARGMIN_V(x)
    return s(values) + s(low) + s(REDUCE_MIN(x, 1))


def f_max_method(x):
    v, i = x.max(1)
    w, j = x.min(dim=0, keepdim=True)
    return s(v) + s(w) + s(x.max()) + s(x.max(axis=0))


def f_argmax_pick(x):
    i = ops.argmax(x, 1, True)
    return s(ops.gather_elements(x, 1, i)) + s(ops.gather_elements(x, 1, x.argmin(1, True)))


def f_topk_sort(x):
    v, i = ops.topk(x, 2)
    w, j = ops.sort(x, 0)
    u, _ = SORT(x)
    t, _ = TOPK(x, 3)
    return s(v * 2.0) + s(w * ops.arange(1, 4, dtype=ms.float64).reshape(3, 1)) + s(u) \
        + s(t) + s(x.sort(descending=True)[0] * 0.5) + s(x.topk(1, dim=0)[0])


def f_axes(x):
    return s(ops.swapaxes(x, 0, 1) * ops.arange(3.0)) + s(x.swapaxes(1, 0) * 2.0) \
        + s(ops.permute(x, (1, 0)) * ops.arange(3.0)) + s(x.unsqueeze(1) * x.unsqueeze(-1))


def f_flatten(x):
    y = ops.reshape(x, (3, 2, 2))
    return s(ops.flatten(y) * ops.arange(4.0)) + s(ops.flatten(y, start_dim=0)) \
        + s(FLATTEN(y)) + s(y.flatten(1, 2) * ops.arange(4.0)) + s(y.flatten() * 2.0)


def f_roll_flip(x):
    return s(ops.roll(x, 1, 1) * x) + s(x.roll((1, -1), (0, 1)) * x) \
        + s(ops.flip(x, (0,)) * x) + s(x.flip((0, 1)) * x)


def f_pad(x):
    return s(ops.pad(x, (1, 2), value=0.7)) + s(ops.pad(x, (1, 0, 0, 2)) * 2.0) \
        + s(ops.pad(x, (2, 1), mode="reflect") * 3.0) \
        + s(ops.pad(x, (1, 1, 2, 0), mode="replicate")) + s(PAD(x) * 0.5)


def f_where(x, y):
    return s(ops.where(MASK, x, y)) + s(ops.select(MASK, y, x * 2.0)) \
        + s(SELECT(MASK, x, x * x))


def f_new_arrays(x):
    return s(x * ops.eye(3, 4)) + s(x * ops.full((3, 4), 2, dtype=ms.float64)) \
        + s(x * ops.fill(ms.float64, (4,), 0.5)) + s(x * ops.linspace(0.0, 1.0, 4)) \
        + s(x * ops.arange(4)) + s(x * ops.ones((3, 1), ms.float64)) + s(x.fill(2.0) * x)


def f_broadcast(x):
    v = x[0]
    return s(ops.broadcast_to(v, (2, 3, 4)) * x) + s(v.expand_as(x) * x) \
        + s(v.broadcast_to(3, 4) * x) + s(ops.broadcast_to(x[:, :1], (-1, 4)) * x)


def f_getitem(x):
    return (s(x[0]) + s(x[:, 1:]) + s(x[None, ..., -1]) + s(x[MASK]) + s(x[IDX])
            + s(x[[0, 0, 2]]) + s(x[1:, ::-2]) + s(x[..., None, 2]) + s(x[-1, -2])
            + s(x[IDX[:2], IDX[1:3]]) + s(x[ROW_MASK.reshape(1, 4).broadcast_to(3, 4)]))


def f_concat_stack(x, y):
    return s(CONCAT((x, y, x))) + s(STACK([x, y])) + s(ops.cat([x, y], 0)) \
        + s(ops.stack((x, y), 1) * 2.0)


def f_scatter_update(x, y):
    idx = Tensor(np.array([[0, 1], [2, 3], [0, 1]]))
    return s(ops.tensor_scatter_update(x, idx[:2], y[0, :2]))


def f_scatter(x, y):
    index = Tensor(np.array([[3, 0], [1, 2], [0, 3]]))
    return s(ops.scatter(x, 1, index, y[:, :2] * 2.0)) \
        + s(ops.scatter(x, 0, Tensor(np.array([[2], [0]])), y[:2, :1]))


def f_meshgrid(x):
    a, b = ops.meshgrid(x[0], x[1, :3])
    c, d = ops.meshgrid(x[2, :2], x[0], indexing="ij")
    return s(a * b) + s(c + d * 2.0)


STRIDED_SHRINK = ops.StridedSlice(begin_mask=2, shrink_axis_mask=1)
STRIDED_NEW_AXIS = ops.StridedSlice(ellipsis_mask=1, new_axis_mask=2, end_mask=4)


def f_slices(x):
    # ops.slice/Slice (size -1: the rest of the axis) and ops.strided_slice/StridedSlice with
    # each mask and a negative stride
    return s(ops.slice(x, (1, 0), (2, 3)) * 2.0) + s(ops.Slice()(x, (0, 2), (-1, -1)) ** 2) \
        + s(ops.strided_slice(x, (0, -1), (3, -5), (2, -2)) * 3.0) \
        + s(STRIDED_SHRINK(x, (1, 3), (2, 4), (1, 1)) ** 2) \
        + s(STRIDED_NEW_AXIS(x, (0, 0, 1), (0, 0, 0), (1, 1, 1)) * x[:, 1:])


ND = Tensor(np.array([[0, 1], [2, 3], [0, 1], [1, 0]], np.int32))
SEG = Tensor(np.array([2, 0, 2], np.int32))


def f_nd(x, y):
    # gather_nd / GatherNd, scatter_nd / ScatterNd and tensor_scatter_add with a repeated
    # coordinate (it accumulates), unsorted_segment_sum with a repeated id, sequence_mask
    picked = ops.gather_nd(x, ND)
    placed = ops.ScatterNd()(ND, y[0] * picked, (3, 4))
    bumped = ops.tensor_scatter_add(x, ND, y[1] * 2.0)
    seg = ops.unsorted_segment_sum(x * y, SEG, 4)
    mask = ops.sequence_mask(Tensor(np.array([1, 4, 2])), 4).astype(x.dtype)
    return s(picked ** 2) + s(placed * x) + s(bumped ** 2) + s(seg ** 2) \
        + s(ops.GatherNd()(y, ND[:3, :1]) * x) + s(x.gather_nd(ND) * 3.0) + s(mask * x * y)


CASES_1 = [f_slices, f_split_list, f_split_class, f_split_method, f_chunk, f_chunk_method, f_narrow,
           f_gather, f_gather_method, f_gather_elements, f_index_select, f_masked_select,
           f_triangles, f_tile, f_repeat_interleave, f_cumsum, f_cumprod, f_prod, f_max_axis,
           f_max_classes, f_max_method, f_argmax_pick, f_topk_sort, f_axes, f_flatten,
           f_roll_flip, f_pad, f_new_arrays, f_broadcast, f_getitem, f_meshgrid]
CASES_2 = [f_nd, f_masked_fill, f_where, f_concat_stack, f_scatter_update, f_scatter]


def _distinct(shape, seed):
    """Values with no ties (max, sort and top-k are differentiable there), away from 0."""
    rng = np.random.default_rng(seed)
    n = int(np.prod(shape))
    return (rng.permutation(np.linspace(0.3, 2.0, n)) * rng.choice([-1, 1], n)).reshape(shape)


@pytest.mark.parametrize("fn", CASES_1 + CASES_2, ids=lambda f: f.__name__)
def test_gradient_in_compiled_code_matches_finite_differences(fn):
    n = 2 if fn in CASES_2 else 1
    x = _distinct((3, 4), 1)
    args = [x] if n == 1 else [x, _distinct((3, 4), 2)]
    tensors = [Tensor(a) if isinstance(a, np.ndarray) else Tensor(np.float64(a)) for a in args]
    positions = tuple(range(n))
    got = ops.grad(fn, positions if n > 1 else 0)(*tensors)
    got = (got,) if n == 1 else got

    def eager(*values):
        return float(fn(*[Tensor(np.asarray(v, np.float64)) for v in values]).asnumpy())
    want = numerical_grad(eager, [np.asarray(a, np.float64) for a in args],
                          grad_position=positions)
    for g, w in zip(got, want):
        assert g.dtype == ms.float64
        np.testing.assert_allclose(g.asnumpy(), w, rtol=1e-6, atol=1e-7)


# ---------------------------------------------------------------------------------------
# what finite differences cannot see: ties, zeros, dtypes, the parts
# ---------------------------------------------------------------------------------------

T = np.array([[3.0, 1.0, 3.0], [2.0, 2.0, 0.0]], np.float32)


def _max_axis_sum(x):
    return ops.max(x, 1)[0].sum()


def _max_all(x):
    return ops.max(x)[0]


def _topk_sum(x):
    return ops.topk(x, 2)[0].sum()


def _sort_weighted(x):
    return (ops.sort(x)[0] * Tensor(np.array([1.0, 2.0, 3.0], np.float32))).sum()


def _prod_rows(x):
    return ops.prod(x, 1).sum()


def _cumprod_sum(x):
    return ops.cumprod(x, 0).sum()


def test_ties_follow_mindspore():
    """Measured in MindSpore 2.10: max with an axis gives the whole gradient to the first
    maximum (ArgMaxWithValue), max of everything splits it among ties, top-k and sort give
    each output's gradient to the element it came from (stable order)."""
    x = Tensor(T)
    np.testing.assert_array_equal(ops.grad(_max_axis_sum)(x).asnumpy(),
                                  [[1, 0, 0], [1, 0, 0]])
    np.testing.assert_array_equal(ops.grad(_max_all)(x).asnumpy(),
                                  [[0.5, 0, 0.5], [0, 0, 0]])
    np.testing.assert_array_equal(ops.grad(_topk_sum)(x).asnumpy(), [[1, 0, 1], [1, 1, 0]])
    np.testing.assert_array_equal(ops.grad(_sort_weighted)(x).asnumpy(),
                                  [[2, 1, 3], [2, 3, 1]])


def test_prod_and_cumprod_at_zeros():
    """prod's gradient is exact at zeros (the product of the others: MindSpore's too);
    cumprod's divides by x as MindSpore's does (measured: [1, nan, 0, 0])."""
    g = ops.grad(_prod_rows)(Tensor(np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 2.0]], np.float32)))
    np.testing.assert_array_equal(g.asnumpy(), [[6, 0, 0], [0, 0, 0]])
    with np.errstate(divide="ignore", invalid="ignore"):
        g = ops.grad(_cumprod_sum)(Tensor(np.array([2.0, 0.0, 3.0, 4.0], np.float32)))
    np.testing.assert_array_equal(g.asnumpy(), [1, np.nan, 0, 0])


def test_index_dtypes_and_results_follow_mindspore():
    x = Tensor(np.array([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]], np.float32))
    values, index = ops.max(x, 1)
    assert index.dtype == ms.int64 and index.asnumpy().tolist() == [1, 2]
    assert values.asnumpy().tolist() == [5, 6]
    value, index = ops.max(x)  # no axis: (the maximum, 0), MindSpore's own code
    assert value.asnumpy() == 6 and index.asnumpy() == 0 and index.dtype == ms.int64
    assert ops.argmax(x, 1).dtype == ms.int64 and ops.argmin(x, 1).dtype == ms.int32
    assert ops.argmax(x).asnumpy() == 5 and x.argmin().dtype == ms.int32
    assert ops.topk(x, 2)[1].dtype == ms.int32 and ops.sort(x)[1].dtype == ms.int32
    assert ops.Argmax()(x).dtype == ms.int32
    index, values = ops.ArgMaxWithValue(1)(x)
    assert index.dtype == ms.int64 and values.asnumpy().tolist() == [5, 6]
    assert ops.full((2,), 3.5).dtype == ms.int64 and ops.full((2,), 3.5).asnumpy().tolist() \
        == [3, 3]
    assert ops.arange(5).dtype == ms.int64 and ops.arange(0, 1, 0.25).dtype == ms.float32
    assert ops.eye(2, 3).dtype == ms.float32 and ops.linspace(0, 4, 3).asnumpy().tolist() \
        == [0, 2, 4]
    assert x.max() .asnumpy() == 6 and x.max(axis=1).asnumpy().tolist() == [5, 6]
    assert isinstance(x.max(1), tuple) and isinstance(x.max(dim=1), tuple)
    assert ops.shape(x) == (2, 3) and ops.Size()(x) == 6 and ops.Rank()(x) == 2


def test_split_and_chunk_parts():
    y = Tensor(np.arange(10, dtype=np.float32))
    assert [p.shape for p in ops.split(y, 3)] == [(3,), (3,), (3,), (1,)]
    assert [p.shape for p in ops.chunk(y, 4)] == [(3,), (3,), (3,), (1,)]
    assert [p.shape for p in ops.chunk(y, 6)] == [(2,)] * 5
    assert [p.asnumpy().tolist() for p in ops.split(y, [2, 8])] == [[0, 1], list(range(2, 10))]


def _split_int(x):
    a, b = ops.split(x, 2, 1)
    return a.sum() + (b * b).sum()


def test_split_with_an_int_size_in_compiled_code():
    # (a run-time list of parts: tests/test_split_runtime.py)
    x = np.arange(8.0).reshape(2, 4)
    g = ops.grad(_split_int)(Tensor(x))
    np.testing.assert_array_equal(g.asnumpy(), [[1, 1, 4, 6], [1, 1, 12, 14]])
    with pytest.raises(ValueError, match="expected 2, the run-time list has 3"):
        ops.grad(_split_int)(Tensor(np.ones((2, 6))))


def _chunk6(x):
    parts = ops.chunk(x, 6)
    return parts[0].sum() + parts[-1].sum()


def test_chunk_in_compiled_code_refuses_an_axis_that_gives_fewer_parts():
    g = ops.grad(_chunk6)(Tensor(np.ones(12)))
    np.testing.assert_array_equal(g.asnumpy(), [1, 1] + [0] * 8 + [1, 1])
    with pytest.raises(ValueError, match="splits into 5 parts of 2, not 6"):
        ops.grad(_chunk6)(Tensor(np.ones(10)))


def test_split_class_refuses_an_axis_it_does_not_divide():
    with pytest.raises(ValueError, match="must be divisible by output_num = 2"):
        ops.Split(1, 2)(Tensor(np.ones((2, 3))))


def test_setitem_outside_differentiated_code():
    x = Tensor(np.zeros((2, 3), np.float32))
    x[0, 1] = 5.0
    x[x < 1] = Tensor(np.float32(2.0))
    x[:, 2] = Tensor(np.array([7.0, 8.0], np.float32))
    np.testing.assert_array_equal(x.asnumpy(), [[2, 5, 7], [2, 2, 8]])


def _pad_value(x, v):
    return ops.sum(ops.pad(x, (1, 1), value=v) ** 2)


def test_pad_value_gets_no_gradient_as_in_mindspore():
    """Measured: MindSpore 2.10's ops.pad takes ``value`` as a constant."""
    gx, gv = ops.grad(_pad_value, (0, 1))(Tensor(np.ones((2, 2))), Tensor(np.float64(0.5)))
    np.testing.assert_array_equal(gx.asnumpy(), np.full((2, 2), 2.0))
    assert float(gv.asnumpy()) == 0.0


def _second_order_body(x):
    y = ops.gather(x, IDX, 1) * ops.tile(x, (1, 1))[:, :4] + ops.cumsum(x, 0) * x
    z = ops.gather_elements(x, 1, IDX2) * ops.prod(x[:2, :3], 1, True) \
        + ops.pad(x, (1, 1))[:2, 1:4]
    w = ops.repeat_interleave(x, 2, 1)[:, :4] * ops.roll(x, 1, 1) + ops.triu(x) * x
    u = ops.max(x, 1)[0] * ops.sort(x, 1)[0][:, 0] + ops.cumprod(x, 1)[:, 3]
    t = ops.flip(x, (0,)) * ops.swapaxes(ops.masked_fill(x, MASK, 0.5), 0, 1).T \
        + ops.index_select(x, 0, Tensor(np.array([2, 2, 0])))
    return ops.sum(ops.sin(y)) + ops.sum(z * z) + ops.sum(ops.sin(w)) + ops.sum(u * u) \
        + ops.sum(ops.sin(t))


def _first(x):
    return ops.grad(_second_order_body)(x)


def _first_dotted(x, v):
    return ops.sum(_first(x) * v)


def test_second_order_through_the_array_primitives():
    """The gradient of the gradient (the generated code of the first, differentiated again:
    the helpers generated code calls are primitives too) against finite differences of the
    first gradient."""
    x = _distinct((3, 4), 5)
    v = _distinct((3, 4), 6)
    got = ops.grad(_first_dotted)(Tensor(x), Tensor(v)).asnumpy()

    def first(a):
        return float(np.sum(_first(Tensor(a)).asnumpy() * v))
    want = numerical_grad(first, [x], grad_position=0)
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_arange_of_a_shape_inside_differentiated_code_is_int64():
    # ops.arange(x.shape[1]) under ops.grad: the bound is known only at run time, and the
    # result must still be int64 (an index: position embeddings, masks), float32 for a float
    # bound; gradient checked by hand (d/dx sum(x[:, pos] * pos) = pos on each row)
    x = Tensor(np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.float32))

    def f(x):
        pos = ops.arange(x.shape[1])
        half = ops.arange(x.shape[1] * 0.5)
        picked = ops.gather(x, pos, 1) * pos.astype(ms.float32)
        return picked.sum() + half.sum() * 0.0

    def dtypes(x):
        return ops.arange(x.shape[1]), ops.arange(0, x.shape[0] * 1.5, 0.5), \
            ops.arange(x.shape[1], dtype=ms.float32)

    np.testing.assert_array_equal(ops.grad(f)(x).asnumpy(), [[0, 1, 2], [0, 1, 2]])
    a, b, c = ms.jit(dtypes)(x)
    assert a.dtype == ms.int64 and a.asnumpy().tolist() == [0, 1, 2]
    assert b.dtype == ms.float32 and b.asnumpy().tolist() == [0, 0.5, 1, 1.5, 2, 2.5]
    assert c.dtype == ms.float32 and c.asnumpy().tolist() == [0, 1, 2]


def test_range_follows_mindspore_eagerly_and_compiled():
    # measured in MindSpore 2.10: int32 Tensor bounds give int64, float32 ones float32, a
    # negative step counts down, mixed kinds are refused
    i32 = [Tensor(np.array(v, np.int32)) for v in (5, 0, -2)]
    r = ops.range(*i32)
    assert r.dtype == ms.int64 and r.asnumpy().tolist() == [5, 3, 1]
    f = ops.range(Tensor(np.float32(0.5)), Tensor(np.float32(2.0)), Tensor(np.float32(0.5)))
    assert f.dtype == ms.float32 and f.asnumpy().tolist() == [0.5, 1.0, 1.5]
    with pytest.raises(TypeError, match="dtypes of inputs must be the same"):
        ops.range(Tensor(np.int32(0)), Tensor(np.float32(5.0)), Tensor(np.int32(1)))

    def scaled(x, start, end, step):
        return x * ops.range(start, end, step).astype(x.dtype)

    x = Tensor(np.array([1.0, 2.0, 3.0]))
    got = ms.jit(scaled)(x, *[Tensor(np.array(v, np.int32)) for v in (1, 7, 2)])
    assert got.asnumpy().tolist() == [1.0, 6.0, 15.0]
    g = ops.grad(lambda x, a, b, c: ops.sum(scaled(x, a, b, c)))(
        x, *[Tensor(np.array(v, np.int32)) for v in (1, 7, 2)])
    assert g.asnumpy().tolist() == [1.0, 3.0, 5.0]
