"""MindSpore's older primitive classes that model-zoo code still calls (``ops.Meshgrid``,
``ops.Depend``, ``ops.Range``, ``ops.Rint``, ``ops.DiagPart``, ``ops.DivNoNan``, ``ops.Inv``,
``ops.Gelu``, ``ops.PReLU``, ``ops.Pack``, ``ops.TensorShape``, ``ops.MaskedSelect``,
``ops.LRN``, ``ops.Dropout3D``): each a thin class over a function of the op table, so its
gradient is that function's.

Takes: :class:`~autograd_st.ops.primitive_base.Primitive`, ``P`` and the op table's
functions.  Gives: the classes (``operations`` publishes them as ``autograd_st.ops.<Name>``).
Signatures, dtypes and errors are MindSpore 2.10's (CPU, measured in the side venv).
"""
from __future__ import annotations

import numpy as np

from ..op_table import FUNCTIONS, NN_FUNCTIONS
from ..prims import P, has_sym
from .primitive_base import Primitive

__all__ = ["Meshgrid", "Depend", "Range", "Rint", "DiagPart", "DivNoNan", "Inv", "Gelu",
           "PReLU", "Pack", "TensorShape", "MaskedSelect", "LRN", "Dropout3D", "MaxPoolWithArgmax",
           "MaxPoolWithArgmaxV2"]


def _dtype_kind(x) -> str:
    """``'f'``, ``'i'``, ``'u'``, ``'b'`` ... of a Tensor or number known now; ``''`` for a
    value known only at run time."""
    if has_sym(x):
        return ""
    return np.asarray(getattr(x, "asnumpy", lambda: x)()).dtype.kind


class Meshgrid(Primitive):
    """``ops.Meshgrid(indexing='xy')(inputs)``: ``ops.meshgrid(*inputs, indexing)``; the
    inputs must share a dtype (MindSpore refuses mixed ones)."""

    def __init__(self, indexing="xy") -> None:
        if indexing not in ("xy", "ij"):
            raise ValueError("Failed to convert the value %r of input 'indexing' of "
                             "'Meshgrid' to enum: give 'xy' or 'ij'" % (indexing,))
        self.indexing = indexing

    def __call__(self, inputs):
        kinds = {str(getattr(t, "dtype", "")) for t in inputs if not has_sym(t)}
        if len(kinds) > 1:
            raise ValueError("For Primitive [Meshgrid], all tensors should have the same "
                             "type, got %s: cast them to one dtype" % ", ".join(sorted(kinds)))
        return FUNCTIONS["meshgrid"](*inputs, indexing=self.indexing)


class Depend(Primitive):
    """``ops.Depend()(value, expr)``: ``value`` (``expr`` is evaluated first; it gets no
    gradient)."""

    def __init__(self) -> None:
        pass

    def __call__(self, value, expr):
        return P.depend(value, expr)


class Range(Primitive):
    """``ops.Range(maxlen=1000000)(start, end, step)``: ``ops.range(start, end, step)``
    (int64 for integer bounds, float32 for float ones; ``maxlen`` unchecked, as MindSpore
    2.10's CPU kernel)."""

    def __init__(self, maxlen=1000000) -> None:
        self.maxlen = int(maxlen)

    def __call__(self, start, end, step):
        if not has_sym(step) and float(np.asarray(getattr(step, "asnumpy", lambda: step)())) == 0:
            raise ValueError("For Range, delta cannot be equal to zero.")
        return FUNCTIONS["range"](start, end, step, self.maxlen)


def _float_only(x, op: str) -> None:
    kind = _dtype_kind(x)
    if kind and kind != "f":
        raise TypeError("For primitive[%s], the input argument[x] must be a type of "
                        "{Tensor[Float16], Tensor[Float32], Tensor[Float64]}, but got %s: "
                        "cast it to a float dtype" % (op, getattr(x, "dtype", type(x).__name__)))


class Rint(Primitive):
    """``ops.Rint()(x)``: ``x`` rounded to the nearest integer, halves to even (float
    dtypes only; MindSpore defines no gradient for it)."""

    def __init__(self) -> None:
        pass

    def __call__(self, x):
        _float_only(x, "Rint")
        return P.round(x, 0)


class DiagPart(Primitive):
    """``ops.DiagPart()(x)``: for ``x`` of rank ``2k`` shaped ``s + s``, the entries
    ``x[i..., i...]``, shaped ``s``."""

    def __init__(self) -> None:
        pass

    def __call__(self, x):
        if has_sym(x):  # (in differentiated code the rank is a runtime value)
            half = P.getitem(P.shape(x), slice(0, P.floordiv(P.ndim(x), 2)))
            n = P.size(P.full(half, 0, "int8"))
            return P.reshape(FUNCTIONS["diagonal"](P.reshape(x, (n, n)), 0, 0, 1), half)
        shape = tuple(x.shape)
        rank = len(shape)
        if rank == 0 or rank % 2:
            raise ValueError("For 'DiagPart', input rank must be non-zero and even, but got "
                             "rank: %d." % rank)
        half = shape[:rank // 2]
        for i, (a, b) in enumerate(zip(half, shape[rank // 2:])):
            if a != b:
                raise ValueError("For primitive[DiagPart], the attribute[input_shape[i + "
                                 "rank(input_shape) / 2]] must be equal to %d, but got %d "
                                 "(axis %d and axis %d must match)" % (a, b, i, i + rank // 2))
        n = int(np.prod(half, dtype=np.int64))
        return P.reshape(FUNCTIONS["diagonal"](P.reshape(x, (n, n)), 0, 0, 1), half)


class DivNoNan(Primitive):
    """``ops.DivNoNan()(x, y)``: ``x / y``, 0 where ``y`` is 0 (broadcast; float dtypes).
    The gradient is 0 where ``y`` is 0, as MindSpore's."""

    def __init__(self) -> None:
        pass

    def __call__(self, x, y):
        for v in (x, y):
            kind = _dtype_kind(v)
            if kind and kind != "f":
                raise TypeError("For 'DivNoNan', the inputs must be float Tensors, got %s: "
                                "cast them to a float dtype" % getattr(v, "dtype", type(v)))
        zero = P.equal(y, 0.0)
        safe = P.where(zero, P.ones_like(y), y)
        return P.where(zero, 0.0, P.div(x, safe))


class Inv(Primitive):
    """``ops.Inv()(x)``: ``1 / x`` (for an integer ``x``, the quotient truncated to x's
    dtype: ``Inv()([2, 1])`` is ``[0, 1]``, as MindSpore 2.10's)."""

    def __init__(self) -> None:
        pass

    def __call__(self, x):
        out = FUNCTIONS["reciprocal"](x)
        if _dtype_kind(x) in ("i", "u"):
            return P.astype(out, str(np.asarray(x.asnumpy()).dtype))
        return out


class Gelu(Primitive):
    """``ops.Gelu()(x)``: the old name of ``ops.GeLU()`` (the tanh approximation:
    ``Gelu()(1.0)`` is 0.841192, ``ops.gelu(1.0)`` 0.841345)."""

    def __init__(self) -> None:
        pass

    def __call__(self, x):
        return FUNCTIONS["gelu"](x, approximate="tanh")


class PReLU(Primitive):
    """``ops.PReLU()(x, weight)``: ``ops.prelu(x, weight)`` (one slope, or one per channel
    of axis 1)."""

    def __init__(self) -> None:
        pass

    def __call__(self, x, weight):
        return FUNCTIONS["prelu"](x, weight)


class Pack(Primitive):
    """``ops.Pack(axis=0)(x)``: the old name of ``ops.Stack(axis)``."""

    def __init__(self, axis=0) -> None:
        self.axis = int(axis)

    def __call__(self, x):
        shapes = {tuple(t.shape) for t in x if not has_sym(t)}
        if len(shapes) > 1:
            raise ValueError("All input shape must be the same! got %s: give ops.Pack "
                             "tensors of one shape" % sorted(shapes))
        return FUNCTIONS["stack"](x, self.axis)


class TensorShape(Primitive):
    """``ops.TensorShape()(x)``: x's shape as an int64 Tensor (no gradient)."""

    def __init__(self) -> None:
        pass

    def __call__(self, x):
        return P.astype(FUNCTIONS["tuple_to_array"](P.shape(x)), "int64")


class MaskedSelect(Primitive):
    """``ops.MaskedSelect()(x, mask)``: ``ops.masked_select(x, mask)`` (broadcast)."""

    def __init__(self) -> None:
        pass

    def __call__(self, x, mask):
        return FUNCTIONS["masked_select"](x, mask)


class LRN(Primitive):
    """``ops.LRN(depth_radius=5, bias=1.0, alpha=1.0, beta=0.5,
    norm_region='ACROSS_CHANNELS')(x)``: ``ops.lrn`` with these attributes."""

    def __init__(self, depth_radius=5, bias=1.0, alpha=1.0, beta=0.5,
                 norm_region="ACROSS_CHANNELS") -> None:
        self.depth_radius = int(depth_radius)
        self.bias = float(bias)
        self.alpha = float(alpha)
        self.beta = float(beta)
        self.norm_region = norm_region

    def __call__(self, x):
        return NN_FUNCTIONS["lrn"](x, self.depth_radius, self.bias, self.alpha, self.beta,
                                self.norm_region)


class Dropout3D(Primitive):
    """``ops.Dropout3D(keep_prob=0.5)(x)``: for ``x (N, C, D, H, W)``, ``(output, mask)``:
    each channel kept whole with probability ``keep_prob`` and scaled by ``1 / keep_prob``,
    or zeroed; ``mask`` is bool, x's shape."""

    def __init__(self, keep_prob=0.5) -> None:
        if not 0.0 <= keep_prob <= 1.0:
            raise ValueError("For 'Dropout3D', the 'keep_prob' must be in range of [0.0, 1.0],"
                             " but got %r with type '%s'." % (keep_prob, type(keep_prob).__name__))
        self.keep_prob = float(keep_prob)

    def __call__(self, x):
        if len(P.shape(x)) != 5:
            raise ValueError("For primitive[Dropout3D], the rank of input must be equal to "
                             "5, but got %d: give it (N, C, D, H, W)" % len(P.shape(x)))
        if self.keep_prob == 0.0:
            return P.mul(x, 0.0), P.broadcast_to(P.equal(x, np.nan), P.shape(x))
        plane = P.getitem(x, (Ellipsis,) + (slice(0, 1),) * 3)
        scaled = P.dropout_mask(plane, keep_prob=self.keep_prob)
        out = P.mul(x, scaled)
        return out, P.broadcast_to(P.greater(scaled, 0.0), P.shape(x))


def _pool_ints(value, op: str) -> tuple:
    """``(h, w)`` from an int, ``(h, w)`` or MindSpore's ``(1, h, w, 1)`` / ``(1, 1, h, w)``."""
    if isinstance(value, int):
        return (value, value)
    value = tuple(int(v) for v in value)
    if len(value) == 2:
        return value
    if len(value) == 4 and value[0] == 1:
        return value[1:3] if value[3] == 1 and value[1:3] != (1, 1) else value[2:]
    raise ValueError("For '%s', the kernel_size and strides must be an int, or a tuple of 2 "
                     "or 4 ints, but got %r" % (op, value))


def _same_pad(size, kernel: int, stride: int):
    """TensorFlow's 'same' total padding: ``max((ceil(size / stride) - 1) stride + kernel -
    size, 0)`` (``size`` may be a runtime value)."""
    out = P.neg(P.floordiv(P.neg(size), stride))
    return P.maximum(P.sub(P.add(P.mul(P.sub(out, 1), stride), kernel), size), 0)


class MaxPoolWithArgmax(Primitive):
    """``ops.MaxPoolWithArgmax(kernel_size=1, strides=1, pad_mode='valid',
    data_format='NCHW')(x)``: ``(output, argmax)``; ``argmax`` is int32, the flat index of
    each maximum in its sample's ``(C, H, W)`` (MindSpore 2.10 CPU, measured: channel ``c``
    adds ``c H W``).  'same' pads the bottom and right first, TensorFlow's way.  The
    gradient goes to each window's maximum."""

    def __init__(self, kernel_size=1, strides=1, pad_mode="valid", data_format="NCHW") -> None:
        self.kernel_size = _pool_ints(kernel_size, "MaxPoolWithArgmax")
        self.strides = _pool_ints(strides, "MaxPoolWithArgmax")
        self.pad_mode = str(pad_mode).lower()
        if self.pad_mode not in ("valid", "same"):
            raise ValueError("For 'MaxPoolWithArgmax', pad_mode must be 'valid' or 'same', "
                             "but got %r" % (pad_mode,))
        if data_format != "NCHW":
            raise ValueError("For 'MaxPoolWithArgmax', only data_format 'NCHW' is supported "
                             "on CPU, but got %r" % (data_format,))
        self.data_format = data_format

    def __call__(self, x):
        h, w = P.shape(x)[2], P.shape(x)[3]
        (kh, kw), (sh, sw) = self.kernel_size, self.strides
        pad = (0, 0, 0, 0)
        if self.pad_mode == "same":
            ph, pw = _same_pad(h, kh, sh), _same_pad(w, kw, sw)
            pad = (P.floordiv(ph, 2), P.sub(ph, P.floordiv(ph, 2)), P.floordiv(pw, 2),
                   P.sub(pw, P.floordiv(pw, 2)))
        out = P.max_pool2d(x, (kh, kw), (sh, sw), pad, (1, 1), False)
        idx = P.max_pool2d_indices(x, (kh, kw), (sh, sw), pad, (1, 1), False)
        channel = P.reshape(P.arange_auto(0, P.shape(x)[1], 1), (-1, 1, 1))
        return out, P.astype(P.add(idx, P.mul(channel, h * w)), "int32")


class MaxPoolWithArgmaxV2(Primitive):
    """``ops.MaxPoolWithArgmaxV2(kernel_size, strides=None, pads=0, dilation=(1, 1),
    ceil_mode=False, argmax_type=mstype.int64)(x)``: ``ops.max_pool2d(x, ...,
    return_indices=True)``, the indices (into each plane) as ``argmax_type``."""

    def __init__(self, kernel_size, strides=None, pads=0, dilation=(1, 1), ceil_mode=False,
                 argmax_type=None) -> None:
        self.kernel_size = kernel_size
        self.strides = kernel_size if strides is None else strides
        self.pads = pads
        self.dilation = dilation
        self.ceil_mode = bool(ceil_mode)
        self.argmax_type = "int64" if argmax_type is None else str(argmax_type).lower()
        if self.argmax_type not in ("int32", "int64"):
            raise TypeError("For 'MaxPoolWithArgmaxV2', argmax_type must be int32 or int64, "
                            "but got %s" % (argmax_type,))

    def __call__(self, x):
        out, idx = NN_FUNCTIONS["max_pool2d"](x, self.kernel_size, self.strides, self.pads,
                                           self.dilation, True, self.ceil_mode)
        return out, P.astype(idx, self.argmax_type)
