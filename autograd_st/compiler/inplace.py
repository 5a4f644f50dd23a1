"""In place: a generated function's elementwise temporaries written into arrays nobody holds.

Takes: a lowered generated function (gast ``FunctionDef``, after ``lower._free_dead``) and the
module's :class:`~autograd_st.compiler.names.NameAllocator`.
Gives: the same function, in place, which, when its arguments are float arrays of at least
one dimension (``inplace_ok(x, ...)``, one check per call), runs a copy of its body in which
an elementwise operation (``+ - * /``, unary ``-``, the numpy ufuncs of :data:`UFUNCS`)
writes its result into one of its operands (``np.multiply(a, b, out=a)``, ``d += e``) instead
of a new array, where that operand is

- an array this body made itself, of the same shape and dtype as the result: derived from
  one argument only by these operations and Python numbers (a float array ``x`` gives
  ``np.sin(x)``, ``x * 0.9``, ``x + x``... of ``x``'s shape and dtype: numpy 2 casts a Python
  number to the array's dtype), and
- read by nothing afterwards: no name bound to it (``d_b = d_h`` binds two) is read by a
  later statement or elsewhere in the statement, and it was never handed to anything else
  (a call that may keep it, a container, a return).

Any other argument (a 0-d array, whose ufunc results are numpy scalars; an integer array;
a Python number) runs the original body, unchanged, after the check.  Values are the same
bits either way (a ufunc with ``out=`` runs the loop it runs without).  In that branch a
Python number an operation reads is a 0-d array of its array operand's dtype, made once per
dtype (``x_0_9, = numbers_as(x, (0.9,))``: the number numpy 2 casts it to, without numpy's
conversion of a Python scalar, about 0.3 us of a 0.7 us multiply on a thousand floats).  A
function with fewer than :data:`MIN_SAVED` operations to save is left as it was.
"""
from __future__ import annotations

import bisect

import gast

from .codegen import comment, is_comment, name
from .trees import load_store_names, name_ids

__all__ = ["inplace", "UFUNCS"]

UFUNCS = frozenset({
    "sin", "cos", "tan", "tanh", "sinh", "cosh", "exp", "expm1", "log", "log1p", "sqrt",
    "negative", "abs", "absolute", "square", "reciprocal", "arctan", "arcsin", "arccos",
    "add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum"})
_BINOPS = {gast.Add: "add", gast.Sub: "subtract", gast.Mult: "multiply", gast.Div: "divide"}
_NUMBER = (int, float)
MIN_SAVED = 6  # operations saved (an allocation or a number's conversion each) to pay off


class _Buf:
    """One array the body made: ``like`` is the argument it has the shape and dtype of."""
    __slots__ = ("like", "escaped")

    def __init__(self, like) -> None:
        self.like = like
        self.escaped = False


def _const_label(value) -> str:
    text = repr(value).replace("-", "m").replace(".", "_").replace("+", "")
    return text if text.replace("_", "").isalnum() else "const"


def _np_call(fn: str, args: list) -> gast.Call:
    return gast.Call(func=gast.Attribute(value=name("np"), attr=fn, ctx=gast.Load()),
                     args=args, keywords=[])


def _is_number(node) -> bool:
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, (gast.USub, gast.UAdd)):
        node = node.operand
    return isinstance(node, gast.Constant) and type(node.value) in _NUMBER


def _ufunc_of(node):
    """``(ufunc name, operands)`` when ``node`` is one elementwise operation, else None."""
    if isinstance(node, gast.BinOp) and type(node.op) in _BINOPS:
        return _BINOPS[type(node.op)], [node.left, node.right]
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub) \
            and not _is_number(node):
        return "negative", [node.operand]
    if isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute) \
            and isinstance(node.func.value, gast.Name) and node.func.value.id == "np" \
            and node.func.attr in UFUNCS and not node.keywords \
            and 1 <= len(node.args) <= 2 and not any(isinstance(a, gast.Starred)
                                                     for a in node.args):
        return node.func.attr, list(node.args)
    return None


class _Rewriter:
    def __init__(self, params, names) -> None:
        self.params = set(params)
        self.names = names
        self.pre: list = []  # statements hoisted out of the current one (its temporaries)
        self.hoisted: list = []  # their names, deleted after the statement
        self.consts: dict = {}  # (argument, number) -> the name of its 0-d array
        self.env: dict = _Env()  # name -> _Buf (an array this body made) or a param name
        self.used: set = set()  # the arguments a rewrite relies on
        self.count = 0  # operations written in place
        self.const_uses = 0  # numbers read as 0-d arrays

    # -- what an expression is: ("param", p), ("buf", _Buf), ("num",), or None ----------

    def _kind(self, node):
        if isinstance(node, gast.Name):
            v = self.env.get(node.id)
            if v is None and node.id in self.params and node.id not in self.env:
                return ("param", node.id)
            if isinstance(v, _Buf):
                return ("buf", v)
            if isinstance(v, str):
                return ("param", v)
            return None
        return ("num",) if _is_number(node) else None

    def _escape(self, node) -> None:
        loads: set = set()
        load_store_names(node, loads, set())
        for n in loads:
            v = self.env.get(n)
            if isinstance(v, _Buf):
                v.escaped = True

    # -- one expression: returns (new node, like or None, fresh temp _Buf or None) -------

    def expr(self, node, live, counts, target=None):
        """Rewrite ``node``; ``live``: the bufs still read after this statement; ``counts``:
        how many times names holding each buf occur in the statement; ``target``: the name the statement
        binds (the outermost operation writes into that operand first: ``d += e``)."""
        op = _ufunc_of(node)
        if op is None:
            if isinstance(node, gast.Name):
                k = self._kind(node)
                like = k[1] if k and k[0] == "param" else (k[1].like if k and k[0] == "buf"
                                                          else None)
                return node, like, None
            if _is_number(node):
                return node, "num", None
            self._escape(node)
            return node, None, None
        fn, operands = op
        new, likes, temps = [], [], []
        for a in operands:
            a2, like, temp = self.expr(a, live, counts)
            new.append(a2)
            likes.append(like)
            temps.append(temp)
        arrays = {lk for lk in likes if lk != "num"}
        if len(arrays) != 1 or None in arrays:
            for a in operands:
                self._escape(a)
            return node, None, None
        like = arrays.pop()
        for i, lk in enumerate(likes):
            if lk == "num":
                new[i] = self._const(like, new[i])
        # the operand to write into: the statement's target (``d += e``), a temporary of
        # this statement already written in place, an array no name reads after this
        # operation, or a new temporary of this statement (named to be written)
        out = out_node = None
        for a in sorted(operands, key=lambda b: not (isinstance(b, gast.Name)
                                                     and b.id == target)):
            if isinstance(a, gast.Name):
                k = self._kind(a)
                if k and k[0] == "buf" and k[1].like == like and not k[1].escaped \
                        and k[1] not in live and counts.get(id(k[1]), 0) == \
                        sum(1 for b in operands if isinstance(b, gast.Name)
                            and self.env.get(b.id) is k[1]):
                    if a.id == target or not any(isinstance(n, _OutCall) for n in new):
                        out, out_node = k[1], a
                    break
        if out is None:
            out = next((t for t in temps if t is not None and t.like == like), None)
            if out is not None:
                i = temps.index(out)
                if isinstance(new[i], _OutCall):  # it lives in the array that call writes
                    out_node = new[i].out
                else:  # a new array: named by a statement of its own, so that it can be out
                    tmp = self.names.fresh("tmp")
                    self.pre.append(gast.Assign(targets=[name(tmp, True)],
                                                value=_build(new[i]), type_comment=None))
                    self.hoisted.append(tmp)
                    new[i] = out_node = name(tmp)
        if out is None:  # a new array: this statement's temporary
            return self._plain(node, fn, new), like, _Buf(like)
        self.used.add(like)
        self.count += 1
        return _OutCall(fn, new, out_node), like, out

    def _const(self, like, node):
        """The name of Python number ``node`` as a 0-d array of argument ``like``'s dtype (the
        number numpy 2 would cast it to; an array operand skips numpy's conversion of a
        Python scalar, a third of a small operation's time)."""
        value = node.value if isinstance(node, gast.Constant) else node.operand.value
        if isinstance(node, gast.UnaryOp) and isinstance(node.op, gast.USub):
            value = -value
        key = (like, type(value), value)
        self.const_uses += 1
        if key not in self.consts:
            self.consts[key] = self.names.fresh("%s_%s" % (like, _const_label(value)))
        return name(self.consts[key])

    @staticmethod
    def _plain(node, fn, new):
        if isinstance(node, gast.BinOp):
            return gast.BinOp(left=new[0], op=node.op, right=new[1])
        if isinstance(node, gast.UnaryOp):
            return gast.UnaryOp(op=node.op, operand=new[0])
        return _np_call(fn, new)


class _OutCall:
    """A placeholder: ``np.<fn>(*args, out=out)``, built into gast once the target is known."""
    __slots__ = ("fn", "args", "out")

    def __init__(self, fn, args, out) -> None:
        self.fn, self.args, self.out = fn, args, out


_AUG = {"add": gast.Add, "subtract": gast.Sub, "multiply": gast.Mult, "divide": gast.Div}


def _build(node, target=None):
    """The gast of a rewritten expression (``_OutCall`` nodes made real); an outermost
    ``t = np.add(t, e, out=t)`` is ``t += e``."""
    if isinstance(node, _OutCall):
        args = [_build(a) for a in node.args]
        if target is not None and node.fn in _AUG and isinstance(args[0], gast.Name) \
                and args[0].id == target == node.out.id:  # (out: always a Name)
            return gast.AugAssign(target=name(target, True), op=_AUG[node.fn](),
                                  value=args[1])
        call = _np_call(node.fn, args)
        call.keywords = [gast.keyword(arg="out", value=name(node.out.id))]
        return call
    if isinstance(node, gast.BinOp):
        return gast.BinOp(left=_build(node.left), op=node.op, right=_build(node.right))
    if isinstance(node, gast.UnaryOp):
        return gast.UnaryOp(op=node.op, operand=_build(node.operand))
    if isinstance(node, gast.Call):
        node.args = [_build(a) for a in node.args]
    return node


class _Env(dict):
    """``name -> _Buf or param name`` that also knows which names hold each _Buf."""

    def __init__(self) -> None:
        super().__init__()
        self.holders: dict = {}  # id(_Buf) -> {names}

    def __setitem__(self, name, value) -> None:
        old = self.get(name)
        if isinstance(old, _Buf):
            self.holders[id(old)].discard(name)
        super().__setitem__(name, value)
        if isinstance(value, _Buf):
            self.holders.setdefault(id(value), set()).add(name)


def _read_after(name, k, reads, kills) -> bool:
    """Whether ``name`` is read after statement ``k`` before an assignment rebinds it (a
    statement that reads and rebinds it reads it first)."""
    at = reads.get(name)
    if not at:
        return False
    i = bisect.bisect_right(at, k)
    if i == len(at):
        return False
    bound = kills.get(name)
    if not bound:
        return True
    j = bisect.bisect_right(bound, k)
    return j == len(bound) or at[i] <= bound[j]


class _LiveBufs:
    """The bufs some name other than ``target`` still reads after statement ``k``, asked
    one buf at a time (``buf in live``)."""

    __slots__ = ("env", "reads", "kills", "k", "target")

    def __init__(self, env, reads, kills, k, target) -> None:
        self.env, self.reads, self.kills, self.k, self.target = env, reads, kills, k, target

    def __contains__(self, buf) -> bool:
        return any(n != self.target and _read_after(n, self.k, self.reads, self.kills)
                   for n in self.env.holders.get(id(buf), ()))


def inplace(fdef, names, found=None) -> None:
    """Give ``fdef`` (a lowered generated function) its in-place fast path, when it has one;
    ``names`` gives the fresh names of temporaries; ``found``: ``(loads, stores)``, the sets
    of names each top-level statement reads and binds, when the caller has them."""
    params = [a.id for a in fdef.args.args]
    body = fdef.body
    if not params or fdef.args.vararg or fdef.args.kwarg or not body \
            or not isinstance(body[-1], gast.Return):
        return
    if found is None:
        loads, stores = [], []
        for st in body:
            ld, sd = set(), set()
            load_store_names(st, ld, sd)
            loads.append(ld)
            stores.append(sd)
    else:
        loads, stores = found
    # where each name is read and where an assignment rebinds it: whether a name is read
    # after a statement is then two bisections (straight-line liveness; a set of the live
    # names per statement would make a long function's pass quadratic)
    reads: dict = {}
    kills: dict = {}
    for k, st in enumerate(body):
        for n in loads[k]:
            reads.setdefault(n, []).append(k)
        if isinstance(st, gast.Assign):
            for n in stores[k]:
                kills.setdefault(n, []).append(k)
    rw = _Rewriter(params, names)
    out_body = []
    for k, st in enumerate(body):
        if is_comment(st) or isinstance(st, gast.Delete):
            out_body.append(st)
            continue
        if isinstance(st, gast.Assign) and len(st.targets) == 1 \
                and isinstance(st.targets[0], gast.Name):
            target = st.targets[0].id
            # (the target's binding after the statement is the new one)
            live_bufs = _LiveBufs(rw.env, reads, kills, k, target)
            if isinstance(st.value, gast.Name):  # an alias: both names hold one array
                k2 = rw._kind(st.value)
                rw.env[target] = k2[1] if k2 else None
                out_body.append(st)
                continue
            counts: dict = {}  # id(_Buf) -> how many names in the statement hold it
            env = rw.env
            for n in name_ids(st.value):
                v = env.get(n)
                if v.__class__ is _Buf:
                    counts[id(v)] = counts.get(id(v), 0) + 1
            rw.pre, rw.hoisted = [], []
            value, like, buf = rw.expr(st.value, live_bufs, counts, target)
            out_body.extend(rw.pre)
            if isinstance(value, _OutCall):
                new = _build(value, target)
                out_body.append(new if isinstance(new, gast.AugAssign) else
                                gast.Assign(targets=st.targets, value=new, type_comment=None))
            else:
                out_body.append(gast.Assign(targets=st.targets, value=_build(value),
                                            type_comment=None)
                                if value is not st.value else st)
            rw.env[target] = buf if like not in (None, "num") and buf is not None else None
            if rw.hoisted:
                out_body.append(gast.Delete(targets=[gast.Name(id=t, ctx=gast.Del(), annotation=None,
                                                          type_comment=None)
                                                 for t in rw.hoisted]))
            continue
        # anything else (a return, a branch, a call for its effect): what it reads escapes,
        # what it binds is unknown
        rw._escape(st)
        for n in stores[k]:
            rw.env[n] = None
        out_body.append(st)
    # worth its check (about two operations' time) and its 0-d arrays (one each)?
    if rw.count + rw.const_uses - len(rw.consts) < MIN_SAVED:
        return
    used = [p for p in params if p in rw.used or any(k[0] == p for k in rw.consts)]
    consts = []
    for p in used:  # x_0_9, x_1 = numbers_as(x, (0.9, 1))
        mine = [(v, n) for (q, _, v), n in rw.consts.items() if q == p]
        if mine:
            consts.append(gast.Assign(
                targets=[gast.Tuple(elts=[name(n, True) for _, n in mine], ctx=gast.Store())],
                value=gast.Call(func=name("numbers_as"), args=[
                    name(p), gast.Tuple(elts=[gast.Constant(value=v, kind=None)
                                              for v, _ in mine], ctx=gast.Load())],
                    keywords=[]),
                type_comment=None))
    note = "%s float arrays: the temporaries below are written in place" % ", ".join(used)
    if consts:
        note += "; numbers are 0-d arrays of their dtype"
    check = gast.If(test=gast.Call(func=name("inplace_ok"), args=[name(p) for p in used],
                                   keywords=[]),
                    body=[comment(note)] + consts + out_body, orelse=[])
    fdef.body = [check] + body


def is_fast_path(stmt) -> bool:
    """``stmt`` is the ``if inplace_ok(...)`` branch :func:`inplace` puts first."""
    return isinstance(stmt, gast.If) and isinstance(stmt.test, gast.Call) \
        and isinstance(stmt.test.func, gast.Name) and stmt.test.func.id == "inplace_ok"
