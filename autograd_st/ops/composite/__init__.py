"""``mindspore.ops.composite`` (``from mindspore.ops import composite as C``): the names
MindSpore 2.10 has there that programs use: ``GradOperation``, ``HyperMap``, ``Map``,
``MultitypeFuncGraph``, ``tail``, ``zeros_like``, ``ones_like``, the submodule ``base``, and
the ops functions MindSpore also publishes there (``C.clip_by_value`` and
``C.clip_by_global_norm`` in the BERT zoo's training cells, ``C.matmul``, ``C.sequence_mask``
...: the same functions as ``ops.<name>``), and ``add_flags``.

Takes: :mod:`.base`, the ops functions of the op table.
Gives: those names.
"""
from ...op_table import FUNCTIONS
from . import base
from .base import GradOperation, HyperMap, Map, MultitypeFuncGraph, tail

zeros_like = FUNCTIONS["zeros_like"]
ones_like = FUNCTIONS["ones_like"]
clip_by_global_norm = FUNCTIONS["clip_by_global_norm"]
clip_by_value = FUNCTIONS["clip_by_value"]
count_nonzero = FUNCTIONS["count_nonzero"]
dot = FUNCTIONS["dot"]
matmul = FUNCTIONS["matmul"]
mm = FUNCTIONS["mm"]
repeat_elements = FUNCTIONS["repeat_elements"]
repeat_interleave = FUNCTIONS["repeat_interleave"]
sequence_mask = FUNCTIONS["sequence_mask"]
vecdot = FUNCTIONS["vecdot"]


def add_flags(fn=None, **flags):
    """MindSpore's ``C.add_flags(fn=None, **flags)``: records ``flags`` on ``fn`` (as
    ``fn._func_graph_flags``, merged with earlier ones) and returns ``fn``; with no ``fn``, a
    decorator doing that. MindSpore's graph compiler reads the flags (``has_effect=True`` ...);
    nothing here depends on them."""
    def mark(target):
        merged = dict(getattr(target, "_func_graph_flags", None) or {})
        merged.update(flags)
        target._func_graph_flags = merged
        return target
    return mark if fn is None else mark(fn)

__all__ = ["base", "GradOperation", "HyperMap", "Map", "MultitypeFuncGraph", "tail",
           "zeros_like", "ones_like", "clip_by_global_norm", "clip_by_value", "count_nonzero",
           "dot", "matmul", "mm", "repeat_elements", "repeat_interleave", "sequence_mask",
           "vecdot", "add_flags"]
