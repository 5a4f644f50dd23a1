"""The names of autograd_st/table_more.py: forward values against numpy (several shapes,
broadcasting), derivatives against central differences through the compiler
(``check_grads`` to order 2, which runs ``ops.jvp``/``ops.vjp`` of compiled code), and the
Tensor attributes written in tensor.py."""
import numpy as np
import pytest

import autograd_st as ms
from autograd_st import check_grads, ops
from autograd_st.check import numerical_grad
from autograd_st.errors import UnsupportedSyntaxError
from autograd_st.tensor import Tensor

RNG = np.random.default_rng(7)


def _t(*shape, low=-2.0, high=2.0):
    return RNG.uniform(low, high, shape)


def _np(x):
    return x.asnumpy() if isinstance(x, Tensor) else np.asarray(x)


# ---------------------------------------------------------------------------------------
# forward values: (ops name, call, numpy reference, arguments)
# ---------------------------------------------------------------------------------------

BINARY = [
    ("tensor_add", np.add), ("tensor_mul", np.multiply), ("tensor_div", np.divide),
    ("true_divide", np.divide), ("tensor_pow", np.power), ("pows", np.power),
    ("tensor_gt", np.greater), ("tensor_ge", np.greater_equal), ("tensor_le", np.less_equal),
    ("tensor_floordiv", np.floor_divide), ("floordiv", np.floor_divide),
    ("tensor_mod", np.mod), ("floor_mod", np.mod), ("floormod", np.mod),
    ("logaddexp", np.logaddexp), ("logaddexp2", np.logaddexp2), ("fmax", np.fmax),
    ("fmin", np.fmin), ("float_power", np.float_power), ("heaviside", np.heaviside),
]
SHAPE_PAIRS = [((2, 3), (2, 3)), ((2, 3), (1, 3)), ((4, 1, 3), (2, 1)), ((), (3,))]


@pytest.mark.parametrize("name, ref", BINARY, ids=[b[0] for b in BINARY])
@pytest.mark.parametrize("shapes", SHAPE_PAIRS, ids=str)
def test_binary_forward_matches_numpy_broadcasting(name, ref, shapes):
    x, y = _t(*shapes[0], low=0.5), _t(*shapes[1], low=-1.5, high=1.5)
    if name in ("heaviside",):
        x = np.round(_t(*shapes[0]))  # zeros among them
    out = getattr(ops, name)(Tensor(x), Tensor(y))
    want = ref(x, y)
    assert out.shape == want.shape
    np.testing.assert_allclose(_np(out), want, rtol=1e-12)
    if name == "float_power":
        assert out.dtype == ms.float64


def test_nan_aware_functions():
    x = np.array([[1.0, np.nan, -2.0], [np.nan, np.inf, -np.inf]])
    y = np.array([[np.nan, 0.5, 3.0], [np.nan, 1.0, 0.0]])
    np.testing.assert_array_equal(_np(ops.fmax(Tensor(x), Tensor(y))), np.fmax(x, y))
    np.testing.assert_array_equal(_np(ops.fmin(Tensor(x), Tensor(y))), np.fmin(x, y))
    z = np.array([[1.0, np.nan, -2.0], [np.nan, 4.0, 0.5]])
    np.testing.assert_allclose(_np(ops.nansum(Tensor(z))), np.nansum(z))
    np.testing.assert_allclose(_np(ops.nansum(Tensor(z), 1, True)), np.nansum(z, 1, keepdims=True))
    np.testing.assert_allclose(_np(ops.nanmean(Tensor(z), 0)), np.nanmean(z, 0))
    np.testing.assert_allclose(_np(Tensor(z).nanmean([0, 1])), np.nanmean(z))
    np.testing.assert_array_equal(_np(ops.nan_to_num(Tensor(x))), np.nan_to_num(x))
    f32 = x.astype(np.float32)
    out = ops.nan_to_num(Tensor(f32), 1.5)
    assert out.dtype == ms.float32
    np.testing.assert_array_equal(_np(out), np.nan_to_num(f32, nan=1.5))


UNARY = [
    ("absolute", np.abs), ("sgn", np.sign), ("positive", lambda a: a),
    ("identity", lambda a: a), ("tensor_exp", np.exp), ("tensor_expm1", np.expm1),
    ("frac", lambda a: np.modf(a)[0]), ("sinc", np.sinc), ("ravel", np.ravel),
    ("flipud", np.flipud), ("reduce_max", np.max), ("reduce_min", np.min),
]


@pytest.mark.parametrize("name, ref", UNARY, ids=[u[0] for u in UNARY])
@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 3, 4)], ids=str)
def test_unary_forward_matches_numpy(name, ref, shape):
    x = _t(*shape) * 3
    x.flat[0] = 0.0
    np.testing.assert_allclose(_np(getattr(ops, name)(Tensor(x))), ref(x), rtol=1e-12)


def test_array_functions_forward():
    x = _t(3, 4, 5)
    t = Tensor(x)
    np.testing.assert_array_equal(_np(ops.fliplr(t)), np.fliplr(x))
    for k in (-3, -1, 0, 1, 2, 3, 5):
        np.testing.assert_array_equal(_np(ops.rot90(t, k, (0, 2))), np.rot90(x, k, (0, 2)))
        np.testing.assert_array_equal(_np(ops.rot90(t, k, (-1, 1))), np.rot90(x, k, (-1, 1)))
    for n, axis in ((1, -1), (2, 0), (3, 1)):
        np.testing.assert_allclose(_np(ops.diff(t, n, axis)), np.diff(x, n, axis))
    pre, app = _t(3, 1, 5), _t(3, 2, 5)
    np.testing.assert_allclose(_np(ops.diff(t, 1, 1, Tensor(pre), Tensor(app))),
                               np.diff(x, 1, 1, prepend=pre, append=app))
    a, b = _t(4, 3), _t(1, 3)
    np.testing.assert_allclose(_np(ops.cross(Tensor(a), Tensor(b))), np.cross(a, b))
    a3, b3 = _t(3, 2), _t(3, 2)
    np.testing.assert_allclose(_np(ops.cross(Tensor(a3), Tensor(b3), 0)),
                               np.cross(a3, b3, axis=0))
    idx = np.array([[0, 59], [7, 3]])
    np.testing.assert_array_equal(_np(ops.take(t, Tensor(idx))), np.take(x, idx))
    np.testing.assert_array_equal(_np(ops.repeat_elements(t, 2, 1)), np.repeat(x, 2, 1))
    np.testing.assert_allclose(_np(ops.vecdot(t, Tensor(x[0]))), np.sum(x * x[0], -1))
    np.testing.assert_allclose(_np(ops.vecdot(t, t, axis=0)), np.sum(x * x, 0))
    np.testing.assert_allclose(_np(ops.reduce_max(t, (0, 2))), x.max((0, 2)))
    np.testing.assert_allclose(_np(ops.reduce_min(t, 1)), x.min(1))
    g = _t(2, 6)
    np.testing.assert_allclose(_np(ops.glu(Tensor(g))),
                               g[:, :3] / (1 + np.exp(-g[:, 3:])))
    np.testing.assert_allclose(_np(ops.glu(Tensor(g), 0)), g[:1] / (1 + np.exp(-g[1:])))
    np.testing.assert_array_equal(_np(ops.expand(Tensor(x[:1, :, :1]), (3, -1, 5))),
                                  np.broadcast_to(x[:1, :, :1], (3, 4, 5)))
    np.testing.assert_array_equal(_np(Tensor(x[0]).expand(2, 4, 5)),
                                  np.broadcast_to(x[0], (2, 4, 5)))
    np.testing.assert_array_equal(_np(ops.expand_as(Tensor(x[0, :, :1]), t)),
                                  np.broadcast_to(x[0, :, :1], x.shape))
    np.testing.assert_array_equal(_np(ops.mm(Tensor(a), Tensor(a.T))), a @ a.T)
    np.testing.assert_array_equal(_np(ops.count_nonzero(Tensor(np.round(x)), 1)),
                                  np.count_nonzero(np.round(x), 1).astype(np.int32))
    assert ops.count_nonzero(Tensor(np.round(x))).dtype == ms.int32
    assert ops.count_nonzero(t, dtype=ms.int64, keep_dims=True).shape == (1, 1, 1)


def test_splitting():
    x = _t(5, 4, 3)
    t = Tensor(x)
    for sections in (2, 3, 5):
        for axis in (0, 1):
            got = ops.tensor_split(t, sections, axis)
            want = np.array_split(x, sections, axis)
            assert len(got) == len(want)
            for g, w in zip(got, want):
                np.testing.assert_array_equal(_np(g), w)
    for idx in ([1, 3], (2,), [0, 4, 4]):
        for g, w in zip(ops.tensor_split(t, idx, 1), np.array_split(x, idx, 1)):
            np.testing.assert_array_equal(_np(g), w)
    for g, w in zip(ops.vsplit(t, [2]), np.vsplit(x, [2])):
        np.testing.assert_array_equal(_np(g), w)
    for g, w in zip(ops.dsplit(t, 3), np.dsplit(x, 3)):
        np.testing.assert_array_equal(_np(g), w)
    parts = ops.unbind(t, 1)
    assert len(parts) == 4
    np.testing.assert_array_equal(_np(parts[2]), x[:, 2])


def test_constructors_and_dtypes():
    a = ops.tuple_to_array((1, 2, 3))
    assert a.dtype == ms.int32 and a.asnumpy().tolist() == [1, 2, 3]
    b = ops.tuple_to_array((1.5, 2.0))
    assert b.dtype == ms.float32 and b.asnumpy().tolist() == [1.5, 2.0]
    s = ops.scalar_to_tensor(3)
    assert s.dtype == ms.float32 and s.shape == () and float(s) == 3.0
    assert ops.scalar_to_tensor(2, ms.int32).dtype == ms.int32
    assert ops.dtype(Tensor(np.zeros(2, np.float16))) == ms.float16
    x = Tensor(np.arange(6, dtype=np.int32))
    f = ops.full_like(x, 2.7)
    assert f.dtype == ms.int32 and f.asnumpy().tolist() == [2] * 6
    g = ops.full_like(x, 2.5, dtype=ms.float64)
    assert g.dtype == ms.float64 and g.asnumpy().tolist() == [2.5] * 6
    ls = ops.logspace(0.0, 2.0, 5)
    assert ls.dtype == ms.float32
    np.testing.assert_allclose(ls.asnumpy(), np.logspace(0, 2, 5), rtol=1e-6)
    np.testing.assert_allclose(ops.logspace(1, 3, 3, base=2, dtype=ms.float64).asnumpy(),
                               [2.0, 4.0, 8.0])
    for row, col, off in ((3, 3, 0), (4, 2, 1), (2, 5, -1)):
        lo, up = ops.tril_indices(row, col, off), ops.triu_indices(row, col, off)
        assert lo.dtype == up.dtype == ms.int64
        np.testing.assert_array_equal(lo.asnumpy(), np.array(np.tril_indices(row, off, col)))
        np.testing.assert_array_equal(up.asnumpy(), np.array(np.triu_indices(row, off, col)))
    assert ops.tril_indices(2, 2, dtype=ms.int32).dtype == ms.int32


def test_tensor_attributes_written_in_tensor_py():
    data = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = Tensor(data)
    view = t.numpy()
    view[0, 0] = 9.0  # shares memory, as MindSpore's Tensor.numpy
    assert t.asnumpy()[0, 0] == 9.0
    assert t.itemsize == 4 and t.nbytes == 24 and t.strides == (12, 4)
    assert t.nelement() == t.numel() == 6 and t.ndimension() == 2
    assert t.is_floating_point() and not Tensor(np.array([1])).is_floating_point()
    assert t.is_contiguous()
    ones = t.new_ones((2,))
    assert ones.dtype == ms.float32 and ones.asnumpy().tolist() == [1.0, 1.0]
    zeros = t.new_zeros(3, dtype=ms.int32)
    assert zeros.dtype == ms.int32 and zeros.asnumpy().tolist() == [0, 0, 0]
    full = t.new_full((1, 2), 4.5)
    assert full.dtype == ms.float32 and full.asnumpy().tolist() == [[4.5, 4.5]]
    assert t.fill_(2.5) is t and t.asnumpy().tolist() == [[2.5] * 3] * 2
    i = Tensor(np.array([1, 2]))
    i.fill_(2.7)
    assert i.asnumpy().tolist() == [2, 2]
    assert t.zero_() is t and not t.asnumpy().any()


def test_casts_keep_the_casts_gradient():
    x = _t(2, 3)
    w = _t(2, 3)

    def f(a):
        return ops.sum(a.float() * w)

    g = ops.grad(f)(Tensor(x))
    assert g.dtype == ms.float64
    np.testing.assert_allclose(g.asnumpy(), w.astype(np.float32), rtol=1e-7)
    assert Tensor(x).half().dtype == ms.float16 and Tensor(x).int().dtype == ms.int32
    assert Tensor(x).long().dtype == ms.int64 and Tensor(x).bool().dtype == ms.bool_
    assert Tensor(x.astype(np.float32)).double().dtype == ms.float64


def test_shape_dependent_forms_in_differentiated_code():
    def by_count(a):  # (unbind: a run-time list of slices, tests/test_split_runtime.py)
        return ops.sum(ops.unbind(a, 0)[0] * 2.0)

    np.testing.assert_array_equal(ops.grad(by_count)(Tensor(_t(2, 3))).asnumpy(),
                                  [[2, 2, 2], [0, 0, 0]])

    def by_sections(a):  # the count is known, the sizes are read from the shape at run time
        e, g, h = ops.tensor_split(a, 3, 1)
        p, q = ops.tensor_split(a, 2, axis=0)
        return (e * e).sum() + 2 * (g[:, :1] * e[:, :1]).sum() + 3 * h.sum() + (p * q).sum()

    for width in (3, 4, 5, 7, 9):  # parts of 1/1/1, 2/1/1, 2/2/1, 3/2/2, 3/3/3
        x = np.linspace(-1, 1, 2 * width).reshape(2, width)
        e, g, _ = np.array_split(x, 3, 1)
        want = 2 * e
        want[:, :1] += 2 * g[:, :1]
        want = np.concatenate([want, np.zeros_like(g), np.full_like(_, 3.0)], 1)
        want[:, e.shape[1]:e.shape[1] + 1] += 2 * e[:, :1]
        want[0] += x[1]
        want[1] += x[0]
        np.testing.assert_allclose(ops.grad(by_sections)(Tensor(x)).asnumpy(), want)
        check_grads(by_sections, (Tensor(x),))

    def nan_default(a):
        return ops.sum(ops.nan_to_num(a))

    with pytest.raises(UnsupportedSyntaxError, match="posinf"):
        ops.grad(nan_default)(Tensor(_t(2, 3)))


# ---------------------------------------------------------------------------------------
# derivatives through the compiler (first and second order)
# ---------------------------------------------------------------------------------------

def g_logaddexp2(a, b):
    return ops.logaddexp2(a, b)


def g_float_power(a, b):
    return ops.float_power(a, b)


def g_true_divide(a, b):
    return ops.true_divide(a, b) + ops.tensor_div(b, a) + ops.tensor_mul(a, b)


def g_pows(a, b):
    return ops.pows(a, b) + ops.tensor_pow(b, 2.0)


def g_xdivy(a, b):
    return ops.xdivy(a, b) + a.xdivy(b)


def g_fmax(a, b):
    return ops.fmax(a, b) + ops.fmin(a, b) * 2.0


def g_heaviside(a, b):
    return ops.heaviside(ops.round(a), b) * a


def g_vecdot(a, b):
    return ops.vecdot(a, b)


def g_cross(a, b):
    return ops.cross(a, b, -1)


def g_where_method(a, b):
    return (a * b).where(a > 0, b)


def g_sinc(a):
    return ops.sinc(a)


def g_sinc_at_zero(a):
    return ops.sinc(a * 0.0) + ops.sinc(a)


def g_frac(a):
    return ops.frac(a) * a


def g_nansum(a):
    return ops.nansum(a * a, 1) + ops.nanmean(ops.exp(a), 1)


def g_nan_to_num(a):
    return ops.nan_to_num(ops.log(a), 0.0, 5.0, -5.0)


def g_array(a):
    return (ops.rot90(a, 1, (0, 1)) * ops.flipud(a).T + ops.fliplr(a).T) * 1.5


def g_diff(a):
    return ops.diff(a * a, 2, -1)


def g_take(a):
    return ops.take(a * a, Tensor(np.array([[0, 5], [5, 2]])))


def g_glu(a):
    return ops.glu(a, -1)


def g_reduce(a):
    return ops.reduce_max(a * a, 1) + ops.reduce_min(a, ()) + ops.absolute(a).sum(1)


def g_split(a):
    first, second = ops.tensor_split(a, [1], 1)
    return first * ops.vsplit(second, [1])[1].sum() + ops.ravel(a).sum()


def g_expand(a):
    return ops.expand(a[:1], (3, -1)) * ops.expand_as(a[:, :1], a) + ops.full_like(a, 2.0)


def g_methods(a):
    return a.multiply(a).subtract(a, alpha=2).divide(a + 3.0) + a.logaddexp(a.t().t())


def g_identity(a):
    return ops.identity(a) * ops.positive(a) + ops.repeat_elements(a, 2, 0)[::2] * a


PAIRS = [
    (g_logaddexp2, (2, 3), (1, 3), False), (g_float_power, (2, 3), (2, 3), True),
    (g_true_divide, (2, 3), (3,), True), (g_pows, (2, 3), (2, 3), True),
    (g_xdivy, (2, 3), (1, 3), True), (g_fmax, (2, 3), (2, 3), False),
    (g_heaviside, (4,), (4,), False), (g_vecdot, (2, 3), (3,), False),
    (g_cross, (2, 3), (1, 3), False), (g_where_method, (2, 3), (2, 3), False),
]


@pytest.mark.parametrize("fn, sx, sy, positive", PAIRS, ids=[p[0].__name__ for p in PAIRS])
def test_binary_gradients_to_second_order(fn, sx, sy, positive):
    low = 0.5 if positive else -2.0
    x, y = _t(*sx, low=low), _t(*sy, low=low)
    check_grads(fn, (Tensor(x), Tensor(y)), order=2)


UNARIES = [
    (g_sinc, (2, 3), -2.0), (g_sinc_at_zero, (3,), -2.0), (g_nansum, (2, 3), -2.0),
    (g_nan_to_num, (2, 3), 0.5), (g_array, (3, 3), -2.0), (g_diff, (2, 5), -2.0),
    (g_take, (2, 3), -2.0), (g_glu, (3, 4), -2.0), (g_reduce, (2, 3), -2.0),
    (g_split, (3, 3), -2.0), (g_expand, (3, 4), -2.0), (g_methods, (2, 3), 0.5),
    (g_identity, (2, 3), -2.0),
]


@pytest.mark.parametrize("fn, shape, low", UNARIES, ids=[u[0].__name__ for u in UNARIES])
def test_unary_gradients_to_second_order(fn, shape, low):
    check_grads(fn, (Tensor(_t(*shape, low=low)),), order=2)


def test_frac_gradient_is_one_away_from_integers():
    x = np.array([0.3, -1.4, 2.6])
    got = ops.grad(g_frac)(Tensor(x))
    want = numerical_grad(lambda a: np.sum(np.modf(a)[0] * a), (x,))
    np.testing.assert_allclose(got.asnumpy(), want, rtol=1e-6)
    check_grads(g_frac, (Tensor(x),), order=2)


def test_sinc_gradient_at_zero_is_finite():
    g = ops.grad(g_sinc)(Tensor(np.array([0.0, 0.5])))
    np.testing.assert_allclose(g.asnumpy(), [0.0, (np.pi * 0.5 * np.cos(np.pi * 0.5)
                                                   - np.sin(np.pi * 0.5)) / (np.pi * 0.25)],
                               rtol=1e-12)


# ---------------------------------------------------------------------------------------
# scaled products, ldexp, dist, msort, gather_d, soft_shrink
# ---------------------------------------------------------------------------------------

def test_scaled_products_forward():
    x, t1, t2 = _t(2, 3), _t(1, 3), _t(2, 1, low=0.5)
    np.testing.assert_allclose(_np(ops.addcmul(Tensor(x), Tensor(t1), Tensor(t2), 0.5)),
                               x + 0.5 * t1 * t2)
    np.testing.assert_allclose(_np(ops.addcdiv(Tensor(x), Tensor(t1), Tensor(t2))),
                               x + t1 / t2)
    m, v, inp = _t(4, 3), _t(3), _t(4)
    np.testing.assert_allclose(_np(ops.addmv(Tensor(inp), Tensor(m), Tensor(v), beta=2,
                                             alpha=3)), 2 * inp + 3 * (m @ v))
    a, b = _t(4), _t(3)
    np.testing.assert_allclose(_np(ops.ger(Tensor(a), Tensor(b))), np.outer(a, b))
    np.testing.assert_allclose(_np(ops.addr(Tensor(m), Tensor(a), Tensor(b), beta=0.5)),
                               0.5 * m + np.outer(a, b))
    b1, b2, c = _t(5, 2, 3), _t(5, 3, 4), _t(2, 4)
    np.testing.assert_allclose(_np(ops.addbmm(Tensor(c), Tensor(b1), Tensor(b2), alpha=2)),
                               c + 2 * np.einsum("bij,bjk->ik", b1, b2))
    e = np.array([[1, -2, 0]])
    np.testing.assert_allclose(_np(ops.ldexp(Tensor(x), Tensor(e))), np.ldexp(x, e))
    y = _t(2, 3)
    for p, want in ((2, np.sqrt(np.sum((x - y) ** 2))), (1, np.sum(np.abs(x - y))),
                    (3, np.sum(np.abs(x - y) ** 3) ** (1 / 3)),
                    (float("inf"), np.max(np.abs(x - y))), (0, 6.0)):
        np.testing.assert_allclose(_np(ops.dist(Tensor(x), Tensor(y), p)), want, rtol=1e-12)
    np.testing.assert_allclose(_np(ops.dist(Tensor(x), Tensor(y[:1]))),
                               np.sqrt(np.sum((x - y[:1]) ** 2)))
    s = _t(4, 3)
    np.testing.assert_array_equal(_np(ops.msort(Tensor(s))), np.sort(s, 0))
    idx = np.array([[0, 2], [1, 1]])
    np.testing.assert_array_equal(_np(ops.gather_d(Tensor(s[:2]), 1, Tensor(idx))),
                                  np.take_along_axis(s[:2], idx, 1))
    np.testing.assert_allclose(_np(ops.soft_shrink(Tensor(s), 0.7)),
                               np.where(s > 0.7, s - 0.7, np.where(s < -0.7, s + 0.7, 0.0)))
    inf = np.array([-np.inf, np.inf, 1.0, np.nan])
    assert ops.isneginf(Tensor(inf)).asnumpy().tolist() == [True, False, False, False]
    assert ops.isposinf(Tensor(inf)).asnumpy().tolist() == [False, True, False, False]


def g_addcmul(a, b):
    return ops.addcmul(a, b, a * b, 0.5) + ops.addcdiv(a, b, a + 3.0, 2.0)


def g_addmv(a, b):
    return ops.addmv(b[0], a, b[1], beta=2, alpha=0.5) + ops.addr(a, b[0], b[1], alpha=3)[0]


def g_addbmm(a, b):
    return ops.addbmm(a, ops.stack([a, b]), ops.stack([b.T, a.T]), beta=0.5)


def g_ldexp(a, b):
    return ops.ldexp(a, b) + ops.ger(a[0], b[0])[0]


def g_dist(a, b):
    return (ops.dist(a, b) + ops.dist(a, b, 1) + ops.dist(a, b, 3)
            + ops.dist(a, b, float("inf")))


def g_msort(a, b):
    return ops.msort(a * b) + ops.gather_d(a, 1, Tensor(np.array([[0, 2, 2], [1, 0, 1]])))


def g_soft_shrink(a, b):
    return ops.soft_shrink(a * b, 0.3)


PRODUCTS = [g_addcmul, g_addmv, g_addbmm, g_ldexp, g_dist, g_msort, g_soft_shrink]


@pytest.mark.parametrize("fn", PRODUCTS, ids=[f.__name__ for f in PRODUCTS])
def test_scaled_products_gradients_to_second_order(fn):
    shape = (3, 3) if fn in (g_addmv, g_addbmm) else (2, 3)
    check_grads(fn, (Tensor(_t(*shape, low=0.5)), Tensor(_t(*shape, low=0.5))), order=2)


def g_constructors(a):
    scale = ops.tuple_to_array((1.0, 2.0, 3.0)) + ops.scalar_to_tensor(0.5)
    offset = ops.cast(ops.tril_indices(3, 3)[0][:3], ops.dtype(a))
    return ops.sum(a * scale + offset + ops.full_like(a, 2.0) * a + ops.logspace(0.0, 1.0, 3))


def test_constructors_in_differentiated_code():
    x = _t(2, 3)
    value, grad = ops.value_and_grad(g_constructors)(Tensor(x))
    scale = np.array([1.5, 2.5, 3.5])
    want = np.sum(x * scale + np.array([0.0, 1.0, 1.0]) + 2 * x + np.logspace(0, 1, 3))
    np.testing.assert_allclose(float(value), want, rtol=1e-6)
    np.testing.assert_allclose(grad.asnumpy(), np.broadcast_to(scale + 2.0, x.shape),
                               rtol=1e-6)
