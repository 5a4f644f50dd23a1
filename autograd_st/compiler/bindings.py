"""Bindings: how the callables user code calls map onto primitives.

Takes: a Python object found in user code (``np.exp``, ``ops.sum``, a runtime helper, a
primitive instance such as ``ops.MatMul()``), or a method name on a runtime value.
Gives: a *composite*, a function written over :data:`~autograd_st.prims.P` that the
normalizer calls with Syms so that it emits primitive statements.

``ops.*`` functions and primitive classes are their own composites (marked ``bindable``);
this module holds the numpy table, the Tensor-method table and the runtime helpers.
``SUPPORTED_NUMPY`` is the documented list of numpy functions with derivatives.
"""
from __future__ import annotations

import numpy as np

from .. import rules, runtime
from ..dtype import to_numpy
from ..prims import P, _Caller

__all__ = ["lookup", "method", "SUPPORTED_NUMPY", "ZERO_GRAD_NUMPY"]


def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis


def _np_sum(a, axis=None, dtype=None, out=None, keepdims=False):
    return P.sum(a, axis=_axis(axis), keepdims=keepdims)


def _np_mean(a, axis=None, dtype=None, out=None, keepdims=False):
    return P.mean(a, axis=_axis(axis), keepdims=keepdims)


def _np_max(a, axis=None, out=None, keepdims=False):
    return P.max(a, axis=_axis(axis), keepdims=keepdims)


def _np_min(a, axis=None, out=None, keepdims=False):
    return P.min(a, axis=_axis(axis), keepdims=keepdims)


def _np_reshape(a, shape=None, order="C", newshape=None):
    return P.reshape(a, shape if shape is not None else newshape)


def _np_transpose(a, axes=None):
    return P.transpose(a, axes=axes)


def _np_where(condition, x, y):
    return P.where(condition, x, y)


def _np_dot(a, b):
    return P.matmul(a, b)


def _np_clip(a, a_min=None, a_max=None):
    out = a
    if a_min is not None:
        out = P.maximum(out, a_min)
    if a_max is not None:
        out = P.minimum(out, a_max)
    return out


def _np_logaddexp(x1, x2):
    m = P.maximum(x1, x2)
    return m + P.log(P.exp(x1 - m) + P.exp(x2 - m))


def _np_concatenate(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    arrays = list(arrays)
    if axis is None:
        arrays = [P.reshape(a, (-1,)) for a in arrays]
        axis = 0
    out = arrays[0]
    for a in arrays[1:]:
        out = P.concat2(out, a, axis=axis)
    return out


def _np_stack(arrays, axis=0, out=None, dtype=None, casting="same_kind"):
    return _np_concatenate([P.expand_dims(a, axis) for a in arrays], axis=axis)


def _np_expand_dims(a, axis):
    return P.expand_dims(a, axis)


def _np_squeeze(a, axis=None):
    return P.squeeze(a, axis=axis)


def _np_broadcast_to(array, shape):
    return P.broadcast_to(array, shape)


def _unary(name):
    def composite(x):
        return getattr(P, name)(x)
    composite.__name__ = name
    return composite


def _binary(name):
    def composite(x, y):
        return getattr(P, name)(x, y)
    composite.__name__ = name
    return composite


_NUMPY = {
    np.add: _binary("add"), np.subtract: _binary("sub"), np.multiply: _binary("mul"),
    np.divide: _binary("div"), np.true_divide: _binary("div"), np.power: _binary("pow"),
    np.negative: _unary("neg"), np.maximum: _binary("maximum"), np.minimum: _binary("minimum"),
    np.exp: _unary("exp"), np.log: _unary("log"), np.sin: _unary("sin"), np.cos: _unary("cos"),
    np.tanh: _unary("tanh"), np.sqrt: _unary("sqrt"), np.square: _unary("square"),
    np.abs: _unary("abs"), np.absolute: _unary("abs"), np.matmul: _binary("matmul"),
    np.dot: _np_dot, np.concatenate: _np_concatenate, np.stack: _np_stack, np.sum: _np_sum, np.mean: _np_mean, np.max: _np_max, np.amax: _np_max,
    np.min: _np_min, np.amin: _np_min, np.reshape: _np_reshape, np.transpose: _np_transpose,
    np.where: _np_where, np.clip: _np_clip, np.logaddexp: _np_logaddexp,
    np.expand_dims: _np_expand_dims, np.squeeze: _np_squeeze, np.broadcast_to: _np_broadcast_to,
    np.sign: _unary("sign"), np.shape: _unary("shape"), np.size: _unary("size"),
    np.ndim: _unary("ndim"), np.ones_like: _unary("ones_like"),
    np.zeros_like: _unary("zeros_like"), np.swapaxes: None,
}
_NUMPY = {k: v for k, v in _NUMPY.items() if v is not None}

#: numpy functions whose result has no gradient (used on differentiated values they are fine).
ZERO_GRAD_NUMPY = ("sign", "shape", "size", "ndim", "ones_like", "zeros_like")

#: the numpy functions that differentiate, by name (documented in the README).
SUPPORTED_NUMPY = tuple(sorted({f.__name__ for f in _NUMPY}))


def _rt_unbroadcast(g, like):
    return P.unbroadcast(g, like)


def _rt_expand_to(g, like, axis=None, keepdims=False):
    return P.expand_to(g, like, axis=axis, keepdims=keepdims)


def _rt_ungetitem(g, like, index):
    return P.ungetitem(g, like, index)


def _rt_cast_like(g, like):
    return P.cast_like(g, like)


def _rt_softmax(x, axis=-1):
    return P.softmax(x, axis=axis)


def _rt_log_softmax(x, axis=-1):
    return P.log_softmax(x, axis=axis)


def _rt_logsumexp(x, axis=None, keepdims=False):
    return P.logsumexp(x, axis=axis, keepdims=keepdims)


def _rt_matmul_tn(x, y, like=None):
    return P.matmul_tn(x, y, like=like)


_RUNTIME = {
    runtime.unbroadcast: _rt_unbroadcast, runtime.expand_to: _rt_expand_to,
    runtime.ungetitem: _rt_ungetitem, runtime.sigmoid: _unary("sigmoid"),
    runtime.relu: _unary("relu"), runtime.ones_like: _unary("ones_like"),
    runtime.zeros_like: _unary("zeros_like"), runtime.stop_gradient: _unary("stop_gradient"),
    runtime.softmax: _rt_softmax, runtime.log_softmax: _rt_log_softmax,
    runtime.logsumexp: _rt_logsumexp, runtime.matmul_nt: _binary("matmul_nt"),
    runtime.matmul_tn: _rt_matmul_tn,
    runtime.broadcast_like: _binary("broadcast_like"),
    runtime.concat2: lambda x, y, axis=0: P.concat2(x, y, axis=axis),
    runtime.axis_slice: lambda like, axis, start, stop: P.axis_slice(like, axis, start, stop), runtime.cast_like: _rt_cast_like,
}

_TABLE = {}
_TABLE.update(_NUMPY)
_TABLE.update(_RUNTIME)
_TABLE[abs] = _unary("abs")


def _hashable(obj) -> bool:
    try:
        hash(obj)
        return True
    except TypeError:
        return False


def lookup(obj):
    """The composite for a callable found in user code, or None."""
    try:
        found = _TABLE.get(obj)
    except TypeError:  # unhashable
        found = None
    if found is not None:
        return found
    if getattr(obj, "_autograd_st_bindable", False):
        return obj
    if isinstance(obj, _Caller):  # P.<primitive> itself
        return obj
    user = rules.USER_FUNCTIONS.get(obj) if _hashable(obj) else None
    if user is not None:  # registered with register_vjp
        return getattr(P, user)
    tag = getattr(obj, "_autograd_st_prim", None)  # a kernel that is a primitive's body
    if isinstance(tag, str):
        return getattr(P, tag)
    if getattr(obj, "_autograd_st_primitive", False):
        return obj
    return None


# ---------------------------------------------------------------------------------------
# methods and attributes of runtime values (Tensors and numpy arrays alike)
# ---------------------------------------------------------------------------------------

def _m_sum(x, axis=None, keepdims=False, dtype=None, keep_dims=None):
    return P.sum(x, axis=_axis(axis), keepdims=keepdims if keep_dims is None else keep_dims)


def _m_mean(x, axis=None, keep_dims=False, keepdims=None, dtype=None):
    return P.mean(x, axis=_axis(axis), keepdims=keep_dims if keepdims is None else keepdims)


def _m_max(x, axis=None, keepdims=False, keep_dims=None):
    return P.max(x, axis=_axis(axis), keepdims=keepdims if keep_dims is None else keep_dims)


def _m_min(x, axis=None, keepdims=False, keep_dims=None):
    return P.min(x, axis=_axis(axis), keepdims=keepdims if keep_dims is None else keep_dims)


def _m_reshape(x, *shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return P.reshape(x, shape)


def _m_transpose(x, *axes):
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    return P.transpose(x, axes or None)


def _m_astype(x, dtype, copy=True):
    return P.astype(x, to_numpy(dtype))


def _m_squeeze(x, axis=None):
    return P.squeeze(x, axis=axis)


def _m_expand_dims(x, axis):
    return P.expand_dims(x, axis)


def _m_flatten(x):
    return P.reshape(x, (-1,))


METHODS = {
    "sum": _m_sum, "mean": _m_mean, "max": _m_max, "min": _m_min, "reshape": _m_reshape,
    "view": _m_reshape, "transpose": _m_transpose, "permute": _m_transpose,
    "astype": _m_astype, "to": _m_astype, "squeeze": _m_squeeze, "expand_dims": _m_expand_dims,
    "flatten": _m_flatten, "exp": _unary("exp"), "log": _unary("log"), "sqrt": _unary("sqrt"),
    "square": _unary("square"), "tanh": _unary("tanh"), "abs": _unary("abs"),
    "__abs__": _unary("abs"),
}

ATTRIBUTES = {
    "T": lambda x: P.transpose(x),
    "shape": lambda x: P.shape(x),
}


def method(name):
    return METHODS.get(name)


def attribute(name):
    return ATTRIBUTES.get(name)
