"""Custom backward passes: a Cell's ``bprop(self, *inputs, out, dout)`` replaces its backward,
and so does a user primitive's bprop (``get_bprop()`` or ``bprop_getters``), whose forward is
its compiled ``__call__``; a user primitive without one has no gradient.

Takes: a Cell whose class defines ``bprop``, the FuncIR of its ``construct`` and, for a
call, which of its inputs are differentiated.
Gives: ``check_bprop`` (the bprop's arity, checked when the gradient is built, at the
bprop's own file:line), :class:`CustomBprop` (a forward/backward pair whose forward is the
compiled construct and whose backward calls ``bprop`` on Tensors, its results checked and
fitted to the inputs by :func:`~autograd_st.user_grads.check_user_grads`), and ``wrap_in_call`` (a FuncIR whose body is one call to such a
Cell: what differentiating the Cell itself compiles).
"""
from __future__ import annotations

import inspect
import types

import numpy as np

from ..cell import Cell
from ..errors import CompileError, MissingBpropError, UnsupportedSyntaxError
from ..prims import Sym
from ..tensor import unwrap, wrap
from ..user_grads import GradSource, check_user_grads
from .ir import RUNTIME, Call, FuncIR, Input, leaves, rebuild
from .markers import custom_bprop, is_user_primitive
from .names import NameAllocator
from .normalize import sym

__all__ = ["has_bprop", "bprop_function", "check_bprop", "CustomBprop", "wrap_in_call",
           "refuse_missing_bprop", "refuse_bprop_derivative", "refuse_unimplemented"]


def has_bprop(cell) -> bool:
    """Whether ``cell``'s backward is not derived from its forward: a Cell whose class
    defines its own ``bprop``, or a primitive of the user's own (its bprop, or none)."""
    return (isinstance(cell, Cell) and callable(getattr(type(cell), "bprop", None))) \
        or is_user_primitive(cell)


def bprop_function(cell):
    """The function ``(*inputs, out, dout) -> gradients`` giving ``cell``'s backward (a
    Cell's bound ``bprop``, a user primitive's bprop), or None (a primitive without one)."""
    if is_user_primitive(cell):
        return custom_bprop(cell)
    return types.MethodType(type(cell).bprop, cell)


def check_bprop(cell, n_inputs) -> None:
    """A bprop must take (self, *inputs, out, dout), or ``*args`` standing for them (the
    number of gradients it returns is checked when it runs, by
    :func:`~autograd_st.user_grads.check_user_grads`)."""
    bprop = bprop_function(cell)
    if bprop is None:
        return
    code = bprop.__code__
    params = list(inspect.signature(bprop).parameters.values())  # (bound: no self)
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return  # bprop(self, *args): args is (*inputs, out, dout)
    where = (code.co_filename, code.co_firstlineno, 0)
    forward = "__call__" if is_user_primitive(cell) else "construct"
    if len(params) != n_inputs + 2:
        raise CompileError(
            "%s.bprop takes %d arguments after self, but %s takes %d inputs: it must "
            "take (self, %s, out, dout)" % (type(cell).__name__, len(params), forward, n_inputs,
                                            ", ".join("x%d" % i for i in range(n_inputs))
                                            or "<no inputs>"), *where,
            hint="give bprop one parameter per construct input, then out and dout")


def _input_names(cell) -> list:
    try:
        forward = type(cell).__call__ if is_user_primitive(cell) else type(cell).construct
        params = list(inspect.signature(forward).parameters)[1:]
    except (TypeError, ValueError):  # pragma: no cover - construct without a signature
        return []
    return params


def _flatten_like(arg, grad) -> list:
    """The gradient ``grad`` of a structured argument ``arg`` (tuples, lists, dicts of
    Syms and constants), one value per Sym leaf (None where ``grad`` has none)."""
    if isinstance(arg, Sym):
        return [grad]
    if isinstance(arg, (tuple, list)):
        seq = grad if isinstance(grad, (tuple, list)) else ()
        return [v for k, a in enumerate(arg)
                for v in _flatten_like(a, seq[k] if k < len(seq) else None)]
    if type(arg) is dict:
        d = grad if isinstance(grad, dict) else {}
        return [v for k, a in arg.items() for v in _flatten_like(a, d.get(k))]
    return []


class CustomBprop:
    """A call to a Cell whose ``bprop`` gives its backward: the forward is ``primal`` (the
    compiled construct, nothing differentiated); the backward calls ``bprop`` on Tensors.
    Parameters inside get no gradient through it (as in MindSpore)."""

    def __init__(self, fir, cell, arg_mask, input_mask, primal) -> None:
        self.fir = fir
        self.arg_mask = tuple(arg_mask)
        self.input_mask = (False,) * len(input_mask)
        self.wrt_any = any(arg_mask)
        self.callees = [primal]
        self.source = primal.source
        self.texts = primal.texts
        n_out = len(leaves(fir.result))
        structure = fir.result
        mask = self.arg_mask
        name_ = type(cell).__name__
        bprop = bprop_function(cell)
        #: a user primitive with no bprop: the reverse pass refuses a gradient through it
        self.missing = None if bprop is not None else name_
        # the inputs as the call gave them: runtime leaves (Syms) and constants, which the
        # bprop gets too (a constant's gradient is dropped)
        arg_structure = list(fir.args)
        structured = [not isinstance(a, Sym) and bool(leaves(a)) for a in arg_structure]
        source = GradSource("method 'bprop' of %s '%s'" % (
            "primitive" if is_user_primitive(cell) else "net", name_), bprop,
            _input_names(cell))

        if is_user_primitive(cell):  # its Python __call__ runs as it is, on Tensors (as in
            # MindSpore, whose kernel is a black box to its bprop: asnumpy() and numpy work)
            def fwd(*arrays):
                args = arrays[:len(mask)]
                res = cell(*wrap(rebuild(arg_structure, list(args))))
                outs = [np.asarray(unwrap(v)) for v in _flat(res)]
                if len(outs) != n_out:
                    raise TypeError("%s.__call__ returned %d values, %d when it was compiled"
                                    % (name_, len(outs), n_out))
                return tuple(outs) + ((args, outs),)
        else:
            def fwd(*arrays):
                res = primal.fwd(*arrays)
                outs = res[:n_out]
                return tuple(outs) + ((arrays[:len(mask)], outs),)
        fwd.__name__ = name_ + "_bprop_fwd"

        def bwd(res, *douts):
            arrays, outs = res
            out = rebuild(structure, outs)
            dout = rebuild(structure, douts)
            inputs = rebuild(arg_structure, arrays)
            grads = bprop(*wrap(tuple(inputs)), wrap(out), wrap(dout))
            checked = check_user_grads(
                grads, [a if isinstance(a, np.ndarray) else None for a in inputs], source)
            if not any(structured):  # every argument a Tensor or a constant
                leaf_grads = [_array(g) for g, a in zip(checked, arg_structure)
                              if isinstance(a, Sym)]
            else:
                raw = grads if isinstance(grads, (tuple, list)) else (grads,)
                leaf_grads = []
                for k, a in enumerate(arg_structure):
                    if structured[k]:
                        leaf_grads.extend(np.asarray(unwrap(g)) if g is not None else g
                                          for g in _flatten_like(a, unwrap_tree(raw[k])))
                    elif isinstance(a, Sym):
                        leaf_grads.append(_array(checked[k]))
            return tuple(_zero_if_none(g, x) for g, x, on in zip(leaf_grads, arrays, mask)
                         if on)
        bwd.__name__ = name_ + "_bprop_bwd"
        self.fwd, self.bwd = fwd, bwd


def _flat(value) -> list:
    """The leaves of what a user primitive's ``__call__`` returned (tuples and lists
    flattened, in order)."""
    if isinstance(value, (tuple, list)):
        return [leaf for v in value for leaf in _flat(v)]
    return [value]


def unwrap_tree(value):
    """Tensors to numpy arrays inside tuples, lists and dicts."""
    if isinstance(value, (tuple, list)):
        return type(value)(unwrap_tree(v) for v in value)
    if type(value) is dict:
        return {k: unwrap_tree(v) for k, v in value.items()}
    return unwrap(value)


def _array(g):
    return None if g is None else np.asarray(g)


def _zero_if_none(g, x):
    if g is not None:
        return g
    return np.zeros_like(x) if isinstance(x, np.ndarray) else np.zeros(())


def wrap_in_call(fir, cell, argspec) -> FuncIR:
    """A FuncIR whose body is one call to ``fir`` (used when the differentiated Cell itself
    has a bprop: its gradient is that bprop's)."""
    names = NameAllocator(fir.names.taken)
    args = []
    for i, sp in enumerate(argspec):
        args.append(sym(names.fresh("x%d" % i)) if sp is RUNTIME else sp)
    runtime = [a for a in args if isinstance(a, Sym)]
    inputs = [Input(names.fresh(inp.name), inp.obj, inp.path) for inp in fir.inputs]
    targets = [names.fresh("out") for _ in leaves(fir.result)]
    res = names.fresh("_res")
    loc = (fir.src.filename, fir.src.node.lineno, fir.src.node.col_offset)
    stmt = Call(targets, fir, [a.var for a in runtime], res, loc,
                [inp.name for inp in inputs], cell)
    check_bprop(cell, len(argspec))
    result = rebuild(fir.result, [sym(t) for t in targets])
    ir_vars = set(targets) | {res} | {a.var.name for a in runtime} \
        | {inp.name for inp in inputs}
    return FuncIR(fir.qualname, fir.src, args, list(fir.arg_names), inputs, [stmt], result,
                  names, {}, list(fir.guards), True, ir_vars)


def refuse_missing_bprop(compiled, stmt) -> None:
    """Raise MissingBpropError at ``stmt`` (a call some gradient flows back through) when
    ``compiled`` is a user primitive's pair without a bprop."""
    missing = getattr(compiled, "missing", None)
    if missing is None:
        return
    loc = stmt.loc or (None, None, 0)
    raise MissingBpropError(
        "%s is a primitive of your own with no bprop, and a value being differentiated "
        "flows through its output" % missing, loc[0], loc[1], loc[2],
        hint="define get_bprop(self) returning bprop(*inputs, out, dout) -> a tuple of one "
             "gradient per input (or register one with @bprop_getters.register(%s)); or "
             "cut its outputs with ops.stop_gradient(...)" % missing)


def refuse_bprop_derivative(compiled, stmt) -> None:
    """Raise at ``stmt`` (a call some gradient flows back through, in code built to be
    differentiated again) when ``compiled`` is a custom bprop: its backward is the user's
    bprop run on Tensors, which a derivative of the gradient would have to differentiate."""
    if not isinstance(compiled, CustomBprop) or compiled.missing is not None:
        return
    loc = stmt.loc or (None, None, 0)
    raise UnsupportedSyntaxError(
        "a derivative of a gradient through %s, whose backward is its own bprop, is not "
        "supported (a second derivative, or a gradient taken inside differentiated code)"
        % stmt.callee.qualname.split(".")[0], loc[0], loc[1], loc[2],
        hint="take one derivative (ops.grad) of code that calls it; or, for a higher "
             "derivative, leave bprop out so that construct is differentiated")


def refuse_unimplemented(stmt) -> None:
    """Raise at ``stmt`` (a primitive some gradient or tangent flows through) when the
    primitive's derivative is not implemented (``primitive(refused=...)``): the singular
    vectors of ``ops.svd``, the gradient of the CTC loss (a second derivative of it) ...
    Never a silent zero."""
    reason = stmt.prim.refused
    if reason is None:
        return
    loc = stmt.loc or (None, None, 0)
    raise UnsupportedSyntaxError(
        "the derivative of %s is not implemented (%s)" % (stmt.prim.name, reason),
        loc[0], loc[1], loc[2],
        hint="keep it out of what is differentiated (ops.stop_gradient on its inputs or its "
             "result), or take one derivative less")
