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
