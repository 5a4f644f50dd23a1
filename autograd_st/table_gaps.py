"""The op-table rows of MindSpore functions model-zoo code calls that had no row yet:
``ops.aminmax``, ``ops.cartesian_prod``, ``ops.renorm``, ``ops.intopk`` (see
:mod:`autograd_st.op_table`, which gathers these rows with its own).

Every adapter is composed of existing primitives, so it differentiates through their rules
and needs no rule of its own.  Signatures, defaults and dtypes are MindSpore 2.10's (CPU),
measured in the side venv.

Takes: :class:`~autograd_st.op_row.Op`, :data:`~autograd_st.prims.P` and the array
adapters of :mod:`autograd_st.table_array`.  Gives: :data:`OPS` and the adapters.
"""
from __future__ import annotations

from .op_row import Op
from .prims import P
from .table_array import meshgrid

__all__ = ["OPS", "aminmax", "cartesian_prod", "renorm", "intopk"]


def aminmax(input, *, axis=0, keepdims=False):
    """MindSpore's ``ops.aminmax(input, *, axis=0, keepdims=False)``: ``(min, max)`` along
    ``axis`` (the gradient goes to the chosen entries)."""
    return (P.min(input, axis, bool(keepdims)),
            P.max(input, axis, bool(keepdims)))


def cartesian_prod(*inputs):
    """MindSpore's ``ops.cartesian_prod(*inputs)``: of 1-D inputs of lengths ``n_1 ..
    n_k``, the ``(n_1 ... n_k, k)`` Tensor of every combination, the last input varying
    fastest."""
    grids = meshgrid(*inputs, indexing="ij")
    out = P.reshape(grids[0], (-1, 1))
    for g in grids[1:]:
        out = P.concat2(out, P.reshape(g, (-1, 1)), axis=1)
    return out


def renorm(input, p, axis, maxnorm):
    """MindSpore's ``ops.renorm(input, p, axis, maxnorm)``: each slice along ``axis`` whose
    ``p``-norm (over the other axes) exceeds ``maxnorm`` scaled by ``maxnorm / (norm +
    1e-7)``; the others kept."""
    if p <= 0:
        raise ValueError("For 'renorm', the 'p' must be a positive number, but got %r" % (p,))
    if maxnorm < 0:
        raise ValueError("For 'renorm', the 'maxnorm' must be non-negative, but got %r"
                         % (maxnorm,))
    moved = P.swapaxes(input, 0, axis)
    rows = P.reshape(moved, (P.getitem(P.shape(moved), 0), -1))
    norm = P.pow(P.sum(P.pow(P.abs(rows), float(p)), axis=1, keepdims=True), 1.0 / p)
    scale = P.where(P.greater(norm, maxnorm), P.div(maxnorm, P.add(norm, 1e-7)), 1.0)
    return P.swapaxes(P.reshape(P.mul(rows, scale), P.shape(moved)), 0, axis)


def intopk(x1, x2, k):
    """MindSpore's ``ops.intopk(x1, x2, k)``: for predictions ``x1 (N, C)`` and targets
    ``x2 (N,)``, bool ``(N,)``: whether row ``i``'s target is among its ``k`` largest
    (fewer than ``k`` entries strictly larger; ties straddling the boundary count in, as
    TensorFlow's ``in_top_k``).  No gradient."""
    target = P.take_along(x1, P.expand_dims(P.astype(x2, "int64"), -1), 1)
    above = P.sum(P.astype(P.greater(x1, target), "int32"), axis=1)
    return P.less(above, k)


OPS: tuple[Op, ...] = (
    Op("min", fn=aminmax, ops=("aminmax",), methods=("aminmax",)),
    Op("broadcast_to", fn=cartesian_prod, ops=("cartesian_prod",)),
    Op("mul", fn=renorm, ops=("renorm",), methods=("renorm",)),
    Op("greater", fn=intopk, ops=("intopk",)),
)
