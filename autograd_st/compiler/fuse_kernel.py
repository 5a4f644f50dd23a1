"""Fuse, one run: its shapes for given inputs and its numba kernel's text.

Takes: a run of elementwise statements of generated code (found by
:mod:`~autograd_st.compiler.fuse`), and at its first call for a key, the shapes and kinds of
its inputs.
Gives: :class:`RunSpec`: ``shapes`` (each output's shape, and how gradients summed over
broadcast axes are added up, or :class:`~autograd_st.jit_numba.Unsupported` where a kernel
would not compute what numpy does) and ``source`` (the kernel: one loop over the broadcast
shape, each statement as scalar code in the arrays' dtype).  The tables say which numpy
ufuncs and runtime helpers a kernel computes, and how.
"""
from __future__ import annotations

import gast
import numpy as np

from .. import runtime
from ..jit_numba import Unsupported

__all__ = ["RunSpec", "UNARY", "BINARY", "BINOPS", "CMPOPS", "SHAPE_OF", "KNOWN"]

# numpy ufuncs a kernel computes on scalars: how, given its arguments' code
UNARY = {np.sin: "np.sin", np.cos: "np.cos", np.tan: "np.tan", np.tanh: "np.tanh",
          np.sinh: "np.sinh", np.cosh: "np.cosh", np.exp: "np.exp", np.log: "np.log",
          np.sqrt: "np.sqrt", np.abs: "np.abs", np.sign: "np.sign", np.floor: "np.floor",
          np.ceil: "np.ceil", np.log1p: "np.log1p", np.expm1: "np.expm1",
          np.arcsin: "np.arcsin", np.arccos: "np.arccos", np.arctan: "np.arctan",
          np.arcsinh: "np.arcsinh", np.arccosh: "np.arccosh", np.arctanh: "np.arctanh",
          np.exp2: "np.exp2", np.log2: "np.log2", np.log10: "np.log10",
          np.negative: "-", np.square: "square", np.reciprocal: "reciprocal",
          runtime.relu: "relu", runtime.sigmoid: "sigmoid"}
BINARY = {np.maximum: "np.maximum", np.minimum: "np.minimum", np.arctan2: "np.arctan2",
           np.logaddexp: "np.logaddexp", np.add: "+", np.subtract: "-", np.multiply: "*",
           np.divide: "/", np.true_divide: "/", np.power: "**"}
BINOPS = {gast.Add: "+", gast.Sub: "-", gast.Mult: "*", gast.Div: "/", gast.Pow: "**"}
CMPOPS = {gast.Lt: "<", gast.LtE: "<=", gast.Gt: ">", gast.GtE: ">=", gast.Eq: "==",
           gast.NotEq: "!="}
SHAPE_OF = {runtime.ones_like: "1", runtime.zeros_like: "0"}
KNOWN = set(UNARY) | set(BINARY) | set(SHAPE_OF) | {
    np.where, np.sum, runtime.expand_to, runtime.unbroadcast, runtime.sum_to,
    runtime.sum_ones}  # sum_ones(v): the 0-d one a full sum's seed is (compiler/lower_seed.py)
# sum_to(g, shape) is unbroadcast(g, like) given like's shape (the lowering's shape-only
# residuals): in a run the second argument is read for its shape only, either way
UNBROADCAST = (runtime.unbroadcast, runtime.sum_to)

# ---------------------------------------------------------------------------------------
# one run: shapes and kernel text
# ---------------------------------------------------------------------------------------

def _broadcast(*shapes):
    try:
        return np.broadcast_shapes(*shapes)
    except ValueError:
        raise Unsupported("shapes %s do not broadcast" % (shapes,)) from None


class RunSpec:
    """A run of statements: ``inputs`` (names read before the run assigns them),
    ``outputs`` (names it assigns that are read after it), ``stmts`` (``(target, value,
    is_sum)``), ``where`` (the user's lines)."""

    def __init__(self, stmts, inputs, outputs, resolve, where) -> None:
        self.stmts = stmts
        self.inputs = inputs
        self.outputs = outputs
        self.resolve = resolve
        self.where = where
        last = {t: s for t, _, s in stmts}
        self.reductions = tuple(last[o] for o in outputs)
        self._reduced: dict = {}

    # shapes ------------------------------------------------------------------------------
    def shapes(self, input_shapes, typed=None):
        """``(output shapes, per statement: None or how it sums over broadcast axes, the
        sums: (shape, input index it starts from or None))`` for inputs of these shapes
        (() for a scalar); raises :class:`Unsupported` where the kernel would compute
        something else than numpy.  A gradient summed over broadcast axes
        (``t = unbroadcast(E, like)``, then ``t = t + unbroadcast(E2, like)``) is a sum the
        kernel adds each element into: read by nothing else in the run."""
        typed = typed or [len(s) > 0 for s in input_shapes]
        env = {n: (tuple(s), bool(t) or len(s) > 0)
               for n, s, t in zip(self.inputs, input_shapes, typed)}
        full = _broadcast(*[s for s, _ in env.values()])
        slot_of: dict = {}  # reduced name -> its sum's index
        sums, red = [], []
        self._reduced = slot_of
        for target, value, is_sum in self.stmts:
            how = None
            if is_sum:
                shape, derived = self._shape(value.args[0], env)
                if shape != full:
                    raise Unsupported("np.sum of %s, which has shape %s, not the run's %s"
                                      % (value.args[0].id, shape, full))
                env[target] = ((), True)
            else:
                how = self._summed(value, env, full)
                if how is None:
                    env[target] = self._shape(value, env)
                else:
                    kind, like, base = how
                    if kind == "new":
                        sums.append((like, base))
                        how = ("new", len(sums) - 1)
                    else:
                        if base != target:
                            raise Unsupported("%s, a sum over broadcast axes, is added into "
                                              "another name" % base)
                        how = ("add", slot_of[base])
                    slot_of.pop(target, None)
                    env[target] = (like, True)
                    slot_of[target] = how[1]
                    red.append(how)
                    continue
            slot_of.pop(target, None)
            red.append(how)
        for o in self.outputs:
            if not env[o][1]:
                raise Unsupported("%s is computed from scalars only" % o)
        self._reduced = {}
        return [env[o][0] for o in self.outputs], tuple(red), tuple(sums), \
            tuple(slot_of.get(o) for o in self.outputs)

    def _summed(self, value, env, full):
        """For ``unbroadcast(E, like)`` that sums (and ``t + unbroadcast(E, like)`` with ``t``
        such a sum, or an input of like's shape): ``("new" or "add", like's shape, the
        input index or name added to)``; None for anything else."""
        call, base = value, None
        if isinstance(value, gast.BinOp) and isinstance(value.op, gast.Add):
            for u, c in ((value.left, value.right), (value.right, value.left)):
                if isinstance(u, gast.Name) and self._is_unbroadcast(c):
                    call, base = c, u.id
                    break
            else:
                return None
        if not self._is_unbroadcast(call):
            return None
        (g, _), like = self._shape(call.args[0], env), env[call.args[1].id][0]
        if g == like:
            return None
        if g != full:
            raise Unsupported("unbroadcast from shape %s to %s inside a run over %s"
                              % (g, like, full))
        if base is None:
            return "new", like, None
        if base in self._reduced:
            return "add", like, base
        if base in self.inputs and env[base][0] == like and base not in [
                t for t, _, _ in self.stmts[:self._position(value)]]:
            return "new", like, self.inputs.index(base)
        raise Unsupported("%s + a sum over broadcast axes" % base)

    def _position(self, value) -> int:
        return next(k for k, (_, v, _) in enumerate(self.stmts) if v is value)

    def _is_unbroadcast(self, node) -> bool:
        return isinstance(node, gast.Call) and self.resolve(node.func) in UNBROADCAST

    def _shape(self, node, env):
        if isinstance(node, gast.Name):
            if node.id in self._reduced:
                raise Unsupported("%s, a sum over broadcast axes, is read before it is "
                                  "complete" % node.id)
            return env[node.id]
        if isinstance(node, gast.Constant):
            return (), False
        if isinstance(node, gast.Call):
            fn = self.resolve(node.func)
            if fn in SHAPE_OF:
                return env[node.args[0].id]
            if fn is runtime.sum_ones:
                return (), env[node.args[0].id][1]
            if fn is runtime.expand_to or fn in UNBROADCAST:
                (g, gd), (like, ld) = self._shape(node.args[0], env), env[node.args[1].id]
                if g != like and (fn in UNBROADCAST or g != ()):
                    raise Unsupported("%s from shape %s to %s (a broadcasting gradient)"
                                      % (fn.__name__, g, like))
                return like, gd or ld
        parts = [self._shape(c, env) for c in _operands(node)]
        return _broadcast(*[s for s, _ in parts]), any(d for _, d in parts)

    # kernel text -------------------------------------------------------------------------
    def source(self, dtype: str, kinds, red=None, out_slots=None) -> str:
        """The numba kernel for inputs of these kinds (``af``/``ab``: a float or bool array,
        flattened; ``sf``/``sb``: a scalar), float dtype ``dtype`` and the sums over
        broadcast axes ``red`` and ``out_slots`` (from :meth:`shapes`) make."""
        red = red or (None,) * len(self.stmts)
        out_slots = out_slots or (None,) * len(self.outputs)
        n_sums = 1 + max([h[1] for h in red if h is not None] + [-1])
        gen = _KernelText(self.resolve)
        params, pre, load = [], [], []
        for k, (n, kind) in enumerate(zip(self.inputs, kinds)):
            p = "a%d" % k
            params.append(p)
            var = gen.fresh()
            gen.env[n] = (var, "b" if kind.endswith("b") else "f")
            if kind.startswith("a"):
                load.append("%s = %s[i]" % (var, p))
            else:
                pre.append("c%d = %s" % (k, p if kind == "sb" else "T(%s)" % p))
                load.append("%s = c%d" % (var, k))
        first = params[kinds.index("af") if "af" in kinds else kinds.index("ab")]
        for j in range(n_sums):
            params += ["ix%d" % j, "m%d" % j]
            pre.append("R%d = np.zeros(m%d, np.float64)" % (j, j))
        body, acc = [], {}
        for (target, value, is_sum), how in zip(self.stmts, red):
            if is_sum:
                var, typ = gen.env[value.args[0].id]
                if typ != "f":
                    raise Unsupported("np.sum of a bool array")
                acc[target] = "r%d" % len(acc)
                body.append("%s += %s" % (acc[target], var))
                gen.env[target] = (None, "f")
                continue
            if how is not None:
                call = value if isinstance(value, gast.Call) else next(
                    c for c in (value.left, value.right) if isinstance(c, gast.Call))
                code, typ = gen.expr(call.args[0])
                body.append("R%d[ix%d[i]] += %s" % (how[1], how[1], gen.f(code, typ)))
                gen.env[target] = (None, "f")
                continue
            code, typ = gen.expr(value)
            var = gen.fresh()
            body.append("%s = %s" % (var, code))
            gen.env[target] = (var, typ)
        lines = ["import numba", "import numpy as np", "", "T = np.%s" % dtype, "", "",
                 "@numba.njit(cache=True, error_model='numpy', nogil=True)",
                 "def kernel(%s):" % ", ".join(params), "    n = %s.shape[0]" % first]
        lines += ["    " + p for p in pre]
        stores, returns, after = [], [], []
        for j, (o, slot) in enumerate(zip(self.outputs, out_slots)):
            if o in acc:
                returns.append("s%d" % j)
                after += ["    s%d = np.empty(1, T)" % j, "    s%d[0] = %s" % (j, acc[o])]
            elif slot is not None:
                returns.append("o%d" % j)
                after += ["    o%d = np.empty(m%d, T)" % (j, slot),
                          "    for q in range(m%d):" % slot,
                          "        o%d[q] = R%d[q]" % (j, slot)]
            else:
                var, typ = gen.env[o]
                lines.append("    o%d = np.empty(n, %s)" % (j, "T" if typ == "f" else "np.bool_"))
                stores.append("o%d[i] = %s" % (j, var))
                returns.append("o%d" % j)
        lines += ["    %s = 0.0" % r for r in acc.values()]
        lines.append("    for i in range(n):")
        lines += ["        " + s for s in load + body + stores]
        lines += after
        lines.append("    return (%s)" % "".join(r + ", " for r in returns))
        return "\n".join(lines) + "\n"


def _operands(node) -> list:
    if isinstance(node, gast.BinOp):
        return [node.left, node.right]
    if isinstance(node, gast.UnaryOp):
        return [node.operand]
    if isinstance(node, gast.Compare):
        return [node.left, node.comparators[0]]
    if isinstance(node, gast.Call):
        return list(node.args)
    raise Unsupported("a %s" % type(node).__name__)


def _number(node) -> bool:
    return isinstance(node, gast.Constant) and type(node.value) in (int, float)


class _KernelText:
    """Expressions as scalar numba code, each with its type: ``f`` (the float dtype ``T``)
    or ``b`` (bool).  Constants are made ``T`` as numpy makes Python numbers (they take the
    arrays' dtype); bools entering arithmetic are made ``T`` as numpy casts them."""

    def __init__(self, resolve) -> None:
        self.resolve = resolve
        self.env: dict = {}
        self.n = 0

    def fresh(self) -> str:
        self.n += 1
        return "v%d" % self.n

    def expr(self, node):
        if isinstance(node, gast.Name):
            var, typ = self.env[node.id]
            if var is None:
                raise Unsupported("%s is read before its sum is complete" % node.id)
            return var, typ
        if isinstance(node, gast.Constant):
            if type(node.value) is bool:
                return repr(node.value), "b"
            return "T(%r)" % (node.value,), "f"
        if isinstance(node, gast.BinOp):
            (a, ta), (b, tb) = self.expr(node.left), self.expr(node.right)
            if ta == tb == "b":
                raise Unsupported("arithmetic on two bools")
            if (ta == "b" and _number(node.right)) or (tb == "b" and _number(node.left)):
                raise Unsupported("a bool array with a number (numpy gives int64 or float64)")
            return "(%s %s %s)" % (self.f(a, ta), BINOPS[type(node.op)], self.f(b, tb)), "f"
        if isinstance(node, gast.UnaryOp):
            a, ta = self.expr(node.operand)
            if isinstance(node.op, gast.Not):
                return "(not %s)" % self.b(a, ta), "b"
            if ta == "b":
                raise Unsupported("a sign applied to a bool")
            return "(%s%s)" % ("-" if isinstance(node.op, gast.USub) else "+", a), "f"
        if isinstance(node, gast.Compare):
            (a, ta), (b, tb) = self.expr(node.left), self.expr(node.comparators[0])
            if ta != tb:
                a, b = self.f(a, ta), self.f(b, tb)
            return "(%s %s %s)" % (a, CMPOPS[type(node.ops[0])], b), "b"
        return self.call(node)

    @staticmethod
    def f(code, typ) -> str:
        return code if typ == "f" else "T(%s)" % code

    @staticmethod
    def b(code, typ) -> str:
        return code if typ == "b" else "(%s != 0)" % code

    def call(self, node):
        fn = self.resolve(node.func)
        if fn in SHAPE_OF or fn is runtime.sum_ones:
            _, typ = self.env[node.args[0].id]
            if typ != "f":
                raise Unsupported("ones_like/zeros_like of a bool array")
            return "T(%s)" % SHAPE_OF.get(fn, "1"), "f"
        if fn is runtime.expand_to or fn in UNBROADCAST:
            return self.expr(node.args[0])
        args = [self.expr(a) for a in node.args]
        if fn is np.where:
            (c, tc), (a, ta), (b, tb) = args
            if ta != tb:
                a, b = self.f(a, ta), self.f(b, tb)
                ta = "f"
            return "(%s if %s else %s)" % (a, self.b(c, tc), b), ta
        if any(t == "b" for _, t in args):
            raise Unsupported("%s of a bool array (numpy gives another dtype)"
                              % getattr(fn, "__name__", fn))
        codes = [c for c, _ in args]
        how = UNARY.get(fn) or BINARY[fn]
        if how == "square":
            return "(%s * %s)" % (codes[0], codes[0]), "f"
        if how == "reciprocal":
            return "(T(1) / %s)" % codes[0], "f"
        if how == "relu":
            return "np.maximum(%s, T(0))" % codes[0], "f"
        if how == "sigmoid":
            return "np.exp(-np.logaddexp(T(0), -%s))" % codes[0], "f"
        if len(codes) == 1:
            return ("(-%s)" % codes[0] if how == "-" else "%s(%s)" % (how, codes[0])), "f"
        if how in ("+", "-", "*", "/", "**"):
            return "(%s %s %s)" % (codes[0], how, codes[1]), "f"
        return "%s(%s, %s)" % (how, codes[0], codes[1]), "f"
