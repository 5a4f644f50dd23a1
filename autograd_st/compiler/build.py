"""Building generated functions: the shared builder, forward/backward pairs, loading, dumps.

Takes: a :class:`~autograd_st.compiler.ir.FuncIR` and which of its positional argument
leaves and extra inputs are differentiated.
Gives: :class:`Builder` (what every build of one FuncIR shares: fresh names, the generated
code's namespace, activity, each call's compiled callee, and ``finish``: print and check
(``load.checked_source``) -> load), ``build_pair`` (a :class:`Compiled` forward ``(outputs..., residuals)``
and backward ``(residuals, d_outputs...) -> grads``, cached on the FuncIR; every call to a
sub-Cell or helper runs one), and ``full_source`` (a generated function's code followed by
its callees', each printed under the name its caller calls it by).
"""
from __future__ import annotations

import builtins
import copy
import re

import gast

from .. import rules
from ..errors import CompileError
from . import codegen
from .analyze import activity
from .bprop import CustomBprop
from .cache import built_once, paused_gc
from .checkpoint import recompute_pair
from .codegen import ForwardEmitter, assign, function_def, name, to_source
from .deferred import DeferredReverse
from .ir import Call, has_random, leaves, walk
from .load import checked_source, load
from .lower import lower
from .reverse import Reverse
from .stages import record
from .trees import walk as tree_walk

__all__ = ["Builder", "ReverseBuilder", "Compiled", "build_pair", "full_source", "short_name"]


class Namespace:
    """The globals of one generated function: deterministic names for callees, constants."""

    def __init__(self, names, consts) -> None:
        self.names = names
        self.objects: dict = {}
        self.consts = consts

    def name_for(self, obj, hint: str) -> str:
        return self.names.name_in(self.objects, obj, hint)

    def const_namer(self, obj, hint):
        for n, o in self.consts.items():
            if o is obj:
                return n
        return self.name_for(obj, hint)

    def resolve(self, fdef, global_names=None) -> dict:
        """The objects ``fdef``'s globals name; ``global_names``: those names, when
        the check already gave them."""
        out = {}
        glob = rules.template_globals()
        if global_names is None:
            global_names = codegen.global_names(fdef)
        for n in global_names:
            if n in self.objects:
                out[n] = self.objects[n]
            elif n in self.consts:
                out[n] = self.consts[n]
            elif n in glob:
                out[n] = glob[n]
            elif n == "__comment__" or hasattr(builtins, n):
                continue
            else:
                raise CompileError("internal error: generated code reads an unknown global %r"
                                   % n)
        return out


class Compiled:
    """A compiled forward/backward pair for one FuncIR and one set of differentiated inputs.
    ``texts``: ``(function name, source)`` per generated function, in source order."""

    def __init__(self, fir, arg_mask, input_mask, fwd, bwd, texts, callees) -> None:
        self.fir = fir
        self.arg_mask = tuple(arg_mask)
        self.input_mask = tuple(input_mask)
        self.wrt_any = any(arg_mask) or any(input_mask)
        self.fwd, self.bwd = fwd, bwd
        self.texts = texts
        self.source = "\n\n".join(text for _, text in texts)
        self.callees = callees


class Builder:
    """What every build of one FuncIR shares.  ``build_callee(stmt, arg_mask, input_mask)``
    compiles the callee of each ``Call`` for the inputs active at that call."""

    def __init__(self, fir, arg_mask, input_mask, build_callee) -> None:
        self.fir = fir
        self.names = copy.deepcopy(fir.names)
        self.ns = Namespace(self.names, fir.consts)
        self.arg_leaves = [s.var.name for s in leaves(fir.args)]
        wrt = [v for v, on in zip(self.arg_leaves, arg_mask) if on]
        wrt += [inp.name for inp, on in zip(fir.inputs, input_mask) if on]
        self.wrt = wrt
        self.active = activity(fir, wrt)
        self.callees = {}
        for stmt in walk(fir.body):
            if isinstance(stmt, Call):
                amask = tuple(a.name in self.active for a in stmt.args)
                imask = tuple(v in self.active for v in stmt.extra_args)
                self.callees[id(stmt)] = build_callee(stmt, amask, imask)

    def finish(self, fdefs, label) -> tuple:
        """Print and check, then load ``fdefs`` together: ``(namespace, texts)``."""
        checked = [checked_source(fdef) for fdef in fdefs]
        texts = [(fdef.name, text) for fdef, (text, _) in zip(fdefs, checked)]
        global_names = [names_read for _, names_read in checked]
        record("lowered", lambda: "\n\n".join(text for _, text in texts))
        namespace = {}
        for fdef, names_read in zip(fdefs, global_names):
            namespace.update(self.ns.resolve(fdef, names_read))
        for fdef in fdefs:
            namespace.pop(fdef.name, None)
        module = load("\n\n".join(text for _, text in texts), label, namespace)
        return module, texts


class PairNames:
    """What the reverse pass asks about calls: each call's compiled pair and the global name
    of its forward or backward.  It holds the build's callees and namespace, not the build
    itself: a build that its own parts point back to would be freed only by the cyclic
    collector, with all the code it generated."""

    def __init__(self, callees, ns) -> None:
        self.callees = callees
        self.ns = ns

    def compiled_of(self, stmt):
        return self.callees[id(stmt)]

    def global_name(self, compiled, kind):
        fn = compiled.fwd if kind == "fwd" else compiled.bwd
        return self.ns.name_for(fn, fn.__name__)

    def name_pair(self, compiled) -> None:
        """Name a callee's forward and backward together, in the order of the source, with
        the same suffix (``Dense_construct_fwd_1`` goes with ``Dense_construct_bwd_1``)."""
        fwd, bwd = compiled.fwd, compiled.bwd
        called = self.ns.name_for(fwd, fwd.__name__)
        suffix = called[len(fwd.__name__):] if called.startswith(fwd.__name__) else ""
        self.ns.name_for(bwd, bwd.__name__ + suffix)


def _reverse_callee(recompute, ready_hook=False, checkpoint=False):
    def build(stmt, arg_mask, input_mask):
        if stmt.bprop_cell is not None:
            primal = build_pair(stmt.callee, (False,) * len(arg_mask),
                                (False,) * len(input_mask))
            return CustomBprop(stmt.callee, stmt.bprop_cell, arg_mask, input_mask, primal)
        # Cell.recompute(): the backward runs the forward again (not one that draws random
        # values: its recomputed dropout masks would be others than the forward's)
        if stmt.recompute and not has_random(stmt.callee.body):
            return recompute_pair(stmt.callee, arg_mask, input_mask, recompute, build_pair)
        # (inside a recomputed Cell, its sub-Cells' and helpers' loops are checkpointed too)
        return build_pair(stmt.callee, arg_mask, input_mask, recompute, ready_hook,
                          checkpoint)
    return build


class ReverseBuilder(Builder):
    """A build in reverse mode (a pair or a top-level gradient): the callees' pairs named
    in source order and the reverse pass set up over them."""

    def __init__(self, fir, arg_mask, input_mask, recompute=False, ready_hook=False,
                 checkpoint=False) -> None:
        super().__init__(fir, arg_mask, input_mask,
                         _reverse_callee(recompute, ready_hook, checkpoint))
        self.pairs = PairNames(self.callees, self.ns)
        for stmt in walk(fir.body):
            if isinstance(stmt, Call):
                self.pairs.name_pair(self.callees[id(stmt)])
        # ready_hook: every rule's contribution to a differentiated input is handed to
        # grad_ready (a reducer starts an all-reduce when its bucket is complete)
        ready = frozenset(inp.name for inp, on in zip(fir.inputs, input_mask) if on) \
            if ready_hook else frozenset()
        self.rev = Reverse(fir, self.active, self.pairs, self.ns.const_namer, self.names,
                           recompute, ready, checkpoint)

    def forward_body(self):
        def callee_name(stmt):
            return self.pairs.global_name(self.callees[id(stmt)], "fwd")
        em = ForwardEmitter(self.ns.const_namer, callee_name, self.rev.loop_hooks)
        return em.block(self.fir.body)

    def primal_names(self) -> set:
        return set(self.fir.ir_vars) | set(self.arg_leaves) | \
            {inp.name for inp in self.fir.inputs} | set(self.rev.tapes)


@paused_gc
def build_pair(fir, arg_mask, input_mask, recompute=False, ready_hook=False,
               checkpoint=False) -> Compiled:
    """Forward ``(outputs..., residuals)`` and backward ``(residuals, d_outputs...) -> grads``.
    ``recompute``: loops recompute their states instead of taping them (differentiable again).
    ``ready_hook``: the backward hands each rule's contribution to a differentiated input
    to ``grad_ready`` (a pair of its own, for a reducer that overlaps its all-reduce).
    ``checkpoint``: for loops keep their state every sqrt(T) iterations (Cell.recompute())."""
    key = (tuple(arg_mask), tuple(input_mask), recompute)
    if ready_hook and not recompute:
        key += ("ready_hook",)
    else:
        ready_hook = False
    if checkpoint:
        key += ("checkpoint",)
    return built_once(fir, key, lambda: _make_pair(fir, arg_mask, input_mask, recompute,
                                                   ready_hook, checkpoint))


def _make_pair(fir, arg_mask, input_mask, recompute, ready_hook=False,
               checkpoint=False) -> Compiled:
    b = ReverseBuilder(fir, arg_mask, input_mask, recompute, ready_hook, checkpoint)
    rev = b.rev
    out_leaves = [s.var.name for s in leaves(fir.result)]
    dparams = []
    for leaf in out_leaves:
        if leaf in rev.live or leaf not in b.active:
            p = b.names.fresh("d_" + leaf.lstrip("_"))
            dparams.append(p)
            if leaf in b.active:
                rev.contribute(leaf, name(p))
        else:
            p = rev.adjoint(leaf)
            dparams.append(p)
            rev.live.add(leaf)
    rev.block(fir.body)
    grads = [rev.value_of(v) for v in b.wrt]
    bwd_body = rev.out
    fwd_body = b.forward_body()
    primal = b.primal_names()
    residuals = [n for n in free_loads(bwd_body + [gast.Return(value=gast.Tuple(
        elts=grads, ctx=gast.Load()))]) if n in primal]
    qual = short_name(fir.qualname)
    res_name = b.names.fresh("_res")
    fwd_name = b.names.fresh(qual + "_fwd")
    bwd_name = b.names.fresh(qual + "_bwd")
    outs = [codegen.name(n) for n in out_leaves]
    fwd_ret = gast.Return(value=gast.Tuple(
        elts=outs + [gast.Tuple(elts=[codegen.name(n) for n in residuals], ctx=gast.Load())],
        ctx=gast.Load()))
    fwd_params = b.arg_leaves + [inp.name for inp in fir.inputs]
    # a residual that some path does not assign (one arm of an if, a loop that may not run,
    # a tape made inside a branch) starts as None: the backward reads it only on that path
    maybe_unset = set(free_loads(fwd_body + [fwd_ret], frozenset(fwd_params)))
    pre = [assign([n], gast.Constant(value=None, kind=None))
           for n in residuals if n in maybe_unset]
    fwd_def = function_def(fwd_name, fwd_params, pre + fwd_body + [fwd_ret])
    unpack = []
    if residuals:
        target = gast.Tuple(elts=[codegen.name(n, True) for n in residuals], ctx=gast.Store())
        unpack = [gast.Assign(targets=[target], value=codegen.name(res_name), type_comment=None)]
    bwd_ret = gast.Return(value=gast.Tuple(elts=grads, ctx=gast.Load()))
    bwd_def = function_def(bwd_name, [res_name] + dparams, unpack + bwd_body + [bwd_ret])
    record("adjoint", lambda: to_source(fwd_def) + "\n\n" + to_source(bwd_def))
    if not recompute:  # final code only: higher-order derivatives read recompute=True code
        lower([fwd_def, bwd_def], b.names)
    module, texts = b.finish([fwd_def, bwd_def], fir.qualname + " pair")
    return Compiled(fir, arg_mask, input_mask, module[fwd_name], module[bwd_name], texts,
                    list(b.callees.values()))


def free_loads(stmts, bound=frozenset()) -> list:
    """Names ``stmts`` read before assigning them, in program order (a loop's target and
    what its body assigns before reading count as the loop's own; a name both arms of an
    ``if`` assign is assigned after it): what a backward function needs from its forward."""
    seen = []

    def loads(node, bound):
        for n in tree_walk(node):
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load) \
                    and n.id not in bound and n.id not in seen:
                seen.append(n.id)

    def block(body, bound):
        bound = set(bound)
        for st in body:
            if isinstance(st, gast.Assign):
                loads(st.value, bound)
                for t in st.targets:
                    bound.update(n.id for n in tree_walk(t) if isinstance(n, gast.Name))
            elif isinstance(st, gast.For):
                loads(st.iter, bound)
                inner = bound | {n.id for n in tree_walk(st.target) if isinstance(n, gast.Name)}
                block(st.body, inner)
            elif isinstance(st, gast.While):
                loads(st.test, bound)
                block(st.body, bound)
            elif isinstance(st, gast.If):  # assigned on both paths: assigned after it
                loads(st.test, bound)
                bound |= block(st.body, bound) & block(st.orelse, bound)
            else:
                loads(st, bound)
        return bound
    block(stmts, bound)
    return seen


def short_name(qualname: str) -> str:
    """'outer.<locals>.Net.construct' -> 'Net_construct' (a readable function name)."""
    parts = [p for p in qualname.split(".") if p != "<locals>"]
    parts = parts[-2:] if len(parts) > 1 and parts[-1] in ("construct", "bprop") else parts[-1:]
    text = "_".join(parts).replace("<", "").replace(">", "")
    return text or "fn"


# ---------------------------------------------------------------------------------------
# dumps
# ---------------------------------------------------------------------------------------

def _functions(compiled) -> list:
    return [fn for fn in (getattr(compiled, "fwd", None), getattr(compiled, "bwd", None),
                          getattr(compiled, "fn", None)) if fn is not None]


def _renamed(text: str, names: dict) -> str:
    """``text`` (printed generated functions) with each name of ``names`` read or defined
    in its code lines replaced by ``names[name]`` (comments, which hold user source lines,
    are left as they are)."""
    if not names:
        return text
    pattern = re.compile(r"(?<![\w.])(%s)(?!\w)" % "|".join(
        re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return "\n".join(line if line.lstrip().startswith("#")
                     else pattern.sub(lambda m: names[m.group(1)], line)
                     for line in text.split("\n"))


def full_source(top) -> str:
    """``top``'s code and its callees', each generated function printed once under a name
    of its own in the whole dump, the name its first caller reads it by where that is free
    (two Dense layers' pairs are both generated as ``Dense_construct_fwd``; their caller
    knows them as ``Dense_construct_fwd`` and ``Dense_construct_fwd_1``), and every call of
    it renamed to match: a helper compiled for other constants in two callers (``g(x, 1.0)``
    here, ``g(x, 2.0)`` in a callee; a recursion per depth) is two functions, not one name
    defined twice, so the dump reads, and ``--standalone`` runs, as the code that ran."""
    for c in getattr(top, "callees", ()):  # reverse code built apart (compiled/deferred.py):
        if isinstance(c, DeferredReverse):  # built now, bound under the name its caller
            c.force()  # reads it by (so it is printed under that name)
    callers = [top]  # every compiled object, callers before their callees
    printed = []  # the callees in the order they are printed (each after its own callees)
    seen = set()

    def rec(compiled):
        for c in compiled.callees:
            if id(c) not in seen:
                seen.add(id(c))
                callers.append(c)
                rec(c)
                printed.append(c)
    rec(top)
    generated = {id(fn): fn for c in callers for fn in _functions(c)}
    dump_name: dict = {}  # id(function) -> its name in the dump
    taken: set = set()

    def claim(fn, wanted):
        name, k = wanted, 1
        while name in taken:
            name, k = "%s_%d" % (wanted, k), k + 1
        dump_name[id(fn)] = name
        taken.add(name)
    for fn in _functions(top):
        claim(fn, fn.__name__)
    for c in callers:  # the name the first caller reads a function by
        for fn in _functions(c)[:1]:  # (a pair's functions share one namespace)
            for key, value in fn.__globals__.items():
                if id(value) in generated and id(value) not in dump_name:
                    claim(value, key)
    for fn in generated.values():
        if id(fn) not in dump_name:
            claim(fn, fn.__name__)

    def text_of(compiled):
        fns = _functions(compiled)
        by_name = {fn.__name__: fn for fn in fns}
        names = {}
        for key, value in (fns[0].__globals__.items() if fns else ()):
            if id(value) in dump_name and dump_name[id(value)] != key:
                names[key] = dump_name[id(value)]
        out = []
        for fname, text in compiled.texts:
            own = dict(names)
            fn = by_name.get(fname)
            if fn is not None and dump_name[id(fn)] != fname:
                own[fname] = dump_name[id(fn)]
            out.append(_renamed(text, own))
        return "\n\n".join(out)
    return "\n\n".join([text_of(top) if hasattr(top, "texts") else top.source]
                       + [text_of(c) for c in printed])
