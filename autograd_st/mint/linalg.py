"""``mindspore.mint.linalg``: ``norm``, ``vector_norm``, ``matrix_norm``, ``inv`` and ``qr``.

Takes: :mod:`autograd_st.ops`.  Gives: bindable adapters (eager on Tensors, emitting
primitives inside differentiated code).  MindSpore 2.10's CPU build has no kernel for these
(``LinalgVectorNorm``, ``MatrixInverseExt``, ``LinalgQr``): PyTorch's definitions, which
mint follows, are used.
"""
from __future__ import annotations

import math

from .. import ops
from ..prims import P, bindable

__all__ = ["norm", "vector_norm", "matrix_norm", "inv", "qr"]

#: mint.linalg's names that need a primitive autograd_st does not have yet.
MISSING = ()


def _dims(dim):
    if isinstance(dim, list):
        return tuple(dim)
    return dim


@bindable
def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """``mint.linalg.vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None)``: the
    ``ord``-norm of the elements over ``dim`` (None: all of them): ``inf`` the largest
    ``|x|``, ``-inf`` the smallest, 0 the count of non-zeros, else ``sum(|x|^ord)^(1/ord)``."""
    if dtype is not None:
        x = ops.cast(x, dtype)
    dim = _dims(dim)
    a = ops.abs(x)
    if ord == math.inf:
        return ops.amax(a, dim, keepdim)
    if ord == -math.inf:
        return ops.amin(a, dim, keepdim)
    if ord == 0:
        return ops.sum(P.cast_like(ops.ne(x, 0.0), x), dim, keepdim)
    if ord == 1:
        return ops.sum(a, dim, keepdim)
    if ord == 2:
        return ops.sqrt(ops.sum(ops.mul(x, x), dim, keepdim))
    return ops.pow(ops.sum(ops.pow(a, ord), dim, keepdim), 1.0 / ord)


@bindable
def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """``mint.linalg.matrix_norm(A, ord='fro', dim=(-2, -1), keepdim=False, *,
    dtype=None)``: ``'fro'`` the square root of the sum of squares over the two axes;
    other orders as ``ops.norm`` (``'nuc'``, 1, -1, 2, -2, inf, -inf)."""
    if dtype is not None:
        A = ops.cast(A, dtype)
    if ord == "fro":
        return ops.sqrt(ops.sum(ops.mul(A, A), tuple(dim), keepdim))
    return ops.norm(A, ord, tuple(dim), keepdim)


@bindable
def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """``mint.linalg.norm(A, ord=None, dim=None, keepdim=False, *, dtype=None)``: as
    ``ops.norm`` (a vector norm over one axis, a matrix norm over two; ``ord=None``: the
    2-norm of the flattened input or the Frobenius norm)."""
    return ops.norm(A, ord, dim, keepdim, dtype=dtype)


@bindable
def inv(input):
    """``mint.linalg.inv(input)``: the inverse of each square matrix (the last two axes);
    differentiable."""
    return ops.inverse(input)


@bindable
def qr(A, mode="reduced"):
    """``mint.linalg.qr(A, mode='reduced')``: ``(Q, R)`` of each matrix (the last two axes);
    ``'complete'``: ``Q`` square; ``'r'``: ``R`` only, ``Q`` an empty Tensor (PyTorch's
    rule, which mint documents).  The gradient of ``qr`` is refused (``ops.qr``'s)."""
    if mode == "r":
        r = ops.qr(A, "reduced")[1]
        return P.getitem(P.reshape(r, (-1,)), slice(0, 0)), r
    return ops.qr(A, mode)
