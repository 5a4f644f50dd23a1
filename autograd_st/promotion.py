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

Kinds (``kind``): ``"f"`` a float (or complex) array or numpy float scalar, ``"i"`` an
integer one, ``"b"`` a bool one, ``"p"`` a Python float, ``"n"`` anything else (a Python int
or bool, None, a shape).
"""
from __future__ import annotations

import numpy as np

__all__ = ["kind", "cast_side", "result_dtype", "ms_promote", "promote_pair"]

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
