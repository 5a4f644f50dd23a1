"""Numpy kernels behind the spatial-transformer primitives of :mod:`autograd_st.rules_grid`
(``ops.affine_grid`` / ``ops.AffineGrid``, ``ops.grid_sample`` / ``ops.GridSampler2D`` /
``ops.GridSampler3D``), computing what MindSpore 2.10's CPU kernels compute, in the input's
dtype (measured in the side venv; the figures are in ``tests/test_grid_sample.py``).

Takes: numpy.  Gives: the kernels.

``grid_sample`` is split in two steps, each a primitive:

- ``grid_unnormalize(g, like, k, padding_mode, align_corners)``: coordinate ``k`` of the grid
  (``grid[..., k]``, values in ``[-1, 1]``; 0 is x, the image's last axis) as pixel
  coordinates, with the padding mode's folding (``border``: clipped to ``[0, size - 1]``;
  ``reflection``: reflected about the image's edges, then clipped); it is piecewise linear,
  its slope ``grid_unnormalize_slope`` (piecewise constant, no gradient);
- ``grid_interp(x, cx, cy, cz, mode, ox, oy, oz)``: ``x (N, C, *S)`` sampled at the pixel
  coordinates ``(N, *O)`` of each spatial axis (a 4-D image does not read ``cz``: the
  primitives take three coordinates whatever the rank, which compiled code only knows at run
  time), a sum over the 2^d corners of each sample's cell of ``x[corner]`` times one weight
  per axis; a corner outside the image reads 0 (``zeros`` padding).  ``ox``, ``oy``, ``oz``
  are derivative orders in the coordinates: order 0 weighs the two corners ``(1 - f, f)``
  (``f`` the coordinate's fraction), order 1 ``(-1, 1)``, order 2 and above 0 (bilinear
  weights are linear in each coordinate), so the derivative of an interpolation in a
  coordinate is another interpolation, and every order is written.  ``nearest`` reads the
  one corner at the rounded coordinate (halves away from zero, measured), order 0 only.  Its
  adjoint in ``x`` is ``grid_scatter`` (the same weights, summed into the image).
"""
from __future__ import annotations

import numpy as np

from .kernels import _tag

__all__ = ["affine_grid", "affine_grid_grad", "grid_unnormalize", "grid_unnormalize_slope",
           "interp", "scatter", "grid_interp", "grid_scatter"]


# ---------------------------------------------------------------------------------------
# affine_grid: theta (N, d, d + 1) applied to the normalized base grid of size (N, C, *S)
# ---------------------------------------------------------------------------------------

def _base(size, align_corners, dtype):
    """``(prod S, d + 1)``: each output point's normalized ``(x, y[, z], 1)``, x fastest."""
    spatial = tuple(int(s) for s in size[2:])
    axes = []
    for s in spatial:
        line = np.linspace(-1.0, 1.0, s) if s > 1 else np.zeros(1)  # (MindSpore: 0)
        if not align_corners:
            line = line * (s - 1) / s
        axes.append(line)
    mesh = np.meshgrid(*axes, indexing="ij")  # (D,) H, W order
    cols = [m.ravel() for m in reversed(mesh)]  # x (the last axis) first
    cols.append(np.ones(int(np.prod(spatial))))
    return np.stack(cols, axis=-1).astype(dtype)


@_tag("affine_grid")
def affine_grid(theta, size, align_corners=False):
    """``(N, *S, d)``: ``theta[n] @ (x, y[, z], 1)`` at each point of the normalized grid of
    ``size = (N, C, *S)`` (``align_corners``: the corner pixels' centres at -1 and 1; else
    the image's edges)."""
    base = _base(size, align_corners, theta.dtype)
    n, d = theta.shape[0], theta.shape[1]
    out = np.einsum("pk,njk->npj", base, theta)
    return out.reshape((n,) + tuple(int(s) for s in size[2:]) + (d,))


@_tag("affine_grid_grad")
def affine_grid_grad(dout, size, align_corners=False):
    """The adjoint of :func:`affine_grid` in ``theta``: ``(N, d, d + 1)``."""
    d = dout.shape[-1]
    base = _base(size, align_corners, dout.dtype)
    return np.einsum("npj,pk->njk", dout.reshape(dout.shape[0], -1, d), base)


# ---------------------------------------------------------------------------------------
# one grid axis as pixel coordinates, with the padding mode's folding
# ---------------------------------------------------------------------------------------

def _unnormalize(g, size, padding_mode, align_corners):
    """(coordinates, slope): ``g`` as pixel coordinates of an axis of ``size`` pixels and
    their derivative in ``g``."""
    g = np.asarray(g)
    dtype = g.dtype if g.dtype.kind == "f" else np.dtype(np.float64)
    scale = (size - 1) / 2.0 if align_corners else size / 2.0
    c = ((g + 1) * scale - (0.0 if align_corners else 0.5)).astype(dtype)
    slope = np.full(c.shape, scale, dtype)
    if padding_mode == "zeros":
        return c, slope
    if padding_mode == "reflection":
        low, high = (0.0, 2.0 * (size - 1)) if align_corners else (-1.0, 2.0 * size - 1)
        if low == high:
            c, slope = np.zeros_like(c), np.zeros_like(slope)
        else:
            lo, span = low / 2.0, (high - low) / 2.0
            shifted = c - lo
            sign = np.where(shifted < 0, -1.0, 1.0).astype(dtype)
            shifted = np.abs(shifted)
            extra = np.fmod(shifted, span)
            flips = np.floor(shifted / span)
            even = np.fmod(flips, 2) == 0
            c = np.where(even, extra + lo, span - extra + lo).astype(dtype)
            slope = slope * sign * np.where(even, 1.0, -1.0).astype(dtype)
    inside = (c > 0) & (c < size - 1)
    return np.clip(c, 0, size - 1).astype(dtype), np.where(inside, slope, 0).astype(dtype)


@_tag("grid_unnormalize")
def grid_unnormalize(g, like, k, padding_mode="zeros", align_corners=False):
    """One grid axis ``g`` (normalized, -1 .. 1; coordinate ``k`` of images like ``like``)
    as pixel coordinates of that axis of ``size`` pixels (``align_corners``: -1 and 1 the
    corner pixels' centres, ``(g + 1) / 2 (size - 1)``; else the image's edges, ``((g + 1)
    size - 1) / 2``), folded by the padding mode; zeros past the image's rank."""
    if k >= like.ndim - 2:
        return np.zeros_like(g)
    return _unnormalize(g, like.shape[-1 - k], padding_mode, align_corners)[0]


@_tag("grid_unnormalize_slope")
def grid_unnormalize_slope(g, like, k, padding_mode="zeros", align_corners=False):
    """The derivative of :func:`grid_unnormalize` in ``g`` (piecewise constant: the scale,
    its sign flipped where reflection folds, 0 where ``border`` / ``reflection`` clip, and
    0 for a coordinate past the image's rank)."""
    if k >= like.ndim - 2:
        return np.zeros_like(g)
    return _unnormalize(g, like.shape[-1 - k], padding_mode, align_corners)[1]


# ---------------------------------------------------------------------------------------
# sampling at pixel coordinates, and its adjoint in the image
# ---------------------------------------------------------------------------------------

def _axis_taps(c, size, mode, order):
    """The taps of one axis: a list of ``(index, weight)`` (``(N, P)`` each, the index
    clipped into the image and the weight 0 where the index is outside it)."""
    c = np.asarray(c)
    if mode == "nearest":
        i = np.sign(c) * np.floor(np.abs(c) + 0.5)  # (MindSpore: halves away from 0)
        taps = [(i, np.full(c.shape, 1.0 if order == 0 else 0.0, c.dtype))]
    else:
        i0 = np.floor(c)
        f = c - i0
        if order == 0:
            w0, w1 = 1 - f, f
        elif order == 1:
            w0, w1 = -np.ones_like(f), np.ones_like(f)
        else:
            w0 = w1 = np.zeros_like(f)
        taps = [(i0, w0), (i0 + 1, w1)]
    out = []
    for i, w in taps:
        ok = (i >= 0) & (i <= size - 1)
        out.append((np.where(ok, i, 0).astype(np.int64), np.where(ok, w, 0)))
    return out


def _corners(coords, spatial, mode, orders):
    """``(flat index, weight)`` per corner of every sample's cell: ``(N, P)`` each, the
    index into the image's ``prod S`` pixels."""
    n = coords[0].shape[0]
    corners = [(np.zeros((n, coords[0][0].size), np.int64), 1.0)]
    strides = np.cumprod((1,) + tuple(reversed(spatial)))[:-1]  # x, y, z strides
    for k, c in enumerate(coords):
        size = spatial[len(spatial) - 1 - k]
        taps = _axis_taps(c.reshape(n, -1), size, mode, orders[k])
        corners = [(idx + i * strides[k], w * wk) for idx, w in corners for i, wk in taps]
    return corners


def interp(x, coords, mode="bilinear", orders=None):
    """``(N, C, *O)``: ``x (N, C, *S)`` sampled at ``coords`` (``len(S)`` arrays ``(N,
    *O)``, the x (last axis) coordinate first), each axis's weights of derivative order
    ``orders[k]``."""
    spatial = x.shape[2:]
    orders = orders or (0,) * len(coords)
    n, ch = x.shape[:2]
    flat = x.reshape(n, ch, -1)
    out = np.zeros((n, ch, coords[0][0].size), x.dtype)
    for idx, w in _corners(coords, spatial, mode, orders):
        out += np.take_along_axis(flat, idx[:, None, :], axis=2) \
            * np.asarray(w, x.dtype)[:, None, :]
    return out.reshape((n, ch) + coords[0].shape[1:])


def scatter(dy, coords, like, mode="bilinear", orders=None):
    """The adjoint of :func:`interp` in ``x``: ``dy (N, C, *O)`` summed into an image
    shaped like ``like``, with the same weights."""
    spatial = like.shape[2:]
    orders = orders or (0,) * len(coords)
    n, ch = like.shape[:2]
    pixels = int(np.prod(spatial))
    rows = (np.arange(n * ch) * pixels).reshape(n, ch, 1)
    src = dy.reshape(n, ch, -1)
    index, weight = [], []
    for idx, w in _corners(coords, spatial, mode, orders):
        index.append((rows + idx[:, None, :]).ravel())
        weight.append((src * np.asarray(w)[:, None, :]).ravel())
    out = np.bincount(np.concatenate(index), np.concatenate(weight), minlength=n * ch * pixels)
    return out.astype(np.result_type(dy, like)).reshape(like.shape)


def _coords(x, cx, cy, cz, orders):
    """The coordinates ``x`` (4-D: cx, cy; 5-D: cx, cy, cz) reads, or None where an order
    falls on a coordinate it does not read (the derivative is 0)."""
    d = x.ndim - 2
    if d not in (2, 3) or cx.ndim != x.ndim - 1 or cx.shape[0] != x.shape[0]:
        raise ValueError("For 'GridSampler%dD', 'input' must be 4-D or 5-D and 'grid' of the "
                         "same batch and rank, but got input %s and grid points %s"
                         % (max(d, 2), x.shape, cx.shape))
    if d == 2 and orders[2]:
        return None
    return (cx, cy, cz)[:d]


@_tag("grid_interp")
def grid_interp(x, cx, cy, cz, mode="bilinear", ox=0, oy=0, oz=0):
    """:func:`interp` of a 4-D ``x`` at ``(cx, cy)`` (``cz`` not read) or of a 5-D one at
    ``(cx, cy, cz)``, of derivative orders ``(ox, oy, oz)``."""
    coords = _coords(x, cx, cy, cz, (ox, oy, oz))
    if coords is None:
        return np.zeros(x.shape[:2] + cx.shape[1:], x.dtype)
    return interp(x, coords, mode, (ox, oy, oz))


@_tag("grid_scatter")
def grid_scatter(dy, cx, cy, cz, like, mode="bilinear", ox=0, oy=0, oz=0):
    """:func:`scatter` into an image like ``like`` from ``(cx, cy[, cz])``."""
    coords = _coords(like, cx, cy, cz, (ox, oy, oz))
    if coords is None:
        return np.zeros(like.shape, np.result_type(dy, like))
    return scatter(dy, coords, like, mode, (ox, oy, oz))
