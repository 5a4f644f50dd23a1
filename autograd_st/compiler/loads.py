"""Reads of a value the function writes in place (``ops.assign``) become snapshots.

``ops.assign(self.w, v)`` writes into the Parameter's array.  A value computed from
``self.w`` before that write keeps what it read; but a backward rule that kept ``self.w``
itself (``x * self.w`` keeps ``self.w`` for ``x``'s gradient) would read the array after
every later write.  MindSpore's graph mode reads a written Parameter through ``Load`` and
keeps each read's value (``TensorMove``); here, in a function that assigns a variable, every
other read of that variable is ``load(v)`` (``rules_nn.load``: a copy, whose gradient goes
to ``v``), so the forward and the backward see the value of the moment of the read.
MindSpore's PyNative mode keeps the array itself (measured: the later value); see
docs/tutorials_static_graph.md.

Takes: a normalized body (``ir`` statements).  Gives: :func:`snapshot_reads`.
"""
from __future__ import annotations

from ..rules import REGISTRY
from .ir import Call, For, If, Prim, Var, While, walk

__all__ = ["snapshot_reads", "FRESH_RESULTS"]

FRESH_RESULTS = frozenset({
    "add", "sub", "mul", "div", "neg", "pow", "square", "sqrt", "exp", "expm1", "log", "log1p",
    "sin", "cos", "tan", "sinh", "cosh", "tanh", "arcsin", "arccos", "arctan", "arctan2",
    "sigmoid", "relu", "softplus", "erf", "abs", "sign", "floor", "ceil", "round", "trunc",
    "maximum", "minimum", "where", "matmul", "linear", "sum", "mean", "prod", "max", "min",
    "floordiv", "mod", "fmod", "equal", "not_equal", "less", "less_equal", "greater",
    "greater_equal", "logical_and", "logical_or", "logical_not", "softmax", "log_softmax",
    "astype", "cumsum", "cumprod", "conv2d", "concat2", "zeros_like", "ones_like",
    "array_copy"})
"""Primitives whose result is a new array, never a view of an argument (numpy returns a view
from ``getitem``, ``reshape``, ``transpose`` ...): a value made by one of them, that no other
value views, is what a Tensor in-place method may rebind (``normalize_calls``)."""


def _written(body) -> set:
    return {stmt.args["ref"].name for stmt in walk(body)
            if isinstance(stmt, Prim) and stmt.prim.name == "assign" and isinstance(stmt.args.get("ref"), Var)}


def snapshot_reads(body: list, names, ir_vars: set) -> list:
    """``body`` with each read of a variable that an ``assign`` in it writes (other than
    that ``assign``'s ``ref``) made a read of a fresh ``load`` of it, just before; ``names``
    gives the fresh names, which are added to ``ir_vars``.  Unchanged when nothing is
    assigned."""
    written = _written(body)
    if not written:
        return body
    load = REGISTRY["load"]

    def snap(atom, out, loc):
        if not (isinstance(atom, Var) and atom.name in written):
            return atom
        target = names.fresh(atom.name + "_load")
        ir_vars.add(target)
        out.append(Prim([target], load, {"x": atom}, loc))
        return Var(target)

    def block(stmts) -> list:
        out: list = []
        for stmt in stmts:
            if isinstance(stmt, Prim):
                stmt.args = {p: a if (p == "ref" and stmt.prim.name == "assign") else snap(a, out, stmt.loc)
                             for p, a in stmt.args.items()}
            elif isinstance(stmt, Call):
                stmt.args = [snap(a, out, stmt.loc) for a in stmt.args]
            elif isinstance(stmt, If):
                stmt.body, stmt.orelse = block(stmt.body), block(stmt.orelse)
            elif isinstance(stmt, For):
                stmt.body = block(stmt.body)
            elif isinstance(stmt, While):
                stmt.cond_body, stmt.body = block(stmt.cond_body), block(stmt.body)
            out.append(stmt)
        return out
    return block(body)
