"""The adapters of the collectives: MindSpore's signatures mapped to the primitives of
:mod:`autograd_st.rules_comm` (see :mod:`autograd_st.op_table` for what an adapter is).

Takes: :data:`~autograd_st.prims.P` and the primitives of :mod:`autograd_st.rules_comm`.
Gives: :data:`OPS` (no rows: MindSpore publishes the collectives as classes,
``ops.AllReduce`` ..., and as ``communication.comm_func`` functions, not as ``ops.*``
functions or Tensor methods) and the adapters those call, which run eagerly on Tensors and,
while the compiler binds user code, emit the primitives.

``op`` is one of MindSpore's ``ReduceOp`` values (``"sum"``, ``"max"``, ``"min"``,
``"prod"``, and for ``AllReduce`` also ``"avg"``: the sum divided by the group size); an
unknown op is refused when the primitive is made (MindSpore's fails when it runs); ``group`` a group name (``GlobalComm.WORLD_COMM_GROUP``, any of MindSpore's
world names, or one ``communication.create_group`` made).
"""
from __future__ import annotations

from . import rules_comm
from .errors import CommunicationError
from .mpi_backend import group as group_of
from .prims import P, bindable, has_sym
from .tensor import Tensor, unwrap

__all__ = ["OPS", "REDUCE_OPS", "ALL_REDUCE_OPS", "all_reduce", "all_gather", "reduce_scatter", "broadcast",
           "reduce_to"]

OPS: tuple = ()
REDUCE_OPS = ("sum", "max", "min", "prod")
ALL_REDUCE_OPS = REDUCE_OPS + ("avg",)


def _check_root(name: str, root, group) -> None:
    if not isinstance(root, int) or isinstance(root, bool):
        raise TypeError("For '%s', the root rank must be an int, but got %s"
                        % (name, type(root).__name__))
    size = group_of(group).size
    if not 0 <= root < size:
        raise CommunicationError("For '%s', the root rank %d is not a rank of group %r (its "
                                 "ranks: 0 to %d)" % (name, root, group, size - 1))


def _check(name: str, op, group, ops=REDUCE_OPS) -> None:
    if not isinstance(group, str):
        raise TypeError("For '%s', the argument 'group' must be a string (a group name), "
                        "but got %s" % (name, type(group).__name__))
    if op is not None and op not in ops:
        raise CommunicationError("For '%s', the reduce op must be one of %s (ReduceOp's "
                                 "values), but got %r" % (name, ", ".join(map(repr, ops)), op))


@bindable
def all_reduce(x, op="sum", group=rules_comm.WORLD):
    """MindSpore's ``AllReduce(op, group)(x)``: ``x`` reduced over the ranks of ``group``,
    the result on every rank (the gradient of a sum is an all-reduce of the gradients; of a
    max/min, the summed gradient on the lowest rank that holds the extreme; ``"avg"`` is the
    sum divided by the group size)."""
    _check("AllReduce", op, group, ALL_REDUCE_OPS)
    if op == "avg":
        return P.all_reduce(x, group) * (1.0 / group_of(group).size)
    if op == "sum":
        return P.all_reduce(x, group)
    if op == "max":
        return P.all_reduce_max(x, group)
    if op == "min":
        return P.all_reduce_min(x, group)
    return P.all_reduce_prod(x, group)


@bindable
def all_gather(x, group=rules_comm.WORLD):
    """MindSpore's ``AllGather(group)(x)``: every rank's ``x`` joined along axis 0 in rank
    order (its gradient: a reduce-scatter, sum)."""
    _check("AllGather", None, group)
    return P.all_gather(x, group)


@bindable
def reduce_scatter(x, op="sum", group=rules_comm.WORLD):
    """MindSpore's ``ReduceScatter(op, group)(x)``: ``x`` reduced over ``group``, rank r
    keeping the r-th of the group-size blocks of axis 0 (its gradient, for ``op="sum"``: an
    all-gather).  Other ops run eagerly only: MindSpore's bprop refuses them, and so does the
    compiler here."""
    _check("ReduceScatter", op, group)
    if op == "sum":
        return P.reduce_scatter(x, group)
    if has_sym(x):
        raise CommunicationError("ReduceScatter(op=%r) has no gradient (MindSpore's bprop "
                                 "supports ReduceOp.SUM only); use op='sum', or an AllReduce "
                                 "with op=%r and a slice, in differentiated code" % (op, op))
    out = rules_comm.comm_reduce_scatter_op(unwrap(x), op, group)
    return Tensor(out) if isinstance(x, Tensor) else out


@bindable
def broadcast(x, root=0, group=rules_comm.WORLD):
    """MindSpore's ``Broadcast(root_rank, group)`` on one tensor: rank ``root``'s ``x`` (a rank
    of ``group``) on every rank (its gradient: the gradients summed on the root, zeros
    elsewhere)."""
    _check("Broadcast", None, group)
    _check_root("Broadcast", root, group)
    return P.broadcast(x, root, group)


@bindable
def reduce_to(x, root=0, group=rules_comm.WORLD):
    """MindSpore's ``communication.comm_func.reduce`` with ``op="sum"``: the sum of ``x`` over
    ``group`` on rank ``root``, zeros elsewhere (MindSpore's non-root ranks get a tensor of
    no meaning; here they get zeros shaped like ``x``)."""
    _check("Reduce", None, group)
    _check_root("Reduce", root, group)
    return P.reduce_to(x, root, group)
