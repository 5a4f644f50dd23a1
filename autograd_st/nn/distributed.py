"""Data-parallel gradients: ``nn.DistributedGradReducer`` and ``nn.SyncBatchNorm``,
MindSpore's, over MPI.

Takes: :func:`autograd_st.mpi_backend.world` (every process of the job; a group of one
without MPI), the parallel context (``gradients_mean``) and :mod:`autograd_st.runtime`'s
``grad_ready`` hook.  Gives: :class:`DistributedGradReducer`.

Buckets.  The parameters are laid out, in reverse order (the order a backward finishes their
gradients: the last layer first), into buckets of at most ``bucket_bytes`` bytes each (one
parameter larger than that is a bucket alone; a bucket holds one dtype).  A bucket is one
flat buffer: its gradients are copied in, ONE non-blocking all-reduce (``Iallreduce``) sums
it over the group, and the gradients handed back are views of the result, divided by
``degree`` when ``mean``.  This is MindSpore's ``fusion_type`` idea (fused all-reduces)
sized by bytes, as PyTorch's DDP buckets are.

Overlap.  ``TrainOneStepCell`` (and so ``Model.train``) under ``DATA_PARALLEL`` compiles its
gradient with ready hooks (``GradRequest.ready_hook``): the generated backward calls
``grad_ready(param, g)`` for each contribution a rule makes to a Parameter's gradient, where
it makes it.  Between :meth:`begin` and :meth:`end` the reducer adds each one into its
bucket's buffer and starts the bucket's all-reduce when every gradient in it is complete; it
waits only in :meth:`end`, before the optimizer step.  How many contributions complete a
gradient is learnt on the first step, which reduces after the backward (no overlap) and
checks the sums it collected against the returned gradients: a Parameter whose gradient it
could not follow (a Cell with its own ``bprop``, say) is reduced at the end on every step.
The count must then be the same on every step (as in MindSpore's graph mode); a step that
makes more raises ``RuntimeError``.
"""
from __future__ import annotations

import os
import time

import numpy as np

from .. import mpi_backend, ops, parallel_context, runtime
from ..cell import Cell
from ..ops.nn_func import assign, depend
from ..prims import P
from ..tensor import unwrap, wrap
from .layers import _BatchNorm

__all__ = ["DistributedGradReducer", "SyncBatchNorm"]

_clock = time.perf_counter

_WORLD_GROUPS = ("hccl_world_group", "nccl_world_group", "mccl_world_group", "world")


def world_sum(x):
    """``x`` summed over the processes of the job (the collective ``all_reduce``, whose
    gradient is an all-reduce too; ``autograd_st.rules_comm``)."""
    return P.all_reduce(x)


def _bucket_bytes() -> int:
    try:
        return int(os.environ.get("AUTOGRAD_ST_BUCKET_BYTES", 1 << 18))
    except ValueError:
        return 1 << 18


class _Bucket:
    __slots__ = ("index", "members", "offsets", "size", "dtype", "buf", "request", "waiting",
                 "late")

    def __init__(self, index, dtype) -> None:
        self.index = index
        self.members: list = []  # parameter indices, in the order they were laid out
        self.offsets: list = []
        self.size = 0
        self.dtype = dtype
        self.buf = None
        self.request = None
        self.waiting = 0  # gradients not yet complete in this step
        self.late = False  # holds a gradient the hooks cannot follow: reduced in end()


class DistributedGradReducer(Cell):
    """MindSpore's ``nn.DistributedGradReducer(parameters, mean=None, degree=None,
    fusion_type=1, group=GlobalComm.WORLD_COMM_GROUP)``: ``reducer(grads)`` all-reduces a
    tuple of gradients (one per Parameter of ``parameters``, in that order) over the group,
    fused into buckets (see the module docstring), and returns them summed, or averaged over
    ``degree`` when ``mean``.

    ``mean``: None reads ``gradients_mean`` from ``set_auto_parallel_context`` (as
    MindSpore does); ``degree``: None is the group size.  ``fusion_type`` is accepted (every
    bucket is fused here); ``group``: the world group (its MindSpore names), the only one.
    ``bucket_bytes`` (keyword, not MindSpore's): a bucket's size (default 256 KiB, or
    ``AUTOGRAD_ST_BUCKET_BYTES``).  In a group of one it returns the gradients (divided by
    ``degree`` when ``mean`` and degree > 1).
    """

    def __init__(self, parameters, mean=None, degree=None, fusion_type=1,
                 group="hccl_world_group", *, bucket_bytes=None) -> None:
        super().__init__(auto_prefix=False)
        if group not in _WORLD_GROUPS:
            raise NotImplementedError(
                "DistributedGradReducer: group %r: only the world group (%s) is supported by "
                "autograd_st; leave group at its default" % (group, _WORLD_GROUPS[0]))
        if mean is None:
            mean = parallel_context.gradients_mean()
        if not isinstance(mean, bool):
            raise TypeError("For 'DistributedGradReducer', the 'mean' must be bool, but got %s"
                            % type(mean).__name__)
        comm = mpi_backend.world()
        if degree is None:
            degree = comm.size
        if isinstance(degree, bool) or not isinstance(degree, int) or degree < 1:
            raise ValueError("For 'DistributedGradReducer', the 'degree' must be a positive "
                             "int, but got %r" % (degree,))
        object.__setattr__(self, "_grad_params", tuple(parameters))
        object.__setattr__(self, "_comm", comm)
        self.mean, self.degree, self.fusion_type = mean, degree, fusion_type
        self.bucket_bytes = _bucket_bytes() if bucket_bytes is None else int(bucket_bytes)
        self._layout()
        self._expected = None  # contributions per parameter, learnt on the first step
        self._counts = None
        self._ids: dict = {}
        self._order: list = []  # bucket indices in the order their all-reduce started
        self.allreduce_seconds = 0.0  # time spent waiting in end() / construct (measured)

    # -- layout ------------------------------------------------------------------------------
    def _layout(self) -> None:
        buckets: list = []
        open_by_dtype: dict = {}
        where = [None] * len(self._grad_params)
        for k in reversed(range(len(self._grad_params))):
            arr = unwrap(self._grad_params[k])
            dtype = np.dtype(arr.dtype)
            b = open_by_dtype.get(dtype)
            nbytes = arr.size * dtype.itemsize
            if b is None or (b.size and (b.size * dtype.itemsize + nbytes > self.bucket_bytes)):
                b = _Bucket(len(buckets), dtype)
                buckets.append(b)
                open_by_dtype[dtype] = b
            where[k] = (b.index, b.size)
            b.members.append(k)
            b.offsets.append(b.size)
            b.size += arr.size
        object.__setattr__(self, "_buckets", buckets)
        object.__setattr__(self, "_slot", where)

    @property
    def bucket_sizes(self) -> list:
        """The number of elements in each bucket, in the order they are laid out."""
        return [b.size for b in self._buckets]

    @property
    def bucket_members(self) -> list:
        """The parameter names in each bucket."""
        return [[self._grad_params[k].name for k in b.members] for b in self._buckets]

    # -- the plain path: reducer(grads) ------------------------------------------------------
    def construct(self, grads) -> tuple:
        grads = tuple(grads)
        if len(grads) != len(self._grad_params):
            raise ValueError("DistributedGradReducer: %d gradients for %d parameters; pass one "
                             "gradient per parameter, in the order of `parameters`"
                             % (len(grads), len(self._grad_params)))
        arrays = [unwrap(g) for g in grads]
        for b in self._buckets:
            self._fill(b, arrays, b.members)
            self._start(b)
        return self._collect()

    def _fill(self, b, arrays, members) -> None:
        if b.buf is None:
            b.buf = np.empty(b.size, b.dtype)
        for k in members:
            off = self._slot[k][1]
            a = np.asarray(arrays[k])
            b.buf[off:off + a.size] = a.reshape(-1)

    def _start(self, b) -> None:
        b.request = self._comm.iallreduce(b.buf, "sum", out=np.empty_like(b.buf))
        self._order.append(b.index)

    def _collect(self) -> tuple:
        out = [None] * len(self._grad_params)
        t0 = _clock()
        results = [b.request.wait() for b in self._buckets]
        self.allreduce_seconds += _clock() - t0
        scale = self.mean and self.degree != 1
        for b, res in zip(self._buckets, results):
            b.request = None
            if scale:
                res /= np.asarray(self.degree, res.dtype)
            for k, off in zip(b.members, b.offsets):
                shape = unwrap(self._grad_params[k]).shape
                n = int(np.prod(shape, dtype=np.int64))
                out[k] = wrap(res[off:off + n].reshape(shape))  # (a view: no copy)
        return tuple(out)

    # -- overlap: begin(); the backward calls grad_ready; end(grads) --------------------------
    def begin(self) -> None:
        """Before the backward of a gradient compiled with ready hooks: collect its
        contributions from here on (see the module docstring)."""
        self._ids = {id(unwrap(p)): k for k, p in enumerate(self._grad_params)}
        self._counts = [0] * len(self._grad_params)
        self._order = []
        for b in self._buckets:
            b.buf = np.empty(b.size, b.dtype)
            b.request = None
            if self._expected is not None:
                b.waiting = sum(1 for k in b.members if self._expected[k] > 0)
        runtime.GRAD_READY_HOOK[0] = self._ready

    def _ready(self, param, g) -> None:
        k = self._ids.get(id(param))
        if k is None:
            return
        bi, off = self._slot[k]
        b = self._buckets[bi]
        a = np.asarray(g)
        shape = unwrap(self._grad_params[k]).shape
        if a.shape != shape:
            a = np.broadcast_to(a, shape)
        view = b.buf[off:off + a.size]
        count = self._counts[k]
        if count == 0:
            view[...] = a.reshape(-1)
        else:
            view += a.reshape(-1)
        self._counts[k] = count + 1
        expected = self._expected
        if expected is None:
            return
        if count + 1 > expected[k]:
            raise RuntimeError(
                "DistributedGradReducer: the gradient of %s got %d contributions this step but "
                "%d on the first: its all-reduce has started already. The step must run the "
                "same code every time (no data-dependent control flow around Parameters)"
                % (self._grad_params[k].name, count + 1, expected[k]))
        if count + 1 == expected[k]:
            b.waiting -= 1
            if b.waiting == 0 and not b.late:
                self._start(b)
        for i in self._order:  # drive the started all-reduces on (MPICH progresses a
            req = self._buckets[i].request  # non-blocking collective inside MPI calls)
            if req is not None:
                req.test()

    def abandon(self) -> None:
        """The backward between :meth:`begin` and :meth:`end` failed: stop collecting."""
        runtime.GRAD_READY_HOOK[0] = None

    def end(self, grads) -> tuple:
        """After the backward: start what has not started, wait for every bucket (before
        the optimizer step) and return the reduced gradients."""
        runtime.GRAD_READY_HOOK[0] = None
        arrays = [unwrap(g) for g in grads]
        if self._expected is None:  # the first step: learn, check, reduce everything now
            self._learn(arrays)
            for b in self._buckets:
                self._fill(b, arrays, b.members)
                self._start(b)
            return self._collect()
        for b in self._buckets:  # (not started: a late bucket, or a step that made fewer
            if b.request is None:  # contributions: the returned gradients are the truth)
                self._fill(b, arrays, b.members)
                self._start(b)
        return self._collect()

    def _learn(self, arrays) -> None:
        counts = self._counts
        good = np.zeros(len(self._grad_params), np.int32)
        for k, p in enumerate(self._grad_params):
            if counts[k] == 0:
                continue
            bi, off = self._slot[k]
            b = self._buckets[bi]
            final = np.asarray(arrays[k], b.dtype).reshape(-1)
            mine = b.buf[off:off + final.size]
            scale = float(np.max(np.abs(final))) if final.size else 0.0
            if np.allclose(mine, final, rtol=1e-5, atol=1e-6 * max(scale, 1e-30)):
                good[k] = 1
        # every rank must start the same all-reduces in the same order: agree on the minimum
        good = self._comm.allreduce(good, "min")
        self._expected = [counts[k] if good[k] else 0 for k in range(len(self._grad_params))]
        for b in self._buckets:
            b.late = any(self._expected[k] == 0 for k in b.members)

    @property
    def started_order(self) -> list:
        """The bucket indices in the order their all-reduce started in the last step."""
        return list(self._order)


class SyncBatchNorm(_BatchNorm):
    """MindSpore's ``nn.SyncBatchNorm(num_features, eps=1e-5, momentum=0.9, affine=True,
    gamma_init='ones', beta_init='zeros', moving_mean_init='zeros', moving_var_init='ones',
    use_batch_statistics=None, process_groups=None, dtype=float32)``: batch normalization
    whose training statistics are those of the GLOBAL batch (every process's rows), so that
    N processes on N slices equal one process on the whole batch.

    The mean is the all-reduced sum of the per-process means over the group size, the
    (biased) variance likewise from ``mean((x - mean)**2)``, both through ``world_sum`` (whose
    gradient is an all-reduce of the output's gradient): every process must hold the same
    number of rows (as ``num_shards`` batches do; a last batch of unequal sizes weighs the
    processes equally instead of by rows).  Input ``(N, C)`` or ``(N, C, H, W)`` (the rank is
    read at the first call).  ``process_groups``: None (the world) only.  Built outside
    ``DATA_PARALLEL`` (or in a group of one) it is ``BatchNorm``.  The moving variance uses ``n - 1`` with ``n`` the global row count.
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.9, affine=True, gamma_init="ones",
                 beta_init="zeros", moving_mean_init="zeros", moving_var_init="ones",
                 use_batch_statistics=None, process_groups=None, dtype=None) -> None:
        if process_groups is not None:
            raise NotImplementedError("SyncBatchNorm: process_groups: only None (the world "
                                      "group) is supported by autograd_st")
        super().__init__(num_features, eps, momentum, affine, gamma_init, beta_init,
                         moving_mean_init, moving_var_init, use_batch_statistics)
        # the processes it syncs over: the job's under DATA_PARALLEL, else itself alone
        self.group_size = mpi_backend.world().size if parallel_context.is_data_parallel() \
            else 1

    def construct(self, x):
        if self.use_batch_statistics is None:
            use_batch = self.training
        else:
            use_batch = self.use_batch_statistics
        shape = (1, -1, 1)  # x as (N, C, rest): one code for (N, C) and (N, C, H, W)
        x3 = ops.reshape(x, (x.shape[0], self.num_features, -1))
        gamma = ops.reshape(self.gamma, shape)
        beta = ops.reshape(self.beta, shape)
        if use_batch:
            g = self.group_size
            if g > 1:
                mu = world_sum(ops.mean(x3, (0, 2), True)) / g
                centered = x3 - mu
                sigma2 = world_sum(ops.mean(centered * centered, (0, 2), True)) / g
            else:
                mu = ops.mean(x3, (0, 2), True)
                centered = x3 - mu
                sigma2 = ops.mean(centered * centered, (0, 2), True)
            out = centered / ops.sqrt(sigma2 + self.eps) * gamma + beta
            n = x.size // self.num_features * g
            batch_mean = ops.stop_gradient(ops.reshape(mu, (-1,)))
            batch_var = ops.stop_gradient(ops.reshape(sigma2, (-1,))) * (n / max(n - 1, 1))
            new_mean = self.moving_mean * self.momentum + batch_mean * (1.0 - self.momentum)
            new_var = self.moving_variance * self.momentum + batch_var * (1.0 - self.momentum)
            out = depend(out, assign(self.moving_mean, new_mean))
            out = depend(out, assign(self.moving_variance, new_var))
        else:
            mu = ops.reshape(self.moving_mean, shape)
            sigma2 = ops.reshape(self.moving_variance, shape)
            out = (x3 - mu) / ops.sqrt(sigma2 + self.eps) * gamma + beta
        out = ops.reshape(out, x.shape)
        return out
