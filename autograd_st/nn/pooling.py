"""Pooling and resampling layers with MindSpore 2.10's signatures and defaults (measured in
the side venv): ``nn.MaxPool2d``, ``nn.AvgPool2d``, ``nn.MaxPool1d``, ``nn.AvgPool1d``,
``nn.AdaptiveAvgPool2d``, ``nn.AdaptiveAvgPool1d``, ``nn.AdaptiveMaxPool2d``, ``nn.Upsample``, ``nn.PixelShuffle``,
``nn.PixelUnshuffle``.

``pad_mode``: 'valid' (no padding), 'same' (output ``ceil(H / stride)``, the odd padding row and
column at the bottom and right; AvgPool2d then divides by the count of input elements only)
or 'pad' (``padding``: an int or ``(h, w)``, at most half the kernel; ``ceil_mode``,
``count_include_pad``, ``divisor_override``).  As in MindSpore, ``padding``, ``dilation``,
``ceil_mode`` and ``return_indices`` other than their defaults need ``pad_mode='pad'``.
The layers pool the last two axes: ``(N, C, H, W)`` and ``(C, H, W)`` inputs both work.
``return_indices=True`` also returns where each maximum is: a flat int64 index
``row * W + col`` into the input's plane (MindSpore's).
"""
from __future__ import annotations

from ..cell import Cell
from ..ops.nn_func import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool2d,
    interpolate,
    pixel_shuffle,
    pixel_unshuffle,
)
from ..prims import P, bindable
from ..table_nn import pool_pad

__all__ = ["MaxPool2d", "AvgPool2d", "MaxPool1d", "AvgPool1d", "AdaptiveAvgPool2d",
           "AdaptiveAvgPool1d", "AdaptiveMaxPool2d", "Upsample", "PixelShuffle", "PixelUnshuffle"]


def _ints(value, n: int, what: str, cls: str) -> tuple:
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * n
    if isinstance(value, (tuple, list)) and len(value) == n \
            and all(isinstance(v, int) for v in value):
        return tuple(value)
    raise ValueError("For %s, '%s' must be an int or a tuple of %d ints, but got %r"
                     % (cls, what, n, value))


def _mode(pad_mode: str, cls: str, defaults_ok: bool) -> str:
    mode = pad_mode.lower() if isinstance(pad_mode, str) else pad_mode
    if mode not in ("valid", "same", "pad"):
        raise ValueError("For %s, pad_mode must be 'valid', 'same' or 'pad', but got %r"
                         % (cls, pad_mode))
    if mode != "pad" and not defaults_ok:
        raise ValueError("For %s, the parameter 'padding', 'dilation', 'return_indices', "
                         "'ceil_mode' can not be set to non-default value when pad_mode is "
                         "not 'pad', but got pad_mode:%s." % (cls, mode))
    return mode


@bindable
def max_pool(x, kernel, stride, pad, dilation, ceil_mode, one_d, return_indices=False):
    """The ``max_pool2d`` primitive; ``one_d``: over the last axis of ``(N, C, L)``;
    ``return_indices``: also the maxima's flat int64 indices (``max_pool2d_indices``)."""
    xs = P.expand_dims(x, -2) if one_d else x
    out = P.max_pool2d(xs, kernel, stride, pad, dilation, ceil_mode)
    if one_d:
        out = P.squeeze(out, -2)
    if not return_indices:
        return out
    idx = P.max_pool2d_indices(xs, kernel, stride, pad, dilation, ceil_mode)
    if one_d:
        idx = P.squeeze(idx, -2)
    return out, idx


@bindable
def avg_pool(x, kernel, stride, pads, ceil_mode, count_include_pad, divisor, one_d):
    """Average pooling as ``A_h @ x @ A_w`` (``P.pool_matrix``); ``pads``: 'same', 'valid'
    or per axis ``(before, after)``; ``divisor``: 0, or the divisor that replaces the count."""
    cip = None if divisor else count_include_pad
    out = x
    if not one_d:
        ph = pads if isinstance(pads, str) else pads[0]
        out = P.matmul(P.pool_matrix(x, -2, kernel[0], stride[0], ph, ceil_mode, cip), out)
    pw = pads if isinstance(pads, str) else pads[-1]
    out = P.matmul(out, P.pool_matrix(x, -1, kernel[-1], stride[-1], pw, ceil_mode, cip))
    if divisor:
        out = P.mul(out, 1.0 / divisor)
    return out


def _one(values: tuple):
    """A size as MindSpore prints it: one int when every axis has it."""
    return values[0] if len(set(values)) == 1 else values


class _MaxPool(Cell):
    _one_d = False

    def __init__(self, kernel_size=1, stride=1, pad_mode="valid", padding=0, dilation=1,
                 return_indices=False, ceil_mode=False, data_format="NCHW") -> None:
        super().__init__()
        cls = type(self).__name__
        n = 1 if self._one_d else 2
        defaults = padding in (0, (0,) * n) and dilation in (1, (1,) * n) \
            and not return_indices and not ceil_mode
        self.pad_mode = _mode(pad_mode, cls, defaults)
        self.return_indices = bool(return_indices)
        if data_format != "NCHW":
            raise ValueError("For %s, data_format must be 'NCHW', got %r" % (cls, data_format))
        self.kernel_size = _ints(kernel_size, n, "kernel_size", cls)
        self.stride = _ints(stride, n, "stride", cls)
        self.dilation = _ints(dilation, n, "dilation", cls)
        self.ceil_mode = bool(ceil_mode)
        if self._one_d:
            self.kernel = (1,) + self.kernel_size
            self.strides = (1,) + self.stride
            self.dilations = (1,) + self.dilation
        else:
            self.kernel, self.strides, self.dilations = (self.kernel_size, self.stride,
                                                         self.dilation)
        if self.pad_mode == "pad":
            if isinstance(padding, (tuple, list)) and len(padding) != n:
                raise ValueError("For %s, the length of padding must equal to %d, but got %d"
                                 % (cls, n, len(padding)))
            p = _ints(padding, n, "padding", cls)
            self.padding = p
            self.pad = pool_pad((0,) + p if self._one_d else p, self.kernel, cls)
        else:
            self.padding = 0
            self.pad = self.pad_mode

    def extend_repr(self) -> str:
        return "kernel_size=%s, stride=%s, pad_mode=%s" % (
            _one(self.kernel_size), _one(self.stride), str(self.pad_mode).upper())

    def construct(self, x):
        return max_pool(x, self.kernel, self.strides, self.pad, self.dilations, self.ceil_mode,
                        self._one_d, self.return_indices)


class MaxPool2d(_MaxPool):
    """MindSpore's ``nn.MaxPool2d(kernel_size=1, stride=1, pad_mode='valid', padding=0,
    dilation=1, return_indices=False, ceil_mode=False, data_format='NCHW')``: the gradient
    goes to each window's first maximum (padding never wins)."""


class MaxPool1d(_MaxPool):
    """MindSpore's ``nn.MaxPool1d(kernel_size=1, stride=1, pad_mode='valid', padding=0,
    dilation=1, return_indices=False, ceil_mode=False)`` over the last axis of ``(N, C, L)``."""

    _one_d = True

    def __init__(self, kernel_size=1, stride=1, pad_mode="valid", padding=0, dilation=1,
                 return_indices=False, ceil_mode=False) -> None:
        super().__init__(kernel_size, stride, pad_mode, padding, dilation, return_indices,
                         ceil_mode)


class _AvgPool(Cell):
    _one_d = False

    def __init__(self, kernel_size=1, stride=1, pad_mode="valid", padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None, data_format="NCHW") -> None:
        super().__init__()
        cls = type(self).__name__
        n = 1 if self._one_d else 2
        defaults = padding in (0, (0,) * n) and not ceil_mode
        self.pad_mode = _mode(pad_mode, cls, defaults)
        if data_format != "NCHW":
            raise ValueError("For %s, data_format must be 'NCHW', got %r" % (cls, data_format))
        self.kernel_size = _ints(kernel_size, n, "kernel_size", cls)
        self.stride = _ints(stride, n, "stride", cls)
        self.ceil_mode = bool(ceil_mode)
        self.count_include_pad = bool(count_include_pad)
        self.divisor = int(divisor_override or 0)
        if self.pad_mode == "pad":
            if isinstance(padding, (tuple, list)) and len(padding) not in (1, n):
                raise ValueError("For %s, the padding must be a int or tuple/list contains 1 "
                                 "or %d int, but got tuple/list with length:%d"
                                 % (cls, n, len(padding)))
            p = _ints(padding[0] if isinstance(padding, (tuple, list)) and len(padding) == 1
                      else padding, n, "padding", cls)
            self.padding = p
            self.pads = tuple((q, q) for q in p)
            self.cip = self.count_include_pad
        else:
            self.padding = 0
            self.pads = self.pad_mode
            self.cip = False  # 'same' divides by the input elements in the window

    def construct(self, x):
        return avg_pool(x, self.kernel_size, self.stride, self.pads, self.ceil_mode, self.cip,
                        self.divisor, self._one_d)


class AvgPool2d(_AvgPool):
    """MindSpore's ``nn.AvgPool2d(kernel_size=1, stride=1, pad_mode='valid', padding=0,
    ceil_mode=False, count_include_pad=True, divisor_override=None, data_format='NCHW')``."""


class AvgPool1d(_AvgPool):
    """MindSpore's ``nn.AvgPool1d(kernel_size=1, stride=1, pad_mode='valid', padding=0,
    ceil_mode=False, count_include_pad=True)`` over the last axis of ``(N, C, L)``."""

    _one_d = True

    def __init__(self, kernel_size=1, stride=1, pad_mode="valid", padding=0, ceil_mode=False,
                 count_include_pad=True) -> None:
        super().__init__(kernel_size, stride, pad_mode, padding, ceil_mode, count_include_pad)


class AdaptiveAvgPool2d(Cell):
    """MindSpore's ``nn.AdaptiveAvgPool2d(output_size)``: an int or ``(h, w)`` (None keeps
    that axis); bin ``i`` averages ``floor(i H / h) .. ceil((i + 1) H / h)``."""

    def __init__(self, output_size) -> None:
        super().__init__()
        self.output_size = output_size

    def construct(self, x):
        return adaptive_avg_pool2d(x, self.output_size)


class AdaptiveAvgPool1d(Cell):
    """MindSpore's ``nn.AdaptiveAvgPool1d(output_size)`` over the last axis."""

    def __init__(self, output_size) -> None:
        super().__init__()
        self.output_size = int(output_size)

    def construct(self, x):
        return adaptive_avg_pool1d(x, self.output_size)


class AdaptiveMaxPool2d(Cell):
    """MindSpore's ``nn.AdaptiveMaxPool2d(output_size, return_indices=False)``: the maximum of
    each adaptive bin (and, with ``return_indices``, its flat int64 index)."""

    def __init__(self, output_size, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = bool(return_indices)

    def construct(self, x):
        return adaptive_max_pool2d(x, self.output_size, self.return_indices)


class Upsample(Cell):
    """MindSpore's ``nn.Upsample(size=None, scale_factor=None, mode='nearest',
    align_corners=None, recompute_scale_factor=None)``: ``ops.interpolate`` (``size``, or
    ``scale_factor`` with ``recompute_scale_factor=True``, as MindSpore 2.10 for the nearest,
    (bi)linear and bicubic modes)."""

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None,
                 recompute_scale_factor=None) -> None:
        super().__init__()
        self.size = size
        self.scale_factor = scale_factor
        self.mode = mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def construct(self, x):
        return interpolate(x, self.size, self.scale_factor, self.mode, self.align_corners,
                           self.recompute_scale_factor)


class PixelShuffle(Cell):
    """MindSpore's ``nn.PixelShuffle(upscale_factor)``."""

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = int(upscale_factor)

    def construct(self, x):
        return pixel_shuffle(x, self.upscale_factor)


class PixelUnshuffle(Cell):
    """MindSpore's ``nn.PixelUnshuffle(downscale_factor)``."""

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = int(downscale_factor)

    def construct(self, x):
        return pixel_unshuffle(x, self.downscale_factor)
