"""The op-table rows for element-wise math, activations, reductions and linear algebra: each row one calling convention of one primitive
(see :mod:`autograd_st.op_table`, which gathers these rows with its own).

Takes: :class:`~autograd_st.op_row.Op`, :data:`~autograd_st.prims.P` and the primitives of
:mod:`autograd_st.rules_math`.  Gives: :data:`OPS`, the rows, and the adapters they name.
"""
from __future__ import annotations

from . import rules_math  # noqa: F401  (registers the primitives the rows name)
from .op_row import Op

__all__ = ["OPS"]

#: the rows (``op_table`` publishes them: ``ops``, Tensor methods, numpy bindings, classes).
OPS: tuple[Op, ...] = ()
