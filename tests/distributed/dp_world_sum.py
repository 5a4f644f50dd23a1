"""Run under ``mpiexec -n 2``: the gradient of ``world_sum`` (SyncBatchNorm's all-reduce)
against central finite differences of the job's total loss.  Rank r holds ``x_r`` and the
loss ``L_r = sum(sin(world_sum(x_r)) * c_r)``; the total is ``sum_r L_r``; rank r's gradient
(``ops.grad``) must be d(total)/d(x_r).  Prints (rank 0) the largest error over ranks."""
import json

import numpy as np

import autograd_st as ms
from autograd_st import mpi_backend, nn, ops


def main():
    comm = mpi_backend.world()
    rng = np.random.default_rng(comm.rank + 1)
    x = rng.standard_normal(4)
    c = rng.standard_normal(4)

    def loss(x):
        return ops.sum(ops.sin(nn.distributed.world_sum(x)) * ms.Tensor(c))

    grad = ops.grad(loss)(ms.Tensor(x)).asnumpy()

    def total(x_local):
        return float(comm.allreduce(np.asarray(loss(ms.Tensor(x_local)).asnumpy())))

    h, worst = 1e-6, 0.0
    for p in range(comm.size):
        for i in range(4):
            e = np.zeros(4)
            if comm.rank == p:
                e[i] = h
            fd = (total(x + e) - total(x - e)) / (2 * h)
            if comm.rank == p:
                worst = max(worst, abs(fd - grad[i]))
    worst = float(comm.allreduce(np.asarray([worst]), "max")[0])
    if comm.rank == 0:
        print("RESULT " + json.dumps({"max_error": worst, "grad_norm": float(np.abs(grad).max())}))


if __name__ == "__main__":
    main()
