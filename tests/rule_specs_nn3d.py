"""Spec rows for the primitives of ``autograd_st.rules_nn3d`` (the 3-D convolution and its two
adjoints, ``gather_volume`` / ``scatter_volume``; see ``rule_specs.py`` for what a row is;
that module gathers these).  ``ZERO_GRADIENT``: the primitives here without a gradient.
"""
from __future__ import annotations

import numpy as np
from rule_specs import DOMAINS, A, row  # noqa: F401

from autograd_st.kernels_3d import conv3d_forward

# (input shape, weight shape, stride, pad, dilation, group)
_CONVS = [
    ((1, 2, 4, 5, 4), (3, 2, 2, 3, 2), (1, 1, 1), "valid", (1, 1, 1), 1),
    ((2, 2, 5, 4, 3), (2, 2, 3, 2, 2), (2, 2, 1), "same", (1, 1, 1), 1),
    ((1, 4, 3, 4, 4), (4, 2, 2, 2, 3), (1, 2, 1), (1, 0, 0, 1, 1, 1), (1, 1, 1), 2),
    ((1, 1, 5, 5, 4), (2, 1, 2, 2, 2), (1, 1, 2), (0, 0, 1, 1, 0, 0), (2, 1, 1), 1),
]

SPECS: list = []
for _xs, _ws, _s, _p, _d, _g in _CONVS:
    _ys = conv3d_forward(np.zeros(_xs), np.zeros(_ws), _s, _p, _d, _g).shape
    SPECS += [
        row("conv3d", A(_xs), A(_ws), _s, _p, _d, _g, second_order=True),
        row("conv3d_grad_input", A(_ys), A(_ws), np.zeros(_xs), _s, _p, _d, _g,
            second_order=True),
        row("conv3d_grad_weight", A(_xs), A(_ys), np.zeros(_ws), _s, _p, _d, _g,
            second_order=True),
    ]

_RNG = np.random.default_rng(7)
# (value shape, index shape, nd): the index's leading axes are the value's (or broadcast)
for _vs, _is, _nd in [((2, 3, 4, 3, 2), (2, 3, 2, 2, 1), 3), ((1, 2, 4, 5), (1, 2, 3, 2), 2),
                      ((2, 1, 6), (2, 1, 4), 1), ((1, 6), (3, 2, 6), 1)]:
    _vol = int(np.prod(_vs[len(_vs) - _nd:]))
    _idx = _RNG.integers(0, _vol, _is)
    SPECS += [
        row("gather_volume", A(_vs), _idx, _nd, second_order=True),
        row("scatter_volume", A(_is), _idx, _vs[len(_vs) - _nd:], second_order=True),
    ]
SPECS += [row("scatter_volume", A(()), _RNG.integers(0, 8, (2, 2, 3)), (2, 4))]




# (nn.MatInverse / MatDet use rules_linalg's matrix_inverse and det: rows in
# rule_specs_linalg.py)

ZERO_GRADIENT: set = {"conv3d_transpose_like", "max_pool3d_indices",
                      "adaptive_max_pool3d_indices"}
