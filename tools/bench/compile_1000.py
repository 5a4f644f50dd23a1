"""Compile time of a long function (issue 15, section 6): a realistic ``n``-line function
(straight-line numpy math over several live values, an ``if`` on a runtime value every 40
lines, a short ``for`` loop every 100 lines) and the time to build its gradient, with the
compiler caches cleared and fresh code objects each time.

    python tools/bench/compile_1000.py                 # 1000 lines, median of 7 compiles
    python tools/bench/compile_1000.py --lines 2000 --samples 3
    python tools/bench/compile_1000.py --profile       # cProfile of one compile, by pass

The function is written into a temporary module and imported (the compiler reads source
through ``inspect``/``linecache``), so every sample parses a new file.
"""
from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from compile_cost import import_source  # noqa: E402

import autograd_st.compiler as driver  # noqa: E402
from autograd_st import Tensor, ops  # noqa: E402

__all__ = ["long_source", "compile_once", "compile_times"]

# statements over the live values a, b, c, d (each line reads two of them and writes one);
# (one to three operations a line); every value stays bounded (tanh, sin, damping), so 1000
# lines give finite gradients
_TEMPLATES = (
    "{o} = np.tanh({p})",
    "{o} = {p} * 0.5 + {q} * 0.25",
    "{o} = np.sin({p}) * 0.9",
    "{o} = {p} - {q} * 0.25",
    "{o} = np.maximum({p}, {q})",
    "{o} = np.cos({p}) * {q}",
    "{o} = ({p} + {q}) * 0.45",
    "{o} = np.tanh(np.matmul({p}, w))",
    "{o} = {p} / (1.0 + {q} * {q})",
    "{o} = np.exp({p} * 0.1) - 1.0",
)
_VARS = "abcd"


def long_source(n_lines: int, name: str = "f") -> str:
    """A function of about ``n_lines`` lines (body lines, ``if``/``else``/``for`` headers
    included) over ``x`` (a (4, 8) matrix) and ``w`` (8, 8)."""
    body = ["a = x", "b = np.tanh(x)", "c = x * 0.5", "d = np.sin(x)"]
    i = 0
    while len(body) < n_lines - 2:
        k = len(body)
        o, p, q = _VARS[i % 4], _VARS[(i + 1) % 4], _VARS[(i + 3) % 4]
        i += 1
        if k % 100 == 50:  # a short loop, the state carried through it
            body += ["for _ in range(3):",
                     "    %s = np.tanh(%s * 0.8 + %s * 0.1)" % (o, o, p),
                     "    %s = %s * 0.9 + np.sin(%s) * 0.05" % (p, p, o)]
        elif k % 40 == 20:  # a branch on a value known only when it runs
            body += ["if np.sum(%s) > 0:" % p,
                     "    %s = %s * 0.5 + %s * 0.25" % (o, p, q),
                     "    %s = np.tanh(%s)" % (q, o),
                     "else:",
                     "    %s = %s * 0.25 - %s * 0.5" % (o, p, q)]
        else:
            body.append(_TEMPLATES[i % len(_TEMPLATES)].format(o=o, p=p, q=q))
    body.append("return np.sum(a * b + c * d)")
    return "import numpy as np\n\n\ndef %s(x, w):\n%s\n" % (
        name, "\n".join("    " + line for line in body))


def _args():
    rng = np.random.default_rng(0)
    return (Tensor(rng.standard_normal((4, 8)).astype(np.float32)),
            Tensor((rng.standard_normal((8, 8)) * 0.3).astype(np.float32)))


def compile_once(n_lines: int, call: bool = False) -> float:
    """Seconds to build (``call``: build and run once) the gradient of a fresh
    ``n_lines``-line function, with the compiler caches cleared."""
    f = import_source(long_source(n_lines)).f
    args = _args()
    driver.clear_caches()
    g = ops.grad(f, (0, 1))
    t0 = time.perf_counter()
    if call:
        g(*args)
    else:
        g.compile(*args)
    return time.perf_counter() - t0


def compile_times(n_lines: int, samples: int) -> list:
    compile_once(20)  # first-use imports are not counted
    return [compile_once(n_lines) for _ in range(samples)]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--lines", type=int, default=1000)
    ap.add_argument("--samples", type=int, default=7)
    ap.add_argument("--profile", action="store_true", help="cProfile one compile")
    ap.add_argument("--print", action="store_true", help="print the generated function")
    a = ap.parse_args(argv)
    if a.print:
        print(long_source(a.lines))
        return
    if a.profile:
        compile_once(20)
        f = import_source(long_source(a.lines)).f
        args = _args()
        driver.clear_caches()
        g = ops.grad(f, (0, 1))
        prof = cProfile.Profile()
        prof.enable()
        g.compile(*args)
        prof.disable()
        stats = pstats.Stats(prof)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        return
    times = compile_times(a.lines, a.samples)
    print("%d lines: compile median %.3f s, min %.3f s (%d samples)"
          % (a.lines, statistics.median(times), min(times), len(times)))


if __name__ == "__main__":
    main()
