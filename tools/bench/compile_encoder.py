"""Compile cost of the W8 encoder's first gradient call (issue 15, section 6): a pre-norm
Transformer encoder layer (batch 8, sequence 128, d_model 256, 4 heads, MLP 1024, GELU, a
padding mask) written with ``autograd_st.nn`` as a MindSpore user writes it, differentiated
with respect to all its Parameters.

    python tools/bench/compile_encoder.py              # median of 7 fresh compiles
    python tools/bench/compile_encoder.py --profile    # cProfile of one

Each sample builds a new network and gradient function with the compiler caches cleared, and
times ``grad_fn.source(...)`` (parse, normalize, reverse, lower, print, load: the compile
alone) and, separately, the first call (the compile and one run) against a cached call.
"""
from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time

import numpy as np

import autograd_st.compiler as driver
from autograd_st import Tensor, nn, ops

__all__ = ["EncoderLoss", "make", "compile_times"]

B, S, D, H, F = 8, 128, 256, 4, 1024


class EncoderLoss(nn.Cell):
    """One pre-norm encoder layer and a mean-square loss over its output."""

    def __init__(self):
        super().__init__()
        self.layer = nn.TransformerEncoderLayer(D, H, dim_feedforward=F, dropout=0.0,
                                                activation="gelu", batch_first=True,
                                                norm_first=True)

    def construct(self, x, mask):
        y = self.layer(x, src_key_padding_mask=mask)
        return ops.mean(y * y)


def make(seed=0):
    """``(grad_fn, x, mask)``: a fresh network's gradient function w.r.t. its Parameters."""
    rng = np.random.default_rng(seed)
    x = Tensor(rng.standard_normal((B, S, D)).astype(np.float32))
    mask = np.zeros((B, S), bool)
    for b in range(B):  # each sequence padded after a different length
        mask[b, S - 8 * b:] = True
    net = EncoderLoss()
    return ops.value_and_grad(net, None, net.trainable_params()), x, Tensor(mask)


def compile_times(samples: int) -> dict:
    g, x, mask = make()
    g(x, mask)  # first-use imports and rule tables are not counted
    compiles, firsts, steadies = [], [], []
    for _ in range(samples):
        driver.clear_caches()
        g, x, mask = make()
        t0 = time.perf_counter()
        g.source(x, mask)
        compiles.append(time.perf_counter() - t0)
        driver.clear_caches()
        g, x, mask = make()
        t0 = time.perf_counter()
        g(x, mask)
        firsts.append(time.perf_counter() - t0)
        reps = []
        for _ in range(3):
            t0 = time.perf_counter()
            g(x, mask)
            reps.append(time.perf_counter() - t0)
        steadies.append(min(reps))
    return {"compile_s": statistics.median(compiles), "compile_min_s": min(compiles),
            "first_call_s": statistics.median(firsts), "steady_s": statistics.median(steadies)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=7)
    ap.add_argument("--profile", action="store_true")
    a = ap.parse_args(argv)
    if a.profile:
        g, x, mask = make()
        g(x, mask)
        driver.clear_caches()
        g, x, mask = make()
        prof = cProfile.Profile()
        prof.enable()
        g.source(x, mask)
        prof.disable()
        stats = pstats.Stats(prof)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
        return
    r = compile_times(a.samples)
    print("W8 encoder: compile median %.1f ms (min %.1f ms); first call %.1f ms, a cached "
          "call %.1f ms (so %.1f ms of the first call is compiling)"
          % (r["compile_s"] * 1e3, r["compile_min_s"] * 1e3, r["first_call_s"] * 1e3,
             r["steady_s"] * 1e3, (r["first_call_s"] - r["steady_s"]) * 1e3))


if __name__ == "__main__":
    main()
