"""The :class:`Op` row of the op table (:mod:`autograd_st.op_table`), in a module of its own so
that the family tables (``table_array``, ``table_math``, ``table_nn``) can write rows without
importing the table that gathers them.

Takes: nothing from the package.  Gives: :class:`Op`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

__all__ = ["Op"]


@dataclass(frozen=True)
class Op:
    """One calling convention of a primitive and the public names that use it.

    ``prim``: the primitive in :data:`autograd_st.rules.REGISTRY` the function calls (for an
    adapter made of several primitives, the one it is named after).  ``params``: the
    parameters of a generated function, e.g. ``"input, axis=-1"`` (passed to the primitive in
    its parameter order); or ``fn``: an adapter written over ``P`` in this module.  ``ops``:
    its names in ``autograd_st.ops`` (the first is its ``__name__``; the rest are aliases);
    ``methods``: its names as a Tensor method (``self`` is the first argument); ``numpy``:
    the numpy functions it stands for in compiled code; ``classes``: the primitive classes
    (``ops.Exp``) whose instances call it; ``doc``: the generated function's docstring.
    """

    prim: str
    params: str = ""
    fn: Callable | None = None
    ops: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    numpy: tuple[Callable, ...] = ()
    classes: tuple[str, ...] = ()
    doc: str = ""
