"""``mindspore.mint.special``: ``erfc``, ``exp2``, ``expm1``, ``log1p``, ``log_softmax``,
``round``, ``sinc`` (MindSpore 2.10's names and signatures).

Takes: :mod:`autograd_st.ops`.  Gives: the ops under these names (``log_softmax`` and
``round`` adapted: bindable, eager on Tensors and emitting primitives when compiled).
"""
from __future__ import annotations

from .. import ops
from ..prims import bindable

__all__ = ["erfc", "exp2", "expm1", "log1p", "log_softmax", "round", "round_op", "sinc"]

erfc = ops.erfc
exp2 = ops.exp2
expm1 = ops.expm1
log1p = ops.log1p
sinc = ops.sinc


@bindable
def log_softmax(input, dim=None, *, dtype=None):
    """``mint.special.log_softmax(input, dim=None, *, dtype=None)`` (``dim=None``: the last
    axis; ``dtype``: the input cast first)."""
    if dtype is not None:
        input = ops.cast(input, dtype)
    return ops.log_softmax(input, -1 if dim is None else dim)


@bindable
def round(input):
    """``mint.special.round(input)``: to the nearest integer, halves to even."""
    return ops.round(input)


@bindable
def round_op(input, decimals=0):
    """``mint.special.round_op(input, decimals=0)``: to ``decimals`` places, halves to
    even."""
    return ops.round(input, decimals=decimals)
