"""MindSpore's primitive classes for array manipulation (``ops.Split``, ``ops.Concat``,
``ops.ArgMaxWithValue`` ...) that take constructor attributes: each instance is a constant to
the compiler, its call a function of the op table.

Takes: :class:`~autograd_st.ops.primitive_base.Primitive` and the op table's functions.
Gives: the classes (``operations`` publishes them as ``autograd_st.ops.<Name>``).  The
signatures are MindSpore 2.10's (``__init__`` and ``__call__``, measured in the side venv).
"""
from __future__ import annotations

from .. import table_array
from ..op_table import FUNCTIONS
from ..prims import P, has_sym
from .primitive_base import Primitive

__all__ = ["Concat", "Stack", "Split", "Unstack", "ArgMaxWithValue", "ArgMinWithValue",
           "Argmax", "Argmin", "TopK", "Sort", "CumSum", "CumProd", "Pad", "ReduceProd",
           "ReduceMin", "Flatten", "BroadcastTo", "Triu", "Tril", "ReverseV2", "Zeros", "Ones", "StridedSlice"]


class Concat(Primitive):
    """``ops.Concat(axis=0)(tensors)``: the tensors joined along ``axis``."""

    def __init__(self, axis=0) -> None:
        self.axis = axis

    def __call__(self, tensors):
        return FUNCTIONS["concat"](tensors, self.axis)


class Stack(Primitive):
    """``ops.Stack(axis=0)(tensors)``: the tensors stacked along a new axis."""

    def __init__(self, axis=0) -> None:
        self.axis = axis

    def __call__(self, tensors):
        return FUNCTIONS["stack"](tensors, self.axis)


class Split(Primitive):
    """``ops.Split(axis=0, output_num=1)(x)``: ``output_num`` equal parts along ``axis``
    (MindSpore refuses an axis its length does not divide; so does this, when it runs)."""

    def __init__(self, axis=0, output_num=1) -> None:
        if has_sym(output_num):  # (in differentiated code, x.shape[k] of a computed value)
            raise TypeError("output_num is known only at run time here (the shape of a value "
                            "the code computes), and ops.Split needs it when the code is "
                            "compiled: use ops.split(x, 1, axis), whose parts may be as many "
                            "as the shape says, or a constant output_num")
        self.axis = axis
        self.output_num = int(output_num)

    def __call__(self, x):
        if not has_sym(x) and x.shape[self.axis] % self.output_num:
            raise ValueError("For 'Split', x_shape[%d] must be divisible by output_num = %d, "
                             "but got %d" % (self.axis, self.output_num, x.shape[self.axis]))
        return FUNCTIONS["chunk"](x, self.output_num, self.axis)


class Unstack(Primitive):
    """``ops.Unstack(axis=0, num=None)(x)``: the slices along ``axis`` (``num`` gives their
    count in differentiated code)."""

    def __init__(self, axis=0, num=None) -> None:
        self.axis = axis
        self.num = num

    def __call__(self, x):
        if self.num is not None:
            return tuple(P.squeeze(FUNCTIONS["narrow"](x, self.axis, i, 1), self.axis)
                         for i in range(self.num))
        return FUNCTIONS["unstack"](x, self.axis)


class ArgMaxWithValue(Primitive):
    """``ops.ArgMaxWithValue(axis=0, keep_dims=False)(x)``: ``(int64 indices, values)``
    (this order, MindSpore's); the gradient goes to the chosen element only."""

    def __init__(self, axis=0, keep_dims=False) -> None:
        self.axis = axis
        self.keep_dims = bool(keep_dims)

    def __call__(self, x):
        values, index = table_array.max_(x, self.axis, self.keep_dims)
        return index, values


class ArgMinWithValue(ArgMaxWithValue):
    """``ops.ArgMinWithValue(axis=0, keep_dims=False)(x)``: ``(int64 indices, values)``."""

    def __call__(self, x):
        values, index = table_array.min_(x, self.axis, self.keep_dims)
        return index, values


class Argmax(Primitive):
    """``ops.Argmax(axis=-1, output_type=mindspore.int32)(x)``."""

    def __init__(self, axis=-1, output_type=None) -> None:
        self.axis = axis
        self.output_type = table_array._np_dtype(output_type, "int32")

    def __call__(self, x):
        return P.argmax(x, self.axis, False, self.output_type)


class Argmin(Argmax):
    """``ops.Argmin(axis=-1, output_type=mindspore.int32)(x)``."""

    def __call__(self, x):
        return P.argmin(x, self.axis, False, self.output_type)


class TopK(Primitive):
    """``ops.TopK(sorted=True)(x, k)``: the ``k`` largest along the last axis, int32
    indices."""

    def __init__(self, sorted=True) -> None:
        self.sorted = bool(sorted)

    def __call__(self, x, k):
        return FUNCTIONS["topk"](x, int(k), -1, True, self.sorted)


class Sort(Primitive):
    """``ops.Sort(axis=-1, descending=False)(x)``: ``(values, int32 indices)``, stable."""

    def __init__(self, axis=-1, descending=False) -> None:
        self.axis = axis
        self.descending = bool(descending)

    def __call__(self, x):
        return FUNCTIONS["sort"](x, self.axis, self.descending)


class CumSum(Primitive):
    """``ops.CumSum(exclusive=False, reverse=False)(x, axis)``."""

    def __init__(self, exclusive=False, reverse=False) -> None:
        self.exclusive = bool(exclusive)
        self.reverse = bool(reverse)

    def __call__(self, x, axis):
        return P.cumsum(x, axis, self.exclusive, self.reverse)


class CumProd(Primitive):
    """``ops.CumProd(exclusive=False, reverse=False)(x, axis)`` (the default form only)."""

    def __init__(self, exclusive=False, reverse=False) -> None:
        if exclusive or reverse:
            raise NotImplementedError("ops.CumProd: exclusive/reverse are not supported")
        self.exclusive = False
        self.reverse = False

    def __call__(self, x, axis):
        return P.cumprod(x, axis)


class Pad(Primitive):
    """``ops.Pad(paddings)(x)``: ``paddings[i] = (before, after)`` zeros on axis i."""

    def __init__(self, paddings) -> None:
        self.paddings = tuple(tuple(int(n) for n in p) for p in paddings)

    def __call__(self, x):
        return FUNCTIONS["pad"](x, table_array._pad_pairs(self.paddings))


def _reduction(name: str, fn_name: str) -> type:
    """MindSpore's ``ops.<name>(keep_dims=False)``: ``op(x, axis=())`` is
    ``ops.<fn_name>(x, axis, keep_dims)``."""
    def __init__(self, keep_dims: bool = False) -> None:
        self.keep_dims = bool(keep_dims)

    def __call__(self, x, axis=()):
        return FUNCTIONS[fn_name](x, axis, self.keep_dims)
    return type(name, (Primitive,), {"__init__": __init__, "__call__": __call__,
                                     "__module__": __name__, "__doc__": _reduction.__doc__
                                     .replace("<name>", name).replace("<fn_name>", fn_name)})


ReduceProd = _reduction("ReduceProd", "prod")
ReduceMin = _reduction("ReduceMin", "amin")


class Flatten(Primitive):
    """``ops.Flatten()(x)``: ``(batch, -1)``."""

    def __call__(self, x):
        return P.flatten(x, 1, -1)


class BroadcastTo(Primitive):
    """``ops.BroadcastTo(shape)(x)``; -1 keeps that axis's length."""

    def __init__(self, shape) -> None:
        self.shape = tuple(shape)

    def __call__(self, x):
        return FUNCTIONS["broadcast_to"](x, self.shape)


class Triu(Primitive):
    """``ops.Triu(diagonal=0)(x)``."""

    def __init__(self, diagonal=0) -> None:
        self.diagonal = int(diagonal)

    def __call__(self, x):
        return P.triu(x, self.diagonal)


class Tril(Triu):
    """``ops.Tril(diagonal=0)(x)``."""

    def __call__(self, x):
        return P.tril(x, self.diagonal)


class ReverseV2(Primitive):
    """``ops.ReverseV2(axis)(x)``: reversed along each axis in ``axis``."""

    def __init__(self, axis) -> None:
        self.axis = tuple(axis)

    def __call__(self, x):
        return P.flip(x, self.axis)


class Zeros(Primitive):
    """``ops.Zeros()(shape, dtype)``: a new array of zeros (float32 unless ``dtype``)."""

    def __call__(self, shape, dtype=None):
        return table_array.zeros_shaped(shape, dtype)


class Ones(Primitive):
    """``ops.Ones()(shape, dtype)``: a new array of ones (float32 unless ``dtype``)."""

    def __call__(self, shape, dtype=None):
        return table_array.ones_shaped(shape, dtype)


class StridedSlice(Primitive):
    """``ops.StridedSlice(begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0,
    shrink_axis_mask=0)(x, begin, end, strides)``: ``ops.strided_slice`` with these masks."""

    def __init__(self, begin_mask=0, end_mask=0, ellipsis_mask=0, new_axis_mask=0,
                 shrink_axis_mask=0) -> None:
        self.begin_mask = begin_mask
        self.end_mask = end_mask
        self.ellipsis_mask = ellipsis_mask
        self.new_axis_mask = new_axis_mask
        self.shrink_axis_mask = shrink_axis_mask

    def __call__(self, x, begin, end, strides):
        return FUNCTIONS["strided_slice"](x, begin, end, strides, self.begin_mask,
                                          self.end_mask, self.ellipsis_mask, self.new_axis_mask,
                                          self.shrink_axis_mask)
