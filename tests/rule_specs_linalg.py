"""Spec rows for the primitives of ``autograd_st.rules_linalg`` (see ``rule_specs.py`` for what
a row is; that module gathers these).  ``ZERO_GRADIENT``: the primitives here without a
gradient.

Domains added: ``mat`` (square matrices in the last two axes, ``N(0, 1) + 3 I``: well
conditioned), ``spd`` (symmetric positive definite: ``B B^T / n + I``), ``gpos`` (0.6..4:
lgamma, digamma, polygamma), ``open1`` (|x| <= 0.9: erfinv) ``gx`` (0.3..3: the x of
igamma), ``zs`` (1.5..4: the x of zeta) and ``asmall`` (0.15..0.95: the a of igamma).
"""
from __future__ import annotations

import numpy as np
from rule_specs import DOMAINS, A, row

import autograd_st.rules_linalg  # noqa: F401  (registers the primitives these rows name)


def _mat(rng, shape):
    n = shape[-1]
    return rng.standard_normal(shape) + 3.0 * np.eye(n)


def _spd(rng, shape):
    n = shape[-1]
    b = rng.standard_normal(shape)
    return np.matmul(b, np.swapaxes(b, -1, -2)) / n + np.eye(n)


DOMAINS.setdefault("mat", _mat)
DOMAINS.setdefault("spd", _spd)
DOMAINS.setdefault("gpos", lambda rng, shape: rng.uniform(0.6, 4.0, shape))
DOMAINS.setdefault("open1", lambda rng, shape: rng.uniform(-0.9, 0.9, shape))
DOMAINS.setdefault("gx", lambda rng, shape: rng.uniform(0.3, 3.0, shape))
DOMAINS.setdefault("zs", lambda rng, shape: rng.uniform(1.5, 4.0, shape))
DOMAINS.setdefault("asmall", lambda rng, shape: rng.uniform(0.15, 0.95, shape))

SPECS: list = []

# matrices: one matrix, a batch, a batch of batches; second order on the single matrix
for _name, _dom in [("matrix_inverse", "mat"), ("det", "mat"), ("logabsdet", "mat"),
                    ("cholesky", "spd")]:
    for _shape in [(3, 3), (2, 3, 3), (2, 1, 2, 2), (1, 1)]:
        SPECS.append(row(_name, A(_shape, _dom), second_order=_shape == (3, 3)))

# solve(a, b): b a matrix of right-hand sides, batched a and b, a broadcast over b's batch
SPECS += [row("solve", A((3, 3), "mat"), A((3, 2)), second_order=True),
          row("solve", A((2, 3, 3), "mat"), A((2, 3, 1))),
          row("solve", A((3, 3), "mat"), A((2, 3, 2))),
          row("solve", A((2, 3, 3), "mat"), A((3, 2)))]

# pinv: tall, wide, square and batched (full rank)
SPECS += [row("pinv", A((4, 2)), second_order=True), row("pinv", A((2, 4))),
          row("pinv", A((3, 3), "mat")), row("pinv", A((2, 3, 2)))]

# the matrix exponential and its first Frechet derivative (whose vjp in a uses the second)
SPECS += [row("matrix_exp", A((3, 3)), second_order=True), row("matrix_exp", A((2, 2, 2))),
          row("matrix_exp", A((2, 2), "wide")),  # norm above 1/2: scaled and squared
          row("expm_frechet", A((3, 3)), A((3, 3))), row("expm_frechet", A((2, 2, 2)),
                                                      A((2, 2, 2)))]

# singular values (first order: the rule reads u and v as constants): tall, wide, batched
SPECS += [row("svdvals", A((4, 2))), row("svdvals", A((2, 4))), row("svdvals", A((2, 3, 3)))]

# diagonals: every offset sign, axes in any order, batched
for _shape, _off, _a1, _a2 in [((3, 3), 0, 0, 1), ((3, 4), 1, 0, 1), ((4, 3), -1, 0, 1),
                               ((2, 3, 4), 1, 1, 2), ((2, 3, 4), 0, 2, 0),
                               ((2, 3, 4), -2, -1, -2)]:
    SPECS.append(row("diagonal", A(_shape), _off, _a1, _a2, second_order=_off == 1))
    _dlen = np.diagonal(np.zeros(_shape), _off, _a1, _a2).shape
    SPECS.append(row("diag_scatter", A(_dlen), np.zeros(_shape), _off, _a1, _a2))
for _shape, _off, _d1, _d2 in [((3,), 0, -2, -1), ((2, 3), 1, -2, -1), ((2, 3), -1, 0, 2),
                               ((2, 3), 0, 2, 1)]:
    SPECS.append(row("diag_embed", A(_shape), _off, _d1, _d2, second_order=_off == 1))

# special functions: shapes (), (4,), (2, 3) and a Python float; second order on (2, 3)
for _name, _dom in [("lgamma", "gpos"), ("digamma", "gpos"), ("erfinv", "open1"),
                    ("i0", "wide"), ("i1", "wide")]:
    for _shape in [(), (4,), (2, 3)]:
        SPECS.append(row(_name, A(_shape, _dom), second_order=_shape == (2, 3)))
    SPECS.append(row(_name, A(None, _dom)))
SPECS += [row("lgamma", A((2, 3), "nonzero"), eps=1e-7, rtol=1e-4),  # negative arguments too
          row("digamma", A((2, 3), "nonzero"), eps=1e-7, rtol=1e-4),
          row("lgamma", A((2, 3), "gpos", dtype="float32"), eps=1e-3, rtol=2e-3, atol=2e-3)]
for _n in (1, 2, 3):
    SPECS += [row("polygamma", _n, A((2, 3), "gpos"), second_order=_n == 1),
              row("polygamma", _n, A((), "gpos"))]
SPECS += [row("polygamma", np.array([1, 2, 3]), A((2, 3), "gpos"))]
for _a, _x in [(A((2, 3), "gpos"), A((2, 3), "gx")), (A((3,), "gpos"), A((2, 3), "gx")),
               (1.5, A((4,), "gx")), (A((2, 3), "gpos"), A((), "gx"))]:
    SPECS += [row("igamma", _a, _x), row("igammac", _a, _x), row("igamma_dx", _a, _x)]
SPECS += [row("igamma_dx", A((2, 3), "gpos"), A((2, 3), "gx"), second_order=True),
          row("igamma", A((3,), "gpos"), A((3,), "zs")),  # x > a + 1: the continued fraction
          row("igamma", A((3,), "asmall"), A((3,), "gpos"))]  # a below 1

# zeta(x, q): the gradient in q (x > 1)
SPECS += [row("zeta", A((2, 3), "zs"), A((2, 3), "gpos"), second_order=True),
          row("zeta", 2.5, A((4,), "gpos")), row("zeta", A((3,), "zs"), A((2, 3), "gpos")),
          row("zeta", A((2, 3), "zs"), A((), "gpos"))]

ZERO_GRADIENT = {
    "det_sign", "expm_frechet2", "lu_perm_index", "lin_equation", "lin_shape", "order_index",
    "quantile_frac", "eye_like", "gcd", "lcm",
    "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift", "invert",
    "nextafter", "histc", "bincount",
}
