"""``mindspore.mint.nn.functional``: PyTorch-style functional layers, activations and losses
(MindSpore 2.10's names and signatures, measured with ``inspect.signature``).

Takes: :mod:`autograd_st.ops`, :mod:`autograd_st.ops.nn_func` and
:data:`~autograd_st.prims.P`.  Gives: the ops under mint's names, or thin adapters marked
:func:`~autograd_st.prims.bindable` (eager on Tensors; inside differentiated code they emit
the primitives they are written with).  ``softmax``/``log_softmax`` with ``dim=None`` (the
implicit axis reads the rank), ``group_norm`` (the batch size) and ``one_hot`` with
``num_classes=-1`` are plain functions, compiled as callees.

``inplace=True`` writes the result into the input Tensor and returns it, when run eagerly
(PyTorch's meaning, which mint documents; MindSpore 2.10's CPU build has no kernel for it);
inside differentiated code the result is a new value, as in a MindSpore graph.  Not here (primitives autograd_st lacks):
:data:`MISSING`.
"""
from __future__ import annotations

from ... import ops
from ...ops import nn_func
from ...prims import P, bindable
from ...tensor import Tensor
from .. import linalg


def _inplace(input, out, inplace: bool):
    """``out``, written into ``input`` (and ``input`` returned) when ``inplace`` and both are
    Tensors, that is, eagerly."""
    if inplace and isinstance(input, Tensor) and isinstance(out, Tensor):
        input._data[...] = out._data.astype(input._data.dtype, copy=False)
        return input
    return out

#: mint.nn.functional's names that need a primitive autograd_st does not have yet.
MISSING = ("grid_sample",)

_SAME = ("adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool2d", "broadcast_to",
         "clamp", "cross_entropy", "hardshrink", "hardsigmoid", "hardswish", "interpolate",
         "l1_loss", "mse_loss", "sigmoid", "softplus", "softshrink", "tanh", "gelu", "mish",
         "logsigmoid", "pixel_shuffle", "adaptive_avg_pool3d", "fold", "unfold",
         "soft_margin_loss")
globals().update({name: getattr(ops, name) for name in _SAME})
linear = nn_func.linear
conv_transpose2d = ops.conv_transpose2d
adaptive_avg_pool3d_ext = ops.adaptive_avg_pool3d


@bindable
def flatten(input, start_dim=0, end_dim=-1):
    """``flatten(input, start_dim=0, end_dim=-1)``."""
    return nn_func.flatten(input, start_dim, end_dim)


def _reduce(loss, reduction):
    if reduction == "mean":
        return ops.mean(loss)
    if reduction == "sum":
        return ops.sum(loss)
    if reduction == "none":
        return loss
    raise ValueError("reduction must be 'mean', 'sum' or 'none', but got %r" % (reduction,))


# ---------------------------------------------------------------------------------------
# activations
# ---------------------------------------------------------------------------------------

@bindable
def relu(input, inplace=False):
    """``mint.nn.functional.relu(input, inplace=False)``."""
    return _inplace(input, ops.relu(input), inplace)


relu_ = ops.relu


@bindable
def relu6(input, inplace=False):
    """``relu6(input, inplace=False)``: ``min(max(input, 0), 6)``."""
    return _inplace(input, ops.relu6(input), inplace)


@bindable
def silu(input, inplace=False):
    """``silu(input, inplace=False)``: ``input * sigmoid(input)``."""
    return _inplace(input, ops.silu(input), inplace)


@bindable
def elu(input, alpha=1.0, inplace=False):
    """``elu(input, alpha=1.0, inplace=False)``."""
    return _inplace(input, ops.elu(input, alpha), inplace)


@bindable
def selu(input):
    """``selu(input)``."""
    return ops.selu(input)


@bindable
def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """``hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False)``."""
    return _inplace(input, ops.hardtanh(input, min_val, max_val), inplace)


@bindable
def leaky_relu(input, negative_slope=0.01):
    """``leaky_relu(input, negative_slope=0.01)`` (PyTorch's default slope; ``ops``' is
    0.2)."""
    return ops.leaky_relu(input, negative_slope)


@bindable
def threshold(input, threshold, value, inplace=False):
    """``threshold(input, threshold, value, inplace=False)``: ``input`` where it is
    greater than ``threshold``, else ``value``."""
    return _inplace(input, ops.threshold(input, threshold, value), inplace)


@bindable
def glu(input, dim=-1):
    """``glu(input, dim=-1)``: the first half times the sigmoid of the second."""
    return ops.glu(input, dim)


@bindable
def prelu(input, weight):
    """``prelu(input, weight)``: ``input`` where positive, else ``weight * input``
    (``weight``: one value or one per channel, axis 1)."""
    return P.where(P.greater(input, 0.0), input,
                   P.mul(input, P.reshape_along(weight, input, 1)))


def softmax(input, dim=None, dtype=None):
    """``softmax(input, dim=None, dtype=None)``; ``dim=None`` is PyTorch's implicit axis,
    as MindSpore's (0 for a 0-, 1- or 3-D input, else 1)."""
    if dtype is not None:
        input = ops.cast(input, dtype)
    if dim is None:
        if input.ndim == 2 or input.ndim > 3:
            return ops.softmax(input, 1)
        return ops.softmax(input, 0)
    return ops.softmax(input, dim)


def log_softmax(input, dim=None, *, dtype=None):
    """``log_softmax(input, dim=None, *, dtype=None)``; ``dim=None`` as :func:`softmax`."""
    if dtype is not None:
        input = ops.cast(input, dtype)
    if dim is None:
        if input.ndim == 2 or input.ndim > 3:
            return ops.log_softmax(input, 1)
        return ops.log_softmax(input, 0)
    return ops.log_softmax(input, dim)


# ---------------------------------------------------------------------------------------
# convolution, pooling, padding, dropout
# ---------------------------------------------------------------------------------------

def _conv_padding(padding):
    if isinstance(padding, str):
        return padding, 0
    return "pad", padding


@bindable
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """``conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)``:
    ``padding`` an int, ``(h, w)``, ``'valid'`` or ``'same'``."""
    mode, pad = _conv_padding(padding)
    return ops.conv2d(input, weight, bias, stride, mode, pad, dilation, groups)


@bindable
def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """``conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)``."""
    mode, pad = _conv_padding(padding)
    return ops.conv1d(input, weight, bias, stride, mode, pad, dilation, groups)


@bindable
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """``max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1,
    ceil_mode=False, return_indices=False)`` (``stride`` None: ``kernel_size``)."""
    return ops.max_pool2d(input, kernel_size, stride, padding, dilation, return_indices,
                          ceil_mode)


@bindable
def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """``avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
    count_include_pad=True, divisor_override=None)``."""
    return ops.avg_pool2d(input, kernel_size, kernel_size if stride is None else stride,
                          padding, ceil_mode, count_include_pad,
                          0 if divisor_override is None else divisor_override)


@bindable
def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """``avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
    count_include_pad=True)``."""
    return ops.avg_pool1d(input, kernel_size, kernel_size if stride is None else stride,
                          padding, ceil_mode, count_include_pad)


@bindable
def pad(input, pad, mode="constant", value=None):
    """``pad(input, pad, mode='constant', value=None)``: ``pad`` pairs from the last axis
    backward; modes 'constant', 'reflect', 'replicate', 'circular'."""
    return ops.pad(input, pad, mode, value)


@bindable
def dropout(input, p=0.5, training=True, inplace=False):
    """``dropout(input, p=0.5, training=True, inplace=False)``: elements zeroed with
    probability ``p``, the rest scaled by ``1 / (1 - p)``, when ``training``."""
    return _inplace(input, ops.dropout(input, p, training), inplace)


@bindable
def dropout2d(input, p=0.5, training=True, inplace=False):
    """``dropout2d(input, p=0.5, training=True, inplace=False)``: each channel of ``(N, C,
    H, W)`` zeroed whole with probability ``p``, the others scaled by ``1 / (1 - p)``, when
    ``training``."""
    if not training or p == 0:
        return input
    return ops.dropout2d(input, p, True)


@bindable
def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """``conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)`` of
    NCDHW input: ``padding`` an int, ``(d, h, w)``, ``'valid'`` or ``'same'``."""
    mode, pad = _conv_padding(padding)
    return ops.conv3d(input, weight, bias, stride, mode, pad, dilation, groups)


@bindable
def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """``avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
    count_include_pad=True, divisor_override=None)`` (``stride`` None: ``kernel_size``)."""
    return ops.avg_pool3d(input, kernel_size, kernel_size if stride is None else stride,
                          padding, ceil_mode, count_include_pad,
                          0 if divisor_override is None else divisor_override)


@bindable
def adaptive_max_pool1d(input, output_size, return_indices=False):
    """``adaptive_max_pool1d(input, output_size, return_indices=False)`` over the last axis
    of ``(N, C, L)`` or ``(C, L)``: the maximum of each bin ``floor(i L / out) ..
    ceil((i + 1) L / out)`` (PyTorch's bins; ``L`` need not divide); ``return_indices``:
    also the int64 positions of the maxima along ``L``."""
    out = ops.adaptive_max_pool2d(ops.expand_dims(input, -2), (1, int(output_size)),
                                  return_indices)
    if return_indices:
        return ops.squeeze(out[0], -2), ops.squeeze(out[1], -2)
    return ops.squeeze(out, -2)


@bindable
def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """``max_unpool2d(input, indices, kernel_size, stride=None, padding=0,
    output_size=None)``: ``input`` put at ``indices`` (flat ``row * W_out + col``) of
    zeros ``((H - 1) stride - 2 padding + kernel_size, ...)``."""
    return ops.max_unpool2d(input, indices, kernel_size, stride, padding, output_size)


@bindable
def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """``upsample(input, size=None, scale_factor=None, mode='nearest',
    align_corners=None)``: ``interpolate``."""
    return ops.interpolate(input, size, scale_factor, mode, align_corners)


# ---------------------------------------------------------------------------------------
# normalization, embedding
# ---------------------------------------------------------------------------------------

@bindable
def _channel_stats(input, correction):
    flat = nn_func.flatten(ops.swapaxes(input, 0, 1), 1, -1)  # (C, everything else)
    return ops.mean(flat, 1), ops.var(flat, 1, correction)


@bindable
def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-05):
    """``batch_norm(input, running_mean, running_var, weight=None, bias=None,
    training=False, momentum=0.1, eps=1e-05)`` of ``(N, C, ...)``: training normalizes with
    the batch mean and biased variance (differentiated through) and writes
    ``running = (1 - momentum) running + momentum batch`` (the variance unbiased) into
    ``running_mean``/``running_var``; otherwise the running statistics."""
    if training:
        mu, sigma2 = _channel_stats(input, 0)
        if running_mean is not None:
            bmu, bvar = _channel_stats(ops.stop_gradient(input), 1)
            new_mean = ops.add(ops.mul(running_mean, 1.0 - momentum), ops.mul(bmu, momentum))
            new_var = ops.add(ops.mul(running_var, 1.0 - momentum), ops.mul(bvar, momentum))
            mu = nn_func.depend(mu, nn_func.assign(running_mean, new_mean))
            mu = nn_func.depend(mu, nn_func.assign(running_var, new_var))
    else:
        mu, sigma2 = running_mean, running_var
    out = ops.div(ops.sub(input, P.reshape_along(mu, input, 1)),
                  ops.sqrt(ops.add(P.reshape_along(sigma2, input, 1), eps)))
    if weight is not None:
        out = ops.mul(out, P.reshape_along(weight, input, 1))
    if bias is not None:
        out = ops.add(out, P.reshape_along(bias, input, 1))
    return out


@bindable
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    """``layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05)``: over the
    last ``len(normalized_shape)`` axes, with the biased variance."""
    if isinstance(normalized_shape, int):
        normalized_shape = (normalized_shape,)
    axes = tuple(range(-len(normalized_shape), 0))
    mu = ops.mean(input, axes, True)
    centred = ops.sub(input, mu)
    sigma2 = ops.mean(ops.mul(centred, centred), axes, True)
    out = ops.div(centred, ops.sqrt(ops.add(sigma2, eps)))
    if weight is not None:
        out = ops.mul(out, weight)
    if bias is not None:
        out = ops.add(out, bias)
    return out


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-05):
    """``group_norm(input, num_groups, weight=None, bias=None, eps=1e-05)`` of ``(N, C,
    ...)``: each sample's channels in ``num_groups`` groups, each normalized over its
    channels and positions (biased variance), then ``* weight + bias`` per channel."""
    grouped = ops.reshape(input, (input.shape[0], num_groups, -1))
    mu = ops.mean(grouped, 2, True)
    centred = grouped - mu
    sigma2 = ops.mean(centred * centred, 2, True)
    out = ops.reshape(centred / ops.sqrt(sigma2 + eps), input.shape)
    if weight is not None:
        out = out * P.reshape_along(weight, out, 1)
    if bias is not None:
        out = out + P.reshape_along(bias, out, 1)
    return out


@bindable
def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False):
    """``embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
    scale_grad_by_freq=False)``: the rows ``weight[input]``; the row ``padding_idx`` gets no
    gradient.  ``max_norm`` (renormalizing rows in place) and ``scale_grad_by_freq`` are
    not supported (ValueError)."""
    if max_norm is not None or scale_grad_by_freq:
        raise ValueError("mint.nn.functional.embedding: max_norm and scale_grad_by_freq are "
                         "not supported here; renormalize the weight yourself")
    out = nn_func.gather_rows(weight, input)
    if padding_idx is not None:
        keep = ops.expand_dims(ops.ne(input, padding_idx), -1)
        out = ops.where(keep, out, ops.stop_gradient(out))
    return out


@bindable
def normalize(input, p=2.0, dim=1, eps=1e-12):
    """``normalize(input, p=2.0, dim=1, eps=1e-12)``: ``input / max(||input||_p, eps)``
    along ``dim``."""
    n = linalg.vector_norm(input, p, dim, True)
    return ops.div(input, ops.maximum(n, eps))


def one_hot(tensor, num_classes=-1):
    """``one_hot(tensor, num_classes=-1)``: int64, a last axis of ``num_classes``
    (-1: ``max(tensor) + 1``, read from the values, so eagerly only)."""
    if num_classes == -1:
        num_classes = int(tensor.max()) + 1
    return nn_func.one_hot(tensor, num_classes, 1, 0, -1)


# ---------------------------------------------------------------------------------------
# losses
# ---------------------------------------------------------------------------------------

@bindable
def nll_loss(input, target, weight=None, ignore_index=-100, reduction="mean"):
    """``nll_loss(input, target, weight=None, ignore_index=-100, reduction='mean')``."""
    return ops.nll_loss(input, target, weight, ignore_index, reduction)


@bindable
def binary_cross_entropy(input, target, weight=None, reduction="mean"):
    """``binary_cross_entropy(input, target, weight=None, reduction='mean')`` of
    probabilities."""
    return ops.binary_cross_entropy(input, target, weight, reduction)


@bindable
def binary_cross_entropy_with_logits(input, target, weight=None, reduction="mean",
                                     pos_weight=None):
    """``binary_cross_entropy_with_logits(input, target, weight=None, reduction='mean',
    pos_weight=None)``."""
    return ops.binary_cross_entropy_with_logits(input, target, weight, pos_weight, reduction)


@bindable
def smooth_l1_loss(input, target, reduction="mean", beta=1.0):
    """``smooth_l1_loss(input, target, reduction='mean', beta=1.0)``."""
    return ops.smooth_l1_loss(input, target, beta, reduction)


@bindable
def kl_div(input, target, reduction="mean", log_target=False):
    """``kl_div(input, target, reduction='mean', log_target=False)`` with ``input`` log
    probabilities: ``target (log target - input)`` (0 where ``target`` is 0);
    ``'batchmean'``: the sum divided by the batch size."""
    if log_target:
        loss = ops.mul(ops.exp(target), ops.sub(target, input))
    else:
        positive = ops.gt(target, 0.0)
        safe = ops.where(positive, target, ops.ones_like(target))  # log(1) = 0 where t = 0
        loss = ops.mul(target, ops.sub(ops.log(safe), input))
    if reduction == "batchmean":
        return ops.sum(ops.mean(loss, 0))
    return _reduce(loss, reduction)


@bindable
def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction="mean"):
    """``cosine_embedding_loss(input1, input2, target, margin=0.0, reduction='mean')``:
    ``1 - cos`` where ``target`` is 1, ``max(0, cos - margin)`` where it is -1 (cos along
    axis 1, squared norms kept above 1e-12)."""
    prod = ops.sum(ops.mul(input1, input2), 1)
    m1 = ops.add(ops.sum(ops.mul(input1, input1), 1), 1e-12)
    m2 = ops.add(ops.sum(ops.mul(input2, input2), 1), 1e-12)
    cos = ops.div(prod, ops.sqrt(ops.mul(m1, m2)))
    pos = ops.sub(1.0, cos)
    neg = ops.relu(ops.sub(cos, margin))
    loss = ops.add(ops.mul(pos, P.cast_like(ops.eq(target, 1), cos)),
                   ops.mul(neg, P.cast_like(ops.eq(target, -1), cos)))
    return _reduce(loss, reduction)


# MindSpore's second names of the same functions (the ``inplace`` ones, ``elu_``,
# ``hardtanh_``, ``inplace_elu``, ``inplace_silu``, ``sigmoid_``, ``threshold_``, write into
# their input there and are not here)
elu_ext = elu
hardtanh_op = hardtanh
silu_func = silu
threshold_op = threshold


@bindable
def norm_ext(input, p="fro", dim=None, keepdim=False, *, dtype=None):
    """``norm_ext(input, p='fro', dim=None, keepdim=False, *, dtype=None)``: ``mint.norm``."""
    return linalg.vector_norm(input, 2 if p == "fro" else p, dim, keepdim, dtype=dtype)
