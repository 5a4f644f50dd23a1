"""Memory for compute: Cells whose forward the backward recomputes, and checkpointed loops.

Takes: for :func:`recompute_pair`, the FuncIR of a Cell called with ``Cell.recompute()`` (or
through ``mindspore.recompute(block, *args)``), which of its inputs are differentiated, and
``build_pair`` (the builder of ordinary pairs, passed in: this module sits beside
:mod:`.build`, which calls it); for :func:`checkpoint_loop`, the reverse pass
(:class:`~autograd_st.compiler.reverse.Reverse`) right after it reversed a ``for`` loop.
Gives: a :class:`RecomputePair`, a forward/backward pair like ``build.Compiled`` whose forward
keeps only the Cell's inputs and whose backward runs the Cell's forward again (keeping its
residuals this time) and then its backward; and, for a loop, the reverse pass's output
rewritten so that the forward keeps the loop's carried state every ``S = ceil(sqrt(T))``
iterations (``T`` the trip count, known at loop entry) instead of a tape record per
iteration, and the backward recomputes each segment's tape from its checkpoint, last
segment first.

Memory: a recomputed Cell keeps its inputs (the caller has them anyway, mostly) instead of
its residuals until the backward reaches it; a checkpointed loop keeps ``ceil(T / S)``
checkpoints and one segment's tape (``S`` records) instead of ``T`` records, for one more
forward run of the loop's body.  Both are opt-in through ``Cell.recompute()``: the Cells it
is called on are recomputed, and the ``for`` loops of their ``construct`` (and of the
sub-Cells and helpers it calls; on the differentiated Cell itself too) are checkpointed
(a MindSpore user's one switch for "memory for compute"; ``jax.checkpoint`` plays the part
in JAX).  A loop whose body has side effects (``print``, appending to an outside list)
or draws random values (a dropout mask) keeps its tape: recomputing it would run them again,
or draw other values; so does a Cell whose forward draws random values (its residuals are
kept, as without ``recompute()``).  ``while`` loops keep their tapes too
(their trip count is not known at entry).  Code built to be differentiated again
(``recompute=True``) already recomputes loop states and is left as it is.
"""
from __future__ import annotations

import copy

import gast

from ..errors import CompileError
from ..runtime import segment_length
from .anno import facts_of, tag, tag_of
from .cache import built_once
from .codegen import (
    ForwardEmitter,
    assign,
    comment,
    const,
    expr_of,
    function_def,
    name,
    to_source,
)
from .ir import Call, Const, For, Opaque, has_effects, has_random, leaves, walk
from .load import load, validate
from .stages import record

__all__ = ["RecomputePair", "recompute_pair", "checkpoint_loop"]


# ---------------------------------------------------------------------------------------
# Cell.recompute()
# ---------------------------------------------------------------------------------------

class RecomputePair:
    """A call's forward/backward pair (the interface of ``build.Compiled``) for a Cell whose
    forward is recomputed: ``fwd(args..., inputs...)`` runs ``primal`` (the forward with
    nothing differentiated: no residuals) and returns the outputs and the inputs;
    ``bwd((args..., inputs...), d_outputs...)`` runs ``full``'s forward on them, then its
    backward."""

    def __init__(self, fir, arg_mask, input_mask, primal, full, fwd, bwd, texts) -> None:
        self.fir = fir
        self.arg_mask = tuple(arg_mask)
        self.input_mask = tuple(input_mask)
        self.wrt_any = full.wrt_any
        self.fwd, self.bwd = fwd, bwd
        self.texts = texts
        self.source = "\n\n".join(text for _, text in texts)
        self.callees = [primal, full]


def recompute_pair(fir, arg_mask, input_mask, recompute, build_pair) -> RecomputePair:
    """The pair of a call to ``fir``'s Cell whose forward the backward recomputes (cached on
    ``fir`` like the ordinary pairs)."""
    return built_once(fir, ("recompute", tuple(arg_mask), tuple(input_mask), recompute),
                      lambda: _make_recompute_pair(fir, arg_mask, input_mask, recompute,
                                                   build_pair))


def _make_recompute_pair(fir, arg_mask, input_mask, recompute, build_pair):
    primal = build_pair(fir, (False,) * len(arg_mask), (False,) * len(input_mask), recompute)
    full = build_pair(fir, arg_mask, input_mask, recompute, checkpoint=not recompute)
    names = copy.deepcopy(fir.names)
    params = [s.var.name for s in leaves(fir.args)] + [inp.name for inp in fir.inputs]
    n_out = len(leaves(fir.result))
    outs = [names.fresh("_out") for _ in range(n_out)]
    namespace = {}

    def global_for(fn):
        n = names.fresh(fn.__name__)
        namespace[n] = fn
        return n
    primal_fn, full_fwd, full_bwd = (global_for(primal.fwd), global_for(full.fwd),
                                     global_for(full.bwd))
    qual = fir.qualname.replace("<locals>.", "")
    base = "_".join(p for p in qual.split(".")[-2:]).replace("<", "").replace(">", "")
    fwd_name, bwd_name = names.fresh(base + "_recompute_fwd"), names.fresh(base +
                                                                          "_recompute_bwd")
    unused = names.fresh("_no_residuals")
    kept = gast.Tuple(elts=[name(p) for p in params], ctx=gast.Load())
    fwd_body = [
        comment("%s is recomputed in the backward (Cell.recompute()): its forward keeps "
                "its inputs, not its residuals" % qual),
        assign(outs + [unused], gast.Call(func=name(primal_fn), args=[name(p) for p in params],
                                          keywords=[])),
        gast.Return(value=gast.Tuple(elts=[name(o) for o in outs] + [kept], ctx=gast.Load()))]
    res, res_full = names.fresh("_res"), names.fresh("_res")
    douts = [names.fresh("d_out") for _ in range(n_out)]
    unpack = gast.Assign(targets=[gast.Tuple(elts=[name(p, True) for p in params],
                                             ctx=gast.Store())], value=name(res),
                         type_comment=None)
    bwd_body = [unpack] if params else []
    bwd_body += [
        comment("the forward of %s, recomputed (Cell.recompute()), keeping its residuals "
                "this time" % qual),
        assign([names.fresh("_out") for _ in range(n_out)] + [res_full],
               gast.Call(func=name(full_fwd), args=[name(p) for p in params], keywords=[])),
        gast.Return(value=gast.Call(func=name(full_bwd), args=[name(res_full)]
                                    + [name(d) for d in douts], keywords=[]))]
    fdefs = [function_def(fwd_name, params, fwd_body),
             function_def(bwd_name, [res] + douts, bwd_body)]
    for fdef in fdefs:
        unknown = [n for n in validate(fdef) if n not in namespace and n != "__comment__"]
        if unknown:
            raise CompileError("internal error: a recompute pair reads %s" % unknown)
    texts = [(fdef.name, to_source(fdef)) for fdef in fdefs]
    record("adjoint", lambda: "\n\n".join(text for _, text in texts))
    record("lowered", lambda: "\n\n".join(text for _, text in texts))
    module = load("\n\n".join(text for _, text in texts), fir.qualname + " recompute pair",
                  namespace)
    return RecomputePair(fir, arg_mask, input_mask, primal, full, module[fwd_name],
                         module[bwd_name], texts)


# ---------------------------------------------------------------------------------------
# loop checkpointing
# ---------------------------------------------------------------------------------------

def _has_effects(stmt) -> bool:
    """Whether running the loop ``stmt`` again would do something else: an effect, or a
    random draw (another dropout mask than the one the forward used)."""
    return has_random(stmt.body) or any(
        (isinstance(s, Opaque) and s.effect)
        or (isinstance(s, Call) and has_effects(s.callee.body)) for s in walk(stmt.body))


def _renamed_records(walk_back, names):
    """The tape walk with the names it unpacks renamed (``h`` -> ``h_2``, tags too): the
    segment's recomputed iterations assign the original names, and the final lowering
    rewrites what a walk unpacks (shapes instead of arrays) only for names read nowhere
    else in the statement around it."""
    targets = [n.id for n in gast.walk(walk_back.target) if isinstance(n, gast.Name)]
    new = {t: names.fresh(t) for t in targets}
    for node in gast.walk(walk_back):
        if isinstance(node, gast.Name) and node.id in new:
            node.id = new[node.id]
        found = tag_of(node)
        if found is not None and found.facts.get("like") in new:
            tag(node, found.kind, **dict(found.facts, like=new[found.facts["like"]]))
    return walk_back


def checkpoint_loop(rev, stmt, headers, tape) -> bool:
    """Rewrite the ``for`` loop ``stmt`` that ``rev`` (the reverse pass) has just reversed
    with the tape ``tape``: the forward keeps ``headers`` (its carried state) every
    ``S`` iterations, the backward recomputes each segment's tape.  Returns whether it did
    (a loop with side effects keeps its tape)."""
    if not isinstance(stmt, For) or _has_effects(stmt) or not rev.out \
            or facts_of(rev.out[-1], "tape_walk") is None:
        return False
    walk_back = _renamed_records(rev.out.pop(), rev.names)
    fwd_pre, add_tape = rev.loop_hooks[id(stmt)]
    fresh = rev.names.fresh
    trips, seg_len, ckpts = fresh("_trips"), fresh("_segment"), fresh("_checkpoints")
    count, seg, k = fresh("_count"), fresh("_s"), fresh("_k")
    start, stop, step = [expr_of(a, rev.const_namer) for a in stmt.iter_args]
    state = gast.Tuple(elts=[name(h) for h in headers], ctx=gast.Load())

    def call(fn, *args):
        return gast.Call(func=fn if not isinstance(fn, str) else name(fn), args=list(args),
                         keywords=[])

    def binop(a, op, b):
        return gast.BinOp(left=a, op=op, right=b)
    if all(isinstance(a, Const) for a in stmt.iter_args):  # known when compiling
        n = len(range(*[a.value for a in stmt.iter_args]))
        sizes = [assign([trips], const(n)), assign([seg_len], const(segment_length(n)))]
    else:
        sizes = [assign([trips], call("len", call("range", start, stop, step))),
                 assign([seg_len], call("segment_length", name(trips)))]
    pre = sizes + [
           assign([ckpts], gast.List(elts=[], ctx=gast.Load())),
           assign([count], const(0))]

    def keep_state(fwd_body):
        save = gast.If(test=gast.Compare(left=binop(name(count), gast.Mod(), name(seg_len)),
                                         ops=[gast.Eq()], comparators=[const(0)]),
                       body=[gast.Expr(value=call(gast.Attribute(
                           value=name(ckpts), attr="append", ctx=gast.Load()), state))],
                       orelse=[])
        return [comment("checkpointed loop (Cell.recompute()): its state every %s "
                        "iterations" % seg_len), save] + fwd_body \
            + [assign([count], binop(name(count), gast.Add(), const(1)))]
    rev.loop_hooks[id(stmt)] = (pre, keep_state)
    rev.tapes.remove(tape)
    rev.tapes.extend([trips, seg_len, ckpts])

    # the backward: per segment, last first: its state, its iterations again with their
    # tape, then the tape walked back
    emitter = ForwardEmitter(rev.const_namer,
                             lambda s: rev.pairs.global_name(rev.pairs.compiled_of(s), "fwd"),
                             rev.loop_hooks, quiet=True)
    body = add_tape(emitter.block(stmt.body))
    first = binop(name(seg), gast.Mult(), name(seg_len))
    again = gast.For(
        target=name(k, True),
        iter=call("range", first, call("min", binop(first, gast.Add(), name(seg_len)),
                                       name(trips))),
        body=[assign([stmt.target], binop(start, gast.Add(),
                                          binop(name(k), gast.Mult(), step)))] + body,
        orelse=[], type_comment=None)
    restore = gast.Assign(targets=[gast.Tuple(elts=[name(h, True) for h in headers],
                                              ctx=gast.Store())],
                          value=gast.Subscript(value=name(ckpts), slice=name(seg),
                                               ctx=gast.Load()), type_comment=None) \
        if headers else None
    segment = [comment("checkpointed: each segment of %s iterations is recomputed from "
                       "its first state, last segment first" % seg_len)]
    segment += ([restore] if restore is not None else []) + [
        assign([tape], gast.List(elts=[], ctx=gast.Load())),
        comment("the segment's iterations again, recording their tape"), again, walk_back]
    rev.out.append(tag(gast.For(target=name(seg, True),
                                iter=call("reversed", call("range", call("len", name(ckpts)))),
                                body=segment, orelse=[], type_comment=None),
                       "checkpoint_segments", tape=tape))
    return True
