"""Statements: assignments, ``if``, ``for``, ``while`` and ``return`` bound into IR statements.

Takes: the user function's statements (gast, fenced and desugared: ``if``/``for``/``while``
with single exits), one at a time, in the normalizer's current environment.
Gives: IR statements appended to the current block and the environment updated (each user
name bound to its new value, see :mod:`.normalize_values`):

- ``a = value`` binds ``a`` (a fresh SSA version when the value is a new runtime value);
  tuple targets unpack a compile-time sequence;
- ``if`` on a constant normalizes the branch taken; on a runtime value it becomes an IR
  ``If`` whose branches end with copies into merged versions of the names they change;
- ``for`` over ``range`` (or over a runtime array's first axis) and ``while`` stay loops
  (IR ``For`` / ``While``) whose carried names get a header version, copied into at the end
  of each iteration; ``for`` over a compile-time sequence is unrolled;
- ``return value`` sets the function's result.

:class:`StatementsMixin` is one part of :class:`~autograd_st.compiler.normalize.Normalizer`
and uses its state (``env``, ``block``, ``loc``, ``rest_stack``, ...) and its other parts
(``expr``, ``binop``, ``load_name``, ``opaque``).
"""
from __future__ import annotations

import gast
import numpy as np

from ..errors import UnsupportedSyntaxError
from ..prims import P, Sym, has_sym
from .codegen import names_read, names_written
from .ir import For, If, While, leaves
from .normalize_values import (
    LOOP_LOCAL,
    MISSING,
    PARTIAL,
    UNDEFINED,
    Range,
    atomize,
    name_hint,
    sym,
)

__all__ = ["StatementsMixin"]


def _loads(node) -> list:
    """The names ``node`` reads."""
    return names_read([node])


def _first_use(stmts, name):
    """'load' if ``name`` may be read before it is assigned when ``stmts`` run, 'store' if it
    is assigned first on every path, None if neither."""
    for stmt in stmts:
        if isinstance(stmt, (gast.Assign, gast.AugAssign, gast.AnnAssign)):
            value = stmt.value
            if (value is not None and name in _loads(value)) or (
                    isinstance(stmt, gast.AugAssign) and stmt.target.id == name):
                return "load"
            targets = stmt.targets if isinstance(stmt, gast.Assign) else [stmt.target]
            if any(isinstance(n, gast.Name) and n.id == name
                   for t in targets for n in gast.walk(t)):
                return "store"
        elif isinstance(stmt, gast.For):
            if name in _loads(stmt.iter):
                return "load"
            if any(isinstance(n, gast.Name) and n.id == name for n in gast.walk(stmt.target)):
                inner = "store"
            else:
                inner = _first_use(stmt.body, name)
            if inner == "load":
                return "load"
            # the body may run zero times: a store inside it does not count
        elif isinstance(stmt, gast.While):
            if name in _loads(stmt.test) or _first_use(stmt.body, name) == "load":
                return "load"
        elif isinstance(stmt, gast.If):
            if name in _loads(stmt.test):
                return "load"
            a, b = _first_use(stmt.body, name), _first_use(stmt.orelse, name)
            if a == "load" or b == "load":
                return "load"
            if a == "store" and b == "store":
                return "store"
        elif name in _loads(stmt):
            return "load"
    return None


class StatementsMixin:
    """Binds statements (see the module docstring)."""

    # -- statements in order -------------------------------------------------------------
    def stmts(self, body):
        for i, stmt in enumerate(body):
            self.rest_stack.append(body[i + 1:])
            try:
                self.stmt(stmt)
            finally:
                self.rest_stack.pop()

    def stmt(self, node):
        self.loc = (self.src.filename, node.lineno, node.col_offset)
        method = getattr(self, "s_" + type(node).__name__, None)
        if method is None:
            raise self.error(node, "%s statements are not supported" % type(node).__name__,
                             cls=UnsupportedSyntaxError)
        method(node)

    def s_Pass(self, node):
        pass

    def s_Expr(self, node):
        if isinstance(node.value, gast.Constant):
            return  # docstring
        self.expr(node.value)

    def s_Assign(self, node):
        value = self.expr(node.value)
        if len(node.targets) > 1:  # a = b = value: the names share one value (no renaming)
            self.fresh_temps.difference_update(s.var.name for s in leaves(value)
                                               if isinstance(value, (Sym, tuple)))
        for target in node.targets:
            self.assign(target, value, node)

    def s_AugAssign(self, node):
        name = node.target.id
        current = self.load_name(name, node.target)
        value = self.binop(type(node.op), current, self.expr(node.value), node)
        self.bind(name, value)

    def s_AnnAssign(self, node):
        if node.value is not None:
            self.assign(node.target, self.expr(node.value), node)

    def assign(self, target, value, node):
        if isinstance(target, gast.Name):
            self.bind(target.id, value)
        elif isinstance(target, (gast.Tuple, gast.List)):
            if isinstance(value, Sym):
                raise self.error(node, "cannot unpack a runtime value into %d names"
                                 % len(target.elts),
                                 "unpack a tuple the code builds or a function returns")
            try:
                items = list(value)
            except TypeError:
                raise self.error(node, "cannot unpack %r" % (value,)) from None
            if len(items) != len(target.elts):
                raise self.error(node, "cannot unpack %d values into %d names"
                                 % (len(items), len(target.elts)))
            for t, v in zip(target.elts, items):
                self.assign(t, v, node)
        else:
            raise self.error(target, "unsupported assignment target",
                             cls=UnsupportedSyntaxError)

    def s_Return(self, node):
        self.result = self.expr(node.value) if node.value is not None else None

    # -- if ------------------------------------------------------------------------------
    def s_If(self, node):
        loc = self.loc
        cond = self.expr(node.test)
        if not has_sym(cond):
            self.stmts(node.body if cond else node.orelse)
            return
        cond = self.truth(cond, node.test)
        before = dict(self.env)
        outer = self.block
        self.block = []
        self.stmts(node.body)
        body, env_a = self.block, self.env
        self.block = []
        self.env = dict(before)
        self.stmts(node.orelse)
        orelse, env_b = self.block, self.env
        self.block = outer
        self.env = dict(before)
        merged = {}
        for name in list(env_a) + [n for n in env_b if n not in env_a]:
            va, vb = env_a.get(name, MISSING), env_b.get(name, MISSING)
            if va is vb:
                merged[name] = va
                continue
            missing_a, missing_b = va in UNDEFINED, vb in UNDEFINED
            # a tuple on one path and None on the other (generated code starts a residual
            # some path leaves unset as None) merges like a one-sided definition
            if isinstance(va, tuple) and vb is None:
                missing_b = True
            elif isinstance(vb, tuple) and va is None:
                missing_a = True
            if missing_a or missing_b:
                # defined on one path only: on the other it is None (Python would have no
                # value there at all), so code that reads it only where it exists still runs
                value = vb if missing_a else va
                if (missing_a and missing_b) or not isinstance(value, (Sym, tuple)):
                    merged[name] = PARTIAL
                    continue
                merged[name] = self._merge_one_sided(name, value, body if missing_b else orelse,
                                                     orelse if missing_b else body)
                continue
            if isinstance(va, tuple) or isinstance(vb, tuple):
                if not (isinstance(va, tuple) and isinstance(vb, tuple) and len(va) == len(vb)):
                    raise self.error(node, "%r is a tuple of a different length in each branch"
                                     % name)
                new_t = []
                for i, (ea, eb) in enumerate(zip(va, vb)):
                    new = self.new_version("%s_%d" % (name, i))
                    body.append(self._copy_stmt(new, ea))
                    orelse.append(self._copy_stmt(new, eb))
                    new_t.append(sym(new))
                merged[name] = tuple(new_t)
                continue
            if not (isinstance(va, (Sym, int, float, bool, np.ndarray, np.generic, type(None)))
                    and isinstance(vb, (Sym, int, float, bool, np.ndarray, np.generic,
                                        type(None)))):
                raise self.error(node, "%r is a different object in each branch of an if on a "
                                 "runtime value" % name,
                                 "give it the same kind of value in both branches")
            new = self.new_version(name)
            body.append(self._copy_stmt(new, va))
            orelse.append(self._copy_stmt(new, vb))
            merged[name] = sym(new)
        self.env.update(merged)
        self.loc = loc
        self.emit(If(cond.var, body, orelse, loc))

    def _merge_one_sided(self, name, value, defined, other):
        """A value (a Sym, or a tuple, such as a callee's residuals) that one branch of an
        if defines: a new version, the value on that path and None on the other
        (code that reads it only where it exists still runs)."""
        if isinstance(value, tuple):
            return tuple(self._merge_one_sided("%s_%d" % (name, i), v, defined, other)
                         for i, v in enumerate(value))
        if not isinstance(value, Sym):
            return value  # a compile-time constant is the same on both paths
        new = self.new_version(name)
        defined.append(self._copy_stmt(new, value))
        other.append(self._copy_stmt(new, None))
        return sym(new)

    # -- loops ---------------------------------------------------------------------------
    def _carry(self, body_nodes, extra_nodes=()):
        """Before a loop: the ``(user name, header)`` pairs it carries, each header a new
        version starting from the name's value before the loop."""
        carried = []
        later = set()
        for rest in self.rest_stack:  # names read after the loop
            for stmt in rest:
                later.update(n.id for n in gast.walk(stmt) if isinstance(n, gast.Name)
                             and isinstance(n.ctx, gast.Load))
        body = list(extra_nodes) + list(body_nodes)
        for name in names_written(list(body_nodes) + list(extra_nodes)):
            # a value the next iteration or the code after the loop reads is carried; one
            # each iteration makes afresh before reading it is not
            if name not in later and _first_use(body, name) != "load":
                continue
            if name in self.env and not isinstance(self.env[name], tuple) \
                    and (isinstance(self.env[name], Sym)
                         or isinstance(self.env[name], (int, float, np.ndarray, np.generic))):
                header = self.new_version(name)
                self._inits[header] = atomize(self.env[name])
                self.copy_to(header, self.env[name])
                carried.append((name, header))
                self.env[name] = sym(header)
        return carried

    def _close_loop(self, carried):
        """At the end of a loop body: each carried name's value copied into its header."""
        for name, header in carried:
            value = self.env.get(name)
            if not (isinstance(value, Sym) and value.var.name == header):
                self.copy_to(header, value)

    def _restore_after_loop(self, carried, before):
        """After a loop: carried names hold their header; a name the body assigned but that
        nothing reads after the loop is not carried, so it keeps its value from before the
        loop (a body-local value may not exist if the loop ran no iteration)."""
        for name in list(self.env):
            if name not in before:
                self.env[name] = LOOP_LOCAL
            elif self.env[name] is not before[name]:
                self.env[name] = before[name]
        for name, header in carried:
            self.env[name] = sym(header)

    def s_For(self, node):
        it = self.expr(node.iter)
        over = None
        if isinstance(it, Sym):  # for row in x: a loop over x's first axis, x[i] each time
            over = it
            n = self.opaque(gast.Call(func=gast.Name(id="len", ctx=gast.Load(), annotation=None,
                                                     type_comment=None),
                                      args=[self.to_node(it)], keywords=[]), [it], "len",
                            callee_name="len")
            it = Range([n])
        if isinstance(it, Range):
            if not isinstance(node.target, gast.Name) and over is None:
                raise self.error(node.target, "for over range() needs a single loop variable")
            before = dict(self.env)
            carried = self._carry(node.body)
            index = node.target.id if over is None else "_" + name_hint(node.iter) + "_index"
            target = self.new_version(index)
            self.env[index] = sym(target)
            outer = self.block
            self.block = []
            if over is not None:
                self.assign(node.target, P.getitem(over, sym(target)), node)
            self.stmts(node.body)
            self._close_loop(carried)
            body = self.block
            self.block = outer
            self._restore_after_loop(carried, before)
            self.emit(For(target, [atomize(a) for a in it.args], body,
                          [(h, n) for n, h in carried],
                          (self.src.filename, node.lineno, node.col_offset),
                          {h: self._inits[h] for n, h in carried}))
            return
        if isinstance(it, (tuple, list)):
            for item in it:  # a compile-time sequence: unrolled
                self.assign(node.target, item, node)
                self.stmts(node.body)
            return
        try:
            items = list(it)
        except TypeError:
            raise self.error(node.iter, "cannot iterate over %r" % (it,)) from None
        for item in items:
            self.assign(node.target, self.static(item, "item"), node)
            self.stmts(node.body)

    def s_While(self, node):
        before = dict(self.env)
        # the condition runs before every iteration: what it reads is carried too
        carried = self._carry(node.body, [gast.Expr(value=node.test)])
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
            self._restore_after_loop(carried, before)
            return
        cond = self.truth(cond, node.test)
        self.block = []
        self.stmts(node.body)
        self._close_loop(carried)
        body = self.block
        self.block = outer
        self._restore_after_loop(carried, before)
        self.emit(While(cond.var, cond_body, body, [(h, n) for n, h in carried],
                        (self.src.filename, node.lineno, node.col_offset),
                        {h: self._inits[h] for n, h in carried}))
