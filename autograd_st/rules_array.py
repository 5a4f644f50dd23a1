"""Primitives and their reverse (vjp) and forward (jvp) rules for array manipulation (gather,
take-along-an-axis, triu/tril, tile, repeat, roll, pad, cumsum/cumprod, prod, argmax/argmin,
sort and top-k indices), registered in the one registry of :mod:`autograd_st.rules` (see its
docstring for how a rule is written).

Takes: :mod:`autograd_st.rules` (``primitive``, ``vjp``, ``jvp``) and the runtime helpers.
Gives: the primitives, by registering them; the op rows that publish them are in
:mod:`autograd_st.table_array`.

The numpy work of a primitive that is more than one numpy call is a helper below whose name
starts with ``arr_`` (generated code calls it by that name); each helper is tagged with the
primitive it is the body of (``_autograd_st_prim``), so generated code that calls it can be
differentiated again.  Every linear primitive's rule is its adjoint, itself a primitive here
(``take`` and ``untake``, ``take_along`` and ``untake_along``, ``tile`` and ``untile``, ...).

Split, chunk, narrow, flip, masked_select and the indexing ops are made of ``getitem`` (see
:mod:`autograd_st.table_array`); max/min with an axis, sort and top-k take their values with
``take_along`` at indices that have no gradient, so the gradient goes to the chosen element
only (MindSpore's ``ArgMaxWithValue`` does the same: ties do not share it).
"""
from __future__ import annotations

import numpy as np

from .rules import jvp, kernel_of, primitive, vjp
from .runtime import expand_to, unbroadcast

__all__ = ["ARRAY_PRIMITIVES", "arr_untake", "arr_take_along", "arr_untake_along",
           "arr_untile", "arr_repeat", "arr_unrepeat", "arr_cumsum", "arr_pad", "arr_unpad",
           "arr_prod_grad", "arr_prod_hess", "arr_chunk_step", "arr_section_start", "arr_argmax", "arr_argmin", "arr_topk_indices", "arr_argsort",
           "arr_sorted_order"]


# ---------------------------------------------------------------------------------------
# helpers (numpy only; each the body of the primitive it is tagged with)
# ---------------------------------------------------------------------------------------

@kernel_of("untake")
def arr_untake(g, like, indices, axis):
    """The adjoint of ``np.take(like, indices, axis)``: ``g`` added into zeros shaped like
    ``like`` at ``indices`` along ``axis`` (repeated indices accumulate)."""
    shape = np.shape(like)
    axis = axis % len(shape)
    out = np.zeros(shape, np.result_type(g))
    idx = np.asarray(indices)
    index = (slice(None),) * axis + (idx,)
    np.add.at(out, index, g)
    return out


def _along_index(index, axis):
    """The full numpy index that picks ``x[..., index[...], ...]`` element by element along
    ``axis`` (``index`` may be smaller than ``x`` in the other axes, as in GatherD)."""
    index = np.asarray(index)
    axis = axis % index.ndim
    grids = list(np.ogrid[tuple(slice(0, n) for n in index.shape)])
    grids[axis] = index
    return tuple(grids)


@kernel_of("take_along")
def arr_take_along(x, index, axis):
    """``x`` picked element by element at ``index`` along ``axis`` (MindSpore's GatherD,
    ``gather_elements``; ``np.take_along_axis`` where the shapes agree)."""
    return np.asarray(x)[_along_index(index, axis)]


@kernel_of("untake_along")
def arr_untake_along(g, like, index, axis):
    """The adjoint of :func:`arr_take_along`: ``g`` added into zeros shaped like ``like``."""
    out = np.zeros(np.shape(like), np.result_type(g))
    np.add.at(out, _along_index(index, axis), g)
    return out


def _tile_shapes(shape, reps):
    d = max(len(shape), len(reps))
    return (1,) * (d - len(shape)) + tuple(shape), (1,) * (d - len(reps)) + tuple(reps)


@kernel_of("untile")
def arr_untile(g, like, reps):
    """The adjoint of ``np.tile(like, reps)``: the copies of ``g`` summed."""
    shape = np.shape(like)
    xs, rs = _tile_shapes(shape, reps)
    split = []
    for r, n in zip(rs, xs):
        split += [r, n]
    g = np.reshape(g, split)
    return np.reshape(np.sum(g, axis=tuple(range(0, len(split), 2))), shape)


@kernel_of("repeat")
def arr_repeat(x, repeats, axis=None):
    """``np.repeat`` with MindSpore's repeat_interleave: ``axis`` None repeats the
    flattened values; ``repeats`` an int or one count per element."""
    return np.repeat(x, np.asarray(repeats) if isinstance(repeats, (list, tuple)) else repeats,
                     axis=axis)


@kernel_of("unrepeat")
def arr_unrepeat(g, like, repeats, axis=None):
    """The adjoint of :func:`arr_repeat`: the copies of each element summed."""
    shape = np.shape(like)
    if axis is None:
        n, ax = int(np.prod(shape)), 0
    else:
        ax = axis % len(shape)
        n = shape[ax]
    reps = np.broadcast_to(np.asarray(repeats), (n,))
    source = np.repeat(np.arange(n), reps)
    out = np.zeros((n,) if axis is None else shape, np.result_type(g))
    np.add.at(out, (slice(None),) * ax + (source,), g)
    return np.reshape(out, shape)


@kernel_of("cumsum")
def arr_cumsum(x, axis, exclusive=False, reverse=False):
    """The running sum along ``axis`` (MindSpore's CumSum: ``exclusive`` leaves the element
    itself out, ``reverse`` runs from the end)."""
    x = np.asarray(x)
    if reverse:
        x = np.flip(x, axis)
    # (a bool mask counts in int32, as MindSpore's Tensor.cumsum: numpy's bool running sum
    # would stay True)
    out = np.cumsum(x, axis=axis, dtype=x.dtype if x.dtype.kind != "b" else np.int32)
    if exclusive:
        out = out - x
    return np.flip(out, axis) if reverse else out


def _pad_widths(ndim, padding):
    """MindSpore's ``padding`` (pairs from the last axis backwards) as numpy's per-axis
    ``(before, after)`` pairs."""
    widths = [(0, 0)] * ndim
    for i in range(len(padding) // 2):
        widths[ndim - 1 - i] = (padding[2 * i], padding[2 * i + 1])
    return widths


@kernel_of("pad")
def arr_pad(x, padding, mode="constant", value=0.0):
    """``x`` padded as ``ops.pad`` does; a negative width crops."""
    x = np.asarray(x)
    widths = _pad_widths(x.ndim, padding)
    crop = tuple(slice(max(-b, 0), x.shape[i] - max(-a, 0))
                 for i, (b, a) in enumerate(widths))
    x = x[crop]
    widths = [(max(b, 0), max(a, 0)) for b, a in widths]
    if mode == "constant":
        return np.pad(x, widths, mode="constant", constant_values=value)
    return np.pad(x, widths, mode={"replicate": "edge", "reflect": "reflect",
                                   "symmetric": "symmetric", "circular": "wrap"}[mode])


@kernel_of("unpad")
def arr_unpad(g, like, padding, mode="constant"):
    """The adjoint of :func:`arr_pad`: what padding copied added back to its source."""
    shape = np.shape(like)
    widths = _pad_widths(len(shape), padding)
    out = np.zeros(shape, np.result_type(g))
    # the source positions the padded output reads, axis by axis
    index = []
    for n, (b, a) in zip(shape, widths):
        src = np.arange(-b, n + a)
        if mode == "constant":
            pass
        elif mode == "replicate":
            src = np.clip(src, 0, n - 1)
        elif mode == "reflect":
            period = max(2 * (n - 1), 1)
            src = src % period
            src = np.where(src > n - 1, period - src, src)
        elif mode == "symmetric":  # the edge repeated: nn.Pad's SYMMETRIC
            src = src % (2 * n)
            src = np.where(src > n - 1, 2 * n - 1 - src, src)
        else:  # circular
            src = src % n
        index.append(src)
    keep = [(s >= 0) & (s < n) for s, n in zip(index, shape)]
    sel = np.ix_(*[np.nonzero(k)[0] for k in keep])
    src = np.ix_(*[s[k] for s, k in zip(index, keep)])
    np.add.at(out, src, np.asarray(g)[sel])
    return out


@kernel_of("prod_grad")
def arr_prod_grad(dout, out, x, axis=None, keepdims=False):
    """The gradient of ``np.prod(x, axis, keepdims)`` without dividing by ``x`` (exact where
    ``x`` has zeros): the product of the other elements, by prefix and suffix products."""
    x = np.asarray(x)
    g = expand_to(dout, x, axis=axis, keepdims=keepdims)
    axes = tuple(range(x.ndim)) if axis is None else \
        tuple(a % x.ndim for a in ((axis,) if np.ndim(axis) == 0 else axis))
    if not axes:
        return np.asarray(g, x.dtype) * np.ones_like(x)
    rest = [a for a in range(x.ndim) if a not in axes]
    moved = np.transpose(x, rest + list(axes))
    flat = moved.reshape(moved.shape[:len(rest)] + (-1,))
    ones = np.ones(flat.shape[:-1] + (1,), x.dtype)
    before = np.cumprod(np.concatenate([ones, flat[..., :-1]], -1), -1)
    after = np.flip(np.cumprod(np.concatenate([ones, np.flip(flat, -1)[..., :-1]], -1), -1),
                    -1)
    others = (before * after).reshape(moved.shape)
    others = np.transpose(others, np.argsort(rest + list(axes)))
    return (g * others).astype(x.dtype)


@kernel_of("chunk_step")
def arr_chunk_step(x, chunks, axis):
    """The length of each of ``chunks`` parts of ``x`` along ``axis`` (``ceil(n /
    chunks)``); a ValueError when those cover the axis in fewer parts (MindSpore's chunk
    then returns fewer, which code compiled for ``chunks`` parts cannot)."""
    n = np.shape(x)[axis]
    size = -(-n // chunks)
    if n == 0 or -(-n // size) != chunks:
        raise ValueError("ops.chunk: axis %d of length %d splits into %d parts of %d, not %d; "
                         "in differentiated code pass sizes that give %d parts "
                         "(ops.split(x, [..], axis))" % (axis, n, -(-n // max(size, 1)),
                                                         size, chunks, chunks))
    return size


@kernel_of("section_start")
def arr_section_start(x, sections, index, axis):
    """Where part ``index`` of ``x`` cut into ``sections`` parts along ``axis`` starts, as
    ``np.array_split`` (MindSpore's ``ops.tensor_split`` with an int) cuts: the first
    ``n % sections`` parts one longer than the others."""
    size, extra = divmod(np.shape(x)[axis], sections)
    return index * size + min(index, extra)


@kernel_of("argmax")
def arr_argmax(x, axis=None, keepdims=False, dtype="int64"):
    """The index of the (first) maximum along ``axis`` (None: of the flattened values)."""
    out = np.argmax(x, axis=axis)
    if keepdims:
        out = np.expand_dims(out, tuple(range(np.ndim(x))) if axis is None else axis)
    return np.asarray(out, dtype)


@kernel_of("argmin")
def arr_argmin(x, axis=None, keepdims=False, dtype="int64"):
    """The index of the (first) minimum along ``axis`` (None: of the flattened values)."""
    out = np.argmin(x, axis=axis)
    if keepdims:
        out = np.expand_dims(out, tuple(range(np.ndim(x))) if axis is None else axis)
    return np.asarray(out, dtype)


@kernel_of("argsort")
def arr_argsort(x, axis=-1, descending=False, dtype="int32"):
    """Stable sorting indices along ``axis`` (descending: equal values keep their order)."""
    x = np.asarray(x)
    key = -x if descending and x.dtype != np.bool_ else (~x if descending else x)
    return np.argsort(key, axis=axis, kind="stable").astype(dtype)


@kernel_of("sorted_order")
def arr_sorted_order(keys, reverse=False):
    """The order in which Python's ``sorted`` puts the items of ``keys`` (a list, or an
    array's rows), compared with ``<`` as Python compares them, by Python's ``sorted`` itself (so
    ties keep their order, ``reverse`` keeps it too, and NaN ends where CPython leaves it);
    a key of more than one element compared raises numpy's ValueError, as Python's
    ``sorted`` of such Tensors raises one.  No gradient: the compiler picks the items
    (``sorted(seq, key=..., reverse=...)`` in differentiated code)."""
    if isinstance(keys, (list, tuple)):  # (a run-time list's items)
        items = list(keys)
    else:
        keys = np.asarray(keys)
        if not keys.ndim:
            raise TypeError("iteration over a 0-d array")
        items = [keys[i] for i in range(keys.shape[0])]
    return np.asarray(sorted(range(len(items)), key=items.__getitem__, reverse=bool(reverse)),
                      np.int64).reshape(len(items))


@kernel_of("topk_indices")
def arr_topk_indices(x, k, axis=-1, largest=True, dtype="int32"):
    """The indices of the ``k`` largest (smallest) values along ``axis``, best first."""
    order = arr_argsort(x, axis, largest, dtype)
    return np.take(order, np.arange(k), axis=axis)


# ---------------------------------------------------------------------------------------
# gathering: take (MindSpore's Gather / index_select) and take_along (GatherD)
# ---------------------------------------------------------------------------------------

@primitive(diff=("x",))
def take(x, indices, axis=0):
    return np.take(x, indices, axis=axis)


@vjp(take)
def _(dout, out, x, indices, axis):
    return (arr_untake(dout, x, indices, axis),)


@jvp(take)
def _(out, x, indices, axis, dx):
    return (np.take(dx, indices, axis=axis),)


@primitive(diff=("g",))
def untake(g, like, indices, axis=0):
    return arr_untake(g, like, indices, axis)


@vjp(untake)
def _(dout, out, g, like, indices, axis):
    return (np.take(dout, indices, axis=axis),)


@jvp(untake)
def _(out, g, like, indices, axis, dg):
    return (arr_untake(dg, like, indices, axis),)


@primitive(diff=("x",))
def take_along(x, index, axis):
    return arr_take_along(x, index, axis)


@vjp(take_along)
def _(dout, out, x, index, axis):
    return (arr_untake_along(dout, x, index, axis),)


@jvp(take_along)
def _(out, x, index, axis, dx):
    return (arr_take_along(dx, index, axis),)


@primitive(diff=("g",))
def untake_along(g, like, index, axis):
    return arr_untake_along(g, like, index, axis)


@vjp(untake_along)
def _(dout, out, g, like, index, axis):
    return (arr_take_along(dout, index, axis),)


@jvp(untake_along)
def _(out, g, like, index, axis, dg):
    return (arr_untake_along(dg, like, index, axis),)


# ---------------------------------------------------------------------------------------
# triangles, tiling, repeating, rolling, padding (all linear: each rule is the adjoint)
# ---------------------------------------------------------------------------------------

@primitive(diff=("x",))
def triu(x, k=0):
    return np.triu(x, k)


@vjp(triu)
def _(dout, out, x, k):
    return (np.triu(dout, k),)


@jvp(triu)
def _(out, x, k, dx):
    return (np.triu(dx, k),)


@primitive(diff=("x",))
def tril(x, k=0):
    return np.tril(x, k)


@vjp(tril)
def _(dout, out, x, k):
    return (np.tril(dout, k),)


@jvp(tril)
def _(out, x, k, dx):
    return (np.tril(dx, k),)


@primitive(diff=("x",))
def tile(x, reps):
    return np.tile(x, reps)


@vjp(tile)
def _(dout, out, x, reps):
    return (arr_untile(dout, x, reps),)


@jvp(tile)
def _(out, x, reps, dx):
    return (np.tile(dx, reps),)


@primitive(diff=("g",))
def untile(g, like, reps):
    return arr_untile(g, like, reps)


@vjp(untile)
def _(dout, out, g, like, reps):
    return (np.reshape(np.tile(dout, reps), np.shape(g)),)


@jvp(untile)
def _(out, g, like, reps, dg):
    return (arr_untile(dg, like, reps),)


@primitive(name="repeat", diff=("x",))
def repeat_(x, repeats, axis=None):
    return arr_repeat(x, repeats, axis)


@vjp(repeat_)
def _(dout, out, x, repeats, axis):
    return (arr_unrepeat(dout, x, repeats, axis),)


@jvp(repeat_)
def _(out, x, repeats, axis, dx):
    return (arr_repeat(dx, repeats, axis),)


@primitive(diff=("g",))
def unrepeat(g, like, repeats, axis=None):
    return arr_unrepeat(g, like, repeats, axis)


@vjp(unrepeat)
def _(dout, out, g, like, repeats, axis):
    return (np.reshape(arr_repeat(dout, repeats, axis), np.shape(g)),)


@jvp(unrepeat)
def _(out, g, like, repeats, axis, dg):
    return (arr_unrepeat(dg, like, repeats, axis),)


@primitive(diff=("x",))
def roll(x, shift, axis=None):
    return np.roll(x, shift, axis)


@vjp(roll)
def _(dout, out, x, shift, axis):
    return (np.roll(dout, np.negative(shift), axis),)


@jvp(roll)
def _(out, x, shift, axis, dx):
    return (np.roll(dx, shift, axis),)


@primitive(name="pad", diff=("x", "value"))
def pad_(x, padding, mode="constant", value=0.0):
    return arr_pad(x, padding, mode, value)


@vjp(pad_)
def _(dout, out, x, padding, mode, value):
    return (arr_unpad(dout, x, padding, mode),
            unbroadcast((np.sum(dout) - np.sum(arr_unpad(dout, x, padding, "constant")))
                        * (mode == "constant"), value))


@jvp(pad_)
def _(out, x, padding, mode, value, dx, dvalue):
    return (arr_pad(dx, padding, mode, 0.0),
            arr_pad(np.zeros_like(x), padding, "constant", 1.0 * (mode == "constant")) * dvalue)


@primitive(diff=("g",))
def unpad(g, like, padding, mode="constant"):
    return arr_unpad(g, like, padding, mode)


@vjp(unpad)
def _(dout, out, g, like, padding, mode):
    return (arr_pad(dout, padding, mode, 0.0),)


@jvp(unpad)
def _(out, g, like, padding, mode, dg):
    return (arr_unpad(dg, like, padding, mode),)


# ---------------------------------------------------------------------------------------
# running sums and products, products
# ---------------------------------------------------------------------------------------

@primitive(name="cumsum", diff=("x",))
def cumsum_(x, axis, exclusive=False, reverse=False):
    return arr_cumsum(x, axis, exclusive, reverse)


@vjp(cumsum_)
def _(dout, out, x, axis, exclusive, reverse):
    return (arr_cumsum(dout, axis, exclusive, not reverse),)


@jvp(cumsum_)
def _(out, x, axis, exclusive, reverse, dx):
    return (arr_cumsum(dx, axis, exclusive, reverse),)


# MindSpore's CumProd gradient divides by x (nan where x is 0 and later outputs use it); this
# rule is the same formula, so it agrees with MindSpore there too
@primitive(diff=("x",))
def cumprod(x, axis):
    return np.cumprod(x, axis=axis)


@vjp(cumprod)
def _(dout, out, x, axis):
    return (arr_cumsum(dout * out, axis, False, True) / x,)


@jvp(cumprod)
def _(out, x, axis, dx):
    return (out * arr_cumsum(dx / x, axis, False, False),)


@primitive(diff=("x",))
def prod(x, axis=None, keepdims=False):
    return np.prod(x, axis=axis, keepdims=keepdims)


@vjp(prod)
def _(dout, out, x, axis, keepdims):
    return (arr_prod_grad(dout, out, x, axis, keepdims),)


@jvp(prod)
def _(out, x, axis, keepdims, dx):
    return (np.sum(arr_prod_grad(np.ones_like(out), out, x, axis, keepdims) * dx, axis=axis,
                   keepdims=keepdims),)


@primitive(diff=("g", "x"))
def prod_grad(g, p, x, axis=None, keepdims=False):
    return arr_prod_grad(g, p, x, axis, keepdims)


# prod_grad is linear in g; in x its derivative is the Hessian of the product (symmetric),
# applied by arr_prod_hess.
@vjp(prod_grad)
def _(dout, out, g, p, x, axis, keepdims):
    return (np.reshape(np.sum(dout * arr_prod_grad(np.ones_like(p), p, x, axis, keepdims),
                              axis=axis, keepdims=keepdims), np.shape(g)),
            arr_prod_hess(dout, g, x, axis, keepdims))


@jvp(prod_grad)
def _(out, g, p, x, axis, keepdims, dg, dx):
    return (arr_prod_grad(dg, p, x, axis, keepdims), arr_prod_hess(dx, g, x, axis, keepdims))


@primitive(diff=("v", "g"))
def prod_hess(v, g, x, axis=None, keepdims=False):
    return arr_prod_hess(v, g, x, axis, keepdims)


# linear in v and in g (its derivative in x, a third derivative of the product, is not
# carried: x is treated as a constant here)
@vjp(prod_hess)
def _(dout, out, v, g, x, axis, keepdims):
    return (arr_prod_hess(dout, g, x, axis, keepdims),
            np.reshape(np.sum(arr_prod_hess(v, np.ones_like(g), x, axis, keepdims) * dout,
                              axis=axis, keepdims=keepdims), np.shape(g)))


@jvp(prod_hess)
def _(out, v, g, x, axis, keepdims, dv, dg):
    return (arr_prod_hess(dv, g, x, axis, keepdims), arr_prod_hess(v, dg, x, axis, keepdims))


@kernel_of("prod_hess")
def arr_prod_hess(v, dout, x, axis=None, keepdims=False):
    """``sum_j d^2 prod / dx_i dx_j * v_j`` times ``dout`` broadcast back (the Hessian of a
    product is symmetric): the products of all elements but i and j, summed in a loop."""
    x = np.asarray(x, np.float64)
    v = np.asarray(v, np.float64)
    nd = x.ndim
    axes = tuple(range(nd)) if axis is None else \
        tuple(a % nd for a in ((axis,) if np.ndim(axis) == 0 else axis))
    rest = [a for a in range(nd) if a not in axes]
    perm = rest + list(axes)
    mx, mv = np.transpose(x, perm), np.transpose(v, perm)
    lead = mx.shape[:len(rest)]
    fx, fv = mx.reshape(lead + (-1,)), mv.reshape(lead + (-1,))
    n = fx.shape[-1]
    out = np.zeros_like(fx)
    for i in range(n):
        for j in range(n):
            if i == j:
                continue
            keep = np.ones(n, bool)
            keep[[i, j]] = False
            out[..., i] += np.prod(fx[..., keep], -1) * fv[..., j]
    g = expand_to(dout, x, axis=axis, keepdims=keepdims)
    g = np.transpose(g, perm).reshape(lead + (-1,))
    res = (out * g).reshape(mx.shape)
    return np.transpose(res, np.argsort(perm)).astype(np.result_type(dout, x))


# ---------------------------------------------------------------------------------------
# indices (no gradient)
# ---------------------------------------------------------------------------------------

@primitive(name="argmax", diff=())
def argmax_(x, axis=None, keepdims=False, dtype="int64"):
    return arr_argmax(x, axis, keepdims, dtype)


@primitive(name="argmin", diff=())
def argmin_(x, axis=None, keepdims=False, dtype="int64"):
    return arr_argmin(x, axis, keepdims, dtype)


@primitive(name="argsort", diff=())
def argsort_(x, axis=-1, descending=False, dtype="int32"):
    return arr_argsort(x, axis, descending, dtype)


@primitive(name="sorted_order", diff=())
def sorted_order_(keys, reverse=False):
    return arr_sorted_order(keys, reverse)


@primitive(name="topk_indices", diff=())
def topk_indices_(x, k, axis=-1, largest=True, dtype="int32"):
    return arr_topk_indices(x, k, axis, largest, dtype)


@primitive(diff=())
def index_zero(x):
    return np.zeros((), np.int64)


@primitive(name="chunk_step", diff=())
def chunk_step_(x, chunks, axis):
    return arr_chunk_step(x, chunks, axis)


@primitive(name="section_start", diff=())
def section_start_(x, sections, index, axis):
    return arr_section_start(x, sections, index, axis)


@primitive(diff=())
def nd_index(indices):
    return tuple(np.moveaxis(np.asarray(indices), -1, 0))


@primitive(diff=())
def join_shapes(a, b):
    return tuple(np.ravel(a).tolist()) + tuple(np.ravel(b).tolist())


@primitive(name="flip", diff=("x",))
def flip_(x, axis=None):
    return np.flip(x, axis)


@vjp(flip_)
def _(dout, out, x, axis):
    return (np.flip(dout, axis),)


@jvp(flip_)
def _(out, x, axis, dx):
    return (np.flip(dx, axis),)


@primitive(diff=("x",))
def swapaxes(x, axis0, axis1):
    return np.swapaxes(x, axis0, axis1)


@vjp(swapaxes)
def _(dout, out, x, axis0, axis1):
    return (np.swapaxes(dout, axis0, axis1),)


@jvp(swapaxes)
def _(out, x, axis0, axis1, dx):
    return (np.swapaxes(dx, axis0, axis1),)


# ---------------------------------------------------------------------------------------
# new arrays (no gradient)
# ---------------------------------------------------------------------------------------

@primitive(diff=())
def full(shape, value, dtype="float32"):
    return np.full(shape, value, dtype)


@primitive(diff=())
def tuple_array(values):
    # ops.tuple_to_array of a tuple known only at run time (``x.shape[2:4]`` under the
    # compiler): int32 for ints (and bools), float32 otherwise, as MindSpore 2.10 measured
    return np.asarray(values, "int32" if np.asarray(values).dtype.kind in "iub" else "float32")


@primitive(diff=())
def arange(start, stop, step, dtype):
    return np.arange(start, stop, step).astype(dtype)


@primitive(diff=())
def arange_auto(start, stop, step):
    # MindSpore's default dtype for bounds known only at run time (``x.shape[1]`` under
    # the compiler): int64 for integer bounds, float32 otherwise
    return np.arange(start, stop, step,
                     "int64" if np.asarray(start + stop + step).dtype.kind in "iu" else "float32")


@primitive(diff=())
def arange_mnp(start, stop, step):
    # mindspore.numpy.arange's default dtype (measured in MindSpore 2.10): int32 when every
    # bound is a Python int (a shape under the compiler), float32 otherwise (np.int64(3),
    # a Tensor, a float)
    return np.arange(start, stop, step, "int32" if type(start) is int and type(stop) is int
                     and type(step) is int else "float32")


@primitive(diff=())
def linspace(start, stop, num, dtype="float32"):
    return np.linspace(start, stop, num).astype(dtype)


@primitive(diff=())
def eye(n, m=None, dtype="float32"):
    return np.eye(n, m, dtype=dtype)


#: what this module registers (tests/test_rules.py checks the family's spec rows by it).
ARRAY_PRIMITIVES = ("take", "untake", "take_along", "untake_along", "triu", "tril", "tile",
                    "untile", "repeat", "unrepeat", "roll", "pad", "unpad", "cumsum",
                    "cumprod", "prod", "prod_grad", "prod_hess", "argmax", "argmin", "argsort", "sorted_order",
                    "topk_indices", "index_zero", "nd_index", "chunk_step", "section_start",
                    "flip", "swapaxes", "full", "tuple_array", "join_shapes", "arange", "arange_auto", "arange_mnp",
                    "linspace", "eye")
