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

Primitives with ``diff=()`` have no gradient (comparisons, shapes, ``stop_gradient``).
User code reaches primitives through :mod:`autograd_st.compiler.bindings` (operators, ``ops.*``,
Tensor methods, numpy functions).  ``register_vjp`` adds rules for new primitives.
"""
from __future__ import annotations

import inspect
import textwrap
from dataclasses import dataclass, field
from typing import Callable

import gast
import numpy as np

from .runtime import (cast_like, expand_to, log_softmax, logsumexp, matmul_nt, matmul_tn,
                      ones_like, relu, sigmoid, softmax, stop_gradient, unbroadcast, ungetitem,
                      zeros_like)

__all__ = ["Primitive", "REGISTRY", "primitive", "vjp", "get", "template_of"]


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
    _template: Template | None = field(default=None, repr=False)
    _vjp_template: Template | None = field(default=None, repr=False)

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


def primitive(name: str | None = None, diff: tuple[str, ...] | None = None):
    """Register a numpy function as a primitive (``diff``: its differentiable parameters;
    default: the parameters without default values)."""
    def deco(fn):
        sig = inspect.signature(fn)
        params = list(sig.parameters)
        defaults = {k: p.default for k, p in sig.parameters.items()
                    if p.default is not inspect.Parameter.empty}
        d = tuple(k for k in params if k not in defaults) if diff is None else tuple(diff)
        prim = Primitive(name or fn.__name__.rstrip("_"), fn, params, defaults, d)
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


def get(name: str) -> Primitive:
    return REGISTRY[name]


# ---------------------------------------------------------------------------------------
# element-wise arithmetic
# ---------------------------------------------------------------------------------------

@primitive()
def add(x, y):
    return x + y


@vjp(add)
def _(dout, out, x, y):
    return unbroadcast(dout, x), unbroadcast(dout, y)


@primitive()
def sub(x, y):
    return x - y


@vjp(sub)
def _(dout, out, x, y):
    return unbroadcast(dout, x), unbroadcast(-dout, y)


@primitive()
def mul(x, y):
    return x * y


@vjp(mul)
def _(dout, out, x, y):
    return unbroadcast(dout * y, x), unbroadcast(dout * x, y)


@primitive()
def div(x, y):
    return x / y


@vjp(div)
def _(dout, out, x, y):
    return unbroadcast(dout / y, x), unbroadcast(-dout * out / y, y)


@primitive()
def pow_(x, y):
    return x ** y


@vjp(pow_)
def _(dout, out, x, y):
    return (unbroadcast(dout * y * x ** (y - 1), x),
            unbroadcast(dout * out * np.log(np.where(x > 0, x, 1)), y))


@primitive()
def neg(x):
    return -x


@vjp(neg)
def _(dout, out, x):
    return (-dout,)


@primitive()
def maximum(x, y):
    return np.maximum(x, y)


@vjp(maximum)
def _(dout, out, x, y):
    return unbroadcast(dout * (x >= y), x), unbroadcast(dout * (x < y), y)


@primitive()
def minimum(x, y):
    return np.minimum(x, y)


@vjp(minimum)
def _(dout, out, x, y):
    return unbroadcast(dout * (x <= y), x), unbroadcast(dout * (x > y), y)


@primitive(diff=("x", "y"))
def where(cond, x, y):
    return np.where(cond, x, y)


@vjp(where)
def _(dout, out, cond, x, y):
    return unbroadcast(np.where(cond, dout, 0), x), unbroadcast(np.where(cond, 0, dout), y)


# ---------------------------------------------------------------------------------------
# element-wise functions
# ---------------------------------------------------------------------------------------

@primitive()
def exp(x):
    return np.exp(x)


@vjp(exp)
def _(dout, out, x):
    return (dout * out,)


@primitive()
def log(x):
    return np.log(x)


@vjp(log)
def _(dout, out, x):
    return (dout / x,)


@primitive()
def sin(x):
    return np.sin(x)


@vjp(sin)
def _(dout, out, x):
    return (dout * np.cos(x),)


@primitive()
def cos(x):
    return np.cos(x)


@vjp(cos)
def _(dout, out, x):
    return (-dout * np.sin(x),)


@primitive()
def tanh(x):
    return np.tanh(x)


@vjp(tanh)
def _(dout, out, x):
    return (dout * (1 - out * out),)


@primitive(name="sigmoid")
def sigmoid_(x):
    return sigmoid(x)


@vjp(sigmoid_)
def _(dout, out, x):
    return (dout * out * (1 - out),)


@primitive(name="relu")
def relu_(x):
    return relu(x)


@vjp(relu_)
def _(dout, out, x):
    return (dout * (x > 0),)


@primitive()
def sqrt(x):
    return np.sqrt(x)


@vjp(sqrt)
def _(dout, out, x):
    return (dout / (2 * out),)


@primitive()
def square(x):
    return np.square(x)


@vjp(square)
def _(dout, out, x):
    return (dout * 2 * x,)


@primitive(name="abs")
def abs_(x):
    return np.abs(x)


@vjp(abs_)
def _(dout, out, x):
    return (dout * np.sign(x),)


# ---------------------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------------------

@primitive(name="sum", diff=("x",))
def sum_(x, axis=None, keepdims=False):
    return np.sum(x, axis=axis, keepdims=keepdims)


@vjp(sum_)
def _(dout, out, x, axis, keepdims):
    return (expand_to(dout, x, axis=axis, keepdims=keepdims),)


@primitive(diff=("x",))
def mean(x, axis=None, keepdims=False):
    return np.mean(x, axis=axis, keepdims=keepdims)


@vjp(mean)
def _(dout, out, x, axis, keepdims):
    return (expand_to(dout, x, axis=axis, keepdims=keepdims) * (np.size(out) / np.size(x)),)


@primitive(name="max", diff=("x",))
def max_(x, axis=None, keepdims=False):
    return np.max(x, axis=axis, keepdims=keepdims)


@vjp(max_)
def _(dout, out, x, axis, keepdims):
    return (expand_to(dout, x, axis=axis, keepdims=keepdims)
            * (x == expand_to(out, x, axis=axis, keepdims=keepdims)),)


@primitive(name="min", diff=("x",))
def min_(x, axis=None, keepdims=False):
    return np.min(x, axis=axis, keepdims=keepdims)


@vjp(min_)
def _(dout, out, x, axis, keepdims):
    return (expand_to(dout, x, axis=axis, keepdims=keepdims)
            * (x == expand_to(out, x, axis=axis, keepdims=keepdims)),)


@primitive(name="logsumexp", diff=("x",))
def logsumexp_(x, axis=None, keepdims=False):
    return logsumexp(x, axis=axis, keepdims=keepdims)


@vjp(logsumexp_)
def _(dout, out, x, axis, keepdims):
    return (expand_to(dout, x, axis=axis, keepdims=keepdims)
            * np.exp(x - expand_to(out, x, axis=axis, keepdims=keepdims)),)


@primitive(name="softmax", diff=("x",))
def softmax_(x, axis=-1):
    return softmax(x, axis=axis)


@vjp(softmax_)
def _(dout, out, x, axis):
    return (out * (dout - np.sum(dout * out, axis=axis, keepdims=True)),)


@primitive(name="log_softmax", diff=("x",))
def log_softmax_(x, axis=-1):
    return log_softmax(x, axis=axis)


@vjp(log_softmax_)
def _(dout, out, x, axis):
    return (dout - np.exp(out) * np.sum(dout, axis=axis, keepdims=True),)


# ---------------------------------------------------------------------------------------
# linear algebra and shapes
# ---------------------------------------------------------------------------------------

@primitive()
def matmul(x, y):
    return np.matmul(x, y)


@vjp(matmul)
def _(dout, out, x, y):
    return unbroadcast(matmul_nt(dout, y), x), unbroadcast(matmul_tn(x, dout, like=y), y)


@primitive(name="matmul_nt")
def matmul_nt_(x, y):
    return matmul_nt(x, y)


@vjp(matmul_nt_)
def _(dout, out, x, y):
    return unbroadcast(np.matmul(dout, y), x), unbroadcast(matmul_tn(dout, x), y)


@primitive(name="matmul_tn", diff=("x", "y"))
def matmul_tn_(x, y, like=None):
    return matmul_tn(x, y, like=like)


@vjp(matmul_tn_)
def _(dout, out, x, y, like):
    return unbroadcast(matmul_nt(y, dout), x), unbroadcast(np.matmul(x, dout), y)


@primitive(diff=("x",))
def reshape(x, shape):
    return np.reshape(x, shape)


@vjp(reshape)
def _(dout, out, x, shape):
    return (np.reshape(dout, np.shape(x)),)


@primitive(diff=("x",))
def transpose(x, axes=None):
    return np.transpose(x, axes)


@vjp(transpose)
def _(dout, out, x, axes):
    return (np.transpose(dout, None if axes is None else np.argsort(np.mod(axes, np.ndim(x)))),)


@primitive(diff=("x",))
def expand_dims(x, axis):
    return np.expand_dims(x, axis)


@vjp(expand_dims)
def _(dout, out, x, axis):
    return (np.reshape(dout, np.shape(x)),)


@primitive(diff=("x",))
def squeeze(x, axis=None):
    return np.squeeze(x, axis=axis)


@vjp(squeeze)
def _(dout, out, x, axis):
    return (np.reshape(dout, np.shape(x)),)


@primitive(diff=("x",))
def broadcast_to(x, shape):
    return np.broadcast_to(x, shape)


@vjp(broadcast_to)
def _(dout, out, x, shape):
    return (unbroadcast(dout, x),)


@primitive(name="unbroadcast", diff=("g",))
def unbroadcast_(g, like):
    return unbroadcast(g, like)


@vjp(unbroadcast_)
def _(dout, out, g, like):
    return (unbroadcast(dout, g),)


@primitive(name="expand_to", diff=("g",))
def expand_to_(g, like, axis=None, keepdims=False):
    return expand_to(g, like, axis, keepdims)


@vjp(expand_to_)
def _(dout, out, g, like, axis, keepdims):
    return (np.reshape(np.sum(dout, axis=axis, keepdims=keepdims), np.shape(g)),)


@primitive(diff=("x",))
def getitem(x, index):
    return x[index]


@vjp(getitem)
def _(dout, out, x, index):
    return (ungetitem(dout, x, index),)


@primitive(name="ungetitem", diff=("g",))
def ungetitem_(g, like, index):
    return ungetitem(g, like, index)


@vjp(ungetitem_)
def _(dout, out, g, like, index):
    return (dout[index],)


@primitive(diff=("x",))
def astype(x, dtype):
    return x.astype(dtype)


@vjp(astype)
def _(dout, out, x, dtype):
    return (cast_like(dout, x),)


@primitive(name="cast_like", diff=("g",))
def cast_like_(g, like):
    return cast_like(g, like)


@vjp(cast_like_)
def _(dout, out, g, like):
    return (cast_like(dout, g),)


@primitive()
def copy(x):
    return x


@vjp(copy)
def _(dout, out, x):
    return (dout,)


# ---------------------------------------------------------------------------------------
# primitives without a gradient
# ---------------------------------------------------------------------------------------

@primitive(name="stop_gradient", diff=())
def stop_gradient_(x):
    return stop_gradient(x)


@primitive(name="ones_like", diff=())
def ones_like_(x):
    return ones_like(x)


@primitive(name="zeros_like", diff=())
def zeros_like_(x):
    return zeros_like(x)


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
def floordiv(x, y):
    return x // y


@primitive(diff=())
def mod(x, y):
    return x % y
