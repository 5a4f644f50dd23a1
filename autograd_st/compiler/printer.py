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

__all__ = ["Unprintable", "function_lines"]

_COMMENT_FN = "__comment__"


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


def expr(node, pp: int = _HIGHEST) -> str:
    """``node`` printed where its parent gave it precedence ``pp`` (astor's ``_pp``; a
    parent that sets none leaves astor's default, the highest)."""
    cls = node.__class__
    if cls is gast.Name:
        return node.id
    if cls is gast.Constant:
        value = node.value
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
        return expr(node.value) + "." + node.attr
    if cls is gast.Call:
        args, keywords = node.args, node.keywords
        p = _COMMA if len(args) + len(keywords) > 1 else _ONE_ARG
        parts = [expr(a, p) for a in args]
        for k in keywords:
            value = expr(k.value, _COMMA)
            parts.append(k.arg + "=" + value if k.arg else "**" + value)
        return expr(node.func) + "(" + ", ".join(parts) + ")"
    if cls is gast.BinOp:
        op = node.op
        p = _PREC[op.__class__]
        if op.__class__ is gast.Pow:
            text = expr(node.left, _POW_LEFT) + " ** " + expr(node.right, _POW_RIGHT)
        else:
            text = expr(node.left, p) + " " + _SYM[op.__class__] + " " + expr(node.right, p + 1)
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
        text = (" " + _SYM[node.op.__class__] + " ").join([expr(v, p + 1) for v in node.values])
        return "(" + text + ")" if p < pp else text
    if cls is gast.List:
        return "[" + ", ".join([expr(e, _COMMA) for e in node.elts]) + "]"
    if cls is gast.Dict:
        return "{" + ", ".join([(expr(k) + ": " if k is not None else "**") + expr(v, _COMMA)
                                for k, v in zip(node.keys, node.values)]) + "}"
    if cls is gast.IfExp:
        text = expr(node.body, _IFEXP + 1) + " if " + expr(node.test, _IFEXP + 1) \
            + " else " + expr(node.orelse, _IFEXP)
        return "(" + text + ")" if _IFEXP < pp else text
    if cls is gast.Starred:
        return "*" + expr(node.value)
    raise Unprintable(cls.__name__)


def _is_comment(stmt) -> bool:
    value = stmt.value
    return value.__class__ is gast.Call and value.func.__class__ is gast.Name \
        and value.func.id == _COMMENT_FN and len(value.args) == 1 and not value.keywords \
        and value.args[0].__class__ is gast.Constant and isinstance(value.args[0].value, str)


def _simple(stmt):
    """``(text, comment)`` of a simple statement (see :func:`function_lines`), or None for a
    compound one."""
    cls = stmt.__class__
    if cls is gast.Assign:
        p = _PREC[gast.Assign]
        targets = stmt.targets
        if len(targets) == 1:
            return expr(targets[0], p) + " = " + expr(stmt.value, p), None
        return "".join([expr(t, p) + " = " for t in targets]) + expr(stmt.value, p), None
    if cls is gast.Expr:
        if _is_comment(stmt):
            return None, stmt.value.args[0].value
        if stmt.value.__class__ is gast.Constant and isinstance(stmt.value.value, str):
            raise Unprintable("a string statement (astor may triple-quote it)")
        return expr(stmt.value, _PREC[gast.Expr]), None
    if cls is gast.Return:
        return ("return" if stmt.value is None
                else "return " + expr(stmt.value, _PREC[gast.Return])), None
    if cls is gast.Delete:
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


def _block(body, depth: int, out: list, memo: dict) -> None:
    """``body``'s lines at ``depth`` into ``out``; ``memo``: the simple statements printed
    so far, by id (a statement in the function twice, as the in-place branch shares those
    it does not rewrite with the plain body, is printed once)."""
    indent = _INDENT * depth
    for stmt in body:
        line = memo.get(id(stmt))
        if line is None:
            line = _simple(stmt)
            if line is not None:
                memo[id(stmt)] = line
        if line is not None:
            out.append((indent, line[0], line[1]))
            continue
        cls = stmt.__class__
        if cls is gast.If:
            out.append((indent, "if " + expr(stmt.test, _PREC[gast.If]) + ":", None))
            _block(stmt.body, depth + 1, out, memo)
            while True:
                orelse = stmt.orelse
                if len(orelse) == 1 and orelse[0].__class__ is gast.If:
                    stmt = orelse[0]
                    out.append((indent, "elif " + expr(stmt.test, _PREC[gast.If]) + ":", None))
                    _block(stmt.body, depth + 1, out, memo)
                    continue
                if orelse:
                    out.append((indent, "else:", None))
                    _block(orelse, depth + 1, out, memo)
                break
        elif cls is gast.For:
            out.append((indent, "for " + expr(stmt.target, _PREC[gast.For]) + " in "
                        + expr(stmt.iter) + ":", None))
            _block(stmt.body, depth + 1, out, memo)
            if stmt.orelse:
                out.append((indent, "else:", None))
                _block(stmt.orelse, depth + 1, out, memo)
        elif cls is gast.While:
            out.append((indent, "while " + expr(stmt.test, _PREC[gast.While]) + ":", None))
            _block(stmt.body, depth + 1, out, memo)
            if stmt.orelse:
                out.append((indent, "else:", None))
                _block(stmt.orelse, depth + 1, out, memo)
        else:
            raise Unprintable(cls.__name__)


def function_lines(fdef) -> list:
    """``fdef``'s lines as ``(indent, text, comment)`` (see the module docstring)."""
    a = fdef.args
    if fdef.decorator_list or fdef.returns is not None or a.posonlyargs or a.vararg \
            or a.kwonlyargs or a.kwarg or a.defaults or a.kw_defaults \
            or any(p.__class__ is not gast.Name or p.annotation is not None for p in a.args):
        raise Unprintable("a function header codegen does not write")
    out = [("", "def %s(%s):" % (fdef.name, ", ".join([p.id for p in a.args])), None)]
    _block(fdef.body, 1, out, {})
    return out

