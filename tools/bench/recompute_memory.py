"""Peak memory of one gradient call, with and without Cell.recompute() / loop checkpointing.

    PYTHONPATH=. python tools/bench/recompute_memory.py            # W8 and W9 at the issue's sizes
    PYTHONPATH=. python tools/bench/recompute_memory.py --small    # tiny sizes (a check, seconds)

For each workload it builds the plain model and the same model (same weights) with
``recompute()`` switched on, checks that both give the same gradients (bit for bit), and
reports the tracemalloc peak of one gradient call (numpy's arrays are traced; BLAS's own
buffers are not), after a warm-up call that compiles, and the fastest of ``--repeats``
calls timed without tracemalloc (which slows numpy's allocations down):

- **W8**: a pre-norm Transformer encoder layer (``nn.TransformerEncoderLayer``, d_model 256,
  4 heads, MLP 1024, GELU, no dropout), batch 8, sequence 128, with a padding mask; one
  layer, and a stack of 4 (``Cell.recompute()`` on each layer; on a single layer the
  recomputed forward and its backward run back to back, so only a stack shows a gain).
- **W9**: an LSTM, 2 layers, hidden 256 (input 256), 100 steps, batch 32, its time loop in
  ``construct``; ``recompute()`` on the differentiated Cell checkpoints the loop (its state
  every ceil(sqrt(100)) = 10 steps, each segment's tape recomputed in the backward).
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

import numpy as np  # noqa: E402

from autograd_st import Parameter, Tensor, nn, ops  # noqa: E402


class Encoder(nn.Cell):
    """``layers`` pre-norm encoder layers, then the mean of the output as the loss."""

    def __init__(self, layers, d_model, heads, mlp):
        super().__init__()
        self.layers = nn.CellList([nn.TransformerEncoderLayer(
            d_model, heads, mlp, dropout=0.0, activation="gelu", batch_first=True,
            norm_first=True) for _ in range(layers)])

    def construct(self, x, pad):
        for layer in self.layers:
            x = layer(x, src_key_padding_mask=pad)
        return ops.mean(x * x)


class LSTM2(nn.Cell):
    """Two stacked LSTM layers over ``xs`` (steps, batch, hidden), the loop in construct."""

    def __init__(self, hidden, seed=0):
        super().__init__()
        rng = np.random.default_rng(seed)
        s = 1 / np.sqrt(hidden)

        def p(shape, name):
            return Parameter(Tensor(rng.uniform(-s, s, shape).astype(np.float32)), name=name)
        self.w1 = p((2 * hidden, 4 * hidden), "w1")
        self.b1 = p((4 * hidden,), "b1")
        self.w2 = p((2 * hidden, 4 * hidden), "w2")
        self.b2 = p((4 * hidden,), "b2")
        self.hidden = hidden

    def construct(self, xs, h1, c1, h2, c2):
        n = self.hidden
        loss = ops.sum(h2 * 0.0)
        for t in range(xs.shape[0]):
            g = ops.matmul(ops.concat((xs[t], h1), 1), self.w1) + self.b1
            i, f, o = ops.sigmoid(g[:, :n]), ops.sigmoid(g[:, n:2 * n]), ops.sigmoid(
                g[:, 2 * n:3 * n])
            c1 = f * c1 + i * ops.tanh(g[:, 3 * n:])
            h1 = o * ops.tanh(c1)
            g = ops.matmul(ops.concat((h1, h2), 1), self.w2) + self.b2
            i, f, o = ops.sigmoid(g[:, :n]), ops.sigmoid(g[:, n:2 * n]), ops.sigmoid(
                g[:, 2 * n:3 * n])
            c2 = f * c2 + i * ops.tanh(g[:, 3 * n:])
            h2 = o * ops.tanh(c2)
            loss = loss + ops.mean(h2 * h2)
        return loss


def _copy(dst, src):
    for p, q in zip(dst.trainable_params(), src.trainable_params()):
        p.set_data(Tensor(q.asnumpy().copy()))


def _measure(net, args, repeats):
    """(peak bytes of one call under tracemalloc, min time of ``repeats`` calls without it,
    the gradients)."""
    g = ops.grad(net, None, net.trainable_params())
    first = g(*args)  # compiles
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        g(*args)
        times.append(time.perf_counter() - t0)
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    g(*args)
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    gc.collect()
    return peak, min(times), [v.asnumpy() for v in first]


def _row(label, plain, other):
    for a, b in zip(plain[2], other[2]):
        if not np.array_equal(a, b):
            raise SystemExit("%s: the gradients differ (max %g)" % (label, np.abs(a - b).max()))
    print("| %s | %.1f MB | %.1f MB | %.2f | %.0f ms | %.0f ms |"
          % (label, plain[0] / 2**20, other[0] / 2**20, other[0] / plain[0], plain[1] * 1e3,
             other[1] * 1e3))


def w8(layers, small, repeats):
    batch, seq, d, heads, mlp = (2, 8, 16, 4, 32) if small else (8, 128, 256, 4, 1024)
    rng = np.random.default_rng(8)
    x = Tensor(rng.standard_normal((batch, seq, d)).astype(np.float32))
    pad = np.zeros((batch, seq), bool)
    pad[:, seq - seq // 4:] = True  # the last quarter of every sequence is padding
    pad = Tensor(pad)
    plain, net = Encoder(layers, d, heads, mlp), Encoder(layers, d, heads, mlp)
    _copy(net, plain)
    for layer in net.layers:
        layer.recompute()
    _row("W8 encoder, %d layer%s, recompute() per layer" % (layers, "s" if layers > 1 else ""),
         _measure(plain, (x, pad), repeats), _measure(net, (x, pad), repeats))


def w9(small, repeats):
    steps, batch, hidden = (7, 2, 8) if small else (100, 32, 256)
    rng = np.random.default_rng(9)
    xs = Tensor(rng.standard_normal((steps, batch, hidden)).astype(np.float32))
    zero = Tensor(np.zeros((batch, hidden), np.float32))
    plain, net = LSTM2(hidden), LSTM2(hidden)
    net.recompute()
    _row("W9 LSTM 2x%d, %d steps, loop checkpointed" % (hidden, steps),
         _measure(plain, (xs, zero, zero, zero, zero), repeats),
         _measure(net, (xs, zero, zero, zero, zero), repeats))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help="tiny sizes")
    ap.add_argument("--only", default="W8,W9", help="W8, W9 or both")
    ap.add_argument("--repeats", type=int, default=3, help="timed calls (the min is shown)")
    args = ap.parse_args(argv)
    print("| workload | peak, plain | peak, recompute | ratio | time, plain | time, recompute |")
    print("|---|---|---|---|---|---|")
    if "W8" in args.only:
        w8(1, args.small, args.repeats)
        w8(4, args.small, args.repeats)
    if "W9" in args.only:
        w9(args.small, args.repeats)


if __name__ == "__main__":
    main()
