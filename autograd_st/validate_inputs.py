"""``Cell.set_inputs``' checks: a call of a Cell in GRAPH_MODE against the inputs it
declared, with MindSpore 2.10's error classes and words (measured there).

Takes: the Cell, its declared inputs and the call's arguments.
Gives: :func:`check_inputs` (raises ``TypeError``/``ValueError``), :func:`check_input_count`,
:func:`graph_mode` (whether the run context is in GRAPH_MODE, where calls are checked).
"""
from __future__ import annotations

import inspect

from .context import GRAPH_MODE, get_context
from .tensor import PlaceholderTensor, Tensor

__all__ = ["check_inputs", "check_input_count", "graph_mode"]


def graph_mode() -> bool:
    """Whether ``set_context(mode=GRAPH_MODE)`` is in force (MindSpore 2.10 checks calls
    against ``set_inputs`` only then)."""
    return get_context("mode") == GRAPH_MODE


def check_input_count(cell, n: int) -> None:
    """``set_inputs`` with fewer inputs than ``construct`` requires raises, as MindSpore's
    GRAPH_MODE does."""
    try:
        sig = inspect.signature(cell.construct)
    except (TypeError, ValueError):
        return
    params = list(sig.parameters.values())
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return
    required = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                and p.default is p.empty]
    if n < len(required):
        raise TypeError("For 'Cell', the function construct requires %d positional argument, "
                        "but got %d. When using set_inputs, please make sure that all networks "
                        "and loss functions are configured with set_inputs." % (len(required), n))


def _check_one(i: int, spec, arg) -> None:
    if isinstance(spec, (tuple, list)):
        raise ValueError(
            "For set_inputs or tuple(list) in set_inputs, the %dth should be a mutable %s (a "
            "dynamic sequence, as set_inputs declared it), but got %s %r. In GRAPH_MODE "
            "MindSpore takes a declared tuple only as mindspore.mutable(...); declare its "
            "Tensors one by one instead." % (i, type(spec).__name__, type(arg).__name__, arg))
    if not isinstance(spec, Tensor):
        return
    if not isinstance(arg, Tensor):
        raise TypeError("For set_inputs or tuple(list) in set_inputs, the %dth should be "
                        "mutable one, but got static! (set_inputs declared a Tensor there, "
                        "the call gave %s)" % (i, type(arg).__name__))
    if spec.dtype != arg.dtype:
        raise TypeError("For set_inputs or tuple(list) in set_inputs, the %dth type should be "
                        "Tensor[%s], but got Tensor[%s]!" % (i, spec.dtype, arg.dtype))
    shape = tuple(spec.shape)
    if isinstance(spec, PlaceholderTensor) and shape == (-2,):
        return  # any rank
    if len(shape) != len(arg.shape):
        raise ValueError("For set_inputs and tuple(list) in set_inputs, the dims of %dth input "
                         "must be the same as expected, but got expected: %d, and input: %d!"
                         % (i, len(shape), len(arg.shape)))
    for want, got in zip(shape, arg.shape):
        if want != -1 and want != got:
            raise ValueError("For set_inputs and tuple(list) in set_inputs, the shape of %dth "
                             "input must be the same as expected, but got expected: %d, and "
                             "input: %d!" % (i, want, got))


def check_inputs(cell, args: tuple) -> None:
    """The call's arguments against what ``cell.set_inputs`` declared (1-based positions
    in the messages, as MindSpore's)."""
    for i, (spec, arg) in enumerate(zip(cell._input_specs, args), start=1):
        _check_one(i, spec, arg)
