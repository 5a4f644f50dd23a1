"""The autograd_st benchmark (issues 4 and 15).

    python tools/bench/run.py [--quick] [--threads 1|2] [--json out.json] [--only W1,W2]

For each workload W1..W9 (float32) it times the median gradient call of the expert numpy
version and the careful hand-written one (both checked against finite differences in float64
first), autograd_st, and, when importable, HIPS autograd, PyTorch eager (CPU), JAX grad and
jax.jit(grad) (and tangent), each verified against the hand-written gradient before it is
timed.  Ratios are to the expert version (the targets) and to the careful one.  Then the first
call (compile included) and the peak memory of one gradient call of each (tracemalloc, and
the resident set size's growth), the compile cost of autograd_st (first calls with cleared
caches) and the per-call overhead of a cached call.

BLAS (and torch/XLA) run on one thread unless ``--threads 2``: the environment is set here,
before numpy is imported.
"""
from __future__ import annotations

import os
import sys


def _threads_from_argv(argv):
    for i, a in enumerate(argv):
        if a == "--threads" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--threads="):
            return a.split("=", 1)[1]
    return "1"


_THREADS = _threads_from_argv(sys.argv[1:])
_PINNED = None
if "--no-pin" not in sys.argv[1:] and hasattr(os, "sched_setaffinity"):
    # Thread-count settings are not enough for every library (recent XLA ignores its old
    # flags and runs a thread pool of its own): the process is also pinned to as many CPUs
    # as --threads says, before any thread is started, so every thread shares them.
    try:
        _cpus = sorted(os.sched_getaffinity(0))
        if len(_cpus) > int(_THREADS):
            _PINNED = _cpus[:int(_THREADS)]
            os.sched_setaffinity(0, _PINNED)
    except (OSError, ValueError):
        _PINNED = None
if "numpy" not in sys.modules:
    for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
               "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS"):
        os.environ[_v] = _THREADS
    if _THREADS == "1":
        os.environ["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") +
                                   " --xla_cpu_multi_thread_eigen=false"
                                   " intra_op_parallelism_threads=1").strip()
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
_ROOT = os.path.dirname(os.path.dirname(_HERE))
if _ROOT not in sys.path:
    import importlib.util
    if importlib.util.find_spec("autograd_st") is None:  # not installed: the checkout's
        sys.path.append(_ROOT)

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402

import check  # noqa: E402
import compile_cost  # noqa: E402
import memory  # noqa: E402
import numpy as np  # noqa: E402
import workloads  # noqa: E402
from timing import Settings, measure_many  # noqa: E402

COMPETITORS = ("autograd", "torch", "jax", "jax_jit", "tangent")
# issue 15's targets: median ratio to the expert numpy version (W5's is for ms.jit)
TARGETS = {"W1": 1.3, "W2": 1.02, "W3": 1.0, "W4": 1.05, "W5": 0.5, "W6": 1.02,
           "W7": 1.2, "W8": 1.2, "W9": 1.2}
# issue 4's, to the careful hand-written version
TARGETS_HAND = {"W1": 1.5, "W2": 1.05, "W3": 1.15, "W4": 1.2, "W5": 1.5, "W6": 1.03}
MEMORY_TARGET = 1.5  # peak tracemalloc memory of a gradient call / the expert version's


def _versions():
    out = {"python": platform.python_version(), "numpy": np.__version__}
    import autograd_st
    out["autograd_st"] = getattr(autograd_st, "__version__", "?")
    for mod in ("autograd", "torch", "jax", "tangent"):
        try:
            m = __import__(mod)
            out[mod] = getattr(m, "__version__", "installed")
        except ImportError:
            out[mod] = None
        except Exception as e:  # broken installs count as absent
            out[mod] = "unusable: %s" % type(e).__name__
    return out


def _machine():
    info = {"platform": platform.platform(), "processor": platform.processor(),
            "cpu_count": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        from threadpoolctl import threadpool_info
        info["blas"] = [{k: d.get(k) for k in ("internal_api", "num_threads", "version")}
                        for d in threadpool_info()]
    except Exception:
        pass
    return info


def _competitor_builders(w, arrays, threads):
    builders = dict(w.competitors(arrays, threads))

    def tangent_builder():
        import tangent  # noqa: F401  (optional; never required)
        raise ImportError("tangent is importable but this benchmark has no tangent version "
                          "of %s" % w.name)
    builders["tangent"] = tangent_builder
    return builders


def run_workload(w, settings, threads, log, competitors=COMPETITORS):
    res = {"name": w.name, "title": w.title, "times": {}, "ratios": {}, "ratios_min": {},
           "ratios_hand": {}, "notes": {}, "errors": {}, "first_call_s": {}}
    t0 = time.perf_counter()
    res["fd_error"] = check.fd_check(w)
    arrays = w.make()
    t1 = time.perf_counter()
    want = w.hand(*arrays)
    res["first_call_s"]["hand"] = time.perf_counter() - t1
    calls = {"hand": lambda: w.hand(*arrays)}
    if getattr(w, "hand_expert_is_hand", False):  # W7..W9: written once, as an expert would
        res["notes"]["expert"] = "the hand-written version is the expert one"
    else:
        res["fd_error_expert"] = check.fd_check(w, method="hand_expert")
        t1 = time.perf_counter()
        got = w.hand_expert(*arrays)
        res["first_call_s"]["expert"] = time.perf_counter() - t1
        res["errors"]["expert"] = check.compare("expert", got, want)
        calls["expert"] = lambda: w.hand_expert(*arrays)
    # autograd_st: its gradient is verified against the hand-written one before timing
    try:
        t1 = time.perf_counter()
        st_call, st_extract = w.autograd_st(arrays)
        out = st_call()
        res["st_first_call_s"] = res["first_call_s"]["autograd_st"] = time.perf_counter() - t1
        res["errors"]["autograd_st"] = check.compare("autograd_st", st_extract(out), want)
        calls["autograd_st"] = st_call
    except Exception as e:
        res["notes"]["autograd_st"] = "FAILED: %s: %s" % (type(e).__name__, e)
        log("  autograd_st FAILED: %s" % res["notes"]["autograd_st"])
        traceback.print_exc()
        st_call = None
    if w.name == "W1":  # also the tutorials' way: GradOperation inside GradNetWrtX.construct
        try:
            call, extract = w.autograd_st(arrays, tutorial=True)
            res["errors"]["autograd_st_tutorial"] = check.compare(
                "autograd_st GradNetWrtX", extract(call()), want)
            calls["autograd_st_tutorial"] = call
        except Exception as e:
            res["notes"]["autograd_st_tutorial"] = "FAILED: %s: %s" % (type(e).__name__, e)
    if w.name == "W5":  # also under ms.jit (issue 15: numba, when installed)
        try:
            t1 = time.perf_counter()
            call, extract = w.autograd_st(arrays, jit=True)
            out = call()
            res["jit_first_call_s"] = time.perf_counter() - t1
            res["errors"]["autograd_st_jit"] = check.compare(
                "autograd_st ms.jit", extract(out), want)
            calls["autograd_st_jit"] = call
        except Exception as e:
            res["notes"]["autograd_st_jit"] = "FAILED: %s: %s" % (type(e).__name__, e)
    for name, build in _competitor_builders(w, arrays, threads).items():
        if name not in competitors:
            continue
        try:
            t1 = time.perf_counter()
            call, extract = build()
            out = call()
            res["first_call_s"][name] = time.perf_counter() - t1
            res["errors"][name] = check.compare(name, extract(out), want)
            calls[name] = call
        except ImportError as e:
            res["notes"][name] = "not installed" if "No module named" in str(e) else str(e)
        except check.VerificationError as e:
            res["notes"][name] = "WRONG GRADIENT, not timed: %s" % e
            log("  %s: %s" % (name, res["notes"][name]))
        except Exception as e:
            res["notes"][name] = "FAILED: %s: %s" % (type(e).__name__, str(e).splitlines()[0]
                                                     if str(e) else "")
            log("  %s: %s" % (name, res["notes"][name]))
    times = measure_many(calls, settings)
    if "expert" not in times:
        times["expert"] = times["hand"]
    res["times"] = times
    base = times["expert"]
    for name, t in times.items():
        res["ratios"][name] = t["median_s"] / base["median_s"]
        res["ratios_min"][name] = t["min_s"] / base["min_s"]
        res["ratios_hand"][name] = t["median_s"] / times["hand"]["median_s"]
    res["_calls"] = calls  # for the memory pass, after every workload is timed
    # the per-call overhead is microseconds: measured only where it is not lost in the noise
    if st_call is not None and getattr(st_call, "grad_fn", None) is not None \
            and times["autograd_st"]["median_s"] < 2e-3:
        try:
            res["per_call"] = compile_cost.per_call_overhead(st_call, settings)
        except Exception as e:
            res["notes"]["per_call"] = "FAILED: %s: %s" % (type(e).__name__, e)
    res["bench_s"] = time.perf_counter() - t0
    return res


def _malloc_unpooled():
    """Make glibc serve every allocation of 64 kB or more with its own mmap (and give it back
    on free), so that the resident set grows with what a call holds, not only with what the
    allocator's pool lacks (by default the mmap threshold rises as large blocks are freed,
    up to 32 MB, and freed heap memory stays resident).  Called after every timing: it
    changes what a large allocation costs.  False where there is no glibc."""
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        m_trim_threshold, m_mmap_threshold = -1, -3
        return bool(libc.mallopt(m_mmap_threshold, 64 * 1024)) and \
            bool(libc.mallopt(m_trim_threshold, 64 * 1024))
    except (OSError, AttributeError):
        return False


def measure_memory(calls, log):
    """Per implementation: the peak tracemalloc bytes of one gradient call (None for torch and
    JAX, whose allocators tracemalloc does not see) and the growth of the resident set."""
    out = {}
    for name, call in calls.items():
        if name == "hand" and "expert" in calls:
            continue
        try:
            call()  # warm: caches, workspaces
            traced = memory.peak_tracemalloc(call)
            if name.startswith(("torch", "jax")):
                traced = None
            out[name] = {"tracemalloc_bytes": traced, "rss_bytes": memory.peak_rss(call)}
        except Exception as e:  # never lose the timings to a memory probe
            log("  memory of %s: %s: %s" % (name, type(e).__name__, e))
    if "expert" not in out and "hand" in out:
        out["expert"] = out["hand"]
    return out


def _fmt_t(s):
    if s is None:
        return "-"
    if s < 1e-3:
        return "%.1f us" % (s * 1e6)
    if s < 1:
        return "%.2f ms" % (s * 1e3)
    return "%.2f s" % s


def _fmt_mb(b):
    if b is None:
        return "-"
    if b < 1 << 20:
        return "%.0f kB" % (b / 1024)
    return "%.1f MB" % (b / (1 << 20))


def _print_rows(cols, rows, out):
    widths = [max(len(str(x)) for x in col) for col in zip(cols, *rows)]
    line = "  ".join(c.ljust(w) for c, w in zip(cols, widths))
    print(line, file=out)
    print("-" * len(line), file=out)
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)), file=out)


def print_table(results, competitors_present, out=sys.stdout):
    cols = ["workload", "expert", "hand", "autograd_st", "ratio", "(min)", "target",
            "vs hand"] + ["%s" % c for c in competitors_present]
    rows = []
    for r in results:
        st = r["times"].get("autograd_st")
        target = TARGETS[r["name"]]
        row = ["%s %s" % (r["name"], r["title"]), _fmt_t(r["times"]["expert"]["median_s"]),
               "=" if r["times"]["hand"] is r["times"]["expert"]
               else "%.2f" % r["ratios"]["hand"],
               _fmt_t(st["median_s"]) if st else "FAILED",
               "%.2f" % r["ratios"]["autograd_st"] if st else "-",
               "%.2f" % r["ratios_min"]["autograd_st"] if st else "-",
               "<= %.2f%s" % (target, "" if not st else
                              (" ok" if r["ratios"]["autograd_st"] <= target else " MISS")),
               "%.2f" % r["ratios_hand"]["autograd_st"] if st else "-"]
        for c in competitors_present:
            if c in r["ratios"]:
                row.append("%.2f" % r["ratios"][c])
            else:
                note = r["notes"].get(c, "")
                row.append("wrong" if note.startswith("WRONG") else
                           "-" if note == "not installed" else "failed")
        rows.append(row)
    _print_rows(cols, rows, out)
    print("(expert: the expert numpy version's median time per gradient call; hand: the careful "
          "hand-written version / expert ('=': the same code);\n"
          " ratio: autograd_st / expert, "
          "medians of the same run; (min): the same with the fastest repeats; vs hand: "
          "autograd_st / careful hand-written;\n"
          " competitors' columns are median ratios to the "
          "expert version too; '-' not installed, 'wrong' gradient did not verify; targets: "
          "issue 15's, W5's for ms.jit)", file=out)


def print_first_call_and_memory(results, competitors_present, out=sys.stdout):
    names = ["expert", "autograd_st"] + [c for c in competitors_present
                                         if c in ("torch", "jax", "jax_jit")]
    cols = ["workload"] + ["first %s" % n for n in names[1:]] + \
        ["peak %s" % n for n in names[:2]] + ["mem ratio"] + ["rss %s" % n for n in names]
    rows = []
    for r in results:
        mem = r.get("memory", {})
        row = [r["name"]]
        for n in names[1:]:
            row.append(_fmt_t(r["first_call_s"].get(n)))
        traced = [mem.get(n, {}).get("tracemalloc_bytes") for n in names[:2]]
        row += [_fmt_mb(b) for b in traced]
        row.append("%.2f%s" % (traced[1] / traced[0], " ok" if traced[1] <= MEMORY_TARGET
                               * traced[0] else " MISS")
                   if traced[0] and traced[1] is not None else "-")
        row += [_fmt_mb(mem.get(n, {}).get("rss_bytes")) for n in names]
        rows.append(row)
    print("\nFirst call (building the gradient function included) and peak memory of one "
          "gradient call:", file=out)
    _print_rows(cols, rows, out)
    print("(first: the first call, compile included (jax: tracing and XLA compiling); peak: the "
          "tracemalloc peak of one call above what was allocated before it (numpy's buffers; "
          "PyTorch and XLA allocate where tracemalloc does not see);\n mem ratio: autograd_st's "
          "peak / the expert's (target <= %.1f); rss: growth of the resident set during one "
          "warm call (every allocator, BLAS buffers included; memory the process already held "
          "is not counted))" % MEMORY_TARGET, file=out)


def print_compile(cc, results, out=sys.stdout):
    print("\nCompile cost (caches cleared, fresh functions; compile: building the gradient "
          "code alone,\nfirst call: compile + one run):", file=out)
    for key, v in cc.items():
        if "error" in v:
            print("  %-14s FAILED: %s" % (key, v["error"]), file=out)
            continue
        extra = ""
        if "lines" in v:
            extra = "  (%.1f us/line)" % (v["compile_s"] / v["lines"] * 1e6)
        print("  %-14s compile %-10s first call %-10s%s" % (
            key, _fmt_t(v["compile_s"]), _fmt_t(v["first_call_s"]), extra), file=out)
    print("\nPer-call overhead of a cached call (API call - generated function called "
          "directly):", file=out)
    for r in results:
        pc = r.get("per_call")
        if pc:
            print("  %-3s api %-10s direct %-10s overhead %-10s (fastest repeats: %s)" % (
                r["name"], _fmt_t(pc["api_s"]), _fmt_t(pc["direct_s"]),
                _fmt_t(pc["overhead_s"]), _fmt_t(pc["overhead_min_s"])), file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--quick", action="store_true", help="tiny repeat counts (< 1 minute)")
    ap.add_argument("--threads", choices=("1", "2"), default="1",
                    help="BLAS/torch/XLA threads (default 1)")
    ap.add_argument("--json", metavar="OUT", help="write the results as JSON")
    ap.add_argument("--only", metavar="W1,W2", help="only these workloads")
    ap.add_argument("--no-pin", action="store_true",
                    help="do not pin the process to --threads CPUs (by default it is, so that "
                         "libraries that ignore the thread settings, such as XLA, keep to them)")
    ap.add_argument("--no-compile", action="store_true", help="skip the compile-cost part")
    ap.add_argument("--competitors", metavar="LIST",
                    help="comma-separated subset of %s, 'all' or 'none' (default: all that "
                         "import; with --quick: autograd,torch, since JAX's first calls "
                         "alone take tens of seconds)" % ",".join(COMPETITORS))
    args = ap.parse_args(argv)
    if args.threads != _THREADS:  # main() called with other argv than the process's
        print("note: --threads must be given on the command line (BLAS reads it at import)",
              file=sys.stderr)
    threads = int(args.threads)
    settings = Settings(quick=args.quick)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    versions = _versions()
    machine = _machine()
    present = [c for c in COMPETITORS
               if versions.get("jax" if c == "jax_jit" else c) not in (None,)
               and not str(versions.get("jax" if c == "jax_jit" else c)).startswith("unusable")]
    if args.competitors in (None, "") and args.quick:
        wanted = {"autograd", "torch"}
    elif args.competitors in (None, "", "all"):
        wanted = set(COMPETITORS)
    elif args.competitors == "none":
        wanted = set()
    else:
        wanted = set(args.competitors.split(","))
        unknown = wanted - set(COMPETITORS)
        if unknown:
            ap.error("unknown competitor(s): %s" % ", ".join(sorted(unknown)))
    present = [c for c in present if c in wanted]
    machine["pinned_cpus"] = _PINNED
    print("autograd_st benchmark: %s, %d BLAS thread%s, %s, %s" % (
        "quick" if args.quick else "full", threads, "" if threads == 1 else "s",
        "pinned to CPU %s" % ",".join(map(str, _PINNED)) if _PINNED else "not pinned",
        machine.get("cpu", machine["processor"] or platform.machine())))
    print("versions: " + ", ".join("%s %s" % (k, v) for k, v in versions.items()
                                   if v is not None))
    t0 = time.perf_counter()
    chosen = workloads.WORKLOADS
    if args.only:
        names = set(args.only.upper().split(","))
        chosen = [w for w in chosen if w.name in names]
    results = []
    for w in chosen:
        log("%s: %s ..." % (w.name, w.title))
        results.append(run_workload(w, settings, threads, log, present))
    log("peak memory ...")
    unpooled = _malloc_unpooled()
    for r in results:
        r["memory"] = measure_memory(r.pop("_calls"), log)
        r["memory_malloc_unpooled"] = unpooled
    print()
    print_table(results, present)
    print_first_call_and_memory(results, present)
    for r in results:
        if "autograd_st_tutorial" in r["times"]:
            print("  %s through the tutorials' GradNetWrtX Cell (GradOperation inside "
                  "construct): %s, ratio %.2f" % (
                      r["name"], _fmt_t(r["times"]["autograd_st_tutorial"]["median_s"]),
                      r["ratios"]["autograd_st_tutorial"]))
        if "autograd_st_jit" in r["times"]:
            print("  %s (ms.jit): %s, ratio %.2f (target <= 0.5), first call %s" % (
                r["name"], _fmt_t(r["times"]["autograd_st_jit"]["median_s"]),
                r["ratios"]["autograd_st_jit"], _fmt_t(r.get("jit_first_call_s"))))
        for name, note in r["notes"].items():
            if note != "not installed":
                print("  %s %s: %s" % (r["name"], name, note))
    cc = {}
    if not args.no_compile:
        log("compile cost ...")
        cc = compile_cost.compile_costs(settings, chosen)
        print_compile(cc, results)
    total = time.perf_counter() - t0
    print("\n(total %.1f s)" % total)
    if args.json:
        doc = {"settings": {"quick": args.quick, "threads": threads,
                            "repeat": settings.repeat, "min_repeat_s": settings.min_repeat_s},
               "machine": machine, "versions": versions, "targets": TARGETS,
               "targets_hand": TARGETS_HAND, "memory_target": MEMORY_TARGET,
               "workloads": results, "compile": cc, "total_s": total}
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=2, default=float)
        print("wrote %s" % args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
