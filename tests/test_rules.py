"""Every reverse rule in the registry against central finite differences, in float64.

For a row of ``tests/rule_specs.py`` with arguments ``args`` and a random ``dout`` shaped
like the output, the scalar ``L(args) = sum(fn(*args) * dout)`` has gradient
``rule(dout, out, *args)[k]`` with respect to the k-th differentiable argument.  We check

1. every entry of each gradient (and its shape and dtype) against central differences;
2. the inner-product form along a random direction ``v``: ``sum_k <g_k, v_k> == dL/dt``;
3. for smooth rules, order two: the rule is itself a function of its inputs, so its
   directional derivative along ``v``, paired with ``w``, must equal the mixed second
   difference of ``L`` along ``v`` and ``w`` (and be symmetric in ``v`` and ``w``);

and that the registry and the table list the same primitives.
"""
from __future__ import annotations

import importlib
import zlib

import numpy as np
import pytest
from rule_specs import (
    NN_IMPORT_ERROR,
    NN_LOADED,
    NN_MODULE,
    SPECS,
    ZERO_GRADIENT_PRIMITIVES,
    Spec,
    make_value,
)

from autograd_st import numerical_grad, numerical_jvp
from autograd_st.rules import REGISTRY
from autograd_st.rules_lists import LIST_PRIMITIVES

SECOND_ORDER = [p for p in SPECS if p.values[0].second_order]


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------

class Case:
    """A row made concrete: primitive, argument values, ``out`` and a random ``dout``."""

    def __init__(self, spec: Spec, request):
        self.spec = spec
        if spec.name not in REGISTRY:
            pytest.fail("row for %r, which is not a registered primitive" % spec.name)
        self.prim = prim = REGISTRY[spec.name]
        # a seed per test id: reproducible, and different rows get different data
        self.rng = np.random.default_rng(zlib.crc32(request.node.name.encode()))
        given = list(spec.args)
        if len(given) > len(prim.params):
            pytest.fail("row for %r gives %d arguments; it takes (%s)"
                        % (spec.name, len(given), ", ".join(prim.params)))
        for name in prim.params[len(given):]:
            if name not in prim.defaults:
                pytest.fail("row for %r leaves out %r, which has no default"
                            % (spec.name, name))
            given.append(prim.defaults[name])
        self.args = [make_value(a, self.rng) for a in given]
        self.k = [prim.params.index(n) for n in prim.diff]
        self.out = prim.fn(*self.args)
        dt = np.result_type(self.out)
        dout = self.rng.standard_normal(np.shape(self.out))
        self.dout = np.asarray(dout, dtype=dt if np.issubdtype(dt, np.floating) else None)
        self.dout64 = np.asarray(self.dout, dtype=np.float64)

    def loss(self, *args) -> float:
        """``sum(fn(*args) * dout)`` in float64."""
        return float(np.sum(np.asarray(self.prim.fn(*args), dtype=np.float64) * self.dout64))

    def along(self, deltas) -> list:
        """Tangents for ``numerical_jvp``: ``deltas[i]`` for the i-th differentiable argument,
        None (not moved) for the others; the moved ones keep their dtype (a Python float
        stays a Python float)."""
        tangents = [None] * len(self.args)
        for k, d in zip(self.k, deltas):
            tangents[k] = d
        return tangents

    def grads(self, args=None, out=None) -> list:
        """Run the rule; ``None`` (no gradient) reads as zeros."""
        args = self.args if args is None else args
        out = self.prim.fn(*args) if out is None else out
        res = self.prim.vjp(self.dout, out, *args)
        if not isinstance(res, tuple) or len(res) != len(self.k):
            pytest.fail("rule for %r returned %r, expected a tuple of %d gradients (%s)"
                        % (self.spec.name, type(res).__name__, len(self.k),
                           ", ".join(self.prim.diff)))
        return [np.zeros(np.shape(args[k])) if g is None else g for k, g in zip(self.k, res)]

    def directions(self) -> list:
        return [self.rng.standard_normal(np.shape(self.args[k])) for k in self.k]

    def where(self, j: int) -> str:
        return "%s: gradient for %r (argument %d)" % (self.spec.name, self.prim.diff[j],
                                                      self.k[j])


def _user():
    """Primitives users registered (tests of their own cover them)."""
    from autograd_st import rules as _r
    return set(_r.USER_FUNCTIONS.values())


def _snapshot(values):
    return [np.array(v, copy=True) if isinstance(v, np.ndarray) else v for v in values]


# ---------------------------------------------------------------------------------------
# order one
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", SPECS)
def test_vjp_matches_finite_differences(spec, request):
    c = Case(spec, request)
    before = _snapshot([c.dout, c.out] + c.args)
    grads = c.grads(out=c.out)
    for old, new in zip(before, [c.dout, c.out] + c.args):
        if isinstance(old, np.ndarray):
            assert np.array_equal(old, new), "%s: the rule modified its inputs" % spec.name
    fds = numerical_grad(c.loss, c.args, tuple(c.k), eps=spec.eps)
    for j, (k, g, fd) in enumerate(zip(c.k, grads, fds)):
        x = c.args[k]
        assert np.shape(g) == np.shape(x), "%s: shape %s, expected %s" % (
            c.where(j), np.shape(g), np.shape(x))
        assert np.result_type(g) == np.result_type(x), "%s: dtype %s, expected %s" % (
            c.where(j), np.result_type(g), np.result_type(x))
        np.testing.assert_allclose(np.asarray(g, dtype=np.float64), fd, rtol=spec.rtol,
                                   atol=spec.atol, err_msg=c.where(j))


@pytest.mark.parametrize("spec", SPECS)
def test_vjp_inner_product_in_random_direction(spec, request):
    """<rule(dout), v> == d/dt sum(fn(args + t v) * dout), all arguments moved at once."""
    c = Case(spec, request)
    grads = c.grads(out=c.out)
    for j, (k, g) in enumerate(zip(c.k, grads)):
        assert np.shape(g) == np.shape(c.args[k]), c.where(j)
    v = c.directions()
    lhs = sum(float(np.sum(np.asarray(g, dtype=np.float64) * vk)) for g, vk in zip(grads, v))
    rhs = float(numerical_jvp(c.loss, c.args, c.along(v), eps=spec.eps))
    np.testing.assert_allclose(lhs, rhs, rtol=spec.rtol, atol=spec.atol * 10,
                               err_msg="%s: <vjp, v> vs finite difference" % spec.name)


# ---------------------------------------------------------------------------------------
# order two
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", SECOND_ORDER)
def test_rule_is_differentiable_second_order(spec, request):
    """Finite-difference the rule itself: d/ds <rule(x + s v), w> is the mixed second
    derivative of L along v and w (so also symmetric in v and w)."""
    c = Case(spec, request)
    v, w = c.directions(), c.directions()
    h = 1e-4

    def d_rule(a, b):  # directional derivative of the rule along a, paired with b
        def pair(*args):
            return sum(float(np.sum(np.asarray(g, dtype=np.float64) * d))
                       for g, d in zip(c.grads(list(args)), b))
        return float(numerical_jvp(pair, c.args, c.along(a), eps=h))

    def d_loss_along_w(*args):
        return numerical_jvp(c.loss, args, c.along(w), eps=h)

    # (L(x+hv+hw) - L(x+hv-hw) - L(x-hv+hw) + L(x-hv-hw)) / 4h^2
    second = float(numerical_jvp(d_loss_along_w, c.args, c.along(v), eps=h))
    dvw, dwv = d_rule(v, w), d_rule(w, v)
    np.testing.assert_allclose(dvw, second, rtol=1e-4, atol=1e-5,
                               err_msg="%s: derivative of the rule vs second difference"
                               % spec.name)
    np.testing.assert_allclose(dvw, dwv, rtol=1e-5, atol=1e-6,
                               err_msg="%s: the rule's Jacobian is not symmetric" % spec.name)


# ---------------------------------------------------------------------------------------
# coverage: no rule, and no zero-gradient primitive, lands without being listed
# ---------------------------------------------------------------------------------------

def test_rules_nn_imports():
    if NN_IMPORT_ERROR is not None:
        raise NN_IMPORT_ERROR


def test_rules_nn_lists_what_it_registers():
    """``rules_nn.NN_PRIMITIVES`` is the list of what that module registers."""
    assert NN_LOADED, "%s must be importable (the nn layers' rules live there)" % NN_MODULE
    module = importlib.import_module(NN_MODULE)
    registered = {n for n, p in REGISTRY.items() if p.fn.__module__ == NN_MODULE}
    listed = set(getattr(module, "NN_PRIMITIVES", ()))
    assert registered == listed, "registered but not in NN_PRIMITIVES: %s; listed but not " \
        "registered: %s" % (sorted(registered - listed), sorted(listed - registered))


def test_every_rule_has_a_spec_row():
    rows = {p.values[0].name for p in SPECS}
    # (the run-time list primitives take lists: tests/test_runtime_lists.py checks them)
    with_rule = {name for name, p in REGISTRY.items() if p.diff and name not in _user()
                 and name not in LIST_PRIMITIVES and p.refused is None}
    missing = sorted(with_rule - rows)
    assert not missing, (
        "primitives with a gradient but no row in tests/rule_specs.py: %s; add rows "
        "(shape (), broadcasting pairs, every axis form) with row(...)" % ", ".join(missing))
    stale = sorted(rows - with_rule)
    assert not stale, ("rows in tests/rule_specs.py for primitives that are not registered "
                       "or have no gradient: %s" % ", ".join(stale))


def test_zero_gradient_primitives_are_listed():
    without = {name for name, p in REGISTRY.items() if not p.diff
               and name not in LIST_PRIMITIVES}
    unlisted = sorted(without - ZERO_GRADIENT_PRIMITIVES)
    assert not unlisted, (
        "primitives registered with diff=() but not in ZERO_GRADIENT_PRIMITIVES in "
        "tests/rule_specs.py: %s; list them there if they truly have no gradient"
        % ", ".join(unlisted))
    stale = sorted(ZERO_GRADIENT_PRIMITIVES - without)
    assert not stale, ("ZERO_GRADIENT_PRIMITIVES lists names that are not registered "
                       "without a gradient: %s" % ", ".join(stale))


def test_refused_primitives_have_no_rule_and_say_why():
    """A primitive whose derivative is not implemented is marked ``refused`` (the compiler
    refuses a gradient through it, tests/test_ops_linalg.py shows one); it has no rule, and
    its reason reads in the message."""
    refused = {n: p for n, p in REGISTRY.items() if p.refused is not None}
    assert {"svd_part", "qr_part", "eig_part", "igamma_da"} <= set(refused)
    for name, p in refused.items():
        assert p.diff and p.vjp is None and p.jvp is None, name
        assert len(p.refused) > 20, name


@pytest.mark.parametrize("name", sorted(n for n, p in REGISTRY.items()
                                        if p.diff and p.refused is None))
def test_rule_template_parses(name):
    """The code generator inlines the rule's source: it must parse to one result per
    differentiable parameter."""
    prim = REGISTRY[name]
    assert set(prim.diff) <= set(prim.params), "%s: diff names %s not among parameters %s" % (
        name, prim.diff, prim.params)
    assert prim.vjp is not None, "%s has differentiable parameters but no rule" % name
    assert len(prim.vjp_template.results) == len(prim.diff)
