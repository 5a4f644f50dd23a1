"""Custom backward passes: a Cell's ``bprop(self, *inputs, out, dout)`` replaces its backward,
and so does a user primitive's bprop (``get_bprop()`` or ``bprop_getters``), whose forward is
its compiled ``__call__``; a user primitive without one has no gradient.

Takes: a Cell whose class defines ``bprop``, the FuncIR of its ``construct`` and, for a
call, which of its inputs are differentiated.
Gives: ``check_bprop`` (the bprop's arity and the number of gradients it returns, checked
when the gradient is built, at the bprop's own file:line), :class:`CustomBprop` (a
forward/backward pair whose forward is the compiled construct and whose backward calls
``bprop`` on Tensors), and ``wrap_in_call`` (a FuncIR whose body is one call to such a
Cell: what differentiating the Cell itself compiles).
"""
from __future__ import annotations

import inspect
import types

import gast
import numpy as np

from ..cell import Cell
from ..errors import CompileError, MissingBpropError
from ..prims import Sym
from ..tensor import unwrap, wrap
from .ir import RUNTIME, Call, FuncIR, Input, leaves, rebuild
from .markers import custom_bprop, is_user_primitive
from .names import NameAllocator
from .normalize import sym
from .parse import parse_function
from .trees import walk

__all__ = ["has_bprop", "bprop_function", "check_bprop", "CustomBprop", "wrap_in_call",
           "refuse_missing_bprop"]


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
    """A bprop must take (self, *inputs, out, dout) and return one gradient per input."""
    bprop = bprop_function(cell)
    if bprop is None:
        return
    code = bprop.__code__
    params = list(inspect.signature(bprop).parameters)
    where = (code.co_filename, code.co_firstlineno, 0)
    forward = "__call__" if is_user_primitive(cell) else "construct"
    if len(params) != n_inputs + 2:
        raise CompileError(
            "%s.bprop takes %d arguments after self, but %s takes %d inputs: it must "
            "take (self, %s, out, dout)" % (type(cell).__name__, len(params), forward, n_inputs,
                                            ", ".join("x%d" % i for i in range(n_inputs))
                                            or "<no inputs>"), *where,
            hint="give bprop one parameter per construct input, then out and dout")
    try:
        src = parse_function(bprop)
    except Exception:  # noqa: BLE001 - no source: the count is checked at run time instead
        return
    for ret in (n for n in walk(src.node) if isinstance(n, gast.Return)):
        value = ret.value
        got = len(value.elts) if isinstance(value, gast.Tuple) else None
        if got is not None and got != n_inputs:
            raise CompileError(
                "%s.bprop returns %d gradients, but %s takes %d inputs"
                % (type(cell).__name__, got, forward, n_inputs), src.filename, ret.lineno,
                ret.col_offset, hint="return a tuple with one gradient per input of construct")


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
        params = tuple(fir.args)

        if is_user_primitive(cell):  # its Python __call__ runs as it is, on Tensors (as in
            # MindSpore, whose kernel is a black box to its bprop: asnumpy() and numpy work)
            def fwd(*arrays):
                args = arrays[:len(mask)]
                res = cell(*wrap(rebuild(params, list(args))))
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
            args, outs = res
            out = rebuild(structure, outs)
            dout = rebuild(structure, douts)
            inputs = rebuild(params, list(args))
            grads = bprop(*wrap(inputs), wrap(out), wrap(dout))
            if not isinstance(grads, tuple) or len(grads) != len(inputs):
                raise TypeError("%s.bprop returned %s; it must return a tuple of %d gradients "
                                "(one per input of construct)"
                                % (name_, type(grads).__name__, len(inputs)))
            runtime = [g for p, g in zip(params, grads) if leaves(p)]
            flat = [leaf for p, g in zip([p for p in params if leaves(p)], runtime)
                    for leaf in (leaves_of(g, p))]
            return tuple(np.asarray(unwrap(g)) for g, on in zip(flat, mask) if on)
        bwd.__name__ = name_ + "_bprop_bwd"
        self.fwd, self.bwd = fwd, bwd


def _flat(value) -> list:
    """The leaves of what a user primitive's ``__call__`` returned (tuples and lists
    flattened, in order)."""
    if isinstance(value, (tuple, list)):
        return [leaf for v in value for leaf in _flat(v)]
    return [value]


def leaves_of(grad, param) -> list:
    """The gradient of each runtime leaf of the input ``param`` (a Sym: ``grad`` itself; a
    tuple or list holding Syms: its items', in order)."""
    if isinstance(param, Sym):
        return [grad]
    if isinstance(param, (tuple, list)) and isinstance(grad, (tuple, list)):
        return [leaf for p, g in zip(param, grad) if leaves(p) for leaf in leaves_of(g, p)]
    return [grad] * len(leaves(param))


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
