"""Bindings: how the callables user code calls map onto primitives.

Takes: a Python object found in user code (``np.exp``, ``ops.sum``, a runtime helper, a
primitive instance such as ``ops.MatMul()``), or a method name on a runtime value.
Gives: a *composite*, a function written over :data:`~autograd_st.prims.P` that the
normalizer calls with Syms so that it emits primitive statements.

``ops.*`` functions and primitive classes are their own composites (marked ``bindable``).
The numpy functions and the Tensor methods come from :mod:`autograd_st.op_table`, the one
table of public ops (the same functions Tensor's eager methods are).  This module adds the
runtime helpers that generated code calls (so that generated code can be differentiated
again), the builtins ``abs`` and ``pow`` and the attributes ``x.T`` and ``x.shape``.
``SUPPORTED_NUMPY`` is the documented list of numpy functions with derivatives.
"""
from __future__ import annotations

import numpy as np

from .. import graph, rules, runtime
from ..errors import InputValueError
from ..op_table import METHODS, NUMPY, row_of
from ..prims import P, _Caller, has_sym
from ..user_grads import check_user_grads
from .markers import is_bindable, is_primitive_instance, is_user_primitive, kernel_primitive

__all__ = ["lookup", "method", "attribute", "SUPPORTED_NUMPY", "ZERO_GRAD_NUMPY"]

#: numpy functions whose result has no gradient (used on differentiated values they are fine).
ZERO_GRAD_NUMPY = tuple(f.__name__ for f, fn in NUMPY.items()
                        if not rules.REGISTRY[row_of(fn).prim].diff)

#: the numpy functions that differentiate, by name (documented in the README).
SUPPORTED_NUMPY = tuple(sorted({f.__name__ for f in NUMPY}))


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
    runtime.int_like: lambda y, x, how="mean": P.int_like(y, x, how),
    runtime.ms_promote: lambda x, other, true_div=False: P.ms_promote(x, other, true_div),
    runtime.first_order_value: _unary("first_order_value"),
}

def _rt_result_type(x):
    return P.dtype(x)  # (np.result_type of one value: what ``x.dtype`` generates)


_TABLE = {}
_TABLE.update(NUMPY)
_TABLE.update(_RUNTIME)
_TABLE[rules.tensor_isinstance] = lambda value, classinfo: P.isinstance(value, classinfo)
_TABLE[np.result_type] = _rt_result_type
_TABLE[abs] = NUMPY[np.abs]
_TABLE[pow] = NUMPY[np.power]  # (two arguments; pow(x, y, mod) is refused by its signature)
def _array_of(obj, dtype=None, copy=True):
    """``np.array(obj)`` / ``np.asarray(obj)`` of values being differentiated: an array
    itself (asarray) or a copy (array), a list or tuple of them stacked (nested: stacked
    again, ``np.array([[a, b], [c, d]])``), cast to ``dtype`` when given."""
    if isinstance(obj, (list, tuple)):
        items = [_array_of(item) for item in obj]
        if not all(has_sym(item) for item in items):
            raise InputValueError(
                "np.array of a list mixing values being differentiated with constants: "
                "make each item an array of the same shape (ops.full_like(x, c)), then "
                "np.stack(items)")
        out = NUMPY[np.stack](items)
    elif has_sym(obj):
        out = P.array_copy(obj) if copy else obj
    else:  # (a constant given with a value being differentiated elsewhere in the call)
        out = np.array(obj)
    return out if dtype is None else P.astype(out, np.dtype(dtype).name)


def _np_array(object, dtype=None, *, copy=True, order="K", subok=False, ndmin=0,
              like=None):
    if ndmin:
        raise InputValueError("np.array(..., ndmin=%d) of a value being differentiated: "
                              "reshape it instead" % ndmin)
    return _array_of(object, dtype, copy is not False)


def _np_asarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    return _array_of(a, dtype, bool(copy))


def _np_scalar_type(kind):
    """``np.float64(x)`` of an array being differentiated: ``x`` as that dtype."""
    def composite(x=0):
        return P.astype(x, np.dtype(kind).name)
    composite.__name__ = kind.__name__
    return composite


_TABLE[np.array] = _np_array
_TABLE[np.asarray] = _np_asarray
for _kind in (np.float64, np.float32, np.float16):
    _TABLE[_kind] = _np_scalar_type(_kind)

# a register_vjp rule's results are checked when the rule runs (first order); code that
# differentiates the generated backward (second order) takes them as they are
_TABLE[check_user_grads] = lambda grads, inputs, source, strict=None: grads
# ms.mutable only marks a value for MindSpore's graph compiler: the value itself
_TABLE[graph.mutable] = lambda input_data, dynamic_len=False: input_data


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
    if is_bindable(obj):
        return obj
    if isinstance(obj, _Caller):  # P.<primitive> itself
        return obj
    user = rules.USER_FUNCTIONS.get(obj) if _hashable(obj) else None
    if user is not None:  # registered with register_vjp
        return getattr(P, user)
    tag = kernel_primitive(obj)  # a kernel that is a primitive's body
    if tag is not None:
        return getattr(P, tag)
    if is_primitive_instance(obj) and not is_user_primitive(obj):
        return obj  # (a user's own primitive is compiled: its __call__ and its bprop)
    return None


# ---------------------------------------------------------------------------------------
# methods and attributes of runtime values (Tensors and numpy arrays alike)
# ---------------------------------------------------------------------------------------

ATTRIBUTES = {
    "T": lambda x: P.transpose(x),
    "shape": lambda x: P.shape(x),
    "ndim": lambda x: P.ndim(x),
    "size": lambda x: P.size(x),
    "dtype": lambda x: P.dtype(x),  # numpy's dtype at run time (equal to mstype's)
}


#: numpy arrays' methods that Tensor's eager method of the same name does not cover in
#: compiled code (``Tensor.copy`` is written in tensor.py: a new Tensor, eagerly).
ARRAY_METHODS = {
    "copy": lambda self, order="C": P.array_copy(self),
    # Tensor.asnumpy() / .numpy(): the values as numpy, outside the gradient (MindSpore's
    # PyNative follows no numpy computation); a runtime value already is that array
    "asnumpy": lambda self: P.stop_gradient(self),
    "numpy": lambda self: P.stop_gradient(self),
}


def method(name):
    """The composite for ``value.name(...)`` on a runtime value (Tensor's method, or a numpy
    array's), or None."""
    return METHODS.get(name) or ARRAY_METHODS.get(name)


def attribute(name):
    """The composite for ``value.name`` on a runtime value (``T``, ``shape``), or None."""
    return ATTRIBUTES.get(name)
