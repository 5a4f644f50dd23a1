"""The code after each pass, for reading: what ``autograd-st dump --stage`` prints.

Takes: nothing, until :func:`capture` is active on this thread; then every pass that runs
in the block hands over its text (a compile found in a cache runs no pass: start from
``clear_caches()`` to see everything).
Gives: per stage, the texts in the order they were made:

- ``parse``: the user's function as the compiler read it (a gast tree printed back);
- ``normalize``: its A-normal form (the IR printed as Python: one primitive per line);
- ``adjoint``: the generated code as the reverse (or forward) pass wrote it, before lowering;
- ``lowered``: the code that is loaded and runs (tapes of shapes, in-place adds, fused
  kernels, dead names freed).

Outside :func:`capture` a pass pays one thread-local attribute read per compile (never per
call of generated code).
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable, Iterator

import gast

from .codegen import ForwardEmitter, function_def, name, to_source
from .ir import leaves

__all__ = ["STAGES", "capture", "capturing", "record", "ir_source"]

STAGES = ("parse", "normalize", "adjoint", "lowered")
_active = threading.local()


@contextmanager
def capture() -> Iterator[dict]:
    """``with capture() as log:`` collects, in ``log[stage]`` (a list of str per stage in
    :data:`STAGES`), the code each pass that runs in the block writes on this thread."""
    previous = getattr(_active, "log", None)
    log: dict = {stage: [] for stage in STAGES}
    _active.log = log
    try:
        yield log
    finally:
        _active.log = previous


def capturing() -> bool:
    """Whether a :func:`capture` is active on this thread (every pass then runs)."""
    return getattr(_active, "log", None) is not None


def record(stage: str, make_text: Callable[[], str]) -> None:
    """Hands ``make_text()`` to the active :func:`capture` (not called when none is)."""
    log = getattr(_active, "log", None)
    if log is not None:
        log[stage].append(make_text())


def _callee_name(stmt) -> str:
    parts = [p for p in stmt.callee.qualname.split(".") if p != "<locals>"]
    return "_".join(parts[-2:]).replace("<", "").replace(">", "") or "fn"


def ir_source(fir) -> str:
    """A FuncIR printed as Python: its positional leaves and inputs as parameters, one
    statement per primitive, calls to other compiled functions by their names."""
    emitter = ForwardEmitter(lambda obj, hint: hint, _callee_name)
    body = emitter.block(fir.body)
    outs = [name(s.var.name) for s in leaves(fir.result)]
    value = outs[0] if len(outs) == 1 else gast.Tuple(elts=outs, ctx=gast.Load())
    params = [s.var.name for s in leaves(fir.args)] + [inp.name for inp in fir.inputs]
    fname = _callee_name(type("_S", (), {"callee": fir})) + "_normalized"
    return to_source(function_def(fname, params, body + [gast.Return(value=value)]))
