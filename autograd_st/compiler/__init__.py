"""The compiler: parse -> fence -> desugar -> normalize -> analyze -> reverse / forward ->
lower -> codegen -> load.

One module per pass (each docstring says what it takes and gives), and the modules that run
them:

- ``cache``: cache keys, guards, the lock, the paused garbage collector;
- ``frontend``: a function or Cell to its cached FuncIR (parse, fence, desugar, normalize)
  and the calls between compiled functions;
- ``build``: the shared builder, forward/backward pairs, loading, dumps;
- ``gradient``: the top-level gradient function, from a :class:`GradientPlan` (data);
- ``jvp``: forward-mode functions;
- ``bprop``: a Cell's own ``bprop`` as its backward;
- ``promote``: MindSpore's result dtypes, where an operator may mix integer and float
  arrays (``ms_promote`` before its operand);
- ``stages`` / ``export``: the code after each pass (``capture``) and generated code as a
  module that runs on its own (``standalone_source``), for reading.

This package imports nothing above it (``ops``, ``nn``, the API's ``boundary``); what the
API wants compiled arrives as data.  The names below are its public entry points.

Importing the package loads none of its passes: each name below loads its module on first
use (PEP 562), so ``import autograd_st`` does not pay for the compiler, gast or astor; the
first compile does.  Code on the per-call path imports what it needs from the light modules
directly (``ir``, ``plan``, ``cache``, ``markers``, ``analyze``).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_WHERE = {
    "has_bprop": "bprop", "wrap_in_call": "bprop",
    "full_source": "build",
    "gc_paused": "cache", "structure_signature": "cache",
    "source_files": "codegen",
    "standalone_source": "export",
    "clear_caches": "frontend", "function_of": "frontend", "generated_source": "frontend",
    "normalize_function": "frontend",
    "resolve_input": "ir", "ABSENT": "ir", "RUNTIME": "ir", "FuncIR": "ir", "leaves": "ir",
    "rebuild": "ir",
    "GradientArtifact": "gradient", "build_gradient": "gradient",
    "GradientPlan": "plan", "Ref": "plan",
    "build_jvp": "jvp",
    "promote_dtypes": "promote", "input_kinds": "promote",
    "fuse_function": "fuse", "explain_fusion": "fuse",
    "STAGES": "stages", "capture": "stages",
}

_RENAMED = {"explain_fusion": "explain"}  # a name here -> its name in its module

__all__ = ["ABSENT", "RUNTIME", "STAGES", "FuncIR", "GradientArtifact", "GradientPlan", "Ref",
           "explain_fusion", "fuse_function", "build_gradient", "build_jvp", "capture", "clear_caches", "full_source",
           "function_of", "gc_paused", "generated_source", "has_bprop", "leaves",
           "normalize_function", "promote_dtypes", "input_kinds", "rebuild", "resolve_input", "source_files",
           "standalone_source", "structure_signature", "wrap_in_call"]
assert sorted(__all__) == sorted(_WHERE)

if TYPE_CHECKING:  # what the names are, for readers, type checkers and the layer checker
    from .bprop import has_bprop, wrap_in_call
    from .build import full_source
    from .cache import gc_paused, structure_signature
    from .codegen import source_files
    from .export import standalone_source
    from .frontend import (
        clear_caches,
        function_of,
        generated_source,
        normalize_function,
    )
    from .fuse import explain as explain_fusion
    from .fuse import fuse_function
    from .gradient import GradientArtifact, build_gradient
    from .ir import ABSENT, RUNTIME, FuncIR, leaves, rebuild, resolve_input
    from .jvp import build_jvp
    from .plan import GradientPlan, Ref
    from .promote import input_kinds, promote_dtypes
    from .stages import STAGES, capture


def __getattr__(name: str):
    """Load the module that defines ``name`` on first use, and keep the name here."""
    try:
        where = _WHERE[name]
    except KeyError:
        raise AttributeError("module %r has no attribute %r" % (__name__, name)) from None
    module = importlib.import_module("." + where, __name__)
    value = getattr(module, _RENAMED.get(name, name))
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_WHERE))
