"""Every forward rule (jvp) in the registry, in float64, over the rows of ``tests/rule_specs.py``.

For a row with arguments ``args`` and random tangents ``v_k`` (one per differentiable
argument, shaped like it), the rule returns one contribution per differentiable argument;
their sum is the output tangent ``J v``.  We check

1. the sum against central differences of the primitive, ``(f(x + h v) - f(x - h v)) / 2h``,
   with every differentiable argument moved at once, and each one alone against its own
   contribution;
2. that each contribution is shaped (and typed) like ``out`` and linear in its own tangent;
3. the inner-product identity with the reverse rule on random ``u``, ``v``:
   ``<vjp(u)_k, v_k> == <u, jvp(v)_k>`` for every k (so forward and reverse mode agree);

and that every primitive with a gradient has a forward rule whose template parses.

A row marked ``xfail`` in the table marks its *reverse* rule as wrong: only the test that runs
the reverse rule (the inner product) keeps the mark.
"""
from __future__ import annotations

import ast
import zlib

import gast
import numpy as np
import pytest
from rule_specs import SPECS, Spec, make_value

from autograd_st import numerical_jvp, rules
from autograd_st.rules import REGISTRY, Primitive, jvp_params
from autograd_st.rules_lists import LIST_PRIMITIVES

# rows without their marks, for the tests that never call the reverse rule
JVP_SPECS = [pytest.param(*p.values, id=p.id) for p in SPECS]


# ---------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------

def _as64(value) -> np.ndarray:
    return np.asarray(value, dtype=np.float64)


class Case:
    """A row made concrete: primitive, argument values, ``out`` and random tangents."""

    def __init__(self, spec: Spec, request):
        self.spec = spec
        if spec.name not in REGISTRY:
            pytest.fail("row for %r, which is not a registered primitive" % spec.name)
        self.prim = prim = REGISTRY[spec.name]
        if prim.jvp is None:
            pytest.fail("%s has differentiable parameters (%s) but no forward rule; attach "
                        "one with @jvp(prim) next to its @vjp rule"
                        % (spec.name, ", ".join(prim.diff)))
        # a seed per test id: reproducible, and different rows get different data
        self.rng = np.random.default_rng(zlib.crc32(request.node.name.encode()))
        given = list(spec.args)
        for name in prim.params[len(given):]:
            given.append(prim.defaults[name])
        self.args = [make_value(a, self.rng) for a in given]
        self.k = [prim.params.index(n) for n in prim.diff]
        self.out = prim.fn(*self.args)

    def tangents(self) -> list:
        """One random tangent per differentiable argument, in its dtype (a Python float's
        tangent is a Python float)."""
        res = []
        for k in self.k:
            a = self.args[k]
            t = self.rng.standard_normal(np.shape(a))
            res.append(float(t) if isinstance(a, float) else t.astype(np.result_type(a)))
        return res

    def contributions(self, tangents) -> list:
        """Run the forward rule; ``None`` (no contribution) reads as zeros."""
        res = self.prim.jvp(self.out, *self.args, *tangents)
        if not isinstance(res, tuple) or len(res) != len(self.k):
            pytest.fail("forward rule for %r returned %r, expected a tuple of %d contributions "
                        "(%s)" % (self.spec.name, type(res).__name__, len(self.k),
                                  ", ".join(self.prim.diff)))
        return [np.zeros(np.shape(self.out)) if c is None else c for c in res]

    def central(self, deltas) -> np.ndarray:
        """``(f(x + h v) - f(x - h v)) / 2h`` in float64, ``deltas[i]`` moving the i-th
        differentiable argument in its dtype (``None``: not moved)."""
        tangents = [None] * len(self.args)
        for k, d in zip(self.k, deltas):
            tangents[k] = d
        return numerical_jvp(self.prim.fn, self.args, tangents, eps=self.spec.eps)

    @property
    def rtol(self) -> float:
        """Relative tolerance of rule-against-rule checks: float32 anywhere rounds at ~1e-7."""
        low = any(np.result_type(a) == np.float32 for a in [self.out] + self.args
                  if isinstance(a, np.ndarray))
        return 1e-5 if low else 1e-10

    def where(self, j: int) -> str:
        return "%s: contribution of %r (argument %d)" % (self.spec.name, self.prim.diff[j],
                                                         self.k[j])


def _inner(a, b) -> float:
    return float(np.sum(_as64(a) * _as64(b)))


# ---------------------------------------------------------------------------------------
# against finite differences
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", JVP_SPECS)
def test_jvp_matches_finite_differences(spec, request):
    c = Case(spec, request)
    v = c.tangents()
    parts = c.contributions(v)
    total = sum(_as64(p) for p in parts)
    np.testing.assert_allclose(total, c.central(v), rtol=spec.rtol, atol=spec.atol,
                               err_msg="%s: sum of contributions, every argument moved"
                               % spec.name)
    if len(c.k) > 1:
        for j in range(len(c.k)):
            alone = [vj if jj == j else None for jj, vj in enumerate(v)]
            np.testing.assert_allclose(_as64(parts[j]), c.central(alone), rtol=spec.rtol,
                                       atol=spec.atol, err_msg=c.where(j))


@pytest.mark.parametrize("spec", JVP_SPECS)
def test_jvp_contributions_are_out_shaped_and_linear(spec, request):
    c = Case(spec, request)
    v, w = c.tangents(), c.tangents()
    pv, pw = c.contributions(v), c.contributions(w)
    out_dtype = np.result_type(c.out)
    for j, p in enumerate(pv):
        assert np.shape(p) == np.shape(c.out), "%s: shape %s, expected out's %s" % (
            c.where(j), np.shape(p), np.shape(c.out))
        if np.issubdtype(out_dtype, np.floating):
            assert np.result_type(p) == out_dtype, "%s: dtype %s, expected out's %s" % (
                c.where(j), np.result_type(p), out_dtype)
    # linear in its own tangent: J(2v - w) == 2 J(v) - J(w)
    combo = [2 * _as64(a) - _as64(b) for a, b in zip(v, w)]
    combo = [float(t) if isinstance(c.args[k], float) else t.astype(np.result_type(c.args[k]))
             for k, t in zip(c.k, combo)]
    for j, p in enumerate(c.contributions(combo)):
        np.testing.assert_allclose(_as64(p), 2 * _as64(pv[j]) - _as64(pw[j]), rtol=c.rtol,
                                   atol=c.rtol, err_msg="%s is not linear" % c.where(j))


# ---------------------------------------------------------------------------------------
# against the reverse rule
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("spec", SPECS)
def test_jvp_transposes_to_vjp(spec, request):
    """``<vjp(u)_k, v_k> == <u, jvp(v)_k>`` for each differentiable argument k."""
    c = Case(spec, request)
    assert c.prim.vjp is not None, "%s has no reverse rule" % spec.name
    dt = np.result_type(c.out)
    u = np.asarray(c.rng.standard_normal(np.shape(c.out)),
                   dtype=dt if np.issubdtype(dt, np.floating) else None)
    grads = c.prim.vjp(u, c.out, *c.args)
    v = c.tangents()
    parts = c.contributions(v)
    for j, (g, vj, p) in enumerate(zip(grads, v, parts)):
        g = np.zeros(np.shape(vj)) if g is None else g
        lhs, rhs = _inner(g, vj), _inner(u, p)
        scale = max(1.0, float(np.sum(np.abs(_as64(g) * _as64(vj)))),
                    float(np.sum(np.abs(_as64(u) * _as64(p)))))
        assert abs(lhs - rhs) <= c.rtol * scale, (
            "%s: <vjp(u), v> = %r but <u, jvp(v)> = %r" % (c.where(j), lhs, rhs))


# ---------------------------------------------------------------------------------------
# coverage and the rule DSL
# ---------------------------------------------------------------------------------------

def test_every_differentiable_primitive_has_a_jvp_rule():
    # (the run-time list primitives have none: forward mode through such a list is refused
    # at the user's line, see tests/test_runtime_lists.py)
    missing = sorted(n for n, p in REGISTRY.items() if p.diff and p.jvp is None
                     and n not in set(rules.USER_FUNCTIONS.values())
                     and n not in LIST_PRIMITIVES and p.refused is None)
    assert not missing, (
        "primitives with differentiable parameters but no forward rule: %s; attach one "
        "with @jvp(prim) next to its @vjp rule" % ", ".join(missing))


def test_no_jvp_rule_without_a_gradient():
    extra = sorted(n for n, p in REGISTRY.items() if not p.diff and p.jvp is not None)
    assert not extra, "forward rules on primitives without a gradient: %s" % ", ".join(extra)


@pytest.mark.parametrize("name", sorted(n for n, p in REGISTRY.items() if p.jvp is not None))
def test_jvp_template_parses(name):
    """The forward-mode generator inlines the rule's source: one result per differentiable
    parameter, named parameters as :func:`rules.jvp_params` says."""
    prim = REGISTRY[name]
    tmpl = prim.jvp_template
    assert tmpl.params == jvp_params(prim)
    assert len(tmpl.results) == len(prim.diff)
    assert all(r is not None for r in tmpl.results), \
        "%s: a forward rule contributes an expression for every parameter" % name


def _source(expr) -> str:
    return ast.unparse(gast.gast_to_ast(expr))


def _toy(diff=("x", "y")) -> Primitive:
    """A primitive that is not in the registry (so the checks below leave it alone)."""
    def fn(x, y, axis=None):
        return x * y
    return Primitive("toy", fn, ["x", "y", "axis"], {"axis": None}, tuple(diff))


def test_jvp_decorator_checks_the_signature():
    prim = _toy()

    def good(out, x, y, axis, dx, dy):
        return dx * y, x * dy

    assert rules.jvp(prim)(good) is good and prim.jvp is good
    assert [_source(e) for e in prim.jvp_template.results] == ["dx * y", "x * dy"]

    def tangents_first(out, dx, dy, x, y, axis):
        return dx * y, x * dy

    def reverse_shaped(dout, out, x, y, axis):
        return dout * y, dout * x

    for bad in (tangents_first, reverse_shaped):
        with pytest.raises(TypeError, match=r"must take \(out, x, y, axis, dx, dy\)"):
            rules.jvp(prim)(bad)
    with pytest.raises(TypeError, match="no differentiable parameters"):
        rules.jvp(_toy(diff=()))
    assert REGISTRY.get("toy") is None


def test_jvp_template_counts_contributions():
    prim = _toy()

    @rules.jvp(prim)
    def _(out, x, y, axis, dx, dy):
        return (dx * y,)

    with pytest.raises(TypeError, match="returns 1 tangent contributions, expected 2"):
        prim.jvp_template
    with pytest.raises(TypeError, match="no forward rule"):
        _toy().jvp_template
