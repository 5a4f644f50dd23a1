"""Values crossing the boundary: Tensors in, arrays through the generated code, Tensors out.

Takes: the arguments a user passes to a gradient function, and what generated code returns.
Gives: each argument's *kind* (part of the cache key: float Tensor, int Tensor, ndarray,
Python number, a tuple, list or dict of those ...), its *argspec* (RUNTIME, a structure of
specs, or the constant compiled in), the arrays the generated code takes
(``runtime_leaves``), the gradient structure of an argument (``grad_tree``), and results
wrapped back into Tensors (``to_tensors``).  Everything but ``grad_tree`` is on the per-call
path: keep it lean.

Arguments are pytrees, as in JAX: tuples, lists and dicts (nested) whose leaves are Tensors,
arrays, numbers or anything else.  A leaf that is a Tensor, an array or a float is a runtime
value of the generated code; any other leaf is a constant compiled in.  The compiler sees a
list as a tuple (a compile-time sequence of runtime values) and a dict as a dict.
"""
from __future__ import annotations

import numpy as np

from ..compiler.ir import RUNTIME
from ..compiler.plan import Ref
from ..tensor import Parameter, Tensor

__all__ = ["kind", "unwrap_arg", "argspec", "runtime_leaves", "count_leaves", "grad_tree",
           "tensor_of", "to_tensors"]

_new_tensor = Tensor.__new__
_set_data = Tensor._data.__set__
_RUNTIME_LEAF = (Tensor, np.ndarray, float, np.generic)


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
    if t is dict:  # its keys, in order, are compiled in (1 and True are different keys)
        return (t,) + tuple((type(k), k, kind(v)) for k, v in a.items())
    if isinstance(a, np.generic):
        return "g" + a.dtype.kind
    return ("obj", id(a))


def unwrap_arg(a):
    """An argument as generated code takes it: a Tensor's array; tuples and lists as tuples,
    dicts as dicts, element-wise."""
    t = type(a)
    if t is Tensor or t is Parameter:
        return a._data
    if t is float:
        return a  # a Python float stays one: weak in numpy promotion (float32 * 3.0 is float32)
    if t is tuple or t is list:
        return tuple(unwrap_arg(e) for e in a)
    if t is dict:
        return {k: unwrap_arg(v) for k, v in a.items()}
    return a


def _has_runtime(a) -> bool:
    if isinstance(a, _RUNTIME_LEAF):
        return True
    if isinstance(a, (tuple, list)):
        return any(_has_runtime(e) for e in a)
    if isinstance(a, dict):
        return any(_has_runtime(e) for e in a.values())
    return False


def _spec(a):
    if isinstance(a, _RUNTIME_LEAF):
        return RUNTIME
    if isinstance(a, (tuple, list)) and _has_runtime(a):
        return tuple(_spec(e) for e in a)
    if isinstance(a, dict) and _has_runtime(a):  # (ms.mutable's dict too)
        return {k: _spec(v) for k, v in a.items()}
    return a


def argspec(args) -> list:
    """Per argument: RUNTIME (a Tensor, array or float), a tuple of specs (a tuple or list
    that holds one, at any depth), a dict of specs (a dict that holds one), or the constant
    itself (compiled in)."""
    return [_spec(a) for a in args]


def runtime_leaves(args, specs) -> list:
    """The values generated code takes: runtime leaves only (constants are compiled in), in
    the order of the specs; arguments past ``specs`` (the sens) unwrapped as they are."""
    out = []
    _runtime_leaves(args, specs, out)
    out.extend(unwrap_arg(a) for a in args[len(specs):])
    return out


def _runtime_leaves(args, specs, out) -> None:
    for a, sp in zip(args, specs):
        if sp is RUNTIME:
            out.append(unwrap_arg(a))
        elif type(sp) is tuple:
            _runtime_leaves(a, sp, out)
        elif type(sp) is dict:
            _runtime_leaves([a[k] for k in sp], sp.values(), out)


def count_leaves(spec) -> int:
    """The number of runtime leaves a spec has (parameters of the generated code)."""
    if spec is RUNTIME:
        return 1
    if type(spec) is tuple:
        return sum(count_leaves(sp) for sp in spec)
    if type(spec) is dict:
        return sum(count_leaves(sp) for sp in spec.values())
    return 0


def grad_tree(a, spec, counter: list):
    """The structure of an argument's gradient: ``a``'s tuples, lists and dicts with
    ``Ref("arg", k)`` for its k-th runtime leaf (``counter[0]`` counts them, across
    arguments) and None for every other leaf (a constant has no gradient)."""
    if spec is RUNTIME:
        counter[0] += 1
        return Ref("arg", counter[0] - 1)
    if type(spec) is tuple:
        items = [grad_tree(e, sp, counter) for e, sp in zip(a, spec)]
        return items if type(a) is list else tuple(items)
    if type(spec) is dict:
        return {k: grad_tree(a[k], sp, counter) for k, sp in spec.items()}
    return None


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
    if t is list:
        return [to_tensors(v) for v in value]
    if t is dict:
        return {k: to_tensors(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        return tensor_of(np.asarray(value))
    return value
