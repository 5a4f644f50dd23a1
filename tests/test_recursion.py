"""Recursion whose depth is a Python int: each depth is compiled on its own (the base case
decided when the code is compiled), so the recursion ends there and is differentiated like
any chain of helper calls.  A depth known only at run time is refused (the same function
with the same compile-time arguments on the compile stack), as is one deeper than
``frontend.MAX_RECURSION``."""
import re

import numpy as np
import pytest
from helpers import assert_close

from autograd_st import Parameter, Tensor, nn, numerical_grad, ops
from autograd_st.compiler import frontend, standalone_source
from autograd_st.errors import RecursionNotSupportedError


def power(x, n):
    if n == 0:
        return ops.ones_like(x)
    return power(x, n - 1) * x


def nested_sin(x, depth):
    if depth == 0:
        return x
    return nested_sin(ops.sin(x) * 0.9, depth - 1) + x * 0.1


class Tree(nn.Cell):
    """A binary tree of Dense layers, built by a recursive method over its depth."""

    def __init__(self, depth):
        super().__init__()
        self.depth = depth
        g = np.random.default_rng(depth)  # (float64 weights: checked in float64)
        self.left = nn.Dense(3, 3, weight_init=g.standard_normal((3, 3)) * 0.5,
                             bias_init=g.standard_normal(3) * 0.1)
        self.right = nn.Dense(3, 3, weight_init=g.standard_normal((3, 3)) * 0.5,
                              bias_init=g.standard_normal(3) * 0.1)
        self.w = Parameter(Tensor(np.array([0.5, -1.0, 1.5])), name="w")

    def branch(self, x, depth):
        if depth == 0:
            return ops.tanh(x * self.w)
        return self.branch(self.left(x), depth - 1) + 0.5 * self.branch(self.right(x),
                                                                          depth - 1)

    def construct(self, x):
        return ops.sum(self.branch(x, self.depth) ** 2)


@pytest.mark.parametrize("n", [0, 1, 4])
def test_a_python_int_depth(n):
    x = np.array([0.5, -1.25, 2.0])
    got = ops.grad(lambda v: ops.sum(power(v, n)))(Tensor(x))
    assert_close(got, n * x ** max(n - 1, 0) if n else np.zeros(3), 1e-12, 1e-12)
    f = lambda v: ops.sum(nested_sin(v, n))  # noqa: E731
    value, grad = ops.value_and_grad(f)(Tensor(x))
    assert_close(value, f(Tensor(x)), 1e-12, 1e-12)
    assert_close(grad, numerical_grad(f, (x,), 0), 1e-6, 1e-8)


@pytest.mark.parametrize("depth", [1, 3])
def test_a_cells_recursive_method(depth):
    net = Tree(depth)
    x = Tensor(np.linspace(-1, 1, 6).reshape(2, 3))
    params = net.trainable_params()
    value, (gx, gps) = ops.value_and_grad(net, 0, params)(x)
    assert_close(value, net(x), 1e-12, 1e-12)
    want_x, want_ps = numerical_grad(net, (x,), 0, weights=params)
    assert_close(gx, want_x, 1e-6, 1e-8)
    for got, want in zip(gps, want_ps):
        assert_close(got, want, 1e-6, 1e-8)


def test_a_depth_known_only_at_run_time_is_refused_at_the_call():
    def f(x):
        return ops.sum(power(x, x.shape[0]))
    with pytest.raises(RecursionNotSupportedError, match="same compile-time arguments"):
        ops.grad(f)(Tensor(np.ones(3)))


def test_a_recursion_that_never_reaches_its_base_case_is_refused_at_the_limit():
    def up(x, n):
        return up(x * 0.5, n + 1)  # (each level's n differs: the limit stops it)

    with pytest.raises(RecursionNotSupportedError,
                       match="more than %d levels deep" % frontend.MAX_RECURSION):
        ops.grad(lambda v: ops.sum(up(v, 0)))(Tensor(np.ones(2)))


def _g(x, n):
    return ops.sin(x) * n


def _h(x):
    return _g(x, 2.0) * x


def _two_constants(x):
    return ops.sum(_g(x, 1.0) + _h(x))


@pytest.mark.parametrize("fn, wanted", [
    (lambda x: ops.sum(power(x, 3)), lambda x: 3 * x ** 2),
    (_two_constants, lambda x: np.cos(x) + 2 * np.cos(x) * x + 2 * np.sin(x))])
def test_the_dump_names_each_compiled_helper_once_and_runs_standalone(fn, wanted):
    """A helper compiled for other constants in two callers (or per depth) is two generated
    functions: the dump gives each a name of its own and renames its calls, so the
    standalone module computes what ran (before, the names clashed and the module's last
    definition won)."""
    x = np.array([0.5, -1.25, 2.0])
    g = ops.grad(fn)
    assert_close(g(Tensor(x)), wanted(x), 1e-12, 1e-12)
    dump = g.source(Tensor(x))
    defs = re.findall(r"^def (\w+)\(", dump, re.M)
    assert len(defs) == len(set(defs)) and len(defs) >= 5, defs
    text = standalone_source(g._last_art.gradient)
    namespace: dict = {}
    exec(compile(text, "<standalone>", "exec"), namespace)  # noqa: S102 - the dump
    top = namespace[defs[0]]
    assert_close(top(x), wanted(x), 1e-12, 1e-12)


def test_a_gradient_taken_inside_through_a_recursion_is_refused_not_wrong():
    """Differentiating again the generated pairs of a recursion (a gradient taken inside
    differentiated code) is refused at present: the pairs of depth >= 1 are one text, read
    as the same function calling itself.  Refused with the error, never a wrong number."""
    def rec(a, depth=1):
        if depth == 0:
            return ops.tanh(a)
        return rec(ops.tanh(a) * 0.5, depth - 1) * 0.5 + a * 0.25

    def helper(a, b):
        return rec(b, depth=3) * a

    def outer(x):
        return ops.sum(ops.tanh(ops.grad(helper, 1)(x, x * 0.5)))
    with pytest.raises(RecursionNotSupportedError):
        ops.grad(outer)(Tensor(np.array([0.5, -1.0, 2.0])))
