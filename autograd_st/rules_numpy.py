"""Primitives of numpy's own functions, whose values are numpy's bit for bit, and their
reverse (vjp) and forward (jvp) rules, registered in the one registry of
:mod:`autograd_st.rules` (see its docstring for how a rule is written).

Element-wise: ``hypot``, ``cbrt``, ``exp2``, ``log2``, ``log10``, ``logaddexp2`` (numpy's
ufuncs: ``sqrt(x*x + y*y)`` or ``log(x) / log(2)`` would round differently).  The
symmetric eigen-decomposition (``eigh_part``: numpy reads only one triangle, so the gradient
is folded onto it), the reduced QR factors (``qr_factor``, for ``m >= n``) and the order
statistics (``np_quantile``: numpy's quantile, percentile and median, linear; the gradient
is the interpolation's weights on the two neighbours of each quantile).  No
gradient: ``np_argsort`` (numpy's sort kind), ``np_pad_widths`` (``np.pad``'s
``pad_width`` as ``ops.pad``'s flat widths, from the rank at run time).

Takes: :mod:`autograd_st.rules` (``primitive``, ``vjp``, ``jvp``), the runtime helpers.
Gives: the primitives, by registering them (listed in :data:`NUMPY_PRIMITIVES`); the rows
that publish them are in :mod:`autograd_st.table_numpy`.
"""
from __future__ import annotations

import numpy as np

from .rules import jvp, kernel_of, primitive, vjp
from .rules_linalg import svd_part_
from .runtime import broadcast_like, unbroadcast

__all__ = ["NUMPY_PRIMITIVES", "np_eigh_part", "np_eigh_grad", "np_eigh_tangent",
           "np_qr_factor", "np_qr_grad", "np_qr_tangent", "np_pad_widths_of",
           "np_quantile_of", "np_quantile_grad", "np_quantile_tangent", "np_diag_t_of",
           "np_convolve_grad", "np_polyval_grad", "np_interp_slope",
           "np_take_along_axis_grad"]

_LN2 = 0.6931471805599453
_LN10 = 2.302585092994046


# ---------------------------------------------------------------------------------------
# element-wise ufuncs
# ---------------------------------------------------------------------------------------

@primitive()
def hypot(x, y):
    return np.hypot(x, y)


@vjp(hypot)
def _(dout, out, x, y):
    return unbroadcast(dout * x / out, x), unbroadcast(dout * y / out, y)


@jvp(hypot)
def _(out, x, y, dx, dy):
    return broadcast_like(dx * x / out, out), broadcast_like(dy * y / out, out)


@primitive()
def cbrt(x):
    return np.cbrt(x)


@vjp(cbrt)
def _(dout, out, x):
    return (dout / (3.0 * out * out),)


@jvp(cbrt)
def _(out, x, dx):
    return (dx / (3.0 * out * out),)


@primitive()
def exp2(x):
    return np.exp2(x)


@vjp(exp2)
def _(dout, out, x):
    return (dout * out * _LN2,)


@jvp(exp2)
def _(out, x, dx):
    return (dx * out * _LN2,)


@primitive()
def log2(x):
    return np.log2(x)


@vjp(log2)
def _(dout, out, x):
    return (dout / (x * _LN2),)


@jvp(log2)
def _(out, x, dx):
    return (dx / (x * _LN2),)


@primitive()
def log10(x):
    return np.log10(x)


@vjp(log10)
def _(dout, out, x):
    return (dout / (x * _LN10),)


@jvp(log10)
def _(out, x, dx):
    return (dx / (x * _LN10),)


@primitive()
def logaddexp2(x, y):
    return np.logaddexp2(x, y)


@vjp(logaddexp2)
def _(dout, out, x, y):
    return unbroadcast(dout * np.exp2(x - out), x), unbroadcast(dout * np.exp2(y - out), y)


@jvp(logaddexp2)
def _(out, x, y, dx, dy):
    return (broadcast_like(dx * np.exp2(x - out), out),
            broadcast_like(dy * np.exp2(y - out), out))


# ---------------------------------------------------------------------------------------
# no gradient: integer results and shapes
# ---------------------------------------------------------------------------------------

@primitive(diff=())
def np_argsort(x, axis=-1, kind=None):
    return np.argsort(x, axis=axis, kind=kind)


@kernel_of("np_pad_widths")
def np_pad_widths_of(x, pad_width):
    """``np.pad``'s ``pad_width`` (an int, a pair, or a pair per axis) for ``x`` as
    ``ops.pad``'s flat widths (last axis first)."""
    pairs = np.broadcast_to(np.asarray(pad_width, np.int64), (np.ndim(x), 2))
    return tuple(int(v) for pair in pairs[::-1] for v in pair)


@primitive(diff=())
def np_pad_widths(x, pad_width):
    return np_pad_widths_of(x, pad_width)


@kernel_of("np_weights_shape")
def np_weights_shape_of(wshape, ashape, axis):
    """``np.average``'s weights shape against ``a`` reduced over ``axis``: their own when
    it is ``a``'s rank, a 1-D one placed on ``axis``."""
    wshape, ashape = tuple(wshape), tuple(ashape)
    if len(wshape) != 1 or len(ashape) == 1:
        return wshape
    out = [1] * len(ashape)
    out[axis] = wshape[0]
    return tuple(out)


@primitive(diff=())
def np_weights_shape(wshape, ashape, axis):
    return np_weights_shape_of(wshape, ashape, axis)


@primitive(diff=())
def np_histogram_counts(a, bins=10, range=None, density=None, weights=None):
    return np.histogram(a, bins, range, density, weights)[0]


@primitive(refused="the gradient of np.histogram's bin edges (the counts have none)")
def np_histogram_edges(a, bins=10, range=None, density=None, weights=None):
    return np.histogram(a, bins, range, density, weights)[1]


@primitive(diff=("x",))
def svd_s(x, full_matrices=True):
    return np.linalg.svd(x, full_matrices)[1]


@vjp(svd_s)
def _(dout, out, x, full_matrices):
    return (np.matmul(svd_part_(x, False, 1) * np.expand_dims(dout, -2),
                      np.swapaxes(svd_part_(x, False, 2), -1, -2)),)


@jvp(svd_s)
def _(out, x, full_matrices, dx):
    return (np.sum(svd_part_(x, False, 1) * np.matmul(dx, svd_part_(x, False, 2)), -2),)


@primitive(diff=())
def np_nan_to_num_fill(x, nan=0.0, posinf=None, neginf=None):
    return np.nan_to_num(x, True, nan, posinf, neginf)


# ---------------------------------------------------------------------------------------
# eigh and qr
# ---------------------------------------------------------------------------------------

@kernel_of("eigh_part")
def np_eigh_part(x, UPLO="L", which=0):
    """``np.linalg.eigh(x, UPLO)[which]``: the eigenvalues (0, ascending) or vectors (1)."""
    return np.linalg.eigh(x, UPLO)[which]


def _fold(g, UPLO):
    """A gradient ``g`` of the symmetric matrix numpy builds from one triangle of ``x``, as
    the gradient of ``x``: an entry of the triangle read stands for itself and its mirror."""
    gt = np.swapaxes(g, -1, -2)
    k = -1 if UPLO == "L" else 1
    side = np.tril(g + gt, k) if UPLO == "L" else np.triu(g + gt, k)
    return side + np.diagonal(g, 0, -2, -1)[..., None] * np.eye(g.shape[-1], dtype=g.dtype)


def np_eigh_grad(g, x, UPLO="L", which=0):
    """The gradient of ``x`` from ``g``, the gradient of ``eigh(x)[which]``."""
    w, v = np.linalg.eigh(x, UPLO)
    vt = np.swapaxes(v, -1, -2)
    if which == 0:
        inner = g[..., :, None] * np.eye(w.shape[-1], dtype=w.dtype)
    else:
        inner = _gap_inverse(w) * np.matmul(vt, g)
    return _fold(np.matmul(np.matmul(v, inner), vt), UPLO)


def np_eigh_tangent(dx, x, UPLO="L", which=0):
    """The tangent of ``eigh(x)[which]`` along ``dx``."""
    w, v = np.linalg.eigh(x, UPLO)
    low = np.tril(dx) if UPLO == "L" else np.triu(dx)
    ds = low + np.swapaxes(low, -1, -2) - np.diagonal(dx, 0, -2, -1)[..., None] * np.eye(
        dx.shape[-1], dtype=dx.dtype)
    m = np.matmul(np.matmul(np.swapaxes(v, -1, -2), ds), v)
    if which == 0:
        return np.diagonal(m, 0, -2, -1).copy()
    return np.matmul(v, _gap_inverse(w) * m)


def _gap_inverse(w):
    """``1 / (w_j - w_i)`` off the diagonal, 0 on it."""
    gap = w[..., None, :] - w[..., :, None]
    off = ~np.eye(w.shape[-1], dtype=bool)
    return np.where(off, 1.0 / np.where(off, gap, 1.0), 0.0)


@primitive(diff=("x",))
def eigh_part(x, UPLO="L", which=0):
    return np_eigh_part(x, UPLO, which)


@vjp(eigh_part)
def _(dout, out, x, UPLO, which):
    return (np_eigh_grad(dout, x, UPLO, which),)


@jvp(eigh_part)
def _(out, x, UPLO, which, dx):
    return (np_eigh_tangent(dx, x, UPLO, which),)


def _triangular_solve_right(m, r):
    """``m @ inv(r)`` for an upper triangular ``r``."""
    return np.swapaxes(np.linalg.solve(np.swapaxes(r, -1, -2), np.swapaxes(m, -1, -2)),
                       -1, -2)


def _solve_right_t(m, r):
    """``m @ inv(r)^T``."""
    return np.swapaxes(np.linalg.solve(r, np.swapaxes(m, -1, -2)), -1, -2)


def np_qr_grad(g, x, which=0):
    """The gradient of ``x`` (``m >= n``) from ``g``, the gradient of the reduced QR
    factor ``which`` (0: Q, 1: R); TensorFlow's ``_QrGradSquareAndDeepMatrices``."""
    q, r = np.linalg.qr(x)
    dq = g if which == 0 else np.zeros_like(q)
    dr = g if which == 1 else np.zeros_like(r)
    qdq = np.matmul(np.swapaxes(q, -1, -2), dq)
    rdr = np.matmul(r, np.swapaxes(dr, -1, -2))
    low = np.tril(qdq - np.swapaxes(qdq, -1, -2) + rdr - np.swapaxes(rdr, -1, -2))
    grad_a = np.matmul(q, dr + _solve_right_t(low, r))
    grad_b = _solve_right_t(dq - np.matmul(q, qdq), r)
    return grad_a + grad_b


def np_qr_tangent(dx, x, which=0):
    """The tangent of the reduced QR factor ``which`` of ``x`` (``m >= n``) along ``dx``."""
    q, r = np.linalg.qr(x)
    dx_rinv = _triangular_solve_right(dx, r)
    c = np.matmul(np.swapaxes(q, -1, -2), dx_rinv)
    low = np.tril(c, -1)
    upper = c - low + np.swapaxes(low, -1, -2)  # C - Omega, Omega = low - low^T
    if which == 1:
        return np.matmul(upper, r)
    return dx_rinv - np.matmul(q, upper)


@kernel_of("qr_factor")
def np_qr_factor(x, which=0):
    """``np.linalg.qr(x)[which]`` (mode 'reduced')."""
    return np.linalg.qr(x)[which]


@primitive(diff=("x",))
def qr_factor(x, which=0):
    return np_qr_factor(x, which)


@vjp(qr_factor)
def _(dout, out, x, which):
    return (np_qr_grad(dout, x, which),)


@jvp(qr_factor)
def _(out, x, which, dx):
    return (np_qr_tangent(dx, x, which),)


# ---------------------------------------------------------------------------------------
# order statistics: np.quantile, np.percentile, np.median
# ---------------------------------------------------------------------------------------

def _quantile_layout(x, q, axis, kind):
    """``x`` with the reduced axis last (``axis`` None: flattened), its stable sorting
    order, and per quantile the two neighbours' positions and the upper one's weight."""
    x = np.asarray(x)
    xm = np.reshape(x, (-1,)) if axis is None else np.moveaxis(x, axis, -1)
    qa = np.asarray(0.5 if kind == "median" else q, np.float64)
    if kind == "percentile":
        qa = qa / 100
    n = xm.shape[-1]
    virt = np.reshape(qa, (-1,)) * (n - 1)
    lo = np.clip(np.floor(virt), 0, n - 1).astype(np.int64)
    hi = np.minimum(lo + 1, n - 1)
    return xm, np.argsort(xm, axis=-1, kind="stable"), lo, hi, virt - lo, qa.shape


@kernel_of("np_quantile")
def np_quantile_of(x, q=None, axis=None, keepdims=False, kind="quantile"):
    """numpy's own ``np.quantile`` / ``np.percentile`` / ``np.median`` (``kind``) of ``x``
    (linear interpolation, numpy's default), over ``axis`` (an int or None)."""
    if kind == "median":
        return np.median(x, axis=axis, keepdims=keepdims)
    fn = np.percentile if kind == "percentile" else np.quantile
    return fn(x, q, axis=axis, keepdims=keepdims)


def np_quantile_grad(g, x, q=None, axis=None, keepdims=False, kind="quantile"):
    """The gradient of ``x`` from ``g``, the gradient of :func:`np_quantile_of`: each
    quantile's weight ``1 - t`` on its lower neighbour and ``t`` on its upper one."""
    xm, order, lo, hi, t, qshape = _quantile_layout(x, q, axis, kind)
    rest = xm.shape[:-1]
    gq = np.reshape(g, (len(lo),) + rest)
    sorted_g = np.zeros(xm.shape, np.result_type(g, xm))
    for i in range(len(lo)):
        sorted_g[..., lo[i]] += gq[i] * (1 - t[i])
        sorted_g[..., hi[i]] += gq[i] * t[i]
    out = np.zeros_like(sorted_g)
    np.put_along_axis(out, order, sorted_g, axis=-1)
    x = np.asarray(x)
    return np.reshape(out, x.shape) if axis is None else np.moveaxis(out, -1, axis)


def np_quantile_tangent(dx, out, x, q=None, axis=None, keepdims=False, kind="quantile"):
    """The tangent of :func:`np_quantile_of` along ``dx`` (shaped like ``out``)."""
    xm, order, lo, hi, t, qshape = _quantile_layout(x, q, axis, kind)
    dxm = np.reshape(dx, (-1,)) if axis is None else np.moveaxis(dx, axis, -1)
    ds = np.take_along_axis(dxm, order, axis=-1)
    parts = [ds[..., lo[i]] * (1 - t[i]) + ds[..., hi[i]] * t[i] for i in range(len(lo))]
    return np.reshape(np.stack(parts), np.shape(out))


@primitive(diff=("x",))
def np_quantile(x, q=None, axis=None, keepdims=False, kind="quantile"):
    return np_quantile_of(x, q, axis, keepdims, kind)


@vjp(np_quantile)
def _(dout, out, x, q, axis, keepdims, kind):
    return (np_quantile_grad(dout, x, q, axis, keepdims, kind),)


@jvp(np_quantile)
def _(out, x, q, axis, keepdims, kind, dx):
    return (np_quantile_tangent(dx, out, x, q, axis, keepdims, kind),)


# ---------------------------------------------------------------------------------------
# np.diag, np.convolve, np.polyval, np.interp, np.bincount (numpy's own calls)
# ---------------------------------------------------------------------------------------

@kernel_of("np_diag_t")
def np_diag_t_of(g, like, k=0):
    """The transpose of ``np.diag(like, k)`` applied to ``g`` (shaped like ``like``): the
    diagonal of ``g`` for a vector ``like``, ``g`` placed on the diagonal of zeros shaped
    like a matrix ``like``."""
    if np.ndim(like) == 1:
        return np.diagonal(g, k).copy()
    out = np.zeros(np.shape(like), np.result_type(g))
    n = len(g)
    rows = np.arange(n) + max(-k, 0)
    out[rows, rows + k] = g
    return out


@primitive(diff=("v",))
def np_diag(v, k=0):
    return np.diag(v, k)


@vjp(np_diag)
def _(dout, out, v, k):
    return (np_diag_t_of(dout, v, k),)


@jvp(np_diag)
def _(out, v, k, dv):
    return (np.diag(dv, k),)


@primitive(diff=("g",))
def np_diag_t(g, like, k=0):
    return np_diag_t_of(g, like, k)


@vjp(np_diag_t)
def _(dout, out, g, like, k):
    return (np.diag(dout, k),)


@jvp(np_diag_t)
def _(out, g, like, k, dg):
    return (np_diag_t_of(dg, like, k),)


def _full_of(g, n, m, mode):
    """``np.convolve``'s ``mode`` output gradient ``g`` placed in the full output."""
    if mode == "full":
        return g
    lo = (min(n, m) - 1) // 2 if mode == "same" else min(n, m) - 1
    full = np.zeros(n + m - 1, np.result_type(g))
    full[lo:lo + len(g)] = g
    return full


def np_convolve_grad(g, a, v, mode="full", which=0):
    """The gradient of ``a`` (0) or ``v`` (1) from ``g``, that of ``np.convolve(a, v)``."""
    full = _full_of(g, len(a), len(v), mode)
    return np.correlate(full, v if which == 0 else a, "valid")


@primitive(diff=("a", "v"))
def np_convolve(a, v, mode="full"):
    return np.convolve(a, v, mode)


@vjp(np_convolve)
def _(dout, out, a, v, mode):
    return np_convolve_grad(dout, a, v, mode, 0), np_convolve_grad(dout, a, v, mode, 1)


@jvp(np_convolve)
def _(out, a, v, mode, da, dv):
    return np.convolve(da, v, mode), np.convolve(a, dv, mode)


def _along_axis_index(shape, indices, axis):
    """The fancy index ``np.take_along_axis(a, indices, axis)`` reads ``a`` (of ``shape``)
    with (numpy's own construction: ``indices`` on ``axis``, an arange on the others)."""
    ndim = len(shape)
    return tuple(indices if d == axis else
                 np.arange(shape[d]).reshape((1,) * d + (-1,) + (1,) * (ndim - d - 1))
                 for d in range(ndim))


def np_take_along_axis_grad(g, arr, indices, axis):
    """The gradient of ``arr`` from ``g``, that of ``np.take_along_axis(arr, indices, axis)``:
    ``g`` added back where each value was read (an index read twice gets both)."""
    out = np.zeros(np.shape(arr), np.result_type(g, arr))
    if axis is None:
        np.add.at(out.reshape(-1), indices, g)
        return out
    np.add.at(out, _along_axis_index(np.shape(arr), indices, axis % np.ndim(arr)), g)
    return out


@primitive(diff=("arr",))
def np_take_along_axis(arr, indices, axis=-1):
    return np.take_along_axis(arr, indices, axis)


@vjp(np_take_along_axis)
def _(dout, out, arr, indices, axis):
    return (np_take_along_axis_grad(dout, arr, indices, axis),)


@jvp(np_take_along_axis)
def _(out, arr, indices, axis, darr):
    return (np.take_along_axis(broadcast_like(darr, arr), indices, axis),)


def np_polyval_grad(g, p, x, which=0):
    """The gradient of the coefficients ``p`` (0) or of ``x`` (1) from ``g``, that of
    ``np.polyval(p, x)``."""
    p = np.asarray(p)
    if which == 1:
        return unbroadcast(g * _polyval_slope(p, x), x)
    n = len(p)
    return np.stack([unbroadcast(g * np.asarray(x) ** (n - 1 - k), p[k]) for k in range(n)])


def _polyval_slope(p, x):
    """d/dx of ``np.polyval(p, x)``: the derivative's coefficients ``p[k] * (n - 1 - k)``
    (coefficients may be arrays themselves, broadcast against ``x``, as numpy's Horner loop
    has them; ``np.polyder`` takes 1-D ones only)."""
    n = len(p)
    if n == 1:
        return np.zeros(np.broadcast_shapes(np.shape(p[0]), np.shape(x)))
    scale = np.arange(n - 1, -1, -1).reshape((n,) + (1,) * (p.ndim - 1))
    return np.polyval((p * scale)[:-1], x)


@primitive(diff=("p", "x"))
def np_polyval(p, x):
    return np.polyval(p, x)


@vjp(np_polyval)
def _(dout, out, p, x):
    return np_polyval_grad(dout, p, x, 0), np_polyval_grad(dout, p, x, 1)


@jvp(np_polyval)
def _(out, p, x, dp, dx):
    return (broadcast_like(np.polyval(dp, x), out),
            broadcast_like(dx * _polyval_slope(np.asarray(p), x), out))


def np_interp_slope(x, xp, fp):
    """The slope of ``np.interp(x, xp, fp)`` in ``x``: the segment's, 0 outside ``xp``."""
    xp, fp = np.asarray(xp), np.asarray(fp)
    i = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, len(xp) - 2)
    slope = (fp[i + 1] - fp[i]) / (xp[i + 1] - xp[i])
    return np.where((x < xp[0]) | (x > xp[-1]), 0.0, slope)


@primitive(diff=("x",))
def np_interp(x, xp, fp, left=None, right=None, period=None):
    return np.interp(x, xp, fp, left, right, period)


@vjp(np_interp)
def _(dout, out, x, xp, fp, left, right, period):
    return (dout * np_interp_slope(x, xp, fp),)


@jvp(np_interp)
def _(out, x, xp, fp, left, right, period, dx):
    return (dx * np_interp_slope(x, xp, fp),)


@primitive(diff=("weights",))
def np_bincount(x, weights=None, minlength=0):
    return np.bincount(x, weights, minlength)


@vjp(np_bincount)
def _(dout, out, x, weights, minlength):
    return (np.take(dout, x),)


@jvp(np_bincount)
def _(out, x, weights, minlength, dweights):
    return (np.bincount(x, dweights, np.size(out)),)


@primitive()
def array_copy(x):
    """``np.copy(x)``, ``x.copy()``, ``np.array(x)``: a new array (a later write into it
    reaches nothing else, as in numpy)."""
    return np.array(x, copy=True)


@vjp(array_copy)
def _(dout, out, x):
    return (dout,)


@jvp(array_copy)
def _(out, x, dx):
    return (dx,)


@primitive(diff=())
def np_digitize(x, bins, right=False):
    return np.digitize(x, bins, right)


NUMPY_PRIMITIVES = ("hypot", "cbrt", "exp2", "log2", "log10", "logaddexp2", "np_argsort",
                    "np_pad_widths", "eigh_part", "qr_factor", "np_quantile", "np_diag", "np_diag_t",
                    "np_convolve", "np_polyval", "np_take_along_axis", "np_interp", "np_bincount",
                    "np_digitize",
                    "np_histogram_counts", "np_histogram_edges", "np_weights_shape", "svd_s",
                    "np_nan_to_num_fill", "array_copy")
"""The primitives this module registers."""
