"""What generated code may hold: the checks ``exec`` relies on, in one place.

Takes: the parts of a generated tree that come from outside the compiler (identifiers made
from the user's names, constants folded from the user's values, comment text from the user's
source lines and file names), handed over one by one by the two passes that check a whole
generated function: the printer as it prints (:func:`.printer.function_lines` with
``check=True``, the compile's path) and :func:`.load.validate` (a walk, for a tree the
printer does not take and for the callers that do not print).
Gives: the plain value or text to print, or ValueError naming what is refused; and, per
thread, the record of the functions checked so far with their identifiers, which
:func:`.load.load` compares with the code the printed text compiles to.
"""
from __future__ import annotations

import cmath
import keyword
import re
import threading

__all__ = ["bad_identifier", "plain_constant", "one_line", "record_checked",
           "checked_functions", "COMMENT_FN"]

COMMENT_FN = "__comment__"  # codegen's comment marker: Expr(Call(__comment__, [text]))

_LITERAL_TYPES = (bool, int, float, complex, str, bytes, type(None), type(Ellipsis))


def _plain_complex(c) -> complex:
    """A complex subclass's value, read through complex's own descriptors (Python 3.10 has no
    ``complex.__complex__``)."""
    return complex(complex.real.__get__(c), complex.imag.__get__(c))


# the plain value a subclass instance stands for, read without calling the subclass's code
_PLAIN = ((int, int.__int__), (float, float.__float__), (complex, _plain_complex),
          (str, str.__str__), (bytes, lambda b: bytes(memoryview(b))))
_LINE_BREAK = re.compile(r"[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")

_checked = threading.local()  # (name, identifiers) of the functions checked on this thread
_CHECKED_MAX = 64


def bad_identifier(ident) -> bool:
    """``ident`` is not a Python identifier, or is a keyword."""
    return not (isinstance(ident, str) and ident.isidentifier()) or keyword.iskeyword(ident)


def plain_constant(value):
    """``value`` as a plain, finite literal (IntEnum member -> int), or raise ValueError."""
    if type(value) not in _LITERAL_TYPES:
        for base, plain in _PLAIN:
            if isinstance(value, base):
                value = plain(value)
                break
        else:
            raise ValueError("generated code has a constant of type %s, which has no literal "
                             "form" % type(value).__name__)
    if isinstance(value, (float, complex)) and not cmath.isfinite(value):
        raise ValueError("generated code has a non-finite constant %r (codegen writes "
                         "float('nan') for these)" % (value,))
    return value


def one_line(text: str) -> str:
    """Comment text as one printable line (a user line or file name is data, never code)."""
    if text.isprintable():  # (no line break either: every one of them is unprintable)
        return text
    text = _LINE_BREAK.sub(" ", text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def record_checked(name: str, idents) -> None:
    """Record that function ``name``, holding the identifiers ``idents``, was checked on this
    thread (the last :data:`_CHECKED_MAX` are kept)."""
    record = getattr(_checked, "record", None)
    if record is None:
        record = _checked.record = []
    record.append((name, frozenset(idents)))
    del record[:-_CHECKED_MAX]


def checked_functions() -> list:
    """``[(name, identifiers)]`` of the functions checked on this thread, oldest first."""
    return getattr(_checked, "record", None) or []
