"""``mindspore.ops.composite.base``: ``MultitypeFuncGraph``, ``HyperMap``, ``Map``,
``tail`` and ``GradOperation``, with MindSpore 2.10's dispatch (measured there).

Takes: :class:`~autograd_st.ops.GradOperation`, :class:`~autograd_st.tensor.Tensor`,
:class:`~autograd_st.prims.Sym` (a runtime value while the compiler binds user code).
Gives: the classes; each runs eagerly and, called in code being differentiated, is bound
at compile time through ``_autograd_st_bind_call`` (see
:data:`autograd_st.compiler.normalize_calls.BIND_CALL`): the function a
``MultitypeFuncGraph`` picks, or the one ``HyperMap`` maps, is compiled like the user's own,
so its gradient is the user function's gradient.
"""
from __future__ import annotations

from ...prims import Sym
from ...tensor import Tensor
from ..grad_api import GradOperation

__all__ = ["MultitypeFuncGraph", "HyperMap", "Map", "tail", "GradOperation"]


def _is_tensor(v) -> bool:
    return isinstance(v, (Tensor, Sym))  # (a Sym is a Tensor at run time)


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _is_float(v) -> bool:
    return isinstance(v, float)


# MindSpore's type names and which values each matches (measured on 2.10: a Python int is
# Int64, a float Float64; the narrower scalar names match no Python value)
_NEVER = lambda v: False  # noqa: E731
_MATCH = {
    "Tensor": _is_tensor,
    "Number": lambda v: isinstance(v, (int, float)),  # (bool included)
    "Int": _is_int, "Int64": _is_int,
    "Float": _is_float, "Float64": _is_float,
    # (2.10's ms.jit matches a Python float with "Float32" too, its PyNative mode does not:
    # matched here, as in the compiled code test_partial.py runs)
    "Float32": _is_float,
    "Bool": lambda v: isinstance(v, bool),
    "Tuple": lambda v: isinstance(v, tuple),
    "List": lambda v: isinstance(v, list),
    "String": lambda v: isinstance(v, str),
    "None": lambda v: v is None,
}
_KNOWN = set(_MATCH) | {
    "Int8", "Int16", "Int32", "UInt", "UInt8", "UInt16", "UInt32", "UInt64", "Float16",
    "BFloat16", "Complex64", "Complex128", "Dictionary", "Function", "Slice",
    "Ellipsis", "TypeType", "RowTensor", "COOTensor", "CSRTensor", "MapTensor", "Undetermined",
    "Class", "Problem", "External", "EnvType", "Keyword", "Type",
}


class MultitypeFuncGraph:
    """MindSpore's ``C.MultitypeFuncGraph(name, read_value=False)``: one name, several
    functions registered by the types of their arguments (``@add.register("Tensor",
    "Number")``), the call runs the first registered one whose types match (registration
    order; a Python int is "Int64"/"Int"/"Number", a float "Float64"/"Float32"/"Float"/
    "Number" ("Float32" as in 2.10's ``ms.jit``; its PyNative mode matches no Python float
    with it and raises), a Tensor "Tensor"), or, when nothing matches and only one function
    is registered, that one (as 2.10 does).  Otherwise ``ValueError``, as MindSpore.  Type names MindSpore does
    not know raise ``RuntimeError`` at ``register``."""

    def __init__(self, name: str, read_value: bool = False, doc_url: str = "") -> None:
        self.name = name
        self.read_value = read_value
        self.doc_url = doc_url
        self.entries: list = []  # [(type names, fn)]

    def register(self, *type_names):
        for name in type_names:
            if not isinstance(name, str) or name not in _KNOWN:
                raise RuntimeError("Unsupported type name: %s!" % (name,))

        def deco(fn):
            self.entries.append((tuple(type_names), fn))
            return fn
        return deco

    def _select(self, args):
        for names, fn in self.entries:
            if len(names) == len(args) and all(_MATCH.get(n, _NEVER)(a)
                                               for n, a in zip(names, args)):
                return fn
        if len(self.entries) == 1:
            return self.entries[0][1]
        sigs = [(names, getattr(fn, "__name__", fn)) for names, fn in self.entries]
        kinds = tuple("Tensor" if _is_tensor(a) else type(a).__name__ for a in args)
        raise ValueError("For 'MultitypeFuncGraph', cannot find fn match given args. Got "
                         "(sigs, fn): %s, and (dtype, args): %s. Register a function for "
                         "these types with @%s.register(...)." % (sigs, kinds, self.name))

    def __call__(self, *args):
        return self._select(args)(*args)

    def _autograd_st_bind_call(self, call, args, kwargs):
        return call(self._select(args), args, kwargs)


def _map(fn, args, apply, recurse: bool):
    """``fn`` over the items of the tuples/lists in ``args`` (zipped, the shortest wins, as
    MindSpore's zip), recursively when ``recurse``; a tuple of the results."""
    if not any(isinstance(a, (tuple, list)) for a in args):
        return apply(fn, args)
    for a in args:
        if not isinstance(a, (tuple, list)):
            raise TypeError("'%s' object is not iterable" % type(a).__name__)
    if recurse:
        return tuple(_map(fn, items, apply, True) for items in zip(*args))
    return tuple(apply(fn, items) for items in zip(*args))


class HyperMap:
    """MindSpore's ``C.HyperMap(ops=None, reverse=False)``: ``fn`` applied to the leaves of
    nested tuples/lists, element by element (``HyperMap(add)((a, (b, c)), (d, (e, f)))`` is
    ``(add(a, d), (add(b, e), add(c, f)))``; lists give tuples; tuples of different lengths
    are zipped to the shortest).  Without ``ops`` the first argument is the function.  Any
    callable is taken (MindSpore 2.10's PyNative mode takes only ``MultitypeFuncGraph``s
    there, and raises ``RuntimeError`` for others); ``reverse`` changes nothing here (the
    results are the same)."""

    _recurse = True

    def __init__(self, ops=None, reverse: bool = False) -> None:
        self.ops = ops
        self.reverse = reverse

    def _split(self, args):
        if self.ops is not None:
            return self.ops, args
        if not args:
            raise TypeError("For '%s', give the function to map first when it was made "
                            "without one: %s()(fn, *sequences)." % (type(self).__name__,
                                                                    type(self).__name__))
        return args[0], args[1:]

    def __call__(self, *args):
        fn, args = self._split(args)
        return _map(fn, args, lambda f, a: f(*a), self._recurse)

    def _autograd_st_bind_call(self, call, args, kwargs):
        fn, args = self._split(args)
        return _map(fn, args, lambda f, a: call(f, a, kwargs), self._recurse)


class Map(HyperMap):
    """MindSpore's ``C.Map(ops=None, reverse=False)``: ``fn`` over the items of the given
    tuples/lists, one level (items that are tuples are passed whole)."""

    _recurse = False


class _Tail:
    """``C.tail(x)``: the tuple or list ``x`` without its first item (what MindSpore 2.10
    gives in compiled code, ``ms.jit``; its PyNative mode gives None for any argument)."""

    def __call__(self, x):
        if not isinstance(x, (tuple, list)):
            raise TypeError("For 'tail', the input must be a tuple or list, but got %s."
                            % type(x).__name__)
        return x[1:]

    def _autograd_st_bind_call(self, call, args, kwargs):
        return self(*args, **kwargs)

    def __repr__(self) -> str:
        return "tail"


tail = _Tail()
