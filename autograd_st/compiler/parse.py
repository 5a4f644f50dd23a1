"""Parse: a Python function (or a Cell's ``construct``) -> its gast ``FunctionDef`` with
absolute line numbers, the file it came from, and where its free names resolve.

Takes: a function, bound method, or lambda object.
Gives: a :class:`Source` (``node``, ``filename``, ``globals``, ``closure``, ``self_obj``).
Raises: ``SourceNotFoundError`` when the source cannot be read, and ``SourceChangedError``
(a kind of it) when the text read is not the code that runs: each function parsed is compiled
again and the code object must equal the function's ``__code__`` (bytecode, constants,
names, flags, positions) -- compiled with the whole text it stands in (a file: the context it
was compiled in), else by itself in a scope shaped like its own (its qualified name's
enclosing functions and classes, its free variables, its ``__future__`` flags: an IPython
cell or a prompt input, whose statements are compiled one by one).  So a file edited after
it was imported is refused, never read as the function that runs.  The check costs one
compile of each file's text (remembered while linecache keeps the same lines) and is made
once per code object, when it is first parsed.

Where the text comes from: ``linecache`` (files, IPython and Jupyter cells, Python 3.13's
REPL, ``doctest``, any text registered there), then the texts :func:`exec_source` ran.
"""
from __future__ import annotations
import __future__

import ast
import builtins
import functools
import hashlib
import inspect
import linecache
import operator
import re
import threading
import tokenize
import types
from dataclasses import dataclass, field

import gast

from ..errors import SourceChangedError, SourceNotFoundError

__all__ = ["Source", "parse_function", "exec_source", "physical_lines"]

# the compiler flags of every ``from __future__`` feature (a function's ``co_flags`` has its
# module's), passed on when a parsed function is compiled again to check it
_FUTURE_FLAGS = functools.reduce(operator.or_, (getattr(__future__, name).compiler_flag
                                                for name in __future__.all_feature_names), 0)
_LOCK = threading.Lock()
_EXECUTED: dict = {}  # filename -> the lines of a text exec_source ran (kept, as IPython does)


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
    # a gradient function's generated code: the guards of its compile (what it folded in,
    # read from objects), which any code compiled from it must keep
    guards: tuple = ()

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
    lines = _source_lines(fn, filename)
    if not lines:
        raise SourceNotFoundError(_no_source_message(fn, code, filename))
    if code.co_name == "<lambda>":
        node = _parse_lambda(fn, code, lines, filename)
    else:
        node = _parse_def(fn, code, lines, filename)
    return to_gast(_Mangle.apply(fn, node))  # (a tree of this parse's own: renamed in place)


# ---------------------------------------------------------------------------------------
# ast -> gast
# ---------------------------------------------------------------------------------------

_GAST_OF: dict = {}  # ast class -> the gast class of the same name
_LOCATION = ("lineno", "col_offset", "end_lineno", "end_col_offset")
# nodes gast converts in its own way, other than a parameter and a name (delegated to it)
_BY_GAST = tuple(getattr(ast, n) for n in ("ExceptHandler", "TypeVar", "TypeVarTuple",
                                           "ParamSpec", "TypeIgnore") if hasattr(ast, n))
_TYPE_PARAMS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


def _located(new, old):
    """``ast.copy_location``."""
    for attr in _LOCATION:
        value = getattr(old, attr, None)
        if value is not None or (attr.startswith("end_") and hasattr(old, attr)):
            setattr(new, attr, value)
    return new


_AST = ast.AST
_PARAM = gast.Param()
# a context (Load, Store, Del) or an operator: one node per class, shared by the whole tree (as
# Python's parser shares ast.Load(), ast.Add()); it holds nothing, and passes tell them by their
# class only
_CTX = {ast.Load: gast.Load(), ast.Store: gast.Store(), ast.Del: gast.Del()}


def to_gast(node):
    """``gast.ast_to_gast`` on this Python, made IN PLACE: each node of the Python tree
    ``node`` becomes the gast node of the same name (its class changed, its fields kept),
    without gast's generic visitor (a dict of fields and a new node per node): the same tree,
    several times sooner (a parse of a long function was mostly this conversion).  The tree
    is the caller's to give: it is changed (contexts and operators are replaced by shared
    gast ones, never changed; a parameter becomes a new ``Name``).  Returns the converted
    node.  ``tests/test_compile_time.py`` compares it with gast's."""
    cls = node.__class__
    target = _GAST_OF.get(cls)
    if target is None:
        if cls in _CTX:
            return _CTX[cls]
        target = getattr(gast, cls.__name__, None)
        if target is None or issubclass(cls, _BY_GAST):
            return gast.ast_to_gast(node)
        if not cls._fields and not cls._attributes:  # an operator: one node, shared
            _CTX[cls] = target()
            return _CTX[cls]
        _GAST_OF[cls] = target
    d = node.__dict__
    if cls is ast.Name:  # (the commonest node)
        ctx = d["ctx"]
        d["ctx"] = _CTX.get(ctx.__class__) or to_gast(ctx)
        d["annotation"] = d["type_comment"] = None
        node.__class__ = target
        return node
    if cls is ast.arg:  # gast: a Name in the Param context
        annotation = d.get("annotation")
        return _located(gast.Name(d["arg"], _PARAM, None if annotation is None
                                  else to_gast(annotation), d.get("type_comment")), node)
    # a parsed node's dict holds its fields and positions (what ast's _fields and
    # _attributes name; a node the parse module built may lack some)
    for f, value in d.items():
        if value.__class__ is list:
            d[f] = [to_gast(v) if isinstance(v, _AST) else v for v in value]
        elif isinstance(value, _AST):
            d[f] = to_gast(value)
    if cls in _TYPE_PARAMS and "type_params" not in d:
        d["type_params"] = []
    node.__class__ = target
    return node


def _code_names(code) -> set:
    """Every name a code object and the code nested in it use."""
    out = set(code.co_names) | set(code.co_varnames) | set(code.co_freevars) \
        | set(code.co_cellvars)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            out |= _code_names(const)
    return out


class _Mangle(ast.NodeTransformer):
    """Python's private-name mangling, which the parsed text lacks: inside ``class C``, ``__x``
    (not ``__x__``) is ``_C__x`` (``self.__w`` reads the attribute ``_C__w``).  A name is
    renamed only where the function's code uses the mangled form, so the class is the one
    the compiler of the running code saw."""

    def __init__(self, prefix: str, used: set) -> None:
        self.prefix, self.used = prefix, used

    @classmethod
    def apply(cls, fn, node):
        outer = fn.__qualname__.split(".")[:-1]
        if not outer or outer[-1] == "<locals>" or not outer[-1].strip("_"):
            return node
        return cls("_" + outer[-1].lstrip("_"), _code_names(fn.__code__)).visit(node)

    def _name(self, name: str) -> str:
        if name.startswith("__") and not name.endswith("__") \
                and self.prefix + name in self.used:
            return self.prefix + name
        return name

    def visit_Name(self, node):
        node.id = self._name(node.id)
        return node

    def visit_Attribute(self, node):
        self.generic_visit(node)
        node.attr = self._name(node.attr)
        return node

    def visit_arg(self, node):
        node.arg = self._name(node.arg)
        return node


def _source_lines(fn, filename) -> list:
    """The text ``filename`` names now: linecache (an edited file read again), else a text
    :func:`exec_source` ran."""
    linecache.checkcache(filename)
    lines = linecache.getlines(filename, fn.__globals__)
    if not lines:
        with _LOCK:
            lines = _EXECUTED.get(filename, [])
    return lines


def _parse_def(fn, code, lines, filename) -> ast.FunctionDef:
    """The ``def`` at the function's first line (decorators dropped), checked to be the code
    that runs."""
    first = code.co_firstlineno
    flags = code.co_flags & _FUTURE_FLAGS
    node = _text_def(filename, lines, flags, (code.co_name, first))
    if node is None and first <= len(lines):  # (the text does not compile as a whole)
        try:
            block = inspect.getblock(lines[first - 1:])
            text = "".join(block)
            # parsed after blank lines, so that its line numbers are the file's (no walk to
            # move them)
            if block[0][:1] in (" ", "\t"):  # indented: parsed inside a block, columns kept
                if first >= 2:
                    node = ast.parse("\n" * (first - 2) + "if 1:\n" + text).body[0].body[0]
                else:
                    node = ast.parse("if 1:\n" + text).body[0].body[0]
                    ast.increment_lineno(node, first - 2)
            else:
                node = ast.parse("\n" * (first - 1) + text).body[0]
        except (SyntaxError, IndexError, tokenize.TokenError):  # not a statement's start
            node = None
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) \
            or node.name != code.co_name or _first_line(node) != first:
        now = lines[first - 1].strip() if first <= len(lines) else None
        raise SourceChangedError(_changed_message(
            fn, code, filename, "line %d %s, not the definition of %s" % (
                first, "reads %r" % now if now is not None else "is past the end of the text",
                code.co_name)))
    if not _same_code(node, fn, code, filename, lines):
        if any(isinstance(sub, ast.Assert) for sub in ast.walk(node)):
            raise SourceChangedError(
                "%s:%d: the text of %s is not the code that runs: it has assert statements, "
                "which pytest rewrites in test modules (or the file changed since it was "
                "imported). Define the function in a module pytest does not rewrite (not a "
                "test_*.py file), or reload the module."
                % (filename, first, fn.__qualname__))
        raise SourceChangedError(_changed_message(
            fn, code, filename, "the definition of %s there does not compile to the code "
            "that runs" % code.co_name))
    node.decorator_list = []  # (the tree is this parse's own: see _text_def)
    return node


def _first_line(node) -> int:
    """The line a ``def`` starts on (its first decorator's: ``co_firstlineno``)."""
    return min([node.lineno] + [d.lineno for d in node.decorator_list])


def _params(node) -> list:
    """The parameter names of a parsed ``def`` or ``lambda``, in ``co_varnames`` order."""
    a = node.args
    names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    return names + [x.arg for x in (a.vararg, a.kwarg) if x is not None]


def _same_code(node, fn, code, filename, lines, imports=()) -> bool:
    """Whether ``node`` (a ``def`` or a lambda) compiles to ``code`` (``==`` on code objects:
    bytecode, constants, names, flags, line and column positions).

    A ``def`` is compiled with the whole text it stands in (a file: the context it was
    compiled in, including the module's imports, which decide some instructions: 3.11+ reads
    a method of an imported name with LOAD_ATTR), found there by its name and first line.
    Else (and a lambda, which shares its line with others, always) it is compiled by itself
    in a scope shaped like its own, after ``imports`` (the module's imported names) and then
    without them (an IPython cell or a prompt input: each statement compiled alone)."""
    n = code.co_argcount + code.co_kwonlyargcount \
        + bool(code.co_flags & inspect.CO_VARARGS) + bool(code.co_flags & inspect.CO_VARKEYWORDS)
    if _params(node) != list(code.co_varnames[:n]):  # cheap, and the usual edit
        return False
    flags = code.co_flags & _FUTURE_FLAGS
    key = (code.co_name, code.co_firstlineno)
    if isinstance(node, ast.stmt):
        if code in _text_codes(filename, lines, flags).get(key, ()):
            return True
        stmt = node
    else:
        stmt = ast.Expr(value=node)
    for names in ((imports, ()) if imports else ((),)):
        module = _in_scope(stmt, fn, code)
        module.body[:0] = [ast.Import(names=[ast.alias(name=name, asname=None)])
                           for name in names]  # compiled, never run: marks names imported
        try:
            alone = compile(ast.fix_missing_locations(module), filename, "exec", flags=flags,
                            dont_inherit=True)
        except (SyntaxError, ValueError, TypeError):
            return False
        if code in _code_objects(alone, {}).get(key, ()):
            return True
    return False


def _module_imports(tree) -> list:
    """The names a module's own statements bind by ``import`` (not those of its functions
    and classes)."""
    names, todo = [], list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names += [(a.asname or a.name).partition(".")[0] for a in node.names
                      if a.name != "*"]
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            todo.extend(child for child in ast.iter_child_nodes(node)
                        if isinstance(child, ast.stmt))
    return sorted(set(names))


_TEXT_CODES: dict = {}  # filename -> (its lines, flags, its code objects by (name, first line),
# the defs of its text not handed out yet by (name, first line))
_TEXT_CODES_SIZE = 32


def _text_codes(filename, lines, flags) -> dict:
    """The code objects the whole text compiles to, by (name, first line); remembered while
    linecache gives the same lines (an edited file gets new ones)."""
    return _text_entry(filename, lines, flags)[2]


def _text_def(filename, lines, flags, key):
    """The ``def`` statement ``key`` (name, first line) of the whole text, with the file's
    line numbers and columns, or None where the text does not compile as a whole.  The
    text's defs are parsed together, once, and each is handed out once (its caller keeps
    what it makes of it, and may change it): a def asked for again is parsed again."""
    entry = _text_entry(filename, lines, flags)
    with _LOCK:  # (threads compiling functions of one file share its entry)
        node = _hand_out(entry[3], key)
    if node is None and key in entry[2]:  # handed out before
        defs = _defs(_parse_text(filename, lines, flags).body, {})
        node = _hand_out(defs, key)
        with _LOCK:
            for k, d in defs.items():
                entry[3].setdefault(k, d)
    return node


def _hand_out(defs: dict, key):
    """``defs.pop(key)``, and with it every def that holds it or that it holds: the caller
    changes the tree it is given (:func:`to_gast` converts it in place), so no tree handed
    out later may share a node with it (those defs are parsed again when asked for)."""
    node = defs.pop(key, None)
    if node is not None:
        first, end = node.lineno, node.end_lineno
        for k in [k for k, d in defs.items()
                  if (d.lineno <= first and d.end_lineno >= end)
                  or (d.lineno >= first and d.end_lineno <= end)]:
            del defs[k]
    return node


def _parse_text(filename, lines, flags) -> ast.Module:
    return compile("".join(lines), filename, "exec", flags=flags | ast.PyCF_ONLY_AST,
                   dont_inherit=True)


def _text_entry(filename, lines, flags) -> tuple:
    with _LOCK:
        entry = _TEXT_CODES.get(filename)
    if entry is not None and entry[0] is lines and entry[1] == flags:
        return entry
    try:
        defs = _defs(_parse_text(filename, lines, flags).body, {})
        # the code objects compiled from the text (a compile of the tree just parsed takes
        # longer than one of the text: Python converts the tree back first)
        codes = _code_objects(compile("".join(lines), filename, "exec", flags=flags,
                                      dont_inherit=True), {})
    except (SyntaxError, ValueError):  # e.g. an IPython cell with top-level await
        codes, defs = {}, {}
    entry = (lines, flags, codes, defs)
    with _LOCK:
        _TEXT_CODES.pop(filename, None)
        _TEXT_CODES[filename] = entry
        while len(_TEXT_CODES) > _TEXT_CODES_SIZE:
            _TEXT_CODES.pop(next(iter(_TEXT_CODES)))
    return entry


_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")


def _defs(stmts, out: dict) -> dict:
    """Every ``def`` among ``stmts`` and the statements nested in them (a def is a
    statement: no expression is looked into), by (name, first line)."""
    for st in stmts:
        if isinstance(st, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out[(st.name, _first_line(st))] = st
        for f in _BODIES:
            inner = getattr(st, f, None)
            if inner:
                _defs(inner, out)
    return out


def _code_objects(code, out: dict) -> dict:
    out.setdefault((code.co_name, code.co_firstlineno), []).append(code)
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            _code_objects(c, out)
    return out


def _in_scope(stmt, fn, code) -> ast.Module:
    """``stmt`` inside functions and classes shaped like the ones it was defined in (read
    from the qualified name), its free variables bound in the innermost function: the
    compiler then resolves names (global, free, mangled ``__private``) and sets flags as it
    did for the original."""
    qualname = getattr(code, "co_qualname", None) or fn.__qualname__  # 3.10: no co_qualname
    parts = qualname.split(".")
    scopes = []  # ("def" | "class", name), outermost first
    if parts[-1] == code.co_name:
        enclosing, i = parts[:-1], 0
        while i < len(enclosing):
            local = i + 1 < len(enclosing) and enclosing[i + 1] == "<locals>"
            scopes.append(("def" if local else "class", enclosing[i]))
            i += 2 if local else 1
    free = [name for name in code.co_freevars if name != "__class__"]
    if "__class__" in code.co_freevars and not any(k == "class" for k, _ in scopes):
        scopes.append(("class", "_"))
    if free and not any(k == "def" for k, _ in scopes):
        scopes.insert(0, ("def", "_"))
    innermost = max((i for i, (k, _) in enumerate(scopes) if k == "def"), default=-1)
    body = [stmt]
    for i in reversed(range(len(scopes))):
        kind, name = scopes[i]
        name = name if name.isidentifier() else "_"  # <lambda>, <listcomp>: a function
        if kind == "class":
            body = [ast.ClassDef(name=name, bases=[], keywords=[], body=body,
                                 decorator_list=[], type_params=[])]
            continue
        if i == innermost and free:
            body.insert(0, ast.Assign(targets=[ast.Name(id=v, ctx=ast.Store()) for v in free],
                                      value=ast.Constant(value=None)))
        body = [ast.FunctionDef(name=name, args=_no_params(), body=body, decorator_list=[],
                                returns=None, type_comment=None, type_params=[])]
    return ast.Module(body=body, type_ignores=[])


def _no_params() -> ast.arguments:
    return ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                         kwarg=None, defaults=[])


def _pseudo(filename) -> bool:
    """A name like ``<string>`` or ``<stdin>``: no file behind it."""
    return filename.startswith("<") and filename.endswith(">")


def _no_source_message(fn, code, filename) -> str:
    head = "%s:%d: cannot read the source of %s: autograd_st compiles a function from its " \
        "source text, and " % (filename, code.co_firstlineno, fn.__qualname__)
    if filename == "<stdin>":
        return head + (
            "Python's interactive prompt keeps none. Put the function in a .py file and "
            "import it; or use IPython, Jupyter or Python 3.13's prompt, which keep what you "
            "type; or define it with autograd_st.exec_source(text, globals()), where text is "
            "the definition as a string.")
    if _pseudo(filename):
        return head + (
            "exec() or compile() of a string (or python -c; filename %r) keeps none. Run "
            "the text with "
            "autograd_st.exec_source(text, namespace) instead of exec(text, namespace), or "
            "compile it under a filename of its own whose text you register first: "
            "linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)."
            % filename)
    return head + ("the file cannot be read (moved or deleted since it was imported?). "
                   "Define the function in a .py file that stays where it was imported from.")


def _changed_message(fn, code, filename, what) -> str:
    head = "%s:%d: the text of %s is not the code that runs: %s, " % (
        filename, code.co_firstlineno, fn.__qualname__, what)
    if _pseudo(filename):
        return head + (
            "so the text registered in linecache under %r is not the text %s was compiled "
            "from. Give each text its own filename (autograd_st.exec_source does)."
            % (filename, fn.__qualname__))
    return head + ("so the file changed since it was imported. Reload its module "
                   "(importlib.reload(module), or %autoreload in IPython) or restart Python, "
                   "then take the gradient again.")


def _parse_lambda(fn, code, lines, filename) -> ast.FunctionDef:
    """A lambda becomes ``def <lambda>(args): return body``: the lambda on its first line
    whose code is the one that runs."""
    first = code.co_firstlineno
    try:
        tree = ast.parse("".join(lines))
    except SyntaxError:
        tree = None
    candidates = [node for node in (ast.walk(tree) if tree is not None else ())
                  if isinstance(node, ast.Lambda) and node.lineno == first]
    imports = _module_imports(tree) if tree is not None else ()
    found = next((node for node in candidates
                  if _same_code(node, fn, code, filename, lines, imports)), None)
    if found is None:
        raise SourceChangedError(_changed_message(
            fn, code, filename, "no lambda on line %d compiles to the code that runs" % first))
    ret = ast.Return(value=found.body, lineno=found.lineno, col_offset=found.col_offset)
    return ast.FunctionDef(name="<lambda>", args=found.args, body=[ret], decorator_list=[],
                           returns=None, type_comment=None, type_params=[],
                           lineno=found.lineno, col_offset=found.col_offset)


def physical_lines(source: str) -> list:
    """The lines Python numbers (split at \\n, \\r\\n and \\r only, unlike str.splitlines,
    which also splits at form feeds and U+2028 inside comments and strings)."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", source)


def exec_source(source, globals=None, locals=None, *, filename=None):  # noqa: A002
    """``exec(source, globals, locals)`` that keeps the text, so the functions it defines
    can be differentiated (``exec`` of a string keeps no source, and autograd_st compiles a
    function from its source).  The text is registered in ``linecache`` under ``filename``
    (default ``<exec_source-HASH>``, one name per text), so tracebacks, ``pdb`` and
    ``inspect.getsource`` show it too, and kept while Python runs, as IPython keeps its
    cells.  Returns the globals namespace (a new dict when none is given)::

        ns = autograd_st.exec_source("def f(x):\\n    return ops.sin(x) * x\\n", {"ops": ops})
        ops.grad(ns["f"])(x)
    """
    if not isinstance(source, str):
        raise TypeError("exec_source takes the source text as a str, not %s"
                        % type(source).__name__)
    if filename is None:
        digest = hashlib.sha1(source.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        filename = "<exec_source-%s>" % digest
    code = compile(source, filename, "exec", dont_inherit=True)
    lines = physical_lines(source)
    with _LOCK:
        _EXECUTED[filename] = lines
        linecache.cache[filename] = (len(source), None, lines, filename)
    namespace = {} if globals is None else globals
    exec(code, namespace, namespace if locals is None else locals)  # noqa: S102 - the caller's text
    return namespace
