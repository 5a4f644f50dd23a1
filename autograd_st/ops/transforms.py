"""MindSpore's other transforms: ``jvp`` (forward mode, its own generated code), ``vjp``,
``jacfwd`` and ``jacrev``, with MindSpore's signatures and result structures (measured on
MindSpore 2.10):

- ``jvp(fn, inputs, v, has_aux=False)`` -> ``(outputs, tangents)`` (``(out, tangent, aux)``
  with ``has_aux``);
- ``vjp(fn, *inputs, weights=None, has_aux=False)`` -> ``(outputs, vjp_fn)``, ``vjp_fn(v)`` is
  a tuple of one gradient per input, or ``((input grads), (weight grads))`` with ``weights``
  (``(out, vjp_fn, aux)`` with ``has_aux``);
- ``jacfwd(fn, grad_position=0, has_aux=False)`` / ``jacrev(...)`` -> a function returning
  Jacobians shaped ``output.shape + input.shape`` (a tuple per position for a tuple
  ``grad_position``, a tuple per output for tuple outputs).
"""
from __future__ import annotations

import numpy as np

from ..boundary import GradFunction, GradRequest, argspec, compile_jvp, located, runtime_leaves
from ..boundary import to_tensors as _wrap_tensors
from ..boundary import unwrap_arg as _unwrap
from ..compiler.ir import rebuild
from ..errors import GradientAPIError
from ..tensor import Tensor

__all__ = ["jvp", "vjp", "jacfwd", "jacrev", "linearize"]


def _as_tuple(x):
    return tuple(x) if isinstance(x, (tuple, list)) else (x,)


def _run_jvp(fn, inputs, tangents):
    """``(fir, outputs, tangents)``; inputs (and their tangents, in the same structure) may
    be tuples, lists and dicts of Tensors."""
    try:
        fir, compiled, objects = compile_jvp(fn, inputs)
        spec = argspec(list(inputs))
        arrays = runtime_leaves(list(inputs), spec)
        extra = [o._data if isinstance(o, Tensor) else o for o in objects]
        dots = [np.asarray(t) for t in runtime_leaves(list(tangents), spec)]
        outs = compiled.fn(*arrays, *extra, *dots)
    except Exception as exc:  # told where it belongs (boundary/tracebacks.py)
        told = located(exc)
        if told is not exc:
            raise told from exc
        if exc.__traceback__ is None:  # frames dropped (on 3.10 a bare raise
            raise exc                 # would bring them back)
        raise
    n = compiled.n_outputs
    return fir, rebuild(fir.result, outs[:n]), rebuild(fir.result, outs[n:])


def jvp(fn, inputs, v, has_aux=False):
    """``(fn(*inputs), J v)``: forward mode, from generated tangent code."""
    inputs, v = _as_tuple(inputs), _as_tuple(v)
    if len(inputs) != len(v):
        raise GradientAPIError("jvp: %d inputs but %d tangents in v; give one tangent per input"
                               % (len(inputs), len(v)))
    if not _same_structure(inputs, v):
        raise GradientAPIError("jvp: the tangents v must have the structure of the inputs "
                               "(one tangent per Tensor, in the same tuples, lists and "
                               "dicts)")
    spec = argspec(list(inputs))
    for a, t in zip(runtime_leaves(list(inputs), spec), runtime_leaves(list(v), spec)):
        if np.shape(a) != np.shape(t):
            raise GradientAPIError("jvp: a tangent has shape %s but its input has shape %s"
                                   % (np.shape(t), np.shape(a)))
    fir, out, tan = _run_jvp(fn, inputs, v)
    out, tan = _wrap_tensors(out), _wrap_tensors(tan)
    if has_aux:
        if not isinstance(out, tuple) or len(out) < 2:
            raise GradientAPIError("has_aux=True needs fn to return (output, aux, ...)")
        aux = out[1] if len(out) == 2 else out[1:]
        return out[0], tan[0], aux
    return out, tan


def linearize(fn, inputs):
    """MindSpore's ``ops.linearize(fn, inputs)``: ``(fn(*inputs), jvp_fn)``, where
    ``jvp_fn(v)`` is the Jacobian-vector product at ``inputs`` along ``v`` (one Tensor, or a
    tuple with one tangent per input, as MindSpore takes it); each call runs the forward-mode
    code compiled once for these inputs."""
    if not isinstance(inputs, (Tensor, tuple, list)):
        raise TypeError("For 'linearize', the inputs must be a Tensor or a tuple or list of "
                        "Tensors, but got %s." % type(inputs).__name__)
    primals = _as_tuple(inputs)
    output = fn(*primals)

    def jvp_fn(v):
        return jvp(fn, primals, v)[1]

    return output, jvp_fn


def _same_structure(a, b) -> bool:
    """Whether ``b`` has ``a``'s tuples and lists (either for either) and dicts (the same
    keys) around its leaves."""
    if isinstance(a, (tuple, list)):
        return isinstance(b, (tuple, list)) and len(a) == len(b) and all(
            _same_structure(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and set(a) == set(b) and all(
            _same_structure(a[k], b[k]) for k in a)
    return not isinstance(b, (tuple, list, dict))


def vjp(fn, *inputs, weights=None, has_aux=False):
    """``(fn(*inputs), vjp_fn)`` where ``vjp_fn(v)`` is the tuple of ``v^T J`` per input."""
    gfn = GradFunction(fn, GradRequest.for_vjp(weights, has_aux))
    out = fn(*inputs)

    want = out[0] if has_aux else out  # what the cotangent must be shaped like

    def vjp_fn(*v):
        sens = v[0] if len(v) == 1 else tuple(v)
        seq = (tuple, list)
        if isinstance(want, seq) and not isinstance(sens, seq) and len(want) == 1:
            sens = (sens,)  # one output in a 1-tuple: its cotangent may come bare
        if isinstance(want, seq) != isinstance(sens, seq) or (
                isinstance(want, seq) and len(want) != len(sens)):
            raise GradientAPIError(
                "vjp_fn: the cotangent must have the output's structure (%s) but it is %s; "
                "pass one cotangent per output, as a tuple when the output is one"
                % (_structure(want), _structure(sens)))
        return gfn(*inputs, sens)
    if has_aux:
        aux = out[1] if len(out) == 2 else tuple(out[1:])
        return out[0], vjp_fn, aux
    return out, vjp_fn


def _structure(value) -> str:
    if isinstance(value, (tuple, list)):
        return "a %s of %d" % (type(value).__name__, len(value))
    return "one value"


def _positions(grad_position, inputs, what="jacobian"):
    """``(positions, single)``; each input at a position must be one Tensor (a Jacobian is
    laid out by its shape)."""
    positions, single = ((grad_position,), True) if isinstance(grad_position, int) \
        else (tuple(grad_position), False)
    for p in positions:
        if isinstance(inputs[p], (tuple, list, dict)):
            raise GradientAPIError(
                "%s: input %d is a %s; a Jacobian is taken with respect to a Tensor. Pass its "
                "Tensors as separate inputs" % (what, p, type(inputs[p]).__name__))
    return positions, single


def jacfwd(fn, grad_position=0, has_aux=False):
    """The Jacobian by forward mode: one jvp per input element."""
    if isinstance(fn, _JacRev):
        return lambda *inputs: _hessian(fn, grad_position, has_aux, inputs)

    def jac(*inputs):
        positions, single = _positions(grad_position, inputs, "jacfwd")
        per_pos = []
        out = None
        for p in positions:
            x = np.asarray(_unwrap(inputs[p]))
            cols = []
            for idx in np.ndindex(x.shape or ()):
                tangents = [np.zeros_like(np.asarray(_unwrap(a)), dtype=np.result_type(
                    np.asarray(_unwrap(a)).dtype, np.float32)) for a in inputs]
                tangents[p][idx] = 1
                _, out, tan = _run_jvp(fn, inputs, tangents)
                cols.append(tan)
            per_pos.append((x.shape, cols))
        outs = _as_tuple(out) if isinstance(out, tuple) else (out,)
        results = []
        for k in range(len(outs)):
            if has_aux and k > 0:
                break
            by_pos = []
            for shape, cols in per_pos:
                parts = [np.asarray(c[k] if isinstance(out, tuple) else c) for c in cols]
                o_shape = np.shape(outs[k])
                arr = np.stack(parts, axis=-1) if parts else np.zeros(o_shape + (0,))
                by_pos.append(arr.reshape(o_shape + shape))
            results.append(by_pos[0] if single else tuple(by_pos))
        jacs = results[0] if (not isinstance(out, tuple) or has_aux) else tuple(results)
        jacs = _wrap_tensors(jacs)
        if has_aux:
            aux = outs[1] if len(outs) == 2 else tuple(outs[1:])
            return jacs, _wrap_tensors(aux)
        return jacs
    return jac


class _JacRev:
    """``jacrev(fn)``: callable; ``jacfwd`` of it differentiates its vjps forward."""

    def __init__(self, fn, grad_position, has_aux, impl) -> None:
        self.fn, self.grad_position, self.has_aux, self._impl = fn, grad_position, has_aux, impl

    def __call__(self, *inputs):
        return self._impl(*inputs)


def _hessian(J, grad_position, has_aux, inputs):
    """jacfwd(jacrev(fn)): the jvp of each row's vjp (forward over reverse), so the result is
    d/dx_q of d out_k / d x_p, shaped out.shape + x_p.shape + x_q.shape."""
    if has_aux or J.has_aux:
        raise GradientAPIError("jacfwd(jacrev(fn)) with has_aux is not supported yet")
    rev_pos, rev_single = _positions(J.grad_position, inputs, "jacrev")
    fwd_pos, fwd_single = _positions(grad_position, inputs, "jacfwd")
    gfn = GradFunction(J.fn, GradRequest.for_vjp())
    out = np.asarray(_unwrap(J.fn(*inputs)))
    blocks = {}
    for k in np.ndindex(out.shape or ()):
        sens = np.zeros_like(out)
        sens[k] = 1
        for q in fwd_pos:
            xq = np.asarray(_unwrap(inputs[q]))
            for j in np.ndindex(xq.shape or ()):
                tangents = [np.zeros_like(np.asarray(_unwrap(a)), dtype=np.result_type(
                    np.asarray(_unwrap(a)).dtype, np.float32)) for a in inputs]
                tangents[q][j] = 1
                args = tuple(inputs) + (Tensor(sens),)
                _, _, tan = _run_jvp(gfn, args, tangents + [np.zeros_like(sens)])
                for p in rev_pos:
                    blocks.setdefault((p, q), []).append(np.asarray(tan[p]))
    result = []
    for p in rev_pos:
        row = []
        for q in fwd_pos:
            xp, xq = np.shape(_unwrap(inputs[p])), np.shape(_unwrap(inputs[q]))
            arr = np.stack(blocks[(p, q)]).reshape(out.shape + xq + xp)
            nd_o, nd_q = len(out.shape), len(xq)
            perm = tuple(range(nd_o)) + tuple(nd_o + nd_q + i for i in range(len(xp))) + \
                tuple(nd_o + i for i in range(nd_q))
            row.append(np.transpose(arr, perm))
        result.append(row[0] if fwd_single else tuple(row))
    return _wrap_tensors(result[0] if rev_single else tuple(result))


def jacrev(fn, grad_position=0, has_aux=False):
    """The Jacobian by reverse mode: one vjp per output element.  ``jacrev(jacrev(fn))``,
    a Hessian, is taken as ``jacfwd(jacrev(fn))`` is (the same derivatives, in the same
    layout: out.shape + x_p.shape + x_q.shape)."""
    if isinstance(fn, _JacRev):
        return _JacRev(fn, grad_position, has_aux,
                       lambda *inputs: _hessian(fn, grad_position, has_aux, inputs))
    return _JacRev(fn, grad_position, has_aux, _jacrev(fn, grad_position, has_aux))


def _jacrev(fn, grad_position=0, has_aux=False):
    def jac(*inputs):
        positions, single = _positions(grad_position, inputs, "jacrev")
        gfn = GradFunction(fn, GradRequest.for_vjp(None, has_aux))
        out = fn(*inputs)
        outs = _as_tuple(out) if isinstance(out, tuple) else (out,)
        n_diff = 1 if has_aux else len(outs)
        results = []
        for k in range(n_diff):
            o = np.asarray(_unwrap(outs[k]))
            rows = {p: [] for p in positions}
            for idx in np.ndindex(o.shape or ()):
                sens = []
                for j in range(n_diff):
                    s = np.zeros_like(np.asarray(_unwrap(outs[j])))
                    if j == k:
                        s[idx] = 1
                    sens.append(Tensor(s))
                grads = gfn(*inputs, sens[0] if (n_diff == 1) else tuple(sens))
                for p in positions:
                    rows[p].append(np.asarray(_unwrap(grads[p])))
            by_pos = []
            for p in positions:
                shape = np.shape(_unwrap(inputs[p]))
                arr = np.stack(rows[p], axis=0) if rows[p] else np.zeros((0,) + shape)
                by_pos.append(arr.reshape(o.shape + shape))
            results.append(by_pos[0] if single else tuple(by_pos))
        jacs = results[0] if (not isinstance(out, tuple) or has_aux) else tuple(results)
        jacs = _wrap_tensors(jacs)
        if has_aux:
            aux = outs[1] if len(outs) == 2 else tuple(outs[1:])
            return jacs, aux
        return jacs
    return jac
