"""Central finite differences in float64, for checking gradients against.

``numeric_grad(f, *args, wrt=...)`` differentiates the scalar ``f(*args)`` with respect to
some of its arguments; ``fd_grad(f, targets)`` differentiates the scalar ``f()`` with respect
to any float64 arrays / Tensors / Parameters it reads (perturbed in place, then restored),
which is how a Cell's Parameters are checked.  A tuple result counts as the sum of its
outputs (MindSpore's rule for tuple outputs).  ``assert_close`` compares a result (Tensor,
array, number) with an expected array, shapes included.
"""
from __future__ import annotations

import numpy as np

from autograd_st import Tensor

__all__ = ["fd_grad", "numeric_grad", "assert_close", "as_array"]


def as_array(value) -> np.ndarray:
    """The numpy array of a Tensor / Parameter / array / number (shares storage for Tensors)."""
    if isinstance(value, Tensor):
        return value.asnumpy()
    return np.asarray(value)


def _scalar(value) -> float:
    if isinstance(value, (tuple, list)):
        return float(sum(_scalar(v) for v in value))
    return float(np.sum(as_array(value), dtype=np.float64))


def fd_grad(f, targets, eps: float = 1e-6) -> list:
    """d f() / d target for each target, by central differences (in place, restored)."""
    grads = []
    for target in targets:
        a = as_array(target)
        if a.dtype != np.float64:
            raise TypeError("finite differences need float64 storage, got %s" % a.dtype)
        g = np.zeros(a.shape, np.float64)
        for idx in np.ndindex(a.shape):
            old = a[idx]
            a[idx] = old + eps
            hi = _scalar(f())
            a[idx] = old - eps
            lo = _scalar(f())
            a[idx] = old
            g[idx] = (hi - lo) / (2.0 * eps)
        grads.append(g)
    return grads


def numeric_grad(f, *args, wrt=0, eps: float = 1e-6):
    """Gradient of ``f(*args)`` w.r.t. ``args[wrt]`` (an int: one array; a tuple: a tuple)."""
    positions = (wrt,) if isinstance(wrt, int) else tuple(wrt)
    grads = fd_grad(lambda: f(*args), [args[p] for p in positions], eps)
    return grads[0] if isinstance(wrt, int) else tuple(grads)


def assert_close(actual, expected, rtol: float = 1e-6, atol: float = 1e-7) -> None:
    """``actual`` (Tensor or array) equals ``expected`` in shape and, to tolerance, in value."""
    got = as_array(actual)
    want = as_array(expected)
    assert got.shape == want.shape, "shape %s, expected %s" % (got.shape, want.shape)
    np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64),
                               rtol=rtol, atol=atol)
