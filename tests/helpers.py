"""Comparisons for the tests.

``assert_close`` compares a result (Tensor, array, number) with an expected array, shapes
included; ``as_array`` is the numpy array of a Tensor / array / number.  Finite differences
are autograd_st's own: ``autograd_st.numerical_grad`` / ``numerical_jvp`` /
``numerical_jacobian`` and ``autograd_st.check_grads`` (autograd_st/check.py).
"""
from __future__ import annotations

import numpy as np

from autograd_st import Parameter, Tensor, check_grads, numerical_grad, ops
from autograd_st.compiler import frontend

__all__ = ["assert_close", "as_array", "T", "float_param", "count_compiles", "CallCounter"]


class CallCounter:
    """``fn``, counting its calls in ``calls`` (patched over a compiler entry point)."""

    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, *a, **k):
        self.calls += 1
        return self.fn(*a, **k)


def T(*shape, seed=0, low=-1.5, high=1.5):
    """A float64 Tensor with uniform entries (a 0-d Tensor for no shape)."""
    rng = np.random.default_rng(seed)
    return Tensor(rng.uniform(low, high, shape).astype(np.float64))


def float_param(value, name, requires_grad=True):
    """A float64 Parameter holding ``value``."""
    return Parameter(Tensor(np.asarray(value, np.float64)), name=name,
                     requires_grad=requires_grad)


def count_compiles(monkeypatch) -> list:
    """A list that gets an item each time a function is normalized (compiled) from now."""
    calls = []
    real = frontend.normalize

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)
    monkeypatch.setattr(frontend, "normalize", counting)
    return calls


def as_array(value) -> np.ndarray:
    """The numpy array of a Tensor / Parameter / array / number (shares storage for Tensors)."""
    if isinstance(value, Tensor):
        return value.asnumpy()
    return np.asarray(value)


def assert_close(actual, expected, rtol: float = 1e-6, atol: float = 1e-7) -> None:
    """``actual`` (Tensor or array) equals ``expected`` in shape and, to tolerance, in value."""
    got = as_array(actual)
    want = as_array(expected)
    assert got.shape == want.shape, "shape %s, expected %s" % (got.shape, want.shape)
    np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64),
                               rtol=rtol, atol=atol)


def numeric(f, args, pos, eps=1e-6):
    """Central finite differences of the scalar ``f(*args)`` w.r.t. ``args[pos]``, moved in
    float64 (autograd_st.numerical_grad): the loop tests' reference."""
    args = list(args)
    args[pos] = np.asarray(args[pos], np.float64)
    return numerical_grad(f, args, pos, eps=eps)


def fd(f, x, eps=1e-6) -> np.ndarray:
    """Central finite differences of the scalar numpy function ``f`` at the array ``x``, entry
    by entry (the reference of tests whose function is written in numpy)."""
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = eps
        g.flat[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return g


def check_value_and_grads(fn, x, w) -> None:
    """``fn(x, w)``'s value and gradients (w.r.t. both) from ``ops.value_and_grad`` are the
    direct call's and central differences', and ``check_grads`` agrees (reverse mode)."""
    direct = fn(Tensor(x), Tensor(w))
    value, grads = ops.value_and_grad(fn, (0, 1))(Tensor(x), Tensor(w))
    assert_close(value, direct)
    expected = numerical_grad(fn, (x, w), (0, 1))
    for g, e in zip(grads, expected):
        assert_close(g, e, 1e-6, 1e-7)
    check_grads(fn, (x, w), order=1, modes=("rev",))
