"""The indexing / scatter / shape / random family (``autograd_st/table_index.py``,
``rules_index.py``, ``ops/classes_index.py``) through the public API: each differentiable op's
derivatives under the compiler (``check_grads``: forward, reverse and, where formed, second
order) on float64 inputs with repeated indices; the values MindSpore 2.10 gave (measured in
the side venv, written here by hand; more in the ``idx_*`` cases of ``tests/ms_cases``);
eager and compiled runs agreeing; the random ops' shapes, dtypes, ranges, moments and seeding;
the Tensor in-place methods (eager writes, refused in differentiated code).
"""
import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Parameter, Tensor, check_grads, nn, ops
from autograd_st.errors import UnsupportedSyntaxError

RNG = np.random.default_rng(7)
X = Tensor(RNG.standard_normal((4, 3)))
U = Tensor(RNG.uniform(0.5, 2.0, (3, 3)) * RNG.choice([-1.0, 1.0], (3, 3)))
IDX = Tensor(np.array([0, 2, 0], np.int32))  # a repeated row
ND = Tensor(np.array([[0], [2], [0]], np.int32))
ND2 = Tensor(np.array([[0, 1], [2, 2], [0, 1]], np.int32))
X9 = [[1., 2, 3], [4, 5, 6], [7, 8, 9]]


# ---------------------------------------------------------------------------------------
# derivatives under the compiler (repeated indices included)
# ---------------------------------------------------------------------------------------

def scatter_adds(x, u):
    return (ops.scatter_add(x, IDX, u) * 1.5 + ops.scatter_nd_add(x, ND, u)
            - ops.scatter_nd_sub(x, ND, u) + ops.tensor_scatter_sub(x, ND2, u[0])
            + ops.index_add(x, IDX, u, 0) + ops.inplace_add(x, u, (0, 0, 1))
            - ops.inplace_sub(x, u[:1], 2))


def scatter_updates(x, u):
    return (ops.scatter_update(x, IDX, u) + ops.scatter_nd_update(x, ND, u) * 2.0
            + ops.inplace_update(x, u[:2], (1, 1)) + ops.tensor_scatter_elements(
                x, Tensor(np.array([[1, 0, 1]], np.int64)), u[:1], 0)
            + ops.select_scatter(x, u[1], 1, 2) + ops.slice_scatter(x, u[:, :2], 1, 0, 3, 2))


def scatter_extremes(x, u):
    return (ops.scatter_max(x, IDX, u) + ops.scatter_min(x, IDX, u) * 2.0
            + ops.tensor_scatter_max(x, ND2, u[0]) + ops.scatter_nd_min(x, ND, u))


def scatter_products(x, u):
    return (ops.scatter_mul(x, IDX, u) + ops.scatter_div(x, IDX, u)
            + ops.tensor_scatter_mul(x, ND2, u[1]) + ops.scatter_nd_div(x, ND, u)
            + ops.unsorted_segment_prod(u, Tensor(np.array([0, 2, 0], np.int32)), 3))


def segments(x, u):
    ids = Tensor(np.array([0, 2, 0], np.int32))
    return ops.unsorted_segment_max(u, ids, 3) + ops.unsorted_segment_min(x, ids, 3)


def index_methods(x, u):
    rows = (Tensor(np.array([0, 2, 0], np.int32)), Tensor(np.array([1, 1, 1], np.int32)))
    mask = Tensor(np.array([[True, False, True], [False, False, True], [True, True, False]]))
    return (x.index_add(0, IDX, u, alpha=2) + x.index_put(rows, u[0])
            + x.index_put(rows, u[1], True) + x.masked_scatter(mask, u * 3.0)
            + ops.index_fill(x, 1, Tensor(np.array([0, 2], np.int32)), 0.5)
            + x.scatter(1, Tensor(np.array([[0], [2], [1]], np.int64)), u[:, :1])
            + x.scatter_add(1, Tensor(np.array([[0, 0], [2, 2], [1, 0]], np.int64)), u[:, :2])
            + ops.diagonal_scatter(x, u[0, :2], 1))


def shapes(x):
    y = ops.reshape(x, (2, 2, 3))
    a = ops.moveaxis(y, 0, -1).sum() * 2 + ops.movedim(y, (0, 1), (2, 0))[0, 0, 1]
    b = ops.hstack([x[0], x[1]]).sum() + ops.vstack([x[0], x[1]])[1, 2]
    c = ops.dstack([x, x * 2])[1, 2, 1] + ops.column_stack([x[0], x[1] * 3])[2, 1]
    d = ops.atleast_3d(x[0])[0, 2, 0] + ops.atleast_2d(x[1, 2]).sum()
    e = ops.hsplit(x, 3)[1].sum() * 3 + ops.reverse(x, [1])[0, 0]
    f = ops.reverse_sequence(x, Tensor(np.array([1, 2, 3, 2], np.int32)), 1)
    g = ops.mirror_pad(x, Tensor(np.array([[1, 1], [2, 1]], np.int64)), "REFLECT")
    h = ops.diagonal(y, 1, 0, 2).sum() + x.ptp() + x.ptp(1).sum() + x.sum_to_size(1, 3).sum()
    return a + b + c + d + e + (f * f).sum() + (g * g).sum() + h * h


def blocks(x):
    img = ops.reshape(x, (1, 2, 2, 3))
    cols = ops.unfold(img, (2, 2), 1, 1, 1)
    back = ops.fold(cols * cols, Tensor(np.array([2, 3], np.int32)), (2, 2), 1, 1, 1)
    s2b = ops.space_to_batch_nd(img, [2, 1], [[1, 1], [0, 0]])
    b2s = ops.batch_to_space_nd(s2b * s2b, [2, 1], [[1, 1], [0, 0]])
    return back.sum() + (b2s * img).sum() + (cols * cols).sum()


@pytest.mark.parametrize("fn", [scatter_adds, scatter_updates, scatter_extremes, segments,
                                index_methods], ids=lambda f: f.__name__)
def test_derivatives_of_scatter_ops_to_second_order(fn):
    check_grads(fn, (X[:3], U), order=2)


def test_scatter_mul_and_div_differentiate_once():
    check_grads(scatter_products, (X[:3], U), order=1)


@pytest.mark.parametrize("fn", [shapes, blocks], ids=lambda f: f.__name__)
def test_derivatives_of_shape_ops_to_second_order(fn):
    check_grads(fn, (X,), order=2)


def test_the_last_repeated_update_takes_the_gradient():
    # rows 0 and 2 of u write row 0; the last (row 2) stays, so row 0 of u gets nothing
    g = ops.grad(lambda u: (ops.scatter_update(Tensor(np.zeros((3, 3))), IDX, u)
                            * Tensor(np.arange(9.0).reshape(3, 3))).sum())(U)
    np.testing.assert_array_equal(g.asnumpy(), [[0, 0, 0], [6, 7, 8], [0, 1, 2]])


def test_max_scatter_sends_the_gradient_to_the_winner():
    x = Tensor(np.array([[1., 2, 3], [4, 5, 6], [7, 8, 9]]))
    u = Tensor(np.array([[1., 1, 1], [2, 2, 2], [3, 3, 3]]))
    gx, gu = ops.grad(lambda x, u: ops.scatter_max(x, IDX, u).sum(), (0, 1))(x, u)
    # x[0, 2] == 3 ties with the winning update: both get the gradient
    np.testing.assert_array_equal(gx.asnumpy(), [[0, 0, 1], [1, 1, 1], [1, 1, 1]])
    np.testing.assert_array_equal(gu.asnumpy(), [[0, 0, 0], [0, 0, 0], [1, 1, 1]])


# ---------------------------------------------------------------------------------------
# values MindSpore 2.10 gave (measured)
# ---------------------------------------------------------------------------------------

def _x9():
    return Tensor(np.array(X9, np.float32))


@pytest.mark.parametrize("name, want", [
    ("scatter_add", [[5, 6, 7], [4, 5, 6], [9, 10, 11]]),
    ("scatter_update", [[3, 3, 3], [4, 5, 6], [2, 2, 2]]),
    ("scatter_max", [[3, 3, 3], [4, 5, 6], [7, 8, 9]]),
    ("scatter_min", [[1, 1, 1], [4, 5, 6], [2, 2, 2]]),
    ("scatter_mul", [[3, 6, 9], [4, 5, 6], [14, 16, 18]]),
    ("scatter_div", [[1 / 3, 2 / 3, 1], [4, 5, 6], [3.5, 4, 4.5]]),
])
def test_scatter_values_and_parameters_updated_in_place(name, want):
    p = Parameter(_x9(), name="p")
    upd = Tensor(np.array([[1., 1, 1], [2, 2, 2], [3, 3, 3]], np.float32))
    out = getattr(ops, name)(p, IDX, upd)
    np.testing.assert_allclose(out.asnumpy(), want, rtol=1e-6)
    np.testing.assert_allclose(p.asnumpy(), want, rtol=1e-6)  # MindSpore writes the Parameter
    assert out.dtype == ms.float32


def test_tensor_scatter_and_segment_values():
    u2 = Tensor(np.array([2., 3, 4], np.float32))
    np.testing.assert_array_equal(ops.tensor_scatter_mul(_x9(), ND2, u2).asnumpy(),
                                  [[1, 16, 3], [4, 5, 6], [7, 8, 27]])
    np.testing.assert_array_equal(ops.tensor_scatter_max(_x9(), ND2, u2).asnumpy(),
                                  [[1, 4, 3], [4, 5, 6], [7, 8, 9]])
    seg = ops.unsorted_segment_max(_x9(), Tensor(np.array([0, 2, 0], np.int32)), 4).asnumpy()
    np.testing.assert_array_equal(seg[[0, 2]], [[7, 8, 9], [4, 5, 6]])
    assert (seg[[1, 3]] == np.finfo(np.float32).min).all()
    prod = ops.unsorted_segment_prod(_x9(), Tensor(np.array([0, 2, 0], np.int32)), 4)
    np.testing.assert_array_equal(prod.asnumpy(), [[7, 16, 27], [1, 1, 1], [4, 5, 6],
                                                   [1, 1, 1]])
    ie = Tensor(np.array([[1, 0, 1]], np.int64))
    ue = Tensor(np.array([[10., 20, 30]], np.float32))
    np.testing.assert_array_equal(
        ops.tensor_scatter_elements(_x9(), ie, ue, 0, "add").asnumpy(),
        [[1, 22, 3], [14, 5, 36], [7, 8, 9]])
    with pytest.raises(ValueError, match="reduction"):
        ops.tensor_scatter_elements(_x9(), ie, ue, 0, "mul")


def test_index_results():
    x = Tensor(np.array([[0, 1.5, 0], [2, 0, 3]], np.float32))
    nz = ops.nonzero(x)
    assert nz.dtype == ms.int64
    np.testing.assert_array_equal(nz.asnumpy(), [[0, 1], [1, 0], [1, 2]])
    np.testing.assert_array_equal(ops.argwhere(x).asnumpy(), nz.asnumpy())
    values, idx = ops.unique(Tensor(np.array([3, 1, 2, 3, 1, 5], np.int32)))
    np.testing.assert_array_equal(values.asnumpy(), [3, 1, 2, 5])  # first-appearance order
    np.testing.assert_array_equal(idx.asnumpy(), [0, 1, 2, 0, 1, 3])
    assert idx.dtype == ms.int32
    out, inv, cnt = ops.unique_consecutive(Tensor(np.array([1, 1, 2, 2, 3, 1, 1], np.int32)),
                                           True, True)
    np.testing.assert_array_equal(out.asnumpy(), [1, 2, 3, 1])
    np.testing.assert_array_equal(inv.asnumpy(), [0, 0, 1, 1, 2, 3, 3])
    np.testing.assert_array_equal(cnt.asnumpy(), [2, 2, 1, 2])
    assert inv.dtype == cnt.dtype == ms.int64
    s = Tensor(np.array([1, 3, 5, 7, 9], np.float32))
    v = Tensor(np.array([[3, 6, 9], [0, 10, 5]], np.float32))
    np.testing.assert_array_equal(ops.searchsorted(s, v).asnumpy(), [[1, 3, 4], [0, 5, 2]])
    np.testing.assert_array_equal(ops.searchsorted(s, v, right=True).asnumpy(),
                                  [[2, 3, 5], [0, 5, 3]])
    np.testing.assert_array_equal(s.searchsorted(v, side="right").asnumpy(),
                                  [[2, 3, 5], [0, 5, 3]])
    assert ops.bucketize(v, [1, 3, 5, 7, 9]).dtype == ms.int64
    y, i = ops.unique_with_pad(Tensor(np.array([1, 1, 2, 2, 3, 1, 1], np.int32)), 0)
    np.testing.assert_array_equal(y.asnumpy(), [1, 2, 3, 0, 0, 0, 0])
    np.testing.assert_array_equal(i.asnumpy(), [0, 0, 1, 1, 2, 0, 0])


def test_index_results_inside_differentiated_code():
    def f(x):
        idx = ops.nonzero(x > 0.5)
        values, _ = ops.unique(ops.cast(x > 0, ms.int32))
        pos = ops.searchsorted(Tensor(np.array([-1.0, 0.0, 1.0])), x)
        return (x * ops.cast(pos, ms.float64)).sum() + ops.cast(idx.shape[0] + values.sum(),
                                                                 ms.float64)
    x = Tensor(np.array([[0.7, -0.2], [1.5, 0.3]]))
    g = ops.grad(f)(x)
    np.testing.assert_array_equal(g.asnumpy(), [[2, 1], [3, 2]])
    assert float(f(x).asnumpy()) == pytest.approx(0.7 * 2 - 0.2 + 1.5 * 3 + 0.3 * 2 + 2 + 1)


def test_shape_values():
    u = Tensor(np.array([[1., 2, 3], [4, 5, 6]], np.float32))
    np.testing.assert_array_equal(u.resize(4, 2).asnumpy(), [[1, 2], [3, 4], [5, 6], [0, 0]])
    np.testing.assert_array_equal(u.sum_to_size((2, 1)).asnumpy(), [[6], [15]])
    np.testing.assert_array_equal(Tensor(np.array([0, 5, -1], np.int32)).choose(u, "wrap")
                                  .asnumpy(), [1, 5, 6])
    np.testing.assert_array_equal(ops.diagonal(u, -1).asnumpy(), [4])
    assert [t.shape for t in ops.atleast_2d([Tensor(1.0), Tensor(np.zeros(3))])] == \
        [(1, 1), (1, 3)]
    assert ops.dstack([Tensor(np.arange(3.)), Tensor(np.arange(3.))]).shape == (1, 3, 2)
    with pytest.raises(ValueError, match="at least 2 dimension"):
        ops.hsplit(Tensor(np.zeros(6)), 2)
    s2b = ops.space_to_batch_nd(Tensor(np.arange(16.).reshape(1, 1, 4, 4)), 2, [[0, 0], [0, 0]])
    np.testing.assert_array_equal(s2b.asnumpy().ravel(), [0, 2, 8, 10, 1, 3, 9, 11, 4, 6, 12,
                                                          14, 5, 7, 13, 15])


def test_eager_and_compiled_runs_agree():
    def f(x, u, w):
        return (scatter_adds(x, u).sum() + scatter_updates(x, u).sum()
                + scatter_extremes(x, u).sum() + index_methods(x, u).sum() + shapes(w)
                + segments(x, u).sum() + blocks(w) + scatter_products(x, u).sum())
    eager = f(X[:3], U, X)
    value, _ = ops.value_and_grad(f, (0, 1, 2))(X[:3], U, X)
    np.testing.assert_allclose(value.asnumpy(), eager.asnumpy(), rtol=1e-12)


# ---------------------------------------------------------------------------------------
# random
# ---------------------------------------------------------------------------------------

def test_random_shapes_dtypes_ranges_and_moments():
    ms.set_seed(1)
    r = ops.rand(200, 50)
    assert r.shape == (200, 50) and r.dtype == ms.float32
    a = r.asnumpy()
    assert 0 <= a.min() and a.max() < 1 and abs(a.mean() - 0.5) < 0.01
    n = ops.randn((400, 50)).asnumpy()
    assert abs(n.mean()) < 0.02 and abs(n.std() - 1) < 0.02
    i = ops.randint(2, 5, (1000,))
    assert i.dtype == ms.int64 and set(np.unique(i.asnumpy())) == {2, 3, 4}
    with pytest.raises(ValueError, match="must be an int type"):
        ops.randint(0, 5, (2,), dtype=ms.float32)
    x64 = Tensor(np.ones((2, 3)))
    assert ops.rand_like(x64).dtype == ms.float64 and ops.randn_like(x64).dtype == ms.float32
    assert ops.randint_like(Tensor(np.ones(3, np.int32)), 0, 4).dtype == ms.int32
    uni = ops.uniform((2000,), Tensor(1.0), Tensor(3.0)).asnumpy()
    assert 1 <= uni.min() and uni.max() < 3 and abs(uni.mean() - 2) < 0.05
    assert ops.uniform((3,), Tensor(1, ms.int32), Tensor(5, ms.int32),
                       dtype=ms.int32).dtype == ms.int32
    nrm = ops.normal((4000,), 1.0, 2.0).asnumpy()
    assert abs(nrm.mean() - 1) < 0.1 and abs(nrm.std() - 2) < 0.1
    b = ops.bernoulli(Tensor(np.zeros((100, 100), np.int32)), 0.3)
    assert b.dtype == ms.int32 and abs(b.asnumpy().mean() - 0.3) < 0.02
    m = ops.multinomial(Tensor(np.array([[0.0, 1.0, 0.0], [0.5, 0.0, 0.5]], np.float32)), 6)
    assert m.dtype == ms.int32 and (m.asnumpy()[0] == 1).all() and \
        set(m.asnumpy()[1]) <= {0, 2}
    w = ops.multinomial(Tensor(np.array([0.2, 0.3, 0.5], np.float32)), 3, False).asnumpy()
    assert sorted(w) == [0, 1, 2]
    p = ops.randperm(6)
    assert p.dtype == ms.int64 and sorted(p.asnumpy()) == list(range(6))
    np.testing.assert_array_equal(p.asnumpy(), ops.randperm(6).asnumpy())  # fixed by seed=0
    sh = ops.shuffle(Tensor(np.arange(10.0))).asnumpy()
    assert sorted(sh) == list(range(10))
    lap = ops.laplace((4000,), Tensor(1.0), Tensor(0.5)).asnumpy()
    assert abs(np.median(lap) - 1) < 0.1 and abs(np.abs(lap - 1).mean() - 0.5) < 0.05
    gam = ops.gamma((2000,), Tensor(np.array([2.0])), Tensor(np.array([4.0])))
    assert gam.shape == (2000, 1) and abs(gam.asnumpy().mean() - 0.5) < 0.05
    poi = ops.poisson((2000,), Tensor(np.array([3.0, 1.0])))
    assert poi.shape == (2000, 2) and abs(poi.asnumpy()[:, 0].mean() - 3) < 0.15
    cat = ops.random_categorical(Tensor(np.log(np.array([[1e-9, 1.0], [1.0, 1e-9]]))), 5)
    assert cat.dtype == ms.int64
    np.testing.assert_array_equal(cat.asnumpy(), [[1] * 5, [0] * 5])


def test_seeding_is_reproducible_and_calls_differ():
    ms.set_seed(3)
    a, b = ops.rand(5).asnumpy(), ops.rand(5).asnumpy()
    ms.set_seed(3)
    c = ops.rand(5).asnumpy()
    assert (a == c).all() and not (a == b).all()
    ms.set_seed(3)
    s1, s2 = ops.rand(5, seed=9).asnumpy(), ops.rand(5, seed=9).asnumpy()
    ms.set_seed(3)
    s3 = ops.rand(5, seed=9).asnumpy()
    assert (s1 == s3).all() and not (s1 == s2).all()
    assert not (ops.randperm(8, seed=1).asnumpy() == ops.randperm(8, seed=2).asnumpy()).all()


class Noisy(nn.Cell):
    def construct(self, x):
        noise = ops.randn_like(x) * 0.0 + ops.rand(2, 3) * 0.0
        keep = ops.bernoulli(x, 1.0)
        return (x * x * keep).sum() + noise.sum() + ops.standard_normal((2,)).sum() * 0.0


def test_random_ops_run_inside_differentiated_code_every_call():
    def f(x):
        return (x * ops.rand(2, 3, dtype=ms.float64)).sum()
    x = Tensor(np.ones((2, 3)))
    g1, g2 = ops.grad(f)(x).asnumpy(), ops.grad(f)(x).asnumpy()
    assert g1.shape == (2, 3) and not (g1 == g2).all()  # drawn each run, not once
    assert 0 <= g1.min() and g1.max() < 1
    g = ops.grad(Noisy())(Tensor(np.array([[1.0, 2, 3], [4, 5, 6]])))
    np.testing.assert_allclose(g.asnumpy(), [[2, 4, 6], [8, 10, 12]])


# ---------------------------------------------------------------------------------------
# Tensor in-place methods
# ---------------------------------------------------------------------------------------

def test_in_place_methods_write_into_the_tensor():
    t = Tensor(np.array([[1., 2, 3], [4, 5, 6]], np.float32))
    assert t.add_(1.0) is t
    np.testing.assert_array_equal(t.asnumpy(), [[2, 3, 4], [5, 6, 7]])
    t.sub_(Tensor(np.ones(3, np.float32)), alpha=2).mul_(2).div_(4)
    np.testing.assert_array_equal(t.asnumpy(), [[0, 0.5, 1], [1.5, 2, 2.5]])
    t.clamp_(0.5, 2).masked_fill_(Tensor(np.array([True, False, False])), -1.0)
    np.testing.assert_array_equal(t.asnumpy(), [[-1, 0.5, 1], [-1, 2, 2]])
    t.copy_(Tensor(np.array([7., 8, 9])))
    assert t.dtype == ms.float32
    np.testing.assert_array_equal(t.asnumpy(), [[7, 8, 9], [7, 8, 9]])
    t.remainder_(4).index_add_(1, Tensor(np.array([0, 0], np.int32)), Tensor(np.ones((2, 2))))
    np.testing.assert_array_equal(t.asnumpy(), [[5, 0, 1], [5, 0, 1]])
    t.scatter_(1, Tensor(np.array([[0], [2]], np.int64)), Tensor(np.array([[10.], [20]])))
    t.scatter_add_(1, Tensor(np.array([[1, 1], [1, 1]], np.int64)), Tensor(np.ones((2, 2))))
    np.testing.assert_array_equal(t.asnumpy(), [[10, 2, 1], [5, 2, 20]])
    d = Tensor(np.zeros((3, 3), np.float32)).fill_diagonal_(9.0)
    np.testing.assert_array_equal(d.asnumpy(), np.diag([9.0] * 3))
    r = Tensor(np.zeros((50, 40), np.float32)).uniform_(2, 3)
    assert r.dtype == ms.float32 and 2 <= r.asnumpy().min() and r.asnumpy().max() < 3
    assert set(np.unique(Tensor(np.zeros(200)).random_(4).asnumpy())) == {0, 1, 2, 3}


def test_in_place_methods_in_differentiated_code():
    # (tests/test_in_place_grad.py: loops, branches, inputs, finite differences)
    def f(x):
        y = x * 2.0
        y.add_(1.0)
        return (y * y).sum()
    np.testing.assert_allclose(ops.grad(f)(X).asnumpy(), 4 * (2 * X.asnumpy() + 1), rtol=1e-6)

    def aliased(x):
        y = x * 2.0
        t = (y,)
        y.add_(1.0)
        return t[0].sum()
    with pytest.raises(UnsupportedSyntaxError, match=r"Tensor.add_ writes into its Tensor.*"
                                                     r"y = x \+ other"):
        ops.grad(aliased)(X)

    def g(x):
        return (x * ops.zeros_like(x).normal_()).sum()  # a random fill returns the draw
    assert ops.grad(g)(X).shape == X.shape


# ---------------------------------------------------------------------------------------
# primitive classes with attributes
# ---------------------------------------------------------------------------------------

def test_primitive_classes_take_mindspores_attributes():
    base = np.array(X9, np.float32)
    upd = Tensor(np.array([[1., 1, 1], [2, 2, 2], [3, 3, 3]], np.float32))
    p = Parameter(Tensor(base), name="p")
    out = ops.ScatterNdUpdate(use_locking=True)(p, ND, upd)
    np.testing.assert_array_equal(out.asnumpy(), [[3, 3, 3], [4, 5, 6], [2, 2, 2]])
    np.testing.assert_array_equal(p.asnumpy(), out.asnumpy())
    q = Parameter(Tensor(base), name="q")
    np.testing.assert_array_equal(ops.ScatterSub()(q, IDX, upd).asnumpy()[0], [-3, -2, -1])
    assert not hasattr(ops, "scatter_sub")  # (MindSpore 2.10 has only the class)
    np.testing.assert_array_equal(
        ops.TensorScatterElements(1, "add")(_x9(), Tensor(np.array([[0, 0]], np.int64)),
                                            Tensor(np.array([[1., 2]], np.float32))).asnumpy(),
        [[4, 2, 3], [4, 5, 6], [7, 8, 9]])
    np.testing.assert_array_equal(
        ops.MirrorPad("SYMMETRIC")(Tensor(np.array([[1., 2]])),
                                   Tensor(np.array([[0, 0], [1, 1]]))).asnumpy(), [[1, 1, 2, 2]])
    np.testing.assert_array_equal(ops.InplaceAdd((0, 0))(_x9(), upd[:2]).asnumpy()[0], [4, 5, 6])
    assert ops.SearchSorted(dtype=ms.int32)(Tensor(np.array([1., 2])),
                                            Tensor(np.array([1.5]))).dtype == ms.int32
    assert ops.UniformReal(seed=2)((2, 3)).dtype == ms.float32
    assert ops.UniformInt(seed=1)((4,), Tensor(1), Tensor(3)).dtype == ms.int32
    assert ops.StandardNormal(seed=1, seed2=2)((2,)).shape == (2,)
    assert ops.RandpermV2(seed=3)(5).dtype == ms.int64
    index, mask = ops.RandomChoiceWithMask(count=8, seed=1)(
        Tensor(np.array([[True, False, True], [False, True, True]])))
    assert index.dtype == ms.int32 and index.shape == (8, 2) and mask.dtype == ms.bool_
    np.testing.assert_array_equal(mask.asnumpy(), [True] * 4 + [False] * 4)
    assert sorted(map(tuple, index.asnumpy()[:4])) == [(0, 0), (0, 2), (1, 1), (1, 2)]
    assert not index.asnumpy()[4:].any()
    out, inv, cnt = ops.UniqueConsecutive()(Tensor(np.array([1, 1, 2])))
    np.testing.assert_array_equal(cnt.asnumpy(), [2, 1])


def test_fill_diagonal_returns_a_new_tensor():
    t = Tensor(np.zeros((3, 3), np.float32))
    np.testing.assert_array_equal(t.fill_diagonal(5.0).asnumpy(), np.diag([5.0] * 3))
    assert not t.asnumpy().any()  # (measured: MindSpore leaves it as it was)
    tall = Tensor(np.zeros((5, 2))).fill_diagonal(1.0, wrap=True).asnumpy()
    np.testing.assert_array_equal(tall, [[1, 0], [0, 1], [0, 0], [1, 0], [0, 1]])


def test_choice_with_mask_inside_differentiated_code():
    def f(x):
        index, mask = ops.choice_with_mask(x > 0, 3)
        return (x * ops.cast(mask.sum(), ms.float64)).sum() + ops.cast(index.sum() * 0, ms.float64)
    x = Tensor(np.array([[1.0, -1.0], [2.0, 3.0]]))
    np.testing.assert_array_equal(ops.grad(f)(x).asnumpy(), np.full((2, 2), 3.0))


class ScatterCell(nn.Cell):
    def __init__(self):
        super().__init__()
        self.update = ops.ScatterNdUpdate()
        self.max = ops.TensorScatterMax()

    def construct(self, x, u):
        return (self.update(x, ND, u) * 2.0 + self.max(x, ND2, u[0])).sum()


def test_primitive_classes_inside_differentiated_code():
    check_grads(ScatterCell(), (X[:3], U), order=1)


def test_second_derivative_of_a_multiplying_scatter_is_refused_not_wrong():
    from autograd_st.errors import UnsupportedSyntaxError
    x = Tensor(np.random.default_rng(0).uniform(1, 2, (3, 3)))
    u = Tensor(np.random.default_rng(1).uniform(1, 2, (3, 3)))
    ids = Tensor(np.array([0, 2, 0], np.int32))

    def f(x, u):
        return (ops.unsorted_segment_prod(x * u, ids, 3) ** 2).sum()

    check_grads(f, (x, u), order=1)  # first order: computed
    with pytest.raises(UnsupportedSyntaxError, match="written to first order only"):
        ops.grad(ops.grad(f))(x, u)
    with pytest.raises(UnsupportedSyntaxError, match="written to first order only"):
        check_grads(lambda x, u: (ops.scatter_mul(x, ids[:2], u[:2]) ** 2).sum(), (x, u),
                    order=2)


def test_tensor_scatter_update_keeps_the_last_repeated_update():
    # MindSpore 2.10 (measured): [[4, 5], [0, 0], [7, 8]]; its gradient gives the overwritten
    # update the gradient too, where the derivative is zero (here: finite differences)
    x = Tensor(np.zeros((3, 2)))
    i = Tensor(np.array([[0], [0], [2]], np.int32))
    u = Tensor(np.array([[1.0, 2], [4, 5], [7, 8]]))
    w = Tensor(np.arange(6.0).reshape(3, 2))
    np.testing.assert_array_equal(ops.tensor_scatter_update(x, i, u).asnumpy(),
                                  [[4, 5], [0, 0], [7, 8]])
    gx, gu = ops.grad(lambda x, u: (ops.tensor_scatter_update(x, i, u) * w).sum(), (0, 1))(x, u)
    np.testing.assert_array_equal(gx.asnumpy(), [[0, 0], [2, 3], [0, 0]])
    np.testing.assert_array_equal(gu.asnumpy(), [[0, 0], [0, 1], [4, 5]])
    check_grads(lambda x, u: (ops.tensor_scatter_update(x, i, u) ** 2).sum(), (x, u), order=2)


def test_unique_values_take_their_gradient_where_first_found():
    x = Tensor(np.array([3.0, 1.0, 3.0, 2.0, 1.0]))
    w = Tensor(np.array([10.0, 20.0, 30.0]))

    def f(x):
        values, _ = ops.unique(x)  # (first-appearance order: 3, 1, 2)
        return (values * w).sum()

    np.testing.assert_array_equal(ops.grad(f)(x).asnumpy(), [10.0, 20.0, 0.0, 30.0, 0.0])
    y = Tensor(np.array([0.3, -1.2, 2.5, 0.7]))  # (distinct: differentiable)
    check_grads(lambda t: (t.unique() ** 2 * Tensor(np.arange(4.0))).sum(), (y,), order=1)
    check_grads(lambda t: (ops.unique_consecutive(t) ** 3).sum(), (y,), order=1)
    from autograd_st.errors import UnsupportedSyntaxError
    with pytest.raises(UnsupportedSyntaxError, match="second derivative through ops.unique"):
        ops.grad(ops.grad(lambda t: (ops.unique(t)[0] ** 3).sum()))(y)
