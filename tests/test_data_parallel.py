"""Data-parallel training: the parallel context, ``nn.DistributedGradReducer`` (buckets,
overlap with the backward), ``nn.SyncBatchNorm``, ``TrainOneStepCell`` / ``Model`` under
``DATA_PARALLEL``.  The two-process tests run ``mpiexec -n 2`` on the scripts in
``tests/distributed/`` (skipped, saying why, without mpi4py or mpiexec); the rest run here, in
a group of one."""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import mpi_backend, nn

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


def _mpiexec():
    exe = shutil.which("mpiexec", path=os.path.dirname(sys.executable) + os.pathsep
                       + os.environ.get("PATH", ""))
    return exe


def _skip_reason():
    if not mpi_backend.mpi_available():
        return "mpi4py is not installed (pip install 'autograd_st[distributed]')"
    if _mpiexec() is None:
        return "no mpiexec on PATH (the distributed extra brings MPICH's)"
    return None


needs_mpi = pytest.mark.skipif(_skip_reason() is not None, reason=str(_skip_reason()))


def _run2(script: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), AUTOGRAD_ST_COLLECTIVE_TIMEOUT="30",
               OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    proc = subprocess.run([_mpiexec(), "-n", "2", sys.executable,
                           str(HERE / "distributed" / script)], env=env, cwd=str(ROOT),
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    assert len(lines) == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    return json.loads(lines[0][len("RESULT "):])


@pytest.fixture(autouse=True)
def _reset_context():
    ms.reset_auto_parallel_context()
    yield
    ms.reset_auto_parallel_context()


@needs_mpi
def test_two_processes_equal_one_on_the_full_batch():
    """20 steps (19 global batches of 8, then one of 2: a row per rank), gradients_mean:
    the parameters of both ranks equal those of one process on the full batches, to float32
    rounding, for SGD with momentum (TrainOneStepCell), Adam (Model.train) and a
    SyncBatchNorm model (its moving statistics included).  Rows that do not split evenly
    (155): the short shard wraps around to row 0 (MindSpore's padding), and the run equals one
    process on the 155 rows followed by row 0."""
    out = _run2("dp_equivalence.py")
    assert out["size"] == 2
    for case in ("sgd", "adam", "syncbn", "padded"):
        r = out[case]
        assert r["ranks_agree"], case
        assert r["max_diff"] <= 4e-6 * max(1.0, r["scale"]), (case, r)
    # and without the all-reduce the two ranks drift apart (the check above can fail)
    assert out["unreduced_rank_diff"] > 1e-2


@needs_mpi
def test_world_sum_gradient_against_finite_differences():
    """world_sum (SyncBatchNorm's all-reduce) in two processes: each rank's gradient is the
    derivative of the job's total loss (an all-reduce of the output's gradient)."""
    out = _run2("dp_world_sum.py")
    assert out["grad_norm"] > 0.1
    assert out["max_error"] < 1e-7


@needs_mpi
def test_parallel_digits_example_runs_on_two_processes():
    """examples/train_digits_parallel.py, 3 epochs: rank 0 alone prints, and learns."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), AUTOGRAD_ST_COLLECTIVE_TIMEOUT="30",
               OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    proc = subprocess.run([_mpiexec(), "-n", "2", sys.executable, "train_digits_parallel.py",
                           "3"], env=env, cwd=str(ROOT / "examples"), capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    lines = [ln for ln in proc.stdout.splitlines() if "held-out accuracy" in ln]
    assert len(lines) == 1 and "2 process(es)" in lines[0]
    assert proc.stdout.count("epoch: 3 step:") == 1  # one LossMonitor line, rank 0's
    assert float(lines[0].split()[-1]) > 0.8


@needs_mpi
def test_all_reduces_start_during_the_backward():
    """Buckets of one Dense layer each, laid out last layer first; from the second step on
    (the first learns how many contributions complete each gradient) every bucket's
    all-reduce starts before the backward returns, in the order the backward finishes
    them."""
    out = _run2("dp_overlap.py")
    assert out["members"] == [["6.bias", "6.weight"], ["4.bias", "4.weight"],
                              ["2.bias", "2.weight"], ["0.bias", "0.weight"]]
    assert out["sizes"] == [40 * 40 + 40] * 4
    first, *later = out["steps"]
    assert first[0] == ["backward_done"]
    for events in later:
        assert events == [["start", 0], ["start", 1], ["start", 2], ["start", 3],
                          ["backward_done"]]


def test_parallel_context_follows_mindspore():
    """Defaults, errors and reset as MindSpore 2.10 gave them (measured)."""
    assert ms.get_auto_parallel_context("parallel_mode") == "stand_alone"
    assert ms.get_auto_parallel_context("gradients_mean") is False
    assert ms.get_auto_parallel_context("device_num") == 1
    assert ms.context.ParallelMode is ms.ParallelMode
    assert ms.ParallelMode.DATA_PARALLEL == "data_parallel"
    ms.set_auto_parallel_context(parallel_mode=ms.ParallelMode.DATA_PARALLEL,
                                 gradients_mean=True, device_num=2)
    assert ms.get_auto_parallel_context("parallel_mode") == "data_parallel"
    assert ms.get_auto_parallel_context("device_num") == 2
    with pytest.raises(ValueError, match="Set context keyword nope is not recognized"):
        ms.set_auto_parallel_context(nope=1)
    with pytest.raises(ValueError, match="Get context keyword nope is not recognized"):
        ms.get_auto_parallel_context("nope")
    with pytest.raises(ValueError, match="only support 'stand_alone'"):
        ms.set_auto_parallel_context(parallel_mode="bogus")
    with pytest.raises(ValueError, match="must be a positive integer"):
        ms.set_auto_parallel_context(device_num=0)
    with pytest.raises(TypeError, match="'gradients_mean' must be <class 'bool'>"):
        ms.set_auto_parallel_context(gradients_mean=1)
    ms.reset_auto_parallel_context()
    assert ms.get_auto_parallel_context("parallel_mode") == "stand_alone"
    assert ms.get_auto_parallel_context("gradients_mean") is False


def _mlp():
    ms.set_seed(5)
    return nn.SequentialCell(nn.Dense(5, 7), nn.Tanh(), nn.Dense(7, 2))


def _train(parallel: bool, steps: int = 5):
    if parallel:
        ms.set_auto_parallel_context(parallel_mode=ms.ParallelMode.DATA_PARALLEL,
                                     gradients_mean=True)
    net = _mlp()
    step = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()),
                               nn.Momentum(net.trainable_params(), 0.1, 0.9))
    rng = np.random.default_rng(0)
    for _ in range(steps):
        step(ms.Tensor(rng.standard_normal((6, 5)).astype(np.float32)),
             ms.Tensor(rng.standard_normal((6, 2)).astype(np.float32)))
    ms.reset_auto_parallel_context()
    return step, [p.asnumpy().copy() for p in net.trainable_params()]


def test_group_of_one_is_unchanged():
    """DATA_PARALLEL in one process: the reducer all-reduces over a group of one (with the
    overlap hooks), and training ends exactly where stand-alone training ends."""
    step, parallel = _train(True)
    alone_step, alone = _train(False)
    assert isinstance(step.grad_reducer, nn.DistributedGradReducer)
    assert not isinstance(alone_step.grad_reducer, nn.DistributedGradReducer)
    for a, b in zip(parallel, alone):
        np.testing.assert_array_equal(a, b)
    assert step.grad_reducer.started_order == [0]  # one bucket, started by the hooks


def test_reducer_buckets_and_mean():
    """Buckets in reverse parameter order, cut at bucket_bytes (a larger parameter alone);
    reducer(grads) returns the gradients, divided by degree when mean."""
    net = _mlp()
    params = net.trainable_params()  # 0.weight (7, 5), 0.bias (7,), 2.weight (2, 7), 2.bias
    r = nn.DistributedGradReducer(params, mean=True, degree=4, bucket_bytes=16 * 4)
    assert r.bucket_members == [["2.bias", "2.weight"], ["0.bias"], ["0.weight"]]
    assert r.bucket_sizes == [16, 7, 35]
    grads = tuple(ms.Tensor(np.full(p.shape, k + 1.0, np.float32)) for k, p in enumerate(params))
    out = r(grads)
    for k, (g, p) in enumerate(zip(out, params)):
        assert g.shape == p.shape
        np.testing.assert_array_equal(g.asnumpy(), np.full(p.shape, (k + 1.0) / 4, np.float32))
    one = nn.DistributedGradReducer(params, mean=False)
    assert len(one.bucket_sizes) == 1
    np.testing.assert_array_equal(one(grads)[3].asnumpy(), grads[3].asnumpy())
    with pytest.raises(ValueError, match="2 gradients for 4 parameters"):
        one(grads[:2])
    with pytest.raises(NotImplementedError, match="world group"):
        nn.DistributedGradReducer(params, group="other")


def test_hooks_learn_and_fall_back():
    """A parameter used twice (two contributions per step) is summed by the reducer; one
    reached through a Cell with its own bprop (no hooks there) is found on the first step
    and reduced from the returned gradient: both end equal to stand-alone training."""
    class Twice(nn.Cell):
        def __init__(self):
            super().__init__()
            self.d = nn.Dense(4, 4)
            self.e = _Bprop()

        def construct(self, x):
            return self.e(self.d(ms.ops.tanh(self.d(x))))

    def run(parallel):
        if parallel:
            ms.set_auto_parallel_context(parallel_mode="data_parallel", gradients_mean=True)
        ms.set_seed(2)
        net = Twice()
        step = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()),
                                   nn.SGD(net.trainable_params(), 0.1))
        rng = np.random.default_rng(1)
        for _ in range(4):
            step(ms.Tensor(rng.standard_normal((3, 4)).astype(np.float32)),
                 ms.Tensor(np.zeros((3, 4), np.float32)))
        ms.reset_auto_parallel_context()
        return step, [p.asnumpy().copy() for p in net.trainable_params()]
    step, a = run(True)
    _, b = run(False)
    for x, y in zip(a, b):
        np.testing.assert_allclose(x, y, rtol=1e-6, atol=1e-7)
    names = [p.name for p in step.grad_reducer._grad_params]
    expected = dict(zip(names, step.grad_reducer._expected))
    assert expected["d.weight"] == 2 and expected["d.bias"] == 2
    assert expected["e.w"] == 0  # its own bprop: reduced at the end


class _Bprop(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = ms.Parameter(ms.Tensor(np.ones(4, np.float32)), name="w")

    def construct(self, x):
        return x * self.w

    def bprop(self, x, out, dout):
        return (dout * self.w,)


def test_sync_batchnorm_alone_is_batchnorm():
    """Outside DATA_PARALLEL, SyncBatchNorm gives BatchNorm1d's loss and gradients."""
    x = ms.Tensor(np.random.default_rng(0).standard_normal((8, 6)).astype(np.float32))
    results = []
    for cls in (nn.SyncBatchNorm, nn.BatchNorm1d):
        ms.set_seed(1)
        net = nn.SequentialCell(nn.Dense(6, 6), cls(6), nn.Dense(6, 2))
        net.set_train(True)
        f = ms.value_and_grad(nn.WithLossCell(net, nn.MSELoss()), None, net.trainable_params())
        loss, grads = f(x, ms.Tensor(np.ones((8, 2), np.float32)))
        results.append([loss.asnumpy()] + [g.asnumpy() for g in grads]
                       + [net[1].moving_variance.asnumpy()])
    for a, b in zip(*results):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
