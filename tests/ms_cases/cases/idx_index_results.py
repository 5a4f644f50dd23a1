"""Index results: nonzero, argwhere, unique (first-appearance order), unique_consecutive,
unique_with_pad, searchsorted (as floats: the values; the dtypes are tested by hand)."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[0, 1.5, 0, 2], [2, 0, 3, 0]], np.float32))
    u = Tensor(np.array([3, 1, 2, 3, 1, 5, 2], np.int32))
    values, idx = ops.unique(u)
    c_out, c_inv, c_cnt = ops.unique_consecutive(Tensor(np.array([1, 1, 2, 2, 3, 1, 1, 4],
                                                                 np.int32)), True, True)
    y, yi = ops.unique_with_pad(Tensor(np.array([1, 1, 2, 5, 3, 1, 1], np.int32)), -1)
    s = Tensor(np.array([[1, 3, 5, 7, 9], [0, 2, 4, 6, 8]], np.float32))
    v = Tensor(np.array([[3, 6, 9], [0, 10, 5]], np.float32))
    return {"nonzero": ops.nonzero(x), "argwhere": ops.argwhere(x > 1),
            "unique": values, "unique_idx": idx, "consecutive": c_out,
            "consecutive_inverse": c_inv, "consecutive_counts": c_cnt,
            "pad": y, "pad_idx": yi,
            "searchsorted": ops.searchsorted(s, v), "searchsorted_right": ops.searchsorted(
                s, v, right=True), "searchsorted_1d": ops.searchsorted(s[0], v, side="right")}
