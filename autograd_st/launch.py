"""``python -m autograd_st.launch -n 4 train.py [args]``: start a script on N processes.

Takes: the command line.  Gives: the exit status of ``mpiexec -n N python train.py [args]``,
run with the Python that runs this module; ``mpiexec`` is the one beside that Python (where
the ``distributed`` extra's MPICH wheel puts it) or else the first on ``PATH``.  Plain
``mpiexec -n 4 python train.py`` does the same; this spares finding the right ``mpiexec``
and sets two things: ``--timeout S`` becomes ``AUTOGRAD_ST_COLLECTIVE_TIMEOUT`` (how long a
collective waits for a failed peer), and each process's BLAS gets ``cpus // N`` threads
(``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS``, ``MKL_NUM_THREADS``) unless already set, so
N processes do not fight over the cores.  ``--hostfile F`` spreads the processes over the
machines listed in ``F`` (MPICH's and Open MPI's ``-hostfile``).

The script calls ``autograd_st.communication.init()``; rank 0 alone should print and save
(``communication.is_main()``; ``save_checkpoint`` writes on rank 0 only).  Without the extra
(``pip install 'autograd_st[distributed]'``) there is no ``mpiexec`` and this says so.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from typing import Optional, Sequence

__all__ = ["find_mpiexec", "command", "main"]

_BLAS_THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
_NO_MPIEXEC = ("autograd_st.launch: no mpiexec found beside %s nor on PATH.  Install the "
               "distributed extra, which brings mpi4py and an MPICH wheel with mpiexec, into "
               "this Python: %s -m pip install 'autograd_st[distributed]'  (or: pip install "
               "mpi4py mpich), or name one with --mpiexec PATH")


def find_mpiexec(python: Optional[str] = None) -> Optional[str]:
    """The ``mpiexec`` beside ``python`` (default: this interpreter), else on ``PATH``, else
    None."""
    python = python or sys.executable
    here = os.path.join(os.path.dirname(os.path.abspath(python)), "mpiexec")
    if os.path.isfile(here) and os.access(here, os.X_OK):
        return here
    return shutil.which("mpiexec")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m autograd_st.launch",
        description="Run a training script on N processes under MPI (mpiexec).")
    p.add_argument("-n", "--nproc", type=int, required=True, help="number of processes")
    p.add_argument("--timeout", type=float, default=None,
                   help="seconds a collective waits for the other ranks "
                        "(AUTOGRAD_ST_COLLECTIVE_TIMEOUT; default 300)")
    p.add_argument("--hostfile", default=None, help="machines to run on (mpiexec -hostfile)")
    p.add_argument("--mpiexec", default=None, help="the mpiexec to use")
    p.add_argument("script", help="the Python script to run")
    p.add_argument("args", nargs=argparse.REMAINDER, help="the script's arguments")
    return p


def command(argv: Sequence[str]) -> tuple:
    """``(argv, env)`` of the ``mpiexec`` command that ``main(argv)`` runs (raises
    SystemExit with the reason when it cannot be built)."""
    ns = _parser().parse_args(list(argv))
    if ns.nproc < 1:
        raise SystemExit("autograd_st.launch: -n must be at least 1, got %d" % ns.nproc)
    if not os.path.isfile(ns.script):
        raise SystemExit("autograd_st.launch: no script %r" % ns.script)
    mpiexec = ns.mpiexec or find_mpiexec()
    if mpiexec is None:
        raise SystemExit(_NO_MPIEXEC % (sys.executable, sys.executable))
    cmd = [mpiexec, "-n", str(ns.nproc)]
    if ns.hostfile:
        cmd += ["-hostfile", ns.hostfile]
    cmd += [sys.executable, ns.script] + list(ns.args)
    env = dict(os.environ)
    if ns.timeout is not None:
        env["AUTOGRAD_ST_COLLECTIVE_TIMEOUT"] = repr(float(ns.timeout))
    threads = str(max(1, (os.cpu_count() or 1) // ns.nproc))
    for name in _BLAS_THREADS:
        env.setdefault(name, threads)
    return cmd, env


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the job; returns ``mpiexec``'s exit status (nonzero when any rank failed)."""
    cmd, env = command(sys.argv[1:] if argv is None else argv)
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
