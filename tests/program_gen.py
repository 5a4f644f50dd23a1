"""Random well-formed programs for autograd_st, and the checks run on each.

``programs()`` is a hypothesis strategy giving :class:`Program` objects: the Python source of
a module that defines either a function ``f(x0, ...)`` or a Cell ``Net`` (with Parameters,
some ``requires_grad=False``, and sub-Cells), plus module-level helper functions, all written
in the subset the compiler differentiates:

* straight-line code over ``+ - * /``, ``**``, ``ops.sin/cos/tanh/sigmoid/exp/square``,
  ``ops.stop_gradient``, sums and means (``ops.sum``, ``ops.mean``, ``ops.reduce_sum``,
  ``Tensor.sum/mean``, with ``axis`` and ``keepdims``), ``@`` / ``ops.matmul``;
* broadcasting shapes ``()``, ``(3,)``, ``(1, 3)``, ``(2, 1)``, ``(2, 3)`` (and ``(3, 3)``
  matrices for matmul);
* reassignment (also of arguments) and augmented assignment;
* ``if`` / ``elif`` / ``else`` on tensor values (``if ops.sum(v) > c:``), on the loop index;
* ``for i in range(k)`` (``k`` a constant or ``v.shape[0]``) carrying variables, with
  ``break`` / ``continue`` on tensor conditions;
* ``while`` loops with a counter and a tensor condition (``while n < K and ...``, or
  ``while ...: ... if n >= K: break``);
* calls to helper functions (which may call each other and hold loops) and sub-Cells.

and, each behind a *feature* of :data:`FEATURES` (``programs(features=...)``; a feature that
main does not support yet, or gets wrong, is off by default, with what it waits for):

* ``seq_loop``: tuples and lists built in a loop (``ys = ys + (e,)``, ``ys.append(e)``), read
  back by index, ``ops.stack``, ``sum(ys)``, ``len(ys)``, and looped over;
* ``subscript_set``: ``v[i] = e`` and ``v[i] += e`` on a Tensor just made (a basic index);
* ``seq_runtime``: those loops over ``range(n)`` with ``n`` a shape entry (``n, = x.shape``:
  a trip count known only at run time), so the tuple or list is a run-time list;
* ``list_alias``: such a list appended to another way than by its name (``push =
  ys.append``, ``getattr(ys, 'append')(e)``, ``list.append(ys, e)``, a nested ``def`` with
  the list as a default argument);
* ``seq_comp``: list comprehensions and generator expressions over ranges, constants, built
  sequences, captured lists and ``CellList``\\ s (``sum(ops.sum(w ** 2) for w in ...)``);
* ``param_list``: loops over a captured list of Parameters or Tensors (a module-level list,
  a Cell attribute list or ``ParameterTuple``): ``for w in decay: l2 = l2 + ops.sum(w ** 2)``;
  a function reading a module-level list of Parameters is differentiated with respect to it;
* ``cell_list`` / ``cell_list_index``: ``for layer in self.layers`` over an ``nn.CellList``,
  and ``self.layers[i](x)`` with a loop counter;
* ``const_seq``: constant sequences indexed by a loop counter (``self.coefs[k]``, ``KS0[i]``);
* ``shape_unpack``: ``b, s = x.shape`` (``n, = x.shape``), used as Python numbers (operands,
  divisors, ``range`` bounds);
* ``struct_args`` / ``struct_out``: tuple, list, dict and nested arguments (gradients come back
  in the argument's structure) and outputs (``struct_out_list``: with lists in them;
  ``struct_out_early``: dicts and lists returned early, too);
* ``seq_iter`` / ``seq_stop``: loops and comprehensions over a built sequence, and
  ``ops.stop_gradient`` of its items;
* ``kwargs``: helpers and sub-Cells with default and keyword arguments (numbers and flags;
  ``kwargs_reorder``: keywords out of the parameters' order);
* ``closures``: lambdas and nested ``def``\\ s (with defaults) inside the function, capturing
  its tensors;
* ``effects``: ``CALLS.append((tag, k))`` on a module-level list, ``print(tag, k)`` to stdout
  and to a module-level ``io.StringIO`` (``effects_index``: ``k`` a loop counter or a
  number the program computed): checked to happen the same number of times, in the same order,
  in every gradient call as in the direct call (``effects_second``: ``ops.grad(ops.grad(.))``'s
  call too);
* ``mutation``: numbers, flags and loop counts read through mutable objects (a module's
  attribute ``cfg.S0``, a namespace's ``opts.S1``, a list element ``COEFS[1]``, a loop over
  ``COEFS`` that grows, a Cell attribute ``self.m2``), changed between calls: the next call of
  the *same* gradient function must see the new values;
* ``varargs``: ``def f(x0, *xs)``, ``def f(x0, x1, *, k=0.5)``, ``def f(x0, **kw)`` (and
  ``construct``), helpers and sub-Cells ``(a, *rest, scale=..)`` (``rest[k]``, loops over
  ``rest``, ``len(rest)``), ``(a, *, b)`` and ``(a, **kw)`` (``kw['b']``, ``kw.get(..)``);
* ``split_parts``: ``ops.split(v, 1, 0)``, ``ops.unstack``, ``ops.unbind``, ``v.split``,
  ``ops.Split(0, v.shape[0])``: a run-time list of parts, unpacked, indexed
  (``ps[len(ps) - 1]``), ``ops.stop_gradient(ps[k])``, looped over, mapped by a loop and
  stacked or concatenated back;
* ``user_prim`` / ``cell_bprop``: a ``PrimitiveWithInfer`` with ``get_bprop`` or
  ``@bprop_getters.register``, a Cell with a ``bprop`` method (module-level instances, and
  Net attributes), called like helpers (their bprops are the true derivatives);
* ``hypermap``: ``C.HyperMap()`` over a ``C.MultitypeFuncGraph`` (Tensor, Tensor and Number,
  Tensor registrations), ``C.HyperMap(MT)``, ``F.partial(MT, c)``;
* ``inner_grad``: ``ops.grad`` / ``value_and_grad`` (``has_aux=True`` too, of a module-level
  function returning ``(loss, aux)``) / ``GradOperation()`` (a Cell attribute too) taken
  inside the program of a loop-free helper or sub-Cell: second order;
* ``aux_out``: the program returns ``(loss, aux...)``, checked with ``has_aux=True``;
  ``grad_pos``: ``grad_position`` a subset of the arguments (an int or a tuple);
* ``nested_layers``: CellList layers holding a sub-Cell of their own, SequentialCells in a
  CellList; ``while_exit``: ``while True:`` with a counter's break and break / continue on
  tensor values (also ``float(ops.stop_gradient(..))``, ``.item()``);
* ``star_call``: ``t = (a, b); v = helper(*t)`` (a tuple the program built; helpers and
  sub-Cells), a Cell ``FwdK`` whose ``construct(self, *inputs)`` returns
  ``self.sub(*inputs)``, ``ops.add(*[a, b])``;
* ``hooks``: ``v.register_hook(hook)`` right after ``v = <an operator or math op>`` (at the
  top level, in a branch, in a loop body; in f, construct, helpers and sub-Cells): the
  HEADER's ``_keep`` (``return g``) or ``_pass`` (``return None``), a lambda reading no local
  variable, a nested ``def`` (placed before the assignment).  A hooked value is never given
  to a gradient function the program calls (the direct call runs it eagerly: refused by
  design), no second derivative is checked and no gradient taken inside through a hook
  (refused: tests/test_gen4_regressions.py);
* ``ms_mutable``: ``ms.mutable(v)`` around values, ``a, b = ms.mutable((e1, e2))``.
* ``minmax``: the builtins ``max(a, b)`` / ``min(a, b)`` of two scalar tensors (the gradient
  goes to the one chosen; the probe rejects a program whose two come within ``MARGIN``);
* ``rows``: loops and comprehensions over a value's rows: ``for r in v``,
  ``enumerate(v)``, ``zip(v, w)`` (two values' rows, the shorter count),
  ``enumerate(zip(v, w))``, ``zip(v, (c0, c1))`` (a sequence of numbers), ``reversed(v)``,
  ``ops.stack([.. for r in v])``;
* ``starred``: ``a, *rest = ys`` / ``*init, last = ys`` of a built sequence (a run-time list
  too: its length checked when the code runs), ``[*ys, e]`` / ``(*ys, e)`` displays;
* ``loop_local``: a name first bound in a ``for`` loop over a constant range (at least one
  iteration, no ``break`` before it), read after the loop (the last iteration's value);
* ``recursion``: a helper ``rec(a, depth=D)`` that calls itself with ``depth - 1`` down to
  its base case (each depth compiled on its own), called like the other helpers;
* ``loop_else``: a ``for`` or ``while`` loop with an ``else:`` that assigns one carried value
  (it runs when the loop ends without a ``break``: after a break on a tensor condition it
  does not).
  (``Cell.to_float(ms.float16)`` is not generated: the checks compare float64 values with
  finite differences, which float16 cannot meet.)

Values are kept away from singularities by construction: every expression carries an upper
bound on its magnitude (inputs and Parameters are in [-1.5, 1.5]); ``exp`` only sees
arguments bounded by 2, denominators are ``1.5 + sigmoid(.)``, ``2 + cos(.)``, ``exp(.)`` or a
Python number known to be at least 0.25 in magnitude, and anything whose bound grows past a
limit is squashed (``tanh``) or scaled down.  Loops keep an invariant bound on what they carry.
There are no kinks (no abs/relu/max); the only non-smooth points are branch conditions, and
those are checked at run time: a "probe" copy of the module records how far every tensor
condition is from its threshold (before and after the program's mutations), and a program
whose condition comes within ``MARGIN`` of flipping is rejected.

``check_program(program, directory)`` writes the module, imports it (the compiler reads the
source through ``inspect``/``linecache``) and runs :func:`run_checks`, four ways:

1. values: ``value_and_grad``'s value (and ``jvp``'s output) equal the direct call's, in the
   same structure;
2. gradients: with respect to every input leaf (and trainable Parameter, or the function's
   module-level Parameters) against float64 central differences taken at two steps, ``h`` and
   ``h / 2``, and their Richardson extrapolation: a gradient passes where it agrees with one of
   the three (an estimate too curved for the larger step is caught by the others); where they
   disagree among themselves as well the differences cannot judge, and the program is
   rejected, not failed.  A second gradient API against the first; for some programs
   ``ops.jvp`` against directional differences and ``ops.grad(ops.grad(.))`` against
   differences of the gradient (functions with loops must be refused with
   ``UnsupportedSyntaxError`` or be right);
3. side effects: every gradient call appends and prints exactly what the direct call does, in
   the same order;
4. mutation: after the program's mutable values change, the gradient function made before the
   change gives the direct call's value and the differences' gradient at the new values (and a
   fresh one agrees); changed back, it gives the first answers again.

``repro_script(program, error)`` gives a standalone script (the program, its inputs and the
checker's source) that reproduces a failure: ``python repro.py``.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib
import inspect
import io
import itertools
import os
import re
import sys
import textwrap

import numpy as np
from hypothesis import strategies as st

__all__ = ["Program", "programs", "check_program", "run_checks", "repro_script",
           "ProgramRejected", "ProgramFailure", "MARGIN", "FEATURES", "DEFAULT_FEATURES",
           "ALL_FEATURES", "parse_features"]

# =========================================================================================
# features
# =========================================================================================

# feature -> None where the compiler on main supports it (on by default), else what it waits
# for (off by default: ``programs(features=...)`` or ``tools/soak.py --features`` turns it on)
FEATURES = {
    # on main (i12-containers, i12-guards, i12-structure merged)
    "kwargs": None,
    "cell_list": None,
    "cell_list_index": None,
    "param_list": None,
    "seq_loop": None,
    "seq_comp": None,
    "const_seq": None,
    "shape_unpack": None,
    "closures": None,
    "struct_args": None,
    "struct_out": None,
    "struct_out_list": None,
    "effects": None,
    "mutation": None,
    "struct_out_early": None,
    "seq_iter": None,
    "seq_stop": None,
    "kwargs_reorder": None,
    "effects_index": None,
    "effects_second": None,
    "list_alias": None,  # ys.append reached through an alias (push = ys.append, getattr, ...)
    # gen-more: the newer patterns
    "varargs": None,        # *args / keyword-only / **kwargs in f, construct, helpers, Cells
    "split_parts": None,    # ops.split / unstack / unbind / Split(axis, x.shape[k]) parts
    "user_prim": None,      # PrimitiveWithInfer with get_bprop / bprop_getters
    "cell_bprop": None,     # a sub-Cell with its own bprop
    "hypermap": None,       # C.HyperMap over a C.MultitypeFuncGraph, F.partial
    "inner_grad": None,     # ops.grad / value_and_grad / GradOperation / has_aux inside
    "aux_out": None,        # the program returns (loss, aux...), checked with has_aux=True
    "grad_pos": None,       # grad_position a subset of the arguments (an int or a tuple)
    "nested_layers": None,  # CellList layers holding sub-Cells, SequentialCells in CellLists
    "while_exit": None,     # while True with break / continue on tensor (and float) values
    # gen4: today's compiler features
    "star_call": None,      # helper(*t) of a built tuple, construct(self, *inputs) passing
                            # self.sub(*inputs), ops.add(*[a, b])
    "hooks": None,          # v.register_hook(_keep / _pass / a nested def / a lambda)
    "ms_mutable": None,     # ms.mutable(v), a, b = ms.mutable((e1, e2)) (the identity)
    # stop 16
    "checks": None,         # if v.ndim != k: raise ValueError(...) / assert v.ndim == k, "..."
                            # on a runtime value, never failing (the generated code's raise_error)
    # stop 17
    "subscript_set": None,  # v[i] = e / v[i] += e on a new Tensor (a basic index)
    "seq_runtime": None,    # seq_loop's tuples and lists grown in a loop over range(n), n a
                            # shape entry (a trip count known only at run time: run-time lists)
    # stop 20
    "comp_runtime": None,   # comprehensions over range(n), n a shape entry, and generators /
                            # sum / ops.stack over run-time lists (bound as their loops)
    # stop 21
    "minmax": None,         # max(a, b) / min(a, b) of two scalar tensors (the builtins)
    "rows": None,           # for r in v / enumerate(v) / zip(v, w) / zip(v, numbers) /
                            # reversed(v) / comprehensions over a value's rows
    "starred": None,        # a, *rest = ys / *init, last = ys, [*ys, e] / (*ys, e)
    "loop_local": None,     # a name first bound in a for loop over a constant range (at
                            # least one iteration) and read after the loop
    "recursion": None,      # rec(a, depth=D) calling itself down to depth 0 (per depth)
    # stop 22
    "loop_else": None,      # for / while ... else: one carried value assigned in the else
}
DEFAULT_FEATURES = frozenset(name for name, waits in FEATURES.items() if waits is None)
ALL_FEATURES = frozenset(FEATURES)


def parse_features(text):
    """``"default"``, ``"all"``, ``"none"``, or a comma list of names, each added (``name`` or
    ``+name``) to or taken (``-name``) from the default set."""
    out = set(DEFAULT_FEATURES)
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if part in ("default", "all", "none"):
            out = set({"default": DEFAULT_FEATURES, "all": ALL_FEATURES, "none": ()}[part])
            continue
        name = part.lstrip("+-")
        if name not in FEATURES:
            raise ValueError("unknown feature %r (features: %s)" % (name, ", ".join(FEATURES)))
        (out.discard if part.startswith("-") else out.add)(name)
    return frozenset(out)


# =========================================================================================
# shapes and bounds
# =========================================================================================

SHAPES = [(), (3,), (1, 3), (2, 1), (2, 3)]
MAT = (3, 3)
ALLOWED = frozenset(SHAPES + [MAT])
MAXB = 5.0          # every expression's magnitude bound stays under this
EXP_ARG = 2.0       # exp only of values bounded by this
PARAM_BOUND = 2.0   # helper / sub-Cell arguments are fitted to this bound
MARGIN = 1e-3       # tensor conditions must be at least this far from their threshold
INPUT_LOW, INPUT_HIGH = -1.5, 1.5

CONSTS = [0.5, -0.5, 0.25, 1.5, 2.0, -1.25, 0.1, 0.75, 3.0, -2.0]
THRESHOLDS = [-1.0, -0.5, 0.0, 0.3, 0.5, 1.0, 2.0, -2.0]
NICE = [0.5, 0.25, 0.2, 0.1, 0.05, 0.02, 0.01]
MUT_VALUES = [0.5, -0.5, 1.5, 0.25, 2.0, -1.25, 0.75]   # a mutable number's values
KW_VALUES = [0.5, 1.0, -0.5, 2.0, 0.25, -1.5]           # a keyword argument's values
HOOK_CHANCE = 0.3   # feature hooks: how often a new value (of an operator or math op) is hooked
CHECK_CHANCE = 0.15  # feature checks: how often a new value's rank is checked (raise / assert)
SET_CHANCE = 0.2    # feature subscript_set: how often a new value is written into (x[i] = e)


def _bc(a, b):
    """Broadcast shape of ``a`` and ``b`` if it is one of ours, else None."""
    try:
        s = tuple(np.broadcast_shapes(a, b))
    except ValueError:
        return None
    return s if s in ALLOWED else None


def _mm(a, b):
    """matmul result shape of ``a @ b`` if one of ours (both operands at least 1-d)."""
    if not a or not b:
        return None
    try:
        s = np.matmul(np.zeros(a), np.zeros(b)).shape
    except ValueError:
        return None
    return tuple(s) if tuple(s) in ALLOWED else None


MM_TABLE = {(a, b): _mm(a, b) for a in ALLOWED for b in ALLOWED if _mm(a, b) is not None}

# subscripts (integer indices, slices, negative and open bounds) whose results are ours
SUBSCRIPTS = {
    (2, 3): ["[0]", "[1]", "[-1]", "[1:]", "[:1]", "[:, 0:1]", "[:, -1:]", "[..., 2:]"],
    (3, 3): ["[0]", "[:, 1]", "[2:]", "[0:1]", "[-1, :]", "[::2][1:]"],
    (1, 3): ["[0]", "[-1]", "[:, ::-1]"],
    (3,): ["[1]", "[-1]", "[::-1]", "[None]"],
    (2, 1): ["[0, 0]", "[1][0]", "[::-1]", "[:, 0][None]"],
}


def _sub_shape(shape, suffix):
    try:
        out = eval("np.empty(%r)%s" % (shape, suffix), {"np": np}).shape  # noqa: S307
    except (IndexError, ValueError):
        return None
    return tuple(out) if tuple(out) in ALLOWED else None


SUB_TABLE = {a: [(sfx, _sub_shape(a, sfx)) for sfx in sfxs if _sub_shape(a, sfx) is not None]
             for a, sfxs in SUBSCRIPTS.items()}


# feature split_parts: shape -> [(how the parts are made from {v}, a part's shape, how many,
# how a list of parts is joined back into ``shape``)]
PARTS = {
    (2, 3): [("ops.split({v}, 1, 0)", (1, 3), 2, "ops.concat(%s, 0)"),
             ("ops.split({v}, 1, axis=-1)", (2, 1), 3, "ops.concat(%s, -1)"),
             ("ops.unstack({v}, 0)", (3,), 2, "ops.stack(%s, 0)"),
             ("ops.unbind({v})", (3,), 2, "ops.stack(%s)"),
             ("{v}.split(1, 1)", (2, 1), 3, "ops.concat(%s, 1)"),
             ("ops.Split(axis=1, output_num=3)({v})", (2, 1), 3, "ops.concat(%s, 1)")],
    (3, 3): [("ops.split({v}, 1, 0)", (1, 3), 3, "ops.concat(%s)"),
             ("ops.unstack({v}, 1)", (3,), 3, "ops.stack(%s, 1)"),
             ("ops.unbind({v}, 0)", (3,), 3, "ops.stack(%s, 0)"),
             ("ops.Split(0, 3)({v})", (1, 3), 3, "ops.concat(%s, 0)")],
    (3,): [("ops.unstack({v})", (), 3, "ops.stack(%s)"),
           ("ops.unbind({v}, 0)", (), 3, "ops.stack(%s, 0)")],
    (1, 3): [("ops.unstack({v}, 0)", (3,), 1, "ops.stack(%s, 0)"),
             ("ops.split({v}, 1, 0)", (1, 3), 1, "ops.concat(%s, 0)")],
}

# features user_prim / cell_bprop: (inputs, forward over x, y and K, the derivative with
# respect to each input (over x, y, K, out, dout), output bound for |K|, input bound for |K|)
CUSTOM_FORMS = [
    (1, "x * x * K", ["dout * 2.0 * x * K"], lambda k: 4.0 * k, lambda k: PARAM_BOUND),
    (1, "ops.sin(x) * K + x", ["dout * (ops.cos(x) * K + 1.0)"], lambda k: k + 2.0,
     lambda k: PARAM_BOUND),
    (1, "ops.exp(x * K)", ["dout * out * K"], lambda k: float(np.exp(2.0)), lambda k: 2.0 / k),
    (2, "x * ops.tanh(y) * K", ["dout * ops.tanh(y) * K",
                                "dout * x * (1.0 - ops.tanh(y) ** 2) * K"],
     lambda k: 2.0 * k, lambda k: PARAM_BOUND),
    (2, "x * y + x * K", ["dout * (y + K)", "dout * x"], lambda k: 4.0 + 2.0 * k,
     lambda k: PARAM_BOUND),
    (2, "ops.sin(x * y) * K", ["dout * ops.cos(x * y) * y * K", "dout * ops.cos(x * y) * x * K"],
     lambda k: k, lambda k: PARAM_BOUND),
]
CUSTOM_K = [0.5, 1.5, -0.75, 2.0]

# feature hypermap: a MultitypeFuncGraph's Tensor, Tensor registration (elementwise; its
# arguments fitted to 2.0) and its output bound
HYPER_FORMS = [("a * ops.sin(b)", 2.0), ("ops.tanh(a) + b * 0.5", 2.0), ("a * b", 4.0),
               ("a - ops.cos(b)", 3.0), ("ops.sigmoid(a) * b", 2.0)]

# feature aux_out: (loss, aux...) returns
AUX_OUTS = ["ops.sum(%s), %s", "ops.mean(%s), %s, %s", "ops.sum(%s), (%s, %s)",
            "ops.sum(%s), {'a': %s}"]


def _size(shape):
    return int(np.prod(shape)) if shape else 1


def _reductions(shape):
    """[(kind, axis, keep, out_shape, count)] for the sums/means of ``shape`` we can write."""
    out = [("all", None, False, (), _size(shape))]
    nd = len(shape)
    axes = []
    if nd >= 1:
        axes += [(a,) for a in range(nd)] + [(-1,)]
    if nd == 2:
        axes.append((0, 1))
    for ax in axes:
        norm = tuple(sorted(a % nd for a in ax))
        count = int(np.prod([shape[a] for a in norm]))
        for keep in (False, True):
            res = tuple(1 if i in norm else d for i, d in enumerate(shape)) if keep else \
                tuple(d for i, d in enumerate(shape) if i not in norm)
            if res in ALLOWED:
                out.append(("axis", ax if len(ax) > 1 else ax[0], keep, res, count))
    return out


# =========================================================================================
# expressions and scopes
# =========================================================================================

@dataclasses.dataclass
class E:
    src: str
    shape: tuple
    bound: float
    tensor: bool = True
    low: float = 0.0        # a Python number's magnitude is at least this (a divisor if >= 0.25)


@dataclasses.dataclass
class Var:
    name: str               # or any expression read as a value: x0['a'], ys[1], sum(ys)
    shape: tuple
    bound: float
    mutable: bool = True    # False: Parameters (self.w), argument leaves, captured names...


@dataclasses.dataclass
class Num:
    """A Python number the program can use as an operand (a shape entry, ``len(ys)``, a
    keyword argument, a loop's constant)."""
    src: str
    hi: float               # |value| <= hi
    lo: float = 0.0         # |value| >= lo
    top: int | None = None  # an int known to be at most this (usable in range())


@dataclasses.dataclass
class Items:
    """A sequence of tensors the program can loop over: ``src`` is what ``for`` takes."""
    src: str
    shapes: list
    bound: float
    index: str | None = None    # ``index % k`` gives item k (None: not indexable)
    runtime: bool = False       # a run-time list (split parts): no enumerate over it

    @property
    def uniform(self):
        return self.shapes[0] if len(set(self.shapes)) == 1 else None


@dataclasses.dataclass
class Helper:
    name: str               # how it is called: helper0, self.sub0, layer, self.layers[i], sq
    params: list            # [(shape, bound)] tensor parameters
    out_shape: tuple
    out_bound: float
    has_loop: bool
    is_cell: bool = False   # a sub-Cell
    param_names: tuple = ()     # for keyword calls
    options: tuple = ()         # ((name, [values]), ...) optional keyword arguments
    weights: tuple = ()         # a sub-Cell's Parameters' shapes (self.w0, self.w1, ...)
    style: str = "plain"        # "star" (a, *rest), "kwonly" (a, *, b), "kwargs" (a, **kw)
    gradable: bool = True       # ops.grad(h, 0)(...) may be taken of it (feature inner_grad)


@dataclasses.dataclass
class CellSeq:
    """An ``nn.CellList`` of ``n`` Cells of one class, each shape -> shape."""
    src: str
    n: int
    layer: Helper           # how one layer is called (its name replaced at each use)


class Scope:
    """The variables visible at a point of the program, with their shapes and bounds."""

    def __init__(self, vars_, indices=(), in_loop=False, callables=(), numbers=(), items=(),
                 flags=(), cell_seqs=()):
        self.vars = dict((v.name, v) for v in vars_)
        self.indices = list(indices)        # [(name, max value)] python ints
        self.in_loop = in_loop
        self.callables = list(callables)    # Helper objects callable here
        self.numbers = list(numbers)        # Num objects
        self.items = list(items)            # Items objects
        self.flags = list(flags)            # sources of Python bools
        self.cell_seqs = list(cell_seqs)    # CellSeq objects

    def child(self, in_loop=None):
        return Scope([dataclasses.replace(v) for v in self.vars.values()], self.indices,
                     self.in_loop if in_loop is None else in_loop, self.callables,
                     self.numbers, self.items, self.flags, self.cell_seqs)

    def shapes0(self):
        return {v.shape for v in self.vars.values()}


def _producible(shapes0, depth):
    """Shapes an expression of at most ``depth`` levels over vars of ``shapes0`` can have."""
    key = (frozenset(shapes0), depth)
    if key in _PRODUCIBLE:
        return _PRODUCIBLE[key]
    s = set(shapes0)
    levels = [frozenset(s)]
    for _ in range(depth):
        new = set(s)
        for a in s:
            for b in s:
                r = _bc(a, b)
                if r is not None:
                    new.add(r)
                r = MM_TABLE.get((a, b))
                if r is not None:
                    new.add(r)
            for red in _reductions(a):
                new.add(red[3])
            for _, r in SUB_TABLE.get(a, ()):
                new.add(r)
        s = new
        levels.append(frozenset(s))
    _PRODUCIBLE[key] = levels
    return levels


_PRODUCIBLE = {}


def _nice_scale(bound, limit):
    for c in NICE:
        if c * bound <= limit:
            return c
    return None


def _uses(src, name):
    """Whether the source text ``src`` reads the name ``name`` (a whole word)."""
    return re.search(r"(?<![\w.])%s(?!\w)" % re.escape(name), src) is not None


# =========================================================================================
# the generator
# =========================================================================================

class _Gen:
    MAX_DEPTH = 3

    def __init__(self, draw, features=DEFAULT_FEATURES, rng=None):
        self.draw = draw
        self.features = frozenset(features)
        self.rng = rng if rng is not None else np.random.default_rng(0)
        self.names = itertools.count()
        self.tags = itertools.count()
        self.conds = {}             # marker -> (src, op, threshold)
        self.has_loop = False
        self.n_tensor_conds = 0
        self.allow_ifexp = True     # not inside a condition's own expression
        # module-level and Net-level state the body creates as it goes
        self.imports = set()        # "io", "types"
        self.decls = []             # module-level lines (after the imports)
        self.net_init = []          # extra lines of Net.__init__ (attributes)
        self.mutations = []         # [(do, undo)] statements run between calls
        self.effects = False
        self.owners = set()         # "cfg", "opts" made
        self.coefs = None           # the module-level COEFS list's values (mutable)
        self.coefs_loop = False     # a loop runs over COEFS (so it may grow)
        self.in_net = False         # generating Net.construct: self.<attr> may be made
        self.in_main = False        # generating f / Net.construct (closures allowed)
        self.const_seqs = []        # [(src, values)] module-level / Net constant sequences
        self.weights = None         # a function's module-level list of Parameters (its name)
        self.hyper = None           # (MultitypeFuncGraph, HyperMap, bound HyperMap, bound)
        self.aux_mode = False       # the main function returns (loss, aux...) (aux_out)
        self.from_imports = set()   # "from autograd_st.ops import composite as C", ...
        self.custom = False         # the program has a user primitive or a bprop Cell
        self.aux_defs = []          # module-level functions returning (loss, aux)
        self.hooked = set()         # names of values hooked (register_hook): never passed
        #                             to a gradient function (inner_grad)

    def on(self, feature):
        return feature in self.features

    # ---- small draws ---------------------------------------------------------------------
    def pick(self, seq):
        seq = list(seq)
        return seq[self.draw(st.integers(0, len(seq) - 1))]

    def chance(self, p):
        # a small range draws near-uniformly (a large one is skewed towards 0); shrinks
        # towards "no"
        return self.draw(st.integers(0, 19)) >= round(20 * (1 - p))

    def weighted(self, options):
        """options: [(weight, value)]; shrinks towards the first."""
        options = [(w, v) for w, v in options if w > 0]
        total = sum(w for w, _ in options)
        r = self.draw(st.integers(0, total - 1))
        for w, v in options:
            if r < w:
                return v
            r -= w
        return options[-1][1]

    def fresh(self, prefix="v"):
        return "%s%d" % (prefix, next(self.names))

    # ---- bounds --------------------------------------------------------------------------
    def fit(self, e, limit=MAXB):
        if e.bound <= limit:
            return e
        if not e.tensor:
            c = _nice_scale(e.bound, limit)
            return E("(%r * %s)" % (c, e.src), e.shape, e.bound * c, False, e.low * c)
        how = self.pick(["tanh", "scale"])
        c = _nice_scale(e.bound, limit)
        if how == "tanh" or c is None:
            return E("ops.tanh(%s)" % e.src, e.shape, 1.0)
        return E("(%s * %r)" % (e.src, c), e.shape, e.bound * c)

    # ---- expressions ---------------------------------------------------------------------
    def expr(self, scope, want, depth=None):
        """An expression whose shape is in ``want`` (a tensor, bound <= MAXB)."""
        want = frozenset(want) & ALLOWED
        levels = _producible(scope.shapes0(), self.MAX_DEPTH)
        if depth is None:
            depth = self.draw(st.integers(0, self.MAX_DEPTH))
        while not (want & levels[depth]):
            depth += 1
            if depth > self.MAX_DEPTH:
                raise AssertionError("generator: no expression of shape %s from %s"
                                     % (sorted(want), sorted(scope.shapes0())))
        return self.fit(self._expr(scope, want, depth, levels))

    def _expr(self, scope, want, depth, levels):
        want = want & levels[depth]
        options = []
        var_ok = [v for v in scope.vars.values() if v.shape in want]
        if var_ok:
            options.append((6 if depth == 0 else 2, "leaf"))
        if depth >= 1:
            below = levels[depth - 1]
            if want & below:
                options.append((4, "unary"))
            if any(_bc(a, b) in want for a in below for b in below):
                options.append((6, "binary"))
            if any(r[3] in want for a in below for r in _reductions(a)):
                options.append((2, "reduce"))
            if any(MM_TABLE.get((a, b)) in want for a in below for b in below):
                options.append((1, "matmul"))
            if any(r in want for a in below for _, r in SUB_TABLE.get(a, ())):
                options.append((2, "index"))
            if want & below and self.allow_ifexp:
                options.append((1, "ifexp"))
            if () in want and () in below and self.allow_ifexp and self.on("minmax"):
                options.append((1, "minmax"))
            calls = [h for h in scope.callables if h.out_shape in want
                     and all(p[0] in below for p in h.params)]
            if calls:
                options.append((3, "call"))
        assert options, (want, depth)
        kind = self.weighted(options)
        sub = depth - 1
        if kind == "leaf":
            v = self.pick(var_ok[::-1])     # newest first
            if self.on("ms_mutable") and self.chance(0.08):
                return E("ms.mutable(%s)" % v.name, v.shape, v.bound)
            return E(v.name, v.shape, v.bound)
        below = levels[sub]
        if kind == "unary":
            return self.unary(self._expr(scope, want & below, sub, levels))
        if kind == "binary":
            firsts = [a for a in below if any(_bc(a, b) in want for b in below)]
            a = self.fit(self._expr(scope, frozenset(firsts), sub, levels))
            seconds = frozenset(b for b in below if _bc(a.shape, b) in want)
            if () in seconds and self.chance(0.3):
                b = self.scalar_operand(scope)
            else:
                b = self.fit(self._expr(scope, seconds, sub, levels))
            return self.binary(a, b)
        if kind == "reduce":
            srcs = frozenset(a for a in below if any(r[3] in want for r in _reductions(a)))
            a = self._expr(scope, srcs, sub, levels)
            reds = [r for r in _reductions(a.shape) if r[3] in want]
            return self.reduce(a, self.pick(reds))
        if kind == "matmul":
            pairs = [(a, b) for a in below for b in below if MM_TABLE.get((a, b)) in want]
            sa, sb = self.pick(sorted(pairs))
            a = self.fit(self._expr(scope, frozenset([sa]), sub, levels), 2.0)
            b = self.fit(self._expr(scope, frozenset([sb]), sub, levels), 2.0)
            k = a.shape[-1]
            src = ("(%s @ %s)" if self.chance(0.6) else "ops.matmul(%s, %s)") % (a.src, b.src)
            return E(src, MM_TABLE[(sa, sb)], a.bound * b.bound * k)
        if kind == "index":
            srcs = frozenset(a for a in below if any(r in want for _, r in SUB_TABLE.get(a, ())))
            a = self._expr(scope, srcs, sub, levels)
            sfx, shape = self.pick([(x, r) for x, r in SUB_TABLE[a.shape] if r in want])
            src = a.src if (a.src.isidentifier() or a.src.startswith("(")) else "(%s)" % a.src
            return E(src + sfx, shape, a.bound)
        if kind == "ifexp":
            cond = self.condition(scope, nested=True)
            a = self.fit(self._expr(scope, want & below, sub, levels))
            b = self.fit(self._expr(scope, frozenset([a.shape]), sub, levels)) \
                if a.shape in levels[sub] and self.chance(0.8) else a
            return E("(%s if %s else %s)" % (a.src, cond, b.src), a.shape,
                     max(a.bound, b.bound))
        if kind == "minmax":
            return self.minmax(scope, sub, levels)
        if kind == "call":
            h = self.pick([h for h in scope.callables if h.out_shape in want
                           and all(p[0] in below for p in h.params)])
            args = [self.fit(self._expr(scope, frozenset([s]), sub, levels), b).src
                    for s, b in h.params]
            return E(self.call_src(h, args), h.out_shape, h.out_bound)
        raise AssertionError(kind)

    def minmax(self, scope, sub, levels):
        """``max(a, b)`` or ``min(a, b)`` of two scalar tensors (feature minmax), as a marker:
        the probe copy records how far the two are from a tie."""
        before = self.allow_ifexp
        self.allow_ifexp = False  # (no marker inside the marker's own source)
        try:
            a = self.fit(self._expr(scope, frozenset([()]), sub, levels))
            b = self.fit(self._expr(scope, frozenset([()]), sub, levels))
        finally:
            self.allow_ifexp = before
        fn = self.pick(["max", "min"])
        marker = "__COND%d__" % len(self.conds)
        self.conds[marker] = ("%s(%s, %s)" % (fn, _strip(a.src), _strip(b.src)), "call", None)
        self.n_tensor_conds += 1
        return E(marker, (), max(a.bound, b.bound))

    def call_src(self, h, args):
        """``h(args)``, tensor arguments by position or (``kwargs``) by keyword, optional
        keyword arguments left out, given by keyword or (the first) by position."""
        if h.style != "plain":
            return self.call_src_styled(h, args)
        parts = list(args)
        positional = len(parts)
        if self.on("kwargs") and h.param_names and self.chance(0.3):
            k = self.draw(st.integers(0, len(parts) - 1))     # the first k by position
            named = ["%s=%s" % (n, _strip(a)) for n, a in zip(h.param_names[k:], parts[k:])]
            if len(named) > 1 and self.on("kwargs_reorder") and self.chance(0.5):
                named = named[::-1]
            parts = parts[:k] + named
            positional = k
        for j, (name, values) in enumerate(h.options):
            how = self.pick(["omit", "keyword", "position"])
            if how == "omit":
                continue
            value = self.pick(values)
            if how == "position" and j == 0 and positional == len(args):
                parts.append(repr(value))
                positional += 1
            else:
                parts.append("%s=%r" % (name, value))
        return "%s(%s)" % (h.name, ", ".join(_strip(p) for p in parts))

    def scalar_operand(self, scope):
        """A python number: a constant, an expression of the loop index, a number the program
        computed, a constant sequence's entry at the loop index, or a mutable number."""
        options = [(4, "const")]
        if scope.indices:
            options.append((4, "index"))
            if self.on("const_seq"):
                options.append((2, "const_seq"))
        if scope.numbers:
            options.append((3, "number"))
        if self.on("mutation"):
            options.append((3, "mutable"))
        kind = self.weighted(options)
        if kind == "index":
            name, top = self.pick(scope.indices)
            c = self.pick([0.1, 0.25, 0.5, 1.0])
            if c == 1.0:
                return E(name, (), float(max(top, 0)), False)
            return E("(%r * %s)" % (c, name), (), c * max(top, 0), False)
        if kind == "const_seq":
            return self.const_seq_entry(scope)
        if kind == "number":
            n = self.pick(scope.numbers)
            return E(n.src, (), n.hi, False, n.lo)
        if kind == "mutable":
            return self.mutable_number()
        c = self.pick(CONSTS)
        return E(repr(c), (), abs(c), False, abs(c))

    def unary(self, a):
        stop = 4 if self.on("seq_stop") and re.search(r"\bys\d+\[", a.src) else 1
        options = [(3, "sin"), (3, "cos"), (3, "tanh"), (2, "sigmoid"), (3, "exp"),
                   (2, "square"), (1, "neg"), (1, "pow"), (stop, "stop"), (1, "method")]
        kind = self.weighted(options)
        if kind in ("sin", "cos", "tanh", "sigmoid"):
            return E("ops.%s(%s)" % (kind, a.src), a.shape, 1.0)
        if kind == "exp":
            a = self.fit(a, EXP_ARG)
            return E("ops.exp(%s)" % a.src, a.shape, float(np.exp(a.bound)))
        if kind == "square":
            a = self.fit(a, 2.0)
            return E("ops.square(%s)" % a.src, a.shape, a.bound ** 2)
        if kind == "neg":
            return E("(-%s)" % a.src, a.shape, a.bound)
        if kind == "pow":
            p = self.pick([2, 3])
            a = self.fit(a, 1.5)
            return E("(%s ** %d)" % (a.src, p), a.shape, a.bound ** p)
        if kind == "stop" and (self.on("seq_stop") or not re.search(r"\bys\d+\[", a.src)):
            return E("ops.stop_gradient(%s)" % a.src, a.shape, a.bound)
        if kind == "stop":
            return E("ops.tanh(%s)" % a.src, a.shape, 1.0)
        # Tensor methods
        m = self.pick(["tanh", "exp", "square"])
        if m == "exp":
            a = self.fit(a, EXP_ARG)
            return E("%s.exp()" % a.src, a.shape, float(np.exp(a.bound)))
        if m == "square":
            a = self.fit(a, 2.0)
            return E("%s.square()" % a.src, a.shape, a.bound ** 2)
        return E("%s.tanh()" % a.src, a.shape, 1.0)

    def binary(self, a, b):
        """``a`` a tensor, ``b`` a tensor or python number; result shape broadcast."""
        shape = _bc(a.shape, b.shape)
        assert shape is not None
        op = self.weighted([(4, "+"), (3, "-"), (4, "*"), (2, "/")])
        swap = self.chance(0.3)
        if op == "/":
            # a / d(b) with d bounded away from zero; or b / d(a)
            num, den = (b, a) if swap and b.tensor else (a, b)
            if not den.tensor:
                if den.low >= 0.25:
                    return E("(%s / %s)" % (num.src, den.src), shape, num.bound / den.low)
                return E("(%s / 2.0)" % num.src, num.shape, num.bound / 2.0) \
                    if num.tensor else self.binary(a, b)
            form = self.pick(["sigmoid", "cos", "exp"])
            if form == "sigmoid":
                d, low = "(1.5 + ops.sigmoid(%s))" % den.src, 1.5
            elif form == "cos":
                d, low = "(2.0 + ops.cos(%s))" % den.src, 1.0
            else:
                den = self.fit(den, 1.0)
                d, low = "ops.exp(%s)" % den.src, float(np.exp(-den.bound))
            return E("(%s / %s)" % (num.src, d), shape, num.bound / low)
        x, y = (b, a) if swap else (a, b)
        bound = a.bound * b.bound if op == "*" else a.bound + b.bound
        if op == "+" and a.tensor and b.tensor and self.on("star_call") and self.chance(0.15):
            return E("ops.add(*[%s, %s])" % (_strip(x.src), _strip(y.src)), shape, bound)
        return E("(%s %s %s)" % (x.src, op, y.src), shape, bound)

    def reduce(self, a, red):
        kind, axis, keep, shape, count = red
        fn = self.pick(["sum", "mean"])
        bound = a.bound * count if fn == "sum" else a.bound
        if kind == "all":
            style = self.pick(["ops", "method"])
            src = ("ops.%s(%s)" % (fn, a.src)) if style == "ops" else "%s.%s()" % (a.src, fn)
            return E(src, shape, bound)
        ax = repr(axis)
        style = self.pick(["ops", "kw", "method", "reduce"])
        if fn == "sum":
            if style == "ops":
                src = "ops.sum(%s, %s%s)" % (a.src, ax, ", keepdim=True" if keep else "")
            elif style == "kw":
                src = "ops.sum(%s, dim=%s, keepdim=%r)" % (a.src, ax, keep)
            elif style == "method":
                src = "%s.sum(axis=%s, keepdims=%r)" % (a.src, ax, keep)
            else:
                src = "ops.reduce_sum(%s, %s, keep_dims=%r)" % (a.src, ax, keep)
        else:
            if style in ("ops", "reduce"):
                src = "ops.mean(%s, %s%s)" % (a.src, ax, ", keep_dims=True" if keep else "")
            elif style == "kw":
                src = "ops.mean(%s, axis=%s, keep_dims=%r)" % (a.src, ax, keep)
            else:
                src = "%s.mean(axis=%s, keepdims=%r)" % (a.src, ax, keep)
        return E(src, shape, bound)

    def condition(self, scope, nested=False):
        """A tensor condition, as a marker replaced at render time (probed or plain)."""
        before = self.allow_ifexp
        self.allow_ifexp = False
        try:
            a = self.expr(scope, ALLOWED, self.draw(st.integers(0, 1 if nested else 2)))
        finally:
            self.allow_ifexp = before
        red = self.pick(["ops.sum(%s)", "ops.mean(%s)", "%s.sum()", "ops.sum(%s * %s)"] + (
            # a Python float (float() / .item() of a value being differentiated is refused:
            # NoDerivativeError, by design; the documented idiom stops its gradient first)
            ["float(ops.stop_gradient(ops.sum(%s)))", "ops.stop_gradient(ops.mean(%s)).item()"]
            if self.on("while_exit") else []))
        src = red % ((a.src, a.src) if red.count("%s") == 2 else (a.src,))
        op = self.pick([">", "<"])
        c = self.pick(THRESHOLDS)
        marker = "__COND%d__" % len(self.conds)
        self.conds[marker] = (src, op, c)
        self.n_tensor_conds += 1
        return marker

    # ---- mutable values (feature "mutation") and constant sequences ----------------------
    def _owner(self):
        """Where a new mutable value lives: ('cfg', module object), ('opts', namespace),
        ('list', COEFS), ('cell', a Net attribute; only in Net.construct)."""
        options = [(2, "cfg"), (1, "opts"), (2, "list")] + ([(2, "cell")] if self.in_net else [])
        owner = self.weighted(options)
        if owner in ("cfg", "opts") and owner not in self.owners:
            self.owners.add(owner)
            self.imports.add("types")
            self.decls.append('cfg = types.ModuleType("cfg")' if owner == "cfg" else
                              "opts = types.SimpleNamespace()")
        return owner

    def _mutable(self, old, new, attr_prefix):
        """A mutable holding ``old``, set to ``new`` between calls: its source."""
        owner = self._owner()
        if owner == "list":
            if not isinstance(old, float):
                owner = "cfg" if "cfg" in self.owners else "opts"
                if owner not in self.owners:
                    self.owners.add(owner)
                    self.imports.add("types")
                    self.decls.append("opts = types.SimpleNamespace()")
            else:
                self.coefs = [] if self.coefs is None else self.coefs
                k = len(self.coefs)
                self.coefs.append(old)
                src = "COEFS[%d]" % k
                self.mutations.append((src + " = %r" % new, src + " = %r" % old))
                return src
        name = self.fresh(attr_prefix)
        if owner == "cell":
            self.net_init.append("        self.%s = %r" % (name, old))
            self.mutations.append(("target.%s = %r" % (name, new),
                                   "target.%s = %r" % (name, old)))
            return "self." + name
        self.decls.append("%s.%s = %r" % (owner, name, old))
        self.mutations.append(("%s.%s = %r" % (owner, name, new),
                               "%s.%s = %r" % (owner, name, old)))
        return "%s.%s" % (owner, name)

    def mutable_number(self):
        old = self.pick(MUT_VALUES)
        new = self.pick([v for v in MUT_VALUES if v != old])
        src = self._mutable(old, new, "S")
        return E(src, (), max(abs(old), abs(new)), False, min(abs(old), abs(new)))

    def mutable_flag(self):
        old = self.chance(0.5)
        return self._mutable(old, not old, "F")

    def mutable_count(self):
        """A loop count read through a mutable object: (source, its largest value)."""
        old = self.draw(st.integers(0, 3))
        new = self.pick([k for k in range(4) if k != old])
        return self._mutable(old, new, "N"), max(old, new)

    def coefs_loop_src(self):
        """``COEFS`` to loop over (made if needed); it may grow between calls."""
        if self.coefs is None:
            self.coefs = [self.pick(MUT_VALUES)]
        if not self.coefs_loop:
            self.coefs_loop = True
            if self.chance(0.5):
                self.mutations.append(("COEFS.append(%r)" % self.pick(MUT_VALUES),
                                       "COEFS.pop()"))
        return "COEFS"

    def const_seq_entry(self, scope):
        """``KS[i]`` (or ``KS[i + 1]``, ``KS[-1 - i]``): a constant sequence at a loop index."""
        name, top = self.pick(scope.indices)
        top = max(top, 0)
        fitting = [(src, vals) for src, vals in self.const_seqs
                   if len(vals) > top + 1 and (self.in_net or not src.startswith("self."))]
        if fitting and self.chance(0.6):
            src, vals = self.pick(fitting)
        else:
            vals = [self.pick(CONSTS) for _ in range(top + 1 + self.draw(st.integers(1, 2)))]
            as_tuple = self.chance(0.5)
            lit = repr(tuple(vals)) if as_tuple else repr(vals)
            if self.in_net and self.chance(0.6):
                attr = self.fresh("coefs")
                self.net_init.append("        self.%s = %s" % (attr, lit))
                src = "self." + attr
            else:
                src = self.fresh("KS")
                self.decls.append("%s = %s" % (src, lit))
            self.const_seqs.append((src, vals))
        form = self.pick(["%s[%s]", "%s[%s + 1]", "%s[-1 - %s]"])
        return E(form % (src, name), (), max(abs(v) for v in vals), False,
                 min(abs(v) for v in vals))

    # ---- statements ----------------------------------------------------------------------
    def block(self, scope, lines, indent, n, cf_depth, targets=None):
        """``n`` statements; in a control-flow body only ``targets`` may be reassigned."""
        for _ in range(n):
            self.statement(scope, lines, indent, cf_depth, targets)

    def statement(self, scope, lines, indent, cf_depth, targets):
        pad = "    " * indent
        options = [(4, "new"), (3, "assign"), (2, "aug")]
        if cf_depth < 2:
            options += [(2, "if"), (2, "for"), (1, "while")]
        if scope.in_loop and cf_depth >= 1:
            options += [(1, "if_index")] if scope.indices else []
        if self.on("effects"):
            options.append((2 if scope.in_loop else 1, "effect"))
        if (self.on("mutation") or scope.flags) and cf_depth < 2:
            options.append((1, "if_flag"))
        if self.on("shape_unpack") and any(v.shape for v in scope.vars.values()):
            options.append((1, "shape"))
        top = cf_depth == 0 and not scope.in_loop
        if top and (self.on("seq_loop") or self.on("seq_comp")):
            options.append((2, "seq"))
        if scope.items and (cf_depth == 0 or scope.in_loop):
            options.append((2, "items"))
        if top and self.in_main and self.on("closures"):
            options.append((2, "closure"))
        if top and self.on("split_parts") and any(
                s in PARTS for s in _producible(scope.shapes0(), self.MAX_DEPTH)[-1]):
            options.append((2, "parts"))
        if top and self.hyper is not None:
            options.append((2, "hyper"))
        if top and self.on("rows") and any(len(v.shape) == 2 for v in scope.vars.values()):
            options.append((2, "rows"))
        if top and self.in_main and self.on("inner_grad"):
            options.append((3, "inner"))
        kind = self.weighted(options)
        if kind in ("parts", "hyper", "inner", "rows"):
            return getattr(self, kind + "_stmt")(scope, lines, indent)
        mutable = [v for v in scope.vars.values() if v.mutable and
                   (targets is None or v.name in targets)]
        if kind in ("assign", "aug") and not mutable:
            kind = "new"
        if kind == "new" and self.chance(0.15):
            kind = "unpack"
        if kind == "unpack":
            # a, b = e1, e2: new names, or values of exactly the same shapes
            names = []
            for _ in range(2):
                pool = [v.name for v in mutable if v.name not in names]
                names.append(self.pick(pool) if pool and self.chance(0.5) else self.fresh())
            es = [self.expr(scope, {scope.vars[n].shape} if n in scope.vars else ALLOWED)
                  for n in names]
            if self.on("ms_mutable") and self.chance(0.4):
                lines.append("%s%s, %s = ms.mutable((%s, %s))" % (
                    pad, names[0], names[1], _strip(es[0].src), _strip(es[1].src)))
            else:
                lines.append("%s%s, %s = %s, %s" % (pad, names[0], names[1],
                                                    _strip(es[0].src), _strip(es[1].src)))
            for n, e in zip(names, es):
                scope.vars[n] = Var(n, e.shape, e.bound)
            return
        if kind == "new":
            e = self.expr(scope, ALLOWED)
            name = self.fresh()
            lines.append("%s%s = %s" % (pad, name, _strip(e.src)))
            scope.vars[name] = Var(name, e.shape, e.bound)
            if self.on("hooks") and _fresh_value(e.src) and self.chance(HOOK_CHANCE):
                self.hook_stmt(lines, pad, name)
            if self.on("checks") and self.chance(CHECK_CHANCE):
                self.check_stmt(lines, pad, name, len(e.shape))
            if self.on("subscript_set") and e.shape and _fresh_value(e.src) \
                    and self.chance(SET_CHANCE):
                self.set_item_stmt(scope, lines, pad, name)
        elif kind == "assign":
            v = self.pick(mutable)
            if targets is None and self.chance(0.4):
                e = self.expr(scope, ALLOWED)              # top level: any shape
            else:
                e = self.expr(scope, {v.shape})
            lines.append("%s%s = %s" % (pad, v.name, _strip(e.src)))
            scope.vars[v.name] = Var(v.name, e.shape, e.bound)
        elif kind == "aug":
            v = self.pick(mutable)
            into = {t for t in ALLOWED if _bc(v.shape, t) == v.shape}
            op = self.pick(["+=", "-=", "*=", "/="])
            if op == "/=":
                e = self.expr(scope, into)
                lines.append("%s%s /= (1.5 + ops.sigmoid(%s))" % (pad, v.name, _strip(e.src)))
                bound = v.bound / 1.5
            elif op == "*=":
                e = self.fit(self.expr(scope, into), 2.0)
                lines.append("%s%s *= %s" % (pad, v.name, _strip(e.src)))
                bound = v.bound * e.bound
            else:
                e = self.expr(scope, into)
                lines.append("%s%s %s %s" % (pad, v.name, op, _strip(e.src)))
                bound = v.bound + e.bound
            scope.vars[v.name] = Var(v.name, v.shape, bound)
            if bound > MAXB:
                self.squash(scope, lines, pad, v.name, MAXB)
        elif kind == "if":
            self.if_stmt(scope, lines, indent, cf_depth, targets)
        elif kind == "if_index":
            self.if_index(scope, lines, indent, cf_depth, targets)
        elif kind == "if_flag":
            self.if_flag(scope, lines, indent, cf_depth, targets)
        elif kind == "for":
            self.for_stmt(scope, lines, indent, cf_depth, targets)
        elif kind == "while":
            self.while_stmt(scope, lines, indent, cf_depth, targets)
        elif kind == "effect":
            self.effect_stmt(scope, lines, pad)
        elif kind == "shape":
            self.shape_stmt(scope, lines, pad)
        elif kind == "seq":
            self.seq_stmt(scope, lines, indent)
        elif kind == "items":
            self.items_stmt(scope, lines, indent)
        else:
            self.closure_stmt(scope, lines, indent)

    def set_item_stmt(self, scope, lines, pad, name):
        """``name[i] = e`` or ``name[i] += e`` right after ``name`` is made (a new array, so
        the direct call writes into nothing else): a basic index (an int, a slice on the first
        axis, ``[:, k]``), ``e`` broadcasting to what it selects."""
        v = scope.vars[name]
        shape = v.shape
        forms = [("0", shape[1:]), ("-1", shape[1:]), ("0:1", (1,) + shape[1:])]
        if len(shape) >= 2:
            forms.append((":, -1", (shape[0],) + shape[2:]))
        index, sel = self.pick(forms)
        into = {t for t in ALLOWED if _bc(t, sel) == sel}
        if not into:
            return
        e = self.expr(scope, into)
        if self.chance(0.5):
            lines.append("%s%s[%s] = %s" % (pad, name, index, _strip(e.src)))
            bound = max(v.bound, e.bound)
        else:
            lines.append("%s%s[%s] += %s" % (pad, name, index, _strip(e.src)))
            bound = v.bound + e.bound
        scope.vars[name] = Var(name, shape, bound, v.mutable)
        if bound > MAXB:
            self.squash(scope, lines, pad, name, MAXB)

    def check_stmt(self, lines, pad, name, rank):
        """A check of ``name``'s rank that holds (the direct call never raises): ``if
        name.ndim != rank: raise ValueError(...)`` or ``assert name.ndim == rank, "..."``;
        in differentiated code a check on a runtime value (``raise_error``)."""
        if self.pick(["raise", "assert"]) == "raise":
            lines.append("%sif %s.ndim != %d:" % (pad, name, rank))
            lines.append("%s    raise ValueError(\"%s: rank %d expected\")" % (pad, name, rank))
        else:
            lines.append("%sassert %s.ndim == %d, \"%s: rank\"" % (pad, name, rank, name))

    def hook_stmt(self, lines, pad, name):
        """``name.register_hook(hook)`` right after ``name = ...`` (the last line): the
        HEADER's ``_keep`` (returns its gradient) or ``_pass`` (returns None), a lambda
        reading no local variable, or a nested ``def`` placed before the assignment (a hook
        defined between the two would be refused).  Each changes nothing: the gradient is
        still the differences'.  The name is never passed to a gradient function the program
        calls (eagerly, in the direct call, the hook would run there on its gradient)."""
        form = self.pick(["keep", "pass", "lambda", "def"])
        if form in ("keep", "pass"):
            hook = "_" + form
        elif form == "lambda":
            hook = self.pick(["lambda g: g", "lambda g: None", "lambda grad: grad * 1.0"])
        else:
            hook = self.fresh("hk")
            body = self.pick(["return g", "return None", "return g + 0.0"])
            lines[-1:-1] = ["%sdef %s(g):" % (pad, hook), "%s    %s" % (pad, body)]
        lines.append("%s%s.register_hook(%s)" % (pad, name, hook))
        self.hooked.add(name)

    def squash(self, scope, lines, pad, name, limit):
        v = scope.vars[name]
        if v.bound <= limit:
            return
        c = _nice_scale(v.bound, limit)
        if limit >= 1.0 and (c is None or self.chance(0.5)):
            lines.append("%s%s = ops.tanh(%s)" % (pad, name, name))
            scope.vars[name] = Var(name, v.shape, 1.0)
            return
        assert c is not None, (v.bound, limit)
        lines.append("%s%s = %s * %r" % (pad, name, name, c))
        scope.vars[name] = Var(name, v.shape, v.bound * c)

    def _targets(self, scope, targets, k_max=2):
        pool = [v.name for v in scope.vars.values() if v.mutable and
                (targets is None or v.name in targets)]
        if not pool:
            return []
        k = self.draw(st.integers(1, min(k_max, len(pool))))
        chosen = []
        for _ in range(k):
            n = self.pick(pool)
            if n not in chosen:
                chosen.append(n)
        return chosen

    def assign_exact(self, scope, lines, pad, name, shape):
        """``name = <expr of exactly shape>`` (possibly as an augmented assignment)."""
        if name in scope.vars and self.chance(0.25):
            into = {t for t in ALLOWED if _bc(shape, t) == shape}
            e = self.fit(self.expr(scope, into), 2.0)
            op = self.pick(["+=", "*=", "-="])
            lines.append("%s%s %s %s" % (pad, name, op, _strip(e.src)))
            old = scope.vars[name].bound
            bound = old * e.bound if op == "*=" else old + e.bound
        else:
            e = self.expr(scope, {shape}, self.draw(st.integers(1, self.MAX_DEPTH)))
            lines.append("%s%s = %s" % (pad, name, _strip(e.src)))
            bound = e.bound
        scope.vars[name] = Var(name, shape, bound)

    def if_stmt(self, scope, lines, indent, cf_depth, targets):
        pad = "    " * indent
        existing = self._targets(scope, targets)
        new = []
        if targets is None and not scope.in_loop and self.chance(0.4):
            new = [(self.fresh(), self.pick(sorted(scope.shapes0())))]
        if not existing and not new:
            return
        n_branches = self.weighted([(3, 2), (2, 1), (1, 3)])
        if new and n_branches == 1:
            n_branches = 2
        outs = []
        for b in range(n_branches):
            if b == 0:
                lines.append("%sif %s:" % (pad, self.condition(scope)))
            elif b == n_branches - 1:
                lines.append("%selse:" % pad)
            else:
                lines.append("%selif %s:" % (pad, self.condition(scope)))
            inner = scope.child()
            body = []
            self.block(inner, body, indent + 1, self.draw(st.integers(0, 1)), cf_depth + 1,
                       set(existing))
            for name in existing:
                if self.chance(0.8) or not body:
                    self.assign_exact(inner, body, pad + "    ", name, scope.vars[name].shape)
            for name, shape in new:
                self.assign_exact(inner, body, pad + "    ", name, shape)
            lines.extend(body)
            outs.append(inner)
        for name in existing:
            bounds = [o.vars[name].bound for o in outs]
            if n_branches == 1:
                bounds.append(scope.vars[name].bound)
            scope.vars[name] = Var(name, scope.vars[name].shape, max(bounds))
        for name, shape in new:
            scope.vars[name] = Var(name, shape, max(o.vars[name].bound for o in outs))

    def if_index(self, scope, lines, indent, cf_depth, targets):
        """``if i % 2 == 0:`` on the (python int) loop index."""
        pad = "    " * indent
        existing = self._targets(scope, targets, 1)
        if not existing:
            return
        name, _ = self.pick(scope.indices)
        test = self.pick(["%s %% 2 == 0" % name, "%s > 0" % name, "%s == 1" % name])
        lines.append("%sif %s:" % (pad, test))
        inner = scope.child()
        self.assign_exact(inner, lines, pad + "    ", existing[0], scope.vars[existing[0]].shape)
        v = existing[0]
        scope.vars[v] = Var(v, scope.vars[v].shape, max(scope.vars[v].bound,
                                                        inner.vars[v].bound))

    def if_flag(self, scope, lines, indent, cf_depth, targets):
        """``if flag:`` / ``if not flag:`` / ``else:`` on a Python bool: a keyword argument,
        or (``mutation``) one read through a mutable object, flipped between calls."""
        pad = "    " * indent
        existing = self._targets(scope, targets)
        if not existing:
            return
        if scope.flags and (not self.on("mutation") or self.chance(0.5)):
            flag = self.pick(scope.flags)
        else:
            flag = self.mutable_flag()
        lines.append("%sif %s%s:" % (pad, "not " if self.chance(0.3) else "", flag))
        outs = []
        for arm in range(2 if self.chance(0.6) else 1):
            if arm:
                lines.append("%selse:" % pad)
            inner = scope.child()
            body = []
            self.block(inner, body, indent + 1, self.draw(st.integers(0, 1)), cf_depth + 1,
                       set(existing))
            for name in existing:
                self.assign_exact(inner, body, pad + "    ", name, scope.vars[name].shape)
            lines.extend(body)
            outs.append(inner)
        for name in existing:
            bounds = [o.vars[name].bound for o in outs]
            if len(outs) == 1:
                bounds.append(scope.vars[name].bound)
            scope.vars[name] = Var(name, scope.vars[name].shape, max(bounds))

    def loop_body(self, scope, lines, indent, cf_depth, carried, index=None, first=(),
                  extra=(), numbers=(), callables=(), prefer=None, exits=None, local=False):
        """The body of a loop carrying ``carried`` (bounds made loop-invariant).

        ``first``: lines that open the body (a while loop's counter).  A ``break`` /
        ``continue`` on a tensor condition may open or close the body, where every carried
        value is within its loop-invariant bound.  ``extra`` / ``numbers`` / ``callables``:
        what the loop binds (an item, a number, a Cell); ``prefer``: a Helper (a Cell of a
        CellList) that one carried value of its shape is assigned from.  ``local`` (feature
        loop_local; a loop that runs at least once): the body ends by binding a new name,
        returned as a Var for the code after the loop (None where a break or continue may
        come before it).
        """
        pad = "    " * indent
        for name in carried:
            v = scope.vars[name]
            scope.vars[name] = Var(name, v.shape, max(v.bound, 1.0))
        entry = {name: scope.vars[name].bound for name in carried}
        inner = scope.child(in_loop=True)
        if index is not None:
            inner.indices = inner.indices + [index]
        for v in extra:
            inner.vars[v.name] = v
        inner.numbers = inner.numbers + list(numbers)
        inner.callables = inner.callables + list(callables)
        body = [pad + line for line in first]
        exit_at = self.weighted([(6, None), (1, "start"), (1, "end")]) if cf_depth == 0 \
            else None
        exit_at = (exit_at,) if exits is None else exits
        if "start" in exit_at:
            self.exit_stmt(inner, body, indent)
        self.block(inner, body, indent, self.draw(st.integers(0, 1)), cf_depth + 1,
                   set(carried))
        through = None
        if prefer is not None:
            fits = [n for n in carried if scope.vars[n].shape == prefer.out_shape]
            if fits and self.chance(0.8):
                through = self.pick(fits)
        for name in carried:
            if name == through:
                self.call_into(inner, body, pad, name, prefer)
            else:
                self.assign_exact(inner, body, pad, name, scope.vars[name].shape)
        if inner.indices and self.on("const_seq") and self.chance(0.4):
            name = self.pick(carried)       # scaled by a constant sequence at the counter
            c = self.const_seq_entry(inner)
            body.append("%s%s = %s * %s" % (pad, name, name, c.src))
            inner.vars[name] = Var(name, inner.vars[name].shape, inner.vars[name].bound * c.bound)
        for name in carried:
            if inner.vars[name].bound > entry[name]:
                self.squash(inner, body, pad, name, entry[name])
            assert inner.vars[name].bound <= entry[name] + 1e-12
        made = None
        if local and "start" not in exit_at:  # (no break or continue before it: every
            # iteration that runs binds it)
            e = self.expr(inner, ALLOWED)
            made = Var(self.fresh("last"), e.shape, e.bound)
            body.append("%s%s = %s" % (pad, made.name, _strip(e.src)))
        if "end" in exit_at:
            self.exit_stmt(inner, body, indent)
        lines.extend(body)
        return made

    def call_into(self, scope, lines, pad, name, h):
        """``name = h(args)`` (the first argument often ``name`` itself)."""
        args = []
        for k, (s, b) in enumerate(h.params):
            if k == 0 and scope.vars[name].shape == s and self.chance(0.6):
                args.append(self.fit(E(name, s, scope.vars[name].bound), b).src)
            else:
                args.append(self.fit(self.expr(scope, {s}, self.draw(st.integers(0, 2))),
                                     b).src)
        lines.append("%s%s = %s" % (pad, name, self.call_src(h, args)))
        scope.vars[name] = Var(name, h.out_shape, h.out_bound)

    def exit_stmt(self, scope, lines, indent):
        pad = "    " * indent
        lines.append("%sif %s:" % (pad, self.condition(scope)))
        lines.append("%s    %s" % (pad, self.pick(["break", "continue"])))

    def for_stmt(self, scope, lines, indent, cf_depth, targets):
        pad = "    " * indent
        carried = self._targets(scope, targets)
        if not carried:
            return
        self.has_loop = True
        i = self.fresh("i")
        sized = [v for v in scope.vars.values() if v.shape]
        ints = [n for n in scope.numbers if n.top is not None]
        uniform = [it for it in scope.items if it.uniform is not None]
        forms = [(4, "const"), (1, "start")] + ([(1, "shape")] if sized else [])
        forms += [(1, "number")] if ints else []
        if self.on("mutation"):
            forms += [(1, "count"), (1, "coefs")]
        forms += [(2, "items")] if uniform else []
        if scope.cell_seqs:
            forms += [(3, "layers")] if self.on("cell_list") else []
            forms += [(3, "layers_index")] if self.on("cell_list_index") else []
        form = self.weighted(forms)
        kw = {}
        if form == "const":
            k = self.draw(st.integers(0, 3))
            header, top = "range(%d)" % k, k - 1
        elif form == "start":
            a = self.draw(st.integers(0, 2))
            b = a + self.draw(st.integers(1, 3))
            header, top = "range(%d, %d)" % (a, b), b - 1
        elif form == "shape":
            v = self.pick(sized)
            header, top = "range(%s.shape[0])" % v.name, v.shape[0] - 1
        elif form == "number":
            n = self.pick(ints)
            header, top = "range(%s)" % n.src, n.top - 1
        elif form == "count":
            src, most = self.mutable_count()
            header, top = "range(%s)" % src, most - 1
        elif form == "coefs":
            c = self.fresh("c")
            lines.append("%sfor %s in %s:" % (pad, c, self.coefs_loop_src()))
            self.loop_body(scope, lines, indent + 1, cf_depth, carried,
                           numbers=[Num(c, max(abs(v) for v in MUT_VALUES), 0.25)])
            return
        elif form == "items":
            it = self.pick(uniform)
            w = self.fresh("w")
            if self.chance(0.3) and not it.runtime:
                lines.append("%sfor %s, %s in enumerate(%s):" % (pad, i, w, it.src))
                kw["index"] = (i, len(it.shapes) - 1)
            else:
                lines.append("%sfor %s in %s:" % (pad, w, it.src))
            self.loop_body(scope, lines, indent + 1, cf_depth, carried,
                           extra=[Var(w, it.uniform, it.bound, mutable=False)], **kw)
            return
        elif form == "layers":
            cs = self.pick(scope.cell_seqs)
            layer = self.fresh("layer")
            h = dataclasses.replace(cs.layer, name=layer)
            if self.chance(0.3):
                lines.append("%sfor %s, %s in enumerate(%s):" % (pad, i, layer, cs.src))
                kw["index"] = (i, cs.n - 1)
            else:
                lines.append("%sfor %s in %s:" % (pad, layer, cs.src))
            self.loop_body(scope, lines, indent + 1, cf_depth, carried, callables=[h],
                           prefer=h, **kw)
            return
        else:   # layers_index
            cs = self.pick(scope.cell_seqs)
            h = dataclasses.replace(cs.layer, name="%s[%s]" % (cs.src, i))
            header = self.pick(["range(len(%s))" % cs.src, "range(%d)" % cs.n])
            lines.append("%sfor %s in %s:" % (pad, i, header))
            self.loop_body(scope, lines, indent + 1, cf_depth, carried, index=(i, cs.n - 1),
                           callables=[h], prefer=h)
            return
        lines.append("%sfor %s in %s:" % (pad, i, header))
        local = form in ("const", "start") and top >= 0 and cf_depth == 0 \
            and not scope.in_loop and self.on("loop_local") and self.chance(0.4)
        made = self.loop_body(scope, lines, indent + 1, cf_depth, carried, index=(i, top),
                              local=local)
        if made is not None:  # the last iteration's value, read after the loop
            scope.vars[made.name] = Var(made.name, made.shape, made.bound)
        self.loop_else(scope, lines, indent, carried)

    def loop_else(self, scope, lines, indent, carried):
        """Maybe (feature loop_else) the loop's ``else:``, assigning one carried value within
        the bound the loop keeps on it (so the code after sees the same bounds either way)."""
        if not (self.on("loop_else") and self.chance(0.3)):
            return
        pad = "    " * indent
        name = self.pick(sorted(carried))
        entry = scope.vars[name].bound
        inner = scope.child()
        body = []
        self.assign_exact(inner, body, pad + "    ", name, scope.vars[name].shape)
        if inner.vars[name].bound > entry:
            self.squash(inner, body, pad + "    ", name, entry)
        lines.append("%selse:" % pad)
        lines.extend(body)

    def while_stmt(self, scope, lines, indent, cf_depth, targets):
        pad = "    " * indent
        carried = self._targets(scope, targets)
        if not carried:
            return
        self.has_loop = True
        n = self.fresh("n")
        k = self.draw(st.integers(1, 4))
        for name in carried:   # the condition is evaluated with the loop-invariant bounds
            v = scope.vars[name]
            scope.vars[name] = Var(name, v.shape, max(v.bound, 1.0))
        lines.append("%s%s = 0" % (pad, n))
        if self.on("while_exit") and self.chance(0.5):
            # while True: the counter's break first, then break / continue on tensor values
            lines.append("%swhile True:" % pad)
            exits = self.pick([("start",), ("end",), ("start", "end")])
            self.loop_body(scope, lines, indent + 1, cf_depth, carried,
                           first=["%s += 1" % n, "if %s > %d:" % (n, k), "    break"],
                           exits=exits)
            return
        cond = self.condition(scope)
        if self.chance(0.7):
            lines.append("%swhile %s < %d and %s:" % (pad, n, k, cond))
            self.loop_body(scope, lines, indent + 1, cf_depth, carried,
                           first=["%s += 1" % n])
        else:
            lines.append("%swhile %s:" % (pad, cond))
            self.loop_body(scope, lines, indent + 1, cf_depth, carried,
                           first=["%s += 1" % n, "if %s > %d:" % (n, k), "    break"])
        self.loop_else(scope, lines, indent, carried)

    # ---- side effects, shapes, sequences, captured lists, closures -----------------------
    def effect_stmt(self, scope, lines, pad):
        """``CALLS.append((tag, k))``, ``print(tag, k)``, ``print(tag, k, file=OUT)``."""
        if not self.effects:
            self.effects = True
            self.imports.add("io")
            self.decls[:0] = ["CALLS = []", "OUT = io.StringIO()"]
        tag = "e%d" % next(self.tags)
        options = [(3, "const")]
        if self.on("effects_index"):
            options += [(3, "index")] if scope.indices else []
            options += [(1, "number")] if scope.numbers else []
        kind = self.weighted(options)
        if kind == "index":
            value = self.pick(scope.indices)[0]
        elif kind == "number":
            value = self.pick(scope.numbers).src
        else:
            value = repr(self.draw(st.integers(0, 9)))
        form = self.pick(["append", "print", "file"])
        if form == "append":
            lines.append("%sCALLS.append((%r, %s))" % (pad, tag, value))
        elif form == "print":
            lines.append("%sprint(%r, %s)" % (pad, tag, value))
        else:
            lines.append("%sprint(%r, %s, file=OUT)" % (pad, tag, value))

    def shape_stmt(self, scope, lines, pad):
        """``b, s = v.shape`` / ``n, = v.shape`` / ``n = len(v)``: Python ints."""
        v = self.pick([v for v in scope.vars.values() if v.shape])
        src = v.name if v.name.isidentifier() or v.name.startswith("self.") \
            else "(%s)" % v.name
        if len(v.shape) == 2 and self.chance(0.7):
            names = [self.fresh("b"), self.fresh("s")]
            lines.append("%s%s, %s = %s.shape" % (pad, names[0], names[1], src))
            dims = list(v.shape)
        elif len(v.shape) == 1 and self.chance(0.6):
            names = [self.fresh("n")]
            form = self.pick(["%s, = %s.shape", "(%s,) = %s.shape", "[%s] = %s.shape"])
            lines.append(pad + form % (names[0], src))
            dims = list(v.shape)
        else:
            names = [self.fresh("n")]
            lines.append("%s%s = len(%s)" % (pad, names[0], v.name))
            dims = [v.shape[0]]
        for name, d in zip(names, dims):
            scope.numbers.append(Num(name, float(d), float(d), d))

    def seq_stmt(self, scope, lines, indent):
        """A tuple or list of tensors of one shape, built by a loop or a comprehension, then
        readable as ``ys[k]``, ``ops.stack(ys)``, ``sum(ys)``, ``len(ys)``, ``for y in ys``."""
        pad = "    " * indent
        reachable = _producible(scope.shapes0(), self.MAX_DEPTH)[-1]
        shape = self.pick(sorted(reachable & ALLOWED))
        name = self.fresh("ys")
        forms = []
        if self.on("seq_loop"):
            forms += [(2, "concat"), (1, "aug"), (2, "append")]
        if self.on("list_alias"):
            forms += [(2, "alias")]
        if self.on("seq_comp"):
            forms += [(2, "comp_range"), (1, "gen_const")]
            forms += [(1, "comp_items")] if any(it.uniform and not it.runtime
                                                for it in scope.items) else []
            forms += [(2, "comp_layers")] if any(cs.layer.out_shape == shape
                                                 for cs in scope.cell_seqs) else []
        form = self.weighted(forms)
        self.has_loop = True
        runtime = None  # a shape entry the loop runs over (its trip count a run-time value)
        if (form in ("concat", "aug", "append") and self.on("seq_runtime")) \
                or (form == "comp_range" and self.on("comp_runtime")):
            def counts():
                return [n for n in scope.numbers if n.top is not None and n.hi == n.lo == n.top
                        and 1 <= n.top <= 3 and n.src.isidentifier()]
            if self.chance(0.5):
                if not counts() and any(v.shape for v in scope.vars.values()):
                    self.shape_stmt(scope, lines, pad)  # n = len(x): a shape entry
                if counts():
                    runtime = self.pick(counts())
        if form in ("concat", "aug", "append", "alias"):
            k = self.draw(st.integers(1, 3)) if runtime is None else runtime.top
            i = self.fresh("i")
            inner = scope.child(in_loop=True)
            if runtime is None:  # (a run-time counter indexes nothing compile-time)
                inner.indices = inner.indices + [(i, k - 1)]
            lines.append("%s%s = %s" % (pad, name, "()" if form in ("concat", "aug") else "[]"))
            if form == "alias":  # the list's append reached another way than by its name
                how = self.pick(["name", "getattr", "unbound", "default"])
                push = self.fresh("push")
                if how == "name":
                    lines.append("%s%s = %s.append" % (pad, push, name))
                elif how == "default":
                    lines.append("%sdef %s(v, store=%s):" % (pad, push, name))
                    lines.append("%s    store.append(v)" % pad)
                call = {"name": push + "(%s)", "default": push + "(%s)",
                        "getattr": "getattr(%s, 'append')(%%s)" % name,
                        "unbound": "list.append(%s, %%s)" % name}[how]
            lines.append("%sfor %s in range(%s):" % (pad, i, k if runtime is None
                                                      else runtime.src))
            if self.on("effects") and self.chance(0.3):
                self.effect_stmt(inner, lines, pad + "    ")
            e = self.expr(inner, {shape})
            if form == "concat":
                lines.append("%s    %s = %s + (%s,)" % (pad, name, name, _strip(e.src)))
            elif form == "aug":
                lines.append("%s    %s += (%s,)" % (pad, name, _strip(e.src)))
            elif form == "alias":
                lines.append("%s    %s" % (pad, call % _strip(e.src)))
            else:
                lines.append("%s    %s.append(%s)" % (pad, name, _strip(e.src)))
        elif form == "comp_range":
            k = self.draw(st.integers(1, 3)) if runtime is None else runtime.top
            i = self.fresh("i")
            inner = scope.child(in_loop=True)
            if runtime is None:  # (a run-time counter indexes nothing compile-time)
                inner.indices = inner.indices + [(i, k - 1)]
            e = self.expr(inner, {shape})
            fmt = self.pick(["[%s for %s in range(%s)]", "tuple(%s for %s in range(%s))"]
                            if runtime is None else ["[%s for %s in range(%s)]"])
            lines.append("%s%s = %s" % (pad, name, fmt % (_strip(e.src), i, k if runtime is None
                                                           else runtime.src)))
        elif form == "gen_const":
            k = self.draw(st.integers(1, 3))
            cs = [self.pick(CONSTS) for _ in range(k)]
            c = self.fresh("c")
            inner = scope.child(in_loop=True)
            inner.numbers = inner.numbers + [Num(c, max(abs(x) for x in cs),
                                                 min(abs(x) for x in cs))]
            e = self.expr(inner, {shape})
            if not _uses(e.src, c):
                e = self.fit(self.binary(e, E(c, (), inner.numbers[-1].hi, False)))
            fmt = self.pick(["[%s for %s in %r]", "tuple(%s for %s in %r)"])
            lines.append("%s%s = %s" % (pad, name, fmt % (_strip(e.src), c, tuple(cs))))
        elif form == "comp_items":
            it = self.pick([it for it in scope.items if it.uniform and not it.runtime])
            k = len(it.shapes)
            w = self.fresh("w")
            inner = scope.child(in_loop=True)
            inner.vars[w] = Var(w, it.uniform, it.bound, mutable=False)
            e = self.expr(inner, {shape}, self.draw(st.integers(1, 2)))
            lines.append("%s%s = [%s for %s in %s]" % (pad, name, _strip(e.src), w, it.src))
        else:   # comp_layers
            cs = self.pick([cs for cs in scope.cell_seqs if cs.layer.out_shape == shape])
            k = cs.n
            layer = self.fresh("layer")
            h = dataclasses.replace(cs.layer, name=layer)
            args = [self.fit(self.expr(scope, {s}, self.draw(st.integers(0, 2))), b).src
                    for s, b in h.params]
            lines.append("%s%s = [%s for %s in %s]" % (pad, name, self.call_src(h, args),
                                                       layer, cs.src))
            e = E("", shape, h.out_bound)
        self.register_seq(scope, name, k, shape, e.bound, lines, indent,
                          runtime=runtime is not None)

    def register_seq(self, scope, name, k, shape, bound, lines=None, indent=0, runtime=False):
        """Make the sequence readable (a few reads of it become values of the scope), and
        (``lines``) often read it at once: a new value from one read, or a loop over it.
        ``runtime``: a run-time list (no ``sum(ys)`` over it, no enumerate)."""
        it = Items(name, [shape] * k, bound, name, runtime=runtime)
        if self.on("seq_iter"):
            scope.items.append(it)
        reads = [("%s[%d]" % (name, j), shape, bound) for j in range(k)]
        reads += [("%s[-1]" % name, shape, bound)]
        reads += [] if runtime and not self.on("comp_runtime") else [
            ("sum(%s)" % name, shape, k * bound)]
        reads += [("ops.sum(ops.stack(%s), 0)" % name, shape, k * bound),
                  ("ops.mean(ops.stack(%s), 0)" % name, shape, bound)]
        if (k,) + shape in ALLOWED:
            reads.append(("ops.stack(%s)" % name, (k,) + shape, bound))
        made = []
        for _ in range(self.draw(st.integers(1, 2))):
            src, s, b = self.pick(reads)
            scope.vars[src] = Var(src, s, b, mutable=False)
            made.append(scope.vars[src])
        if self.chance(0.6):
            scope.numbers.append(Num("len(%s)" % name, float(k), float(k), k))
        if lines is not None and self.on("starred") and self.chance(0.4):
            self.starred_stmt(scope, lines, indent, name, k, shape, bound, runtime)
        if lines is None or not self.chance(0.7):
            return
        if self.on("seq_iter") and self.chance(0.4):
            self.items_stmt(scope, lines, indent, it)
            return
        read = self.pick(made)
        partner = frozenset(s for s in ALLOWED if _bc(read.shape, s) is not None)
        first = self.fit(E(read.name, read.shape, read.bound))
        if self.on("seq_stop") and self.chance(0.3):
            first = E("ops.stop_gradient(%s)" % first.src, first.shape, first.bound)
        e = self.fit(self.binary(first, self.expr(scope, partner, self.draw(st.integers(0, 1)))))
        if self.chance(0.3):
            e = self.fit(self.unary(e))
        v = self.fresh()
        lines.append("%s%s = %s" % ("    " * indent, v, _strip(e.src)))
        scope.vars[v] = Var(v, e.shape, e.bound)

    def starred_stmt(self, scope, lines, indent, name, k, shape, bound, runtime=False):
        """Starred unpacking of sequence ``name`` (``k`` items of ``shape``; feature
        starred): ``a, *rest = ys`` or ``*init, a = ys`` (``a`` a new value, ``len(rest)`` a
        number), or a display ``[*ys, e]`` / ``(*ys, e)`` summed (``[e, *ys]`` too where
        ``ys`` is known when the code is compiled: a run-time list is unpacked first only)."""
        pad = "    " * indent
        form = self.pick(["first", "last", "display"])
        a, rest = self.fresh(), self.fresh("rest")
        if form == "first":
            lines.append("%s%s, *%s = %s" % (pad, a, rest, name))
        elif form == "last":
            lines.append("%s*%s, %s = %s" % (pad, rest, a, name))
        if form != "display":
            scope.vars[a] = Var(a, shape, bound)
            scope.numbers.append(Num("len(%s)" % rest, float(k - 1), float(k - 1), k - 1))
            return
        e = self.expr(scope, {shape})
        zs = self.fresh("zs")
        display = self.pick(["[*{ys}, {e}]", "(*{ys}, {e})"] + ([] if runtime else
                                                                ["[{e}, *{ys}]"]))
        lines.append("%s%s = %s" % (pad, zs, display.format(ys=name, e=_strip(e.src))))
        v = self.fresh()
        lines.append("%s%s = ops.sum(ops.stack(%s), 0)" % (pad, v, zs))
        scope.vars[v] = Var(v, shape, k * bound + e.bound)
        self.squash(scope, lines, pad, v, MAXB)

    def items_stmt(self, scope, lines, indent, it=None):
        """A sum over a sequence of tensors of any shapes (an L2 term over a list of
        Parameters): a loop, ``enumerate`` with constant coefficients, a generator
        expression, or a loop over indices."""
        pad = "    " * indent
        it = self.pick(scope.items) if it is None else it
        acc = self.fresh("l")
        w = self.fresh("w")
        reds = [("ops.sum(%s ** 2)", lambda s, b: _size(s) * b * b),
                ("ops.mean(ops.sin(%s))", lambda s, b: 1.0),
                ("%s.sum()", lambda s, b: _size(s) * b),
                ("ops.mean(%s * %s)", lambda s, b: b * b)]
        red, rb = self.pick(reds)
        per = max(rb(s, it.bound) for s in it.shapes)
        n = len(it.shapes)

        def r(x):
            return red % ((x, x) if red.count("%s") == 2 else (x,))
        forms = [(3, "loop")]
        if self.on("seq_comp") and (not it.runtime or self.on("comp_runtime")):
            forms += [(2, "gen"), (1, "stack")]
        if self.on("const_seq"):
            forms += [(1, "enum")] if not it.runtime else []
            forms += [(1, "index")] if it.index else []
        form = self.weighted(forms)
        bound = n * per
        if form == "loop":
            lines.append("%s%s = 0.0" % (pad, acc))
            lines.append("%sfor %s in %s:" % (pad, w, it.src))
            if self.chance(0.3):
                lines.append("%s    %s += %s" % (pad, acc, r(w)))
            else:
                lines.append("%s    %s = %s + %s" % (pad, acc, acc, r(w)))
        elif form == "gen":
            lines.append("%s%s = sum(%s for %s in %s)" % (pad, acc, r(w), w, it.src))
        elif form == "stack":
            lines.append("%s%s = ops.stack([%s for %s in %s]).sum()"
                         % (pad, acc, r(w), w, it.src))
        elif form == "enum":
            k = self.fresh("k")
            inner = scope.child(in_loop=True)
            inner.indices = inner.indices + [(k, n - 1)]
            c = self.const_seq_entry(inner)
            lines.append("%s%s = 0.0" % (pad, acc))
            lines.append("%sfor %s, %s in enumerate(%s):" % (pad, k, w, it.src))
            lines.append("%s    %s = %s + %s * %s" % (pad, acc, acc, c.src, r(w)))
            bound *= c.bound
        else:
            k = self.fresh("k")
            lines.append("%s%s = 0.0" % (pad, acc))
            lines.append("%sfor %s in range(len(%s)):" % (pad, k, it.index))
            lines.append("%s    %s = %s + %s" % (pad, acc, acc, r("%s[%s]" % (it.index, k))))
        self.has_loop = True
        scope.vars[acc] = Var(acc, (), bound)
        self.squash(scope, lines, pad, acc, MAXB)

    def rows_stmt(self, scope, lines, indent):
        """A sum over the rows of a 2-D value (feature rows): ``for r in v``,
        ``enumerate(v)``, ``zip(v, w)``, ``zip(v, (c0, c1))``, ``reversed(v)``, a generator
        expression, or ``ops.stack`` of a list comprehension (a value of ``v``'s shape)."""
        pad = "    " * indent
        v = self.pick([v for v in scope.vars.values() if len(v.shape) == 2])
        k = v.shape[0]
        acc, r = self.fresh("l"), self.fresh("r")
        reds = [("ops.sum(%s * %s)", lambda b, n: n * b * b), ("ops.mean(ops.sin(%s))",
                                                              lambda b, n: 1.0),
                ("%s.sum()", lambda b, n: n * b), ("ops.mean(ops.tanh(%s))", lambda b, n: 1.0)]
        red, rb = self.pick(reds)

        def rd(x):
            return red % ((x, x) if red.count("%s") == 2 else (x,))
        per = rb(v.bound, v.shape[1])
        partners = [w for w in scope.vars.values() if w.shape and w.name != v.name]
        forms = ["for", "enumerate", "zip_numbers", "reversed", "genexp", "stack"]
        forms += ["zip", "enumerate_zip"] if partners else []
        form = self.pick(forms)
        self.has_loop = True
        if form == "stack":  # a value of v's shape
            c = self.pick([0.5, -1.25, 2.0])
            lines.append("%s%s = ops.stack([ops.tanh(%s) * %r for %s in %s])"
                         % (pad, acc, r, c, r, v.name))
            scope.vars[acc] = Var(acc, v.shape, abs(c))
            return
        bound = k * per
        if form == "genexp":
            lines.append("%s%s = sum(%s for %s in %s)" % (pad, acc, rd(r), r, v.name))
        elif form == "for":
            lines.append("%s%s = 0.0" % (pad, acc))
            lines.append("%sfor %s in %s:" % (pad, r, v.name))
            lines.append("%s    %s = %s + %s" % (pad, acc, acc, rd(r)))
        elif form == "reversed":  # (the order matters: acc halves at each step)
            lines.append("%s%s = 0.0" % (pad, acc))
            lines.append("%sfor %s in reversed(%s):" % (pad, r, v.name))
            lines.append("%s    %s = %s * 0.5 + %s" % (pad, acc, acc, rd(r)))
            bound = 2 * per
        elif form == "enumerate":
            i = self.fresh("i")
            lines.append("%s%s = 0.0" % (pad, acc))
            lines.append("%sfor %s, %s in enumerate(%s):" % (pad, i, r, v.name))
            lines.append("%s    %s = %s + (0.5 * %s + 1.0) * %s" % (pad, acc, acc, i, rd(r)))
            bound = sum(0.5 * j + 1.0 for j in range(k)) * per
        elif form == "zip_numbers":
            cs = tuple(self.pick(CONSTS) for _ in range(self.draw(st.integers(1, 3))))
            c = self.fresh("c")
            lines.append("%s%s = 0.0" % (pad, acc))
            lines.append("%sfor %s, %s in zip(%s, %r):" % (pad, r, c, v.name, cs))
            lines.append("%s    %s = %s + %s * %s" % (pad, acc, acc, c, rd(r)))
            bound = min(k, len(cs)) * per * max(abs(x) for x in cs)
        else:  # zip of two values' rows (the shorter one's count), or enumerate of it
            w = self.pick(partners)
            q = self.fresh("q")
            lines.append("%s%s = 0.0" % (pad, acc))
            if form == "enumerate_zip":
                lines.append("%sfor %s, (%s, %s) in enumerate(zip(%s, %s)):" % (
                    pad, self.fresh("i"), r, q, v.name, w.name))
            else:
                lines.append("%sfor %s, %s in zip(%s, %s):" % (pad, r, q, v.name, w.name))
            row_w = w.shape[1:]
            if _bc(v.shape[1:], row_w) is not None:
                lines.append("%s    %s = %s + ops.sum(%s * %s)" % (pad, acc, acc, r, q))
                per = _size(_bc(v.shape[1:], row_w)) * v.bound * w.bound
            else:
                lines.append("%s    %s = %s + ops.sum(%s) * ops.mean(%s)" % (pad, acc, acc, r,
                                                                         q))
                per = _size(v.shape[1:]) * v.bound * w.bound
            bound = min(k, w.shape[0]) * per
        scope.vars[acc] = Var(acc, (), bound)
        self.squash(scope, lines, pad, acc, MAXB)

    def closure_stmt(self, scope, lines, indent):
        """``fn = lambda t: ...`` or ``def fn(t, k=...): return ...`` over the function's
        own values (captured, then never reassigned), called later like a helper."""
        pad = "    " * indent
        shape = self.pick(sorted(scope.shapes0()))
        name, t = self.fresh("fn"), self.fresh("t")
        form = self.pick(["lambda", "def"])
        options = ()
        inner = scope.child()
        inner.vars[t] = Var(t, shape, PARAM_BOUND, mutable=False)
        if form == "def" and self.chance(0.5):
            k = self.fresh("k")
            values = [self.pick(KW_VALUES) for _ in range(3)]
            options = ((k, values[1:]),)
            inner.numbers = inner.numbers + [Num(k, max(abs(v) for v in values),
                                                 min(abs(v) for v in values))]
        partner = frozenset(s for s in ALLOWED if _bc(shape, s) is not None)
        a = self.expr(inner, partner, self.draw(st.integers(0, 2)))
        e = self.fit(self.binary(E(t, shape, PARAM_BOUND), a))
        for v in scope.vars.values():
            if v.mutable and _uses(e.src, v.name):
                v.mutable = False       # captured: its value at the call is its value here
        if form == "lambda":
            lines.append("%s%s = lambda %s: %s" % (pad, name, t, _strip(e.src)))
        else:
            head = t + "".join(", %s=%r" % (k, vals[0]) for k, vals in options)
            lines.append("%sdef %s(%s):" % (pad, name, head))
            lines.append("%s    return %s" % (pad, _strip(e.src)))
        h = Helper(name, [(shape, PARAM_BOUND)], e.shape, e.bound, False,
                   param_names=(t,), options=options)
        scope.callables.append(h)
        if self.chance(0.7):
            self.call_stmt(scope, lines, indent, h)

    # ---- gen-more: split parts, HyperMap, gradients inside the program ------------------
    def parts_stmt(self, scope, lines, indent):
        """``ps = ops.split(v, 1, 0)`` (``unstack``, ``unbind``, ``v.split``,
        ``ops.Split(0, v.shape[0])``): a run-time list of parts, whose count comes from a
        shape; then unpacked, indexed (``ps[-1]``, ``ps[len(ps) - 1]``), stop_gradient'ed,
        looped over, stacked / concatenated back (mapped: ``ops.stack([.. for p in ps])``)."""
        pad = "    " * indent
        reachable = _producible(scope.shapes0(), self.MAX_DEPTH)[-1]
        shape = self.pick(sorted(s for s in reachable if s in PARTS))
        form, part, count, rejoin = self.pick(PARTS[shape])
        e = self.expr(scope, {shape})
        src = _strip(e.src)
        if "{v}.shape" in form:
            if not src.isidentifier():
                t = self.fresh("t")
                lines.append("%s%s = %s" % (pad, t, src))
                src = t
            made = form.format(v=src)
        else:
            made = form.format(v=src if src.isidentifier() else "(%s)" % src
                               if form.startswith("{v}.") else src)
        ps = self.fresh("ps")
        lines.append("%s%s = %s" % (pad, ps, made))
        self.has_loop = True    # (a run-time list: its loops are loops)
        scope.items.append(Items(ps, [part] * count, e.bound, ps, runtime=True))
        reads = [("%s[%d]" % (ps, j), part, e.bound) for j in range(count)]
        reads += [("%s[-1]" % ps, part, e.bound), ("%s[len(%s) - 1]" % (ps, ps), part, e.bound),
                  ("ops.stop_gradient(%s[%d])" % (ps, self.draw(st.integers(0, count - 1))),
                   part, e.bound),
                  (rejoin % ps, shape, e.bound),
                  ("ops.mean(ops.stack(%s), 0)" % ps, part, e.bound)]
        for _ in range(self.draw(st.integers(1, 2))):
            r, s, b = self.pick(reads)
            scope.vars[r] = Var(r, s, b, mutable=False)
        if self.chance(0.5):
            scope.numbers.append(Num("len(%s)" % ps, float(count), float(count), count))
        how = self.weighted([(2, "unpack"), (2, "map"), (1, "none")])
        if how == "unpack":
            names = [self.fresh("q") for _ in range(count)]
            lines.append("%s%s = %s" % (pad, ", ".join(names) + ("," if count == 1 else ""),
                                        ps))
            for n in names:
                scope.vars[n] = Var(n, part, e.bound)
        elif how == "map":      # mapped by a loop (a comprehension over a run-time list is
            p = self.fresh("p")  # refused: "iterating over a runtime value here")
            inner = scope.child(in_loop=True)
            inner.vars[p] = Var(p, part, e.bound, mutable=False)
            m = self.fit(self.expr(inner, {part}, self.draw(st.integers(1, 2))))
            if not _uses(m.src, p):
                m = self.fit(self.binary(E(p, part, e.bound), m))
            v, qs = self.fresh(), self.fresh("qs")
            lines.append("%s%s = []" % (pad, qs))
            lines.append("%sfor %s in %s:" % (pad, p, ps))
            lines.append("%s    %s.append(%s)" % (pad, qs, _strip(m.src)))
            lines.append("%s%s = %s" % (pad, v, rejoin % qs))
            scope.vars[v] = Var(v, shape, m.bound)

    def hyper_stmt(self, scope, lines, indent):
        """``u, w = HYPER(MT, (a, b), (c, d))`` (a HyperMap over a MultitypeFuncGraph), the
        bound ``HYPERB((a, b), (c, d))``, ``HYPER(F.partial(MT, 0.5), (a, b))`` (a Number
        registration), ``HYPER(F.partial(MT, t), (a, b))``: a tuple of results."""
        pad = "    " * indent
        mt, hyper, bound_hyper, fb = self.hyper
        reachable = sorted(_producible(scope.shapes0(), self.MAX_DEPTH)[-1])
        n = self.draw(st.integers(1, 3))
        form = self.pick(["pairs", "bound", "partial_number", "partial_tensor"])
        firsts = [self.fit(self.expr(scope, {self.pick(reachable)}), 2.0) for _ in range(n)]
        if form == "partial_number":
            c = self.pick(CONSTS)
            call = "%s(F.partial(%s, %r), (%s,))" % (hyper, mt, c, ", ".join(
                _strip(a.src) for a in firsts))
            outs = [(a.shape, a.bound * abs(c)) for a in firsts]
        else:
            if form == "partial_tensor":
                t = self.fit(self.expr(scope, {()}), 2.0)
                seconds = None
            else:
                seconds = [self.fit(self.expr(scope, {a.shape}), 2.0) for a in firsts]
            if form == "partial_tensor":
                call = "%s(F.partial(%s, %s), (%s,))" % (hyper, mt, _strip(t.src), ", ".join(
                    _strip(a.src) for a in firsts))
            else:
                pairs = "(%s,), (%s,)" % (", ".join(_strip(a.src) for a in firsts),
                                          ", ".join(_strip(b.src) for b in seconds))
                call = "%s(%s, %s)" % (hyper, mt, pairs) if form == "pairs" else \
                    "%s(%s)" % (bound_hyper, pairs)
            outs = [(a.shape, fb) for a in firsts]
        if self.chance(0.5):
            names = [self.fresh() for _ in outs]
            lines.append("%s%s = %s" % (pad, ", ".join(names) + ("," if n == 1 else ""), call))
            for name, (s, b) in zip(names, outs):
                scope.vars[name] = Var(name, s, b)
        else:
            hs = self.fresh("hs")
            lines.append("%s%s = %s" % (pad, hs, call))
            for j, (s, b) in enumerate(outs):
                scope.vars["%s[%d]" % (hs, j)] = Var("%s[%d]" % (hs, j), s, b, mutable=False)

    def grad_target(self, scope):
        """A module-level function ``gfK(t, u)`` of one or two tensors (a loop-free
        expression, conditional ones too) to take a gradient of inside the program."""
        reachable = sorted(_producible(scope.shapes0(), self.MAX_DEPTH)[-1])
        params = [(self.pick(reachable), PARAM_BOUND) for _ in range(self.draw(
            st.integers(1, 2)))]
        names = ["t", "u"][:len(params)]
        inner = Scope([Var(n, s_, b, mutable=False) for n, (s_, b) in zip(names, params)])
        saved, self.features = self.features, self.features - {"while_exit"}
        in_net, self.in_net = self.in_net, False    # (a module-level function: no self.)
        try:    # (no float(ops.stop_gradient(.)) conditions: their stop_gradient goes below)
            e = self.expr(inner, ALLOWED, self.draw(st.integers(1, self.MAX_DEPTH)))
        finally:
            self.features, self.in_net = saved, in_net
        # (no stop_gradient: the checker's differences replace it by a function of theirs,
        # which the compiler would be asked to differentiate)
        for m in re.findall(r"__COND\d+__", e.src):
            src, op, c = self.conds[m]
            self.conds[m] = (src.replace("ops.stop_gradient(", "ops.tanh("), op, c)
        e.src = e.src.replace("ops.stop_gradient(", "ops.tanh(")
        if not _uses(e.src, "t"):
            t = E("ops.sin(t)", params[0][0], 1.0)
            if _bc(t.shape, e.shape) is None:  # (e read u only, of a shape t's does not fit)
                t = E("ops.sin(t).mean()", (), 1.0)
            e = self.fit(self.binary(t, e))
        name = self.fresh("gf")
        self.aux_defs.append("def %s(%s):\n    return %s" % (name, ", ".join(names),
                                                           _strip(e.src)))
        return Helper(name, params, e.shape, e.bound, False, param_names=tuple(names))

    def inner_candidates(self, scope):
        reachable = _producible(scope.shapes0(), self.MAX_DEPTH)[-1]
        return [h for h in scope.callables if h.gradable and not h.has_loop
                and all(s in reachable for s, _ in h.params)
                and (h.style in ("plain", "star") or not h.name.startswith("self."))
                and not re.match(r"fn\d", h.name)]   # (a nested def passed on is refused)

    def inner_stmt(self, scope, lines, indent):
        """A gradient taken inside the program (so differentiated to second order):
        ``ops.grad(h, 0)(..)``, ``ops.grad(h, (0, 1))``, ``ops.value_and_grad(h, 0)``,
        ``ops.GradOperation()(h)`` (in a Cell, an attribute ``self.gop``),
        ``GradOperation(get_all=True)``, and ``has_aux`` through a nested ``def`` returning
        ``(ops.sum(h(..)), aux)``; each gradient squashed by tanh (its bound is unknown)."""
        pad = "    " * indent
        given = scope.child()       # (a hooked Tensor given to a gradient function is
        for name in self.hooked:    # refused when the direct call runs it eagerly)
            given.vars.pop(name, None)
        if not given.vars:
            return
        candidates = self.inner_candidates(given)
        if not candidates or self.chance(0.3):
            candidates = [self.grad_target(given)]
        h = self.pick(candidates)
        args = [_strip(self.fit(self.expr(given, {s}, self.draw(st.integers(0, 2))), b).src)
                for s, b in h.params]
        n = len(args)
        plain = h.style in ("plain", "star")
        forms = [(2, "aux"), (1, "vg_aux")] if not h.name.startswith("self.") else []
        if plain:
            forms += [(2, "grad"), (1, "vg"), (2, "gradop")] + (
                [(2, "grad_all"), (1, "gradop_all")] if n > 1 else [])
        form = self.weighted(forms)
        joined = ", ".join(args)
        grads, value = [], None         # [(name, position)]
        if form in ("aux", "vg_aux"):
            # a module-level function (a nested def passed to ops.grad is refused:
            # UnsupportedSyntaxError, "a lambda or nested function is passed to another
            # function, which cannot call it")
            fn, ts = self.fresh("aux"), [self.fresh("t") for _ in args]
            aux_fn = self.pick(["ops.sin(%s)", "%s * 2.0", "ops.tanh(%s)"])
            self.aux_defs.append("def %s(%s):\n    return ops.sum(%s), %s" % (
                fn, ", ".join(ts), self.call_src(h, ts), aux_fn % ts[0]))
            g, ax = self.fresh("g"), self.fresh("ax")
            if form == "aux":
                lines.append("%s%s, %s = ops.grad(%s, 0, has_aux=True)(%s)"
                             % (pad, g, ax, fn, joined))
            else:
                value = self.fresh()
                lines.append("%s(%s, %s), %s = ops.value_and_grad(%s, 0, has_aux=True)(%s)"
                             % (pad, value, ax, g, fn, joined))
                scope.vars[value] = Var(value, (), h.out_bound * _size(h.out_shape))
                self.squash(scope, lines, pad, value, MAXB)
            grads.append((g, 0))
            # ops.grad(.., has_aux=True) gives the aux outputs as a tuple, value_and_grad's
            # value is the function's outputs (loss, aux)
            read = "%s[0]" % ax if form == "aux" else ax
            scope.vars[read] = Var(read, h.params[0][0], 2.0 * h.params[0][1], mutable=False)
        elif form in ("grad", "vg"):
            pos = self.draw(st.integers(0, n - 1))
            g = self.fresh("g")
            spec = repr(pos) if self.chance(0.6) else "(%d,)" % pos
            if form == "grad":
                lines.append("%s%s = ops.grad(%s, %s)(%s)" % (pad, g, h.name, spec, joined))
            else:
                value = self.fresh()
                lines.append("%s%s, %s = ops.value_and_grad(%s, %s)(%s)"
                             % (pad, value, g, h.name, spec, joined))
                scope.vars[value] = Var(value, h.out_shape, h.out_bound)
            grads.append((g, pos))
        elif form == "gradop":
            g = self.fresh("g")
            if self.in_net and self.chance(0.6):
                if "        self.gop = ops.GradOperation()" not in self.net_init:
                    self.net_init.append("        self.gop = ops.GradOperation()")
                op = "self.gop"
            else:
                op = "ops.GradOperation()"
            lines.append("%s%s = %s(%s)(%s)" % (pad, g, op, h.name, joined))
            grads.append((g, 0))
        else:   # grad_all / gradop_all
            gs = [self.fresh("g") for _ in args]
            call = "ops.grad(%s, (%s))" % (h.name, ", ".join(str(k) for k in range(n))) \
                if form == "grad_all" else "ops.GradOperation(get_all=True)(%s)" % h.name
            lines.append("%s%s = %s(%s)" % (pad, ", ".join(gs), call, joined))
            grads += [(g, k) for k, g in enumerate(gs)]
        for g, pos in grads:
            lines.append("%s%s = ops.tanh(%s)" % (pad, g, g))
            scope.vars[g] = Var(g, h.params[pos][0], 1.0)

    # ---- functions, helpers, Cells -------------------------------------------------------
    def call_stmt(self, scope, lines, indent, h):
        """``v = h(args)``: a call of a helper or sub-Cell, arguments from the scope."""
        reachable = _producible(scope.shapes0(), self.MAX_DEPTH)[-1]
        if not all(s in reachable for s, _ in h.params):
            return
        args = [self.expr(scope, {s}, self.draw(st.integers(0, 2))) for s, _ in h.params]
        args = [self.fit(a, b).src for a, (_, b) in zip(args, h.params)]
        name = self.fresh()
        if self.on("star_call") and h.style in ("plain", "star") and self.chance(0.35):
            # t = (a1, a2); v = h(*t)  (the tuple built by the program, of known length)
            t = self.fresh("t")
            lines.append("%s%s = (%s%s)" % ("    " * indent, t, ", ".join(
                _strip(a) for a in args), "," if len(args) == 1 else ""))
            lines.append("%s%s = %s(*%s)" % ("    " * indent, name, h.name, t))
            scope.vars[name] = Var(name, h.out_shape, h.out_bound)
            return
        lines.append("%s%s = %s" % ("    " * indent, name, self.call_src(h, args)))
        scope.vars[name] = Var(name, h.out_shape, h.out_bound)

    def body_and_return(self, scope, indent, n_stmts, returns="scalar", out_shape=None):
        lines = []
        if returns != "helper" and self.on("struct_args"):
            self.unpack_args(scope, lines, indent)
        for h in scope.callables:
            if self.chance(0.6):
                self.call_stmt(scope, lines, indent, h)
        pad = "    " * indent
        early = n_stmts >= 2 and self.chance(0.25)
        if early:
            first = self.draw(st.integers(1, n_stmts - 1))
            self.block(scope, lines, indent, first, 0)
            n_stmts -= first
            lines.append("%sif %s:" % (pad, self.condition(scope)))
            inner = scope.child()
            self.final_return(inner, lines, indent + 1, returns, early=True,
                              out_shape=out_shape)
        self.block(scope, lines, indent, n_stmts, 0)
        return self.final_return(scope, lines, indent, returns,
                                 shape=self.early_shape if early else None,
                                 out_shape=out_shape)

    def unpack_args(self, scope, lines, indent):
        """``a, b = x0`` for a tuple or list argument of leaves (fresh names)."""
        for it in list(scope.items):
            if it.index and re.fullmatch(r"x\d+", it.index) and self.chance(0.3):
                names = [self.fresh() for _ in it.shapes]
                lines.append("%s%s = %s" % ("    " * indent, ", ".join(names) + (
                    "," if len(names) == 1 else ""), it.index))
                for n, s in zip(names, it.shapes):
                    scope.vars[n] = Var(n, s, it.bound)

    def final_return(self, scope, lines, indent, returns, early=False, shape=None,
                     out_shape=None):
        """``return ...`` in the form ``returns`` asks for.  An early return (``early``) and
        the final one give the same structure; a helper's both return scalars (its callers
        need one output shape, and a scalar can always be made), or both ``out_shape``."""
        pad = "    " * indent
        if returns == "helper":
            if out_shape is not None:
                want = {out_shape}
            else:
                want = {()} if (early or shape is not None) else ALLOWED
            e = self.expr(scope, want, self.draw(st.integers(1, 2)))
            if out_shape is not None:
                e = self.fit(e, PARAM_BOUND)
            lines.append("%sreturn %s" % (pad, _strip(e.src)))
            self.early_shape = e.shape
            return lines, e
        if shape is not None:
            form = self.early_form
        elif self.aux_mode:
            form = self.early_form = "aux"
            self.early_struct = self.pick(AUX_OUTS)
        else:
            forms = [(5, "sum"), (2, "tensor"), (1, "tuple"), (1, "mean")]
            if self.on("struct_out"):
                forms.append((4, "struct"))
            form = self.weighted(forms)
            self.early_form = form
            if form == "struct":
                self.early_struct = self.pick(
                    [s for s in STRUCT_OUTS if ("[" not in s or self.on("struct_out_list")) and
                     (not early or self.on("struct_out_early") or not re.search(r"[\[{]", s))])
        self.early_shape = ()
        if form in ("sum", "mean"):
            e = self.expr(scope, ALLOWED, self.draw(st.integers(0, 2)))
            if self.on("mutation") and self.chance(0.3):    # the value reads a mutable
                e = self.binary(e, self.mutable_number())
            lines.append("%sreturn ops.%s(%s)" % (pad, form, _strip(e.src)))
        elif form == "tensor":
            e = self.expr(scope, ALLOWED, self.draw(st.integers(0, 2)))
            lines.append("%sreturn %s" % (pad, _strip(e.src)))
        else:
            template = "%s, %s" if form == "tuple" else self.early_struct
            if form == "aux":
                self.early_shape = ()
            es = [_strip(self.expr(scope, ALLOWED, self.draw(st.integers(0, 2))).src)
                  for _ in range(template.count("%s"))]
            lines.append("%sreturn %s" % (pad, template % tuple(es)))
        return lines, None

    def _kw_options(self):
        """Optional keyword parameters of a helper or sub-Cell (``kwargs``): a number
        ``scale`` and a flag ``flag``.  Returns (header text, options, numbers, flags)."""
        head, options, numbers, flags = "", [], [], []
        if self.on("kwargs") and self.chance(0.4):
            values = [self.pick(KW_VALUES) for _ in range(3)]
            head += ", scale=%r" % values[0]
            options.append(("scale", values[1:]))
            numbers.append(Num("scale", max(abs(v) for v in values),
                               min(abs(v) for v in values)))
        if self.on("kwargs") and self.chance(0.25):
            head += ", flag=%r" % self.chance(0.5)
            options.append(("flag", [True, False]))
            flags.append("flag")
        return head, tuple(options), numbers, flags

    def helper(self, callables, k):
        n_params = self.draw(st.integers(1, 2))
        params = [(self.pick(SHAPES), PARAM_BOUND) for _ in range(n_params)]
        head, options, numbers, flags = self._kw_options()
        sig, vars_, items, numbers, flags, names, style = self.styled(params, head, numbers,
                                                                      flags)
        scope = Scope(vars_, callables=callables, numbers=numbers, flags=flags, items=items)
        before = self.has_loop
        self.has_loop = False
        lines, e = self.body_and_return(scope, 1, self.draw(st.integers(0, 2)), "helper")
        has_loop = self.has_loop or any(c.has_loop for c in callables
                                        if "%s(" % c.name in "\n".join(lines))
        self.has_loop = before or has_loop
        name = "helper%d" % k
        src = ["def %s(%s):" % (name, sig)] + lines
        return Helper(name, params, e.shape, e.bound, has_loop, param_names=names,
                      options=options, style=style,
                      gradable=_gradable(lines, callables, self.conds)), src

    def styled(self, params, head, numbers, flags, plain_only=False):
        """The parameter list of a helper or sub-Cell taking the tensor ``params`` and the
        optional keywords of ``head`` (``_kw_options``): plain ``a, b, scale=0.5``, or
        (``varargs``) ``a, *rest, scale=0.5`` (the later tensors read as ``rest[k]``, looped
        over, ``len(rest)``), ``a, *, b, scale=0.5`` (keyword-only) or ``a, **kw`` (read as
        ``kw['b']``, ``kw.get('scale', 0.5)``).  Returns (signature text, Vars, Items, numbers,
        flags, parameter names, style)."""
        names = ["a", "b", "c"][:len(params)]
        style = "plain"
        if self.on("varargs") and not plain_only and self.chance(0.4):
            style = self.pick(["star", "kwonly", "kwargs"] if len(params) > 1
                              else ["star", "kwargs"])
        first = Var("a", params[0][0], params[0][1])
        if style == "plain":
            return (", ".join(names) + head, [Var(n, s, b) for n, (s, b) in zip(names, params)],
                    [], numbers, flags, tuple(names), style)
        if style == "star":
            rest = ["rest[%d]" % j for j in range(len(params) - 1)]
            vars_ = [first] + [Var(r, s, b, mutable=False) for r, (s, b) in zip(rest, params[1:])]
            items = [Items("rest", [s for s, _ in params[1:]], PARAM_BOUND, "rest")] if rest \
                else []
            numbers = numbers + [Num("len(rest)", float(len(rest)), float(len(rest)), len(rest))]
            return "a, *rest" + head, vars_, items, numbers, flags, ("a",), style
        if style == "kwonly":
            return ("a, *, " + ", ".join(names[1:]) + head,
                    [Var(n, s, b) for n, (s, b) in zip(names, params)], [], numbers, flags,
                    tuple(names), style)
        defaults = dict(re.findall(r", (\w+)=([^,]+)", head))
        vars_ = [first] + [Var("kw[%r]" % n, s, b, mutable=False)
                           for n, (s, b) in zip(names[1:], params[1:])]
        numbers = [dataclasses.replace(n, src="kw.get(%r, %s)" % (n.src, defaults[n.src]))
                   if n.src in defaults else n for n in numbers]
        flags = ["kw.get(%r, %s)" % (f, defaults[f]) if f in defaults else f for f in flags]
        return "a, **kw", vars_, [], numbers, flags, tuple(names), style

    def call_src_styled(self, h, args):
        """A call of a helper of style star / kwonly / kwargs (see ``styled``)."""
        parts = [_strip(args[0])]
        if h.style == "star":
            parts += [_strip(a) for a in args[1:]]
        else:
            named = ["%s=%s" % (n, _strip(a)) for n, a in zip(h.param_names[1:], args[1:])]
            parts += named[::-1] if len(named) > 1 and self.chance(0.5) else named
        for name, values in h.options:
            if self.chance(0.6):
                parts.append("%s=%r" % (name, self.pick(values)))
        return "%s(%s)" % (h.name, ", ".join(parts))

    def parameter(self, cls, attr, shape, requires_grad, rng, scaled=False):
        value = _literal(rng.uniform(INPUT_LOW, INPUT_HIGH, shape))
        extra = "" if requires_grad else ", requires_grad=False"
        if scaled:      # a CellList's layer: each instance its own values (k = 0, 1, 2)
            return ("        self.%s = Parameter(Tensor(np.array(%s, np.float64) * "
                    "(1.0 - 0.25 * k))%s)" % (attr, value, extra))
        return ("        self.%s = Parameter(Tensor(np.array(%s, np.float64)), name=%r%s)"
                % (attr, value, "%s.%s" % (cls, attr), extra))

    def subcell(self, callables, k, rng, layer_shape=None, inner=None, cls=None):
        """A sub-Cell class; ``layer_shape``: a layer for a CellList / SequentialCell (one
        argument of that shape, an output of that shape bounded by PARAM_BOUND, Parameter
        values set by the constructor's ``k``)."""
        cls = cls or ("Layer%d" if layer_shape is not None else "Sub%d") % k
        n_params = self.draw(st.integers(1 if layer_shape else 0, 2))
        init, pvars = [], []
        for j in range(n_params):
            shape = self.pick(SHAPES + [MAT])
            rg = not self.chance(0.3)
            init.append(self.parameter(cls, "w%d" % j, shape, rg, rng,
                                       scaled=layer_shape is not None))
            pvars.append(Var("self.w%d" % j, shape, abs(INPUT_HIGH), mutable=False))
        if layer_shape is not None:
            params, head, options, numbers, flags = [(layer_shape, PARAM_BOUND)], "", (), [], []
        else:
            params = [(self.pick(SHAPES), PARAM_BOUND)
                      for _ in range(self.draw(st.integers(1, 2)))]
            head, options, numbers, flags = self._kw_options()
        sig, vars_, items, numbers, flags, names, style = self.styled(
            params, head, numbers, flags, plain_only=layer_shape is not None)
        if layer_shape is not None:     # a layer's argument keeps its shape (its output
            vars_ = [dataclasses.replace(v, mutable=False) for v in vars_]  # needs it)
        inner_calls = [c for c in callables if not c.is_cell or c.name.startswith("BP")]
        if inner is not None:           # nested_layers: the layer calls a sub-Cell of its own
            init.append("        self.inner = %s()" % inner[1])
            inner_calls.append(dataclasses.replace(inner[0], name="self.inner"))
        scope = Scope(pvars + vars_, callables=inner_calls, numbers=numbers, flags=flags,
                      items=items)
        before = self.has_loop
        self.has_loop = False
        lines, e = self.body_and_return(scope, 2, self.draw(st.integers(0, 2)), "helper",
                                        out_shape=layer_shape)
        has_loop = self.has_loop or any(c.has_loop for c in inner_calls
                                        if "%s(" % c.name in "\n".join(lines))
        self.has_loop = before or has_loop
        src = ["class %s(nn.Cell):" % cls,
               "    def __init__(self%s):" % (", k=0" if layer_shape is not None else ""),
               "        super().__init__()"] + init + [
               "",
               "    def construct(self, %s):" % sig] + lines
        attr = "self.sub%d" % k
        return Helper(attr, params, e.shape, e.bound, has_loop, is_cell=True,
                      param_names=names, options=options, style=style,
                      gradable=_gradable(lines, inner_calls, self.conds),
                      weights=tuple(v.shape for v in pvars)), src, cls


def _fresh_value(src):
    """Whether the expression ``src`` surely makes a new Tensor (an operator, a math op):
    a hook on a bare name, a conditional expression or ``ms.mutable(x)`` could hook an input
    itself, which the checker then gives to gradient functions (refused, by design)."""
    import ast
    node = ast.parse(src.strip(), mode="eval").body
    if isinstance(node, ast.BinOp):
        return True
    return isinstance(node, ast.Call) and re.fullmatch(
        r"ops\.(sin|cos|tanh|sigmoid|exp|square|sum|mean|matmul|add)", ast.unparse(node.func)
    ) is not None


def _gradable(lines, callables, conds):
    """Whether a gradient may be taken of a body inside the program (feature inner_grad):
    not where it reaches ops.stop_gradient, which the checker's finite differences replace
    by a function of their own (the compiler would be asked to compile that); not where it
    registers a hook (a second derivative through a hook is refused: tests/
    test_gen4_regressions.py)."""
    text = "\n".join(lines)
    text += "".join(conds[m][0] for m in re.findall(r"__COND\d+__", text))
    return "stop_gradient" not in text and "register_hook" not in text and all(
        c.gradable for c in callables if "%s(" % c.name in text)


def _is_number(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def _strip(src):
    """Drop one pair of redundant outer parentheses."""
    if src.startswith("(") and src.endswith(")"):
        depth = 0
        for i, ch in enumerate(src):
            depth += ch == "("
            depth -= ch == ")"
            if depth == 0 and i < len(src) - 1:
                return src
        return src[1:-1]
    return src


def _literal(a):
    """A python literal for a float64 array (3 decimals)."""
    a = np.round(np.asarray(a, np.float64), 3)
    if a.ndim == 0:
        return repr(float(a))
    return repr(a.tolist())


def _literal_tree(tree):
    """Python source for a tree of float64 arrays (tuples, lists, dicts)."""
    if isinstance(tree, tuple):
        return "(%s)" % "".join(_literal_tree(t) + ", " for t in tree)
    if isinstance(tree, list):
        return "[%s]" % ", ".join(_literal_tree(t) for t in tree)
    if isinstance(tree, dict):
        return "{%s}" % ", ".join("%r: %s" % (k, _literal_tree(v)) for k, v in tree.items())
    return "np.array(%s, np.float64)" % _literal(tree)


# =========================================================================================
# programs
# =========================================================================================

HEADER = ("import numpy as np\n"
          "import autograd_st as ms\n"
          "from autograd_st import nn, ops, Parameter, ParameterTuple, Tensor\n\n\n"
          "def _keep(g):\n"
          "    return g\n\n\n"
          "def _pass(g):\n"
          "    return None\n")

PROBE_HEADER = ("_MARGINS = []\n\n\n"
                "def _probe(a, c, op):\n"
                "    # (stop_gradient: a gradient the program takes inside runs through here)\n"
                "    a = ops.stop_gradient(a)\n"
                "    a = float(a.asnumpy()) if hasattr(a, 'asnumpy') else float(a)\n"
                "    _MARGINS.append(abs(a - c))\n"
                "    return a > c if op == '>' else a < c\n\n\n"
                "def _probe_pick(fn, a, b):\n"
                "    # max(a, b) / min(a, b): how far the two are from a tie\n"
                "    _probe(a - b, 0.0, '>')\n"
                "    return fn(a, b)\n\n\n"
                "def _probe_max(a, b):\n"
                "    return _probe_pick(max, a, b)\n\n\n"
                "def _probe_min(a, b):\n"
                "    return _probe_pick(min, a, b)\n")

# structured outputs (feature struct_out; those with a list, struct_out_list): a template
# with one %s per tensor
STRUCT_OUTS = ["(%s, %s, %s)", "{'u': %s, 'v': %s}", "{'out': %s, 'aux': (%s, %s)}",
               "((%s, %s), %s)", "[%s, %s]", "(%s, {'a': %s, 'b': [%s]})"]


@dataclasses.dataclass
class Program:
    """A generated module, the inputs to call it with and what to check on it."""
    template: str           # the module source with condition markers
    conds: dict             # marker -> (src, op, threshold)
    kind: str               # "function" (f) or "cell" (Net)
    inputs: list            # float64 arrays, or tuples / lists / dicts of them
    tangents: list          # the same structures, for jvp
    has_loop: bool
    check_jvp: bool
    check_second: bool
    api: str                # which second gradient API to compare with
    weights: str | None = None      # f's module-level list of Parameters, differentiated
    effects: bool = False           # the program appends to CALLS / prints
    second_effects: bool = True     # ... checked in a second derivative's call too
    mutations: tuple = ()           # ((do, undo), ...) statements run between calls
    features: frozenset = frozenset()
    has_aux: bool = False           # returns (loss, aux...): checked with has_aux=True
    grad_position: object = None    # the positions differentiated (None: all)

    @property
    def source(self):
        return render(self.template, self.conds, probe=False)

    @property
    def probe_source(self):
        return render(self.template, self.conds, probe=True)

    def __repr__(self):
        return "Program(kind=%s, has_loop=%s, inputs=%s, mutations=%s)\n%s" % (
            self.kind, self.has_loop, _shapes(self.inputs), list(self.mutations),
            self.source)

    def uses(self):
        """The features of :data:`FEATURES` this program uses (read from its source)."""
        return feature_uses(self)


def _shapes(tree):
    if isinstance(tree, (tuple, list)):
        return type(tree)(_shapes(t) for t in tree)
    if isinstance(tree, dict):
        return {k: _shapes(v) for k, v in tree.items()}
    return np.shape(tree)


def feature_uses(program):
    """The features of :data:`FEATURES` that ``program`` uses, read back from its source."""
    import ast
    src = program.source
    tree = ast.parse(src)
    nodes = list(ast.walk(tree))
    used = set()
    calls = [n for n in nodes if isinstance(n, ast.Call)]
    defs = [n for n in nodes if isinstance(n, ast.FunctionDef)]
    if any(k.arg in ("a", "b", "scale", "flag") for c in calls for k in c.keywords) or \
            any(d.args.defaults for d in defs):
        used.add("kwargs")
    if any([k.arg for k in c.keywords if k.arg in ("a", "b")] == ["b", "a"] for c in calls):
        used.add("kwargs_reorder")
    if re.search(r"nn\.(CellList|SequentialCell)\(", src):
        used.add("cell_list")
    if re.search(r"self\.layers\[[-\w]+\]\(", src):
        used.add("cell_list_index")
    if re.search(r"\b(DECAY|TS|self\.decay)\b", src):
        used.add("param_list")
    if re.search(r"^\s*\w+\[[-:, 0-9]+\] \+?= ", src, re.M):
        used.add("subscript_set")
    if re.search(r"ys\d+ = (\(\)|\[\])", src):
        used.add("seq_loop")
        if re.search(r"ys\d+ = (\(\)|\[\])\n\s*for i\d+ in range\([a-z]\w*\):", src):
            used.add("seq_runtime")
    if re.search(r"push\d+ = ys\d+\.append|store=ys\d+|getattr\(ys\d+, 'append'\)|"
                 r"list\.append\(ys\d+", src):
        used.add("list_alias")
    if any(isinstance(n, (ast.ListComp, ast.GeneratorExp)) for n in nodes):
        used.add("seq_comp")
        if re.search(r" for i\d+ in range\([a-z_]\w*\)\]", src):
            used.add("comp_runtime")
    if re.search(r"\b(KS\d+|self\.coefs\d+)\[(-1 - )?[ik]\d+", src):
        used.add("const_seq")
    if any(isinstance(n, ast.Assign) and isinstance(n.value, ast.Attribute) and
           n.value.attr == "shape" for n in nodes) or re.search(r"= len\(", src):
        used.add("shape_unpack")
    if any(isinstance(n, ast.Lambda) for n in nodes) or any(
            isinstance(b, ast.FunctionDef) for d in defs for b in d.body):
        used.add("closures")
    if any(isinstance(a, (tuple, list, dict)) for a in program.inputs):
        used.add("struct_args")
    returns = [n.value for n in nodes if isinstance(n, ast.Return) and n.value is not None]
    if any(isinstance(r, ast.Dict) or (isinstance(r, (ast.Tuple, ast.List)) and any(
            isinstance(e, (ast.Tuple, ast.List, ast.Dict)) for e in r.elts)) or (
            isinstance(r, ast.Tuple) and len(r.elts) > 2) for r in returns):
        used.add("struct_out")
    if any(isinstance(n, ast.List) for r in returns for n in ast.walk(r)):
        used.add("struct_out_list")
    if re.search(r"\bin ys\d+\b", src):
        used.add("seq_iter")
    if re.search(r"stop_gradient\([^\n]*\bys\d+\[", src):
        used.add("seq_stop")
    if any(isinstance(b, ast.Return) and b.value is not None and
           any(isinstance(n, (ast.Dict, ast.List)) for n in ast.walk(b.value))
           for i in nodes if isinstance(i, ast.If) for b in i.body):
        used.add("struct_out_early")
    if program.effects:
        used.add("effects")
        if program.second_effects:
            used.add("effects_second")
    if re.search(r"(CALLS\.append\(\('e\d+', |print\('e\d+', )(?!\d)", src):
        used.add("effects_index")
    if program.mutations:
        used.add("mutation")
    if re.search(r"def \w+\([^)]*\*", src):
        used.add("varargs")
    if re.search(r"= (ops\.(split|unstack|unbind|Split)\(|\w+\.split\()", src):
        used.add("split_parts")
    if "(PrimitiveWithInfer):" in src:
        used.add("user_prim")
    if "def bprop(self" in src:
        used.add("cell_bprop")
    if "C.HyperMap(" in src:
        used.add("hypermap")
    if re.search(r"(ops\.grad|ops\.value_and_grad|GradOperation\(\w*=?\w*\))\(", src):
        used.add("inner_grad")
    if program.has_aux:
        used.add("aux_out")
    if program.grad_position is not None:
        used.add("grad_pos")
    if "self.inner = " in src or "nn.SequentialCell([Layer" in src:
        used.add("nested_layers")
    if "while True:" in src:
        used.add("while_exit")
    if re.search(r"\b\w+\(\*t\d+\)|self\.sub\(\*inputs\)|ops\.add\(\*\[", src):
        used.add("star_call")
    if ".register_hook(" in src:
        used.add("hooks")
    if "ms.mutable(" in src:
        used.add("ms_mutable")
    if any(isinstance(n, (ast.Raise, ast.Assert)) for n in nodes):
        used.add("checks")
    if re.search(r"\b(max|min)\(", src):
        used.add("minmax")
    if re.search(r" in (enumerate\(|reversed\(|zip\()?v\d+\b| (r\d+|r\d+, (c|q)\d+) in ", src):
        used.add("rows")
    if any(isinstance(n, ast.Starred) and isinstance(n.ctx, ast.Store) for n in nodes) or \
            re.search(r"zs\d+ = [\[(]", src):
        used.add("starred")
    if re.search(r"^\s+last\d+ = ", src, re.M):
        used.add("loop_local")
    if "def rec(a, depth=" in src:
        used.add("recursion")
    if any(isinstance(n, (ast.For, ast.While)) and n.orelse for n in nodes):
        used.add("loop_else")
    return used


def render(template, conds, probe):
    out = template
    # later markers first: an expression holding a marker (a conditional expression) can sit
    # in a later condition's source
    for marker, (src, op, c) in reversed(list(conds.items())):
        if op == "call":  # (feature minmax: src is max(a, b) or min(a, b))
            out = out.replace(marker, "_probe_" + src if probe else src)
        elif probe:
            out = out.replace(marker, "_probe(%s, %r, %r)" % (src, c, op))
        else:
            out = out.replace(marker, "%s %s %r" % (src, op, c))
    return HEADER + ("\n" + PROBE_HEADER if probe else "") + "\n\n" + out


# ---- argument structures (feature struct_args) ------------------------------------------

def _input_spec(g, first):
    """("leaf", shape), ("tuple" | "list", [specs]) or ("dict", [(key, spec)])."""
    def leaf():
        return ("leaf", g.pick(SHAPES if first else SHAPES + [MAT]))
    if not (g.on("struct_args") and g.chance(0.35)):
        return leaf()
    kind = g.pick(["tuple", "list", "dict", "nested"])
    if kind in ("tuple", "list"):
        return (kind, [leaf() for _ in range(g.draw(st.integers(1, 3)))])
    if kind == "dict":
        keys = ["w", "b", "x"][:g.draw(st.integers(1, 3))]
        if g.chance(0.3):
            keys = keys[::-1]
        return ("dict", [(k, leaf()) for k in keys])
    return ("tuple", [leaf(), ("dict", [("u", leaf()), ("v", leaf())])])


def _spec_array(spec, rng, low, high):
    kind, body = spec
    if kind == "leaf":
        return np.round(rng.uniform(low, high, body), 3)
    if kind == "dict":
        return {k: _spec_array(s, rng, low, high) for k, s in body}
    items = [_spec_array(s, rng, low, high) for s in body]
    return tuple(items) if kind == "tuple" else items


def _spec_reads(spec, base):
    """The leaves of an argument as Vars (``x0[1]['u']``) and its containers of leaves as
    Items (``x0``, ``x0.values()``)."""
    kind, body = spec
    if kind == "leaf":
        return [Var(base, body, abs(INPUT_HIGH), mutable=base.isidentifier())], []
    vars_, items = [], []
    if kind == "dict":
        subs = [("%s[%r]" % (base, k), s) for k, s in body]
    else:
        subs = [("%s[%d]" % (base, j), s) for j, s in enumerate(body)]
    for src, s in subs:
        v, it = _spec_reads(s, src)
        vars_ += v
        items += it
    leaves = [s[1] for _, s in subs if s[0] == "leaf"]
    if len(leaves) == len(subs):
        src = base + ".values()" if kind == "dict" else base
        items.append(Items(src, leaves, abs(INPUT_HIGH), None if kind == "dict" else base))
    return vars_, items


# ---- module-level lists of Parameters / Tensors (feature param_list) ---------------------

def _tensor_list(g, rng, owner, name, kind, params=()):
    """A list of Parameters or Tensors: (the line making it, its Items).  ``kind``: "plist"
    (a list of new Parameters), "ptuple" (a ParameterTuple of them), "tensors" (constants),
    "existing" (a list of ``params``, [(src, shape)] already registered)."""
    if kind == "existing":
        chosen = [params[g.draw(st.integers(0, len(params) - 1))]
                  for _ in range(g.draw(st.integers(1, 3)))]
        line = "%s = [%s]" % (name, ", ".join(src for src, _ in chosen))
        return line, Items(name, [s for _, s in chosen], abs(INPUT_HIGH), name)
    n = g.draw(st.integers(1, 3))
    uniform = g.chance(0.5)
    first = g.pick(SHAPES + [MAT])
    shapes = [first if uniform else g.pick(SHAPES + [MAT]) for _ in range(n)]
    label = name.replace("self.", owner + ".")
    if kind == "tensors":
        parts = ["Tensor(np.array(%s, np.float64))" % _literal(rng.uniform(-1.5, 1.5, s))
                 for s in shapes]
    else:
        parts = ["Parameter(Tensor(np.array(%s, np.float64)), name=%r)"
                 % (_literal(rng.uniform(-1.5, 1.5, s)), "%s.%d" % (label, j))
                 for j, s in enumerate(shapes)]
    body = ", ".join(parts)
    line = "%s = %s" % (name, ("ParameterTuple([%s])" if kind == "ptuple" else "[%s]") % body)
    return line, Items(name, shapes, abs(INPUT_HIGH), name)


# ---- module-level custom derivatives and HyperMaps (user_prim, cell_bprop, hypermap) ----

def _recursive_helper(g):
    """``rec(a, depth=D)`` calling itself with ``depth - 1`` down to 0 (feature recursion):
    each depth is compiled on its own.  |out| <= 1: the base case is a tanh, and each level
    is half the one below plus a quarter of ``a`` (|a| <= PARAM_BOUND = 2)."""
    shape = g.pick(SHAPES)
    unary = g.pick(["ops.sin(a) * 0.5", "ops.tanh(a) * 0.5", "a * 0.25"])
    default = g.draw(st.integers(0, 3))
    src = ["def rec(a, depth=%d):" % default,
           "    if depth == 0:",
           "        return ops.tanh(a)",
           "    return rec(%s, depth - 1) * 0.5 + a * 0.25" % unary]
    # (gradable: a gradient taken inside the program of code reaching it differentiates
    # again the generated pairs of each depth, told apart by identity though depths 1 and 3
    # are one text: tests/test_recursion.py)
    h = Helper("rec", [(shape, PARAM_BOUND)], shape, 1.0, False, param_names=("a",),
               options=(("depth", [0, 1, 2, 3]),))
    return h, src


def _custom_block(g, k, as_cell):
    """A primitive of the user's own (PrimitiveWithInfer; its bprop by ``get_bprop`` or
    ``@bprop_getters.register``) or a Cell with a ``bprop`` method, computing one of
    :data:`CUSTOM_FORMS` (the bprop its true derivative): (source lines, Helper)."""
    n_in, fwd, derivs, out_b, in_b = g.pick(CUSTOM_FORMS)
    kk = g.pick(CUSTOM_K)
    shape = g.pick(SHAPES + [MAT])
    names = ["x", "y"][:n_in]
    sig = ", ".join(names)
    body = fwd.replace("K", "self.k")
    grads = ", ".join(d.replace("K", "self.k") for d in derivs) + ("," if n_in == 1 else "")
    if as_cell:
        cls, inst = "Bp%d" % k, "BP%d" % k
        src = ["class %s(nn.Cell):" % cls,
               "    def __init__(self, k=%r):" % kk,
               "        super().__init__()",
               "        self.k = k",
               "",
               "    def construct(self, %s):" % sig,
               "        return %s" % body,
               "",
               "    def bprop(self, %s, out, dout):" % sig,
               "        return (%s)" % grads,
               "",
               "",
               "%s = %s()" % (inst, cls)]
    else:
        g.from_imports.add("from autograd_st.ops.primitive import PrimitiveWithInfer, "
                           "prim_attr_register")
        cls, inst = "Prim%d" % k, "PRIM%d" % k
        getters = g.chance(0.5)
        src = ["class %s(PrimitiveWithInfer):" % cls,
               "    @prim_attr_register",
               "    def __init__(self, k=1.0):",
               '        """init"""',
               "",
               "    def __call__(self, %s):" % sig,
               "        return %s" % body,
               "",
               "    def infer_shape(self, %s):" % sig,
               "        return x",
               "",
               "    def infer_dtype(self, %s):" % sig,
               "        return x"]
        bprop = ["def bprop(%s, out, dout):" % sig, "    return (%s)" % grads]
        if getters:
            g.from_imports.add("from autograd_st.ops._grad_experimental.grad_base import "
                               "bprop_getters")
            src += ["", "", "@bprop_getters.register(%s)" % cls,
                    "def _get_bprop_%s(self):" % cls.lower()] + \
                ["    " + line for line in bprop] + ["    return bprop"]
        else:
            src += ["", "    def get_bprop(self):"] + ["        " + line for line in bprop] + \
                ["        return bprop"]
        src += ["", "", "%s = %s(%s)" % (inst, cls, ("k=%r" if g.chance(0.5) else "%r") % kk)]
    # (gradable=False: a derivative of a custom bprop is not supported yet, see
    # test_random_programs.py::test_bug_second_derivative_through_a_bprop)
    h = Helper(inst, [(shape, in_b(abs(kk)))] * n_in, shape, out_b(abs(kk)), False,
               param_names=(), gradable=False)
    return src, h


def _hyper_block(g):
    """``MT = C.MultitypeFuncGraph('mt')`` with a Tensor, Tensor and a Number, Tensor
    registration, ``HYPER = C.HyperMap()`` and ``HYPERB = C.HyperMap(MT)``."""
    g.from_imports.add("from autograd_st.ops import composite as C")
    g.from_imports.add("from autograd_st.ops import functional as F")
    form, bound = g.pick(HYPER_FORMS)
    src = ["MT = C.MultitypeFuncGraph('mt')",
           "",
           "",
           '@MT.register("Tensor", "Tensor")',
           "def _mt_tensors(a, b):",
           "    return %s" % form,
           "",
           "",
           '@MT.register("Number", "Tensor")',
           "def _mt_number(c, a):",
           "    return a * c",
           "",
           "",
           "HYPER = C.HyperMap()",
           "HYPERB = C.HyperMap(MT)"]
    g.hyper = ("MT", "HYPER", "HYPERB", bound)
    return src


@st.composite
def programs(draw, kinds=("function", "cell"), features=DEFAULT_FEATURES):
    """A random :class:`Program` (see the module docstring); ``features``: which of
    :data:`FEATURES` it may use."""
    g = _Gen(draw, features)
    kind = g.pick(kinds)
    seed = draw(st.integers(0, 2 ** 16))
    rng = np.random.default_rng(seed)
    g.rng = rng
    blocks = []
    callables = []
    for feature, as_cell in (("user_prim", False), ("cell_bprop", True)):
        if g.on(feature) and g.chance(0.3):
            for k in range(g.draw(st.integers(1, 2))):
                src, h = _custom_block(g, k, as_cell)
                g.custom = True
                blocks.append("\n".join(src))
                callables.append(h)
    if g.on("hypermap") and g.chance(0.2):
        blocks.append("\n".join(_hyper_block(g)))
    if g.on("recursion") and g.chance(0.3):
        h, src = _recursive_helper(g)
        callables.append(h)
        blocks.append("\n".join(src))
    for k in range(g.draw(st.integers(0, 2))):
        h, src = g.helper(list(callables), k)
        callables.append(h)
        blocks.append("\n".join(src))
    n_inputs = g.draw(st.integers(1, 3))
    specs = [_input_spec(g, i == 0) for i in range(n_inputs)]
    args = ["x%d" % i for i in range(n_inputs)]
    bases, signature, main_numbers = list(args), ", ".join(args), []
    if g.on("varargs") and g.chance(0.3):
        # def f(x0, *xs), def f(x0, x1, *, k=0.5), def f(x0, **kw) (read kw.get('k', 0.5))
        form = g.pick(["star", "kwonly", "kwargs"] if n_inputs > 1 else ["kwonly", "kwargs"])
        value = g.pick(KW_VALUES)
        if form == "star":
            bases = ["x0"] + ["xs[%d]" % j for j in range(n_inputs - 1)]
            signature = "x0, *xs"
        elif form == "kwonly":
            signature += ", *, k=%r" % value
            main_numbers.append(Num("k", abs(value), abs(value)))
        else:
            signature += ", **kw"
            main_numbers.append(Num("kw.get('k', %r)" % value, abs(value), abs(value)))
    g.aux_mode = g.on("aux_out") and g.chance(0.2)
    grad_position = None
    if g.on("grad_pos") and n_inputs > 1 and g.chance(0.35):
        chosen = sorted({g.draw(st.integers(0, n_inputs - 1)) for _ in range(n_inputs - 1)})
        grad_position = chosen[0] if len(chosen) == 1 and g.chance(0.5) else tuple(chosen)
    arg_vars, arg_items = [], []
    for a, spec in zip(bases, specs):
        v, it = _spec_reads(spec, a)
        arg_vars += v
        arg_items += it
    if bases[-1].startswith("xs[") and all(sp[0] == "leaf" for sp in specs[1:]):
        arg_items.append(Items("xs", [sp[1] for sp in specs[1:]], abs(INPUT_HIGH), "xs"))
    top_decls = []
    if kind == "function":
        items = list(arg_items)
        if g.on("param_list") and g.chance(0.3):
            line, it = _tensor_list(g, rng, "", "DECAY", "plist")
            top_decls.append(line)
            items.append(it)
            g.weights = "DECAY"
        if g.on("param_list") and g.chance(0.2):
            line, it = _tensor_list(g, rng, "", "TS", "tensors")
            top_decls.append(line)
            items.append(it)
        scope = Scope(arg_vars, callables=callables, items=items, numbers=main_numbers)
        g.in_main = True
        lines, _ = g.body_and_return(scope, 1, g.draw(st.integers(1, 6)))
        blocks.append("\n".join(["def f(%s):" % signature] + lines))
    else:
        cells = []
        for k in range(g.draw(st.integers(0, 2))):
            h, src, cls = g.subcell(callables, k, rng)
            blocks.append("\n".join(src))
            if g.on("star_call") and h.style in ("plain", "star") and g.chance(0.3):
                # a Cell passing its inputs on: construct(self, *inputs): self.sub(*inputs)
                wrap = "Fwd%d" % k
                blocks.append("\n".join([
                    "class %s(nn.Cell):" % wrap, "    def __init__(self):",
                    "        super().__init__()", "        self.sub = %s()" % cls, "",
                    "    def construct(self, *inputs):", "        return self.sub(*inputs)"]))
                h, cls = dataclasses.replace(h, param_names=(), options=(), style="plain",
                                             weights=()), wrap
            cells.append((h, cls))
        init, pvars = [], []
        for j in range(g.draw(st.integers(0, 3))):
            shape = g.pick(SHAPES + [MAT])
            rg = not g.chance(0.3)
            init.append(g.parameter("Net", "p%d" % j, shape, rg, rng))
            pvars.append(Var("self.p%d" % j, shape, abs(INPUT_HIGH), mutable=False))
        for h, cls in cells:
            init.append("        %s = %s()" % (h.name, cls))
        net_callables = callables + [h for h, _ in cells]
        for h in callables:     # a primitive or bprop Cell also as a Net attribute
            if h.name.startswith(("PRIM", "BP")) and g.chance(0.5):
                attr = "self." + h.name.lower()
                init.append("        %s = %s" % (attr, h.name))
                net_callables.append(dataclasses.replace(h, name=attr, is_cell=True))
        cell_seqs, items = [], list(arg_items)
        if g.on("cell_list") and g.chance(0.5):
            shape = g.pick(SHAPES)
            inner = None
            if g.on("nested_layers") and g.chance(0.4):   # the layer holds a sub-Cell
                ih, isrc, icls = g.subcell(callables, 0, rng, cls="Inner")
                blocks.append("\n".join(isrc))
                inner = (ih, icls)
            h, src, cls = g.subcell(callables, len(cells), rng, layer_shape=shape, inner=inner)
            blocks.append("\n".join(src))
            n = g.draw(st.integers(1, 3))
            elements = ["%s(%d)" % (cls, k) for k in range(n)]
            if g.on("nested_layers") and g.chance(0.3):   # SequentialCells in the list
                elements = ["nn.SequentialCell([%s(%d), %s(%d)])" % (cls, k, cls, k + 1)
                            if g.chance(0.6) else e for k, e in enumerate(elements)]
                h = dataclasses.replace(h, param_names=())
            made = "[%s]" % ", ".join(elements)
            if g.chance(0.3):
                init.append("        self.seq = nn.SequentialCell(%s)" % made)
                net_callables.append(dataclasses.replace(h, name="self.seq", param_names=()))
            else:
                init.append("        self.layers = nn.CellList(%s)" % made)
                cell_seqs.append(CellSeq("self.layers", n, h))
                if g.on("cell_list_index"):
                    net_callables.append(dataclasses.replace(
                        h, name="self.layers[%d]" % g.pick([0, n - 1, -1])))
        if g.on("param_list") and g.chance(0.4):
            existing = [(v.name, v.shape) for v in pvars] + [
                ("%s.w%d" % (h.name, j), s) for h, _ in cells
                for j, s in enumerate(h.weights)]
            form = g.pick(["plist", "ptuple", "tensors"] + (["existing"] * 2 if existing
                                                             else []))
            line, it = _tensor_list(g, rng, "Net", "self.decay", form, existing)
            init.append("        " + line)
            items.append(it)
        scope = Scope(pvars + arg_vars, callables=net_callables, items=items,
                      cell_seqs=cell_seqs, numbers=main_numbers)
        g.in_net = g.in_main = True
        lines, _ = g.body_and_return(scope, 2, g.draw(st.integers(1, 6)))
        blocks.append("\n".join(["class Net(nn.Cell):",
                                 "    def __init__(self):",
                                 "        super().__init__()"] + init + g.net_init + [
                                 "",
                                 "    def construct(self, %s):" % signature] + lines))
    head = ["import %s" % m for m in sorted(g.imports)] + sorted(g.from_imports)
    decls = g.decls + top_decls
    if g.coefs is not None:
        decls.append("COEFS = %r" % (g.coefs,))
    top = "\n".join(head + ([""] if head else []) + decls)
    blocks += g.aux_defs
    template = (top + "\n\n\n" if top else "") + "\n\n\n".join(blocks) + "\n"
    inputs = [_spec_array(s, rng, INPUT_LOW, INPUT_HIGH) for s in specs]
    tangents = [_spec_array(s, rng, -1.0, 1.0) for s in specs]
    return Program(template, dict(g.conds), kind, inputs, tangents, g.has_loop,
                   check_jvp=g.chance(0.35),
                   check_second=(g.chance(0.35) and not g.aux_mode and not g.custom
                                 and not g.hooked),     # (through a hook: refused)
                   has_aux=g.aux_mode, grad_position=grad_position,
                   api=g.pick(["grad", "grad_operation", "grad_weights_only"]),
                   weights=g.weights, effects=g.effects, mutations=tuple(g.mutations),
                   features=g.features, second_effects=g.on("effects_second"))



# =========================================================================================
# loading and checking
# =========================================================================================

class ProgramFailure(AssertionError):
    """A generated program failed a check (raised from one place, so that hypothesis sees
    one failure however the generated code's file names differ between runs)."""


# Compiler bugs the generator found that are not fixed yet, each pinned by an xfail test in
# tests/test_random_programs.py.  A failure whose text matches one of these, in a program
# using one of its features, is counted, not raised, so that the random tests keep checking
# everything else; when a bug is fixed its strict xfail test starts passing (and fails), and
# its entry here should go.
KNOWN_BUGS = [
    # (name, regression test in tests/test_random_programs.py, regex on the failure text,
    #  the features a program must use one of for the entry to apply); none open now
]


def known_bug(error, uses=frozenset()):
    """The KNOWN_BUGS entry whose pattern matches the failure text ``error`` of a program
    using the features ``uses``, or None."""
    for entry in KNOWN_BUGS:
        if re.search(entry[2], error) and entry[3] & set(uses):
            return entry
    return None


KNOWN_HITS = {}     # bug name -> how many programs hit it (this process)


def describe(exc):
    """The exception and the innermost frames of its traceback, as text."""
    import traceback
    tb = traceback.format_exception(type(exc), exc, exc.__traceback__)
    return "".join(tb[-6:]) if len(tb) > 6 else "".join(tb)


_LOADED = itertools.count()


def load_module(source, directory, prefix="rp"):
    """Write ``source`` to ``directory`` as a fresh module and import it."""
    digest = hashlib.sha1(source.encode()).hexdigest()[:10]
    name = "%s_%s_%d" % (prefix, digest, next(_LOADED))
    path = os.path.join(directory, name + ".py")
    with open(path, "w") as fh:
        fh.write(source)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    importlib.invalidate_caches()
    return importlib.import_module(name)


def unload_module(module):
    sys.modules.pop(module.__name__, None)


def _entry(module, kind):
    return module.f if kind == "function" else module.Net()


def check_program(program, directory, probe_only=False):
    """Probe the branch margins (raise ProgramRejected), before and after the program's
    mutations, then (unless ``probe_only``) :func:`run_checks`."""
    probe = load_module(program.probe_source, directory, "probe")
    try:
        target = _entry(probe, program.kind)
        rounds = [()] + ([[do for do, _ in program.mutations]] if program.mutations else [])
        with contextlib.redirect_stdout(io.StringIO()):
            for statements in rounds:
                _mutate(statements, vars(probe), target)
                out = target(*[_tensors(a, []) for a in program.inputs])
                for o in _leaves(out):
                    o = o.asnumpy() if hasattr(o, "asnumpy") else np.asarray(o)
                    assert np.all(np.isfinite(o)), "generator: non-finite output"
                    assert np.max(np.abs(o), initial=0.0) < 1e4, "generator: output too large"
        if probe._MARGINS and min(probe._MARGINS) < MARGIN:
            raise ProgramRejected("a condition is %.2g from its threshold"
                                  % min(probe._MARGINS))
    finally:
        unload_module(probe)
    if probe_only:
        return ["probe"]
    module = load_module(program.source, directory)
    try:
        error = None
        try:
            return run_checks(_entry(module, program.kind), program.inputs,
                              program.tangents, jvp=program.check_jvp,
                              second=program.check_second, has_loop=program.has_loop,
                              api=program.api,
                              weights=getattr(module, program.weights) if program.weights
                              else None,
                              effects=program.effects, mutations=program.mutations,
                              namespace=vars(module), second_effects=program.second_effects,
                              has_aux=program.has_aux, grad_position=program.grad_position)
        except ProgramRejected:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure is reported the same way
            error = "%s: %s\n%s" % (type(exc).__name__, str(exc).splitlines()[0] if str(exc)
                                    else "", describe(exc))
        bug = known_bug(error, program.uses())
        if bug is not None:
            KNOWN_HITS[bug[0]] = KNOWN_HITS.get(bug[0], 0) + 1
            return ["known bug: " + bug[0]]
        raise ProgramFailure(error)
    finally:
        unload_module(module)


# ---- the checker: self-contained (numpy + autograd_st), copied into reproduction scripts --

class ProgramRejected(Exception):
    """The program cannot be checked by differences: a condition too close to its threshold,
    or finite differences at two steps that disagree with each other where they would judge
    the gradient."""


FD_STEP = 1e-5      # central differences at this step and at half of it


def _arr(value):
    return value.asnumpy() if hasattr(value, "asnumpy") else np.asarray(value)


def _leaves(tree):
    """The leaves of a tree of tuples, lists and dicts (a dict's in key order)."""
    if isinstance(tree, (tuple, list)):
        return [leaf for t in tree for leaf in _leaves(t)]
    if isinstance(tree, dict):
        return [leaf for t in tree.values() for leaf in _leaves(t)]
    return [tree]


def _tensors(tree, arrays):
    """``tree`` with every array leaf a Tensor sharing storage with a fresh float64 copy,
    which is appended to ``arrays`` (differences move them in place)."""
    from autograd_st import Tensor
    if isinstance(tree, (tuple, list)):
        return type(tree)(_tensors(t, arrays) for t in tree)
    if isinstance(tree, dict):
        return {k: _tensors(v, arrays) for k, v in tree.items()}
    a = np.array(tree, np.float64, copy=True)
    arrays.append(a)
    return Tensor.from_numpy(a)


def _structure(what, got, like):
    """The leaves of ``got``, checked to have ``like``'s containers (the same types, lengths
    and keys in order)."""
    if isinstance(like, (tuple, list, dict)):
        assert type(got) is type(like), "%s: a %s, expected a %s like %s" % (
            what, type(got).__name__, type(like).__name__, _shape_of(like))
        if isinstance(like, dict):
            assert list(got) == list(like), "%s: keys %s, expected %s" % (
                what, list(got), list(like))
            pairs = [("%s[%r]" % (what, k), got[k], like[k]) for k in like]
        else:
            assert len(got) == len(like), "%s: %d items, expected %d" % (
                what, len(got), len(like))
            pairs = [("%s[%d]" % (what, k), g, w) for k, (g, w) in enumerate(zip(got, like))]
        return [leaf for w, g, v in pairs for leaf in _structure(w, g, v)]
    return [(what, got)]


def _shape_of(tree):
    if isinstance(tree, (tuple, list)):
        return type(tree)(_shape_of(t) for t in tree)
    if isinstance(tree, dict):
        return {k: _shape_of(v) for k, v in tree.items()}
    return np.shape(_arr(tree))


def _per_argument(what, g, likes, bare=True):
    """The gradients of several arguments: a tuple (or list) with one per argument; of one
    argument, with ``bare`` (a position tuple of length one) the argument's gradient itself,
    else (``GradOperation(get_all=True)``) a tuple of one.  A Tensor argument's gradient may
    come as a 1-tuple either way (not ambiguous: it is a leaf)."""
    if len(likes) == 1 and not isinstance(likes[0], (tuple, list, dict)):
        return [g[0]] if isinstance(g, (tuple, list)) and len(g) == 1 else [g]
    if len(likes) == 1 and bare:
        return [g]
    assert isinstance(g, (tuple, list)) and len(g) == len(likes), \
        "%s: a %s for %d arguments" % (what, type(g).__name__, len(likes))
    return list(g)


def _compare(what, got, want, rtol, atol):
    got_a, want_a = _arr(got), _arr(want)
    assert np.shape(got_a) == np.shape(want_a), "%s: shape %s, expected %s" % (
        what, np.shape(got_a), np.shape(want_a))
    try:
        np.testing.assert_allclose(np.asarray(got_a, np.float64),
                                   np.asarray(want_a, np.float64), rtol=rtol, atol=atol)
    except AssertionError as exc:
        raise AssertionError("%s differs:%s" % (what, exc)) from None


def _compare_outputs(what, got, want):
    """``got`` has ``want``'s structure and values (to 1e-12)."""
    for (w, g), (_, v) in zip(_structure(what, got, want), _structure(what, want, want)):
        _compare(w, g, v, 1e-12, 1e-12)


def _compare_fd(what, got, estimates, rtol, atol):
    """``got`` against central differences ``estimates`` = (D(h), D(h/2), Richardson's
    (4 D(h/2) - D(h)) / 3).  An estimate is trusted where another agrees with it (the step
    suits the curvature there, or the rounding); ``got`` passes where it agrees with a
    trusted one, fails where some are trusted and it agrees with none of them, and where no
    two estimates agree (a branch flipping within a step) differences cannot judge it:
    ProgramRejected."""
    from autograd_st import Tensor
    assert isinstance(got, Tensor), "%s is a %s, not a Tensor" % (what, type(got).__name__)
    g = np.asarray(_arr(got), np.float64)
    big, small, rich = (np.asarray(e, np.float64) for e in estimates)
    assert g.shape == rich.shape, "%s: shape %s, expected %s" % (what, g.shape, rich.shape)
    tol = atol + rtol * np.abs(rich)

    def near(a, b):
        return np.abs(a - b) <= tol
    bs, br, sr = near(big, small), near(big, rich), near(small, rich)
    agree = (near(g, big) & (bs | br)) | (near(g, small) & (bs | sr)) | \
        (near(g, rich) & (br | sr))
    judged = bs | br | sr
    if agree.all():
        return
    wrong = ~agree & judged
    if not wrong.any():
        raise ProgramRejected("%s: central differences at steps %g, %g and Richardson's "
                              "disagree with each other (by up to %.3g) where the gradient "
                              "disagrees with them" % (what, FD_STEP, FD_STEP / 2, float(
                                  np.max(np.abs(big - small)[~agree]))))
    _compare(what, g[wrong], rich[wrong], rtol, atol)
    raise AssertionError(what)


def _differences(numerical_grad, f, arrays):
    """Central differences of the total of ``f()``'s outputs with respect to every entry of
    ``arrays`` (moved in place), at steps h and h/2, with their Richardson extrapolation:
    one (D(h), D(h/2), R) per array."""
    big = numerical_grad(f, (), None, weights=arrays, eps=FD_STEP)
    small = numerical_grad(f, (), None, weights=arrays, eps=FD_STEP / 2)
    return [(b, s, s + (s - b) / 3.0) for b, s in zip(big, small)]


def _directional(numerical_jvp, f, arrays, tangents):
    """Central differences of ``f()``'s output leaves along ``tangents`` (every array of
    ``arrays`` moved in place at once), at h and h/2, with Richardson's: one triple per
    output leaf."""
    bases = [a.copy() for a in arrays]

    def along(t):
        for a, b, d in zip(arrays, bases, tangents):
            a[...] = b + t * d
        return tuple(f())
    try:
        big = numerical_jvp(along, (0.0,), (1.0,), eps=FD_STEP)
        small = numerical_jvp(along, (0.0,), (1.0,), eps=FD_STEP / 2)
    finally:
        for a, b in zip(arrays, bases):
            a[...] = b
    return [(b, s, s + (s - b) / 3.0) for b, s in zip(big, small)]


class _FrozenStopGradient:
    """Within ``with``: ``ops.stop_gradient`` records the values it sees; ``replay(fn)`` runs
    ``fn`` with those values returned instead, so finite differences treat them as constants
    (what ``stop_gradient`` means to the derivative)."""

    def __init__(self, ops):
        self.ops = ops

    def __enter__(self):
        self.original = self.ops.stop_gradient
        self.values, self.at = [], None

        def stop_gradient(value):
            if self.at is None:
                self.values.append(value.copy() if hasattr(value, "copy") else value)
                return self.original(value)
            recorded = self.values[self.at]
            self.at += 1
            return recorded.copy() if hasattr(recorded, "copy") else recorded
        self.ops.stop_gradient = stop_gradient
        return self

    def replay(self, fn):
        self.at = 0
        out = fn()
        assert self.at == len(self.values), "stop_gradient called %d times, recorded %d" % (
            self.at, len(self.values))
        return out

    def __exit__(self, *exc):
        self.ops.stop_gradient = self.original
        self.at = None


class _Effects:
    """``record(fn)`` runs ``fn`` and gives (its result, what it did): the items it appended
    to the module's ``CALLS`` list, the text it printed to stdout and to the module's ``OUT``
    stream (each emptied first).  Off: (its result, None)."""

    def __init__(self, namespace, on):
        self.namespace = namespace if on else None

    def record(self, fn):
        if self.namespace is None:
            return fn(), None
        calls, out = self.namespace.get("CALLS"), self.namespace.get("OUT")
        if calls is not None:
            del calls[:]
        if out is not None:
            out.seek(0)
            out.truncate()
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            result = fn()
        return result, (None if calls is None else list(calls), printed.getvalue(),
                        None if out is None else out.getvalue())

    @staticmethod
    def same(what, got, want):
        if want is None:
            return
        for k, where in enumerate(("appended to CALLS", "printed", "printed to OUT")):
            assert got[k] == want[k], (
                "side effects: %s %s %r; the direct call %s %r" % (what, where, got[k], where,
                                                                   want[k]))


def _mutate(statements, namespace, target):
    """Run the program's mutation statements (``cfg.S0 = 0.5``, ``target.m1 = 2.0``)."""
    for statement in statements:
        exec(statement, namespace, {"target": target})  # noqa: S102 - generated statements


def run_checks(target, inputs, tangents, jvp=True, second=True, has_loop=False,
               api="grad", rtol=1e-5, atol=1e-7, weights=None, effects=False, mutations=(),
               namespace=None, second_effects=True, has_aux=False, grad_position=None):
    """Check ``target`` four ways; returns the checks run.

    ``target`` is a function or a Cell; ``inputs`` float64 arrays or tuples / lists / dicts of
    them (fresh Tensors are made from copies); ``weights``: Parameters a function reads (a
    Cell's are its trainable ones).  (1) ``value_and_grad``'s value equals the direct call's;
    (2) its gradients (in each argument's structure) agree with central differences at two
    steps (:func:`_compare_fd`), a second API's with them, ``jvp`` with directional
    differences, ``ops.grad(ops.grad(target))`` with differences of the gradient (loops:
    refused with UnsupportedSyntaxError, or right); (3) ``effects``: every gradient call
    appends and prints exactly what the direct call does (``namespace``'s CALLS and OUT,
    and stdout; ``second_effects``: the second derivative's call too); (4) ``mutations``:
    after the ``do`` statements run (in ``namespace``, the Cell as ``target``), the same
    ``value_and_grad`` function gives the new direct value and the new differences'
    gradient, a fresh one the same; after the ``undo`` statements, the first answers again.  Finite differences hold ``ops.stop_gradient``'s values constant
    (``_FrozenStopGradient``); the second derivative is not checked on programs using it.
    ``has_aux``: ``target`` returns (loss, aux...); the gradients (``has_aux=True``) are of the
    loss only, the value all of the outputs.  ``grad_position``: the arguments differentiated
    (an int or a tuple; None: all of them).
    """
    from autograd_st import ParameterTuple, numerical_grad, numerical_jvp, ops
    from autograd_st.errors import UnsupportedSyntaxError

    namespace = {} if namespace is None else namespace
    done = []
    arrays = []                                     # the inputs' leaves, moved in place
    args = [_tensors(a, arrays) for a in inputs]    # Tensors sharing their storage
    counts = [len(_leaves(a)) for a in inputs]
    if grad_position is None:
        positions, chosen = tuple(range(len(args))), list(range(len(args)))
    else:
        positions = grad_position
        chosen = [grad_position] if isinstance(grad_position, int) else list(grad_position)
    likes = [inputs[k] for k in chosen]
    chosen_arrays = [arrays[sum(counts[:k]) + j] for k in chosen for j in range(counts[k])]
    is_cell = hasattr(target, "trainable_params")
    params = list(target.trainable_params()) if is_cell else list(weights or ())
    param_arrays = [p.asnumpy() for p in params]
    snapshot = [a.copy() for a in arrays + param_arrays]
    effects = _Effects(namespace, effects)
    names = (["input x%d%s" % (k, w[len("g"):]) for k in chosen
              for w, _ in _structure("g", inputs[k], inputs[k])] +
             ["Parameter %s" % p.name for p in params])

    def flatten(what, gin, gw, bare=True):
        """The gradients as leaves, in the order of ``names`` (each argument's in its
        structure)."""
        leaves = []
        for k, g, a in zip(chosen, _per_argument(what, gin, likes, bare), likes):
            leaves += [leaf for _, leaf in _structure("%s gradient of x%d" % (what, k), g, a)]
        gw = _per_argument(what, gw, param_arrays) if params else []
        assert len(gw) == len(params), "%s: %d weight gradients for %d Parameters" % (
            what, len(gw), len(params))
        return leaves + list(gw)

    def gradients(fn, what, bare=True):
        """A value_and_grad-like call's (value, gradients as leaves), its side effects checked
        against the direct call's."""
        (value, grads), seen = effects.record(fn)
        effects.same(what, seen, direct_seen)
        return value, flatten(what, *(grads if params else (grads, ())), bare=bare)

    def loss(out):
        return out[0] if has_aux else out

    def value_and_grad():
        extra = {"has_aux": True} if has_aux else {}
        return ops.value_and_grad(target, positions, params, **extra) if params else \
            ops.value_and_grad(target, positions, **extra)

    def against_differences(what, grads):
        with _FrozenStopGradient(ops) as frozen:
            target(*args)
            num = _differences(numerical_grad, lambda: tuple(_leaves(loss(
                frozen.replay(lambda: target(*args))))), chosen_arrays + param_arrays)
        for name, g, n in zip(names, grads, num):
            _compare_fd("%s: gradient of %s vs finite differences" % (what, name), g, n,
                        rtol, atol)

    def same(what, got, want):
        assert len(got) == len(want), "%s: %d gradients, expected %d" % (
            what, len(got), len(want))
        for name, a, b in zip(names, got, want):
            _compare("%s: gradient of %s" % (what, name), a, b, 1e-12, 1e-12)

    with contextlib.redirect_stdout(io.StringIO()):     # what differences print goes nowhere
        direct, direct_seen = effects.record(lambda: target(*args))
        # ---- value_and_grad: value and gradients ----------------------------------------
        vg = value_and_grad()
        value, grads = gradients(lambda: vg(*args), "value_and_grad")
        for a, s in zip(arrays + param_arrays, snapshot):
            np.testing.assert_array_equal(a, s, err_msg="a gradient call changed its inputs")
        _compare_outputs("value_and_grad value", value, direct)
        against_differences("value_and_grad", grads)
        done.append("grad")
        if effects.namespace is not None:
            done.append("effects")
        # ---- a second API gives the same gradients --------------------------------------
        if api == "grad_operation" and (has_aux or grad_position is not None):
            api = "grad"        # (GradOperation has no has_aux, and takes every input)
        extra = {"has_aux": True} if has_aux else {}

        def unaux(fn):
            """``fn``'s gradients; with has_aux, its aux outputs checked and dropped."""
            if not has_aux:
                return fn

            def grads_only(*a):
                grads_, aux = fn(*a)
                _compare_outputs("ops.grad(has_aux=True) aux", aux, tuple(direct[1:]))
                return grads_
            return grads_only
        if api == "grad" or (api == "grad_weights_only" and not params):
            fn = unaux(ops.grad(target, positions, params or None, **extra))
        elif api == "grad_weights_only":
            fn = None
        elif params:
            fn = ops.GradOperation(get_all=True, get_by_list=True)(
                target, ParameterTuple(params))
        else:
            fn = ops.GradOperation(get_all=True)(target)
        if fn is None:
            w_only = unaux(ops.grad(target, None, params, **extra))
            in_only = unaux(ops.grad(target, positions, **extra))
            gw, seen = effects.record(lambda: w_only(*args))
            effects.same("ops.grad(weights only)", seen, direct_seen)
            gin, seen = effects.record(lambda: in_only(*args))
            effects.same("ops.grad(inputs only)", seen, direct_seen)
            other = flatten(api, gin, gw)
        else:
            _, other = gradients(lambda: (None, fn(*args)), api, bare=api != "grad_operation")
        same("%s vs value_and_grad" % api, other, grads)
        done.append(api)
        # ---- jvp ------------------------------------------------------------------------
        if jvp:
            tans = []
            tan_args = tuple(_tensors(t, tans) for t in tangents)
            try:
                (out, tan), seen = effects.record(lambda: ops.jvp(target, tuple(args),
                                                                  tan_args))
            except UnsupportedSyntaxError as exc:   # (ops.split's parts, a list built in a
                assert "known only at run time" in str(exc), str(exc)   # loop: refused)
                jvp = False
                done.append("jvp_refused")
        if jvp:
            effects.same("ops.jvp", seen, direct_seen)
            _compare_outputs("jvp output", out, direct)
            with _FrozenStopGradient(ops) as frozen:
                target(*args)
                want = _directional(numerical_jvp, lambda: _leaves(
                    frozen.replay(lambda: target(*args))), arrays, tans)
            got = _structure("jvp tangent", tan, direct)
            assert len(got) == len(want), "jvp: %d tangents for %d outputs" % (
                len(got), len(want))
            for (what, t), w in zip(got, want):
                _compare_fd(what + " vs directional differences", t, w, rtol, atol)
            done.append("jvp")
        # ---- second derivative ----------------------------------------------------------
        if second and not has_aux:
            with _FrozenStopGradient(ops) as frozen:
                target(*args)
                if frozen.values:
                    second = False
        if second and not has_aux:
            first = ops.grad(target, positions)
            try:
                g2, seen = effects.record(lambda: ops.grad(first, positions)(*args))
            except UnsupportedSyntaxError as exc:
                assert has_loop, "second derivative refused for a loop-free program: %s" % exc
                assert "loop" in str(exc), "refusal does not say why: %s" % exc
                done.append("second_refused")
            else:
                if second_effects:
                    effects.same("ops.grad(ops.grad(.))", seen, direct_seen)
                num2 = _differences(numerical_grad, lambda: tuple(_leaves(first(*args))),
                                    chosen_arrays)
                got = []
                for k, g, a in zip(chosen, _per_argument("second", g2, likes), likes):
                    got += _structure("second derivative w.r.t. x%d" % k, g, a)
                assert len(got) == len(num2), "%d second derivatives for %d leaves" % (
                    len(got), len(num2))
                for (what, g), n in zip(got, num2):
                    _compare_fd(what + " vs differences of the gradient", g, n, rtol, 1e-6)
                done.append("second")
        # ---- mutation: the same gradient function sees the new values --------------------
        if mutations:
            _mutate([do for do, _ in mutations], namespace, target)
            direct, direct_seen = effects.record(lambda: target(*args))
            value2, grads2 = gradients(lambda: vg(*args), "value_and_grad after the mutation")
            _compare_outputs("value_and_grad value after the mutation", value2, direct)
            against_differences("value_and_grad after the mutation", grads2)
            fresh = value_and_grad()
            _, grads3 = gradients(lambda: fresh(*args), "a fresh value_and_grad")
            same("a fresh value_and_grad after the mutation", grads3, grads2)
            _mutate([undo for _, undo in reversed(mutations)], namespace, target)
            direct, direct_seen = effects.record(lambda: target(*args))
            value4, grads4 = gradients(lambda: vg(*args), "value_and_grad after the undo")
            _compare_outputs("value_and_grad value after the undo", value4, value)
            same("value_and_grad after the undo", grads4, grads)
            done.append("mutation")
    return done


CHECKER_PARTS = [ProgramRejected, _arr, _leaves, _tensors, _structure, _shape_of,
                 _per_argument, _compare, _compare_outputs, _compare_fd, _differences,
                 _directional, _FrozenStopGradient, _Effects, _mutate, run_checks]


def repro_script(program, error=""):
    """A standalone script reproducing ``program``'s checks (run it with python)."""
    parts = ["# Reproduction of a random-program failure (generated by tests/program_gen.py).",
             "# Run: python THIS_FILE.py",
             "#"]
    for line in str(error).splitlines()[:30]:
        parts.append("# " + line)
    parts.append(program.source.rstrip() + "\n")
    parts.append("\n# ---- inputs ----")
    parts.append("INPUTS = [%s]" % ", ".join(_literal_tree(a) for a in program.inputs))
    parts.append("TANGENTS = [%s]" % ", ".join(_literal_tree(a) for a in program.tangents))
    parts.append("MUTATIONS = %r" % (tuple(program.mutations),))
    parts.append("\n\n# ---- the checker (tests/program_gen.py) ----")
    parts.append("import contextlib  # noqa: E402\nimport io  # noqa: E402\n\n"
                 "FD_STEP = %r\n\n" % FD_STEP)
    for fn in CHECKER_PARTS:
        parts.append(inspect.getsource(fn).rstrip() + "\n\n")
    entry = "f" if program.kind == "function" else "Net()"
    parts.append(textwrap.dedent("""\
        if __name__ == "__main__":
            print(run_checks(%s, INPUTS, TANGENTS, jvp=%r, second=%r, has_loop=%r,
                             api=%r, weights=%s, effects=%r, mutations=MUTATIONS,
                             namespace=globals(), second_effects=%r, has_aux=%r,
                             grad_position=%r))
        """ % (entry, program.check_jvp, program.check_second, program.has_loop,
               program.api, program.weights, program.effects, program.second_effects,
               program.has_aux, program.grad_position)))
    return "\n".join(parts)
