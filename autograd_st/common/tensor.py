"""``mindspore.common.tensor`` (``from mindspore.common.tensor import Tensor``).

Takes: :mod:`autograd_st.tensor`.  Gives: ``Tensor``.
"""
from ..tensor import Tensor

__all__ = ["Tensor"]
