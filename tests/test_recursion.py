"""Recursion whose depth is a Python int: each depth is compiled on its own (the base case
decided when the code is compiled), so the recursion ends there and is differentiated like
any chain of helper calls.  A depth known only at run time is refused (the same function
with the same compile-time arguments on the compile stack), as is one deeper than
``frontend.MAX_RECURSION``."""
import re

import numpy as np
import pytest
from helpers import assert_close, fd

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


def _rec(a, depth=1):
    if depth == 0:
        return ops.tanh(a)
    return _rec(ops.tanh(a) * 0.5, depth - 1) * 0.5 + a * 0.25


def _fd_of(g, x, v=None, eps=1e-5):
    """Central differences, in float64, of the function ``g`` (numpy in, numpy out): of a
    scalar one entry by entry, or of a vector one along ``v``."""
    if v is not None:
        return (g(x + eps * v) - g(x - eps * v)) / (2 * eps)
    return fd(g, x, eps)


X4 = np.array([0.5, -1.0, 2.0, 0.3])
V4 = np.array([0.3, 1.0, -2.0, 0.5])


@pytest.mark.parametrize("depth", [0, 1, 2, 3, 5])
def test_a_gradient_taken_inside_through_a_recursion(depth):
    """A gradient taken inside differentiated code through a helper recursing over a Python
    int depth: differentiating again the generated pairs of every depth.  The pairs of
    depths 1 and 3 (5, ...) are one text loaded twice, their code objects equal (code
    compares by value), each calling its own callee from its own globals; the front end
    took the pair of depth 1 for the pair of depth 3 calling itself and refused
    (``rec_fwd_1 calls itself ...``).  It tells functions by identity now.  Checked: the
    value is the direct call's, the second derivative central differences of the first
    order gradient (float64), reverse over reverse and forward over reverse."""
    frontend.clear_caches()  # (each depth compiled afresh, not from another depth's pairs)

    def f(a):
        return ops.sum(_rec(a, depth) ** 2)

    def helper(a, b):  # a keyword depth, the gradient w.r.t. the second argument
        return _rec(b, depth=depth) * a

    w = Tensor(np.array([1.0, -0.5, 0.25, 2.0]))
    cases = [lambda v: ops.sum(ops.grad(f)(v) * w),
             lambda v: ops.sum(ops.tanh(ops.grad(helper, 1)(v, v * 0.5)))]
    for gg in cases:
        value, got = ops.value_and_grad(gg)(Tensor(X4))
        assert_close(value, gg(Tensor(X4)), 1e-12, 1e-12)
        assert_close(got, _fd_of(lambda u: gg(Tensor(u)).asnumpy(), X4), 1e-6, 1e-8)
    first = ops.grad(f)
    out, tangent = ops.jvp(first, Tensor(X4), Tensor(V4))
    assert_close(out, first(Tensor(X4)), 1e-12, 1e-12)
    assert_close(tangent, _fd_of(lambda u: first(Tensor(u)).asnumpy(), X4, V4), 1e-6, 1e-8)


class _RecNet(nn.Cell):
    def __init__(self, depth):
        super().__init__()
        self.depth = depth
        self.w = Parameter(Tensor(np.array([0.5, -1.0, 1.5, 0.7])), name="w")

    def branch(self, a, depth):
        if depth == 0:
            return ops.tanh(a * self.w)
        return self.branch(ops.sin(a) * self.w, depth - 1) \
            + 0.5 * a * self.branch(a, depth - 1)

    def construct(self, a):
        return ops.sum(self.branch(a, self.depth) ** 2)


class _GradInside(nn.Cell):
    """GradOperation inside a construct (the tutorials' pattern) of a recursive Cell."""

    def __init__(self, net):
        super().__init__()
        self.net = net
        self.grad_op = ops.GradOperation()

    def construct(self, a):
        return ops.sum(ops.sin(self.grad_op(self.net)(a)))


@pytest.mark.parametrize("depth", [0, 1, 3])
def test_grad_operation_inside_a_construct_through_a_recursive_method(depth):
    frontend.clear_caches()
    net = _GradInside(_RecNet(depth))
    params = net.trainable_params()
    value, (gx, gws) = ops.value_and_grad(net, 0, params)(Tensor(X4))
    assert_close(value, net(Tensor(X4)), 1e-12, 1e-12)
    want_x, want_ws = numerical_grad(net, (X4,), 0, weights=params)
    assert_close(gx, want_x, 1e-6, 1e-8)
    assert_close(gws[0], want_ws[0], 1e-6, 1e-8)
