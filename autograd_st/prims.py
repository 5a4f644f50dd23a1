"""``P``: call a registered primitive by name, in either of two modes.

- Eagerly (the normal case): Tensors are unwrapped, the primitive's numpy function runs,
  and the result is wrapped back into a Tensor when an input was one.
- While the compiler binds user code (inside :class:`binding`), an argument that is a
  :class:`Sym` makes the call emit an IR statement instead and return a new Sym.

So a library function written over ``P`` (``ops.sum``, ``nn.Dense.construct`` helpers, Tensor
methods) is one definition that both runs and compiles.

A :class:`Sym` stands for a runtime value while user code is bound; it holds the IR variable
(``compiler.ir.Var``) the builder gave it.  The builder is whatever object :class:`binding`
installs: it must have ``emit_prim(prim, bound_args) -> Sym``.  This module imports nothing
from the compiler; the compiler imports it.
"""
from __future__ import annotations

import threading

import numpy as np

from . import rules
from .promotion import promote_pair
from .tensor import Tensor, quiet_call, wrap

__all__ = ["P", "bindable", "has_sym", "Sym", "binding", "current_builder"]


class Sym:
    """A runtime value while user code is being bound: operators emit primitives."""

    __slots__ = ("var",)

    def __init__(self, var) -> None:
        self.var = var  # a compiler.ir.Var

    def __repr__(self) -> str:
        return "Sym(%s)" % self.var.name

    def _bin(self, name, other, swap=False):
        return getattr(P, name)(other, self) if swap else getattr(P, name)(self, other)

    def __add__(self, o): return self._bin("add", o)
    def __radd__(self, o): return self._bin("add", o, True)
    def __sub__(self, o): return self._bin("sub", o)
    def __rsub__(self, o): return self._bin("sub", o, True)
    def __mul__(self, o): return self._bin("mul", o)
    def __rmul__(self, o): return self._bin("mul", o, True)
    def __truediv__(self, o): return self._bin("div", o)
    def __rtruediv__(self, o): return self._bin("div", o, True)
    def __pow__(self, o): return self._bin("pow", o)
    def __rpow__(self, o): return self._bin("pow", o, True)
    def __matmul__(self, o): return self._bin("matmul", o)
    def __rmatmul__(self, o): return self._bin("matmul", o, True)
    def __lt__(self, o): return self._bin("less", o)
    def __le__(self, o): return self._bin("less_equal", o)
    def __gt__(self, o): return self._bin("greater", o)
    def __ge__(self, o): return self._bin("greater_equal", o)

    def __neg__(self):
        return P.neg(self)

    def __getitem__(self, index):
        return P.getitem(self, index)

    def __iter__(self):
        # (without it Python would iterate through __getitem__, 0, 1, 2 ... for ever: a
        # runtime value's length is not known while the code is bound)
        raise TypeError("a runtime value cannot be iterated in library code (its length is "
                        "known only when the code runs); index it, or write the loop in the "
                        "differentiated function, where the compiler unrolls or keeps it")

    def __bool__(self):
        raise TypeError("a runtime value is used where a compile-time Python value is needed")

    __hash__ = object.__hash__


_state = threading.local()


def current_builder():
    """The builder currently binding user code on this thread, or None."""
    return getattr(_state, "builder", None)


class binding:
    """Context manager: route primitive calls on Syms into ``builder``."""

    def __init__(self, builder) -> None:
        self.builder = builder

    def __enter__(self):
        self.prev = current_builder()
        _state.builder = self.builder
        return self.builder

    def __exit__(self, *exc):
        _state.builder = self.prev
        return False


def has_sym(value) -> bool:
    """Whether ``value`` is, or holds (in a tuple, list or slice), a runtime value."""
    if isinstance(value, Sym):
        return True
    if isinstance(value, (tuple, list)):
        return any(has_sym(v) for v in value)
    if isinstance(value, slice):
        return has_sym(value.start) or has_sym(value.stop) or has_sym(value.step)
    return False


def _unwrap_deep(value):
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, tuple):
        return tuple(_unwrap_deep(v) for v in value)
    if isinstance(value, list):
        return [_unwrap_deep(v) for v in value]
    return value


_NUMPY_NUMBERS = (np.floating, np.integer, np.bool_)


def as_python_number(value):
    """A numpy scalar (``np.float64(2.0)``) as the Python number it holds; anything else
    unchanged.  MindSpore treats a numpy scalar operand of a Tensor operation as a Python
    number: ``ops.mul(float32 Tensor, np.float64(2.0))`` is float32, where numpy gives
    float64."""
    return value.item() if isinstance(value, _NUMPY_NUMBERS) else value


class _Caller:
    __slots__ = ("prim",)

    def __init__(self, prim) -> None:
        self.prim = prim

    def __call__(self, *args, **kwargs):
        prim = self.prim
        if len(args) > len(prim.params):
            raise TypeError("%s() takes %d arguments, got %d"
                            % (prim.name, len(prim.params), len(args)))
        bound = dict(zip(prim.params, args))
        for k, v in kwargs.items():
            if k not in prim.defaults and k not in prim.params:
                raise TypeError("%s() got an unexpected keyword argument %r" % (prim.name, k))
            bound[k] = v
        if any(has_sym(v) for v in bound.values()):
            builder = current_builder()
            if builder is None:
                raise RuntimeError("symbolic value used outside the compiler")
            return builder.emit_prim(prim, bound)
        tensor_in = any(isinstance(v, Tensor) for v in bound.values())
        if tensor_in and any(isinstance(v, _NUMPY_NUMBERS) for v in bound.values()):
            # MindSpore: a numpy scalar operand of a Tensor operation acts as a Python number
            bound = {k: as_python_number(v) if k in prim.diff else v
                     for k, v in bound.items()}
        args = {k: _unwrap_deep(v) for k, v in bound.items()}
        if tensor_in and prim.promotes and "x" in args and "y" in args:
            # MindSpore casts the operands to one dtype first (autograd_st/promotion.py)
            args["x"], args["y"] = promote_pair(args["x"], args["y"], prim.name == "div")
        out = quiet_call(prim.eager or prim.fn, **args)  # (silent where nan or inf appear)
        if tensor_in:
            return wrap(out) if not isinstance(out, Tensor) else out
        return out

    def __repr__(self) -> str:
        return "P.%s" % self.prim.name


class _Namespace:
    def __getattr__(self, name: str) -> _Caller:
        try:
            prim = rules.REGISTRY[name]
        except KeyError:
            raise AttributeError("no primitive named %r" % name) from None
        caller = _Caller(prim)
        setattr(self, name, caller)
        return caller


P = _Namespace()


def bindable(fn):
    """Mark a library function written over ``P``: the compiler calls it with Syms."""
    fn._autograd_st_bindable = True
    return fn
