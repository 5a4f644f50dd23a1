"""Calls: what kind of callee a call in user code names, and how a call of each kind binds.

Takes: a call expression (gast) in the normalizer's current environment.
Gives: the call's bound value (see :mod:`.normalize_values`).  A method of a runtime value
(``x.sum()``) binds through :func:`.bindings.method` (or runs as it is, ``Opaque``).  Any
other callee is resolved at compile time, :func:`classify` names its :class:`CalleeKind`,
and that kind's handler binds the call: primitive statements through ``P``, a ``Call`` of
another function's compiled pair (through the driver's ``bind_call``), a constant evaluated
now, or an ``Opaque`` statement that runs as it is, with no gradient.

:class:`CallsMixin` is one part of :class:`~autograd_st.compiler.normalize.Normalizer` and
uses its state and helpers (``expr``, ``static``, ``opaque``, ``to_node``, ``callees``).
"""
from __future__ import annotations

import builtins
import enum
import types
from dataclasses import dataclass

import gast
import numpy as np

from ..cell import Cell
from ..prims import P, Sym, has_sym
from ..tensor import Tensor
from . import bindings, markers
from .normalize_containers import NOT_HANDLED, freeze
from .normalize_values import Range, dotted, name_hint

__all__ = ["CalleeKind", "CallSite", "classify", "CallsMixin"]

# builtins evaluated at compile time when every argument is a constant
_STATIC_BUILTINS = {len, range, int, float, bool, str, tuple, list, isinstance, min, max, abs,
                    round, enumerate, zip, type, hasattr, getattr, sum, reversed, sorted, dict}
# builtins an Opaque call names as themselves (any other callee is a constant of the module)
_OPAQUE_BUILTINS = {len, int, float, bool, print, isinstance, min, max, round, range, tuple,
                    list, str, type}


class CalleeKind(enum.Enum):
    """What a callee found in user code is; each kind has one handler in :class:`CallsMixin`."""

    BOUND = "a primitive instance or a composite over P (bindings.lookup): bound to primitives"
    RANGE = "range(...): a Range, which a for loop consumes"
    REVERSED_RANGE = "reversed(range(a, b)) with step 1: range(b - 1, a - 1, -1)"
    SEQUENCE = "enumerate, zip or reversed over compile-time sequences: a tuple now"
    COMPILE_TIME_API = "ops.grad(f), GradOperation(...), ops.ones(...): evaluated now"
    COMPILED = "a Cell, a Cell's method, a plain function, a gradient function: a Call"
    MATH = "a Python function of module math on constants: evaluated now"
    CONSTANT = "a class, a builtin or a ufunc on constants: evaluated now"
    TENSOR = "Tensor(x) with x a runtime value: x itself"
    OPAQUE = "anything else: run as it is, with no gradient"


@dataclass(slots=True)
class CallSite:
    """One call in user code, its arguments bound: what classify and the handlers read."""

    callee: object  # resolved at compile time (never a Sym)
    args: list  # bound positional arguments
    kwargs: dict  # bound keyword arguments
    node: object  # the gast.Call (for error locations)
    path: str  # name hint of the callee as written (``self_fc1``, ``np_exp``)
    runtime_args: bool  # whether any argument holds a runtime value
    composite: object = None  # what bindings.lookup found for the callee, or None


def classify(site: CallSite) -> CalleeKind:
    """The kind of ``site.callee``.  The first check that holds wins, and the order matters:
    a composite first (``ops.*`` functions are plain functions, primitive instances
    callables); a compile-time API before a compiled call (``ops.grad`` is a plain
    function) and before the evaluation of constants; a function of ``math`` before a plain
    function; ``Tensor`` on constants is a class evaluated now (a constant Tensor), only on a
    runtime value is it TENSOR."""
    callee, args = site.callee, site.args
    if site.composite is not None:
        return CalleeKind.BOUND
    if callee is range:
        return CalleeKind.RANGE
    if callee is reversed and len(args) == 1 and isinstance(args[0], Range) \
            and type(args[0].args[2]) is int and args[0].args[2] == 1:
        return CalleeKind.REVERSED_RANGE
    if callee in (enumerate, zip, reversed) and not site.kwargs \
            and all(isinstance(a, (tuple, list)) for a in args):
        return CalleeKind.SEQUENCE
    if markers.is_compile_time_api(callee):
        return CalleeKind.COMPILE_TIME_API
    if isinstance(callee, Cell) or markers.is_gradient_function(callee):
        return CalleeKind.COMPILED
    if isinstance(callee, types.FunctionType):
        if not site.runtime_args and callee.__module__ in ("math",):
            return CalleeKind.MATH
        return CalleeKind.COMPILED
    if isinstance(callee, types.MethodType) and isinstance(callee.__self__, Cell):
        return CalleeKind.COMPILED
    if not site.runtime_args and (isinstance(callee, type) or callee in _STATIC_BUILTINS
                                  or isinstance(callee, (types.BuiltinFunctionType, np.ufunc))):
        return CalleeKind.CONSTANT
    if callee is Tensor:
        return CalleeKind.TENSOR
    return CalleeKind.OPAQUE


class CallsMixin:
    """Binds calls (see the module docstring)."""

    def e_Call(self, node):
        func = node.func
        args = [self.expr(a) for a in node.args]
        kwargs = {k.arg: self.expr(k.value) for k in node.keywords}
        if isinstance(func, gast.Attribute):
            base = self.expr(func.value)
            if isinstance(base, Sym):
                fn = bindings.method(func.attr)
                if fn is not None:
                    return fn(base, *args, **kwargs)
                call = gast.Call(func=gast.Attribute(value=self.to_node(base), attr=func.attr,
                                                     ctx=gast.Load()),
                                 args=[self.to_node(a) for a in args],
                                 keywords=[gast.keyword(arg=k, value=self.to_node(v))
                                           for k, v in kwargs.items()])
                return self.opaque(call, [base] + list(args) + list(kwargs.values()),
                                   func.attr, callee_name="." + func.attr)
            if isinstance(base, (list, dict, set)):  # a list the function builds changes now
                out = self.container_method(base, func.attr, args, kwargs, node)
                if out is not NOT_HANDLED:
                    return out
            callee = self.attribute_of(base, func.attr, func)
            path = name_hint(func)
        else:
            callee = self.expr(func)
            path = name_hint(func)
        if isinstance(callee, Sym):
            raise self.error(func, "calling a runtime value is not supported")
        return self.call(callee, args, kwargs, node, path)

    def call(self, callee, args, kwargs, node, path):
        """``callee(*args, **kwargs)`` (``callee`` a compile-time object): its bound value."""
        out = self.call_on_containers(callee, args, kwargs, node, path)  # closures, len(seq)
        if out is not NOT_HANDLED:
            return out
        site = CallSite(callee, args, kwargs, node, path,
                        has_sym(list(args) + list(kwargs.values())), bindings.lookup(callee))
        return _HANDLERS[classify(site)](self, site)

    # -- one handler per CalleeKind ------------------------------------------------------
    def _call_bound(self, site):
        # on constants a composite (not a primitive instance) first runs as plain Python:
        # np.zeros(3) is a constant array
        callee, args, kwargs = site.callee, site.args, site.kwargs
        if not site.runtime_args and not markers.is_primitive_instance(site.composite):
            try:
                return self.static(callee(*args, **kwargs), site.path)
            except Exception:  # noqa: BLE001 - fall back to binding
                pass
        try:
            return site.composite(*args, **kwargs)
        except (TypeError, ValueError) as exc:
            raise self.error(site.node, "bad call to %s: %s"
                             % (site.path or callee, exc)) from None

    def _call_range(self, site):
        return Range(site.args)

    def _call_reversed_range(self, site):
        start, stop, _ = site.args[0].args  # reversed(range(a, b)) is range(b - 1, a - 1, -1)
        return Range([P.sub(stop, 1), P.sub(start, 1) if has_sym(start) else start - 1, -1])

    def _call_sequence(self, site):
        # over a compile-time sequence (of runtime values)
        return tuple(site.callee(*site.args))

    def _call_compile_time_api(self, site):
        if site.runtime_args:
            raise self.error(site.node, "%s needs constant arguments here"
                             % (site.path or site.callee),
                             "pass it compile-time values (a function, a Cell, numbers)")
        return self._evaluate(site)

    def _call_compiled(self, site):
        return self.callees.bind_call(self, site.callee, [freeze(a) for a in site.args],
                                      {k: freeze(v) for k, v in site.kwargs.items()},
                                      site.node, site.path)

    def _call_math(self, site):
        return site.callee(*site.args, **site.kwargs)

    def _call_constant(self, site):
        return self._evaluate(site)

    def _call_tensor(self, site):
        return site.args[0] if site.args else None

    def _call_opaque(self, site):
        # something the compiler has no rule for: run it as it is, without a gradient
        callee, args, kwargs = site.callee, site.args, site.kwargs
        name = self._callee_name(callee)
        call = gast.Call(func=gast.Name(id=name, ctx=gast.Load(), annotation=None,
                                        type_comment=None),
                         args=[self.to_node(a) for a in args],
                         keywords=[gast.keyword(arg=k, value=self.to_node(v))
                                   for k, v in kwargs.items()])
        return self.opaque(call, list(args) + list(kwargs.values()),
                           getattr(callee, "__name__", "call"),
                           callee_name=dotted(site.node.func) or site.path or name)

    def _evaluate(self, site):
        """The call run now, on constants; its result a bound value."""
        try:
            return self.static(site.callee(*site.args, **site.kwargs), site.path)
        except Exception as exc:  # noqa: BLE001 - reported at the user's line
            raise self.error(site.node, "evaluating %s at compile time failed: %s"
                             % (site.path, exc)) from None

    def _callee_name(self, callee):
        """The name an Opaque call calls ``callee`` by in generated code."""
        if callee in _OPAQUE_BUILTINS and getattr(builtins, callee.__name__, None) is callee:
            return callee.__name__
        if callee is np:
            return "np"
        return self.const_name(callee, getattr(callee, "__name__", "fn"))


_HANDLERS = {
    CalleeKind.BOUND: CallsMixin._call_bound,
    CalleeKind.RANGE: CallsMixin._call_range,
    CalleeKind.REVERSED_RANGE: CallsMixin._call_reversed_range,
    CalleeKind.SEQUENCE: CallsMixin._call_sequence,
    CalleeKind.COMPILE_TIME_API: CallsMixin._call_compile_time_api,
    CalleeKind.COMPILED: CallsMixin._call_compiled,
    CalleeKind.MATH: CallsMixin._call_math,
    CalleeKind.CONSTANT: CallsMixin._call_constant,
    CalleeKind.TENSOR: CallsMixin._call_tensor,
    CalleeKind.OPAQUE: CallsMixin._call_opaque,
}
