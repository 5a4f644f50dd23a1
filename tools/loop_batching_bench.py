"""W4 (the tanh RNN of tools/bench) with and without the lowering's loop batching, against
the careful hand-written numpy of tools/bench and an expert version (issue 15 part 3).

    python tools/loop_batching_bench.py [--repeats 30] [--readback] [--cpu-time] [--big]

One BLAS thread (set here, before numpy loads).  Each variant is timed interleaved with the
others, ``--repeats`` rounds of 20 calls each (its own steady state: what the allocator
hands back after its previous call); it prints the minimum and the median per call and the
ratios to the expert version.  ``--readback`` times the gradient of a loop
reading ``x[t]`` (with respect to ``x``) for T = 2,000 / 4,000 / 8,000; ``--big`` times the
same RNN at 200 steps, batch 64, input 128, hidden 256.  ``--cpu-time``
times with the process's CPU time instead of the wall clock (other processes' load then
counts less).
"""
from __future__ import annotations

import os
import sys
import time
import types

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_v] = "1"

import numpy as np  # noqa: E402

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, _ROOT)
sys.path.insert(0, os.path.join(_ROOT, "tools", "bench"))

import workloads  # noqa: E402

from autograd_st import Tensor, compiler, ops  # noqa: E402
from autograd_st.compiler import lower_loops  # noqa: E402


def expert(xs, h0, wx, wh, b):
    """What a performance engineer writes: the input projection of all steps in one matmul
    before the loop, the states in one preallocated (T+1, B, H) array, each step's
    ``dh * (1 - h*h)`` into one (T, B, H) array, and the weight gradients as one matmul (and
    one sum) over all steps after the loop."""
    T, B, nin = xs.shape
    H = wh.shape[0]
    xw = np.matmul(xs.reshape(T * B, nin), wx).reshape(T, B, H)
    xw += b
    hs = np.empty((T + 1, B, H), xs.dtype)
    hs[0] = h0
    for t in range(T):
        z = np.matmul(hs[t], wh)
        z += xw[t]
        np.tanh(z, out=hs[t + 1])
    loss = hs[T].sum()
    dz = np.empty((T, B, H), xs.dtype)
    dh = np.ones((B, H), xs.dtype)
    whT = wh.T
    for t in range(T - 1, -1, -1):
        d = dz[t]
        h = hs[t + 1]
        np.multiply(h, h, out=d)
        np.subtract(1, d, out=d)
        d *= dh
        dh = np.matmul(d, whT)
    dz2 = dz.reshape(T * B, H)
    dwx = np.matmul(xs.reshape(T * B, nin).T, dz2)
    dwh = np.matmul(hs[:T].reshape(T * B, H).T, dz2)
    db = dz2.sum(axis=0)
    return loss, (dwx, dwh, db)


def _st_call(arrays, batched):
    lower_loops.ENABLED[0] = batched
    compiler.clear_caches()
    call, extract = workloads.get("W4").autograd_st(arrays)
    call()  # compile now, with the setting asked for
    lower_loops.ENABLED[0] = True
    return call


_CLOCK = time.perf_counter


def _time(fns, repeats, inner=20):
    times = {k: [] for k in fns}
    for _ in range(repeats):
        for k, f in fns.items():
            t0 = _CLOCK()
            for _ in range(inner):
                f()
            times[k].append((_CLOCK() - t0) / inner)
    return {k: (min(v), float(np.median(v))) for k, v in times.items()}


def w4(repeats, big=False):
    w = workloads.get("W4")
    arrays = w.make()
    if big:  # the same RNN, larger: 200 steps, batch 64, input 128, hidden 256
        r = np.random.default_rng(4)
        steps, batch, nin, nh = 200, 64, 128, 256
        arrays = (r.standard_normal((steps, batch, nin)).astype(np.float32),
                  np.zeros((batch, nh), np.float32),
                  (r.standard_normal((nin, nh)) / np.sqrt(nin)).astype(np.float32),
                  (r.standard_normal((nh, nh)) / np.sqrt(nh)).astype(np.float32),
                  (0.1 * r.standard_normal(nh)).astype(np.float32))
    ref = w.hand(*arrays)
    got = expert(*arrays)
    for a, b in zip(ref[1], got[1]):
        np.testing.assert_allclose(a, b, rtol=2e-4, atol=2e-4)
    batched, plain = _st_call(arrays, True), _st_call(arrays, False)
    for call in (batched, plain):
        _, grads = call()
        for a, b in zip(ref[1], grads):
            np.testing.assert_allclose(a, b.asnumpy(), rtol=2e-4, atol=2e-4)
    res = _time({"expert": lambda: expert(*arrays), "hand (careful)": lambda: w.hand(*arrays),
                 "autograd_st batched": batched, "autograd_st unbatched": plain}, repeats)
    base_min, base_med = res["expert"]
    xs, _, _, wh, _ = arrays
    print("W4: tanh RNN h=%d in=%d, %d steps, batch %d (float32, 1 BLAS thread, %d rounds)"
          % (wh.shape[0], xs.shape[2], xs.shape[0], xs.shape[1], repeats))
    print("%-24s %10s %10s %12s %12s" % ("variant", "min", "median", "/expert min", "/expert med"))
    for k, (mn, md) in res.items():
        print("%-24s %8.3f ms %8.3f ms %12.3f %12.3f" % (k, mn * 1e3, md * 1e3, mn / base_min,
                                                        md / base_med))


def readback(sizes=(2000, 4000, 8000)):
    def f(x):
        s = x[0] * 0.0
        for t in range(x.shape[0]):
            s = s + ops.sin(x[t])
        return ops.sum(s)
    print("read-back: grad of a loop reading x[t] (x: T x 4, float64)")
    for T in sizes:
        x = Tensor(np.linspace(0, 1, T * 4).reshape(T, 4))
        row = []
        for batched in (False, True):
            lower_loops.ENABLED[0] = batched
            compiler.clear_caches()
            # a fresh function object (ops.grad remembers the gradient of one it has seen)
            g = ops.grad(types.FunctionType(f.__code__, f.__globals__, "f", None, f.__closure__))
            g(x)
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                g(x)
                best = min(best, time.perf_counter() - t0)
            row.append(best)
        lower_loops.ENABLED[0] = True
        print("  T=%5d  unbatched %8.1f ms   batched %8.1f ms  (min of 3)" % (T, row[0] * 1e3,
                                                                       row[1] * 1e3))


if __name__ == "__main__":
    if "--cpu-time" in sys.argv:  # this process's CPU time: steadier on a shared machine
        _CLOCK = time.process_time
    reps = 30
    if "--repeats" in sys.argv:
        reps = int(sys.argv[sys.argv.index("--repeats") + 1])
    w4(reps)
    if "--big" in sys.argv:
        w4(max(3, reps // 10), big=True)
    if "--readback" in sys.argv:
        readback()
