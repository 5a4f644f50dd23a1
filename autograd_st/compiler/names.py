"""Deterministic names for generated code: the one place the naming scheme lives.

- A user variable keeps its name for its first value; later values are ``x_1``, ``x_2``.
- A compiler temporary is ``_<primitive>`` (``_matmul``, ``_add_1``).
- The adjoint of ``v`` is ``d_v`` (``d_x``, ``d_matmul``); of a Parameter ``self.w``,
  ``d_self_w``.
- Inputs standing for Parameters and free Tensors are their attribute path joined by ``_``
  (``self_fc1_weight``, ``net_bias``).
- A loop's tape is ``_tape``; a call's residuals ``_<callee>_res``.

Every name is unique within its function (a counter suffix, never randomness); names the
generated module uses as globals (``np``, the runtime helpers, codegen's ``__comment__``
marker, builtins) are never given out.  A name made from a string that is not an identifier
(an attribute set with ``setattr``, a qualname) is spelled as Python reads it (NFKC: ``ﬁ`` is
``fi``) with every other character replaced by ``_``, so two names never differ only in a
spelling Python treats as the same identifier.
"""
from __future__ import annotations

import builtins
import keyword
import unicodedata

from ..runtime import RUNTIME_NAMES

RESERVED = frozenset(("np", "__comment__") + RUNTIME_NAMES) | frozenset(keyword.kwlist)


def identifier(base: str) -> str:
    """``base`` as a Python identifier, in the form Python itself reads it (NFKC)."""
    if not base.isascii():
        base = unicodedata.normalize("NFKC", base)
    if base.isidentifier():
        return base
    base = "".join(c if ("_" + c).isidentifier() else "_" for c in base)
    return base if base.isidentifier() else "v_" + base


_BUILTINS = vars(builtins)


def _builtin(base: str) -> bool:
    """``hasattr(builtins, base)``: a name in the module's dict, or one of a module object's
    own attributes (``__class__``, ``__dict__`` ...: all of them dunder names), without the
    AttributeError ``hasattr`` makes and drops for every other name."""
    return base in _BUILTINS or (base[:2] == "__" and hasattr(builtins, base))


_IDENTIFIERS: dict = {}  # a base name -> identifier(base) (the same few bases, asked often)


class NameAllocator:
    def __init__(self, taken=()) -> None:
        self.taken = set(RESERVED)
        self.taken.update(taken)
        self.next: dict = {}  # stem -> the next suffix to try (keeps fresh() O(1))

    def __deepcopy__(self, memo) -> "NameAllocator":
        """A copy whose names are given out apart (``copy.deepcopy``: its sets hold only
        strings and numbers, copied as such without a call per item)."""
        other = NameAllocator.__new__(NameAllocator)
        other.__dict__.update(self.__dict__)
        other.taken, other.next = set(self.taken), dict(self.next)
        memo[id(self)] = other
        return other

    def reserve(self, name: str) -> None:
        self.taken.add(name)

    def fresh(self, base: str) -> str:
        ident = _IDENTIFIERS.get(base)
        if ident is None:
            ident = identifier(base or "t")
            if len(_IDENTIFIERS) < 4096:
                _IDENTIFIERS[base] = ident
        taken = self.taken
        if ident not in taken and not _builtin(ident):
            taken.add(ident)
            return ident
        i = self.next.get(ident, 1)
        name = "%s_%d" % (ident, i)
        while name in taken:
            i += 1
            name = "%s_%d" % (ident, i)
        self.next[ident] = i + 1
        taken.add(name)
        return name

    def name_in(self, table: dict, obj, hint: str) -> str:
        """The name ``obj`` has in ``table`` (by identity), or a fresh one it is given."""
        for name, existing in table.items():
            if existing is obj:
                return name
        name = self.fresh(hint)
        table[name] = obj
        return name
