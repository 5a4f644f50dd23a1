"""``autograd_st.mint``: MindSpore 2.10's ``mindspore.mint`` namespace.

Values are checked against recorded MindSpore outputs (tests/ms_cases/cases/mint_*.py, run
by test_ms_cases.py), hand-derived numbers and numpy; gradients through mint functions,
compiled (``ops.grad`` / ``ops.vjp`` / ``ops.jvp`` of a function calling them), against
float64 central finite differences (``autograd_st.check.check_grads``).
"""
from __future__ import annotations

import math

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Tensor, mint, ops
from autograd_st.check import check_grads
from autograd_st.compiler.bindings import lookup
from autograd_st.mint import nn as mnn
from autograd_st.mint.nn import functional as F

RNG = np.random.default_rng(0)


def _t(*shape, positive=False):
    a = RNG.standard_normal(shape)
    return Tensor(np.abs(a) + 0.5 if positive else a)


X = _t(3, 4)
Y = _t(3, 4)
P34 = _t(3, 4, positive=True)
IDX = Tensor(np.array([[0, 1], [1, 2], [3, 3]], np.int64))


# ---------------------------------------------------------------------------------------
# gradients of mint functions, compiled, against finite differences
# ---------------------------------------------------------------------------------------

def f_add(x, y): return mint.sum(mint.add(x, y, alpha=2.5) ** 2)
def f_sub(x, y): return mint.sum(mint.sub(x, y, alpha=-1.5) ** 2)
def f_div(x, y): return mint.sum(mint.div(x, y))
def f_max_dim(x): return mint.sum(mint.max(x, 1)[0] * 3.0)
def f_max_keep(x): return mint.sum(mint.max(x, dim=0, keepdim=True)[0] ** 2)
def f_max_all(x): return mint.max(x) * 2.0
def f_max_pair(x, y): return mint.sum(mint.max(x, y))
def f_min_dim(x): return mint.sum(mint.min(x, 1)[0] ** 2)
def f_mean(x): return mint.sum(mint.mean(x, 1, True) * x)
def f_mean_all(x): return mint.mean(x * x)
def f_sum_dims(x): return mint.sum(mint.sum(x, (0, 1), keepdim=True) ** 2)
def f_prod(x): return mint.sum(mint.prod(x, 1))
def f_std(x): return mint.sum(mint.std(x, 1))
def f_std_c0(x): return mint.sum(mint.std(x, 0, correction=0, keepdim=True))
def f_var(x): return mint.var(x)
def f_var_mean(x):
    v, m = mint.var_mean(x, 1)
    return mint.sum(v * m)
def f_amax(x): return mint.sum(mint.amax(x, 1, True) ** 2)
def f_logsumexp(x): return mint.sum(mint.logsumexp(x, 1))
def f_softmax(x): return mint.sum(mint.softmax(x, 1) * mint.arange(4.0))
def f_split(x):
    a, b = mint.split(x, [1, 3], 1)
    return mint.sum(a * 2.0) + mint.sum(b ** 2)
def f_split_int(x):
    a, b = mint.split(x, 2, 0)
    return mint.sum(a ** 2) + mint.sum(b * 3.0)
def f_chunk(x):
    a, b = mint.chunk(x, 2, 1)
    return mint.sum(a * b)
def f_cat(x, y): return mint.sum(mint.cat([x, y * 2.0], dim=1) ** 2)
def f_stack(x, y): return mint.sum(mint.stack([x, y], dim=2)[:, :, 1] * x)
def f_hstack(x, y): return mint.sum(mint.hstack([x, y]) ** 2)
def f_transpose(x): return mint.sum(mint.matmul(mint.transpose(x, 0, 1), x))
def f_permute(x): return mint.sum(mint.permute(mint.unsqueeze(x, 0), (2, 0, 1)) ** 3)
def f_squeeze(x): return mint.sum(mint.squeeze(mint.reshape(x, (3, 1, 4)), 1) ** 2)
def f_flatten(x): return mint.sum(mint.flatten(mint.reshape(x, (3, 2, 2)), 1) ** 2)
def f_gather(x): return mint.sum(mint.gather(x, 1, IDX) ** 2)
def f_index_select(x): return mint.sum(mint.index_select(x, 1, Tensor(np.array([0, 2, 2]))) ** 2)
def f_select(x): return mint.sum(mint.select(x, 1, 2) ** 2)
def f_narrow(x): return mint.sum(mint.narrow(x, 1, 1, 2) ** 2)
def f_sort(x):
    v, i = mint.sort(x, dim=1, descending=True)
    return mint.sum(v * mint.arange(4.0))
def f_topk(x):
    v, i = mint.topk(x, 2)
    return mint.sum(v * v)
def f_clamp(x): return mint.sum(mint.clamp(x, -0.5, 0.5) ** 2)
def f_where(x, y): return mint.sum(mint.where(x > y, x * y, y))
def f_norm(x): return mint.norm(x)
def f_norm_p1(x): return mint.sum(mint.norm(x, 3, 1))
def f_cumsum(x): return mint.sum(mint.cumsum(x, 1) ** 2)
def f_bmm(x, y): return mint.sum(mint.bmm(mint.reshape(x, (1, 3, 4)), mint.reshape(y, (1, 4, 3))))
def f_baddbmm(x, y):
    return mint.sum(mint.baddbmm(mint.ones((1, 3, 3)), mint.reshape(x, (1, 3, 4)),
                                 mint.reshape(y, (1, 4, 3)), beta=0.5, alpha=2.0))
def f_addcmul(x, y): return mint.sum(mint.addcmul(x, x, y, value=0.5) ** 2)
def f_addcdiv(x, y): return mint.sum(mint.addcdiv(x, x, y, value=0.5))
def f_xlogy(x, y): return mint.sum(mint.xlogy(x, y))
def f_lerp(x, y): return mint.sum(mint.lerp(x, y, 0.3) ** 2)
def f_scatter_add(x, y):
    return mint.sum(mint.scatter_add(x, 1, IDX, y[:, :2]) ** 2)
def f_index_add(x, y):
    return mint.sum(mint.index_add(x, 1, Tensor(np.array([0, 2])), y[:, :2], alpha=2.0) ** 2)
def f_clone(x): return mint.sum(mint.clone(x) ** 2)
def f_vdot(x, y): return mint.vdot(mint.ravel(x), mint.ravel(y))
def f_diff(x): return mint.sum(mint.diff(x) ** 2)
def f_cdist(x, y): return mint.sum(mint.cdist(x, y))
def f_vector_norm(x): return mint.sum(mint.linalg.vector_norm(x, 2, 1))
def f_matrix_norm(x): return mint.linalg.matrix_norm(x)
def f_special(x):
    return mint.sum(mint.special.log_softmax(x, 1) * x) + mint.sum(mint.special.expm1(x))
def f_repeat(x): return mint.sum(mint.repeat_interleave(x, 2, 1) * mint.arange(8.0))
def f_tile(x): return mint.sum(mint.tile(x, (1, 2)) ** 2)
def f_roll(x): return mint.sum(mint.roll(x, 1, 1) * mint.arange(4.0))


POS_CASES = [
    (f_div, (X, P34)), (f_prod, (P34,)), (f_xlogy, (P34, P34)), (f_addcdiv, (X, P34)),
]

CASES = [
    (f_add, (X, Y)), (f_sub, (X, Y)), (f_max_dim, (X,)), (f_max_keep, (X,)),
    (f_max_all, (X,)), (f_max_pair, (X, Y)), (f_min_dim, (X,)), (f_mean, (X,)),
    (f_mean_all, (X,)), (f_sum_dims, (X,)), (f_std, (X,)), (f_std_c0, (X,)), (f_var, (X,)),
    (f_var_mean, (X,)), (f_amax, (X,)), (f_logsumexp, (X,)), (f_softmax, (X,)),
    (f_split, (X,)), (f_split_int, (_t(4, 3),)), (f_chunk, (X,)), (f_cat, (X, Y)),
    (f_stack, (X, Y)), (f_hstack, (X, Y)), (f_transpose, (X,)), (f_permute, (X,)),
    (f_squeeze, (X,)), (f_flatten, (X,)), (f_gather, (X,)), (f_index_select, (X,)),
    (f_select, (X,)), (f_narrow, (X,)), (f_sort, (X,)), (f_topk, (X,)), (f_clamp, (X,)),
    (f_where, (X, Y)), (f_norm, (X,)), (f_norm_p1, (X,)), (f_cumsum, (X,)),
    (f_bmm, (X, _t(4, 3))), (f_baddbmm, (X, _t(4, 3))), (f_addcmul, (X, Y)),
    (f_lerp, (X, Y)), (f_scatter_add, (X, Y)), (f_index_add, (X, Y)), (f_clone, (X,)),
    (f_vdot, (X, Y)), (f_diff, (X,)), (f_cdist, (X, _t(2, 4))), (f_vector_norm, (X,)),
    (f_matrix_norm, (X,)), (f_special, (X,)), (f_repeat, (X,)), (f_tile, (X,)),
    (f_roll, (X,)),
] + POS_CASES


@pytest.mark.parametrize("f, args", CASES, ids=[c[0].__name__ for c in CASES])
def test_gradient_through_mint_function(f, args):
    # split by a size: its parts' count is known at run time only (reverse mode only, as
    # ops.split(x, size))
    check_grads(f, args, order=1, modes=("rev",) if f is f_split_int else ("fwd", "rev"))


@pytest.mark.parametrize("f, args", [(f_add, (X, Y)), (f_mean, (X,)), (f_softmax, (X,)),
                                     (f_std, (X,)), (f_gather, (X,)), (f_cat, (X, Y))],
                         ids=lambda v: getattr(v, "__name__", ""))
def test_second_order_through_mint_function(f, args):
    check_grads(f, args, order=2)


def test_mint_functions_are_bound_by_the_compiler():
    # each adapter is a binding (emits its primitives), never an opaque call
    for name in ("add", "max", "mean", "split", "gather", "sort", "softmax", "cat", "std",
                 "transpose", "norm", "sum", "exp", "matmul"):
        assert lookup(getattr(mint, name)) is not None, name
    for name in ("relu", "gelu", "cross_entropy", "linear", "conv2d", "batch_norm",
                 "layer_norm", "embedding", "dropout", "mse_loss", "kl_div"):
        assert lookup(getattr(F, name)) is not None, name


# ---------------------------------------------------------------------------------------
# values (MindSpore 2.10 measured where its CPU build has the kernel; else PyTorch's rule)
# ---------------------------------------------------------------------------------------

A = Tensor(np.arange(12, dtype=np.float32).reshape(3, 4) - 5)


def test_max_min_forms():
    assert float(mint.max(A)) == 6.0
    values, indices = mint.max(A, 1)
    np.testing.assert_array_equal(values.asnumpy(), [-2, 2, 6])
    assert indices.dtype == ms.int64 and indices.asnumpy().tolist() == [3, 3, 3]
    values, indices = mint.max(A, dim=1, keepdim=True)
    assert values.shape == (3, 1) and indices.shape == (3, 1)
    np.testing.assert_array_equal(mint.max(A, A * 0 + 2).asnumpy().ravel()[:6], [2] * 6)
    values, indices = mint.min(A, 0)
    np.testing.assert_array_equal(values.asnumpy(), [-5, -4, -3, -2])
    np.testing.assert_array_equal(indices.asnumpy(), [0, 0, 0, 0])


def test_measured_values():
    y = A * 0 + 2
    np.testing.assert_array_equal(mint.add(A, y, alpha=2).asnumpy()[0], [-1, 0, 1, 2])
    np.testing.assert_array_equal(mint.sub(A, y, alpha=2).asnumpy()[0], [-9, -8, -7, -6])
    np.testing.assert_array_equal(mint.div(A, 3, rounding_mode="floor").asnumpy()[0],
                                  [-2, -2, -1, -1])
    np.testing.assert_array_equal(mint.div(A, 3, rounding_mode="trunc").asnumpy()[1],
                                  [0, 0, 0, 0])
    parts = mint.split(A, 3, 1)
    assert [p.shape for p in parts] == [(3, 3), (3, 1)]
    parts = mint.split(A, [1, 3], 1)
    assert [p.shape for p in parts] == [(3, 1), (3, 3)]
    assert [p.shape for p in mint.chunk(A, 3, 1)] == [(3, 2), (3, 2)]
    m = mint.mean(Tensor(np.arange(4, dtype=np.int32)))
    assert m.dtype == ms.int32 and int(m) == 1
    np.testing.assert_array_equal(mint.gather(A, 1, Tensor(np.array([[0, 1], [1, 2], [3, 3]]))
                                              ).asnumpy(), [[-5, -4], [0, 1], [6, 6]])
    np.testing.assert_array_equal(mint.select(A, 1, 2).asnumpy(), [-3, 1, 5])
    np.testing.assert_array_equal(mint.narrow(A, 1, 1, 2).asnumpy()[0], [-4, -3])
    assert mint.flatten(Tensor(np.ones((2, 3, 4), np.float32))).shape == (24,)
    assert mint.squeeze(Tensor(np.ones((2, 1, 4, 1))), (1, 3)).shape == (2, 4)
    with pytest.raises(TypeError):
        mint.squeeze(A)  # MindSpore 2.10: dim is required
    grids = mint.meshgrid(Tensor(np.arange(2.0)), Tensor(np.arange(3.0)))
    assert grids[0].shape == (2, 3)  # indexing 'ij' by default
    np.testing.assert_array_equal(mint.hstack([A, A]).shape, (3, 8))
    assert mint.dstack([A, A]).shape == (3, 4, 2)
    assert mint.allclose(A, A) is True
    assert mint.item(A[0, 0]) == -5.0
    np.testing.assert_array_equal(mint.nansum(A, 1).asnumpy(), [-14, 2, 18])
    np.testing.assert_array_equal(mint.index_add(
        A, 1, Tensor(np.array([0, 2], np.int32)), Tensor(np.ones((3, 2), np.float32)),
        alpha=2).asnumpy()[0], [-3, -4, -1, -2])
    np.testing.assert_allclose(mint.cdist(A, A * 0 + 2).asnumpy()[0], [11.224972] * 3,
                               rtol=1e-6)


def test_pytorch_rules_where_mindspore_cpu_has_no_kernel():
    np.testing.assert_allclose(mint.std(A, 1).asnumpy(), [np.std([0, 1, 2, 3], ddof=1)] * 3,
                               rtol=1e-6)
    np.testing.assert_allclose(mint.var(A, 1, correction=0).asnumpy(), [1.25] * 3)
    v, m = mint.var_mean(A, 1)
    np.testing.assert_allclose(m.asnumpy(), [-3.5, 0.5, 4.5])
    assert mint.argmax(A).dtype == ms.int64 and int(mint.argmax(A)) == 11
    assert int(mint.argmin(A)) == 0
    values, indices = mint.sort(A, dim=1, descending=True)
    assert indices.dtype == ms.int64 and indices.asnumpy()[0].tolist() == [3, 2, 1, 0]
    values, indices = mint.topk(A, 2)
    assert values.asnumpy()[2].tolist() == [6, 5] and indices.dtype == ms.int64
    assert mint.count_nonzero(A, 1).asnumpy().tolist() == [4, 3, 4]
    assert mint.full((2,), 3.0).dtype == ms.float32
    assert mint.full((2,), 3).dtype == ms.int64
    np.testing.assert_allclose(float(mint.norm(A, math.inf)), 6.0)
    np.testing.assert_allclose(mint.norm(A, 1, 1).asnumpy(), [14, 4, 18])
    np.testing.assert_allclose(float(mint.linalg.vector_norm(A, 0)), 11.0)
    np.testing.assert_allclose(mint.linalg.vector_norm(A, -math.inf, 1).asnumpy(), [2, 0, 3])
    np.testing.assert_allclose(float(mint.linalg.matrix_norm(A)),
                               np.linalg.norm(A.asnumpy()), rtol=1e-6)
    np.testing.assert_array_equal(mint.scatter_add(
        A * 0, 1, Tensor(np.array([[0, 0], [1, 1], [3, 2]])), A[:, :2]).asnumpy(),
        [[-9, 0, 0, 0], [0, -1, 0, 0], [0, 0, 4, 3]])


# ---------------------------------------------------------------------------------------
# mint.nn.functional: gradients through the functional forms
# ---------------------------------------------------------------------------------------

IMG = _t(2, 3, 5, 5)
W33 = _t(4, 3, 3, 3)
B4 = _t(4)
LABELS = Tensor(np.array([0, 2, 1, 2], np.int64))


def g_conv2d(x, w, b): return mint.sum(F.conv2d(x, w, b, 1, 1) ** 2)
def g_conv2d_same(x, w, b): return mint.sum(F.conv2d(x, w, b, padding="same") ** 2)
def g_conv1d(x, w): return mint.sum(F.conv1d(x, w, None, 1, 1) ** 2)
def g_max_pool(x): return mint.sum(F.max_pool2d(x, 2) ** 2)
def g_avg_pool(x): return mint.sum(F.avg_pool2d(x, 2, 1, 1) ** 2)
def g_batch_norm(x, w, b):
    return mint.sum(F.batch_norm(x, None, None, w, b, True) * mint.arange(5.0))
def g_batch_norm_eval(x, w, b):
    return mint.sum(F.batch_norm(x, mint.ones(3) * 0.5, mint.ones(3) * 2.0, w, b) ** 2)
def g_layer_norm(x, w, b): return mint.sum(F.layer_norm(x, (5,), w, b) * mint.arange(5.0))
def g_group_norm(x, w, b): return mint.sum(F.group_norm(x, 3, w, b) * mint.arange(5.0))
def g_cross_entropy(x): return F.cross_entropy(x, LABELS, label_smoothing=0.1)
def g_cross_entropy_ignore(x): return F.cross_entropy(x, LABELS, ignore_index=2)
def g_nll(x): return F.nll_loss(F.log_softmax(x, 1), LABELS)
def g_softmax_implicit(x): return mint.sum(F.softmax(x) * mint.arange(3.0))
def g_log_softmax_3d(x): return mint.sum(F.log_softmax(x) ** 2)
def g_mse(x, y): return F.mse_loss(x, y) + F.l1_loss(x, y, "sum")
def g_smooth_l1(x, y): return F.smooth_l1_loss(x, y, beta=0.5)
def g_bce_logits(x, y):
    return F.binary_cross_entropy_with_logits(x, mint.sigmoid(y), pos_weight=Tensor(
        np.array([1.0, 2.0, 0.5, 1.5, 1.0])))
def g_bce(x, y): return F.binary_cross_entropy(mint.sigmoid(x), mint.sigmoid(y))
def g_kl(x, y): return F.kl_div(F.log_softmax(x, 1), F.softmax(y, 1), "batchmean")
def g_kl_log(x, y): return F.kl_div(x, y * 0.1, "sum", log_target=True)
def g_cosine(x, y): return F.cosine_embedding_loss(x, y, Tensor(np.array([1, -1, 1, -1])), 0.1)
def g_embedding(w):
    return mint.sum(F.embedding(Tensor(np.array([[0, 2], [2, 3]])), w) ** 2)
def g_normalize(x): return mint.sum(F.normalize(x, dim=1) * mint.arange(5.0))
def g_activations(x):
    out = F.relu(x) + F.relu6(x * 4) + F.silu(x) + F.elu(x) + F.gelu(x) + F.leaky_relu(x)
    out = out + F.hardtanh(x * 2) + F.softplus(x) + F.mish(x) + F.selu(x) + F.tanh(x)
    out = out + F.hardswish(x * 3) + F.hardsigmoid(x * 3) + F.logsigmoid(x) + F.sigmoid(x)
    return mint.sum(out * out)
def g_prelu(x, w): return mint.sum(F.prelu(x, w) ** 2)
def g_glu(x): return mint.sum(F.glu(x, 1) ** 2)
def g_pad(x): return mint.sum(F.pad(x, (1, 2, 0, 1), "reflect") ** 2)
def g_linear(x, w, b): return mint.sum(F.linear(x, w, b) ** 2)
def g_dropout_eval(x): return mint.sum(F.dropout(x, 0.5, training=False) ** 2)


X45 = _t(4, 5)
Y45 = _t(4, 5)
X43 = _t(4, 3)
F_CASES = [
    (g_conv2d, (IMG, W33, B4)), (g_conv2d_same, (IMG, W33, B4)),
    (g_conv1d, (_t(2, 3, 6), _t(4, 3, 3))), (g_max_pool, (IMG,)), (g_avg_pool, (IMG,)),
    (g_batch_norm, (IMG, _t(3), _t(3))), (g_batch_norm_eval, (IMG, _t(3), _t(3))),
    (g_layer_norm, (IMG, _t(5), _t(5))), (g_group_norm, (_t(2, 6, 5), _t(6), _t(6))),
    (g_cross_entropy, (X43,)), (g_cross_entropy_ignore, (X43,)), (g_nll, (X43,)),
    (g_softmax_implicit, (X43,)), (g_log_softmax_3d, (_t(2, 3, 4),)), (g_mse, (X45, Y45)),
    (g_smooth_l1, (X45, Y45)), (g_bce_logits, (X45, Y45)), (g_bce, (X45, Y45)),
    (g_kl, (X45, Y45)), (g_kl_log, (X45, Y45)), (g_cosine, (X45, Y45)),
    (g_embedding, (_t(4, 3),)), (g_normalize, (X45,)), (g_activations, (X45,)),
    (g_prelu, (IMG, _t(3))), (g_glu, (_t(2, 4, 3),)), (g_pad, (IMG,)),
    (g_linear, (X45, _t(3, 5), _t(3))), (g_dropout_eval, (X45,)),
]


@pytest.mark.parametrize("f, args", F_CASES, ids=[c[0].__name__ for c in F_CASES])
def test_gradient_through_functional(f, args):
    check_grads(f, args, order=1)


def test_functional_values():
    x = Tensor(np.array([[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]]))
    # implicit softmax axis: 1 for a 2-D input (PyTorch's rule, as MindSpore's)
    np.testing.assert_allclose(F.softmax(x).asnumpy().sum(1), [1, 1])
    np.testing.assert_allclose(F.softmax(x[0]).asnumpy().sum(), 1)
    oh = F.one_hot(Tensor(np.array([0, 2])))
    assert oh.dtype == ms.int64 and oh.asnumpy().tolist() == [[1, 0, 0], [0, 0, 1]]
    # kl_div: target (log target - input), batchmean divides by the batch size
    inp = Tensor(np.log(np.array([[0.2, 0.8], [0.5, 0.5]])))
    tgt = Tensor(np.array([[0.4, 0.6], [0.0, 1.0]]))
    want = (0.4 * np.log(0.4 / 0.2) + 0.6 * np.log(0.6 / 0.8) + np.log(1 / 0.5)) / 2
    np.testing.assert_allclose(float(F.kl_div(inp, tgt, "batchmean")), want, rtol=1e-12)
    # cosine embedding loss by hand
    a = Tensor(np.array([[1.0, 0.0], [1.0, 1.0]]))
    b = Tensor(np.array([[0.0, 1.0], [1.0, 0.0]]))
    got = F.cosine_embedding_loss(a, b, Tensor(np.array([1, -1])), 0.5, "none").asnumpy()
    np.testing.assert_allclose(got, [1.0, 1 / np.sqrt(2) - 0.5], rtol=1e-9)
    # embedding: the padding row's values are returned, without gradient
    w = Tensor(np.arange(6.0).reshape(3, 2))
    np.testing.assert_array_equal(F.embedding(Tensor(np.array([2, 0])), w, 2).asnumpy(),
                                  [[4, 5], [0, 1]])
    g = ops.grad(lambda w: mint.sum(F.embedding(Tensor(np.array([2, 0, 0])), w, 2)))(w)
    np.testing.assert_array_equal(g.asnumpy(), [[2, 2], [0, 0], [0, 0]])
    # batch_norm in training writes the running statistics (unbiased variance)
    xb = Tensor(np.array([[1.0, 2.0], [3.0, 6.0]]))
    rm, rv = ms.Parameter(np.zeros(2), name="rm"), ms.Parameter(np.ones(2), name="rv")
    F.batch_norm(xb, rm, rv, training=True, momentum=0.1)
    np.testing.assert_allclose(rm.asnumpy(), [0.2, 0.4])
    np.testing.assert_allclose(rv.asnumpy(), [0.9 + 0.1 * 2.0, 0.9 + 0.1 * 8.0])


# ---------------------------------------------------------------------------------------
# mint.nn layers, mint.optim
# ---------------------------------------------------------------------------------------

def test_linear_and_conv_parameters_as_mindspore():
    lin = mnn.Linear(4, 3)
    assert [(n, p.shape) for n, p in lin.parameters_and_names()] == [
        ("weight", (3, 4)), ("bias", (3,))]
    assert np.abs(lin.weight.asnumpy()).max() <= 0.5 and np.abs(lin.bias.asnumpy()).max() <= 0.5
    conv = mnn.Conv2d(2, 3, 3)
    assert [(n, p.shape) for n, p in conv.parameters_and_names()] == [
        ("weight", (3, 2, 3, 3)), ("bias", (3,))]
    assert np.abs(conv.bias.asnumpy()).max() <= 1 / np.sqrt(18)
    bn = mnn.BatchNorm2d(3)
    assert [n for n, _ in bn.parameters_and_names()] == [
        "weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    assert [n for n, _ in mnn.LayerNorm((4,)).parameters_and_names()] == ["weight", "bias"]
    assert float(mnn.PReLU().weight.asnumpy()[0]) == 0.25
    assert mnn.ConvTranspose2d(2, 3, 3).weight.shape == (2, 3, 3, 3)
    emb = mnn.Embedding(5, 3, padding_idx=1)
    assert emb.weight.shape == (5, 3) and not emb.weight.asnumpy()[1].any()


def test_conv2d_matches_nn_conv2d():
    x = Tensor(RNG.standard_normal((2, 3, 6, 6)).astype(np.float32))
    mine = mnn.Conv2d(3, 4, 3, stride=2, padding=1)
    ref = ms.nn.Conv2d(3, 4, 3, stride=2, pad_mode="pad", padding=1, has_bias=True)
    ref.weight.set_data(mine.weight.asnumpy())
    ref.bias.set_data(mine.bias.asnumpy())
    np.testing.assert_allclose(mine(x).asnumpy(), ref(x).asnumpy(), rtol=1e-5, atol=1e-6)
    reflect = mnn.Conv2d(3, 4, 3, padding=1, padding_mode="reflect", bias=False)
    padded = np.pad(x.asnumpy(), ((0, 0), (0, 0), (1, 1), (1, 1)), mode="reflect")
    ref = ms.nn.Conv2d(3, 4, 3, pad_mode="valid")
    ref.weight.set_data(reflect.weight.asnumpy())
    np.testing.assert_allclose(reflect(x).asnumpy(), ref(Tensor(padded)).asnumpy(),
                               rtol=1e-5, atol=1e-6)


class _CNN(ms.nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = mnn.Conv2d(1, 4, 3, padding=1, dtype=ms.float64)
        self.bn = mnn.BatchNorm2d(4, dtype=ms.float64)
        self.act = mnn.ReLU()
        self.pool = mnn.MaxPool2d(2)
        self.flat = mnn.Flatten()
        self.fc = mnn.Linear(16, 3, dtype=ms.float64)

    def construct(self, x):
        return self.fc(self.flat(self.pool(self.act(self.bn(self.conv(x))))))


def _adamw_reference(params, grads_seq, lr, betas, eps, wd):
    """The documented AdamW algorithm (MindSpore's docstring, PyTorch's AdamW) in numpy."""
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    params = [p.copy() for p in params]
    for t, grads in enumerate(grads_seq, start=1):
        for k, g in enumerate(grads):
            params[k] = params[k] - lr * wd * params[k]
            m[k] = betas[0] * m[k] + (1 - betas[0]) * g
            v[k] = betas[1] * v[k] + (1 - betas[1]) * g * g
            mhat, vhat = m[k] / (1 - betas[0] ** t), v[k] / (1 - betas[1] ** t)
            params[k] = params[k] - lr * mhat / (np.sqrt(vhat) + eps)
    return params, m, v


def test_cnn_trained_with_adamw():
    net = _CNN()
    net.set_train(True)
    x = Tensor(RNG.standard_normal((4, 1, 4, 4)))
    labels = Tensor(np.array([0, 1, 2, 1]))
    loss_fn = mnn.CrossEntropyLoss(label_smoothing=0.05)

    def forward(x, labels):
        return loss_fn(net(x), labels)

    opt = mint.optim.AdamW(net.trainable_params(), lr=0.01, betas=(0.8, 0.99),
                           weight_decay=0.1)
    grad_fn = ops.value_and_grad(forward, None, opt.parameters)
    start = [p.asnumpy().copy() for p in opt.parameters]
    seen, losses = [], []
    for _ in range(5):
        loss, grads = grad_fn(x, labels)
        seen.append([g.asnumpy() for g in grads])
        losses.append(float(loss))
        assert opt(grads) is True
    assert losses[-1] < losses[0]
    # the group's lr is a float32 Parameter, as MindSpore's (experimental.optim.Optimizer)
    want, m, v = _adamw_reference(start, seen, float(np.float32(0.01)), (0.8, 0.99), 1e-8,
                                  0.1)
    for p, w in zip(opt.parameters, want):
        np.testing.assert_allclose(p.asnumpy(), w, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(opt.exp_avg[0].asnumpy(), m[0], rtol=1e-10)
    np.testing.assert_allclose(opt.exp_avg_sq[-1].asnumpy(), v[-1], rtol=1e-10)
    assert float(opt.state_step.asnumpy()[0]) == 4.0  # from -1, as MindSpore's
    names = [n for n, _ in opt.parameters_and_names()]
    assert "exp_avg.conv.weight" in names and "exp_avg_sq.fc.bias" in names
    assert "state_step" in names
    # the running statistics moved (training mode: batch statistics), once per step
    assert net.bn.running_mean.asnumpy().any()
    assert int(net.bn.num_batches_tracked.asnumpy()) == 5


def test_cnn_input_gradient_matches_finite_differences():
    net = _CNN()
    net.set_train(False)
    x = Tensor(RNG.standard_normal((2, 1, 4, 4)))
    labels = Tensor(np.array([0, 2]))
    loss_fn = mnn.CrossEntropyLoss()

    def forward(x):
        return loss_fn(net(x), labels)

    check_grads(forward, (x,), order=1, modes=("rev",))


def test_adam_amsgrad_maximize_and_groups():
    w = ms.Parameter(np.array([1.0, -2.0]), name="w")
    b = ms.Parameter(np.array([0.5]), name="b")
    opt = mint.optim.Adam([{"params": [w], "lr": 0.1}, {"params": [b]}], lr=0.01,
                          amsgrad=True, maximize=True)
    g1 = (Tensor(np.array([1.0, 1.0])), Tensor(np.array([2.0])))
    opt(g1)
    # first step, maximize: p += lr * sign-like step (m / sqrt(v) = g / |g|)
    np.testing.assert_allclose(w.asnumpy(), [1.1, -1.9], rtol=1e-6)
    np.testing.assert_allclose(b.asnumpy(), [0.51], rtol=1e-6)
    names = [n for n, _ in opt.parameters_and_names()]
    assert "exp_avg.w" in names and "state_step" in names


def test_sgd_plain_step():
    w = ms.Parameter(np.array([1.0, 2.0]), name="w")
    opt = mint.optim.SGD([w], lr=0.5, weight_decay=0.1)
    opt((Tensor(np.array([1.0, -1.0])),))
    np.testing.assert_allclose(w.asnumpy(), [1.0 - 0.5 * 1.1, 2.0 - 0.5 * (-1 + 0.2)])
    with pytest.raises(ValueError):
        mint.optim.SGD([w], lr=0.1, nesterov=True)


def test_layers_run_and_differentiate():
    x = _t(2, 3, 4, 4)
    layers = [mnn.ReLU(), mnn.GELU(), mnn.SiLU(), mnn.Hardtanh(), mnn.ELU(0.5), mnn.Mish(),
              mnn.Softmax(1), mnn.LogSoftmax(1), mnn.Hardswish(), mnn.Hardsigmoid(),
              mnn.Tanh(), mnn.Sigmoid(), mnn.LogSigmoid(), mnn.SELU(), mnn.ReLU6(),
              mnn.Softshrink(), mnn.Hardshrink(), mnn.Threshold(0.1, 20.0),
              mnn.Identity(), mnn.AvgPool2d(2), mnn.AdaptiveAvgPool2d(2),
              mnn.AdaptiveMaxPool2d(2), mnn.ZeroPad2d(1), mnn.ConstantPad2d((1, 0, 2, 1), 3.0),
              mnn.ReflectionPad2d(1), mnn.ReplicationPad2d((1, 2, 0, 1)),
              mnn.GroupNorm(3, 3, dtype=ms.float64), mnn.Upsample(size=(8, 8)),
              mnn.PixelShuffle(1), mnn.Dropout(0.3)]
    for layer in layers:
        layer.set_train(False)
        out = layer(x)
        assert isinstance(out, Tensor), type(layer).__name__

        def f(x, layer=layer):
            return mint.sum(layer(x) ** 2)

        g = ops.grad(f)(x)
        assert g.shape == x.shape, type(layer).__name__
    np.testing.assert_array_equal(mnn.ZeroPad2d(1)(x).shape, (2, 3, 6, 6))
    assert mnn.ReflectionPad1d(2)(_t(1, 2, 5)).shape == (1, 2, 9)
    assert mnn.Flatten()(x).shape == (2, 48)
    assert mnn.Dropout(0.3)(x) is x  # not training


def test_losses_as_cells():
    x, y = _t(4, 3), _t(4, 3)
    labels = Tensor(np.array([0, 2, 1, 1]))
    np.testing.assert_allclose(float(mnn.MSELoss()(x, y)),
                               np.mean((x.asnumpy() - y.asnumpy()) ** 2))
    np.testing.assert_allclose(float(mnn.L1Loss("sum")(x, y)),
                               np.abs(x.asnumpy() - y.asnumpy()).sum())
    logp = x.asnumpy() - np.log(np.exp(x.asnumpy()).sum(1, keepdims=True))
    want = -logp[np.arange(4), labels.asnumpy()].mean()
    np.testing.assert_allclose(float(mnn.CrossEntropyLoss()(x, labels)), want, rtol=1e-12)
    np.testing.assert_allclose(float(mnn.NLLLoss()(Tensor(logp), labels)), want, rtol=1e-12)
    keep = labels.asnumpy() != 1
    want_ign = -logp[np.arange(4), labels.asnumpy()][keep].mean()
    np.testing.assert_allclose(float(mnn.CrossEntropyLoss(ignore_index=1)(x, labels)),
                               want_ign, rtol=1e-12)
    smooth = 0.2
    want_ls = ((1 - smooth) * -logp[np.arange(4), labels.asnumpy()]
               - smooth / 3 * logp.sum(1)).mean()
    np.testing.assert_allclose(float(mnn.CrossEntropyLoss(label_smoothing=smooth)(x, labels)),
                               want_ls, rtol=1e-12)
    assert mnn.KLDivLoss("batchmean")(F.log_softmax(x, 1), F.softmax(y, 1)).shape == ()
    assert mnn.BCEWithLogitsLoss()(x, mint.sigmoid(y)).shape == ()
    assert mnn.SmoothL1Loss(beta=0.5)(x, y).shape == ()
    assert mnn.CosineEmbeddingLoss()(x, y, Tensor(np.array([1, -1, 1, 1]))).shape == ()


def test_batchnorm_cell_training_and_eval():
    bn = mnn.BatchNorm1d(2, dtype=ms.float64)
    bn.set_train(True)
    x = Tensor(np.array([[1.0, 2.0], [3.0, 6.0]]))
    out = bn(x)  # training: batch statistics
    np.testing.assert_allclose(out.asnumpy(), [[-1, -1], [1, 1]], rtol=1e-5)
    np.testing.assert_allclose(bn.running_mean.asnumpy(), [0.2, 0.4])
    assert int(bn.num_batches_tracked.asnumpy()) == 1
    bn.set_train(False)
    np.testing.assert_allclose(bn(x).asnumpy(), (x.asnumpy() - [0.2, 0.4]) / np.sqrt(
        bn.running_var.asnumpy() + 1e-5), rtol=1e-9)


def test_inplace_writes_into_the_input_eagerly_and_differentiates():
    x = Tensor(np.array([-1.0, 2.0, -0.5]))
    y = F.relu(x, inplace=True)
    assert y is x
    np.testing.assert_array_equal(x.asnumpy(), [0.0, 2.0, 0.0])
    z = Tensor(np.array([-1.0, 2.0, 0.5]))
    mint.nn.Hardtanh(-0.25, 1.0, inplace=True)(z)
    np.testing.assert_array_equal(z.asnumpy(), [-0.25, 1.0, 0.5])
    w = Tensor(np.array([-1.0, 2.0, 0.5]))
    untouched = F.elu(w)  # (not in place: w as it was)
    np.testing.assert_array_equal(w.asnumpy(), [-1.0, 2.0, 0.5])
    assert untouched is not w
    g = ops.grad(_relu_inplace_twice)(Tensor(np.array([-1.0, 2.0, 0.5])))
    np.testing.assert_array_equal(g.asnumpy(), [0.0, 2.0, 2.0])


def _relu_inplace_twice(t):
    return F.relu(t * 2, inplace=True).sum()
