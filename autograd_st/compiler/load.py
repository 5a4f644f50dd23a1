"""Load: generated source text -> live functions.

Takes: source text the compiler generated, a path-like name for it and the globals it reads.
Gives: the functions it defines.  The source is registered in ``linecache`` first, so
tracebacks, ``pdb`` and ``inspect.getsource`` show the generated code, and a later compile
(higher-order derivatives) can read it back.

Only code produced by :mod:`autograd_st.compiler.codegen` reaches ``exec``: every
identifier in it was checked by ``validate`` (no string from user data or tensor values).
"""
from __future__ import annotations

import hashlib
import linecache
import threading

import gast

__all__ = ["load", "validate"]

_LOCK = threading.Lock()
_COUNTER = [0]


def validate(fdef) -> None:
    """Every identifier in generated code must be a Python identifier (never user data)."""
    for node in gast.walk(fdef):
        ident = getattr(node, "id", None) if isinstance(node, gast.Name) else \
            getattr(node, "attr", None) if isinstance(node, gast.Attribute) else \
            getattr(node, "name", None) if isinstance(node, gast.FunctionDef) else None
        if ident is not None and not (isinstance(ident, str) and ident.isidentifier()):
            raise ValueError("generated code has an invalid identifier %r" % (ident,))


def load(source: str, label: str, namespace: dict) -> dict:
    """Exec ``source`` in a fresh module namespace; returns that namespace."""
    # named by content, so the same code always has the same name (stable dumps and
    # tracebacks); equal sources may share a linecache entry safely
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:8]
    filename = "<autograd_st %s %s>" % (label, digest)
    lines = source.splitlines(True)
    linecache.cache[filename] = (len(source), None, lines, filename)
    code = compile(source, filename, "exec")
    module_ns = dict(namespace)
    module_ns["__name__"] = "autograd_st.generated"
    module_ns["__file__"] = filename
    exec(code, module_ns)  # noqa: S102 - generated code only (see module docstring)
    module_ns["__autograd_st_filename__"] = filename
    return module_ns
