"""Parse: a Python function (or a Cell's ``construct``) -> its gast ``FunctionDef`` with
absolute line numbers, the file it came from, and where its free names resolve.

Takes: a function, bound method, or lambda object.
Gives: a :class:`Source` (``node``, ``filename``, ``globals``, ``closure``, ``self_obj``).
Raises: ``SourceNotFoundError`` when the source cannot be read.
"""
from __future__ import annotations

import ast
import builtins
import inspect
import linecache
import textwrap
import types
from dataclasses import dataclass, field

import gast

from ..errors import SourceNotFoundError

__all__ = ["Source", "parse_function"]


@dataclass
class Source:
    node: gast.FunctionDef
    filename: str
    func: types.FunctionType
    globals: dict
    closure: "_LiveClosure"
    self_obj: object = None
    qualname: str = ""
    bound_args: dict = field(default_factory=dict)

    def lookup(self, name: str):
        """The object a free name denotes now: closure, then globals, then builtins."""
        if name in self.closure:
            return True, self.closure[name]
        if name in self.globals:
            return True, self.globals[name]
        if hasattr(builtins, name):
            return True, getattr(builtins, name)
        return False, None


_PARSE_CACHE: dict = {}
_PARSE_CACHE_SIZE = 2048


class _LiveClosure:
    """A function's closure cells by name, read when asked (not a snapshot): a guard on a
    closure variable sees it rebound (``nonlocal``) after the code was compiled."""

    __slots__ = ("_cells",)

    def __init__(self, func) -> None:
        self._cells = dict(zip(func.__code__.co_freevars, func.__closure__ or ()))

    def get(self, name, default=None):
        cell = self._cells.get(name)
        if cell is None:
            return default
        try:
            return cell.cell_contents
        except ValueError:  # empty cell: not yet assigned
            return default

    def __contains__(self, name) -> bool:
        return self.get(name, _EMPTY) is not _EMPTY

    def __getitem__(self, name):
        value = self.get(name, _EMPTY)
        if value is _EMPTY:
            raise KeyError(name)
        return value

    def __iter__(self):
        return (name for name in self._cells if name in self)


_EMPTY = object()


def _closure_of(func) -> _LiveClosure:
    return _LiveClosure(func)


def parse_function(fn) -> Source:
    self_obj = None
    if isinstance(fn, types.MethodType):
        self_obj = fn.__self__
        fn = fn.__func__
    if not isinstance(fn, types.FunctionType):
        raise TypeError("cannot differentiate %r: expected a function, a Cell or a method"
                        % (fn,))
    code = fn.__code__
    filename = code.co_filename
    key = (code, filename)
    cached = _PARSE_CACHE.get(key)
    if cached is None:
        cached = _parse_code(fn, code, filename)
        _PARSE_CACHE[key] = cached
        while len(_PARSE_CACHE) > _PARSE_CACHE_SIZE:  # oldest first out
            _PARSE_CACHE.pop(next(iter(_PARSE_CACHE)), None)
    return Source(cached, filename, fn, fn.__globals__, _closure_of(fn), self_obj,
                  fn.__qualname__)


def _parse_code(fn, code, filename) -> gast.FunctionDef:
    linecache.checkcache(filename)  # an edited file must not be read from a stale cache
    lines = linecache.getlines(filename, fn.__globals__)
    if not lines:
        raise SourceNotFoundError(
            "cannot read the source of %s (defined in %s): autograd_st compiles functions from "
            "their source. Define it in a .py file." % (fn.__qualname__, filename))
    first = code.co_firstlineno
    if code.co_name == "<lambda>":
        return _parse_lambda(fn, code, lines, filename)
    block = inspect.getblock(lines[first - 1:])
    src = textwrap.dedent("".join(block))
    tree = ast.parse(src)
    ast.increment_lineno(tree, first - 1)
    node = tree.body[0]
    while isinstance(node, ast.ClassDef):  # not expected, but be explicit
        node = node.body[0]
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        raise SourceNotFoundError("cannot find the definition of %s at %s:%d"
                                  % (fn.__qualname__, filename, first))
    node.decorator_list = []
    indent = len(block[0]) - len(block[0].lstrip())
    _shift_cols(node, indent)
    return gast.ast_to_gast(node)


def _shift_cols(node, indent):
    if not indent:
        return
    for sub in ast.walk(node):
        if hasattr(sub, "col_offset"):
            sub.col_offset += indent
            if getattr(sub, "end_col_offset", None) is not None:
                sub.end_col_offset += indent


def _parse_lambda(fn, code, lines, filename) -> gast.FunctionDef:
    """A lambda becomes ``def <lambda>(args): return body`` (found by line and column)."""
    first = code.co_firstlineno
    col = None
    for pos in getattr(code, "co_positions", lambda: ())():  # Python 3.11+
        if pos[0] == first and pos[2] is not None:
            col = pos[2] if col is None else min(col, pos[2])
    src = "".join(lines)
    tree = ast.parse(src)
    best = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Lambda) and node.lineno == first:
            argnames = [a.arg for a in node.args.args]
            if argnames != list(code.co_varnames[:code.co_argcount]):
                continue
            if best is None or (col is not None and node.body.col_offset <= col
                                and node.body.col_offset >= best.body.col_offset):
                best = node
    if best is None:
        raise SourceNotFoundError("cannot find the lambda defined at %s:%d" % (filename, first))
    ret = ast.Return(value=best.body, lineno=best.lineno, col_offset=best.col_offset)
    fdef = ast.FunctionDef(name="<lambda>", args=best.args, body=[ret], decorator_list=[],
                           returns=None, type_comment=None, type_params=[],
                           lineno=best.lineno, col_offset=best.col_offset)
    return gast.ast_to_gast(fdef)
