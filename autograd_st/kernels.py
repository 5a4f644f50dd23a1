"""Numpy kernels behind the neural-network primitives of :mod:`autograd_st.rules_nn`.

Like :mod:`autograd_st.runtime`, every function here works on raw numpy arrays and Python
constants, and each one *is* a primitive: generated code calls it by name, and its
``_autograd_st_prim`` attribute names the primitive in :data:`autograd_st.rules.REGISTRY`
whose parameters it takes in the same order.  That tag is what lets the compiler
differentiate generated code that calls a kernel (``grad(grad(f))`` through a convolution):
a call to a tagged kernel is the tagged primitive.  :data:`KERNEL_NAMES` lists the names
generated modules need as globals, besides ``np`` and the runtime helpers.

Convolution layout is MindSpore's: input ``(N, C, H, W)``, weight ``(O, C / group, kh, kw)``.
``pad`` is ``'valid'``, ``'same'`` (output size ``ceil(H / stride)``, the odd padding row and
column at the bottom and right) or ``(top, bottom, left, right)``.
"""
from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .context import DROPOUT_RNG as _DROPOUT_RNG
from .errors import InputValueError
from .runtime import matmul_nt, matmul_tn, ones_vector

__all__ = ["conv2d_forward", "conv2d_grad_input", "conv2d_grad_weight", "conv2d_pads",
           "conv2d_output_hw", "one_hot", "one_hot_like", "assign_", "dropout_mask",
           "sparse_softmax_xent", "sparse_softmax_xent_grad", "sparse_softmax_xent_fwd",
           "sparse_softmax_xent_bwd", "conv2d_forward_saving", "conv2d_grad_weight_saved",
           "LOWERED_KERNELS", "SavingPair",
           "erf", "reduction_share", "variance", "flatten", "reshape_along", "seed_dropout", "linear",
           "linear_dx", "linear_dw", "KERNEL_NAMES"]


def _tag(prim_name: str):
    """Mark a kernel as the primitive ``prim_name`` (same parameters, same order)."""
    def deco(fn):
        fn._autograd_st_prim = prim_name
        return fn
    return deco


def _pair(value) -> tuple:
    if isinstance(value, (int, np.integer)):
        return int(value), int(value)
    a, b = value
    return int(a), int(b)


# ---------------------------------------------------------------------------------------
# nn.Dense: x @ w.T over x's last axis, plus a bias, and the two adjoints
# ---------------------------------------------------------------------------------------
# As MindSpore's Dense, the leading axes of x are one axis of rows and the product is one 2-D
# matmul (``matmul_nt``: small products summed in order, large ones by BLAS); the bias is
# added into the product's own array.  The reshapes are methods here, not generated
# statements (``np.shape``, tuple slicing, ``np.reshape``: about 1.5 us each per call).

def _rows(x):
    return x if x.ndim == 2 else x.reshape(-1, x.shape[-1])


@_tag("linear")
def linear(x, w, b=None):
    """``x @ w.T + b`` over the last axis of ``x`` (``w``: ``(out, in)``; ``b``: None or
    broadcastable to the result).  The bits of ``matmul_nt`` on the rows then ``+ b``."""
    out = matmul_nt(_rows(x), w)
    if x.ndim != 2:
        out = out.reshape(x.shape[:-1] + out.shape[-1:])
    if b is None:
        return out
    if type(b) is np.ndarray and b.dtype is out.dtype and b.ndim <= out.ndim \
            and b.shape == out.shape[out.ndim - b.ndim:]:
        np.add(out, b, out=out)  # the product is this call's own array: no second one
        return out
    return out + b


@_tag("linear_dx")
def linear_dx(dy, w, like):
    """The gradient of :func:`linear` with respect to ``x``: ``dy @ w`` shaped like
    ``like`` (``x``)."""
    out = np.matmul(_rows(dy), w)
    return out if out.shape == like.shape else out.reshape(like.shape)


@_tag("linear_dw")
def linear_dw(dy, x):
    """The gradient of :func:`linear` with respect to ``w``: ``dy.T @ x`` over all rows."""
    return matmul_tn(_rows(dy), _rows(x))


# ---------------------------------------------------------------------------------------
# 2-D convolution (cross-correlation, as in every deep-learning framework)
# ---------------------------------------------------------------------------------------

def conv2d_pads(hw, kernel_hw, stride=1, dilation=1, pad="valid") -> tuple:
    """``(top, bottom, left, right)`` padding for an input of spatial size ``hw``."""
    if isinstance(pad, str):
        if pad == "valid":
            return 0, 0, 0, 0
        if pad != "same":
            raise ValueError("conv2d: pad must be 'same', 'valid' or 4 ints, not %r" % (pad,))
        pads = []
        for size, k, s, d in zip(hw, kernel_hw, _pair(stride), _pair(dilation)):
            out = -(-size // s)  # ceil
            need = max(0, (out - 1) * s + (k - 1) * d + 1 - size)
            pads += [need // 2, need - need // 2]  # the odd one goes to the bottom / right
        return tuple(pads)
    if isinstance(pad, (int, np.integer)):
        return (int(pad),) * 4
    pad = tuple(int(p) for p in pad)
    if len(pad) == 2:
        return pad[0], pad[0], pad[1], pad[1]
    if len(pad) != 4:
        raise ValueError("conv2d: padding must be an int or 4 ints (top, bottom, left, right)")
    return pad


def conv2d_output_hw(hw, kernel_hw, stride=1, dilation=1, pad="valid") -> tuple:
    """The spatial size of a convolution's output."""
    top, bottom, left, right = conv2d_pads(hw, kernel_hw, stride, dilation, pad)
    (sh, sw), (dh, dw) = _pair(stride), _pair(dilation)
    ho = (hw[0] + top + bottom - (kernel_hw[0] - 1) * dh - 1) // sh + 1
    wo = (hw[1] + left + right - (kernel_hw[1] - 1) * dw - 1) // sw + 1
    return ho, wo


def _geometry(x_shape, w_shape, stride, pad, dilation, group):
    n, c, h, w = x_shape
    o, cg, kh, kw = w_shape
    if c != cg * group:
        raise ValueError("conv2d: input has %d channels but weight expects %d x group %d"
                         % (c, cg, group))
    pads = conv2d_pads((h, w), (kh, kw), stride, dilation, pad)
    ho, wo = conv2d_output_hw((h, w), (kh, kw), stride, dilation, pads)
    if ho <= 0 or wo <= 0:
        raise ValueError("conv2d: a %dx%d kernel does not fit a %dx%d input (padding %s)"
                         % (kh, kw, h, w, pads))
    return pads, ho, wo


def _windows(x, kh, kw, stride, pads, dilation, group):
    """im2col view: ``(N, G, C/G, Ho, Wo, kh, kw)`` (a copy only where strides demand)."""
    top, bottom, left, right = pads
    (sh, sw), (dh, dw) = _pair(stride), _pair(dilation)
    if any(pads):
        x = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    win = sliding_window_view(x, ((kh - 1) * dh + 1, (kw - 1) * dw + 1), axis=(2, 3))
    win = win[:, :, ::sh, ::sw, ::dh, ::dw]
    n, c = win.shape[:2]
    return win.reshape((n, group, c // group) + win.shape[2:])


def _cols(x, kh, kw, stride, pads, dilation, group):
    """im2col: ``(N, G, C/G * kh * kw, Ho * Wo)``, one contiguous copy, so that a convolution
    is one batched matmul with the weight ``(G, O/G, C/G * kh * kw)``."""
    win = _windows(x, kh, kw, stride, pads, dilation, group)
    n, g, cg, ho, wo = win.shape[:5]
    win = win.transpose(0, 1, 2, 5, 6, 3, 4)  # (N, G, C/G, kh, kw, Ho, Wo)
    return win.reshape(n, g, cg * kh * kw, ho * wo)


@_tag("conv2d")
def conv2d_forward(x, w, stride=(1, 1), pad=(0, 0, 0, 0), dilation=(1, 1), group=1):
    """``y[n, o, i, j] = sum_{c, p, q} xpad[n, c, i*s + p*d, j*s + q*d] * w[o, c, p, q]``:
    im2col columns ``(N, G, C/G kh kw, Ho Wo)`` times the weight as a matrix, one batched
    matmul, whose result is already NCHW."""
    return conv2d_forward_saving(x, w, stride, pad, dilation, group)[0]


def conv2d_forward_saving(x, w, stride=(1, 1), pad=(0, 0, 0, 0), dilation=(1, 1), group=1):
    """``(conv2d_forward(x, w, ...), saved)``: the convolution and its im2col columns, which
    :func:`conv2d_grad_weight_saved` reads instead of making them again.  Only lowered code
    calls the pair (:data:`LOWERED_KERNELS`); it is not a primitive."""
    o, cg, kh, kw = w.shape
    pads, ho, wo = _geometry(x.shape, w.shape, stride, pad, dilation, group)
    dtype = np.result_type(x, w)
    cols = _cols(np.asarray(x, dtype), kh, kw, stride, pads, dilation, group)
    wm = np.asarray(w, dtype).reshape(group, o // group, cg * kh * kw)
    out = np.matmul(wm, cols)  # (N, G, O/G, Ho Wo)
    return out.reshape(x.shape[0], o, ho, wo), (cols, np.asarray(x).dtype, w.shape)


@_tag("conv2d_grad_input")
def conv2d_grad_input(dy, w, like, stride=(1, 1), pad=(0, 0, 0, 0), dilation=(1, 1), group=1):
    """The adjoint of ``x -> conv2d(x, w)`` applied to ``dy``; shaped like ``like`` (the input).

    One batched matmul makes the column gradient ``w.T @ dy`` ``(N, G, C/G kh kw, Ho Wo)``;
    col2im then adds each kernel tap (p, q) as one strided slab into the padded input
    gradient, so the Python loop runs kh * kw times whatever the image size.
    """
    n, c, h, wd = np.shape(like)
    o, cg, kh, kw = w.shape
    pads, ho, wo = _geometry((n, c, h, wd), w.shape, stride, pad, dilation, group)
    top, bottom, left, right = pads
    (sh, sw), (dh, dw) = _pair(stride), _pair(dilation)
    dtype = np.result_type(dy, w)
    dyg = np.reshape(np.asarray(dy, dtype), (n, group, o // group, ho * wo))
    wm = np.asarray(w, dtype).reshape(group, o // group, cg * kh * kw)
    dcols = np.matmul(wm.swapaxes(-1, -2), dyg).reshape(n, group, cg, kh, kw, ho, wo)
    dxp = np.zeros((n, group, cg, h + top + bottom, wd + left + right), dtype)
    for p in range(kh):
        for q in range(kw):
            dxp[:, :, :, p * dh:p * dh + sh * (ho - 1) + 1:sh,
                q * dw:q * dw + sw * (wo - 1) + 1:sw] += dcols[:, :, :, p, q]
    dxp = dxp.reshape(n, c, h + top + bottom, wd + left + right)
    if any(pads):
        return dxp[:, :, top:top + h, left:left + wd]
    return dxp


@_tag("conv2d_grad_weight")
def conv2d_grad_weight(x, dy, like, stride=(1, 1), pad=(0, 0, 0, 0), dilation=(1, 1), group=1):
    """The adjoint of ``w -> conv2d(x, w)`` applied to ``dy``; shaped like ``like`` (the weight):
    ``sum_n dy[n] (O/G, Ho Wo) @ cols[n].T (Ho Wo, C/G kh kw)`` per group.

    When the per-image products are no larger than the columns (O/G <= Ho Wo) they are one
    batched matmul over the im2col columns the forward builds, summed over the batch;
    otherwise one matmul over columns laid out ``(G, N Ho Wo, C/G kh kw)``.
    """
    o, cg, kh, kw = np.shape(like)
    pads, ho, wo = _geometry(x.shape, (o, cg, kh, kw), stride, pad, dilation, group)
    dtype = np.result_type(x, dy)
    n = x.shape[0]
    dyg = np.reshape(np.asarray(dy, dtype), (n, group, o // group, ho * wo))
    if o // group <= ho * wo:
        cols = _cols(np.asarray(x, dtype), kh, kw, stride, pads, dilation, group)
        return np.matmul(dyg, cols.swapaxes(-1, -2)).sum(axis=0).reshape(o, cg, kh, kw)
    win = _windows(np.asarray(x, dtype), kh, kw, stride, pads, dilation, group)
    cols = win.transpose(1, 0, 3, 4, 2, 5, 6).reshape(group, n * ho * wo, cg * kh * kw)
    dyg = dyg.transpose(1, 2, 0, 3).reshape(group, o // group, n * ho * wo)
    return np.matmul(dyg, cols).reshape(o, cg, kh, kw)


def conv2d_grad_weight_saved(saved, dy):
    """``conv2d_grad_weight(x, dy, w, ...)`` from the columns :func:`conv2d_forward_saving`
    made of ``x`` (in the forward's dtype; the gradient's is ``x``'s with ``dy``'s, as
    without them: the columns hold ``x``'s values, so the cast back is exact).  ``saved`` is
    only read."""
    cols, x_dtype, (o, cg, kh, kw) = saved
    n, group, k, hw = cols.shape
    dtype = np.result_type(x_dtype, np.asarray(dy).dtype)
    if cols.dtype != dtype:
        cols = cols.astype(dtype)
    dyg = np.reshape(np.asarray(dy, dtype), (n, group, o // group, hw))
    if o // group <= hw:
        return np.matmul(dyg, cols.swapaxes(-1, -2)).sum(axis=0).reshape(o, cg, kh, kw)
    cols = cols.transpose(1, 0, 3, 2).reshape(group, n * hw, k)
    dyg = dyg.transpose(1, 2, 0, 3).reshape(group, o // group, n * hw)
    return np.matmul(dyg, cols).reshape(o, cg, kh, kw)


# ---------------------------------------------------------------------------------------
# element-wise and shape kernels
# ---------------------------------------------------------------------------------------

_ERF = np.frompyfunc(math.erf, 1, 1)


@_tag("erf")
def erf(x):
    """The error function, element-wise, in the dtype of ``x`` (numpy has no erf)."""
    x = np.asarray(x)
    dtype = x.dtype if x.dtype.kind == "f" else np.float64
    # frompyfunc gives a Python float (not an array) for 0-d input: asarray covers both
    return np.asarray(_ERF(x), dtype=dtype)


@_tag("reduction_share")
def reduction_share(out, x, ddof=0):
    """``1 / (n - ddof)``, where ``n = size(x) / size(out)`` is how many elements of ``x``
    each element of ``out``, a reduction of ``x``, reduces: the factor in the gradient of a
    mean (``ddof=0``) and of a variance.  An empty ``x`` has an empty gradient, whatever the
    factor: 0.0 (never a division by zero).  Where ``n - ddof <= 0`` numpy's forward divides
    by zero (nan or inf) and so does the gradient: inf."""
    try:  # arrays and numpy scalars; np.size for Python numbers
        nx, nout = x.size, out.size
    except AttributeError:
        nx, nout = np.size(x), np.size(out)
    if not nx:
        return 0.0
    d = nx // nout - ddof
    return 1.0 / d if d > 0 else math.inf


@_tag("var")
def variance(x, axis=None, ddof=0, keepdims=False):
    """``np.var`` (``ddof=1``: the unbiased n-1 estimate)."""
    return np.var(x, axis=axis, ddof=ddof, keepdims=keepdims)


@_tag("reshape_along")
def reshape_along(v, like, axis=1):
    """The vector ``v`` reshaped to broadcast against ``like`` along ``axis`` (a per-class or
    per-channel weight against ``(N, C, d1, ...)`` data of any rank)."""
    ndim = np.ndim(like)
    shape = [1] * ndim
    shape[axis % ndim] = -1
    return np.reshape(v, shape)


def _flat_shape(shape, start_dim, end_dim):
    nd = len(shape)
    if nd == 0:
        return (1,)
    start, end = start_dim % nd, end_dim % nd
    if start > end:
        raise ValueError("flatten: start_dim %d is after end_dim %d" % (start_dim, end_dim))
    return tuple(shape[:start]) + (int(np.prod(shape[start:end + 1], dtype=np.int64)),) \
        + tuple(shape[end + 1:])


@_tag("flatten")
def flatten(x, start_dim=1, end_dim=-1):
    """Merge axes ``start_dim..end_dim`` into one."""
    return np.reshape(x, _flat_shape(np.shape(x), start_dim, end_dim))


# ---------------------------------------------------------------------------------------
# softmax cross-entropy with class-index labels, fused: the loss of nearly every classifier,
# so its forward and its gradient are one kernel each (a dozen numpy calls fewer per step
# than one-hot * log_softmax, summed)
# ---------------------------------------------------------------------------------------

def _label_rows(labels, logits, op: str):
    """``(rows, flat)``: the row numbers and the labels of ``logits (..., classes)`` viewed as
    ``(rows, classes)``, so that ``logits2d[rows, flat]`` are the labelled entries.  Checks
    ``labels``: integer dtype, shaped ``logits.shape[:-1]``, every value in ``[0, classes)``
    (MindSpore's kernel leaves other values undefined).  Labels at ``classes`` or above are
    found by the indexing itself (:func:`_bad_label`)."""
    labels = np.asarray(labels)
    if labels.dtype.kind not in "iu":
        raise InputValueError("%s: labels must be integer class indices (int32 or int64), "
                              "got dtype %s; pass labels.astype(np.int32), or one-hot labels "
                              "with sparse=False" % (op, labels.dtype))
    if labels.shape != logits.shape[:-1]:
        raise InputValueError("%s: labels have shape %s, but logits %s need labels of shape "
                              "%s (one class index per row)"
                              % (op, labels.shape, logits.shape, logits.shape[:-1]))
    flat = labels.reshape(-1)
    if flat.size and flat.min() < 0:
        _bad_label(flat, logits, op)
    return np.arange(flat.size), flat


def _bad_label(flat, logits, op: str):
    """Raise the error for the first label of ``flat`` outside ``[0, classes)``."""
    batch, classes = logits.shape[:-1], logits.shape[-1]
    at = int(np.flatnonzero((flat < 0) | (flat >= classes))[0])
    where = np.unravel_index(at, batch) if batch else ()
    raise InputValueError("%s: label %d at index %s is not a class index in [0, %d); "
                          "check the labels (or the number of classes of the logits)"
                          % (op, int(flat[at]), tuple(int(i) for i in where), classes))


def _row_sums(e):
    """``e.sum(axis=-1)`` as a product with a vector of ones (one BLAS call: twice as fast as
    the reduction on short rows, as accurate)."""
    return np.matmul(e, ones_vector(e.shape[-1], e.dtype))


def _exp_shifted(x, dtype):
    """``(e, sums, shift)``: ``e = exp(x - shift)`` in ``dtype``, ``sums`` its sums over the
    last axis, and the shift, chosen so that ``exp`` cannot overflow: ``x``'s largest value
    (one whole-array max: several times cheaper than a max per row on short rows) when that
    leaves every row's sum far from underflow, else each row's own max (shaped like
    ``sums``).  Either way ``log(sums) + shift`` is the logsumexp of each row."""
    if x.size:
        top = x.max()
        if math.isfinite(top):
            e = x - top
            if e.dtype != dtype:
                e = e.astype(dtype)
            np.exp(e, out=e)
            sums = _row_sums(e)
            if sums.min() >= _ROW_SUM_FLOOR.get(dtype, 0.0):
                return e, sums, top
    top = x.max(axis=-1, keepdims=True)
    e = x - top
    if e.dtype != dtype:
        e = e.astype(dtype)
    np.exp(e, out=e)
    return e, e.sum(axis=-1), top[..., 0]


# The row sums the whole-array shift may leave: at least floor = tiny ** 0.2, so entries
# lost to underflow are below tiny ** 0.8 of their row's sum (about 1e-30 in float32),
# where a per-row shift loses them below tiny (1e-38).  A row further below the largest
# logit than log(1 / floor) (~18 in float32, ~142 in float64) takes the per-row shift.
_ROW_SUM_FLOOR = {np.dtype(t): float(np.finfo(t).tiny) ** 0.2
                  for t in (np.float16, np.float32, np.float64)}


def _float_dtype(*dtypes):
    """The dtype the loss is computed in: that of the logits (and of the incoming gradient),
    integers promoted to a float as numpy promotes them."""
    if all(dt.kind == "f" for dt in dtypes):
        return dtypes[0] if len(dtypes) == 1 else np.result_type(*dtypes)
    return np.result_type(*dtypes, np.float16)


def _xent_parts(logits, labels, dtype):
    """``(e, sums, shift, rows, flat)``: the labels checked (:func:`_label_rows`) and the
    shifted exponentials of ``logits`` in ``dtype`` with their row sums (:func:`_exp_shifted`)."""
    rows, flat = _label_rows(labels, logits, "softmax cross-entropy")
    e, sums, shift = _exp_shifted(logits, dtype)
    return e, sums, shift, rows, flat


@_tag("sparse_softmax_xent")
def sparse_softmax_xent(logits, labels):
    """``-log(softmax(logits)[..., labels])``: one loss per row of ``logits (..., C)``, for
    integer class ``labels (...)``."""
    return sparse_softmax_xent_fwd(logits, labels)[0]


@_tag("sparse_softmax_xent_grad")
def sparse_softmax_xent_grad(logits, labels, dloss):
    """``(softmax(logits) - one_hot(labels)) * dloss[..., None]``: the gradient of
    :func:`sparse_softmax_xent` with respect to ``logits`` for the loss's gradient ``dloss``
    (shaped like ``labels``, or a scalar)."""
    logits, dloss = np.asarray(logits), np.asarray(dloss)
    e, sums, _, rows, flat = _xent_parts(logits, labels,
                                         _float_dtype(logits.dtype, dloss.dtype))
    try:
        return sparse_softmax_xent_bwd((e, sums, rows, flat), dloss)
    except IndexError:  # a label at or above the number of classes
        _bad_label(flat, logits, "softmax cross-entropy")


def sparse_softmax_xent_fwd(logits, labels):
    """``(sparse_softmax_xent(logits, labels), saved)``: the loss and what its gradient reads
    again (the exponentials, their row sums, the labelled positions), so that
    :func:`sparse_softmax_xent_bwd` computes none of them twice.  Only lowered code calls
    the pair (:mod:`autograd_st.compiler.lower`); it is not a primitive."""
    logits = np.asarray(logits)
    e, sums, shift, rows, flat = _xent_parts(logits, labels, _float_dtype(logits.dtype))
    try:
        picked = logits.reshape(-1, logits.shape[-1])[rows, flat]
    except IndexError:  # a label at or above the number of classes
        _bad_label(flat, logits, "softmax cross-entropy")
    # log(sums) - (picked - shift), not (log(sums) + shift) - picked: the shift is as large
    # as the logits, and log(sums) is lost beside a large one
    return np.log(sums) - (picked.reshape(sums.shape) - shift), (e, sums, rows, flat)


def sparse_softmax_xent_bwd(saved, dloss):
    """``sparse_softmax_xent_grad(logits, labels, dloss)`` from what
    :func:`sparse_softmax_xent_fwd` saved.  ``saved`` is only read: a vjp function called
    twice on the same residuals gets the same answer."""
    e, sums, rows, flat = saved
    dloss = np.asarray(dloss)
    if dloss.shape != sums.shape:
        dloss = np.broadcast_to(dloss, sums.shape)
    g = e * (dloss / sums)[..., None]
    g.reshape(-1, g.shape[-1])[rows, flat] -= dloss.reshape(-1)  # (a view: g is fresh)
    return g


# ---------------------------------------------------------------------------------------
# kernels without a gradient
# ---------------------------------------------------------------------------------------

@_tag("one_hot")
def one_hot(indices, depth, dtype=np.float32):
    """``indices.shape + (depth,)``: 1 at each index, 0 elsewhere (out-of-range: all 0)."""
    indices = np.asarray(indices)
    return (indices[..., None] == np.arange(depth)).astype(dtype)


@_tag("one_hot_like")
def one_hot_like(indices, like, axis=-1, ignore_index=None):
    """A one-hot array shaped and typed like ``like``, the class axis being ``axis``.

    ``indices`` has ``like``'s shape without that axis.  An index equal to ``ignore_index``,
    or outside ``[0, C)``, gives all zeros along the class axis.
    """
    like = np.asarray(like)
    indices = np.asarray(indices)
    dtype = like.dtype if like.dtype.kind == "f" else np.float32
    if ignore_index is None and (axis == -1 or axis == like.ndim - 1) \
            and indices.shape == like.shape[:-1]:  # classes last: one comparison
        return (indices[..., None] == np.arange(like.shape[-1])).astype(dtype)
    axis = axis % like.ndim
    depth = like.shape[axis]
    classes = np.arange(depth).reshape((depth,) + (1,) * (like.ndim - 1 - axis))
    hot = np.expand_dims(indices, axis) == classes
    if ignore_index is not None:
        hot &= np.expand_dims(indices != ignore_index, axis)
    return np.broadcast_to(hot, like.shape).astype(dtype)


@_tag("assign")
def assign_(ref, value):
    """Write ``value`` into the array ``ref`` in place (a Parameter's storage) and return it."""
    np.copyto(ref, value, casting="unsafe")
    return ref


def seed_dropout(seed: int) -> None:
    """Reseed the generator behind dropout masks (runs are reproducible from a seed)."""
    _DROPOUT_RNG[0] = np.random.default_rng(seed)


@_tag("dropout_mask")
def dropout_mask(x, keep_prob=0.5, stream=None):
    """A mask shaped like ``x``: ``1 / keep_prob`` with probability ``keep_prob``, else 0.
    ``stream``: an ``nn.Dropout``'s or ``ops.dropout``'s MindSpore stream
    (``ms_random.DropoutStream``, ``FreshDropoutStream``): its masks and scale (``1.f /
    keep_prob`` in float32) are MindSpore's; else (or when it gives None: no seed) the
    dropout generator's."""
    x = np.asarray(x)
    dtype = x.dtype if x.dtype.kind == "f" else np.float32
    keep = None if stream is None else stream.keep(x.shape, dtype, keep_prob)
    if keep is not None:
        return keep.astype(dtype) * dtype.type(np.float32(1.0) / np.float32(keep_prob))
    keep = _DROPOUT_RNG[0].random(x.shape) < keep_prob
    return keep.astype(dtype) * dtype.type(1.0 / keep_prob)


KERNEL_NAMES = ("conv2d_forward", "conv2d_grad_input", "conv2d_grad_weight", "erf",
                "linear", "linear_dx", "linear_dw",
                "reduction_share", "variance",
                "flatten", "reshape_along", "one_hot", "one_hot_like", "assign_", "dropout_mask",
                "sparse_softmax_xent", "sparse_softmax_xent_grad")
"""The kernels that primitive and rule templates call by name (generated code's globals)."""


class SavingPair(NamedTuple):
    """A forward kernel that saves what one gradient primitive of its primitive reads again,
    and that gradient from what was saved (see :data:`LOWERED_KERNELS`)."""
    gradient: str      # the gradient primitive the pair replaces
    fwd: Callable      # fwd(*args) -> (value, saved)
    bwd: Callable      # bwd(saved, d) -> the gradient
    layout: tuple      # per argument of the gradient's call: the index of the forward's
    #                    argument it must be, or "d" (the incoming gradient)


LOWERED_KERNELS = {
    "sparse_softmax_xent": SavingPair("sparse_softmax_xent_grad", sparse_softmax_xent_fwd,
                                      sparse_softmax_xent_bwd, (0, 1, "d")),
    # conv2d_grad_weight(x, dy, w, stride, pad, dilation, group): the forward's im2col
    "conv2d": SavingPair("conv2d_grad_weight", conv2d_forward_saving, conv2d_grad_weight_saved,
                         (0, "d", 1, 2, 3, 4, 5)),
}
"""Kernel pairs only the final lowering writes: ``{primitive: SavingPair}``.  ``t =
p(*args)`` and ``g = gradient(...)``, whose arguments are the forward's as ``layout`` places
them (and the incoming gradient ``d``), become ``t, saved = fwd(*args)`` and ``g = bwd(saved,
d)``: the backward reads what the forward computed instead of computing it again."""
