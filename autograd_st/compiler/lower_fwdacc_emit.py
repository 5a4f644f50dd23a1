"""The forward-accumulated branch's operations as gast (:mod:`.lower_fwdacc` makes them).

Takes: the branch's operations in order (:class:`Op`: ``target = np.<ufunc>(*args)`` or a
statement as it is), what is known of each array name (:class:`Info`) and the names that
must survive (returned values, the gradient).
Gives: gast statements in which each operation writes into an operand no later operation
reads, when that operand is an array the branch made of ``x``'s shape and dtype
(``np.add(b, h, out=b)``, ``d *= u``), numbers are 0-d arrays of ``x``'s dtype
(``numbers_as``), and an array is deleted after its last read; and :func:`operations`, the
count of array operations in generated statements (the branch is kept where it runs no more
than the reverse code).
"""
from __future__ import annotations

import gast

from .codegen import assign, is_comment, make_node, name
from .trees import walk

__all__ = ["emit", "operations", "Num", "Info", "Op"]

_AUG = {"add": gast.Add, "subtract": gast.Sub, "multiply": gast.Mult, "divide": gast.Div}


class Num:
    """A number operand: printed as a 0-d array of ``x``'s dtype."""
    __slots__ = ("value",)

    def __init__(self, value) -> None:
        self.value = value


class Info:
    """What is known of an array name: ``kind`` 'f' (x's dtype), 'b' (boolean), 'p' (an
    argument: x's dtype or boolean, checked), 'o' (other); ``xshaped``: it has x's shape;
    ``owned``: a fresh array this branch made (it may be written once nobody reads it)."""
    __slots__ = ("kind", "xshaped", "owned")

    def __init__(self, kind, xshaped, owned) -> None:
        self.kind, self.xshaped, self.owned = kind, xshaped, owned


class Op:
    """``target = np.<fn>(*args)`` (``fn`` a numpy function name), or, with ``raw``, a gast
    statement reading ``reads``."""
    __slots__ = ("target", "fn", "args", "raw", "reads")

    def __init__(self, target, fn=None, args=(), raw=None, reads=()) -> None:
        self.target, self.fn, self.args, self.raw = target, fn, list(args), raw
        self.reads = list(reads) if raw is not None else [a for a in args if isinstance(a, str)]


def operations(stmts) -> int:
    """How many array operations ``stmts`` run (calls, operators, ``+=``): the branch is kept
    where it runs no more than the reverse code (W5, reading ``x`` everywhere, runs more)."""
    return sum(_stmt_ops(st) for st in stmts)


def _stmt_ops(st) -> int:
    cls = st.__class__
    if cls is gast.Assign or cls is gast.Expr or cls is gast.Return:
        return _ops(st.value)
    if cls is gast.AugAssign:
        return 1 + _ops(st.value)
    if cls is gast.If:
        return _ops(st.test) + operations(st.body) + operations(st.orelse)
    return 0


def _ops(node) -> int:
    cls = node.__class__
    if cls is gast.BinOp:
        return 1 + _ops(node.left) + _ops(node.right)
    if cls is gast.UnaryOp:
        return (node.operand.__class__ is not gast.Constant) + _ops(node.operand)
    if cls is gast.Call:
        f = node.func
        return (not (f.__class__ is gast.Name and f.id in _FREE)) \
            + sum(_ops(a) for a in node.args) + sum(_ops(k.value) for k in node.keywords)
    if cls is gast.Tuple or cls is gast.List:
        return sum(_ops(e) for e in node.elts)
    if cls is gast.Compare:
        return 1 + _ops(node.left) + sum(_ops(c) for c in node.comparators)
    return 0


_FREE = frozenset({"__comment__", "numbers_as", "getattr", "cast_like", "inplace_ok",
                   "sens_shape"})


def emit(g, kept) -> list:
    """The ops as gast: each operation writes into an operand no later op reads (an array
    this branch made, of x's shape and dtype), dead arrays deleted after their last use."""
    ops = g.ops
    last: dict = {}
    for i, o in enumerate(ops):
        for n in o.reads:
            last[n] = i
    read: dict = {}  # name -> the variable to read it from
    buf_of: dict = {}  # name -> its array (the first variable that held it)
    bound: dict = {}  # array -> the variables bound to it
    numbers: dict = {}
    out = []
    primal = g.primal_names

    def arg(a):
        if isinstance(a, Num):
            v = a.value
            v = int(v) if float(v).is_integer() and abs(v) < 2 ** 31 else v
            key = (type(v), v)
            if key not in numbers:
                label = repr(v).replace("-", "m").replace(".", "_").replace("+", "")
                numbers[key] = g.names.fresh("%s_%s" % (g.x, label if label.replace("_", "")
                                                  .isalnum() else "const"))
            return name(numbers[key])
        return name(read.get(a, a))

    def fresh_array(t):
        read[t] = buf_of[t] = t
        bound[t] = [t]

    for i, o in enumerate(ops):
        into = None
        if o.raw is not None:
            for node in (() if is_comment(o.raw) else walk(o.raw)):
                if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load) \
                        and node.id in read:
                    node.id = read[node.id]
            out.append(o.raw)
            for t in o.target or ():
                fresh_array(t)
        elif o.fn == "power":  # (numpy's own x ** 2 and x ** 0.5: the bits of the reverse)
            left, right = [gast.Constant(value=a.value, kind=None) if isinstance(a, Num)
                           else arg(a) for a in o.args]
            out.append(assign([o.target], gast.BinOp(left=left, op=gast.Pow(), right=right)))
            fresh_array(o.target)
        else:
            if o.fn != "where" and g.info[o.target].owned:
                for a in o.args:
                    if isinstance(a, str) and g.info[a].owned and last.get(a) == i \
                            and a not in kept and a not in g.params and o.args.count(a) == 1:
                        into = a
                        break
            call = make_node(gast.Call, func=make_node(gast.Attribute, value=name("np"),
                                                       attr=o.fn, ctx=make_node(gast.Load)),
                             args=[arg(a) for a in o.args], keywords=[])
            if into is None:
                out.append(assign([o.target], call))
                fresh_array(o.target)
            else:
                v = read[into]
                b = buf_of[o.target] = buf_of[into]
                if o.target in primal or o.target in kept:  # a value: under its name
                    call.keywords = [make_node(gast.keyword, arg="out", value=name(v))]
                    out.append(assign([o.target], call))
                    read[o.target] = o.target
                    bound[b].append(o.target)
                elif o.fn in _AUG and o.args[0] == into:
                    out.append(make_node(gast.AugAssign, target=name(v, True),
                                         op=make_node(_AUG[o.fn]), value=arg(o.args[1])))
                    read[o.target] = v
                else:
                    call.keywords = [make_node(gast.keyword, arg="out", value=name(v))]
                    out.append(make_node(gast.Expr, value=call))
                    read[o.target] = v
        dead = []
        for n in o.reads:
            if last.get(n) != i or n in kept or n in g.params or n not in buf_of:
                continue
            b = buf_of[n]
            if into is not None and b == buf_of[into]:
                continue
            for v in bound.pop(b, ()):
                if v not in dead:
                    dead.append(v)
        if dead:
            out.append(make_node(gast.Delete, targets=[
                make_node(gast.Name, id=n, ctx=make_node(gast.Del), annotation=None,
                          type_comment=None) for n in dead]))
    head = []
    if numbers:
        head.append(gast.Assign(
            targets=[gast.Tuple(elts=[name(n, True) for n in numbers.values()],
                                ctx=gast.Store())],
            value=gast.Call(func=name("numbers_as"), args=[
                name(g.x), gast.Tuple(elts=[gast.Constant(value=v, kind=None)
                                            for _, v in numbers], ctx=gast.Load())],
                keywords=[]), type_comment=None))
    return head + out
