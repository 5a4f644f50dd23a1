"""MindSpore's ``repr`` format for Tensors (measured against MindSpore 2.10)::

    Tensor(shape=[1], dtype=Float32, value= [ 5.00000000e+00])
    Tensor(shape=[2, 2], dtype=Float32, value=
    [[ 1.50000000e+00,  2.00000000e+00],
     [ 3.00000000e+00,  4.00000000e+00]])
    Tensor(shape=[], dtype=Float32, value= 2.5)

Floats in scientific notation with 8 digits, ", " between items, more than 1000 items
summarized with 3 at each edge and `` ...`` between them.  The Tensors a dataset iterator
gives print their values in numpy's format (``[1., 1.]``), as MindSpore's do.
"""
from __future__ import annotations

import numpy as np


def _float_fmt(x) -> str:
    return "% .8e" % x


def tensor_repr(t) -> str:
    arr = t.asnumpy()
    shape = "[" + ", ".join(str(d) for d in arr.shape) + "]"
    if arr.ndim and getattr(t, "_np_repr", False):  # a dataset iterator's: numpy's format
        body = np.array2string(arr, separator=", ")
        return "Tensor(shape=%s, dtype=%s, value=%s)" % (
            shape, t.dtype, ("\n" if arr.ndim >= 2 else " ") + body)
    if arr.ndim == 0:  # MindSpore prints 5.0 as 5 and 2.5 as 2.5
        text = str(arr)
        if arr.dtype.kind == "f" and text.endswith(".0"):
            text = text[:-2]
        return "Tensor(shape=%s, dtype=%s, value= %s)" % (shape, t.dtype, text)
    formatter = {"float_kind": _float_fmt} if arr.dtype.kind == "f" else None
    body = np.array2string(arr, separator=", ", formatter=formatter, threshold=1000,
                           edgeitems=3, max_line_width=10 ** 9)
    body = body.replace(", ...,", " ...")
    body = "\n".join(line for line in body.split("\n") if line.strip())  # no blank lines
    value = ("\n" + body) if arr.ndim >= 2 else (" " + body)
    return "Tensor(shape=%s, dtype=%s, value=%s)" % (shape, t.dtype, value)
