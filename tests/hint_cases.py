"""Every hint the compiler gives, each with code that triggers it and the rewrite a user writes
by following the hint's words literally (issue 14: every hint leads to code that works).

For each case ``NAME`` there is ``NAME_refused`` (a function, a Cell class, or ``make_NAME_*``
building one) and ``NAME_rewritten``; the refused line carries the marker comment
``# HINT NAME``.  ``CASES`` (at the end) says, per case, the error class, the hint text
exactly as the compiler gives it, the compiler module that gives it, and how to call it.
tests/test_hints.py runs every pair and checks that every hint in the compiler's source has
a case.
"""
# ruff: noqa: E731, F841, E701, B018, F634, F821, F823
from __future__ import annotations

import math
import sys
import typing
from dataclasses import dataclass, field

import numpy as np

import autograd_st
import autograd_st.nn as nn
from autograd_st import Tensor, ops
from autograd_st.errors import (
    CallArgumentError,
    CompileError,
    MissingBpropError,
    NoDerivativeError,
    RecursionNotSupportedError,
    UnsupportedSyntaxError,
)
from autograd_st.ops.primitive import PrimitiveWithInfer

G = 2.0


# =========================================================================================
# fence.py: REFUSED (one case per construct)
# =========================================================================================

# hint: compute without exceptions, or move the try block out of the differentiated function
def try_refused(x):
    try:  # HINT try
        y = ops.log(x)
    except FloatingPointError:
        y = x
    return ops.sum(y)


def try_rewritten(x):
    y = ops.log(x)  # without exceptions (the inputs are checked by the caller)
    return ops.sum(y)


TRY_STAR_REFUSED = '''
def try_star_refused(x):
    try:  # HINT try_star
        y = ops.log(x)
    except* FloatingPointError:
        y = x
    return ops.sum(y)
'''  # (Python 3.11+ syntax: the source, differentiated through autograd_st.exec_source)


def try_star_rewritten(x):
    y = ops.log(x)
    return ops.sum(y)


# hint: move the with block out of the differentiated function
def with_refused(x):
    with np.errstate(divide="ignore"):  # HINT with
        y = ops.log(x)
    return ops.sum(y)


def with_rewritten(x):
    return ops.sum(ops.log(x))


def with_rewritten_caller(x):  # the with block, now around the differentiated call
    with np.errstate(divide="ignore"):
        return ops.grad(with_rewritten)(x)


class _AsyncContext:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return False


# hint: move the async with block out of the differentiated function (...)
async def async_with_refused(x):
    async with _AsyncContext():  # HINT async_with
        y = x * 2.0
    return ops.sum(y)


def async_with_rewritten(x):
    y = x * 2.0
    return ops.sum(y)


async def _scale():
    return 3.0


# hint: await the value before the call and pass it in as an argument
async def await_refused(x):
    s = await _scale()  # HINT await
    return ops.sum(x * s)


def await_rewritten(x, s):
    return ops.sum(x * s)


class _AsyncRange:
    def __init__(self, n):
        self.i, self.n = 0, n

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.i == self.n:
            raise StopAsyncIteration
        self.i += 1
        return float(self.i)


# hint: collect the values before the call and loop over them with a plain for
async def async_for_refused(x):
    total = x
    async for s in _AsyncRange(2):  # HINT async_for
        total = total * s
    return ops.sum(total)


def async_for_rewritten(x, values):
    total = x
    for s in values:
        total = total * s
    return ops.sum(total)


# hint: return the values (a tuple) instead of yielding them
def yield_refused(x):
    yield x * 2.0  # HINT yield
    yield x * 3.0


def yield_rewritten(x):
    return x * 2.0, x * 3.0


def yield_from_refused(x):
    yield from (x * 2.0, x * 3.0)  # HINT yield_from


def yield_from_rewritten(x):
    return x * 2.0, x * 3.0


# hint: pass the value in as an argument or keep it on self
def global_refused(x):
    global G  # HINT global
    return ops.sum(x * G)


def global_rewritten(x, g):
    return ops.sum(x * g)


class GlobalRewrittenCell(nn.Cell):  # or keep it on self
    def __init__(self):
        super().__init__()
        self.g = G

    def construct(self, x):
        return ops.sum(x * self.g)


# hint: return the new value instead of assigning an outer variable
def make_nonlocal_refused():
    k = 2.0

    def nonlocal_refused(x):
        nonlocal k  # HINT nonlocal
        k = k * 2.0
        return ops.sum(x * k)
    return nonlocal_refused


def make_nonlocal_rewritten():
    k = 2.0

    def nonlocal_rewritten(x):
        new_k = k * 2.0
        return ops.sum(x * new_k), new_k  # the caller keeps the new value
    return nonlocal_rewritten


# hint: let the variable go out of scope instead
def del_refused(x):
    y = x * 2.0
    del y  # HINT del
    return ops.sum(x * x)


def del_rewritten(x):
    y = x * 2.0
    return ops.sum(x * x)


# hint: define the class outside the differentiated function
def class_refused(x):
    class Scale:  # HINT class
        factor = 3.0
    return ops.sum(x * Scale.factor)


class _Scale:
    factor = 3.0


def class_rewritten(x):
    return ops.sum(x * _Scale.factor)


# hint: make it a plain def (differentiated code must be synchronous)
def async_def_refused(x):
    async def inner(t):  # HINT async_def
        return t * 2.0
    return ops.sum(x)


def async_def_rewritten(x):
    def inner(t):
        return t * 2.0
    return ops.sum(inner(x))


# hint: import at module level
def import_refused(x):
    import math  # HINT import
    return ops.sum(x * math.pi)


def import_rewritten(x):
    return ops.sum(x * math.pi)


def import_from_refused(x):
    from math import pi  # HINT import_from
    return ops.sum(x * pi)


def import_from_rewritten(x):
    return ops.sum(x * math.pi)


# hint: check the inputs before calling the gradient function
def raise_refused(x):
    if G > 0.0:  # (true for every call: the raise is reached)
        raise ValueError("G must be negative")  # HINT raise
    return ops.sum(x * G)


def raise_rewritten(x):
    return ops.sum(x * G)


def raise_rewritten_caller(x):
    if G < 0.0:  # (the check, moved out of the differentiated function)
        raise ValueError("G must be positive")
    return ops.grad(raise_rewritten)(x)


def assert_refused(x):
    assert G < 0.0  # HINT assert
    return ops.sum(x * G)


def assert_rewritten(x):
    return ops.sum(x * G)


# hint: assign the value in a statement of its own
def walrus_refused(x):
    return ops.sum((y := x * 2.0) * y)  # HINT walrus


def walrus_rewritten(x):
    y = x * 2.0
    return ops.sum(y * y)


# hint: build a list or a tuple instead
def set_comp_refused(x):
    n = len({i % 2 for i in range(3)})  # HINT set_comp
    return ops.sum(x * n)


def set_comp_rewritten(x):
    n = len([i % 2 for i in range(3)])
    return ops.sum(x * n)


# hint: pass or unpack the values one by one (each place a * can be)
# hint: unpack a tuple or list of known length (the function's *args, a tuple of values), or
# pass the values one by one
def starred_call_refused(x):
    return ops.sum(ops.add(*ops.split(x, 1)))  # HINT starred_call


def starred_call_rewritten(x):
    parts = ops.split(x, 1)
    return ops.sum(ops.add(parts[0], parts[1]))


def starred_target_refused(x):
    total = 0.0
    for a, *rest in ((x, x * 2.0, x * 3.0), (x * 4.0, x, x)):  # HINT starred_target
        total = total + ops.sum(a * rest[0])
    return total


def starred_target_rewritten(x):
    total = 0.0
    for a, b, c in ((x, x * 2.0, x * 3.0), (x * 4.0, x, x)):
        total = total + ops.sum(a * b)
    return total


# hint: index it (parts[0], parts[1:]) instead
def starred_runtime_refused(x):
    first, *rest = x  # HINT starred_runtime
    return ops.sum(first * rest[0])


def starred_runtime_rewritten(x):
    first, rest = x[0], x[1:]
    return ops.sum(first * rest[0])


# hint: build the list with append, or join arrays with ops.concat
def starred_runtime_display_refused(x):
    ys = [*x, x[0]]  # HINT starred_runtime_display
    return ops.sum(ys[0] * ys[-1])


def starred_runtime_display_rewritten(x):
    ys = ops.concat([x, x[:1]])
    return ops.sum(ys[0] * ys[-1])


# hint: use if / elif
def match_refused(x):
    match G:  # HINT match
        case 1.0:
            return ops.sum(x)
        case 2.0:
            return ops.sum(x * x)
    return ops.sum(x * 3.0)


def match_rewritten(x):
    if G == 1.0:
        return ops.sum(x)
    elif G == 2.0:
        return ops.sum(x * x)
    return ops.sum(x * 3.0)


# hint: define the alias at module level (Python 3.12+: ``type`` statements)
TYPE_ALIAS_REFUSED = '''
def type_alias_refused(x):
    type Scalar = float  # HINT type_alias
    return ops.sum(x * 2.0)
'''


def type_alias_rewritten(x):  # (the alias, were there one, at module level)
    return ops.sum(x * 2.0)


# =========================================================================================
# fence.py: the other refusals
# =========================================================================================

def _twice(fn):
    def wrapper(t):
        return fn(t) * 2.0
    return wrapper


# hint: define the decorated function at module level
def nested_decorator_refused(x):
    @_twice  # HINT nested_decorator
    def inner(t):
        return t * t
    return ops.sum(inner(x))


@_twice
def _inner_twice(t):
    return t * t


def nested_decorator_rewritten(x):
    return ops.sum(_inner_twice(x))


# hint: give it plain positional parameters (a nested def, a lambda)
def nested_varargs_refused(x):
    def inner(*ts):  # HINT nested_varargs
        return ts[0] * ts[1]
    return ops.sum(inner(x, x))


def nested_varargs_rewritten(x):
    def inner(a, b):
        return a * b
    return ops.sum(inner(x, x))


def lambda_kwonly_refused(x):
    f = lambda a, *, b: a * b  # HINT lambda_kwonly
    return ops.sum(f(x, b=x))


def lambda_kwonly_rewritten(x):
    f = lambda a, b: a * b
    return ops.sum(f(x, b=x))


def _takes(a, b=1.0):
    return a * b


# hint: pass the keyword arguments one by one (a dict known when compiled may be unpacked)
def kwargs_unpacking_refused(x):
    return ops.sum(_takes(x, **x))  # HINT kwargs_unpacking


def kwargs_unpacking_rewritten(x):
    return ops.sum(_takes(x, b=2.0))


class _Box:
    value = None


BOX = _Box()


# hint: keep the value in a local variable, or update state outside the differentiated call
def attr_assign_refused(x):
    BOX.value = x * 2.0  # HINT attr_assign
    return ops.sum(BOX.value * x)


def attr_assign_rewritten(x):
    value = x * 2.0
    return ops.sum(value * x)


class AttrAssignCellRefused(nn.Cell):
    def construct(self, x):
        self.hidden = ops.tanh(x)  # HINT attr_assign_cell
        return ops.sum(self.hidden * x)


class AttrAssignCellRewritten(nn.Cell):
    def construct(self, x):
        hidden = ops.tanh(x)
        return ops.sum(hidden * x)


# hint: build the new value with ops (e.g. ops.where, or concatenation) instead of writing
# into an array
def subscript_assign_refused(x):
    y = x * 2.0
    ys = [y]
    ys[0][0] = 0.0  # HINT subscript_assign
    return ops.sum(y * x)  # (y[0] = 0.0 itself is supported: a new value of y)


def subscript_assign_rewritten(x):
    y = x * 2.0
    y = ops.concat((ops.zeros_like(y[:1]), y[1:]), 0)
    return ops.sum(y * x)


def subscript_assign_where_rewritten(x):
    y = x * 2.0
    first = ops.arange(y.shape[0]).reshape(-1, 1) == 0
    y = ops.where(first, 0.0, y)
    return ops.sum(y * x)


def subscript_assign_list_refused(x):
    outs = []
    for t in range(x.shape[0]):  # (a list the loop appends to: a list built at run time)
        outs.append(x[t] * 2.0)
    outs[0] = x[0] * 3.0  # HINT subscript_assign_list
    return ops.sum(ops.stack(outs, 0) * x[0])


def subscript_assign_list_rewritten(x):
    outs = [x[0] * 3.0]
    for t in range(1, x.shape[0]):
        outs.append(x[t] * 2.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def subscript_assign_list_end_refused(x):
    outs = [x[0]]
    for t in range(x.shape[0]):
        outs[len(outs):] = [x[t] * 2.0]  # HINT subscript_assign_list_end
    return ops.sum(ops.stack(outs, 0) * x[0])


def subscript_assign_list_end_rewritten(x):
    outs = [x[0]]
    for t in range(x.shape[0]):
        outs.append(x[t] * 2.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def subscript_assign_list_end_extend_rewritten(x):
    outs = [x[0]]
    for t in range(x.shape[0]):
        outs.extend([x[t] * 2.0])
    return ops.sum(ops.stack(outs, 0) * x[0])


# =========================================================================================
# analyze.py
# =========================================================================================

LOG: list = []


# hint: keep its value with no gradient, LOG.append(ops.stop_gradient(...)), or a number,
# float(ops.stop_gradient(...)); or build a new list in the function (ys = list(xs); ys.append(...)) and
# return it
def outside_store_refused(x):
    y = x * 2.0
    LOG.append(y)  # HINT outside_store
    return ops.sum(y * y)


def outside_store_rewritten(x):
    y = x * 2.0
    LOG.append(ops.stop_gradient(y))
    return ops.sum(y * y)


NUMBERS: list = []
HISTORY = [1.0]  # a list from outside the function, which it copies


def outside_store_float_rewritten(x):
    y = x * 2.0
    NUMBERS.append(float(ops.stop_gradient(ops.sum(y))))
    return ops.sum(y * y)


def outside_store_new_list_rewritten(x):
    y = x * 2.0
    ys = list(HISTORY)
    ys.append(y)
    return ops.sum(y * y), ys


def nancumsum_refused(x):
    return ops.sum(np.nancumsum(x, axis=1) * x)  # HINT no_rule


def register_nancumsum_rule():
    """The hint's rewrite, word for word: a rule(dout, out, a, axis, dtype) returning
    (gradient of a,) (registered by the test, which puts the registry back after)."""
    @autograd_st.register_vjp(np.nancumsum)
    def _(dout, out, a, axis, dtype):
        return (np.flip(np.cumsum(np.flip(dout, axis), axis), axis),)


class _CubeNoBprop(PrimitiveWithInfer):
    """A primitive of the user's own without a bprop."""

    def __call__(self, x):
        return x * x * x


class _CubeBprop(_CubeNoBprop):
    """The hint's rewrite: the same primitive with get_bprop."""

    def get_bprop(self):
        def bprop(x, out, dout):
            return (dout * 3 * x * x,)
        return bprop


_CUBE_NO_BPROP, _CUBE_BPROP = _CubeNoBprop(), _CubeBprop()


def missing_bprop_refused(x):
    return ops.sum(_CUBE_NO_BPROP(x))  # HINT missing_bprop


def missing_bprop_rewritten(x):
    return ops.sum(_CUBE_BPROP(x))


def missing_bprop_stop_rewritten(x):  # or no gradient through it
    return ops.sum(ops.stop_gradient(_CUBE_NO_BPROP(x))) + ops.sum(x)


def missing_bprop_stop_expected(x):
    return np.ones(x.shape)


def to_number_refused(x):
    y = ops.sum(x * x)
    return y * 2.0 + float(y)  # HINT to_number


def to_number_rewritten(x):
    y = ops.sum(x * x)
    return y * 2.0 + float(ops.stop_gradient(y))


def to_number_expected(x):  # (the number's path left out, as MindSpore leaves it out)
    return 4.0 * np.asarray(x)


def to_number_tested_rewritten(x):  # a number only tested needs nothing
    y = ops.sum(x * x)
    if y.item() > 100.0:
        return y * 3.0
    return y * 2.0


class _CubeCellBprop(nn.Cell):
    """A Cell whose backward is its own bprop."""

    def construct(self, x):
        return x * x * x

    def bprop(self, x, out, dout):
        return (dout * 3 * x * x,)


class _CubeCell(nn.Cell):
    """The hint's rewrite: the same Cell without bprop (its construct differentiated)."""

    def construct(self, x):
        return x * x * x


_CUBE_CELL_BPROP, _CUBE_CELL = _CubeCellBprop(), _CubeCell()


def bprop_second_order_refused(x):
    return ops.sum(_CUBE_CELL_BPROP(x) * 2.0)  # HINT bprop_second_order


def bprop_second_order_rewritten(x):
    return ops.sum(_CUBE_CELL(x) * 2.0)


def no_rule_ops_rewritten(x):  # or a function that has a rule (no NaN here)
    return ops.sum(ops.cumsum(x, axis=1) * x)


# hint: use an ops.* or numpy function that has a rule instead (docs/api_coverage.md), ...
def no_rule_builtin_refused(x):
    return ops.sum(x) * math.hypot(ops.sum(x * x), 0.5)  # HINT no_rule_builtin


def no_rule_builtin_rewritten(x):
    return ops.sum(x) * ops.sqrt(ops.sum(x * x) ** 2 + 0.25)


def no_rule_builtin_stop_rewritten(x):  # or no gradient through it
    return ops.sum(x) * float(ops.stop_gradient(ops.sum(x * x)))


def no_rule_builtin_stop_expected(x):  # the float held constant: d/dx of sum(x) * c
    return np.full(x.shape, float(ops.sum(x * x)))


def sorted_reverse_refused(x):
    s = sorted([ops.sum(x), ops.sum(x * x)], reverse=bool(ops.sum(x) > 0))  # HINT sorted_reverse
    return s[0] * 2.0 + s[1]


def sorted_reverse_rewritten(x):
    s = sorted([ops.sum(x), ops.sum(x * x)], reverse=True)
    return s[0] * 2.0 + s[1]


def sorted_many_refused(x):
    return sorted([ops.sum(x * i) for i in range(40)])[-1]  # HINT sorted_many


def sorted_many_rewritten(x):
    return ops.sort(ops.stack([ops.sum(x * i) for i in range(40)]))[0][-1]


def sorted_key_tuple_refused(x):
    return ops.sum(sorted([x[0], x[1]], key=lambda r: (ops.sum(r), 1))[0])  # HINT sorted_key_tuple


def sorted_key_tuple_rewritten(x):
    return ops.sum(sorted([x[0], x[1]], key=lambda r: ops.sum(r))[0])


def max_default_rows_refused(x):
    return ops.sum(max(x, key=ops.sum, default=x[0]))  # HINT max_default_rows


def max_default_rows_rewritten(x):
    return ops.sum(max(x, key=ops.sum))


# =========================================================================================
# bprop.py
# =========================================================================================

class BpropArityRefused(nn.Cell):
    def construct(self, x):
        return ops.sum(x * x)

    def bprop(self, x, dout):  # HINT bprop_arity
        return (2.0 * x * dout,)


class BpropArityRewritten(nn.Cell):  # one parameter per input of construct, then out, dout
    def construct(self, x):
        return ops.sum(x * x)

    def bprop(self, x, out, dout):
        return (2.0 * x * dout,)


# =========================================================================================
# frontend.py
# =========================================================================================

def _power(x, n):
    if n == 0:
        return ops.ones_like(x)
    return _power(x, n - 1) * x  # HINT recursion


def recursion_refused(x):
    return ops.sum(_power(x, x.shape[0]))  # (a depth known only at run time)


def _power_loop(x, n):
    out = ops.ones_like(x)
    for _ in range(n):
        out = out * x
    return out


def recursion_rewritten(x):
    return ops.sum(_power_loop(x, x.shape[0]))


def _two(a, b, c=1.0):
    return a * b * c


# hint: call it with its parameters: _two(a, b, c=1.0)
def bad_call_refused(x):
    return ops.sum(_two(x, a=x))  # HINT bad_call


def bad_call_rewritten(x):
    return ops.sum(_two(x, x))


# =========================================================================================
# normalize.py
# =========================================================================================

# hint: reduce it to one value (e.g. with .all() or .any())
def tuple_condition_refused(x):
    if (x, x * 2.0):  # HINT tuple_condition
        return ops.sum(x * x)
    return ops.sum(x)


def tuple_condition_rewritten(x):
    if (x > 0).all():
        return ops.sum(x * x)
    return ops.sum(x)


def tuple_condition_while_refused(x):
    while (x, x):  # HINT tuple_condition_while
        x = x * 0.5
    return ops.sum(x)


def tuple_condition_while_rewritten(x):
    while (x > 0.5).any():
        x = x * 0.5
    return ops.sum(x)


# =========================================================================================
# normalize_calls.py
# =========================================================================================

def _halve(g):
    return g * 0.5


# hint: assign the result instead: c = np.add(a, b)
def ufunc_out_refused(x):
    c = ops.zeros_like(x)
    np.add(x, x * 2.0, out=c)  # HINT ufunc_out
    return ops.sum(c * x)


def ufunc_out_rewritten(x):
    c = np.add(x, x * 2.0)
    return ops.sum(c * x)


# hint: keep it out of what is differentiated (ops.stop_gradient on its inputs or its
# result), or take one derivative less
def unimplemented_derivative_refused(x):
    u = ops.svd(x)[1]  # HINT unimplemented_derivative
    return ops.sum(u) * ops.sum(x)


def unimplemented_derivative_rewritten(x):
    u = ops.stop_gradient(ops.svd(x)[1])
    return ops.sum(u) * ops.sum(x)


def unimplemented_derivative_expected(x):
    return np.full(x.shape, np.linalg.svd(x.asnumpy(), full_matrices=False)[0].sum())


# hint: register the hook right after y is computed, or wrap the value: y =
# ops.InsertGradientOf(fn)(y)
def register_hook_refused(x):
    if ops.sum(x) > 0:
        y = x * 2.0
    else:
        y = x * 3.0
    y.register_hook(_halve)  # HINT register_hook
    return ops.sum(y * y)


def register_hook_rewritten(x):
    if ops.sum(x) > 0:
        y = x * 2.0
        y.register_hook(_halve)
    else:
        y = x * 3.0
        y.register_hook(_halve)
    return ops.sum(y * y)


class _Scale3:
    def __init__(self, s):
        self.s = s

    def __call__(self, t):
        return t * self.s


# hint: make the Cell or object once, in __init__ (self.block = Block()), and call it there
class RuntimeCalleeRefused(nn.Cell):
    def construct(self, x):
        block = _Scale3(ops.sum(x))
        return ops.sum(block(x))  # HINT runtime_callee


class _ScaleBySum(nn.Cell):
    def construct(self, t):
        return t * ops.sum(t)


class RuntimeCalleeRewritten(nn.Cell):
    def __init__(self):
        super().__init__()
        self.block = _ScaleBySum()

    def construct(self, x):
        return ops.sum(self.block(x))


HOOK_CALLS: list = []


def _backward_hook(cell, grad_input, grad_output):
    HOOK_CALLS.append(type(cell).__name__)


def _hook_backward(grads):
    HOOK_CALLS.append(len(grads))


class _Mul(nn.Cell):
    def construct(self, a, b):
        return a * b


class _Square(nn.Cell):
    def construct(self, a):
        return a * a


class _Pair(nn.Cell):
    def construct(self, a):
        return a * 2.0, a * 3.0


# hint: register it on a Cell called with one Tensor, or use ops.HookBackward on the values
class BackwardHookInputsRefused(nn.Cell):
    def __init__(self):
        super().__init__()
        self.mul = _Mul()
        self.mul.register_backward_hook(_backward_hook)

    def construct(self, x):
        return ops.sum(self.mul(x, x * 2.0))  # HINT backward_hook_inputs


class BackwardHookInputsRewritten(nn.Cell):  # a Cell called with one Tensor
    def __init__(self):
        super().__init__()
        self.square = _Square()
        self.square.register_backward_hook(_backward_hook)

    def construct(self, x):
        return ops.sum(self.square(x) * 2.0)


class BackwardHookInputsValuesRewritten(nn.Cell):  # ops.HookBackward on the values
    def __init__(self):
        super().__init__()
        self.mul = _Mul()
        self.hook = ops.HookBackward(_hook_backward)

    def construct(self, x):
        return ops.sum(self.mul(self.hook(x), self.hook(x * 2.0)))


# hint: register it on a Cell with one Tensor output
class BackwardHookOutputRefused(nn.Cell):
    def __init__(self):
        super().__init__()
        self.pair = _Pair()
        self.pair.register_backward_hook(_backward_hook)

    def construct(self, x):
        a, b = self.pair(x)  # HINT backward_hook_output
        return ops.sum(a * b)


class BackwardHookOutputRewritten(nn.Cell):
    def __init__(self):
        super().__init__()
        self.square = _Square()
        self.square.register_backward_hook(_backward_hook)

    def construct(self, x):
        return ops.sum(self.square(x) * 6.0)


# normalize_calls.py: mindspore.recompute(block, *args, **options) inside differentiated code
class _Tanh(nn.Cell):
    def construct(self, x):
        return ops.tanh(x) * x


class RecomputeNotCellRefused(nn.Cell):
    def __init__(self):
        super().__init__()
        self.block = _Tanh()

    def construct(self, x):
        return ops.sum(autograd_st.recompute(ops.tanh, x))  # HINT recompute_not_cell


class RecomputeNotCellRewritten(RecomputeNotCellRefused):
    def construct(self, x):
        return ops.sum(autograd_st.recompute(self.block, x))  # the Cell first


class RecomputeRuntimeOptionRefused(RecomputeNotCellRefused):
    def construct(self, x):
        flag = ops.sum(x) > 0  # a runtime value
        y = autograd_st.recompute(self.block, x, use_reentrant=flag)  # HINT recompute_option
        return ops.sum(y)


class RecomputeRuntimeOptionRewritten(RecomputeNotCellRefused):
    def construct(self, x):
        return ops.sum(autograd_st.recompute(self.block, x, use_reentrant=True))


def _no_context():
    return None


class RecomputeBadKeywordRefused(RecomputeNotCellRefused):
    def construct(self, x):  # context_fn needs use_reentrant=False (MindSpore's ValueError)
        y = autograd_st.recompute(self.block, x, context_fn=_no_context)  # HINT recompute_keyword
        return ops.sum(y)


class RecomputeBadKeywordRewritten(RecomputeNotCellRefused):
    def construct(self, x):  # mindspore.recompute's keywords: context_fn with use_reentrant=False
        y = autograd_st.recompute(self.block, x, use_reentrant=False, context_fn=_no_context)
        return ops.sum(y)


class _Base(nn.Cell):
    def construct(self, x):
        return x * 2.0


def _base_of(cell, x):
    return super().construct(x)  # HINT super_no_arguments


def _base_of_rewritten(cell, x):
    return super(SuperRewritten, cell).construct(x)


# hint: call super(Class, self) with the class and the instance
class SuperRefused(_Base):
    def construct(self, x):
        return ops.sum(_base_of(self, x) * x)


class SuperRewritten(_Base):
    def construct(self, x):
        return ops.sum(_base_of_rewritten(self, x) * x)


# hint: pass it compile-time values (a function, a Cell, numbers)
def compile_time_api_refused(x):
    n = int(ops.sum(x) > 0.0) + 1
    return ops.sum(x * len(ops.make_range(n)))  # HINT compile_time_api


def compile_time_api_rewritten(x):  # (ops.ones((n, 3)) of a run-time n is made at run time)
    return ops.sum(x * len(ops.make_range(2)))


def _scaled_by(t, d):
    return t * d["s"]


# hint: build a new dict instead of changing it, or a tuple
def changed_after_use_refused(x):
    d = {"s": 2.0}
    y = _scaled_by(x, d)
    d.update(s=3.0)  # HINT changed_after_use
    return ops.sum(y * d["s"])


def changed_after_use_rewritten(x):
    d = {"s": 2.0}
    y = _scaled_by(x, d)
    d = dict(d, s=3.0)
    return ops.sum(y * d["s"])


def changed_after_use_tuple_rewritten(x):
    d = (2.0,)
    y = x * d[0]
    d = (3.0,)
    return ops.sum(y * d[0])


def changed_after_use_set_refused(x):
    s = {2.0}
    y = _scaled_by(x, {"s": len(s)})
    n = _count(s)
    s.add(3.0)  # HINT changed_after_use_set
    return ops.sum(y * n)


def _count(s):
    return len(s)


def changed_after_use_set_rewritten(x):
    s = {2.0}
    y = _scaled_by(x, {"s": len(s)})
    n = _count(s)
    s = s | {3.0}
    return ops.sum(y * n)


# =========================================================================================
# normalize_containers.py
# =========================================================================================

# hint: build a tuple or a list
def runtime_set_refused(x):
    return ops.sum(x) * len({x, x * 2.0})  # HINT runtime_set


def runtime_set_rewritten(x):
    return ops.sum(x) * len((x, x * 2.0))


# hint: operate on its items
def sequence_arithmetic_refused(x):
    xs = (x, x * 2.0)
    ys = xs * 2.5  # HINT sequence_arithmetic
    return ops.sum(ys[0] * ys[1])


def sequence_arithmetic_rewritten(x):
    xs = (x, x * 2.0)
    ys = (xs[0] * 2.5, xs[1] * 2.5)
    return ops.sum(ys[0] * ys[1])


def _append_to(lst, t):
    lst.append(t * 2.0)  # HINT argument_list
    return lst[-1] * t


def _append_to_new(lst, t):
    ys = list(lst)
    ys.append(t * 2.0)
    return ys[-1] * t, ys


OUTSIDE = [1.0, 0.5]
CACHE = {"a": 1.0}
SEEN = {1.0}


# hint: build a new list in the function (ys = list(xs); ys.append(...)) and return it
def argument_list_refused(x):
    return ops.sum(_append_to(OUTSIDE, x))


def argument_list_rewritten(x):
    y, ys = _append_to_new(OUTSIDE, x)
    return ops.sum(y), ys


# hint: build a new dict in the function ({'key': value, ...} with the items it needs) and
# return it
def outside_dict_refused(x):
    CACHE.update(h=x * 2.0)  # HINT outside_dict
    return ops.sum(CACHE["h"] * x)


def outside_dict_rewritten(x):
    d = {"a": CACHE["a"], "h": x * 2.0}
    return ops.sum(d["h"] * x), d


# hint: keep the values in a tuple or a list the function builds
def outside_set_refused(x):
    SEEN.discard(x)  # HINT outside_set
    return ops.sum(x * x)


def outside_set_rewritten(x):
    seen = [v for v in SEEN]
    seen.append(x)
    return ops.sum(seen[-1] * x), seen


# hint: compare with its items instead: sum(ops.equal(v, x) for v in xs) counts x
def outside_count_refused(x):
    return ops.sum(x * OUTSIDE.count(x))  # HINT outside_count


def outside_count_rewritten(x):
    return ops.sum(x * sum(ops.equal(v, x) for v in OUTSIDE))


# hint: build the list after the if, or build a new list in each branch (ys + [item])
# instead of changing it
def merged_list_changed_refused(x):
    ys = [x]
    if ops.sum(x) > 0.0:
        r = ys
    else:
        r = [x * 2.0]
    r.append(x * 3.0)  # HINT merged_list_changed
    return ops.sum(r[-1] * r[0])


def merged_list_changed_rewritten(x):
    ys = [x]
    if ops.sum(x) > 0.0:
        r = ys + [x * 3.0]
    else:
        r = [x * 2.0] + [x * 3.0]
    return ops.sum(r[-1] * r[0])


def merged_list_changed_after_rewritten(x):
    if ops.sum(x) > 0.0:
        first = x
    else:
        first = x * 2.0
    r = [first]
    r.append(x * 3.0)
    return ops.sum(r[-1] * r[0])


# hint: pop with a constant index
def runtime_pop_refused(x):
    ys = [x, x * 2.0]
    i = int(ops.sum(x) > 0.0)
    return ops.sum(ys.pop(i) * x)  # HINT runtime_pop


def runtime_pop_rewritten(x):
    ys = [x, x * 2.0]
    return ops.sum(ys.pop(1) * x)


# hint: build the list with append, and compute on its items
def list_method_refused(x):
    ys = [x, x * 2.0, x * 3.0]
    ys.remove(ys[1])  # HINT list_method
    return ops.sum(ys[0] * ys[1])


def list_method_rewritten(x):
    ys = []
    ys.append(x)
    ys.append(x * 3.0)
    return ops.sum(ys[0] * ys[1])


def list_index_refused(x):
    ys = [x, x * 2.0]
    return ops.sum(x) * ys.index(x)  # HINT list_index


def list_index_rewritten(x):
    ys = []
    ys.append(x)
    ys.append(x * 2.0)
    return ops.sum(x) * 0  # (the index of x: the item it was appended as)


# hint: use a for loop, or give the range constant bounds
def runtime_range_refused(x):
    n = int(ops.sum(x) > 0.0) + 1
    return ops.sum(sum({i: x * i for i in range(n)}.values()))  # HINT runtime_range


def runtime_range_rewritten(x):
    n = int(ops.sum(x) > 0.0) + 1
    total = x * 0.0
    for i in range(n):
        total = total + x * i
    return ops.sum(total)


def runtime_range_constant_rewritten(x):
    return ops.sum(sum([x * i for i in range(2)]))


# hint: use a for loop over it, or over range(<constant>)
def iterate_runtime_refused(x):
    return ops.sum(sum({0: r * r for r in x}.values()))  # HINT iterate_runtime


def iterate_runtime_rewritten(x):
    total = x[0] * 0.0
    for r in x:
        total = total + r * r
    return ops.sum(total)


def iterate_runtime_range_rewritten(x):
    return ops.sum(sum([x[i] * x[i] for i in range(2)]))


def _apply(f, t):
    return f(t)


def _double(t):
    return t * 2.0


# hint: call it where it is defined, or define it with def at module level
def lambda_passed_refused(x):
    return ops.sum(_apply(lambda t: t * 2.0, x) * x)  # HINT lambda_passed


def lambda_passed_rewritten(x):
    return ops.sum(_apply(_double, x) * x)


def lambda_passed_here_rewritten(x):
    f = lambda t: t * 2.0
    return ops.sum(f(x) * x)


def _pair_dot(pair, w):
    return pair[0] * w + pair[1]


def _pair_dot_vjp(dout, out, pair, w):
    return (None, dout * pair[0])


def _split_dot(a, b, w):
    return a * w + b


def register_pair_rules():
    """A user function with a rule: the refused one takes the pair as one parameter, the
    rewrite as separate parameters (what the hint asks)."""
    autograd_st.register_vjp(_pair_dot)(_pair_dot_vjp)

    @autograd_st.register_vjp(_split_dot)
    def _(dout, out, a, b, w):
        return (dout * w, dout, dout * a)


# hint: pass the arrays as separate parameters
def rule_tuple_refused(x):
    return ops.sum(_pair_dot((x, x * 2.0), x))  # HINT rule_tuple


def rule_tuple_rewritten(x):
    return ops.sum(_split_dot(x, x * 2.0, x))


# hint: index with a constant, or loop a constant number of times (for i in range(3)) so
# that the loop is unrolled
def runtime_index_refused(x):
    i = int(ops.sum(x) > 0.0)
    ys = (x, x * 2.0, x * 3.0)
    return ops.sum(ys[i] * x)  # HINT runtime_index


def runtime_index_rewritten(x):
    ys = (x, x * 2.0, x * 3.0)
    return ops.sum(ys[1] * x)


def runtime_index_loop_rewritten(x):
    ys = (x, x * 2.0, x * 3.0)
    total = x * 0.0
    for i in range(3):
        total = total + ys[i] * x
    return ops.sum(total)


class _Layer(nn.Cell):
    def __init__(self, s):
        super().__init__()
        self.s = s

    def construct(self, t):
        return ops.tanh(t * self.s)


class CellIndexRefused(nn.Cell):
    def __init__(self):
        super().__init__()
        self.layers = nn.CellList([_Layer(0.5), _Layer(2.0)])

    def construct(self, x):
        for i in range(x.shape[0]):
            x = self.layers[i](x)  # HINT cell_index
        return ops.sum(x)


class CellIndexRewritten(nn.Cell):
    def __init__(self):
        super().__init__()
        self.layers = nn.CellList([_Layer(0.5), _Layer(2.0)])

    def construct(self, x):
        for i in range(2):
            x = self.layers[i](x)
        return ops.sum(x)


# hint: build a Tensor with ops instead
def long_comprehension_refused(x):
    ws = {i: i * 1e-3 for i in range(1500)}  # HINT long_comprehension
    return ops.sum(x * len(ws))


def long_comprehension_rewritten(x):
    ws = ops.arange(1500) * 1e-3
    return ops.sum(x * ws.shape[0])


# hint: loop a constant number of times (for i in range(3)) so that the name is known, or
# keep the layers in an nn.CellList and index it
class GetattrNameRefused(nn.Cell):
    def __init__(self):
        super().__init__()
        self.layer0 = _Layer(0.5)
        self.layer1 = _Layer(2.0)

    def construct(self, x):
        for i in range(x.shape[0]):
            x = getattr(self, "layer%d" % i)(x)  # HINT getattr_name
        return ops.sum(x)


class GetattrNameRewritten(nn.Cell):
    def __init__(self):
        super().__init__()
        self.layer0 = _Layer(0.5)
        self.layer1 = _Layer(2.0)

    def construct(self, x):
        for i in range(2):
            x = getattr(self, "layer%d" % i)(x)
        return ops.sum(x)


# hint: loop over range(len(...)) of the runtime value and index the other sequence by its
# counter, or make both runtime values
def zip_mixed_refused(x):
    total = 0.0
    for row, w in zip(x, [x[0] * 0.5, x[1]]):  # HINT zip_mixed
        total = total + ops.sum(row * w)
    return total


def zip_mixed_rewritten(x):
    total = 0.0
    ws = ops.stack([x[0] * 0.5, x[1]])
    for row, w in zip(x, ws):
        total = total + ops.sum(row * w)
    return total


# hint: write a for loop with an if (or ops.where)
def comprehension_if_refused(x):
    d = {i: x * i for i in range(3) if ops.sum(x) > i}  # HINT comprehension_if
    return ops.sum(sum(d.values()))


def comprehension_if_rewritten(x):
    total = x * 0.0
    for i in range(3):
        if ops.sum(x) > i:
            total = total + x * i
    return ops.sum(total)


def comprehension_if_where_rewritten(x):
    return ops.sum(sum([ops.where(ops.sum(x) > i, x * i, 0.0) for i in range(3)]))


# hint: define it before the comprehension and pass it the value
def lambda_in_comprehension_refused(x):
    fs = [lambda t: t * i for i in range(3)]  # HINT lambda_in_comprehension
    return ops.sum(fs[2](x))


def lambda_in_comprehension_rewritten(x):
    f = lambda t, i: t * i
    ys = [f(x, i) for i in range(3)]
    return ops.sum(ys[2])


def _make_scaler():
    def scale(t):
        return t * 3.0
    return scale


# hint: call it where it is defined, or define it at module level
def foreign_closure_refused(x):
    scale = _make_scaler()
    return ops.sum(scale(x))  # HINT foreign_closure


def _scale_by_3(t):
    return t * 3.0


def foreign_closure_rewritten(x):
    return ops.sum(_scale_by_3(x))


def _times(k, t):
    return t * k


def _partial_of(k):
    return ops.partial(_times, k)  # HINT partial_returned


# hint: call the partial in the function that makes it, or return the values and make the
# partial in the caller (issue 17: F.partial, which is ops.partial;
# test_partial.py's pattern)
def partial_returned_refused(x):
    return ops.sum(_partial_of(x * 2.0)(x))


def partial_returned_rewritten(x):
    k = x * 2.0
    return ops.sum(ops.partial(_times, k)(x))


def _call_on(p, t):
    return p(t)


# hint: call the partial in the function that makes it
def partial_passed_refused(x):
    return ops.sum(_call_on(ops.partial(_times, x * 2.0), x))  # HINT partial_passed


def partial_passed_rewritten(x):
    return ops.sum(ops.partial(_times, x * 2.0)(x))


# hint: rewrite the recursion as a loop (a nested function)
def nested_recursion_refused(x):
    def power(t, n):
        if n == 0:
            return ops.ones_like(t)
        return power(t, n - 1) * t  # HINT nested_recursion
    return ops.sum(power(x, 3))


def nested_recursion_rewritten(x):
    def power(t, n):
        out = ops.ones_like(t)
        for _ in range(n):
            out = out * t
        return out
    return ops.sum(power(x, 3))


# hint: call it with its parameters: inner(a, b, c=1.0)
def nested_bad_call_refused(x):
    def inner(a, b, c=1.0):
        return a * b * c
    return ops.sum(inner(x, a=x))  # HINT nested_bad_call


def nested_bad_call_rewritten(x):
    def inner(a, b, c=1.0):
        return a * b * c
    return ops.sum(inner(x, x))


# hint: give the format spec as a constant
def format_spec_refused(x):
    width = int(ops.sum(x) > 0.0) + 3
    label = f"{x.shape[0]:{width}}"  # HINT format_spec
    return ops.sum(x * x)


def format_spec_rewritten(x):
    label = f"{x.shape[0]:4}"
    return ops.sum(x * x)


# =========================================================================================
# normalize_exprs.py
# =========================================================================================

# hint: give it a value before the loop
def loop_local_refused(x):
    for i in range(x.shape[0]):
        y = x * 2.0
    return ops.sum(y * x)  # HINT loop_local


def loop_local_rewritten(x):
    y = x * 0.0
    for i in range(x.shape[0]):
        y = x * 2.0
    return ops.sum(y * x)


# hint: assign it in every branch (or before the if)
def one_branch_refused(x):
    if ops.sum(x) > 0.0:
        label = "positive"
    print(label)  # HINT one_branch
    return ops.sum(x * x)


def one_branch_rewritten(x):
    if ops.sum(x) > 0.0:
        label = "positive"
    else:
        label = "not positive"
    print(label)
    return ops.sum(x * x)


def one_branch_before_rewritten(x):
    label = "not positive"
    if ops.sum(x) > 0.0:
        label = "positive"
    print(label)
    return ops.sum(x * x)


# hint: assign it before reading it
def nested_unbound_refused(x):
    def inner(t):
        total = total + t  # HINT nested_unbound
        return total
    return ops.sum(inner(x))


def nested_unbound_rewritten(x):
    def inner(t):
        total = t * 0.0
        total = total + t
        return total
    return ops.sum(inner(x))


def unbound_refused(x):
    y = x * G  # HINT unbound
    G = 3.0
    return ops.sum(y * G)


def unbound_rewritten(x):
    G = 3.0
    y = x * G
    return ops.sum(y * G)


# hint: use the ops function for it (ops.logical_and, ops.logical_or, ...), or apply it to
# compile-time values
def bitand_refused(x):
    m = (x > 0.3) & (x < 0.8)  # HINT bitand
    return ops.sum(ops.where(m, x * x, x))


def bitand_rewritten(x):
    m = ops.logical_and(x > 0.3, x < 0.8)
    return ops.sum(ops.where(m, x * x, x))


def bitor_refused(x):
    m = (x < 0.3) | (x > 0.8)  # HINT bitor
    return ops.sum(ops.where(m, x * x, x))


def bitor_rewritten(x):
    m = ops.logical_or(x < 0.3, x > 0.8)
    return ops.sum(ops.where(m, x * x, x))


def bitxor_refused(x):
    m = (x < 0.5) ^ (x > 0.3)  # HINT bitxor
    return ops.sum(ops.where(m, x * x, x))


def bitxor_rewritten(x):
    m = ops.logical_xor(x < 0.5, x > 0.3)
    return ops.sum(ops.where(m, x * x, x))


# hint: make it one Tensor first (ops.stack), or operate on its items
def value_times_tuple_refused(x):
    ys = (x, x * 2.0)
    return ops.sum(x * ys)  # HINT value_times_tuple


def value_times_tuple_rewritten(x):
    ys = (x, x * 2.0)
    return ops.sum(x * ops.stack(ys))


def value_times_tuple_items_rewritten(x):
    ys = (x, x * 2.0)
    return ops.sum(x * ys[0]) + ops.sum(x * ys[1])


# hint: read the written name itself after the write, or compute what you need from the old
# value before writing
def stale_read_refused(x):
    y = x * 2.0
    z = y[0]  # a view of y: numpy would show it the write below
    y[0] = x[1]
    return ops.sum(z * 3.0) + ops.sum(y)  # HINT stale_read


def stale_read_rewritten(x):
    y = x * 2.0
    zs = ops.sum(y[0] * 3.0)  # what it needs from the old value, before the write
    y[0] = x[1]
    return zs + ops.sum(y)


# hint: compare values with == (ops.equal) and combine the results, or test a compile-time
# value
def in_runtime_refused(x):
    s = ops.sum(x)
    return ops.sum(x * (1.0 if s in (1.0, 2.0) else 2.0))  # HINT in_runtime


def in_runtime_rewritten(x):
    s = ops.sum(x)
    hit = ops.logical_or(ops.equal(s, 1.0), ops.equal(s, 2.0))
    return ops.sum(x * (1.0 if hit else 2.0))


def is_runtime_refused(x):
    y = x * 2.0
    return ops.sum(x * (1.0 if y is x else 2.0))  # HINT is_runtime


def is_runtime_rewritten(x):
    y = x * 2.0
    return ops.sum(x * (1.0 if ops.equal(y, x).all() else 2.0))


# =========================================================================================
# normalize_loops.py
# =========================================================================================

# hint: make the condition depend on a value the loop changes
def while_true_refused(x):
    while True:  # HINT while_true
        x = x * 2.0
    return ops.sum(x)


def while_true_rewritten(x):
    while ops.sum(x) < 20.0:
        x = x * 2.0
    return ops.sum(x)


# hint: loop a constant number of times (for ... in range(3)) so that the loop is
# unrolled, or keep the value a Tensor and use ops.concat / ops.stack
def growing_tuple_refused(x):
    ys = ()
    for t in range(x.shape[0]):  # HINT growing_tuple
        ys = (x[t] * 2.0,) + ys  # (ys += (v,) at its end is a run-time list instead)
    return ops.sum(ops.stack(ys) * x)


def growing_tuple_rewritten(x):
    ys = ()
    for t in range(2):
        ys = (x[t] * 2.0,) + ys
    return ops.sum(ops.stack(ys) * x)


def growing_tuple_tensor_rewritten(x):
    ys = x[:0] * 2.0
    for t in range(x.shape[0]):
        ys = ops.concat((x[t:t + 1] * 2.0, ys), 0)
    return ops.sum(ys * x)


# hint: loop a constant number of times (for ... in range(3)) so that the loop is
# unrolled, or build a Tensor with ops.concat / ops.stack
def changed_list_refused(x):
    ys = [x, x * 2.0, x * 3.0]
    for t in range(x.shape[0]):  # HINT changed_list
        ys.pop()
    return ops.sum(ys[0] * x)


def changed_list_rewritten(x):
    ys = [x, x * 2.0, x * 3.0]
    for t in range(2):
        ys.pop()
    return ops.sum(ys[0] * x)


def changed_list_tensor_rewritten(x):
    ys = ops.stack([x, x * 2.0, x * 3.0])
    for t in range(x.shape[0]):
        ys = ys[:-1]
    return ops.sum(ys[0] * x)


# =========================================================================================
# normalize_stmts.py
# =========================================================================================

# hint: append the same number of items in both branches, or keep the list in a name of its
# own (then built at run time), or build a Tensor with ops.where
def list_lengths_refused(x):
    d = {"ys": [x]}  # (a list a dict holds: not made a list built at run time)
    if ops.sum(x) > 0.0:  # HINT list_lengths
        d["ys"].append(x * 2.0)
    return ops.sum(d["ys"][-1] * x)


def list_lengths_rewritten(x):
    d = {"ys": [x]}
    if ops.sum(x) > 0.0:
        d["ys"].append(x * 2.0)
    else:
        d["ys"].append(x)
    return ops.sum(d["ys"][-1] * x)


def list_lengths_where_rewritten(x):
    d = {"ys": [x]}
    d["ys"].append(ops.where(ops.sum(x) > 0.0, x * 2.0, x))
    return ops.sum(d["ys"][-1] * x)


# hint: give it the same number of items in both branches
def tuple_lengths_refused(x):
    if ops.sum(x) > 0.0:  # HINT tuple_lengths
        t = (x,)
    else:
        t = (x, x)
    return ops.sum(t[0] * x)


def tuple_lengths_rewritten(x):
    if ops.sum(x) > 0.0:
        t = (x, x * 0.0)
    else:
        t = (x, x)
    return ops.sum(t[0] * x)


# hint: give it the same structure in both branches
def tuple_structure_refused(x):
    if ops.sum(x) > 0.0:  # HINT tuple_structure
        t = (x, x * 2.0)
    else:
        t = x
    return ops.sum(t[0] * x)


def tuple_structure_rewritten(x):
    if ops.sum(x) > 0.0:
        t = (x, x * 2.0)
    else:
        t = (x, x)
    return ops.sum(t[0] * x)


# hint: give it the same keys, in the same order, in both branches
def dict_keys_refused(x):
    if ops.sum(x) > 0.0:  # HINT dict_keys
        d = {"a": x, "b": x * 2.0}
    else:
        d = {"b": x, "a": x * 2.0}
    return ops.sum(d["a"] * d["b"])


def dict_keys_rewritten(x):
    if ops.sum(x) > 0.0:
        d = {"a": x, "b": x * 2.0}
    else:
        d = {"a": x * 2.0, "b": x}
    return ops.sum(d["a"] * d["b"])


# hint: give it a Tensor, a number, a string or None in both branches (to choose a function
# or a Cell, call it inside each branch: y = f(x) in one, y = g(x) in the other)
def branch_kind_refused(x):
    if ops.sum(x) > 0.0:  # HINT branch_kind
        act = ops.tanh
    else:
        act = ops.sigmoid
    return ops.sum(act(x) * x)


def branch_kind_rewritten(x):
    if ops.sum(x) > 0.0:
        y = ops.tanh(x)
    else:
        y = ops.sigmoid(x)
    return ops.sum(y * x)


# =========================================================================================
# runtime_lists.py: a list appended to in a loop whose trip count is not a constant
# (``range(x.shape[0])``: one compile serves every shape)
# =========================================================================================

# hint: use reverse mode (ops.grad, ops.value_and_grad) once, or loop a constant number of
# times (for t in range(8)) so that the loop is unrolled
def rt_forward_refused(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(ops.sin(x[t]))  # HINT rt_forward
    return ops.sum(ops.stack(outs) * x)


def rt_forward_rewritten(x):
    outs = []
    for t in range(2):
        outs.append(ops.sin(x[t]))
    return ops.sum(ops.stack(outs) * x)


def rt_second_order_refused(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(ops.sin(x[t]))
    return ops.sum(ops.stack(outs) * x)  # HINT rt_second_order


def rt_second_order_rewritten(x):
    outs = []
    for t in range(2):
        outs.append(ops.sin(x[t]))
    return ops.sum(ops.stack(outs) * x)


# the same hint for the parts of ops.split with an int size (how many depends on the shape)
def split_forward_refused(x):
    a, b = ops.split(x, 2, axis=-1)  # HINT split_forward
    return ops.sum(ops.sin(a) * b[..., :1])


def split_forward_rewritten(x):
    a, b = ops.split(x, [2, 1], axis=-1)
    return ops.sum(ops.sin(a) * b[..., :1])


def split_second_order_refused(x):
    a, b = ops.split(x, 2, axis=-1)  # HINT split_second_order
    return ops.sum(ops.sin(a) * b[..., :1])


def split_second_order_rewritten(x):
    a, b = ops.split(x, [2, 1], axis=-1)
    return ops.sum(ops.sin(a) * b[..., :1])


# hint: read the list with ops.stack(outs, axis), ops.concat(outs, axis), outs[i], len(outs)
# or a for loop over it; or loop a constant number of times so that the loop is unrolled
def rt_pop_refused(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t] * 2.0)
    return ops.sum(outs.pop(0) * x[0])  # HINT rt_pop


def rt_pop_rewritten(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t] * 2.0)
    return ops.sum(outs[0] * x[0])


def rt_as_array_refused(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t] * x[t])
    return ops.sum(outs * 2.0)  # HINT rt_as_array


def rt_as_array_rewritten(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * 2.0)


def rt_print_refused(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t] * x[t])
    print(outs)  # HINT rt_print
    return ops.sum(ops.stack(outs, 0))


def rt_print_rewritten(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t] * x[t])
    print(len(outs), ops.stack(outs, 0))
    return ops.sum(ops.stack(outs, 0))


def rt_axis_refused(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t] * x[t])
    axis = int(ops.sum(x) < 0.0)
    return ops.sum(ops.stack(outs, axis) * 2.0)  # HINT rt_axis


def rt_axis_rewritten(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t] * x[t])
    return ops.sum(ops.stack(outs, 0) * 2.0)


def rt_insert_refused(x):
    outs = []
    for t in range(x.shape[0]):
        outs.insert(0, x[t] * 2.0)  # HINT rt_insert
    return ops.sum(ops.stack(outs, 0) * x)


def rt_insert_rewritten(x):  # a loop over the list, read from its end
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t] * 2.0)
    reversed_outs = []
    for i in range(len(outs)):
        reversed_outs.append(outs[len(outs) - 1 - i])
    return ops.sum(ops.stack(reversed_outs, 0) * x)


def rt_append_list_refused(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append([x[t], x[t] * 2.0])  # HINT rt_append_list
    return ops.sum(outs[0][1] * x)


def rt_append_list_rewritten(x):
    outs = []
    for t in range(2):
        outs.append([x[t], x[t] * 2.0])
    return ops.sum(outs[0][1] * x)


def rt_holding_list_refused(x):
    outs = [[x[0]]]
    for t in range(x.shape[0]):  # HINT rt_holding_list
        outs.append(x[t])
    return ops.sum(outs[-1] * x)


def rt_holding_list_rewritten(x):
    outs = [[x[0]]]
    for t in range(2):
        outs.append(x[t])
    return ops.sum(outs[-1] * x)


def rt_two_names_refused(x):
    outs = []
    alias = outs
    for t in range(x.shape[0]):  # HINT rt_two_names
        alias.append(x[t])
    return ops.sum(ops.stack(outs, 0) * x)


def rt_two_names_rewritten(x):
    outs = []
    alias = outs
    for t in range(2):
        alias.append(x[t])
    return ops.sum(ops.stack(outs, 0) * x)


def rt_held_in_tuple_refused(x):
    outs = [x[0]]
    pair = (outs, 1)
    for t in range(x.shape[0]):  # HINT rt_held_in_tuple
        outs.append(x[t])
    return ops.sum(ops.stack(pair[0], 0))


def rt_held_in_tuple_rewritten(x):
    outs = [x[0]]
    pair = (outs, 1)
    for t in range(2):
        outs.append(x[t])
    return ops.sum(ops.stack(pair[0], 0))


# hint: append to the list by its name (outs.append(v)), or loop a constant number of times
# so that the loop is unrolled
def alias_stale_refused(x):
    outs = [x[0]]
    push = outs.append
    for t in range(x.shape[0]):
        push(x[t] * 2.0)
    total = ops.sum(ops.stack(outs, 0))
    outs = []
    push(x[0])  # HINT alias_stale
    return total


def alias_stale_rewritten(x):
    outs = [x[0]]
    for t in range(x.shape[0]):
        outs.append(x[t] * 2.0)
    total = ops.sum(ops.stack(outs, 0))
    outs = []
    outs.append(x[0])
    return total


# hint: call the method in the function itself (for v in vs: outs.append(v))
def alias_passed_refused(x):
    outs = [x[0]]
    list(filter(outs.append, [x[1] * 2.0, x[0]]))  # HINT alias_passed
    return ops.sum(ops.stack(outs, 0) * x[0])


def alias_passed_rewritten(x):
    outs = [x[0]]
    for v in [x[1] * 2.0, x[0]]:
        outs.append(v)
    return ops.sum(ops.stack(outs, 0) * x[0])


# hint: keep the list's length or the dict's keys, and each item a Tensor or a number (set
# items, do not add or remove them), or loop a constant number of times (for ... in range(3))
# so that the loop is unrolled
def alias_dict_loop_refused(x):
    d = {"s": x[0]}
    put = d.__setitem__
    t = 0
    while t < x.shape[0]:  # HINT alias_dict_loop
        put("s", d["s"] + x[t])
        put("n%d" % 0, t)  # (a key the loop adds)
        t += 1
    return ops.sum(d["s"])


def alias_dict_loop_rewritten(x):
    d = {"s": x[0]}
    put = d.__setitem__
    t = 0
    while t < x.shape[0]:  # (its items carried by the loop)
        put("s", d["s"] + x[t])
        t += 1
    return ops.sum(d["s"])


def alias_dict_loop_unrolled_rewritten(x):
    d = {"s": x[0]}
    put = d.__setitem__
    for t in range(2):
        put("s", d["s"] + x[t])
    return ops.sum(d["s"])


# =========================================================================================
# reverse.py
# =========================================================================================

EFFECTS: list = []


class _Logged(nn.Cell):
    def construct(self, x):
        EFFECTS.append("step")
        return ops.sin(x) * 0.5


class _Quiet(nn.Cell):
    def construct(self, x):
        return ops.sin(x) * 0.5


# hint: take higher-order derivatives of a loop without side effects (move print/append out
# of the loop), or use finite differences of the gradient
class LoopEffectsRefused(nn.Cell):
    def __init__(self):
        super().__init__()
        self.step = _Logged()

    def construct(self, x):
        while ops.sum(x) < 6.0:
            x = x + self.step(x)  # HINT loop_effects
        return ops.sum(x * x)


class LoopEffectsRewritten(nn.Cell):
    def __init__(self):
        super().__init__()
        self.step = _Quiet()

    def construct(self, x):
        EFFECTS.append("loop")
        while ops.sum(x) < 6.0:
            x = x + self.step(x)
        return ops.sum(x * x)


# hint: take higher-order derivatives with the random draw out of the loop (draw the masks
# before it, or set_train(False) for dropout)
class LoopDrawRefused(nn.Cell):
    def __init__(self):
        super().__init__()
        self.drop = nn.Dropout(p=0.25)
        self.drop.set_train(True)

    def construct(self, x):
        for _ in range(3):
            x = ops.sin(self.drop(x))  # HINT loop_draw
        return ops.sum(x * x)


class LoopDrawRewritten(LoopDrawRefused):
    def __init__(self):
        super().__init__()
        self.drop.set_train(False)


# =========================================================================================
# dict displays, async comprehensions, range loops
# =========================================================================================

# hint: use strings or numbers as keys (a runtime value is not known when the code is
# compiled): {'total': ops.sum(x)}, not {ops.sum(x): x}
def dict_key_refused(x):
    d = {ops.sum(x): x * 2.0}  # HINT dict_key
    return ops.sum(x * len(d))


def dict_key_rewritten(x):
    d = {"total": ops.sum(x), "double": x * 2.0}
    return ops.sum(x * len(d)) + d["total"] * 0.5


def dict_comp_key_refused(x):
    d = {ops.sum(x * i): x * i for i in range(2)}  # HINT dict_comp_key
    return ops.sum(x * len(d))


def dict_comp_key_rewritten(x):
    d = {i: x * i for i in range(2)}
    return ops.sum(x * len(d)) + ops.sum(d[1])


PAIRS = (("a", 1.0), ("b", 2.0))
SCALES = {"a": 1.0, "b": 2.0}


# hint: unpack a dict the code is compiled with (a global, an attribute, a dict the
# function builds), or write the items one by one
def dict_unpack_refused(x):
    d = {**PAIRS, "c": 3.0}  # HINT dict_unpack
    return ops.sum(x * d["b"] * d["c"])


def dict_unpack_rewritten(x):
    d = {**SCALES, "c": 3.0}
    return ops.sum(x * d["b"] * d["c"])


def dict_unpack_items_rewritten(x):
    d = {"a": 1.0, "b": 2.0, "c": 3.0}
    return ops.sum(x * d["b"] * d["c"])


# hint: collect the values before the call and pass them in (differentiated code must be
# synchronous)
async def async_comprehension_refused(x):
    scales = [s async for s in _AsyncRange(2)]  # HINT async_comprehension
    return ops.sum(x * scales[1])


def async_comprehension_rewritten(x, values):
    scales = [s for s in values]
    return ops.sum(x * scales[1])


# hint: loop with one name (for i in range(n)), and compute the others from it in the body
def range_targets_refused(x):
    for i, j in range(2):  # HINT range_targets
        x = x * (i + j)
    return ops.sum(x)


def range_targets_rewritten(x):
    for i in range(2):
        j = i + 1
        x = x * (i + j)
    return ops.sum(x)


# =========================================================================================
# the table
# =========================================================================================

X = Tensor(np.random.default_rng(14).uniform(0.1, 1.0, (2, 3)))


# hint (analyze.py): a call made for what it does to a value being differentiated
def effect_call_refused(x):
    m = x * 2.0
    np.fill_diagonal(m, 0.0)  # HINT effect_call
    return np.sum(m * x)


def effect_call_rewritten(x):
    m = x * 2.0
    m = m * (1 - np.eye(2, 3))  # (n: its shape)
    return np.sum(m * x)


# hint (normalize_stmts.py): an ndarray method that changes the array in place, as a statement
def np_method_stmt_refused(x):
    m = x * 2.0
    m.sort(axis=1)  # HINT np_method_stmt
    return np.sum(m * x)


def np_method_stmt_rewritten(x):
    m = x * 2.0
    m = np.sort(m, axis=1)
    return np.sum(m * x)


# hint (normalize_exprs.py): a type test of a value computed from numpy arrays
def type_test_refused(x):
    s = np.sum(x * x)
    return s * 2.0 if isinstance(s, np.ndarray) else s * 3.0  # HINT type_test


def type_test_rewritten(x):
    s = np.sum(x * x)
    return s * 2.0 if np.ndim(s) > 0 else s * 3.0


# hint (analyze.py): an object of the user's own class holding a value being differentiated
@dataclass
class _PairState:
    h: object
    c: object


def user_class_refused(x):
    st = _PairState(x * 2.0, ops.sin(x))  # HINT user_class
    return ops.sum(st.h * st.c)


class PairState(typing.NamedTuple):
    h: object
    c: object


def user_class_rewritten(x):
    st = PairState(x * 2.0, ops.sin(x))
    st = st._replace(h=st.h + st.c)
    return ops.sum(st.h * st.c)


@dataclass
class Case:
    """One hint: ``NAME_refused`` raises ``error`` with ``hint`` (from the compiler module
    ``site``) when called as ``mode`` says (``grad``: ``ops.grad(f)``; ``grad2``: the
    gradient of the gradient; ``jvp``: forward mode); ``NAME_rewritten`` (and ``also``) is
    the rewrite the hint asks for.  ``args``: the rewrite's arguments (default ``(X,)``);
    ``refused_args``: the refused one's (default ``args``); ``grad_factor``: the rewrite's
    gradient over the central differences (a gradient hook that scales it); ``construct``:
    the fence's REFUSED entry it covers; ``line``: the marker's tag (default ``name``);
    ``python``: the Python version the construct needs; ``setup``: what the rewrite runs
    first (a rule it registers), ``refused_setup`` what the refused code does; ``expected``: rewrite -> a function of the arguments giving
    its gradient, for a rewrite that cuts the gradient (``ops.stop_gradient``) where central
    differences of the function itself do not."""
    name: str
    error: type
    hint: str
    site: str
    mode: str = "grad"
    args: tuple | None = None
    refused_args: tuple | None = None
    grad_factor: float = 1.0
    construct: str = ""
    line: str | None = None
    python: tuple | None = None
    setup: object = None
    refused_setup: object = None
    expected: dict = field(default_factory=dict)
    refused: object = None
    rewritten: object = None
    also: tuple = field(default_factory=tuple)

    def __post_init__(self):
        mod = sys.modules[__name__]
        if self.refused is None:
            self.refused = getattr(mod, self.name + "_refused")
        if self.rewritten is None:
            self.rewritten = getattr(mod, self.name + "_rewritten")

    def rewrites(self) -> list:
        return [self.rewritten, *self.also]


_TRY = "compute without exceptions, or move the try block out of the differentiated function"
_SYNC = "differentiated code must be synchronous"
_YIELD = "return the values (a tuple) instead of yielding them"
_IMPORT = "import at module level"
_CHECK = "check the inputs before calling the gradient function"
_STARRED = "pass or unpack the values one by one"
_PLAIN = "give it plain positional parameters"
_ATTR = ("keep the value in a local variable, or update state outside the differentiated "
         "call")
_SUBSCRIPT = ("build the new value with ops (e.g. ops.where, or concatenation) instead of "
              "writing into an array; to add to a list, outs.append(v) or outs.extend(vs)")
U = UnsupportedSyntaxError
DICT_KEYS = ("use strings or numbers as keys (a runtime value is not known when the code is "
             "compiled): {'total': ops.sum(x)}, not {ops.sum(x): x}")
RT_MODE = ("use reverse mode (ops.grad, ops.value_and_grad) once; or loop a constant number of "
           "times (for t in range(8)) so that the loop is unrolled; or give ops.split the sizes "
           "as a list (ops.split(x, [2, 2], axis))")
RT_READ = ("read the list with ops.stack(outs, axis), ops.concat(outs, axis), outs[i], "
           "len(outs) or a for loop over it; or loop a constant number of times so that the "
           "loop is unrolled")

CASES = [
    # fence.py: REFUSED
    Case("try", U, _TRY, "fence", construct="Try"),
    Case("effect_call", U, "compute a new value instead (M = M * (1 - np.eye(n)) for "
         "np.fill_diagonal, M = np.full_like(M, v) for M.fill(v), np.where(mask, v, M) for "
         "np.putmask), or, if the call leaves its arguments as they were, pass "
         "ops.stop_gradient(...) of them", "analyze", args=(X.asnumpy(),)),
    Case("np_method_stmt", CompileError, "assign the new value: m = np.sort(m, ...) (or the "
         "Tensor's m = m.sort(...))", "normalize_stmts", args=(X.asnumpy(),)),
    Case("type_test", U, "test the argument the function was given, or np.ndim(value) (0 "
         "for a numpy scalar), instead", "normalize_exprs", args=(X.asnumpy(),)),
    Case("user_class", U, "hold the values in a typing.NamedTuple (class _PairState(NamedTuple): "
         "h: Tensor; c: Tensor) or a collections.namedtuple, which compiled code builds and "
         "reads (st.h, st._replace(h=...)), or in a tuple or a dict", "analyze"),
    Case("try_star", U, _TRY, "fence", construct="TryStar", python=(3, 11),
         refused=TRY_STAR_REFUSED),
    Case("with", U, "move the with block out of the differentiated function", "fence",
         construct="With"),
    Case("async_with", U, "move the async with block out of the differentiated function ("
         + _SYNC + ")", "fence", construct="AsyncWith"),
    Case("await", U, "await the value before the call and pass it in as an argument ("
         + _SYNC + ")", "fence", construct="Await", args=(X, 3.0), refused_args=(X,)),
    Case("async_for", U, "collect the values before the call and loop over them with a "
         "plain for (" + _SYNC + ")", "fence", construct="AsyncFor", args=(X, (1.0, 2.0)),
         refused_args=(X,)),
    Case("yield", U, _YIELD, "fence", construct="Yield"),
    Case("yield_from", U, _YIELD, "fence", construct="YieldFrom"),
    Case("global", U, "pass the value in as an argument or keep it on self", "fence",
         construct="Global", args=(X, G), refused_args=(X,)),
    Case("global_on_self", U, "pass the value in as an argument or keep it on self", "fence",
         construct="Global", line="global", refused=global_refused,
         rewritten=GlobalRewrittenCell),
    Case("nonlocal", U, "return the new value instead of assigning an outer variable",
         "fence", construct="Nonlocal", refused=make_nonlocal_refused(),
         rewritten=make_nonlocal_rewritten()),
    Case("del", U, "let the variable go out of scope instead", "fence", construct="Delete"),
    Case("class", U, "define the class outside the differentiated function", "fence",
         construct="ClassDef"),
    Case("async_def", U, "make it a plain def (" + _SYNC + ")", "fence",
         construct="AsyncFunctionDef"),
    Case("import", U, _IMPORT, "fence", construct="Import"),
    Case("import_from", U, _IMPORT, "fence", construct="ImportFrom"),
    Case("raise", U, _CHECK, "normalize_stmts"),
    Case("assert", U, _CHECK, "normalize_stmts"),
    Case("walrus", U, "assign the value in a statement of its own", "fence",
         construct="NamedExpr"),
    Case("set_comp", U, "build a list or a tuple instead", "fence", construct="SetComp"),
    Case("starred_call", CompileError, "unpack a tuple or list of known length (the "
         "function's *args, a tuple of values), or pass the values one by one",
         "normalize_calls"),
    Case("starred_target", U, _STARRED, "fence", construct="Starred"),
    Case("starred_runtime", U, "index it (parts[0], parts[1:]) instead", "normalize_stmts"),
    Case("starred_runtime_display", U, "build the list with append, or join arrays with "
         "ops.concat", "normalize_containers"),
    Case("match", U, "use if / elif", "fence", construct="Match"),
    Case("type_alias", U, "define the alias at module level", "fence",
         construct="TypeAlias", python=(3, 12), refused=TYPE_ALIAS_REFUSED),
    # fence.py: the others
    Case("nested_decorator", U, "define the decorated function at module level", "fence"),
    Case("nested_varargs", U, _PLAIN, "fence"),
    Case("lambda_kwonly", U, _PLAIN, "fence"),
    Case("kwargs_unpacking", U, "pass the keyword arguments one by one", "normalize_calls"),
    Case("attr_assign", U, _ATTR, "fence"),
    Case("attr_assign_cell", U, _ATTR, "fence", refused=AttrAssignCellRefused,
         rewritten=AttrAssignCellRewritten),
    Case("subscript_assign", U, _SUBSCRIPT, "fence", also=(subscript_assign_where_rewritten,)),
    Case("subscript_assign_list", U, _SUBSCRIPT, "normalize_stmts"),
    Case("subscript_assign_list_end", U, _SUBSCRIPT, "normalize_stmts",
         also=(subscript_assign_list_end_extend_rewritten,)),
    # analyze.py
    Case("outside_store", U, "keep its value with no gradient, LOG.append(ops.stop_gradient("
         "...)), or a number, float(ops.stop_gradient(...)); or build a new list in the function (ys = list(xs); "
         "ys.append(...)) and return it", "analyze",
         also=(outside_store_float_rewritten, outside_store_new_list_rewritten)),
    Case("no_rule", NoDerivativeError, "give it a rule: @autograd_st.register_vjp("
         "np.nancumsum) over a function rule(dout, out, a, axis, dtype) returning (gradient "
         "of a,) (a gradient per parameter without a default); or use an ops.* or numpy "
         "function that has one (docs/api_coverage.md); or wrap the argument in "
         "ops.stop_gradient(...) if no gradient should flow", "analyze",
         refused=nancumsum_refused, rewritten=nancumsum_refused, setup=register_nancumsum_rule,
         also=(no_rule_ops_rewritten,)),
    Case("no_rule_builtin", NoDerivativeError, "use an ops.* or numpy function that has a rule "
         "instead (docs/api_coverage.md), or a function of your own given one with "
         "@autograd_st.register_vjp; or wrap the argument in ops.stop_gradient(...) if no "
         "gradient should flow", "analyze", also=(no_rule_builtin_stop_rewritten,),
         expected={no_rule_builtin_stop_rewritten: no_rule_builtin_stop_expected}),
    # bprop.py
    Case("bprop_arity", CompileError, "give bprop one parameter per construct input, then out "
         "and dout", "bprop", refused=BpropArityRefused, rewritten=BpropArityRewritten),
    # frontend.py
    Case("recursion", RecursionNotSupportedError, "rewrite the recursion as a loop, or give "
         "it its depth as a Python int argument that reaches the base case (each depth is "
         "then compiled on its own)", "frontend"),
    Case("bad_call", CallArgumentError, "call it with its parameters: _two(a, b, c=1.0)",
         "frontend"),
    # normalize.py
    Case("tuple_condition", CompileError, "reduce it to one value (e.g. with .all() or "
         ".any())", "normalize"),
    Case("tuple_condition_while", CompileError, "reduce it to one value (e.g. with .all() or "
         ".any())", "normalize"),
    # normalize_calls.py
    Case("ufunc_out", UnsupportedSyntaxError, "assign the result instead: c = np.add(a, b)",
         "normalize_calls"),
    Case("unimplemented_derivative", UnsupportedSyntaxError, "keep it out of what is "
         "differentiated (ops.stop_gradient on its inputs or its result), or take one "
         "derivative less", "bprop",
         expected={unimplemented_derivative_rewritten: unimplemented_derivative_expected}),
    Case("register_hook", CompileError, "register the hook right after y is computed, or wrap "
         "the value: y = ops.InsertGradientOf(fn)(y)", "normalize_calls",
         grad_factor=0.5),
    Case("runtime_callee", CompileError, "make the Cell or object once, in __init__ "
         "(self.block = Block()), and call it there (self.block(x))", "normalize_calls",
         refused=RuntimeCalleeRefused, rewritten=RuntimeCalleeRewritten),
    Case("backward_hook_inputs", CompileError, "register it on a Cell called with one Tensor, "
         "or use ops.HookBackward on the values", "normalize_calls",
         refused=BackwardHookInputsRefused, rewritten=BackwardHookInputsRewritten,
         also=(BackwardHookInputsValuesRewritten,)),
    Case("backward_hook_output", CompileError, "register it on a Cell with one Tensor output",
         "normalize_calls", refused=BackwardHookOutputRefused,
         rewritten=BackwardHookOutputRewritten),
    Case("recompute_not_cell", CompileError, "pass the Cell first: recompute(self.block, x)",
         "normalize_calls", refused=RecomputeNotCellRefused,
         rewritten=RecomputeNotCellRewritten),
    Case("recompute_option", CompileError, "pass use_reentrant=True/False and the others as "
         "constants", "normalize_calls", refused=RecomputeRuntimeOptionRefused,
         rewritten=RecomputeRuntimeOptionRewritten),
    Case("recompute_keyword", CompileError, "see mindspore.recompute's keywords",
         "normalize_calls", refused=RecomputeBadKeywordRefused,
         rewritten=RecomputeBadKeywordRewritten),
    Case("super_no_arguments", CompileError, "call super(Class, self) with the class and the "
         "instance", "normalize_calls", refused=SuperRefused, rewritten=SuperRewritten),
    Case("compile_time_api", CompileError, "pass it compile-time values (a function, a Cell, "
         "numbers)", "normalize_calls"),
    Case("changed_after_use", U, "build a new dict instead of changing it, or a tuple",
         "normalize_containers", also=(changed_after_use_tuple_rewritten,)),
    Case("changed_after_use_set", U, "build a new set instead of changing it, or a tuple",
         "normalize_containers"),
    # normalize_containers.py
    Case("runtime_set", U, "build a tuple or a list", "normalize_containers"),
    Case("sequence_arithmetic", CompileError, "operate on its items", "normalize_containers"),
    Case("argument_list", U, "build a new list in the function (ys = list(xs); "
         "ys.append(...)) and return it", "normalize_containers"),
    Case("outside_dict", U, "build a new dict in the function ({'key': value, ...} with the "
         "items it needs) and return it", "normalize_containers"),
    Case("outside_set", U, "keep the values in a tuple or a list the function builds",
         "normalize_containers"),
    Case("outside_count", U, "compare with its items instead: sum(ops.equal(v, x) for v in "
         "xs) counts x", "normalize_containers"),
    Case("merged_list_changed", U, "build the list after the if, or build a new list in "
         "each branch (ys + [item]) instead of changing it", "normalize_containers", also=(merged_list_changed_after_rewritten,)),
    Case("runtime_pop", U, "pop with a constant index", "normalize_containers"),
    Case("list_method", U, "build the list with append, and compute on its items",
         "normalize_containers"),
    Case("list_index", U, "build the list with append, and compute on its items",
         "normalize_containers"),
    Case("runtime_range", U, "use a for loop, or give the range constant bounds",
         "normalize_containers", also=(runtime_range_constant_rewritten,)),
    Case("iterate_runtime", U, "use a for loop over it, or over range(<constant>)",
         "normalize_containers", also=(iterate_runtime_range_rewritten,)),
    Case("lambda_passed", U, "call it where it is defined, or define it with def at module "
         "level", "normalize_containers", also=(lambda_passed_here_rewritten,)),
    Case("rule_tuple", U, "pass the arrays as separate parameters", "normalize_containers",
         setup=register_pair_rules, refused_setup=register_pair_rules),
    Case("runtime_index", U, "index with a constant, or loop a constant number of times (for i "
         "in range(3)) so that the loop is unrolled", "normalize_containers",
         also=(runtime_index_loop_rewritten,)),
    Case("cell_index", U, "index with a constant, or loop a constant number of times (for i "
         "in range(3)) so that the loop is unrolled", "normalize_containers",
         refused=CellIndexRefused, rewritten=CellIndexRewritten),
    Case("getattr_name", U, "loop a constant number of times (for i in range(3)) so that the "
         "name is known, or keep the layers in an nn.CellList and index it", "normalize_calls",
         refused=GetattrNameRefused, rewritten=GetattrNameRewritten),
    Case("zip_mixed", U, "loop over range(len(...)) of the runtime value and index the other "
         "sequence by its counter, or make both runtime values", "normalize_loops"),
    Case("long_comprehension", CompileError, "build a Tensor with ops instead",
         "normalize_comprehensions"),
    Case("sorted_reverse", U, "give reverse as a constant True or False",
         "normalize_comprehensions"),
    Case("sorted_many", U, "stack them and use ops.sort / ops.argsort",
         "normalize_comprehensions"),
    Case("sorted_key_tuple", U, "give a key that returns one number or a one-element Tensor",
         "normalize_comprehensions"),
    Case("max_default_rows", U, "test len(x) first, or leave default= out",
         "normalize_comprehensions"),
    Case("comprehension_if", U, "write a for loop with an if (or ops.where)",
         "normalize_comprehensions", also=(comprehension_if_where_rewritten,)),
    Case("lambda_in_comprehension", U, "define it before the comprehension and pass it the "
         "value", "normalize_containers"),
    Case("foreign_closure", U, "call it where it is defined, or define it at module level",
         "normalize_containers"),
    Case("partial_returned", U, "call the partial in the function that makes it, or return "
         "the values and make the partial in the caller", "normalize_stmts"),
    Case("partial_passed", U, "call the partial in the function that makes it",
         "normalize_containers"),
    Case("nested_recursion", RecursionNotSupportedError, "rewrite the recursion as a loop",
         "normalize_containers"),
    Case("nested_bad_call", CallArgumentError, "call it with its parameters: inner(a, b, "
         "c=1.0)", "normalize_containers"),
    Case("format_spec", CompileError, "give the format spec as a constant",
         "normalize_containers"),
    # normalize_exprs.py
    Case("loop_local", CompileError, "give it a value before the loop", "normalize_exprs"),
    Case("one_branch", CompileError, "assign it in every branch (or before the if)",
         "normalize_exprs", also=(one_branch_before_rewritten,)),
    Case("nested_unbound", CompileError, "assign it before reading it", "normalize_exprs"),
    Case("unbound", CompileError, "assign it before reading it", "normalize_exprs"),
    Case("bitand", U, "use the ops function for it (ops.logical_and, ops.logical_or, ...), or "
         "apply it to compile-time values", "normalize_exprs"),
    Case("bitor", U, "use the ops function for it (ops.logical_and, ops.logical_or, ...), or "
         "apply it to compile-time values", "normalize_exprs"),
    Case("bitxor", U, "use the ops function for it (ops.logical_and, ops.logical_or, ...), or "
         "apply it to compile-time values", "normalize_exprs"),
    Case("value_times_tuple", CompileError, "make it one Tensor first (ops.stack), or operate "
         "on its items", "normalize_exprs", also=(value_times_tuple_items_rewritten,)),
    Case("stale_read", U, "read the written name itself after the write, or compute what you "
         "need from the old value before writing", "normalize_stmts"),
    Case("in_runtime", CompileError, "compare values with == (ops.equal) and combine the "
         "results, or test a compile-time value", "normalize_exprs"),
    Case("is_runtime", CompileError, "compare values with == (ops.equal) and combine the "
         "results, or test a compile-time value", "normalize_exprs"),
    # normalize_loops.py
    Case("while_true", CompileError, "make the condition depend on a value the loop changes",
         "normalize_loops"),
    Case("growing_tuple", U, "loop a constant number of times (for ... in range(3)) so that "
         "the loop is unrolled, or keep the value a Tensor and use ops.concat / ops.stack",
         "normalize_loops", also=(growing_tuple_tensor_rewritten,)),
    Case("changed_list", U, "loop a constant number of times (for ... in range(3)) so that "
         "the loop is unrolled, or build a Tensor with ops.concat / ops.stack",
         "normalize_loops", also=(changed_list_tensor_rewritten,)),
    # normalize_stmts.py
    Case("list_lengths", CompileError, "append the same number of items in both branches, or "
         "keep the list in a name of its own (then built at run time), or build a Tensor with "
         "ops.where", "normalize_stmts",
         also=(list_lengths_where_rewritten,)),
    Case("tuple_lengths", CompileError, "give it the same number of items in both branches",
         "normalize_stmts"),
    Case("tuple_structure", CompileError, "give it the same structure in both branches",
         "normalize_stmts"),
    Case("dict_keys", CompileError, "give it the same keys, in the same order, in both "
         "branches", "normalize_stmts"),
    Case("branch_kind", CompileError, "give it a Tensor, a number, a string or None in both "
         "branches (to choose a function or a Cell, call it inside each branch: y = f(x) in "
         "one, y = g(x) in the other)", "normalize_stmts"),
    # runtime_lists.py
    Case("rt_forward", U, RT_MODE, "runtime_lists", mode="jvp"),
    Case("rt_second_order", U, RT_MODE, "runtime_lists", mode="grad2"),
    Case("split_forward", U, RT_MODE, "runtime_lists", mode="jvp"),
    Case("split_second_order", U, RT_MODE, "runtime_lists", mode="grad2"),
    *[Case(name, U, RT_READ, "runtime_lists") for name in (
        "rt_pop", "rt_as_array", "rt_print", "rt_axis",
        "rt_insert", "rt_append_list", "rt_holding_list", "rt_two_names", "rt_held_in_tuple")],
    Case("alias_stale", U, "append to the list by its name (outs.append(v)), or loop a "
         "constant number of times so that the loop is unrolled", "runtime_lists"),
    Case("alias_passed", U, "call the method in the function itself (for v in vs: "
         "outs.append(v))", "normalize_containers"),
    Case("alias_dict_loop", U, "keep the list's length or the dict's keys, and each item a "
         "Tensor or a number (set items, do not add or remove them), or loop a constant number "
         "of times (for ... in range(3)) so that the loop is unrolled", "loop_state",
         also=(alias_dict_loop_unrolled_rewritten,)),
    # bprop.py (raised from the reverse pass)
    Case("missing_bprop", MissingBpropError, "define get_bprop(self) returning bprop(*inputs, "
         "out, dout) -> a tuple of one gradient per input (or register one with "
         "@bprop_getters.register(_CubeNoBprop)); or cut its outputs with "
         "ops.stop_gradient(...)", "bprop", also=(missing_bprop_stop_rewritten,),
         expected={missing_bprop_stop_rewritten: missing_bprop_stop_expected}),
    Case("to_number", NoDerivativeError, "keep it a Tensor to have its gradient; or, to leave "
         "this path out of the gradient as MindSpore does, say so: float(ops.stop_gradient(...)) "
         "(a number only tested in an if or while, or printed, needs nothing)", "analyze",
         also=(to_number_tested_rewritten,), expected={to_number_rewritten: to_number_expected}),
    Case("bprop_second_order", U, "take one derivative (ops.grad) of code that calls it; or, "
         "for a higher derivative, leave bprop out so that construct is differentiated",
         "bprop", mode="grad2"),
    # reverse.py
    Case("loop_effects", U, "take higher-order derivatives of a loop without side effects "
         "(move print/append out of the loop), or use finite differences of the gradient",
         "reverse", mode="grad2", refused=LoopEffectsRefused, rewritten=LoopEffectsRewritten),
    Case("loop_draw", U, "take higher-order derivatives with the random draw out of the loop "
         "(draw the masks before it, or set_train(False) for dropout)", "reverse", mode="grad2",
         refused=LoopDrawRefused, rewritten=LoopDrawRewritten),
    # dict displays, async comprehensions, range loops
    Case("dict_key", CompileError, DICT_KEYS, "normalize_exprs"),
    Case("dict_comp_key", CompileError, DICT_KEYS, "normalize_comprehensions"),
    Case("dict_unpack", U, "unpack a dict the code is compiled with (a global, an attribute, "
         "a dict the function builds), or write the items one by one", "normalize_exprs",
         also=(dict_unpack_items_rewritten,)),
    Case("async_comprehension", U, "collect the values before the call and pass them in "
         "(differentiated code must be synchronous)", "normalize_comprehensions",
         args=(X, (1.0, 2.0)), refused_args=(X,)),
    Case("range_targets", CompileError, "loop with one name (for i in range(n)), and compute "
         "the others from it in the body", "normalize_loops"),
]
