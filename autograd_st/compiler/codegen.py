"""Codegen: IR and rule templates -> gast statements -> Python source text.

Takes: IR statements (forward) and the gast statements the reverse pass built (backward).
Gives: source text printed by astor, with a comment before each block tying it to the user's
source line, and the set of global names the code reads (resolved to objects by the loader).

Templates are the bodies of primitives and rules in :mod:`autograd_st.rules`: their
parameter names are replaced by the atoms of a call site; a keyword argument ``k=param`` whose
parameter the user did not write is left out, so ``np.sum(x)`` stays ``np.sum(x)``.
:func:`substitute` also tags (:mod:`.anno`) the calls the final lowering rewrites: a template's
call of ``runtime.unbroadcast`` and of the kernels of ``kernels.LOWERED_KERNELS``, recognised
by the object the template's name denotes (``rules.template_globals``), so that a user's
function of the same name, which never comes from a template, is never taken for one.
"""
from __future__ import annotations

import ast
import linecache
import os
import re
import warnings

import gast
import numpy as np

with warnings.catch_warnings():
    # astor 0.8.1 reads ``ast.Num`` when it is imported (astor/op_util.py), which Python 3.12+
    # deprecates: astor's warning, not the user's code's, kept out of ``python -W error``
    warnings.filterwarnings("ignore", message=r"ast\.Num is deprecated",
                            category=DeprecationWarning)
    import astor

from .. import dtype as mstype
from .. import rules, runtime
from ..kernels import LOWERED_KERNELS
from .anno import tag
from .ir import Call, Comment, Const, For, If, Opaque, Prim, Var, While
from .markers import kernel_primitive
from .printer import Unprintable, function_lines
from .trees import to_ast, walk

__all__ = ["expr_of", "name", "make_node", "substitute", "to_source", "lines_text", "comment",
           "is_comment", "source_files", "walk", "to_ast"]

_COMMENT_FN = "__comment__"
_AST = gast.AST


def name(identifier: str, store: bool = False) -> gast.Name:
    # gast.Name(id=..., ctx=..., annotation=None, type_comment=None), made without gast's
    # generic constructor (the most made node: every operand of every statement); its
    # context is one node shared by every name (it holds nothing: passes read its class)
    node = _new(_NAME)
    node.__dict__.update(id=identifier, ctx=STORE_CTX if store else LOAD_CTX,
                         annotation=None, type_comment=None)
    return node


_new = gast.AST.__new__
_NAME, _LOAD, _STORE = gast.Name, gast.Load, gast.Store
LOAD_CTX, STORE_CTX = gast.Load(), gast.Store()  # (shared: see name)


def make_node(cls, **fields):
    """``cls(**fields)`` (a gast node with these fields), made without gast's generic
    constructor, a Python frame per node (the passes make tens of thousands)."""
    made = _new(cls)
    made.__dict__.update(fields)
    return made


def const(value) -> gast.Constant:
    made = _new(gast.Constant)
    made.__dict__.update(value=value, kind=None)
    return made


def comment(text: str) -> gast.stmt:
    return make_node(gast.Expr, value=make_node(gast.Call, func=name(_COMMENT_FN),
                                                args=[const(text)], keywords=[]))


def names_read(nodes) -> list:
    """The names ``nodes`` (statements or expressions) read, each once, in order."""
    return list(dict.fromkeys(n.id for node in nodes for n in walk(node)
                              if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)))


def names_written(nodes) -> list:
    """The names ``nodes`` assign (loop targets included), each once, in order."""
    return list(dict.fromkeys(n.id for node in nodes for n in walk(node)
                              if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)))


def is_comment(stmt) -> bool:
    """``stmt`` is a comment made by :func:`comment` (its marker is never a user's name)."""
    return isinstance(stmt, gast.Expr) and isinstance(stmt.value, gast.Call) \
        and isinstance(stmt.value.func, gast.Name) and stmt.value.func.id == _COMMENT_FN


def expr_of(atom, const_namer=None):
    """A gast expression for an IR atom (or a structure of atoms)."""
    if isinstance(atom, Var):
        return name(atom.name)
    if isinstance(atom, tuple):
        return gast.Tuple(elts=[expr_of(a, const_namer) for a in atom], ctx=gast.Load())
    if isinstance(atom, slice):
        return _slice_call([_opt(atom.start, const_namer), _opt(atom.stop, const_namer),
                            _opt(atom.step, const_namer)])
    if isinstance(atom, Const):
        return literal(atom.value, const_namer)
    return literal(atom, const_namer)


def _slice_call(parts):
    """``slice(a, b, c)``: valid anywhere; codegen prints ``x[a:b:c]`` inside subscripts."""
    args = [p if p is not None else const(None) for p in parts]
    # slice(a) means slice(None, a): never drop below two arguments
    while len(args) > 2 and isinstance(args[-1], gast.Constant) and args[-1].value is None:
        args.pop()
    return gast.Call(func=name("slice"), args=args, keywords=[])


def _as_subscript_index(node):
    """slice(...) calls inside an index become ``a:b:c`` (what a person writes)."""
    if isinstance(node, gast.Call) and isinstance(node.func, gast.Name) \
            and node.func.id == "slice" and not node.keywords and 1 <= len(node.args) <= 3:
        parts = list(node.args) + [None] * (3 - len(node.args))
        if len(node.args) == 1:
            parts = [None, node.args[0], None]
        parts = [None if isinstance(p, gast.Constant) and p.value is None else p for p in parts]
        return gast.Slice(lower=parts[0], upper=parts[1], step=parts[2])
    if isinstance(node, gast.Tuple):
        return gast.Tuple(elts=[_as_subscript_index(e) for e in node.elts], ctx=node.ctx)
    return node


def _opt(atom, const_namer):
    if atom is None or (isinstance(atom, Const) and atom.value is None):
        return None
    return expr_of(atom, const_namer)


def literal(value, const_namer=None):
    if value is None or isinstance(value, (bool, str, bytes)) or value is Ellipsis:
        return const(value)
    if isinstance(value, (int, float, complex)) and not isinstance(value, np.generic):
        if isinstance(value, float) and not np.isfinite(value):
            return gast.Call(func=name("float"), args=[const(repr(value))], keywords=[])
        if value < 0 if not isinstance(value, complex) else False:
            return gast.UnaryOp(op=gast.USub(), operand=const(-value))
        return const(value)
    if isinstance(value, tuple):
        return gast.Tuple(elts=[literal(v, const_namer) for v in value], ctx=gast.Load())
    if isinstance(value, list):
        return gast.List(elts=[literal(v, const_namer) for v in value], ctx=gast.Load())
    if isinstance(value, slice):
        return _slice_call([None if v is None else literal(v, const_namer)
                            for v in (value.start, value.stop, value.step)])
    np_dtype = None
    if isinstance(value, mstype.Type):
        np_dtype = value.np_dtype
    elif isinstance(value, np.dtype):
        np_dtype = value
    elif isinstance(value, type) and issubclass(value, np.generic):
        np_dtype = np.dtype(value)
    if np_dtype is not None and hasattr(np, np_dtype.name):
        return gast.Attribute(value=name("np"), attr=np_dtype.name, ctx=gast.Load())
    if isinstance(value, np.generic) and hasattr(np, value.dtype.name):
        return gast.Call(func=gast.Attribute(value=name("np"), attr=value.dtype.name,
                                             ctx=gast.Load()),
                         args=[literal(value.item(), const_namer)], keywords=[])
    if const_namer is None:
        raise TypeError("no literal form for %r" % (value,))
    hint = getattr(value, "__name__", None) if callable(value) else None
    if not (isinstance(hint, str) and hint.isidentifier()):  # (a lambda: by its type)
        hint = type(value).__name__.lower()
    return name(const_namer(value, hint))


_DEFAULT_KEYWORDS = {"axis": None, "axes": None, "keepdims": False, "like": None}


def clone(node):
    """A structural copy of a gast tree (much faster than copy.deepcopy on ASTs)."""
    if isinstance(node, list):
        return [clone(n) for n in node]
    if isinstance(node, _AST):
        cls = node.__class__
        new = cls.__new__(cls)
        d = new.__dict__
        for f in cls._fields:
            v = getattr(node, f, None)
            if v.__class__ is list:
                v = [clone(x) for x in v]
            elif isinstance(v, _AST):
                v = clone(v)
            d[f] = v
        return new
    return node


def _helper_roles() -> dict:
    """Template global name -> ``(kind, fact)`` for the helpers whose calls the lowering
    rewrites (see :mod:`.anno`), found by the object the name denotes in the templates."""
    global _ROLES
    version = rules.version()
    if _ROLES[0] != version:
        gradient_of = {pair.gradient: p for p, pair in LOWERED_KERNELS.items()}
        roles = {}
        for n, obj in rules.template_globals().items():
            if obj is runtime.unbroadcast:
                roles[n] = ("unbroadcast", None)
            elif obj is runtime.expand_to or obj is runtime.zeros_like:
                roles[n] = ("shape_use", obj.__name__)
            elif obj is runtime.ungetitem:
                roles[n] = ("ungetitem", None)
            elif obj is runtime.matmul_nt or obj is runtime.matmul_tn:
                roles[n] = ("matmul", "nt" if obj is runtime.matmul_nt else "tn")
            else:
                prim = kernel_primitive(obj)
                if prim in LOWERED_KERNELS:
                    roles[n] = ("kernel_forward", prim)
                elif prim in gradient_of:
                    roles[n] = ("kernel_gradient", gradient_of[prim])
        _ROLES = (version, roles)  # one assignment: a compiling thread sees one or the other
    return _ROLES[1]


_ROLES: tuple = (-1, {})  # (rules.version() it was made for, the table)


_SUBSTITUTE_METHODS: dict = {}  # node class -> _Substitute's visit_<class> or None
_NO_METHOD = object()


class _Substitute(gast.NodeTransformer):
    def __init__(self, mapping) -> None:
        self.mapping = mapping
        self.roles = _helper_roles()
        self.matmuls: dict = {}  # id of a template's matmul_nt/matmul_tn call -> "nt"/"tn"

    # ast.NodeTransformer's visit and generic_visit, with the method found once per class
    # and no generator per node (every template of every statement comes through here)
    def visit(self, node):
        cls = node.__class__
        method = _SUBSTITUTE_METHODS.get(cls, _NO_METHOD)
        if method is _NO_METHOD:
            method = _SUBSTITUTE_METHODS[cls] = getattr(_Substitute, "visit_" + cls.__name__,
                                                        None)
        if method is None:
            return self.generic_visit(node)
        return method(self, node)

    def generic_visit(self, node):
        """A copy of ``node`` with its children visited: the template is never changed, and
        it is copied and substituted in the one pass."""
        cls = node.__class__
        new = cls.__new__(cls)
        d = new.__dict__
        for f in cls._fields:
            v = getattr(node, f, None)
            if v.__class__ is list:
                values = []
                for value in v:
                    if isinstance(value, _AST):
                        value = self.visit(value)
                        if value is None:
                            continue
                        if not isinstance(value, _AST):
                            values.extend(value)
                            continue
                    values.append(value)
                v = values
            elif isinstance(v, _AST):
                v = self.visit(v)
            d[f] = v
        return new

    def visit_Name(self, node):
        if node.id in self.mapping and isinstance(node.ctx, gast.Load):
            return clone(self.mapping[node.id])
        return self.generic_visit(node)

    def visit_Subscript(self, node):
        node = self.generic_visit(node)
        node.slice = _as_subscript_index(node.slice)
        return node

    def visit_BinOp(self, node):
        node = self.generic_visit(node)
        # `x ** (3 - 1)` after substitution: fold arithmetic on two numbers
        if isinstance(node.left, gast.Constant) and isinstance(node.right, gast.Constant) \
                and type(node.left.value) in (int, float) \
                and type(node.right.value) in (int, float) \
                and isinstance(node.op, (gast.Add, gast.Sub, gast.Mult)):
            a, b = node.left.value, node.right.value
            value = a + b if isinstance(node.op, gast.Add) else \
                a - b if isinstance(node.op, gast.Sub) else a * b
            return literal(value)
        return node

    def visit_IfExp(self, node):
        node = self.generic_visit(node)
        test = node.test
        # `(1, 0) is None` after substitution: decide it here, as the reader would
        if isinstance(test, gast.Compare) and len(test.ops) == 1 \
                and isinstance(test.ops[0], (gast.Is, gast.IsNot)) \
                and isinstance(test.comparators[0], gast.Constant) \
                and test.comparators[0].value is None and _is_literal(test.left):
            is_none = isinstance(test.left, gast.Constant) and test.left.value is None
            if isinstance(test.ops[0], gast.IsNot):
                is_none = not is_none
            return node.body if is_none else node.orelse
        return node

    def visit_Call(self, node):
        # a call of a template global (a name the template reads, not one it substitutes)
        role = self.roles.get(node.func.id) if isinstance(node.func, gast.Name) \
            and node.func.id not in self.mapping else None
        if isinstance(node.func, gast.Attribute) and node.func.attr in ("shape", "ndim") \
                and isinstance(node.func.value, gast.Name) and node.func.value.id == "np" \
                and "np" not in self.mapping:
            role = ("shape_use", node.func.attr)  # np.shape(v), np.ndim(v)
        node = self.generic_visit(node)
        # numpy's and the helpers' defaults: leave them out so the code reads naturally
        node.keywords = [k for k in node.keywords
                         if not (k.arg in _DEFAULT_KEYWORDS and isinstance(k.value, gast.Constant)
                                 and k.value.value is _DEFAULT_KEYWORDS[k.arg])]
        if role is not None:
            self.tag_call(node, *role)
        return node

    def tag_call(self, node, kind, fact) -> None:
        if kind == "matmul":
            self.matmuls[id(node)] = fact
        elif kind == "unbroadcast":
            args = node.args
            like = args[1].id if len(args) == 2 and not node.keywords \
                and isinstance(args[1], gast.Name) else None
            matmul = self.matmuls.get(id(args[0])) if like is not None else None
            if matmul is not None:  # the product of two matrices, given straight to BLAS
                inner = args[0]
                plain = len(inner.args) == 2 and not inner.keywords
                like_v = len(inner.args) == 2 and [k.arg for k in inner.keywords] == ["like"] \
                    and isinstance(inner.keywords[0].value, gast.Name) \
                    and inner.keywords[0].value.id == like
                if not (plain if matmul == "nt" else like_v):
                    matmul = None
            tag(node, "unbroadcast", like=like, matmul=matmul)
        elif kind == "shape_use":
            arg = 1 if fact == "expand_to" else 0
            if len(node.args) > arg and isinstance(node.args[arg], gast.Name):
                tag(node, "shape_use", like=node.args[arg].id, form=fact)
        elif kind == "ungetitem":
            tag(node, "ungetitem")
        else:
            tag(node, kind, prim=fact)


def _is_literal(node) -> bool:
    if isinstance(node, gast.Constant):
        return True
    if isinstance(node, gast.Tuple):
        return all(_is_literal(e) for e in node.elts)
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
        return _is_literal(node.operand)
    return False


def substitute(expr, mapping: dict):
    """A copy of template ``expr`` with names replaced by the expressions in ``mapping``;
    ``axis=None``, ``axes=None`` and ``keepdims=False`` keywords are left out."""
    return _Substitute(mapping).visit(expr)


def prim_mapping(stmt: Prim, const_namer) -> dict:
    return {p: expr_of(a, const_namer) for p, a in stmt.args.items()}


def prim_expr(stmt: Prim, const_namer):
    tmpl = stmt.prim.template
    if tmpl.prelude:
        raise TypeError("primitive templates must be a single return: %s" % stmt.prim.name)
    return substitute(tmpl.results[0], prim_mapping(stmt, const_namer))


def assign(targets, value) -> gast.Assign:
    if len(targets) == 1:
        tgt = name(targets[0], store=True)
    else:
        tgt = make_node(gast.Tuple, elts=[name(t, store=True) for t in targets], ctx=_new(_STORE))
    return make_node(gast.Assign, targets=[tgt], value=value, type_comment=None)


_SOURCE_FILES: dict = {}  # a file's base name -> the full paths comments named by it


def source_files(basename: str) -> frozenset:
    """The full paths of the user files whose lines comments named ``basename:line`` (one,
    unless two files of that name were compiled)."""
    return frozenset(_SOURCE_FILES.get(basename, ()))


_GENERATED_FILE = "<autograd_st "
# a comment that ties generated code to a source line: "# [grad of: ]<text>  (file.py:12)"
_TIE = re.compile(r"^\s*# (?:grad of: )?.*?\s*\(([^()]+):(\d+)\)\s*$")
# marks a comment made through generated code (higher order), for ``to_source``
_THROUGH = "<<through generated code>>"


def _through_generated(loc):
    """The user's ``(path, line)`` behind a line of generated code (a higher-order
    derivative differentiates generated code): what the nearest tying comment above it
    names, or None (no comment, or two user files of that base name)."""
    lines = linecache.getlines(loc[0])
    for i in range(min(loc[1], len(lines)) - 1, -1, -1):
        m = _TIE.match(lines[i])
        if m:
            paths = _SOURCE_FILES.get(m.group(1), ())
            return (next(iter(paths)), int(m.group(2))) if len(paths) == 1 else None
    return None


# a user file's path -> (its linecache entry, {line: the comment}): a compile asks for each
# line's comment three times (the forward code, the forward branch, the gradient's "grad
# of"); the entry (replaced when linecache reads the file again) tells stale comments (and
# a dict of numbers and strings is nothing the collector looks at)
_COMMENTS: dict = {}
_COMMENTS_MAX = 1024  # files
_BASENAMES: dict = {}  # a user file's path -> its base name (recorded in _SOURCE_FILES)


def source_comment(loc) -> str | None:
    """'<source line>  (file.py:12)' for a statement location; in generated code (a
    derivative of a derivative), the user's line that code came from."""
    if not loc or not loc[0] or not loc[1]:
        return None
    hit = _COMMENTS.get(loc[0])
    if hit is not None and hit[0] is linecache.cache.get(loc[0]):
        made = hit[1].get(loc[1])
        if made is not None:
            return made
    keep = True
    through = ""
    if loc[0].startswith(_GENERATED_FILE):
        user = _through_generated(loc)
        if user is not None:
            loc, through = user, _THROUGH
        keep = False  # (which user file a base name means may change: not kept)
    entry = linecache.cache.get(loc[0])
    if entry is not None and len(entry) != 1:  # (linecache.getline: a loaded entry's line)
        lines = entry[2]
        text = lines[loc[1] - 1].strip() if 1 <= loc[1] <= len(lines) else ""
    else:
        text = linecache.getline(loc[0], loc[1]).strip()
        entry = linecache.cache.get(loc[0])
    base = _BASENAMES.get(loc[0])
    if base is None:
        base = os.path.basename(loc[0])
        _SOURCE_FILES.setdefault(base, set()).add(loc[0])
        if len(_BASENAMES) < 50_000:
            _BASENAMES[loc[0]] = base
    where = "%s:%d" % (base, loc[1])
    made = through + ("%s  (%s)" % (text, where) if text else where)
    if keep and entry is not None:
        if hit is None or hit[0] is not entry:
            if len(_COMMENTS) >= _COMMENTS_MAX:
                _COMMENTS.clear()
            hit = _COMMENTS[loc[0]] = (entry, {})
        hit[1][loc[1]] = made
    return made


class ForwardEmitter:
    """IR -> gast, with hooks the reverse pass uses to add tapes and call residuals."""

    def __init__(self, const_namer, callee_name, loop_hooks=None, quiet=False) -> None:
        self.const_namer = const_namer
        self.callee_name = callee_name  # Compiled -> global name of its forward function
        self.loop_hooks = loop_hooks or {}
        self.last_line = None
        # quiet: statements run again (a loop's iterations recomputed) leave out the Opaque
        # ones with effects, which ran once already; their targets are in ``skipped``
        self.quiet = quiet
        self.skipped: set = set()

    def block(self, stmts) -> list:
        out = []
        for stmt in stmts:
            loc = getattr(stmt, "loc", None)
            if loc and loc[1] != self.last_line and not isinstance(stmt, (If, For, While)):
                text = source_comment(loc)
                if text:
                    out.append(comment(text))
                self.last_line = loc[1]
            out.extend(self.stmt(stmt))
        return out

    def head(self, stmt) -> list:
        """The comment before a compound statement (once per source line)."""
        line = stmt.loc[1] if stmt.loc else None
        out = []
        if stmt.loc and line != self.last_line:
            text = source_comment(stmt.loc)
            if text:
                out.append(comment(text))
        self.last_line = None
        return out

    def stmt(self, stmt) -> list:
        if isinstance(stmt, Prim):
            return [tag(assign(stmt.targets, prim_expr(stmt, self.const_namer)), "forward_prim",
                        prim=stmt.prim.name)]
        if isinstance(stmt, Opaque):
            if self.quiet and stmt.effect:
                self.skipped.update(stmt.targets)
                return []
            return [tag(assign(stmt.targets, clone(stmt.expr)), "forward_opaque",
                        effect=bool(stmt.effect))]
        if isinstance(stmt, Call):
            fn = self.callee_name(stmt)
            call = gast.Call(func=name(fn), args=[expr_of(a, self.const_namer) for a in stmt.args]
                             + [name(n) for n in stmt.extra_args], keywords=[])
            return [assign(list(stmt.targets) + [stmt.res], call)]
        if isinstance(stmt, Comment):
            return [comment(stmt.text)]
        if isinstance(stmt, If):
            head = self.head(stmt)
            body = self.block(stmt.body) or [gast.Pass()]
            orelse = self.block(stmt.orelse)
            self.last_line = None
            return head + [gast.If(test=name(stmt.cond.name), body=body, orelse=orelse)]
        if isinstance(stmt, For):
            head = self.head(stmt)
            pre, body_extra = self.loop_hooks.get(id(stmt), ([], None))
            body = self.block(stmt.body)
            if body_extra is not None:
                body = body_extra(body)
            self.last_line = None
            args = [expr_of(a, self.const_namer) for a in stmt.iter_args]
            if _is_const(stmt.iter_args[2], 1):
                args = args[:2]
                if _is_const(stmt.iter_args[0], 0):
                    args = args[1:]
            it = gast.Call(func=name("range"), args=args, keywords=[])
            return head + pre + [gast.For(target=name(stmt.target, store=True), iter=it,
                                          body=body or [gast.Pass()], orelse=[],
                                          type_comment=None)]
        if isinstance(stmt, While):
            head = self.head(stmt)
            pre, body_extra = self.loop_hooks.get(id(stmt), ([], None))
            cond_body = self.block(stmt.cond_body)
            brk = gast.If(test=gast.UnaryOp(op=gast.Not(), operand=name(stmt.cond.name)),
                          body=[gast.Break()], orelse=[])
            body = self.block(stmt.body)
            if body_extra is not None:
                body = body_extra(body)
            self.last_line = None
            return head + pre + [gast.While(test=const(True), body=cond_body + [brk] + body,
                                            orelse=[])]
        raise TypeError("cannot emit %r" % (stmt,))


def _is_const(atom, value) -> bool:
    return isinstance(atom, Const) and atom.value == value and type(atom.value) is int


_COMMENT_RE = re.compile(r"^(\s*)%s\((['\"])(.*)\2\)\s*$" % _COMMENT_FN)


def to_source(fdef: gast.FunctionDef) -> str:
    """Print a gast function as astor prints it, turning comment markers into comments:
    by :mod:`.printer` (the same text, a few times sooner), or by astor itself for a tree
    the printer does not take (a user's function read back for ``--stage parse``)."""
    try:
        lines = function_lines(fdef)
    except Unprintable:
        return _astor_source(fdef)
    return lines_text(lines)


def lines_text(lines) -> str:
    """The printer's ``(indent, text, comment)`` lines (:func:`.printer.function_lines`,
    :func:`.printer.checked_lines`) as :func:`to_source`'s text."""
    if not any(note is not None and _THROUGH in note for _, _, note in lines):
        # (no comment to say once for a run of lines: each line as it is)
        return "\n".join([indent + text if note is None else indent + "# " + note
                          for indent, text, note in lines]) + "\n"
    out = []
    last = None  # the last comment, while only simple statements at its indent follow it
    for indent, text, note in lines:
        if note is not None:
            if _THROUGH in note:  # made through generated code: said once for its run
                note = note.replace(_THROUGH, "")
                if last == (indent, note):
                    continue
            out.append("%s# %s" % (indent, note))
            last = (indent, note)
        else:
            line = indent + text
            out.append(line)
            if last is not None and (not line.startswith(last[0]) or line[len(last[0])] == " "
                                     or line.rstrip().endswith(":")):
                last = None
    return "\n".join(out) + "\n"


def _astor_source(fdef: gast.FunctionDef) -> str:
    """:func:`to_source` through astor."""
    # no fix_missing_locations: astor prints no line information, so the locations a
    # generated node lacks are never read (and filling them walked the whole tree)
    tree = to_ast(fdef)
    src = astor.to_source(tree, pretty_source=lambda parts: "".join(parts))
    out = []
    last = None  # the last comment, while only simple statements at its indent follow it
    for line in src.splitlines():
        m = _COMMENT_RE.match(line)
        if m:
            text = _string_literal(m.group(2) + m.group(3) + m.group(2))
            if _THROUGH in text:
                # made through generated code: each generated line had its comment; the
                # user's line is said once for the run of statements it covers
                text = text.replace(_THROUGH, "")
                if last == (m.group(1), text):
                    continue
            out.append("%s# %s" % (m.group(1), text))
            last = (m.group(1), text)
        else:
            out.append(line)
            if last is not None and (not line.startswith(last[0]) or line[len(last[0])] == " "
                                     or line.rstrip().endswith(":")):
                last = None
    return "\n".join(out) + "\n"


def _string_literal(text: str) -> str:
    """The value of a printed string literal: ``ast.literal_eval`` without the nested
    functions it makes on every call (a reference cycle per comment line)."""
    node = ast.parse(text, mode="eval").body
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return ast.literal_eval(text)


def function_def(fname: str, params: list, body: list) -> gast.FunctionDef:
    args = gast.arguments(args=[gast.Name(id=p, ctx=gast.Param(), annotation=None,
                                          type_comment=None) for p in params],
                          posonlyargs=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                          kwarg=None, defaults=[])
    return gast.FunctionDef(name=fname, args=args, body=body or [gast.Pass()],
                            decorator_list=[], returns=None, type_comment=None,
                            type_params=[])


def global_names(fdef) -> set:
    """Names the function reads that it never binds (its globals)."""
    bound = {a.id for a in fdef.args.args}
    loads = set()
    for node in walk(fdef):
        if isinstance(node, gast.Name):
            if isinstance(node.ctx, (gast.Store, gast.Param)):
                bound.add(node.id)
            else:
                loads.add(node.id)
    return loads - bound
