"""Cache keys and the compile-time environment shared by the build modules.

Takes: Cells, constant arguments, guards (what a compile folded in).
Gives: signatures that change exactly when the generated code would (``structure_signature``,
``argspec_signature``), the check that a compile's guards still hold, the lock every cache
is read and written under, and ``gc_paused``, the context every compile runs in.

Caches are keyed by what changes the code: the function's code object, the structure of
``self`` (which attributes are Parameters, sub-Cells, primitives, constants), the kinds of
constant arguments, and which inputs are differentiated.  Never shapes.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import threading

import numpy as np

from ..cell import Cell
from ..tensor import Parameter, Tensor
from .ir import ABSENT, RUNTIME
from .markers import is_primitive_instance

__all__ = ["LOCK", "gc_paused", "paused_gc", "structure_signature", "argspec_signature",
           "guards_hold", "trim", "built_once"]

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
        if k in ("_params", "_cells", "_bprop_cache"):
            continue
        items.append((k, _const_sig(v, depth + 1)))
    return (type(cell), tuple(items))


def argspec_signature(argspec) -> tuple:
    """The key part of per-argument specs (RUNTIME or the constants compiled in)."""
    return tuple(_const_sig(a) for a in argspec)


def guards_hold(guards) -> bool:
    """Whether every ``(namespace, name, object)`` a compile read still holds."""
    for ns, key, obj in guards:
        if ns.get(key, ABSENT) is not obj:
            return False
    return True


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
