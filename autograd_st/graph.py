"""``mindspore.mutable``, ``jit_class``, ``lazy_inline`` and ``no_inline``: markers MindSpore's
graph compiler reads, accepted here with MindSpore's argument checks.

Takes: values, classes and functions a MindSpore script marks.  Gives: them back, unchanged in
what they compute.  MindSpore's graph mode folds Python numbers and containers into a compiled
graph and recompiles when they change unless they are ``mutable``; autograd_st's compiler
guards every value it folds in and recompiles when one changes, so marking a value mutable
changes no result here.  The containers come back as MindSpore's do: instances of subclasses of
tuple, list and dict (``isinstance(m, tuple)`` holds), so code that tests their types runs.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from .tensor import Tensor

__all__ = ["mutable", "jit_class", "lazy_inline", "no_inline"]


class _Tuple(tuple):
    """A tuple marked ``mutable``."""


class _List(list):
    """A list marked ``mutable``."""


class _Dict(dict):
    """A dict marked ``mutable``."""


def _check_mutable(value, seen: set) -> None:
    if isinstance(value, (bool, int, float, Tensor)):
        return
    if isinstance(value, (tuple, list, dict)):
        if id(value) in seen:
            raise TypeError("For 'mutable', the 'input_data' should be one of (bool, int, "
                            "float, Tensor, tuple, list, dict) or their nested structures "
                            "with no self-reference, but got a self-referencing %s."
                            % type(value).__name__)
        seen.add(id(value))
        for item in (value.values() if isinstance(value, dict) else value):
            _check_mutable(item, seen)
        seen.discard(id(value))
        return
    raise TypeError("For 'mutable', the 'input_data' should be one of (bool, int, float, "
                    "Tensor, tuple, list, dict) or their nested structures with no "
                    "self-reference, but got %r of type %s." % (value, type(value).__name__))


def mutable(input_data: Any, dynamic_len: bool = False) -> Any:
    """MindSpore's ``mindspore.mutable(input_data, dynamic_len=False)``.

    Checks the value as MindSpore does (bool, int, float, Tensor, tuple, list, dict or their
    nestings: ``TypeError`` otherwise; ``dynamic_len=True`` only for a tuple or list) and
    returns it: a Tensor or a number as it is, a tuple, list or dict as an instance of a
    subclass of its type (as MindSpore's ``_Tuple``/``_List``/``_Dict``)."""
    _check_mutable(input_data, set())
    if dynamic_len and not isinstance(input_data, (tuple, list)):
        raise TypeError("For 'mutable', when the variable_len is True, the first input should "
                        "be list or tuple, but got: %s" % type(input_data).__name__)
    if isinstance(input_data, tuple):
        return _Tuple(input_data)
    if isinstance(input_data, list):
        return _List(input_data)
    if isinstance(input_data, dict):
        return _Dict(input_data)
    return input_data


def jit_class(cls: type) -> type:
    """MindSpore's ``mindspore.jit_class``: marks a class whose instances graph-mode code may
    use.  Here any object's methods can be called in compiled code, so the class comes back
    as it is; anything but a class raises MindSpore's ``TypeError``."""
    if not isinstance(cls, type):
        raise TypeError("Decorator jit_class can only be used for class type, but got %r."
                        % (cls,))
    cls.__ms_class__ = True  # (MindSpore's mark, for code that reads it)
    return cls


def lazy_inline(fn: Optional[Callable] = None, attrs: Any = None, policy: Any = None):
    """MindSpore's ``mindspore.lazy_inline``: on a Cell's ``__init__`` it tells MindSpore's
    graph compiler to reuse the Cell's graph.  Here ``__init__`` comes back unchanged; on
    anything but an ``__init__`` it raises MindSpore's ``ValueError``."""

    def wrap(f: Callable) -> Callable:
        if getattr(f, "__name__", None) != "__init__":
            raise ValueError("The lazy_inline should decorate the __init__ function, not the "
                             "function: %s." % getattr(f, "__name__", f))
        return f

    return wrap if fn is None else wrap(fn)


def no_inline(fn: Optional[Callable] = None):
    """MindSpore's ``mindspore.no_inline``: keep a function a subgraph of its own in graph
    mode.  The function comes back unchanged here (usable bare or called)."""
    return (lambda f: f) if fn is None else fn
