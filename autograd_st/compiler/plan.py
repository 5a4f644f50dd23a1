"""What the API asks the compiler to build, as plain data: a :class:`GradientPlan` (which
arguments and weights are differentiated, how the result is laid out) and the :class:`Ref`
leaves of that layout.

Takes nothing, gives the two frozen dataclasses.  They live apart from ``gradient`` (which
builds the function a plan describes) so that the API can describe a gradient without
loading the compiler: its passes, gast and astor load on the first compile.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["GradientPlan", "Ref"]


@dataclass(frozen=True)
class Ref:
    """A leaf of a result layout: ``Ref("value")`` the function's output, ``Ref("aux")`` its
    items after the first (as a tuple), ``Ref("arg", k)`` the k-th differentiated argument
    leaf's gradient (in ``GradientPlan.wrt_args`` order), ``Ref("weight", j)`` the j-th
    weight's gradient.  A layout is a Ref, None (no gradient: a constant leaf of an argument)
    or a tuple, list or dict of layouts (the same container in the result: an argument's
    gradient has the argument's structure)."""

    kind: str
    index: int = 0


@dataclass(frozen=True)
class GradientPlan:
    """What the top-level gradient function computes and returns."""

    wrt_args: tuple  # runtime argument leaves differentiated, in the order returned
    layout: object  # a Ref, None, or tuples, lists and dicts of them: the returned structure
    weights: tuple = ()  # Parameters whose gradients are returned (by identity)
    frozen: tuple = ()  # those of ``weights`` with requires_grad=False: zero gradients
    seeded: tuple = ()  # per output leaf: whether it is seeded (differentiated)
    sens: bool = False  # the output's gradient comes in after the positional arguments
    sens_of_first: bool = False  # ... and it is the first output's only (has_aux)
    int_args: tuple = ()  # per argument leaf: an integer one (its gradient is always cast)
    typed_args: tuple = ()  # per argument leaf: it has a dtype (a Tensor, an array, a numpy
    # scalar; not a Python float), which its gradient is given
    recompute: bool = False  # the form differentiated again (loops recompute, no lowering)
    ready_hook: bool = False  # each rule's contribution to a weight goes to grad_ready too
    # (nn.DistributedGradReducer's overlap; final code only)
