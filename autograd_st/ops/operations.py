"""MindSpore's primitive classes (``ops.MatMul()``, ``ops.ReduceSum(keep_dims=True)`` ...).

An instance is a constant to the compiler (its attributes are part of the cache key); its
``__call__`` is written over ``P``, so it runs eagerly and binds to primitives.
"""
from __future__ import annotations

from ..dtype import to_numpy
from ..prims import P

__all__ = ["Primitive", "MatMul", "BatchMatMul", "ReduceSum", "ReduceMean", "ReduceMax",
           "Add", "Sub", "Mul", "Div", "RealDiv", "Neg", "Exp", "Log", "Sin", "Cos", "Tanh",
           "Sigmoid", "ReLU", "Sqrt", "Square", "Abs", "Pow", "Transpose", "Reshape",
           "Softmax", "LogSoftmax", "Maximum", "Minimum", "StopGradient", "Cast", "ExpandDims",
           "Squeeze", "OnesLike", "ZerosLike"]


def _axis(axis):
    if isinstance(axis, list):
        axis = tuple(axis)
    if isinstance(axis, tuple) and not axis:
        return None
    return axis


class Primitive:
    """Base of primitive classes: constants to the compiler, callable on Tensors."""

    _autograd_st_primitive = True

    def __repr__(self) -> str:
        attrs = ", ".join("%s=%r" % kv for kv in sorted(vars(self).items()))
        return "%s(%s)" % (type(self).__name__, attrs)


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


class ReduceSum(Primitive):
    def __init__(self, keep_dims: bool = False) -> None:
        self.keep_dims = bool(keep_dims)

    def __call__(self, x, axis=()):
        return P.sum(x, axis=_axis(axis), keepdims=self.keep_dims)


class ReduceMean(Primitive):
    def __init__(self, keep_dims: bool = False) -> None:
        self.keep_dims = bool(keep_dims)

    def __call__(self, x, axis=()):
        return P.mean(x, axis=_axis(axis), keepdims=self.keep_dims)


class ReduceMax(Primitive):
    def __init__(self, keep_dims: bool = False) -> None:
        self.keep_dims = bool(keep_dims)

    def __call__(self, x, axis=()):
        return P.max(x, axis=_axis(axis), keepdims=self.keep_dims)


def _binary_class(name, prim):
    def __call__(self, x, y):
        return getattr(P, prim)(x, y)
    return type(name, (Primitive,), {"__call__": __call__, "__init__": lambda self: None})


def _unary_class(name, prim):
    def __call__(self, x):
        return getattr(P, prim)(x)
    return type(name, (Primitive,), {"__call__": __call__, "__init__": lambda self: None})


Add = _binary_class("Add", "add")
Sub = _binary_class("Sub", "sub")
Mul = _binary_class("Mul", "mul")
Div = _binary_class("Div", "div")
RealDiv = _binary_class("RealDiv", "div")
Pow = _binary_class("Pow", "pow")
Maximum = _binary_class("Maximum", "maximum")
Minimum = _binary_class("Minimum", "minimum")
Neg = _unary_class("Neg", "neg")
Exp = _unary_class("Exp", "exp")
Log = _unary_class("Log", "log")
Sin = _unary_class("Sin", "sin")
Cos = _unary_class("Cos", "cos")
Tanh = _unary_class("Tanh", "tanh")
Sigmoid = _unary_class("Sigmoid", "sigmoid")
ReLU = _unary_class("ReLU", "relu")
Sqrt = _unary_class("Sqrt", "sqrt")
Square = _unary_class("Square", "square")
Abs = _unary_class("Abs", "abs")
StopGradient = _unary_class("StopGradient", "stop_gradient")
OnesLike = _unary_class("OnesLike", "ones_like")
ZerosLike = _unary_class("ZerosLike", "zeros_like")


class Transpose(Primitive):
    def __init__(self) -> None:
        pass

    def __call__(self, x, perm):
        return P.transpose(x, tuple(perm))


class Reshape(Primitive):
    def __init__(self) -> None:
        pass

    def __call__(self, x, shape):
        return P.reshape(x, tuple(shape))


class ExpandDims(Primitive):
    def __init__(self) -> None:
        pass

    def __call__(self, x, axis):
        return P.expand_dims(x, axis)


class Squeeze(Primitive):
    def __init__(self, axis=()) -> None:
        self.axis = _axis(axis)

    def __call__(self, x):
        return P.squeeze(x, axis=self.axis)


class Softmax(Primitive):
    def __init__(self, axis=-1) -> None:
        self.axis = axis[0] if isinstance(axis, (tuple, list)) else axis

    def __call__(self, x):
        return P.softmax(x, axis=self.axis)


class LogSoftmax(Primitive):
    def __init__(self, axis=-1) -> None:
        self.axis = axis

    def __call__(self, x):
        return P.log_softmax(x, axis=self.axis)


class Cast(Primitive):
    def __init__(self) -> None:
        pass

    def __call__(self, x, dtype):
        return P.astype(x, to_numpy(dtype))
