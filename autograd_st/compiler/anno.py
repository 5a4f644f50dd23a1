"""Tags: what an emitter says about a node it emits, for the final lowering to read.

The reverse pass and the template expander (``codegen.substitute``) emit gast nodes; the final
lowering (:mod:`autograd_st.compiler.lower`) rewrites some of them for speed.  It finds them
by the tag their emitter put on them, never by how they are spelled: a user's helper called
``unbroadcast``, a variable called ``_tape``, a loop over ``reversed(...)`` carry no tag and are
never rewritten.  (Tangent's ``anno.py`` is the model: one attribute, a few functions.)

A tag is a kind and the facts the lowering needs (plain values: names and words, never nodes),
stored on the node under one attribute, :data:`ATTR`, which only the functions here touch.  It
says what the node *was made as*; a step that rewrites a node into something else removes
the tag (:func:`untag`).  Tags are not printed, and :func:`autograd_st.compiler.codegen.clone`
does not copy them: a node is tagged after its template has been substituted.

The contract, kind by kind (:data:`KINDS` lists the facts each kind must have):

================  ==========================  ==========================  =====================
kind              emitted by                  the node                    facts
================  ==========================  ==========================  =====================
tape_append       ``Reverse.loop`` (its hook  ``T.append(record)``, an    ``tape``: T
                  puts it in the forward      ``Expr``: one iteration's
                  loop's body)                values recorded
tape_walk         ``Reverse.loop``            ``for r in reversed(T):``,  ``tape``: T
                                              the backward loop, which
                                              unpacks the records
adjoint_zeros     ``Reverse.materialize``     ``d = zeros_like(v)``: an   ``adjoint``: d
                                              adjoint made an array (the
                                              generated code's own)
accumulate        ``Reverse.contribute``      ``d = d + e``: a later      ``adjoint``: d
                                              contribution to adjoint d
unbroadcast       ``codegen.substitute``      ``unbroadcast(E, v)``: a    ``like``: v (None
                  (a rule template's call of  gradient summed to v's      unless a name);
                  ``runtime.unbroadcast``)    shape                       ``matmul``: "nt"
                                                                          for E =
                                                                          ``matmul_nt(a, b)``,
                                                                          "tn" for E =
                                                                          ``matmul_tn(a, b,
                                                                          like=v)``, else None
kernel_forward    ``codegen.substitute``      ``p(args)``, the kernel of  ``prim``: p
                                              a primitive p of
                                              ``kernels.LOWERED_KERNELS``
kernel_gradient   ``codegen.substitute``      ``g(args, d)``, the kernel  ``prim``: p
                                              of p's gradient primitive
checkpoint_       ``checkpoint.checkpoint_    ``for s in reversed(...):``  ``tape``: T
segments          loop``                      per segment of a checkpointed
                                              loop: its last statement is
                                              the tape walk of T
shape_use         ``codegen.substitute``,     a call that reads the name  ``like``: v;
                  ``Reverse``                 v only for its shape (and   ``form``: the
                                              dtype): ``expand_to(g, v)``,  call's name
                                              ``zeros_like(v)``,
                                              ``np.shape(v)``, ``np.ndim(v)``
tape_init         ``Reverse.loop`` (its hook  ``T = []``: the tape made  ``tape``: T
                  puts it before the forward  before the forward loop
                  loop)
accumulated       ``lower`` (its              ``d = accumulate_tn(d, a,   ``adjoint``: d;
                  accumulation step)          b, w)`` (or ``_to``, or     ``helper``: the
                                              plain): an accumulation     helper's name
                                              made in place
ungetitem         ``codegen.substitute``      ``ungetitem(g, x, i)``: a   (none)
                                              gradient scattered into
                                              zeros shaped like x
forward_prim      ``ForwardEmitter``          ``t = p(args)``: a          ``prim``: p's name
                                              primitive's forward
                                              statement (pure)
forward_opaque    ``ForwardEmitter``          ``t = f(args)``: a call     ``effect``: whether
                                              with no rule, run as        it has side effects
                                              written
seed              ``Reverse.seed_ones``       ``ones_like(t)``: the ones  ``of``: t
                                              an output's gradient
                                              starts from
================  ==========================  ==========================  =====================

The lowering still checks the shape of what it rewrites (one target, arguments that are
names, ...): a tag says what a node is, not that every rewrite applies to it.
"""
from __future__ import annotations

from typing import NamedTuple

__all__ = ["ATTR", "KINDS", "Tag", "tag", "tag_of", "facts_of", "untag"]

ATTR = "_autograd_st_tag"
"""The one attribute a tag lives in."""

KINDS = {
    "tape_append": ("tape",),
    "tape_walk": ("tape",),
    "adjoint_zeros": ("adjoint",),
    "accumulate": ("adjoint",),
    "unbroadcast": ("like", "matmul"),
    "kernel_forward": ("prim",),
    "kernel_gradient": ("prim",),
    "shape_use": ("like", "form"),
    "checkpoint_segments": ("tape",),
    "tape_init": ("tape",),
    "accumulated": ("adjoint", "helper"),
    "ungetitem": (),
    "forward_prim": ("prim",),
    "forward_opaque": ("effect",),
    "seed": ("of",),
}
"""Each kind and the facts a tag of that kind carries (see the table above)."""


class Tag(NamedTuple):
    kind: str
    facts: dict


def tag(node, kind: str, **facts):
    """Tag ``node`` as a ``kind`` with ``facts`` (replacing any tag it had); returns ``node``."""
    want = KINDS.get(kind)
    if want is None:
        raise ValueError("unknown tag kind %r (known: %s)" % (kind, ", ".join(KINDS)))
    if len(facts) != len(want) or any(f not in facts for f in want):
        raise ValueError("a %r tag has the facts %s, not %s"
                         % (kind, ", ".join(want), ", ".join(sorted(facts)) or "none"))
    setattr(node, ATTR, Tag(kind, facts))
    return node


def tag_of(node) -> Tag | None:
    """``node``'s tag, or None."""
    return getattr(node, ATTR, None)


def facts_of(node, kind: str) -> dict | None:
    """The facts of ``node``'s tag if it is a ``kind``, else None."""
    found = getattr(node, ATTR, None)
    return found.facts if found is not None and found.kind == kind else None


def untag(node) -> None:
    """``node`` is no longer what its tag says (a step rewrote it)."""
    if hasattr(node, ATTR):
        delattr(node, ATTR)
