"""MindSpore's primitive classes for linear algebra, special functions and order statistics
that take constructor attributes (``ops.MatrixInverse(adjoint)``, ``ops.Cholesky(upper)``,
``ops.Cummax(axis)``, ``ops.Median(...)`` ...): each instance is a constant to the compiler,
its call a function of the op table.

(The classes without attributes, ``ops.MatrixDeterminant()``, ``ops.Lgamma()``,
``ops.BitwiseAnd()`` ..., are rows of :mod:`autograd_st.table_linalg`.)

Takes: :class:`~autograd_st.ops.primitive_base.Primitive` and the op table's functions.
Gives: the classes (``operations`` publishes them as ``autograd_st.ops.<Name>``).
"""
from __future__ import annotations

from .. import table_linalg as tl
from ..prims import P
from .primitive_base import Primitive

__all__ = ["MatrixInverse", "MatrixPower", "Cholesky", "CholeskySolve", "CholeskyInverse",
           "MatrixSolve", "Qr", "Svd", "Eig", "Cummax", "Cummin", "Median", "Mvlgamma"]


class MatrixInverse(Primitive):
    """MindSpore's ``ops.MatrixInverse(adjoint=False)(x)``: the inverse of ``x`` (of its
    transpose with ``adjoint``)."""

    def __init__(self, adjoint: bool = False) -> None:
        self.adjoint = bool(adjoint)

    def __call__(self, x):
        out = P.matrix_inverse(x)
        return P.swapaxes(out, -1, -2) if self.adjoint else out


class MatrixPower(Primitive):
    """MindSpore's ``ops.MatrixPower(n)(x)``: ``ops.matrix_power(x, n)``."""

    def __init__(self, n: int) -> None:
        self.n = int(n)

    def __call__(self, x):
        return tl.matrix_power(x, self.n)


class Cholesky(Primitive):
    """MindSpore's ``ops.Cholesky(upper=False)(input_x)``: ``ops.cholesky``."""

    def __init__(self, upper: bool = False) -> None:
        self.upper = bool(upper)

    def __call__(self, input_x):
        return tl.cholesky(input_x, self.upper)


class CholeskySolve(Primitive):
    """MindSpore's ``ops.CholeskySolve(upper=False)(x1, x2)``: ``ops.cholesky_solve``."""

    def __init__(self, upper: bool = False) -> None:
        self.upper = bool(upper)

    def __call__(self, x1, x2):
        return tl.cholesky_solve(x1, x2, self.upper)


class CholeskyInverse(Primitive):
    """MindSpore's ``ops.CholeskyInverse(upper=False)(x)``: ``ops.cholesky_inverse``."""

    def __init__(self, upper: bool = False) -> None:
        self.upper = bool(upper)

    def __call__(self, x):
        return tl.cholesky_inverse(x, self.upper)


class MatrixSolve(Primitive):
    """MindSpore's ``ops.MatrixSolve(adjoint=False)(matrix, rhs)``: ``ops.matrix_solve``."""

    def __init__(self, adjoint: bool = False) -> None:
        self.adjoint = bool(adjoint)

    def __call__(self, matrix, rhs):
        return tl.matrix_solve(matrix, rhs, self.adjoint)


class Qr(Primitive):
    """MindSpore's ``ops.Qr(full_matrices=False)(x)``: ``(Q, R)``, complete with
    ``full_matrices``."""

    def __init__(self, full_matrices: bool = False) -> None:
        self.full_matrices = bool(full_matrices)

    def __call__(self, x):
        return tl.qr(x, "complete" if self.full_matrices else "reduced")


class Svd(Primitive):
    """MindSpore's ``ops.Svd(full_matrices=False, compute_uv=True)(x)``: ``(s, u, v)``; without
    ``compute_uv``, ``s`` alone here."""

    def __init__(self, full_matrices: bool = False, compute_uv: bool = True) -> None:
        self.full_matrices = bool(full_matrices)
        self.compute_uv = bool(compute_uv)

    def __call__(self, x):
        return tl.svd(x, self.full_matrices, self.compute_uv)


class Eig(Primitive):
    """MindSpore's ``ops.Eig(compute_v=False)(x)``: ``(eigenvalues, eigenvectors)``;
    without ``compute_v`` the eigenvectors are None here."""

    def __init__(self, compute_v: bool = False) -> None:
        self.compute_v = bool(compute_v)

    def __call__(self, x):
        return tl.eig(x) if self.compute_v else (tl.eigvals(x), None)


class Cummax(Primitive):
    """MindSpore's ``ops.Cummax(axis)(x)``: ``ops.cummax(x, axis)``."""

    def __init__(self, axis: int) -> None:
        self.axis = int(axis)

    def __call__(self, x):
        return tl.cummax(x, self.axis)


class Cummin(Primitive):
    """MindSpore's ``ops.Cummin(axis)(x)``: ``ops.cummin(x, axis)``."""

    def __init__(self, axis: int) -> None:
        self.axis = int(axis)

    def __call__(self, x):
        return tl.cummin(x, self.axis)


class Median(Primitive):
    """MindSpore's ``ops.Median(global_median=False, axis=0, keep_dims=False,
    ignore_nan=False)(x)``: ``(values, indices)`` of the lower median along ``axis``
    (``global_median``: of every element, with the flat index)."""

    def __init__(self, global_median: bool = False, axis: int = 0, keep_dims: bool = False,
                 ignore_nan: bool = False) -> None:
        self.global_median = bool(global_median)
        self.axis = int(axis)
        self.keep_dims = bool(keep_dims)
        self.ignore_nan = bool(ignore_nan)

    def __call__(self, x):
        fn = tl.nanmedian if self.ignore_nan else tl.median
        if self.global_median:
            return fn(P.reshape(x, (-1,)), 0, False)
        return fn(x, self.axis, self.keep_dims)


class Mvlgamma(Primitive):
    """MindSpore's ``ops.Mvlgamma(p)(x)``: ``ops.mvlgamma(x, p)``."""

    def __init__(self, p: int) -> None:
        self.p = int(p)

    def __call__(self, x):
        return tl.mvlgamma(x, self.p)
