"""Primitives and their reverse (vjp) and forward (jvp) rules for linear algebra and special
functions, registered in the one registry of :mod:`autograd_st.rules` (see its docstring for
how a rule is written).

Linear algebra: the matrix inverse, determinant, ``log |det|`` and its sign, ``solve``, the
Cholesky factor, the pseudo-inverse, the matrix exponential (Taylor series with scaling and
squaring; its derivatives are exponentials of block matrices, to second order), LU's row
permutation, a diagonal read (``diagonal``) and written
(``diag_embed``, ``diag_scatter``: each the other's transpose, so closed under
differentiation); ``qr``, ``svd``'s vectors and ``eig`` refuse a gradient (``refused``:
the compiler says so at the user's line), the singular values have one (first order).  Contractions
(``inner``, ``tensor_dot``, ``batch_dot``, ``kron``) are ``einsum2`` calls whose equation
(and, for ``kron``, whose output shape) is computed at run time by the no-gradient
primitive ``lin_equation`` / ``lin_shape`` from the operands' ranks, so they differentiate to
any order through ``einsum2``'s rules.

Special functions (numerics in :mod:`autograd_st.kernels_special`): ``lgamma`` (derivative
``digamma``), ``digamma`` and ``polygamma`` (derivative the next polygamma), ``erfinv``,
``i0`` (derivative ``i1``, whose derivative is ``i0 - i1 / x``), ``igamma``/``igammac``
(both arguments; the derivative in ``a``, ``igamma_da``, is itself not differentiated:
a second derivative through ``a`` is refused, those in ``x`` are computed), Hurwitz's ``zeta(x, q)`` (gradient in ``q`` only, as MindSpore).  Integer functions (gcd, bit operations), ranks and counts
(cummax's indices, the order statistics' indices, histc, bincount) have no gradient; the
values of cummax, median, quantile and kthvalue are ``take_along`` of their indices.

Takes: :mod:`autograd_st.rules` (``primitive``, ``vjp``, ``jvp``), the runtime helpers and
:mod:`autograd_st.kernels_special`.  Gives: the primitives, by registering them (listed in
:data:`LINALG_PRIMITIVES`); the rows that publish them are in :mod:`autograd_st.table_linalg`.
"""
from __future__ import annotations

import string

import numpy as np

from . import kernels_special as ksp
from .rules import jvp, kernel_of, primitive, vjp
from .runtime import broadcast_like, unbroadcast

__all__ = ["LINALG_PRIMITIVES", "lin_inv", "lin_det", "lin_solve", "lin_cholesky",
           "lin_pinv", "lin_diagonal", "lin_diag_scatter", "lin_diag_embed", "sp_lgamma",
           "sp_digamma", "sp_polygamma", "sp_erfinv", "sp_i0", "sp_i1", "sp_igamma",
           "sp_igammac", "sp_igamma_da", "sp_zeta", "lin_equation", "lin_shape", "order_index"]


def _t(x):
    return np.swapaxes(x, -1, -2)


# ---------------------------------------------------------------------------------------
# kernels (the bodies of the primitives; rules call them, and the compiler binds them back)
# ---------------------------------------------------------------------------------------

@kernel_of("matrix_inverse")
def lin_inv(x):
    return np.linalg.inv(x)


@kernel_of("det")
def lin_det(x):
    return np.linalg.det(x)


@kernel_of("solve")
def lin_solve(a, b):
    return np.linalg.solve(a, b)


@kernel_of("cholesky")
def lin_cholesky(x):
    """The lower Cholesky factor of ``(x + x^T) / 2`` (so the gradient is symmetric)."""
    return np.linalg.cholesky((x + np.swapaxes(x, -1, -2)) * 0.5)


@kernel_of("pinv")
def lin_pinv(x):
    return np.linalg.pinv(x)


@kernel_of("diagonal")
def lin_diagonal(x, offset=0, axis1=0, axis2=1):
    return np.diagonal(x, offset, axis1, axis2).copy()


@kernel_of("diag_scatter")
def lin_diag_scatter(g, x, offset=0, axis1=0, axis2=1):
    """Zeros shaped like ``x`` with ``g`` written on the diagonal that
    ``diagonal(x, offset, axis1, axis2)`` reads (its transpose)."""
    out = np.zeros(np.shape(x), dtype=np.result_type(g, x))
    plane = np.moveaxis(out, (axis1, axis2), (-2, -1))
    i = np.arange(np.shape(g)[-1])
    plane[..., i + max(-offset, 0), i + max(offset, 0)] = g
    return out


@kernel_of("diag_embed")
def lin_diag_embed(x, offset=0, dim1=-2, dim2=-1):
    """MindSpore's ``diag_embed``: the last axis of ``x`` written on the ``offset`` diagonal
    of the plane (dim1, dim2) of a new array with two axes where ``x`` had its last."""
    x = np.asarray(x)
    n = x.shape[-1] + abs(offset)
    nd = x.ndim + 1
    d1, d2 = dim1 % nd, dim2 % nd
    rest = list(x.shape[:-1])
    shape = []
    for i in range(nd):
        shape.append(n if i in (d1, d2) else rest.pop(0))
    like = np.zeros(shape, dtype=x.dtype)
    return lin_diag_scatter(x, like, offset, d1, d2)


@kernel_of("lgamma")
def sp_lgamma(x):
    return ksp.lgamma(x)


@kernel_of("digamma")
def sp_digamma(x):
    return ksp.digamma(x)


@kernel_of("polygamma")
def sp_polygamma(n, x):
    return ksp.polygamma(n, x)


@kernel_of("erfinv")
def sp_erfinv(x):
    return ksp.erfinv(x)


@kernel_of("i0")
def sp_i0(x):
    return ksp.i0(x)


@kernel_of("i1")
def sp_i1(x):
    return ksp.i1(x)


@kernel_of("igamma")
def sp_igamma(a, x):
    return ksp.igamma(a, x)


@kernel_of("igammac")
def sp_igammac(a, x):
    return ksp.igammac(a, x)


def _igamma_dx(a, x):
    """d/dx P(a, x) = x^(a-1) e^-x / Gamma(a)."""
    with np.errstate(all="ignore"):
        out = np.exp((a - 1) * np.log(x) - x - ksp.lgamma(a))
    return out.astype(np.result_type(np.asarray(x).dtype, np.float32))


@kernel_of("igamma_dx")
def sp_igamma_dx(a, x):
    return _igamma_dx(a, x)


@kernel_of("igamma_da")
def sp_igamma_da(a, x):
    return ksp.igamma_da(a, x)


_LETTERS = string.ascii_letters


@kernel_of("lin_equation")
def lin_equation(kind, n1, n2, axes=None):
    """The einsum equation of a contraction of operands of ranks ``n1`` and ``n2``:
    ``kind`` 'inner' (last axes), 'tensordot' (``axes``: an int or a pair of sequences),
    'batch_dot' (MindSpore's ``axes``: None, an int or a pair), 'kron' (the outer product
    with the axes of the two operands interleaved, ranks aligned at the right)."""
    a = list(_LETTERS[:n1])
    b = list(_LETTERS[n1:n1 + n2])
    if kind == "inner":
        if n1 and n2:
            b[-1] = a[-1]
            out = a[:-1] + b[:-1]
        else:
            out = a + b
    elif kind == "tensordot":
        if isinstance(axes, int):
            xa, xb = list(range(n1 - axes, n1)), list(range(axes))
        else:
            xa, xb = ([axes[0]] if isinstance(axes[0], int) else list(axes[0]),
                      [axes[1]] if isinstance(axes[1], int) else list(axes[1]))
        xa, xb = [i % n1 for i in xa], [i % n2 for i in xb]
        for i, j in zip(xa, xb):
            b[j] = a[i]
        out = [c for i, c in enumerate(a) if i not in xa] + \
              [c for j, c in enumerate(b) if j not in xb]
    elif kind == "batch_dot":
        if axes is None:
            ax = (n1 - 1, n2 - 1 if n2 == 2 else n2 - 2)
        elif isinstance(axes, int):
            ax = (axes, axes)
        else:
            ax = tuple(axes)
        ax = (ax[0] % n1, ax[1] % n2)
        b[0] = a[0]
        b[ax[1]] = a[ax[0]]
        out = [c for i, c in enumerate(a) if i != ax[0]] + \
              [c for j, c in enumerate(b) if j not in (0, ax[1])]
    elif kind == "kron":
        n = max(n1, n2)
        a = list(_LETTERS[n - n1:n])
        b = list(_LETTERS[n + n - n2:2 * n])
        out = [c for pair in zip(_LETTERS[:n], _LETTERS[n:2 * n]) for c in pair]
        out = [c for c in out if c in a or c in b]
    else:
        raise ValueError("unknown contraction %r" % (kind,))
    return "%s,%s->%s" % ("".join(a), "".join(b), "".join(out))


@kernel_of("lin_shape")
def lin_shape(kind, s1, s2=(), arg=None):
    """Shapes (and for 'vander' the exponents) computed at run time from shapes:

    - 'kron': the product shape of ``s1`` and ``s2``, ranks aligned at the right;
    - 'diag': ``s1 + s1``;
    - 'rhs': ``s1`` (a solve's result) as columns: with a trailing 1 when ``s2`` (its
      right-hand side's shape) is 1-D, as ``np.linalg.solve`` reads a vector;
    - 'rows': ``s1`` as at least 2-D (a 1-D shape is one row); 'cov': the covariance shape
      of data shaped ``s1`` (``()`` for 1-D);
    - 'ones': as many 1s as ``s1`` has axes, after ``s2`` (keepdims of a whole reduction);
    - 'batch_dot': ``arg`` (the contraction's shape), with a trailing 1 when ``s1`` and
      ``s2`` are both 2-D;
    - 'along': the 1-D shape ``s1`` placed on axis ``arg`` of ``len(s2)`` axes;
    - 'vander': the exponents ``N-1 ... 0`` (``N = arg``, default ``s1[0]``)."""
    s1, s2 = tuple(s1), tuple(s2)
    if kind == "kron":
        n = max(len(s1), len(s2))
        s1 = (1,) * (n - len(s1)) + s1
        s2 = (1,) * (n - len(s2)) + s2
        return tuple(p * q for p, q in zip(s1, s2))
    if kind == "diag":
        return s1 + s1
    if kind == "rhs":
        return s1 + (1,) if len(s2) == 1 else s1
    if kind == "rows":
        return (1,) * max(0, 2 - len(s1)) + s1
    if kind == "cov":
        return () if len(s1) < 2 else (s1[0], s1[0])
    if kind == "ones":
        return s2 + (1,) * len(s1)
    if kind == "batch_dot":
        return tuple(arg) + ((1,) if len(s1) == 2 and len(s2) == 2 else ())
    if kind == "along":
        out = [1] * len(s2)
        out[arg] = s1[-1]
        return tuple(out)
    if kind == "vander":
        n = s1[0] if arg is None else int(arg)
        return np.arange(n - 1, -1, -1)
    raise ValueError("unknown shape %r" % (kind,))


@kernel_of("order_index")
def order_index(x, kind, axis=-1, q=0.5, keepdims=False):
    """Indices (into ``x`` along ``axis``) of order statistics, by a stable sort:

    - 'cummax'/'cummin': the running arg-extreme (ties: the later index, as MindSpore);
    - 'median'/'nanmedian': the lower median (NaNs ignored by 'nanmedian');
    - 'kth': the ``q``-th smallest (1-based);
    - 'qlo'/'qhi'/'nqlo'/'nqhi': the two neighbours of the ``q`` quantile (``q`` a float or a
      1-D array: a leading axis), 'n': NaNs ignored.

    The result keeps ``axis`` (length 1, or its own length for cummax/cummin), to be read with
    ``take_along``; ``keepdims`` is applied by the caller."""
    x = np.asarray(x)
    axis = axis % max(x.ndim, 1) if x.ndim else 0
    if x.ndim == 0:
        return np.zeros((), np.int64)
    if kind in ("cummax", "cummin"):
        xm = np.moveaxis(x, axis, -1)
        n = xm.shape[-1]
        idx = np.zeros(xm.shape, np.int64)
        best = xm[..., 0].copy()
        cur = np.zeros(xm.shape[:-1], np.int64)
        for i in range(n):
            v = xm[..., i]
            take = (v >= best) if kind == "cummax" else (v <= best)
            take = take | np.isnan(v)
            best = np.where(take, v, best)
            cur = np.where(take, i, cur)
            idx[..., i] = cur
        return np.moveaxis(idx, -1, axis)
    order = np.argsort(x, axis=axis, kind="stable")
    n = x.shape[axis]
    valid = np.sum(~np.isnan(x), axis=axis, keepdims=True) if kind[0] == "n" else \
        np.full([1 if i == axis else s for i, s in enumerate(x.shape)], n)
    if kind in ("median", "nanmedian"):
        pos = np.maximum(valid - 1, 0) // 2
    elif kind == "kth":
        pos = np.broadcast_to(np.asarray(q - 1), valid.shape)
    else:
        qa = np.asarray(q, np.float64)
        qs = qa.reshape((-1,) + (1,) * x.ndim)
        exact = qs * np.maximum(valid - 1, 0)
        pos = np.floor(exact) if kind.endswith("qlo") else np.ceil(exact)
        pos = pos.astype(np.int64)
        order = np.broadcast_to(order, (qs.shape[0],) + order.shape)
        out = np.take_along_axis(order, pos, axis=axis + 1)
        return out if qa.ndim else out[0]
    return np.take_along_axis(order, np.asarray(pos, np.int64), axis=axis)


@kernel_of("svd_part")
def svd_part_(x, full_matrices=False, which=0):
    """One of MindSpore's (s, u, v), ``x = u diag(s) v^H`` (v, not v^H)."""
    u, s, vh = np.linalg.svd(x, full_matrices)
    return (s, u, np.swapaxes(vh, -1, -2).conj())[which]


@kernel_of("quantile_frac")
def quantile_frac(x, q, axis=-1, ignore_nan=False):
    """The interpolation weight of the upper neighbour of the ``q`` quantile along ``axis``
    (``x`` keeps ``axis`` as length 1; a 1-D ``q`` is a leading axis)."""
    x = np.asarray(x)
    axis = axis % max(x.ndim, 1)
    n = x.shape[axis]
    valid = np.sum(~np.isnan(x), axis=axis, keepdims=True) if ignore_nan else \
        np.full([1 if i == axis else s for i, s in enumerate(x.shape)], n)
    qa = np.asarray(q, np.float64)
    qs = qa.reshape((-1,) + (1,) * x.ndim)
    exact = qs * np.maximum(valid - 1, 0)
    frac = (exact - np.floor(exact)).astype(x.dtype if x.dtype.kind == "f" else np.float32)
    return frac if qa.ndim else frac[0]


# ---------------------------------------------------------------------------------------
# matrix inverse, determinant, solve
# ---------------------------------------------------------------------------------------

@primitive()
def matrix_inverse(x):
    return lin_inv(x)


@vjp(matrix_inverse)
def _(dout, out, x):
    return (-np.matmul(np.matmul(np.swapaxes(out, -1, -2), dout), np.swapaxes(out, -1, -2)),)


@jvp(matrix_inverse)
def _(out, x, dx):
    return (-np.matmul(np.matmul(out, dx), out),)


@primitive()
def det(x):
    return lin_det(x)


@vjp(det)
def _(dout, out, x):
    return (np.expand_dims(np.expand_dims(dout * out, -1), -1)
            * np.swapaxes(lin_inv(x), -1, -2),)


@jvp(det)
def _(out, x, dx):
    return (out * np.sum(np.sum(np.swapaxes(lin_inv(x), -1, -2) * dx, -1), -1),)


@kernel_of("logabsdet")
def lin_logabsdet(x):
    return np.linalg.slogdet(x)[1]


@primitive()
def logabsdet(x):
    return lin_logabsdet(x)


@vjp(logabsdet)
def _(dout, out, x):
    return (np.expand_dims(np.expand_dims(dout, -1), -1) * np.swapaxes(lin_inv(x), -1, -2),)


@jvp(logabsdet)
def _(out, x, dx):
    return (np.sum(np.sum(np.swapaxes(lin_inv(x), -1, -2) * dx, -1), -1),)


@kernel_of("det_sign")
def lin_det_sign(x):
    return np.linalg.slogdet(x)[0]


@primitive(diff=())
def det_sign(x):
    return lin_det_sign(x)


@primitive()
def solve(a, b):
    return lin_solve(a, b)


@vjp(solve)
def _(dout, out, a, b):
    cols = lin_shape("rhs", np.shape(out), np.shape(b))
    gb = lin_solve(np.swapaxes(a, -1, -2), np.reshape(dout, cols))
    return (unbroadcast(-np.matmul(gb, np.swapaxes(np.reshape(out, cols), -1, -2)), a),
            unbroadcast(np.reshape(gb, np.shape(out)), b))


@jvp(solve)
def _(out, a, b, da, db):
    cols = lin_shape("rhs", np.shape(out), np.shape(b))
    return (-np.reshape(lin_solve(a, np.matmul(da, np.reshape(out, cols))), np.shape(out)),
            broadcast_like(lin_solve(a, db), out))


@primitive()
def cholesky(x):
    return lin_cholesky(x)


@vjp(cholesky)
def _(dout, out, x):
    linv = lin_inv(out)
    p = np.matmul(np.swapaxes(out, -1, -2), dout)
    phi = (np.tril(p) + np.tril(p, -1)) * 0.5
    s = np.matmul(np.matmul(np.swapaxes(linv, -1, -2), phi), linv)
    return ((s + np.swapaxes(s, -1, -2)) * 0.5,)


@jvp(cholesky)
def _(out, x, dx):
    linv = lin_inv(out)
    m = np.matmul(np.matmul(linv, (dx + np.swapaxes(dx, -1, -2)) * 0.5),
                  np.swapaxes(linv, -1, -2))
    return (np.matmul(out, (np.tril(m) + np.tril(m, -1)) * 0.5),)


@primitive()
def pinv(x):
    return lin_pinv(x)


@vjp(pinv)
def _(dout, out, x):
    t = np.swapaxes(out, -1, -2)
    gt = np.swapaxes(dout, -1, -2)
    tog = np.matmul(np.matmul(t, out), gt)
    got = np.matmul(np.matmul(gt, out), t)
    return (-np.matmul(np.matmul(t, dout), t) + got - np.matmul(np.matmul(x, out), got)
            + tog - np.matmul(np.matmul(tog, out), x),)


@jvp(pinv)
def _(out, x, dx):
    t = np.swapaxes(out, -1, -2)
    dxt = np.swapaxes(dx, -1, -2)
    left = np.matmul(np.matmul(out, t), dxt)
    right = np.matmul(np.matmul(dxt, t), out)
    return (-np.matmul(np.matmul(out, dx), out) + left - np.matmul(np.matmul(left, x), out)
            + right - np.matmul(np.matmul(out, x), right),)


# ---------------------------------------------------------------------------------------
# the matrix exponential and its Frechet derivatives (by the exponential of block matrices)
# ---------------------------------------------------------------------------------------

def _expm(a):
    """The exponential of each square matrix in the last two axes: scaled to norm 1/2,
    twenty Taylor terms, squared back."""
    a = np.asarray(a)
    work = a.astype(np.result_type(a.dtype, np.float64))
    norm = float(np.max(np.sum(np.abs(work), axis=-1), initial=0.0)) if work.size else 0.0
    s = max(0, int(np.ceil(np.log2(norm / 0.5)))) if norm > 0.5 else 0
    b = work / 2.0 ** s
    eye = np.broadcast_to(np.eye(a.shape[-1]), work.shape)
    out, term = eye.copy(), eye.copy()
    for k in range(1, 21):
        term = np.matmul(term, b) / k
        out = out + term
    for _ in range(s):
        out = np.matmul(out, out)
    return out.astype(a.dtype if a.dtype.kind == "f" else np.float64)


def _blocks(rows):
    """A block matrix from rows of blocks (None: zeros shaped like the first block)."""
    like = rows[0][0]
    return np.concatenate([np.concatenate([np.zeros_like(like) if b is None else
                                           np.broadcast_to(b, np.shape(like)) for b in row],
                                          axis=-1) for row in rows], axis=-2)


@kernel_of("matrix_exp")
def lin_expm(x):
    return _expm(x)


@kernel_of("expm_frechet")
def lin_expm_frechet(a, e):
    """The derivative of expm at ``a`` along ``e``: the upper right block of
    ``expm([[a, e], [0, a]])``."""
    n = np.shape(a)[-1]
    return _expm(_blocks([[a, e], [None, a]]))[..., :n, n:]


@kernel_of("expm_frechet2")
def lin_expm_frechet2(a, e, h):
    """The second derivative of expm at ``a`` along ``e`` and ``h`` (the corner block of the
    exponential of a 4 x 4 block matrix)."""
    n = np.shape(a)[-1]
    m = _blocks([[a, e, h, None], [None, a, None, h], [None, None, a, e],
                 [None, None, None, a]])
    return _expm(m)[..., :n, 3 * n:]


@primitive()
def matrix_exp(x):
    return lin_expm(x)


@vjp(matrix_exp)
def _(dout, out, x):
    return (lin_expm_frechet(np.swapaxes(x, -1, -2), dout),)


@jvp(matrix_exp)
def _(out, x, dx):
    return (lin_expm_frechet(x, dx),)


@primitive()
def expm_frechet(a, e):
    return lin_expm_frechet(a, e)


@vjp(expm_frechet)
def _(dout, out, a, e):
    return (lin_expm_frechet2(np.swapaxes(a, -1, -2), np.swapaxes(e, -1, -2), dout),
            lin_expm_frechet(np.swapaxes(a, -1, -2), dout))


@jvp(expm_frechet)
def _(out, a, e, da, de):
    return (lin_expm_frechet2(a, e, da), lin_expm_frechet(a, de))


@primitive(diff=())
def expm_frechet2(a, e, h):
    return lin_expm_frechet2(a, e, h)


@primitive(diff=())
def lu_perm_index(pivots, b):
    return lu_perm_index_(pivots, b)


@kernel_of("lu_perm_index")
def lu_perm_index_(pivots, b):
    """The index that reads ``P^T b`` along axis -2 for LAPACK's (1-based) row interchanges
    ``pivots`` (``A = P L U``), shaped like ``b`` (for ``take_along``)."""
    piv = np.asarray(pivots).astype(np.int64) - 1
    n = piv.shape[-1]
    perm = np.broadcast_to(np.arange(n), piv.shape).copy()
    for i in range(n):
        j = piv[..., i]
        pi = perm[..., i].copy()
        pj = np.take_along_axis(perm, j[..., None], -1)[..., 0]
        perm[..., i] = pj
        np.put_along_axis(perm, j[..., None], pi[..., None], -1)
    b = np.asarray(b)
    lead = np.broadcast_shapes(perm.shape[:-1], b.shape[:-2])
    return np.broadcast_to(perm[..., None], lead + (n, b.shape[-1])).copy()


# ---------------------------------------------------------------------------------------
# diagonals (each the transpose of the other)
# ---------------------------------------------------------------------------------------

@primitive(diff=("x",))
def diagonal(x, offset=0, axis1=0, axis2=1):
    return lin_diagonal(x, offset, axis1, axis2)


@vjp(diagonal)
def _(dout, out, x, offset, axis1, axis2):
    return (lin_diag_scatter(dout, x, offset, axis1, axis2),)


@jvp(diagonal)
def _(out, x, offset, axis1, axis2, dx):
    return (lin_diagonal(dx, offset, axis1, axis2),)


@primitive(diff=("g",))
def diag_scatter(g, x, offset=0, axis1=0, axis2=1):
    return lin_diag_scatter(g, x, offset, axis1, axis2)


@vjp(diag_scatter)
def _(dout, out, g, x, offset, axis1, axis2):
    return (lin_diagonal(dout, offset, axis1, axis2),)


@jvp(diag_scatter)
def _(out, g, x, offset, axis1, axis2, dg):
    return (lin_diag_scatter(dg, x, offset, axis1, axis2),)


@primitive(diff=("x",))
def diag_embed(x, offset=0, dim1=-2, dim2=-1):
    return lin_diag_embed(x, offset, dim1, dim2)


@vjp(diag_embed)
def _(dout, out, x, offset, dim1, dim2):
    return (lin_diagonal(dout, offset, dim1 % np.ndim(out), dim2 % np.ndim(out)),)


@jvp(diag_embed)
def _(out, x, offset, dim1, dim2, dx):
    return (lin_diag_embed(dx, offset, dim1, dim2),)


# ---------------------------------------------------------------------------------------
# special functions
# ---------------------------------------------------------------------------------------

@primitive()
def lgamma(x):
    return sp_lgamma(x)


@vjp(lgamma)
def _(dout, out, x):
    return (dout * sp_digamma(x),)


@jvp(lgamma)
def _(out, x, dx):
    return (dx * sp_digamma(x),)


@primitive()
def digamma(x):
    return sp_digamma(x)


@vjp(digamma)
def _(dout, out, x):
    return (dout * sp_polygamma(1, x),)


@jvp(digamma)
def _(out, x, dx):
    return (dx * sp_polygamma(1, x),)


@primitive(diff=("x",))
def polygamma(n, x):
    return sp_polygamma(n, x)


@vjp(polygamma)
def _(dout, out, n, x):
    return (dout * sp_polygamma(n + 1, x),)


@jvp(polygamma)
def _(out, n, x, dx):
    return (dx * sp_polygamma(n + 1, x),)


@primitive()
def erfinv(x):
    return sp_erfinv(x)


@vjp(erfinv)
def _(dout, out, x):
    return (dout * 0.886226925452758 * np.exp(out * out),)


@jvp(erfinv)
def _(out, x, dx):
    return (dx * 0.886226925452758 * np.exp(out * out),)


@primitive()
def i0(x):
    return sp_i0(x)


@vjp(i0)
def _(dout, out, x):
    return (dout * sp_i1(x),)


@jvp(i0)
def _(out, x, dx):
    return (dx * sp_i1(x),)


@primitive()
def i1(x):
    return sp_i1(x)


@vjp(i1)
def _(dout, out, x):
    return (dout * (sp_i0(x) - out / np.where(x == 0, 1.0, x) * (x != 0) - 0.5 * (x == 0)),)


@jvp(i1)
def _(out, x, dx):
    return (dx * (sp_i0(x) - out / np.where(x == 0, 1.0, x) * (x != 0) - 0.5 * (x == 0)),)


@primitive()
def igamma(a, x):
    return sp_igamma(a, x)


@vjp(igamma)
def _(dout, out, a, x):
    return (unbroadcast(dout * sp_igamma_da(a, x), a),
            unbroadcast(dout * sp_igamma_dx(a, x), x))


@jvp(igamma)
def _(out, a, x, da, dx):
    return (broadcast_like(da * sp_igamma_da(a, x), out),
            broadcast_like(dx * sp_igamma_dx(a, x), out))


@primitive()
def igammac(a, x):
    return sp_igammac(a, x)


@vjp(igammac)
def _(dout, out, a, x):
    return (unbroadcast(-dout * sp_igamma_da(a, x), a),
            unbroadcast(-dout * sp_igamma_dx(a, x), x))


@jvp(igammac)
def _(out, a, x, da, dx):
    return (broadcast_like(-da * sp_igamma_da(a, x), out),
            broadcast_like(-dx * sp_igamma_dx(a, x), out))


@primitive()
def igamma_dx(a, x):
    return sp_igamma_dx(a, x)


@vjp(igamma_dx)
def _(dout, out, a, x):
    return (unbroadcast(dout * out * (np.log(x) - sp_digamma(a)), a),
            unbroadcast(dout * out * ((a - 1.0) / x - 1.0), x))


@jvp(igamma_dx)
def _(out, a, x, da, dx):
    return (broadcast_like(da * out * (np.log(x) - sp_digamma(a)), out),
            broadcast_like(dx * out * ((a - 1.0) / x - 1.0), out))


@primitive(refused="the derivative of igamma in its first argument, igamma_da, is not "
                   "differentiated: a second derivative through igamma's a")
def igamma_da(a, x):
    return sp_igamma_da(a, x)


# ---------------------------------------------------------------------------------------
# without gradient
# ---------------------------------------------------------------------------------------

@kernel_of("zeta")
def sp_zeta(x, q):
    return ksp.zeta(x, q)


@primitive(diff=("q",))
def zeta(x, q):
    return sp_zeta(x, q)


@vjp(zeta)
def _(dout, out, x, q):
    return (unbroadcast(-dout * x * sp_zeta(x + 1.0, q), q),)


@jvp(zeta)
def _(out, x, q, dq):
    return (broadcast_like(-dq * x * sp_zeta(x + 1.0, q), out),)


@primitive(diff=())
def lin_equation_(kind, n1, n2, axes=None):
    return lin_equation(kind, n1, n2, axes)


@primitive(diff=())
def lin_shape_(kind, s1, s2=(), arg=None):
    return lin_shape(kind, s1, s2, arg)


@primitive(diff=())
def order_index_(x, kind, axis=-1, q=0.5, keepdims=False):
    return order_index(x, kind, axis, q, keepdims)


@primitive(diff=())
def quantile_frac_(x, q, axis=-1, ignore_nan=False):
    return quantile_frac(x, q, axis, ignore_nan)


@kernel_of("eye_like")
def lin_eye_like(x):
    """Identity matrices shaped and typed like ``x`` (square in the last two axes)."""
    x = np.asarray(x)
    return np.broadcast_to(np.eye(x.shape[-1], dtype=x.dtype), x.shape).copy()


@primitive(diff=())
def eye_like(x):
    return lin_eye_like(x)


@kernel_of("svdvals")
def lin_svdvals(x):
    return np.linalg.svd(x, compute_uv=False)


@primitive()
def svdvals(x):
    return lin_svdvals(x)


@vjp(svdvals)
def _(dout, out, x):
    return (np.matmul(svd_part_(x, False, 1) * np.expand_dims(dout, -2),
                      np.swapaxes(svd_part_(x, False, 2), -1, -2)),)


@jvp(svdvals)
def _(out, x, dx):
    return (np.sum(svd_part_(x, False, 1) * np.matmul(dx, svd_part_(x, False, 2)), -2),)


@kernel_of("qr_part")
def lin_qr_part(x, mode="reduced", which=0):
    return np.linalg.qr(x, mode)[which]


@primitive(refused="the gradient of ops.qr's factors")
def qr_part(x, mode="reduced", which=0):
    return lin_qr_part(x, mode, which)


@primitive(refused="the gradient of ops.svd's singular vectors, and a second derivative "
                   "of the singular values")
def svd_part(x, full_matrices=False, which=0):
    return svd_part_(x, full_matrices, which)


@primitive(refused="the gradient of ops.eig's eigenvalues and eigenvectors")
def eig_part(x, which=0):
    return eig_part_(x, which)


@kernel_of("eig_part")
def eig_part_(x, which=0):
    """One of ``(eigenvalues, eigenvectors)``, complex (complex64 for float32 input)."""
    x = np.asarray(x)
    kind = np.complex64 if x.dtype in (np.float32, np.complex64) else np.complex128
    return np.linalg.eig(x)[which].astype(kind)


@primitive(diff=())
def gcd(x, y):
    return np.gcd(x, y)


@primitive(diff=())
def lcm(x, y):
    return np.lcm(x, y)


@primitive(diff=())
def bitwise_and(x, y):
    return np.bitwise_and(x, y)


@primitive(diff=())
def bitwise_or(x, y):
    return np.bitwise_or(x, y)


@primitive(diff=())
def bitwise_xor(x, y):
    return np.bitwise_xor(x, y)


@primitive(diff=())
def left_shift(x, y):
    return np.left_shift(x, y)


@primitive(diff=())
def right_shift(x, y):
    return np.right_shift(x, y)


@primitive(diff=())
def invert(x):
    return np.invert(x)


@primitive(diff=())
def nextafter(x, y):
    return np.nextafter(x, y)


@primitive(diff=())
def histc(x, bins=100, min=0.0, max=0.0):
    return _histc(x, bins, min, max)


@kernel_of("histc")
def _histc(x, bins=100, lo=0.0, hi=0.0):
    x = np.asarray(x)
    if lo == 0 and hi == 0:
        lo, hi = (float(np.min(x)), float(np.max(x))) if x.size else (0.0, 0.0)
    if lo == hi:
        lo, hi = lo - 1.0, hi + 1.0
    flat = x.reshape(-1)
    flat = flat[(flat >= lo) & (flat <= hi)]
    counts, _ = np.histogram(flat, bins=bins, range=(lo, hi))
    return counts.astype(x.dtype if x.dtype.kind == "f" else np.float32)


@kernel_of("bincount")
def lin_bincount(x, weights=None, minlength=0):
    """Counts (float32, as MindSpore) or summed ``weights`` of each value of ``x``."""
    w = None if weights is None else np.asarray(weights).reshape(-1)
    out = np.bincount(np.asarray(x).reshape(-1), w, minlength)
    return out.astype(np.float32 if weights is None else np.asarray(weights).dtype)


@primitive(diff=())
def bincount(x, weights=None, minlength=0):
    return lin_bincount(x, weights, minlength)


#: what this module registers (tests/test_rules_linalg checks the list against the registry)
LINALG_PRIMITIVES = (
    "matrix_inverse", "det", "logabsdet", "det_sign", "solve", "cholesky", "pinv",
    "svdvals", "matrix_exp", "expm_frechet", "expm_frechet2", "lu_perm_index", "diagonal", "diag_scatter", "diag_embed", "lgamma", "digamma", "polygamma", "erfinv",
    "i0", "i1", "igamma", "igammac", "igamma_dx", "igamma_da", "zeta", "lin_equation", "lin_shape",
    "order_index", "quantile_frac", "eye_like", "qr_part", "svd_part", "eig_part", "gcd", "lcm",
    "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift", "invert",
    "nextafter", "histc", "bincount")
