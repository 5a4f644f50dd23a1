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
  :data:`autograd_st.kernels.LOWERED_KERNELS` (sparse softmax cross-entropy), ``t = p(a, b)``
  (``kernel_forward``) and ``g = p_grad(a, b, d)`` (``kernel_gradient``) on the same values,
  in one function or across a pair's residuals, become ``t, t_saved = p_fwd(a, b)`` and
  ``g = p_bwd(t_saved, d)``; residuals the backward then no longer reads are dropped from the
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

from collections import deque

import gast

from ..kernels import LOWERED_KERNELS
from .anno import ATTR, facts_of, tag, tag_of, untag
from .codegen import is_comment, name, names_read
from .inplace import inplace
from .lower_loops import batch_loops
from .lower_seed import seed_without_value
from .trees import child_fields, load_store_names, walk

__all__ = ["lower"]


def lower(fdefs: list, names) -> None:
    """Lower ``fdefs`` (a generated module's functions: ``[grad]`` or ``[fwd, bwd]``) in place;
    ``names`` gives fresh names."""
    # one walk finds the tagged nodes the steps below rewrite: tape appends, tape walks,
    # unbroadcast calls (each step checks its node's tag again: an earlier step may have
    # rewritten or detached it)
    appends, walks, unbroadcasts = {}, {}, []
    last_read = {}  # per function: name -> the last top-level statement that reads it
    for fdef in fdefs:
        found = walks[id(fdef)] = []
        last = last_read[id(fdef)] = {}
        for k, top in enumerate(fdef.body):
            for node in _tagged(top, last, k):
                t = tag_of(node)
                if t.kind == "unbroadcast":
                    unbroadcasts.append(node)
                elif t.kind == "tape_walk":
                    found.append((k, top, node, t.facts["tape"]))
                elif t.kind == "tape_append":
                    appends.setdefault(t.facts["tape"], []).append(node)
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
    if len(fdefs) == 2:  # a pair: the forward's residuals are what the backward unpacks
        _save_for_backward_in_pair(*fdefs, names)
        _shapes_in_residuals(*fdefs, names)
    else:
        for fdef in fdefs:
            _save_for_backward(fdef, names)
            _shapes_in_function(fdef, names)
    _fuse_matmul_gradients(unbroadcasts)
    for fdef in fdefs:
        seed_without_value(fdef)
        fdef.body = _free_dead(fdef.body, {a.id for a in fdef.args.args})
        inplace(fdef, names)


def _tagged(top, last, k):
    """The tagged nodes of statement ``top`` in ``walk``'s order; each name it reads is
    recorded in ``last`` as read by statement ``k`` (one pass, no step per node)."""
    todo = deque((top,))
    pop, push = todo.popleft, todo.append
    ast_type, list_type, name_type, load_type = gast.AST, list, gast.Name, gast.Load
    while todo:
        node = pop()
        cls = node.__class__
        if cls is name_type:
            if node.ctx.__class__ is load_type:
                last[node.id] = k
            continue
        if getattr(node, ATTR, None) is not None:
            yield node
        for f in cls._fields:
            v = getattr(node, f, None)
            if v.__class__ is list_type:
                for item in v:
                    if isinstance(item, ast_type):
                        push(item)
            elif isinstance(v, ast_type):
                push(v)


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


def _shape_reads(node, candidates) -> tuple:
    """``(reads, count)`` for statement ``node``, in one walk (a stack: the order of the
    reads does not matter to the caller): ``reads`` holds ``(call, form, like)`` for each
    call that reads a name of ``candidates`` only for its shape (``unbroadcast(E, v)``, form
    None, and the ``shape_use`` calls); ``count`` the number of times each name of
    ``candidates`` is read."""
    reads, count = [], {}
    stack = [node]
    pop, push = stack.pop, stack.append
    name_type, load_type, ast_type, list_type = gast.Name, gast.Load, gast.AST, list
    fields_of = _FIELDS
    while stack:
        n = pop()
        cls = n.__class__
        if cls is name_type:
            if n.ctx.__class__ is load_type and n.id in candidates:
                count[n.id] = count.get(n.id, 0) + 1
            continue
        t = getattr(n, ATTR, None)
        if t is not None:
            facts = t.facts
            if t.kind == "unbroadcast":
                if facts["like"] is not None and facts["matmul"] is None \
                        and facts["like"] in candidates:
                    reads.append((n, None, facts["like"]))  # (a matmul's stays one call)
            elif t.kind == "shape_use" and facts["like"] in candidates:
                reads.append((n, facts["form"], facts["like"]))
        fields = fields_of.get(cls)
        if fields is None:
            fields = fields_of[cls] = child_fields(cls)
        for f in fields:
            v = getattr(n, f, None)
            if v.__class__ is list_type:
                for item in v:
                    if isinstance(item, ast_type):
                        push(item)
            elif isinstance(v, ast_type):
                push(v)
    return reads, count


def _shapes_in_function(fdef, names) -> None:
    """In one function (forward and backward together): a value assigned once at the top
    level whose later reads, after some statement, are all for its shape is replaced by
    ``shape_of(v)`` right after that statement (and freed there, by ``_free_dead``), instead
    of staying alive into the backward for its shape."""
    body = fdef.body
    once = _store_counts(fdef)
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
        return
    full_after, shaped = {}, {}  # v -> the last statement reading it whole; its shape reads
    for j, stmt in enumerate(body):
        reads, count = _shape_reads(stmt, candidates)
        for v, k in count.items():
            mine = [r for r in reads if r[2] == v]
            if len(mine) == k:
                shaped.setdefault(v, []).append((j, mine))
            else:
                full_after[v] = j
    inserts = {}
    for v, at in candidates.items():
        last = max(full_after.get(v, at), at)
        later = [m for j, ms in shaped.get(v, []) if j > last for m in ms]
        if not later or last + 1 >= min(j for j, _ in shaped[v] if j > last):
            continue  # (no statement between: nothing would be freed sooner)
        shape = names.fresh(v.lstrip("_") + "_shape")
        inserts.setdefault(last, []).append(gast.Assign(
            targets=[name(shape, store=True)],
            value=_shape_record(v, [form for _, form, _ in later]), type_comment=None))
        for call, form, _ in later:
            _read_shape(call, form, shape)
    if inserts:
        out = []
        for j, stmt in enumerate(body):
            out.append(stmt)
            out.extend(inserts.get(j, ()))
        fdef.body = out


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

def _kernel_call(stmt, kind):
    """``t = f(n1, n2, ...)`` (one target, arguments all names, the call tagged ``kind``: a
    ``kernel_forward`` or ``kernel_gradient``) -> ``(t, primitive, [n1, n2, ...])``."""
    if isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 \
            and isinstance(stmt.targets[0], gast.Name) and isinstance(stmt.value, gast.Call):
        facts = facts_of(stmt.value, kind)
        if facts is not None and not stmt.value.keywords \
                and all(isinstance(a, gast.Name) for a in stmt.value.args):
            return stmt.targets[0].id, facts["prim"], [a.id for a in stmt.value.args]
    return None


def _store_counts(fdef) -> dict:
    """How many times each name is bound in ``fdef`` (a parameter once more): the ``Store``
    names a walk finds, counted in one pass without a generator step per node."""
    counts = {a.id: 1 for a in fdef.args.args}
    stack = [fdef]
    pop, push = stack.pop, stack.append
    name_type, store_type, ast_type, list_type = gast.Name, gast.Store, gast.AST, list
    fields_of = _FIELDS
    while stack:
        node = pop()
        cls = node.__class__
        if cls is name_type:
            if node.ctx.__class__ is store_type:
                counts[node.id] = counts.get(node.id, 0) + 1
            if node.annotation is not None:
                push(node.annotation)
            continue
        fields = fields_of.get(cls)
        if fields is None:
            fields = fields_of[cls] = child_fields(cls)
        for f in fields:
            v = getattr(node, f, None)
            if v.__class__ is list_type:
                for item in v:
                    if isinstance(item, ast_type):
                        push(item)
            elif isinstance(v, ast_type):
                push(v)
    return counts


_FIELDS: dict = {}  # node class -> its fields that may hold nodes (trees.child_fields)


def _saving_sites(fdef):
    """The top-level ``t = p(args)`` of a primitive with a saving kernel pair, whose target
    and arguments are each bound once in ``fdef`` (so a later use names the same value):
    ``[(position, statement, t, p, args)]``.  Most functions have none: one look at the
    top-level statements, and the whole function is walked only when there is one."""
    calls = [(i, stmt, _kernel_call(stmt, "kernel_forward"))
             for i, stmt in enumerate(fdef.body) if isinstance(stmt, gast.Assign)]
    calls = [(i, stmt, c) for i, stmt, c in calls if c is not None]
    if not calls:
        return []
    once = _store_counts(fdef)
    return [(i, stmt, t, p, args) for i, stmt, (t, p, args) in calls
            if once.get(t) == 1 and all(once.get(a) == 1 for a in args)]


def _gradient_sites(fdef, prim):
    """The top-level ``g = p_grad(args..., d)`` of ``fdef`` for primitive ``prim``:
    ``[(position, statement, args)]``."""
    out = []
    for i, stmt in enumerate(fdef.body):
        call = _kernel_call(stmt, "kernel_gradient") if isinstance(stmt, gast.Assign) else None
        if call is not None and call[1] == prim:
            out.append((i, stmt, call[2]))
    return out


def _rewrite_saving(fwd_stmt, t, prim, saved, grad_stmt, grad_args) -> None:
    _, fwd, bwd = LOWERED_KERNELS[prim]
    fwd_stmt.targets = [gast.Tuple(elts=[name(t, store=True), name(saved, store=True)],
                                   ctx=gast.Store())]
    fwd_stmt.value.func = name(fwd.__name__)
    grad_stmt.value.func = name(bwd.__name__)
    grad_stmt.value.args = [name(saved)] + [name(a) for a in grad_args[-1:]]
    untag(fwd_stmt.value)  # the saving pair's calls now, no longer the primitives'
    untag(grad_stmt.value)


def _save_for_backward(fdef, names) -> None:
    """In one function (a gradient function: forward and backward together)."""
    sites = _saving_sites(fdef)
    if not sites:
        return
    once = _store_counts(fdef)
    for at, stmt, t, prim, args in sites:
        grads = [(i, g, a) for i, g, a in _gradient_sites(fdef, prim) if a[:-1] == args]
        if len(grads) == 1 and grads[0][0] > at and once.get(grads[0][2][-1]) == 1:
            _rewrite_saving(stmt, t, prim, names.fresh(t.lstrip("_") + "_saved"),
                            grads[0][1], grads[0][2])


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
    once = _store_counts(bwd)
    changed = False
    for _, stmt, t, prim, args in sites:
        grads = [(g, a) for _, g, a in _gradient_sites(bwd, prim)
                 if all(once.get(x) == 1 for x in a)
                 and [fwd_name.get(x) for x in a[:-1]] == args]
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

def _fuse_matmul_gradients(calls) -> None:
    """``unbroadcast(matmul_nt(a, b), x)`` -> ``matmul_nt_to(a, b, x)``, and
    ``unbroadcast(matmul_tn(a, b, like=y), y)`` -> ``matmul_tn_to(a, b, y)``: one call.
    ``calls``: the ``unbroadcast`` calls of the functions, found before the other steps (a
    step since may have rewritten one and removed its tag)."""
    for node in calls:
        facts = facts_of(node, "unbroadcast")
        if facts is None or facts["matmul"] is None:
            continue
        helper = "matmul_nt_to" if facts["matmul"] == "nt" else "matmul_tn_to"
        node.func, node.args = name(helper), list(node.args[0].args) + [name(facts["like"])]
        untag(node)


# ---------------------------------------------------------------------------------------
# dead values
# ---------------------------------------------------------------------------------------

def _free_dead(body, params):
    """``del`` each top-level value after the statement that reads it last.  Only values the
    function computed are freed: not its arguments, not names unpacked from an argument (the
    argument keeps them alive), not a value another name copies (the copy keeps it)."""
    loads, stores = [], []  # per statement, from one walk of it
    for stmt in body:
        ld, st = set(), set()
        load_store_names(stmt, ld, st)
        loads.append(ld)
        stores.append(st)
    last_load = {}
    for i, ld in enumerate(loads):
        for n in ld:
            last_load[n] = i
    computed, copied, nested = set(), set(), set()
    for stmt, st in zip(body, stores):
        if not isinstance(stmt, gast.Assign):
            nested |= st
        elif isinstance(stmt.value, gast.Name):
            copied.add(stmt.value.id)
    out = []
    for i, stmt in enumerate(body):
        out.append(stmt)
        if isinstance(stmt, gast.Assign) and not isinstance(stmt.value, gast.Name):
            computed |= stores[i]
        if isinstance(stmt, gast.Return) or is_comment(stmt):
            continue
        dead = sorted(v for v in loads[i]
                      if last_load.get(v) == i and v in computed and v not in nested
                      and v not in copied and v not in params)
        if dead:
            out.append(gast.Delete(targets=[gast.Name(id=v, ctx=gast.Del(), annotation=None,
                                                      type_comment=None) for v in dead]))
    return out
