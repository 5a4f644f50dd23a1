"""Statements: assignments, ``if``, ``for``, ``while`` and ``return`` bound into IR statements.

Takes: the user function's statements (gast, fenced and desugared: ``if``/``for``/``while``
with single exits), one at a time, in the normalizer's current environment.
Gives: IR statements appended to the current block and the environment updated (each user
name bound to its new value, see :mod:`.normalize_values`):

- ``a = value`` binds ``a`` (a fresh SSA version when the value is a new runtime value);
  tuple targets unpack a compile-time sequence, or a runtime value (``b, s = x.shape``:
  its items, after a check that it has exactly that many, as Python's unpacking raises);
- ``if`` on a constant normalizes the branch taken; on a runtime value it becomes an IR
  ``If`` whose branches end with copies into merged versions of the names they change.  A
  name only one branch assigns holds :data:`~.normalize_values.UNBOUND` on the other path,
  and every read of it is preceded by a check that raises Python's ``UnboundLocalError``
  there (:meth:`check_bound`), so it is never a silent None or zero;
- ``for`` and ``while`` are :class:`~.normalize_loops.LoopsMixin`'s;
- ``def`` inside the function is a local function
  (:class:`~.normalize_containers.ContainersMixin`);
- ``return value`` sets the function's result (a list in it is a tuple).

:class:`StatementsMixin` is one part of :class:`~autograd_st.compiler.normalize.Normalizer`
and uses its state (``env``, ``block``, ``loc``, ``rest_stack``, ...) and its other parts
(``expr``, ``binop``, ``load_name``, ``opaque``).
"""
from __future__ import annotations

import ast
import builtins
import re

import gast
import numpy as np

from ..errors import UnsupportedSyntaxError
from ..prims import P, Sym, has_sym
from .ir import If, leaves
from .loop_state import BindingState, dicts_in, lists_in, restore_dicts
from .normalize_containers import returned
from .normalize_loops import LoopsMixin
from .normalize_values import (
    CHECK_BOUND,
    CHECK_UNPACK,
    MISSING,
    PARTIAL,
    RAISE_ERROR,
    UNBOUND,
    UNDEFINED,
    NeedsConstant,
    SymList,
    holds_partial_of_runtime_values,
    sym,
    tuple_like,
)
from .runtime_lists import ListsGrow

__all__ = ["StatementsMixin"]

_MERGEABLE = (Sym, int, float, bool, np.ndarray, np.generic, type(None))
_CONSTANTS = (int, float, bool, str, bytes, type(None))  # kept when equal on both paths
_RESULT = re.compile(r"_result(_\d+)?")  # the variable desugar returns early returns through


_OP_TEXT = {gast.Add: "+", gast.Sub: "-", gast.Mult: "*", gast.Div: "/", gast.FloorDiv: "//",
            gast.Mod: "%", gast.Pow: "**", gast.MatMult: "@", gast.BitAnd: "&", gast.BitOr: "|",
            gast.BitXor: "^", gast.LShift: "<<", gast.RShift: ">>"}
_LENGTHS_HINT = ("append the same number of items in both branches, or keep the list in a "
                 "name of its own (then built at run time), or build a Tensor with ops.where")


def _held_as(env, lst) -> str:
    """How the code names list ``lst``: ``'ys'``, or ``parts['ys']`` / ``pair[1]`` for a list
    a dict, tuple or list a name holds."""
    for n, v in env.items():
        if v is lst:
            return repr(n)
    for n, v in env.items():
        items = v.items() if type(v) is dict else enumerate(v) \
            if isinstance(v, (tuple, list)) else ()
        for k, item in items:
            if item is lst:
                return "%s[%r]" % (n, k)
    return "changed in this if"


def _kind(value) -> str:
    """What a bound value is, for messages."""
    if isinstance(value, Sym):
        return "a runtime value"
    if isinstance(value, (tuple, list)):
        return "a %s of %d item%s" % (type(value).__name__ if type(value) is tuple else "list",
                                      len(value), "" if len(value) == 1 else "s")
    if type(value) is dict:
        return "a dict"
    return "a %s" % type(value).__name__


NO_INDEX = object()  # set_item: the subscript's index not evaluated yet


#: ndarray methods that change the array in place (their numpy function, which returns a
#: new one); a Tensor's method of the same name returns a new value
_NUMPY_IN_PLACE = {"sort": "sort", "fill": "full_like", "partition": "partition"}


class StatementsMixin(LoopsMixin):
    """Binds statements (see the module docstring); loops are
    :class:`~.normalize_loops.LoopsMixin`'s."""

    # IR variables that may hold UNBOUND (assigned in one branch of a runtime if only)
    _maybe_unbound: frozenset = frozenset()

    # -- statements in order -------------------------------------------------------------
    def stmts(self, body):
        rest = [body, 0]  # the statements after the one being normalized: body[rest[1]:]
        self.rest_stack.append(rest)
        try:
            for i, stmt in enumerate(body):
                rest[1] = i + 1
                self.stmt(stmt)
        finally:
            self.rest_stack.pop()

    def stmt(self, node):
        self.loc = (self.src.filename, node.lineno, node.col_offset)
        # a temporary an earlier statement made and did not bind (one it put into a list or
        # tuple: ``ys.append(x * 2)``, ``ys = ys + (x * 2,)``) is not this statement's to
        # rename: the sequence still names it (see ``bind``)
        self.fresh_temps.clear()
        method = getattr(self, "s_" + type(node).__name__, None)
        if method is None:
            raise self.error(node, "%s statements are not supported" % type(node).__name__,
                             cls=UnsupportedSyntaxError)
        method(node)

    def s_Pass(self, node):
        pass

    # raise / assert: a check the compiled call does not reach (a branch on settings known
    # when it compiles) is left out with its branch, as an assert that holds is; in a branch
    # of an if on a runtime value (``if x.shape[2] != self.size: raise ValueError(...)``)
    # the generated code raises when that branch runs; one every call reaches is refused
    def s_Raise(self, node):
        if not self._rt_branches:
            raise self.error(node, "raise is not supported in differentiated code where every "
                             "call reaches it", "check the inputs before calling the gradient "
                             "function", cls=UnsupportedSyntaxError)
        exc = node.exc
        func = exc.func if isinstance(exc, gast.Call) else exc
        try:
            exc_type = self.expr(func)
        except Exception:  # (a class the code cannot name when it compiles)
            exc_type = RuntimeError
        if not (isinstance(exc_type, type) and issubclass(exc_type, BaseException)):
            exc_type = RuntimeError
        self._emit_raise(node, exc_type, self._raise_message(exc))

    def s_Assert(self, node):
        test = self.expr(node.test)
        if not has_sym(test):
            if test:
                return
            if not self._rt_branches:
                raise self.error(node, "assert is not supported in differentiated code where "
                                 "it fails for every call", "check the inputs before calling "
                                 "the gradient function", cls=UnsupportedSyntaxError)
        message = self._raise_message(node.msg) if node.msg is not None else ""
        self._emit_raise(node, None, message, test)

    def _raise_message(self, exc) -> str:
        """A raise's message: its constant argument, else its source (computed at run time
        by the direct call; here named with its place)."""
        if isinstance(exc, gast.Call) and len(exc.args) == 1 and not exc.keywords \
                and isinstance(exc.args[0], gast.Constant) and isinstance(exc.args[0].value, str):
            return exc.args[0].value
        if isinstance(exc, gast.Constant) and isinstance(exc.value, str):
            return exc.value
        text = ast.unparse(gast.gast_to_ast(exc)) if exc is not None else ""
        return "%s (%s:%d)" % (text, self.src.filename, self.loc[1])

    def _emit_raise(self, node, exc_type, message, value=False) -> None:
        if exc_type is None:
            kind = gast.Constant(value=None, kind=None)
        elif getattr(builtins, exc_type.__name__, None) is exc_type:  # ValueError: by name
            kind = gast.Name(id=exc_type.__name__, ctx=gast.Load(), annotation=None,
                             type_comment=None)
        else:
            kind = self.to_node(exc_type)
        args = [kind, gast.Constant(value=message, kind=None)]
        values = []
        if has_sym(value):
            args.append(self.to_node(value))
            values = [value]
        call = gast.Call(func=gast.Name(id=self.const_name(RAISE_ERROR, "raise_error"),
                                        ctx=gast.Load(), annotation=None, type_comment=None),
                         args=args, keywords=[])
        self.opaque(call, values, "raise", callee_name="raise", effect=True)

    def s_Expr(self, node):
        if isinstance(node.value, gast.Constant):
            return  # docstring
        func = getattr(node.value, "func", None)
        if isinstance(func, gast.Attribute) and func.attr in _NUMPY_IN_PLACE \
                and isinstance(func.value, gast.Name) \
                and isinstance(self.env.get(func.value.id), Sym):
            # numpy's a.sort() changes a; MindSpore's Tensor.sort() returns a new value
            raise self.error(node, "%s.%s(...) as a statement changes %s in place where it is "
                             "a numpy array, and changes nothing where it is a Tensor (whose "
                             "%s returns a new value)" % (func.value.id, func.attr,
                                                          func.value.id, func.attr),
                             "assign the new value: %s = np.%s(%s, ...) (or the Tensor's "
                             "%s = %s.%s(...))" % (
                                 func.value.id, _NUMPY_IN_PLACE[func.attr], func.value.id,
                                 func.value.id, func.value.id, func.attr))
        self.expr(node.value)

    def s_Assign(self, node):
        value = node.value
        if len(node.targets) == 1 and isinstance(node.targets[0], gast.Name) \
                and isinstance(value, gast.BinOp) and isinstance(value.op, gast.Add) \
                and isinstance(value.left, gast.Name) and value.left.id == node.targets[0].id \
                and self.is_rt_list(self.env.get(value.left.id)) \
                and self.rt_origin.get(self.env[value.left.id].var.name) in self.rt_tuples:
            # outs = outs + (h,) on a grown tuple: as outs += (h,) (a tuple is a value)
            self.s_AugAssign(gast.copy_location(gast.AugAssign(
                target=node.targets[0], op=value.op, value=value.right), node))
            return
        if getattr(node, "in_place", False):  # name.add_(y): the call binds name itself
            self.expr(node.value)
            return
        value = self.expr(node.value)
        if len(node.targets) > 1:  # a = b = value: the names share one value (no renaming)
            self.escape(value)
        for target in node.targets:
            self.assign(target, value, node)

    def s_AugAssign(self, node):
        if isinstance(node.target, gast.Subscript):  # x[i] += v
            base = self.load_name(node.target.value.id, node.target.value)
            index = self.expr(node.target.slice)
            current = P.getitem(base, index) if isinstance(base, Sym) else \
                self._item_of(base, index, node)
            value = self.binop(type(node.op), current, self.expr(node.value), node)
            self.set_item(node.target, value, node, index)
            return
        name = node.target.id
        current = self.load_name(name, node.target)
        if isinstance(node.op, gast.Add) and self.is_rt_list(current):
            current = self.rt_own_tuple(name, current)  # (a grown tuple: its own copy)
        if isinstance(node.op, gast.Add) and (isinstance(current, SymList)
                                              or self.is_rt_list(current)):
            # outs += seq changes the list in place (every alias of it sees the items)
            extend = self.rt_method if self.is_rt_list(current) else self.container_method
            extend(current, "extend", [self.expr(node.value)], {}, node)
            return
        value = self.binop(type(node.op), current, self.expr(node.value), node)
        if isinstance(current, Sym) and not self.mindspore_semantics and not self._generated():
            self._written_in_place(name, current, node)
        self.bind(name, value)

    def _written_in_place(self, name, current, node) -> None:
        """``name op= value`` in a plain numpy function: numpy writes into the array, so
        every other name holding it, or an array sharing its memory (``v = b[0]``, ``r =
        b.reshape(-1)``, ``y = x``), would see the write; here the operation makes a new
        array, so reading those afterwards is refused (:meth:`check_not_stale`).  (A Tensor
        makes a new one too, in MindSpore as here: Cells and code called with Tensors keep
        reading them.)"""
        var = current.var.name
        roots = self.view_roots.get(var, {var})
        where = "%s %s= ... (line %d)" % (name, _OP_TEXT.get(type(node.op), "op"),
                                          getattr(node, "lineno", 0))
        for other, held in self.env.items():
            if other != name and isinstance(held, Sym) and (
                    held.var.name == var
                    or self.view_roots.get(held.var.name, {held.var.name}) & roots):
                self.stale[held.var.name] = where
            elif isinstance(held, (list, tuple, dict)):  # (an item of a list: lst[0])
                for item in leaves(held):
                    if item.var.name == var \
                            or self.view_roots.get(item.var.name, {item.var.name}) & roots:
                        self.stale[item.var.name] = where

    def _item_of(self, base, index, node):
        try:
            return base[index]
        except (IndexError, KeyError, TypeError) as exc:
            raise self.error(node, "%s: %s" % (type(exc).__name__, exc)) from None

    def check_not_stale(self, names) -> None:
        """Refuse a read of a value an ``x[i] = v`` left behind (see :attr:`stale`)."""
        for n in names:
            if n in self.stale:
                raise self.error(None, "a value read after %s wrote into it (or into the array "
                                 "it views): here the write made a new array, so this read "
                                 "would not see it" % self.stale[n],
                                 "read the written name itself after the write, or compute "
                                 "what you need from the old value before writing",
                                 cls=UnsupportedSyntaxError)

    def set_item(self, target, value, node, index=NO_INDEX):
        """``name[index] = value``.  A dict or list the function built changes now (as in
        Python).  A Tensor gets a new value, ``idx_put`` (a copy with ``value`` written, whose
        gradient goes to both), bound to ``name``; a function parameter's array is written
        too (``assign``: the caller sees it, as MindSpore's PyNative mode writes in place).
        Otherwise the old value and the arrays that view it would not see the write, so
        reading them afterwards is refused (:meth:`check_not_stale`)."""
        name = target.value.id
        base = self.load_name(name, target.value)
        if index is NO_INDEX:
            index = self.expr(target.slice)
        if type(base) is dict and not has_sym(index):
            self.container_method(base, "__setitem__", [index, value], {}, node)
            return
        if isinstance(base, SymList) and isinstance(index, int) and not isinstance(index, bool):
            self._item_of(base, index, node)  # (an IndexError where Python raises one)
            base[index] = value
            return
        if not isinstance(base, Sym) or self.is_rt_list(base):
            raise self.error(target, "assigning into a subscript of %s" % (
                "a list built at run time" if self.is_rt_list(base) else type(base).__name__),
                "build the new value with ops (e.g. ops.where, or concatenation) instead of "
                "writing into an array; to add to a list, outs.append(v) or outs.extend(vs)",
                cls=UnsupportedSyntaxError)
        var = base.var.name
        out = P.idx_put(base, index, value)
        self.view_roots.pop(out.var.name, None)  # (a copy: it views nothing)
        if any(s.var.name == var for s in leaves(self.arg_values)):
            P.assign(base, out)  # a parameter: the caller's array written too
        else:
            where = "%s[...] = ... (line %d)" % (name, getattr(node, "lineno", 0))
            roots = self.view_roots.get(var, {var})
            self.stale[var] = where
            for v, r in list(self.view_roots.items()):
                if v != var and (r & roots):
                    self.stale[v] = where
            for v in roots - {var}:  # the array it views (r = b.reshape(-1); r[1] = 0: b)
                self.stale[v] = where
        self.bind(name, out)

    def s_AnnAssign(self, node):
        if node.value is not None:
            self.assign(node.target, self.expr(node.value), node)

    def assign(self, target, value, node):
        if isinstance(target, gast.Name):
            self.bind(target.id, value)
        elif isinstance(target, gast.Subscript):  # (the fence lets only name[i] = v through)
            self.set_item(target, value, node)
        elif isinstance(target, (gast.Tuple, gast.List)):
            if any(isinstance(e, gast.Starred) for e in target.elts):
                self._assign_starred(target, value, node)
                return
            n = len(target.elts)
            if self.is_rt_list(value):  # q, k, v = ops.split(x, d, -1): checked, then items
                for t, item in zip(target.elts, self.rt_unpack(value, n, node)):
                    self.assign(t, item, node)
                return
            if isinstance(value, Sym):  # b, s, d = x.shape: checked, then item by item
                check = gast.Call(func=gast.Name(id=self.const_name(CHECK_UNPACK,
                                                                    "check_unpack"),
                                                 ctx=gast.Load(), annotation=None,
                                                 type_comment=None),
                                  args=[self.to_node(value), self.to_node(n)], keywords=[])
                self.opaque(check, [value], "unpacked", callee_name="len")
                for i, t in enumerate(target.elts):
                    self.assign(t, P.getitem(value, i), node)
                return
            if isinstance(value, dict):
                value = list(value)
            try:
                items = list(value)
            except TypeError:
                raise self.error(node, "cannot unpack %r" % (value,)) from None
            if len(items) != n:
                raise self.error(node, "cannot unpack %d values into %d names"
                                 % (len(items), n))
            seen = [s.var.name for s in leaves(items)]
            if len(set(seen)) < len(seen):  # a, b = t, t: two names share one value
                self.escape(items)
            for i, (t, v) in enumerate(zip(target.elts, items)):
                self.assign(t, self.element(value, i, v, "item"), node)
        else:
            raise self.error(target, "unsupported assignment target",
                             cls=UnsupportedSyntaxError)

    def _assign_starred(self, target, value, node):
        """``a, *rest, b = value``: ``value`` a sequence the code knows the length of now;
        ``rest`` a list of the items between (Python's)."""
        k = next(i for i, e in enumerate(target.elts) if isinstance(e, gast.Starred))
        after = len(target.elts) - k - 1
        tmp = gast.Tuple(elts=[e.value if isinstance(e, gast.Starred) else e
                               for e in target.elts], ctx=gast.Store())
        if self.is_rt_list(value):  # first, *rest = parts: items and a slice, read at run time
            self.assign(tmp, tuple(self.rt_unpack(value, k + after, node, k)), node)
            return
        if isinstance(value, Sym):
            raise self.error(node, "*-unpacking a value whose length is known only when the "
                             "code runs", "index it (parts[0], parts[1:]) instead",
                             cls=UnsupportedSyntaxError)
        try:
            items = list(value)
        except TypeError:
            raise self.error(node, "cannot unpack %r" % (value,)) from None
        if len(items) < k + after:
            raise self.error(node, "not enough values to unpack (expected at least %d, got %d)"
                             % (k + after, len(items)))
        middle = SymList(items[k:len(items) - after])
        parts = items[:k] + [middle] + items[len(items) - after:]
        self.assign(tmp, tuple(parts), node)

    def s_Return(self, node):
        value = self.expr(node.value) if node.value is not None else None
        if not (self._inlining and self.is_rt_list(value)):  # (a nested function's
            value = self.rt_returned_value(value)  # run-time list: its caller's, as it is)
            self.rt_check_values([value], "return %s", node)
        if holds_partial_of_runtime_values(value):
            raise self.error(node, "a partial (F.partial or functools.partial) holding this "
                             "function's runtime values is returned: the caller cannot call "
                             "it", "call the partial in the function that makes it, or return "
                             "the values and make the partial in the caller",
                             cls=UnsupportedSyntaxError)
        self.result = returned(value) if node.value is not None else None

    # -- names a runtime if may leave unassigned -------------------------------------------
    def _generated(self) -> bool:
        """Whether the code being bound is generated code (a higher-order derivative)."""
        return self.src.filename.startswith("<autograd_st")

    def mark_maybe_unbound_like(self, value, name: str) -> None:
        """``name`` (an IR variable copied from ``value``) may hold UNBOUND if ``value`` may."""
        if isinstance(value, Sym) and value.var.name in self._maybe_unbound:
            self._maybe_unbound = self._maybe_unbound | {name}

    def check_bound(self, name, value, node) -> None:
        """Before user code reads ``name`` (bound to ``value``): if it may hold UNBOUND,
        a check that raises UnboundLocalError on the path where it does."""
        if not self._maybe_unbound or self._generated():
            return  # (generated code passes UNBOUND on, in residuals, as it did None)
        for leaf in leaves(value):
            if leaf.var.name in self._maybe_unbound:
                where = "%s:%d" % (self.src.filename, getattr(node, "lineno", self.loc[1]))
                call = gast.Call(func=gast.Name(id=self.const_name(CHECK_BOUND, "check_bound"),
                                                ctx=gast.Load(), annotation=None,
                                                type_comment=None),
                                 args=[self.to_node(leaf), self.to_node(name),
                                       self.to_node(where)], keywords=[])
                self.opaque(call, [leaf], "bound", callee_name="isinstance")
                return

    # -- if ------------------------------------------------------------------------------
    def s_If(self, node):
        loc = self.loc
        cond = self.expr(node.test)
        if not has_sym(cond):
            self.stmts(node.body if cond else node.orelse)
            return
        cond = self.truth(cond, node.test)
        self._rt_branches += 1
        try:
            self._rt_if_lists(node, cond, loc)
        finally:
            self._rt_branches -= 1

    def _rt_if_lists(self, node, cond, loc):
        """The if on a runtime value; where its branches leave a list with different
        numbers of items (``if ...: outs.append(h)``, the copies of a loop ``break`` or
        ``continue`` leaves on a runtime value), bound again with that list made a run-time
        list before it (:mod:`.runtime_lists`).  Inside a loop being bound as a loop the
        loop does that, before the loop (``ListsGrow`` goes on to it)."""
        tried: set = set()
        while True:
            state = None if self._unrollable else BindingState(self)
            try:
                self._rt_if(node, cond, loc)
                return
            except ListsGrow as exc:
                if state is None:
                    raise
                if exc.ids <= tried:
                    raise exc.error from None
                state.restore(self)
                tried |= exc.ids
                self.rt_pending.update(exc.ids)
                self._name_aliased_lists()
                try:
                    self.make_runtime_lists(node)
                except UnsupportedSyntaxError:  # (a list a dict holds, say): as it was
                    raise exc.error from None

    _rt_branches = 0  # how many branches of ifs on runtime values enclose the statement

    def _rt_if(self, node, cond, loc):
        before = dict(self.env)
        lists = lists_in(self.env.values())  # lists a branch may change in place
        dicts = dicts_in(self.env.values())  # (and dicts: d[k] = v)
        outer = self.block
        self.block = []
        stale = dict(self.stale)  # (x[i] = v in a branch: the other branch reads x as it was)
        self.stmts(node.body)
        body, env_a = self.block, self.env
        stale_a, self.stale = self.stale, dict(stale)
        items_a = [list(lst) for lst, _ in lists]
        for lst, items in lists:
            lst[:] = items
        dicts_a = [dict(d) for d, _ in dicts]
        restore_dicts(dicts)
        self.block = []
        self.env = dict(before)
        self.stmts(node.orelse)
        orelse, env_b = self.block, self.env
        self.stale.update(stale_a)  # (after the if: what either path left behind)
        self.block = outer
        self.env = dict(before)
        for (lst, _), a in zip(lists, items_a):  # each list: what both branches made of it
            lst[:] = self._merge_items(node, lst, a, list(lst), body, orelse)
        for (d, _), a in zip(dicts, dicts_a):  # each dict: its keys the same after both
            if list(a) != list(d) or any(a[k] is not d[k] for k in a):
                what = "the dict %s" % _held_as(self.env, d)
                if list(a) != list(d):
                    raise self.error(node, "%s has the keys %s after one branch of this if on "
                                     "a runtime value and %s after the other" % (
                                         what, list(a), list(d)),
                                     "give it the same keys, in the same order, in both "
                                     "branches")
                d.update(zip(a, self._merge_items(node, what, list(a.values()),
                                                  list(d.values()), body, orelse,
                                                  prefix=next((n for n, v in self.env.items()
                                                               if v is d), "item"))))
        merged = {}
        for name in list(env_a) + [n for n in env_b if n not in env_a]:
            va, vb = env_a.get(name, MISSING), env_b.get(name, MISSING)
            if va is vb:
                merged[name] = va
                continue
            # (UNBOUND itself: generated code, read again, that a path leaves unassigned)
            missing_a = va in UNDEFINED or va is UNBOUND
            missing_b = vb in UNDEFINED or vb is UNBOUND
            unbound = missing_a or missing_b
            # a tuple on one path and None on the other (generated code starts a residual
            # some path leaves unset as None) merges like a one-sided definition
            if isinstance(va, tuple) and vb is None:
                missing_b = True
            elif isinstance(vb, tuple) and va is None:
                missing_a = True
            if missing_a or missing_b:
                # defined on one path only: on the other it holds UNBOUND (Python would have
                # no value there at all, and reading it raises UnboundLocalError: see
                # check_bound), or None where the code assigned None
                value = vb if missing_a else va
                if not (missing_a and missing_b) and not has_sym(value) \
                        and isinstance(value, tuple) and (not unbound or self._generated()):
                    merged[name] = value  # constants (an empty residual): the same on both paths
                    continue
                if (missing_a and missing_b) or not (
                        leaves(value) or (unbound and isinstance(value, (int, float)))):
                    merged[name] = PARTIAL
                    continue
                merged[name] = self._merge_one_sided(node, name, value,
                                                     body if missing_b else orelse,
                                                     orelse if missing_b else body,
                                                     UNBOUND if unbound else None)
                continue
            what = "the value returned" if _RESULT.fullmatch(name) else repr(name)
            merged[name] = self._merge_values(node, name, what, va, vb, body, orelse)
        self.env.update(merged)
        self.loc = loc
        self.emit(If(cond.var, body, orelse, loc))

    def _merge_items(self, node, what, a, b, body, orelse, any_leaf=False,
                     prefix="item") -> list:
        """The items of a list after an if on a runtime value, ``a`` after its body and
        ``b`` after its else: the same where both are, merged versions (named ``prefix_i``)
        where they differ.  ``what``: how messages call the list, or the list itself."""
        lst = None
        if not isinstance(what, str):
            lst = what
            what = "the list %s" % _held_as(self.env, lst)
        if len(a) != len(b):
            error = self.error(node, "%s has %d items after one branch of this if on a "
                               "runtime value and %d after the other" % (what, len(a), len(b)),
                               _LENGTHS_HINT)
            if None in self._unrollable:  # (a loop's counter may decide it: unrolled)
                raise NeedsConstant(error)
            if isinstance(lst, SymList):  # a run-time list holds what either path appends
                raise ListsGrow([id(lst)], error)
            raise error
        return [self._merge_values(node, "%s_%d" % (prefix, i), "item %d of %s" % (i, what),
                                   ea, eb, body, orelse, any_leaf)
                for i, (ea, eb) in enumerate(zip(a, b))]

    def _merge_values(self, node, name, what, va, vb, body, orelse, any_leaf=False):
        """The value of ``name`` after an if on a runtime value, ``va`` after its body and
        ``vb`` after its else (``what``: how messages call it).  Tuples, lists and dicts of
        the same structure merge item by item, nested ones too (a container copied whole
        would be one array, and a list or dict would lose its kind), so the merged value
        keeps the structure both paths give it; each runtime item that differs is a new
        version, copied at the end of each branch; equal constants stay constants.  A leaf
        must be a runtime value, a number, a string or None, or (``any_leaf``: a conditional
        expression's) anything generated code can name."""
        if va is vb:
            return va
        if isinstance(va, tuple) or isinstance(vb, tuple):
            if isinstance(va, tuple) and isinstance(vb, tuple):
                if len(va) != len(vb):
                    raise self.error(node, "%s is a tuple of a different length in each branch "
                                     "(%d and %d items)" % (what, len(va), len(vb)),
                                     "give it the same number of items in both branches")
            else:
                raise self.error(node, "%s is %s in one branch of an if on a runtime value and "
                                 "%s in the other" % (what, _kind(va), _kind(vb)),
                                 "give it the same structure in both branches")
            if type(va) is not type(vb) and (hasattr(type(va), "_make")
                                             or hasattr(type(vb), "_make")):  # (a namedtuple)
                raise self.error(node, "%s is a %s in one branch of an if on a runtime value "
                                 "and a %s in the other" % (what, type(va).__name__,
                                                            type(vb).__name__),
                                 "give it the same structure in both branches")
            return tuple_like(va, [self._merge_values(node, "%s_%d" % (name, i),
                                                      "item %d of %s" % (i, what), ea, eb, body,
                                                      orelse, any_leaf)
                                   for i, (ea, eb) in enumerate(zip(va, vb))])
        if isinstance(va, list) and isinstance(vb, list):
            return self._merged_list(node, (va, vb), self._merge_items(
                node, what, va, vb, body, orelse, any_leaf, prefix=name))
        if type(va) is dict and type(vb) is dict:
            if list(va) != list(vb):
                raise self.error(node, "%s is a dict with the keys %r in one branch of an if "
                                 "on a runtime value and %r in the other"
                                 % (what, list(va), list(vb)),
                                 "give it the same keys, in the same order, in both branches")
            return {k: self._merge_values(node, "%s_%d" % (name, i),
                                          "item %r of %s" % (k, what), va[k], vb[k], body,
                                          orelse, any_leaf)
                    for i, k in enumerate(va)}
        if isinstance(va, _CONSTANTS) and type(va) is type(vb) and va == vb:
            return va
        if not any_leaf and not (isinstance(va, _MERGEABLE + (str,))
                                 and isinstance(vb, _MERGEABLE + (str,))):
            for rt, lst in ((va, vb), (vb, va)):  # a list one branch made a run-time list
                if isinstance(lst, SymList) and self.is_rt_list(rt):
                    raise ListsGrow([id(lst)], self.error(
                        node, "%s is a list whose length is known only at run time in one "
                        "branch of an if on a runtime value and a list of %d items in the "
                        "other" % (what, len(lst)), _LENGTHS_HINT))
            raise self.error(node, "%s is %s in one branch of an if on a runtime value and %s "
                             "in the other" % (what, _kind(va), _kind(vb)),
                             "give it a Tensor, a number, a string or None in both branches (to "
                             "choose a function or a Cell, call it inside each branch: "
                             "y = f(x) in one, y = g(x) in the other)")
        new = self.new_version(name)
        body.append(self._copy_stmt(new, va))
        orelse.append(self._copy_stmt(new, vb))
        self.mark_maybe_unbound_like(va, new)
        self.mark_maybe_unbound_like(vb, new)
        return sym(new)

    def _merged_list(self, node, sources, items):
        """A new list of ``items``, merged from the lists ``sources`` after an if on a
        runtime value: none of them may change afterwards (see ``merged_lists``)."""
        out = SymList(items)
        for lst in sources + (out,):
            self.merged_lists[id(lst)] = (lst, node.lineno)
        return out

    def _merge_one_sided(self, node, name, value, defined, other, filler):
        """A value (a Sym, a number, or a tuple, list or dict of them, such as a callee's
        residuals) that one branch of an if defines: a new version, the value on that path
        and ``filler`` on the other: UNBOUND where the user's code never assigned it (reading
        it there raises, see :meth:`check_bound`), None where generated code left a residual
        unset.  A container keeps its structure, item by item."""
        if isinstance(value, tuple):
            return tuple(self._merge_one_sided(node, "%s_%d" % (name, i), v, defined, other,
                                               filler) for i, v in enumerate(value))
        if isinstance(value, list):
            return self._merged_list(node, (value,), [
                self._merge_one_sided(node, "%s_%d" % (name, i), v, defined, other, filler)
                for i, v in enumerate(value)])
        if type(value) is dict:
            return {k: self._merge_one_sided(node, "%s_%d" % (name, i), v, defined, other,
                                             filler) for i, (k, v) in enumerate(value.items())}
        if not isinstance(value, (Sym, int, float)) or (filler is None
                                                       and not isinstance(value, Sym)):
            return value  # a compile-time constant is the same on both paths
        new = self.new_version(name)
        defined.append(self._copy_stmt(new, value))
        other.append(self._copy_stmt(new, filler))
        if filler is UNBOUND:
            self._maybe_unbound = self._maybe_unbound | {new}
        return sym(new)

