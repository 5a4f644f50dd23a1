"""``mindspore.ops._grad_experimental.grad_base``: ``bprop_getters``, the registry a
primitive of your own gets its bprop from (``@bprop_getters.register(MyOp)`` over
``get(self) -> bprop(*inputs, out, dout)``).

Takes: :mod:`autograd_st.ops.primitive_base`.  Gives: ``bprop_getters``, ``BpropRegistry``.
"""
from __future__ import annotations

from ..primitive_base import BpropRegistry, bprop_getters

__all__ = ["bprop_getters", "BpropRegistry"]
