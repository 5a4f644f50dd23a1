"""``autograd_st.mint``: the names mapped once their primitives landed (bitwise, cumulative,
order statistics, index results, linalg inv/qr, 3-D conv/pool, Fold/Unfold, MaxUnpool2d,
SoftMarginLoss, the random samplers).

Values against MindSpore 2.10 (tests/ms_cases/cases/mint2_measured.py records the ops its
CPU build has kernels for; numbers quoted here were measured there), numpy and hand-derived
numbers (PyTorch's definitions, which mint documents, where MindSpore's CPU build has no
kernel); gradients, compiled, against float64 central finite differences; the random
samplers by shapes, dtypes, ranges and reproducibility (``manual_seed``, ``Generator``).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Parameter, Tensor, mint, nn, ops
from autograd_st.check import check_grads
from autograd_st.errors import UnsupportedSyntaxError
from autograd_st.mint import linalg
from autograd_st.mint import nn as mnn
from autograd_st.mint.nn import functional as F

RNG = np.random.default_rng(2)


def _t(*shape, positive=False):
    a = RNG.standard_normal(shape)
    return Tensor(np.abs(a) + 0.5 if positive else a)


X = _t(3, 4)
SQ = Tensor(RNG.standard_normal((3, 3)) + 3 * np.eye(3))
B = _t(3, 2)


# ---------------------------------------------------------------------------------------
# MISSING holds only what still lacks a primitive
# ---------------------------------------------------------------------------------------

def test_missing_lists_only_what_is_still_missing():
    assert set(mint.MISSING) == {"polar", "batch_norm_elemt",
                                 "batch_norm_gather_stats_with_counts", "batch_norm_stats",
                                 "conv_tbc", "addr_"}
    assert linalg.MISSING == () and mnn.MISSING == () and F.MISSING == ("grid_sample",)
    for name in ("bernoulli", "bincount", "bitwise_and", "bitwise_not", "bitwise_or",
                 "bitwise_xor", "cummax", "cummin", "diag", "erfinv", "gcd", "histc", "imag",
                 "inverse", "kthvalue", "median", "multinomial", "nonzero", "normal", "rand",
                 "rand_like", "randint", "randint_like", "randn", "randn_like", "randperm",
                 "searchsorted", "triangular_solve", "unique", "unique_consecutive"):
        assert callable(getattr(mint, name)) and name in mint.__all__, name
    for name in ("AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AvgPool3d", "BatchNorm3d",
                 "Conv3d", "Dropout2d", "Fold", "Unfold", "MaxUnpool2d", "SoftMarginLoss"):
        assert isinstance(getattr(mnn, name), type) and name in mnn.__all__, name
    for name in ("adaptive_avg_pool3d", "adaptive_avg_pool3d_ext", "adaptive_max_pool1d",
                 "avg_pool3d", "conv3d", "dropout2d", "fold", "unfold", "max_unpool2d",
                 "soft_margin_loss"):
        assert callable(getattr(F, name)), name
    assert callable(linalg.inv) and callable(linalg.qr)


# ---------------------------------------------------------------------------------------
# gradients, compiled, against finite differences
# ---------------------------------------------------------------------------------------

W4 = Tensor(np.array([1.0, 2.0, 3.0, 4.0]))


def f_cummax(x): return mint.sum(mint.cummax(x, 1)[0] * W4)
def f_cummin(x): return mint.sum(mint.cummin(x, 0)[0] ** 2)
def f_diag_vec(x): return mint.sum(mint.diag(x[0], 1) * mint.arange(25.0).reshape(5, 5))
def f_diag_mat(x): return mint.sum(mint.diag(x, -1) ** 2) + mint.sum(mint.diag(x) * 3.0)
def f_erfinv(x): return mint.sum(mint.erfinv(mint.tanh(x) * 0.9) ** 2)
def f_inverse(a): return mint.sum(mint.inverse(a) * mint.arange(9.0).reshape(3, 3))
def f_linalg_inv(a): return mint.sum(linalg.inv(a) ** 2)
def f_kthvalue(x): return mint.sum(mint.kthvalue(x, 2, 1)[0] * mint.arange(3.0))
def f_kthvalue_keep(x): return mint.sum(mint.kthvalue(x, 3, 0, True)[0] ** 2)
def f_median(x): return mint.median(x) * 2.0
def f_median_dim(x): return mint.sum(mint.median(x, 1)[0] ** 2)
def f_trsolve(b, a): return mint.sum(mint.triangular_solve(b, a)[0] ** 2)
def f_trsolve_lower(b, a):
    return mint.sum(mint.triangular_solve(b, a, upper=False, transpose=True)[0] * 1.5)
def f_trsolve_unit(b, a):
    return mint.sum(mint.triangular_solve(b, a, unitriangular=True)[0] ** 2)


CASES = [
    (f_cummax, (X,)), (f_cummin, (X,)), (f_diag_vec, (X,)), (f_diag_mat, (X,)),
    (f_erfinv, (X,)), (f_inverse, (SQ,)), (f_linalg_inv, (SQ,)), (f_kthvalue, (X,)),
    (f_kthvalue_keep, (X,)), (f_median, (X,)), (f_median_dim, (X,)),
    (f_trsolve, (B, SQ)), (f_trsolve_lower, (B, SQ)), (f_trsolve_unit, (B, SQ)),
]


@pytest.mark.parametrize("f, args", CASES, ids=[c[0].__name__ for c in CASES])
def test_gradient_through_new_mint_function(f, args):
    check_grads(f, args, order=1)


X5 = _t(2, 2, 4, 4, 4)
W5 = _t(3, 2, 2, 2, 2)
X4 = _t(2, 3, 4, 4)
X3 = _t(2, 3, 7)
T4 = Tensor(np.sign(RNG.standard_normal((2, 3, 4, 4))))


def f_conv3d(x, w): return mint.sum(F.conv3d(x, w, None, 1, 1) ** 2)
def f_conv3d_same(x, w): return mint.sum(F.conv3d(x, w, None, 1, "same") ** 2)
def f_avg_pool3d(x): return mint.sum(F.avg_pool3d(x, 2, 1, 1, count_include_pad=False) ** 2)
def f_adaptive_avg_pool3d(x): return mint.sum(F.adaptive_avg_pool3d(x, (3, 2, 1)) ** 2)
def f_adaptive_max_pool1d(x): return mint.sum(F.adaptive_max_pool1d(x, 3) ** 2)
def f_unfold(x): return mint.sum(F.unfold(x, 2, 1, 1, 2) ** 2)
def f_fold(x): return mint.sum(F.fold(F.unfold(x, 2), (4, 4), 2) ** 2)
def f_soft_margin(x): return F.soft_margin_loss(x, T4)
def f_soft_margin_sum(x): return F.soft_margin_loss(x, T4, reduction="sum")
def f_max_unpool2d(x):
    v, i = F.max_pool2d(x, 2, return_indices=True)
    return mint.sum(F.max_unpool2d(v, i, 2) ** 2)


NN_CASES = [
    (f_conv3d, (X5, W5)), (f_conv3d_same, (X5, W5)), (f_avg_pool3d, (X5,)),
    (f_adaptive_avg_pool3d, (X5,)), (f_adaptive_max_pool1d, (X3,)), (f_unfold, (X4,)),
    (f_fold, (X4,)), (f_soft_margin, (X4,)), (f_soft_margin_sum, (X4,)),
    (f_max_unpool2d, (X4,)),
]


@pytest.mark.parametrize("f, args", NN_CASES, ids=[c[0].__name__ for c in NN_CASES])
def test_gradient_through_new_mint_nn_function(f, args):
    check_grads(f, args, order=1, modes=("rev",))


def test_second_order_through_inverse_and_kthvalue():
    check_grads(f_inverse, (SQ,), order=2)
    check_grads(f_kthvalue, (X,), order=2)


# ---------------------------------------------------------------------------------------
# values: measured in MindSpore 2.10 (CPU kernels), else PyTorch's definition
# ---------------------------------------------------------------------------------------

XF = Tensor(np.array([[3., 1., 2.], [0., 5., 4.]], np.float32))
XI = Tensor(np.array([[3, 1, 2], [0, 5, 4]], np.int32))


def test_measured_values():
    # each compared with the output of the same call in MindSpore 2.10
    out = mint.bitwise_and(XI, Tensor(np.int32(6)))
    assert out.dtype == ms.int32 and out.asnumpy().tolist() == [[2, 0, 2], [0, 4, 4]]
    v, i = mint.cummax(XF, 1)
    assert v.asnumpy().tolist() == [[3, 3, 3], [0, 5, 5]]
    assert i.dtype == ms.int64 and i.asnumpy().tolist() == [[0, 0, 0], [0, 1, 1]]
    np.testing.assert_allclose(
        mint.erfinv(Tensor(np.array([0.1, -0.5, 0.9], np.float32))).asnumpy(),
        [0.08885598927736282, -0.4769362807273865, 1.1630871295928955], rtol=1e-6)
    assert mint.gcd(XI, Tensor(np.array([6, 4, 4], np.int32))).asnumpy().tolist() == \
        [[3, 1, 2], [6, 1, 4]]
    im = mint.imag(XF)
    assert im.dtype == ms.float32 and im.asnumpy().tolist() == [[0, 0, 0], [0, 0, 0]]
    nz = mint.nonzero(XF)
    assert nz.dtype == ms.int64 and nz.asnumpy().tolist() == \
        [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2]]
    s = Tensor(np.array([1., 2., 3., 5.], np.float32))
    v = Tensor(np.array([2., 4.], np.float32))
    out = mint.searchsorted(s, v)
    assert out.dtype == ms.int64 and out.asnumpy().tolist() == [1, 3]
    assert mint.searchsorted(s, v, right=True).asnumpy().tolist() == [2, 3]
    assert mint.searchsorted(s, v, out_int32=True).dtype == ms.int32
    u = Tensor(np.array([3, 1, 2, 1, 3, 3], np.int64))
    values, inverse, counts = mint.unique_consecutive(u, True, True)
    assert values.asnumpy().tolist() == [3, 1, 2, 1, 3]
    assert inverse.dtype == ms.int64 and inverse.asnumpy().tolist() == [0, 1, 2, 3, 4, 4]
    assert counts.asnumpy().tolist() == [1, 1, 1, 1, 2]


def test_bitwise_forms():
    a = np.array([[3, 1, 2], [0, 5, 4]], np.int32)
    b = a + 1
    assert mint.bitwise_or(XI, Tensor(b)).asnumpy().tolist() == (a | b).tolist()
    assert mint.bitwise_xor(XI, Tensor(b)).asnumpy().tolist() == (a ^ b).tolist()
    assert mint.bitwise_not(XI).asnumpy().tolist() == (~a).tolist()
    assert mint.bitwise_not(Tensor(np.array([True, False]))).asnumpy().tolist() == \
        [False, True]


def test_cummin_diag_kthvalue_median_values():
    v, i = mint.cummin(XF, 0)
    assert v.asnumpy().tolist() == [[3, 1, 2], [0, 1, 2]]
    assert i.dtype == ms.int64 and i.asnumpy().tolist() == [[0, 0, 0], [1, 0, 0]]
    d = mint.diag(Tensor(np.array([1., 2.], np.float32)), 1)
    assert d.asnumpy().tolist() == [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
    assert mint.diag(Tensor(np.array([1., 2.], np.float32)), -1).shape == (3, 3)
    assert mint.diag(XF).asnumpy().tolist() == [3, 5]
    assert mint.diag(XF, 1).asnumpy().tolist() == [1, 4]
    assert mint.diag(XF, -1).asnumpy().tolist() == [0]
    v, i = mint.kthvalue(XF, 2, 1)
    assert v.asnumpy().tolist() == [2, 4] and i.dtype == ms.int64 and \
        i.asnumpy().tolist() == [2, 2]
    v, i = mint.kthvalue(XF, 1, 0, True)
    assert v.shape == (1, 3) and v.asnumpy().tolist() == [[0, 1, 2]]
    assert i.asnumpy().tolist() == [[1, 0, 0]]
    m = mint.median(XF)
    assert m.shape == () and float(m) == 2.0  # the lower median of 0 1 2 3 4 5
    v, i = mint.median(Tensor(np.array([[3., 1., 2., 4.]], np.float32)), 1, True)
    assert v.asnumpy().tolist() == [[2.0]] and i.dtype == ms.int64 and \
        i.asnumpy().tolist() == [[2]]


def test_unique_forms():
    u = Tensor(np.array([3, 1, 2, 1, 3, 3], np.int64))
    assert mint.unique(u).asnumpy().tolist() == [1, 2, 3]
    values, inverse, counts = mint.unique(u, True, True, True)
    assert values.asnumpy().tolist() == [1, 2, 3]
    assert inverse.dtype == ms.int64 and inverse.asnumpy().tolist() == [2, 0, 1, 0, 2, 2]
    assert counts.dtype == ms.int64 and counts.asnumpy().tolist() == [2, 1, 3]
    values, counts = mint.unique(u, return_counts=True)
    assert counts.asnumpy().tolist() == [2, 1, 3]
    values, inverse = mint.unique(u, sorted=False, return_inverse=True)
    assert values.asnumpy().tolist() == [3, 1, 2]
    assert inverse.asnumpy().tolist() == [0, 1, 2, 1, 0, 0]
    m = Tensor(np.array([[2, 1], [1, 2]], np.int64))
    values, inverse = mint.unique(m, return_inverse=True)
    assert inverse.shape == (2, 2) and inverse.asnumpy().tolist() == [[1, 0], [0, 1]]
    with pytest.raises(UnsupportedSyntaxError, match="dim=0"):
        mint.unique(m, dim=0)


def test_bincount_histc_values():
    x = Tensor(np.array([0, 1, 1, 3], np.int64))
    out = mint.bincount(x)
    assert out.dtype == ms.int64 and out.asnumpy().tolist() == [1, 2, 0, 1]
    out = mint.bincount(x, Tensor(np.array([.5, 1., 2., 1.], np.float32)), 6)
    assert out.dtype == ms.float32 and out.asnumpy().tolist() == [0.5, 3, 0, 1, 0, 0]
    out = mint.bincount(x, Tensor(np.array([.5, 1., 2., 1.])))
    assert out.dtype == ms.float64
    h = mint.histc(XF, 4, 0, 5)
    np.testing.assert_array_equal(h.asnumpy(), np.histogram(XF.asnumpy(), 4, (0, 5))[0])
    assert h.dtype == ms.float32
    h = mint.histc(XF, bins=5)  # min = max = 0: the data's range
    np.testing.assert_array_equal(h.asnumpy(), [1, 1, 1, 1, 2])


def test_triangular_solve_inverse_qr_values():
    b = Tensor(np.array([[1., 2.], [3., 4.]], np.float32))
    a = Tensor(np.array([[2., 1.], [7., 3.]], np.float32))
    x, a_out = mint.triangular_solve(b, a)
    np.testing.assert_allclose(x.asnumpy(), [[0, 1 / 3], [1, 4 / 3]], rtol=1e-6)
    assert a_out is a
    x, _ = mint.triangular_solve(b, a, upper=False)  # [[2, 0], [7, 3]] x = b
    np.testing.assert_allclose(x.asnumpy(), [[0.5, 1], [-1 / 6, -1]], rtol=1e-5, atol=1e-6)
    x, _ = mint.triangular_solve(b, a, transpose=True, unitriangular=True)  # [[1,0],[1,1]]
    np.testing.assert_allclose(x.asnumpy(), [[1, 2], [2, 2]], rtol=1e-6)
    m = np.array([[2., 1.], [1., 3.]])
    np.testing.assert_allclose(mint.inverse(Tensor(m)).asnumpy(), np.linalg.inv(m))
    np.testing.assert_allclose(linalg.inv(Tensor(m)).asnumpy(), np.linalg.inv(m))
    a3 = RNG.standard_normal((4, 3))
    q, r = linalg.qr(Tensor(a3))
    assert q.shape == (4, 3) and r.shape == (3, 3)
    np.testing.assert_allclose((q.asnumpy() @ r.asnumpy()), a3, atol=1e-12)
    np.testing.assert_allclose(np.triu(r.asnumpy()), r.asnumpy())
    q, r = linalg.qr(Tensor(a3), mode="complete")
    assert q.shape == (4, 4) and r.shape == (4, 3)
    np.testing.assert_allclose(q.asnumpy().T @ q.asnumpy(), np.eye(4), atol=1e-12)
    q, r = linalg.qr(Tensor(a3), mode="r")
    assert q.shape == (0,) and r.shape == (3, 3)


def test_integer_ops_inside_differentiated_code():
    # the index results run inside value_and_grad too (no gradient of their own)
    u = Tensor(np.array([3., 1., 2., 1., 3., 3.]))

    def f(x):
        values, inverse, counts = mint.unique(x, True, True, True)
        nz = mint.nonzero(x > 1.5)
        hist = mint.histc(x, 3, 1, 3)
        med = mint.median(x)
        return mint.sum(values * values) + med, (inverse, counts, nz, hist)

    (value, (inverse, counts, nz, hist)), grad = ops.value_and_grad(f, has_aux=True)(u)
    assert float(value) == 1 + 4 + 9 + 2
    assert inverse.asnumpy().tolist() == [2, 0, 1, 0, 2, 2]
    assert counts.asnumpy().tolist() == [2, 1, 3]
    assert nz.asnumpy().ravel().tolist() == [0, 2, 4, 5]
    assert hist.asnumpy().tolist() == [2, 1, 3]
    # unique's values take their gradient (2v) where each is first found (3 at 0, 1 at 1, 2
    # at 2); the median (2) comes from index 2
    np.testing.assert_allclose(grad.asnumpy(), [6, 2, 4 + 1, 0, 0, 0])


# ---------------------------------------------------------------------------------------
# mint.nn: the new Cells
# ---------------------------------------------------------------------------------------

def test_new_cells_values():
    x5 = Tensor(RNG.standard_normal((2, 2, 4, 4, 4)).astype(np.float32))
    conv = mnn.Conv3d(2, 3, 2, padding=1)
    assert conv.weight.shape == (3, 2, 2, 2, 2) and conv.bias.shape == (3,)
    bound = 1 / math.sqrt(2 * 8)
    assert np.all(np.abs(conv.weight.asnumpy()) <= bound + 1e-7)
    out = conv(x5)
    ref = F.conv3d(x5, conv.weight, conv.bias, 1, 1)
    assert out.shape == (2, 3, 5, 5, 5)
    np.testing.assert_allclose(out.asnumpy(), ref.asnumpy())
    assert mnn.AvgPool3d(2)(x5).shape == (2, 2, 2, 2, 2)
    np.testing.assert_allclose(mnn.AdaptiveAvgPool3d(1)(x5).asnumpy().ravel(),
                               x5.asnumpy().mean((2, 3, 4)).ravel(), rtol=1e-5)
    bn = mnn.BatchNorm3d(2)
    bn.set_train(True)
    y = bn(x5).asnumpy()
    np.testing.assert_allclose(y.mean((0, 2, 3, 4)), 0, atol=1e-5)
    np.testing.assert_allclose(bn.running_mean.asnumpy(),
                               0.1 * x5.asnumpy().mean((0, 2, 3, 4)), rtol=1e-5)
    x3 = Tensor(np.array([[[1., 5., 2., 0., 3., 3., 9.]]], np.float32))
    v, i = mnn.AdaptiveMaxPool1d(3, return_indices=True)(x3)
    # bins [0, 3), [2, 5), [4, 7) (PyTorch's floor/ceil bins; 7 need not divide by 3)
    assert v.asnumpy().tolist() == [[[5, 3, 9]]] and i.dtype == ms.int64 and \
        i.asnumpy().tolist() == [[[1, 4, 6]]]
    x4 = Tensor(np.arange(32, dtype=np.float32).reshape(1, 2, 4, 4))
    cols = mnn.Unfold(2, stride=2)(x4)
    assert cols.shape == (1, 8, 4)
    np.testing.assert_array_equal(mnn.Fold((4, 4), 2, stride=2)(cols).asnumpy(), x4.asnumpy())
    v, i = F.max_pool2d(x4, 2, return_indices=True)
    up = mnn.MaxUnpool2d(2)(v, i).asnumpy()
    assert up.shape == (1, 2, 4, 4) and up[0, 0, 1, 1] == 5 and up[0, 0, 0, 0] == 0
    t = Tensor(np.array([[1., -1.], [-1., 1.]], np.float32))
    xl = Tensor(np.array([[0.5, 0.2], [-1., 2.]], np.float32))
    loss = mnn.SoftMarginLoss()(xl, t)
    expect = np.log1p(np.exp(-t.asnumpy() * xl.asnumpy())).mean()
    np.testing.assert_allclose(float(loss), expect, rtol=1e-6)
    assert mnn.SoftMarginLoss("none")(xl, t).shape == (2, 2)


def test_dropout2d_zeroes_whole_channels_in_training():
    x = Tensor(np.ones((4, 16, 3, 3), np.float32))
    d = mnn.Dropout2d(0.5)
    np.testing.assert_array_equal(d(x).asnumpy(), x.asnumpy())  # evaluation: the input
    d.set_train(True)
    out = d(x).asnumpy()
    per_channel = out.reshape(4, 16, 9)
    assert np.all(per_channel.min(-1) == per_channel.max(-1))  # each channel whole
    assert set(np.unique(out)) <= {0.0, 2.0} and 0 < (out == 0).mean() < 1
    np.testing.assert_array_equal(F.dropout2d(x, 0.5, training=False).asnumpy(), x.asnumpy())


def test_conv3d_cell_trains_under_value_and_grad():
    net = mnn.Conv3d(2, 2, 2, bias=True)
    x = Tensor(RNG.standard_normal((1, 2, 3, 3, 3)).astype(np.float32))

    def loss(x):
        return mint.sum(net(x) ** 2)

    grad_fn = ops.value_and_grad(loss, None, net.trainable_params())
    value, (gw, gb) = grad_fn(x)
    out = F.conv3d(x, net.weight, net.bias).asnumpy()
    np.testing.assert_allclose(float(value), (out ** 2).sum(), rtol=1e-5)
    np.testing.assert_allclose(gb.asnumpy(), 2 * out.sum((0, 2, 3, 4)), rtol=1e-4)
    assert gw.shape == net.weight.shape


# ---------------------------------------------------------------------------------------
# random samplers: shapes, dtypes, ranges, reproducibility
# ---------------------------------------------------------------------------------------

def test_random_shapes_dtypes_ranges():
    ms.manual_seed(3)
    r = mint.rand(2, 3)
    assert r.shape == (2, 3) and r.dtype == ms.float32
    assert np.all((r.asnumpy() >= 0) & (r.asnumpy() < 1))
    assert mint.rand((4,), dtype=ms.float64).dtype == ms.float64
    assert mint.rand([2, 2]).shape == (2, 2)
    n = mint.randn(2000)
    assert n.dtype == ms.float32 and abs(float(n.asnumpy().mean())) < 0.1
    assert 0.9 < float(n.asnumpy().std()) < 1.1
    assert mint.randn(2, dtype=ms.float16).dtype == ms.float16
    i = mint.randint(5, (100,))
    assert i.dtype == ms.int64 and i.asnumpy().min() >= 0 and i.asnumpy().max() <= 4
    i = mint.randint(3, 5, (100,), dtype=ms.int32)
    assert i.dtype == ms.int32 and set(i.asnumpy().tolist()) == {3, 4}
    like = Tensor(np.ones((2, 2), np.float16))
    assert mint.rand_like(like).dtype == ms.float16 and mint.rand_like(like).shape == (2, 2)
    assert mint.randn_like(like, dtype=ms.float32).dtype == ms.float32
    ri = mint.randint_like(like, 4)
    assert ri.dtype == ms.float16 and set(np.unique(ri.asnumpy())) <= {0, 1, 2, 3}
    ri = mint.randint_like(Tensor(np.ones(50, np.int32)), 2, 4)
    assert ri.dtype == ms.int32 and set(ri.asnumpy().tolist()) == {2, 3}
    p = mint.randperm(6)
    assert p.dtype == ms.int64 and sorted(p.asnumpy().tolist()) == list(range(6))
    assert mint.randperm(4, dtype=ms.int32).dtype == ms.int32
    out = mint.normal(0.0, 2.0, (3, 4))
    assert out.shape == (3, 4) and out.dtype == ms.float32
    mean = Tensor(np.zeros((2, 1), np.float64) + 100)
    out = mint.normal(mean, Tensor(np.full(3, 1e-3, np.float64)))
    assert out.shape == (2, 3) and out.dtype == ms.float64
    np.testing.assert_allclose(out.asnumpy(), 100, atol=0.01)
    assert mint.normal(Tensor(np.zeros(3, np.float32)), 2.0).shape == (3,)
    assert mint.normal(1.0, Tensor(np.ones(3, np.float32))).dtype == ms.float32
    with pytest.raises(TypeError, match="size"):
        mint.normal(0.0, 1.0)
    probs = Tensor(np.array([[0.1, 0.0, 0.9], [0.5, 0.5, 0.0]], np.float32))
    m = mint.multinomial(probs, 2)
    assert m.dtype == ms.int64 and m.shape == (2, 2)
    assert np.all(m.asnumpy()[0] != 1) and np.all(m.asnumpy()[1] != 2)
    assert sorted(m.asnumpy()[1].tolist()) == [0, 1]  # without replacement
    m = mint.multinomial(Tensor(np.array([0.0, 1.0], np.float32)), 5, True)
    assert m.asnumpy().tolist() == [1] * 5
    with pytest.raises(ValueError, match="num_samples"):
        mint.multinomial(probs, 3)
    b = mint.bernoulli(Tensor(np.array([0.0, 1.0, 0.0, 1.0], np.float64)))
    assert b.dtype == ms.float64 and b.asnumpy().tolist() == [0, 1, 0, 1]
    b = mint.bernoulli(Tensor(np.full(2000, 0.3, np.float32)))
    assert b.dtype == ms.float32 and 0.25 < float(b.asnumpy().mean()) < 0.35


def test_random_reproducibility_with_manual_seed_and_generator():
    ms.manual_seed(11)
    a = [mint.rand(3).asnumpy(), mint.randn(3).asnumpy(), mint.randperm(5).asnumpy()]
    ms.manual_seed(11)
    b = [mint.rand(3).asnumpy(), mint.randn(3).asnumpy(), mint.randperm(5).asnumpy()]
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[0], mint.rand(3).asnumpy())  # the offset moved on
    g = ms.Generator()
    g.manual_seed(7)
    first = mint.rand(4, generator=g).asnumpy()
    second = mint.rand(4, generator=g).asnumpy()
    assert not np.array_equal(first, second)
    g.manual_seed(7)
    np.testing.assert_array_equal(mint.rand(4, generator=g).asnumpy(), first)
    state = g.get_state()
    x = mint.multinomial(Tensor(np.ones((2, 5), np.float32)), 3, generator=g).asnumpy()
    g.set_state(state)
    np.testing.assert_array_equal(
        mint.multinomial(Tensor(np.ones((2, 5), np.float32)), 3, generator=g).asnumpy(), x)
    # a draw from g leaves the default generator where it was
    before = ms.default_generator.get_state().asnumpy()
    mint.normal(0.0, 1.0, (2,), generator=g)
    np.testing.assert_array_equal(ms.default_generator.get_state().asnumpy(), before)
    with pytest.raises(TypeError, match="generator"):
        mint.rand(2, generator=3)


class _Noisy(nn.Cell):
    def __init__(self, generator=None):
        super().__init__()
        self.w = Parameter(Tensor(np.array([1.0, 2.0, 3.0], np.float32)), name="w")
        self.generator = generator

    def construct(self, x):
        r = mint.rand(3, generator=self.generator)
        noise = mint.randn_like(self.w)  # of a Parameter: no gradient through it
        keep = mint.bernoulli(mint.sigmoid(self.w))
        return mint.sum(self.w * x * r) + mint.sum(noise * 0.0) + mint.sum(keep * 0.0), r


def test_random_draws_inside_value_and_grad_each_call():
    g = ms.Generator()
    g.manual_seed(5)
    net = _Noisy(g)
    grad_fn = ops.value_and_grad(net, None, net.trainable_params(), has_aux=True)
    x = Tensor(np.ones(3, np.float32))
    (v1, r1), (g1,) = grad_fn(x)
    (v2, r2), (g2,) = grad_fn(x)
    assert not np.array_equal(r1.asnumpy(), r2.asnumpy())  # drawn anew on every call
    np.testing.assert_allclose(g1.asnumpy(), r1.asnumpy(), rtol=1e-6)  # d(w x r)/dw = r
    np.testing.assert_allclose(float(v1), float((r1.asnumpy() * [1, 2, 3]).sum()), rtol=1e-6)
    g.manual_seed(5)
    (_, r3), _ = grad_fn(x)
    np.testing.assert_array_equal(r3.asnumpy(), r1.asnumpy())
    eager = _Noisy(g)
    g.manual_seed(5)
    np.testing.assert_array_equal(eager(x)[1].asnumpy(), r1.asnumpy())  # eager: same draw
