"""Lower loops, the hoisting half: loop-invariant work moved before its loop, and the names
left holding views of a rows array released after it (see :mod:`.lower_loops`, which calls
these, for what the loop step does as a whole), with the small tree helpers both use."""
from __future__ import annotations

import gast

from ..runtime import RUNTIME_NAMES
from .anno import facts_of, untag
from .codegen import clone, is_comment, name

# the calls a backward statement moved out of its loop may make: numpy's functions
# (``np.<name>``) and the runtime's helpers that write into no argument
_PURE_HELPERS = frozenset(RUNTIME_NAMES) - {"accumulate", "accumulate_to", "accumulate_tn",
                                             "GradList"}


_AST = gast.AST
_NAME = gast.Name
_LOAD = gast.Load


def _names(nodes) -> list:
    """The Name nodes under ``nodes`` (a node or a list of them): one walk that looks only
    at fields holding nodes (``gast.walk`` is a few times slower; this runs on every
    statement of a function with a loop)."""
    out = []
    stack = list(nodes) if isinstance(nodes, list) else [nodes]
    while stack:
        n = stack.pop()
        if n.__class__ is _NAME:
            out.append(n)
            continue
        for f in n._fields:
            v = getattr(n, f, None)
            if v.__class__ is list:
                stack.extend(x for x in v if isinstance(x, _AST))
            elif isinstance(v, _AST):
                stack.append(v)
    return out


def _stored(body) -> set:
    return {n.id for n in _names(list(body)) if n.ctx.__class__ is not _LOAD}


def _read(node) -> set:
    return {n.id for n in _names(node) if n.ctx.__class__ is _LOAD}


def _call(fn, *args):
    return gast.Call(func=name(fn), args=list(args), keywords=[])


def _const(v):
    return gast.Constant(value=v, kind=None)


def _assign(target, value):
    tgt = name(target, store=True) if isinstance(target, str) else target
    return gast.Assign(targets=[tgt], value=value, type_comment=None)


def _nones(vars_):
    return gast.Assign(targets=[name(v, store=True) for v in vars_], value=_const(None),
                       type_comment=None)


def _delete(vars_):
    return gast.Delete(targets=[gast.Name(id=v, ctx=gast.Del(), annotation=None,
                                          type_comment=None) for v in vars_])



# ---------------------------------------------------------------------------------------
# invariant work
# ---------------------------------------------------------------------------------------

def _hoistable_range(loop):
    it = loop.iter
    if isinstance(it, gast.Call) and isinstance(it.func, gast.Name) and it.func.id == "range" \
            and len(it.args) == 1 and not it.keywords and isinstance(loop.target, gast.Name) \
            and isinstance(it.args[0], (gast.Name, gast.Constant)):
        return it.args[0]
    return None


def _may_write(body, appended) -> bool:
    """Whether ``body`` (a forward loop's) may change a value in place: a statement run for
    its effect (``print(x)``, ``lst.append(x)``: a call with side effects, or an expression
    statement that is no comment and no tape append) or a store into an item or an
    attribute (``x[0] = v``).  Nothing is hoisted out of such a loop."""
    for stmt in body:
        for nd in gast.walk(stmt):
            if isinstance(nd, gast.Expr) and not is_comment(nd) and id(nd) not in appended:
                return True
            opaque = facts_of(nd, "forward_opaque")
            if opaque is not None and opaque["effect"]:
                return True
            if isinstance(nd, (gast.Subscript, gast.Attribute)) \
                    and isinstance(nd.ctx, gast.Store):
                return True
    return False


def _hoist_rows(loop, parent, names, appended) -> list:
    """``x_t = xs[t]; m = np.matmul(x_t, w)`` in a loop over ``range(n)`` ->
    ``m_rows = matmul_rows(xs, n, w)`` before it and ``m = m_rows[t]`` in it; likewise
    ``m = linear(x_t, w, b)`` (nn.Dense's product) -> ``linear_rows(xs, n, w, b)``."""
    t = loop.target.id
    stored = _stored(loop.body)
    if t in stored or _may_write(loop.body, appended):
        return []
    # names read by anything but a primitive's (pure) forward statement may be changed
    # in place by it: those are not hoisted over
    touched = set()
    for s in loop.body:
        if facts_of(s, "forward_prim") is None and id(s) not in appended:
            touched |= _read(s)
    rows_of = {}  # x_t -> xs
    hoisted = []
    for s in loop.body:
        prim = facts_of(s, "forward_prim")
        if prim is None or len(s.targets) != 1 or not isinstance(s.targets[0], gast.Name):
            continue
        v = s.value
        if prim["prim"] == "getitem" and isinstance(v, gast.Subscript) \
                and isinstance(v.value, gast.Name) and isinstance(v.slice, gast.Name) \
                and v.slice.id == t and v.value.id not in stored | touched:
            rows_of[s.targets[0].id] = v.value.id
        elif prim["prim"] == "matmul" and isinstance(v, gast.Call) and len(v.args) == 2 \
                and not v.keywords and all(isinstance(a, gast.Name) for a in v.args) \
                and v.args[0].id in rows_of and v.args[1].id not in stored | touched:
            rows = names.fresh(s.targets[0].id.lstrip("_") + "_rows")
            hoisted.append(_assign(rows, _call("matmul_rows", name(rows_of[v.args[0].id]),
                                               clone(loop.iter.args[0]),
                                               name(v.args[1].id))))
            s.value = gast.Subscript(value=name(rows), slice=name(t), ctx=gast.Load())
            untag(s)
        elif prim["prim"] == "linear" and isinstance(v, gast.Call) and len(v.args) == 3 \
                and not v.keywords and isinstance(v.args[0], gast.Name) \
                and v.args[0].id in rows_of and isinstance(v.args[1], gast.Name) \
                and v.args[1].id not in stored | touched \
                and ((isinstance(v.args[2], gast.Constant) and v.args[2].value is None)
                     or (isinstance(v.args[2], gast.Name)
                         and v.args[2].id not in stored | touched)):
            rows = names.fresh(s.targets[0].id.lstrip("_") + "_rows")
            hoisted.append(_assign(rows, _call("linear_rows", name(rows_of[v.args[0].id]),
                                               clone(loop.iter.args[0]), clone(v.args[1]),
                                               clone(v.args[2]))))
            s.value = gast.Subscript(value=name(rows), slice=name(t), ctx=gast.Load())
            untag(s)
    if hoisted:
        body, _ = parent[id(loop)]
        at = next(i for i, s in enumerate(body) if s is loop)
        body[at:at] = hoisted
    return [s.targets[0].id for s in loop.body if isinstance(s, gast.Assign)
            and isinstance(s.value, gast.Subscript) and isinstance(s.value.value, gast.Name)
            and s.value.value.id in {h.targets[0].id for h in hoisted}]


def _release_views(fdef, views, rebinding) -> None:
    """After a top-level loop, names it left holding views of a rows array are set to None
    when nothing later reads them (a backward loop that rebinds them first excepted): the
    rows array is then freed when its name is, and its memory reused by the next one."""
    top = {id(s): i for i, s in enumerate(fdef.body)}
    found = [(top[id(loop)], bound) for loop, bound in views if id(loop) in top and bound]
    if not found:
        return
    # the names read after each top-level statement (a rebinding backward loop's excepted)
    # (copied only where a loop ends: a copy per statement is quadratic in a long function)
    later, after, wanted = set(), {}, {at for at, _ in found}
    for i in range(len(fdef.body) - 1, -1, -1):
        if i in wanted:
            after[i] = set(later)
        later |= _read(fdef.body[i]) - rebinding.get(id(fdef.body[i]), set())
    for at, bound in sorted(found, reverse=True):  # (inserting from the end keeps positions)
        dead = [v for v in dict.fromkeys(bound) if v not in after[at]]
        if dead:
            fdef.body.insert(at + 1, _nones(dead))


def _hoist_invariants(loop, parent) -> None:
    """Move a backward loop's statements that read only what the loop does not change (and
    call nothing that writes into its arguments) to before the loop."""
    stored = _stored(loop.body) | {n.id for n in _names(loop.target)}
    counts: dict = {}
    for s in loop.body:
        for n in _names(s):
            if n.ctx.__class__ is gast.Store:
                counts[n.id] = counts.get(n.id, 0) + 1
    moved, seen_reads = [], set()
    keep = []
    for s in loop.body:
        if isinstance(s, gast.Assign) and len(s.targets) == 1 \
                and isinstance(s.targets[0], gast.Name) and counts.get(s.targets[0].id) == 1 \
                and s.targets[0].id not in seen_reads:
            reads = _read(s.value)
            calls = [c.func for c in gast.walk(s.value) if isinstance(c, gast.Call)]
            pure = all((isinstance(f, gast.Name) and f.id in _PURE_HELPERS)
                       or (isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name)
                           and f.value.id == "np") for f in calls)
            if reads and not reads & stored and pure \
                    and not isinstance(s.value, (gast.Name, gast.Constant)):
                moved.append(s)
                continue
        seen_reads |= _read(s)
        keep.append(s)
    if moved:
        loop.body[:] = keep or [gast.Pass()]
        body, _ = parent[id(loop)]
        at = next(i for i, s in enumerate(body) if s is loop)
        body[at:at] = moved


# primitives whose forward statement depends only on its arguments (no randomness, no
# state): one that reads only values a loop does not change may run once before the loop
_PURE = frozenset(("neg", "exp", "log", "sin", "cos", "tanh", "sigmoid", "relu", "sqrt",
                   "square", "abs", "sign", "copy", "cast_like", "astype", "add", "sub", "mul",
                   "div", "pow", "maximum", "minimum", "matmul", "transpose", "reshape",
                   "swapaxes", "getitem", "sum", "mean", "expand_dims", "squeeze"))


def _hoist_forward(loop, parent, appended) -> None:
    """Move a forward loop's primitive statements (of ``_PURE``) that read only values the
    loop does not change to before the loop: ``w_t = np.transpose(w)`` runs once.  Names
    that the loop's other statements read (a call, a user's statement with effects) may be
    changed by them, and are not hoisted over; the tape then keeps the hoisted value once."""
    if _may_write(loop.body, appended):
        return
    stored = _stored(loop.body) | _stored([loop])  # (the loop's own target too)
    touched, counts = set(), {}
    for s in loop.body:
        if facts_of(s, "forward_prim") is None and id(s) not in appended:
            touched |= _read(s)
        for nd in _names(s):
            if nd.ctx.__class__ is gast.Store:
                counts[nd.id] = counts.get(nd.id, 0) + 1
    moved, keep, seen = [], [], set()
    for s in loop.body:
        facts = facts_of(s, "forward_prim")
        if facts is not None and facts["prim"] in _PURE and len(s.targets) == 1 \
                and isinstance(s.targets[0], gast.Name) and counts.get(s.targets[0].id) == 1 \
                and s.targets[0].id not in seen | touched:
            reads = _read(s.value)
            if not reads & (stored | touched):
                moved.append(s)
                stored.discard(s.targets[0].id)
                continue
        seen |= _read(s)
        keep.append(s)
    if moved:
        loop.body[:] = keep or [gast.Pass()]
        body, _ = parent[id(loop)]
        at = next(i for i, s in enumerate(body) if s is loop)
        body[at:at] = moved
        for s in moved:
            parent[id(s)] = (body, parent[id(loop)][1])
