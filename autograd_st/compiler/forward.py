"""Forward: emit tangent (jvp) code for a FuncIR from the forward rules of the registry.

Takes: a FuncIR and its active variables (``analyze.activity`` over the inputs that carry a
tangent).
Gives: gast statements that compute every primal value followed, statement by statement, by
its tangent ``v_dot`` (the sum of the forward rules' contributions of its active arguments).

Forward mode needs no tape: ``if`` runs the branch it runs, loops carry their variables'
tangents through the same copies that carry the values.  A value whose tangent is a
compile-time zero gets no code; where a tangent must exist at run time (an ``if``'s merge, a
loop's carried value) it is ``zeros_like``.  Calls to other compiled functions call their
jvp function, which returns the outputs and their tangents.
"""
from __future__ import annotations

import gast

from .bprop import refuse_unimplemented
from .codegen import (
    ForwardEmitter,
    assign,
    comment,
    expr_of,
    name,
    prim_mapping,
    source_comment,
    substitute,
)
from .ir import Call, For, If, Opaque, Prim, Var, While
from .runtime_lists import refuse_derivative

__all__ = ["Forward"]


def _zeros(var):
    return gast.Call(func=name("zeros_like"), args=[name(var)], keywords=[])


class Forward:
    def __init__(self, fir, active: set, ctx, const_namer, names) -> None:
        self.fir = fir
        self.active = active
        self.ctx = ctx  # jvp_of(stmt) -> compiled callee; global_name(fn)
        self.const_namer = const_namer
        self.names = names
        self.tan: dict = {}
        self.emitter = ForwardEmitter(const_namer, lambda stmt: None)

    def tangent(self, var: str) -> str:
        found = self.tan.get(var)
        if found is None:
            found = self.names.fresh(var.lstrip("_") + "_dot")
            self.tan[var] = found
        return found

    def seed(self, var: str) -> str:
        """The tangent parameter of an input."""
        return self.tangent(var)

    def has_tangent(self, atom) -> bool:
        return isinstance(atom, Var) and atom.name in self.active

    def block(self, stmts) -> list:
        out = []
        for stmt in stmts:
            out.extend(self.stmt(stmt))
        return out

    def stmt(self, stmt) -> list:
        if isinstance(stmt, Prim):
            return self.emitter.block([stmt]) + self.prim(stmt)
        if isinstance(stmt, Opaque):
            return self.emitter.block([stmt])
        if isinstance(stmt, Call):
            return self.call(stmt)
        if isinstance(stmt, If):
            text = source_comment(stmt.loc)
            self.emitter.last_line = None
            body = self.block(stmt.body) or [gast.Pass()]
            self.emitter.last_line = None
            orelse = self.block(stmt.orelse)
            self.emitter.last_line = None
            return ([comment(text)] if text else []) + [
                gast.If(test=name(stmt.cond.name), body=body, orelse=orelse)]
        if isinstance(stmt, For):
            text = source_comment(stmt.loc)
            self.emitter.last_line = None
            body = self.block(stmt.body)
            self.emitter.last_line = None
            args = [expr_of(a, self.const_namer) for a in stmt.iter_args]
            it = gast.Call(func=name("range"), args=args, keywords=[])
            return ([comment(text)] if text else []) + [
                gast.For(target=name(stmt.target, True), iter=it, body=body or [gast.Pass()],
                         orelse=[], type_comment=None)]
        if isinstance(stmt, While):
            text = source_comment(stmt.loc)
            self.emitter.last_line = None
            cond_body = self.block(stmt.cond_body)
            brk = gast.If(test=gast.UnaryOp(op=gast.Not(), operand=name(stmt.cond.name)),
                          body=[gast.Break()], orelse=[])
            body = self.block(stmt.body)
            self.emitter.last_line = None
            return ([comment(text)] if text else []) + [
                gast.While(test=gast.Constant(value=True, kind=None),
                           body=cond_body + [brk] + body, orelse=[])]
        raise TypeError("cannot emit %r" % (stmt,))

    def prim(self, stmt: Prim) -> list:
        (t,) = stmt.targets
        if t not in self.active:
            return []
        prim = stmt.prim
        if prim.name == "copy":
            src = stmt.args["x"]
            value = name(self.tangent(src.name)) if self.has_tangent(src) else _zeros(t)
            return [assign([self.tangent(t)], value)]
        live = [(i, p) for i, p in enumerate(prim.diff) if self.has_tangent(stmt.args[p])]
        if not live:
            return [assign([self.tangent(t)], _zeros(t))]
        refuse_derivative(stmt, "forward")  # (a run-time list has no tangent rule)
        refuse_unimplemented(stmt)
        tmpl = prim.jvp_template
        mapping = {"out": name(t)}
        mapping.update(prim_mapping(stmt, self.const_namer))
        for p in prim.diff:
            atom = stmt.args[p]
            mapping["d" + p] = name(self.tangent(atom.name)) if self.has_tangent(atom) \
                else gast.Constant(value=0.0, kind=None)
        out = []
        for pre in tmpl.prelude:
            local = pre.targets[0].id
            fresh = self.names.fresh("_" + local)
            out.append(assign([fresh], substitute(pre.value, mapping)))
            mapping[local] = name(fresh)
        total = None
        for i, p in live:
            part = substitute(tmpl.results[i], mapping)
            total = part if total is None else gast.BinOp(left=total, op=gast.Add(), right=part)
        out.append(assign([self.tangent(t)], total))
        return out

    def call(self, stmt: Call) -> list:
        compiled = self.ctx.jvp_of(stmt)
        loc_comment = self.emitter.block([])  # keeps line bookkeeping simple
        text = source_comment(stmt.loc)
        head = [comment(text)] if text and stmt.loc[1] != self.emitter.last_line else []
        self.emitter.last_line = stmt.loc[1] if stmt.loc else None
        args = [expr_of(a, self.const_namer) for a in stmt.args] + \
            [name(v) for v in stmt.extra_args]
        tangents = [name(self.tangent(a.name)) for a, on in zip(stmt.args, compiled.arg_mask)
                    if on]
        tangents += [name(self.tangent(v)) for v, on in zip(stmt.extra_args, compiled.input_mask)
                     if on]
        fn = self.ctx.global_name(compiled.fn)
        call = gast.Call(func=name(fn), args=args + tangents, keywords=[])
        # a jvp function always returns its outputs and then their tangents (zeros where
        # no input carries one)
        targets = list(stmt.targets) + [self.tangent(t) for t in stmt.targets]
        return loc_comment + head + [assign(targets, call)]
