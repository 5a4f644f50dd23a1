"""``mindspore.ops._grad_experimental``: where MindSpore 2.x keeps its bprop registry.

Takes: :mod:`autograd_st.ops.primitive_base`.  Gives: the ``grad_base`` module path.
"""
from . import grad_base

__all__ = ["grad_base"]
