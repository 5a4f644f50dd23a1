"""Which calls on constants may run while compiling, and which functions are the user's.

Takes: a callee found in user code, with its constant arguments.
Gives: :func:`is_pure`, the *purity table*: whether the call may run once, at compile time,
its result folded into the generated code; :func:`is_user_code`: whether a Python function
is the user's own (compiled as a callee, so its side effects stay in its code) or a
library's (never compiled: evaluated if pure, otherwise run as it is at run time).

A call that is not on the table runs on every call of the generated code, in program order,
as in MindSpore's PyNative mode (an ``Opaque`` statement, with no gradient): ``print``,
``logging.info``, ``time.time()``, ``breakpoint()``, ``random.random()``, ``np.random.*``,
``calls.append(1)`` on a list the function did not build, a user object's methods, a user
class's constructor.

What is pure (an allow-list, each entry because running it twice gives the same value and
changes nothing):

- builtins that compute a value from their arguments (``len``, ``range``, ``int``, ``float``,
  ``isinstance``, ``min``, ``max``, ``sorted``, ...), not ``print``, ``input``, ``open``,
  ``next``, ``iter``, ``setattr``, ``exec``, ``vars``, ``globals``, ``breakpoint``;
- the functions of ``math`` and ``cmath``, and ``operator``'s that neither write nor return
  a function;
- numpy's namespace (``np.ones``, ``np.float32``, ``np.arange``, dtypes, ufuncs, ``np.linalg``,
  ``np.fft``) but its file I/O, its global settings and the functions that write into an
  array they are given (``np.copyto``, ``np.put``, any call with ``out=``); ``np.random`` is
  not on it;
- methods of immutable values (``str.format``, ``tuple.index``, a dtype's), and the methods
  of lists, dicts and sets that only read (``get``, ``index``, ``count``, ``keys``, ...);
- the constructors of autograd_st's own API (``Tensor``, ``Parameter``, primitive classes,
  ``GradOperation``, ``nn`` layers), of builtin types and of numpy's types.

A call whose arguments hold a function that is not itself on the table (``sorted(xs,
key=f)``) is not pure: it would run that function.  Special methods a builtin calls on a
user's object (``len(obj)`` calls ``obj.__len__``) are taken to be pure, as Python's data
model asks of them.

The user's code is told apart by where its file is: a function whose code lives under the
standard library, a ``site-packages`` or ``dist-packages`` directory (every installed
library, numpy included) or in a frozen module is a library's; autograd_st's own functions
are compiled (they are written for it); any other file (a script, a notebook cell, a
project's package, an editable install) is the user's.  Telling them apart by file rather
than by a list of library names needs no list to keep complete: whatever pip installed is
a library.  A package the user installed into site-packages is then a library too: its
functions run as they are, and if a value being differentiated flows through one, the
compile is refused at that call (no derivative rule), never a silent zero.
"""
from __future__ import annotations

import cmath
import functools
import math
import operator
import os
import site
import sys
import sysconfig
import types

import numpy as np

__all__ = ["is_pure", "is_cell_reader", "is_record_call", "is_record_class", "is_user_code", "code_owner", "is_mutator", "reads_contents", "writes_nothing",
           "writes_values"]

_PURE_BUILTINS = {
    abs, all, any, ascii, bin, bool, bytes, callable, chr, complex, dict, divmod, enumerate,
    float, format, frozenset, hash, hex, id, int, isinstance, issubclass, len, list, max, min,
    oct, ord, pow, range, repr, reversed, round, set, slice, sorted, str, sum, tuple, type,
    zip,
}
_PURE_OPERATOR = {
    operator.abs, operator.add, operator.and_, operator.contains, operator.countOf,
    operator.eq, operator.floordiv, operator.ge, operator.getitem, operator.gt,
    operator.index, operator.indexOf, operator.inv, operator.invert, operator.is_,
    operator.is_not, operator.le, operator.lshift, operator.lt, operator.matmul,
    operator.mod, operator.mul, operator.ne, operator.neg, operator.not_, operator.or_,
    operator.pos, operator.pow, operator.rshift, operator.sub, operator.truediv,
    operator.truth, operator.xor,
}
# numpy's namespace but what writes files, changes global settings, writes into an array it
# is given, or returns something that is not a value
_NUMPY_IMPURE = {
    "save", "savez", "savez_compressed", "savetxt", "load", "loadtxt", "genfromtxt",
    "fromfile", "fromregex", "memmap", "seterr", "seterrcall", "geterr", "geterrcall",
    "setbufsize", "getbufsize", "set_printoptions", "get_printoptions", "printoptions",
    "errstate", "copyto", "put", "putmask", "place", "put_along_axis", "fill_diagonal",
    "info", "show_config", "show_runtime", "nditer", "nested_iters", "vectorize",
    "frompyfunc", "apply_along_axis", "apply_over_axes", "piecewise", "fromiter",
    "broadcast", "ndenumerate", "ndindex", "flatiter", "busdaycalendar", "test",
}


def _namespace_callables(module, skip=frozenset()) -> set:
    out = set()
    for name, obj in list(vars(module).items()):  # (not dir: numpy imports on getattr)
        if name.startswith("_") or name in skip:
            continue
        if callable(obj) and not isinstance(obj, types.ModuleType):
            try:
                hash(obj)
            except TypeError:
                continue
            out.add(obj)
    return out


_PURE = set(_PURE_BUILTINS) | _PURE_OPERATOR
_PURE |= _namespace_callables(math) | _namespace_callables(cmath)
_PURE |= _namespace_callables(np, _NUMPY_IMPURE)
_PURE |= _namespace_callables(np.linalg) | _namespace_callables(np.fft)
_PURE = frozenset(_PURE)

# methods: of values that cannot change, and the reading methods of lists, dicts and sets
_IMMUTABLE = (str, bytes, int, float, complex, bool, tuple, frozenset, range, slice,
              type(None), np.dtype, np.generic)
_READERS = {
    list: {"copy", "count", "index", "__len__", "__getitem__", "__contains__"},
    dict: {"copy", "get", "keys", "values", "items", "__len__", "__getitem__",
           "__contains__"},
    set: {"copy", "isdisjoint", "issubset", "issuperset", "union", "intersection",
          "difference", "symmetric_difference", "__len__", "__contains__"},
}
_MUTATORS = {
    list: {"append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse",
           "__setitem__", "__delitem__", "__iadd__", "__imul__"},
    dict: {"pop", "popitem", "clear", "update", "setdefault", "__setitem__", "__delitem__",
           "__ior__"},
    set: {"add", "discard", "remove", "pop", "clear", "update", "difference_update",
          "intersection_update", "symmetric_difference_update", "__ior__", "__iand__",
          "__isub__", "__ixor__"},
}


def _container_type(obj):
    for t in (list, dict, set):
        if isinstance(obj, t):
            return t
    return None


def reads_contents(callee):
    """The list, dict or set whose items ``callee`` (a reading method of it) reads, or None:
    its items are what the call's result depends on (they are guarded)."""
    owner = getattr(callee, "__self__", None)
    t = _container_type(owner)
    if t is not None and getattr(callee, "__name__", None) in _READERS[t]:
        return owner
    return None


def is_mutator(callee):
    """The list, dict or set ``callee`` (one of its methods) writes to, or None."""
    owner = getattr(callee, "__self__", None)
    t = _container_type(owner)
    if t is not None and getattr(callee, "__name__", None) in _MUTATORS[t]:
        return owner
    return None


# calls with effects that change none of the objects they are given
_WRITE_NOTHING = {print, repr, format, input, hasattr, getattr, vars, dir}
_WRITE_NOTHING_MODULES = {"logging", "time", "warnings"}


def writes_nothing(callee) -> bool:
    """Whether ``callee`` (not pure: it has effects) leaves the objects it is given as they
    were (``print``, ``logging.info``, ``time.time``): what the code read of them before
    the call still holds after it."""
    try:
        if callee in _WRITE_NOTHING:
            return True
    except TypeError:
        return False
    module = getattr(callee, "__module__", None) or ""
    return module.partition(".")[0] in _WRITE_NOTHING_MODULES


def writes_values(callee) -> bool:
    """Whether ``callee`` (with effects) may write into the arrays it is given without the
    compiler seeing it: not one known to write nothing (:func:`writes_nothing`), nor
    autograd_st's own (``ops.Print()``, the summaries; what of it writes a Tensor has a
    rule or a binding)."""
    if writes_nothing(callee):
        return False
    module = getattr(callee, "__module__", None) or ""
    return not (_own_class(type(callee)) or module.partition(".")[0] == "autograd_st")


def _own_class(cls) -> bool:
    """A class of autograd_st's API (Tensor, Parameter, a primitive, an nn layer, ...)."""
    return (getattr(cls, "__module__", None) or "").partition(".")[0] == "autograd_st"


#: a Cell's methods that only read its Parameters and sub-Cells (what they give changes with
#: its structure, which compiled code guards: a Parameter's requires_grad included)
_CELL_READERS = frozenset(("trainable_params", "untrainable_params", "get_parameters",
                           "parameters_and_names", "parameters_dict", "cells",
                           "cells_and_names", "name_cells"))


def is_cell_reader(callee) -> bool:
    """``callee`` is one of :data:`_CELL_READERS` bound to a Cell, as the Cell class
    defines it (not a subclass's own): run when the code is compiled."""
    if not isinstance(callee, types.MethodType) or callee.__name__ not in _CELL_READERS:
        return False
    owner = callee.__self__
    base = next((c for c in type(owner).__mro__ if c.__name__ == "Cell"
                 and _own_class(c)), None)
    return base is not None and getattr(type(owner), callee.__name__, None) \
        is getattr(base, callee.__name__, None)


def _pure_callee(callee) -> bool:
    try:
        if callee in _PURE:
            return True
    except TypeError:  # unhashable
        return False
    if isinstance(callee, type):
        return callee.__module__ == "builtins" or issubclass(callee, np.generic) \
            or _own_class(callee)
    if isinstance(callee, np.ufunc):
        return True
    if isinstance(callee, (types.MethodDescriptorType, types.ClassMethodDescriptorType)):
        return issubclass(callee.__objclass__, _IMMUTABLE)  # str.upper, float.fromhex
    if isinstance(callee, (types.BuiltinMethodType, types.MethodWrapperType)):
        owner = getattr(callee, "__self__", None)
        if isinstance(owner, types.ModuleType) or owner is None:
            return False  # a module's own function not on the table (time.time)
        if isinstance(owner, np.ufunc):  # np.add.reduce; not np.add.at (in place)
            return callee.__name__ != "at"
        if isinstance(owner, _IMMUTABLE):
            return True  # "{}".format, (1, 2).index
        if isinstance(owner, type):  # a class method of a builtin type: dict.fromkeys
            return owner.__module__ == "builtins"
        return reads_contents(callee) is not None
    return False


def _callables_in(value, depth=0):
    """The functions in an argument (what a ``key=`` or a ``map`` would call); other
    callable objects (a Cell, a class) given to a builtin are read, not called."""
    if isinstance(value, (types.FunctionType, types.MethodType, functools.partial,
                          types.BuiltinFunctionType)):
        yield value
    elif isinstance(value, (tuple, list)) and depth < 3:
        for v in value:
            yield from _callables_in(v, depth + 1)
    elif isinstance(value, dict) and depth < 3:
        for v in value.values():
            yield from _callables_in(v, depth + 1)


def is_record_class(callee) -> bool:
    """Whether ``callee`` is a ``collections.namedtuple`` or ``typing.NamedTuple`` class whose
    ``__new__`` is the one namedtuple wrote (it only puts its arguments in a tuple): called
    on runtime values, it is built when the code is compiled, a tuple of them."""
    if not (isinstance(callee, type) and issubclass(callee, tuple)
            and isinstance(getattr(callee, "_fields", None), tuple)):
        return False
    owner = next((c for c in callee.__mro__ if "__new__" in vars(c)), tuple)
    new = owner.__new__
    return owner is not tuple and "_make" in vars(owner) and callable(new) \
        and (getattr(new, "__doc__", None) or "").startswith("Create new instance of ")


def is_record_call(callee) -> bool:
    """A namedtuple class (:func:`is_record_class`) or its ``_replace`` / ``_asdict`` bound
    to an instance: run when compiling on runtime values too (they only move them)."""
    if isinstance(callee, types.MethodType) and callee.__name__ in ("_replace", "_asdict"):
        return is_record_class(type(callee.__self__))
    return is_record_class(callee)


def is_pure(callee, args, kwargs) -> bool:
    """Whether ``callee(*args, **kwargs)`` (all constants) may run at compile time: it is
    on the table, writes into no argument (``out=``), and is given no callable that is not
    on the table (a ``key=`` function would run the user's code)."""
    if not _pure_callee(callee):
        return False
    if "out" in kwargs:  # writes into the array it is given
        return False
    for value in list(args) + list(kwargs.values()):
        for fn in _callables_in(value):
            if not _pure_callee(fn):
                return False
    return True


def _library_dirs() -> tuple:
    dirs = set()
    paths = sysconfig.get_paths()
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        if paths.get(key):
            dirs.add(paths[key])
    try:
        dirs.update(site.getsitepackages())
    except AttributeError:  # some virtualenvs' site module lacks it
        pass
    user_site = getattr(site, "getusersitepackages", lambda: None)()
    if isinstance(user_site, str):
        dirs.add(user_site)
    for prefix in {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}:
        dirs.add(os.path.join(prefix, "lib", "python%d.%d" % sys.version_info[:2]))
    return tuple(sorted(os.path.normcase(os.path.realpath(d)) + os.sep for d in dirs))


_LIBRARY_DIRS = _library_dirs()
_OWN_DIR = os.path.normcase(os.path.realpath(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))) + os.sep


@functools.lru_cache(maxsize=4096)
def _owner_of_file(filename: str) -> str:
    if filename.startswith("<"):  # exec'd or generated code is the user's; frozen is not
        return "library" if filename.startswith("<frozen") else "user"
    if filename.endswith((".pyx", ".pxd", ".pxi")):  # a compiled extension's (Cython)
        return "library"
    path = os.path.normcase(os.path.realpath(filename))
    if path.startswith(_OWN_DIR):
        return "autograd_st"
    parts = path.split(os.sep)
    if "site-packages" in parts or "dist-packages" in parts \
            or path.startswith(_LIBRARY_DIRS):
        return "library"
    return "user"


def code_owner(fn) -> str:
    """Whose code the Python function ``fn`` is: ``"user"``, ``"autograd_st"`` (both are
    compiled as callees) or ``"library"`` (never compiled); see the module docstring."""
    code = getattr(fn, "__code__", None)
    if code is None or not isinstance(getattr(code, "co_filename", None), str):
        return "library"
    return _owner_of_file(code.co_filename)


def is_user_code(fn) -> bool:
    """Whether the Python function ``fn`` is compiled as a callee: the user's own code or
    autograd_st's, not a library's."""
    return code_owner(fn) != "library"
