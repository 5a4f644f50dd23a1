"""Convolution layers beyond ``nn.Conv2d`` with MindSpore 2.10's signatures and defaults
(measured in the side venv): ``nn.Conv1d`` (weight ``(out, in / group, 1, k)``, as
MindSpore's) and ``nn.Conv2dTranspose`` (weight ``(in, out / group, kh, kw)``).

Initializers are MindSpore's: the weight HeUniform(sqrt(5)) (uniform in ``+-1/sqrt(fan_in)``,
``fan_in = weight.shape[1] * kh * kw``) and, with ``has_bias=True`` (default False), the bias
uniform in the same bound, unless ``weight_init`` / ``bias_init`` are given.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import ops
from ..cell import Cell
from ..ops.nn_func import conv2d, conv_transpose2d
from ..table_nn import conv_pad
from ..tensor import Parameter, Tensor
from .layers import _bias_init, _pair, initialize

__all__ = ["Conv1d", "Conv2dTranspose", "Conv1dTranspose"]


def _weights(cell, shape, weight_init, bias_init, has_bias, bias_len, dtype):
    cell.weight = Parameter(initialize(weight_init, shape, dtype, default="he_uniform_sqrt5"),
                            name="weight")
    cell.has_bias = bool(has_bias)
    if cell.has_bias:
        fan_in = shape[1] * shape[2] * shape[3]
        cell.bias = Parameter(_bias_init(bias_init, (bias_len,), fan_in, dtype), name="bias")
    else:
        cell.bias = None


def _init_1d(weight_init, cls: str):
    """A 1-D convolution's given weight ``(a, b, k)`` as the stored ``(a, b, 1, k)`` (MindSpore
    takes a 3-D initial Tensor and refuses others)."""
    if isinstance(weight_init, (Tensor, np.ndarray)):
        arr = weight_init.asnumpy() if isinstance(weight_init, Tensor) else weight_init
        if arr.ndim != 3:
            raise ValueError("For '%s', the 'weight_init_shape' must be int and must = 3, but "
                             "got '%d' with type 'int'." % (cls, arr.ndim))
        return np.expand_dims(arr, 2)
    return weight_init


def _check_group(cls, in_channels, out_channels, group):
    if in_channels % group or out_channels % group:
        raise ValueError("For '%s', in_channels (%d) and out_channels (%d) must be divisible "
                         "by group (%d)" % (cls, in_channels, out_channels, group))


class Conv1d(Cell):
    """MindSpore's ``nn.Conv1d(in_channels, out_channels, kernel_size, stride=1,
    pad_mode='same', padding=0, dilation=1, group=1, has_bias=False, weight_init=None,
    bias_init=None, dtype=float32)`` on ``(N, C, L)``; ``padding`` (an int) on both ends."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 pad_mode: str = "same", padding: int = 0, dilation: int = 1, group: int = 1,
                 has_bias: bool = False, weight_init: Any = None, bias_init: Any = None,
                 dtype=None) -> None:
        super().__init__()
        for what, v in (("kernel_size", kernel_size), ("stride", stride),
                        ("padding", padding), ("dilation", dilation)):
            if not isinstance(v, int) or isinstance(v, bool):
                raise TypeError("For 'Conv1d', the type of '%s' should be 'int', but got type "
                                "'%s'." % (what, type(v).__name__))
        _check_group("Conv1d", in_channels, out_channels, group)
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size, self.stride, self.dilation = kernel_size, stride, dilation
        self.group = int(group)
        self.pad_mode = pad_mode
        self.padding = padding
        self.pad = conv_pad(pad_mode, (0, padding) if pad_mode == "pad" else padding, "Conv1d")
        self.padding4 = self.pad if pad_mode == "pad" else 0
        shape = (out_channels, in_channels // group, 1, kernel_size)
        _weights(self, shape, _init_1d(weight_init, "Conv1d"), bias_init, has_bias, out_channels, dtype)

    def construct(self, x):
        out = conv2d(ops.expand_dims(x, 2), self.weight, self.bias, (1, self.stride),
                     self.pad_mode, self.padding4, (1, self.dilation), self.group)
        return ops.squeeze(out, 2)


class Conv2dTranspose(Cell):
    """MindSpore's ``nn.Conv2dTranspose(in_channels, out_channels, kernel_size, stride=1,
    pad_mode='same', padding=0, output_padding=0, dilation=1, group=1, has_bias=False,
    weight_init=None, bias_init=None, dtype=float32)``: the input gradient of a convolution.
    Output size: 'same' ``H stride``; 'valid' ``(H - 1) stride + dilation (k - 1) + 1``;
    'pad' ``(H - 1) stride - top - bottom + dilation (k - 1) + 1 + output_padding``
    (``padding``: an int or 4 ints)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1,
                 pad_mode: str = "same", padding=0, output_padding=0, dilation=1,
                 group: int = 1, has_bias: bool = False, weight_init: Any = None,
                 bias_init: Any = None, dtype=None) -> None:
        super().__init__()
        _check_group("Conv2dTranspose", in_channels, out_channels, group)
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        self.dilation = _pair(dilation, "dilation")
        self.output_padding = _pair(output_padding, "output_padding")
        self.group = int(group)
        self.pad_mode = pad_mode
        conv_pad(pad_mode, padding, "Conv2dTranspose", four=True)  # checks the arguments
        self.padding = padding
        shape = (in_channels, out_channels // group) + self.kernel_size
        _weights(self, shape, weight_init, bias_init, has_bias, out_channels, dtype)

    def construct(self, x):
        return conv_transpose2d(x, self.weight, self.bias, self.stride, self.padding,
                                self.output_padding, self.group, self.dilation,
                                pad_mode=self.pad_mode)


class Conv1dTranspose(Cell):
    """MindSpore's ``nn.Conv1dTranspose(in_channels, out_channels, kernel_size, stride=1,
    pad_mode='same', padding=0, dilation=1, group=1, has_bias=False, weight_init=None,
    bias_init=None, dtype=float32)`` on ``(N, C, L)``; weight ``(in, out / group, 1, k)``."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, stride: int = 1,
                 pad_mode: str = "same", padding: int = 0, dilation: int = 1, group: int = 1,
                 has_bias: bool = False, weight_init: Any = None, bias_init: Any = None,
                 dtype=None) -> None:
        super().__init__()
        _check_group("Conv1dTranspose", in_channels, out_channels, group)
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size, self.stride, self.dilation = kernel_size, stride, dilation
        self.group = int(group)
        self.pad_mode = pad_mode
        self.padding = (0, 0, padding, padding)
        conv_pad(pad_mode, self.padding if pad_mode == "pad" else padding, "Conv1dTranspose",
                 four=True)
        shape = (in_channels, out_channels // group, 1, kernel_size)
        _weights(self, shape, _init_1d(weight_init, "Conv1dTranspose"), bias_init, has_bias, out_channels, dtype)

    def construct(self, x):
        out = conv_transpose2d(ops.expand_dims(x, 2), self.weight, self.bias,
                               (1, self.stride), self.padding, 0, self.group,
                               (1, self.dilation), pad_mode=self.pad_mode)
        return ops.squeeze(out, 2)
