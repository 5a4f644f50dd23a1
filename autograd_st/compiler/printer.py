"""Printing generated functions: gast -> the text astor prints, without astor.

Takes: one generated ``gast.FunctionDef`` (what :mod:`.codegen` and the passes after it build).
Gives: its lines as ``(indent, text, comment)``: ``comment`` is the text of a comment marker
(``codegen.comment``), and ``text`` the statement otherwise, character for character what
``astor.to_source`` prints for the same tree (its spacing, its parentheses from operator
precedence, its number and string literals).  Anything outside the subset generated code
uses (a string literal with a line break, a decorator, a parameter default, a node kind
it does not know ...) raises :class:`Unprintable`, and the caller prints with astor.

Why: astor (through ``gast.gast_to_ast``) was a quarter of the compile time of a long
function; this is one recursive pass over the tree with no node conversion.
``tests/test_compile_time.py`` checks the two agree on the code the tests generate.
"""
from __future__ import annotations

import math

import gast
from astor.op_util import Precedence, precedence_data, symbol_data

from .safety import COMMENT_FN, bad_identifier, one_line, plain_constant, record_checked

__all__ = ["Unprintable", "function_lines", "checked_lines"]

_BINDING = (gast.Store, gast.Param)


class Unprintable(Exception):
    """A tree (or a part of one) this printer does not print as astor would."""


def _by_gast(table: dict) -> dict:
    """astor's table (keyed by ast classes) keyed by the gast classes of the same names."""
    out = {}
    for cls, value in table.items():
        g = getattr(gast, getattr(cls, "__name__", ""), None)
        if g is not None:
            out[g] = value
    return out


_PREC = _by_gast(precedence_data)
_SYM = _by_gast(symbol_data)
_HIGHEST = Precedence.highest
_COMMA = Precedence.Comma
_ONE_ARG = Precedence.call_one_arg
_POW_LEFT = Precedence.Pow + 1
_POW_RIGHT = Precedence.PowRHS
_CONST = _PREC[gast.Constant]
_TUPLE = _PREC[gast.Tuple]
_SUBSCRIPT = _PREC[gast.Subscript]
_SLICE = _PREC[gast.Slice]
_IFEXP = _PREC[gast.IfExp]
_INDENT = "    "


def _number(x) -> str:
    """astor's ``_handle_numeric_constant``."""
    def part(p, imaginary):
        s = "j" if imaginary else ""
        try:
            if math.isinf(p):
                return ("-1e1000" if p < 0 else "1e1000") + s
            if math.isnan(p):
                return "(1e1000%s-1e1000%s)" % (s, s)
        except OverflowError:
            pass
        return repr(p) + s
    if isinstance(x, complex):
        real, imag = part(x.real, False), part(x.imag, True)
        if x.real == 0:
            return imag
        if x.imag == 0:
            return "(%s+0j)" % real
        return "(%s%s%s)" % (real, ["+", ""][imag.startswith("-")], imag)
    return part(x, False)


class _Printer:
    """One function's printing.  With ``check``, it also does what :func:`.load.validate`
    does, on the nodes as it prints them (so what is checked is what is printed): every
    identifier (a name, attribute, keyword, parameter or the function's own name) is a
    Python identifier and not a keyword, every constant a plain finite literal (a subclass's
    value replaced by the plain one, in the tree too), a ``del`` deletes names only, a comment
    marker is well formed and its text one printable line; it gathers the identifiers and
    the names read and never bound (the function's globals).  A node kind the printer does
    not take is Unprintable either way, which covers every kind validate refuses."""

    __slots__ = ("check", "idents", "loads", "bound", "memo")

    def __init__(self, check: bool) -> None:
        self.check = check
        self.idents: set = set()
        self.loads: set = set()
        self.bound: set = set()
        self.memo: dict = {}  # the simple statements printed so far, by id

    def ident(self, ident) -> None:
        if ident not in self.idents:  # (each identifier checked once)
            if bad_identifier(ident):
                raise ValueError("generated code has an invalid identifier %r" % (ident,))
            self.idents.add(ident)

    def expr(self, node, pp: int = _HIGHEST) -> str:
        """``node`` printed where its parent gave it precedence ``pp`` (astor's ``_pp``; a
        parent that sets none leaves astor's default, the highest)."""
        cls = node.__class__
        expr = self.expr
        if cls is gast.Name:
            ident = node.id
            if self.check:
                (self.bound if node.ctx.__class__ in _BINDING else self.loads).add(ident)
                if ident not in self.idents:
                    self.ident(ident)
            return ident
        if cls is gast.Constant:
            value = node.value
            if self.check:
                node.value = value = plain_constant(value)
            if isinstance(value, (int, float, complex)):  # (bool too, as astor has it)
                text = _number(value)
                return "(" + text + ")" if _CONST < pp else text
            if isinstance(value, str):
                if "\n" in value or getattr(node, "kind", None):
                    raise Unprintable("a string astor may print on several lines")
                return repr(value)
            if value is Ellipsis:
                return "..."
            return repr(value)
        if cls is gast.Attribute:
            if self.check:
                self.ident(node.attr)
            return expr(node.value) + "." + node.attr
        if cls is gast.Call:
            args, keywords = node.args, node.keywords
            p = _COMMA if len(args) + len(keywords) > 1 else _ONE_ARG
            parts = [expr(a, p) for a in args]
            for k in keywords:
                value = expr(k.value, _COMMA)
                if k.arg:
                    if self.check:
                        self.ident(k.arg)
                    parts.append(k.arg + "=" + value)
                else:
                    parts.append("**" + value)
            return expr(node.func) + "(" + ", ".join(parts) + ")"
        if cls is gast.BinOp:
            op = node.op
            p = _PREC[op.__class__]
            if op.__class__ is gast.Pow:
                text = expr(node.left, _POW_LEFT) + " ** " + expr(node.right, _POW_RIGHT)
            else:
                text = expr(node.left, p) + " " + _SYM[op.__class__] + " " \
                    + expr(node.right, p + 1)
            return "(" + text + ")" if p < pp else text
        if cls is gast.Tuple:
            elts = node.elts
            text = ", ".join([expr(e, _COMMA) for e in elts]) + ("," if len(elts) == 1 else "")
            return "(" + text + ")" if (_TUPLE < pp or not elts) else text
        if cls is gast.Subscript:
            return expr(node.value) + "[" + expr(node.slice, _SUBSCRIPT) + "]"
        if cls is gast.Slice:
            text = (expr(node.lower, _SLICE) if node.lower is not None else "") + ":"
            if node.upper is not None:
                text += expr(node.upper, _SLICE)
            if node.step is not None:
                text += ":"
                if not (node.step.__class__ is gast.Name and node.step.id == "None"):
                    text += expr(node.step, _SLICE)
            return text
        if cls is gast.UnaryOp:
            p = _PREC[node.op.__class__]
            sym = _SYM[node.op.__class__]
            text = sym + (" " if sym.isalpha() else "") + expr(node.operand, p)
            return "(" + text + ")" if p < pp else text
        if cls is gast.Compare:
            p = _PREC[node.ops[0].__class__]
            text = expr(node.left, p + 1) + "".join(
                " " + _SYM[op.__class__] + " " + expr(right, p + 1)
                for op, right in zip(node.ops, node.comparators))
            return "(" + text + ")" if p < pp else text
        if cls is gast.BoolOp:
            p = _PREC[node.op.__class__]
            text = (" " + _SYM[node.op.__class__] + " ").join(
                [expr(v, p + 1) for v in node.values])
            return "(" + text + ")" if p < pp else text
        if cls is gast.List:
            return "[" + ", ".join([expr(e, _COMMA) for e in node.elts]) + "]"
        if cls is gast.Dict:
            return "{" + ", ".join([(expr(k) + ": " if k is not None else "**")
                                    + expr(v, _COMMA)
                                    for k, v in zip(node.keys, node.values)]) + "}"
        if cls is gast.IfExp:
            text = expr(node.body, _IFEXP + 1) + " if " + expr(node.test, _IFEXP + 1) \
                + " else " + expr(node.orelse, _IFEXP)
            return "(" + text + ")" if _IFEXP < pp else text
        if cls is gast.Starred:
            return "*" + expr(node.value)
        raise Unprintable(cls.__name__)

    def comment(self, stmt):
        """A comment marker's text, or None for an expression statement that is not one (a
        marker that is not well formed: ValueError when checking)."""
        value = stmt.value
        if value.__class__ is gast.Call and value.func.__class__ is gast.Name \
                and value.func.id == COMMENT_FN:
            if len(value.args) == 1 and not value.keywords \
                    and value.args[0].__class__ is gast.Constant \
                    and isinstance(value.args[0].value, str):
                if self.check:
                    arg = value.args[0]
                    arg.value = one_line(str.__str__(arg.value))
                    if getattr(value.func, "annotation", None) is not None or \
                            getattr(arg, "kind", None) is not None:
                        raise Unprintable("a comment marker with more than its text")
                return value.args[0].value
            if self.check:
                raise ValueError("malformed comment marker in generated code")
        return None

    def simple(self, stmt):
        """``(text, comment)`` of a simple statement (see :func:`function_lines`), or None
        for a compound one."""
        cls = stmt.__class__
        expr = self.expr
        if cls is gast.Assign:
            p = _PREC[gast.Assign]
            targets = stmt.targets
            if len(targets) == 1:
                return expr(targets[0], p) + " = " + expr(stmt.value, p), None
            return "".join([expr(t, p) + " = " for t in targets]) + expr(stmt.value, p), None
        if cls is gast.Expr:
            note = self.comment(stmt)
            if note is not None:
                return None, note
            if stmt.value.__class__ is gast.Constant and isinstance(stmt.value.value, str):
                raise Unprintable("a string statement (astor may triple-quote it)")
            return expr(stmt.value, _PREC[gast.Expr]), None
        if cls is gast.Return:
            return ("return" if stmt.value is None
                    else "return " + expr(stmt.value, _PREC[gast.Return])), None
        if cls is gast.Delete:
            if self.check and not all(t.__class__ is gast.Name for t in stmt.targets):
                # the lowering frees dead values with ``del name``; nothing else is deleted
                raise ValueError("generated code deletes something other than a local name, "
                                 "which the compiler never generates")
            return "del " + ", ".join([expr(t, _COMMA) for t in stmt.targets]), None
        if cls is gast.AugAssign:
            p = _PREC[gast.AugAssign]
            return expr(stmt.target, p) + " " + _SYM[stmt.op.__class__] + "= " \
                + expr(stmt.value, p), None
        if cls is gast.Pass:
            return "pass", None
        if cls is gast.Break:
            return "break", None
        if cls is gast.Continue:
            return "continue", None
        return None

    def block(self, body, depth: int, out: list) -> None:
        """``body``'s lines at ``depth`` into ``out`` (a statement in the function twice, as
        the in-place branch shares those it does not rewrite with the plain body, is printed
        and checked once)."""
        indent = _INDENT * depth
        memo, expr, block = self.memo, self.expr, self.block
        for stmt in body:
            line = memo.get(id(stmt))
            if line is None:
                line = self.simple(stmt)
                if line is not None:
                    memo[id(stmt)] = line
            if line is not None:
                out.append((indent, line[0], line[1]))
                continue
            cls = stmt.__class__
            if cls is gast.If:
                out.append((indent, "if " + expr(stmt.test, _PREC[gast.If]) + ":", None))
                block(stmt.body, depth + 1, out)
                while True:
                    orelse = stmt.orelse
                    if len(orelse) == 1 and orelse[0].__class__ is gast.If:
                        stmt = orelse[0]
                        out.append((indent, "elif " + expr(stmt.test, _PREC[gast.If]) + ":",
                                    None))
                        block(stmt.body, depth + 1, out)
                        continue
                    if orelse:
                        out.append((indent, "else:", None))
                        block(orelse, depth + 1, out)
                    break
            elif cls is gast.For:
                out.append((indent, "for " + expr(stmt.target, _PREC[gast.For]) + " in "
                            + expr(stmt.iter) + ":", None))
                block(stmt.body, depth + 1, out)
                if stmt.orelse:
                    out.append((indent, "else:", None))
                    block(stmt.orelse, depth + 1, out)
            elif cls is gast.While:
                out.append((indent, "while " + expr(stmt.test, _PREC[gast.While]) + ":", None))
                block(stmt.body, depth + 1, out)
                if stmt.orelse:
                    out.append((indent, "else:", None))
                    block(stmt.orelse, depth + 1, out)
            else:
                raise Unprintable(cls.__name__)

    def function(self, fdef) -> list:
        a = fdef.args
        if fdef.__class__ is not gast.FunctionDef or fdef.decorator_list \
                or fdef.returns is not None or a.posonlyargs or a.vararg or a.kwonlyargs \
                or a.kwarg or a.defaults or a.kw_defaults \
                or any(p.__class__ is not gast.Name or p.annotation is not None
                       for p in a.args):
            raise Unprintable("a function header codegen does not write")
        params = [self.expr(p) for p in a.args]
        if self.check:
            self.ident(fdef.name)
        out = [("", "def %s(%s):" % (fdef.name, ", ".join(params)), None)]
        self.block(fdef.body, 1, out)
        return out


def function_lines(fdef) -> list:
    """``fdef``'s lines as ``(indent, text, comment)`` (see the module docstring)."""
    return _Printer(False).function(fdef)


def checked_lines(fdef) -> tuple:
    """``(lines, globals)``: :func:`function_lines` of a generated function, checked as
    :func:`.load.validate` checks it (ValueError naming what is refused) and recorded as
    checked on this thread; ``globals`` the names it reads and never binds."""
    printer = _Printer(True)
    lines = printer.function(fdef)
    record_checked(fdef.name, printer.idents)
    return lines, frozenset(printer.loads - printer.bound)
