"""Where W4's gradient call spends its time, statement by statement: the generated function
with a clock read before each of its top-level statements (a loop, with its fast copy, is
one statement), called alternately with the expert numpy version timed the same way by
section, each timed section call right after an untimed one of its own (docs/performance.md, "W4: the last 18%").  The fastest and the median of
``repeats`` calls per section, microseconds, one BLAS thread.

    OPENBLAS_NUM_THREADS=1 taskset -c 0 python tools/bench/w4_sections.py [repeats]
"""
from __future__ import annotations

import ast
import gc
import os
import sys
import time

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, _HERE)
sys.path.insert(0, os.path.dirname(os.path.dirname(_HERE)))

import numpy as np  # noqa: E402
import workloads  # noqa: E402
from compile_cost import generated_call  # noqa: E402

_pc = time.perf_counter


def instrumented(src: str, fn_globals: dict):
    """The generated function of ``src`` with ``_S[i] = _pc()`` before its statement ``i``
    (and at its end, before the return); its labels (each statement's first line)."""
    tree = ast.parse(src)
    fdef = tree.body[0]
    body, labels = [], []
    for i, s in enumerate(fdef.body):
        body += ast.parse("_S[%d] = _pc()" % i).body + [s]
        labels.append(ast.unparse(s).splitlines()[0][:60])
    fdef.body = body
    ns = {}
    g = dict(fn_globals, _pc=_pc, _S=[0.0] * len(labels))
    exec(compile(ast.fix_missing_locations(tree), "<w4 sections>", "exec"), g, ns)  # noqa: S102
    return ns[fdef.name], g["_S"], labels


def expert_sections(xs, h0, wx, wh, b, E):
    """``W4.hand_expert`` with a clock read between its sections (into ``E``)."""
    E[0] = _pc()
    steps, batch, nin = xs.shape
    nh = wh.shape[0]
    x2 = xs.reshape(steps * batch, nin)
    pre = (x2 @ wx).reshape(steps, batch, nh)
    pre += b
    hs = np.empty((steps + 1, batch, nh), np.result_type(xs, h0, wx, wh, b))
    hs[0] = h0
    E[1] = _pc()
    for t in range(steps):
        z = np.matmul(hs[t], wh, out=hs[t + 1])
        z += pre[t]
        np.tanh(z, out=z)
    E[2] = _pc()
    loss = np.sum(hs[steps])
    dz = np.multiply(hs[1:], hs[1:])
    np.subtract(1.0, dz, out=dz)
    wh_t = wh.T
    dh = np.ones((batch, nh), hs.dtype)
    E[3] = _pc()
    for t in range(steps - 1, -1, -1):
        dz[t] *= dh
        if t:
            np.matmul(dz[t], wh_t, out=dh)
    E[4] = _pc()
    dz2 = dz.reshape(steps * batch, nh)
    dwx = x2.T @ dz2
    dwh = hs[:-1].reshape(steps * batch, nh).T @ dz2
    E[5] = _pc()
    db = dz2.sum(axis=0)
    E[6] = _pc()
    return loss, (dwx, dwh, db)


EXPERT = ["projection (+ b), hs", "forward loop", "loss, 1 - h^2, dh", "backward loop",
          "dwx, dwh", "db"]


def main(repeats: int) -> None:
    w = workloads.W4()
    arrays = w.make()
    call, _ = w.autograd_st(arrays)
    call()
    fn, args = generated_call(call)
    inst, stamps, labels = instrumented(call.grad_fn.source(*call.args), fn.__globals__)
    E = [0.0] * (len(EXPERT) + 1)
    ours = [[] for _ in labels]
    theirs = [[] for _ in EXPERT]
    total = {"expert": [], "generated": [], "api": []}
    gc.disable()
    for _ in range(repeats):
        t0 = _pc()
        w.hand_expert(*arrays)
        total["expert"].append(_pc() - t0)
        t0 = _pc()
        fn(*args)
        total["generated"].append(_pc() - t0)
        t0 = _pc()
        call()
        total["api"].append(_pc() - t0)
        inst(*args)  # (each timed call right after one of its own: the same cache state;
        t0 = _pc()   # the call after the other version's is a few percent slower)
        inst(*args)
        end = _pc()
        for i in range(len(labels)):
            ours[i].append((stamps[i + 1] if i + 1 < len(labels) else end) - stamps[i])
        expert_sections(*arrays, E)
        expert_sections(*arrays, E)
        for i in range(len(EXPERT)):
            theirs[i].append(E[i + 1] - E[i])
    gc.enable()

    def fmt(v):
        v = sorted(v)
        return "%8.1f %8.1f" % (v[0] * 1e6, v[len(v) // 2] * 1e6)
    print("%-62s %8s %8s" % ("whole call", "min", "median"))
    for k, v in total.items():
        print("  %-60s %s" % (k, fmt(v)))
    print("generated function, by top-level statement")
    for lab, v in zip(labels, ours):
        if sorted(v)[0] * 1e6 >= 0.5:
            print("  %-60s %s" % (lab, fmt(v)))
    print("expert, by section")
    for lab, v in zip(EXPERT, theirs):
        print("  %-60s %s" % (lab, fmt(v)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
