"""The primitive behind ``ops.vmap``'s batch-size checks in compiled code.

``vmap_batch_size(x, axis, n=None, cells=None)`` is the size of ``x`` along ``axis``, after
MindSpore 2.10's checks: equal to ``n`` (the size of the mapped arguments before ``x``),
and to ``cells`` (the length of a CellList being ensembled).  A primitive without gradient
whose result is the loop's trip count, so the check runs where the code runs, is never
dropped, and adds no side effect to a loop (which a derivative of a derivative would refuse).

Takes: :mod:`autograd_st.rules` (``primitive``).  Gives: the primitive, by registering it.
"""
from __future__ import annotations

import numpy as np

from .errors import VmapError
from .rules import primitive

__all__ = ["vmap_batch_size", "cell_list_message"]


def cell_list_message(n, cells) -> str:
    """MindSpore's message when a CellList's length is not the batch size."""
    return ("If you want to execute the model ensembling parallel training, please make sure "
            "the 'axis_size' in the scope of vmap consistent with the cell size of the input "
            "'CellList', otherwise, please do not enter 'CellList' as the first argument, but "
            "we get axis_size: %d and the cell size: %d." % (n, cells))


def vmap_batch_size(x, axis, n=None, cells=None):
    """The size of ``x`` along ``axis`` (an int), checked against ``n`` and ``cells``."""
    shape = np.shape(x)
    if not -len(shape) <= axis < len(shape):
        raise VmapError("The axis: %d in 'in_axes' is out of bounds for array of dimension "
                        "[%d,%d)." % (axis, -len(shape), len(shape)),
                        "give an axis the argument has")
    size = shape[axis]
    if n is not None and size != n:
        raise VmapError("The 'axis_size' of each argument in the scope of 'vmap' should be "
                        "equal, but got %d and %d." % (n, size),
                        "give every mapped argument the same size on its axis")
    if cells is not None and size != cells:
        raise ValueError(cell_list_message(size, cells))
    return size


vmap_batch_size._autograd_st_prim = "vmap_batch_size"


@primitive(name="vmap_batch_size", diff=())
def vmap_batch_size_(x, axis, n=None, cells=None):
    return vmap_batch_size(x, axis, n, cells)
