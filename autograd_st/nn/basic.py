"""Layers of MindSpore's ``nn/layer/basic.py`` and ``combined.py`` that wrap one computation
or chain existing layers, with MindSpore 2.10's signatures and parameter names (measured in
the side venv): ``nn.ClipByNorm``, ``nn.MatMul``, ``nn.Conv2dBnAct``, ``nn.DenseBnAct``."""
from __future__ import annotations

from .. import ops
from ..cell import Cell
from .layers import BatchNorm1d, BatchNorm2d, Conv2d, Dense, LeakyReLU, get_activation

__all__ = ["ClipByNorm", "MatMul", "Conv2dBnAct", "DenseBnAct"]


class ClipByNorm(Cell):
    """MindSpore's ``nn.ClipByNorm(axis=None)(x, clip_norm)``: ``x * clip_norm /
    max(l2norm, clip_norm)``, the L2 norm over ``axis`` (all axes for None) kept for
    broadcasting; an all-zero slice stays zero.  The formula is MindSpore's documented one
    (and its gradient); MindSpore 2.10's CPU kernel with an ``axis`` scales some rows by
    another row's norm (measured: rows of norm 0.3 and 1.73 came back scaled by 0.25 and
    1), which this does not copy."""

    def __init__(self, axis=None) -> None:
        super().__init__()
        self.axis = () if axis is None else axis

    def construct(self, x, clip_norm):
        l2sum = ops.sum(x * x, self.axis, keepdim=True)
        positive = l2sum > 0
        l2norm = ops.where(positive, ops.sqrt(ops.where(positive, l2sum, 1.0)), l2sum)
        return x * clip_norm / ops.maximum(l2norm, clip_norm)


class MatMul(Cell):
    """MindSpore's ``nn.MatMul(transpose_x1=False, transpose_x2=False)(x1, x2)``:
    ``ops.matmul`` with the last two axes of an operand swapped first where asked (a 1-D
    operand is left as it is); leading axes broadcast."""

    def __init__(self, transpose_x1=False, transpose_x2=False) -> None:
        super().__init__()
        self.transpose_x1 = bool(transpose_x1)
        self.transpose_x2 = bool(transpose_x2)

    def construct(self, x1, x2):
        if self.transpose_x1 and x1.ndim > 1:
            x1 = ops.swapaxes(x1, -1, -2)
        if self.transpose_x2 and x2.ndim > 1:
            x2 = ops.swapaxes(x2, -1, -2)
        return ops.matmul(x1, x2)


def _activation(activation, alpha, cls):
    if activation == "leakyrelu":
        return LeakyReLU(alpha)
    if activation is None or isinstance(activation, str):
        return get_activation(activation)
    if not callable(activation):
        raise TypeError("For '%s', the 'activation' must be str or Cell or Primitive, but got "
                        "%s." % (cls, type(activation).__name__))
    return activation


class Conv2dBnAct(Cell):
    """MindSpore's ``nn.Conv2dBnAct(in_channels, out_channels, kernel_size, stride=1,
    pad_mode='same', padding=0, dilation=1, group=1, has_bias=False, weight_init='normal',
    bias_init='zeros', has_bn=False, momentum=0.997, eps=1e-05, activation=None, alpha=0.2,
    after_fake=True)``: ``conv``, then ``batchnorm`` (BatchNorm2d) when ``has_bn``, then
    ``activation`` ('leakyrelu' uses ``alpha``); ``after_fake`` (quantization) is ignored."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, pad_mode="same",
                 padding=0, dilation=1, group=1, has_bias=False, weight_init="normal",
                 bias_init="zeros", has_bn=False, momentum=0.997, eps=1e-5, activation=None,
                 alpha=0.2, after_fake=True) -> None:
        super().__init__()
        self.conv = Conv2d(in_channels, out_channels, kernel_size=kernel_size, stride=stride,
                           pad_mode=pad_mode, padding=padding, dilation=dilation, group=group,
                           has_bias=has_bias, weight_init=weight_init, bias_init=bias_init)
        self.has_bn = bool(has_bn)
        self.has_act = activation is not None
        if has_bn:
            self.batchnorm = BatchNorm2d(out_channels, eps, momentum)
        self.activation = _activation(activation, alpha, "Conv2dBnAct")

    def construct(self, x):
        x = self.conv(x)
        if self.has_bn:
            x = self.batchnorm(x)
        if self.has_act:
            x = self.activation(x)
        return x


class DenseBnAct(Cell):
    """MindSpore's ``nn.DenseBnAct(in_channels, out_channels, weight_init='normal',
    bias_init='zeros', has_bias=True, has_bn=False, momentum=0.9, eps=1e-05, activation=None,
    alpha=0.2, after_fake=True)``: ``dense``, then ``batchnorm`` (BatchNorm1d) when
    ``has_bn``, then ``activation``."""

    def __init__(self, in_channels, out_channels, weight_init="normal", bias_init="zeros",
                 has_bias=True, has_bn=False, momentum=0.9, eps=1e-5, activation=None,
                 alpha=0.2, after_fake=True) -> None:
        super().__init__()
        self.dense = Dense(in_channels, out_channels, weight_init, bias_init, has_bias)
        self.has_bn = bool(has_bn)
        self.has_act = activation is not None
        if has_bn:
            self.batchnorm = BatchNorm1d(out_channels, eps, momentum)
        self.activation = _activation(activation, alpha, "DenseBnAct")

    def construct(self, x):
        x = self.dense(x)
        if self.has_bn:
            x = self.batchnorm(x)
        if self.has_act:
            x = self.activation(x)
        return x
