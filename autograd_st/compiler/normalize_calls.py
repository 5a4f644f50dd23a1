"""Calls: what kind of callee a call in user code names, and how a call of each kind binds.

Takes: a call expression (gast) in the normalizer's current environment.
Gives: the call's bound value (see :mod:`.normalize_values`).  A method of a runtime value
(``x.sum()``) binds through :func:`.bindings.method` (or runs as it is, ``Opaque``).  Any
other callee is resolved at compile time, :func:`classify` names its :class:`CalleeKind`,
and that kind's handler binds the call: primitive statements through ``P``, a ``Call`` of
another function's compiled pair (through the driver's ``bind_call``), a constant evaluated
now, or an ``Opaque`` statement that runs as it is, with no gradient.

Only calls the purity table (:mod:`.purity`) allows run at compile time; any other call
runs at run time, on every call, in program order (``print``, ``time.time()``,
``calls.append(1)``), and its result is a runtime value.  Only the user's own functions
and Cells are compiled as callees; a library's function (numpy's, the standard library's)
is evaluated when pure or run as it is.

:class:`CallsMixin` is one part of :class:`~autograd_st.compiler.normalize.Normalizer` and
uses its state and helpers (``expr``, ``static``, ``opaque``, ``to_node``, ``callees``).
"""
from __future__ import annotations

import builtins
import enum
import functools
import types
from dataclasses import dataclass

import gast
import numpy as np

from .. import tensor as tensor_module  # (callable: mindspore.tensor(...))
from ..cell import Cell
from ..cell import recompute as recompute_block
from ..errors import CompileError, SourceNotFoundError, UnsupportedSyntaxError
from ..prims import P, Sym, has_sym
from ..rules import GradSlot
from ..table_index import FUNCTIONAL_IN_PLACE
from ..tensor import Tensor, print_as_tensors
from . import bindings, hooks, markers, purity
from .ir import leaves, rebuild
from .normalize_containers import STORING, freeze
from .normalize_values import NOT_HANDLED, Range, dotted, name_hint, trip_count
from .parse import parse_function

__all__ = ["CalleeKind", "CallSite", "classify", "CallsMixin", "BIND_CALL"]

BIND_CALL = "_autograd_st_bind_call"
"""An object whose class defines ``_autograd_st_bind_call(self, call, args, kwargs)`` is
bound by that method, at compile time, when user code calls it: ``call(fn, args, kwargs)``
binds a call of another callee here (compiled like any call), and what the method returns
is the call's bound value (a runtime value, or a tuple of them).  ``C.HyperMap``,
``C.MultitypeFuncGraph``, ``F.partial``, ``F.depend`` and ``C.tail`` are bound this way, so
the functions they dispatch to are differentiated like the user's own."""

# builtins an Opaque call names as themselves (any other callee is a constant of the module)
_OPAQUE_BUILTINS = {len, int, float, bool, print, isinstance, min, max, round, range, tuple,
                    list, str, type}


class _Given:
    """``given(value)``: a runtime value of generated code as the direct call hands it to an
    object outside the function (``CALLS.append((tag, x))``): an array as a Tensor (of a
    copy: generated code may later write into its arrays), a Python number as it is.  (An
    object, not a function: code that differentiates generated code runs it as it is.)"""

    __slots__ = ()

    def __call__(self, value):
        if isinstance(value, (np.ndarray, np.generic)):
            return Tensor(np.array(value, copy=True))
        if type(value) in (tuple, list):
            return type(value)(self(v) for v in value)
        return value

    def __repr__(self) -> str:
        return "given"


given = _Given()


class _NoCall(Cell):
    """A Cell that does nothing: what the recompute options are checked against."""

    def __call__(self, *args, **kwargs):
        return None


class CalleeKind(enum.Enum):
    """What a callee found in user code is; each kind has one handler in :class:`CallsMixin`."""

    BOUND = "a primitive instance or a composite over P (bindings.lookup): bound to primitives"
    RANGE = "range(...): a Range, which a for loop consumes"
    REVERSED_RANGE = "reversed(range(a, b)) with step 1: range(b - 1, a - 1, -1)"
    SEQUENCE = "enumerate, zip or reversed over compile-time sequences: a tuple now"
    COMPILE_TIME_API = "ops.grad(f), GradOperation(...), ops.ones(...): evaluated now"
    COMPILED = "a Cell, a Cell's method, the user's function, a gradient function: a Call"
    ATTRIBUTE = "getattr / hasattr by a constant name, type(obj): an attribute read"
    PURE = "a call the purity table allows, on constants: evaluated now"
    LOCAL = "a method changing a list, dict or set this compile built: run now, on it"
    TENSOR = "Tensor(x) with x a runtime value: x itself"
    OPAQUE = "anything else: run at run time, on every call, in order, with no gradient"


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
    local_owner: bool = False  # a method of a container this compile built (not read)


def classify(site: CallSite) -> CalleeKind:
    """The kind of ``site.callee``.  The first check that holds wins, and the order matters:
    a composite first (``ops.*`` functions are plain functions, primitive instances
    callables); a compile-time API before a compiled call (``ops.grad`` is a plain
    function) and before the evaluation of constants; the user's functions are compiled,
    a library's never are; ``Tensor`` on constants is a class evaluated now (a constant
    Tensor), only on a runtime value is it TENSOR."""
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
    if isinstance(callee, Cell) or markers.is_gradient_function(callee) \
            or callee is recompute_block or markers.is_user_primitive(callee):
        return CalleeKind.COMPILED
    if isinstance(callee, types.FunctionType) and purity.is_user_code(callee):
        return CalleeKind.COMPILED
    if purity.is_cell_reader(callee) and not site.runtime_args:
        return CalleeKind.PURE  # self.trainable_params(): read now (the structure guarded)
    if isinstance(callee, types.MethodType) and (
            isinstance(callee.__self__, Cell) or _plain_method(callee)):
        return CalleeKind.COMPILED  # a Cell's method, or one of the user's own classes
    if site.runtime_args and purity.is_record_call(callee):  # State(h, c): a tuple, now
        return CalleeKind.PURE
    if site.runtime_args:
        return CalleeKind.TENSOR if callee is Tensor else CalleeKind.OPAQUE
    if (callee in (getattr, hasattr) and len(args) >= 2 and isinstance(args[1], str)) \
            or (callee is type and len(args) == 1 and not site.kwargs):
        return CalleeKind.ATTRIBUTE
    if purity.is_pure(callee, args, site.kwargs):
        return CalleeKind.PURE
    if site.local_owner and purity.is_mutator(callee) is not None:
        return CalleeKind.LOCAL
    return CalleeKind.OPAQUE


_PLAIN_METHODS: dict = {}  # code object -> whether such a method is compiled


def _plain_method(callee) -> bool:
    """Whether ``callee``, a bound method of an object that is not a Cell, is compiled like
    the user's functions: a method of the user's own class (a loss scaler's ``scale``, a
    config's ``apply``) that sets no attribute.  (What it reads of its object is guarded; one
    that keeps state, ``self.calls += 1``, runs at run time as before.)"""
    fn = callee.__func__
    if not (isinstance(fn, types.FunctionType) and purity.is_user_code(fn)):
        return False
    known = _PLAIN_METHODS.get(fn.__code__)
    if known is None:
        try:
            node = parse_function(callee).node
        except (CompileError, SourceNotFoundError):  # no source to read: run it at run time
            known = False
        else:
            known = not any(isinstance(n, gast.Attribute) and isinstance(n.ctx, gast.Store)
                            for n in gast.walk(node))
        if len(_PLAIN_METHODS) > 4096:
            _PLAIN_METHODS.clear()
        _PLAIN_METHODS[fn.__code__] = known
    return known


def _user_call(callee):
    """``callee`` (an object of the user's own class, not a Cell, a function or a marked
    callable) called: its ``__call__`` as a bound method when that is compiled like the
    user's functions (``_plain_method``: a loss functor, an activation object); else
    ``callee``."""
    if isinstance(callee, (type, Cell, types.FunctionType, types.MethodType,
                           types.BuiltinFunctionType)) or markers.is_user_primitive(callee) \
            or markers.is_gradient_function(callee) or markers.is_compile_time_api(callee):
        return callee
    method = getattr(type(callee), "__call__", None)
    if not isinstance(method, types.FunctionType) or purity.code_owner(method) != "user":
        return callee  # (autograd_st's own callable objects keep their handling)
    bound = types.MethodType(method, callee)
    return bound if _plain_method(bound) else callee


@dataclass(slots=True)
class _Packed:
    """A ``*s`` argument whose length is known only at run time (``*x.shape``)."""

    value: object


# the calls whose positional arguments are one shape, given as ints or as one sequence:
# ``f(*x.shape)`` is ``f(x.shape)`` for them (MindSpore's Tensor methods ``reshape(*shape)``,
# ``view``, ``permute``, ``transpose``, and ``ops.randn(*size)`` / ``ops.rand`` and mint's)
_METHOD_SHAPES = frozenset(("reshape", "view", "permute", "transpose"))
_FUNCTION_SHAPES = frozenset(("randn", "rand"))


def _shape_varargs(func) -> bool:
    name = func.attr if isinstance(func, gast.Attribute) else \
        func.id if isinstance(func, gast.Name) else None
    return name in _METHOD_SHAPES or name in _FUNCTION_SHAPES


class CallsMixin:
    """Binds calls (see the module docstring)."""

    def e_Call(self, node):
        func = node.func
        if isinstance(func, gast.Name) and 1 <= len(node.args) <= 2 and not node.keywords \
                and isinstance(node.args[0], (gast.GeneratorExp, gast.ListComp)) \
                and not isinstance(node.args[-1], gast.Starred) and self.expr(func) is sum:
            return self.sum_of_comprehension(node)
        args = []
        star = None  # x.reshape(*x.shape[:-1], 2, 2): a *s whose length is a run-time value
        for a in node.args:
            if isinstance(a, gast.Starred):  # f(*args): a sequence known at compile time
                value = self.expr(a.value)
                if isinstance(value, Sym) and not self.is_rt_list(value) \
                        and _shape_varargs(func):
                    star = star or a  # (packed into one shape if the callee takes one)
                    args.append(_Packed(value))
                    continue
                if not isinstance(value, (tuple, list)) or self.is_rt_list(value):
                    raise self._unpacking_error(a)
                args.extend(value)
            else:
                args.append(self.expr(a))
        kwargs = {}
        for k in node.keywords:
            if k.arg is not None:
                kwargs[k.arg] = self.expr(k.value)
                continue
            value = self.expr(k.value)  # f(**kw): a dict whose keys are known now
            if not isinstance(value, dict) or self.is_rt_list(value) \
                    or not all(isinstance(n, str) for n in value):
                raise self.error(k.value, "**-unpacking of a value that is not a dict with "
                                 "string keys known when the code is compiled",
                                 "pass the keyword arguments one by one",
                                 cls=UnsupportedSyntaxError)
            kwargs.update(value)
        if isinstance(func, gast.Attribute):
            base = self.object_of(func.value)
            if star is not None and isinstance(base, Sym):  # x.reshape(*s, n): x.reshape(s
                args = self._shape_of_args(args, node, star,  # + (n,)), x a Tensor
                                           not self.is_rt_list(base)
                                           and func.attr in _METHOD_SHAPES)
                star = None
            if self.is_rt_list(base):  # outs.append(h) on a list built at run time
                return self.rt_method(base, func.attr, args, kwargs, node)
            if isinstance(base, Sym):
                if func.attr == "register_hook":  # (placed at the value's definition)
                    hook = hooks.hook_function(args[0], self.src, self.env) \
                        if hooks.is_placed(node) and len(args) == 1 else None
                    if hook is not None:
                        return P.grad_hook(base, hook, False)
                    raise self.error(node, "Tensor.register_hook can be used here only as a "
                                     "statement `y.register_hook(fn)` on a name y assigned by "
                                     "a simple statement of the same block (or a parameter "
                                     "hooked at the function's top level), fn a function "
                                     "known before y is computed",
                                     "register the hook right after y is computed, or wrap the "
                                     "value: y = ops.InsertGradientOf(fn)(y)")
                fn = bindings.method(func.attr)
                if fn is not None and func.attr.endswith("_") and isinstance(func.value, gast.Name):
                    return self._in_place_method(func.value.id, base, fn, args, kwargs)
                if fn is not None:
                    return fn(base, *args, **kwargs)
                # (a list from outside that run-time code changed is read at run time:
                # what its storing methods are given is stored as _call_opaque stores it)
                owner = self.read_at_run_time.get(base.var.name)
                stores = func.attr in STORING and isinstance(owner, (list, dict, set))
                node_of = self._given_node if stores else self.to_node
                call = gast.Call(func=gast.Attribute(value=self.to_node(base), attr=func.attr,
                                                     ctx=gast.Load()),
                                 args=[node_of(a) for a in args],
                                 keywords=[gast.keyword(arg=k, value=node_of(v))
                                           for k, v in kwargs.items()])
                return self.opaque(call, [base] + list(args) + list(kwargs.values()),
                                   func.attr, callee_name=(dotted(func) if stores else "")
                                   or "." + func.attr, stores=stores, effect=owner is not None,
                                   writes=True)
            if star is not None and isinstance(base, (list, dict, set)):
                raise self._unpacking_error(star)
            if isinstance(base, (list, dict, set)):  # a list the function builds changes now
                out = self.container_method(base, func.attr, args, kwargs, node)
                if out is not NOT_HANDLED:
                    return out
            callee = self.attribute_of(base, func.attr, func)
            path = name_hint(func)
        else:
            callee = self.expr(func)
            path = name_hint(func)
        if star is not None:  # ops.randn(*x.shape): ops.randn(x.shape)
            args = self._shape_of_args(args, node, star, not isinstance(callee, Sym) and
                                       getattr(callee, "__name__", None) in _FUNCTION_SHAPES
                                       and getattr(callee, "__module__", "").startswith(
                                           "autograd_st"))
        if isinstance(callee, Sym):
            raise self.error(
                func, "calling a runtime value is not supported (an object made by a call "
                "that runs at run time, such as your class's constructor, is one)",
                "make the Cell or object once, in __init__ (self.block = Block()), and call "
                "it there (self.block(x))")
        return self.call(callee, args, kwargs, node, path)

    def _unpacking_error(self, node):
        return self.error(node, "*-unpacking of a value whose length is known only when the "
                          "code runs", "unpack a tuple or list of known length (the "
                          "function's *args, a tuple of values), or pass the values one by one")

    def _shape_of_args(self, args, node, star, takes_a_shape: bool) -> list:
        """The positional arguments of a call with a ``*s`` of run-time length: one shape
        (``s + (n,)``, a run-time tuple) for a callee that takes its shape either way
        (``takes_a_shape``), else the unpacking's error."""
        if not takes_a_shape:
            raise self._unpacking_error(star)
        parts: list = []  # run-time shapes, and tuples of the arguments between them
        for a in args:
            if isinstance(a, _Packed):
                parts.append(a.value)
            elif parts and isinstance(parts[-1], tuple):
                parts[-1] += (a,)
            else:
                parts.append((a,))
        shape = parts[0]
        for part in parts[1:]:  # (one tuple of ints, joined when the code runs)
            shape = P.join_shapes(shape, part)
        return [shape]

    def _in_place_method(self, name, base, fn, args, kwargs):
        """``name.add_(y)`` (a Tensor method that writes into its Tensor) on a runtime value
        that no other name or container of this function holds: ``name`` is bound to the
        result (``name + y`` in ``name``'s dtype), so what follows reads the new value and
        the gradient flows through it; a parameter of the function is also written at run
        time (``assign``), as MindSpore's graph mode writes the caller's Tensor.  Held
        elsewhere too (another name, a container, a view numpy would share: a value not
        made by a FRESH_RESULTS primitive or read by another primitive), the method refuses
        as before (the other holders would not see the write)."""
        held = any(any(s.var.name == base.var.name for s in leaves(v))
                   for k, v in self.env.items() if k != name and isinstance(v, (Sym, tuple, list, dict)))
        var = base.var.name
        is_input = any(s.var.name == var for s in leaves(self.arg_values))
        fresh = var in self.fresh_vars and var not in self.unfresh_vars
        if held or self.env.get(name) is not base or var in self.viewed_vars \
                or not (fresh or is_input):  # (a view, or viewed: numpy would share the write)
            return fn(base, *args, **kwargs)
        token = FUNCTIONAL_IN_PLACE.set([])
        try:
            out = fn(base, *args, **kwargs)
            done = FUNCTIONAL_IN_PLACE.get()
        finally:
            FUNCTIONAL_IN_PLACE.reset(token)
        if not done:
            return out
        if is_input:
            P.assign(base, out)
        self.bind(name, out)
        return self.env[name]

    def call(self, callee, args, kwargs, node, path):
        """``callee(*args, **kwargs)`` (``callee`` a compile-time object): its bound value."""
        if callee is print_as_tensors:  # generated code's print, differentiated again
            callee = builtins.print
        elif callee is tensor_module:  # mindspore.tensor(data, dtype): a Tensor
            callee = Tensor
        if callee is super and not args and not kwargs:
            args = self._super_arguments(node)
        if type(callee) is functools.partial:  # (F.partial's too): as what it wraps
            return self.call(callee.func, list(callee.args) + list(args),
                             {**callee.keywords, **kwargs}, node, path)
        bind_call = getattr(type(callee), BIND_CALL, None)
        if bind_call is not None:  # HyperMap, MultitypeFuncGraph, F.depend, C.tail ...
            return bind_call(callee, lambda f, a, k: self.call(f, list(a), dict(k), node, path),
                             list(args), dict(kwargs))
        if self.own_partial(callee, args):
            return functools.partial(*args, **kwargs)
        if callee in (getattr, hasattr, setattr) and len(args) >= 2 \
                and isinstance(args[1], Sym) and not isinstance(args[0], Sym):
            # getattr(self, "fc%d" % i) in a loop: the name is needed now (the loop unrolled)
            self.needs_constant(node, "%s with a name computed when the code runs"
                                % callee.__name__, "loop a constant number of times (for i "
                                "in range(3)) so that the name is known, or keep the layers "
                                "in an nn.CellList and index it")
        if callee is getattr and len(args) == 2 and not kwargs and isinstance(args[1], str) \
                and self.own_list(args[0]):  # getattr(outs, "append")
            return self.rt_attribute(args[0], args[1], node) if self.is_rt_list(args[0]) \
                else self.attribute_of(args[0], args[1], node)
        own = self.own_method(callee, args)
        if own is not None:  # push = outs.append; push(v): as outs.append(v)
            owner, attr, args = own
            owner = self.rt_follow(owner, node)
            if self.is_rt_list(owner):
                return self.rt_method(owner, attr, args, kwargs, node)
            out = self.container_method(owner, attr, args, kwargs, node)
            if out is not NOT_HANDLED:
                return out
            callee = getattr(owner, attr)
        if self.rt_in(list(args) + list(kwargs.values())) is not None:
            return self.rt_call(callee, bindings.lookup(callee), args, kwargs, node)
        out = self.call_on_containers(callee, args, kwargs, node, path)  # closures, len(seq)
        if out is not NOT_HANDLED:
            return out
        if callee in (isinstance, hasattr) and len(args) == 2 and not kwargs \
                and not has_sym(args[1]) and isinstance(args[0], Sym):
            out = self.type_test(callee, args[0], args[1], node)
            if out is not NOT_HANDLED:
                return out
        elif callee is isinstance and len(args) == 2 and not kwargs and not has_sym(args[1]):
            if type(args[0]) in (tuple, list, dict) and id(args[0]) not in self.sources:
                return isinstance(args[0], args[1])  # one this code built, of runtime values
        composite = bindings.lookup(callee)
        if composite is None:  # an object of the user's own class with __call__: its method
            callee = _user_call(callee)
        owner = getattr(callee, "__self__", None)
        site = CallSite(callee, args, kwargs, node, path,
                        has_sym(list(args) + list(kwargs.values())), composite,
                        isinstance(owner, (list, dict, set)) and id(owner) not in self.sources)
        return _HANDLERS[classify(site)](self, site)

    def _backward_hooked(self, callee, args, site, slot, hooks):
        """The Cell's one runtime input passed through its backward hooks (each sees the
        gradient of that input and of the output, kept in ``slot``)."""
        runtime = [i for i, a in enumerate(args) if has_sym(a)]
        if len(runtime) != 1 or not isinstance(args[runtime[0]], Sym) or site.kwargs:
            raise self.error(site.node, "a backward hook on a Cell called with %d runtime "
                             "inputs" % len(runtime),
                             "register it on a Cell called with one Tensor, or use "
                             "ops.HookBackward on the values")
        i = runtime[0]
        value = args[i]
        for _, hook in hooks:
            value = P.backward_hook(value, slot, callee, hook)
        return args[:i] + [value] + args[i + 1:]

    def _recompute_call(self, site):
        """``recompute(block, *args, **kwargs)``: the Cell ``block``, its arguments, and the
        site of ``block(*args, **kwargs)`` (the options checked as MindSpore checks them)."""
        if not site.args or not isinstance(site.args[0], Cell):
            raise self.error(site.node, "recompute(block, *args): block must be a Cell",
                             "pass the Cell first: recompute(self.block, x)")
        kwargs = dict(site.kwargs)
        options = {k: kwargs.pop(k) for k in ("use_reentrant", "output_recompute",
                                              "early_stop", "context_fn") if k in kwargs}
        if has_sym(list(options.values())):
            raise self.error(site.node, "recompute's options must be constants",
                             "pass use_reentrant=True/False and the others as constants")
        try:  # the checks of the eager form, on no inputs (a Cell's call is not run)
            recompute_block(_NoCall(), **options)
        except (TypeError, ValueError) as exc:
            raise self.error(site.node, str(exc), "see mindspore.recompute's keywords") from None
        block, args = site.args[0], list(site.args[1:])
        return block, args, CallSite(block, args, kwargs, site.node, site.path,
                                     site.runtime_args)

    def _super_arguments(self, node):
        """What Python passes a zero-argument ``super()``: the class whose body defines the
        method (its ``__class__`` cell) and the method's first argument."""
        func = self.src.func
        code = func.__code__
        if "__class__" not in self.src.closure or not code.co_argcount:
            raise self.error(node, "super() without arguments works only in a method",
                             "call super(Class, self) with the class and the instance")
        first = gast.Name(id=code.co_varnames[0], ctx=gast.Load(), annotation=None,
                          type_comment=None)
        gast.copy_location(first, node)
        return [self.src.closure["__class__"], self.expr(first)]

    # -- one handler per CalleeKind ------------------------------------------------------
    def _call_bound(self, site):
        # on constants a composite (not a primitive instance) first runs as plain Python:
        # np.zeros(3) is a constant array
        callee, args, kwargs = site.callee, site.args, site.kwargs
        # range(n) handed to a library function (ops.tuple_to_array(range(h))): a Python
        # range when its bounds are constants, else the runtime array np.arange gives
        if any(isinstance(a, Range) for a in args):
            args = [(range(*a.args) if trip_count(a) is not None else P.arange_auto(*a.args))
                    if isinstance(a, Range) else a for a in args]
        # (not a user's function with a rule of its own, nor a call writing into out=)
        if not site.runtime_args and not markers.is_primitive_instance(site.composite) \
                and purity.code_owner(callee) != "user" and "out" not in kwargs:
            try:
                return self.static(callee(*args, **kwargs), site.path)
            except Exception:  # noqa: BLE001 - fall back to binding
                pass
        if "out" in kwargs and isinstance(callee, np.ufunc):
            raise self.error(site.node, "%s(..., out=...) writes its result into an array "
                             "in place, which differentiated code does not do"
                             % (site.path or callee).replace("_", ".", 1),
                             "assign the result instead: c = %s(a, b)"
                             % (site.path or callee).replace("_", ".", 1),
                             cls=UnsupportedSyntaxError)
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
        at_run_time = markers.run_time_form(site.callee) if site.runtime_args else None
        if at_run_time is not None:  # ops.zeros((x.shape[0], 4)): made when the code runs
            try:
                return at_run_time(*site.args, **site.kwargs)
            except (TypeError, ValueError) as exc:
                raise self.error(site.node, "bad call to %s: %s"
                                 % (site.path or site.callee, exc)) from None
        if site.runtime_args:
            raise self.error(site.node, "%s needs constant arguments here"
                             % (site.path or site.callee),
                             "pass it compile-time values (a function, a Cell, numbers)")
        return self._evaluate(site)

    def _call_compiled(self, site):
        callee, args = site.callee, list(site.args)
        recompute = callee is recompute_block  # mindspore.recompute(block, *args)
        if recompute:
            callee, args, site = self._recompute_call(site)
        pre = post = ()
        if isinstance(callee, Cell):  # its forward hooks, read (and guarded) as attributes
            pre = self.attribute_of(callee, "_forward_pre_hooks", site.node)
            post = self.attribute_of(callee, "_forward_hooks", site.node)
        for _, hook in pre:  # hook(cell, inputs): new inputs, or None
            new = self.call(hook, [callee, tuple(args)], {}, site.node, "forward_pre_hook")
            if new is not None:
                args = list(new) if isinstance(new, tuple) else [new]
        backward, before = ((self.attribute_of(callee, "_backward_hooks", site.node),
                             self.attribute_of(callee, "_backward_pre_hooks", site.node))
                            if isinstance(callee, Cell) else ((), ()))
        if backward:
            slot = GradSlot()
            args = self._backward_hooked(callee, args, site, slot, backward)
        out = self.callees.bind_call(self, callee, [freeze(a) for a in args],
                                     {k: freeze(v) for k, v in site.kwargs.items()},
                                     site.node, site.path, recompute)
        for _, hook in post:  # hook(cell, inputs, output): a new output, or None
            new = self.call(hook, [callee, tuple(args), out], {}, site.node, "forward_hook")
            if new is not None:
                out = new
        # the backward hooks see the gradient of the output the forward hooks left, as in
        # MindSpore (measured: a forward hook doubling it doubles grad_input, not grad_output)
        if (backward or before) and not isinstance(out, Sym):
            raise self.error(site.node, "a backward hook on a Cell returning %s"
                             % type(out).__name__, "register it on a Cell with one Tensor output")
        if backward:
            out = P.grad_capture(out, slot)
        for _, hook in reversed(before):  # (the first registered runs first)
            out = P.backward_pre_hook(out, callee, hook)
        inner = callee.__dict__.get("_mp_dtype") if isinstance(callee, Cell) else None
        if self.mp_dtype is not None and inner is not None and inner != self.mp_dtype:
            # to_float: a sub-Cell of another float dtype (BatchNorm kept float32 in a float16
            # network) gives its float outputs back in this Cell's dtype, as MindSpore does
            out = rebuild(out, [P.mp_cast(v, self.mp_dtype) for v in leaves(out)])
        return out

    def _call_attribute(self, site):
        # getattr(obj, "name"[, default]) / hasattr(obj, "name") / type(obj): an attribute
        # read (type(obj) is obj.__class__)
        obj, attr = site.args[0], site.args[1] if site.callee is not type else "__class__"
        found = hasattr(obj, attr)
        source = self.sources.get(id(obj))
        if source is not None and (site.callee is hasattr or not found):
            self._guard(source, "has", (attr, found), obj, True)
        if site.callee is hasattr:
            return found
        if not found:
            if len(site.args) > 2 and site.callee is getattr:
                return site.args[2]
            raise self.error(site.node, "%r object has no attribute %r"
                             % (type(obj).__name__, attr))
        return self.static(self.attribute_of(obj, attr, site.node), site.path)

    def _call_pure(self, site):
        owner = purity.reads_contents(site.callee)
        if owner is not None:  # d.get(k), xs.index(v): the items are what it reads
            self.use(owner)
        return self._evaluate(site)

    def _call_local(self, site):
        # list.append on a list this function built: done now, on the compile-time list,
        # as long as no generated code refers to it yet
        self.check_unused(site.callee.__self__, site.node)
        return self._evaluate(site)

    def _call_tensor(self, site):
        return site.args[0] if site.args else None

    def _call_opaque(self, site):
        # something the compiler has no rule for, or a call with effects: run it as it is, at
        # run time, on every call, with no gradient
        callee, args, kwargs = site.callee, list(site.args), dict(site.kwargs)
        writes = not purity.writes_nothing(callee)
        if writes:  # a list this compile built, given to code that may change it: made anew
            args = [self.materialize(a, "arg") if self.built_here(a) else a for a in args]
            kwargs = {k: self.materialize(v, k) if self.built_here(v) else v
                      for k, v in kwargs.items()}
        owner = getattr(callee, "__self__", None)
        if owner is not None and self.built_here(owner) and writes:
            owner = self.materialize(owner, "value")
            func = gast.Attribute(value=self.to_node(owner), attr=callee.__name__,
                                  ctx=gast.Load())
            values = [owner] + list(args) + list(kwargs.values())
        else:
            func = gast.Name(id=self._callee_name(callee, site.path), ctx=gast.Load(),
                             annotation=None, type_comment=None)
            values = list(args) + list(kwargs.values())
            if owner is not None:
                self.guard_identity(owner)
        # a value stored in a list, dict or set from outside (CALLS.append((tag, i))) is
        # stored as the direct call stores it: an array as a Tensor
        stores = owner is not None and not self.built_here(owner) \
            and purity.is_mutator(callee) is owner and callee.__name__ in STORING
        node_of = self._given_node if stores else self.to_node
        call = gast.Call(func=func, args=[node_of(a) for a in args],
                         keywords=[gast.keyword(arg=k, value=node_of(v))
                                   for k, v in kwargs.items()])
        effect = callee is not given and not purity.is_pure(callee, args, kwargs)
        out = self.opaque(call, values, getattr(callee, "__name__", "call"),
                          callee_name=dotted(site.node.func) or site.path
                          or getattr(callee, "__name__", "call"), stores=stores,
                          effect=effect, writes=effect and purity.writes_values(callee))
        if writes:
            self.changed_at_run_time([owner] + list(args) + list(kwargs.values()))
        return out

    def _given_node(self, value):
        """``value`` as a gast expression whose runtime leaves go through :func:`given`."""
        if isinstance(value, Sym):
            return gast.Call(func=gast.Name(id=self.const_name(given, "given"), ctx=gast.Load(),
                                            annotation=None, type_comment=None),
                             args=[self.to_node(value)], keywords=[])
        if type(value) is tuple and has_sym(value):
            return gast.Tuple(elts=[self._given_node(v) for v in value], ctx=gast.Load())
        return self.to_node(value)

    def _evaluate(self, site):
        """The call run now, on constants; its result a bound value."""
        try:
            value = site.callee(*site.args, **site.kwargs)
            if isinstance(value, types.GeneratorType):  # (Cell.get_parameters())
                value = list(value)
            return self.static(value, site.path)
        except Exception as exc:  # noqa: BLE001 - reported at the user's line
            raise self.error(site.node, "evaluating %s at compile time failed: %s"
                             % (site.path, exc)) from None

    def _callee_name(self, callee, hint=None):
        """The name an Opaque call calls ``callee`` by in generated code."""
        if callee in _OPAQUE_BUILTINS and getattr(builtins, callee.__name__, None) is callee:
            return callee.__name__
        if callee is np:
            return "np"
        return self.const_name(callee, hint or getattr(callee, "__name__", "fn"))


_HANDLERS = {
    CalleeKind.BOUND: CallsMixin._call_bound,
    CalleeKind.RANGE: CallsMixin._call_range,
    CalleeKind.REVERSED_RANGE: CallsMixin._call_reversed_range,
    CalleeKind.SEQUENCE: CallsMixin._call_sequence,
    CalleeKind.COMPILE_TIME_API: CallsMixin._call_compile_time_api,
    CalleeKind.COMPILED: CallsMixin._call_compiled,
    CalleeKind.ATTRIBUTE: CallsMixin._call_attribute,
    CalleeKind.PURE: CallsMixin._call_pure,
    CalleeKind.LOCAL: CallsMixin._call_local,
    CalleeKind.TENSOR: CallsMixin._call_tensor,
    CalleeKind.OPAQUE: CallsMixin._call_opaque,
}
