"""Padding layers with MindSpore 2.10's signatures (measured in the side venv): ``nn.Pad``
(``paddings`` one ``(before, after)`` pair per axis, from the first; modes 'CONSTANT',
'REFLECT', 'SYMMETRIC'), and the layers that pad the last axes, ``padding`` an int or
``(left, right[, top, bottom[, front, back]])`` from the last axis backwards:
``nn.ZeroPad2d``, ``nn.ConstantPad1d/2d/3d``, ``nn.ReflectionPad1d/2d``,
``nn.ReplicationPad1d/2d``.

As in MindSpore, a reflection wider than the axis it pads is refused (``MirrorPad``); all
the layers are differentiable in their input (through the ``pad`` primitive).
"""
from __future__ import annotations

import numpy as np

from ..cell import Cell
from ..prims import P, bindable, has_sym
from ..tensor import unwrap

__all__ = ["Pad", "ZeroPad2d", "ConstantPad1d", "ConstantPad2d", "ConstantPad3d",
           "ReflectionPad1d", "ReflectionPad2d", "ReplicationPad1d", "ReplicationPad2d"]


@bindable
def pad_layer(x, flat, mode, value, cls, rank=None):
    """``x`` padded by ``flat`` (pairs from the last axis backwards) in numpy's ``mode``;
    refuses, when the values are at hand, what MindSpore refuses: ``rank`` pairs for an input
    of another rank (nn.Pad), a reflection as wide as its axis or wider (MirrorPad)."""
    if not has_sym(x):
        shape = np.shape(unwrap(x))
        if rank is not None and rank != len(shape):
            raise ValueError("For 'Pad', the length of 'paddings' must be equal to the rank "
                             "of 'input_x', but got %d vs %d: give one (before, after) pair "
                             "per axis" % (rank, len(shape)))
        for i in range(len(flat) // 2 if mode == "reflect" else 0):
            n = shape[len(shape) - 1 - i]
            if max(flat[2 * i], flat[2 * i + 1]) >= n:
                raise ValueError("For '%s' (MirrorPad), paddings must be less than the "
                                 "dimension size: padding %s on an axis of length %d; pad "
                                 "less" % (cls, (flat[2 * i], flat[2 * i + 1]), n))
    if mode == "constant":
        return P.pad(x, flat, mode, value)
    return P.pad(x, flat, mode)


class Pad(Cell):
    """MindSpore's ``nn.Pad(paddings, mode='CONSTANT')``: ``paddings[i] = (before, after)``
    for axis ``i`` (one pair per axis of the input); 'CONSTANT' pads zeros, 'REFLECT'
    mirrors without the edge, 'SYMMETRIC' with it."""

    def __init__(self, paddings, mode="CONSTANT") -> None:
        super().__init__()
        if mode not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
            raise ValueError("For 'Pad', the 'mode' must be str and must be in "
                             "'['CONSTANT', 'REFLECT', 'SYMMETRIC']', but got '%s'." % mode)
        self.paddings = tuple(tuple(int(n) for n in pair) for pair in paddings)
        if any(len(pair) != 2 for pair in self.paddings):
            raise ValueError("For 'Pad', each of 'paddings' must be a (before, after) pair, "
                             "but got %r" % (paddings,))
        self.mode = mode
        self.np_mode = mode.lower()
        flat: list = []
        for before, after in reversed(self.paddings):
            flat += [before, after]
        self.flat = tuple(flat)

    def construct(self, x):
        return pad_layer(x, self.flat, self.np_mode, 0.0, "Pad", len(self.paddings))


def _padding(padding, n: int, cls: str) -> tuple:
    """An int or a tuple of ``2 * n`` ints as the flat padding (last axis first)."""
    if isinstance(padding, int) and not isinstance(padding, bool):
        return (padding,) * (2 * n)
    if isinstance(padding, (tuple, list)) and len(padding) == 2 * n \
            and all(isinstance(p, int) for p in padding):
        return tuple(padding)
    raise TypeError("For '%s', 'padding' must be an int or a tuple of %d ints, but got %r"
                    % (cls, 2 * n, padding))


class _PadLast(Cell):
    """Pads the last ``n`` axes (``padding`` from the last axis backwards)."""

    _n = 1
    _mode = "constant"

    def __init__(self, padding, value=0.0) -> None:
        super().__init__()
        self.padding = _padding(padding, self._n, type(self).__name__)
        self.value = float(value)

    def construct(self, x):
        return pad_layer(x, self.padding, self._mode, self.value, type(self).__name__)


class ConstantPad1d(_PadLast):
    """MindSpore's ``nn.ConstantPad1d(padding, value)``: ``value`` on the last axis
    (``padding``: an int or ``(left, right)``)."""

    def __init__(self, padding, value) -> None:
        super().__init__(padding, value)


class ConstantPad2d(ConstantPad1d):
    """MindSpore's ``nn.ConstantPad2d(padding, value)``: the last two axes
    (``(left, right, top, bottom)``)."""

    _n = 2


class ConstantPad3d(ConstantPad1d):
    """MindSpore's ``nn.ConstantPad3d(padding, value)``: the last three axes
    (``(left, right, top, bottom, front, back)``)."""

    _n = 3


class ZeroPad2d(_PadLast):
    """MindSpore's ``nn.ZeroPad2d(padding)``: zeros on the last two axes."""

    _n = 2

    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)


class ReflectionPad1d(_PadLast):
    """MindSpore's ``nn.ReflectionPad1d(padding)``: the last axis mirrored (without its
    edge)."""

    _mode = "reflect"

    def __init__(self, padding) -> None:
        super().__init__(padding)


class ReflectionPad2d(ReflectionPad1d):
    """MindSpore's ``nn.ReflectionPad2d(padding)``: the last two axes mirrored."""

    _n = 2


class ReplicationPad1d(_PadLast):
    """MindSpore's ``nn.ReplicationPad1d(padding)``: the last axis's edge repeated."""

    _mode = "replicate"

    def __init__(self, padding) -> None:
        super().__init__(padding)


class ReplicationPad2d(ReplicationPad1d):
    """MindSpore's ``nn.ReplicationPad2d(padding)``: the last two axes' edges repeated."""

    _n = 2
