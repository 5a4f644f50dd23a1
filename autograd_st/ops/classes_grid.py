"""MindSpore's spatial-transformer primitive classes (``ops.AffineGrid``,
``ops.GridSampler2D``, ``ops.GridSampler3D``) with MindSpore 2.10's constructor signatures
and defaults: each instance is a constant to the compiler, its call a function of
:mod:`autograd_st.table_grid` (over the primitives of :mod:`autograd_st.rules_grid`).

Takes: :class:`~autograd_st.ops.primitive_base.Primitive` and the adapters of
:mod:`autograd_st.table_grid`.  Gives: the classes (``operations`` publishes them).
"""
from __future__ import annotations

from .. import table_grid
from .primitive_base import Primitive

__all__ = ["AffineGrid", "GridSampler2D", "GridSampler3D"]


class AffineGrid(Primitive):
    """MindSpore's ``ops.AffineGrid(align_corners=False)``: ``op(theta, output_size)`` is
    ``ops.affine_grid(theta, output_size, align_corners)``."""

    def __init__(self, align_corners=False) -> None:
        if not isinstance(align_corners, bool):
            raise TypeError("For 'AffineGrid', 'align_corners' must be a bool, but got %r"
                            % (align_corners,))
        self.align_corners = align_corners

    def __call__(self, theta, output_size):
        return table_grid.affine_grid(theta, output_size, self.align_corners)


class _GridSampler(Primitive):
    _name = ""

    def __init__(self, interpolation_mode="bilinear", padding_mode="zeros",
                 align_corners=False) -> None:
        if not isinstance(align_corners, bool):
            raise TypeError("For '%s', 'align_corners' must be a bool, but got %r"
                            % (self._name, align_corners))
        self.interpolation_mode, self.padding_mode = interpolation_mode, padding_mode
        self.align_corners = align_corners

    def __call__(self, input_x, grid):
        return table_grid.grid_sample(input_x, grid, self.interpolation_mode,
                                      self.padding_mode, self.align_corners)


class GridSampler2D(_GridSampler):
    """MindSpore's ``ops.GridSampler2D(interpolation_mode='bilinear', padding_mode='zeros',
    align_corners=False)``: ``op(input_x (N, C, H, W), grid (N, Ho, Wo, 2))`` is
    ``ops.grid_sample``'s ``(N, C, Ho, Wo)``."""

    _name = "GridSampler2D"


class GridSampler3D(_GridSampler):
    """MindSpore's ``ops.GridSampler3D(interpolation_mode='bilinear', padding_mode='zeros',
    align_corners=False)``: ``op(input_x (N, C, D, H, W), grid (N, Do, Ho, Wo, 3))`` is
    ``ops.grid_sample``'s ``(N, C, Do, Ho, Wo)``."""

    _name = "GridSampler3D"
