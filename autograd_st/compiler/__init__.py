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
- ``stages`` / ``export``: the code after each pass (``capture``) and generated code as a
  module that runs on its own (``standalone_source``), for reading.

This package imports nothing above it (``ops``, ``nn``, the API's ``boundary``); what the
API wants compiled arrives as data.  The names below are its public entry points.
"""
from .bprop import has_bprop, wrap_in_call
from .build import full_source
from .cache import gc_paused, structure_signature
from .codegen import source_files
from .export import standalone_source
from .frontend import clear_caches, function_of, generated_source, normalize_function, resolve_input
from .gradient import GradientArtifact, GradientPlan, Ref, build_gradient
from .ir import ABSENT, RUNTIME, FuncIR, leaves, rebuild
from .jvp import build_jvp
from .stages import STAGES, capture

__all__ = ["normalize_function", "resolve_input", "function_of", "generated_source",
           "clear_caches", "gc_paused", "structure_signature", "build_gradient",
           "GradientPlan", "GradientArtifact", "Ref", "build_jvp", "full_source",
           "has_bprop", "wrap_in_call", "source_files", "standalone_source", "STAGES", "capture", "RUNTIME", "ABSENT", "FuncIR", "leaves", "rebuild"]
