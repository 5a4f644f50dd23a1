"""3-D convolution, pooling and normalization layers, and the other convolution-side layers
MindSpore 2.10 has (``nn.Conv3d``, ``nn.Conv3dTranspose``, ``nn.BatchNorm3d``,
``nn.MaxPool3d``, ``nn.AvgPool3d``, ``nn.AdaptiveAvgPool3d``, ``nn.AdaptiveMaxPool1d``,
``nn.AdaptiveMaxPool3d``, ``nn.LPPool1d``, ``nn.LPPool2d``, ``nn.InstanceNorm1d/2d/3d``,
``nn.LRN``, ``nn.Dropout1d/2d/3d``, ``nn.MaxUnpool1d/2d/3d``, ``nn.Unfold``,
``nn.ChannelShuffle``), with MindSpore's signatures, defaults, parameter names and shapes
(measured in the side venv, so checkpoints load both ways).

Takes: the functionals of :mod:`autograd_st.table_nn3d` (through ``ops.nn_func``) and
:class:`~autograd_st.cell.Cell`.  Gives: the Cells above; each runs eagerly and inside a
differentiated ``construct``.

What differs from MindSpore: ``nn.InstanceNorm*d`` (MindSpore's kernel runs on GPU only)
follows the documented formula, normalizing each sample's channel by its own statistics in
training and inference alike; its ``moving_mean`` / ``moving_variance`` Parameters exist (for
checkpoints) and are not updated.  ``nn.Unfold`` (no CPU kernel in MindSpore) follows
TensorFlow's ``extract_image_patches`` order, which MindSpore documents.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .. import ops
from ..cell import Cell
from ..ops.nn_func import (
    adaptive_avg_pool3d,
    adaptive_max_pool1d,
    adaptive_max_pool3d,
    channel_shuffle,
    dropout1d,
    dropout2d,
    dropout3d,
    lp_pool1d,
    lp_pool2d,
    lrn,
    max_unpool1d,
    max_unpool2d,
    max_unpool3d,
)
from ..prims import P, bindable
from ..table_nn3d import (
    avg_pool3d_raw,
    check_output_padding,
    conv3d_pad,
    instance_norm,
    max_pool3d_raw,
    unfold_patches,
)
from ..tensor import Parameter
from .layers import BatchNorm2d, _bias_init, initialize

__all__ = ["Conv3d", "Conv3dTranspose", "BatchNorm3d", "MaxPool3d", "AvgPool3d",
           "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool3d", "LPPool1d",
           "LPPool2d", "InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d", "LRN",
           "Dropout1d", "Dropout2d", "Dropout3d", "MaxUnpool1d", "MaxUnpool2d", "MaxUnpool3d",
           "Unfold", "ChannelShuffle"]


def _triple(value, what: str, cls: str) -> tuple:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),) * 3
    if isinstance(value, (tuple, list)) and len(value) == 3 \
            and all(isinstance(v, (int, np.integer)) for v in value):
        return tuple(int(v) for v in value)
    raise ValueError("For '%s', the '%s' must be an int or a tuple of 3 ints, but got %r"
                     % (cls, what, value))


def _check_group(cls, in_channels, out_channels, group):
    if in_channels % group or out_channels % group:
        raise ValueError("For '%s', in_channels (%d) and out_channels (%d) must be divisible "
                         "by group (%d)" % (cls, in_channels, out_channels, group))


@bindable
def conv3d_cell(x, weight, bias, stride, pad, dilation, group):
    """nn.Conv3d's forward: the conv3d primitive, then the bias per channel."""
    out = P.conv3d(x, weight, stride, pad, dilation, group)
    if bias is not None:
        out = P.add(out, P.reshape_along(bias, out, 1))
    return out


@bindable
def conv3d_transpose_cell(x, weight, bias, stride, pad, dilation, output_padding, group):
    """nn.Conv3dTranspose's forward: conv3d's input gradient, then the bias per channel."""
    like = P.conv3d_transpose_like(x, weight, stride, pad, dilation, output_padding, group)
    out = P.conv3d_grad_input(x, weight, like, stride, pad, dilation, group)
    if bias is not None:
        out = P.add(out, P.reshape_along(bias, out, 1))
    return out


class _Conv3dBase(Cell):
    def _setup(self, cls, in_channels, out_channels, kernel_size, stride, pad_mode, padding,
               dilation, group, has_bias, weight_init, bias_init, data_format, dtype,
               transposed):
        if data_format != "NCDHW":
            raise ValueError("For '%s', data_format must be 'NCDHW', got %r"
                             % (cls, data_format))
        _check_group(cls, in_channels, out_channels, group)
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size = _triple(kernel_size, "kernel_size", cls)
        self.stride = _triple(stride, "stride", cls)
        self.dilation = _triple(dilation, "dilation", cls)
        self.group = int(group)
        self.pad_mode = pad_mode
        if pad_mode == "pad" and isinstance(padding, (tuple, list)) and len(padding) != 6:
            raise ValueError("For '%s', the 'padding size' must be int and must = 6, but got "
                             "'%d' with type 'int'." % (cls, len(padding)))
        self.padding = padding
        self.pad = conv3d_pad(pad_mode, padding, cls, six=True)
        if transposed:
            shape = (in_channels, out_channels // group) + self.kernel_size
        else:
            shape = (out_channels, in_channels // group) + self.kernel_size
        self.weight = Parameter(initialize(weight_init, shape, dtype,
                                           default="he_uniform_sqrt5"), name="weight")
        self.has_bias = bool(has_bias)
        if self.has_bias:
            fan_in = int(np.prod(shape[1:]))
            self.bias = Parameter(_bias_init(bias_init, (out_channels,), fan_in, dtype),
                                  name="bias")
        else:
            self.bias = None


class Conv3d(_Conv3dBase):
    """MindSpore's ``nn.Conv3d(in_channels, out_channels, kernel_size, stride=1,
    pad_mode='same', padding=0, dilation=1, group=1, has_bias=False, weight_init=None,
    bias_init=None, data_format='NCDHW', dtype=float32)`` on ``(N, C, D, H, W)``: weight
    ``(out, in / group, kd, kh, kw)`` (HeUniform(sqrt(5))), bias ``(out,)``; ``padding``: an
    int or ``(front, back, top, bottom, left, right)`` with ``pad_mode='pad'``; 'same' puts
    the odd padding at the back, bottom and right (measured)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1,
                 pad_mode: str = "same", padding=0, dilation=1, group: int = 1,
                 has_bias: bool = False, weight_init: Any = None, bias_init: Any = None,
                 data_format: str = "NCDHW", dtype=None) -> None:
        super().__init__()
        self._setup("Conv3d", in_channels, out_channels, kernel_size, stride, pad_mode,
                    padding, dilation, group, has_bias, weight_init, bias_init, data_format,
                    dtype, False)

    def construct(self, x):
        return conv3d_cell(x, self.weight, self.bias, self.stride, self.pad, self.dilation,
                           self.group)


class Conv3dTranspose(_Conv3dBase):
    """MindSpore's ``nn.Conv3dTranspose(in_channels, out_channels, kernel_size, stride=1,
    pad_mode='same', padding=0, dilation=1, group=1, output_padding=0, has_bias=False,
    weight_init=None, bias_init=None, data_format='NCDHW', dtype=float32)``: the input
    gradient of a 3-D convolution, weight ``(in, out / group, kd, kh, kw)``.  Output per
    axis (measured): 'same' ``D stride``; 'valid' ``(D - 1) stride + dilation (k - 1) + 1``;
    'pad' ``(D - 1) stride - before - after + dilation (k - 1) + 1 + output_padding``."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1,
                 pad_mode: str = "same", padding=0, dilation=1, group: int = 1,
                 output_padding=0, has_bias: bool = False, weight_init: Any = None,
                 bias_init: Any = None, data_format: str = "NCDHW", dtype=None) -> None:
        super().__init__()
        self._setup("Conv3dTranspose", in_channels, out_channels, kernel_size, stride,
                    pad_mode, padding, dilation, group, has_bias, weight_init, bias_init,
                    data_format, dtype, True)
        self.output_padding = _triple(output_padding, "output_padding", "Conv3dTranspose")
        check_output_padding(self.output_padding, self.stride, self.dilation,
                             "Conv3DTranspose")

    def construct(self, x):
        return conv3d_transpose_cell(x, self.weight, self.bias, self.stride, self.pad,
                                     self.dilation, self.output_padding, self.group)


class BatchNorm3d(Cell):
    """MindSpore's ``nn.BatchNorm3d(num_features, eps=1e-5, momentum=0.9, affine=True,
    gamma_init='ones', beta_init='zeros', moving_mean_init='zeros', moving_var_init='ones',
    use_batch_statistics=None, dtype=float32)``: as MindSpore, a ``BatchNorm2d`` sub-cell
    named ``bn2d`` (its Parameters ``bn2d.moving_mean``, ``bn2d.moving_variance``,
    ``bn2d.gamma``, ``bn2d.beta``) over the input reshaped ``(N, C, D * H, W)``."""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.9,
                 affine: bool = True, gamma_init: Any = "ones", beta_init: Any = "zeros",
                 moving_mean_init: Any = "zeros", moving_var_init: Any = "ones",
                 use_batch_statistics: bool | None = None, dtype=None) -> None:
        super().__init__()
        self.bn2d = BatchNorm2d(num_features, eps, momentum, affine, gamma_init, beta_init,
                                moving_mean_init, moving_var_init, use_batch_statistics,
                                dtype=dtype)

    def construct(self, x):
        shape = ops.shape(x)
        out = self.bn2d(ops.reshape(x, (shape[0], shape[1], -1, shape[4])))
        return ops.reshape(out, shape)


def _pool_mode(pad_mode, cls, defaults_ok):
    mode = pad_mode.lower() if isinstance(pad_mode, str) else pad_mode
    if mode not in ("valid", "same", "pad"):
        raise ValueError("For %s, pad_mode must be 'valid', 'same' or 'pad', but got %r"
                         % (cls, pad_mode))
    if mode != "pad" and not defaults_ok:
        raise ValueError("For %s, the parameter 'padding', 'dilation', 'return_indices', "
                         "'ceil_mode' can not be set to non-default value when pad_mode is "
                         "not 'pad', but got pad_mode:%s." % (cls, mode))
    return mode


def _pool_pads(padding, kernel, cls):
    if isinstance(padding, (tuple, list)) and len(padding) == 6:
        p = tuple(int(v) for v in padding)
    else:
        p = tuple(v for v in _triple(padding, "padding", cls) for _ in (0, 1))
    if any(p[2 * i] * 2 > kernel[i] or p[2 * i + 1] * 2 > kernel[i] for i in range(3)):
        raise ValueError("For %s, pad should be smaller than or equal to half of kernel size, "
                         "but got kernel %s and padding %s" % (cls, kernel, padding))
    return p


class MaxPool3d(Cell):
    """MindSpore's ``nn.MaxPool3d(kernel_size=1, stride=1, pad_mode='valid', padding=0,
    dilation=1, return_indices=False, ceil_mode=False)`` over the last three axes: the
    gradient goes to each window's first maximum; ``return_indices``: also their flat int64
    indices ``(d H + h) W + w`` (measured).  Non-default ``padding``, ``dilation``,
    ``return_indices``, ``ceil_mode`` need ``pad_mode='pad'``, as in MindSpore."""

    def __init__(self, kernel_size=1, stride=1, pad_mode="valid", padding=0, dilation=1,
                 return_indices=False, ceil_mode=False) -> None:
        super().__init__()
        defaults = padding in (0, (0, 0, 0)) and dilation in (1, (1, 1, 1)) \
            and not return_indices and not ceil_mode
        self.pad_mode = _pool_mode(pad_mode, "MaxPool3d", defaults)
        self.kernel_size = _triple(kernel_size, "kernel_size", "MaxPool3d")
        self.stride = _triple(stride, "stride", "MaxPool3d")
        self.dilation = _triple(dilation, "dilation", "MaxPool3d")
        self.return_indices = bool(return_indices)
        self.ceil_mode = bool(ceil_mode)
        self.padding = padding
        self.pad = _pool_pads(padding, self.kernel_size, "MaxPool3d") \
            if self.pad_mode == "pad" else self.pad_mode

    def construct(self, x):
        return max_pool3d_raw(x, self.kernel_size, self.stride, self.pad, self.dilation,
                              self.ceil_mode, self.return_indices)


class AvgPool3d(Cell):
    """MindSpore's ``nn.AvgPool3d(kernel_size=1, stride=1, pad_mode='valid', padding=0,
    ceil_mode=False, count_include_pad=True, divisor_override=None)`` over the last three
    axes.  'same' (measured) pads as MaxPool3d and divides by the whole window, padding
    included; 'pad' divides by the window clipped to the padded input
    (``count_include_pad``) or to the input; ``divisor_override`` replaces the count."""

    def __init__(self, kernel_size=1, stride=1, pad_mode="valid", padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None) -> None:
        super().__init__()
        defaults = padding in (0, (0, 0, 0)) and not ceil_mode
        self.pad_mode = _pool_mode(pad_mode, "AvgPool3d", defaults)
        self.kernel_size = _triple(kernel_size, "kernel_size", "AvgPool3d")
        self.stride = _triple(stride, "stride", "AvgPool3d")
        self.ceil_mode = bool(ceil_mode)
        self.count_include_pad = bool(count_include_pad)
        self.divisor = int(divisor_override or 0)
        self.padding = padding
        if self.pad_mode == "pad":
            p = _pool_pads(padding, self.kernel_size, "AvgPool3d")
            self.pads = tuple((p[2 * i], p[2 * i + 1]) for i in range(3))
            self.cip = self.count_include_pad
        else:
            self.pads = self.pad_mode
            self.cip = True

    def construct(self, x):
        return avg_pool3d_raw(x, self.kernel_size, self.stride, self.pads, self.ceil_mode,
                              self.cip, self.divisor)


class AdaptiveAvgPool3d(Cell):
    """MindSpore's ``nn.AdaptiveAvgPool3d(output_size)``: an int or ``(d, h, w)`` (None keeps
    that axis); bin ``i`` averages ``floor(i D / d) .. ceil((i + 1) D / d)``."""

    def __init__(self, output_size) -> None:
        super().__init__()
        self.output_size = output_size

    def construct(self, x):
        return adaptive_avg_pool3d(x, self.output_size)


class AdaptiveMaxPool1d(Cell):
    """MindSpore's ``nn.AdaptiveMaxPool1d(output_size)`` over the last axis of ``(N, C, L)``
    (``L`` divisible by ``output_size``, as MindSpore requires)."""

    def __init__(self, output_size) -> None:
        super().__init__()
        if isinstance(output_size, bool) or not isinstance(output_size, int) \
                or output_size < 1:
            raise ValueError("For AdaptiveMaxPool1d, output_size must be a positive int, but "
                             "got %r" % (output_size,))
        self.output_size = output_size

    def construct(self, x):
        return adaptive_max_pool1d(x, self.output_size)


class AdaptiveMaxPool3d(Cell):
    """MindSpore's ``nn.AdaptiveMaxPool3d(output_size, return_indices=False)``: the maximum
    of each adaptive bin of the last three axes (and, with ``return_indices``, its flat
    int32 index ``(d H + h) W + w``, measured)."""

    def __init__(self, output_size, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = bool(return_indices)

    def construct(self, x):
        return adaptive_max_pool3d(x, self.output_size, self.return_indices)


class LPPool1d(Cell):
    """MindSpore's ``nn.LPPool1d(norm_type, kernel_size, stride=None, ceil_mode=False)``:
    ``(sum over each window of x ** p) ** (1 / p)`` over the last axis."""

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False) -> None:
        super().__init__()
        self.norm_type, self.kernel_size = norm_type, kernel_size
        self.stride, self.ceil_mode = stride, ceil_mode

    def construct(self, x):
        return lp_pool1d(x, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)


class LPPool2d(Cell):
    """MindSpore's ``nn.LPPool2d(norm_type, kernel_size, stride=None, ceil_mode=False)``:
    ``(sum over each window of x ** p) ** (1 / p)`` over the last two axes."""

    def __init__(self, norm_type, kernel_size, stride=None, ceil_mode=False) -> None:
        super().__init__()
        self.norm_type, self.kernel_size = norm_type, kernel_size
        self.stride, self.ceil_mode = stride, ceil_mode

    def construct(self, x):
        return lp_pool2d(x, self.norm_type, self.kernel_size, self.stride, self.ceil_mode)


class _InstanceNorm(Cell):
    _axes: tuple = ()
    _rank = 0

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1,
                 affine: bool = True, gamma_init: Any = "ones", beta_init: Any = "zeros",
                 dtype=None) -> None:
        super().__init__()
        cls = type(self).__name__
        for what, v, kinds in (("num_features", num_features, int), ("eps", eps, float),
                               ("momentum", momentum, float), ("affine", affine, bool)):
            if not isinstance(v, kinds) or (kinds is int and isinstance(v, bool)):
                raise TypeError("For '%s', the type of '%s' must be %s, but got %s."
                                % (cls, what, kinds.__name__, type(v).__name__))
        if num_features < 1:
            raise ValueError("For '%s', the 'num_features' must be at least 1, but got %d."
                             % (cls, num_features))
        if not 0.0 <= momentum <= 1.0:
            raise ValueError("For '%s', the 'momentum' must be a number in range [0, 1], but "
                             "got %r." % (cls, momentum))
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        n = (num_features,)
        self.moving_mean = Parameter(initialize("zeros", n, dtype), name="mean",
                                     requires_grad=False)
        self.moving_variance = Parameter(initialize("ones", n, dtype), name="variance",
                                         requires_grad=False)
        self.gamma = Parameter(initialize(gamma_init, n, dtype), name="gamma",
                               requires_grad=affine)
        self.beta = Parameter(initialize(beta_init, n, dtype), name="beta",
                              requires_grad=affine)

    def construct(self, x):
        return instance_norm(x, self.gamma, self.beta, self.eps, self._axes)


class InstanceNorm1d(_InstanceNorm):
    """MindSpore's ``nn.InstanceNorm1d(num_features, eps=1e-5, momentum=0.1, affine=True,
    gamma_init='ones', beta_init='zeros', dtype=float32)`` on ``(N, C, L)``: each sample's
    channel normalized over L (biased variance), ``* gamma + beta``.  (MindSpore's kernel is
    GPU only; this follows its documented formula.)"""

    _axes = (2,)


class InstanceNorm2d(_InstanceNorm):
    """MindSpore's ``nn.InstanceNorm2d(...)`` on ``(N, C, H, W)``; see InstanceNorm1d."""

    _axes = (2, 3)


class InstanceNorm3d(_InstanceNorm):
    """MindSpore's ``nn.InstanceNorm3d(...)`` on ``(N, C, D, H, W)``; see InstanceNorm1d."""

    _axes = (2, 3, 4)


class LRN(Cell):
    """MindSpore's ``nn.LRN(depth_radius=5, bias=1.0, alpha=1.0, beta=0.5,
    norm_region='ACROSS_CHANNELS')``: ``x / (bias + alpha * sum_{|c' - c| <= r} x[c'] **
    2) ** beta`` (TensorFlow's formula; measured)."""

    def __init__(self, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5,
                 norm_region="ACROSS_CHANNELS") -> None:
        super().__init__()
        if norm_region != "ACROSS_CHANNELS":
            raise ValueError("For 'LRN', the 'norm_region' must be str and must be in "
                             "'['ACROSS_CHANNELS']', but got %r." % (norm_region,))
        self.depth_radius, self.bias, self.alpha, self.beta = depth_radius, bias, alpha, beta
        self.norm_region = norm_region

    def construct(self, x):
        return lrn(x, self.depth_radius, self.bias, self.alpha, self.beta, self.norm_region)


class _ChannelDropout(Cell):
    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if not isinstance(p, (int, float)) or isinstance(p, bool):
            raise TypeError("For '%s', the 'p' must be float, but got %s"
                            % (type(self).__name__, type(p).__name__))
        if not 0.0 <= p <= 1.0:
            raise ValueError("For '%s', the 'p' must be a number in range [0, 1], but got %r."
                             % (type(self).__name__, p))
        self.p = float(p)


class Dropout1d(_ChannelDropout):
    """MindSpore's ``nn.Dropout1d(p=0.5)``: in training, each channel of ``(N, C, L)`` (or
    ``(C, L)``) zeroed whole with probability ``p``, the rest scaled by ``1 / (1 - p)``;
    the identity in inference."""

    def construct(self, x):
        return dropout1d(x, self.p, self.training)


class Dropout2d(_ChannelDropout):
    """MindSpore's ``nn.Dropout2d(p=0.5)``: channel dropout of ``(N, C, H, W)``."""

    def construct(self, x):
        return dropout2d(x, self.p, self.training)


class Dropout3d(_ChannelDropout):
    """MindSpore's ``nn.Dropout3d(p=0.5)``: channel dropout of ``(N, C, D, H, W)``."""

    def construct(self, x):
        return dropout3d(x, self.p, self.training)


class _MaxUnpool(Cell):
    def __init__(self, kernel_size, stride=None, padding=0) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding


class MaxUnpool1d(_MaxUnpool):
    """MindSpore's ``nn.MaxUnpool1d(kernel_size, stride=None, padding=0)``, called
    ``(x, indices, output_size=None)``: ``x`` put at ``indices`` of zeros of length
    ``(L - 1) stride - 2 padding + kernel_size``; the gradient reads back there."""

    def construct(self, x, indices, output_size=None):
        return max_unpool1d(x, indices, self.kernel_size, self.stride, self.padding,
                            output_size)


class MaxUnpool2d(_MaxUnpool):
    """MindSpore's ``nn.MaxUnpool2d(kernel_size, stride=None, padding=0)``: see
    MaxUnpool1d; ``indices`` flat ``row * W_out + col``."""

    def construct(self, x, indices, output_size=None):
        return max_unpool2d(x, indices, self.kernel_size, self.stride, self.padding,
                            output_size)


class MaxUnpool3d(_MaxUnpool):
    """MindSpore's ``nn.MaxUnpool3d(kernel_size, stride=None, padding=0)``: see
    MaxUnpool1d; ``indices`` flat in the output's ``D x H x W`` volume."""

    def construct(self, x, indices, output_size=None):
        return max_unpool3d(x, indices, self.kernel_size, self.stride, self.padding,
                            output_size)


class Unfold(Cell):
    """MindSpore's ``nn.Unfold(ksizes, strides, rates, padding='valid')`` (``[1, row, col,
    1]`` each): image patches ``(N, C, H, W)`` to ``(N, kh kw C, Ho, Wo)``, depth index
    ``(p kw + q) C + c`` (TensorFlow's ``extract_image_patches``, which MindSpore documents;
    its CPU has no kernel).  'same' pads with zeros, the odd row/column at the bottom/right."""

    def __init__(self, ksizes, strides, rates, padding="valid") -> None:
        super().__init__()
        for what, v in (("ksize", ksizes), ("stride", strides), ("rate", rates)):
            if not isinstance(v, (tuple, list)) or len(v) != 4 or v[0] != 1 or v[3] != 1:
                raise ValueError("For 'Unfold' the format of '%ss' must be [1, %s_row, "
                                 "%s_col, 1], but got %r." % (what, what, what, v))
            if not all(isinstance(i, int) and i >= 1 for i in v[1:3]):
                raise ValueError("For 'Unfold' the %s_row and %s_col in '%ss' must be an "
                                 "positive integer number, but got %r" % (what, what, what, v))
        mode = padding.lower() if isinstance(padding, str) else padding
        if mode not in ("same", "valid"):
            raise ValueError("For 'Unfold', padding must be 'same' or 'valid', but got %r"
                             % (padding,))
        self.ksizes = (int(ksizes[1]), int(ksizes[2]))
        self.strides = (int(strides[1]), int(strides[2]))
        self.rates = (int(rates[1]), int(rates[2]))
        self.padding = mode

    def construct(self, x):
        return unfold_patches(x, self.ksizes, self.strides, self.rates, self.padding)


class ChannelShuffle(Cell):
    """MindSpore's ``nn.ChannelShuffle(groups)``: channels ``(g, C / g)`` read as
    ``(C / g, g)`` (``[0..5]``, 2 groups: ``[0, 3, 1, 4, 2, 5]``, measured)."""

    def __init__(self, groups) -> None:
        super().__init__()
        if isinstance(groups, bool) or not isinstance(groups, int) or groups < 1:
            raise ValueError("For ChannelShuffle, the param `groups` must be larger than 0, "
                             "but got %r" % (groups,))
        self.groups = groups

    def construct(self, x):
        return channel_shuffle(x, self.groups)

