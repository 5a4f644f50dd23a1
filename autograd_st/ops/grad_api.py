"""MindSpore's differentiation API: ``GradOperation``, ``grad``, ``value_and_grad``, and
``dump`` (the generated adjoint source, as text).

Each turns its options into a :class:`~autograd_st.boundary.GradRequest` and returns a
:class:`~autograd_st.boundary.GradFunction`; the boundary does the rest (argument
structure, compiling, the per-call path).  Used as decorators over a function they give its
gradient function; over a Cell class, a Cell class whose instances return the gradients.
"""
from __future__ import annotations

import inspect

import numpy as np

from ..boundary import GradFunction, GradRequest
from ..cell import Cell
from ..errors import GradientNotFoundError
from ..tensor import Parameter, ParameterTuple, Tensor

__all__ = ["GradOperation", "grad", "value_and_grad", "dump", "GradFunction", "get_grad"]


def _decorate_class(cls, make):
    """``@grad`` over a Cell class: a Cell class whose instances return the gradients."""

    class GradCell(cls):
        def __call__(self, *args, **kwargs):
            gfn = self.__dict__.get("_autograd_st_gradfn")
            if gfn is None:
                gfn = make(_ConstructOf(self))
                object.__setattr__(self, "_autograd_st_gradfn", gfn)
            return gfn(*args, **kwargs)

    GradCell.__name__ = cls.__name__
    GradCell.__qualname__ = cls.__qualname__
    GradCell.__module__ = cls.__module__  # (pickle finds its instances by this name)
    GradCell.__doc__ = cls.__doc__
    return GradCell


class _ConstructOf:
    """A Cell seen through its construct (so that __call__ overrides do not recurse)."""

    def __new__(cls, cell):
        return cell


def _is_cell_class(obj) -> bool:
    return isinstance(obj, type) and issubclass(obj, Cell)


def _static(fn):
    fn._autograd_st_static = True
    return fn


def _transform(fn, grad_position, weights, has_aux, value, return_ids=False):
    request = GradRequest.for_grad(grad_position, weights, has_aux, value)
    if return_ids:
        make = lambda f: WithIds(GradFunction(f, request), request)  # noqa: E731
    else:
        make = lambda f: GradFunction(f, request)  # noqa: E731
    if _is_cell_class(fn):
        return _decorate_class(fn, make)
    return make(fn)


@_static
def grad(fn=None, grad_position=0, weights=None, has_aux=False, return_ids=False):
    """``ops.grad``: a function returning the gradients of ``fn`` (MindSpore semantics).
    ``return_ids=True`` pairs each gradient with its input's position or its Parameter's
    name (see :class:`WithIds`; :func:`get_grad` picks one out)."""
    if fn is None:
        return lambda f: grad(f, grad_position, weights, has_aux, return_ids)
    return _transform(fn, grad_position, weights, has_aux, False, return_ids)


@_static
def value_and_grad(fn=None, grad_position=0, weights=None, has_aux=False, return_ids=False):
    """``ops.value_and_grad``: returns ``(value, gradients)``; ``return_ids`` as in
    :func:`grad`."""
    if fn is None:
        return lambda f: value_and_grad(f, grad_position, weights, has_aux, return_ids)
    return _transform(fn, grad_position, weights, has_aux, True, return_ids)


class WithIds:
    """``grad(..., return_ids=True)``: the gradients of a :class:`GradFunction`, each paired
    with what it is the gradient of, in MindSpore's structure (measured on 2.10): an input's
    as ``(position, gradient)``, a Parameter's as ``(name, gradient)``; one position (``0`` or
    ``(0,)``) gives one pair, a tuple of positions a tuple of pairs, both positions and
    weights ``(input pairs, weight pairs)``; ``value_and_grad`` and ``has_aux`` keep their
    own nesting around them.

    Differs from MindSpore: for one position other than 0 (``grad_position=1``), MindSpore
    2.10 gives ``((1, g[0]),)``, the gradient's first element in a tuple (a wrong gradient,
    measured); here it is ``(1, g)``, as for position 0.
    """

    def __init__(self, gfn: GradFunction, request: GradRequest) -> None:
        self.gfn = gfn
        self.request = request
        self.__name__ = gfn.__name__
        self.__doc__ = gfn.__doc__

    def source(self, *args, **kwargs) -> str:
        """The generated code the gradient function runs (as ``GradFunction.source``)."""
        return self.gfn.source(*args, **kwargs)

    def __call__(self, *args, **kwargs):
        out = self.gfn(*args, **kwargs)
        request = self.request
        if request.value:  # ((value, aux) or value, gradients)
            return (out[0], self._paired(out[1]))
        if request.has_aux:  # (gradients, aux)
            return (self._paired(out[0]), out[1])
        return self._paired(out)

    def _paired(self, grads):
        request = self.request
        positions, weights = request.positions, request.weights
        if weights is not None:
            names = [w.name for w in weights]
            wpairs = (names[0], grads) if request.single_weight else None
            if positions is None:
                return wpairs or tuple(zip(names, grads))
            grads, wgrads = grads
            if wpairs is not None:
                wpairs = (names[0], wgrads)
            return (self._position_pairs(positions, grads), wpairs or tuple(zip(names, wgrads)))
        return self._position_pairs(positions, grads)

    @staticmethod
    def _position_pairs(positions, grads):
        if isinstance(positions, int) or len(positions) == 1:  # one gradient, given bare
            return (positions if isinstance(positions, int) else positions[0], grads)
        return tuple(zip(positions, grads))


def _is_pair(node) -> bool:
    return (isinstance(node, tuple) and len(node) == 2 and isinstance(node[0], (int, str))
            and not isinstance(node[0], bool) and isinstance(node[1], Tensor))


def get_grad(gradients, identifier):
    """``mindspore.get_grad(gradients, identifier)``: the gradient of the input at position
    ``identifier`` (an int) or of the Parameter ``identifier`` in what
    ``grad(..., return_ids=True)`` returned."""
    if isinstance(identifier, Parameter):
        key = identifier.name
    elif isinstance(identifier, int) and not isinstance(identifier, bool):
        key = identifier
    else:
        raise TypeError("For `get_grad`, the `x` should be an integer or a Parameter, but got "
                        "%r" % (identifier,))
    stack = [gradients]
    found_pairs = False
    while stack:
        node = stack.pop()
        if _is_pair(node):
            found_pairs = True
            if node[0] == key and type(node[0]) is type(key):
                return node[1]
        elif isinstance(node, (tuple, list)):
            stack.extend(reversed(node))
    what = "Parameter %r" % key if isinstance(key, str) else "position %d" % key
    if not found_pairs:
        raise GradientNotFoundError(
            "get_grad: no gradient for %s: these gradients carry no ids; make them with "
            "ops.grad(..., return_ids=True) (or ops.value_and_grad(..., return_ids=True))"
            % what)
    raise GradientNotFoundError(
        "get_grad: no gradient for %s among these gradients; pass a position listed in "
        "grad_position or a Parameter listed in weights" % what)


class GradOperation:
    """``ops.GradOperation(get_all=False, get_by_list=False, sens_param=False)``.

    ``GradOperation()(net)`` (or ``(net, params)`` with ``get_by_list``) is the gradient
    function.  Used as a decorator over a function it gives that function's gradient
    function; over a Cell class, a Cell class whose instances return the gradients.
    """

    _autograd_st_static = True
    _last = (None, None, None)  # (fn, weights, gradient function) last remembered

    def __init__(self, get_all: bool = False, get_by_list: bool = False,
                 sens_param: bool = False) -> None:
        self.get_all = bool(get_all)
        self.get_by_list = bool(get_by_list)
        self.sens_param = bool(sens_param)

    def __getstate__(self) -> dict:
        """Pickled and deep-copied without the gradient functions it remembers (keyed by
        the ids of this process's objects)."""
        state = dict(self.__dict__)
        state.pop("_memo", None)
        state.pop("_last", None)
        return state

    def __call__(self, fn, weights=None):
        # `self.grad_op(self.net)` inside construct (the tutorials' GradNetWrtX) runs on every
        # call: the same network and weights object give back the same gradient function,
        # found before anything else is done (get_by_list without weights reads the
        # network's trainable Parameters again each time: not remembered this way)
        last = self._last  # the last one asked for (one network: every call after the first)
        if last[0] is fn and last[1] is weights:
            return last[2]
        memo = self.__dict__.get("_memo")
        if memo is not None:
            found = memo.get((id(fn), id(weights)))
            if found is not None and found[0] is fn and found[1] is weights:
                self._last = found
                return found[2]
        if _is_cell_class(fn):
            return _decorate_class(fn, lambda cell: self(cell, weights))
        request = GradRequest.for_gradop(self.get_all, self.get_by_list, self.sens_param, fn,
                                         weights)
        # the same network and weights: the same gradient function (and its per-call cache).
        # Only a weights object that cannot change (None, a tuple: ParameterTuple is one) is
        # remembered by identity; a list is looked up by the Parameters it holds now
        memo = self.__dict__.setdefault("_memo", {})
        key = (id(fn), request.key())
        found = memo.get(key)
        if found is None or found[0] is not fn:
            found = (fn, None, GradFunction(fn, request))
            if len(memo) > 16:
                memo.clear()
            memo[key] = found
        if (weights is None and not self.get_by_list) or isinstance(weights, tuple):
            memo[(id(fn), id(weights))] = self._last = (fn, weights, found[2])
        return found[2]


def dump(fn, *args, get_all=False, get_by_list=False, sens_param=False, grad_position=None,
         weights=None) -> str:
    """The generated gradient source for ``fn`` (a Cell or a function), as text.

    With no example ``args``, every parameter is taken to be a float32 Tensor of shape (1,)
    (generated code never depends on shapes).
    """
    if grad_position is not None or weights is not None:
        gfn = grad(fn, grad_position if grad_position is not None else 0, weights)
    else:
        gfn = GradOperation(get_all, get_by_list, sens_param)(
            fn, ParameterTuple(fn.trainable_params()) if get_by_list else None)
    if not args:
        target = type(fn).construct if gfn._is_cell else fn
        n = len(inspect.signature(target).parameters) - (1 if gfn._is_cell else 0)
        args = tuple(Tensor(np.ones((1,), np.float32)) for _ in range(n + int(sens_param)))
    return gfn.source(*args)
