"""Errors at the user's line: what the API does with an exception on its way out.

Takes: an exception raised while a gradient function compiled or ran.
Gives: the same exception, told where it belongs:

- raised inside generated code (a shape mismatch in ``np.matmul``), it gets a note naming the
  user's file:line and source line whose code raised it, read from the comment that ties
  each generated block to its source line (``# w = z @ y  (model.py:5)``);  Python 3.11+
  prints notes (``add_note``); on 3.10 the note is put in a chained exception of the same
  type, raised ``from`` the original;
- an error of the compiler itself (a :class:`~autograd_st.errors.AutogradError`: refused
  code, a missing rule) loses the compiler's frames, so the traceback ends at the user's
  call and the message (file:line, caret, hint) is what is left to read.  JAX filters its
  tracebacks the same way; ``AUTOGRAD_ST_TRACEBACK_FILTERING=off`` keeps every frame.

Nothing here runs on a call that does not raise.
"""
from __future__ import annotations

import linecache
import os
import re
import sys

from .. import compiler  # codegen (and gast) load on the first compile
from ..errors import AutogradError

__all__ = ["located", "user_location"]

_GENERATED = "<autograd_st "
_WHERE = re.compile(r"^\s*# (?:grad of: )?(.*?)\s*\(([^()]+):(\d+)\)\s*$")
_NOTED = "__autograd_st_noted__"


def _filtering() -> bool:
    return os.environ.get("AUTOGRAD_ST_TRACEBACK_FILTERING", "on").lower() not in (
        "off", "0", "false", "no")


def user_location(filename: str, lineno: int):
    """``(path, line, source text)`` of the user's line the generated line ``lineno`` of
    ``filename`` was made from (the nearest tying comment above it), or None."""
    lines = linecache.getlines(filename)
    for i in range(min(lineno, len(lines)) - 1, -1, -1):
        m = _WHERE.match(lines[i])
        if m:
            text, base, line = m.group(1), m.group(2), int(m.group(3))
            paths = compiler.source_files(base)
            path = next(iter(paths)) if len(paths) == 1 else base
            return path, line, text
    return None


def _generated_frames(tb):
    """``(filename, lineno)`` of each generated-code frame of a traceback, innermost last."""
    out = []
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.startswith(_GENERATED):
            out.append((code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    return out


def _note(exc) -> str | None:
    frames = _generated_frames(exc.__traceback__)
    if not frames:
        return None
    filename, lineno = frames[-1]
    where = user_location(filename, lineno)
    generated = linecache.getline(filename, lineno).strip()
    head = "raised by generated code %s, line %d: %s" % (filename, lineno, generated)
    if where is None:
        return head
    path, line, text = where
    return "%s\n  for your code at %s:%d: %s" % (head, path, line, text)


def located(exc: BaseException) -> BaseException:
    """The exception to raise in place of ``exc`` (see the module docstring): ``exc``
    itself, with a note or with the compiler's frames dropped, or on Python 3.10 a chained
    copy carrying the note."""
    if isinstance(exc, AutogradError):
        return exc.with_traceback(None) if _filtering() else exc
    if not isinstance(exc, Exception) or getattr(exc, _NOTED, False):
        return exc
    note = _note(exc)
    if note is None:
        return exc
    try:
        setattr(exc, _NOTED, True)
    except AttributeError:  # an exception type with __slots__: left as it is
        return exc
    if sys.version_info >= (3, 11):
        exc.add_note(note)
        return exc
    try:  # Python 3.10 prints no notes: the same type, message + note, from the original
        chained = type(exc)("%s\n%s" % (exc, note))
    except Exception:  # noqa: BLE001 - a constructor taking other arguments: left as it is
        return exc
    setattr(chained, _NOTED, True)
    chained.__cause__ = exc
    return chained
