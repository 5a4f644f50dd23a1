"""The front end: a function (or a Cell's ``construct``) to its cached IR.

Takes: a Python function, the object it is bound to (a Cell, or None) and, per positional
parameter, RUNTIME or the constant it is called with.
Gives: a :class:`~autograd_st.compiler.ir.FuncIR` (``normalize_function``), after parse ->
fence -> desugar -> hooks -> normalize, cached per code object, owner structure and argument kinds,
and re-made when a value it folded in has changed (its guards, read again from the Cell and
the arguments of the call at hand).  Calls in the user's code to
sub-Cells, helper functions and gradient functions are bound here (:class:`CallBinder`):
each becomes a ``Call`` statement to its callee's own FuncIR.

Also the name resolution both sides of the compiler need: ``resolve_input`` finds an
input's object again from its path, ``function_of`` the code behind a callee, and
``generated_source`` the generated code of a gradient function (what a higher-order
derivative differentiates again).
"""
from __future__ import annotations

import copy
import dataclasses
import inspect
import threading
import types
from collections import OrderedDict

import numpy as np

from .. import rules
from ..cell import Cell, is_recomputed
from ..errors import CallArgumentError, RecursionNotSupportedError
from ..prims import Sym, has_sym
from ..tensor import Tensor
from .bprop import check_bprop, has_bprop
from .cache import LOCK, argspec_signature, guards_hold, paused_gc, structure_signature, trim
from .codegen import to_source
from .desugar import desugar, in_place_needed, rebind_in_place
from .desugar import needed as desugar_needed
from .fence import fence
from .hooks import needed as hooks_needed
from .hooks import place_hooks
from .ir import RUNTIME, Call, FuncIR, Input, leaves, rebuild, resolve_input, runtime_tuples
from .markers import is_gradient_function, is_user_primitive, takes_sens
from .normalize import WEAK_SCALARS, normalize, sym
from .normalize_values import bind_arguments, tuple_like
from .parse import parse_function
from .stages import ir_source, record

__all__ = ["normalize_function", "resolve_input", "function_of", "generated_source",
           "clear_caches", "CallBinder"]

_IR_CACHE: "OrderedDict" = OrderedDict()
_IR_CACHE_SIZE = 512
# per code object / parsed node, bounded (oldest first out)
_CACHE_SIZE = 2048
_FENCED_CODES: dict = {}
_DESUGARED: dict = {}
_active = threading.local()  # the functions being normalized on this thread (recursion)


def clear_caches() -> None:
    with LOCK:
        _IR_CACHE.clear()


@paused_gc
def normalize_function(fn, self_obj, argspec, source=None, weak_scalars=None) -> FuncIR:
    """The FuncIR of ``fn`` bound to ``self_obj`` with ``argspec`` (RUNTIME or constants);
    ``source``: the parsed source when it is not ``fn``'s own (generated code);
    ``weak_scalars``: MindSpore's rule for numpy scalars in arithmetic (normalize.WEAK_SCALARS;
    None: the caller's, for the callees a compile binds)."""
    if weak_scalars is None:
        weak_scalars = WEAK_SCALARS.get()
    if self_obj is not None:
        owner = ("cell", structure_signature(self_obj))
    else:
        owner = ("fn", id(fn))
    key = (fn.__code__, owner, argspec_signature(argspec), rules.version(), weak_scalars)
    with LOCK:
        fir = _IR_CACHE.get(key)
        if fir is not None:
            if (self_obj is None and fir.src.func is not fn) \
                    or (fir.instance_specific and fir.src.self_obj is not self_obj) \
                    or not guards_hold(fir.guards, self_obj, argspec):
                fir = None
            else:
                _IR_CACHE.move_to_end(key)
    if fir is not None:
        return fir
    src = source if source is not None else parse_function(
        types.MethodType(fn, self_obj) if self_obj is not None else fn)
    record("parse", lambda: to_source(src.node))
    if fn.__code__ not in _FENCED_CODES:
        fence(src)
        _FENCED_CODES[fn.__code__] = True
        trim(_FENCED_CODES, _CACHE_SIZE)
    src = _desugared(src)
    token = WEAK_SCALARS.set(weak_scalars)
    try:
        fir = normalize(src, argspec, BINDER)
    finally:
        WEAK_SCALARS.reset(token)
    record("normalize", lambda: ir_source(fir))
    with LOCK:
        _IR_CACHE[key] = fir
        while len(_IR_CACHE) > _IR_CACHE_SIZE:
            _IR_CACHE.popitem(last=False)
    return fir


def _desugared(src):
    """``src`` with early returns, break and continue lowered and tensor hooks placed at
    their values' definitions (cached per parsed node)."""
    node = _DESUGARED.get(id(src.node))
    if node is None or node[0] is not src.node:
        # desugar rewrites in place, so it gets a copy of the cached parse; a function with
        # nothing to desugar is read as parsed (no later pass writes the user's tree), which
        # spares a deepcopy of the whole tree
        node = src.node
        if desugar_needed(node) or hooks_needed(node) or in_place_needed(node):
            node = place_hooks(desugar(rebind_in_place(copy.deepcopy(node))))
        node = (src.node, node)
        _DESUGARED[id(src.node)] = node
        trim(_DESUGARED, _CACHE_SIZE)
    return dataclasses.replace(src, node=node[1])


# ---------------------------------------------------------------------------------------
# calls to other compiled code
# ---------------------------------------------------------------------------------------

class CallBinder:
    """What the normalizer asks when user code calls a sub-Cell, a helper function or a
    gradient function: the callee is normalized for these arguments and the call becomes a
    ``Call`` statement whose results are new Syms."""

    def bind_call(self, nz, callee, args, kwargs, node, path, recompute=False):
        source = None
        plan = _alias_plan(callee, args) if is_gradient_function(callee) and not kwargs \
            else None
        if plan is not None:  # one runtime value passed as several arguments: summed
            inner, combine = plan
            return combine(self.bind_call(nz, inner, args, kwargs, node, path, recompute))
        if is_gradient_function(callee):
            if getattr(callee, "_tail", False):  # keyword-only parameters, **kwargs: the
                # call bound as the gradient function binds it (their values at the end)
                args, kwargs = list(callee._positional(tuple(args), kwargs)), {}
            fn, source = generated_source(callee, [_spec_of(a) for a in args])
            self_obj = None
            # its generated code takes each runtime leaf of its arguments as a parameter of
            # its own (a sens whole)
            n = len(args) - (1 if takes_sens(callee) and args else 0)
            # (a Python float is a runtime leaf to a gradient function, a keyword-only
            # parameter's value too: a parameter of its generated code)
            args = [leaf for a in args[:n]
                    for leaf in ([a] if type(a) is float else leaves(a))] + list(args[n:])
        else:
            fn, self_obj = function_of(callee)
        params = list(inspect.signature(fn).parameters)
        if self_obj is not None:
            params = params[1:]
        if source is not None:
            params = [p for p in params if p not in source.bound_args]
        args = _bind(nz, node, fn, params, args, kwargs, 0 if self_obj is None else 1)
        argspec = [_spec_of(a) for a in args]
        stack = _stack()
        # a call of a function being compiled is compiled on its own where its compile-time
        # arguments differ (recursion over a Python int depth ends when the code is
        # compiled); with the same ones (a depth known only at run time), or too deep, it is
        # refused.  The function itself, by identity, is in the key: code objects compare
        # by value, and the generated pairs of a recursion's depths 1 and 3 (5, ...) are one
        # text loaded twice (each reading its own callee from its own globals), so the
        # pair of depth 1 is not the pair of depth 3 calling itself (a gradient taken
        # inside such a recursion differentiates them).  The depth counts by code, so
        # functions made anew on each call cannot recurse without end either.
        key = (fn.__code__, id(self_obj), argspec_signature(argspec), id(fn))
        if key in stack or sum(k[:2] == key[:2] for k in stack) >= MAX_RECURSION:
            raise RecursionNotSupportedError(
                "%s calls itself (recursion) %s, which cannot be differentiated"
                % (fn.__qualname__, "with the same compile-time arguments" if key in stack
                   else "more than %d levels deep" % MAX_RECURSION),
                nz.src.filename, getattr(node, "lineno", None), getattr(node, "col_offset", 0),
                hint="rewrite the recursion as a loop, or give it its depth as a Python int "
                "argument that reaches the base case (each depth is then compiled on its own)")
        stack.append(key)
        try:
            fir = normalize_function(fn, self_obj, argspec, source)
        finally:
            stack.pop()
        nz.adopt_guards(fir, self_obj, args)
        nz.escaped.update(id(a) for a in args if isinstance(a, (list, dict, set)))
        extra = self._callee_inputs(nz, fir, fn, self_obj, path)
        base = "_" + (path.split("_")[-1] if path else fn.__name__).lstrip("_")
        targets = []  # one per output leaf, in order (a value returned twice is two leaves)
        for _ in leaves(fir.result):
            t = nz.names.fresh(base)
            nz.ir_vars.add(t)
            targets.append(t)
        res = nz.names.fresh(base + "_res")
        nz.ir_vars.add(res)
        runtime_args = [s.var for s in leaves(list(args))]
        bprop_cell = self_obj if has_bprop(self_obj) else None
        if bprop_cell is not None:
            check_bprop(self_obj, len(params))
        # Cell.recompute(): a call of the Cell itself (its own helper methods are part of
        # its forward, recomputed with it)
        nz.emit(Call(targets, fir, runtime_args, res, nz.loc, extra, bprop_cell,
                     recompute or (isinstance(callee, Cell) and is_recomputed(callee))))
        result = rebuild(fir.result, [sym(t) for t in targets])
        made = runtime_tuples(fir)
        for leaf, t in zip(leaves(fir.result), targets):
            if leaf.var.name in made:  # the callee returns ops.split(x, 3)'s parts
                nz.rt_lists.add(t)
                nz.rt_origin[t] = t
        nz.returned(result)
        return result

    @staticmethod
    def _callee_inputs(nz, fir, fn, self_obj, path) -> list:
        """The caller's variables for the callee's inputs: each is found again on this
        instance and becomes an input of the caller (named after its attribute path)."""
        callee_path = nz.paths.get(id(self_obj)) if self_obj is not None else None
        prefix = _joined(callee_path) if callee_path else (path or "")
        extra = []
        for inp in fir.inputs:
            obj = resolve_input(inp, self_obj, fn)
            if inp.path and inp.path[0] == "self" and callee_path is not None:
                nz._remember(obj, callee_path + inp.path[1:])
            elif inp.path and inp.path[0] == "free" and _found_from(nz.src.func, inp, obj):
                nz._remember(obj, inp.path)  # (a callee's own closure variable: no path)
            if inp.path and inp.path[0] == "self":
                hint = _joined((prefix,) + inp.path[1:]) if prefix else inp.name
            else:
                hint = inp.name
            extra.append(nz.input_for(obj, hint).var.name)
        return extra


BINDER = CallBinder()


def _found_from(fn, inp: Input, obj) -> bool:
    """Whether ``inp``'s free path (a name in the callee's closure or module) names ``obj``
    from ``fn`` too: a helper's closure variable, or a global of another module, is not the
    caller's to find again by that name (and a global of the same name may be another
    object)."""
    try:
        return resolve_input(inp, None, fn) is obj
    except (KeyError, IndexError, AttributeError, TypeError):
        return False


def _joined(path) -> str:
    """``self_layers_0_weight`` for the path ``('self', 'layers', 0, 'weight')`` (a path
    has an int where it goes through a sequence's item)."""
    return "_".join(str(p) for p in path)


def _bind(nz, node, fn, params, args, kwargs, offset) -> list:
    """The positional arguments of a call ``fn(*args, **kwargs)``, bound as Python binds
    them (keywords in any order, defaults filling the gaps; the parameters after the last
    one given are left to ``normalize``, which reads their defaults); a call Python refuses
    raises Python's TypeError, as a :class:`CallArgumentError` at the calling line."""
    signature = inspect.signature(fn).parameters
    kinds = [p.kind for p in signature.values()]
    if any(k not in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
           for k in kinds):
        return bind_extended(nz, node, fn, offset, args, kwargs)
    defaults = [signature[p].default for p in params]
    n_required = next((i for i, d in enumerate(defaults) if d is not inspect.Parameter.empty),
                      len(params))
    positional_only = sum(1 for p in params
                          if signature[p].kind is inspect.Parameter.POSITIONAL_ONLY)
    try:
        bound = bind_arguments(fn.__qualname__, params, defaults[n_required:], args, kwargs,
                               positional_only, offset)
    except TypeError as exc:
        shown = [str(signature[p]) for p in params]
        raise nz.error(node, str(exc), "call it with its parameters: %s(%s)"
                       % (fn.__name__, ", ".join(shown)), cls=CallArgumentError) from None
    given = [i for i, p in enumerate(params) if i < len(args) or p in kwargs]
    return [bound[p] for p in params[:given[-1] + 1]] if given else []


def bind_extended(nz, node, fn, offset, args, kwargs) -> list:
    """The arguments of a call to a function with ``*args``, keyword-only parameters or
    ``**kwargs``, as ``normalize`` takes them (normalize.split_extended): every named
    positional parameter (defaults filled), the extra positional arguments, then each
    keyword-only parameter's value and the ``**kwargs`` dict."""
    signature = inspect.signature(fn)
    try:
        bound = signature.bind(*([None] * offset), *args, **kwargs)
    except TypeError as exc:
        shown = [str(p) for p in list(signature.parameters.values())[offset:]]
        raise nz.error(node, str(exc), "call it with its parameters: %s(%s)"
                       % (fn.__name__, ", ".join(shown)), cls=CallArgumentError) from None
    bound.apply_defaults()
    out = []
    for p in list(signature.parameters.values())[offset:]:
        value = bound.arguments[p.name]
        if p.kind == p.VAR_POSITIONAL:
            out.extend(value)
        elif p.kind == p.VAR_KEYWORD:
            out.append(dict(value))
        else:
            out.append(value)
    return out


MAX_RECURSION = 64  # levels of one function compiled inside itself (a Python int depth)


def _stack():
    s = getattr(_active, "s", None)
    if s is None:
        s = _active.s = []
    return s


def _spec_of(value):
    if isinstance(value, Sym):
        return RUNTIME
    if isinstance(value, tuple) and has_sym(value):
        return tuple_like(value, [_spec_of(v) for v in value])
    if type(value) is dict and has_sym(value):
        return {k: _spec_of(v) for k, v in value.items()}
    return value


# ---------------------------------------------------------------------------------------
# name resolution
# ---------------------------------------------------------------------------------------

def function_of(callee):
    """``(function, self)`` of a Cell, a user's primitive, a bound method or a plain
    function.  A Cell whose ``construct`` was replaced on the instance
    (``net.construct = fn``) runs that one, as its ``__call__`` does and as MindSpore
    differentiates it (measured); the change is seen through the Cell's structure
    signature (each attribute of its ``__dict__``, a function by identity)."""
    if isinstance(callee, Cell):
        own = callee.__dict__.get("construct")
        if own is not None:
            return function_of(own)
        return type(callee).construct, callee
    if is_user_primitive(callee):  # a primitive of the user's own: its Python __call__
        return type(callee).__call__, callee
    if isinstance(callee, types.MethodType):
        return callee.__func__, callee.__self__
    return callee, None


def _alias_plan(gfn, args):
    """A gradient function's plan (``gfn._alias_plan``: the boundary's, so that compiled
    code and a direct call sum alike) for a call inside differentiated code passing one
    runtime value as several arguments, asked with a stand-in Tensor per runtime value (the
    same one for the same value): None, or ``(inner gradient function, combine)``, combine
    adding the Syms of the inner call's result."""
    plan_of = getattr(gfn, "_alias_plan", None)
    syms = [a.var.name for a in args if isinstance(a, Sym)]
    if plan_of is None or len(set(syms)) == len(syms):
        return None
    stand_ins: dict = {}
    return plan_of([stand_ins.setdefault(a.var.name, Tensor(np.zeros(())))
                    if isinstance(a, Sym) else a for a in args])


def generated_source(gfn, argspec):
    """(function, Source) of a gradient function's generated code, its extra parameters
    bound to the Parameters they stand for, and the guards of its compile (a module-level
    number it folded in: code compiled from it is re-made when that changes): what a
    higher-order derivative compiles.
    ``gfn._autograd_st_generated(argspec)`` is how a gradient function shows its code."""
    fn, names, objects, guards = gfn._autograd_st_generated(argspec, guards=True)
    src = parse_function(fn)
    src = dataclasses.replace(src, bound_args=dict(zip(names, objects)), guards=tuple(guards))
    return fn, src
