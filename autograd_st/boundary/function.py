"""``GradFunction``: what ``grad``, ``value_and_grad``, ``GradOperation`` and ``vjp`` give.

Takes: the function or Cell to differentiate and a :class:`~.request.GradRequest`.
Gives: a callable whose per-call path is one cache lookup keyed by the kinds of the
arguments (float Tensor, int Tensor, Python number ...) and the structure epoch, the
artifact's hot guards (what the code folded in that can change without the epoch moving),
then the artifact's entry (unwrap, call the generated function, wrap).  Everything else happens
once, at the first call for those kinds: keyword binding as MindSpore binds, the compile,
and the checks that make cached code safe to reuse.
"""
from __future__ import annotations

import dataclasses
import inspect
import threading
import types
import weakref
from collections import OrderedDict

import numpy as np

from .. import (
    compiler,  # its passes load on the first compile
    jit_numba,
)
from ..cell import Cell
from ..compiler.cache import gc_paused
from ..compiler.ir import RUNTIME
from ..compiler.plan import Ref
from ..context import is_jit
from ..errors import GradientAPIError
from ..tensor import TENSOR_HOOKS, Tensor, _structure_epoch, eager_hooks
from .artifact import Artifact
from .request import GradRequest, compile_gradient, result_positions, target_of
from .tracebacks import located
from .values import argspec, kind

__all__ = ["GradFunction"]


def _hooked(layout, out, by_input: dict, by_weight: dict):
    """``out`` (a result of ``layout``, whose ``Ref("arg", p)`` is argument ``p``'s
    gradient) with the hooks of ``by_input`` / ``by_weight`` (position or weight index ->
    hooks) run on the gradients they belong to."""
    if type(layout) is Ref:
        hooks = by_input.get(layout.index) if layout.kind == "arg" else \
            by_weight.get(layout.index) if layout.kind == "weight" else None
        for hook in hooks or ():
            new = hook(out)
            if new is not None:
                out = new
        return out
    if type(layout) in (tuple, list) and type(out) in (tuple, list) \
            and len(layout) == len(out):
        return type(out)(_hooked(sub, o, by_input, by_weight) for sub, o in zip(layout, out))
    return out

_LOCK = threading.RLock()
_GLOBAL: "OrderedDict" = OrderedDict()  # (fn, request, kinds, recompute) -> (ref, Artifact)
_GLOBAL_SIZE = 1024
_MISSING = object()
_UNHOOKED = object()  # _with_eager_hooks: the call has no eager hook to apply
_UNALIASED = object()  # _with_aliases: no differentiated argument is passed twice
# GradFunction -> {positions taken apart: its inner GradFunction} (kept off the instance:
# its attributes are its call path's)
_ALIAS_INNER: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _refs(layout, out, found: dict) -> None:
    """Each ``Ref`` of ``layout`` -> the part of ``out`` (a result of ``layout``) it is."""
    if type(layout) is Ref:
        found[layout] = out
    elif type(layout) in (tuple, list) and type(out) in (tuple, list):
        for sub, o in zip(layout, out):
            _refs(sub, o, found)
    elif type(layout) is dict and isinstance(out, dict):
        for k, sub in layout.items():
            _refs(sub, out[k], found)


def _filled(layout, values: dict):
    """``layout`` with each Ref replaced by its value in ``values``."""
    if type(layout) is Ref:
        return values[layout]
    if type(layout) in (tuple, list):
        return type(layout)(_filled(sub, values) for sub in layout)
    if type(layout) is dict:
        return {k: _filled(sub, values) for k, sub in layout.items()}
    return layout


def _shares_a_tensor(args) -> bool:
    """Whether one Tensor object is passed as two of ``args``."""
    ids = [id(a) for a in args if isinstance(a, Tensor)]
    return len(ids) != len(set(ids))


def _has_tail(fn) -> bool:
    """Whether ``fn`` (a function, a method or a Cell) has keyword-only parameters or
    ``**kwargs``."""
    if getattr(fn, "_autograd_st_grad_function", False):  # a derivative of such a function
        return fn._tail                                    # binds its call the same way
    target, _ = target_of(fn)
    code = getattr(target, "__code__", None)
    return code is not None and bool(code.co_kwonlyargcount
                                     or code.co_flags & inspect.CO_VARKEYWORDS)


def _ref(fn):
    try:
        return weakref.ref(fn)
    except TypeError:
        return lambda: fn


class GradFunction:
    """A function that returns gradients.  ``.source(*args)`` is the generated code it runs
    for those arguments.  It pickles and deep-copies at any time (see ``__reduce__``)."""

    _autograd_st_grad_function = True  # read by the compiler: a call to it is compiled

    def __init__(self, fn, request: GradRequest, jit: bool = False) -> None:
        if not callable(fn):
            raise TypeError("expected a function or a Cell to differentiate, got %r" % (fn,))
        self.fn = fn
        self.request = request
        # ms.jit: the generated code runs fused by numba (compiler/fuse.py), when it can
        self.jit = bool(jit) or is_jit(fn)
        self._fast: dict = {}
        self._is_cell = isinstance(fn, Cell)
        # keyword-only parameters or **kwargs: every call binds them (_extended_args)
        self._tail = _has_tail(fn)
        self._last_art = None
        self.__name__ = getattr(fn, "__name__", type(fn).__name__) + "_grad"
        self.__qualname__ = self.__name__
        self.__doc__ = "Gradient of %s." % getattr(fn, "__qualname__", type(fn).__name__)

    # pickling and copying ----------------------------------------------------------------
    def __reduce__(self):
        """Pickled (and deep-copied) as what it was made from: the function or Cell and the
        request; the generated code is not carried but compiled again, from source, at the
        first call after loading (keyed as the in-memory cache is).  A plain function is
        pickled by reference, as pickle does (it must be importable where it is loaded)."""
        return (GradFunction, (self.fn, self.request, self.jit))

    def with_jit(self) -> "GradFunction":
        """This gradient function on the fused path (what ``ms.jit(ops.grad(f))`` gives)."""
        return self if self.jit else GradFunction(self.fn, self.request, jit=True)

    # the hot path ----------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        try:
            if TENSOR_HOOKS:  # (empty unless a program hooks a Tensor eagerly)
                out = self._with_eager_hooks(args, kwargs)
                if out is not _UNHOOKED:
                    return out
            if kwargs or self._tail:
                args = self._positional(args, kwargs)
            n = len(args)
            if n == 2:  # (spelled out for one and two arguments: no comprehension's frame)
                a, b = args
                if a is b and isinstance(a, Tensor):
                    out = self._with_aliases(args)
                    if out is not _UNALIASED:
                        return out
                kinds = (a._data.dtype.kind if type(a) is Tensor else kind(a),
                         b._data.dtype.kind if type(b) is Tensor else kind(b))
            elif n == 1:
                a = args[0]
                kinds = (a._data.dtype.kind if type(a) is Tensor else kind(a),)
            else:
                kinds = tuple([a._data.dtype.kind if type(a) is Tensor else kind(a)
                               for a in args])
                # an object passed twice at all (identities compared: cheap), then a Tensor
                if (args[0] is args[1] or args[0] is args[2] or args[1] is args[2]
                        if n == 3 else len(set(map(id, args))) != n) \
                        and _shares_a_tensor(args):
                    out = self._with_aliases(args)
                    if out is not _UNALIASED:
                        return out
            art = self._fast.get(kinds)
            if art is not None and art.simple and art.epoch == _structure_epoch[0]:
                return art.entry(*args)
            if art is None or ((art.epoch != _structure_epoch[0] or art.check)
                               and not art.valid(args)) \
                    or (art.hot is not None and not art.hot(args)):
                art = self._artifact(args, kinds)
            if art.effects:
                return art.call_keeping_state(args)
            return art.entry(*args)
        except Exception as exc:  # told where it belongs (boundary/tracebacks.py)
            told = located(exc)
            if told is not exc:
                raise told from exc
            if exc.__traceback__ is None:  # frames dropped (on 3.10 a bare raise
                raise exc                 # would bring them back)
            raise

    def _with_eager_hooks(self, args, kwargs):
        """The call's result with the hooks registered eagerly (``t.register_hook(fn)``
        outside the differentiated function) applied, as MindSpore 2.10 applies them
        (measured): to the gradient returned for a hooked Tensor at a differentiated position
        and for a hooked Parameter among the weights, in registration order (a hook returning
        None keeps the gradient); a hooked Tensor that is not differentiated is left alone.
        ``_UNHOOKED`` when no gradient of this call is hooked."""
        if self.__dict__.get("_hooking"):  # (the call below, made without them)
            return _UNHOOKED
        request = self.request
        fn, self_obj = self._target()
        call_args = self._positional(args, kwargs) if kwargs or self._tail else args
        positions = result_positions(request, fn, self_obj, call_args, self.__name__)
        by_input = {p: eager_hooks(call_args[p]) for p in positions}
        by_input = {p: h for p, h in by_input.items() if h}
        by_weight = {j: eager_hooks(w) for j, w in enumerate(request.weights or ())}
        by_weight = {j: h for j, h in by_weight.items() if h}
        if not by_input and not by_weight:
            return _UNHOOKED
        # (a hooked Tensor passed twice: the call below sums its gradients, _with_aliases,
        # and each position gets the hooked sum, as in MindSpore)
        self.__dict__["_hooking"] = True
        try:
            out = self(*args, **kwargs)
        finally:
            del self.__dict__["_hooking"]
        layout = request.layout([Ref("arg", p) for p in positions],
                                len(request.weights or ()))
        return _hooked(layout, out, by_input, by_weight)

    def _with_aliases(self, args):
        """The call's result when one Tensor object is passed as several arguments, as
        MindSpore 2.10 gives it (measured): the gradient at a differentiated position is the
        sum of the gradients of every argument that is that object (``f(x, x)``'s gradient at
        0 is ``df/da + df/db``; ``mha(x, x, x)``'s at 0 the whole derivative through x).
        Computed as the gradients at those positions taken apart, then summed
        (:meth:`_alias_plan`).  ``_UNALIASED`` when no differentiated argument is passed
        twice (or one that is a tuple, list or dict is differentiated: it stays as it is)."""
        plan = self._alias_plan(args)
        if plan is None:
            return _UNALIASED
        inner, combine = plan
        return combine(inner(*args))

    def _alias_plan(self, args):
        """None, or ``(inner, combine)`` for a call passing one Tensor object as several
        arguments: ``inner`` the gradient function of every position that object is at,
        ``combine`` its result -> this call's (the gradients of one object summed with
        ``+``).  Compiled code asks it too, of runtime values standing in as Tensors (a
        gradient taken inside differentiated code: compiler.frontend), so both sum alike."""
        request = self.request
        if self.__dict__.get("_aliasing") or request.style not in ("grad", "gradop"):
            return None
        fn, self_obj = self._target()
        plain, _ = request.split_sens(args)
        positions = result_positions(request, fn, self_obj, args, self.__name__)
        if not positions or not all(isinstance(plain[p], Tensor) for p in positions):
            return None
        same = {p: [q for q, a in enumerate(plain) if a is plain[p]] for p in positions}
        if all(len(qs) == 1 for qs in same.values()):
            return None
        wrt = list(positions)
        wrt += sorted({q for qs in same.values() for q in qs} - set(positions))
        inners = _ALIAS_INNER.get(self)
        if inners is None:
            inners = _ALIAS_INNER[self] = {}
        inner = inners.get(tuple(wrt))
        if inner is None:
            inner_request = dataclasses.replace(request, style="grad", positions=tuple(wrt))
            inner = GradFunction(self.fn, inner_request, self.jit)
            inner.__dict__["_aliasing"] = True  # (its positions are taken apart already)
            inner.__dict__["_hooking"] = True   # (eager hooks: run on the sums, by the caller)
            inners[tuple(wrt)] = inner
        n_weights = len(request.weights or ())

        def combine(out):
            found: dict = {}
            _refs(inner.request.layout([Ref("arg", i) for i in range(len(wrt))], n_weights),
                  out, found)
            values = {r: v for r, v in found.items() if r.kind != "arg"}
            for i, p in enumerate(positions):
                total = found[Ref("arg", wrt.index(same[p][0]))]
                for q in same[p][1:]:
                    total = total + found[Ref("arg", wrt.index(q))]
                values[Ref("arg", i)] = total
            return _filled(request.layout([Ref("arg", i) for i in range(len(positions))],
                                          n_weights), values)
        return inner, combine

    def _positional(self, args, kwargs) -> tuple:
        """Keyword arguments bound to the parameters they name, as MindSpore binds them: the
        call as positional arguments up to the last parameter given (parameters after it
        are left to their defaults, as when they are not passed), then the sens, which
        stays the last positional argument.  ``grad_position`` counts parameters."""
        if self._tail:
            return self._extended_args(args, kwargs)
        fn, self_obj = self._target()
        args, sens = self.request.split_sens(args)
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

    def _extended_args(self, args, kwargs) -> tuple:
        """The call of a function with keyword-only parameters or ``**kwargs`` as the
        compiler takes it (normalize.split_extended): the named positional arguments
        (defaults filled), the extra ones of ``*args``, each keyword-only value, the
        ``**kwargs`` dict, then the sens.  As in MindSpore, the sens is the last argument
        given, a keyword one too (``grad_op(net)(x, y, w=w, sens=sens)``).  A derivative of a
        gradient function binds its call as that function does (its generated code takes the
        keyword-only values as parameters)."""
        if getattr(self.fn, "_autograd_st_grad_function", False):
            args, sens = self.request.split_sens(args)
            return tuple(self.fn._positional(args, kwargs)) + sens
        fn, self_obj = self._target()
        kwargs = dict(kwargs)
        if self.request.sens and kwargs:
            sens = (kwargs.pop(list(kwargs)[-1]),)
        else:
            args, sens = self.request.split_sens(args)
        signature = inspect.signature(fn)
        lead = (self_obj,) if self_obj is not None else ()
        bound = signature.bind(*lead, *args, **kwargs)  # Python's TypeError if it does not fit
        bound.apply_defaults()
        out = []
        for p in list(signature.parameters.values())[len(lead):]:
            value = bound.arguments[p.name]
            if p.kind == p.VAR_POSITIONAL:
                out.extend(value)
            elif p.kind == p.VAR_KEYWORD:
                out.append(dict(value))
            else:
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

    def _tensors_out(self, args) -> bool:
        """Whether results come back as Tensors: unless the arguments hold arrays and numbers
        but no Tensor (numpy in, numpy out)."""
        if self._is_cell or self.request.weights:
            return True
        found = set()
        _leaf_types(args, found)
        return Tensor in found or not found

    # compiling -------------------------------------------------------------------------
    def _target(self):
        return target_of(self.fn)

    def _artifact(self, args, kinds, recompute=False) -> Artifact:
        epoch = _structure_epoch[0]
        key = (("obj", id(self.fn)), self.request.key(), kinds, recompute, self.jit)
        with _LOCK:
            entry = _GLOBAL.get(key)
        if entry is not None:
            ref, art = entry
            if ref() is self.fn and art.valid(args):
                self._remember(kinds, art, recompute)
                return art
        fn, self_obj = self._target()
        with gc_paused():  # one pause for the whole compile (normalize, then build)
            compiled, inner = compile_gradient(self.request, fn, self_obj, args, recompute)
        call_args, _ = self.request.split_sens(args)
        fused = None
        if self.jit and not recompute and jit_numba.available():
            with gc_paused():
                fused = compiler.fuse_function(compiled.fn)
        art = Artifact(compiled, epoch, len(args), self._tensors_out(args), argspec(call_args),
                       self.request.weights or (), (fn, self_obj), inner, kinds, fused,
                       self.fn if self._is_cell else None)
        with _LOCK:
            _GLOBAL[key] = (_ref(self.fn), art)
            _GLOBAL.move_to_end(key)
            while len(_GLOBAL) > _GLOBAL_SIZE:
                _GLOBAL.popitem(last=False)
        self._remember(kinds, art, recompute)
        return art

    def _remember(self, kinds, art, recompute) -> None:
        if recompute:  # the form higher-order derivatives read: not the per-call fast path
            return
        if len(self._fast) > 64:
            self._fast.clear()
        self._fast[kinds] = art
        self._last_art = art

    def compile(self, *args, **kwargs) -> "GradFunction":
        """Builds the generated code a call with these arguments runs, without running it
        (what a first call compiles, done ahead: a warm-up); returns this function.  Code
        that only runs where a faster branch does not (``compiler/deferred.py``) is built
        when first needed, as on a first call."""
        self._compiled(args, kwargs)
        return self

    def source(self, *args, **kwargs) -> str:
        """The generated gradient code for these arguments (with the callees it calls)."""
        return compiler.full_source(self._compiled(args, kwargs).gradient)

    def _compiled(self, args, kwargs) -> Artifact:
        if kwargs or self._tail:
            args = self._positional(args, kwargs)
        kinds = tuple(map(kind, args))
        art = self._fast.get(kinds)
        if art is None or not art.valid(args):
            art = self._artifact(args, kinds)
        return art

    def jit_source(self, *args, **kwargs) -> str:
        """What ``ms.jit`` runs for these arguments: the fused code, each run's kernels
        and why any of it runs numpy (after a call with such arguments: kernels are
        compiled for the dtypes met).  ``source`` is the numpy code either way."""
        if kwargs or self._tail:
            args = self._positional(args, kwargs)
        kinds = tuple(map(kind, args))
        art = self._fast.get(kinds)
        if art is None or not art.valid(args):
            art = self._artifact(args, kinds)
        if not self.jit:
            return "# not under ms.jit: the numpy code runs\n"
        if not jit_numba.available():
            return "# ms.jit: numba is not installed (pip install autograd_st[jit]): the " \
                "numpy code runs\n"
        return compiler.explain_fusion(art.gradient.fn)

    def _autograd_st_generated(self, argspec=None, guards=False):
        """(function, input names, input objects) of the generated code for arguments shaped
        like ``argspec`` (RUNTIME leaves are taken as float Tensors): what a higher-order
        derivative differentiates again (read by the compiler).  ``guards=True``: and its
        compile's guards that read from objects (those read from its Cell are read from that
        Cell): code compiled from it keeps them, so it is re-made when what they read
        changes (a module-level number ``cfg.S``)."""
        if argspec is None:
            art = self._last_art
            if art is None:
                raise GradientAPIError("cannot tell the arguments of %s" % self.__name__)
        else:
            args = tuple(_example(sp) for sp in argspec)
            kinds = tuple(map(kind, args))
            art = self._artifact(args, kinds, recompute=True)
        if not guards:
            return art.fn, art.gradient.input_names, art.gradient.inputs
        self_obj = art.target[1]
        kept = [g if g.root[0] == "const" else g.rebased(("const", self_obj), (), True)
                for g in art.guards
                if g.root[0] == "const" or (g.root[0] == "self" and self_obj is not None)]
        return art.fn, art.gradient.input_names, art.gradient.inputs, kept


def _leaf_types(value, found: set) -> None:
    """Adds to ``found`` Tensor for each Tensor leaf of ``value`` (tuples, lists, dicts), and
    ndarray for each array or number leaf."""
    if isinstance(value, Tensor):
        found.add(Tensor)
    elif isinstance(value, (np.ndarray, float, np.generic)):
        found.add(np.ndarray)
    elif isinstance(value, (tuple, list)):
        for v in value:
            _leaf_types(v, found)
    elif isinstance(value, dict):
        for v in value.values():
            _leaf_types(v, found)


def _example(sp):
    """An argument of the kind ``sp`` describes (RUNTIME: a float64 Tensor)."""
    if isinstance(sp, tuple):
        return tuple(_example(e) for e in sp)
    if type(sp) is dict:
        return {k: _example(e) for k, e in sp.items()}
    if sp is RUNTIME:
        return Tensor(np.zeros((1,), np.float64))
    return sp
