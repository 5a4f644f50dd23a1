"""``mindspore.mint.nn``: PyTorch-style layers and losses (MindSpore 2.10's names,
constructor signatures and Parameter names: ``Linear.weight (out, in)``, ``Linear.bias``,
``BatchNorm2d.weight/bias/running_mean/running_var/num_batches_tracked`` ...).

Takes: :class:`~autograd_st.cell.Cell`, :mod:`autograd_st.mint.nn.functional` and the
initializers of :mod:`autograd_st.nn.layers`.  Gives: Cells whose ``construct`` calls the
mint functional forms, so they run eagerly and differentiate like any Cell.

Initialization, measured in MindSpore 2.10: ``Linear``/``Conv*`` weights HeUniform with
negative slope sqrt(5) (uniform in +-1/sqrt(fan_in)), biases uniform in +-1/sqrt(fan_in);
norm layers ones and zeros; ``Embedding`` standard normal; ``PReLU`` 0.25.
Not here (primitives autograd_st lacks): :data:`MISSING`.
"""
from __future__ import annotations

import math

import numpy as np

from ... import dtype as mstype
from ...cell import Cell
from ...nn.layers import _INIT_RNG, Linear, initialize  # noqa: F401  (nn.Linear is mint.nn's)
from ...ops import nn_func
from ...tensor import Parameter, Tensor
from . import functional  # noqa: F401  (mint.nn.functional)
from . import functional as F

#: mint.nn's classes that need a primitive autograd_st does not have yet (none now).
MISSING = ()

cross_entropy = F.cross_entropy
kl_div_ext = F.kl_div
mse_loss_ext = F.mse_loss
nllloss = F.nll_loss


def _uniform(bound, shape, dtype=None):
    return _INIT_RNG[0].uniform(-bound, bound, shape).astype(np.float32 if dtype is None
                                                             else _np_dtype(dtype))


def _np_dtype(dtype):
    return mstype.to_numpy(dtype) or np.dtype(np.float32)


def _tuple(value, n):
    if isinstance(value, (tuple, list)):
        return tuple(int(v) for v in value)
    return (int(value),) * n


# ---------------------------------------------------------------------------------------
# layers with parameters
# ---------------------------------------------------------------------------------------

class _ConvNd(Cell):
    _n = 2

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 dilation=1, groups=1, bias=True, padding_mode="zeros", dtype=None,
                 transposed=False, output_padding=0) -> None:
        super().__init__()
        n = self._n
        if in_channels % groups or out_channels % groups:
            raise ValueError("For '%s', in_channels (%d) and out_channels (%d) must be "
                             "divisible by groups (%d)" % (type(self).__name__, in_channels,
                                                           out_channels, groups))
        if padding_mode not in ("zeros", "reflect", "replicate", "circular"):
            raise ValueError("For '%s', padding_mode must be 'zeros', 'reflect', 'replicate' "
                             "or 'circular', but got %r" % (type(self).__name__,
                                                            padding_mode))
        self.in_channels, self.out_channels = int(in_channels), int(out_channels)
        self.kernel_size = _tuple(kernel_size, n)
        self.stride = _tuple(stride, n)
        self.dilation = _tuple(dilation, n)
        self.padding = padding if isinstance(padding, str) else _tuple(padding, n)
        self.output_padding = _tuple(output_padding, n)
        self.groups = int(groups)
        self.padding_mode = padding_mode
        if transposed:
            shape = (in_channels, out_channels // groups) + self.kernel_size
        else:
            shape = (out_channels, in_channels // groups) + self.kernel_size
        fan_in = shape[1] * int(np.prod(self.kernel_size))
        self.weight = Parameter(initialize(None, shape, dtype, default="he_uniform_sqrt5"),
                                name="weight")
        if bias:
            self.bias = Parameter(_uniform(1.0 / math.sqrt(fan_in), (out_channels,), dtype),
                                  name="bias")
        else:
            self.bias = None
        # padding_mode other than zeros: the input padded first, the convolution unpadded
        self._pre_pad = None
        if padding_mode != "zeros" and not isinstance(self.padding, str):
            pads = ()
            for p in reversed(self.padding):
                pads += (p, p)
            self._pre_pad = (pads, {"reflect": "reflect", "replicate": "replicate",
                                    "circular": "circular"}[padding_mode])
            self.padding = (0,) * n


class Conv2d(_ConvNd):
    """``mint.nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0,
    dilation=1, groups=1, bias=True, padding_mode='zeros', dtype=None)`` of NCHW input
    (``padding``: an int, ``(h, w)``, ``'valid'`` or ``'same'``)."""

    def construct(self, input):
        if self._pre_pad is not None:
            input = F.pad(input, self._pre_pad[0], self._pre_pad[1])
        return F.conv2d(input, self.weight, self.bias, self.stride, self.padding,
                        self.dilation, self.groups)


class Conv1d(_ConvNd):
    """``mint.nn.Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0,
    dilation=1, groups=1, bias=True, padding_mode='zeros', dtype=None)`` of NCL input."""

    _n = 1

    def construct(self, input):
        if self._pre_pad is not None:
            input = F.pad(input, self._pre_pad[0], self._pre_pad[1])
        padding = self.padding if isinstance(self.padding, str) else self.padding[0]
        return F.conv1d(input, self.weight, self.bias, self.stride[0], padding,
                        self.dilation[0], self.groups)


class Conv3d(_ConvNd):
    """``mint.nn.Conv3d(in_channels, out_channels, kernel_size, stride=1, padding=0,
    dilation=1, groups=1, bias=True, padding_mode='zeros', dtype=None)`` of NCDHW input
    (``padding``: an int, ``(d, h, w)``, ``'valid'`` or ``'same'``); initialized as
    :class:`Conv2d`."""

    _n = 3

    def construct(self, input):
        if self._pre_pad is not None:
            input = F.pad(input, self._pre_pad[0], self._pre_pad[1])
        return F.conv3d(input, self.weight, self.bias, self.stride, self.padding,
                        self.dilation, self.groups)


class ConvTranspose2d(_ConvNd):
    """``mint.nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1,
    padding=0, output_padding=0, groups=1, bias=True, dilation=1, padding_mode='zeros',
    dtype=None)``; ``weight (in_channels, out_channels / groups, kh, kw)``."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros",
                 dtype=None) -> None:
        if padding_mode != "zeros":
            raise ValueError("For 'ConvTranspose2d', only padding_mode='zeros' is supported, "
                             "but got %r" % (padding_mode,))
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation,
                         groups, bias, padding_mode, dtype, transposed=True,
                         output_padding=output_padding)

    def construct(self, input):
        return F.conv_transpose2d(input, self.weight, self.bias, self.stride, self.padding,
                                  self.output_padding, self.groups, self.dilation)


class _BatchNorm(Cell):
    def __init__(self, num_features, eps=1e-05, momentum=0.1, affine=True,
                 track_running_stats=True, dtype=None) -> None:
        super().__init__()
        n = (int(num_features),)
        self.num_features, self.eps, self.momentum = int(num_features), float(eps), momentum
        self.affine, self.track_running_stats = bool(affine), bool(track_running_stats)
        self.weight = Parameter(initialize("ones", n, dtype), name="weight",
                                requires_grad=affine)
        self.bias = Parameter(initialize("zeros", n, dtype), name="bias",
                              requires_grad=affine)
        self.running_mean = Parameter(initialize("zeros", n, dtype), name="running_mean",
                                      requires_grad=False)
        self.running_var = Parameter(initialize("ones", n, dtype), name="running_var",
                                     requires_grad=False)
        self.num_batches_tracked = Parameter(np.zeros((), np.int64),
                                             name="num_batches_tracked", requires_grad=False)

    def construct(self, input):
        if self.training and self.track_running_stats:
            out = F.batch_norm(input, self.running_mean, self.running_var, self.weight,
                               self.bias, True, self.momentum, self.eps)
            return nn_func.depend(out, nn_func.assign(self.num_batches_tracked,
                                                      self.num_batches_tracked + 1))
        if not self.track_running_stats:
            return F.batch_norm(input, None, None, self.weight, self.bias, True,
                                self.momentum, self.eps)
        return F.batch_norm(input, self.running_mean, self.running_var, self.weight,
                            self.bias, False, self.momentum, self.eps)


class BatchNorm1d(_BatchNorm):
    """``mint.nn.BatchNorm1d(num_features, eps=1e-05, momentum=0.1, affine=True,
    track_running_stats=True, dtype=None)`` of ``(N, C)`` or ``(N, C, L)``: training uses
    the batch statistics and updates ``running = (1 - momentum) running + momentum batch``
    (unbiased variance) and counts the batches in ``num_batches_tracked``; without
    ``track_running_stats`` the batch statistics always, nothing written."""


class BatchNorm2d(_BatchNorm):
    """``mint.nn.BatchNorm2d(...)`` of ``(N, C, H, W)``; see :class:`BatchNorm1d`."""


class BatchNorm3d(_BatchNorm):
    """``mint.nn.BatchNorm3d(...)`` of ``(N, C, D, H, W)``; see :class:`BatchNorm1d`."""


SyncBatchNorm = BatchNorm2d


class LayerNorm(Cell):
    """``mint.nn.LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True, bias=True,
    dtype=None)``: over the last axes, ``weight`` ones, ``bias`` zeros."""

    def __init__(self, normalized_shape, eps=1e-05, elementwise_affine=True, bias=True,
                 dtype=None) -> None:
        super().__init__()
        shape = _tuple(normalized_shape, 1)
        self.normalized_shape, self.eps = shape, float(eps)
        self.weight = self.bias = None
        if elementwise_affine:
            self.weight = Parameter(initialize("ones", shape, dtype), name="weight")
            if bias:
                self.bias = Parameter(initialize("zeros", shape, dtype), name="bias")

    def construct(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)


class GroupNorm(Cell):
    """``mint.nn.GroupNorm(num_groups, num_channels, eps=1e-05, affine=True, dtype=None)``."""

    def __init__(self, num_groups, num_channels, eps=1e-05, affine=True, dtype=None) -> None:
        super().__init__()
        if num_channels % num_groups:
            raise ValueError("For 'GroupNorm', num_channels (%d) must be divisible by "
                             "num_groups (%d)" % (num_channels, num_groups))
        self.num_groups, self.num_channels, self.eps = int(num_groups), int(num_channels), eps
        self.weight = self.bias = None
        if affine:
            self.weight = Parameter(initialize("ones", (num_channels,), dtype), name="weight")
            self.bias = Parameter(initialize("zeros", (num_channels,), dtype), name="bias")

    def construct(self, input):
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)


class Embedding(Cell):
    """``mint.nn.Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None,
    norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None, _freeze=False,
    dtype=None)``: ``weight`` standard normal, the row ``padding_idx`` zero (and without
    gradient)."""

    def __init__(self, num_embeddings, embedding_dim, padding_idx=None, max_norm=None,
                 norm_type=2.0, scale_grad_by_freq=False, sparse=False, _weight=None,
                 _freeze=False, dtype=None) -> None:
        super().__init__()
        if padding_idx is not None and padding_idx < 0:
            padding_idx += num_embeddings
        self.num_embeddings, self.embedding_dim = int(num_embeddings), int(embedding_dim)
        self.padding_idx, self.max_norm = padding_idx, max_norm
        self.norm_type, self.scale_grad_by_freq = norm_type, scale_grad_by_freq
        if _weight is None:
            value = _INIT_RNG[0].standard_normal((num_embeddings, embedding_dim)).astype(
                np.float32 if dtype is None else _np_dtype(dtype))
            if padding_idx is not None:
                value[padding_idx] = 0
        else:
            value = _weight.asnumpy() if isinstance(_weight, Tensor) else np.asarray(_weight)
        self.weight = Parameter(value, name="weight", requires_grad=not _freeze)

    def construct(self, input):
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm,
                           self.norm_type, self.scale_grad_by_freq)


class PReLU(Cell):
    """``mint.nn.PReLU(num_parameters=1, init=0.25, dtype=None)``: ``weight``
    (num_parameters,) filled with ``init``."""

    def __init__(self, num_parameters=1, init=0.25, dtype=None) -> None:
        super().__init__()
        self.weight = Parameter(np.full((int(num_parameters),), init,
                                        np.float32 if dtype is None else _np_dtype(dtype)),
                                name="weight")

    def construct(self, input):
        return F.prelu(input, self.weight)


# ---------------------------------------------------------------------------------------
# layers without parameters: a Cell over one functional form
# ---------------------------------------------------------------------------------------

class ReLU(Cell):
    """``mint.nn.ReLU()``."""

    def construct(self, input):
        return F.relu(input)


class Sigmoid(Cell):
    """``mint.nn.Sigmoid()``."""

    def construct(self, input):
        return F.sigmoid(input)


class Tanh(Cell):
    """``mint.nn.Tanh()``."""

    def construct(self, input):
        return F.tanh(input)


class Mish(Cell):
    """``mint.nn.Mish()``."""

    def construct(self, input):
        return F.mish(input)


class SELU(Cell):
    """``mint.nn.SELU()``."""

    def construct(self, input):
        return F.selu(input)


class LogSigmoid(Cell):
    """``mint.nn.LogSigmoid()``."""

    def construct(self, input):
        return F.logsigmoid(input)


class Hardsigmoid(Cell):
    """``mint.nn.Hardsigmoid()``."""

    def construct(self, input):
        return F.hardsigmoid(input)


class Hardswish(Cell):
    """``mint.nn.Hardswish()``."""

    def construct(self, input):
        return F.hardswish(input)


class Identity(Cell):
    """``mint.nn.Identity(*args, **kwargs)``: its input."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()

    def construct(self, input):
        return input


class _Inplace(Cell):
    def __init__(self, inplace=False) -> None:
        super().__init__()
        self.inplace = inplace


class ReLU6(_Inplace):
    """``mint.nn.ReLU6(inplace=False)``."""

    def construct(self, input):
        return F.relu6(input, self.inplace)


class SiLU(_Inplace):
    """``mint.nn.SiLU(inplace=False)``."""

    def construct(self, input):
        return F.silu(input, self.inplace)


class ELU(Cell):
    """``mint.nn.ELU(alpha=1.0, inplace=False)``."""

    def __init__(self, alpha=1.0, inplace=False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def construct(self, input):
        return F.elu(input, self.alpha, self.inplace)


class GELU(Cell):
    """``mint.nn.GELU(approximate='none')`` (``'tanh'``: the tanh approximation)."""

    def __init__(self, approximate="none") -> None:
        super().__init__()
        self.approximate = approximate

    def construct(self, input):
        return F.gelu(input, self.approximate)


class GLU(Cell):
    """``mint.nn.GLU(dim=-1)``."""

    def __init__(self, dim=-1) -> None:
        super().__init__()
        self.dim = dim

    def construct(self, input):
        return F.glu(input, self.dim)


class Hardshrink(Cell):
    """``mint.nn.Hardshrink(lambd=0.5)``."""

    def __init__(self, lambd=0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def construct(self, input):
        return F.hardshrink(input, self.lambd)


class Softshrink(Hardshrink):
    """``mint.nn.Softshrink(lambd=0.5)``."""

    def construct(self, input):
        return F.softshrink(input, self.lambd)


class Hardtanh(Cell):
    """``mint.nn.Hardtanh(min_val=-1.0, max_val=1.0, inplace=False)``."""

    def __init__(self, min_val=-1.0, max_val=1.0, inplace=False) -> None:
        super().__init__()
        self.min_val, self.max_val = min_val, max_val
        self.inplace = inplace

    def construct(self, input):
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)


class Threshold(Cell):
    """``mint.nn.Threshold(threshold, value, inplace=False)``."""

    def __init__(self, threshold, value, inplace=False) -> None:
        super().__init__()
        self.threshold, self.value = threshold, value
        self.inplace = inplace

    def construct(self, input):
        return F.threshold(input, self.threshold, self.value, self.inplace)


class Softmax(Cell):
    """``mint.nn.Softmax(dim=None)`` (None: PyTorch's implicit axis)."""

    def __init__(self, dim=None) -> None:
        super().__init__()
        self.dim = dim

    def construct(self, input):
        return F.softmax(input, self.dim)


class LogSoftmax(Softmax):
    """``mint.nn.LogSoftmax(dim=None)``."""

    def construct(self, input):
        return F.log_softmax(input, self.dim)


class Dropout(Cell):
    """``mint.nn.Dropout(p=0.5, inplace=False)``: active in training mode only."""

    def __init__(self, p=0.5, inplace=False) -> None:
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError("For 'Dropout', p must be in [0, 1], but got %r" % (p,))
        self.p = float(p)

    def construct(self, input):
        if not self.training or self.p == 0:
            return input
        return F.dropout(input, self.p, True)


class Dropout2d(Cell):
    """``mint.nn.Dropout2d(p=0.5, inplace=False)``: whole channels of ``(N, C, H, W)``
    zeroed with probability ``p`` (the rest scaled by ``1 / (1 - p)``), in training mode
    only."""

    def __init__(self, p=0.5, inplace=False) -> None:
        super().__init__()
        if not 0 <= p <= 1:
            raise ValueError("For 'Dropout2d', p must be in [0, 1], but got %r" % (p,))
        self.p = float(p)

    def construct(self, input):
        if not self.training or self.p == 0:
            return input
        return F.dropout2d(input, self.p, True)


class Fold(Cell):
    """``mint.nn.Fold(output_size, kernel_size, dilation=1, padding=0, stride=1)``:
    ``(N, C*kh*kw, L)`` blocks summed into ``(N, C, H, W)`` (col2im)."""

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1) -> None:
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def construct(self, input):
        return F.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding,
                      self.stride)


class Unfold(Cell):
    """``mint.nn.Unfold(kernel_size, dilation=1, padding=0, stride=1)``: the sliding blocks
    of ``(N, C, H, W)`` as ``(N, C*kh*kw, L)`` (im2col)."""

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1) -> None:
        super().__init__()
        self.kernel_size, self.dilation = kernel_size, dilation
        self.padding, self.stride = padding, stride

    def construct(self, input):
        return F.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)


class Flatten(Cell):
    """``mint.nn.Flatten(start_dim=1, end_dim=-1)``."""

    def __init__(self, start_dim=1, end_dim=-1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def construct(self, input):
        return F.flatten(input, self.start_dim, self.end_dim)


class PixelShuffle(Cell):
    """``mint.nn.PixelShuffle(upscale_factor)``."""

    def __init__(self, upscale_factor) -> None:
        super().__init__()
        self.upscale_factor = upscale_factor

    def construct(self, input):
        return F.pixel_shuffle(input, self.upscale_factor)


class Upsample(Cell):
    """``mint.nn.Upsample(size=None, scale_factor=None, mode='nearest',
    align_corners=None, recompute_scale_factor=None)``."""

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None,
                 recompute_scale_factor=None) -> None:
        super().__init__()
        self.size, self.scale_factor, self.mode = size, scale_factor, mode
        self.align_corners = align_corners
        self.recompute_scale_factor = recompute_scale_factor

    def construct(self, input):
        return F.interpolate(input, self.size, self.scale_factor, self.mode,
                             self.align_corners, self.recompute_scale_factor)


class UpsamplingNearest2d(Upsample):
    """``mint.nn.UpsamplingNearest2d(size=None, scale_factor=None)``."""

    def __init__(self, size=None, scale_factor=None) -> None:
        super().__init__(size, scale_factor, "nearest")


class UpsamplingBilinear2d(Upsample):
    """``mint.nn.UpsamplingBilinear2d(size=None, scale_factor=None)``: bilinear with
    ``align_corners=True``."""

    def __init__(self, size=None, scale_factor=None) -> None:
        super().__init__(size, scale_factor, "bilinear", True)


# ---------------------------------------------------------------------------------------
# pooling, padding
# ---------------------------------------------------------------------------------------

class MaxPool2d(Cell):
    """``mint.nn.MaxPool2d(kernel_size=1, stride=None, padding=0, dilation=1,
    return_indices=False, ceil_mode=False)``."""

    def __init__(self, kernel_size=1, stride=None, padding=0, dilation=1,
                 return_indices=False, ceil_mode=False) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.dilation, self.return_indices, self.ceil_mode = dilation, return_indices, \
            ceil_mode

    def construct(self, input):
        return F.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            self.ceil_mode, self.return_indices)


class AvgPool2d(Cell):
    """``mint.nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False,
    count_include_pad=True, divisor_override=None)``."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad
        self.divisor_override = divisor_override

    def construct(self, input):
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)


class AvgPool1d(Cell):
    """``mint.nn.AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False,
    count_include_pad=True)``."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.ceil_mode, self.count_include_pad = ceil_mode, count_include_pad

    def construct(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad)


class AvgPool3d(AvgPool2d):
    """``mint.nn.AvgPool3d(kernel_size, stride=None, padding=0, ceil_mode=False,
    count_include_pad=True, divisor_override=None)`` of ``(N, C, D, H, W)``."""

    def construct(self, input):
        return F.avg_pool3d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode,
                            self.count_include_pad, self.divisor_override)


class MaxUnpool2d(Cell):
    """``mint.nn.MaxUnpool2d(kernel_size, stride=None, padding=0)``; ``construct(input,
    indices, output_size=None)``."""

    def __init__(self, kernel_size, stride=None, padding=0) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding

    def construct(self, input, indices, output_size=None):
        return F.max_unpool2d(input, indices, self.kernel_size, self.stride, self.padding,
                              output_size)


class AdaptiveAvgPool2d(Cell):
    """``mint.nn.AdaptiveAvgPool2d(output_size)``."""

    def __init__(self, output_size) -> None:
        super().__init__()
        self.output_size = output_size

    def construct(self, input):
        return F.adaptive_avg_pool2d(input, self.output_size)


class AdaptiveAvgPool1d(AdaptiveAvgPool2d):
    """``mint.nn.AdaptiveAvgPool1d(output_size)``."""

    def construct(self, input):
        return F.adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool3d(AdaptiveAvgPool2d):
    """``mint.nn.AdaptiveAvgPool3d(output_size)``."""

    def construct(self, input):
        return F.adaptive_avg_pool3d(input, self.output_size)


class AdaptiveMaxPool2d(Cell):
    """``mint.nn.AdaptiveMaxPool2d(output_size, return_indices=False)``."""

    def __init__(self, output_size, return_indices=False) -> None:
        super().__init__()
        self.output_size, self.return_indices = output_size, return_indices

    def construct(self, input):
        return F.adaptive_max_pool2d(input, self.output_size, self.return_indices)



class AdaptiveMaxPool1d(AdaptiveMaxPool2d):
    """``mint.nn.AdaptiveMaxPool1d(output_size, return_indices=False)`` over the last axis
    (PyTorch's bins: the length need not divide)."""

    def construct(self, input):
        return F.adaptive_max_pool1d(input, self.output_size, self.return_indices)

class _Pad(Cell):
    _dims = 1
    _mode = "constant"

    def __init__(self, padding, value=None) -> None:
        super().__init__()
        if isinstance(padding, (tuple, list)):
            if len(padding) != 2 * self._dims:
                raise ValueError("For '%s', padding must be an int or a tuple of %d ints, but "
                                 "got %r" % (type(self).__name__, 2 * self._dims, padding))
            self.padding = tuple(int(p) for p in padding)
        else:
            self.padding = (int(padding),) * (2 * self._dims)
        self.value = value

    def construct(self, input):
        return F.pad(input, self.padding, self._mode, self.value)


def _pad_class(name, dims, mode, with_value=False, zero=False):
    doc = "``mint.nn.%s(padding%s)``: %s padding of the last %d axes." % (
        name, ", value" if with_value else "", mode, dims)
    if with_value:
        def __init__(self, padding, value):
            _Pad.__init__(self, padding, value)
    elif zero:
        def __init__(self, padding):
            _Pad.__init__(self, padding, 0.0)
    else:
        def __init__(self, padding):
            _Pad.__init__(self, padding)
    return type(name, (_Pad,), {"_dims": dims, "_mode": mode, "__init__": __init__,
                                "__doc__": doc, "__module__": __name__})


ConstantPad1d = _pad_class("ConstantPad1d", 1, "constant", with_value=True)
ConstantPad2d = _pad_class("ConstantPad2d", 2, "constant", with_value=True)
ConstantPad3d = _pad_class("ConstantPad3d", 3, "constant", with_value=True)
ZeroPad1d = _pad_class("ZeroPad1d", 1, "constant", zero=True)
ZeroPad2d = _pad_class("ZeroPad2d", 2, "constant", zero=True)
ZeroPad3d = _pad_class("ZeroPad3d", 3, "constant", zero=True)
ReflectionPad1d = _pad_class("ReflectionPad1d", 1, "reflect")
ReflectionPad2d = _pad_class("ReflectionPad2d", 2, "reflect")
ReflectionPad3d = _pad_class("ReflectionPad3d", 3, "reflect")
ReplicationPad1d = _pad_class("ReplicationPad1d", 1, "replicate")
ReplicationPad2d = _pad_class("ReplicationPad2d", 2, "replicate")
ReplicationPad3d = _pad_class("ReplicationPad3d", 3, "replicate")


# ---------------------------------------------------------------------------------------
# losses
# ---------------------------------------------------------------------------------------

class _Loss(Cell):
    def __init__(self, reduction="mean") -> None:
        super().__init__()
        if reduction not in ("mean", "sum", "none", "batchmean"):
            raise ValueError("For '%s', reduction must be 'mean', 'sum' or 'none', but got "
                             "%r" % (type(self).__name__, reduction))
        self.reduction = reduction


class SoftMarginLoss(_Loss):
    """``mint.nn.SoftMarginLoss(reduction='mean')``: ``log(1 + exp(-y x))``."""

    def construct(self, input, target):
        return F.soft_margin_loss(input, target, self.reduction)


class L1Loss(_Loss):
    """``mint.nn.L1Loss(reduction='mean')``."""

    def construct(self, input, target):
        return F.l1_loss(input, target, self.reduction)


class MSELoss(_Loss):
    """``mint.nn.MSELoss(reduction='mean')``."""

    def construct(self, input, target):
        return F.mse_loss(input, target, self.reduction)


class SmoothL1Loss(_Loss):
    """``mint.nn.SmoothL1Loss(reduction='mean', beta=1.0)``."""

    def __init__(self, reduction="mean", beta=1.0) -> None:
        super().__init__(reduction)
        self.beta = beta

    def construct(self, input, target):
        return F.smooth_l1_loss(input, target, self.reduction, self.beta)


class KLDivLoss(_Loss):
    """``mint.nn.KLDivLoss(reduction='mean', log_target=False)`` (also ``'batchmean'``)."""

    def __init__(self, reduction="mean", log_target=False) -> None:
        super().__init__(reduction)
        self.log_target = log_target

    def construct(self, input, target):
        return F.kl_div(input, target, self.reduction, self.log_target)


class _Weighted(_Loss):
    def __init__(self, weight=None, reduction="mean") -> None:
        super().__init__(reduction)
        self.weight = weight


class BCELoss(_Weighted):
    """``mint.nn.BCELoss(weight=None, reduction='mean')``."""

    def construct(self, input, target):
        return F.binary_cross_entropy(input, target, self.weight, self.reduction)


class BCEWithLogitsLoss(_Weighted):
    """``mint.nn.BCEWithLogitsLoss(weight=None, reduction='mean', pos_weight=None)``."""

    def __init__(self, weight=None, reduction="mean", pos_weight=None) -> None:
        super().__init__(weight, reduction)
        self.pos_weight = pos_weight

    def construct(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight, self.reduction,
                                                  self.pos_weight)


class NLLLoss(_Weighted):
    """``mint.nn.NLLLoss(weight=None, ignore_index=-100, reduction='mean')``."""

    def __init__(self, weight=None, ignore_index=-100, reduction="mean") -> None:
        super().__init__(weight, reduction)
        self.ignore_index = ignore_index

    def construct(self, input, target):
        return F.nll_loss(input, target, self.weight, self.ignore_index, self.reduction)


class CrossEntropyLoss(NLLLoss):
    """``mint.nn.CrossEntropyLoss(weight=None, ignore_index=-100, reduction='mean',
    label_smoothing=0.0)``: logits and class indices (or class probabilities)."""

    def __init__(self, weight=None, ignore_index=-100, reduction="mean",
                 label_smoothing=0.0) -> None:
        super().__init__(weight, ignore_index, reduction)
        self.label_smoothing = label_smoothing

    def construct(self, input, target):
        return F.cross_entropy(input, target, self.weight, self.ignore_index, self.reduction,
                               self.label_smoothing)


class CosineEmbeddingLoss(_Loss):
    """``mint.nn.CosineEmbeddingLoss(margin=0.0, reduction='mean')``."""

    def __init__(self, margin=0.0, reduction="mean") -> None:
        super().__init__(reduction)
        self.margin = margin

    def construct(self, input1, input2, target):
        return F.cosine_embedding_loss(input1, input2, target, self.margin, self.reduction)


__all__ = sorted(n for n, v in globals().items() if not n.startswith("_") and (
    isinstance(v, type) and issubclass(v, Cell)) or n in ("functional", "F"))
