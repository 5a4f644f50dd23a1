"""``autograd_st.ops``: MindSpore's ops namespace — functional ops, primitive classes and
the differentiation API (``GradOperation``, ``grad``, ``value_and_grad``, ``stop_gradient``).

The functional ops, the primitive classes that are plain calls and the nn functional forms
come from :mod:`autograd_st.op_table` (through ``functional``, ``operations`` and
``nn_func``); the differentiation API from ``grad_api`` and ``transforms``.
"""
from . import _grad_experimental, nn_func, primitive  # noqa: F401 (their module paths)
from .composite import add_flags  # (ops.add_flags is composite's, as in MindSpore)
from .functional import *  # noqa: F401,F403
from .functional import __all__ as _functional_all
from .grad_api import GradOperation, dump, get_grad, grad, value_and_grad
from .operations import *  # noqa: F401,F403
from .operations import __all__ as _operations_all
from .primitive import PrimitiveWithCheck, PrimitiveWithInfer, constexpr, prim_attr_register
from .transforms import jacfwd, jacrev, jvp, linearize, vjp
from .vmap import vmap

globals().update({name: getattr(nn_func, name) for name in nn_func.PUBLIC})

__all__ = list(_functional_all) + list(_operations_all) + list(nn_func.PUBLIC) + [
    "GradOperation", "dump", "get_grad", "grad", "value_and_grad", "jvp", "vjp", "jacfwd", "jacrev",
    "linearize", "vmap",
    "PrimitiveWithInfer", "PrimitiveWithCheck", "prim_attr_register", "constexpr", "add_flags"]
