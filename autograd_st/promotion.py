"""MindSpore's result dtype of a binary arithmetic operator, where numpy's differs: the one
definition, which Tensor's operators, the eager calls of the arithmetic primitives, the
helper generated code calls (``ms_promote``) and the compiler's promotion pass
(``compiler/promote.py``, on what it knows of each value's kind) all read.

Measured in MindSpore 2.10 (CPU, PyNative and ``ms.jit`` alike; tests/ms_cases/cases/
dt_promote_*.py): MindSpore casts the operands of ``+ - * / // % **`` (and ``ops.add``,
``mul``, ``div``, ``pow``, ``floor_div``, ``floor_mod``, ``fmod``, ``maximum``, ``minimum``)
to one type before it computes:

- an integer or bool Tensor with a float Tensor: the float one's dtype (int32 * float32 is
  float32, int64 + float16 is float16; numpy gives float64 for both);
- an integer or bool Tensor with a Python float, and true division of two integer or bool
  operands: float32 (numpy: float64);
- anything else as numpy 2 promotes (int32 + int64 is int64, float32 * 2.0 is float32, a
  bool Tensor + 2 is int64, float32 + float64 is float64).

Integer results where numpy's differ (measured in MindSpore 2.10, tests/ms_cases/cases/
dt_sweep_ops.py; ``int_result``, which the adapters of the reductions call through the
``int_like`` primitive, so eager and generated code agree):

- ``ops.sum`` / ``Tensor.sum`` / ``ops.prod`` / ``Tensor.prod`` of a uint8 Tensor are int64
  (numpy: uint64), of a uint16 / uint32 one in its own dtype (numpy: uint64); ``ops.cumprod``
  of any integer or bool Tensor is int64;
- ``ops.ReduceSum`` / ``ops.reduce_sum`` keep an integer or bool Tensor's dtype (a bool
  mask's is whether any entry is True), ``ops.mean`` an integer one's;
- ``Tensor.cumsum`` of int8, int16, uint8 or bool counts in int32 (``ops.cumsum`` keeps the
  dtype);
- ``x ** y`` of integers with a negative exponent (``power``): 0, but 1 for a base 1, +-1
  for -1, and for 0 the least int32 (int64 for int64) wrapped into the dtype (numpy raises).

Kinds (``kind``): ``"f"`` a float (or complex) array or numpy float scalar, ``"i"`` an
integer one, ``"b"`` a bool one, ``"p"`` a Python float, ``"n"`` anything else (a Python int
or bool, None, a shape).
"""
from __future__ import annotations

import numpy as np

__all__ = ["kind", "cast_side", "result_dtype", "ms_promote", "promote_pair", "int_result",
           "power"]

_FLOAT32 = np.dtype(np.float32)
_KINDS = {"f": "f", "c": "f", "i": "i", "u": "i", "b": "b"}
_ARRAYS = (np.ndarray, np.generic)


def kind(value) -> str:
    """``value``'s kind for the rule: "f", "i", "b" (arrays and numpy scalars), "p" (a Python
    float) or "n" (anything else)."""
    cls = value.__class__
    if cls is float:
        return "p"
    if cls is np.ndarray or isinstance(value, np.generic):
        return _KINDS.get(value.dtype.kind, "n")
    return "n"


def cast_side(ka: str, kb: str, true_div: bool) -> str:
    """The rule on kinds, for ``a op b``: ``"a"`` (b, an integer array, is cast to a's float
    dtype), ``"b"`` (the reverse), ``"float32"`` (no float array: each integer or bool array
    is cast to float32) or ``""`` (numpy's result is MindSpore's; a bool array with a float
    one is: numpy keeps the float dtype)."""
    if ka == "f":
        return "a" if kb == "i" else ""
    if kb == "f":
        return "b" if ka == "i" else ""
    if (ka in "ib" or kb in "ib") and (true_div or ka == "p" or kb == "p"):
        return "float32"
    return ""


def result_dtype(a, b, true_div: bool = False):
    """The dtype MindSpore computes ``a op b`` in where numpy would give another, else None."""
    side = cast_side(kind(a), kind(b), true_div)
    if not side:
        return None
    return a.dtype if side == "a" else b.dtype if side == "b" else _FLOAT32


def ms_promote(x, other, true_div=False):
    """``x`` as MindSpore casts it as an operand of a binary operator with ``other``: an
    integer or bool array (or numpy scalar) in the float dtype the result has; anything else
    (a float array, a Python number) as it is.  Generated code calls it where the compiler
    cannot rule an integer operand out (``compiler/promote.py``)."""
    cls = x.__class__
    if cls is np.ndarray or isinstance(x, np.generic):
        kx = _KINDS.get(x.dtype.kind, "n")
        if kx == "i" or kx == "b":
            side = cast_side(kx, kind(other), true_div)
            if side == "b":
                return x.astype(other.dtype)
            if side == "float32":
                return x.astype(_FLOAT32)
    return x


def promote_pair(a, b, true_div: bool = False) -> tuple:
    """``(a, b)`` cast as MindSpore casts a binary operator's operands (eager Tensor code)."""
    ka, kb = kind(a), kind(b)
    side = cast_side(ka, kb, true_div)
    if not side:
        return a, b
    if side == "a":
        return a, b.astype(a.dtype)
    if side == "b":
        return a.astype(b.dtype), b
    return (a.astype(_FLOAT32) if ka in "ib" else a), (b.astype(_FLOAT32) if kb in "ib" else b)


_INT64, _INT32 = np.dtype(np.int64), np.dtype(np.int32)
_UINT8 = np.dtype(np.uint8)
_SMALL = frozenset(np.dtype(t) for t in (np.int8, np.int16, np.uint8, np.bool_))


def _int_result_dtype(how: str, dt: np.dtype, out: np.dtype):
    """The dtype MindSpore's ``how`` gives an integer or bool input of dtype ``dt`` whose
    numpy result has dtype ``out``; None where numpy's is MindSpore's."""
    if how == "mean":  # (ops.mean, Tensor.mean: an integer input's dtype)
        return dt if dt.kind in "iu" else None
    if how == "reduce_sum":  # (ReduceSum, ops.reduce_sum: the input's dtype, a bool's too)
        return dt
    if how == "sum":  # (ops.sum, Tensor.sum, ops.prod, Tensor.prod)
        return (_INT64 if dt == _UINT8 else dt) if dt.kind == "u" else None
    if how == "cumprod":
        return _INT64
    if how == "cumsum":  # (Tensor.cumsum: applied to its input)
        return _INT32 if dt in _SMALL else None
    raise ValueError("no integer result rule %r" % how)


def int_result(y, x, how: str = "mean"):
    """``y``, what numpy computed of ``x`` for MindSpore's op ``how`` (``"mean"``, ``"sum"``,
    ``"reduce_sum"``, ``"cumprod"``, ``"cumsum"``), in the dtype MindSpore gives when ``x``
    is an integer or bool array; ``y`` itself otherwise (a float ``x``: one check)."""
    # (per call: cheap; a list of arrays summed: its dtype as numpy stacks it)
    dt = x.dtype if x.__class__ is np.ndarray else np.asarray(x).dtype
    if dt.kind not in "iub":
        return y
    y = np.asarray(y)
    want = _int_result_dtype(how, dt, y.dtype)
    return y if want is None or want == y.dtype else y.astype(want)


def power(x, y):
    """``x ** y`` as MindSpore computes it: numpy's, but for integer operands (arrays or
    Python ints, one an array) with a negative exponent, where numpy raises: 0, 1 for a base
    1, -1 or 1 for -1 (the exponent odd or even), and for a base 0 the least int32 (int64
    for int64 operands) wrapped into the result's dtype (0 for int8 and int16)."""
    kx, ky = kind(x), kind(y)
    if kx in "pn" and ky in "pn":  # (Python numbers)
        return x ** y
    if kx not in "in" or ky not in "in" or isinstance(x, bool) or isinstance(y, bool) \
            or not np.any(np.less(y, 0)):
        return np.power(x, y)  # (np.power: a bool Tensor ** 2 is int64, as MindSpore's)
    neg = np.less(y, 0)
    out = np.asarray(x ** (0 if ky == "n" else np.where(neg, 0, y)))
    least = np.asarray(np.iinfo(_INT64 if out.dtype.itemsize > 4 else _INT32).min)
    odd = np.not_equal(np.remainder(y, 2), 0)
    at_neg = np.where(np.equal(x, 1), 1,
                      np.where(np.equal(x, -1), np.where(odd, -1, 1),
                               np.where(np.equal(x, 0), least.astype(out.dtype), 0)))
    return np.where(neg, at_neg, out).astype(out.dtype)
