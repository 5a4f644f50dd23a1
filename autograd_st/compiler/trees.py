"""Tree helpers every pass uses on gast trees, written for speed (they run on every node of
every generated function, several times per compile).

Gives: :func:`walk` (``gast.walk``: the same nodes in the same order), :func:`load_store_names`
and :func:`stored_names` (the names a tree reads and assigns), and :func:`to_ast`
(``gast.gast_to_ast`` for printing).  ``tests/test_compile_time.py`` checks each against
gast's own.  Also :func:`zip_call`: whether a node is a plain ``zip(...)`` call.
"""
from __future__ import annotations

import ast
from collections import deque

import gast

__all__ = ["walk", "load_store_names", "name_ids", "stored_names", "to_ast", "child_fields",
           "zip_call"]

_AST = gast.AST


# fields that never hold a node (a name, a literal's value): not looked into by walk
_LEAF_FIELDS = {(gast.Name, "id"), (gast.Name, "type_comment"), (gast.Attribute, "attr"),
                (gast.keyword, "arg"), (gast.Constant, "value"), (gast.Constant, "kind"),
                (gast.FunctionDef, "name"), (gast.FunctionDef, "type_comment"),
                (gast.Assign, "type_comment"), (gast.For, "type_comment")}
_CHILD_FIELDS: dict = {}  # node class -> the fields walk looks into


def child_fields(cls) -> tuple:
    """The fields of node class ``cls`` that may hold nodes."""
    fields = _CHILD_FIELDS[cls] = tuple(f for f in cls._fields if (cls, f) not in _LEAF_FIELDS)
    return fields


def walk(node):
    """``gast.walk`` (``ast.walk``: breadth first, the same nodes in the same order) without
    its two generators per node: the passes walk every generated tree several times."""
    todo = deque((node,))
    pop, push = todo.popleft, todo.append
    ast_type, list_type, children = _AST, list, _CHILD_FIELDS
    while todo:
        node = pop()
        cls = node.__class__
        fields = children.get(cls)
        if fields is None:
            fields = child_fields(cls)
        for f in fields:
            v = getattr(node, f, None)
            if v.__class__ is list_type:
                for item in v:
                    if isinstance(item, ast_type):
                        push(item)
            elif isinstance(v, ast_type):
                push(v)
        yield node


def load_store_names(node, loads: set, stores: set) -> None:
    """Add the names ``node`` reads to ``loads`` and those it assigns to ``stores`` (what
    ``walk`` finds as ``Name`` nodes, without a generator step per node and without looking
    into a name's context)."""
    stack = [node]
    pop, push = stack.pop, stack.append
    name_type, load_type, store_type = gast.Name, gast.Load, gast.Store
    ast_type, list_type, children = _AST, list, _CHILD_FIELDS
    while stack:
        node = pop()
        cls = node.__class__
        if cls is name_type:
            ctx = node.ctx.__class__
            if ctx is load_type:
                loads.add(node.id)
            elif ctx is store_type:
                stores.add(node.id)
            if node.annotation is not None:  # (a parameter's; never in generated code)
                push(node.annotation)
            continue
        fields = children.get(cls)
        if fields is None:
            fields = child_fields(cls)
        for f in fields:
            v = getattr(node, f, None)
            if v.__class__ is list_type:
                for item in v:
                    if isinstance(item, ast_type):
                        push(item)
            elif isinstance(v, ast_type):
                push(v)


def name_ids(node) -> list:
    """The ``id`` of every ``Name`` in ``node`` (any context), as often as each occurs: what
    ``walk`` finds as ``Name`` nodes, without a generator step per node."""
    out: list = []
    stack = [node]
    pop, push, add = stack.pop, stack.append, out.append
    name_type, ast_type, list_type, children = gast.Name, _AST, list, _CHILD_FIELDS
    while stack:
        node = pop()
        cls = node.__class__
        if cls is name_type:
            add(node.id)
            if node.annotation is not None:  # (a parameter's; never in generated code)
                push(node.annotation)
            continue
        fields = children.get(cls)
        if fields is None:
            fields = child_fields(cls)
        for f in fields:
            v = getattr(node, f, None)
            if v.__class__ is list_type:
                for item in v:
                    if isinstance(item, ast_type):
                        push(item)
            elif isinstance(v, ast_type):
                push(v)
    return out


def stored_names(stmts) -> set:
    """The names generated statements assign: ``names_written`` looking only at assignment
    and loop targets (generated code binds names nowhere else: no comprehension, walrus or
    ``with`` reaches it), not into every expression."""
    out: set = set()
    ignored: set = set()
    for stmt in stmts:
        cls = stmt.__class__
        if cls is gast.Assign:
            for t in stmt.targets:
                load_store_names(t, ignored, out)
        elif cls is gast.AugAssign or cls is gast.AnnAssign:
            load_store_names(stmt.target, ignored, out)
        elif cls is gast.For:
            load_store_names(stmt.target, ignored, out)
            out |= stored_names(stmt.body) | stored_names(stmt.orelse)
        elif cls is gast.If or cls is gast.While:
            out |= stored_names(stmt.body) | stored_names(stmt.orelse)
    return out


_AST_OF: dict = {}  # gast class -> the ast class of the same name
_ARG_LISTS = ("posonlyargs", "args", "kwonlyargs")


def _arg(node):
    """A parameter: gast's ``Name`` in ``arguments`` is ast's ``arg``."""
    if node is None:
        return None
    new = ast.arg.__new__(ast.arg)
    new.arg, new.annotation = node.id, to_ast(node.annotation)
    new.type_comment = getattr(node, "type_comment", None)
    return new


def to_ast(node):
    """``gast.gast_to_ast`` for what codegen prints (on this Python: ast's fields are
    gast's, less the ones it does not have, and parameters are ``arg``), without gast's
    generic visitor (a dict of fields and a ``copy_location`` per node) or locations, which
    the printer never reads: the printed text is the same."""
    if isinstance(node, list):
        return [to_ast(n) for n in node]
    if not isinstance(node, _AST):
        return node
    cls = node.__class__
    if cls is gast.ExceptHandler:  # (never generated) its name is a Name in gast
        return gast.gast_to_ast(node)
    target = _AST_OF.get(cls)
    if target is None:
        target = _AST_OF[cls] = getattr(ast, cls.__name__)
    new = target.__new__(target)
    if target is ast.arguments:
        for f in target._fields:
            v = getattr(node, f, None)
            if f in _ARG_LISTS:
                v = [_arg(a) for a in v or ()]
            elif f in ("vararg", "kwarg"):
                v = _arg(v)
            else:
                v = to_ast(v)
            setattr(new, f, v)
        return new
    for f in target._fields:
        value = getattr(node, f, None)
        if value.__class__ is list:
            value = [to_ast(v) for v in value]
        elif isinstance(value, _AST):
            value = to_ast(value)
        setattr(new, f, value)
    return new


def zip_call(node, n=None) -> bool:
    """``node`` is ``zip(a1, ..., an)`` (by its name; the caller checks what it denotes;
    ``n`` None: any number of arguments), no starred argument or keyword."""
    return isinstance(node, gast.Call) and isinstance(node.func, gast.Name) \
        and node.func.id == "zip" and n in (None, len(node.args)) and not node.keywords \
        and not any(isinstance(a, gast.Starred) for a in node.args)
