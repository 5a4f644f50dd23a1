"""Loops: ``for`` and ``while`` bound as IR loops, or unrolled when they must be.

Takes: a (desugared) ``for`` or ``while`` statement in the normalizer's current environment.
Gives: either an IR ``For`` / ``While`` whose carried values are fixed structures of runtime
values, or, for a ``for`` with a constant trip count, the body bound once per iteration
(unrolled), or a CompileError at the user's line.  Never a loop that computes something else.

An IR loop replays one body with one set of variables, so every value it carries from one
iteration to the next (or out of the loop) must keep its structure: a runtime value (a
number before the loop becomes one), or a tuple of them of a fixed length.  Before the
body is bound, each name the loop carries gets a *header* per runtime leaf (a new version,
copied into at the end of each iteration); a name whose value is not such a structure (a
list, None, a string, an empty tuple) must come out of the body unchanged.  The body is then
bound, and at its end each carried name must still fit its headers.

When it does not (a tuple that grows, a Python number turned into a tuple, a list appended
to), or when the body needs the counter as a compile-time value (a compile-time sequence
or a ``CellList`` indexed by it: :meth:`needs_constant`), the binding stops
(:exc:`~.normalize_values.NeedsConstant`), everything it did is undone, and the innermost
enclosing ``for`` over a constant ``range`` (or over a compile-time sequence) is unrolled
instead: its counter is then a Python int in each copy of the body.  A ``for`` over a
constant ``range`` that ``break`` made into a ``while`` is unrolled in its idling form (each
copy of the body under ``if not <the break flag>:``, desugar's ``unrollable_form``).  A
``while`` loop and a ``for`` over a runtime bound or over a runtime array cannot be
unrolled; the user gets the error, at the line that needs it, saying why.  A loop is unrolled at most :data:`MAX_UNROLL` times.

A loop that cannot be unrolled and appends to a list the function built (``outs.append(h)``)
keeps that list a Python list at run time instead (:mod:`.runtime_lists`): the lists its
body appends to by name are made run-time lists before it, and a list it changes otherwise
(:exc:`~.runtime_lists.ListsGrow`) makes the binding start again with that list made one.

:class:`LoopsMixin` is one part of :class:`~autograd_st.compiler.normalize.Normalizer`
(through :class:`~.normalize_stmts.StatementsMixin`) and uses its state and helpers.
"""
from __future__ import annotations

import gast

from ..errors import UnsupportedSyntaxError
from ..prims import P, Sym, has_sym
from .codegen import names_read, names_written
from .ir import For, While
from .loop_state import (
    ITEMS_HINT,
    BindingState,
    CarriedItemsMixin,
    ItemsSet,
    carryable,
    describe,
    dicts_in,
    lists_in,
    same,
    slot,
)
from .normalize_values import (
    LOOP_LOCAL,
    UNDEFINED,
    NeedsConstant,
    Range,
    SymList,
    atomize,
    name_hint,
    sym,
    trip_count,
    tuple_like,
)
from .runtime_lists import ListsGrow
from .trees import walk, zip_call

__all__ = ["LoopsMixin", "MAX_UNROLL"]


def _numbers(value) -> bool:
    """A compile-time tuple or list of plain numbers (indexable when the code runs)."""
    return isinstance(value, (tuple, list)) and not isinstance(value, Sym) and bool(value) \
        and all(type(v) in (int, float, bool) for v in value)


def _builtin(name: str) -> gast.Name:
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)

#: the most iterations a loop is unrolled into (each is a copy of its body)
MAX_UNROLL = 1000

def _first_use(stmts, name):
    """'load' if ``name`` may be read before it is assigned when ``stmts`` run, 'store' if it
    is assigned first on every path, None if neither."""
    for stmt in stmts:
        if isinstance(stmt, (gast.Assign, gast.AugAssign, gast.AnnAssign)):
            value = stmt.value
            if (value is not None and name in names_read([value])) or (
                    isinstance(stmt, gast.AugAssign) and (  # (v += e, v[i] += e: read)
                        getattr(stmt.target, "id", None) == name
                        or name in names_read([stmt.target]))):
                return "load"
            targets = stmt.targets if isinstance(stmt, gast.Assign) else [stmt.target]
            if any(isinstance(n, gast.Name) and n.id == name
                   for t in targets for n in walk(t)):
                return "store"
        elif isinstance(stmt, gast.For):
            if name in names_read([stmt.iter]):
                return "load"
            if any(isinstance(n, gast.Name) and n.id == name for n in walk(stmt.target)):
                inner = "store"
            else:
                inner = _first_use(stmt.body, name)
            if inner == "load":
                return "load"
            # the body may run zero times: a store inside it does not count
        elif isinstance(stmt, gast.While):
            if name in names_read([stmt.test]) or _first_use(stmt.body, name) == "load":
                return "load"
        elif isinstance(stmt, gast.If):
            if name in names_read([stmt.test]):
                return "load"
            a, b = _first_use(stmt.body, name), _first_use(stmt.orelse, name)
            if a == "load" or b == "load":
                return "load"
            if a == "store" and b == "store":
                return "store"
        elif name in names_read([stmt]):
            return "load"
    return None


def _subscript_stores(nodes) -> list:
    """The names written into by subscript in ``nodes`` (``x[i] = v``, ``x[i] += v``): a
    Tensor's is a new value each time (``normalize_stmts.set_item``), so a loop carries it."""
    return list(dict.fromkeys(
        n.value.id for node in nodes for n in walk(node)
        if isinstance(n, gast.Subscript) and isinstance(n.ctx, gast.Store)
        and isinstance(n.value, gast.Name)))


class LoopsMixin(CarriedItemsMixin):
    """Binds ``for`` and ``while`` (see the module docstring)."""

    # per loop being bound as an IR loop, innermost last: None if it can be unrolled, else
    # why it cannot
    _unrollable: tuple = ()

    # -- what the body may ask for -------------------------------------------------------
    def needs_constant(self, node, what, hint):
        """Raise for ``what`` (something the code at ``node`` needs as a compile-time value
        but gets as a runtime one): to the innermost loop that can be unrolled, which then
        is; with no such loop, as the user's CompileError (saying why none can be)."""
        if not self._unrollable:
            raise self.error(node, what, hint, cls=UnsupportedSyntaxError)
        if None in self._unrollable:
            raise NeedsConstant(self.error(node, what, hint, cls=UnsupportedSyntaxError))
        raise self.error(node, "%s, inside a loop that cannot be unrolled (%s)"
                         % (what, self._unrollable[-1]), hint, cls=UnsupportedSyntaxError)

    # -- for -----------------------------------------------------------------------------
    def s_For(self, node):
        found = self._runtime_sequences(node)
        if found is not None and found[0] == "items":  # enumerate / zip of known sequences
            items = list(found[1])
            self._unroll(node, items, items)
            return
        if found is not None:  # for i, p in enumerate(parts), for a, b in zip(xs, hs)
            how, over = found
            lengths = [self.runtime_len(o) if isinstance(o, Sym) else len(o)
                       for o in (over if how != "enumerate" else (over,))]
            n = lengths[0]
            for m in lengths[1:]:  # zip: the shortest
                n = self.opaque(gast.Call(func=_builtin("min"), args=[self.to_node(n),
                                                                      self.to_node(m)],
                                          keywords=[]), [n, m], "n", callee_name="min")
            self._attempt(lambda: self._for_loop(node, Range([n]), over, how), "its trip count "
                          "is not a constant", lambda: None, node)
            return
        it = self.iterable(node.iter)
        over = None
        if isinstance(it, Sym):  # for row in x: a loop over x's first axis, x[i] each time
            over = it
            it = Range([self.runtime_len(it)])
        if isinstance(it, Range):
            if not isinstance(node.target, gast.Name) and over is None:
                raise self.error(node.target, "for over range() needs a single loop variable",
                                 "loop with one name (for i in range(n)), and compute the "
                                 "others from it in the body")
            trips = trip_count(it) if over is None else None
            why = "its trip count is not a constant" if trips is None else \
                "it has %d iterations, and a loop is unrolled into at most %d copies of its " \
                "body" % (trips, MAX_UNROLL) if trips > MAX_UNROLL else None
            if why is None and trips and self._first_bound_in(node.body):
                # for k in range(3): y = ... read after the loop: y is the last
                # iteration's value, which the unrolled body binds
                self._unroll(node, list(range(*it.args)))
                return
            self._attempt(lambda: self._for_loop(node, it, over), why,
                          lambda: self._unroll(node, list(range(*it.args))), node)
            return
        if isinstance(it, (tuple, list)):
            self._unroll(node, it, it)  # a compile-time sequence: unrolled
            return
        try:
            items = list(it)
        except TypeError:
            raise self.error(node.iter, "cannot iterate over %r" % (it,)) from None
        self._unroll(node, items, it)

    def _unroll(self, node, items, container=None):
        """The body bound once per item (the loop variable a compile-time value in each)."""
        hint = name_hint(node.iter)
        for i, item in enumerate(items):
            if container is not None:
                item = self.element(container, i, item, "%s_%d" % (hint, i))
            self.assign(node.target, item, node)
            self.stmts(node.body)

    def _attempt(self, bind_loop, why, unroll, node=None):
        """``bind_loop()``; if its body asks for the loop to be unrolled and it can be
        (``why`` it cannot is None), undo it and ``unroll()`` instead.  If it cannot be and
        its body appends to lists (:exc:`ListsGrow`), undo it and bind it again with those
        lists made run-time lists (:mod:`.runtime_lists`)."""
        outer = self._unrollable
        tried: set = set()  # the lists this loop made run-time lists before it
        tuples: list = []  # the names of tuples it grows (outs += (h,)): made ones too
        if why is not None and node is not None:  # lists its body appends to, by name
            tried = self.rt_prescan(node.body)
            self.rt_pending.update(tried)
            tuples = self.rt_prescan_tuples(node.body)
        while True:
            state = BindingState(self)
            self._unrollable = outer + (why,)
            try:
                if tuples:
                    self.make_runtime_tuples(tuples, node)
                if self.rt_pending:
                    self._name_aliased_lists()
                    self.make_runtime_lists(node)  # lists the loop appends to, made before
                bind_loop()
                return
            except ListsGrow as exc:
                if exc.ids <= tried:
                    raise exc.error from None  # made run-time lists, and still changed
                state.restore(self)
                tried |= exc.ids
                self.rt_pending.update(exc.ids)
            except ItemsSet as exc:  # acc[0] = acc[0] + v: bound again, acc's items carried
                state.restore(self)
                self.items_pending.setdefault(exc.key, set()).update(exc.ids)
            except NeedsConstant:
                if why is not None:
                    raise
                state.restore(self)
                break
            finally:
                self._unrollable = outer
        unroll()

    def _name_aliased_lists(self):
        """A list to make a run-time list that no name holds any more, only an alias
        (``push = outs.append`` and ``outs`` given another list): held by a name of the
        compiler's (``_list_1``), so that the alias reaches the run-time list."""
        for lst, _ in lists_in(self.env.values()):
            if id(lst) in self.rt_pending and id(lst) not in self.rt_retired \
                    and not any(v is lst for v in self.env.values()):
                n = 1
                while "_list_%d" % n in self.env:
                    n += 1
                self.env["_list_%d" % n] = lst

    def iterable(self, node):
        """What a loop or comprehension iterates, bound: ``reversed(v)`` of a runtime value
        (not a run-time list) is ``v[::-1]``, whose rows iterate as the iterator does."""
        if isinstance(node, gast.Call) and isinstance(node.func, gast.Name) \
                and node.func.id == "reversed" and len(node.args) == 1 and not node.keywords \
                and not isinstance(node.args[0], gast.Starred) \
                and self.expr(node.func) is reversed:
            value = self.expr(node.args[0])
            if isinstance(value, Sym) and not self.is_rt_list(value):
                return P.getitem(value, slice(None, None, -1))
            return self.call(reversed, [value], {}, node, "reversed")
        return self.expr(node)

    def runtime_len(self, value):
        """``len(value)`` of a run-time list or a runtime value, read when the code runs."""
        if self.is_rt_list(value):
            return self.rt_len(value)
        return self.opaque(gast.Call(func=_builtin("len"), args=[self.to_node(value)],
                                     keywords=[]), [value], "len", callee_name="len")

    def _runtime_sequences(self, node):
        """``("enumerate", seq)`` for ``for i, v in enumerate(seq)``, ``("zip", (a, b, ..))``
        for ``for u, v in zip(a, b)``, where the sequences are run-time lists or runtime
        values (their rows); ``("items", iterator)`` where they are known now; else None."""
        call, target = node.iter, node.target
        if not (isinstance(call, gast.Call) and isinstance(call.func, gast.Name)
                and call.args and not call.keywords and isinstance(target, gast.Tuple)
                and not any(isinstance(a, gast.Starred) for a in call.args)):
            return None
        func = self.expr(call.func)
        if not ((func is enumerate and len(call.args) == 1 and len(target.elts) == 2
                 and isinstance(target.elts[0], gast.Name))
                or (func is zip and len(call.args) == len(target.elts))):
            return None
        if func is enumerate and isinstance(target.elts[1], gast.Tuple) \
                and zip_call(call.args[0], len(target.elts[1].elts)) \
                and self.expr(call.args[0].func) is zip:
            # for i, (a, b) in enumerate(zip(xs, hs)): zip's loop, counted by i
            overs = tuple(self.iterable(a) for a in call.args[0].args)
            if any(isinstance(o, Sym) for o in overs):
                self._check_zip(overs, call.args[0])
                return "enumerate_zip", overs
            zipped = self.call(zip, list(overs), {}, call.args[0], "zip")
            return "items", self.call(enumerate, [zipped], {}, call, "enumerate")
        overs = tuple(self.iterable(a) for a in call.args)
        if all(isinstance(o, Sym) for o in overs):
            return ("enumerate", overs[0]) if func is enumerate else ("zip", overs)
        if any(isinstance(o, Sym) for o in overs):  # (a run-time list is one too)
            if func is zip:
                self._check_zip(overs, call)
                return "zip", overs  # zip(x, [0.5, 2.0]): the numbers read by the counter
            self._check_zip(overs, call, func.__name__)  # (refused)
        return "items", self.call(func, list(overs), {}, call, func.__name__)

    def _check_zip(self, overs, call, what="zip"):
        """Refuse a ``zip`` of a runtime value and a compile-time sequence of anything but
        numbers (numbers are read by the loop's counter when the code runs)."""
        if what != "zip" or not all(isinstance(o, Sym) or _numbers(o) for o in overs):
            raise self.error(call, "%s of a runtime value and a sequence known when the code "
                             "is compiled" % what, "loop over range(len(...)) of the "
                             "runtime value and index the other sequence by its counter, or "
                             "make both runtime values", cls=UnsupportedSyntaxError)

    def _for_loop(self, node, it, over, how=None):
        """The loop as an IR ``For`` (its carried values checked at the end of the body);
        ``over`` the runtime sequence it reads an item of per iteration (a tuple of them for
        ``how == "zip"``; ``how == "enumerate"``: the target is ``(index, item)``)."""
        before = dict(self.env)
        carried, plan, lists = self._carry(node.body)
        item = node.target
        if over is None:
            index = node.target.id
        elif how == "enumerate":
            index, item = node.target.elts[0].id, node.target.elts[1]
        elif how == "enumerate_zip":
            index = node.target.elts[0].id
        else:
            index = "_%s_index" % ("zip" if how == "zip" else name_hint(node.iter))
        target = self.new_version(index)
        self.env[index] = sym(target)
        outer = self.block
        self.block = []
        if how in ("zip", "enumerate_zip"):
            targets, args = (node.target.elts, node.iter.args) if how == "zip" else \
                (node.target.elts[1].elts, node.iter.args[0].args)
            for t, o, arg in zip(targets, over, args):
                if isinstance(o, Sym):
                    self._assign_item(t, o, target, node)
                else:  # a sequence of numbers, indexed when the code runs (named after
                    # its name, else after its loop variable: ``w_values[_zip_index]``)
                    table = arg if isinstance(arg, (gast.Name, gast.Attribute)) else \
                        _builtin(name_hint(t) + "_values")
                    self.assign(t, self.subscript_runtime(gast.Subscript(
                        value=table, slice=_builtin(index), ctx=gast.Load()), o, sym(target)),
                        node)
        elif over is not None:
            self._assign_item(item, over, target, node)
        body = self._loop_body(node, carried, plan, lists, before, outer)
        self.emit(For(target, [atomize(a) for a in it.args], body,
                      *self._loop_fields(node, carried)))

    def _assign_item(self, item, over, index, node) -> None:
        """``item = over[index]`` for the loop target ``item``."""
        if self.is_rt_list(over):
            value = self.rt_item(over, sym(index), node.iter)
            self.fresh_temps.add(value.var.name)  # (it takes the loop variable's name)
            self.assign(item, value, node)
        else:
            self.assign(item, P.getitem(over, sym(index)), node)

    def _loop_body(self, node, carried, plan, lists, before, outer) -> list:
        """Bind the loop's body into the current block, close the loop (its carried values
        back to their headers) and give the body; the block is ``outer`` again after."""
        self.stmts(node.body)
        self._check_carried(node, plan, lists, before)
        for _, header in carried:  # (x[i] = v in the body: its header holds the new value
            self.stale.pop(header, None)  # from the next iteration on, and after the loop)
        self._close_loop(carried, plan)
        self.close_items(lists[2])
        body = self.block
        self.block = outer
        self._restore_after_loop(carried, plan, before)
        self.items_after_loop(lists[2])
        return body

    def _loop_fields(self, node, carried) -> tuple:
        """A loop statement's ``carried``, ``loc`` and ``inits``."""
        return ([(h, n) for n, h in carried], (self.src.filename, node.lineno, node.col_offset),
                {h: self._inits[h] for n, h in carried})

    # -- while ---------------------------------------------------------------------------
    def s_While(self, node):
        why, unroll = "a while loop, which a for loop with break or return also becomes", None
        form = getattr(node, "unrollable_form", None)  # a for with break (desugar)
        if form is not None:
            it = self.expr(form.iter)
            trips = trip_count(it) if isinstance(it, Range) else None
            if trips is None:
                why = "a for loop with break or return over a range whose length is not a " \
                    "constant"
            elif trips > MAX_UNROLL:
                why = "a for loop with break or return of %d iterations, and a loop is " \
                    "unrolled into at most %d copies of its body" % (trips, MAX_UNROLL)
            else:  # unrolled, each copy under ``if not <the break flag>:``
                why, unroll = None, lambda: self._unroll(form, list(range(*it.args)))
                if trips and self._first_bound_in(form.body):
                    unroll()  # (a name the loop binds first, read after it: see s_For)
                    return
        self._attempt(lambda: self._while_loop(node), why, unroll, node)

    def _while_loop(self, node):
        before = dict(self.env)
        # the condition runs before every iteration: what it reads is carried too
        carried, plan, lists = self._carry(node.body, [gast.Expr(value=node.test)])
        outer = self.block
        self.block = []
        cond = self.expr(node.test)
        cond_body = self.block
        if not has_sym(cond):
            if cond:
                raise self.error(node.test, "this while loop's condition is a constant True",
                                 "make the condition depend on a value the loop changes")
            self.block = outer
            outer.extend(cond_body)
            self._restore_after_loop(carried, plan, before)
            return
        cond = self.truth(cond, node.test)
        self.block = []
        body = self._loop_body(node, carried, plan, lists, before, outer)
        self.emit(While(cond.var, cond_body, body, *self._loop_fields(node, carried)))

    # -- carried values ------------------------------------------------------------------
    def _carry(self, body_nodes, extra_nodes=()):
        """Before a loop: ``(carried, plan, lists)``.  ``carried``: the ``(user name,
        header)`` pairs, each header a new version starting from its value before the loop;
        ``plan``: per carried name, ``(True, structure of headers)`` or ``(False, value)``
        for a value that must come out of the body unchanged; ``lists``: the SymLists the
        body could change and the dicts, with their items now, the lists and dicts whose
        items it carries (:meth:`carry_items`) and the body."""
        carried, plan = [], {}
        later = self._read_after_loop()
        body = list(extra_nodes) + list(body_nodes)
        reached = self.rt_reached(body)  # appended to through an alias: always carried
        for name in names_written(list(body_nodes) + list(extra_nodes)) \
                + _subscript_stores(body_nodes) + self.rt_appended(body_nodes) + reached:
            # a value the next iteration or the code after the loop reads is carried; one
            # each iteration makes afresh before reading it is not
            if name in plan:
                continue
            if name not in later and _first_use(body, name) != "load" and name not in reached:
                continue
            if name not in self.env or self.env[name] in UNDEFINED:
                continue
            value = self.env[name]
            if slot(value) or (isinstance(value, tuple) and not isinstance(value, SymList)
                                and any(slot(v) or isinstance(v, tuple) for v in value)):
                headers = self._headers(name, value, carried)
                plan[name] = (True, headers)
                self.env[name] = headers
            else:
                plan[name] = (False, value)
        items = self.carry_items(body_nodes, carried)
        return carried, plan, (lists_in(self.env.values()), dicts_in(self.env.values()), items,
                               body_nodes)

    def _read_after_loop(self) -> set:
        """The names the statements after the one being bound read."""
        later: set = set()
        for rest, start in self.rest_stack:
            for stmt in rest[start:]:
                later |= self._loads_in(stmt)
        return later

    def _first_bound_in(self, body) -> list:
        """The names ``body`` assigns that have no value before it and that code after the
        loop reads before assigning them (Python: the last iteration's value)."""
        def read_first(n):
            for rest, start in reversed(self.rest_stack):  # (innermost first)
                use = _first_use(rest[start:], n)
                if use is not None:
                    return use == "load"
            return False
        later = self._read_after_loop()
        return [n for n in names_written(body) if n in later
                and (n not in self.env or self.env[n] in UNDEFINED) and read_first(n)]

    def _loads_in(self, stmt) -> frozenset:
        """The names a user statement reads, walked once per statement however many loops
        before it ask (each loop asks about every statement after it)."""
        cache = self.__dict__.setdefault("_stmt_loads", {})
        got = cache.get(id(stmt))
        if got is None or got[0] is not stmt:
            got = cache[id(stmt)] = (stmt, frozenset(
                n.id for n in walk(stmt)
                if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)))
        return got[1]

    def _headers(self, name, value, carried):
        """``value``'s structure with a header for each runtime leaf (copied into now)."""
        if isinstance(value, tuple):
            return tuple_like(value, [self._headers("%s_%d" % (name, i), v, carried)
                                      for i, v in enumerate(value)])
        if not slot(value):
            return value  # a constant inside a carried tuple: it must stay the same
        header = self.new_version(name)
        self._inits[header] = atomize(value)
        self.copy_to(header, value)
        carried.append((name, header))
        if isinstance(value, Sym):
            self.mark_maybe_unbound_like(value, header)
        return sym(header)

    def _check_carried(self, node, plan, watched, before=None):
        """At the end of a loop body: every carried name still fits its headers, every
        other value the loop carries is unchanged; otherwise the loop must be unrolled.
        A loop that stays a loop and sets items of a list or dict (keeping its length and
        keys) is bound again with those items carried (:exc:`ItemsSet`)."""
        lists, dicts, items, body = watched
        self.check_items(node, items)
        carrying = {id(c) for c, _ in items}
        stays = bool(self._unrollable) and self._unrollable[-1] is not None
        set_ids = self.set_items_in(lists + dicts, carrying) if stays else set()
        for name, (is_carried, start) in plan.items():
            value = self.env.get(name, LOOP_LOCAL)
            if is_carried:
                fits = self._fits(start, value)
            else:
                fits = same(start, value) and not (isinstance(start, SymList)
                                                    and value is not start)
            if not fits:
                shown = "the value returned inside it" if name.startswith("_return_value") \
                    else repr(name)  # (desugar's name for it)
                self.needs_constant(
                    node, "this loop changes %s from %s to %s, so it cannot be one loop over "
                    "a fixed set of variables" % (shown, describe(start), describe(value)),
                    "loop a constant number of times (for ... in range(3)) so that the loop is "
                    "unrolled, or keep the value a Tensor and use ops.concat / ops.stack")
        grown = []
        for lst, items in lists:
            # a list a nested loop made a run-time list (the names that held it hold that)
            made = [n for n, v in (before or {}).items()
                    if v is lst and self.is_rt_list(self.env.get(n))]
            if id(lst) in carrying or (id(lst) in set_ids and not made):
                continue
            if made or len(lst) != len(items) or any(a is not b for a, b in zip(lst, items)):
                names = made or [n for n, v in self.env.items() if v is lst] or ["a list"]
                if self._unrollable and self._unrollable[-1] is not None and names != [
                        "a list"] and len(lst) >= len(items) and all(
                        a is b for a, b in zip(lst, items)):
                    grown.append((lst, names[0], len(items), len(lst)))
                    continue  # appended to: a run-time list, if this loop stays a loop
                k = next((k for k, (a, b) in enumerate(zip(lst, items)) if a is not b
                          and not (carryable(a) and carryable(b))), 0)
                self.needs_constant(
                    node, "this loop changes the list %r (%s), so it cannot be one loop over a "
                    "fixed set of variables" % (names[0], "from %d to %d items" % (
                        len(items), len(lst)) if len(lst) != len(items) else
                        "sets an item: item %d from %s to %s" % (k, describe(items[k]),
                                                                  describe(lst[k]))),
                    "loop a constant number of times (for ... in range(3)) so that the loop is "
                    "unrolled, or build a Tensor with ops.concat / ops.stack")
        if grown:
            lst, name, n0, n1 = grown[0]
            raise ListsGrow([id(g[0]) for g in grown], self.error(
                node, "this loop changes the list %r (from %d to %d items) in a way a list "
                "built at run time cannot follow, inside a loop that cannot be unrolled (%s)"
                % (name, n0, n1, self._unrollable[-1]),
                "append to the list only (outs.append(h)), or loop a constant number of times "
                "so that the loop is unrolled", cls=UnsupportedSyntaxError))
        for d, items in dicts:  # (a dict the body changed other than by setting items)
            if id(d) not in carrying and id(d) not in set_ids and (list(d) != list(items) or any(
                    d[k] is not v for k, v in items.items())):
                self.check_items(node, [(d, items)])  # (its keys: the user's error)
                self.needs_constant(node, "this loop changes the dict %r (sets an item to a "
                                    "value other than a Tensor or a number), so it cannot be "
                                    "one loop over a fixed set of variables" % self.held_as(d),
                                    ITEMS_HINT)
        if set_ids:
            raise ItemsSet(id(body), set_ids)

    def _fits(self, headers, value) -> bool:
        if isinstance(headers, Sym):
            return slot(value)
        if isinstance(headers, tuple):
            return isinstance(value, tuple) and not isinstance(value, SymList) \
                and len(value) == len(headers) \
                and all(self._fits(h, v) for h, v in zip(headers, value))
        return same(headers, value)

    def _close_loop(self, carried, plan):
        """At the end of a loop body: each carried leaf's value copied into its header."""
        for name, (is_carried, headers) in plan.items():
            if is_carried:
                self._copy_leaves(headers, self.env.get(name))

    def _copy_leaves(self, headers, value):
        if isinstance(headers, tuple):
            for h, v in zip(headers, value):
                self._copy_leaves(h, v)
        elif isinstance(headers, Sym):
            if not (isinstance(value, Sym) and value.var.name == headers.var.name):
                self.copy_to(headers.var.name, value)

    def _restore_after_loop(self, carried, plan, before):
        """After a loop: carried names hold their headers; a name the body assigned but
        that nothing reads after the loop is not carried, so it keeps its value from before
        the loop (a body-local value may not exist if the loop ran no iteration)."""
        for name in list(self.env):
            if name not in before:
                self.env[name] = LOOP_LOCAL
            elif self.env[name] is not before[name]:
                self.env[name] = before[name]
        for name, (is_carried, headers) in plan.items():
            if is_carried:
                self.env[name] = headers
