"""MindSpore's functional collectives, ``mindspore.communication.comm_func`` (2.10; deprecated
there in favour of the in-place ``mindspore.ops.communication``, which is not provided here).

Takes: the adapters of :mod:`autograd_st.table_comm`.  Gives: ``all_reduce``,
``all_gather_into_tensor``, ``reduce_scatter_tensor``, ``broadcast``, ``reduce``,
``barrier``, with MindSpore's signatures and results (``all_reduce`` and friends return
``(output, handle)``: ``handle`` is None, or with ``async_op=True`` a finished handle whose
``wait()`` returns at once, since the collective has completed).  They run eagerly and
inside differentiated code, with the gradients of :mod:`autograd_st.rules_comm`.
"""
from __future__ import annotations

from .. import table_comm
from ..errors import CommunicationError
from ..mpi_backend import group as _group
from ..prims import bindable
from ..rules_comm import WORLD
from .management import GlobalComm, get_group_rank_from_world_rank

__all__ = ["ReduceOp", "CommHandle", "all_reduce", "all_gather_into_tensor",
           "reduce_scatter_tensor", "broadcast", "reduce", "barrier"]


class ReduceOp:
    """The reduce operations (MindSpore's ``ReduceOp`` values)."""

    SUM = "sum"
    MAX = "max"
    MIN = "min"
    PROD = "prod"


class CommHandle:
    """A collective's handle; collectives here complete before they return, so ``wait``
    returns at once."""

    def wait(self) -> None:
        return None


def _handle(async_op):
    return CommHandle() if async_op else None


def _name(group):
    # MindSpore's default ``group`` is the Ascend world's name: every world name is the world
    return GlobalComm.WORLD_COMM_GROUP if group is None else group


@bindable
def all_reduce(tensor, op=ReduceOp.SUM, group=WORLD, async_op=False):
    """``comm_func.all_reduce(tensor, op='sum', group=..., async_op=False)`` ->
    ``(output, handle)``: ``tensor`` reduced over ``group`` (see ``ops.AllReduce``)."""
    return table_comm.all_reduce(tensor, op, _name(group)), _handle(async_op)


@bindable
def all_gather_into_tensor(tensor, group=WORLD, async_op=False):
    """``comm_func.all_gather_into_tensor(tensor, group=..., async_op=False)`` ->
    ``(output, handle)``: every rank's ``tensor`` joined along axis 0."""
    return table_comm.all_gather(tensor, _name(group)), _handle(async_op)


@bindable
def reduce_scatter_tensor(tensor, op=ReduceOp.SUM, group=WORLD, async_op=False):
    """``comm_func.reduce_scatter_tensor(tensor, op='sum', group=..., async_op=False)`` ->
    ``(output, handle)``: ``tensor`` reduced, rank r keeping the r-th block of axis 0."""
    return table_comm.reduce_scatter(tensor, op, _name(group)), _handle(async_op)


@bindable
def broadcast(tensor, src=0, group=WORLD):
    """``comm_func.broadcast(tensor, src=0, group=...)``: world rank ``src``'s ``tensor`` on
    every rank of ``group``."""
    if not isinstance(src, int):
        raise TypeError("For broadcast, the src must be int")
    group = _name(group)
    root = get_group_rank_from_world_rank(src, group) if GlobalComm.INITED else src
    return table_comm.broadcast(tensor, root, group)


@bindable
def reduce(tensor, dst, op=ReduceOp.SUM, group=WORLD):
    """``comm_func.reduce(tensor, dst, op='sum', group=...)``: the sum of ``tensor`` over
    ``group`` on world rank ``dst``; zeros shaped like ``tensor`` on the others (MindSpore's
    give a tensor of no meaning).  Only ``op='sum'``."""
    if op != ReduceOp.SUM:
        raise CommunicationError("comm_func.reduce: only op='sum' is provided (got %r); use "
                                 "all_reduce with op=%r" % (op, op))
    group = _name(group)
    root = get_group_rank_from_world_rank(dst, group) if GlobalComm.INITED else dst
    return table_comm.reduce_to(tensor, root, group)


def barrier(group=WORLD) -> None:
    """``comm_func.barrier(group=...)``: wait until every rank of ``group`` calls it."""
    if not isinstance(group, str):
        raise TypeError("group must be type of string, but got %s" % type(group))
    _group(_name(group)).barrier()
