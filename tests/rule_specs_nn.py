"""Spec rows for the primitives of ``autograd_st.rules_nn`` beyond the core ones in
``rule_specs.py`` (pooling, pixel shuffle; see ``rule_specs.py`` for what a row is; that module
gathers these).  ``ZERO_GRADIENT``: the primitives here without a gradient.

Max pooling's inputs are drawn from the ``distinct`` domain, so no window has a tie and the
finite differences never cross a switch of the maximum.
"""
from __future__ import annotations

from rule_specs import A, row  # noqa: F401

# (input shape, kernel, stride, pad, dilation, ceil_mode, output shape)
_POOLS = [
    ((1, 1, 4, 4), (2, 2), (2, 2), "valid", (1, 1), False, (1, 1, 2, 2)),
    ((2, 1, 5, 5), (3, 3), (2, 2), "same", (1, 1), False, (2, 1, 3, 3)),
    ((1, 2, 5, 4), (2, 2), (2, 2), "same", (1, 1), False, (1, 2, 3, 2)),
    ((1, 1, 5, 5), (3, 3), (2, 2), (1, 1, 1, 1), (1, 1), False, (1, 1, 3, 3)),
    ((1, 1, 5, 5), (2, 2), (2, 2), (0, 0, 0, 0), (1, 1), True, (1, 1, 3, 3)),
    ((1, 1, 6, 5), (2, 3), (1, 2), (1, 1, 0, 0), (2, 1), False, (1, 1, 6, 2)),
    ((2, 4, 3), (2, 2), (1, 1), "valid", (1, 1), False, (2, 3, 2)),  # (C, H, W)
]

SPECS: list = []
for _xs, _k, _s, _p, _d, _c, _ys in _POOLS:
    SPECS += [
        row("max_pool2d", A(_xs, "distinct"), _k, _s, _p, _d, _c),
        row("max_pool2d_scatter", A(_xs, "distinct"), A(_ys), _k, _s, _p, _d, _c,
            second_order=True),
        row("max_pool2d_gather", A(_xs, "distinct"), A(_xs), _k, _s, _p, _d, _c,
            second_order=True),
    ]
# (input shape, output_size, output shape): adaptive bins overlap when the sizes do not divide
for _xs, _o, _ys in [((1, 1, 5, 5), (3, 2), (1, 1, 3, 2)), ((2, 2, 4, 3), (4, None), (2, 2, 4, 3)),
                     ((1, 3, 4), (2, 5), (1, 2, 5)), ((2, 1, 6, 6), (3, 3), (2, 1, 3, 3))]:
    SPECS += [
        row("adaptive_max_pool2d", A(_xs, "distinct"), _o),
        row("adaptive_max_pool2d_scatter", A(_xs, "distinct"), A(_ys), _o, second_order=True),
        row("adaptive_max_pool2d_gather", A(_xs, "distinct"), A(_xs), _o, second_order=True),
    ]
SPECS += [
    row("max_pool2d_scatter", A((1, 1, 4, 4), "distinct"), A(()), (2, 2), (2, 2)),
    row("pixel_shuffle", A((1, 4, 2, 3)), 2, second_order=True),
    row("depth_to_space", A((2, 8, 2, 3)), 2, second_order=True),
    row("depth_to_space", A((1, 9, 1, 2)), 3),
    row("space_to_depth", A((2, 2, 4, 6)), 2, second_order=True),
    row("pixel_shuffle", A((2, 18, 1, 2)), 3),
    row("pixel_shuffle", A((8, 2, 2)), 2),
    row("pixel_unshuffle", A((1, 1, 4, 6)), 2, second_order=True),
    row("pixel_unshuffle", A((2, 3, 3)), 3),
    # load: a snapshot (copy) of a variable an assign writes later; the identity's rules
    row("load", A(()), second_order=True),
    row("load", A((3,))),
    row("load", A((2, 1, 3)), second_order=True),
]

ZERO_GRADIENT: set = {"pool_matrix", "resize_matrix", "conv_transpose_like", "class_targets",
                      "soft_labels", "max_pool2d_indices", "adaptive_max_pool2d_indices"}


# gradient hooks (ops.InsertGradientOf, ops.HookBackward): identity forward; with a hook that
# keeps the gradient (returns None) the rule is the identity's, which differences can check;
# hooks that change the gradient are checked by value in tests/test_hooks.py
def _keep(grad):
    return None


SPECS += [
    row("grad_hook", A((2, 3)), _keep, False),
    row("grad_hook", A(()), _keep, True),
]

# a Cell's backward hook: the capture of the output's gradient and the hook on the input; with
# a hook that keeps the gradient both are the identity's (tests/test_cell_hooks.py checks
# hooks that change it)
from autograd_st.rules import GradSlot  # noqa: E402


def _keep_cell_grad(cell, grad_input, grad_output):
    return None


def _keep_output_grad(cell, grad_output):
    return None


def _same_output_grad(cell, grad_output):
    return (grad_output[0] * 1.0,)


SPECS += [
    row("grad_capture", A((2, 3)), GradSlot()),
    row("backward_hook", A((3,)), GradSlot(), None, _keep_cell_grad),
    row("backward_pre_hook", A((2, 3)), None, _keep_output_grad),
    row("backward_pre_hook", A(()), None, _same_output_grad),
]

# the fused LSTM (one layer, one direction, a whole sequence): lstm_seq(x (T, B, F), h0, c0
# (B, H), w_ih (4H, F), w_hh (4H, H), b (4H,)) -> its tape (6, T, B, H); and its backward
# through time, lstm_seq_dgates(gout (6, T, B, H), tape, c0, w_hh) -> (T + 1, B, 4H), whose
# rules are the second derivatives through nn.LSTM (any tape values will do for it)
for _t, _b, _f, _h, _so in [(1, 1, 1, 1, False), (1, 2, 3, 2, True), (3, 2, 4, 3, True),
                            (4, 1, 2, 2, False), (5, 3, 2, 1, False), (2, 4, 1, 3, False)]:
    SPECS += [
        row("lstm_seq", A((_t, _b, _f)), A((_b, _h)), A((_b, _h)), A((4 * _h, _f)),
            A((4 * _h, _h)), A((4 * _h,)), second_order=_so),
        row("lstm_seq_dgates", A((6, _t, _b, _h)), A((6, _t, _b, _h)), A((_b, _h)),
            A((4 * _h, _h))),
    ]
