"""timeit-style timing: warm-up, a loop count calibrated so that one repeat lasts long enough
to read, and medians over repeats.  Several callables are timed round-robin (one repeat of
each in turn), so that a slow minute of the machine lands on all of them alike and their
ratios stay honest."""
from __future__ import annotations

import gc
import statistics
import time

__all__ = ["Settings", "measure", "measure_many"]


class Settings:
    def __init__(self, quick=False):
        self.quick = quick
        # one repeat lasts at least this long (the loop count is calibrated to it)
        self.min_repeat_s = 0.002 if quick else 0.02
        self.repeat = 3 if quick else 31
        self.warmup_s = 0.0 if quick else 0.05
        self.warmup_calls = 1 if quick else 3
        # a slow callable gets fewer repeats rather than a very long run
        self.max_total_s = 0.3 if quick else 15.0
        # compile-cost samples (fresh compiles) per measurement
        self.compile_samples = 1 if quick else 7


def _loop(fn, number):
    t0 = time.perf_counter()
    for _ in range(number):
        fn()
    return time.perf_counter() - t0


def _calibrate(fn, settings):
    # warm-up: a few calls, and at least warmup_s of calling
    t0 = time.perf_counter()
    calls = 0
    while calls < settings.warmup_calls or time.perf_counter() - t0 < settings.warmup_s:
        fn()
        calls += 1
    number = 1
    while True:
        t = _loop(fn, number)
        if t >= settings.min_repeat_s:
            return number, t / number
        guess = int(number * settings.min_repeat_s / max(t, 1e-9) * 1.1) + 1
        number = max(number * 2, min(guess, number * 100))


def measure_many(fns: dict, settings: Settings) -> dict:
    """``{name: callable}`` -> ``{name: {"median_s", "min_s", "number", "repeat"}}``."""
    plan, est = {}, {}
    for name, fn in fns.items():
        plan[name], est[name] = _calibrate(fn, settings)
    # fewer repeats when one round would take too long
    repeat = settings.repeat
    round_s = sum(est[n] * plan[n] for n in fns)
    if round_s * repeat > settings.max_total_s:
        repeat = max(3 if settings.quick else 7, int(settings.max_total_s / max(round_s, 1e-9)))
    samples = {name: [] for name in fns}
    gc_was = gc.isenabled()
    try:
        for _ in range(repeat):
            for name, fn in fns.items():
                gc.collect()
                gc.disable()
                try:
                    samples[name].append(_loop(fn, plan[name]) / plan[name])
                finally:
                    if gc_was:
                        gc.enable()
    finally:
        if gc_was:
            gc.enable()
    out = {}
    for name, s in samples.items():
        out[name] = {"median_s": statistics.median(s), "min_s": min(s),
                     "number": plan[name], "repeat": len(s)}
    return out


def measure(fn, settings: Settings) -> dict:
    return measure_many({"f": fn}, settings)["f"]
