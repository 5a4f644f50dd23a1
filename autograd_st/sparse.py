"""``mindspore.CSRTensor`` and ``mindspore.COOTensor``: sparse matrices as MindSpore 2.10 spells
them (its tutorial's constructors, attributes, printing, conversions and arithmetic).

Takes: Tensors (or arrays) of indices and values and a dense shape.  Gives: eager sparse
tensors over numpy.  ``to_dense()`` gives the Tensor that differentiated code works with;
the sparse classes themselves are not differentiated through (a gradient function given
one refuses it: densify first).  Operations MindSpore's CPU build cannot run (a CSR times
a dense matrix, ``mm``, ``sum``; COO + COO with int32 indices) are computed here as their
definitions say, through the dense matrix.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from . import dtype as mstype
from .tensor import Tensor

__all__ = ["CSRTensor", "COOTensor"]


def _array(value, name: str) -> np.ndarray:
    if isinstance(value, Tensor):
        return value.asnumpy()
    if value is None:
        raise TypeError("For sparse tensors, '%s' must be a Tensor, but got None." % name)
    return np.asarray(value)


def _shape(shape) -> tuple:
    if not isinstance(shape, (tuple, list)) or not all(
            isinstance(d, (int, np.integer)) and not isinstance(d, bool) for d in shape):
        raise TypeError("For sparse tensors, 'shape' must be a tuple of ints, but got %r."
                        % (shape,))
    return tuple(int(d) for d in shape)


def _operand(other, like: np.ndarray) -> np.ndarray:
    """The other operand of ``*`` or ``/``: a Python number in the values' dtype (as a
    number meeting a Tensor), anything else as an array."""
    if isinstance(other, (int, float)) and not isinstance(other, bool):
        return np.asarray(other, like.dtype if like.dtype.kind == "f" else None)
    return _array(other, "other")


def _show(t: np.ndarray) -> str:
    return "Tensor(shape=%s, dtype=%s, value=%s)" % (list(t.shape), mstype.from_numpy(t.dtype),
                                                     np.array2string(t))


class _Sparse:
    """What CSRTensor and COOTensor share: values, a dense shape, and the dense matrix."""

    _values: np.ndarray
    _shape: tuple

    @property
    def values(self) -> Tensor:
        return Tensor(self._values)

    @property
    def shape(self) -> tuple:
        return self._shape

    @property
    def dtype(self):
        return mstype.from_numpy(self._values.dtype)

    @property
    def size(self) -> int:
        """The number of values kept (MindSpore: ``values.size``)."""
        return int(self._values.size)

    @property
    def itemsize(self) -> int:
        return int(self._values.itemsize)

    @property
    def ndim(self) -> int:
        return len(self._shape)

    def _dense(self) -> np.ndarray:
        raise NotImplementedError

    def to_dense(self) -> Tensor:
        """The dense Tensor (repeated indices add up)."""
        return Tensor(self._dense())

    def _with_values(self, values: np.ndarray):
        raise NotImplementedError

    def astype(self, dtype) -> Any:
        return self._with_values(self._values.astype(mstype.to_numpy(dtype)))

    def abs(self) -> Any:
        return self._with_values(np.abs(self._values))

    def __neg__(self) -> Any:
        return self._with_values(-self._values)

    def __repr__(self) -> str:
        return self.__str__()


class CSRTensor(_Sparse):
    """``CSRTensor(indptr=None, indices=None, values=None, shape=None, csr_tensor=None)``: a
    2-D matrix in compressed sparse rows (row ``i``'s values are
    ``values[indptr[i]:indptr[i+1]]`` at columns ``indices[...]``)."""

    def __init__(self, indptr=None, indices=None, values=None, shape=None,
                 csr_tensor=None) -> None:
        if csr_tensor is not None:
            indptr, indices, values, shape = (csr_tensor._indptr, csr_tensor._indices,
                                              csr_tensor._values, csr_tensor._shape)
        self._indptr = _array(indptr, "indptr")
        self._indices = _array(indices, "indices")
        self._values = _array(values, "values")
        self._shape = _shape(shape)
        if self._values.ndim != len(self._shape) - 1:
            raise ValueError("Values' dimension should equal to CSRTensor's dimension - 1, but "
                             "gotValues' dimension: %d , CSRTensor's dimension: %d ."
                             % (self._values.ndim, len(self._shape)))
        if self._indptr.ndim != 1 or self._indices.ndim != 1:
            raise ValueError("For CSRTensor, indptr and indices must be 1-D.")
        if self._indptr.size != self._shape[0] + 1:
            raise ValueError("For CSRTensor, indptr must have shape[0] + 1 = %d items, but got "
                             "%d." % (self._shape[0] + 1, self._indptr.size))

    @property
    def indptr(self) -> Tensor:
        return Tensor(self._indptr)

    @property
    def indices(self) -> Tensor:
        return Tensor(self._indices)

    def _rows(self) -> np.ndarray:
        return np.repeat(np.arange(self._shape[0]), np.diff(self._indptr))

    def _dense(self) -> np.ndarray:
        out = np.zeros(self._shape, self._values.dtype)
        np.add.at(out, (self._rows(), self._indices), self._values)
        return out

    def _with_values(self, values: np.ndarray) -> "CSRTensor":
        return CSRTensor(self._indptr, self._indices, values, self._shape)

    @staticmethod
    def _from_dense(dense: np.ndarray, index_dtype, pattern=None) -> "CSRTensor":
        """The CSRTensor of ``dense`` at the places ``pattern`` marks (its nonzeros if
        None): explicit zeros stay where the pattern has them, as MindSpore keeps them."""
        rows, cols = np.nonzero(dense if pattern is None else pattern)
        indptr = np.searchsorted(rows, np.arange(dense.shape[0] + 1)).astype(index_dtype)
        return CSRTensor(indptr, cols.astype(index_dtype), dense[rows, cols], dense.shape)

    def to_tuple(self) -> tuple:
        """``(indptr, indices, values, shape)``."""
        return self.indptr, self.indices, self.values, self._shape

    def to_coo(self) -> "COOTensor":
        """The same matrix as a COOTensor (indices ``(row, column)`` pairs)."""
        idx = np.stack([self._rows(), self._indices], axis=1).astype(self._indices.dtype)
        return COOTensor(idx, self._values, self._shape)

    def mv(self, dense_vector) -> Tensor:
        """The matrix times a dense (n, 1) Tensor (2-D, as MindSpore requires)."""
        vec = _array(dense_vector, "dense_vector")
        if vec.ndim != 2:
            raise ValueError("Currently, only support 2-D inputs! But csr tensor has 2 "
                             "dimensions, and dense tensor has %d dimension(s)." % vec.ndim)
        return Tensor(self._dense() @ vec)

    def mm(self, matrix) -> Tensor:
        """The matrix times a dense matrix."""
        return Tensor(self._dense() @ _array(matrix, "matrix"))

    def sum(self, axis: int) -> Tensor:
        """The sum along ``axis``, keeping it (MindSpore's ``CSRTensor.sum``)."""
        return Tensor(self._dense().sum(axis=axis, keepdims=True))

    def _combine(self, other, sign: float) -> "CSRTensor":
        if not isinstance(other, CSRTensor) or other._shape != self._shape:
            raise TypeError("CSRTensor + / -: the other operand must be a CSRTensor of shape "
                            "%s, got %r" % (self._shape, other))
        pattern = self._pattern() | other._pattern()
        return CSRTensor._from_dense(self._dense() + sign * other._dense(), self._indptr.dtype,
                                     pattern)

    def _pattern(self) -> np.ndarray:
        mask = np.zeros(self._shape, bool)
        mask[self._rows(), self._indices] = True
        return mask

    def __add__(self, other) -> "CSRTensor":
        return self._combine(other, 1.0)

    def __sub__(self, other) -> "CSRTensor":
        return self._combine(other, -1.0)

    def _at_values(self, other) -> np.ndarray:
        other = _operand(other, self._values)
        if other.ndim == 0:
            return other
        dense = np.broadcast_to(other, self._shape)
        return dense[self._rows(), self._indices]

    def __mul__(self, other) -> "CSRTensor":
        return self._with_values(self._values * self._at_values(other))

    def __truediv__(self, other) -> "CSRTensor":
        return self._with_values(self._values / self._at_values(other))

    def __str__(self) -> str:
        return "CSRTensor(shape=%s, dtype=%s, indptr=%s, indices=%s, values=%s)" % (
            list(self._shape), self.dtype, _show(self._indptr), _show(self._indices),
            _show(self._values))


class COOTensor(_Sparse):
    """``COOTensor(indices=None, values=None, shape=None, coo_tensor=None)``: a matrix of
    values at ``indices`` (an (n, ndim) Tensor of coordinates); repeated coordinates add up."""

    def __init__(self, indices=None, values=None, shape=None, coo_tensor=None) -> None:
        if coo_tensor is not None:
            indices, values, shape = coo_tensor._indices, coo_tensor._values, coo_tensor._shape
        self._indices = _array(indices, "indices")
        self._values = _array(values, "values")
        self._shape = _shape(shape)
        if self._indices.ndim != 2 or self._indices.shape[1] != len(self._shape):
            raise ValueError("For COOTensor, indices must be 2-D, shaped (n, %d), but got %s."
                             % (len(self._shape), self._indices.shape))
        if self._values.ndim != 1 or self._values.shape[0] != self._indices.shape[0]:
            raise ValueError("For COOTensor, values must be 1-D with one value per index, but "
                             "got %s for %d indices." % (self._values.shape,
                                                        self._indices.shape[0]))

    @property
    def indices(self) -> Tensor:
        return Tensor(self._indices)

    def _dense(self) -> np.ndarray:
        idx = tuple(self._indices.T)
        for axis, (col, size) in enumerate(zip(idx, self._shape)):
            if col.size and (col.min() < 0 or col.max() >= size):
                bad = self._indices[np.argmax((col < 0) | (col >= size))]
                raise RuntimeError("For 'TensorScatterAdd', the %d-th value of 'indices'%s is "
                                   "out of range%s." % (axis + 1, [int(v) for v in bad],
                                                        list(self._shape)))
        out = np.zeros(self._shape, self._values.dtype)
        np.add.at(out, idx, self._values)
        return out

    def _with_values(self, values: np.ndarray) -> "COOTensor":
        return COOTensor(self._indices, values, self._shape)

    def to_tuple(self) -> tuple:
        """``(indices, values, shape)``."""
        return self.indices, self.values, self._shape

    def to_csr(self) -> CSRTensor:
        """The same 2-D matrix as a CSRTensor (repeated coordinates added)."""
        if len(self._shape) != 2:
            raise ValueError("COOTensor.to_csr: a 2-D COOTensor only, got shape %s"
                             % (self._shape,))
        return CSRTensor._from_dense(self._dense(), self._indices.dtype)

    def coalesce(self) -> "COOTensor":
        """The same matrix with each coordinate once (values of repeats added), sorted."""
        uniq, inverse = np.unique(self._indices, axis=0, return_inverse=True)
        values = np.zeros(len(uniq), self._values.dtype)
        np.add.at(values, inverse.reshape(-1), self._values)
        return COOTensor(uniq.astype(self._indices.dtype), values, self._shape)

    def _at_values(self, other) -> np.ndarray:
        other = _operand(other, self._values)
        if other.ndim == 0:
            return other
        return np.broadcast_to(other, self._shape)[tuple(self._indices.T)]

    def __add__(self, other):
        """COO + COO: a COOTensor (the coordinates of both); COO + dense: a dense Tensor."""
        if isinstance(other, COOTensor):
            if other._shape != self._shape:
                raise ValueError("COOTensor +: shapes %s and %s differ"
                                 % (self._shape, other._shape))
            return COOTensor(np.concatenate([self._indices, other._indices]),
                             np.concatenate([self._values, other._values]),
                             self._shape).coalesce()
        return Tensor(self._dense() + _array(other, "other"))

    def __sub__(self, other):
        if isinstance(other, COOTensor):
            return self + (-other)
        return Tensor(self._dense() - _array(other, "other"))

    def __mul__(self, other) -> "COOTensor":
        return self._with_values(self._values * self._at_values(other))

    def __truediv__(self, other) -> "COOTensor":
        return self._with_values(self._values / self._at_values(other))

    def __str__(self) -> str:
        return "COOTensor(shape=%s, dtype=%s, indices=%s, values=%s)" % (
            list(self._shape), self.dtype, _show(self._indices), _show(self._values))
