"""Lower: the last step on code that will not be differentiated again.

Takes: the gast function definitions of one generated module, built with ``recompute=False``,
and the module's :class:`~autograd_st.compiler.names.NameAllocator` (for the names it adds):

- ``[grad]``: a gradient function, forward and backward in one body; or
- ``[fwd, bwd]``: a pair, where ``fwd`` ends in ``return (outputs..., (residuals...))`` and
  ``bwd`` begins by unpacking its first parameter into the residuals, in the same order
  (``driver.build_pair`` builds them so).

What may be rewritten is known only by the tags its emitters put on it
(:mod:`autograd_st.compiler.anno` has the table): ``tape_append`` and ``tape_walk`` (by tape),
``adjoint_zeros`` and ``accumulate`` (by adjoint), ``unbroadcast`` (its ``like`` and
``matmul``), ``kernel_forward`` and ``kernel_gradient`` (by primitive).  An untagged node is
never rewritten, however it is spelled: a user's helper named ``unbroadcast`` or variable named
``_tape`` stays as the user wrote it.  A node a step rewrites loses its tag, so a later step
leaves it alone.  Code built to be differentiated again (``recompute=True``: higher-order
derivatives read it back) never comes here and stays made of primitives only (ARCHITECTURE
decision 4).

Gives: the same functions, in place, computing the same values, with these speed-ups:

- **Shapes instead of arrays.**  A value that a loop's backward (``tape_walk``) reads only as
  the ``like`` of ``unbroadcast`` (the operand of a broadcasting ``+``) is taped (by the one
  ``tape_append`` of that tape) as its shape, ``getattr(v, "shape", ())`` (``np.shape``
  without its wrapper), and the backward calls ``sum_to(g, v_shape)``: the tape no longer
  keeps an array per iteration alive for its shape.  A pair's residual read only that way is
  returned as its shape too.  A value also read by calls tagged ``shape_use``
  (``expand_to(g, v)``, ``zeros_like(v)``, ``np.shape(v)``, ``np.ndim(v)``) is kept as
  ``shape_of(v)``, a :class:`~autograd_st.runtime.Shape` (its shape tuple, with its dtype),
  which those calls take in its place.
- **Accumulation into the accumulator.**  Inside a backward loop, an ``accumulate``
  ``d = d + e`` for an adjoint made ``zeros_like`` just before the loop (``adjoint_zeros``)
  and read nowhere else in the loop becomes ``d = accumulate(d, e)``, which adds in place
  when that gives the very array ``d + e`` would (same dtype, same shape) and is ``d + e``
  otherwise.  The accumulator is always an array the generated code made itself; a user's
  array or a Parameter's storage is never written.  ``e = unbroadcast(g, w)`` accumulates
  through one ``accumulate_to``, a weight's matmul gradient through one ``accumulate_tn``.
- **One call per matmul gradient.**  ``unbroadcast(matmul_nt(a, b), x)`` is
  ``matmul_nt_to(a, b, x)`` (and ``matmul_tn`` likewise; the ``unbroadcast`` tag's
  ``matmul`` fact says which): the two-matrix case goes straight to BLAS.
- **A forward that saves what its gradient recomputes.**  For a primitive of
  :data:`autograd_st.kernels.LOWERED_KERNELS` (sparse softmax cross-entropy; conv2d, whose
  weight gradient reads the forward's im2col columns), ``t = p(a, b)`` (``kernel_forward``)
  and ``g = p_grad(a, b, d)`` (``kernel_gradient``; its arguments the forward's as the
  pair's ``layout`` places them, names or the same literals) on the same values, in one
  function or across a pair's residuals, become ``t, t_saved = p_fwd(a, b)`` and ``g =
  p_bwd(t_saved, d)``; residuals the backward then no longer reads are dropped from the
  pair.
- **A seed without its value.**  An output nothing returns or reads but its seed
  (``GradOperation()(net)``: gradients only) is not computed for the seed's shape:
  ``out = np.matmul(x, y)`` and ``d_out = ones_like(out)`` (tagged ``seed``) are
  ``d_out = matmul_ones(x, y)`` (``np.sum(v)``: ``sum_ones(v)``); see
  :mod:`autograd_st.compiler.lower_seed`.
- **Dead values freed.**  In the function's top-level straight-line code, a value no later
  statement reads is deleted (``del``) after its last use, as a hand-written expression's
  temporaries would be: the arrays the backward does not need go back to the allocator while
  it runs.  (This step needs no tag: it reads only which names each statement binds and
  reads.)
- **Temporaries written in place.**  Last, :func:`autograd_st.compiler.inplace.inplace` gives
  a function with enough elementwise temporaries an ``if inplace_ok(x):`` branch that writes
  them into operands nothing reads afterwards and reads numbers as 0-d arrays (its module
  docstring says when).
"""
from __future__ import annotations

import gast

from ..kernels import LOWERED_KERNELS
from .anno import facts_of, tag, tag_of, untag
from .codegen import is_comment, make_node, name, names_read
from .inplace import inplace
from .lower_facts import names_of, statement_facts, store_counts, walk_top
from .lower_loops import batch_loops
from .lower_seed import seed_without_value
from .trees import walk

__all__ = ["lower"]


def lower(fdefs: list, names, in_place=True) -> None:
    """Lower ``fdefs`` (a generated module's functions: ``[grad]`` or ``[fwd, bwd]``) in place;
    ``names`` gives fresh names; ``in_place``: False leaves out the in-place branch (the
    caller gives the function another first branch, compiler/lower_fwdacc.py)."""
    # one walk finds the tagged nodes the steps below rewrite: tape appends, tape walks,
    # unbroadcast calls (each step checks its node's tag again: an earlier step may have
    # rewritten or detached it); the same walk gathers what the shapes step, _free_dead and
    # inplace read of each top-level statement, used when no step in between rewrites it
    appends, walks, unbroadcasts = {}, {}, []
    last_read = {}  # per function: name -> the last top-level statement that reads it
    walked = {}  # per function: ([(loads, stores, reads)] per statement, store counts)
    for fdef in fdefs:
        found = walks[id(fdef)] = []
        last = last_read[id(fdef)] = {}
        once = {a.id: 1 for a in fdef.args.args}
        per = []
        for k, top in enumerate(fdef.body):
            tagged, ld, st, reads = walk_top(top, once)
            per.append((ld, st, reads))
            for n in ld:
                last[n] = k
            for node in tagged:
                t = tag_of(node)
                if t.kind == "unbroadcast":
                    unbroadcasts.append((node, id(fdef), k))
                elif t.kind == "tape_walk":
                    found.append((k, top, node, t.facts["tape"]))
                elif t.kind == "tape_append":
                    appends.setdefault(t.facts["tape"], []).append(node)
        walked[id(fdef)] = (per, once)
    for fdef in fdefs:
        for k, top, loop, tape in walks[id(fdef)]:
            if len(appends.get(tape, ())) == 1:
                # a name read after the loop keeps the value the loop unpacks last (the
                # names read after statement k, from one walk: not a walk of the rest of
                # the function per loop)
                last = last_read[id(fdef)]
                _shapes_on_tape(loop, appends[tape][0], names,
                                _loads_outside(top, loop) | {v for v, j in last.items() if j > k})
        if walks[id(fdef)]:
            _accumulate_in_loops(fdef.body)
    if any(walks.values()):
        batch_loops(fdefs, names)
        walked.clear()  # (the loops' steps rewrote statements: walked again)
    calls = [node for node, _, _ in unbroadcasts]
    if len(fdefs) == 2:  # a pair: the forward's residuals are what the backward unpacks
        _save_for_backward_in_pair(*fdefs, names)
        _shapes_in_residuals(*fdefs, names)
        _fuse_matmul_gradients(calls)
        facts = [None] * len(fdefs)
    else:
        for fdef in fdefs:
            if _save_for_backward(fdef, names):
                walked.pop(id(fdef), None)
        # (before the shapes step: the two rewrite disjoint calls, and the facts that step
        # gathers are then the final ones for _free_dead and inplace)
        fused = {id(node) for node in _fuse_matmul_gradients(calls)}
        stale = {}  # per function: the statements holding a call fused since the walk
        for node, f, k in unbroadcasts:
            if id(node) in fused:
                stale.setdefault(f, set()).add(k)
        facts = []
        for fdef in fdefs:
            pre = walked.get(id(fdef))
            if pre is not None:
                per, once = pre
                for k in stale.get(id(fdef), ()):  # (a fused call binds nothing)
                    per[k] = statement_facts(fdef.body[k], {})
            facts.append(_shapes_in_function(fdef, names, pre))
    for fdef, found in zip(fdefs, facts):
        _, found = seed_without_value(fdef, found)  # (the facts of the body it leaves)
        fdef.body, found = _free_dead(fdef.body, {a.id for a in fdef.args.args}, found)
        if in_place:
            inplace(fdef, names, found)


# ---------------------------------------------------------------------------------------
# tapes
# ---------------------------------------------------------------------------------------

def _unbroadcast_like(node):
    """An ``unbroadcast(E, v)`` (tagged so) -> ``v``'s name."""
    facts = facts_of(node, "unbroadcast")
    return None if facts is None else facts["like"]


def _loads_outside(top, loop) -> set:
    """Names ``top`` reads outside ``loop`` (a statement inside it)."""
    inner = {id(n) for st in loop.body for n in walk(st)}
    return {n.id for n in walk(top) if isinstance(n, gast.Name)
            and isinstance(n.ctx, gast.Load) and id(n) not in inner}


def _shapes_in_residuals(fwd, bwd, names) -> None:
    """A pair's residual that its backward reads only for its shape is returned as one."""
    ret = fwd.body[-1] if fwd.body else None
    if not (isinstance(ret, gast.Return) and isinstance(ret.value, gast.Tuple)
            and ret.value.elts and isinstance(ret.value.elts[-1], gast.Tuple)):
        return
    unpack = bwd.body[0] if bwd.body else None
    if not (isinstance(unpack, gast.Assign) and len(unpack.targets) == 1
            and isinstance(unpack.targets[0], gast.Tuple) and isinstance(unpack.value, gast.Name)
            and bwd.args.args and unpack.value.id == bwd.args.args[0].id):
        return
    _shapes(unpack.targets[0], ret.value.elts[-1], bwd.body[1:], names, set(),
            skip={a.id for a in fwd.args.args})  # (arguments are alive anyway)


def _shape_record(v, forms):
    """What is kept of ``v`` for calls of ``forms`` reading its shape: ``shape_of(v)`` (a
    :class:`~autograd_st.runtime.Shape`: the shape tuple with the dtype) where ``zeros_like``
    needs the dtype, ``np.shape(v)`` where ``np.shape`` or ``np.ndim`` read it, else
    ``getattr(v, "shape", ())`` (``np.shape`` without its wrapper: () for a Python number,
    such as a loop's constant start)."""
    if "zeros_like" in forms:
        return gast.Call(func=name("shape_of"), args=[name(v)], keywords=[])
    if "shape" in forms or "ndim" in forms:  # (np.shape's own answer, whatever v is)
        return gast.Call(func=gast.Attribute(value=name("np"), attr="shape", ctx=gast.Load()),
                         args=[name(v)], keywords=[])
    return gast.Call(func=name("getattr"), args=[name(v), gast.Constant(value="shape", kind=None),
                                                 gast.Tuple(elts=[], ctx=gast.Load())],
                     keywords=[])


def _read_shape(call, form, shape) -> None:
    """``call`` (a ``shape_use`` of ``form``, or an ``unbroadcast`` for None) made to read the
    kept shape ``shape`` instead of the value."""
    if form is None:  # unbroadcast(E, v) -> sum_to(E, v_shape)
        call.func = name("sum_to")
        call.args[1] = name(shape)
    elif form == "expand_to":  # (expand_to takes a shape tuple for its like)
        call.args[1] = name(shape)
    elif form == "zeros_like":  # (a Shape: it has the dtype)
        call.args[0] = name(shape)
    elif form == "shape":  # np.shape(v) -> tuple(v_shape)
        call.func, call.args = name("tuple"), [name(shape)]
    else:  # np.ndim(v) -> len(v_shape)
        call.func, call.args = name("len"), [name(shape)]
    untag(call)


def _shapes_in_function(fdef, names, walked=None) -> tuple:
    """In one function (forward and backward together): a value assigned once at the top
    level whose later reads, after some statement, are all for its shape is replaced by
    ``shape_of(v)`` right after that statement (and freed there, by ``_free_dead``), instead
    of staying alive into the backward for its shape.  Returns ``(loads, stores)``: the sets
    of names each top-level statement of the function it leaves reads and binds (from the
    walk this step makes anyway, for :func:`_free_dead` and ``inplace``).  ``walked``:
    ``([(loads, stores, reads)] per statement, store counts)`` when the caller has them."""
    body = fdef.body
    if walked is None:
        once = {a.id: 1 for a in fdef.args.args}  # (store_counts, gathered on the same walk)
        walked = [statement_facts(stmt, once) for stmt in body]
    else:
        walked, once = walked
    loads = [set(w[0]) for w in walked]
    stores = [w[1] for w in walked]
    params = {a.id for a in fdef.args.args}
    candidates = {}
    for i, stmt in enumerate(body):
        if isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], gast.Name) \
                and not isinstance(stmt.value, gast.Name):
            v = stmt.targets[0].id
            if once.get(v) == 1 and v not in params:
                candidates[v] = i
    if not candidates:
        return loads, stores
    full_after, shaped = {}, {}  # v -> the last statement reading it whole; its shape reads
    for j, (ld, _, reads) in enumerate(walked):
        reads = [r for r in reads if r[2] in candidates]
        for v in loads[j]:
            if v not in candidates:
                continue
            mine = [r for r in reads if r[2] == v]
            if mine and len(mine) == ld.count(v):
                shaped.setdefault(v, []).append((j, mine))
            else:
                full_after[v] = j
    inserts = {}
    changed = set()  # the statements whose calls now read a kept shape
    for v, at in candidates.items():
        last = max(full_after.get(v, at), at)
        later = [(j, m) for j, ms in shaped.get(v, []) if j > last for m in ms]
        if not later or last + 1 >= min(j for j, _ in shaped[v] if j > last):
            continue  # (no statement between: nothing would be freed sooner)
        shape = names.fresh(v.lstrip("_") + "_shape")
        inserts.setdefault(last, []).append(gast.Assign(
            targets=[name(shape, store=True)],
            value=_shape_record(v, [form for _, (_, form, _) in later]), type_comment=None))
        for j, (call, form, _) in later:
            _read_shape(call, form, shape)
            changed.add(j)
    for j in changed:
        loads[j], stores[j] = names_of(body[j])
    if inserts:
        out, out_loads, out_stores = [], [], []
        for j, stmt in enumerate(body):
            out.append(stmt)
            out_loads.append(loads[j])
            out_stores.append(stores[j])
            for new in inserts.get(j, ()):
                out.append(new)
                ld, sd = names_of(new)
                out_loads.append(ld)
                out_stores.append(sd)
        fdef.body = out
        return out_loads, out_stores
    return loads, stores


def _shapes_on_tape(loop, append, names, read_after) -> None:
    target, record = loop.target, append.value.args[0]
    if isinstance(target, gast.Name) and isinstance(record, gast.Name):  # one value taped
        target = gast.Tuple(elts=[target], ctx=gast.Store())
        record = gast.Tuple(elts=[record], ctx=gast.Load())
        if _shapes(target, record, loop.body, names, read_after):
            loop.target, append.value.args[0] = target.elts[0], record.elts[0]
        return
    _shapes(target, record, loop.body, names, read_after)


def _shapes(target, record, body, names, read_after, skip=frozenset()) -> bool:
    """Where ``target`` (unpacking in ``body``) and ``record`` (the tuple packed) name a value
    that ``body`` reads only as the ``like`` of ``unbroadcast``, pack its shape instead."""
    if isinstance(target, gast.Tuple) and isinstance(record, gast.Tuple) \
            and len(target.elts) == len(record.elts):
        pairs = list(zip(target.elts, record.elts))
    else:
        return False
    changed = False
    stored, loads, like_uses, shape_uses = set(), {}, {}, {}
    for node in walk(gast.Module(body=body, type_ignores=[])):
        if isinstance(node, gast.Name):
            if isinstance(node.ctx, gast.Store):
                stored.add(node.id)
            else:
                loads[node.id] = loads.get(node.id, 0) + 1
        like = _unbroadcast_like(node)
        if like is not None:
            like_uses.setdefault(like, []).append(node)
        facts = facts_of(node, "shape_use")  # expand_to(g, v), zeros_like(v), np.shape(v)
        if facts is not None:
            shape_uses.setdefault(facts["like"], []).append((node, facts["form"]))
    for i, (tgt, rec) in enumerate(pairs):
        if not (isinstance(tgt, gast.Name) and isinstance(rec, gast.Name)):
            continue
        v = tgt.id
        uses, others = like_uses.get(v, []), shape_uses.get(v, [])
        if not (uses or others) or v in stored or loads.get(v, 0) != len(uses) + len(others) \
                or v in read_after or rec.id in skip:
            continue
        shape = names.fresh(v.lstrip("_") + "_shape")
        target.elts[i] = name(shape, store=True)
        record.elts[i] = _shape_record(rec.id, [form for _, form in others])
        for call, form in others:
            _read_shape(call, form, shape)
        for call in uses:
            call.func = name("sum_to")
            call.args[1] = name(shape)
            untag(call)  # a sum to a shape now, no longer an unbroadcast
        changed = True
    return changed


# ---------------------------------------------------------------------------------------
# forward kernels that save what their gradient reads
# ---------------------------------------------------------------------------------------

def _arg_key(node):
    """What a kernel call's argument is, to compare the forward's with the gradient's: a
    name (its identifier), a literal (``(1, 1)``, ``'valid'``, ``-2``: its dump), else None."""
    if isinstance(node, gast.Name):
        return node.id
    if all(isinstance(n, (gast.Constant, gast.Tuple, gast.UnaryOp, gast.USub, gast.Load))
           for n in walk(node)):
        return ("literal", gast.dump(node))
    return None


def _kernel_call(stmt, kind):
    """``t = f(a1, a2, ...)`` (one target, arguments names or literals, the call tagged
    ``kind``: a ``kernel_forward`` or ``kernel_gradient``) -> ``(t, primitive, [key of a1,
    ...])`` (:func:`_arg_key`)."""
    if isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 \
            and isinstance(stmt.targets[0], gast.Name) and isinstance(stmt.value, gast.Call):
        facts = facts_of(stmt.value, kind)
        if facts is not None and not stmt.value.keywords:
            keys = [_arg_key(a) for a in stmt.value.args]
            if None not in keys:
                return stmt.targets[0].id, facts["prim"], keys
    return None


def _names(keys) -> list:
    return [k for k in keys if isinstance(k, str)]


def _saving_sites(fdef):
    """The top-level ``t = p(args)`` of a primitive with a saving kernel pair, whose target
    and named arguments are each bound once in ``fdef`` (so a later use names the same
    value): ``[(position, statement, t, p, args)]``.  Most functions have none: one look at
    the top-level statements, and the whole function is walked only when there is one."""
    calls = [(i, stmt, _kernel_call(stmt, "kernel_forward"))
             for i, stmt in enumerate(fdef.body) if isinstance(stmt, gast.Assign)]
    calls = [(i, stmt, c) for i, stmt, c in calls if c is not None]
    if not calls:
        return []
    once = store_counts(fdef)
    return [(i, stmt, t, p, args) for i, stmt, (t, p, args) in calls
            if once.get(t) == 1 and all(once.get(a) == 1 for a in _names(args))]


def _incoming(prim, fwd_args, grad_args, rename=None):
    """The incoming gradient's name where the gradient call's arguments ``grad_args`` are
    the forward's ``fwd_args`` as the pair's layout places them (``rename``: a name of the
    backward -> the forward's name for the same value, across a pair), else None."""
    layout = LOWERED_KERNELS[prim].layout
    if len(grad_args) != len(layout):
        return None
    d = None
    for key, at in zip(grad_args, layout):
        if at == "d":
            d = key if isinstance(key, str) else None
        elif at >= len(fwd_args) or fwd_args[at] != (
                rename.get(key) if rename is not None and isinstance(key, str) else key):
            return None
    return d


def _gradient_sites(fdef, prim):
    """The top-level ``g = gradient(args...)`` of ``fdef`` for primitive ``prim``'s saving
    pair: ``[(position, statement, args)]``."""
    out = []
    for i, stmt in enumerate(fdef.body):
        call = _kernel_call(stmt, "kernel_gradient") if isinstance(stmt, gast.Assign) else None
        if call is not None and call[1] == prim:
            out.append((i, stmt, call[2]))
    return out


def _rewrite_saving(fwd_stmt, t, prim, saved, grad_stmt, d) -> None:
    pair = LOWERED_KERNELS[prim]
    fwd_stmt.targets = [gast.Tuple(elts=[name(t, store=True), name(saved, store=True)],
                                   ctx=gast.Store())]
    fwd_stmt.value.func = name(pair.fwd.__name__)
    grad_stmt.value.func = name(pair.bwd.__name__)
    grad_stmt.value.args = [name(saved), name(d)]
    untag(fwd_stmt.value)  # the saving pair's calls now, no longer the primitives'
    untag(grad_stmt.value)


def _save_for_backward(fdef, names) -> bool:
    """In one function (a gradient function: forward and backward together); whether it
    may have rewritten a statement."""
    sites = _saving_sites(fdef)
    if not sites:
        return False
    once = store_counts(fdef)
    for at, stmt, t, prim, args in sites:
        grads = [(i, g, d) for i, g, a in _gradient_sites(fdef, prim)
                 for d in [_incoming(prim, args, a)] if d is not None]
        if len(grads) == 1 and grads[0][0] > at and once.get(grads[0][2]) == 1:
            _rewrite_saving(stmt, t, prim, names.fresh(t.lstrip("_") + "_saved"),
                            grads[0][1], grads[0][2])
    return True


def _save_for_backward_in_pair(fwd, bwd, names) -> None:
    """Across a pair: the forward returns what it saved as one more residual."""
    ret = fwd.body[-1] if fwd.body else None
    unpack = bwd.body[0] if bwd.body else None
    if not (isinstance(ret, gast.Return) and isinstance(ret.value, gast.Tuple)
            and ret.value.elts and isinstance(ret.value.elts[-1], gast.Tuple)
            and isinstance(unpack, gast.Assign) and len(unpack.targets) == 1
            and isinstance(unpack.targets[0], gast.Tuple) and isinstance(unpack.value, gast.Name)
            and bwd.args.args and unpack.value.id == bwd.args.args[0].id):
        return
    record, targets = ret.value.elts[-1], unpack.targets[0]
    if len(record.elts) != len(targets.elts) \
            or not all(isinstance(e, gast.Name) for e in record.elts + targets.elts):
        return
    sites = _saving_sites(fwd)
    if not sites:
        return
    fwd_name = {tg.id: rec.id for tg, rec in zip(targets.elts, record.elts)}
    once = store_counts(bwd)
    changed = False
    for _, stmt, t, prim, args in sites:
        grads = [(g, d) for _, g, a in _gradient_sites(bwd, prim)
                 if all(once.get(x) == 1 for x in _names(a))
                 for d in [_incoming(prim, args, a, fwd_name)] if d is not None]
        if len(grads) != 1:
            continue
        saved = names.fresh(t.lstrip("_") + "_saved")
        _rewrite_saving(stmt, t, prim, saved, *grads[0])
        record.elts.append(name(saved))
        targets.elts.append(name(saved, store=True))
        changed = True
    if changed:  # residuals the backward no longer reads are not kept alive for it
        read = set(names_read(bwd.body[1:]))
        keep = [i for i, tg in enumerate(targets.elts) if tg.id in read]
        record.elts = [record.elts[i] for i in keep]
        targets.elts = [targets.elts[i] for i in keep]


# ---------------------------------------------------------------------------------------
# accumulation
# ---------------------------------------------------------------------------------------

def _accumulation(stmt):
    """An accumulation ``d = d + e`` (tagged so) whose ``e`` does not read ``d`` -> ``d``."""
    facts = facts_of(stmt, "accumulate")
    if facts is None:
        return None
    d = facts["adjoint"]
    if any(isinstance(n, gast.Name) and n.id == d for n in walk(stmt.value.right)):
        return None
    return d


def _accumulate_call(d, e):
    """``accumulate(d, e)``; ``e = unbroadcast(g, w)`` as one ``accumulate_to(d, g, w)``,
    and a weight's matmul gradient, ``unbroadcast(matmul_tn(a, b, like=w), w)``, as one
    ``accumulate_tn(d, a, b, w)``."""
    facts = facts_of(e, "unbroadcast")
    if facts is None or facts["like"] is None:
        return gast.Call(func=name("accumulate"), args=[name(d), e], keywords=[])
    untag(e)  # taken apart here: no longer a call the matmul step may rewrite
    inner, w = e.args[0], facts["like"]
    if facts["matmul"] == "tn":
        return gast.Call(func=name("accumulate_tn"), args=[name(d)] + list(inner.args) + [name(w)],
                         keywords=[])
    return gast.Call(func=name("accumulate_to"), args=[name(d), inner, name(w)], keywords=[])


def _fresh_zeros(stmt):
    """An adjoint made an array, ``d = zeros_like(x)`` (tagged so) -> ``d``."""
    facts = facts_of(stmt, "adjoint_zeros")
    return None if facts is None else facts["adjoint"]


def _accumulate_in_loops(body) -> None:
    for i, stmt in enumerate(body):
        for child in ("body", "orelse"):
            if isinstance(getattr(stmt, child, None), list):
                _accumulate_in_loops(getattr(stmt, child))
        if facts_of(stmt, "checkpoint_segments") is not None \
                and facts_of(stmt.body[-1], "tape_walk") is not None:
            tape_walk = stmt.body[-1]  # (the accumulators are made before the segments' loop)
        elif facts_of(stmt, "tape_walk") is not None:
            tape_walk = stmt
        else:
            continue
        # the accumulators made right before the loop
        fresh = set()
        j = i - 1
        while j >= 0 and _fresh_zeros(body[j]) is not None:
            fresh.add(_fresh_zeros(body[j]))
            j -= 1
        if not fresh:
            continue
        targets = {n.id for n in walk(tape_walk.target) if isinstance(n, gast.Name)}
        accs, other = {}, {}
        for node in walk(gast.Module(body=tape_walk.body, type_ignores=[])):
            d = _accumulation(node)
            if d is not None:
                accs.setdefault(d, []).append(node)
        for node in walk(gast.Module(body=stmt.body, type_ignores=[])):
            if isinstance(node, gast.Name):
                other[node.id] = other.get(node.id, 0) + 1
        for d, stmts in accs.items():
            # d is read and written only by its own accumulations (two names each)
            if d in fresh and d not in targets and other.get(d, 0) == 2 * len(stmts):
                for st in stmts:
                    st.value = _accumulate_call(d, st.value.right)
                    # d = accumulate(d, e) now (lower_loops may sum it after the loop)
                    tag(st, "accumulated", adjoint=d, helper=st.value.func.id)


# ---------------------------------------------------------------------------------------
# matmul gradients
# ---------------------------------------------------------------------------------------

def _fuse_matmul_gradients(calls) -> list:
    """``unbroadcast(matmul_nt(a, b), x)`` -> ``matmul_nt_to(a, b, x)``, and
    ``unbroadcast(matmul_tn(a, b, like=y), y)`` -> ``matmul_tn_to(a, b, y)``: one call.
    ``calls``: the ``unbroadcast`` calls of the functions, found before the other steps (a
    step since may have rewritten one and removed its tag).  Returns those it rewrote."""
    done = []
    for node in calls:
        facts = facts_of(node, "unbroadcast")
        if facts is None or facts["matmul"] is None:
            continue
        helper = "matmul_nt_to" if facts["matmul"] == "nt" else "matmul_tn_to"
        node.func, node.args = name(helper), list(node.args[0].args) + [name(facts["like"])]
        untag(node)
        done.append(node)
    return done


# ---------------------------------------------------------------------------------------
# dead values
# ---------------------------------------------------------------------------------------

def _free_dead(body, params, found=None) -> tuple:
    """``del`` each top-level value after the statement that reads it last.  Only values the
    function computed are freed: not its arguments, not names unpacked from an argument (the
    argument keeps them alive), not a value another name copies (the copy keeps it).
    ``found``: ``(loads, stores)``, the sets of names each statement of ``body`` reads and
    binds, when an earlier step has them.  Returns the new body and the same sets for it (a
    ``del`` reads and binds nothing)."""
    if found is None:  # per statement, from one walk of it
        loads, stores = [], []
        for stmt in body:
            ld, st = names_of(stmt)
            loads.append(ld)
            stores.append(st)
    else:
        loads, stores = found
    last_load = {}
    for i, ld in enumerate(loads):
        for n in ld:
            last_load[n] = i
    last_reads = {}  # statement -> the names it reads last
    for n, i in last_load.items():
        last_reads.setdefault(i, []).append(n)
    computed, copied, nested = set(), set(), set()
    for stmt, st in zip(body, stores):
        if not isinstance(stmt, gast.Assign):
            nested |= st
        elif isinstance(stmt.value, gast.Name):
            copied.add(stmt.value.id)
    out, out_loads, out_stores = [], [], []
    nothing = frozenset()
    for i, stmt in enumerate(body):
        out.append(stmt)
        out_loads.append(loads[i])
        out_stores.append(stores[i])
        if isinstance(stmt, gast.Assign) and not isinstance(stmt.value, gast.Name):
            computed |= stores[i]
        last = last_reads.get(i)
        if last is None or isinstance(stmt, gast.Return) or is_comment(stmt):
            continue
        dead = sorted(v for v in last
                      if v in computed and v not in nested and v not in copied
                      and v not in params)
        if dead:
            out.append(make_node(gast.Delete, targets=[
                make_node(gast.Name, id=v, ctx=make_node(gast.Del), annotation=None,
                          type_comment=None) for v in dead]))
            out_loads.append(nothing)
            out_stores.append(nothing)
    return out, (out_loads, out_stores)
