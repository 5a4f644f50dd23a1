"""MindSpore's collective-communication primitive classes (``ops.AllReduce``, ``ops.AllGather``,
``ops.ReduceScatter``, ``ops.Broadcast``) and ``ops.ReduceOp``: each instance is a constant to
the compiler, its call an adapter of :mod:`autograd_st.table_comm`, so a collective runs
eagerly on Tensors and inside a differentiated ``construct``, with its gradient rule
(:mod:`autograd_st.rules_comm`).

Takes: :class:`~autograd_st.ops.primitive_base.Primitive` and the adapters.
Gives: the classes.  Signatures are MindSpore 2.10's (measured in the side venv):
``AllReduce(op='sum', group='hccl_world_group')``, ``AllGather(group=...)``,
``ReduceScatter(op='sum', group=...)``, ``Broadcast(root_rank, group=...)``.  The default
group, MindSpore's ``'hccl_world_group'``, and ``'nccl_world_group'``/``'mccl_world_group'``
all mean every process of the job here.
"""
from __future__ import annotations

from .. import table_comm
from ..rules_comm import WORLD
from .primitive_base import Primitive

__all__ = ["ReduceOp", "AllReduce", "AllGather", "ReduceScatter", "Broadcast"]


class ReduceOp:
    """MindSpore's ``ops.ReduceOp``: the reduce operations of the collectives, as strings
    (``AVG``: ``AllReduce`` only)."""

    SUM = "sum"
    MAX = "max"
    MIN = "min"
    PROD = "prod"
    AVG = "avg"


class AllReduce(Primitive):
    """``ops.AllReduce(op=ReduceOp.SUM, group=GlobalComm.WORLD_COMM_GROUP)(x)``: ``x``
    reduced over every rank of ``group``, the result on each.  Gradient: for SUM an
    all-reduce (sum) of the output gradients; for MAX/MIN the summed output gradient on the
    rank holding the extreme (the lowest one on a tie; MindSpore gives it to every tied
    rank); for PROD MindSpore's ``all_reduce(dout * out) / x``; AVG is the sum divided by
    the group size."""

    def __init__(self, op=ReduceOp.SUM, group=WORLD) -> None:
        table_comm._check("AllReduce", op, group, table_comm.ALL_REDUCE_OPS)
        self.op = op
        self.group = group

    def __call__(self, x):
        return table_comm.all_reduce(x, self.op, self.group)


class AllGather(Primitive):
    """``ops.AllGather(group=GlobalComm.WORLD_COMM_GROUP)(x)``: every rank's ``x`` joined
    along axis 0 in rank order.  Gradient: a reduce-scatter (sum) of the output gradient."""

    def __init__(self, group=WORLD) -> None:
        table_comm._check("AllGather", None, group)
        self.group = group

    def __call__(self, x):
        return table_comm.all_gather(x, self.group)


class ReduceScatter(Primitive):
    """``ops.ReduceScatter(op=ReduceOp.SUM, group=GlobalComm.WORLD_COMM_GROUP)(x)``: ``x``
    reduced over ``group``, rank r keeping the r-th block of axis 0 (its length must be a
    multiple of the group size).  Gradient (SUM only, as MindSpore's): an all-gather."""

    def __init__(self, op=ReduceOp.SUM, group=WORLD) -> None:
        table_comm._check("ReduceScatter", op, group)
        self.op = op
        self.group = group

    def __call__(self, x):
        return table_comm.reduce_scatter(x, self.op, self.group)


class Broadcast(Primitive):
    """``ops.Broadcast(root_rank, group=GlobalComm.WORLD_COMM_GROUP)(input_x)``: rank
    ``root_rank``'s tensors on every rank.  ``input_x`` is a tuple of tensors and so is the
    result (MindSpore's form); a single tensor gives a single tensor.  ``root_rank`` is the
    root's rank in ``group`` (its world rank for the world group).  Gradient: the output
    gradients summed on the root rank, zeros on the others (MindSpore's bprop passes
    ``dout`` through unchanged, which is not the derivative)."""

    def __init__(self, root_rank, group=WORLD) -> None:
        if not isinstance(root_rank, int) or isinstance(root_rank, bool):
            raise TypeError("For 'Broadcast', the 'root_rank' must be an int, but got %s"
                            % type(root_rank).__name__)
        table_comm._check("Broadcast", None, group)
        self.root_rank = root_rank
        self.group = group

    def __call__(self, input_x):
        if isinstance(input_x, (tuple, list)):
            return tuple(table_comm.broadcast(x, self.root_rank, self.group) for x in input_x)
        return table_comm.broadcast(input_x, self.root_rank, self.group)
