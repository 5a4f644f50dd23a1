"""The base of MindSpore's primitive classes (``ops.MatMul()``, ``ops.Split(axis, n)``).

Takes: nothing from the package.  Gives: :class:`Primitive`.
"""
from __future__ import annotations

__all__ = ["Primitive"]


class Primitive:
    """Base of primitive classes: constants to the compiler, callable on Tensors."""

    _autograd_st_primitive = True

    def __repr__(self) -> str:
        attrs = ", ".join("%s=%r" % kv for kv in sorted(vars(self).items()))
        return "%s(%s)" % (type(self).__name__, attrs)
