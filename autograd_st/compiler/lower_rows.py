"""Lower rows: a stacked backward loop's tape-only arithmetic computed once, over all rows.

A step of the loop lowering (:func:`autograd_st.compiler.lower_loops.batch_loops` calls
:func:`batch_row_exprs` on each backward loop it stacked, after hoisting its invariants).

Takes: a backward loop ``for _k in range(n - 1, -1, -1):`` whose body starts by reading its
rows, ``h_2 = h_rows[_k + 1]``, ``h_1 = h_rows[_k]`` (each row name bound once in the body,
the rows array not rebound), the function holding it and the module's name allocator.
Gives, in place:

- **Tape-only subexpressions batched.**  An arithmetic subexpression (``+ - * /``, unary
  ``-``) of a statement of the loop's body (not of a nested block: it runs at every step)
  that reads only rows, loop invariants and numbers, ``1 - h_2 * h_2`` in tanh's gradient,
  is computed before the loop over the stacked rows, ``h_2_all = h_rows[1:n + 1]``, and the
  step reads its row, ``sub_rows[_k]``.  Elementwise arithmetic rounds each element alone,
  so the values are the same bits; ``rows_stacked`` (run time, once) takes that branch only
  when every rows array is an array of the same number of axes and no invariant has more
  axes than a row (broadcasting then never reaches the rows' axis), else the rows are
  computed one by one before the loop (``tape_put``), as the step would have.
- **The step's gradient written into them.**  Where the step then multiplies (adds...) that
  row with a per-step value, ``d = g * sub_rows[_k]``, and puts ``d`` on a rows tape,
  ``d_rows = tape_put(d_rows, _k, n, d)``, the product is written into the row itself
  (``into_row``, when it has the row's shape and dtype) and the tape is that array while
  every step's was (``tape_put_row``): no product array and no copy per step.  Only where
  nothing the loop does after it writes into ``d`` or a name handed it (an accumulation, an
  item store, ``out=``) and no name holding it is read after the loop.
- **A fast copy of the loop.**  Before that loop, a copy of it runs the steps (from the last)
  while what its helpers decide at each step is known: ``rows_fast`` (once: the rows an
  array, every step's taped shapes that a ``sum_to`` of the gradient reads equal to the
  row's, the weights of ``matmul_nt_to`` matrices past its einsum size) and a guard at the
  top of each step (the gradient flowing in an array of the row's shape and dtype; the
  step has done nothing yet when it breaks).  In the copy, the product is written into its
  row (``np.multiply(g, d, out=d)``), the ``sum_to`` hand it on, ``matmul_nt_to(d, w, h)``
  is ``np.matmul(d, w_T)`` (``w.T`` taken once: the branch ``matmul_nt_to`` takes), the
  rows tape is the rows array, and no shapes are read.  The loop itself then runs the steps
  the copy left (``range(left - 1, -1, -1)``), so a step whose shapes broadcast, a dtype
  that changes, a list tape, small matrices, all get the general code, the same bits.
"""
from __future__ import annotations

import gast

from .anno import facts_of
from .codegen import clone, is_comment, name
from .lower_hoist import _assign, _call, _const, _delete, _names, _read, _stored

__all__ = ["batch_row_exprs", "ENABLED"]

ENABLED = [True]
"""``ENABLED[0] = False`` leaves backward loops as :mod:`.lower_loops` makes them (tests and
the benchmark compare both; clear the compiler's caches after changing it)."""

_ARITH = {gast.Add: "add", gast.Sub: "subtract", gast.Mult: "multiply", gast.Div: "divide"}
_LABEL = {gast.Add: "add", gast.Sub: "sub", gast.Mult: "mul", gast.Div: "div",
          gast.USub: "neg", gast.UAdd: "pos"}
# helpers that hand on (maybe the very object of) an argument without writing into it
_WRITERS_PREFIX = ("accumulate", "tape_put", "into_row")


def batch_row_exprs(loop, parent, names, fdef) -> None:
    """Rewrite the backward ``loop`` (see the module docstring)."""
    if not ENABLED[0]:
        return
    it = loop.iter
    if not (isinstance(loop.target, gast.Name) and isinstance(it, gast.Call)
            and len(it.args) == 3 and isinstance(it.args[0], gast.BinOp)
            and isinstance(it.args[0].left, gast.Name)):
        return
    k, n = loop.target.id, it.args[0].left.id
    body = loop.body
    stores: dict = {}
    for s in body:
        for nd in _names(s):
            if nd.ctx.__class__ is not gast.Load:
                stores[nd.id] = stores.get(nd.id, 0) + 1
    stores[k] = stores.get(k, 0) + 1
    for nd in gast.walk(loop):  # (a value written in place is not invariant either)
        if isinstance(nd, gast.Call):
            for x in [kw.value for kw in nd.keywords if kw.arg == "out"] + (
                    nd.args[:1] if isinstance(nd.func, gast.Name)
                    and nd.func.id.startswith(_WRITERS_PREFIX) else []):
                for v in _read(x):
                    stores[v] = stores.get(v, 0) + 2
    rowvar: dict = {}  # name -> (its rows, the row's offset from _k), from its read on
    made = []  # (rows name, expr, the row names it reads, the invariants it reads)

    def xform(node):
        """``(node, batchable, reads a row)``, replacing the batchable children that read a
        row inside anything that is not."""
        if isinstance(node, gast.Name):
            if node.id in rowvar:
                return node, True, True
            return node, node.id not in stores, False
        if isinstance(node, gast.Constant):
            ok = isinstance(node.value, (int, float)) and not isinstance(node.value, bool)
            return node, ok, False
        if isinstance(node, gast.BinOp) and node.op.__class__ in _ARITH:
            node.left, lok, lrow = xform(node.left)
            node.right, rok, rrow = xform(node.right)
            if lok and rok:
                return node, True, lrow or rrow
            node.left = _batched(node.left, lok, lrow)
            node.right = _batched(node.right, rok, rrow)
            return node, False, False
        if isinstance(node, gast.UnaryOp) and isinstance(node.op, (gast.USub, gast.UAdd)):
            node.operand, ok, row = xform(node.operand)
            if ok:
                return node, True, row
            return node, False, False
        for field in node._fields:
            v = getattr(node, field, None)
            if isinstance(v, list):
                setattr(node, field, [_batched(*xform(x)) if isinstance(x, gast.expr) else x
                                      for x in v])
            elif isinstance(v, gast.expr):
                setattr(node, field, _batched(*xform(v)))
        return node, False, False

    def _batched(node, ok, row):
        if not (ok and row and isinstance(node, (gast.BinOp, gast.UnaryOp))) \
                or _into(clone(node), {}, "_") is None:  # (one array for all its steps)
            return node
        first = next(nd.id for nd in _names(node) if nd.id in rowvar)
        label = _LABEL[node.op.__class__] + "_" + first.lstrip("_")
        buf = names.fresh(label + "_rows")
        reads = _names(node)
        made.append((buf, node, list(dict.fromkeys(nd.id for nd in reads if nd.id in rowvar)),
                     list(dict.fromkeys(nd.id for nd in reads if nd.id not in rowvar))))
        return gast.Subscript(value=name(buf), slice=name(k), ctx=gast.Load())

    for s in body:
        r = _row_read(s, k)
        if r is not None:
            v, rows, off = r
            if stores.get(v) == 1 and rows not in stores:
                rowvar[v] = (rows, off)  # (read before this: the last step's row)
            continue
        if rowvar and isinstance(s, gast.Assign) and len(s.targets) == 1 \
                and isinstance(s.targets[0], gast.Name):
            s.value = _batched(*xform(s.value))
    if not made:
        return
    outer, _ = parent[id(loop)]
    w = next(i for i, s in enumerate(outer) if s is loop)
    before = [st for buf, expr, rows_read, shared in made
              for st in _prelude(buf, expr, rows_read, shared, rowvar, n, names)]
    written = [buf for buf, _e, _r, _s in made if _write_into(buf, body, k, n, fdef, loop)]
    fast = _fast_loop(loop, written[0], rowvar, names, fdef) if len(written) == 1 else []
    outer[w:w + 1] = before + fast + [loop, _delete([buf for buf, *_ in made])]
    for st in fast:
        parent[id(st)] = (outer, parent[id(loop)][1])
    for st in before:
        parent[id(st)] = (outer, parent[id(loop)][1])


def _row_read(s, k):
    """``v = rows[k]`` or ``v = rows[k + 1]``: ``(v, rows, offset)``, else None."""
    if not (isinstance(s, gast.Assign) and len(s.targets) == 1
            and isinstance(s.targets[0], gast.Name) and isinstance(s.value, gast.Subscript)
            and isinstance(s.value.value, gast.Name)):
        return None
    i = s.value.slice
    if isinstance(i, gast.Name) and i.id == k:
        return s.targets[0].id, s.value.value.id, 0
    if isinstance(i, gast.BinOp) and isinstance(i.op, gast.Add) and isinstance(i.left, gast.Name) \
            and i.left.id == k and isinstance(i.right, gast.Constant) \
            and isinstance(i.right.value, int) and not isinstance(i.right.value, bool):
        return s.targets[0].id, s.value.value.id, i.right.value
    return None


def _prelude(buf, expr, rows_read, shared, rowvar, n, names):
    """The statements computing ``buf``'s rows before the loop: over the stacked rows when
    ``rows_stacked`` says the values are the same, one row at a time otherwise."""
    stacked = names.fresh("_stacked")
    alls = {v: names.fresh(v.lstrip("_") + "_all") for v in rows_read}
    args = [name(n), gast.Tuple(elts=[name(s) for s in shared], ctx=gast.Load())]
    for v in rows_read:
        args += [name(rowvar[v][0]), _const(rowvar[v][1])]
    fast = _into(clone(expr), alls, buf)
    fast.insert(0, _assign(gast.Tuple(elts=[name(alls[v], store=True) for v in rows_read]
                                      + [name(buf, store=True)], ctx=gast.Store()),
                           name(stacked)))
    j = names.fresh("_j")
    reads = [_assign(v, gast.Subscript(
        value=name(rowvar[v][0]), ctx=gast.Load(),
        slice=name(j) if not rowvar[v][1] else gast.BinOp(left=name(j), op=gast.Add(),
                                                          right=_const(rowvar[v][1]))))
        for v in rows_read]
    slow = [_assign(buf, _const(None)),
            gast.For(target=name(j, store=True), iter=_call("range", name(n)),
                     body=reads + [_assign(buf, _call("tape_put", name(buf), name(j), name(n),
                                                      clone(expr)))],
                     orelse=[], type_comment=None)]
    test = gast.Compare(left=name(stacked), ops=[gast.IsNot()], comparators=[_const(None)])
    return [_assign(stacked, _call("rows_stacked", *args)),
            gast.If(test=test, body=fast, orelse=slow)]


def _into(expr, alls, buf):
    """The statements computing ``expr`` (rows renamed by ``alls``) into the array ``buf``,
    one ufunc with ``out=buf`` per operation, or None where that takes a second array (both
    operands of an operation are operations)."""
    stmts = []

    def gen(node):
        if isinstance(node, gast.Name):
            return name(alls.get(node.id, node.id)), False
        if isinstance(node, gast.Constant):
            return node, False
        if isinstance(node, gast.UnaryOp):
            ops = [gen(node.operand)]
            ufunc = "negative" if isinstance(node.op, gast.USub) else "positive"
        else:
            ops = [gen(node.left), gen(node.right)]
            ufunc = _ARITH[node.op.__class__]
        if any(o is None for o in ops) or sum(b for _, b in ops) > 1:
            return None
        stmts.append(gast.Expr(value=gast.Call(
            func=gast.Attribute(value=name("np"), attr=ufunc, ctx=gast.Load()),
            args=[o for o, _ in ops], keywords=[gast.keyword(arg="out", value=name(buf))])))
        return name(buf), True

    return stmts if gen(expr) is not None else None


def _write_into(buf, body, k, n, fdef, loop) -> bool:
    """``d = g * buf[k]`` and later ``d_rows = tape_put(d_rows, k, n, d)`` in ``body``: the
    product written into ``buf``'s row, and ``buf`` the tape while each step's was (see the
    module docstring for when)."""
    use = None
    for i, s in enumerate(body):
        v = getattr(s, "value", None)
        if isinstance(s, gast.Assign) and len(s.targets) == 1 \
                and isinstance(s.targets[0], gast.Name) and isinstance(v, gast.BinOp) \
                and v.op.__class__ in _ARITH:
            for side in ("left", "right"):
                e = getattr(v, side)
                if isinstance(e, gast.Subscript) and isinstance(e.value, gast.Name) \
                        and e.value.id == buf:
                    use = (i, side)
    if use is None:
        return False
    i, side = use
    d = body[i].targets[0].id
    if sum(1 for s in body for nd in _names(s) if nd.id == d and nd.ctx.__class__ is not
           gast.Load) != 1:
        return False
    put = None
    for j in range(i + 1, len(body)):
        s = body[j]
        v = getattr(s, "value", None)
        if isinstance(s, gast.Assign) and len(s.targets) == 1 \
                and isinstance(s.targets[0], gast.Name) and isinstance(v, gast.Call) \
                and isinstance(v.func, gast.Name) and v.func.id == "tape_put" \
                and len(v.args) == 4 and not v.keywords \
                and all(isinstance(a, gast.Name) for a in v.args) \
                and v.args[0].id == s.targets[0].id and v.args[1].id == k \
                and v.args[2].id == n and v.args[3].id == d:
            put = s
            break
    if put is None:
        return False
    rest = [s for s in body[i + 1:] if s is not put]
    held = _holders(d, rest)
    rows_name = put.targets[0].id
    if _written(rest, held | {rows_name, buf}):
        return False
    outside = set()
    for s in fdef.body:
        if s is not loop:
            outside |= _read(s)
    if held & outside or _written([s for s in fdef.body if s is not loop], {rows_name, buf}):
        return False
    binop = body[i].value
    args = [binop.left, binop.right]
    args[0 if side == "left" else 1] = name(buf)
    ufunc = gast.Attribute(value=name("np"), attr=_ARITH[binop.op.__class__], ctx=gast.Load())
    body[i].value = _call("into_row", name(buf), name(k), ufunc, *args)
    put.value.func = name("tape_put_row")
    put.value.args.append(name(buf))
    return True


# calls whose result is a new array (numpy's non-view functions, the matrix product helpers)
_NEW_NP = frozenset(("matmul", "dot", "einsum", "tanh", "exp", "log", "sin", "cos", "sqrt",
                     "square", "multiply", "add", "subtract", "divide", "negative", "maximum",
                     "minimum", "where", "sum", "mean", "ones_like", "zeros_like"))
_NEW_HELPERS = frozenset(("matmul_nt", "matmul_tn", "matmul_nt_to", "matmul_tn_to"))


def _fresh(v) -> bool:
    """Whether ``v`` (an expression) makes a new array, never one of its operands: an
    arithmetic operation, one of the calls above, ``sum_to``/``unbroadcast`` of such."""
    if isinstance(v, (gast.BinOp, gast.UnaryOp, gast.Compare, gast.Constant)):
        return True
    if not isinstance(v, gast.Call):
        return False
    f = v.func
    if isinstance(f, gast.Attribute) and isinstance(f.value, gast.Name) and f.value.id == "np":
        return f.attr in _NEW_NP and not v.keywords
    if isinstance(f, gast.Name):
        if f.id in _NEW_HELPERS:
            return True
        if f.id in ("sum_to", "unbroadcast") and v.args:
            return _fresh(v.args[0])
    return False


def _holders(d, stmts) -> set:
    """``d`` and the names later statements bind to what may be the same array: a name
    ``y = d``, an item or attribute of it, or any call reading it that is not known to make
    a new array (:func:`_fresh`)."""
    held = {d}
    for s in stmts:
        if not (isinstance(s, gast.Assign) and len(s.targets) == 1
                and isinstance(s.targets[0], gast.Name)):
            continue
        if not _fresh(s.value) and _read(s.value) & held:
            held.add(s.targets[0].id)
    return held


def _written(stmts, watched) -> bool:
    """Whether ``stmts`` may write into an array one of ``watched`` names: the first
    argument of an accumulation or tape helper, ``out=``, an augmented assignment, an item
    or attribute store."""
    for s in stmts:
        for nd in gast.walk(s):
            if isinstance(nd, gast.AugAssign) and _read(nd.target) & watched:
                return True
            if isinstance(nd, (gast.Subscript, gast.Attribute)) \
                    and isinstance(nd.ctx, gast.Store) and _read(nd.value) & watched:
                return True
            if isinstance(nd, gast.Call):
                if any(kw.arg == "out" and _read(kw.value) & watched for kw in nd.keywords):
                    return True
                f = nd.func
                if isinstance(f, gast.Name) and f.id.startswith(_WRITERS_PREFIX) and nd.args \
                        and _read(nd.args[0]) & watched:
                    return True
    return False


# ---------------------------------------------------------------------------------------
# the fast loop
# ---------------------------------------------------------------------------------------

def _matmul_nt(v):
    """``[a, b, like]`` of ``matmul_nt_to(a, b, like)`` or of its form before the lowering
    fuses it, ``unbroadcast(matmul_nt(a, b), like)`` (tagged so); else None."""
    if not (isinstance(v, gast.Call) and isinstance(v.func, gast.Name)) or v.keywords:
        return None
    if v.func.id == "matmul_nt_to" and len(v.args) == 3:
        return list(v.args)
    facts = facts_of(v, "unbroadcast")
    if facts is not None and facts["matmul"] == "nt" and len(v.args) == 2 \
            and isinstance(v.args[0], gast.Call) and len(v.args[0].args) == 2 \
            and not v.args[0].keywords:
        return [v.args[0].args[0], v.args[0].args[1], v.args[1]]
    return None


def _fast_loop(loop, buf, rowvar, names, fdef) -> list:
    """Statements to put before ``loop`` (whose step writes its gradient into ``buf``'s
    rows): a copy of the loop that runs its steps, from the last, while ``rows_fast`` (once)
    and a guard at each step say that what the step's helpers decide is known, then leaves
    the rest of the steps to ``loop``, which now starts at the first step not run.  In the
    copy, the gradient's row is multiplied in place (``into_row``'s row shape and dtype,
    the step's other operand guarded: an array of the row's shape and dtype), the rows
    tape is ``buf`` itself (``tape_put_row``), a ``sum_to``/``sum_to_each`` of it by taped
    shapes hands it on (every step's taped shapes the row's: checked once), and
    ``matmul_nt_to(d, w, h)`` of it is ``np.matmul(d, w_T)`` (``w`` and ``h``'s rows
    matrices, the product past the einsum size: checked once; the branch
    ``matmul_nt_to`` takes then).  When the guarded operand is a gradient the loop carries
    and one such product is the step's only store of it, ``rows_fast(..., carry=(g, i))``
    checks it (and that the product's weight is square, of the row's dtype) once before the
    first step, and the copy has no guard.  [] where the step has any other form before the
    guard."""
    body = loop.body
    k = loop.target.id
    n = loop.iter.args[0].left.id
    at = next((i for i, s in enumerate(body) if isinstance(s, gast.Assign)
               and isinstance(s.value, gast.Call) and isinstance(s.value.func, gast.Name)
               and s.value.func.id == "into_row"), None)
    if at is None:
        return []
    shape_names: dict = {}  # a taped shape's name -> (its rows, its place in the tuple)
    shape_rows = None
    for s in body[:at]:  # only reads before the guard (run again by the loop on a break)
        if _row_read(s, k) is not None:
            continue
        if isinstance(s, gast.Assign) and len(s.targets) == 1 \
                and isinstance(s.targets[0], gast.Tuple) and isinstance(s.value, gast.Subscript) \
                and isinstance(s.value.value, gast.Name) and isinstance(s.value.slice, gast.Name) \
                and s.value.slice.id == k and shape_rows is None \
                and all(isinstance(t, gast.Name) for t in s.targets[0].elts):
            shape_rows = s.value.value.id
            shape_names = {t.id: i for i, t in enumerate(s.targets[0].elts)}
            continue
        if (isinstance(s, gast.Assign) and len(s.targets) == 1
                and isinstance(s.targets[0], gast.Name) and isinstance(s.value, gast.Name)) \
                or is_comment(s):
            continue
        return []
    into = body[at]
    d = into.targets[0].id
    _, _, ufunc, a, b = into.value.args
    other = b if isinstance(a, gast.Name) and a.id == buf else a
    if not isinstance(other, gast.Name):
        return []
    row, dtype, left = names.fresh("_row"), names.fresh("_dtype"), names.fresh("_left")
    known = {d}  # names holding the row (its shape and dtype)
    made: dict = {}  # a name bound to a product with a weight's transpose -> its place
    positions, products, fast_body = [], [], []
    for s in body[at + 1:]:
        v = getattr(s, "value", None)
        call = v.func.id if isinstance(v, gast.Call) and isinstance(v.func, gast.Name) else None
        if call == "tape_put_row" and v.args[-1].id == buf:
            continue  # (the tape is buf: set before the loop)
        if isinstance(s, gast.Assign) and len(s.targets) == 1 \
                and isinstance(s.targets[0], gast.Name):
            t = s.targets[0].id
            args = v.args if call else []
            if call in ("sum_to", "sum_to_each") and not v.keywords and args \
                    and isinstance(args[0], gast.Name) and args[0].id in known \
                    and all(isinstance(x, gast.Name) and x.id in shape_names for x in args[1:]):
                positions += [shape_names[x.id] for x in args[1:]]
                fast_body.append(_assign(t, name(args[0].id)))
                known.add(t)
                continue
            args = _matmul_nt(v) or args
            if call in ("matmul_nt_to", "unbroadcast") and len(args) == 3 \
                    and all(isinstance(x, gast.Name) for x in args) and args[0].id in known \
                    and args[2].id in rowvar and not any(args[1].id in _stored([x]) for x in body):
                w_t = names.fresh(args[1].id.lstrip("_") + "_T")
                made[t] = len(products)
                products.append((args[1].id, rowvar[args[2].id][0], w_t))
                fast_body.append(_assign(t, gast.Call(
                    func=gast.Attribute(value=name("np"), attr="matmul", ctx=gast.Load()),
                    args=[name(args[0].id), name(w_t)], keywords=[])))
                continue
            known.discard(t)
        if _stored([s]) & known:
            known -= _stored([s])
        fast_body.append(clone(s))
    if not positions and not products:
        return []
    # the guarded operand is (through the head's copies) a gradient the loop carries, made
    # in the copy by one product only: ``rows_fast`` checks it once, before the first step,
    # and the product's weight square of the row's dtype (each step then makes it of the
    # row's shape and dtype): no guard per step
    copies = {s.targets[0].id: s.value.id for s in body[:at] if isinstance(s, gast.Assign)
              and isinstance(s.targets[0], gast.Name) and isinstance(s.value, gast.Name)}
    carried = copies.get(other.id)
    stores = [s for s in fast_body if carried in _stored([s])]
    carry = None
    if carried is not None and carried not in copies and carried != k \
            and len(stores) == 1 and carried in made \
            and isinstance(stores[0], gast.Assign) and stores[0].targets[0].id == carried:
        carry = gast.Tuple(elts=[name(carried), _const(made[carried])], ctx=gast.Load())
    guard = gast.If(test=gast.BoolOp(op=gast.Or(), values=[
        gast.Compare(left=gast.Attribute(value=name(other.id), attr="__class__",
                                         ctx=gast.Load()),
                     ops=[gast.IsNot()], comparators=[gast.Attribute(
                         value=name("np"), attr="ndarray", ctx=gast.Load())]),
        gast.Compare(left=gast.Attribute(value=name(other.id), attr="shape", ctx=gast.Load()),
                     ops=[gast.NotEq()], comparators=[name(row)]),
        gast.Compare(left=gast.Attribute(value=name(other.id), attr="dtype", ctx=gast.Load()),
                     ops=[gast.NotEq()], comparators=[name(dtype)])]),
        body=[gast.Break()], orelse=[])
    in_place = [_assign(d, gast.Subscript(value=name(buf), slice=name(k), ctx=gast.Load())),
                gast.Expr(value=gast.Call(func=clone(ufunc), args=[
                    name(d) if isinstance(x, gast.Name) and x.id == buf else clone(x)
                    for x in (a, b)], keywords=[gast.keyword(arg="out", value=name(d))]))]
    head = [clone(s) for s in body[:at]]
    read = _read(fast_body) | _read(in_place) | {other.id}
    top = [i for i, s in enumerate(fdef.body) if s is loop]
    # a row the copy does not read is not read (unless after the loop: the value it left)
    read |= _read(fdef.body[top[0] + 1:]) if top else _stored(body)
    head = [s for s in head if not is_comment(s) and (
        _stored([s]) & read or not (isinstance(s.targets[0], gast.Tuple)
                                    or _row_read(s, k) is not None))]
    fast = gast.For(target=name(k, store=True), iter=clone(loop.iter),
                    body=head + ([] if carry else [guard]) + in_place + fast_body
                    + [_assign(left, name(k))], orelse=[], type_comment=None)
    rows_name = next(s.targets[0].id for s in body if isinstance(s, gast.Assign)
                     and isinstance(s.value, gast.Call) and isinstance(s.value.func, gast.Name)
                     and s.value.func.id == "tape_put_row")
    checked = names.fresh("_fast")
    args = [name(n), name(buf), name(shape_rows) if shape_rows else _const(None),
            gast.Tuple(elts=[_const(p) for p in dict.fromkeys(positions)], ctx=gast.Load())]
    for w_, rows_, _ in products:
        args += [name(w_), name(rows_)]
    loop.iter.args[0].left = name(left)
    check = _call("rows_fast", *args)
    if carry:
        check.keywords = [gast.keyword(arg="carry", value=carry)]
    return [_assign(checked, check), _assign(left, name(n)),
            gast.If(test=gast.Compare(left=name(checked), ops=[gast.IsNot()],
                                      comparators=[_const(None)]),
                    body=[_assign(gast.Tuple(elts=[name(x, store=True) for x in
                                                   [row, dtype] + [p[2] for p in products]],
                                             ctx=gast.Store()), name(checked)),
                          _assign(rows_name, name(buf)), fast], orelse=[])]
