"""Primitives that talk to the other processes of a data-parallel job, for layers that need
the whole global batch (``nn.SyncBatchNorm``).

Takes: :mod:`autograd_st.mpi_backend` (the world group; a group of one without MPI) and the
rule registry.  Gives: the primitive ``world_sum`` (``x`` summed over every process, each
gets the sum) with its rules: the gradient of an all-reduce sum is an all-reduce sum of the
output's gradient (each rank's loss depends on the sum every rank receives), and so is its
tangent.  Every rank must call it the same number of times in the same order.
"""
from __future__ import annotations

import time

import numpy as np

from . import mpi_backend
from .rules import jvp, primitive, vjp

__all__ = ["world_sum", "world_sum_kernel", "finish"]

SPIN_SECONDS = 1.0
"""How long :func:`finish` polls a request without sleeping before it hands over to the
backend's ``wait`` (which sleeps between polls and has the collective timeout)."""


def finish(request):
    """The result of a non-blocking collective, polled without sleeping for up to
    :data:`SPIN_SECONDS` first.  MPICH moves a non-blocking collective on only inside MPI
    calls, so a wait that sleeps between polls stretches an all-reduce of 1 MB between two
    processes from 0.2 ms to about 12 ms (measured here); then ``request.wait()``."""
    deadline = time.perf_counter() + SPIN_SECONDS
    while not request.test() and time.perf_counter() < deadline:
        pass
    return request.wait()


def world_sum_kernel(x):
    """``x`` summed over the processes of the job (numpy in, numpy out, ``x``'s shape: the
    backend's all-reduce gives a 0-d array back with shape (1,))."""
    x = np.asarray(x)
    return finish(mpi_backend.world().iallreduce(x, "sum")).reshape(x.shape)


@primitive(name="world_sum")
def world_sum(x):
    return world_sum_kernel(x)


@vjp(world_sum)
def _(dout, out, x):
    return (world_sum_kernel(dout),)


@jvp(world_sum)
def _(out, x, dx):
    return (world_sum_kernel(dx),)
