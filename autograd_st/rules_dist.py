"""Primitives that talk to the other processes of a data-parallel job, for layers that need
the whole global batch (``nn.SyncBatchNorm``).

Takes: :mod:`autograd_st.mpi_backend` (the world group; a group of one without MPI) and the
rule registry.  Gives: the primitive ``world_sum`` (``x`` summed over every process, each
gets the sum) with its rules: the gradient of an all-reduce sum is an all-reduce sum of the
output's gradient (each rank's loss depends on the sum every rank receives), and so is its
tangent.  Every rank must call it the same number of times in the same order.
"""
from __future__ import annotations

import numpy as np

from . import mpi_backend
from .rules import jvp, primitive, vjp

__all__ = ["world_sum", "world_sum_kernel"]


def world_sum_kernel(x):
    """``x`` summed over the processes of the job (numpy in, numpy out, ``x``'s shape: the
    backend's all-reduce gives a 0-d array back with shape (1,))."""
    x = np.asarray(x)
    return mpi_backend.world().allreduce(x, "sum").reshape(x.shape)


@primitive(name="world_sum")
def world_sum(x):
    return world_sum_kernel(x)


@vjp(world_sum)
def _(dout, out, x):
    return (world_sum_kernel(dout),)


@jvp(world_sum)
def _(out, x, dx):
    return (world_sum_kernel(dx),)
