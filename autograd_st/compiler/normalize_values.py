"""What the normalizer binds a user name or an expression to, and the names it derives.

While normalizing, every user variable and every expression is bound to a *value*:

- a :class:`~autograd_st.prims.Sym` (a runtime value held by an IR variable; :func:`sym`),
- a compile-time constant (a number, a Cell, a function, a tuple, ...),
- a tuple or list of these (a compile-time sequence of runtime values); a list the
  function builds itself is a :class:`SymList`, which ``append`` and friends change at
  compile time,
- a dict with constant keys,
- a :class:`Range` (``range(...)``, kept symbolic until a ``for`` consumes it),
- a :class:`Closure` (a ``lambda`` or a nested ``def``, bound inline where it is called),
- or one of the markers :data:`MISSING`, :data:`LOOP_LOCAL`, :data:`PARTIAL` for a name
  that is not defined on every path (reading it is an error at the user's line).

A runtime value that one branch of an ``if`` on a runtime value leaves unassigned holds
:data:`UNBOUND` on that path; generated code reads it only after :data:`CHECK_BOUND` (which
raises Python's ``UnboundLocalError`` there).  :exc:`NeedsConstant` is how the binding of a
loop body says it needs the loop unrolled.

:func:`atomize` turns a value into an IR atom; :func:`name_hint` and :func:`dotted` turn an
expression into the hint for names derived from it and into the text the user wrote.
"""
from __future__ import annotations

import functools

import gast

from ..prims import Sym, has_sym
from .ir import Const, Var

__all__ = ["sym", "atomize", "Range", "MISSING", "LOOP_LOCAL", "PARTIAL", "UNDEFINED",
           "name_hint", "dotted", "SymList", "Closure", "NeedsConstant", "UNBOUND",
           "CHECK_BOUND", "RAISE_ERROR", "CHECK_UNPACK", "trip_count", "bind_arguments",
           "holds_partial_of_runtime_values", "NOT_HANDLED", "sequence"]


def sym(name: str) -> Sym:
    """The Sym of IR variable ``name``."""
    return Sym(Var(name))


def tuple_like(value, items) -> tuple:
    """``items`` as a tuple of ``value``'s own tuple type: a ``collections.namedtuple`` /
    ``typing.NamedTuple`` (``State(h, c)``, built when compiling) stays one, so ``st.h``
    reads its item after a loop, a branch or a call too."""
    cls = type(value)
    return tuple(items) if cls is tuple or not hasattr(cls, "_make") else cls._make(items)


def atomize(value):
    """The IR atom for a bound value: Var, Const, or a tuple/slice structure of atoms."""
    if isinstance(value, Sym):
        return value.var
    if isinstance(value, (tuple, list)) and has_sym(value):
        return tuple(atomize(v) for v in value)
    if isinstance(value, slice) and has_sym(value):
        return slice(atomize(value.start), atomize(value.stop), atomize(value.step))
    if type(value) is SymList:  # a constant list the function built: a plain list literal
        return Const(list(value))
    return Const(value)


class Range:
    """``range(...)`` in user code: ``args`` is ``[start, stop, step]`` (values)."""

    def __init__(self, args) -> None:
        if len(args) == 1:
            args = [0, args[0], 1]
        elif len(args) == 2:
            args = [args[0], args[1], 1]
        self.args = list(args)


def trip_count(rng: Range):
    """How many times a loop over ``rng`` runs, when its bounds are constants, else None."""
    if any(has_sym(a) or not isinstance(a, int) for a in rng.args):
        return None
    try:
        return len(range(*rng.args))
    except (TypeError, ValueError):
        return None


class SymList(list):
    """A list the function being bound builds itself (``[...]``, a comprehension,
    ``list(...)``).  Its items are bound values; ``append``, ``extend``, ``insert``, ``pop``
    and the rest change it at compile time, which is safe because no one outside the
    function holds it.  (A list read from outside is a plain ``list`` and stays unchanged.)"""

    __slots__ = ()


class Closure:
    """A ``lambda`` or a ``def`` nested in the function being bound.  Calling it binds its
    body inline, in the calling function's normalizer: its free names read the enclosing
    function's variables as they are at the call (Python's closures see the current value
    too), its own parameters and assignments are local to the call."""

    __slots__ = ("node", "defaults", "owner", "name")

    def __init__(self, node, defaults, owner, name) -> None:
        self.node = node  # gast.Lambda or gast.FunctionDef
        self.defaults = defaults  # the bound values of its defaults (evaluated at definition)
        self.owner = owner  # the Normalizer whose function defines it
        self.name = name

    def __repr__(self) -> str:
        return "<local function %s>" % self.name

    def __call__(self, *args, **kwargs):  # (callable for functools.partial; bound inline)
        raise TypeError("%r is bound inline where it is called" % self)


class NeedsConstant(Exception):
    """Raised while a loop body is bound as an IR loop, when the body needs the loop's
    counter as a compile-time value (a compile-time sequence indexed by it, the Cell it
    picks) or changes the structure of a value the loop carries (a tuple that grows, a list
    appended to).  The innermost enclosing loop with a constant trip count catches it and
    is unrolled instead; ``error`` is the user's CompileError when no loop can be."""

    def __init__(self, error) -> None:
        super().__init__(str(error))
        self.error = error


class _Unbound:
    """What a variable holds, in generated code, on a path where the user's code never
    assigned it (one branch of an ``if`` on a runtime value)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<unbound>"

    def __reduce__(self):
        return "UNBOUND"


UNBOUND = _Unbound()


class _CheckBound:
    """``check_bound(value, name, where)``: raise UnboundLocalError, as Python does, when
    generated code reads a variable the user's code left unassigned on this path."""

    __slots__ = ()
    __name__ = "check_bound"

    def __call__(self, value, name, where):
        if value is UNBOUND:
            raise UnboundLocalError(
                "cannot access local variable %r where it is not associated with a value "
                "(%s: it is assigned in only one branch of an if on a runtime value, and that "
                "branch did not run)" % (name, where))
        return None

    def __reduce__(self):
        return "CHECK_BOUND"


CHECK_BOUND = _CheckBound()


class _RaiseError:
    """``raise_error(exc_type, message)``: a ``raise`` in a branch of an ``if`` on a runtime
    value, run when that branch does (``assert`` on a runtime value: ``exc_type`` None, the
    value first)."""

    __slots__ = ()
    __name__ = "raise_error"

    def __call__(self, exc_type, message, value=False):
        if exc_type is None:  # assert value, message
            if value:
                return None
            raise AssertionError(message)
        raise exc_type(message)

    def __reduce__(self):
        return "RAISE_ERROR"


RAISE_ERROR = _RaiseError()


class _CheckUnpack:
    """``check_unpack(value, n)``: raise ValueError, as Python's ``a, b = value`` does, when
    a runtime value does not hold exactly ``n`` items."""

    __slots__ = ()
    __name__ = "check_unpack"

    def __call__(self, value, n):
        got = len(value)
        if got > n:
            raise ValueError("too many values to unpack (expected %d)" % n)
        if got < n:
            raise ValueError("not enough values to unpack (expected %d, got %d)" % (n, got))
        return None

    def __reduce__(self):
        return "CHECK_UNPACK"


CHECK_UNPACK = _CheckUnpack()


class _Missing:
    def __repr__(self):
        return "<missing>"


MISSING = _Missing()  # not defined at all (also: a positional parameter with no argument)
NOT_HANDLED = object()  # what a call handler returns for a call it leaves to the caller


def sequence(value) -> bool:
    """A compile-time sequence whose length is known now (its items may be runtime)."""
    return isinstance(value, (tuple, list)) and not isinstance(value, Sym)
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


def _listed(names) -> str:
    """``'a'``, ``'a' and 'b'``, ``'a', 'b', and 'c'`` (as Python's messages list them)."""
    quoted = ["%r" % n for n in names]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]


def bind_arguments(name, params, defaults, args, kwargs, positional_only=0, offset=0):
    """Python's binding of a call ``name(*args, **kwargs)`` to plain parameters ``params``
    (the last ``len(defaults)`` with those defaults; the first ``positional_only`` of them
    positional-only): ``{parameter: value}`` for the parameters the call gives, keywords in
    any order; a parameter left out takes its default.  A bad call raises ``TypeError``
    with Python's message (``offset``: the bound parameters, ``self``, that Python counts).
    """
    n_required = len(params) - len(defaults)
    if len(args) > len(params):
        takes = len(params) + offset
        if defaults:
            takes = "from %d to %d" % (n_required + offset, takes)
        raise TypeError("%s() takes %s positional argument%s but %d %s given" % (
            name, takes, "" if takes == 1 else "s", len(args) + offset,
            "was" if len(args) + offset == 1 else "were"))
    bound = dict(zip(params, args))
    early = [k for k in kwargs if k in params[:positional_only]]
    if early:
        raise TypeError("%s() got some positional-only arguments passed as keyword "
                        "arguments: %s" % (name, ", ".join(repr(k) for k in early)))
    for k, v in kwargs.items():
        if k not in params:
            raise TypeError("%s() got an unexpected keyword argument %r" % (name, k))
        if k in bound:
            raise TypeError("%s() got multiple values for argument %r" % (name, k))
        bound[k] = v
    missing = [p for p in params[:n_required] if p not in bound]
    if missing:
        raise TypeError("%s() missing %d required positional argument%s: %s" % (
            name, len(missing), "" if len(missing) == 1 else "s", _listed(missing)))
    for i, p in enumerate(params[n_required:]):
        bound.setdefault(p, defaults[i])
    return {p: bound[p] for p in params}


def holds_partial_of_runtime_values(value) -> bool:
    """Whether ``value`` holds a ``functools.partial`` made at compile time (``F.partial``)
    over runtime values of the function being bound: it is called only there (returned
    from it, or passed to another compiled function, it would read variables of the wrong
    function)."""
    if type(value) is functools.partial:
        return has_sym(list(value.args) + list(value.keywords.values()))
    if isinstance(value, (tuple, list)) and not isinstance(value, Sym):
        return any(holds_partial_of_runtime_values(v) for v in value)
    if type(value) is dict:
        return any(holds_partial_of_runtime_values(v) for v in value.values())
    return False
