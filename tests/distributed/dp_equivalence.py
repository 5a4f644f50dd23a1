"""Run under ``mpiexec -n 2``: data-parallel training on half batches equals one process on
the full batch.  Each rank trains (20 steps, gradients_mean=True, its shard of the rows by
``num_shards``/``shard_id``); rank 0 then trains the same model alone on the full batches
and prints one JSON line: per case, the largest parameter difference and scale.

Cases: SGD (momentum) through TrainOneStepCell; Adam through Model.train; a SyncBatchNorm
model (SGD); rows = 19 full global batches of 8 + a final global batch of 2 (1 per rank).
"padded": 155 rows, which do not split evenly: the second shard wraps around to row 0
(MindSpore's padding), so the last global batch is rows 152, 153, 154 and 0 again; it is
compared with one process on the 155 rows followed by row 0.
"""
import json
import sys

import numpy as np

import autograd_st as ms
import autograd_st.dataset as ds
from autograd_st import mpi_backend, nn
from autograd_st.train import Model

ROWS, GLOBAL_BATCH = 19 * 8 + 2, 8


def data(rows=ROWS):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((rows, 6)).astype(np.float32)
    y = (x @ rng.standard_normal((6, 3)) + 0.1).astype(np.float32)
    return x, y


class MLP(nn.Cell):
    def __init__(self, bn=False):
        super().__init__()
        self.a = nn.Dense(6, 16)
        self.bn = nn.SyncBatchNorm(16) if bn else None
        self.b = nn.Dense(16, 3)

    def construct(self, x):
        h = self.a(x)
        if self.bn is not None:
            h = self.bn(h)
        return self.b(ms.ops.tanh(h))


def dataset(shard, padded=False):
    x, y = data(155 if padded else ROWS)
    if padded and shard is None:  # what the two shards read together
        x, y = np.concatenate([x, x[:1]]), np.concatenate([y, y[:1]])
    if shard is None:
        return ds.NumpySlicesDataset((x, y), ["x", "y"], shuffle=False).batch(GLOBAL_BATCH)
    size, rank = shard
    return ds.NumpySlicesDataset((x, y), ["x", "y"], shuffle=False, num_shards=size,
                                 shard_id=rank).batch(GLOBAL_BATCH // size)


def train(case, shard):
    ms.set_seed(11)
    net = MLP(bn=case == "syncbn")
    net.set_train(True)
    if case == "adam":
        model = Model(net, nn.MSELoss(), nn.Adam(net.trainable_params(), 1e-2))
        model.train(1, dataset(shard))
    else:
        opt = nn.SGD(net.trainable_params(), 0.05, momentum=0.9)
        step = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), opt)
        for x, y in dataset(shard, case == "padded").create_tuple_iterator():
            step(x, y)
    out = {p.name: p.asnumpy().copy() for p in net.trainable_params()}
    if case == "syncbn":
        out["moving_mean"] = net.bn.moving_mean.asnumpy().copy()
        out["moving_variance"] = net.bn.moving_variance.asnumpy().copy()
    return out


def main():
    comm = mpi_backend.world()
    result = {"size": comm.size}
    for case in ("sgd", "adam", "syncbn", "padded"):
        ms.set_auto_parallel_context(parallel_mode=ms.ParallelMode.DATA_PARALLEL,
                                     gradients_mean=True)
        parallel = train(case, (comm.size, comm.rank))
        ms.reset_auto_parallel_context()
        gathered = comm.allgather(np.concatenate([v.ravel() for v in parallel.values()])[None])
        same_on_ranks = bool(np.array_equal(gathered[0], gathered[-1]))
        if comm.rank == 0:
            single = train(case, None)
            diff = max(float(np.max(np.abs(parallel[k] - single[k]))) for k in single)
            scale = max(float(np.max(np.abs(single[k]))) for k in single)
            result[case] = {"max_diff": diff, "scale": scale, "ranks_agree": same_on_ranks}
    # without the reduction (stand-alone on each shard) the ranks end elsewhere: the test
    # above can fail
    alone = train("sgd", (comm.size, comm.rank))
    gathered = comm.allgather(np.concatenate([v.ravel() for v in alone.values()])[None])
    result["unreduced_rank_diff"] = float(np.max(np.abs(gathered[0] - gathered[-1])))
    if comm.rank == 0:
        print("RESULT " + json.dumps(result))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
