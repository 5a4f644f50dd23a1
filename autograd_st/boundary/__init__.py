"""The boundary between the API and the compiler.

The API (``ops``, ``nn``, the command line) speaks Tensors, Parameters and MindSpore's
options; the compiler speaks IR, plans and arrays.  This package is the one place that
translates:

- ``values``: Tensor <-> array conversion and argument kinds (the per-call path);
- ``request``: :class:`GradRequest`, the one place that knows ``grad_position``,
  ``weights``, ``sens_param``, ``has_aux``, ``get_all`` and ``get_by_list``; it answers in
  data (positions, how ``sens`` is split off, which outputs are seeded, the result's layout)
  and hands the compiler a :class:`~autograd_st.compiler.GradientPlan`;
- ``artifact``: a compiled gradient function's per-call entry and the checks that make
  reusing it safe;
- ``function``: :class:`GradFunction`, the callable the API returns;
- ``tracebacks``: an exception on its way out told the user's line (``located``).

Arrows point down only: the API imports this package, this package imports the compiler,
and nothing below imports it.
"""
from .function import GradFunction
from .request import GradRequest, check_arity, compile_jvp, target_of, weights_tuple
from .tracebacks import located
from .values import argspec, kind, runtime_leaves, tensor_of, to_tensors, unwrap_arg

__all__ = ["GradFunction", "GradRequest", "weights_tuple", "compile_jvp", "target_of",
           "check_arity", "argspec", "kind", "runtime_leaves", "tensor_of", "to_tensors",
           "unwrap_arg", "located"]
