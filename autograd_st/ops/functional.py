"""MindSpore's functional ops (``ops.add``, ``ops.sum``, ``ops.softmax`` ...).

Each is written once over :data:`~autograd_st.prims.P`, so it runs eagerly on Tensors and the
compiler binds it to primitives when it appears in code being differentiated.
"""
from __future__ import annotations

import numpy as np

from .. import dtype as mstype
from ..prims import P, bindable
from ..tensor import Tensor

__all__ = ["add", "sub", "mul", "div", "pow", "neg", "matmul", "exp", "log", "sin", "cos",
           "tanh", "sigmoid", "relu", "sqrt", "square", "abs", "sum", "mean", "reshape",
           "transpose", "stop_gradient", "maximum", "minimum", "where", "softmax",
           "log_softmax", "logsumexp", "expand_dims", "squeeze", "ones_like", "zeros_like",
           "amax", "amin", "max", "min", "cast", "broadcast_to", "reduce_sum", "reduce_mean",
           "subtract", "multiply", "divide", "negative", "t", "clamp", "clip", "sign", "ones",
           "zeros", "flatten", "unsqueeze", "permute", "dot", "exp2", "rsqrt", "reciprocal",
           "log1p", "concat", "cat", "stack"]


def _axis(axis):
    if isinstance(axis, list):
        return tuple(axis)
    if isinstance(axis, tuple) and len(axis) == 0:
        return None
    return axis


@bindable
def add(input, other):
    return P.add(input, other)


@bindable
def sub(input, other):
    return P.sub(input, other)


@bindable
def mul(input, other):
    return P.mul(input, other)


@bindable
def div(input, other, rounding_mode=None):
    return P.div(input, other)


@bindable
def pow(input, exponent):
    return P.pow(input, exponent)


@bindable
def neg(input):
    return P.neg(input)


subtract, multiply, divide, negative = sub, mul, div, neg


@bindable
def matmul(input, other):
    return P.matmul(input, other)


@bindable
def dot(input, other):
    return P.matmul(input, other)


@bindable
def exp(input):
    return P.exp(input)


@bindable
def exp2(input):
    return P.pow(2.0, input)


@bindable
def log(input):
    return P.log(input)


@bindable
def log1p(input):
    return P.log(P.add(input, 1.0))


@bindable
def sin(input):
    return P.sin(input)


@bindable
def cos(input):
    return P.cos(input)


@bindable
def tanh(input):
    return P.tanh(input)


@bindable
def sigmoid(input):
    return P.sigmoid(input)


@bindable
def relu(input):
    return P.relu(input)


@bindable
def sqrt(input):
    return P.sqrt(input)


@bindable
def rsqrt(input):
    return P.div(1.0, P.sqrt(input))


@bindable
def reciprocal(input):
    return P.div(1.0, input)


@bindable
def square(input):
    return P.square(input)


@bindable
def abs(input):
    return P.abs(input)


@bindable
def sign(input):
    return P.sign(input)


@bindable
def sum(input, dim=None, keepdim=False, *, dtype=None):
    out = P.sum(input, axis=_axis(dim), keepdims=keepdim)
    return out if dtype is None else cast(out, dtype)


@bindable
def mean(input, axis=None, keep_dims=False):
    return P.mean(input, axis=_axis(axis), keepdims=keep_dims)


@bindable
def reduce_sum(input, axis=None, keep_dims=False):
    return P.sum(input, axis=_axis(axis), keepdims=keep_dims)


reduce_mean = mean


@bindable
def amax(input, axis=None, keepdims=False):
    return P.max(input, axis=_axis(axis), keepdims=keepdims)


@bindable
def amin(input, axis=None, keepdims=False):
    return P.min(input, axis=_axis(axis), keepdims=keepdims)


@bindable
def max(input, axis=None, keepdims=False):
    return P.max(input, axis=_axis(axis), keepdims=keepdims)


@bindable
def min(input, axis=None, keepdims=False):
    return P.min(input, axis=_axis(axis), keepdims=keepdims)


@bindable
def maximum(input, other):
    return P.maximum(input, other)


@bindable
def minimum(input, other):
    return P.minimum(input, other)


@bindable
def clamp(input, min=None, max=None):
    out = input
    if min is not None:
        out = P.maximum(out, min)
    if max is not None:
        out = P.minimum(out, max)
    return out


clip = clamp


@bindable
def where(condition, input, other):
    return P.where(condition, input, other)


@bindable
def reshape(input, shape):
    return P.reshape(input, tuple(shape) if isinstance(shape, list) else shape)


@bindable
def flatten(input, order="C", *, start_dim=1, end_dim=-1):
    if start_dim == 0:
        return P.reshape(input, (-1,))
    shape = P.shape(input)
    return P.reshape(input, (shape[0], -1))


@bindable
def transpose(input, input_perm):
    return P.transpose(input, tuple(input_perm))


permute = transpose


@bindable
def t(input):
    return P.transpose(input)


@bindable
def expand_dims(input_x, axis):
    return P.expand_dims(input_x, axis)


unsqueeze = expand_dims


@bindable
def squeeze(input, axis=None):
    return P.squeeze(input, axis=_axis(axis))


@bindable
def broadcast_to(input, shape):
    return P.broadcast_to(input, shape)


@bindable
def concat(tensors, axis=0):
    out = tensors[0]
    for t in tensors[1:]:
        out = P.concat2(out, t, axis=axis)
    return out


cat = concat


@bindable
def stack(tensors, axis=0):
    return concat([P.expand_dims(t, axis) for t in tensors], axis=axis)


@bindable
def stop_gradient(value):
    """The value, with no gradient flowing through it."""
    return P.stop_gradient(value)


@bindable
def softmax(input, axis=-1, *, dtype=None):
    return P.softmax(input, axis=axis)


@bindable
def log_softmax(logits, axis=-1):
    return P.log_softmax(logits, axis=axis)


@bindable
def logsumexp(input, dim, keepdim=False):
    return P.logsumexp(input, axis=_axis(dim), keepdims=keepdim)


@bindable
def ones_like(input, *, dtype=None):
    return P.ones_like(input)


@bindable
def zeros_like(input, *, dtype=None):
    return P.zeros_like(input)


@bindable
def cast(input, dtype):
    return P.astype(input, mstype.to_numpy(dtype))


def _static(fn):
    fn._autograd_st_static = True
    return fn


@_static
def ones(shape, dtype=None):
    return Tensor(np.ones(shape, mstype.to_numpy(dtype) or np.float32))


@_static
def zeros(shape, dtype=None):
    return Tensor(np.zeros(shape, mstype.to_numpy(dtype) or np.float32))
