"""Primitives and their reverse (vjp) and forward (jvp) rules for the 3-D layers
(``nn.Conv3d``, ``nn.Conv3dTranspose``, ``nn.MaxPool3d``, ``nn.AdaptiveMaxPool3d``,
``nn.MaxUnpool*d``), registered in the one registry of :mod:`autograd_st.rules`.

Takes: the kernels of :mod:`autograd_st.kernels_3d`.  Gives: the primitives ``conv3d``,
``conv3d_grad_input``, ``conv3d_grad_weight`` (each linear in both differentiable arguments,
each gradient another of the three, as conv2d's in :mod:`autograd_st.rules_nn`),
``gather_volume`` / ``scatter_volume`` (linear, each the other's adjoint) and the
constant-valued ``conv3d_transpose_like``, ``max_pool3d_indices``,
``adaptive_max_pool3d_indices`` (no gradient).  Max pooling is ``gather_volume(x,
max_pool3d_indices(x))``: its gradient goes to each window's first maximum.
"""
from __future__ import annotations

import numpy as np

from .kernels_3d import (
    adaptive_max_pool3d_indices,
    conv3d_forward,
    conv3d_grad_input,
    conv3d_grad_weight,
    conv3d_transpose_like,
    gather_volume,
    max_pool3d_indices,
    scatter_volume,
)
from .rules import jvp, primitive, vjp
from .runtime import unbroadcast  # noqa: F401  (templates read it)

__all__ = ["NN3D_PRIMITIVES"]


@primitive(name="conv3d", diff=("x", "w"))
def conv3d(x, w, stride=(1, 1, 1), pad="valid", dilation=(1, 1, 1), group=1):
    return conv3d_forward(x, w, stride, pad, dilation, group)


@vjp(conv3d)
def _(dout, out, x, w, stride, pad, dilation, group):
    return (conv3d_grad_input(dout, w, x, stride, pad, dilation, group),
            conv3d_grad_weight(x, dout, w, stride, pad, dilation, group))


@jvp(conv3d)
def _(out, x, w, stride, pad, dilation, group, dx, dw):
    return (conv3d_forward(dx, w, stride, pad, dilation, group),
            conv3d_forward(x, dw, stride, pad, dilation, group))


@primitive(name="conv3d_grad_input", diff=("dy", "w"))
def conv3d_grad_input_(dy, w, like, stride=(1, 1, 1), pad="valid", dilation=(1, 1, 1),
                       group=1):
    return conv3d_grad_input(dy, w, like, stride, pad, dilation, group)


@vjp(conv3d_grad_input_)
def _(dout, out, dy, w, like, stride, pad, dilation, group):
    return (conv3d_forward(dout, w, stride, pad, dilation, group),
            conv3d_grad_weight(dout, dy, w, stride, pad, dilation, group))


@jvp(conv3d_grad_input_)
def _(out, dy, w, like, stride, pad, dilation, group, ddy, dw):
    return (conv3d_grad_input(ddy, w, like, stride, pad, dilation, group),
            conv3d_grad_input(dy, dw, like, stride, pad, dilation, group))


@primitive(name="conv3d_grad_weight", diff=("x", "dy"))
def conv3d_grad_weight_(x, dy, like, stride=(1, 1, 1), pad="valid", dilation=(1, 1, 1),
                        group=1):
    return conv3d_grad_weight(x, dy, like, stride, pad, dilation, group)


@vjp(conv3d_grad_weight_)
def _(dout, out, x, dy, like, stride, pad, dilation, group):
    return (conv3d_grad_input(dy, dout, x, stride, pad, dilation, group),
            conv3d_forward(x, dout, stride, pad, dilation, group))


@jvp(conv3d_grad_weight_)
def _(out, x, dy, like, stride, pad, dilation, group, dx, ddy):
    return (conv3d_grad_weight(dx, dy, like, stride, pad, dilation, group),
            conv3d_grad_weight(x, ddy, like, stride, pad, dilation, group))


@primitive(name="conv3d_transpose_like", diff=())
def conv3d_transpose_like_(x, w, stride=(1, 1, 1), pad="valid", dilation=(1, 1, 1),
                           output_padding=(0, 0, 0), group=1):
    return conv3d_transpose_like(x, w, stride, pad, dilation, output_padding, group)


@primitive(name="max_pool3d_indices", diff=())
def max_pool3d_indices_(x, kernel=(1, 1, 1), stride=(1, 1, 1), pad="valid",
                        dilation=(1, 1, 1), ceil_mode=False):
    return max_pool3d_indices(x, kernel, stride, pad, dilation, ceil_mode)


@primitive(name="adaptive_max_pool3d_indices", diff=())
def adaptive_max_pool3d_indices_(x, output_size=(1, 1, 1)):
    return adaptive_max_pool3d_indices(x, output_size)


# gather_volume(v, index, nd) reads v at flat indices of its last nd axes; scatter_volume(g,
# index, sizes) adds g there into zeros of those sizes: linear, each the other's adjoint

@primitive(name="gather_volume", diff=("v",))
def gather_volume_(v, index, nd=3):
    return gather_volume(v, index, nd)


@vjp(gather_volume_)
def _(dout, out, v, index, nd):
    return (unbroadcast(scatter_volume(dout, index, np.shape(v)[np.ndim(v) - nd:]), v),)


@jvp(gather_volume_)
def _(out, v, index, nd, dv):
    return (gather_volume(dv, index, nd),)


@primitive(name="scatter_volume", diff=("g",))
def scatter_volume_(g, index, sizes=(1, 1, 1)):
    return scatter_volume(g, index, sizes)


@vjp(scatter_volume_)
def _(dout, out, g, index, sizes):
    return (unbroadcast(gather_volume(dout, index, len(sizes)), g),)


@jvp(scatter_volume_)
def _(out, g, index, sizes, dg):
    return (scatter_volume(dg, index, sizes),)


NN3D_PRIMITIVES = ("conv3d", "conv3d_grad_input", "conv3d_grad_weight", "conv3d_transpose_like",
                   "max_pool3d_indices", "adaptive_max_pool3d_indices", "gather_volume",
                   "scatter_volume")
"""The primitives this module registers (the tests check each rule against this list)."""
