"""Fuse: generated code -> the same code with its runs of elementwise statements in numba.

Takes: a generated function (a gradient, or a forward/backward pair's half), after lowering.
Gives: :func:`fuse_function`, a function computing the same thing in which each maximal run
of elementwise statements (arithmetic, comparisons, numpy ufuncs such as ``np.tanh``,
``np.where``, ``relu``/``sigmoid``, ``ones_like``, ``expand_to`` and ``unbroadcast`` that do
not change a shape, and whole-array ``np.sum``) is one call of a
:class:`~autograd_st.jit_numba.Run`: one native loop over the broadcast shape, writing only
the values read after the run.  A function whose body is all such statements (W5's
``expr20``) becomes one kernel.  Everything else (matmuls, reductions over an axis, loops,
branches, calls) stays the numpy code it was; so does a run for inputs a kernel does not
take (other dtypes, shapes that need a broadcasting gradient), with a note.  Callees
(sub-Cells' forward and backward) are fused too.  :func:`explain` says what was fused, how
it was called, and why anything fell back, with the kernels' text.

The dumped source (``GradFunction.source``, ``autograd-st dump``) is the numpy code either
way: this pass writes a second function next to it, cached on the first (a weak mapping,
so it lives exactly as long as the compile cache keeps the generated code).
"""
from __future__ import annotations

import linecache
import re
import types
import weakref

import gast
import numpy as np

from .. import runtime
from ..jit_numba import Run, Unsupported
from .codegen import comment, function_def, name, to_source
from .load import load, validate

__all__ = ["fuse_function", "explain", "RunSpec"]

_FUSED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_MIN_STATEMENTS = 2  # a run of one statement is one numpy call already

# numpy ufuncs a kernel computes on scalars: how, given its arguments' code
_UNARY = {np.sin: "np.sin", np.cos: "np.cos", np.tan: "np.tan", np.tanh: "np.tanh",
          np.sinh: "np.sinh", np.cosh: "np.cosh", np.exp: "np.exp", np.log: "np.log",
          np.sqrt: "np.sqrt", np.abs: "np.abs", np.sign: "np.sign", np.floor: "np.floor",
          np.ceil: "np.ceil", np.log1p: "np.log1p", np.expm1: "np.expm1",
          np.arcsin: "np.arcsin", np.arccos: "np.arccos", np.arctan: "np.arctan",
          np.arcsinh: "np.arcsinh", np.arccosh: "np.arccosh", np.arctanh: "np.arctanh",
          np.exp2: "np.exp2", np.log2: "np.log2", np.log10: "np.log10",
          np.negative: "-", np.square: "square", np.reciprocal: "reciprocal",
          runtime.relu: "relu", runtime.sigmoid: "sigmoid"}
_BINARY = {np.maximum: "np.maximum", np.minimum: "np.minimum", np.arctan2: "np.arctan2",
           np.logaddexp: "np.logaddexp", np.add: "+", np.subtract: "-", np.multiply: "*",
           np.divide: "/", np.true_divide: "/", np.power: "**"}
_BINOPS = {gast.Add: "+", gast.Sub: "-", gast.Mult: "*", gast.Div: "/", gast.Pow: "**"}
_CMPOPS = {gast.Lt: "<", gast.LtE: "<=", gast.Gt: ">", gast.GtE: ">=", gast.Eq: "==",
           gast.NotEq: "!="}
_SHAPE_OF = {runtime.ones_like: "1", runtime.zeros_like: "0"}
_KNOWN = set(_UNARY) | set(_BINARY) | set(_SHAPE_OF) | {
    np.where, np.sum, runtime.expand_to, runtime.unbroadcast}
_UNSEEN = object()
_LOCATION = re.compile(r"\(([^()]*:\d+)\)\s*$")


# ---------------------------------------------------------------------------------------
# what a statement computes, elementwise
# ---------------------------------------------------------------------------------------

class _Resolver:
    """The object a call's function names in the generated code's globals, when it is one a
    kernel computes (None otherwise).  Each answer is kept by node; ``forget`` drops the
    globals once the runs are found (a Run must not hold the generated code's module)."""

    def __init__(self, glb, local_names) -> None:
        self.glb = glb
        self.local = local_names
        self.seen: dict = {}

    def __call__(self, func):
        found = self.seen.get(id(func), _UNSEEN)
        if found is not _UNSEEN:
            return found
        if self.glb is None:
            raise Unsupported("internal error: a call not seen when the run was found")
        obj = None
        if isinstance(func, gast.Name) and func.id not in self.local:
            obj = self.glb.get(func.id)
        elif isinstance(func, gast.Attribute) and isinstance(func.value, gast.Name) \
                and func.value.id not in self.local and self.glb.get(func.value.id) is np:
            obj = getattr(np, func.attr, None)
        try:
            known = obj in _KNOWN
        except TypeError:  # (an unhashable object: not one of them)
            known = False
        obj = obj if known else None
        self.seen[id(func)] = obj
        return obj

    def forget(self) -> None:
        self.glb = None


def _is_sum(value, resolve) -> bool:
    return isinstance(value, gast.Call) and resolve(value.func) is np.sum \
        and len(value.args) == 1 and not value.keywords \
        and isinstance(value.args[0], gast.Name)


def _elementwise(node, resolve) -> bool:
    """Whether ``node`` is an expression a kernel computes element by element."""
    if isinstance(node, gast.Name):
        return True
    if isinstance(node, gast.Constant):
        return type(node.value) in (int, float, bool)
    if isinstance(node, gast.BinOp):
        return type(node.op) in _BINOPS and _elementwise(node.left, resolve) \
            and _elementwise(node.right, resolve)
    if isinstance(node, gast.UnaryOp):
        return isinstance(node.op, (gast.USub, gast.UAdd, gast.Not)) \
            and _elementwise(node.operand, resolve)
    if isinstance(node, gast.Compare):
        return len(node.ops) == 1 and type(node.ops[0]) in _CMPOPS \
            and _elementwise(node.left, resolve) and _elementwise(node.comparators[0], resolve)
    if isinstance(node, gast.Call) and not node.keywords \
            and not any(isinstance(a, gast.Starred) for a in node.args):
        fn = resolve(node.func)
        args = node.args
        if fn in _UNARY and len(args) == 1 or fn in _BINARY and len(args) == 2 \
                or fn is np.where and len(args) == 3:
            return all(_elementwise(a, resolve) for a in args)
        if fn in _SHAPE_OF and len(args) == 1:
            return isinstance(args[0], gast.Name)
        if fn in (runtime.expand_to, runtime.unbroadcast) and len(args) == 2:
            return _elementwise(args[0], resolve) and isinstance(args[1], gast.Name)
    return False


def _value_names(node, resolve, out) -> None:
    """Names ``node`` reads for their values (not those it reads only for a shape)."""
    if isinstance(node, gast.Name):
        out.append(node.id)
    elif isinstance(node, gast.Call):
        fn = resolve(node.func)
        if fn in _SHAPE_OF:
            return
        args = node.args[:1] if fn in (runtime.expand_to, runtime.unbroadcast) else node.args
        for a in args:
            _value_names(a, resolve, out)
    else:
        for child in gast.iter_child_nodes(node):
            _value_names(child, resolve, out)


def _names(node, out=None) -> list:
    """Names ``node`` reads, in order (not the functions it calls)."""
    out = [] if out is None else out
    if isinstance(node, gast.Name):
        out.append(node.id)
    elif isinstance(node, gast.Call):
        for a in node.args:
            _names(a, out)
    else:
        for child in gast.iter_child_nodes(node):
            _names(child, out)
    return out


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
        return isinstance(node, gast.Call) and self.resolve(node.func) is runtime.unbroadcast

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
            if fn in _SHAPE_OF:
                return env[node.args[0].id]
            if fn is runtime.expand_to or fn is runtime.unbroadcast:
                (g, gd), (like, ld) = self._shape(node.args[0], env), env[node.args[1].id]
                if g != like and (fn is runtime.unbroadcast or g != ()):
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
            return "(%s %s %s)" % (self.f(a, ta), _BINOPS[type(node.op)], self.f(b, tb)), "f"
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
            return "(%s %s %s)" % (a, _CMPOPS[type(node.ops[0])], b), "b"
        return self.call(node)

    @staticmethod
    def f(code, typ) -> str:
        return code if typ == "f" else "T(%s)" % code

    @staticmethod
    def b(code, typ) -> str:
        return code if typ == "b" else "(%s != 0)" % code

    def call(self, node):
        fn = self.resolve(node.func)
        if fn in _SHAPE_OF:
            _, typ = self.env[node.args[0].id]
            if typ != "f":
                raise Unsupported("ones_like/zeros_like of a bool array")
            return "T(%s)" % _SHAPE_OF[fn], "f"
        if fn is runtime.expand_to or fn is runtime.unbroadcast:
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
        how = _UNARY.get(fn) or _BINARY[fn]
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


# ---------------------------------------------------------------------------------------
# finding the runs in a function
# ---------------------------------------------------------------------------------------

class _Fuser:
    def __init__(self, fdef, glb, lines) -> None:
        self.fdef = fdef
        local = {a.id for a in fdef.args.args}
        local |= {n.id for n in gast.walk(fdef) if isinstance(n, gast.Name)
                  and isinstance(n.ctx, gast.Store)}
        self.resolve = _Resolver(glb, local)
        self.lines = lines
        self.taken = set(glb) | local | {fdef.name}
        # every read of a name (a del counts), by node: a run's outputs are what is read
        # outside it
        self.reads = [(n.id, id(n)) for n in gast.walk(fdef) if isinstance(n, gast.Name)
                      and isinstance(n.ctx, (gast.Load, gast.Del))]
        self.runs = []  # (global name, RunSpec, fallback FunctionDef)

    def fresh(self, base: str) -> str:
        k = 0
        while "%s_%d" % (base, k) in self.taken:
            k += 1
        self.taken.add("%s_%d" % (base, k))
        return "%s_%d" % (base, k)

    def block(self, body) -> list:
        out, cur = [], []
        for st in body:
            if _is_comment(st) or isinstance(st, gast.Delete) and all(
                    isinstance(t, gast.Name) for t in st.targets):
                (cur if cur else out).append(st)
                continue
            if self._joins(st, cur):
                cur.append(st)
                continue
            out += self.flush(cur)
            cur = []
            if self._joins(st, cur):
                cur.append(st)
                continue
            for field in ("body", "orelse"):
                if isinstance(getattr(st, field, None), list) and not isinstance(
                        st, gast.FunctionDef):
                    setattr(st, field, self.block(getattr(st, field)))
            out.append(st)
        return out + self.flush(cur)

    def _joins(self, st, cur) -> bool:
        if not (isinstance(st, gast.Assign) and len(st.targets) == 1
                and isinstance(st.targets[0], gast.Name)):
            return False
        value = st.value
        is_sum = _is_sum(value, self.resolve)
        if not is_sum and not _elementwise(value, self.resolve):
            return False
        sums = {s.targets[0].id for s in cur if isinstance(s, gast.Assign)
                and _is_sum(s.value, self.resolve)}
        if not sums:
            return True
        read = []
        _value_names(value, self.resolve, read)
        # a sum is complete only after the run: nothing in it reads it or assigns it again
        return not sums.intersection(read) and st.targets[0].id not in sums

    def flush(self, cur) -> list:
        assigns = [s for s in cur if isinstance(s, gast.Assign)]
        if len(assigns) < _MIN_STATEMENTS:
            return cur
        inside = {id(n) for s in cur for n in gast.walk(s)}
        assigned, inputs, events = [], [], {}
        for s in cur:
            if isinstance(s, gast.Delete):
                for t in s.targets:
                    events[t.id] = "del"
                continue
            for n in _names(s.value):
                if n not in assigned and n not in inputs:
                    inputs.append(n)
            t = s.targets[0].id
            if t not in assigned:
                assigned.append(t)
            events[t] = "set"
        read_after = {n for n, i in self.reads if i not in inside}
        outputs = [t for t in assigned if t in read_after]
        if not outputs:
            return cur
        stmts = [(s.targets[0].id, s.value, _is_sum(s.value, self.resolve)) for s in assigns]
        spec = RunSpec(stmts, inputs, outputs, self.resolve, self._where(assigns))
        gname = self.fresh("_jit_run")
        fallback = function_def(gname + "_numpy", list(inputs), list(assigns) + [
            gast.Return(value=gast.Tuple(elts=[name(o) for o in outputs], ctx=gast.Load()))])
        self.runs.append((gname, spec, fallback))
        bound = set(inputs) | set(outputs)
        dels = [n for n, e in events.items() if e == "del" and n in bound]
        call = gast.Assign(
            targets=[gast.Tuple(elts=[name(o, True) for o in outputs], ctx=gast.Store())],
            value=gast.Call(func=name(gname), args=[name(i) for i in inputs], keywords=[]),
            type_comment=None)
        out = [comment("ms.jit: %s (%d statements) in one kernel" % (spec.where, len(assigns))),
               call]
        if dels:
            out.append(gast.Delete(targets=[gast.Name(id=n, ctx=gast.Del(), annotation=None,
                                                      type_comment=None) for n in dels]))
        return out

    def _where(self, assigns) -> str:
        """The user's lines a run covers, from the comments above its statements."""
        found = []
        for s in (assigns[0], assigns[-1]):
            line = getattr(s, "lineno", None)
            while line and line > 1:
                line -= 1
                m = _LOCATION.search(self.lines[line - 1]) if line <= len(self.lines) else None
                if m and self.lines[line - 1].lstrip().startswith("#"):
                    found.append(m.group(1))
                    break
        if not found:
            return "%s (generated code)" % self.fdef.name
        first, last = found[0], found[-1]
        if first == last:
            return first
        f1, _, l1 = first.rpartition(":")
        f2, _, l2 = last.rpartition(":")
        return "%s:%s-%s" % (f1, l1, l2) if f1 == f2 else "%s .. %s" % (first, last)


def _is_comment(st) -> bool:
    return isinstance(st, gast.Expr) and isinstance(st.value, gast.Call) \
        and isinstance(st.value.func, gast.Name) and st.value.func.id == "__comment__"


# ---------------------------------------------------------------------------------------
# the entry points
# ---------------------------------------------------------------------------------------

def _is_generated(fn) -> bool:
    return isinstance(fn, types.FunctionType) \
        and "__autograd_st_filename__" in getattr(fn, "__globals__", {})


def fuse_function(fn):
    """``fn`` (a generated function) with its elementwise runs fused, its callees too; ``fn``
    itself when there is nothing to fuse.  Cached per generated function."""
    try:
        fused = _FUSED[fn]
    except KeyError:
        fused = _fuse(fn)
        # (None: nothing to fuse; the mapping must not hold its own key)
        _FUSED[fn] = None if fused is fn else fused
    return fn if fused is None else fused


def _fuse(fn):
    filename = fn.__code__.co_filename
    lines = linecache.getlines(filename)
    if not lines:
        return fn
    tree = gast.parse("".join(lines))
    fdef = next((d for d in tree.body if isinstance(d, gast.FunctionDef)
                 and d.name == fn.__name__), None)
    if fdef is None:
        return fn
    glb = fn.__globals__
    namespace, callees = {}, False
    for k, v in glb.items():
        if k.startswith("__") or isinstance(v, types.FunctionType) \
                and v.__code__.co_filename == filename:
            continue
        if _is_generated(v):
            fused_callee = fuse_function(v)
            callees = callees or fused_callee is not v
            v = fused_callee
        namespace[k] = v
    fuser = _Fuser(fdef, glb, [line.rstrip("\n") for line in lines])
    fdef.body = fuser.block(fdef.body)
    fuser.resolve.forget()
    if not fuser.runs and not callees:
        return fn
    defs = [fdef] + [fb for _, _, fb in fuser.runs]
    for d in defs:
        validate(d)
    runs = {}
    for gname, spec, _ in fuser.runs:
        runs[gname] = namespace[gname] = Run(spec)
    source = "\n\n".join(to_source(d) for d in defs)
    module = load(source, "%s jit" % fn.__name__, namespace)
    for gname, run in runs.items():
        run.fallback = module[gname + "_numpy"]
    fused = module[fn.__name__]
    fused.__autograd_st_fused__ = {"source": source, "runs": runs, "original": fn.__name__}
    return fused


def _describe(key) -> str:
    return ", ".join("%s%s" % (k[0], list(k[1])) if isinstance(k, tuple) else k.__name__
                     for k in key)


def explain(fn) -> str:
    """What ``ms.jit`` made of a generated function: the fused code, then per run the
    user's lines, the kernel for each kind of inputs it met, and why it ran numpy where it
    did (callees follow)."""
    fused = fuse_function(fn)
    out, seen = [], set()

    def rec(f):
        info = getattr(f, "__autograd_st_fused__", None)
        if info is None or id(f) in seen:
            return
        seen.add(id(f))
        out.append("# ms.jit: %s, fused\n%s" % (info["original"], info["source"]))
        for gname, run in info["runs"].items():
            out.append("# %s: %s; inputs %s -> outputs %s" % (
                gname, run.spec.where, ", ".join(run.spec.inputs),
                ", ".join(run.spec.outputs)))
            for reason in run.notes:
                out.append("#   ran numpy: %s" % reason)
            for key, plan in run.plans.items():
                if plan.measured is not None:
                    out.append("#   inputs %s: %s (timed: kernel %.1f us, numpy %.1f us)" % (
                        _describe(key), "kernel" if plan.kernel is not None else "numpy",
                        plan.measured[0] * 1e6, plan.measured[1] * 1e6))
            for (dtype, kinds, red), text in run.kernel_sources.items():
                out.append("# kernel for %s, inputs %s%s:\n%s" % (
                    dtype, ", ".join(kinds), ", %d sum(s) over broadcast axes"
                    % len({h[1] for h in red if h}) if any(red) else "", text))
        for v in f.__globals__.values():
            if _is_generated(v):
                rec(v)
    rec(fused)
    if not out:
        return "# ms.jit: nothing in %s to fuse (it runs its numpy code)\n" % fn.__name__
    return "\n".join(out)
