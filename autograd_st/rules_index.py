"""Primitives and their reverse (vjp) and forward (jvp) rules for indexing, scatter and random
ops (registered in the one registry of :mod:`autograd_st.rules`; see its docstring for how a
rule is written).

Most of the indexing family (``index_add``, ``scatter_add``, ``tensor_scatter_elements``,
``select_scatter``, the ``scatter_nd_*`` forms ...) is composed of existing primitives in
:mod:`autograd_st.table_index`.  This module holds what cannot be composed:

- ``idx_put``: ``x`` with ``v`` written at a numpy ``index`` (the last write wins where the
  index repeats, as in MindSpore's ScatterUpdate and numpy's assignment); its gradient goes
  to ``x`` where nothing was written and to the winning update only (``idx_winners``);
- ``idx_reduce``: ``x`` combined at ``index`` with updates by max, min, mul or div,
  accumulating repeats (``np.maximum.at`` ...); it has no rule of its own: the adapters route
  the gradient (see :mod:`autograd_st.table_index`);
- ``im2col`` / ``col2im``: ``ops.unfold`` / ``ops.fold``, each the other's adjoint;
- ``nonzero``, ``unique`` and its variants, ``searchsorted``: index results, no gradient;
- the random draws (``rand_uniform``, ``rand_normal`` ...): no gradient, drawn when the
  generated code runs (never folded into a constant).  They draw from one generator that
  ``ms.set_seed`` resets; a call given a ``seed`` draws from a generator of its own for that
  seed (reset by ``set_seed`` too), so a program is reproducible but two calls differ, as in
  MindSpore (measured).

Takes: :mod:`autograd_st.rules` (``primitive``, ``vjp``, ``jvp``), the runtime helpers and
the dropout generator of :mod:`autograd_st.context`.  Gives: the primitives, by registering
them; the op rows that publish them are in :mod:`autograd_st.table_index`.
"""
from __future__ import annotations

import numpy as np

from . import context
from .ms_random import (
    graph_seed,
    kernel_standard_normal,
    kernel_uniform_int,
    kernel_uniform_real,
)
from .rules import jvp, primitive, vjp
from .runtime import unbroadcast, zeros_like

__all__ = ["INDEX_PRIMITIVES", "idx_put_", "idx_winners_", "idx_reduce_", "idx_im2col",
           "idx_col2im", "idx_unique", "idx_unique_consecutive", "idx_searchsorted",
           "idx_unique_grad", "idx_unique_tangent",
           "idx_rng", "idx_rand"]


def _tag(name):
    def deco(fn):
        fn._autograd_st_prim = name
        return fn
    return deco


# ---------------------------------------------------------------------------------------
# writing at an index: the last write wins; reductions accumulate
# ---------------------------------------------------------------------------------------

@_tag("idx_put")
def idx_put_(x, index, v):
    """``x`` with ``v`` written at ``index`` (a copy; repeated positions: the last wins)."""
    out = np.array(x)  # (a copy, in x's dtype: the updates are cast to it, as in MindSpore)
    out[index] = v
    return out


_BASIC = (slice, int, np.integer, type(None), type(Ellipsis))


@_tag("idx_winners")
def idx_winners_(x, index):
    """A bool array shaped like ``x[index]``: True where this write is the one that stays
    (plain True for a basic index, slices and ints, which names no position twice)."""
    if all(isinstance(i, _BASIC) and not isinstance(i, bool)
           for i in (index if type(index) is tuple else (index,))):
        return True
    slots = np.full(np.shape(x), -1, np.int64)
    ids = np.arange(np.size(slots[index])).reshape(np.shape(slots[index]))
    slots[index] = ids
    return slots[index] == ids


_REDUCERS = {"max": np.maximum, "min": np.minimum, "mul": np.multiply, "div": np.divide,
             "add": np.add, "sub": np.subtract}


@_tag("idx_reduce")
def idx_reduce_(x, index, v, op):
    """``x`` with the updates ``v`` combined into it at ``index`` by ``op`` (max, min, mul,
    div, add, sub), repeated positions accumulating in order."""
    out = np.array(x)  # (a copy, in x's dtype)
    _REDUCERS[op].at(out, index, np.broadcast_to(v, np.shape(out[index])).astype(out.dtype))
    return out


@primitive(name="idx_put", diff=("x", "v"))
def idx_put(x, index, v):
    return idx_put_(x, index, v)


@vjp(idx_put)
def _(dout, out, x, index, v):
    return (idx_put_(dout, index, 0.0),
            unbroadcast(np.where(idx_winners_(x, index), dout[index], 0.0), v))


@jvp(idx_put)
def _(out, x, index, v, dx, dv):
    return (idx_put_(dx, index, 0.0), idx_put_(zeros_like(out), index, dv))


@primitive(name="idx_winners", diff=())
def idx_winners(x, index):
    return idx_winners_(x, index)


@primitive(name="idx_reduce", diff=())
def idx_reduce(x, index, v, op):
    return idx_reduce_(x, index, v, op)


# ---------------------------------------------------------------------------------------
# unfold / fold (im2col / col2im): (N, C, H, W) <-> (N, C*kh*kw, L), each the other's adjoint
# ---------------------------------------------------------------------------------------

def _pair(v):
    return (int(v), int(v)) if np.ndim(v) == 0 else tuple(int(a) for a in v)


def _blocks(hw, kernel, dilation, padding, stride):
    """The number of blocks along each spatial axis and the offsets of the kernel taps."""
    (kh, kw), (dh, dw), (ph, pw), (sh, sw) = (_pair(kernel), _pair(dilation), _pair(padding),
                                              _pair(stride))
    lh = (hw[0] + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    lw = (hw[1] + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    return (kh, kw), (dh, dw), (ph, pw), (sh, sw), lh, lw


@_tag("im2col")
def idx_im2col(x, kernel, dilation=1, padding=0, stride=1):
    """MindSpore's ``ops.unfold``: the sliding blocks of ``x`` (N, C, H, W) as columns
    (N, C*kh*kw, L), channel-major then kernel row, kernel column."""
    x = np.asarray(x)
    n, c, h, w = x.shape
    (kh, kw), (dh, dw), (ph, pw), (sh, sw), lh, lw = _blocks((h, w), kernel, dilation, padding,
                                                             stride)
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    cols = np.empty((n, c, kh, kw, lh, lw), x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = xp[:, :, i * dh:i * dh + sh * (lh - 1) + 1:sh,
                                  j * dw:j * dw + sw * (lw - 1) + 1:sw]
    return cols.reshape(n, c * kh * kw, lh * lw)


@_tag("col2im")
def idx_col2im(cols, output_size, kernel, dilation=1, padding=0, stride=1):
    """MindSpore's ``ops.fold``: columns (N, C*kh*kw, L) summed back into (N, C, H, W) (the
    adjoint of :func:`idx_im2col`; overlapping blocks add)."""
    cols = np.asarray(cols)
    h, w = _pair(output_size)
    (kh, kw), (dh, dw), (ph, pw), (sh, sw), lh, lw = _blocks((h, w), kernel, dilation, padding,
                                                             stride)
    n = cols.shape[0]
    c = cols.shape[1] // (kh * kw)
    cols = cols.reshape(n, c, kh, kw, lh, lw)
    out = np.zeros((n, c, h + 2 * ph, w + 2 * pw), cols.dtype)
    for i in range(kh):
        for j in range(kw):
            out[:, :, i * dh:i * dh + sh * (lh - 1) + 1:sh,
                j * dw:j * dw + sw * (lw - 1) + 1:sw] += cols[:, :, i, j]
    return out[:, :, ph:ph + h, pw:pw + w]


@primitive(name="im2col", diff=("x",))
def im2col(x, kernel, dilation=1, padding=0, stride=1):
    return idx_im2col(x, kernel, dilation, padding, stride)


@vjp(im2col)
def _(dout, out, x, kernel, dilation, padding, stride):
    return (idx_col2im(dout, np.shape(x)[2:], kernel, dilation, padding, stride),)


@jvp(im2col)
def _(out, x, kernel, dilation, padding, stride, dx):
    return (idx_im2col(dx, kernel, dilation, padding, stride),)


@primitive(name="col2im", diff=("cols",))
def col2im(cols, output_size, kernel, dilation=1, padding=0, stride=1):
    return idx_col2im(cols, output_size, kernel, dilation, padding, stride)


@vjp(col2im)
def _(dout, out, cols, output_size, kernel, dilation, padding, stride):
    return (idx_im2col(dout, kernel, dilation, padding, stride),)


@jvp(col2im)
def _(out, cols, output_size, kernel, dilation, padding, stride, dcols):
    return (idx_col2im(dcols, output_size, kernel, dilation, padding, stride),)


# ---------------------------------------------------------------------------------------
# index results (no gradient)
# ---------------------------------------------------------------------------------------

@_tag("unique")
def idx_unique(x, part, dtype="int32"):
    """MindSpore's ``ops.unique`` on a flattened ``x``: the values in the order they first
    appear (``part=0``), the index of each entry's value in them (``part=1``, ``dtype``),
    or how often each occurs (``part=2``); parts 3, 4, 5: the same for the values sorted
    (``Tensor.unique``)."""
    flat = np.ravel(x)
    values, first, inverse, counts = np.unique(flat, return_index=True, return_inverse=True,
                                               return_counts=True)
    if part == 7:  # where the sorted values are first found (their gradient goes there)
        return first.astype(np.int64)
    if 3 <= part <= 5:
        return (values, np.reshape(inverse, np.shape(x)).astype(dtype),
                counts.astype(dtype))[part - 3]
    order = np.argsort(first, kind="stable")
    if part == 6:  # where the values in first-appearance order are found
        return first[order].astype(np.int64)
    if part == 0:
        return values[order]
    if part == 1:
        rank = np.empty_like(order)
        rank[order] = np.arange(order.size)
        return rank[np.ravel(inverse)].reshape(np.shape(x)).astype(dtype)
    return counts[order].astype(dtype)


@_tag("unique_consecutive")
def idx_unique_consecutive(x, part, dtype="int64"):
    """Runs of equal neighbours in the flattened ``x``: the run values (``part=0``), each
    entry's run (``part=1``), the run lengths (``part=2``)."""
    flat = np.ravel(x)
    starts = np.concatenate([[True], flat[1:] != flat[:-1]]) if flat.size else \
        np.zeros(0, bool)
    if part == 0:
        return flat[starts]
    if part == 3:  # where each run starts (its value's gradient goes there)
        return np.flatnonzero(starts).astype(np.int64)
    if part == 1:
        return (np.cumsum(starts) - 1).reshape(np.shape(x)).astype(dtype)
    return np.diff(np.append(np.flatnonzero(starts), flat.size)).astype(dtype)


@_tag("searchsorted")
def idx_searchsorted(sorted_sequence, values, right=False, dtype="int64"):
    """``np.searchsorted`` over the last axis, row by row where ``sorted_sequence`` has
    leading axes (as MindSpore's SearchSorted)."""
    s, v = np.asarray(sorted_sequence), np.asarray(values)
    side = "right" if right else "left"
    if s.ndim <= 1:
        return np.searchsorted(s, v, side=side).astype(dtype)
    rows_s, rows_v = s.reshape(-1, s.shape[-1]), v.reshape(-1, v.shape[-1])
    out = np.stack([np.searchsorted(a, b, side=side) for a, b in zip(rows_s, rows_v)])
    return out.reshape(v.shape).astype(dtype)


@primitive(name="nonzero", diff=())
def nonzero(x):
    return np.argwhere(x).astype(np.int64)


@_tag("unique_grad")
def idx_unique_grad(dout, x, part, consecutive=False):
    """The gradient of ``unique(x, part)`` (``unique_consecutive`` with ``consecutive``):
    for the values (parts 0 and 3), each value's gradient at the entry where it is first
    found (as a gather's; a value found again elsewhere is the same value, and MindSpore's
    own UniqueGrad has no CPU kernel to compare with); zeros for the integer parts."""
    out = np.zeros(np.size(x), np.result_type(x, dout) if np.size(dout) else np.result_type(x))
    if part in (0, 3) and not (consecutive and part == 3):
        where = idx_unique_consecutive(x, 3) if consecutive else \
            idx_unique(x, 6 if part == 0 else 7)
        out[where] = np.ravel(dout)
    return out.reshape(np.shape(x)).astype(np.result_type(x), copy=False)


@_tag("unique_tangent")
def idx_unique_tangent(dx, x, part, consecutive=False):
    """The tangent of ``unique(x, part)``: the values' tangents read where they are found
    (zeros of the integer parts' shapes)."""
    if part in (0, 3) and not (consecutive and part == 3):
        where = idx_unique_consecutive(x, 3) if consecutive else \
            idx_unique(x, 6 if part == 0 else 7)
        return np.ravel(dx)[where]
    out = idx_unique_consecutive(x, part) if consecutive else idx_unique(x, part)
    return np.zeros(np.shape(out))


@primitive(name="unique", diff=("x",))
def unique(x, part, dtype="int32"):
    return idx_unique(x, part, dtype)


@vjp(unique)
def _(dout, out, x, part, dtype):
    return (idx_unique_grad(dout, x, part, False),)


@jvp(unique)
def _(out, x, part, dtype, dx):
    return (idx_unique_tangent(dx, x, part, False),)


@primitive(name="unique_consecutive", diff=("x",))
def unique_consecutive(x, part, dtype="int64"):
    return idx_unique_consecutive(x, part, dtype)


@vjp(unique_consecutive)
def _(dout, out, x, part, dtype):
    return (idx_unique_grad(dout, x, part, True),)


@jvp(unique_consecutive)
def _(out, x, part, dtype, dx):
    return (idx_unique_tangent(dx, x, part, True),)


@primitive(name="unique_grad", diff=("dout",), refused="a second derivative through ops.unique")
def unique_grad(dout, x, part, consecutive=False):
    return idx_unique_grad(dout, x, part, consecutive)


@primitive(name="unique_tangent", diff=("dx",), refused="a second derivative through ops.unique")
def unique_tangent(dx, x, part, consecutive=False):
    return idx_unique_tangent(dx, x, part, consecutive)


@primitive(name="searchsorted", diff=())
def searchsorted(sorted_sequence, values, right=False, dtype="int64"):
    return idx_searchsorted(sorted_sequence, values, right, dtype)


# ---------------------------------------------------------------------------------------
# random draws (no gradient)
# ---------------------------------------------------------------------------------------

_RNGS: dict = {"epoch": None, "global": None, "seeded": {}}


def idx_rng(seed=0, seed2=0):
    """The generator a random op draws from: one for the program, reset by ``set_seed``
    (seen as a new dropout generator), or one per ``(seed, seed2)`` when a seed is given."""
    epoch = context.DROPOUT_RNG[0]
    if _RNGS["epoch"] is not epoch:
        base = context.get_seed() or 0
        _RNGS.update(epoch=epoch, seeded={}, base=base,
                     **{"global": np.random.default_rng([base, 0x5EED])})
    if not seed and not seed2:
        return _RNGS["global"]
    key = (int(seed or 0), int(seed2 or 0))
    rng = _RNGS["seeded"].get(key)
    if rng is None:
        rng = _RNGS["seeded"][key] = np.random.default_rng([_RNGS["base"], key[0], key[1]])
    return rng


def _shape(shape):
    return tuple(int(s) for s in np.ravel(shape)) if np.ndim(shape) else (int(shape),)


def _f32_operand(v):
    """A bound as MindSpore's function makes it a Tensor: a Python float is float32."""
    return np.float32(v) if isinstance(v, float) else np.asarray(v)


def _kernel_draw(kind, shape, a, b, seeds):
    """The draw of MindSpore's CPU kernel for ``kind`` (``ms_random``), or None for a kind
    without one here."""
    n = int(np.prod(shape))
    if kind == "normal":  # StandardNormal, then * stddev + mean
        out = kernel_standard_normal(seeds, n).reshape(shape)
        return out if (a, b) == (0.0, 1.0) else out * _f32_operand(b) + _f32_operand(a)
    if kind == "uniform":  # UniformReal, then * (maxval - minval) + minval
        out = kernel_uniform_real(seeds, n).reshape(shape)
        if (a, b) == (0.0, 1.0):
            return out
        lo = _f32_operand(a)
        return out * (_f32_operand(b) - lo) + lo
    if kind == "int":
        return kernel_uniform_int(seeds, n, int(a), int(b)).reshape(shape)
    return None


@_tag("rand")
def idx_rand(kind, shape, a=0.0, b=1.0, dtype="float32", seed=0, seed2=0, kernel=None):
    """One random draw of ``shape``: ``kind`` is uniform ``[a, b)``, normal (mean ``a``,
    standard deviation ``b``), int ``[a, b)``, bernoulli (probability ``a``), gamma (shape
    ``a``, scale ``b``), poisson (mean ``a``), exponential (scale ``a``), laplace (mean
    ``a``, scale ``b``); cast to
    ``dtype``.  ``a`` and ``b`` broadcast against ``shape``.  ``kernel``: the name
    MindSpore's function takes its op seeds under (``"randn"``, ``"uniform"`` ...; ``seed``
    its op seed): under a global or an op seed, a uniform, normal or int draw is then
    MindSpore's own (a new op per call with the next op seeds, measured)."""
    shape = _shape(shape)
    if kernel is not None and kind in ("normal", "uniform", "int"):
        seeds = graph_seed(context.get_seed(), kernel, seed)
        if seeds != (0, 0):
            return np.asarray(_kernel_draw(kind, shape, a, b, seeds)).astype(dtype)
    rng = idx_rng(seed, seed2)
    if kind == "uniform":
        out = rng.uniform(0.0, 1.0, shape) * (np.asarray(b) - np.asarray(a)) + np.asarray(a)
    elif kind == "normal":
        out = rng.standard_normal(shape) * np.asarray(b) + np.asarray(a)
    elif kind == "int":
        out = rng.integers(int(a), int(b), shape)
    elif kind == "bernoulli":
        out = rng.random(shape) < np.asarray(a)
    elif kind == "gamma":
        out = rng.gamma(np.broadcast_to(a, shape), np.broadcast_to(b, shape))
    elif kind == "poisson":
        out = rng.poisson(np.broadcast_to(a, shape))
    elif kind == "exponential":
        out = rng.exponential(np.broadcast_to(a, shape))
    elif kind == "laplace":
        out = rng.laplace(np.broadcast_to(a, shape), np.broadcast_to(b, shape))
    else:
        raise ValueError("idx_rand: unknown kind %r" % (kind,))
    return np.asarray(out).astype(dtype)


@_tag("rand_multinomial")
def idx_multinomial(probs, num_samples, replacement=True, seed=0, seed2=0):
    """``num_samples`` class indices per row of ``probs`` (weights, not normalized), int32
    (MindSpore's multinomial); without replacement each class at most once per row."""
    rng = idx_rng(seed, seed2)
    p = np.asarray(probs, np.float64)
    rows = p.reshape(-1, p.shape[-1])
    out = np.stack([rng.choice(r.size, int(num_samples), replace=bool(replacement),
                               p=r / r.sum()) for r in rows])
    return out.reshape(p.shape[:-1] + (int(num_samples),)).astype(np.int32)


@_tag("rand_permutation")
def idx_permutation(n, seed=0, offset=0, dtype="int64"):
    """A permutation of ``range(n)`` fixed by ``(seed, offset)`` (MindSpore's randperm: the
    same permutation on every call with the same seed, measured)."""
    return np.random.default_rng([int(seed), int(offset)]).permutation(int(n)).astype(dtype)


@_tag("rand_shuffle")
def idx_shuffle(x, seed=0, seed2=0):
    """``x`` with its first axis shuffled."""
    x = np.asarray(x)
    return x[idx_rng(seed, seed2).permutation(x.shape[0])] if x.ndim else x.copy()


@_tag("rand_choice_mask")
def idx_choice_mask(x, count=256, seed=0, seed2=0):
    """MindSpore's RandomChoiceWithMask in one array (count, ndim + 1): the coordinates of
    up to ``count`` True entries of ``x`` in random order, zeros after them, and in the last
    column 1 where a row holds a coordinate (one draw: the two outputs agree)."""
    coords = np.argwhere(np.asarray(x))
    coords = coords[idx_rng(seed, seed2).permutation(len(coords))][:int(count)]
    out = np.zeros((int(count), np.ndim(x) + 1), np.int32)
    out[:len(coords), :-1] = coords
    out[:len(coords), -1] = 1
    return out


@primitive(name="rand_choice_mask", diff=(), random=True)
def rand_choice_mask(x, count=256, seed=0, seed2=0):
    return idx_choice_mask(x, count, seed, seed2)


@primitive(name="rand", diff=(), random=True)
def rand(kind, shape, a=0.0, b=1.0, dtype="float32", seed=0, seed2=0, kernel=None):
    return idx_rand(kind, shape, a, b, dtype, seed, seed2, kernel)


@primitive(name="rand_multinomial", diff=(), random=True)
def rand_multinomial(probs, num_samples, replacement=True, seed=0, seed2=0):
    return idx_multinomial(probs, num_samples, replacement, seed, seed2)


@primitive(name="rand_permutation", diff=())
def rand_permutation(n, seed=0, offset=0, dtype="int64"):
    return idx_permutation(n, seed, offset, dtype)


@primitive(name="rand_shuffle", diff=(), random=True)
def rand_shuffle(x, seed=0, seed2=0):
    return idx_shuffle(x, seed, seed2)


# ---------------------------------------------------------------------------------------
# shapes: axes moved, rank raised, space <-> batch (each linear; its rule its adjoint)
# ---------------------------------------------------------------------------------------

@primitive(name="moveaxis", diff=("x",))
def moveaxis(x, source, destination):
    return np.moveaxis(x, source, destination)


@vjp(moveaxis)
def _(dout, out, x, source, destination):
    return (np.moveaxis(dout, destination, source),)


@jvp(moveaxis)
def _(out, x, source, destination, dx):
    return (np.moveaxis(dx, source, destination),)


@_tag("atleast")
def idx_atleast(x, n):
    """``x`` with at least ``n`` axes as numpy's ``atleast_<n>d`` (``n="col"``: a vector as
    a column (n, 1), as ``column_stack`` takes it)."""
    x = np.asarray(x)
    if n == "col":
        return x.reshape(-1, 1) if x.ndim < 2 else x
    return (np.atleast_1d, np.atleast_2d, np.atleast_3d)[n - 1](x)


@primitive(name="atleast", diff=("x",))
def atleast(x, n):
    return idx_atleast(x, n)


@vjp(atleast)
def _(dout, out, x, n):
    return (np.reshape(dout, np.shape(x)),)


@jvp(atleast)
def _(out, x, n, dx):
    return (idx_atleast(dx, n),)


@primitive(name="hstack_axis", diff=())
def hstack_axis(x):
    return 0 if np.ndim(x) <= 1 else 1


@_tag("space_to_batch")
def idx_space_to_batch(x, block, paddings):
    """MindSpore's SpaceToBatchND: the last ``len(block)`` axes padded by ``paddings`` and
    cut into blocks; block offsets go to the batch axis, outer to the original batch."""
    x = np.asarray(x)
    m = len(block)
    lead = x.ndim - m  # (batch, channels...)
    x = np.pad(x, [(0, 0)] * lead + [tuple(p) for p in paddings])
    shape = list(x.shape[:lead])
    for i, b in enumerate(block):
        shape += [x.shape[lead + i] // b, b]
    x = x.reshape(shape)
    offsets = [lead + 2 * i + 1 for i in range(m)]
    spatial = [lead + 2 * i for i in range(m)]
    x = x.transpose(offsets + list(range(lead)) + spatial)
    n = x.shape[m] * int(np.prod(block))
    return x.reshape((n,) + x.shape[m + 1:])


@_tag("batch_to_space")
def idx_batch_to_space(x, block, crops):
    """MindSpore's BatchToSpaceND: the inverse of :func:`idx_space_to_batch` (``crops``
    removed after the blocks are put back)."""
    x = np.asarray(x)
    m = len(block)
    n = x.shape[0] // int(np.prod(block))
    x = x.reshape(tuple(block) + (n,) + x.shape[1:])
    rest = x.ndim - 2 * m - 1  # (channels...)
    spatial = [m + 1 + rest + i for i in range(m)]
    order = [m] + [m + 1 + i for i in range(rest)]
    for i in range(m):
        order += [spatial[i], i]
    x = x.transpose(order)
    shape = x.shape[:1 + rest] + tuple(x.shape[1 + rest + 2 * i] * block[i] for i in range(m))
    x = x.reshape(shape)
    index = (slice(None),) * (1 + rest) + tuple(
        slice(c[0], x.shape[1 + rest + i] - c[1]) for i, c in enumerate(crops))
    return x[index]


@primitive(name="space_to_batch", diff=("x",))
def space_to_batch(x, block, paddings):
    return idx_space_to_batch(x, block, paddings)


@vjp(space_to_batch)
def _(dout, out, x, block, paddings):
    return (idx_batch_to_space(dout, block, paddings),)


@jvp(space_to_batch)
def _(out, x, block, paddings, dx):
    return (idx_space_to_batch(dx, block, paddings),)


@primitive(name="batch_to_space", diff=("x",))
def batch_to_space(x, block, crops):
    return idx_batch_to_space(x, block, crops)


@vjp(batch_to_space)
def _(dout, out, x, block, crops):
    return (idx_space_to_batch(dout, block, crops),)


@jvp(batch_to_space)
def _(out, x, block, crops, dx):
    return (idx_batch_to_space(dx, block, crops),)


# ---------------------------------------------------------------------------------------
# numpy index tuples computed from a value's shape (no gradient)
# ---------------------------------------------------------------------------------------

@_tag("diag_index")
def idx_diag_index(x, offset=0, dim1=0, dim2=1):
    """The index tuple that reads ``ops.diagonal(x, offset, dim1, dim2)``: the other axes
    first, the diagonal last."""
    shape = np.shape(x)
    nd = len(shape)
    dim1, dim2 = dim1 % nd, dim2 % nd
    r0, c0 = (0, offset) if offset >= 0 else (-offset, 0)
    length = max(0, min(shape[dim1] - r0, shape[dim2] - c0))
    others = [d for d in range(nd) if d not in (dim1, dim2)]
    k = len(others) + 1
    diag = np.arange(length)
    index = []
    for d in range(nd):
        if d == dim1:
            index.append(diag + r0)
        elif d == dim2:
            index.append(diag + c0)
        else:
            j = others.index(d)
            index.append(np.arange(shape[d]).reshape((1,) * j + (-1,) + (1,) * (k - j - 1)))
    return tuple(index)


@primitive(name="diag_index", diff=())
def diag_index(x, offset=0, dim1=0, dim2=1):
    return idx_diag_index(x, offset, dim1, dim2)


@_tag("along_index")
def idx_along_index(index, axis):
    """The index tuple that picks element by element at ``index`` along ``axis`` (other
    axes: the positions of ``index`` itself), as ``tensor_scatter_elements`` writes."""
    index = np.asarray(index)
    axis = axis % index.ndim
    grids = list(np.ogrid[tuple(slice(0, n) for n in index.shape)])
    grids[axis] = index
    return tuple(grids)


@primitive(name="along_index", diff=())
def along_index(index, axis):
    return idx_along_index(index, axis)


@_tag("revseq_index")
def idx_revseq_index(x, seq_lengths, seq_dim, batch_dim=0):
    """The positions along ``seq_dim`` that ``reverse_sequence`` reads: the first
    ``seq_lengths[b]`` reversed in batch ``b``, the rest kept; shaped to broadcast."""
    shape = np.shape(x)
    nd = len(shape)
    seq_dim, batch_dim = seq_dim % nd, batch_dim % nd
    t = np.arange(shape[seq_dim]).reshape([-1 if d == seq_dim else 1 for d in range(nd)])
    n = np.asarray(seq_lengths).reshape([-1 if d == batch_dim else 1 for d in range(nd)])
    return np.broadcast_to(np.where(t < n, n - 1 - t, t), shape)


@primitive(name="revseq_index", diff=())
def revseq_index(x, seq_lengths, seq_dim, batch_dim=0):
    return idx_revseq_index(x, seq_lengths, seq_dim, batch_dim)


@_tag("extreme_like")
def idx_extreme_like(like, which):
    """An array shaped and typed like ``like`` filled with where a ``which`` reduction
    starts: the lowest value of the dtype for max, the highest for min, 1 for prod."""
    like = np.asarray(like)
    info = np.finfo(like.dtype) if like.dtype.kind == "f" else np.iinfo(like.dtype)
    value = {"max": info.min, "min": info.max}.get(which, 1)
    return np.full(like.shape, value, like.dtype)


@_tag("pad_widths")
def idx_pad_widths(paddings):
    """MindSpore's mirror_pad ``paddings`` ((ndim, 2): before/after per axis, first axis
    first) as ``ops.pad``'s flat widths (last axis first)."""
    pads = np.asarray(paddings).reshape(-1, 2)
    return tuple(int(v) for pair in pads[::-1] for v in pair)


@primitive(name="pad_widths", diff=())
def pad_widths(paddings):
    return idx_pad_widths(paddings)


@primitive(name="extreme_like", diff=())
def extreme_like(like, which):
    return idx_extreme_like(like, which)


@_tag("resized")
def idx_resized(x, shape):
    """``Tensor.resize``: the values in order, cut or padded with zeros to ``shape``."""
    x = np.asarray(x)
    n = int(np.prod(shape))
    flat = np.zeros(n, x.dtype)
    flat[:min(n, x.size)] = x.ravel()[:n]
    return flat.reshape(shape)


@primitive(name="resized", diff=())
def resized(x, shape):
    return idx_resized(x, shape)


INDEX_PRIMITIVES = ("idx_put", "idx_winners", "idx_reduce", "im2col", "col2im", "nonzero",
                    "unique", "unique_consecutive", "unique_grad", "unique_tangent", "searchsorted", "rand", "rand_multinomial",
                    "rand_permutation", "rand_shuffle", "rand_choice_mask", "moveaxis", "atleast", "hstack_axis",
                    "space_to_batch", "batch_to_space", "diag_index", "along_index",
                    "revseq_index", "extreme_like", "resized", "pad_widths")
"""The primitives this module registers."""
