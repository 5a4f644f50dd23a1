"""MindSpore's primitive classes (``ops.MatMul()``, ``ops.ReduceSum(keep_dims=True)`` ...).

Takes: :data:`autograd_st.op_table.CLASSES` (the classes whose call is a functional op:
``ops.Exp()(x)`` is ``ops.exp(x)``) and the ops functions of the table.
Gives: the classes.  An instance is a constant to the compiler (its attributes are part of
the cache key); its call is a function of the table, written over ``P``, so it runs eagerly
and binds to primitives.  The classes with constructor attributes are written here, each
calling the table's function for its op.
"""
from __future__ import annotations

from ..op_table import CLASSES, FUNCTIONS
from ..prims import P
from .classes_array import *  # noqa: F401,F403
from .classes_array import __all__ as _array_all
from .classes_comm import *  # noqa: F401,F403
from .classes_comm import __all__ as _comm_all
from .classes_compat import *  # noqa: F401,F403
from .classes_compat import __all__ as _compat_all
from .classes_custom import *  # noqa: F401,F403
from .classes_custom import __all__ as _custom_all
from .classes_detect import *  # noqa: F401,F403
from .classes_detect import __all__ as _detect_all
from .classes_grid import *  # noqa: F401,F403
from .classes_grid import __all__ as _grid_all
from .classes_index import *  # noqa: F401,F403
from .classes_index import __all__ as _index_all
from .classes_linalg import *  # noqa: F401,F403
from .classes_linalg import __all__ as _linalg_all
from .classes_math import *  # noqa: F401,F403
from .classes_math import __all__ as _math_all
from .classes_nn import *  # noqa: F401,F403
from .classes_nn import __all__ as _nn_all
from .classes_nn3d import *  # noqa: F401,F403
from .classes_nn3d import __all__ as _nn3d_all
from .primitive_base import Primitive


class MatMul(Primitive):
    def __init__(self, transpose_a: bool = False, transpose_b: bool = False) -> None:
        self.transpose_a = bool(transpose_a)
        self.transpose_b = bool(transpose_b)

    def __call__(self, x, y):
        if self.transpose_a and self.transpose_b:
            return P.transpose(P.matmul(y, x))
        if self.transpose_b:
            return P.matmul_nt(x, y)
        if self.transpose_a:
            return P.matmul_tn(x, y)
        return P.matmul(x, y)


class BatchMatMul(MatMul):
    pass


def _reduction(name: str, fn_name: str) -> type:
    """MindSpore's ``ops.<name>(keep_dims=False)``: ``op(x, axis=())`` is
    ``ops.<fn_name>(x, axis, keep_dims)``."""
    def __init__(self, keep_dims: bool = False) -> None:
        self.keep_dims = bool(keep_dims)

    def __call__(self, x, axis=()):
        return FUNCTIONS[fn_name](x, axis, self.keep_dims)
    return type(name, (Primitive,), {"__init__": __init__, "__call__": __call__,
                                     "__module__": __name__, "__doc__": _reduction.__doc__
                                     .replace("<name>", name).replace("<fn_name>", fn_name)})


ReduceSum = _reduction("ReduceSum", "reduce_sum")
ReduceMean = _reduction("ReduceMean", "mean")
ReduceMax = _reduction("ReduceMax", "amax")


class Squeeze(Primitive):
    def __init__(self, axis=()) -> None:
        axis = tuple(axis) if isinstance(axis, list) else axis
        self.axis = None if isinstance(axis, tuple) and not axis else axis  # (): every axis

    def __call__(self, x):
        return FUNCTIONS["squeeze"](x, self.axis)


class Softmax(Primitive):
    def __init__(self, axis=-1) -> None:
        self.axis = axis[0] if isinstance(axis, (tuple, list)) else axis

    def __call__(self, x):
        return FUNCTIONS["softmax"](x, self.axis)


class LogSoftmax(Primitive):
    def __init__(self, axis=-1) -> None:
        self.axis = axis

    def __call__(self, x):
        return FUNCTIONS["log_softmax"](x, self.axis)


def _no_attributes(self) -> None:
    pass


def _call_class(name: str, fn) -> type:
    """``name``, a Primitive whose instances take no attributes and whose call is ``fn``."""
    return type(name, (Primitive,), {
        "__init__": _no_attributes, "__call__": staticmethod(fn), "__module__": __name__,
        "__doc__": "MindSpore's ``ops.%s``: ``ops.%s()(...)`` is ``ops.%s(...)``."
                   % (name, name, fn.__name__)})


globals().update({name: _call_class(name, fn) for name, fn in CLASSES.items()})

__all__ = ["Primitive", "MatMul", "BatchMatMul", "ReduceSum", "ReduceMean", "ReduceMax",
           "Squeeze", "Softmax", "LogSoftmax"] + list(CLASSES) + list(_array_all) \
    + list(_math_all) + list(_nn_all) + list(_comm_all) + list(_linalg_all) \
    + list(_index_all) + list(_custom_all) + list(_detect_all) + list(_grid_all) \
    + list(_nn3d_all) + list(_compat_all)
