"""MindSpore's ``repr`` format for Tensors: ``Tensor(shape=[1], dtype=Float32, value= [ 5.00000000e+00])``."""
from __future__ import annotations

import numpy as np


def _float_fmt(x) -> str:
    return "% .8e" % x


def tensor_repr(t) -> str:
    arr = t.asnumpy()
    shape = "[" + ", ".join(str(d) for d in arr.shape) + "]"
    if arr.dtype.kind == "f":
        body = np.array2string(arr, separator=" ", formatter={"float_kind": _float_fmt},
                               threshold=1000)
    else:
        body = np.array2string(arr, separator=" ", threshold=1000)
    if arr.ndim >= 2:
        value = "\n" + body
    else:
        value = " " + body
    return "Tensor(shape=%s, dtype=%s, value=%s)" % (shape, t.dtype, value)
