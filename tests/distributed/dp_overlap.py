"""Run under ``mpiexec -n 2``: the order of events in a data-parallel step.  A 4-layer MLP,
buckets of one layer each (AUTOGRAD_ST_BUCKET_BYTES); every all-reduce start and the end of
the backward are recorded.  Prints one JSON line (rank 0): the bucket layout and, per step,
the events."""
import json
import os

import numpy as np

os.environ["AUTOGRAD_ST_BUCKET_BYTES"] = str(40 * 40 * 4 + 40 * 4)  # one Dense(40, 40)

import autograd_st as ms  # noqa: E402
from autograd_st import mpi_backend, nn  # noqa: E402


def main():
    comm = mpi_backend.world()
    ms.set_seed(3)
    ms.set_auto_parallel_context(parallel_mode=ms.ParallelMode.DATA_PARALLEL,
                                 gradients_mean=True)
    net = nn.SequentialCell(nn.Dense(40, 40), nn.Tanh(), nn.Dense(40, 40), nn.Tanh(),
                            nn.Dense(40, 40), nn.Tanh(), nn.Dense(40, 40))
    step = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()),
                               nn.SGD(net.trainable_params(), 0.01))
    reducer = step.grad_reducer
    events = []
    start, end = reducer._start, reducer.end
    reducer._start = lambda b: (events.append(("start", b.index)), start(b))[1]
    reducer.end = lambda grads: (events.append(("backward_done",)), end(grads))[1]
    rng = np.random.default_rng(comm.rank)
    steps = []
    for _ in range(3):
        events.clear()
        x = ms.Tensor(rng.standard_normal((16, 40)).astype(np.float32))
        step(x, ms.Tensor(np.zeros((16, 40), np.float32)))
        steps.append(list(events))
    if comm.rank == 0:
        print("RESULT " + json.dumps({"members": reducer.bucket_members,
                                      "sizes": reducer.bucket_sizes, "steps": steps}))


if __name__ == "__main__":
    main()
