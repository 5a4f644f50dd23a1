"""The op-table rows for element-wise math, activations, reductions and linear algebra: each row one calling convention of one primitive
(see :mod:`autograd_st.op_table`, which gathers these rows with its own).

MindSpore 2.10's signatures and defaults, measured in the side venv: ``gelu(input,
approximate='none')``, ``norm(A, ord=None, dim=None, keepdim=False, *, dtype=None)``,
``var/std(input, axis=None, ddof=0, keepdims=False)`` (``ddof=True`` is ``ddof=1``),
``cross_entropy(input, target, weight=None, ignore_index=-100, reduction='mean',
label_smoothing=0.0)`` ...  Most ops are adapters composed of existing primitives (so they
differentiate, to any order, through those primitives' rules).

Takes: :class:`~autograd_st.op_row.Op`, :data:`~autograd_st.prims.P` and the primitives of
:mod:`autograd_st.rules_math`.  Gives: :data:`OPS`, the rows, and the adapters they name.
"""
from __future__ import annotations

import numpy as np

from . import dtype as mstype
from . import rules_math  # noqa: F401  (registers the primitives the rows name)
from .context import get_seed
from .ms_random import FreshDropoutStream
from .op_row import Op
from .prims import P

__all__ = ["OPS", "gelu", "fast_gelu", "silu", "elu", "selu", "mish", "hardswish",
           "hardsigmoid", "softsign", "leaky_relu", "relu6", "hardtanh", "softplus", "erfc",
           "log2", "log10", "std", "var", "norm", "clip_by_value", "clip_by_global_norm",
           "bmm", "baddbmm", "addmm", "mv", "outer", "einsum", "remainder", "fmod",
           "cosine_similarity", "cdist", "pdist", "l2_normalize", "cross_entropy", "nll_loss",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "mse_loss", "l1_loss",
           "smooth_l1_loss", "huber_loss", "kl_div", "ms_dropout", "ms_one_hot",
           "squared_difference", "addn", "round_", "xlogy", "lerp", "hypot", "logit",
           "deg2rad", "rad2deg", "logsigmoid", "softmin", "celu", "hardshrink", "softshrink",
           "tanhshrink", "threshold", "std_mean", "var_mean", "clip_by_norm", "trace",
           "sigmoid_cross_entropy_with_logits"]

_REDUCTIONS = ("mean", "sum", "none")


def _axis(axis):
    """MindSpore's ``axis``/``dim``: a list is a tuple; ``()`` means every axis."""
    if isinstance(axis, list):
        axis = tuple(axis)
    if isinstance(axis, tuple) and not axis:
        return None
    return axis


def _reduce(x, reduction, op):
    if reduction == "mean":
        return P.mean(x)
    if reduction == "sum":
        return P.sum(x)
    if reduction == "none":
        return x
    raise ValueError("For '%s', reduction must be one of 'mean', 'sum', 'none', got %r; pass "
                     "one of those" % (op, reduction))


def _clamp(x, lo=None, hi=None):
    out = x
    if lo is not None:
        out = P.where(P.less(out, lo), lo, out)
    if hi is not None:
        out = P.where(P.greater(out, hi), hi, out)
    return out


# ---------------------------------------------------------------------------------------
# element-wise functions and activations
# ---------------------------------------------------------------------------------------

def erfc(input):
    """MindSpore's ``ops.erfc(input)``: ``1 - erf(input)``."""
    return P.sub(1.0, P.erf(input))


def log2(input):
    """MindSpore's ``ops.log2(input)``: ``log(input) / log(2)``."""
    return P.div(P.log(input), 0.6931471805599453)


def log10(input):
    """MindSpore's ``ops.log10(input)``: ``log(input) / log(10)``."""
    return P.div(P.log(input), 2.302585092994046)


def round_(input, *, decimals=0):
    """MindSpore's ``ops.round(input, *, decimals=0)`` (half to even; no gradient)."""
    return P.round(input, decimals)


def float_status(x):
    """MindSpore's ``ops.FloatStatus()(x)``: a float32 Tensor of shape (1,), 1.0 when ``x``
    holds a NaN or an infinity, else 0.0 (no gradient). MindSpore 2.10 has no CPU kernel for
    it (GPU/Ascend only); this is its documented result on any device."""
    return P.astype(P.reshape(P.logical_not(P.all(P.isfinite(x))), (1,)), "float32")


def _m_round(self, decimals=0):
    """``Tensor.round(decimals=0)``: half to even, no gradient."""
    return P.round(self, decimals)


def gelu(input, approximate="none"):
    """MindSpore's ``ops.gelu(input, approximate='none')``: ``x * Phi(x)`` with the normal
    CDF from ``erf`` ('none') or its tanh approximation ('tanh'; what ``ops.GeLU()`` gives)."""
    if approximate == "tanh":
        cube = P.mul(P.mul(P.mul(input, input), input), 0.044715)
        inner = P.mul(P.add(input, cube), 0.7978845608028654)  # sqrt(2 / pi)
        return P.mul(P.mul(input, 0.5), P.add(P.tanh(inner), 1.0))
    if approximate != "none":
        raise ValueError("For 'gelu', approximate must be 'none' or 'tanh', got %r"
                         % (approximate,))
    return P.mul(P.mul(input, 0.5), P.add(P.erf(P.mul(input, 0.7071067811865476)), 1.0))


def _gelu_tanh(x):
    """MindSpore's ``ops.GeLU()(x)``: the tanh approximation of GELU."""
    return gelu(x, "tanh")


def fast_gelu(x):
    """MindSpore's ``ops.fast_gelu(x)``: ``x / (1 + exp(-1.702 |x|)) * exp(0.851 (x - |x|))``,
    which is ``x * sigmoid(1.702 x)``."""
    return P.mul(x, P.sigmoid(P.mul(x, 1.702)))


def silu(input):
    """MindSpore's ``ops.silu(input)``: ``input * sigmoid(input)``."""
    return P.mul(input, P.sigmoid(input))


def _negative_part(x):
    return P.where(P.greater(x, 0.0), 0.0, x)


def elu(input_x, alpha=1.0):
    """MindSpore's ``ops.elu(input_x, alpha=1.0)``: ``x`` where positive, else
    ``alpha * (exp(x) - 1)``."""
    return P.where(P.greater(input_x, 0.0), input_x,
                   P.mul(P.expm1(_negative_part(input_x)), alpha))


def selu(input_x):
    """MindSpore's ``ops.selu(input_x)``: ``scale * elu(x, alpha)`` with SELU's constants."""
    return P.mul(elu(input_x, 1.6732632423543772848170429916717), 1.0507009873554804934193349852946)


def mish(x):
    """MindSpore's ``ops.mish(x)``: ``x * tanh(softplus(x))``."""
    return P.mul(x, P.tanh(P.softplus(x)))


def _clamp_open(x, lo, hi):
    """The clamp whose gradient is 0 at the bounds too (MindSpore's hardsigmoid)."""
    return P.where(P.less_equal(x, lo), lo, P.where(P.greater_equal(x, hi), hi, x))


def relu6(x):
    """MindSpore's ``ops.relu6(x)``: ``min(max(x, 0), 6)``; gradient 1 on ``(0, 6]`` (as
    MindSpore's: 0 at 0, 1 at 6)."""
    return P.where(P.less_equal(x, 0.0), 0.0, P.where(P.greater(x, 6.0), 6.0, x))


def hardtanh(input, min_val=-1.0, max_val=1.0):
    """MindSpore's ``ops.hardtanh(input, min_val=-1.0, max_val=1.0)``: the clamp."""
    return _clamp(input, min_val, max_val)


def hardswish(input):
    """MindSpore's ``ops.hardswish(input)``: ``x * relu6(x + 3) / 6``; at ``x = -3`` and
    ``x = 3`` the gradient is the inner one, ``(2x + 3) / 6``, as MindSpore's."""
    return P.mul(input, P.div(_clamp(P.add(input, 3.0), 0.0, 6.0), 6.0))


def hardsigmoid(input):
    """MindSpore's ``ops.hardsigmoid(input)``: ``relu6(x + 3) / 6``; gradient ``1/6`` on
    ``(-3, 3)`` only."""
    return P.div(_clamp_open(P.add(input, 3.0), 0.0, 6.0), 6.0)


def softsign(x):
    """MindSpore's ``ops.softsign(x)``: ``x / (1 + |x|)``."""
    return P.div(x, P.add(P.abs(x), 1.0))


def leaky_relu(input, alpha=0.2):
    """MindSpore's ``ops.leaky_relu(input, alpha=0.2)``: ``max(x, alpha * x)`` (at 0 the
    gradient is ``(1 + alpha) / 2``, as MindSpore's)."""
    return P.maximum(input, P.mul(input, alpha))


def softplus(input, beta=1, threshold=20):
    """MindSpore's ``ops.softplus(input, beta=1, threshold=20)``: ``log(1 + exp(beta x)) /
    beta``, and ``x`` itself where ``beta x > threshold``."""
    if beta == 1:
        soft = P.softplus(input)
        scaled = input
    else:
        scaled = P.mul(input, beta)
        soft = P.div(P.softplus(scaled), beta)
    return P.where(P.greater(scaled, threshold), input, soft)


def _m_softmax(self, axis=-1, dtype=None):
    """``Tensor.softmax(axis, dtype=None)``."""
    return P.softmax(self, axis=axis)


def _m_log_softmax(self, axis=-1):
    """``Tensor.log_softmax(axis=-1)``."""
    return P.log_softmax(self, axis=axis)


def _m_logsumexp(self, dim, keepdim=False):
    """``Tensor.logsumexp(dim, keepdim=False)``."""
    return P.logsumexp(self, axis=_axis(dim), keepdims=keepdim)


def _m_rsqrt(self):
    """``Tensor.rsqrt()``: ``1 / sqrt(x)``."""
    return P.div(1.0, P.sqrt(self))


def _m_reciprocal(self):
    """``Tensor.reciprocal()``: ``1 / x``."""
    return P.div(1.0, self)


def _m_clamp(self, min=None, max=None):
    """``Tensor.clamp(min=None, max=None)`` (and ``clip``): at a bound the gradient goes to
    the input."""
    return _clamp(self, min, max)


def squared_difference(x, y):
    """MindSpore's ``ops.SquaredDifference()(x, y)``: ``(x - y) ** 2``."""
    d = P.sub(x, y)
    return P.mul(d, d)


def remainder(input, other):
    """MindSpore's ``ops.remainder(input, other)``: ``input - floor(input / other) * other``
    (the sign of ``other``; ``ops.FloorMod``; ``input % other``); gradients ``1`` and
    ``-floor(input / other)``; integers stay integers."""
    return P.mod(input, other)


def fmod(input, other):
    """MindSpore's ``ops.fmod(input, other)``: ``input - trunc(input / other) * other`` (the
    sign of ``input``; ``ops.Mod``); gradients ``1`` and ``-trunc(input / other)``."""
    return P.fmod(input, other)


def addn(x):
    """MindSpore's ``ops.addn(x)``: the sum of the Tensors in the tuple or list ``x``."""
    out = x[0]
    for t in x[1:]:
        out = P.add(out, t)
    return out


def xlogy(input, other):
    """MindSpore's ``ops.xlogy(input, other)``: ``input * log(other)`` (as MindSpore 2.10's
    CPU kernel, ``xlogy(0, 0)`` is nan, not 0)."""
    return P.mul(input, P.log(other))


def lerp(input, end, weight):
    """MindSpore's ``ops.lerp(input, end, weight)``: ``input + weight * (end - input)``."""
    return P.add(input, P.mul(weight, P.sub(end, input)))


def hypot(input, other):
    """MindSpore's ``ops.hypot(input, other)``: ``sqrt(input ** 2 + other ** 2)``."""
    return P.sqrt(P.add(P.mul(input, input), P.mul(other, other)))


def logit(input, eps=None):
    """MindSpore's ``ops.logit(input, eps=None)``: ``log(x / (1 - x))`` of ``x`` clamped to
    ``[eps, 1 - eps]`` when ``eps`` is given."""
    x = input if eps is None else _clamp(input, eps, 1.0 - eps)
    return P.log(P.div(x, P.sub(1.0, x)))


def deg2rad(x):
    """MindSpore's ``ops.deg2rad(x)``."""
    return P.mul(x, 0.017453292519943295)


def rad2deg(x):
    """MindSpore's ``ops.rad2deg(x)``."""
    return P.mul(x, 57.29577951308232)


def logsigmoid(x):
    """MindSpore's ``ops.logsigmoid(x)``: ``-softplus(-x)``, without overflow."""
    return P.neg(P.softplus(P.neg(x)))


def softmin(x, axis=-1, *, dtype=None):
    """MindSpore's ``ops.softmin(x, axis=-1)``: ``softmax(-x, axis)``."""
    return P.softmax(P.neg(x), axis=axis)


def celu(x, alpha=1.0):
    """MindSpore's ``ops.celu(x, alpha=1.0)``: ``max(0, x) + min(0, alpha (exp(x / alpha) -
    1))``."""
    return P.where(P.greater(x, 0.0), x,
                   P.mul(P.expm1(P.div(_negative_part(x), alpha)), alpha))


def hardshrink(input, lambd=0.5):
    """MindSpore's ``ops.hardshrink(input, lambd=0.5)``: ``x`` where ``|x| > lambd``, else 0."""
    return P.where(P.greater(P.abs(input), lambd), input, 0.0)


def softshrink(input, lambd=0.5):
    """MindSpore's ``ops.softshrink(input, lambd=0.5)``: ``x - lambd`` above ``lambd``,
    ``x + lambd`` below ``-lambd``, else 0."""
    return P.where(P.greater(input, lambd), P.sub(input, lambd),
                   P.where(P.less(input, -lambd), P.add(input, lambd), 0.0))


def tanhshrink(input):
    """MindSpore's ``ops.tanhshrink(input)``: ``x - tanh(x)``."""
    return P.sub(input, P.tanh(input))


def threshold(input, thr, value):
    """MindSpore's ``ops.threshold(input, thr, value)``: ``x`` where ``x > thr``, else
    ``value``."""
    return P.where(P.greater(input, thr), input, value)


# ---------------------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------------------

def var(input, axis=None, ddof=0, keepdims=False):
    """MindSpore's ``ops.var(input, axis=None, ddof=0, keepdims=False)`` (``Tensor.var``):
    the variance over ``axis`` (None or ``()``: every axis) dividing by ``n - ddof``; a bool
    ``ddof`` is 1 (True, unbiased) or 0."""
    return P.var(input, _axis(axis), int(ddof), keepdims)


def std(input, axis=None, ddof=0, keepdims=False):
    """MindSpore's ``ops.std(input, axis=None, ddof=0, keepdims=False)``: ``sqrt(var)``."""
    return P.sqrt(var(input, axis, ddof, keepdims))


def std_mean(input, axis=None, ddof=0, keepdims=False):
    """MindSpore's ``ops.std_mean(input, axis=None, ddof=0, keepdims=False)``:
    ``(std, mean)``."""
    return (std(input, axis, ddof, keepdims),
            P.mean(input, axis=_axis(axis), keepdims=keepdims))


def var_mean(input, axis=None, ddof=0, keepdims=False):
    """MindSpore's ``ops.var_mean(input, axis=None, ddof=0, keepdims=False)``:
    ``(var, mean)``."""
    return (var(input, axis, ddof, keepdims),
            P.mean(input, axis=_axis(axis), keepdims=keepdims))


def _vector_norm(x, ord, axis, keepdim):
    if ord is None or ord == 2:
        return P.sqrt(P.sum(P.mul(x, x), axis=axis, keepdims=keepdim))
    if ord == float("inf"):
        return P.max(P.abs(x), axis=axis, keepdims=keepdim)
    if ord == float("-inf"):
        return P.min(P.abs(x), axis=axis, keepdims=keepdim)
    if ord == 0:
        return P.sum(P.cast_like(P.not_equal(x, 0.0), x), axis=axis, keepdims=keepdim)
    if ord == 1:
        return P.sum(P.abs(x), axis=axis, keepdims=keepdim)
    if isinstance(ord, str):
        raise ValueError("For 'norm', ord=%r needs a matrix: give dim as a pair of axes" % ord)
    return P.pow(P.sum(P.pow(P.abs(x), float(ord)), axis=axis, keepdims=keepdim), 1.0 / ord)


def _matrix_norm(x, ord, dim, keepdim):
    d0, d1 = dim
    if ord is None or ord == "fro":
        return P.sqrt(P.sum(P.mul(x, x), axis=(d0, d1), keepdims=keepdim))
    if ord in (1, -1, float("inf"), float("-inf")):
        inner, outer = (d0, d1) if ord in (1, -1) else (d1, d0)
        pick = P.max if ord > 0 else P.min
        out = pick(P.sum(P.abs(x), axis=inner, keepdims=True), axis=outer, keepdims=True)
        return out if keepdim else P.squeeze(out, axis=(d0, d1))
    raise ValueError("For 'norm', ord=%r over the axes %r is not supported here; give "
                     "dim=None on a 2-D input (spectral and nuclear norms), or ord in "
                     "(None, 'fro', 1, -1, inf, -inf)" % (ord, dim))


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """MindSpore's ``ops.norm(A, ord=None, dim=None, keepdim=False, *, dtype=None)`` (and
    ``Tensor.norm``).  ``dim=None, ord=None``: the 2-norm of every element; ``dim=None`` and
    an ``ord``: the vector norm of a 1-D input or the matrix norm of a 2-D one ('fro',
    'nuc', 1, -1, 2, -2, inf, -inf); ``dim`` an int: vector norms along it (ord a number,
    0 counts nonzeros); ``dim`` a pair: matrix norms over it (None, 'fro', 1, -1, inf,
    -inf).  Subgradients at kinks; ``dtype`` casts the result."""
    dim = tuple(dim) if isinstance(dim, list) else dim
    if dim is None and ord is None:
        out = P.sqrt(P.sum(P.mul(A, A), axis=None, keepdims=keepdim))
    elif dim is None:
        out = P.norm_whole(A, ord, keepdim)
    elif isinstance(dim, int) or len(dim) == 1:
        out = _vector_norm(A, ord, dim if isinstance(dim, int) else dim[0], keepdim)
    elif len(dim) == 2:
        out = _matrix_norm(A, ord, dim, keepdim)
    else:
        raise ValueError("For 'norm', dim must be None, an int or a pair of ints, got %r"
                         % (dim,))
    return out if dtype is None else P.astype(out, mstype.to_numpy(dtype))


def l2_normalize(x, axis=0, epsilon=1e-4):
    """MindSpore's ``ops.L2Normalize(axis, epsilon)(x)``:
    ``x / sqrt(max(sum(x ** 2, axis), epsilon))``."""
    sq = P.sum(P.mul(x, x), axis=_axis(axis), keepdims=True)
    return P.div(x, P.sqrt(P.where(P.greater(sq, epsilon), sq, epsilon)))


def cosine_similarity(x1, x2, dim=1, eps=1e-08):
    """MindSpore's ``ops.cosine_similarity(x1, x2, dim=1, eps=1e-08)``:
    ``sum(x1 x2) / max(|x1| |x2|, eps)`` along ``dim``."""
    dot = P.sum(P.mul(x1, x2), axis=dim)
    n1 = P.sqrt(P.sum(P.mul(x1, x1), axis=dim))
    n2 = P.sqrt(P.sum(P.mul(x2, x2), axis=dim))
    den = P.mul(n1, n2)
    return P.div(dot, P.where(P.greater(den, eps), den, eps))


def _safe_root(s, p):
    """``s ** (1 / p)`` with gradient 0 where ``s`` is 0 (a zero distance)."""
    pos = P.greater(s, 0.0)
    root = P.sqrt(P.where(pos, s, 1.0)) if p == 2 else P.pow(P.where(pos, s, 1.0), 1.0 / p)
    return P.where(pos, root, 0.0)


def _distances(diff, p):
    a = P.abs(diff)
    if p == float("inf"):
        return P.max(a, axis=-1)
    if p == 1:
        return P.sum(a, axis=-1)
    if p == 2:
        return _safe_root(P.sum(P.mul(diff, diff), axis=-1), 2)
    return _safe_root(P.sum(P.pow(a, float(p)), axis=-1), p)


def cdist(x1, x2, p=2.0):
    """MindSpore's ``ops.cdist(x1, x2, p=2.0)``: the p-norm distances between the rows of
    ``x1 ([B,] P, M)`` and of ``x2 ([B,] R, M)``, shaped ``([B,] P, R)``; the gradient at a
    zero distance is 0 (as MindSpore's)."""
    return _distances(P.sub(P.expand_dims(x1, -2), P.expand_dims(x2, -3)), p)


def pdist(input, p=2.0):
    """MindSpore's ``ops.pdist(input, p=2.0)``: the p-norm distances between the rows of
    ``input ([B,] N, M)``, pair ``(i, j)`` for ``i < j`` in row-major order."""
    full = cdist(input, input, p)
    rows, cols = P.getitem(P.triu_pairs(input), 0), P.getitem(P.triu_pairs(input), 1)
    return P.getitem(full, (Ellipsis, rows, cols))


def clip_by_value(x, clip_value_min=None, clip_value_max=None):
    """MindSpore's ``ops.clip_by_value(x, clip_value_min=None, clip_value_max=None)``; ``x``
    a Tensor, or a tuple or list of them (clipped each)."""
    if isinstance(x, (tuple, list)):
        return type(x)(_clamp(t, clip_value_min, clip_value_max) for t in x)
    return _clamp(x, clip_value_min, clip_value_max)


def clip_by_global_norm(x, clip_norm=1.0, use_norm=None):
    """MindSpore's ``ops.clip_by_global_norm(x, clip_norm=1.0, use_norm=None)``: each
    ``x_i * clip_norm / max(global_norm, clip_norm)``, with ``global_norm`` the 2-norm of all
    the Tensors of the tuple ``x`` together (or ``use_norm`` when given); a tuple back."""
    xs = tuple(x)
    if use_norm is None:
        total = P.sum(P.mul(xs[0], xs[0]))
        for t in xs[1:]:
            total = P.add(total, P.sum(P.mul(t, t)))
        use_norm = P.sqrt(total)
    scale = P.div(clip_norm, P.where(P.greater(use_norm, clip_norm), use_norm, clip_norm))
    return tuple(P.mul(t, scale) for t in xs)


def clip_by_norm(x, max_norm, norm_type=2.0, error_if_nonfinite=False):
    """MindSpore's ``ops.clip_by_norm(x, max_norm, norm_type=2.0, error_if_nonfinite=False)``:
    ``x`` (a Tensor, or a tuple or list of them taken together) scaled by
    ``min(max_norm / (total_norm + 1e-6), 1)``; ``error_if_nonfinite`` is not checked."""
    xs = tuple(x) if isinstance(x, (tuple, list)) else (x,)
    if norm_type == float("inf"):
        total = P.max(P.abs(xs[0]))
        for t in xs[1:]:
            total = P.maximum(total, P.max(P.abs(t)))
    else:
        total = P.sum(P.pow(P.abs(xs[0]), float(norm_type)))
        for t in xs[1:]:
            total = P.add(total, P.sum(P.pow(P.abs(t), float(norm_type))))
        total = P.pow(total, 1.0 / norm_type)
    coef = P.div(max_norm, P.add(total, 1e-6))
    coef = P.where(P.less(coef, 1.0), coef, 1.0)
    clipped = tuple(P.mul(t, coef) for t in xs)
    if isinstance(x, (tuple, list)):
        return type(x)(clipped)
    return clipped[0]


# ---------------------------------------------------------------------------------------
# linear algebra
# ---------------------------------------------------------------------------------------

def bmm(input_x, mat2):
    """MindSpore's ``ops.bmm(input_x, mat2)``: batched matrix products."""
    return P.matmul(input_x, mat2)


def _scaled(x, s):
    return x if (isinstance(s, (int, float)) and s == 1) else P.mul(x, s)


def baddbmm(input, batch1, batch2, beta=1, alpha=1):
    """MindSpore's ``ops.baddbmm(input, batch1, batch2, beta=1, alpha=1)``:
    ``beta * input + alpha * (batch1 @ batch2)``."""
    return P.add(_scaled(input, beta), _scaled(P.matmul(batch1, batch2), alpha))


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """MindSpore's ``ops.addmm(input, mat1, mat2, *, beta=1, alpha=1)``:
    ``beta * input + alpha * (mat1 @ mat2)``."""
    return P.add(_scaled(input, beta), _scaled(P.matmul(mat1, mat2), alpha))


def mv(mat, vec):
    """MindSpore's ``ops.mv(mat, vec)``: the matrix-vector product."""
    return P.matmul(mat, vec)


def outer(input, vec2):
    """MindSpore's ``ops.outer(input, vec2)``: ``input[:, None] * vec2[None, :]``."""
    return P.mul(P.reshape(input, (-1, 1)), vec2)


def trace(input):
    """MindSpore's ``ops.trace(input)``: the sum of the diagonal of a 2-D input."""
    return P.einsum1(input, "ii->")


def _tokens(sub: str) -> list:
    """Subscripts as tokens: each letter, and ``...`` as one."""
    out, i = [], 0
    while i < len(sub):
        if sub.startswith("...", i):
            out.append("...")
            i += 3
        else:
            out.append(sub[i])
            i += 1
    return out


def _parse_einsum(equation: str):
    eq = equation.replace(" ", "")
    if "->" in eq:
        lhs, out = eq.split("->")
    else:
        lhs = eq
        letters = lhs.replace("...", "").replace(",", "")
        out = ("..." if "..." in lhs else "") + "".join(
            sorted(c for c in set(letters) if letters.count(c) == 1))
    return lhs.split(","), out


def einsum(equation, *operands):
    """MindSpore's ``ops.einsum(equation, *operands)`` (operands also as one tuple or list):
    numpy's einsum, implicit or explicit, with ``...``.  Three or more operands are
    contracted left to right, two at a time, keeping the indices still needed; the gradient
    in each operand is an einsum of the output's gradient with the other operands."""
    if len(operands) == 1 and isinstance(operands[0], (tuple, list)):
        operands = tuple(operands[0])
    ins, out = _parse_einsum(equation)
    if len(ins) != len(operands):
        raise ValueError("For 'einsum', the equation %r names %d operands but %d were given"
                         % (equation, len(ins), len(operands)))
    if len(ins) == 1:
        return P.einsum1(operands[0], ins[0] + "->" + out)
    current, sub = operands[0], ins[0]
    for i in range(1, len(ins)):
        if i == len(ins) - 1:
            target = out
        else:
            later = set(_tokens(out)).union(*[_tokens(s) for s in ins[i + 1:]])
            target = "".join(dict.fromkeys(t for t in _tokens(sub) + _tokens(ins[i])
                                           if t in later))
        current = P.einsum2(current, operands[i], sub + "," + ins[i] + "->" + target)
        sub = target
    return current


def _einsum_tuple(equation, operands):
    return einsum(equation, *operands)


# ---------------------------------------------------------------------------------------
# one-hot and dropout with MindSpore 2.x's signatures
# ---------------------------------------------------------------------------------------

def ms_one_hot(indices, depth, on_value=1, off_value=0, axis=-1):
    """MindSpore's ``ops.one_hot(indices, depth, on_value=1, off_value=0, axis=-1)``:
    ``on_value`` at each index, ``off_value`` elsewhere, in their dtype (Python ints give
    int64, floats float32, Tensors their own), classes along ``axis``; no gradient."""
    return P.ms_one_hot(indices, depth, on_value, off_value, axis)


def ms_dropout(input, p=0.5, training=True, seed=None):
    """MindSpore 2.x's ``ops.dropout(input, p=0.5, training=True, seed=None)``: each element
    zeroed with probability ``p`` (the DROP probability, not keep_prob), the others scaled by
    ``1 / (1 - p)``; the input itself when ``training`` is False or ``p`` is 0.  ``seed`` is
    the op seed: under a global seed or an op seed the masks are MindSpore's own (each call
    a new op with the next op seeds: ``ms_random.FreshDropoutStream``); with neither, the
    dropout generator's (``kernels.seed_dropout``)."""
    if not training or p == 0:
        return input
    if not 0.0 <= p <= 1.0:
        raise ValueError("For 'dropout', p must be in [0, 1], got %r" % (p,))
    if p == 1:
        return P.mul(input, 0.0)
    stream = FreshDropoutStream(get_seed, seed)
    return P.mul(input, P.dropout_mask(input, keep_prob=1.0 - p, stream=stream))


# ---------------------------------------------------------------------------------------
# losses (MindSpore 2.10's functional forms)
# ---------------------------------------------------------------------------------------

def _class_loss(log_probs, target, weight, ignore_index, reduction, label_smoothing, op):
    if reduction not in _REDUCTIONS:
        _reduce(None, reduction, op)
    hot = P.target_dense(target, log_probs, ignore_index)
    wlogp = log_probs if weight is None else P.mul(log_probs,
                                                   P.reshape_along(weight, log_probs, 1))
    # the targets' log-probabilities selected (not multiplied out: a masked class of
    # log-probability -inf elsewhere would make 0 * -inf = nan)
    picked = P.where(P.greater(hot, 0.0), wlogp, 0.0)
    loss = P.neg(P.sum(P.mul(picked, hot), axis=1))
    if label_smoothing > 0.0:
        counted = P.target_weights(target, log_probs, ignore_index)  # 0 where ignored
        smooth = P.mul(P.neg(P.mean(wlogp, axis=1)), counted)
        loss = P.add(P.mul(loss, 1.0 - label_smoothing), P.mul(smooth, label_smoothing))
    if reduction == "mean":
        return P.div(P.sum(loss), P.sum(P.target_weights(target, log_probs, ignore_index,
                                                         weight)))
    return _reduce(loss, reduction, op)


def cross_entropy(input, target, weight=None, ignore_index=-100, reduction="mean",
                  label_smoothing=0.0):
    """MindSpore's ``ops.cross_entropy(input, target, weight=None, ignore_index=-100,
    reduction='mean', label_smoothing=0.0)``: ``input`` logits ``(N, C[, d1, ...])``;
    ``target`` class indices ``(N[, d1, ...])`` (ints) or class probabilities shaped like
    ``input``.  'mean' over class indices divides by the summed weight of the counted
    targets, over probabilities by the number of samples.  No gradient reaches ``target``."""
    return _class_loss(P.log_softmax(input, axis=1), target, weight, ignore_index, reduction,
                       label_smoothing, "cross_entropy")


def nll_loss(inputs, target, weight=None, ignore_index=-100, reduction="mean",
             label_smoothing=0.0):
    """MindSpore's ``ops.nll_loss(inputs, target, weight=None, ignore_index=-100,
    reduction='mean', label_smoothing=0.0)``: the negative log-likelihood of class-index
    ``target`` under log-probabilities ``inputs (N, C[, d1, ...])``."""
    return _class_loss(inputs, target, weight, ignore_index, reduction, label_smoothing,
                       "nll_loss")


def _weighted(x, weight):
    return x if weight is None else P.mul(x, weight)


def binary_cross_entropy(logits, labels, weight=None, reduction="mean"):
    """MindSpore's ``ops.binary_cross_entropy(logits, labels, weight=None, reduction='mean')``:
    ``-w (y log p + (1 - y) log(1 - p))`` of probabilities ``logits`` (each log at least
    -100, as MindSpore's kernel clamps it)."""
    log_p = P.maximum(P.log(logits), -100.0)
    log_q = P.maximum(P.log(P.sub(1.0, logits)), -100.0)
    loss = P.neg(P.add(P.mul(labels, log_p), P.mul(P.sub(1.0, labels), log_q)))
    return _reduce(_weighted(loss, weight), reduction, "binary_cross_entropy")


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None,
                                     reduction="mean"):
    """MindSpore's ``ops.binary_cross_entropy_with_logits(input, target, weight=None,
    pos_weight=None, reduction='mean')``:
    ``w (pos_weight y softplus(-x) + (1 - y) softplus(x))`` (no overflow)."""
    pos = P.softplus(P.neg(input))
    if pos_weight is not None:
        pos = P.mul(pos, pos_weight)
    loss = P.add(P.mul(target, pos), P.mul(P.sub(1.0, target), P.softplus(input)))
    return _reduce(_weighted(loss, weight), reduction, "binary_cross_entropy_with_logits")


def sigmoid_cross_entropy_with_logits(logits, label):
    """MindSpore's ``ops.SigmoidCrossEntropyWithLogits()(logits, label)``: the element-wise
    ``-(y log sigmoid(x) + (1 - y) log(1 - sigmoid(x)))``, not reduced."""
    return binary_cross_entropy_with_logits(logits, label, reduction="none")


def mse_loss(input, target, reduction="mean"):
    """MindSpore's ``ops.mse_loss(input, target, reduction='mean')``: ``(input - target)^2``."""
    return _reduce(squared_difference(input, target), reduction, "mse_loss")


def l1_loss(input, target, reduction="mean"):
    """MindSpore's ``ops.l1_loss(input, target, reduction='mean')``: ``|input - target|``."""
    return _reduce(P.abs(P.sub(input, target)), reduction, "l1_loss")


def smooth_l1_loss(input, target, beta=1.0, reduction="none"):
    """MindSpore's ``ops.smooth_l1_loss(input, target, beta=1.0, reduction='none')``:
    ``0.5 d^2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 beta``."""
    d = P.abs(P.sub(input, target))
    quadratic = P.div(P.mul(P.mul(d, d), 0.5), beta)
    loss = P.where(P.less(d, beta), quadratic, P.sub(d, 0.5 * beta))
    return _reduce(loss, reduction, "smooth_l1_loss")


def huber_loss(input, target, reduction="mean", delta=1.0):
    """MindSpore's ``ops.huber_loss(input, target, reduction='mean', delta=1.0)``:
    ``0.5 d^2`` where ``|d| < delta``, else ``delta (|d| - 0.5 delta)``."""
    d = P.abs(P.sub(input, target))
    loss = P.where(P.less(d, delta), P.mul(P.mul(d, d), 0.5),
                   P.mul(P.sub(d, 0.5 * delta), delta))
    return _reduce(loss, reduction, "huber_loss")


def kl_div(logits, labels, reduction="mean"):
    """MindSpore's ``ops.kl_div(logits, labels, reduction='mean')``: ``labels * (log(labels)
    - logits)`` (0 where ``labels`` is 0) of log-probabilities ``logits``; reductions 'mean',
    'sum', 'none' and 'batchmean' (the sum over the first axis's length); as in MindSpore,
    no gradient reaches ``labels``."""
    labels = P.stop_gradient(labels)  # MindSpore 2.10 gives the labels no gradient
    safe = P.where(P.greater(labels, 0.0), labels, 1.0)
    loss = P.mul(labels, P.sub(P.log(safe), logits))
    if reduction == "batchmean":
        return P.div(P.sum(loss), P.getitem(P.shape(logits), 0))
    return _reduce(loss, reduction, "kl_div")


# ---------------------------------------------------------------------------------------
# the rows
# ---------------------------------------------------------------------------------------

_U = "input"
_B = "input, other"

#: the rows (``op_table`` publishes them: ``ops``, Tensor methods, numpy bindings, classes).
OPS: tuple[Op, ...] = (
    # element-wise, smooth
    Op("tan", _U, ops=("tan",), methods=("tan",), numpy=(np.tan,), classes=("Tan",)),
    Op("arcsin", _U, ops=("asin", "arcsin"), methods=("asin", "arcsin"), numpy=(np.arcsin,),
       classes=("Asin",)),
    Op("arccos", _U, ops=("acos", "arccos"), methods=("acos", "arccos"), numpy=(np.arccos,),
       classes=("ACos",)),
    Op("arctan", _U, ops=("atan", "arctan"), methods=("atan", "arctan"), numpy=(np.arctan,),
       classes=("Atan",)),
    Op("sinh", _U, ops=("sinh",), methods=("sinh",), numpy=(np.sinh,), classes=("Sinh",)),
    Op("cosh", _U, ops=("cosh",), methods=("cosh",), numpy=(np.cosh,), classes=("Cosh",)),
    Op("arcsinh", _U, ops=("asinh", "arcsinh"), methods=("asinh", "arcsinh"),
       numpy=(np.arcsinh,), classes=("Asinh",)),
    Op("arccosh", _U, ops=("acosh", "arccosh"), methods=("acosh", "arccosh"),
       numpy=(np.arccosh,), classes=("Acosh",)),
    Op("arctanh", _U, ops=("atanh", "arctanh"), methods=("atanh", "arctanh"),
       numpy=(np.arctanh,), classes=("Atanh",)),
    Op("expm1", _U, ops=("expm1",), methods=("expm1",), numpy=(np.expm1,), classes=("Expm1",)),
    Op("log1p", "x", numpy=(np.log1p,), methods=("log1p",), classes=("Log1p",)),
    Op("arctan2", _B, ops=("atan2", "arctan2"), methods=("atan2", "arctan2"), numpy=(np.arctan2,),
       classes=("Atan2",)),
    Op("erf", "x", methods=("erf",), classes=("Erf",)),
    Op("sub", fn=erfc, ops=("erfc",), methods=("erfc",), classes=("Erfc",)),
    Op("log", fn=log2, ops=("log2",), methods=("log2",)),
    Op("log", fn=log10, ops=("log10",), methods=("log10",)),
    Op("div", fn=_m_rsqrt, methods=("rsqrt",), classes=("Rsqrt",)),
    Op("div", fn=_m_reciprocal, methods=("reciprocal",), classes=("Reciprocal",)),
    Op("sign", "x", methods=("sign",), classes=("Sign",)),
    Op("mul", fn=squared_difference, classes=("SquaredDifference",)),
    Op("add", fn=addn, ops=("addn",), classes=("AddN",)),
    # activations
    Op("erf", fn=gelu, ops=("gelu",)),
    Op("tanh", fn=_gelu_tanh, classes=("GeLU",)),
    Op("sigmoid", fn=fast_gelu, ops=("fast_gelu",), classes=("FastGeLU",)),
    Op("sigmoid", fn=silu, ops=("silu",)),
    Op("expm1", fn=elu, ops=("elu",)),
    Op("expm1", fn=selu, ops=("selu",), classes=("SeLU",)),
    Op("softplus", fn=mish, ops=("mish",), classes=("Mish",)),
    Op("where", fn=relu6, ops=("relu6",), classes=("ReLU6",)),
    Op("where", fn=hardtanh, ops=("hardtanh",)),
    Op("where", fn=hardswish, ops=("hardswish",), classes=("HSwish",)),
    Op("where", fn=hardsigmoid, ops=("hardsigmoid",), classes=("HSigmoid",)),
    Op("div", fn=softsign, ops=("softsign",), classes=("Softsign",)),
    Op("maximum", fn=leaky_relu, ops=("leaky_relu",)),
    Op("softmax", fn=_m_softmax, methods=("softmax",)),
    Op("log_softmax", fn=_m_log_softmax, methods=("log_softmax",)),
    Op("logsumexp", fn=_m_logsumexp, methods=("logsumexp",)),
    Op("where", fn=_m_clamp, methods=("clamp", "clip")),
    Op("where", fn=clip_by_value, ops=("clip_by_value",)),
    Op("mul", fn=clip_by_global_norm, ops=("clip_by_global_norm",)),
    Op("log", fn=xlogy, ops=("xlogy",), methods=("xlogy",), classes=("Xlogy",)),
    Op("add", fn=lerp, ops=("lerp",), methods=("lerp",), classes=("Lerp",)),
    Op("sqrt", fn=hypot, ops=("hypot",), methods=("hypot",), classes=("Hypot",)),
    Op("log", fn=logit, ops=("logit",), methods=("logit",)),
    Op("mul", fn=deg2rad, ops=("deg2rad",), methods=("deg2rad",)),
    Op("mul", fn=rad2deg, ops=("rad2deg",), methods=("rad2deg",)),
    Op("softplus", fn=logsigmoid, ops=("logsigmoid",)),
    Op("softmax", fn=softmin, ops=("softmin",)),
    Op("expm1", fn=celu, ops=("celu",)),
    Op("where", fn=hardshrink, ops=("hardshrink",)),
    Op("where", fn=softshrink, ops=("softshrink",)),
    Op("tanh", fn=tanhshrink, ops=("tanhshrink",)),
    Op("where", fn=threshold, ops=("threshold",)),
    Op("mul", fn=clip_by_norm, ops=("clip_by_norm",)),
    Op("sqrt", fn=std_mean, ops=("std_mean",)),
    Op("var", fn=var_mean, ops=("var_mean",)),
    Op("einsum1", fn=trace, ops=("trace",), methods=("trace",), classes=("Trace",)),
    # no gradient: rounding, predicates, comparisons
    Op("floor", _U, ops=("floor",), methods=("floor",), numpy=(np.floor,), classes=("Floor",)),
    Op("ceil", _U, ops=("ceil",), methods=("ceil",), numpy=(np.ceil,), classes=("Ceil",)),
    Op("trunc", _U, ops=("trunc",), methods=("trunc",), numpy=(np.trunc,)),
    Op("round", fn=round_, ops=("round",)),
    Op("round", fn=_m_round, methods=("round",)),
    Op("round", "x", classes=("Round",)),
    Op("isnan", _U, ops=("isnan",), methods=("isnan",), numpy=(np.isnan,), classes=("IsNan",)),
    Op("isinf", _U, ops=("isinf",), methods=("isinf",), numpy=(np.isinf,), classes=("IsInf",)),
    Op("isfinite", _U, ops=("isfinite",), methods=("isfinite",), numpy=(np.isfinite,),
       classes=("IsFinite",)),
    Op("isfinite", fn=float_status, classes=("FloatStatus",)),
    Op("isclose", "input, other, rtol=1e-05, atol=1e-08, equal_nan=False", ops=("isclose",),
       methods=("isclose",)),
    Op("logical_and", _B, ops=("logical_and",), methods=("logical_and",),
       numpy=(np.logical_and,), classes=("LogicalAnd",)),
    Op("logical_or", _B, ops=("logical_or",), methods=("logical_or",),
       numpy=(np.logical_or,), classes=("LogicalOr",)),
    Op("logical_xor", _B, ops=("logical_xor",), methods=("logical_xor",),
       numpy=(np.logical_xor,), classes=("LogicalXor",)),
    Op("logical_not", _U, ops=("logical_not",), methods=("logical_not",),
       numpy=(np.logical_not,), classes=("LogicalNot",)),
    Op("all", "input, axis=None, keep_dims=False", ops=("all",), methods=("all",)),
    Op("any", "input, axis=None, keep_dims=False", ops=("any",), methods=("any",)),
    Op("equal", _B, ops=("eq", "equal"), methods=("eq",), numpy=(np.equal,),
       classes=("Equal",)),
    Op("not_equal", _B, ops=("ne", "not_equal"), methods=("ne",), numpy=(np.not_equal,),
       classes=("NotEqual",)),
    Op("greater", _B, ops=("gt", "greater"), methods=("gt",), numpy=(np.greater,),
       classes=("Greater",)),
    Op("greater_equal", _B, ops=("ge", "greater_equal"), methods=("ge",),
       numpy=(np.greater_equal,), classes=("GreaterEqual",)),
    Op("less", _B, ops=("lt", "less"), methods=("lt",), numpy=(np.less,), classes=("Less",)),
    Op("less_equal", _B, ops=("le", "less_equal"), methods=("le",), numpy=(np.less_equal,),
       classes=("LessEqual",)),
    Op("floordiv", "x, y", ops=("floor_div",), classes=("FloorDiv",)),
    Op("floordiv", _B, ops=("floor_divide",), numpy=(np.floor_divide,)),
    Op("mod", fn=remainder, ops=("remainder",), methods=("remainder",), classes=("FloorMod",)),
    Op("fmod", fn=fmod, ops=("fmod",), methods=("fmod",), numpy=(np.fmod,), classes=("Mod",)),
    # reductions
    Op("var", fn=var, ops=("var",), methods=("var",)),
    Op("sqrt", fn=std, ops=("std",), methods=("std",)),
    Op("norm_whole", fn=norm, ops=("norm",), methods=("norm",)),
    Op("div", fn=cosine_similarity, ops=("cosine_similarity",)),
    Op("sub", fn=cdist, ops=("cdist",)),
    Op("sub", fn=pdist, ops=("pdist",)),
    # linear algebra
    Op("matmul", fn=bmm, ops=("bmm",)),
    Op("matmul", fn=baddbmm, ops=("baddbmm",)),
    Op("matmul", fn=addmm, ops=("addmm",), methods=("addmm",)),
    Op("matmul", fn=mv, ops=("mv",)),
    Op("mul", fn=outer, ops=("outer",)),
    Op("einsum2", fn=einsum, ops=("einsum",)),
    # losses
    Op("log_softmax", fn=cross_entropy, ops=("cross_entropy",)),
    Op("target_dense", fn=nll_loss, ops=("nll_loss",)),
    Op("log", fn=binary_cross_entropy, ops=("binary_cross_entropy",)),
    Op("softplus", fn=binary_cross_entropy_with_logits,
       ops=("binary_cross_entropy_with_logits",)),
    Op("softplus", fn=sigmoid_cross_entropy_with_logits,
       classes=("SigmoidCrossEntropyWithLogits",)),
    Op("softplus", "x", classes=("Softplus",)),
    Op("mul", fn=mse_loss, ops=("mse_loss",)),
    Op("abs", fn=l1_loss, ops=("l1_loss",)),
    Op("where", fn=smooth_l1_loss, ops=("smooth_l1_loss",)),
    Op("where", fn=huber_loss, ops=("huber_loss",)),
    Op("log", fn=kl_div, ops=("kl_div",)),
)
