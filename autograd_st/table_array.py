"""The op-table rows for array manipulation: each row one calling convention of one primitive
(see :mod:`autograd_st.op_table`, which gathers these rows with its own).

Takes: :class:`~autograd_st.op_row.Op`, :data:`~autograd_st.prims.P` and the primitives of
:mod:`autograd_st.rules_array`.  Gives: :data:`OPS`, the rows, and the adapters they name.

Every adapter follows MindSpore 2.10's signature and defaults (measured in the side venv:
``inspect.signature`` and runs).  What is measured and kept: ``ops.max``/``ops.min`` always
return ``(values, indices)`` (int64; with no axis the index is 0, as MindSpore's own code
writes it); ``ops.argmax`` is int64 but ``ops.argmin`` int32; ``ops.sort``/``ops.topk``
indices are int32; ``ops.full`` without a dtype is int64 whatever the fill value; the values
of max/min with an axis, sort and top-k take their gradient at the chosen index only.

Ops that split an array into parts (``split``, ``chunk``, ``unstack``) need the length of the
split axis to know how many parts there are: it is read from the value when the op runs
eagerly; in differentiated code a constant count (a list of sizes, ``chunks``) gives a tuple
of parts, and an int size (``ops.split(x, 3)``, ``ops.unstack``) a run-time list of them
(``list_split``, ``list_unstack``: see :mod:`autograd_st.compiler.runtime_lists`).
"""
from __future__ import annotations

import numpy as np

from . import dtype as mstype
from . import rules_array, rules_nn  # noqa: F401  (registers the primitives the rows name)
from .errors import UnsupportedSyntaxError
from .op_row import Op
from .prims import P, Sym, has_sym
from .tensor import Tensor, unwrap

__all__ = ["OPS", "max_", "min_", "zeros_shaped", "ones_shaped"]


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------

def _np_dtype(dtype, default=None):
    """A MindSpore or numpy dtype as numpy's name (None: ``default``)."""
    np_dtype = mstype.to_numpy(dtype)
    if np_dtype is None:
        return default
    return np.dtype(np_dtype).name


def _wrap(out):
    """A new array as a Tensor (eagerly) or the runtime value itself (compiled)."""
    return out if isinstance(out, Sym) else Tensor(out)


def _const(value):
    """A Tensor or a Python sequence of them as plain numpy values (indices, repeats)."""
    if isinstance(value, Tensor):
        return unwrap(value)
    if isinstance(value, list):
        return [_const(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_const(v) for v in value)
    return value


def _seq(value):
    """A list or tuple as a tuple; a runtime value (``x.shape`` in differentiated code) as
    it is (iterating one would never end)."""
    return value if isinstance(value, Sym) else tuple(value)


def _axis_index(axis, index):
    """The numpy index that applies ``index`` along ``axis`` (negative axes count from the
    end: an Ellipsis stands for the axes before)."""
    if axis >= 0:
        return (slice(None),) * axis + (index,)
    return (Ellipsis, index) + (slice(None),) * (-axis - 1)


def _length(x, axis, what):
    """The length of ``x`` along ``axis``, a Python int (``x`` eager) or refused."""
    if isinstance(x, Sym) or has_sym(x):
        raise UnsupportedSyntaxError(
            "%s: the number of parts depends on the length of axis %d, which is not known "
            "in differentiated code; pass the sizes as a list (ops.split(x, [2, 2], axis)) "
            "or use ops.Split(axis, output_num)" % (what, axis))
    return int(np.shape(unwrap(x))[axis])


def _parts(x, sizes, axis):
    """The consecutive parts of ``x`` along ``axis`` of lengths ``sizes`` (a tuple)."""
    out, start = [], 0
    for n in sizes:
        out.append(P.getitem(x, _axis_index(axis, slice(start, start + n))))
        start += n
    return tuple(out)


def _chunk_sizes(n, chunks):
    size = -(-n // chunks)
    count = -(-n // size) if n else 1
    return tuple(min(size, n - i * size) for i in range(count))


# ---------------------------------------------------------------------------------------
# splitting and slicing
# ---------------------------------------------------------------------------------------

def split(tensor, split_size_or_sections, axis=0):
    """MindSpore's ``ops.split(tensor, split_size_or_sections, axis=0)``: a tuple of parts
    along ``axis``, each ``split_size_or_sections`` long (the last may be shorter) or of the
    lengths in a list/tuple.  In differentiated code an int size gives a run-time list of
    parts (how many depends on the shape: unpacked, indexed, looped over, stacked or returned
    as a tuple; first-order reverse mode only)."""
    if isinstance(split_size_or_sections, (list, tuple)):
        return _parts(tensor, tuple(int(s) for s in split_size_or_sections), axis)
    size = int(split_size_or_sections)
    if isinstance(tensor, Sym):  # how many parts depends on the shape: a run-time list
        return P.list_split(tensor, size, axis)
    n = _length(tensor, axis, "ops.split with an int size")
    return _parts(tensor, tuple(min(size, n - s) for s in range(0, n, size)) or (0,), axis)


def chunk(input, chunks, axis=0):
    """MindSpore's ``ops.chunk(input, chunks, axis=0)``: at most ``chunks`` parts of
    ``ceil(n / chunks)`` along ``axis`` (fewer when that covers the axis sooner).  In
    differentiated code it gives ``chunks`` parts, and raises when they run on an axis that
    MindSpore would split into fewer (10 into 6: 5 parts of 2)."""
    if isinstance(input, Sym):
        size = P.chunk_step(input, chunks, axis)
        out = []
        for i in range(chunks):
            start = P.mul(size, i)
            out.append(P.getitem(input, _axis_index(axis, slice(start, P.add(start, size)))))
        return tuple(out)
    return _parts(input, _chunk_sizes(_length(input, axis, "ops.chunk"), chunks), axis)


def narrow(input, axis, start, length):
    """MindSpore's ``ops.narrow(input, axis, start, length)``: ``length`` entries from
    ``start`` along ``axis``."""
    return P.getitem(input, _axis_index(axis, slice(start, start + length)))


def _bounds(value):
    """Slice bounds (a tuple, list or Tensor of ints) as a tuple; entries known only at run
    time stay as they are."""
    value = _const(value)
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, int):
        value = (value,)
    return tuple(v if isinstance(v, Sym) else int(v) for v in _seq(value))


def slice_(input_x, begin, size):
    """MindSpore's ``ops.slice(input_x, begin, size)`` (and ``ops.Slice()``): ``size[i]``
    entries from ``begin[i]`` on each axis, ``-1`` for the rest of the axis.  Like MindSpore it
    refuses a slice that runs past the end (when it runs eagerly)."""
    begin, size = _bounds(begin), _bounds(size)
    if len(begin) != len(size):
        raise ValueError("For 'Slice', begin and size must have the same length, but got %d "
                         "and %d: give one entry per axis" % (len(begin), len(size)))
    if not has_sym(input_x):
        dims = np.shape(unwrap(input_x))
        for i, (b, n) in enumerate(zip(begin, size)):
            if not isinstance(b, Sym) and not isinstance(n, Sym) and (
                    b < 0 or n < -1 or b + (0 if n == -1 else n) > dims[i]):
                raise ValueError("For Slice, the sum of begin_shape[%d] and size_shape[%d] "
                                 "must be no greater than input_x_shape[%d] (begin %d, size "
                                 "%d, length %d): shorten the slice" % (i, i, i, b, n, dims[i]))
    index = tuple(slice(b, b + n) if isinstance(n, Sym) or n != -1 else slice(b, None)
                  for b, n in zip(begin, size))
    return P.getitem(input_x, index)


def strided_slice(input_x, begin, end, strides, begin_mask=0, end_mask=0, ellipsis_mask=0,
                  new_axis_mask=0, shrink_axis_mask=0):
    """MindSpore's ``ops.strided_slice(input_x, begin, end, strides, begin_mask=0, end_mask=0,
    ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=0)`` (and ``ops.StridedSlice``): entry
    ``i`` of the specs is ``begin[i]:end[i]:strides[i]``, or, where bit ``i`` of a mask is set,
    the slice without its begin (``begin_mask``) or end (``end_mask``), ``...``
    (``ellipsis_mask``), a new axis of length 1 (``new_axis_mask``) or the single index
    ``begin[i]`` (``shrink_axis_mask``): numpy's indexing with that tuple (measured: the same
    shapes and values as MindSpore 2.10, negative strides included)."""
    begin, end, strides = _bounds(begin), _bounds(end), _bounds(strides)
    if not len(begin) == len(end) == len(strides):
        raise ValueError("For 'StridedSlice', begin, end and strides must have the same "
                         "length, but got %d, %d and %d" % (len(begin), len(end), len(strides)))
    index = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if ellipsis_mask & bit:
            index.append(Ellipsis)
        elif new_axis_mask & bit:
            index.append(None)
        elif shrink_axis_mask & bit:
            index.append(b)
        else:
            index.append(slice(None if begin_mask & bit else b, None if end_mask & bit else e,
                               s))
    return P.getitem(input_x, tuple(index))


def unstack(input_x, axis=0):
    """MindSpore's ``ops.unstack(input_x, axis=0)``: the slices along ``axis`` (in
    differentiated code a run-time list of them, as ``split`` with an int size)."""
    if isinstance(input_x, Sym):  # how many slices depends on the shape: a run-time list
        return P.list_unstack(input_x, axis)
    n = _length(input_x, axis, "ops.unstack")
    return tuple(P.getitem(input_x, _axis_index(axis, i)) for i in range(n))


def flip(input, dims):
    """MindSpore's ``ops.flip(input, dims)``: reversed along each axis in ``dims``."""
    return P.flip(input, tuple(dims) if isinstance(dims, (list, tuple)) else dims)


def swapaxes(input, axis0, axis1):
    """MindSpore's ``ops.swapaxes(input, axis0, axis1)``."""
    return P.swapaxes(input, axis0, axis1)


def roll(input, shifts, dims=None):
    """MindSpore's ``ops.roll(input, shifts, dims=None)`` (None: the flattened values)
    (MindSpore 2.10 has no CPU kernel for Roll; this is numpy's np.roll)."""
    if isinstance(shifts, list):
        shifts = tuple(shifts)
    if isinstance(dims, list):
        dims = tuple(dims)
    return P.roll(input, shifts, dims)


def pad(input_x, padding, mode="constant", value=None):
    """MindSpore's ``ops.pad(input_x, padding, mode='constant', value=None)``: ``padding``
    pairs ``(before, after)`` from the last axis backwards; negative widths crop; modes
    'constant', 'reflect', 'replicate', 'circular'.  The fill ``value`` gets no gradient
    (measured: MindSpore 2.10 takes it as a constant).  MindSpore refuses the other modes
    on fewer axes than padded pairs + 1; this pads them."""
    padding = tuple(int(p) for p in padding)
    if len(padding) % 2:
        raise ValueError("For 'pad', the size of padding must be divisible by 2, but got %d"
                         % len(padding))
    if mode != "constant":
        return P.pad(input_x, padding, mode)
    if value is None:
        value = 0.0
    elif not isinstance(value, (int, float)):  # a constant to MindSpore: no gradient
        value = P.stop_gradient(value)
    return P.pad(input_x, padding, mode, value)


def _pad_pairs(paddings):
    """``ops.Pad``'s ``((before, after), ...)`` per axis as ``ops.pad``'s flat padding."""
    flat = []
    for before, after in reversed(tuple(paddings)):
        flat += [before, after]
    return tuple(flat)


# ---------------------------------------------------------------------------------------
# gathering and masking
# ---------------------------------------------------------------------------------------

def gather(input_params, input_indices, axis, batch_dims=0):
    """MindSpore's ``ops.gather(input_params, input_indices, axis, batch_dims=0)``: the
    slices of ``input_params`` at ``input_indices`` along ``axis`` (negative indices count
    from the end); the gradient of repeated indices accumulates.  Differs: MindSpore 2.10's
    gradient drops what a negative index read (measured); here it goes to that entry, as
    finite differences say."""
    if batch_dims:
        raise NotImplementedError("ops.gather: batch_dims=%r is not supported (0 only)"
                                  % (batch_dims,))
    return P.take(input_params, _const(input_indices), axis)


def index_select(input, axis, index):
    """MindSpore's ``ops.index_select(input, axis, index)``: ``gather`` with a 1-D index."""
    if not has_sym(index) and np.ndim(_const(index)) != 1:
        raise ValueError("For 'index_select', the dimension of `index` must be 1, but got %d"
                         % np.ndim(_const(index)))
    return P.take(input, _const(index), axis)


def gather_elements(input, dim, index):
    """MindSpore's ``ops.gather_elements(input, dim, index)`` (GatherD): ``input`` read
    element by element at ``index`` along ``dim``."""
    return P.take_along(input, _const(index), dim)


def masked_fill(input_x, mask, value):
    """MindSpore's ``ops.masked_fill(input_x, mask, value)``: ``value`` where ``mask``
    (broadcasting); ``value`` gets the gradient of the entries it fills."""
    return P.cast_like(P.where(mask, value, input_x), input_x)


def masked_select(input, mask):
    """MindSpore's ``ops.masked_select(input, mask)``: the entries where ``mask`` (the two
    broadcast together) as a vector; no gradient goes to the mask."""
    both = P.where(mask, input, input)
    return P.getitem(both, P.broadcast_to(mask, P.shape(both)))


def where(condition, input, other):
    """MindSpore's ``ops.select(condition, input, other)``: ``ops.where``."""
    return P.where(condition, input, other)


def triu(input, diagonal=0):
    """MindSpore's ``ops.triu(input, diagonal=0)``: zero below the ``diagonal``-th diagonal
    of the last two axes."""
    return P.triu(input, diagonal)


def tril(input, diagonal=0):
    """MindSpore's ``ops.tril(input, diagonal=0)``: zero above the ``diagonal``-th diagonal."""
    return P.tril(input, diagonal)


def tile(input, dims):
    """MindSpore's ``ops.tile(input, dims)``: ``input`` repeated ``dims[i]`` times along axis
    i (a shorter ``dims`` is padded with ones in front, as in np.tile)."""
    return P.tile(input, _seq(dims))


def repeat_interleave(input, repeats, axis=None):
    """MindSpore's ``ops.repeat_interleave(input, repeats, axis=None)``: each element
    repeated ``repeats`` times (an int, or one count per element) along ``axis`` (None:
    of the flattened values)."""
    repeats = _const(repeats)
    if isinstance(repeats, np.ndarray):
        repeats = repeats.tolist()
    return P.repeat(input, repeats, axis)


def broadcast_to(input, shape):
    """MindSpore's ``ops.broadcast_to(input, shape)``; -1 keeps that axis's length."""
    shape = _seq(shape)
    if not isinstance(shape, Sym) and -1 in shape:
        if has_sym(input):  # the input's own length, counted from the end
            own = P.shape(input)
            shape = tuple(P.getitem(own, i - len(shape)) if n == -1 else n
                          for i, n in enumerate(shape))
        else:
            own = (1,) * (len(shape) - np.ndim(unwrap(input))) + np.shape(unwrap(input))
            shape = tuple(o if n == -1 else n for n, o in zip(shape, own))
    return P.broadcast_to(input, shape)


def meshgrid(*inputs, indexing="xy"):
    """MindSpore's ``ops.meshgrid(*inputs, indexing='xy')``: the coordinate grids of 1-D
    inputs ('xy': the first two axes swapped, as in np.meshgrid)."""
    n = len(inputs)
    shape = []
    for i in range(n):
        shape.append(P.getitem(P.shape(inputs[i]), 0))
    if indexing == "xy" and n > 1:
        shape[0], shape[1] = shape[1], shape[0]
    out = []
    for i, x in enumerate(inputs):
        axis = i
        if indexing == "xy" and n > 1 and i < 2:
            axis = 1 - i
        view = [1] * n
        view[axis] = -1
        out.append(P.broadcast_to(P.reshape(x, tuple(view)), tuple(shape)))
    return tuple(out)


# ---------------------------------------------------------------------------------------
# running sums, products, indices
# ---------------------------------------------------------------------------------------

def _cast(out, dtype):
    return out if dtype is None else P.astype(out, _np_dtype(dtype))


def cumsum(x, axis, dtype=None):
    """MindSpore's ``ops.cumsum(x, axis, dtype=None)``: the running sum along ``axis``."""
    return P.cumsum(_cast(x, dtype), axis)


def cumprod(input, dim, dtype=None):
    """MindSpore's ``ops.cumprod(input, dim, dtype=None)``: the running product (its gradient
    divides by ``input``, as MindSpore's does: nan at a zero whose successors use it)."""
    x = _cast(input, dtype)
    return P.int_like(P.cumprod(x, dim), x, "cumprod")  # (an integer one's: int64)


def _axis(axis):
    if isinstance(axis, list):
        axis = tuple(axis)
    return None if isinstance(axis, tuple) and not axis else axis


def prod(input, axis=None, keep_dims=False, dtype=None):
    """MindSpore's ``ops.prod(input, axis=None, keep_dims=False, dtype=None)``: the product
    over ``axis`` (None or ``()``: every axis); exact gradients where entries are zero."""
    x = _cast(input, dtype)
    return P.int_like(P.prod(x, _axis(axis), keep_dims), x, "sum")  # (a uint8 one's: int64)


def argmax(input, dim=None, keepdim=False):
    """MindSpore's ``ops.argmax(input, dim=None, keepdim=False)``: int64 indices of the first
    maximum (None: of the flattened values, and keepdim is ignored then, as in MindSpore)."""
    return P.argmax(input, dim, keepdim if dim is not None else False, "int64")


def argmin(input, axis=None, keepdims=False):
    """MindSpore's ``ops.argmin(input, axis=None, keepdims=False)``: int32 indices of the
    first minimum (MindSpore 2.10 returns int32 here and int64 from argmax)."""
    return P.argmin(input, axis, keepdims if axis is not None else False, "int32")


def _with_index(input, axis, keepdims, initial, where, which):
    """``(values, int64 indices)`` of the max/min along ``axis``: the values are read at
    the index, so the gradient goes to that one element (MindSpore's ArgMaxWithValue)."""
    if axis is None:
        if where is not None:
            raise NotImplementedError("ops.%s: where= is supported with an axis only" % which)
        return (P.max(input) if which == "max" else P.min(input)), P.index_zero(input)
    if where is not None:
        input = P.where(where, input, initial)
    if initial is not None:
        input = P.maximum(input, initial) if which == "max" else P.minimum(input, initial)
    find = P.argmax if which == "max" else P.argmin
    index = find(input, axis, True, "int64")
    values = P.take_along(input, index, axis)
    if not keepdims:
        values, index = P.squeeze(values, axis), P.squeeze(index, axis)
    return values, index


def max_(input, axis=None, keepdims=False, *, initial=None, where=None):
    """MindSpore's ``ops.max(input, axis=None, keepdims=False, *, initial=None, where=None)``:
    ``(values, indices)``; with no axis, ``(the maximum, 0)`` (MindSpore's own code returns
    index 0 there, and splits the gradient among tied maxima)."""
    return _with_index(input, axis, keepdims, initial, where, "max")


def min_(input, axis=None, keepdims=False, *, initial=None, where=None):
    """MindSpore's ``ops.min``: ``(values, indices)``, as :func:`max_`."""
    return _with_index(input, axis, keepdims, initial, where, "min")


def topk(input, k, dim=None, largest=True, sorted=True):
    """MindSpore's ``ops.topk(input, k, dim=None, largest=True, sorted=True)``: the ``k``
    largest (smallest) values along ``dim`` (None: the last) and their int32 indices, best
    first.  Among equal values the first comes first (MindSpore's CPU kernel may pick
    later ones)."""
    axis = -1 if dim is None else dim
    index = P.topk_indices(input, k, axis, largest, "int32")
    return P.take_along(input, index, axis), index


def sort(input_x, axis=-1, descending=False):
    """MindSpore's ``ops.sort(input_x, axis=-1, descending=False)``: ``(values, int32
    indices)``; stable (equal values keep their order, also descending)."""
    index = P.argsort(input_x, axis, descending, "int32")
    return P.take_along(input_x, index, axis), index


def argsort(input, axis=-1, descending=False):
    """MindSpore's ``ops.argsort(input, axis=-1, descending=False)``: int32, stable."""
    return P.argsort(input, axis, descending, "int32")


# ---------------------------------------------------------------------------------------
# new arrays
# ---------------------------------------------------------------------------------------

def _shape(shape):
    return (shape,) if isinstance(shape, int) else _seq(shape)


def fill(type, shape, value):
    """MindSpore's ``ops.fill(type, shape, value)``: a new array of ``value``; ``type`` may be
    known only at run time (``ops.DType()(x)`` in differentiated code: numpy's dtype)."""
    dtype = type if isinstance(type, Sym) else _np_dtype(type)
    return _wrap(P.full(_shape(shape), _const(value), dtype))


def full(size, fill_value, *, dtype=None):
    """MindSpore's ``ops.full(size, fill_value, *, dtype=None)``: without a dtype the result
    is int64 whatever ``fill_value`` is (measured in MindSpore 2.10: ``full((2,), 3.5)`` is
    ``[3, 3]``)."""
    return _wrap(P.full(_shape(size), _const(fill_value), _np_dtype(dtype, "int64")))


def arange(start=0, end=None, step=1, *, dtype=None):
    """MindSpore's ``ops.arange(start=0, end=None, step=1, *, dtype=None)``: int64 when
    every bound is an int, float32 otherwise."""
    start, end, step = _const(start), _const(end), _const(step)
    if end is None:
        start, end = 0, start
    if any(isinstance(v, Sym) for v in (start, end, step)):
        # a bound known only at run time (``x.shape[1]`` in differentiated code): the
        # primitive picks int64 or float32 from the values it is given
        return _wrap(P.arange_auto(start, end, step) if dtype is None
                     else P.arange(start, end, step, _np_dtype(dtype)))
    ints = all(np.asarray(v).dtype.kind in "iub" for v in (start, end, step))
    default = "int64" if ints else "float32"
    return _wrap(P.arange(start, end, step, _np_dtype(dtype, default)))


def range_(start, end, step, maxlen=1000000):
    """MindSpore's ``ops.range(start, end, step, maxlen=1000000)``: ``start, start + step, ...``
    short of ``end``; int64 for integer bounds, float32 for float ones (measured in MindSpore
    2.10: int32 Tensors give int64), bounds of mixed kinds refused; ``maxlen`` is not
    checked (MindSpore 2.10 does not either)."""
    start, end, step = _const(start), _const(end), _const(step)
    if not any(isinstance(v, Sym) for v in (start, end, step)):
        kinds = {np.asarray(v).dtype.kind in "iub" for v in (start, end, step)}
        if len(kinds) > 1:
            raise TypeError("For Range, the dtypes of inputs must be the same, but got %s: "
                            "give every bound as an int, or every bound as a float"
                            % ", ".join(str(np.asarray(v).dtype) for v in (start, end, step)))
    return _wrap(P.arange_auto(start, end, step))


def linspace(start, end, steps):
    """MindSpore's ``ops.linspace(start, end, steps)``: float32 (``steps`` may be known only
    at run time: ``x.shape[1]`` in differentiated code)."""
    steps = _const(steps)
    return _wrap(P.linspace(_const(start), _const(end),
                            steps if isinstance(steps, Sym) else int(steps)))


def eye(n, m=None, dtype=None):
    """MindSpore's ``ops.eye(n, m=None, dtype=None)``: float32 unless ``dtype``."""
    return _wrap(P.eye(n, m, _np_dtype(dtype, "float32")))


def zeros_shaped(shape, dtype=None):
    """MindSpore's ``ops.Zeros()(shape, dtype)`` (a shape or dtype known only at run time
    too: ``(B, h, 1, Ch)`` of ``q.shape``, ``q.dtype``)."""
    return _wrap(P.full(_shape(shape), 0, dtype if isinstance(dtype, Sym)
                        else _np_dtype(dtype, "float32")))


def ones_shaped(shape, dtype=None):
    """MindSpore's ``ops.Ones()(shape, dtype)``, as :func:`zeros_shaped`."""
    return _wrap(P.full(_shape(shape), 1, dtype if isinstance(dtype, Sym)
                        else _np_dtype(dtype, "float32")))


def shape(input):
    """MindSpore's ``ops.shape(input)``: a tuple of ints."""
    if has_sym(input):
        return P.shape(input)
    return tuple(np.shape(unwrap(input)))


def size(input):
    """MindSpore's ``ops.size(input)``: the number of entries, an int."""
    if has_sym(input):
        return P.size(input)
    return int(np.size(unwrap(input)))


def rank(input):
    """MindSpore's ``ops.rank(input)``: the number of axes, an int."""
    if has_sym(input):
        return P.ndim(input)
    return int(np.ndim(unwrap(input)))


def tensor_scatter_update(input_x, indices, updates):
    """MindSpore's ``ops.tensor_scatter_update(input_x, indices, updates)``: ``input_x`` with
    the entries at ``indices`` (its last axis indexes ``input_x``'s first axes) replaced by
    ``updates``, a repeated index keeping its last update (as MindSpore); the replaced entries
    get no gradient from the output, the updates that stay theirs."""
    return P.idx_put(input_x, P.nd_index(_const(indices)), updates)


def gather_nd(input_x, indices):
    """MindSpore's ``ops.gather_nd(input_x, indices)`` (``ops.GatherNd()``, the Tensor method):
    ``input_x[indices[..., 0], indices[..., 1], ...]``, one coordinate per leading axis in the
    last axis of ``indices``; the gradient adds into the gathered entries (repeats
    accumulate)."""
    return P.getitem(input_x, P.nd_index(_const(indices)))


def scatter_nd(indices, updates, shape):
    """MindSpore's ``ops.scatter_nd(indices, updates, shape)`` (``ops.ScatterNd()``): zeros of
    ``shape`` with ``updates`` added at the coordinates ``indices`` (repeated coordinates
    accumulate, as MindSpore's do); differentiable in ``updates``."""
    like = P.full(_shape(shape), 0, "int8")  # (only its shape is read)
    return P.ungetitem(updates, like, P.nd_index(_const(indices)))


def tensor_scatter_add(input_x, indices, updates):
    """MindSpore's ``ops.tensor_scatter_add(input_x, indices, updates)``
    (``ops.TensorScatterAdd()``): ``input_x`` with ``updates`` added at ``indices`` (repeats
    accumulate); differentiable in both."""
    return P.add(input_x, P.ungetitem(updates, input_x, P.nd_index(_const(indices))))


def unsorted_segment_sum(input_x, segment_ids, num_segments):
    """MindSpore's ``ops.unsorted_segment_sum(input_x, segment_ids, num_segments)``
    (``ops.UnsortedSegmentSum()``): row ``s`` of the result sums the entries of ``input_x``
    whose id is ``s`` (``segment_ids``' shape a prefix of ``input_x``'s); differentiable in
    ``input_x``.  Like MindSpore on CPU it refuses an id outside ``[0, num_segments)`` (when
    the ids are at hand).  Ids known only at run time must be 1-D."""
    ids = _const(segment_ids)
    n = int(_const(num_segments))
    k = 1
    if not isinstance(ids, Sym):
        ids = np.asarray(ids)
        k = ids.ndim
        if ids.size and (ids.min() < 0 or ids.max() >= n):
            raise ValueError("For 'UnsortedSegmentSum', segment_ids value should be [0, %d), "
                             "but got ids from %d to %d: drop or remap the ids outside"
                             % (n, ids.min(), ids.max()))
    like = P.getitem(input_x, (np.zeros(n, np.int64),) + (0,) * (k - 1))  # (its shape)
    return P.ungetitem(input_x, like, (ids,))


def sequence_mask(lengths, maxlen=None):
    """MindSpore's ``ops.sequence_mask(lengths, maxlen=None)``: a bool mask of shape
    ``lengths.shape + (maxlen,)``, True at positions below each length; ``maxlen`` defaults
    to the largest length."""
    lengths = _const(lengths)
    if maxlen is None:
        maxlen = P.max(lengths)
    maxlen = _const(maxlen)
    if not isinstance(maxlen, Sym) and not isinstance(lengths, Sym):
        positions = np.arange(int(maxlen))
        return _wrap(P.less(positions, P.expand_dims(lengths, -1)))
    return P.less(P.arange_auto(0, maxlen, 1), P.expand_dims(lengths, -1))


def scatter(input, axis, index, src):
    """MindSpore's ``ops.scatter(input, axis, index, src)``: ``input`` with ``src`` written
    element by element at ``index`` along ``axis`` (the inverse of ``gather_elements``;
    ``index`` without repeats).  The overwritten entries of ``input`` get no gradient."""
    index = _const(index)
    hit = P.untake_along(P.ones_like(P.take_along(input, index, axis)), input, index, axis)
    placed = P.untake_along(src, input, index, axis)
    return P.where(P.greater(hit, 0), placed, input)


# ---------------------------------------------------------------------------------------
# Tensor methods (MindSpore 2.10's overloads: the PyTorch-like names and the older ones)
# ---------------------------------------------------------------------------------------

def _m_argmax(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    """``Tensor.argmax(axis=None, keepdims=False)`` / ``(dim=None, keepdim=False)``: int64."""
    axis = dim if dim is not None else axis
    keep = keepdim if keepdim is not None else keepdims
    return P.argmax(self, axis, keep if axis is not None else False, "int64")


def _m_argmin(self, axis=None, keepdims=False, *, dim=None, keepdim=None):
    """``Tensor.argmin(axis=None, keepdims=False)`` / ``(dim=None, keepdim=False)``: int32
    (as MindSpore 2.10's)."""
    axis = dim if dim is not None else axis
    keep = keepdim if keepdim is not None else keepdims
    return P.argmin(self, axis, keep if axis is not None else False, "int32")


def _m_prod(self, dim=None, keepdim=False, dtype=None, *, axis=None, keep_dims=None):
    """``Tensor.prod(dim=None, keepdim=False, dtype=None)`` / ``(axis, keep_dims, dtype)``."""
    axis = axis if axis is not None else dim
    keep = keep_dims if keep_dims is not None else keepdim
    return prod(self, axis, keep, dtype)


def _m_cumsum(self, dim=None, dtype=None, *, axis=None):
    """``Tensor.cumsum(dim, *, dtype=None)`` / ``(axis=None, dtype=None)``; no axis: the
    running sum of the flattened values."""
    axis = axis if axis is not None else dim
    # (MindSpore's Tensor.cumsum counts int8, int16, uint8 and bool in int32; ops.cumsum not)
    x = P.int_like(self, self, "cumsum") if dtype is None else _cast(self, dtype)
    if axis is None:
        return P.cumsum(P.reshape(x, (-1,)), 0)
    return P.cumsum(x, axis)


def _m_cumprod(self, dim, dtype=None):
    """``Tensor.cumprod(dim, dtype=None)``."""
    return cumprod(self, dim, dtype)


def _m_tile(self, *dims, reps=None):
    """``Tensor.tile(dims)`` / ``(reps)``; also ``t.tile(2, 1)``."""
    if reps is not None:
        dims = (reps,)
    if len(dims) == 1 and isinstance(dims[0], (tuple, list, Sym)):
        dims = dims[0]
    return P.tile(self, _seq(dims))


def _m_flip(self, dims):
    """``Tensor.flip(dims)``."""
    return flip(self, dims)


def _m_roll(self, shifts, dims=None):
    """``Tensor.roll(shifts, dims)``."""
    return roll(self, shifts, dims)


def _m_narrow(self, dim, start, length):
    """``Tensor.narrow(dim, start, length)``."""
    return narrow(self, dim, start, length)


def _m_swapaxes(self, axis0, axis1):
    """``Tensor.swapaxes(axis0, axis1)``."""
    return P.swapaxes(self, axis0, axis1)


def _m_unsqueeze(self, dim):
    """``Tensor.unsqueeze(dim)``."""
    return P.expand_dims(self, dim)


def _m_gather(self, *args, **kwargs):
    """``Tensor.gather(dim, index)`` (element-wise, as ``gather_elements``) when the first
    argument is an int or ``dim=`` is given; ``Tensor.gather(input_indices, axis,
    batch_dims=0)`` (``ops.gather``) otherwise (MindSpore 2.10's two overloads)."""
    if "dim" in kwargs or (args and isinstance(args[0], int) and not isinstance(args[0], bool)):
        names = ("dim", "index")
        bound = dict(zip(names, args), **kwargs)
        return gather_elements(self, bound["dim"], bound["index"])
    names = ("input_indices", "axis", "batch_dims")
    bound = dict(zip(names, args), **kwargs)
    return gather(self, bound["input_indices"], bound["axis"], bound.get("batch_dims", 0))


def _m_masked_fill(self, mask, value):
    """``Tensor.masked_fill(mask, value)``."""
    return masked_fill(self, mask, value)


def _m_select(self, condition, y):
    """``Tensor.select(condition, y)``: this Tensor where ``condition``, else ``y``
    (measured in MindSpore 2.10)."""
    return P.where(condition, self, y)


def _m_value(self):
    """``Tensor.value()`` (``Parameter.value()``): the value itself (in differentiated code,
    the gradient passes through)."""
    return self


def _m_reverse(self, axis):
    """``Tensor.reverse(axis)``: the entries reversed along each axis in ``axis``."""
    return flip(self, axis)


def _m_argmax_with_value(self, axis=0, keep_dims=False):
    """``Tensor.argmax_with_value(axis=0, keep_dims=False)``: ``(values, int64 indices)``
    (measured in MindSpore 2.10: this order, the reverse of ``ops.ArgMaxWithValue``'s)."""
    return max_(self, axis, keep_dims)


def _m_argmin_with_value(self, axis=0, keep_dims=False):
    """``Tensor.argmin_with_value(axis=0, keep_dims=False)``: ``(values, int64 indices)``."""
    return min_(self, axis, keep_dims)


def _m_top_k(self, k, sorted=True):
    """``Tensor.top_k(k, sorted=True)``: ``ops.TopK``'s values and int32 indices along the
    last axis."""
    return topk(self, k, None, True, sorted)


def _m_masked_select(self, mask):
    """``Tensor.masked_select(mask)``."""
    return masked_select(self, mask)


def _m_expand_as(self, other=None, *, x=None):
    """``Tensor.expand_as(other)``: broadcast to ``other``'s shape."""
    other = x if other is None else other
    return P.broadcast_to(self, P.shape(other))


def _m_broadcast_to(self, *shape):
    """``Tensor.broadcast_to(*shape)`` (also one tuple)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list, Sym)):
        shape = shape[0]
    return broadcast_to(self, shape)


def _m_chunk(self, chunks, dim=0, *, axis=None):
    """``Tensor.chunk(chunks, dim=0)`` / ``(chunks, axis=0)``."""
    return chunk(self, chunks, dim if axis is None else axis)


def _m_split(self, split_size, dim=0, *, axis=None, split_size_or_sections=None):
    """``Tensor.split(split_size, dim=0)`` / ``(split_size_or_sections, axis=0)``."""
    return split(self, split_size, dim if axis is None else axis)


def _m_sort(self, dim=-1, descending=False, stable=False, *, axis=None):
    """``Tensor.sort(dim=-1, descending=False, stable=False)`` / ``(axis, descending)``:
    always stable."""
    return sort(self, dim if axis is None else axis, descending)


def _m_topk(self, k, dim=None, largest=True, sorted=True):
    """``Tensor.topk(k, dim=None, largest=True, sorted=True)``."""
    return topk(self, k, dim, largest, sorted)


def _m_fill(self, value):
    """``Tensor.fill(value)``: a new Tensor shaped and typed like ``self``, all ``value``
    (``value`` gets the gradient of every entry)."""
    return P.cast_like(P.add(P.zeros_like(self), value), self)


def _m_triu(self, diagonal=0):
    """``Tensor.triu(diagonal=0)``."""
    return P.triu(self, diagonal)


def _m_tril(self, diagonal=0):
    """``Tensor.tril(diagonal=0)``."""
    return P.tril(self, diagonal)


def _m_repeat_interleave(self, repeats, dim=None, *, axis=None, output_size=None):
    """``Tensor.repeat_interleave(repeats, dim=None)``."""
    return repeat_interleave(self, repeats, dim if axis is None else axis)


def _m_index_select(self, axis, index):
    """``Tensor.index_select(axis, index)`` / ``(dim, index)``."""
    return index_select(self, axis, index)


def _m_gather_elements(self, dim, index):
    """``Tensor.gather_elements(dim, index)``."""
    return gather_elements(self, dim, index)


# ---------------------------------------------------------------------------------------
# numpy functions in compiled code (generated gradients call them: so they differentiate
# again), numpy's signatures
# ---------------------------------------------------------------------------------------

def _np_take(a, indices, axis=None, out=None, mode="raise"):
    if axis is None:
        return P.take(P.reshape(a, (-1,)), indices, 0)
    return P.take(a, indices, axis)


def _np_cumsum(a, axis=None, dtype=None, out=None):
    if axis is None:
        return P.cumsum(P.reshape(a, (-1,)), 0)
    return P.cumsum(a, axis)


def _np_cumprod(a, axis=None, dtype=None, out=None):
    if axis is None:
        return P.cumprod(P.reshape(a, (-1,)), 0)
    return P.cumprod(a, axis)


def _np_prod(a, axis=None, dtype=None, out=None, keepdims=False):
    return P.prod(a, tuple(axis) if isinstance(axis, list) else axis, keepdims)


def _np_argmax(a, axis=None, out=None, *, keepdims=False):
    return P.argmax(a, axis, keepdims, "int64")


def _np_argmin(a, axis=None, out=None, *, keepdims=False):
    return P.argmin(a, axis, keepdims, "int64")


#: the rows (``op_table`` publishes them: ``ops``, Tensor methods, numpy bindings, classes).
OPS: tuple[Op, ...] = (
    Op("getitem", fn=split, ops=("split",)),
    Op("getitem", fn=chunk, ops=("chunk",)),
    Op("getitem", fn=narrow, ops=("narrow",)),
    Op("getitem", fn=unstack, ops=("unstack",)),
    Op("getitem", fn=slice_, ops=("slice",), classes=("Slice",)),
    Op("getitem", fn=strided_slice, ops=("strided_slice",)),
    Op("flip", fn=flip, ops=("flip",)),
    Op("swapaxes", fn=swapaxes, ops=("swapaxes", "swapdims")),
    Op("roll", fn=roll, ops=("roll",)),
    Op("pad", fn=pad, ops=("pad",)),
    Op("take", fn=gather, ops=("gather",), classes=("Gather", "GatherV2")),
    Op("take", fn=index_select, ops=("index_select",)),
    Op("take_along", fn=gather_elements, ops=("gather_elements",), classes=("GatherD",)),
    Op("where", fn=masked_fill, ops=("masked_fill",), classes=("MaskedFill",)),
    Op("getitem", fn=masked_select, ops=("masked_select",)),
    Op("where", fn=where, ops=("select",), classes=("Select",)),
    Op("triu", fn=triu, ops=("triu",)),
    Op("tril", fn=tril, ops=("tril",)),
    Op("tile", fn=tile, ops=("tile",), classes=("Tile",)),
    Op("repeat", fn=repeat_interleave, ops=("repeat_interleave",)),
    Op("broadcast_to", fn=meshgrid, ops=("meshgrid",)),
    Op("cumsum", fn=cumsum, ops=("cumsum",)),
    Op("cumprod", fn=cumprod, ops=("cumprod",)),
    Op("prod", fn=prod, ops=("prod", "reduce_prod")),
    Op("argmax", fn=argmax, ops=("argmax",)),
    Op("argmin", fn=argmin, ops=("argmin",)),
    Op("take_along", fn=topk, ops=("topk",)),
    Op("take_along", fn=sort, ops=("sort",)),
    Op("argsort", fn=argsort, ops=("argsort",)),
    Op("full", fn=fill, ops=("fill",), classes=("Fill",)),
    Op("full", fn=full, ops=("full",)),
    Op("arange", fn=arange, ops=("arange",)),
    Op("arange_auto", fn=range_, ops=("range",)),
    Op("linspace", fn=linspace, ops=("linspace",)),
    Op("eye", fn=eye, ops=("eye",), classes=("Eye",)),
    Op("shape", fn=shape, ops=("shape",), classes=("Shape",)),
    Op("size", fn=size, ops=("size", "numel"), classes=("Size",)),
    Op("ndim", fn=rank, ops=("rank",), classes=("Rank",)),
    Op("where", fn=scatter, ops=("scatter",)),
    Op("where", fn=tensor_scatter_update, ops=("tensor_scatter_update",),
       classes=("TensorScatterUpdate",)),
    Op("getitem", fn=gather_nd, ops=("gather_nd",), classes=("GatherNd",),
       methods=("gather_nd",)),
    Op("ungetitem", fn=scatter_nd, ops=("scatter_nd",), classes=("ScatterNd",)),
    Op("ungetitem", fn=tensor_scatter_add, ops=("tensor_scatter_add",),
       classes=("TensorScatterAdd",)),
    Op("less", fn=sequence_mask, ops=("sequence_mask",)),
    Op("ungetitem", fn=unsorted_segment_sum, ops=("unsorted_segment_sum",),
       classes=("UnsortedSegmentSum",)),
    # Tensor methods
    Op("argmax", fn=_m_argmax, methods=("argmax",)),
    Op("argmin", fn=_m_argmin, methods=("argmin",)),
    Op("prod", fn=_m_prod, methods=("prod",)),
    Op("cumsum", fn=_m_cumsum, methods=("cumsum",)),
    Op("cumprod", fn=_m_cumprod, methods=("cumprod",)),
    Op("tile", fn=_m_tile, methods=("tile", "repeat")),
    Op("flip", fn=_m_flip, methods=("flip",)),
    Op("roll", fn=_m_roll, methods=("roll",)),
    Op("getitem", fn=_m_narrow, methods=("narrow",)),
    Op("swapaxes", fn=_m_swapaxes, methods=("swapaxes",)),
    Op("expand_dims", fn=_m_unsqueeze, methods=("unsqueeze",)),
    Op("take", fn=_m_gather, methods=("gather",)),
    Op("where", fn=_m_masked_fill, methods=("masked_fill",)),
    Op("getitem", fn=_m_masked_select, methods=("masked_select",)),
    Op("where", fn=_m_select, methods=("select",)),
    Op("flip", fn=_m_reverse, methods=("reverse",)),
    Op("copy", fn=_m_value, methods=("value",)),
    Op("take_along", fn=_m_argmax_with_value, methods=("argmax_with_value",)),
    Op("take_along", fn=_m_argmin_with_value, methods=("argmin_with_value",)),
    Op("take_along", fn=_m_top_k, methods=("top_k",)),
    Op("broadcast_to", fn=_m_expand_as, methods=("expand_as",)),
    Op("broadcast_to", fn=_m_broadcast_to, methods=("broadcast_to",)),
    Op("getitem", fn=_m_chunk, methods=("chunk",)),
    Op("getitem", fn=_m_split, methods=("split",)),
    Op("take_along", fn=_m_sort, methods=("sort",)),
    Op("take_along", fn=_m_topk, methods=("topk",)),
    Op("add", fn=_m_fill, methods=("fill",)),
    Op("triu", fn=_m_triu, methods=("triu",)),
    Op("tril", fn=_m_tril, methods=("tril",)),
    Op("repeat", fn=_m_repeat_interleave, methods=("repeat_interleave",)),
    Op("take", fn=_m_index_select, methods=("index_select",)),
    Op("take_along", fn=_m_gather_elements, methods=("gather_elements",)),
    # numpy
    Op("take", fn=_np_take, numpy=(np.take,)),
    Op("triu", "m, k=0", numpy=(np.triu,)),
    Op("tril", "m, k=0", numpy=(np.tril,)),
    Op("tile", "A, reps", numpy=(np.tile,)),
    Op("repeat", "a, repeats, axis=None", numpy=(np.repeat,)),
    Op("roll", "a, shift, axis=None", numpy=(np.roll,)),
    Op("flip", "m, axis=None", numpy=(np.flip,)),
    Op("swapaxes", "a, axis1, axis2", numpy=(np.swapaxes,)),
    Op("cumsum", fn=_np_cumsum, numpy=(np.cumsum,)),
    Op("cumprod", fn=_np_cumprod, numpy=(np.cumprod,)),
    Op("prod", fn=_np_prod, numpy=(np.prod,)),
    Op("argmax", fn=_np_argmax, numpy=(np.argmax,)),
    Op("argmin", fn=_np_argmin, numpy=(np.argmin,)),
)
