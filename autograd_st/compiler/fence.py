"""Fence: refuse Python the compiler does not handle, before any other work.

Takes: a parsed :class:`~autograd_st.compiler.parse.Source`.
Gives: nothing; raises :class:`~autograd_st.errors.UnsupportedSyntaxError` at the user's
file:line with a caret and a way out.  The table below is also the list of refused Python.
"""
from __future__ import annotations

import gast

from ..errors import UnsupportedSyntaxError
from .trees import child_fields

__all__ = ["fence", "REFUSED"]

REFUSED = {
    gast.Try: ("try/except", "compute without exceptions, or move the try block out of the "
               "differentiated function"),
    gast.With: ("with", "move the with block out of the differentiated function"),
    gast.AsyncWith: ("async with", "move the async with block out of the differentiated "
                     "function (differentiated code must be synchronous)"),
    gast.Yield: ("yield", "return the values (a tuple) instead of yielding them"),
    gast.YieldFrom: ("yield from", "return the values (a tuple) instead of yielding them"),
    gast.Await: ("await", "await the value before the call and pass it in as an argument "
                 "(differentiated code must be synchronous)"),
    gast.Global: ("global", "pass the value in as an argument or keep it on self"),
    gast.Nonlocal: ("nonlocal", "return the new value instead of assigning an outer variable"),
    gast.Delete: ("del", "let the variable go out of scope instead"),
    gast.ClassDef: ("class definition", "define the class outside the differentiated function"),
    gast.AsyncFunctionDef: ("async def", "make it a plain def (differentiated code must be "
                            "synchronous)"),
    gast.Import: ("import", "import at module level"),
    gast.ImportFrom: ("import", "import at module level"),
    gast.NamedExpr: ("the walrus operator :=", "assign the value in a statement of its own"),
    gast.SetComp: ("a set comprehension", "build a list or a tuple instead"),
    gast.Starred: ("*-unpacking outside a call's arguments",
                   "pass or unpack the values one by one"),
    gast.Match: ("match", "use if / elif"),
    gast.TryStar: ("try/except*", "compute without exceptions, or move the try block out of the "
                   "differentiated function"),
    gast.AsyncFor: ("async for", "collect the values before the call and loop over them "
                    "with a plain for (differentiated code must be synchronous)"),
    gast.TypeAlias: ("a type alias statement", "define the alias at module level"),
}


# node class -> (_Fence's check_<class> or None, the fields that may hold nodes)
_METHODS: dict = {}


class _Fence:
    def __init__(self, src) -> None:
        self.src = src
        self.top = None
        self.allowed: set = set()  # ids of nodes of a refused class allowed where they are

    def refuse(self, node, what, hint) -> None:
        raise UnsupportedSyntaxError(
            "%s is not supported in differentiated code (%s)" % (what, self.src.qualname),
            self.src.filename, getattr(node, "lineno", None), getattr(node, "col_offset", 0),
            hint=hint)

    def visit(self, node):
        """NodeVisitor's walk (each node, then its fields' nodes in order, depth first),
        with a stack instead of a recursion and the checks found once per class: a node's
        ``check_<class>`` runs before its nodes are looked into, as a ``visit_<class>``
        that calls ``generic_visit`` last would."""
        stack = [node]
        pop = stack.pop
        ast_type, list_type, refused, top = gast.AST, list, REFUSED, self.top
        name_type = gast.Name
        while stack:
            node = pop()
            cls = node.__class__
            if cls is name_type:  # (the commonest node: no check, nothing in its context)
                if node.annotation is not None:
                    stack.append(node.annotation)
                continue
            found = _METHODS.get(cls)
            if found is None:
                found = _METHODS[cls] = (getattr(_Fence, "check_" + cls.__name__, None),
                                         child_fields(cls))
            method, fields = found
            if method is not None:
                method(self, node)
            entry = refused.get(cls)
            if entry is not None and node is not top and id(node) not in self.allowed:
                self.refuse(node, *entry)
            children = []
            for f in fields:
                v = getattr(node, f, None)
                if v.__class__ is list_type:
                    for item in v:
                        if isinstance(item, ast_type):
                            children.append(item)
                elif isinstance(v, ast_type):
                    children.append(v)
            if children:
                children.reverse()  # (popped in field order)
                stack.extend(children)

    def check_FunctionDef(self, node):
        if node is not self.top:  # a nested def: a local function, bound where it is called
            if node.decorator_list:
                self.refuse(node.decorator_list[0], "a decorator on a nested function",
                            "define the decorated function at module level")
            self._check_params(node, "a nested function")

    def check_Lambda(self, node):
        self._check_params(node, "a lambda")

    def _check_params(self, node, what):
        args = node.args
        if args.vararg is not None or args.kwarg is not None or args.kwonlyargs \
                or getattr(args, "posonlyargs", None):
            self.refuse(node, "*args, **kwargs, keyword-only or positional-only parameters of "
                        + what, "give it plain positional parameters")

    def check_Call(self, node):
        # f(*args): a tuple or list whose length is known when the code is compiled (the
        # normalizer refuses any other)
        # f(**kw): a dict whose keys are known when the code is compiled (the normalizer
        # refuses any other)
        self.allowed.update(id(a) for a in node.args if isinstance(a, gast.Starred))

    def check_Assign(self, node):
        for t in node.targets:
            self._check_target(t)

    def check_AugAssign(self, node):
        self._check_target(node.target)

    def check_Tuple(self, node):
        # (a, *rest) and [*xs, y]: a sequence whose length is known when the code is
        # compiled (the normalizer refuses any other); a, *rest = ...: one starred name
        if isinstance(node.ctx, gast.Load):
            self.allowed.update(id(e) for e in node.elts if isinstance(e, gast.Starred))

    check_List = check_Tuple

    def _check_target(self, t):
        if isinstance(t, (gast.Tuple, gast.List)):
            starred = [e for e in t.elts if isinstance(e, gast.Starred)]
            if len(starred) == 1 and isinstance(starred[0].value, gast.Name):
                self.allowed.add(id(starred[0]))
            for e in t.elts:
                if id(e) in self.allowed:
                    continue
                self._check_target(e)
        elif isinstance(t, gast.Starred):
            self.refuse(t, *REFUSED[gast.Starred])
        elif isinstance(t, gast.Attribute):
            self.refuse(t, "assigning to an attribute (%s)" % t.attr,
                        "keep the value in a local variable, or update state outside the "
                        "differentiated call")
        elif isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name):
            pass  # name[i] = v: a dict or list the function built, or a Tensor's new value
        elif isinstance(t, gast.Subscript):
            self.refuse(t, "assigning into a subscript",
                        "build the new value with ops (e.g. ops.where, or concatenation) "
                        "instead of writing into an array; to add to a list, outs.append(v) "
                        "or outs.extend(vs)")
        # (else a Name: the targets of an assignment are these and names)


def fence(src) -> None:
    """Raise UnsupportedSyntaxError for the first refused construct in ``src``."""
    f = _Fence(src)
    f.top = src.node
    node = src.node
    for stmt in node.body:
        f.visit(stmt)
