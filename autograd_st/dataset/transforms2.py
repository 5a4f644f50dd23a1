"""More of ``mindspore.dataset.transforms``: ``Duplicate``, ``Fill``, ``Mask`` (with
``Relational``), ``PadEnd``, ``Slice``, ``Concatenate``, ``Unique``, ``RandomApply``,
``RandomChoice``, ``RandomOrder``.

Takes: :mod:`autograd_st.dtype`, :mod:`.op_draws` (MindSpore's draws).  Gives: callables on
numpy arrays, results as MindSpore 2.10 gives them (measured: dtypes, the casts of fill
values, the errors, the random choices under a seed).
"""
from __future__ import annotations

import enum
import random

import numpy as np

from .. import dtype as mstype
from . import vision
from .op_draws import SeededOp, run_op

__all__ = ["Duplicate", "Fill", "Mask", "Relational", "PadEnd", "Slice", "Concatenate",
           "Unique", "RandomApply", "RandomChoice", "RandomOrder"]

_SCALARS = (str, float, bool, int, bytes)


def _fill_value(value, data: np.ndarray, what: str):
    """``value`` in ``data``'s dtype (MindSpore casts numbers, wrapping as C does; strings
    only go with strings)."""
    if isinstance(value, (str, bytes)) != (data.dtype.kind in "US"):
        raise RuntimeError("%s: fill_value and the input tensor must be of the same data type "
                           "when involving strings or bytes, but got fill_value %r and input "
                           "tensor data type %s" % (what, value, data.dtype))
    if data.dtype.kind in "US":
        return np.asarray(value)
    return np.asarray(value).astype(np.float64 if isinstance(value, float) else
                                    np.int64).astype(data.dtype)


def _check_scalar(value, what: str) -> None:
    if not isinstance(value, _SCALARS):
        raise TypeError("Argument %s with value %r is not of type [<class 'str'>, "
                        "<class 'float'>, <class 'bool'>, <class 'int'>, <class 'bytes'>], but "
                        "got %s." % (what, value, type(value)))


class Duplicate:
    """MindSpore's ``transforms.Duplicate()``: the column and a copy (two outputs; give
    ``map`` two ``output_columns``)."""

    def __call__(self, data):
        data = np.asarray(data)
        return data, data.copy()


class Fill:
    """MindSpore's ``transforms.Fill(fill_value)``: an array of the input's shape and dtype
    filled with ``fill_value`` (cast to the dtype: 2.7 on int32 gives 2, 300 on uint8 44)."""

    def __init__(self, fill_value) -> None:
        _check_scalar(fill_value, "fill_value")
        self.fill_value = fill_value

    def __call__(self, data):
        data = np.asarray(data)
        return np.full(data.shape, _fill_value(self.fill_value, data, "Fill"), data.dtype)


class Relational(enum.Enum):
    """MindSpore's ``transforms.Relational`` (the comparisons of ``Mask``)."""

    EQ = "eq"
    NE = "ne"
    GT = "gt"
    GE = "ge"
    LT = "lt"
    LE = "le"


class Mask:
    """MindSpore's ``transforms.Mask(operator, constant, dtype=mstype.bool_)``: ``data
    <operator> constant`` elementwise, as ``dtype``.  The constant is cast to the input's dtype
    first (measured: ``GE 2.5`` on ints compares with 2)."""

    def __init__(self, operator, constant, dtype=mstype.bool_) -> None:
        if not isinstance(operator, Relational):
            raise TypeError("Argument operator with value %r is not of type [<enum "
                            "'Relational'>], but got %s." % (operator, type(operator)))
        _check_scalar(constant, "constant")
        self.operator, self.constant, self.dtype = operator, constant, dtype

    def __call__(self, data):
        data = np.asarray(data)
        c = _fill_value(self.constant, data, "Mask")
        out = getattr(np, {"eq": "equal", "ne": "not_equal", "gt": "greater",
                           "ge": "greater_equal", "lt": "less",
                           "le": "less_equal"}[self.operator.value])(data, c)
        return out.astype(mstype.to_numpy(self.dtype))


class PadEnd:
    """MindSpore's ``transforms.PadEnd(pad_shape, pad_value=None)``: the array padded (or
    cut) at the end of each axis to ``pad_shape`` (a list; a None entry keeps that axis),
    with ``pad_value`` (default 0 / '') cast to the dtype."""

    def __init__(self, pad_shape, pad_value=None) -> None:
        if not isinstance(pad_shape, list):
            raise TypeError("Argument pad_shape with value %r is not of type [<class 'list'>], "
                            "but got %s." % (pad_shape, type(pad_shape)))
        if pad_value is not None:
            _check_scalar(pad_value, "pad_value")
        self.pad_shape, self.pad_value = pad_shape, pad_value

    def __call__(self, data):
        data = np.asarray(data)
        if len(self.pad_shape) != data.ndim:
            raise RuntimeError("PadEnd: pad_shape %s has %d entries but the input has rank %d"
                               % (self.pad_shape, len(self.pad_shape), data.ndim))
        shape = [d if p is None else int(p) for p, d in zip(self.pad_shape, data.shape)]
        value = self.pad_value
        if value is None:
            value = "" if data.dtype.kind in "US" else 0
        fill = _fill_value(value, data, "PadEnd")
        out_dtype = np.result_type(data.dtype, fill.dtype) if data.dtype.kind in "US" \
            else data.dtype
        out = np.full(shape, fill, out_dtype)
        keep = tuple(slice(0, min(a, b)) for a, b in zip(shape, data.shape))
        out[keep] = data[keep]
        return out


class Slice:
    """MindSpore's ``transforms.Slice(*slices)``: ``data[slices]``, one per leading axis: an
    int (kept as a length-1 axis), a list of ints, a Python ``slice`` (steps and starts that
    MindSpore refuses, negative ones, are refused), None or ``...`` (the whole axis)."""

    def __init__(self, *slices) -> None:
        self.slices = slices

    def __call__(self, data):
        data = np.asarray(data)
        index = []
        for axis, s in enumerate(self.slices):
            n = data.shape[axis]
            if s is None or s is Ellipsis:
                index.append(np.arange(n))
            elif isinstance(s, slice):
                if any(v is not None and v < 0 for v in (s.start, s.stop, s.step)):
                    raise RuntimeError("Slice: Wrong slice object %r (negative start, stop or "
                                       "step)" % (s,))
                index.append(np.arange(n)[s])
            else:
                picks = [s] if isinstance(s, (int, np.integer)) else list(s)
                for p in picks:
                    if not -n <= p < n:
                        raise RuntimeError("Slice: Index %d is out of bounds." % p)
                index.append(np.asarray(picks, np.int64))
        if not index:
            return data.copy()
        return data[np.ix_(*index)] if len(index) > 1 else data[index[0]]


class Concatenate:
    """MindSpore's ``transforms.Concatenate(axis=0, prepend=None, append=None)``: ``prepend``,
    the 1-D input, ``append`` one after another (same dtype; only 1-D, as MindSpore)."""

    def __init__(self, axis=0, prepend=None, append=None) -> None:
        if axis not in (0, -1):
            raise ValueError("only 1D concatenation supported.")
        self.axis = axis
        self.prepend = None if prepend is None else np.asarray(prepend)
        self.append = None if append is None else np.asarray(append)

    def __call__(self, data):
        data = np.asarray(data)
        if data.ndim != 1:
            raise RuntimeError("Concatenate: only 1D input supported, got rank %d" % data.ndim)
        parts = []
        for extra, what in ((self.prepend, "prepend"), (None, None), (self.append, "append")):
            if what is None:
                parts.append(data)
            elif extra is not None:
                if extra.dtype != data.dtype and not (extra.dtype.kind in "US" and
                                                      data.dtype.kind in "US"):
                    raise RuntimeError("Concatenate: input datatype does not match the %s "
                                       "datatype, got input datatype: %s, %s datatype:%s"
                                       % (what, data.dtype, what, extra.dtype))
                parts.append(extra)
        return np.concatenate(parts)


class Unique:
    """MindSpore's ``transforms.Unique()``: the input flattened; its distinct values in order
    of first appearance, the int32 index of each element's value among them, and the int32
    counts (three outputs).  MindSpore 2.10 refuses a 1-D input (measured: "input must be at
    least 2-D"); so does this."""

    def __call__(self, data):
        data = np.asarray(data)
        if data.ndim < 2:
            raise RuntimeError("Unique: input must be at least 2-D in order to do unique op, "
                               "got rank:%d" % data.ndim)
        flat = data.ravel()
        values, first, inverse, counts = np.unique(flat, return_index=True,
                                                   return_inverse=True, return_counts=True)
        order = np.argsort(first, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(len(order))
        return (values[order], rank[inverse.ravel()].astype(np.int32),
                counts[order].astype(np.int32))


def _ops(transforms, what: str) -> list:
    if not isinstance(transforms, list):
        raise TypeError("%s: transforms must be a list of callables; got %r"
                        % (what, transforms))
    if not transforms:
        raise ValueError("transforms list can not be empty.")
    for op in transforms:
        if not callable(op):
            raise TypeError("%s: %r is not callable" % (what, op))
    return list(transforms)


def _as_tuple(out) -> tuple:
    return out if isinstance(out, tuple) else (out,)


def _apply(op, data: tuple) -> tuple:
    return _as_tuple(op(*data))


def _result(data: tuple):
    return data if len(data) > 1 else data[0]


def _pil_data(data: tuple) -> bool:
    return len(data) == 1 and vision._is_pil(data[0])


class RandomApply(SeededOp):
    """MindSpore's ``transforms.RandomApply(transforms, prob=0.5)``: the list applied in order
    when a ``uniform_real_distribution<double>(0, 1)`` draw of its generator is at most
    ``prob``, else the input unchanged; the transforms inside draw from their own generators
    (:mod:`.op_draws`).  A PIL image takes MindSpore's Python form (``prob <
    random.random()`` skips)."""

    def __init__(self, transforms, prob=0.5) -> None:
        self.transforms = _ops(transforms, "RandomApply")
        if isinstance(prob, bool) or not isinstance(prob, (int, float)) or not 0 <= prob <= 1:
            raise ValueError("Input prob is not within the required interval of [0, 1].")
        self.prob = float(prob)

    def _run(self, scope, path, *data):
        if _pil_data(data):
            if self.prob < random.random():
                return data[0]
            apply = True
        else:
            apply = scope.generator(path).uniform_double(0.0, 1.0) <= self.prob
        if apply:
            for j, op in enumerate(self.transforms):
                data = _as_tuple(run_op(op, scope, path + (j,), data))
        return _result(data)


class RandomChoice(SeededOp):
    """MindSpore's ``transforms.RandomChoice(transforms)``: one of the list, by a
    ``uniform_int_distribution`` draw of its generator (a PIL image: ``random.choice``)."""

    def __init__(self, transforms) -> None:
        self.transforms = _ops(transforms, "RandomChoice")

    def _run(self, scope, path, *data):
        if _pil_data(data):
            return random.choice(self.transforms)(data[0])
        j = scope.generator(path).uniform_int(0, len(self.transforms) - 1)
        return _result(_as_tuple(run_op(self.transforms[j], scope, path + (j,), data)))


class RandomOrder:
    """MindSpore's ``transforms.RandomOrder(transforms)``: all of the list in a random order.
    MindSpore runs it in Python: ``random.shuffle`` of the list itself (the order kept for
    the next call, shuffled again then), its transforms called eagerly."""

    def __init__(self, transforms) -> None:
        self.transforms = _ops(transforms, "RandomOrder")

    def __call__(self, *data):
        random.shuffle(self.transforms)
        for op in self.transforms:
            data = _apply(op, data)
        return _result(data)
