"""Containers, local functions and f-strings, bound at compile time.

Takes: user expressions and calls that build, read or change a list, tuple or dict, a
``lambda`` or nested ``def``, an f-string; ``*xs`` in a tuple or list display.
Gives: bound values (see :mod:`.normalize_values`):

- a list, tuple or dict read from outside the function (a global, a closure variable, an
  attribute, a call's result) that holds Tensors is the same container with each Tensor an
  extra input, found again at the container's path and index (``('free', 'decay', 0)``), so
  its gradient is computed whether the code indexes it, iterates over it or passes it whole
  to ``ops.stack`` (:meth:`container_inputs`, :meth:`element`);
- a list the function builds is a :class:`~.normalize_values.SymList`: ``append``,
  ``extend``, ``insert``, ``pop``, ... change it now; a list read from outside is never
  changed (:meth:`container_method`);
- ``len``, ``list``, ``tuple`` and ``sum`` of a compile-time sequence are evaluated now
  (``sum`` of runtime values is a chain of additions, as Python's is);
- comprehensions are :mod:`.normalize_comprehensions`'s;
- a compile-time sequence indexed by a runtime value: a tuple of plain numbers is indexed at
  run time; anything else (Cells, Tensors, runtime values) needs the index as a constant, so
  the enclosing loop is unrolled (:meth:`~.normalize_loops.LoopsMixin.needs_constant`);
- a ``lambda`` or nested ``def`` is a :class:`~.normalize_values.Closure`, whose body is
  bound inline where it is called;
- an f-string is a constant string, or a string formatted at run time with no gradient.

:class:`ContainersMixin` is one part of :class:`~autograd_st.compiler.normalize.Normalizer`
(through :class:`~.normalize_exprs.ExpressionsMixin`) and uses its state and helpers.
"""
from __future__ import annotations

import types

import gast
import numpy as np

from .. import rules
from ..cell import Cell
from ..errors import (
    CallArgumentError,
    RecursionNotSupportedError,
    UnsupportedSyntaxError,
)
from ..prims import P, Sym, has_sym
from ..tensor import Tensor
from . import markers
from .codegen import expr_of, names_written
from .loop_state import ITEMS_HINT
from .normalize_values import (
    CHECK_BOUND,
    CHECK_UNPACK,
    MISSING,
    NOT_HANDLED,
    Closure,
    Range,
    SymList,
    atomize,
    bind_arguments,
    dotted,
    holds_partial_of_runtime_values,
    name_hint,
    trip_count,
    tuple_like,
)
from .normalize_values import (
    sequence as _sequence,
)
from .trees import walk

__all__ = ["ContainersMixin", "freeze"]


_LIST_METHODS = frozenset(("append", "extend", "insert", "pop", "remove", "reverse", "clear",
                           "copy", "index", "count", "sort"))
_MUTATING = frozenset(("append", "extend", "insert", "pop", "remove", "reverse", "clear",
                       "sort", "update", "setdefault", "popitem", "add", "discard"))
# the methods that put their arguments into the list, dict or set (and return None)
STORING = frozenset(("append", "extend", "insert", "add"))
# the methods changing a dict this function built that are done now, on it
_DICT_CHANGES = frozenset(("__setitem__", "__delitem__", "update", "setdefault", "pop",
                           "popitem", "clear"))
_NUMBERS = (int, float, bool)
_INTROSPECTION = (isinstance, type, hasattr, getattr, id, callable)


def _assigned(stmts) -> list:
    """The names ``stmts`` assign in their own scope (not in nested functions or
    comprehensions), nested defs' names included: targets are found on statements only
    (the walrus operator is refused)."""
    out = []
    for s in stmts:
        if isinstance(s, gast.FunctionDef):
            out.append(s.name)
            continue
        targets = s.targets if isinstance(s, gast.Assign) else \
            [s.target] if isinstance(s, (gast.AugAssign, gast.AnnAssign, gast.For)) else []
        for t in targets:
            if t.__class__ is gast.Name:  # (the commonest target: no walk)
                if isinstance(t.ctx, gast.Store):
                    out.append(t.id)
                continue
            out.extend(n.id for n in walk(t)
                       if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store))
        if isinstance(s, (gast.If, gast.For, gast.While)):
            out.extend(_assigned(s.body) + _assigned(s.orelse))
    return out


def _holds_tensor(value, depth=0) -> bool:
    if isinstance(value, (Tensor, np.ndarray)):
        return True
    if depth > 8:
        return False
    if isinstance(value, (tuple, list)):
        return any(_holds_tensor(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return any(_holds_tensor(v, depth + 1) for v in value.values())
    return False


def _gradient_free(callee):
    """The ZERO_GRAD name for a callable whose result never has a gradient and that this
    part writes into generated code (its checks, ``'...'.format``), or None."""
    if callee is CHECK_BOUND:
        return "isinstance"
    if callee is CHECK_UNPACK:
        return "len"
    if getattr(callee, "__name__", None) == "format" \
            and type(getattr(callee, "__self__", None)) is str:
        return "str"
    return None


def freeze(value):
    """``value`` with every list in it a tuple (what crosses into another compiled
    function, or out of one: its structure is a tuple)."""
    if isinstance(value, (list, tuple)) and has_sym(value):
        return tuple_like(value, [freeze(v) for v in value]) if isinstance(value, tuple) \
            else tuple(freeze(v) for v in value)
    return value


def returned(value):
    """``value`` as a function returns it: a list the function built is a plain list (the
    caller gets a list, as from the direct call), tuples and dicts as they are."""
    if isinstance(value, list) and has_sym(value):
        return [returned(v) for v in value]
    if isinstance(value, tuple) and has_sym(value):
        return tuple_like(value, [returned(v) for v in value])
    if type(value) is dict and has_sym(list(value.values())):
        return {k: returned(v) for k, v in value.items()}
    return value


# what a call run at run time cannot change (or whose change is seen otherwise)
_NOT_CHANGED = (int, float, complex, str, bytes, bool, type(None), Sym, tuple,
                types.ModuleType, type, Cell, types.FunctionType, types.MethodType,
                types.BuiltinFunctionType)


class ContainersMixin:
    """Binds containers, local functions and f-strings (module docstring)."""

    _inlining: tuple = ()  # the Closures being bound inline, innermost last

    # -- what run-time code may change ---------------------------------------------------
    def changed_at_run_time(self, objects) -> None:
        """A call that runs at run time was given ``objects`` (and may change them): later
        reads of them are run-time reads."""
        for obj in objects:
            # (a Cell such a call changes moves the structure epoch: the next call is
            # checked; this one reads the Cell as it was when the call began)
            if isinstance(obj, _NOT_CHANGED):
                continue
            if id(obj) in self.sources and id(obj) not in self.dirty:
                self.dirty.add(id(obj))
                if self._read_from(self.sources[id(obj)]):
                    self.read_then_changed.add(id(obj))

    def _read_from(self, source) -> bool:
        """Whether a guard reads something at or under ``source`` beyond its identity."""
        root, steps, _ = source
        key = root if root[0] != "const" else ("const", id(root[1]))
        n = len(steps)
        for g in self.guards:
            place_root, place_steps = g.place()
            if place_root == key and place_steps[:n] == steps \
                    and (len(place_steps) > n or g.check not in ("id", "struct")):
                return True
        return False

    def built_here(self, value) -> bool:
        """A list, dict or set this compile built (not read from outside), or an array it
        computed (``np.zeros(4)``, folded in: an input found on no path)."""
        if isinstance(value, Sym):
            inp = next((i for i in self.inputs if i.name == value.var.name), None)
            return inp is not None and inp.path is None and type(inp.obj) is np.ndarray
        return isinstance(value, (list, dict, set)) and id(value) not in self.sources

    def materialize(self, obj, hint: str):
        """A list, dict or set this compile built, or an array it computed
        (:meth:`built_here`), made at run time instead (a new one on every call, as Python
        makes it), because run-time code is about to be given it and may change it: every
        name bound to it now holds the run-time one."""
        if isinstance(obj, Sym):  # (an array folded in: a copy of it)
            expr = gast.Call(func=gast.Name(id=self.const_name(np.copy, "np_copy"),
                                            ctx=gast.Load(), annotation=None,
                                            type_comment=None),
                             args=[self.to_node(obj)], keywords=[])
        else:
            expr = expr_of(atomize(obj), self.const_name)
        value = self.opaque(expr, [obj], hint)
        for k, v in list(self.env.items()):
            if v is obj or (isinstance(obj, Sym) and isinstance(v, Sym)
                            and v.var.name == obj.var.name):
                self.env[k] = value
        return value

    # -- containers from outside ---------------------------------------------------------
    def container_inputs(self, obj, hint):
        """``obj`` (a list, tuple or dict found at compile time) with every Tensor in it an
        input, remembered at the container's path plus its index or key; ``obj`` itself when
        it holds none."""
        if not isinstance(obj, (tuple, list, dict)) or not _holds_tensor(obj):
            return obj
        out = self._with_inputs(obj, self.paths.get(id(obj)), hint)
        self._originals()[id(out)] = (out, obj)
        return out

    def _originals(self) -> dict:
        """id(converted container) -> (it, the container it was made from)."""
        found = self.__dict__.get("_originals_by_id")
        if found is None:
            found = self.__dict__["_originals_by_id"] = {}
        return found

    def _raw(self, value):
        """``value`` with each container made by :meth:`container_inputs` the original
        again (what a compile-time API or an introspection builtin is given)."""
        entry = self._originals().get(id(value))
        if entry is not None and entry[0] is value:
            return entry[1]
        if isinstance(value, (tuple, list)) and not isinstance(value, SymList):
            items = [self._raw(v) for v in value]
            if any(a is not b for a, b in zip(items, value)):
                return tuple(items) if isinstance(value, tuple) else list(items)
        return value

    def _with_inputs(self, value, path, hint):
        if isinstance(value, (Tensor, np.ndarray)):
            if path is not None:
                self._remember(value, path)
            return self.input_for(value, hint)
        if not _holds_tensor(value):
            if path is not None:
                self._remember(value, path)
            return value
        if isinstance(value, dict):
            return {k: self._with_inputs(v, path + (k,) if path is not None and isinstance(
                k, (int, str)) else None, "%s_%s" % (hint, k)) for k, v in value.items()}
        items = [self._with_inputs(v, path + (i,) if path is not None else None,
                                   "%s_%d" % (hint, i)) for i, v in enumerate(value)]
        if isinstance(value, list):
            return list(items)  # not a SymList: the function did not build it
        if hasattr(value, "_fields"):  # a namedtuple
            return type(value)(*items)
        return tuple(items)

    def element(self, container, index, item, hint):
        """Item ``index`` of a compile-time ``container`` (a tuple, a list, a CellList), as
        a bound value: remembered at the container's path plus ``index``."""
        if isinstance(item, Sym):
            return item
        if isinstance(container, (tuple, list, Cell)):
            base = self.paths.get(id(container))
            if base is not None:
                self._remember(item, base + (index,))
        return self.static(item, hint)

    # -- lists -----------------------------------------------------------------------------
    def e_List(self, node):
        joined = self.rt_display(node)
        return joined if joined is not None else SymList(self.display_items(node))

    def rt_display(self, node):
        """``[*outs, e, ...]``, ``[h, *outs]``, ``(h, *outs, e)``: a run-time list unpacked
        once among items: a new run-time list (a copy with the items after it pushed and
        those before it put in front, a tuple for a tuple display); else None
        (:meth:`display_items`' way)."""
        elts = node.elts
        starred = [i for i, e in enumerate(elts) if isinstance(e, gast.Starred)]
        if len(starred) != 1 or not isinstance(elts[starred[0]].value,
                                                (gast.Name, gast.Attribute)):
            return None
        k = starred[0]
        if not self.is_rt_list(self.expr(elts[k].value)):
            return None  # (read again by display_items: a name or attribute, no effect)
        before = [self.expr(e) for e in elts[:k]]  # (in Python's order: the items before,
        base = self.expr(elts[k].value)  # the list as it is then, the items after)
        out = self.rt_concat(base, [self.expr(e) for e in elts[k + 1:]], node, before)
        origin = self.rt_origin[out.var.name]
        if isinstance(node, gast.Tuple):
            self.rt_tuples.add(origin)
        else:
            self.rt_tuples.discard(origin)
        return out

    def display_items(self, node) -> list:
        """The items of a tuple or list display, ``*xs`` a compile-time sequence's items."""
        out: list = []
        for e in node.elts:
            if not isinstance(e, gast.Starred):
                out.append(self.expr(e))
                continue
            value = self.expr(e.value)
            if isinstance(value, Sym) or self.is_rt_list(value):
                raise self.error(e, "*-unpacking a value whose length is known only when the "
                                 "code runs, in a tuple or list (but a run-time list unpacked "
                                 "once among items)", "build the list with append, or "
                                 "join arrays with ops.concat", cls=UnsupportedSyntaxError)
            out.extend(self._items(value, e.value))
        return out

    def e_Set(self, node):
        items = [self.expr(e) for e in node.elts]
        if has_sym(items):
            raise self.error(node, "a set of runtime values is not supported",
                             "build a tuple or a list", cls=UnsupportedSyntaxError)
        try:
            return set(items)
        except TypeError as exc:
            raise self.error(node, "TypeError: %s" % exc) from None

    def sequence_op(self, op, left, right, node):
        """``left op right`` with a compile-time sequence on one side at least: ``+`` joins
        two tuples or two lists, ``*`` by a constant int repeats one (a list the function
        builds stays its own); anything else on runtime items is refused."""
        try:
            if op is gast.Add and type(left) in (tuple, list, SymList) \
                    and isinstance(right, type(left) if type(left) is tuple else list):
                out = left + right
            elif op is gast.Mult and isinstance(right, int) and not isinstance(right, bool):
                out = left * right
            elif op is gast.Mult and isinstance(left, int) and not isinstance(left, bool):
                out = right * left
            elif not has_sym([left, right]):
                out = {gast.Add: lambda a, b: a + b, gast.Mult: lambda a, b: a * b}[op](
                    left, right)
            else:
                raise KeyError(op)
        except TypeError as exc:
            raise self.error(node, "TypeError: %s" % exc) from None
        except KeyError:
            seq = left if isinstance(left, (tuple, list)) else right
            raise self.error(node, "arithmetic on a %s" % (
                "tuple" if isinstance(seq, tuple) else "list"), "operate on its items") from None
        if isinstance(out, list):
            return SymList(out)  # a new list: the function's own
        return out

    def container_method(self, base, attr, args, kwargs, node):
        """``base.attr(*args)`` on a compile-time list, dict or set: a list the function
        built changes now; any other is never changed (its owner would see it)."""
        if isinstance(base, SymList) and attr in _LIST_METHODS and not kwargs:
            return self._list_method(base, attr, args, node)
        if type(base) is dict and id(base) not in self.sources and attr in _DICT_CHANGES:
            return self._dict_method(base, attr, args, kwargs, node)
        # a method of a list the function did not build is a side effect: it runs at run
        # time, on every call, in program order (normalize_calls), runtime values too when it
        # stores them in a list, dict or set read from outside (a global, an attribute of a
        # Cell): ``CALLS.append((tag, i))``; a value being differentiated stored there is
        # refused where activity is known (analyze)
        if has_sym(list(args) + list(kwargs.values())):
            generated = self.src.filename.startswith("<autograd_st")
            source = self.sources.get(id(base))
            if attr in STORING and not generated and source is not None \
                    and source[0][0] != "arg":
                return NOT_HANDLED
            if generated:
                raise self.error(
                    node, "putting runtime values into a list (%s) is not supported yet: this "
                    "is the tape of a loop in generated code, so derivatives of gradients of "
                    "functions with loops are not supported yet" % attr,
                    "take the higher-order derivative of a loop-free function, or use finite "
                    "differences of the gradient for now", cls=UnsupportedSyntaxError)
            what = type(base).__name__
            called = dotted(node.func) or "%s.%s" % (what, attr)
            raise self.error(
                node, "%s changes a %s the function did not build (a global, an attribute or "
                "an argument), which differentiated code does not do" % (called, what)
                if attr in _MUTATING else "%s of runtime values is not supported" % called,
                ("build a new list in the function (ys = list(xs); ys.append(...)) and return it"
                 if isinstance(base, list) else "build a new dict in the function ({'key': "
                 "value, ...} with the items it needs) and return it" if isinstance(base, dict)
                 else "keep the values in a tuple or a list the function builds")
                if attr in _MUTATING else "compare with its items instead: "
                "sum(ops.equal(v, x) for v in xs) counts x", cls=UnsupportedSyntaxError)
        return NOT_HANDLED

    def check_unused(self, owner, node) -> None:
        """A list, dict or set this function built may change at compile time only while
        no generated code refers to it yet."""
        if id(owner) in self.escaped:
            raise self.error(node, "this %s is changed after the code uses it"
                             % type(owner).__name__,
                             "build a new %s instead of changing it, or a tuple"
                             % type(owner).__name__, cls=UnsupportedSyntaxError)

    def _dict_method(self, d, attr, args, kwargs, node):
        """A method changing a dict this function built (``d.update(...)``, ``put =
        d.__setitem__; put(k, v)``): done now, on the compile-time dict; in a loop bound
        as a loop (its body bound once) the loop is unrolled instead where it can be, else
        the loop carries the dict's items (its keys the same after the body: checked there,
        ``normalize_loops``)."""
        self.check_unused(d, node)
        if self._unrollable and self._unrollable[-1] is None:
            self.needs_constant(node, "dict.%s changes a dict inside a loop" % attr,
                                ITEMS_HINT)  # (that loop is unrolled: NeedsConstant)
        self.escape(list(args) + list(kwargs.values()))
        try:
            return getattr(d, attr)(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001 - reported at the user's line
            raise self.error(node, "%s: %s" % (type(exc).__name__, exc)) from None

    def _list_method(self, lst, attr, args, node):
        self.rt_check_retired(lst, node)
        merged = self.merged_lists.get(id(lst))
        if merged is not None and attr in _MUTATING:
            raise self.error(
                node, "list.%s changes a list that is a different list on each path of the "
                "if on a runtime value at line %d: generated code holds a copy of it, so the "
                "other names of the same list would not see the change" % (attr, merged[1]),
                "build the list after the if, or build a new list in each branch (ys + [item]) "
                "instead of changing it",
                cls=UnsupportedSyntaxError)
        if attr in ("append", "extend", "insert"):
            self.escape(list(args))  # the list holds them now
        if attr == "append" and len(args) == 1:
            lst.append(args[0])
            return None
        if attr == "extend" and len(args) == 1:
            items = self._items(args[0], node)
            lst.extend(items)
            return None
        if attr == "insert" and len(args) == 2 and isinstance(args[0], int):
            lst.insert(args[0], args[1])
            return None
        if attr == "pop" and len(args) <= 1:
            if args and not isinstance(args[0], int):
                self.needs_constant(node, "list.pop with a runtime index",
                                    "pop with a constant index")
            try:
                return lst.pop(*args)
            except IndexError as exc:
                raise self.error(node, "IndexError: %s" % exc) from None
        if attr == "reverse" and not args:
            lst.reverse()
            return None
        if attr == "clear" and not args:
            lst.clear()
            return None
        if attr == "copy" and not args:
            return SymList(lst)
        if not has_sym(list(lst) + list(args)):
            try:
                return getattr(lst, attr)(*args)
            except Exception as exc:  # noqa: BLE001 - reported at the user's line
                raise self.error(node, "%s: %s" % (type(exc).__name__, exc)) from None
        raise self.error(node, "list.%s of runtime values is not supported" % attr,
                         "build the list with append, and compute on its items",
                         cls=UnsupportedSyntaxError)

    def _items(self, value, node):
        """The items of a compile-time iterable (a sequence, a dict's keys, a constant
        range, a Cell sequence), as bound values."""
        if isinstance(value, Range):
            n = trip_count(value)
            if n is None:
                self.needs_constant(node, "iterating over a range whose bounds are runtime "
                                    "values here",
                                    "use a for loop, or give the range constant bounds")
            return list(range(*value.args))
        if isinstance(value, Sym):
            raise self.error(node, "iterating over a runtime value here (its length is not "
                             "known when the code is compiled)",
                             "use a for loop over it, or over range(<constant>)",
                             cls=UnsupportedSyntaxError)
        if _sequence(value):
            return [self.element(value, i, v, "item") for i, v in enumerate(value)]
        try:
            items = list(value)
        except TypeError:
            raise self.error(node, "cannot iterate over %r" % (value,)) from None
        return [self.element(value, i, v, "item") for i, v in enumerate(items)]

    def call_on_containers(self, callee, args, kwargs, node, path):
        """A call this part binds (a Closure; ``len``, ``list``, ``tuple``, ``sum`` of a
        compile-time sequence; a compile-time API or an introspection builtin given a
        container of Parameters, which gets the container itself), or NOT_HANDLED."""
        if (markers.is_compile_time_api(callee) or any(callee is f for f in _INTROSPECTION)) \
                and self._originals():
            raw_args = [self._raw(a) for a in args]
            raw_kwargs = {k: self._raw(v) for k, v in kwargs.items()}
            if any(a is not b for a, b in zip(raw_args, args)) or any(
                    raw_kwargs[k] is not v for k, v in kwargs.items()):
                return self.call(callee, raw_args, raw_kwargs, node, path)
        if isinstance(callee, Closure):
            return self.call_closure(callee, args, kwargs, node)
        out = self.call_builtin(callee, args, kwargs, node, path)  # map, max, reduce, ...
        if out is not NOT_HANDLED:
            return out
        quiet = _gradient_free(callee)
        if quiet is not None and has_sym(list(args) + list(kwargs.values())) and not kwargs:
            # this part's own run-time checks and string formatting, in generated code read
            # again (a higher-order derivative): still no gradient
            func = gast.Attribute(value=gast.Constant(value=callee.__self__, kind=None),
                                  attr="format", ctx=gast.Load()) if quiet == "str" else \
                gast.Name(id=self.const_name(callee, callee.__name__), ctx=gast.Load(),
                          annotation=None, type_comment=None)
            return self.opaque(gast.Call(func=func, args=[self.to_node(a) for a in args],
                                         keywords=[]), args, quiet, callee_name=quiet)
        if any(isinstance(a, Closure) for a in list(args) + list(kwargs.values())):
            raise self.error(node, "a lambda or nested function is passed to another "
                             "function, which cannot call it",
                             "call it where it is defined, or define it with def at module "
                             "level", cls=UnsupportedSyntaxError)
        if any(holds_partial_of_runtime_values(a) for a in list(args) + list(kwargs.values())):
            raise self.error(node, "a partial (F.partial or functools.partial) holding runtime "
                             "values is passed to another function, which cannot call it",
                             "call the partial in the function that makes it",
                             cls=UnsupportedSyntaxError)
        passed = next((a for a in list(args) + list(kwargs.values())
                       if self.own_method(a, ()) is not None), None)
        if passed is not None and not any(callee is f for f in _INTROSPECTION):
            raise self.error(node, "a method of a list or dict the function builds (%s) is "
                             "passed to another function, which would change it where the "
                             "compiler cannot see it" % passed.__name__,
                             "call the method in the function itself (for v in vs: "
                             "outs.append(v))", cls=UnsupportedSyntaxError)
        if kwargs or len(args) != 1:
            if callee is sum and len(args) == 2 and not kwargs and _sequence(args[0]) \
                    and has_sym(args[0]):
                return self._sum(args[0], args[1])
            return NOT_HANDLED
        (arg,) = args
        if callee is len and (_sequence(arg) or isinstance(arg, dict)):
            return len(arg)
        if callee in (list, tuple) and (_sequence(arg) or isinstance(arg, (Range, dict))) \
                and (has_sym(arg) or isinstance(arg, Range) or callee is list):
            items = self._items(arg, node)
            return SymList(items) if callee is list else tuple(items)
        if callee is sum and _sequence(arg) and has_sym(arg):
            return self._sum(arg, 0)
        return NOT_HANDLED

    def as_array(self, value, prim=None, param=None):
        """``value`` as the array argument ``param`` of ``prim``: a tuple or list holding
        runtime values is stacked along a new first axis (as numpy converts it), so its
        items keep their gradients; anything else is itself.  A function of the user's with
        a registered rule gets no stacking (its rule gives one gradient per parameter): a
        sequence there is refused."""
        if not (isinstance(value, (tuple, list)) and has_sym(value)):
            return value
        if prim is not None and prim.name in rules.USER_FUNCTIONS.values():
            raise self.error(None, "%s gets a %s of runtime values for its parameter %r, and "
                             "its registered rule gives one gradient per array parameter"
                             % (prim.name, type(value).__name__, param),
                             "pass the arrays as separate parameters",
                             cls=UnsupportedSyntaxError)
        items = [P.expand_dims(self.as_array(v), 0) for v in value]
        out = items[0]
        for v in items[1:]:
            out = P.concat2(out, v, axis=0)
        return out

    @staticmethod
    def _sum(items, start):
        total = start
        for v in items:
            total = P.add(total, v) if has_sym(total) or has_sym(v) else total + v
        return total

    # -- indexing a compile-time container at run time -------------------------------------
    def subscript_runtime(self, node, base, index):
        """``base[index]``: ``base`` known at compile time, ``index`` a runtime value."""
        if isinstance(index, Sym) and isinstance(base, (tuple, list)) and base \
                and all(type(v) in _NUMBERS for v in base):
            # plain numbers: the sequence itself, indexed when the code runs (a list from
            # outside is read as it is then; the function's own list as it is now)
            table = self.const_name(tuple(base) if isinstance(base, SymList) else base,
                                    name_hint(node.value))
            expr = gast.Subscript(value=gast.Name(id=table, ctx=gast.Load(), annotation=None,
                                                  type_comment=None),
                                  slice=self.to_node(index), ctx=gast.Load())
            return self.opaque(expr, [index], name_hint(node.value) + "_item",
                               callee_name="int")
        what = "a Cell sequence" if isinstance(base, Cell) else \
            "a compile-time %s" % type(base).__name__
        self.needs_constant(node, "indexing %s with a runtime index (%s)" % (
            what, dotted(node.slice) or "a loop counter"),
            "index with a constant, or loop a constant number of times (for i in range(3)) "
            "so that the loop is unrolled")

    # -- lambda and nested def -------------------------------------------------------------
    def local_names(self) -> frozenset:
        """The names the function being bound assigns anywhere (its parameters, its
        assignments, its nested defs): a read of one that has no value yet is not a read
        of a global of that name (Python raises UnboundLocalError)."""
        found = self.__dict__.get("_local_names")
        if found is None:
            fdef = self.src.node
            found = frozenset([a.id for a in fdef.args.args] + _assigned(fdef.body))
            self.__dict__["_local_names"] = found
        return found

    def e_Lambda(self, node):
        if self._comprehensions:
            raise self.error(node, "a lambda inside a comprehension (it would see the "
                             "comprehension's variables as they are when it is called)",
                             "define it before the comprehension and pass it the value",
                             cls=UnsupportedSyntaxError)
        return Closure(node, [self.expr(d) for d in node.args.defaults], self, "<lambda>")

    def s_FunctionDef(self, node):
        self.bind(node.name, Closure(node, [self.expr(d) for d in node.args.defaults], self,
                                     node.name))

    def call_closure(self, closure, args, kwargs, node):
        """The body of a lambda or nested def bound inline with these arguments."""
        if closure.owner is not self:
            raise self.error(node, "%s is a lambda or nested function of another function, "
                             "which cannot be called here" % closure.name,
                             "call it where it is defined, or define it at module level",
                             cls=UnsupportedSyntaxError)
        if closure in self._inlining:
            raise RecursionNotSupportedError(
                "%s calls itself (recursion), which cannot be differentiated" % closure.name,
                self.src.filename, getattr(node, "lineno", None), getattr(node, "col_offset", 0),
                hint="rewrite the recursion as a loop")
        fnode = closure.node
        params = [a.id for a in fnode.args.args]
        try:
            bound = bind_arguments(closure.name, params, closure.defaults, args, kwargs)
        except TypeError as exc:
            n_required = len(params) - len(closure.defaults)
            shown = params[:n_required] + ["%s=%r" % (p, d) for p, d in zip(
                params[n_required:], closure.defaults)]
            raise self.error(node, str(exc), "call it with its parameters: %s(%s)"
                             % (closure.name, ", ".join(shown)), cls=CallArgumentError) from None
        saved = (self.env, self.result, self.rest_stack, self._inlining)
        env = dict(self.env)  # the enclosing function's variables, as they are now
        if isinstance(fnode, gast.FunctionDef):
            for name in names_written(fnode.body):  # its own locals: unbound until assigned
                env[name] = MISSING
        env.update(bound)
        self.env, self.result, self.rest_stack = env, None, []
        self._inlining = self._inlining + (closure,)
        try:
            if isinstance(fnode, gast.Lambda):
                out = self.expr(fnode.body)
            else:
                self.stmts(fnode.body)
                out = freeze(self.result)
            inner = self.env
        finally:
            self.env, self.result, self.rest_stack, self._inlining = saved
        self.rt_returned(inner)  # a run-time list it appended to: that version here too
        return out

    # -- f-strings -------------------------------------------------------------------------
    def e_JoinedStr(self, node):
        parts, values = [], []
        for v in node.values:
            if isinstance(v, gast.Constant):
                parts.append(str(v.value).replace("{", "{{").replace("}", "}}"))
                continue
            value = self.expr(v.value)
            conv = {115: "!s", 114: "!r", 97: "!a"}.get(v.conversion, "")
            spec = self.expr(v.format_spec) if v.format_spec is not None else ""
            if has_sym(spec):
                raise self.error(v, "an f-string's format spec is a runtime value",
                                 "give the format spec as a constant")
            if has_sym(value):
                parts.append("{%s%s}" % (conv, ":" + spec if spec else ""))
                values.append(value)
                continue
            text = format({"!s": str, "!r": repr, "!a": ascii}.get(conv, lambda x: x)(value),
                          spec)
            parts.append(text.replace("{", "{{").replace("}", "}}"))
        fmt = "".join(parts)
        if not values:
            return fmt.replace("{{", "{").replace("}}", "}")
        call = gast.Call(func=gast.Attribute(value=gast.Constant(value=fmt, kind=None),
                                             attr="format", ctx=gast.Load()),
                         args=[self.to_node(v) for v in values], keywords=[])
        return self.opaque(call, values, "text", callee_name="str")
