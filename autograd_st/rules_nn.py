"""Primitives and their reverse (vjp) and forward (jvp) rules for the neural-network layers
(``nn.Conv2d``, ``nn.BatchNorm2d``, ``nn.GELU``, ``nn.Dropout``, the losses), registered in the
one registry of :mod:`autograd_st.rules`.

The numpy work lives in :mod:`autograd_st.kernels`; each template here is a single call to a
kernel (or numpy / a runtime helper), so generated code stays readable and every rule is
itself written over primitives (the convolution's two adjoints are primitives with rules of
their own, which is what second derivatives through a convolution need).

Side effects: ``assign`` writes a Parameter's storage in place and has no gradient.  Code that
calls it for its effect alone ties the call to its output with ``depend(value, effect)``
(MindSpore's ``ops.depend``), so that dead-code elimination keeps it.
"""
from __future__ import annotations

import numpy as np

from .kernels import (
    assign_,
    conv2d_forward,
    conv2d_grad_input,
    conv2d_grad_weight,
    dropout_mask,
    erf,
    flatten,
    linear,
    linear_dw,
    linear_dx,
    one_hot,
    one_hot_like,
    reduction_share,
    reshape_along,
    sparse_softmax_xent,
    sparse_softmax_xent_grad,
    variance,
)
from .kernels_conv import (
    adaptive_max_pool2d_forward,
    adaptive_max_pool2d_gather,
    adaptive_max_pool2d_indices,
    adaptive_max_pool2d_scatter,
    class_targets,
    conv_transpose_like,
    depth_to_space,
    max_pool2d_forward,
    max_pool2d_gather,
    max_pool2d_indices,
    max_pool2d_scatter,
    pixel_shuffle,
    pixel_unshuffle,
    pool_matrix,
    resize_matrix,
    soft_labels,
    space_to_depth,
)
from .kernels_rnn import (
    lstm_seq_dgates,
    lstm_seq_dgates_tangent,
    lstm_seq_dgates_vjp,
    lstm_seq_forward,
    lstm_seq_tangent,
)
from .rules import jvp, primitive, vjp
from .runtime import (
    axis_slice,
    broadcast_like,
    expand_to,
    matmul_tn,
    ones_like,
    sigmoid,
    softmax,
    unbroadcast,
)

__all__ = ["conv2d", "conv2d_grad_input_", "conv2d_grad_weight_", "erf_", "softplus", "var",
           "flatten_", "reshape_along_", "depend", "one_hot_", "one_hot_like_", "assign", "load",
           "dropout_mask_", "sparse_softmax_xent_", "sparse_softmax_xent_grad_", "max_pool2d",
           "max_pool2d_scatter_", "max_pool2d_gather_", "pool_matrix_", "resize_matrix_",
           "pixel_shuffle_", "pixel_unshuffle_", "depth_to_space_", "space_to_depth_", "conv_transpose_like_", "class_targets_",
           "soft_labels_", "adaptive_max_pool2d", "adaptive_max_pool2d_scatter_",
           "adaptive_max_pool2d_gather_", "max_pool2d_indices_",
           "adaptive_max_pool2d_indices_", "lstm_seq_", "lstm_seq_dgates_", "linear_", "linear_dx_", "linear_dw_",
           "NN_PRIMITIVES"]


# ---------------------------------------------------------------------------------------
# nn.Dense: y = linear(x, w, b) = x @ w.T + b over x's last axis, and its two adjoints, each
# linear in both differentiable arguments (a gradient of one is another of the three).
# ---------------------------------------------------------------------------------------

@primitive(name="linear", diff=("x", "w", "b"))
def linear_(x, w, b=None):
    return linear(x, w, b)


@vjp(linear_)
def _(dout, out, x, w, b):
    return linear_dx(dout, w, x), linear_dw(dout, x), unbroadcast(dout, b)


@jvp(linear_)
def _(out, x, w, b, dx, dw, db):
    return linear(dx, w, None), linear(x, dw, None), broadcast_like(db, out)


@primitive(name="linear_dx", diff=("dy", "w"))
def linear_dx_(dy, w, like):
    return linear_dx(dy, w, like)


@vjp(linear_dx_)
def _(dout, out, dy, w, like):
    return linear(dout, w, None), linear_dw(dy, dout)


@jvp(linear_dx_)
def _(out, dy, w, like, ddy, dw):
    return linear_dx(ddy, w, like), linear_dx(dy, dw, like)


@primitive(name="linear_dw", diff=("dy", "x"))
def linear_dw_(dy, x):
    return linear_dw(dy, x)


@vjp(linear_dw_)
def _(dout, out, dy, x):
    return linear(x, dout, None), linear_dx(dy, dout, x)


@jvp(linear_dw_)
def _(out, dy, x, ddy, dx):
    return linear_dw(ddy, x), linear_dw(dy, dx)


# ---------------------------------------------------------------------------------------
# convolution: y = conv2d(x, w) and its two adjoints, each linear in both differentiable
# arguments.  With B(x, w, dy) = <conv2d(x, w), dy>, every gradient below is a partial
# derivative of B, hence another of the three primitives.
# ---------------------------------------------------------------------------------------

@primitive(name="conv2d", diff=("x", "w"))
def conv2d(x, w, stride=(1, 1), pad=(0, 0, 0, 0), dilation=(1, 1), group=1):
    return conv2d_forward(x, w, stride, pad, dilation, group)


@vjp(conv2d)
def _(dout, out, x, w, stride, pad, dilation, group):
    return (conv2d_grad_input(dout, w, x, stride, pad, dilation, group),
            conv2d_grad_weight(x, dout, w, stride, pad, dilation, group))


@jvp(conv2d)
def _(out, x, w, stride, pad, dilation, group, dx, dw):
    return (conv2d_forward(dx, w, stride, pad, dilation, group),
            conv2d_forward(x, dw, stride, pad, dilation, group))


@primitive(name="conv2d_grad_input", diff=("dy", "w"))
def conv2d_grad_input_(dy, w, like, stride=(1, 1), pad=(0, 0, 0, 0), dilation=(1, 1), group=1):
    return conv2d_grad_input(dy, w, like, stride, pad, dilation, group)


@vjp(conv2d_grad_input_)
def _(dout, out, dy, w, like, stride, pad, dilation, group):
    return (conv2d_forward(dout, w, stride, pad, dilation, group),
            conv2d_grad_weight(dout, dy, w, stride, pad, dilation, group))


@jvp(conv2d_grad_input_)
def _(out, dy, w, like, stride, pad, dilation, group, ddy, dw):
    return (conv2d_grad_input(ddy, w, like, stride, pad, dilation, group),
            conv2d_grad_input(dy, dw, like, stride, pad, dilation, group))


@primitive(name="conv2d_grad_weight", diff=("x", "dy"))
def conv2d_grad_weight_(x, dy, like, stride=(1, 1), pad=(0, 0, 0, 0), dilation=(1, 1), group=1):
    return conv2d_grad_weight(x, dy, like, stride, pad, dilation, group)


@vjp(conv2d_grad_weight_)
def _(dout, out, x, dy, like, stride, pad, dilation, group):
    return (conv2d_grad_input(dy, dout, x, stride, pad, dilation, group),
            conv2d_forward(x, dout, stride, pad, dilation, group))


@jvp(conv2d_grad_weight_)
def _(out, x, dy, like, stride, pad, dilation, group, dx, ddy):
    return (conv2d_grad_weight(dx, dy, like, stride, pad, dilation, group),
            conv2d_grad_weight(x, ddy, like, stride, pad, dilation, group))


# ---------------------------------------------------------------------------------------
# element-wise functions and reductions
# ---------------------------------------------------------------------------------------

@primitive(name="erf")
def erf_(x):
    return erf(x)


@vjp(erf_)
def _(dout, out, x):
    return (dout * 1.1283791670955126 * np.exp(-x * x),)  # 2 / sqrt(pi)


@jvp(erf_)
def _(out, x, dx):
    return (dx * 1.1283791670955126 * np.exp(-x * x),)  # 2 / sqrt(pi)


@primitive()
def softplus(x):
    return np.logaddexp(0, x)


@vjp(softplus)
def _(dout, out, x):
    return (dout * sigmoid(x),)


@jvp(softplus)
def _(out, x, dx):
    return (dx * sigmoid(x),)


@primitive(name="var", diff=("x",))
def var(x, axis=None, ddof=0, keepdims=False):
    return variance(x, axis, ddof, keepdims)


@vjp(var)
def _(dout, out, x, axis, ddof, keepdims):
    # d var / dx = 2 (x - mean) / (n - ddof): the mean's own dependence on x sums to zero
    return (expand_to(dout, x, axis, keepdims) * (x - np.mean(x, axis=axis, keepdims=True))
            * (2 * reduction_share(out, x, ddof)),)


@jvp(var)
def _(out, x, axis, ddof, keepdims, dx):
    # the mean's tangent drops out: (x - mean) sums to zero over the reduced axes
    return (np.sum(dx * (x - np.mean(x, axis=axis, keepdims=True)), axis=axis,
                   keepdims=keepdims) * (2 * reduction_share(out, x, ddof)),)


@primitive(name="flatten", diff=("x",))
def flatten_(x, start_dim=1, end_dim=-1):
    return flatten(x, start_dim, end_dim)


@vjp(flatten_)
def _(dout, out, x, start_dim, end_dim):
    return (np.reshape(dout, np.shape(x)),)


@jvp(flatten_)
def _(out, x, start_dim, end_dim, dx):
    return (flatten(dx, start_dim, end_dim),)


@primitive(name="reshape_along", diff=("v",))
def reshape_along_(v, like, axis=1):
    return reshape_along(v, like, axis)


@vjp(reshape_along_)
def _(dout, out, v, like, axis):
    return (np.reshape(dout, np.shape(v)),)


@jvp(reshape_along_)
def _(out, v, like, axis, dv):
    return (reshape_along(dv, like, axis),)


@primitive(diff=("value",))
def depend(value, effect):
    return value


@vjp(depend)
def _(dout, out, value, effect):
    return (dout,)


@jvp(depend)
def _(out, value, effect, dvalue):
    return (dvalue,)


# ---------------------------------------------------------------------------------------
# softmax cross-entropy with class-index labels.  The loss's gradient is a primitive of its
# own (one fused kernel on the hot path); its rules are written over softmax, so second
# derivatives go through the same code.  With p = softmax(logits) and y the one-hot labels:
#   loss = -log p[label],   grad(logits, labels, d) = (p - y) * d[..., None]
# ---------------------------------------------------------------------------------------

@primitive(name="sparse_softmax_xent", diff=("logits",))
def sparse_softmax_xent_(logits, labels):
    return sparse_softmax_xent(logits, labels)


@vjp(sparse_softmax_xent_)
def _(dout, out, logits, labels):
    return (sparse_softmax_xent_grad(logits, labels, dout),)


@jvp(sparse_softmax_xent_)
def _(out, logits, labels, dlogits):
    return (np.sum(dlogits * sparse_softmax_xent_grad(logits, labels, ones_like(out)), axis=-1),)


@primitive(name="sparse_softmax_xent_grad", diff=("logits", "dloss"))
def sparse_softmax_xent_grad_(logits, labels, dloss):
    return sparse_softmax_xent_grad(logits, labels, dloss)


@vjp(sparse_softmax_xent_grad_)
def _(dout, out, logits, labels, dloss):
    p = softmax(logits, axis=-1)
    h = dout * np.expand_dims(dloss, -1)
    return (p * (h - np.sum(h * p, axis=-1, keepdims=True)),
            unbroadcast(np.sum(dout * sparse_softmax_xent_grad(logits, labels, ones_like(dloss)),
                               axis=-1), dloss))


@jvp(sparse_softmax_xent_grad_)
def _(out, logits, labels, dloss, dlogits, ddloss):
    p = softmax(logits, axis=-1)
    return (p * (dlogits - np.sum(dlogits * p, axis=-1, keepdims=True))
            * np.expand_dims(dloss, -1),
            sparse_softmax_xent_grad(logits, labels, ddloss))


# ---------------------------------------------------------------------------------------
# primitives without a gradient
# ---------------------------------------------------------------------------------------

@primitive(name="one_hot", diff=())
def one_hot_(indices, depth, dtype=np.float32):
    return one_hot(indices, depth, dtype)


@primitive(name="one_hot_like", diff=())
def one_hot_like_(indices, like, axis=-1, ignore_index=None):
    return one_hot_like(indices, like, axis, ignore_index)


@primitive(diff=())
def assign(ref, value):
    return assign_(ref, value)


@primitive()
def load(x):
    return np.array(x, copy=True)


@vjp(load)
def _(dout, out, x):
    return (dout,)


@jvp(load)
def _(out, x, dx):
    return (dx,)


@primitive(name="dropout_mask", diff=(), random=True)
def dropout_mask_(x, keep_prob=0.5, stream=None):
    return dropout_mask(x, keep_prob, stream)


# ---------------------------------------------------------------------------------------
# max pooling and its two adjoints.  scatter(x, dy) puts each dy at its window's maximum of
# x; gather(x, v) reads v there.  Both are linear in their second argument and piecewise
# constant in x (which picks the positions), so x gets no gradient through them.
# ---------------------------------------------------------------------------------------

@primitive(name="max_pool2d", diff=("x",))
def max_pool2d(x, kernel=(1, 1), stride=(1, 1), pad="valid", dilation=(1, 1), ceil_mode=False):
    return max_pool2d_forward(x, kernel, stride, pad, dilation, ceil_mode)


@vjp(max_pool2d)
def _(dout, out, x, kernel, stride, pad, dilation, ceil_mode):
    return (max_pool2d_scatter(x, dout, kernel, stride, pad, dilation, ceil_mode),)


@jvp(max_pool2d)
def _(out, x, kernel, stride, pad, dilation, ceil_mode, dx):
    return (max_pool2d_gather(x, dx, kernel, stride, pad, dilation, ceil_mode),)


@primitive(name="max_pool2d_scatter", diff=("dy",))
def max_pool2d_scatter_(x, dy, kernel=(1, 1), stride=(1, 1), pad="valid", dilation=(1, 1),
                        ceil_mode=False):
    return max_pool2d_scatter(x, dy, kernel, stride, pad, dilation, ceil_mode)


@vjp(max_pool2d_scatter_)
def _(dout, out, x, dy, kernel, stride, pad, dilation, ceil_mode):
    return (unbroadcast(max_pool2d_gather(x, dout, kernel, stride, pad, dilation, ceil_mode),
                        dy),)


@jvp(max_pool2d_scatter_)
def _(out, x, dy, kernel, stride, pad, dilation, ceil_mode, ddy):
    return (max_pool2d_scatter(x, ddy, kernel, stride, pad, dilation, ceil_mode),)


@primitive(name="max_pool2d_gather", diff=("v",))
def max_pool2d_gather_(x, v, kernel=(1, 1), stride=(1, 1), pad="valid", dilation=(1, 1),
                       ceil_mode=False):
    return max_pool2d_gather(x, v, kernel, stride, pad, dilation, ceil_mode)


@vjp(max_pool2d_gather_)
def _(dout, out, x, v, kernel, stride, pad, dilation, ceil_mode):
    return (unbroadcast(max_pool2d_scatter(x, dout, kernel, stride, pad, dilation, ceil_mode),
                        v),)


@jvp(max_pool2d_gather_)
def _(out, x, v, kernel, stride, pad, dilation, ceil_mode, dv):
    return (max_pool2d_gather(x, dv, kernel, stride, pad, dilation, ceil_mode),)


# adaptive max pooling: the same three primitives over bins of varying size

@primitive(name="adaptive_max_pool2d", diff=("x",))
def adaptive_max_pool2d(x, output_size=(1, 1)):
    return adaptive_max_pool2d_forward(x, output_size)


@vjp(adaptive_max_pool2d)
def _(dout, out, x, output_size):
    return (adaptive_max_pool2d_scatter(x, dout, output_size),)


@jvp(adaptive_max_pool2d)
def _(out, x, output_size, dx):
    return (adaptive_max_pool2d_gather(x, dx, output_size),)


@primitive(name="adaptive_max_pool2d_scatter", diff=("dy",))
def adaptive_max_pool2d_scatter_(x, dy, output_size=(1, 1)):
    return adaptive_max_pool2d_scatter(x, dy, output_size)


@vjp(adaptive_max_pool2d_scatter_)
def _(dout, out, x, dy, output_size):
    return (unbroadcast(adaptive_max_pool2d_gather(x, dout, output_size), dy),)


@jvp(adaptive_max_pool2d_scatter_)
def _(out, x, dy, output_size, ddy):
    return (adaptive_max_pool2d_scatter(x, ddy, output_size),)


@primitive(name="adaptive_max_pool2d_gather", diff=("v",))
def adaptive_max_pool2d_gather_(x, v, output_size=(1, 1)):
    return adaptive_max_pool2d_gather(x, v, output_size)


@vjp(adaptive_max_pool2d_gather_)
def _(dout, out, x, v, output_size):
    return (unbroadcast(adaptive_max_pool2d_scatter(x, dout, output_size), v),)


@jvp(adaptive_max_pool2d_gather_)
def _(out, x, v, output_size, dv):
    return (adaptive_max_pool2d_gather(x, dv, output_size),)


# ---------------------------------------------------------------------------------------
# pixel shuffle: a permutation of elements; each direction is the other's adjoint
# ---------------------------------------------------------------------------------------

@primitive(name="pixel_shuffle", diff=("x",))
def pixel_shuffle_(x, upscale_factor=1):
    return pixel_shuffle(x, upscale_factor)


@vjp(pixel_shuffle_)
def _(dout, out, x, upscale_factor):
    return (pixel_unshuffle(dout, upscale_factor),)


@jvp(pixel_shuffle_)
def _(out, x, upscale_factor, dx):
    return (pixel_shuffle(dx, upscale_factor),)


@primitive(name="pixel_unshuffle", diff=("x",))
def pixel_unshuffle_(x, downscale_factor=1):
    return pixel_unshuffle(x, downscale_factor)


@vjp(pixel_unshuffle_)
def _(dout, out, x, downscale_factor):
    return (pixel_shuffle(dout, downscale_factor),)


@jvp(pixel_unshuffle_)
def _(out, x, downscale_factor, dx):
    return (pixel_unshuffle(dx, downscale_factor),)


@primitive(name="depth_to_space", diff=("x",))
def depth_to_space_(x, block_size=1):
    return depth_to_space(x, block_size)


@vjp(depth_to_space_)
def _(dout, out, x, block_size):
    return (space_to_depth(dout, block_size),)


@jvp(depth_to_space_)
def _(out, x, block_size, dx):
    return (depth_to_space(dx, block_size),)


@primitive(name="space_to_depth", diff=("x",))
def space_to_depth_(x, block_size=1):
    return space_to_depth(x, block_size)


@vjp(space_to_depth_)
def _(dout, out, x, block_size):
    return (depth_to_space(dout, block_size),)


@jvp(space_to_depth_)
def _(out, x, block_size, dx):
    return (space_to_depth(dx, block_size),)


# ---------------------------------------------------------------------------------------
# constants computed from shapes (no gradient): the matrices of average pooling, adaptive
# pooling and interpolation (the ops multiply by them: matmul's rules differentiate), and
# the transposed convolution's output placeholder
# ---------------------------------------------------------------------------------------

@primitive(name="pool_matrix", diff=())
def pool_matrix_(like, axis=-2, kernel=1, stride=1, pad="valid", ceil_mode=False,
                 count_include_pad=True):
    return pool_matrix(like, axis, kernel, stride, pad, ceil_mode, count_include_pad)


@primitive(name="resize_matrix", diff=())
def resize_matrix_(like, axis=-2, size=1, mode="nearest"):
    return resize_matrix(like, axis, size, mode)


@primitive(name="conv_transpose_like", diff=())
def conv_transpose_like_(x, w, stride=(1, 1), pad="valid", dilation=(1, 1),
                         output_padding=(0, 0), group=1):
    return conv_transpose_like(x, w, stride, pad, dilation, output_padding, group)



@primitive(name="class_targets", diff=())
def class_targets_(labels, like, axis=1, ignore_index=None):
    return class_targets(labels, like, axis, ignore_index)


@primitive(name="soft_labels", diff=())
def soft_labels_(labels, like):
    return soft_labels(labels, like)



@primitive(name="max_pool2d_indices", diff=())
def max_pool2d_indices_(x, kernel=(1, 1), stride=(1, 1), pad="valid", dilation=(1, 1),
                        ceil_mode=False):
    return max_pool2d_indices(x, kernel, stride, pad, dilation, ceil_mode)


@primitive(name="adaptive_max_pool2d_indices", diff=())
def adaptive_max_pool2d_indices_(x, output_size=(1, 1)):
    return adaptive_max_pool2d_indices(x, output_size)


# ---------------------------------------------------------------------------------------
# the fused LSTM: one layer in one direction over a whole sequence (kernels_rnn.py).  Its
# output is the tape (6, T, B, H): outputs, cell states and the four activated gates of every
# step, so the reverse rule reads the gates instead of recomputing them.  The reverse rule
# is the backward through time (``lstm_seq_dgates``: every step's gate gradients) followed
# by one matmul per weight; the forward rule is a forward-mode loop.  Second derivatives: the
# backward through time ``lstm_seq_dgates`` is a primitive too, with a reverse rule (a loop
# forward in time over the saved backward) and a forward rule (its tangent loop).
# ---------------------------------------------------------------------------------------

@primitive(name="lstm_seq")
def lstm_seq_(x, h0, c0, w_ih, w_hh, b):
    return lstm_seq_forward(x, h0, c0, w_ih, w_hh, b)


@vjp(lstm_seq_)
def _(dout, out, x, h0, c0, w_ih, w_hh, b):
    dg = lstm_seq_dgates(dout, out, c0, w_hh)
    flat = np.reshape(dg[:-1], (-1, np.shape(dg)[-1]))
    return (np.matmul(dg[:-1], w_ih),
            dg[-1][axis_slice(h0, -1, 0, np.shape(h0)[-1])],
            dg[-1][axis_slice(h0, -1, np.shape(h0)[-1], 2 * np.shape(h0)[-1])],
            matmul_tn(flat, np.reshape(x, (-1, np.shape(x)[-1]))),
            matmul_tn(dg[0], h0) + matmul_tn(np.reshape(dg[1:-1], (-1, np.shape(dg)[-1])),
                                             np.reshape(out[0][:-1], (-1, np.shape(h0)[-1]))),
            np.sum(flat, axis=0))


@jvp(lstm_seq_)
def _(out, x, h0, c0, w_ih, w_hh, b, dx, dh0, dc0, dw_ih, dw_hh, db):
    return (lstm_seq_tangent(out, x, h0, c0, w_ih, w_hh, dx, None, None, None, None, None),
            lstm_seq_tangent(out, x, h0, c0, w_ih, w_hh, None, dh0, None, None, None, None),
            lstm_seq_tangent(out, x, h0, c0, w_ih, w_hh, None, None, dc0, None, None, None),
            lstm_seq_tangent(out, x, h0, c0, w_ih, w_hh, None, None, None, dw_ih, None, None),
            lstm_seq_tangent(out, x, h0, c0, w_ih, w_hh, None, None, None, None, dw_hh, None),
            lstm_seq_tangent(out, x, h0, c0, w_ih, w_hh, None, None, None, None, None, db))


@primitive(name="lstm_seq_dgates", diff=("gout", "tape", "c0", "w_hh"))
def lstm_seq_dgates_(gout, tape, c0, w_hh):
    return lstm_seq_dgates(gout, tape, c0, w_hh)


@vjp(lstm_seq_dgates_)
def _(dout, out, gout, tape, c0, w_hh):
    grads = lstm_seq_dgates_vjp(dout, gout, tape, c0, w_hh)
    return grads[0], grads[1], grads[2], grads[3]


@jvp(lstm_seq_dgates_)
def _(out, gout, tape, c0, w_hh, dgout, dtape, dc0, dw_hh):
    return (lstm_seq_dgates_tangent(out, gout, tape, c0, w_hh, dgout, None, None, None),
            lstm_seq_dgates_tangent(out, gout, tape, c0, w_hh, None, dtape, None, None),
            lstm_seq_dgates_tangent(out, gout, tape, c0, w_hh, None, None, dc0, None),
            lstm_seq_dgates_tangent(out, gout, tape, c0, w_hh, None, None, None, dw_hh))


NN_PRIMITIVES = ("conv2d", "conv2d_grad_input", "conv2d_grad_weight", "erf", "softplus", "var",
                 "flatten", "reshape_along", "depend", "one_hot", "one_hot_like", "assign", "load",
                 "dropout_mask", "sparse_softmax_xent", "sparse_softmax_xent_grad",
                 "max_pool2d", "max_pool2d_scatter", "max_pool2d_gather", "pixel_shuffle",
                 "pixel_unshuffle", "depth_to_space", "space_to_depth", "pool_matrix", "resize_matrix", "conv_transpose_like",
                 "class_targets", "soft_labels", "adaptive_max_pool2d",
                 "adaptive_max_pool2d_scatter", "adaptive_max_pool2d_gather",
                 "max_pool2d_indices", "adaptive_max_pool2d_indices", "lstm_seq",
                 "lstm_seq_dgates", "linear", "linear_dx", "linear_dw")
"""The primitives this module registers (the tests check each rule against this list)."""
