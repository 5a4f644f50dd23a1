"""Primitives of the spatial-transformer ops (``ops.affine_grid`` / ``ops.AffineGrid``,
``ops.grid_sample`` / ``ops.GridSampler2D`` / ``ops.GridSampler3D``), registered in the one
registry of :mod:`autograd_st.rules`, with reverse and forward rules made of primitives (so
every order is written):

- ``affine_grid``: linear in ``theta``, its reverse rule ``affine_grid_grad`` (whose own rule
  is ``affine_grid``: each the other's adjoint);
- ``grid_unnormalize``: one grid coordinate as pixel coordinates (piecewise linear), its
  derivative ``grid_unnormalize_slope`` (piecewise constant: no gradient);
- ``grid_interp``: the image sampled at pixel coordinates, linear in the image (its adjoint
  ``grid_scatter``) and, bilinearly, in the coordinates: its derivative in a coordinate is
  ``grid_interp`` with that coordinate's derivative order raised by one (0 from order 2 on);
  ``grid_scatter``'s rules are the same, transposed.  ``nearest`` sampling is reached with
  the coordinates through ``stop_gradient`` (MindSpore's gradient in the grid is 0).

Takes: the kernels of :mod:`autograd_st.kernels_grid`.  Gives: the primitives
(:data:`GRID_PRIMITIVES`).
"""
from __future__ import annotations

import numpy as np

from .kernels_grid import (
    affine_grid,
    affine_grid_grad,
    grid_interp,
    grid_scatter,
    grid_unnormalize,
    grid_unnormalize_slope,
)
from .rules import jvp, primitive, vjp

__all__ = ["GRID_PRIMITIVES"]


@primitive(name="affine_grid", diff=("theta",))
def affine_grid_(theta, size, align_corners=False):
    return affine_grid(theta, size, align_corners)


@vjp(affine_grid_)
def _(dout, out, theta, size, align_corners):
    return (affine_grid_grad(dout, size, align_corners),)


@jvp(affine_grid_)
def _(out, theta, size, align_corners, dtheta):
    return (affine_grid(dtheta, size, align_corners),)


@primitive(name="affine_grid_grad", diff=("dy",))
def affine_grid_grad_(dy, size, align_corners=False):
    return affine_grid_grad(dy, size, align_corners)


@vjp(affine_grid_grad_)
def _(dout, out, dy, size, align_corners):
    return (affine_grid(dout, size, align_corners),)


@jvp(affine_grid_grad_)
def _(out, dy, size, align_corners, ddy):
    return (affine_grid_grad(ddy, size, align_corners),)


@primitive(name="grid_unnormalize", diff=("g",))
def grid_unnormalize_(g, like, k, padding_mode="zeros", align_corners=False):
    return grid_unnormalize(g, like, k, padding_mode, align_corners)


@vjp(grid_unnormalize_)
def _(dout, out, g, like, k, padding_mode, align_corners):
    return (dout * grid_unnormalize_slope(g, like, k, padding_mode, align_corners),)


@jvp(grid_unnormalize_)
def _(out, g, like, k, padding_mode, align_corners, dg):
    return (dg * grid_unnormalize_slope(g, like, k, padding_mode, align_corners),)


@primitive(name="grid_unnormalize_slope", diff=())
def grid_unnormalize_slope_(g, like, k, padding_mode="zeros", align_corners=False):
    return grid_unnormalize_slope(g, like, k, padding_mode, align_corners)


@primitive(name="grid_interp", diff=("x", "cx", "cy", "cz"))
def grid_interp_(x, cx, cy, cz, mode="bilinear", ox=0, oy=0, oz=0):
    return grid_interp(x, cx, cy, cz, mode, ox, oy, oz)


@vjp(grid_interp_)
def _(dout, out, x, cx, cy, cz, mode, ox, oy, oz):
    return (grid_scatter(dout, cx, cy, cz, x, mode, ox, oy, oz),
            np.sum(dout * grid_interp(x, cx, cy, cz, mode, ox + 1, oy, oz), axis=1),
            np.sum(dout * grid_interp(x, cx, cy, cz, mode, ox, oy + 1, oz), axis=1),
            np.sum(dout * grid_interp(x, cx, cy, cz, mode, ox, oy, oz + 1), axis=1))


@jvp(grid_interp_)
def _(out, x, cx, cy, cz, mode, ox, oy, oz, dx, dcx, dcy, dcz):
    return (grid_interp(dx, cx, cy, cz, mode, ox, oy, oz),
            np.expand_dims(dcx, 1) * grid_interp(x, cx, cy, cz, mode, ox + 1, oy, oz),
            np.expand_dims(dcy, 1) * grid_interp(x, cx, cy, cz, mode, ox, oy + 1, oz),
            np.expand_dims(dcz, 1) * grid_interp(x, cx, cy, cz, mode, ox, oy, oz + 1))


@primitive(name="grid_scatter", diff=("dy", "cx", "cy", "cz"))
def grid_scatter_(dy, cx, cy, cz, like, mode="bilinear", ox=0, oy=0, oz=0):
    return grid_scatter(dy, cx, cy, cz, like, mode, ox, oy, oz)


@vjp(grid_scatter_)
def _(dout, out, dy, cx, cy, cz, like, mode, ox, oy, oz):
    return (grid_interp(dout, cx, cy, cz, mode, ox, oy, oz),
            np.sum(dy * grid_interp(dout, cx, cy, cz, mode, ox + 1, oy, oz), axis=1),
            np.sum(dy * grid_interp(dout, cx, cy, cz, mode, ox, oy + 1, oz), axis=1),
            np.sum(dy * grid_interp(dout, cx, cy, cz, mode, ox, oy, oz + 1), axis=1))


@jvp(grid_scatter_)
def _(out, dy, cx, cy, cz, like, mode, ox, oy, oz, ddy, dcx, dcy, dcz):
    return (grid_scatter(ddy, cx, cy, cz, like, mode, ox, oy, oz),
            grid_scatter(dy * np.expand_dims(dcx, 1), cx, cy, cz, like, mode, ox + 1, oy, oz),
            grid_scatter(dy * np.expand_dims(dcy, 1), cx, cy, cz, like, mode, ox, oy + 1, oz),
            grid_scatter(dy * np.expand_dims(dcz, 1), cx, cy, cz, like, mode, ox, oy, oz + 1))


GRID_PRIMITIVES = ("affine_grid", "affine_grid_grad", "grid_unnormalize",
                   "grid_unnormalize_slope", "grid_interp", "grid_scatter")
"""The primitives this module registers."""
