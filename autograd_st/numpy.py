"""``mindspore.numpy`` basics: numpy's names over Tensors (``import autograd_st.numpy as mnp``).

Takes: the op table's numpy bindings (:data:`autograd_st.op_table.NUMPY`: each numpy function
the compiler understands, with numpy's signature, written over the primitives, so it runs
eagerly on Tensors and differentiates in compiled code) and :class:`~autograd_st.tensor.Tensor`.
Gives: those functions under their numpy names (``mnp.sum(x, axis=1)``, ``mnp.dot``,
``mnp.where`` ...), array creation with MindSpore's default dtypes (float32 for floats and the
``zeros``/``ones``/``empty``/``eye`` family, int32 for Python ints: ``mnp.arange(5)`` is Int32,
as measured in MindSpore 2.10; creation runs when the code is compiled, like ``ops.zeros``;
``arange`` and ``full`` on a shape or dtype known only at run time make runtime arrays),
and the dtypes.
"""
from __future__ import annotations

import numpy as _np

from .dtype import (  # noqa: F401
    bool_,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    to_numpy,
    uint8,
)
from .op_table import FUNCTIONS as _OPS
from .op_table import NUMPY as _NUMPY
from .op_table import filled_at_run_time as _filled_at_run_time
from .prims import P as _P
from .prims import Sym as _Sym
from .prims import bindable
from .tensor import Tensor

_FUNCTIONS = {f.__name__: fn for f, fn in _NUMPY.items()}
globals().update(_FUNCTIONS)


def _static(fn):
    fn._autograd_st_static = True  # (the compiler evaluates it on constants)
    return fn


def _defaults(arr, dtype) -> Tensor:
    """``arr`` as a Tensor in ``dtype``, or in MindSpore's defaults (float32, int32)."""
    if dtype is not None:
        return Tensor(_np.asarray(arr, to_numpy(dtype)))
    arr = _np.asarray(arr)
    if arr.dtype == _np.float64:
        arr = arr.astype(_np.float32)
    elif arr.dtype == _np.int64:
        arr = arr.astype(_np.int32)
    return Tensor(arr)


def _data(a):
    return a._data if isinstance(a, Tensor) else a


@_static
def array(obj, dtype=None, copy=True, ndmin=0):
    """``mindspore.numpy.array``: a Tensor of ``obj`` (float32 / int32 unless ``dtype``)."""
    if isinstance(obj, Tensor) and dtype is None:
        return Tensor(_np.array(obj._data, copy=True, ndmin=ndmin))
    return _defaults(_np.array(_data(obj), ndmin=ndmin), dtype)


@_static
def asarray(a, dtype=None):
    """``mindspore.numpy.asarray``: ``a`` itself when it is a Tensor of that dtype."""
    if isinstance(a, Tensor) and (dtype is None or to_numpy(dtype) == a._data.dtype):
        return a
    return _defaults(_data(a), dtype)


@_static
def zeros(shape, dtype=float32):
    """Zeros shaped ``shape`` (float32 unless ``dtype``)."""
    return Tensor(_np.zeros(shape, to_numpy(dtype)))


@_static
def ones(shape, dtype=float32):
    """Ones shaped ``shape`` (float32 unless ``dtype``)."""
    return Tensor(_np.ones(shape, to_numpy(dtype)))


@_static
def empty(shape, dtype=float32):
    """A Tensor shaped ``shape`` (zeros here; float32 unless ``dtype``)."""
    return zeros(shape, dtype)


zeros._autograd_st_at_run_time = _filled_at_run_time(0)
ones._autograd_st_at_run_time = _filled_at_run_time(1)
empty._autograd_st_at_run_time = _filled_at_run_time(0)


@bindable
def split(x, indices_or_sections, axis=0):
    """``mindspore.numpy.split(x, indices_or_sections, axis=0)``: a list of the indices to
    cut before, or a number of equal parts (``ops.tensor_split``'s parts; MindSpore raises
    where the axis does not divide, this gives the first parts one longer)."""
    return _OPS["tensor_split"](x, indices_or_sections, axis)


@bindable
def full(shape, fill_value, dtype=None):
    """``mindspore.numpy.full(shape, fill_value, dtype=None)``: ``fill_value`` everywhere;
    without ``dtype`` int32 for an int, float32 for a float, bool for a bool, a Tensor's own
    dtype (measured in MindSpore 2.10).  A shape, fill or dtype known only at run time
    (``x.shape[0]``, ``y.dtype`` in differentiated code) makes a runtime array."""
    if isinstance(fill_value, (list, tuple)):  # (an array of fills, as numpy broadcasts it)
        return _defaults(_np.full(shape, _data(fill_value)), dtype)
    if dtype is not None:
        kind = dtype if isinstance(dtype, _Sym) else _np.dtype(to_numpy(dtype)).name
    elif isinstance(fill_value, _Sym):
        kind = _P.dtype(fill_value)
    elif isinstance(fill_value, Tensor):
        kind = fill_value._data.dtype.name
    else:
        kind = "bool" if isinstance(fill_value, bool) else \
            "int32" if isinstance(fill_value, int) else "float32"
    if not isinstance(shape, _Sym):
        shape = (shape,) if isinstance(shape, int) else tuple(shape)
    out = _P.full(shape, _data(fill_value), kind)
    return out if isinstance(out, _Sym) else Tensor(out)


@bindable
def arange(start, stop=None, step=None, dtype=None):
    """``mindspore.numpy.arange(start, stop=None, step=None, dtype=None)``: int32 when every
    bound is a Python int, float32 otherwise (``np.int64(3)`` and Tensor bounds too, as
    measured in MindSpore 2.10), unless ``dtype``.  Evaluated when the code is compiled on
    constant bounds; bounds known only at run time (``x.shape[1]`` in differentiated code)
    and a runtime ``dtype`` (``y.dtype``) make a runtime array."""
    if stop is None:
        start, stop = 0, start
    step = 1 if step is None else step
    start, stop, step = (_data(v) if isinstance(v, Tensor) and v._data.ndim == 0 else v
                         for v in (start, stop, step))
    if dtype is None:
        out = _P.arange_mnp(start, stop, step)
    else:
        out = _P.arange(start, stop, step, dtype if isinstance(dtype, _Sym)
                        else _np.dtype(to_numpy(dtype)).name)
    return out if isinstance(out, _Sym) else Tensor(out)


@_static
def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0):
    """``numpy.linspace`` (float32 unless ``dtype``)."""
    out = _np.linspace(start, stop, num, endpoint=endpoint, retstep=retstep, axis=axis)
    if retstep:
        return _defaults(out[0], dtype), out[1]
    return _defaults(out, dtype)


@_static
def eye(N, M=None, k=0, dtype=float32):
    """``numpy.eye`` (float32 unless ``dtype``)."""
    return Tensor(_np.eye(N, M, k, to_numpy(dtype)))


@_static
def full_like(a, fill_value, dtype=None, shape=None):
    """``fill_value`` in ``a``'s shape and dtype (unless given)."""
    data = _np.asarray(_data(a))
    return Tensor(_np.full(data.shape if shape is None else shape, _data(fill_value),
                           to_numpy(dtype) or data.dtype))


__all__ = sorted(_FUNCTIONS) + ["array", "asarray", "zeros", "ones", "empty", "full", "split",
                                "arange", "linspace", "eye", "full_like", "bool_", "float16",
                                "float32", "float64", "int8", "int16", "int32", "int64",
                                "uint8"]
