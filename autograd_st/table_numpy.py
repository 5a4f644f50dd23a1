"""The op-table rows of numpy's own functions in compiled code (``np.linalg.norm``,
``np.einsum``, ``np.sort``, ``np.pad``, ``np.median`` ...): each binds a numpy function, with
numpy's parameter names and defaults, to primitives (see :mod:`autograd_st.op_table`, which
gathers these rows with its own), so that a plain numpy function differentiates.

Values are numpy's own, bit for bit: where a primitive already computes what numpy computes
(``np.trace`` is the sum of ``np.diagonal``, ``np.outer`` a broadcast product, ``np.sort``
values taken along ``np.argsort``'s order) the adapter composes it; where numpy's ufunc or
routine rounds its own way (``np.hypot``, ``np.cbrt``, ``np.linalg.norm`` of every entry,
``np.median``) the primitive calls it (:mod:`autograd_st.rules_numpy`).  Integer results
(``np.argsort``, ``np.searchsorted``, ``np.digitize``, ``np.histogram``'s counts) and
masks (``np.isclose``, ``np.heaviside``) have no gradient.

Takes: :class:`~autograd_st.op_row.Op`, :data:`~autograd_st.prims.P` and the MindSpore
adapters of the family tables (their numpy-compatible parts).  Gives: :data:`OPS`, the rows,
and the adapters they name.
"""
from __future__ import annotations

import numpy as np

from . import rules_numpy  # noqa: F401  (registers the primitives the rows name)
from .errors import InputValueError
from .op_row import Op
from .prims import P, has_sym
from .table_array import _const
from .table_index import atleast_1d, atleast_2d, atleast_3d
from .table_index import column_stack as _column_stack
from .table_index import dstack as _dstack
from .table_index import hstack as _hstack
from .table_index import vstack as _vstack
from .table_linalg import diagonal as _diagonal
from .table_linalg import tensor_dot as _tensor_dot
from .table_math import _matrix_norm, _vector_norm
from .table_math import einsum as _einsum
from .table_math import remainder as _remainder
from .table_more import cross as _cross
from .table_more import diff as _diff
from .table_more import fmax as _fmax
from .table_more import fmin as _fmin
from .table_more import heaviside as _heaviside
from .table_more import nanmean as _nanmean
from .table_more import nansum as _nansum
from .table_more import sinc as _sinc
from .table_more import tensor_split as _tensor_split

__all__ = ["OPS"]

_DEG = 0.017453292519943295  # numpy's deg2rad multiplies by pi / 180
_RAD = 57.29577951308232


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _flat(a, axis):
    """``a`` flattened when ``axis`` is None (numpy's convention), and the axis to use."""
    return (P.reshape(a, (-1,)), -1) if axis is None else (a, axis)


# ---------------------------------------------------------------------------------------
# norms, products, contractions
# ---------------------------------------------------------------------------------------

def _np_norm(x, ord=None, axis=None, keepdims=False):
    """``np.linalg.norm``: of every entry (``axis=None``: numpy's own call), vector norms
    along an int axis, matrix norms over a pair of axes (None, 'fro', 1, -1, inf, -inf)."""
    axis = _axis(axis)
    if axis is None:
        return P.norm_whole(x, ord, keepdims)
    if isinstance(axis, int) or len(axis) == 1:
        return _vector_norm(x, ord, axis if isinstance(axis, int) else axis[0], keepdims)
    return _matrix_norm(x, ord, axis, keepdims)


def _np_einsum(*operands, out=None, dtype=None, order="K", casting="safe", optimize=False):
    """``np.einsum(subscripts, *operands)`` (two or more operands contracted two at a
    time)."""
    if out is not None:
        raise InputValueError("np.einsum in differentiated code does not write into out=; "
                              "use its result")
    return _einsum(operands[0], *operands[1:])


def _np_outer(a, b, out=None):
    return P.mul(P.reshape(a, (-1, 1)), P.reshape(b, (-1,)))


def _ufunc_outer(a, b):
    """``np.multiply.outer(a, b)`` (and ``add``, ``subtract`` ...): shaped ``a.shape +
    b.shape``."""
    return P.reshape(a, P.lin_shape("ones", P.shape(b), P.shape(a))), b


def _multiply_outer(a, b):
    x, y = _ufunc_outer(a, b)
    return P.mul(x, y)


def _add_outer(a, b):
    x, y = _ufunc_outer(a, b)
    return P.add(x, y)


def _subtract_outer(a, b):
    x, y = _ufunc_outer(a, b)
    return P.sub(x, y)


def _np_vdot(a, b):
    return P.sum(P.mul(P.reshape(a, (-1,)), P.reshape(b, (-1,))))


def _np_tensordot(a, b, axes=2):
    return _tensor_dot(a, b, axes)


def _np_cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    if axis is not None:
        axisa = axisb = axisc = axis
    if not axisa == axisb == axisc:
        raise InputValueError("np.cross in differentiated code takes one axis for a, b and "
                              "the result (axis=)")
    return _cross(a, b, axisa)


def _np_trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    return P.sum(P.diagonal(a, offset, axis1, axis2), axis=-1)


def _np_diagonal(a, offset=0, axis1=0, axis2=1):
    return _diagonal(a, offset, axis1, axis2)


def _np_diag(v, k=0):
    return P.np_diag(v, k)


def _np_convolve(a, v, mode="full"):
    return P.np_convolve(a, v, mode)


def _np_polyval(p, x):
    return P.np_polyval(p, x)


def _np_take_along_axis(arr, indices, axis=-1):
    return P.np_take_along_axis(arr, indices, axis)


def _np_interp(x, xp, fp, left=None, right=None, period=None):
    return P.np_interp(x, xp, fp, left, right, period)


def _np_bincount(x, weights=None, minlength=0):
    if weights is None:
        return P.bincount(x, None, minlength)
    return P.np_bincount(x, weights, minlength)


def _np_linalg_solve(a, b):
    return P.solve(a, b)


def _np_eigh(a, UPLO="L"):
    return P.eigh_part(a, UPLO, 0), P.eigh_part(a, UPLO, 1)


def _np_eigvalsh(a, UPLO="L"):
    return P.eigh_part(a, UPLO, 0)


def _np_qr(a, mode="reduced"):
    """``np.linalg.qr``: the reduced factors (with a gradient where ``m >= n``); 'r' the R
    factor alone."""
    if mode == "r":
        return P.qr_factor(a, 1)
    if mode != "reduced":
        raise InputValueError("np.linalg.qr in differentiated code takes mode 'reduced' or "
                              "'r', got %r" % (mode,))
    return P.qr_factor(a, 0), P.qr_factor(a, 1)


def _np_svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """``np.linalg.svd``: the singular values have a gradient; ``U`` and ``Vh`` refuse one
    (as ``ops.svd``'s vectors)."""
    if not compute_uv:
        return P.svdvals(a)
    return (P.svd_part(a, full_matrices, 1), P.svd_s(a, full_matrices),
            P.swapaxes(P.svd_part(a, full_matrices, 2), -1, -2))


# ---------------------------------------------------------------------------------------
# sorting and order statistics
# ---------------------------------------------------------------------------------------

def _np_argsort(a, axis=-1, kind=None, order=None, *, stable=None):
    a, axis = _flat(a, axis)
    return P.np_argsort(a, axis, "stable" if stable else kind)


def _np_sort(a, axis=-1, kind=None, order=None, *, stable=None):
    a, axis = _flat(a, axis)
    return P.take_along(a, P.np_argsort(a, axis, "stable" if stable else kind), axis)


def _q_axis(axis, what):
    if axis is not None and not isinstance(axis, int):
        raise InputValueError("%s in differentiated code takes an int axis or None, got %r"
                              % (what, axis))
    return axis


def _np_median(a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return P.np_quantile(a, None, _q_axis(axis, "np.median"), keepdims, "median")


def _np_quantile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                 keepdims=False, *, weights=None, interpolation=None):
    _q_method(method, "np.quantile")
    return P.np_quantile(a, _const(q), _q_axis(axis, "np.quantile"), keepdims, "quantile")


def _np_percentile(a, q, axis=None, out=None, overwrite_input=False, method="linear",
                   keepdims=False, *, weights=None, interpolation=None):
    _q_method(method, "np.percentile")
    return P.np_quantile(a, _const(q), _q_axis(axis, "np.percentile"), keepdims,
                         "percentile")


def _q_method(method, what):
    if method != "linear":
        raise InputValueError("%s in differentiated code interpolates linearly (numpy's "
                              "default); got method=%r" % (what, method))


def _np_histogram(a, bins=10, range=None, density=None, weights=None):
    """``np.histogram``: the counts (no gradient) and the bin edges (a gradient through
    them is refused)."""
    bins = _const(bins)
    return (P.np_histogram_counts(a, bins, range, density, weights),
            P.np_histogram_edges(a, bins, range, density, weights))


def _np_searchsorted(a, v, side="left", sorter=None):
    if sorter is not None:
        a = P.take_along(a, _const(sorter), -1)
    return P.searchsorted(a, v, side == "right", "int64")


# ---------------------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------------------

def _np_var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None,
            mean=None, correction=None):
    return P.var(a, _axis(axis), int(ddof if correction is None else correction), keepdims)


def _np_std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=None,
            mean=None, correction=None):
    return P.sqrt(_np_var(a, axis, ddof=ddof, keepdims=keepdims, correction=correction))


def _np_ptp(a, axis=None, out=None, keepdims=False):
    axis = _axis(axis)
    return P.sub(P.max(a, axis=axis, keepdims=keepdims), P.min(a, axis=axis,
                                                               keepdims=keepdims))


def _np_average(a, axis=None, weights=None, returned=False, *, keepdims=False):
    """``np.average``: the mean, or with ``weights`` (shaped like ``a``, or 1-D along an
    int ``axis``) ``sum(a * w) / sum(w)``; ``returned`` adds the sum of the weights."""
    axis = _axis(axis)
    if weights is None:
        avg = P.mean(a, axis=axis, keepdims=keepdims)
        if returned:
            raise InputValueError("np.average(returned=True) without weights is not "
                                  "supported in differentiated code; pass weights")
        return avg
    w = _const(weights)
    if isinstance(axis, int):
        w = P.reshape(w, P.np_weights_shape(P.shape(w), P.shape(a), axis))
    scl = P.sum(w, axis=axis, keepdims=keepdims)
    avg = P.div(P.sum(P.mul(a, w), axis=axis, keepdims=keepdims), scl)
    return (avg, P.broadcast_like(scl, avg)) if returned else avg


def _np_nansum(a, axis=None, dtype=None, out=None, keepdims=False, initial=None, where=None):
    return _nansum(a, _axis(axis), keepdims)


def _np_nanmean(a, axis=None, dtype=None, out=None, keepdims=False, *, where=None):
    return _nanmean(a, _axis(axis), keepdims)


def _ufunc_reduce(prim):
    def reduce(array, axis=0, dtype=None, out=None, keepdims=False, initial=None,
               where=None):
        result = prim(array, axis=_axis(axis), keepdims=keepdims)
        return result
    return reduce


_maximum_reduce = _ufunc_reduce(P.max)
_minimum_reduce = _ufunc_reduce(P.min)
_add_reduce = _ufunc_reduce(P.sum)
_multiply_reduce = _ufunc_reduce(P.prod)


# ---------------------------------------------------------------------------------------
# element-wise
# ---------------------------------------------------------------------------------------

def _np_deg2rad(x):
    return P.mul(x, _DEG)


def _np_rad2deg(x):
    return P.mul(x, _RAD)


def _np_float_power(x1, x2):
    return P.pow(P.astype(x1, "float64"), x2 if isinstance(x2, (int, float))
                 else P.astype(x2, "float64"))


def _np_sinc(x):
    return _sinc(x)


def _np_fmax(x1, x2):
    return _fmax(x1, x2)


def _np_fmin(x1, x2):
    return _fmin(x1, x2)


def _np_mod(x1, x2):
    # (a constant sequence is numpy's array of it: np.mod(axes, np.ndim(x)) in a rule)
    x1, x2 = [np.asarray(v) if isinstance(v, (tuple, list)) and not has_sym(v) else v
              for v in (x1, x2)]
    return _remainder(x1, x2)


def _np_fabs(x):
    return P.abs(x)


def _np_reciprocal(x):
    return P.div(1.0, x)


def _np_positive(x):
    return P.copy(x)


def _np_isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    return P.isclose(a, b, rtol, atol, equal_nan)


def _np_nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """``np.nan_to_num``: ``x`` where finite (its gradient), numpy's fill elsewhere."""
    return P.where(P.isfinite(x), x, P.np_nan_to_num_fill(x, nan, posinf, neginf))


def _np_heaviside(x1, x2):
    return P.stop_gradient(_heaviside(x1, x2))


def _np_real(val):
    return P.copy(val)


def _np_full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None):
    """``np.full_like``: ``a``'s shape and dtype (or ``dtype``) filled; no gradient to
    ``a``."""
    out = P.add(P.zeros_like(a), P.stop_gradient(_const(fill_value)))
    return P.cast_like(out, a) if dtype is None else P.astype(out, np.dtype(dtype).name)


# ---------------------------------------------------------------------------------------
# shapes, copies, joins and splits
# ---------------------------------------------------------------------------------------

def _np_copy(a, order="K", subok=False):
    return P.array_copy(a)


def _np_ravel(a, order="C"):
    return P.reshape(a, (-1,))


def _np_pad(array, pad_width, mode="constant", **kwargs):
    """``np.pad`` with modes 'constant' (``constant_values`` one number), 'edge',
    'reflect', 'symmetric' and 'wrap'."""
    modes = {"constant": "constant", "edge": "replicate", "reflect": "reflect",
             "symmetric": "symmetric", "wrap": "circular"}
    if mode not in modes or kwargs.get("reflect_type", "even") != "even":
        raise InputValueError("np.pad in differentiated code takes mode 'constant', 'edge', "
                              "'reflect', 'symmetric' or 'wrap', got %r" % (mode,))
    widths = P.np_pad_widths(array, _const(pad_width))
    if mode == "constant":
        value = kwargs.get("constant_values", 0)
        if not isinstance(value, (int, float)):
            raise InputValueError("np.pad in differentiated code takes one number as "
                                  "constant_values, got %r" % (value,))
        return P.pad(array, widths, "constant", value)
    return P.pad(array, widths, modes[mode])


def _np_split(ary, indices_or_sections, axis=0):
    """``np.split``: a tuple of parts (an int count: equal parts, where each starts read
    from the shape when the code runs; a list: split before each index)."""
    return _tensor_split(ary, _const(indices_or_sections), axis)


def _np_array_split(ary, indices_or_sections, axis=0):
    return _tensor_split(ary, _const(indices_or_sections), axis)


def _np_diff(a, n=1, axis=-1, prepend=None, append=None):
    return _diff(a, n, axis, prepend, append)


def _np_hstack(tup, *, dtype=None, casting="same_kind"):
    return _hstack(tup)


def _np_vstack(tup, *, dtype=None, casting="same_kind"):
    return _vstack(tup)


def _np_dstack(tup):
    return _dstack(tup)


def _np_column_stack(tup):
    return _column_stack(tup)


def _np_atleast(fn):
    def atleast(*arys):
        out = tuple(fn(a) for a in arys)
        return out[0] if len(out) == 1 else out
    return atleast


_np_atleast_1d = _np_atleast(atleast_1d)
_np_atleast_2d = _np_atleast(atleast_2d)
_np_atleast_3d = _np_atleast(atleast_3d)


OPS: tuple[Op, ...] = (
    Op("norm_whole", fn=_np_norm, numpy=(np.linalg.norm,)),
    Op("einsum2", fn=_np_einsum, numpy=(np.einsum,)),
    Op("mul", fn=_np_outer, numpy=(np.outer,)),
    Op("mul", fn=_multiply_outer, numpy=(np.multiply.outer,)),
    Op("add", fn=_add_outer, numpy=(np.add.outer,)),
    Op("sub", fn=_subtract_outer, numpy=(np.subtract.outer,)),
    Op("sum", fn=_np_vdot, numpy=(np.vdot,)),
    Op("einsum2", fn=_np_tensordot, numpy=(np.tensordot,)),
    Op("mul", fn=_np_cross, numpy=(np.cross,)),
    Op("diagonal", fn=_np_trace, numpy=(np.trace,)),
    Op("diagonal", fn=_np_diagonal, numpy=(np.diagonal,)),
    Op("np_diag", fn=_np_diag, numpy=(np.diag,)),
    Op("np_convolve", fn=_np_convolve, numpy=(np.convolve,)),
    Op("np_polyval", fn=_np_polyval, numpy=(np.polyval,)),
    Op("np_take_along_axis", fn=_np_take_along_axis, numpy=(np.take_along_axis,)),
    Op("np_interp", fn=_np_interp, numpy=(np.interp,)),
    Op("np_bincount", fn=_np_bincount, numpy=(np.bincount,)),
    Op("solve", fn=_np_linalg_solve, numpy=(np.linalg.solve,)),
    Op("eigh_part", fn=_np_eigh, numpy=(np.linalg.eigh,)),
    Op("eigh_part", fn=_np_eigvalsh, numpy=(np.linalg.eigvalsh,)),
    Op("qr_factor", fn=_np_qr, numpy=(np.linalg.qr,)),
    Op("svdvals", fn=_np_svd, numpy=(np.linalg.svd,)),
    Op("np_argsort", fn=_np_argsort, numpy=(np.argsort,)),
    Op("take_along", fn=_np_sort, numpy=(np.sort,)),
    Op("np_quantile", fn=_np_median, numpy=(np.median,)),
    Op("np_quantile", fn=_np_quantile, numpy=(np.quantile,)),
    Op("np_quantile", fn=_np_percentile, numpy=(np.percentile,)),
    Op("searchsorted", fn=_np_searchsorted, numpy=(np.searchsorted,)),
    Op("np_digitize", "x, bins, right=False", numpy=(np.digitize,)),
    Op("np_histogram_counts", fn=_np_histogram, numpy=(np.histogram,)),
    Op("var", fn=_np_var, numpy=(np.var,)),
    Op("var", fn=_np_std, numpy=(np.std,)),
    Op("max", fn=_np_ptp, numpy=(np.ptp,)),
    Op("sum", fn=_np_average, numpy=(np.average,)),
    Op("sum", fn=_np_nansum, numpy=(np.nansum,)),
    Op("sum", fn=_np_nanmean, numpy=(np.nanmean,)),
    Op("max", fn=_maximum_reduce, numpy=(np.maximum.reduce,)),
    Op("min", fn=_minimum_reduce, numpy=(np.minimum.reduce,)),
    Op("sum", fn=_add_reduce, numpy=(np.add.reduce,)),
    Op("prod", fn=_multiply_reduce, numpy=(np.multiply.reduce,)),
    Op("hypot", "x1, x2", numpy=(np.hypot,)),
    Op("cbrt", "x", numpy=(np.cbrt,)),
    Op("exp2", "x", numpy=(np.exp2,)),
    Op("log2", "x", numpy=(np.log2,)),
    Op("log10", "x", numpy=(np.log10,)),
    Op("logaddexp2", "x1, x2", numpy=(np.logaddexp2,)),
    Op("mul", fn=_np_deg2rad, numpy=(np.deg2rad, np.radians)),
    Op("mul", fn=_np_rad2deg, numpy=(np.rad2deg, np.degrees)),
    Op("pow", fn=_np_float_power, numpy=(np.float_power,)),
    Op("sin", fn=_np_sinc, numpy=(np.sinc,)),
    Op("where", fn=_np_fmax, numpy=(np.fmax,)),
    Op("where", fn=_np_fmin, numpy=(np.fmin,)),
    Op("mod", fn=_np_mod, numpy=(np.mod, np.remainder)),
    Op("abs", fn=_np_fabs, numpy=(np.fabs,)),
    Op("div", fn=_np_reciprocal, numpy=(np.reciprocal,)),
    Op("copy", fn=_np_positive, numpy=(np.positive,)),
    Op("isclose", fn=_np_isclose, numpy=(np.isclose,)),
    Op("where", fn=_np_nan_to_num, numpy=(np.nan_to_num,)),
    Op("where", fn=_np_heaviside, numpy=(np.heaviside,)),
    Op("copy", fn=_np_real, numpy=(np.real,)),
    Op("add", fn=_np_full_like, numpy=(np.full_like,)),
    Op("array_copy", fn=_np_copy, numpy=(np.copy,)),
    Op("reshape", fn=_np_ravel, numpy=(np.ravel,)),
    Op("pad", fn=_np_pad, numpy=(np.pad,)),
    Op("getitem", fn=_np_split, numpy=(np.split,)),
    Op("getitem", fn=_np_array_split, numpy=(np.array_split,)),
    Op("sub", fn=_np_diff, numpy=(np.diff,)),
    Op("concat2", fn=_np_hstack, numpy=(np.hstack,)),
    Op("concat2", fn=_np_vstack, numpy=(np.vstack,)),
    Op("concat2", fn=_np_dstack, numpy=(np.dstack,)),
    Op("concat2", fn=_np_column_stack, numpy=(np.column_stack,)),
    Op("atleast", fn=_np_atleast_1d, numpy=(np.atleast_1d,)),
    Op("atleast", fn=_np_atleast_2d, numpy=(np.atleast_2d,)),
    Op("atleast", fn=_np_atleast_3d, numpy=(np.atleast_3d,)),
)
