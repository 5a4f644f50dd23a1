"""Comparisons for the tests.

``assert_close`` compares a result (Tensor, array, number) with an expected array, shapes
included; ``as_array`` is the numpy array of a Tensor / array / number.  Finite differences
are autograd_st's own: ``autograd_st.numerical_grad`` / ``numerical_jvp`` /
``numerical_jacobian`` and ``autograd_st.check_grads`` (autograd_st/check.py).
"""
from __future__ import annotations

import numpy as np

from autograd_st import Tensor

__all__ = ["assert_close", "as_array"]


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
