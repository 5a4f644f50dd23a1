"""Spec rows for the primitives of ``autograd_st.rules_math`` (see ``rule_specs.py`` for what a
row is; that module gathers these).  ``ZERO_GRADIENT``: the primitives here without a gradient.

Two domains are added for them: ``unit`` (``|x| <= 0.9``: arcsin, arccos, arctanh) and
``above1`` (``x >= 1.2``: arccosh).
"""
from __future__ import annotations

import numpy as np
from rule_specs import DOMAINS, A, row


def _unit(rng, shape):
    return rng.uniform(-0.9, 0.9, shape)


def _above1(rng, shape):
    return rng.uniform(1.2, 3.0, shape)


DOMAINS.setdefault("unit", _unit)
DOMAINS.setdefault("above1", _above1)

SPECS: list = []

# element-wise, one argument: shapes (), (4,), (2, 3) and a Python float; second order on (2, 3)
_UNARY = [("tan", "unit"), ("arcsin", "unit"), ("arccos", "unit"), ("arctan", "wide"),
          ("sinh", "real"), ("cosh", "real"), ("arcsinh", "wide"), ("arccosh", "above1"),
          ("arctanh", "unit"), ("expm1", "real"), ("log1p", "pos")]
for _name, _dom in _UNARY:
    for _shape in [(), (4,), (2, 3)]:
        SPECS.append(row(_name, A(_shape, _dom), second_order=_shape == (2, 3)))
    SPECS.append(row(_name, A(None, _dom)))
SPECS.append(row("expm1", A((2, 3), dtype="float32"), eps=1e-3, rtol=1e-3, atol=1e-3))

# atan2(y, x): equal shapes, each broadcasting direction, shape () and Python floats
for _sy, _sx in [((2, 3), (2, 3)), ((3,), (2, 3)), ((2, 3), (1, 3)), ((), (3,)), ((2, 1), (3,))]:
    SPECS.append(row("arctan2", A(_sy), A(_sx, "nonzero"),
                     second_order=_sy == (3,) and _sx == (2, 3)))
SPECS += [row("arctan2", A(None), A((2, 3), "nonzero")),
          row("arctan2", A((2, 3)), A(None, "nonzero"))]

# x % y (rules.py; MindSpore's gradient): random x and y, where x / y is an integer (a jump)
# with probability 0
SPECS += [row("mod", A((2, 3), "wide"), A((2, 3), "pos")),
          row("mod", A((2, 3), "wide"), A((3,), "pos")),
          row("mod", A((), "wide"), A((2, 3), "pos")),
          row("mod", A((2, 3), "wide"), A(None, "pos")),
          row("fmod", A((2, 3), "wide"), A((2, 3), "pos")),
          row("fmod", A((2, 3), "wide"), A((3,), "nonzero")),
          row("fmod", A(None, "wide"), A((2, 3), "pos"))]

# einsum of one and two operands: contractions, batches, outer products, diagonals read
# (a letter repeated in an operand) and written (repeated in the output), letters only in
# the output (broadcast to ``shape``), ``...``
_EINSUM2 = [
    ((2, 3), (3, 4), "ij,jk->ik", None),
    ((2, 3), (2, 3), "ij,ij->i", None),
    ((2, 2, 3), (2, 3, 4), "bij,bjk->bik", None),
    ((3,), (4,), "i,j->ij", None),
    ((3, 3), (3,), "ii,i->i", None),
    ((3,), (3,), "i,i->ii", None),
    ((3,), (3,), "i,i->ij", (3, 2)),
    ((2, 3), (3,), "ij,j->", None),
    ((2, 4, 3), (4, 3), "...ij,ij->...i", None),
    ((2, 3), (5, 3), "...j,kj->...k", None),
    ((2, 1, 3), (4, 3), "abj,cj->abc", None),
]
for _i, (_sx, _sy, _eq, _shape) in enumerate(_EINSUM2):
    SPECS.append(row("einsum2", A(_sx), A(_sy), _eq, _shape, second_order=_i in (0, 4, 6)))
_EINSUM1 = [
    ((2, 3), "ij->ji", None),
    ((3, 3), "ii->i", None),
    ((3, 3), "ii->", None),
    ((2, 3), "ij->", None),
    ((3,), "i->ii", None),
    ((3,), "i->ij", (3, 2)),
    ((2, 3, 4), "...ij->...ji", None),
    ((2, 3, 4), "bij->b", None),
    ((2, 2, 3), "iij->ji", None),
]
for _i, (_sx, _eq, _shape) in enumerate(_EINSUM1):
    SPECS.append(row("einsum1", A(_sx), _eq, _shape, second_order=_i in (1, 4)))

# the norm of a whole 1-D or 2-D input; |x| >= 0.25 (no kink), random magnitudes (no ties
# in max/min picks, distinct singular values)
for _ord in (None, 2, 1, 3, 0.5, np.inf, -np.inf):
    SPECS.append(row("norm_whole", A((5,), "nonzero"), _ord))
for _ord in (None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf):
    SPECS.append(row("norm_whole", A((3, 4), "nonzero"), _ord))
SPECS += [row("norm_whole", A((4,), "nonzero"), 2, True),
          row("norm_whole", A((3, 2), "nonzero"), "fro", True),
          row("norm_whole", A((4, 3), "nonzero"), 2, True)]

# its gradient (differentiable in the cotangent and in x: the Hessian; vector p-norms and
# the Frobenius norm have one, the piecewise-linear norms a zero one)
for _shape, _ords in [((5,), (None, 2, 3, 0.5, 1, np.inf)),
                      ((3, 4), (None, "fro", 1, -np.inf))]:
    for _ord in _ords:
        SPECS.append(row("norm_whole_grad", A(()), A(_shape, "nonzero"), _ord))
SPECS += [row("norm_whole_grad", A((1,)), A((4,), "nonzero"), 2, True),
          row("norm_whole_grad", A((1, 1)), A((3, 2), "nonzero"), "fro", True)]

# cross-entropy targets: probability targets pass their gradient through (class indices have
# none: tests/test_ops_math.py)
for _shape in [(4, 5), (2, 3, 4)]:
    SPECS += [row("target_dense", A(_shape), A(_shape), second_order=_shape == (4, 5)),
              row("target_grad", A(_shape), A(_shape), A(_shape)),
              row("target_tangent", A(_shape), A(_shape), A(_shape))]

ZERO_GRADIENT: set = {
    "einsum_transpose", "norm_whole_hvp", "floor", "ceil", "trunc", "round", "isnan",
    "isinf", "isfinite", "isclose", "logical_and", "logical_or", "logical_xor", "logical_not",
    "all", "any", "ms_one_hot", "target_weights", "triu_pairs",
}
