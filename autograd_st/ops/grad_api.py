"""MindSpore's differentiation API over the compiler: ``GradOperation``, ``grad``,
``value_and_grad``, and ``dump`` (the generated adjoint source, as text).

The per-call path of a gradient function is: one cache lookup keyed by the kinds of the
arguments (float Tensor, int Tensor, Python number ...) and the structure epoch, unwrap, call
the generated function, wrap.  Everything else happens once, at the first call.
"""
from __future__ import annotations

import inspect
import threading
import types
import weakref
from collections import OrderedDict

import gast
import numpy as np

from ..cell import Cell
from ..compiler.ir import ABSENT
from ..errors import GradientAPIError
from ..tensor import Parameter, ParameterTuple, Tensor, _structure_epoch

__all__ = ["GradOperation", "grad", "value_and_grad", "dump", "GradFunction"]

_LOCK = threading.RLock()
_GLOBAL: "OrderedDict" = OrderedDict()
_GLOBAL_SIZE = 1024


# ---------------------------------------------------------------------------------------
# what a gradient function returns (MindSpore's structures)
# ---------------------------------------------------------------------------------------

class Spec:
    """Which gradients, and in which structure (hashable; part of the cache key)."""

    __slots__ = ("style", "positions", "weights", "has_aux", "value", "sens", "single_weight")

    def __init__(self, style, positions, weights, has_aux=False, value=False, sens=False,
                 single_weight=False) -> None:
        self.style = style  # "grad" (ops.grad / value_and_grad) or "gradop"
        self.positions = positions  # int, tuple of ints, None, or "all" (GradOperation)
        self.weights = weights  # tuple of Parameters or None
        self.has_aux = has_aux
        self.value = value
        self.sens = sens
        self.single_weight = single_weight

    def key(self):
        return (self.style, self.positions, None if self.weights is None
                else tuple(id(w) for w in self.weights), self.has_aux, self.value, self.sens,
                self.single_weight)


def _tuple(elts):
    return gast.Tuple(elts=list(elts), ctx=gast.Load())


def _returner(spec: Spec, n_positions):
    def build(value_expr, arg_grads, weight_grads):
        if spec.style == "vjp":  # ops.vjp's vjp_fn: one gradient per input, always a tuple
            if spec.weights is not None:
                return _tuple([_tuple(arg_grads), _tuple(weight_grads)])
            return _tuple(arg_grads)
        if spec.style == "gradop":
            if spec.positions == "all":
                inputs = _tuple(arg_grads)
            else:
                inputs = arg_grads[0] if arg_grads else None
            if spec.weights is not None and spec.positions == "all":
                grads = _tuple([inputs, _tuple(weight_grads)])
            elif spec.weights is not None:
                grads = _tuple(weight_grads)
            else:
                grads = inputs
        else:
            if spec.positions is None:
                pos = None
            elif isinstance(spec.positions, int):
                pos = arg_grads[0]
            elif len(arg_grads) == 1:
                pos = arg_grads[0]  # MindSpore: grad_position=(0,) gives a bare Tensor
            else:
                pos = _tuple(arg_grads)
            if spec.weights is None:
                grads = pos
            else:
                w = weight_grads[0] if spec.single_weight else _tuple(weight_grads)
                grads = w if pos is None else _tuple([pos, w])
        if spec.has_aux:
            aux = _tuple(value_expr.elts[1:]) if isinstance(value_expr, gast.Tuple) \
                else _tuple([])
            if spec.value:
                return _tuple([value_expr, grads])
            return _tuple([grads, aux])
        if spec.value:
            return _tuple([value_expr, grads])
        return grads
    return build


# ---------------------------------------------------------------------------------------
# argument kinds
# ---------------------------------------------------------------------------------------

def _kind(a):
    t = type(a)
    if t is Tensor or t is Parameter:
        return a._data.dtype.kind
    if t is np.ndarray:
        return "n" + a.dtype.kind
    if t is float:
        return "pf"
    if t is int or t is bool or a is None or t is str:
        return (t, a)
    if t is tuple or t is list:
        return (t,) + tuple(_kind(e) for e in a)
    if isinstance(a, np.generic):
        return "g" + a.dtype.kind
    return ("obj", id(a))


def _unwrap(a):
    t = type(a)
    if t is Tensor or t is Parameter:
        return a._data
    if t is float:
        return a  # a Python float stays one: weak in numpy promotion (float32 * 3.0 is float32)
    if t is tuple or t is list:
        return tuple(_unwrap(e) for e in a)
    return a


def _argspec(args):
    from ..compiler.ir import RUNTIME
    out = []
    for a in args:
        if isinstance(a, (Tensor, np.ndarray, float, np.generic)):
            out.append(RUNTIME)
        elif isinstance(a, (tuple, list)) and any(isinstance(e, (Tensor, np.ndarray, float))
                                                  for e in a):
            out.append(tuple(_argspec(a)))
        else:
            out.append(a)
    return out


_TENSOR_TYPES = (Tensor, Parameter)
_new_tensor = Tensor.__new__
_set_data = Tensor._data.__set__


def _tensor_of(arr):
    t = _new_tensor(Tensor)
    _set_data(t, arr)
    return t


def _wrap_tensors(value):
    """Arrays (and numpy scalars) in a result structure -> Tensors (the per-call path)."""
    t = type(value)
    if t is np.ndarray:
        return _tensor_of(value)
    if t is tuple:
        return tuple([_wrap_tensors(v) for v in value])
    if isinstance(value, np.generic):
        return _tensor_of(np.asarray(value))
    return value


def _wrap_tree(value, tensors: bool):
    if isinstance(value, np.ndarray):
        return Tensor(value) if tensors else value
    if isinstance(value, np.generic):
        return Tensor(np.asarray(value)) if tensors else value
    if isinstance(value, tuple):
        return tuple(_wrap_tree(v, tensors) for v in value)
    return value


# ---------------------------------------------------------------------------------------
# gradient functions
# ---------------------------------------------------------------------------------------

def _runtime_leaves(args, specs):
    """The values generated code takes: runtime leaves only (constants are compiled in)."""
    from ..compiler.ir import RUNTIME
    out = []
    for a, sp in zip(args, specs):
        if sp is RUNTIME:
            out.append(_unwrap(a))
        elif isinstance(sp, tuple) and isinstance(a, (tuple, list)):
            out.extend(_runtime_leaves(a, sp))
    out.extend(_unwrap(a) for a in args[len(specs):])  # the sens, if any
    return out


def _written_inputs(fir) -> set | None:
    """Names of ``fir``'s inputs that its code writes in place (``assign``: BatchNorm's
    moving statistics), through the sub-Cells and helpers it calls; None: some write does
    not go to an input (then every input is taken to be written)."""
    from ..compiler.ir import Call, For, If, Var, While
    names = {inp.name for inp in fir.inputs}
    out: set = set()

    def walk(stmts) -> bool:
        for stmt in stmts:
            if isinstance(stmt, Call):
                sub = _written_inputs(stmt.callee)
                extra = getattr(stmt, "extra_args", [])
                for inp, arg in zip(stmt.callee.inputs, extra):
                    if sub is None or inp.name in sub:
                        out.add(arg)
                if sub is None and not extra:
                    return False
            elif isinstance(stmt, If):
                if not (walk(stmt.body) and walk(stmt.orelse)):
                    return False
            elif isinstance(stmt, For):
                if not walk(stmt.body):
                    return False
            elif isinstance(stmt, While):
                if not (walk(stmt.cond_body) and walk(stmt.body)):
                    return False
            elif getattr(getattr(stmt, "prim", None), "name", None) == "assign":
                ref = stmt.args.get("ref")
                if not (isinstance(ref, Var) and ref.name in names):
                    return False
                out.add(ref.name)
        return True
    return out & names if walk(fir.body) else None


def _volatile(path, fn, self_obj) -> bool:
    """Whether rebinding something on ``path`` can go unnoticed by the structure epoch:
    the path goes through a closure variable or an object that is not a Cell (a plain
    object's attribute, a list item).  Such inputs are looked up again on every call."""
    if not path:
        return False
    if path[0] == "self":
        obj, rest = self_obj, path[1:]
    else:
        if fn.__closure__ and path[1] in fn.__code__.co_freevars:
            return True
        obj, rest = fn.__globals__.get(path[1]), path[2:]  # a global: its guard sees it
    for attr in rest:
        if not isinstance(obj, (Cell, tuple)):
            return True
        try:
            obj = obj[attr] if isinstance(attr, int) else getattr(obj, attr)
        except Exception:  # noqa: BLE001 - gone: it is looked up (and fails) again
            return True
    return False


class _Artifact:
    __slots__ = ("fn", "inputs", "epoch", "guards", "art", "n_args", "tensors_out", "plain",
                 "spec_args", "cells", "sigs", "n_rules", "weights", "wflags", "target",
                 "objects", "volatile", "check", "effects", "inner", "entry")

    def __init__(self, art, epoch, n_args, tensors_out=True, spec_args=(), weights=(),
                 target=(None, None), inner=None, kinds=None) -> None:
        from ..compiler.ir import RUNTIME
        self.tensors_out = tensors_out
        self.spec_args = tuple(spec_args)
        self.plain = all(sp is RUNTIME for sp in spec_args)
        from ..compiler.driver import structure_signature
        self.cells = tuple(art.cells)
        self.sigs = tuple(structure_signature(c) for c in self.cells)
        from .. import rules
        self.n_rules = rules.version()
        self.art = art
        self.fn = art.fn
        self.inputs = tuple(o if isinstance(o, Tensor) else _Holder(o) for o in art.inputs)
        self.epoch = epoch
        seen = {}
        for ns, key, obj in art.fir.guards:
            seen[(id(ns), key)] = (ns, key, obj)
        self.guards = tuple(seen.values())
        self.n_args = n_args
        # the weights are held (the cache key has their ids) with the flags compiled in
        self.weights = tuple(weights)
        self.wflags = tuple(w.requires_grad for w in self.weights)
        # what the inputs were found on, to find them again when something may have changed
        self.target = target
        self.objects = tuple(art.inputs)
        fn, self_obj = target
        self.volatile = fn is not None and any(
            _volatile(inp.path, fn, self_obj) for inp in art.fir.inputs)
        # a gradient of a gradient: (inner gradient function, argspec, its generated code)
        self.inner = inner
        self.check = bool(self.guards) or self.volatile or inner is not None
        written = _written_inputs(art.fir)
        self.effects = tuple(
            o for inp, o in zip(art.fir.inputs, self.objects)
            if (written is None or inp.name in written) and isinstance(o, (Tensor, np.ndarray)))
        self.entry = _entry(self, kinds, getattr(art, "out_structure", None))

    def _same_inputs(self) -> bool:
        """Each input is still the object found on its path (not a new Parameter)."""
        from ..compiler.driver import _resolve
        fn, self_obj = self.target
        if fn is None:
            return True
        try:
            for inp, obj in zip(self.art.fir.inputs, self.objects):
                if inp.path and _resolve(inp, self_obj, fn) is not obj:
                    return False
        except Exception:  # noqa: BLE001 - an input is gone: compile again (and say so)
            return False
        return True

    def valid(self) -> bool:
        epoch = _structure_epoch[0]
        if self.epoch != epoch:
            from .. import rules
            from ..compiler.driver import structure_signature
            if tuple(structure_signature(c) for c in self.cells) != self.sigs \
                    or rules.version() != self.n_rules \
                    or tuple(w.requires_grad for w in self.weights) != self.wflags \
                    or not self._same_inputs():
                return False
            self.epoch = epoch
        elif self.volatile and not self._same_inputs():
            return False
        for ns, key, obj in self.guards:
            if ns.get(key, ABSENT) is not obj:
                return False
        if self.inner is not None:
            gfn, argspec, generated = self.inner
            if gfn._autograd_st_generated(argspec)[0] is not generated:
                return False
        return True


def _leaf(value):
    """One returned value as a Tensor (arrays directly; anything else as _wrap_tensors)."""
    if type(value) is np.ndarray:
        t = _new_tensor(Tensor)
        _set_data(t, value)
        return t
    if isinstance(value, np.generic):
        t = _new_tensor(Tensor)
        _set_data(t, np.asarray(value))
        return t
    return _wrap_tensors(value)


def _unwrap_code(kind, arg: str) -> str:
    """How the entry unwraps an argument of this kind (see ``_kind``)."""
    if isinstance(kind, str) and len(kind) == 1:  # a Tensor or a Parameter
        return arg + "._data"
    if isinstance(kind, str) and kind[0] in "ng":  # an ndarray, a numpy scalar: as it is
        return arg
    return "_unwrap(%s)" % arg


def _wrap_code(structure, value: str, out: list) -> str:
    """An expression that rebuilds ``structure`` from ``value`` with Tensor leaves; the
    unpacking statements it needs are appended to ``out``."""
    if structure is None:
        return "_leaf(%s)" % value
    parts = ["%s_%d" % (value, i) for i in range(len(structure))]
    if parts:
        out.append("%s, = %s" % (", ".join(parts), value))
    else:
        return "()"
    return "(%s,)" % ", ".join(_wrap_code(sub, p, out) for sub, p in zip(structure, parts))


def _entry(artifact, kinds, out_structure):
    """The per-call path of one artifact, written out for its argument kinds: unwrap each
    argument as its kind says, add the inputs' arrays, call the generated code, wrap its
    result in Tensors as its returned structure says.  No per-argument dispatch is left
    (``art.fn`` is what the benchmark calls directly; this adds the API's work around it)."""
    fn, inputs = artifact.fn, artifact.inputs
    if not artifact.plain or kinds is None:
        def entry(*args):
            if artifact.plain:
                out = fn(*[_unwrap(a) for a in args], *[o._data for o in inputs])
            else:
                out = fn(*_runtime_leaves(args, artifact.spec_args),
                         *[o._data for o in inputs])
            return _wrap_tensors(out) if artifact.tensors_out else out
        return entry
    params = ["a%d" % i for i in range(len(kinds))]
    call = "fn(%s)" % ", ".join([_unwrap_code(k, p) for k, p in zip(kinds, params)]
                                + ["i%d._data" % j for j in range(len(inputs))])
    lines = ["def entry(%s):" % ", ".join(params)]
    if not artifact.tensors_out:
        lines.append("    return " + call)
    else:
        lines.append("    r = " + call)
        unpack = []
        result = _wrap_code(out_structure, "r", unpack)
        lines += ["    " + u for u in unpack] + ["    return " + result]
    namespace = {"fn": fn, "_leaf": _leaf, "_unwrap": _unwrap}
    namespace.update(("i%d" % j, o) for j, o in enumerate(inputs))
    exec(compile("\n".join(lines) + "\n", "<autograd_st entry>", "exec"), namespace)  # noqa: S102
    return namespace["entry"]


_MISSING = object()


class _Holder:
    """A free numpy array read by generated code, seen like a Tensor (``._data``)."""

    __slots__ = ("_data",)

    def __init__(self, data) -> None:
        self._data = data


class GradFunction:
    """A function that returns gradients (what ``grad``/``value_and_grad``/``GradOperation``
    give).  ``.source(*args)`` is the generated code it runs for those arguments."""

    _autograd_st_grad_function = True

    def __init__(self, fn, spec: Spec) -> None:
        if not callable(fn):
            raise TypeError("expected a function or a Cell to differentiate, got %r" % (fn,))
        self.fn = fn
        self.spec = spec
        self._fast: dict = {}
        self._is_cell = isinstance(fn, Cell)
        self._last_key = None
        self._last_art = None
        self.__name__ = getattr(fn, "__name__", type(fn).__name__) + "_grad"
        self.__qualname__ = self.__name__
        self.__doc__ = "Gradient of %s." % getattr(fn, "__qualname__", type(fn).__name__)

    # the hot path ----------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        if kwargs:
            args = self._positional(args, kwargs)
        kinds = tuple([a._data.dtype.kind if type(a) is Tensor else _kind(a) for a in args])
        art = self._fast.get(kinds)
        if art is None or ((art.epoch != _structure_epoch[0] or art.check)
                           and not art.valid()):
            art = self._artifact(args, kinds)
        if art.effects:
            return self._call_keeping_state(art, args)
        return art.entry(*args)

    def _positional(self, args, kwargs) -> tuple:
        """Keyword arguments bound to the parameters they name, as MindSpore binds them: the
        call as positional arguments up to the last parameter given (parameters after it
        are left to their defaults, as when they are not passed), then the sens, which
        stays the last positional argument.  ``grad_position`` counts parameters."""
        fn, self_obj = self._target()
        sens = ()
        if self.spec.sens:
            if not args:
                raise TypeError("%s: with sens_param=True the output's gradient (sens) is the "
                                "last positional argument" % self.__name__)
            args, sens = args[:-1], args[-1:]
        plan = self.__dict__.get("_kwplan")
        if plan is None or plan[0] is not fn:
            plan = self.__dict__["_kwplan"] = (fn,) + self._keyword_plan(fn, self_obj)
        _, names, index, defaults, keyword_only = plan
        bad = keyword_only.intersection(kwargs)
        if bad:
            raise GradientAPIError(
                "%s: keyword-only parameter %r cannot be differentiated through; make it an "
                "ordinary parameter of %s" % (self.__name__, min(bad), fn.__qualname__))
        n = len(args)
        last = n - 1
        for k in kwargs:
            i = index.get(k)
            if i is None or i < n:  # unknown, or given twice: Python's own TypeError
                self._bind_or_raise(fn, self_obj, args, kwargs)
            last = max(last, i)
        out = list(args)
        for name in names[n:last + 1]:
            value = kwargs.get(name, defaults.get(name, _MISSING))
            if value is _MISSING:  # a required parameter not given
                self._bind_or_raise(fn, self_obj, args, kwargs)
            out.append(value)
        return tuple(out) + sens

    @staticmethod
    def _keyword_plan(fn, self_obj):
        """``(names, index, defaults, keyword_only)`` of ``fn``'s parameters (``self`` left
        out for a method): what binding keyword arguments needs, read once."""
        if not isinstance(fn, types.FunctionType):
            raise GradientAPIError(
                "keyword arguments reach functions and Cells only, not %s; pass them "
                "positionally" % type(fn).__name__)
        params = list(inspect.signature(fn).parameters.values())
        if self_obj is not None:
            params = params[1:]
        ordinary = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        names = [p.name for p in ordinary]
        index = {p.name: i for i, p in enumerate(ordinary) if p.kind != p.POSITIONAL_ONLY}
        defaults = {p.name: p.default for p in ordinary if p.default is not p.empty}
        keyword_only = frozenset(p.name for p in params if p.kind == p.KEYWORD_ONLY)
        return names, index, defaults, keyword_only

    @staticmethod
    def _bind_or_raise(fn, self_obj, args, kwargs):
        """Python's own TypeError for a call that does not fit ``fn``'s parameters."""
        lead = (self_obj,) if self_obj is not None else ()
        inspect.signature(fn).bind(*lead, *args, **kwargs)
        raise TypeError("%s() got arguments that do not fit its parameters"
                        % fn.__qualname__)  # pragma: no cover - bind raised above

    def _call_keeping_state(self, art, args):
        """A call whose code writes Parameters in place (BatchNorm's moving statistics in
        training mode): if it fails, they are written back as they were."""
        saved = [(o._data, o._data.copy()) if isinstance(o, Tensor) else (o, o.copy())
                 for o in art.effects]
        try:
            if art.plain:
                out = art.fn(*[_unwrap(a) for a in args], *[o._data for o in art.inputs])
            else:
                out = art.fn(*_runtime_leaves(args, art.spec_args),
                             *[o._data for o in art.inputs])
        except BaseException:
            for arr, copy in saved:
                np.copyto(arr, copy)
            raise
        return _wrap_tensors(out) if art.tensors_out else out

    def _tensors_out(self, args) -> bool:
        if self._is_cell or self.spec.weights:
            return True
        for a in args:
            if isinstance(a, Tensor) or (isinstance(a, (tuple, list))
                                         and any(isinstance(e, Tensor) for e in a)):
                return True
        return not any(isinstance(a, (np.ndarray, float, np.generic)) for a in args)

    # compiling -------------------------------------------------------------------------
    def _target(self):
        if self._is_cell:
            return type(self.fn).construct, self.fn
        if inspect.ismethod(self.fn):
            return self.fn.__func__, self.fn.__self__
        return self.fn, None

    def _artifact(self, args, kinds, recompute=False) -> _Artifact:
        epoch = _structure_epoch[0]
        key = (_fn_key(self.fn), self.spec.key(), kinds, recompute)
        with _LOCK:
            entry = _GLOBAL.get(key)
        if entry is not None:
            ref, art = entry
            if ref() is self.fn and art.valid():
                self._fast[kinds] = art
                self._last_key, self._last_art = kinds, art
                return art
        call_args = list(args[:-1]) if self.spec.sens and args else list(args)
        from ..compiler.driver import gc_paused
        with gc_paused():  # one pause for the whole compile (normalize, then build)
            compiled, target, inner = self._compile(args, recompute)
        art = _Artifact(compiled, epoch, len(args), self._tensors_out(args),
                        _argspec(call_args), self.spec.weights or (), target, inner, kinds)
        with _LOCK:
            _GLOBAL[key] = (_ref(self.fn), art)
            _GLOBAL.move_to_end(key)
            while len(_GLOBAL) > _GLOBAL_SIZE:
                _GLOBAL.popitem(last=False)
        if recompute:  # the form higher-order derivatives read: not the per-call fast path
            return art
        if len(self._fast) > 64:
            self._fast.clear()
        self._fast[kinds] = art
        self._last_key, self._last_art = kinds, art
        return art

    def _compile(self, args, recompute=False):
        from ..compiler.driver import _resolve, build_gradient, normalize_function
        from ..compiler.ir import leaves
        spec = self.spec
        fn, self_obj = self._target()
        call_args = list(args)
        if spec.sens:
            if not call_args:
                raise GradientAPIError("sens_param=True: the last argument must be the "
                                       "output's gradient (sens), but no argument was given")
            call_args = call_args[:-1]
        argspec = _argspec(call_args)
        _check_arity(fn, self_obj, call_args)
        source = inner = None
        if getattr(fn, "_autograd_st_grad_function", False):  # a derivative of a derivative
            from ..compiler.driver import generated_source
            inner_gfn = fn
            fn, source = generated_source(fn, argspec)
            if isinstance(inner_gfn, GradFunction):
                inner = (inner_gfn, argspec, fn)
        fir = normalize_function(fn, self_obj, argspec, source)
        from ..compiler.driver import _has_bprop, wrap_in_call
        if _has_bprop(self_obj):  # the Cell's own bprop is its backward
            fir = wrap_in_call(fir, self_obj, argspec)
        n_args = len(call_args)
        leaf_owner = []
        for i, v in enumerate(fir.args):
            leaf_owner.extend([i] * len(leaves(v)))
        if spec.positions == "all":
            positions = tuple(range(n_args))
        elif spec.positions is None:
            positions = ()
        elif isinstance(spec.positions, int):
            positions = (spec.positions,)
        else:
            positions = tuple(spec.positions)
        for p in positions:
            if p < 0:
                raise GradientAPIError("grad_position %d is negative: MindSpore counts inputs "
                                       "from 0; pass %d instead" % (p, p % max(n_args, 1)))
            if not -n_args <= p < n_args:
                raise GradientAPIError(
                    "grad_position %d is out of range: %s takes %d positional argument%s"
                    % (p, fir.qualname, n_args, "" if n_args == 1 else "s"))
        positions = tuple(p % n_args for p in positions) if n_args else ()
        if spec.style == "gradop" and spec.positions != "all" and not spec.weights \
                and n_args == 0:
            raise GradientAPIError("GradOperation() differentiates the first input, but %s "
                                   "takes no inputs; use get_by_list=True" % fir.qualname)
        for p in positions:
            if not leaves(fir.args[p]):
                raise GradientAPIError(
                    "argument %d of %s is a constant (%r), not a Tensor: it has no gradient. "
                    "Pass a Tensor or leave it out of grad_position"
                    % (p, fir.qualname, type(call_args[p]).__name__))
        arg_order = [i for p in positions for i, owner in enumerate(leaf_owner) if owner == p]
        int_args = tuple(isinstance(a, Tensor) and a._data.dtype.kind in "iub"
                         for i, a in enumerate(call_args) for _ in leaves(fir.args[i]))
        out_leaves = leaves(fir.result)
        if spec.has_aux:
            if not isinstance(fir.result, tuple) or len(fir.result) < 2:
                raise GradientAPIError(
                    "has_aux=True needs %s to return a tuple (loss, aux, ...); it returns one "
                    "value. Set has_aux=False" % fir.qualname)
            first = set(id(s) for s in leaves(fir.result[0]))
            seed = [id(s) in first for s in out_leaves]
        else:
            seed = [True] * len(out_leaves)
        weights = tuple(spec.weights or ())
        frozen = tuple(w for w in weights if not w.requires_grad)
        objects = [_resolve(inp, self_obj, fn) for inp in fir.inputs]
        compiled = build_gradient(fir, arg_order, weights, seed,
                                  _returner(spec, len(positions)), int_args=int_args,
                                  sens=spec.sens, objects=objects, frozen=frozen,
                                  cells=self._cells(self_obj, fir),
                                  sens_of_first=spec.has_aux, recompute=recompute)
        return compiled, (fn, self_obj), inner

    def _cells(self, self_obj, fir):
        """The Cells whose structure the generated code depends on."""
        out, seen = [], set()
        for obj in [self_obj] + [g[2] for g in fir.guards]:
            if isinstance(obj, Cell) and id(obj) not in seen:
                seen.add(id(obj))
                out.append(obj)
        return out

    def source(self, *args, **kwargs) -> str:
        """The generated gradient code for these arguments (with the callees it calls)."""
        if kwargs:
            args = self._positional(args, kwargs)
        kinds = tuple(map(_kind, args))
        art = self._fast.get(kinds)
        if art is None or not art.valid():
            art = self._artifact(args, kinds)
        return art.art.full_source()

    def _autograd_st_generated(self, argspec=None):
        """(function, bound inputs) of the generated code for arguments shaped like
        ``argspec`` (RUNTIME leaves are taken as float Tensors): what a higher-order
        derivative differentiates again."""
        from ..compiler.ir import RUNTIME

        def example(sp):
            if sp is RUNTIME:
                return Tensor(np.zeros((1,), np.float64))
            if isinstance(sp, tuple):
                return tuple(example(e) for e in sp)
            return sp
        if argspec is None:
            art = self._last_art
            if art is None:
                raise GradientAPIError("cannot tell the arguments of %s" % self.__name__)
        else:
            args = tuple(example(sp) for sp in argspec)
            kinds = tuple(map(_kind, args))
            art = self._artifact(args, kinds, recompute=True)
        return art.fn, art.art.input_names, art.art.inputs


def _arity_stub(fn, self_obj):
    """A function with ``fn``'s parameters and an empty body, bound like ``fn``: calling it
    raises exactly the TypeError calling ``fn`` would for a wrong number of arguments."""
    code = fn.__code__
    flags = code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS)
    n = code.co_argcount + code.co_kwonlyargcount + bool(flags & inspect.CO_VARARGS) \
        + bool(flags & inspect.CO_VARKEYWORDS)
    template = _empty.__code__
    changes = dict(co_argcount=code.co_argcount, co_posonlyargcount=code.co_posonlyargcount,
                   co_kwonlyargcount=code.co_kwonlyargcount, co_nlocals=n,
                   co_varnames=code.co_varnames[:n], co_flags=template.co_flags | flags,
                   co_name=code.co_name)
    if hasattr(code, "co_qualname"):
        changes["co_qualname"] = code.co_qualname
    stub = types.FunctionType(template.replace(**changes), {}, fn.__name__, fn.__defaults__)
    stub.__kwdefaults__ = fn.__kwdefaults__
    return stub if self_obj is None else types.MethodType(stub, self_obj)


def _empty():
    return None


def _check_arity(fn, self_obj, args) -> None:
    """A wrong number of arguments raises the TypeError calling ``fn`` itself would."""
    if isinstance(fn, GradFunction):  # a gradient of a gradient: as calling that one
        inner_fn, inner_self = fn._target()
        inner_args = list(args[:-1]) if fn.spec.sens and args else list(args)
        if not (fn.spec.sens and not args):
            _check_arity(inner_fn, inner_self, inner_args)
        return
    if not isinstance(fn, types.FunctionType):
        return
    try:
        stub = _arity_stub(fn, self_obj)
    except (TypeError, ValueError, AttributeError):  # another Python: normalize checks
        return
    stub(*args)


def _fn_key(fn):
    return ("obj", id(fn))


def _ref(fn):
    try:
        return weakref.ref(fn)
    except TypeError:
        return lambda: fn


def _weights_tuple(weights):
    if weights is None:
        return None, False
    if isinstance(weights, Parameter):
        return (weights,), True
    if isinstance(weights, (list, tuple, ParameterTuple)):
        ws = tuple(weights)
        for w in ws:
            if not isinstance(w, Parameter):
                raise GradientAPIError("weights must be Parameters (e.g. net.trainable_params())"
                                       "; got %s" % type(w).__name__)
        return ws, False
    if hasattr(weights, "trainable_params"):
        return tuple(weights.trainable_params()), False
    raise GradientAPIError("weights must be a Parameter, a list or a ParameterTuple of them, "
                           "or None; got %s" % type(weights).__name__)


def _check_position(grad_position):
    if grad_position is None or isinstance(grad_position, int):
        return grad_position
    if isinstance(grad_position, (tuple, list)) and all(isinstance(p, int) for p in grad_position):
        if not grad_position:
            raise GradientAPIError("grad_position=() selects no input; use None with weights")
        return tuple(grad_position)
    raise GradientAPIError("grad_position must be an int, a tuple of ints or None; got %r"
                           % (grad_position,))


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
    GradCell.__doc__ = cls.__doc__
    assert issubclass(GradCell, Cell)
    return GradCell


class _ConstructOf:
    """A Cell seen through its construct (so that __call__ overrides do not recurse)."""

    def __new__(cls, cell):
        return cell


def _is_cell_class(obj) -> bool:
    if not isinstance(obj, type):  # (the common case, before any import)
        return False
    return issubclass(obj, Cell)


def _static(fn):
    fn._autograd_st_static = True
    return fn


def _transform(fn, grad_position, weights, has_aux, value):
    grad_position = _check_position(grad_position)
    ws, single = _weights_tuple(weights)
    if grad_position is None and ws is None:
        raise GradientAPIError("grad_position=None and weights=None: nothing to differentiate. "
                               "Pass weights=net.trainable_params() or a grad_position")
    spec = Spec("grad", grad_position, ws, has_aux, value, False, single)
    if _is_cell_class(fn):
        return _decorate_class(fn, lambda cell: GradFunction(cell, spec))
    return GradFunction(fn, spec)


@_static
def grad(fn=None, grad_position=0, weights=None, has_aux=False, return_ids=False):
    """``ops.grad``: a function returning the gradients of ``fn`` (MindSpore semantics)."""
    if fn is None:
        return lambda f: grad(f, grad_position, weights, has_aux)
    return _transform(fn, grad_position, weights, has_aux, value=False)


@_static
def value_and_grad(fn=None, grad_position=0, weights=None, has_aux=False, return_ids=False):
    """``ops.value_and_grad``: returns ``(value, gradients)``."""
    if fn is None:
        return lambda f: value_and_grad(f, grad_position, weights, has_aux)
    return _transform(fn, grad_position, weights, has_aux, value=True)


class GradOperation:
    """``ops.GradOperation(get_all=False, get_by_list=False, sens_param=False)``.

    ``GradOperation()(net)`` (or ``(net, params)`` with ``get_by_list``) is the gradient
    function.  Used as a decorator over a function it gives that function's gradient
    function; over a Cell class, a Cell class whose instances return the gradients.
    """

    _autograd_st_static = True

    def __init__(self, get_all: bool = False, get_by_list: bool = False,
                 sens_param: bool = False) -> None:
        self.get_all = bool(get_all)
        self.get_by_list = bool(get_by_list)
        self.sens_param = bool(sens_param)

    def __call__(self, fn, weights=None):
        # `self.grad_op(self.net)` inside construct (the tutorials' GradNetWrtX) runs on every
        # call: the same network and weights object give back the same gradient function,
        # found before anything else is done (get_by_list without weights reads the
        # network's trainable Parameters again each time: not remembered this way)
        memo = self.__dict__.get("_memo")
        if memo is not None:
            found = memo.get((id(fn), id(weights)))
            if found is not None and found[0] is fn and found[1] is weights:
                return found[2]
        if _is_cell_class(fn):
            return _decorate_class(fn, lambda cell: self(cell, weights))
        if self.get_by_list:
            ws, _ = _weights_tuple(weights if weights is not None else
                                   (fn.trainable_params() if hasattr(fn, "trainable_params")
                                    else None))
            if ws is None:
                raise GradientAPIError("GradOperation(get_by_list=True) needs the weights: "
                                       "grad_op(net, ParameterTuple(net.trainable_params()))")
        else:
            ws = None
        spec = Spec("gradop", "all" if self.get_all else 0, ws, False, False, self.sens_param)
        if _is_cell_class(fn):
            return _decorate_class(fn, lambda cell: GradFunction(cell, spec))
        # the same network and weights: the same gradient function (and its per-call cache).
        # Only a weights object that cannot change (None, a tuple: ParameterTuple is one) is
        # remembered by identity; a list is looked up by the Parameters it holds now
        memo = self.__dict__.setdefault("_memo", {})
        key = (id(fn), spec.key())
        found = memo.get(key)
        if found is None or found[0] is not fn:
            found = (fn, None, GradFunction(fn, spec))
            if len(memo) > 16:
                memo.clear()
            memo[key] = found
        if (weights is None and not self.get_by_list) or isinstance(weights, tuple):
            memo[(id(fn), id(weights))] = (fn, weights, found[2])
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
