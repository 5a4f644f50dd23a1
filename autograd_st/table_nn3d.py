"""The op-table rows for the 3-D and structural nn functionals (``ops.conv3d``,
``ops.conv3d_transpose``, ``ops.max_pool3d``, ``ops.avg_pool3d``, the adaptive and Lp
poolings, channel dropout, ``ops.channel_shuffle``, ``ops.max_unpool*d``, ``ops.lrn``,
``ops.embedding``, ``ops.bidense``), each with MindSpore 2.10's signature and defaults
(measured in the side venv), each row one calling convention (see :mod:`autograd_st.op_table`,
which gathers these rows into ``NN_OPS``; ``ops.nn_func`` publishes them, ``autograd_st.ops``
every name in :data:`PUBLIC`).

Takes: :data:`~autograd_st.prims.P`, the primitives of :mod:`autograd_st.rules_nn3d` and of
:mod:`autograd_st.rules_nn`.  Gives: :data:`OPS`, :data:`PUBLIC` and the adapters.

Everything but the convolution and the max-pooling indices is made of existing primitives, so
its derivatives of every order are theirs: average pooling is three constant matrices
(``P.pool_matrix``, one per axis, the depth axis swapped to -2), max pooling and max
unpooling are ``gather_volume`` / ``scatter_volume`` at the maxima's flat indices, Lp pooling
is average pooling of ``x ** p``, LRN's window sum is a band matrix (``P.pool_matrix`` without
division) over the channel axis, channel dropout multiplies by a mask shaped ``(N, C, 1...)``.
"""
from __future__ import annotations

import numpy as np

from . import rules_nn, rules_nn3d  # noqa: F401  (register the primitives the rows name)
from .op_row import Op
from .prims import P, bindable, has_sym
from .table_math import einsum as _einsum
from .table_nn import _ints, avg_pool2d, conv2d

__all__ = ["OPS", "PUBLIC", "conv3d", "conv3d_transpose", "conv3d_pad", "max_pool3d",
           "avg_pool3d", "adaptive_avg_pool3d", "adaptive_max_pool1d", "adaptive_max_pool3d",
           "lp_pool1d", "lp_pool2d", "dropout1d", "dropout2d", "dropout3d", "channel_shuffle",
           "max_unpool1d", "max_unpool2d", "max_unpool3d", "lrn", "embedding", "bidense",
           "embedding_lookup", "unfold_patches", "instance_norm", "check_output_padding"]


def _dim(x, axis):
    """The length of ``x`` along ``axis``: a number eagerly, a runtime value when compiled."""
    if has_sym(x):
        return P.getitem(P.shape(x), axis)
    return np.shape(x)[axis]


# ---------------------------------------------------------------------------------------
# convolution
# ---------------------------------------------------------------------------------------

def conv3d_pad(pad_mode, padding, op: str, six: bool = False):
    """The conv3d primitive's ``pad``: 'valid', 'same' or ``(front, back, top, bottom, left,
    right)`` from ``pad_mode`` 'pad' and ``padding`` (an int, 3 ints (each on both ends) or,
    with ``six`` (nn.Conv3d), 6 ints)."""
    mode = pad_mode.lower() if isinstance(pad_mode, str) else pad_mode
    if mode not in ("valid", "same", "pad"):
        raise ValueError("For '%s', pad_mode must be 'valid', 'same' or 'pad', but got %r"
                         % (op, pad_mode))
    if mode != "pad":
        if padding not in (0, (0, 0, 0), (0,) * 6, [0, 0, 0], [0] * 6):
            raise ValueError("For '%s', padding must be zero when pad_mode is not 'pad', but "
                             "got padding %r and pad_mode %r" % (op, padding, pad_mode))
        return mode
    if isinstance(padding, (int, np.integer)) and not isinstance(padding, bool):
        return (int(padding),) * 6
    if isinstance(padding, (tuple, list)):
        if six and len(padding) == 6:
            return tuple(int(p) for p in padding)
        if not six and len(padding) == 3:
            return tuple(int(p) for p in padding for _ in (0, 1))
    raise ValueError("For '%s', 'padding' must be an int or a tuple or list of %d integers, "
                     "but got %r." % (op, 6 if six else 3, padding))


def _bias_add(out, bias):
    return P.add(out, P.reshape_along(bias, out, 1))


def conv3d(input, weight, bias=None, stride=1, pad_mode="valid", padding=0, dilation=1,
           groups=1):
    """3-D cross-correlation of NCDHW ``input`` with ``weight (O, C / groups, kd, kh, kw)``,
    as MindSpore's ``ops.conv3d``: ``pad_mode`` 'valid' (default), 'same' (output
    ``ceil(D / stride)``, the odd padding at the back, bottom and right, measured) or 'pad'
    (``padding``: an int or 3 ints, each on both ends); ``bias`` (O,) per channel."""
    pad = conv3d_pad(pad_mode, padding, "conv3d")
    out = P.conv3d(input, weight, _ints(stride, 3, "stride", "conv3d"), pad,
                   _ints(dilation, 3, "dilation", "conv3d"), int(groups))
    if bias is not None:
        out = _bias_add(out, bias)
    return out


def conv3d_transpose(inputs, weight, pad_mode="valid", padding=0, stride=1, dilation=1,
                     group=1, output_padding=0):
    """MindSpore's ``ops.conv3d_transpose(inputs, weight, pad_mode='valid', padding=0,
    stride=1, dilation=1, group=1, output_padding=0)``: the input gradient of conv3d, weight
    ``(C_in, C_out / group, kd, kh, kw)``.  Output per axis: 'same' ``D stride``; 'valid'
    ``(D - 1) stride + dilation (k - 1) + 1 + output_padding``; 'pad' (``padding``: an int
    or 6 ints) ``(D - 1) stride - before - after + dilation (k - 1) + 1 +
    output_padding``."""
    pad = conv3d_pad(pad_mode, padding, "conv3d_transpose", six=not isinstance(padding, int))
    stride = _ints(stride, 3, "stride", "conv3d_transpose")
    dilation = _ints(dilation, 3, "dilation", "conv3d_transpose")
    extra = _ints(output_padding, 3, "output_padding", "conv3d_transpose")
    check_output_padding(extra, stride, dilation, "Conv3DTranspose")
    like = P.conv3d_transpose_like(inputs, weight, stride, pad, dilation, extra, int(group))
    return P.conv3d_grad_input(inputs, weight, like, stride, pad, dilation, int(group))


def check_output_padding(extra, stride, dilation, op):
    """MindSpore's check: each ``output_padding`` in ``[0, max(stride, dilation))``."""
    for name, e, s, d in zip("dhw", extra, stride, dilation):
        if not 0 <= e < max(s, d):
            raise ValueError("For '%s', the 'output_padding_%s belonging [0, max(stride_%s,"
                             "dilation_%s))' must be in range of [0, %d), but got %d with type "
                             "'int'." % (op, name, name, name, max(s, d), e))


# ---------------------------------------------------------------------------------------
# pooling
# ---------------------------------------------------------------------------------------

def _pool3_pad(padding, kernel, op):
    if isinstance(padding, (tuple, list)) and len(padding) == 6:
        p = tuple(int(v) for v in padding)
    else:
        p3 = _ints(padding, 3, "padding", op)
        p = tuple(v for v in p3 for _ in (0, 1))
    if any(p[2 * i] * 2 > kernel[i] or p[2 * i + 1] * 2 > kernel[i] for i in range(3)):
        raise ValueError("For %s, pad should be smaller than or equal to half of kernel size, "
                         "but got kernel %s and padding %s" % (op, kernel, padding))
    return p


def max_pool3d(x, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """Max pooling over the last three axes, as MindSpore's ``ops.max_pool3d`` (``stride``
    None: the kernel; ``padding``: an int or 3 ints, at most half the kernel, never the
    maximum).  The gradient goes to each window's first maximum.  ``return_indices``: also
    the maxima's flat int64 indices ``(d H + h) W + w`` in the input's volume."""
    kernel = _ints(kernel_size, 3, "kernel_size", "max_pool3d")
    stride = kernel if stride is None else _ints(stride, 3, "stride", "max_pool3d")
    pad = _pool3_pad(padding, kernel, "max_pool3d")
    return max_pool3d_raw(x, kernel, stride, pad, _ints(dilation, 3, "dilation", "max_pool3d"),
                          bool(ceil_mode), return_indices)


@bindable
def max_pool3d_raw(x, kernel, stride, pad, dilation, ceil_mode, return_indices=False):
    """``max_pool3d`` with its arguments already checked (``pad``: 'valid', 'same' or 6
    ints)."""
    idx = P.max_pool3d_indices(x, kernel, stride, pad, dilation, ceil_mode)
    out = P.gather_volume(x, idx, 3)
    if return_indices:
        return out, idx
    return out


def _avg_axis(x, axis, kernel, stride, pad, ceil_mode, cip):
    """Average (or, ``cip`` None, sum) over windows of axis -3, -2 or -1 (a matmul by
    ``P.pool_matrix``; axis -3 is swapped to -2 and back)."""
    if axis == -1:
        return P.matmul(x, P.pool_matrix(x, -1, kernel, stride, pad, ceil_mode, cip))
    xs = P.swapaxes(x, -3, -2) if axis == -3 else x
    out = P.matmul(P.pool_matrix(xs, -2, kernel, stride, pad, ceil_mode, cip), xs)
    return P.swapaxes(out, -3, -2) if axis == -3 else out


@bindable
def avg_pool3d_raw(x, kernel, stride, pads, ceil_mode, cip, divisor=0):
    """Average pooling over the last three axes; ``pads``: 'valid', 'same' or per axis
    ``(before, after)``; ``cip``: count the padding in the divisor; ``divisor`` (not 0)
    replaces the count."""
    if divisor:
        cip = None
    out = x
    for i, axis in enumerate((-3, -2, -1)):
        pad = pads if isinstance(pads, str) else pads[i]
        out = _avg_axis(out, axis, kernel[i], stride[i], pad, ceil_mode, cip)
    if divisor:
        out = P.mul(out, 1.0 / divisor)
    return out


def avg_pool3d(input_x, kernel_size=1, stride=1, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=0):
    """Average pooling over the last three axes, as MindSpore's ``ops.avg_pool3d`` (note:
    ``stride`` defaults to 1; ``padding`` an int, 3 ints or 6 ints).  The divisor is the
    window clipped to the padded input (``count_include_pad``) or to the input;
    ``divisor_override`` (not 0) replaces it."""
    kernel = _ints(kernel_size, 3, "kernel_size", "avg_pool3d")
    stride = _ints(stride, 3, "stride", "avg_pool3d")
    if isinstance(padding, (tuple, list)) and len(padding) == 6:
        pads = tuple((int(padding[2 * i]), int(padding[2 * i + 1])) for i in range(3))
    else:
        pads = tuple((p, p) for p in _ints(padding, 3, "padding", "avg_pool3d"))
    return avg_pool3d_raw(input_x, kernel, stride, pads, bool(ceil_mode),
                          bool(count_include_pad), int(divisor_override or 0))


def _sizes(output_size, n, op):
    sizes = (output_size,) * n if isinstance(output_size, (int, np.integer)) or \
        output_size is None else tuple(output_size)
    if len(sizes) != n:
        raise ValueError("For %s, output_size must be an int or a tuple of %d ints (or None), "
                         "but got %r" % (op, n, output_size))
    return sizes


def adaptive_avg_pool3d(input, output_size):
    """MindSpore's ``ops.adaptive_avg_pool3d``: output bin ``i`` averages
    ``floor(i D / out) .. ceil((i + 1) D / out)`` along each of the last three axes
    (``output_size`` an int or 3 ints, None keeping that axis)."""
    sizes = _sizes(output_size, 3, "adaptive_avg_pool3d")
    out = input
    if sizes[0] is not None:
        xs = P.swapaxes(out, -3, -2)
        out = P.swapaxes(P.matmul(P.resize_matrix(xs, -2, int(sizes[0]), "adaptive"), xs),
                         -3, -2)
    if sizes[1] is not None:
        out = P.matmul(P.resize_matrix(out, -2, int(sizes[1]), "adaptive"), out)
    if sizes[2] is not None:
        out = P.matmul(out, P.resize_matrix(out, -1, int(sizes[2]), "adaptive"))
    return out


def adaptive_max_pool3d(input, output_size, return_indices=False):
    """MindSpore's ``ops.adaptive_max_pool3d``: the maximum of each adaptive bin (the gradient
    to its first maximum); ``return_indices``: also their flat indices ``(d H + h) W + w``
    (int32, as MindSpore's)."""
    sizes = _sizes(output_size, 3, "adaptive_max_pool3d")
    idx = P.adaptive_max_pool3d_indices(input, sizes)
    out = P.gather_volume(input, idx, 3)
    if return_indices:
        return out, P.astype(idx, "int32")
    return out


def adaptive_max_pool1d(input, output_size):
    """MindSpore's ``ops.adaptive_max_pool1d`` over the last axis of ``(N, C, L)``: MindSpore
    requires ``L`` divisible by ``output_size`` (then bin ``i`` is ``i L / out .. (i + 1) L /
    out``)."""
    out_len = int(output_size)
    if not has_sym(input) and np.shape(input)[-1] % out_len:
        raise ValueError("For AdaptiveMaxPool1d, the input's last dimension must be divisible "
                         "by output size %d, but got %d." % (out_len, np.shape(input)[-1]))
    xs = P.expand_dims(input, -2)
    return P.squeeze(P.adaptive_max_pool2d(xs, (1, out_len)), -2)


def _lp(pooled, norm_type, area):
    """MindSpore's ``(sign(s) relu(|s|) area) ** (1 / p)`` of the averaged ``x ** p``."""
    s = P.mul(P.mul(P.sign(pooled), P.relu(P.abs(pooled))), float(area))
    return P.pow(s, 1.0 / norm_type)


def _norm_type(norm_type, op):
    if isinstance(norm_type, bool) or not isinstance(norm_type, (int, float)):
        raise TypeError("For %s, the type of 'norm_type' must be float or int, but got %s"
                        % (op, type(norm_type)))
    if norm_type == 0:
        raise ValueError("For %s, the value of 'norm_type' can not be 0." % op)
    return float(norm_type)


def lp_pool1d(x, norm_type, kernel_size, stride=None, ceil_mode=False):
    """MindSpore's ``ops.lp_pool1d``: ``(sum over each window of x ** p) ** (1 / p)`` over
    the last axis (computed as MindSpore does: the average times the window)."""
    p = _norm_type(norm_type, "lp_pool1d")
    k = _ints(kernel_size, 1, "kernel_size", "lp_pool1d")[0]
    s = k if stride is None else _ints(stride, 1, "stride", "lp_pool1d")[0]
    pooled = P.matmul(P.pow(x, p), P.pool_matrix(x, -1, k, s, (0, 0), bool(ceil_mode), True))
    return _lp(pooled, p, k)


def lp_pool2d(x, norm_type, kernel_size, stride=None, ceil_mode=False):
    """MindSpore's ``ops.lp_pool2d``: ``(sum over each window of x ** p) ** (1 / p)`` over
    the last two axes (the average of ``x ** p`` times the kernel's area, so a partial
    window of ``ceil_mode`` counts as MindSpore's does)."""
    p = _norm_type(norm_type, "lp_pool2d")
    kernel = _ints(kernel_size, 2, "kernel_size", "lp_pool2d")
    stride = kernel if stride is None else _ints(stride, 2, "stride", "lp_pool2d")
    pooled = avg_pool2d(P.pow(x, p), kernel, stride, 0, ceil_mode)
    return _lp(pooled, p, kernel[0] * kernel[1])


# ---------------------------------------------------------------------------------------
# channel dropout, channel shuffle, max unpooling, LRN
# ---------------------------------------------------------------------------------------

def _channel_dropout(input, p, training, n_spatial, op):
    if not 0.0 <= p <= 1.0:
        raise ValueError("For '%s', the 'p' must be in range [0, 1], but got %r." % (op, p))
    if not training or p == 0:
        return input
    if p == 1:
        return P.mul(input, 0.0)
    # a view shaped (N, C, 1, ...): one mask entry per channel
    plane = P.getitem(input, (Ellipsis,) + (slice(0, 1),) * n_spatial)
    return P.mul(input, P.dropout_mask(plane, keep_prob=1.0 - p))


def dropout1d(input, p=0.5, training=True):
    """MindSpore's ``ops.dropout1d``: each channel of ``(N, C, L)`` (or ``(C, L)``) zeroed
    whole with probability ``p``, the others scaled by ``1 / (1 - p)``."""
    return _channel_dropout(input, p, training, 1, "dropout1d")


def dropout2d(input, p=0.5, training=True):
    """MindSpore's ``ops.dropout2d``: each channel of ``(N, C, H, W)`` zeroed whole with
    probability ``p``, the others scaled by ``1 / (1 - p)``."""
    return _channel_dropout(input, p, training, 2, "dropout2d")


def dropout3d(input, p=0.5, training=True):
    """MindSpore's ``ops.dropout3d``: each channel of ``(N, C, D, H, W)`` zeroed whole with
    probability ``p``, the others scaled by ``1 / (1 - p)``."""
    return _channel_dropout(input, p, training, 3, "dropout3d")


def channel_shuffle(x, groups):
    """MindSpore's ``ops.channel_shuffle``: channels ``(g, C / g)`` read as ``(C / g, g)``
    (``[0..5]``, 2 groups: ``[0, 3, 1, 4, 2, 5]``, measured)."""
    groups = int(groups)
    if groups < 1:
        raise ValueError("For ChannelShuffle, the param `groups` must be larger than 0, but "
                         "got %d" % groups)
    shape = P.shape(x)
    n, c = P.getitem(shape, 0), P.getitem(shape, 1)
    if not has_sym(c) and c % groups:
        raise ValueError("For ChannelShuffle, number of channels must be divisible by groups, "
                         "but got %d channels and %d groups" % (c, groups))
    out = P.reshape(x, (n, groups, P.floordiv(c, groups), -1))
    return P.reshape(P.swapaxes(out, 1, 2), shape)


def _unpool(x, indices, kernel_size, stride, padding, output_size, n, op):
    kernel = _ints(kernel_size, n, "kernel_size", op)
    stride = kernel if stride is None else _ints(stride, n, "stride", op)
    pad = _ints(padding, n, "padding", op)
    if output_size is not None and len(output_size):
        sizes = tuple(int(v) for v in tuple(output_size)[-n:])
    else:
        sizes = tuple((_dim(x, i - n) - 1) * s + (k - 2 * q)
                      for i, k, s, q in zip(range(n), kernel, stride, pad))
    return P.scatter_volume(x, indices, sizes)


def max_unpool1d(x, indices, kernel_size, stride=None, padding=0, output_size=None):
    """MindSpore's ``ops.max_unpool1d``: ``x`` put at ``indices`` (flat in the output's last
    axis, as ``max_pool1d`` returns them) of zeros of length ``(L - 1) stride - 2 padding +
    kernel_size`` (or ``output_size``); the gradient reads back at ``indices``."""
    return _unpool(x, indices, kernel_size, stride, padding, output_size, 1, "max_unpool1d")


def max_unpool2d(x, indices, kernel_size, stride=None, padding=0, output_size=None):
    """MindSpore's ``ops.max_unpool2d``: ``x`` put at ``indices`` (flat ``row * W_out + col``
    in the output's plane) of zeros ``((H - 1) stride - 2 padding + kernel_size, ...)``."""
    return _unpool(x, indices, kernel_size, stride, padding, output_size, 2, "max_unpool2d")


def max_unpool3d(x, indices, kernel_size, stride=None, padding=0, output_size=None):
    """MindSpore's ``ops.max_unpool3d``: ``x`` put at ``indices`` (flat in the output's
    ``D x H x W`` volume) of zeros."""
    return _unpool(x, indices, kernel_size, stride, padding, output_size, 3, "max_unpool3d")


def lrn(x, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5, norm_region="ACROSS_CHANNELS"):
    """MindSpore's ``ops.lrn`` (TensorFlow's formula, measured): ``x / (bias + alpha *
    sum_{c' in [c - r, c + r]} x[c'] ** 2) ** beta`` across the channels of ``(N, C, H,
    W)``."""
    if norm_region != "ACROSS_CHANNELS":
        raise ValueError("For 'LRN', the 'norm_region' must be str and must be in "
                         "'['ACROSS_CHANNELS']', but got %r." % (norm_region,))
    r = int(depth_radius)
    sq = P.swapaxes(P.mul(x, x), 1, -2)  # channels at -2
    band = P.pool_matrix(sq, -2, 2 * r + 1, 1, (r, r), False, None)
    total = P.swapaxes(P.matmul(band, sq), 1, -2)
    return P.div(x, P.pow(P.add(P.mul(total, float(alpha)), float(bias)), float(beta)))


# ---------------------------------------------------------------------------------------
# embeddings, bilinear dense, patches, instance normalization
# ---------------------------------------------------------------------------------------

def _renorm(rows, max_norm, norm_type=2.0):
    # (the sum kept off 0 before its root: a row of zeros gets a zero gradient, not NaN)
    total = P.maximum(P.sum(P.pow(P.abs(rows), float(norm_type)), -1, True), 1e-30)
    norm = P.pow(total, 1.0 / norm_type)
    return P.mul(rows, P.minimum(P.div(float(max_norm), norm), 1.0))


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False):
    """MindSpore's ``ops.embedding``: the rows ``weight[input]``; ``padding_idx``: that row
    gets no gradient; ``max_norm``: rows longer than it (``norm_type``-norm) scaled to it
    (here in the result only: MindSpore also rewrites ``weight`` in place).
    ``scale_grad_by_freq=True`` is not supported (it raises)."""
    if scale_grad_by_freq:
        raise ValueError("embedding: scale_grad_by_freq=True is not supported by autograd_st")
    rows = P.take(weight, input, 0)
    if padding_idx is not None:
        keep = P.astype(P.not_equal(input, int(padding_idx)), "float32")
        rows = P.add(P.mul(rows, P.expand_dims(keep, -1)),
                     P.mul(P.stop_gradient(rows), P.expand_dims(P.sub(1.0, keep), -1)))
    if max_norm is not None:
        rows = _renorm(rows, max_norm, norm_type)
    return rows


@bindable
def embedding_lookup(table, ids, max_norm=None):
    """``nn.EmbeddingLookup``'s lookup: rows of ``table``, zeros for an id outside
    ``[0, vocab)`` (measured), each row clipped to ``max_norm`` (L2) when given."""
    vocab = _dim(table, 0)
    inside = P.logical_and(P.greater_equal(ids, 0), P.less(ids, vocab))
    safe = P.where(inside, ids, 0)
    rows = P.mul(P.take(table, safe, 0), P.expand_dims(P.astype(inside, "float32"), -1))
    if max_norm is not None:
        rows = _renorm(rows, max_norm)
    return rows


def bidense(input1, input2, weight, bias=None):
    """MindSpore's ``ops.bidense``: ``y[..., o] = sum_{i, j} x1[..., i] W[o, i, j] x2[..., j]
    + b[o]`` (weight ``(out, in1, in2)``)."""
    out = _einsum("...i,oij,...j->...o", input1, weight, input2)
    if bias is not None:
        out = P.add(out, bias)
    return out


@bindable
def unfold_patches(x, ksizes, strides, rates, padding="valid"):
    """``nn.Unfold`` (MindSpore's ExtractImagePatches, TensorFlow's order, which MindSpore
    documents; its CPU has no kernel to measure): ``(N, C, H, W)`` to ``(N, kh kw C, Ho,
    Wo)``, depth index ``(p kw + q) C + c``.  A convolution of each channel with the
    ``kh kw`` one-hot kernels, so its gradient is conv2d's."""
    kh, kw = ksizes
    eye = np.eye(kh * kw, dtype=np.float32).reshape(kh * kw, 1, kh, kw)
    shape = P.shape(x)
    n, c, h, w = (P.getitem(shape, i) for i in range(4))
    planes = P.reshape(x, (-1, 1, h, w))
    cols = conv2d(planes, eye, None, strides, padding, 0, rates)
    oshape = P.shape(cols)
    ho, wo = P.getitem(oshape, 2), P.getitem(oshape, 3)
    cols = P.swapaxes(P.reshape(cols, (n, c, kh * kw, ho, wo)), 1, 2)
    return P.reshape(cols, (n, -1, ho, wo))


@bindable
def instance_norm(x, gamma, beta, eps, axes):
    """Instance normalization (MindSpore's documented formula; its InstanceNorm runs on GPU
    only): each (sample, channel) normalized over its own spatial ``axes`` with the biased
    variance, then ``* gamma + beta`` per channel."""
    mu = P.mean(x, axes, True)
    sigma2 = P.var(x, axes, 0, True)
    out = P.div(P.sub(x, mu), P.sqrt(P.add(sigma2, float(eps))))
    return P.add(P.mul(out, P.reshape_along(gamma, x, 1)), P.reshape_along(beta, x, 1))


#: the rows (``op_table`` publishes them as nn functionals; the ``ops`` names below).
OPS: tuple[Op, ...] = (
    Op("conv3d", fn=conv3d, ops=("conv3d",)),
    Op("conv3d_grad_input", fn=conv3d_transpose, ops=("conv3d_transpose",)),
    Op("gather_volume", fn=max_pool3d, ops=("max_pool3d",)),
    Op("matmul", fn=avg_pool3d, ops=("avg_pool3d",)),
    Op("matmul", fn=adaptive_avg_pool3d, ops=("adaptive_avg_pool3d",)),
    Op("gather_volume", fn=adaptive_max_pool3d, ops=("adaptive_max_pool3d",)),
    Op("adaptive_max_pool2d", fn=adaptive_max_pool1d, ops=("adaptive_max_pool1d",)),
    Op("pow", fn=lp_pool1d, ops=("lp_pool1d",)),
    Op("pow", fn=lp_pool2d, ops=("lp_pool2d",)),
    Op("dropout_mask", fn=dropout1d, ops=("dropout1d",)),
    Op("dropout_mask", fn=dropout2d, ops=("dropout2d",)),
    Op("dropout_mask", fn=dropout3d, ops=("dropout3d",)),
    Op("reshape", fn=channel_shuffle, ops=("channel_shuffle",)),
    Op("scatter_volume", fn=max_unpool1d, ops=("max_unpool1d",)),
    Op("scatter_volume", fn=max_unpool2d, ops=("max_unpool2d",)),
    Op("scatter_volume", fn=max_unpool3d, ops=("max_unpool3d",)),
    Op("div", fn=lrn, ops=("lrn",)),
    Op("take", fn=embedding, ops=("embedding",)),
    Op("einsum2", fn=bidense, ops=("bidense",)),
)

#: the names ``autograd_st.ops`` publishes (MindSpore has each as ``ops.<name>``).
PUBLIC: tuple[str, ...] = ("conv3d", "conv3d_transpose", "max_pool3d", "avg_pool3d",
                           "adaptive_avg_pool3d", "adaptive_max_pool3d", "adaptive_max_pool1d",
                           "lp_pool1d", "lp_pool2d", "dropout1d", "dropout2d", "dropout3d",
                           "channel_shuffle", "max_unpool1d", "max_unpool2d", "max_unpool3d",
                           "lrn", "embedding", "bidense")
