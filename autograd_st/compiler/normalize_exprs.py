"""Expressions: names, constants, containers, attributes, subscripts and operators.

Takes: one user expression (gast), in the normalizer's current environment.
Gives: its bound value (see :mod:`.normalize_values`): a constant when every operand is
one (operators, attributes and subscripts of constants are evaluated now), otherwise a Sym
whose statements have been emitted: operators, comparisons, ``x.T`` / ``x.shape`` and
indexing of runtime values become primitives through ``P``; ``not``, ``and`` / ``or`` of
runtime values and attributes with no binding become ``Opaque`` statements.

Names resolve at compile time: the environment first, then the function's closure, globals
and builtins (each such read recorded as a guard, and its object's path remembered);
Tensors and arrays found there become extra inputs.  Calls are :mod:`.normalize_calls`'s.

:class:`ExpressionsMixin` is one part of :class:`~autograd_st.compiler.normalize.Normalizer`
and uses its state (``env``, ``block``, ``loc``, ``paths``, ``guards``, ...) and its
emission helpers (``opaque``, ``to_node``, ``static``, ``truth``).
"""
from __future__ import annotations

import types

import gast
import numpy as np

from ..errors import CompileError, UnsupportedSyntaxError
from ..prims import P, Sym, has_sym
from ..tensor import Tensor
from . import bindings, purity
from .ir import ABSENT, If, leaves
from .normalize_comprehensions import ComprehensionsMixin
from .normalize_containers import ContainersMixin
from .normalize_values import (
    LOOP_LOCAL,
    MISSING,
    NOT_HANDLED,
    PARTIAL,
    SymList,
    name_hint,
    sym,  # noqa: F401, I001  (_bool_opaque of this base reads it)
)
from .trees import walk

__all__ = ["ExpressionsMixin"]

# operators on runtime values: the primitive each becomes
_BINOPS = {gast.Add: "add", gast.Sub: "sub", gast.Mult: "mul", gast.Div: "div",
           gast.Pow: "pow", gast.MatMult: "matmul", gast.FloorDiv: "floordiv",
           gast.Mod: "mod"}
_CMPOPS = {gast.Lt: "less", gast.LtE: "less_equal", gast.Gt: "greater",
           gast.GtE: "greater_equal", gast.Eq: "equal", gast.NotEq: "not_equal"}
# operators on constants: evaluated now
_PY_BINOPS = {gast.Add: lambda a, b: a + b, gast.Sub: lambda a, b: a - b,
              gast.Mult: lambda a, b: a * b, gast.Div: lambda a, b: a / b,
              gast.Pow: lambda a, b: a ** b, gast.MatMult: lambda a, b: a @ b,
              gast.FloorDiv: lambda a, b: a // b, gast.Mod: lambda a, b: a % b,
              gast.BitAnd: lambda a, b: a & b, gast.BitOr: lambda a, b: a | b,
              gast.BitXor: lambda a, b: a ^ b, gast.LShift: lambda a, b: a << b,
              gast.RShift: lambda a, b: a >> b}
_PY_CMPOPS = {gast.Lt: lambda a, b: a < b, gast.LtE: lambda a, b: a <= b,
              gast.Gt: lambda a, b: a > b, gast.GtE: lambda a, b: a >= b,
              gast.Eq: lambda a, b: a == b, gast.NotEq: lambda a, b: a != b,
              gast.Is: lambda a, b: a is b, gast.IsNot: lambda a, b: a is not b,
              gast.In: lambda a, b: a in b, gast.NotIn: lambda a, b: a not in b}


class ExpressionsMixin(ContainersMixin, ComprehensionsMixin):
    """Binds expressions (see the module docstring); containers, comprehensions, local
    functions and f-strings are :class:`~.normalize_containers.ContainersMixin`'s."""

    def type_test(self, callee, value, what, node):
        """``isinstance(value, what)`` or ``hasattr(value, what)`` of a runtime value, as the
        direct call answers it.  Where the code runs with Tensors (a Cell, or Tensors
        given), a runtime array is a Tensor there (:func:`rules.tensor_isinstance`).  Where it
        runs with numpy values, an argument is what was given (asked when the code runs);
        a value computed from them is an ndarray or a numpy scalar (``np.sum``'s), so the
        answer is folded in where both give it, else refused rather than guessed."""
        if self.mindspore_semantics:
            if callee is isinstance:
                return P.isinstance(value, what)
            return hasattr(Tensor, what)
        if any(s.var.name == value.var.name for s in leaves(self.arg_values)):
            return NOT_HANDLED  # (run as it is on the argument: what the caller gave)
        test = issubclass if callee is isinstance else hasattr
        answers = {bool(test(t, what)) for t in (np.ndarray, np.float64)}
        if len(answers) == 1:
            return answers.pop()
        raise self.error(node, "%s(...) of a value computed from numpy arrays: it is an "
                         "ndarray, or a numpy scalar where a reduction made it, and the two "
                         "answer differently" % callee.__name__,
                         "test the argument the function was given, or np.ndim(value) "
                         "(0 for a numpy scalar), instead", cls=UnsupportedSyntaxError)

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

    # -- names ---------------------------------------------------------------------------
    def e_Constant(self, node):
        return node.value

    def e_Name(self, node):
        return self.load_name(node.id, node)

    def load_name(self, name, node, whole=True):
        """The value of ``name``; ``whole``: the value itself is used (not only an attribute
        of it), so a list, dict or set read from outside has its items guarded."""
        if name in self.env:
            value = self.env[name]
            if value is LOOP_LOCAL:
                raise self.error(node, "%r is assigned inside a loop but not before it" % name,
                                 "give it a value before the loop")
            if value is PARTIAL:
                raise self.error(node, "%r is assigned in only one branch of an if, so it may "
                                 "be undefined here" % name,
                                 "assign it in every branch (or before the if)")
            if value is MISSING:  # a local of a nested function, not assigned yet
                raise self.error(node, "local variable %r is read before it is assigned" % name,
                                 "assign it before reading it")
            self.check_bound(name, value, node)
            if isinstance(value, SymList):  # (a list a loop has made a run-time list since)
                value = self.rt_follow(value, node)
            if not isinstance(value, Sym) and id(value) in self.dirty:
                return self.runtime_ref(value, name)
            if whole and not isinstance(value, Sym):
                self.use(value)
            return value
        if name in self.local_names():  # not a global: Python raises UnboundLocalError
            raise self.error(node, "local variable %r is read before it is assigned" % name,
                             "assign it before reading it")
        found, obj = self.src.lookup(name)
        if not found:
            raise self.error(node, "name %r is not defined" % name, cls=CompileError)
        if name in self.src.closure:  # read again from its cell (rebound by nonlocal)
            cell = self.src.func.__closure__[self.src.func.__code__.co_freevars.index(name)]
            self.read(obj, (("const", cell), (("attr", "cell_contents"),), False), True)
        elif name in self.src.globals:
            self.read(obj, (("const", self.src.globals), (("ns", name),), False), True)
        else:  # a builtin: stays valid while no global of that name appears
            self._guard((("const", self.src.globals), (("ns", name),), False), "id", ABSENT,
                        obj, True)
        self._remember(obj, ("free", name))
        return self.static(obj, name) if whole else self._object_value(obj, name)

    def object_of(self, node):
        """The value of ``node`` where only its attributes are read (``calls`` in
        ``calls.append``, ``cfg`` in ``cfg.scale``): a list read from outside is not
        thereby used whole."""
        if isinstance(node, gast.Name):
            prev = self.loc
            self.loc = (self.src.filename, getattr(node, "lineno", prev[1]),
                        getattr(node, "col_offset", prev[2]))
            try:
                return self.load_name(node.id, node, whole=False)
            finally:
                self.loc = prev
        if isinstance(node, gast.Attribute):
            base = self.object_of(node.value)
            if not isinstance(base, Sym):
                return self._object_value(self.attribute_of(base, node.attr, node),
                                          name_hint(node))
        return self.expr(node)

    def _object_value(self, obj, hint):
        if id(obj) in self.dirty:
            return self.runtime_ref(obj, hint)
        if isinstance(obj, Tensor) or isinstance(obj, np.ndarray):
            return self.input_for(obj, hint)
        return obj

    # -- containers, attributes, subscripts ----------------------------------------------
    def e_Tuple(self, node):
        joined = self.rt_display(node)
        return joined if joined is not None else tuple(self.display_items(node))

    def e_Dict(self, node):
        out = {}
        for k, v in zip(node.keys, node.values):
            if k is None:  # {**d, ...}: the items of a dict known when the code is compiled
                items = self.expr(v)
                if not isinstance(items, dict):
                    raise self.error(v, "**-unpacking %s in a dict display"
                                     % ("a runtime value" if isinstance(items, Sym) else
                                        "a " + type(items).__name__),
                                     "unpack a dict the code is compiled with (a global, an "
                                     "attribute, a dict the function builds), or write the "
                                     "items one by one", cls=UnsupportedSyntaxError)
                out.update(items)
                continue
            key, value = self.expr(k), self.expr(v)
            if has_sym(key):
                raise self.error(node, "dict keys must be constants",
                                 "use strings or numbers as keys (a runtime value is not known "
                                 "when the code is compiled): {'total': ops.sum(x)}, not "
                                 "{ops.sum(x): x}")
            out[key] = value
        return out

    def e_Slice(self, node):
        lower = self.expr(node.lower) if node.lower is not None else None
        upper = self.expr(node.upper) if node.upper is not None else None
        step = self.expr(node.step) if node.step is not None else None
        return slice(lower, upper, step)

    def e_Attribute(self, node):
        base = self.object_of(node.value)
        if self.is_rt_list(base):  # push = outs.append
            return self.rt_attribute(base, node.attr, node)
        if isinstance(base, Sym):
            fn = bindings.attribute(node.attr)
            if fn is not None:
                return fn(base)
            return self.opaque(gast.Attribute(value=self.to_node(base), attr=node.attr,
                                              ctx=gast.Load()), [base], node.attr)
        return self.static(self.attribute_of(base, node.attr, node), name_hint(node))

    def attribute_of(self, base, attr: str, node):
        """``base.attr`` of a compile-time object, remembered on ``base``'s attribute path
        (so a Parameter found there is an input named after it)."""
        try:
            obj = getattr(base, attr)
        except AttributeError as exc:
            raise self.error(node, str(exc)) from None
        base_path = self.paths.get(id(base))
        if base_path is not None:
            self._remember(obj, base_path + (attr,))
        self.read_attribute(base, attr, obj)
        return obj

    def e_Subscript(self, node):
        base = self.expr(node.value)
        index = self.expr(node.slice)
        if self.is_rt_list(base):  # outs[-1] on a list built at run time
            return self.rt_item(base, index, node)
        if isinstance(base, Sym):
            return P.getitem(base, index)
        if has_sym(index):
            return self.subscript_runtime(node, base, index)
        try:
            obj = base[index]
        except (IndexError, KeyError, TypeError) as exc:
            raise self.error(node, "%s: %s" % (type(exc).__name__, exc)) from None
        if isinstance(base, SymList) and isinstance(index, slice):
            return SymList(obj)  # a slice of the function's own list is its own too
        obj = self.rt_follow(obj, node)  # (a list in a tuple, made a run-time list since)
        self.read_item(base, index, obj)
        return self.static(obj, name_hint(node.value) + "_%s" % (index,))

    # -- operators -----------------------------------------------------------------------
    def e_BinOp(self, node):
        left = self.expr(node.left)
        right = self.expr(node.right)
        return self.binop(type(node.op), left, right, node)

    def binop(self, op, left, right, node):
        seq_l, seq_r = isinstance(left, (tuple, list)), isinstance(right, (tuple, list))
        if op is gast.Add and seq_r and self.is_rt_list(left) and not self.is_rt_list(right):
            return self.rt_concat(left, right, node)  # outs + (h,): a new run-time list
        if (seq_l and seq_r) or ((seq_l or seq_r) and has_sym([left, right])
                                 and not isinstance(left if seq_r else right, Sym)):
            return self.sequence_op(op, left, right, node)  # concatenation, repetition
        if not has_sym(left) and not has_sym(right):
            fn = _PY_BINOPS.get(op)
            if fn is None:
                raise self.error(node, "operator %s is not supported" % op.__name__)
            return self.static(fn(left, right), "const")
        name = _BINOPS.get(op)
        if name is None:
            raise self.error(node, "operator %s on runtime values is not supported"
                             % op.__name__, "use the ops function for it (ops.logical_and, "
                             "ops.logical_or, ...), or apply it to compile-time values",
                             cls=UnsupportedSyntaxError)
        if (seq_l and has_sym(left)) or (seq_r and has_sym(right)):
            raise self.error(node, "arithmetic between a runtime value and a %s of runtime "
                             "values" % ("tuple" if isinstance(left if seq_l else right, tuple)
                                         else "list"),
                             "make it one Tensor first (ops.stack), or operate on its items")
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
        return P.logical_not(operand)  # ~mask: a Tensor's ~, logical (MindSpore's, measured)

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
                    if type(op) in (gast.Is, gast.IsNot) and has_sym(left) != has_sym(right):
                        # a runtime value, or a tuple, list or dict holding some, is never
                        # None or a constant object
                        value = type(op) is gast.IsNot
                    else:
                        raise self.error(node, "%s on a runtime value is not supported"
                                         % type(op).__name__,
                                         "compare values with == (ops.equal) and combine the "
                                         "results, or test a compile-time value")
                else:
                    value = getattr(P, name)(left, right)
            result = value if result is None else self.boolop(gast.And, [result, value], node)
            left = right
        return result

    def e_BoolOp(self, node):
        """``a and b`` / ``a or b``: each operand is bound only when Python would evaluate
        it (a constant decides at compile time); an operand after a runtime one that calls
        anything runs in its own branch, so its effects happen only when Python's do."""
        op = type(node.op)
        values = []
        for i, operand in enumerate(node.values):
            if values and has_sym(values) and self._may_have_effects(operand):
                return self._lazy_boolop(op, values, node.values[i:], node)
            value = self.expr(operand)
            values.append(value)
            if not has_sym(value) and ((op is gast.And and not value)
                                       or (op is gast.Or and value)):
                break  # Python stops here: the operands after it are never evaluated
        return self.boolop(op, values, node)

    def _may_have_effects(self, node) -> bool:
        """Whether evaluating ``node`` may call something that is not known to be pure: a
        call whose callee, looked up without running anything, is not a primitive, an
        ``ops``/numpy function, a Tensor method or on the purity table."""
        for n in walk(node):
            if isinstance(n, gast.Call) and not self._pure_callee_of(n.func):
                return True
        return False

    def _pure_callee_of(self, func) -> bool:
        chain = []
        while isinstance(func, gast.Attribute):
            chain.append(func.attr)
            func = func.value
        if not isinstance(func, gast.Name):
            return len(chain) == 1 and bindings.method(chain[0]) is not None  # (x * y).sum()
        name = func.id
        if name in self.env:
            value = self.env[name]
            if isinstance(value, Sym):  # a method of a runtime value: a Tensor method
                return len(chain) == 1 and bindings.method(chain[0]) is not None
            obj = value
        else:
            found, obj = self.src.lookup(name)  # closure, globals, builtins (nothing runs)
            if not found:
                return False
        for attr in reversed(chain):
            if not isinstance(obj, types.ModuleType):  # only a module's attribute is read
                return False
            obj = getattr(obj, attr, None)
        return bindings.lookup(obj) is not None or purity.is_pure(obj, (), {})

    def _lazy_boolop(self, op, values, rest, node):
        """``values`` (bound) combined with ``rest`` (nodes), the rest bound in the branch
        where Python evaluates it: ``first and rest`` is ``rest if first else first``."""
        tail = rest[0] if len(rest) == 1 else gast.copy_location(
            gast.BoolOp(op=op(), values=list(rest)), rest[0])
        return self._choose(op, self.boolop(op, values, node), lambda: self.expr(tail), node)

    def _choose(self, op, first, bind_tail, node):
        """Python's ``first and tail`` / ``first or tail`` with ``first`` a runtime value:
        ``tail`` (bound by ``bind_tail``, in the branch where Python evaluates it) if
        ``first`` is true (false for ``or``), else ``first``; tuples, lists and dicts merged
        item by item, so the gradient flows to the operand chosen."""
        cond = self.truth(first, node)
        outer = self.block
        self.block = []
        tail = bind_tail()
        taken = self.block
        self.block = outer
        kept = []
        body, orelse = (taken, kept) if op is gast.And else (kept, taken)
        a, b = (tail, first) if op is gast.And else (first, tail)
        what = "the value of this '%s'" % ("and" if op is gast.And else "or")
        out = self._merge_values(node, "_and" if op is gast.And else "_or", what, a, b, body,
                                 orelse, any_leaf=True)
        self.emit(If(cond.var, body, orelse, self.loc))
        return out

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
        """``values`` (bound, the first a runtime value) combined as Python's ``and``/``or``
        does, choosing one of them at run time (:meth:`_choose`)."""
        if len(values) == 1:
            return values[0]
        rest = values[1:]
        return self._choose(op, values[0], lambda: self._bool_opaque(op, rest, node)
                            if has_sym(rest) else self.boolop(op, rest, node), node)

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
        # (tuples, lists and dicts item by item: the value keeps its structure)
        out = self._merge_values(node, "_ifexp", "the value of this conditional expression",
                                 a, b, body, orelse, any_leaf=True)
        self.emit(If(cond.var, body, orelse, self.loc))
        return out

