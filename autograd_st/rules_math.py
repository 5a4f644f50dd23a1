"""Primitives and their reverse (vjp) and forward (jvp) rules for element-wise math, activations, reductions and linear algebra (norm, std, gelu, einsum, ...), registered in the one
registry of :mod:`autograd_st.rules` (see its docstring for how a rule is written).

Most of MindSpore's math ops (gelu, silu, elu, the losses, std, clip_by_global_norm ...) are
compositions of existing primitives, written as adapters in :mod:`autograd_st.table_math`;
this module holds only what cannot be composed: the inverse trigonometric and hyperbolic
functions, ``expm1``, ``atan2``, rounding and predicates (no gradient), a generalized
``einsum`` of one or two operands (closed under its own vjp), ``norm`` over a whole 1-D or
2-D input (vector or matrix norm, decided by the input's rank at run time), ``one_hot`` with
MindSpore's on/off values and axis, and the class-target helpers of the cross-entropy loss.

Takes: :mod:`autograd_st.rules` (``primitive``, ``vjp``, ``jvp``) and the runtime helpers.
Gives: the primitives, by registering them; the op rows that publish them are in
:mod:`autograd_st.table_math`.
"""
from __future__ import annotations

import numpy as np

from .errors import InputValueError
from .rules import jvp, kernel_of, primitive, vjp
from .runtime import broadcast_like, ones_like, unbroadcast

__all__ = ["MATH_PRIMITIVES", "einsum_general", "einsum_transpose", "norm_whole",
           "norm_whole_grad", "ms_one_hot", "target_dense", "target_weights",
           "target_grad", "target_tangent"]


# ---------------------------------------------------------------------------------------
# element-wise functions
# ---------------------------------------------------------------------------------------

@primitive()
def tan(x):
    return np.tan(x)


@vjp(tan)
def _(dout, out, x):
    return (dout * (1 + out * out),)


@jvp(tan)
def _(out, x, dx):
    return (dx * (1 + out * out),)


@primitive()
def arcsin(x):
    return np.arcsin(x)


@vjp(arcsin)
def _(dout, out, x):
    return (dout / np.sqrt(1 - x * x),)


@jvp(arcsin)
def _(out, x, dx):
    return (dx / np.sqrt(1 - x * x),)


@primitive()
def arccos(x):
    return np.arccos(x)


@vjp(arccos)
def _(dout, out, x):
    return (-dout / np.sqrt(1 - x * x),)


@jvp(arccos)
def _(out, x, dx):
    return (-dx / np.sqrt(1 - x * x),)


@primitive()
def arctan(x):
    return np.arctan(x)


@vjp(arctan)
def _(dout, out, x):
    return (dout / (1 + x * x),)


@jvp(arctan)
def _(out, x, dx):
    return (dx / (1 + x * x),)


@primitive()
def sinh(x):
    return np.sinh(x)


@vjp(sinh)
def _(dout, out, x):
    return (dout * np.cosh(x),)


@jvp(sinh)
def _(out, x, dx):
    return (dx * np.cosh(x),)


@primitive()
def cosh(x):
    return np.cosh(x)


@vjp(cosh)
def _(dout, out, x):
    return (dout * np.sinh(x),)


@jvp(cosh)
def _(out, x, dx):
    return (dx * np.sinh(x),)


@primitive()
def arcsinh(x):
    return np.arcsinh(x)


@vjp(arcsinh)
def _(dout, out, x):
    return (dout / np.sqrt(x * x + 1),)


@jvp(arcsinh)
def _(out, x, dx):
    return (dx / np.sqrt(x * x + 1),)


@primitive()
def arccosh(x):
    return np.arccosh(x)


@vjp(arccosh)
def _(dout, out, x):
    return (dout / np.sqrt(x * x - 1),)


@jvp(arccosh)
def _(out, x, dx):
    return (dx / np.sqrt(x * x - 1),)


@primitive()
def arctanh(x):
    return np.arctanh(x)


@vjp(arctanh)
def _(dout, out, x):
    return (dout / (1 - x * x),)


@jvp(arctanh)
def _(out, x, dx):
    return (dx / (1 - x * x),)


@primitive()
def expm1(x):
    return np.expm1(x)


@vjp(expm1)
def _(dout, out, x):
    return (dout * (out + 1),)


@jvp(expm1)
def _(out, x, dx):
    return (dx * (out + 1),)


@primitive()
def log1p(x):
    return np.log1p(x)


@vjp(log1p)
def _(dout, out, x):
    return (dout / (1 + x),)


@jvp(log1p)
def _(out, x, dx):
    return (dx / (1 + x),)


# atan2(y, x): d/dy = x / (x^2 + y^2), d/dx = -y / (x^2 + y^2)
@primitive()
def arctan2(y, x):
    return np.arctan2(y, x)


@vjp(arctan2)
def _(dout, out, y, x):
    return (unbroadcast(dout * x / (x * x + y * y), y),
            unbroadcast(-dout * y / (x * x + y * y), x))


@jvp(arctan2)
def _(out, y, x, dy, dx):
    return (broadcast_like(dy * x / (x * x + y * y), out),
            broadcast_like(-dx * y / (x * x + y * y), out))


# fmod(x, y) = x - trunc(x / y) * y (the sign of x): gradients 1 and -trunc(x / y)
@primitive(promotes=True)
def fmod(x, y):
    return np.fmod(x, y)


@vjp(fmod)
def _(dout, out, x, y):
    return unbroadcast(dout, x), unbroadcast(-dout * np.trunc(x / y), y)


@jvp(fmod)
def _(out, x, y, dx, dy):
    return broadcast_like(dx, out), broadcast_like(-dy * np.trunc(x / y), out)


# ---------------------------------------------------------------------------------------
# generalized einsum of one or two operands.  The equation is explicit (``"ij,jk->ik"``,
# ``"..."`` allowed); the output may repeat a letter (a diagonal written into zeros) and
# name letters of no operand (broadcast to ``shape``, which gives their sizes).  With both,
# the transpose of such an einsum in one operand is again one: its vjp is itself.
# ---------------------------------------------------------------------------------------

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _ellipsis_ndim(sub: str, ndim: int) -> int:
    return ndim - (len(sub) - 3) if "..." in sub else 0


def einsum_general(equation, shape, *operands):
    """``np.einsum(equation, *operands)``, where the output may also repeat letters (a
    diagonal embedded in zeros) or name letters of no operand (broadcast, sized by
    ``shape``); summed down to ``shape`` where ``shape`` has 1 for a broadcast axis."""
    ins, out = equation.split("->")
    ins = ins.split(",")
    used = set(equation) - set(",->.")
    free = "".join(c for c in _LETTERS if c not in used)
    n_ell = max([_ellipsis_ndim(s, np.ndim(op)) for s, op in zip(ins, operands)] + [0])
    if shape is not None and "..." in out:
        n_ell = max(n_ell, _ellipsis_ndim(out, len(shape)))
    fill = free[:n_ell]
    ins = [s.replace("...", fill[n_ell - _ellipsis_ndim(s, np.ndim(op)):])
           for s, op in zip(ins, operands)]
    n_out = _ellipsis_ndim(out, len(shape)) if shape is not None else n_ell
    out = out.replace("...", fill[n_ell - n_out:])
    sizes = {}
    for sub, op in zip(ins, operands):
        for c, n in zip(sub, np.shape(op)):
            sizes[c] = max(sizes.get(c, 1), n)
    if shape is not None:
        for c, n in zip(out, shape):
            sizes.setdefault(c, n)
    uniq = "".join(dict.fromkeys(out))
    avail = "".join(c for c in uniq if any(c in s for s in ins))
    g = np.einsum(",".join(ins) + "->" + avail, *operands)
    if avail != uniq:
        g = np.expand_dims(g, tuple(i for i, c in enumerate(uniq) if c not in avail))
        g = np.broadcast_to(g, tuple(sizes[c] for c in uniq))
    if uniq != out:  # repeated output letters: embed the diagonal
        renamed, eyes, subs = [], [], [uniq]
        spare = iter(c for c in free[n_ell:])
        for c in out:
            if c in renamed:
                new = next(spare)
                eyes.append(np.eye(sizes[c], dtype=g.dtype))
                subs.append(c + new)
                renamed.append(new)
            else:
                renamed.append(c)
        g = np.einsum(",".join(subs) + "->" + "".join(renamed), g, *eyes)
    if shape is not None and tuple(np.shape(g)) != tuple(shape):
        g = np.sum(g, axis=tuple(i for i, (a, b) in enumerate(zip(np.shape(g), shape))
                                 if a != b), keepdims=True)
    return np.asarray(g)


@kernel_of("einsum_transpose")
def einsum_transpose(equation, k):
    """The equation of the vjp of ``equation`` in operand ``k``: the output's gradient with
    the other operands, giving operand ``k``'s subscripts."""
    ins, out = equation.split("->")
    ins = ins.split(",")
    rest = [out if i == k else s for i, s in enumerate(ins)]
    return ",".join(rest) + "->" + ins[k]


@kernel_of("einsum1")
def einsum1_kernel(x, equation, shape=None):
    return einsum_general(equation, shape, x)


@kernel_of("einsum2")
def einsum2_kernel(x, y, equation, shape=None):
    return einsum_general(equation, shape, x, y)


@primitive(name="einsum_transpose", diff=())
def einsum_transpose_(equation, k):
    return einsum_transpose(equation, k)


@primitive(name="einsum1", diff=("x",))
def einsum1(x, equation, shape=None):
    return einsum1_kernel(x, equation, shape)


@vjp(einsum1)
def _(dout, out, x, equation, shape):
    return (einsum1_kernel(dout, einsum_transpose(equation, 0), np.shape(x)),)


@jvp(einsum1)
def _(out, x, equation, shape, dx):
    return (einsum1_kernel(dx, equation, np.shape(out)),)


@primitive(name="einsum2", diff=("x", "y"))
def einsum2(x, y, equation, shape=None):
    return einsum2_kernel(x, y, equation, shape)


@vjp(einsum2)
def _(dout, out, x, y, equation, shape):
    return (einsum2_kernel(dout, y, einsum_transpose(equation, 0), np.shape(x)),
            einsum2_kernel(x, dout, einsum_transpose(equation, 1), np.shape(y)))


@jvp(einsum2)
def _(out, x, y, equation, shape, dx, dy):
    return (einsum2_kernel(dx, y, equation, np.shape(out)),
            einsum2_kernel(x, dy, equation, np.shape(out)))


# ---------------------------------------------------------------------------------------
# the norm of a whole 1-D (vector norm) or 2-D (matrix norm) input: ``ops.norm(A, ord)``
# with ``dim=None``, where the input's rank, known only at run time, picks the norm.
# The gradient is a function of x (a subgradient at kinks and at 0), first order only.
# ---------------------------------------------------------------------------------------

@kernel_of("norm_whole")
def norm_whole(x, ord, keepdims=False):
    """``np.linalg.norm(x, ord, keepdims=keepdims)`` for 1-D and 2-D ``x``, in x's dtype."""
    x = np.asarray(x)
    out = np.linalg.norm(x, ord, keepdims=keepdims)
    return np.asarray(out, dtype=x.dtype if x.dtype.kind == "f" else np.float32)


def _extreme_mask(v, pick):
    """Where ``v`` reaches its ``pick`` (np.max or np.min), shared equally among ties."""
    hit = (v == pick(v)).astype(v.dtype)
    return hit / np.sum(hit)


@kernel_of("norm_whole_grad")
def norm_whole_grad(g, x, ord, keepdims=False):
    """The gradient of :func:`norm_whole` at ``x`` times ``g`` (shaped like x)."""
    x = np.asarray(x)
    d = np.reshape(g, ())
    n = np.reshape(np.linalg.norm(x, ord), ())
    s = np.sign(x)
    a = np.abs(x)
    if x.ndim == 1:
        if ord == np.inf or ord == -np.inf:
            return d * s * _extreme_mask(a, np.max if ord > 0 else np.min)
        if ord == 0:
            return np.zeros_like(x)
        p = 2.0 if ord is None else float(ord)
        safe = np.where(n == 0, 1, n)
        return np.where(n == 0, 0, d * s * a ** (p - 1) / safe ** (p - 1))
    if ord is None or ord == "fro":
        return np.where(n == 0, 0, d * x / np.where(n == 0, 1, n))
    if ord in (1, -1):
        col = np.sum(a, axis=0)
        return d * s * _extreme_mask(col, np.max if ord > 0 else np.min)[None, :]
    if ord == np.inf or ord == -np.inf:
        row = np.sum(a, axis=1)
        return d * s * _extreme_mask(row, np.max if ord > 0 else np.min)[:, None]
    u, sv, vt = np.linalg.svd(x, full_matrices=False)
    if ord == "nuc":
        return d * (u @ vt)
    k = 0 if ord == 2 else len(sv) - 1  # the largest (2) or smallest (-2) singular value
    return d * np.outer(u[:, k], vt[k])


@primitive(name="norm_whole", diff=("x",))
def norm_whole_(x, ord=None, keepdims=False):
    return norm_whole(x, ord, keepdims)


@vjp(norm_whole_)
def _(dout, out, x, ord, keepdims):
    return (norm_whole_grad(dout, x, ord, keepdims),)


@jvp(norm_whole_)
def _(out, x, ord, keepdims, dx):
    return (np.reshape(np.sum(norm_whole_grad(ones_like(out), x, ord, keepdims) * dx),
                       np.shape(out)),)


@kernel_of("norm_whole_hvp")
def norm_whole_hvp(u, g, x, ord, keepdims=False):
    """The derivative of :func:`norm_whole_grad` in ``x`` applied to ``u``: the Hessian of
    the norm times ``u``, times ``g``.  Vector p-norms and the Frobenius norm:
    ``(p - 1) (n^(1-p) |x|^(p-2) u - q (q . u) / n)`` with ``q`` the gradient; the
    piecewise-linear norms (1, inf, their negatives, 0): zero.  The spectral and nuclear
    norms of a matrix have no second derivative here."""
    x = np.asarray(x)
    if x.ndim == 2 and ord not in (None, "fro", 1, -1, np.inf, -np.inf):
        raise InputValueError(
            "ops.norm(A, ord=%r) of a 2-D input has no second derivative in autograd_st; "
            "differentiate it once only, or give dim=(0, 1) with ord 'fro'" % (ord,))
    if ord in (1, -1, 0, np.inf, -np.inf):
        return np.zeros_like(u * x)
    p = 2.0 if ord is None or ord == "fro" else float(ord)
    n = np.reshape(np.linalg.norm(x, ord), ())
    safe = np.where(n == 0, 1, n)
    q = norm_whole_grad(np.ones(()), x, ord, keepdims)
    a = np.abs(x)
    diag = np.where(a == 0, 0, safe ** (1 - p) * np.where(a == 0, 1, a) ** (p - 2))
    return np.reshape(g, ()) * (p - 1) * (diag * u - q * np.sum(q * u) / safe)


@primitive(name="norm_whole_grad", diff=("g", "x"))
def norm_whole_grad_(g, x, ord=None, keepdims=False):
    return norm_whole_grad(g, x, ord, keepdims)


@vjp(norm_whole_grad_)
def _(dout, out, g, x, ord, keepdims):
    return (np.reshape(np.sum(dout * norm_whole_grad(ones_like(g), x, ord, keepdims)),
                       np.shape(g)),
            norm_whole_hvp(dout, g, x, ord, keepdims))


@jvp(norm_whole_grad_)
def _(out, g, x, ord, keepdims, dg, dx):
    return (norm_whole_grad(dg, x, ord, keepdims),
            norm_whole_hvp(dx, g, x, ord, keepdims))


# third order: not followed (the Hessian-vector product has no rule of its own)
@primitive(name="norm_whole_hvp", diff=())
def norm_whole_hvp_(u, g, x, ord=None, keepdims=False):
    return norm_whole_hvp(u, g, x, ord, keepdims)


# ---------------------------------------------------------------------------------------
# without a gradient: rounding, predicates, one-hot and the class targets of losses
# ---------------------------------------------------------------------------------------

@primitive(diff=())
def floor(x):
    return np.floor(x)


@primitive(diff=())
def ceil(x):
    return np.ceil(x)


@primitive(diff=())
def trunc(x):
    return np.trunc(x)


@primitive(name="round", diff=())
def round_(x, decimals=0):
    return np.round(x, decimals)


@primitive(diff=())
def isnan(x):
    return np.isnan(x)


@primitive(diff=())
def isinf(x):
    return np.isinf(x)


@primitive(diff=())
def isfinite(x):
    return np.isfinite(x)


@primitive(diff=())
def isclose(x, y, rtol=1e-05, atol=1e-08, equal_nan=False):
    return np.isclose(x, y, rtol, atol, equal_nan)


@primitive(diff=())
def logical_and(x, y):
    return np.logical_and(x, y)


@primitive(diff=())
def logical_or(x, y):
    return np.logical_or(x, y)


@primitive(diff=())
def logical_xor(x, y):
    return np.logical_xor(x, y)


@primitive(diff=())
def logical_not(x):
    return np.logical_not(x)


@primitive(name="all", diff=())
def all_(x, axis=None, keepdims=False):
    return np.all(x, axis=axis, keepdims=keepdims)


@primitive(name="any", diff=())
def any_(x, axis=None, keepdims=False):
    return np.any(x, axis=axis, keepdims=keepdims)


def _scalar_array(value):
    """A Python number as MindSpore types it (float -> float32, int -> int64)."""
    if isinstance(value, bool):
        return np.asarray(value)
    if isinstance(value, int):
        return np.asarray(value, np.int64)
    if isinstance(value, float):
        return np.asarray(value, np.float32)
    return np.asarray(value)


@kernel_of("ms_one_hot")
def ms_one_hot(indices, depth, on_value=1, off_value=0, axis=-1):
    """MindSpore's ``ops.one_hot``: ``on_value`` where the class is the index, else
    ``off_value``, in their dtype (Python ints: int64, floats: float32); classes along
    ``axis`` of the result; an index outside ``[0, depth)`` gives an all-``off`` row."""
    indices = np.asarray(indices)
    hot = np.asarray(indices)[..., None] == np.arange(depth)
    if axis != -1:
        hot = np.moveaxis(hot, -1, axis)
    on, off = _scalar_array(on_value), _scalar_array(off_value)
    return np.where(hot, on, off).astype(np.result_type(on, off))


@primitive(name="ms_one_hot", diff=())
def ms_one_hot_(indices, depth, on_value=1, off_value=0, axis=-1):
    return ms_one_hot(indices, depth, on_value, off_value, axis)


def _is_index_target(target, like):
    return np.asarray(target).dtype.kind in "iub" and np.ndim(target) == np.ndim(like) - 1


@kernel_of("target_dense")
def target_dense(target, like, ignore_index=-100):
    """Cross-entropy targets as per-class weights shaped like ``like`` (classes on axis 1):
    class indices one-hot (a row of zeros where the index is ``ignore_index``);
    probabilities as they are."""
    like = np.asarray(like)
    if not _is_index_target(target, like):
        return np.asarray(target, like.dtype)
    target = np.asarray(target)
    hot = (target[:, None] == np.arange(like.shape[1]).reshape((-1,) + (1,) * (target.ndim - 1)))
    return (hot & (target != ignore_index)[:, None]).astype(like.dtype)


@kernel_of("target_weights")
def target_weights(target, like, ignore_index=-100, weight=None):
    """Each sample's weight in a cross-entropy's mean (shaped like ``like`` less axis 1):
    for class indices ``weight[target]`` (1 without ``weight``; 0 where ignored); for
    probabilities 1."""
    like = np.asarray(like)
    shape = like.shape[:1] + like.shape[2:]
    if not _is_index_target(target, like):
        return np.ones(shape, like.dtype)
    target = np.asarray(target)
    keep = target != ignore_index
    if weight is None:
        return keep.astype(like.dtype)
    w = np.asarray(weight, like.dtype)
    return np.where(keep, w[np.where(keep, target, 0)], 0).astype(like.dtype)


@kernel_of("target_grad")
def target_grad(g, target, like):
    """The cotangent of :func:`target_dense` in ``target``: ``g`` for probability targets,
    zeros shaped like ``target`` for class indices (which have no gradient)."""
    if _is_index_target(target, like):
        return np.zeros(np.shape(target), np.asarray(g).dtype)
    return g


@kernel_of("target_tangent")
def target_tangent(g, target, like):
    """The tangent of :func:`target_dense` (the transpose of :func:`target_grad`): ``g`` for
    probability targets, zeros shaped like ``like`` for class indices."""
    if _is_index_target(target, like):
        return np.zeros(np.shape(like), np.asarray(g).dtype)
    return g


@primitive(name="target_dense", diff=("target",))
def target_dense_(target, like, ignore_index=-100):
    return target_dense(target, like, ignore_index)


@vjp(target_dense_)
def _(dout, out, target, like, ignore_index):
    return (target_grad(dout, target, like),)


@jvp(target_dense_)
def _(out, target, like, ignore_index, dtarget):
    return (target_tangent(dtarget, target, like),)


@primitive(name="target_grad", diff=("g",))
def target_grad_(g, target, like):
    return target_grad(g, target, like)


@vjp(target_grad_)
def _(dout, out, g, target, like):
    return (target_tangent(dout, target, like),)


@jvp(target_grad_)
def _(out, g, target, like, dg):
    return (target_grad(dg, target, like),)


@primitive(name="target_tangent", diff=("g",))
def target_tangent_(g, target, like):
    return target_tangent(g, target, like)


@vjp(target_tangent_)
def _(dout, out, g, target, like):
    return (target_grad(dout, target, like),)


@jvp(target_tangent_)
def _(out, g, target, like, dg):
    return (target_tangent(dg, target, like),)


@primitive(name="target_weights", diff=())
def target_weights_(target, like, ignore_index=-100, weight=None):
    return target_weights(target, like, ignore_index, weight)


@primitive(name="triu_pairs", diff=())
def triu_pairs(x):
    return np.triu_indices(np.shape(x)[-2], 1)


MATH_PRIMITIVES = ("tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "arcsinh", "arccosh",
                   "arctanh", "expm1", "log1p", "arctan2", "fmod", "einsum_transpose", "einsum1",
                   "einsum2", "norm_whole", "norm_whole_grad", "norm_whole_hvp", "floor", "ceil", "trunc",
                   "round", "isnan", "isinf", "isfinite", "isclose", "logical_and",
                   "logical_or", "logical_xor", "logical_not", "all", "any", "ms_one_hot",
                   "target_dense", "target_weights", "target_grad", "target_tangent",
                   "triu_pairs")
"""The primitives this module registers."""
