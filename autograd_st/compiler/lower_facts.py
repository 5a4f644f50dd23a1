"""What the lowering reads of a generated function's top-level statements, in one walk each.

Takes: a statement (gast) of a generated function.
Gives: :func:`walk_top` (its tagged nodes in walk order, the names it reads and binds, the
calls that read a name only for its shape), :func:`statement_facts` (the same without the
tagged nodes), :func:`names_of` (the sets of names it reads and binds) and
:func:`store_counts` (how many times each name of a function is bound): :mod:`.lower` walks
each statement once for its steps (the shapes step, ``_free_dead``, ``inplace``) instead of
once per step.  ``tests/test_compile_time.py`` checks them against gast's walk.
"""
from __future__ import annotations

from collections import deque

import gast

from .anno import ATTR
from .trees import child_fields, load_store_names

__all__ = ["walk_top", "statement_facts", "names_of", "store_counts"]


_FIELDS: dict = {}  # node class -> its fields that may hold nodes (trees.child_fields)


def walk_top(top, stores_count: dict) -> tuple:
    """``(tagged, loads, stores, reads)`` of top-level statement ``top``, in one walk:
    its tagged nodes in ``walk``'s order (breadth first), and what
    :func:`statement_facts` gives."""
    tagged, loads, stores, reads = [], [], set(), []
    todo = deque((top,))
    pop, push, read = todo.popleft, todo.append, loads.append
    ast_type, list_type, name_type, load_type, store_type = \
        gast.AST, list, gast.Name, gast.Load, gast.Store
    fields_of = _FIELDS
    while todo:
        node = pop()
        cls = node.__class__
        if cls is name_type:
            ctx = node.ctx.__class__
            if ctx is load_type:
                read(node.id)
            elif ctx is store_type:
                stores.add(node.id)
                stores_count[node.id] = stores_count.get(node.id, 0) + 1
            if node.annotation is not None:
                push(node.annotation)
            continue
        t = getattr(node, ATTR, None)
        if t is not None:
            tagged.append(node)
            facts = t.facts
            if t.kind == "unbroadcast":
                if facts["like"] is not None and facts["matmul"] is None:
                    reads.append((node, None, facts["like"]))
            elif t.kind == "shape_use":
                reads.append((node, facts["form"], facts["like"]))
        fields = fields_of.get(cls)
        if fields is None:
            fields = fields_of[cls] = child_fields(cls)
        for f in fields:
            v = getattr(node, f, None)
            if v.__class__ is list_type:
                for item in v:
                    if isinstance(item, ast_type):
                        push(item)
            elif isinstance(v, ast_type):
                push(v)
    return tagged, loads, stores, reads


def statement_facts(stmt, stores_count: dict) -> tuple:
    """``(loads, stores, reads)`` of top-level statement ``stmt``, in one walk: ``loads``, a
    list of each name read, as often as it is read; ``stores``, the set of names it binds
    (each binding counted in ``stores_count``, as :func:`store_counts` counts them);
    ``reads`` holds ``(call, form, like)`` for each call that reads a name ``like`` only for
    its shape (``unbroadcast(E, v)`` not of a matmul, form None, and the ``shape_use``
    calls).  What :func:`walk_top` gives, without its tagged nodes."""
    return walk_top(stmt, stores_count)[1:]


def names_of(stmt) -> tuple:
    """``(loads, stores)`` of statement ``stmt``: the sets of names it reads and binds."""
    loads, stores = set(), set()
    load_store_names(stmt, loads, stores)
    return loads, stores


def store_counts(fdef) -> dict:
    """How many times each name is bound in ``fdef`` (a parameter once more): the ``Store``
    names a walk finds, counted in one pass without a generator step per node."""
    counts = {a.id: 1 for a in fdef.args.args}
    stack = [fdef]
    pop, push = stack.pop, stack.append
    name_type, store_type, ast_type, list_type = gast.Name, gast.Store, gast.AST, list
    fields_of = _FIELDS
    while stack:
        node = pop()
        cls = node.__class__
        if cls is name_type:
            if node.ctx.__class__ is store_type:
                counts[node.id] = counts.get(node.id, 0) + 1
            if node.annotation is not None:
                push(node.annotation)
            continue
        fields = fields_of.get(cls)
        if fields is None:
            fields = fields_of[cls] = child_fields(cls)
        for f in fields:
            v = getattr(node, f, None)
            if v.__class__ is list_type:
                for item in v:
                    if isinstance(item, ast_type):
                        push(item)
            elif isinstance(v, ast_type):
                push(v)
    return counts


