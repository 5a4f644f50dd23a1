"""W4's generated gradient with a lowering pass off and on (``compiler.lower_rows``, the
default, or ``lower_step``: the forward step into its tape rows), called in one process
alternately with the expert numpy version: the fastest thread CPU time of ``repeats``
repeats of 10 calls each, and the ratios to the expert (docs/performance.md, W4).

    OPENBLAS_NUM_THREADS=1 taskset -c 0 python tools/bench/w4_rows_ab.py [repeats [pass]]
"""
from __future__ import annotations

import gc
import os
import sys
import time

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
sys.path.insert(0, os.path.dirname(os.path.dirname(_HERE)))

import workloads  # noqa: E402

from autograd_st import compiler  # noqa: E402
from autograd_st.compiler import lower_rows, lower_step  # noqa: E402

PASSES = {"lower_rows": lower_rows, "lower_step": lower_step}


def main(repeats: int, which: str = "lower_rows") -> None:
    flag = PASSES[which].ENABLED
    w = workloads.W4()
    arrays = w.make()
    fns = {"expert": lambda: w.hand_expert(*arrays)}
    for on in (False, True):
        flag[0] = on
        compiler.clear_caches()
        call, _ = w.autograd_st(arrays)
        call()  # (compiled now, with the pass as set)
        fns["on" if on else "off"] = call
    flag[0] = True
    best = dict.fromkeys(fns, float("inf"))
    gc.disable()
    for _ in range(repeats):
        for k, f in fns.items():
            t0 = time.thread_time()
            for _ in range(10):
                f()
            best[k] = min(best[k], (time.thread_time() - t0) / 10)
    gc.enable()
    e = best["expert"]
    print("  ".join(f"{k} {v * 1e6:.0f} us ({v / e:.3f})" for k, v in best.items()),
          f"on/off {best['on'] / best['off']:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40, *sys.argv[2:3])
