"""``ops.vmap(fn, in_axes=0, out_axes=0)`` / ``mindspore.vmap``: ``fn`` mapped over a batch
axis of its arguments, its outputs stacked along ``out_axes``.

Takes: ``fn`` (a function, a Cell, a gradient function, another vmap, or an ``nn.CellList``
for model ensembling: model ``i`` runs on batch element ``i``), ``in_axes`` and ``out_axes``
(an int or None for all, or tuples/lists nested as the arguments/outputs are).
Gives: a callable; called eagerly, it slices each batch element, calls ``fn`` and stacks the
outputs (the reference semantics, numpy all the way); called inside code being compiled
(``ops.grad`` of a function that calls it, a Cell's ``construct`` under
``value_and_grad``), it binds (``_autograd_st_bind_call``) the first element's call, then a
generated loop over the others that concatenates their outputs onto the first's, so the
derivative of ``vmap(f)`` is the compiler's derivative of that loop: reverse and forward
mode, to any order (a ``CellList`` has a known count: its loop is unrolled).  ``grad``,
``vjp``, ``jvp`` and ``jacrev`` also take the vmapped function itself (a function of
``fn``'s arity, generated, whose call is that binding).  No vectorised path: the compiler
does not know the ranks of runtime values, and batching a broadcasting op or a matmul
depends on them, so the loop is what is provably right.

MindSpore 2.10's checks and messages (measured, PyNative, CPU) are kept; its errors are
RuntimeErrors (:class:`~autograd_st.errors.VmapError` is one), the CellList size mismatch a
ValueError; in compiled code the batch sizes are checked when the code runs
(:mod:`autograd_st.rules_vmap`).  What differs: whether an output is "mapped" is decided by
value (an output with ``out_axes=None`` must be the same for every element); keyword
arguments are refused (Python's TypeError; MindSpore's RuntimeError); in compiled code an
``out_axes`` past an output's ends is numpy's AxisError, when the code runs; a CellList's
members get their true gradients (MindSpore 2.10 gives zeros: it runs stacked copies of
their Parameters); a lambda written inside differentiated code cannot be vmapped there.
"""
from __future__ import annotations

import collections
import inspect
import linecache
import numbers

import numpy as np

from ..cell import Cell
from ..errors import VmapError
from ..op_table import concat, stack
from ..prims import P, Sym
from ..rules_vmap import cell_list_message
from ..tensor import Tensor
from .functional import expand_dims

__all__ = ["vmap"]

_SEQ = (tuple, list)


def vmap(fn, in_axes=0, out_axes=0):
    """MindSpore's ``ops.vmap(fn, in_axes=0, out_axes=0)`` (also ``mindspore.vmap``):
    ``fn`` vectorised over the axis ``in_axes`` gives for each argument (None: not mapped,
    passed whole), the outputs stacked at ``out_axes``.  ``fn`` may be an ``nn.CellList`` of
    Cells with the same structure: model ``i`` runs on batch element ``i`` (in_axes=None:
    every model on the same inputs).  Nested vmap, vmap of a gradient function (per-example
    gradients), and gradients of a function calling vmap work; see the module docstring."""
    key = _cache_key(fn, in_axes, out_axes)
    hit = _MADE.get(key) if key is not None else None
    if hit is not None and hit[0] is fn:  # the same vmap again (a training loop's step)
        _MADE.move_to_end(key)
        return hit[1]
    mapped = _Vmapped(fn, in_axes, out_axes)
    arity = _arity(fn, in_axes)
    if arity is None:  # (callable and bound in compiled code; not a top-level grad target)
        vmapped = mapped
    else:
        required, optional = arity
        names = ["a%d" % j for j in range(required + optional)]
        params = names[:required] + ["%s=not_given" % a for a in names[required:]]
        text = "def vmapped(%s):\n    %r\n    return mapped(%s)\n" % (
            ", ".join(params), _doc(mapped.__name__), ", ".join(names))
        vmapped = _generated(text, mapped.__name__, {"mapped": mapped,
                                                     "not_given": _NOT_GIVEN})["vmapped"]
        vmapped.__name__ = vmapped.__qualname__ = mapped.__name__
        vmapped._autograd_st_vmap = mapped
    if key is not None:
        _MADE[key] = (fn, vmapped)
        while len(_MADE) > 256:
            _MADE.popitem(last=False)
    return vmapped


vmap._autograd_st_static = True  # made at compile time inside compiled code

# (id(fn), in_axes, out_axes) -> (fn, what vmap returned): the same vmap made again gives
# the same function (its generated code and the compiler's caches are kept; a loop that
# makes a new lambda each time still generates code each time)
_MADE: collections.OrderedDict = collections.OrderedDict()


def _cache_key(fn, in_axes, out_axes):
    def frozen(axes):
        if isinstance(axes, _SEQ):
            return tuple(frozen(a) for a in axes)
        return type(axes), axes  # (True == 1 and 0.0 == 0, but only 1 and 0 are axes)
    key = (id(fn), frozen(in_axes), frozen(out_axes))
    try:
        hash(key)
    except TypeError:  # (a dict in in_axes: refused when called)
        return None
    return key


def _arity(fn, in_axes):
    """``(required, optional)``: the numbers of parameters the vmapped function takes,
    ``fn``'s positional ones (an optional one is passed on only when given); else (``*args``,
    no signature) one per item of a tuple ``in_axes``; else None (the callable object is
    returned then)."""
    target = fn
    if _is_cell_list(fn):  # (its members' construct)
        target = fn[0] if len(fn) else None
    if isinstance(target, Cell):
        target = target.construct
    fallback = (len(in_axes), 0) if isinstance(in_axes, _SEQ) else None
    try:
        params = list(inspect.signature(target).parameters.values())
    except (TypeError, ValueError):
        return fallback
    if any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params):
        return fallback
    optional = sum(1 for p in params if p.default is not p.empty)
    return len(params) - optional, optional


class _NotGiven:
    """The default of a vmapped function's optional parameter: not passed on to ``fn``."""

    def __repr__(self) -> str:
        return "<not given>"


_NOT_GIVEN = _NotGiven()


def _doc(what):
    """A docstring for generated code that no other generated function has (code objects
    that differ only in their file compare equal, and the compiler tells callees apart
    by their code)."""
    return "%s (generated: %d)" % (what, len(_SOURCES))


def _generated(text, what, scope):
    """``text`` exec'd in ``scope`` under a file name registered in ``linecache`` (so the
    compiler reads it, and tracebacks show it)."""
    filename = "<autograd_st vmap %d of %s>" % (len(_SOURCES), what)
    _SOURCES.append(filename)
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    exec(compile(text, filename, "exec"), scope)  # noqa: S102 - our own generated text
    return scope


def _is_cell_list(fn) -> bool:
    return isinstance(fn, Cell) and any(c.__name__ == "CellList" for c in type(fn).__mro__)


def _check_axis_type(axis, what):
    if axis is not None and (isinstance(axis, bool) or not isinstance(axis, numbers.Integral)):
        raise VmapError("The axis in vmap`s '%s' can only be of type Int or None, but got %r."
                        % (what, axis), "give an int (the batch axis) or None (not mapped)")


def _check_axes_tree(axes, what):
    if isinstance(axes, _SEQ):
        for a in axes:
            _check_axes_tree(a, what)
    else:
        _check_axis_type(axes, what)


class _Vmapped:
    """What ``vmap`` returns (see the module docstring)."""

    def __init__(self, fn, in_axes, out_axes) -> None:
        self.fn, self.in_axes, self.out_axes = fn, in_axes, out_axes
        self._generated = {}  # signature -> generated loop function
        self.__name__ = "vmap(%s)" % getattr(fn, "__name__", type(fn).__name__)

    def __repr__(self) -> str:
        return "<%s>" % self.__name__

    # -- checks shared by both paths -------------------------------------------------------
    def _check(self, args, kwargs):
        fn = self.fn
        args = list(args)
        while args and args[-1] is _NOT_GIVEN:  # (optional parameters not given)
            args.pop()
        if kwargs:
            raise VmapError("Got an unexpected keyword argument '%s'" % next(iter(kwargs)),
                            "vmap passes positional arguments only (as MindSpore's): pass "
                            "it positionally, or bind it first with functools.partial")
        if not (callable(fn) or isinstance(fn, Cell)):
            raise VmapError("'VmapOperation' arg0 must be a 'Function' or 'Cell', but got "
                            "%r." % (fn,), "pass a function or a Cell as fn")
        cells = _is_cell_list(fn)
        _check_axes_tree(self.in_axes, "in_axes")
        _check_axes_tree(self.out_axes, "out_axes")
        if self.in_axes is None and not cells:
            raise VmapError("The 'in_axes' of 'vmap' cannot be a single None while 'fn' is "
                            "not a 'CellList'.", "say which argument is batched: in_axes=0 "
                            "or a tuple with an int for it")
        if self.out_axes is None and not cells:
            raise VmapError("The 'out_axes' of 'vmap' cannot be a single None while 'fn' is "
                            "not a 'CellList'.", "stack the outputs: out_axes=0")
        axes = self.in_axes
        if isinstance(axes, _SEQ):
            if len(axes) != len(args):
                raise VmapError("When vmap`s 'in_axes' is a tuple or list, and its size must "
                                "be equal to the number of arguments of 'fn': %d, but got "
                                "size: %d." % (len(args), len(axes)),
                                "give one axis (or None) per argument")
        else:
            axes = [axes] * len(args)
        leaves = []  # (value, axis) in argument order
        return [_arg_tree(a, ax, leaves) for a, ax in zip(args, axes)], leaves

    # -- eager: the reference ------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        trees, leaves = self._check(args, kwargs)
        n = None
        for value, axis in leaves:
            if axis is None:
                continue
            arr = np.asarray(value._data)
            size = arr.shape[_bounded(axis, arr.ndim, "in_axes")]
            if n is not None and size != n:
                raise VmapError("The 'axis_size' of each argument in the scope of 'vmap' "
                                "should be equal, but got %d and %d." % (n, size),
                                "give every mapped argument the same size on its axis")
            n = size
        fn = self.fn
        if _is_cell_list(fn):
            if n is not None and n != len(fn):
                raise ValueError(cell_list_message(n, len(fn)))
            _check_same_parameters(fn)
            n = len(fn)
        if n is None:
            raise VmapError("vmap: every argument has in_axes None, so there is no batch "
                            "axis", "map at least one argument (an int in in_axes)")
        if n == 0:
            raise VmapError("vmap: the batch axis has size 0; fn is called once per "
                            "element", "give a batch of at least one element")
        outs = []
        for i in range(n):
            call_args = [_take_tree(t, leaves, i) for t in trees]
            f = fn[i] if _is_cell_list(fn) else fn
            outs.append(f(*call_args))
        return self._stack_eager(outs)

    def _stack_eager(self, outs):
        first = outs[0]
        paths = []
        _out_paths(first, (), paths)
        axes = _out_axes_for(self.out_axes, first, paths, _is_cell_list(self.fn))
        results = []
        for path, axis in zip(paths, axes):
            vals = [_at(o, path) for o in outs]
            arrs = [np.asarray(_as_tensor(v)._data) for v in vals]
            if axis is None:
                if any(a.shape != arrs[0].shape or not np.array_equal(a, arrs[0])
                       for a in arrs[1:]):
                    raise VmapError("It is invalid that source is not None and dst is "
                                    "None.", "this output depends on the mapped inputs: "
                                    "give it an int in out_axes")
                results.append(vals[0])
                continue
            ax = _bounded(axis, arrs[0].ndim + 1, "out_axes")
            results.append(Tensor(np.stack(arrs, axis=ax)))
        return _rebuild(first, paths, results)

    # -- compiled: bound inside code being compiled --------------------------------------
    def _autograd_st_bind_call(self, call, args, kwargs):
        trees, leaves = self._check(list(args), kwargs)
        fn = self.fn
        mapped = [j for j, (_, ax) in enumerate(leaves) if ax is not None]
        n = None  # the batch size, checked when the code runs (rules_vmap)
        for j in mapped:
            n = P.vmap_batch_size(leaves[j][0], leaves[j][1], n,
                                  len(fn) if _is_cell_list(fn) else None)
        if _is_cell_list(fn):
            _check_same_parameters(fn)
            outs = []
            for i in range(len(fn)):
                call_args = [_take_tree(t, leaves, i) for t in trees]
                outs.append(call(fn[i], call_args, {}))
            return self._stack_bound(outs, call)
        if not mapped:
            raise VmapError("vmap: every argument has in_axes None, so there is no batch "
                            "axis", "map at least one argument (an int in in_axes)")
        for j in mapped:
            if not isinstance(leaves[j][0], (Sym, Tensor)):
                raise VmapError("vmap: a mapped argument must be a Tensor, but got %r"
                                % (leaves[j][0],), "give it in_axes None")
        first = call(fn, [_take_tree(t, leaves, 0) for t in trees], {})
        paths = []
        _out_paths(first, (), paths)
        axes = _out_axes_for(self.out_axes, first, paths, False)
        looped = [k for k, ax in enumerate(axes) if ax is not None]
        if not looped:  # every output unmapped (out_axes None): element 0's
            return _rebuild(first, paths, [_at(first, p) for p in paths])
        firsts = [_at(first, paths[k]) for k in looped]
        const = tuple(k for k, v in zip(looped, firsts) if not isinstance(v, Sym))
        firsts = [v if isinstance(v, Sym) else _as_tensor(v) for v in firsts]
        loop = self._loop_function(trees, leaves, paths, axes, looped, const)
        stacked = call(loop, [fn, n] + [v for v, _ in leaves] + firsts, {})
        if len(looped) == 1:
            stacked = (stacked,)
        results, it = [], iter(stacked)
        for p, ax in zip(paths, axes):
            results.append(_at(first, p) if ax is None else next(it))
        return _rebuild(first, paths, results)

    def _stack_bound(self, outs, call):
        first = outs[0]
        paths = []
        _out_paths(first, (), paths)
        axes = _out_axes_for(self.out_axes, first, paths, True)
        results = []
        for path, axis in zip(paths, axes):
            vals = [_at(o, path) for o in outs]
            if axis is None:
                results.append(vals[0])
            else:
                results.append(call(stack, [tuple(vals)], {"axis": axis}))
        return _rebuild(first, paths, results)

    def _loop_function(self, trees, leaves, paths, axes, looped, const):
        """The generated ``(fn, n, *arg leaves, *first outputs) -> stacked outputs``: a loop
        over the batch elements 1.. (element 0 is bound before it; an output that is a
        constant, in ``const``, is element 0's each time) whose outputs are
        concatenated, along their out_axes, onto what the earlier elements gave (a value the
        loop carries: differentiable to any order and in forward mode; each step copies the
        outputs so far, which a run-time list would not, but that list has only a first
        reverse-mode derivative: measured on a vmapped MLP loss under grad, 0.018 s with
        run-time lists and 0.031 s so at a batch of 256, 0.079 s and 0.103 s at 1024)."""
        sig = (tuple(_tree_sig(t) for t in trees), tuple(ax for _, ax in leaves),
               tuple(paths), tuple(axes), tuple(looped), const)
        found = self._generated.get(sig)
        if found is not None:
            return found
        n_args = len(leaves)
        names = ["a%d" % j for j in range(n_args)]
        outs = ["f%d" % k for k in looped]
        lines = ["def vmap_loop(fn, n, %s):" % ", ".join(names + outs),
                 "    %r" % _doc("the loop of " + self.__name__)]
        for k in looped:
            lines.append("    acc%d = expand_dims(f%d, %d)" % (k, k, axes[k]))
        lines.append("    for i in range(1, n):  %s" % _NOTE)
        call_args = ", ".join(_tree_source(t, leaves) for t in trees)
        lines.append("        o = fn(%s)" % call_args)
        for k in looped:
            at = "f%d" % k if k in const else "o" + "".join("[%d]" % i for i in paths[k])
            lines.append("        acc%d = concat((acc%d, expand_dims(%s, %d)), %d)"
                         % (k, k, at, axes[k], axes[k]))
        results = ["acc%d" % k for k in looped]
        lines.append("    return " + (results[0] if len(results) == 1 else
                                      "(%s,)" % ", ".join(results)) + "  " + _NOTE)
        text = "\n".join(lines) + "\n"
        loop = _generated(text, self.__name__, {"concat": concat,
                                                "expand_dims": expand_dims})["vmap_loop"]
        self._generated[sig] = loop
        return loop


_NOTE = "# vmap's loop over the batch"
_SOURCES: list = []  # the file names of the generated loops (registered in linecache)


def _as_tensor(value):
    """An output of ``fn`` that is a number or a constant Tensor, as the Tensor MindSpore
    stacks (a Python float is float32, an int int64)."""
    if isinstance(value, Tensor):
        return value
    return Tensor(np.asarray(value, dtype=np.float32 if isinstance(value, float) else np.int64))


class _Leaf:
    """A leaf of an argument tree: the index of its (value, axis) in the leaves list."""

    __slots__ = ("j",)

    def __init__(self, j) -> None:
        self.j = j


def _arg_tree(arg, axis, leaves):
    """``arg`` with each leaf replaced by a :class:`_Leaf` and recorded with its axis in
    ``leaves``; tuples/lists of in_axes follow the argument's tuples/lists."""
    if isinstance(axis, _SEQ):
        if not isinstance(arg, _SEQ) or len(arg) != len(axis):
            raise VmapError("The axis in vmap's 'in_axes' should be a None or a scalar of "
                            "type Int64Imm, but got a %r." % (tuple(axis),),
                            "nest in_axes as the argument is nested (a tuple of axes for a "
                            "tuple argument of the same length)")
        return type(arg)(_arg_tree(a, ax, leaves) for a, ax in zip(arg, axis))
    if axis is not None and isinstance(arg, _SEQ):
        return type(arg)(_arg_tree(a, axis, leaves) for a in arg)
    if axis is not None and not isinstance(arg, (Tensor, Sym)):
        raise VmapError("The orig_abs should be AbstractTensor when corresponding axis is "
                        "%d, but got a %s." % (axis, type(arg).__name__),
                        "Please check the correspondence between vmap's 'in_axes' and "
                        "inputs: give in_axes None to an argument that is not a Tensor")
    leaves.append((arg, axis))
    return _Leaf(len(leaves) - 1)


def _tree_sig(tree):
    if isinstance(tree, _SEQ):
        return (type(tree).__name__,) + tuple(_tree_sig(t) for t in tree)
    return tree.j


def _key(i, axis):
    if axis >= 0:
        return (slice(None),) * axis + (i,)
    return (Ellipsis, i) + (slice(None),) * (-axis - 1)


def _take_tree(tree, leaves, i):
    if isinstance(tree, _SEQ):
        return type(tree)(_take_tree(t, leaves, i) for t in tree)
    value, axis = leaves[tree.j]
    if axis is None:
        return value
    if isinstance(value, Sym):
        return value[_key(i, axis)]
    arr = np.asarray(value._data)
    return Tensor(np.take(arr, i, axis=_bounded(axis, arr.ndim, "in_axes")))


def _tree_source(tree, leaves):
    if isinstance(tree, _SEQ):
        inner = ", ".join(_tree_source(t, leaves) for t in tree)
        if isinstance(tree, list):
            return "[%s]" % inner
        return "(%s,)" % inner if len(tree) == 1 else "(%s)" % inner
    _, axis = leaves[tree.j]
    if axis is None:
        return "a%d" % tree.j
    if axis >= 0:
        return "a%d[%s]" % (tree.j, ", ".join([":"] * axis + ["i"]))
    return "a%d[%s]" % (tree.j, ", ".join(["...", "i"] + [":"] * (-axis - 1)))


def _bounded(axis, ndim, what):
    if not -ndim <= axis < ndim:
        raise VmapError("The axis: %d in '%s' is out of bounds for array of dimension "
                        "[%d,%d)." % (axis, what, -ndim, ndim),
                        "give an axis the %s has" % ("argument" if what == "in_axes"
                                                    else "stacked output"))
    return axis % ndim


def _out_paths(out, path, paths):
    """The paths (tuples of indices) of the leaves of ``out``: Tensors, runtime values and
    numbers in tuples/lists."""
    if isinstance(out, _SEQ):
        for i, o in enumerate(out):
            _out_paths(o, path + (i,), paths)
        return
    if isinstance(out, (Tensor, Sym)) or (isinstance(out, numbers.Number)
                                          and not isinstance(out, bool)):
        paths.append(path)
        return
    raise VmapError("The outputs of vmap's 'fn' should be consisting of tensors or "
                    "constants, but got %s." % type(out).__name__,
                    "return Tensors (or numbers) in tuples or lists")


def _at(out, path):
    for i in path:
        out = out[i]
    return out


def _out_axes_for(out_axes, first, paths, cells):
    """One axis (or None) per output leaf, ``out_axes`` matched to the output's
    tuples/lists."""
    def walk(axes, out, path):
        if not isinstance(axes, _SEQ):
            return {p: axes for p in paths if p[:len(path)] == path}
        if not isinstance(out, _SEQ):
            raise VmapError("The 'out_axes' of vmap is a %s but the output of 'fn' is one "
                            "value" % type(axes).__name__, "give out_axes an int")
        if len(axes) != len(out):
            raise VmapError("The size of vmap's 'out_axes' should be equal to the number of "
                            "results of 'fn': %d, but got size: %d." % (len(out), len(axes)),
                            "give one axis (or None) per output")
        found = {}
        for i, (a, o) in enumerate(zip(axes, out)):
            found.update(walk(a, o, path + (i,)))
        return found
    found = walk(out_axes, first, ())
    return [found[p] for p in paths]


def _rebuild(first, paths, results):
    """``first``'s structure (lists become tuples, as MindSpore returns) with ``results``
    at its leaves."""
    values = dict(zip(paths, results))

    def build(out, path):
        if isinstance(out, _SEQ):
            return tuple(build(o, path + (i,)) for i, o in enumerate(out))
        return values[path]
    return build(first, ())


def _check_same_parameters(cells):
    """MindSpore stacks the Parameters of a CellList's Cells: they must match in shape."""
    shapes = None
    for cell in cells:
        mine = [(p.name.split(".", 1)[-1], tuple(p.shape)) for p in cell.get_parameters()]
        if shapes is None:
            shapes = mine
        elif [s for _, s in mine] != [s for _, s in shapes]:
            for (name, s0), (_, s1) in zip(shapes, mine):
                if s0 != s1:
                    raise VmapError("The corresponding parameter's shape in each cell should "
                                    "be consistent, but get Shape: %s and Shape: %s for the "
                                    "parameter %s." % (s0, s1, name),
                                    "give the Cells of the CellList the same structure")
            raise VmapError("The Cells of the CellList have different numbers of Parameters",
                            "give the Cells of the CellList the same structure")
