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
loops, unless a ``for`` over a constant ``range`` must be unrolled (its body changes a value's
structure or needs its counter as a constant).

:class:`Normalizer` is made of one part per job, each in its own module:

- this module: the state of one function being bound, its parameters, the emission of IR
  statements (the builder interface ``P`` calls), inputs and constants, and the interface
  the driver uses (``error``, ``names``, ``ir_vars``, ``guards``, ``paths``, ``_remember``,
  ``input_for``, ``emit``, ``loc``, ``src``);
- :mod:`.normalize_stmts`: statements (assignments, ``if``, ``return``), and through it
  :mod:`.normalize_loops`: ``for`` and ``while`` (IR loops, or unrolled when they must be);
- :mod:`.normalize_exprs`: expressions (names, attributes, subscripts, operators), and
  through it :mod:`.normalize_containers`: lists, tuples and dicts, comprehensions,
  ``lambda`` and nested ``def``, f-strings;
- :mod:`.normalize_calls`: calls (what kind of callee each is, one handler per kind);
- :mod:`.normalize_values`: what names are bound to (Syms, constants, ranges, undefined).
"""
from __future__ import annotations

import builtins

import gast
import numpy as np

from .. import rules
from ..errors import CompileError
from ..prims import Sym, binding, has_sym
from ..tensor import Tensor
from .codegen import expr_of
from .ir import RUNTIME, Call, Const, FuncIR, Input, Opaque, Prim, leaves
from .names import RESERVED, NameAllocator
from .normalize_calls import CallsMixin
from .normalize_exprs import ExpressionsMixin
from .normalize_stmts import StatementsMixin
from .normalize_values import MISSING, atomize, sym

__all__ = ["normalize", "atomize", "sym"]


class Normalizer(StatementsMixin, ExpressionsMixin, CallsMixin):
    """Binds one function's source; ``builder`` of the ``P`` primitives it calls.

    ``callees`` is what binds a call to other compiled code (a sub-Cell, a helper function,
    a gradient function): the driver's ``callees.bind_call(nz, callee, args, kwargs, node,
    path)`` normalizes the callee and emits the ``Call``."""

    def __init__(self, src, args: list, callees) -> None:
        self.src = src
        self.callees = callees
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
            value = next(positional, MISSING)
            if value is RUNTIME:
                value = sym(self.new_version(pname))
            elif value is MISSING:
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

    # -- the whole function --------------------------------------------------------------
    def run(self) -> FuncIR:
        with binding(self):
            self.stmts(self.src.node.body)
        fir = FuncIR(self.src.qualname, self.src, self.arg_values, self.user_params,
                     self.inputs, self.block, self.result, self.names, self.consts,
                     self.guards, self.instance_specific, self.ir_vars)
        return fir

    # -- errors --------------------------------------------------------------------------
    def error(self, node, message, hint=None, cls=CompileError):
        line = getattr(node, "lineno", None) or self.loc[1]
        col = getattr(node, "col_offset", None) or 0
        return cls(message + " (in %s)" % self.src.qualname, self.src.filename, line, col,
                   hint=hint)

    # -- emission (the builder interface used by P) --------------------------------------
    def emit(self, stmt):
        self.block.append(stmt)
        return stmt

    def emit_prim(self, prim, bound: dict):
        # a sequence of runtime values where the primitive takes an array: stacked first
        bound = {p: self.as_array(v, prim, p) if p in prim.diff else v
                 for p, v in bound.items()}
        target = self.names.fresh("_" + prim.name)
        self.ir_vars.add(target)
        args = {}
        for p in prim.params:
            if p in bound:
                args[p] = atomize(bound[p])
            else:
                args[p] = Const(prim.defaults[p])
        self.emit(Prim([target], prim, args, self.loc))
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
        """``target = copy(value)`` at the current line (a loop's carried header)."""
        self.emit(Prim([target], rules.REGISTRY["copy"], {"x": atomize(value)}, self.loc))

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

    def _copy_stmt(self, target, value):
        """A merge copy at the end of a branch (no source line of its own)."""
        return Prim([target], rules.REGISTRY["copy"], {"x": atomize(value)})

    def truth(self, cond, node):
        """A runtime condition as a Var holding a Python bool."""
        if not isinstance(cond, Sym):
            raise self.error(node, "this condition is a tuple of runtime values",
                             "reduce it to one value (e.g. with .all() or .any())")
        return cond

    def opaque(self, expr, values, hint, callee_name=None):
        """A Sym for ``expr`` (gast, reading ``values``) run as it is, with no gradient."""
        target = self.names.fresh("_" + hint.strip("_.") if hint else "_v")
        self.ir_vars.add(target)
        self.emit(Opaque([target], expr, [s.var.name for s in leaves(list(values))], self.loc,
                         callee_name))
        self.fresh_temps.add(target)
        return sym(target)

    def to_node(self, value):
        """A bound value as a gast expression (constants named through ``const_name``)."""
        return expr_of(atomize(value), self.const_name)

    # -- inputs and constants ------------------------------------------------------------
    def input_for(self, obj, name_hint: str):
        """The Sym of the extra input ``obj`` (a Parameter or free array), made once."""
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

    def _remember(self, obj, path):
        """Where ``obj`` was found (``('self', 'fc1')``, ``('free', 'w')``): the first path
        wins; an input's path lets code compiled for one instance run on another."""
        if isinstance(obj, (int, float, bool, str, type(None))):
            return
        self.paths.setdefault(id(obj), path)

    def static(self, obj, path: str):
        """A compile-time object found in user code, as a bound value."""
        if isinstance(obj, Tensor) or isinstance(obj, np.ndarray):
            return self.input_for(obj, path)
        return self.container_inputs(obj, path)  # a list/tuple/dict holding Tensors

    def const_name(self, obj, hint: str) -> str:
        """The global name generated code calls ``obj`` by (one per object)."""
        return self.names.name_in(self.consts, obj, hint)


def normalize(src, args, callees) -> FuncIR:
    """Bind ``src`` (fenced) with ``args`` (RUNTIME or constants) into a FuncIR; ``callees``
    binds calls to other compiled code (the driver's ``_Compiler``)."""
    return Normalizer(src, args, callees).run()
