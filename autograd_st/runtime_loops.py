"""The helpers of batched loops: what the final lowering's loop step
(:mod:`autograd_st.compiler.lower_loops`) writes, in code never differentiated again.

A loop whose trip count ``n`` is known when it starts keeps its tape as one array per taped
value, ``(n,) + shape``, made at the first record from that value's shape and dtype
(:func:`tape_put`), instead of a list of tuples; the backward loop reads row ``k``.  A
weight's gradient accumulated per iteration is summed once after the backward loop, over
the stacked rows (:func:`accumulate_tn_rows`, :func:`accumulate_to_rows`).  A value that is
not an array, or whose shape or dtype differs from the first one's, turns that tape into a
list of ``n`` entries (the same reads work on both), so nothing is refused at run time.
Arrays of rows of a middling size are pooled for the next call (see ``_empty``).
Generated modules see these names as globals (:func:`autograd_st.rules.template_globals`).
"""
from __future__ import annotations

import sys
from operator import itemgetter as _itemgetter

import numpy as np

from .kernels import linear, linear_dw
from .runtime import (
    _SMALL_MATMUL,
    accumulate,
    accumulate_tn,
    accumulate_to,
    matmul_tn,
    sum_to,
    ungetitem,
)

__all__ = ["tape_put", "tape_put_next", "tape_put_as", "sum_to_each", "sum_to_rows", "accumulate_tn_rows", "accumulate_dw_rows",
           "accumulate_to_rows", "accumulate_at", "matmul_rows", "linear_rows", "rows_stacked", "into_row",
           "tape_put_row", "rows_fast", "fwd_rows", "as_row", "LOOP_NAMES", "clear_pool"]

_ndarray = np.ndarray
_matmul = np.matmul

# Arrays of rows are kept for the next call to the same code: an array between 128 KiB and
# 4 MiB is past the allocator's reuse of freed memory (a fresh one is mapped in, a page
# fault per 4 KiB page: microseconds each, about the time of the step that fills it) and
# below numpy's huge pages.  An array is handed out again only when nothing refers to it
# any more (no name, no view: its reference count says so), so a row that outlived its
# call is never overwritten.  At most 4 per shape and dtype, 32 MiB in all.
_POOL: dict = {}
_POOL_BYTES = [0]
_POOL_LIMIT = 32 << 20
_getrefcount = sys.getrefcount


def _free_count() -> int:
    """The reference count of an array that only the pool refers to, seen from the loop in
    ``_empty`` (measured here: interpreters count a loop's name differently)."""
    probe = [np.empty(0)]
    for buf in probe:
        return _getrefcount(buf)
    return 0


_FREE = _free_count()


def clear_pool() -> int:
    """Let go of the pooled rows arrays (the bytes they held): the next call allocates its
    tapes afresh, as a memory measurement of one call must see them."""
    held = _POOL_BYTES[0]
    _POOL.clear()
    _POOL_BYTES[0] = 0
    return held


def _empty(shape, dtype):
    """``np.empty(shape, dtype)``, or a pooled array of that shape and dtype that nothing
    refers to any more."""
    dtype = np.dtype(dtype)
    size = dtype.itemsize
    for d in shape:
        size *= d
    if size < (128 << 10) or size >= (4 << 20):
        return np.empty(shape, dtype)
    key = (shape, dtype)
    kept = _POOL.get(key)
    if kept:
        for buf in kept:
            if _getrefcount(buf) == _FREE:  # only the pool refers to it (no name, no view)
                return buf
    buf = np.empty(shape, dtype)
    if (kept is None or len(kept) < 4) and _POOL_BYTES[0] + size <= _POOL_LIMIT:
        _POOL.setdefault(key, []).append(buf)
        _POOL_BYTES[0] += size
    return buf


def tape_put(buf, k, n, v):
    """Record ``v`` as row ``k`` of a tape of ``n`` rows and return the tape: ``buf`` is None
    (nothing recorded yet), an array ``(n,) + v.shape`` (rows copied in), or a list of ``n``
    entries (values kept as they are: not arrays, or shapes or dtypes that changed)."""
    if buf.__class__ is _ndarray:
        if v.__class__ is _ndarray and v.shape == buf.shape[1:] \
                and (v.dtype is buf.dtype or v.dtype == buf.dtype):
            buf[k] = v
            return buf
        buf = list(buf)  # the rows recorded so far (views) and the rest to come
    elif buf is None:
        if v.__class__ is _ndarray and v.ndim and n > 1:
            buf = _empty((n,) + v.shape, v.dtype)
            buf[k] = v
            return buf
        buf = [None] * n
    buf[k] = v
    return buf


def tape_put_next(buf, k, n, prev, v):
    """Record a value a loop carries: ``v`` (its value after step ``k``) as row ``k + 1`` of
    ``n + 1`` rows, and at the first record ``prev`` (its value before the loop) as row 0.
    Row ``k`` is then the value step ``k`` started from (the loop's back edge copies it)."""
    if buf.__class__ is _ndarray:
        if v.__class__ is _ndarray and v.shape == buf.shape[1:] \
                and (v.dtype is buf.dtype or v.dtype == buf.dtype):
            buf[k + 1] = v
            return buf
        buf = list(buf)
    elif buf is None:
        if v.__class__ is _ndarray and prev.__class__ is _ndarray and v.ndim and n > 1 \
                and prev.shape == v.shape and prev.dtype == v.dtype:
            buf = _empty((n + 1,) + v.shape, v.dtype)
            buf[0] = prev
            buf[k + 1] = v
            return buf
        buf = [None] * (n + 1)
        buf[0] = prev
    buf[k + 1] = v
    return buf


def tape_put_as(buf, k, n, v, same, same_rows):
    """``tape_put``, sharing the rows of ``same`` (recorded earlier in the same step) while
    ``v`` is that very object (a gradient that ``sum_to`` handed on unchanged)."""
    if buf is None or buf is same_rows:
        if v is same:
            return same_rows
        if buf is same_rows:  # the rows shared so far, then its own
            buf = same_rows.copy() if same_rows.__class__ is _ndarray else list(same_rows)
    return tape_put(buf, k, n, v)


def sum_to_each(g, shape, then):
    """``sum_to(sum_to(g, shape), then)`` in one call: a chain ``a + b + c``'s gradient handed
    on twice in a loop's step (``g`` itself while both shapes are its own)."""
    try:
        if g.shape == shape and shape == then:
            return g
    except AttributeError:
        pass
    return sum_to(sum_to(g, shape), then)


def sum_to_rows(rows, n, *shapes):
    """The rows of a gradient that a backward loop handed on through ``sum_to``: for each
    row ``k < n``, ``sum_to(... sum_to(rows[k], s1[k]) ..., sm[k])``, where each of
    ``shapes`` is ``(seq, i)``, step ``k``'s shape being ``seq[k][i]`` (``seq[k]`` when ``i``
    is None: a shape taped alone).  ``rows`` itself (no copy) when it is an array and every
    step's shapes are its row's shape (each ``sum_to`` handed the row on); otherwise the
    rows computed one by one and stacked as :func:`tape_put` stacks them."""
    if rows.__class__ is _ndarray and n:
        row = rows.shape[1:]
        for seq, i in shapes:  # (each test a count in C: this runs once per loop)
            if i is None:
                if seq[:n].count(row) != n:
                    break
            elif seq[0][i] != row or (seq[:n].count(seq[0]) != n
                                      and list(map(_itemgetter(i), seq[:n])).count(row) != n):
                break
        else:
            return rows
    buf = None
    for k in range(n - 1, -1, -1):  # (the backward loop's order)
        g = rows[k]
        for seq, i in shapes:
            g = sum_to(g, seq[k] if i is None else seq[k][i])
        buf = tape_put(buf, k, n, g)
    return buf


def accumulate_tn_rows(acc, a, b, n, like, a_from=0):
    """``acc`` plus, for each row ``k < n``, ``accumulate_tn``'s ``a[k].T @ b[k]`` summed to
    ``like``'s shape: one matrix product ``a.reshape(-1, i).T @ b.reshape(-1, j)`` when ``a``
    and ``b`` are stacked rows of matrices and ``like`` is a matrix; row by row otherwise.
    ``a_from``: the row of ``a`` that goes with ``b[0]`` (1 for a carried value's next rows)."""
    if n == 0:
        return acc
    a, b = a[a_from:a_from + n], b[:n]  # (a loop's source array may have more rows)
    if a.__class__ is _ndarray and b.__class__ is _ndarray and a.ndim == 3 and b.ndim == 3 \
            and a.shape[1] == b.shape[1] and getattr(like, "ndim", None) == 2:
        g = _matmul(a.reshape(-1, a.shape[2]).T, b.reshape(-1, b.shape[2]))
        return accumulate_to(acc, g, like)
    for k in range(n - 1, -1, -1):  # the backward loop's order
        acc = accumulate_tn(acc, a[k], b[k], like)
    return acc


def accumulate_dw_rows(acc, g, x, n, x_from=0):
    """``acc`` plus, for each row ``k < n``, ``linear_dw(g[k], x[k])`` (nn.Dense's weight
    gradient, ``g[k].T @ x[k]`` over the rows of each): one matrix product
    ``g.reshape(-1, o).T @ x.reshape(-1, i)`` when both are stacked rows of matrices;
    row by row otherwise.  ``x_from``: the row of ``x`` that goes with ``g[0]``."""
    if n == 0:
        return acc
    g, x = g[:n], x[x_from:x_from + n]
    if g.__class__ is _ndarray and x.__class__ is _ndarray and g.ndim == 3 and x.ndim == 3 \
            and g.shape[1] == x.shape[1]:
        return accumulate(acc, matmul_tn(g.reshape(-1, g.shape[2]), x.reshape(-1, x.shape[2])))
    for k in range(n - 1, -1, -1):  # the backward loop's order
        acc = accumulate(acc, linear_dw(g[k], x[k]))
    return acc


def accumulate_to_rows(acc, g, n, like, g_from=0):
    """``acc`` plus ``g[k]`` summed to ``like``'s shape for each row ``k < n``: one sum over
    the stacked rows when ``g`` is an array with at least ``like``'s axes per row.
    ``g_from``: the row of ``g`` counted as row 0."""
    if n == 0:
        return acc
    g = g[g_from:g_from + n]
    if g.__class__ is _ndarray and g.ndim > np.ndim(like):
        shape = getattr(like, "shape", None)
        if shape is not None and g.ndim == len(shape) + 2 and g.shape[2:] == shape \
                and g.flags.c_contiguous:  # (rows of a batch of biases: one sum of rows,
            g = g.reshape((-1,) + shape)    # a BLAS product where it is large enough)
        return accumulate_to(acc, g, like)
    for k in range(n - 1, -1, -1):
        acc = accumulate_to(acc, g[k], like)
    return acc


def accumulate_at(acc, index, g, like):
    """``accumulate(acc, ungetitem(g, like, index))`` without the array of zeros the size of
    ``like`` per call: ``g`` is added into ``acc[index]`` when ``acc`` is the array that sum
    would give (an accumulator the generated code made itself)."""
    try:
        if acc.__class__ is _ndarray and acc.shape == np.shape(like) \
                and acc.dtype == np.result_type(g):
            if index.__class__ is int:
                acc[index] += g
            else:
                np.add.at(acc, index, g)
            return acc
    except AttributeError:
        pass
    return accumulate(acc, ungetitem(g, like, index))


class _RowsOf:
    """``rows[t]`` is ``np.matmul(xs[t], w)``, computed when read (xs not an array)."""
    __slots__ = ("xs", "w")

    def __init__(self, xs, w):
        self.xs, self.w = xs, w

    def __getitem__(self, t):
        return _matmul(self.xs[t], self.w)


def matmul_rows(xs, n, w):
    """``np.matmul(xs[t], w)`` for every ``t < n``, as one product before a loop over ``t``:
    ``rows[t]`` is the row.  Where that is not the same numbers (``xs`` not an array of at
    least two axes with ``n`` rows, ``w`` with more than two axes), each row is computed
    when it is read."""
    if xs.__class__ is _ndarray and xs.ndim >= 2 and 0 < n <= xs.shape[0] \
            and np.ndim(w) <= 2 and np.ndim(w) >= 1:
        rows = xs[:n]
        if np.ndim(w) == 2 and rows.ndim >= 3:  # one matrix product, not one per row
            flat = rows.reshape(-1, rows.shape[-1])
            dtype = np.result_type(flat, w)
            if flat.dtype == dtype and w.dtype == dtype and w.shape[0] == flat.shape[1]:
                out = _empty(rows.shape[:-1] + w.shape[1:], dtype)
                _matmul(flat, w, out=out.reshape(flat.shape[0], w.shape[1]))
                return out
            flat = _matmul(flat, w)
            return flat.reshape(rows.shape[:-1] + flat.shape[-1:])
        return _matmul(rows, w)
    return _RowsOf(xs, w)


class _LinearRowsOf:
    """``rows[t]`` is ``linear(xs[t], w, b)``, computed when read."""
    __slots__ = ("xs", "w", "b")

    def __init__(self, xs, w, b):
        self.xs, self.w, self.b = xs, w, b

    def __getitem__(self, t):
        return linear(self.xs[t], self.w, self.b)


def linear_rows(xs, n, w, b=None):
    """``linear(xs[t], w, b)`` (nn.Dense's ``xs[t] @ w.T + b``) for every ``t < n``, as one
    product before a loop over ``t``: ``rows[t]`` is the row.  One product where each row's
    is the same numbers: ``xs`` an array of matrices (``n`` of them at least) of ``w``'s
    dtype, ``w`` a matrix, each row's product past the size ``linear`` hands to einsum, and
    ``b`` None or an array of that dtype with at most two axes broadcasting to a row (it
    then never reaches the rows' axis); otherwise each row is computed when it is read."""
    if xs.__class__ is _ndarray and xs.ndim == 3 and 0 < n <= xs.shape[0] \
            and w.__class__ is _ndarray and w.ndim == 2 and w.shape[1] == xs.shape[2] \
            and xs.dtype == w.dtype and xs.shape[1] * xs.shape[2] * w.shape[0] > _SMALL_MATMUL:
        row = (xs.shape[1], w.shape[0])
        if b is None or (b.__class__ is _ndarray and b.dtype == w.dtype and b.ndim <= 2
                         and np.broadcast_shapes(b.shape, row) == row):
            out = _empty((n,) + row, w.dtype)
            _matmul(xs[:n].reshape(-1, xs.shape[2]), w.T, out=out.reshape(-1, row[1]))
            if b is not None:
                np.add(out, b, out=out)
            return out
    return _LinearRowsOf(xs, w, b)


def rows_stacked(n, shared, *rows):
    """The rows ``off .. off + n`` of each tape ``rows`` (given as ``buf, off`` pairs), as
    array slices, and an array for the result of the same shape (pooled, see ``_empty``),
    when an elementwise expression of one row of each (and of the loop invariants
    ``shared``) computed once over these slices, each operation writing into that array,
    gives row by row the very values it gives on each row alone: every ``buf`` a float
    array of at least two axes, all of one row shape and dtype, and each of ``shared`` a
    Python number or an array of that dtype whose shape broadcasts to the row's (so every
    intermediate has the rows' shape and dtype, and broadcasting never reaches the axis of
    the rows).  None otherwise (the loop lowering of
    :mod:`autograd_st.compiler.lower_rows` then computes the rows one by one)."""
    if not n:
        return None
    out = []
    row = dtype = None
    for i in range(0, len(rows), 2):
        buf, off = rows[i], rows[i + 1]
        if buf.__class__ is not _ndarray or buf.ndim < 2 or buf.dtype.kind != "f" \
                or (row is not None and (buf.shape[1:] != row or buf.dtype != dtype)):
            return None
        row, dtype = buf.shape[1:], buf.dtype
        out.append(buf[off:off + n])
    if not _fit_rows(shared, row, dtype):
        return None
    out.append(_empty((n,) + row, dtype))
    return out


def _fit_rows(shared, row, dtype) -> bool:
    """Whether each of ``shared`` (the values a step reads besides its rows) is a Python
    number, or an array of ``dtype`` that broadcasts into ``row`` without growing it."""
    for v in shared:
        if v.__class__ in (int, float):
            continue
        if v.__class__ is not _ndarray or v.dtype != dtype or v.ndim > len(row):
            return False
        for d, r in zip(v.shape[::-1], row[::-1]):  # (np.broadcast_shapes, without its cost)
            if d != r and d != 1:
                return False
    return True


def into_row(rows, k, ufunc, a, b):
    """``ufunc(a, b)``, one of ``a``, ``b`` being ``rows`` itself, which stands for its row
    ``k`` (an array of rows a backward loop computed before it, read by nothing else): the
    result is written into that row (``out=``) when it has the row's shape and dtype, and
    the row is returned; else a new array, as ``ufunc`` gives it.  The same values either
    way."""
    row = rows[k]
    if a is rows:
        a, other = row, b
    else:
        b, other = row, a
    if row.__class__ is _ndarray:
        try:
            if (other.shape == row.shape or np.broadcast_shapes(other.shape, row.shape)
                    == row.shape) and (other.dtype is row.dtype or other.dtype == row.dtype):
                return ufunc(a, b, out=row)
        except ValueError:  # (shapes that do not broadcast: ufunc says so, below)
            pass
        except AttributeError:  # (a Python number: numpy 2 casts it to the row's dtype)
            if other.__class__ in (int, float) and row.dtype.kind == "f" \
                    and np.result_type(a, b) == row.dtype:
                return ufunc(a, b, out=row)
    return ufunc(a, b)


def tape_put_row(buf, k, n, v, rows):
    """:func:`tape_put`, where ``v`` may be row ``k`` of ``rows`` itself (written there by
    :func:`into_row`): while every row so far was, the tape is ``rows`` (no copy)."""
    if buf is None or buf is rows:
        if v.__class__ is _ndarray and rows.__class__ is _ndarray and v.base is not None \
                and v.base is (rows if rows.base is None else rows.base) \
                and v.shape == rows.shape[1:]:  # (numpy's base: the array owning the memory)
            return rows
        if buf is rows:  # the rows shared so far (those after k), then its own
            buf = rows.copy()
    return tape_put(buf, k, n, v)


def rows_fast(n, rows, shapes, places, *products, carry=None):
    """What a backward loop's fast copy (:mod:`autograd_st.compiler.lower_rows`) needs known
    before it runs: ``[row shape, dtype, w.T for each product]`` when ``rows`` (the rows
    the step writes its gradient into) is an array, every step's taped shapes at
    ``places`` (``shapes[k][i]``) are its row's shape (a ``sum_to`` of the gradient hands it
    on), and each ``w, like_rows`` of ``products`` makes ``matmul_nt_to(g, w, like)`` of a
    gradient of that shape the product with ``w.T`` (matrices, past the einsum size: the
    branch ``matmul_nt_to`` takes); None otherwise, or when no step runs.  ``carry``:
    ``(g, i)``, the gradient the loop carries into its first step and the place of the
    product that makes it in each step: then also ``g`` an array of the row's shape and
    dtype, and that product's ``w`` a square matrix of that dtype (each step makes the next
    ``g`` of the row's shape and dtype, so the copy checks none per step)."""
    if not n or rows.__class__ is not _ndarray:
        return None
    row = rows.shape[1:]
    for i in places:
        if shapes[:n].count(shapes[0]) != n:
            if list(map(_itemgetter(i), shapes[:n])).count(row) != n:
                return None
        elif shapes[0][i] != row:
            return None
    out = [row, rows.dtype]
    size = 1
    for d in row:
        size *= d
    for i in range(0, len(products), 2):
        w, like = products[i], products[i + 1]
        if len(row) != 2 or w.__class__ is not _ndarray or w.ndim != 2 \
                or like.__class__ is not _ndarray or like.ndim != 3 \
                or size * w.shape[0] <= _SMALL_MATMUL:
            return None
        out.append(w.T)
    if carry is not None:
        g, i = carry
        w = products[2 * i]
        if g.__class__ is not _ndarray or g.shape != row or g.dtype != rows.dtype \
                or w.shape != (row[-1], row[-1]) or w.dtype != rows.dtype:
            return None
    return out


def fwd_rows(n, carried, rows, squares, shared, m, states=()):
    """What a forward loop's fast copy (:mod:`autograd_st.compiler.lower_step`) needs known
    before it runs: ``[R, the tape of each carried value, m tapes of rows]`` when ``n > 1``
    (one step keeps a list, as :func:`tape_put` does) and every value the step writes is then an array of the carried values' shape ``R``
    and float dtype ``D``: each of ``carried`` (and of ``states``, values carried untaped) such an
    array (``R`` at least one axis), each
    of ``rows`` an array of at least ``n`` rows of ``R`` and ``D``, each of ``squares`` a
    ``D`` matrix of ``R[-1]`` by ``R[-1]``, each of ``shared`` a Python number or a ``D``
    array broadcasting to ``R``.  A carried value's tape has ``n + 1`` rows, row 0 the value
    before the loop (as :func:`tape_put_next` makes it); the others ``n``.  None otherwise."""
    if n < 2:
        return None
    first = carried[0]
    if first.__class__ is not _ndarray or not first.ndim or first.dtype.kind != "f":
        return None
    row, dtype = first.shape, first.dtype
    for v in carried + states:
        if v.__class__ is not _ndarray or v.shape != row or v.dtype != dtype:
            return None
    for a in rows:
        if a.__class__ is not _ndarray or a.shape[1:] != row or a.shape[0] < n \
                or a.dtype != dtype:
            return None
    for w in squares:
        if w.__class__ is not _ndarray or w.shape != (row[-1], row[-1]) or w.dtype != dtype:
            return None
    if not _fit_rows(shared, row, dtype):
        return None
    out = [row]
    for v in carried:
        buf = _empty((n + 1,) + row, dtype)
        buf[0] = v
        out.append(buf)
    for _ in range(m):
        out.append(_empty((n,) + row, dtype))
    return out


_SPREAD_BYTES = 1 << 20


def as_row(x, row):
    """An invariant operand of a forward loop's fast copy (:mod:`autograd_st.compiler.lower_step`)
    broadcast to the row shape ``row`` once, before the loop: ``x`` itself where it is not an
    array, already of ``row``, or where the row is over 1 MiB (there the broadcasting loop
    reads less memory); else a C-contiguous copy of ``row``.  The same values: each element
    of an elementwise operation with it is the same operation, so the same bits; an operation
    with a same-shape contiguous operand skips numpy's broadcasting iterator (a (16, 64) add:
    about 0.5 us against 1.2 us)."""
    if x.__class__ is not _ndarray or x.shape == row or x.itemsize * _prod(row) > _SPREAD_BYTES:
        return x
    out = _empty(row, x.dtype)
    out[...] = x
    return out


def _prod(shape) -> int:
    p = 1
    for d in shape:
        p *= d
    return p


LOOP_NAMES = tuple(__all__[:-2])  # (what generated code calls)
