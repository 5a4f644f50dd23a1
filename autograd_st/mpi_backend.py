"""The one module that touches MPI: a small communicator over ``mpi4py`` (an optional extra).

Takes numpy arrays, gives numpy arrays.  Everything distributed in autograd_st
(``autograd_st.communication``, the ``ops`` collectives, ``nn.DistributedGradReducer``, dataset
sharding) talks to MPI only through :func:`world` and the :class:`Comm` it returns, so that a
later backend (NCCL for a GPU array backend, say) replaces this module alone.

Without ``mpi4py``, or in a process not started by a launcher, :func:`world` is a group of one
(rank 0, size 1) whose collectives return their input: the same script runs unchanged on one
process.  ``mpi4py`` is imported on the first call of :func:`world`, never at import time, so
``import autograd_st`` costs nothing for it.

Collectives have a timeout (``AUTOGRAD_ST_COLLECTIVE_TIMEOUT`` seconds, default 300): a rank
that waits longer raises :class:`autograd_st.errors.CollectiveTimeoutError` instead of hanging
on a peer that died.  On a job of several processes an uncaught exception (that one too) prints
the rank's traceback, each line prefixed ``[rank N]``, and ends every rank (MPI_Abort):
:func:`install_fault_handler`.

Groups: :func:`group` gives the :class:`Comm` of a group name (MindSpore's world names, or one
:func:`add_group` made for ``communication.create_group``).
"""
from __future__ import annotations

import os
import sys
import time
import traceback
from typing import Any, Optional

import numpy as np

from .errors import CollectiveTimeoutError, CommunicationError

__all__ = ["Comm", "Request", "world", "mpi_available", "collective_timeout", "group",
           "add_group", "remove_group", "group_names", "WORLD_NAMES", "job_rank",
           "install_fault_handler", "remove_fault_handler"]

_OPS = ("sum", "max", "min", "prod")


def collective_timeout() -> float:
    """Seconds a collective may wait for its peers (``AUTOGRAD_ST_COLLECTIVE_TIMEOUT``)."""
    try:
        return float(os.environ.get("AUTOGRAD_ST_COLLECTIVE_TIMEOUT", "300"))
    except ValueError:
        return 300.0


_MPI: Any = None


def _mpi() -> Any:
    """``mpi4py.MPI``, imported on first use (None when it cannot be imported)."""
    global _MPI
    if _MPI is None:
        try:
            # optional extra: loaded on demand so that `import autograd_st` never starts MPI
            from mpi4py import MPI
        except Exception:
            _MPI = False
        else:
            _MPI = MPI
    return _MPI or None


def mpi_available() -> bool:
    """Whether ``mpi4py`` (and an MPI library under it) can be imported."""
    return _mpi() is not None


class Request:
    """A non-blocking collective in flight; :meth:`wait` returns its result array."""

    __slots__ = ("_req", "_out", "_what")

    def __init__(self, req: Any, out: np.ndarray, what: str) -> None:
        self._req, self._out, self._what = req, out, what

    def test(self) -> bool:
        return self._req is None or bool(self._req.Test())

    def wait(self, timeout: Optional[float] = None) -> np.ndarray:
        if self._req is not None:
            _wait_all([self._req], self._what, timeout)
            self._req = None
        return self._out


SPIN_SECONDS = 1.0
"""How long a wait polls without sleeping before it sleeps between polls.  MPICH moves a
non-blocking collective on only inside MPI calls, so a wait that sleeps at once stretches an
all-reduce of 1 MB between two processes from 0.2 ms to about 12 ms (measured here)."""


def _wait_all(reqs, what: str, timeout: Optional[float]) -> None:
    limit = collective_timeout() if timeout is None else timeout
    start = time.monotonic()
    deadline = start + limit
    spin_until = start + min(SPIN_SECONDS, limit)
    while time.monotonic() < spin_until:
        if all(r.Test() for r in reqs):
            return
    pause = 0.0
    while True:
        if all(r.Test() for r in reqs):
            return
        if time.monotonic() > deadline:
            raise CollectiveTimeoutError(what, limit)
        time.sleep(pause)
        pause = min(0.01, pause + 0.0002)


class Comm:
    """A group of processes: ``rank``, ``size`` and collectives over numpy arrays.

    Built by :func:`world` (all processes) or :meth:`split` (a sub-group).  ``mpi`` is the
    ``mpi4py`` communicator, or None for a group of one without MPI.
    """

    def __init__(self, mpi_comm: Any = None, ranks: Optional[tuple] = None) -> None:
        self.mpi = mpi_comm
        self.rank = 0 if mpi_comm is None else mpi_comm.Get_rank()
        self.size = 1 if mpi_comm is None else mpi_comm.Get_size()
        # the world ranks of the members, in group-rank order
        self.ranks = tuple(range(self.size)) if ranks is None else tuple(ranks)
        self._local: Optional[tuple] = None

    def local(self) -> tuple:
        """``(local rank, local size)``: this process among the group's processes on the same
        machine (MPI's shared-memory split, computed once; a collective the first time)."""
        if self._local is None:
            if self.mpi is None or self.size == 1:
                self._local = (0, 1)
            else:
                node = self.mpi.Split_type(_mpi().COMM_TYPE_SHARED, key=self.rank)
                self._local = (node.Get_rank(), node.Get_size())
                node.Free()
        return self._local

    # -- helpers ----------------------------------------------------------------------
    def _op(self, op: str):
        if op not in _OPS:
            raise ValueError("reduce op must be one of %s, got %r" % (", ".join(_OPS), op))
        MPI = _mpi()
        return {"sum": MPI.SUM, "max": MPI.MAX, "min": MPI.MIN, "prod": MPI.PROD}[op]

    @staticmethod
    def _contig(a) -> np.ndarray:
        # (np.ascontiguousarray would make a 0-d array 1-d)
        a = np.asarray(a)
        return a if a.flags.c_contiguous else np.array(a, order="C")

    # -- collectives ------------------------------------------------------------------
    def iallreduce(self, array, op: str = "sum", out: Optional[np.ndarray] = None) -> Request:
        """Start an all-reduce of ``array`` (non-blocking); ``.wait()`` gives the result."""
        a = self._contig(array)
        if self.mpi is None or self.size == 1:
            if out is None:
                return Request(None, a.copy(), "all_reduce")
            out[...] = a
            return Request(None, out, "all_reduce")
        res = np.empty_like(a) if out is None else out
        return Request(self.mpi.Iallreduce(a, res, op=self._op(op)), res, "all_reduce")

    def allreduce(self, array, op: str = "sum") -> np.ndarray:
        """All-reduce ``array`` over the group; every rank gets the result."""
        return self.iallreduce(array, op).wait()

    def allgather(self, array) -> np.ndarray:
        """Concatenate every rank's ``array`` along axis 0 (same shape on every rank)."""
        a = self._contig(array)
        if self.mpi is None or self.size == 1:
            return a.copy()
        res = np.empty((self.size,) + a.shape, a.dtype)
        _wait_all([self.mpi.Iallgather(a, res)], "all_gather", None)
        return res.reshape((self.size * a.shape[0],) + a.shape[1:]) if a.ndim else res

    def reduce_scatter(self, array, op: str = "sum") -> np.ndarray:
        """Reduce ``array`` over the group and give rank r the r-th block along axis 0."""
        a = self._contig(array)
        if self.mpi is None or self.size == 1:
            return a.copy()
        if a.shape[0] % self.size:
            raise ValueError("reduce_scatter: axis 0 (%d) is not divisible by the group size "
                             "(%d)" % (a.shape[0], self.size))
        res = np.empty((a.shape[0] // self.size,) + a.shape[1:], a.dtype)
        _wait_all([self.mpi.Ireduce_scatter_block(a, res, op=self._op(op))],
                  "reduce_scatter", None)
        return res

    def broadcast(self, array, root: int = 0) -> np.ndarray:
        """Every rank gets ``root``'s ``array`` (same shape and dtype on every rank)."""
        a = np.array(array, copy=True, order="C")
        if self.mpi is None or self.size == 1:
            return a
        _wait_all([self.mpi.Ibcast(a, root=root)], "broadcast", None)
        return a

    def broadcast_object(self, obj: Any, root: int = 0) -> Any:
        """A picklable Python object from ``root`` to every rank."""
        if self.mpi is None or self.size == 1:
            return obj
        return self.mpi.bcast(obj, root=root)

    def barrier(self) -> None:
        if self.mpi is not None and self.size > 1:
            _wait_all([self.mpi.Ibarrier()], "barrier", None)

    def split(self, color: int, key: int = 0) -> "Comm":
        """A sub-group of the ranks that pass the same ``color``."""
        if self.mpi is None:
            return Comm(None)
        return Comm(self.mpi.Split(color, key))

    def subgroup(self, ranks) -> "Comm":
        """The group of ``ranks`` (ranks of this group, in the new group's order), made by
        its members only (MPI_Comm_create_group): every listed rank calls it, no other."""
        ranks = tuple(int(r) for r in ranks)
        if self.rank not in ranks:
            raise CommunicationError("rank %d is not among the new group's ranks %s: only the "
                                     "ranks of a group create it" % (self.rank, ranks))
        world_ranks = tuple(self.ranks[r] for r in ranks)
        if self.mpi is None or (self.size == 1 and ranks == (0,)):
            return Comm(None, world_ranks)
        sub = self.mpi.Create_group(self.mpi.Get_group().Incl(list(ranks)))
        return Comm(sub, world_ranks)

    def free(self) -> None:
        """Release the MPI communicator of a sub-group (never the world's)."""
        if self.mpi is not None and self is not _WORLD:
            self.mpi.Free()
            self.mpi = None

    def abort(self, code: int = 1) -> None:
        """End every process of the job (MPI_Abort); a group of one just exits."""
        if self.mpi is not None and self.size > 1:
            self.mpi.Abort(code)
        os._exit(code)


_WORLD: Optional[Comm] = None

# MindSpore's names of the world group (Ascend, GPU, CPU): each one is :func:`world` here
WORLD_NAMES = ("hccl_world_group", "nccl_world_group", "mccl_world_group")
_GROUPS: dict = {}


def world() -> Comm:
    """Every process of this job: MPI's world communicator, or a group of one without MPI."""
    global _WORLD
    if _WORLD is None:
        MPI = _mpi()
        _WORLD = Comm(None if MPI is None else MPI.COMM_WORLD)
        if _WORLD.size > 1:
            install_fault_handler()
    return _WORLD


def group(name: str) -> Comm:
    """The group named ``name``: the world under any of :data:`WORLD_NAMES`, else one that
    :func:`add_group` registered (``communication.create_group``)."""
    if name in WORLD_NAMES:
        return world()
    try:
        return _GROUPS[name]
    except KeyError:
        raise CommunicationError("no communication group named %r on rank %d: create it with "
                         "communication.create_group(%r, rank_ids) on each of its ranks, or "
                         "use GlobalComm.WORLD_COMM_GROUP" % (name, world().rank, name)) from None


def add_group(name: str, ranks) -> Comm:
    """Make and register the group ``name`` of the world ranks ``ranks`` (called by the
    listed ranks only)."""
    if name in WORLD_NAMES or name in _GROUPS:
        raise CommunicationError("communication group %r already exists; pick another name or "
                         "destroy_group(%r) first" % (name, name))
    comm = world().subgroup(ranks)
    _GROUPS[name] = comm
    return comm


def remove_group(name: str) -> None:
    """Forget (and free) the group ``name``; the world group cannot be removed."""
    if name in WORLD_NAMES:
        raise CommunicationError("the world group %r cannot be destroyed" % name)
    comm = _GROUPS.pop(name, None)
    if comm is None:
        raise CommunicationError("no communication group named %r to destroy on rank %d"
                                 % (name, world().rank))
    comm.free()


def group_names() -> tuple:
    """The names of the groups :func:`add_group` made that still exist."""
    return tuple(_GROUPS)



_RANK_VARIABLES = ("PMI_RANK", "OMPI_COMM_WORLD_RANK", "PMIX_RANK", "RANK_ID")


def job_rank() -> int:
    """This process's world rank without starting MPI: the world's when :func:`world` has
    run, else the launcher's environment (MPICH's ``PMI_RANK``, Open MPI's
    ``OMPI_COMM_WORLD_RANK``, PMIx's ``PMIX_RANK``, MindSpore's ``RANK_ID``), else 0."""
    if _WORLD is not None:
        return _WORLD.rank
    for name in _RANK_VARIABLES:
        value = os.environ.get(name)
        if value is not None and value.strip().isdigit():
            return int(value)
    return 0



# ---------------------------------------------------------------------------------------
# faults: an uncaught exception on one rank ends the whole job
# ---------------------------------------------------------------------------------------

_PREVIOUS_HOOK: list = [None]
_FORWARD_PAUSE = 0.5  # seconds between printing a rank's traceback and MPI_Abort


def _fault_hook(etype, value, tb) -> None:
    """``sys.excepthook`` of a job: on several ranks, print the traceback with each line
    prefixed ``[rank N]`` and end every rank (MPI_Abort); on one process, Python's own."""
    comm = world()
    if comm.size <= 1:
        (_PREVIOUS_HOOK[0] or sys.__excepthook__)(etype, value, tb)
        return
    text = "".join(traceback.format_exception(etype, value, tb))
    prefix = "[rank %d] " % comm.rank
    try:
        sys.stdout.flush()
        sys.stderr.write("".join(prefix + line + "\n" for line in text.splitlines()))
        sys.stderr.write("%sending the job on every rank (MPI_Abort)\n" % prefix)
        sys.stderr.flush()
        # give the launcher time to forward these lines: on MPI_Abort it kills the ranks and
        # may drop output it has not read yet
        time.sleep(_FORWARD_PAUSE)
    finally:
        comm.abort(1)


def install_fault_handler() -> None:
    """Make an uncaught exception on this rank print its traceback (``[rank N]`` before each
    line) and end every rank of the job (MPI_Abort), so that no rank waits for a dead peer.
    ``communication.init()`` installs it, and so does :func:`world` on a job of several
    processes; installing twice does nothing."""
    if sys.excepthook is not _fault_hook:
        _PREVIOUS_HOOK[0] = sys.excepthook
        sys.excepthook = _fault_hook


def remove_fault_handler() -> None:
    """Put back the ``sys.excepthook`` that :func:`install_fault_handler` replaced."""
    if sys.excepthook is _fault_hook:
        sys.excepthook = _PREVIOUS_HOOK[0] or sys.__excepthook__
