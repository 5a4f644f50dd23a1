"""Activation layers beyond those of :mod:`autograd_st.nn.layers`, with MindSpore 2.10's
signatures: ``nn.ELU``, ``nn.SiLU``, ``nn.Mish``, ``nn.PReLU``, ``nn.HSwish``, ``nn.HSigmoid``,
``nn.Softsign``, ``nn.Hardtanh``, ``nn.Tanhshrink``, ``nn.Softmin``, and ``Softplus`` (which
MindSpore 2.10's nn does not have: ``ops.softplus(input, beta=1, threshold=20)`` as a Cell).

Each ``construct`` calls one :func:`~autograd_st.prims.bindable` helper written over ``P``, so
the layers run eagerly and differentiate (to every order) through existing primitives.
At a kink (``x = 0`` for ELU, PReLU; ``x = +-3`` for HSwish and HSigmoid) the gradient is the
one-sided value of the branch ``where`` selects.
"""
from __future__ import annotations

from typing import Any

from .. import ops
from ..cell import Cell
from ..ops.nn_func import softplus
from ..prims import P, bindable
from ..tensor import Parameter
from .layers import initialize

__all__ = ["ELU", "SiLU", "Mish", "PReLU", "HSwish", "HSigmoid", "Softsign", "Hardtanh",
           "Tanhshrink", "Softmin", "Softplus", "elu", "hsigmoid"]


@bindable
def elu(x, alpha=1.0):
    """``x`` where ``x > 0``, else ``alpha (exp(x) - 1)`` (the exponential of ``min(x, 0)``,
    so a large ``x`` never overflows the branch it does not take)."""
    neg = P.mul(P.sub(P.exp(P.minimum(x, 0.0)), 1.0), alpha)
    return P.where(P.greater(x, 0.0), x, neg)


@bindable
def hsigmoid(x):
    """``relu6(x + 3) / 6``: 0 below -3, 1 above 3."""
    t = P.add(x, 3.0)
    t = P.where(P.less(t, 0.0), 0.0, t)
    t = P.where(P.greater(t, 6.0), 6.0, t)
    return P.div(t, 6.0)


@bindable
def _softplus(x, beta, threshold):
    if beta == 1:
        soft = P.softplus(x)
    else:
        soft = P.div(P.softplus(P.mul(x, beta)), beta)
    return P.where(P.greater(P.mul(x, beta), threshold), x, soft)


@bindable
def _prelu(x, w):
    return P.where(P.greater(x, 0.0), x, P.mul(x, P.reshape_along(w, x, 1)))


@bindable
def _clip(x, lo, hi):
    out = P.where(P.less(x, lo), lo, x)
    return P.where(P.greater(out, hi), hi, out)


class ELU(Cell):
    """MindSpore's ``nn.ELU(alpha=1.0)`` (MindSpore 2.10 refuses any other alpha)."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        if alpha != 1.0:
            raise ValueError("For 'ELU', alpha must be 1.0 (as in MindSpore 2.10), got %r"
                             % (alpha,))
        self.alpha = float(alpha)

    def construct(self, x):
        return elu(x, self.alpha)


class SiLU(Cell):
    """MindSpore's ``nn.SiLU()``: ``x * sigmoid(x)``."""

    def construct(self, x):
        return x * ops.sigmoid(x)


class Mish(Cell):
    """MindSpore's ``nn.Mish()``: ``x * tanh(softplus(x))``."""

    def construct(self, x):
        return x * ops.tanh(softplus(x))


class HSigmoid(Cell):
    """MindSpore's ``nn.HSigmoid()``: ``relu6(x + 3) / 6``."""

    def construct(self, x):
        return hsigmoid(x)


class HSwish(Cell):
    """MindSpore's ``nn.HSwish()``: ``x * relu6(x + 3) / 6``."""

    def construct(self, x):
        return x * hsigmoid(x)


class PReLU(Cell):
    """MindSpore's ``nn.PReLU(channel=1, w=0.25)``: ``x`` where positive, else ``w * x`` with
    the Parameter ``w`` (shaped ``(channel,)``, named 'a' as in MindSpore) along axis 1."""

    def __init__(self, channel: int = 1, w: Any = 0.25) -> None:
        super().__init__()
        self.channel = int(channel)
        self.w = Parameter(initialize(w, (self.channel,)), name="a")  # MindSpore's name

    def construct(self, x):
        return _prelu(x, self.w)


class Softsign(Cell):
    """MindSpore's ``nn.Softsign()``: ``x / (1 + |x|)``."""

    def construct(self, x):
        return x / (1.0 + ops.abs(x))


class Hardtanh(Cell):
    """MindSpore's ``nn.Hardtanh(min_val=-1.0, max_val=1.0)``: ``x`` clipped."""

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0) -> None:
        super().__init__()
        self.min_val, self.max_val = float(min_val), float(max_val)

    def construct(self, x):
        return _clip(x, self.min_val, self.max_val)


class Tanhshrink(Cell):
    """MindSpore's ``nn.Tanhshrink()``: ``x - tanh(x)``."""

    def construct(self, x):
        return x - ops.tanh(x)


class Softmin(Cell):
    """MindSpore's ``nn.Softmin(axis=-1)``: ``softmax(-x)``."""

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.axis = axis

    def construct(self, x):
        return ops.softmax(-x, self.axis)


class Softplus(Cell):
    """``ops.softplus(input, beta=1, threshold=20)`` as a Cell (MindSpore 2.10's nn has no
    Softplus): ``log(1 + exp(beta x)) / beta``, and ``x`` where ``beta x > threshold``."""

    def __init__(self, beta: float = 1, threshold: float = 20) -> None:
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def construct(self, x):
        return _softplus(x, self.beta, self.threshold)
