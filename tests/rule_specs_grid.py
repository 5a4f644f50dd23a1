"""Spec rows for the primitives of ``autograd_st.rules_grid`` (``affine_grid`` and its
adjoint, ``grid_unnormalize``, ``grid_interp`` and its adjoint ``grid_scatter``; see
``rule_specs.py`` for what a row is; that module gathers these).  ``ZERO_GRADIENT``:
``grid_unnormalize_slope`` (piecewise constant).

The coordinates are drawn wide (``3 N(0, 1)`` pixels), so that samples fall inside and
outside the image (whose corners outside read 0) and off the pixel grid (the bilinear
weights are piecewise linear in the coordinates: a draw is never within a step of a kink);
the grid values for ``grid_unnormalize`` too (outside [-1, 1] for each padding mode's
folding).  Rows cover 4-D and 5-D images, batches of two, non-square images, both
``align_corners``, the orders the rules raise, and ``nearest`` in the image.
"""
from __future__ import annotations

import numpy as np
from rule_specs import A, row  # noqa: F401

SPECS: list = []

for _size, _align in (((2, 3, 4, 5), False), ((2, 1, 3, 5), True), ((2, 2, 2, 3, 4), True),
                      ((1, 2, 3, 2, 4), False)):
    _d = len(_size) - 2
    _out = (_size[0],) + _size[2:] + (_d,)
    SPECS += [row("affine_grid", A((_size[0], _d, _d + 1)), _size, _align, second_order=True),
              row("affine_grid_grad", A(_out), _size, _align, second_order=True)]

for _like in (np.zeros((2, 3, 4, 5)), np.zeros((1, 2, 3, 4, 6))):
    for _k in range(3):
        for _pad in ("zeros", "border", "reflection"):
            for _align in (False, True):
                SPECS.append(row("grid_unnormalize", A((2, 3, 2), "wide"), _like, _k, _pad,
                                 _align, second_order=True,
                                 id="%dd-k%d-%s-%s" % (_like.ndim - 2, _k, _pad, _align)))

# (image shape, sample shape (N, *O), mode, orders)
_SAMPLES = [
    ((2, 3, 4, 5), (2, 3, 2), "bilinear", (0, 0, 0)),
    ((2, 2, 3, 6), (2, 2, 4), "bilinear", (1, 0, 0)),
    ((1, 2, 5, 4), (1, 3, 3), "bilinear", (0, 1, 0)),
    ((2, 2, 4, 5), (2, 3, 2), "nearest", (0, 0, 0)),
    ((2, 2, 3, 4, 5), (2, 2, 3, 2), "bilinear", (0, 0, 0)),
    ((1, 1, 4, 3, 2), (1, 2, 2, 3), "bilinear", (0, 1, 1)),
]
for _xs, _os, _mode, (_ox, _oy, _oz) in _SAMPLES:
    _ys = _xs[:2] + _os[1:]
    _c = A(_os, "wide")
    _smooth = _mode == "bilinear"
    SPECS += [
        row("grid_interp", A(_xs), _c, _c, _c, _mode, _ox, _oy, _oz, second_order=_smooth),
        row("grid_scatter", A(_ys), _c, _c, _c, np.zeros(_xs), _mode, _ox, _oy, _oz,
            second_order=_smooth, id="%s-%s-%s%d%d%d" % ("x".join(map(str, _xs)),
                                                        "x".join(map(str, _os)), _mode, _ox,
                                                        _oy, _oz)),
    ]

ZERO_GRADIENT: set = {"grid_unnormalize_slope"}
