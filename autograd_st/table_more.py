"""The op-table rows of MindSpore's further names: aliases (``tensor_add``, ``absolute``,
``floor_mod`` ...), element-wise functions (``sinc``, ``frac``, ``heaviside``, ``fmax``,
``xdivy`` ...), NaN-aware reductions (``nansum``, ``nanmean``, ``count_nonzero``), array
functions (``flipud``, ``rot90``, ``diff``, ``cross``, ``tensor_split`` ...), constructors
(``tuple_to_array``, ``full_like``, ``logspace``, ``tril_indices``) and the Tensor methods
that call them (see :mod:`autograd_st.op_table`, which gathers these rows with its own).

Every adapter is composed of existing primitives, so it differentiates (to any order)
through their rules and needs no rule of its own.  Signatures and defaults are MindSpore
2.10's, measured in the side venv (``inspect.signature`` and runs): ``tuple_to_array`` of
ints is int32; ``float_power`` is float64; ``count_nonzero`` is int32 by default;
``nan_to_num`` puts the dtype's largest/smallest finite values for infinities;
``reduce_max``/``reduce_min`` take ``(x, axis=())`` only; ``dist`` is the p-norm over every
entry.

Takes: :class:`~autograd_st.op_row.Op`, :data:`~autograd_st.prims.P` and helpers of
:mod:`autograd_st.table_array`.  Gives: :data:`OPS`, the rows, and the adapters they name.
"""
from __future__ import annotations

import numpy as np

from . import dtype as mstype
from .errors import UnsupportedSyntaxError
from .op_row import Op
from .prims import P, Sym, has_sym
from .table_array import _axis_index, _const, _length, _np_dtype, _parts, _wrap
from .table_array import broadcast_to as _broadcast_to
from .table_array import chunk as _chunk
from .table_array import sort as _sort
from .table_math import softshrink as _softshrink
from .tensor import Tensor, unwrap

__all__ = ["OPS", "absolute", "identity", "positive", "sgn", "logaddexp2", "true_divide",
           "full_like", "expand_as", "expand", "flipud", "fliplr", "ravel", "rot90", "diff",
           "cross", "nansum", "nanmean", "nan_to_num", "count_nonzero", "reduce_max",
           "reduce_min", "heaviside", "fmax", "fmin", "float_power", "frac", "xdivy", "sinc",
           "glu", "vecdot", "take", "repeat_elements", "unbind", "tensor_split", "vsplit",
           "dsplit", "addcmul", "addcdiv", "addmv", "ger", "addr", "addbmm", "ldexp", "dist",
           "isneginf", "isposinf", "msort", "gather_d", "soft_shrink",
           "tuple_to_array", "scalar_to_tensor", "dtype", "logspace",
           "tril_indices", "triu_indices"]

_LN2 = 0.6931471805599453


def _ms_axis(axis):
    if isinstance(axis, list):
        axis = tuple(axis)
    if isinstance(axis, tuple) and not axis:
        return None
    return axis


# ---------------------------------------------------------------------------------------
# element-wise
# ---------------------------------------------------------------------------------------

def absolute(input):
    """MindSpore's ``ops.absolute(input)``: ``ops.abs``."""
    return P.abs(input)


def identity(x):
    """MindSpore's ``ops.identity(x)``: ``x`` (a new value; the gradient passes through)."""
    return P.copy(x)


def positive(input):
    """MindSpore's ``ops.positive(input)``: ``input`` itself (``+input``)."""
    return P.copy(input)


def sgn(input):
    """MindSpore's ``ops.sgn(input)`` on real tensors: the sign (-1, 0, 1); complex input is
    not supported here."""
    return P.sign(input)


def logaddexp2(input, other):
    """MindSpore's ``ops.logaddexp2(input, other)``: ``log2(2**input + 2**other)``."""
    return P.div(P.logaddexp(P.mul(input, _LN2), P.mul(other, _LN2)), _LN2)


def true_divide(dividend, divisor):
    """MindSpore's ``ops.true_divide(dividend, divisor)``: ``dividend / divisor``."""
    return P.div(dividend, divisor)


def heaviside(input, values):
    """MindSpore's ``ops.heaviside(input, values)``: 0 where ``input < 0``, 1 where
    ``input > 0``, ``values`` where ``input == 0`` (in ``input``'s dtype)."""
    out = P.where(P.less(input, 0), P.zeros_like(input),
                  P.where(P.greater(input, 0), P.ones_like(input), values))
    return P.cast_like(out, input)


def fmax(input, other):
    """MindSpore's ``ops.fmax(input, other)``: the larger, ignoring a NaN on one side."""
    return P.where(P.isnan(input), other,
                   P.where(P.isnan(other), input, P.maximum(input, other)))


def fmin(input, other):
    """MindSpore's ``ops.fmin(input, other)``: the smaller, ignoring a NaN on one side."""
    return P.where(P.isnan(input), other,
                   P.where(P.isnan(other), input, P.minimum(input, other)))


def float_power(input, exponent):
    """MindSpore's ``ops.float_power(input, exponent)``: ``input ** exponent`` in float64."""
    return P.pow(P.astype(input, "float64"),
                 P.astype(exponent, "float64") if isinstance(exponent, (Tensor, Sym))
                 else float(exponent))


def frac(x):
    """MindSpore's ``ops.frac(x)``: the fractional part ``x - trunc(x)`` (sign of ``x``)."""
    return P.sub(x, P.trunc(x))


def xdivy(x, y):
    """MindSpore's ``ops.xdivy(x, y)``: ``x / y``, and 0 where ``x == 0``."""
    zero = P.equal(x, 0)
    return P.where(zero, P.zeros_like(P.div(x, y)), P.div(x, P.where(zero, 1.0, y)))


def sinc(input):
    """MindSpore's ``ops.sinc(input)``: ``sin(pi x) / (pi x)``, 1 at 0 (the gradient at 0
    is 0, from a safe denominator)."""
    zero = P.equal(input, 0)
    px = P.mul(P.where(zero, 1.0, input), np.pi)
    return P.where(zero, P.ones_like(px), P.div(P.sin(px), px))


def glu(x, axis=-1):
    """MindSpore's ``ops.glu(x, axis=-1)``: ``a * sigmoid(b)`` for the halves ``a, b`` of
    ``x`` along ``axis``."""
    a, b = _chunk(x, 2, axis)
    return P.mul(a, P.sigmoid(b))


def vecdot(x, y, *, axis=-1):
    """MindSpore's ``ops.vecdot(x, y, *, axis=-1)`` on real tensors: ``sum(x * y, axis)``,
    broadcasting."""
    return P.sum(P.mul(x, y), axis)


# ---------------------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------------------

def nansum(input, axis=None, keepdims=False, *, dtype=None):
    """MindSpore's ``ops.nansum(input, axis=None, keepdims=False, *, dtype=None)``: the sum
    with NaNs counted as 0 (their gradient is 0)."""
    out = P.sum(P.where(P.isnan(input), 0.0, input), _ms_axis(axis), keepdims)
    return out if dtype is None else P.astype(out, mstype.to_numpy(dtype))


def nanmean(input, axis=None, keepdims=False, *, dtype=None):
    """MindSpore's ``ops.nanmean(input, axis=None, keepdims=False, *, dtype=None)``: the
    mean of the entries that are not NaN."""
    valid = P.logical_not(P.isnan(input))
    count = P.sum(P.cast_like(valid, input), _ms_axis(axis), keepdims)
    out = P.div(nansum(input, axis, keepdims), count)
    return out if dtype is None else P.astype(out, mstype.to_numpy(dtype))


def count_nonzero(x, axis=(), keep_dims=False, dtype=mstype.int32):
    """MindSpore's ``ops.count_nonzero(x, axis=(), keep_dims=False, dtype=mstype.int32)``:
    the number of non-zero entries (``()``: over every axis)."""
    return P.astype(P.sum(P.not_equal(x, 0), _ms_axis(axis), keep_dims),
                    _np_dtype(dtype, "int32"))


def reduce_max(x, axis=()):
    """MindSpore's ``ops.reduce_max(x, axis=())``: the maximum over ``axis`` (``()``: all)."""
    return P.max(x, _ms_axis(axis))


def reduce_min(x, axis=()):
    """MindSpore's ``ops.reduce_min(x, axis=())``: the minimum over ``axis`` (``()``: all)."""
    return P.min(x, _ms_axis(axis))


def nan_to_num(input, nan=None, posinf=None, neginf=None):
    """MindSpore's ``ops.nan_to_num(input, nan=None, posinf=None, neginf=None)``: NaN as
    ``nan`` (None: 0.0), +inf as ``posinf`` and -inf as ``neginf`` (None: the dtype's
    largest / smallest finite value; in differentiated code the dtype is not known while the
    code is bound, so pass them there)."""
    if posinf is None or neginf is None:
        if has_sym(input):
            raise UnsupportedSyntaxError(
                "ops.nan_to_num: posinf=None/neginf=None need the input's dtype, which is not "
                "known in differentiated code; pass posinf= and neginf= explicitly")
        info = np.finfo(np.asarray(unwrap(input)).dtype)
        posinf = float(info.max) if posinf is None else posinf
        neginf = float(info.min) if neginf is None else neginf
    nan = 0.0 if nan is None else nan
    inf = P.isinf(input)
    out = P.where(P.isnan(input), nan, input)
    out = P.where(P.logical_and(inf, P.greater(input, 0)), posinf, out)
    out = P.where(P.logical_and(inf, P.less(input, 0)), neginf, out)
    return P.cast_like(out, input)


# ---------------------------------------------------------------------------------------
# array functions
# ---------------------------------------------------------------------------------------

def expand_as(input, other):
    """MindSpore's ``ops.expand_as(input, other)``: ``input`` broadcast to ``other``'s
    shape."""
    return P.broadcast_to(input, P.shape(other))


def expand(input_x, size):
    """MindSpore's ``ops.expand(input_x, size)``: broadcast to ``size`` (-1 keeps a
    length)."""
    return _broadcast_to(input_x, size)


def full_like(input, fill_value, *, dtype=None):
    """MindSpore's ``ops.full_like(input, fill_value, *, dtype=None)``: ``input``'s shape
    filled with ``fill_value``, in ``dtype`` (None: ``input``'s)."""
    out = P.add(P.zeros_like(input), _const(fill_value))
    if dtype is None:
        return P.cast_like(out, input)
    return P.astype(out, mstype.to_numpy(dtype))


def flipud(input):
    """MindSpore's ``ops.flipud(input)``: reversed along axis 0."""
    return P.flip(input, 0)


def fliplr(input):
    """MindSpore's ``ops.fliplr(input)``: reversed along axis 1."""
    return P.flip(input, 1)


def ravel(input):
    """MindSpore's ``ops.ravel(input)``: flattened to 1-D."""
    return P.reshape(input, (-1,))


def rot90(input, k, dims):
    """MindSpore's ``ops.rot90(input, k, dims)``: rotated by ``k`` quarter turns in the plane
    of ``dims`` (from the first axis towards the second, as numpy's ``rot90``)."""
    d0, d1 = dims
    k = k % 4
    if k == 0:
        return P.copy(input)
    if k == 2:
        return P.flip(P.flip(input, d0), d1)
    if k == 1:
        return P.swapaxes(P.flip(input, d1), d0, d1)
    return P.flip(P.swapaxes(input, d0, d1), d1)


def diff(x, n=1, axis=-1, prepend=None, append=None):
    """MindSpore's ``ops.diff(x, n=1, axis=-1, prepend=None, append=None)``: the ``n``-th
    forward difference along ``axis`` (after joining ``prepend``/``append``)."""
    if prepend is not None:
        x = P.concat2(prepend, x, axis=axis)
    if append is not None:
        x = P.concat2(x, append, axis=axis)
    for _ in range(n):
        x = P.sub(P.getitem(x, _axis_index(axis, slice(1, None))),
                  P.getitem(x, _axis_index(axis, slice(None, -1))))
    return x


def cross(input, other, dim=None):
    """MindSpore's ``ops.cross(input, other, dim=None)``: the 3-vector cross product along
    ``dim`` (None: the first axis of length 3, which needs the shape: in differentiated code
    pass ``dim``)."""
    if dim is None:
        if has_sym(input) or has_sym(other):
            raise UnsupportedSyntaxError(
                "ops.cross: dim=None needs the shapes, which are not known in differentiated "
                "code; pass dim=")
        shape = np.broadcast_shapes(np.shape(unwrap(input)), np.shape(unwrap(other)))
        dim = shape.index(3)

    def part(t, i):
        return P.getitem(t, _axis_index(dim, slice(i, i + 1)))
    a = [part(input, i) for i in range(3)]
    b = [part(other, i) for i in range(3)]
    c0 = P.sub(P.mul(a[1], b[2]), P.mul(a[2], b[1]))
    c1 = P.sub(P.mul(a[2], b[0]), P.mul(a[0], b[2]))
    c2 = P.sub(P.mul(a[0], b[1]), P.mul(a[1], b[0]))
    return P.concat2(P.concat2(c0, c1, axis=dim), c2, axis=dim)


def take(input, index):
    """MindSpore's ``ops.take(input, index)``: the entries of the flattened ``input`` at
    ``index`` (the result has ``index``'s shape)."""
    return P.take(P.reshape(input, (-1,)), _const(index), 0)


def repeat_elements(x, rep, axis=0):
    """MindSpore's ``ops.repeat_elements(x, rep, axis=0)``: each entry ``rep`` times along
    ``axis``."""
    return P.repeat(x, int(rep), axis)


def unbind(input, dim=0):
    """MindSpore's ``ops.unbind(input, dim=0)``: the slices along ``dim`` (a tuple; the
    count depends on the axis length: in differentiated code a run-time list of them)."""
    if isinstance(input, Sym):
        return P.list_unstack(input, dim)
    n = _length(input, dim, "ops.unbind")
    return tuple(P.getitem(input, _axis_index(dim, i)) for i in range(n))


def tensor_split(input, indices_or_sections, axis=0):
    """MindSpore's ``ops.tensor_split(input, indices_or_sections, axis=0)``: an int ``n``
    gives ``n`` parts, the first ``len % n`` one longer (in differentiated code where
    each starts is read from the shape at run time); a list or tuple of indices splits before
    each index."""
    if isinstance(indices_or_sections, (list, tuple)):
        bounds = [None] + [int(i) for i in indices_or_sections] + [None]
        return tuple(P.getitem(input, _axis_index(axis, slice(lo, hi)))
                     for lo, hi in zip(bounds[:-1], bounds[1:]))
    sections = int(indices_or_sections)
    if isinstance(input, Sym):  # the sizes depend on the shape, the count does not
        starts = [P.section_start(input, sections, i, axis) for i in range(sections)]
        return tuple(P.getitem(input, _axis_index(axis, slice(lo, hi)))
                     for lo, hi in zip(starts, starts[1:] + [None]))
    n = _length(input, axis, "ops.tensor_split with a number of sections")
    size, extra = divmod(n, sections)
    return _parts(input, tuple(size + 1 if i < extra else size for i in range(sections)), axis)


def vsplit(input, indices_or_sections):
    """MindSpore's ``ops.vsplit(input, indices_or_sections)``: ``tensor_split`` along 0."""
    return tensor_split(input, indices_or_sections, 0)


def dsplit(input, indices_or_sections):
    """MindSpore's ``ops.dsplit(input, indices_or_sections)``: ``tensor_split`` along 2."""
    return tensor_split(input, indices_or_sections, 2)


# ---------------------------------------------------------------------------------------
# constructors and dtypes
# ---------------------------------------------------------------------------------------

def tuple_to_array(input_x):
    """MindSpore's ``ops.tuple_to_array(input_x)``: a tuple of numbers as a 1-D Tensor
    (int32 for ints, float32 for floats, as measured in MindSpore 2.10)."""
    if has_sym(input_x):  # a tuple known only at run time (x.shape[2:4], (h, w))
        return P.tuple_array(input_x)
    values = np.asarray(_const(tuple(input_x)))
    name = "int32" if values.dtype.kind in "iu" else "float32"
    return _wrap(P.astype(values, name))


def scalar_to_tensor(input_x, dtype=mstype.float32):
    """MindSpore's ``ops.scalar_to_tensor(input_x, dtype=mstype.float32)``: a 0-D Tensor."""
    return _wrap(P.full((), _const(input_x), _np_dtype(dtype, "float32")))


def dtype(x):
    """MindSpore's ``ops.dtype(x)``: the dtype of ``x`` (in differentiated code the runtime
    numpy dtype, which ``ops.cast`` accepts)."""
    if isinstance(x, Sym):
        return P.dtype(x)
    return x.dtype if isinstance(x, Tensor) else mstype.from_numpy(np.result_type(x))


def logspace(start, end, steps, base=10, *, dtype=mstype.float32):
    """MindSpore's ``ops.logspace(start, end, steps, base=10, *, dtype=mstype.float32)``:
    ``base ** linspace(start, end, steps)``."""
    exponents = P.linspace(_const(start), _const(end), int(steps), "float64")
    return _wrap(P.astype(P.pow(float(base), exponents), _np_dtype(dtype, "float32")))


def tril_indices(row, col, offset=0, *, dtype=mstype.int64):
    """MindSpore's ``ops.tril_indices(row, col, offset=0, *, dtype=mstype.int64)``: the
    (2, N) row and column indices of the lower triangle."""
    return _wrap(P.astype(np.array(np.tril_indices(row, offset, col)),
                          _np_dtype(dtype, "int64")))


def triu_indices(row, col, offset=0, *, dtype=mstype.int64):
    """MindSpore's ``ops.triu_indices(row, col, offset=0, *, dtype=mstype.int64)``: the
    (2, N) row and column indices of the upper triangle."""
    return _wrap(P.astype(np.array(np.triu_indices(row, offset, col)),
                          _np_dtype(dtype, "int64")))



# ---------------------------------------------------------------------------------------
# scaled products and sums (``input * beta + alpha * product``)
# ---------------------------------------------------------------------------------------

def _scaled(x, s):
    return x if isinstance(s, (int, float)) and s == 1 else P.mul(x, s)


def addcmul(input, tensor1, tensor2, value=1):
    """MindSpore's ``ops.addcmul(input, tensor1, tensor2, value=1)``:
    ``input + value * tensor1 * tensor2``, broadcasting."""
    return P.add(input, _scaled(P.mul(tensor1, tensor2), value))


def addcdiv(input, tensor1, tensor2, value=1):
    """MindSpore's ``ops.addcdiv(input, tensor1, tensor2, value=1)``:
    ``input + value * tensor1 / tensor2``, broadcasting."""
    return P.add(input, _scaled(P.div(tensor1, tensor2), value))


def addmv(input, mat, vec, *, beta=1, alpha=1):
    """MindSpore's ``ops.addmv(input, mat, vec, *, beta=1, alpha=1)``:
    ``beta * input + alpha * (mat @ vec)``."""
    return P.add(_scaled(input, beta), _scaled(P.matmul(mat, vec), alpha))


def ger(input, vec2):
    """MindSpore's ``ops.ger(input, vec2)``: the outer product of two 1-D tensors."""
    return P.mul(P.expand_dims(input, -1), vec2)


def addr(x, vec1, vec2, *, beta=1, alpha=1):
    """MindSpore's ``ops.addr(x, vec1, vec2, *, beta=1, alpha=1)``:
    ``beta * x + alpha * outer(vec1, vec2)``."""
    return P.add(_scaled(x, beta), _scaled(ger(vec1, vec2), alpha))


def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """MindSpore's ``ops.addbmm(input, batch1, batch2, *, beta=1, alpha=1)``:
    ``beta * input + alpha * sum_b batch1[b] @ batch2[b]``."""
    return P.add(_scaled(input, beta), _scaled(P.sum(P.matmul(batch1, batch2), 0), alpha))


def ldexp(x, other):
    """MindSpore's ``ops.ldexp(x, other)``: ``x * 2 ** other``."""
    return P.mul(x, P.pow(2.0, other))


def dist(input, other, p=2):
    """MindSpore's ``ops.dist(input, other, p=2)``: the ``p``-norm of ``input - other`` over
    every entry (``p=0``: the number of non-zero differences; ``inf``: the largest)."""
    d = P.abs(P.sub(input, other))
    if p == 0:
        return P.cast_like(P.sum(P.not_equal(d, 0)), d)
    if p == float("inf"):
        return P.max(d)
    if p == 2:
        return P.sqrt(P.sum(P.mul(d, d)))
    if p == 1:
        return P.sum(d)
    return P.pow(P.sum(P.pow(d, float(p))), 1.0 / p)


def isneginf(input):
    """MindSpore's ``ops.isneginf(input)``: where ``input`` is -inf."""
    return P.logical_and(P.isinf(input), P.less(input, 0))


def isposinf(input):
    """MindSpore's ``ops.isposinf(input)``: where ``input`` is +inf."""
    return P.logical_and(P.isinf(input), P.greater(input, 0))


def msort(input):
    """MindSpore's ``ops.msort(input)``: the values sorted along axis 0."""
    return _sort(input, 0)[0]


def gather_d(x, dim, index):
    """MindSpore's ``ops.gather_d(x, dim, index)``: ``ops.gather_elements``."""
    return P.take_along(x, _const(index), dim)


def soft_shrink(input, lambd=0.5):
    """MindSpore's ``ops.soft_shrink(input, lambd=0.5)``: ``ops.softshrink``."""
    return _softshrink(input, lambd)




# ---------------------------------------------------------------------------------------
# Tensor methods (MindSpore 2.10's overloads)
# ---------------------------------------------------------------------------------------

def _m_where(self, condition, y):
    """``Tensor.where(condition, y)``: ``ops.where(condition, self, y)``."""
    return P.where(condition, self, y)


def _m_argsort(self, axis=-1, descending=False):
    """``Tensor.argsort(axis=-1, descending=False)``: int32 indices, stable."""
    return P.argsort(self, axis, descending, "int32")


def _m_expand(self, *size):
    """``Tensor.expand(*size)`` (also one tuple): broadcast, -1 keeps a length."""
    if len(size) == 1 and isinstance(size[0], (tuple, list, Sym)):
        size = size[0]
    return _broadcast_to(self, size)


def _m_subtract(self, other, *, alpha=1):
    """``Tensor.subtract(other, *, alpha=1)``: ``self - alpha * other``."""
    return P.sub(self, other if alpha == 1 else P.mul(other, alpha))


def _m_divide(self, other, *, rounding_mode=None):
    """``Tensor.divide(other, *, rounding_mode=None)``: ``self / other`` (``'floor'``:
    floor division, ``'trunc'``: rounded towards 0)."""
    if rounding_mode == "floor":
        return P.floordiv(self, other)
    if rounding_mode == "trunc":
        return P.trunc(P.div(self, other))
    return P.div(self, other)


def _m_amax(self, axis=None, keepdims=False):
    """``Tensor.amax(axis=None, keepdims=False)``."""
    return P.max(self, _ms_axis(axis), keepdims)


def _m_amin(self, axis=None, keepdims=False):
    """``Tensor.amin(axis=None, keepdims=False)``."""
    return P.min(self, _ms_axis(axis), keepdims)


def _m_type_as(self, other):
    """``Tensor.type_as(other)``: ``self`` in ``other``'s dtype."""
    return P.cast_like(self, other)


def _m_view_as(self, other):
    """``Tensor.view_as(other)``: ``self`` reshaped to ``other``'s shape."""
    return P.reshape(self, P.shape(other))


def _m_swapdims(self, dim0, dim1):
    """``Tensor.swapdims(dim0, dim1)``."""
    return P.swapaxes(self, dim0, dim1)


def _m_t(self):
    """``Tensor.t()``: a matrix transposed (a 1-D tensor as it is)."""
    return P.transpose(self)


def _m_clone(self):
    """``Tensor.clone()``: a copy (the gradient passes through)."""
    return P.copy(self)


def _cast_method(name):
    def method(self):
        return P.astype(self, name)
    method.__name__ = "_m_" + name
    method.__doc__ = "``Tensor.%s()``-style cast: ``self`` as %s." % (name, name)
    return method


_m_float32, _m_float64, _m_float16 = (_cast_method(n) for n in ("float32", "float64",
                                                                "float16"))
_m_int32, _m_int64, _m_bool = (_cast_method(n) for n in ("int32", "int64", "bool"))


def lin_space(start, stop, num):
    """MindSpore's ``ops.LinSpace()(start, stop, num)``: ``num`` evenly spaced values from
    ``start`` to ``stop``, both included, of ``start``'s dtype (measured on 2.10: float64
    Tensors give float64, float32 ones float32; ``num`` an int or a Tensor)."""
    start, stop, num = _const(start), _const(stop), _const(num)
    if isinstance(start, Sym):
        dtype = P.dtype(start)
    else:
        dtype = np.asarray(start).dtype.name
        dtype = dtype if dtype in ("float16", "float32", "float64") else "float32"
    return _wrap(P.linspace(start, stop, num if isinstance(num, Sym) else int(num), dtype))


def _m_allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``Tensor.allclose(other, rtol=1e-05, atol=1e-08, equal_nan=False)``: whether every
    element is close, ``|self - other| <= atol + rtol |other|``: a Python bool, as MindSpore
    2.10 returns (in differentiated code a 0-d bool array, computed at run time)."""
    out = P.all(P.isclose(self, other, rtol, atol, equal_nan))
    return out if isinstance(out, Sym) else bool(out)


def _m_type(self, dtype=None):
    """``Tensor.type(dtype=None)``: the dtype's name (``'Float32'``, a str, as MindSpore 2.10
    returns) or, given ``dtype``, the values as that dtype."""
    if dtype is not None:
        return P.astype(self, dtype if isinstance(dtype, Sym) else mstype.to_numpy(dtype).name)
    if isinstance(self, Sym) or has_sym(self):
        raise UnsupportedSyntaxError(
            "Tensor.type() without a dtype: in differentiated code the dtype's name is not "
            "known at compile time; read x.dtype (a dtype) instead, or call x.type(dtype) to "
            "cast")
    return str(mstype.from_numpy(np.asarray(unwrap(self)).dtype))


_U, _B = "input", "input, other"

#: the rows (see :mod:`autograd_st.op_table` for what a row makes).
OPS: tuple[Op, ...] = (
    # aliases of primitives, MindSpore's parameter names
    Op("add", _B, ops=("tensor_add",)),
    Op("mul", _B, ops=("tensor_mul",)),
    Op("div", "x, y", ops=("tensor_div",)),
    Op("pow", "input, exponent", ops=("tensor_pow", "pows")),
    Op("exp", _U, ops=("tensor_exp",)),
    Op("expm1", _U, ops=("tensor_expm1",)),
    Op("greater", _B, ops=("tensor_gt",)),
    Op("greater_equal", _B, ops=("tensor_ge",)),
    Op("less_equal", _B, ops=("tensor_le",)),
    Op("floordiv", _B, ops=("tensor_floordiv", "floordiv")),
    Op("mod", "x, y", ops=("tensor_mod", "floor_mod", "floormod")),
    Op("logaddexp", _B, ops=("logaddexp",), methods=("logaddexp",)),
    Op("matmul", "input, mat2", ops=("mm",), methods=("mm",)),
    Op("abs", fn=absolute, ops=("absolute",), methods=("absolute",)),
    Op("copy", fn=identity, ops=("identity",), classes=("Identity",)),
    Op("copy", fn=positive, ops=("positive",), methods=("positive",)),
    Op("sign", fn=sgn, ops=("sgn",), methods=("sgn",)),
    Op("logaddexp", fn=logaddexp2, ops=("logaddexp2",), methods=("logaddexp2",)),
    Op("div", fn=true_divide, ops=("true_divide",), methods=("true_divide",)),
    Op("where", fn=heaviside, ops=("heaviside",), methods=("heaviside",)),
    Op("where", fn=fmax, ops=("fmax",), methods=("fmax",)),
    Op("where", fn=fmin, ops=("fmin",), methods=("fmin",)),
    Op("pow", fn=float_power, ops=("float_power",), methods=("float_power",)),
    Op("trunc", fn=frac, ops=("frac",), methods=("frac",)),
    Op("div", fn=xdivy, ops=("xdivy",), methods=("xdivy",)),
    Op("sin", fn=sinc, ops=("sinc",), methods=("sinc",)),
    Op("sigmoid", fn=glu, ops=("glu",)),
    Op("sum", fn=vecdot, ops=("vecdot",)),
    Op("sum", fn=nansum, ops=("nansum",), methods=("nansum",)),
    Op("sum", fn=nanmean, ops=("nanmean",), methods=("nanmean",)),
    Op("sum", fn=count_nonzero, ops=("count_nonzero",), methods=("count_nonzero",)),
    Op("max", fn=reduce_max, ops=("reduce_max",)),
    Op("min", fn=reduce_min, ops=("reduce_min",)),
    Op("where", fn=nan_to_num, ops=("nan_to_num",), methods=("nan_to_num",)),
    Op("broadcast_to", fn=expand_as, ops=("expand_as",)),
    Op("broadcast_to", fn=expand, ops=("expand",)),
    Op("add", fn=full_like, ops=("full_like",)),
    Op("flip", fn=flipud, ops=("flipud",), methods=("flipud",)),
    Op("flip", fn=fliplr, ops=("fliplr",), methods=("fliplr",)),
    Op("reshape", fn=ravel, ops=("ravel",), methods=("ravel",)),
    Op("flip", fn=rot90, ops=("rot90",), methods=("rot90",)),
    Op("sub", fn=diff, ops=("diff",), methods=("diff",)),
    Op("mul", fn=cross, ops=("cross",), methods=("cross",)),
    Op("take", fn=take, ops=("take",), methods=("take",)),
    Op("repeat", fn=repeat_elements, ops=("repeat_elements",)),
    Op("getitem", fn=unbind, ops=("unbind",)),
    Op("getitem", fn=tensor_split, ops=("tensor_split",), methods=("tensor_split",)),
    Op("getitem", fn=vsplit, ops=("vsplit",), methods=("vsplit",)),
    Op("getitem", fn=dsplit, ops=("dsplit",), methods=("dsplit",)),
    Op("astype", fn=tuple_to_array, ops=("tuple_to_array",), classes=("TupleToArray",)),
    Op("full", fn=scalar_to_tensor, ops=("scalar_to_tensor",), classes=("ScalarToTensor",)),
    Op("dtype", fn=dtype, ops=("dtype",), classes=("DType",)),
    Op("linspace", fn=logspace, ops=("logspace",)),
    Op("astype", fn=tril_indices, ops=("tril_indices",)),
    Op("astype", fn=triu_indices, ops=("triu_indices",)),
    Op("add", fn=addcmul, ops=("addcmul",), methods=("addcmul",)),
    Op("add", fn=addcdiv, ops=("addcdiv",), methods=("addcdiv",)),
    Op("matmul", fn=addmv, ops=("addmv",), methods=("addmv",)),
    Op("mul", fn=ger, ops=("ger",), methods=("ger",)),
    Op("mul", fn=addr, ops=("addr",), methods=("addr",)),
    Op("matmul", fn=addbmm, ops=("addbmm",), methods=("addbmm",)),
    Op("pow", fn=ldexp, ops=("ldexp",), methods=("ldexp",)),
    Op("sum", fn=dist, ops=("dist",)),
    Op("isinf", fn=isneginf, ops=("isneginf",), methods=("isneginf",)),
    Op("isinf", fn=isposinf, ops=("isposinf",), methods=("isposinf",)),
    Op("take_along", fn=msort, ops=("msort",), methods=("msort",)),
    Op("take_along", fn=gather_d, ops=("gather_d",)),
    Op("where", fn=soft_shrink, ops=("soft_shrink",)),
    # Tensor methods
    Op("where", fn=_m_where, methods=("where",)),
    Op("argsort", fn=_m_argsort, methods=("argsort",)),
    Op("matmul", "input, other", methods=("dot",)),
    Op("equal", _B, methods=("equal",)),
    Op("not_equal", _B, methods=("not_equal",)),
    Op("greater", _B, methods=("greater",)),
    Op("greater_equal", _B, methods=("greater_equal",)),
    Op("less", _B, methods=("less",)),
    Op("less_equal", _B, methods=("less_equal",)),
    Op("mul", "input, value", methods=("multiply",)),
    Op("sub", fn=_m_subtract, methods=("subtract",)),
    Op("div", fn=_m_divide, methods=("divide",)),
    Op("floordiv", _B, methods=("floor_divide",)),
    Op("neg", _U, methods=("negative",)),
    Op("broadcast_to", fn=_m_expand, methods=("expand",)),
    Op("max", fn=_m_amax, methods=("amax",)),
    Op("min", fn=_m_amin, methods=("amin",)),
    Op("cast_like", fn=_m_type_as, methods=("type_as",)),
    Op("reshape", fn=_m_view_as, methods=("view_as", "reshape_as")),
    Op("swapaxes", fn=_m_swapdims, methods=("swapdims",)),
    Op("transpose", fn=_m_t, methods=("t",)),
    Op("matmul", "input_x, mat2", methods=("bmm",)),
    Op("copy", fn=_m_clone, methods=("clone", "contiguous")),
    Op("astype", fn=_m_float32, methods=("float",)),
    Op("astype", fn=_m_float64, methods=("double",)),
    Op("astype", fn=_m_float16, methods=("half",)),
    Op("astype", fn=_m_int32, methods=("int",)),
    Op("astype", fn=_m_int64, methods=("long",)),
    Op("astype", fn=_m_bool, methods=("bool",)),
    Op("astype", fn=_m_type, methods=("type",)),
    Op("isclose", fn=_m_allclose, methods=("allclose",)),
    Op("linspace", fn=lin_space, classes=("LinSpace",)),
)
