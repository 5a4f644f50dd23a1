"""The op table: every public way of calling a primitive, each written once.

Takes: the rows of :data:`OPS` and :data:`NN_OPS` below, over the primitives that
:mod:`autograd_st.rules` and :mod:`autograd_st.rules_nn` register (called through
:data:`~autograd_st.prims.P`).
Gives: the functional ops (:data:`FUNCTIONS`, which ``autograd_st.ops`` publishes, and the
functional forms of the nn layers, :data:`NN_FUNCTIONS`, which ``autograd_st.ops.nn_func``
publishes), the Tensor methods (:data:`METHODS`, installed on
:class:`~autograd_st.tensor.Tensor` when this module is imported), the numpy functions that
compiled code binds to primitives (:data:`NUMPY`, read by ``compiler.bindings``) and the
primitive classes that are plain calls (:data:`CLASSES`, built by ``ops.operations``).

A row (:class:`Op`) is one *calling convention* of one primitive: one function, and every
public name that is that function.  The row::

    Op("exp", "input", ops=("exp",), methods=("exp",), numpy=(np.exp,), classes=("Exp",))

generates ``def exp(input): return P.exp(input)`` and makes it ``ops.exp``, ``Tensor.exp``,
what ``np.exp`` means in compiled code, and the call of ``ops.Exp()``.  Because it is written
over ``P``, the one function runs eagerly on Tensors and, while the compiler binds user code,
emits the primitive.  A generated function passes its parameters to the primitive in order,
so its parameter string lists (some of) the primitive's parameters under the names users
call them by.  Where the arguments need adapting (MindSpore's ``keep_dims`` for numpy's
``keepdims``, a list of axes for a tuple, a dtype object for a numpy dtype) or the op is made
of several primitives, the row names an adapter written once in this module (``fn=``).
A primitive reached by several conventions (``ops.sum(input, dim, keepdim)``,
``ops.reduce_sum(input, axis, keep_dims)``, ``Tensor.sum(axis, keepdims)``,
``np.sum(a, axis, dtype, out, keepdims)``) has one row per convention.

Adding an op: one row here; a new primitive also needs its rules (``rules.py``) and a row in
``tests/rule_specs.py``.  ``tests/test_op_table.py`` checks the table against the registry,
``ops``, Tensor and numpy.

The generated functions' source is registered in ``linecache`` under :data:`SOURCE_FILE`, so
tracebacks show it and ``ops.grad(ops.sin)`` can read it like any other function.
"""
from __future__ import annotations

import ast
import linecache
import os
from typing import Callable

import numpy as np

from . import dtype as mstype
from . import (  # noqa: F401
    rules,
    rules_nn,
    table_array,
    table_comm,
    table_detect,
    table_gaps,
    table_grid,
    table_index,
    table_linalg,
    table_loss,
    table_math,
    table_more,
    table_nn,
    table_nn3d,
    table_numpy,
)
from .op_row import Op
from .prims import P, Sym, bindable
from .tensor import Tensor

__all__ = ["Op", "OPS", "NN_OPS", "FUNCTIONS", "NN_FUNCTIONS", "METHODS", "NUMPY", "CLASSES",
           "SOURCE_FILE", "row_of", "filled_at_run_time"]


# ---------------------------------------------------------------------------------------
# argument adapters
# ---------------------------------------------------------------------------------------

def _ms_axis(axis):
    """MindSpore's ``axis``/``dim`` as numpy's: a list is a tuple, and ``()`` means every
    axis (MindSpore's default for its reductions)."""
    if isinstance(axis, list):
        axis = tuple(axis)
    if isinstance(axis, tuple) and not axis:
        return None
    return axis


def _np_axis(axis):
    """numpy's ``axis``: a list of axes is a tuple (``()`` stays ``()``: no axis)."""
    return tuple(axis) if isinstance(axis, list) else axis


def _astype(x, dtype):
    # a dtype read from a runtime value (``ops.cast(y, x.dtype)``) is numpy's, at run time
    return P.astype(x, dtype if isinstance(dtype, Sym) else mstype.to_numpy(dtype))


# ---------------------------------------------------------------------------------------
# adapters of ``ops`` functions (MindSpore's signatures)
# ---------------------------------------------------------------------------------------

def div(input, other, rounding_mode=None):
    """``input / other`` element-wise, broadcasting (true division; ``rounding_mode`` is
    accepted for MindSpore's signature and not applied)."""
    return P.div(input, other)


def dense(input, weight, bias=None):
    """MindSpore's ``ops.dense(input, weight, bias=None)``: ``input @ weight.T + bias``, weight
    shaped ``(out, in)`` or ``(in,)`` (measured on 2.10: a 1-D weight gives ``input``'s
    leading axes, a 1-D input ``(out,)``)."""
    out = P.matmul(input, P.transpose(weight))
    return out if bias is None else P.add(out, bias)


def exp2(input):
    """``2 ** input`` element-wise."""
    return P.pow(2.0, input)


def log1p(input):
    """``log(1 + input)`` element-wise (accurate near 0)."""
    return P.log1p(input)


def rsqrt(input):
    """``1 / sqrt(input)`` element-wise."""
    return P.div(1.0, P.sqrt(input))


def reciprocal(input):
    """``1 / input`` element-wise."""
    return P.div(1.0, input)


def clamp(input, min=None, max=None):
    """``input`` limited to ``[min, max]`` (either may be None: no limit on that side).  The
    interval is closed, as in MindSpore's clamp: at a bound the gradient goes to ``input``
    (``maximum`` would split it), below ``min`` to ``min``, above ``max`` to ``max``."""
    out = input
    if min is not None:
        out = P.where(P.less(out, min), min, out)
    if max is not None:
        out = P.where(P.greater(out, max), max, out)
    return out


def sum_(input, dim=None, keepdim=False, *, dtype=None):
    """The sum over ``dim`` (an int, a tuple or list of ints; None or ``()``: every axis),
    cast to ``dtype`` when given."""
    out = P.sum(input, axis=_ms_axis(dim), keepdims=keepdim)
    return out if dtype is None else _astype(out, dtype)


def reduce_sum(input, axis=None, keep_dims=False):
    """The sum over ``axis`` (None or ``()``: every axis); an integer or bool Tensor's in its
    own dtype, as MindSpore's ``ReduceSum`` (``ops.sum`` and ``Tensor.sum`` give int64; a bool
    mask's reduce_sum is whether any entry is True)."""
    return P.int_like(P.sum(input, axis=_ms_axis(axis), keepdims=keep_dims), input,
                      "reduce_sum")


def mean(input, axis=None, keep_dims=False):
    """The mean over ``axis`` (None or ``()``: every axis); an integer Tensor's in its own
    dtype, rounded toward zero, as MindSpore's."""
    return P.int_like(P.mean(input, axis=_ms_axis(axis), keepdims=keep_dims), input)


def amax(input, axis=None, keepdims=False):
    """The maximum over ``axis`` (None or ``()``: every axis); the values only."""
    return P.max(input, axis=_ms_axis(axis), keepdims=keepdims)


def amin(input, axis=None, keepdims=False):
    """The minimum over ``axis`` (None or ``()``: every axis); the values only."""
    return P.min(input, axis=_ms_axis(axis), keepdims=keepdims)


def logsumexp(input, dim, keepdim=False):
    """``log(sum(exp(input)))`` over ``dim``, without overflow."""
    return P.logsumexp(input, axis=_ms_axis(dim), keepdims=keepdim)


def softmax(input, axis=-1, *, dtype=None):
    """Softmax along ``axis``."""
    return P.softmax(input, axis=axis)


def ones_like(input, *, dtype=None):
    """Ones shaped and typed like ``input`` (no gradient)."""
    return P.ones_like(input)


def zeros_like(input, *, dtype=None):
    """Zeros shaped and typed like ``input`` (no gradient)."""
    return P.zeros_like(input)


def cast(input, dtype):
    """``input`` converted to ``dtype`` (a MindSpore or numpy dtype)."""
    return _astype(input, dtype)


def mixed_precision_cast(dst_type, x):
    """MindSpore's ``F.mixed_precision_cast(dst_type, x)``: the float Tensors in ``x`` (a
    Tensor, or tuples, lists and dicts of them) cast to ``dst_type``; everything else as it
    is.  What ``amp``'s output wrappers and ``Cell.to_float`` cast with."""
    if isinstance(x, (tuple, list)):
        return type(x)(mixed_precision_cast(dst_type, v) for v in x)
    if isinstance(x, dict):
        return {k: mixed_precision_cast(dst_type, v) for k, v in x.items()}
    return P.mp_cast(x, np.dtype(mstype.to_numpy(dst_type)))


def reshape(input, shape):
    """``input`` with the shape ``shape`` (a tuple or list; one entry may be -1)."""
    return P.reshape(input, tuple(shape) if isinstance(shape, list) else shape)


def flatten(input, order="C", *, start_dim=1, end_dim=-1):
    """MindSpore's ``ops.flatten(input, order='C', *, start_dim=1, end_dim=-1)``: the axes
    ``start_dim..end_dim`` merged into one (a 0-D or 1-D input: a vector)."""
    return P.flatten(input, start_dim, end_dim)


def transpose(input, dims=None, *, input_perm=None):
    """MindSpore's ``ops.transpose(input, dims)`` (older: ``input_perm``): the axes
    permuted."""
    return P.transpose(input, tuple(dims if input_perm is None else input_perm))


def permute(input, axis):
    """MindSpore's ``ops.permute(input, axis)``: the axes permuted."""
    return P.transpose(input, tuple(axis))


def squeeze(input, axis=None):
    """``input`` without its axes of length 1 (those in ``axis``; None or ``()``: all)."""
    return P.squeeze(input, axis=_ms_axis(axis))


def concat(tensors, axis=0):
    """The tensors joined along ``axis``."""
    out = tensors[0]
    for t in tensors[1:]:
        out = P.concat2(out, t, axis=axis)
    return out


def stack(tensors, axis=0):
    """The tensors stacked along a new axis ``axis``."""
    return concat([P.expand_dims(t, axis) for t in tensors], axis=axis)


# ---------------------------------------------------------------------------------------
# adapters of Tensor methods (the same on Tensors eagerly and on values in compiled code)
# ---------------------------------------------------------------------------------------

def _no_out(method: str, out) -> None:
    if out is not None:  # numpy's np.sum(t, out=buf) calls t.sum(out=buf)
        raise TypeError("Tensor.%s does not write into out=; use its result instead" % method)


def _m_sum(self, axis=None, keepdims=False, dtype=None, out=None, *, keep_dims=None,
           initial=None):
    """The sum over ``axis`` (None: every axis), plus ``initial``, cast to ``dtype``."""
    _no_out("sum", out)
    keep = keepdims if keep_dims is None else keep_dims
    result = P.sum(self, axis=_np_axis(axis), keepdims=keep)
    if initial is not None:
        result = P.add(result, initial)
    return result if dtype is None else _astype(result, dtype)


def _m_mean(self, axis=None, keep_dims=False, dtype=None, out=None, *, keepdims=None):
    """The mean over ``axis`` (None: every axis), cast to ``dtype`` when given."""
    _no_out("mean", out)
    keep = keep_dims if keepdims is None else keepdims
    result = P.int_like(P.mean(self, axis=_np_axis(axis), keepdims=keep), self)
    return result if dtype is None else _astype(result, dtype)


def _reduce_with_index(self, which, args, kw):
    """MindSpore 2.10's ``Tensor.max``/``Tensor.min`` overloads (measured): ``t.max()`` and
    ``t.max(axis=None, keepdims=False, *, initial=None, where=None, return_indices=False)``
    give the values (``(values, indices)`` with ``return_indices=True``); ``t.max(dim,
    keepdim=False)`` (``dim`` positional without the other overload's keywords, or
    ``dim=``) gives ``(values, indices)``, as ``ops.max`` does."""
    _no_out(which, kw.pop("out", None))
    old = {"axis", "keepdims", "keep_dims", "initial", "where"} & set(kw)
    if kw.get("return_indices") or "dim" in kw or (args and not old):
        axis = args[0] if args else kw.get("dim", kw.get("axis"))
        keep = args[1] if len(args) > 1 else kw.get("keepdim", kw.get("keepdims", False))
        fn = table_array.max_ if which == "max" else table_array.min_
        return fn(self, axis, bool(keep), initial=kw.get("initial"), where=kw.get("where"))
    axis = args[0] if args else kw.get("axis")
    keep = args[1] if len(args) > 1 else kw.get("keepdims", kw.get("keep_dims", False))
    initial = kw.get("initial")
    if which == "max":
        result = P.max(self, axis=_np_axis(axis), keepdims=keep)
        return result if initial is None else P.maximum(result, initial)
    result = P.min(self, axis=_np_axis(axis), keepdims=keep)
    return result if initial is None else P.minimum(result, initial)


def _m_max(self, *args, **kw):
    """``Tensor.max``: see :func:`_reduce_with_index`."""
    return _reduce_with_index(self, "max", args, kw)


def _m_min(self, *args, **kw):
    """``Tensor.min``: see :func:`_reduce_with_index`."""
    return _reduce_with_index(self, "min", args, kw)


def _m_reshape(self, *shape):
    """The values with shape ``shape`` (``t.reshape(2, 3)``, ``t.reshape((2, 3))``, or one
    value computed at run time, ``t.reshape(y.shape)``)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    elif len(shape) == 1 and isinstance(shape[0], Sym):  # (a run-time shape, or an int)
        shape = shape[0]
    return P.reshape(self, shape)


def _m_transpose(self, *axes):
    """The axes permuted (``t.transpose(1, 0)``, ``t.transpose((1, 0))``; none: reversed)."""
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    return P.transpose(self, axes or None)


def _m_astype(self, dtype, copy=True):
    """The values converted to ``dtype`` (a MindSpore or numpy dtype)."""
    return _astype(self, dtype)


def _m_squeeze(self, axis=None):
    """Without the axes of length 1 (those in ``axis``; None: all)."""
    return P.squeeze(self, axis=_np_axis(axis))


def _m_flatten(self, *dims, order="C", start_dim=0, end_dim=-1):
    """``Tensor.flatten(start_dim=0, end_dim=-1)`` / ``(order='C', *, start_dim=0,
    end_dim=-1)``: the axes ``start_dim..end_dim`` merged (all by default)."""
    if dims and isinstance(dims[0], str):
        dims = dims[1:]
    if dims:
        start_dim = dims[0]
    if len(dims) > 1:
        end_dim = dims[1]
    return P.flatten(self, start_dim, end_dim)


# ---------------------------------------------------------------------------------------
# adapters of numpy functions (numpy's signatures)
# ---------------------------------------------------------------------------------------

def _np_sum(a, axis=None, dtype=None, out=None, keepdims=False):
    return P.sum(a, axis=_np_axis(axis), keepdims=keepdims)


def _np_mean(a, axis=None, dtype=None, out=None, keepdims=False):
    return P.mean(a, axis=_np_axis(axis), keepdims=keepdims)


def _np_max(a, axis=None, out=None, keepdims=False):
    return P.max(a, axis=_np_axis(axis), keepdims=keepdims)


def _np_min(a, axis=None, out=None, keepdims=False):
    return P.min(a, axis=_np_axis(axis), keepdims=keepdims)


def _np_reshape(a, shape=None, order="C", newshape=None):
    return P.reshape(a, shape if shape is not None else newshape)


def _np_clip(a, a_min=None, a_max=None):
    return clamp(a, a_min, a_max)


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


# ---------------------------------------------------------------------------------------
# adapters of the nn layers' functional forms
# ---------------------------------------------------------------------------------------



# ---------------------------------------------------------------------------------------
# the table
# ---------------------------------------------------------------------------------------

_UNARY = "input"
_BINARY = "input, other"

#: the functional ops, published as ``autograd_st.ops.<name>``.
_CORE_OPS: tuple[Op, ...] = (
    # element-wise, broadcasting
    Op("add", _BINARY, ops=("add",), methods=("add",), numpy=(np.add,), classes=("Add",)),
    Op("sub", _BINARY, ops=("sub", "subtract"), methods=("sub",), numpy=(np.subtract,),
       classes=("Sub",)),
    Op("mul", _BINARY, ops=("mul", "multiply"), methods=("mul",), numpy=(np.multiply,),
       classes=("Mul",)),
    Op("div", fn=div, ops=("div", "divide"), methods=("div",), classes=("Div", "RealDiv")),
    Op("div", "x1, x2", numpy=(np.divide, np.true_divide)),
    Op("pow", "input, exponent", ops=("pow",), methods=("pow",), numpy=(np.power,),
       classes=("Pow",)),
    Op("maximum", _BINARY, ops=("maximum",), methods=("maximum",), numpy=(np.maximum,),
       classes=("Maximum",)),
    Op("minimum", _BINARY, ops=("minimum",), methods=("minimum",), numpy=(np.minimum,),
       classes=("Minimum",)),
    Op("where", "condition, input, other", ops=("where",)),
    Op("where", "condition, x, y", numpy=(np.where,)),
    Op("maximum", fn=clamp, ops=("clamp", "clip")),
    Op("maximum", fn=_np_clip, numpy=(np.clip,)),
    Op("logaddexp", "x1, x2", numpy=(np.logaddexp,)),
    # element-wise, one argument
    Op("neg", _UNARY, ops=("neg", "negative"), methods=("neg",), numpy=(np.negative,),
       classes=("Neg",)),
    Op("exp", _UNARY, ops=("exp",), methods=("exp",), numpy=(np.exp,), classes=("Exp",)),
    Op("pow", fn=exp2, ops=("exp2",)),
    Op("log", _UNARY, ops=("log",), methods=("log",), numpy=(np.log,), classes=("Log",)),
    Op("log1p", fn=log1p, ops=("log1p",)),
    Op("sin", _UNARY, ops=("sin",), methods=("sin",), numpy=(np.sin,), classes=("Sin",)),
    Op("cos", _UNARY, ops=("cos",), methods=("cos",), numpy=(np.cos,), classes=("Cos",)),
    Op("tanh", _UNARY, ops=("tanh",), methods=("tanh",), numpy=(np.tanh,), classes=("Tanh",)),
    Op("sigmoid", _UNARY, ops=("sigmoid",), methods=("sigmoid",), classes=("Sigmoid",)),
    Op("relu", _UNARY, ops=("relu",), classes=("ReLU",)),
    Op("sqrt", _UNARY, ops=("sqrt",), methods=("sqrt",), numpy=(np.sqrt,), classes=("Sqrt",)),
    Op("div", fn=rsqrt, ops=("rsqrt",)),
    Op("div", fn=reciprocal, ops=("reciprocal",)),
    Op("square", _UNARY, ops=("square",), methods=("square",), numpy=(np.square,),
       classes=("Square",)),
    Op("abs", _UNARY, ops=("abs",), methods=("abs", "__abs__"), numpy=(np.abs, np.absolute),
       classes=("Abs",)),
    Op("sign", _UNARY, ops=("sign",), numpy=(np.sign,)),
    Op("stop_gradient", "value", ops=("stop_gradient",), classes=("StopGradient",),
       doc="The value, with no gradient flowing through it."),
    Op("ones_like", fn=ones_like, ops=("ones_like",), classes=("OnesLike",)),
    Op("ones_like", "a", numpy=(np.ones_like,)),
    Op("zeros_like", fn=zeros_like, ops=("zeros_like",), classes=("ZerosLike",)),
    Op("zeros_like", "a", numpy=(np.zeros_like,)),
    Op("astype", fn=cast, ops=("cast",), classes=("Cast",)),
    Op("astype", fn=_m_astype, methods=("astype", "to")),
    # linear algebra
    Op("matmul", _BINARY, ops=("matmul", "dot"), methods=("matmul",), numpy=(np.matmul,)),
    Op("matmul", "a, b", numpy=(np.dot,)),
    # reductions
    Op("sum", fn=sum_, ops=("sum",)),
    Op("sum", fn=reduce_sum, ops=("reduce_sum",)),
    Op("sum", fn=_m_sum, methods=("sum",)),
    Op("sum", fn=_np_sum, numpy=(np.sum,)),
    Op("mean", fn=mean, ops=("mean", "reduce_mean")),
    Op("mean", fn=_m_mean, methods=("mean",)),
    Op("mean", fn=_np_mean, numpy=(np.mean,)),
    Op("max", fn=amax, ops=("amax",)),
    Op("max", fn=_m_max, methods=("max",)),
    Op("max", fn=_np_max, numpy=(np.max, np.amax)),
    Op("min", fn=amin, ops=("amin",)),
    Op("min", fn=_m_min, methods=("min",)),
    Op("min", fn=_np_min, numpy=(np.min, np.amin)),
    Op("logsumexp", fn=logsumexp, ops=("logsumexp",)),
    Op("softmax", fn=softmax, ops=("softmax",)),
    Op("log_softmax", "logits, axis=-1", ops=("log_softmax",)),
    # shapes
    Op("reshape", fn=reshape, ops=("reshape",), classes=("Reshape",)),
    Op("reshape", fn=_m_reshape, methods=("reshape", "view")),
    Op("reshape", fn=_np_reshape, numpy=(np.reshape,)),
    Op("flatten", fn=flatten, ops=("flatten",)),
    Op("flatten", fn=_m_flatten, methods=("flatten",)),
    Op("take_along", fn=table_array.max_, ops=("max",)),
    Op("take_along", fn=table_array.min_, ops=("min",)),
    Op("transpose", fn=transpose, ops=("transpose",), classes=("Transpose", "TransposeView")),
    Op("transpose", fn=permute, ops=("permute",)),
    Op("transpose", "input", ops=("t",)),
    Op("transpose", fn=_m_transpose, methods=("transpose", "permute")),
    Op("transpose", "a, axes=None", numpy=(np.transpose,)),
    Op("expand_dims", "input_x, axis", ops=("expand_dims", "unsqueeze"),
       methods=("expand_dims",), classes=("ExpandDims",)),
    Op("expand_dims", "a, axis", numpy=(np.expand_dims,)),
    Op("squeeze", fn=squeeze, ops=("squeeze",)),
    Op("squeeze", fn=_m_squeeze, methods=("squeeze",)),
    Op("squeeze", "a, axis=None", numpy=(np.squeeze,)),
    Op("broadcast_to", fn=table_array.broadcast_to, ops=("broadcast_to",)),
    Op("broadcast_to", "array, shape", numpy=(np.broadcast_to,)),
    Op("concat2", fn=concat, ops=("concat", "cat")),
    Op("concat2", fn=stack, ops=("stack",)),
    Op("concat2", fn=_np_concatenate, numpy=(np.concatenate,)),
    Op("concat2", fn=_np_stack, numpy=(np.stack,)),
    # no gradient: read a value's structure
    Op("shape", "a", numpy=(np.shape,)),
    Op("size", "a", numpy=(np.size,)),
    Op("ndim", "a", numpy=(np.ndim,)),
)

#: the functional forms the nn layers and losses are written with, published as
#: ``autograd_st.ops.nn_func.<name>`` (those MindSpore has also as ``ops.<name>``); the
#: convolutions, pooling and resampling (``conv2d``, ``bias_add`` ...) are in ``table_nn``.
_CORE_NN_OPS: tuple[Op, ...] = (
    Op("matmul", fn=dense, ops=("dense",)),
    Op("linear", "input, weight, bias=None", ops=("linear",),
       doc="``input @ weight.T + bias`` over the last axis of ``input`` (weight shaped (out, "
           "in)): nn.Dense's product, its leading axes one 2-D matmul as in MindSpore's "
           "Dense, the bias added into the product's own array."),
    Op("var", "input, axis=None, ddof=0, keepdims=False", ops=("var",),
       doc="Variance (``ddof=1``: unbiased), differentiable."),
    Op("erf", _UNARY, ops=("erf",), doc="The error function, differentiable."),
    Op("softplus", fn=table_math.softplus, ops=("softplus",)),
    Op("flatten", "input, start_dim=1, end_dim=-1", ops=("flatten",),
       doc="Merge axes ``start_dim..end_dim`` into one."),
    Op("getitem", "table, indices", ops=("gather_rows",),
       doc="``table[indices]``: rows of a 2-D table (gradients of repeated rows accumulate)."),
    Op("ms_one_hot", fn=table_math.ms_one_hot, ops=("one_hot",)),
    Op("one_hot_like", "indices, like, axis=-1, ignore_index=None", ops=("one_hot_like",),
       doc="One-hot labels shaped and typed like ``like``, classes along ``axis``; rows whose "
           "index is ``ignore_index`` are all zeros (no gradient)."),
    Op("reshape_along", "v, like, axis=1", ops=("reshape_along",),
       doc="The vector ``v`` shaped to broadcast against ``like`` along ``axis``."),
    Op("assign", "ref, value", ops=("assign",), classes=("Assign",),
       doc="Write ``value`` into Parameter ``ref`` in place (no gradient); returns ``ref``."),
    Op("mp_cast", fn=mixed_precision_cast, ops=("mixed_precision_cast",)),
    Op("depend", "value, effect", ops=("depend",),
       doc="``value``, computed after ``effect`` (keeps a side effect such as ``assign`` "
           "alive)."),
    Op("dropout_mask", fn=table_math.ms_dropout, ops=("dropout",)),
)


#: every functional op: the core rows above and the family tables' rows.
OPS: tuple[Op, ...] = (_CORE_OPS + table_array.OPS + table_math.OPS + table_more.OPS
                       + table_comm.OPS + table_linalg.OPS + table_loss.OPS
                       + table_index.OPS + table_numpy.OPS + table_detect.OPS
                       + table_grid.OPS + table_gaps.OPS)
#: every nn functional form.
NN_OPS: tuple[Op, ...] = _CORE_NN_OPS + table_nn.OPS + table_nn3d.OPS


# ---------------------------------------------------------------------------------------
# deriving the functions, methods and bindings from the table
# ---------------------------------------------------------------------------------------

#: the path-like name the generated functions' source is registered under in ``linecache``.
SOURCE_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "op_table.py[generated]")


class _SourceLoader:
    """Gives ``linecache`` the generated source again after ``linecache.clearcache()`` (it
    asks the ``__loader__`` of a function's globals, PEP 302's ``get_source``)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def get_source(self, name: str) -> str:
        return self.text


def _public_name(row: Op) -> str:
    if row.ops:
        return row.ops[0]
    if row.methods:
        return row.methods[0]
    if row.numpy:
        return row.numpy[0].__name__
    return row.classes[0]


def _is_literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
        return True
    except (ValueError, TypeError, SyntaxError):
        return False


def _parameter_names(row: Op) -> list[str]:
    """The names in ``row.params``; only plain parameters with literal defaults."""
    where = "op table row %r (primitive %r)" % (_public_name(row), row.prim)
    try:
        fdef = ast.parse("def f(%s): pass" % row.params).body[0]
    except SyntaxError as exc:
        raise ValueError("%s: params %r do not parse: %s" % (where, row.params, exc)) from None
    args = fdef.args
    if args.posonlyargs or args.vararg or args.kwonlyargs or args.kwarg \
            or not all(_is_literal(d) for d in args.defaults):
        raise ValueError("%s: params %r may name plain parameters with literal defaults only; "
                         "write an adapter and pass it as fn=" % (where, row.params))
    names = [a.arg for a in args.args]
    prim = rules.REGISTRY[row.prim]
    if len(names) > len(prim.params):
        raise ValueError("%s: params %r are more than the primitive's (%s)"
                         % (where, row.params, ", ".join(prim.params)))
    return names


def _source_of(row: Op) -> str:
    names = _parameter_names(row)
    doc = row.doc or "The ``%s`` primitive (see autograd_st.rules)." % row.prim
    if '"""' in doc or "\\" in doc:
        raise ValueError("op table row %r: doc must not hold triple quotes or backslashes"
                         % _public_name(row))
    return 'def %s(%s):\n    """%s"""\n    return P.%s(%s)\n' % (
        _public_name(row), row.params, doc, row.prim, ", ".join(names))


def _generate(rows: list[Op]) -> list[Callable]:
    """One function per row, from one source text registered in ``linecache``."""
    text = "\n\n".join(_source_of(row) for row in rows)
    namespace = {"P": P, "__name__": __name__ + "[generated]",
                 "__loader__": _SourceLoader(text)}
    linecache.cache[SOURCE_FILE] = (len(text), None, text.splitlines(True), SOURCE_FILE)
    functions = []
    for fdef in ast.parse(text, SOURCE_FILE).body:  # each def alone: names may repeat
        exec(compile(ast.Module([fdef], []), SOURCE_FILE, "exec"), namespace)
        functions.append(namespace.pop(fdef.name))
    return functions


def _put(table: dict, key, fn: Callable, what: str) -> None:
    if key in table and table[key] is not fn:
        raise ValueError("op table: %s is given by two rows; keep one" % what)
    table[key] = fn


def row_of(fn) -> Op | None:
    """The table row a function (an op, a Tensor method, a numpy binding) comes from."""
    return getattr(fn, "_autograd_st_op", None)


def _check(row: Op) -> None:
    if not (row.ops or row.methods or row.numpy or row.classes):
        raise ValueError("op table row for %r publishes nothing" % row.prim)
    if not (_public_name(row).isidentifier() and row.prim.isidentifier()):
        raise ValueError("op table row %r (primitive %r): names must be identifiers"
                         % (_public_name(row), row.prim))
    if row.prim not in rules.REGISTRY:
        raise LookupError("op table row %r names no registered primitive %r; register it "
                          "in rules.py or rules_nn.py" % (_public_name(row), row.prim))
    if (row.fn is None) == (not row.params):
        raise ValueError("op table row %r: give either params (a generated function) or "
                         "fn (an adapter), not both or neither" % _public_name(row))


def _build():
    rows = OPS + NN_OPS
    for row in rows:
        _check(row)
    generated = iter(_generate([row for row in rows if row.fn is None]))
    functions, nn_functions, methods, numpy_, classes = {}, {}, {}, {}, {}
    for table, published in ((OPS, functions), (NN_OPS, nn_functions)):
        for row in table:
            fn = bindable(row.fn if row.fn is not None else next(generated))
            fn._autograd_st_op = row
            fn.__name__ = _public_name(row)  # help() shows the name users call it by
            for name in row.ops:
                _put(published, name, fn, "ops." + name)
            for name in row.methods:
                _put(methods, name, fn, "Tensor." + name)
            for f in row.numpy:
                _put(numpy_, f, fn, "np." + f.__name__)
            for name in row.classes:
                _put(classes, name, fn, "ops." + name)
    return functions, nn_functions, methods, numpy_, classes


FUNCTIONS, NN_FUNCTIONS, METHODS, NUMPY, CLASSES = _build()


def _install_methods() -> None:
    """Put :data:`METHODS` on Tensor.  ``tensor.py`` is below this module and cannot import
    it, so the table reaches down (as ``jax/_src/numpy/array_methods.py`` does for JAX's
    arrays); a method written in both places is refused, so each stays written once."""
    for name, fn in METHODS.items():
        own = vars(Tensor).get(name)
        if own is not None and row_of(own) is None:
            raise TypeError("Tensor.%s is written in tensor.py and derived from the op table; "
                            "delete the one in tensor.py" % name)
        setattr(Tensor, name, fn)


_install_methods()


def filled_at_run_time(value):
    """The form a maker of ``value``-filled Tensors (``ops.ones``/``zeros``,
    ``mindspore.numpy.ones``/``zeros``/``empty``) takes in compiled code when its shape is
    known only at run time (``(x.shape[0], 4)``, ``x.shape``): the table's ``fill``, made
    when the code runs (float32 unless a dtype is given)."""
    def at_run_time(shape, dtype=None):
        return FUNCTIONS["fill"](dtype if dtype is not None else mstype.float32, shape, value)
    return at_run_time
