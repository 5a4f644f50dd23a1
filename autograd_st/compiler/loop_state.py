"""What binding a loop changes at compile time, and the items of lists and dicts a loop
that stays a loop carries.

Takes: the normalizer's state before a loop (or an ``if``) is bound; the lists and dicts the
function built that such a loop sets items of (``acc[0] = acc[0] + v``, ``d["a"] = ...``).
Gives: :class:`BindingState` (a failed attempt undone: environment, block, lists and dicts
as they were); :class:`CarriedItemsMixin`, which carries each item of such a list or dict
through the loop as a value of its own (a header per runtime leaf, as a carried name has),
so that the list keeps its length and the dict its keys while each item is a new version
per iteration; the loop is refused at the user's line when the body changes the length,
the keys or an item's structure.

A list of fixed length is a tuple of values to an IR loop: its items are carried, not the
list, and every name, tuple or dict that holds the list sees the headers (the list itself
changes, in place, as Python's does).  :class:`~.normalize_loops.LoopsMixin` finds such a
list or dict when the body's first binding ends (:exc:`ItemsSet`) and binds the body again
with its items carried.
"""
from __future__ import annotations

import functools
import types

import numpy as np

from ..prims import Sym, has_sym
from .normalize_values import Closure, SymList

__all__ = ["ITEMS_HINT", "BindingState", "CarriedItemsMixin", "ItemsSet", "dicts_in", "describe",
           "lists_in", "restore_dicts", "same", "slot"]

#: the hint of a loop that stays a loop and changes a list's length or a dict's keys
ITEMS_HINT = "keep the list's length or the dict's keys, and each item a Tensor or a number (set " \
    "items, do not add or remove them), or loop a constant number of times (for ... in " \
    "range(3)) so that the loop is unrolled"

_SLOT_TYPES = (int, float, np.ndarray, np.generic)  # constants a runtime header can start from


def slot(value) -> bool:
    """Whether ``value`` fits one runtime variable: a runtime value or a number."""
    return isinstance(value, Sym) or (isinstance(value, _SLOT_TYPES)
                                      and not isinstance(value, (tuple, list)))


def same(a, b) -> bool:
    """Whether two bound values are the same value (identical runtime values, equal
    constants of one type, tuples of such)."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if has_sym(a) or has_sym(b) or isinstance(a, (list, dict, np.ndarray)):
        return False
    try:
        return bool(a == b)
    except Exception:  # noqa: BLE001 - an object with no plain equality: not the same
        return False


def describe(value) -> str:
    """How an error names a bound value's structure."""
    if isinstance(value, Sym):
        return "a runtime value"
    if isinstance(value, tuple):
        return "a tuple of %d item%s" % (len(value), "" if len(value) == 1 else "s")
    if isinstance(value, list):
        return "a list of %d item%s" % (len(value), "" if len(value) == 1 else "s")
    if value is None:
        return "None"
    return "the constant %r" % (value,) if isinstance(value, (int, float, str, bool)) \
        else "a %s" % type(value).__name__


def _lists_in(value, out, dicts) -> None:
    """The SymLists reachable from ``value`` (which a loop body may change in place) into
    ``out``, the dicts into ``dicts``."""
    if isinstance(value, SymList):
        if id(value) not in out:
            out[id(value)] = (value, list(value))
            for v in value:
                _lists_in(v, out, dicts)
    elif isinstance(value, tuple):
        for v in value:
            _lists_in(v, out, dicts)
    elif isinstance(value, dict):
        if type(value) is dict:
            if id(value) in dicts:
                return
            dicts[id(value)] = (value, dict(value))
        for v in value.values():
            _lists_in(v, out, dicts)
    elif isinstance(value, Closure):  # (a default argument holding a list)
        for v in value.defaults:
            _lists_in(v, out, dicts)
    elif isinstance(value, functools.partial):
        for v in (value.func, *value.args, *value.keywords.values()):
            _lists_in(v, out, dicts)
    elif isinstance(value, (types.BuiltinMethodType, types.MethodWrapperType)):
        _lists_in(value.__self__, out, dicts)  # push = outs.append


def lists_in(values) -> list:
    """``(list, its items now)`` for each SymList reachable from ``values`` (the lists a
    loop body or a branch may change in place)."""
    out: dict = {}
    for v in values:
        _lists_in(v, out, {})
    return list(out.values())


def dicts_in(values) -> list:
    """``(dict, a copy of it now)`` for each dict reachable from ``values`` (a dict the
    function built may change in place: ``d[k] = v``)."""
    dicts: dict = {}
    for v in values:
        _lists_in(v, {}, dicts)
    return list(dicts.values())


def restore_dicts(saved) -> None:
    """Each dict of ``dicts_in``'s ``saved`` holding what it held then."""
    for d, items in saved:
        if list(d) != list(items) or any(d[k] is not v for k, v in items.items()):
            d.clear()
            d.update(items)



class BindingState:
    """What binding a loop body changes, saved so that a failed attempt can be undone."""

    __slots__ = ("env", "block", "n_block", "n_inputs", "fresh_temps", "ir_vars", "taken",
                 "next", "lists", "dicts", "loc", "retired", "stale", "view_roots")

    def __init__(self, nz) -> None:
        self.env = dict(nz.env)
        self.block = nz.block
        self.n_block = len(nz.block)
        self.n_inputs = len(nz.inputs)
        self.fresh_temps = set(nz.fresh_temps)
        self.ir_vars = set(nz.ir_vars)
        self.taken = set(nz.names.taken)
        self.next = dict(nz.names.next)
        self.lists = lists_in(nz.env.values())
        self.dicts = dicts_in(nz.env.values())
        self.loc = nz.loc
        self.retired = dict(nz.rt_retired)  # (a list made a run-time list in the attempt
        # is a compile-time list again after it)
        self.stale = dict(nz.stale)
        self.view_roots = dict(nz.view_roots)

    def restore(self, nz) -> None:
        nz.env = self.env
        nz.block = self.block
        del self.block[self.n_block:]
        for inp in nz.inputs[self.n_inputs:]:
            nz.input_by_id.pop(id(inp.obj), None)
        del nz.inputs[self.n_inputs:]
        nz.fresh_temps = self.fresh_temps
        nz.ir_vars.clear()
        nz.ir_vars.update(self.ir_vars)
        nz.names.taken = self.taken
        nz.names.next = self.next
        nz.rt_retired.clear()
        nz.rt_retired.update(self.retired)
        nz.stale = self.stale
        nz.view_roots = self.view_roots
        for lst, items in self.lists:
            lst[:] = items
        restore_dicts(self.dicts)
        nz.loc = self.loc


class ItemsSet(Exception):
    """A loop that stays a loop sets items of the lists and dicts ``ids`` (by ``id``) and
    keeps their lengths and keys: bind it again with their items carried."""

    def __init__(self, key, ids) -> None:
        super().__init__("items set in a loop")
        self.key = key  # the id of the loop's body
        self.ids = frozenset(ids)


def carryable(value) -> bool:
    """An item a loop can carry: a runtime value, a number, or a tuple holding some."""
    return slot(value) or (isinstance(value, tuple) and not isinstance(value, SymList)
                           and any(slot(v) or isinstance(v, tuple) for v in value))


def _key_hint(key) -> str:
    return key if isinstance(key, str) and key.isidentifier() else "item"


class CarriedItemsMixin:
    """The items of lists and dicts a loop carries (see the module docstring); a part of
    :class:`~.normalize_loops.LoopsMixin`, which gives ``_headers``, ``_fits``,
    ``_copy_leaves`` and ``needs_constant``."""

    @property
    def items_pending(self) -> dict:
        """id of a loop's body -> the ids of the lists and dicts whose items it carries."""
        found = self.__dict__.get("_items_pending")
        if found is None:
            found = self.__dict__["_items_pending"] = {}
        return found

    def held_as(self, container) -> str:
        """A name the environment holds ``container`` by (for headers and messages)."""
        return next((n for n, v in self.env.items() if v is container), "list"
                    if isinstance(container, list) else "dict")

    def carry_items(self, body, carried) -> list:
        """Before a loop: ``(container, headers)`` for each list or dict whose items the loop
        ``body`` carries, each item replaced, in place, by its headers (copied into now)."""
        ids = self.items_pending.get(id(body))
        out: list = []
        if not ids:
            return out
        for c, _ in lists_in(self.env.values()) + dicts_in(self.env.values()):
            if id(c) not in ids:
                continue
            name = self.held_as(c)
            if isinstance(c, list):
                headers = [self._item_headers("%s_%d" % (name, i), v, carried)
                           for i, v in enumerate(c)]
                c[:] = headers
            else:
                headers = {k: self._item_headers("%s_%s" % (name, _key_hint(k)), v, carried)
                           for k, v in c.items()}
                c.update(headers)
            out.append((c, headers))
        return out

    def _item_headers(self, name, value, carried):
        return self._headers(name, value, carried) if carryable(value) else value

    def set_items_in(self, watched, carrying) -> set:
        """At the end of a loop body that stays a loop: the ids of the lists and dicts of
        ``watched`` (``(container, items before)``) not carried yet whose items changed
        while their length and keys did not, every changed item one a loop can carry."""
        found = set()
        for c, items in watched:
            if id(c) in carrying or len(c) != len(items):
                continue
            pairs = list(zip(c, items)) if isinstance(c, list) else \
                [(c[k], items[k]) for k in items if k in c]
            if len(pairs) == len(items) and any(a is not b for a, b in pairs) and all(
                    a is b or (carryable(a) and carryable(b)) for a, b in pairs):
                found.add(id(c))
        return found

    def check_items(self, node, items) -> None:
        """At the end of a loop body: each carried list still has its length, each dict its
        keys, each item the structure of its headers; otherwise the user's error."""
        for c, headers in items:
            kind = "list" if isinstance(c, list) else "dict"
            what = "the %s %r" % (kind, self.held_as(c))
            if kind == "list" and len(c) != len(headers):
                change = "from %d to %d items" % (len(headers), len(c))
            elif kind == "dict" and list(c) != list(headers):
                added = [k for k in c if k not in headers]
                removed = [k for k in headers if k not in c]
                change = "adds the key %r" % added[0] if added else \
                    "removes the key %r" % removed[0] if removed else "reorders its keys"
            else:
                keys = range(len(c)) if kind == "list" else list(c)
                bad = next((k for k in keys if not self._fits(headers[k], c[k])), None)
                if bad is None:
                    continue
                change = "sets item %r from %s to %s" % (bad, describe(headers[bad]),
                                                         describe(c[bad]))
            self.needs_constant(
                node, "this loop changes %s (%s), so it cannot be one loop over a fixed set "
                "of variables" % (what, change), ITEMS_HINT)

    def close_items(self, items) -> None:
        """At the end of a loop body: each carried item's leaves copied into its headers."""
        for c, headers in items:
            keys = range(len(c)) if isinstance(c, list) else list(c)
            for k in keys:
                self._copy_leaves(headers[k], c[k])

    @staticmethod
    def items_after_loop(items) -> None:
        """After a loop: each carried list or dict holds its headers."""
        for c, headers in items:
            if isinstance(c, list):
                c[:] = headers
            else:
                c.update(headers)
