"""Spec rows for the primitives of ``autograd_st.rules_detect`` (``roi_align`` and its
adjoint ``roi_align_grad``; see ``rule_specs.py`` for what a row is; that module gathers
these).  ``ZERO_GRADIENT``: the detection primitives without a gradient (IOU, CheckValid, the
NMS index and mask; ``bbox_encode``, ``bbox_decode`` and ``nms_sorted`` are refused, as
MindSpore 2.10 defines no gradient for them).

The RoIs keep their sample points off the pixel grid (a bilinear weight is piecewise linear
in the coordinates, not in the features: the features' derivative is exact anyway), and
cover RoIs partly outside the map, an end mode 0 RoI smaller than a pixel, adaptive grids
(``sample_num`` 0) and two images.
"""
from __future__ import annotations

import numpy as np
from rule_specs import A, row  # noqa: F401

from autograd_st.kernels_detect import roi_align

_ROIS = np.array([[0, 1.3, 2.1, 9.2, 8.4], [1, -2.2, 0.6, 4.1, 13.3],
                  [1, 3.3, 1.7, 3.5, 2.0], [0, 0.4, -3.1, 16.2, 3.3]])

# (feature shape, rois, pooled h, pooled w, spatial scale, sample num, end mode)
_CASES = [
    ((2, 3, 6, 7), _ROIS, 2, 2, 0.5, 2, 1),
    ((2, 2, 5, 6), _ROIS[[0, 1, 3]], 3, 2, 0.5, 0, 1),  # (RoI 2 has bins without samples)
    ((2, 1, 6, 7), _ROIS, 2, 3, 1.0, 1, 0),
    ((1, 2, 4, 5), _ROIS[[0, 3]] * [0, 1, 1, 1, 1], 4, 3, 0.25, 3, 1),
]

SPECS: list = []
for _xs, _r, _ph, _pw, _s, _n, _m in _CASES:
    _ys = roi_align(np.zeros(_xs), _r, _ph, _pw, _s, _n, _m).shape
    SPECS += [
        row("roi_align", A(_xs), _r, _ph, _pw, _s, _n, _m, second_order=True),
        row("roi_align_grad", A(_ys), _r, np.zeros(_xs), _ph, _pw, _s, _n, _m,
            second_order=True),
    ]

ZERO_GRADIENT: set = {"iou", "check_valid", "nms_index", "nms_mask"}
