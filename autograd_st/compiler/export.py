"""Generated code as a module that runs on its own: what ``autograd-st dump --standalone``
prints.

Takes: a compiled top-level function (a gradient's ``GradientArtifact`` or a ``CompiledJvp``)
and, optionally, example arguments.
Gives: Python source: an import for each helper, module and function the generated code
reads (``import numpy as np``, ``from autograd_st.runtime import unbroadcast``), a constant
written as a literal, then every generated function (``full_source``), then, with example
arguments, a ``__main__`` block that calls the top function on arrays of their shapes and
dtypes and prints what it returns.
"""
from __future__ import annotations

import ast
import importlib
import re
import types

import numpy as np

from ..errors import CompileError
from .build import full_source

__all__ = ["standalone_source"]

_FROM = re.compile(r"^from ([\w.]+) import (\w+)$")


def _functions(compiled, out: list, seen: set) -> None:
    if id(compiled) in seen:
        return
    seen.add(id(compiled))
    for attr in ("fn", "fwd", "bwd"):
        fn = getattr(compiled, attr, None)
        if isinstance(fn, types.FunctionType):
            out.append(fn)
    for c in getattr(compiled, "callees", ()):
        _functions(c, out, seen)


def _importable(obj) -> tuple | None:
    """``(module, qualified name)`` that finds ``obj`` again by import, or None."""
    module = getattr(obj, "__module__", None)
    qual = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if isinstance(obj, np.ufunc):
        module, qual = "numpy", obj.__name__
    if not module or not qual or "<" in qual or module == "autograd_st.generated":
        return None
    try:
        found = importlib.import_module(module)
        for part in qual.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError):
        return None
    return (module, qual) if found is obj else None


def _literal(value) -> str | None:
    """Python source for a constant (numbers, strings, None, tuples of them, small arrays)."""
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes)):
        text = repr(value)
        return text if text not in ("inf", "-inf", "nan") else "float(%r)" % text
    if isinstance(value, np.generic):
        return "np.%s(%s)" % (type(value).__name__, _literal(value.item()))
    if isinstance(value, tuple):
        parts = [_literal(v) for v in value]
        if any(p is None for p in parts):
            return None
        return "(%s)" % (", ".join(parts) + ("," if len(parts) == 1 else ""))
    if isinstance(value, np.ndarray) and value.size <= 10000 and value.dtype.kind in "biuf":
        return "np.array(%r, dtype=np.%s)" % (value.tolist(), value.dtype.name)
    if isinstance(value, np.dtype):
        return "np.dtype(%r)" % value.str
    return None


def _line_for(name: str, obj) -> str:
    if isinstance(obj, types.ModuleType):
        module = obj.__name__
        if module == name:
            return "import %s" % module
        head, _, tail = module.rpartition(".")
        if head and tail == name:
            return "from %s import %s" % (head, tail)
        return "import %s as %s" % (module, name)
    where = _importable(obj)
    if where is not None:
        module, qual = where
        top, _, rest = qual.partition(".")
        if not rest:
            return ("from %s import %s" % (module, qual) if qual == name
                    else "from %s import %s as %s" % (module, qual, name))
        return "from %s import %s as _%s\n%s = _%s.%s" % (module, top, top, name, top, rest)
    text = _literal(obj)
    if text is not None:
        return "%s = %s" % (name, text)
    raise CompileError("--standalone: the generated code reads %s = %r, which cannot be "
                       "written as Python source (it is not importable by name nor a "
                       "literal); use the dump without --standalone" % (name, obj))


def standalone_source(compiled, example_args=None) -> str:
    """``compiled``'s code as a module that runs on its own (see the module docstring).
    ``example_args``: arrays (or anything with ``shape`` and ``dtype``) for the top
    function's parameters, in order; they give the ``__main__`` block."""
    body = full_source(compiled)
    defined = {n.name for n in ast.parse(body).body if isinstance(n, ast.FunctionDef)}
    fns: list = []
    _functions(compiled, fns, set())
    names: dict = {}
    read = {n.id for n in ast.walk(ast.parse(body)) if isinstance(n, ast.Name)}
    for fn in fns:
        for n in fn.__code__.co_names:
            if n in defined or n not in fn.__globals__ or n not in read:
                continue
            obj = fn.__globals__[n]
            if n in names and names[n] is not obj:
                raise CompileError("--standalone: two generated functions read the name %r "
                                   "as different objects; use the dump without --standalone"
                                   % n)
            names[n] = obj
    imports = ["import numpy as np"]
    grouped: dict = {}  # module -> names imported from it as they are
    for n in sorted(names, key=lambda k: (not isinstance(names[k], types.ModuleType), k)):
        line = _line_for(n, names[n])
        m = _FROM.match(line)
        if m:
            grouped.setdefault(m.group(1), []).append(m.group(2))
        elif line not in imports:
            imports.append(line)
    imports[1:1] = ["from %s import %s" % (mod, ", ".join(ns)) for mod, ns in grouped.items()]
    head = ('"""Generated by autograd_st: runs on its own (numpy and autograd_st\'s runtime '
            'helpers)."""\n')
    out = head + "\n".join(imports) + "\n\n\n" + body
    if example_args is not None:
        top = getattr(compiled, "fn", None)
        top_name = top.__name__ if top is not None else next(iter(defined))
        args = ", ".join("np.ones(%r, dtype=np.%s)" % (tuple(np.shape(a)), np.asarray(a).dtype.name)
                         for a in example_args)
        out += "\n\nif __name__ == \"__main__\":\n    print(%s(%s))\n" % (top_name, args)
    return out
