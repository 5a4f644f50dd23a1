"""MindSpore's ``mindspore.communication`` management API over :mod:`autograd_st.mpi_backend`.

Takes: :func:`~autograd_st.mpi_backend.world` and the group registry there.  Gives:
``init``, ``release``, ``GlobalComm``, ``get_rank``, ``get_group_size``, ``get_local_rank``,
``get_local_rank_size``, ``create_group``, ``destroy_group``,
``get_group_rank_from_world_rank``, ``get_world_rank_from_group_rank``,
``get_process_group_ranks``, the world-group names, and :func:`is_main`.

Measured in MindSpore 2.10 (CPU, no launcher) and kept: before ``init()``, ``get_rank``,
``get_group_size``, ``get_local_rank`` and ``get_local_rank_size`` return the environment's
``RANK_ID``, ``RANK_SIZE``, ``LOCAL_RANK``, ``LOCAL_RANK_SIZE`` (or 0, 1, 0, 1); every other
call raises ``RuntimeError("Distributed Communication has not been inited. ...")`` (here a
:class:`~autograd_st.errors.CommunicationError`, which is a RuntimeError); a ``group`` that
is not a string is a TypeError.  What differs: ``init()`` without a launcher makes a group
of one (rank 0, size 1) where MindSpore raises, so the same script runs on one process; every
``backend_name`` (``"hccl"``, ``"nccl"``, ``"mccl"``, ``"mpi"``) means MPI, and afterwards
``GlobalComm.BACKEND`` is ``"mpi"`` and ``GlobalComm.WORLD_COMM_GROUP`` is
``"mccl_world_group"`` (MindSpore's CPU name; the Ascend and GPU names mean the world too).
``init()`` also installs the fault handler (:func:`autograd_st.mpi_backend.install_fault_handler`,
which the first collective of a job of several processes installs too): an uncaught exception
on any rank prints that rank's traceback, each line prefixed ``[rank N]``, and ends every rank
of the job (``MPI_Abort``), so a failure never leaves the other ranks waiting.
"""
from __future__ import annotations

import os

from .. import mpi_backend
from ..errors import CommunicationError

__all__ = ["GlobalComm", "HCCL_WORLD_COMM_GROUP", "NCCL_WORLD_COMM_GROUP",
           "MCCL_WORLD_COMM_GROUP", "init", "release", "get_rank", "get_group_size",
           "get_local_rank", "get_local_rank_size", "create_group", "destroy_group",
           "get_group_rank_from_world_rank", "get_world_rank_from_group_rank",
           "get_process_group_ranks", "is_main"]

HCCL_WORLD_COMM_GROUP, NCCL_WORLD_COMM_GROUP, MCCL_WORLD_COMM_GROUP = mpi_backend.WORLD_NAMES
_BACKENDS = (None, "hccl", "nccl", "mccl", "mpi")


class GlobalComm:
    """MindSpore's ``GlobalComm``: ``BACKEND``, ``WORLD_COMM_GROUP``, ``INITED`` (the values
    MindSpore starts with until :func:`init`)."""

    BACKEND = "hccl"
    WORLD_COMM_GROUP = HCCL_WORLD_COMM_GROUP
    INITED = False
    CHECK_ENVS = True


_NOT_INITED = ("Distributed Communication has not been inited.You can't invoke this interface "
               "yet. Please call `init()` method first.")


def _check_inited() -> None:
    if not GlobalComm.INITED:
        raise CommunicationError(_NOT_INITED)


def _check_group(name: str, group) -> None:
    if not isinstance(group, str):
        raise TypeError("For '%s', the argument 'group' must be type of string, but got "
                        "'group' type : %s." % (name, type(group)))


def init(backend_name=None) -> None:
    """MindSpore's ``communication.init(backend_name=None)``: join the job's processes.

    Under ``mpiexec`` (or ``python -m autograd_st.launch``) this is MPI's world; without a
    launcher, or without the ``distributed`` extra (``mpi4py``), a group of one (rank 0,
    size 1) where MindSpore raises.  Any ``backend_name`` MindSpore takes (``"hccl"``,
    ``"nccl"``, ``"mccl"``) and ``"mpi"`` mean MPI; another string is a RuntimeError, a
    non-string a TypeError (MindSpore's).  Calling it again does nothing.  Installs the
    fault handler (see the module's docstring) and computes the local ranks (a collective:
    every rank calls ``init``)."""
    if backend_name is not None and not isinstance(backend_name, str):
        raise TypeError("For 'init', the argument 'backend_name' must be a string, but got "
                        "the type : {}".format(type(backend_name)))
    if backend_name not in _BACKENDS:
        raise CommunicationError("For 'init', the argument 'backend_name' must be one of "
                                 "'hccl', 'nccl', 'mccl' and 'mpi' (all of them MPI here), "
                                 "but got 'backend_name' : {}".format(backend_name))
    if GlobalComm.INITED:
        return
    comm = mpi_backend.world()
    comm.local()
    GlobalComm.BACKEND = "mpi"
    GlobalComm.WORLD_COMM_GROUP = MCCL_WORLD_COMM_GROUP
    GlobalComm.INITED = True
    mpi_backend.install_fault_handler()


def release() -> None:
    """MindSpore's ``communication.release()``: free the groups :func:`create_group` made,
    take the fault handler away and mark the API uninitialized (MPI itself ends with the
    process).  Like MindSpore's, it may be called before :func:`init`."""
    for name in mpi_backend.group_names():
        mpi_backend.remove_group(name)
    mpi_backend.remove_fault_handler()
    GlobalComm.INITED = False
    GlobalComm.BACKEND = "hccl"
    GlobalComm.WORLD_COMM_GROUP = HCCL_WORLD_COMM_GROUP


def _env_int(name: str, default: int) -> int:
    return int(os.getenv(name, str(default)))


def get_rank(group=GlobalComm.WORLD_COMM_GROUP) -> int:
    """MindSpore's ``get_rank(group)``: this process's rank in ``group`` (before
    :func:`init`: ``RANK_ID`` from the environment, or 0)."""
    _check_group("get_rank", group)
    if not GlobalComm.INITED:
        return _env_int("RANK_ID", 0)
    return mpi_backend.group(group).rank


def get_group_size(group=GlobalComm.WORLD_COMM_GROUP) -> int:
    """MindSpore's ``get_group_size(group)``: the number of ranks in ``group`` (before
    :func:`init`: ``RANK_SIZE`` from the environment, or 1)."""
    _check_group("get_group_size", group)
    if not GlobalComm.INITED:
        return _env_int("RANK_SIZE", 1)
    return mpi_backend.group(group).size


def get_local_rank(group=GlobalComm.WORLD_COMM_GROUP) -> int:
    """MindSpore's ``get_local_rank(group)``: this process's rank among the group's
    processes on the same machine (before :func:`init`: ``LOCAL_RANK``, or 0)."""
    _check_group("get_local_rank", group)
    if not GlobalComm.INITED:
        return _env_int("LOCAL_RANK", 0)
    return mpi_backend.group(group).local()[0]


def get_local_rank_size(group=GlobalComm.WORLD_COMM_GROUP) -> int:
    """MindSpore's ``get_local_rank_size(group)``: how many of the group's processes run on
    this machine (before :func:`init`: ``LOCAL_RANK_SIZE``, or 1)."""
    _check_group("get_local_rank_size", group)
    if not GlobalComm.INITED:
        return _env_int("LOCAL_RANK_SIZE", 1)
    return mpi_backend.group(group).local()[1]


def create_group(group, rank_ids, options=None) -> None:
    """MindSpore's ``create_group(group, rank_ids, options=None)``: make the group named
    ``group`` of the world ranks ``rank_ids`` (their order gives the group ranks).  Every
    rank in ``rank_ids`` calls it, and no other (a rank outside it gets a
    CommunicationError); ``options`` is accepted and ignored.  Also computes the group's
    local ranks (a collective over the group)."""
    _check_inited()
    _check_group("create_group", group)
    if not isinstance(rank_ids, (list, tuple)) or not rank_ids \
            or not all(isinstance(r, int) and not isinstance(r, bool) for r in rank_ids):
        raise TypeError("For 'create_group', the argument 'rank_ids' must be a non-empty list "
                        "of ints, but got %r" % (rank_ids,))
    size = mpi_backend.world().size
    if len(set(rank_ids)) != len(rank_ids) or not all(0 <= r < size for r in rank_ids):
        raise CommunicationError("For 'create_group', 'rank_ids' %r must be distinct world "
                                 "ranks in [0, %d)" % (list(rank_ids), size))
    mpi_backend.add_group(group, rank_ids).local()


def destroy_group(group) -> None:
    """MindSpore's ``destroy_group(group)``: free a group :func:`create_group` made (the
    world group cannot be destroyed)."""
    _check_inited()
    _check_group("destroy_group", group)
    mpi_backend.remove_group(group)


def get_group_rank_from_world_rank(world_rank_id, group) -> int:
    """MindSpore's ``get_group_rank_from_world_rank(world_rank_id, group)``: the rank in
    ``group`` of the process whose world rank is ``world_rank_id``."""
    _check_inited()
    _check_group("get_group_rank_from_world_rank", group)
    ranks = mpi_backend.group(group).ranks
    if world_rank_id not in ranks:
        raise CommunicationError("For 'get_group_rank_from_world_rank', world rank %r is not "
                                 "in group %r (its world ranks: %s)"
                                 % (world_rank_id, group, list(ranks)))
    return ranks.index(world_rank_id)


def get_world_rank_from_group_rank(group, group_rank_id) -> int:
    """MindSpore's ``get_world_rank_from_group_rank(group, group_rank_id)``: the world rank
    of the process whose rank in ``group`` is ``group_rank_id``."""
    _check_inited()
    _check_group("get_world_rank_from_group_rank", group)
    ranks = mpi_backend.group(group).ranks
    if not isinstance(group_rank_id, int) or not 0 <= group_rank_id < len(ranks):
        raise CommunicationError("For 'get_world_rank_from_group_rank', group rank %r is not "
                                 "in [0, %d) for group %r" % (group_rank_id, len(ranks), group))
    return ranks[group_rank_id]


def get_process_group_ranks(group=GlobalComm.WORLD_COMM_GROUP) -> list:
    """MindSpore's ``get_process_group_ranks(group)``: the world ranks of ``group``'s
    processes, in group-rank order."""
    _check_inited()
    _check_group("get_process_group_ranks", group)
    return list(mpi_backend.group(group).ranks)


def is_main() -> bool:
    """Whether this process is rank 0 of the job, the one that prints progress and writes
    checkpoints (not a MindSpore name).  Before :func:`init` it reads the launcher's
    environment (``PMI_RANK``, ``OMPI_COMM_WORLD_RANK``, ``PMIX_RANK``, ``RANK_ID``) and so
    never starts MPI; a process started without a launcher is rank 0."""
    return mpi_backend.job_rank() == 0
