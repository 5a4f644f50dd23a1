"""The one check of gradients that user code returns: a Cell's ``bprop`` and the rules given
with ``register_vjp`` (and, later, custom primitives' bprops) all go through
:func:`check_user_grads`.

Takes: what the user's backward returned, the inputs it is the gradient of (numpy arrays for
Tensors; anything else is not checked), and a :class:`GradSource` naming the user code.
Gives: one numpy array (or None) per input, or an error naming the Cell or rule, the input,
both shapes or dtypes, and the user's file:line.

MindSpore 2.10's two modes (measured, PyNative, CPU), chosen by
``context.set_context(check_bprop=...)``:

- ``check_bprop=False`` (the default): a single Tensor or a list stands for a tuple; fewer
  gradients than inputs raise (more are ignored); ``None`` is a zero gradient; a gradient
  whose shape the input broadcasts to is summed down to the input's shape (any other shape,
  a 0-d Tensor for a non-0-d input included, raises; so does a Python number, as a
  TypeError too); the dtype is cast to the input's.
- ``check_bprop=True``: the number must be equal, each gradient must be a Tensor of its
  input's dtype (TypeError) and shape (ValueError), exactly.

MindSpore raises RuntimeError in the first mode, TypeError/ValueError in the second; ours
are both (:class:`~autograd_st.errors.BpropTypeError` is a TypeError and a RuntimeError,
:class:`~autograd_st.errors.BpropShapeError` a ValueError and a RuntimeError).  The cost per
call when nothing is wrong is a shape and a dtype compare per input.
"""
from __future__ import annotations

import numpy as np

from . import context
from .errors import BpropShapeError, BpropTypeError
from .tensor import Tensor

__all__ = ["GradSource", "check_user_grads"]


class GradSource:
    """Who returned the gradients, for the messages: ``what`` ("method 'bprop' of net
    'MulAdd'" or "the rule registered with register_vjp for 'smooth_abs'"), the user
    function (its file:line is taken from its code) and the names of the inputs."""

    __slots__ = ("what", "fn", "names")

    def __init__(self, what: str, fn, names) -> None:
        self.what = what
        self.fn = fn
        self.names = tuple(names)

    def where(self) -> str:
        code = getattr(self.fn, "__code__", None)
        if code is None:
            return ""
        return " (%s:%d)" % (code.co_filename, code.co_firstlineno)

    def input_name(self, i: int) -> str:
        return (" '%s'" % self.names[i]) if i < len(self.names) else ""


def _raw(g):
    return g._data if isinstance(g, Tensor) else g


def check_user_grads(grads, inputs, source: GradSource, strict=None) -> tuple:
    """One gradient per input: for an array input a numpy array of its shape and dtype; for
    any other input what was returned, unchecked (Tensors unwrapped), checked as MindSpore checks a bprop's
    results (see the module docstring; ``strict`` defaults to ``check_bprop``)."""
    if strict is None:
        strict = context.get_context("check_bprop")
    n = len(inputs)
    if isinstance(grads, tuple):
        got = grads
    elif isinstance(grads, list) and not strict:
        got = tuple(grads)
    else:
        got = (grads,)
    if len(got) != n and (strict or len(got) < n):
        raise BpropTypeError(
            "For user defined %s%s, the number of return values(gradients) should be equal "
            "to the number of input arguments except 'out' and 'dout', which is: %d, but "
            "got:%d. Return a tuple with one gradient per input (%s)"
            % (source.what, source.where(), n, len(got), ", ".join(source.names[:n])))
    out = []
    for i, x in enumerate(inputs):
        g = _raw(got[i])
        if not isinstance(x, np.ndarray):  # a Python number or a constant: not checked
            out.append(g)
            continue
        if isinstance(g, np.ndarray) and g.shape == x.shape and g.dtype == x.dtype:
            out.append(g)  # the common case: nothing to do
            continue
        out.append(_fix(g, x, i, source, strict))
    return tuple(out)


def _fix(g, x, i, source, strict):
    head = ("For user defined %s%s, the %dth return value(gradient of the %dth argument%s)"
            % (source.what, source.where(), i, i, source.input_name(i)))
    if strict:
        if not isinstance(g, np.ndarray):
            raise BpropTypeError(
                "%s should be Tensor, but got %s, and the value is %r. Return a Tensor of "
                "shape %s and dtype %s" % (head, type(g).__name__, g, x.shape, x.dtype))
        if g.dtype != x.dtype:
            raise BpropTypeError(
                "%s should have the same dtype as the %dth argument, which is:%s, but got: %s. "
                "Cast it: .astype(%s)" % (head, i, x.dtype, g.dtype, x.dtype))
        raise BpropShapeError(
            "%s should have the same shape as the %dth argument, which is:%s, but got: %s."
            " Return a gradient of shape %s" % (head, i, x.shape, g.shape, x.shape))
    if g is None:
        return np.zeros_like(x)
    if not isinstance(g, np.ndarray) and x.shape != ():
        # MindSpore raises RuntimeError ("should be broadcast to expected shape"); this is
        # a TypeError too, as its check_bprop=True mode and older versions raise
        raise BpropTypeError(
            "%s should be Tensor of the %dth argument's shape, which is:%s, but got %s, and "
            "the value is %r. Return a Tensor of shape %s" % (head, i, x.shape,
                                                             type(g).__name__, g, x.shape))
    g = np.asarray(g)
    if g.shape != x.shape:
        try:
            fits = np.broadcast_shapes(x.shape, g.shape) == g.shape
        except ValueError:
            fits = False
        if not fits:
            raise BpropShapeError(
                "%s should have the same shape as the %dth argument, which is:%s, or one it "
                "broadcasts to, but got: %s (a Python number is a shape ()). Return a "
                "gradient of shape %s" % (head, i, x.shape, g.shape, x.shape))
        lead = g.ndim - x.ndim
        axes = tuple(range(lead)) + tuple(lead + k for k, d in enumerate(x.shape)
                                          if d == 1 and g.shape[lead + k] != 1)
        g = g.sum(axis=axes).reshape(x.shape)
    return g.astype(x.dtype, copy=False)
