"""What a gradient function is asked for, as data, and the compile it leads to.

Takes: the options of MindSpore's API (``grad_position``, ``weights``, ``has_aux``, and
value-and-grad; ``get_all``, ``get_by_list``, ``sens_param``; ``ops.vjp``'s form) and, at a
first call, the function, its target and its arguments.
Gives: a :class:`GradRequest`, frozen, with named fields, that answers in data: which
positions are differentiated (checked against the call), where ``sens`` is, which outputs
are seeded, and the layout of the result (a :class:`~autograd_st.compiler.Ref` tree: an
argument's gradient has the argument's structure, tuples, lists, dicts and None for a leaf
that is not a Tensor, as JAX gives; MindSpore 2.10 gives ``()`` for such arguments).
``compile_gradient`` turns a request and a call into the compiler's
:class:`~autograd_st.compiler.GradientPlan` and builds it; ``compile_jvp`` does the same for
forward mode.  This is the one place that knows those options.
"""
from __future__ import annotations

import inspect
import types
from dataclasses import dataclass

import numpy as np

from .. import compiler  # its passes load on the first compile (compiler.normalize_function...)
from ..cell import Cell
from ..compiler.ir import RUNTIME, leaves, resolve_input, runtime_tuples
from ..compiler.markers import is_gradient_function
from ..compiler.plan import GradientPlan, Ref
from ..errors import CompileError, GradientAPIError
from ..prims import Sym
from ..promotion import kind as kind_of
from ..tensor import Parameter, ParameterTuple, Tensor
from .values import argspec, count_leaves, grad_tree, runtime_leaves

__all__ = ["GradRequest", "weights_tuple", "check_position", "compile_gradient",
           "compile_jvp", "target_of", "check_arity", "result_positions"]


@dataclass(frozen=True)
class GradRequest:
    """Which gradients, and in which structure (hashable through ``key``).

    ``style``: ``"grad"`` (ops.grad / value_and_grad), ``"gradop"`` (GradOperation) or
    ``"vjp"`` (ops.vjp's vjp_fn: one gradient per input, always a tuple); ``positions``: an
    int, a tuple of ints, None, or ``"all"``; ``weights``: a tuple of Parameters or None;
    ``single_weight``: ``weights`` was one Parameter (its gradient is returned bare).
    """

    style: str
    positions: object
    weights: tuple | None = None
    has_aux: bool = False
    value: bool = False
    sens: bool = False
    single_weight: bool = False
    ready_hook: bool = False  # the backward reports weight gradients as they complete
    # (``grad_ready``): nn.DistributedGradReducer overlaps its all-reduce with the backward
    float_grads: bool = False  # Python floats get gradients in any style (check_grads)

    @classmethod
    def for_grad(cls, grad_position, weights, has_aux=False, value=False) -> "GradRequest":
        """``ops.grad`` / ``ops.value_and_grad``."""
        grad_position = check_position(grad_position)
        ws, single = weights_tuple(weights)
        if grad_position is None and ws is None:
            raise GradientAPIError("grad_position=None and weights=None: nothing to "
                                   "differentiate. Pass weights=net.trainable_params() or a "
                                   "grad_position")
        return cls("grad", grad_position, ws, bool(has_aux), bool(value), False, single)

    @classmethod
    def for_gradop(cls, get_all, get_by_list, sens_param, fn, weights) -> "GradRequest":
        """``GradOperation(get_all, get_by_list, sens_param)(fn, weights)``."""
        ws = None
        if get_by_list:
            if weights is None and hasattr(fn, "trainable_params"):
                weights = fn.trainable_params()
            ws, _ = weights_tuple(weights)
            if ws is None:
                raise GradientAPIError("GradOperation(get_by_list=True) needs the weights: "
                                       "grad_op(net, ParameterTuple(net.trainable_params()))")
        return cls("gradop", "all" if get_all else 0, ws, False, False, bool(sens_param))

    @classmethod
    def for_vjp(cls, weights=None, has_aux=False) -> "GradRequest":
        """``ops.vjp``'s vjp_fn: the output's gradient is the last argument."""
        ws, _ = weights_tuple(weights)
        return cls("vjp", "all", ws, bool(has_aux), False, True)

    def key(self) -> tuple:
        """The request in a cache key (weights by identity)."""
        return (self.style, self.positions, None if self.weights is None
                else tuple(id(w) for w in self.weights), self.has_aux, self.value, self.sens,
                self.single_weight, self.ready_hook, self.float_grads)

    def split_sens(self, args) -> tuple:
        """``(call arguments, (sens,) or ())``: with ``sens``, the last argument is the
        output's gradient."""
        if not self.sens:
            return list(args), ()
        if not args:
            raise GradientAPIError("sens_param=True: the last argument must be the output's "
                                   "gradient (sens), but no argument was given")
        return list(args[:-1]), tuple(args[-1:])

    def positions_for(self, n_args: int, qualname: str) -> tuple:
        """The differentiated positions for a call with ``n_args`` positional arguments."""
        if self.style == "gradop" and self.positions != "all" and self.weights is not None:
            return ()  # get_by_list alone: the weights' gradients only (no input's is built)
        if self.positions == "all":
            positions = tuple(range(n_args))
        elif self.positions is None:
            positions = ()
        elif isinstance(self.positions, int):
            positions = (self.positions,)
        else:
            positions = tuple(self.positions)
        for p in positions:
            if p < 0:
                raise GradientAPIError("grad_position %d is negative: MindSpore counts inputs "
                                       "from 0; pass %d instead" % (p, p % max(n_args, 1)))
            if not -n_args <= p < n_args:
                raise GradientAPIError(
                    "grad_position %d is out of range: %s takes %d positional argument%s"
                    % (p, qualname, n_args, "" if n_args == 1 else "s"))
        if self.style == "gradop" and self.positions != "all" and not self.weights \
                and n_args == 0:
            raise GradientAPIError("GradOperation() differentiates the first input, but %s "
                                   "takes no inputs; use get_by_list=True" % qualname)
        return tuple(p % n_args for p in positions) if n_args else ()

    def seeded(self, result, qualname: str) -> tuple:
        """Per output leaf of ``result`` (a structure of Syms), whether it is differentiated:
        all of them, or with ``has_aux`` the first output's only."""
        out_leaves = leaves(result)
        if not self.has_aux:
            return (True,) * len(out_leaves)
        if not isinstance(result, tuple) or len(result) < 2:
            raise GradientAPIError(
                "has_aux=True needs %s to return a tuple (loss, aux, ...); it returns one "
                "value. Set has_aux=False" % qualname)
        first = {id(s) for s in leaves(result[0])}
        return tuple(id(s) in first for s in out_leaves)

    def layout(self, arg_trees, n_weights: int):
        """The result's structure: ``arg_trees`` holds each differentiated argument's gradient
        structure (``Ref("arg", k)`` for its k-th leaf, None for a constant leaf; a plain
        Tensor argument is one Ref), then ``Ref("weight", j)``, ``Ref("value")``,
        ``Ref("aux")`` (MindSpore's structures; ``grad_position=(0,)`` gives a bare
        gradient, as MindSpore does)."""
        args = list(arg_trees)
        ws = tuple(Ref("weight", j) for j in range(n_weights))
        if self.style == "vjp":
            return (tuple(args), ws) if self.weights is not None else tuple(args)
        if self.style == "gradop":
            inputs = tuple(args) if self.positions == "all" else (args[0] if args else ())
            if self.weights is not None and self.positions == "all":
                grads = (inputs, ws)
            elif self.weights is not None:
                grads = ws
            else:
                grads = inputs
        else:
            if self.positions is None:
                pos = None
            elif not args:  # only Python numbers asked for: no gradient, as in MindSpore
                pos = ()
            elif isinstance(self.positions, int) or len(args) == 1:
                pos = args[0]
            else:
                pos = tuple(args)
            if self.weights is None:
                grads = pos
            else:
                w = ws[0] if self.single_weight else ws
                grads = w if pos is None else (pos, w)
        if self.value:
            return (Ref("value"), grads)
        if self.has_aux:
            return (grads, Ref("aux"))
        return grads


def weights_tuple(weights) -> tuple:
    """``(tuple of Parameters or None, whether one Parameter was given)``."""
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


def check_position(grad_position):
    """``grad_position`` as an int, a tuple of ints or None (or a GradientAPIError)."""
    if grad_position is None or isinstance(grad_position, int):
        return grad_position
    if isinstance(grad_position, (tuple, list)) and all(isinstance(p, int) for p in grad_position):
        if not grad_position:
            raise GradientAPIError("grad_position=() selects no input; use None with weights")
        return tuple(grad_position)
    raise GradientAPIError("grad_position must be an int, a tuple of ints or None; got %r"
                           % (grad_position,))


def no_gradient(value, style: str, mindspore_style: bool) -> bool:
    """Whether an argument is a Python number that gets no gradient, as in MindSpore 2.10:
    an int or a bool always (``grad`` and ``GradOperation``); a float in MindSpore's style (a
    GradOperation, a Cell, or a call with Tensors), not in numpy's (``ops.grad`` of a
    function of numpy arrays and floats only: their gradients, as in autograd and JAX)."""
    if style == "vjp" or isinstance(value, np.generic):
        return False
    if isinstance(value, float):
        return mindspore_style
    return isinstance(value, int)


def weak_scalars(self_obj, call_args) -> bool:
    """Whether the compile follows MindSpore's rule for numpy scalars in arithmetic (a Cell's
    code, or a function called with Tensors); numpy in keeps numpy's (normalize.WEAK_SCALARS)."""
    return isinstance(self_obj, Cell) or _holds_tensor(list(call_args))


def _holds_tensor(value) -> bool:
    if isinstance(value, Tensor):
        return True
    if isinstance(value, (tuple, list)):
        return any(_holds_tensor(v) for v in value)
    if type(value) is dict:
        return any(_holds_tensor(v) for v in value.values())
    return False


def target_of(fn) -> tuple:
    """``(function, self)``: what is compiled for a Cell (its ``construct``, the
    instance's own where one was set), a user's primitive (its ``__call__``), a bound
    method or a function (:func:`compiler.function_of`)."""
    return compiler.function_of(fn)


# ---------------------------------------------------------------------------------------
# compiling
# ---------------------------------------------------------------------------------------

def compile_gradient(request: GradRequest, fn, self_obj, args, recompute=False) -> tuple:
    """``(GradientArtifact, inner)`` for calling ``fn`` (bound to ``self_obj``) with ``args``
    (the sens included); ``inner``: ``(gradient function, argspec, its generated code)``
    when ``fn`` is itself a gradient function (a derivative of a derivative)."""
    call_args, sens = request.split_sens(args)
    spec = argspec(call_args)
    code, n_tail = _innermost_code(fn)
    if not n_tail:
        check_arity(fn, self_obj, call_args)
    if getattr(self_obj, "_forward_pre_hooks", None) or getattr(self_obj, "_forward_hooks", None) \
            or getattr(self_obj, "_backward_hooks", None) \
            or getattr(self_obj, "_backward_pre_hooks", None):
        raise GradientAPIError(
            "%s has forward or backward hooks, which run when a Cell is called from the code being "
            "differentiated, not around the Cell differentiated itself; differentiate a "
            "function that calls it: ops.grad(lambda x: net(x))" % type(self_obj).__name__)
    source = inner = None
    weak = weak_scalars(self_obj, call_args)
    if is_gradient_function(fn):  # a derivative of a derivative
        inner_gfn = fn
        fn, source = compiler.generated_source(fn, spec)
        inner = (inner_gfn, spec, fn)
        fir = compiler.normalize_function(fn, self_obj, _generated_spec(inner_gfn, spec), source,
                                          weak)
    else:
        fir = compiler.normalize_function(fn, self_obj, spec, source, weak)
    if compiler.has_bprop(self_obj):  # the Cell's own bprop is its backward
        fir = compiler.wrap_in_call(fir, self_obj, spec)
    objects = [resolve_input(inp, self_obj, fn) for inp in fir.inputs]
    if weak:  # MindSpore's result dtypes where an integer array meets a float (promote.py)
        fir = _promoted(fir, runtime_leaves(call_args, spec), objects)
    n_args = len(call_args)
    positions, leaf_owner = _positions(request, self_obj, call_args, spec, n_tail,
                                       fir.qualname)
    if len(leaf_owner) != len(leaves(fir.args)):  # pragma: no cover - a compiler bug
        raise CompileError("internal error: %s binds %d runtime leaves for %d"
                           % (fir.qualname, len(leaves(fir.args)), len(leaf_owner)))
    for p in positions:
        if p not in leaf_owner:
            raise GradientAPIError(
                "argument %d of %s is a constant (%r), not a Tensor: it has no gradient. "
                "Pass a Tensor or leave it out of grad_position"
                % (p, fir.qualname, type(call_args[p]).__name__))
    wrt_args = tuple(i for p in positions for i, owner in enumerate(leaf_owner) if owner == p)
    counter = [0]  # the Refs number the differentiated leaves in wrt_args order
    trees = [grad_tree(call_args[p], spec[p], counter) for p in positions]
    if code is not None and code.co_flags & inspect.CO_VARKEYWORDS and positions \
            and positions[-1] == n_args - 1 and isinstance(trees[-1], dict):
        trees[-1:] = trees[-1].values()  # **kwargs' gradients follow the others, flat
    # per argument leaf (in the order the generated function takes them): its dtype, which
    # its gradient is given (a Python float has none)
    dtypes = [getattr(v, "dtype", None) for v in runtime_leaves(call_args, spec)]
    if sens:  # (its structure is in the cache key: checked once per structure)
        check_sens(fir.result[0] if request.has_aux else fir.result, sens[0], fir.qualname,
                   rt_tuples=runtime_tuples(fir))
    weights = tuple(request.weights or ())
    plan = GradientPlan(
        wrt_args=wrt_args, layout=request.layout(trees, len(weights)),
        weights=weights, frozen=tuple(w for w in weights if not w.requires_grad),
        seeded=request.seeded(fir.result, fir.qualname), sens=request.sens,
        sens_of_first=request.has_aux,
        int_args=tuple(d is not None and d.kind in "iub" for d in dtypes),
        typed_args=tuple(d is not None for d in dtypes), recompute=recompute,
        ready_hook=request.ready_hook)
    return compiler.build_gradient(fir, plan, objects), inner


def _promoted(fir, leaf_values, objects):
    """``fir`` as ``compiler.promote_dtypes`` makes it for these argument leaves and input
    objects (``fir`` itself when their number is not its own: a derivative's code, whose
    casts were made when it was built)."""
    kinds = [kind_of(v) for v in leaf_values]
    if len(kinds) != len(leaves(fir.args)):
        return fir
    return compiler.promote_dtypes(fir, kinds, compiler.input_kinds(objects))


def _innermost_code(fn) -> tuple:
    """``(code, n_tail)``: the code object whose parameters a call of ``fn`` binds (a
    derivative's call is bound as its function's) and how many values the boundary appended
    to the call for its keyword-only parameters and ``**kwargs`` (one each)."""
    innermost = fn
    while is_gradient_function(innermost) and hasattr(innermost, "fn"):
        innermost = target_of(innermost.fn)[0]
    code = getattr(innermost, "__code__", None)
    n_tail = 0 if code is None else code.co_kwonlyargcount + bool(
        code.co_flags & inspect.CO_VARKEYWORDS)
    return code, n_tail


def _positions(request, self_obj, call_args, spec, n_tail, qualname) -> tuple:
    """``(positions, leaf_owner)``: the differentiated positions whose gradients the result
    holds, in its order, and the argument each runtime leaf (each parameter of the generated
    code) belongs to.  MindSpore 2.x gives no gradient for a Python number argument: it is
    left out of the result (GradOperation(get_all=True)(f)(1, t) is (dt,), f(1, 2)'s is ())."""
    n_args = len(call_args)
    leaf_owner = [i for i, sp in enumerate(spec) for _ in range(count_leaves(sp))]
    mindspore_style = not request.float_grads and (
        request.style == "gradop" or isinstance(self_obj, Cell) or _holds_tensor(call_args))
    positions = tuple(p for p in request.positions_for(n_args, qualname)
                      if not no_gradient(call_args[p], request.style, mindspore_style)
                      and not (p >= n_args - n_tail and p not in leaf_owner))
    return positions, leaf_owner


def result_positions(request, fn, self_obj, args, qualname) -> tuple:
    """The positions of ``args`` (the sens included) whose gradients a call's result holds,
    in its order (those :func:`compile_gradient` differentiates)."""
    call_args, _ = request.split_sens(args)
    return _positions(request, self_obj, call_args, argspec(call_args),
                      _innermost_code(fn)[1], qualname)[0]


def _default_tail(fn) -> list:
    """What a call with positional arguments only gives a function's keyword-only parameters
    and ``**kwargs`` (their defaults and ``{}``), as normalize.split_extended takes them."""
    code = getattr(fn, "__code__", None)
    if code is None or not (code.co_kwonlyargcount or code.co_flags & inspect.CO_VARKEYWORDS):
        return []
    tail = []
    for name in code.co_varnames[code.co_argcount:code.co_argcount + code.co_kwonlyargcount]:
        default = (fn.__kwdefaults__ or {}).get(name, inspect.Parameter.empty)
        if default is inspect.Parameter.empty:
            raise TypeError("%s() missing 1 required keyword-only argument: '%s'"
                            % (fn.__qualname__, name))
        tail.append(default)
    return tail + ([{}] if code.co_flags & inspect.CO_VARKEYWORDS else [])


def _generated_spec(gfn, spec) -> list:
    """The spec a gradient function's generated code is normalized with: it takes each
    runtime leaf of its arguments as a parameter of its own (its sens whole)."""
    inner_args, _ = gfn.request.split_sens(list(spec))
    return [RUNTIME] * sum(count_leaves(sp) for sp in inner_args) + list(spec[len(inner_args):])


def check_sens(result, sens, qualname: str, where: str = "", rt_tuples=()) -> None:
    """The output's gradient (``sens``) has the structure of the output it is for: a tuple
    or list per tuple or list (either), a dict with the same keys per dict, one value per
    runtime leaf, a tuple or list per leaf in ``rt_tuples`` (a tuple whose length is known
    at run time, ``return ops.split(x, 3)``: its length checked then) (a GradientAPIError
    otherwise, before anything runs)."""
    if isinstance(result, Sym) and result.var.name in rt_tuples:
        if not isinstance(sens, (tuple, list)):
            raise _sens_error(qualname, where, "a tuple (one gradient per part)", sens)
        return
    if isinstance(result, Sym):
        if isinstance(sens, (tuple, list, dict)):
            raise _sens_error(qualname, where, "one value", sens)
        return
    if isinstance(result, (tuple, list)) and leaves(result):
        if not isinstance(sens, (tuple, list)) or len(sens) != len(result):
            raise _sens_error(qualname, where, "a %s of %d" % (type(result).__name__,
                                                               len(result)), sens)
        for i, (r, s) in enumerate(zip(result, sens)):
            check_sens(r, s, qualname, "%s[%d]" % (where, i), rt_tuples)
    elif type(result) is dict and leaves(result):
        if type(sens) is not dict or set(sens) != set(result):
            raise _sens_error(qualname, where, "a dict with keys %s" % _keys(result), sens)
        for k, r in result.items():
            check_sens(r, sens[k], qualname, "%s[%r]" % (where, k), rt_tuples)


def _keys(d) -> str:
    return ", ".join(sorted(map(repr, d)))


def _sens_error(qualname, where, want, sens) -> GradientAPIError:
    if isinstance(sens, (tuple, list)):
        got = "a %s of %d" % (type(sens).__name__, len(sens))
    elif type(sens) is dict:
        got = "a dict with keys %s" % _keys(sens)
    else:
        got = "one value"
    return GradientAPIError(
        "the output's gradient (sens) must have the structure of %s's output: sens%s should "
        "be %s but it is %s; pass one gradient per output, in the output's structure"
        % (qualname, where, want, got))


def compile_jvp(fn, inputs) -> tuple:
    """``(FuncIR, CompiledJvp, input objects)``: forward-mode code for ``fn`` at these
    inputs' kinds, every runtime argument leaf carrying a tangent (cached by the compiler)."""
    f, self_obj = target_of(fn) if isinstance(fn, Cell) else (fn, None)
    spec = argspec(list(inputs)) + _default_tail(f)
    source = None
    weak = weak_scalars(self_obj, inputs)
    if is_gradient_function(f):  # forward over reverse
        gfn = f
        f, source = compiler.generated_source(f, spec)
        fir = compiler.normalize_function(f, self_obj, _generated_spec(gfn, spec), source, weak)
    else:
        fir = compiler.normalize_function(f, self_obj, spec, source, weak)
    objects = [resolve_input(inp, self_obj, f) for inp in fir.inputs]
    if weak:
        fir = _promoted(fir, runtime_leaves(list(inputs), spec), objects)
    n_leaves = len(leaves(fir.args))
    compiled = compiler.build_jvp(fir, (True,) * n_leaves, (False,) * len(fir.inputs))
    return fir, compiled, objects


# ---------------------------------------------------------------------------------------
# the number of arguments
# ---------------------------------------------------------------------------------------

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
    stub.__qualname__ = fn.__qualname__  # (Python 3.10 names the function by it in errors)
    return stub if self_obj is None else types.MethodType(stub, self_obj)


def _empty():
    return None


def check_arity(fn, self_obj, args) -> None:
    """A wrong number of arguments raises the TypeError calling ``fn`` itself would."""
    if is_gradient_function(fn):  # a gradient of a gradient
        if not (fn.request.sens and not args):
            inner_args, _ = fn.request.split_sens(args)
            check_arity(*target_of(fn.fn), inner_args)
        return
    if not isinstance(fn, types.FunctionType):
        return
    try:
        stub = _arity_stub(fn, self_obj)
    except (TypeError, ValueError, AttributeError):  # another Python: normalize checks
        return
    stub(*args)
