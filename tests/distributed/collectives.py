"""Run under ``mpiexec -n 2``: each collective's value and gradient on every rank.

For each case, a rank's loss ``l_r`` is a function of its own input through one collective;
the gradient that ``ops.grad`` gives rank r is checked against central finite differences of
the job's loss ``L = sum_r l_r`` (every rank moves rank s's element i, all ranks' losses are
summed), and the forward value against numpy on every rank's input.  The tangent of
``ops.jvp`` is checked against finite differences of ``l_r`` along every rank's direction.
Each case runs as a plain function (the collective called on Tensors) and inside a compiled
``Cell.construct``.  Results go to ``<out>/rank<r>.npz`` for the test to compare.
"""
import sys

import numpy as np

from autograd_st import Tensor, nn, ops
from autograd_st.communication import comm_func, create_group, get_group_size, get_rank, init
from autograd_st.mpi_backend import world

init()
RANK, SIZE = get_rank(), get_group_size()
assert SIZE == 2, SIZE
if RANK in (0, 1):
    create_group("rev", [1, 0])  # group rank 0 is world rank 1
WORLD = world()
EPS = 1e-6


def all_inputs(x):
    return WORLD.allgather(x[None])  # (size,) + x.shape, rank order


def rank_rng(tag):
    return np.random.default_rng(1000 * RANK + tag)


class Wrap(nn.Cell):
    """``construct`` calls the collective (an ops class instance held by the Cell)."""

    def __init__(self, prim, w, tuple_in=False):
        super().__init__()
        self.prim = prim
        self.w = Tensor(w)
        self.tuple_in = tuple_in

    def construct(self, x):
        if self.tuple_in:
            y = self.prim((x,))[0]  # MindSpore's Broadcast: a tuple in, a tuple out
        else:
            y = self.prim(x)
        return ops.sum(self.w * y * y)


def cases():
    """(name, input shape, loss function of a Tensor, compiled Cell or None, expected y)."""
    out = []

    def add(name, shape, make, expect, cell=None):
        out.append((name, shape, make, expect, cell))

    # all-reduce: sum, max, min, prod
    for op, red in (("sum", np.sum), ("max", np.max), ("min", np.min), ("prod", np.prod),
                    ("avg", np.mean)):
        prim = ops.AllReduce(op)
        add("all_reduce_" + op, (2, 3), prim, lambda xs, red=red: red(xs, axis=0),
            Wrap(ops.AllReduce(op), np.zeros(1)))
    add("all_gather", (2, 3), ops.AllGather(),
        lambda xs: xs.reshape((-1, 3)), Wrap(ops.AllGather(), np.zeros(1)))
    add("reduce_scatter", (4, 3), ops.ReduceScatter(),
        lambda xs: np.sum(xs, axis=0)[2 * RANK:2 * RANK + 2],
        Wrap(ops.ReduceScatter(), np.zeros(1)))
    add("broadcast_root1", (3,), lambda x: ops.Broadcast(1)((x,))[0],
        lambda xs: xs[1], Wrap(ops.Broadcast(1), np.zeros(1), tuple_in=True))
    add("comm_func_all_reduce", (3,), lambda x: comm_func.all_reduce(x)[0],
        lambda xs: xs.sum(0))
    add("comm_func_reduce_dst0", (3,), lambda x: comm_func.reduce(x, 0),
        lambda xs: xs.sum(0) if RANK == 0 else np.zeros(3))
    add("comm_func_broadcast_src1", (3,), lambda x: comm_func.broadcast(x, 1),
        lambda xs: xs[1])
    # a group created with its ranks reversed: all-gather in group-rank order
    add("all_gather_rev_group", (2,), ops.AllGather(group="rev"),
        lambda xs: xs[::-1].reshape(-1), Wrap(ops.AllGather(group="rev"), np.zeros(1)))
    add("broadcast_rev_root0", (2,), ops.Broadcast(0, group="rev"),
        lambda xs: xs[1], Wrap(ops.Broadcast(0, group="rev"), np.zeros(1)))
    return out


def job_loss(fn, x):
    return float(WORLD.allreduce(np.array(float(fn(x))), "sum"))


def fd_grad(fn, x):
    """d(sum_r l_r)/dx on this rank, rank by rank and element by element (every rank runs
    every evaluation, so the collectives match)."""
    g = np.zeros_like(x)
    for s in range(SIZE):
        for i in range(x.size):
            xp, xm = x.copy(), x.copy()
            if s == RANK:
                xp.flat[i] += EPS
                xm.flat[i] -= EPS
            d = (job_loss(fn, xp) - job_loss(fn, xm)) / (2 * EPS)
            if s == RANK:
                g.flat[i] = d
    return g


def main(out_dir):
    results = {}
    for k, (name, shape, prim, expect, cell) in enumerate(cases()):
        rng = rank_rng(k)
        x = rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
        y_eager = prim(Tensor(x))
        if isinstance(y_eager, tuple):
            y_eager = y_eager[0]
        y_eager = y_eager.asnumpy()
        w = rng.uniform(0.5, 1.5, y_eager.shape)
        wt = Tensor(w)

        def loss(t, prim=prim, wt=wt):
            y = prim(t)
            return ops.sum(wt * y * y)

        def loss_np(a, loss=loss):
            return loss(Tensor(a)).asnumpy()

        results[name + "/value"] = y_eager
        results[name + "/value_expected"] = np.asarray(expect(all_inputs(x)))
        results[name + "/grad"] = ops.grad(loss)(Tensor(x)).asnumpy()
        results[name + "/grad_fd"] = fd_grad(loss_np, x)
        if cell is not None:
            cell.w = Tensor(w)
            results[name + "/cell_grad"] = ops.grad(cell)(Tensor(x)).asnumpy()
        # forward mode: every rank moves along its own direction v
        v = rank_rng(100 + k).standard_normal(shape)
        _, tangent = ops.jvp(loss, (Tensor(x),), (Tensor(v),))
        results[name + "/jvp"] = np.asarray(tangent.asnumpy())
        results[name + "/jvp_fd"] = np.asarray(
            (loss_np(x + EPS * v) - loss_np(x - EPS * v)) / (2 * EPS))
    np.savez("%s/rank%d.npz" % (out_dir, RANK), **results)
    print("[rank %d] %d collective cases done" % (RANK, len(cases())), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
