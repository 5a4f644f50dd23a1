"""The compiler's intermediate representation (A-normal form) and the symbolic values that
user code is bound to while it is normalized.

Statements (each keeps ``loc``, the user's ``(filename, line, col)``):

- ``Prim(targets, prim, args)``: ``target = prim(args)``; ``args`` maps each of the
  primitive's parameters to an atom (``Var`` or ``Const``).
- ``Call(targets, callee, args, res)``: a call to another compiled function (a sub-Cell, a
  helper function, a gradient function); ``res`` names its residuals.
- ``Opaque(targets, expr)``: Python evaluated as it is, with no gradient (``x.shape[0]``).
- ``If(cond, body, orelse)``, ``For(target, iter_args, body)``, ``While(cond, body)``:
  control flow, whose bodies are lists of statements.

Atoms are ``Var(name)`` or ``Const(value)``.  A :class:`Sym` is a Var seen from user code
while it is bound: operators on it emit primitive statements.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Const:
    value: Any


Loc = tuple  # (filename, lineno, col)


@dataclass
class Prim:
    targets: list
    prim: Any
    args: dict
    loc: Loc = None
    given: frozenset = frozenset()  # parameters written at the call site


@dataclass
class Call:
    targets: list
    callee: Any  # compiler.Compiled (a pair of generated functions)
    args: list
    res: str
    loc: Loc = None


@dataclass
class Opaque:
    targets: list
    expr: Any  # gast expression; Var placeholders appear as gast.Name
    uses: list = field(default_factory=list)
    loc: Loc = None


@dataclass
class If:
    cond: Any
    body: list
    orelse: list
    loc: Loc = None


@dataclass
class For:
    target: str
    iter_args: list  # atoms of range(start, stop, step)
    body: list
    carried: list = field(default_factory=list)  # [(header, init, backedge)]
    loc: Loc = None


@dataclass
class While:
    cond: Any  # atom evaluated before each iteration (its statements are cond_body)
    cond_body: list
    body: list
    carried: list = field(default_factory=list)
    loc: Loc = None


@dataclass
class Comment:
    text: str


def atom_names(atoms) -> list:
    return [a.name for a in atoms if isinstance(a, Var)]


def uses_of(stmt) -> list:
    """Variables read directly by a simple statement."""
    if isinstance(stmt, Prim):
        return atom_names(stmt.args.values())
    if isinstance(stmt, Call):
        return atom_names(stmt.args)
    if isinstance(stmt, Opaque):
        return list(stmt.uses)
    return []


# ---------------------------------------------------------------------------------------
# symbolic values, seen by the binding layer (ops composites, Tensor methods ...)
# ---------------------------------------------------------------------------------------

class Sym:
    """A runtime value while user code is being bound: operators emit primitives."""

    __slots__ = ("var",)

    def __init__(self, name: str) -> None:
        self.var = Var(name)

    def __repr__(self) -> str:
        return "Sym(%s)" % self.var.name

    def _bin(self, name, other, swap=False):
        from ..prims import P
        return getattr(P, name)(other, self) if swap else getattr(P, name)(self, other)

    def __add__(self, o): return self._bin("add", o)
    def __radd__(self, o): return self._bin("add", o, True)
    def __sub__(self, o): return self._bin("sub", o)
    def __rsub__(self, o): return self._bin("sub", o, True)
    def __mul__(self, o): return self._bin("mul", o)
    def __rmul__(self, o): return self._bin("mul", o, True)
    def __truediv__(self, o): return self._bin("div", o)
    def __rtruediv__(self, o): return self._bin("div", o, True)
    def __pow__(self, o): return self._bin("pow", o)
    def __rpow__(self, o): return self._bin("pow", o, True)
    def __matmul__(self, o): return self._bin("matmul", o)
    def __rmatmul__(self, o): return self._bin("matmul", o, True)
    def __lt__(self, o): return self._bin("less", o)
    def __le__(self, o): return self._bin("less_equal", o)
    def __gt__(self, o): return self._bin("greater", o)
    def __ge__(self, o): return self._bin("greater_equal", o)

    def __neg__(self):
        from ..prims import P
        return P.neg(self)

    def __getitem__(self, index):
        from ..prims import P
        return P.getitem(self, index)

    def __bool__(self):
        raise TypeError("a runtime value is used where a compile-time Python value is needed")

    __hash__ = object.__hash__


_state = threading.local()


def current_builder():
    """The normalizer currently binding user code on this thread, or None."""
    return getattr(_state, "builder", None)


class binding:
    """Context manager: route primitive calls on Syms into ``builder``."""

    def __init__(self, builder) -> None:
        self.builder = builder

    def __enter__(self):
        self.prev = current_builder()
        _state.builder = self.builder
        return self.builder

    def __exit__(self, *exc):
        _state.builder = self.prev
        return False
