"""MindSpore's functional ops (``ops.add``, ``ops.sum``, ``ops.softmax`` ...).

Takes: the functions :mod:`autograd_st.op_table` derives from its rows (each written once
over :data:`~autograd_st.prims.P`, so it runs eagerly on Tensors and the compiler binds it to
primitives when it appears in code being differentiated).
Gives: them under their MindSpore names and aliases (``ops.subtract`` is ``ops.sub``), and
``ones``/``zeros``, which build constants and are evaluated at compile time.
"""
from __future__ import annotations

import numpy as np

from .. import dtype as mstype
from ..op_table import FUNCTIONS
from ..tensor import Tensor

globals().update(FUNCTIONS)


def _static(fn):
    fn._autograd_st_static = True
    return fn


@_static
def ones(shape, dtype=None):
    """A Tensor of ones shaped ``shape`` (float32 unless ``dtype`` says otherwise)."""
    return Tensor(np.ones(shape, mstype.to_numpy(dtype) or np.float32))


@_static
def zeros(shape, dtype=None):
    """A Tensor of zeros shaped ``shape`` (float32 unless ``dtype`` says otherwise)."""
    return Tensor(np.zeros(shape, mstype.to_numpy(dtype) or np.float32))


__all__ = list(FUNCTIONS) + ["ones", "zeros"]
