"""Numpy kernels behind the pooling and resampling primitives of :mod:`autograd_st.rules_nn`
(max pooling and its two adjoints, the matrices that average pooling, adaptive pooling and
interpolation multiply by, pixel shuffle).

Like :mod:`autograd_st.kernels`, every function works on raw numpy arrays and Python
constants, and a kernel that *is* a primitive carries the ``_autograd_st_prim`` tag (same
parameters, same order), so generated code that calls it differentiates again.

Pooling works on the last two axes of any input (``(N, C, H, W)`` or ``(C, H, W)``).  ``pad`` is
``'valid'``, ``'same'`` (output ``ceil(H / stride)``, the odd padding row and column at the
bottom and right, as MindSpore's MaxPool/AvgPool measure) or ``(top, bottom, left, right)``;
``ceil_mode`` adds rows and columns at the bottom and right so the last partial window
counts, unless it would start in the padding (PyTorch's and MindSpore's rule).

Average pooling, adaptive average pooling and nearest / (bi)linear / bicubic interpolation are
separable linear maps: ``y = A_h @ x @ A_w``, with ``A_h`` (out, in) and ``A_w`` (in, out)
built here from the input's size (:func:`pool_matrix`, :func:`resize_matrix`), so their
gradients are matmul's and need no rule of their own.
"""
from __future__ import annotations

import numpy as np

from .kernels import _pair, _tag

__all__ = ["max_pool2d_indices", "adaptive_max_pool2d_indices", "adaptive_max_pool2d_forward", "adaptive_max_pool2d_scatter",
           "adaptive_max_pool2d_gather", "pool_axis_pads", "pool_geometry", "max_pool2d_forward", "max_pool2d_scatter",
           "max_pool2d_gather", "pool_matrix", "resize_matrix", "pixel_shuffle",
           "pixel_unshuffle", "conv_transpose_like", "depth_to_space", "space_to_depth", "class_targets", "soft_labels",
           "KERNEL_NAMES"]


def _float_dtype(like) -> np.dtype:
    dt = np.asarray(like).dtype if not isinstance(like, np.dtype) else like
    return dt if dt.kind == "f" else np.dtype(np.float32)


# ---------------------------------------------------------------------------------------
# pooling geometry
# ---------------------------------------------------------------------------------------

def pool_axis_pads(size, k, s, d, pad, ceil_mode=False) -> tuple:
    """``(before, after, out, after_declared)`` along one axis of length ``size``: ``pad`` is
    'valid', 'same' or ``(before, after)``; ``after`` includes the rows ``ceil_mode`` adds,
    ``after_declared`` does not."""
    span = (k - 1) * d + 1
    if isinstance(pad, str):
        if pad == "valid":
            before = after = 0
        elif pad == "same":
            out = -(-size // s)
            need = max(0, (out - 1) * s + span - size)
            before, after = need // 2, need - need // 2
        else:
            raise ValueError("pooling: pad must be 'same', 'valid' or 4 ints, not %r" % (pad,))
    else:
        before, after = int(pad[0]), int(pad[1])
    total = size + before + after
    if total < span:
        raise ValueError("pooling: a window of %d does not fit an axis of %d (padding %d, %d)"
                         % (span, size, before, after))
    out = (total - span) // s + 1
    declared = after
    if ceil_mode:
        out_c = -(-(total - span) // s) + 1
        if (out_c - 1) * s >= size + before:  # the last window would start in the padding
            out_c -= 1
        after += max(0, (out_c - 1) * s + span - total)
        out = out_c
    return before, after, out, declared


def pool_geometry(hw, kernel, stride, pad, dilation, ceil_mode):
    """``((top, bottom, left, right), (out_h, out_w))`` of a 2-D pooling."""
    (kh, kw), (sh, sw), (dh, dw) = _pair(kernel), _pair(stride), _pair(dilation)
    if isinstance(pad, str):
        ph = pw = pad
    else:
        top, bottom, left, right = pad
        ph, pw = (top, bottom), (left, right)
    t, b, oh, _ = pool_axis_pads(hw[0], kh, sh, dh, ph, ceil_mode)
    lft, r, ow, _ = pool_axis_pads(hw[1], kw, sw, dw, pw, ceil_mode)
    return (t, b, lft, r), (oh, ow)


class _Taps:
    """A max pooling's geometry over ``x``: the padded input (``-inf`` padding, or the dtype's
    least value for integers) and, per kernel tap ``(p, q)``, the strided slab of it that the
    tap reads for every output element (a view shaped like the output).  The pooling loops
    over the ``kh * kw`` taps, each one whole-array operation, whatever the image size."""

    def __init__(self, x, kernel, stride, pad, dilation, ceil_mode, fill=None):
        x = np.asarray(x)
        (kh, kw), (sh, sw), (dh, dw) = _pair(kernel), _pair(stride), _pair(dilation)
        pads, (oh, ow) = pool_geometry(x.shape[-2:], kernel, stride, pad, dilation,
                                       ceil_mode)
        self.pads, self.out_hw = pads, (oh, ow)
        t, b, lft, r = pads
        if fill is None:
            fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
        widths = [(0, 0)] * (x.ndim - 2) + [(t, b), (lft, r)]
        self.xp = np.pad(x, widths, constant_values=fill) if (t or b or lft or r) else x
        self.slices = [(slice(p * dh, p * dh + sh * (oh - 1) + 1, sh),
                        slice(q * dw, q * dw + sw * (ow - 1) + 1, sw))
                       for p in range(kh) for q in range(kw)]
        # windows that never overlap: every input element is in at most one of them
        self.disjoint = sh >= (kh - 1) * dh + 1 and sw >= (kw - 1) * dw + 1
        self.kw, self.strides, self.dil = kw, (sh, sw), (dh, dw)

    def slab(self, a, i):
        rs, cs = self.slices[i]
        return a[..., rs, cs]

    def max(self):
        """The pooled maxima: one ``np.maximum`` per tap."""
        out = self.slab(self.xp, 0).copy()
        for i in range(1, len(self.slices)):
            np.maximum(out, self.slab(self.xp, i), out=out)
        return out

    def hits(self, best):
        """Per tap, in order: ``(i, hit)``, ``hit`` true where tap ``i`` holds its window's
        first maximum ``best`` (a NaN counts as equal to a NaN maximum, as ``argmax`` finds
        it).  ``hit`` is one buffer, overwritten by the next tap."""
        nan = best.dtype.kind == "f" and bool(np.isnan(best).any())
        taken = np.zeros(best.shape, bool)
        hit = np.empty(best.shape, bool)
        last = len(self.slices) - 1
        for i in range(len(self.slices)):
            slab = self.slab(self.xp, i)
            np.equal(slab, best, out=hit)
            if nan:
                hit |= np.isnan(slab) & np.isnan(best)
            if i:
                np.greater(hit, taken, out=hit)  # and not taken by an earlier tap
            if i < last:
                np.logical_or(taken, hit, out=taken)
            yield i, hit

    def argmax(self):
        """Per output element, the maximum and the index of the first tap that holds it."""
        best = self.max()
        idx = np.zeros(best.shape, np.uint8 if len(self.slices) < 256 else np.intp)
        for i, hit in self.hits(best):
            if i:
                np.copyto(idx, i, where=hit)
        return best, idx

    def plane_index(self, idx):
        """Tap indices -> flat indices ``row * W + col`` in the padded plane."""
        (sh, sw), (dh, dw) = self.strides, self.dil
        oh, ow = self.out_hw
        idx = idx.astype(np.intp)
        rows = np.arange(oh)[:, None] * sh + (idx // self.kw) * dh
        cols = np.arange(ow)[None, :] * sw + (idx % self.kw) * dw
        return rows * self.xp.shape[-1] + cols

    def unpad(self, a, hw):
        t, _, lft, _ = self.pads
        return a[..., t:t + hw[0], lft:lft + hw[1]]


def _argmax_index(x, kernel, stride, pad, dilation, ceil_mode):
    """The padded input's shape and, per output element, the flat index (in the padded
    ``H x W`` plane) of its window's first largest element."""
    taps = _Taps(x, kernel, stride, pad, dilation, ceil_mode)
    return taps.xp.shape, taps.plane_index(taps.argmax()[1])


# ---------------------------------------------------------------------------------------
# max pooling: y = max_pool2d(x); scatter(x, dy) is its vjp, gather(x, v) its jvp; both are
# linear in their second argument and each is the other's adjoint
# ---------------------------------------------------------------------------------------

@_tag("max_pool2d")
def max_pool2d_forward(x, kernel=(1, 1), stride=(1, 1), pad="valid", dilation=(1, 1),
                       ceil_mode=False):
    """``y[..., i, j] = max`` over the window of ``x`` (padding never wins): one
    ``np.maximum`` per kernel tap."""
    return _Taps(x, kernel, stride, pad, dilation, ceil_mode).max()


@_tag("max_pool2d_scatter")
def max_pool2d_scatter(x, dy, kernel=(1, 1), stride=(1, 1), pad="valid", dilation=(1, 1),
                       ceil_mode=False):
    """Each ``dy`` element added at its window's first maximum of ``x``; shaped like ``x``.
    Per kernel tap, the ``dy`` elements whose maximum that tap holds go into its strided
    slab of the (padded) result: written where windows never overlap, added where they do."""
    x = np.asarray(x)
    taps = _Taps(x, kernel, stride, pad, dilation, ceil_mode)
    best = taps.max()
    dy = np.asarray(dy)
    dtype = np.result_type(x.dtype, dy.dtype)
    dtype = dtype if dtype.kind == "f" else np.dtype(np.float64)
    dy = np.broadcast_to(dy, best.shape)
    # dy * hit is exact where dy is finite; otherwise inf * 0 would put NaN off the maxima
    finite = bool(np.isfinite(dy).all()) if dy.dtype.kind in "fc" else True
    dxp = np.zeros(x.shape[:-2] + taps.xp.shape[-2:], dtype)
    for i, hit in taps.hits(best):
        slab = taps.slab(dxp, i)
        if taps.disjoint:
            if finite:
                np.multiply(dy, hit, out=slab)
            else:
                np.copyto(slab, dy, where=hit)
        else:
            slab += np.where(hit, dy, 0)
    return taps.unpad(dxp, x.shape[-2:])


@_tag("max_pool2d_gather")
def max_pool2d_gather(x, v, kernel=(1, 1), stride=(1, 1), pad="valid", dilation=(1, 1),
                      ceil_mode=False):
    """``v`` (shaped like ``x``) read at each window's first maximum of ``x``."""
    x = np.asarray(x)
    taps = _Taps(x, kernel, stride, pad, dilation, ceil_mode)
    best = taps.max()
    v = np.broadcast_to(v, x.shape)
    t, b, lft, r = taps.pads
    vp = np.pad(v, [(0, 0)] * (x.ndim - 2) + [(t, b), (lft, r)]) if any(taps.pads) else v
    out = np.zeros(best.shape, vp.dtype)
    for i, hit in taps.hits(best):
        np.copyto(out, taps.slab(vp, i), where=hit)
    return out


@_tag("max_pool2d_indices")
def max_pool2d_indices(x, kernel=(1, 1), stride=(1, 1), pad="valid", dilation=(1, 1),
                       ceil_mode=False):
    """Where each window's first maximum is: its flat index ``row * W + col`` in the
    (unpadded) ``H x W`` plane, int64 (MindSpore's ``return_indices``)."""
    x = np.asarray(x)
    pshape, idx = _argmax_index(x, kernel, stride, pad, dilation, ceil_mode)
    (t, _, lft, _), _ = pool_geometry(x.shape[-2:], kernel, stride, pad, dilation, ceil_mode)
    rows, cols = np.divmod(idx, pshape[-1])
    return ((rows - t) * x.shape[-1] + (cols - lft)).astype(np.int64)


# ---------------------------------------------------------------------------------------
# adaptive max pooling: output bin i covers [floor(i n / out), ceil((i + 1) n / out)); the
# same three kernels as max pooling, over windows of varying size
# ---------------------------------------------------------------------------------------

def _adaptive_bins(n, out):
    """Per output bin, the indices of its window (clipped) and which of them are real."""
    i = np.arange(out)
    starts = (i * n) // out
    ends = -(-((i + 1) * n) // out)
    k = int((ends - starts).max())
    idx = starts[:, None] + np.arange(k)[None, :]
    return np.minimum(idx, n - 1), idx < ends[:, None]


def _adaptive_sizes(shape, output_size):
    h, w = shape[-2:]
    if isinstance(output_size, (int, np.integer)):
        output_size = (output_size, output_size)
    oh, ow = output_size
    return (h if oh is None else int(oh)), (w if ow is None else int(ow))


def _adaptive_argmax(x, output_size):
    """The maxima ``(..., oh, ow)`` and their flat indices in the ``H x W`` plane (the first
    maximum of each window)."""
    x = np.asarray(x)
    h, w = x.shape[-2:]
    oh, ow = _adaptive_sizes(x.shape, output_size)
    rows, vr = _adaptive_bins(h, oh)
    cols, vc = _adaptive_bins(w, ow)
    kh, kw = rows.shape[1], cols.shape[1]
    win = x[..., rows[:, None, :, None], cols[None, :, None, :]]
    valid = vr[:, None, :, None] & vc[None, :, None, :]
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    win = np.where(valid, win, fill)
    flat = win.reshape(win.shape[:-2] + (kh * kw,))
    a = flat.argmax(axis=-1)
    top = np.take_along_axis(flat, a[..., None], axis=-1)[..., 0]
    r = rows[np.arange(oh)[:, None], a // kw]
    c = cols[np.arange(ow)[None, :], a % kw]
    return top, r * w + c


@_tag("adaptive_max_pool2d")
def adaptive_max_pool2d_forward(x, output_size=(1, 1)):
    """The maximum of each adaptive bin (``output_size``: an int or ``(h, w)``, None keeps
    that axis)."""
    return _adaptive_argmax(x, output_size)[0]


@_tag("adaptive_max_pool2d_indices")
def adaptive_max_pool2d_indices(x, output_size=(1, 1)):
    """Each bin's first maximum as a flat index ``row * W + col``, int64."""
    return _adaptive_argmax(x, output_size)[1].astype(np.int64)


def _scatter_plane(x, idx, dy):
    """``dy`` added into a zero array shaped like ``x`` at flat plane indices ``idx``."""
    plane = x.shape[-2] * x.shape[-1]
    lead = int(np.prod(x.shape[:-2], dtype=np.int64))
    flat = (np.arange(lead).reshape((-1, 1)) * plane + idx.reshape(lead, -1)).ravel()
    dy = np.broadcast_to(dy, idx.shape)
    dtype = np.result_type(x.dtype, np.asarray(dy).dtype)
    dtype = dtype if dtype.kind == "f" else np.dtype(np.float64)
    acc = np.bincount(flat, weights=np.ravel(dy).astype(np.float64), minlength=lead * plane)
    return acc.reshape(x.shape).astype(dtype)


@_tag("adaptive_max_pool2d_scatter")
def adaptive_max_pool2d_scatter(x, dy, output_size=(1, 1)):
    """Each ``dy`` element added at its bin's first maximum of ``x``; shaped like ``x``."""
    x = np.asarray(x)
    return _scatter_plane(x, _adaptive_argmax(x, output_size)[1], dy)


@_tag("adaptive_max_pool2d_gather")
def adaptive_max_pool2d_gather(x, v, output_size=(1, 1)):
    """``v`` (shaped like ``x``) read at each bin's first maximum of ``x``."""
    x = np.asarray(x)
    idx = _adaptive_argmax(x, output_size)[1]
    flat = np.broadcast_to(v, x.shape).reshape(x.shape[:-2] + (-1,))
    return np.take_along_axis(flat, idx.reshape(x.shape[:-2] + (-1,)), axis=-1).reshape(
        idx.shape)


# ---------------------------------------------------------------------------------------
# separable linear maps: average pooling, adaptive average pooling, interpolation
# ---------------------------------------------------------------------------------------

def _oriented(m, axis, like):
    m = m.astype(_float_dtype(like))
    return m if axis == -2 else np.ascontiguousarray(m.T)


@_tag("pool_matrix")
def pool_matrix(like, axis=-2, kernel=1, stride=1, pad="valid", ceil_mode=False,
                count_include_pad=True):
    """The ``(out, in)`` averaging matrix of one axis of ``like`` (axis -2; axis -1: its
    transpose): row ``i`` is ``1 / count`` over window ``i``'s elements inside the input.
    ``count`` is the window's length clipped to the padded extent (``count_include_pad``,
    PyTorch's and MindSpore's divisor, which leaves out what ``ceil_mode`` adds) or to the
    input; ``count_include_pad=None``: no division (a divisor given by hand)."""
    size = np.shape(like)[axis]
    before, after, out, declared = pool_axis_pads(size, kernel, stride, 1, pad, ceil_mode)
    m = np.zeros((out, size))
    for i in range(out):
        start = i * stride - before
        end = start + kernel
        lo, hi = max(start, 0), min(end, size)
        if count_include_pad is None:
            count = 1
        elif count_include_pad:
            count = min(end, size + declared) - max(start, -before)
        else:
            count = hi - lo
        if hi > lo:
            m[i, lo:hi] = 1.0 / count
    return _oriented(m, axis, like)


def _linear_weights(src, size):
    lo = np.clip(np.floor(src).astype(np.int64), 0, size - 1)
    hi = np.minimum(lo + 1, size - 1)
    frac = np.clip(src - lo, 0.0, 1.0)
    return lo, hi, frac


#: the cubic kernel's weights at ``t = i / 1024`` (``[i, 0]``: ``|t| <= 1``, ``[i, 1]``: at
#: ``t + 1``), float32, as MindSpore 2.10's CPU ResizeBicubic (TensorFlow's kernel) looks them
#: up: a fraction rounds to the nearest 1/1024 (measured: its values within 1.2e-7).
_CUBIC_TABLE_SIZE = 1024


def _cubic_table(a: float) -> np.ndarray:
    x = np.arange(_CUBIC_TABLE_SIZE + 1) / _CUBIC_TABLE_SIZE
    x1 = x + 1.0
    near = ((a + 2) * x - (a + 3)) * x * x + 1
    far = ((a * x1 - 5 * a) * x1 + 8 * a) * x1 - 4 * a
    return np.stack([near, far], 1).astype(np.float32)


def _cubic_weights(n: int, size: int, mode: str):
    """Bicubic taps of each output index along an axis of ``n`` resized to ``size``: the four
    sources ``floor(src) - 1 .. floor(src) + 2`` clamped to the axis and their weights.
    ``'cubic'``: half-pixel centres ``(i + 0.5) n / size - 0.5``, Keys' ``a = -0.5``, taps
    outside the axis weigh 0 and the others are renormalized to sum 1 (MindSpore's
    ``ResizeBicubic(half_pixel_centers=True)``, what ``ops.interpolate`` uses without
    ``align_corners``); ``'cubic_align'``: ``i (n - 1) / (size - 1)``, ``a = -0.75``, a tap
    outside reads the border pixel; ``'cubic_legacy'``: ``i n / size``, as ``'cubic_align'``
    otherwise.  Coordinates in float32, as MindSpore's kernel."""
    f32 = np.float32
    scale = f32((n - 1) / (size - 1)) if mode == "cubic_align" and size > 1 else f32(n / size)
    i = np.arange(size, dtype=f32)
    src = (i + f32(0.5)) * scale - f32(0.5) if mode == "cubic" else i * scale
    base = np.floor(src).astype(np.int64)
    offset = np.rint((src - base) * f32(_CUBIC_TABLE_SIZE)).astype(np.int64)
    table = _cubic_table(-0.5 if mode == "cubic" else -0.75)
    rev = _CUBIC_TABLE_SIZE - offset
    weights = np.stack([table[offset, 1], table[offset, 0], table[rev, 0], table[rev, 1]], 1)
    taps = base[:, None] + np.arange(-1, 3)
    index = np.clip(taps, 0, n - 1)
    if mode == "cubic":
        weights = np.where(index == taps, weights, f32(0))
        weights = weights / weights.sum(axis=1, keepdims=True)
    return index, weights


@_tag("resize_matrix")
def resize_matrix(like, axis=-2, size=1, mode="nearest"):
    """The ``(out, in)`` matrix that resamples one axis of ``like`` to ``size`` (axis -1:
    its transpose).  ``mode``:

    - ``'adaptive'``: bin ``i`` averages ``[floor(i n / size), ceil((i + 1) n / size))``;
    - ``'nearest'``: ``floor(i n / size)``; ``'nearest_align'``: ``i (n - 1) / (size - 1)``
      rounded half up (ResizeNearestNeighbor with ``align_corners``);
    - ``'linear'``: half-pixel centres ``(i + 0.5) n / size - 0.5`` clamped at 0;
      ``'linear_align'``: ``i (n - 1) / (size - 1)``; ``'linear_legacy'``: ``i n / size``
      (ResizeBilinearV2's default);
    - ``'cubic'``, ``'cubic_align'``, ``'cubic_legacy'``: bicubic (:func:`_cubic_weights`).
    """
    n = np.shape(like)[axis]
    i = np.arange(size)
    m = np.zeros((size, n))
    if mode == "adaptive":
        for r in range(size):
            lo, hi = (r * n) // size, -(-((r + 1) * n) // size)
            m[r, lo:hi] = 1.0 / (hi - lo)
        return _oriented(m, axis, like)
    if mode in ("nearest", "nearest_align"):
        if mode == "nearest":
            src = (i * n) // size
        else:
            src = (np.floor(i * ((n - 1) / (size - 1)) + 0.5).astype(np.int64) if size > 1
                   else np.zeros(size, np.int64))
        m[i, np.minimum(src, n - 1)] = 1.0
        return _oriented(m, axis, like)
    if mode in ("cubic", "cubic_align", "cubic_legacy"):
        index, weights = _cubic_weights(n, size, mode)
        np.add.at(m, (np.repeat(i, 4), index.ravel()), weights.ravel())
        return _oriented(m, axis, like)
    if mode == "linear":
        src = np.maximum((i + 0.5) * (n / size) - 0.5, 0.0)
    elif mode == "linear_align":
        src = i * ((n - 1) / (size - 1)) if size > 1 else np.zeros(size)
    elif mode == "linear_legacy":
        src = i * (n / size)
    else:
        raise ValueError("resize: unknown mode %r" % (mode,))
    lo, hi, frac = _linear_weights(src, n)
    np.add.at(m, (i, lo), 1.0 - frac)
    np.add.at(m, (i, hi), frac)
    return _oriented(m, axis, like)


# ---------------------------------------------------------------------------------------
# pixel shuffle and the transposed convolution's output shape
# ---------------------------------------------------------------------------------------

@_tag("pixel_shuffle")
def pixel_shuffle(x, upscale_factor=1):
    """``(..., C r^2, H, W)`` to ``(..., C, H r, W r)``: channel ``c r^2 + i r + j`` goes to
    ``(c, h r + i, w r + j)``."""
    r = int(upscale_factor)
    *lead, c, h, w = np.shape(x)
    y = np.reshape(x, tuple(lead) + (c // (r * r), r, r, h, w))
    k = len(lead)
    y = np.transpose(y, tuple(range(k)) + (k, k + 3, k + 1, k + 4, k + 2))
    return np.reshape(y, tuple(lead) + (c // (r * r), h * r, w * r))


@_tag("pixel_unshuffle")
def pixel_unshuffle(x, downscale_factor=1):
    """The inverse (and the adjoint) of :func:`pixel_shuffle`."""
    r = int(downscale_factor)
    *lead, c, h, w = np.shape(x)
    y = np.reshape(x, tuple(lead) + (c, h // r, r, w // r, r))
    k = len(lead)
    y = np.transpose(y, tuple(range(k)) + (k, k + 2, k + 4, k + 1, k + 3))
    return np.reshape(y, tuple(lead) + (c * r * r, h // r, w // r))


@_tag("depth_to_space")
def depth_to_space(x, block_size=1):
    """MindSpore's DepthToSpace (DCR order): ``(N, C r^2, H, W)`` to ``(N, C, H r, W r)``, channel
    ``(i r + j) C + c`` going to ``(c, h r + i, w r + j)`` (pixel_shuffle's order is
    ``c r^2 + i r + j``)."""
    r = int(block_size)
    n, c, h, w = np.shape(x)
    y = np.reshape(x, (n, r, r, c // (r * r), h, w))
    return np.reshape(np.transpose(y, (0, 3, 4, 1, 5, 2)), (n, c // (r * r), h * r, w * r))


@_tag("space_to_depth")
def space_to_depth(x, block_size=1):
    """The inverse (and the adjoint) of :func:`depth_to_space`."""
    r = int(block_size)
    n, c, h, w = np.shape(x)
    y = np.reshape(x, (n, c, h // r, r, w // r, r))
    return np.reshape(np.transpose(y, (0, 3, 5, 1, 2, 4)), (n, c * r * r, h // r, w // r))


@_tag("conv_transpose_like")
def conv_transpose_like(x, w, stride=(1, 1), pad="valid", dilation=(1, 1),
                        output_padding=(0, 0), group=1):
    """A read-only zero array (no memory) shaped like the output of a transposed convolution
    of ``x (N, C_in, H, W)`` with ``w (C_in, C_out / group, kh, kw)``: the adjoint kernel
    reads only its shape.  Per axis: 'same' ``H s``; 'valid' ``(H - 1) s + d (k - 1) + 1``;
    ``(top, bottom, left, right)``: ``(H - 1) s - top - bottom + d (k - 1) + 1 +
    output_padding``."""
    n, _, h, wd = np.shape(x)
    _, cg, kh, kw = np.shape(w)
    out = []
    pads = None if isinstance(pad, str) else ((pad[0], pad[1]), (pad[2], pad[3]))
    for i, (size, k, s, d, extra) in enumerate(zip((h, wd), (kh, kw), _pair(stride),
                                                   _pair(dilation), _pair(output_padding))):
        if pad == "same":
            out.append(size * s)
        elif pad == "valid":
            out.append((size - 1) * s + d * (k - 1) + 1)
        else:
            out.append((size - 1) * s - sum(pads[i]) + d * (k - 1) + 1 + extra)
    if min(out) <= 0:
        raise ValueError("conv_transpose2d: the output would be %s" % (tuple(out),))
    shape = (n, cg * group) + tuple(out)
    return np.broadcast_to(np.zeros((), np.result_type(x, w)), shape)


# ---------------------------------------------------------------------------------------
# class targets of a cross entropy: class indices or class probabilities, told apart at run
# time by the labels' dtype
# ---------------------------------------------------------------------------------------

@_tag("class_targets")
def class_targets(labels, like, axis=1, ignore_index=None):
    """Float targets shaped like ``like`` (classes along ``axis``): float ``labels`` (class
    probabilities) as they are, integer ``labels`` (class indices) one-hot, all zeros where
    the index is ``ignore_index``."""
    labels = np.asarray(labels)
    like = np.asarray(like)
    dtype = _float_dtype(like)
    if labels.dtype.kind == "f":
        if labels.shape != like.shape:
            raise ValueError("cross entropy: class-probability labels must be shaped like the "
                             "logits %s, got %s" % (like.shape, labels.shape))
        return labels.astype(dtype, copy=False)
    ax = axis % like.ndim
    depth = like.shape[ax]
    hot = np.expand_dims(labels, ax) == np.arange(depth).reshape(
        (-1,) + (1,) * (like.ndim - 1 - ax))
    if ignore_index is not None:
        hot = hot & np.expand_dims(labels != ignore_index, ax)
    return hot.astype(dtype)


@_tag("soft_labels")
def soft_labels(labels, like):
    """1 (in ``like``'s float dtype) when ``labels`` are class probabilities (a float dtype),
    0 when they are class indices."""
    return np.asarray(1.0 if np.asarray(labels).dtype.kind == "f" else 0.0,
                      _float_dtype(like))


KERNEL_NAMES = ("max_pool2d_indices", "adaptive_max_pool2d_indices",
                "adaptive_max_pool2d_forward", "adaptive_max_pool2d_scatter",
                "adaptive_max_pool2d_gather", "class_targets", "soft_labels", "max_pool2d_forward", "max_pool2d_scatter", "max_pool2d_gather", "pool_matrix",
                "resize_matrix", "pixel_shuffle", "pixel_unshuffle", "conv_transpose_like",
                "depth_to_space", "space_to_depth")
"""The kernels that primitive and rule templates call by name."""
