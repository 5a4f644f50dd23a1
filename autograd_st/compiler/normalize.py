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
constants).  Every value read from outside leaves a guard (how to read it again, what it
was: see "guards" below), so code whose folded values changed is never reused; calls with
effects are not folded but run at run time (:mod:`.normalize_calls`, :mod:`.purity`).
``if`` on a constant picks its branch here; ``for`` over a constant tuple is unrolled (a
tuple of sub-Cells, as in SequentialCell); ``for`` over ``range`` and ``while`` stay loops,
unless a ``for`` over a constant ``range`` must be unrolled (its body changes a value's
structure or needs its counter as a constant).

:class:`Normalizer` is made of one part per job, each in its own module:

- this module: the state of one function being bound, its parameters, the emission of IR
  statements (the builder interface ``P`` calls), inputs and constants, and the interface
  the driver uses (``error``, ``names``, ``ir_vars``, ``guards``, ``paths``, ``_remember``,
  ``input_for``, ``emit``, ``loc``, ``src``, ``adopt_guards``, ``returned``), and the guards
  (``read``, ``read_attribute``, ``read_item``, ``use``, ``guard_identity``);
- :mod:`.normalize_stmts`: statements (assignments, ``if``, ``return``), and through it
  :mod:`.normalize_loops`: ``for`` and ``while`` (IR loops, or unrolled when they must be);
- :mod:`.normalize_exprs`: expressions (names, attributes, subscripts, operators), and
  through it :mod:`.normalize_containers`: lists, tuples, dicts, ``lambda``, nested ``def``,
  f-strings, and :mod:`.normalize_comprehensions`: comprehensions (unrolled, or bound as
  the loops they mean), ``max`` / ``min`` / ``sum`` / ``map`` as loops or comparisons;
- :mod:`.normalize_calls`: calls (what kind of callee each is, one handler per kind);
- :mod:`.normalize_values`: what names are bound to (Syms, constants, ranges, undefined).
"""
from __future__ import annotations

import builtins
import contextvars
import types

import numpy as np

from .. import rules
from ..cell import Cell
from ..errors import CompileError
from ..prims import P, Sym, as_python_number, binding, has_sym
from ..rules_lists import LIST_MAKERS
from ..tensor import Parameter, Tensor
from .cache import Guard, structure_signature
from .codegen import expr_of, name
from .ir import RUNTIME, Call, Const, FuncIR, Input, Opaque, Prim, Var, leaves, uses_of
from .loads import FRESH_RESULTS, snapshot_reads
from .names import RESERVED, NameAllocator
from .normalize_calls import CallsMixin
from .normalize_exprs import ExpressionsMixin
from .normalize_stmts import StatementsMixin
from .normalize_values import MISSING, atomize, sym, tuple_like
from .runtime_lists import RuntimeListsMixin
from .trees import name_ids

__all__ = ["normalize", "atomize", "sym", "WEAK_SCALARS"]

WEAK_SCALARS: "contextvars.ContextVar[bool]" = contextvars.ContextVar(
    "autograd_st_weak_scalars", default=False)
"""Whether the code follows MindSpore's semantics (set by the front end for code called with
Tensors or a Cell's): a numpy scalar constant (``np.float64(2.0)``) meeting a runtime value in
an arithmetic operator acts as the Python number it holds (a float32 Tensor times it stays
float32), and ``a += b`` makes a new Tensor; plain numpy functions keep numpy's rules."""


class Normalizer(StatementsMixin, ExpressionsMixin, CallsMixin, RuntimeListsMixin):
    """Binds one function's source; ``builder`` of the ``P`` primitives it calls.

    ``callees`` is what binds a call to other compiled code (a sub-Cell, a helper function,
    a gradient function): the driver's ``callees.bind_call(nz, callee, args, kwargs, node,
    path)`` normalizes the callee and emits the ``Call``."""

    def __init__(self, src, args: list, callees) -> None:
        self.src = src
        self.callees = callees
        # MindSpore's (weak numpy scalars, += a new Tensor), else numpy's (+= writes in place)
        self.mindspore_semantics = WEAK_SCALARS.get()
        # Cell.to_float: the float dtype the Cell's inputs and Parameter reads are cast to
        owner = src.self_obj
        self.mp_dtype = owner.__dict__.get("_mp_dtype") if isinstance(owner, Cell) else None
        self.mp_parameters: dict = {}  # the name of a Parameter's cast read -> its Sym
        node = src.node
        idents = set(name_ids(node))
        idents.update(a.id for a in node.args.args)
        self.names = NameAllocator(idents)
        self.names.taken.update(rules.template_globals())
        self.ir_vars: set = set()
        self.env: dict = {}
        self.block: list = []
        self.fresh_temps: set = set()
        # IR variables holding a new array (FRESH_RESULTS), those a copy made from a value
        # that was not, and those another primitive read (it may hold a view of them): what
        # a Tensor in-place method checks (normalize_calls._in_place_method)
        self.fresh_vars: set = set()
        self.unfresh_vars: set = set()
        self.viewed_vars: set = set()
        # x[i] = v on a Tensor: the IR variables a primitive's result may view (its array
        # arguments' roots), and the values such a write left behind (the old value, its
        # views: numpy would show them the write, the new value is a copy): var -> where
        self.view_roots: dict = {}
        self.stale: dict = {}
        self.inputs: list = []
        self.input_by_id: dict = {}
        self.consts: dict = {}
        self.guards: list = []
        self._guard_keys: set = set()
        # where each compile-time object was read (see "guards" below), kept alive while
        # compiling so that ids stay unique
        self.sources: dict = {}
        self._held: list = []
        self.tracked: set = set()  # Cells (and their tuples) a structure signature covers
        self._used: set = set()  # objects whose items are guarded
        self.dirty: set = set()  # objects run-time code may have changed: read at run time
        self.read_at_run_time: dict = {}  # the variable of such a read -> the object
        self.read_then_changed: set = set()  # ... that the compile had read before that
        self.escaped: set = set()  # containers this compile built that the IR refers to
        # lists merged from a different list on each path of an if on a runtime value (and
        # those lists), by id, held: the merged list is a copy, so changing any of them
        # afterwards would not change the others as Python's aliasing would (refused)
        self.merged_lists: dict = {}
        self.loc = (src.filename, node.lineno, node.col_offset)
        self.result = None
        self.arg_values = []
        self.paths: dict = {}
        self.instance_specific = False
        self._inits: dict = {}  # loop header -> the atom it starts from (for recomputation)
        self.rest_stack: list = []  # per level, [block, i]: block[i:] follows the statement
        params = [a.id for a in node.args.args]
        defaults = node.args.defaults
        func_defaults = src.func.__defaults__ or ()
        start = 0
        if src.self_obj is not None and params:
            self.env[params[0]] = src.self_obj
            self.paths[id(src.self_obj)] = ("self",)
            self.note(src.self_obj, (("self",), (), True))
            if isinstance(src.self_obj, Cell):  # the cache key has its structure; what a
                self.tracked.add(id(src.self_obj))  # plain object's method reads is guarded
            start = 1
        for guard in src.guards:    # generated code: what its own compile folded in
            self.add_guard(guard)
        self.user_params = params[start:]
        self.user_params = [p for p in self.user_params if p not in src.bound_args] + \
            [p for p in self.user_params if p in src.bound_args]
        n_user = len([p for p in self.user_params if p not in src.bound_args])
        # *args, keyword-only parameters and **kwargs (see ``split_extended``): the extra
        # positional arguments, then one per keyword-only parameter, then the kwargs dict
        args, extra, tail, tail_names = split_extended(node.args, n_user, list(args))
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
                k = i - (len(self.user_params) - len(func_defaults))
                value = func_defaults[k]
                self.read(value, (("const", src.func),
                                  (("attr", "__defaults__"), ("item", k)), False))
                if isinstance(value, (Tensor, np.ndarray)):
                    # a Tensor default: an input of the generated code, as a free Tensor is
                    # (folded in as the Tensor object, numpy code would meet a Tensor)
                    self.env[pname] = self.input_for(value, pname)
                    self.arg_values.append(value)
                    continue
            else:
                value = self._bind_value(value, pname)
            self.env[pname] = value
            self.arg_values.append(value)
        if extra is not None:  # *args: a tuple of the extra positional arguments
            name = node.args.vararg.id
            values = []
            for k, value in enumerate(extra):
                value = self._bind_value(value, "%s_%d" % (name, k))
                values.append(value)
                self.arg_values.append(value)
                self.user_params.append("%s[%d]" % (name, k))
            self.env[name] = tuple(values)
        for pname, value in zip(tail_names, tail):
            if value is RUNTIME or has_sym(value) or isinstance(value, (tuple, dict)):
                value = self._bind_value(value, pname)
            # (else a constant the caller gives: a keyword-only default, {} for **kwargs)
            self.env[pname] = value
            self.arg_values.append(value)
            self.user_params.append(pname)

    def _bind_value(self, value, pname):
        """One argument as the function sees it: a runtime value, a structure with runtime
        leaves, or a constant (guarded from the argument)."""
        if value is RUNTIME:
            return sym(self.new_version(pname))
        if has_sym(value) or isinstance(value, (tuple, dict)):
            return self._bind_structure(value, pname)
        self.found(value, (("arg", len(self.arg_values)), (), False))
        return value

    def _bind_structure(self, value, pname):
        """A tuple or dict argument whose leaves are runtime: each leaf becomes a parameter
        name (a dict's in the order of its keys, as ``leaves`` reads them)."""
        counter = [0]

        def rec(v):
            if v is RUNTIME or isinstance(v, Sym):
                name = self.names.fresh("%s_%d" % (pname, counter[0]))
                counter[0] += 1
                self.ir_vars.add(name)
                return sym(name)
            if isinstance(v, tuple):
                return tuple_like(v, [rec(e) for e in v])
            if type(v) is dict:  # (a constant dict stays the object it is)
                new = {k: rec(e) for k, e in v.items()}
                return new if any(new[k] is not e for k, e in v.items()) else v
            return v
        return rec(value)

    # -- the whole function --------------------------------------------------------------
    def run(self) -> FuncIR:
        with binding(self):
            if self.mp_dtype is not None and self.src.func.__name__ == "construct":
                self._cast_arguments()
            self.stmts(self.src.node.body)
        fir = FuncIR(self.src.qualname, self.src, self.arg_values, self.user_params,
                     self.inputs, snapshot_reads(self.block, self.names, self.ir_vars),
                     self.result, self.names, self.consts,
                     self.guards, self.instance_specific, self.ir_vars)
        return fir

    def _own_parameter(self, obj) -> bool:
        """Whether ``obj`` is one of the Cell's own Parameters (those a ``to_float`` Cell
        reads in its precision; a sub-Cell's are cast when that Cell is called)."""
        return any(obj is p for p in self.src.self_obj.__dict__["_params"].values())

    def _cast_arguments(self) -> None:
        """A Cell after ``to_float``: its runtime arguments (not those inside tuples or
        lists, as MindSpore) cast to its float dtype where ``construct`` starts."""
        for pname in self.user_params:
            value = self.env.get(pname)
            if isinstance(value, Sym):
                self.env[pname] = P.mp_cast(value, self.mp_dtype)

    # -- errors --------------------------------------------------------------------------
    def error(self, node, message, hint=None, cls=CompileError):
        line = getattr(node, "lineno", None) or self.loc[1]
        col = getattr(node, "col_offset", None) or 0
        return cls(message + " (in %s)" % self.src.qualname, self.src.filename, line, col,
                   hint=hint)

    # -- emission (the builder interface used by P) --------------------------------------
    def emit(self, stmt):
        if self.stale and isinstance(stmt, (Prim, Call, Opaque)):
            self.check_not_stale(uses_of(stmt))
        self.block.append(stmt)
        return stmt

    def emit_prim(self, prim, bound: dict):
        self.rt_check_prim(prim, bound)  # a run-time list is no array
        ref = bound.get("ref")
        if isinstance(ref, Sym) and ref.var.name in self.mp_parameters:
            # (to_float: assign(self.moving_mean, v) writes the Parameter, not its cast read)
            bound = dict(bound, ref=self.mp_parameters[ref.var.name])
        # a sequence where the primitive takes an array: stacked; np.float64(2.0) weak in MS
        if any(isinstance(v, (tuple, list, np.generic)) for v in bound.values()):
            bound = {p: self.as_array(v, prim, p) if p in prim.diff else v for p, v in bound.items()}
            if self.mindspore_semantics:
                bound = {p: as_python_number(v) if p in prim.diff else v for p, v in bound.items()}
        target = self.names.fresh("_" + prim.name)
        self.ir_vars.add(target)
        args = {}
        for p in prim.params:
            if p in bound:
                args[p] = atomize(bound[p])
            else:
                args[p] = Const(prim.defaults[p])
            if isinstance(args[p], Const) and isinstance(args[p].value, (list, dict, set)):
                self.escaped.add(id(args[p].value))  # the IR refers to it from now on
        self.emit(Prim([target], prim, args, self.loc))
        self.fresh_temps.add(target)
        if prim.name in FRESH_RESULTS:
            self.fresh_vars.add(target)
        elif prim.name == "cast_like":  # (in-place methods: their result in self's dtype)
            self._copy_fresh(target, args["g"])
        if prim.name not in FRESH_RESULTS and prim.name not in ("cast_like", "assign", "load"):
            self.viewed_vars.update(a.name for a in args.values() if isinstance(a, Var))
            # (numpy's views are of the array a function is given first: x[i], x.reshape,
            # x.T; an index or a shape it reads is not viewed)
            first = next((a for a in args.values() if isinstance(a, Var)), None)
            if first is not None:
                self.view_roots[target] = self.view_roots.get(first.name, {first.name})
        if prim.name in LIST_MAKERS:  # ops.split(x, 3): a list of parts made at run time
            self.rt_lists.add(target)
            self.rt_origin[target] = target
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

    def _copy_fresh(self, target: str, value) -> None:
        """``target`` holds ``value`` (a merge, a carried header): a new array only if every
        value copied into it is one."""
        src = value.var.name if isinstance(value, Sym) else getattr(value, "name", None)
        if src in self.fresh_vars and src not in self.unfresh_vars and target not in self.unfresh_vars:
            self.fresh_vars.add(target)
        else:
            self.unfresh_vars.add(target)

    def copy_to(self, target: str, value):
        """``target = copy(value)`` at the current line (a loop's carried header)."""
        self._copy_fresh(target, value)
        self.rt_copied(target, value)
        self.emit(Prim([target], rules.REGISTRY["copy"], {"x": atomize(value)}, self.loc))

    def bind(self, name: str, value):
        """``name = value`` in user code.  A runtime value that the statement just made and
        nothing else holds (a fresh temporary, see ``escape``) takes the user's name: its
        statement is retargeted, as the user wrote it."""
        if isinstance(value, Sym) and value.var.name in self.fresh_temps and self.block \
                and isinstance(self.block[-1], (Prim, Call, Opaque)) \
                and self.block[-1].targets == [value.var.name]:
            new = self.new_version(name)
            self.rt_copied(new, value)
            self.block[-1].targets = [new]
            self.fresh_temps.discard(value.var.name)
            if value.var.name in self.fresh_vars:
                self._copy_fresh(new, value)
            if value.var.name in self.view_roots:
                self.view_roots[new] = self.view_roots[value.var.name]
            value = sym(new)
        else:
            self.fresh_temps.discard(value.var.name if isinstance(value, Sym) else None)
        self.env[name] = value

    def escape(self, value) -> None:
        """The runtime values in ``value`` are held by more than the expression being bound
        (a list they were put into, a second name): none of them may be renamed."""
        self.fresh_temps.difference_update(s.var.name for s in leaves(value))

    def _copy_stmt(self, target, value):
        """A merge copy at the end of a branch (no source line of its own)."""
        self._copy_fresh(target, value)
        self.rt_copied(target, value)
        return Prim([target], rules.REGISTRY["copy"], {"x": atomize(value)})

    def truth(self, cond, node):
        """A runtime condition as a Var holding a Python bool."""
        if not isinstance(cond, Sym):
            raise self.error(node, "this condition is a tuple of runtime values",
                             "reduce it to one value (e.g. with .all() or .any())")
        return cond

    def opaque(self, expr, values, hint, callee_name=None, stores=False, effect=False,
               writes=False):
        """A Sym for ``expr`` (gast, reading ``values``) run as it is, with no gradient
        (``stores``: it keeps the values in an object from outside; ``effect``: running it
        does more than compute its value; ``writes``: it may write into the values)."""
        self.rt_check_values(values, "%s(%%s)" % (callee_name or hint or "Python code"))
        target = self.names.fresh("_" + hint.strip("_.") if hint else "_v")
        self.ir_vars.add(target)
        self.emit(Opaque([target], expr, [s.var.name for s in leaves(list(values))], self.loc,
                         callee_name, stores, effect or stores, writes))
        self.fresh_temps.add(target)
        return sym(target)

    def to_node(self, value):
        """A bound value as a gast expression for run-time code (constants named through
        ``const_name``).  An object the function read from outside (a global list, an
        attribute of ``self``, an argument) is passed as itself, not as a copy of its items,
        and its identity is guarded: run-time code may change it."""
        if not isinstance(value, _SCALARS + (tuple, slice, Sym)) and id(value) in self.sources:
            self.guard_identity(value)
            return name(self.const_name(value, type(value).__name__.lower()))
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
        """A compile-time object found in user code, as a bound value (its value is used:
        the items of a list, dict or set read from outside are guarded)."""
        if isinstance(obj, Tensor) or isinstance(obj, np.ndarray):
            if self.mp_dtype is not None and isinstance(obj, Parameter) \
                    and self._own_parameter(obj):  # (to_float: as the eager call casts)
                raw = self.input_for(obj, path)
                cast = P.mp_cast(raw, self.mp_dtype)
                self.mp_parameters[cast.var.name] = raw
                return cast
            return self.input_for(obj, path)
        if id(obj) in self.dirty:
            return self.runtime_ref(obj, path)
        self.use(obj)
        return self.container_inputs(obj, path)  # a list/tuple/dict holding Tensors

    def const_name(self, obj, hint: str) -> str:
        """The global name generated code calls ``obj`` by (one per object)."""
        return self.names.name_in(self.consts, obj, hint)

    # -- guards: every value the code folds in, where it was read and what it was -------
    #
    # Each compile-time object the function reads from outside has a *source*: a root
    # (``("self",)``, ``("arg", i)``, ``("const", obj)``: a namespace, a closure, a held
    # object), the steps from it (``("attr", a)``, ``("item", k)``, ``("ns", name)``), and
    # whether the place is *fixed* (reached through attributes of Cells only: it changes
    # only by ``Cell.__setattr__``, which moves the structure epoch).  Reading a value
    # records a :class:`~autograd_st.compiler.cache.Guard` of what it was (``read``); using a
    # list, dict or set as a whole guards its items (``use``).  Attributes of a Cell whose
    # structure the cache key or a "struct" guard covers are not guarded one by one.

    def note(self, obj, source) -> None:
        """``obj`` was found at ``source`` (the first source wins)."""
        if isinstance(obj, _SCALARS) or isinstance(obj, Sym) or id(obj) in self.sources:
            return
        self.sources[id(obj)] = source
        self._held.append(obj)

    def found(self, obj, source) -> None:
        """``obj`` was found at ``source``, its identity guarded by something else (it is an
        item of a tuple, or of a list whose items are guarded): a Cell's structure still
        is guarded (its attributes are read unguarded, as self's are)."""
        self.note(obj, source)
        if isinstance(obj, Cell) and id(obj) not in self.tracked:
            self._guard(source, "struct", structure_signature(obj), obj, False)
            self.tracked.add(id(obj))

    def add_guard(self, guard) -> None:
        key = guard.key()
        if key not in self._guard_keys:
            self._guard_keys.add(key)
            self.guards.append(guard)

    def _guard(self, source, check, expected, obj, hot) -> None:
        root, steps, fixed = source
        self.add_guard(Guard(root, steps, check, expected, hot, fixed, obj))

    def read(self, obj, source, by_identity=False) -> None:
        """``obj`` was read at ``source`` and is folded in: guard what it is there now
        (its identity, or for a number, a string or a tuple of them its value; with
        ``by_identity``, always its identity: a namespace's entry)."""
        fixed = source[2]
        if isinstance(obj, _SCALARS) and not by_identity:
            self._guard(source, "eq", obj, obj, not fixed)
        elif type(obj) is tuple and _flat(obj) and not by_identity:
            self._guard(source, "seq", obj, obj, not fixed)
        elif isinstance(obj, types.MethodType):  # made anew at each read: its function
            root, steps, _ = source
            self._guard((root, steps + (("attr", "__func__"),), fixed), "id", obj.__func__,
                        obj.__func__, not fixed)
        elif isinstance(obj, types.BuiltinMethodType) and obj.__self__ is not None \
                and not isinstance(obj.__self__, types.ModuleType):
            # a builtin method of an object guarded where it was read; its object (a list
            # whose append generated code calls) is found there too, not one this compile
            # built (whose methods run at compile time)
            root, steps, _ = source
            self.note(obj.__self__, (root, steps + (("attr", "__self__"),), False))
        else:
            self._guard(source, "id", obj, obj, not fixed)
            self.found(obj, source)

    def read_attribute(self, base, attr: str, obj) -> None:
        """``obj`` is ``base.attr``: guarded when ``base`` was read from outside."""
        source = self.sources.get(id(base))
        if source is None:
            return  # base was made by this compile (from guarded values)
        root, steps, fixed = source
        steps = steps + (("attr", attr),)
        if id(base) in self.tracked and attr in getattr(base, "__dict__", ()):
            # an attribute of a Cell whose structure is covered (or of a tuple in one)
            self.note(obj, (root, steps, fixed))
            if isinstance(obj, (Cell, tuple)):
                self.tracked.add(id(obj))
            return
        self.read(obj, (root, steps, False))

    def read_item(self, base, index, obj) -> None:
        """``obj`` is ``base[index]`` (a constant index): guarded when ``base`` was read
        from outside (a tuple's items are what its identity says)."""
        base_path = self.paths.get(id(base))
        if base_path is not None and isinstance(index, int):
            self._remember(obj, base_path + (index,))
        source = self.sources.get(id(base))
        if source is None:
            return
        try:
            hash(index)
        except TypeError:  # a slice: a new object, made from the guarded items
            return
        root, steps, fixed = source
        place = (root, steps + (("item", index),), fixed and isinstance(base, tuple))
        if id(base) in self.tracked and isinstance(base, tuple):  # in a Cell's structure
            self.note(obj, place)
            if isinstance(obj, (Cell, tuple)):
                self.tracked.add(id(obj))
        elif isinstance(base, tuple) or id(base) in self._used:  # its items are guarded
            self.found(obj, place)
        else:
            self.read(obj, place)

    def use(self, obj) -> None:
        """``obj``'s items are folded in (iterated, measured, compared, passed on): guard
        them, when ``obj`` is a list, dict or set read from outside (a tuple's items are
        guarded through its identity, but for the lists and dicts in it)."""
        if type(obj) not in (list, dict, set, tuple) or id(obj) in self._used:
            return
        source = self.sources.get(id(obj))
        if source is None or id(obj) in self.tracked:
            return
        self._used.add(id(obj))
        root, steps, fixed = source
        if type(obj) is set:
            self._guard(source, "set", set(obj), obj, True)
            return
        if type(obj) is dict:
            self._guard(source, "keys", list(obj), obj, True)
            items = list(obj.items())
        elif type(obj) is list and _flat(obj):
            self._guard(source, "seq", list(obj), obj, True)
            return
        elif type(obj) is list and not any(isinstance(v, _SCALARS + (list, dict, set, tuple))
                                           for v in obj):
            self._guard(source, "ids", list(obj), obj, True)
            for i, v in enumerate(obj):
                self.found(v, (root, steps + (("item", i),), False))
            return
        else:
            if type(obj) is list:
                self._guard(source, "len", (list, len(obj)), obj, True)
            items = list(enumerate(obj))
        for k, v in items:
            place = (root, steps + (("item", k),), fixed and type(obj) is tuple)
            if type(obj) is tuple:
                self.found(v, place)
            else:
                self.read(v, place)
            self.use(v)

    def guard_identity(self, obj) -> None:
        """Run-time code refers to ``obj`` itself: guard that its source still holds it."""
        source = self.sources.get(id(obj))
        if source is not None and not source[2]:
            self._guard(source, "id", obj, obj, True)

    def adopt_guards(self, fir, self_obj, args) -> None:
        """A callee's guards, read from here: its ``self`` and its arguments are found where
        this function found them (or held, when this compile made them)."""
        for g in fir.guards:
            kind = g.root[0]
            if kind == "const":
                self.add_guard(g)
                continue
            value = self_obj if kind == "self" else args[g.root[1]]
            source = self.sources.get(id(value))
            if source is None:
                if not g.steps and isinstance(value, _SCALARS + (tuple,)):
                    continue  # a constant this function computed from what it guards
                source = (("const", value), (), True)
            self.add_guard(g.rebased(*source))

    def returned(self, value) -> None:
        """``value`` is what a compiled callee returned: an object in it that this function
        did not find itself (the callee read it from outside, or made it once for every
        caller) is read from the object itself, so what is read from it is guarded."""
        if isinstance(value, tuple):
            for v in value:
                self.returned(v)
        elif not isinstance(value, _SCALARS + (Sym,)) and id(value) not in self.sources:
            self.found(value, (("const", value), (), False))

    def runtime_ref(self, obj, hint: str):
        """``obj`` as a run-time value: run-time code may have changed it since the compile
        read it (it was passed to a call that runs at run time), so it is read when the
        generated code runs, not folded in."""
        self.guard_identity(obj)
        expr = name(self.const_name(obj, hint or type(obj).__name__.lower()))
        out = self.opaque(expr, [], hint or "value")
        self.read_at_run_time[out.var.name] = obj
        return out


_SCALARS = (int, float, complex, str, bytes, bool, type(None))


def _flat(seq) -> bool:
    """A sequence of plain scalars (no NaN: NaN != NaN)."""
    return all(isinstance(v, _SCALARS) and v == v for v in seq)


def split_extended(a, n_named, args) -> tuple:
    """``(named, extra, tail, tail_names)`` of a function's arguments: a function with
    ``*args``, keyword-only parameters or ``**kwargs`` is called with its named positional
    arguments, then the extra positional ones (``extra``: the tuple ``*args`` binds, None
    without ``*args``), then one value per keyword-only parameter and the ``**kwargs`` dict
    (``tail``: the caller gives all of them, see frontend.bind_extended and the boundary)."""
    tail_names = [k.id for k in a.kwonlyargs] + ([a.kwarg.id] if a.kwarg is not None else [])
    if a.vararg is None and not tail_names:
        return args, None, [], []
    cut = len(args) - len(tail_names)
    tail = args[cut:]
    named = args[:min(n_named, cut)]
    extra = args[len(named):cut] if a.vararg is not None else None
    return named, extra, tail, tail_names


def normalize(src, args, callees) -> FuncIR:
    """Bind ``src`` (fenced) with ``args`` (RUNTIME or constants) into a FuncIR; ``callees``
    binds calls to other compiled code (the driver's ``_Compiler``).

    When the function changes an object at run time (``log.append(1)``) that it read before
    (``n = len(log)``), what it read is stale on the next call and its guards would fail on
    every call: it is bound again with that object read at run time from the start."""
    nz = Normalizer(src, args, callees)
    fir = nz.run()
    if nz.read_then_changed:
        again = Normalizer(src, args, callees)
        again.dirty.update(nz.read_then_changed)
        again._held.append(nz._held)  # the same objects (their ids) stay alive
        fir = again.run()
    return fir
