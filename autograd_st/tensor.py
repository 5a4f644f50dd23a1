"""Tensor, Parameter and ParameterTuple: thin MindSpore-compatible wrappers over numpy.

A :class:`Tensor` owns one numpy array (``_data``).  Every operator runs eagerly in numpy and
returns a new Tensor.  Gradient code never sees Tensors: the API unwraps them once at the
boundary of a gradient call (see ``autograd_st.ops.grad_api``) and the generated code works on
raw arrays.  The methods that are primitives (``t.sum()``, ``t.reshape(...)``, ``t.exp()``)
come from :mod:`autograd_st.op_table`, which installs them on :class:`Tensor` when the
package is imported.
"""
from __future__ import annotations

import builtins
import functools
import sys
import types
import weakref
from typing import Any, Iterable

import numpy as np

from . import dtype as mstype
from ._printing import tensor_repr
from .promotion import power, promote_pair

__all__ = ["Tensor", "Parameter", "ParameterTuple", "unwrap", "wrap", "print_as_tensors",
           "quiet_call"]

# MindSpore's eager ops are silent where a value becomes nan or inf (log of 0 or of a
# negative, 0 / 0, sqrt of a negative); numpy warns.  The eager ops (Tensor's operators, the
# primitives' eager calls) run under numpy's "ignore" error state, set for the call only, so
# the user's own numpy code warns as before.  (numpy 2's error state is a context variable:
# setting it to a state made once costs ~0.5 us a call, np.errstate ~3.5 us.)
try:
    from numpy._core._ufunc_config import (  # type: ignore[attr-defined]
        _extobj_contextvar as _ERRSTATE,
    )
    with np.errstate(all="ignore"):
        _IGNORE = _ERRSTATE.get()
except ImportError:  # (numpy 1: np.errstate)
    _ERRSTATE = None


def quiet_call(fn, /, *args, **kwargs):
    """``fn(*args, **kwargs)`` with numpy's floating-point warnings off (an eager op)."""
    if _ERRSTATE is None:
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    token = _ERRSTATE.set(_IGNORE)
    try:
        return fn(*args, **kwargs)
    finally:
        _ERRSTATE.reset(token)

# MindSpore turns Python floats into float32 and Python ints into int64.
_PY_DEFAULTS = {float: np.float32, int: np.int64, bool: np.bool_}


def _as_array(data: Any, dtype=None, copy: bool = False) -> np.ndarray:
    """``data`` as the array a Tensor holds.  ``copy``: a numpy array given is copied (what
    ``Tensor(array)`` does in MindSpore: a later write to the array does not reach the
    Tensor; ``Tensor(tensor)`` and ``Tensor.from_numpy`` share)."""
    np_dtype = mstype.to_numpy(dtype)
    if isinstance(data, Tensor):
        arr = data._data
    elif isinstance(data, np.ndarray):
        arr = data
        if copy and (np_dtype is None or arr.dtype == np_dtype):
            return arr.copy()
    elif isinstance(data, np.generic):
        arr = np.asarray(data)
    else:
        arr = np.asarray(data)
        if np_dtype is None and arr.dtype.kind in "fiub":
            if arr.dtype.kind == "f":
                arr = arr.astype(np.float32)
            elif arr.dtype.kind in "iu":
                arr = arr.astype(np.int64)
    if np_dtype is not None and arr.dtype != np_dtype:
        arr = arr.astype(np_dtype)
    return arr


def unwrap(value: Any) -> Any:
    """The numpy array behind a Tensor; anything else unchanged."""
    return value._data if isinstance(value, Tensor) else value


def _advanced_index(index: Any) -> bool:
    """Whether ``index`` (unwrapped) is numpy's advanced index or has a ``None`` / bool in it."""
    parts = index if isinstance(index, tuple) else (index,)
    return any(not isinstance(p, (int, np.integer, slice, type(Ellipsis))) or isinstance(p, bool)
               for p in parts)


def _tensor_of(arr: np.ndarray) -> "Tensor":
    """A Tensor around ``arr`` as it is (no copy: an array an operation just made)."""
    t = Tensor.__new__(Tensor)
    object.__setattr__(t, "_data", arr)
    return t


def wrap(value: Any) -> Any:
    """A Tensor around a numpy array (not copied: a result) or numpy scalar; tuples and
    lists element-wise."""
    if isinstance(value, np.ndarray):
        return _tensor_of(value)
    if isinstance(value, np.generic):
        return Tensor(np.asarray(value))
    if isinstance(value, tuple):
        return tuple(wrap(v) for v in value)
    if isinstance(value, list):
        return [wrap(v) for v in value]
    return value


def print_as_tensors(*args, **kwargs) -> None:
    """``print`` in generated code: the arrays standing for Tensors there (in tuples and
    lists too) printed as the Tensors they are, in MindSpore's format, as the direct call
    prints them."""
    builtins.print(*[wrap(a) for a in args], **kwargs)


def _operand(other):
    """The other operand of a Tensor operator: a Tensor's array; a numpy scalar as the Python
    number it holds (MindSpore: a float32 Tensor times np.float64(2.0) is float32)."""
    if isinstance(other, Tensor):
        return other._data
    if isinstance(other, (np.floating, np.integer, np.bool_)):
        return other.item()
    return other


def _other(other):
    """The other operand of an arithmetic operator: as :func:`_operand`; a list or tuple as
    the Tensor MindSpore makes of it (Python floats float32, ints int64)."""
    other = _operand(other)
    return _as_array(other) if type(other) in (list, tuple) else other


def _binary(op):
    true_div = op is np.true_divide

    def method(self, other):  # (MindSpore's result dtype: autograd_st/promotion.py)
        a, b = promote_pair(self._data, _other(other), true_div)
        return _tensor_of(np.asarray(quiet_call(op, a, b)))
    method.__name__ = op.__name__
    return method


def _reflected(op):
    true_div = op is np.true_divide

    def method(self, other):
        b, a = promote_pair(self._data, _other(other), true_div)
        return _tensor_of(np.asarray(quiet_call(op, a, b)))
    method.__name__ = "r" + op.__name__
    return method


class Tensor:
    """An n-dimensional array with MindSpore's Tensor API, stored as a numpy array.

    >>> Tensor([[1.0, 2.0]]).shape
    (1, 2)
    """

    # _np_repr: set (True) on the Tensors a dataset iterator gives, which MindSpore prints in
    # numpy's own format (unset on any other: reading it raises AttributeError)
    __slots__ = ("_data", "__weakref__", "_np_repr")
    __array_priority__ = 1000
    _data: np.ndarray  # the value (set once in __init__; Parameter.set_data replaces it)

    def __init__(self, input_data: Any = None, dtype=None, shape=None, init=None,
                 const_arg: bool = False, device=None) -> None:
        # const_arg (a graph-mode compile hint) and device (where the data lives) change
        # nothing here: every Tensor is numpy's, on the CPU
        if input_data is None and (shape is not None or dtype is not None):
            if shape is None or any(d is None or d == -1 for d in shape):
                _make_placeholder(self, dtype, shape)
                return
            input_data = np.zeros(shape, dtype=mstype.to_numpy(dtype) or np.float32)
            if init in ("zeros", "ones"):
                input_data = input_data + (init == "ones")
            elif init is not None:  # Tensor(shape=..., dtype=..., init=One()): its values now
                if not callable(init):
                    raise TypeError("For 'Tensor', 'init' must be an Initializer (such as "
                                    "mindspore.common.initializer.Normal()), 'zeros' or "
                                    "'ones', but got %r; for another name use "
                                    "mindspore.common.initializer.initializer(name, shape, "
                                    "dtype)" % (init,))
                input_data = np.asarray(init(input_data)).astype(input_data.dtype)
        object.__setattr__(self, "_data", _as_array(input_data, dtype, copy=True))

    # -- numpy interop -------------------------------------------------------------------
    def __array__(self, dtype=None, copy=None):
        if dtype is not None and np.dtype(dtype) != self._data.dtype:
            return self._data.astype(dtype)
        return self._data

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        inputs = tuple(_operand(x) for x in inputs)
        if "out" in kwargs:
            kwargs["out"] = tuple(unwrap(x) for x in kwargs["out"])
        return wrap(getattr(ufunc, method)(*inputs, **kwargs))

    @staticmethod
    def from_numpy(array) -> "Tensor":
        """MindSpore's ``Tensor.from_numpy(array)``: a Tensor sharing the numpy array's
        memory (as ``ms.from_numpy``)."""
        return _tensor_of(np.asarray(array))

    def asnumpy(self) -> np.ndarray:
        """The underlying numpy array (shares memory, as MindSpore's does on CPU)."""
        return self._data

    def init_data(self, slice_index=None, shape=None, opt_shape=None) -> "Tensor":
        """MindSpore's ``Tensor.init_data()``: materialises a Tensor made by
        ``initializer(...)``.  Here an initializer's Tensor holds its values from the start,
        so this returns the Tensor itself (the arguments, for parallel slicing, are
        accepted and have nothing to do on one device)."""
        return self

    # -- properties ----------------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        return self._data.shape

    @property
    def dtype(self) -> mstype.Type:
        return mstype.from_numpy(self._data.dtype)

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def size(self) -> int:
        return self._data.size

    @property
    def T(self) -> "Tensor":
        return _tensor_of(np.asarray(self._data.T))

    def dim(self) -> int:
        return self._data.ndim

    # -- printing ------------------------------------------------------------------------
    def __str__(self) -> str:
        return str(self._data)

    def __repr__(self) -> str:
        return tensor_repr(self)

    # -- arithmetic ----------------------------------------------------------------------
    __add__ = _binary(np.add)
    __radd__ = _reflected(np.add)
    __sub__ = _binary(np.subtract)
    __rsub__ = _reflected(np.subtract)
    __mul__ = _binary(np.multiply)
    __rmul__ = _reflected(np.multiply)
    __truediv__ = _binary(np.true_divide)
    __rtruediv__ = _reflected(np.true_divide)
    __floordiv__ = _binary(np.floor_divide)
    __rfloordiv__ = _reflected(np.floor_divide)
    __mod__ = _binary(np.mod)
    __rmod__ = _reflected(np.mod)
    __pow__ = _binary(power)  # (integers to negative powers: MindSpore's values)
    __rpow__ = _reflected(power)
    __matmul__ = _binary(np.matmul)
    __rmatmul__ = _reflected(np.matmul)
    __lt__ = _binary(np.less)
    __le__ = _binary(np.less_equal)
    __gt__ = _binary(np.greater)
    __ge__ = _binary(np.greater_equal)
    __and__ = _binary(np.logical_and)
    __or__ = _binary(np.logical_or)

    def __eq__(self, other):  # element-wise, as in MindSpore; ``t == None`` is False
        if other is None:
            return False
        return _tensor_of(np.asarray(np.equal(self._data, unwrap(other))))

    def __ne__(self, other):
        if other is None:
            return True
        return _tensor_of(np.asarray(np.not_equal(self._data, unwrap(other))))

    __hash__ = object.__hash__

    def __neg__(self) -> "Tensor":
        return _tensor_of(np.asarray(-self._data))

    def __pos__(self) -> "Tensor":
        return self

    def __invert__(self) -> "Tensor":
        return _tensor_of(np.asarray(np.logical_not(self._data)))

    def __bool__(self) -> bool:
        return bool(self._data)

    def __float__(self) -> float:
        return float(self._item())

    def __int__(self) -> int:
        return int(self._item())

    def __index__(self) -> int:
        return int(self._item())

    def _item(self):
        """The one element of a Tensor of any shape (MindSpore converts ``[[2.7]]`` too)."""
        data = self._data
        if data.size != 1:
            raise ValueError("Only one element tensors can be converted to Python scalars")
        return data.reshape(()).item() if data.ndim else data.item()

    def __len__(self) -> int:
        return len(self._data)

    def __iter__(self):
        for item in self._data:
            yield wrap(item)

    def __getitem__(self, index) -> "Tensor":
        if isinstance(index, tuple):
            index = tuple(unwrap(i) for i in index)
        else:
            index = unwrap(index)
        return _tensor_of(np.asarray(self._data[index]))

    def __setitem__(self, index, value) -> None:
        index = tuple(unwrap(i) for i in index) if isinstance(index, tuple) else unwrap(index)
        if _advanced_index(index) and not isinstance(self, Parameter):
            # MindSpore 2.10 writes an advanced index (a mask, an int Tensor, a list, None,
            # a bool) into a new array that the Tensor then holds: a view taken before
            # (``v = t[0]``) keeps the old values; a basic index (ints, slices, ``...``)
            # writes in place, where views see it (measured)
            data = self._data.copy()
            data[index] = unwrap(value)
            object.__setattr__(self, "_data", data)
            return
        self._data[index] = unwrap(value)

    def __copy__(self) -> "Tensor":
        return _tensor_of(np.asarray(self._data.copy()))

    def __reduce__(self):
        return (Tensor, (self._data,))

    # -- methods -------------------------------------------------------------------------
    # The methods that are primitives (``sum``, ``reshape``, ``exp``, ``abs`` ...) are not
    # written here: :mod:`autograd_st.op_table` derives them from its rows and installs them
    # on this class, so each is one definition that runs eagerly and compiles.
    def item(self):
        return self._data.item()

    def tolist(self):
        return self._data.tolist()

    def copy(self) -> "Tensor":
        return _tensor_of(np.asarray(self._data.copy()))

    def numpy(self) -> np.ndarray:
        """MindSpore's ``Tensor.numpy()``: the array itself, sharing memory (measured in
        MindSpore 2.10: writing into it changes the Tensor), unlike ``asnumpy``'s copy."""
        return self._data

    def is_floating_point(self) -> bool:
        """Whether the dtype is a floating-point one."""
        return self._data.dtype.kind == "f"

    def nelement(self) -> int:
        """The number of entries (``numel``)."""
        return int(self._data.size)

    numel = nelement

    def ndimension(self) -> int:
        """The number of axes (``ndim``)."""
        return self._data.ndim

    def is_contiguous(self) -> bool:
        """Whether the data is C-contiguous (always, for a Tensor made here)."""
        return bool(self._data.flags.c_contiguous)

    @property
    def itemsize(self) -> int:
        """Bytes per entry."""
        return int(self._data.itemsize)

    @property
    def nbytes(self) -> int:
        """Bytes of the whole data."""
        return int(self._data.nbytes)

    @property
    def strides(self) -> tuple:
        """Bytes to step along each axis (numpy's strides, as MindSpore's)."""
        return tuple(self._data.strides)

    def fill_(self, value) -> "Tensor":
        """MindSpore's ``Tensor.fill_(value)``: every entry set to ``value``, in place (not in
        differentiated code); returns ``self``."""
        self._data[...] = unwrap(value)
        return self

    def zero_(self) -> "Tensor":
        """MindSpore's ``Tensor.zero_()``: every entry set to 0, in place; returns ``self``."""
        self._data[...] = 0
        return self

    def set_dtype(self, dtype) -> "Tensor":
        object.__setattr__(self, "_data", self._data.astype(mstype.to_numpy(dtype)))
        return self

    def register_hook(self, hook) -> "TensorHookHandle":
        """MindSpore's ``Tensor.register_hook(hook)``: ``hook(grad)`` gets the whole gradient of
        this value and may return the one to use instead (None keeps it).

        Inside a differentiated function or ``construct``, the statement ``y.register_hook(fn)``
        is compiled: the hook runs in the backward, on every use's gradient summed (uses
        before the registration too, as in MindSpore; ``compiler/hooks.py``).  Run eagerly
        (a forward pass outside any gradient) it is recorded, and a gradient function given
        this Tensor at a differentiated position (or as one of its weights, a Parameter)
        runs the hook on the gradient it returns for it, as MindSpore does
        (``boundary/function.py``)."""
        if not callable(hook):
            raise TypeError("For 'Tensor.register_hook(hook)', the type of 'hook' should be "
                            "python function, but got %s." % type(hook).__name__)
        key = id(self)
        entry = TENSOR_HOOKS.get(key)
        if entry is None or entry[0]() is not self:
            hooks: list = []
            entry = TENSOR_HOOKS[key] = (weakref.ref(self, functools.partial(_forget, key)),
                                         hooks)
        token = object()
        entry[1].append((token, hook))
        return TensorHookHandle(key, token)


TENSOR_HOOKS: dict = {}
"""Hooks registered eagerly on Tensors: ``id -> (weak reference, [(token, hook)])`` (empty in a
program that registers none: gradient functions test it once per call)."""


def _forget(key: int, ref) -> None:
    entry = TENSOR_HOOKS.get(key)
    if entry is not None and entry[0] is ref:
        del TENSOR_HOOKS[key]


class TensorHookHandle:
    """What ``Tensor.register_hook`` returns: ``remove()`` takes the hook off."""

    def __init__(self, key: int, token) -> None:
        self._key, self._token = key, token

    def remove(self) -> None:
        entry = TENSOR_HOOKS.get(self._key)
        if entry is not None:
            entry[1][:] = [h for h in entry[1] if h[0] is not self._token]
            if not entry[1]:
                del TENSOR_HOOKS[self._key]


def eager_hooks(value) -> list:
    """The hooks registered eagerly on ``value`` (a Tensor or Parameter), in registration
    order; [] for anything else."""
    entry = TENSOR_HOOKS.get(id(value))
    if entry is None or entry[0]() is not value:
        return []
    return [hook for _, hook in entry[1]]


_structure_epoch = [0]


def bump_structure_epoch() -> None:
    """Called whenever something that changes generated code changes (see compiler cache)."""
    _structure_epoch[0] += 1


def structure_epoch() -> int:
    return _structure_epoch[0]


class _SpecArray(np.ndarray):
    """The empty array a shape placeholder holds, with its declared shape (``spec``)."""

    spec: tuple = ()


class PlaceholderTensor(Tensor):
    """What MindSpore's ``Tensor(shape=[None, 3], dtype=ms.float32)`` makes: a Tensor of
    unknown dimensions (-1 each; ``shape=None``: unknown rank, ``(-2,)``), with no values,
    for ``Cell.set_inputs``.  Reading its values raises ``ValueError``, as MindSpore."""

    __slots__ = ()

    @property
    def _spec(self) -> tuple:
        data = self._data
        assert isinstance(data, _SpecArray)
        return data.spec

    @property
    def shape(self) -> tuple:
        return self._spec

    @property
    def ndim(self) -> int:
        return len(self._spec)

    def asnumpy(self) -> np.ndarray:
        raise ValueError("negative dimensions are not allowed (a Tensor of shape %s made "
                         "with Tensor(shape=..., dtype=...) has no values: it declares "
                         "inputs for Cell.set_inputs)" % (list(self._spec),))

    def __array__(self, dtype=None, copy=None):
        return self.asnumpy()

    def __repr__(self) -> str:
        return "Tensor(shape=%s, dtype=%s, value= )" % (list(self._spec), self.dtype)

    __str__ = __repr__


def _make_placeholder(tensor: Tensor, dtype, shape) -> None:
    if dtype is None:
        raise ValueError("If setting dynamic shape, dtype must not be None, init must be None")
    data = np.empty(0, mstype.to_numpy(dtype)).view(_SpecArray)
    data.spec = (-2,) if shape is None else tuple(-1 if d is None else int(d) for d in shape)
    object.__setattr__(tensor, "_data", data)
    object.__setattr__(tensor, "__class__", PlaceholderTensor)


class Parameter(Tensor):
    """A Tensor that a Cell trains: it has a ``name`` and a ``requires_grad`` flag.

    Its storage is updated in place by optimizers (``set_data`` / ``assign_value``), so the
    same object stays registered in every Cell and ParameterTuple that holds it.
    """

    __slots__ = ("name", "_requires_grad", "_name_given")

    def __init__(self, default_input: Any, name: str | None = None, requires_grad: bool = True,
                 layerwise_parallel: bool = False, parallel_optimizer: bool = True) -> None:
        if isinstance(default_input, (int, float)) and not isinstance(default_input, bool):
            default_input = np.asarray(default_input, np.float32)
        super().__init__(default_input)
        object.__setattr__(self, "_data", np.array(self._data))  # its own storage
        self._name_given = name is not None
        self.name = name if name is not None else "Parameter"
        self._requires_grad = bool(requires_grad)

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if bool(value) != self._requires_grad:
            self._requires_grad = bool(value)
            bump_structure_epoch()

    def set_data(self, data: Any, slice_shape: bool = False) -> "Parameter":
        """Replace the values, as MindSpore 2.10 does (measured, ``ms_cases`` case
        ``api_memory_sharing``): a Tensor of this Parameter's dtype is held as it is (the two
        share memory: a target network ``set_data`` from another's Parameters follows its
        updates), anything else becomes a new array of this dtype; the shape is the data's.
        An array taken with ``asnumpy()`` before keeps the old values."""
        if isinstance(data, Tensor) and data._data.dtype == self._data.dtype:
            new = data._data
        else:
            new = np.array(unwrap(data), dtype=self._data.dtype)
        object.__setattr__(self, "_data", new)
        return self

    def assign_value(self, value: Any) -> "Parameter":
        return self.set_data(value)

    @property
    def data(self) -> "Parameter":
        return self

    def init_data(self, slice_index=None, shape=None, opt_shard_group=None) -> "Parameter":
        """MindSpore's ``Parameter.init_data()``: initializes a lazily initialized Parameter;
        here every Parameter holds its data already, so it returns itself (as MindSpore
        does for an initialized one)."""
        return self

    def clone(self, init: str = "same") -> "Parameter":
        """A new Parameter of this name: a copy (``init='same'``) or filled per ``init``
        (``'zeros'``, ``'ones'`` or a number), as MindSpore's ``Parameter.clone``."""
        return Parameter(_filled(self._data, init), name=self.name,
                         requires_grad=self.requires_grad)

    def __repr__(self) -> str:
        return "Parameter (name=%s, shape=%s, dtype=%s, requires_grad=%s)" % (
            self.name, tuple(self.shape), self.dtype, self.requires_grad)

    __str__ = __repr__  # (print(param) as MindSpore prints it; its values: param.asnumpy())

    def __reduce__(self):
        return (Parameter, (self._data, self.name, self._requires_grad))


class ParameterTuple(tuple):
    """A tuple of Parameters (``ParameterTuple(net.trainable_params())``)."""

    def __new__(cls, iterable: Iterable[Parameter] = ()) -> "ParameterTuple":
        items = tuple(iterable)
        for p in items:
            if not isinstance(p, Parameter):
                raise TypeError("ParameterTuple holds Parameters only; got %s. Wrap the value in "
                                "Parameter(...) first." % type(p).__name__)
        return super().__new__(cls, items)

    def clone(self, prefix: str, init: str = "same") -> "ParameterTuple":
        """MindSpore's ``ParameterTuple.clone(prefix, init='same')``: new Parameters named
        ``prefix.name``, copies (``'same'``) or filled per ``init`` (``'zeros'``, ``'ones'``,
        a number) -- an optimizer's state."""
        return ParameterTuple(Parameter(_filled(p.asnumpy(), init), name=prefix + "." + p.name,
                                        requires_grad=p.requires_grad) for p in self)


def _filled(data: np.ndarray, init) -> np.ndarray:
    """``data`` copied (``init='same'``) or an array like it filled per ``init``."""
    if isinstance(init, str):
        fills = {"same": None, "zeros": 0, "ones": 1}
        if init.lower() not in fills:
            raise ValueError("clone: init must be 'same', 'zeros', 'ones' or a number, got %r"
                             % (init,))
        fill = fills[init.lower()]
        return data.copy() if fill is None else np.full_like(data, fill)
    if isinstance(init, (int, float, np.number)) and not isinstance(init, bool):
        return np.full_like(data, init)
    raise TypeError("clone: init must be 'same', 'zeros', 'ones' or a number, got %s"
                    % type(init).__name__)


class _TensorModule(types.ModuleType):
    """This module, callable: ``mindspore.tensor(input_data, dtype, ...)`` is MindSpore 2.x's
    function making a Tensor (``from mindspore import tensor``), and in this package
    ``autograd_st.tensor`` is also the module that defines it."""

    def __call__(self, input_data=None, dtype=None, shape=None, init=None, const_arg=False,
                 device=None) -> Tensor:
        return Tensor(input_data, dtype, shape, init, const_arg, device)


sys.modules[__name__].__class__ = _TensorModule
