"""Reverse: emit the backward pass of a FuncIR from the rule registry.

Takes: ``Reverse(fir, active, pairs, const_namer, names, recompute=False)``: the FuncIR; its
active variables (``analyze.activity``); ``pairs``, the pair context, which for each
:class:`~autograd_st.compiler.ir.Call` gives the callee's compiled pair (``compiled_of``) and
the global name of its forward or backward (``global_name``); the namer of constants; the
function's :class:`~autograd_st.compiler.names.NameAllocator`; and ``recompute`` (loops
recompute their states instead of taping them: code that will be differentiated again).  The
caller then seeds the outputs (``seed_ones``, ``contribute``), reverses the body
(``block(fir.body)``) and reads each gradient as ``value_of(v)``.
Gives: ``out``, the backward gast statements; ``loop_hooks``, per IR loop (by id) the
statements before it and a function that adds its tape append to the loop's emitted forward
body (read by :class:`~autograd_st.compiler.codegen.ForwardEmitter`); ``tapes``, the tapes and
trip counters the forward fills and the backward reads.

Tags (:mod:`autograd_st.compiler.anno`; the final lowering finds what it rewrites by them and
by nothing else): the tape append (``tape_append``, its tape), the walk over a tape in reverse
(``tape_walk``, its tape), an adjoint made a zeros array (``adjoint_zeros``, the adjoint) and a
later contribution ``d = d + e`` (``accumulate``, the adjoint).  A rule's expressions come from
``codegen.substitute``, which tags their ``unbroadcast`` and kernel calls.  The counting walk of
a loop that tapes no value (``for _ in range(len(_tape))``) and everything made with
``recompute`` carry no walk tag: the lowering leaves them as they are.

How it works:

- Adjoints are accumulated: the first contribution to ``d_v`` assigns it, later ones add
  (``d_v = d_v + ...``), so fan-out is right.  An adjoint nobody contributed to stays a
  compile-time zero: no code, no array; it becomes ``zeros_like`` only where a value must
  exist at run time (the two arms of an ``if``, the back edge of a loop, a returned gradient).
- The output's seed, ones, stays symbolic while it can: through a full ``np.sum`` it is ones
  shaped like the summed value, and an element-wise rule from ``_ONES_FOLD`` multiplies it
  away (``d_h = np.cos(h)``, not ``ones * np.cos(h)``).  Anything else reads it from an
  array made where it is first needed (``ones_like``, ``expand_to``), as it always was.
- After a statement that defines ``v`` is reversed, ``d_v`` is zero again (``v``'s earlier
  value, if a loop had one, is a different value).
- ``if`` is replayed on the saved condition.  A loop appends the values its backward reads
  to a tape, one tuple per iteration, and the backward walks the tape in reverse
  (``for x_1, x_2 in reversed(_tape):``); nothing is unrolled.
- A call to a compiled callee runs its forward (which returns residuals) and, backward, its
  backward function on the residuals and the outputs' adjoints.
"""
from __future__ import annotations

import gast
import numpy as np

from ..errors import UnsupportedSyntaxError
from . import codegen
from .anno import facts_of, tag
from .bprop import refuse_bprop_derivative, refuse_missing_bprop, refuse_unimplemented
from .checkpoint import checkpoint_loop
from .codegen import (
    ForwardEmitter,
    assign,
    comment,
    expr_of,
    is_comment,
    name,
    names_read,
    source_comment,
    substitute,
)
from .ir import Call, Const, For, If, Opaque, Prim, Var, While, has_effects, has_random, walk
from .runtime_lists import refuse_derivative

__all__ = ["Reverse"]


def _zeros(var: str):
    return tag(gast.Call(func=name("zeros_like"), args=[name(var)], keywords=[]),
               "shape_use", like=var, form="zeros_like")


def _arg_vars(atom):
    if isinstance(atom, Var):
        return [atom.name]
    if isinstance(atom, tuple):
        out = []
        for a in atom:
            out.extend(_arg_vars(a))
        return out
    return []


def _defined_in(stmts) -> set:
    out = set()
    for stmt in stmts:
        if isinstance(stmt, (Prim, Opaque)):
            out.update(stmt.targets)
        elif isinstance(stmt, Call):
            out.update(stmt.targets)
            out.add(stmt.res)
        elif isinstance(stmt, If):
            out |= _defined_in(stmt.body) | _defined_in(stmt.orelse)
        elif isinstance(stmt, For):
            out.add(stmt.target)
            out |= _defined_in(stmt.body)
        elif isinstance(stmt, While):
            out |= _defined_in(stmt.cond_body) | _defined_in(stmt.body)
    return out


def _used_in(stmts, active) -> set:
    """Active variables read through differentiable arguments in ``stmts``."""
    out = set()
    for stmt in stmts:
        if isinstance(stmt, Prim):
            for p in stmt.prim.diff:
                out.update(v for v in _arg_vars(stmt.args[p]) if v in active)
        elif isinstance(stmt, Call):
            for a in stmt.args:
                out.update(v for v in _arg_vars(a) if v in active)
            out.update(v for v in stmt.extra_args if v in active)
        elif isinstance(stmt, If):
            out |= _used_in(stmt.body, active) | _used_in(stmt.orelse, active)
        elif isinstance(stmt, (For, While)):
            out |= _used_in(stmt.body, active)
    return out


_ELEMENTWISE_UNARY = frozenset(("neg", "exp", "log", "sin", "cos", "tanh", "sigmoid", "relu",
                                "sqrt", "square", "abs", "sign", "copy", "stop_gradient",
                                "cast_like", "astype"))
_ELEMENTWISE_BINARY = frozenset(("add", "sub", "mul", "div", "pow", "maximum", "minimum"))


def shape_classes(body) -> dict:
    """Variables known to have the same shape share a class: an element-wise primitive's
    output has its array operands' shape (Python numbers broadcast away).  A gradient's
    ``unbroadcast`` back to an operand of the same class is the identity and is left out.
    Values assigned more than once (a loop's carried values, an if's merges) keep a class
    of their own, so the result is conservative."""
    count: dict = {}
    for stmt in walk(body):
        for t in getattr(stmt, "targets", ()):
            count[t] = count.get(t, 0) + 1
    cls: dict = {}

    def of(atom):
        if isinstance(atom, Var):
            return cls.get(atom.name, atom.name)
        if isinstance(atom, Const) and isinstance(atom.value, (int, float, bool, np.generic)):
            return _SCALAR
        return None

    for stmt in walk(body):
        if not isinstance(stmt, Prim) or len(stmt.targets) != 1:
            continue
        (t,) = stmt.targets
        if count.get(t, 0) > 1:
            continue
        name = stmt.prim.name
        if name in _ELEMENTWISE_UNARY:
            c = of(stmt.args[stmt.prim.params[0]])
        elif name in _ELEMENTWISE_BINARY:
            a, b = of(stmt.args["x"]), of(stmt.args["y"])
            c = a if a == b else b if a is _SCALAR else a if b is _SCALAR else None
        else:
            c = None
        if c is not None and c is not _SCALAR:
            cls[t] = c
    return cls


class _Scalar:
    def __repr__(self):
        return "<scalar>"


_SCALAR = _Scalar()


def _drop_unbroadcast(expr, var: str):
    """``unbroadcast(E, var)`` -> ``E`` (the shapes are known to match)."""
    facts = facts_of(expr, "unbroadcast")
    if facts is not None and facts["like"] == var:
        return expr.args[0]
    return expr


def _trailing_backedges(stmts, headers) -> int:
    """How many statements at the end of a loop body are its back-edge copies."""
    n = 0
    for stmt in reversed(stmts):
        if isinstance(stmt, Prim) and stmt.prim.name == "copy" and stmt.targets[0] in headers:
            n += 1
        else:
            break
    return n


def _branch_defined(stmts) -> set:
    """Names assigned inside the branches of ifs or inside nested loops in ``stmts``: a path
    or a loop that did not run leaves them without a value."""
    out = set()
    for stmt in stmts:
        if isinstance(stmt, If):
            out |= _defined_in(stmt.body) | _defined_in(stmt.orelse)
        elif isinstance(stmt, (For, While)):
            out |= _defined_in([stmt])
    return out


# Element-wise rules whose ``dout * E`` (or ``dout / E``) gives a fresh array of ``out``'s
# shape and dtype when ``dout`` is ones: their float outputs have the dtype of the ones (the
# seed is ``ones_like(np.sum(out))``) and of ``E``.  (``exp``'s ``dout * out`` would alias
# ``out``; integer-valued rules could change dtype.)
_ONES_FOLD = frozenset(("sin", "cos", "tanh", "log", "sqrt", "sigmoid"))
_ONES = "__ones__"


def _fold_ones(expr):
    """``expr`` with the ones marker multiplied away, or None where it cannot be."""
    if isinstance(expr, gast.Name) and expr.id == _ONES:
        return None
    if isinstance(expr, gast.BinOp):
        left, right = expr.left, expr.right
        if isinstance(expr.op, gast.Mult):
            if isinstance(left, gast.Name) and left.id == _ONES:
                return _fold_ones(right)
            if isinstance(right, gast.Name) and right.id == _ONES:
                return _fold_ones(left)
            if isinstance(left, gast.UnaryOp) and isinstance(left.op, gast.USub) \
                    and isinstance(left.operand, gast.Name) and left.operand.id == _ONES:
                inner = _fold_ones(right)
                return None if inner is None else gast.UnaryOp(op=gast.USub(), operand=inner)
        if isinstance(expr.op, gast.Div) and isinstance(left, gast.Name) and left.id == _ONES:
            inner = _fold_ones(right)
            return None if inner is None else gast.BinOp(
                left=gast.Constant(value=1, kind=None), op=gast.Div(), right=inner)
        left, right = _fold_ones(left), _fold_ones(right)
        if left is None or right is None:
            return None
        return gast.BinOp(left=left, op=expr.op, right=right)
    if any(isinstance(n, gast.Name) and n.id == _ONES for n in codegen.walk(expr)):
        return None
    return expr


class Reverse:
    def __init__(self, fir, active: set, pairs, const_namer, names,
                 recompute: bool = False, ready=frozenset(),
                 checkpoint: bool = False) -> None:
        self.recompute = recompute  # loops recompute their states instead of taping them
        # inputs (Parameters) whose every contribution made by a rule here is handed to
        # ``grad_ready`` (overlap of a reducer's all-reduce with the backward); empty: none
        self.ready = ready
        self.checkpoint = checkpoint and not recompute  # for loops tape every sqrt(T) steps
        self.fir = fir
        self.active = active
        self.pairs = pairs  # each call's compiled pair and its functions' global names
        self.const_namer = const_namer
        self.names = names
        self.adj: dict = {}
        self.live: set = set()
        self.out: list = []
        self.loop_hooks: dict = {}
        self.tapes: list = []
        self.last_line = None
        self._shape_class = None  # shape_classes(fir.body), made when first asked
        # adjoints known to be ones: var -> the statements that would make the array
        self.ones: dict = {}
        self.ones_line: dict = {}  # the source line of the last comment in self.ones[var]

    # -- adjoint bookkeeping -------------------------------------------------------------
    def adjoint(self, var: str) -> str:
        found = self.adj.get(var)
        if found is None:
            found = self.names.fresh("d_" + var.lstrip("_"))
            self.adj[var] = found
        return found

    def contribute(self, var: str, expr) -> None:
        if var not in self.active:
            return
        self.flush(var)
        d = self.adjoint(var)
        if var in self.live:
            self.out.append(tag(assign([d], gast.BinOp(left=name(d), op=gast.Add(), right=expr)),
                                "accumulate", adjoint=d))
        else:
            self.out.append(assign([d], expr))
        self.live.add(var)

    def contribute_local(self, var: str, expr) -> None:
        """``contribute``, for a contribution a rule makes here (not a callee's backward): one
        to a watched input (``self.ready``) is named and handed to ``grad_ready`` first."""
        if var in self.ready and var in self.active:
            tmp = self.names.fresh("_ready_" + var.lstrip("_"))
            self.out.append(assign([tmp], expr))
            self.out.append(gast.Expr(value=gast.Call(func=name("grad_ready"),
                                                      args=[name(var), name(tmp)],
                                                      keywords=[])))
            expr = name(tmp)
        self.contribute(var, expr)

    def materialize(self, var: str, into: list) -> None:
        d = self.adjoint(var)
        into.append(tag(assign([d], _zeros(var)), "adjoint_zeros", adjoint=d))

    def seed_ones(self, var: str) -> None:
        """The output ``var``'s gradient is ones: kept symbolic until something needs it."""
        if var not in self.active:
            return
        if var in self.live:  # returned twice
            self.flush(var)
            self.out.append(comment("seed: the gradient of the output"))
            self.contribute(var, gast.Call(func=name("ones_like"), args=[name(var)],
                                           keywords=[]))
            return
        self.ones[var] = [comment("seed: the gradient of the output"),
                          assign([self.adjoint(var)], tag(gast.Call(
                              func=name("ones_like"), args=[name(var)], keywords=[]),
                              "seed", of=var))]
        self.live.add(var)

    def flush(self, var: str | None = None) -> None:
        """Make the ones adjoint of ``var`` (None: of every value) an array, here."""
        for v in [var] if var is not None else list(self.ones):
            stmts = self.ones.pop(v, None)
            if stmts:
                self.out.extend(stmts)
                line = self.ones_line.pop(v, None)  # (its "grad of" comment: said once)
                self.last_line = self.last_line if line is None else line

    def forget(self, var: str) -> None:
        """``var`` is defined here: its adjoint (ones or not) is dead before this point."""
        self.live.discard(var)
        self.ones.pop(var, None)

    def value_of(self, var: str):
        """The adjoint of ``var`` as an expression (zeros when it is a compile-time zero)."""
        self.flush(var)
        if var in self.live:
            return name(self.adjoint(var))
        return _zeros(var)

    # -- statements ------------------------------------------------------------------------
    def block(self, stmts) -> None:
        for stmt in reversed(stmts):
            self.stmt(stmt)

    def note(self, stmt) -> None:
        loc = getattr(stmt, "loc", None)
        if loc and loc[1] != self.last_line:
            text = source_comment(loc)
            if text:
                self.out.append(comment("grad of: " + text))
            self.last_line = loc[1]

    def stmt(self, stmt) -> None:
        if isinstance(stmt, Prim):
            self.prim(stmt)
        elif isinstance(stmt, Call):
            self.call(stmt)
        elif isinstance(stmt, Opaque):
            for t in stmt.targets:
                self.forget(t)
        elif isinstance(stmt, If):
            self.if_(stmt)
        elif isinstance(stmt, (For, While)):
            self.loop(stmt)

    def prim(self, stmt: Prim) -> None:
        if self.recompute:  # (a run-time list is not differentiated twice)
            refuse_derivative(stmt, "recompute")
        (t,) = stmt.targets
        if t not in self.live:
            return
        prim = stmt.prim
        wanted = [(i, p) for i, p in enumerate(prim.diff)
                  if isinstance(stmt.args[p], Var) and stmt.args[p].name in self.active]
        if not wanted:
            self.forget(t)  # t is defined here: earlier values of t are other values
            return
        refuse_unimplemented(stmt)
        if t in self.ones:
            if self.fold_ones(stmt, wanted):
                self.live.discard(t)
                return
            self.flush(t)
        self.live.discard(t)
        self.note(stmt)
        d_t = self.adj[t]
        if prim.name == "copy":  # x_1 = x: the adjoint moves over as it is
            self.contribute_local(stmt.args["x"].name, name(d_t))
            return
        tmpl = prim.vjp_template
        mapping = {"dout": name(d_t), "out": name(t)}
        mapping.update(codegen.prim_mapping(stmt, self.const_namer))
        for pre in tmpl.prelude:
            local = pre.targets[0].id
            fresh = self.names.fresh("_" + local)
            self.out.append(assign([fresh], substitute(pre.value, mapping)))
            mapping[local] = name(fresh)
        for i, p in wanted:
            expr = tmpl.results[i]
            if expr is None:
                continue
            var = stmt.args[p].name
            expr = substitute(expr, mapping)
            if self.same_shape(var, t):
                expr = _drop_unbroadcast(expr, var)
            self.contribute_local(var, expr)

    def fold_ones(self, stmt: Prim, wanted) -> bool:
        """Reverse ``stmt`` whose output's adjoint is ones without making the ones, if it can:
        a full sum hands ones on to its input; a rule of ``_ONES_FOLD`` drops them."""
        (t,) = stmt.targets
        prim = stmt.prim
        if len(wanted) != 1:
            return False
        var = stmt.args[wanted[0][1]].name
        if var in self.live or var == t:
            return False
        pending = self.ones[t]
        if prim.name == "sum" and isinstance(stmt.args.get("axis"), Const) \
                and stmt.args["axis"].value is None:
            text = source_comment(stmt.loc)
            expand = tag(gast.Call(func=name("expand_to"), args=[name(self.adj[t]), name(var)],
                                   keywords=[]), "shape_use", like=var, form="expand_to")
            keepdims = stmt.args.get("keepdims")
            if isinstance(keepdims, Const) and keepdims.value:
                expand.keywords = [gast.keyword(arg="keepdims",
                                                value=gast.Constant(value=True, kind=None))]
            elif keepdims is not None and not isinstance(keepdims, Const):
                return False
            self.ones[var] = pending + ([comment("grad of: " + text)] if text else []) \
                + [assign([self.adjoint(var)], expand)]
            self.ones_line[var] = stmt.loc[1] if stmt.loc else None
            del self.ones[t]
            self.live.add(var)
            return True
        if prim.name not in _ONES_FOLD:
            return False
        tmpl = prim.vjp_template
        if tmpl.prelude or tmpl.results[wanted[0][0]] is None:
            return False
        mapping = {"dout": name(_ONES), "out": name(t)}
        mapping.update(codegen.prim_mapping(stmt, self.const_namer))
        expr = _fold_ones(substitute(tmpl.results[wanted[0][0]], mapping))
        if expr is None or isinstance(expr, gast.Name):
            return False
        del self.ones[t]
        self.out.append(comment("seed: the gradient of the output, ones (folded into the rule "
                                "below)"))
        self.out.extend(c for c in pending[1:] if is_comment(c))
        self.last_line = self.ones_line.get(t)
        self.note(stmt)
        self.contribute_local(var, expr)
        return True

    def same_shape(self, a: str, b: str) -> bool:
        if self._shape_class is None:  # (a build whose reverse code is deferred never asks)
            self._shape_class = shape_classes(self.fir.body)
        return self._shape_class.get(a, a) == self._shape_class.get(b, b)

    def call(self, stmt: Call) -> None:
        live_outs = [t for t in stmt.targets if t in self.live]
        compiled = self.pairs.compiled_of(stmt)
        if not live_outs or not compiled.wrt_any:
            for t in stmt.targets:
                self.forget(t)
            return
        refuse_missing_bprop(compiled, stmt)  # a user primitive without a bprop
        if self.recompute:  # (a bprop's backward is not differentiated again)
            refuse_bprop_derivative(compiled, stmt)
        for t in stmt.targets:  # a seed kept symbolic is made before the call's comment
            self.flush(t)
        self.note(stmt)
        douts = [self.value_of(t) for t in stmt.targets]
        for t in stmt.targets:
            self.live.discard(t)
        grads = []
        receivers = []
        flat_args = []
        for a in stmt.args:
            flat_args.extend(_arg_vars(a) if not isinstance(a, Var) else [a.name])
        for var, on in zip([a.name for a in stmt.args], compiled.arg_mask):
            if on:
                receivers.append(var)
        for var, on in zip(stmt.extra_args, compiled.input_mask):
            if on:
                receivers.append(var)
        # a gradient that is its receiver's first contribution is unpacked straight into the
        # receiver's adjoint (``d_x, d_w = Dense_bwd(...)``); one added to an adjoint that
        # already holds a value goes through a temporary (``_g_x``), then ``d_x = d_x + _g_x``
        read = {n.id for d in douts for n in codegen.walk(d) if isinstance(n, gast.Name)}
        direct = []
        for var in receivers:
            first = var in self.active and var not in self.live and var not in self.ones \
                and receivers.count(var) == 1 and self.adjoint(var) not in read
            direct.append(first)
            grads.append(self.adjoint(var) if first else self.names.fresh("_g_" + var.lstrip("_")))
        call = gast.Call(func=name(self.pairs.global_name(compiled, "bwd")),
                         args=[name(stmt.res)] + douts, keywords=[])
        self.out.append(assign(grads, call) if len(grads) != 1 else
                        gast.Assign(targets=[gast.Tuple(elts=[name(grads[0], True)],
                                                        ctx=gast.Store())],
                                    value=call, type_comment=None))
        for var, g, first in zip(receivers, grads, direct):
            if first:
                self.live.add(var)
            else:
                self.contribute(var, name(g))

    def if_(self, stmt: If) -> None:
        self.flush()
        start_live = set(self.live)
        outer = self.out
        self.out = []
        self.last_line = None
        self.block(stmt.body)
        body, live_a = self.out, self.live
        self.out = []
        self.live = set(start_live)
        self.last_line = None
        self.block(stmt.orelse)
        orelse, live_b = self.out, self.live
        self.out = outer
        self.last_line = None
        merged = live_a | live_b
        for var in sorted(merged - live_a):
            self.materialize(var, body)
        for var in sorted(merged - live_b):
            self.materialize(var, orelse)
        self.live = merged
        if body or orelse:
            text = source_comment(stmt.loc)
            if text:
                self.out.append(comment("grad of: " + text))
            self.out.append(gast.If(test=name(stmt.cond.name), body=body or [gast.Pass()],
                                    orelse=orelse))

    def loop(self, stmt) -> None:
        self.flush()
        headers = [h for h, _ in stmt.carried]
        body_defs = _defined_in(stmt.body) | set(headers)
        if isinstance(stmt, For):
            body_defs.add(stmt.target)
        # adjoints that live across iterations: outer values the body reads, and headers
        across = sorted((_used_in(stmt.body, self.active) - (body_defs - set(headers)))
                        | {h for h in headers if h in self.active})
        pre = []
        for var in across:
            if var not in self.live:
                self.materialize(var, pre)
                self.live.add(var)
        outer = self.out
        self.out = []
        self.last_line = None
        n_tapes = len(self.tapes)
        self.block(stmt.body)
        body_defs.update(self.tapes[n_tapes:])
        for var in across:
            if var not in self.live:
                self.materialize(var, self.out)
                self.live.add(var)
        body = self.out
        self.out = outer
        self.last_line = None
        if self.recompute:
            self.loop_recompute(stmt, body, pre, headers)
            return
        tape_vars = [v for v in names_read(body) if v in body_defs]
        tape = self.names.fresh("_tape")
        counter = None
        if not tape_vars:
            if isinstance(stmt, For):
                tape_vars = [stmt.target]
            else:
                counter = True
        text = source_comment(stmt.loc)
        if text:
            self.out.append(comment("grad of: " + text))
        self.out.extend(pre)
        if counter:
            loop_target = name(self.names.fresh("_"), store=True)
            iterable = gast.Call(func=name("range"),
                                 args=[gast.Call(func=name("len"), args=[name(tape)],
                                                 keywords=[])], keywords=[])
            record = gast.Constant(value=None, kind=None)
        else:
            if len(tape_vars) == 1:
                loop_target = name(tape_vars[0], store=True)
                record = name(tape_vars[0])
            else:
                loop_target = gast.Tuple(elts=[name(v, True) for v in tape_vars],
                                         ctx=gast.Store())
                record = gast.Tuple(elts=[name(v) for v in tape_vars], ctx=gast.Load())
            iterable = gast.Call(func=name("reversed"), args=[name(tape)], keywords=[])
        backward = gast.For(target=loop_target, iter=iterable, body=body or [gast.Pass()],
                            orelse=[], type_comment=None)
        # (a count of iterations unpacks no records: nothing there for the lowering)
        self.out.append(backward if counter else tag(backward, "tape_walk", tape=tape))
        append = tag(gast.Expr(value=gast.Call(
            func=gast.Attribute(value=name(tape), attr="append", ctx=gast.Load()),
            args=[record], keywords=[])), "tape_append", tape=tape)
        header_set = set(headers)

        # values defined on one path of an if in the body exist only when that path ran
        inner_tapes = set(self.tapes[n_tapes:])  # made by nested loops, maybe on one path
        maybe = [v for v in tape_vars if v in _branch_defined(stmt.body) or v in inner_tapes]
        inits = [assign([v], gast.Constant(value=None, kind=None)) for v in maybe]

        def add_tape(fwd_body, append=append, header_set=header_set, inits=inits):
            # record before the back-edge copies overwrite the loop's carried values
            fwd_body = inits + fwd_body
            i = len(fwd_body)
            while i > 0 and (is_comment(fwd_body[i - 1]) or (
                    isinstance(fwd_body[i - 1], gast.Assign)
                    and isinstance(fwd_body[i - 1].targets[0], gast.Name)
                    and fwd_body[i - 1].targets[0].id in header_set)):
                i -= 1
            return fwd_body[:i] + [append] + fwd_body[i:]

        init = tag(assign([tape], gast.List(elts=[], ctx=gast.Load())), "tape_init", tape=tape)
        self.loop_hooks[id(stmt)] = ([init], add_tape)
        self.tapes.append(tape)
        if self.checkpoint:  # Cell.recompute(): keep the state every sqrt(T) iterations
            checkpoint_loop(self, stmt, headers, tape)


def _loop_recompute(self, stmt, body, pre, headers):
    """Backward of a loop without a tape: iteration k's values are recomputed from the loop's
    entry values (k forward iterations, then the body once more).  Quadratic in the trip
    count, but made only of range loops, so the code can be differentiated again (this is
    the form higher-order derivatives use)."""
    trips = self.names.fresh("_trips")
    self.tapes.append(trips)  # a forward value the backward reads (a residual of a pair)
    k = self.names.fresh("_k")
    j = self.names.fresh("_j")

    def count(fwd_body, trips=trips):
        return fwd_body + [assign([trips], gast.BinOp(left=name(trips), op=gast.Add(),
                                                        right=gast.Constant(value=1, kind=None)))]
    self.loop_hooks[id(stmt)] = ([assign([trips], gast.Constant(value=0, kind=None))], count)

    # the recomputed iterations leave out the side effects (they ran in the forward loop);
    # a call whose callee has some, or an effect's result the iteration reads, is refused
    for s in walk(stmt.body):
        if isinstance(s, Call) and has_effects(s.callee.body):
            raise _effects_recomputed(s, "%s has side effects" % s.callee.qualname)
        if (isinstance(s, Prim) and s.prim.random) \
                or (isinstance(s, Call) and has_random(s.callee.body)):
            raise UnsupportedSyntaxError(
                "a random draw (a dropout mask, ops.uniform ...) in a loop: the derivative of "
                "its gradient would recompute the loop's iterations and draw other values",
                *(s.loc or (None, None, 0)), hint="take higher-order derivatives with the "
                "random draw out of the loop (draw the masks before it, or set_train(False) "
                "for dropout)")

    def emitter():
        return ForwardEmitter(self.const_namer,
                              lambda s: self.pairs.global_name(self.pairs.compiled_of(s),
                                                               "fwd"),
                              self.loop_hooks, quiet=True)
    inits = getattr(stmt, "inits", {})
    restart = [assign([h], expr_of(inits[h], self.const_namer)) for h in headers]

    def index_at(var):
        if not isinstance(stmt, For):
            return []
        start, _, step = [expr_of(a, self.const_namer) for a in stmt.iter_args]
        value = gast.BinOp(left=start, op=gast.Add(),
                           right=gast.BinOp(left=name(var), op=gast.Mult(), right=step))
        return [assign([stmt.target], value)]
    n_back = _trailing_backedges(stmt.body, set(headers))
    full = emitter().block(stmt.body)
    partial = emitter().block(stmt.body[:len(stmt.body) - n_back] if n_back else stmt.body)
    replay = gast.For(target=name(j, True),
                      iter=gast.Call(func=name("range"), args=[name(k)], keywords=[]),
                      body=index_at(j) + full or [gast.Pass()], orelse=[], type_comment=None)
    recomputed = restart + [replay] + index_at(k) + partial
    read = set(names_read(recomputed + (body or [])))
    for s in walk(stmt.body):
        if isinstance(s, Opaque) and s.effect and read.intersection(s.targets):
            raise _effects_recomputed(s, "the result of %s (a call with side effects) is used"
                                      % (s.callee_name or "a call"))
    text = source_comment(stmt.loc)
    if text:
        self.out.append(comment("grad of: " + text))
    self.out.extend(pre)
    iterable = gast.Call(func=name("reversed"), args=[gast.Call(
        func=name("range"), args=[name(trips)], keywords=[])], keywords=[])
    self.out.append(gast.For(target=name(k, True), iter=iterable,
                             body=recomputed + (body or [gast.Pass()]), orelse=[],
                             type_comment=None))


Reverse.loop_recompute = _loop_recompute


def _effects_recomputed(stmt, what):
    loc = stmt.loc or (None, None, 0)
    return UnsupportedSyntaxError(
        "%s in a loop: the derivative of its gradient would recompute the loop's iterations "
        "and run the side effects again, which is not supported yet" % what, loc[0], loc[1],
        loc[2], hint="take higher-order derivatives of a loop without side effects (move "
        "print/append out of the loop), or use finite differences of the gradient")
