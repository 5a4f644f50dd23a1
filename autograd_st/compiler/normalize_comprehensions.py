"""Comprehensions, and the builtins that Python runs as a loop or a comparison.

Takes: a list, dict or generator comprehension; a builtin (``sum``, ``max``, ``min``, ``any``,
``all``, ``map``, ``reversed``) or a numpy function given a run-time list, ``outs.pop()`` /
``outs.reverse()`` of one; ``max`` / ``min`` of values of which one is a runtime value.
Gives: bound values (see :mod:`.normalize_values`), in one of two forms:

- *unrolled*: a comprehension over a compile-time sequence or a constant ``range``, with
  conditions known when the code compiles, is its items, bound now in the comprehension's
  own scope (its loop variables do not leak): a ``SymList`` for ``[...]``, a tuple for a
  generator, a dict for ``{k: v ...}``;
- *as the loop it means*: a list or generator comprehension that cannot be unrolled (it
  iterates over a runtime value, a range whose bounds are runtime values, a run-time list,
  or keeps items by a condition on a runtime value; or it has more than :data:`MAX_ITEMS`
  items) is bound as the statements Python runs for it::

      _comp = []
      for r in x:            # each generator a loop, outermost first
          if r.sum() > 0:    # each condition an if
              _comp.append(ops.tanh(r))

  at the point of the expression where Python evaluates it, and its value is that list: a
  run-time list where the loop stays a loop (:mod:`.runtime_lists`), read with
  ``ops.stack``, ``ops.concat``, ``sum``, ``len``, indexing or a for loop.  Its loop
  variables get names of their own where the function uses the same names elsewhere, so
  they do not leak either.  The attempt to unroll is undone first
  (:class:`~.loop_state.BindingState`).

``map(f, seq)`` over a run-time list or a runtime value's rows is the loop ``out = []; for v
in seq: out.append(f(v))`` (over compile-time sequences it is the calls, bound now).
``sum`` of a comprehension that is bound as its loop adds each item to the total in that
loop (no list is made).  ``sum`` of a run-time list is the loop ``total = start; for v in parts: total = total + v``
(Python's order of additions).  ``max(a, b, ...)`` / ``min(a, b, ...)`` (or of one
compile-time sequence) where a runtime value takes part are the comparisons CPython's
``max`` makes: the first item, replaced by each later item that compares greater (less for
``min``), each a conditional expression on a runtime value (``b if b > m else m``); so a
gradient flows to the item chosen, as a direct call's value is that item; ``max(x)`` of a
runtime value compares its items (rows) the same way.  ``key=`` and ``default=`` are refused
(``max`` has no derivative rule otherwise).  ``any`` / ``all`` of a run-time list are a loop
setting a bool, ``reversed`` a reversed copy, ``outs.pop()`` / ``outs.reverse()`` new
versions of the list; a numpy function given one reads it stacked, as numpy converts it.

:class:`ComprehensionsMixin` is one part of :class:`~autograd_st.compiler.normalize.Normalizer`
(through :class:`~.normalize_exprs.ExpressionsMixin`) and uses its state and helpers.
"""
from __future__ import annotations

import copy
import functools
import operator

import gast
import numpy as np

from ..errors import UnsupportedSyntaxError
from ..prims import P, Sym, has_sym
from .codegen import names_written
from .ir import Const
from .loop_state import BindingState
from .normalize_calls import BIND_CALL
from .normalize_values import (
    MISSING,
    NOT_HANDLED,
    Range,
    SymList,
    name_hint,
    sequence,
    trip_count,
)
from .trees import walk, zip_call

__all__ = ["ComprehensionsMixin", "MAX_ITEMS"]

MAX_ITEMS = 1000  # the most items a comprehension is unrolled into
MAX_SORTED = 32  # the most items sorted(...) of runtime values sorts (one if per pair)
_OPERATORS = {operator.add: gast.Add, operator.sub: gast.Sub, operator.mul: gast.Mult,
              operator.truediv: gast.Div, operator.floordiv: gast.FloorDiv,
              operator.mod: gast.Mod, operator.pow: gast.Pow, operator.matmul: gast.MatMult}


class _AsLoop(Exception):
    """The comprehension ``node`` is to be bound as its loop (raised where that is found)."""

    def __init__(self, node) -> None:
        super().__init__()
        self.node = node


def _at(new, node):
    """``new`` (a synthesized tree) placed at ``node``'s position, every node of it."""
    for n in walk(new):
        if isinstance(n, (gast.stmt, gast.expr)):
            n.lineno = node.lineno
            n.col_offset = node.col_offset
            n.end_lineno = getattr(node, "end_lineno", node.lineno)
            n.end_col_offset = getattr(node, "end_col_offset", node.col_offset)
    return new


def _load(name_id: str) -> gast.Name:
    return gast.Name(id=name_id, ctx=gast.Load(), annotation=None, type_comment=None)


def _store(name_id: str) -> gast.Name:
    return gast.Name(id=name_id, ctx=gast.Store(), annotation=None, type_comment=None)


class _KeyOf:
    """A key function called in statements the compiler writes (``max(seq, key=f)``): its
    value with no gradient (``stop_gradient``), as a key is only compared, never part of
    the result (so ``key=float`` or a key without a rule differentiates, and the backward
    skips the keys)."""

    __slots__ = ("key", "nz", "node")

    def __init__(self, key, nz, node) -> None:
        self.key, self.nz, self.node = key, nz, node


def _bind_key_of(key_of, call, args, kwargs):
    # (called by the key's own name: float(...) is then read as the number it gives)
    name = getattr(key_of.key, "__name__", None)
    name = name if isinstance(name, str) and name.isidentifier() else "key"
    site = _at(gast.Call(func=_load(name), args=[], keywords=[]), key_of.node)
    value = key_of.nz.call(key_of.key, list(args), dict(kwargs), site, name)
    return P.stop_gradient(value) if isinstance(value, Sym) else value


setattr(_KeyOf, BIND_CALL, _bind_key_of)


def _assign(name_id: str, value) -> gast.Assign:
    return gast.Assign(targets=[_store(name_id)], value=value, type_comment=None)


def _call(fn: str, arg: str) -> gast.Call:
    return gast.Call(func=_load(fn), args=[_load(arg)], keywords=[])


def _replace_if(callee, k: str, best_key: str, best: str, item: str) -> gast.If:
    """``if k > best_key: best = item; best_key = k`` (``<`` for ``min``)."""
    test = gast.Compare(left=_load(k), ops=[gast.Gt() if callee is max else gast.Lt()],
                        comparators=[_load(best_key)])
    return gast.If(test=test, body=[_assign(best, _load(item)), _assign(best_key, _load(k))],
                   orelse=[])


def _renamed(node, names: dict):
    """A copy of ``node`` with each name in ``names`` renamed (every occurrence, so nested
    scopes keep their meaning)."""
    node = copy.deepcopy(node)
    if names:
        for n in walk(node):
            if isinstance(n, gast.Name) and n.id in names:
                n.id = names[n.id]
    return node


class ComprehensionsMixin:
    """Binds comprehensions, ``sum`` of a run-time list and ``max`` / ``min`` (see the
    module docstring)."""

    _comprehensions: int = 0  # how many comprehensions are being unrolled around here

    def e_ListComp(self, node):
        return self._comprehension_value(node, lambda: self.expr(node.elt), SymList)

    def e_GeneratorExp(self, node):
        return self._comprehension_value(node, lambda: self.expr(node.elt), tuple)

    def e_DictComp(self, node):
        pairs = self._comprehension(node, lambda: (self.expr(node.key), self.expr(node.value)))
        if has_sym([k for k, _ in pairs]):
            raise self.error(node, "dict keys must be constants",
                             "use strings or numbers as keys (a runtime value is not known "
                             "when the code is compiled): {'total': ops.sum(x)}, not "
                             "{ops.sum(x): x}")
        return dict(pairs)

    def _comprehension_value(self, node, element, make):
        """A list or generator comprehension unrolled, else bound as its loop."""
        items = self._try_unroll(node, element)
        if items is not None:
            return make(items)
        value = self._comprehension_loop(node)
        return make(value) if isinstance(value, SymList) else value

    def _try_unroll(self, node, element):
        """``node``'s items unrolled, or None (with what the attempt bound undone) where it
        is to be bound as its loop."""
        state = BindingState(self)
        try:
            return self._comprehension(node, element, as_loop=True)
        except _AsLoop as exc:
            if exc.node is not node:
                raise
        state.restore(self)
        return None

    def _comprehension(self, node, element, as_loop=False):
        """The elements of a comprehension, its generators unrolled now, in its own scope
        (its loop variables do not leak).  With ``as_loop``, what cannot be unrolled raises
        :exc:`_AsLoop` instead of the user's error."""
        scoped = set(names_written([g.target for g in node.generators]))
        saved = {n: self.env.get(n, MISSING) for n in scoped}
        out: list = []

        def gen(level):
            if level == len(node.generators):
                out.append(element())
                if len(out) > MAX_ITEMS:
                    if as_loop:
                        raise _AsLoop(node)
                    raise self.error(node, "this comprehension has more than %d items"
                                     % MAX_ITEMS, "build a Tensor with ops instead")
                return
            g = node.generators[level]
            if getattr(g, "is_async", 0):
                raise self.error(g, "async comprehensions are not supported",
                                 "collect the values before the call and pass them in "
                                 "(differentiated code must be synchronous)",
                                 cls=UnsupportedSyntaxError)
            over = self._iterable(g.iter, node) if as_loop else self.expr(g.iter)
            if as_loop and (isinstance(over, Sym) or (isinstance(over, Range)
                                                      and trip_count(over) is None)):
                raise _AsLoop(node)
            for item in self._items(over, g.iter):
                self.assign(g.target, item, g)
                keep = True
                for cond in g.ifs:
                    c = self.expr(cond)
                    if has_sym(c):
                        if as_loop:
                            raise _AsLoop(node)
                        raise self.error(cond, "a comprehension's condition on a runtime "
                                         "value", "write a for loop with an if (or ops.where)",
                                         cls=UnsupportedSyntaxError)
                    if not c:
                        keep = False
                        break
                if keep:
                    gen(level + 1)
        self._comprehensions += 1
        try:
            gen(0)
        finally:
            self._comprehensions -= 1
            self._restore_names(saved)
        return out

    def _restore_names(self, saved: dict) -> None:
        """The environment's names in ``saved`` back to their values (MISSING: unbound)."""
        for n, v in saved.items():
            if v is MISSING:
                self.env.pop(n, None)
            else:
                self.env[n] = v

    def _iterable(self, it, node):
        """A comprehension's iterable ``it`` bound; ``zip`` / ``enumerate`` / ``reversed`` of a
        runtime value raise :exc:`_AsLoop` for ``node`` (its loop reads them by index)."""
        if isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and it.args \
                and not it.keywords and not any(isinstance(a, gast.Starred) for a in it.args):
            func = self.expr(it.func)
            if func is enumerate and len(it.args) == 1 and zip_call(it.args[0]) \
                    and self.expr(it.args[0].func) is zip:
                inner = [self.iterable(a) for a in it.args[0].args]  # enumerate(zip(..))
                if any(isinstance(v, Sym) for v in inner):
                    raise _AsLoop(node)
                zipped = self.call(zip, inner, {}, it.args[0], "zip")
                return self.call(enumerate, [zipped], {}, it, "enumerate")
            if func in (zip, enumerate):
                values = [self.iterable(a) for a in it.args]
                if any(isinstance(v, Sym) for v in values):
                    raise _AsLoop(node)
                return self.call(func, values, {}, it, func.__name__)
        return self.iterable(it)

    # -- the loop form ---------------------------------------------------------------------
    def _free_name(self, hint: str, avoid=frozenset()) -> str:
        """A name for the normalizer's environment that the function does not use."""
        taken = self.local_names()
        name, n = hint, 1
        while name in taken or name in self.env or name in avoid:
            n += 1
            name = "%s_%d" % (hint, n)
        return name

    def _comprehension_loop(self, node, total=None):
        """``node`` bound as the loop Python runs for it (module docstring): its list; or,
        with ``total`` (a bound value), ``total`` plus each of its items (``sum``'s loop,
        no list made)."""
        read = {n.id for n in walk(node) if isinstance(n, gast.Name)}
        rename: dict = {}
        for target in names_written([g.target for g in node.generators]):
            rename[target] = self._free_name(target, read | set(rename.values()))
        first = node.generators[0]
        hint = name_hint(first.iter) if isinstance(first.iter, (gast.Name, gast.Attribute)) \
            else first.target.id if isinstance(first.target, gast.Name) else "comp"
        result = self._free_name("_%s_%s" % (hint, "items" if total is None else "total"),
                                 read | set(rename.values()))
        elt = _renamed(node.elt, rename)
        if total is None:
            append = gast.Attribute(value=_load(result), attr="append", ctx=gast.Load())
            inner: gast.stmt = gast.Expr(value=gast.Call(func=append, args=[elt], keywords=[]))
        else:
            inner = gast.Assign(targets=[_store(result)], value=gast.BinOp(
                left=_load(result), op=gast.Add(), right=elt), type_comment=None)
        for level in reversed(range(len(node.generators))):
            g = node.generators[level]
            for cond in reversed(g.ifs):
                inner = gast.If(test=_renamed(cond, rename), body=[inner], orelse=[])
            inner = gast.For(target=_renamed(g.target, rename),
                             iter=_renamed(g.iter, rename) if level else g.iter,
                             body=[inner], orelse=[], type_comment=None)
        if total is not None:
            return self.bind_statements([_at(inner, node)], result, list(rename.values()),
                                        {result: total})
        start = gast.Assign(targets=[_store(result)], value=gast.List(elts=[], ctx=gast.Load()),
                            type_comment=None)
        return self.bind_statements([_at(start, node), _at(inner, node)], result,
                                    list(rename.values()))

    def sum_of_comprehension(self, node):
        """``sum(<comprehension>[, start])``: the items added in turn (:meth:`_sum`) when it
        is unrolled, else one loop adding each item to the total (no list made)."""
        comp = node.args[0]
        items = self._try_unroll(comp, lambda: self.expr(comp.elt))
        start = self.expr(node.args[1]) if len(node.args) > 1 else 0
        if items is None:
            return self._comprehension_loop(comp, total=start)
        return self._sum(items, start) if has_sym(items) else sum(items, start)

    def bind_statements(self, stmts, result: str, scoped=(), given=None):
        """``stmts`` (made by the compiler, placed at the user's expression) bound here, in
        the middle of the statement being bound, with the names in ``given`` bound to its
        values first: the value they leave in ``result``.  The names they bind (``result``,
        ``scoped`` and ``given``'s) are dropped after."""
        given = given or {}
        saved = {n: self.env.get(n, MISSING) for n in [result, *scoped, *given]}
        self.env.update(given)
        loc, fresh = self.loc, set(self.fresh_temps)
        self.rest_stack.append([[gast.Expr(value=_load(result))], 0])  # read after the loops
        try:
            self.stmts(stmts)
            value = self.env[result]
        finally:
            self.rest_stack.pop()
            self.loc = loc
            self.fresh_temps.clear()
            self.fresh_temps.update(fresh)
            self._restore_names(saved)
        return value

    # -- builtins Python runs as a loop or comparisons -----------------------------------
    def call_builtin(self, callee, args, kwargs, node, path):
        """``map``, ``functools.reduce``, ``max`` / ``min``, ``dict``, ``operator.add`` & co.
        and ``np.where(c)`` as Python runs them on these values, or NOT_HANDLED."""
        if callee is map and len(args) >= 2 and not kwargs \
                and all(sequence(a) or isinstance(a, Range) for a in args[1:]):
            # over sequences known now: the calls, in turn (a tuple: what list(), tuple(), a
            # for loop or unpacking read from the iterator)
            columns = [self._items(a, node) for a in args[1:]]
            return tuple(self.call(args[0], list(row), {}, node, path) for row in zip(*columns))
        if callee is map and len(args) == 2 and not kwargs and isinstance(args[1], Sym):
            return self.rt_map(args[0], args[1], node)  # map(f, x): over x's rows
        if callee is functools.reduce and 2 <= len(args) <= 3 and not kwargs \
                and (sequence(args[1]) or isinstance(args[1], Range)):
            items = list(args[2:]) + self._items(args[1], node)  # the calls, in turn
            if not items:
                raise self.error(node, "TypeError: reduce() of empty iterable with no "
                                 "initial value")
            total = items[0]
            for item in items[1:]:
                total = self.call(args[0], [total, item], {}, node, path)
            return total
        if callee in (max, min):
            value = self.minmax(callee, args, kwargs, node)
            if value is not None:
                return value
        if callee is list and len(args) == 1 and not kwargs and isinstance(args[0], Range) \
                and trip_count(args[0]) is None:
            return self.runtime_range_list(args[0], node)
        if callee is sorted and len(args) == 1 and not set(kwargs) - {"key", "reverse"} \
                and (has_sym(args[0]) or isinstance(args[0], Sym) or kwargs.get("key")
                     is not None):
            return self.sorted_of(args[0], kwargs.get("key"), kwargs.get("reverse", False),
                                  node, path)
        if callee is dict and len(args) <= 1 and has_sym(list(args) + list(kwargs.values())) \
                and (not args or isinstance(args[0], dict) or sequence(args[0])):
            try:  # dict(a=x, b=y), dict(pairs): a dict this function builds
                return dict(*args, **kwargs)
            except (TypeError, ValueError) as exc:
                raise self.error(node, "%s: %s" % (type(exc).__name__, exc)) from None
        if callee in _OPERATORS and len(args) == 2 and not kwargs and has_sym(args):
            return self.binop(_OPERATORS[callee], args[0], args[1], node)
        if callee is np.where and len(args) == 1 and not kwargs:  # np.where(c): indices
            return self.call(np.nonzero, args, kwargs, node, path)
        return NOT_HANDLED

    def runtime_range_list(self, rng, node):
        """``list(range(n))`` with bounds known only when the code runs: the enclosing loop
        unrolled where one can be (the bounds then constants, as before), else a run-time
        list of Python ints (``list_range``), read as a list built at run time is."""
        if self._unrollable and None in self._unrollable:
            self._items(rng, node)  # (raises NeedsConstant: the loop is unrolled)
        start, stop, step = (0, rng.args[0], 1) if len(rng.args) == 1 else \
            (tuple(rng.args) + (1,))[:3]
        return P.list_range(start, stop, step)

    def rt_builtin(self, callee, lst, args, kwargs, node):
        """A builtin or numpy function given the run-time list ``lst``: ``sum``, ``max`` /
        ``min`` and ``map`` as their loops, ``any`` / ``all`` as a loop setting a bool,
        ``reversed`` a reversed copy, a numpy function given it as an array (``np.sum(parts)``,
        ``np.array(parts)``) the list stacked first, as numpy converts it; else None."""
        one = len(args) == 1 and args[0] is lst and not kwargs
        if callee is sum and 1 <= len(args) <= 2 and args[0] is lst and not kwargs:
            return self.rt_sum(lst, args[1] if len(args) == 2 else 0, node)
        if callee is map and len(args) == 2 and args[1] is lst and not kwargs:
            return self.rt_map(args[0], lst, node)
        if callee in (max, min) and one:
            return self.rt_minmax(callee, lst, node)
        if callee in (max, min) and len(args) == 1 and args[0] is lst and set(kwargs) == {"key"}:
            return self.rt_minmax(callee, lst, node, kwargs["key"])
        if callee is sorted and len(args) == 1 and args[0] is lst:
            return self.sorted_of(lst, kwargs.get("key"), kwargs.get("reverse", False), node,
                                  None)
        if callee is reversed and one:
            return self.rt_item(lst, slice(None, None, -1), node)
        if callee in (any, all) and one:
            return self.rt_any_all(callee, lst, node)
        if isinstance(callee, np.ufunc) or (getattr(callee, "__module__", None) or "").split(
                ".")[0] == "numpy":
            args = [self._rt_value("stacked", "list_stack", {"lst": a.var, "axis": Const(0)})
                    if self.is_rt_list(a) else a for a in args]
            if not self.rt_in(args + list(kwargs.values())):
                return self.call(callee, args, kwargs, node, getattr(callee, "__name__", "np"))
        return None

    def rt_sum(self, lst, start, node):
        """``sum(lst, start)`` of a run-time list: its loop, in Python's order."""
        parts = self._free_name("parts")
        total = self._free_name("_total", {parts})
        item = self._free_name("_item", {parts, total})
        add = gast.Assign(targets=[_store(total)], value=gast.BinOp(
            left=_load(total), op=gast.Add(), right=_load(item)), type_comment=None)
        loop = gast.For(target=_store(item), iter=_load(parts), body=[add], orelse=[],
                        type_comment=None)
        return self.bind_statements([_at(loop, node)], total, [item],
                                    {parts: lst, total: start})

    def minmax(self, callee, args, kwargs, node):
        """``max(a, b, ...)`` / ``min(...)`` (or of one compile-time sequence) where a
        runtime value takes part: CPython's comparisons as conditional expressions."""
        items = list(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) \
            and not isinstance(args[0], Sym) else list(args)
        key = kwargs.get("key")
        if set(kwargs) - {"key", "default"} or ("default" in kwargs and len(args) != 1):
            return None  # (Python's TypeError, as the call runs)
        if len(args) == 1 and isinstance(args[0], Sym):
            if "default" in kwargs:
                raise self.error(node, "%s(x, default=...) of a runtime value's rows (their "
                                 "number known only when the code runs)" % callee.__name__,
                                 "test len(x) first, or leave default= out",
                                 cls=UnsupportedSyntaxError)
            return self.rt_minmax(callee, args[0], node, key)  # max(x): over x's rows
        if not items and "default" in kwargs:
            return kwargs["default"]
        if key is not None and items:
            return self._minmax_key(callee, items, key, node)
        if kwargs or not items or not has_sym(items):
            return None
        op = gast.Gt() if callee is max else gast.Lt()
        names: list = []
        for i in range(len(items)):
            names.append(self._free_name("_%s_%d" % (callee.__name__, i), set(names)))
        best = self._free_name("_" + callee.__name__, set(names))
        stmts = [gast.Assign(targets=[_store(best)], value=_load(names[0]), type_comment=None)]
        for n in names[1:]:
            test = gast.Compare(left=_load(n), ops=[op], comparators=[_load(best)])
            stmts.append(gast.Assign(targets=[_store(best)], value=gast.IfExp(
                test=test, body=_load(n), orelse=_load(best)), type_comment=None))
        return self.bind_statements([_at(s, node) for s in stmts], best, (),
                                    dict(zip(names, items)))

    def rt_map(self, func, seq, node):
        """``map(func, seq)`` over a run-time list or the rows of a runtime value: the loop
        ``out = []; for v in seq: out.append(func(v))``, its list."""
        fn = self._free_name("_fn")
        over = self._free_name("_seq", {fn})  # (f's own code runs here: names of ours)
        item = self._free_name("_item", {fn, over})
        out = self._free_name("_mapped", {fn, over, item})
        call = gast.Call(func=_load(fn), args=[_load(item)], keywords=[])
        push = gast.Expr(value=gast.Call(func=gast.Attribute(value=_load(out), attr="append",
                                                             ctx=gast.Load()),
                                         args=[call], keywords=[]))
        start = gast.Assign(targets=[_store(out)], value=gast.List(elts=[], ctx=gast.Load()),
                            type_comment=None)
        loop = gast.For(target=_store(item), iter=_load(over), body=[push], orelse=[],
                        type_comment=None)
        return self.bind_statements([_at(start, node), _at(loop, node)], out, [item],
                                    {fn: func, over: seq})

    def _minmax_key(self, callee, items, key, node):
        """``max(items, key=f)`` / ``min(...)`` of a compile-time sequence: CPython's
        comparisons of the keys, each key computed once, in order (``m = a; k = f(a)``, then
        ``kv = f(v); if kv > k: m = v; k = kv`` for each later item: the first of equal
        keys is kept), so the gradient flows to the item chosen."""
        names: list = []
        for i in range(len(items)):
            names.append(self._free_name("_%s_%d" % (callee.__name__, i), set(names)))
        fn = self._free_name("_key", set(names))
        best = self._free_name("_" + callee.__name__, set(names) | {fn})
        best_key = self._free_name("_best_key", set(names) | {fn, best})
        stmts = [_assign(best, _load(names[0])), _assign(best_key, _call(fn, names[0]))]
        for n in names[1:]:
            k = self._free_name("_key_of", set(names) | {fn, best, best_key})
            stmts += [_assign(k, _call(fn, n)), _replace_if(callee, k, best_key, best, n)]
        return self.bind_statements([_at(s, node) for s in stmts], best, (),
                                    {**dict(zip(names, items)), fn: _KeyOf(key, self, node)})

    def rt_minmax(self, callee, lst, node, key=None):
        """``max(lst)`` / ``min(lst)`` of a run-time list or a runtime value (its rows):
        ``m = lst[0]``, then ``m = v if v > m else m`` for each later item (CPython's order; a ValueError when it is empty, as
        Python's is an error there too).  With ``key=f``: ``k = f(m)``, then ``kv = f(v); if
        kv > k: m = v; k = kv`` (each key computed once; the first of equal keys kept)."""
        if key is not None:
            return self._rt_minmax_key(callee, lst, node, key)
        over = self._free_name("seq")
        item = self._free_name("_item", {over})
        best = self._free_name("_" + callee.__name__, {over, item})
        first = gast.Assign(targets=[_store(best)], value=gast.Subscript(
            value=_load(over), slice=gast.Constant(value=0, kind=None), ctx=gast.Load()),
            type_comment=None)
        test = gast.Compare(left=_load(item), ops=[gast.Gt() if callee is max else gast.Lt()],
                            comparators=[_load(best)])
        keep = gast.Assign(targets=[_store(best)], value=gast.IfExp(
            test=test, body=_load(item), orelse=_load(best)), type_comment=None)
        rest = gast.Subscript(value=_load(over), slice=gast.Slice(
            lower=gast.Constant(value=1, kind=None), upper=None, step=None), ctx=gast.Load())
        loop = gast.For(target=_store(item), iter=rest, body=[keep], orelse=[],
                        type_comment=None)
        return self.bind_statements([_at(first, node), _at(loop, node)], best, [item],
                                    {over: lst})

    def _rt_minmax_key(self, callee, lst, node, key):
        over = self._free_name("seq")
        fn = self._free_name("_key", {over})
        item = self._free_name("_item", {over, fn})
        best = self._free_name("_" + callee.__name__, {over, fn, item})
        best_key = self._free_name("_best_key", {over, fn, item, best})
        k = self._free_name("_key_of", {over, fn, item, best, best_key})
        first = _assign(best, gast.Subscript(value=_load(over), slice=gast.Constant(
            value=0, kind=None), ctx=gast.Load()))
        rest = gast.Subscript(value=_load(over), slice=gast.Slice(
            lower=gast.Constant(value=1, kind=None), upper=None, step=None), ctx=gast.Load())
        loop = gast.For(target=_store(item), iter=rest, body=[
            _assign(k, _call(fn, item)), _replace_if(callee, k, best_key, best, item)],
            orelse=[], type_comment=None)
        stmts = [first, _assign(best_key, _call(fn, best)), loop]
        return self.bind_statements([_at(s, node) for s in stmts], best, [item, k],
                                    {over: lst, fn: _KeyOf(key, self, node)})

    def sorted_of(self, seq, key, reverse, node, path):
        """``sorted(seq, key=f, reverse=r)`` of a compile-time sequence holding runtime
        values (or whose keys are runtime values): the keys computed in order (``f`` called
        once per item), the order Python's ``sorted`` gives them found when the code runs
        (``sorted_order``: Python's own sort of the keys, so ties keep their order), and
        item ``j`` of the new list the item at ``order[j]`` (one ``if`` per other item), so
        the gradient flows to the items where they land (all orders).  A sequence whose
        length is known only at run time: :meth:`_rt_sorted`.  Refused: a ``reverse`` known
        only when the code runs, more than
        :data:`MAX_SORTED` items, keys that are not numbers or runtime values."""
        where = "sorted(...)"
        if has_sym(reverse):
            raise self.error(node, "sorted(..., reverse=r) with r known only when the code "
                             "runs", "give reverse as a constant True or False",
                             cls=UnsupportedSyntaxError)
        if isinstance(seq, Sym) or self.is_rt_list(seq):
            return self._rt_sorted(seq, key, reverse, node)
        items = self._items(seq, node)
        if len(items) > MAX_SORTED:
            raise self.error(node, "%s of %d items holding runtime values (at most %d are "
                             "sorted item by item)" % (where, len(items), MAX_SORTED),
                             "stack them and use ops.sort / ops.argsort",
                             cls=UnsupportedSyntaxError)
        keys = [self.call(_KeyOf(key, self, node), [v], {}, node, path or "key") for v in items] \
            if key is not None else items
        if not has_sym(keys):  # the order known now: the items put in it
            try:
                order = sorted(range(len(items)), key=keys.__getitem__, reverse=bool(reverse))
            except TypeError as exc:
                raise self.error(node, "TypeError: %s" % exc) from None
            return SymList(items[i] for i in order)
        if not all(isinstance(k, Sym) or type(k) in (int, float, bool) for k in keys):
            raise self.error(node, "%s with keys that are not numbers or Tensors (a tuple, "
                             "a list) where some hold runtime values" % where,
                             "give a key that returns one number or a one-element Tensor",
                             cls=UnsupportedSyntaxError)
        order = P.sorted_order(self.as_array(list(keys)), bool(reverse))
        names: list = []
        for i in range(len(items)):
            names.append(self._free_name("_item_%d" % i, set(names)))
        at = self._free_name("_order", set(names))
        out = self._free_name("_sorted", set(names) | {at})
        picks, stmts = [], []
        for j in range(len(items)):
            pick = self._free_name("_pick", set(names) | {at, out} | set(picks))
            picks.append(pick)
            stmts.append(_assign(pick, _load(names[0])))
            slot = gast.Subscript(value=_load(at), slice=gast.Constant(value=j, kind=None),
                                  ctx=gast.Load())
            for i in range(1, len(items)):
                test = gast.Compare(left=slot, ops=[gast.Eq()],
                                    comparators=[gast.Constant(value=i, kind=None)])
                stmts.append(gast.If(test=test, body=[_assign(pick, _load(names[i]))],
                                     orelse=[]))
        stmts.append(_assign(out, gast.List(elts=[_load(p) for p in picks], ctx=gast.Load())))
        return self.bind_statements([_at(s, node) for s in stmts], out, picks,
                                    {**dict(zip(names, items)), at: order})

    def _rt_sorted(self, seq, key, reverse, node):
        """``sorted(x)`` of a runtime value's rows (a run-time list of them, as
        ``ops.unstack`` makes), or of a run-time list: the order Python's ``sorted`` gives
        the items (their keys: ``map(f, items)``), found when the code runs
        (``sorted_order``), and a new run-time list of the items in it (``list_take``, whose
        rule puts each gradient back at its item); first-order reverse mode, as such lists."""
        lst = seq if self.is_rt_list(seq) else P.list_unstack(seq, 0)
        keys = lst if key is None else self.rt_map(_KeyOf(key, self, node), lst, node)
        order = self._rt_value("order", "sorted_order",
                               {"keys": keys.var, "reverse": Const(bool(reverse))})
        return self._rt_value("ordered", "list_take", {"lst": lst.var, "order": order.var},
                              rt_list=True)

    def rt_any_all(self, callee, lst, node):
        """``any(lst)`` / ``all(lst)`` of a run-time list: ``found = False; for v in lst: if v:
        found = True`` (``all``: ``True``, ``if not v: ... = False``), a bool."""
        over = self._free_name("seq")
        item = self._free_name("_item", {over})
        found = self._free_name("_" + callee.__name__, {over, item})
        test = _load(item) if callee is any else gast.UnaryOp(op=gast.Not(), operand=_load(item))
        flip = gast.If(test=test, body=[gast.Assign(
            targets=[_store(found)], value=gast.Constant(value=callee is any, kind=None),
            type_comment=None)], orelse=[])
        loop = gast.For(target=_store(item), iter=_load(over), body=[flip], orelse=[],
                        type_comment=None)
        return self.bind_statements([_at(loop, node)], found, [item],
                                    {over: lst, found: callee is all})

    def rt_reverse_pop(self, base, attr, node):
        """``outs.reverse()`` / ``outs.pop()`` of a run-time list: a new version (reversed, or
        without its last item) that every name holding ``outs`` holds then; ``pop`` gives
        the last item (an IndexError when the code runs, if it is empty, as Python's)."""
        self.rt_check_unheld(base, node, "changing")
        item = self.rt_item(base, -1, node) if attr == "pop" else None
        self.rt_new_version(base, self.rt_item(
            base, slice(None, -1) if attr == "pop" else slice(None, None, -1), node))
        return item
