"""Bugs the random programs found with the gen4 features (``star_call``, ``hooks``,
``ms_mutable`` of tests/program_gen.py): each pinned by its smallest reproducer."""
from __future__ import annotations

import numpy as np
import pytest

from autograd_st import Tensor, ops
from autograd_st.errors import UnsupportedSyntaxError

X = np.array([0.3, -0.2])


def _keep(g):
    return g


def _hooked(a):
    v = a * a
    v.register_hook(_keep)
    return ops.sum(v * a)


def _gradient_of_a_hooked_function_inside(a):
    return ops.sum(ops.grad(_hooked)(a) * a)


def test_bug_second_derivative_through_a_hook_is_refused_clearly():
    # found by the random programs (hooks + inner_grad, hooks + a second derivative):
    # ops.grad(ops.grad(f)) of f registering a hook, or ops.grad(f) taken inside
    # differentiated code, raised "UnsupportedSyntaxError: rules.py:1078: raise is not
    # supported in differentiated code (_hook_result)": the compiler differentiated the
    # hook's runner.  MindSpore 2.10 (PyNative) differentiates the hook itself and gives
    # 6a = [1.8, -1.2] here; now the hook's result is a primitive whose derivative is
    # refused with a reason and a way out (never a silent wrong value)
    x = Tensor(X)
    np.testing.assert_allclose(ops.grad(_hooked)(x).asnumpy(), 3.0 * X * X, rtol=1e-15)
    for fn in (ops.grad(ops.grad(_hooked)), ops.grad(_gradient_of_a_hooked_function_inside)):
        with pytest.raises(UnsupportedSyntaxError, match="second derivative through a "
                                                         "gradient hook") as info:
            fn(x)
        assert "register the hook outside what is differentiated twice" in str(info.value)


class _Opts:
    shift = -0.5


OPTS = _Opts()


def _reads_a_module_level_number(t):
    return ops.exp((t + OPTS.shift) * 0.5)


def _gradient_inside(x):
    return ops.sum(ops.grad(_reads_a_module_level_number)(x))


def test_bug_gradient_inside_keeps_what_its_compile_folded_in():
    # found by the random programs (inner_grad + mutation): ops.grad(h) taken inside
    # differentiated code, h reading a module-level number (opts.S1) that changes between
    # calls: the same value_and_grad, and a fresh one, kept giving the old number's value.
    # The inner gradient's generated code folds the number in; the code compiled from it
    # did not keep that compile's guards (fixed: frontend.generated_source passes them on,
    # the Normalizer adopts them); ops.grad(ops.grad(h)) the same
    x = np.array([0.3, -0.2])
    vg, gg = ops.value_and_grad(_gradient_inside), ops.grad(ops.grad(_reads_a_module_level_number))
    try:
        for shift in (-0.5, 0.75, -0.5):
            OPTS.shift = shift
            value, g = vg(Tensor(x))
            e = np.exp((x + shift) * 0.5)
            np.testing.assert_allclose(value.asnumpy(), np.sum(0.5 * e), rtol=1e-14)
            np.testing.assert_allclose(g.asnumpy(), 0.25 * e, rtol=1e-14)
            np.testing.assert_allclose(gg(Tensor(x)).asnumpy(), 0.25 * e, rtol=1e-14)
    finally:
        OPTS.shift = -0.5
