"""Activation Cells with MindSpore 2.10's signatures (measured in the side venv): ``nn.CELU``,
``nn.SeLU``, ``nn.GLU``, ``nn.LogSigmoid``, ``nn.SoftShrink``, ``nn.HShrink``,
``nn.Threshold``, ``nn.RReLU``, ``nn.Softmax2d`` and ``nn.FastGelu``.

Each ``construct`` calls the op of the same name (``ops.celu`` ...), so the Cells run eagerly
and differentiate through existing primitives.  ``nn.RReLU`` draws a new negative slope for
every element at every call, in training and evaluation alike, as MindSpore 2.10 does.
"""
from __future__ import annotations

from .. import ops
from ..cell import Cell

__all__ = ["CELU", "SeLU", "GLU", "LogSigmoid", "SoftShrink", "HShrink", "Threshold", "RReLU",
           "Softmax2d", "FastGelu"]


class CELU(Cell):
    """MindSpore's ``nn.CELU(alpha=1.0)``: ``max(0, x) + min(0, alpha (exp(x / alpha) -
    1))``; ``alpha`` a float, not 0."""

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        if not isinstance(alpha, float):  # (MindSpore 2.10: an int alpha is a TypeError too)
            raise TypeError("For 'CeLU', 'alpha' must be a float, but got %s"
                            % type(alpha).__name__)
        if alpha == 0:
            raise ValueError("For primitive[CeLU], the alpha must be not equal to 0 , but got 0.")
        self.alpha = float(alpha)

    def construct(self, x):
        return ops.celu(x, self.alpha)


class SeLU(Cell):
    """MindSpore's ``nn.SeLU()``: ``scale * elu(x, alpha)`` with SELU's constants."""

    def construct(self, input_x):
        return ops.selu(input_x)


class GLU(Cell):
    """MindSpore's ``nn.GLU(axis=-1)``: ``a * sigmoid(b)`` for the two halves of ``x`` along
    ``axis``."""

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.dim = axis

    def construct(self, x):
        return ops.glu(x, self.dim)


class LogSigmoid(Cell):
    """MindSpore's ``nn.LogSigmoid()``: ``log(sigmoid(x))``, without overflow."""

    def construct(self, input_x):
        return ops.logsigmoid(input_x)


class SoftShrink(Cell):
    """MindSpore's ``nn.SoftShrink(lambd=0.5)``: ``x - lambd`` above ``lambd``, ``x + lambd``
    below ``-lambd``, else 0."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        if lambd < 0:
            raise ValueError("For 'SoftShrink', 'lambd' must be >= 0, got %r" % (lambd,))
        self.lambd = float(lambd)

    def construct(self, input):
        return ops.softshrink(input, self.lambd)


class HShrink(Cell):
    """MindSpore's ``nn.HShrink(lambd=0.5)``: ``x`` where ``|x| > lambd``, else 0."""

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = float(lambd)

    def construct(self, input):
        return ops.hardshrink(input, self.lambd)


class Threshold(Cell):
    """MindSpore's ``nn.Threshold(threshold, value)``: ``x`` where ``x > threshold``, else
    ``value``."""

    def __init__(self, threshold: float, value: float) -> None:
        super().__init__()
        self.threshold = threshold
        self.value = value

    def construct(self, input_x):
        return ops.threshold(input_x, self.threshold, self.value)


class RReLU(Cell):
    """MindSpore's ``nn.RReLU(lower=1/8, upper=1/3)``: ``x`` where positive, ``a x`` where
    negative, ``a`` uniform in ``[lower, upper)``, drawn for each element at each call (in
    training and in evaluation: MindSpore 2.10's RReLU has no deterministic mode).  The
    slopes come from the generator ``set_seed`` seeds; their draws differ from MindSpore's."""

    def __init__(self, lower: float = 1 / 8, upper: float = 1 / 3) -> None:
        super().__init__()
        for name, v in (("upper", upper), ("lower", lower)):
            if isinstance(v, bool) or not isinstance(v, (int, float)):
                raise TypeError("For 'RReLU', '%s' must be an int or a float, but got %s"
                                % (name, type(v).__name__))
        if lower > upper:
            raise ValueError("For RReLU, the value of 'upper' must be greater than or equal to "
                             "'lower', but got upper: %r, lower: %r. " % (upper, lower))
        self.lower, self.upper = float(lower), float(upper)

    def construct(self, x):
        return ops.rrelu(x, self.lower, self.upper)


class Softmax2d(Cell):
    """MindSpore's ``nn.Softmax2d()``: the softmax over the channels (axis -3) of a ``(C, H,
    W)`` or ``(N, C, H, W)`` input (the rank is not checked: MindSpore's ValueError for
    another rank is not raised, as ``construct`` is compiled, where raise is refused)."""

    def construct(self, x):
        return ops.softmax(x, -3)


class FastGelu(Cell):
    """MindSpore's ``nn.FastGelu()``: ``x * sigmoid(1.702 x)``."""

    def construct(self, x):
        return ops.fast_gelu(x)
