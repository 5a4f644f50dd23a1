"""Values crossing the boundary: Tensors in, arrays through the generated code, Tensors out.

Takes: the arguments a user passes to a gradient function, and what generated code returns.
Gives: each argument's *kind* (part of the cache key: float Tensor, int Tensor, ndarray,
Python number, a tuple of those ...), its *argspec* (RUNTIME or the constant compiled in),
the arrays the generated code takes (``runtime_leaves``), and results wrapped back into
Tensors (``to_tensors``).  Everything here is on the per-call path: keep it lean.
"""
from __future__ import annotations

import numpy as np

from ..compiler import RUNTIME
from ..tensor import Parameter, Tensor

__all__ = ["kind", "unwrap_arg", "argspec", "runtime_leaves", "tensor_of", "to_tensors"]

_new_tensor = Tensor.__new__
_set_data = Tensor._data.__set__


def kind(a):
    """What about an argument changes the generated code (never its shape or values)."""
    t = type(a)
    if t is Tensor or t is Parameter:
        return a._data.dtype.kind
    if t is np.ndarray:
        return "n" + a.dtype.kind
    if t is float:
        return "pf"
    if t is int or t is bool or a is None or t is str:
        return (t, a)
    if t is tuple or t is list:
        return (t,) + tuple(kind(e) for e in a)
    if isinstance(a, np.generic):
        return "g" + a.dtype.kind
    return ("obj", id(a))


def unwrap_arg(a):
    """An argument as generated code takes it: a Tensor's array; tuples element-wise."""
    t = type(a)
    if t is Tensor or t is Parameter:
        return a._data
    if t is float:
        return a  # a Python float stays one: weak in numpy promotion (float32 * 3.0 is float32)
    if t is tuple or t is list:
        return tuple(unwrap_arg(e) for e in a)
    return a


def argspec(args) -> list:
    """Per argument: RUNTIME (a Tensor, array or float), a tuple of specs (a sequence that
    holds one), or the constant itself (compiled in)."""
    out = []
    for a in args:
        if isinstance(a, (Tensor, np.ndarray, float, np.generic)):
            out.append(RUNTIME)
        elif isinstance(a, (tuple, list)) and any(isinstance(e, (Tensor, np.ndarray, float))
                                                  for e in a):
            out.append(tuple(argspec(a)))
        else:
            out.append(a)
    return out


def runtime_leaves(args, specs) -> list:
    """The values generated code takes: runtime leaves only (constants are compiled in);
    arguments past ``specs`` (the sens) as they are."""
    out = []
    for a, sp in zip(args, specs):
        if sp is RUNTIME:
            out.append(unwrap_arg(a))
        elif isinstance(sp, tuple) and isinstance(a, (tuple, list)):
            out.extend(runtime_leaves(a, sp))
    out.extend(unwrap_arg(a) for a in args[len(specs):])
    return out


def tensor_of(arr) -> Tensor:
    """A Tensor around ``arr`` as it is (no copy, no dtype conversion)."""
    t = _new_tensor(Tensor)
    _set_data(t, arr)
    return t


def to_tensors(value):
    """Arrays (and numpy scalars) in a result structure -> Tensors (the per-call path)."""
    t = type(value)
    if t is np.ndarray:  # (tensor_of, inlined: the per-call path)
        out = _new_tensor(Tensor)
        _set_data(out, value)
        return out
    if t is tuple:
        return tuple([to_tensors(v) for v in value])
    if isinstance(value, np.generic):
        return tensor_of(np.asarray(value))
    return value
