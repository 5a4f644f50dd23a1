"""W3 and W5 with and without the forward-accumulated branch (compiler/lower_fwdacc.py),
interleaved with the expert numpy version: the fastest repeat of each, and tracemalloc's peak
of one call.

    OPENBLAS_NUM_THREADS=1 PYTHONPATH=. python tools/bench/ab_fwdacc.py [--repeats 15]

The function is compiled twice from copies of its source (the compiler caches by code), once
with ``lower_fwdacc.ENABLED`` off.
"""
from __future__ import annotations

import argparse
import importlib.util
import inspect
import os
import sys
import tempfile
import time
import tracemalloc

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import workloads  # noqa: E402

from autograd_st import Tensor, ops  # noqa: E402
from autograd_st.compiler import lower_fwdacc  # noqa: E402


def _copy(f, tag, folder):
    path = os.path.join(folder, "%s_%s.py" % (f.__name__, tag))
    with open(path, "w") as fh:
        fh.write("import numpy as np\n" + inspect.getsource(f))
    spec = importlib.util.spec_from_file_location("ab_%s_%s" % (f.__name__, tag), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, f.__name__)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--calls", type=int, default=50)
    opts = ap.parse_args()
    folder = tempfile.mkdtemp()
    for w in (workloads.W3(), workloads.W5()):
        (x,) = w.make()
        tx = Tensor(x)
        fns = {}
        for tag, on in (("forward", True), ("reverse", False)):
            lower_fwdacc.ENABLED = on
            g = ops.value_and_grad(_copy(w.pure, tag, folder), grad_position=0)
            g(tx)  # (compiled now, under the setting)
            fns[tag] = (lambda g=g: g(tx))
        lower_fwdacc.ENABLED = True
        fns["expert"] = lambda w=w, x=x: w.hand_expert(x)
        best = {k: float("inf") for k in fns}
        for _ in range(opts.repeats):
            for k, fn in fns.items():
                t0 = time.perf_counter()
                for _ in range(opts.calls):
                    fn()
                best[k] = min(best[k], (time.perf_counter() - t0) / opts.calls)
        for k, fn in fns.items():
            fn()
            tracemalloc.start()
            base = tracemalloc.get_traced_memory()[0]
            fn()
            peak = tracemalloc.get_traced_memory()[1] - base
            tracemalloc.stop()
            print("%s %-8s %7.1f us  %.2fx the expert  peak %5.1f kB"
                  % (w.name, k, best[k] * 1e6, best[k] / best["expert"], peak / 1e3))


if __name__ == "__main__":
    main()
