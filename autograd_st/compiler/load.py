"""Load: generated source text -> live functions.

Takes: source text the compiler generated, a path-like name for it and the globals it reads.
Gives: the functions it defines.  The source is registered in ``linecache`` first, so
tracebacks, ``pdb`` and ``inspect.getsource`` show the generated code, and a later compile
(higher-order derivatives) can read it back.

Only code produced by :mod:`autograd_st.compiler.codegen` reaches ``exec``:

- each generated function is checked before it is printed, by the printer as it prints it
  (:func:`checked_source`: the compile's path, one pass) or by ``validate``'s walk (a tree
  the printer does not take, and callers that do not print), with the same rules, written
  once in :mod:`.safety`: every identifier is a Python identifier and not a keyword, every
  constant is a plain literal (a subclass of ``int``/``float``/``str``... is replaced by the
  plain value it stands for, so no user ``__repr__`` is ever printed into code; anything
  else is refused), no statement the compiler never generates (``import``, ``global``,
  classes, nested functions ...) is present, and comment text (user source lines, file
  names) is made one printable line.  Both give the names the function reads and never
  binds (its globals), for the caller to resolve.
- ``load`` compiles the text it is given and runs it only if it defines nothing but
  functions checked on this thread, each reading no identifier (name, attribute, local)
  that the checked function did not have: text that was not checked, or that gained code
  when it was printed, is refused.
"""
from __future__ import annotations

import hashlib
import linecache
import threading
import types
import weakref

import gast

from .codegen import is_comment, lines_text, to_source
from .parse import physical_lines
from .printer import Unprintable, checked_lines
from .safety import bad_identifier, checked_functions, one_line, plain_constant, record_checked

__all__ = ["load", "validate", "checked_source"]

_LOCK = threading.Lock()
_COUNTER = [0]

# statements and expressions codegen never produces: refused wherever they appear
_REFUSED = tuple(getattr(gast, n) for n in (
    "Import", "ImportFrom", "Global", "Nonlocal", "ClassDef", "AsyncFunctionDef", "Lambda",
    "Await", "Yield", "YieldFrom", "AsyncFor", "AsyncWith", "With", "Try", "TryStar",
    "NamedExpr", "ListComp", "SetComp", "DictComp", "GeneratorExp")
    if hasattr(gast, n))


# what validate does with a node, by its class (found with isinstance once per class)
_OTHER, _NAME, _CONSTANT, _REFUSED_KIND, _FUNCTION, _ATTRIBUTE, _KEYWORD, _DELETE, _EXPR = (
    "other", "name", "constant", "refused", "function", "attribute", "keyword", "delete", "expr")
_KIND: dict = {}
# the fields validate looks into, per node class, each with whether it is a block (a list of
# statements): all but operators and contexts, which hold no code (an operator or context
# node the printer and astor print by its class only), and the fields validate checks as
# values itself (a constant's value, an attribute's, keyword's or function's name: anything
# but a literal or an identifier there is refused)
_VALIDATED_FIELDS: dict = {}
_CHECKED_VALUES = frozenset(((gast.Constant, "value"), (gast.Attribute, "attr"),
                             (gast.keyword, "arg"), (gast.FunctionDef, "name")))
_BLOCKS = frozenset(("body", "orelse", "finalbody", "handlers"))


def _validated_fields(cls) -> tuple:
    fields = _VALIDATED_FIELDS[cls] = tuple(
        (f, f in _BLOCKS) for f in cls._fields
        if f not in ("ctx", "op", "ops") and (cls, f) not in _CHECKED_VALUES)
    return fields


def _kind_of(cls) -> str:
    if issubclass(cls, _REFUSED):
        kind = _REFUSED_KIND
    elif issubclass(cls, gast.FunctionDef):
        kind = _FUNCTION
    elif issubclass(cls, gast.Delete):
        kind = _DELETE
    elif issubclass(cls, gast.Name):
        kind = _NAME
    elif issubclass(cls, gast.Attribute):
        kind = _ATTRIBUTE
    elif issubclass(cls, gast.keyword):
        kind = _KEYWORD
    elif issubclass(cls, gast.Constant):
        kind = _CONSTANT
    elif issubclass(cls, gast.Expr):
        kind = _EXPR
    else:
        kind = _OTHER
    _KIND[cls] = kind
    return kind


def validate(fdef) -> frozenset:
    """Check one generated function (and make its constants and comments plain); raises
    ValueError naming what is refused.  Records it as validated on this thread.  Returns the
    names it reads and never binds (its globals; comment markers left out), which spares the
    caller another walk of the whole function."""
    if not isinstance(fdef, gast.FunctionDef):
        raise ValueError("generated code must be a function definition, not %s"
                         % type(fdef).__name__)
    idents = set()
    loads, bound = set(), set()
    # a statement that is in the function twice (the in-place branch shares the statements
    # it does not rewrite with the plain body) is checked once: what it gives (identifiers,
    # names, plain constants) is the same the second time
    seen = set()
    # every node, each before the nodes inside it, but a name's context (Load, Store ...:
    # read from the name itself) and a comment marker's own nodes (text, never code); a
    # stack, not a generator step per node
    todo = [fdef]
    pop, push = todo.pop, todo.append
    ast_type, list_type, name_type = gast.AST, list, gast.Name
    binding = (gast.Store, gast.Param)
    while todo:
        node = pop()
        cls = node.__class__
        if cls is name_type:  # (the most common node: all of it here)
            if getattr(node, "annotation", None) is not None:  # (a parameter's: refused
                push(node.annotation)  # by the printer, printed by astor: checked too)
            ident = node.id
            (bound if isinstance(node.ctx, binding) else loads).add(ident)
            if ident not in idents:  # (each identifier checked once)
                if bad_identifier(ident):
                    raise ValueError("generated code has an invalid identifier %r" % (ident,))
                idents.add(ident)
            continue
        kind = _KIND.get(cls) or _kind_of(cls)
        if kind is _EXPR and is_comment(node):  # its text is made one line
            call = node.value
            args = call.args
            if len(args) != 1 or call.keywords or not isinstance(
                    args[0], gast.Constant) or not isinstance(args[0].value, str):
                raise ValueError("malformed comment marker in generated code")
            args[0].value = one_line(str.__str__(args[0].value))
            for extra in (getattr(call.func, "annotation", None),
                          getattr(args[0], "kind", None)):  # (never set by codegen)
                if isinstance(extra, ast_type):
                    push(extra)
            continue
        fields = _VALIDATED_FIELDS.get(cls)
        if fields is None:
            fields = _validated_fields(cls)
        for f, block in fields:
            v = getattr(node, f, None)
            if v.__class__ is list_type:
                if block:
                    for item in v:
                        if id(item) not in seen:
                            seen.add(id(item))
                            if isinstance(item, ast_type):
                                push(item)
                    continue
                for item in v:
                    if isinstance(item, ast_type):
                        push(item)
            elif isinstance(v, ast_type):
                push(v)
        if kind is _OTHER:  # (most nodes: operators, contexts, calls, tuples ...)
            continue
        if kind is _CONSTANT:
            node.value = plain_constant(node.value)
            continue
        elif kind is _REFUSED_KIND or (kind is _FUNCTION and node is not fdef):
            raise ValueError("generated code has a %s, which the compiler never generates"
                             % type(node).__name__)
        elif kind is _ATTRIBUTE:
            ident = node.attr
        elif kind is _NAME:  # (a subclass of Name: never generated, checked all the same)
            ident = node.id
            (bound if isinstance(node.ctx, binding) else loads).add(ident)
        elif kind is _KEYWORD:
            ident = node.arg if node.arg is not None else "_"
        elif kind is _DELETE:
            if not all(isinstance(t, gast.Name) for t in node.targets):
                # the lowering frees dead values with ``del name``; nothing else is deleted
                raise ValueError("generated code deletes something other than a local name, "
                                 "which the compiler never generates")
            continue
        elif kind is _FUNCTION:
            ident = node.name
            if node.decorator_list or node.returns is not None:
                raise ValueError("generated function %r has decorators or annotations"
                                 % (ident,))
        else:  # (an expression statement that is not a comment)
            continue
        if ident not in idents:  # (each identifier checked once)
            if bad_identifier(ident):
                raise ValueError("generated code has an invalid identifier %r" % (ident,))
            idents.add(ident)
    record_checked(fdef.name, idents)
    return frozenset(loads - bound)


def checked_source(fdef) -> tuple:
    """``(text, globals)`` of a generated function: printed and checked in one pass by the
    printer (:func:`.printer.checked_lines`), or, for a tree the printer does not take,
    checked by :func:`validate` and printed by astor.  ``globals``: the names it reads and
    never binds.  Raises ValueError naming what is refused."""
    try:
        lines, names_read = checked_lines(fdef)
    except Unprintable:
        names_read = validate(fdef)
        return to_source(fdef), names_read
    return lines_text(lines), names_read


def _code_names(code) -> set:
    return set(code.co_names) | set(code.co_varnames) | set(code.co_cellvars) \
        | set(code.co_freevars)


def _check_validated(code, filename: str) -> None:
    """``code`` (compiled from the text) defines only functions ``validate`` saw on this
    thread, each reading no identifier that function did not have: text that was not
    validated, or that gained code when it was printed, is refused."""
    record = checked_functions()
    defined = [c for c in code.co_consts if isinstance(c, types.CodeType)]
    names = {c.co_name for c in defined}
    # (Python 3.10 also keeps each function's qualified name, its name here, as a constant)
    if set(code.co_names) - names or any(
            c is not None and not isinstance(c, types.CodeType) and c not in names
            for c in code.co_consts):
        raise ValueError("load runs only generated function definitions; %s has other "
                         "module-level code" % filename)
    for fcode in defined:
        allowed = [ids for fname, ids in record if fname == fcode.co_name]
        extra = _code_names(fcode) - (allowed[-1] if allowed else set())
        nested = [c for c in fcode.co_consts if isinstance(c, types.CodeType)]
        if not allowed or extra or nested:
            raise ValueError(
                "load runs only code that validate checked: %s in %s %s" % (
                    fcode.co_name, filename,
                    "was not validated" if not allowed else
                    "reads %s, which the validated code does not" % sorted(extra) if extra
                    else "defines a nested function"))


def _lines(source: str) -> list:
    """``physical_lines(source)``: generated text breaks its lines at \\n only (comments are
    one line, and string constants are printed with their escapes), so a split is enough
    when it has no \\r."""
    if "\r" in source:
        return physical_lines(source)
    lines = source.split("\n")
    last = lines.pop()
    lines = [line + "\n" for line in lines]
    if last:
        lines.append(last)
    return lines


_LIVE: dict = {}  # linecache filename -> number of live generated functions defined in it


def _release(filename: str) -> None:
    with _LOCK:
        n = _LIVE.get(filename, 0) - 1
        if n > 0:
            _LIVE[filename] = n
            return
        _LIVE.pop(filename, None)
        linecache.cache.pop(filename, None)


def load(source: str, label: str, namespace: dict) -> dict:
    """Exec ``source`` in a fresh module namespace; returns that namespace."""
    # named by content, so the same code always has the same name (stable dumps and
    # tracebacks); equal sources may share a linecache entry safely
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:8]
    filename = "<autograd_st %s %s>" % (one_line(label), digest)
    code = compile(source, filename, "exec")
    _check_validated(code, filename)
    module_ns = dict(namespace)
    module_ns["__name__"] = "autograd_st.generated"
    module_ns["__file__"] = filename
    with _LOCK:  # one count for this load until its functions hold their own
        linecache.cache[filename] = (len(source), None, _lines(source), filename)
        _LIVE[filename] = _LIVE.get(filename, 0) + 1
    try:
        exec(code, module_ns)  # noqa: S102 - validated generated code only (see above)
        module_ns["__autograd_st_filename__"] = filename
        # the linecache entry lives as long as a function defined by this text does
        fns = [v for v in module_ns.values()
               if isinstance(v, types.FunctionType) and v.__code__.co_filename == filename]
        with _LOCK:
            _LIVE[filename] += len(fns)
        for fn in fns:
            weakref.finalize(fn, _release, filename)
    finally:
        _release(filename)
    return module_ns
