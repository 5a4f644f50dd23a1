"""Peak memory of one gradient call, two ways.

* ``tracemalloc``: the peak of what Python and numpy allocated during the call, above what
  was allocated before it (numpy reports its array buffers to tracemalloc).  PyTorch's and
  XLA's allocators do not, so for them this figure is not given.
* resident set size: the peak of the process's RSS during the call (read from
  ``/proc/self/statm`` by a sampling thread) minus the RSS before it.  It sees every
  allocator, BLAS buffers included, but only memory the process did not already hold: a call
  that reuses pages the allocator kept reads as less than it used, so glibc's free memory is
  given back first (``malloc_trim``).  Linux only; None elsewhere.
"""
from __future__ import annotations

import gc
import os
import sys
import threading
import tracemalloc

__all__ = ["peak_tracemalloc", "peak_rss"]

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def peak_tracemalloc(fn) -> int:
    """Bytes: the peak traced allocation during ``fn()`` above the allocation before it (the
    call's result, alive at the end, included).  autograd_st's pool of loop tapes (rows
    arrays kept for the next call, ``autograd_st.runtime_loops``) is emptied first, so that
    the call's tapes are allocated, and counted, inside it."""
    loops = sys.modules.get("autograd_st.runtime_loops")
    if loops is not None:
        loops.clear_pool()
    gc.collect()
    was = tracemalloc.is_tracing()
    if not was:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        out = fn()
        peak = tracemalloc.get_traced_memory()[1]
        del out
    finally:
        if not was:
            tracemalloc.stop()
    return max(0, peak - before)


def _rss() -> int | None:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return None


def _trim():
    """Give the allocator's free memory back to the system (glibc's ``malloc_trim``), so that
    memory reused by the call counts as growth; nothing where there is no glibc."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def peak_rss(fn, interval=1e-4) -> int | None:
    """Bytes: the peak resident set size during ``fn()`` minus the size before it (the
    allocator's free memory given back first)."""
    gc.collect()
    _trim()
    before = _rss()
    if before is None:
        return None
    peak = [before]
    done = threading.Event()

    def sample():
        while not done.is_set():
            r = _rss()
            if r is not None and r > peak[0]:
                peak[0] = r
            done.wait(interval)

    old = sys.getswitchinterval()
    sys.setswitchinterval(interval)  # let the sampler in while the call holds the GIL
    t = threading.Thread(target=sample, daemon=True)
    t.start()
    try:
        out = fn()
        r = _rss()
        if r is not None and r > peak[0]:
            peak[0] = r
        del out
    finally:
        done.set()
        t.join()
        sys.setswitchinterval(old)
    return max(0, peak[0] - before)
