"""Spec rows for the primitives of ``autograd_st.rules_array`` (see ``rule_specs.py`` for what a
row is; that module gathers these).  ``ZERO_GRADIENT``: the primitives here without a gradient.
"""
from __future__ import annotations

import numpy as np
from rule_specs import A, row

from autograd_st.rules_array import arr_pad

SPECS: list = []
ZERO_GRADIENT: set = {"argmax", "argmin", "argsort", "sorted_order", "topk_indices", "index_zero",
                      "nd_index", "chunk_step", "section_start", "full", "tuple_array", "join_shapes", "arange", "arange_auto", "arange_mnp",
                      "linspace", "eye"}


def _reduced(shape, axis, keepdims):
    return np.shape(np.sum(np.zeros(shape), axis=axis, keepdims=keepdims))


# take (Gather, index_select) and its adjoint: every axis, negative ones, repeated and
# negative indices, a scalar index, a 2-D index
_I = np.array([2, 0, 2, -1])
for _shape, _idx, _axis in [((4,), _I, 0), ((3, 4), _I, 1), ((3, 4), np.array([1, 1]), 0),
                            ((3, 4), _I, -1), ((2, 3, 4), np.array([[0, 1], [1, 1]]), 1),
                            ((3, 4), np.array(2), 0), ((2, 3, 4), np.array([3, 0]), -1)]:
    _out = np.shape(np.take(np.zeros(_shape), _idx, axis=_axis))
    SPECS += [row("take", A(_shape), _idx, _axis, second_order=_shape == (3, 4)),
              row("untake", A(_out), A(_shape), _idx, _axis, second_order=_shape == (3, 4))]

# take_along (GatherD, and the values of max/min/sort/topk): index as large as x or smaller
for _shape, _idx, _axis in [((2, 3), np.array([[0, 0], [2, 1]]), 1),
                            ((2, 3), np.array([[1, 0, 1]]), 0),
                            ((2, 3, 4), np.array([[[3], [0], [3]], [[1], [1], [2]]]), -1),
                            ((4,), np.array([3, 3, 0]), 0),
                            ((3, 2), np.array([[2, 0], [0, 0], [1, 1]]), 0)]:
    SPECS += [row("take_along", A(_shape), _idx, _axis, second_order=_shape == (2, 3)),
              row("untake_along", A(_idx.shape), A(_shape), _idx, _axis)]

for _name in ("triu", "tril"):
    for _shape, _k in [((3, 3), 0), ((3, 4), 1), ((4, 3), -1), ((2, 3, 4), 0), ((2, 3), 5)]:
        SPECS.append(row(_name, A(_shape), _k, second_order=_shape == (3, 3)))

for _shape, _reps in [((2, 3), (2, 1)), ((2, 3), (2,)), ((3,), (2, 2)), ((2, 3), (1, 2, 3)),
                      ((), (3,)), ((2, 1, 3), (1, 2, 1))]:
    _out = np.shape(np.tile(np.zeros(_shape), _reps))
    SPECS += [row("tile", A(_shape), _reps, second_order=_shape == (2, 3)),
              row("untile", A(_out), A(_shape), _reps)]

for _shape, _rep, _axis in [((2, 3), 2, None), ((2, 3), 2, 1), ((2, 3), [1, 0, 3], 1),
                            ((2, 3), [2, 1], 0), ((2, 3), [1, 2, 0, 1, 1, 3], None),
                            ((2, 3, 2), 3, -1)]:
    _rn = np.asarray(_rep) if isinstance(_rep, list) else _rep
    _out = np.shape(np.repeat(np.zeros(_shape), _rn, axis=_axis))
    SPECS += [row("repeat", A(_shape), _rep, _axis, second_order=_axis == 1),
              row("unrepeat", A(_out), A(_shape), _rep, _axis)]

for _shape, _shift, _axis in [((5,), 2, None), ((2, 3), 1, None), ((2, 3), -1, 1),
                              ((2, 3), (1, -1), (0, 1)), ((2, 3, 4), 3, -1)]:
    SPECS.append(row("roll", A(_shape), _shift, _axis, second_order=_axis is None))

for _shape, _axis in [((2, 3), None), ((2, 3), 0), ((2, 3), (0, 1)), ((2, 3, 4), (-1,)),
                      ((4,), 0)]:
    SPECS.append(row("flip", A(_shape), _axis, second_order=_axis == 0))

for _shape, _a, _b in [((2, 3), 0, 1), ((2, 3, 4), 0, 2), ((2, 3, 4), -1, 1), ((3,), 0, 0)]:
    SPECS.append(row("swapaxes", A(_shape), _a, _b, second_order=_shape == (2, 3)))

# pad: constant (with the fill value's gradient, a float or a 0-D array), negative widths
# (crops), reflect, replicate, circular, symmetric (nn.Pad); and its adjoint
for _shape, _padding, _mode, _value in [
        ((2, 3), (1, 2), "constant", A(None)), ((2, 3), (1, 0, 0, 2), "constant", A(())),
        ((2, 3), (-1, 1), "constant", A(None)), ((2, 3, 4), (0, 1, 2, 0), "constant", 0.0),
        ((2, 4), (2, 1), "reflect", 0.0), ((2, 4), (1, 2, 1, 0), "replicate", 0.0),
        ((3, 3), (2, 2), "replicate", 0.0), ((2, 3), (1, 2), "circular", 0.0),
        ((4,), (3, 3), "reflect", 0.0), ((2, 3), (2, 1, 1, 2), "symmetric", 0.0),
        ((3,), (3, 4), "symmetric", 0.0)]:
    SPECS.append(row("pad", A(_shape), _padding, _mode, _value,
                     second_order=_mode == "constant" and _shape == (2, 3)))
    _out = np.shape(arr_pad(np.zeros(_shape), _padding, _mode, 0.0))
    SPECS.append(row("unpad", A(_out), A(_shape), _padding, _mode))

# running sums and products, products: every axis form, exclusive and reverse
for _shape, _axis in [((5,), 0), ((2, 3), 1), ((2, 3), 0), ((2, 3, 4), -1), ((2, 3, 4), -2)]:
    for _ex, _rev in [(False, False), (True, False), (False, True), (True, True)]:
        SPECS.append(row("cumsum", A(_shape), _axis, _ex, _rev,
                         second_order=_shape == (2, 3) and _ex and _rev))
    SPECS.append(row("cumprod", A(_shape, "nonzero"), _axis,
                     second_order=_shape == (2, 3), rtol=1e-4))

for _axis, _kd in [(None, False), (None, True), (0, False), (1, True), (-1, False),
                   ((0, 2), False), ((0, 2), True), ((-1, 0), True), ((), False)]:
    _r = _reduced((2, 3, 4), None if _axis == () else _axis, _kd) if _axis != () else (2, 3, 4)
    SPECS += [row("prod", A((2, 3, 4), "nonzero"), _axis, _kd,
                  second_order=_axis in (1, (0, 2)), rtol=1e-4, atol=1e-5),
              row("prod_grad", A(_r), A(_r), A((2, 3, 4), "nonzero"), _axis, _kd,
                  second_order=_axis == 1, rtol=1e-4, atol=1e-5),
              row("prod_hess", A((2, 3, 4)), A(_r), A((2, 3, 4), "nonzero"), _axis, _kd,
                  rtol=1e-4, atol=1e-5)]
SPECS += [row("prod", A((), "nonzero")), row("prod", A((5,), "nonzero"), 0, False),
          row("prod", A((2, 3), "nonzero"), None, False, second_order=True)]
