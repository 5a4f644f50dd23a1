"""autograd_st.communication, the ops collectives, the launcher and the fault handling, on two
processes under ``mpiexec -n 2`` (the scripts in ``tests/distributed/``) and on one.

The two-process tests need the ``distributed`` extra (``mpi4py`` and an MPI with ``mpiexec``,
e.g. the ``mpich`` wheel); without it they are skipped, saying so.  The single-process tests
always run.
"""
from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import subprocess
import sys
import time

import numpy as np
import pytest

from autograd_st import Tensor, launch, mpi_backend, nn, ops, save_checkpoint
from autograd_st import communication as comm
from autograd_st.train.callback import _say

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "tests" / "distributed"
MPIEXEC = launch.find_mpiexec()
HAVE_MPI = importlib.util.find_spec("mpi4py") is not None and MPIEXEC is not None
needs_mpi = pytest.mark.skipif(
    not HAVE_MPI, reason="the 2-process tests need the 'distributed' extra (mpi4py and an "
    "mpiexec: pip install 'autograd_st[distributed]'); %s" % (
        "mpi4py is not installed" if importlib.util.find_spec("mpi4py") is None
        else "no mpiexec beside %s or on PATH" % sys.executable))


def _env(**extra) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = "1"
    env.update(extra)
    return env


def _mpirun(script, *args, timeout=60, **env):
    """Run ``mpiexec -n 2 python script args``; ``(returncode, stdout + stderr, seconds)``."""
    start = time.monotonic()
    proc = subprocess.run([MPIEXEC, "-n", "2", sys.executable, str(SCRIPTS / script)]
                          + [str(a) for a in args], capture_output=True, text=True,
                          timeout=timeout, env=_env(**env), cwd=str(ROOT))
    return proc.returncode, proc.stdout + proc.stderr, time.monotonic() - start


def _results(directory) -> dict:
    """What mgmt.py's ranks wrote, by world rank."""
    return {int(p.stem[4:]): json.loads(p.read_text())
            for p in pathlib.Path(directory).glob("rank*.json")}


NOT_INITED = ("Distributed Communication has not been inited.You can't invoke this interface "
              "yet. Please call `init()` method first.")


# ---------------------------------------------------------------------------------------
# management API
# ---------------------------------------------------------------------------------------

@needs_mpi
def test_management_api_on_two_ranks(tmp_path):
    rc, text, _ = _mpirun("mgmt.py", tmp_path)
    assert rc == 0, text
    res = _results(tmp_path)
    assert sorted(res) == [0, 1], text
    for rank in (0, 1):
        r = res[rank]
        # before init: MindSpore's environment defaults (RANK_ID ... unset: 0, 1, 0, 1)
        assert r["before"][:6] == [0, 1, 0, 1, False, "hccl_world_group"]
        assert r["before"][6] is (rank == 0)  # is_main reads the launcher's PMI_RANK
        assert r["create_before_init"] == [True, NOT_INITED]
        # one machine: local rank == rank, local size == 2
        assert r["after"] == [rank, 2, rank, 2, True, "mpi", "mccl_world_group", rank == 0]
        assert r["names"] == [rank, rank, rank]
        # the reversed group: world rank 1 is group rank 0
        assert r["rev"] == [1 - rank, 2, [1, 0], 1, 1]
        assert r["released"] == [False, 0]
        errors = r["errors"]
        assert "no communication group named 'nope' on rank %d" % rank in errors[0]
        assert "'rev' already exists" in errors[1]
        assert "cannot be destroyed" in errors[2]
        assert "group rank 2 is not in [0, 2)" in errors[3]
        assert errors[4].startswith("TypeError: For 'get_rank', the argument 'group' must be")
    assert res[1]["last"] == [0, 1] and "last" not in res[0]


def test_management_api_on_one_process_without_a_launcher(tmp_path):
    """No launcher: init() makes a group of one (MindSpore raises); the environment's
    RANK_ID/RANK_SIZE answer before init, as MindSpore's."""
    env = _env(RANK_ID="3", RANK_SIZE="8")
    for name in ("PMI_RANK", "PMI_SIZE", "OMPI_COMM_WORLD_RANK", "PMIX_RANK"):
        env.pop(name, None)
    proc = subprocess.run([sys.executable, str(SCRIPTS / "mgmt.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=60, env=env, cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    (r,) = _results(tmp_path).values()
    assert r["before"] == [3, 8, 0, 1, False, "hccl_world_group", False]  # RANK_ID=3
    assert r["create_before_init"] == [True, NOT_INITED]
    assert r["after"] == [0, 1, 0, 1, True, "mpi", "mccl_world_group", True]
    assert r["rev"] == [0, 1, [0], 0, 0] and r["last"] == [0, 1]
    assert r["released"] == [False, 3]


def test_group_of_one_in_process():
    """In this process (no launcher) the collectives return their input and their
    gradients are the identity's."""
    x = Tensor(np.array([[1.0, -2.0, 3.0], [0.5, 4.0, -1.0]]))
    for prim in (ops.AllReduce(), ops.AllReduce(ops.ReduceOp.MAX), ops.AllGather(),
                 ops.ReduceScatter(), ops.ReduceScatter(ops.ReduceOp.MIN)):
        np.testing.assert_array_equal(prim(x).asnumpy(), x.asnumpy())
    (y,) = ops.Broadcast(0)((x,))
    np.testing.assert_array_equal(y.asnumpy(), x.asnumpy())
    g = ops.grad(_cube_of_prod)(x)
    np.testing.assert_allclose(g.asnumpy(), 3 * x.asnumpy() ** 2)
    with pytest.raises(comm.management.CommunicationError, match="ReduceScatter.op='max'"):
        ops.grad(_reduce_scatter_max)(x)
    with pytest.raises(comm.management.CommunicationError, match="must be one of"):
        ops.AllReduce("mean")
    with pytest.raises(TypeError, match="group"):
        ops.AllGather(group=0)
    with pytest.raises(comm.management.CommunicationError, match="root rank 1 is not a rank"):
        ops.Broadcast(1)((x,))  # a group of one has rank 0 only
    with pytest.raises(comm.management.CommunicationError, match="no communication group"):
        ops.AllReduce(group="never_created")(x)


def _cube_of_prod(x):
    return ops.sum(ops.AllReduce(ops.ReduceOp.PROD)(x) ** 3)


def _reduce_scatter_max(x):
    return ops.sum(ops.ReduceScatter(ops.ReduceOp.MAX)(x))


# ---------------------------------------------------------------------------------------
# collectives: values and gradients on two ranks
# ---------------------------------------------------------------------------------------

CASES = ("all_reduce_sum", "all_reduce_max", "all_reduce_min", "all_reduce_prod",
         "all_reduce_avg", "all_gather",
         "reduce_scatter", "broadcast_root1", "comm_func_all_reduce", "comm_func_reduce_dst0",
         "comm_func_broadcast_src1", "all_gather_rev_group", "broadcast_rev_root0")
IN_A_CELL = {"all_reduce_sum", "all_reduce_max", "all_reduce_min", "all_reduce_prod",
             "all_reduce_avg",
             "all_gather", "reduce_scatter", "broadcast_root1", "all_gather_rev_group",
             "broadcast_rev_root0"}


@needs_mpi
def test_collective_values_and_gradients_on_two_ranks(tmp_path):
    rc, text, _ = _mpirun("collectives.py", tmp_path)
    assert rc == 0, text
    for rank in (0, 1):
        d = np.load(tmp_path / ("rank%d.npz" % rank))
        names = {k.split("/")[0] for k in d.files}
        assert names == set(CASES)
        for name in CASES:
            where = "rank %d, %s" % (rank, name)
            np.testing.assert_allclose(d[name + "/value"], d[name + "/value_expected"],
                                       rtol=1e-12, err_msg=where)
            fd = d[name + "/grad_fd"]
            np.testing.assert_allclose(d[name + "/grad"], fd, rtol=1e-6, atol=1e-7,
                                       err_msg=where + ": gradient vs finite differences")
            if name in IN_A_CELL:
                np.testing.assert_allclose(d[name + "/cell_grad"], fd, rtol=1e-6, atol=1e-7,
                                           err_msg=where + ": in a compiled construct")
            np.testing.assert_allclose(d[name + "/jvp"], d[name + "/jvp_fd"], rtol=1e-6,
                                       atol=1e-7, err_msg=where + ": jvp")
        # the gradient of a broadcast reaches the root only
        assert np.all(d["broadcast_root1/grad"] == 0) == (rank == 0)
        assert np.all(d["broadcast_rev_root0/grad"] == 0) == (rank == 0)  # root: world 1
        assert np.any(d["all_reduce_max/grad"] != 0)  # both ranks hold some maxima


# ---------------------------------------------------------------------------------------
# faults
# ---------------------------------------------------------------------------------------

@needs_mpi
@pytest.mark.parametrize("how", ["init", "--no-init"])
def test_an_exception_on_one_rank_ends_both_with_its_message(how):
    rc, text, seconds = _mpirun("fault_raise.py", how, AUTOGRAD_ST_COLLECTIVE_TIMEOUT="30")
    assert rc != 0, text
    assert "[rank 1] ValueError: rank one failed on purpose" in text, text
    assert "[rank 1] Traceback (most recent call last):" in text
    assert "must not happen" not in text
    assert seconds < 25, "the job took %.1f s: rank 0 was not ended by rank 1's abort" % seconds


@needs_mpi
def test_a_collective_that_waits_too_long_ends_the_job():
    rc, text, seconds = _mpirun("fault_timeout.py", AUTOGRAD_ST_COLLECTIVE_TIMEOUT="2")
    assert rc != 0, text
    assert "[rank 0] autograd_st.errors.CollectiveTimeoutError: all_reduce waited 2 s" in text
    assert seconds < 30, "the job took %.1f s (rank 1 sleeps 120 s)" % seconds


# ---------------------------------------------------------------------------------------
# launcher
# ---------------------------------------------------------------------------------------

@needs_mpi
def test_launcher_runs_a_script_on_two_ranks(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "autograd_st.launch", "-n", "2", "--timeout",
                           "30", str(SCRIPTS / "mgmt.py"), str(tmp_path)], capture_output=True,
                          text=True, timeout=60, env=_env(), cwd=str(ROOT))
    assert proc.returncode == 0, proc.stderr
    res = _results(tmp_path)
    assert sorted(res) == [0, 1] and res[1]["after"][:2] == [1, 2]


def test_launcher_command(tmp_path):
    script = tmp_path / "train.py"
    script.write_text("print('hi')\n")
    fake = tmp_path / "mpiexec"
    cmd, env = launch.command(["-n", "3", "--timeout", "45", "--hostfile", "hosts",
                               "--mpiexec", str(fake), str(script), "--lr", "0.1", "-n", "9"])
    assert cmd == [str(fake), "-n", "3", "-hostfile", "hosts", sys.executable, str(script),
                   "--lr", "0.1", "-n", "9"]
    assert env["AUTOGRAD_ST_COLLECTIVE_TIMEOUT"] == "45.0"


def test_launcher_without_mpiexec_says_how_to_install_it(tmp_path, monkeypatch):
    script = tmp_path / "train.py"
    script.write_text("print('hi')\n")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert launch.find_mpiexec() is None
    with pytest.raises(SystemExit, match=r"no mpiexec found beside .*pip install "
                                         r"'autograd_st\[distributed\]'"):
        launch.command(["-n", "2", str(script)])


# ---------------------------------------------------------------------------------------
# rank 0 alone writes checkpoints and prints
# ---------------------------------------------------------------------------------------

def test_rank_zero_alone_writes_checkpoints_and_prints(tmp_path, monkeypatch, capsys):
    net = nn.Dense(2, 1)
    monkeypatch.setattr(mpi_backend, "_WORLD", None)  # as if MPI had not started here
    monkeypatch.delenv("OMPI_COMM_WORLD_RANK", raising=False)
    monkeypatch.delenv("PMIX_RANK", raising=False)
    monkeypatch.setenv("PMI_RANK", "1")
    assert not comm.is_main()
    save_checkpoint(net, str(tmp_path / "r1.ckpt"))
    _say("from rank 1")
    monkeypatch.setenv("PMI_RANK", "0")
    assert comm.is_main()
    save_checkpoint(net, str(tmp_path / "r0.ckpt"))
    _say("from rank 0")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r0.ckpt"]
    assert capsys.readouterr().out == "from rank 0\n"
