"""Every error autograd_st raises.  Each message says what went wrong, where (file:line) and
what to do instead.

Errors found while reading user source subclass :class:`SyntaxError`, so Python prints them
with the user's file, line and a caret under the offending code.
"""
from __future__ import annotations

import linecache
from typing import Any

__all__ = ["AutogradError", "CompileError", "UnsupportedSyntaxError", "NoDerivativeError",
           "RecursionNotSupportedError", "CallArgumentError", "SourceNotFoundError",
           "SourceChangedError", "GradientAPIError", "InputValueError", "GradientCheckError",
           "CheckpointError", "CheckpointMismatchError"]


class AutogradError(Exception):
    """Base class of autograd_st's own errors."""


class CompileError(SyntaxError, AutogradError):
    """The compiler cannot differentiate some code; raised at the user's file:line.

    Python shows it like a SyntaxError: the file, the line, a caret under the construct, and
    the message, which ends with what to write instead.
    """

    def __init__(self, message: str, filename: str | None = None, lineno: int | None = None,
                 col: int | None = None, hint: str | None = None) -> None:
        self.hint = hint
        full = message if not hint else "%s\n  hint: %s" % (message, hint)
        text = linecache.getline(filename, lineno) if filename and lineno else None
        if text == "":
            text = None
        offset = (col or 0) + 1 if text is not None else None
        end_offset = offset if text is not None else None
        super().__init__(full, (filename, lineno, offset, text, lineno, end_offset))

    def __str__(self) -> str:
        where = ""
        if self.filename and self.lineno:
            where = "%s:%s: " % (self.filename, self.lineno)
        out = where + self.msg
        if self.text:
            line = self.text.rstrip("\n")
            stripped = line.lstrip()
            caret_col = max(0, (self.offset or 1) - 1 - (len(line) - len(stripped)))
            out += "\n    %s\n    %s^" % (stripped, " " * caret_col)
        return out


class UnsupportedSyntaxError(CompileError):
    """A Python construct the compiler does not handle (``try``, ``with``, ``lambda`` ...).

    Example::

        def construct(self, x):
            try:                       # refused: try/except inside construct
                ...

    Fix: move the construct out of the differentiated code, or rewrite it with ``if``.
    """


class NoDerivativeError(CompileError):
    """A differentiated value flows through a function that has no derivative rule.

    Example: ``np.cumsum(x)`` on an input being differentiated.  Fix: register a rule with
    ``autograd_st.register_vjp``, or cut the flow with ``ops.stop_gradient``.
    """


class RecursionNotSupportedError(CompileError):
    """A differentiated function calls itself (directly or through other functions).

    Fix: rewrite the recursion as a ``for`` or ``while`` loop.
    """


class CallArgumentError(CompileError, TypeError):
    """Differentiated code calls a helper function, a sub-Cell or a local function with
    arguments that do not bind to its parameters: Python's ``TypeError`` (its message),
    raised at the calling line.

    Example: ``h(1, a=2)`` for ``def h(a, b)`` ("got multiple values for argument 'a'").
    """


class SourceNotFoundError(AutogradError):
    """The source of a function to differentiate cannot be read (defined at Python's
    interactive prompt, or by ``exec`` of a string).

    Fix: define the function in a ``.py`` file, or run its text with
    ``autograd_st.exec_source(text, namespace)`` (or register the text in ``linecache``).
    """


class SourceChangedError(SourceNotFoundError):
    """The source text of a function is not the code that runs: its file was edited after it
    was imported (the text at the function's line is another function now, or compiles to
    other code).

    Fix: reload the module (``importlib.reload``) or restart Python.
    """


class GradientAPIError(ValueError, AutogradError):
    """A gradient API was called with arguments that do not fit (e.g. ``grad_position=None``
    and no ``weights``).  The message names the argument and the accepted values."""


class InputValueError(ValueError, AutogradError):
    """A value passed at run time is outside what an operation accepts (a class label
    outside ``[0, classes)`` for a sparse cross-entropy).  The message names the operation,
    the offending value and its position, and what the operation accepts."""


class CheckpointError(ValueError, AutogradError):
    """A file given to ``load_checkpoint`` is not a whole MindSpore checkpoint: missing,
    empty, truncated, damaged (CRC), or not a checkpoint at all.  It is a ValueError, as
    MindSpore's.  The message names the file and what is wrong; nothing is loaded.
    Fix: point at the right file, or save it again with ``save_checkpoint``."""


class CheckpointMismatchError(RuntimeError, AutogradError):
    """``load_param_into_net`` found a value whose shape or dtype does not fit the network's
    Parameter of that name.  It is a RuntimeError, as MindSpore's.  The message names the
    Parameter and both shapes (or dtypes); no Parameter was changed.
    Fix: load the checkpoint of this network (or build the network it was saved from)."""


class GradientCheckError(AssertionError, AutogradError):
    """A derivative disagrees with finite differences (or has the wrong structure).

    Attributes: ``check`` (which check: order, mode and the function it called),
    ``argument`` (the index of the argument whose direction disagreed, or None),
    ``output`` (the index of the output, or None), ``got`` and ``expected`` (the values
    compared), ``atol`` and ``rtol``.
    """

    def __init__(self, message: str, check: str = "", argument: int | None = None,
                 output: int | None = None, got: Any = None, expected: Any = None,
                 atol: float | None = None, rtol: float | None = None) -> None:
        super().__init__(message)
        self.check, self.argument, self.output = check, argument, output
        self.got, self.expected, self.atol, self.rtol = got, expected, atol, rtol
