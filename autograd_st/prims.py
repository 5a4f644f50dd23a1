"""``P``: call a registered primitive by name, in either of two modes.

- Eagerly (the normal case): Tensors are unwrapped, the primitive's numpy function runs,
  and the result is wrapped back into a Tensor when an input was one.
- While the compiler binds user code (``compiler.ir.binding``), an argument that is a
  :class:`~autograd_st.compiler.ir.Sym` makes the call emit an IR statement instead and
  return a new Sym.

So a library function written over ``P`` (``ops.sum``, ``nn.Dense.construct`` helpers, Tensor
methods) is one definition that both runs and compiles.
"""
from __future__ import annotations

from . import rules
from .compiler.ir import Sym, current_builder
from .tensor import Tensor

__all__ = ["P", "bindable", "has_sym"]


def has_sym(value) -> bool:
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
        out = prim.fn(**{k: _unwrap_deep(v) for k, v in bound.items()})
        if tensor_in:
            return Tensor(out) if not isinstance(out, Tensor) else out
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
