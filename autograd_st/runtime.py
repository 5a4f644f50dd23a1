"""The few helpers that generated code calls, besides numpy itself.

Every helper here is tiny, works on raw numpy arrays and Python numbers, and is also a
primitive in :mod:`autograd_st.rules` (so code that calls it can be differentiated again),
except ``sum_to``, ``matmul_nt_to``, ``matmul_tn_to`` and the ``accumulate`` helpers: only
the final lowering (:mod:`autograd_st.compiler.lower`) writes them, in code never
differentiated again.  Generated modules see the names of ``__all__`` and ``np`` as globals;
nothing else (``sum_rows`` and ``ones_vector`` serve the helpers and the kernels).
"""
from __future__ import annotations

import math

import numpy as np

from .promotion import int_result, ms_promote

__all__ = ["unbroadcast", "expand_to", "ungetitem", "concat2", "axis_slice", "sigmoid", "relu", "ones_like",
           "zeros_like", "stop_gradient", "softmax", "log_softmax", "logsumexp",
           "matmul_nt", "matmul_tn", "cast_like", "int_like", "mp_cast", "ms_promote", "first_order_value", "broadcast_like", "sum_to", "accumulate",
           "accumulate_to", "accumulate_tn", "matmul_nt_to",
           "matmul_tn_to", "grad_ready", "GradList", "Shape", "shape_of", "segment_length", "inplace_ok", "fwdacc_ok",
           "numbers_as", "matmul_ones", "sum_ones", "ones_matmul_nt", "ones_matmul_tn",
           "RUNTIME_NAMES"]


def inplace_ok(*arrays) -> bool:
    """Whether each of ``arrays`` is a float ndarray of at least one dimension: then the
    temporaries a generated function derives from them elementwise are arrays of their shape
    and dtype, which its in-place branch (``compiler/inplace.py``) writes into."""
    for a in arrays:
        if a.__class__ is not np.ndarray or not a.ndim or a.dtype.kind != "f":
            return False
    return True


def fwdacc_ok(x, *others) -> bool:
    """Whether a gradient accumulated forward (``compiler/lower_fwdacc.py``) may run: ``x``
    a float ndarray of at least one dimension, each of ``others`` a Python number, or an
    ndarray of ``x``'s dtype (or boolean) that broadcasts to ``x``'s shape without
    enlarging it (every value of the chain then has ``x``'s shape and dtype)."""
    if x.__class__ is not np.ndarray or not x.ndim or x.dtype.kind != "f" \
            or x.dtype.itemsize < 4:  # (float16: the reverse code, whose rounding it is)
        return False
    for o in others:
        cls = o.__class__
        if cls is float or cls is int or cls is bool:
            continue
        if cls is not np.ndarray or (o.dtype != x.dtype and o.dtype.kind != "b"):
            return False
        if o.ndim > x.ndim:
            return False
        if o.ndim:
            for a, b in zip(o.shape[::-1], x.shape[::-1]):
                if a != b and a != 1:
                    return False
    return True


_NUMBERS: dict = {}  # (dtype, numbers) -> their read-only 0-d arrays


def numbers_as(like, numbers: tuple) -> tuple:
    """``numbers`` (Python ints and floats) as read-only 0-d arrays of ``like``'s dtype: the
    values numpy 2 casts them to when they meet an array of that dtype, made once per dtype
    (the in-place branch of a generated function reads its numbers so)."""
    key = (like.dtype, numbers)
    found = _NUMBERS.get(key)
    if found is None:
        found = tuple(np.array(v, like.dtype) for v in numbers)
        for a in found:
            a.setflags(write=False)
        if len(_NUMBERS) < 4096:
            _NUMBERS[key] = found
    return found


def unbroadcast(g, like):
    """``g`` brought to the shape of ``like``: summed over the axes numpy broadcasting added
    or stretched, or broadcast up where ``like`` is the larger one (its own adjoint)."""
    try:  # the common cases, on the hot path of every generated gradient
        gshape = g.shape
        shape = like.shape
    except AttributeError:
        shape = np.shape(like)
    else:
        if gshape == shape:
            return g
        extra = len(gshape) - len(shape)
        if extra > 0 and gshape[extra:] == shape:  # leading axes added (a bias)
            if extra == 1:
                return sum_rows(g)
            return g.sum(axis=tuple(range(extra)))  # the method skips np.sum's wrapper
    return sum_to(g, shape)


def sum_rows(g):
    """``g.sum(axis=0)``; for a 2-D float32 or float64 array of at least ``_BLAS_ROWS``
    elements, the same sums as one BLAS call, ``ones @ g`` (two to six times sooner than
    the reduction: a bias's gradient).  Smaller ones are summed by numpy, in order."""
    if len(g.shape) == 2 and g.size >= _BLAS_ROWS:
        dtype = g.dtype
        if dtype is _F4 or dtype is _F8:
            n = g.shape[0]
            ones = _ONES.get((n, dtype))
            if ones is None:
                ones = ones_vector(n, dtype)
            return _matmul(ones, g)
    return g.sum(axis=0)


def ones_vector(n, dtype):
    """A read-only vector of ``n`` ones of ``dtype``, kept for the next call (row and column
    sums as BLAS products: here and in :mod:`autograd_st.kernels`)."""
    ones = _ONES.get((n, dtype))
    if ones is not None:
        return ones
    ones = np.ones(n, dtype)
    ones.flags.writeable = False
    if len(_ONES) >= 256:
        _ONES.clear()
    _ONES[(n, dtype)] = ones
    return ones


_ONES: dict = {}
_F4, _F8 = np.dtype(np.float32), np.dtype(np.float64)
# below this many elements a bias's gradient is summed by numpy, in order (as MindSpore's
# CPU kernels do, so small float32 results round as they do)
_BLAS_ROWS = 256


def sum_to(g, shape):
    """``unbroadcast`` given the shape instead of a value of that shape (lowered code tapes
    shapes: see :mod:`autograd_st.compiler.lower`)."""
    try:
        if g.shape == shape:
            return g
    except AttributeError:
        pass
    if np.shape(g) == shape:
        return g
    g = np.asarray(g)
    extra = g.ndim - len(shape)
    if extra > 0:
        g = sum_rows(g) if extra == 1 else g.sum(axis=tuple(range(extra)))
    if g.ndim == len(shape):
        axes = tuple(i for i, n in enumerate(shape) if n == 1 and g.shape[i] != 1)
        if axes:
            g = g.sum(axis=axes, keepdims=True)
    if g.shape != shape:
        g = np.broadcast_to(g, shape)
    return g


def expand_to(g, like, axis=None, keepdims=False):
    """Broadcast the gradient of a reduction over ``axis`` back to the shape of ``like`` (a
    value, or its shape as a tuple: lowered code keeps only the shape of a value read for
    it; generated code never passes a tuple value here, its tuples are structures)."""
    try:
        shape = like.shape
    except AttributeError:
        shape = like if type(like) is tuple else np.shape(like)
    if not keepdims and axis is not None:
        nd = len(shape)
        axes = sorted(a % nd for a in ((axis,) if isinstance(axis, int) else axis))
        try:
            kept = list(g.shape)
        except AttributeError:
            g = np.expand_dims(g, tuple(axes))
        else:  # np.expand_dims, without its wrapper's cost
            for a in axes:
                kept.insert(a, 1)
            g = g.reshape(kept)
    size = 1
    for n in shape:
        size *= n
    if size > _SMALL_EXPAND:
        return np.broadcast_to(g, shape)
    # small: a filled array costs less to make than a broadcast view (and is writeable)
    try:
        dtype = g.dtype
    except AttributeError:
        dtype = np.result_type(g)
    out = np.empty(shape, dtype)
    out[...] = g
    return out


# below this many elements expand_to fills an array instead of making a broadcast view
_SMALL_EXPAND = 1 << 16


_BASIC_INDEX = (int, slice, type(Ellipsis), type(None), np.integer)


def ungetitem(g, like, index):
    """The gradient of ``like[index]``: ``g`` scattered into zeros shaped like ``like``.
    A basic index (ints, slices, ``...``, ``None``) names each element at most once, so ``g``
    is assigned; an index with arrays may repeat elements, so it is added (``np.add.at``)."""
    out = np.zeros(np.shape(like), dtype=np.result_type(g))
    if isinstance(index, _BASIC_INDEX) or (
            type(index) is tuple and all(isinstance(i, _BASIC_INDEX) for i in index)):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


def concat2(x, y, axis=0):
    """np.concatenate((x, y), axis): n-way concatenation and stacking are chains of it."""
    return np.concatenate((x, y), axis=axis)


def axis_slice(like, axis, start, stop):
    """The index that takes ``start:stop`` along ``axis`` of an array shaped like ``like``."""
    ndim = np.ndim(like)
    return (slice(None),) * (axis % ndim) + (slice(start, stop),)


def sigmoid(x):
    """1 / (1 + exp(-x)), computed without overflow."""
    return np.exp(-np.logaddexp(0, -x))


def relu(x):
    return np.maximum(x, 0)


class GradList(list):
    """The gradient of a list built at run time (a list appended to in a loop whose trip
    count is not a constant): one gradient per item, in order, ``None`` for an item with no
    gradient.  ``+`` adds item by item (``None`` is zero) and refuses lists of different
    lengths, instead of joining them as ``list + list`` would."""

    __slots__ = ()

    def __add__(self, other):
        if not isinstance(other, list):
            return NotImplemented
        if len(other) != len(self):
            raise ValueError("gradients of a run-time list with %d and %d items cannot be "
                             "added (the list changed length between uses)"
                             % (len(self), len(other)))
        return GradList(b if a is None else a if b is None else a + b
                        for a, b in zip(self, other))

    __radd__ = __add__


def ones_like(x):
    if type(x) is np.ndarray:  # np.ones_like, without its Python-level wrapper
        out = np.empty_like(x)
        out.fill(1)
        return out
    if isinstance(x, np.number):  # a reduction's result (the seed of a loss): what
        return np.array(1, x.dtype)  # np.ones_like gives, a 0-d array, 8 times sooner
    if type(x) is list or type(x) is GradList or type(x) is tuple:  # the seed of a
        return GradList(ones_like(v) for v in x)  # returned run-time list
    return np.ones_like(x)


def matmul_ones(a, b):
    """``ones_like(np.matmul(a, b))`` without the product: the seed of an output whose value
    nothing else reads (``GradOperation()(net)`` of a net that ends in a matmul; the
    lowering writes it, compiler/lower_seed.py).  Two float matrices of one dtype that fit
    give ones of the product's shape and dtype; anything else is the product's own ones
    (its errors included)."""
    if type(a) is np.ndarray and type(b) is np.ndarray and a.ndim == 2 and b.ndim == 2 \
            and a.shape[1] == b.shape[0] and a.dtype is b.dtype and a.dtype.kind in "fc":
        out = np.empty((a.shape[0], b.shape[1]), a.dtype)
        out.fill(1)
        return out
    return ones_like(np.matmul(a, b))


def ones_matmul_nt(a, b):
    """``matmul_nt_to(matmul_ones(a, b), b, a)``: the gradient of ``a @ b`` with respect to
    ``a`` under a seed of ones, ``ones @ b.T``, whose every row is ``b``'s row sums (the
    lowering writes it, compiler/lower_seed.py).  Two float32 or float64 matrices of one
    dtype that fit; anything else is the two calls it replaces."""
    if type(a) is np.ndarray and type(b) is np.ndarray and a.ndim == 2 and b.ndim == 2 \
            and a.shape[1] == b.shape[0] and a.dtype is b.dtype \
            and (a.dtype is _F4 or a.dtype is _F8):
        out = np.empty(a.shape, a.dtype)
        out[...] = b.sum(axis=1)
        return out
    return matmul_nt_to(matmul_ones(a, b), b, a)


def ones_matmul_tn(a, b):
    """``matmul_tn_to(a, matmul_ones(a, b), b)``: the gradient of ``a @ b`` with respect to
    ``b`` under a seed of ones, ``a.T @ ones``, whose every column is ``a``'s column sums
    (as :func:`ones_matmul_nt`)."""
    if type(a) is np.ndarray and type(b) is np.ndarray and a.ndim == 2 and b.ndim == 2 \
            and a.shape[1] == b.shape[0] and a.dtype is b.dtype \
            and (a.dtype is _F4 or a.dtype is _F8):
        out = np.empty(b.shape, b.dtype)
        out[...] = a.sum(axis=0)[:, None]
        return out
    return matmul_tn_to(a, matmul_ones(a, b), b)


def sum_ones(x):
    """``ones_like(np.sum(x))`` without the sum: a 0-d one of the sum's dtype, a float
    array's own (the lowering writes it, as :func:`matmul_ones`)."""
    if type(x) is np.ndarray and x.dtype.kind in "fc":
        return np.array(1, x.dtype)
    return ones_like(np.sum(x))


def segment_length(trips) -> int:
    """``ceil(sqrt(trips))``, at least 1: the iterations between two checkpoints of a
    checkpointed loop (see :mod:`autograd_st.compiler.checkpoint`)."""
    s = math.isqrt(trips)
    return max(1, s if s * s >= trips else s + 1)


class Shape(tuple):
    """A value's shape (a tuple of ints) and its dtype, kept instead of the value where a
    backward reads the value only for its shape (lowered code: see
    :mod:`autograd_st.compiler.lower`).  It answers ``.shape``, ``.ndim`` and ``.dtype`` as
    the array did, so ``np.shape``, ``np.ndim``, ``unbroadcast``, ``expand_to`` and
    ``zeros_like`` take it in the array's place."""

    @property
    def shape(self):
        return tuple(self)

    @property
    def ndim(self):
        return len(self)


def shape_of(v):
    """``v``'s :class:`Shape` (with its dtype) for an array or a numpy or Python number;
    anything else (a run-time list) as it is."""
    if type(v) is np.ndarray or isinstance(v, np.generic):
        out = Shape(v.shape)
        out.dtype = v.dtype
        return out
    if type(v) in (float, int, bool, complex):
        out = Shape(())
        out.dtype = np.asarray(v).dtype
        return out
    return v


def zeros_like(x):
    if type(x) is Shape:  # (lowered code keeps only the shape of a value read for it)
        return np.zeros(x, x.dtype)
    if type(x) is np.ndarray:
        out = np.empty_like(x)
        out.fill(0)
        return out
    if isinstance(x, np.number):
        return np.array(0, x.dtype)
    if type(x) is list or type(x) is GradList:  # a run-time list: no gradient per item
        return GradList([None] * len(x))
    return np.zeros_like(x)


def stop_gradient(x):
    """The identity; the compiler gives it no gradient."""
    return x


def softmax(x, axis=-1):
    if type(x) is np.ndarray:  # the methods skip np.max's and np.sum's wrappers
        e = np.exp(x - x.max(axis=axis, keepdims=True))
        return e / e.sum(axis=axis, keepdims=True)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    if type(x) is np.ndarray:
        s = x - x.max(axis=axis, keepdims=True)
        return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))
    s = x - np.max(x, axis=axis, keepdims=True)
    return s - np.log(np.sum(np.exp(s), axis=axis, keepdims=True))


def logsumexp(x, axis=None, keepdims=False):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True)) + m
    if not keepdims:
        out = np.squeeze(out, axis=axis) if axis is not None else out.reshape(())
    return out


# Small products are summed in order (einsum), as MindSpore's CPU kernels do, so float32
# results round the same way (the tutorials print them); large ones go to BLAS.
_SMALL_MATMUL = 1 << 14


def matmul_nt(a, b):
    """a @ b.T over the last two axes; a 1-D ``b`` makes it the outer product a[..., None] * b
    (the gradient of ``x @ v`` with respect to ``x``)."""
    if b.ndim == 2 and a.ndim == 2 and a.size * b.shape[0] > _SMALL_MATMUL:
        return _matmul(a, b.T)  # the common case first: two matrices, large enough for BLAS
    if b.ndim == 1:
        return np.multiply.outer(a, b) if np.ndim(a) else a * b
    if a.ndim >= 2 and a.size * b.shape[-2] <= _SMALL_MATMUL:
        return _einsum("...ik,...jk->...ij", a, b)
    return _matmul(a, b.swapaxes(-1, -2))


def matmul_tn(a, b, like=None):
    """a.T @ b over the last two axes; a 1-D ``a`` makes it the outer product a[:, None] * b
    (the gradient of ``v @ y`` with respect to ``y``).  ``like``: the ``y`` of ``x @ y`` whose
    gradient this is; when it is 1-D, ``b`` is a column per batch entry."""
    if a.ndim == 2 and b.ndim == 2 and a.size * b.shape[1] > _SMALL_MATMUL \
            and (like is None or getattr(like, "ndim", None) == 2):
        return _matmul(a.T, b)  # the common case first: two matrices, large enough for BLAS
    if a.ndim == 1:
        return np.multiply.outer(a, b) if np.ndim(b) else a * b
    if like is not None and np.ndim(like) == 1:
        return _matmul(a.swapaxes(-1, -2), np.expand_dims(b, -1))[..., 0]
    if b.ndim >= 2 and a.size * b.shape[-1] <= _SMALL_MATMUL:
        return _einsum("...ki,...kj->...ij", a, b)
    return _matmul(a.swapaxes(-1, -2), b)


_matmul = np.matmul
try:  # np.einsum without its wrapper (the same kernel: np.einsum calls it when not optimizing)
    from numpy._core.multiarray import c_einsum as _einsum
except ImportError:  # pragma: no cover - numpy 1.x
    try:
        from numpy.core.multiarray import c_einsum as _einsum
    except ImportError:
        _einsum = np.einsum


def matmul_nt_to(a, b, like):
    """``unbroadcast(matmul_nt(a, b), like)`` in one call (the lowering writes it)."""
    if b.ndim == 2 and a.ndim == 2 and getattr(like, "ndim", None) == 2:
        # two matrices: the gradient has the matrix operand's shape, nothing to sum (and
        # matmul_nt's choice made here, without its call: the per-call path of small nets)
        if a.size * b.shape[0] > _SMALL_MATMUL:
            return _matmul(a, b.T)
        return _einsum("...ik,...jk->...ij", a, b)
    return unbroadcast(matmul_nt(a, b), like)


def matmul_tn_to(a, b, like):
    """``unbroadcast(matmul_tn(a, b, like=like), like)`` in one call (the lowering writes it)."""
    if a.ndim == 2 and b.ndim == 2 and getattr(like, "ndim", None) == 2:
        if a.size * b.shape[1] > _SMALL_MATMUL:
            return _matmul(a.T, b)
        return _einsum("...ki,...kj->...ij", a, b)
    return unbroadcast(matmul_tn(a, b, like=like), like)


def accumulate(acc, g):
    """``acc + g``, added into ``acc`` itself when that is the very array ``acc + g`` would be
    (same dtype, same shape).  Only lowered code calls it, on an accumulator it made itself
    (see :mod:`autograd_st.compiler.lower`); never on a user's array or a Parameter's."""
    try:
        if acc.dtype == g.dtype and acc.shape == g.shape and type(acc) is np.ndarray:
            acc += g
            return acc
    except AttributeError:
        pass
    return acc + g


def accumulate_to(acc, g, like):
    """``accumulate(acc, unbroadcast(g, like))`` in one call (a bias's gradient, say)."""
    try:
        gshape, shape = g.shape, like.shape
        dtype = g.dtype
        if type(acc) is np.ndarray and (acc.dtype is dtype or acc.dtype == dtype) \
                and acc.shape == shape:
            if gshape == shape:
                acc += g
                return acc
            if len(gshape) == len(shape) + 1 and gshape[1:] == shape:  # a bias's gradient
                acc += sum_rows(g)
                return acc
    except AttributeError:
        pass
    return accumulate(acc, unbroadcast(g, like))


def accumulate_tn(acc, a, b, like):
    """``accumulate(acc, unbroadcast(matmul_tn(a, b, like=like), like))`` in one call: the
    gradient of a weight ``like`` of ``x @ like`` added into the loop's accumulator."""
    try:  # the checks of the common case, fewest first: this runs once per weight per step
        two = a.ndim == 2 and b.ndim == 2 and like.ndim == 2 and type(acc) is np.ndarray
    except AttributeError:
        two = False
    if two and a.size * b.shape[1] > _SMALL_MATMUL:
        g = _matmul(a.T, b)  # shaped like the weight (a, b: x and the gradient of x @ like)
        if (g.dtype is acc.dtype or g.dtype == acc.dtype) and acc.shape == g.shape:
            acc += g
            return acc
        return acc + unbroadcast(g, like)
    return accumulate(acc, unbroadcast(matmul_tn(a, b, like=like), like))


def cast_like(g, like):
    """``g`` in the dtype of ``like`` (gradients take their input's dtype)."""
    dt = np.result_type(like)
    return g if np.result_type(g) == dt else np.asarray(g).astype(dt)


def int_like(y, x, how="mean"):
    """``y``, what numpy computed of ``x`` for MindSpore's op ``how``, in the dtype MindSpore
    gives when ``x`` is an integer or bool array (``"mean"``: MindSpore's mean of an int32
    Tensor is int32, rounded toward zero; the rules: ``promotion.int_result``), ``y``
    itself otherwise."""
    return int_result(y, x, how)


def mp_cast(x, dtype):
    """``x`` in ``dtype`` when it is a float array of another float dtype (a Cell after
    ``to_float``: its float inputs and Parameters), ``x`` itself otherwise (ints, bools,
    Python numbers)."""
    dt = x.dtype if x.__class__ is np.ndarray else None
    if dt is None or dt.kind != "f" or dt == dtype:
        return x
    return x.astype(dtype)


def first_order_value(x):
    """``x``: what ``first_order(x)`` computes in generated code (a name of its own, so that
    differentiating that code again refuses; see ``rules.first_order``)."""
    return x


RUNTIME_NAMES = tuple(__all__[:-1])

GRAD_READY_HOOK: list = [None]
"""What :func:`grad_ready` calls (a one-item list): set by ``nn.DistributedGradReducer`` while
a gradient compiled with ready hooks runs, None otherwise."""


def grad_ready(param, g):
    """A contribution ``g`` to the gradient of the Parameter whose array is ``param`` is
    complete.  Gradient code calls this only when it was compiled for a reducer that asked
    for it (``GradientPlan.ready_hook``; overlap of the all-reduce with the backward); it
    hands both to :data:`GRAD_READY_HOOK` when one is set."""
    hook = GRAD_READY_HOOK[0]
    if hook is not None:
        hook(param, g)


# ---------------------------------------------------------------------------------------
# forward-mode helpers: the tangent code of autograd_st.compiler.forward calls these (each is
# also a primitive in autograd_st.rules, with reverse and forward rules)
# ---------------------------------------------------------------------------------------

def broadcast_like(g, like):
    """``g`` broadcast up to the shape of ``like``: an input's tangent made shaped like the
    output of a broadcasting primitive (``x + y``).  ``g`` itself when the shapes match."""
    shape = np.shape(like)
    return g if np.shape(g) == shape else np.broadcast_to(g, shape)


# ---------------------------------------------------------------------------------------
# ``mindspore.runtime``'s device controls that a user script calls (``ms.runtime`` is this
# module): numpy runs each operation to its end before the next, so they change nothing
# ---------------------------------------------------------------------------------------

def launch_blocking() -> None:
    """MindSpore's ``mindspore.runtime.launch_blocking()``: run operators synchronously, so an
    error's traceback points at the line that caused it.  Here every operator already runs
    synchronously (numpy on the CPU): nothing to change."""


def synchronize(stream=None) -> None:
    """MindSpore's ``mindspore.runtime.synchronize()``: wait for the device's queued work.
    Here no work is ever queued (numpy on the CPU): it returns at once."""
