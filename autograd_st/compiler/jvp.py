"""Forward mode: one generated function computing every output and its tangent.

Takes: a :class:`~autograd_st.compiler.ir.FuncIR` and which of its positional argument
leaves and extra inputs carry tangents.
Gives: a :class:`CompiledJvp` whose ``fn(args..., inputs..., tangents...)`` returns
``(outputs..., output tangents...)``, cached on the FuncIR; each call to a sub-Cell or
helper calls that callee's own jvp function.
"""
from __future__ import annotations

import gast

from .build import Builder, short_name
from .cache import built_once, paused_gc
from .codegen import function_def, name, to_source
from .forward import Forward
from .ir import leaves
from .stages import record

__all__ = ["CompiledJvp", "build_jvp"]


class CompiledJvp:
    """A jvp function ``f_jvp(args..., inputs..., tangents...) -> (outs..., out_tangents...)``
    for one FuncIR and one set of inputs that carry tangents."""

    def __init__(self, fir, arg_mask, input_mask, fn, texts, callees) -> None:
        self.fir = fir
        self.arg_mask = tuple(arg_mask)
        self.input_mask = tuple(input_mask)
        self.wrt_any = any(arg_mask) or any(input_mask)
        self.fn = fn
        self.texts = texts
        self.source = "\n\n".join(text for _, text in texts)
        self.callees = callees
        self.n_outputs = len(leaves(fir.result))


class _JvpNames:
    """What the forward-mode pass asks about calls: each call's jvp and its global name."""

    def __init__(self, callees, ns) -> None:
        self.callees = callees
        self.ns = ns

    def jvp_of(self, stmt):
        return self.callees[id(stmt)]

    def global_name(self, fn):
        return self.ns.name_for(fn, fn.__name__)


def _callee_jvp(stmt, arg_mask, input_mask):
    return build_jvp(stmt.callee, arg_mask, input_mask)


@paused_gc
def build_jvp(fir, arg_mask, input_mask) -> CompiledJvp:
    """Forward-mode code for ``fir``: every output and its tangent."""
    return built_once(fir, ("jvp", tuple(arg_mask), tuple(input_mask)),
                      lambda: _make_jvp(fir, arg_mask, input_mask))


def _make_jvp(fir, arg_mask, input_mask) -> CompiledJvp:
    b = Builder(fir, arg_mask, input_mask, _callee_jvp)
    fwd = Forward(fir, b.active, _JvpNames(b.callees, b.ns), b.ns.const_namer, b.names)
    tangent_params = [fwd.seed(v) for v in b.wrt]
    body = fwd.block(fir.body)
    outs = [s.var.name for s in leaves(fir.result)]
    out_tangents = [name(fwd.tangent(v)) if v in b.active else
                    gast.Call(func=name("zeros_like"), args=[name(v)], keywords=[])
                    for v in outs]
    ret = gast.Return(value=gast.Tuple(elts=[name(v) for v in outs] + out_tangents,
                                       ctx=gast.Load()))
    fname = b.names.fresh(short_name(fir.qualname) + "_jvp")
    params = b.arg_leaves + [inp.name for inp in fir.inputs] + tangent_params
    fdef = function_def(fname, params, body + [ret])
    record("adjoint", lambda: to_source(fdef))  # (forward mode: the tangent code)
    module, texts = b.finish([fdef], fir.qualname + " jvp")
    return CompiledJvp(fir, arg_mask, input_mask, module[fname], texts,
                       list(b.callees.values()))
