"""Spec rows for the primitives of ``autograd_st.rules_numpy`` (numpy's own functions; see
``rule_specs.py`` for what a row is; that module gathers these).  ``ZERO_GRADIENT``: the
primitives here without a gradient.

Domain added: ``sym`` (symmetric matrices with well separated eigenvalues, for eigh).
"""
from __future__ import annotations

import numpy as np
from rule_specs import DOMAINS, A, row


def _sym(rng, shape):
    n = shape[-1]
    b = rng.standard_normal(shape)
    return (b + np.swapaxes(b, -1, -2)) * 0.3 + np.diag(np.arange(n) * 2.0)


DOMAINS.setdefault("sym", _sym)

SPECS: list = []

for _shape in [(), (4,), (2, 3)]:
    SPECS += [row("cbrt", A(_shape, "pos"), second_order=_shape == (2, 3)),
              row("exp2", A(_shape), second_order=_shape == (2, 3)),
              row("log2", A(_shape, "pos"), second_order=_shape == (2, 3)),
              row("log10", A(_shape, "pos"), second_order=_shape == (2, 3))]
for _shape in [(), (4,), (2, 3)]:
    SPECS += [row("array_copy", A(_shape), second_order=_shape == (2, 3))]
for _sx, _sy in [((2, 3), (2, 3)), ((3,), (2, 3)), ((2, 1), (3,)), ((), (3,))]:
    SPECS += [row("hypot", A(_sx, "nonzero"), A(_sy, "nonzero"),
                  second_order=_sx == (2, 3)),
              row("logaddexp2", A(_sx), A(_sy), second_order=_sx == (2, 3))]
SPECS += [row("hypot", A(None, "nonzero"), A((3,), "nonzero"))]

# eigh: values and vectors, each triangle, batched
for _uplo in ["L", "U"]:
    for _which in [0, 1]:
        SPECS += [row("eigh_part", A((3, 3), "sym"), _uplo, _which),
                  row("eigh_part", A((2, 3, 3), "sym"), _uplo, _which)]
# qr (reduced, m >= n): Q and R, square and deep, batched
for _which in [0, 1]:
    SPECS += [row("qr_factor", A((3, 3), "mat"), _which),
              row("qr_factor", A((4, 2)), _which),
              row("qr_factor", A((2, 4, 3)), _which)]
SPECS += [row("svd_s", A((3, 3)), True), row("svd_s", A((4, 2)), False),
          row("svd_s", A((2, 2, 3)), True)]
# quantile / percentile / median: int and None axes, keepdims, a vector of q
for _kind, _q in [("quantile", 0.3), ("percentile", 70.0), ("median", None),
                  ("quantile", np.array([0.1, 0.5, 0.95]))]:
    SPECS += [row("np_quantile", A((5,), "distinct"), _q, None, False, _kind),
              row("np_quantile", A((3, 4), "distinct"), _q, 0, False, _kind),
              row("np_quantile", A((3, 4), "distinct"), _q, -1, True, _kind),
              row("np_quantile", A((2, 3), "distinct"), _q, None, True, _kind)]
# diag both ways, offsets
for _k in [0, 1, -1]:
    SPECS += [row("np_diag", A((3,)), _k, second_order=True),
              row("np_diag", A((3, 4)), _k, second_order=True),
              row("np_diag_t", A((3 + abs(_k), 3 + abs(_k))), np.zeros(3), _k),
              row("np_diag_t", A((len(np.diagonal(np.zeros((3, 4)), _k)),)), np.zeros((3, 4)),
                  _k)]
for _mode in ["full", "same", "valid"]:
    SPECS += [row("np_convolve", A((5,)), A((3,)), _mode),
              row("np_convolve", A((2,)), A((4,)), _mode)]
SPECS += [row("np_polyval", A((3,)), A((4,))), row("np_polyval", A((4,)), A((2, 3))),
          row("np_polyval", A((1,)), A(())), row("np_polyval", A((3,)), A(None)),
          # coefficients that are arrays, broadcast against x (np.polyval([a, b], x))
          row("np_polyval", A((3, 4)), A((4,))), row("np_polyval", A((2, 2, 3)), A((2, 1))),
          row("np_polyval", A((2, 3)), A(()))]
# take_along_axis: indices read twice, along a middle axis, broadcast against the array,
# and of the flattened array (axis=None)
SPECS += [row("np_take_along_axis", A((3, 4)), np.array([[0, 2, 2], [1, 1, 3], [3, 0, 1]]), 1),
          row("np_take_along_axis", A((2, 3, 4)), np.array([[[0], [2]], [[1], [1]]]).reshape(
              2, 2, 1), 1),
          row("np_take_along_axis", A((3, 4)), np.array([[2, 0, 1, 1]]), 0),
          row("np_take_along_axis", A((3, 4)), np.array([5, 5, 0, 11]), None)]
SPECS += [row("np_interp", A((6,)), np.array([-1.0, 0.0, 0.5, 2.0]),
              np.array([0.0, 1.0, 3.0, 2.0]))]
SPECS += [row("np_bincount", np.array([0, 1, 1, 3, 0]), A((5,))),
          row("np_bincount", np.array([2, 0]), A((2,)), 5)]

ZERO_GRADIENT = {"np_argsort", "np_pad_widths", "np_weights_shape", "np_digitize",
                 "np_histogram_counts", "np_nan_to_num_fill"}
