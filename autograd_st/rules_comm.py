"""Primitives and their reverse (vjp) and forward (jvp) rules for the collectives (all-reduce,
all-gather, reduce-scatter, broadcast, reduce-to-root), registered in the one registry of
:mod:`autograd_st.rules` (see its docstring for how a rule is written).

Takes: :mod:`autograd_st.rules` (``primitive``, ``vjp``, ``jvp``) and the group of a name
(:func:`autograd_st.mpi_backend.group`).  Gives: the primitives, by registering them; the
adapters with MindSpore's signatures are in :mod:`autograd_st.table_comm`, the classes
(``ops.AllReduce`` ...) in :mod:`autograd_st.ops.classes_comm`.

Every rank runs the same program, so every rank runs the same collectives in the same
order, forward and backward.  A gradient here is the gradient of the *sum over ranks* of
each rank's loss (what data-parallel training and MindSpore's bprops compute):

- ``all_reduce`` (sum) is linear, its adjoint is itself: the gradient is an all-reduce (sum)
  of the output's gradients;
- ``all_reduce_max``/``all_reduce_min``: the summed output gradient goes to the one rank
  whose value was the extreme, the lowest such rank on a tie (MindSpore's bprop gives it to
  every tied rank; this one is the gradient of the function wherever it has one, and a
  subgradient at ties);
- ``all_reduce_prod``: ``all_reduce(dout * out) / x`` (MindSpore's bprop; x must be nonzero);
- ``all_gather``'s adjoint is a reduce-scatter (sum) and ``reduce_scatter``'s an all-gather;
- ``broadcast``'s adjoint is ``reduce_to`` (the sum of the gradients on the root rank, zeros
  elsewhere), whose adjoint is ``broadcast`` again.  (MindSpore's Broadcast bprop returns
  ``dout`` on every rank; that is not the derivative, and is not followed.)

In a group of one (no launcher, or no ``mpi4py``) every collective returns its input.
"""
from __future__ import annotations

import numpy as np

from .mpi_backend import group as group_of
from .rules import jvp, primitive, vjp

__all__ = ["COMM_PRIMITIVES", "WORLD", "comm_all_reduce", "comm_all_reduce_max",
           "comm_all_reduce_min", "comm_all_reduce_prod", "comm_winner", "comm_all_gather", "comm_reduce_scatter", "comm_reduce_scatter_op",
           "comm_broadcast", "comm_reduce_to"]

WORLD = "hccl_world_group"  # MindSpore's default ``group`` (GlobalComm.WORLD_COMM_GROUP)


def _tag(name):
    def deco(fn):
        fn._autograd_st_prim = name
        return fn
    return deco


# ---------------------------------------------------------------------------------------
# helpers (numpy over mpi_backend; each the body of the primitive it is tagged with)
# ---------------------------------------------------------------------------------------

def _array(x):
    return np.asarray(x)


@_tag("all_reduce")
def comm_all_reduce(x, group):
    """The sum of ``x`` over the ranks of ``group``, on every rank."""
    return group_of(group).allreduce(_array(x), "sum")


@_tag("all_reduce_max")
def comm_all_reduce_max(x, group):
    """The element-wise maximum of ``x`` over ``group``, on every rank."""
    return group_of(group).allreduce(_array(x), "max")


@_tag("all_reduce_min")
def comm_all_reduce_min(x, group):
    """The element-wise minimum of ``x`` over ``group``, on every rank."""
    return group_of(group).allreduce(_array(x), "min")


@_tag("all_reduce_prod")
def comm_all_reduce_prod(x, group):
    """The element-wise product of ``x`` over ``group``, on every rank."""
    return group_of(group).allreduce(_array(x), "prod")


@_tag("comm_winner_mask")
def comm_winner(x, out, op, group):
    """1 where this rank holds the extreme ``out`` of an all-reduce max/min (the lowest such
    rank on a tie), else 0; ``x``'s dtype."""
    x = _array(x)
    comm = group_of(group)
    hit = x == out
    if comm.size == 1:
        return hit.astype(x.dtype)
    first = comm.allreduce(np.where(hit, comm.rank, comm.size).astype(np.int64), "min")
    return (first == comm.rank).astype(x.dtype)


@_tag("all_gather")
def comm_all_gather(x, group):
    """Every rank's ``x`` joined along axis 0, in rank order."""
    return group_of(group).allgather(_array(x))


@_tag("reduce_scatter")
def comm_reduce_scatter(x, group):
    """The sum of ``x`` over ``group``, rank r keeping the r-th block of axis 0."""
    return group_of(group).reduce_scatter(_array(x), "sum")


def comm_reduce_scatter_op(x, op, group):
    """``x`` reduced with ``op`` over ``group``, rank r keeping the r-th block of axis 0."""
    return group_of(group).reduce_scatter(_array(x), op)


@_tag("broadcast")
def comm_broadcast(x, root, group):
    """Rank ``root``'s ``x`` (a rank of ``group``) on every rank."""
    return group_of(group).broadcast(_array(x), root)


@_tag("reduce_to")
def comm_reduce_to(x, root, group):
    """The sum of ``x`` over ``group`` on rank ``root``; zeros on the other ranks."""
    comm = group_of(group)
    total = comm.allreduce(_array(x), "sum")
    return total if comm.rank == root else np.zeros_like(total)


# ---------------------------------------------------------------------------------------
# primitives and rules
# ---------------------------------------------------------------------------------------

@primitive()
def all_reduce(x, group=WORLD):
    return comm_all_reduce(x, group)


@vjp(all_reduce)
def _(dout, out, x, group):
    return comm_all_reduce(dout, group),


@jvp(all_reduce)
def _(out, x, group, dx):
    return comm_all_reduce(dx, group),


@primitive(diff=())
def comm_winner_mask(x, out, op="max", group=WORLD):
    return comm_winner(x, out, op, group)


@primitive()
def all_reduce_max(x, group=WORLD):
    return comm_all_reduce_max(x, group)


@vjp(all_reduce_max)
def _(dout, out, x, group):
    return comm_all_reduce(dout, group) * comm_winner(x, out, "max", group),


@jvp(all_reduce_max)
def _(out, x, group, dx):
    return comm_all_reduce(dx * comm_winner(x, out, "max", group), group),


@primitive()
def all_reduce_min(x, group=WORLD):
    return comm_all_reduce_min(x, group)


@vjp(all_reduce_min)
def _(dout, out, x, group):
    return comm_all_reduce(dout, group) * comm_winner(x, out, "min", group),


@jvp(all_reduce_min)
def _(out, x, group, dx):
    return comm_all_reduce(dx * comm_winner(x, out, "min", group), group),


@primitive()
def all_reduce_prod(x, group=WORLD):
    return comm_all_reduce_prod(x, group)


@vjp(all_reduce_prod)
def _(dout, out, x, group):
    return comm_all_reduce(dout * out, group) / x,


@jvp(all_reduce_prod)
def _(out, x, group, dx):
    return out * comm_all_reduce(dx / x, group),


@primitive()
def all_gather(x, group=WORLD):
    return comm_all_gather(x, group)


@vjp(all_gather)
def _(dout, out, x, group):
    return comm_reduce_scatter(dout, group),


@jvp(all_gather)
def _(out, x, group, dx):
    return comm_all_gather(dx, group),


@primitive()
def reduce_scatter(x, group=WORLD):
    return comm_reduce_scatter(x, group)


@vjp(reduce_scatter)
def _(dout, out, x, group):
    return comm_all_gather(dout, group),


@jvp(reduce_scatter)
def _(out, x, group, dx):
    return comm_reduce_scatter(dx, group),


@primitive()
def broadcast(x, root=0, group=WORLD):
    return comm_broadcast(x, root, group)


@vjp(broadcast)
def _(dout, out, x, root, group):
    return comm_reduce_to(dout, root, group),


@jvp(broadcast)
def _(out, x, root, group, dx):
    return comm_broadcast(dx, root, group),


@primitive()
def reduce_to(x, root=0, group=WORLD):
    return comm_reduce_to(x, root, group)


@vjp(reduce_to)
def _(dout, out, x, root, group):
    return comm_broadcast(dout, root, group),


@jvp(reduce_to)
def _(out, x, root, group, dx):
    return comm_reduce_to(dx, root, group),


COMM_PRIMITIVES = ("all_reduce", "all_reduce_max", "all_reduce_min", "all_reduce_prod",
                   "comm_winner_mask", "all_gather", "reduce_scatter", "broadcast",
                   "reduce_to")
