"""``autograd_st.ops``: MindSpore's ops namespace — functional ops, primitive classes and
the differentiation API (``GradOperation``, ``grad``, ``value_and_grad``, ``stop_gradient``)."""
from .functional import *  # noqa: F401,F403
from .functional import __all__ as _functional_all
from .grad_api import GradOperation, dump, grad, value_and_grad
from .operations import *  # noqa: F401,F403
from .operations import __all__ as _operations_all
from .transforms import jacfwd, jacrev, jvp, vjp

__all__ = list(_functional_all) + list(_operations_all) + [
    "GradOperation", "dump", "grad", "value_and_grad", "jvp", "vjp", "jacfwd", "jacrev"]
