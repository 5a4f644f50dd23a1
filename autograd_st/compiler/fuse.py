"""Fuse: generated code -> the same code with its runs of elementwise statements in numba.

Takes: a generated function (a gradient, or a forward/backward pair's half), after lowering.
Gives: :func:`fuse_function`, a function computing the same thing in which each maximal run
of elementwise statements (arithmetic, comparisons, numpy ufuncs such as ``np.tanh``,
``np.where``, ``relu``/``sigmoid``, ``ones_like``, ``expand_to`` and ``unbroadcast`` that do
not change a shape, and whole-array ``np.sum``) is one call of a
:class:`~autograd_st.jit_numba.Run`: one native loop over the broadcast shape, writing only
the values read after the run.  A function whose body is all such statements (W5's
``expr20``) becomes one kernel.  Everything else (matmuls, reductions over an axis, loops,
branches, calls) stays the numpy code it was; so does a run for inputs a kernel does not
take (other dtypes, shapes that need a broadcasting gradient), with a note.  Callees
(sub-Cells' forward and backward) are fused too.  :func:`explain` says what was fused, how
it was called, and why anything fell back, with the kernels' text.

The dumped source (``GradFunction.source``, ``autograd-st dump``) is the numpy code either
way: this pass writes a second function next to it, cached on the first (a weak mapping,
so it lives exactly as long as the compile cache keeps the generated code).
"""
from __future__ import annotations

import linecache
import re
import types
import weakref

import gast
import numpy as np

from .. import runtime
from ..jit_numba import Run, Unsupported
from .codegen import comment, function_def, name, to_source
from .deferred import DeferredReverse
from .fuse_kernel import BINARY, BINOPS, CMPOPS, KNOWN, SHAPE_OF, UNARY, RunSpec
from .inplace import is_fast_path
from .load import load, validate
from .lower_fwdacc import is_branch

__all__ = ["fuse_function", "explain", "RunSpec"]

_FUSED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_MIN_STATEMENTS = 2  # a run of one statement is one numpy call already

_UNSEEN = object()
_LOCATION = re.compile(r"\(([^()]*:\d+)\)\s*$")


# ---------------------------------------------------------------------------------------
# what a statement computes, elementwise
# ---------------------------------------------------------------------------------------

class _Resolver:
    """The object a call's function names in the generated code's globals, when it is one a
    kernel computes (None otherwise).  Each answer is kept by node; ``forget`` drops the
    globals once the runs are found (a Run must not hold the generated code's module)."""

    def __init__(self, glb, local_names) -> None:
        self.glb = glb
        self.local = local_names
        self.seen: dict = {}

    def __call__(self, func):
        found = self.seen.get(id(func), _UNSEEN)
        if found is not _UNSEEN:
            return found
        if self.glb is None:
            raise Unsupported("internal error: a call not seen when the run was found")
        obj = None
        if isinstance(func, gast.Name) and func.id not in self.local:
            obj = self.glb.get(func.id)
        elif isinstance(func, gast.Attribute) and isinstance(func.value, gast.Name) \
                and func.value.id not in self.local and self.glb.get(func.value.id) is np:
            obj = getattr(np, func.attr, None)
        try:
            known = obj in KNOWN
        except TypeError:  # (an unhashable object: not one of them)
            known = False
        obj = obj if known else None
        self.seen[id(func)] = obj
        return obj

    def forget(self) -> None:
        self.glb = None


def _is_sum(value, resolve) -> bool:
    return isinstance(value, gast.Call) and resolve(value.func) is np.sum \
        and len(value.args) == 1 and not value.keywords \
        and isinstance(value.args[0], gast.Name)


def _elementwise(node, resolve) -> bool:
    """Whether ``node`` is an expression a kernel computes element by element."""
    if isinstance(node, gast.Name):
        return True
    if isinstance(node, gast.Constant):
        return type(node.value) in (int, float, bool)
    if isinstance(node, gast.BinOp):
        return type(node.op) in BINOPS and _elementwise(node.left, resolve) \
            and _elementwise(node.right, resolve)
    if isinstance(node, gast.UnaryOp):
        return isinstance(node.op, (gast.USub, gast.UAdd, gast.Not)) \
            and _elementwise(node.operand, resolve)
    if isinstance(node, gast.Compare):
        return len(node.ops) == 1 and type(node.ops[0]) in CMPOPS \
            and _elementwise(node.left, resolve) and _elementwise(node.comparators[0], resolve)
    if isinstance(node, gast.Call) and not node.keywords \
            and not any(isinstance(a, gast.Starred) for a in node.args):
        fn = resolve(node.func)
        args = node.args
        if fn in UNARY and len(args) == 1 or fn in BINARY and len(args) == 2 \
                or fn is np.where and len(args) == 3:
            return all(_elementwise(a, resolve) for a in args)
        if (fn in SHAPE_OF or fn is runtime.sum_ones) and len(args) == 1:
            return isinstance(args[0], gast.Name)
        if fn in (runtime.expand_to, runtime.unbroadcast, runtime.sum_to) and len(args) == 2:
            return _elementwise(args[0], resolve) and isinstance(args[1], gast.Name)
    return False


def _value_names(node, resolve, out) -> None:
    """Names ``node`` reads for their values (not those it reads only for a shape)."""
    if isinstance(node, gast.Name):
        out.append(node.id)
    elif isinstance(node, gast.Call):
        fn = resolve(node.func)
        if fn in SHAPE_OF or fn is runtime.sum_ones:
            return
        args = node.args[:1] if fn in (runtime.expand_to, runtime.unbroadcast, runtime.sum_to) \
            else node.args
        for a in args:
            _value_names(a, resolve, out)
    else:
        for child in gast.iter_child_nodes(node):
            _value_names(child, resolve, out)


def _names(node, out=None) -> list:
    """Names ``node`` reads, in order (not the functions it calls)."""
    out = [] if out is None else out
    if isinstance(node, gast.Name):
        out.append(node.id)
    elif isinstance(node, gast.Call):
        for a in node.args:
            _names(a, out)
    else:
        for child in gast.iter_child_nodes(node):
            _names(child, out)
    return out


# ---------------------------------------------------------------------------------------
# finding the runs in a function
# ---------------------------------------------------------------------------------------

class _Fuser:
    def __init__(self, fdef, glb, lines) -> None:
        self.fdef = fdef
        local = {a.id for a in fdef.args.args}
        local |= {n.id for n in gast.walk(fdef) if isinstance(n, gast.Name)
                  and isinstance(n.ctx, gast.Store)}
        self.resolve = _Resolver(glb, local)
        self.lines = lines
        self.taken = set(glb) | local | {fdef.name}
        # every read of a name (a del counts), by node: a run's outputs are what is read
        # outside it
        self.reads = [(n.id, id(n)) for n in gast.walk(fdef) if isinstance(n, gast.Name)
                      and isinstance(n.ctx, (gast.Load, gast.Del))]
        self.runs = []  # (global name, RunSpec, fallback FunctionDef)

    def fresh(self, base: str) -> str:
        k = 0
        while "%s_%d" % (base, k) in self.taken:
            k += 1
        self.taken.add("%s_%d" % (base, k))
        return "%s_%d" % (base, k)

    def block(self, body) -> list:
        out, cur = [], []
        self.deferred = []  # shape statements met inside the current run (see _is_shape)
        for st in body:
            if _is_comment(st) or isinstance(st, gast.Delete) and all(
                    isinstance(t, gast.Name) for t in st.targets):
                (cur if cur else out).append(st)
                continue
            if cur and _is_shape(st, self.resolve):
                # a residual kept as its shape: it reads a value the run makes, so it runs
                # right after the run's call (the run does not end at it)
                self.deferred.append(st)
                continue
            if self._joins(st, cur):
                cur.append(st)
                continue
            out += self.flush(cur)
            cur = []
            if self._joins(st, cur):
                cur.append(st)
                continue
            for field in ("body", "orelse"):
                if isinstance(getattr(st, field, None), list) and not isinstance(
                        st, gast.FunctionDef):
                    setattr(st, field, self.block(getattr(st, field)))
                    self.deferred = []
            out.append(st)
        return out + self.flush(cur)

    def _joins(self, st, cur) -> bool:
        if not (isinstance(st, gast.Assign) and len(st.targets) == 1
                and isinstance(st.targets[0], gast.Name)):
            return False
        value = st.value
        is_sum = _is_sum(value, self.resolve)
        if not is_sum and not _elementwise(value, self.resolve):
            return False
        subst = None
        if self.deferred:
            # a shape deferred past the run, of a value the run makes, read for its shape
            # (expand_to/unbroadcast's second argument): the statement reads that value
            # instead, inside the run; read any other way, the run ends before it
            made = {t.id for c in cur if isinstance(c, gast.Assign) for t in c.targets
                    if isinstance(t, gast.Name)}
            of = {d.targets[0].id: d.value.args[0].id for d in self.deferred
                  if d.value.args[0].id in made}
            if of and isinstance(value, gast.Call) and len(value.args) == 2 \
                    and self.resolve(value.func) in (runtime.expand_to, runtime.unbroadcast,
                                                     runtime.sum_to) \
                    and isinstance(value.args[1], gast.Name) and value.args[1].id in of:
                subst = of[value.args[1].id]
            shapes = {d.targets[0].id for d in self.deferred}
            read_names = _names(value)
            if subst is not None:
                read_names = [n for n in read_names if n != value.args[1].id]
            if shapes.intersection(read_names):
                return False
        if not self._sums_allow(st, value, cur):
            return False
        if subst is not None:
            if self.resolve(value.func) is runtime.sum_to:  # (takes a shape, not a value)
                value.func = name("unbroadcast")
                self.resolve.seen[id(value.func)] = runtime.unbroadcast
            value.args[1] = name(subst)
        return True

    def _sums_allow(self, st, value, cur) -> bool:
        sums = {s.targets[0].id for s in cur if isinstance(s, gast.Assign)
                and _is_sum(s.value, self.resolve)}
        if not sums:
            return True
        read = []
        _value_names(value, self.resolve, read)
        # a sum is complete only after the run: nothing in it reads it or assigns it again
        return not sums.intersection(read) and st.targets[0].id not in sums

    def flush(self, cur) -> list:
        deferred, self.deferred = self.deferred, []
        assigns = [s for s in cur if isinstance(s, gast.Assign)]
        if len(assigns) < _MIN_STATEMENTS:
            return _in_order(cur, deferred)
        inside = {id(n) for s in cur for n in gast.walk(s)}
        assigned, inputs, events = [], [], {}
        for s in cur:
            if isinstance(s, gast.Delete):
                for t in s.targets:
                    events[t.id] = "del"
                continue
            for n in _names(s.value):
                if n not in assigned and n not in inputs:
                    inputs.append(n)
            t = s.targets[0].id
            if t not in assigned:
                assigned.append(t)
            events[t] = "set"
        read_after = {n for n, i in self.reads if i not in inside}
        outputs = [t for t in assigned if t in read_after]
        if not outputs:
            return _in_order(cur, deferred)
        stmts = [(s.targets[0].id, s.value, _is_sum(s.value, self.resolve)) for s in assigns]
        spec = RunSpec(stmts, inputs, outputs, self.resolve, self._where(assigns))
        gname = self.fresh("_jit_run")
        fallback = function_def(gname + "_numpy", list(inputs), list(assigns) + [
            gast.Return(value=gast.Tuple(elts=[name(o) for o in outputs], ctx=gast.Load()))])
        self.runs.append((gname, spec, fallback))
        bound = set(inputs) | set(outputs)
        dels = [n for n, e in events.items() if e == "del" and n in bound]
        call = gast.Assign(
            targets=[gast.Tuple(elts=[name(o, True) for o in outputs], ctx=gast.Store())],
            value=gast.Call(func=name(gname), args=[name(i) for i in inputs], keywords=[]),
            type_comment=None)
        out = [comment("ms.jit: %s (%d statements) in one kernel" % (spec.where, len(assigns))),
               call] + deferred
        if dels:
            out.append(gast.Delete(targets=[gast.Name(id=n, ctx=gast.Del(), annotation=None,
                                                      type_comment=None) for n in dels]))
        return out

    def _where(self, assigns) -> str:
        """The user's lines a run covers, from the comments above its statements."""
        found = []
        for s in (assigns[0], assigns[-1]):
            line = getattr(s, "lineno", None)
            while line and line > 1:
                line -= 1
                m = _LOCATION.search(self.lines[line - 1]) if line <= len(self.lines) else None
                if m and self.lines[line - 1].lstrip().startswith("#"):
                    found.append(m.group(1))
                    break
        if not found:
            return "%s (generated code)" % self.fdef.name
        first, last = found[0], found[-1]
        if first == last:
            return first
        f1, _, l1 = first.rpartition(":")
        f2, _, l2 = last.rpartition(":")
        return "%s:%s-%s" % (f1, l1, l2) if f1 == f2 else "%s .. %s" % (first, last)


def _is_shape(st, resolve) -> bool:
    """``name = getattr(v, 'shape', ())`` or ``name = shape_of(v)``: the lowering keeps a
    residual the backward reads only for its shape."""
    if not (isinstance(st, gast.Assign) and len(st.targets) == 1
            and isinstance(st.targets[0], gast.Name) and isinstance(st.value, gast.Call)):
        return False
    call = st.value
    if not isinstance(call.func, gast.Name) or call.func.id in resolve.local \
            or call.keywords or not call.args or not isinstance(call.args[0], gast.Name):
        return False
    if call.func.id == "shape_of":
        return len(call.args) == 1 and resolve.glb.get("shape_of") is runtime.shape_of
    return call.func.id == "getattr" and len(call.args) == 3 \
        and isinstance(call.args[1], gast.Constant) and call.args[1].value == "shape"


def _in_order(cur, deferred) -> list:
    """A run left unfused, with the shape statements deferred from it back in place after
    the statements they read (each right after the last statement of ``cur`` before it)."""
    if not deferred:
        return cur
    out = list(cur)
    for st in deferred:
        src = st.value.args[0].id
        at = 0
        for k, s in enumerate(out):
            if isinstance(s, gast.Assign) and any(
                    isinstance(t, gast.Name) and t.id == src for t in s.targets):
                at = k + 1
        out.insert(at, st)
    return out


def _is_comment(st) -> bool:
    return isinstance(st, gast.Expr) and isinstance(st.value, gast.Call) \
        and isinstance(st.value.func, gast.Name) and st.value.func.id == "__comment__"


# ---------------------------------------------------------------------------------------
# the entry points
# ---------------------------------------------------------------------------------------

def _reverse_called(body, glb):
    """The generated function a body that only returns its call calls (``return
    f_grad_reverse(x)``, the reverse code of a gradient built apart), built now if it was
    not; else None."""
    stmts = [st for st in body if not _is_comment(st)]
    if len(stmts) != 1 or not isinstance(stmts[0], gast.Return) \
            or not isinstance(stmts[0].value, gast.Call) \
            or not isinstance(stmts[0].value.func, gast.Name):
        return None
    target = glb.get(stmts[0].value.func.id)
    if isinstance(target, DeferredReverse):
        target = target.force().fn
    return target if _is_generated(target) else None


def _is_generated(fn) -> bool:
    return isinstance(fn, types.FunctionType) \
        and "__autograd_st_filename__" in getattr(fn, "__globals__", {})


def fuse_function(fn):
    """``fn`` (a generated function) with its elementwise runs fused, its callees too; ``fn``
    itself when there is nothing to fuse.  Cached per generated function."""
    try:
        fused = _FUSED[fn]
    except KeyError:
        fused = _fuse(fn)
        # (None: nothing to fuse; the mapping must not hold its own key)
        _FUSED[fn] = None if fused is fn else fused
    return fn if fused is None else fused


def _fuse(fn):
    filename = fn.__code__.co_filename
    lines = linecache.getlines(filename)
    if not lines:
        return fn
    tree = gast.parse("".join(lines))
    fdef = next((d for d in tree.body if isinstance(d, gast.FunctionDef)
                 and d.name == fn.__name__), None)
    if fdef is None:
        return fn
    if fdef.body and is_branch(fdef.body[0]):
        # the forward-accumulated branch (compiler/lower_fwdacc.py): numpy's, as in place
        fdef.body = fdef.body[1:]
        reverse = _reverse_called(fdef.body, fn.__globals__)
        if reverse is not None:  # (its reverse code built apart: compiler/deferred.py)
            return fuse_function(reverse)
    if fdef.body and is_fast_path(fdef.body[0]):
        # the numpy in-place branch (compiler/inplace.py): the kernels fuse the plain body
        fdef.body = fdef.body[1:]
    glb = fn.__globals__
    namespace, callees = {}, False
    for k, v in glb.items():
        if k.startswith("__") or isinstance(v, types.FunctionType) \
                and v.__code__.co_filename == filename:
            continue
        if _is_generated(v):
            fused_callee = fuse_function(v)
            callees = callees or fused_callee is not v
            v = fused_callee
        namespace[k] = v
    fuser = _Fuser(fdef, glb, [line.rstrip("\n") for line in lines])
    fdef.body = fuser.block(fdef.body)
    fuser.resolve.forget()
    if not fuser.runs and not callees:
        return fn
    defs = [fdef] + [fb for _, _, fb in fuser.runs]
    for d in defs:
        validate(d)
    runs = {}
    for gname, spec, _ in fuser.runs:
        runs[gname] = namespace[gname] = Run(spec)
    source = "\n\n".join(to_source(d) for d in defs)
    module = load(source, "%s jit" % fn.__name__, namespace)
    for gname, run in runs.items():
        run.fallback = module[gname + "_numpy"]
    fused = module[fn.__name__]
    fused.__autograd_st_fused__ = {"source": source, "runs": runs, "original": fn.__name__}
    return fused


def _describe(key) -> str:
    """A plan's key, read: ``float32[4, 3]`` per array, ``shape(4, 3)`` per shape kept
    instead of its array, the type's name per scalar."""
    return ", ".join(("shape%s" % (tuple(k[1]),) if k[0] == "shape" else
                      "%s%s" % (k[0], list(k[1]))) if isinstance(k, tuple) else k.__name__
                     for k in key)


def explain(fn) -> str:
    """What ``ms.jit`` made of a generated function: the fused code, then per run the
    user's lines, the kernel for each kind of inputs it met, and why it ran numpy where it
    did (callees follow)."""
    fused = fuse_function(fn)
    out, seen = [], set()

    def rec(f):
        info = getattr(f, "__autograd_st_fused__", None)
        if info is None or id(f) in seen:
            return
        seen.add(id(f))
        out.append("# ms.jit: %s, fused\n%s" % (info["original"], info["source"]))
        for gname, run in info["runs"].items():
            out.append("# %s: %s; inputs %s -> outputs %s" % (
                gname, run.spec.where, ", ".join(run.spec.inputs),
                ", ".join(run.spec.outputs)))
            for reason in run.notes:
                out.append("#   ran numpy: %s" % reason)
            for key, plan in run.plans.items():
                if plan.measured is not None:
                    out.append("#   inputs %s: %s (timed: kernel %.1f us, numpy %.1f us)" % (
                        _describe(key), "kernel" if plan.kernel is not None else "numpy",
                        plan.measured[0] * 1e6, plan.measured[1] * 1e6))
            for (dtype, kinds, red), text in run.kernel_sources.items():
                out.append("# kernel for %s, inputs %s%s:\n%s" % (
                    dtype, ", ".join(kinds), ", %d sum(s) over broadcast axes"
                    % len({h[1] for h in red if h}) if any(red) else "", text))
        for v in f.__globals__.values():
            if _is_generated(v):
                rec(v)
    rec(fused)
    if not out:
        return "# ms.jit: nothing in %s to fuse (it runs its numpy code)\n" % fn.__name__
    return "\n".join(out)
