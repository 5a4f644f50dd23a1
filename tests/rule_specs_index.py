"""Spec rows for the primitives of ``autograd_st.rules_index`` (see ``rule_specs.py`` for what a
row is; that module gathers these).  ``ZERO_GRADIENT``: the primitives here without a gradient
(index results, random draws, index tuples computed from shapes, ``idx_reduce``, whose
gradient the adapters of ``table_index`` route through existing primitives: see
``tests/test_ops_index.py``).
"""
from __future__ import annotations

import numpy as np
from rule_specs import A, row

from autograd_st.rules_index import idx_im2col, idx_space_to_batch

SPECS: list = []

# unique / unique_consecutive: the values (first-appearance order, sorted) take their
# gradient where they are first found; the integer parts (inverse, counts) none.  Random
# values are distinct, so finite differences do not cross a tie (ties: test_ops_index.py)
for _shape in [(5,), (2, 3)]:
    for _part in (0, 1, 2, 3, 4, 5):
        SPECS.append(row("unique", A(_shape), _part))
    for _part in (0, 1, 2):
        SPECS.append(row("unique_consecutive", A(_shape), _part))
ZERO_GRADIENT: set = {"idx_winners", "idx_reduce", "nonzero",
                      "searchsorted", "rand", "rand_multinomial", "rand_permutation",
                      "rand_shuffle", "rand_choice_mask", "hstack_axis", "diag_index", "along_index",
                      "revseq_index", "extreme_like", "resized", "pad_widths"}

# idx_put: x with v written at an index; repeated positions (the last write wins: the others
# get no gradient), a basic index, a broadcast update, an element-wise (along) index
_ROWS = (np.array([0, 2, 0]),)
_ND = (np.array([0, 2, 0]), np.array([1, 1, 1]))
_ALONG = (np.array([[1, 0, 1]]), np.arange(3)[None, :])
for _x, _index, _v, _second in [
        ((3, 3), _ROWS, (3, 3), True),        # rows 0 and 2, row 0 written twice
        ((3, 3), _ROWS, (3,), False),         # one row broadcast to every write
        ((3, 3), _ND, (3,), True),            # a repeated coordinate
        ((3, 3), _ND, (), False),             # a scalar update
        ((3, 4), (slice(None), 1), (3,), False),           # select_scatter
        ((3, 4), (slice(None), slice(0, 4, 2)), (3, 2), True),  # slice_scatter
        ((2, 3, 4), (Ellipsis, 2), (2, 3), False),
        ((3, 3), _ALONG, (1, 3), False),      # tensor_scatter_elements
        ((3, 4), (np.arange(3), np.arange(3) + 1), (3,), False)]:  # a diagonal
    SPECS.append(row("idx_put", A(_x), _index, A(_v), second_order=_second))

# unfold / fold (im2col / col2im): kernels, dilation, padding and stride, square and not
for _shape, _k, _d, _p, _s in [((1, 2, 3, 3), 2, 1, 0, 1), ((2, 1, 4, 5), (2, 3), 1, 1, 2),
                               ((1, 2, 5, 6), (2, 3), (2, 1), (1, 2), (2, 3))]:
    _cols = np.shape(idx_im2col(np.zeros(_shape), _k, _d, _p, _s))
    SPECS += [row("im2col", A(_shape), _k, _d, _p, _s, second_order=_k == 2),
              row("col2im", A(_cols), _shape[2:], _k, _d, _p, _s, second_order=_k == 2)]

# moveaxis: one axis, several, negative
for _shape, _src, _dst in [((2, 3, 4), 0, -1), ((2, 3, 4), (0, 1), (2, 0)), ((3, 4), -1, 0)]:
    SPECS.append(row("moveaxis", A(_shape), _src, _dst, second_order=_shape == (3, 4)))

# atleast: each rank raised, already high enough, a vector as a column
for _shape, _n in [((), 1), ((3,), 2), ((3,), 3), ((2, 3), 3), ((2, 3), 1), ((4,), "col"),
                   ((2, 3), "col")]:
    SPECS.append(row("atleast", A(_shape), _n, second_order=_shape == (3,)))

# space_to_batch / batch_to_space: one and two block axes, with padding and crops
for _shape, _block, _pads in [((1, 1, 4, 4), (2, 2), ((0, 0), (0, 0))),
                              ((2, 2, 4, 6), (2, 3), ((1, 1), (0, 3))),
                              ((2, 3, 5), (2,), ((1, 0),))]:
    _out = np.shape(idx_space_to_batch(np.zeros(_shape), _block, _pads))
    SPECS += [row("space_to_batch", A(_shape), _block, _pads, second_order=len(_block) == 1),
              row("batch_to_space", A(_out), _block, _pads, second_order=len(_block) == 1)]
