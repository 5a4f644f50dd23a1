"""Spec rows for the collectives of ``autograd_st.rules_comm`` (see ``rule_specs.py`` for what a
row is; that module gathers these).  ``ZERO_GRADIENT``: the primitives here without a
gradient.

In the test process the job is a group of one, so each collective is the identity (or, for
``reduce_to`` on its root, the identity too) and these rows check the rules' shapes, dtypes,
linearity and differentiability there; ``tests/test_distributed_comm.py`` checks the same
rules on two processes against finite differences of the job's loss.
"""
from __future__ import annotations

from rule_specs import A, row

import autograd_st.rules_comm  # noqa: F401  (registers the primitives)

SPECS: list = []
ZERO_GRADIENT: set = {"comm_winner_mask"}

_W = "hccl_world_group"
for _shape in [(), (3,), (2, 3), (2, 1, 3)]:
    for _name in ("all_reduce", "all_reduce_max", "all_reduce_min"):
        SPECS.append(row(_name, A(_shape), _W, second_order=_shape == (2, 3)))
    SPECS.append(row("all_reduce_prod", A(_shape, "nonzero"), _W,
                     second_order=_shape == (2, 3)))
    SPECS.append(row("broadcast", A(_shape), 0, _W, second_order=_shape == (2, 3)))
    SPECS.append(row("reduce_to", A(_shape), 0, _W, second_order=_shape == (2, 3)))
for _shape in [(3,), (2, 3), (4, 1, 2)]:
    SPECS.append(row("all_gather", A(_shape), _W, second_order=_shape == (2, 3)))
    SPECS.append(row("reduce_scatter", A(_shape), _W, second_order=_shape == (2, 3)))
SPECS.append(row("all_reduce", A((2, 3), dtype="float32"), "mccl_world_group", eps=1e-2,
                 rtol=1e-4, atol=1e-4))
