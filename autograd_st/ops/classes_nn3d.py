"""MindSpore's 3-D primitive classes (``ops.Conv3D``, ``ops.MaxPool3D``, ``ops.AvgPool3D``)
with MindSpore 2.10's constructor signatures and defaults (measured in the side venv): each
instance is a constant to the compiler, its call the 3-D functionals' primitives of
:mod:`autograd_st.table_nn3d` (so its gradients are theirs, every order).

Takes: :class:`~autograd_st.ops.primitive_base.Primitive`, the adapters of
:mod:`autograd_st.table_nn3d`.  Gives: the classes (``operations`` publishes them).
"""
from __future__ import annotations

from ..prims import P
from ..table_nn import _ints
from ..table_nn3d import avg_pool3d_raw, conv3d_pad, max_pool3d_raw
from .primitive_base import Primitive

__all__ = ["Conv3D", "MaxPool3D", "AvgPool3D"]


def _three(value, what: str, op: str) -> tuple:
    """An int, 3 ints or 5 ints ``(1, 1, d, h, w)`` (MindSpore's NCDHW form) as 3 ints."""
    if isinstance(value, (tuple, list)) and len(value) == 5:
        value = tuple(value[2:])
    return _ints(value, 3, what, op)


def _check_format(data_format: str, op: str) -> None:
    if data_format != "NCDHW":
        raise ValueError("For '%s', the 'data_format' must be 'NCDHW', but got %r"
                         % (op, data_format))


def _pad_mode(pad_mode, op: str) -> str:
    mode = pad_mode.lower() if isinstance(pad_mode, str) else pad_mode
    if mode not in ("valid", "same", "pad"):
        raise ValueError("For '%s', the 'pad_mode' must be 'same', 'valid' or 'pad', but got "
                         "%r" % (op, pad_mode))
    return mode


class Conv3D(Primitive):
    """MindSpore's ``ops.Conv3D(out_channel, kernel_size, mode=1, pad_mode='valid', pad=0,
    stride=1, dilation=1, group=1, data_format='NCDHW')``: ``op(x, weight)`` is the
    3-D cross-correlation of NCDHW ``x`` with ``weight (out_channel, C / group, kd, kh,
    kw)`` (``pad``: an int or 6 ints ``(head, tail, top, bottom, left, right)``, with
    ``pad_mode='pad'``; MindSpore 2.10's CPU kernel takes no bias, measured)."""

    def __init__(self, out_channel, kernel_size, mode=1, pad_mode="valid", pad=0, stride=1,
                 dilation=1, group=1, data_format="NCDHW") -> None:
        _check_format(data_format, "Conv3D")
        self.out_channel = int(out_channel)
        self.kernel_size = _three(kernel_size, "kernel_size", "Conv3D")
        self.mode = mode
        self.pad_mode = _pad_mode(pad_mode, "Conv3D")
        self.pad = conv3d_pad(self.pad_mode, pad, "Conv3D", six=not isinstance(pad, int))
        self.stride = _three(stride, "stride", "Conv3D")
        self.dilation = _three(dilation, "dilation", "Conv3D")
        self.group = int(group)

    def __call__(self, x, weight):
        return P.conv3d(x, weight, self.stride, self.pad, self.dilation, self.group)


class MaxPool3D(Primitive):
    """MindSpore's ``ops.MaxPool3D(kernel_size=1, strides=1, pad_mode='VALID', pad_list=0,
    ceil_mode=None, data_format='NCDHW')``: the maximum of each window of the last three
    axes ('same': the odd padding at the back, bottom and right; 'pad': ``pad_list`` an int
    or 6 ints, ``ceil_mode`` then in effect).  The gradient goes to each window's first
    maximum."""

    def __init__(self, kernel_size=1, strides=1, pad_mode="VALID", pad_list=0, ceil_mode=None,
                 data_format="NCDHW") -> None:
        _check_format(data_format, "MaxPool3D")
        self.kernel_size = _three(kernel_size, "kernel_size", "MaxPool3D")
        self.strides = _three(strides, "strides", "MaxPool3D")
        self.pad_mode = _pad_mode(pad_mode, "MaxPool3D")
        if self.pad_mode != "pad" and ceil_mode is not None:
            raise ValueError("For 'MaxPool3D', the 'ceil_mode' must be None when 'pad_mode' is "
                             "'same' or 'valid', but got %r" % (ceil_mode,))
        self.pad_list = conv3d_pad(self.pad_mode, pad_list, "MaxPool3D",
                                   six=not isinstance(pad_list, int))
        self.ceil_mode = bool(ceil_mode)

    def __call__(self, x):
        return max_pool3d_raw(x, self.kernel_size, self.strides, self.pad_list, (1, 1, 1),
                              self.ceil_mode)


class AvgPool3D(Primitive):
    """MindSpore's ``ops.AvgPool3D(kernel_size=1, strides=1, pad_mode='valid', pad=0,
    ceil_mode=False, count_include_pad=True, divisor_override=0, data_format='NCDHW')``: the
    mean of each window of the last three axes ('pad': ``pad`` an int or 6 ints; the divisor
    counts the padding with ``count_include_pad``; ``divisor_override``, not 0, replaces
    it)."""

    def __init__(self, kernel_size=1, strides=1, pad_mode="valid", pad=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=0, data_format="NCDHW") -> None:
        _check_format(data_format, "AvgPool3D")
        self.kernel_size = _three(kernel_size, "kernel_size", "AvgPool3D")
        self.strides = _three(strides, "strides", "AvgPool3D")
        self.pad_mode = _pad_mode(pad_mode, "AvgPool3D")
        six = conv3d_pad(self.pad_mode, pad, "AvgPool3D", six=not isinstance(pad, int))
        self.pad = six
        self.ceil_mode = bool(ceil_mode)
        self.count_include_pad = bool(count_include_pad)
        self.divisor_override = int(divisor_override or 0)

    def __call__(self, x):
        pads = self.pad if isinstance(self.pad, str) else \
            tuple((self.pad[2 * i], self.pad[2 * i + 1]) for i in range(3))
        return avg_pool3d_raw(x, self.kernel_size, self.strides, pads, self.ceil_mode,
                              self.count_include_pad, self.divisor_override)
