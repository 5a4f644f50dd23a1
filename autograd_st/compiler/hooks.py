"""Hooks: ``y.register_hook(fn)`` statements placed where ``y`` is defined.

Takes: a fenced (and desugared) function's gast ``FunctionDef``.
Gives: the same function, each statement ``y.register_hook(fn)`` of one of its blocks moved
to just after the last statement of that block that assigns ``y`` before it (or to the top
of the function, for a parameter assigned nowhere before it), as the assignment
``y = y.register_hook(fn)``, its call marked (:func:`is_placed`) so that normalize emits the
``grad_hook`` primitive there.

Why: MindSpore's ``Tensor.register_hook`` (as PyTorch's) hooks the *value*: the hook gets the
whole gradient of ``y``, from the uses written before the registration too (measured on
MindSpore 2.10: ``y = 2x; z = 3y; y.register_hook(h); w = y*y`` calls ``h`` with ``3 + 2y``).
Once the hooked name is bound at the definition, every use reads it, and the reverse pass sums
all their gradients before the hook runs.

A statement stays where it is (and normalize refuses it at the user's line, with a way out)
when it cannot be moved safely: ``y`` last assigned by a compound statement (``if``, ``for``
...) of the block, the hook's expression reading a name assigned between the two places, or
a parameter hooked inside a nested block.
"""
from __future__ import annotations

import ast
import copy
import types

import gast

from ..prims import has_sym
from .codegen import names_read, names_written
from .normalize_values import Closure

__all__ = ["place_hooks", "needed", "is_placed", "hook_function"]

_PLACED = "_autograd_st_hook_placed"
_SIMPLE = (gast.Assign, gast.AugAssign, gast.AnnAssign)
_BLOCKS = ("body", "orelse", "finalbody")


def _hook_of(stmt):
    """``(name, call)`` for a statement ``name.register_hook(fn)``, else None."""
    if not isinstance(stmt, gast.Expr) or not isinstance(stmt.value, gast.Call):
        return None
    call = stmt.value
    func = call.func
    if isinstance(func, gast.Attribute) and func.attr == "register_hook" \
            and isinstance(func.value, gast.Name) and len(call.args) == 1 and not call.keywords:
        return func.value.id, call
    return None


def is_placed(call) -> bool:
    """Whether a ``register_hook`` call was placed at its value's definition by this pass."""
    return bool(getattr(call, _PLACED, False))


def needed(fdef) -> bool:
    """Does ``fdef`` hold a ``register_hook`` statement?"""
    # a hook is an expression statement, and statements hold statements only in their blocks
    # (body, orelse, handlers ...): only those lists are looked into, not the expressions
    todo = [fdef]
    pop, extend, expr_type = todo.pop, todo.extend, gast.Expr
    while todo:
        node = pop()
        if node.__class__ is expr_type:
            if _hook_of(node) is not None:
                return True
            continue
        for f in node._fields:
            v = getattr(node, f, None)
            if v.__class__ is list:
                extend([s for s in v if isinstance(s, _BLOCK_ITEMS)])
    return False


_BLOCK_ITEMS = tuple(getattr(gast, n) for n in ("stmt", "excepthandler", "match_case")
                     if hasattr(gast, n))


def _place_in(stmts: list, params: set, top: bool) -> list:
    out: list = []
    for stmt in stmts:
        for field in _BLOCKS:
            inner = getattr(stmt, field, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], gast.stmt):
                setattr(stmt, field, _place_in(inner, params, False))
        found = _hook_of(stmt)
        if found is None:
            out.append(stmt)
            continue
        name, call = found
        at = None
        for i in range(len(out) - 1, -1, -1):
            if name in names_written([out[i]]):
                at = i + 1 if isinstance(out[i], _SIMPLE) else None
                break
        else:
            at = 0 if top and name in params else None
        between = out[at:] if at is not None else []
        if at is None or set(names_read([call.args[0]])) & set(names_written(between)):
            out.append(stmt)  # (normalize refuses it, with a way out)
            continue
        placed = copy.deepcopy(call)
        setattr(placed, _PLACED, True)
        assign = gast.Assign(targets=[gast.Name(id=name, ctx=gast.Store(), annotation=None,
                                                type_comment=None)],
                             value=placed, type_comment=None)
        out.insert(at, gast.copy_location(assign, stmt))
    return out


def place_hooks(fdef):
    """Rewrite ``fdef`` in place (see the module docstring) and return it."""
    args = fdef.args
    params = {a.id for a in args.posonlyargs + args.args + args.kwonlyargs
              if isinstance(a, gast.Name)}
    fdef.body = _place_in(fdef.body, params, True)
    return fdef


def hook_function(value, src, local_names):
    """The callable a placed ``register_hook`` call passes, or None (refused): a function
    known at compile time as it is; a ``lambda`` or ``def`` written in the differentiated
    function made a real function when it reads none of that function's own variables and
    has no defaults: compiled from its text under the user's file name, with the user's
    globals and the user function's live closure cells (so it sees what they hold when it
    runs, as the lambda would)."""
    if not isinstance(value, Closure):
        return value if callable(value) and not has_sym(value) else None
    node = value.node
    if value.defaults:
        return None
    args = node.args
    params = {a.id for a in args.posonlyargs + args.args + args.kwonlyargs}
    params.update(a.id for a in (args.vararg, args.kwarg) if a is not None)
    body = [node.body] if isinstance(node, gast.Lambda) else node.body
    free = set(names_read(body)) - params
    if free & set(local_names):
        return None
    code = src.func.__code__
    cells = dict(zip(code.co_freevars, src.func.__closure__ or ()))
    outer_params = sorted(free & set(cells))
    # def _outer(<the closure names it reads>): return <the lambda> (or: <def>; return it)
    outer = ast.parse("def _hook_outer(%s):\n    return None" % ", ".join(outer_params))
    fdef = outer.body[0]
    inner = gast.gast_to_ast(copy.deepcopy(node))
    if isinstance(node, gast.Lambda):
        fdef.body = [ast.Return(value=inner)]
    else:
        fdef.body = [inner, ast.Return(value=ast.Name(id=node.name, ctx=ast.Load()))]
    ast.copy_location(fdef, inner)
    namespace: dict = {}
    exec(compile(ast.fix_missing_locations(outer), src.filename, "exec"), src.globals,
         namespace)  # noqa: S102
    inner_code = next(c for c in namespace["_hook_outer"].__code__.co_consts
                      if isinstance(c, types.CodeType))
    return types.FunctionType(inner_code, src.globals, inner_code.co_name, None,
                              tuple(cells[n] for n in inner_code.co_freevars))
