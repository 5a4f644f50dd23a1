"""Forward accumulation: the gradient of an elementwise chain carried forward with its values.

Takes: a :class:`~autograd_st.compiler.ir.FuncIR` whose gradient is asked for with respect to
ONE positional argument ``x`` (no Parameter differentiated, code not differentiated again),
the build's active variables, the seeded output's name and, when a ``sens`` comes in, the
gast expression of the output's gradient.
Gives: :func:`forward_accumulated` returns ``(check, statements, grad)`` or None: ``check`` the
gast test ``fwdacc_ok(x, ...)``, ``statements`` the body that computes every value of the
function and ``grad`` (the name holding d output / d x), or None when the function is not of
the class below (the reverse code then runs alone, as before).

The class: a body of straight-line statements (no branch, loop, call of compiled code) whose
differentiated statements are elementwise primitives (:data:`ELEMENTWISE`: unary math,
``+ - * / **`` with numbers or other values of the chain, ``where``, ``maximum``, ...), ending
in a full ``sum``/``mean`` of a chain value or in the chain value itself (seeded with ones or
with the ``sens``).  Values of other arrays (arguments that are not differentiated, a Cell's
Parameters) may be read.  The Jacobian of such a chain is diagonal, so its gradient is the
elementwise product and sum of local derivatives, which is computed forward, alongside the
values (the tangent seeded with ones), in place, keeping no tape: each value ``v`` carries
``dv/dx = B * E`` where ``B`` is an array (or ones) and ``E`` a small symbolic sum of products
of arrays with number coefficients (``1.9 - 0.9 * a * a`` for ``h = 0.9 * tanh(h) + h``); when
one value of the chain is live, its ``E`` is multiplied into its ``B`` (``d *= u``, as a
person writes it).  Local derivatives are read from the forward rules of the registry (the
same rules forward mode uses), with the input's tangent a 1.

What cannot be decided at compile time is checked once per call (``fwdacc_ok``): ``x`` is a
float ndarray of at least one dimension, and every other array the chain reads has ``x``'s
dtype (or is boolean) and broadcasts to ``x``'s shape without enlarging it (so every value of
the chain has ``x``'s shape and dtype, and a buffer no name reads any more can be written);
otherwise the reverse code runs.  Numbers are 0-d arrays of ``x``'s dtype (``numbers_as``).
"""
from __future__ import annotations

import gast
import numpy as np

from ..runtime import fwdacc_ok  # (what the branch's check calls)
from .codegen import ForwardEmitter, assign, comment, name, source_comment
from .ir import Comment, Const, Opaque, Prim, Var, leaves
from .lower_fwdacc_emit import Info, Num, Op, emit, operations  # noqa: F401

__all__ = ["forward_accumulated", "fwdacc_ok", "is_branch", "operations", "ELEMENTWISE"]

#: the differentiated primitives a chain may hold: elementwise, one output of the shape of
#: their broadcast operands, forward rules made of numpy ufuncs and arithmetic
ELEMENTWISE = frozenset({
    "add", "sub", "mul", "div", "pow", "neg", "maximum", "minimum", "logaddexp", "where",
    "exp", "expm1", "log", "log1p", "sin", "cos", "tan", "tanh", "sinh", "cosh", "sigmoid",
    "relu", "sqrt", "square", "abs", "arctan", "arcsin", "arccos", "arcsinh", "arccosh",
    "arctanh", "erf", "softplus", "copy", "arctan2"})
_UFUNCS = {gast.Add: "add", gast.Sub: "subtract", gast.Mult: "multiply", gast.Div: "divide",
           gast.Pow: "power"}
_COMPARE = {gast.Gt: "greater", gast.Lt: "less", gast.GtE: "greater_equal",
            gast.LtE: "less_equal", gast.Eq: "equal", gast.NotEq: "not_equal"}
#: primitives without gradient that may read the chain (their values are x-shaped masks)
NO_GRADIENT = frozenset({
    "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "sign", "floor",
    "ceil", "trunc", "isfinite", "isnan", "isinf", "logical_and", "logical_or", "logical_not",
    "logical_xor"})
_BOOL_FNS = frozenset({"greater", "less", "greater_equal", "less_equal", "equal", "not_equal",
                       "isfinite", "isnan", "isinf", "logical_and", "logical_or",
                       "logical_not", "logical_xor"})
_HELPERS = frozenset({"sigmoid", "relu", "erf"})  # the runtime's elementwise functions
#: True: the branch where it runs no more operations than the reverse code; False: never;
#: "always": wherever the function is of the class (tests)
ENABLED = True
MAX_TERMS = 8  # a symbolic factor with more terms is multiplied out into its array
MAX_DEGREE = 5  # ... or with a product of more arrays


def _np_elementwise(attr) -> bool:
    """``np.<attr>`` is a ufunc (or ``np.where``)."""
    return attr == "where" or isinstance(getattr(np, attr, None), np.ufunc)


def is_branch(stmt) -> bool:
    """``stmt`` is the ``if fwdacc_ok(...)`` branch the gradient function puts first."""
    return isinstance(stmt, gast.If) and isinstance(stmt.test, gast.Call) \
        and isinstance(stmt.test.func, gast.Name) and stmt.test.func.id == "fwdacc_ok"


class _Abort(Exception):
    """The function is not of the class this pass takes."""


# -- symbolic factors: {tuple of sorted array names: coefficient} ---------------------------

def _const(c) -> dict:
    return {(): float(c)} if c else {}


def _atom(n) -> dict:
    return {(n,): 1.0}


def _scale(e, c) -> dict:
    return {k: v * c for k, v in e.items()} if c else {}


def _add(a, b) -> dict:
    out = dict(a)
    for k, v in b.items():
        s = out.get(k, 0.0) + v
        if s:
            out[k] = s
        else:
            out.pop(k, None)
    return out


def _mul(a, b) -> dict:
    out: dict = {}
    for ka, va in a.items():
        for kb, vb in b.items():
            k = tuple(sorted(ka + kb))
            s = out.get(k, 0.0) + va * vb
            if s:
                out[k] = s
            else:
                out.pop(k, None)
    return out


def _ops_of(e) -> int:
    """The operations of ``g * e`` written out (``e`` a factor): none for a factor 1, one
    for a number; else, per term, a multiplication per further array and for a coefficient
    other than +-1, an addition between terms, and the multiplication by ``g``."""
    if not e:
        return 0
    if list(e) == [()]:
        return 0 if e[()] == 1.0 else 1
    ops = len(e)  # (the additions between terms, and the multiplication by g)
    for k, c in e.items():
        if k:
            ops += len(k) - 1 + (c not in (1.0, -1.0))
    return ops


def _big(e) -> bool:
    return len(e) > MAX_TERMS or any(len(k) > MAX_DEGREE for k in e)


class _Gen:
    def __init__(self, x, names, params, const_namer) -> None:
        self.x = x
        self.names = names
        self.const_namer = const_namer
        self.ops: list = []
        self.info: dict = {x: Info("f", True, False)}
        for p in params:
            if p != x:
                self.info[p] = Info("p", False, False)
        self.params = set(params)
        self.checked: list = []  # the other arrays the chain reads (fwdacc_ok checks them)
        self.tan: dict = {x: (None, _const(1.0))}  # value -> (base name or None, factor)
        self.alias: dict = {}
        self.primal_names: set = set()  # the function's values (bound under their names)
        self.recip: dict = {}  # array -> the name of 1 / array
        # what the reverse code of the chain runs, estimated as the chain is read
        # (:func:`forward_accumulated`): its values, and per differentiated operand the
        # local derivative times the gradient
        self.reverse_ops = 0
        self.read_back: set = set()  # values whose gradient has a contribution already

    def root(self, n):
        return self.alias.get(n, n)

    # -- ops --------------------------------------------------------------------------

    def op(self, fn, args, hint="t", target=None) -> str:
        """Emit ``target = np.fn(*args)``; its facts from its operands'."""
        info = self.info
        xs = False
        f_val = False  # an operand of x's dtype (a number counts; where's condition does not)
        for i, a in enumerate(args):
            if a.__class__ is Num:
                f_val = True
                continue
            facts = info[a]
            xs = xs or facts.xshaped
            if facts.kind == "f" and (i or fn != "where"):
                f_val = True
        if fn == "where" and args and args[0].__class__ is Num:
            f_val = any(a.__class__ is Num or info[a].kind == "f" for a in args[1:])
        kind = "b" if fn in _BOOL_FNS else ("f" if f_val else "o")
        t = target or self.names.fresh(hint)
        self.ops.append(Op(t, fn, args))
        self.info[t] = Info(kind, xs, xs and kind == "f")
        return t

    def raw(self, stmts, targets, reads, xshaped=False) -> None:
        for i, st in enumerate(stmts):
            self.ops.append(Op(targets if i == len(stmts) - 1 else (), raw=st, reads=reads))
        for t in targets:
            self.info[t] = Info("o", xshaped, False)

    def operand(self, e):
        """A name or number holding factor ``e`` (``B`` = ones)."""
        if not e:
            return Num(0.0)
        if len(e) == 1:
            (k, c), = e.items()
            if not k:  # (a number)
                return Num(c)
            if len(k) == 1 and c == 1.0:
                return k[0]
        return self.materialize(None, e)

    def materialize(self, base, e) -> str:
        """A name holding ``base * e`` (``base`` None: ones)."""
        terms = sorted(((k, c) for k, c in e.items() if k),
                       key=lambda kc: (-len(kc[0]), kc[0]))
        c0 = e.get((), 0.0)
        acc = None
        for k, c in terms:
            fs = sorted(k, key=lambda n: (self.info[n].kind != "f", not self.info[n].owned))
            p = fs[0]
            for f in fs[1:]:
                p = self.op("multiply", [p, f])
            if acc is not None and c == -1.0:
                acc = self.op("subtract", [acc, p])
                continue
            if c != 1.0:
                p = self.op("multiply", [p, Num(c)])
            acc = p if acc is None else self.op("add", [acc, p])
        if acc is None:
            if base is None:
                raise _Abort("a constant derivative")
            return base if c0 == 1.0 else self.op("multiply", [base, Num(c0)], "d")
        if c0:
            acc = self.op("add", [acc, Num(c0)])
        if base is not None:
            acc = self.op("multiply", [base, acc], "d")
        elif self.info[acc].kind != "f" and not self.info[acc].xshaped:
            raise _Abort("a derivative of another shape")
        return acc

    # -- templates in the algebra -----------------------------------------------------

    def interp(self, node, env) -> dict:
        if isinstance(node, gast.Name):
            if node.id not in env:
                raise _Abort("template name")
            return env[node.id]
        if isinstance(node, gast.Constant) and type(node.value) in (int, float, bool):
            return _const(node.value)
        if isinstance(node, gast.UnaryOp) and isinstance(node.op, (gast.USub, gast.UAdd)):
            e = self.interp(node.operand, env)
            return _scale(e, -1.0) if isinstance(node.op, gast.USub) else e
        if isinstance(node, gast.BinOp) and type(node.op) in _UFUNCS:
            a, b = self.interp(node.left, env), self.interp(node.right, env)
            if isinstance(node.op, gast.Add):
                return _add(a, b)
            if isinstance(node.op, gast.Sub):
                return _add(a, _scale(b, -1.0))
            if isinstance(node.op, gast.Mult):
                if len(a) * len(b) > MAX_TERMS:
                    a, b = [_const(o.value) if isinstance(o, Num) else _atom(o)
                            for o in (self.operand(a), self.operand(b))]
                return _mul(a, b)
            if isinstance(node.op, gast.Div) and list(b) == [()] and b[()]:
                return _scale(a, 1.0 / b[()])
            if isinstance(node.op, gast.Div) and len(b) == 1 and len(next(iter(b))) == 1:
                (k, c), = b.items()  # a / (c y) = (a / c) * (1 / y), 1 / y made once
                if k[0] not in self.recip:
                    self.recip[k[0]] = self.op("divide", [Num(1.0), k[0]], "r")
                return _mul(_scale(a, 1.0 / c), _atom(self.recip[k[0]]))
            fn = _UFUNCS[type(node.op)]
            return _atom(self.op(fn, [self.operand(a), self.operand(b)]))
        if isinstance(node, gast.Compare) and len(node.ops) == 1 \
                and type(node.ops[0]) in _COMPARE:
            a = self.operand(self.interp(node.left, env))
            b = self.operand(self.interp(node.comparators[0], env))
            return _atom(self.op(_COMPARE[type(node.ops[0])], [a, b], "m"))
        if isinstance(node, gast.Call) and not node.keywords:
            f = node.func
            if isinstance(f, gast.Name) and f.id == "broadcast_like" and len(node.args) == 2:
                return self.interp(node.args[0], env)  # (every value has x's shape)
            if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name) \
                    and f.value.id == "np" and _np_elementwise(f.attr):
                args = [self.operand(self.interp(a, env)) for a in node.args]
                return _atom(self.op(f.attr, args, f.attr))
            if isinstance(f, gast.Name) and f.id in _HELPERS:
                return _atom(self.helper(f.id, [self.operand(self.interp(a, env))
                                                for a in node.args]))
        raise _Abort("template form")

    def helper(self, fn, args, target=None) -> str:
        """``target = fn(*args)``, an elementwise helper of the runtime (a fresh array of
        its operand's shape and dtype, never written)."""
        t = target or self.names.fresh(fn)
        call = gast.Call(func=name(fn), args=[_arg_node(a) for a in args], keywords=[])
        self.raw([assign([t], call)], [t], [a for a in args if isinstance(a, str)],
                 xshaped=True)
        self.info[t].kind = "f"
        return t

    def value(self, node, env):
        """Template ``node`` computed as arrays (a primal value): a name or a number."""
        if isinstance(node, gast.Name):
            if node.id not in env:
                raise _Abort("template name")
            return env[node.id]
        if isinstance(node, gast.Constant) and type(node.value) in (int, float, bool):
            return Num(node.value)
        if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
            return self.op("negative", [self.value(node.operand, env)])
        if isinstance(node, gast.BinOp) and type(node.op) in _UFUNCS:
            return self.op(_UFUNCS[type(node.op)], [self.value(node.left, env),
                                                    self.value(node.right, env)])
        if isinstance(node, gast.Compare) and len(node.ops) == 1 \
                and type(node.ops[0]) in _COMPARE:
            return self.op(_COMPARE[type(node.ops[0])], [self.value(node.left, env),
                                                         self.value(node.comparators[0], env)])
        if isinstance(node, gast.Call) and not node.keywords:
            f = node.func
            if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name) \
                    and f.value.id == "np" and _np_elementwise(f.attr):
                return self.op(f.attr, [self.value(a, env) for a in node.args])
        raise _Abort("primitive form")

    def primal(self, stmt, env) -> None:
        """The value of elementwise ``stmt``, its outermost operation into its target."""
        (t,) = stmt.targets
        node = stmt.prim.template.results[0]
        venv = {p: self.operand(e) for p, e in env.items()}
        if isinstance(node, gast.Name):  # copy: the same array under another name
            a = venv[node.id]
            if isinstance(a, Num):
                raise _Abort("a number")
            self.alias[t] = a
            return
        if isinstance(node, gast.Call) and isinstance(node.func, gast.Name) \
                and node.func.id in _HELPERS and not node.keywords:  # sigmoid, relu, erf
            self.helper(node.func.id, [self.value(a, venv) for a in node.args], t)
            self.primal_names.add(t)
            return
        n = len(self.ops)
        k = self.value(node, venv)
        if len(self.ops) == n or not isinstance(k, str) or self.ops[-1].target != k:
            raise _Abort("a primal that is no operation")
        self.ops[-1].target = t
        self.info[t] = self.info.pop(k)
        self.primal_names.add(t)


def _arg_node(a):
    return a if isinstance(a, gast.AST) else (name(a) if isinstance(a, str) else
                                              gast.Constant(value=a.value, kind=None))


def forward_accumulated(fir, active, x, params, out_var, seed, const_namer, names,
                        value=True):
    """``(check, statements, grad)`` for the forward-accumulated gradient of ``fir`` with
    respect to argument ``x`` (module docstring), or None.  ``active``: the build's active
    variables; ``params``: the generated function's parameters; ``out_var``: the seeded
    output; ``seed``: None (ones) or the gast expression of its gradient (a sens);
    ``value``: whether the function's value is returned (else a full sum is not computed)."""
    if not ENABLED:
        return None
    try:
        return _build(fir, active, x, params, out_var, seed, const_namer, names, value)
    except _Abort:
        return None


def _build(fir, active, x, params, out_var, seed, const_namer, names, value):
    if out_var not in active:
        raise _Abort("the output does not depend on x")
    body = [s for s in fir.body if not isinstance(s, Comment)]
    result_names = {s.var.name for s in leaves(fir.result)} if value else set()
    # where each value is read last (a value read by no later statement and not returned
    # is dead: when one value of the chain is live, its factor goes into its array)
    last: dict = {}
    readers: dict = {}  # how many statements read each value
    for k, s in enumerate(body):
        if isinstance(s, Prim):
            for n in {a.name for a in s.args.values() if isinstance(a, Var)}:
                last[n] = k
                readers[n] = readers.get(n, 0) + 1
        elif isinstance(s, Opaque):
            for n in s.uses:
                last[n] = k
        else:
            raise _Abort("control flow or a call")
    # a mean's int_like (ops.mean: an integer input's mean is cast back): the value itself
    reduced = out_var
    for s in body:
        if isinstance(s, Prim) and s.targets == [out_var] and s.prim.name == "int_like" \
                and isinstance(s.args.get("y"), Var):
            reduced = s.args["y"].name
    g = _Gen(x, names, params, const_namer)
    emitter = ForwardEmitter(const_namer, lambda stmt: None)
    reduce_of = None  # (kind, chain value) when the output is its full sum or mean
    line = None
    for k, s in enumerate(body):
        if s.loc and s.loc[1] != line:
            line = s.loc[1]
            text = source_comment(s.loc)
            if text:
                g.raw([comment(text)], [], [])
        if isinstance(s, Opaque):
            if any(n in active for n in s.uses):
                raise _Abort("an opaque use of the chain")
            g.raw(emitter.stmt(s), list(s.targets), list(s.uses))
            g.reverse_ops += 1
            continue
        (t,) = s.targets
        if t not in active and s.prim.name in NO_GRADIENT and any(
                isinstance(a, Var) and g.root(a.name) in g.info and g.info[g.root(a.name)].xshaped
                for a in s.args.values()):  # a mask of the chain (x > 0)
            g.primal(s, _env(g, s, active))
            g.reverse_ops += 1
            continue
        if t not in active:
            if any(isinstance(a, Var) and a.name in active for a in s.args.values()):
                raise _Abort("a value without gradient derived from x")
            g.raw(emitter.stmt(s), [t], [a.name for a in s.args.values()
                                         if isinstance(a, Var)])
            g.reverse_ops += 1
            continue
        pname = s.prim.name
        if pname == "int_like" and t == out_var and reduced != out_var and reduce_of:
            if value or seed is not None or reduce_of[0] == "mean":
                g.raw(emitter.stmt(_renamed(s, g)), [t], [reduced])
            continue
        if pname in ("sum", "mean"):
            v = s.args["x"]
            if t != reduced or last.get(t, -1) > k + (reduced != out_var) \
                    or not isinstance(v, Var) \
                    or s.args.get("axis", Const(None)) != Const(None) \
                    or s.args.get("keepdims", Const(False)) != Const(False):
                raise _Abort("a reduction inside the chain")
            if value or seed is not None or pname == "mean":  # (sens_shape, share read it)
                g.raw(emitter.stmt(_renamed(s, g)), [t], [g.root(v.name)])
            reduce_of = (pname, g.root(v.name), v.name)
            g.reverse_ops += 2  # (its gradient: the ones, spread to the value's shape)
            continue
        if pname not in ELEMENTWISE:
            raise _Abort("primitive %s" % pname)
        env = _env(g, s, active)
        n0 = len(g.ops)
        g.primal(s, env)
        g.reverse_ops += len(g.ops) - n0  # (the reverse code computes the value too)
        # the tangent: the sum over active operands of their tangent times the local
        # derivative (the forward rule with that operand's tangent a 1)
        tmpl = s.prim.jvp_template
        local = dict(env)
        local["out"] = _atom(g.root(t))
        for p in s.prim.diff:
            local["d" + p] = {}
        for pre in tmpl.prelude:
            local[pre.targets[0].id] = g.interp(pre.value, local)
        parts = []
        for i, p in enumerate(s.prim.diff):
            a = s.args[p]
            if not (isinstance(a, Var) and a.name in active):
                continue
            local["d" + p] = _const(1.0)
            n0 = len(g.ops)
            lp = g.interp(tmpl.results[i], local)
            # the reverse code's adjoint: g times the same local derivative (its arrays
            # made as here, its terms multiplied and added, then times g), and one
            # addition per further reader of a value
            g.reverse_ops += len(g.ops) - n0 + _ops_of(lp) + (a.name in g.read_back)
            g.read_back.add(a.name)
            local["d" + p] = {}
            base, e = g.tan[g.root(a.name)]
            if len(e) > 1 and any(lp):  # (a sum times arrays: multiplied out once, here)
                base, e = _settle(g, g.root(a.name))
            parts.append((base, _mul(e, lp)))
        g.tan[g.root(t)] = _combine(g, parts)
        e = g.tan[g.root(t)][1]
        if readers.get(t, 0) > 1 and (len(e) > 1 or any(len(k) > 1 or c != 1.0
                                                       for k, c in e.items() if k)):
            _settle(g, g.root(t))  # (read twice: its factor multiplied out once)
        # one value of the chain live: its factor goes into its array
        live = [v for v in g.tan if (last.get(v, -1) > k or v in result_names
                                     or v == g.root(out_var) or _aliased_live(g, v, last, k))]
        for v in live:
            b, e = g.tan[v]
            if _big(e) or (len(live) == 1 and any(e)):
                _settle(g, v)
        for v in [v for v in g.tan if v not in live]:
            del g.tan[v]
    # the gradient
    g.raw([comment("the gradient: the derivative carried forward%s"
                   % (" times the output's gradient" if seed is not None else ""))], [], [])
    if reduce_of is not None:
        kind, v, _ = reduce_of
    else:
        kind, v = None, g.root(out_var)
    if v not in g.tan:
        raise _Abort("the output is not of the chain")
    base, e = g.tan[v]
    grad = g.materialize(base, e) if not (base is not None and e == {(): 1.0}) else base
    info = g.info[grad]
    kept = {g.root(n) for n in result_names}
    if not info.xshaped:
        raise _Abort("a gradient of another shape")
    if not info.owned or info.kind != "f" or grad in kept or grad in g.params:
        new = g.names.fresh("d_" + x)
        g.raw([assign([new], gast.Call(
            func=gast.Attribute(value=name(grad), attr="astype", ctx=gast.Load()),
            args=[gast.Attribute(value=name(x), attr="dtype", ctx=gast.Load())],
            keywords=[]))], [new], [grad, x])
        g.info[new] = Info("f", True, True)
        grad = new
    if kind == "mean":
        share = g.names.fresh("share")
        g.raw([assign([share], gast.Call(func=name("reduction_share"),
                                         args=[name(out_var), name(v)], keywords=[]))],
              [share], [v, out_var])
        g.info[share] = Info("o", False, False)
        grad = g.op("multiply", [grad, share], "d", target=g.names.fresh("d_" + x))
    if seed is not None:
        s_name = g.names.fresh("seed")
        g.raw([assign([s_name], seed)], [s_name], _loads(seed))
        new = g.names.fresh("d_" + x)
        g.raw([assign([new], gast.BinOp(left=name(grad), op=gast.Mult(),
                                        right=name(s_name)))], [new], [grad, s_name])
        grad = new
    # the names the function returns that are another's array
    for n in sorted(result_names):
        if g.root(n) != n:
            g.raw([assign([n], name(g.root(n)))], [n], [g.root(n)])
    stmts = emit(g, kept | {grad} | set(result_names))
    check = gast.Call(func=name("fwdacc_ok"),
                      args=[name(x)] + [name(n) for n in g.checked], keywords=[])
    note = comment("an elementwise chain from %s: its derivative is diagonal, carried forward "
                   "alongside the values (d *= local derivative), in place; nothing is kept"
                   % x)
    return check, [note] + stmts, grad, g.reverse_ops


def _env(g, s, active) -> dict:
    """Each parameter of Prim ``s`` as a factor (an array's name or a number)."""
    env = {}
    for p, a in s.args.items():
        if isinstance(a, Var):
            n = g.root(a.name)
            if n not in g.info:
                raise _Abort("unknown %s" % n)
            if a.name in active or g.info[n].xshaped:
                pass
            elif n in g.params:
                if n not in g.checked:
                    g.checked.append(n)
            else:
                raise _Abort("a value computed from other arrays")
            env[p] = _atom(n)
        elif type(a.value) in (int, float, bool):
            env[p] = _const(a.value)
        else:
            raise _Abort("a constant that is no number")
    return env


def _aliased_live(g, v, last, k) -> bool:
    return any(g.root(n) == v and last.get(n, -1) > k for n in g.alias)


def _settle(g, v):
    """Multiply value ``v``'s factor into its array: its tangent is then ``(array, c)``, a
    number ``c`` kept symbolic (it folds into later coefficients)."""
    base, e = g.tan[v]
    if base is not None and not any(e):
        return g.tan[v]
    c = 1.0
    if len(e) == 1:
        (k, c), = e.items()
        if base is None and len(k) == 1 and g.info[k[0]].kind == "f" \
                and g.info[k[0]].xshaped:
            g.tan[v] = (k[0], _const(c))
            return g.tan[v]
        e = {k: 1.0}
    g.tan[v] = (g.materialize(base, e), _const(c))
    return g.tan[v]


def _combine(g, parts):
    """The tangent ``sum(base * factor)`` of ``parts``: symbolic when they share a base."""
    if len(parts) == 1:  # (the commonest: one operand of the chain)
        return (parts[0][0], _add({}, parts[0][1]))
    bases = {b for b, _ in parts}
    if len(bases) == 1:
        e: dict = {}
        for _, pe in parts:
            e = _add(e, pe)
        return (parts[0][0], e)
    acc, c, c0 = None, 0.0, 1.0
    for b, pe in parts:
        if b is None and list(pe) in ([()], []):
            c += pe.get((), 0.0)
            continue
        ci = 1.0
        if len(pe) == 1:  # one term: its coefficient outside (a subtraction, or kept)
            (k, ci), = pe.items()
            pe = {k: 1.0}
        m = g.materialize(b, pe) if any(pe) else b
        if acc is None:
            acc, c0 = m, ci
        elif ci in (c0, -c0):
            acc = g.op("add" if ci == c0 else "subtract", [acc, m], "d")
        else:
            acc = g.op("add", [acc, g.op("multiply", [m, Num(ci / c0)])], "d")
    if c:
        acc = g.op("add", [acc, Num(c / c0)], "d")
    return (acc, _const(c0))


def _renamed(stmt, g):
    args = {p: (Var(g.root(a.name)) if isinstance(a, Var) else a) for p, a in stmt.args.items()}
    return Prim(stmt.targets, stmt.prim, args, stmt.loc)


def _loads(node) -> list:
    return [n.id for n in gast.walk(node) if isinstance(n, gast.Name)
            and isinstance(n.ctx, gast.Load)]
