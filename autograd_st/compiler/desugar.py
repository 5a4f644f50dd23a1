"""Desugar: early ``return``, ``break`` and ``continue`` -> structured control flow.

Takes: a fenced function's gast ``FunctionDef``.
Gives: an equivalent ``FunctionDef`` whose only ``return`` is its last statement, with no
``break`` or ``continue``, so that normalize sees if/for/while with single exits:

- ``if c: return a`` followed by more code puts that code in the ``else`` branch; every tail
  ``return v`` becomes an assignment to one result variable, returned once at the end.
- In a loop, ``break`` / ``continue`` / ``return`` set flags, and the statements after them
  run under ``if not <flag>:``.  A ``for`` over ``range`` that can stop early becomes a
  ``while`` on its counter, so it stops instead of idling through the remaining iterations;
  the ``while`` keeps the idling ``for`` (``if not <flag>:`` around the body) as its
  ``unrollable_form``, which the normalizer unrolls when the body needs the counter as a
  compile-time value (a ``CellList`` indexed by it).
  A ``return`` inside a loop is a ``break`` plus a flag checked right after the loop.
- A loop's ``else:`` runs after the loop under ``if not <break flag>:`` (after it without a
  ``break``), as Python runs it: when the loop ends without breaking.

Locations are copied from the statements they replace, so errors still point at user lines.
"""
from __future__ import annotations

import copy

import gast

from ..table_index import IN_PLACE_METHODS
from .trees import name_ids

__all__ = ["desugar", "needed", "in_place_needed", "rebind_in_place"]


def _name(id_, store=False):
    return gast.Name(id=id_, ctx=gast.Store() if store else gast.Load(), annotation=None,
                     type_comment=None)


def _assign(target, value, like):
    node = gast.Assign(targets=[_name(target, True)], value=value, type_comment=None)
    return gast.copy_location(node, like)


def _const(v):
    return gast.Constant(value=v, kind=None)


def _not(expr):
    return gast.UnaryOp(op=gast.Not(), operand=expr)


# the fields that hold statements (a statement's block, a handler's or a case's body): the
# exits _has looks for are statements, and no expression holds a statement (a lambda's body
# is an expression), so it looks nowhere else
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def _has(stmts, kinds, into_loops=False) -> bool:
    """Does one of ``stmts`` contain a node of ``kinds`` (statements: return, break,
    continue)?  A nested loop's own ``break`` and ``continue`` stay inside it (unless
    ``into_loops``); a ``return`` in it still counts (one in a function nested in the loop
    too)."""
    stop = kinds + _SCOPES
    returns = gast.Return in kinds
    todo = list(stmts)  # (a stack, not a recursion with a generator per node)
    while todo:
        n = todo.pop()
        if isinstance(n, stop):  # (a nested function's exits are its own)
            if not isinstance(n, _SCOPES):
                return True
            continue
        if isinstance(n, (gast.For, gast.While)) and not into_loops:
            if returns and _has_return(n):
                return True
            continue
        for f in _BLOCKS:
            v = getattr(n, f, None)
            if v:
                todo.extend(v)
    return False


def _has_return(node) -> bool:
    """Is there a ``return`` anywhere in ``node`` (in a function nested in it too)?"""
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, gast.Return):
            return True
        for f in _BLOCKS:
            v = getattr(n, f, None)
            if v:
                todo.extend(v)
    return False


_SCOPES = (gast.FunctionDef, gast.Lambda)


def _nested_defs(stmts) -> list:
    """The ``def`` statements nested in ``stmts`` (not inside another nested def): a def
    is a statement, so only statement bodies are searched."""
    out = []
    for s in stmts:
        if isinstance(s, gast.FunctionDef):
            out.append(s)
        elif isinstance(s, (gast.If, gast.For, gast.While)):
            out.extend(_nested_defs(s.body))
            out.extend(_nested_defs(s.orelse))
    return out


def _always_returns(stmts) -> bool:
    for s in stmts:
        if isinstance(s, gast.Return):
            return True
        if isinstance(s, gast.If) and _always_returns(s.body) and _always_returns(s.orelse):
            return True
    return False


class _Desugar:
    def __init__(self, fdef) -> None:
        self.fdef = fdef
        self.taken = set(name_ids(fdef))
        self.taken.update(a.id for a in fdef.args.args)
        self.result = None

    def fresh(self, base: str) -> str:
        name, i = base, 0
        while name in self.taken:
            i += 1
            name = "%s_%d" % (base, i)
        self.taken.add(name)
        return name

    def run(self):
        body = self.loops(self.fdef.body)
        if any(not (isinstance(s, gast.Return) and i == len(body) - 1)
               for i, s in enumerate(body) if _has([s], (gast.Return,), True)):
            self.result = self.fresh("_result")
            body = self.tails(body)
            last = body[-1] if body else self.fdef
            ret = gast.copy_location(gast.Return(value=_name(self.result)), last)
            body = body + [ret]
        self.fdef.body = body
        return self.fdef

    # -- returns outside loops -------------------------------------------------------------
    def tails(self, stmts):
        """Move the code after an ``if`` that may return into the branches that do not."""
        out = []
        for i, s in enumerate(stmts):
            if isinstance(s, gast.Return):
                value = s.value if s.value is not None else _const(None)
                out.append(_assign(self.result, value, s))
                return out
            if isinstance(s, gast.If) and _has([s], (gast.Return,), True):
                rest = stmts[i + 1:]
                body = s.body if _always_returns(s.body) else s.body + copy.deepcopy(rest)
                orelse = s.orelse if _always_returns(s.orelse) else s.orelse + rest
                new = gast.copy_location(gast.If(test=s.test, body=self.tails(body) or
                                                 [gast.Pass()], orelse=self.tails(orelse)), s)
                out.append(new)
                return out
            out.append(s)
        return out

    # -- loops -----------------------------------------------------------------------------
    def loops(self, stmts):
        out = []
        for s in stmts:
            if isinstance(s, gast.If):
                s.body = self.loops(s.body)
                s.orelse = self.loops(s.orelse)
                out.append(s)
            elif isinstance(s, (gast.For, gast.While)):
                s.body = self.loops(s.body)  # inner loops first
                out.extend(self.loop(s))
            else:
                out.append(s)
        return out

    def loop(self, loop):
        has_break = _has(loop.body, (gast.Break,))
        has_cont = _has(loop.body, (gast.Continue,))
        has_ret = _has(loop.body, (gast.Return,))
        orelse, loop.orelse = self.loops(loop.orelse), []
        if not (has_break or has_cont or has_ret):
            return [loop] + orelse
        pre = []
        brk = self.fresh("_broke") if (has_break or has_ret) else None
        cont = self.fresh("_skip") if has_cont else None
        retf = retv = None
        if has_ret:
            retf = self.fresh("_returned")
            retv = self.fresh("_return_value")
            pre.append(_assign(retf, _const(False), loop))
            pre.append(_assign(retv, _placeholder(loop.body), loop))
        if brk:
            pre.append(_assign(brk, _const(False), loop))
        flags = [f for f in (brk, cont) if f]
        body = self.flagged(loop.body, brk, cont, retf, retv, flags)
        if cont:
            body = [_assign(cont, _const(False), loop)] + body
        if isinstance(loop, gast.While):
            test = loop.test if not brk else gast.BoolOp(op=gast.And(),
                                                         values=[_not(_name(brk)), loop.test])
            new = gast.copy_location(gast.While(test=test, body=body, orelse=[]), loop)
            post = []
        elif brk and _is_range(loop.iter) and isinstance(loop.target, gast.Name):
            new, counter_pre = self.range_while(loop, body, brk)
            pre.extend(counter_pre)
            post = []
            # the same loop idling through its remaining iterations once the flag is set: a
            # ``for`` the normalizer can unroll when the body needs the counter as a
            # compile-time value (``self.layers[i]``) and the trip count is a constant
            # (the counter is set under the flag too: after a break it keeps the value of the
            # iteration that broke, as Python's does)
            item = self.fresh("_" + loop.target.id + "_item")
            guarded = [_assign(loop.target.id, _name(item), loop)] + body
            new.unrollable_form = gast.copy_location(gast.For(
                target=_name(item, True), iter=loop.iter, orelse=[], type_comment=None,
                body=[gast.copy_location(gast.If(test=_not(_name(brk)), body=guarded,
                                                 orelse=[]), loop)]), loop)
        else:
            if brk:
                body = [gast.copy_location(gast.If(test=_not(_name(brk)), body=body, orelse=[]),
                                           loop)]
            new = gast.copy_location(gast.For(target=loop.target, iter=loop.iter, body=body,
                                              orelse=[], type_comment=None), loop)
            post = []
        out = pre + [new] + post
        if orelse:  # (run when the loop ended without a break, or a return: both set brk)
            out += [gast.copy_location(gast.If(test=_not(_name(brk)), body=orelse,
                                               orelse=[]), loop)] if brk else orelse
        if has_ret:
            out.append(gast.copy_location(gast.If(test=_name(retf), body=[
                gast.copy_location(gast.Return(value=_name(retv)), loop)], orelse=[]), loop))
        return out

    def range_while(self, loop, body, brk):
        args = loop.iter.args
        if len(args) == 1:
            start, stop, step = _const(0), args[0], _const(1)
        elif len(args) == 2:
            start, stop, step = args[0], args[1], _const(1)
        else:
            start, stop, step = args
        counter = self.fresh("_" + loop.target.id + "_next")
        stop_name = self.fresh("_stop")
        pre = [_assign(counter, start, loop), _assign(stop_name, stop, loop)]
        negative = isinstance(step, gast.Constant) and isinstance(step.value, (int, float)) \
            and step.value < 0 or (isinstance(step, gast.UnaryOp)
                                   and isinstance(step.op, gast.USub))
        cmp = gast.Compare(left=_name(counter), ops=[gast.Gt() if negative else gast.Lt()],
                           comparators=[_name(stop_name)])
        test = gast.BoolOp(op=gast.And(), values=[_not(_name(brk)), cmp])
        head = [_assign(loop.target.id, _name(counter), loop),
                _assign(counter, gast.BinOp(left=_name(counter), op=gast.Add(), right=step),
                        loop)]
        new = gast.copy_location(gast.While(test=test, body=head + body, orelse=[]), loop)
        return new, pre

    def flagged(self, stmts, brk, cont, retf, retv, flags):
        """Replace break/continue/return by flag assignments; guard what follows them."""
        out = []
        for i, s in enumerate(stmts):
            if isinstance(s, gast.Break):
                out.append(_assign(brk, _const(True), s))
                return out
            if isinstance(s, gast.Continue):
                out.append(_assign(cont, _const(True), s))
                return out
            if isinstance(s, gast.Return):
                value = s.value if s.value is not None else _const(None)
                out += [_assign(retv, value, s), _assign(retf, _const(True), s),
                        _assign(brk, _const(True), s)]
                return out
            if isinstance(s, gast.If) and _has([s], (gast.Break, gast.Continue, gast.Return)):
                # what follows is guarded at the break, continue or return it guards against
                # (the generated code's comment reads `# break`)
                exit_ = next(n for n in gast.walk(s)
                             if isinstance(n, (gast.Break, gast.Continue, gast.Return)))
                s.body = self.flagged(s.body, brk, cont, retf, retv, flags) or [gast.Pass()]
                s.orelse = self.flagged(s.orelse, brk, cont, retf, retv, flags)
                out.append(s)
                rest = self.flagged(stmts[i + 1:], brk, cont, retf, retv, flags)
                if rest:
                    test = _not(_name(flags[0])) if len(flags) == 1 else gast.UnaryOp(
                        op=gast.Not(), operand=gast.BoolOp(op=gast.Or(),
                                                           values=[_name(f) for f in flags]))
                    out.append(gast.copy_location(gast.If(test=test, body=rest, orelse=[]),
                                                  exit_))
                return out
            out.append(s)
        return out


def _shape_of(node):
    """The placeholder for a returned expression: ``0.0``, or a tuple of them shaped like a
    tuple display (``return a, (b, c)``), so the loop carries a value of that structure."""
    if isinstance(node, gast.Tuple):
        return gast.Tuple(elts=[_shape_of(e) for e in node.elts], ctx=gast.Load())
    return _const(0.0)


def _placeholder(body):
    """What a loop's return value starts as: shaped like what its returns return, when they
    all return tuple displays of one structure, else ``0.0``."""
    shapes = {gast.dump(_shape_of(n.value)) if n.value is not None else "None"
              for n in _returns(body)}
    first = _returns(body)[0].value
    if len(shapes) == 1 and first is not None:
        return _shape_of(first)
    return _const(0.0)


def _returns(stmts) -> list:
    """The return statements in ``stmts`` (not in nested functions)."""
    out = []

    def visit(n):
        if isinstance(n, _SCOPES):
            return
        if isinstance(n, gast.Return):
            out.append(n)
        for c in gast.iter_child_nodes(n):
            visit(c)
    for s in stmts:
        visit(s)
    return out


def _is_range(node) -> bool:
    return isinstance(node, gast.Call) and isinstance(node.func, gast.Name) \
        and node.func.id == "range" and not node.keywords and 1 <= len(node.args) <= 3


def needed(fdef) -> bool:
    """Would :func:`desugar` change ``fdef``?  (An early return, a break or a continue, in
    it or in a function nested in it.)"""
    body = fdef.body[:-1] if fdef.body and isinstance(fdef.body[-1], gast.Return) else fdef.body
    return _has(body, (gast.Return, gast.Break, gast.Continue), True) \
        or _loop_else(fdef.body) or any(needed(d) for d in _nested_defs(fdef.body))


def _loop_else(stmts) -> bool:
    """Does one of ``stmts`` hold a loop with an ``else:`` (not looking into nested
    functions: their own desugar sees theirs)?"""
    todo = list(stmts)
    while todo:
        n = todo.pop()
        if isinstance(n, (gast.For, gast.While)) and n.orelse:
            return True
        if not isinstance(n, _SCOPES):
            for f in _BLOCKS:
                todo.extend(getattr(n, f, None) or ())
    return False


def desugar(fdef):
    """Rewrite ``fdef`` in place (see the module docstring) and return it; a function
    nested in it is desugared on its own (its returns are its own)."""
    for nested in _nested_defs(fdef.body):
        desugar(nested)
    body = fdef.body[:-1] if fdef.body and isinstance(fdef.body[-1], gast.Return) else fdef.body
    if not _has(body, (gast.Return, gast.Break, gast.Continue), True) \
            and not _loop_else(fdef.body):
        return fdef
    return _Desugar(fdef).run()


def _in_place_call(stmt) -> bool:
    """``stmt`` is ``name.add_(...)`` (a Tensor method that writes into its Tensor) alone."""
    if not isinstance(stmt, gast.Expr) or not isinstance(stmt.value, gast.Call):
        return False
    func = stmt.value.func
    return isinstance(func, gast.Attribute) and isinstance(func.value, gast.Name) \
        and func.attr in IN_PLACE_METHODS


def _statement_lists(stmts):
    for stmt in stmts:
        for field in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, field, None)
            if isinstance(inner, list) and not isinstance(stmt, (gast.FunctionDef, gast.ClassDef)):
                yield inner
                yield from _statement_lists(inner)
        for handler in getattr(stmt, "handlers", ()):
            yield handler.body
            yield from _statement_lists(handler.body)


def in_place_needed(fdef) -> bool:
    """Would :func:`rebind_in_place` change ``fdef``?"""
    return any(_in_place_call(s) for body in [fdef.body, *_statement_lists(fdef.body)] for s in body)


def rebind_in_place(fdef):
    """Each statement ``name.add_(y)`` of ``fdef`` (not of a function nested in it) becomes
    ``name = name.add_(y)``, marked ``in_place``, so that loops and branches see ``name``
    rebound: the method returns its Tensor, so the two mean the same in Python; the
    normalizer binds ``name`` to the new value only where it holds a runtime value
    (``normalize_calls._in_place_method``).  In place, returns ``fdef``."""
    for body in [fdef.body, *_statement_lists(fdef.body)]:
        for i, stmt in enumerate(body):
            if _in_place_call(stmt):
                new = _assign(stmt.value.func.value.id, stmt.value, stmt)
                new.in_place = True
                body[i] = new
    return fdef
