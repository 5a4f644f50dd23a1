"""numba for ``ms.jit``: the optional extra, its on-disk cache, and the runs it executes.

Takes: the text of a numba kernel (written by :mod:`autograd_st.compiler.fuse` for one run
of elementwise statements of generated code, one dtype and one kind of each input).
Gives: :func:`available` (numba importable: ``pip install autograd_st[jit]``),
:func:`compile_kernel` (the kernel's text written, named by its content, under
:func:`cache_dir` and imported from there, so numba's ``cache=True`` keeps the machine code
on disk between processes), and :class:`Run`, the object generated code calls in place of
a run of statements: per call it reads the kinds, dtypes and shapes of its inputs, and
either calls the kernel (one native loop over the broadcast shape) or the run's own numpy
code (the fallback, always correct).  Why a run falls back is kept in ``Run.notes`` and
said once with a :class:`JitFallbackWarning`.

numba is imported on first use, never by ``import autograd_st``.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import tempfile
import threading
import time
import warnings
from typing import Any

import numpy as np

__all__ = ["available", "cache_dir", "compile_kernel", "Run", "Unsupported", "JitFallbackWarning"]

_NUMBA: list = [None]  # the numba module, False when it cannot be imported
_LOCK = threading.RLock()
_KERNELS: dict = {}  # kernel text -> numba dispatcher (this process)


class JitFallbackWarning(UserWarning):
    """``ms.jit`` ran a run of generated code with numpy instead of a numba kernel (the
    message says which lines and why); the numbers are the same, only slower."""


class Unsupported(Exception):
    """What a run cannot do in a kernel (the message says why): it runs its numpy code.
    ``warn``: said as a :class:`JitFallbackWarning` (inputs the user can change: dtypes;
    the others, limits of the kernels' shape handling, are listed by ``explain`` only)."""

    def __init__(self, message: str, warn: bool = False) -> None:
        super().__init__(message)
        self.warn = warn


def numba_module() -> Any:
    """``numba``, imported on first use (None when it cannot be imported)."""
    if _NUMBA[0] is None:
        try:
            # optional extra (autograd_st[jit]): loaded on demand, ``import numba`` takes
            # half a second and only ms.jit needs it
            import numba
        except Exception:  # noqa: BLE001 - missing, or broken against this numpy
            _NUMBA[0] = False
        else:
            _NUMBA[0] = numba
    return _NUMBA[0] or None


def available() -> bool:
    """Whether numba can be imported (``ms.jit`` fuses only then)."""
    return numba_module() is not None


def cache_dir() -> str:
    """Where kernel files and numba's cache of their machine code live:
    ``$AUTOGRAD_ST_JIT_CACHE``, else ``$XDG_CACHE_HOME/autograd_st/jit``, else
    ``~/.cache/autograd_st/jit``."""
    path = os.environ.get("AUTOGRAD_ST_JIT_CACHE")
    if not path:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"),
                                                                ".cache")
        path = os.path.join(base, "autograd_st", "jit")
    return path


def _kernel_file(source: str) -> str:
    """The kernel's text in a file named by its content (written once, atomically)."""
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()[:20]
    for folder in (cache_dir(), os.path.join(tempfile.gettempdir(), "autograd_st_jit")):
        path = os.path.join(folder, "k_%s.py" % digest)
        try:
            if not os.path.exists(path):
                os.makedirs(folder, exist_ok=True)
                fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(source)
                os.replace(tmp, path)
            return path
        except OSError:
            continue
    raise Unsupported("no writable folder for kernel files (set AUTOGRAD_ST_JIT_CACHE)",
                      warn=True)


def compile_kernel(source: str, name: str = "kernel"):
    """The numba dispatcher that ``source`` (a module defining ``name`` under
    ``@numba.njit(cache=True)``) defines; loaded once per process, compiled by numba at its
    first call (or read from numba's cache next to the file)."""
    with _LOCK:
        disp = _KERNELS.get(source)
        if disp is not None:
            return disp
        if numba_module() is None:
            raise Unsupported("numba is not installed (pip install autograd_st[jit])",
                              warn=True)
        path = _kernel_file(source)
        modname = "autograd_st_jit_" + os.path.basename(path)[:-3]
        spec = importlib.util.spec_from_file_location(modname, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[modname] = module  # (numba's cache locator reads the module back)
        spec.loader.exec_module(module)
        disp = _KERNELS[source] = getattr(module, name)
        return disp


_SCALARS_ONLY = "no array input (scalars only)"
_TUNE_FROM = 32  # from this many elements a run's kernel is timed against its numpy code
_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))
_BOOL = np.dtype(bool)
_WEAK = (float, int, bool)


class _Plan:
    """How a run is called for one key (the kinds, dtypes and shapes of its inputs)."""

    __slots__ = ("kernel", "convert", "shape", "post", "reason", "extra", "measured")

    def __init__(self, kernel=None, convert=(), shape=(), post=(), reason=None,
                 extra=()) -> None:
        self.kernel = kernel
        self.extra = extra  # per sum over broadcast axes: (index of each element, size)
        self.measured = None  # (kernel, numpy) seconds per call, where both were timed
        self.convert = convert  # per input: 0 flat array, 1 broadcast array, 2 scalar, 3 0-d
        self.shape = shape  # the broadcast shape the kernel loops over
        self.post = post  # per output: None (full shape), "r" (a reduction), or an index
        self.reason = reason


class Run:
    """A run of elementwise statements of generated code, called as one function:
    ``outputs = run(*inputs)``.  ``spec`` (from :mod:`~autograd_st.compiler.fuse`) gives
    ``source(dtype name, input kinds) -> kernel text``, ``shapes(input shapes) -> output
    shapes`` (raising :class:`Unsupported` for what a kernel cannot do), ``reductions``
    (per output: a full reduction, not an elementwise value) and ``where`` (the source
    lines, for notes).  ``fallback``: the run's numpy code as a function."""

    def __init__(self, spec, fallback=None) -> None:
        self.spec = spec
        self.fallback = fallback
        self.plans: dict = {}
        self.notes: list = []  # why this run ran numpy for some inputs (said once each)
        self.kernel_sources: dict = {}  # (dtype, kinds) -> kernel text

    def __call__(self, *args):
        plan = self._lookup(args)
        if plan.kernel is None:
            return self.fallback(*args)
        return self._kernel_call(plan, args)

    def _lookup(self, args) -> "_Plan":
        key = tuple([(a.dtype, a.shape) if type(a) is np.ndarray else
                     ("shape", a) if isinstance(a, tuple) else type(a) for a in args])
        plan = self.plans.get(key)
        if plan is None:
            plan = self._plan(key, args)
        return plan

    @staticmethod
    def _kernel_call(plan, args) -> tuple:
        shape = plan.shape
        ins = []
        for how, a in zip(plan.convert, args):
            if how == 0:
                ins.append(a.reshape(-1))
            elif how == 1:
                ins.append(np.broadcast_to(a, shape).reshape(-1))
            elif how == 3:
                ins.append(a[()])
            elif how == 4:  # a shape kept instead of its array: read for its shape only
                ins.append(0.0)
            else:
                ins.append(a)
        outs = plan.kernel(*ins, *plan.extra)
        res = []
        for o, p in zip(outs, plan.post):
            if p is None:
                res.append(o.reshape(shape))
            elif p == "r":
                res.append(o[0])
            elif p == "0":  # (a value of scalars: a numpy scalar, as numpy gives)
                res.append(o[0])
            elif type(p) is list:  # a sum over broadcast axes (added to an input)
                o = o.reshape(p[0])
                res.append(o if p[1] is None else args[p[1]] + o)
            else:
                res.append(o.reshape(shape)[p])
        return tuple(res)

    # planning (once per key) ----------------------------------------------------------
    def _plan(self, key, args) -> _Plan:
        with _LOCK:
            plan = self.plans.get(key)
            if plan is not None:
                return plan
            warn = True
            try:
                plan = self._make_plan(args)
            except Unsupported as exc:
                plan = _Plan(reason=str(exc))
                warn = exc.warn
            except Exception as exc:  # noqa: BLE001 - numba could not type or compile it
                plan = _Plan(reason="numba could not compile it: %s: %s"
                             % (type(exc).__name__, str(exc).strip().splitlines()[0]
                                if str(exc).strip() else ""))
            if plan.reason is not None:
                self._note(plan.reason, warn)
            if len(self.plans) > 64:
                self.plans.clear()
            self.plans[key] = plan
            return plan

    def _note(self, reason: str, warn: bool) -> None:
        if reason in self.notes:
            return
        self.notes.append(reason)
        if not warn:
            return
        warnings.warn("ms.jit: %s runs its numpy code: %s" % (self.spec.where, reason),
                      JitFallbackWarning, stacklevel=4)

    def _make_plan(self, args) -> _Plan:
        kinds, convert, shapes, dtypes = [], [], [], []
        for a in args:
            if type(a) is np.ndarray and a.ndim:
                if a.dtype not in _FLOATS and a.dtype != _BOOL:
                    raise Unsupported("an input of dtype %s (kernels take float32, float64 "
                                      "and bool)" % a.dtype, warn=a.dtype.kind == "f")
                kinds.append("ab" if a.dtype == _BOOL else "af")
                convert.append(0)
                shapes.append(a.shape)
                if a.dtype != _BOOL:
                    dtypes.append(a.dtype)
            elif isinstance(a, (np.ndarray, np.generic)) or type(a) in _WEAK:
                dt = np.asarray(a).dtype if not type(a) in _WEAK else None
                if dt is not None and dt not in _FLOATS and dt != _BOOL:
                    raise Unsupported("a scalar input of dtype %s" % dt, warn=dt.kind == "f")
                boolean = type(a) is bool or dt == _BOOL
                kinds.append("sb" if boolean else "sf")
                convert.append(3 if type(a) is np.ndarray else 2)
                shapes.append(())
                if dt is not None and not boolean:
                    dtypes.append(dt)  # (numpy scalars and 0-d arrays are not weak)
            elif isinstance(a, tuple) and all(type(n) is int for n in a):
                # a residual kept as its shape (the lowering's shape-only residuals): the
                # run reads it for its shape only (expand_to/unbroadcast's second argument)
                kinds.append("sf")
                convert.append(4)
                shapes.append(tuple(a))
            else:
                raise Unsupported("an input of type %s" % type(a).__name__)
        if "af" not in kinds and "ab" not in kinds:
            raise Unsupported(_SCALARS_ONLY)
        if not dtypes:
            raise Unsupported("no float input (bool only)")
        dtype = np.result_type(*dtypes)
        if dtype not in _FLOATS or any(a.dtype != dtype for a in args
                                       if type(a) is np.ndarray and a.ndim
                                       and a.dtype != _BOOL):
            raise Unsupported("inputs of mixed float dtypes", warn=True)
        try:
            shape = np.broadcast_shapes(*shapes)
        except ValueError:
            raise Unsupported("inputs whose shapes do not broadcast") from None
        convert = [1 if c == 0 and s != shape else c for c, s in zip(convert, shapes)]
        typed = [type(a) not in _WEAK for a in args]  # (numpy scalars carry a dtype)
        out_shapes, red, sums, out_slots = self.spec.shapes(shapes, typed)
        if 0 in shape and () in out_shapes:
            raise Unsupported("empty arrays with a scalar result")
        extra = []
        for like, _ in sums:  # per sum over broadcast axes: where each element adds into
            m = int(np.prod(like, dtype=np.int64))
            extra += [np.broadcast_to(np.arange(m).reshape(like), shape).reshape(-1), m]
        post = []
        for reduced, s, slot in zip(self.spec.reductions, out_shapes, out_slots):
            if slot is not None:
                post.append([sums[slot][0], sums[slot][1]])  # (its shape, input added to)
            elif reduced:
                post.append("r")
            elif s == shape:
                post.append(None)
            elif s == ():
                post.append("0")
            else:
                pad = len(shape) - len(s)
                post.append(tuple([0] * pad + [slice(None) if n != 1 or m == 1 else
                                                slice(0, 1) for n, m in zip(s, shape[pad:])]))
        kinds = tuple(kinds)
        source = self.spec.source(dtype.name, kinds, red, out_slots)
        self.kernel_sources[(dtype.name, kinds, red)] = source
        kernel = compile_kernel(source)
        plan = _Plan(kernel, tuple(convert), shape, tuple(post), extra=tuple(extra))
        self._check(plan, args)
        if int(np.prod(shape, dtype=np.int64)) >= _TUNE_FROM:
            self._tune(plan, args)
        return plan

    def _tune(self, plan, args) -> None:
        """Time the kernel against the run's numpy code on these inputs and keep the
        faster.  A kernel computes each element with scalar calls (``tanhf`` ...), numpy
        with vector loops: past some tens of elements numpy's transcendental functions win,
        while a kernel of arithmetic saves memory traffic."""
        reps = 3 if int(np.prod(plan.shape, dtype=np.int64)) < 100_000 else 1
        best = [float("inf"), float("inf")]
        for _ in range(reps):
            t0 = time.perf_counter()
            self._kernel_call(plan, args)
            t1 = time.perf_counter()
            self.fallback(*args)
            t2 = time.perf_counter()
            best = [min(best[0], t1 - t0), min(best[1], t2 - t1)]
        plan.measured = tuple(best)
        if best[1] < best[0]:
            plan.kernel = None

    def _check(self, plan, args) -> None:
        """The first call through the kernel (numba compiles here, or reads its cache)."""
        ins = []
        for how, a in zip(plan.convert, args):
            ins.append(np.zeros(1, a.dtype) if how in (0, 1) else
                       a[()] if how == 3 else 0.0 if how == 4 else a)
        extra = []
        for k in range(0, len(plan.extra), 2):
            extra += [np.zeros(1, plan.extra[k].dtype), 1]
        plan.kernel(*ins, *extra)
