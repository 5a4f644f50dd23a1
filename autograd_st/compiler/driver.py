"""The compiler driver: parse -> fence -> normalize -> analyze -> reverse -> codegen -> load.

``normalize_function`` turns a function (or a Cell's construct) into a cached
:class:`~autograd_st.compiler.normalize.FuncIR`; ``build_pair`` compiles one into a
forward/backward pair for a given set of differentiated inputs (used for every call to a
sub-Cell or helper); ``build_gradient`` compiles the top-level gradient function the API calls.

Caches are keyed by what changes the code: the function's code object, the structure of
``self`` (which attributes are Parameters, sub-Cells, primitives, constants), the kinds of
constant arguments, and which inputs are differentiated.  Never shapes.

A compile runs with Python's cyclic garbage collector paused (``gc_paused``): see there.
"""
from __future__ import annotations

import builtins
import contextlib
import copy
import dataclasses
import functools
import gc
import inspect
import threading
import types
import weakref
from collections import OrderedDict

import gast
import numpy as np

from .. import rules
from ..cell import Cell
from ..errors import CompileError, RecursionNotSupportedError
from ..prims import Sym, has_sym
from ..tensor import Parameter, Tensor, unwrap, wrap
from . import codegen
from .analyze import activity
from .codegen import ForwardEmitter, assign, expr_of, function_def, name, to_source
from .desugar import desugar
from .desugar import needed as desugar_needed
from .fence import fence
from .forward import Forward
from .ir import ABSENT, RUNTIME, Call, Const, FuncIR, Input, Var, leaves, walk
from .load import load, validate
from .lower import lower
from .names import NameAllocator
from .normalize import normalize, sym
from .parse import parse_function
from .reverse import Reverse

__all__ = ["normalize_function", "build_pair", "build_gradient", "structure_signature",
           "Compiled", "clear_caches"]

_LOCK = threading.RLock()
_IR_CACHE: "OrderedDict" = OrderedDict()
_IR_CACHE_SIZE = 512
_FENCED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_active_stack = threading.local()


def clear_caches() -> None:
    with _LOCK:
        _IR_CACHE.clear()


# ---------------------------------------------------------------------------------------
# the cyclic garbage collector during a compile
# ---------------------------------------------------------------------------------------

# A compile allocates a few hundred container objects per source line (AST nodes, IR,
# generated code) and keeps most of them alive until it ends, so the collector's
# generational heuristics keep firing on objects that are not garbage: every full
# collection walks the whole heap, and the heap grows with the function, which made the
# cost per line grow with the number of lines (820 us/line at 1000 lines, 553 at 100).
# Reference counting frees a compile's temporaries either way (the passes make no reference
# cycles that hold code: see _PairCtx and codegen._string_literal), so the collector is
# paused while any thread compiles and resumes, if it was on, when the last compile ends;
# it then sees the survivors once.
_GC_LOCK = threading.Lock()
_GC_STATE = {"depth": 0, "was_enabled": False}  # compiles running (all threads)


@contextlib.contextmanager
def gc_paused():
    """Run the body with the cyclic garbage collector off (re-entrant, thread-safe)."""
    with _GC_LOCK:
        if _GC_STATE["depth"] == 0:
            _GC_STATE["was_enabled"] = gc.isenabled()
            gc.disable()
        _GC_STATE["depth"] += 1
    try:
        yield
    finally:
        with _GC_LOCK:
            _GC_STATE["depth"] -= 1
            if _GC_STATE["depth"] == 0 and _GC_STATE["was_enabled"]:
                gc.enable()


def _gc_paused(fn):
    """``fn`` run under :func:`gc_paused` (the driver's entry points)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with gc_paused():
            return fn(*args, **kwargs)
    return wrapper


# ---------------------------------------------------------------------------------------
# cache keys
# ---------------------------------------------------------------------------------------

def _const_sig(value, depth=0):
    if isinstance(value, (int, float, bool, str, bytes, type(None))):
        return (type(value).__name__, value)
    if isinstance(value, tuple) and depth < 4:
        return ("tuple",) + tuple(_const_sig(v, depth + 1) for v in value)
    if value is RUNTIME:
        return "R"
    if isinstance(value, Parameter):
        return ("P", value.requires_grad)
    if isinstance(value, (Tensor, np.ndarray)):
        return ("T",)
    if isinstance(value, Cell):
        return structure_signature(value, depth + 1)
    if getattr(value, "_autograd_st_primitive", False):
        return ("prim", type(value), tuple(sorted((k, _const_sig(v, depth + 1))
                                                  for k, v in vars(value).items())))
    return ("id", id(value))


def structure_signature(cell, depth=0):
    """What about a Cell changes the code compiled for it (not Parameter values)."""
    if depth > 32:
        return ("deep", id(cell))
    items = []
    for k, v in sorted(vars(cell).items()):
        if k in ("_params", "_cells", "_bprop_cache"):
            continue
        items.append((k, _const_sig(v, depth + 1)))
    return (type(cell), tuple(items))


def _argspec_sig(argspec):
    return tuple(_const_sig(a) for a in argspec)


def _guards_hold(guards) -> bool:
    for ns, key, obj in guards:
        if ns.get(key, ABSENT) is not obj:
            return False
    return True


_MISSING = object()


# ---------------------------------------------------------------------------------------
# normalize (cached per definition)
# ---------------------------------------------------------------------------------------

class _Compiler:
    """The object the normalizer calls back for calls to other compiled code."""

    def bind_call(self, nz, callee, args, kwargs, node, path):
        source = None
        if getattr(callee, "_autograd_st_grad_function", False):
            fn, source = generated_source(callee, [_spec_of(a) for a in args])
            self_obj = None
        else:
            fn, self_obj = _function_of(callee)
        params = list(inspect.signature(fn).parameters)
        if self_obj is not None:
            params = params[1:]
        if source is not None:
            params = [p for p in params if p not in source.bound_args]
        if kwargs:
            args = list(args)
            for k, v in kwargs.items():
                if k not in params:
                    raise nz.error(node, "%s() got an unexpected keyword argument %r" % (path, k))
                i = params.index(k)
                while len(args) < i:
                    default = inspect.signature(fn).parameters[params[len(args)]].default
                    if default is inspect.Parameter.empty:
                        raise nz.error(node, "missing argument %r" % params[len(args)])
                    args.append(default)
                if i < len(args):
                    args[i] = v
                else:
                    args.append(v)
        argspec = [_spec_of(a) for a in args]
        stack = _stack()
        key = (fn.__code__, id(self_obj))
        if key in stack:
            raise RecursionNotSupportedError(
                "%s calls itself (recursion), which cannot be differentiated"
                % fn.__qualname__, nz.src.filename, getattr(node, "lineno", None),
                getattr(node, "col_offset", 0), hint="rewrite the recursion as a loop")
        stack.append(key)
        try:
            fir = normalize_function(fn, self_obj, argspec, source)
        finally:
            stack.pop()
        nz.guards.extend(fir.guards)
        # the callee's inputs, found again on this instance, become the caller's inputs
        callee_path = nz.paths.get(id(self_obj)) if self_obj is not None else None
        prefix = "_".join(callee_path) if callee_path else (path or "")
        extra = []
        for inp in fir.inputs:
            obj = _resolve(inp, self_obj, fn)
            if inp.path and inp.path[0] == "self" and callee_path is not None:
                nz._remember(obj, callee_path + inp.path[1:])
            elif inp.path and inp.path[0] == "free":
                nz._remember(obj, inp.path)
            if inp.path and inp.path[0] == "self":
                hint = "_".join((prefix,) + inp.path[1:]) if prefix else inp.name
            else:
                hint = inp.name
            extra.append(nz.input_for(obj, hint).var.name)
        base = "_" + (path.split("_")[-1] if path else fn.__name__).lstrip("_")
        targets = []  # one per output leaf, in order (a value returned twice is two leaves)
        for _ in leaves(fir.result):
            t = nz.names.fresh(base)
            nz.ir_vars.add(t)
            targets.append(t)
        res = nz.names.fresh(base + "_res")
        nz.ir_vars.add(res)
        runtime_args = [s.var for s in leaves(list(args))]
        stmt = Call(targets, fir, runtime_args, res, nz.loc, extra,
                    self_obj if _has_bprop(self_obj) else None)
        if stmt.bprop_cell is not None:
            check_bprop(self_obj, len(params), node, nz)
        nz.emit(stmt)

        return _rebuild_structure(fir.result, [sym(t) for t in targets])


COMPILER = _Compiler()


def _stack():
    s = getattr(_active_stack, "s", None)
    if s is None:
        s = _active_stack.s = []
    return s


def _spec_of(value):
    if isinstance(value, Sym):
        return RUNTIME
    if isinstance(value, tuple) and has_sym(value):
        return tuple(_spec_of(v) for v in value)
    return value


def _function_of(callee):
    if isinstance(callee, Cell):
        return type(callee).construct, callee
    if isinstance(callee, types.MethodType):
        return callee.__func__, callee.__self__
    return callee, None


def _resolve(inp: Input, self_obj, fn):
    path = inp.path
    if not path:
        return inp.obj
    if path[0] == "self":
        obj = self_obj
    else:
        closure = {}
        if fn.__closure__:
            for n, cell in zip(fn.__code__.co_freevars, fn.__closure__):
                try:
                    closure[n] = cell.cell_contents
                except ValueError:
                    pass
        obj = closure[path[1]] if path[1] in closure else fn.__globals__[path[1]]
        path = path[1:]
    for attr in path[1:]:
        obj = obj[attr] if isinstance(attr, int) else getattr(obj, attr)
    return obj


@_gc_paused
def normalize_function(fn, self_obj, argspec, source=None) -> FuncIR:
    """The FuncIR of ``fn`` bound to ``self_obj`` with ``argspec`` (RUNTIME or constants)."""
    if self_obj is not None:
        owner = ("cell", structure_signature(self_obj))
    else:
        owner = ("fn", id(fn))
    key = (fn.__code__, owner, _argspec_sig(argspec), rules.version())
    with _LOCK:
        fir = _IR_CACHE.get(key)
        if fir is not None:
            if (self_obj is None and fir.src.func is not fn) or not _guards_hold(fir.guards) \
                    or (fir.instance_specific and fir.src.self_obj is not self_obj):
                fir = None
            else:
                _IR_CACHE.move_to_end(key)
    if fir is not None:
        return fir
    src = source if source is not None else parse_function(
        types.MethodType(fn, self_obj) if self_obj is not None else fn)
    if fn.__code__ not in _FENCED_CODES:
        fence(src)
        _FENCED_CODES[fn.__code__] = True
        _bound(_FENCED_CODES)
    src = _desugared(src)
    fir = normalize(src, argspec, COMPILER)
    with _LOCK:
        _IR_CACHE[key] = fir
        while len(_IR_CACHE) > _IR_CACHE_SIZE:
            _IR_CACHE.popitem(last=False)
    return fir


# per code object / parsed node, bounded (oldest first out: a process that edits and reloads
# functions for ever keeps the last _CACHE_SIZE of them)
_CACHE_SIZE = 2048
_FENCED_CODES: dict = {}
_DESUGARED: dict = {}


def _bound(cache: dict) -> None:
    size = _CACHE_SIZE
    with _LOCK:
        while len(cache) > size:
            try:
                del cache[next(iter(cache))]
            except (KeyError, StopIteration, RuntimeError):  # another thread got there
                break


def _desugared(src):
    """``src`` with early returns, break and continue lowered (cached per parsed node)."""
    node = _DESUGARED.get(id(src.node))
    if node is None or node[0] is not src.node:
        # desugar rewrites in place, so it gets a copy of the cached parse; a function with
        # nothing to desugar is read as parsed (no later pass writes the user's tree), which
        # spares a deepcopy of the whole tree
        node = (src.node, desugar(copy.deepcopy(src.node)) if desugar_needed(src.node)
                else src.node)
        _DESUGARED[id(src.node)] = node
        _bound(_DESUGARED)
    return dataclasses.replace(src, node=node[1])


# ---------------------------------------------------------------------------------------
# building generated functions
# ---------------------------------------------------------------------------------------

def _rule_globals() -> dict:
    """Objects the rule and primitive templates read as globals, by name."""
    return rules.template_globals()


class Namespace:
    """The globals of one generated function: deterministic names for callees, constants."""

    def __init__(self, names, consts) -> None:
        self.names = names
        self.objects: dict = {}
        self.consts = consts

    def name_for(self, obj, hint: str) -> str:
        for n, o in self.objects.items():
            if o is obj:
                return n
        n = self.names.fresh(hint)
        self.objects[n] = obj
        return n

    def const_namer(self, obj, hint):
        for n, o in self.consts.items():
            if o is obj:
                return n
        return self.name_for(obj, hint)

    def resolve(self, fdef, global_names=None) -> dict:
        """The objects ``fdef``'s globals name; ``global_names``: those names, when
        ``validate`` already gave them."""
        out = {}
        glob = _rule_globals()
        if global_names is None:
            global_names = codegen.global_names(fdef)
        for n in global_names:
            if n in self.objects:
                out[n] = self.objects[n]
            elif n in self.consts:
                out[n] = self.consts[n]
            elif n in glob:
                out[n] = glob[n]
            elif n == "__comment__" or hasattr(builtins, n):
                continue
            else:
                raise CompileError("internal error: generated code reads an unknown global %r"
                                   % n)
        return out


class Compiled:
    """A compiled forward/backward pair for one FuncIR and one set of differentiated inputs."""

    def __init__(self, fir, arg_mask, input_mask) -> None:
        self.fir = fir
        self.arg_mask = arg_mask
        self.input_mask = input_mask
        self.wrt_any = any(arg_mask) or any(input_mask)
        self.fwd = self.bwd = None
        self.source = ""
        self.callees: list = []

    def runtime_arg_vars(self, stmt):
        return [a.name for a in stmt.args]


def _free_loads(stmts, bound=frozenset()) -> list:
    """Names ``stmts`` read before assigning them, in program order (a loop's target and
    what its body assigns before reading count as the loop's own; a name both arms of an
    ``if`` assign is assigned after it): what a backward function needs from its forward."""
    seen = []

    def loads(node, bound):
        for n in gast.walk(node):
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load) \
                    and n.id not in bound and n.id not in seen:
                seen.append(n.id)

    def block(body, bound):
        bound = set(bound)
        for st in body:
            if isinstance(st, gast.Assign):
                loads(st.value, bound)
                for t in st.targets:
                    bound.update(n.id for n in gast.walk(t) if isinstance(n, gast.Name))
            elif isinstance(st, gast.For):
                loads(st.iter, bound)
                inner = bound | {n.id for n in gast.walk(st.target) if isinstance(n, gast.Name)}
                block(st.body, inner)
            elif isinstance(st, gast.While):
                loads(st.test, bound)
                block(st.body, bound)
            elif isinstance(st, gast.If):  # assigned on both paths: assigned after it
                loads(st.test, bound)
                bound |= block(st.body, bound) & block(st.orelse, bound)
            else:
                loads(st, bound)
        return bound
    block(stmts, bound)
    return seen


class _PairCtx:
    """What the reverse pass asks about calls: each call's compiled pair and the global name
    of its forward or backward.  It holds the build's callees and namespace, not the build
    itself: a build that its own parts point back to would be freed only by the cyclic
    collector, with all the code it generated."""

    def __init__(self, callees, ns) -> None:
        self.callees = callees
        self.ns = ns

    def compiled_of(self, stmt):
        return self.callees[id(stmt)]

    def global_name(self, compiled, kind):
        fn = compiled.fwd if kind == "fwd" else compiled.bwd
        return self.ns.name_for(fn, fn.__name__)

    def name_pair(self, compiled) -> None:
        """Name a callee's forward and backward together, in the order of the source, with
        the same suffix (``Dense_construct_fwd_1`` goes with ``Dense_construct_bwd_1``)."""
        fwd, bwd = compiled.fwd, compiled.bwd
        called = self.ns.name_for(fwd, fwd.__name__)
        suffix = called[len(fwd.__name__):] if called.startswith(fwd.__name__) else ""
        self.ns.name_for(bwd, bwd.__name__ + suffix)


class _Build:
    """Shared work of build_pair and build_gradient."""

    def __init__(self, fir, arg_mask, input_mask, recompute=False) -> None:
        self.fir = fir
        self.names = copy.deepcopy(fir.names)
        self.ns = Namespace(self.names, fir.consts)
        self.arg_leaves = [s.var.name for s in leaves(fir.args)]
        wrt = [v for v, on in zip(self.arg_leaves, arg_mask) if on]
        wrt += [inp.name for inp, on in zip(fir.inputs, input_mask) if on]
        self.wrt = wrt
        self.active = activity(fir, wrt)
        self.callees = {}
        for stmt in walk(fir.body):
            if isinstance(stmt, Call):
                amask = tuple(a.name in self.active for a in stmt.args)
                imask = tuple(v in self.active for v in stmt.extra_args)
                if stmt.bprop_cell is not None:
                    self.callees[id(stmt)] = CustomBprop(stmt.callee, stmt.bprop_cell, amask,
                                                         imask)
                else:
                    self.callees[id(stmt)] = build_pair(stmt.callee, amask, imask, recompute)
        self.ctx = _PairCtx(self.callees, self.ns)
        for stmt in walk(fir.body):
            if isinstance(stmt, Call):
                self.ctx.name_pair(self.callees[id(stmt)])
        self.rev = Reverse(fir, self.active, self.ctx, self.ns.const_namer, self.names,
                           recompute)

    def compiled_of(self, stmt):
        return self.callees[id(stmt)]

    def forward_body(self):
        def callee_name(stmt):
            return self.ctx.global_name(self.callees[id(stmt)], "fwd")
        em = ForwardEmitter(self.ns.const_namer, callee_name, self.rev.loop_hooks)
        return em.block(self.fir.body)

    def primal_names(self) -> set:
        return set(self.fir.ir_vars) | set(self.arg_leaves) | \
            {inp.name for inp in self.fir.inputs} | set(self.rev.tapes)


@_gc_paused
def build_pair(fir, arg_mask, input_mask, recompute=False) -> Compiled:
    """Forward ``(outputs..., residuals)`` and backward ``(residuals, d_outputs...) -> grads``.
    ``recompute``: loops recompute their states instead of taping them (differentiable again)."""
    key = (tuple(arg_mask), tuple(input_mask), recompute)
    pairs = fir.pairs
    with _LOCK:
        found = pairs.get(key)
    if found is not None:
        return found
    b = _Build(fir, arg_mask, input_mask, recompute)
    compiled = Compiled(fir, tuple(arg_mask), tuple(input_mask))
    rev = b.rev
    out_leaves = [s.var.name for s in leaves(fir.result)]
    dparams = []
    for leaf in out_leaves:
        if leaf in rev.live or leaf not in b.active:
            p = b.names.fresh("d_" + leaf.lstrip("_"))
            dparams.append(p)
            if leaf in b.active:
                rev.contribute(leaf, name(p))
        else:
            p = rev.adjoint(leaf)
            dparams.append(p)
            rev.live.add(leaf)
    rev.block(fir.body)
    grads = [rev.value_of(v) for v in b.wrt]
    bwd_body = rev.out
    fwd_body = b.forward_body()
    primal = b.primal_names()
    residuals = [n for n in _free_loads(bwd_body + [gast.Return(value=gast.Tuple(
        elts=grads, ctx=gast.Load()))]) if n in primal]
    qual = _short(fir.qualname)
    res_name = b.names.fresh("_res")
    fwd_name = b.names.fresh(qual + "_fwd")
    bwd_name = b.names.fresh(qual + "_bwd")
    outs = [codegen.name(n) for n in out_leaves]
    fwd_ret = gast.Return(value=gast.Tuple(
        elts=outs + [gast.Tuple(elts=[codegen.name(n) for n in residuals], ctx=gast.Load())],
        ctx=gast.Load()))
    fwd_params = b.arg_leaves + [inp.name for inp in fir.inputs]
    # a residual that some path does not assign (one arm of an if, a loop that may not run,
    # a tape made inside a branch) starts as None: the backward reads it only on that path
    maybe_unset = set(_free_loads(fwd_body + [fwd_ret], frozenset(fwd_params)))
    pre = [assign([n], gast.Constant(value=None, kind=None))
           for n in residuals if n in maybe_unset]
    fwd_def = function_def(fwd_name, fwd_params, pre + fwd_body + [fwd_ret])
    unpack = []
    if residuals:
        target = gast.Tuple(elts=[codegen.name(n, True) for n in residuals], ctx=gast.Store())
        unpack = [gast.Assign(targets=[target], value=codegen.name(res_name), type_comment=None)]
    bwd_ret = gast.Return(value=gast.Tuple(elts=grads, ctx=gast.Load()))
    bwd_def = function_def(bwd_name, [res_name] + dparams, unpack + bwd_body + [bwd_ret])
    if not recompute:  # final code only: higher-order derivatives read recompute=True code
        lower([fwd_def, bwd_def], b.names)
    fns = _finish(b, [fwd_def, bwd_def], fir.qualname + " pair")
    compiled.fwd, compiled.bwd = fns[fwd_name], fns[bwd_name]
    compiled.source = fns["__source__"]
    compiled.callees = list(b.callees.values())
    with _LOCK:
        pairs.setdefault(key, compiled)
    return pairs[key]


def _finish(b: _Build, fdefs, label) -> dict:
    global_names = [validate(fdef) for fdef in fdefs]
    sources = [to_source(f) for f in fdefs]
    text = "\n\n".join(sources)
    namespace = {}
    for fdef, names_read in zip(fdefs, global_names):
        namespace.update(b.ns.resolve(fdef, names_read))
    for fdef in fdefs:
        namespace.pop(fdef.name, None)
    module = load(text, label, namespace)
    module["__source__"] = text
    return module


class GradientArtifact:
    """The top-level generated gradient function and what its callers need to call it."""

    def __init__(self, fn, source, inputs, fir, callees) -> None:
        self.fn = fn
        self.source = source
        self.inputs = inputs  # objects whose arrays follow the positional arguments
        self.fir = fir
        self.callees = callees
        self.out_structure = None  # the returned tuple nesting (None: one value)

    def full_source(self) -> str:
        """This function's code and its callees', each callee's functions printed under the
        name the code calling them uses (two Dense layers' pairs are both defined as
        ``Dense_construct_fwd``; their caller knows them as ``Dense_construct_fwd`` and
        ``Dense_construct_fwd_1``)."""
        parts = [self.source]
        seen = set()
        called_as = {}  # id(function) -> the name its first caller reads it by

        def names_of(fn):
            for key, value in getattr(fn, "__globals__", {}).items():
                if isinstance(value, types.FunctionType):
                    called_as.setdefault(id(value), key)

        def text_of(compiled):
            text = compiled.source
            for fn in (getattr(compiled, "fwd", None), getattr(compiled, "bwd", None),
                       getattr(compiled, "fn", None)):
                alias = called_as.get(id(fn)) if fn is not None else None
                if alias and alias != fn.__name__:
                    text = text.replace("def %s(" % fn.__name__, "def %s(" % alias, 1)
            return text

        def rec(compiled):
            for fn in (getattr(compiled, "fwd", None), getattr(compiled, "fn", None)):
                if fn is not None:
                    names_of(fn)
            for c in compiled.callees:
                if id(c) not in seen:
                    seen.add(id(c))
                    rec(c)
                    parts.append(text_of(c))
        rec(self)  # (self.fn: the names the top-level function calls its callees by)
        return "\n\n".join(parts)


@_gc_paused
def build_gradient(fir, arg_order, weights, seed, returner, int_args=(), sens=False,
                   fname=None, objects=None, frozen=(), cells=(),
                   sens_of_first=False, recompute=False) -> GradientArtifact:
    """The top-level gradient function: forward, seed, backward, then ``returner``'s result.

    ``arg_order``: the runtime argument leaves differentiated, in the order their gradients
    are returned; ``weights``: Parameters
    to differentiate (by identity); ``seed``: per output leaf, whether it is seeded;
    ``returner(value_expr, arg_grads, weight_grads)`` builds the returned expression;
    ``sens``: the output's gradient comes in as a last argument shaped like the output.
    """
    if objects is None:
        objects = [inp.obj for inp in fir.inputs]
    inputs = [Input(inp.name, obj, inp.path) for inp, obj in zip(fir.inputs, objects)]
    by_id = {id(inp.obj): inp for inp in inputs}
    wrt = [w for w in weights if not any(w is f for f in frozen)]
    input_mask = tuple(any(inp.obj is w for w in wrt) for inp in inputs)
    n_leaves = len(leaves(fir.args))
    arg_mask = tuple(i in arg_order for i in range(n_leaves))
    b = _Build(fir, arg_mask, input_mask, recompute)
    extra_weights = []
    for w in weights:
        if id(w) not in by_id:
            inp = Input(b.names.fresh("unused_" + w.name.replace(".", "_")), w, None)
            by_id[id(w)] = inp
            extra_weights.append(inp)
    rev = b.rev
    out_leaves = leaves(fir.result)
    params = list(b.arg_leaves)
    sens_name = None
    if sens:  # the output's gradient comes right after the positional arguments
        sens_name = b.names.fresh("sens")
        params.append(sens_name)
    params += [inp.name for inp in inputs] + [inp.name for inp in extra_weights]
    fwd_body = None  # emitted after the reverse pass (loops need their tapes)
    leaf_index = _leaf_positions(fir.result)
    for i, leaf in enumerate(out_leaves):
        if not seed[i]:
            continue
        if not sens:  # ones: kept symbolic while the rules allow (see reverse)
            rev.seed_ones(leaf.var.name)
            continue
        # with has_aux the sens is the first output's only
        position = leaf_index[i][1:] if sens_of_first else leaf_index[i]
        expr = _sens_part(sens_name, position, fir.result)
        if leaf.var.name in b.active:
            rev.out.append(codegen.comment("seed: the gradient of the output"))
            rev.contribute(leaf.var.name, expr)
    rev.last_line = None
    rev.block(fir.body)
    arg_grads = []
    int_args = _pad(int_args, len(b.arg_leaves))
    for i in arg_order:
        var = b.arg_leaves[i]
        g = rev.value_of(var)
        if int_args[i]:
            g = gast.Call(func=name("cast_like"), args=[g, name(var)], keywords=[])
        arg_grads.append(g)
    weight_grads = []
    for w in weights:
        inp = by_id[id(w)]
        weight_grads.append(rev.value_of(inp.name) if inp.name in b.active
                            else gast.Call(func=name("zeros_like"), args=[name(inp.name)],
                                           keywords=[]))
    # the backward may rebind a forward name (a loop's tape unpacks into the names its
    # iterations had): an output it rebinds is kept before the backward starts
    rebound = _stored_names(rev.out)
    keep = []
    value_atoms = _atoms(fir.result)
    for leaf in out_leaves:
        var = leaf.var.name
        if var in rebound and var not in [k[1] for k in keep]:
            keep.append((b.names.fresh(var + "_value"), var))
    if keep:
        value_atoms = _rename_atoms(value_atoms, {old: new for new, old in keep})
    value_expr = expr_of(value_atoms, b.ns.const_namer)
    ret = gast.Return(value=returner(value_expr, arg_grads, weight_grads))
    fwd_body = b.forward_body()
    qual = _short(fir.qualname)
    fname = b.names.fresh(fname or (qual + "_grad"))
    body = fwd_body + [assign([new], name(old)) for new, old in keep] + rev.out + [ret]
    fdef = function_def(fname, params, body)
    if not recompute:  # final code only: higher-order derivatives read recompute=True code
        lower([fdef], b.names)
    fns = _finish(b, [fdef], fir.qualname + " grad")
    art = GradientArtifact(fns[fname], fns["__source__"], [inp.obj for inp in inputs]
                           + [inp.obj for inp in extra_weights], fir, list(b.callees.values()))
    art.input_names = [inp.name for inp in inputs] + [inp.name for inp in extra_weights]
    art.out_structure = _tuple_structure(ret.value)
    art.cells = list(cells)
    return art


def _tuple_structure(expr):
    """The tuple nesting of a returned expression: a tuple per ``gast.Tuple``, None per leaf
    (what the API's per-call path wraps in Tensors)."""
    if isinstance(expr, gast.Tuple):
        return tuple(_tuple_structure(e) for e in expr.elts)
    return None


def generated_source(gfn, argspec):
    """(function, Source) of a gradient function's generated code, its extra parameters
    bound to the Parameters they stand for: what a higher-order derivative compiles."""
    fn, names, objects = gfn._autograd_st_generated(argspec)
    src = parse_function(fn)
    src = dataclasses.replace(src, bound_args=dict(zip(names, objects)))
    return fn, src


def _short(qualname: str) -> str:
    """'outer.<locals>.Net.construct' -> 'Net_construct' (a readable function name)."""
    parts = [p for p in qualname.split(".") if p != "<locals>"]
    parts = parts[-2:] if len(parts) > 1 and parts[-1] in ("construct", "bprop") else parts[-1:]
    text = "_".join(parts).replace("<", "").replace(">", "")
    return text or "fn"


def _pad(seq, n):
    seq = list(seq)
    return seq + [False] * (n - len(seq))


def _atoms(structure):
    if isinstance(structure, Sym):
        return structure.var
    if isinstance(structure, tuple):
        return tuple(_atoms(s) for s in structure)
    return Const(structure)


def _stored_names(stmts) -> set:
    """Every name ``stmts`` assign (loop targets included)."""
    out = set()
    for stmt in stmts:
        for n in gast.walk(stmt):
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store):
                out.add(n.id)
    return out


def _rename_atoms(atoms, renames):
    if isinstance(atoms, Var):
        return Var(renames[atoms.name]) if atoms.name in renames else atoms
    if isinstance(atoms, tuple):
        return tuple(_rename_atoms(a, renames) for a in atoms)
    return atoms


def _leaf_positions(structure, prefix=()):
    out = []
    if isinstance(structure, Sym):
        return [prefix]
    if isinstance(structure, tuple):
        for i, s in enumerate(structure):
            out.extend(_leaf_positions(s, prefix + (i,)))
    return out


def _sens_part(sens_name, position, structure):
    expr = name(sens_name)
    for i in position:
        expr = gast.Subscript(value=expr, slice=gast.Constant(value=i, kind=None),
                              ctx=gast.Load())
    return expr


# ---------------------------------------------------------------------------------------
# forward mode
# ---------------------------------------------------------------------------------------

class CompiledJvp:
    """A jvp function ``f_jvp(args..., inputs..., tangents...) -> (outs..., out_tangents...)``
    for one FuncIR and one set of inputs that carry tangents."""

    def __init__(self, fir, arg_mask, input_mask) -> None:
        self.fir = fir
        self.arg_mask = tuple(arg_mask)
        self.input_mask = tuple(input_mask)
        self.wrt_any = any(arg_mask) or any(input_mask)
        self.fn = None
        self.source = ""
        self.callees: list = []
        self.n_outputs = len(leaves(fir.result))


@_gc_paused
def build_jvp(fir, arg_mask, input_mask) -> CompiledJvp:
    """Forward-mode code for ``fir``: every output and its tangent."""
    key = ("jvp", tuple(arg_mask), tuple(input_mask))
    pairs = fir.pairs
    with _LOCK:
        found = pairs.get(key)
    if found is not None:
        return found
    names = copy.deepcopy(fir.names)
    ns = Namespace(names, fir.consts)
    arg_leaves = [s.var.name for s in leaves(fir.args)]
    wrt = [v for v, on in zip(arg_leaves, arg_mask) if on]
    wrt += [inp.name for inp, on in zip(fir.inputs, input_mask) if on]
    active = activity(fir, wrt)
    callees = {}
    for stmt in walk(fir.body):
        if isinstance(stmt, Call):
            amask = tuple(a.name in active for a in stmt.args)
            imask = tuple(v in active for v in stmt.extra_args)
            callees[id(stmt)] = build_jvp(stmt.callee, amask, imask)

    class _Ctx:
        def jvp_of(self, stmt):
            return callees[id(stmt)]

        def global_name(self, fn):
            return ns.name_for(fn, fn.__name__)
    fwd = Forward(fir, active, _Ctx(), ns.const_namer, names)
    tangent_params = [fwd.seed(v) for v in wrt]
    body = fwd.block(fir.body)
    outs = [s.var.name for s in leaves(fir.result)]
    out_tangents = [name(fwd.tangent(v)) if v in active else
                    gast.Call(func=name("zeros_like"), args=[name(v)], keywords=[])
                    for v in outs]
    ret = gast.Return(value=gast.Tuple(elts=[name(v) for v in outs] + out_tangents,
                                       ctx=gast.Load()))
    fname = names.fresh(_short(fir.qualname) + "_jvp")
    params = arg_leaves + [inp.name for inp in fir.inputs] + tangent_params
    fdef = function_def(fname, params, body + [ret])
    global_names = validate(fdef)
    text = to_source(fdef)
    module = load(text, fir.qualname + " jvp", ns.resolve(fdef, global_names))
    compiled = CompiledJvp(fir, arg_mask, input_mask)
    compiled.fn = module[fname]
    compiled.source = text
    compiled.callees = list(callees.values())
    with _LOCK:
        pairs.setdefault(key, compiled)
    return pairs[key]


# ---------------------------------------------------------------------------------------
# custom bprop (a Cell's bprop(self, *inputs, out, dout) replaces its backward)
# ---------------------------------------------------------------------------------------

def _has_bprop(cell) -> bool:
    return isinstance(cell, Cell) and callable(getattr(type(cell), "bprop", None))


def check_bprop(cell, n_inputs, node=None, nz=None) -> None:
    """A bprop must take (self, *inputs, out, dout) and return one gradient per input: both
    are checked when the gradient is built, at the bprop's own file:line."""
    bprop = type(cell).bprop
    code = bprop.__code__
    params = list(inspect.signature(bprop).parameters)[1:]
    where = (code.co_filename, code.co_firstlineno, 0)
    if len(params) != n_inputs + 2:
        raise CompileError(
            "%s.bprop takes %d arguments after self, but construct takes %d inputs: it must "
            "take (self, %s, out, dout)" % (type(cell).__name__, len(params), n_inputs,
                                            ", ".join("x%d" % i for i in range(n_inputs))
                                            or "<no inputs>"), *where,
            hint="give bprop one parameter per construct input, then out and dout")
    try:
        src = parse_function(types.MethodType(bprop, cell))
    except Exception:  # noqa: BLE001 - no source: the count is checked at run time instead
        return
    for ret in (n for n in gast.walk(src.node) if isinstance(n, gast.Return)):
        value = ret.value
        got = len(value.elts) if isinstance(value, gast.Tuple) else None
        if got is not None and got != n_inputs:
            raise CompileError(
                "%s.bprop returns %d gradients, but construct takes %d inputs"
                % (type(cell).__name__, got, n_inputs), src.filename, ret.lineno,
                ret.col_offset, hint="return a tuple with one gradient per input of construct")


class CustomBprop:
    """A call to a Cell whose ``bprop`` gives its backward: the forward is the compiled
    construct; the backward calls ``bprop`` on Tensors.  Parameters inside get no gradient
    through it (as in MindSpore)."""

    def __init__(self, fir, cell, arg_mask, input_mask) -> None:
        self.fir = fir
        self.arg_mask = tuple(arg_mask)
        self.input_mask = (False,) * len(input_mask)
        self.wrt_any = any(arg_mask)
        primal = build_pair(fir, (False,) * len(arg_mask), (False,) * len(input_mask))
        self.callees = [primal]
        self.source = primal.source
        n_out = len(leaves(fir.result))
        structure = fir.result
        mask = self.arg_mask
        name_ = type(cell).__name__

        def fwd(*arrays):
            res = primal.fwd(*arrays)
            outs = res[:n_out]
            return tuple(outs) + ((arrays[:len(mask)], outs),)
        fwd.__name__ = name_ + "_bprop_fwd"

        def bwd(res, *douts):
            args, outs = res
            out = _rebuild_structure(structure, outs)
            dout = _rebuild_structure(structure, douts)
            grads = cell.bprop(*wrap(tuple(args)), wrap(out), wrap(dout))
            if not isinstance(grads, tuple) or len(grads) != len(args):
                raise TypeError("%s.bprop returned %s; it must return a tuple of %d gradients "
                                "(one per input of construct)"
                                % (name_, type(grads).__name__, len(args)))
            return tuple(np.asarray(unwrap(g)) for g, on in zip(grads, mask) if on)
        bwd.__name__ = name_ + "_bprop_bwd"
        self.fwd, self.bwd = fwd, bwd

    def runtime_arg_vars(self, stmt):
        return [a.name for a in stmt.args]


def _rebuild_structure(structure, values):
    it = iter(values)

    def rec(s):
        if isinstance(s, Sym):
            return next(it)
        if isinstance(s, tuple):
            return tuple(rec(e) for e in s)
        return s
    return rec(structure)


def wrap_in_call(fir, cell, argspec) -> FuncIR:
    """A FuncIR whose body is one call to ``fir`` (used when the differentiated Cell itself
    has a bprop: its gradient is that bprop's)."""
    names = NameAllocator(fir.names.taken)
    args = []
    for i, sp in enumerate(argspec):
        args.append(sym(names.fresh("x%d" % i)) if sp is RUNTIME else sp)
    inputs = [Input(names.fresh(inp.name), inp.obj, inp.path) for inp in fir.inputs]
    targets = [names.fresh("out") for _ in leaves(fir.result)]
    res = names.fresh("_res")
    loc = (fir.src.filename, fir.src.node.lineno, fir.src.node.col_offset)
    stmt = Call(targets, fir, [a.var for a in args if isinstance(a, Sym)], res, loc,
                [inp.name for inp in inputs], cell)
    check_bprop(cell, len(argspec))
    result = _rebuild_structure(fir.result, [sym(t) for t in targets])
    ir_vars = set(targets) | {res} | {a.var.name for a in args if isinstance(a, Sym)} \
        | {inp.name for inp in inputs}
    return FuncIR(fir.qualname, fir.src, args, list(fir.arg_names), inputs, [stmt], result,
                  names, {}, list(fir.guards), True, ir_vars)
