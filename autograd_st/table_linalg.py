"""The op-table rows for linear algebra, special functions, integer (bit) functions and order
statistics: each row one calling convention of one primitive (see
:mod:`autograd_st.op_table`, which gathers these rows with its own).

MindSpore 2.10's signatures, defaults and values, measured in the side venv (CPU):
``ops.diag(input)`` is TensorFlow's ``tensor_diag`` (an n-D input gives a 2n-D output);
``ops.inverse`` is the matrix inverse and ``ops.inv`` the element-wise reciprocal;
``logdet`` is NaN where the determinant is negative; ``cummax``'s indices are int64 and
``cummin``'s int32, ties giving the later index; ``median`` is the lower median with the
index a stable sort gives; ``bincount`` returns float32; ``float_power`` float64;
``copysign(x, -0.0)`` and ``signbit(-0.0)`` read -0.0 as positive (``other < 0``).
``quantile``/``nanquantile`` and ``matrix_exp`` (unsupported on MindSpore's CPU),
``Tensor.kthvalue`` and ``Tensor.triangular_solve`` (MindSpore errors in 2.10) follow their
documentation: linear interpolation; the k-th smallest value and its index; ``lu_solve``
takes LAPACK's packed LU and 1-based pivots.

Takes: :class:`~autograd_st.op_row.Op`, :data:`~autograd_st.prims.P`, the primitives of
:mod:`autograd_st.rules_linalg` and the norms of :mod:`autograd_st.table_math`.
Gives: :data:`OPS`, the rows, and the adapters they name.
"""
from __future__ import annotations

import numpy as np

from . import dtype as mstype
from . import rules_linalg  # (registers the primitives the rows name)
from .errors import InputValueError
from .op_row import Op
from .prims import P, Sym, has_sym
from .table_math import _matrix_norm, _vector_norm
from .table_math import outer as _outer
from .tensor import Tensor

__all__ = ["OPS", "diag", "diagflat", "diagonal", "diag_embed", "matrix_diag",
           "matrix_diag_part", "matrix_set_diag", "matrix_band_part", "det", "slogdet",
           "logdet", "inverse", "inv", "matrix_power", "cholesky", "cholesky_solve",
           "cholesky_inverse", "qr", "svd", "pinv", "lstsq", "matrix_solve", "kron", "inner",
           "batch_dot", "tensor_dot", "cov", "vector_norm", "matrix_norm", "eig", "eigvals",
           "mvlgamma", "real", "imag", "conj", "copysign", "signbit", "logcumsumexp", "cummax", "cummin", "trapz",
           "vander", "matrix_exp", "lu_solve", "median", "nanmedian", "quantile", "nanquantile", "polygamma"]


def _int(v, what, op):
    if isinstance(v, Tensor):
        v = v.asnumpy()
    if isinstance(v, np.ndarray) and v.size == 1:
        v = v.item()
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, np.integer)):
        raise InputValueError("For '%s', %s must be an int, got %r; pass a Python int"
                              % (op, what, v))
    return int(v)


def _t(x):
    return P.swapaxes(x, -1, -2)


def _data(x):
    return x.asnumpy() if isinstance(x, Tensor) else x


def _ndim(x):
    """The rank: a Python int eagerly, a runtime value under the compiler."""
    return P.ndim(x) if isinstance(x, Sym) else np.ndim(_data(x))


def _shape(x):
    return P.shape(x) if isinstance(x, Sym) else np.shape(_data(x))


def _equation(kind, n1, n2, axes=None):
    """``rules_linalg.lin_equation``: called directly eagerly, emitted under the compiler."""
    if has_sym((n1, n2)):
        return P.lin_equation(kind, n1, n2, axes)
    return rules_linalg.lin_equation(kind, n1, n2, axes)


def _shape_of(kind, s1, s2=(), arg=None):
    """``rules_linalg.lin_shape``: called directly eagerly, emitted under the compiler."""
    if has_sym((s1, s2, arg)):
        return P.lin_shape(kind, s1, s2, arg)
    return rules_linalg.lin_shape(kind, s1, s2, arg)


# ---------------------------------------------------------------------------------------
# diagonals and bands
# ---------------------------------------------------------------------------------------

def diag(input):
    """MindSpore's ``ops.diag(input)`` (and ``Tensor.diag()``): TensorFlow's tensor_diag, the
    output shaped ``input.shape * 2`` with ``input`` on its diagonal (a 1-D input gives the
    diagonal matrix)."""
    flat = P.diag_embed(P.reshape(input, (-1,)), 0, -2, -1)
    return P.reshape(flat, _shape_of("diag", _shape(input)))


def diagflat(input, offset=0):
    """MindSpore's ``ops.diagflat(input, offset=0)``: the flattened input on the ``offset``
    diagonal of a square matrix."""
    return P.diag_embed(P.reshape(input, (-1,)), offset, -2, -1)


def diagonal(input, offset=0, dim1=0, dim2=1):
    """MindSpore's ``ops.diagonal(input, offset=0, dim1=0, dim2=1)``: the diagonal of the
    plane (dim1, dim2) as the last axis (``Tensor.diagonal(offset, axis1, axis2)``)."""
    return P.diagonal(input, offset, dim1, dim2)


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """MindSpore's ``ops.diag_embed(input, offset=0, dim1=-2, dim2=-1)``: the last axis of
    ``input`` written on the ``offset`` diagonal of the plane (dim1, dim2) of zeros."""
    return P.diag_embed(input, offset, dim1, dim2)


def matrix_diag(x, k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"):
    """MindSpore's ``ops.matrix_diag(x, k=0, num_rows=-1, num_cols=-1, padding_value=0,
    align='RIGHT_LEFT')`` for one diagonal ``k`` (an int) and the smallest square output
    (``num_rows``/``num_cols`` -1); ``padding_value`` fills the rest."""
    k = _int(k, "k", "matrix_diag")
    if num_rows not in (-1, None) or num_cols not in (-1, None):
        raise InputValueError("For 'matrix_diag', num_rows/num_cols other than -1 are not "
                              "supported here; pad the result with ops.pad instead")
    out = P.diag_embed(x, k, -2, -1)
    if isinstance(padding_value, Tensor):
        padding_value = padding_value.asnumpy().item()
    if padding_value == 0:
        return out
    mask = P.diag_embed(P.ones_like(x), k, -2, -1)
    return P.add(out, P.mul(P.sub(1.0, mask), padding_value))


def matrix_diag_part(x, k=0, padding_value=0, align="RIGHT_LEFT"):
    """MindSpore's ``ops.matrix_diag_part(x, k, padding_value, align='RIGHT_LEFT')`` for one
    diagonal ``k`` (an int or a 0-d Tensor): the ``k``-th diagonal of the last two axes."""
    return P.diagonal(x, _int(k, "k", "matrix_diag_part"), -2, -1)


def matrix_set_diag(x, diagonal, k=0, align="RIGHT_LEFT"):
    """MindSpore's ``ops.matrix_set_diag(x, diagonal, k=0, align='RIGHT_LEFT')`` for one
    diagonal ``k``: ``x`` with its ``k``-th diagonal (last two axes) replaced."""
    k = _int(k, "k", "matrix_set_diag")
    old = P.diag_scatter(P.diagonal(x, k, -2, -1), x, k, -2, -1)
    return P.add(P.sub(x, old), P.diag_scatter(diagonal, x, k, -2, -1))


def matrix_band_part(x, lower, upper):
    """MindSpore's ``ops.matrix_band_part(x, lower, upper)``: the band of ``lower``
    subdiagonals and ``upper`` superdiagonals of the last two axes (negative: all)."""
    lower = _int(lower, "lower", "matrix_band_part")
    upper = _int(upper, "upper", "matrix_band_part")
    out = x
    if lower >= 0:
        out = P.triu(out, -lower)
    if upper >= 0:
        out = P.tril(out, upper)
    return out


# ---------------------------------------------------------------------------------------
# determinants, inverses, factorizations, solves
# ---------------------------------------------------------------------------------------

def det(input):
    """MindSpore's ``ops.det(input)`` / ``ops.matrix_determinant``: the determinant of each
    square matrix in the last two axes."""
    return P.det(input)


def slogdet(input):
    """MindSpore's ``ops.slogdet(input)`` / ``ops.log_matrix_determinant``: ``(sign,
    log|det|)``; the gradient flows through ``log|det|``."""
    return P.det_sign(input), P.logabsdet(input)


def logdet(input):
    """MindSpore's ``ops.logdet(input)``: ``log(det)``, NaN where the determinant is
    negative (MindSpore's value), -inf where it is zero."""
    return P.where(P.less(P.det_sign(input), 0.0), float("nan"), P.logabsdet(input))


def inverse(input):
    """MindSpore's ``ops.inverse(input)`` (``Tensor.inverse()``): the matrix inverse."""
    return P.matrix_inverse(input)


def inv(x):
    """MindSpore's ``ops.inv(x)`` (``Tensor.inv()``): the element-wise reciprocal ``1 / x``
    (``ops.inverse`` is the matrix inverse)."""
    return P.div(1.0, x)


def matrix_power(input, n):
    """MindSpore's ``ops.matrix_power(input, n)``: ``input`` multiplied by itself ``n`` times
    (by squaring); ``n == 0`` the identity, ``n < 0`` powers of the inverse."""
    n = _int(n, "n", "matrix_power")
    if n == 0:
        return P.eye_like(input)
    base = P.matrix_inverse(input) if n < 0 else input
    n = abs(n)
    out = None
    while n:
        if n & 1:
            out = base if out is None else P.matmul(out, base)
        n >>= 1
        if n:
            base = P.matmul(base, base)
    return out


def cholesky(input_x, upper=False):
    """MindSpore's ``ops.cholesky(input_x, upper=False)``: the lower (``upper``: upper)
    Cholesky factor of a symmetric positive-definite matrix (the symmetric part of
    ``input_x`` is factored, so the gradient is symmetric)."""
    low = P.cholesky(input_x)
    return _t(low) if upper else low


def _lower(factor, upper):
    return _t(factor) if upper else factor


def cholesky_solve(input, input2, upper=False):
    """MindSpore's ``ops.cholesky_solve(input, input2, upper=False)``: ``X`` with
    ``A X = input``, ``A = L L^T`` given by its Cholesky factor ``input2``."""
    low = _lower(input2, upper)
    return P.solve(_t(low), P.solve(low, input))


def cholesky_inverse(input_x, upper=False):
    """MindSpore's ``ops.cholesky_inverse(input_x, upper=False)``: ``(L L^T)^-1`` from the
    Cholesky factor."""
    low = _lower(input_x, upper)
    return P.matrix_inverse(P.matmul(low, _t(low)))


def qr(input, mode="reduced"):
    """MindSpore's ``ops.qr(input, mode='reduced')``: ``(Q, R)`` ('reduced' or 'complete';
    no gradient here)."""
    if mode not in ("reduced", "complete"):
        raise InputValueError("For 'qr', mode must be 'reduced' or 'complete', got %r"
                              % (mode,))
    return P.qr_part(input, mode, 0), P.qr_part(input, mode, 1)


def _m_qr(self, some=True):
    """``Tensor.qr(some=True)``: ``ops.qr`` with mode 'reduced' (``some``) or 'complete'."""
    return qr(self, "reduced" if some else "complete")


def svd(input, full_matrices=False, compute_uv=True):
    """MindSpore's ``ops.svd(input, full_matrices=False, compute_uv=True)``: ``(s, u, v)``
    with ``input = u diag(s) v^T`` (``s`` alone without ``compute_uv``).  The singular
    values ``s`` have a gradient (first order: ``u diag(ds) v^T``); ``u`` and ``v`` none."""
    s = P.svdvals(input)
    if not compute_uv:
        return s
    return s, P.svd_part(input, full_matrices, 1), P.svd_part(input, full_matrices, 2)


def pinv(x, *, atol=None, rtol=None, hermitian=False):
    """MindSpore's ``ops.pinv(x, *, atol=None, rtol=None, hermitian=False)``: the
    Moore-Penrose pseudo-inverse (numpy's default cutoff; differentiable where the rank is
    full).  ``atol``/``rtol`` are not supported here."""
    if atol is not None or rtol is not None:
        raise InputValueError("For 'pinv', atol and rtol are not supported here; leave them "
                              "None (singular values below max(M, N) * eps * max(s) are cut)")
    return P.pinv(x)


def lstsq(input, A):
    """MindSpore's ``ops.lstsq(input, A)``: the least-squares ``X`` minimising
    ``|input X - A|`` (``pinv(input) @ A``)."""
    return P.matmul(P.pinv(input), A)


def matrix_solve(matrix, rhs, adjoint=False):
    """MindSpore's ``ops.matrix_solve(matrix, rhs, adjoint=False)``: ``X`` with
    ``matrix X = rhs`` (``adjoint``: ``matrix^T X = rhs``)."""
    return P.solve(_t(matrix) if adjoint else matrix, rhs)


def _m_triangular_solve(self, A, upper=True, transpose=False, unitriangular=False):
    """``Tensor.triangular_solve(A, upper=True, transpose=False, unitriangular=False)``:
    ``(X, A)`` with ``T X = self`` for ``T`` the upper (lower) triangle of ``A``, transposed
    with ``transpose``, unit diagonal with ``unitriangular`` (as documented; MindSpore 2.10's
    CPU build fails on it)."""
    tri = P.triu(A) if upper else P.tril(A)
    if unitriangular:
        tri = P.add(P.sub(tri, P.diag_scatter(P.diagonal(tri, 0, -2, -1), tri, 0, -2, -1)),
                    P.eye_like(tri))
    if transpose:
        tri = _t(tri)
    return P.solve(tri, self), A


def matrix_exp(input):
    """MindSpore's ``ops.matrix_exp(input)``: the exponential of each square matrix (last two
    axes); MindSpore 2.10's CPU build has no kernel for it, so this follows its
    documentation.  Differentiable to second order."""
    return P.matrix_exp(input)


def lu_solve(b, LU_data, LU_pivots):
    """MindSpore's ``ops.lu_solve(b, LU_data, LU_pivots)``: ``X`` with ``A X = b`` for
    ``A = P L U`` given packed as ``LU_data`` (L unit lower, U upper) and LAPACK's 1-based
    row interchanges ``LU_pivots`` (as ``torch.linalg.lu_factor`` gives them); the gradient
    flows to ``b`` and ``LU_data``."""
    pb = P.take_along(b, P.lu_perm_index(LU_pivots, b), -2)
    low = P.add(P.tril(LU_data, -1), P.eye_like(LU_data))
    return P.solve(P.triu(LU_data), P.solve(low, pb))


def eig(A):
    """MindSpore's ``ops.eig(A)``: ``(eigenvalues, eigenvectors)``, complex (no gradient)."""
    return P.eig_part(A, 0), P.eig_part(A, 1)


def eigvals(A):
    """MindSpore's ``ops.eigvals(A)``: the eigenvalues, complex (no gradient)."""
    return P.eig_part(A, 0)


# ---------------------------------------------------------------------------------------
# products
# ---------------------------------------------------------------------------------------

def kron(input, other):
    """MindSpore's ``ops.kron(input, other)``: the Kronecker product (ranks aligned at the
    right, as numpy's)."""
    eq = _equation("kron", _ndim(input), _ndim(other))
    return P.reshape(P.einsum2(input, other, eq),
                     _shape_of("kron", _shape(input), _shape(other)))


def inner(input, other):
    """MindSpore's ``ops.inner(input, other)`` (``Tensor.inner``): the sum over the last
    axes; a 0-d operand multiplies."""
    return P.einsum2(input, other, _equation("inner", _ndim(input), _ndim(other)))


def batch_dot(x1, x2, axes=None):
    """MindSpore's ``ops.batch_dot(x1, x2, axes=None)``: per batch (axis 0), the sum over
    ``axes`` (None: the last axis of x1 and the second last of x2, or x2's last when it is
    2-D); two 2-D operands give shape (batch, 1)."""
    if isinstance(axes, list):
        axes = tuple(axes)
    out = P.einsum2(x1, x2, _equation("batch_dot", _ndim(x1), _ndim(x2), axes))
    return P.reshape(out, _shape_of("batch_dot", _shape(x1), _shape(x2), _shape(out)))


def tensor_dot(x1, x2, axes):
    """MindSpore's ``ops.tensor_dot(x1, x2, axes)``: numpy's tensordot (``axes`` an int or a
    pair of axis lists)."""
    if isinstance(axes, list):
        axes = tuple(tuple(a) if isinstance(a, list) else a for a in axes)
    return P.einsum2(x1, x2, _equation("tensordot", _ndim(x1), _ndim(x2), axes))


def _m_outer(self, vec2):
    """``Tensor.outer(vec2)``: ``ops.outer(self, vec2)``."""
    return _outer(self, vec2)


def cov(input, *, correction=1, fweights=None, aweights=None):
    """MindSpore's ``ops.cov(input, *, correction=1, fweights=None, aweights=None)``: the
    covariance of the variables in the rows of ``input`` (a 1-D input: one variable, a 0-d
    result), numpy's formula with frequency and observation weights."""
    x = P.reshape(input, _shape_of("rows", _shape(input)))
    w = P.ones_like(P.getitem(x, 0))
    if fweights is not None:
        w = P.mul(w, P.cast_like(fweights, x))
    if aweights is not None:
        aweights = P.cast_like(aweights, x)
        w = P.mul(w, aweights)
    v1 = P.sum(w)
    avg = P.div(P.sum(P.mul(x, w), axis=1, keepdims=True), v1)
    if aweights is None:
        fact = P.sub(v1, float(correction))
    else:
        fact = P.sub(v1, P.div(P.mul(P.sum(P.mul(w, aweights)), float(correction)), v1))
    xc = P.sub(x, avg)
    c = P.div(P.matmul(P.mul(xc, w), _t(xc)), fact)
    return P.reshape(c, _shape_of("cov", _shape(input)))


def vector_norm(x, ord=2, axis=None, keepdims=False, *, dtype=None):
    """MindSpore's ``ops.vector_norm(x, ord=2, axis=None, keepdims=False, *, dtype=None)``:
    the ``ord``-norm (inf, -inf, 0, or a number) of every element (``axis`` None) or along
    ``axis`` (an int or a tuple)."""
    if isinstance(axis, list):
        axis = tuple(axis)
    if axis is None:
        out = _vector_norm(P.reshape(x, (-1,)), ord, 0, False)
        if keepdims:
            out = P.reshape(out, _shape_of("ones", _shape(x)))
    elif isinstance(axis, tuple) and ord not in (None, 2, 1, 0, float("inf"), float("-inf")):
        out = P.pow(P.sum(P.pow(P.abs(x), float(ord)), axis=axis, keepdims=keepdims),
                    1.0 / ord)
    else:
        out = _vector_norm(x, ord, axis, keepdims)
    return out if dtype is None else P.astype(out, mstype.to_numpy(dtype))


def matrix_norm(A, ord="fro", axis=(-2, -1), keepdims=False, *, dtype=None):
    """MindSpore's ``ops.matrix_norm(A, ord='fro', axis=(-2, -1), keepdims=False, *,
    dtype=None)``: 'fro', 'nuc', 1, -1, 2, -2, inf, -inf over the two axes (2, -2, 'nuc'
    from the singular values, which differentiate to first order)."""
    axis = tuple(axis)
    if ord in ("nuc", 2, -2):
        if axis not in ((-2, -1),):
            raise InputValueError("For 'matrix_norm', ord=%r is supported here over the last "
                                  "two axes only, got axis=%r" % (ord, axis))
        s = P.svdvals(A)
        if ord == "nuc":
            out = P.sum(s, axis=-1)
        else:
            out = (P.max if ord == 2 else P.min)(s, axis=-1)
        if keepdims:
            out = P.expand_dims(P.expand_dims(out, -1), -1)
    else:
        out = _matrix_norm(A, ord, axis, keepdims)
    return out if dtype is None else P.astype(out, mstype.to_numpy(dtype))


# ---------------------------------------------------------------------------------------
# special and element-wise functions
# ---------------------------------------------------------------------------------------

def polygamma(n, input):
    """MindSpore's ``ops.polygamma(n, input)``: the ``n``-th derivative of digamma
    (``n`` a 0-d integer Tensor or an int)."""
    return P.polygamma(n, input)


def mvlgamma(input, p):
    """MindSpore's ``ops.mvlgamma(input, p)``: the multivariate log-gamma function,
    ``p (p - 1) / 4 log(pi) + sum_j lgamma(input - j / 2)``; MindSpore's ValueError where
    an element is not above ``(p - 1) / 2``."""
    p = _int(p, "p", "mvlgamma")
    if p < 1:
        raise InputValueError("For 'mvlgamma', p must be at least 1, got %d" % p)
    if isinstance(input, Tensor) and np.any(input.asnumpy() <= (p - 1) / 2.0):
        raise InputValueError("For Mvlgamma, all elements of 'x' must be greater than "
                              "(p-1)/2.")
    out = P.lgamma(input)
    for j in range(1, p):
        out = P.add(out, P.lgamma(P.sub(input, j / 2.0)))
    return P.add(out, p * (p - 1) / 4.0 * 1.1447298858494002)  # log(pi)


def real(input):
    """MindSpore's ``ops.real(input)`` for a real input: the input (complex Tensors are not
    supported here)."""
    return P.copy(input)


def imag(input):
    """MindSpore's ``ops.imag(input)`` for a real input: zeros (no gradient)."""
    return P.zeros_like(input)


def conj(input):
    """MindSpore's ``ops.conj(input)`` for a real input: the input."""
    return P.copy(input)


def copysign(x, other):
    """MindSpore's ``ops.copysign(x, other)``: ``|x|`` with the sign of ``other`` (negative
    where ``other < 0``: MindSpore reads -0.0 as positive)."""
    ax = P.abs(x)
    return P.where(P.less(other, 0), P.neg(ax), ax)


def signbit(input):
    """MindSpore's ``ops.signbit(input)``: ``input < 0`` (-0.0 gives False, as MindSpore)."""
    return P.less(input, 0)


def logcumsumexp(input, axis):
    """MindSpore's ``ops.logcumsumexp(input, axis)``: ``log(cumsum(exp(input)))`` along
    ``axis``, shifted by the maximum (prefixes far below the maximum underflow to -inf)."""
    m = P.stop_gradient(P.max(input, axis=axis, keepdims=True))
    return P.add(P.log(P.cumsum(P.exp(P.sub(input, m)), axis)), m)


def cummax(input, axis):
    """MindSpore's ``ops.cummax(input, axis)``: ``(values, indices)`` of the running maximum
    (indices int64; ties: the later index)."""
    idx = P.order_index(input, "cummax", axis)
    return P.take_along(input, idx, axis), idx


def cummin(input, axis):
    """MindSpore's ``ops.cummin(input, axis)``: ``(values, indices)`` of the running minimum
    (indices int32, as MindSpore; ties: the later index)."""
    idx = P.order_index(input, "cummin", axis)
    return P.take_along(input, idx, axis), P.astype(idx, "int32")


def _slices(dim, sl):
    if dim >= 0:
        return (slice(None),) * dim + (sl,)
    return (Ellipsis, sl) + (slice(None),) * (-dim - 1)


def trapz(y, x=None, *, dx=1.0, dim=-1):
    """MindSpore's ``ops.trapz(y, x=None, *, dx=1.0, dim=-1)``: the trapezoid rule along
    ``dim``, with sample points ``x`` (shaped like ``y``, or 1-D along ``dim``) or spacing
    ``dx``."""
    hi, lo = _slices(dim, slice(1, None)), _slices(dim, slice(None, -1))
    mid = P.mul(P.add(P.getitem(y, hi), P.getitem(y, lo)), 0.5)
    if x is None:
        return P.mul(P.sum(mid, axis=dim), dx)
    step = P.sub(P.getitem(x, (Ellipsis, slice(1, None))),
                 P.getitem(x, (Ellipsis, slice(None, -1))))
    if dim not in (-1,):
        step = P.reshape(step, _shape_of("along", _shape(step), _shape(y), dim))
    return P.sum(P.mul(mid, step), axis=dim)


def vander(x, N=None):
    """MindSpore's ``ops.vander(x, N=None)``: columns ``x ** (N-1) ... x ** 0`` (N defaults
    to ``len(x)``)."""
    exps = _shape_of("vander", _shape(x), (), N)
    return P.cast_like(P.pow(P.expand_dims(x, -1), exps), x)


# ---------------------------------------------------------------------------------------
# order statistics
# ---------------------------------------------------------------------------------------

def _pick(input, kind, axis, keepdims, k=0.5):
    idx = P.order_index(input, kind, axis, k)
    val = P.take_along(input, idx, axis)
    if not keepdims:
        val, idx = P.squeeze(val, axis), P.squeeze(idx, axis)
    return val, idx


def median(input, axis=-1, keepdims=False):
    """MindSpore's ``ops.median(input, axis=-1, keepdims=False)``: ``(values, indices)`` of
    the lower median along ``axis`` (indices int64, from a stable sort)."""
    return _pick(input, "median", axis, keepdims)


def nanmedian(input, axis=-1, keepdims=False):
    """MindSpore's ``ops.nanmedian(input, axis=-1, keepdims=False)``: ``median`` ignoring
    NaNs."""
    return _pick(input, "nanmedian", axis, keepdims)


def _m_kthvalue(self, k, dim=-1, keepdim=False):
    """``Tensor.kthvalue(k, dim=-1, keepdim=False)``: ``(values, indices)`` of the ``k``-th
    smallest element along ``dim`` (1-based, as documented; MindSpore 2.10 fails on it)."""
    return _pick(self, "kth", dim, keepdim, _int(k, "k", "kthvalue"))


def _quantile1(x, q, axis, keepdims, nan):
    lo = P.take_along(x, P.order_index(x, "nqlo" if nan else "qlo", axis, q), axis)
    hi = P.take_along(x, P.order_index(x, "nqhi" if nan else "qhi", axis, q), axis)
    val = P.add(lo, P.mul(P.sub(hi, lo), P.quantile_frac(x, q, axis, nan)))
    if not nan:  # any NaN in the slice makes its quantile NaN
        val = P.add(val, P.mul(P.sum(x, axis=axis, keepdims=True), 0.0))
    return val if keepdims else P.squeeze(val, axis)


def _quantile(input, q, axis, keepdims, nan, op):
    if isinstance(q, Sym):
        raise InputValueError("For '%s', q must be known when the code is compiled (a float, "
                              "a list or a Tensor defined outside the differentiated code)"
                              % op)
    qa = np.asarray(q.asnumpy() if isinstance(q, Tensor) else q, np.float64)
    if qa.ndim > 1 or np.any((qa < 0) | (qa > 1)):
        raise InputValueError("For '%s', q must be a float or a 1-D Tensor in [0, 1], got %r"
                              % (op, q))
    x = input
    if axis is None:
        x, axis = P.reshape(input, (-1,)), 0
    if qa.ndim == 0:
        out = _quantile1(x, float(qa), axis, keepdims, nan)
    else:
        out = None
        for qi in qa:
            v = P.expand_dims(_quantile1(x, float(qi), axis, keepdims, nan), 0)
            out = v if out is None else P.concat2(out, v, 0)
    if keepdims and axis == 0 and input is not x:
        out = P.reshape(out, _shape_of("ones", _shape(input), _shape(q) if qa.ndim else ()))
    return out


def quantile(input, q, axis=None, keepdims=False):
    """MindSpore's ``ops.quantile(input, q, axis=None, keepdims=False)``: the ``q`` quantiles
    (linear interpolation) along ``axis`` (None: of every element); a 1-D ``q`` adds a
    leading axis.  ``q`` must be known when the code is compiled."""
    return _quantile(input, q, axis, keepdims, False, "quantile")


def nanquantile(input, q, axis=None, keepdims=False):
    """MindSpore's ``ops.nanquantile(input, q, axis=None, keepdims=False)``: ``quantile``
    ignoring NaNs."""
    return _quantile(input, q, axis, keepdims, True, "nanquantile")


_U = "input"
_B = "input, other"

OPS: tuple[Op, ...] = (
    # diagonals and bands
    Op("diag_embed", fn=diag, ops=("diag",), methods=("diag",)),
    Op("diag_embed", fn=diagflat, ops=("diagflat",), methods=("diagflat",)),
    Op("diagonal", fn=diagonal, ops=("diagonal",)),
    Op("diagonal", "self, offset=0, axis1=0, axis2=1", methods=("diagonal",),
       doc="``Tensor.diagonal(offset=0, axis1=0, axis2=1)``: ``ops.diagonal``."),
    Op("diag_embed", fn=diag_embed, ops=("diag_embed",)),
    Op("diag_embed", fn=matrix_diag, ops=("matrix_diag",)),
    Op("diagonal", fn=matrix_diag_part, ops=("matrix_diag_part",)),
    Op("diag_scatter", fn=matrix_set_diag, ops=("matrix_set_diag",)),
    Op("triu", fn=matrix_band_part, ops=("matrix_band_part",), classes=("MatrixBandPart",)),
    # determinants, inverses, factorizations, solves
    Op("det", fn=det, ops=("det", "matrix_determinant"), methods=("det", "matrix_determinant"),
       numpy=(np.linalg.det,), classes=("MatrixDeterminant",)),
    Op("logabsdet", fn=slogdet, ops=("slogdet", "log_matrix_determinant"),
       methods=("slogdet", "log_matrix_determinant"), numpy=(np.linalg.slogdet,),
       classes=("LogMatrixDeterminant",)),
    Op("logabsdet", fn=logdet, ops=("logdet",), methods=("logdet",)),
    Op("matrix_inverse", fn=inverse, ops=("inverse",), methods=("inverse",),
       numpy=(np.linalg.inv,)),
    Op("div", fn=inv, ops=("inv",), methods=("inv",)),
    Op("matmul", fn=matrix_power, ops=("matrix_power",), methods=("matrix_power",),
       numpy=(np.linalg.matrix_power,)),
    Op("cholesky", fn=cholesky, ops=("cholesky",), methods=("cholesky",),
       numpy=(np.linalg.cholesky,)),
    Op("solve", fn=cholesky_solve, ops=("cholesky_solve",), methods=("cholesky_solve",),),
    Op("matrix_inverse", fn=cholesky_inverse, ops=("cholesky_inverse",),
       methods=("cholesky_inverse",)),
    Op("qr_part", fn=qr, ops=("qr",)),
    Op("qr_part", fn=_m_qr, methods=("qr",)),
    Op("svdvals", fn=svd, ops=("svd",), methods=("svd",)),
    Op("pinv", fn=pinv, ops=("pinv",), numpy=(np.linalg.pinv,)),
    Op("pinv", fn=lstsq, ops=("lstsq",), methods=("lstsq",)),
    Op("solve", fn=matrix_solve, ops=("matrix_solve",)),
    Op("solve", fn=_m_triangular_solve, methods=("triangular_solve",)),
    Op("matrix_exp", fn=matrix_exp, ops=("matrix_exp",), classes=("MatrixExp",)),
    Op("solve", fn=lu_solve, ops=("lu_solve",), methods=("lu_solve",)),
    Op("eig_part", fn=eig, ops=("eig",)),
    Op("eig_part", fn=eigvals, ops=("eigvals",)),
    # products
    Op("einsum2", fn=kron, ops=("kron",), numpy=(np.kron,)),
    Op("einsum2", fn=inner, ops=("inner",), methods=("inner",), numpy=(np.inner,)),
    Op("mul", fn=_m_outer, methods=("outer",)),
    Op("einsum2", fn=batch_dot, ops=("batch_dot",)),
    Op("einsum2", fn=tensor_dot, ops=("tensor_dot",)),
    Op("matmul", fn=cov, ops=("cov",), methods=("cov",)),
    Op("sqrt", fn=vector_norm, ops=("vector_norm",)),
    Op("sqrt", fn=matrix_norm, ops=("matrix_norm",)),
    # special functions
    Op("lgamma", _U, ops=("lgamma",), methods=("lgamma",), classes=("Lgamma",)),
    Op("digamma", _U, ops=("digamma",), methods=("digamma",), classes=("Digamma",)),
    Op("polygamma", fn=polygamma, ops=("polygamma",), classes=("Polygamma",)),
    Op("lgamma", fn=mvlgamma, ops=("mvlgamma",), methods=("mvlgamma",)),
    Op("erfinv", _U, ops=("erfinv",), methods=("erfinv",), classes=("Erfinv",)),
    Op("i0", _U, ops=("i0", "bessel_i0"), methods=("i0",), classes=("BesselI0",)),
    Op("i1", "x", ops=("bessel_i1",), classes=("BesselI1",),
       doc="MindSpore's ``ops.bessel_i1(x)``: the modified Bessel function of order 1."),
    Op("copy", fn=real, ops=("real",), methods=("real",)),
    Op("zeros_like", fn=imag, ops=("imag",), methods=("imag",)),
    Op("copy", fn=conj, ops=("conj",), methods=("conj",)),
    Op("igamma", _B, ops=("igamma",), methods=("igamma",), classes=("Igamma",)),
    Op("igammac", _B, ops=("igammac",), methods=("igammac",), classes=("Igammac",)),
    Op("zeta", _B, ops=("zeta",), classes=("Zeta",)),
    # integers and bits (no gradient)
    Op("gcd", _B, ops=("gcd",), methods=("gcd",), numpy=(np.gcd,), classes=("Gcd",)),
    Op("lcm", _B, ops=("lcm",), methods=("lcm",), numpy=(np.lcm,), classes=("Lcm",)),
    Op("bitwise_and", _B, ops=("bitwise_and",), methods=("bitwise_and",),
       numpy=(np.bitwise_and,), classes=("BitwiseAnd",)),
    Op("bitwise_or", _B, ops=("bitwise_or",), methods=("bitwise_or",),
       numpy=(np.bitwise_or,), classes=("BitwiseOr",)),
    Op("bitwise_xor", _B, ops=("bitwise_xor",), methods=("bitwise_xor",),
       numpy=(np.bitwise_xor,), classes=("BitwiseXor",)),
    Op("left_shift", _B, ops=("bitwise_left_shift",), methods=("bitwise_left_shift",),
       numpy=(np.left_shift,)),
    Op("right_shift", _B, ops=("bitwise_right_shift",), methods=("bitwise_right_shift",),
       numpy=(np.right_shift,)),
    Op("invert", "x", ops=("invert",), methods=("invert",), numpy=(np.invert,),
       classes=("Invert",)),
    Op("nextafter", _B, ops=("nextafter",), methods=("nextafter",), numpy=(np.nextafter,),
       classes=("NextAfter",)),
    Op("where", fn=copysign, ops=("copysign",), methods=("copysign",)),
    Op("less", fn=signbit, ops=("signbit",), methods=("signbit",)),
    # cumulative, integrals, counts, order statistics
    Op("cumsum", fn=logcumsumexp, ops=("logcumsumexp",), methods=("logcumsumexp",)),
    Op("take_along", fn=cummax, ops=("cummax",), methods=("cummax",)),
    Op("take_along", fn=cummin, ops=("cummin",), methods=("cummin",)),
    Op("sum", fn=trapz, ops=("trapz",)),
    Op("histc", "input, bins=100, min=0.0, max=0.0", ops=("histc",), methods=("histc",),
       doc="MindSpore's ``ops.histc(input, bins=100, min=0.0, max=0.0)``: counts in "
           "``bins`` equal bins over [min, max] (both 0: the data's range); no gradient."),
    Op("bincount", "input, weights=None, minlength=0", ops=("bincount",),
       methods=("bincount",),
       doc="MindSpore's ``ops.bincount(input, weights=None, minlength=0)``: counts (float32) "
           "or summed weights of each non-negative integer; no gradient."),
    Op("pow", fn=vander, ops=("vander",)),
    Op("take_along", fn=median, ops=("median",), methods=("median",)),
    Op("take_along", fn=nanmedian, ops=("nanmedian",), methods=("nanmedian",)),
    Op("take_along", fn=_m_kthvalue, methods=("kthvalue",)),
    Op("take_along", fn=quantile, ops=("quantile",), methods=("quantile",)),
    Op("take_along", fn=nanquantile, ops=("nanquantile",), methods=("nanquantile",)),
)
