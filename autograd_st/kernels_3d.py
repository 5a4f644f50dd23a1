"""Numpy kernels behind the 3-D layers of :mod:`autograd_st.rules_nn3d` (``nn.Conv3d``,
``nn.Conv3dTranspose``, ``nn.MaxPool3d``, ``nn.AdaptiveMaxPool3d``, ``nn.MaxUnpool*d``).

Takes: raw numpy arrays and Python constants.  Gives: the convolution over the last ``r``
axes (``r = w.ndim - 2``; the layers use ``r = 3``) and its two adjoints, the flat indices of
max pooling's and adaptive max pooling's maxima in the input's volume, and the two linear maps
over such indices (:func:`gather_volume`, :func:`scatter_volume`, each the other's adjoint),
of which max pooling and max unpooling are made.  A kernel that *is* a primitive carries the
``_autograd_st_prim`` tag (same parameters, same order), as in :mod:`autograd_st.kernels`.

``pad`` of a convolution or pooling: 'valid', 'same' (output ``ceil(D / stride)``, the odd
padding at the back, bottom and right) or ``(front, back, top, bottom, left, right)``.
"""
from __future__ import annotations

import itertools

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .kernels import _tag
from .kernels_conv import pool_axis_pads

__all__ = ["conv_nd_pads", "conv3d_forward", "conv3d_grad_input", "conv3d_grad_weight",
           "conv3d_transpose_like", "max_pool3d_indices", "adaptive_max_pool3d_indices",
           "gather_volume", "scatter_volume", "KERNEL_NAMES"]


def _tuple(value, n: int) -> tuple:
    if isinstance(value, (int, np.integer)):
        return (int(value),) * n
    return tuple(int(v) for v in value)


def conv_nd_pads(sizes, kernel, stride, dilation, pad) -> tuple:
    """``(before, after)`` per spatial axis of a convolution."""
    n = len(sizes)
    if isinstance(pad, str):
        if pad == "valid":
            return ((0, 0),) * n
        if pad != "same":
            raise ValueError("conv3d: pad must be 'same', 'valid' or %d ints, not %r"
                             % (2 * n, pad))
        out = []
        for size, k, s, d in zip(sizes, kernel, _tuple(stride, n), _tuple(dilation, n)):
            o = -(-size // s)
            need = max(0, (o - 1) * s + (k - 1) * d + 1 - size)
            out.append((need // 2, need - need // 2))
        return tuple(out)
    p = _tuple(pad, 2 * n)
    return tuple((p[2 * i], p[2 * i + 1]) for i in range(n))


def _geometry(x_shape, w_shape, stride, pad, dilation, group):
    r = len(w_shape) - 2
    c, cg = x_shape[1], w_shape[1]
    if c != cg * group:
        raise ValueError("conv3d: input has %d channels but weight expects %d x group %d"
                         % (c, cg, group))
    sizes, kernel = x_shape[2:], w_shape[2:]
    pads = conv_nd_pads(sizes, kernel, stride, dilation, pad)
    out = tuple((size + b + a - (k - 1) * d - 1) // s + 1 for size, k, s, d, (b, a)
                in zip(sizes, kernel, _tuple(stride, r), _tuple(dilation, r), pads))
    if min(out) <= 0:
        raise ValueError("conv3d: a kernel of %s does not fit an input of %s (padding %s)"
                         % (tuple(kernel), tuple(sizes), pads))
    return pads, out


def _windows(x, kernel, stride, pads, dilation, group):
    """im2col view ``(N, G, C/G, O1..Or, k1..kr)``."""
    r = len(kernel)
    st, dl = _tuple(stride, r), _tuple(dilation, r)
    if any(b or a for b, a in pads):
        x = np.pad(x, ((0, 0), (0, 0)) + tuple(pads))
    spans = tuple((k - 1) * d + 1 for k, d in zip(kernel, dl))
    win = sliding_window_view(x, spans, axis=tuple(range(2, 2 + r)))
    win = win[(slice(None), slice(None)) + tuple(slice(None, None, s) for s in st)
              + tuple(slice(None, None, d) for d in dl)]
    n, c = win.shape[:2]
    return win.reshape((n, group, c // group) + win.shape[2:])


def _cols(x, kernel, stride, pads, dilation, group):
    """im2col ``(N, G, C/G prod(k), prod(O))``, one copy."""
    r = len(kernel)
    win = _windows(x, kernel, stride, pads, dilation, group)
    n, g, cg = win.shape[:3]
    out = win.shape[3:3 + r]
    axes = (0, 1, 2) + tuple(range(3 + r, 3 + 2 * r)) + tuple(range(3, 3 + r))
    return win.transpose(axes).reshape(n, g, cg * int(np.prod(kernel)), int(np.prod(out)))


@_tag("conv3d")
def conv3d_forward(x, w, stride=(1, 1, 1), pad="valid", dilation=(1, 1, 1), group=1):
    """``y[n, o, i..] = sum_{c, p..} xpad[n, c, i s + p d ..] w[o, c, p..]`` over the last
    ``w.ndim - 2`` axes: im2col columns times the weight as a matrix, one batched matmul."""
    o = w.shape[0]
    pads, out = _geometry(x.shape, w.shape, stride, pad, dilation, group)
    dtype = np.result_type(x, w)
    cols = _cols(np.asarray(x, dtype), w.shape[2:], stride, pads, dilation, group)
    wm = np.asarray(w, dtype).reshape(group, o // group, -1)
    return np.matmul(wm, cols).reshape((x.shape[0], o) + out)


@_tag("conv3d_grad_input")
def conv3d_grad_input(dy, w, like, stride=(1, 1, 1), pad="valid", dilation=(1, 1, 1), group=1):
    """The adjoint of ``x -> conv3d(x, w)`` applied to ``dy``, shaped like ``like``: the
    column gradient ``w.T @ dy`` (one batched matmul), then col2im, one strided slab per
    kernel tap."""
    shape = tuple(np.shape(like))
    n, c = shape[:2]
    o, cg = w.shape[:2]
    kernel = w.shape[2:]
    r = len(kernel)
    pads, out = _geometry(shape, w.shape, stride, pad, dilation, group)
    st, dl = _tuple(stride, r), _tuple(dilation, r)
    dtype = np.result_type(dy, w)
    dyg = np.reshape(np.asarray(dy, dtype), (n, group, o // group, -1))
    wm = np.asarray(w, dtype).reshape(group, o // group, -1)
    dcols = np.matmul(wm.swapaxes(-1, -2), dyg).reshape((n, group, cg) + kernel + out)
    padded = tuple(size + b + a for size, (b, a) in zip(shape[2:], pads))
    dxp = np.zeros((n, group, cg) + padded, dtype)
    for tap in itertools.product(*(range(k) for k in kernel)):
        index = tuple(slice(t * d, t * d + s * (m - 1) + 1, s)
                      for t, d, s, m in zip(tap, dl, st, out))
        dxp[(Ellipsis,) + index] += dcols[(slice(None),) * 3 + tap]
    dxp = dxp.reshape((n, c) + padded)
    if any(b or a for b, a in pads):
        return dxp[(slice(None), slice(None))
                   + tuple(slice(b, b + size) for size, (b, _) in zip(shape[2:], pads))]
    return dxp


@_tag("conv3d_grad_weight")
def conv3d_grad_weight(x, dy, like, stride=(1, 1, 1), pad="valid", dilation=(1, 1, 1), group=1):
    """The adjoint of ``w -> conv3d(x, w)`` applied to ``dy``, shaped like ``like``:
    ``sum_n dy[n] @ cols[n].T`` per group."""
    wshape = tuple(np.shape(like))
    o = wshape[0]
    pads, _ = _geometry(x.shape, wshape, stride, pad, dilation, group)
    dtype = np.result_type(x, dy)
    n = x.shape[0]
    dyg = np.reshape(np.asarray(dy, dtype), (n, group, o // group, -1))
    cols = _cols(np.asarray(x, dtype), wshape[2:], stride, pads, dilation, group)
    return np.matmul(dyg, cols.swapaxes(-1, -2)).sum(axis=0).reshape(wshape)


@_tag("conv3d_transpose_like")
def conv3d_transpose_like(x, w, stride=(1, 1, 1), pad="valid", dilation=(1, 1, 1),
                          output_padding=(0, 0, 0), group=1):
    """A read-only zero array shaped like the output of a transposed 3-D convolution of ``x
    (N, C_in, D, H, W)`` with ``w (C_in, C_out / group, kd, kh, kw)``.  Per axis: 'same'
    ``D s``; 'valid' ``(D - 1) s + d (k - 1) + 1``; 6 ints: ``(D - 1) s - before - after +
    d (k - 1) + 1 + output_padding``."""
    shape = np.shape(x)
    wshape = np.shape(w)
    r = len(wshape) - 2
    out = []
    pads = None if isinstance(pad, str) else conv_nd_pads(shape[2:], wshape[2:], 1, 1, pad)
    for i, (size, k, s, d, extra) in enumerate(zip(shape[2:], wshape[2:], _tuple(stride, r),
                                                   _tuple(dilation, r),
                                                   _tuple(output_padding, r))):
        if pad == "same":
            out.append(size * s)
        elif pad == "valid":
            out.append((size - 1) * s + d * (k - 1) + 1 + extra)
        else:
            out.append((size - 1) * s - sum(pads[i]) + d * (k - 1) + 1 + extra)
    if min(out) <= 0:
        raise ValueError("conv3d_transpose: the output would be %s" % (tuple(out),))
    return np.broadcast_to(np.zeros((), np.result_type(x, w)),
                           (shape[0], wshape[1] * group) + tuple(out))


# ---------------------------------------------------------------------------------------
# max pooling over the last three axes, as flat indices into the input's volume; the pooled
# values are gather_volume(x, indices), their gradient scatter_volume
# ---------------------------------------------------------------------------------------

@_tag("max_pool3d_indices")
def max_pool3d_indices(x, kernel=(1, 1, 1), stride=(1, 1, 1), pad="valid", dilation=(1, 1, 1),
                       ceil_mode=False):
    """Per output element, the flat index ``(d H + h) W + w`` in the (unpadded) ``D x H x W``
    volume of its window's first maximum (padding never wins), int64."""
    x = np.asarray(x)
    sizes = x.shape[-3:]
    kernel, stride, dilation = _tuple(kernel, 3), _tuple(stride, 3), _tuple(dilation, 3)
    if isinstance(pad, str):
        axis_pads = (pad,) * 3
    else:
        p = _tuple(pad, 6)
        axis_pads = tuple((p[2 * i], p[2 * i + 1]) for i in range(3))
    geo = [pool_axis_pads(size, k, s, d, ap, ceil_mode)
           for size, k, s, d, ap in zip(sizes, kernel, stride, dilation, axis_pads)]
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    widths = [(0, 0)] * (x.ndim - 3) + [(b, a) for b, a, _, _ in geo]
    xp = np.pad(x, widths, constant_values=fill) if any(b or a for b, a, _, _ in geo) else x
    outs = tuple(g[2] for g in geo)
    best = None
    where = None
    for tap in itertools.product(*(range(k) for k in kernel)):
        index = tuple(slice(t * d, t * d + s * (m - 1) + 1, s)
                      for t, d, s, m in zip(tap, dilation, stride, outs))
        slab = xp[(Ellipsis,) + index]
        pos = [np.arange(m) * s + t * d - g[0]
               for m, s, t, d, g in zip(outs, stride, tap, dilation, geo)]
        flat = ((pos[0][:, None, None] * sizes[1] + pos[1][None, :, None]) * sizes[2]
                + pos[2][None, None, :])
        if best is None:
            best = slab.copy()
            where = np.broadcast_to(flat, slab.shape).copy()
            continue
        better = (slab > best) | (np.isnan(slab) & ~np.isnan(best)) if x.dtype.kind == "f" \
            else slab > best
        np.copyto(best, slab, where=better)
        np.copyto(where, np.broadcast_to(flat, slab.shape), where=better)
    return where.astype(np.int64)


def _adaptive_bins(n, out):
    i = np.arange(out)
    starts = (i * n) // out
    ends = -(-((i + 1) * n) // out)
    return starts, ends


@_tag("adaptive_max_pool3d_indices")
def adaptive_max_pool3d_indices(x, output_size=(1, 1, 1)):
    """Per adaptive bin (bin ``i`` covers ``floor(i D / out) .. ceil((i + 1) D / out)``), the
    flat index in the ``D x H x W`` volume of its first maximum, int64 (``output_size``: an
    int or 3 ints, None keeping that axis)."""
    x = np.asarray(x)
    sizes = x.shape[-3:]
    if isinstance(output_size, (int, np.integer)):
        output_size = (output_size,) * 3
    outs = tuple(s if o is None else int(o) for s, o in zip(sizes, output_size))
    bins = [_adaptive_bins(s, o) for s, o in zip(sizes, outs)]
    result = np.zeros(x.shape[:-3] + outs, np.int64)
    for i in range(outs[0]):
        for j in range(outs[1]):
            for k in range(outs[2]):
                (d0, d1), (h0, h1), (w0, w1) = ((b[0][q], b[1][q]) for b, q in
                                                zip(bins, (i, j, k)))
                win = x[..., d0:d1, h0:h1, w0:w1]
                a = win.reshape(win.shape[:-3] + (-1,)).argmax(axis=-1)
                dd, hh, ww = np.unravel_index(a, win.shape[-3:])
                result[..., i, j, k] = ((dd + d0) * sizes[1] + hh + h0) * sizes[2] + ww + w0
    return result


@_tag("gather_volume")
def gather_volume(v, index, nd=3):
    """``v`` read at flat indices ``index`` into its last ``nd`` axes (``index``: the leading
    axes of ``v``, then any output axes)."""
    v = np.asarray(v)
    lead = index.shape[:index.ndim - nd]
    flat = np.broadcast_to(v, lead + v.shape[v.ndim - nd:]).reshape(lead + (-1,))
    return np.take_along_axis(flat, index.reshape(lead + (-1,)), axis=-1).reshape(index.shape)


@_tag("scatter_volume")
def scatter_volume(g, index, sizes=(1, 1, 1)):
    """Zeros shaped ``index``'s leading axes + ``sizes`` with each ``g`` element added at its
    flat index ``index`` into the last ``len(sizes)`` axes (the adjoint of
    :func:`gather_volume`; max unpooling)."""
    index = np.asarray(index)
    sizes = tuple(int(s) for s in sizes)
    nd = len(sizes)
    g = np.broadcast_to(np.asarray(g), index.shape)
    dtype = g.dtype if g.dtype.kind in "fc" else np.dtype(np.float64)
    lead_shape = index.shape[:index.ndim - nd]
    lead = int(np.prod(lead_shape, dtype=np.int64))
    vol = int(np.prod(sizes, dtype=np.int64))
    idx = index.reshape(lead, -1).astype(np.int64)
    if idx.size and (idx.min() < 0 or idx.max() >= vol):
        raise ValueError("max_unpool: an index (%d .. %d) is outside the output's %d elements "
                         "per channel; check kernel_size, stride, padding and output_size"
                         % (idx.min(), idx.max(), vol))
    flat = (np.arange(lead).reshape((-1, 1)) * vol + idx).ravel()
    acc = np.bincount(flat, weights=g.ravel().astype(np.float64), minlength=lead * vol)
    return acc.reshape(lead_shape + sizes).astype(dtype)


# ---------------------------------------------------------------------------------------
# nn.MatInverse, nn.MatDet: the inverse and the determinant of (batches of) square matrices
# ---------------------------------------------------------------------------------------

KERNEL_NAMES = ("conv3d_forward", "conv3d_grad_input", "conv3d_grad_weight",
                "conv3d_transpose_like", "max_pool3d_indices", "adaptive_max_pool3d_indices",
                "gather_volume", "scatter_volume")
"""The kernels that primitive and rule templates call by name (generated code's globals)."""
