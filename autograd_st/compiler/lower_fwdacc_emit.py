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

from .codegen import LOAD_CTX, assign, is_comment, make_node, name
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
    where it runs no more than the reverse code (W5, reading ``x`` everywhere, runs more).
    Counted over a stack, not a call per node: a call (but of the helpers in ``_FREE``), a
    binary operator, a comparison, an augmented assignment and a unary operator on anything
    but a constant count one each; a call's function, an attribute or a subscript is not
    looked into."""
    count = 0
    todo: list = []  # expressions to look into
    push = todo.append
    blocks = [stmts]
    while blocks:
        for st in blocks.pop():
            cls = st.__class__
            if cls is _ASSIGN or cls is _EXPR or cls is _RETURN:
                push(st.value)
            elif cls is _AUGASSIGN:
                count += 1
                push(st.value)
            elif cls is _IF:
                push(st.test)
                blocks.append(st.orelse)
                blocks.append(st.body)
    name_type, const_type, free = _NAME, _CONSTANT, _FREE
    while todo:
        node = todo.pop()
        cls = node.__class__
        if cls is name_type or cls is const_type:
            continue
        if cls is _CALL:
            f = node.func
            if not (f.__class__ is name_type and f.id in free):
                count += 1
            todo.extend(node.args)
            for k in node.keywords:
                push(k.value)
        elif cls is _BINOP:
            count += 1
            push(node.left)
            push(node.right)
        elif cls is _UNARYOP:
            if node.operand.__class__ is not const_type:
                count += 1
            push(node.operand)
        elif cls is _TUPLE or cls is _LIST:
            todo.extend(node.elts)
        elif cls is _COMPARE:
            count += 1
            push(node.left)
            todo.extend(node.comparators)
    return count


_ASSIGN, _EXPR, _RETURN, _AUGASSIGN, _IF = gast.Assign, gast.Expr, gast.Return, gast.AugAssign, \
    gast.If
_NAME, _CONSTANT, _CALL, _BINOP, _UNARYOP, _TUPLE, _LIST, _COMPARE = \
    gast.Name, gast.Constant, gast.Call, gast.BinOp, gast.UnaryOp, gast.Tuple, gast.List, \
    gast.Compare

_ATTRIBUTE = gast.Attribute
new_node = gast.AST.__new__

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

    info, params = g.info, g.params
    for i, o in enumerate(ops):
        into = None
        raw = o.raw
        if raw is not None:
            if not is_comment(raw):
                for node in walk(raw):
                    if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Load) \
                            and node.id in read:
                        node.id = read[node.id]
            out.append(raw)
            for t in o.target or ():
                fresh_array(t)
        elif o.fn == "power":  # (numpy's own x ** 2 and x ** 0.5: the bits of the reverse)
            left, right = [gast.Constant(value=a.value, kind=None) if isinstance(a, Num)
                           else arg(a) for a in o.args]
            out.append(assign([o.target], gast.BinOp(left=left, op=gast.Pow(), right=right)))
            fresh_array(o.target)
        else:
            target, args = o.target, o.args
            if o.fn != "where" and info[target].owned:
                for a in args:
                    if a.__class__ is str and info[a].owned and last.get(a) == i \
                            and a not in kept and a not in params and args.count(a) == 1:
                        into = a
                        break
            # np.<fn>(args) (make_node's fields, set here: a few thousand per function)
            func = new_node(_ATTRIBUTE)
            func.__dict__.update(value=name("np"), attr=o.fn, ctx=LOAD_CTX)
            call = new_node(_CALL)
            call.__dict__.update(func=func, args=[
                name(read.get(a, a)) if a.__class__ is str else arg(a) for a in args],
                keywords=[])
            if into is None:  # (assign([target], call), fresh_array(target))
                stmt = new_node(_ASSIGN)
                stmt.__dict__.update(targets=[name(target, True)], value=call, type_comment=None)
                out.append(stmt)
                read[target] = buf_of[target] = target
                bound[target] = [target]
            else:
                v = read[into]
                b = buf_of[target] = buf_of[into]
                if target in primal or target in kept:  # a value: under its name
                    call.keywords = [make_node(gast.keyword, arg="out", value=name(v))]
                    out.append(assign([target], call))
                    read[target] = target
                    bound[b].append(target)
                elif o.fn in _AUG and args[0] == into:
                    out.append(make_node(gast.AugAssign, target=name(v, True),
                                         op=make_node(_AUG[o.fn]), value=arg(args[1])))
                    read[target] = v
                else:
                    call.keywords = [make_node(gast.keyword, arg="out", value=name(v))]
                    out.append(make_node(gast.Expr, value=call))
                    read[target] = v
        dead = []
        for n in o.reads:
            if last.get(n) != i or n in kept or n in params or n not in buf_of:
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
