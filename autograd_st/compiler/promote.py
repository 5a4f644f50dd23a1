"""MindSpore's result dtypes in generated code: an operand that may be an integer or bool
array, of a binary operator that MindSpore computes in a float dtype, is cast first.

Takes: a normalized FuncIR, the kind of each of its argument leaves (``promotion.kind`` of
the value: "f" float, "i" integer, "b" bool array or numpy scalar, "p" a Python float, "n"
anything else) and of each of its inputs (a Parameter's or free Tensor's dtype: fixed while
the code is valid, since replacing the object compiles again).
Gives: that FuncIR itself when no operator needs a cast, or a copy in which each such
operand goes through ``ms_promote`` first (``t_cast = ms_promote(t, x, False)`` before
``y = x * t_cast``); callees likewise.  Each copy is cached on the FuncIR it was made
from, per kinds, so its compiled pairs are too.

How: a dtype-facts pass.  Each IR variable gets the set of kinds it may have, the union over
its definitions (the IR is in A-normal form: a variable is assigned once but at a branch's
merge and a loop's carried values; loops and calls are iterated to a fixpoint): the
arguments' and inputs' kinds, constants', and what each primitive makes of its operands'
(comparisons give bool arrays, ``argmax`` integers, ``x.shape`` Python ints, a
differentiable primitive of float arrays a float array; a primitive not listed here and
a value from run-time Python may be anything).  The rule itself (``promotion.cast_side``)
is the one Tensor's operators follow eagerly; here it is asked for every pair of kinds the
two operands may have, and ``ms_promote`` is put before an operand it may cast.  That
helper decides at run time, so a fact too coarse costs a call, never a wrong dtype.  Its
gradient casts back to the operand's dtype, as MindSpore's bprops do: the adjoint of
``x * t`` is ``g * t`` in ``x``'s dtype, and ``t``'s gradient is an int32 one.

Why at compile time: the FuncIR is shared by every dtype, but a gradient function is
compiled per kinds of its arguments (the cache key holds each argument's dtype kind,
``boundary.values.kind``), so the kinds are known when its code is built.  A program with
no integer arrays, or whose integer arrays only index, count or feed primitives that take
integers (benchmark W2's labels, a gather's indices), gets no ``ms_promote`` at all: its
FuncIR, its generated code and its per-call path are what they were.  A check after every
operator (``_ms_result`` as the eager operators did) would cost every program on every step
(0.23 us per operator measured for ``ms_promote`` where it casts nothing: a third of a
3-element float32 ``x * x``, and W1's whole gradient call is about 7 us).
Comparisons keep numpy's (the result is Bool either way).
"""
from __future__ import annotations

import builtins
import copy
import dataclasses
import itertools

import gast
import numpy as np

from .. import rules
from ..dtype import to_numpy
from ..promotion import cast_side
from ..promotion import kind as value_kind
from ..tensor import Tensor
from .cache import LOCK
from .ir import Call, Const, For, FuncIR, If, Opaque, Prim, Var, While, leaves

__all__ = ["promote_dtypes", "input_kinds"]

ALL = frozenset("fibpn")  # what a value of unknown kind may be
_F, _I, _B, _N = frozenset("f"), frozenset("i"), frozenset("b"), frozenset("n")
_NUMBERS = frozenset("pn")
_FLOATS = frozenset("fp")
_SAME = "same"  # (the cache entry of a FuncIR that needs no cast: the FuncIR itself)

_BOOL_OUT = frozenset((
    "equal", "not_equal", "greater", "greater_equal", "less", "less_equal", "logical_and",
    "logical_or", "logical_xor", "logical_not", "isnan", "isinf", "isfinite", "isclose",
    "all", "any", "comm_winner_mask"))
_INT_OUT = frozenset((
    "argmax", "argmin", "argsort", "sorted_order", "topk_indices", "nonzero", "searchsorted", "bincount",
    "max_pool2d_indices", "max_pool3d_indices", "adaptive_max_pool2d_indices",
    "adaptive_max_pool3d_indices", "lu_perm_index"))
_PY_OUT = frozenset(("shape", "ndim", "size", "dtype", "isinstance", "join_shapes",
                     "lin_shape", "lin_equation", "pad_widths", "chunk_step", "section_start",
                     "hstack_axis", "list_len", "list_sizes", "list_range"))
_FLOAT_OUT = frozenset(("dropout_mask", "reduction_share", "pool_matrix", "resize_matrix",
                        "quantile_frac"))
# the kind of the first parameter (views, copies, same-dtype makers, rounding of floats,
# a run-time list's items)
_AS_FIRST = frozenset((
    "copy", "load", "stop_gradient", "first_order", "first_order_value", "depend",
    "zeros_like", "ones_like", "getitem", "mp_cast", "assign", "floor", "ceil", "round",
    "trunc", "sign", "det_sign", "nextafter", "eye_like", "extreme_like", "uniform_noise", "resized",
    "list_getitem", "list_slice", "list_slice_between", "list_stack", "list_concat",
    "list_copy", "list_tuple", "list_split", "list_unstack", "list_unpack", "list_take"))
# differentiable primitives that move or pick elements: their operands' kinds (a bool mask
# reshaped is a bool mask)
_MOVES = frozenset((
    "reshape", "transpose", "broadcast_to", "expand_dims", "squeeze", "flatten", "flip",
    "roll", "tile", "repeat", "concat2", "moveaxis", "swapaxes", "take", "take_along",
    "tril", "triu", "diagonal", "atleast", "idx_put"))
_LIKE_OUT = {"cast_like": "like", "one_hot_like": "like", "soft_labels": "like",
             "class_targets": "like", "target_weights": "like"}
_DTYPE_ARG = {"astype": "dtype", "rand": "dtype", "full": "dtype", "eye": "dtype",
              "linspace": "dtype", "one_hot": "dtype"}
_OPAQUE_KINDS = frozenset(("unique", "unique_consecutive"))  # (their part may be counts)


def input_kinds(objects) -> tuple:
    """The kind of each input object (a Parameter, a Tensor, an array)."""
    return tuple(value_kind(o._data if isinstance(o, Tensor) else o) for o in objects)


def promote_dtypes(fir: FuncIR, arg_kinds, in_kinds) -> FuncIR:
    """``fir`` with ``ms_promote`` before each operand that MindSpore may cast (``fir`` itself
    when there is none), for arguments and inputs of these kinds (``promotion.kind``)."""
    return _promoted(fir, tuple(frozenset(k) for k in arg_kinds),
                     tuple(frozenset(k) for k in in_kinds), {})


# ---------------------------------------------------------------------------------------
# kinds: a fact is the set of kinds a value may have (None: no definition seen yet; the
# empty set: the items of a run-time list nothing was appended to yet)
# ---------------------------------------------------------------------------------------

def _join(a, b):
    if a is None:
        return b
    return a if b is None else a | b


def _possible(k) -> frozenset:
    return k or ALL


def _const_kind(value) -> frozenset:
    if isinstance(value, Tensor):
        value = value._data
    return frozenset(value_kind(value))


def _dtype_kind(value) -> frozenset:
    try:
        dt = np.dtype(value if isinstance(value, (str, np.dtype, type)) else to_numpy(value))
    except (TypeError, ValueError, KeyError, AttributeError):
        return ALL
    found = {"f": "f", "c": "f", "i": "i", "u": "i", "b": "b"}.get(dt.kind)
    return frozenset(found) if found else ALL


def _op_kind(ka: str, kb: str, true_div: bool) -> str:
    """The kind of ``a op b`` for one kind each, MindSpore's cast applied."""
    if ka == "f" or kb == "f" or cast_side(ka, kb, true_div):
        return "f"
    if ka in "ib" or kb in "ib":
        return "b" if ka == kb == "b" else "i"
    if true_div or ka == "p" or kb == "p":
        return "p"
    return "n"


def _casts(a: str, b: str, true_div: bool) -> bool:
    """Whether ``ms_promote`` casts an operand of kind ``a`` against one of kind ``b``."""
    side = cast_side(a, b, true_div)
    return side == "b" or (side == "float32" and a in "ib")


def _cast_needed(kx, ko, true_div: bool) -> bool:
    """Whether ``ms_promote`` may cast an operand of fact ``kx`` against one of ``ko``."""
    return any(_casts(a, b, true_div)
               for a, b in itertools.product(_possible(kx), _possible(ko)))


class _Facts:
    """The kinds of one FuncIR's variables for arguments and inputs of given kinds."""

    def __init__(self, fir, arg_kinds, in_kinds, memo) -> None:
        self.fir, self.memo = fir, memo
        self.arg_kinds, self.in_kinds = tuple(arg_kinds), tuple(in_kinds)
        self.kinds: dict = {}
        self.dtype_of: dict = {}  # a variable holding ``x.dtype`` -> the kinds of x
        for sym, k in zip(leaves(fir.args), arg_kinds):
            self.kinds[sym.var.name] = k
        for inp, k in zip(fir.inputs, in_kinds):
            self.kinds[inp.name] = k
        self.changed = True
        while self.changed:  # (a loop's carried values and a branch's merges: a fixpoint)
            self.changed = False
            self._block(fir.body)
        self.result = tuple(self.kinds.get(s.var.name) for s in leaves(fir.result))

    def atom(self, a):
        if isinstance(a, Var):
            return self.kinds.get(a.name)
        if isinstance(a, Const):
            return _const_kind(a.value)
        return ALL  # (a tuple of atoms)

    def _set(self, name, k) -> None:
        new = _join(self.kinds.get(name), k)
        if new != self.kinds.get(name):
            self.kinds[name] = new
            self.changed = True

    def _block(self, stmts) -> None:
        for s in stmts:
            if isinstance(s, Prim):
                k = self.prim_kind(s)
                for t in s.targets:
                    self._set(t, k if len(s.targets) == 1 else ALL)
            elif isinstance(s, Call):
                callee = self.callee(s)
                for t, k in zip(s.targets, callee.result):
                    self._set(t, k)
            elif isinstance(s, Opaque):
                k = self.opaque_kind(s.expr) if len(s.targets) == 1 else ALL
                for t in s.targets:
                    self._set(t, k)
            elif isinstance(s, If):
                self._block(s.body)
                self._block(s.orelse)
            elif isinstance(s, (For, While)):
                if isinstance(s, For):
                    self._set(s.target, _N)
                for header, atom in s.inits.items():
                    self._set(header, self.atom(atom))
                if isinstance(s, While):
                    self._block(s.cond_body)
                self._block(s.body)

    def opaque_kind(self, expr) -> frozenset:
        """What run-time Python gives: an item of a constant tuple or list of numbers
        (``self.coefs[k]``), ``float(...)``, ``int(...)``, ``len(...)``, ``bool(...)``."""
        if isinstance(expr, gast.Subscript) and isinstance(expr.value, gast.Name):
            seq = self.fir.consts.get(expr.value.id)
            if type(seq) in (tuple, list) and seq and all(
                    type(v) in (int, float, bool) for v in seq):
                return frozenset(value_kind(v) for v in seq)
        if isinstance(expr, gast.Call) and isinstance(expr.func, gast.Name):
            fn = self.fir.consts.get(expr.func.id, getattr(builtins, expr.func.id, None))
            if fn is float:
                return frozenset("p")
            if fn in (int, len, bool):
                return _N
        return ALL

    def callee(self, s: Call) -> "_Facts":
        args = tuple(self.atom(a) for a in s.args)
        ins = tuple(self.kinds.get(v) for v in s.extra_args)
        key = (id(s.callee), args, ins)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = _Facts(s.callee, args, ins, self.memo)
        return found

    def prim_kind(self, s: Prim):
        prim, args = s.prim, s.args
        name = prim.name
        if prim.promotes:
            kx, ky = self.atom(args["x"]), self.atom(args["y"])
            if kx is None or ky is None:
                return None
            return frozenset(_op_kind(a, b, name == "div")
                             for a, b in itertools.product(_possible(kx), _possible(ky)))
        if name == "ms_promote":
            kx, ko = self.atom(args["x"]), self.atom(args["other"])
            if kx is None or ko is None:
                return None
            true_div = bool(getattr(args["true_div"], "value", True))
            return frozenset("f" if _casts(a, b, true_div) else a
                             for a, b in itertools.product(_possible(kx), _possible(ko)))
        if name in _BOOL_OUT:
            ks = [_possible(self.atom(a)) for a in args.values()]
            arrays = any(k - _NUMBERS for k in ks)
            numbers = all(k & _NUMBERS for k in ks)
            return frozenset(("b" if arrays else "") + ("n" if numbers else ""))
        if name in _INT_OUT:
            return _I
        if name == "dtype":  # (the dtype of an array of these kinds: what full(..) makes)
            self.dtype_of[s.targets[0]] = _join(self.dtype_of.get(s.targets[0]),
                                                self.atom(args["x"]))
            return _N
        if name in _PY_OUT:
            return _N
        if name in _FLOAT_OUT:
            return _F
        if name == "list_new":
            return frozenset()
        if name in ("list_push", "list_front"):
            lst, x = self.atom(args["lst"]), self.atom(args["x"])
            return None if lst is None or x is None else lst | x
        if name in _AS_FIRST:
            return self.atom(args[prim.params[0]])
        if name in _LIKE_OUT:
            return self.atom(args[_LIKE_OUT[name]])
        if name == "int_like":  # (a mean: in the input's dtype when it is an integer one)
            ky, kx = self.atom(args["y"]), self.atom(args["x"])
            return ky if kx == _F else _I if kx == _I else ALL
        if name == "ms_one_hot":
            return _F if self.atom(args["on_value"]) in (_F, frozenset("p")) else ALL
        if name in _DTYPE_ARG:
            dtype = args.get(_DTYPE_ARG[name])
            if isinstance(dtype, Const):
                return _dtype_kind(dtype.value)
            of = self.dtype_of.get(dtype.name) if isinstance(dtype, Var) else None
            return of if of and of <= frozenset("fib") else ALL
        if not prim.diff or name in _OPAQUE_KINDS:
            return ALL
        # a differentiable primitive: a float array of float arrays (and numbers, masks)
        ks = [self.atom(args[p]) for p in prim.diff]
        if None in ks:
            return None
        if name in _MOVES:
            return frozenset().union(*ks) or ALL
        if all(k and k <= frozenset("fpnb") for k in ks) and any(k & _FLOATS for k in ks):
            return _F  # (np.cos of a Python float is a numpy float too)
        return ALL


# ---------------------------------------------------------------------------------------
# the rewrite
# ---------------------------------------------------------------------------------------

def _promoted(fir, arg_kinds, in_kinds, memo) -> FuncIR:
    key = ("ms_promote", arg_kinds, in_kinds)  # (frozensets: hashable, equal by content)
    with LOCK:
        found = fir.pairs.get(key)
    if found is None:
        facts = _Facts(fir, arg_kinds, in_kinds, memo)
        made = _Rewrite(fir, facts, memo).function()
        with LOCK:
            found = fir.pairs.setdefault(key, _SAME if made is fir else made)
    return fir if found is _SAME else found


class _Rewrite:
    def __init__(self, fir, facts, memo) -> None:
        self.fir, self.facts, self.memo = fir, facts, memo
        self.names = None  # (a copy of the FuncIR's names, made at the first cast)
        self.new_vars: list = []

    def function(self) -> FuncIR:
        body = self.block(self.fir.body)
        if body is self.fir.body:
            return self.fir
        return dataclasses.replace(
            self.fir, body=body, names=self.names or self.fir.names,
            ir_vars=set(self.fir.ir_vars) | set(self.new_vars), pairs={})

    def block(self, stmts) -> list:
        out, changed = [], False
        for s in stmts:
            new = self.stmt(s)
            if new is None:
                out.append(s)
            else:
                out.extend(new)
                changed = True
        return out if changed else stmts

    def stmt(self, s):
        """The statements ``s`` becomes, or None when it stays as it is."""
        if isinstance(s, Prim) and s.prim.promotes:
            return self.operator(s)
        if isinstance(s, Prim) and s.prim is _SUM \
                and "i" in _possible(self.facts.atom(s.args["x"])):
            return self.integer_sum(s)
        if isinstance(s, Call):
            callee = self.facts.callee(s)
            new = _promoted(s.callee, callee.arg_kinds, callee.in_kinds, self.memo)
            return None if new is s.callee else [dataclasses.replace(s, callee=new)]
        if isinstance(s, If):
            body, orelse = self.block(s.body), self.block(s.orelse)
            if body is s.body and orelse is s.orelse:
                return None
            return [dataclasses.replace(s, body=body, orelse=orelse)]
        if isinstance(s, For):
            body = self.block(s.body)
            return None if body is s.body else [dataclasses.replace(s, body=body)]
        if isinstance(s, While):
            cond_body, body = self.block(s.cond_body), self.block(s.body)
            if cond_body is s.cond_body and body is s.body:
                return None
            return [dataclasses.replace(s, cond_body=cond_body, body=body)]
        return None

    def operator(self, s: Prim):
        x, y = s.args["x"], s.args["y"]
        kx, ky = self.facts.atom(x), self.facts.atom(y)
        true_div = s.prim.name == "div"
        out, args = [], dict(s.args)
        for param, atom, k, other, ko in (("x", x, kx, y, ky), ("y", y, ky, x, kx)):
            if _cast_needed(k, ko, true_div):
                t = self.fresh(atom)
                out.append(Prim([t], _MS_PROMOTE, {"x": atom, "other": other,
                                                   "true_div": Const(true_div)}, s.loc))
                args[param] = Var(t)
        if not out:
            return None
        return out + [dataclasses.replace(s, args=args)]

    def integer_sum(self, s: Prim):
        """``t = sum(x)`` of an ``x`` that may be an integer array: numpy's sum, then cast as
        the eager sum casts (``promotion.int_result``: a uint8 ``x``'s is int64)."""
        (t,) = s.targets
        raw = self.fresh(Var(t), "_numpy")
        return [dataclasses.replace(s, targets=[raw]),
                Prim([t], _INT_LIKE, {"y": Var(raw), "x": s.args["x"], "how": Const("sum")},
                     s.loc)]

    def fresh(self, atom, suffix="_cast") -> str:
        """A new name for ``atom`` cast: ``t_cast`` for a variable ``t`` (the name a reader
        finds in the dump and its adjoint ``d_t_cast``), ``_cast`` for a constant."""
        if self.names is None:
            self.names = copy.deepcopy(self.fir.names)
        base = atom.name.lstrip("_") if isinstance(atom, Var) else ""
        t = self.names.fresh(base + suffix if base else suffix)
        self.new_vars.append(t)
        return t


_MS_PROMOTE = rules.get("ms_promote")
_SUM, _INT_LIKE = rules.get("sum"), rules.get("int_like")
