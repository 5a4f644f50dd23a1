"""Lower step: a stacked forward loop's step written straight into its tape rows.

A step of the loop lowering (:func:`autograd_st.compiler.lower_loops._stack` calls
:func:`fast_forward` on each forward loop whose tape it stacked).

Takes: a forward ``for`` loop whose tape is stacked (``tape_put_next`` for a value the loop
carries, ``tape_put`` for other taped values, one ``shapes.append((...))`` of the shapes the
backward un-broadcasts with), the puts' statements and the names of the tape's buffers.
Gives, in place of the loop::

    _fwd = fwd_rows(n, (h_1,), (rows...), (squares...), (shared...), m)
    if _fwd is not None:
        _row, _tape_h_1 = _fwd
        _fwd = None
        for t in range(n): <the step, written into the tape rows>
        _tape_shapes = [(_row, _row)] * n
    else:
        <the loop as it was>

The copy runs when ``fwd_rows`` (once, at the loop's entry) finds what makes every value of
the step that the copy writes an array of one shape and dtype, the carried value's (the
row: ``R``, float ``D``): the carried values arrays of ``R`` and ``D``, each array the step
indexes by the loop's index and adds elementwise (``m_rows[t]``, a projection hoisted
before the loop) of rows ``R`` and dtype ``D``, each matrix it multiplies a value of ``R``
by (``np.matmul(h, w)``, ``linear(h, w, b)``) ``D`` and square of ``R``'s last axis, and each other value it reads (a bias) a
Python number or an array of ``D`` that broadcasts to ``R``.  Then by induction over the
steps every statement of these forms whose operands are such values gives ``R`` and ``D``
(shape inference over the step: ``+ - * /``, unary ``-``, the numpy ufuncs of
:data:`autograd_st.compiler.inplace.UFUNCS`, ``np.matmul``, ``linear``, a copy), so

- **the tape rows are written in place**: the first array of a chain of such statements
  ending in a taped value is made in that value's row (``np.matmul(h_1, w,
  out=_tape_h_1[t + 1])``) and the carried value read back from the row (a view): no
  ``tape_put_next`` copy;
- **an operand is overwritten** (``np.add(a, m, out=m)``, ``np.tanh(z, out=z)``) when it is
  an array this step made, of ``R`` and ``D``, bound once, read by that statement only (in
  the loop: the shapes it tapes excepted; nowhere after it) and not taped: ``+ b`` after a
  matmul is done in the matmul's result;
- **an invariant operand of the row's elementwise operations is of the row's shape**: one
  read only there (a bias ``b`` of ``(H,)``) is broadcast once before the loop (``b_row =
  as_row(b, _row)``, a contiguous copy) and the step reads ``b_row``: numpy's same-shape
  loop instead of its broadcasting one, the same additions element by element;
- **no shape is taped per step**: every step's shapes are ``R``, or the shape of a value
  made of invariants, the loop's index and numbers only (``b * i``: ``b``'s at every
  step), or an invariant's; the shapes list is made after the loop, one tuple ``n``
  times (those others read from the last step's values).

Anything else (no carried value, a statement of another form in the chain to a taped value,
a step that may write into an array: an item store, a call with effects,
a check failing at run time: a changing shape, broadcasting beyond ``R``, another dtype, a
list tape, no step) runs the loop as it was.  A ufunc or matmul with ``out=`` runs the loop
it runs without: the values are the same bits.
"""
from __future__ import annotations

import gast

from .codegen import clone, is_comment, name
from .inplace import UFUNCS
from .lower_hoist import _assign, _call, _const, _may_write, _names, _read, _stored

__all__ = ["fast_forward", "ENABLED"]

ENABLED = [True]
"""``ENABLED[0] = False`` leaves stacked forward loops as :mod:`.lower_loops` makes them
(tests and the benchmark compare both; clear the compiler's caches after changing it)."""

_BINOPS = {gast.Add: "add", gast.Sub: "subtract", gast.Mult: "multiply", gast.Div: "divide"}
_UNARY = frozenset(("sin", "cos", "tan", "tanh", "sinh", "cosh", "exp", "expm1", "log",
                    "log1p", "sqrt", "negative", "abs", "absolute", "square", "reciprocal",
                    "arctan", "arcsin", "arccos")) & UFUNCS
_BINARY = frozenset(("add", "subtract", "multiply", "divide", "true_divide", "maximum",
                     "minimum")) & UFUNCS


def _np_call(v):
    """``np.<f>(args)`` (positional arguments only): f, else None."""
    if isinstance(v, gast.Call) and isinstance(v.func, gast.Attribute) \
            and isinstance(v.func.value, gast.Name) and v.func.value.id == "np" \
            and not v.keywords and not any(isinstance(a, gast.Starred) for a in v.args):
        return v.func.attr
    return None


def _number(node) -> bool:
    return isinstance(node, gast.Constant) and node.value.__class__ in (int, float)


def fast_forward(loop, parent, names, n, k, puts, fdef):
    """Give ``loop`` (a stacked forward loop) its fast copy (see the module docstring).
    ``puts``: ``(statement, kind, buffer, names)`` for each tape put in its body, kind
    ``"carried"`` (names: the value before the step, after it), ``"rows"`` (the value) or
    ``"shapes"`` (the values whose shapes it records); ``k``: the row index.  Returns the
    ``if`` statement that now holds the loop, or None where the loop stays as it was."""
    if not ENABLED[0] or not isinstance(loop.target, (gast.Name, gast.Tuple)):
        return None
    carried = [p for p in puts if p[1] == "carried"]
    if not carried:
        return None
    put_ids = {id(p[0]): p for p in puts}
    if _writes(loop.body, put_ids):
        return None
    stored = _stored(loop.body) | _stored([loop.target])
    indexed = isinstance(loop.target, gast.Name) and loop.target.id == k
    # reads per name in the loop (the shape records excepted: the copy drops them), binds
    reads: dict = {}
    binds: dict = {}
    for s in loop.body:
        p = put_ids.get(id(s))
        if p is not None and p[1] == "shapes":
            continue
        for nd in _names(s):
            if nd.ctx.__class__ is gast.Load:
                reads[nd.id] = reads.get(nd.id, 0) + 1
            else:
                binds[nd.id] = binds.get(nd.id, 0) + 1
    outside = set()
    for s in fdef.body:
        if s is not loop:
            outside |= _read(s)
    parent_body = parent[id(loop)][0]
    if parent_body is not fdef.body:  # (a loop nested in another: everything it is in)
        outside |= _read(fdef)
    taped = {v for p in puts if p[1] in ("carried", "rows") for v in p[3]}

    # values the loop carries without taping them (``s_1 = s_2`` ending the step): of R
    # and D at the start of each step if checked before the loop and of R and D at its end
    states = []
    for s in reversed(loop.body):
        if is_comment(s):
            continue
        if not (isinstance(s, gast.Assign) and len(s.targets) == 1
                and isinstance(s.targets[0], gast.Name) and isinstance(s.value, gast.Name)):
            break
        if binds.get(s.targets[0].id) == 1 and s.targets[0].id not in taped:
            states.append(s.targets[0].id)
    ends = {s.targets[0].id: s.value.id for s in loop.body if isinstance(s, gast.Assign)
            and len(s.targets) == 1 and isinstance(s.targets[0], gast.Name)
            and s.targets[0].id in states}

    # the loop's own index (a Python int, as range gives it)
    index = [t.id for t in ([loop.target] if isinstance(loop.target, gast.Name)
                            else loop.target.elts) if isinstance(t, gast.Name)] \
        if isinstance(loop.iter, gast.Call) and isinstance(loop.iter.func, gast.Name) \
        and loop.iter.func.id in ("range", "enumerate") else []
    if index and loop.iter.func.id == "enumerate" and not (
            isinstance(loop.iter.args[0], gast.Call)
            and isinstance(loop.iter.args[0].func, gast.Name)
            and loop.iter.args[0].func.id == "range"):
        index = index[:1]  # (enumerate's count; the item not known a number)

    def analyse(states):
        typed = {p[3][0] for p in carried} | set(states)  # (of R and D now)
        owned = set()  # of those, the arrays this step made (may be overwritten)
        lazy = {}  # x -> A, for x = A[t]: of R once something needs it so (A is then checked)
        at_put = {}  # id(put) -> {name: (of R and D there, its chain)}
        small = set(index)  # values of the step broadcasting to R: of D, or Python numbers
        checks = {"rows": [], "squares": [], "shared": []}
        group = {}  # typed name -> its chain (a list: [head statement or None, dest or None])
        plans = {}  # id(statement) -> the statement the copy runs instead
        spread = {}  # shared name -> its reads as an operand of an elementwise op of R

        def can(x, kind) -> bool:
            """Whether operand ``x`` is (or can be checked to be) of R and D (kind "r"), or
            of D broadcasting to R, or a number (kind "shared")."""
            if _number(x):
                return kind == "shared"
            if not isinstance(x, gast.Name):
                return False
            if x.id in typed or x.id in lazy:
                return kind == "r"
            return kind == "shared" and (x.id not in stored or x.id in small)

        def need(x, kind) -> None:
            """Record the run-time check that makes ``x`` what :func:`can` said."""
            if not isinstance(x, gast.Name) or x.id in typed or x.id in small:
                return
            if x.id in lazy:
                if lazy[x.id] not in checks["rows"]:
                    checks["rows"].append(lazy[x.id])
                typed.add(x.id)
            elif x.id not in checks["shared"]:
                checks["shared"].append(x.id)

        def reusable(x) -> bool:
            return isinstance(x, gast.Name) and x.id in owned and binds.get(x.id) == 1 \
                and reads.get(x.id) == 1 and x.id not in taped and x.id not in outside

        def forget(vars_):
            for v in vars_:
                typed.discard(v)
                owned.discard(v)
                lazy.pop(v, None)
                group.pop(v, None)
                small.discard(v)

        for s in loop.body:
            if id(s) in put_ids:  # (what it puts: as it is here, not at the step's end)
                at_put[id(s)] = {x: ("r" if x in typed else "small" if x in small
                                     or x not in stored else None,
                                     group.get(x)) for x in put_ids[id(s)][3]}
                continue
            if is_comment(s):
                continue
            if not (isinstance(s, gast.Assign) and len(s.targets) == 1
                    and isinstance(s.targets[0], gast.Name)):
                forget(_stored([s]))
                continue
            y, v = s.targets[0].id, s.value
            forget([y])
            f = _np_call(v)
            operands, ufunc, outable = None, None, True
            if isinstance(v, gast.Name):  # a copy: the same array
                if v.id in typed or v.id in lazy:
                    if v.id in lazy:
                        lazy[y] = lazy[v.id]
                        continue
                    typed.add(y)
                    if v.id in group:  # (not owned: an alias is never overwritten)
                        group[y] = group[v.id]
                continue
            if indexed and isinstance(v, gast.Subscript) and isinstance(v.value, gast.Name) \
                    and isinstance(v.slice, gast.Name) and v.slice.id == k \
                    and v.value.id not in stored:
                lazy[y] = v.value.id
                continue
            if isinstance(v, gast.BinOp) and v.op.__class__ in _BINOPS:
                ufunc, operands = _BINOPS[v.op.__class__], [v.left, v.right]
            elif isinstance(v, gast.UnaryOp) and isinstance(v.op, gast.USub):
                ufunc, operands = "negative", [v.operand]
            elif f in _UNARY and len(v.args) == 1:
                ufunc, operands = f, list(v.args)
            elif f in _BINARY and len(v.args) == 2:
                ufunc, operands = f, list(v.args)
            if operands is not None:
                kinds = ["r" if isinstance(x, gast.Name) and (x.id in typed or x.id in lazy)
                         else "shared" for x in operands]
                if not all(can(x, kd) for x, kd in zip(operands, kinds)):
                    continue
                if "r" not in kinds:  # (b * i: a value broadcasting to R, of D or a number)
                    if not isinstance(v, (gast.BinOp, gast.UnaryOp)):
                        continue  # (np.exp(2): a numpy scalar, of its own dtype)
                    for x in operands:
                        need(x, "shared")
                    small.add(y)
                    continue
                mine = [x for x, kd in zip(operands, kinds) if kd == "r" and reusable(x)]
                for x, kd in zip(operands, kinds):
                    need(x, kd)
                    if kd == "shared" and isinstance(x, gast.Name) and x.id not in small:
                        spread[x.id] = spread.get(x.id, 0) + 1
            elif f == "matmul" and len(v.args) == 2 and isinstance(v.args[0], gast.Name) \
                    and v.args[0].id in typed \
                    and isinstance(v.args[1], gast.Name) and v.args[1].id not in stored:
                if v.args[1].id not in checks["squares"]:
                    checks["squares"].append(v.args[1].id)
                ufunc, operands, mine = "matmul", list(v.args), []
            elif isinstance(v, gast.Call) and isinstance(v.func, gast.Name) \
                    and v.func.id == "linear" and not v.keywords and len(v.args) == 3 \
                    and isinstance(v.args[0], gast.Name) and v.args[0].id in typed \
                    and isinstance(v.args[1], gast.Name) and v.args[1].id not in stored \
                    and ((isinstance(v.args[2], gast.Constant) and v.args[2].value is None)
                         or can(v.args[2], "shared")):
                if v.args[1].id not in checks["squares"]:  # ((out, in): square, either way)
                    checks["squares"].append(v.args[1].id)
                need(v.args[2], "shared")
                operands, mine, outable = None, [], False
            else:
                continue
            typed.add(y)
            owned.add(y)
            if mine:  # written into the operand nothing reads after it
                x = mine[0].id
                group[y] = group.get(x) or [None, None]
                plans[id(s)] = _assign(y, _ufunc(ufunc, operands, name(x)))
                owned.discard(x)
            else:
                chain = group[y] = [s if outable else None, None]
                if outable:
                    plans[id(s)] = (ufunc, operands, chain)
        return typed, group, plans, checks, at_put, spread

    while True:  # (a state whose next value is not of R: not assumed, again)
        typed, group, plans, checks, at_put, spread = analyse(states)
        kept = [v for v in states if ends[v] in typed]
        if kept == states:
            break
        states = kept
    # every taped value of R and D: the copy writes it in its row (or copies it there)
    row = names.fresh("_row")
    fast_puts = {}
    if not all(p[3][0] in typed for p in carried):  # (each step starts from R and D)
        return None
    for p in puts:
        st, kind, buf, vars_ = p
        if kind == "shapes":  # (a value of invariants and numbers: its shape once, after)
            if not all(at_put[id(st)][x][0] for x in vars_):
                return None
            continue
        v = vars_[-1]
        if at_put[id(st)][v][0] != "r":
            return None
        at = gast.BinOp(left=name(k), op=gast.Add(), right=_const(1)) if kind == "carried" \
            else name(k)
        dest = gast.Subscript(value=name(buf), slice=at, ctx=gast.Load())
        chain = at_put[id(st)][v][1]
        if chain is not None and chain[0] is not None and chain[1] is None:
            chain[1] = dest
            fast_puts[id(st)] = []
        else:
            fast_puts[id(st)] = [gast.Assign(
                targets=[gast.Subscript(value=name(buf), slice=clone(at), ctx=gast.Store())],
                value=name(v), type_comment=None)]
    body = []
    for s in loop.body:
        if id(s) in put_ids:
            body.extend(fast_puts.get(id(s), []))
            continue
        plan = plans.get(id(s))
        if plan is None:
            body.append(clone(s))
        elif isinstance(plan, tuple):
            ufunc, operands, chain = plan  # (the head of a chain: into its row, if any)
            body.append(clone(s) if chain[1] is None
                        else _assign(s.targets[0].id, _ufunc(ufunc, operands, chain[1])))
        else:
            body.append(plan)
    # an invariant array read only as an operand of the step's elementwise ops of R (a
    # bias): broadcast to R once before the loop (``as_row``), a same-shape operand is
    # numpy's fast loop; each element's operation is the same, so are the bits
    spreads = [x for x in checks["shared"] if spread.get(x) == reads.get(x)]
    rename = {x: names.fresh(x + "_row") for x in spreads}
    for s in body:
        for nd in _names(s):
            if nd.ctx.__class__ is gast.Load and nd.id in rename:
                nd.id = rename[nd.id]
    fast = gast.For(target=clone(loop.target), iter=clone(loop.iter), body=body or [gast.Pass()],
                    orelse=[], type_comment=None)
    fwd = names.fresh("_fwd")
    check = _call("fwd_rows", name(n), _tuple([p[3][0] for p in carried]),
                  *[_tuple(checks[c]) for c in ("rows", "squares", "shared")],
                  _const(sum(1 for p in puts if p[1] == "rows")))
    if states:
        check.args.append(_tuple(states))
    bufs = [p[2] for p in carried] + [p[2] for p in puts if p[1] == "rows"]
    def shape(p, x):
        if at_put[id(p[0])][x][0] == "r":
            return name(row)
        return _call("getattr", name(x), _const("shape"), gast.Tuple(elts=[], ctx=gast.Load()))
    after = [_assign(p[2], gast.BinOp(
        left=gast.List(elts=[gast.Tuple(elts=[shape(p, x) for x in p[3]], ctx=gast.Load())],
                       ctx=gast.Load()), op=gast.Mult(), right=name(n)))
             for p in puts if p[1] == "shapes"]
    unpack = _assign(gast.Tuple(elts=[name(row, store=True)] + [name(b, store=True) for b in bufs],
                                ctx=gast.Store()), name(fwd))
    node = gast.If(test=gast.Compare(left=name(fwd), ops=[gast.IsNot()],
                                     comparators=[_const(None)]),
                   body=[unpack, _assign(fwd, _const(None))]
                   + [_assign(rename[x], _call("as_row", name(x), name(row))) for x in spreads]
                   + [fast] + after, orelse=[loop])
    at = next(i for i, s in enumerate(parent_body) if s is loop)
    parent_body[at:at + 1] = [_assign(fwd, check), node]
    parent[id(node)] = parent[id(loop)]
    parent[id(loop)] = (node.orelse, node)
    return node


def _writes(body, put_ids) -> bool:
    """Whether the step may write into an array (an item or attribute store, a statement
    run for its effect, a call with effects): a value it holds may then be a tape row that
    the loop as it was would have copied before the write.  (The step's own puts aside,
    what the hoisting asks of a loop body: ``lower_hoist._may_write``.)"""
    return _may_write([s for s in body if id(s) not in put_ids], ())


def _tuple(vars_):
    return gast.Tuple(elts=[name(v) for v in vars_], ctx=gast.Load())


def _ufunc(fn, operands, out):
    call = gast.Call(func=gast.Attribute(value=name("np"), attr=fn, ctx=gast.Load()),
                     args=[clone(x) for x in operands], keywords=[])
    if out is not None:
        call.keywords = [gast.keyword(arg="out", value=clone(out))]
    return call
