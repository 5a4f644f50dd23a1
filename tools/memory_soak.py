"""Memory over many gradient calls: a million calls stay flat, caches stay bounded.

    python tools/memory_soak.py                 # 1,000,000 calls (about a minute)
    python tools/memory_soak.py --calls 100000 --distinct 3000

Phase 1 calls a function's and a Cell's gradient (with weights) ``--calls`` times in total
and prints the resident set size and the Python heap (tracemalloc, sampled in a separate
short window so that tracing does not slow the long run) at checkpoints.  Phase 2
differentiates ``--distinct`` different functions (closures with different constants, so
each has its own generated code) and prints the sizes of the caches and of linecache, which
must level off at their bounds.  Exits 1 if the resident set grew by more than ``--max-mb``
over phase 1 (after warm-up) or a cache passed its bound.
"""
from __future__ import annotations

import argparse
import gc
import linecache
import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

from autograd_st import Parameter, Tensor, nn, ops  # noqa: E402
from autograd_st.boundary import function as grad_api  # noqa: E402
from autograd_st.compiler import frontend as driver  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2 ** 20


def f(x):
    s = x * 0.0
    for i in range(3):
        s = s + ops.sin(x * (i + 1))
    return ops.sum(s * x)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, -1.0, 2.0])), name="w")
        self.bn = nn.BatchNorm1d(3)

    def construct(self, x):
        return ops.sum(ops.tanh(self.bn(x) * self.w))


def heap_growth(calls, n=20_000) -> int:
    gc.collect()
    tracemalloc.start()
    start = tracemalloc.get_traced_memory()[0]
    for _ in range(n):
        calls()
    gc.collect()
    grown = tracemalloc.get_traced_memory()[0] - start
    tracemalloc.stop()
    return grown


def make(k):
    def scaled(x):
        return ops.sum(ops.tanh(x) * k)
    return scaled


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=1_000_000)
    ap.add_argument("--distinct", type=int, default=3000)
    ap.add_argument("--max-mb", type=float, default=8.0)
    a = ap.parse_args()
    g = ops.grad(f)
    net = Net()
    net.set_train(True)  # BatchNorm writes its statistics on every call
    gn = ops.value_and_grad(net, 0, net.trainable_params())
    x = Tensor(np.array([0.5, -1.5, 2.0]))
    xb = Tensor(np.array([[0.5, -1.5, 2.0], [1.0, 0.0, -1.0]]))

    def calls():
        g(x)
        gn(xb)
    for _ in range(5000):
        calls()
    gc.collect()
    base, t0, ok = rss_mb(), time.time(), True
    print("phase 1: %d calls; RSS after warm-up %.1f MB" % (a.calls, base))
    done, step = 0, max(a.calls // 10, 2)
    while done < a.calls:
        for _ in range(step // 2):
            calls()
        done += step
        print("  %8d calls  RSS %.1f MB (%+.2f)  %.0f s" % (done, rss_mb(), rss_mb() - base,
                                                          time.time() - t0))
    grown = rss_mb() - base
    heap = heap_growth(calls)
    print("  Python heap growth over 20,000 more calls (tracemalloc): %d bytes" % heap)
    if grown > a.max_mb:
        print("FAIL: RSS grew by %.1f MB" % grown)
        ok = False
    print("phase 2: %d distinct functions" % a.distinct)
    xs = np.array([0.5, -1.5, 2.0])
    for k in range(a.distinct):
        ops.grad(make(k + 0.5))(xs)
        if (k + 1) % max(a.distinct // 6, 1) == 0:
            gc.collect()
            n_lines = sum(1 for n in linecache.cache if n.startswith("<autograd_st"))
            print("  %6d  _GLOBAL %4d (bound %d)  IR cache %4d (bound %d)  linecache %5d  "
                  "RSS %.1f MB" % (k + 1, len(grad_api._GLOBAL), grad_api._GLOBAL_SIZE,
                                   len(driver._IR_CACHE), driver._IR_CACHE_SIZE, n_lines,
                                   rss_mb()))
    if len(grad_api._GLOBAL) > grad_api._GLOBAL_SIZE \
            or len(driver._IR_CACHE) > driver._IR_CACHE_SIZE:
        print("FAIL: a cache passed its bound")
        ok = False
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
