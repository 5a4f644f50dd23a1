"""MindSpore's primitive classes for nn forms that take constructor attributes
(``ops.Conv2D``, ``ops.MaxPool``, ``ops.AvgPool``, ``ops.AdaptiveAvgPool2D``,
``ops.ResizeNearestNeighbor``, ``ops.ResizeBilinearV2``, ``ops.ResizeBicubic``; ``ops.BiasAdd`` is in classes_math), with MindSpore
2.10's signatures and defaults: each instance is a constant to the compiler, its call a
function of the op table (``autograd_st.table_nn``) or a ``P`` primitive.

Takes: :class:`~autograd_st.ops.primitive_base.Primitive`, the adapters of
:mod:`autograd_st.table_nn` and :data:`~autograd_st.prims.P`.
Gives: the classes (``operations`` publishes them as ``autograd_st.ops.<Name>``).
"""
from __future__ import annotations

import numpy as np

from ..errors import UnsupportedSyntaxError
from ..prims import P, Sym, has_sym
from ..table_nn import adaptive_avg_pool2d, conv2d, conv_pad, depth_to_space, space_to_depth
from ..tensor import Tensor, unwrap
from .primitive_base import Primitive

__all__ = ["Conv2D", "LayerNorm", "MaxPool", "AvgPool", "AdaptiveAvgPool2D", "ResizeNearestNeighbor",
           "ResizeBilinearV2", "ResizeBicubic", "InsertGradientOf", "HookBackward", "Print",
           "ScalarSummary", "TensorSummary", "ImageSummary", "HistogramSummary",
           "DepthToSpace", "SpaceToDepth"]


def _pair(value, what: str, name: str) -> tuple:
    if isinstance(value, int) and not isinstance(value, bool):
        return value, value
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return int(value[0]), int(value[1])
    if isinstance(value, (tuple, list)) and len(value) == 4:  # (1, 1, h, w), NCHW
        return int(value[2]), int(value[3])
    raise ValueError("For '%s', '%s' must be an int or a tuple of 2 (or 4) ints, but got %r"
                     % (name, what, value))


def _check_format(data_format: str, name: str) -> None:
    if data_format != "NCHW":
        raise ValueError("For '%s', data_format must be 'NCHW' (autograd_st), got %r"
                         % (name, data_format))


class Conv2D(Primitive):
    """MindSpore's ``ops.Conv2D(out_channel, kernel_size, mode=1, pad_mode='valid', pad=0,
    stride=1, dilation=1, group=1, data_format='NCHW')``: ``op(x, weight)`` is the
    cross-correlation (``pad``: an int or ``(top, bottom, left, right)``, with
    ``pad_mode='pad'``)."""

    def __init__(self, out_channel, kernel_size, mode=1, pad_mode="valid", pad=0, stride=1,
                 dilation=1, group=1, data_format="NCHW") -> None:
        _check_format(data_format, "Conv2D")
        self.out_channel = int(out_channel)
        self.kernel_size = _pair(kernel_size, "kernel_size", "Conv2D")
        self.mode = mode
        self.pad_mode = pad_mode.lower()
        self.pad = conv_pad(self.pad_mode, pad, "Conv2D", four=True)
        self.stride = _pair(stride, "stride", "Conv2D")
        self.dilation = _pair(dilation, "dilation", "Conv2D")
        self.group = int(group)

    def __call__(self, x, weight):
        padding = self.pad if self.pad_mode == "pad" else 0
        return conv2d(x, weight, None, self.stride, self.pad_mode, padding, self.dilation,
                      self.group)


class LayerNorm(Primitive):
    """MindSpore's ``ops.LayerNorm(begin_norm_axis=1, begin_params_axis=1, epsilon=1e-7)``:
    ``op(input_x, gamma, beta)`` is ``(y, mean, variance)``, ``y = (x - mean) /
    sqrt(variance + epsilon) * gamma + beta`` with the mean and biased variance over the axes
    from ``begin_norm_axis`` on, both returned with those axes kept as 1 (measured on
    MindSpore 2.10: shapes ``(2, 1, 1)`` for a ``(2, 3, 4)`` input normalized from axis 1,
    the variance the biased one, not its reciprocal square root).  ``gamma``/``beta`` are
    shaped as the input's axes from ``begin_params_axis`` on.  As in MindSpore, no gradient
    flows back through the ``mean`` and ``variance`` outputs (only through ``y``); a
    non-negative ``begin_norm_axis`` is refused in differentiated code (the rank is unknown
    there): count it from the end."""

    def __init__(self, begin_norm_axis=1, begin_params_axis=1, epsilon=1e-7) -> None:
        self.begin_norm_axis = int(begin_norm_axis)
        self.begin_params_axis = int(begin_params_axis)
        self.epsilon = float(epsilon)

    def __call__(self, input_x, gamma, beta):
        if self.begin_norm_axis < 0:
            axes = tuple(range(self.begin_norm_axis, 0))
        elif isinstance(input_x, Sym) or has_sym(input_x):
            raise UnsupportedSyntaxError(
                "ops.LayerNorm(begin_norm_axis=%d): in differentiated code the input's rank is "
                "not known, so the axes from %d on are not either; give begin_norm_axis "
                "counted from the end (-1 for the last axis, -2 for the last two)"
                % (self.begin_norm_axis, self.begin_norm_axis))
        else:
            ndim = np.ndim(unwrap(input_x))
            axes = tuple(range(self.begin_norm_axis, ndim))
        mean = P.mean(input_x, axes, True)
        variance = P.var(input_x, axes, 0, True)
        y = P.div(P.sub(input_x, mean), P.sqrt(P.add(variance, self.epsilon)))
        # MindSpore's gradient of LayerNorm takes only y's cotangent: the mean and variance
        # outputs pass none back (measured on 2.10: a loss of them alone has gradient 0)
        return P.add(P.mul(y, gamma), beta), P.stop_gradient(mean), P.stop_gradient(variance)


class _Pool(Primitive):
    _name = ""

    def __init__(self, kernel_size=1, strides=1, pad_mode="valid", data_format="NCHW") -> None:
        _check_format(data_format, self._name)
        self.kernel_size = _pair(kernel_size, "kernel_size", self._name)
        self.strides = _pair(strides, "strides", self._name)
        mode = pad_mode.lower() if isinstance(pad_mode, str) else pad_mode
        if mode not in ("valid", "same"):
            raise ValueError("For '%s', pad_mode must be 'valid' or 'same', got %r"
                             % (self._name, pad_mode))
        self.pad_mode = mode


class MaxPool(_Pool):
    """MindSpore's ``ops.MaxPool(kernel_size=1, strides=1, pad_mode='valid',
    data_format='NCHW')`` on 4-D input ('same': the odd padding at the bottom and right)."""

    _name = "MaxPool"

    def __call__(self, x):
        return P.max_pool2d(x, self.kernel_size, self.strides, self.pad_mode, (1, 1), False)


class AvgPool(_Pool):
    """MindSpore's ``ops.AvgPool(kernel_size=1, strides=1, pad_mode='VALID',
    data_format='NCHW')`` on 4-D input ('same' divides by the input elements in each
    window)."""

    _name = "AvgPool"

    def __init__(self, kernel_size=1, strides=1, pad_mode="VALID", data_format="NCHW") -> None:
        super().__init__(kernel_size, strides, pad_mode, data_format)

    def __call__(self, x):
        (kh, kw), (sh, sw) = self.kernel_size, self.strides
        rows = P.pool_matrix(x, -2, kh, sh, self.pad_mode, False, False)
        cols = P.pool_matrix(x, -1, kw, sw, self.pad_mode, False, False)
        return P.matmul(P.matmul(rows, x), cols)


class AdaptiveAvgPool2D(Primitive):
    """MindSpore's ``ops.AdaptiveAvgPool2D(output_size)`` (an int or ``(h, w)``, None keeps
    that axis)."""

    def __init__(self, output_size) -> None:
        self.output_size = output_size

    def __call__(self, x):
        return adaptive_avg_pool2d(x, self.output_size)


class ResizeNearestNeighbor(Primitive):
    """MindSpore's ``ops.ResizeNearestNeighbor(size, align_corners=False,
    half_pixel_centers=False)``: source index ``floor(i in / out)``, or with
    ``align_corners`` ``i (in - 1) / (out - 1)`` rounded half up.  ``half_pixel_centers``
    changes nothing on MindSpore 2.10's CPU (measured), nor here."""

    def __init__(self, size, align_corners=False, half_pixel_centers=False) -> None:
        # (``x.shape[2:]`` in differentiated code: sizes known only at run time)
        self.size = tuple(n if isinstance(n, Sym) else int(n) for n in (size[0], size[1]))
        self.align_corners = bool(align_corners)
        self.half_pixel_centers = bool(half_pixel_centers)

    def __call__(self, input_x):
        mode = "nearest_align" if self.align_corners else "nearest"
        rows = P.resize_matrix(input_x, -2, self.size[0], mode)
        cols = P.resize_matrix(input_x, -1, self.size[1], mode)
        return P.matmul(P.matmul(rows, input_x), cols)


class ResizeBilinearV2(Primitive):
    """MindSpore's ``ops.ResizeBilinearV2(align_corners=False, half_pixel_centers=False)``:
    ``op(x, size)``; source coordinate ``i in / out`` (default), ``(i + 0.5) in / out - 0.5``
    (``half_pixel_centers``) or ``i (in - 1) / (out - 1)`` (``align_corners``)."""

    def __init__(self, align_corners=False, half_pixel_centers=False) -> None:
        if align_corners and half_pixel_centers:
            raise ValueError("For 'ResizeBilinearV2', align_corners and half_pixel_centers "
                             "cannot both be True")
        self.align_corners = bool(align_corners)
        self.half_pixel_centers = bool(half_pixel_centers)
        self.mode = ("linear_align" if align_corners else
                     "linear" if half_pixel_centers else "linear_legacy")

    def __call__(self, x, size):
        rows = P.resize_matrix(x, -2, int(size[0]), self.mode)
        cols = P.resize_matrix(x, -1, int(size[1]), self.mode)
        return P.matmul(P.matmul(rows, x), cols)


class ResizeBicubic(Primitive):
    """MindSpore's ``ops.ResizeBicubic(align_corners=False, half_pixel_centers=False)``:
    ``op(images, size)``, ``images`` NCHW, ``size`` ``(h, w)`` (a tuple, list or 1-D Tensor).
    Source coordinate ``i in / out`` (default), ``(i + 0.5) in / out - 0.5``
    (``half_pixel_centers``: Keys' cubic ``a = -0.5``, taps outside the image weigh 0 and the
    rest are renormalized) or ``i (in - 1) / (out - 1)`` (``align_corners``); without
    ``half_pixel_centers`` ``a = -0.75`` and a tap outside reads the border pixel.  Weights
    from MindSpore's 1/1024 table (``resize_matrix``); the gradient is the adjoint (matmul's),
    as MindSpore's ResizeBicubicGrad (measured)."""

    def __init__(self, align_corners=False, half_pixel_centers=False) -> None:
        if align_corners and half_pixel_centers:
            raise ValueError("For ResizeBicubic, the half_pixel_centers must be false when "
                             "align_corners is true, but half_pixel_centers got True.")
        self.align_corners = bool(align_corners)
        self.half_pixel_centers = bool(half_pixel_centers)
        self.mode = ("cubic_align" if align_corners else
                     "cubic" if half_pixel_centers else "cubic_legacy")

    def __call__(self, images, size):
        if not has_sym(images) and np.ndim(unwrap(images)) != 4:
            raise ValueError("For primitive[ResizeBicubic], the image rank must be equal to 4, "
                             "but got %d." % np.ndim(unwrap(images)))
        if not has_sym(size) and np.size(unwrap(size)) != 2:
            raise ValueError("For primitive[ResizeBicubic], the number of size must be equal "
                             "to 2, but got %d." % np.size(unwrap(size)))
        # (``x.shape[2:]`` in differentiated code: sizes known only at run time)
        sizes = tuple(n if isinstance(n, Sym) else int(n) for n in (size[0], size[1]))
        for n in sizes:
            if not isinstance(n, Sym) and n <= 0:
                raise ValueError("For primitive[ResizeBicubic], the size value must be "
                                 "greater than 0, but got %d." % n)
        rows = P.resize_matrix(images, -2, sizes[0], self.mode)
        cols = P.resize_matrix(images, -1, sizes[1], self.mode)
        return P.matmul(P.matmul(rows, images), cols)


class InsertGradientOf(Primitive):
    """MindSpore's ``ops.InsertGradientOf(f)``: ``op(x)`` is ``x``; in the backward pass the
    gradient flowing into ``x`` is ``f(gradient)`` (a Tensor in, a Tensor out).  The generated
    gradient code shows the call (``apply_grad_hook``) where it runs."""

    def __init__(self, f) -> None:
        if not callable(f):
            raise TypeError("For 'InsertGradientOf', 'f' must be callable, got %r" % (f,))
        self.f = f

    def __call__(self, x):
        return P.grad_hook(x, self.f, False)


class HookBackward(Primitive):
    """MindSpore's ``ops.HookBackward(hook_fn, cell_id="")``: ``op(x)`` is ``x``; in the
    backward pass ``hook_fn((gradient,))`` is called with the gradient flowing into ``x`` (a
    tuple of one Tensor, as in MindSpore), and a tuple it returns replaces that gradient (None
    keeps it).  One input per op (several are refused)."""

    def __init__(self, hook_fn, cell_id="") -> None:
        if not callable(hook_fn):
            raise TypeError("For 'HookBackward', 'hook_fn' must be callable, got %r"
                            % (hook_fn,))
        self.hook_fn = hook_fn
        self.cell_id = cell_id

    def __call__(self, *inputs):
        if len(inputs) != 1:
            raise TypeError("HookBackward here takes one input (got %d); use one op per input"
                            % len(inputs))
        return P.grad_hook(inputs[0], self.hook_fn, True)


class Print(Primitive):
    """MindSpore's ``ops.Print()``: ``op(*inputs)`` prints each input on its own line
    (a Tensor as its repr, ``Tensor(shape=[2], dtype=Float32, value= [...])``; a string or
    number as it is) and returns None.  It has no gradient.  Inside differentiated code it
    is not folded: it runs at run time, in program order, on every call (the compiler's
    opaque call), as MindSpore prints at run time too."""

    # not a primitive to the compiler: a call of it stays a run-time call on its values
    _autograd_st_primitive = False

    def __init__(self) -> None:
        self.add_prim_attr("side_effect_io", True)

    def __call__(self, *inputs):
        for v in inputs:
            if isinstance(v, np.ndarray):  # (inside generated code values are arrays)
                v = Tensor(v)
            print(repr(v) if isinstance(v, Tensor) else v)


class _Summary(Primitive):
    """MindSpore's summary primitives (``ops.ScalarSummary()(name, value)`` ...): record a
    value for a ``SummaryRecord``.  autograd_st has no summary writer, so a call records
    nothing and returns None (MindSpore's PyNative call returns None, and checks nothing
    either).  No gradient; inside differentiated code it runs at run time, as ``Print``."""

    _autograd_st_primitive = False
    _channel = ""

    def __init__(self) -> None:
        self.add_prim_attr("side_effect_io", True)
        self.add_prim_attr("channel_name", self._channel)

    def __call__(self, name, value):
        return None


class ScalarSummary(_Summary):
    _channel = "ms_scalar_summary"


class TensorSummary(_Summary):
    _channel = "ms_tensor_summary"


class ImageSummary(_Summary):
    _channel = "ms_image_summary"


class HistogramSummary(_Summary):
    _channel = "ms_histogram_summary"


class DepthToSpace(Primitive):
    """MindSpore's ``ops.DepthToSpace(block_size)(x)``: NCHW ``(N, C r^2, H, W)`` to
    ``(N, C, H r, W r)`` in DCR order (channel ``(i r + j) C + c`` to ``(c, h r + i, w r + j)``;
    ``nn.PixelShuffle`` uses ``c r^2 + i r + j``)."""

    def __init__(self, block_size) -> None:
        if isinstance(block_size, bool) or not isinstance(block_size, int) or block_size < 2:
            raise ValueError("For 'DepthToSpace', 'block_size' must be an int >= 2, but got %r."
                             % (block_size,))
        self.block_size = block_size

    def __call__(self, x):
        return depth_to_space(x, self.block_size)


class SpaceToDepth(DepthToSpace):
    """MindSpore's ``ops.SpaceToDepth(block_size)(x)``: the inverse of ``DepthToSpace``."""

    def __call__(self, x):
        return space_to_depth(x, self.block_size)
