"""numpy's functions in plain numpy functions that are differentiated: for each function made
to work (tools/numpy_survey.py lists the common calls), the value is numpy's own call, bit
for bit, and the gradient (``ops.vjp`` along a random direction) is central finite
differences' in float64, on several shapes, broadcasting ones and ``axis`` variants.
Integer results (argsort, searchsorted, digitize, histogram's counts) and masks (isclose,
heaviside) give no gradient; the float path beside them is checked.
"""
from __future__ import annotations

import numpy as np
import pytest
from helpers import fd

from autograd_st import ops

RNG = np.random.default_rng(19)
XP = np.array([-1.0, 0.0, 0.5, 2.0])
FP = np.array([0.0, 1.0, 3.0, 2.0])
IDX = np.array([0, 2, 2, 1, 0])


def _spread(shape):
    """Distinct values, well away from ties and kinks (sort, median, max)."""
    n = int(np.prod(shape))
    return (RNG.permutation(n) * 0.37 + 0.5 + RNG.uniform(0, 0.05, n)).reshape(shape)


def _mat(shape):
    return RNG.standard_normal(shape) * 0.3 + 2.0 * np.eye(*shape[-2:])


def _sym(shape):
    b = RNG.standard_normal(shape)
    return (b + b.T) * 0.2 + np.diag(np.arange(shape[-1]) * 1.5)


# each case: name -> (function, input shapes, input maker)
def c_norm(a): return np.linalg.norm(a)                                  # noqa: E704
def c_norm_ax0(a): return np.linalg.norm(a, axis=0)                      # noqa: E704
def c_norm_axm1(a): return np.linalg.norm(a, axis=-1, keepdims=True)     # noqa: E704
def c_norm_ord1(a): return np.linalg.norm(a, ord=1)                      # noqa: E704
def c_norm_ord3(a): return np.linalg.norm(a, ord=3, axis=-1)             # noqa: E704
def c_norm_fro(a): return np.linalg.norm(a, "fro")                       # noqa: E704
def c_norm_pair(a): return np.linalg.norm(a, axis=(0, 1))                # noqa: E704
def c_einsum_mm(a): return np.einsum("ij,jk->ik", a, a.T)                # noqa: E704
def c_einsum_tr(a): return np.einsum("ii->", a)                          # noqa: E704
def c_einsum_dot(a): return np.einsum("...i,...i->...", a, a * 2.0)      # noqa: E704
def c_sort(a): return np.sort(a)                                         # noqa: E704
def c_sort0(a): return np.sort(a, axis=0)                                # noqa: E704
def c_sort_none(a): return np.sort(a, axis=None)                         # noqa: E704
def c_median(a): return np.median(a)                                     # noqa: E704
def c_median0(a): return np.median(a, axis=0)                            # noqa: E704
def c_median_keep(a): return np.median(a, axis=-1, keepdims=True)        # noqa: E704
def c_quantile(a): return np.quantile(a, 0.3)                            # noqa: E704
def c_quantile_v(a): return np.quantile(a, [0.1, 0.9], axis=0)           # noqa: E704
def c_percentile(a): return np.percentile(a, 30, axis=-1)                # noqa: E704
def c_outer(a): return np.outer(a, a[::-1])                              # noqa: E704
def c_mul_outer(a): return np.multiply.outer(a, a[0])                    # noqa: E704
def c_add_outer(a): return np.add.outer(a[0], a) * a[0, 0]               # noqa: E704
def c_pad(a): return np.pad(a, 1) ** 2                                   # noqa: E704
def c_pad_pairs(a): return np.pad(a, ((1, 0), (0, 2)), constant_values=2.0) * a[0, 0]  # noqa
def c_pad_reflect(a): return np.pad(a, 2, mode="reflect")                # noqa: E704
def c_pad_edge(a): return np.pad(a, (1, 2), mode="edge")                 # noqa: E704
def c_pad_sym(a): return np.pad(a, 1, mode="symmetric")                  # noqa: E704
def c_pad_wrap(a): return np.pad(a, 1, mode="wrap")                      # noqa: E704
def c_trace(a): return np.trace(a)                                       # noqa: E704
def c_trace1(a): return np.trace(a, 1)                                   # noqa: E704
def c_diag(a): return np.diag(a)                                         # noqa: E704
def c_diag1(a): return np.diag(a, 1)                                     # noqa: E704
def c_diagonal(a): return np.diagonal(a, -1)                             # noqa: E704
def c_copy(a): return a.copy() * a                                       # noqa: E704
def c_np_copy(a): return np.copy(a) ** 2                                 # noqa: E704
def c_std(a): return np.std(a)                                           # noqa: E704
def c_var0(a): return np.var(a, axis=0, ddof=1)                          # noqa: E704
def c_std_keep(a): return np.std(a, axis=-1, keepdims=True)              # noqa: E704
def c_hypot(a): return np.hypot(a, a[..., ::-1])                         # noqa: E704
def c_hypot_b(a): return np.hypot(a, a[0])                               # noqa: E704
def c_cbrt(a): return np.cbrt(a)                                         # noqa: E704
def c_exp2(a): return np.exp2(a)                                         # noqa: E704
def c_log2(a): return np.log2(a)                                         # noqa: E704
def c_log10(a): return np.log10(a)                                       # noqa: E704
def c_logaddexp2(a): return np.logaddexp2(a, a[0])                       # noqa: E704
def c_max_reduce(a): return np.maximum.reduce(a)                         # noqa: E704
def c_max_reduce1(a): return np.maximum.reduce(a, axis=-1)               # noqa: E704
def c_min_reduce(a): return np.minimum.reduce(a, axis=1)                 # noqa: E704
def c_add_reduce(a): return np.add.reduce(a ** 2, axis=None)             # noqa: E704
def c_mul_reduce(a): return np.multiply.reduce(a, axis=0)                # noqa: E704
def c_split(a): return np.split(a, 2, axis=1)[1] * 2.0                   # noqa: E704
def c_split_idx(a): return np.split(a, [1, 3])[1] ** 2                   # noqa: E704
def c_array_split(a): return np.array_split(a, 3)[0] * 3.0               # noqa: E704
def c_solve1(a): return np.linalg.solve(a, a[0] ** 2)                    # noqa: E704
def c_solve2(a): return np.linalg.solve(a, a[:, :2])                     # noqa: E704
def c_eigvals(a): return np.linalg.eigh(a)[0]                            # noqa: E704
def c_eigvecs(a): return np.linalg.eigh(a)[1] ** 2                       # noqa: E704
def c_eigvalsh(a): return np.linalg.eigvalsh(a, UPLO="U")                # noqa: E704
def c_qr_q(a): return np.linalg.qr(a)[0]                                 # noqa: E704
def c_qr_r(a): return np.linalg.qr(a)[1]                                 # noqa: E704
def c_svdvals(a): return np.linalg.svd(a, compute_uv=False)              # noqa: E704
def c_svd_s(a): return np.linalg.svd(a)[1]                               # noqa: E704
def c_cross(a): return np.cross(a[:, :3], a[:, 1:])                      # noqa: E704
def c_convolve(a): return np.convolve(a[0], a[1])                        # noqa: E704
def c_convolve_same(a): return np.convolve(a[0], a[1, :2], "same")       # noqa: E704
def c_interp(a): return np.interp(a, XP, FP)                             # noqa: E704
def c_polyval(a): return np.polyval(a, 0.5)                              # noqa: E704
def c_polyval_x(a): return np.polyval([1.5, -2.0, 0.5], a)               # noqa: E704
def c_polyval_arrays(a): return np.polyval([a, a ** 2, np.sin(a)], a[::-1])  # noqa: E704
def c_take_along(a): return np.take_along_axis(a, np.argsort(a, axis=-1), -1)  # noqa: E704
def c_take_along0(a): return np.take_along_axis(a, np.argsort(-a, axis=0)[:1], 0)  # noqa: E704
def c_matrix_power(a): return np.linalg.matrix_power(a, 3)               # noqa: E704
def c_matrix_power_inv(a): return np.linalg.matrix_power(a + 3 * np.eye(len(a)), -2)  # noqa: E704
def c_where_indices(a): return a[np.where(a > 2.0)] * 2.0                 # noqa: E704
def c_vdot(a): return np.vdot(a, a[::-1])                                # noqa: E704
def c_tensordot1(a): return np.tensordot(a, a, axes=1)                   # noqa: E704
def c_tensordot2(a): return np.tensordot(a, a)                           # noqa: E704
def c_float_power(a): return np.float_power(a, 2.5)                      # noqa: E704
def c_sinc(a): return np.sinc(a)                                         # noqa: E704
def c_deg(a): return np.deg2rad(a) + np.radians(a) * 2.0                 # noqa: E704
def c_rad(a): return np.rad2deg(a) + np.degrees(a) * 2.0                 # noqa: E704
def c_fmax(a): return np.fmax(a, a[..., ::-1] + 0.01)                    # noqa: E704
def c_fmin(a): return np.fmin(a, a[0] + 0.01)                            # noqa: E704
def c_nan_to_num(a): return np.nan_to_num(a) * a                         # noqa: E704
def c_nansum(a): return np.nansum(a, axis=0)                             # noqa: E704
def c_nanmean(a): return np.nanmean(a)                                   # noqa: E704
def c_average(a): return np.average(a, axis=0, weights=np.arange(1.0, 5.0))  # noqa: E704
def c_average_same(a): return np.average(a, weights=a[::-1] ** 2)        # noqa: E704
def c_average_none(a): return np.average(a, axis=-1)                     # noqa: E704
def c_ptp(a): return np.ptp(a, axis=0)                                   # noqa: E704
def c_ravel(a): return np.ravel(a) * np.arange(a.size)                   # noqa: E704
def c_mod(a): return np.mod(a, 0.7) + np.remainder(a, 0.9) + a % 1.1    # noqa: E704
def c_real(a): return np.real(a) ** 2                                    # noqa: E704
def c_full_like(a): return np.full_like(a, 2.0) * a                      # noqa: E704
def c_atleast(a): return np.atleast_2d(a) * 2.0 + np.atleast_3d(a).sum() + np.atleast_1d(a)  # noqa
def c_fabs(a): return np.fabs(a - 1.0)                                   # noqa: E704
def c_reciprocal(a): return np.reciprocal(a)                             # noqa: E704
def c_positive(a): return np.positive(a) * a                             # noqa: E704
def c_diff(a): return np.diff(a, axis=-1) ** 2                           # noqa: E704
def c_diff2(a): return np.diff(a, n=2, axis=0)                           # noqa: E704
def c_bincount(a): return np.bincount(IDX, weights=a)                    # noqa: E704
def c_hstack(a): return np.hstack([a, a ** 2])                           # noqa: E704
def c_vstack(a): return np.vstack([a, a ** 2])                           # noqa: E704
def c_dstack(a): return np.dstack([a, a ** 2])                           # noqa: E704
def c_column_stack(a): return np.column_stack([a, a ** 2])               # noqa: E704


CASES = {
    "norm": (c_norm, [(5,), (3, 4), (2, 3, 4)], None),
    "norm_axis0": (c_norm_ax0, [(5,), (3, 4)], None),
    "norm_axis-1": (c_norm_axm1, [(3, 4), (2, 3, 4)], None),
    "norm_ord1": (c_norm_ord1, [(5,), (3, 4)], _spread),
    "norm_ord3": (c_norm_ord3, [(4,), (3, 4)], None),
    "norm_fro": (c_norm_fro, [(3, 4)], None),
    "norm_pair": (c_norm_pair, [(3, 4), (3, 4, 2)], None),
    "einsum_matmul": (c_einsum_mm, [(3, 4)], None),
    "einsum_trace": (c_einsum_tr, [(3, 3)], None),
    "einsum_ellipsis": (c_einsum_dot, [(4,), (2, 3, 4)], None),
    "sort": (c_sort, [(5,), (3, 4)], _spread),
    "sort_axis0": (c_sort0, [(5,), (3, 4)], _spread),
    "sort_none": (c_sort_none, [(3, 4)], _spread),
    "median": (c_median, [(5,), (4,), (3, 4)], _spread),
    "median_axis0": (c_median0, [(3, 4), (4, 3)], _spread),
    "median_keepdims": (c_median_keep, [(3, 4), (2, 3, 5)], _spread),
    "quantile": (c_quantile, [(5,), (3, 4)], _spread),
    "quantile_vector_q": (c_quantile_v, [(5,), (3, 4)], _spread),
    "percentile": (c_percentile, [(5,), (3, 4)], _spread),
    "outer": (c_outer, [(3,), (2, 3)], None),
    "multiply_outer": (c_mul_outer, [(2, 3)], None),
    "add_outer": (c_add_outer, [(2, 3)], None),
    "pad": (c_pad, [(3,), (3, 4)], None),
    "pad_pairs": (c_pad_pairs, [(3, 4)], None),
    "pad_reflect": (c_pad_reflect, [(4,), (3, 4)], None),
    "pad_edge": (c_pad_edge, [(3,), (3, 4)], None),
    "pad_symmetric": (c_pad_sym, [(3, 4)], None),
    "pad_wrap": (c_pad_wrap, [(3, 4)], None),
    "trace": (c_trace, [(3, 3), (3, 4), (2, 3, 4)], None),
    "trace_offset": (c_trace1, [(3, 4)], None),
    "diag": (c_diag, [(3,), (3, 4)], None),
    "diag_offset": (c_diag1, [(3,), (3, 4)], None),
    "diagonal": (c_diagonal, [(3, 4), (3, 4, 2)], None),
    "copy_method": (c_copy, [(3,), (3, 4)], None),
    "np_copy": (c_np_copy, [(3,), (3, 4)], None),
    "std": (c_std, [(5,), (3, 4)], None),
    "var_axis0_ddof1": (c_var0, [(5,), (3, 4)], None),
    "std_keepdims": (c_std_keep, [(3, 4)], None),
    "hypot": (c_hypot, [(5,), (3, 4)], None),
    "hypot_broadcast": (c_hypot_b, [(3, 4)], None),
    "cbrt": (c_cbrt, [(5,), (3, 4)], _spread),
    "exp2": (c_exp2, [(5,), (3, 4)], None),
    "log2": (c_log2, [(5,), (3, 4)], _spread),
    "log10": (c_log10, [(5,), (3, 4)], _spread),
    "logaddexp2": (c_logaddexp2, [(3,), (3, 4)], None),
    "maximum_reduce": (c_max_reduce, [(5,), (3, 4)], _spread),
    "maximum_reduce_axis-1": (c_max_reduce1, [(3, 4)], _spread),
    "minimum_reduce": (c_min_reduce, [(3, 4)], _spread),
    "add_reduce_none": (c_add_reduce, [(5,), (3, 4)], None),
    "multiply_reduce": (c_mul_reduce, [(5,), (3, 4)], None),
    "split": (c_split, [(3, 4), (2, 6)], None),
    "split_indices": (c_split_idx, [(4,), (4, 3)], None),
    "array_split": (c_array_split, [(4,), (5, 2)], None),
    "solve_vector": (c_solve1, [(3, 3), (4, 4)], _mat),
    "solve_matrix": (c_solve2, [(3, 3)], _mat),
    "eigh_values": (c_eigvals, [(3, 3), (4, 4)], _sym),
    "eigh_vectors": (c_eigvecs, [(3, 3), (4, 4)], _sym),
    "eigvalsh_upper": (c_eigvalsh, [(3, 3)], _sym),
    "qr_q": (c_qr_q, [(3, 3), (4, 3)], _mat),
    "qr_r": (c_qr_r, [(3, 3), (4, 3)], _mat),
    "svd_compute_uv_false": (c_svdvals, [(3, 3), (4, 2)], None),
    "svd_s": (c_svd_s, [(3, 3), (2, 4)], None),
    "cross": (c_cross, [(2, 4), (5, 4)], None),
    "convolve": (c_convolve, [(2, 4), (2, 3)], None),
    "convolve_same": (c_convolve_same, [(2, 4)], None),
    "interp": (c_interp, [(5,), (2, 3)], None),
    "polyval_coefficients": (c_polyval, [(1,), (4,)], None),
    "polyval_x": (c_polyval_x, [(4,), (2, 3)], None),
    "polyval_array_coefficients": (c_polyval_arrays, [(4,), (2, 3)], None),
    "take_along_axis": (c_take_along, [(5,), (3, 4)], _spread),
    "take_along_axis_0": (c_take_along0, [(3, 4)], _spread),
    "matrix_power": (c_matrix_power, [(3, 3)], _mat),
    "matrix_power_inverse": (c_matrix_power_inv, [(3, 3)], None),
    "where_one_argument": (c_where_indices, [(5,), (3, 4)], _spread),
    "vdot": (c_vdot, [(4,), (3, 4)], None),
    "tensordot_axes1": (c_tensordot1, [(3, 3)], None),
    "tensordot_axes2": (c_tensordot2, [(3, 3)], None),
    "float_power": (c_float_power, [(5,), (3, 4)], _spread),
    "sinc": (c_sinc, [(5,), (3, 4)], None),
    "deg2rad_radians": (c_deg, [(5,), (3, 4)], None),
    "rad2deg_degrees": (c_rad, [(5,), (3, 4)], None),
    "fmax": (c_fmax, [(5,), (3, 4)], _spread),
    "fmin": (c_fmin, [(3, 4)], _spread),
    "nan_to_num": (c_nan_to_num, [(5,), (3, 4)], None),
    "nansum": (c_nansum, [(5,), (3, 4)], None),
    "nanmean": (c_nanmean, [(5,), (3, 4)], None),
    "average_weights_1d": (c_average, [(4, 3), (4,)], None),
    "average_weights_same": (c_average_same, [(5,), (3, 4)], _spread),
    "average": (c_average_none, [(5,), (3, 4)], None),
    "ptp": (c_ptp, [(5,), (3, 4)], _spread),
    "ravel": (c_ravel, [(5,), (3, 4)], None),
    "mod_remainder_percent": (c_mod, [(5,), (3, 4)], _spread),
    "real": (c_real, [(5,)], None),
    "full_like": (c_full_like, [(5,), (3, 4)], None),
    "atleast_nd": (c_atleast, [(), (3,)], None),
    "fabs": (c_fabs, [(5,), (3, 4)], _spread),
    "reciprocal": (c_reciprocal, [(5,), (3, 4)], _spread),
    "positive": (c_positive, [(5,)], None),
    "diff": (c_diff, [(5,), (3, 4)], None),
    "diff_n2_axis0": (c_diff2, [(4,), (4, 3)], None),
    "bincount_weights": (c_bincount, [(5,)], None),
    "hstack": (c_hstack, [(3,), (3, 4)], None),
    "vstack": (c_vstack, [(3,), (3, 4)], None),
    "dstack": (c_dstack, [(3,), (3, 4)], None),
    "column_stack": (c_column_stack, [(3,), (3, 4)], None),
}

PARAMS = [pytest.param(name, shape, id="%s-%s" % (name, "x".join(map(str, shape)) or "()"))
          for name, (_, shapes, _) in CASES.items() for shape in shapes]


def _input(name, shape):
    make = CASES[name][2]
    if make is None:
        return RNG.standard_normal(shape)
    return make(shape)


@pytest.mark.parametrize("name, shape", PARAMS)
def test_value_is_numpys_and_gradient_is_finite_differences(name, shape):
    fn = CASES[name][0]
    a = _input(name, shape)
    direct = fn(a)
    out, vjp_fn = ops.vjp(fn, a)
    out = np.asarray(out)
    assert out.dtype == np.asarray(direct).dtype and out.shape == np.shape(direct)
    assert np.array_equal(out, direct), "%s: %r != numpy's %r" % (name, out, direct)
    u = RNG.standard_normal(np.shape(direct))
    grad = vjp_fn(u)
    grad = np.asarray(grad[0] if isinstance(grad, tuple) else grad)
    expected = fd(lambda x: float(np.sum(fn(x) * u)), a)
    np.testing.assert_allclose(grad, expected, rtol=1e-6, atol=1e-7)


def test_split_parts_can_be_iterated():
    a = RNG.standard_normal((3, 4))
    grad = ops.grad(split_loop)(a)
    np.testing.assert_allclose(grad, fd(split_loop, a), rtol=1e-6, atol=1e-7)


def split_loop(a):
    return sum((p ** 2).sum() * i for i, p in enumerate(np.split(a, 2, axis=1)))


# ---------------------------------------------------------------------------------------
# integer results and masks: no gradient through them, the float path beside them right
# ---------------------------------------------------------------------------------------

def i_argsort(a): return np.sum(a * np.argsort(a, axis=-1))              # noqa: E704
def i_argsort0(a): return np.sum(a * np.argsort(a, axis=0))              # noqa: E704
def i_searchsorted(a): return np.sum(a * np.searchsorted(XP, a))         # noqa: E704
def i_digitize(a): return np.sum(a * np.digitize(a, [0.0, 0.5]))         # noqa: E704
def i_histogram(a): return np.sum(a * np.histogram(a, 3)[0].sum())       # noqa: E704
def i_heaviside(a): return np.sum(a * np.heaviside(a, 0.5))              # noqa: E704
def i_isclose(a): return np.sum(a * np.isclose(a, a[..., :1]))           # noqa: E704


INTEGER_CASES = {
    "argsort": (i_argsort, lambda a: np.argsort(a, axis=-1)),
    "argsort_axis0": (i_argsort0, lambda a: np.argsort(a, axis=0)),
    "searchsorted": (i_searchsorted, lambda a: np.searchsorted(XP, a)),
    "digitize": (i_digitize, lambda a: np.digitize(a, [0.0, 0.5])),
    "histogram": (i_histogram, lambda a: np.full(a.shape, float(np.histogram(a, 3)[0].sum()))),
    "heaviside": (i_heaviside, lambda a: np.heaviside(a, 0.5)),
    "isclose": (i_isclose, lambda a: np.isclose(a, a[..., :1])),
}


@pytest.mark.parametrize("shape", [(5,), (3, 4)], ids=["5", "3x4"])
@pytest.mark.parametrize("name", list(INTEGER_CASES))
def test_integer_results_have_no_gradient(name, shape):
    fn, factor = INTEGER_CASES[name]
    a = _spread(shape) - 1.5
    value, grad = ops.value_and_grad(fn)(a)
    assert np.array_equal(np.asarray(value), fn(a))
    # the gradient is the integer factor itself (none flows through the integers), which
    # is also what central differences give away from the jumps
    np.testing.assert_array_equal(np.asarray(grad), np.asarray(factor(a), np.float64))
    np.testing.assert_allclose(grad, fd(fn, a), rtol=1e-6, atol=1e-7)


def test_argsort_matches_numpys_default_kind_on_ties():
    a = np.array([[2.0, 1.0, 2.0, 1.0, 2.0, 1.0] * 3])
    out, _ = ops.vjp(i_argsort, a)
    assert np.array_equal(np.asarray(out), i_argsort(a))
