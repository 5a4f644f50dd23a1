"""``mindspore.common.api`` (``from mindspore.common.api import jit``): ``jit`` under
MindSpore's module path, and ``Tensor``/``Parameter`` as that module re-exports them.

Takes: :mod:`autograd_st.context` (``jit``), :mod:`autograd_st.tensor`.
Gives: those names.  (MindSpore 2.10 has no ``ms_function`` here any more: ``jit`` took
its place.)
"""
from ..context import jit
from ..tensor import Parameter, Tensor

__all__ = ["jit", "Tensor", "Parameter"]
