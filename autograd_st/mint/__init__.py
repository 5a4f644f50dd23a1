"""``mindspore.mint``: MindSpore's PyTorch-style namespace (``input``, ``dim``, ``keepdim``),
so that ``from mindspore import mint`` scripts run as ``from autograd_st import mint``.

Takes: the functional ops of :mod:`autograd_st.ops` (op-table rows over the primitives) and
:data:`~autograd_st.prims.P`.  Gives: the functions of ``mindspore.mint`` (MindSpore 2.10)
and its submodules ``mint.nn`` (layers and losses, ``mint.nn.functional``), ``mint.optim``
(``SGD``, ``Adam``, ``AdamW``), ``mint.linalg`` and ``mint.special``.

Each function is an op of :mod:`autograd_st.ops` under mint's name, or a thin adapter marked
:func:`~autograd_st.prims.bindable`: it runs eagerly on Tensors and, inside differentiated
code (``construct`` under ``value_and_grad``, a function under ``ops.grad``), the compiler
calls it with its runtime values so that it emits the primitives it is written with, to
every order.  The few adapters that read a shape (``hstack``, ``dstack``) are plain
functions, compiled as callees.

Signatures were measured in MindSpore 2.10 (``inspect.signature``; its CPU build lacks the
kernels of many mint ops, where PyTorch's definition, which mint follows, is used):
``mint.max(x)`` is the value, ``mint.max(x, dim, keepdim=False)`` is ``(values,
indices)``, ``mint.max(x, other)`` is ``maximum``; ``mint.squeeze(input, dim)`` needs its
``dim``; ``mint.std``/``mint.var`` take ``correction`` (default 1, keyword-only);
``mint.meshgrid`` defaults to ``indexing='ij'``; indices (``sort``, ``topk``, ``argsort``,
``argmin``, ``argmax``, ``max``/``min`` with a ``dim``) are int64.

The random samplers (``rand``, ``randn``, ``randint``, ``randperm``, ``normal``,
``multinomial``, ``bernoulli`` and the ``*_like`` forms) draw from
``(generator or default_generator).numpy_generator()`` (see :mod:`._sampling`): MindSpore
2.10's CPU build has no kernel for any of them, so shapes, dtypes, ranges and
reproducibility follow its documentation (the numbers cannot be MindSpore's).

Not here (a primitive autograd_st lacks): :data:`MISSING` (``polar`` needs complex Tensors).
"""
from __future__ import annotations

import numpy as np

from .. import dtype as mstype
from .. import ops
from ..errors import UnsupportedSyntaxError
from ..prims import P, bindable
from ..tensor import Tensor  # noqa: F401  (mint.Tensor)
from . import _sampling, linalg, nn, optim, special  # noqa: F401  (the submodules)
from .nn import functional

#: mint's names that need a primitive autograd_st does not have yet (``polar``: complex
#: Tensors; the ``batch_norm_*`` statistics kernels, ``conv_tbc`` and ``addr_``).
MISSING = ("polar", "batch_norm_elemt", "batch_norm_gather_stats_with_counts",
           "batch_norm_stats", "conv_tbc", "addr_")

_INT64 = mstype.int64


def _axis(dim):
    """mint's ``dim``: a list is a tuple; None or ``()``: every axis."""
    if isinstance(dim, list):
        dim = tuple(dim)
    if isinstance(dim, tuple) and not dim:
        return None
    return dim


def _cast(out, dtype):
    return out if dtype is None else ops.cast(out, dtype)


# ---------------------------------------------------------------------------------------
# the ops whose signature mint shares (measured), by name
# ---------------------------------------------------------------------------------------

_SAME = ("abs", "acos", "acosh", "addbmm", "addmm", "addmv", "arccos", "arccosh", "arcsinh",
         "arctan", "arctan2", "arctanh", "asin", "asinh", "atan", "atan2", "atanh",
         "baddbmm", "broadcast_to", "ceil", "cos", "cosh", "cross", "cumprod", "dot",
         "einsum", "equal", "erf", "erfc", "exp", "exp2", "expm1", "eye", "flip",
         "float_power", "floor", "full_like", "greater", "gt", "isclose",
         "isfinite", "isinf", "isneginf", "le", "less_equal", "log", "log10", "log1p",
         "log2", "logaddexp", "logaddexp2", "logical_and", "logical_not", "logical_or",
         "logical_xor", "logsumexp", "masked_select", "matmul", "maximum", "minimum", "mm",
         "nan_to_num", "ne", "neg", "negative", "not_equal", "ones_like", "outer", "pow",
         "ravel", "reciprocal", "roll", "round", "rsqrt", "sigmoid", "sign", "sin", "sinc",
         "sinh", "sqrt", "square", "sum", "swapaxes", "take", "tan", "tanh", "tile", "trace",
         "tril", "triu", "trunc", "unbind", "zeros_like", "arange", "mul", "eq", "ge", "lt",
         "less", "greater_equal", "floor_divide", "fmod", "remainder", "lerp", "xlogy",
         "where", "t", "frac", "constexpr")
globals().update({name: getattr(ops, name) for name in _SAME})
globals().update({name: getattr(_sampling, name) for name in _sampling.__all__})
arcsin = ops.arcsin
clamp = ops.clamp
clip = ops.clamp


# ---------------------------------------------------------------------------------------
# arithmetic
# ---------------------------------------------------------------------------------------

@bindable
def add(input, other, *, alpha=1):
    """``mint.add(input, other, *, alpha=1)``: ``input + alpha * other``."""
    return ops.add(input, other if _is_one(alpha) else ops.mul(other, alpha))


@bindable
def sub(input, other, *, alpha=1):
    """``mint.sub(input, other, *, alpha=1)``: ``input - alpha * other``."""
    return ops.sub(input, other if _is_one(alpha) else ops.mul(other, alpha))


def _is_one(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and value == 1


@bindable
def div(input, other, *, rounding_mode=None):
    """``mint.div(input, other, *, rounding_mode=None)``: true division; ``'floor'``
    rounds the quotient down, ``'trunc'`` toward zero (measured in MindSpore 2.10)."""
    if rounding_mode not in (None, "floor", "trunc"):
        raise ValueError("For 'div', rounding_mode must be None, 'floor' or 'trunc', but got "
                         "%r" % (rounding_mode,))
    out = ops.div(input, other)
    if rounding_mode == "floor":
        return ops.floor(out)
    if rounding_mode == "trunc":
        return ops.trunc(out)
    return out


divide = div


@bindable
def addcmul(input, tensor1, tensor2, *, value=1):
    """``mint.addcmul(input, tensor1, tensor2, *, value=1)``: ``input + value * t1 * t2``."""
    return ops.addcmul(input, tensor1, tensor2, value)


@bindable
def addcdiv(input, tensor1, tensor2, *, value=1):
    """``mint.addcdiv(input, tensor1, tensor2, *, value=1)``: ``input + value * t1 / t2``."""
    return ops.addcdiv(input, tensor1, tensor2, value)


@bindable
def fix(input):
    """``mint.fix(input)``: rounded toward zero (``trunc``)."""
    return ops.trunc(input)


@bindable
def isnan(tensor):
    """``mint.isnan(tensor)``."""
    return ops.isnan(tensor)


@bindable
def real(input):
    """``mint.real(input)`` of a real Tensor: the Tensor itself (complex dtypes are not
    supported here)."""
    return input


@bindable
def vdot(input, other):
    """``mint.vdot(input, other)`` of real 1-D Tensors: ``sum(input * other)``."""
    return ops.sum(ops.mul(input, other))


@bindable
def clone(input):
    """``mint.clone(input)``: a copy (its gradient flows to ``input``)."""
    return P.copy(input)


# ---------------------------------------------------------------------------------------
# reductions
# ---------------------------------------------------------------------------------------

def _reduce_with_index(input, dim, keepdim, whole, with_index, pair):
    if dim is None:
        return whole(input)
    if isinstance(dim, (int, np.integer)) and not isinstance(dim, bool):
        values, indices = with_index(input, dim, keepdim)
        return values, ops.cast(indices, _INT64)
    return pair(input, dim)  # mint.max(input, other)


@bindable
def max(input, dim=None, keepdim=False):
    """``mint.max(input)``: the largest value (0-D); ``mint.max(input, dim,
    keepdim=False)``: ``(values, indices)`` along ``dim`` (indices int64);
    ``mint.max(input, other)``: the element-wise ``maximum``."""
    return _reduce_with_index(input, dim, keepdim, ops.amax, ops.max, ops.maximum)


@bindable
def min(input, dim=None, keepdim=False):
    """``mint.min``: as :func:`max` with the smallest value, ``(values, indices)`` or the
    element-wise ``minimum``."""
    return _reduce_with_index(input, dim, keepdim, ops.amin, ops.min, ops.minimum)


@bindable
def amax(input, dim=(), keepdim=False):
    """``mint.amax(input, dim=(), keepdim=False)``: the maximum over ``dim`` (``()``:
    every axis), values only."""
    return ops.amax(input, _axis(dim), keepdim)


@bindable
def amin(input, dim=(), keepdim=False):
    """``mint.amin(input, dim=(), keepdim=False)``: the minimum over ``dim``."""
    return ops.amin(input, _axis(dim), keepdim)


@bindable
def mean(input, dim=None, keepdim=False, *, dtype=None):
    """``mint.mean(input, dim=None, keepdim=False, *, dtype=None)``."""
    return ops.mean(_cast(input, dtype), _axis(dim), keepdim)


@bindable
def prod(input, dim=None, keepdim=False, *, dtype=None):
    """``mint.prod(input, dim=None, keepdim=False, *, dtype=None)``."""
    return _cast(ops.prod(input, _axis(dim), keepdim), dtype)


@bindable
def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """``mint.nansum(input, dim=None, keepdim=False, *, dtype=None)``: NaNs count as 0."""
    return ops.nansum(input, _axis(dim), keepdim, dtype=dtype)


@bindable
def all(input, dim=None, keepdim=False):
    """``mint.all(input, dim=None, keepdim=False)``."""
    return ops.all(input, _axis(dim), keepdim)


@bindable
def any(input, dim=None, keepdim=False):
    """``mint.any(input, dim=None, keepdim=False)``."""
    return ops.any(input, _axis(dim), keepdim)


@bindable
def argmax(input, dim=None, keepdim=False):
    """``mint.argmax(input, dim=None, keepdim=False)``: int64 indices (``dim=None``: of
    the flattened input)."""
    return ops.cast(ops.argmax(input, dim, keepdim), _INT64)


@bindable
def argmin(input, dim=None, keepdim=False):
    """``mint.argmin(input, dim=None, keepdim=False)``: int64 indices."""
    if dim is None:
        return ops.cast(ops.argmin(ops.reshape(input, (-1,)), 0, keepdim), _INT64)
    return ops.cast(ops.argmin(input, dim, keepdim), _INT64)


@bindable
def count_nonzero(input, dim=None):
    """``mint.count_nonzero(input, dim=None)``: int64 counts."""
    return ops.count_nonzero(input, () if dim is None else dim, False, _INT64)


@bindable
def var(input, dim=None, *, correction=1, keepdim=False):
    """``mint.var(input, dim=None, *, correction=1, keepdim=False)``: the variance with
    ``n - correction`` in the denominator."""
    return ops.var(input, _axis(dim), correction, keepdim)


@bindable
def std(input, dim=None, *, correction=1, keepdim=False):
    """``mint.std(input, dim=None, *, correction=1, keepdim=False)``."""
    return ops.std(input, _axis(dim), correction, keepdim)


@bindable
def var_mean(input, dim=None, *, correction=1, keepdim=False):
    """``mint.var_mean``: ``(var, mean)``."""
    return ops.var_mean(input, _axis(dim), correction, keepdim)


@bindable
def std_mean(input, dim=None, *, correction=1, keepdim=False):
    """``mint.std_mean``: ``(std, mean)``."""
    return ops.std_mean(input, _axis(dim), correction, keepdim)


@bindable
def cumsum(input, dim, dtype=None):
    """``mint.cumsum(input, dim, dtype=None)``."""
    return ops.cumsum(input, dim, dtype)


@bindable
def diff(input, n=1, dim=-1, prepend=None, append=None):
    """``mint.diff(input, n=1, dim=-1, prepend=None, append=None)``."""
    return ops.diff(input, n, dim, prepend, append)


@bindable
def softmax(input, dim, *, dtype=None):
    """``mint.softmax(input, dim, *, dtype=None)`` (``dtype``: the input cast first)."""
    return ops.softmax(_cast(input, dtype), dim)


@bindable
def norm(input, p="fro", dim=None, keepdim=False, *, dtype=None):
    """``mint.norm(input, p='fro', dim=None, keepdim=False, *, dtype=None)``: the vector
    ``p``-norm over ``dim`` (None: every element; ``'fro'`` is ``p=2``); ``p`` may be
    ``inf``, ``-inf``, 0 or any number."""
    return linalg.vector_norm(input, 2 if p == "fro" else p, dim, keepdim, dtype=dtype)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``mint.allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False)``: whether
    every element is close, a Python bool (as MindSpore's)."""
    return bool(ops.all(ops.isclose(input, other, rtol, atol, equal_nan)))


# ---------------------------------------------------------------------------------------
# shapes, joining, indexing
# ---------------------------------------------------------------------------------------

@bindable
def reshape(input, shape):
    """``mint.reshape(input, shape)``."""
    return ops.reshape(input, shape)


@bindable
def flatten(input, start_dim=0, end_dim=-1):
    """``mint.flatten(input, start_dim=0, end_dim=-1)`` (a 0-D input: 1-D)."""
    return functional.flatten(input, start_dim, end_dim)


@bindable
def squeeze(input, dim):
    """``mint.squeeze(input, dim)``: ``dim`` (an int or a tuple) is required, as in
    MindSpore 2.10; an axis not of length 1 stays."""
    return ops.squeeze(input, tuple(dim) if isinstance(dim, list) else dim)


@bindable
def unsqueeze(input, dim):
    """``mint.unsqueeze(input, dim)``."""
    return ops.unsqueeze(input, dim)


@bindable
def permute(input, dims):
    """``mint.permute(input, dims)``."""
    return ops.permute(input, tuple(dims))


@bindable
def transpose(input, dim0, dim1):
    """``mint.transpose(input, dim0, dim1)``: two axes swapped."""
    return ops.swapaxes(input, dim0, dim1)


@bindable
def cat(tensors, dim=0):
    """``mint.cat(tensors, dim=0)``."""
    return ops.cat(tensors, dim)


concat = cat


@bindable
def stack(tensors, dim=0):
    """``mint.stack(tensors, dim=0)``."""
    return ops.stack(tensors, dim)


def hstack(tensors):
    """``mint.hstack(tensors)``: joined along axis 1 (1-D Tensors: axis 0)."""
    if tensors[0].ndim == 1:
        return ops.cat(tensors, 0)
    return ops.cat(tensors, 1)


def dstack(tensors):
    """``mint.dstack(tensors)``: joined along axis 2, 1-D ``(n,)`` read as ``(1, n, 1)`` and
    2-D ``(m, n)`` as ``(m, n, 1)``."""
    parts = []
    for t in tensors:
        if t.ndim == 1:
            t = ops.reshape(t, (1, -1, 1))
        elif t.ndim == 2:
            t = ops.expand_dims(t, 2)
        parts.append(t)
    return ops.cat(parts, 2)


@bindable
def split(tensor, split_size_or_sections, dim=0):
    """``mint.split(tensor, split_size_or_sections, dim=0)``: pieces of
    ``split_size_or_sections`` along ``dim`` (the last one shorter), or of the listed
    sizes; a tuple."""
    return ops.split(tensor, split_size_or_sections, dim)


@bindable
def chunk(input, chunks, dim=0):
    """``mint.chunk(input, chunks, dim=0)``."""
    return ops.chunk(input, chunks, dim)


@bindable
def narrow(input, dim, start, length):
    """``mint.narrow(input, dim, start, length)``."""
    return ops.narrow(input, dim, start, length)


@bindable
def select(input, dim, index):
    """``mint.select(input, dim, index)``: the slice at ``index`` along ``dim``, that axis
    removed."""
    return P.take(input, index, dim)


@bindable
def gather(input, dim, index):
    """``mint.gather(input, dim, index)``: ``out[i][j] = input[i][index[i][j]]`` along
    ``dim`` (PyTorch's gather; ``index`` may be smaller in the other axes)."""
    return ops.gather_elements(input, dim, index)


@bindable
def index_select(input, dim, index):
    """``mint.index_select(input, dim, index)``."""
    return ops.index_select(input, dim, index)


@bindable
def scatter(input, dim, index, src):
    """``mint.scatter(input, dim, index, src)``: ``src`` written at ``index`` along
    ``dim``."""
    return ops.scatter(input, dim, index, src)


@bindable
def scatter_add(input, dim, index, src):
    """``mint.scatter_add(input, dim, index, src)``: ``src`` added at ``index`` along
    ``dim`` (repeated indices accumulate); here ``src`` must have ``index``'s shape."""
    return ops.add(input, P.untake_along(src, input, index, dim))


@bindable
def index_add(input, dim, index, source, *, alpha=1):
    """``mint.index_add(input, dim, index, source, *, alpha=1)``: ``alpha * source`` added
    into the slices ``index`` (1-D) of ``input`` along ``dim``."""
    if not _is_one(alpha):
        source = ops.mul(source, alpha)
    return ops.add(input, P.untake(source, input, index, dim))


@bindable
def sort(input, *, dim=-1, descending=False, stable=False):
    """``mint.sort(input, *, dim=-1, descending=False, stable=False)``: ``(values,
    indices)``, indices int64 (numpy's sort is stable)."""
    values, indices = ops.sort(input, dim, descending)
    return values, ops.cast(indices, _INT64)


@bindable
def argsort(input, dim=-1, descending=False, stable=False):
    """``mint.argsort(input, dim=-1, descending=False, stable=False)``: int64."""
    return ops.cast(ops.argsort(input, dim, descending), _INT64)


@bindable
def topk(input, k, dim=-1, largest=True, sorted=True):
    """``mint.topk(input, k, dim=-1, largest=True, sorted=True)``: ``(values, indices)``,
    indices int64."""
    values, indices = ops.topk(input, k, dim, largest, sorted)
    return values, ops.cast(indices, _INT64)


@bindable
def repeat_interleave(input, repeats, dim=None, *, output_size=None):
    """``mint.repeat_interleave(input, repeats, dim=None, *, output_size=None)`` (``dim``
    None: of the flattened input)."""
    return ops.repeat_interleave(input, repeats, dim)


@bindable
def meshgrid(*tensors, indexing=None):
    """``mint.meshgrid(*tensors, indexing=None)``: ``indexing`` defaults to ``'ij'``
    (measured)."""
    if len(tensors) == 1 and isinstance(tensors[0], (tuple, list)):
        tensors = tuple(tensors[0])
    return ops.meshgrid(*tensors, indexing="ij" if indexing is None else indexing)


# ---------------------------------------------------------------------------------------
# matrix products, distances
# ---------------------------------------------------------------------------------------

@bindable
def bmm(input, mat2):
    """``mint.bmm(input, mat2)``: batched ``(b, n, m) @ (b, m, p)``."""
    return ops.bmm(input, mat2)


@bindable
def mv(input, vec):
    """``mint.mv(input, vec)``: matrix times vector."""
    return ops.mv(input, vec)


@bindable
def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """``mint.cdist(x1, x2, p=2.0, compute_mode=...)``: ``p``-norm distances between rows
    (``compute_mode`` is accepted and not used)."""
    return ops.cdist(x1, x2, p)


@bindable
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """``mint.conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1,
    groups=1)``: ``padding`` an int, ``(h, w)``, or ``'valid'``/``'same'``."""
    if isinstance(padding, str):
        return ops.conv2d(input, weight, bias, stride, padding, 0, dilation, groups)
    return ops.conv2d(input, weight, bias, stride, "pad", padding, dilation, groups)


# ---------------------------------------------------------------------------------------
# bitwise, cumulative, order statistics, index results (MindSpore 2.10's CPU build has the
# kernels of bitwise_and, cummax, erfinv, gcd, imag, nonzero, searchsorted and
# unique_consecutive, measured; the others follow PyTorch's definition, which mint documents)
# ---------------------------------------------------------------------------------------

@bindable
def bitwise_and(input, other):
    """``mint.bitwise_and(input, other)`` of integer or bool Tensors (``other`` may be a
    number)."""
    return ops.bitwise_and(input, other)


@bindable
def bitwise_or(input, other):
    """``mint.bitwise_or(input, other)``."""
    return ops.bitwise_or(input, other)


@bindable
def bitwise_xor(input, other):
    """``mint.bitwise_xor(input, other)``."""
    return ops.bitwise_xor(input, other)


@bindable
def bitwise_not(input):
    """``mint.bitwise_not(input)``: ``~input`` (a bool Tensor: logical not)."""
    return ops.invert(input)


@bindable
def cummax(input, dim):
    """``mint.cummax(input, dim)``: ``(values, indices)`` of the running maximum along
    ``dim``, indices int64 (ties: the later index)."""
    values, indices = ops.cummax(input, dim)
    return values, ops.cast(indices, _INT64)


@bindable
def cummin(input, dim):
    """``mint.cummin(input, dim)``: ``(values, indices)`` of the running minimum, indices
    int64 (``ops.cummin``'s are int32)."""
    values, indices = ops.cummin(input, dim)
    return values, ops.cast(indices, _INT64)


def diag(input, diagonal=0):
    """``mint.diag(input, diagonal=0)``: a 1-D input on the ``diagonal``-th diagonal of a
    square matrix; of a 2-D input its ``diagonal``-th diagonal (1-D).  (``ops.diag`` is
    TensorFlow's tensor_diag.)  A plain function (it reads ``input.ndim``), compiled as a
    callee."""
    if input.ndim == 1:
        return ops.diagflat(input, diagonal)
    return ops.diagonal(input, diagonal)


@bindable
def erfinv(input):
    """``mint.erfinv(input)``: the inverse error function."""
    return ops.erfinv(input)


@bindable
def gcd(input, other):
    """``mint.gcd(input, other)``: the element-wise greatest common divisor (integers)."""
    return ops.gcd(input, other)


@bindable
def imag(input):
    """``mint.imag(input)`` of a real Tensor: zeros of its shape and dtype (measured;
    complex Tensors are not supported here)."""
    return ops.imag(input)


@bindable
def inverse(input):
    """``mint.inverse(input)``: the inverse of each square matrix (the last two axes)."""
    return ops.inverse(input)


@bindable
def kthvalue(input, k, dim=-1, keepdim=False):
    """``mint.kthvalue(input, k, dim=-1, keepdim=False)``: ``(values, indices)`` of the
    ``k``-th smallest element along ``dim`` (1-based), indices int64."""
    idx = P.order_index(input, "kth", dim, int(k))
    values = P.take_along(input, idx, dim)
    if not keepdim:
        values, idx = P.squeeze(values, dim), P.squeeze(idx, dim)
    return values, ops.cast(idx, _INT64)


@bindable
def median(input, dim=None, keepdim=False):
    """``mint.median(input)``: the lower median of all elements (0-D);
    ``mint.median(input, dim, keepdim=False)``: ``(values, indices)`` of the lower median
    along ``dim``, indices int64."""
    if dim is None:
        return ops.median(ops.reshape(input, (-1,)), 0)[0]
    values, indices = ops.median(input, dim, keepdim)
    return values, ops.cast(indices, _INT64)


@bindable
def nonzero(input, *, as_tuple=False):
    """``mint.nonzero(input, *, as_tuple=False)``: the int64 coordinates (N, ndim) of the
    nonzero entries; ``as_tuple=True``: one 1-D int64 Tensor per axis."""
    return ops.nonzero(input, as_tuple=as_tuple)


@bindable
def searchsorted(sorted_sequence, values, *, out_int32=False, right=False, side=None,
                 sorter=None):
    """``mint.searchsorted(sorted_sequence, values, *, out_int32=False, right=False,
    side=None, sorter=None)``: int64 insertion indices (``out_int32``: int32)."""
    return ops.searchsorted(sorted_sequence, values, out_int32=out_int32, right=right,
                            side=side, sorter=sorter)


def bincount(input, weights=None, minlength=0):
    """``mint.bincount(input, weights=None, minlength=0)``: how often each value of the
    1-D non-negative int ``input`` occurs, int64 (with ``weights``: their sums, float32 for
    float32 weights, else float64, PyTorch's rule).  A plain function (it reads the
    weights' dtype), compiled as a callee."""
    out = ops.bincount(input, weights, minlength)
    if weights is None:
        return ops.cast(out, _INT64)
    if weights.dtype == mstype.float32:
        return ops.cast(out, mstype.float32)
    return ops.cast(out, mstype.float64)


@bindable
def histc(input, bins=100, min=0, max=0):
    """``mint.histc(input, bins=100, min=0, max=0)``: counts of ``bins`` equal bins over
    ``[min, max]`` (both 0: the data's range), in ``input``'s dtype."""
    return ops.histc(input, bins, float(min), float(max))


@bindable
def triangular_solve(b, A, upper=True, transpose=False, unitriangular=False):
    """``mint.triangular_solve(b, A, upper=True, transpose=False, unitriangular=False)``:
    ``(X, A)`` with ``T X = b`` for ``T`` the upper (lower) triangle of ``A``, transposed
    with ``transpose``, with a unit diagonal with ``unitriangular``.  Differentiable in
    ``b`` and ``A``."""
    tri = P.triu(A) if upper else P.tril(A)
    if unitriangular:
        tri = P.add(P.sub(tri, P.diag_scatter(P.diagonal(tri, 0, -2, -1), tri, 0, -2, -1)),
                    P.eye_like(tri))
    if transpose:
        tri = P.swapaxes(tri, -1, -2)
    return P.solve(tri, b), A


@bindable
def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """``mint.unique(input, sorted=True, return_inverse=False, return_counts=False,
    dim=None)``: the distinct values of the flattened input (ascending; ``sorted=False``:
    in the order they first appear), then, when asked for, the int64 index of each entry's
    value (shaped as ``input``) and the int64 counts.  ``dim`` other than None is refused."""
    if dim is not None:
        raise UnsupportedSyntaxError(
            "mint.unique: dim=%r is not supported here (unique slices along an axis); pass "
            "dim=None (the distinct values of the flattened input)" % (dim,))
    base = 3 if sorted else 0
    out = [P.unique(input, base)]
    if return_inverse:
        out.append(P.unique(input, base + 1, "int64"))
    if return_counts:
        out.append(P.unique(input, base + 2, "int64"))
    return out[0] if len(out) == 1 else tuple(out)


@bindable
def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """``mint.unique_consecutive(input, return_inverse=False, return_counts=False,
    dim=None)``: each run of equal neighbours once (flattened), int64 inverse and counts
    when asked for (measured)."""
    return ops.unique_consecutive(input, return_inverse, return_counts, dim)


# ---------------------------------------------------------------------------------------
# creation
# ---------------------------------------------------------------------------------------

def _size(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


@bindable
def ones(size, *, dtype=None):
    """``mint.ones(size, *, dtype=None)`` (float32 by default)."""
    return ops.ones(tuple(size) if isinstance(size, list) else size,
                    mstype.float32 if dtype is None else dtype)


@bindable
def zeros(size, *, dtype=None):
    """``mint.zeros(size, *, dtype=None)`` (float32 by default)."""
    return ops.zeros(tuple(size) if isinstance(size, list) else size,
                     mstype.float32 if dtype is None else dtype)


@bindable
def full(size, fill_value, *, dtype=None):
    """``mint.full(size, fill_value, *, dtype=None)``: without a dtype, PyTorch's rule
    (which mint documents): bool for a bool, int64 for an int, float32 for a float
    (``ops.full`` is int64 whatever the value)."""
    if dtype is None:
        if isinstance(fill_value, bool):
            dtype = mstype.bool_
        elif isinstance(fill_value, (float, np.floating)):
            dtype = mstype.float32
    return ops.full(tuple(size) if isinstance(size, list) else size, fill_value, dtype=dtype)


@bindable
def empty(*size, dtype=None, device=None):
    """``mint.empty(*size, dtype=None, device=None)``: here zeros (float32 by default)."""
    return ops.zeros(_size(size), mstype.float32 if dtype is None else dtype)


@bindable
def empty_like(input, *, dtype=None, device=None):
    """``mint.empty_like(input, *, dtype=None)``: here zeros like ``input``."""
    return _cast(ops.zeros_like(input), dtype)


@bindable
def linspace(start, end, steps, *, dtype=None):
    """``mint.linspace(start, end, steps, *, dtype=None)`` (float32 by default)."""
    return _cast(ops.linspace(start, end, steps), dtype)


@bindable
def squeeze_impl(input, axis):
    """``mint.squeeze_impl(input, axis)``: :func:`squeeze`."""
    return ops.squeeze(input, tuple(axis) if isinstance(axis, list) else axis)


cdist_ = cdist
equal_ext_op = ops.equal
flatten_ext = flatten
npu_gelu = functional.gelu
softmax_ext = functional.softmax


def item(input):
    """``mint.item(input)``: the Python number of a one-element Tensor."""
    return input.item()


def jit_forbidden_register(fn):
    """MindSpore's decorator marking a function not to be compiled by ``ms.jit``: the
    function itself here."""
    return fn


def jit_view_unsupported(fn):
    """MindSpore's decorator for view ops under ``ms.jit``: the function itself here."""
    return fn


__all__ = sorted(n for n in globals() if not n.startswith("_") and n not in (
    "annotations", "np", "mstype", "ops", "P", "bindable", "MISSING",
    "UnsupportedSyntaxError"))
