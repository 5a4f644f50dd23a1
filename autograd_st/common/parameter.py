"""``mindspore.common.parameter`` (``from mindspore.common.parameter import Parameter,
ParameterTuple``).

Takes: :mod:`autograd_st.tensor`.  Gives: ``Parameter``, ``ParameterTuple``, ``Tensor``
and ``PARAMETER_NAME_DEFAULT`` ("Parameter", the name of a Parameter not given one).
"""
from ..tensor import Parameter, ParameterTuple, Tensor

PARAMETER_NAME_DEFAULT = "Parameter"

__all__ = ["Parameter", "ParameterTuple", "Tensor", "PARAMETER_NAME_DEFAULT"]
