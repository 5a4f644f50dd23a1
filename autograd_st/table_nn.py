"""The op-table rows for the nn layers' functional forms (convolution, pooling, interpolation,
pixel shuffle), each with MindSpore 2.10's signature and defaults (measured in the side venv),
each row one calling convention of one primitive (see :mod:`autograd_st.op_table`, which
gathers these rows with its own; ``ops.nn_func`` publishes them, and ``autograd_st.ops``
every name in :data:`PUBLIC`).

Average pooling, adaptive average pooling and interpolation are separable linear maps: each
adapter multiplies the input by two constant matrices (``P.pool_matrix`` /
``P.resize_matrix``, built from the input's shape, no gradient), so their derivatives of
every order are matmul's.  Max pooling is the ``max_pool2d`` primitive; convolutions of one
dimension are the 2-D primitive on an axis of length 1.

Takes: :class:`~autograd_st.op_row.Op`, :data:`~autograd_st.prims.P` and the primitives of
:mod:`autograd_st.rules_nn`.  Gives: :data:`OPS`, the rows, and the adapters they name.
"""
from __future__ import annotations

import numpy as np

from . import rules_nn  # noqa: F401  (registers the primitives the rows name)
from .op_row import Op
from .prims import P, Sym, has_sym

__all__ = ["OPS", "PUBLIC", "conv2d", "conv1d", "conv_transpose2d", "max_pool2d", "avg_pool2d",
           "avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool1d", "adaptive_max_pool2d", "interpolate",
           "pixel_shuffle", "pixel_unshuffle", "depth_to_space", "space_to_depth", "bias_add", "pool_pad", "conv_pad",
           "assign_add", "assign_sub", "l2_loss"]


# ---------------------------------------------------------------------------------------
# argument helpers (constants: they run when the compiler binds the adapter)
# ---------------------------------------------------------------------------------------

def _ints(value, n: int, what: str, op: str) -> tuple:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return (int(value),) * n
    if isinstance(value, (tuple, list)) and len(value) == n \
            and all(isinstance(v, (int, np.integer)) for v in value):
        return tuple(int(v) for v in value)
    if isinstance(value, (tuple, list)) and len(value) == 1 and n > 1:
        return _ints(value[0], n, what, op)
    raise ValueError("For '%s', '%s' must be an int or a tuple of %d ints, but got %r"
                     % (op, what, n, value))


def conv_pad(pad_mode: str, padding, op: str, four: bool = False):
    """The ``pad`` of the conv2d primitive from MindSpore's ``pad_mode`` and ``padding``
    (an int, ``(h, w)`` or, with ``four`` (nn.Conv2d, ops.Conv2D), ``(top, bottom, left,
    right)``)."""
    mode = pad_mode.lower() if isinstance(pad_mode, str) else pad_mode
    if mode not in ("valid", "same", "pad"):
        raise ValueError("For '%s', pad_mode must be 'valid', 'same' or 'pad', but got %r"
                         % (op, pad_mode))
    if mode != "pad":
        if padding not in (0, (0, 0), (0, 0, 0, 0), [0, 0], [0, 0, 0, 0]):
            raise ValueError("For '%s', padding must be zero when pad_mode is not 'pad', but "
                             "got padding %r and pad_mode %r" % (op, padding, pad_mode))
        return mode
    if four and isinstance(padding, (tuple, list)) and len(padding) == 4:
        return _ints(padding, 4, "padding", op)
    ph, pw = _ints(padding, 2, "padding", op)
    return ph, ph, pw, pw


def pool_pad(padding, kernel, op: str):
    """``(top, bottom, left, right)`` from a pooling's ``padding`` (an int or ``(h, w)``),
    which MindSpore limits to half the kernel."""
    if isinstance(padding, (tuple, list)) and len(padding) not in (1, 2):
        raise ValueError("For %s, the length of padding must equal to 2, but got %d"
                         % (op, len(padding)))
    ph, pw = _ints(padding, 2, "padding", op)
    if ph * 2 > kernel[0] or pw * 2 > kernel[1]:
        raise ValueError("For %s, pads should be less equal to the half of ksize, but got "
                         "kernel %s and padding %s" % (op, kernel, (ph, pw)))
    return ph, ph, pw, pw


# ---------------------------------------------------------------------------------------
# convolution
# ---------------------------------------------------------------------------------------

def bias_add(input_x, bias):
    """MindSpore's ``ops.bias_add``: ``bias`` (shaped (C,)) added along axis 1 of
    ``input_x`` (any rank from 2)."""
    return P.add(input_x, P.reshape_along(bias, input_x, 1))


def conv2d(input, weight, bias=None, stride=1, pad_mode="valid", padding=0, dilation=1,
           groups=1):
    """2-D cross-correlation of NCHW ``input`` with ``weight (O, C / groups, kh, kw)``, as
    MindSpore's ``ops.conv2d``: ``pad_mode`` 'valid' (default), 'same' (output
    ``ceil(H / stride)``, the odd padding at the bottom and right) or 'pad' (``padding``: an
    int or ``(h, w)``; ``(top, bottom, left, right)`` is accepted too), ``bias`` (O,) added
    per channel."""
    pad = conv_pad(pad_mode, padding, "conv2d", four=True)
    out = P.conv2d(input, weight, _ints(stride, 2, "stride", "conv2d"), pad,
                   _ints(dilation, 2, "dilation", "conv2d"), int(groups))
    if bias is not None:
        out = bias_add(out, bias)
    return out


def conv1d(input, weight, bias=None, stride=1, pad_mode="valid", padding=0, dilation=1,
           groups=1):
    """1-D cross-correlation of ``input (N, C, L)`` with ``weight (O, C / groups, k)``, as
    MindSpore's ``ops.conv1d`` (``padding``: an int, the same on both ends): the conv2d
    primitive on an axis of length 1."""
    if isinstance(padding, (tuple, list)):
        if len(padding) != 1:
            raise ValueError("For 'conv1d', padding must be a tuple or list with 1 element "
                             "or int, but got %r" % (padding,))
        padding = padding[0]
    pad = conv_pad(pad_mode, (0, padding), "conv1d")
    stride = _ints(stride, 1, "stride", "conv1d")[0]
    dilation = _ints(dilation, 1, "dilation", "conv1d")[0]
    out = P.conv2d(P.expand_dims(input, 2), P.expand_dims(weight, 2), (1, stride), pad,
                   (1, dilation), int(groups))
    out = P.squeeze(out, 2)
    if bias is not None:
        out = bias_add(out, bias)
    return out


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                     groups=1, dilation=1, *, pad_mode="pad"):
    """Transposed 2-D convolution (the input gradient of conv2d) of ``input (N, C_in, H,
    W)`` with ``weight (C_in, C_out / groups, kh, kw)``: output ``(H - 1) stride - 2 padding
    + dilation (k - 1) + 1 + output_padding``.  MindSpore 2.10 has no CPU kernel for
    ``ops.conv_transpose2d`` (it raises); this follows PyTorch's definition, which
    ``nn.Conv2dTranspose`` matches.  ``pad_mode`` (keyword-only, an extra): 'same' (output
    ``H stride``) or 'valid' (``(H - 1) stride + dilation (k - 1) + 1``) as in
    ``nn.Conv2dTranspose``; 'pad' uses ``padding`` (an int, ``(h, w)`` or 4 ints)."""
    stride = _ints(stride, 2, "stride", "conv_transpose2d")
    dilation = _ints(dilation, 2, "dilation", "conv_transpose2d")
    if pad_mode == "pad":
        pad = conv_pad("pad", padding, "conv_transpose2d", four=True)
    else:
        pad = conv_pad(pad_mode, 0, "conv_transpose2d")
    extra = _ints(output_padding, 2, "output_padding", "conv_transpose2d")
    like = P.conv_transpose_like(input, weight, stride, pad, dilation, extra, int(groups))
    out = P.conv2d_grad_input(input, weight, like, stride, pad, dilation, int(groups))
    if bias is not None:
        out = bias_add(out, bias)
    return out


# ---------------------------------------------------------------------------------------
# pooling
# ---------------------------------------------------------------------------------------

def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
               ceil_mode=False):
    """Max pooling over the last two axes of NCHW ``x``, as MindSpore's ``ops.max_pool2d``
    (``stride=None``: the kernel size; ``padding`` an int or ``(h, w)``, at most half the
    kernel, never the maximum).  ``return_indices=True``: also where each maximum is, a
    flat int64 index ``row * W + col`` into the input's plane (no gradient)."""
    kernel = _ints(kernel_size, 2, "kernel_size", "max_pool2d")
    stride = kernel if stride is None else _ints(stride, 2, "stride", "max_pool2d")
    pad = pool_pad(padding, kernel, "max_pool2d")
    dilation = _ints(dilation, 2, "dilation", "max_pool2d")
    out = P.max_pool2d(x, kernel, stride, pad, dilation, bool(ceil_mode))
    if return_indices:
        return out, P.max_pool2d_indices(x, kernel, stride, pad, dilation, bool(ceil_mode))
    return out


def _avg_axis(x, axis, kernel, stride, pad, ceil_mode, count_include_pad):
    m = P.pool_matrix(x, axis, kernel, stride, pad, ceil_mode, count_include_pad)
    return P.matmul(m, x) if axis == -2 else P.matmul(x, m)


def avg_pool2d(input_x, kernel_size=1, stride=1, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=0):
    """Average pooling over the last two axes, as MindSpore's ``ops.avg_pool2d`` (note:
    ``stride`` defaults to 1).  The divisor is the window clipped to the padded input
    (``count_include_pad``) or to the input; ``divisor_override`` (not 0) replaces it."""
    kernel = _ints(kernel_size, 2, "kernel_size", "avg_pool2d")
    stride = _ints(stride, 2, "stride", "avg_pool2d")
    ph, pw = _ints(padding, 2, "padding", "avg_pool2d")
    cip = None if divisor_override else bool(count_include_pad)
    out = _avg_axis(input_x, -2, kernel[0], stride[0], (ph, ph), bool(ceil_mode), cip)
    out = _avg_axis(out, -1, kernel[1], stride[1], (pw, pw), bool(ceil_mode), cip)
    if divisor_override:
        out = P.mul(out, 1.0 / divisor_override)
    return out


def avg_pool1d(input_x, kernel_size=1, stride=1, padding=0, ceil_mode=False,
               count_include_pad=True):
    """Average pooling over the last axis of ``(N, C, L)``, as MindSpore's
    ``ops.avg_pool1d``."""
    k = _ints(kernel_size, 1, "kernel_size", "avg_pool1d")[0]
    s = _ints(stride, 1, "stride", "avg_pool1d")[0]
    p = _ints(padding, 1, "padding", "avg_pool1d")[0]
    return _avg_axis(input_x, -1, k, s, (p, p), bool(ceil_mode), bool(count_include_pad))


def _resize(x, sizes, modes):
    """``x`` resampled: ``sizes``/``modes`` for the last ``len(sizes)`` axes (None: kept)."""
    out = x
    axes = (-2, -1) if len(sizes) == 2 else (-1,)
    for axis, size, mode in zip(axes, sizes, modes):
        if size is None:
            continue
        m = P.resize_matrix(x, axis, size if isinstance(size, Sym) else int(size), mode)
        out = P.matmul(m, out) if axis == -2 else P.matmul(out, m)
    return out


def adaptive_avg_pool2d(input, output_size):
    """MindSpore's ``ops.adaptive_avg_pool2d``: output bin ``i`` averages rows
    ``floor(i H / out) .. ceil((i + 1) H / out)``; ``output_size`` an int or ``(h, w)``,
    None keeping that axis."""
    sizes = (output_size, output_size) if isinstance(output_size, int) else tuple(output_size)
    if len(sizes) != 2:
        raise ValueError("For adaptive_avg_pool2d, output_size must be an int or a tuple of "
                         "2 ints (or None), but got %r" % (output_size,))
    return _resize(input, sizes, ("adaptive", "adaptive"))


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """MindSpore's ``ops.adaptive_max_pool2d``: the maximum of each bin ``floor(i H / out) ..
    ceil((i + 1) H / out)``; the gradient goes to each bin's first maximum.
    ``return_indices=True``: also the maxima's flat int64 indices ``row * W + col``."""
    sizes = (output_size, output_size) if isinstance(output_size, int) else tuple(output_size)
    if len(sizes) != 2:
        raise ValueError("For adaptive_max_pool2d, output_size must be an int or a tuple of "
                         "2 ints (or None), but got %r" % (output_size,))
    out = P.adaptive_max_pool2d(input, sizes)
    if return_indices:
        return out, P.adaptive_max_pool2d_indices(input, sizes)
    return out


def adaptive_avg_pool1d(input, output_size):
    """MindSpore's ``ops.adaptive_avg_pool1d`` over the last axis of ``(N, C, L)``
    (MindSpore requires ``L`` divisible by ``output_size``; any size works here)."""
    return _resize(input, (int(output_size),), ("adaptive",))


#: how many trailing axes each linear mode resizes ('nearest': as many as given)
_MODE_AXES = {"bilinear": 2, "bicubic": 2, "linear": 1}


def _scaled_sizes(input, scale_factor, mode):
    """``floor(in * scale)`` for each resized axis (the last two for 'bilinear' and 'bicubic', the last
    for 'linear', for 'nearest' as many as ``scale_factor`` has, or the axes after the
    first two of the input); run-time sizes where the input's shape is known only then."""
    if isinstance(scale_factor, (tuple, list)):
        scales = tuple(float(f) for f in scale_factor)
    else:
        n = _MODE_AXES.get(mode)
        if n is None:
            n = 2 if has_sym(input) else max(np.ndim(input) - 2, 1)
        scales = (float(scale_factor),) * n
    axes = range(-len(scales), 0)
    if not has_sym(input):
        shape = np.shape(input)
        return tuple(int(np.floor(shape[a] * f)) for a, f in zip(axes, scales))
    return tuple(P.astype(P.floor(P.mul(P.getitem(P.shape(input), a), f)), "int64")
                 for a, f in zip(axes, scales))


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None):
    """MindSpore's ``ops.interpolate`` for ``size`` given: 'nearest' (source index
    ``floor(i in / out)``), 'bilinear' (4-D) and 'linear' (3-D), with half-pixel centres, or
    the corners aligned (``align_corners=True``); 'bicubic' (4-D): MindSpore's
    ``ResizeBicubic`` with half-pixel centres (Keys' ``a = -0.5``, taps outside renormalized)
    or ``align_corners`` (``a = -0.75``, the border repeated), see ``resize_matrix``.  As in MindSpore 2.10, ``scale_factor``
    needs ``recompute_scale_factor=True``, and then means ``size = floor(in * scale)``
    (measured: the same values as that size)."""
    if mode not in ("nearest", "bilinear", "linear", "bicubic"):
        raise ValueError("interpolate: mode %r is not supported by autograd_st (use "
                         "'nearest', 'linear', 'bilinear' or 'bicubic')" % (mode,))
    if scale_factor is not None and size is None and recompute_scale_factor:
        size = _scaled_sizes(input, scale_factor, mode)
    elif scale_factor is not None or size is None:
        raise ValueError("For 'interpolate', 'scale_factor' option cannot currently be set "
                         "with the mode = %s; give size, or recompute_scale_factor=True"
                         % mode)
    sizes = (size,) if isinstance(size, int) else tuple(size)
    want = _MODE_AXES.get(mode, len(sizes))
    if len(sizes) != want or len(sizes) not in (1, 2):
        raise ValueError("For 'interpolate', size must have %d element(s) for mode %r, but "
                         "got %r" % (want, mode, size))
    if mode == "bicubic" and not has_sym(input) and np.ndim(input) != 4:
        raise ValueError("For 'interpolate', 'input' and 'size' must have the same spatial "
                         "dimensions, but got 'input' is %dD, 'size' is 2D (mode 'bicubic' "
                         "takes (N, C, H, W))" % (np.ndim(input) - 2))
    if mode == "nearest":
        if align_corners:
            raise ValueError("For 'interpolate', align_corners is only for linear modes")
        kind = "nearest"
    elif mode == "bicubic":
        kind = "cubic_align" if align_corners else "cubic"
    else:
        kind = "linear_align" if align_corners else "linear"
    return _resize(input, sizes, (kind,) * len(sizes))


def pixel_shuffle(input, upscale_factor):
    """MindSpore's ``ops.pixel_shuffle``: ``(..., C r^2, H, W)`` to ``(..., C, H r, W r)``."""
    return P.pixel_shuffle(input, int(upscale_factor))


def depth_to_space(x, block_size):
    """``ops.DepthToSpace(block_size)(x)`` (MindSpore 2.10, NCHW, DCR order): ``(N, C r^2, H, W)``
    to ``(N, C, H r, W r)``; channel ``(i r + j) C + c`` goes to ``(c, h r + i, w r + j)``."""
    return P.depth_to_space(x, int(block_size))


def space_to_depth(x, block_size):
    """``ops.SpaceToDepth(block_size)(x)``: the inverse of :func:`depth_to_space`."""
    return P.space_to_depth(x, int(block_size))


def pixel_unshuffle(input, downscale_factor):
    """MindSpore's ``ops.pixel_unshuffle``: the inverse of :func:`pixel_shuffle`."""
    return P.pixel_unshuffle(input, int(downscale_factor))


def assign_add(variable, value):
    """MindSpore's ``ops.assign_add(variable, value)`` (``ops.AssignAdd()``): ``variable``
    (a Parameter) updated in place to ``variable + value``; returns it.  No gradient, as
    ``ops.assign``."""
    return P.assign(variable, P.add(P.stop_gradient(variable), P.stop_gradient(value)))


def assign_sub(variable, value):
    """MindSpore's ``ops.assign_sub(variable, value)`` (``ops.AssignSub()``): ``variable``
    updated in place to ``variable - value``; returns it."""
    return P.assign(variable, P.sub(P.stop_gradient(variable), P.stop_gradient(value)))


def l2_loss(x):
    """MindSpore's ``ops.L2Loss()(x)``: ``sum(x ** 2) / 2``, a scalar."""
    return P.mul(P.sum(P.mul(x, x)), 0.5)


#: the rows (``op_table`` publishes them: ``ops``, Tensor methods, numpy bindings, classes).
OPS: tuple[Op, ...] = (
    Op("conv2d", fn=conv2d, ops=("conv2d",)),
    Op("conv2d", fn=conv1d, ops=("conv1d",)),
    Op("conv2d_grad_input", fn=conv_transpose2d, ops=("conv_transpose2d",)),
    Op("add", fn=bias_add, ops=("bias_add",)),
    Op("max_pool2d", fn=max_pool2d, ops=("max_pool2d",)),
    Op("matmul", fn=avg_pool2d, ops=("avg_pool2d",)),
    Op("matmul", fn=avg_pool1d, ops=("avg_pool1d",)),
    Op("matmul", fn=adaptive_avg_pool2d, ops=("adaptive_avg_pool2d",)),
    Op("matmul", fn=adaptive_avg_pool1d, ops=("adaptive_avg_pool1d",)),
    Op("adaptive_max_pool2d", fn=adaptive_max_pool2d, ops=("adaptive_max_pool2d",)),
    Op("matmul", fn=interpolate, ops=("interpolate",)),
    Op("pixel_shuffle", fn=pixel_shuffle, ops=("pixel_shuffle",)),
    Op("pixel_unshuffle", fn=pixel_unshuffle, ops=("pixel_unshuffle",)),
    Op("assign", fn=assign_add, ops=("assign_add",), classes=("AssignAdd",)),
    Op("assign", fn=assign_sub, ops=("assign_sub",), classes=("AssignSub",)),
    Op("mul", fn=l2_loss, classes=("L2Loss",)),
)

#: the names ``autograd_st.ops`` publishes (MindSpore has each as ``ops.<name>``).
PUBLIC: tuple[str, ...] = tuple(name for row in OPS for name in row.ops)
