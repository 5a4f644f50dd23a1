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
``ops.concat`` / ``ops.cat`` / ``np.concatenate``, ``tuple(outs)`` / ``list(outs)``, and loop
over it (``for o in outs``).  Anything else (a primitive given the list as an array, a call
that runs as it is, a compiled callee, a slice, returning it) is refused where it is written.
(``outs.extend((a, b))`` of a sequence the code wrote is two appends.)

Reverse mode: the adjoint of a run-time list is a ``GradList`` (see ``rules_lists``); forward
mode and code differentiated again (``recompute``) are refused by :func:`refuse_derivative`.
"""
from __future__ import annotations

import gast

from ..errors import UnsupportedSyntaxError
from ..op_table import _np_concatenate, _np_stack, concat, stack
from ..prims import Sym, has_sym
from ..rules import REGISTRY
from ..rules_lists import LIST_PRIMITIVES
from .ir import Const, Prim
from .normalize_values import SymList, atomize, sym
from .trees import walk

__all__ = ["ListsGrow", "RuntimeListsMixin", "refuse_derivative"]

_HINT = ("read the list with ops.stack(outs, axis), ops.concat(outs, axis), outs[i], "
         "len(outs) or a for loop over it; or loop a constant number of times so that the "
         "loop is unrolled")
_STACKS = {stack: "axis", _np_stack: "axis"}
_CONCATS = {concat: "axis", _np_concatenate: "axis"}


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
        "%s of a list built at run time (appended to in a loop whose trip count is not a "
        "constant) is not supported" % what, loc[0], loc[1], loc[2],
        hint="use reverse mode (ops.grad, ops.value_and_grad) once, or loop a constant "
        "number of times (for t in range(8)) so that the loop is unrolled")


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

    def rt_refuse(self, node, what: str):
        return self.error(node, "%s is not supported on a list built at run time (one "
                          "appended to in a loop whose trip count is not a constant)" % what,
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
            if not (isinstance(value, SymList) and id(value) in self.rt_pending):
                continue
            for item in value:
                if not (isinstance(item, Sym) or not has_sym(item)) or self.is_rt_list(item) \
                        or isinstance(item, (list, dict)):
                    raise self.rt_refuse(node, "holding a list, tuple or dict (in %s)"
                                         % user)
            self._rt_held(value, node)
            out = self._rt_emit(user, "list_new", {})
            for item in value:
                out = self._rt_emit(user, "list_push", {"lst": out.var, "x": atomize(item)})
            self.escaped.add(id(value))
            for k, v in list(self.env.items()):
                if v is value:
                    self.env[k] = out

    def _rt_emit(self, user: str, prim: str, args: dict):
        target = self.new_version(user)
        p = REGISTRY[prim]
        full = {k: args.get(k, Const(p.defaults.get(k))) for k in p.params}
        self.emit(Prim([target], p, full, self.loc))
        self.rt_lists.add(target)
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
        return out

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
        """``outs.append(x)``, or ``outs.extend(seq)`` of a compile-time sequence (a tuple or
        list the code wrote): a new version per item, which every name holding ``outs``
        holds then."""
        if attr == "extend" and not kwargs and len(args) == 1 \
                and isinstance(args[0], (tuple, list)) and not self.is_rt_list(args[0]):
            items = list(args[0])
        elif attr == "append" and not kwargs and len(args) == 1:
            items = [args[0]]
        else:
            raise self.rt_refuse(node, "%s.%s(...)" % (self.rt_name(base), attr))
        user = next((k for k, v in self.env.items()
                     if isinstance(v, Sym) and v.var.name == base.var.name), "outs")
        out = base
        for item in items:
            if not (isinstance(item, Sym) or not has_sym(item)) or self.is_rt_list(item) \
                    or isinstance(item, (list, dict)):
                raise self.rt_refuse(node, "appending a list, tuple or dict (to %s)"
                                     % self.rt_name(base))
            out = self._rt_emit(user, "list_push", {"lst": out.var, "x": atomize(item)})
        for k, v in list(self.env.items()):
            if isinstance(v, Sym) and v.var.name == base.var.name:
                self.env[k] = out
        return None

    def rt_len(self, base):
        """``len(base)``, read when the code runs."""
        return self._rt_value("n", "list_len", {"lst": base.var})

    def rt_item(self, base, index, node):
        """``base[index]`` with ``index`` an int (negative counts from the end)."""
        if not (isinstance(index, Sym) or isinstance(index, int)) or isinstance(index, bool):
            raise self.rt_refuse(node, "%s[%s]" % (
                self.rt_name(base), "a:b" if isinstance(index, slice) else repr(index)))
        n = self._rt_value("n", "list_len", {"lst": base.var})
        return self._rt_value("item", "list_getitem",
                              {"lst": base.var, "index": atomize(index), "n": n.var})

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
