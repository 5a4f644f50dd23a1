"""Lower loops: batching a loop's tape, its weight gradients and its invariant work.

A step of the final lowering (:mod:`autograd_st.compiler.lower` calls :func:`batch_loops`
after its accumulation step), so it sees only code that will not be differentiated again.
Like the rest of the lowering it finds what it rewrites by the tags its emitters put on it
(:mod:`autograd_st.compiler.anno`): ``tape_init``, ``tape_append`` and ``tape_walk`` (one of
each per tape), ``accumulated`` (the accumulation step's in-place sums), ``ungetitem`` and
``forward_prim``.  The helpers it calls are in :mod:`autograd_st.runtime_loops`; the hoisting
and the release of views are in :mod:`.lower_hoist`.

Takes: the functions of one generated module (``[grad]``, or ``[fwd, bwd]`` where the tape is
a residual) and their name allocator.  Gives the same functions, in place:

- **A stacked tape.**  A ``for`` loop over ``range(...)`` with no ``break``, ``continue`` or
  ``return`` left in it has its trip count when it starts, ``n = len(range(...))``: each value
  it tapes goes into row ``k`` of one ``(n,) + shape`` array (``tape_put``; made at the first
  iteration from that value's shape and dtype), and the backward loop reads row ``k``
  (``for _k in range(n - 1, -1, -1): h = h_rows[_k]``).  A value that is not an array, or
  whose shape or dtype changes between iterations, makes its tape a list at run time (the same
  reads).  ``while`` loops (trip count unknown) keep today's list of tuples.  A value the loop
  carries and its next value share one array of ``n + 1`` rows (``tape_put_next``); ``xs[t]``
  is read back from ``xs`` itself; the loop's own index is the row; a value hoisted before
  the loop is kept once; the shapes of a step go on one list, one tuple per step.
- **Deferred weight gradients.**  In a stacked tape's backward loop, a weight's gradient
  accumulated per iteration, ``d_w = accumulate_tn(d_w, x, g, w)`` (``x.T @ g``), writes only
  its per-iteration operands into ``(n, ...)`` arrays (operands already on the tape are read
  from it); after the loop one product over all rows (``accumulate_tn_rows``:
  ``X.reshape(-1, i).T @ G.reshape(-1, j)``) adds them.  A bias's, ``d_b = accumulate_to(d_b,
  g, b)``, is summed after the loop too (``accumulate_to_rows``) when ``g`` is the array a
  product's rows hold already (``sum_to`` handed it on: ``tape_put_as`` shares the rows while
  it is the same object); any other element-wise accumulation stays in the loop, in place
  (its rows would cost a weight-sized array per step).  Where that gradient comes from rows
  already kept through ``sum_to`` by shapes on the tape, its rows are not put per step but
  made after the loop (``sum_to_rows``: the very rows when every step's shapes agree), the
  ``sum_to`` statements nothing else reads are dropped, and two ``sum_to`` in a row of one
  gradient are one ``sum_to_each`` call.
- **The scattered read-back.**  ``d_x = accumulate(d_x, ungetitem(g, x, t))`` (the gradient
  of ``x[t]`` in a loop: a zero array the size of ``x`` per iteration) adds ``g`` into the
  accumulator's row instead: ``d_x = accumulate_at(d_x, t, g, x)``.
- **Invariant work hoisted.**  A forward loop over ``range(n)`` that reads ``x_t = xs[t]`` and
  ``m = np.matmul(x_t, w)`` (``xs``, ``w`` unchanged in the loop) computes every row before the
  loop, ``m_rows = matmul_rows(xs, n, w)``, and reads ``m = m_rows[t]``.  A pure primitive
  (``_PURE``) that reads only values the loop does not change runs once before it (a
  weight's transpose); so does a backward loop's statement that reads only such values and
  calls only numpy or a runtime helper that writes nothing.  (A loop that runs zero times
  still computes them once.)
- **Tape-only arithmetic batched.**  In a stacked backward loop, arithmetic of taped rows and
  invariants only (``1 - h * h``) runs once over all rows before the loop, and the step's
  gradient made from it is written into those rows (:mod:`.lower_rows`).
- **Views released.**  After a top-level loop, the names it left holding views of a rows
  array (``m = m_rows[t]``, ``h = h_rows[_k]``) are set to None when nothing later reads
  them, so that freeing the rows array's name frees it and the allocator hands its memory to
  the next rows array (a fresh one is page-faulted in).
"""
from __future__ import annotations

import gast

from .anno import facts_of, tag_of, untag
from .codegen import clone, name
from .lower_hoist import (
    _LOAD,
    _assign,
    _call,
    _const,
    _delete,
    _hoist_forward,
    _hoist_invariants,
    _hoist_rows,
    _hoistable_range,
    _names,
    _nones,
    _read,
    _release_views,
    _stored,
)
from .lower_rows import batch_row_exprs
from .lower_step import fast_forward

__all__ = ["batch_loops", "ENABLED"]

ENABLED = [True]
"""``ENABLED[0] = False`` leaves loops as the rest of the lowering makes them (tests and the
benchmark compare both; clear the compiler's caches after changing it)."""

def batch_loops(fdefs: list, names) -> None:
    """Rewrite the loops of ``fdefs`` in place (see the module docstring)."""
    if not ENABLED[0]:
        return
    parent = {}  # id(stmt) -> (the list holding it, the statement owning the list)
    tagged = {}  # kind -> [stmt]
    for fdef in fdefs:
        _index(fdef.body, fdef, parent, tagged)
    if tagged.get("checkpoint_segments"):
        # a checkpointed loop (Cell.recompute()) keeps a short tape per segment, made again
        # for each: stacked rows (and the pool) would keep what checkpointing frees
        return
    inits = {facts_of(s, "tape_init")["tape"]: s for s in tagged.get("tape_init", ())}
    appends, walks = {}, {}
    for s in tagged.get("tape_append", ()):
        appends.setdefault(facts_of(s, "tape_append")["tape"], []).append(s)
    for s in tagged.get("tape_walk", ()):
        walks.setdefault(facts_of(s, "tape_walk")["tape"], []).append(s)
    for stmt in tagged.get("accumulated", ()):
        _scatter_in_place(stmt)
    appended = {id(a) for group in appends.values() for a in group}
    views = []  # (loop, names it binds to views of a rows array)
    for fdef in fdefs:
        for loop in list(_loops(fdef.body)):
            if facts_of(loop, "tape_walk") is None:
                _hoist_forward(loop, parent, appended)
                if _hoistable_range(loop) is not None:
                    views.append((loop, _hoist_rows(loop, parent, names, appended)))
    walked = []
    wrapped = {}  # id(forward loop) -> the statement holding it and its fast copy
    for tape, init in inits.items():
        if len(appends.get(tape, ())) == 1 and len(walks.get(tape, ())) == 1:
            found = _stack(tape, init, appends[tape][0], walks[tape][0], parent, names,
                           wrapped)
            if found is not None:
                walked.append(found)
    # a row read that nothing reads (its value went into a sum after the loop) is dropped:
    # one look at the names each function reads, once every loop is rewritten
    loaded = {id(f): _read(f) for f in fdefs} if walked else {}
    used = {id(f): _use_counts(f) for f in fdefs} if walked else {}  # (kept up to date)
    rebinding = {}
    for loop, arrays, reads in walked:
        fdef = loop
        while not isinstance(fdef, gast.FunctionDef):
            fdef = parent[id(fdef)][1]
        unread = {id(r) for r in reads if not _stored([r]) & loaded[id(fdef)]}
        loop.body[:] = [s for s in loop.body if id(s) not in unread] or [gast.Pass()]
        while _drop_handed_on(loop, used[id(fdef)]):  # (their rows are made after it)
            pass
        _sum_to_each(loop, used[id(fdef)])
        rebinding[id(loop)] = _stored([r for r in reads if id(r) not in unread])
        _hoist_invariants(loop, parent)
        batch_row_exprs(loop, parent, names, fdef)
        views.append((loop, [a for a in arrays if a in rebinding[id(loop)]]))
    views = [(wrapped.get(id(loop), loop), bound) for loop, bound in views]
    for fdef in fdefs:
        _release_views(fdef, views, rebinding)


def _use_counts(fdef) -> dict:
    """How many times ``fdef`` reads or deletes each name."""
    counts: dict = {}
    for nd in _names(fdef):
        if nd.ctx.__class__ is not gast.Store:
            counts[nd.id] = counts.get(nd.id, 0) + 1
    return counts


def _drop_handed_on(loop, used) -> bool:
    """Drop the statements ``x = sum_to(y, s)`` and ``x = y`` of ``loop``'s body whose ``x``
    nothing reads or deletes (a gradient whose rows ``sum_to_rows`` makes after the loop),
    taking their reads off ``used`` (:func:`_use_counts`); whether any was dropped."""
    keep = []
    for s in loop.body:
        if isinstance(s, gast.Assign) and len(s.targets) == 1 \
                and isinstance(s.targets[0], gast.Name) and not used.get(s.targets[0].id) \
                and (isinstance(s.value, gast.Name)
                     or (isinstance(s.value, gast.Call) and isinstance(s.value.func, gast.Name)
                         and s.value.func.id == "sum_to" and not tag_of(s.value)
                         and all(isinstance(a, gast.Name) for a in s.value.args))):
            for nd in _names(s.value):
                used[nd.id] -= 1
            continue
        keep.append(s)
    if len(keep) == len(loop.body):
        return False
    loop.body[:] = keep or [gast.Pass()]
    return True


def _sum_to_each(loop, used) -> bool:
    """``y = sum_to(z, s); x = sum_to(y, r)`` in ``loop``'s body, ``y`` read nowhere else and
    ``z``, ``s`` not rebound between them: ``x = sum_to_each(z, s, r)`` (one call a step);
    whether any was rewritten."""
    def two_args(st):
        v = getattr(st, "value", None)
        return isinstance(st, gast.Assign) and len(st.targets) == 1 \
            and isinstance(st.targets[0], gast.Name) and isinstance(v, gast.Call) \
            and isinstance(v.func, gast.Name) and v.func.id == "sum_to" and not tag_of(v) \
            and len(v.args) == 2 and not v.keywords \
            and all(isinstance(a, gast.Name) for a in v.args)
    body = loop.body
    sums = [i for i, st in enumerate(body) if two_args(st)]
    if len(sums) < 2:
        return False
    stores = [_stored([st]) for st in body]
    bound: dict = {}
    for st in stores:
        for v in st:
            bound[v] = bound.get(v, 0) + 1
    dropped = set()
    for i in sums:
        if not two_args(body[i]):  # (rewritten as the second of a pair)
            continue
        y = body[i].targets[0].id
        if used.get(y) != 1 or bound.get(y) != 1:  # (read, or deleted, only by x's)
            continue
        z, s = (a.id for a in body[i].value.args)
        for j in range(i + 1, len(body)):
            if z in stores[j] or s in stores[j]:
                break
            if two_args(body[j]) and body[j].value.args[0].id == y:
                body[j].value = _call("sum_to_each", name(z), name(s), body[j].value.args[1])
                used[y] -= 1
                dropped.add(i)
                break
    if not dropped:
        return False
    loop.body[:] = [st for i, st in enumerate(body) if i not in dropped]
    return True


def _index(body, owner, parent, tagged) -> None:
    for stmt in body:
        parent[id(stmt)] = (body, owner)
        t = tag_of(stmt)
        if t is not None:
            tagged.setdefault(t.kind, []).append(stmt)
        for child in ("body", "orelse"):
            inner = getattr(stmt, child, None)
            if isinstance(inner, list) and not isinstance(stmt, gast.FunctionDef):
                _index(inner, stmt, parent, tagged)


def _loops(body):
    for stmt in body:
        if isinstance(stmt, gast.For):
            yield stmt
        for child in ("body", "orelse"):
            inner = getattr(stmt, child, None)
            if isinstance(inner, list):
                yield from _loops(inner)


def _exits(body) -> bool:
    """Whether ``body`` (a loop's) leaves an iteration early: a ``break`` or ``continue`` of
    its own (not of a nested loop), or a ``return``."""
    for stmt in body:
        if isinstance(stmt, (gast.Break, gast.Continue, gast.Return)):
            return True
        if isinstance(stmt, (gast.For, gast.While)):
            if any(isinstance(n, gast.Return) for s in stmt.body for n in gast.walk(s)):
                return True
            continue
        for child in ("body", "orelse"):
            inner = getattr(stmt, child, None)
            if isinstance(inner, list) and _exits(inner):
                return True
    return False


def _elts(node):
    return list(node.elts) if isinstance(node, gast.Tuple) else [node]


# ---------------------------------------------------------------------------------------
# the stacked tape
# ---------------------------------------------------------------------------------------

def _stack(tape, init, append, walk, parent, names, wrapped):
    """Stack ``tape`` (its ``T = []``, ``T.append(record)`` and backward walk); returns the
    rewritten backward loop and the names it binds to views of rows, or None where the loop
    keeps its list of tuples."""
    body, _ = parent[id(init)]
    at = next(i for i, s in enumerate(body) if s is init)
    loop = parent[id(append)][1]  # (hoisted rows may stand between the init and the loop)
    if not (isinstance(loop, gast.For) and parent[id(append)][0] is loop.body
            and any(s is loop for s in body[at:])
            and isinstance(loop.target, gast.Name) and isinstance(loop.iter, gast.Call)
            and isinstance(loop.iter.func, gast.Name) and loop.iter.func.id == "range"
            and not _exits(loop.body)):
        return None  # a while loop, or one left early: the list of tuples stays
    records, targets = _elts(append.value.args[0]), _elts(walk.target)
    if len(records) != len(targets) or not all(isinstance(t, gast.Name) for t in targets):
        return None
    n = names.fresh(tape + "_n")
    stored = _stored(loop.body)
    if len(loop.iter.args) == 1 and loop.target.id not in stored:
        k = loop.target.id  # range(stop): the loop's own index is the row
    else:
        k = names.fresh("_k")
        loop.target = gast.Tuple(elts=[name(k, store=True), loop.target], ctx=gast.Store())
        loop.iter = _call("enumerate", loop.iter)
    comps = _components(loop, append, records, targets, k, stored)
    _drop_unread_sources(comps, records, loop, append, walk, parent)
    # forward: n at the loop's start, one array (or list) per component
    bufs = {}
    puts, kinds = [], []
    for c in comps:
        if c[0] in ("source", "index", "invariant"):
            continue
        label = targets[c[1]].id if c[0] != "shapes" else "shapes"
        b = bufs[c] = names.fresh(tape + "_" + label.lstrip("_"))  # (carried: the value's)
        if c[0] == "shapes":
            puts.append(gast.Expr(value=gast.Call(
                func=gast.Attribute(value=name(b), attr="append", ctx=gast.Load()),
                args=[gast.Tuple(elts=[records[i] for i in c[1:]], ctx=gast.Load())],
                keywords=[])))
            kinds.append(("shapes", b, [records[i].args[0] for i in c[1:]]))
        elif c[0] == "rows":
            puts.append(_assign(b, _call("tape_put", name(b), name(k), name(n), records[c[1]])))
            kinds.append(("rows", b, [records[c[1]]]))
        else:  # carried: row 0 the value before the loop, row k + 1 the one after step k
            puts.append(_assign(b, _call("tape_put_next", name(b), name(k), name(n),
                                         records[c[1]], records[c[2]])))
            kinds.append(("carried", b, [records[c[1]], records[c[2]]]))
    lists = [b for c, b in bufs.items() if c[0] == "shapes"]
    arrays = [b for c, b in bufs.items() if c[0] != "shapes"]
    body[at:at + 1] = [_assign(n, _call("len", _call("range", *_range_args(loop))))] \
        + [_assign(b, gast.List(elts=[], ctx=gast.Load())) for b in lists] \
        + ([_nones(arrays)] if arrays else [])
    at_append = next(i for i, s in enumerate(loop.body) if s is append)
    loop.body[at_append:at_append + 1] = puts or [gast.Pass()]
    after = next(i for i, s in enumerate(body) if s is loop) + 1
    packed = [name(n)] + [name(c[2]) if c[0] == "source" else
                          name(records[c[1]].id) if c[0] == "invariant" else name(bufs[c])
                          for c in comps if c[0] != "index"]
    body[after:after] = [_assign(tape, gast.Tuple(elts=packed, ctx=gast.Load()))] \
        + ([_delete(arrays)] if arrays else [])  # (the lists: the last step frees them)
    if all(isinstance(v, gast.Name) for _, _, vs in kinds for v in vs):
        fdef = loop
        while not isinstance(fdef, gast.FunctionDef):
            fdef = parent[id(fdef)][1]
        node = fast_forward(loop, parent, names, n, k,
                            [(s, kd, b, [v.id for v in vs]) for s, (kd, b, vs)
                             in zip(puts, kinds)], fdef)
        if node is not None:
            wrapped[id(loop)] = node
    # backward: unpack the rows, walk them backwards
    wbody, _ = parent[id(walk)]
    w_at = next(i for i, s in enumerate(wbody) if s is walk)
    wn = names.fresh(tape + "_n")
    wk = names.fresh("_k")
    rows, reads, row_of, shape_of = [], [], {}, {}
    for c in comps:
        t = targets[c[1]].id
        if c[0] == "shapes":
            r = names.fresh("shapes_rows")
            rows.append(r)
            shape_of.update((targets[i].id, (r, at)) for at, i in enumerate(c[1:]))
            reads.append(_assign(gast.Tuple(elts=[name(targets[i].id, store=True)
                                                  for i in c[1:]], ctx=gast.Store()),
                                 _subscript(r, name(wk))))
            continue
        if c[0] == "index":  # the loop's index was the row
            reads.append(_assign(t, name(wk)))
            continue
        if c[0] == "invariant":  # one value for every step: unpacked as itself
            rows.append(t)
            continue
        r = names.fresh(t.lstrip("_") + "_rows")
        rows.append(r)
        if c[0] == "carried":
            prev, nxt = targets[c[1]].id, targets[c[2]].id
            reads.append(_assign(nxt, _subscript(r, gast.BinOp(left=name(wk), op=gast.Add(),
                                                               right=_const(1)))))
            reads.append(_assign(prev, _subscript(r, name(wk))))
            row_of[prev], row_of[nxt] = (r, 0), (r, 1)
        else:
            reads.append(_assign(t, _subscript(r, name(wk))))
            row_of[t] = (r, 0)
            if _is_shape_record(records[c[1]]):
                shape_of[t] = (r, None)
    unpack = _assign(gast.Tuple(elts=[name(wn, store=True)] + [name(r, store=True) for r in rows],
                                ctx=gast.Store()), name(tape))
    walk.target = name(wk, store=True)
    walk.iter = _call("range", gast.BinOp(left=name(wn), op=gast.Sub(), right=_const(1)),
                      _const(-1), _const(-1))
    untag(walk)
    walk_body = [s for s in walk.body if not isinstance(s, gast.Pass)]
    before, after_loop, dbufs = _defer(walk_body, row_of, wk, wn, names,
                                       {t.id for t in targets}, shape_of)
    walk.body = reads + walk_body or [gast.Pass()]
    # the rows are freed once read (the unpacked tuple and its names would otherwise keep
    # them alive to the end of the function); a value kept once is the lowering's to free
    invariant = {targets[c[1]].id for c in comps if c[0] == "invariant"}
    dead = [r for r in rows if r not in invariant] + dbufs
    tail = after_loop + ([_delete(dead)] if dead else [])
    wbody[w_at:w_at + 1] = [unpack, _delete([tape])] + before + [walk] + tail
    for s in reads + walk_body:
        parent[id(s)] = (walk.body, walk)
    # the names left holding views of the rows (not shapes, not the index)
    shapes = {targets[i].id for i, r in enumerate(records)
              if isinstance(r, gast.Call) and isinstance(r.func, gast.Name)
              and r.func.id == "getattr"}
    arrays = [r.targets[0].id for r in reads if isinstance(r.value, gast.Subscript)
              and isinstance(r.targets[0], gast.Name) and r.targets[0].id not in shapes]
    return walk, arrays, reads


def _is_shape_record(r) -> bool:
    """``getattr(v, "shape", ())``: what the lowering tapes of a value read for its shape."""
    return isinstance(r, gast.Call) and isinstance(r.func, gast.Name) \
        and r.func.id == "getattr" and len(r.args) == 3 \
        and isinstance(r.args[1], gast.Constant) and r.args[1].value == "shape"


def _drop_unread_sources(comps, records, loop, append, walk, parent) -> None:
    """``x_t = xs[t]`` read only by the record, which now keeps ``xs``: no longer run."""
    fdef = loop
    while not isinstance(fdef, gast.FunctionDef):
        fdef = parent[id(fdef)][1]
    if not any(c[0] == "source" for c in comps):
        return
    skip = {id(n) for n in _names([walk, append])}
    loads: dict = {}
    for nd in _names(fdef):
        if nd.ctx.__class__ is _LOAD and id(nd) not in skip:
            loads[nd.id] = loads.get(nd.id, 0) + 1
    for c in comps:
        if c[0] == "source":
            v = records[c[1]].id
            if not loads.get(v):
                loop.body[:] = [s for s in loop.body
                                if not (isinstance(s, gast.Assign) and len(s.targets) == 1
                                        and isinstance(s.targets[0], gast.Name)
                                        and s.targets[0].id == v)]


def _subscript(var, index):
    return gast.Subscript(value=name(var), slice=index, ctx=gast.Load())


def _components(loop, append, records, targets, k, stored):
    """How each record is kept: ``("rows", i)``, one array of rows; ``("carried", i, j)``,
    record i a value the loop carries (``c``, overwritten only by the back-edge copy
    ``c = a`` that ends each iteration) and record j its next value (``a``): one array of
    n + 1 rows; ``("source", i, xs)``, record i is ``xs[t]`` (``t`` the row, ``xs`` unchanged
    by the loop): the tape keeps ``xs`` itself; ``("invariant", i)``, computed before the loop
    (hoisted): kept once; ``("index", i)``, the loop's own index: the row itself."""
    names_ = [r.id if isinstance(r, gast.Name) else None for r in records]
    at = next(i for i, s in enumerate(loop.body) if s is append)
    counts: dict = {}
    for s in loop.body:
        for nd in _names(s):
            if nd.ctx.__class__ is gast.Store:
                counts[nd.id] = counts.get(nd.id, 0) + 1
    backedge = {}
    for s in loop.body[at + 1:]:
        if isinstance(s, gast.Assign) and len(s.targets) == 1 \
                and isinstance(s.targets[0], gast.Name) and isinstance(s.value, gast.Name) \
                and counts.get(s.targets[0].id) == 1:
            backedge[s.targets[0].id] = s.value.id
    touched = set()
    for s in loop.body:
        if facts_of(s, "forward_prim") is None and s is not append:
            touched |= _read(s)
    sources = {}
    for s in loop.body[:at]:
        v = getattr(s, "value", None)
        if facts_of(s, "forward_prim") is not None and facts_of(s, "forward_prim")["prim"] \
                == "getitem" and isinstance(v, gast.Subscript) \
                and isinstance(v.value, gast.Name) and isinstance(v.slice, gast.Name) \
                and v.slice.id == k and k == loop.target.id \
                and v.value.id not in stored | touched \
                and counts.get(s.targets[0].id) == 1:
            sources[s.targets[0].id] = v.value.id
    pair_of = {}
    for i, nm in enumerate(names_):
        if nm in backedge and backedge[nm] in names_ and names_.count(nm) == 1 \
                and names_.count(backedge[nm]) == 1 and backedge[nm] != nm:
            j = names_.index(backedge[nm])
            if i not in pair_of and j not in pair_of:
                pair_of[i] = pair_of[j] = (i, j)
    comps, used = [], set()
    shapes = tuple(i for i, r in enumerate(records) if _is_shape_record(r))
    if len(shapes) > 1:  # shapes (of values read only for them): one tuple per step
        comps.append(("shapes",) + shapes)
        used.update(shapes)
    for i, nm in enumerate(names_):
        if i in used:
            continue
        if i in pair_of:
            comps.append(("carried",) + pair_of[i])
            used.update(pair_of[i])
        elif nm == k == loop.target.id:
            comps.append(("index", i))
            used.add(i)
        elif nm is not None and nm not in stored | _stored([loop]):  # hoisted before it
            comps.append(("invariant", i))
            used.add(i)
        elif nm in sources:
            comps.append(("source", i, sources[nm]))
            used.add(i)
        else:
            comps.append(("rows", i))
            used.add(i)
    return comps


def _range_args(loop):
    it = loop.iter
    if isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and it.func.id == "enumerate":
        it = it.args[0]
    return [clone(a) for a in it.args]


def _defer(body, row_of, k, n, names, unpacked, shape_of=None):
    """The accumulations of ``body`` (a stacked backward loop's) summed after the loop:
    ``(statements before the loop, statements after it, the row arrays made)``.
    ``unpacked``: the names the loop reads from its tape each iteration; ``shape_of``: those
    of them that are taped shapes, each ``name -> (its rows, its place in a step's tuple of
    shapes, or None)``."""
    shape_of = shape_of or {}
    rebound = _stored(body)
    stored = rebound | {k} | (set(unpacked) - set(row_of))
    once = {}  # how many times each name is bound in the body: only a name bound once
    for st in body:  # names one value at every point after it (rows reused, shared)
        for nd in _names(st):
            if nd.ctx.__class__ is gast.Store:
                once[nd.id] = once.get(nd.id, 0) + 1
    made: dict = {}  # a per-iteration value's name -> its rows
    after, dbufs = [], []

    def rows_of(expr, acc):
        if isinstance(expr, gast.Name) and expr.id in row_of and expr.id not in stored:
            return row_of[expr.id], []
        if isinstance(expr, gast.Name) and expr.id in made and once.get(expr.id) == 1:
            return (made[expr.id], 0), []
        label = expr.id if isinstance(expr, gast.Name) else acc
        buf = names.fresh(label.lstrip("_") + "_rows")
        dbufs.append(buf)
        put = _call("tape_put", name(buf), name(k), name(n), expr)
        if isinstance(expr, gast.Name) and once.get(expr.id) == 1 and expr.id in bound:
            made[expr.id] = buf  # (bound once, earlier in the step: one value from here on)
            root, chain, top = handed_on.get(expr.id), [shape_arg.get(expr.id)], None
            while root is not None and root not in made:
                chain.append(shape_arg.get(root))
                top, root = root, handed_on.get(root)
            extra = []
            if root is None and top is not None and once.get(top) == 1 and top in bound \
                    and all(s is None or s in shape_of for s in chain):
                # what sum_to hands on has no rows yet (a product's gradient, nn.Dense's,
                # first): its root gets them, this value's are made from them after the loop
                _, extra = rows_of(name(top), acc)
                root = top
            if root is not None and all(s is None or s in shape_of for s in chain):
                # sum_to of rows the step tapes already, by shapes on the tape: the rows
                # are made after the loop (the very rows while each sum_to hands them on)
                dbufs.remove(buf)  # (bound after the loop: the lowering frees it after use)
                after.append(_assign(buf, _call(
                    "sum_to_rows", name(made[root]), name(n),
                    *[gast.Tuple(elts=[name(shape_of[s][0]), _const(shape_of[s][1])],
                                 ctx=gast.Load()) for s in reversed(chain) if s is not None])))
                return (buf, 0), extra
            if root is not None:  # the same array, most likely: shared rows until it is not
                put = _call("tape_put_as", name(buf), name(k), name(n), expr, name(root),
                            name(made[root]))
        return (buf, 0), [_assign(buf, put)]

    # x = sum_to(y, s) (y itself when the shapes match) and x = y hand y on
    handed_on, shape_arg = {}, {}  # x -> y; x -> s, a taped shape the loop does not rebind
    for stmt in body:
        if isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 \
                and isinstance(stmt.targets[0], gast.Name) and once[stmt.targets[0].id] == 1:
            v = stmt.value
            if isinstance(v, gast.Name) and once.get(v.id, 0) <= 1:
                handed_on[stmt.targets[0].id] = v.id
            elif isinstance(v, gast.Call) and isinstance(v.func, gast.Name) \
                    and v.func.id == "sum_to" and v.args and isinstance(v.args[0], gast.Name) \
                    and once.get(v.args[0].id, 0) <= 1:
                handed_on[stmt.targets[0].id] = v.args[0].id
                if len(v.args) == 2 and not v.keywords and isinstance(v.args[1], gast.Name) \
                        and v.args[1].id in shape_of and v.args[1].id not in rebound:
                    shape_arg[stmt.targets[0].id] = v.args[1].id
                else:
                    shape_arg[stmt.targets[0].id] = ""  # (not a taped shape: rows in the loop)

    def root(v):
        while v in handed_on:
            v = handed_on[v]
        return v

    def per_step(expr):
        return not isinstance(expr, gast.Name) or expr.id in stored or expr.id in row_of

    def tn_site(stmt):
        """``d = accumulate_tn(d, a, g, w)``: w the same every iteration, a and g not."""
        facts = facts_of(stmt, "accumulated")
        if facts is None or facts["helper"] != "accumulate_tn":
            return False
        args = stmt.value.args
        return len(args) == 4 and isinstance(args[3], gast.Name) and args[3].id not in stored \
            and per_step(args[1]) and per_step(args[2]) \
            and not (isinstance(args[2], gast.Name) and row_of.get(args[2].id, (0, 0))[1])

    def dw_site(stmt):
        """``d = accumulate(d, linear_dw(g, x))`` (nn.Dense's weight): g and x per step."""
        facts = facts_of(stmt, "accumulated")
        if facts is None or facts["helper"] != "accumulate" or len(stmt.value.args) != 2:
            return False
        v = stmt.value.args[1]
        return isinstance(v, gast.Call) and isinstance(v.func, gast.Name) \
            and v.func.id == "linear_dw" and len(v.args) == 2 and not v.keywords \
            and per_step(v.args[0]) and per_step(v.args[1]) \
            and not (isinstance(v.args[0], gast.Name) and row_of.get(v.args[0].id, (0, 0))[1])

    # a bias's sum is deferred only with the matrix products over the same array (sum_to
    # hands one gradient on to both): its rows are then shared, no memory of their own
    products = {root(a.id) for st in body if tn_site(st) for a in st.value.args[1:3]
                if isinstance(a, gast.Name)}
    products |= {root(a.id) for st in body if dw_site(st) for a in st.value.args[1].args
                 if isinstance(a, gast.Name)}
    out, bound = [], set()
    for i, stmt in enumerate(body):
        if i and isinstance(body[i - 1], gast.Assign) \
                and all(isinstance(t, gast.Name) for t in body[i - 1].targets):
            bound |= {t.id for t in body[i - 1].targets if isinstance(t, gast.Name)}
        elif i:
            bound |= _stored(body[i - 1:i])
        facts = facts_of(stmt, "accumulated")
        acc = facts["adjoint"] if facts is not None else "_g"
        args = stmt.value.args if facts is not None else ()
        helper = facts["helper"] if facts is not None else None
        if tn_site(stmt):
            a, puts_a = rows_of(args[1], acc)
            g, puts_g = rows_of(args[2], acc)
            out.extend(puts_a + puts_g)
            call = _call("accumulate_tn_rows", name(facts["adjoint"]), name(a[0]),
                         name(g[0]), name(n), name(args[3].id))
            if a[1]:
                call.keywords = [gast.keyword(arg="a_from", value=_const(a[1]))]
            after.append(_assign(facts["adjoint"], call))
            continue
        elif dw_site(stmt):
            g, puts_g = rows_of(args[1].args[0], acc)
            x, puts_x = rows_of(args[1].args[1], acc)
            out.extend(puts_g + puts_x)
            call = _call("accumulate_dw_rows", name(facts["adjoint"]), name(g[0]),
                         name(x[0]), name(n))
            if x[1]:
                call.keywords = [gast.keyword(arg="x_from", value=_const(x[1]))]
            after.append(_assign(facts["adjoint"], call))
            continue
        elif helper == "accumulate_to" and len(args) == 3 and isinstance(args[2], gast.Name) \
                and args[2].id not in stored and isinstance(args[1], gast.Name) \
                and root(args[1].id) in products and per_step(args[1]):
            g, puts_g = rows_of(args[1], acc)
            if g is not None:
                out.extend(puts_g)
                call = _call("accumulate_to_rows", name(facts["adjoint"]), name(g[0]), name(n),
                             name(args[2].id))
                if g[1]:
                    call.keywords = [gast.keyword(arg="g_from", value=_const(g[1]))]
                after.append(_assign(facts["adjoint"], call))
                continue
        out.append(stmt)
    body[:] = out
    return ([_nones(dbufs)] if dbufs else []), after, dbufs


# ---------------------------------------------------------------------------------------
# the scattered read-back
# ---------------------------------------------------------------------------------------

def _scatter_in_place(stmt) -> None:
    """``d = accumulate(d, ungetitem(g, x, i))`` -> ``d = accumulate_at(d, i, g, x)``."""
    facts = facts_of(stmt, "accumulated")
    if facts["helper"] != "accumulate":
        return
    call = stmt.value
    e = call.args[1] if len(call.args) == 2 else None
    if e is None or facts_of(e, "ungetitem") is None or len(e.args) != 3 or e.keywords:
        return
    g, like, index = e.args
    untag(e)
    stmt.value = _call("accumulate_at", call.args[0], index, g, like)
    untag(stmt)
