"""Compile cost of autograd_st: building the gradient (parse, fence, normalize, reverse,
codegen, exec) and the first call of a gradient function, on fresh functions with cleared
compiler caches, and the
per-call overhead of a cached call (the API call minus the generated function called
directly).

Generated test functions are written into a temporary directory as real modules and
imported, since the compiler reads source through ``inspect``/``linecache``.
"""
from __future__ import annotations

import importlib.util
import itertools
import os
import statistics
import sys
import tempfile
import time

import numpy as np
from timing import measure_many

import autograd_st.compiler as driver
from autograd_st import Tensor, ops

__all__ = ["straight_line_source", "loop_source", "compile_costs", "per_call_overhead",
           "generated_call"]

_COUNTER = itertools.count()
_TMP = None

# one line each; cycled (the values stay in [-3, 3] however long the chain)
_LINES = ("h = np.sin(h)", "h = h * 0.9", "h = np.tanh(h)", "h = h + x", "h = h * 0.5",
          "h = np.exp(h * 0.1)", "h = h - 0.5")


def straight_line_source(n_lines: int, name: str = "f") -> str:
    """A function of ``n_lines`` straight-line statements (one primitive or two each)."""
    body = ["    h = x"] + ["    " + _LINES[i % len(_LINES)] for i in range(n_lines - 1)]
    return "import numpy as np\n\n\ndef %s(x):\n%s\n    return np.sum(h)\n" % (
        name, "\n".join(body))


def loop_source(name: str = "Loop") -> str:
    """A Cell whose loop runs ``self.steps`` times: the same source for 10 and 1000 trips
    (the trip count is a Cell attribute, as in W4)."""
    return ("import numpy as np\nfrom autograd_st import nn\n\n\nclass %s(nn.Cell):\n"
            "    def __init__(self, steps):\n        super().__init__()\n"
            "        self.steps = steps\n\n"
            "    def construct(self, x):\n        h = x\n        for i in range(self.steps):\n"
            "            h = np.sin(h) * 0.9 + h * 0.1\n            h = np.tanh(h) + x\n"
            "        return np.sum(h)\n" % name)


def _tmpdir():
    global _TMP
    if _TMP is None:
        _TMP = tempfile.TemporaryDirectory(prefix="autograd_st_bench_")
    return _TMP.name


def import_source(source: str):
    """A fresh module (new file, new name, new code objects) holding ``source``."""
    name = "_bench_gen_%d_%d" % (os.getpid(), next(_COUNTER))
    path = os.path.join(_tmpdir(), name + ".py")
    with open(path, "w") as f:
        f.write(source)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def _first_call(make, samples):
    """``make()`` -> ``(call, compile_only)`` on a fresh gradient function: ``call()`` is one
    gradient call, ``compile_only()`` builds the generated code without running it
    (``grad_fn.compile(*args)``).  With the caches cleared before each, returns the medians of
    the compile alone, of the first call (compile + one run) and of a cached call."""
    compiles, firsts, steadies = [], [], []
    for _ in range(samples):
        driver.clear_caches()
        _, compile_only = make()
        t0 = time.perf_counter()
        compile_only()
        compiles.append(time.perf_counter() - t0)
        driver.clear_caches()
        call, _ = make()
        t0 = time.perf_counter()
        call()
        firsts.append(time.perf_counter() - t0)
        reps = []
        for _ in range(5):
            t0 = time.perf_counter()
            call()
            reps.append(time.perf_counter() - t0)
        steadies.append(min(reps))
    return {"compile_s": statistics.median(compiles), "compile_min_s": min(compiles),
            "first_call_s": statistics.median(firsts), "first_call_min_s": min(firsts),
            "steady_s": statistics.median(steadies), "samples": len(firsts)}


def compile_costs(settings, workloads):
    """``{case: {...}}``; a case autograd_st fails on is ``{"error": "..."}``."""
    out = {}
    x = Tensor(np.linspace(-1, 1, 10).astype(np.float32))
    # one throw-away compile: first-use imports (gast, astor, rule tables) are not counted
    try:
        ops.grad(import_source(straight_line_source(5)).f)(x)
    except Exception:
        pass

    def first_call(key, make, samples, **extra):
        try:
            out[key] = _first_call(make, samples)
            out[key].update(extra)
        except Exception as e:
            out[key] = {"error": "%s: %s" % (type(e).__name__, e)}

    for n in (10, 100, 1000):
        src = straight_line_source(n)

        def make(src=src):
            g = ops.grad(import_source(src).f)
            return (lambda: g(x)), (lambda: g.compile(x))
        samples = settings.compile_samples if n < 1000 else max(1, settings.compile_samples // 2)
        first_call("straight_%d" % n, make, samples, lines=n)

    src = loop_source()
    for trips in (10, 1000):
        def make(trips=trips):
            g = ops.grad(import_source(src).Loop(trips))
            return (lambda: g(x)), (lambda: g.compile(x))
        first_call("loop_%d" % trips, make, settings.compile_samples, trips=trips)

    for w in workloads:
        if w.name not in ("W2", "W4", "W8"):
            continue
        arrays = w.make()

        def make(w=w, arrays=arrays):
            call, _ = w.autograd_st(arrays)  # a new net, a new gradient function
            return call, (lambda: call.grad_fn.compile(*call.args))
        first_call(w.name, make, settings.compile_samples)
    return out


def generated_call(st_call):
    """``(direct, arrays)``: the generated function the API runs for ``st_call`` and the
    arrays it is called with (unwrapped arguments, then the artifact's inputs), so that
    ``direct(*arrays)`` is the call without the API's per-call path."""
    from autograd_st.boundary import values
    g = st_call.grad_fn
    art = next(iter(g._fast.values()))
    if getattr(art, "plain", True):
        args = [a._data if hasattr(a, "_data") else a for a in st_call.args]
    else:  # constant arguments are compiled in: only the runtime leaves are passed
        args = list(values.runtime_leaves(st_call.args, art.spec_args))
    inputs = [o._data if hasattr(o, "_data") else o.asnumpy() for o in art.inputs]
    return art.fn, args + inputs


def per_call_overhead(st_call, settings):
    """The API call minus the generated function called directly, in seconds."""
    st_call()
    fn, arrays = generated_call(st_call)
    res = measure_many({"api": st_call, "direct": lambda: fn(*arrays)}, settings)
    return {"api_s": res["api"]["median_s"], "direct_s": res["direct"]["median_s"],
            "overhead_s": res["api"]["median_s"] - res["direct"]["median_s"],
            "api_min_s": res["api"]["min_s"], "direct_min_s": res["direct"]["min_s"],
            "overhead_min_s": res["api"]["min_s"] - res["direct"]["min_s"]}
