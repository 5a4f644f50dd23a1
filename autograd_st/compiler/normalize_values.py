"""What the normalizer binds a user name or an expression to, and the names it derives.

While normalizing, every user variable and every expression is bound to a *value*:

- a :class:`~autograd_st.prims.Sym` (a runtime value held by an IR variable; :func:`sym`),
- a compile-time constant (a number, a Cell, a function, a tuple, ...),
- a tuple or list of these (a compile-time sequence of runtime values),
- a :class:`Range` (``range(...)``, kept symbolic until a ``for`` consumes it),
- or one of the markers :data:`MISSING`, :data:`LOOP_LOCAL`, :data:`PARTIAL` for a name
  that is not defined on every path (reading it is an error at the user's line).

:func:`atomize` turns a value into an IR atom; :func:`name_hint` and :func:`dotted` turn an
expression into the hint for names derived from it and into the text the user wrote.
"""
from __future__ import annotations

import gast

from ..prims import Sym, has_sym
from .ir import Const, Var

__all__ = ["sym", "atomize", "Range", "MISSING", "LOOP_LOCAL", "PARTIAL", "UNDEFINED",
           "name_hint", "dotted"]


def sym(name: str) -> Sym:
    """The Sym of IR variable ``name``."""
    return Sym(Var(name))


def atomize(value):
    """The IR atom for a bound value: Var, Const, or a tuple/slice structure of atoms."""
    if isinstance(value, Sym):
        return value.var
    if isinstance(value, (tuple, list)) and has_sym(value):
        return tuple(atomize(v) for v in value)
    if isinstance(value, slice) and has_sym(value):
        return slice(atomize(value.start), atomize(value.stop), atomize(value.step))
    return Const(value)


class Range:
    """``range(...)`` in user code: ``args`` is ``[start, stop, step]`` (values)."""

    def __init__(self, args) -> None:
        if len(args) == 1:
            args = [0, args[0], 1]
        elif len(args) == 2:
            args = [args[0], args[1], 1]
        self.args = list(args)


class _Missing:
    def __repr__(self):
        return "<missing>"


MISSING = _Missing()  # not defined at all (also: a positional parameter with no argument)
LOOP_LOCAL = _Missing()  # assigned inside a loop only: undefined if the loop ran no iteration
PARTIAL = _Missing()  # assigned in one branch of an if on a runtime value only
UNDEFINED = (MISSING, LOOP_LOCAL, PARTIAL)


def dotted(node) -> str:
    """``np.cumsum`` for the expression ``np.cumsum`` (what the user wrote)."""
    parts = []
    while isinstance(node, gast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, gast.Name):
        return ""
    parts.append(node.id)
    return ".".join(reversed(parts))


def name_hint(node) -> str:
    """``self_fc1_weight`` for ``self.fc1.weight``: the hint for names derived from it."""
    parts = []
    while isinstance(node, gast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, gast.Name):
        parts.append(node.id)
    else:
        return "_".join(reversed(parts)) or "value"
    return "_".join(reversed(parts))
