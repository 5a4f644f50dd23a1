"""The top-level gradient function: forward, seed, backward, return what was asked for.

Takes: a :class:`~autograd_st.compiler.ir.FuncIR`, a :class:`GradientPlan` (plain data made
by the API's boundary: which argument leaves and Parameters are differentiated, how the
output is seeded, where ``sens`` comes in, and the :class:`Ref` layout of the result), and
the objects the FuncIR's inputs stand for on this call's target.
Gives: a :class:`GradientArtifact`: the loaded function ``fn(args..., [sens], inputs...)``,
its source, the objects whose arrays follow the positional arguments, and the structure of
what it returns (tuples, lists and dicts).

Every gradient it returns for an input (an argument leaf or a Parameter) has that input's
dtype: a float32 input times a float64 constant gets a float32 gradient (MindSpore's rule).
An integer input's gradient is always cast; any other's is cast only when its dtype differs,
checked before the return in final code (``if g.dtype is not x.dtype: g = cast_like(g, x)``,
a few tens of ns), and by ``cast_like`` (a primitive, differentiable) in code built to be
differentiated again.
"""
from __future__ import annotations

from dataclasses import dataclass

import gast
import numpy as np

from ..cell import is_recomputed
from ..errors import GradientAPIError
from ..prims import Sym
from ..runtime import GradList
from . import codegen, lower_fwdacc
from .build import ReverseBuilder, short_name
from .cache import paused_gc
from .codegen import assign, expr_of, function_def, literal, name, to_source
from .deferred import DeferredReverse
from .inplace import inplace
from .ir import Const, Input, Var, leaves, runtime_tuples
from .lower import lower
from .lower_fwdacc import forward_accumulated, operations
from .plan import GradientPlan, Ref
from .stages import capturing, record
from .trees import stored_names

__all__ = ["GradientPlan", "Ref", "GradientArtifact", "build_gradient"]


@dataclass(frozen=True, eq=False)
class GradientArtifact:
    """The top-level generated gradient function and what its callers need to call it."""

    fn: object
    source: str
    inputs: tuple  # objects whose arrays follow the positional arguments (and the sens)
    input_names: tuple  # their parameter names in ``fn``
    out_structure: object  # what it returns: a tuple, list or dict per container, None
    # per leaf (see ``_structure``)
    fir: object
    callees: tuple


@paused_gc
def build_gradient(fir, plan: GradientPlan, objects=None, fwdacc: bool = True,
                   suffix: str = "", in_place: bool = True) -> GradientArtifact:
    """The gradient function ``plan`` describes, for ``fir``; ``objects``: what its inputs
    stand for on this call's target (default: what they stood for when it was normalized).
    ``fwdacc``: a forward-accumulated branch may come first (:mod:`.lower_fwdacc`); where it
    certainly runs fewer operations than the reverse code, the reverse code is built at its
    first call (:mod:`.deferred`).  ``suffix``: appended to the function's name;
    ``in_place``: False leaves out the in-place branch (:mod:`.inplace`), where a branch
    that runs wherever it would comes before this code."""
    if objects is None:
        objects = [inp.obj for inp in fir.inputs]
    inputs = [Input(inp.name, obj, inp.path) for inp, obj in zip(fir.inputs, objects)]
    by_id = {id(inp.obj): inp for inp in inputs}
    weights = plan.weights
    wrt = [w for w in weights if not any(w is f for f in plan.frozen)]
    input_mask = tuple(any(inp.obj is w for w in wrt) for inp in inputs)
    n_leaves = len(leaves(fir.args))
    arg_mask = tuple(i in plan.wrt_args for i in range(n_leaves))
    # Cell.recompute() on the differentiated Cell: its loops are checkpointed
    b = ReverseBuilder(fir, arg_mask, input_mask, plan.recompute,
                       plan.ready_hook and not plan.recompute,
                       is_recomputed(getattr(fir.src, "self_obj", None)))
    extra_weights = []
    for w in weights:
        if id(w) not in by_id:
            inp = Input(b.names.fresh("unused_" + w.name.replace(".", "_")), w, None)
            by_id[id(w)] = inp
            extra_weights.append(inp)
    rev = b.rev
    out_leaves = leaves(fir.result)
    params = list(b.arg_leaves)
    sens_name = None
    if plan.sens:  # the output's gradient comes right after the positional arguments
        sens_name = b.names.fresh("sens")
        params.append(sens_name)
    params += [inp.name for inp in inputs] + [inp.name for inp in extra_weights]
    leaf_index = _leaf_positions(fir.result)
    seeded = plan.seeded or (True,) * len(out_leaves)
    rt_tuples = runtime_tuples(fir) if plan.sens else ()
    # an elementwise chain: its gradient carried forward instead (lower_fwdacc), when the
    # call's arrays allow it; the reverse code runs otherwise
    fast, estimate = _forward_accumulated(fir, plan, b, params, out_leaves, seeded, sens_name,
                                          leaf_index, rt_tuples) if fwdacc else (None, 0)
    if fast is not None and not capturing() and (lower_fwdacc.ENABLED == "always"
                                                  or operations(fast.body) < estimate):
        # the branch runs fewer operations than the reverse code would, by the estimate
        # (exact to one or two): the reverse code is built, lowered and loaded at its
        # first call only (most programs never make it); where the two are closer, both
        # are built and counted, below
        return _with_deferred_reverse(fir, plan, objects, b, params, fast, inputs,
                                      _structure(plan.layout, _atoms(fir.result)))
    for i, leaf in enumerate(out_leaves):
        if not seeded[i]:
            continue
        if not plan.sens:  # ones: kept symbolic while the rules allow (see reverse)
            rev.seed_ones(leaf.var.name)
            continue
        # with has_aux the sens is the first output's only
        position = leaf_index[i][1:] if plan.sens_of_first else leaf_index[i]
        if leaf.var.name in b.active:
            rev.out.append(codegen.comment("seed: the gradient of the output"))
            part = _sens_part(sens_name, position, b.ns.const_namer)
            where = "sens%s of %s" % ("".join("[%r]" % (k,) for k in position),
                                      fir.qualname)
            if leaf.var.name in rt_tuples:  # a tuple of parts: one gradient per part
                part = gast.Call(func=name(b.ns.const_namer(sens_parts, "sens_parts")),
                                 args=[part, name(leaf.var.name), codegen.const(where)],
                                 keywords=[])
            elif not plan.recompute:  # (final code: a sens of another shape is refused)
                part = gast.Call(func=name(b.ns.const_namer(sens_shape, "sens_shape")),
                                 args=[part, name(leaf.var.name), codegen.const(where)],
                                 keywords=[])
            rev.contribute(leaf.var.name, part)
    rev.last_line = None
    rev.block(fir.body)
    arg_grads = []
    casts = []  # final code: each gradient given its input's dtype where it differs
    n_leaves = len(b.arg_leaves)
    int_args = tuple(plan.int_args) + (False,) * (n_leaves - len(plan.int_args))
    typed = tuple(plan.typed_args) + (False,) * (n_leaves - len(plan.typed_args))
    for i in plan.wrt_args:
        var = b.arg_leaves[i]
        g = rev.value_of(var)
        if int_args[i]:
            g = _cast_like(g, var)
        elif typed[i]:
            g = _in_dtype_of(g, var, plan.recompute, casts)
        arg_grads.append(g)
    weight_grads = []
    for w in weights:
        inp = by_id[id(w)]
        weight_grads.append(_in_dtype_of(rev.value_of(inp.name), inp.name, plan.recompute,
                                         casts)
                            if inp.name in b.active
                            else gast.Call(func=name("zeros_like"), args=[name(inp.name)],
                                           keywords=[]))
    # the backward may rebind a forward name (a loop's tape unpacks into the names its
    # iterations had): an output it rebinds is kept before the backward starts
    rebound = stored_names(rev.out)
    keep = []
    value_atoms = _atoms(fir.result)
    for leaf in out_leaves:
        var = leaf.var.name
        if var in rebound and var not in [k[1] for k in keep]:
            keep.append((b.names.fresh(var + "_value"), var))
    if keep:
        value_atoms = _rename_atoms(value_atoms, {old: new for new, old in keep})
    value_expr = _structure_expr(value_atoms, b.ns.const_namer)
    ret = gast.Return(value=_layout_expr(plan.layout, value_expr, arg_grads, weight_grads,
                                         b.ns.const_namer))
    fwd_body = b.forward_body()  # after the reverse pass: loops need their tapes
    fname = b.names.fresh(short_name(fir.qualname) + "_grad" + suffix)
    if casts:
        casts.insert(0, codegen.comment("each gradient in its input's dtype"))
    body = fwd_body + [assign([new], name(old)) for new, old in keep] + rev.out + casts + [ret]
    fdef = function_def(fname, params, body)
    record("adjoint", lambda: to_source(fdef))
    if not plan.recompute:  # final code only: higher-order derivatives read recompute code
        # a forward branch checking x alone runs wherever the in-place branch would but for
        # a float16 x (the plain code runs there, the same bits): that branch is left out
        alone = fast is not None and len(fast.test.args) == 1
        if alone or not in_place:
            lower([fdef], b.names, in_place=False)
        else:
            lower([fdef], b.names)
        if fast is not None and (lower_fwdacc.ENABLED == "always"
                                 or operations(fast.body) <= operations(fdef.body)):
            fdef.body.insert(0, fast)
        elif alone:
            inplace(fdef, b.names)
    module, texts = b.finish([fdef], fir.qualname + " grad")
    every = inputs + extra_weights
    return GradientArtifact(module[fname], texts[0][1], tuple(inp.obj for inp in every),
                            tuple(inp.name for inp in every),
                            _structure(plan.layout, value_atoms), fir,
                            tuple(b.callees.values()))


def _with_deferred_reverse(fir, plan, objects, b, params, fast, inputs,
                           structure) -> GradientArtifact:
    """``def f_grad(...): if fwdacc_ok(...): <fast>; return f_grad_reverse(...)``, the
    reverse code a :class:`DeferredReverse` built at its first call (the same build without
    the branch)."""
    fname = b.names.fresh(short_name(fir.qualname) + "_grad")
    objects = list(objects)
    # (a branch checking x alone runs wherever the in-place branch would but for a float16
    # x: the reverse code then has none, as when it is built with the branch)
    in_place = len(fast.test.args) != 1
    deferred = DeferredReverse(lambda: build_gradient(fir, plan, objects, fwdacc=False,
                                                      suffix="_reverse", in_place=in_place))
    called = b.ns.const_namer(deferred, fname + "_reverse")
    fallback = gast.Return(value=gast.Call(func=name(called), args=[name(p) for p in params],
                                           keywords=[]))
    fdef = function_def(fname, params, [fast, codegen.comment(
        "elsewhere the reverse code (built when first called)"), fallback])
    module, texts = b.finish([fdef], fir.qualname + " grad")
    deferred.bind(module, called)
    return GradientArtifact(module[fname], texts[0][1], tuple(inp.obj for inp in inputs),
                            tuple(inp.name for inp in inputs), structure, fir, (deferred,))


def _forward_accumulated(fir, plan, b, params, out_leaves, seeded, sens_name, leaf_index,
                         rt_tuples):
    """``(branch, estimate)``: ``if fwdacc_ok(x, ...): <the gradient accumulated forward>;
    return ...`` for final code whose gradient is with respect to one argument of an
    elementwise chain (see :mod:`autograd_st.compiler.lower_fwdacc`) and about how many
    operations the reverse code would run; else ``(None, 0)``."""
    if plan.recompute or plan.ready_hook or plan.weights or len(plan.wrt_args) != 1 \
            or b.callees:
        return None, 0
    i = plan.wrt_args[0]
    if i < len(plan.int_args) and plan.int_args[i]:
        return None, 0
    hit = [k for k, on in enumerate(seeded) if on]
    if len(hit) != 1 or out_leaves[hit[0]].var.name in rt_tuples:
        return None, 0
    k = hit[0]
    out_var = out_leaves[k].var.name
    seed = None
    if plan.sens:
        position = leaf_index[k][1:] if plan.sens_of_first else leaf_index[k]
        where = "sens%s of %s" % ("".join("[%r]" % (p,) for p in position), fir.qualname)
        seed = gast.Call(func=name(b.ns.const_namer(sens_shape, "sens_shape")),
                         args=[_sens_part(sens_name, position, b.ns.const_namer),
                               name(out_var), codegen.const(where)], keywords=[])
    x = b.arg_leaves[i]
    found = forward_accumulated(fir, b.active, x, params, out_var, seed, b.ns.const_namer,
                                b.names, _returns_value(plan.layout))
    if found is None:
        return None, 0
    check, stmts, grad, estimate = found
    casts = []
    typed = i < len(plan.typed_args) and plan.typed_args[i]
    g = _in_dtype_of(name(grad), x, False, casts) if typed else name(grad)
    if casts:
        casts.insert(0, codegen.comment("the gradient in its input's dtype"))
    value = _structure_expr(_atoms(fir.result), b.ns.const_namer)
    ret = gast.Return(value=_layout_expr(plan.layout, value, [g], [], b.ns.const_namer))
    return gast.If(test=check, body=stmts + casts + [ret], orelse=[]), estimate


def _returns_value(layout) -> bool:
    """Whether ``layout`` returns the function's value (or its aux)."""
    if type(layout) in (tuple, list):
        return any(_returns_value(e) for e in layout)
    if type(layout) is dict:
        return any(_returns_value(e) for e in layout.values())
    return layout is not None and layout.kind in ("value", "aux")


def sens_shape(sens, out, where: str):
    """``sens`` when it has the shape of the output ``out`` it is the gradient of (called by
    final generated code where the sens comes in; ``where``: ``"sens[1] of f"``); a
    GradientAPIError otherwise (numpy would broadcast it into a wrong gradient).  For a
    scalar output MindSpore takes a sens of any shape and uses its sum (measured in 2.10;
    the BERT zoo passes ``F.tuple_to_array((sens,))``, shape (1,), for its scalar loss)."""
    if np.ndim(sens) and not np.shape(out):
        return np.sum(sens)
    try:
        if sens.shape == out.shape:
            return sens
    except AttributeError:
        if np.shape(sens) == np.shape(out):
            return sens
    raise GradientAPIError(
        "the output's gradient (%s) has shape %s but the output it is the gradient of has "
        "shape %s; pass a sens shaped like the output" % (where, np.shape(sens), np.shape(out)))


def sens_parts(sens, out, where: str):
    """``sens``, one gradient per part of the run-time tuple ``out`` (``return ops.split(x,
    3)``), as the GradList its rules take; a GradientAPIError when the count or a part's
    shape differs."""
    if len(sens) != len(out):
        raise GradientAPIError(
            "the output's gradient (%s) has %d parts but the output it is the gradient of has "
            "%d (how many depends on the input's shape); pass one gradient per part"
            % (where, len(sens), len(out)))
    head, _, tail = where.partition(" of ")
    return GradList(sens_shape(s, o, "%s[%d] of %s" % (head, i, tail))
                    for i, (s, o) in enumerate(zip(sens, out)))


def _cast_like(g, var: str):
    """``cast_like(g, var)``: ``g`` in the dtype of ``var``."""
    return gast.Call(func=name("cast_like"), args=[g, name(var)], keywords=[])


def _in_dtype_of(g, var: str, recompute: bool, casts: list):
    """``g`` (an adjoint: a name, or a ``zeros_like(var)`` that has ``var``'s dtype already)
    given ``var``'s dtype: ``cast_like`` in code differentiated again (a primitive); in final
    code a check appended to ``casts`` (``cast_like`` runs only when the dtypes differ)."""
    if not isinstance(g, gast.Name):
        return g
    if recompute:
        return _cast_like(g, var)
    differs = gast.Compare(
        left=gast.Attribute(value=name(g.id), attr="dtype", ctx=gast.Load()),
        ops=[gast.IsNot()],
        comparators=[gast.Attribute(value=name(var), attr="dtype", ctx=gast.Load())])
    casts.append(gast.If(test=differs, body=[assign([g.id], _cast_like(name(g.id), var))],
                         orelse=[]))
    return g


def _container(kind, elts):
    """A gast tuple or list display of ``elts``."""
    if kind is list:
        return gast.List(elts=elts, ctx=gast.Load())
    return gast.Tuple(elts=elts, ctx=gast.Load())


def _dict_display(items, const_namer):
    """``{key: value, ...}`` for ``(key, gast value)`` pairs (keys are constants)."""
    return gast.Dict(keys=[literal(k, const_namer) for k, _ in items],
                     values=[v for _, v in items])


def _layout_expr(layout, value_expr, arg_grads, weight_grads, const_namer):
    """The returned expression a layout describes."""
    if type(layout) in (tuple, list):
        return _container(type(layout), [
            _layout_expr(e, value_expr, arg_grads, weight_grads, const_namer) for e in layout])
    if type(layout) is dict:
        return _dict_display([(k, _layout_expr(e, value_expr, arg_grads, weight_grads,
                                               const_namer)) for k, e in layout.items()],
                             const_namer)
    if layout is None:
        return codegen.const(None)
    if layout.kind == "value":
        return value_expr
    if layout.kind == "aux":
        elts = value_expr.elts[1:] if isinstance(value_expr, gast.Tuple) else []
        return gast.Tuple(elts=list(elts), ctx=gast.Load())
    if layout.kind == "arg":
        return arg_grads[layout.index]
    return weight_grads[layout.index]


def _structure_expr(atoms, const_namer):
    """The expression for the function's value: its tuples, lists and dicts as displays."""
    if type(atoms) in (tuple, list):
        return _container(type(atoms), [_structure_expr(a, const_namer) for a in atoms])
    if type(atoms) is dict:
        return _dict_display([(k, _structure_expr(a, const_namer)) for k, a in atoms.items()],
                             const_namer)
    return expr_of(atoms, const_namer)


def _structure(layout, value_atoms):
    """The structure of what a layout returns: a tuple, list or dict per container (a dict
    with the keys it is returned with), None per leaf (what the API's per-call path wraps in
    Tensors)."""
    if type(layout) in (tuple, list):
        return type(layout)(_structure(e, value_atoms) for e in layout)
    if type(layout) is dict:
        return {k: _structure(e, value_atoms) for k, e in layout.items()}
    if layout is None or layout.kind in ("arg", "weight"):
        return None
    if layout.kind == "aux":
        rest = value_atoms[1:] if type(value_atoms) is tuple else ()
        return tuple(_value_structure(a) for a in rest)
    return _value_structure(value_atoms)


def _value_structure(atoms):
    if type(atoms) in (tuple, list):
        return type(atoms)(_value_structure(a) for a in atoms)
    if type(atoms) is dict:
        return {k: _value_structure(a) for k, a in atoms.items()}
    return None


def _atoms(structure):
    if isinstance(structure, tuple):
        return tuple(_atoms(s) for s in structure)
    if type(structure) in (list, dict) and leaves(structure):
        return type(structure)(_atoms(s) for s in structure) if type(structure) is list \
            else {k: _atoms(s) for k, s in structure.items()}
    if isinstance(structure, Sym):
        return structure.var
    return Const(structure)


def _rename_atoms(atoms, renames):
    if isinstance(atoms, Var):
        return Var(renames[atoms.name]) if atoms.name in renames else atoms
    if isinstance(atoms, tuple):
        return tuple(_rename_atoms(a, renames) for a in atoms)
    if type(atoms) is list:
        return [_rename_atoms(a, renames) for a in atoms]
    if type(atoms) is dict:
        return {k: _rename_atoms(a, renames) for k, a in atoms.items()}
    return atoms


def _leaf_positions(structure, prefix=()):
    """Per Sym leaf of ``structure``, its path of indices and keys (where its sens is)."""
    if isinstance(structure, (tuple, list)):
        out = []
        for i, s in enumerate(structure):
            out.extend(_leaf_positions(s, prefix + (i,)))
        return out
    if type(structure) is dict:
        out = []
        for k, s in structure.items():
            out.extend(_leaf_positions(s, prefix + (k,)))
        return out
    return [prefix] if isinstance(structure, Sym) else []


def _sens_part(sens_name, position, const_namer):
    expr = name(sens_name)
    for i in position:
        expr = gast.Subscript(value=expr, slice=literal(i, const_namer), ctx=gast.Load())
    return expr
