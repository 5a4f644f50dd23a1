"""The op-table rows for indexing, scatter, shape and random ops: each row one calling
convention of one primitive (see :mod:`autograd_st.op_table`, which gathers these rows).

Takes: :class:`~autograd_st.op_row.Op`, :data:`~autograd_st.prims.P`, the primitives of
:mod:`autograd_st.rules_index` and the adapters of ``table_array`` / ``table_more`` they
reuse.  Gives: :data:`OPS`, the rows, and the adapters they name.

Every adapter follows MindSpore 2.10's signature, defaults and output dtypes, measured in the
side venv (``inspect.signature`` and runs).  What was measured and is kept:

- ``unique`` gives the values in the order they first appear (not sorted) and int32
  indices; ``unique_consecutive``'s indices and counts are int64; ``nonzero`` / ``argwhere``
  int64 (N, ndim); ``searchsorted`` int64 (``out_int32``: int32);
- the scatter family on repeated indices: ``*_update`` keeps the last write, ``*_add`` /
  ``*_sub`` / ``*_mul`` / ``*_div`` / ``*_max`` / ``*_min`` accumulate; an empty segment
  of ``unsorted_segment_max`` is the dtype's lowest value (``min``: highest, ``prod``: 1);
- the max/min forms send the gradient to the entries equal to the result (an update and
  the input it ties with both get it); mul/div differentiate once (their second derivative
  is not formed: ``ops.grad`` of their gradient is zero in the updates' cross terms);
- random ops: ``rand``/``rand_like`` float32 or the input's dtype, ``randn_like`` float32,
  ``randint``/``randperm``/``random_categorical`` int64, ``multinomial`` int32; a ``seed``
  makes a sequence reproducible after ``set_seed`` (two calls still differ), ``randperm``'s
  ``(seed, offset)`` fixes its permutation.  The numbers themselves cannot be MindSpore's.
- the Tensor in-place methods (``add_``, ``index_add_``, ``scatter_`` ...) write into the
  Tensor and return it when run eagerly (MindSpore's documented behaviour; its CPU build
  returns the result without writing, measured).  Differentiated code cannot write into a
  value, so there they are refused with the functional form to write instead; the random
  fills (``uniform_``, ``normal_`` ...) there return the fresh draw.

- the scatter ops write into a Parameter they are given when run eagerly, as MindSpore's do;
  in differentiated code they give the new value only (MindSpore's ``index_add`` also writes
  into a plain Tensor, measured: not done here).  ``Tensor.fill_diagonal`` differentiates
  here; MindSpore has no bprop for it (measured).

Ops whose MindSpore 2.10 CPU build fails (``gamma``, ``poisson``, ``bucketize``, the
``*_`` random fills, ``Tensor.scatter_add``) follow MindSpore's documentation.
"""
from __future__ import annotations

import contextvars

import numpy as np

from . import dtype as mstype
from . import rules_index  # noqa: F401  (registers the primitives the rows name)
from .errors import UnsupportedSyntaxError
from .op_row import Op
from .prims import P, Sym, current_builder, has_sym
from .rules import REGISTRY
from .table_array import flip as _flip
from .table_array import topk as _topk
from .table_more import tensor_split as _tensor_split
from .table_more import unbind as _unbind
from .tensor import Tensor, unwrap

__all__ = ["OPS", "draw", "IN_PLACE_METHODS", "scatter_sub", "choice_with_mask_seeded"]


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------

def _const(value):
    """A Tensor (or a sequence of them) as numpy values; runtime values unchanged."""
    if isinstance(value, Tensor):
        return unwrap(value)
    if isinstance(value, list):
        return [_const(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_const(v) for v in value)
    return value


def _np_dtype(dtype, default=None):
    np_dtype = mstype.to_numpy(dtype) if dtype is not None else None
    return default if np_dtype is None else np.dtype(np_dtype).name


def _wrap(out):
    return out if isinstance(out, Sym) or isinstance(out, Tensor) else Tensor(out)


def _first(indices):
    """A numpy index along the first axis: ``indices`` (an int, a list, a Tensor)."""
    indices = _const(indices)
    if isinstance(indices, (list, tuple)):
        indices = np.asarray(indices)
    return (indices,)


def _nd(indices):
    """MindSpore's N-D ``indices`` (last axis: coordinates) as a numpy index tuple."""
    return P.nd_index(_const(indices))


def _axis_index(axis, index):
    if axis >= 0:
        return (slice(None),) * axis + (index,)
    return (Ellipsis, index) + (slice(None),) * (-axis - 1)


def _reduce(x, index, v, op):
    """``x`` combined with ``v`` at ``index`` by ``op`` (repeats accumulate).  The value is
    :func:`~autograd_st.rules_index.idx_reduce`'s; the gradient is routed by adding
    ``s - stop_gradient(s)`` (exactly zero) for an ``s`` whose derivative is the op's."""
    if op in ("add", "sub"):
        placed = P.ungetitem(v, x, index)
        return P.add(x, placed) if op == "add" else P.sub(x, placed)
    m = P.idx_reduce(x, index, v, op)
    mv = P.getitem(m, index)
    if op in ("max", "min"):
        s = P.add(P.where(P.equal(x, m), x, 0), P.ungetitem(P.where(P.equal(v, mv), v, 0), x,
                                                            index))
    else:  # mul, div: d/dx = prod(v) or 1/prod(v); d/dv_k = +-m / v_k at its position
        # (first_order: these factors are constants of the first derivative; a derivative
        # of that derivative would need theirs, and is refused, never left out)
        # (the where adds an exact 0 that depends on v: prod is known to depend on it)
        prod = P.first_order(P.add(P.idx_reduce(P.ones_like(x), index, v, "mul"),
                                   P.where(False, P.sum(v), 0.0)))
        safe = P.where(P.equal(v, 0), 1, v)
        share = P.first_order(P.where(P.equal(v, 0), 0, P.div(mv, safe)))
        on_v = P.ungetitem(P.mul(v, share), x, index)
        s = P.add(P.mul(x, prod), on_v) if op == "mul" else \
            P.sub(P.div(x, prod), on_v)
    return P.add(P.stop_gradient(m), P.sub(s, P.stop_gradient(s)))


def _write_back(target, out):
    """Eagerly, MindSpore's scatter ops on a Parameter update it in place: do so."""
    if isinstance(target, Tensor) and isinstance(out, Tensor) and not has_sym(target):
        if type(target).__name__ == "Parameter":
            _store(target, out)
            return target
    return out


# ---------------------------------------------------------------------------------------
# index results (no gradient)
# ---------------------------------------------------------------------------------------

def nonzero(input, *, as_tuple=False):
    """MindSpore's ``ops.nonzero(input, *, as_tuple=False)``: the int64 coordinates of the
    nonzero entries, (N, ndim); ``as_tuple=True``: one 1-D Tensor per axis (MindSpore 2.10's
    CPU build has no kernel for it; this follows its documentation)."""
    out = P.nonzero(input)
    if not as_tuple:
        return out
    if isinstance(out, Sym):
        raise UnsupportedSyntaxError(
            "ops.nonzero(as_tuple=True): the number of axes is not known in differentiated "
            "code; use ops.nonzero(x) and index its columns (idx[:, 0], idx[:, 1])")
    return tuple(P.getitem(out, (slice(None), i)) for i in range(np.ndim(unwrap(input))))


def argwhere(input):
    """MindSpore's ``ops.argwhere(input)``: int64 coordinates (N, ndim) of the nonzeros."""
    return P.nonzero(input)


def unique(input):
    """MindSpore's ``ops.unique(input)`` (``ops.Unique()``): ``(values, indices)``, the
    distinct values of the flattened input in the order they first appear, and for each
    entry the int32 position of its value."""
    return P.unique(input, 0), P.unique(input, 1, "int32")


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """MindSpore's ``ops.unique_consecutive(input, return_inverse=False,
    return_counts=False, dim=None)``: each run of equal neighbours once (flattened; ``dim``
    other than None is refused); the int64 inverse and counts when asked for."""
    if dim is not None:
        raise UnsupportedSyntaxError("ops.unique_consecutive: dim=%r is not supported here; "
                                     "pass dim=None (the flattened input)" % (dim,))
    out = [P.unique_consecutive(input, 0)]
    if return_inverse:
        out.append(P.unique_consecutive(input, 1, "int64"))
    if return_counts:
        out.append(P.unique_consecutive(input, 2, "int64"))
    return out[0] if len(out) == 1 else tuple(out)


def unique_with_pad(x, pad_num):
    """MindSpore's ``ops.unique_with_pad(x, pad_num)``: ``(y, idx)``, the unique values in
    first-appearance order padded with ``pad_num`` to ``x``'s length, and each entry's
    position (the dtype of ``x``)."""
    values = P.unique(x, 0)
    if isinstance(values, Sym):
        raise UnsupportedSyntaxError("ops.unique_with_pad runs eagerly only here (its padding "
                                     "depends on the number of values); use ops.unique")
    data = unwrap(x)
    vals = np.asarray(unwrap(values))
    y = np.full(data.size, pad_num, data.dtype)
    y[:vals.size] = vals
    return Tensor(y), Tensor(np.asarray(unwrap(P.unique(x, 1, data.dtype.name))))


def searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None,
                 sorter=None):
    """MindSpore's ``ops.searchsorted(sorted_sequence, values, *, out_int32=False,
    right=False, side=None, sorter=None)``: for each value the index where it would be
    inserted in the (last axis of the) sorted sequence; ``right``/``side='right'``: after
    equal entries.  int64 (int32 with ``out_int32``)."""
    if sorter is not None:
        sorted_sequence = P.take_along(sorted_sequence, _const(sorter), -1)
    right = right or side == "right"
    return P.searchsorted(sorted_sequence, values, bool(right),
                          "int32" if out_int32 else "int64")


def bucketize(input, boundaries, *, right=False):
    """MindSpore's ``ops.bucketize(input, boundaries, *, right=False)``: the bucket of each
    entry among the increasing ``boundaries`` (a list or 1-D Tensor), int64 (MindSpore's CPU
    build fails on every call, measured; this follows its documentation)."""
    bounds = _const(boundaries)
    if isinstance(bounds, (list, tuple)):
        bounds = np.asarray(bounds, np.float64)
    return P.searchsorted(bounds, input, bool(right), "int64")


def _m_searchsorted(self, v, side="left", sorter=None):
    """``Tensor.searchsorted(v, side='left', sorter=None)``."""
    return searchsorted(self, v, side=side, sorter=sorter)


def _m_unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """``Tensor.unique(sorted=True, return_inverse=False, return_counts=False, dim=None)``
    (PyTorch's: the values sorted, or in first-appearance order with ``sorted=False``; the
    inverse and counts int64).  MindSpore 2.10's CPU build has no kernel for it (measured);
    ``dim`` other than None is refused."""
    if dim is not None:
        raise UnsupportedSyntaxError("Tensor.unique: dim=%r is not supported here; pass "
                                     "dim=None (the flattened input)" % (dim,))
    base = 3 if sorted else 0
    out = [P.unique(self, base)]
    if return_inverse:
        out.append(P.unique(self, base + 1, "int64"))
    if return_counts:
        out.append(P.unique(self, base + 2, "int64"))
    return out[0] if len(out) == 1 else tuple(out)


# ---------------------------------------------------------------------------------------
# scatter family
# ---------------------------------------------------------------------------------------

def scatter_add(input_x, indices, updates):
    """MindSpore's ``ops.scatter_add(input_x, indices, updates)``: ``updates`` added into
    the rows ``indices`` of ``input_x`` (repeats accumulate); a Parameter is updated in
    place (eagerly) and returned."""
    return _write_back(input_x, _reduce(input_x, _first(indices), updates, "add"))


def scatter_sub(input_x, indices, updates):
    """MindSpore's ``ops.ScatterSub()(input_x, indices, updates)`` (there is no
    ``ops.scatter_sub``): ``updates`` subtracted at rows ``indices``."""
    return _write_back(input_x, _reduce(input_x, _first(indices), updates, "sub"))


def scatter_update(input_x, indices, updates):
    """MindSpore's ``ops.scatter_update(input_x, indices, updates)``: rows ``indices``
    replaced by ``updates`` (a repeated index keeps the last)."""
    return _write_back(input_x, P.idx_put(input_x, _first(indices), updates))


def _scatter_reducer(op):
    def scatter_op(input_x, indices, updates):
        return _write_back(input_x, _reduce(input_x, _first(indices), updates, op))
    scatter_op.__name__ = "scatter_" + op
    scatter_op.__doc__ = ("MindSpore's ``ops.scatter_%s(input_x, indices, updates)``: the rows "
                          "``indices`` of ``input_x`` combined with ``updates`` by %s (repeats "
                          "accumulate)." % (op, op))
    return scatter_op


def _nd_reducer(op, name):
    def nd_op(input_x, indices, updates, use_locking=False):
        out = _reduce(input_x, _nd(indices), updates, op)
        return _write_back(input_x, out) if name.startswith("scatter") else out
    nd_op.__name__ = name
    nd_op.__doc__ = ("MindSpore's ``ops.%s(input_x, indices, updates)``: ``input_x`` combined "
                     "with ``updates`` by %s at the coordinates in the last axis of "
                     "``indices`` (repeats accumulate)." % (name, op))
    return nd_op


def scatter_nd_update(input_x, indices, updates, use_locking=True):
    """MindSpore's ``ops.scatter_nd_update(input_x, indices, updates)``: the entries at the
    coordinates ``indices`` replaced by ``updates`` (a repeated coordinate keeps the last)."""
    return _write_back(input_x, P.idx_put(input_x, _nd(indices), updates))


def tensor_scatter_elements(input_x, indices, updates, axis=0, reduction="none"):
    """MindSpore's ``ops.tensor_scatter_elements(input_x, indices, updates, axis=0,
    reduction='none')``: ``updates`` written (``'add'``: added) element by element at
    ``indices`` along ``axis``."""
    if reduction not in ("none", "add"):
        raise ValueError("For 'TensorScatterElements', reduction must be 'none' or 'add', "
                         "but got %r" % (reduction,))
    index = P.along_index(_const(indices), axis)
    if reduction == "add":
        return P.add(input_x, P.ungetitem(updates, input_x, index))
    return P.idx_put(input_x, index, updates)


def _segments(x, segment_ids, num_segments, op):
    ids = _const(segment_ids)
    n = int(_const(num_segments))
    k = 1 if isinstance(ids, Sym) else max(np.ndim(ids), 1)
    like = P.getitem(x, (np.zeros(n, np.int64),) + (0,) * (k - 1))
    start = P.extreme_like(like, op)
    return _reduce(start, (ids,) if not isinstance(ids, Sym) else (ids,), x, op)


def unsorted_segment_max(x, segment_ids, num_segments):
    """MindSpore's ``ops.unsorted_segment_max(x, segment_ids, num_segments)``: row ``s`` the
    maximum of the entries whose id is ``s`` (an empty segment: the dtype's lowest value);
    the gradient goes to the maxima."""
    return _segments(x, segment_ids, num_segments, "max")


def unsorted_segment_min(x, segment_ids, num_segments):
    """MindSpore's ``ops.unsorted_segment_min``: as ``unsorted_segment_max``, the minimum
    (an empty segment: the dtype's highest value)."""
    return _segments(x, segment_ids, num_segments, "min")


def unsorted_segment_prod(x, segment_ids, num_segments):
    """MindSpore's ``ops.unsorted_segment_prod``: the product per segment (empty: 1)."""
    return _segments(x, segment_ids, num_segments, "mul")


def _index_value(indices):
    indices = _const(indices)
    if isinstance(indices, (list, tuple)):
        indices = np.asarray(indices)
    return indices


def index_add(x, indices, y, axis, use_lock=True, check_index_bound=True):
    """MindSpore's ``ops.index_add(x, indices, y, axis, ...)``: ``y`` added into ``x`` at
    positions ``indices`` along ``axis`` (repeats accumulate); differentiable in both."""
    return _write_back(x, P.add(x, P.untake(y, x, _index_value(indices), axis)))


def _m_index_add(self, dim, index, source, *, alpha=1):
    """``Tensor.index_add(dim, index, source, *, alpha=1)``."""
    if alpha != 1:
        source = P.mul(source, alpha)
    return P.add(self, P.untake(source, self, _index_value(index), dim))


def index_fill(x, axis, index, value):
    """MindSpore's ``ops.index_fill(x, axis, index, value)``: the positions ``index`` along
    ``axis`` set to ``value`` (a number or a 0-D Tensor, which gets their gradient)."""
    index = _index_value(index)
    hit = P.untake(P.ones_like(P.take(x, index, axis)), x, index, axis)
    if isinstance(value, Tensor) or isinstance(value, Sym):
        value = P.cast_like(value, x)
    return P.where(P.greater(hit, 0), value, x)


def _index_tuple(indices):
    return tuple(_index_value(i) for i in indices)


def index_put(input, indices, values, accumulate=False):
    """MindSpore's ``Tensor.index_put(indices, values, accumulate=False)`` (MindSpore 2.10
    has no ``ops.index_put``): ``values`` written at the index tuple ``indices`` (one index Tensor
    per leading axis), or added with ``accumulate=True`` (repeats accumulate)."""
    index = _index_tuple(indices)
    if accumulate:
        return P.add(input, P.ungetitem(P.broadcast_like(values, P.getitem(input, index)),
                                        input, index))
    return P.idx_put(input, index, values)


def masked_scatter(input, mask, source):
    """MindSpore's ``Tensor.masked_scatter(mask, source)`` (no ``ops.masked_scatter`` in
    MindSpore 2.10): the entries where ``mask``
    (broadcast to ``input``) is True replaced, in order, by the first entries of
    ``source``; differentiable in both."""
    full = P.greater(P.broadcast_like(P.astype(mask, "int8"), input), 0)
    order = P.cumsum(P.astype(P.reshape(full, (-1,)), "int64"), 0)
    order = P.maximum(P.sub(order, 1), 0)
    picked = P.take(P.reshape(source, (-1,)), order, 0)
    return P.where(full, P.reshape(picked, P.shape(input)), input)


def select_scatter(input, src, axis, index):
    """MindSpore's ``ops.select_scatter(input, src, axis, index)``: ``src`` written as the
    slice ``index`` of ``axis``."""
    return P.idx_put(input, _axis_index(axis, int(index)), src)


def slice_scatter(input, src, axis=0, start=None, end=None, step=1):
    """MindSpore's ``ops.slice_scatter(input, src, axis=0, start=None, end=None, step=1)``:
    ``src`` written into the slice ``start:end:step`` of ``axis``."""
    return P.idx_put(input, _axis_index(axis, slice(start, end, step)), src)


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    """MindSpore's ``ops.diagonal_scatter(input, src, offset=0, dim1=0, dim2=1)``: ``src``
    written on that diagonal (``src`` shaped like ``ops.diagonal``'s result)."""
    return P.idx_put(input, P.diag_index(_const(input), offset, dim1, dim2), src)


def _m_scatter(self, dim, index, src=None, *, value=None, reduce=None):
    """``Tensor.scatter(dim, index, src)`` / ``(dim, index, value)``: ``src`` (or the number
    ``value``) written element by element at ``index`` along ``dim``; ``reduce='add'`` adds
    (repeats accumulate)."""
    src = value if src is None else src
    index = P.along_index(_const(index), dim)
    if not isinstance(src, (Tensor, Sym)):
        src = P.cast_like(P.full(P.shape(P.getitem(self, index)), src, "float64"), self)
    if reduce == "add":
        return P.add(self, P.ungetitem(src, self, index))
    if reduce is not None:
        raise ValueError("Tensor.scatter: reduce must be None or 'add', got %r" % (reduce,))
    return P.idx_put(self, index, src)


def _m_scatter_add(self, dim, index, src):
    """``Tensor.scatter_add(dim, index, src)``: ``src`` added element by element at
    ``index`` along ``dim`` (repeats accumulate)."""
    return P.add(self, P.ungetitem(src, self, P.along_index(_const(index), dim)))


def inplace_update(x, v, indices):
    """MindSpore's ``ops.inplace_update(x, v, indices)``: the rows ``indices`` (an int, a
    tuple or an int Tensor) replaced by ``v`` (a repeated row keeps the last)."""
    return P.idx_put(x, _first(np.atleast_1d(_const(indices))
                               if not isinstance(_const(indices), Sym) else indices), v)


def inplace_add(x, v, indices):
    """MindSpore's ``ops.inplace_add(x, v, indices)``: ``v`` added to the rows ``indices``
    (repeats accumulate)."""
    idx = _const(indices)
    return _reduce(x, _first(np.atleast_1d(idx) if not isinstance(idx, Sym) else idx), v,
                   "add")


def inplace_sub(x, v, indices):
    """MindSpore's ``ops.inplace_sub(x, v, indices)``: ``v`` subtracted from the rows."""
    idx = _const(indices)
    return _reduce(x, _first(np.atleast_1d(idx) if not isinstance(idx, Sym) else idx), v,
                   "sub")


def top_k(input_x, k, sorted=True):
    """MindSpore's ``ops.top_k(input_x, k, sorted=True)``: ``(values, int32 indices)`` of
    the ``k`` largest along the last axis (the older name of ``ops.topk``)."""
    return _topk(input_x, k, None, True, sorted)


# ---------------------------------------------------------------------------------------
# shapes
# ---------------------------------------------------------------------------------------

def _axes(a):
    return tuple(a) if isinstance(a, (list, tuple)) else a


def moveaxis(x, source, destination):
    """MindSpore's ``ops.moveaxis`` / ``ops.movedim(x, source, destination)``: the axes
    ``source`` (an int or a tuple) moved to ``destination``."""
    return P.moveaxis(x, _axes(source), _axes(destination))


def _m_moveaxis(self, source, destination):
    """``Tensor.moveaxis`` / ``Tensor.movedim(source, destination)``."""
    return moveaxis(self, source, destination)


def _atleast(inputs, n):
    if isinstance(inputs, (list, tuple)):
        return tuple(P.atleast(t, n) for t in inputs)
    return P.atleast(inputs, n)


def atleast_1d(inputs):
    """MindSpore's ``ops.atleast_1d(inputs)``: a Tensor (or each of a sequence, a tuple)
    with at least one axis."""
    return _atleast(inputs, 1)


def atleast_2d(inputs):
    """MindSpore's ``ops.atleast_2d(inputs)``: at least two axes (a vector: (1, n))."""
    return _atleast(inputs, 2)


def atleast_3d(inputs):
    """MindSpore's ``ops.atleast_3d(inputs)``: at least three axes ((n,): (1, n, 1))."""
    return _atleast(inputs, 3)


def _join(parts, axis):
    out = parts[0]
    for t in parts[1:]:
        out = P.concat2(out, t, axis=axis)
    return out


def hstack(tensors):
    """MindSpore's ``ops.hstack(tensors)``: joined along axis 1 (vectors: along 0)."""
    parts = [P.atleast(t, 1) for t in tensors]
    return _join(parts, P.hstack_axis(parts[0]))


def vstack(inputs):
    """MindSpore's ``ops.vstack`` / ``ops.row_stack``: joined along axis 0, vectors as
    rows."""
    return _join([P.atleast(t, 2) for t in inputs], 0)


def dstack(tensors):
    """MindSpore's ``ops.dstack(tensors)``: joined along axis 2 (``atleast_3d`` first)."""
    return _join([P.atleast(t, 3) for t in tensors], 2)


def column_stack(tensors):
    """MindSpore's ``ops.column_stack(tensors)``: vectors as columns, joined along axis 1."""
    return _join([P.atleast(t, "col") for t in tensors], 1)


def hsplit(input, indices_or_sections):
    """MindSpore's ``ops.hsplit(input, indices_or_sections)``: ``tensor_split`` along axis
    1 (MindSpore refuses a 1-D input)."""
    if not has_sym(input) and np.ndim(unwrap(input)) < 2:
        raise ValueError("hsplit expect `x` is a Tensor with at least 2 dimension, but got %d"
                         % np.ndim(unwrap(input)))
    return _tensor_split(input, _const(indices_or_sections), 1)


def reverse(x, axis):
    """MindSpore's ``ops.reverse(x, axis)``: reversed along the axes ``axis``."""
    return _flip(x, axis)


def reverse_sequence(x, seq_lengths, seq_dim, batch_dim=0):
    """MindSpore's ``ops.reverse_sequence(x, seq_lengths, seq_dim, batch_dim=0)``: in batch
    ``b`` the first ``seq_lengths[b]`` entries along ``seq_dim`` reversed."""
    index = P.revseq_index(x, _const(seq_lengths), seq_dim, batch_dim)
    return P.take_along(x, index, seq_dim)


def mirror_pad(input_x, paddings, mode):
    """MindSpore's ``ops.mirror_pad(input_x, paddings, mode)``: ``paddings`` (ndim, 2)
    before/after per axis, mirrored ``'REFLECT'`` (edge not repeated) or ``'SYMMETRIC'``."""
    pads = _const(paddings)
    if isinstance(pads, Sym):  # (a Tensor made in differentiated code: read when it runs)
        return P.pad(input_x, P.pad_widths(pads), mode.lower())
    return P.pad(input_x, rules_index.idx_pad_widths(pads), mode.lower())


def _block(block, m):
    return (int(block),) * m if np.ndim(block) == 0 else tuple(int(b) for b in block)


def space_to_batch_nd(input_x, block_size, paddings):
    """MindSpore's ``ops.space_to_batch_nd(input_x, block_size, paddings)``: the last
    ``len(paddings)`` axes padded and cut into blocks moved to the batch axis."""
    pads = tuple(tuple(int(v) for v in p) for p in np.asarray(_const(paddings)))
    return P.space_to_batch(input_x, _block(_const(block_size), len(pads)), pads)


def batch_to_space_nd(input_x, block_shape, crops):
    """MindSpore's ``ops.batch_to_space_nd(input_x, block_shape, crops)``: the inverse of
    ``space_to_batch_nd``, ``crops`` cut afterwards."""
    crop = tuple(tuple(int(v) for v in p) for p in np.asarray(_const(crops)))
    return P.batch_to_space(input_x, _block(_const(block_shape), len(crop)), crop)


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """MindSpore's ``ops.unfold(input, kernel_size, dilation=1, padding=0, stride=1)``
    (im2col): (N, C, H, W) to (N, C*kh*kw, L); differentiable (its adjoint is fold)."""
    return P.im2col(input, _const(kernel_size), _const(dilation), _const(padding),
                    _const(stride))


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """MindSpore's ``ops.fold(input, output_size, kernel_size, dilation=1, padding=0,
    stride=1)`` (col2im): (N, C*kh*kw, L) summed into (N, C, H, W)."""
    size = _const(output_size)
    if not isinstance(size, Sym):
        size = tuple(int(v) for v in np.ravel(size))
    return P.col2im(input, size, _const(kernel_size), _const(dilation), _const(padding),
                    _const(stride))


def ptp(input, axis=None, keepdims=False):
    """``Tensor.ptp(axis=None, keepdims=False)``: max minus min along ``axis``."""
    return P.sub(P.max(input, axis, keepdims), P.min(input, axis, keepdims))


def _m_choose(self, choices, mode="clip"):
    """``Tensor.choose(choices, mode='clip')``: entry ``i`` of ``choices[self[i]]``
    (``self`` an int Tensor broadcast against each choice; ``mode`` 'clip' or 'wrap' an
    index out of range); differentiable in the choices."""
    listed = isinstance(choices, (list, tuple))
    stacked = _join([P.expand_dims(c, 0) for c in choices], 0) if listed else choices
    n = len(choices) if listed else None
    idx = _const(self)
    if n is None:
        n = P.getitem(P.shape(stacked), 0) if has_sym(stacked) else np.shape(unwrap(stacked))[0]
    idx = P.minimum(P.maximum(idx, 0), P.sub(n, 1)) if mode == "clip" else P.mod(idx, n)
    if not has_sym(stacked) and not has_sym(idx):
        shape = np.broadcast_shapes(np.shape(idx), np.shape(unwrap(stacked))[1:])
        stacked = P.broadcast_to(stacked, (np.shape(unwrap(stacked))[0],) + shape)
        idx = np.broadcast_to(idx, shape)
    else:
        idx = P.broadcast_like(idx, P.getitem(stacked, 0))
    return P.getitem(P.take_along(stacked, P.expand_dims(idx, 0), 0), 0)


def _m_sum_to_size(self, *size):
    """``Tensor.sum_to_size(*size)``: summed down to ``size`` (a shape ``self`` broadcasts
    from)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    return P.unbroadcast(self, P.full(tuple(int(s) for s in size), 0, "int8"))


def _size(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(int(s) for s in size[0])
    return tuple(int(s) for s in size)


def _m_resize(self, *new_shape):
    """``Tensor.resize(*new_shape)``: the values in order cut or padded with zeros to
    ``new_shape`` (a new Tensor, as MindSpore 2.10 measured; no gradient)."""
    return P.resized(self, _size(new_shape))


def _new(self, size, value, dtype):
    out = P.full(_shape_of(size), value, _np_dtype(dtype, "float64"))
    return out if dtype is not None else P.cast_like(out, self)


def _m_new_zeros(self, size, dtype=None):
    """MindSpore's ``Tensor.new_zeros(size, dtype=None)``: zeros of ``size`` (a shape known
    at run time too) in ``dtype`` (None: this Tensor's); no gradient to ``self``."""
    return _wrap(_new(self, (size,), 0, dtype))


def _m_new_ones(self, size, dtype=None):
    """MindSpore's ``Tensor.new_ones(size, dtype=None)``: ones, as :func:`_m_new_zeros`."""
    return _wrap(_new(self, (size,), 1, dtype))


def _m_new_full(self, size, fill_value, *, dtype=None):
    """MindSpore's ``Tensor.new_full(size, fill_value, *, dtype=None)``."""
    return _wrap(_new(self, (size,), _const(fill_value), dtype))


def _m_new_empty(self, *size, dtype=None, device=None):
    """``Tensor.new_empty(size, *, dtype=None)``: a new Tensor of ``size`` in ``self``'s
    dtype (zeros here)."""
    return _wrap(_new(self, size, 0, dtype))


def _m_unbind(self, dim=0):
    """``Tensor.unbind(dim=0)``: the slices along ``dim``."""
    return _unbind(self, dim)


# ---------------------------------------------------------------------------------------
# random (no gradient; drawn when the code runs, in differentiated code too)
# ---------------------------------------------------------------------------------------

def draw(kind, shape, a=0.0, b=1.0, dtype="float32", seed=0, seed2=0):
    """One draw of the ``rand`` primitive (see :func:`autograd_st.rules_index.idx_rand` for
    ``kind``), emitted in differentiated code; the primitive classes call it with their
    ``seed``/``seed2`` attributes."""
    return _draw("rand", kind=kind, shape=shape, a=a, b=b, dtype=dtype, seed=int(seed),
                 seed2=int(seed2))


def _draw(name, **args):
    """Call random primitive ``name``: under the compiler always emitted (never run once
    and folded into the generated code), eagerly a new Tensor."""
    args = {k: _const(v) for k, v in args.items()}
    builder = current_builder()
    if builder is not None:
        return builder.emit_prim(REGISTRY[name], args)
    return Tensor(np.asarray(getattr(P, name)(**args)))


def _seed(seed):
    return 0 if seed is None else int(seed)


def _shape_of(size):
    """A shape given as ``*size`` or one sequence; under the compiler, a value known only at
    run time (``x.shape``, ``x.shape[0]``) stays one, read when the draw runs."""
    if len(size) == 1 and (isinstance(size[0], (tuple, list)) or has_sym(size[0])):
        size = size[0] if has_sym(size[0]) and not isinstance(size[0], (tuple, list)) \
            else tuple(size[0])
        if has_sym(size) and not isinstance(size, tuple):
            return size
    if has_sym(size):
        return tuple(size)
    return tuple(int(s) for s in size)


def _like_dtype(out, input, dtype, default=None):
    if dtype is not None:
        return P.astype(out, _np_dtype(dtype))
    if default is not None:
        return P.astype(out, default)
    return P.cast_like(out, input)


def rand(*size, dtype=None, seed=None):
    """MindSpore's ``ops.rand(*size, dtype=None, seed=None)``: uniform in [0, 1), float32
    unless ``dtype``."""
    return _draw("rand", kind="uniform", shape=_shape_of(size), a=0.0, b=1.0,
                 dtype=_np_dtype(dtype, "float32"), seed=_seed(seed), kernel="rand")


def randn(*size, dtype=None, seed=None):
    """MindSpore's ``ops.randn(*size, dtype=None, seed=None)``: standard normal, float32
    unless ``dtype``."""
    return _draw("rand", kind="normal", shape=_shape_of(size), a=0.0, b=1.0,
                 dtype=_np_dtype(dtype, "float32"), seed=_seed(seed), kernel="randn")


def _int_dtype(dtype, what):
    name = _np_dtype(dtype, "int64")
    if np.dtype(name).kind not in "iu":
        raise ValueError("For '%s', the 'dtype' must be an int type, but got %s."
                         % (what, mstype.to_mindspore(name) if hasattr(mstype, "to_mindspore")
                            else name))
    return name


def randint(low, high, size, seed=None, *, dtype=None):
    """MindSpore's ``ops.randint(low, high, size, seed=None, *, dtype=None)``: integers in
    ``[low, high)``, int64 (an int ``dtype`` only)."""
    return _draw("rand", kind="int", shape=_shape_of((size,)), a=int(low), b=int(high),
                 dtype=_int_dtype(dtype, "randint"), seed=_seed(seed), kernel="randint")


def _shape_like(input):
    return P.shape(input) if has_sym(input) else tuple(np.shape(unwrap(input)))


def rand_like(input, seed=None, *, dtype=None):
    """MindSpore's ``ops.rand_like(input, seed=None, *, dtype=None)``: uniform [0, 1) shaped
    like ``input``, in its dtype unless ``dtype``."""
    out = _draw("rand", kind="uniform", shape=_shape_like(input), a=0.0, b=1.0,
                dtype="float64", seed=_seed(seed), kernel="rand_like")
    return _like_dtype(out, input, dtype)


def randn_like(input, seed=None, *, dtype=None):
    """MindSpore's ``ops.randn_like(input, seed=None, *, dtype=None)``: standard normal
    shaped like ``input``; float32 unless ``dtype`` (a float64 input too, measured)."""
    return _draw("rand", kind="normal", shape=_shape_like(input), a=0.0, b=1.0,
                 dtype=_np_dtype(dtype, "float32"), seed=_seed(seed), kernel="randn_like")


def randint_like(input, low, high, seed=None, *, dtype=None):
    """MindSpore's ``ops.randint_like(input, low, high, seed=None, *, dtype=None)``:
    integers in ``[low, high)`` shaped like ``input``, in its dtype (which must be an int
    type) unless ``dtype``."""
    name = _int_dtype(dtype if dtype is not None else
                      (None if has_sym(input) else unwrap(input).dtype), "randint_like")
    return _draw("rand", kind="int", shape=_shape_like(input), a=int(low), b=int(high),
                 dtype=name, seed=_seed(seed), kernel="randint_like")


def uniform(shape, minval, maxval, seed=None, dtype=mstype.float32):
    """MindSpore's ``ops.uniform(shape, minval, maxval, seed=None, dtype=float32)``: uniform
    in ``[minval, maxval)`` (an int ``dtype``: integers)."""
    name = _np_dtype(dtype, "float32")
    kind = "int" if np.dtype(name).kind in "iu" else "uniform"
    a, b = _const(minval), _const(maxval)
    if kind == "int":
        a, b = int(a), int(b)
    return _draw("rand", kind=kind, shape=_shape_of((shape,)), a=a, b=b, dtype=name,
                 seed=_seed(seed), kernel="uniform")


def normal(shape, mean, stddev, seed=None):
    """MindSpore's ``ops.normal(shape, mean, stddev, seed=None)``: normal draws, float32
    (``mean`` and ``stddev`` broadcast against ``shape``)."""
    return _draw("rand", kind="normal", shape=_shape_of((shape,)), a=_const(mean),
                 b=_const(stddev), dtype="float32", seed=_seed(seed), kernel="normal")


def standard_normal(shape, seed=None):
    """MindSpore's ``ops.standard_normal(shape, seed=None)``: float32."""
    return _draw("rand", kind="normal", shape=_shape_of((shape,)), a=0.0, b=1.0,
                 dtype="float32", seed=_seed(seed), kernel="standard_normal")


def bernoulli(input, p=0.5, seed=None):
    """MindSpore's ``ops.bernoulli(input, p=0.5, seed=None)``: 0/1 draws with probability
    ``p`` (a number or a Tensor) shaped and typed like ``input``."""
    out = _draw("rand", kind="bernoulli", shape=_shape_like(input), a=_const(p), b=0.0,
                dtype="float64", seed=_seed(seed))
    return P.cast_like(out, input)


def multinomial(input, num_samples, replacement=True, seed=None):
    """MindSpore's ``ops.multinomial(input, num_samples, replacement=True, seed=None)``:
    ``num_samples`` class indices per row of the weights ``input``, int32."""
    return _draw("rand_multinomial", probs=input, num_samples=int(num_samples),
                 replacement=bool(replacement), seed=_seed(seed))


def randperm(n, seed=0, offset=0, dtype=mstype.int64):
    """MindSpore's ``ops.randperm(n, seed=0, offset=0, dtype=int64)``: a permutation of
    ``range(n)``, the same for the same ``(seed, offset)``."""
    return _draw("rand_permutation", n=int(_const(n)), seed=int(seed), offset=int(offset),
                 dtype=_np_dtype(dtype, "int64"))


def shuffle(x, seed=None):
    """MindSpore's ``ops.shuffle(x, seed=None)``: ``x`` with its first axis permuted (no
    gradient)."""
    return _draw("rand_shuffle", x=x, seed=_seed(seed))


def _param_shape(shape, *params):
    extra = np.broadcast_shapes(*[np.shape(_const(p)) for p in params])
    return _shape_of((shape,)) + tuple(extra)


def gamma(shape, alpha, beta, seed=None):
    """MindSpore's ``ops.gamma(shape, alpha, beta, seed=None)``: gamma draws of shape
    ``shape + broadcast(alpha, beta).shape`` (``beta`` the rate: scale ``1 / beta``);
    MindSpore 2.10's CPU build has no kernel (measured), this follows its documentation."""
    full = _param_shape(shape, alpha, beta)
    a = np.broadcast_to(np.asarray(_const(alpha), np.float64), full)
    b = 1.0 / np.broadcast_to(np.asarray(_const(beta), np.float64), full)
    return _draw("rand", kind="gamma", shape=full, a=a, b=b, dtype="float32",
                 seed=_seed(seed))


def poisson(shape, mean, seed=None):
    """MindSpore's ``ops.poisson(shape, mean, seed=None)``: Poisson counts of shape
    ``shape + mean.shape``, float32 (its documentation; no CPU kernel in 2.10)."""
    full = _param_shape(shape, mean)
    lam = np.broadcast_to(np.asarray(_const(mean), np.float64), full)
    return _draw("rand", kind="poisson", shape=full, a=lam, b=0.0, dtype="float32",
                 seed=_seed(seed))


def laplace(shape, mean, lambda_param, seed=None):
    """MindSpore's ``ops.laplace(shape, mean, lambda_param, seed=None)``: Laplace draws
    (location ``mean``, scale ``lambda_param``), float32."""
    full = _shape_of((shape,))
    return _draw("rand", kind="laplace", shape=full,
                 a=np.broadcast_to(np.asarray(_const(mean), np.float64), full),
                 b=np.broadcast_to(np.asarray(_const(lambda_param), np.float64), full),
                 dtype="float32", seed=_seed(seed))


def choice_with_mask(input_x, count=256, seed=None):
    """MindSpore's ``ops.choice_with_mask(input_x, count=256, seed=None)``
    (``ops.RandomChoiceWithMask``): ``(index, mask)``, the int32 coordinates (count, ndim)
    of up to ``count`` True entries of the bool ``input_x`` in random order (zeros after
    them) and the bool mask of the rows that hold one."""
    return _choice_with_mask(input_x, count, _seed(seed), 0)


def choice_with_mask_seeded(input_x, count, seed, seed2):
    """:func:`choice_with_mask` with both seeds (``ops.RandomChoiceWithMask``'s)."""
    return _choice_with_mask(input_x, count, int(seed), int(seed2))


def _choice_with_mask(input_x, count, seed, seed2):
    both = _draw("rand_choice_mask", x=input_x, count=int(count), seed=seed, seed2=seed2)
    return (P.getitem(both, (slice(None), slice(None, -1))),
            P.greater(P.getitem(both, (slice(None), -1)), 0))


def random_categorical(logits, num_sample, seed=0, dtype=mstype.int64):
    """MindSpore's ``ops.random_categorical(logits, num_sample, seed=0, dtype=int64)``:
    ``num_sample`` class draws per row of ``logits`` (2-D, unnormalized log-probabilities)."""
    probs = P.softmax(P.stop_gradient(logits), -1)
    out = _draw("rand_multinomial", probs=probs, num_samples=int(num_sample),
                replacement=True, seed=_seed(seed))
    return P.astype(out, _np_dtype(dtype, "int64"))


# ---------------------------------------------------------------------------------------
# Tensor in-place methods: eagerly they write into the Tensor; refused when differentiated
# ---------------------------------------------------------------------------------------

IN_PLACE_METHODS = frozenset({
    "add_", "sub_", "mul_", "div_", "remainder_", "floor_divide_", "masked_fill_", "copy_",
    "clamp_", "fill_diagonal_", "index_add_", "index_fill_", "index_put_", "masked_scatter_",
    "scatter_", "scatter_add_"})
"""The Tensor methods below that write their result into their Tensor and return it."""

FUNCTIONAL_IN_PLACE: contextvars.ContextVar = contextvars.ContextVar("functional_in_place",
                                                                      default=None)
"""Set by the compiler (a list) around ``name.add_(...)`` on a runtime value that only that
name holds: the method then gives its result as a new value (in ``self``'s dtype) and
appends its name to the list; the compiler binds the name to it (compiler/normalize_calls)."""


def _in_place(self, out, name, instead):
    if has_sym(self) or isinstance(out, Sym):
        done = FUNCTIONAL_IN_PLACE.get()
        if done is not None and isinstance(self, Sym):
            done.append(name)
            return P.cast_like(out, self)
        raise UnsupportedSyntaxError(
            "Tensor.%s writes into its Tensor, which differentiated code cannot do; write "
            "the result to a name instead: %s" % (name, instead))
    _store(self, out)
    return self


def _store(self, out):
    """Write ``out`` into ``self``'s array (cast to its dtype), in place where it can be."""
    data = np.asarray(unwrap(out))
    if self._data.flags.writeable:
        np.copyto(self._data, data, casting="unsafe")
    else:
        object.__setattr__(self, "_data", np.broadcast_to(data, self.shape)
                           .astype(self._data.dtype))


def _m_add_(self, other, *, alpha=1):
    """``Tensor.add_(other, *, alpha=1)``: ``self += alpha * other`` in place."""
    return _in_place(self, P.add(self, P.mul(other, alpha) if alpha != 1 else other), "add_",
                     "y = x + other")


def _m_sub_(self, other, *, alpha=1):
    """``Tensor.sub_(other, *, alpha=1)``: ``self -= alpha * other`` in place."""
    return _in_place(self, P.sub(self, P.mul(other, alpha) if alpha != 1 else other), "sub_",
                     "y = x - other")


def _m_mul_(self, other):
    """``Tensor.mul_(other)``: ``self *= other`` in place."""
    return _in_place(self, P.mul(self, other), "mul_", "y = x * other")


def _m_div_(self, other, *, rounding_mode=None):
    """``Tensor.div_(other)``: ``self /= other`` in place."""
    return _in_place(self, P.div(self, other), "div_", "y = x / other")


def _m_remainder_(self, other):
    """``Tensor.remainder_(other)``: ``self %= other`` in place (Python's sign rule)."""
    return _in_place(self, P.mod(self, other), "remainder_", "y = ops.remainder(x, other)")


def _m_floor_divide_(self, other):
    """``Tensor.floor_divide_(other)``: ``self //= other`` in place."""
    return _in_place(self, P.floordiv(self, other), "floor_divide_", "y = x // other")


def _m_masked_fill_(self, mask, value):
    """``Tensor.masked_fill_(mask, value)``: in place."""
    return _in_place(self, P.where(mask, value, self), "masked_fill_",
                     "y = x.masked_fill(mask, value)")


def _m_copy_(self, src, non_blocking=False):
    """``Tensor.copy_(src)``: ``src`` (broadcast, cast to ``self``'s dtype) written into
    ``self``."""
    return _in_place(self, P.add(P.zeros_like(self), P.cast_like(src, self)), "copy_",
                     "y = ops.broadcast_to(src, x.shape)")


def _m_clamp_(self, min=None, max=None):
    """``Tensor.clamp_(min=None, max=None)``: clamped in place."""
    out = self
    if min is not None:
        out = P.maximum(out, min)
    if max is not None:
        out = P.minimum(out, max)
    return _in_place(self, out, "clamp_", "y = ops.clamp(x, min, max)")


def _m_fill_diagonal_(self, fill_value, wrap=False):
    """``Tensor.fill_diagonal_(fill_value, wrap=False)``: the main diagonal (all axes equal
    index) set in place; a tall matrix with ``wrap`` restarts it every ``cols + 1`` rows, as
    PyTorch's and numpy's ``fill_diagonal``."""
    if has_sym(self):
        _in_place(self, self, "fill_diagonal_", "y = ops.diagonal_scatter(x, values)")
    data = np.array(unwrap(self))
    np.fill_diagonal(data, fill_value, wrap=wrap)
    return _in_place(self, data, "fill_diagonal_", "")


def _m_index_add_(self, dim, index, source, *, alpha=1):
    """``Tensor.index_add_(dim, index, source, *, alpha=1)``: in place."""
    return _in_place(self, _m_index_add(self, dim, index, source, alpha=alpha), "index_add_",
                     "y = x.index_add(dim, index, source)")


def _m_index_fill_(self, dim, index, value):
    """``Tensor.index_fill_(dim, index, value)``: in place."""
    return _in_place(self, index_fill(self, dim, index, value), "index_fill_",
                     "y = ops.index_fill(x, dim, index, value)")


def _m_index_put_(self, indices, values, accumulate=False):
    """``Tensor.index_put_(indices, values, accumulate=False)``: in place."""
    return _in_place(self, index_put(self, indices, values, accumulate), "index_put_",
                     "y = x.index_put(indices, values)")


def _m_masked_scatter_(self, mask, source):
    """``Tensor.masked_scatter_(mask, source)``: in place."""
    return _in_place(self, masked_scatter(self, mask, source), "masked_scatter_",
                     "y = x.masked_scatter(mask, source)")


def _m_scatter_(self, dim, index, src=None, *, value=None, reduce=None):
    """``Tensor.scatter_(dim, index, src)``: in place."""
    return _in_place(self, _m_scatter(self, dim, index, src, value=value, reduce=reduce),
                     "scatter_", "y = x.scatter(dim, index, src)")


def _m_scatter_add_(self, dim, index, src):
    """``Tensor.scatter_add_(dim, index, src)``: in place."""
    return _in_place(self, _m_scatter_add(self, dim, index, src), "scatter_add_",
                     "y = x.scatter_add(dim, index, src)")


def _fill_random(self, out):
    """A random fill: eagerly written into ``self``; in differentiated code the draw."""
    if has_sym(self):
        return P.cast_like(out, self)
    _store(self, out)
    return self


def _m_uniform_(self, from_=0, to=1, *, generator=None):
    """``Tensor.uniform_(from_=0, to=1)``: filled with uniform draws in ``[from_, to)``."""
    return _fill_random(self, _draw("rand", kind="uniform", shape=_shape_like(self),
                                    a=float(from_), b=float(to), dtype="float64"))


def _m_normal_(self, mean=0, std=1, *, generator=None):
    """``Tensor.normal_(mean=0, std=1)``: filled with normal draws."""
    return _fill_random(self, _draw("rand", kind="normal", shape=_shape_like(self),
                                    a=float(mean), b=float(std), dtype="float64"))


def _m_random_(self, from_=0, to=None, *, generator=None):
    """``Tensor.random_(from_=0, to=None)``: filled with integers in ``[from_, to)`` (``to``
    None: ``[0, from_)`` when ``from_`` is given alone as PyTorch's, else up to 2**24)."""
    low, high = (0, from_) if to is None and from_ else (from_, to if to is not None
                                                         else 2 ** 24)
    return _fill_random(self, _draw("rand", kind="int", shape=_shape_like(self), a=int(low),
                                    b=int(high), dtype="int64"))


def _m_bernoulli_(self, p=0.5, *, generator=None):
    """``Tensor.bernoulli_(p=0.5)``: filled with 0/1 draws, 1 with probability ``p``."""
    return _fill_random(self, _draw("rand", kind="bernoulli", shape=_shape_like(self),
                                    a=_const(p), b=0.0, dtype="float64"))


def _m_bernoulli(self, p=0.5, seed=None, *, generator=None):
    """``Tensor.bernoulli(p=0.5, seed=None)``."""
    return bernoulli(self, p, seed)


# ---------------------------------------------------------------------------------------
# Tensor methods of the functional ops above (MindSpore 2.10's signatures, measured)
# ---------------------------------------------------------------------------------------

def _m_uniform(self, from_=0.0, to=1.0, generator=None):
    """``Tensor.uniform(from_=0.0, to=1.0)``: a new Tensor shaped and typed like ``self``,
    uniform in ``[from_, to)`` (MindSpore 2.10's CPU build has no kernel; its
    documentation)."""
    out = _draw("rand", kind="uniform", shape=_shape_like(self), a=_const(from_), b=_const(to),
                dtype="float64")
    return P.cast_like(out, self)


def _m_exponential_(self, lambd=1, *, generator=None):
    """``Tensor.exponential_(lambd=1)``: filled with exponential draws of rate ``lambd``."""
    return _fill_random(self, _draw("rand", kind="exponential", shape=_shape_like(self),
                                    a=1.0 / float(lambd), b=0.0, dtype="float64"))


def _m_reverse_sequence(self, seq_lengths, seq_dim=0, batch_dim=0):
    """``Tensor.reverse_sequence(seq_lengths, seq_dim=0, batch_dim=0)``."""
    return reverse_sequence(self, seq_lengths, seq_dim, batch_dim)


def _m_multinomial(self, num_samples, replacement=True, seed=None):
    """``Tensor.multinomial(num_samples, replacement=True, seed=None)``."""
    return multinomial(self, num_samples, replacement, seed)


def _m_fold(self, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """``Tensor.fold(output_size, kernel_size, dilation=1, padding=0, stride=1)``."""
    return fold(self, output_size, kernel_size, dilation, padding, stride)


def _m_hsplit(self, indices_or_sections):
    """``Tensor.hsplit(indices_or_sections)``."""
    return hsplit(self, indices_or_sections)


def _method_of(fn, name, params):
    def method(self, *args, **kwargs):
        return fn(self, *args, **kwargs)
    method.__name__ = name
    method.__doc__ = "``Tensor.%s(%s)``: ``ops.%s(self, ...)``." % (name, params, fn.__name__)
    return method


def _m_random_categorical(self, num_sample, seed=0, dtype=mstype.int64):
    """``Tensor.random_categorical(num_sample, seed=0, dtype=int64)``."""
    return random_categorical(self, num_sample, seed, dtype)


def _m_fill_diagonal(self, fill_value, wrap=False):
    """``Tensor.fill_diagonal(fill_value, wrap=False)``: a new Tensor with the main diagonal
    set (``self`` unchanged, measured); ``wrap`` (a tall matrix's diagonal restarted every
    ``cols + 1`` rows) runs eagerly only."""
    if wrap:
        if has_sym(self):
            raise UnsupportedSyntaxError("Tensor.fill_diagonal(wrap=True) runs eagerly only "
                                         "here; write the diagonals with ops.diagonal_scatter")
        data = np.array(unwrap(self))
        np.fill_diagonal(data, fill_value, wrap=True)
        return Tensor(data)
    return P.idx_put(self, P.diag_index(_const(self)), fill_value)


def _m_inplace_update(self, v, indices):
    """``Tensor.inplace_update(v, indices)``: a new Tensor (``ops.inplace_update``)."""
    return inplace_update(self, v, indices)


# ---------------------------------------------------------------------------------------
# the rows
# ---------------------------------------------------------------------------------------

OPS: tuple[Op, ...] = (
    # index results
    Op("nonzero", fn=nonzero, ops=("nonzero",), methods=("nonzero",)),
    Op("nonzero", fn=argwhere, classes=("NonZero",)),
    Op("nonzero", fn=argwhere, ops=("argwhere",), methods=("argwhere",)),
    Op("unique", fn=unique, ops=("unique",), classes=("Unique",)),
    Op("unique", fn=_m_unique, methods=("unique",)),
    Op("unique_consecutive", fn=unique_consecutive, ops=("unique_consecutive",)),
    Op("unique", fn=unique_with_pad, ops=("unique_with_pad",)),
    Op("searchsorted", fn=searchsorted, ops=("searchsorted",)),
    Op("searchsorted", fn=_m_searchsorted, methods=("searchsorted",)),
    Op("searchsorted", fn=bucketize, ops=("bucketize",)),
    # scatter family
    Op("ungetitem", fn=scatter_add, ops=("scatter_add",)),
    Op("idx_put", fn=scatter_update, ops=("scatter_update",)),
    Op("idx_reduce", fn=_scatter_reducer("max"), ops=("scatter_max",)),
    Op("idx_reduce", fn=_scatter_reducer("min"), ops=("scatter_min",)),
    Op("idx_reduce", fn=_scatter_reducer("mul"), ops=("scatter_mul",)),
    Op("idx_reduce", fn=_scatter_reducer("div"), ops=("scatter_div",)),
    Op("idx_put", fn=scatter_nd_update, ops=("scatter_nd_update",)),
    Op("ungetitem", fn=_nd_reducer("add", "scatter_nd_add"), ops=("scatter_nd_add",)),
    Op("ungetitem", fn=_nd_reducer("sub", "scatter_nd_sub"), ops=("scatter_nd_sub",)),
    Op("idx_reduce", fn=_nd_reducer("mul", "scatter_nd_mul"), ops=("scatter_nd_mul",)),
    Op("idx_reduce", fn=_nd_reducer("div", "scatter_nd_div"), ops=("scatter_nd_div",)),
    Op("idx_reduce", fn=_nd_reducer("max", "scatter_nd_max"), ops=("scatter_nd_max",)),
    Op("idx_reduce", fn=_nd_reducer("min", "scatter_nd_min"), ops=("scatter_nd_min",)),
    Op("ungetitem", fn=_nd_reducer("sub", "tensor_scatter_sub"), ops=("tensor_scatter_sub",),
       classes=("TensorScatterSub",)),
    Op("idx_reduce", fn=_nd_reducer("mul", "tensor_scatter_mul"),
       ops=("tensor_scatter_mul",), classes=("TensorScatterMul",)),
    Op("idx_reduce", fn=_nd_reducer("div", "tensor_scatter_div"),
       ops=("tensor_scatter_div",), classes=("TensorScatterDiv",)),
    Op("idx_reduce", fn=_nd_reducer("max", "tensor_scatter_max"),
       ops=("tensor_scatter_max",), classes=("TensorScatterMax",)),
    Op("idx_reduce", fn=_nd_reducer("min", "tensor_scatter_min"),
       ops=("tensor_scatter_min",), classes=("TensorScatterMin",)),
    Op("idx_put", fn=tensor_scatter_elements, ops=("tensor_scatter_elements",)),
    Op("idx_reduce", fn=unsorted_segment_max, ops=("unsorted_segment_max",),
       classes=("UnsortedSegmentMax",)),
    Op("idx_reduce", fn=unsorted_segment_min, ops=("unsorted_segment_min",),
       classes=("UnsortedSegmentMin",)),
    Op("idx_reduce", fn=unsorted_segment_prod, ops=("unsorted_segment_prod",),
       classes=("UnsortedSegmentProd",)),
    Op("untake", fn=index_add, ops=("index_add",)),
    Op("untake", fn=_m_index_add, methods=("index_add",)),
    Op("where", fn=index_fill, ops=("index_fill",), methods=("index_fill",)),
    Op("idx_put", fn=index_put, methods=("index_put",)),
    Op("where", fn=masked_scatter, methods=("masked_scatter",)),
    Op("idx_put", fn=select_scatter, ops=("select_scatter",)),
    Op("idx_put", fn=slice_scatter, ops=("slice_scatter",)),
    Op("idx_put", fn=diagonal_scatter, ops=("diagonal_scatter",)),
    Op("idx_put", fn=_m_scatter, methods=("scatter",)),
    Op("ungetitem", fn=_m_scatter_add, methods=("scatter_add",)),
    Op("idx_put", fn=inplace_update, ops=("inplace_update",)),
    Op("ungetitem", fn=inplace_add, ops=("inplace_add",)),
    Op("ungetitem", fn=inplace_sub, ops=("inplace_sub",)),
    Op("take_along", fn=top_k, ops=("top_k",)),
    # shapes
    Op("moveaxis", fn=moveaxis, ops=("moveaxis", "movedim")),
    Op("moveaxis", fn=_m_moveaxis, methods=("moveaxis", "movedim")),
    Op("moveaxis", "a, source, destination", numpy=(np.moveaxis,)),
    Op("atleast", fn=atleast_1d, ops=("atleast_1d",)),
    Op("atleast", fn=atleast_2d, ops=("atleast_2d",)),
    Op("atleast", fn=atleast_3d, ops=("atleast_3d",)),
    Op("concat2", fn=hstack, ops=("hstack",)),
    Op("concat2", fn=vstack, ops=("vstack", "row_stack")),
    Op("concat2", fn=dstack, ops=("dstack",)),
    Op("concat2", fn=column_stack, ops=("column_stack",)),
    Op("getitem", fn=hsplit, ops=("hsplit",)),
    Op("flip", fn=reverse, ops=("reverse",)),
    Op("take_along", fn=reverse_sequence, ops=("reverse_sequence",)),
    Op("pad", fn=mirror_pad, ops=("mirror_pad",)),
    Op("space_to_batch", fn=space_to_batch_nd, ops=("space_to_batch_nd",)),
    Op("batch_to_space", fn=batch_to_space_nd, ops=("batch_to_space_nd",)),
    Op("im2col", fn=unfold, ops=("unfold",), methods=("unfold",)),
    Op("col2im", fn=fold, ops=("fold",)),
    Op("max", fn=ptp, methods=("ptp",)),
    Op("take_along", fn=_m_choose, methods=("choose",)),
    Op("unbroadcast", fn=_m_sum_to_size, methods=("sum_to_size",)),
    Op("resized", fn=_m_resize, methods=("resize",)),
    Op("full", fn=_m_new_empty, methods=("new_empty",)),
    Op("full", fn=_m_new_zeros, methods=("new_zeros",)),
    Op("full", fn=_m_new_ones, methods=("new_ones",)),
    Op("full", fn=_m_new_full, methods=("new_full",)),
    Op("getitem", fn=_m_unbind, methods=("unbind",)),
    # random
    Op("rand", fn=rand, ops=("rand",)),
    Op("rand", fn=randn, ops=("randn",)),
    Op("rand", fn=randint, ops=("randint",)),
    Op("rand", fn=rand_like, ops=("rand_like",)),
    Op("rand", fn=randn_like, ops=("randn_like",)),
    Op("rand", fn=randint_like, ops=("randint_like",)),
    Op("rand", fn=uniform, ops=("uniform",)),
    Op("rand", fn=normal, ops=("normal",)),
    Op("rand", fn=standard_normal, ops=("standard_normal",)),
    Op("rand", fn=bernoulli, ops=("bernoulli",)),
    Op("rand", fn=_m_bernoulli, methods=("bernoulli",)),
    Op("rand_multinomial", fn=multinomial, ops=("multinomial",)),
    Op("rand_permutation", fn=randperm, ops=("randperm",)),
    Op("rand_shuffle", fn=shuffle, ops=("shuffle",)),
    Op("rand", fn=gamma, ops=("gamma",)),
    Op("rand", fn=poisson, ops=("poisson",)),
    Op("rand", fn=laplace, ops=("laplace",)),
    Op("rand_multinomial", fn=random_categorical, ops=("random_categorical",)),
    Op("rand", fn=_m_uniform_, methods=("uniform_",)),
    Op("rand", fn=_m_normal_, methods=("normal_",)),
    Op("rand", fn=_m_random_, methods=("random_",)),
    Op("rand", fn=_m_bernoulli_, methods=("bernoulli_",)),
    Op("rand", fn=_m_uniform, methods=("uniform",)),
    Op("rand", fn=_m_exponential_, methods=("exponential_",)),
    Op("take_along", fn=_m_reverse_sequence, methods=("reverse_sequence",)),
    Op("rand_multinomial", fn=_m_multinomial, methods=("multinomial",)),
    Op("col2im", fn=_m_fold, methods=("fold",)),
    Op("getitem", fn=_m_hsplit, methods=("hsplit",)),
    Op("idx_reduce", fn=_method_of(_scatter_reducer("max"), "scatter_max", "indices, updates"),
       methods=("scatter_max",)),
    Op("idx_reduce", fn=_method_of(_scatter_reducer("min"), "scatter_min", "indices, updates"),
       methods=("scatter_min",)),
    Op("idx_reduce", fn=_method_of(_scatter_reducer("mul"), "scatter_mul", "indices, updates"),
       methods=("scatter_mul",)),
    Op("idx_reduce", fn=_method_of(_scatter_reducer("div"), "scatter_div", "indices, updates"),
       methods=("scatter_div",)),
    Op("ungetitem", fn=_method_of(scatter_sub, "scatter_sub", "indices, updates"),
       methods=("scatter_sub",)),
    Op("idx_put", fn=_method_of(select_scatter, "select_scatter", "src, axis, index"),
       methods=("select_scatter",)),
    Op("idx_put", fn=_method_of(slice_scatter, "slice_scatter",
                                "src, axis=0, start=None, end=None, step=1"),
       methods=("slice_scatter",)),
    Op("idx_put", fn=_method_of(diagonal_scatter, "diagonal_scatter",
                                "src, offset=0, dim1=0, dim2=1"), methods=("diagonal_scatter",)),
    Op("unique_consecutive", fn=_method_of(unique_consecutive, "unique_consecutive",
                                           "return_inverse=False, return_counts=False, "
                                           "dim=None"), methods=("unique_consecutive",)),
    Op("idx_reduce", fn=_method_of(unsorted_segment_max, "unsorted_segment_max",
                                   "segment_ids, num_segments"),
       methods=("unsorted_segment_max",)),
    Op("idx_reduce", fn=_method_of(unsorted_segment_min, "unsorted_segment_min",
                                   "segment_ids, num_segments"),
       methods=("unsorted_segment_min",)),
    Op("idx_reduce", fn=_method_of(unsorted_segment_prod, "unsorted_segment_prod",
                                   "segment_ids, num_segments"),
       methods=("unsorted_segment_prod",)),
    Op("idx_put", fn=_m_inplace_update, methods=("inplace_update",)),
    Op("idx_put", fn=_m_fill_diagonal, methods=("fill_diagonal",)),
    Op("rand_choice_mask", fn=choice_with_mask, ops=("choice_with_mask",)),
    Op("rand_multinomial", fn=_m_random_categorical, methods=("random_categorical",)),
    # in place (eager)
    Op("add", fn=_m_add_, methods=("add_",)),
    Op("sub", fn=_m_sub_, methods=("sub_",)),
    Op("mul", fn=_m_mul_, methods=("mul_",)),
    Op("div", fn=_m_div_, methods=("div_",)),
    Op("mod", fn=_m_remainder_, methods=("remainder_",)),
    Op("floordiv", fn=_m_floor_divide_, methods=("floor_divide_",)),
    Op("where", fn=_m_masked_fill_, methods=("masked_fill_",)),
    Op("cast_like", fn=_m_copy_, methods=("copy_",)),
    Op("maximum", fn=_m_clamp_, methods=("clamp_",)),
    Op("idx_put", fn=_m_fill_diagonal_, methods=("fill_diagonal_",)),
    Op("untake", fn=_m_index_add_, methods=("index_add_",)),
    Op("where", fn=_m_index_fill_, methods=("index_fill_",)),
    Op("idx_put", fn=_m_index_put_, methods=("index_put_",)),
    Op("where", fn=_m_masked_scatter_, methods=("masked_scatter_",)),
    Op("idx_put", fn=_m_scatter_, methods=("scatter_",)),
    Op("ungetitem", fn=_m_scatter_add_, methods=("scatter_add_",)),
)

#: the Tensor methods that write into their Tensor (eager only: refused, or for the random
#: fills the fresh draw, in differentiated code); tested in tests/test_ops_index.py
IN_PLACE_METHODS = frozenset(name for row in OPS for name in row.methods if name.endswith("_"))
