"""MindSpore's primitive classes for nn forms (``ops.Conv2D``, ``ops.MaxPool`` ...) that take constructor attributes: each
instance is a constant to the compiler, its call a function of the op table.

Takes: :class:`~autograd_st.ops.primitive_base.Primitive` and the op table's functions.
Gives: the classes (``operations`` publishes them as ``autograd_st.ops.<Name>``).
"""
from __future__ import annotations

from .primitive_base import Primitive  # noqa: F401

__all__: list = []
