"""Spec rows for the primitives of ``autograd_st.rules_loss`` (see ``rule_specs.py`` for what a
row is; that module gathers these).  ``ZERO_GRADIENT``: the primitives here without a gradient.

``ctc_nll`` is checked on unnormalized log-probabilities (its rule is the true derivative of
the likelihood), with repeated labels (which need a blank between them), a sample shorter
than the sequence, a target of length 0 and another blank; ``ctc_nll_grad`` (its rule's
primitive) is ``refused``: a second derivative of the loss is refused, not left incomplete.
"""
from __future__ import annotations

import numpy as np
from rule_specs import A, row

import autograd_st.rules_loss  # noqa: F401  (registers the primitives)

SPECS: list = []
ZERO_GRADIENT: set = {"uniform_noise", "ctc_log_alpha", "ctc_time_mask"}

_CTC = [
    # (T, N, C), targets, input lengths, target lengths, blank
    ((5, 2, 4), np.array([[1, 2, 2], [3, 1, 0]]), np.array([5, 4]), np.array([3, 2]), 0),
    ((4, 3, 3), np.array([[1, 1], [2, 0], [1, 2]]), np.array([4, 4, 3]), np.array([2, 0, 2]),
     0),
    ((6, 1, 5), np.array([[0, 1, 3]]), np.array([6]), np.array([3]), 4),
    ((3, 2, 3), np.array([[1], [2]]), np.array([3, 1]), np.array([1, 1]), 0),
]
for _shape, _tg, _il, _tl, _blank in _CTC:
    SPECS.append(row("ctc_nll", A(_shape), _tg, _il, _tl, _blank))
SPECS.append(row("ctc_nll", A((5, 2, 4), dtype="float32"), _CTC[0][1], _CTC[0][2],
                 _CTC[0][3], 0, eps=1e-2, rtol=2e-3, atol=2e-3))

for _var, _x in [((4,), (4, 3)), ((4, 3), (4, 3)), ((2, 1), (2, 5)), ((), (3,))]:
    SPECS.append(row("var_like", A(_var), A(_x), second_order=True))
