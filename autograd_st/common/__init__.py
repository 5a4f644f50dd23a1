"""``mindspore.common``: ``dtype`` (``from mindspore.common import dtype as mstype``),
``initializer`` (``from mindspore.common.initializer import Normal``), and ``Tensor``,
``Parameter``, ``ParameterTuple`` as MindSpore re-exports them here.

Takes: :mod:`autograd_st.dtype`, :mod:`autograd_st.tensor`, :mod:`.initializer`.
Gives: those names.
"""
from ..tensor import Parameter, ParameterTuple, Tensor
from . import dtype, initializer

__all__ = ["dtype", "initializer", "Tensor", "Parameter", "ParameterTuple"]
