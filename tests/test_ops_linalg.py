"""The linear-algebra and special-function family (``autograd_st/table_linalg.py``,
``rules_linalg.py``, ``kernels_special.py``, ``ops/classes_linalg.py``) through the public API:
the special functions against ``math`` and closed forms, the ops against numpy, each op's
derivatives under the compiler (forward, reverse and second order, by ``check_grads``), a Cell
under ``value_and_grad``, and the argument errors.  Recorded MindSpore values for the same ops
are the ``lin_*`` cases of ``tests/ms_cases``.
"""
import math

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Tensor, check_grads, kernels_special, nn, ops, rules_linalg
from autograd_st.errors import InputValueError
from autograd_st.rules import REGISTRY

RNG = np.random.default_rng(5)
M = Tensor(RNG.standard_normal((3, 3)) + 3 * np.eye(3))
MB = Tensor(RNG.standard_normal((2, 3, 3)) + 3 * np.eye(3))
_B = RNG.standard_normal((3, 3))
SPD = Tensor(_B @ _B.T / 3 + np.eye(3))
R = Tensor(RNG.standard_normal((3, 2)))
X = Tensor(RNG.standard_normal((3, 4)))
POS = Tensor(RNG.uniform(0.7, 4.0, (2, 3)))
U = Tensor(RNG.uniform(-0.8, 0.8, (2, 3)))


# ---------------------------------------------------------------------------------------
# the special functions' numerics
# ---------------------------------------------------------------------------------------

def test_lgamma_matches_math_lgamma():
    xs = np.array([1e-3, 0.1, 0.5, 1, 1.5, 2, 2.5, 3.7, 7.3, 12.5, 30, 171.3, 1e5, -0.5, -1.5,
                   -2.5, -3.3, -10.7])
    want = np.array([math.lgamma(v) for v in xs])
    np.testing.assert_allclose(kernels_special.lgamma(xs), want, rtol=1e-13, atol=1e-13)
    assert np.all(np.isposinf(kernels_special.lgamma(np.array([0.0, -1.0, -2.0]))))
    assert kernels_special.lgamma(np.float32(2.5)).dtype == np.float32


def test_digamma_polygamma_zeta_closed_forms():
    ks = kernels_special
    euler = 0.5772156649015329
    np.testing.assert_allclose(ks.digamma(np.array([1.0, 0.5, -1.5, 1e-3])),
                               [-euler, -euler - 2 * math.log(2), 0.7031566406452432,
                                -1000.5755719318103], rtol=1e-12)
    np.testing.assert_allclose(ks.polygamma(1, np.array([1.0, 0.5])),
                               [math.pi ** 2 / 6, math.pi ** 2 / 2], rtol=1e-13)
    np.testing.assert_allclose(ks.polygamma(2, 1.0), -2 * 1.2020569031595942, rtol=1e-13)
    np.testing.assert_allclose(ks.polygamma(3, 1.0), math.pi ** 4 / 15, rtol=1e-13)
    np.testing.assert_allclose(ks.zeta(np.array([2.0, 4.0]), 1.0),
                               [math.pi ** 2 / 6, math.pi ** 4 / 90], rtol=1e-13)
    # zeta(s, q) - zeta(s, q + 1) = q ** -s
    s, q = np.array([1.5, 3.2, 7.0]), np.array([0.3, 2.5, 11.0])
    np.testing.assert_allclose(ks.zeta(s, q) - ks.zeta(s, q + 1), q ** -s, rtol=1e-12)
    d = ks.digamma(np.array([0.0, -1.0]))
    assert np.isneginf(d[0]) and np.isnan(d[1])


def test_erfinv_inverts_math_erf():
    ys = np.linspace(-0.999999, 0.999999, 2001)
    x = kernels_special.erfinv(ys)
    np.testing.assert_allclose([math.erf(v) for v in x], ys, rtol=0, atol=1e-15)
    out = kernels_special.erfinv(np.array([1.0, -1.0, 1.5, 0.0]))
    assert np.isposinf(out[0]) and np.isneginf(out[1]) and np.isnan(out[2]) and out[3] == 0


def test_bessel_and_incomplete_gamma():
    ks = kernels_special

    def series(v, nu):
        return math.fsum((v / 2) ** (2 * k + nu) / (math.factorial(k) * math.factorial(k + nu))
                         for k in range(85))
    vs = np.array([0.0, 0.5, -2.5, 10, 19.9, 20.1, 25, 40, -30])
    np.testing.assert_allclose(ks.i0(vs), [series(v, 0) for v in vs], rtol=1e-13)
    np.testing.assert_allclose(ks.i1(vs), [math.copysign(series(abs(v), 1), v) for v in vs],
                               rtol=1e-13, atol=1e-300)
    x = np.array([0.01, 0.3, 1, 2.5, 7, 30])
    np.testing.assert_allclose(ks.igamma(1.0, x), -np.expm1(-x), rtol=1e-13)
    np.testing.assert_allclose(ks.igamma(0.5, x), [math.erf(math.sqrt(v)) for v in x],
                               rtol=1e-13)
    np.testing.assert_allclose(ks.igammac(3.0, x), np.exp(-x) * (1 + x + x * x / 2),
                               rtol=1e-12)


# ---------------------------------------------------------------------------------------
# the ops against numpy
# ---------------------------------------------------------------------------------------

def test_linear_algebra_values():
    m, r = M.asnumpy(), R.asnumpy()
    np.testing.assert_allclose(ops.det(MB).asnumpy(), np.linalg.det(MB.asnumpy()))
    np.testing.assert_allclose(ops.inverse(M).asnumpy(), np.linalg.inv(m))
    np.testing.assert_allclose(M.inverse().asnumpy(), np.linalg.inv(m))
    np.testing.assert_allclose(ops.inv(Tensor(np.array([2.0, 4.0]))).asnumpy(), [0.5, 0.25])
    sign, logabs = ops.slogdet(Tensor(np.array([[-2.0, 0.0], [0.0, 3.0]])))
    assert float(sign.asnumpy()) == -1.0 and np.isclose(float(logabs.asnumpy()), np.log(6))
    assert np.isnan(float(ops.logdet(Tensor(np.array([[-2.0, 0.0], [0.0, 3.0]]))).asnumpy()))
    np.testing.assert_allclose(ops.matrix_power(M, 3).asnumpy(), m @ m @ m)
    np.testing.assert_allclose(ops.matrix_power(M, -2).asnumpy(),
                               np.linalg.inv(m @ m), rtol=1e-10)
    np.testing.assert_allclose(ops.matrix_power(MB, 0).asnumpy(), np.broadcast_to(np.eye(3),
                                                                                  (2, 3, 3)))
    low = ops.cholesky(SPD).asnumpy()
    np.testing.assert_allclose(low @ low.T, SPD.asnumpy(), atol=1e-12)
    np.testing.assert_allclose(ops.cholesky(SPD, True).asnumpy(), low.T)
    np.testing.assert_allclose(ops.cholesky_solve(R, Tensor(low)).asnumpy(),
                               np.linalg.solve(SPD.asnumpy(), r), rtol=1e-10)
    np.testing.assert_allclose(ops.cholesky_inverse(Tensor(low)).asnumpy(),
                               np.linalg.inv(SPD.asnumpy()), rtol=1e-10)
    np.testing.assert_allclose(ops.matrix_solve(M, R, True).asnumpy(),
                               np.linalg.solve(m.T, r), rtol=1e-10)
    np.testing.assert_allclose(ops.pinv(R).asnumpy(), np.linalg.pinv(r), rtol=1e-10)
    np.testing.assert_allclose(ops.lstsq(R, M).asnumpy(), np.linalg.lstsq(r, m, rcond=None)[0],
                               rtol=1e-10)
    x, _ = R.triangular_solve(M, upper=False)
    np.testing.assert_allclose(x.asnumpy(), np.linalg.solve(np.tril(m), r), rtol=1e-10)
    q, rr = ops.qr(R)
    np.testing.assert_allclose(q.asnumpy() @ rr.asnumpy(), r, atol=1e-12)
    s, u, v = ops.svd(R)
    np.testing.assert_allclose((u.asnumpy() * s.asnumpy()) @ v.asnumpy().T, r, atol=1e-12)
    vals = ops.eigvals(SPD).asnumpy()
    np.testing.assert_allclose(np.sort(vals.real), np.linalg.eigvalsh(SPD.asnumpy()))


def _lu(a):
    """LAPACK's getrf in numpy: packed LU and 1-based pivots (partial pivoting)."""
    lu, n = a.copy(), a.shape[0]
    piv = np.zeros(n, np.int32)
    for k in range(n):
        p = k + int(np.argmax(np.abs(lu[k:, k])))
        piv[k] = p + 1
        lu[[k, p]] = lu[[p, k]]
        lu[k + 1:, k] /= lu[k, k]
        lu[k + 1:, k + 1:] -= np.outer(lu[k + 1:, k], lu[k, k + 1:])
    return lu, piv


def test_lu_solve_and_matrix_exp():
    a = RNG.standard_normal((4, 4))
    lu, piv = _lu(a)
    assert len(set(piv.tolist())) > 1  # some rows were interchanged
    b = RNG.standard_normal((4, 2))
    x = ops.lu_solve(Tensor(b), Tensor(lu), Tensor(piv))
    np.testing.assert_allclose(x.asnumpy(), np.linalg.solve(a, b), rtol=1e-10)
    np.testing.assert_allclose(Tensor(b).lu_solve(Tensor(lu), Tensor(piv)).asnumpy(),
                               x.asnumpy())
    lus, pivs = zip(*(_lu(m) for m in MB.asnumpy()))
    xb = ops.lu_solve(Tensor(RNG.standard_normal((2, 3, 1))), Tensor(np.stack(lus)),
                      Tensor(np.stack(pivs)))
    assert xb.shape == (2, 3, 1)
    rot = ops.matrix_exp(Tensor(np.array([[0.0, 1.0], [-1.0, 0.0]]))).asnumpy()
    np.testing.assert_allclose(rot, [[math.cos(1), math.sin(1)], [-math.sin(1), math.cos(1)]])
    w, v = np.linalg.eig(MB.asnumpy()[0] * 2)
    want = ((v * np.exp(w)) @ np.linalg.inv(v)).real
    np.testing.assert_allclose(ops.matrix_exp(MB * 2).asnumpy()[0], want, rtol=1e-12)

    def f(b, lu, m):
        return (ops.sum(ops.lu_solve(b, lu, Tensor(piv)) ** 2)
                + ops.sum(ops.matrix_exp(m) ** 2) + ops.sum(ops.MatrixExp()(m * 0.5)))
    check_grads(f, (Tensor(b), Tensor(lu), M * 0.3), order=2)


def test_products_and_statistics_values():
    a, b = RNG.standard_normal((2, 3, 4)), RNG.standard_normal((4, 3, 5))
    np.testing.assert_allclose(ops.tensor_dot(Tensor(a), Tensor(b), ((1, 2), (1, 0))).asnumpy(),
                               np.tensordot(a, b, ((1, 2), (1, 0))))
    np.testing.assert_allclose(ops.kron(X, M).asnumpy(), np.kron(X.asnumpy(), M.asnumpy()))
    np.testing.assert_allclose(ops.kron(Tensor(a[0, 0]), X).asnumpy(),
                               np.kron(a[0, 0], X.asnumpy()))
    np.testing.assert_allclose(ops.inner(X, Tensor(a)).asnumpy(), np.inner(X.asnumpy(), a))
    c = RNG.standard_normal((2, 4, 5))
    np.testing.assert_allclose(ops.batch_dot(Tensor(a), Tensor(c)).asnumpy(), a @ c)
    assert ops.batch_dot(X, X).shape == (3, 1)
    np.testing.assert_allclose(ops.cov(X).asnumpy(), np.cov(X.asnumpy()))
    fw, aw = np.array([1, 2, 1, 3]), np.array([0.5, 1.0, 2.0, 1.0])
    np.testing.assert_allclose(
        ops.cov(X, correction=0, fweights=Tensor(fw), aweights=Tensor(aw)).asnumpy(),
        np.cov(X.asnumpy(), ddof=0, fweights=fw, aweights=aw))
    np.testing.assert_allclose(ops.vector_norm(X, 3.0, (0, 1)).asnumpy(),
                               np.sum(np.abs(X.asnumpy()) ** 3) ** (1 / 3))
    np.testing.assert_allclose(ops.matrix_norm(X, "nuc").asnumpy(),
                               np.linalg.norm(X.asnumpy(), "nuc"))
    np.testing.assert_allclose(ops.matrix_norm(X, -2).asnumpy(), np.linalg.norm(X.asnumpy(), -2))
    np.testing.assert_allclose(ops.trapz(X, dx=0.5, dim=0).asnumpy(),
                               np.trapezoid(X.asnumpy(), dx=0.5, axis=0))
    xs = np.array([0.0, 1.0, 3.0, 4.0])
    np.testing.assert_allclose(ops.trapz(X, Tensor(xs)).asnumpy(),
                               np.trapezoid(X.asnumpy(), xs))
    np.testing.assert_allclose(ops.vander(Tensor(xs), 3).asnumpy(), np.vander(xs, 3))


def test_diagonal_ops_values():
    a = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_allclose(ops.diagonal(Tensor(a), 1, 1, 2).asnumpy(),
                               np.diagonal(a, 1, 1, 2))
    np.testing.assert_allclose(Tensor(a).diagonal(-1, 2, 0).asnumpy(), np.diagonal(a, -1, 2, 0))
    d = ops.diag(Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]))).asnumpy()
    assert d.shape == (2, 2, 2, 2) and d[1, 0, 1, 0] == 3.0 and d.sum() == 10.0
    np.testing.assert_allclose(ops.diagflat(Tensor(np.array([1.0, 2.0])), -1).asnumpy(),
                               np.diagflat([1.0, 2.0], -1))
    e = ops.diag_embed(Tensor(np.array([[1.0, 2.0], [3.0, 4.0]])), 0, 0, 2).asnumpy()
    np.testing.assert_allclose(e, [[[1.0, 0.0], [3.0, 0.0]], [[0.0, 2.0], [0.0, 4.0]]])
    s = ops.matrix_set_diag(M, Tensor(np.array([9.0, 8.0])), 1).asnumpy()
    assert s[0, 1] == 9.0 and s[1, 2] == 8.0 and s[0, 0] == M.asnumpy()[0, 0]
    np.testing.assert_allclose(ops.matrix_band_part(X, 1, 0).asnumpy(),
                               np.tril(np.triu(X.asnumpy(), -1)))
    pad = ops.matrix_diag(Tensor(np.array([1.0, 2.0])), 0, -1, -1, 7.0).asnumpy()
    np.testing.assert_allclose(pad, [[1.0, 7.0], [7.0, 2.0]])


def test_order_statistics_values():
    x = Tensor(np.array([[3.0, 1.0, 4.0, 1.0, 5.0], [9.0, 2.0, 6.0, 5.0, 3.0]]))
    xn = x.asnumpy()
    for q in (0.0, 0.3, 0.5, 1.0):
        np.testing.assert_allclose(ops.quantile(x, q, 1).asnumpy(), np.quantile(xn, q, 1))
    qs = np.array([0.1, 0.5, 0.9])
    np.testing.assert_allclose(ops.quantile(x, Tensor(qs), 1, True).asnumpy(),
                               np.quantile(xn, qs, 1, keepdims=True))
    np.testing.assert_allclose(ops.quantile(x, 0.25, None, True).asnumpy(),
                               np.quantile(xn, 0.25, keepdims=True))
    xnan = np.array([[1.0, np.nan, 3.0, 4.0], [2.0, 1.0, np.nan, 7.0]])
    np.testing.assert_allclose(ops.nanquantile(Tensor(xnan), 0.4, 1).asnumpy(),
                               np.nanquantile(xnan, 0.4, 1))
    assert np.isnan(ops.quantile(Tensor(xnan), 0.4, 1).asnumpy()).all()
    v, i = x.kthvalue(2, 1)
    np.testing.assert_allclose(v.asnumpy(), [1.0, 3.0])
    np.testing.assert_array_equal(i.asnumpy(), [3, 4])
    v, i = ops.median(x, 1, True)
    np.testing.assert_allclose(v.asnumpy(), [[3.0], [5.0]])
    np.testing.assert_array_equal(i.asnumpy(), [[0], [3]])
    v, i = ops.cummax(Tensor(np.array([3.0, 1.0, 3.0, 2.0, 3.0])), 0)
    np.testing.assert_array_equal(i.asnumpy(), [0, 0, 2, 2, 4])
    assert i.dtype == ms.int64
    _, i = ops.cummin(Tensor(np.array([1.0, 3.0, 1.0])), 0)
    assert i.dtype == ms.int32
    np.testing.assert_allclose(ops.logcumsumexp(x, 1).asnumpy(),
                               np.logaddexp.accumulate(xn, axis=1))
    np.testing.assert_allclose(ops.histc(x, 4, 0.0, 8.0).asnumpy(), [2.0, 3.0, 3.0, 1.0])
    b = ops.bincount(Tensor(np.array([1, 3, 3, 0], np.int32)), minlength=5)
    np.testing.assert_allclose(b.asnumpy(), [1.0, 1.0, 0.0, 2.0, 0.0])
    assert b.dtype == ms.float32


def test_integer_and_sign_ops():
    i = Tensor(np.array([12, -7, 5], np.int32))
    j = Tensor(np.array([10, 3, 6], np.int32))
    np.testing.assert_array_equal(ops.gcd(i, j).asnumpy(), [2, 1, 1])
    np.testing.assert_array_equal(i.lcm(j).asnumpy(), [60, 21, 30])
    np.testing.assert_array_equal(ops.bitwise_xor(i, j).asnumpy(), [6, -6, 3])
    np.testing.assert_array_equal(i.bitwise_left_shift(j).asnumpy(), [12288, -56, 320])
    np.testing.assert_array_equal(ops.invert(i).asnumpy(), [-13, 6, -6])
    np.testing.assert_array_equal(ops.BitwiseAnd()(i, j).asnumpy(), [8, 1, 4])
    x = Tensor(np.array([0.5, -1.0, 2.5], np.float32))
    np.testing.assert_allclose(ops.copysign(x, Tensor(np.array([-1.0, -0.0, 1.0]))).asnumpy(),
                               [-0.5, 1.0, 2.5])
    np.testing.assert_array_equal(ops.signbit(Tensor(np.array([-0.0, -1.0, 2.0]))).asnumpy(),
                                  [False, True, False])
    assert ops.nextafter(x, Tensor(np.float32(3.0))).asnumpy()[0] == np.nextafter(
        np.float32(0.5), np.float32(3.0))


def test_special_ops_keep_float32():
    x = Tensor(np.array([0.7, 2.5], np.float32))
    for out in (ops.lgamma(x), ops.digamma(x), x.erfinv() if False else ops.erfinv(x * 0.5),
                ops.i0(x), ops.igamma(x, x), ops.polygamma(Tensor(np.array(1)), x),
                ops.mvlgamma(x + 2.0, 2)):
        assert out.dtype == ms.float32
    np.testing.assert_allclose(ops.mvlgamma(Tensor(np.array([2.5, 3.0])), 2).asnumpy(),
                               [0.8570477, 1.5501950], rtol=1e-6)


# ---------------------------------------------------------------------------------------
# derivatives under the compiler
# ---------------------------------------------------------------------------------------

def dets(m):
    sign, logabs = ops.slogdet(m)
    return (ops.det(m) + ops.sum(ops.inverse(m) ** 2) + logabs * sign + ops.logdet(m)
            + ops.sum(ops.matrix_power(m, 3)) * 0.01 + ops.sum(ops.MatrixInverse(True)(m)))


def factorizations(s, r):
    low = ops.cholesky(s)
    return (ops.sum(low ** 2) + ops.sum(ops.cholesky_solve(r, low) ** 2)
            + ops.sum(ops.cholesky_inverse(low)) + ops.sum(ops.matrix_solve(s, r) ** 2)
            + ops.sum(ops.pinv(r) ** 2) + ops.sum(ops.lstsq(r, r * 0.5)))


def contractions(x, m):
    return (ops.sum(ops.kron(x, m) ** 2) + ops.sum(ops.inner(x, x) ** 2)
            + ops.sum(ops.tensor_dot(m, x, 1) ** 2) + ops.sum(ops.batch_dot(x, x) ** 2)
            + ops.sum(ops.cov(x) ** 2) + ops.vector_norm(x, 3.0) + ops.matrix_norm(x, 1)
            + ops.sum(x.outer(m[0]) ** 2) + ops.sum(ops.vander(m[0], 3)))


def diagonals(x, m):
    return (ops.sum(ops.diagonal(x, 1) ** 2) + ops.sum(ops.diag(m[0]) * m)
            + ops.sum(ops.diag_embed(x, 1) ** 2) + ops.sum(ops.diagflat(m[1], -1) ** 2)
            + ops.sum(ops.matrix_set_diag(m, m[2] * 2.0) ** 2)
            + ops.sum(ops.matrix_band_part(x, 1, 0) ** 2) + ops.sum(ops.matrix_diag_part(x, 0, 0)))


def specials(p, u):
    return (ops.sum(ops.lgamma(p) * ops.digamma(p)) + ops.sum(ops.polygamma(Tensor(2), p))
            + ops.sum(ops.erfinv(u) ** 2) + ops.sum(ops.i0(u * 3.0))
            + ops.sum(ops.mvlgamma(p + 2.0, 3)) + ops.sum(ops.igamma(A_CONST, p * 0.7))
            + ops.sum(ops.igammac(A_CONST, p)) + ops.sum(ops.zeta(A_CONST + 1.2, p)))


A_CONST = Tensor(RNG.uniform(0.5, 3.0, (2, 3)))


def test_igamma_first_order_in_both_arguments():
    # (the derivative in a is not itself differentiated: first order only)
    def f(a, x):
        return ops.sum(ops.igamma(a, x) ** 2) + ops.sum(ops.igammac(a, x * 3.0))
    check_grads(f, (POS, Tensor(RNG.uniform(0.2, 3.0, (2, 3)))), order=1)


def order_stats(x):
    vmax, _ = ops.cummax(x, 1)
    vmin, _ = ops.cummin(x, 0)
    med, _ = ops.median(x, 1)
    kth, _ = x.kthvalue(2, 0)
    return (ops.sum(vmax ** 2) + ops.sum(vmin * 3.0) + ops.sum(med ** 2) + ops.sum(kth ** 2)
            + ops.sum(ops.quantile(x, 0.3, 1) ** 2) + ops.sum(ops.quantile(x, [0.2, 0.7]) ** 2)
            + ops.sum(ops.logcumsumexp(x, 1)) + ops.sum(ops.trapz(x * x))
            + ops.sum(ops.copysign(x, x - 0.1) * x))


@pytest.mark.parametrize("f, args", [
    (dets, (M,)), (factorizations, (SPD, R)), (contractions, (X, M)), (diagonals, (X, M)),
    (specials, (POS, U)), (order_stats, (X,)),
], ids=lambda v: getattr(v, "__name__", ""))
def test_derivatives_to_second_order(f, args):
    check_grads(f, args, order=2)


def test_singular_values_first_order():
    def f(x):
        return ops.sum(ops.svd(x, compute_uv=False) ** 2) + ops.matrix_norm(x, "nuc")
    check_grads(f, (R,), order=1)


class _Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = ms.Parameter(Tensor(np.eye(3) * 2.0 + 0.1), name="w")

    def construct(self, x):
        h = ops.matmul(x, self.w)
        med, _ = ops.median(h, 1)
        return (ops.det(self.w) + ops.sum(ops.inverse(self.w) * 0.5) + ops.sum(ops.lgamma(h * h
                + 1.0)) + ops.sum(ops.erfinv(ops.tanh(h) * 0.5)) + ops.sum(med)
                + ops.sum(ops.kron(self.w, x[0:1])) + ops.sum(ops.cummax(h, 1)[0]))


def test_cell_under_value_and_grad():
    net = _Net()
    x = Tensor(RNG.standard_normal((4, 3)))
    fn = ops.value_and_grad(net, 0, net.trainable_params())
    value, (gx, (gw,)) = fn(x)
    w0 = net.w.asnumpy().copy()

    def loss(xv, wv):
        net.w.set_data(Tensor(wv))
        return float(net(Tensor(xv)).asnumpy())
    np.testing.assert_allclose(float(value.asnumpy()), loss(x.asnumpy(), w0))
    eps = 1e-6
    for arr, g, which in ((x.asnumpy(), gx, 0), (w0, gw, 1)):
        num = np.zeros_like(arr)
        for k in np.ndindex(arr.shape):
            d = np.zeros_like(arr)
            d[k] = eps
            args_p = (x.asnumpy() + d, w0) if which == 0 else (x.asnumpy(), w0 + d)
            args_m = (x.asnumpy() - d, w0) if which == 0 else (x.asnumpy(), w0 - d)
            num[k] = (loss(*args_p) - loss(*args_m)) / (2 * eps)
        np.testing.assert_allclose(g.asnumpy(), num, rtol=1e-5, atol=1e-6)
    net.w.set_data(Tensor(w0))


# ---------------------------------------------------------------------------------------
# errors and bookkeeping
# ---------------------------------------------------------------------------------------

def test_argument_errors():
    with pytest.raises(InputValueError, match="matrix_power"):
        ops.matrix_power(M, 1.5)
    with pytest.raises(InputValueError, match="q must be"):
        ops.quantile(X, 1.5)
    with pytest.raises(InputValueError, match="atol and rtol"):
        ops.pinv(R, rtol=1e-3)
    with pytest.raises(InputValueError, match="greater than"):
        ops.mvlgamma(Tensor(np.array([0.2, 3.0])), 2)
    with pytest.raises(InputValueError, match="mode"):
        ops.qr(R, "r")


def test_module_lists_what_it_registers():
    registered = {n for n, p in REGISTRY.items() if p.fn.__module__ == rules_linalg.__name__}
    assert registered == set(rules_linalg.LINALG_PRIMITIVES)


# --- derivatives that are not implemented are refused, never a silent zero -----------------

def _refused(fn, *args, order=1):
    from autograd_st.errors import UnsupportedSyntaxError
    g = fn
    for _ in range(order):
        g = ops.grad(g)
    with pytest.raises(UnsupportedSyntaxError, match="is not implemented") as info:
        g(*args)
    assert "stop_gradient" in str(info.value)


def test_gradients_through_factor_matrices_are_refused():
    a = Tensor(np.array([[2.0, 0.5, 0.1], [0.3, 1.5, 0.2], [0.1, 0.4, 1.8]]))
    _refused(lambda x: ops.svd(x)[1].sum(), a)   # (the left singular vectors)
    _refused(lambda x: ops.qr(x)[0].sum(), a)
    _refused(lambda x: ops.svd(x, compute_uv=False).sum(), a, order=2)  # second order
    s = ops.grad(lambda x: ops.svd(x, compute_uv=False).sum())(a)  # first order: computed
    u, _, vh = np.linalg.svd(a.asnumpy())
    np.testing.assert_allclose(s.asnumpy(), u @ vh, rtol=1e-10)
    # the vectors with stop_gradient: the values' gradient only
    g = ops.grad(lambda x: (ops.stop_gradient(ops.svd(x)[1]) * x).sum())(a)
    np.testing.assert_allclose(g.asnumpy(), np.linalg.svd(a.asnumpy())[0], rtol=1e-10)


def test_second_derivative_of_igamma_in_a_is_refused():
    x = Tensor(np.array([0.7, 1.3]))
    a = Tensor(np.array([1.5, 2.5]))
    first = ops.grad(lambda a, x: ops.igamma(a, x).sum())(a, x)
    assert np.all(np.isfinite(first.asnumpy()))
    _refused(lambda a, x: ops.igamma(a, x).sum(), a, x, order=2)
