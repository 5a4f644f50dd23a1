"""The one registry of primitives and their derivative rules.

A *primitive* is a plain numpy function whose body is a single ``return <expression>``; that
expression is the template the code generator prints for a forward call, so generated code
reads like hand-written numpy (``np.tanh(x)``, ``x * y``).

A *reverse rule* (vjp) is written in MindSpore's bprop shape, as an ordinary runnable function::

    @vjp(mul)
    def _(dout, out, x, y):
        return unbroadcast(dout * y, x), unbroadcast(dout * x, y)

It returns one expression per differentiable parameter of the primitive (``None`` where there
is no gradient).  The generator inlines only the expressions it needs, substituting the names
of the call site; the rule also runs as it is, which is how the tests check it.

A *forward rule* (jvp) takes ``out``, the primitive's parameters, then one tangent per
differentiable parameter, named ``"d" + name``::

    @jvp(mul)
    def _(out, x, y, dx, dy):
        return dx * y, x * dy

It returns one expression per differentiable parameter: that parameter's contribution to the
output tangent, linear in its own tangent and already shaped like ``out`` (``broadcast_like``
brings a tangent up to ``out``'s shape where the primitive broadcasts).  The forward-mode
generator sums the contributions of the active parameters; a parameter whose tangent is zero
contributes nothing, so its expression is never emitted.  Rules reuse ``out`` where that is
cheaper (``exp``: ``dx * out``); a linear primitive's rule is the primitive applied to the
tangent.

Primitives with ``diff=()`` have no gradient (comparisons, shapes, ``stop_gradient``).
User code reaches primitives through :mod:`autograd_st.op_table` (``ops.*``, Tensor methods,
numpy functions: one row each) and :mod:`autograd_st.compiler.bindings` (operators, runtime
helpers).  ``register_vjp`` adds rules for new primitives.
"""
from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass, field
from typing import Callable

import gast
import numpy as np

from . import runtime_loops
from .kernels import LOWERED_KERNELS, reduction_share
from .promotion import int_result, power
from .runtime import (  # noqa: F401  (templates read
    accumulate,
    accumulate_tn,
    accumulate_to,
    axis_slice,
    broadcast_like,
    cast_like,  # them; accumulate and sum_to:
    concat2,
    expand_to,
    first_order_value,
    fwdacc_ok,
    grad_ready,
    inplace_ok,
    int_like,
    log_softmax,
    logsumexp,  # the lowering)
    matmul_nt,
    matmul_nt_to,
    matmul_ones,
    matmul_tn,
    matmul_tn_to,
    mp_cast,
    ms_promote,
    numbers_as,
    ones_like,
    ones_matmul_nt,
    ones_matmul_tn,
    relu,
    segment_length,
    shape_of,
    sigmoid,
    softmax,
    stop_gradient,
    sum_ones,
    sum_to,
    unbroadcast,
    ungetitem,
    zeros_like,
)
from .tensor import Tensor, bump_structure_epoch, print_as_tensors
from .user_grads import GradSource, check_user_grads

__all__ = ["Primitive", "REGISTRY", "primitive", "vjp", "jvp", "jvp_params", "get",
           "register_vjp", "rule_parameters", "USER_FUNCTIONS",
           "template_of"]


@dataclass
class Template:
    """A rule or primitive body: local assignments followed by the returned expression(s)."""

    params: list[str]
    prelude: list  # gast.Assign statements
    results: list  # one gast expression per result (None: no gradient)


@dataclass
class Primitive:
    name: str
    fn: Callable
    params: list[str]
    defaults: dict
    diff: tuple[str, ...]
    vjp: Callable | None = None
    jvp: Callable | None = None
    # a derivative that depends on this primitive's inputs but is not implemented: the
    # compiler refuses any gradient or tangent through it (the reason, for the message)
    refused: str | None = None
    # its value is a random draw (each run another): never recomputed (Cell.recompute(),
    # checkpointed loops), moved or merged with another call of the same arguments
    random: bool = False
    # a binary arithmetic operator (parameters x, y) whose operands MindSpore casts to one
    # dtype first (autograd_st/promotion.py): an integer Tensor with a float one, ...
    promotes: bool = False
    # what an eager call runs instead of the template, where numpy's template raises for
    # values MindSpore computes (pow: integers to negative powers, promotion.power)
    eager: Callable | None = None
    _template: Template | None = field(default=None, repr=False)
    _vjp_template: Template | None = field(default=None, repr=False)
    _jvp_template: Template | None = field(default=None, repr=False)

    def __call__(self, *args, **kwargs):
        return self.fn(*args, **kwargs)

    @property
    def template(self) -> Template:
        if self._template is None:
            self._template = template_of(self.fn, single=True)
        return self._template

    @property
    def vjp_template(self) -> Template:
        if self._vjp_template is None:
            self._vjp_template = template_of(self.vjp, single=False)
            want = len(self.diff)
            got = len(self._vjp_template.results)
            if got != want:
                raise TypeError("rule for %r returns %d gradients, expected %d (one per %s)"
                                % (self.name, got, want, ", ".join(self.diff)))
        return self._vjp_template

    @property
    def jvp_template(self) -> Template:
        """The forward rule, parsed: one output-tangent contribution per ``diff`` parameter."""
        if self._jvp_template is None:
            if self.jvp is None:
                raise TypeError("%r has no forward rule; attach one with @jvp(%s)"
                                % (self.name, self.name))
            tmpl = template_of(self.jvp, single=False)
            want = len(self.diff)
            got = len(tmpl.results)
            if got != want:
                raise TypeError("forward rule for %r returns %d tangent contributions, "
                                "expected %d (one per %s)"
                                % (self.name, got, want, ", ".join(self.diff)))
            self._jvp_template = tmpl
        return self._jvp_template


REGISTRY: dict[str, Primitive] = {}


def template_of(fn: Callable, single: bool) -> Template:
    """Parse ``fn``'s source into a :class:`Template`."""
    src = textwrap.dedent(inspect.getsource(fn))
    mod = gast.parse(src)
    fdef = mod.body[0]
    params = [a.id for a in fdef.args.args]
    prelude, results = [], None
    for stmt in fdef.body:
        if isinstance(stmt, gast.Expr) and isinstance(stmt.value, gast.Constant) \
                and isinstance(stmt.value.value, str):
            continue  # docstring
        if isinstance(stmt, gast.Assign):
            prelude.append(stmt)
        elif isinstance(stmt, gast.Return):
            value = stmt.value
            if single:
                results = [value]
            elif isinstance(value, gast.Tuple):
                results = list(value.elts)
            else:
                results = [value]
            results = [None if isinstance(r, gast.Constant) and r.value is None else r
                       for r in results]
        else:
            raise TypeError("template %s: only assignments and one return are allowed"
                            % fn.__name__)
    if results is None:
        raise TypeError("template %s has no return" % fn.__name__)
    return Template(params, prelude, results)


def kernel_of(prim_name: str):
    """Mark a helper as the body of primitive ``prim_name`` (same parameters, same order), so
    that generated code calling it is bound to the primitive when differentiated again."""
    def deco(fn):
        fn._autograd_st_prim = prim_name
        return fn
    return deco


def primitive(name: str | None = None, diff: tuple[str, ...] | None = None,
              refused: str | None = None, random: bool = False, promotes: bool = False,
              eager: Callable | None = None):
    """Register a numpy function as a primitive (``diff``: its differentiable parameters;
    default: the parameters without default values).  ``refused``: its output depends on
    ``diff`` but no rule is written; the compiler refuses a gradient or tangent through it,
    saying this (never a silent zero).  A rule whose own derivative is not written calls such
    a primitive (``ctc_nll_grad``).  ``random``: its value is a random draw (dropout masks,
    ``ops.uniform``): the backward never draws it again.  ``promotes``: a binary operator
    ``(x, y)`` whose operands MindSpore casts to one dtype (``autograd_st/promotion.py``):
    its eager calls on Tensors do, and the compiler puts ``ms_promote`` before it where an
    operand may be an integer array (``compiler/promote.py``).  ``eager``: the function an
    eager call runs instead (its parameters the primitive's), where the template raises for
    values MindSpore computes."""
    def deco(fn):
        sig = inspect.signature(fn)
        params = list(sig.parameters)
        defaults = {k: p.default for k, p in sig.parameters.items()
                    if p.default is not inspect.Parameter.empty}
        d = tuple(k for k in params if k not in defaults) if diff is None else tuple(diff)
        prim = Primitive(name or fn.__name__.rstrip("_"), fn, params, defaults, d,
                         refused=refused, random=random, promotes=promotes, eager=eager)
        if prim.name in REGISTRY:
            raise ValueError("primitive %r is registered twice" % prim.name)
        REGISTRY[prim.name] = prim
        return prim
    return deco


def vjp(prim: Primitive):
    """Attach a reverse rule ``rule(dout, out, *prim_params)`` to ``prim``."""
    def deco(rule):
        want = ["dout", "out"] + prim.params
        got = list(inspect.signature(rule).parameters)
        if got != want:
            raise TypeError("rule for %r must take (%s), not (%s)"
                            % (prim.name, ", ".join(want), ", ".join(got)))
        prim.vjp = rule
        prim._vjp_template = None
        return rule
    return deco


def jvp_params(prim: Primitive) -> list[str]:
    """The parameters of ``prim``'s forward rule: ``out``, the primitive's parameters, then
    the tangent ``"d" + p`` of each differentiable parameter ``p``."""
    return ["out"] + prim.params + ["d" + p for p in prim.diff]


def jvp(prim: Primitive):
    """Attach a forward rule ``rule(out, *prim_params, *tangents)`` to ``prim``; the tangents
    are named ``"d" + p`` for each ``p`` in ``prim.diff``.  The rule returns, per
    differentiable parameter, its contribution to the output tangent, shaped like ``out``."""
    if not prim.diff:
        raise TypeError("%r has no differentiable parameters: it takes no forward rule"
                        % prim.name)
    want = jvp_params(prim)
    clash = sorted({n for n in want if want.count(n) > 1})
    if clash:
        raise TypeError("forward rule for %r: the tangent names clash with a parameter: %s"
                        % (prim.name, ", ".join(clash)))

    def deco(rule):
        got = list(inspect.signature(rule).parameters)
        if got != want:
            raise TypeError("forward rule for %r must take (%s), not (%s)"
                            % (prim.name, ", ".join(want), ", ".join(got)))
        prim.jvp = rule
        prim._jvp_template = None
        return rule
    return deco


def get(name: str) -> Primitive:
    return REGISTRY[name]


def template_globals() -> dict:
    """Objects the primitive and rule templates read as globals, by name (``np`` and the
    runtime helpers): the generated module's globals, never given to a user variable."""
    if version() != _TEMPLATE_GLOBALS_FOR[0]:
        # np, and the helpers only the final lowering writes (compiler/lower.py)
        out = {"np": np, "sum_to": sum_to, "accumulate": accumulate,
               "accumulate_to": accumulate_to, "accumulate_tn": accumulate_tn,
               "matmul_nt_to": matmul_nt_to, "matmul_tn_to": matmul_tn_to,
               "grad_ready": grad_ready, "inplace_ok": inplace_ok, "numbers_as": numbers_as,
               "fwdacc_ok": fwdacc_ok,
               "shape_of": shape_of, "segment_length": segment_length,
               "matmul_ones": matmul_ones, "sum_ones": sum_ones,
               "ones_matmul_nt": ones_matmul_nt, "ones_matmul_tn": ones_matmul_tn,
               "print": print_as_tensors}  # (what the user's print prints: Tensors)
        out.update((n, getattr(runtime_loops, n)) for n in runtime_loops.LOOP_NAMES)
        for pair in LOWERED_KERNELS.values():
            out[pair.fwd.__name__], out[pair.bwd.__name__] = pair.fwd, pair.bwd
        for prim in REGISTRY.values():
            out.update(getattr(prim, "extra_globals", None) or {})
            for fn in (prim.fn, prim.vjp, prim.jvp):
                if fn is None or getattr(prim, "extra_globals", None):
                    continue
                for n in fn.__code__.co_names:
                    if n in fn.__globals__:
                        out.setdefault(n, fn.__globals__[n])
        _TEMPLATE_GLOBALS.clear()
        _TEMPLATE_GLOBALS.update(out)
        _TEMPLATE_GLOBALS_FOR[0] = version()
    return _TEMPLATE_GLOBALS


_TEMPLATE_GLOBALS: dict = {}
_TEMPLATE_GLOBALS_FOR = [-1]
_VERSION = [0]


def version() -> int:
    """Changes whenever a rule is added (code compiled before must be compiled again)."""
    return _VERSION[0] + len(REGISTRY)


# ---------------------------------------------------------------------------------------
# element-wise arithmetic
# ---------------------------------------------------------------------------------------

@primitive(promotes=True)
def add(x, y):
    return x + y


@vjp(add)
def _(dout, out, x, y):
    return unbroadcast(dout, x), unbroadcast(dout, y)


@jvp(add)
def _(out, x, y, dx, dy):
    return broadcast_like(dx, out), broadcast_like(dy, out)


@primitive(promotes=True)
def sub(x, y):
    return x - y


@vjp(sub)
def _(dout, out, x, y):
    return unbroadcast(dout, x), unbroadcast(-dout, y)


@jvp(sub)
def _(out, x, y, dx, dy):
    return broadcast_like(dx, out), broadcast_like(-dy, out)


@primitive(promotes=True)
def mul(x, y):
    return x * y


@vjp(mul)
def _(dout, out, x, y):
    return unbroadcast(dout * y, x), unbroadcast(dout * x, y)


@jvp(mul)
def _(out, x, y, dx, dy):
    return dx * y, x * dy


@primitive(promotes=True)
def div(x, y):
    return x / y


@vjp(div)
def _(dout, out, x, y):
    return unbroadcast(dout / y, x), unbroadcast(-dout * out / y, y)


@jvp(div)
def _(out, x, y, dx, dy):
    return dx / y, -dy * out / y


@primitive(promotes=True, eager=power)
def pow_(x, y):
    return x ** y


@vjp(pow_)
def _(dout, out, x, y):
    return (unbroadcast(dout * y * x ** (y - 1), x),
            unbroadcast(dout * out * np.log(np.where(x > 0, x, 1)), y))


@jvp(pow_)
def _(out, x, y, dx, dy):
    return dx * y * x ** (y - 1), dy * out * np.log(np.where(x > 0, x, 1))


@primitive()
def neg(x):
    return -x


@vjp(neg)
def _(dout, out, x):
    return (-dout,)


@jvp(neg)
def _(out, x, dx):
    return (-dx,)


# maximum and minimum: where x and y are equal each gets half the gradient (MindSpore's
# bprop and JAX do the same; the forward rule is the transpose: the mean of the two tangents).
@primitive(promotes=True)
def maximum(x, y):
    return np.maximum(x, y)


@vjp(maximum)
def _(dout, out, x, y):
    tie = x == y
    return (unbroadcast(np.where(tie, dout * 0.5, dout * (x > y)), x),
            unbroadcast(np.where(tie, dout * 0.5, dout * (x < y)), y))


@jvp(maximum)
def _(out, x, y, dx, dy):
    tie = x == y
    return np.where(tie, dx * 0.5, dx * (x > y)), np.where(tie, dy * 0.5, dy * (x < y))


@primitive(promotes=True)
def minimum(x, y):
    return np.minimum(x, y)


@vjp(minimum)
def _(dout, out, x, y):
    tie = x == y
    return (unbroadcast(np.where(tie, dout * 0.5, dout * (x < y)), x),
            unbroadcast(np.where(tie, dout * 0.5, dout * (x > y)), y))


@jvp(minimum)
def _(out, x, y, dx, dy):
    tie = x == y
    return np.where(tie, dx * 0.5, dx * (x < y)), np.where(tie, dy * 0.5, dy * (x > y))


# log(exp(x) + exp(y)), numpy's own (exact at infinities: logaddexp(-inf, -inf) = -inf); each
# side's derivative is its softmax weight exp(x - out), 1/2 at a tie, smooth there
@primitive()
def logaddexp(x, y):
    return np.logaddexp(x, y)


@vjp(logaddexp)
def _(dout, out, x, y):
    return unbroadcast(dout * np.exp(x - out), x), unbroadcast(dout * np.exp(y - out), y)


@jvp(logaddexp)
def _(out, x, y, dx, dy):
    return dx * np.exp(x - out), dy * np.exp(y - out)


@primitive(diff=("x", "y"), promotes=True)  # (ops.where(m, int_t, 0.5) is float32)
def where(cond, x, y):
    return np.where(cond, x, y)


@vjp(where)
def _(dout, out, cond, x, y):
    return unbroadcast(np.where(cond, dout, 0), x), unbroadcast(np.where(cond, 0, dout), y)


@jvp(where)
def _(out, cond, x, y, dx, dy):
    return (broadcast_like(np.where(cond, dx, 0), out),
            broadcast_like(np.where(cond, 0, dy), out))


# ---------------------------------------------------------------------------------------
# element-wise functions
# ---------------------------------------------------------------------------------------

@primitive()
def exp(x):
    return np.exp(x)


@vjp(exp)
def _(dout, out, x):
    return (dout * out,)


@jvp(exp)
def _(out, x, dx):
    return (dx * out,)


@primitive()
def log(x):
    return np.log(x)


@vjp(log)
def _(dout, out, x):
    return (dout / x,)


@jvp(log)
def _(out, x, dx):
    return (dx / x,)


@primitive()
def sin(x):
    return np.sin(x)


@vjp(sin)
def _(dout, out, x):
    return (dout * np.cos(x),)


@jvp(sin)
def _(out, x, dx):
    return (dx * np.cos(x),)


@primitive()
def cos(x):
    return np.cos(x)


@vjp(cos)
def _(dout, out, x):
    return (-dout * np.sin(x),)


@jvp(cos)
def _(out, x, dx):
    return (-dx * np.sin(x),)


@primitive()
def tanh(x):
    return np.tanh(x)


@vjp(tanh)
def _(dout, out, x):
    return (dout * (1 - out * out),)


@jvp(tanh)
def _(out, x, dx):
    return (dx * (1 - out * out),)


@primitive(name="sigmoid")
def sigmoid_(x):
    return sigmoid(x)


@vjp(sigmoid_)
def _(dout, out, x):
    return (dout * out * (1 - out),)


@jvp(sigmoid_)
def _(out, x, dx):
    return (dx * out * (1 - out),)


@primitive(name="relu")
def relu_(x):
    return relu(x)


@vjp(relu_)
def _(dout, out, x):
    # out > 0 exactly where x > 0 (NaN and -0.0 included): the backward keeps the output,
    # which the next layer holds anyway, rather than the input as well
    return (dout * (out > 0),)


@jvp(relu_)
def _(out, x, dx):
    return (dx * (x > 0),)


@primitive()
def sqrt(x):
    return np.sqrt(x)


@vjp(sqrt)
def _(dout, out, x):
    return (dout / (2 * out),)


@jvp(sqrt)
def _(out, x, dx):
    return (dx / (2 * out),)


@primitive()
def square(x):
    return np.square(x)


@vjp(square)
def _(dout, out, x):
    return (dout * 2 * x,)


@jvp(square)
def _(out, x, dx):
    return (dx * 2 * x,)


@primitive(name="abs")
def abs_(x):
    return np.abs(x)


@vjp(abs_)
def _(dout, out, x):
    return (dout * np.sign(x),)


@jvp(abs_)
def _(out, x, dx):
    return (dx * np.sign(x),)


# ---------------------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------------------

def _ms_sum(x, axis=None, keepdims=False):
    """The eager sum: a uint8 input's int64, a uint16 / uint32 one's in its dtype, as
    MindSpore's (numpy: uint64).  In generated code the promotion pass casts where an
    operand may be an integer array (``compiler/promote.py``)."""
    return int_result(np.sum(x, axis=axis, keepdims=keepdims), x, "sum")


@primitive(name="sum", diff=("x",), eager=_ms_sum)
def sum_(x, axis=None, keepdims=False):
    return np.sum(x, axis=axis, keepdims=keepdims)


@vjp(sum_)
def _(dout, out, x, axis, keepdims):
    return (expand_to(dout, x, axis=axis, keepdims=keepdims),)


@jvp(sum_)
def _(out, x, axis, keepdims, dx):
    return (np.sum(dx, axis=axis, keepdims=keepdims),)


@primitive(diff=("x",))
def mean(x, axis=None, keepdims=False):
    return np.mean(x, axis=axis, keepdims=keepdims)


@vjp(mean)
def _(dout, out, x, axis, keepdims):
    # reduction_share: 1 / n (0.0 for an empty x, whose gradient is empty)
    return (expand_to(dout * reduction_share(out, x), x, axis=axis, keepdims=keepdims),)


@jvp(mean)
def _(out, x, axis, keepdims, dx):
    return (np.mean(dx, axis=axis, keepdims=keepdims),)


# max and min reductions: tied elements share the gradient equally (MindSpore, JAX, PyTorch
# and TensorFlow do the same), so the gradient of a reduction to one value sums to dout; the
# forward rule is its transpose, the mean of the tied tangents.  ``hit`` is 1 where an element
# is the reduced value, in x's dtype (so the gradient keeps it); ``count`` the number of ties.
@primitive(name="max", diff=("x",))
def max_(x, axis=None, keepdims=False):
    return np.max(x, axis=axis, keepdims=keepdims)


@vjp(max_)
def _(dout, out, x, axis, keepdims):
    hit = cast_like(x == expand_to(out, x, axis=axis, keepdims=keepdims), x)
    count = np.sum(hit, axis=axis, keepdims=keepdims)
    return (expand_to(dout / count, x, axis=axis, keepdims=keepdims) * hit,)


@jvp(max_)
def _(out, x, axis, keepdims, dx):
    hit = cast_like(x == expand_to(out, x, axis=axis, keepdims=keepdims), x)
    count = np.sum(hit, axis=axis, keepdims=keepdims)
    return (np.sum(dx * hit, axis=axis, keepdims=keepdims) / count,)


@primitive(name="min", diff=("x",))
def min_(x, axis=None, keepdims=False):
    return np.min(x, axis=axis, keepdims=keepdims)


@vjp(min_)
def _(dout, out, x, axis, keepdims):
    hit = cast_like(x == expand_to(out, x, axis=axis, keepdims=keepdims), x)
    count = np.sum(hit, axis=axis, keepdims=keepdims)
    return (expand_to(dout / count, x, axis=axis, keepdims=keepdims) * hit,)


@jvp(min_)
def _(out, x, axis, keepdims, dx):
    hit = cast_like(x == expand_to(out, x, axis=axis, keepdims=keepdims), x)
    count = np.sum(hit, axis=axis, keepdims=keepdims)
    return (np.sum(dx * hit, axis=axis, keepdims=keepdims) / count,)


@primitive(name="logsumexp", diff=("x",))
def logsumexp_(x, axis=None, keepdims=False):
    return logsumexp(x, axis=axis, keepdims=keepdims)


@vjp(logsumexp_)
def _(dout, out, x, axis, keepdims):
    return (expand_to(dout, x, axis=axis, keepdims=keepdims)
            * np.exp(x - expand_to(out, x, axis=axis, keepdims=keepdims)),)


@jvp(logsumexp_)
def _(out, x, axis, keepdims, dx):
    return (np.sum(dx * np.exp(x - expand_to(out, x, axis=axis, keepdims=keepdims)),
                   axis=axis, keepdims=keepdims),)


@primitive(name="softmax", diff=("x",))
def softmax_(x, axis=-1):
    return softmax(x, axis=axis)


@vjp(softmax_)
def _(dout, out, x, axis):
    return (out * (dout - np.sum(dout * out, axis=axis, keepdims=True)),)


@jvp(softmax_)
def _(out, x, axis, dx):
    return (out * (dx - np.sum(dx * out, axis=axis, keepdims=True)),)


@primitive(name="log_softmax", diff=("x",))
def log_softmax_(x, axis=-1):
    return log_softmax(x, axis=axis)


@vjp(log_softmax_)
def _(dout, out, x, axis):
    return (dout - np.exp(out) * np.sum(dout, axis=axis, keepdims=True),)


@jvp(log_softmax_)
def _(out, x, axis, dx):
    return (dx - np.sum(dx * np.exp(out), axis=axis, keepdims=True),)


# ---------------------------------------------------------------------------------------
# linear algebra and shapes
# ---------------------------------------------------------------------------------------

@primitive()
def matmul(x, y):
    return np.matmul(x, y)


@vjp(matmul)
def _(dout, out, x, y):
    return unbroadcast(matmul_nt(dout, y), x), unbroadcast(matmul_tn(x, dout, like=y), y)


@jvp(matmul)
def _(out, x, y, dx, dy):
    return np.matmul(dx, y), np.matmul(x, dy)


@primitive(name="matmul_nt")
def matmul_nt_(x, y):
    return matmul_nt(x, y)


@vjp(matmul_nt_)
def _(dout, out, x, y):
    return unbroadcast(np.matmul(dout, y), x), unbroadcast(matmul_tn(dout, x), y)


@jvp(matmul_nt_)
def _(out, x, y, dx, dy):
    return matmul_nt(dx, y), matmul_nt(x, dy)


@primitive(name="matmul_tn", diff=("x", "y"))
def matmul_tn_(x, y, like=None):
    return matmul_tn(x, y, like=like)


@vjp(matmul_tn_)
def _(dout, out, x, y, like):
    return unbroadcast(matmul_nt(y, dout), x), unbroadcast(np.matmul(x, dout), y)


@jvp(matmul_tn_)
def _(out, x, y, like, dx, dy):
    return matmul_tn(dx, y, like=like), matmul_tn(x, dy, like=like)


@primitive(diff=("x",))
def reshape(x, shape):
    return np.reshape(x, shape)


@vjp(reshape)
def _(dout, out, x, shape):
    return (np.reshape(dout, np.shape(x)),)


@jvp(reshape)
def _(out, x, shape, dx):
    return (np.reshape(dx, shape),)


@primitive(diff=("x",))
def transpose(x, axes=None):
    return np.transpose(x, axes)


@vjp(transpose)
def _(dout, out, x, axes):
    return (np.transpose(dout, None if axes is None else np.argsort(np.mod(axes, np.ndim(x)))),)


@jvp(transpose)
def _(out, x, axes, dx):
    return (np.transpose(dx, axes),)


@primitive(diff=("x",))
def expand_dims(x, axis):
    return np.expand_dims(x, axis)


@vjp(expand_dims)
def _(dout, out, x, axis):
    return (np.reshape(dout, np.shape(x)),)


@jvp(expand_dims)
def _(out, x, axis, dx):
    return (np.expand_dims(dx, axis),)


@primitive(diff=("x",))
def squeeze(x, axis=None):
    return np.squeeze(x, axis=axis)


@vjp(squeeze)
def _(dout, out, x, axis):
    return (np.reshape(dout, np.shape(x)),)


@jvp(squeeze)
def _(out, x, axis, dx):
    return (np.squeeze(dx, axis=axis),)


@primitive(diff=("x",))
def broadcast_to(x, shape):
    return np.broadcast_to(x, shape)


@vjp(broadcast_to)
def _(dout, out, x, shape):
    return (unbroadcast(dout, x),)


@jvp(broadcast_to)
def _(out, x, shape, dx):
    return (np.broadcast_to(dx, shape),)


@primitive(name="unbroadcast", diff=("g",))
def unbroadcast_(g, like):
    return unbroadcast(g, like)


@vjp(unbroadcast_)
def _(dout, out, g, like):
    return (unbroadcast(dout, g),)


@jvp(unbroadcast_)
def _(out, g, like, dg):
    return (unbroadcast(dg, like),)


@primitive(name="expand_to", diff=("g",))
def expand_to_(g, like, axis=None, keepdims=False):
    return expand_to(g, like, axis=axis, keepdims=keepdims)


@vjp(expand_to_)
def _(dout, out, g, like, axis, keepdims):
    return (np.reshape(np.sum(dout, axis=axis, keepdims=keepdims), np.shape(g)),)


@jvp(expand_to_)
def _(out, g, like, axis, keepdims, dg):
    return (expand_to(dg, like, axis, keepdims),)


@primitive(name="concat2", diff=("x", "y"))
def concat2_(x, y, axis=0):
    return concat2(x, y, axis=axis)


@vjp(concat2_)
def _(dout, out, x, y, axis):
    return (dout[axis_slice(dout, axis, 0, np.shape(x)[axis])],
            dout[axis_slice(dout, axis, np.shape(x)[axis], None)])


@jvp(concat2_)
def _(out, x, y, axis, dx, dy):
    return concat2(dx, zeros_like(y), axis=axis), concat2(zeros_like(x), dy, axis=axis)


@primitive(name="axis_slice", diff=())
def axis_slice_(like, axis, start, stop):
    return axis_slice(like, axis, start, stop)


@primitive(diff=("x",))
def getitem(x, index):
    return x[index]


@vjp(getitem)
def _(dout, out, x, index):
    return (ungetitem(dout, x, index),)


@jvp(getitem)
def _(out, x, index, dx):
    return (dx[index],)


@primitive(name="ungetitem", diff=("g",))
def ungetitem_(g, like, index):
    return ungetitem(g, like, index)


@vjp(ungetitem_)
def _(dout, out, g, like, index):
    return (dout[index],)


@jvp(ungetitem_)
def _(out, g, like, index, dg):
    return (ungetitem(dg, like, index),)


@primitive(diff=("x",))
def astype(x, dtype):
    return x.astype(dtype)


@vjp(astype)
def _(dout, out, x, dtype):
    return (cast_like(dout, x),)


@jvp(astype)
def _(out, x, dtype, dx):
    return (cast_like(dx, out),)


@primitive(name="cast_like", diff=("g",))
def cast_like_(g, like):
    return cast_like(g, like)


@vjp(cast_like_)
def _(dout, out, g, like):
    return (cast_like(dout, g),)


@jvp(cast_like_)
def _(out, g, like, dg):
    return (cast_like(dg, like),)


@primitive(name="ms_promote", diff=("x",))
def ms_promote_(x, other, true_div=False):
    return ms_promote(x, other, true_div)


@vjp(ms_promote_)
def _(dout, out, x, other, true_div):  # (MindSpore casts each operand's gradient back)
    return (cast_like(dout, x),)


@jvp(ms_promote_)
def _(out, x, other, true_div, dx):
    return (cast_like(dx, out),)


@primitive(name="mp_cast", diff=("x",))
def mp_cast_(x, dtype):
    return mp_cast(x, dtype)


@vjp(mp_cast_)
def _(dout, out, x, dtype):
    return (cast_like(dout, x),)


@jvp(mp_cast_)
def _(out, x, dtype, dx):
    return (cast_like(dx, out),)


@primitive(name="int_like", diff=("y",))
def int_like_(y, x, how="mean"):
    return int_like(y, x, how)


@vjp(int_like_)
def _(dout, out, y, x, how):
    return (dout,)


@jvp(int_like_)
def _(out, y, x, how, dy):
    return (dy,)


@primitive()
def copy(x):
    return x


@vjp(copy)
def _(dout, out, x):
    return (dout,)


@jvp(copy)
def _(out, x, dx):
    return (dx,)


# ---------------------------------------------------------------------------------------
# forward-mode helpers (runtime.py): primitives too, so tangent code differentiates again
# ---------------------------------------------------------------------------------------

@primitive(name="broadcast_like", diff=("g",))
def broadcast_like_(g, like):
    return broadcast_like(g, like)


@vjp(broadcast_like_)
def _(dout, out, g, like):
    return (unbroadcast(dout, g),)


@jvp(broadcast_like_)
def _(out, g, like, dg):
    return (broadcast_like(dg, like),)


# ---------------------------------------------------------------------------------------
# primitives without a gradient
# ---------------------------------------------------------------------------------------

@primitive(name="first_order", diff=())
def first_order(x):
    return first_order_value(x)


@primitive(name="first_order_value",
           refused="a second derivative of a gradient that is written to first order only "
                   "(ops.scatter_mul / scatter_div / unsorted_segment_prod and their forms)")
def first_order_value_(x):
    return first_order_value(x)


@primitive(name="stop_gradient", diff=())
def stop_gradient_(x):
    return stop_gradient(x)


def apply_grad_hook(fn, dout, as_tuple):
    """The gradient a hook gives for ``dout``: ``fn(Tensor(dout))`` (MindSpore's
    ``InsertGradientOf``) or ``fn((Tensor(dout),))`` (``HookBackward``, a tuple in, a tuple or
    None out); None keeps ``dout``."""
    grad = Tensor(dout)
    return _hook_result(fn((grad,)) if as_tuple else fn(grad), dout)


def _hook_result(out, dout):
    """The gradient a hook's result stands for: ``dout`` for None, else its one item (a tuple
    or list of one) as an array of ``dout``'s shape."""
    if out is None:
        return dout
    if isinstance(out, (tuple, list)):
        if len(out) != 1:
            raise ValueError("a gradient hook on one input returned %d gradients, not 1"
                             % len(out))
        out = out[0]
    out = np.asarray(out._data if isinstance(out, Tensor) else out)
    if out.shape != np.shape(dout):
        raise ValueError("a gradient hook returned a gradient of shape %s for one of shape %s"
                         % (out.shape, np.shape(dout)))
    return out


apply_grad_hook._autograd_st_prim = "apply_grad_hook"  # (a primitive: see below)


@primitive(name="apply_grad_hook", diff=("dout",),
           refused="a second derivative through a gradient hook (Tensor.register_hook, "
                   "ops.HookBackward, ops.InsertGradientOf; MindSpore's PyNative mode "
                   "differentiates the hook): register the hook outside what is "
                   "differentiated twice")
def apply_grad_hook_(fn, dout, as_tuple):
    return apply_grad_hook(fn, dout, as_tuple)


@primitive(name="grad_hook", diff=("x",))
def grad_hook_(x, fn, as_tuple=False):
    return x


@vjp(grad_hook_)
def _(dout, out, x, fn, as_tuple):
    return (apply_grad_hook(fn, dout, as_tuple),)


@jvp(grad_hook_)
def _(out, x, fn, as_tuple, dx):
    return (dx,)


class GradSlot:
    """Where a Cell's backward hook finds the gradient of the Cell's output: written by
    ``grad_capture``'s rule, read by ``backward_hook``'s (one per call site)."""

    __slots__ = ("grad_output",)

    def __init__(self) -> None:
        self.grad_output = None


def capture_grad(slot, dout):
    """``dout``, kept in ``slot`` for the backward hook that runs next."""
    slot.grad_output = dout
    return dout


def call_backward_hook(fn, cell, slot, dout):
    """MindSpore's ``hook_fn(cell, grad_input, grad_output)`` for one input: a tuple it
    returns replaces the input's gradient ``dout``; None keeps it."""
    grad_output = slot.grad_output
    out = fn(cell, (Tensor(dout),), (None if grad_output is None else Tensor(grad_output),))
    return _hook_result(out, dout)


def call_backward_pre_hook(fn, cell, dout):
    """MindSpore's ``hook_fn(cell, grad_output)``: a tuple (or value) it returns replaces the
    gradient of the Cell's output ``dout``; None keeps it."""
    return _hook_result(fn(cell, (Tensor(dout),)), dout)


@primitive(name="grad_capture", diff=("x",))
def grad_capture_(x, slot):
    return x


@vjp(grad_capture_)
def _(dout, out, x, slot):
    return (capture_grad(slot, dout),)


@jvp(grad_capture_)
def _(out, x, slot, dx):
    return (dx,)


@primitive(name="backward_hook", diff=("x",))
def backward_hook_(x, slot, cell, fn):
    return x


@vjp(backward_hook_)
def _(dout, out, x, slot, cell, fn):
    return (call_backward_hook(fn, cell, slot, dout),)


@jvp(backward_hook_)
def _(out, x, slot, cell, fn, dx):
    return (dx,)


@primitive(name="backward_pre_hook", diff=("x",))
def backward_pre_hook_(x, cell, fn):
    return x


@vjp(backward_pre_hook_)
def _(dout, out, x, cell, fn):
    return (call_backward_pre_hook(fn, cell, dout),)


@jvp(backward_pre_hook_)
def _(out, x, cell, fn, dx):
    return (dx,)


@primitive(name="ones_like", diff=())
def ones_like_(x):
    return ones_like(x)


@primitive(name="zeros_like", diff=())
def zeros_like_(x):
    return zeros_like(x)


@primitive(name="reduction_share", diff=())
def reduction_share_(out, x, ddof=0):
    return reduction_share(out, x, ddof)


@primitive(diff=())
def sign(x):
    return np.sign(x)


@primitive(diff=())
def less(x, y):
    return x < y


@primitive(diff=())
def less_equal(x, y):
    return x <= y


@primitive(diff=())
def greater(x, y):
    return x > y


@primitive(diff=())
def greater_equal(x, y):
    return x >= y


@primitive(diff=())
def equal(x, y):
    return x == y


@primitive(diff=())
def not_equal(x, y):
    return x != y


@primitive(diff=())
def shape(x):
    return np.shape(x)


@primitive(diff=())
def size(x):
    return np.size(x)


@primitive(diff=())
def ndim(x):
    return np.ndim(x)


@primitive(name="dtype", diff=())
def dtype_(x):
    return np.result_type(x)


def tensor_isinstance(value, classinfo) -> bool:
    """``isinstance(value, classinfo)`` as it is where the code runs directly: a runtime
    array (or numpy scalar) of compiled code is a Tensor there."""
    if isinstance(value, (np.ndarray, np.generic)):
        return issubclass(Tensor, classinfo)
    return isinstance(value, classinfo)


@primitive(name="isinstance", diff=())
def isinstance_(x, classinfo):
    return tensor_isinstance(x, classinfo)



@primitive(diff=(), promotes=True)
def floordiv(x, y):
    return x // y




# x % y (floor-mod, the sign of y) is x - floor(x / y) * y: gradients 1 and -floor(x / y)
# (MindSpore's FloorMod bprop); floor is flat, so the forward rule is the same
@primitive(diff=("x", "y"), promotes=True)
def mod(x, y):
    return x % y


@vjp(mod)
def _(dout, out, x, y):
    return unbroadcast(dout, x), unbroadcast(-dout * np.floor(x / y), y)


@jvp(mod)
def _(out, x, y, dx, dy):
    return broadcast_like(dx, out), broadcast_like(-dy * np.floor(x / y), out)


# ---------------------------------------------------------------------------------------
# rules for users' own functions
# ---------------------------------------------------------------------------------------

#: user functions registered with register_vjp -> their primitive's name
USER_FUNCTIONS: dict = {}


def rule_parameters(fn: Callable) -> tuple:
    """``(params, kinds, defaults)`` of the primitive :func:`register_vjp` makes of ``fn``:
    its rule takes ``(dout, out, *params)`` and returns a gradient for each parameter
    without a default.  A numpy ufunc's inputs only (``x``, or ``x1, x2`` ...), not numpy's
    keyword plumbing (``out=``, ``where=``, ``casting=``, ``dtype=`` ...), which the generated
    call never passes; any other function's parameters but ``*args``, ``**kwargs`` and
    numpy's ``out=`` output buffers (not inputs, and they would clash with the rule's
    ``out``)."""
    if isinstance(fn, np.ufunc):
        params = ["x"] if fn.nin == 1 else ["x%d" % (i + 1) for i in range(fn.nin)]
        return params, {k: inspect.Parameter.POSITIONAL_ONLY for k in params}, {}
    sig = inspect.signature(fn)
    kinds = {k: p.kind for k, p in sig.parameters.items() if k != "out"
             and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}
    defaults = {k: p.default for k, p in sig.parameters.items()
                if k in kinds and p.default is not inspect.Parameter.empty}
    return list(kinds), kinds, defaults


def register_vjp(fn: Callable, name: str | None = None):
    """Give a function of your own a reverse rule, through the same registry as the built-in
    primitives::

        def smooth_abs(x):
            return np.sqrt(x * x + 1e-6)

        @autograd_st.register_vjp(smooth_abs)
        def _(dout, out, x):
            return (dout * x / out,)

    Inside differentiated code, ``smooth_abs(x)`` then runs as it is and its gradient is the
    rule's.  The rule takes ``(dout, out, *parameters)`` and returns one gradient per parameter
    without a default value (``None`` for none).

    A numpy ufunc takes its inputs only, named ``x`` (one input) or ``x1, x2, ...``, without
    numpy's keywords (``out=``, ``where=``, ``dtype=`` ...)::

        @autograd_st.register_vjp(np.arctan)
        def _(dout, out, x):
            return (dout / (1 + x * x),)

    The rule's results are checked as a Cell's ``bprop``'s are by default
    (:func:`autograd_st.user_grads.check_user_grads`): one gradient per parameter without a
    default (else :class:`~autograd_st.errors.BpropTypeError`), ``None`` a zero gradient, a
    gradient of a shape its input broadcasts to summed down to the input's shape (another
    shape raises :class:`~autograd_st.errors.BpropShapeError`), cast to the input's dtype.

    Not in MindSpore (which has ``Cell.bprop`` and ``ops.Custom``); ``fn`` may be any Python
    function or numpy ufunc; ``name`` names the primitive (default: ``fn.__name__``).
    """
    params, kinds, defaults = rule_parameters(fn)
    diff = tuple(k for k in params if k not in defaults)
    base = name or getattr(fn, "__name__", "user_fn")
    prim_name = base
    i = 1
    while prim_name in REGISTRY:
        prim_name = "%s_%d" % (base, i)
        i += 1
    fn_global = "user_" + prim_name
    rule_global = "user_" + prim_name + "_vjp"

    def deco(rule):
        want = ["dout", "out"] + params
        got = list(inspect.signature(rule).parameters)
        if got != want:
            raise TypeError("the rule for %s must take (%s), not (%s)"
                            % (base, ", ".join(want), ", ".join(got)))
        prim = Primitive(prim_name, fn, params, defaults, diff)
        def ref(p):
            return gast.Name(id=p, ctx=gast.Load(), annotation=None, type_comment=None)
        keyword_only = [p for p in params if kinds[p] == inspect.Parameter.KEYWORD_ONLY]
        call = gast.Call(func=gast.Name(id=fn_global, ctx=gast.Load(), annotation=None,
                                        type_comment=None),
                         args=[ref(p) for p in params if p not in keyword_only],
                         keywords=[gast.keyword(arg=p, value=ref(p)) for p in keyword_only])
        prim._template = Template(params, [], [call])
        g = gast.Name(id="grads", ctx=gast.Store(), annotation=None, type_comment=None)
        rule_call = gast.Call(func=gast.Name(id=rule_global, ctx=gast.Load(), annotation=None,
                                             type_comment=None),
                              args=[gast.Name(id=p, ctx=gast.Load(), annotation=None,
                                              type_comment=None) for p in want], keywords=[])
        check_global = "user_" + prim_name + "_check"
        checked = gast.Call(
            func=gast.Name(id="check_user_grads", ctx=gast.Load(), annotation=None,
                           type_comment=None),
            args=[rule_call, gast.Tuple(elts=[ref(p) for p in diff], ctx=gast.Load()),
                  gast.Name(id=check_global, ctx=gast.Load(), annotation=None,
                            type_comment=None), gast.Constant(value=False, kind=None)],
            keywords=[])
        prelude = [gast.Assign(targets=[g], value=checked, type_comment=None)]
        results = [gast.Subscript(value=gast.Name(id="grads", ctx=gast.Load(),
                                                  annotation=None, type_comment=None),
                                  slice=gast.Constant(value=i, kind=None), ctx=gast.Load())
                   for i in range(len(diff))]
        prim.vjp = rule
        prim._vjp_template = Template(want, prelude, results)
        source = GradSource("the rule registered with register_vjp for '%s'" % base, rule,
                            diff)
        prim.extra_globals = {fn_global: fn, rule_global: rule,
                              "check_user_grads": check_user_grads, check_global: source}
        REGISTRY[prim_name] = prim
        USER_FUNCTIONS[fn] = prim_name
        _VERSION[0] += 1000
        bump_structure_epoch()  # code compiled before the rule existed is compiled again
        return rule
    return deco
