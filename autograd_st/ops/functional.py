"""MindSpore's functional ops (``ops.add``, ``ops.sum``, ``ops.softmax`` ...).

Takes: the functions :mod:`autograd_st.op_table` derives from its rows (each written once
over :data:`~autograd_st.prims.P`, so it runs eagerly on Tensors and the compiler binds it to
primitives when it appears in code being differentiated).
Gives: them under their MindSpore names and aliases (``ops.subtract`` is ``ops.sub``), and
``ones``/``zeros``, which build constants and are evaluated at compile time.
"""
from __future__ import annotations

import builtins
import functools

import numpy as np

from .. import dtype as mstype
from ..op_table import FUNCTIONS, NN_FUNCTIONS, filled_at_run_time
from ..tensor import Tensor
from .classes_nn import Print
from .composite.base import HyperMap, Map, MultitypeFuncGraph, tail

globals().update(FUNCTIONS)


def _static(fn):
    fn._autograd_st_static = True
    return fn


@_static
def ones(shape, dtype=None):
    """A Tensor of ones shaped ``shape`` (float32 unless ``dtype`` says otherwise)."""
    return Tensor(np.ones(shape, mstype.to_numpy(dtype) or np.float32))


@_static
def zeros(shape, dtype=None):
    """A Tensor of zeros shaped ``shape`` (float32 unless ``dtype`` says otherwise)."""
    return Tensor(np.zeros(shape, mstype.to_numpy(dtype) or np.float32))


ones._autograd_st_at_run_time = filled_at_run_time(1)
zeros._autograd_st_at_run_time = filled_at_run_time(0)


@_static
def make_range(*args):
    """MindSpore's ``F.make_range(*args)``: ``tuple(range(*args))`` of 1 to 3 ints (evaluated
    at compile time in differentiated code).  Errors as MindSpore 2.10's: TypeError for a
    non-int, RuntimeError for no argument, more than 3, or a zero step."""
    if not 1 <= len(args) <= 3:
        raise RuntimeError("For 'make_range', the input size should within [1, 3] but got%d"
                           % len(args))
    for i, a in enumerate(args):
        if isinstance(a, bool) or not isinstance(a, (int, np.integer)):
            raise TypeError("For 'make_range', the %dth input should be a int scalar but got %r"
                            % (i, a))
    if len(args) == 3 and args[2] == 0:
        raise RuntimeError("For 'range', the argument 'step' could not be 0.")
    return tuple(builtins.range(*(int(a) for a in args)))  # (ops.range shadows range here)


class _Partial:
    """MindSpore's ``F.partial(fn, *args)``: ``fn`` with its first arguments given (a
    ``functools.partial``, as MindSpore 2.10's PyNative mode returns; keywords are taken
    too).  In code being differentiated it is made at compile time and its call is a call
    of ``fn``, differentiated like the user's own."""

    def __call__(self, fn, *args, **kwargs):
        return functools.partial(fn, *args, **kwargs)

    def _autograd_st_bind_call(self, call, args, kwargs):
        return functools.partial(*args, **kwargs)

    def __repr__(self) -> str:
        return "partial"


partial = _Partial()


class Partial(_Partial):
    """MindSpore's ``ops.Partial()`` (``mindspore.ops.operations.other_ops.Partial``): an
    instance called as ``ops.Partial()(fn, *args)`` is ``F.partial(fn, *args)`` (a
    ``functools.partial``, as MindSpore 2.10 returns, measured); bound at compile time in
    code being differentiated, as ``F.partial``."""

    def __repr__(self) -> str:
        return "Partial"
depend = NN_FUNCTIONS["depend"]  # (ops.depend: F.depend(value, expr) is value)
mixed_precision_cast = NN_FUNCTIONS["mixed_precision_cast"]  # (F.mixed_precision_cast)
assign = NN_FUNCTIONS["assign"]  # (F.assign(ref, value): ops.assign; zoo clip cells)


def tuple_len(data):
    """MindSpore's ``ops.tuple_len(data)``: ``len(data)`` of a tuple or list (an int; in
    differentiated code what ``len`` is there: ``tuple_len(x.shape)`` is x's rank)."""
    return len(data)


def print_(*input_x):
    """MindSpore's ``ops.print_(*input_x)``: ``ops.Print()(*input_x)``: each input printed on a
    line of its own (a Tensor as its repr), None returned; in differentiated code it runs at
    run time, in program order, as MindSpore prints at run time."""
    return Print()(*input_x)


def scalar_add(x, y):
    """MindSpore's ``F.scalar_add(x, y)``: ``x + y`` (numbers, or Tensors as ``+``)."""
    return x + y


# (``depend`` and ``assign`` are not listed: ``ops`` publishes them from nn_func already; the composites are
# listed so that ``ops`` publishes them, as MindSpore's ``ops.HyperMap`` ...)
__all__ = list(FUNCTIONS) + ["ones", "zeros", "make_range", "tuple_len", "print_", "partial", "Partial", "scalar_add", "HyperMap", "Map",
                             "MultitypeFuncGraph", "tail"]
