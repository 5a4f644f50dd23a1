"""Cache keys and the compile-time environment shared by the build modules.

Takes: Cells, constant arguments, guards (what a compile folded in).
Gives: signatures that change exactly when the generated code would (``structure_signature``,
``argspec_signature``), :class:`Guard` (one value a compile folded in, where to read it
again and what it was), the check that a compile's guards still hold (``guards_hold``, all
of them; ``hot_check``, the per-call ones written out as one function), the lock every
cache is read and written under, and ``gc_paused``, the context every compile runs in.

Caches are keyed by what changes the code: the function's code object, the structure of
``self`` (which attributes are Parameters, sub-Cells, primitives, constants), the kinds of
constant arguments, and which inputs are differentiated.  Never shapes.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import operator
import threading
from keyword import iskeyword

import numpy as np

from ..cell import Cell
from ..tensor import Parameter, Tensor
from .ir import ABSENT, RUNTIME
from .markers import is_primitive_instance

__all__ = ["LOCK", "gc_paused", "paused_gc", "structure_signature", "argspec_signature",
           "Guard", "read_source", "guards_hold", "hot_check", "trim", "built_once"]

LOCK = threading.RLock()  # every compiler cache is read and written under it


# ---------------------------------------------------------------------------------------
# the cyclic garbage collector during a compile
# ---------------------------------------------------------------------------------------

# A compile allocates a few hundred container objects per source line (AST nodes, IR,
# generated code) and keeps most of them alive until it ends, so the collector's
# generational heuristics keep firing on objects that are not garbage: every full
# collection walks the whole heap, and the heap grows with the function, which made the
# cost per line grow with the number of lines (820 us/line at 1000 lines, 553 at 100).
# Reference counting frees a compile's temporaries either way (the passes make no reference
# cycles that hold code: see build.PairNames and codegen._string_literal), so the collector
# is paused while any thread compiles and resumes, if it was on, when the last compile
# ends; it then sees the survivors once.
_GC_LOCK = threading.Lock()
_GC_STATE = {"depth": 0, "was_enabled": False}  # compiles running (all threads)


@contextlib.contextmanager
def gc_paused():
    """Run the body with the cyclic garbage collector off (re-entrant, thread-safe)."""
    with _GC_LOCK:
        if _GC_STATE["depth"] == 0:
            _GC_STATE["was_enabled"] = gc.isenabled()
            gc.disable()
        _GC_STATE["depth"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_STATE["depth"] -= 1
            if _GC_STATE["depth"] == 0 and _GC_STATE["was_enabled"]:
                gc.enable()


def paused_gc(fn):
    """``fn`` run under :func:`gc_paused` (the compiler's entry points)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with gc_paused():
            return fn(*args, **kwargs)
    return wrapper


# ---------------------------------------------------------------------------------------
# cache keys
# ---------------------------------------------------------------------------------------

def _const_sig(value, depth=0):
    if isinstance(value, (int, float, bool, str, bytes, type(None))):
        return (type(value).__name__, value)
    if isinstance(value, (tuple, list)) and depth < 32:  # an argument's structure: by content
        return (type(value).__name__,) + tuple(_const_sig(v, depth + 1) for v in value)
    if type(value) is dict and depth < 32:  # a dict argument or its spec: by content
        return ("dict",) + tuple((_const_sig(k), _const_sig(v, depth + 1))
                                 for k, v in value.items())
    if value is RUNTIME:
        return "R"
    if isinstance(value, Parameter):
        return ("P", value.requires_grad)
    if isinstance(value, (Tensor, np.ndarray)):
        return ("T",)
    if isinstance(value, Cell):
        return structure_signature(value, depth + 1)
    if is_primitive_instance(value):
        return ("prim", type(value), tuple(sorted((k, _const_sig(v, depth + 1))
                                                  for k, v in vars(value).items())))
    return ("id", id(value))


def structure_signature(cell, depth=0):
    """What about a Cell changes the code compiled for it (not Parameter values)."""
    if depth > 32:
        return ("deep", id(cell))
    items = []
    for k, v in sorted(vars(cell).items()):
        if k in ("_params", "_cells", "_bprop_cache", "_param_lists"):
            continue  # (bookkeeping: what they hold is in the attributes themselves)
        items.append((k, _const_sig(v, depth + 1)))
    return (type(cell), tuple(items))


def argspec_signature(argspec) -> tuple:
    """The key part of per-argument specs (RUNTIME or the constants compiled in)."""
    return tuple(_const_sig(a) for a in argspec)


# ---------------------------------------------------------------------------------------
# guards: every value a compile folded in, where it was read and what it was
# ---------------------------------------------------------------------------------------

class Guard:
    """One value a compile folded in: how to read it again and what must still hold of it.

    ``root``: where the reading starts: ``("self",)`` the Cell the function is bound to,
    ``("arg", i)`` its i-th positional argument, ``("const", obj)`` an object the guard holds
    (a module's globals, a closure, a Cell, a function's defaults).
    ``steps``: the walk from the root: ``("attr", name)`` getattr, ``("item", key)``
    subscript, ``("ns", name)`` a namespace's entry (:data:`ABSENT` when it has none).
    ``check``, against ``expected``:

    - ``"id"``: it is ``expected`` (an object, a namespace's entry, ABSENT);
    - ``"eq"``: same type and equal (a number, a string, None; NaN equals NaN);
    - ``"seq"``: same sequence type, equal, same element types (a flat list of scalars);
    - ``"ids"``: same sequence type and length, the same objects (a list of objects);
    - ``"len"``: same sequence type and length (the items are guarded one by one);
    - ``"keys"``: a dict with these keys in this order (the values are guarded one by one);
    - ``"set"``: a set (or frozenset) equal to ``expected``;
    - ``"has"``: ``hasattr(value, expected[0]) is expected[1]``;
    - ``"struct"``: a Cell whose :func:`structure_signature` is ``expected``.

    ``hot``: the value can change while no Cell attribute is assigned (a module's attribute,
    a list's items), so the check runs on every call; the others run when the structure
    epoch moved.  ``fixed``: the value at this place can change only through a Cell's
    ``__setattr__`` (it was read through attributes of Cells), so while the epoch has not
    moved it is ``obj``, the value read at compile time."""

    __slots__ = ("root", "steps", "check", "expected", "hot", "fixed", "obj")

    def __init__(self, root, steps, check, expected, hot, fixed, obj) -> None:
        self.root, self.steps, self.check, self.expected = root, tuple(steps), check, expected
        self.hot, self.fixed, self.obj = hot, fixed, obj

    def place(self) -> tuple:
        """Where the value is read (hashable: an object root by identity)."""
        root = self.root if self.root[0] != "const" else ("const", id(self.root[1]))
        return root, self.steps

    def key(self) -> tuple:
        return self.place() + (self.check,)

    def rebased(self, root, steps, fixed) -> "Guard":
        """This guard read from ``root`` + ``steps`` instead of from its own root (a
        callee's guard in its caller: the callee's self or argument is found there)."""
        return Guard(root, tuple(steps) + self.steps, self.check, self.expected, self.hot,
                     self.fixed and fixed, self.obj)

    def holds(self, value) -> bool:
        return _HOLDS[self.check](value, self.expected)

    def __repr__(self) -> str:
        return "Guard(%s%s %s %r%s)" % (
            self.root[0] if self.root[0] != "arg" else "arg%d" % self.root[1],
            "".join(".%s" % k if op == "attr" else "[%r]" % (k,) for op, k in self.steps),
            self.check, self.expected, ", hot" if self.hot else "")


def _same_scalar(v, e) -> bool:
    return type(v) is type(e) and (v == e or (v != v and e != e))


_HOLDS = {
    "id": lambda v, e: v is e,
    "eq": _same_scalar,
    "seq": lambda v, e: type(v) is type(e) and v == e
    and tuple(map(type, v)) == tuple(map(type, e)),
    "ids": lambda v, e: type(v) is type(e) and len(v) == len(e)
    and all(map(operator.is_, v, e)),
    "len": lambda v, e: type(v) is e[0] and len(v) == e[1],
    "keys": lambda v, e: type(v) is dict and list(v) == e,
    "set": lambda v, e: type(v) is type(e) and v == e,
    "has": lambda v, e: hasattr(v, e[0]) is e[1],
    "struct": lambda v, e: isinstance(v, Cell) and structure_signature(v) == e,
}


def read_source(root, steps, self_obj, args):
    """The value at ``root`` + ``steps`` now (raises when it cannot be read)."""
    if root[0] == "self":
        value = self_obj
    elif root[0] == "arg":
        value = args[root[1]]
    else:
        value = root[1]
    for op, key in steps:
        if op == "attr":
            value = getattr(value, key)
        elif op == "item":
            value = value[key]
        else:
            value = value.get(key, ABSENT)
    return value


def guards_hold(guards, self_obj=None, args=()) -> bool:
    """Whether every guard still holds for a call on ``self_obj`` with ``args`` (the
    constants of the positional arguments): all of them, the slow way (a compile is near)."""
    for g in guards:
        try:
            value = read_source(g.root, g.steps, self_obj, args)
        except Exception:  # noqa: BLE001 - gone or changed shape: the guard fails
            return False
        try:
            if not g.holds(value):
                return False
        except Exception:  # noqa: BLE001 - a comparison that raises: not the same value
            return False
    return True


_SCALARS = (int, float, complex, str, bytes, bool, type(None))


def _literal(value) -> bool:
    """Whether ``repr(value)`` is ``value`` in generated code (an int or a string key)."""
    return type(value) in (int, str, bool, type(None)) and len(repr(value)) < 80


def hot_check(guards, self_obj):
    """``check(args) -> bool``, the guards that run on every call, written out as one
    expression, or None when there are none.  It runs only while the structure epoch has not
    moved: a place read through attributes of Cells (``fixed``) is then the object it was,
    and so is a place whose identity an earlier condition checked, so each condition reads
    from the nearest such object (``np.sin is F`` after ``G['np'] is M`` is ``M.sin is F``)."""
    hot = sorted((g for g in guards if g.hot),
                 key=lambda g: (len(g.steps), g.check != "id"))
    if not hot:
        return None
    consts: dict = {}

    def const(obj) -> str:
        name = "c%d" % len(consts)
        consts[name] = obj
        return name

    known = {(("self",), ()): const(self_obj)}
    for g in guards:
        if g.fixed:
            known.setdefault(g.place(), None)
            if known[g.place()] is None:
                known[g.place()] = const(g.obj)
    conds = []
    for g in hot:
        root, steps = g.place()
        absent = g.check == "id" and g.expected is ABSENT
        walked = steps[:-1] if absent else steps  # ABSENT: ``'x' not in namespace``
        start, code = 0, None
        for n in range(len(walked), -1, -1):
            code = known.get((root, walked[:n]))
            if code is not None:
                start = n
                break
        if code is None:
            code = "args[%d]" % g.root[1] if g.root[0] == "arg" else const(g.root[1])
        for op, key in walked[start:]:
            if op == "attr":
                code = "%s.%s" % (code, key) if key.isidentifier() and not iskeyword(key) \
                    else "getattr(%s, %r)" % (code, key)
            else:
                code = "%s[%s]" % (code, repr(key) if _literal(key) else const(key))
        if absent:
            conds.append("%s not in %s" % (repr(steps[-1][1]) if _literal(steps[-1][1])
                                           else const(steps[-1][1]), code))
            continue
        e = const(g.expected) if g.check not in ("has", "len") else None
        v = "(_v := %s)" % code
        check = g.check
        if check == "id":
            conds.append("%s is %s" % (code, e))
            known[(root, steps)] = e
        elif check == "eq":
            if g.expected != g.expected:  # NaN
                conds.append("type(%s) is float and _v != _v" % v)
            else:
                conds.append("type(%s) is %s and _v == %s" % (v, const(type(g.expected)), e))
        elif check == "seq":
            conds.append("type(%s) is %s and _v == %s and tuple(map(type, _v)) == %s"
                         % (v, const(type(g.expected)), e,
                            const(tuple(map(type, g.expected)))))
        elif check == "ids":
            conds.append("type(%s) is %s and len(_v) == %d and all(map(_is, _v, %s))"
                         % (v, const(type(g.expected)), len(g.expected), e))
        elif check == "len":
            conds.append("type(%s) is %s and len(_v) == %d"
                         % (v, const(g.expected[0]), g.expected[1]))
        elif check == "keys":
            conds.append("type(%s) is dict and list(_v) == %s" % (v, e))
        elif check == "set":
            conds.append("type(%s) is %s and _v == %s" % (v, const(type(g.expected)), e))
        elif check == "has":
            conds.append("hasattr(%s, %r) is %s" % (code, g.expected[0], g.expected[1]))
        else:  # "struct" guards are never hot
            raise AssertionError(check)
    body = "def check(args):\n    try:\n        return bool(%s)\n" \
           "    except Exception:\n        return False\n" % "\n            and ".join(
               "(%s)" % c for c in conds)
    namespace = {"_is": operator.is_}
    namespace.update(consts)
    exec(compile(body, "<autograd_st guards>", "exec"), namespace)  # noqa: S102
    return namespace["check"]


def built_once(fir, key, make):
    """``fir.pairs[key]``, made by ``make()`` the first time it is asked for (threads that
    race to make it all get the first one stored)."""
    with LOCK:
        found = fir.pairs.get(key)
    if found is not None:
        return found
    made = make()
    with LOCK:
        return fir.pairs.setdefault(key, made)


def trim(cache: dict, size: int) -> None:
    """Drop ``cache``'s oldest entries until it holds ``size`` (a process that edits and
    reloads functions for ever keeps the last ``size`` of them)."""
    with LOCK:
        while len(cache) > size:
            try:
                del cache[next(iter(cache))]
            except (KeyError, StopIteration, RuntimeError):  # another thread got there
                break
