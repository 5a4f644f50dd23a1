"""Random well-formed programs for autograd_st, and the checks run on each.

``programs()`` is a hypothesis strategy giving :class:`Program` objects: the Python source of
a module that defines either a function ``f(x0, ...)`` or a Cell ``Net`` (with Parameters,
some ``requires_grad=False``, and sub-Cells), plus module-level helper functions, all written
in the subset the compiler differentiates:

* straight-line code over ``+ - * /``, ``**``, ``ops.sin/cos/tanh/sigmoid/exp/square``,
  ``ops.stop_gradient``, sums and means (``ops.sum``, ``ops.mean``, ``ops.reduce_sum``,
  ``Tensor.sum/mean``, with ``axis`` and ``keepdims``), ``@`` / ``ops.matmul``;
* broadcasting shapes ``()``, ``(3,)``, ``(1, 3)``, ``(2, 1)``, ``(2, 3)`` (and ``(3, 3)``
  matrices for matmul);
* reassignment (also of arguments) and augmented assignment;
* ``if`` / ``elif`` / ``else`` on tensor values (``if ops.sum(v) > c:``), on the loop index;
* ``for i in range(k)`` (``k`` a constant or ``v.shape[0]``) carrying variables, with
  ``break`` / ``continue`` on tensor conditions;
* ``while`` loops with a counter and a tensor condition (``while n < K and ...``, or
  ``while ...: ... if n >= K: break``);
* calls to helper functions (which may call each other and hold loops) and sub-Cells.

Values are kept away from singularities by construction: every expression carries an upper
bound on its magnitude (inputs and Parameters are in [-1.5, 1.5]); ``exp`` only sees
arguments bounded by 2, denominators are ``1.5 + sigmoid(.)``, ``2 + cos(.)`` or ``exp(.)``,
and anything whose bound grows past a limit is squashed (``tanh``) or scaled down.  Loops keep
an invariant bound on what they carry.  There are no kinks (no abs/relu/max); the only
non-smooth points are branch conditions, and those are checked at run time: a "probe" copy
of the module records how far every tensor condition is from its threshold, and a program
whose condition comes within ``MARGIN`` of flipping is rejected (it would flip under finite
differences).

``check_program(program, directory)`` writes the module, imports it (the compiler reads the
source through ``inspect``/``linecache``) and runs :func:`run_checks`: the gradient with
respect to every input (and trainable Parameter) against central differences,
``value_and_grad``'s value against calling the function, a second gradient API against the
first, and for some programs ``ops.jvp`` against a directional difference and
``ops.grad(ops.grad(.))`` against differences of the gradient (functions with loops must be
refused with ``UnsupportedSyntaxError`` or be right).

``repro_script(program, error)`` gives a standalone script (the program, its inputs and the
checker's source) that reproduces a failure: ``python repro.py``.
"""
from __future__ import annotations

import dataclasses
import hashlib
import importlib
import inspect
import itertools
import os
import sys
import textwrap

import numpy as np
from hypothesis import strategies as st

__all__ = ["Program", "programs", "check_program", "run_checks", "repro_script",
           "ProgramRejected", "ProgramFailure", "MARGIN"]

# =========================================================================================
# shapes and bounds
# =========================================================================================

SHAPES = [(), (3,), (1, 3), (2, 1), (2, 3)]
MAT = (3, 3)
ALLOWED = frozenset(SHAPES + [MAT])
MAXB = 5.0          # every expression's magnitude bound stays under this
EXP_ARG = 2.0       # exp only of values bounded by this
PARAM_BOUND = 2.0   # helper / sub-Cell arguments are fitted to this bound
MARGIN = 1e-3       # tensor conditions must be at least this far from their threshold
INPUT_LOW, INPUT_HIGH = -1.5, 1.5

CONSTS = [0.5, -0.5, 0.25, 1.5, 2.0, -1.25, 0.1, 0.75, 3.0, -2.0]
THRESHOLDS = [-1.0, -0.5, 0.0, 0.3, 0.5, 1.0, 2.0, -2.0]
NICE = [0.5, 0.25, 0.2, 0.1, 0.05, 0.02, 0.01]


def _bc(a, b):
    """Broadcast shape of ``a`` and ``b`` if it is one of ours, else None."""
    try:
        s = tuple(np.broadcast_shapes(a, b))
    except ValueError:
        return None
    return s if s in ALLOWED else None


def _mm(a, b):
    """matmul result shape of ``a @ b`` if one of ours (both operands at least 1-d)."""
    if not a or not b:
        return None
    try:
        s = np.matmul(np.empty(a), np.empty(b)).shape
    except ValueError:
        return None
    return tuple(s) if tuple(s) in ALLOWED else None


MM_TABLE = {(a, b): _mm(a, b) for a in ALLOWED for b in ALLOWED if _mm(a, b) is not None}

# subscripts (integer indices, slices, negative and open bounds) whose results are ours
SUBSCRIPTS = {
    (2, 3): ["[0]", "[1]", "[-1]", "[1:]", "[:1]", "[:, 0:1]", "[:, -1:]", "[..., 2:]"],
    (3, 3): ["[0]", "[:, 1]", "[2:]", "[0:1]", "[-1, :]", "[::2][1:]"],
    (1, 3): ["[0]", "[-1]", "[:, ::-1]"],
    (3,): ["[1]", "[-1]", "[::-1]", "[None]"],
    (2, 1): ["[0, 0]", "[1][0]", "[::-1]", "[:, 0][None]"],
}


def _sub_shape(shape, suffix):
    try:
        out = eval("np.empty(%r)%s" % (shape, suffix), {"np": np}).shape  # noqa: S307
    except (IndexError, ValueError):
        return None
    return tuple(out) if tuple(out) in ALLOWED else None


SUB_TABLE = {a: [(sfx, _sub_shape(a, sfx)) for sfx in sfxs if _sub_shape(a, sfx) is not None]
             for a, sfxs in SUBSCRIPTS.items()}


def _size(shape):
    return int(np.prod(shape)) if shape else 1


def _reductions(shape):
    """[(kind, axis, keep, out_shape, count)] for the sums/means of ``shape`` we can write."""
    out = [("all", None, False, (), _size(shape))]
    nd = len(shape)
    axes = []
    if nd >= 1:
        axes += [(a,) for a in range(nd)] + [(-1,)]
    if nd == 2:
        axes.append((0, 1))
    for ax in axes:
        norm = tuple(sorted(a % nd for a in ax))
        count = int(np.prod([shape[a] for a in norm]))
        for keep in (False, True):
            res = tuple(1 if i in norm else d for i, d in enumerate(shape)) if keep else \
                tuple(d for i, d in enumerate(shape) if i not in norm)
            if res in ALLOWED:
                out.append(("axis", ax if len(ax) > 1 else ax[0], keep, res, count))
    return out


# =========================================================================================
# expressions and scopes
# =========================================================================================

@dataclasses.dataclass
class E:
    src: str
    shape: tuple
    bound: float
    tensor: bool = True


@dataclasses.dataclass
class Var:
    name: str
    shape: tuple
    bound: float
    mutable: bool = True    # False: Parameters (self.w) and the loop index


@dataclasses.dataclass
class Helper:
    name: str
    params: list            # [(shape, bound)]
    out_shape: tuple
    out_bound: float
    has_loop: bool
    is_cell: bool = False   # a sub-Cell instance called as self.<name>(...)


class Scope:
    """The variables visible at a point of the program, with their shapes and bounds."""

    def __init__(self, vars_, indices=(), in_loop=False, callables=()):
        self.vars = dict((v.name, v) for v in vars_)
        self.indices = list(indices)        # [(name, max value)] python ints
        self.in_loop = in_loop
        self.callables = list(callables)    # Helper objects callable here

    def child(self, in_loop=None):
        s = Scope([dataclasses.replace(v) for v in self.vars.values()], self.indices,
                  self.in_loop if in_loop is None else in_loop, self.callables)
        return s

    def shapes0(self):
        return {v.shape for v in self.vars.values()}


def _producible(shapes0, depth):
    """Shapes an expression of at most ``depth`` levels over vars of ``shapes0`` can have."""
    s = set(shapes0)
    levels = [frozenset(s)]
    for _ in range(depth):
        new = set(s)
        for a in s:
            for b in s:
                r = _bc(a, b)
                if r is not None:
                    new.add(r)
                r = MM_TABLE.get((a, b))
                if r is not None:
                    new.add(r)
            for red in _reductions(a):
                new.add(red[3])
            for _, r in SUB_TABLE.get(a, ()):
                new.add(r)
        s = new
        levels.append(frozenset(s))
    return levels


def _nice_scale(bound, limit):
    for c in NICE:
        if c * bound <= limit:
            return c
    return None


# =========================================================================================
# the generator
# =========================================================================================

class _Gen:
    MAX_DEPTH = 3

    def __init__(self, draw):
        self.draw = draw
        self.names = itertools.count()
        self.conds = {}             # marker -> (src, op, threshold)
        self.has_loop = False
        self.n_tensor_conds = 0
        self.allow_ifexp = True     # not inside a condition's own expression

    # ---- small draws ---------------------------------------------------------------------
    def pick(self, seq):
        seq = list(seq)
        return seq[self.draw(st.integers(0, len(seq) - 1))]

    def chance(self, p):
        # a small range draws near-uniformly (a large one is skewed towards 0); shrinks
        # towards "no"
        return self.draw(st.integers(0, 19)) >= round(20 * (1 - p))

    def weighted(self, options):
        """options: [(weight, value)]; shrinks towards the first."""
        total = sum(w for w, _ in options)
        r = self.draw(st.integers(0, total - 1))
        for w, v in options:
            if r < w:
                return v
            r -= w
        return options[-1][1]

    def fresh(self, prefix="v"):
        return "%s%d" % (prefix, next(self.names))

    # ---- bounds --------------------------------------------------------------------------
    def fit(self, e, limit=MAXB):
        if e.bound <= limit:
            return e
        if not e.tensor:
            c = _nice_scale(e.bound, limit)
            return E("(%r * %s)" % (c, e.src), e.shape, e.bound * c, False)
        how = self.pick(["tanh", "scale"])
        c = _nice_scale(e.bound, limit)
        if how == "tanh" or c is None:
            return E("ops.tanh(%s)" % e.src, e.shape, 1.0)
        return E("(%s * %r)" % (e.src, c), e.shape, e.bound * c)

    # ---- expressions ---------------------------------------------------------------------
    def expr(self, scope, want, depth=None):
        """An expression whose shape is in ``want`` (a tensor, bound <= MAXB)."""
        want = frozenset(want) & ALLOWED
        levels = _producible(scope.shapes0(), self.MAX_DEPTH)
        if depth is None:
            depth = self.draw(st.integers(0, self.MAX_DEPTH))
        while not (want & levels[depth]):
            depth += 1
            if depth > self.MAX_DEPTH:
                raise AssertionError("generator: no expression of shape %s from %s"
                                     % (sorted(want), sorted(scope.shapes0())))
        return self.fit(self._expr(scope, want, depth, levels))

    def _expr(self, scope, want, depth, levels):
        want = want & levels[depth]
        options = []
        var_ok = [v for v in scope.vars.values() if v.shape in want]
        if var_ok:
            options.append((6 if depth == 0 else 2, "leaf"))
        if depth >= 1:
            below = levels[depth - 1]
            if want & below:
                options.append((4, "unary"))
            if any(_bc(a, b) in want for a in below for b in below):
                options.append((6, "binary"))
            if any(r[3] in want for a in below for r in _reductions(a)):
                options.append((2, "reduce"))
            if any(MM_TABLE.get((a, b)) in want for a in below for b in below):
                options.append((1, "matmul"))
            if any(r in want for a in below for _, r in SUB_TABLE.get(a, ())):
                options.append((2, "index"))
            if want & below and self.allow_ifexp:
                options.append((1, "ifexp"))
            calls = [h for h in scope.callables if h.out_shape in want
                     and all(p[0] in below for p in h.params)]
            if calls:
                options.append((3, "call"))
        assert options, (want, depth)
        kind = self.weighted(options)
        sub = depth - 1
        if kind == "leaf":
            v = self.pick(var_ok[::-1])     # newest first
            return E(v.name, v.shape, v.bound)
        below = levels[sub]
        if kind == "unary":
            return self.unary(self._expr(scope, want & below, sub, levels))
        if kind == "binary":
            firsts = [a for a in below if any(_bc(a, b) in want for b in below)]
            a = self.fit(self._expr(scope, frozenset(firsts), sub, levels))
            seconds = frozenset(b for b in below if _bc(a.shape, b) in want)
            if () in seconds and self.chance(0.3):
                b = self.scalar_operand(scope)
            else:
                b = self.fit(self._expr(scope, seconds, sub, levels))
            return self.binary(a, b)
        if kind == "reduce":
            srcs = frozenset(a for a in below if any(r[3] in want for r in _reductions(a)))
            a = self._expr(scope, srcs, sub, levels)
            reds = [r for r in _reductions(a.shape) if r[3] in want]
            return self.reduce(a, self.pick(reds))
        if kind == "matmul":
            pairs = [(a, b) for a in below for b in below if MM_TABLE.get((a, b)) in want]
            sa, sb = self.pick(sorted(pairs))
            a = self.fit(self._expr(scope, frozenset([sa]), sub, levels), 2.0)
            b = self.fit(self._expr(scope, frozenset([sb]), sub, levels), 2.0)
            k = a.shape[-1]
            src = ("(%s @ %s)" if self.chance(0.6) else "ops.matmul(%s, %s)") % (a.src, b.src)
            return E(src, MM_TABLE[(sa, sb)], a.bound * b.bound * k)
        if kind == "index":
            srcs = frozenset(a for a in below if any(r in want for _, r in SUB_TABLE.get(a, ())))
            a = self._expr(scope, srcs, sub, levels)
            sfx, shape = self.pick([(x, r) for x, r in SUB_TABLE[a.shape] if r in want])
            src = a.src if (a.src.isidentifier() or a.src.startswith("(")) else "(%s)" % a.src
            return E(src + sfx, shape, a.bound)
        if kind == "ifexp":
            cond = self.condition(scope, nested=True)
            a = self.fit(self._expr(scope, want & below, sub, levels))
            b = self.fit(self._expr(scope, frozenset([a.shape]), sub, levels)) \
                if a.shape in levels[sub] and self.chance(0.8) else a
            return E("(%s if %s else %s)" % (a.src, cond, b.src), a.shape,
                     max(a.bound, b.bound))
        if kind == "call":
            h = self.pick([h for h in scope.callables if h.out_shape in want
                           and all(p[0] in below for p in h.params)])
            args = [self.fit(self._expr(scope, frozenset([s]), sub, levels), b).src
                    for s, b in h.params]
            fn = ("self.%s" % h.name) if h.is_cell else h.name
            return E("%s(%s)" % (fn, ", ".join(args)), h.out_shape, h.out_bound)
        raise AssertionError(kind)

    def scalar_operand(self, scope):
        """A python number: a constant or an expression of the loop index."""
        if scope.indices and self.chance(0.5):
            name, top = self.pick(scope.indices)
            c = self.pick([0.1, 0.25, 0.5, 1.0])
            if c == 1.0:
                return E(name, (), float(max(top, 0)), False)
            return E("(%r * %s)" % (c, name), (), c * max(top, 0), False)
        c = self.pick(CONSTS)
        return E(repr(c), (), abs(c), False)

    def unary(self, a):
        options = [(3, "sin"), (3, "cos"), (3, "tanh"), (2, "sigmoid"), (3, "exp"),
                   (2, "square"), (1, "neg"), (1, "pow"), (1, "stop"), (1, "method")]
        kind = self.weighted(options)
        if kind in ("sin", "cos", "tanh", "sigmoid"):
            return E("ops.%s(%s)" % (kind, a.src), a.shape, 1.0)
        if kind == "exp":
            a = self.fit(a, EXP_ARG)
            return E("ops.exp(%s)" % a.src, a.shape, float(np.exp(a.bound)))
        if kind == "square":
            a = self.fit(a, 2.0)
            return E("ops.square(%s)" % a.src, a.shape, a.bound ** 2)
        if kind == "neg":
            return E("(-%s)" % a.src, a.shape, a.bound)
        if kind == "pow":
            p = self.pick([2, 3])
            a = self.fit(a, 1.5)
            return E("(%s ** %d)" % (a.src, p), a.shape, a.bound ** p)
        if kind == "stop":
            return E("ops.stop_gradient(%s)" % a.src, a.shape, a.bound)
        # Tensor methods
        m = self.pick(["tanh", "exp", "square"])
        if m == "exp":
            a = self.fit(a, EXP_ARG)
            return E("%s.exp()" % a.src, a.shape, float(np.exp(a.bound)))
        if m == "square":
            a = self.fit(a, 2.0)
            return E("%s.square()" % a.src, a.shape, a.bound ** 2)
        return E("%s.tanh()" % a.src, a.shape, 1.0)

    def binary(self, a, b):
        """``a`` a tensor, ``b`` a tensor or python number; result shape broadcast."""
        shape = _bc(a.shape, b.shape)
        assert shape is not None
        op = self.weighted([(4, "+"), (3, "-"), (4, "*"), (2, "/")])
        swap = self.chance(0.3)
        if op == "/":
            # a / d(b) with d bounded away from zero; or b / d(a)
            num, den = (b, a) if swap and b.tensor else (a, b)
            if not den.tensor:
                c = abs(float(den.src)) if _is_number(den.src) else None
                if c is not None and c >= 0.25:
                    return E("(%s / %s)" % (num.src, den.src), shape, num.bound / c)
                return E("(%s / 2.0)" % num.src, num.shape, num.bound / 2.0) \
                    if num.tensor else self.binary(a, b)
            form = self.pick(["sigmoid", "cos", "exp"])
            if form == "sigmoid":
                d, low = "(1.5 + ops.sigmoid(%s))" % den.src, 1.5
            elif form == "cos":
                d, low = "(2.0 + ops.cos(%s))" % den.src, 1.0
            else:
                den = self.fit(den, 1.0)
                d, low = "ops.exp(%s)" % den.src, float(np.exp(-den.bound))
            return E("(%s / %s)" % (num.src, d), shape, num.bound / low)
        x, y = (b, a) if swap else (a, b)
        bound = a.bound * b.bound if op == "*" else a.bound + b.bound
        return E("(%s %s %s)" % (x.src, op, y.src), shape, bound)

    def reduce(self, a, red):
        kind, axis, keep, shape, count = red
        fn = self.pick(["sum", "mean"])
        bound = a.bound * count if fn == "sum" else a.bound
        if kind == "all":
            style = self.pick(["ops", "method"])
            src = ("ops.%s(%s)" % (fn, a.src)) if style == "ops" else "%s.%s()" % (a.src, fn)
            return E(src, shape, bound)
        ax = repr(axis)
        style = self.pick(["ops", "kw", "method", "reduce"])
        if fn == "sum":
            if style == "ops":
                src = "ops.sum(%s, %s%s)" % (a.src, ax, ", keepdim=True" if keep else "")
            elif style == "kw":
                src = "ops.sum(%s, dim=%s, keepdim=%r)" % (a.src, ax, keep)
            elif style == "method":
                src = "%s.sum(axis=%s, keepdims=%r)" % (a.src, ax, keep)
            else:
                src = "ops.reduce_sum(%s, %s, keep_dims=%r)" % (a.src, ax, keep)
        else:
            if style in ("ops", "reduce"):
                src = "ops.mean(%s, %s%s)" % (a.src, ax, ", keep_dims=True" if keep else "")
            elif style == "kw":
                src = "ops.mean(%s, axis=%s, keep_dims=%r)" % (a.src, ax, keep)
            else:
                src = "%s.mean(axis=%s, keepdims=%r)" % (a.src, ax, keep)
        return E(src, shape, bound)

    def condition(self, scope, nested=False):
        """A tensor condition, as a marker replaced at render time (probed or plain)."""
        before = self.allow_ifexp
        self.allow_ifexp = False
        try:
            a = self.expr(scope, ALLOWED, self.draw(st.integers(0, 1 if nested else 2)))
        finally:
            self.allow_ifexp = before
        red = self.pick(["ops.sum(%s)", "ops.mean(%s)", "%s.sum()", "ops.sum(%s * %s)"])
        src = red % ((a.src, a.src) if red.count("%s") == 2 else (a.src,))
        op = self.pick([">", "<"])
        c = self.pick(THRESHOLDS)
        marker = "__COND%d__" % len(self.conds)
        self.conds[marker] = (src, op, c)
        self.n_tensor_conds += 1
        return marker

    # ---- statements ----------------------------------------------------------------------
    def block(self, scope, lines, indent, n, cf_depth, targets=None):
        """``n`` statements; in a control-flow body only ``targets`` may be reassigned."""
        for _ in range(n):
            self.statement(scope, lines, indent, cf_depth, targets)

    def statement(self, scope, lines, indent, cf_depth, targets):
        pad = "    " * indent
        options = [(4, "new"), (3, "assign"), (2, "aug")]
        if cf_depth < 2:
            options += [(2, "if"), (2, "for"), (1, "while")]
        if scope.in_loop and cf_depth >= 1:
            options += [(1, "if_index")] if scope.indices else []
        kind = self.weighted(options)
        mutable = [v for v in scope.vars.values() if v.mutable and
                   (targets is None or v.name in targets)]
        if kind in ("assign", "aug") and not mutable:
            kind = "new"
        if kind == "new" and self.chance(0.15):
            kind = "unpack"
        if kind == "unpack":
            # a, b = e1, e2: new names, or values of exactly the same shapes
            names = []
            for _ in range(2):
                pool = [v.name for v in mutable if v.name not in names]
                names.append(self.pick(pool) if pool and self.chance(0.5) else self.fresh())
            es = [self.expr(scope, {scope.vars[n].shape} if n in scope.vars else ALLOWED)
                  for n in names]
            lines.append("%s%s, %s = %s, %s" % (pad, names[0], names[1], _strip(es[0].src),
                                                _strip(es[1].src)))
            for n, e in zip(names, es):
                scope.vars[n] = Var(n, e.shape, e.bound)
            return
        if kind == "new":
            e = self.expr(scope, ALLOWED)
            name = self.fresh()
            lines.append("%s%s = %s" % (pad, name, _strip(e.src)))
            scope.vars[name] = Var(name, e.shape, e.bound)
        elif kind == "assign":
            v = self.pick(mutable)
            if targets is None and self.chance(0.4):
                e = self.expr(scope, ALLOWED)              # top level: any shape
            else:
                e = self.expr(scope, {v.shape})
            lines.append("%s%s = %s" % (pad, v.name, _strip(e.src)))
            scope.vars[v.name] = Var(v.name, e.shape, e.bound)
        elif kind == "aug":
            v = self.pick(mutable)
            into = {t for t in ALLOWED if _bc(v.shape, t) == v.shape}
            op = self.pick(["+=", "-=", "*=", "/="])
            if op == "/=":
                e = self.expr(scope, into)
                lines.append("%s%s /= (1.5 + ops.sigmoid(%s))" % (pad, v.name, _strip(e.src)))
                bound = v.bound / 1.5
            elif op == "*=":
                e = self.fit(self.expr(scope, into), 2.0)
                lines.append("%s%s *= %s" % (pad, v.name, _strip(e.src)))
                bound = v.bound * e.bound
            else:
                e = self.expr(scope, into)
                lines.append("%s%s %s %s" % (pad, v.name, op, _strip(e.src)))
                bound = v.bound + e.bound
            scope.vars[v.name] = Var(v.name, v.shape, bound)
            if bound > MAXB:
                self.squash(scope, lines, pad, v.name, MAXB)
        elif kind == "if":
            self.if_stmt(scope, lines, indent, cf_depth, targets)
        elif kind == "if_index":
            self.if_index(scope, lines, indent, cf_depth, targets)
        elif kind == "for":
            self.for_stmt(scope, lines, indent, cf_depth, targets)
        else:
            self.while_stmt(scope, lines, indent, cf_depth, targets)

    def squash(self, scope, lines, pad, name, limit):
        v = scope.vars[name]
        if v.bound <= limit:
            return
        c = _nice_scale(v.bound, limit)
        if limit >= 1.0 and (c is None or self.chance(0.5)):
            lines.append("%s%s = ops.tanh(%s)" % (pad, name, name))
            scope.vars[name] = Var(name, v.shape, 1.0)
            return
        assert c is not None, (v.bound, limit)
        lines.append("%s%s = %s * %r" % (pad, name, name, c))
        scope.vars[name] = Var(name, v.shape, v.bound * c)

    def _targets(self, scope, targets, k_max=2):
        pool = [v.name for v in scope.vars.values() if v.mutable and
                (targets is None or v.name in targets)]
        if not pool:
            return []
        k = self.draw(st.integers(1, min(k_max, len(pool))))
        chosen = []
        for _ in range(k):
            n = self.pick(pool)
            if n not in chosen:
                chosen.append(n)
        return chosen

    def assign_exact(self, scope, lines, pad, name, shape):
        """``name = <expr of exactly shape>`` (possibly as an augmented assignment)."""
        if name in scope.vars and self.chance(0.25):
            into = {t for t in ALLOWED if _bc(shape, t) == shape}
            e = self.fit(self.expr(scope, into), 2.0)
            op = self.pick(["+=", "*=", "-="])
            lines.append("%s%s %s %s" % (pad, name, op, _strip(e.src)))
            old = scope.vars[name].bound
            bound = old * e.bound if op == "*=" else old + e.bound
        else:
            e = self.expr(scope, {shape}, self.draw(st.integers(1, self.MAX_DEPTH)))
            lines.append("%s%s = %s" % (pad, name, _strip(e.src)))
            bound = e.bound
        scope.vars[name] = Var(name, shape, bound)

    def if_stmt(self, scope, lines, indent, cf_depth, targets):
        pad = "    " * indent
        existing = self._targets(scope, targets)
        new = []
        if targets is None and not scope.in_loop and self.chance(0.4):
            new = [(self.fresh(), self.pick(sorted(scope.shapes0())))]
        if not existing and not new:
            return
        n_branches = self.weighted([(3, 2), (2, 1), (1, 3)])
        if new and n_branches == 1:
            n_branches = 2
        outs = []
        for b in range(n_branches):
            if b == 0:
                lines.append("%sif %s:" % (pad, self.condition(scope)))
            elif b == n_branches - 1:
                lines.append("%selse:" % pad)
            else:
                lines.append("%selif %s:" % (pad, self.condition(scope)))
            inner = scope.child()
            body = []
            self.block(inner, body, indent + 1, self.draw(st.integers(0, 1)), cf_depth + 1,
                       set(existing))
            for name in existing:
                if self.chance(0.8) or not body:
                    self.assign_exact(inner, body, pad + "    ", name, scope.vars[name].shape)
            for name, shape in new:
                self.assign_exact(inner, body, pad + "    ", name, shape)
            lines.extend(body)
            outs.append(inner)
        for name in existing:
            bounds = [o.vars[name].bound for o in outs]
            if n_branches == 1:
                bounds.append(scope.vars[name].bound)
            scope.vars[name] = Var(name, scope.vars[name].shape, max(bounds))
        for name, shape in new:
            scope.vars[name] = Var(name, shape, max(o.vars[name].bound for o in outs))

    def if_index(self, scope, lines, indent, cf_depth, targets):
        """``if i % 2 == 0:`` on the (python int) loop index."""
        pad = "    " * indent
        existing = self._targets(scope, targets, 1)
        if not existing:
            return
        name, _ = self.pick(scope.indices)
        test = self.pick(["%s %% 2 == 0" % name, "%s > 0" % name, "%s == 1" % name])
        lines.append("%sif %s:" % (pad, test))
        inner = scope.child()
        self.assign_exact(inner, lines, pad + "    ", existing[0], scope.vars[existing[0]].shape)
        v = existing[0]
        scope.vars[v] = Var(v, scope.vars[v].shape, max(scope.vars[v].bound,
                                                        inner.vars[v].bound))

    def loop_body(self, scope, lines, indent, cf_depth, carried, index=None, first=()):
        """The body of a loop carrying ``carried`` (bounds made loop-invariant).

        ``first``: lines that open the body (a while loop's counter).  A ``break`` /
        ``continue`` on a tensor condition may open or close the body, where every carried
        value is within its loop-invariant bound.
        """
        pad = "    " * indent
        for name in carried:
            v = scope.vars[name]
            scope.vars[name] = Var(name, v.shape, max(v.bound, 1.0))
        entry = {name: scope.vars[name].bound for name in carried}
        inner = scope.child(in_loop=True)
        if index is not None:
            inner.indices = inner.indices + [index]
        body = [pad + line for line in first]
        exit_at = self.weighted([(6, None), (1, "start"), (1, "end")]) if cf_depth == 0 \
            else None
        if exit_at == "start":
            self.exit_stmt(inner, body, indent)
        self.block(inner, body, indent, self.draw(st.integers(0, 1)), cf_depth + 1,
                   set(carried))
        for name in carried:
            self.assign_exact(inner, body, pad, name, scope.vars[name].shape)
        for name in carried:
            if inner.vars[name].bound > entry[name]:
                self.squash(inner, body, pad, name, entry[name])
            assert inner.vars[name].bound <= entry[name] + 1e-12
        if exit_at == "end":
            self.exit_stmt(inner, body, indent)
        lines.extend(body)

    def exit_stmt(self, scope, lines, indent):
        pad = "    " * indent
        lines.append("%sif %s:" % (pad, self.condition(scope)))
        lines.append("%s    %s" % (pad, self.pick(["break", "continue"])))

    def for_stmt(self, scope, lines, indent, cf_depth, targets):
        pad = "    " * indent
        carried = self._targets(scope, targets)
        if not carried:
            return
        self.has_loop = True
        i = self.fresh("i")
        sized = [v for v in scope.vars.values() if v.shape]
        form = self.weighted([(4, "const"), (1, "start"), (1, "shape")] if sized else
                             [(4, "const"), (1, "start")])
        if form == "const":
            k = self.draw(st.integers(0, 3))
            header, top = "range(%d)" % k, k - 1
        elif form == "start":
            a = self.draw(st.integers(0, 2))
            b = a + self.draw(st.integers(1, 3))
            header, top = "range(%d, %d)" % (a, b), b - 1
        else:
            v = self.pick(sized)
            header, top = "range(%s.shape[0])" % v.name, v.shape[0] - 1
        lines.append("%sfor %s in %s:" % (pad, i, header))
        self.loop_body(scope, lines, indent + 1, cf_depth, carried, index=(i, top))

    def while_stmt(self, scope, lines, indent, cf_depth, targets):
        pad = "    " * indent
        carried = self._targets(scope, targets)
        if not carried:
            return
        self.has_loop = True
        n = self.fresh("n")
        k = self.draw(st.integers(1, 4))
        for name in carried:   # the condition is evaluated with the loop-invariant bounds
            v = scope.vars[name]
            scope.vars[name] = Var(name, v.shape, max(v.bound, 1.0))
        lines.append("%s%s = 0" % (pad, n))
        cond = self.condition(scope)
        if self.chance(0.7):
            lines.append("%swhile %s < %d and %s:" % (pad, n, k, cond))
            self.loop_body(scope, lines, indent + 1, cf_depth, carried,
                           first=["%s += 1" % n])
        else:
            lines.append("%swhile %s:" % (pad, cond))
            self.loop_body(scope, lines, indent + 1, cf_depth, carried,
                           first=["%s += 1" % n, "if %s > %d:" % (n, k), "    break"])

    # ---- functions, helpers, Cells -------------------------------------------------------
    def call_stmt(self, scope, lines, indent, h):
        """``v = h(args)``: a call of a helper or sub-Cell, arguments from the scope."""
        reachable = _producible(scope.shapes0(), self.MAX_DEPTH)[-1]
        if not all(s in reachable for s, _ in h.params):
            return
        args = [self.expr(scope, {s}, self.draw(st.integers(0, 2))) for s, _ in h.params]
        args = [_strip(self.fit(a, b).src) for a, (_, b) in zip(args, h.params)]
        name = self.fresh()
        fn = ("self.%s" % h.name) if h.is_cell else h.name
        lines.append("%s%s = %s(%s)" % ("    " * indent, name, fn, ", ".join(args)))
        scope.vars[name] = Var(name, h.out_shape, h.out_bound)

    def body_and_return(self, scope, indent, n_stmts, returns="scalar"):
        lines = []
        for h in scope.callables:
            if self.chance(0.6):
                self.call_stmt(scope, lines, indent, h)
        pad = "    " * indent
        early = n_stmts >= 2 and self.chance(0.25)
        if early:
            first = self.draw(st.integers(1, n_stmts - 1))
            self.block(scope, lines, indent, first, 0)
            n_stmts -= first
            lines.append("%sif %s:" % (pad, self.condition(scope)))
            inner = scope.child()
            self.final_return(inner, lines, indent + 1, returns, early=True)
        self.block(scope, lines, indent, n_stmts, 0)
        return self.final_return(scope, lines, indent, returns,
                                 shape=self.early_shape if early else None)

    def final_return(self, scope, lines, indent, returns, early=False, shape=None):
        """``return ...`` in the form ``returns`` asks for.  An early return (``early``) and
        the final one give the same structure; a helper's both return scalars (its callers
        need one output shape, and a scalar can always be made)."""
        pad = "    " * indent
        if returns == "helper":
            want = {()} if (early or shape is not None) else ALLOWED
            e = self.expr(scope, want, self.draw(st.integers(1, 2)))
            lines.append("%sreturn %s" % (pad, _strip(e.src)))
            self.early_shape = e.shape
            return lines, e
        if shape is not None:
            form = self.early_form
        else:
            form = self.weighted([(5, "sum"), (2, "tensor"), (1, "tuple"), (1, "mean")])
            self.early_form = form
        self.early_shape = ()
        if form in ("sum", "mean"):
            e = self.expr(scope, ALLOWED, self.draw(st.integers(0, 2)))
            lines.append("%sreturn ops.%s(%s)" % (pad, form, _strip(e.src)))
        elif form == "tensor":
            e = self.expr(scope, ALLOWED, self.draw(st.integers(0, 2)))
            lines.append("%sreturn %s" % (pad, _strip(e.src)))
        else:
            a = self.expr(scope, ALLOWED, self.draw(st.integers(0, 2)))
            b = self.expr(scope, ALLOWED, self.draw(st.integers(0, 2)))
            lines.append("%sreturn %s, %s" % (pad, _strip(a.src), _strip(b.src)))
        return lines, None

    def helper(self, callables, k):
        n_params = self.draw(st.integers(1, 2))
        params = [(self.pick(SHAPES), PARAM_BOUND) for _ in range(n_params)]
        names = ["a", "b"][:n_params]
        scope = Scope([Var(n, s, b) for n, (s, b) in zip(names, params)],
                      callables=callables)
        before = self.has_loop
        self.has_loop = False
        lines, e = self.body_and_return(scope, 1, self.draw(st.integers(0, 2)), "helper")
        has_loop = self.has_loop or any(c.has_loop for c in callables
                                        if "%s(" % c.name in "\n".join(lines))
        self.has_loop = before or has_loop
        name = "helper%d" % k
        src = ["def %s(%s):" % (name, ", ".join(names))] + lines
        return Helper(name, params, e.shape, e.bound, has_loop), src

    def parameter(self, cls, attr, shape, requires_grad, rng):
        value = _literal(rng.uniform(INPUT_LOW, INPUT_HIGH, shape))
        extra = "" if requires_grad else ", requires_grad=False"
        return ("        self.%s = Parameter(Tensor(np.array(%s, np.float64)), name=%r%s)"
                % (attr, value, "%s.%s" % (cls, attr), extra))

    def subcell(self, callables, k, rng):
        cls = "Sub%d" % k
        n_params = self.draw(st.integers(0, 2))
        init, pvars = [], []
        for j in range(n_params):
            shape = self.pick(SHAPES + [MAT])
            rg = not self.chance(0.3)
            init.append(self.parameter(cls, "w%d" % j, shape, rg, rng))
            pvars.append(Var("self.w%d" % j, shape, abs(INPUT_HIGH), mutable=False))
        n_args = self.draw(st.integers(1, 2))
        params = [(self.pick(SHAPES), PARAM_BOUND) for _ in range(n_args)]
        names = ["a", "b"][:n_args]
        scope = Scope(pvars + [Var(n, s, b) for n, (s, b) in zip(names, params)],
                      callables=[c for c in callables if not c.is_cell])
        before = self.has_loop
        self.has_loop = False
        lines, e = self.body_and_return(scope, 2, self.draw(st.integers(0, 2)), "helper")
        has_loop = self.has_loop or any(c.has_loop for c in callables
                                        if "%s(" % c.name in "\n".join(lines))
        self.has_loop = before or has_loop
        src = ["class %s(nn.Cell):" % cls,
               "    def __init__(self):",
               "        super().__init__()"] + init + [
               "",
               "    def construct(self, %s):" % ", ".join(names)] + lines
        attr = "sub%d" % k
        return Helper(attr, params, e.shape, e.bound, has_loop, is_cell=True), src, cls


def _is_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def _strip(src):
    """Drop one pair of redundant outer parentheses."""
    if src.startswith("(") and src.endswith(")"):
        depth = 0
        for i, ch in enumerate(src):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(src) - 1:
                return src
        return src[1:-1]
    return src


def _literal(a):
    """A python literal for a float64 array (3 decimals)."""
    a = np.round(np.asarray(a, np.float64), 3)
    if a.ndim == 0:
        return repr(float(a))
    return repr(a.tolist())


# =========================================================================================
# programs
# =========================================================================================

HEADER = ("import numpy as np\n"
          "from autograd_st import nn, ops, Tensor, Parameter\n")

PROBE_HEADER = ("_MARGINS = []\n\n\n"
                "def _probe(a, c, op):\n"
                "    a = float(a.asnumpy()) if hasattr(a, 'asnumpy') else float(a)\n"
                "    _MARGINS.append(abs(a - c))\n"
                "    return a > c if op == '>' else a < c\n")


@dataclasses.dataclass
class Program:
    """A generated module, the inputs to call it with and what to check on it."""
    template: str           # the module source with condition markers
    conds: dict             # marker -> (src, op, threshold)
    kind: str               # "function" (f) or "cell" (Net)
    inputs: list            # float64 arrays
    tangents: list          # float64 arrays, for jvp
    has_loop: bool
    check_jvp: bool
    check_second: bool
    api: str                # which second gradient API to compare with

    @property
    def source(self):
        return render(self.template, self.conds, probe=False)

    @property
    def probe_source(self):
        return render(self.template, self.conds, probe=True)

    def __repr__(self):
        return "Program(kind=%s, has_loop=%s, inputs=%s)\n%s" % (
            self.kind, self.has_loop, [a.shape for a in self.inputs], self.source)


def render(template, conds, probe):
    out = template
    # later markers first: an expression holding a marker (a conditional expression) can sit
    # in a later condition's source
    for marker, (src, op, c) in reversed(list(conds.items())):
        if probe:
            out = out.replace(marker, "_probe(%s, %r, %r)" % (src, c, op))
        else:
            out = out.replace(marker, "%s %s %r" % (src, op, c))
    return HEADER + ("\n" + PROBE_HEADER if probe else "") + "\n\n" + out


@st.composite
def programs(draw, kinds=("function", "cell")):
    """A random :class:`Program` (see the module docstring)."""
    g = _Gen(draw)
    kind = g.pick(kinds)
    seed = draw(st.integers(0, 2 ** 16))
    rng = np.random.default_rng(seed)
    blocks = []
    callables = []
    for k in range(g.draw(st.integers(0, 2))):
        h, src = g.helper(list(callables), k)
        callables.append(h)
        blocks.append("\n".join(src))
    n_inputs = g.draw(st.integers(1, 3))
    shapes = [g.pick(SHAPES + [MAT] if i else SHAPES) for i in range(n_inputs)]
    args = ["x%d" % i for i in range(n_inputs)]
    if kind == "function":
        scope = Scope([Var(a, s, abs(INPUT_HIGH)) for a, s in zip(args, shapes)],
                      callables=callables)
        lines, _ = g.body_and_return(scope, 1, g.draw(st.integers(1, 6)))
        blocks.append("\n".join(["def f(%s):" % ", ".join(args)] + lines))
    else:
        cells = []
        for k in range(g.draw(st.integers(0, 2))):
            h, src, cls = g.subcell(callables, k, rng)
            cells.append((h, cls))
            blocks.append("\n".join(src))
        init, pvars = [], []
        for j in range(g.draw(st.integers(0, 3))):
            shape = g.pick(SHAPES + [MAT])
            rg = not g.chance(0.3)
            init.append(g.parameter("Net", "p%d" % j, shape, rg, rng))
            pvars.append(Var("self.p%d" % j, shape, abs(INPUT_HIGH), mutable=False))
        for h, cls in cells:
            init.append("        self.%s = %s()" % (h.name, cls))
        scope = Scope(pvars + [Var(a, s, abs(INPUT_HIGH)) for a, s in zip(args, shapes)],
                      callables=callables + [h for h, _ in cells])
        lines, _ = g.body_and_return(scope, 2, g.draw(st.integers(1, 6)))
        blocks.append("\n".join(["class Net(nn.Cell):",
                                 "    def __init__(self):",
                                 "        super().__init__()"] + init + [
                                 "",
                                 "    def construct(self, %s):" % ", ".join(args)] + lines))
    template = "\n\n\n".join(blocks) + "\n"
    inputs = [np.round(rng.uniform(INPUT_LOW, INPUT_HIGH, s), 3) for s in shapes]
    tangents = [np.round(rng.uniform(-1.0, 1.0, s), 3) for s in shapes]
    return Program(template, dict(g.conds), kind, inputs, tangents, g.has_loop,
                   check_jvp=g.chance(0.35), check_second=g.chance(0.35),
                   api=g.pick(["grad", "grad_operation", "grad_weights_only"]))


# =========================================================================================
# loading and checking
# =========================================================================================

class ProgramRejected(Exception):
    """The program is too close to a branch threshold to be checked by differences."""


class ProgramFailure(AssertionError):
    """A generated program failed a check (raised from one place, so that hypothesis sees
    one failure however the generated code's file names differ between runs)."""


# Compiler bugs the generator found that are not fixed yet, each pinned by an xfail test in
# tests/test_random_programs.py.  A failure whose text matches one of these is counted, not
# raised, so that the random tests keep checking everything else; when a bug is fixed its
# strict xfail test starts passing (and fails), and its entry here should go.
KNOWN_BUGS = [
    # (name, regression test in tests/test_random_programs.py, regex on the failure text)
]


def known_bug(error):
    """The KNOWN_BUGS entry whose pattern matches the failure text ``error``, or None."""
    import re
    for entry in KNOWN_BUGS:
        if re.search(entry[2], error):
            return entry
    return None


KNOWN_HITS = {}     # bug name -> how many programs hit it (this process)


def describe(exc):
    """The exception and the innermost frames of its traceback, as text."""
    import traceback
    tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
    return "".join(tb[-6:]) if len(tb) > 6 else "".join(tb)


_LOADED = itertools.count()


def load_module(source, directory, prefix="rp"):
    """Write ``source`` to ``directory`` as a fresh module and import it."""
    digest = hashlib.sha1(source.encode()).hexdigest()[:10]
    name = "%s_%s_%d" % (prefix, digest, next(_LOADED))
    path = os.path.join(directory, name + ".py")
    with open(path, "w") as fh:
        fh.write(source)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    importlib.invalidate_caches()
    return importlib.import_module(name)


def unload_module(module):
    sys.modules.pop(module.__name__, None)


def _entry(module, kind):
    return module.f if kind == "function" else module.Net()


def check_program(program, directory):
    """Probe the branch margins (raise ProgramRejected), then :func:`run_checks`."""
    from autograd_st import Tensor

    probe = load_module(program.probe_source, directory, "probe")
    try:
        target = _entry(probe, program.kind)
        out = target(*[Tensor(a.copy()) for a in program.inputs])
        for o in (out if isinstance(out, tuple) else (out,)):
            o = o.asnumpy() if hasattr(o, "asnumpy") else np.asarray(o)
            assert np.all(np.isfinite(o)), "generator: non-finite output"
            assert np.max(np.abs(o), initial=0.0) < 1e4, "generator: output too large"
        if probe._MARGINS and min(probe._MARGINS) < MARGIN:
            raise ProgramRejected("a condition is %.2g from its threshold"
                                  % min(probe._MARGINS))
    finally:
        unload_module(probe)
    module = load_module(program.source, directory)
    try:
        error = None
        try:
            return run_checks(_entry(module, program.kind), program.inputs,
                              program.tangents, jvp=program.check_jvp,
                              second=program.check_second, has_loop=program.has_loop,
                              api=program.api)
        except Exception as exc:  # noqa: BLE001 - any failure is reported the same way
            error = "%s: %s\n%s" % (type(exc).__name__, str(exc).splitlines()[0] if str(exc)
                                    else "", describe(exc))
        bug = known_bug(error)
        if bug is not None:
            KNOWN_HITS[bug[0]] = KNOWN_HITS.get(bug[0], 0) + 1
            return ["known bug: " + bug[0]]
        raise ProgramFailure(error)
    finally:
        unload_module(module)


# ---- the checker: self-contained (numpy + autograd_st), copied into reproduction scripts --

def _arr(value):
    return value.asnumpy() if hasattr(value, "asnumpy") else np.asarray(value)


def _flat(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _grads(g, n):
    """A tuple of gradients (a position tuple of length one gives a bare Tensor)."""
    if isinstance(g, (tuple, list)):
        return tuple(g)
    assert n == 1, "a bare %s for %d gradients" % (type(g).__name__, n)
    return (g,)


def _compare(what, got, want, rtol, atol):
    got_a, want_a = _arr(got), _arr(want)
    assert np.shape(got_a) == np.shape(want_a), "%s: shape %s, expected %s" % (
        what, np.shape(got_a), np.shape(want_a))
    np.testing.assert_allclose(np.asarray(got_a, np.float64), np.asarray(want_a, np.float64),
                               rtol=rtol, atol=atol, err_msg=what)


def _compare_outputs(what, got, want):
    got, want = _flat(got), _flat(want)
    assert len(got) == len(want), "%s: %d outputs, expected %d" % (what, len(got), len(want))
    for k, (a, b) in enumerate(zip(got, want)):
        _compare("%s[%d]" % (what, k), a, b, 1e-12, 1e-12)


class _FrozenStopGradient:
    """Within ``with``: ``ops.stop_gradient`` records the values it sees; ``replay(fn)`` runs
    ``fn`` with those values returned instead, so finite differences treat them as constants
    (what ``stop_gradient`` means to the derivative)."""

    def __init__(self, ops):
        self.ops = ops

    def __enter__(self):
        self.original = self.ops.stop_gradient
        self.values, self.at = [], None

        def stop_gradient(value):
            if self.at is None:
                self.values.append(value.copy() if hasattr(value, "copy") else value)
                return self.original(value)
            recorded = self.values[self.at]
            self.at += 1
            return recorded.copy() if hasattr(recorded, "copy") else recorded
        self.ops.stop_gradient = stop_gradient
        return self

    def replay(self, fn):
        self.at = 0
        out = fn()
        assert self.at == len(self.values), "stop_gradient called %d times, recorded %d" % (
            self.at, len(self.values))
        return out

    def __exit__(self, *exc):
        self.ops.stop_gradient = self.original
        self.at = None


def run_checks(target, inputs, tangents, jvp=True, second=True, has_loop=False,
               api="grad", rtol=1e-5, atol=1e-7):
    """Check ``target``'s derivatives against central differences; returns the checks run.

    ``target`` is a function or a Cell; ``inputs`` float64 arrays (fresh Tensors are made
    from copies).  Gradients w.r.t. every input and every trainable Parameter, by
    ``value_and_grad`` (its value against calling ``target``) and by a second API; ``jvp``
    against a directional difference; ``second``: ``ops.grad(ops.grad(target))`` against
    differences of the gradient (loops: refused with UnsupportedSyntaxError, or right).
    Finite differences hold ``ops.stop_gradient``'s values constant (``_FrozenStopGradient``);
    the second derivative is not checked on programs using it (differences of the gradient
    would see through it).
    """
    from autograd_st import ParameterTuple, Tensor, numerical_grad, numerical_jvp, ops
    from autograd_st.errors import UnsupportedSyntaxError

    done = []
    arrays = [np.array(a, np.float64, copy=True) for a in inputs]
    args = [Tensor(a) for a in arrays]           # shares storage with ``arrays``
    positions = tuple(range(len(args)))
    is_cell = hasattr(target, "trainable_params")
    params = list(target.trainable_params()) if is_cell else []
    param_arrays = [p.asnumpy() for p in params]
    snapshot = [a.copy() for a in arrays + param_arrays]

    direct = target(*args)
    # ---- value_and_grad: value and gradients --------------------------------------------
    if params:
        value, (gin, gw) = ops.value_and_grad(target, positions, params)(*args)
    else:
        value, gin = ops.value_and_grad(target, positions)(*args)
        gw = ()
    for a, s in zip(arrays + param_arrays, snapshot):
        np.testing.assert_array_equal(a, s, err_msg="a gradient call changed its inputs")
    _compare_outputs("value_and_grad value", value, direct)
    gin = _grads(gin, len(args))
    gw = _grads(gw, len(params))
    assert len(gin) == len(args), "%d input gradients for %d inputs" % (len(gin), len(args))
    assert len(gw) == len(params), "%d weight gradients for %d trainable Parameters" % (
        len(gw), len(params))
    with _FrozenStopGradient(ops) as frozen:
        target(*args)
        # the inputs and Parameters moved in place (``args`` share storage with ``arrays``)
        num = numerical_grad(lambda: frozen.replay(lambda: target(*args)), (), None,
                             weights=arrays + param_arrays, eps=1e-6)
    for k, (g, n) in enumerate(zip(list(gin) + list(gw), num)):
        what = ("gradient of input x%d" % k if k < len(args) else
                "gradient of Parameter %s" % params[k - len(args)].name)
        assert isinstance(g, Tensor), "%s is a %s, not a Tensor" % (what, type(g).__name__)
        _compare(what + " vs finite differences", g, n, rtol, atol)
    done.append("grad")
    # ---- a second API gives the same gradients ------------------------------------------
    if api == "grad" or (api == "grad_weights_only" and not params):
        other = ops.grad(target, positions, params or None)(*args)
        other_in, other_w = (other if params else (other, ()))
    elif api == "grad_operation":
        if params:
            other_in, other_w = ops.GradOperation(get_all=True, get_by_list=True)(
                target, ParameterTuple(params))(*args)
        else:
            other_in, other_w = ops.GradOperation(get_all=True)(target)(*args), ()
    else:
        other_w = ops.grad(target, None, params)(*args)
        other_in = ops.grad(target, positions)(*args)
    other_in, other_w = _grads(other_in, len(args)), _grads(other_w, len(params))
    assert len(other_in) == len(gin) and len(other_w) == len(gw), "%s: %d + %d gradients" % (
        api, len(other_in), len(other_w))
    for k, (a, b) in enumerate(zip(other_in + other_w, gin + gw)):
        _compare("%s gradient %d vs value_and_grad" % (api, k), a, b, 1e-12, 1e-12)
    done.append(api)
    # ---- jvp --------------------------------------------------------------------------------
    if jvp:
        tans = [np.array(t, np.float64) for t in tangents]
        out, tan = ops.jvp(target, tuple(args), tuple(Tensor(t.copy()) for t in tans))
        _compare_outputs("jvp output", out, direct)
        with _FrozenStopGradient(ops) as frozen:
            target(*args)
            want = _flat(numerical_jvp(lambda *a: frozen.replay(lambda: target(*a)), args,
                                       tans, eps=1e-6))
        tan = _flat(tan)
        assert len(tan) == len(want), "jvp: %d tangents for %d outputs" % (len(tan), len(want))
        for k, (t, w) in enumerate(zip(tan, want)):
            _compare("jvp tangent %d vs directional differences" % k, t, w, rtol, atol)
        done.append("jvp")
    # ---- second derivative ----------------------------------------------------------------
    if second:
        with _FrozenStopGradient(ops) as frozen:
            target(*args)
            if frozen.values:
                second = False
    if second:
        first = ops.grad(target, positions)
        try:
            g2 = ops.grad(first, positions)(*args)
        except UnsupportedSyntaxError as exc:
            assert has_loop, "second derivative refused for a loop-free program: %s" % exc
            assert "loop" in str(exc), "refusal does not say why: %s" % exc
            done.append("second_refused")
        else:
            num2 = numerical_grad(first, args, positions, eps=1e-6)
            g2 = _grads(g2, len(args))
            assert len(g2) == len(args), "%d second derivatives for %d inputs" % (
                len(g2), len(args))
            for k, (g, n) in enumerate(zip(g2, num2)):
                assert isinstance(g, Tensor), "second derivative %d is a %s, not a Tensor" % (
                    k, type(g).__name__)
                _compare("second derivative w.r.t. x%d vs differences of the gradient" % k,
                         g, n, rtol, 1e-6)
            done.append("second")
    return done


CHECKER_PARTS = [_arr, _flat, _grads, _compare, _compare_outputs,
                 _FrozenStopGradient, run_checks]


def repro_script(program, error=""):
    """A standalone script reproducing ``program``'s checks (run it with python)."""
    parts = ["# Reproduction of a random-program failure (generated by tests/program_gen.py).",
             "# Run: python THIS_FILE.py",
             "#"]
    for line in str(error).splitlines()[:30]:
        parts.append("# " + line)
    parts.append(program.source.rstrip() + "\n")
    parts.append("\n# ---- inputs ----")
    parts.append("INPUTS = [%s]" % ", ".join("np.array(%s, np.float64)" % _literal(a)
                                            for a in program.inputs))
    parts.append("TANGENTS = [%s]" % ", ".join("np.array(%s, np.float64)" % _literal(a)
                                              for a in program.tangents))
    parts.append("\n\n# ---- the checker (tests/program_gen.py) ----")
    for fn in CHECKER_PARTS:
        parts.append(inspect.getsource(fn).rstrip() + "\n\n")
    entry = "f" if program.kind == "function" else "Net()"
    parts.append(textwrap.dedent("""\
        if __name__ == "__main__":
            print(run_checks(%s, INPUTS, TANGENTS, jvp=%r, second=%r, has_loop=%r,
                             api=%r))
        """ % (entry, program.check_jvp, program.check_second, program.has_loop,
               program.api)))
    return "\n".join(parts)
