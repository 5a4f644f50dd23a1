"""MindSpore's ``ops.Custom`` for Python functions (``func_type="pyfunc"``): a primitive whose
forward is a numpy function of the user's and whose backward is the ``bprop`` given to it.

Takes: :class:`~autograd_st.ops.primitive_base.Primitive`, Tensors and dtypes.
Gives: ``Custom``.  An instance is a primitive of the user's own to the compiler (as a
``PrimitiveWithInfer`` subclass written by the user): in differentiated code its call runs
the function on the inputs' values and ``bprop(*inputs, out, dout)`` gives its gradients;
without ``bprop`` it has no gradient (MindSpore: "bprop not defined").  The other kinds
(``aot``, ``julia``, ``akg``, ``hybrid``, ``tbe`` ...) compile or load native kernels: they are
refused here (MindSpore's CPU build runs only ``aot`` binaries built beforehand and
``pyfunc``).
"""
from __future__ import annotations

import inspect

import numpy as np

from .. import dtype as mstype
from ..errors import CustomOutputError
from ..tensor import Tensor, unwrap
from .primitive_base import Primitive

__all__ = ["Custom"]


def _refuse(func_type, func, what):
    raise TypeError("For 'Custom', 'func_type': %s, 'func': %s, %s" % (func_type, func, what))


class Custom(Primitive):
    """MindSpore's ``ops.Custom(func, out_shape=None, out_dtype=None, func_type='hybrid',
    bprop=None, reg_info=None)`` with ``func_type="pyfunc"``: ``func`` is called with the
    inputs as numpy arrays and returns an array (or a tuple of arrays: one output each);
    ``out_shape`` / ``out_dtype`` are the outputs' shapes and dtypes, or functions of the
    inputs' shapes / dtypes giving them (as MindSpore, a tuple of them for several outputs).
    ``bprop(*inputs, out, dout)`` returns the inputs' gradients (a tuple); it runs on Tensors
    and may call other ``Custom`` ops.

    Differs: an output whose shape or dtype is not the declared one raises CustomOutputError
    (MindSpore's CPU kernel copies its bytes: "memcpy failed", or values that are not the
    function's); ``func_type`` other than ``"pyfunc"`` raises TypeError (native kernels)."""

    def __new__(cls, func=None, *args, **kwargs):
        # one class per number of inputs (the function's, as MindSpore's ``inputs_num``):
        # the compiler passes a bprop one argument per parameter of ``__call__``
        if cls is Custom:
            cls = _BY_ARITY.get(_arity(func), Custom)
        return super().__new__(cls)

    def __init__(self, func, out_shape=None, out_dtype=None, func_type="hybrid", bprop=None,
                 reg_info=None) -> None:
        super().__init__("Custom")
        if func_type != "pyfunc":
            _refuse(func_type, func, "autograd_st runs only func_type='pyfunc' (a Python "
                    "function over numpy arrays); aot/julia/akg/hybrid/tbe kernels are "
                    "native code it cannot load. Write the kernel as a numpy function and "
                    "pass func_type='pyfunc'")
        if not callable(func):
            _refuse(func_type, func, "'func' must be a function")
        self.func = func
        self.out_shape = out_shape
        self.out_dtype = out_dtype
        self.func_type = func_type
        self.bprop = bprop
        self.reg_info = reg_info
        self.add_prim_attr("func_type", func_type)
        self.add_prim_attr("func_name", getattr(func, "__name__", "func"))

    def get_bprop(self):
        """The ``bprop`` given to the constructor (None: no gradient)."""
        return self.bprop

    def __call__(self, *inputs):
        return _RUN(self, *inputs)


class _Run:
    """Call ``func`` on the inputs' values and make its outputs Tensors of the declared
    shapes and dtypes.  (A callable object, not a function: the compiler runs it as it is,
    at run time, instead of compiling its body.)"""

    def __call__(self, op, *inputs):
        return _run(op, inputs)


_RUN = _Run()


def _run(self, inputs):
    if not (callable(self.out_shape) or isinstance(self.out_shape, (tuple, list))):
        _refuse(self.func_type, self.func, "'out_shape' must be one of [tuple, list, "
                "function], but got %s" % type(self.out_shape))
    if self.out_dtype is None:
        _refuse(self.func_type, self.func, "'out_dtype' must be a mindspore dtype, a "
                "tuple of them or a function, but got None")
    arrays = [np.asarray(unwrap(x)) for x in inputs]
    shapes = [tuple(a.shape) for a in arrays]
    dtypes = [x.dtype if isinstance(x, Tensor) else mstype.from_numpy(a.dtype)
              for x, a in zip(inputs, arrays)]
    want_shape = self.out_shape(*shapes) if callable(self.out_shape) else self.out_shape
    want_dtype = self.out_dtype(*dtypes) if callable(self.out_dtype) else self.out_dtype
    result = self.func(*arrays)
    multi = isinstance(want_dtype, (tuple, list))
    outs = result if multi else (result,)
    dts = want_dtype if multi else (want_dtype,)
    shs = want_shape if multi else (want_shape,)
    if not isinstance(outs, (tuple, list)) or len(outs) != len(dts):
        raise CustomOutputError(
            "ops.Custom(%s): out_dtype declares %d output(s), but the function returned "
            "%s. Return one array per declared output."
            % (self.attrs["func_name"], len(dts), type(result).__name__))
    tensors = []
    for i, (out, dt, sh) in enumerate(zip(outs, dts, shs)):
        arr = np.asarray(out)
        want_np = np.dtype(mstype.to_numpy(dt))
        if tuple(arr.shape) != tuple(sh) or arr.dtype != want_np:
            raise CustomOutputError(
                "ops.Custom(%s): output %d is %s of shape %s, but out_shape/out_dtype "
                "declare %s of shape %s (MindSpore copies the bytes as declared). Return "
                "that shape and dtype (e.g. .astype(np.%s)) or declare what is returned."
                % (self.attrs["func_name"], i, arr.dtype, tuple(arr.shape), want_np,
                   tuple(sh), want_np))
        tensors.append(Tensor(arr.copy()))
    return tuple(tensors) if multi else tensors[0]


def _arity(func):
    """The number of positional parameters of ``func`` (None: it takes ``*args``)."""
    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return None
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return None
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params)


class _Custom1(Custom):
    def __call__(self, x0):
        return _RUN(self, x0)


class _Custom2(Custom):
    def __call__(self, x0, x1):
        return _RUN(self, x0, x1)


class _Custom3(Custom):
    def __call__(self, x0, x1, x2):
        return _RUN(self, x0, x1, x2)


class _Custom4(Custom):
    def __call__(self, x0, x1, x2, x3):
        return _RUN(self, x0, x1, x2, x3)


class _Custom5(Custom):
    def __call__(self, x0, x1, x2, x3, x4):
        return _RUN(self, x0, x1, x2, x3, x4)


class _Custom6(Custom):
    def __call__(self, x0, x1, x2, x3, x4, x5):
        return _RUN(self, x0, x1, x2, x3, x4, x5)


_BY_ARITY = {1: _Custom1, 2: _Custom2, 3: _Custom3, 4: _Custom4, 5: _Custom5, 6: _Custom6}
for _cls in _BY_ARITY.values():
    _cls.__name__ = _cls.__qualname__ = "Custom"  # (its messages and repr name Custom)
    _cls._autograd_st_user_primitive = True

# to the compiler an ops.Custom is a primitive of the user's own: its __call__ is its forward
# (run on the values) and its bprop, if any, its backward
Custom._autograd_st_user_primitive = True
