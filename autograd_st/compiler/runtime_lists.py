"""Lists built at run time: a list appended to inside a loop that stays a loop.

Takes: the normalizer's bound values (a :class:`~.normalize_values.SymList` a loop changes,
and what the code later does with it), and, in the derivative passes, IR statements.
Gives: a *run-time list*: a Python list in generated code (``outs = []`` before the loop,
``outs = list_append(outs, h)`` in it, :mod:`autograd_st.rules_lists`), so that a loop whose
trip count is not a constant (``for t in range(x.shape[0])``, ``while``) can collect its
outputs at the cost of hand-written code; and the refusals, at the user's line, of what is
not supported on such a list.

How it goes: before a loop that cannot be unrolled, the lists the function built that its
body appends to by name (:meth:`RuntimeListsMixin.rt_prescan`) are made run-time lists
(:meth:`RuntimeListsMixin.make_runtime_lists`: ``list_new`` and a ``list_push`` per item it
already has; refused if a second name or a tuple, list or dict also holds the list).  A list
such a loop still changes (a nested loop made it a run-time list, say) raises
:exc:`ListsGrow` from ``normalize_loops._check_carried``: the loop's binding is undone and
tried again with that list made one too.  A run-time list is a runtime value (a ``Sym``) whose
IR variable is in ``rt_lists``; every copy of it (a loop's header, an ``if``'s merge, a
rename) is one too.  On it the code may: ``append`` (a new version, ``list_push``), index it
with an int (``outs[-1]``, ``outs[t]``), ``len(outs)``, ``ops.stack`` / ``np.stack``,
``ops.concat`` / ``ops.cat`` / ``np.concatenate``, ``tuple(outs)`` / ``list(outs)``, loop
over it (``enumerate``, ``zip``, ``reversed`` too), give it to ``sum``, ``max``, ``min``, ``any``,
``all``, ``map`` or a numpy function (:mod:`.normalize_comprehensions`), and return it.  Anything else (a
primitive given the list as an array, a call that runs as it is, a compiled callee, a slice)
is refused where it is written (``outs.extend((a, b))`` of a sequence the code wrote: two
appends; ``[h, *outs]``: a copy, ``list_front``).

Tuples: a tuple such a loop grows by name (``outs += (h,)``, ``outs = outs + (h,)``: the
MindSpore graph-mode way of collecting a recurrent layer's outputs) is made a run-time list
before the loop too (:meth:`RuntimeListsMixin.make_runtime_tuples`), and read the same ways.
A tuple is a value: a push to one that another name or a tuple also holds (any version of
it) copies it first (:meth:`RuntimeListsMixin.rt_own_tuple`), so they keep the items they
had; ``outs + (h,)`` elsewhere is a new run-time list (:meth:`RuntimeListsMixin.rt_concat`).

Aliases: the SymList a run-time list is made from is *retired* (:attr:`rt_retired`), and
every version of the run-time list knows which list it is (:attr:`rt_origin`).  Whatever
still holds the SymList (a bound method kept in a name, ``getattr(outs, "append")``, a
default argument ``store=outs``, a ``functools.partial``) reaches the version a name holds
now (:meth:`rt_follow`; a name read, a call of a bound method, ``list.append(outs, v)``);
a loop whose body may reach a run-time list that way carries it (:meth:`rt_reached`), and a
nested function's appends are seen after it returns (:meth:`rt_returned`).  A change of a
retired list that is not followed is refused at the user's line (:meth:`rt_check_retired`),
so no append is dropped.

The parts of ``ops.split(x, size)`` with an int size and of ``ops.unstack`` are run-time lists
too (their count depends on the shape, which compiled code does not know): the primitive that
makes them (``rules_lists.LIST_MAKERS``) makes its target one when it is emitted.  They are
read as above, and besides unpacked (``q, k, v = parts``: :meth:`RuntimeListsMixin.rt_unpack`,
the count checked when the code runs) and returned (:meth:`~RuntimeListsMixin.rt_returned_value`:
a tuple, ``list_tuple``; a caller that compiled the function, ``frontend``, and the boundary's
sens check find it with ``ir.runtime_tuples``), as a list built by appends may be.

Reverse mode: the adjoint of a run-time list is a ``GradList`` (see ``rules_lists``); forward
mode and code differentiated again (``recompute``) are refused by :func:`refuse_derivative`.
"""
from __future__ import annotations

import functools
import types

import gast

from ..errors import UnsupportedSyntaxError
from ..op_table import _np_concatenate, _np_stack, concat, stack
from ..prims import Sym, has_sym
from ..rules import REGISTRY
from ..rules_lists import LIST_PRIMITIVES
from .codegen import names_written
from .ir import Const, Prim
from .normalize_values import Closure, SymList, atomize, sym
from .trees import walk

__all__ = ["ListsGrow", "RuntimeListsMixin", "refuse_derivative"]

_HINT = ("read the list with ops.stack(outs, axis), ops.concat(outs, axis), outs[i], "
         "len(outs) or a for loop over it; or loop a constant number of times so that the "
         "loop is unrolled")
_CHANGES = frozenset(("append", "extend", "insert", "__iadd__", "__setitem__", "update",
                      "setdefault"))
_STACKS = {stack: "axis", _np_stack: "axis"}
_CONCATS = {concat: "axis", _np_concatenate: "axis"}


def _appends_to(fnode, name: str) -> bool:
    """Whether the body of ``fnode`` appends to ``name`` by name (``name.append(v)``,
    ``name.extend(vs)``, ``name += vs``)."""
    for n in gast.walk(fnode):
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) \
                and n.func.attr in ("append", "extend") and isinstance(n.func.value, gast.Name) \
                and n.func.value.id == name:
            return True
        if isinstance(n, gast.AugAssign) and isinstance(n.target, gast.Name) \
                and n.target.id == name:
            return True
    return False


class ListsGrow(Exception):
    """A loop that cannot be unrolled appends to the lists ``ids`` (by ``id``): bind it
    again with those lists made run-time lists before it.  ``error`` is the user's
    CompileError if that cannot be done."""

    def __init__(self, ids, error) -> None:
        super().__init__(str(error))
        self.ids = frozenset(ids)
        self.error = error


def refuse_derivative(stmt, mode: str) -> None:
    """Raise, at the user's line, for a run-time list primitive in ``mode`` ("forward" mode,
    or "recompute": code built to be differentiated again)."""
    if stmt.prim.name not in LIST_PRIMITIVES:
        return
    what = "forward mode (jvp, jacfwd)" if mode == "forward" else \
        "a derivative of a derivative (grad of grad, check_grads order=2)"
    loc = stmt.loc or (None, None, None)
    raise UnsupportedSyntaxError(
        "%s of a list whose length is known only at run time (one appended to in a loop "
        "whose trip count is not a constant, the parts of ops.split(x, size) or ops.unstack, "
        "sorted(x) of x's rows, list(range(n))) is not supported" % what, loc[0], loc[1], loc[2],
        hint="use reverse mode (ops.grad, ops.value_and_grad) once; or loop a constant "
        "number of times (for t in range(8)) so that the loop is unrolled; or give "
        "ops.split the sizes as a list (ops.split(x, [2, 2], axis))")


class RuntimeListsMixin:
    """The run-time lists of :class:`~autograd_st.compiler.normalize.Normalizer` (see the
    module docstring)."""

    @property
    def rt_lists(self) -> set:
        """IR variables that hold a run-time list."""
        found = self.__dict__.get("_rt_lists")
        if found is None:
            found = self.__dict__["_rt_lists"] = set()
        return found

    @property
    def rt_pending(self) -> set:
        """ids of the SymLists to make run-time lists when the loop is bound again."""
        found = self.__dict__.get("_rt_pending")
        if found is None:
            found = self.__dict__["_rt_pending"] = set()
        return found

    @property
    def rt_origin(self) -> dict:
        """IR variable of a run-time list -> the list it is a version of (``id`` of the
        SymList it was made from, or the variable that made it): which versions are the
        same list."""
        found = self.__dict__.get("_rt_origin")
        if found is None:
            found = self.__dict__["_rt_origin"] = {}
        return found

    @property
    def rt_retired(self) -> dict:
        """``id`` of a SymList made a run-time list -> ``(the SymList, the name that held
        it, the line of the loop)``: the compile-time list is retired; whatever still holds
        it (another name's bound method, a default argument) reaches the run-time list
        through :meth:`rt_follow`."""
        found = self.__dict__.get("_rt_retired")
        if found is None:
            found = self.__dict__["_rt_retired"] = {}
        return found

    def is_rt_list(self, value) -> bool:
        return isinstance(value, Sym) and value.var.name in self.rt_lists

    def rt_in(self, values):
        """The first run-time list among ``values`` (tuples and dicts looked into), or None."""
        for v in values:
            if self.is_rt_list(v):
                return v
            if isinstance(v, (tuple, list)):
                found = self.rt_in(v)
                if found is not None:
                    return found
            elif type(v) is dict:
                found = self.rt_in(list(v.values()))
                if found is not None:
                    return found
        return None

    def rt_copied(self, target: str, value) -> None:
        """``target`` is a copy of ``value``: a run-time list if ``value`` is one."""
        if self.is_rt_list(value):
            self.rt_lists.add(target)
            self.rt_origin[target] = self.rt_origin.get(value.var.name, value.var.name)

    def rt_refuse(self, node, what: str):
        return self.error(node, "%s is not supported on a list built at run time (one "
                          "appended to in a loop whose trip count is not a constant, or "
                          "the parts of ops.split(x, size) or ops.unstack)" % what,
                          _HINT, cls=UnsupportedSyntaxError)

    def rt_name(self, value) -> str:
        """The user's name of a run-time list, for messages."""
        for k, v in self.env.items():
            if isinstance(v, Sym) and v.var.name == value.var.name:
                return k
        return "the list"

    # -- making them ---------------------------------------------------------------------
    def make_runtime_lists(self, node=None) -> None:
        """Before a loop: each SymList of ``rt_pending`` that a name holds becomes a
        run-time list holding its items (every name bound to it holds the new one)."""
        for user, value in list(self.env.items()):
            if not (isinstance(value, SymList) and id(value) in self.rt_pending) \
                    or id(value) in self.rt_retired:
                continue
            for item in value:
                if not (isinstance(item, Sym) or not has_sym(item)) or self.is_rt_list(item) \
                        or isinstance(item, (list, dict)):
                    raise self.rt_refuse(node, "holding a list, tuple or dict (in %s)"
                                         % user)
            self._rt_held(value, node)
            self.rt_retired[id(value)] = (value, user, getattr(node, "lineno", 0))
            out = self._rt_emit(user, "list_new", {}, origin=id(value))
            for item in value:
                out = self._rt_emit(user, "list_push", {"lst": out.var, "x": atomize(item)})
            self.escaped.add(id(value))
            for k, v in list(self.env.items()):
                if v is value:
                    self.env[k] = out

    @property
    def rt_tuples(self) -> set:
        """The origins (:attr:`rt_origin`) of the run-time lists made from tuples: a tuple
        a loop that cannot be unrolled grows (``outs += (h,)``).  Tuples are values, so a
        push to one that another name or container also holds copies it first."""
        found = self.__dict__.get("_rt_tuples")
        if found is None:
            found = self.__dict__["_rt_tuples"] = set()
        return found

    def rt_prescan_tuples(self, body_nodes) -> list:
        """The names holding a tuple that ``body_nodes`` (a loop that cannot be unrolled)
        grow: ``outs += (h,)`` or ``outs = outs + (h,)``."""
        out: list = []
        for node in body_nodes:
            for n in walk(node):
                name = None
                if isinstance(n, gast.AugAssign) and isinstance(n.op, gast.Add) \
                        and isinstance(n.target, gast.Name):
                    name = n.target.id
                elif isinstance(n, gast.Assign) and len(n.targets) == 1 \
                        and isinstance(n.targets[0], gast.Name) \
                        and isinstance(n.value, gast.BinOp) and isinstance(n.value.op, gast.Add) \
                        and isinstance(n.value.left, gast.Name) \
                        and n.value.left.id == n.targets[0].id:
                    name = n.targets[0].id
                if name is not None and name not in out \
                        and type(self.env.get(name)) is tuple:
                    out.append(name)
        return out

    def make_runtime_tuples(self, names, node=None) -> None:
        """Before a loop: each of ``names`` that holds a tuple holds a run-time list of its
        items instead (one the loop can grow; read as a tuple where it is returned)."""
        for user in names:
            value = self.env.get(user)
            if type(value) is not tuple:
                continue
            for item in value:
                if not (isinstance(item, Sym) or not has_sym(item)) or self.is_rt_list(item) \
                        or isinstance(item, (list, dict, tuple)):
                    raise self.rt_refuse(node, "growing a tuple that holds a list, tuple or "
                                         "dict (%s)" % user)
            out = self._rt_emit(user, "list_new", {})
            self.rt_tuples.add(self.rt_origin[out.var.name])
            for item in value:
                out = self._rt_emit(user, "list_push", {"lst": out.var, "x": atomize(item)})
            self.env[user] = out

    def rt_own_tuple(self, name: str, value):
        """``value`` (the run-time list made from a tuple that ``name`` holds) about to grow:
        a copy first if anything else holds it, any version of it (a tuple is a value: the
        other holders keep the items they had)."""
        origin = self.rt_origin.get(value.var.name)
        if origin not in self.rt_tuples:
            return value
        def same(v):
            return isinstance(v, Sym) and self.rt_origin.get(v.var.name) == origin
        shared = any((k != name and same(v)) or (isinstance(v, (tuple, list, dict))
                                                  and self.rt_in([v]) is not None
                                                  and same(self.rt_in([v])))
                     for k, v in self.env.items())
        if not shared:
            return value
        copied = self._rt_emit(name, "list_copy", {"lst": value.var})
        self.rt_tuples.add(self.rt_origin[copied.var.name])
        self.env[name] = copied
        return copied

    def rt_concat(self, base, items, node, front=()):
        """``base + items`` (``base`` a run-time list, ``items`` a tuple or list the code
        wrote; ``front`` items put before it: ``[h, *outs]``): a new run-time list, a copy of
        ``base`` with ``items`` pushed (made from a tuple if ``base`` was)."""
        user = self.rt_name(base)
        out = self._rt_emit(user, "list_copy", {"lst": base.var})
        if self.rt_origin.get(base.var.name) in self.rt_tuples:
            self.rt_tuples.add(self.rt_origin[out.var.name])
        for item, prim in [(i, "list_push") for i in items] + [
                (i, "list_front") for i in reversed(front)]:
            if not (isinstance(item, Sym) or not has_sym(item)) or self.is_rt_list(item) \
                    or isinstance(item, (list, dict, tuple)):
                raise self.rt_refuse(node, "adding a list, tuple or dict (to %s)" % user)
            out = self._rt_emit(user, prim, {"lst": out.var, "x": atomize(item)})
        return out

    def _rt_emit(self, user: str, prim: str, args: dict, origin=None):
        target = self.new_version(user)
        p = REGISTRY[prim]
        full = {k: args.get(k, Const(p.defaults.get(k))) for k in p.params}
        self.emit(Prim([target], p, full, self.loc))
        self.rt_lists.add(target)
        if origin is None:  # a new version of the list it pushes to, else a new list
            origin = self.rt_origin.get(args["lst"].name, target) if prim in (
                "list_push", "list_front") else target
        self.rt_origin[target] = origin
        return sym(target)

    def _rt_value(self, hint: str, prim: str, args: dict, rt_list: bool = False):
        value = self._rt_emit(hint, prim, args)
        if not rt_list:
            self.rt_lists.discard(value.var.name)
        return value

    def rt_appended(self, body_nodes) -> list:
        """The names of run-time lists that ``body_nodes`` append to (a loop carries them:
        each append makes a new version)."""
        out = []
        for node in body_nodes:
            for n in walk(node):
                if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) \
                        and isinstance(n.func.value, gast.Name) \
                        and self.is_rt_list(self.env.get(n.func.value.id)) \
                        and n.func.value.id not in out:
                    out.append(n.func.value.id)
        return out

    def rt_prescan(self, body_nodes) -> set:
        """ids of the lists this function built that ``body_nodes`` (a loop that cannot be
        unrolled) append to by name (``outs.append(h)``, ``outs.extend((a, b))``): made
        run-time lists before it."""
        out = set()
        for node in body_nodes:
            for n in walk(node):
                if isinstance(n, gast.Call) and isinstance(n.func, gast.Attribute) \
                        and n.func.attr in ("append", "extend") \
                        and isinstance(n.func.value, gast.Name) \
                        and isinstance(self.env.get(n.func.value.id), SymList):
                    out.add(id(self.env[n.func.value.id]))
                elif isinstance(n, gast.Call):  # push(v), add(v), list.append(outs, v)
                    out |= self._rt_alias_targets(n)
                elif isinstance(n, gast.AugAssign) and isinstance(n.op, gast.Add) \
                        and isinstance(n.target, gast.Name) \
                        and isinstance(self.env.get(n.target.id), SymList):
                    out.add(id(self.env[n.target.id]))  # outs += [v]
        return out

    def _rt_alias_targets(self, call, depth: int = 0) -> set:
        """ids of the lists this function built that ``call`` appends to through an alias:
        a bound method kept in a name, a nested function (its default arguments, the lists
        its body appends to by name), a partial of these, ``getattr(outs, "append")(v)``,
        ``list.append(outs, v)``."""
        f = call.func
        found = set()
        if isinstance(f, gast.Name):
            found |= self._rt_callee_targets(self.env.get(f.id), depth)
        elif isinstance(f, gast.Call) and isinstance(f.func, gast.Name) \
                and f.func.id == "getattr" and f.args and isinstance(f.args[0], gast.Name) \
                and isinstance(self.env.get(f.args[0].id), SymList):
            found.add(id(self.env[f.args[0].id]))
        elif isinstance(f, gast.Attribute) and f.attr in ("append", "extend") \
                and isinstance(f.value, gast.Name) and f.value.id not in self.env \
                and call.args and isinstance(call.args[0], gast.Name) \
                and isinstance(self.env.get(call.args[0].id), SymList):
            found.add(id(self.env[call.args[0].id]))
        return found

    def _rt_callee_targets(self, value, depth: int) -> set:
        if isinstance(value, (types.BuiltinMethodType, types.MethodWrapperType)):
            owner = getattr(value, "__self__", None)
            return {id(owner)} if isinstance(owner, SymList) \
                and value.__name__ in ("append", "extend") else set()
        if isinstance(value, functools.partial):
            found = self._rt_callee_targets(value.func, depth)
            if isinstance(value.func, Closure):  # the parameters the lists are given to
                params = [a.id for a in value.func.node.args.args]
                found |= {id(v) for p, v in zip(params, value.args)
                          if isinstance(v, SymList) and _appends_to(value.func.node, p)}
            return found
        if isinstance(value, Closure) and depth < 4:
            params = [a.id for a in value.node.args.args]
            found = {id(v) for p, v in zip(params[len(params) - len(value.defaults):],
                                           value.defaults)
                     if isinstance(v, SymList) and _appends_to(value.node, p)}
            for n in gast.walk(value.node):
                if isinstance(n, gast.Call):
                    found |= self._rt_alias_targets(n, depth + 1)
                    if isinstance(n.func, gast.Attribute) and isinstance(n.func.value, gast.Name) \
                            and n.func.attr in ("append", "extend") \
                            and isinstance(self.env.get(n.func.value.id), SymList):
                        found.add(id(self.env[n.func.value.id]))
            return found
        return set()

    def _rt_held(self, value, node) -> list:
        """The names holding ``value`` directly; refused if it is also held inside a tuple,
        list or dict (that copy could not follow the run-time list)."""
        names = []
        seen = set()

        def inside(v):
            if id(v) in seen:
                return False
            seen.add(id(v))
            items = v.values() if type(v) is dict else v if isinstance(v, (tuple, list)) \
                else ()
            return any(i is value or inside(i) for i in items)
        for k, v in self.env.items():
            if v is value:
                names.append(k)
            elif inside(v):
                raise self.rt_refuse(node, "holding %s inside a tuple, list or dict (%s)"
                                     % (names[0] if names else "the list", k))
        if len(names) > 1:
            raise self.rt_refuse(node, "giving the list two names (%s)" % ", ".join(names))
        return names

    # -- using them ----------------------------------------------------------------------
    def rt_method(self, base, attr, args, kwargs, node):
        """``outs.append(x)``, ``outs.extend(seq)`` of a compile-time sequence: a new version
        per item, which every name holding ``outs`` holds then (``pop()``, ``reverse()``)."""
        if attr == "extend" and not kwargs and len(args) == 1 \
                and isinstance(args[0], (tuple, list)) and not self.is_rt_list(args[0]):
            items = list(args[0])
        elif attr == "append" and not kwargs and len(args) == 1:
            items = [args[0]]
        elif attr in ("reverse", "pop") and not kwargs and not args:  # as a new version
            return self.rt_reverse_pop(base, attr, node)
        else:
            raise self.rt_refuse(node, "%s.%s(...)" % (self.rt_name(base), attr))
        self.rt_check_unheld(base, node, "appending to")
        user = next((k for k, v in self.env.items()
                     if isinstance(v, Sym) and v.var.name == base.var.name), "outs")
        out = base
        for item in items:
            if not (isinstance(item, Sym) or not has_sym(item)) or self.is_rt_list(item) \
                    or isinstance(item, (list, dict)):
                raise self.rt_refuse(node, "appending a list, tuple or dict (to %s)"
                                     % self.rt_name(base))
            out = self._rt_emit(user, "list_push", {"lst": out.var, "x": atomize(item)})
        self.rt_new_version(base, out)
        return None

    def rt_check_unheld(self, base, node, what: str) -> None:
        """Refuse changing ``base`` while a tuple, list or dict holds it (not new versions)."""
        for k, v in self.env.items():
            if isinstance(v, (tuple, list, dict)) and self._rt_holds(v, base.var.name):
                raise self.rt_refuse(node, "%s %s while a tuple, list or dict (%s) holds it"
                                     % (what, self.rt_name(base), k))

    def rt_new_version(self, base, out) -> None:
        """Every name holding ``base`` holds ``out``, its new version, from now on."""
        for k, v in list(self.env.items()):
            if isinstance(v, Sym) and v.var.name == base.var.name:
                self.env[k] = out

    def rt_len(self, base):
        """``len(base)``, read when the code runs."""
        return self._rt_value("n", "list_len", {"lst": base.var})

    def rt_item(self, base, index, node):
        """``base[index]`` with ``index`` an int (negative counts from the end), or a slice
        (a new run-time list; its bounds constants or ints known at run time)."""
        if isinstance(index, slice):
            n = self._rt_value("n", "list_len", {"lst": base.var})
            hint = self.rt_name(base) if self.rt_name(base) != "the list" else "parts"
            if not has_sym(index):
                return self._rt_value(hint, "list_slice",
                                      {"lst": base.var, "index": Const(index), "n": n.var},
                                      rt_list=True)
            bounds = (index.start, index.stop, index.step)
            if not all(b is None or isinstance(b, Sym) or (isinstance(b, int)
                                                          and not isinstance(b, bool))
                       for b in bounds):
                raise self.rt_refuse(node, "%s[a:b] with bounds that are not ints"
                                     % self.rt_name(base))
            return self._rt_value(hint, "list_slice_between",
                                  {"lst": base.var, "start": atomize(index.start),
                                   "stop": atomize(index.stop), "step": atomize(index.step),
                                   "n": n.var}, rt_list=True)
        if not (isinstance(index, Sym) or isinstance(index, int)) or isinstance(index, bool):
            raise self.rt_refuse(node, "%s[%s]" % (
                self.rt_name(base), "a:b" if isinstance(index, slice) else repr(index)))
        n = self._rt_value("n", "list_len", {"lst": base.var})
        return self._rt_value("item", "list_getitem",
                              {"lst": base.var, "index": atomize(index), "n": n.var})

    def rt_unpack(self, base, n: int, node, starred=None):
        """``a, b, c = base``: ``base`` checked to have ``n`` items when the code runs (a
        ValueError naming the user's line if not), then its items.  ``a, *rest, b = base``
        (``starred`` the starred name's position): at least ``n``, then the items before it,
        the list of those between and the items after."""
        where = "%s:%d" % (self.src.filename, getattr(node, "lineno", self.loc[1]))
        user = self.rt_name(base)
        checked = self._rt_value("parts" if user == "the list" else user, "list_unpack",
                                 {"lst": base.var, "n": Const(n), "where": Const(where),
                                  "starred": Const(starred is not None)}, rt_list=True)
        if starred is not None:
            after = n - starred
            yield from (self.rt_item(checked, i, node) for i in range(starred))
            yield self.rt_item(checked, slice(starred, -after if after else None), node)
            yield from (self.rt_item(checked, i - after, node) for i in range(after))
            return
        for i in range(n):  # each item a fresh temporary: it takes the name it is bound to
            item = self._rt_value("item", "list_getitem",
                                  {"lst": checked.var, "index": Const(i), "n": Const(n)})
            self.fresh_temps.add(item.var.name)
            yield item

    def rt_returned_value(self, value):
        """What ``return value`` gives: a run-time list (or one in a returned tuple) as a
        tuple (what MindSpore's ``ops.split`` returns); else ``value`` as it is."""
        if self.is_rt_list(value):
            return self._rt_value("parts", "list_tuple", {"lst": value.var})
        if type(value) is tuple and self.rt_in(value) is not None:
            return tuple(self.rt_returned_value(v) for v in value)
        return value

    def rt_call(self, callee, composite, args, kwargs, node):
        """A call given a run-time list: its value, or the refusal."""
        lst = self.rt_in(list(args) + list(kwargs.values()))
        if callee is len and len(args) == 1 and not kwargs and args[0] is lst:
            return self._rt_value("n", "list_len", {"lst": lst.var})
        if callee in (tuple, list) and len(args) == 1 and not kwargs and args[0] is lst:
            return self._rt_value(lst.var.name, "list_tuple" if callee is tuple else
                                  "list_copy", {"lst": lst.var}, rt_list=True)
        for table, prim in ((_STACKS, "list_stack"), (_CONCATS, "list_concat")):
            if composite in table and args and args[0] is lst:
                axis = kwargs.pop("axis", args[1] if len(args) > 1 else 0)
                if len(args) > 2 or kwargs or not isinstance(axis, int) \
                        or isinstance(axis, bool):
                    raise self.rt_refuse(node, "stacking or joining %s along an axis that "
                                         "is not a constant int, or with other arguments"
                                         % self.rt_name(lst))
                bound = {"lst": lst.var, "axis": Const(axis)}
                if prim == "list_concat":
                    bound["sizes"] = self._rt_value("sizes", "list_sizes", dict(bound)).var
                return self._rt_value(prim.replace("list_", ""), prim, bound)
        out = self.rt_builtin(callee, lst, args, kwargs, node)  # sum, max, map, np.sum ...
        if out is not None:
            return out
        name = getattr(callee, "__name__", None) or type(callee).__name__
        raise self.rt_refuse(node, "%s(%s)" % (name, self.rt_name(lst)))

    def rt_check_prim(self, prim, bound: dict) -> None:
        """A primitive that is not a list primitive given a run-time list: refused."""
        if prim.name in LIST_PRIMITIVES:
            return
        lst = self.rt_in(list(bound.values()))
        if lst is not None:
            raise self.rt_refuse(None, "using %s as an array (in %s)"
                                 % (self.rt_name(lst), prim.name))

    def rt_check_values(self, values, what: str, node=None) -> None:
        """Refuse ``what`` (``%s`` is the list's name) if ``values`` hold a run-time list."""
        lst = self.rt_in(list(values))
        if lst is not None:
            raise self.rt_refuse(node, what.replace("%s", self.rt_name(lst)))

    @staticmethod
    def _rt_holds(value, var: str, depth: int = 0) -> bool:
        """Whether the tuple, list or dict ``value`` holds IR variable ``var``."""
        items = value.values() if type(value) is dict else value
        for v in items:
            if isinstance(v, Sym) and v.var.name == var:
                return True
            if depth < 8 and isinstance(v, (tuple, list, dict)) \
                    and RuntimeListsMixin._rt_holds(v, var, depth + 1):
                return True
        return False

    # -- aliases: a list reached other than by its name ------------------------------------
    def rt_follow(self, value, node):
        """``value``, or, when it is a list this function built that a loop has since made
        a run-time list (retired), the version of that run-time list the function holds
        now: ``push = outs.append``, a default argument ``store=outs``, a nested function's
        free name all reach the list the loop appends to."""
        entry = self.rt_retired.get(id(value)) if isinstance(value, SymList) else None
        if entry is None or entry[0] is not value:
            return value
        lst, user, line = entry
        cur = self.env.get(user)
        if not (self.is_rt_list(cur) and self.rt_origin.get(cur.var.name) == id(lst)):
            cur = next((v for v in self.env.values() if self.is_rt_list(v)
                        and self.rt_origin.get(v.var.name) == id(lst)), None)
        if cur is None:
            raise self.error(
                node, "this list became a list built at run time at line %d (a loop there "
                "appends to it, and its trip count is not a constant), and no name holds it "
                "here (%r was given another value)" % (line, user),
                "append to the list by its name (%s.append(v)), or loop a constant number of "
                "times so that the loop is unrolled" % user,
                cls=UnsupportedSyntaxError)
        return cur

    def rt_attribute(self, base, attr, node):
        """``outs.append`` of a run-time list taken as a value: the bound method of the list
        it was made from, which :meth:`own_method` follows to the current version."""
        entry = self.rt_retired.get(self.rt_origin.get(base.var.name))
        if entry is None or not hasattr(list, attr):
            raise self.rt_refuse(node, "%s.%s taken as a value" % (self.rt_name(base), attr))
        return getattr(entry[0], attr)

    def own_list(self, value) -> bool:
        """A list or dict this function built (a SymList, a run-time list, a dict that was
        not read from outside)."""
        return isinstance(value, SymList) or self.is_rt_list(value) \
            or (type(value) is dict and id(value) not in self.sources)

    def own_method(self, callee, args):
        """``(owner, method name, args)`` when ``callee(*args)`` is a method of a list or
        dict this function built called through another name: a bound method kept in a
        name (``push = outs.append``, ``getattr(outs, "append")``) or ``list.append(outs,
        v)``; else None."""
        if isinstance(callee, (types.BuiltinMethodType, types.MethodWrapperType)):
            owner = getattr(callee, "__self__", None)
            if owner is not None and self.own_list(owner):
                return owner, callee.__name__, list(args)
        elif isinstance(callee, (types.MethodDescriptorType, types.WrapperDescriptorType)) \
                and getattr(callee, "__objclass__", None) in (list, dict) and args \
                and self.own_list(args[0]) \
                and (isinstance(args[0], dict) == (callee.__objclass__ is dict)):
            return args[0], callee.__name__, list(args[1:])
        return None

    def own_partial(self, callee, args) -> bool:
        """``functools.partial(outs.append)`` (or of a nested function): made now, called
        as what it wraps."""
        return callee is functools.partial and bool(args) and (
            isinstance(args[0], Closure) or self.own_method(args[0], ()) is not None)

    def rt_reached(self, body_nodes) -> list:
        """The names holding a run-time list that ``body_nodes`` (a loop) may append to
        other than by name: when the body calls a nested function, a bound method kept in
        a name, a partial, ``getattr(...)(...)`` or ``list.append(outs, v)``, every
        run-time list is carried by the loop."""
        held = [k for k, v in self.env.items() if self.is_rt_list(v)]
        if not held:
            return []
        written = set(names_written(list(body_nodes)))  # (push = outs.append in the body)
        nodes = [n for node in body_nodes for n in gast.walk(node)]
        called = {id(n.func) for n in nodes if isinstance(n, gast.Call)}
        return held if any(self._reaches(n, called, written) for n in nodes) else []

    def _reaches(self, n, called, written) -> bool:
        """Whether node ``n`` of a loop body may reach a list other than by its name."""
        if isinstance(n, gast.Attribute):  # a method taken as a value
            return n.attr in _CHANGES and isinstance(n.ctx, gast.Load) and id(n) not in called
        if not isinstance(n, gast.Call):
            return False
        f = n.func
        if isinstance(f, gast.Name):
            return f.id in written or isinstance(self.env.get(f.id), (
                Closure, functools.partial, types.BuiltinMethodType, types.MethodWrapperType))
        if isinstance(f, gast.Attribute):
            return f.attr in _CHANGES and not (isinstance(f.value, gast.Name)
                                               and f.value.id in self.env)
        return True

    def rt_returned(self, inner: dict) -> None:
        """After a nested function's body bound inline (its environment ``inner``): a
        run-time list it appended to (a new version) is that version here too."""
        for k, v in list(self.env.items()):
            if not self.is_rt_list(v):
                continue
            origin = self.rt_origin.get(v.var.name)
            w = inner.get(k)
            if not (self.is_rt_list(w) and self.rt_origin.get(w.var.name) == origin):
                w = next((u for u in inner.values() if self.is_rt_list(u)
                          and self.rt_origin.get(u.var.name) == origin), None)
            if w is not None:
                self.env[k] = w

    def rt_check_retired(self, lst, node) -> None:
        """A retired list (see :attr:`rt_retired`) changed at compile time, reached by a way
        :meth:`rt_follow` does not follow: refused (the change would be lost)."""
        entry = self.rt_retired.get(id(lst))
        if entry is not None and entry[0] is lst:
            raise self.error(
                node, "this changes the list %r, which became a list built at run time at "
                "line %d (a loop there appends to it, and its trip count is not a constant), "
                "through a tuple, list or dict that still holds the list as it was"
                % (entry[1], entry[2]),
                "append to the list by its name (%s.append(v)), or loop a constant number of "
                "times so that the loop is unrolled" % entry[1], cls=UnsupportedSyntaxError)
