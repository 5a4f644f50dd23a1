"""One compiled gradient function as its callers use it: the per-call entry and its checks.

Takes: a :class:`~autograd_st.compiler.GradientArtifact` (the generated function, the
objects its inputs stand for, the structure it returns), the kinds of the arguments it was
compiled for, and what it was compiled against (its target, weights, Cells, guards).
Gives: an :class:`Artifact` whose ``entry(*args)`` unwraps each argument as its kind says,
appends the inputs' arrays, calls the generated code and wraps the result in Tensors
(written out once per artifact, so no per-argument dispatch is left), and whose
``valid(args)`` says whether anything the code folded in has changed since.  The guards
that can fail while no Cell attribute is assigned (a module's attribute, a list's items)
are written out as one function, ``hot(args)``, that the per-call path runs; the rest run
when the structure epoch has moved.
"""
from __future__ import annotations

import numpy as np

from .. import rules
from ..cell import Cell
from ..compiler.analyze import written_inputs
from ..compiler.cache import guards_hold, hot_check, structure_signature
from ..compiler.ir import RUNTIME, resolve_input
from ..tensor import Tensor, _structure_epoch
from .values import _new_tensor, runtime_leaves, to_tensors, unwrap_arg

__all__ = ["Artifact"]


class _Holder:
    """A free numpy array read by generated code, seen like a Tensor (``._data``)."""

    __slots__ = ("_data",)

    def __init__(self, data) -> None:
        self._data = data


class Artifact:
    """A generated gradient function bound to its inputs, with its per-call entry."""

    __slots__ = ("fn", "inputs", "epoch", "guards", "gradient", "n_args", "tensors_out", "plain",
                 "spec_args", "cells", "sigs", "n_rules", "weights", "wflags", "target",
                 "objects", "hot", "check", "effects", "inner", "entry", "simple")

    def __init__(self, art, epoch, n_args, tensors_out=True, spec_args=(), weights=(),
                 target=(None, None), inner=None, kinds=None, fused=None, cell=None) -> None:
        self.tensors_out = tensors_out
        self.spec_args = tuple(spec_args)
        self.plain = all(sp is RUNTIME for sp in spec_args)
        fn, self_obj = target
        # the structure of self (another Cell the code reads has a "struct" guard) and of
        # the Cell differentiated, ``cell``, where its construct was replaced on the instance
        # by a function without it as self (what runs changes with its attributes)
        self.cells = tuple(c for i, c in enumerate((self_obj, cell))
                           if isinstance(c, Cell) and not (i and c is self_obj))
        self.sigs = tuple(structure_signature(c) for c in self.cells)
        self.n_rules = rules.version()
        self.gradient = art  # the compiler's GradientArtifact
        self.fn = art.fn if fused is None else fused  # (fused: ms.jit's numba version)
        self.inputs = tuple(o if isinstance(o, Tensor) else _Holder(o) for o in art.inputs)
        self.epoch = epoch
        self.guards = tuple(art.fir.guards)
        self.hot = hot_check(self.guards, self_obj)  # run on every call (or None)
        self.n_args = n_args
        # the weights are held (the cache key has their ids) with the flags compiled in
        self.weights = tuple(weights)
        self.wflags = tuple(w.requires_grad for w in self.weights)
        # what the inputs were found on, to find them again when something may have changed
        self.target = target
        self.objects = tuple(art.inputs)
        # a gradient of a gradient: (inner gradient function, argspec, its generated code)
        self.inner = inner
        self.check = inner is not None
        written = written_inputs(art.fir)
        self.effects = tuple(
            o for inp, o in zip(art.fir.inputs, self.objects)
            if (written is None or inp.name in written) and isinstance(o, (Tensor, np.ndarray)))
        self.entry = _entry(self, kinds, art.out_structure)
        # no hot guards, no inner gradient function, no state written: while the structure
        # epoch has not moved, a call is its entry and nothing else
        self.simple = self.hot is None and not self.check and not self.effects

    def _same_inputs(self) -> bool:
        """Each input is still the object found on its path (not a new Parameter)."""
        fn, self_obj = self.target
        if fn is None:
            return True
        try:
            for inp, obj in zip(self.gradient.fir.inputs, self.objects):
                if inp.path and resolve_input(inp, self_obj, fn) is not obj:
                    return False
        except Exception:  # noqa: BLE001 - an input is gone: compile again (and say so)
            return False
        return True

    def valid(self, args) -> bool:
        """Whether the code may be reused for a call with ``args``: nothing it folded in has
        changed."""
        epoch = _structure_epoch[0]
        if self.epoch != epoch:
            if tuple(structure_signature(c) for c in self.cells) != self.sigs \
                    or rules.version() != self.n_rules \
                    or tuple(w.requires_grad for w in self.weights) != self.wflags \
                    or not self._same_inputs() \
                    or not guards_hold(self.guards, self.target[1], args):
                return False
            self.epoch = epoch
        elif self.hot is not None and not self.hot(args):
            return False
        if self.inner is not None:
            gfn, argspec, generated = self.inner
            if gfn._autograd_st_generated(argspec)[0] is not generated:
                return False
        return True

    def call_keeping_state(self, args):
        """A call whose code writes Parameters in place (BatchNorm's moving statistics in
        training mode): if it fails, they are written back as they were."""
        saved = [(o._data, o._data.copy()) if isinstance(o, Tensor) else (o, o.copy())
                 for o in self.effects]
        try:
            if self.plain:
                out = self.fn(*[unwrap_arg(a) for a in args], *[o._data for o in self.inputs])
            else:
                out = self.fn(*runtime_leaves(args, self.spec_args),
                              *[o._data for o in self.inputs])
        except BaseException:
            for arr, copy in saved:
                np.copyto(arr, copy)
            raise
        return to_tensors(out) if self.tensors_out else out


def _unwrap_code(kind, arg: str) -> str:
    """How the entry unwraps an argument of this kind (see ``values.kind``)."""
    if isinstance(kind, str) and len(kind) == 1:  # a Tensor or a Parameter
        return arg + "._data"
    if isinstance(kind, str) and kind[0] in "ngp":  # an ndarray, a numpy scalar, a float
        return arg
    return "_unwrap(%s)" % arg


class _Unwritten(Exception):
    """An argument whose kind does not spell out its spec's structure (the entry is then
    the generic one)."""


def _leaf_code(kind, spec, arg: str, namespace: dict) -> list:
    """The expressions of an argument's runtime leaves, in the order the generated code
    takes them (see ``values.runtime_leaves``): ``a0[1]._data``, ``a0[_k0]._data`` ..."""
    if spec is RUNTIME:
        return [_unwrap_code(kind, arg)]
    if type(spec) is tuple:
        if not (type(kind) is tuple and kind and kind[0] in (tuple, list)
                and len(kind) == len(spec) + 1):
            raise _Unwritten
        return [code for j, (k, sp) in enumerate(zip(kind[1:], spec))
                for code in _leaf_code(k, sp, "%s[%d]" % (arg, j), namespace)]
    if type(spec) is dict:
        if not (type(kind) is tuple and kind and kind[0] is dict
                and [k[1] for k in kind[1:]] == list(spec)):
            raise _Unwritten
        out = []
        for (_, key, k), sp in zip(kind[1:], spec.values()):
            out += _leaf_code(k, sp, "%s[%s]" % (arg, _constant(key, namespace)), namespace)
        return out
    return []  # a constant: compiled in


def _constant(value, namespace: dict) -> str:
    """A name in the entry's namespace for ``value`` (a dict key)."""
    name = "_k%d" % len([n for n in namespace if n.startswith("_k")])
    namespace[name] = value
    return name


def _wrap_code(structure, value: str, out: list, namespace: dict) -> str:
    """An expression that rebuilds ``structure`` (tuples, lists, dicts; None per leaf) from
    ``value`` with Tensor leaves; the unpacking statements it needs are appended to
    ``out``."""
    if structure is None:
        return "_leaf(%s)" % value
    subs = list(structure.values()) if type(structure) is dict else list(structure)
    parts = ["%s_%d" % (value, i) for i in range(len(subs))]
    if parts:
        out.append("%s, = %s%s" % (", ".join(parts), value,
                                   ".values()" if type(structure) is dict else ""))
    items = [_wrap_code(sub, p, out, namespace) for sub, p in zip(subs, parts)]
    if type(structure) is dict:
        return "{%s}" % ", ".join("%s: %s" % (_constant(k, namespace), item)
                                  for k, item in zip(structure, items))
    if type(structure) is list:
        return "[%s]" % ", ".join(items)
    return "(%s)" % "".join(item + "," for item in items)


def _entry(artifact, kinds, out_structure):
    """The per-call path of one artifact, written out for its argument kinds: unwrap each
    argument (each runtime leaf of a tuple, list or dict argument) as its kind says, add the
    inputs' arrays, call the generated code, wrap its result in Tensors as its returned
    structure says.  No per-argument dispatch is left (``art.fn`` is what the benchmark
    calls directly; this adds the API's work around it)."""
    fn, inputs = artifact.fn, artifact.inputs

    def generic(*args):
        if artifact.plain:
            out = fn(*[unwrap_arg(a) for a in args], *[o._data for o in inputs])
        else:
            out = fn(*runtime_leaves(args, artifact.spec_args), *[o._data for o in inputs])
        return to_tensors(out) if artifact.tensors_out else out
    if kinds is None:
        return generic
    namespace = {"fn": fn, "_leaf": to_tensors, "_unwrap": unwrap_arg}
    params = ["a%d" % i for i in range(len(kinds))]
    specs = artifact.spec_args
    try:
        leaves = [code for i, (k, p) in enumerate(zip(kinds, params))
                  for code in (_leaf_code(k, specs[i], p, namespace) if i < len(specs)
                               else [_unwrap_code(k, p)])]
    except _Unwritten:
        return generic
    call = "fn(%s)" % ", ".join(leaves + ["i%d._data" % j for j in range(len(inputs))])
    lines = ["def entry(%s):" % ", ".join(params)]
    if not artifact.tensors_out:
        lines.append("    return " + call)
    elif out_structure is None:  # one value: an array wrapped here, without a call
        namespace.update(_ndarray=np.ndarray, _new=_new_tensor, _Tensor=Tensor)
        lines += ["    r = " + call, "    if type(r) is _ndarray:", "        t = _new(_Tensor)",
                  "        t._data = r", "        return t", "    return _leaf(r)"]
    else:
        lines.append("    r = " + call)
        unpack = []
        result = _wrap_code(out_structure, "r", unpack, namespace)
        lines += ["    " + u for u in unpack] + ["    return " + result]
    namespace.update(("i%d" % j, o) for j, o in enumerate(inputs))
    exec(compile("\n".join(lines) + "\n", "<autograd_st entry>", "exec"), namespace)  # noqa: S102
    return namespace["entry"]
