"""``mindspore.ops.primitive``: the bases of primitive classes, for primitives of your own.

Takes: :mod:`autograd_st.ops.primitive_base`.  Gives: ``Primitive``, ``PrimitiveWithInfer``,
``PrimitiveWithCheck``, ``prim_attr_register``, ``constexpr`` (see that module for how a
primitive of your own runs and is differentiated).
"""
from __future__ import annotations

from .primitive_base import (
    Primitive,
    PrimitiveWithCheck,
    PrimitiveWithInfer,
    constexpr,
    prim_attr_register,
)

__all__ = ["Primitive", "PrimitiveWithInfer", "PrimitiveWithCheck", "prim_attr_register",
           "constexpr"]
