"""Normalize: user source -> A-normal-form IR, with every name resolved.

Takes: a fenced :class:`~autograd_st.compiler.parse.Source` and, per positional parameter,
whether it is a runtime value or a compile-time constant.
Gives: a :class:`FuncIR`: one operation per statement (``compiler.ir``), each user variable
renamed per assignment (SSA; loops carry their variables through explicit copies), every
operator, ``ops.*`` call, Tensor method and numpy call turned into a primitive, calls to
sub-Cells and helper functions turned into ``Call`` statements, and the Parameters and free
Tensors the code reads listed as extra inputs.

Names are resolved at compile time: globals, closure cells, builtins and ``self.<attr>``
(Parameter -> input, sub-Cell -> callee, primitive instance -> primitive, other values ->
constants).  ``if`` on a constant picks its branch here; ``for`` over a constant tuple is
unrolled (a tuple of sub-Cells, as in SequentialCell); ``for`` over ``range`` and ``while`` stay
loops.
"""
from __future__ import annotations

import builtins
import types

import gast
import numpy as np

from .. import rules
from ..cell import Cell
from ..errors import CompileError, UnsupportedSyntaxError
from ..prims import P, Sym, binding, has_sym
from ..tensor import Tensor
from . import bindings
from .codegen import expr_of
from .ir import (
    ABSENT,
    RUNTIME,
    Call,
    Const,
    For,
    FuncIR,
    If,
    Input,
    Opaque,
    Prim,
    Var,
    While,
    leaves,
)
from .names import RESERVED, NameAllocator

__all__ = ["normalize", "atomize", "sym"]


def sym(name: str) -> Sym:
    """The Sym of IR variable ``name``."""
    return Sym(Var(name))


_BINOPS = {gast.Add: "add", gast.Sub: "sub", gast.Mult: "mul", gast.Div: "div",
           gast.Pow: "pow", gast.MatMult: "matmul", gast.FloorDiv: "floordiv",
           gast.Mod: "mod"}
_CMPOPS = {gast.Lt: "less", gast.LtE: "less_equal", gast.Gt: "greater",
           gast.GtE: "greater_equal", gast.Eq: "equal", gast.NotEq: "not_equal"}
_PY_BINOPS = {gast.Add: lambda a, b: a + b, gast.Sub: lambda a, b: a - b,
              gast.Mult: lambda a, b: a * b, gast.Div: lambda a, b: a / b,
              gast.Pow: lambda a, b: a ** b, gast.MatMult: lambda a, b: a @ b,
              gast.FloorDiv: lambda a, b: a // b, gast.Mod: lambda a, b: a % b,
              gast.BitAnd: lambda a, b: a & b, gast.BitOr: lambda a, b: a | b}
_PY_CMPOPS = {gast.Lt: lambda a, b: a < b, gast.LtE: lambda a, b: a <= b,
              gast.Gt: lambda a, b: a > b, gast.GtE: lambda a, b: a >= b,
              gast.Eq: lambda a, b: a == b, gast.NotEq: lambda a, b: a != b,
              gast.Is: lambda a, b: a is b, gast.IsNot: lambda a, b: a is not b,
              gast.In: lambda a, b: a in b, gast.NotIn: lambda a, b: a not in b}

# builtins evaluated at compile time when every argument is a constant
_STATIC_BUILTINS = {len, range, int, float, bool, str, tuple, list, isinstance, min, max, abs,
                    round, enumerate, zip, type, hasattr, getattr, sum, reversed, sorted, dict}
_OPAQUE_BUILTINS = {len, int, float, bool, print, isinstance, min, max, round, range, tuple,
                    list, str, type}


def atomize(value):
    """The IR atom for a bound value: Var, Const, or a tuple/slice structure of atoms."""
    if isinstance(value, Sym):
        return value.var
    if isinstance(value, (tuple, list)) and has_sym(value):
        return tuple(atomize(v) for v in value)
    if isinstance(value, slice) and has_sym(value):
        return slice(atomize(value.start), atomize(value.stop), atomize(value.step))
    return Const(value)


def _loads(node) -> set:
    return {n.id for n in gast.walk(node) if isinstance(n, gast.Name)
            and isinstance(n.ctx, gast.Load)}


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


def _assigned_names(stmts) -> list:
    out = []
    for stmt in stmts:
        for node in gast.walk(stmt):
            if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store):
                if node.id not in out:
                    out.append(node.id)
    return out


class Normalizer:
    """Binds one function's source; ``builder`` of the ``P`` primitives it calls."""

    def __init__(self, src, args: list, compiler) -> None:
        self.src = src
        self.compiler = compiler
        node = src.node
        idents = {n.id for n in gast.walk(node) if isinstance(n, gast.Name)}
        idents.update(a.id for a in node.args.args)
        self.names = NameAllocator(idents)
        self.names.taken.update(rules.template_globals())
        self.ir_vars: set = set()
        self.env: dict = {}
        self.block: list = []
        self.fresh_temps: set = set()
        self.inputs: list = []
        self.input_by_id: dict = {}
        self.consts: dict = {}
        self.guards: list = []
        self.loc = (src.filename, node.lineno, node.col_offset)
        self.result = None
        self.arg_values = []
        self.paths: dict = {}
        self.instance_specific = False
        self._inits: dict = {}  # loop header -> the atom it starts from (for recomputation)
        self.rest_stack: list = []  # the statements after the one being normalized, per level
        params = [a.id for a in node.args.args]
        defaults = node.args.defaults
        func_defaults = src.func.__defaults__ or ()
        self.param_names = params
        start = 0
        if src.self_obj is not None and params:
            self.env[params[0]] = src.self_obj
            self.paths[id(src.self_obj)] = ("self",)
            start = 1
        self.user_params = params[start:]
        self.user_params = [p for p in self.user_params if p not in src.bound_args] + \
            [p for p in self.user_params if p in src.bound_args]
        n_user = len([p for p in self.user_params if p not in src.bound_args])
        if len(args) > n_user:
            raise TypeError("%s() takes %d positional arguments but %d were given"
                            % (src.qualname, n_user, len(args)))
        n_missing = n_user - len(args)
        if n_missing > len(func_defaults):
            missing = self.user_params[len(args):n_user - len(func_defaults)]
            raise TypeError("%s() missing %d required positional argument%s: %s"
                            % (src.qualname, len(missing), "s" if len(missing) > 1 else "",
                               ", ".join(repr(m) for m in missing)))
        del defaults
        positional = iter(args)
        for i, pname in enumerate(self.user_params):
            if pname in src.bound_args:  # generated code's Parameter inputs
                self.env[pname] = self.input_for(src.bound_args[pname], pname)
                continue
            value = next(positional, _MISSING)
            if value is RUNTIME:
                value = sym(self.new_version(pname))
            elif value is _MISSING:
                value = func_defaults[i - (len(self.user_params) - len(func_defaults))]
            elif has_sym(value) or isinstance(value, tuple):
                value = self._bind_structure(value, pname)
            self.env[pname] = value
            self.arg_values.append(value)

    def _bind_structure(self, value, pname):
        """A tuple argument whose leaves are runtime: each leaf becomes a parameter name."""
        counter = [0]

        def rec(v):
            if v is RUNTIME or isinstance(v, Sym):
                name = self.names.fresh("%s_%d" % (pname, counter[0]))
                counter[0] += 1
                self.ir_vars.add(name)
                return sym(name)
            if isinstance(v, tuple):
                return tuple(rec(e) for e in v)
            return v
        return rec(value)

    # -- errors --------------------------------------------------------------------------
    def error(self, node, message, hint=None, cls=CompileError):
        line = getattr(node, "lineno", None) or self.loc[1]
        col = getattr(node, "col_offset", None) or 0
        return cls(message + " (in %s)" % self.src.qualname, self.src.filename, line, col,
                   hint=hint)

    # -- emission (the builder interface used by P) ---------------------------------------
    def emit(self, stmt):
        self.block.append(stmt)
        return stmt

    def emit_prim(self, prim, bound: dict):
        target = self.names.fresh("_" + prim.name)
        self.ir_vars.add(target)
        args = {}
        for p in prim.params:
            if p in bound:
                args[p] = atomize(bound[p])
            else:
                args[p] = Const(prim.defaults[p])
        self.emit(Prim([target], prim, args, self.loc, frozenset(bound)))
        self.fresh_temps.add(target)
        return sym(target)

    def new_version(self, user_name: str) -> str:
        # a user variable keeps its name unless generated code needs that name as a global
        # (np, a runtime helper, a builtin such as reversed or float)
        if user_name not in self.ir_vars and user_name.isidentifier() \
                and user_name not in rules.template_globals() \
                and user_name not in RESERVED and not hasattr(builtins, user_name):
            name = user_name
            self.names.reserve(name)
        else:
            name = self.names.fresh(user_name)
        self.ir_vars.add(name)
        return name

    def copy_to(self, target: str, value):
        self.emit(Prim([target], rules.REGISTRY["copy"], {"x": atomize(value)}, self.loc,
                       frozenset(("x",))))

    def bind(self, name: str, value):
        """``name = value`` in user code."""
        if isinstance(value, Sym) and value.var.name in self.fresh_temps and self.block \
                and isinstance(self.block[-1], (Prim, Call, Opaque)) \
                and self.block[-1].targets == [value.var.name]:
            new = self.new_version(name)
            self.block[-1].targets = [new]
            self.fresh_temps.discard(value.var.name)
            value = sym(new)
        else:
            self.fresh_temps.discard(value.var.name if isinstance(value, Sym) else None)
        self.env[name] = value

    # -- inputs --------------------------------------------------------------------------
    def input_for(self, obj, name_hint: str):
        key = id(obj)
        found = self.input_by_id.get(key)
        if found is not None:
            return sym(found.name)
        name = self.names.fresh(name_hint)
        self.ir_vars.add(name)
        path = self.paths.get(id(obj))
        if path is None:
            self.instance_specific = True
        inp = Input(name, obj, path)
        self.inputs.append(inp)
        self.input_by_id[key] = inp
        return sym(name)

    def static(self, obj, path: str):
        """A compile-time object found in user code, as a bound value."""
        if isinstance(obj, Tensor) or isinstance(obj, np.ndarray):
            return self.input_for(obj, path)
        return obj

    def const_name(self, obj, hint: str) -> str:
        for name, existing in self.consts.items():
            if existing is obj:
                return name
        name = self.names.fresh(hint)
        self.consts[name] = obj
        return name

    # -- statements ----------------------------------------------------------------------
    def run(self) -> FuncIR:
        with binding(self):
            self.stmts(self.src.node.body)
        fir = FuncIR(self.src.qualname, self.src, self.arg_values, self.user_params,
                     self.inputs, self.block, self.result, self.names, self.consts,
                     self.guards, self.instance_specific, self.ir_vars)
        return fir

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
            va, vb = env_a.get(name, _MISSING), env_b.get(name, _MISSING)
            if va is vb:
                merged[name] = va
                continue
            missing_a, missing_b = va in _UNDEFINED, vb in _UNDEFINED
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
                    merged[name] = _PARTIAL
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

    def _copy_stmt(self, target, value):
        """A merge copy at the end of a branch (no source line of its own)."""
        return Prim([target], rules.REGISTRY["copy"], {"x": atomize(value)}, None,
                    frozenset(("x",)))

    def truth(self, cond, node):
        """A runtime condition as a Var holding a Python bool."""
        if not isinstance(cond, Sym):
            raise self.error(node, "this condition is a tuple of runtime values",
                             "reduce it to one value (e.g. with .all() or .any())")
        return cond

    def _carry(self, body_nodes, extra_nodes=()):
        carried = []
        later = set()
        for rest in self.rest_stack:  # names read after the loop
            for stmt in rest:
                later.update(n.id for n in gast.walk(stmt) if isinstance(n, gast.Name)
                             and isinstance(n.ctx, gast.Load))
        body = list(extra_nodes) + list(body_nodes)
        for name in _assigned_names(list(body_nodes) + list(extra_nodes)):
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

    def _close_loop(self, carried, before_names):
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
                self.env[name] = _LOOP_LOCAL
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
            it = _Range([n])
        if isinstance(it, _Range):
            if not isinstance(node.target, gast.Name) and over is None:
                raise self.error(node.target, "for over range() needs a single loop variable")
            before = dict(self.env)
            carried = self._carry(node.body)
            index = node.target.id if over is None else "_" + _path(node.iter) + "_index"
            target = self.new_version(index)
            self.env[index] = sym(target)
            outer = self.block
            self.block = []
            if over is not None:
                self.assign(node.target, P_getitem(over, sym(target)), node)
            self.stmts(node.body)
            self._close_loop(carried, before)
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
        self._close_loop(carried, before)
        body = self.block
        self.block = outer
        self._restore_after_loop(carried, before)
        self.emit(While(cond.var, cond_body, body, [(h, n) for n, h in carried],
                        (self.src.filename, node.lineno, node.col_offset),
                        {h: self._inits[h] for n, h in carried}))

    # -- expressions ---------------------------------------------------------------------
    def expr(self, node):
        method = getattr(self, "e_" + type(node).__name__, None)
        if method is None:
            raise self.error(node, "%s expressions are not supported" % type(node).__name__,
                             cls=UnsupportedSyntaxError)
        prev = self.loc
        self.loc = (self.src.filename, getattr(node, "lineno", prev[1]),
                    getattr(node, "col_offset", prev[2]))
        try:
            return method(node)
        finally:
            self.loc = prev

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

    def e_Constant(self, node):
        return node.value

    def e_Name(self, node):
        return self.load_name(node.id, node)

    def load_name(self, name, node):
        if name in self.env:
            value = self.env[name]
            if value is _LOOP_LOCAL:
                raise self.error(node, "%r is assigned inside a loop but not before it" % name,
                                 "give it a value before the loop")
            if value is _PARTIAL:
                raise self.error(node, "%r is assigned in only one branch of an if, so it may "
                                 "be undefined here" % name,
                                 "assign it in every branch (or before the if)")
            return value
        found, obj = self.src.lookup(name)
        if not found:
            raise self.error(node, "name %r is not defined" % name, cls=CompileError)
        if name in self.src.closure:
            self.guards.append((self.src.closure, name, obj))
        elif name in self.src.globals:
            self.guards.append((self.src.globals, name, obj))
        else:  # a builtin: stays valid while no global of that name appears
            self.guards.append((self.src.globals, name, ABSENT))
        self._remember(obj, ("free", name))
        return self.static(obj, name)

    def _remember(self, obj, path):
        if isinstance(obj, (int, float, bool, str, type(None))):
            return
        self.paths.setdefault(id(obj), path)

    def e_Tuple(self, node):
        return tuple(self.expr(e) for e in node.elts)

    def e_List(self, node):
        items = [self.expr(e) for e in node.elts]
        # constants stay a list (x[[0, 2]] indexes rows 0 and 2); runtime items form a
        # compile-time sequence, like a tuple
        return tuple(items) if has_sym(items) else items

    def e_Dict(self, node):
        keys = [self.expr(k) for k in node.keys]
        values = [self.expr(v) for v in node.values]
        if has_sym(keys):
            raise self.error(node, "dict keys must be constants")
        return dict(zip(keys, values))

    def e_Slice(self, node):
        lower = self.expr(node.lower) if node.lower is not None else None
        upper = self.expr(node.upper) if node.upper is not None else None
        step = self.expr(node.step) if node.step is not None else None
        return slice(lower, upper, step)

    def e_Attribute(self, node):
        base = self.expr(node.value)
        if isinstance(base, Sym):
            fn = bindings.attribute(node.attr)
            if fn is not None:
                return fn(base)
            return self.opaque(gast.Attribute(value=self.to_node(base), attr=node.attr,
                                              ctx=gast.Load()), [base], node.attr)
        try:
            obj = getattr(base, node.attr)
        except AttributeError as exc:
            raise self.error(node, str(exc)) from None
        base_path = self.paths.get(id(base))
        if base_path is not None:
            self._remember(obj, base_path + (node.attr,))
        return self.static(obj, _path(node))

    def e_Subscript(self, node):
        base = self.expr(node.value)
        index = self.expr(node.slice)
        if isinstance(base, Sym):
            return P_getitem(base, index)
        if has_sym(index):
            raise self.error(node, "indexing a constant with a runtime index is not supported",
                             "make the container a Tensor, or index with a constant")
        try:
            obj = base[index]
        except (IndexError, KeyError, TypeError) as exc:
            raise self.error(node, "%s: %s" % (type(exc).__name__, exc)) from None
        base_path = self.paths.get(id(base))
        if base_path is not None and isinstance(index, int):
            self._remember(obj, base_path + (index,))
        return self.static(obj, _path(node.value) + "_%s" % index)

    def e_BinOp(self, node):
        left = self.expr(node.left)
        right = self.expr(node.right)
        return self.binop(type(node.op), left, right, node)

    def binop(self, op, left, right, node):
        if not has_sym(left) and not has_sym(right):
            fn = _PY_BINOPS.get(op)
            if fn is None:
                raise self.error(node, "operator %s is not supported" % op.__name__)
            return self.static(fn(left, right), "const")
        name = _BINOPS.get(op)
        if name is None:
            raise self.error(node, "operator %s on runtime values is not supported"
                             % op.__name__, cls=UnsupportedSyntaxError)
        if isinstance(left, tuple) or isinstance(right, tuple):
            if op is gast.Add and isinstance(left, tuple) and isinstance(right, tuple):
                return left + right
            raise self.error(node, "arithmetic on a tuple", "operate on its elements")
        return getattr(P, name)(left, right)

    def e_UnaryOp(self, node):
        operand = self.expr(node.operand)
        op = type(node.op)
        if not has_sym(operand):
            return {gast.USub: lambda v: -v, gast.UAdd: lambda v: +v,
                    gast.Not: lambda v: not v, gast.Invert: lambda v: ~v}[op](operand)
        if op is gast.USub:
            return P.neg(operand)
        if op is gast.UAdd:
            return operand
        if op is gast.Not:
            return self.opaque(gast.UnaryOp(op=gast.Not(), operand=self.to_node(operand)),
                               [operand], "not")
        raise self.error(node, "operator ~ on a runtime value is not supported")

    def e_Compare(self, node):
        left = self.expr(node.left)
        result = None
        for op, comp in zip(node.ops, node.comparators):
            right = self.expr(comp)
            if not has_sym(left) and not has_sym(right):
                value = _PY_CMPOPS[type(op)](left, right)
            else:
                name = _CMPOPS.get(type(op))
                if name is None:
                    if type(op) in (gast.Is, gast.IsNot) and (isinstance(left, Sym)
                                                              != isinstance(right, Sym)):
                        # a runtime value is never None or a constant object
                        value = type(op) is gast.IsNot
                    else:
                        raise self.error(node, "%s on a runtime value is not supported"
                                         % type(op).__name__)
                else:
                    value = getattr(P, name)(left, right)
            result = value if result is None else self.boolop(gast.And, [result, value], node)
            left = right
        return result

    def e_BoolOp(self, node):
        values = [self.expr(v) for v in node.values]
        return self.boolop(type(node.op), values, node)

    def boolop(self, op, values, node):
        if not has_sym(values):
            out = values[0]
            for v in values[1:]:
                out = (out and v) if op is gast.And else (out or v)
            return out
        # Python's short circuit on constants, then the rest at run time
        rest = []
        for v in values:
            if not has_sym(v):
                if op is gast.And and not v:
                    return v if not rest else self._bool_opaque(op, rest + [v], node)
                if op is gast.Or and v:
                    return v if not rest else self._bool_opaque(op, rest + [v], node)
                continue
            rest.append(v)
        if len(rest) == 1:
            return rest[0]
        return self._bool_opaque(op, rest, node)

    def _bool_opaque(self, op, values, node):
        expr = gast.BoolOp(op=op(), values=[self.to_node(v) for v in values])
        return self.opaque(expr, values, "and" if op is gast.And else "or")

    def e_IfExp(self, node):
        cond = self.expr(node.test)
        if not has_sym(cond):
            return self.expr(node.body if cond else node.orelse)
        cond = self.truth(cond, node.test)
        outer = self.block
        self.block = []
        a = self.expr(node.body)
        body = self.block
        self.block = []
        b = self.expr(node.orelse)
        orelse = self.block
        self.block = outer
        target = self.names.fresh("_ifexp")
        self.ir_vars.add(target)
        body.append(self._copy_stmt(target, a))
        orelse.append(self._copy_stmt(target, b))
        self.emit(If(cond.var, body, orelse, self.loc))
        return sym(target)

    def e_Call(self, node):
        func = node.func
        args = [self.expr(a) for a in node.args]
        kwargs = {k.arg: self.expr(k.value) for k in node.keywords}
        if isinstance(func, gast.Attribute):
            base = self.expr(func.value)
            if isinstance(base, Sym):
                fn = bindings.method(func.attr)
                if fn is not None:
                    return fn(base, *args, **kwargs)
                call = gast.Call(func=gast.Attribute(value=self.to_node(base), attr=func.attr,
                                                     ctx=gast.Load()),
                                 args=[self.to_node(a) for a in args],
                                 keywords=[gast.keyword(arg=k, value=self.to_node(v))
                                           for k, v in kwargs.items()])
                return self.opaque(call, [base] + list(args) + list(kwargs.values()),
                                   func.attr, callee_name="." + func.attr)
            if isinstance(base, (list, dict, set)) and has_sym(list(args)
                                                                 + list(kwargs.values())):
                generated = self.src.filename.startswith("<autograd_st")
                raise self.error(
                    node, "putting runtime values into a list (%s) is not supported%s"
                    % (func.attr, " yet: this is the tape of a loop in generated code, so "
                       "derivatives of gradients of functions with loops are not supported yet"
                       if generated else ""),
                    "build a tuple instead" if not generated else
                    "take the higher-order derivative of a loop-free function, or use finite "
                    "differences of the gradient for now", cls=UnsupportedSyntaxError)
            try:
                callee = getattr(base, func.attr)
            except AttributeError as exc:
                raise self.error(func, str(exc)) from None
            base_path = self.paths.get(id(base))
            if base_path is not None:
                self._remember(callee, base_path + (func.attr,))
            path = _path(func)
        else:
            callee = self.expr(func)
            path = _path(func)
        if isinstance(callee, Sym):
            raise self.error(func, "calling a runtime value is not supported")
        return self.call(callee, args, kwargs, node, path)

    def call(self, callee, args, kwargs, node, path):
        composite = bindings.lookup(callee)
        runtime_args = has_sym(list(args) + list(kwargs.values()))
        if composite is not None:
            if not runtime_args and not getattr(composite, "_autograd_st_primitive", False):
                try:
                    return self.static(callee(*args, **kwargs), path)
                except Exception:  # noqa: BLE001 - fall back to binding
                    pass
            try:
                return composite(*args, **kwargs)
            except (TypeError, ValueError) as exc:
                raise self.error(node, "bad call to %s: %s" % (path or callee, exc)) from None
        if callee is range:
            return _Range(args)
        if callee is reversed and len(args) == 1 and isinstance(args[0], _Range) \
                and type(args[0].args[2]) is int and args[0].args[2] == 1:
            start, stop, _ = args[0].args  # reversed(range(a, b)) is range(b - 1, a - 1, -1)
            return _Range([P.sub(stop, 1), P.sub(start, 1) if has_sym(start) else start - 1,
                           -1])
        if callee in (enumerate, zip, reversed) and not kwargs \
                and all(isinstance(a, (tuple, list)) for a in args):
            return tuple(callee(*args))  # over a compile-time sequence (of runtime values)
        if getattr(callee, "_autograd_st_static", False):  # ops.grad(f), GradOperation(...)
            if runtime_args:
                raise self.error(node, "%s needs constant arguments here" % (path or callee),
                                 "pass it compile-time values (a function, a Cell, numbers)")
            try:
                return self.static(callee(*args, **kwargs), path)
            except Exception as exc:  # noqa: BLE001 - reported at the user's line
                raise self.error(node, "evaluating %s at compile time failed: %s"
                                 % (path, exc)) from None
        if isinstance(callee, Cell):
            return self.compiler.bind_call(self, callee, args, kwargs, node, path)
        if getattr(callee, "_autograd_st_grad_function", False):
            return self.compiler.bind_call(self, callee, args, kwargs, node, path)
        if isinstance(callee, types.FunctionType) and not runtime_args \
                and callee.__module__ in ("math",):
            return callee(*args, **kwargs)
        if isinstance(callee, types.FunctionType):
            return self.compiler.bind_call(self, callee, args, kwargs, node, path)
        if isinstance(callee, types.MethodType) and isinstance(callee.__self__, Cell):
            return self.compiler.bind_call(self, callee, args, kwargs, node, path)
        if not runtime_args and (isinstance(callee, type) or callee in _STATIC_BUILTINS
                                 or getattr(callee, "_autograd_st_static", False)
                                 or isinstance(callee, (types.BuiltinFunctionType, np.ufunc))):
            try:
                return self.static(callee(*args, **kwargs), path)
            except Exception as exc:  # noqa: BLE001 - reported at the user's line
                raise self.error(node, "evaluating %s at compile time failed: %s"
                                 % (path, exc)) from None
        if getattr(callee, "_autograd_st_static", False):
            raise self.error(node, "%s needs constant arguments here" % path)
        if isinstance(callee, Tensor.__class__) and callee is Tensor:
            return args[0] if args else None
        # something the compiler has no rule for: run it as it is, without a gradient
        name = self._callee_name(callee, path)
        call = gast.Call(func=gast.Name(id=name, ctx=gast.Load(), annotation=None,
                                        type_comment=None),
                         args=[self.to_node(a) for a in args],
                         keywords=[gast.keyword(arg=k, value=self.to_node(v))
                                   for k, v in kwargs.items()])
        return self.opaque(call, list(args) + list(kwargs.values()),
                           getattr(callee, "__name__", "call"),
                           callee_name=_dotted(node.func) or path or name)

    def _callee_name(self, callee, path):
        if callee in _OPAQUE_BUILTINS and getattr(builtins, callee.__name__, None) is callee:
            return callee.__name__
        if callee is np:
            return "np"
        return self.const_name(callee, getattr(callee, "__name__", "fn"))

    def opaque(self, expr, values, hint, callee_name=None):
        target = self.names.fresh("_" + hint.strip("_.") if hint else "_v")
        self.ir_vars.add(target)
        self.emit(Opaque([target], expr, [s.var.name for s in leaves(list(values))], self.loc,
                         callee_name))
        self.fresh_temps.add(target)
        return sym(target)

    def to_node(self, value):
        return expr_of(atomize(value), self.const_name)


class _Range:
    def __init__(self, args) -> None:
        if len(args) == 1:
            args = [0, args[0], 1]
        elif len(args) == 2:
            args = [args[0], args[1], 1]
        self.args = list(args)


class _Missing:
    def __repr__(self):
        return "<missing>"


_MISSING = _Missing()
_LOOP_LOCAL = _Missing()
_PARTIAL = _Missing()
_UNDEFINED = (_MISSING, _LOOP_LOCAL, _PARTIAL)


def P_getitem(base, index):
    return P.getitem(base, index)


def _dotted(node) -> str:
    """``np.cumsum`` for the expression ``np.cumsum`` (what the user wrote)."""
    parts = []
    while isinstance(node, gast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, gast.Name):
        return ""
    parts.append(node.id)
    return ".".join(reversed(parts))


def _path(node) -> str:
    parts = []
    while isinstance(node, gast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, gast.Name):
        parts.append(node.id)
    else:
        return "_".join(reversed(parts)) or "value"
    return "_".join(reversed(parts))


def normalize(src, args, compiler) -> FuncIR:
    """Bind ``src`` (fenced) with ``args`` (RUNTIME or constants) into a FuncIR."""
    return Normalizer(src, args, compiler).run()
