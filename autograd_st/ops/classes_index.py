"""MindSpore's primitive classes for indexing, scatter, shape and random ops that take
constructor attributes (``ops.ScatterNdUpdate(use_locking)``, ``ops.MirrorPad(mode)``,
``ops.UniformReal(seed, seed2)`` ...): each instance is a constant to the compiler, its call a
function of the op table (:mod:`autograd_st.table_index`).

Takes: :class:`~autograd_st.ops.primitive_base.Primitive`, the op table's functions and
``table_index.draw``.  Gives: the classes (``operations`` publishes them as
``autograd_st.ops.<Name>``).  The signatures are MindSpore 2.10's (``__init__`` and
``__call__``, measured in the side venv); ``use_locking`` is accepted and has no effect here.
"""
from __future__ import annotations

from .. import dtype as mstype
from .. import table_index
from ..op_table import FUNCTIONS
from .primitive_base import Primitive

__all__ = ["ScatterAdd", "ScatterSub", "ScatterUpdate", "ScatterMax", "ScatterMin",
           "ScatterMul", "ScatterDiv", "ScatterNdUpdate", "ScatterNdAdd", "ScatterNdSub",
           "ScatterNdMul", "ScatterNdDiv", "ScatterNdMax", "ScatterNdMin",
           "TensorScatterElements", "UniqueConsecutive", "SearchSorted", "IndexAdd",
           "InplaceUpdate", "InplaceAdd", "InplaceSub", "ReverseSequence", "MirrorPad",
           "BatchToSpaceND", "SpaceToBatchND", "UniformReal", "UniformInt", "StandardNormal",
           "StandardLaplace", "Multinomial", "RandomCategorical", "RandpermV2",
           "RandomShuffle", "RandomChoiceWithMask"]


def _scatter_class(name: str, op: str, use_locking: bool) -> type:
    """``ops.<name>(use_locking)(input_x, indices, updates)`` is ``ops.<op>(...)``."""
    def __init__(self, use_locking=use_locking) -> None:
        self.use_locking = bool(use_locking)

    def __call__(self, input_x, indices, updates):
        fn = table_index.scatter_sub if op == "scatter_sub" else FUNCTIONS[op]
        return fn(input_x, indices, updates)

    return type(name, (Primitive,), {
        "__init__": __init__, "__call__": __call__, "__module__": __name__,
        "__doc__": "MindSpore's ``ops.%s(use_locking=%s)(input_x, indices, updates)``: "
                   "``ops.%s``." % (name, use_locking, op)})


ScatterAdd = _scatter_class("ScatterAdd", "scatter_add", False)
ScatterSub = _scatter_class("ScatterSub", "scatter_sub", False)
ScatterUpdate = _scatter_class("ScatterUpdate", "scatter_update", True)
ScatterMax = _scatter_class("ScatterMax", "scatter_max", False)
ScatterMin = _scatter_class("ScatterMin", "scatter_min", False)
ScatterMul = _scatter_class("ScatterMul", "scatter_mul", False)
ScatterDiv = _scatter_class("ScatterDiv", "scatter_div", False)
ScatterNdUpdate = _scatter_class("ScatterNdUpdate", "scatter_nd_update", True)
ScatterNdAdd = _scatter_class("ScatterNdAdd", "scatter_nd_add", False)
ScatterNdSub = _scatter_class("ScatterNdSub", "scatter_nd_sub", False)
ScatterNdMul = _scatter_class("ScatterNdMul", "scatter_nd_mul", False)
ScatterNdDiv = _scatter_class("ScatterNdDiv", "scatter_nd_div", False)
ScatterNdMax = _scatter_class("ScatterNdMax", "scatter_nd_max", False)
ScatterNdMin = _scatter_class("ScatterNdMin", "scatter_nd_min", False)


class TensorScatterElements(Primitive):
    """``ops.TensorScatterElements(axis=0, reduction='none')(input_x, indices, updates)``."""

    def __init__(self, axis=0, reduction="none") -> None:
        self.axis = axis
        self.reduction = reduction

    def __call__(self, input_x, indices, updates):
        return FUNCTIONS["tensor_scatter_elements"](input_x, indices, updates, self.axis,
                                                    self.reduction)


class UniqueConsecutive(Primitive):
    """``ops.UniqueConsecutive(return_inverse=False, return_counts=False, dim=None)(input)``:
    always ``(output, inverse, counts)``, as MindSpore's primitive."""

    def __init__(self, return_inverse=False, return_counts=False, dim=None) -> None:
        self.return_inverse = return_inverse
        self.return_counts = return_counts
        self.dim = dim

    def __call__(self, input):
        return FUNCTIONS["unique_consecutive"](input, True, True, self.dim)


class SearchSorted(Primitive):
    """``ops.SearchSorted(dtype=int64, right=False)(sorted_sequence, values, sorter=None)``."""

    def __init__(self, dtype=mstype.int64, right=False) -> None:
        self.dtype = dtype
        self.right = right

    def __call__(self, sorted_sequence, values, sorter=None):
        return FUNCTIONS["searchsorted"](sorted_sequence, values, right=self.right,
                                         sorter=sorter,
                                         out_int32=str(mstype.to_numpy(self.dtype)) == "int32")


class IndexAdd(Primitive):
    """``ops.IndexAdd(axis, use_lock=True, check_index_bound=True)(x, indices, y)``."""

    def __init__(self, axis, use_lock=True, check_index_bound=True) -> None:
        self.axis = axis

    def __call__(self, x, indices, y):
        return FUNCTIONS["index_add"](x, indices, y, self.axis)


class _RowsClass(Primitive):
    _op = ""

    def __init__(self, indices) -> None:
        self.indices = indices

    def __call__(self, x, v):
        return FUNCTIONS[self._op](x, v, self.indices)


class InplaceUpdate(_RowsClass):
    """``ops.InplaceUpdate(indices)(x, v)``: ``ops.inplace_update(x, v, indices)``."""
    _op = "inplace_update"


class InplaceAdd(_RowsClass):
    """``ops.InplaceAdd(indices)(x, v)``: ``ops.inplace_add(x, v, indices)``."""
    _op = "inplace_add"


class InplaceSub(_RowsClass):
    """``ops.InplaceSub(indices)(x, v)``: ``ops.inplace_sub(x, v, indices)``."""
    _op = "inplace_sub"


class ReverseSequence(Primitive):
    """``ops.ReverseSequence(seq_dim, batch_dim=0)(x, seq_lengths)``."""

    def __init__(self, seq_dim, batch_dim=0) -> None:
        self.seq_dim = seq_dim
        self.batch_dim = batch_dim

    def __call__(self, x, seq_lengths):
        return FUNCTIONS["reverse_sequence"](x, seq_lengths, self.seq_dim, self.batch_dim)


class MirrorPad(Primitive):
    """``ops.MirrorPad(mode='REFLECT')(input_x, paddings)``."""

    def __init__(self, mode="REFLECT") -> None:
        self.mode = mode

    def __call__(self, input_x, paddings):
        return FUNCTIONS["mirror_pad"](input_x, paddings, self.mode)


class BatchToSpaceND(Primitive):
    """``ops.BatchToSpaceND(block_shape, crops)(input_x)``."""

    def __init__(self, block_shape, crops) -> None:
        self.block_shape = block_shape
        self.crops = crops

    def __call__(self, input_x):
        return FUNCTIONS["batch_to_space_nd"](input_x, self.block_shape, self.crops)


class SpaceToBatchND(Primitive):
    """``ops.SpaceToBatchND(block_shape, paddings)(input_x)``."""

    def __init__(self, block_shape, paddings) -> None:
        self.block_shape = block_shape
        self.paddings = paddings

    def __call__(self, input_x):
        return FUNCTIONS["space_to_batch_nd"](input_x, self.block_shape, self.paddings)


class _Seeded(Primitive):
    def __init__(self, seed=0, seed2=0) -> None:
        self.seed = int(seed)
        self.seed2 = int(seed2)


def _shape(shape):
    return tuple(int(s) for s in shape)


class UniformReal(_Seeded):
    """``ops.UniformReal(seed=0, seed2=0)(shape)``: uniform [0, 1), float32."""

    def __call__(self, shape):
        return table_index.draw("uniform", _shape(shape), 0.0, 1.0, "float32", self.seed,
                                self.seed2)


class UniformInt(_Seeded):
    """``ops.UniformInt(seed=0, seed2=0)(shape, minval, maxval)``: int32 in [minval,
    maxval)."""

    def __call__(self, shape, minval, maxval):
        return table_index.draw("int", _shape(shape), int(minval), int(maxval), "int32",
                                self.seed, self.seed2)


class StandardNormal(_Seeded):
    """``ops.StandardNormal(seed=0, seed2=0)(shape)``: float32."""

    def __call__(self, shape):
        return table_index.draw("normal", _shape(shape), 0.0, 1.0, "float32", self.seed,
                                self.seed2)


class StandardLaplace(_Seeded):
    """``ops.StandardLaplace(seed=0, seed2=0)(shape)``: Laplace (0, 1), float32."""

    def __call__(self, shape):
        return table_index.draw("laplace", _shape(shape), 0.0, 1.0, "float32", self.seed,
                                self.seed2)


class RandomShuffle(_Seeded):
    """``ops.RandomShuffle(seed=0, seed2=0)(x)``: the first axis shuffled."""

    def __call__(self, x):
        return FUNCTIONS["shuffle"](x, self.seed or None)


class Multinomial(Primitive):
    """``ops.Multinomial(seed=0, seed2=0, dtype=int32)(x, num_samples)``: class draws with
    replacement per row of the weights ``x``."""

    def __init__(self, seed=0, seed2=0, dtype=mstype.int32) -> None:
        self.seed, self.seed2, self.dtype = int(seed), int(seed2), dtype

    def __call__(self, x, num_samples):
        return FUNCTIONS["cast"](FUNCTIONS["multinomial"](x, num_samples, True,
                                                          self.seed or None), self.dtype)


class RandomCategorical(Primitive):
    """``ops.RandomCategorical(dtype=int64)(logits, num_sample, seed=0)``."""

    def __init__(self, dtype=mstype.int64) -> None:
        self.dtype = dtype

    def __call__(self, logits, num_sample, seed=0):
        return FUNCTIONS["random_categorical"](logits, num_sample, seed, self.dtype)


class RandpermV2(Primitive):
    """``ops.RandpermV2(seed=0, offset=0, dtype=int64)(n)``."""

    def __init__(self, seed=0, offset=0, dtype=mstype.int64) -> None:
        self.seed, self.offset, self.dtype = seed, offset, dtype

    def __call__(self, n):
        return FUNCTIONS["randperm"](n, self.seed, self.offset, self.dtype)


class RandomChoiceWithMask(_Seeded):
    """``ops.RandomChoiceWithMask(count=256, seed=0, seed2=0)(input_x)``: ``(index,
    mask)`` (see ``ops.choice_with_mask``)."""

    def __init__(self, count=256, seed=0, seed2=0) -> None:
        super().__init__(seed, seed2)
        self.count = int(count)

    def __call__(self, input_x):
        return table_index.choice_with_mask_seeded(input_x, self.count, self.seed, self.seed2)
