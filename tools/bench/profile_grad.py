"""Where the time of a gradient call goes: cProfile of autograd_st's call (by generated
function, runtime helper and kernel) next to the expert numpy version's, one BLAS thread.

    python tools/bench/profile_grad.py W7 [W8 ...] [--calls 5] [--top 15] [--dump]

The generated functions appear under their names (``<autograd_st LeNet.construct grad ...>``
and the ``pair`` functions of sub-Cells); ``--dump`` also prints the generated source, so a
line the profile points at can be read.  The expert version is one Python function of numpy
calls, so its profile lists numpy's functions and the matmuls it cannot see are in its own
line (``tottime`` of ``hand``/``hand_expert``); line_profiler, when installed, splits it by
line (``--lines``).
"""
from __future__ import annotations

import os
import sys

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
sys.path.append(os.path.dirname(os.path.dirname(_HERE)))

import argparse  # noqa: E402
import cProfile  # noqa: E402
import io  # noqa: E402
import pstats  # noqa: E402
import time  # noqa: E402

import workloads  # noqa: E402


def _min_times(fns, calls):
    """The fastest of ``calls`` calls of each, interleaved (a busy minute slows both)."""
    best = [float("inf")] * len(fns)
    for fn in fns:
        fn()  # warm
    for _ in range(calls):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best


def _profile(fn, calls, top):
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(calls):
        fn()
    pr.disable()
    buf = io.StringIO()
    st = pstats.Stats(pr, stream=buf)
    st.sort_stats("tottime").print_stats(top)
    text = buf.getvalue()
    keep = text[text.index("   ncalls"):] if "   ncalls" in text else text
    return keep


def _lines(w, method, arrays, calls):
    from line_profiler import LineProfiler
    lp = LineProfiler()
    fn = lp(getattr(type(w), method))
    for _ in range(calls):
        fn(w, *arrays)
    buf = io.StringIO()
    lp.print_stats(stream=buf, output_unit=1e-3)
    return buf.getvalue()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("names", nargs="+")
    ap.add_argument("--calls", type=int, default=5)
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--dump", action="store_true", help="print the generated source too")
    ap.add_argument("--lines", action="store_true", help="line_profiler on the expert version")
    args = ap.parse_args(argv)
    for name in args.names:
        w = workloads.get(name.upper())
        arrays = w.make()
        call, _ = w.autograd_st(arrays)
        method = "hand" if getattr(w, "hand_expert_is_hand", False) else "hand_expert"
        expert = lambda: getattr(w, method)(*arrays)  # noqa: E731
        t_st, t_ex = _min_times([call, expert], max(args.calls, 5))
        p_st = _profile(call, args.calls, args.top)
        p_ex = _profile(expert, args.calls, args.top)
        print("=" * 100)
        print("%s %s: autograd_st %.2f ms, expert %.2f ms per call (ratio %.2f; the fastest "
              "of %d interleaved calls, without the profiler)"
              % (w.name, w.title, t_st * 1e3, t_ex * 1e3, t_st / t_ex, max(args.calls, 5)))
        print("-- autograd_st, by function (tottime: time in the function itself) --")
        print(p_st)
        print("-- expert numpy (%s) --" % method)
        print(p_ex)
        if args.lines:
            try:
                print(_lines(w, method, arrays, args.calls))
            except ImportError:
                print("(line_profiler is not installed)")
        if args.dump:
            print("-- the generated gradient code --")
            print(call.grad_fn.source(*call.args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
