"""Layers of MindSpore's ``nn/layer/basic.py`` that wrap one computation, with MindSpore
2.10's signatures (measured in the side venv): ``nn.ClipByNorm`` and ``nn.MatMul``."""
from __future__ import annotations

from .. import ops
from ..cell import Cell

__all__ = ["ClipByNorm", "MatMul"]


class ClipByNorm(Cell):
    """MindSpore's ``nn.ClipByNorm(axis=None)(x, clip_norm)``: ``x * clip_norm /
    max(l2norm, clip_norm)``, the L2 norm over ``axis`` (all axes for None) kept for
    broadcasting; an all-zero slice stays zero.  The formula is MindSpore's documented one
    (and its gradient); MindSpore 2.10's CPU kernel with an ``axis`` scales some rows by
    another row's norm (measured: rows of norm 0.3 and 1.73 came back scaled by 0.25 and
    1), which this does not copy."""

    def __init__(self, axis=None) -> None:
        super().__init__()
        self.axis = () if axis is None else axis

    def construct(self, x, clip_norm):
        l2sum = ops.sum(x * x, self.axis, keepdim=True)
        positive = l2sum > 0
        l2norm = ops.where(positive, ops.sqrt(ops.where(positive, l2sum, 1.0)), l2sum)
        return x * clip_norm / ops.maximum(l2norm, clip_norm)


class MatMul(Cell):
    """MindSpore's ``nn.MatMul(transpose_x1=False, transpose_x2=False)(x1, x2)``:
    ``ops.matmul`` with the last two axes of an operand swapped first where asked (a 1-D
    operand is left as it is); leading axes broadcast."""

    def __init__(self, transpose_x1=False, transpose_x2=False) -> None:
        super().__init__()
        self.transpose_x1 = bool(transpose_x1)
        self.transpose_x2 = bool(transpose_x2)

    def construct(self, x1, x2):
        if self.transpose_x1 and x1.ndim > 1:
            x1 = ops.swapaxes(x1, -1, -2)
        if self.transpose_x2 and x2.ndim > 1:
            x2 = ops.swapaxes(x2, -1, -2)
        return ops.matmul(x1, x2)
