"""MindSpore-style dtypes over numpy.

``mstype.float32`` (also ``autograd_st.float32``) is a :class:`Type` that knows its numpy
dtype and prints as MindSpore does (``Float32``).  ``to_numpy`` / ``from_numpy`` convert.
"""
from __future__ import annotations

import numpy as np

__all__ = ["Type", "float16", "float32", "float64", "int8", "int16", "int32", "int64",
           "uint8", "uint16", "uint32", "uint64", "complex64", "complex128", "bool_", "to_numpy", "from_numpy", "number_type", "float_type",
           "dtype_to_nptype", "dtype_to_pytype", "pytype_to_dtype"]


class Type:
    """A tensor element type (``mstype.float32``); compares equal to its numpy dtype."""

    __slots__ = ("name", "np_dtype")

    def __init__(self, name: str, np_dtype) -> None:
        self.name = name
        self.np_dtype = np.dtype(np_dtype)

    def __repr__(self) -> str:
        return "autograd_st." + self.name.lower().replace("bool", "bool_")

    def __str__(self) -> str:
        return self.name

    def __eq__(self, other) -> bool:
        if isinstance(other, Type):
            return self.np_dtype == other.np_dtype
        try:
            return self.np_dtype == np.dtype(other)
        except TypeError:
            return False

    def __hash__(self) -> int:
        return hash(self.np_dtype)

    def __reduce__(self):
        return (from_numpy, (self.np_dtype,))


float16 = Type("Float16", np.float16)
float32 = Type("Float32", np.float32)
float64 = Type("Float64", np.float64)
int8 = Type("Int8", np.int8)
int16 = Type("Int16", np.int16)
int32 = Type("Int32", np.int32)
int64 = Type("Int64", np.int64)
uint8 = Type("UInt8", np.uint8)
uint16 = Type("UInt16", np.uint16)
uint32 = Type("UInt32", np.uint32)
uint64 = Type("UInt64", np.uint64)
complex64 = Type("Complex64", np.complex64)
complex128 = Type("Complex128", np.complex128)
bool_ = Type("Bool", np.bool_)
float_ = float32
half = float16
single = float32
double = float64
# MindSpore 2.10's other aliases of concrete types (measured: ``mindspore.long`` is Int64,
# ``byte`` Int8, ``ubyte`` UInt8, ``intp`` Int64, ``uintp`` UInt64, ``cfloat`` Complex64);
# its generic ``int_``, ``uint``, ``number`` are type classes, not element types (not here)
long = int64
short = int16
byte = int8
ubyte = uint8
ushort = uint16
intc = int32
intp = int64
uintc = uint32
uintp = uint64
cfloat = complex64
cdouble = complex128
ALIASES = ("float_", "half", "single", "double", "long", "short", "byte", "ubyte", "ushort",
           "intc", "intp", "uintc", "uintp", "cfloat", "cdouble")

_ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
        complex64, complex128, bool_)
_BY_NP = {t.np_dtype: t for t in _ALL}
float_type = (float16, float32, float64)
number_type = _ALL[:-1]


def to_numpy(dtype) -> np.dtype | None:
    """The numpy dtype for a ``Type``, a numpy dtype, a Python type or ``None``."""
    if dtype is None:
        return None
    if isinstance(dtype, Type):
        return dtype.np_dtype
    return np.dtype(dtype)


def from_numpy(np_dtype) -> Type:
    """The ``Type`` for a numpy dtype (unknown dtypes get a Type named after numpy's)."""
    np_dtype = np.dtype(np_dtype)
    found = _BY_NP.get(np_dtype)
    if found is None:
        found = Type(np_dtype.name.capitalize(), np_dtype)
    return found


def _np_dtype(type_) -> np.dtype:
    found = to_numpy(type_)
    if found is None:
        raise TypeError("expected a dtype (mindspore.float32, a numpy dtype), got None")
    return found


def dtype_to_nptype(type_) -> type:
    """MindSpore's ``dtype_to_nptype``: the numpy scalar type (``np.float32``) of a dtype."""
    return _np_dtype(type_).type


def dtype_to_pytype(type_) -> type:
    """MindSpore's ``dtype_to_pytype``: ``bool``, ``int`` or ``float`` for a dtype."""
    kind = _np_dtype(type_).kind
    return bool if kind == "b" else int if kind in "iu" else float if kind == "f" else object


def pytype_to_dtype(obj) -> Type:
    """MindSpore's ``pytype_to_dtype``: the dtype of a Python or numpy type (``float`` ->
    ``float64``, ``int`` -> ``int64``, ``np.float32`` -> ``float32``)."""
    if isinstance(obj, Type):
        return obj
    if obj is bool:
        return bool_
    if obj is int:
        return int64
    if obj is float:
        return float64
    try:
        return from_numpy(obj)
    except TypeError:
        raise NotImplementedError("Unsupported convert python type %r to MindSpore type; "
                                  "pass int, float, bool or a numpy dtype." % (obj,)) from None
