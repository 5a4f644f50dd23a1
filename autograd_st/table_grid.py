"""The op-table rows of the spatial-transformer functionals (``ops.affine_grid``,
``ops.grid_sample``), MindSpore 2.10's signatures and defaults (measured in the side venv),
over the primitives of :mod:`autograd_st.rules_grid`; the primitive classes
(``ops.AffineGrid``, ``ops.GridSampler2D``, ``ops.GridSampler3D``) are in
``autograd_st.ops.classes_grid``.

Takes: :class:`~autograd_st.op_row.Op`, :data:`~autograd_st.prims.P`.  Gives: :data:`OPS`
and the adapters.
"""
from __future__ import annotations

import numpy as np

from . import rules_grid  # noqa: F401  (registers the primitives the rows name)
from .op_row import Op
from .prims import P, has_sym

__all__ = ["OPS", "affine_grid", "grid_sample"]

_MODES = ("bilinear", "nearest")
_PADDINGS = ("zeros", "border", "reflection")


def affine_grid(theta, size, align_corners=False):
    """MindSpore's ``ops.affine_grid(theta, size, align_corners=False)``: the ``(N, H, W, 2)``
    (``size = (N, C, H, W)``, ``theta (N, 2, 3)``) or ``(N, D, H, W, 3)`` (``size = (N, C,
    D, H, W)``, ``theta (N, 3, 4)``) grid of normalized points ``theta[n] @ (x, y[, z],
    1)``, ``x`` running over ``W`` points from -1 to 1 (``align_corners``: the corner
    pixels' centres; else the image's edges, ``x (W - 1) / W``; one point: 0).
    Differentiable in ``theta``."""
    if not isinstance(align_corners, bool):
        raise TypeError("For 'AffineGrid', 'align_corners' must be a bool, but got %r"
                        % (align_corners,))
    if not isinstance(size, (tuple, list)) or len(size) not in (4, 5) \
            or not all(isinstance(s, (int, np.integer)) and s > 0 for s in size):
        raise ValueError("For 'AffineGrid', 'size' must be a tuple of 4 or 5 positive ints "
                         "(N, C, [D,] H, W), but got %r" % (size,))
    size = tuple(int(s) for s in size)
    d = len(size) - 2
    if not has_sym(theta) and np.shape(theta) != (size[0], d, d + 1):
        raise ValueError("For 'AffineGrid', 'theta' must be of shape %s for 'size' %s, but "
                         "got %s" % ((size[0], d, d + 1), size, np.shape(theta)))
    return P.affine_grid(theta, size, align_corners)


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """MindSpore's ``ops.grid_sample(input, grid, mode='bilinear', padding_mode='zeros',
    align_corners=None)``: ``input (N, C, H, W)`` sampled at ``grid (N, Ho, Wo, 2)``'s
    normalized points ``(x, y)`` (or ``(N, C, D, H, W)`` at ``(N, Do, Ho, Wo, 3)``'s ``(x, y,
    z)``), ``(N, C, Ho, Wo)``; -1 and 1 are the corner pixels' centres (``align_corners``)
    or the image's edges (``False``, ``None``); ``mode`` ``'bilinear'`` or ``'nearest'``
    (halves rounded away from 0); a point outside reads 0 (``'zeros'``), the nearest edge
    (``'border'``) or its reflection about the edges (``'reflection'``).  Differentiable in
    ``input`` and ``grid`` (``'nearest'``: 0 in the grid, as MindSpore)."""
    align = False if align_corners is None else align_corners
    dims = "2D" if has_sym(input) or np.ndim(input) != 5 else "3D"
    if not isinstance(align, bool):
        raise TypeError("For 'GridSampler%s', 'align_corners' must be a bool, but got %r"
                        % (dims, align_corners))
    if mode not in _MODES:
        raise ValueError("For 'GridSampler%s', 'mode' must be one of %s (MindSpore 2.10 has "
                         "no other), but got %r" % (dims, ", ".join(_MODES), mode))
    if padding_mode not in _PADDINGS:
        raise ValueError("For 'GridSampler%s', 'padding_mode' must be one of %s, but got %r"
                         % (dims, ", ".join(_PADDINGS), padding_mode))
    if not has_sym(input) and not has_sym(grid):
        xs, gs = np.shape(input), np.shape(grid)
        if len(xs) not in (4, 5) or len(gs) != len(xs) or gs[0] != xs[0] \
                or gs[-1] != len(xs) - 2:
            raise ValueError("For 'GridSampler%s', 'input' must be (N, C, H, W) with 'grid' "
                             "(N, Ho, Wo, 2), or (N, C, D, H, W) with (N, Do, Ho, Wo, 3), but "
                             "got input %s and grid %s" % (dims, xs, gs))
    if mode == "nearest":
        grid = P.stop_gradient(grid)
    cx, cy, cz = (P.grid_unnormalize(P.getitem(grid, (Ellipsis, i)), input, k, padding_mode,
                                     align)
                  for i, k in ((0, 0), (1, 1), (-1, 2)))
    return P.grid_interp(input, cx, cy, cz, mode)


#: the rows (see :mod:`autograd_st.op_table`).
OPS: tuple[Op, ...] = (
    Op("affine_grid", fn=affine_grid, ops=("affine_grid",)),
    Op("grid_interp", fn=grid_sample, ops=("grid_sample",)),
)
