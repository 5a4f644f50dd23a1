"""split (sizes and an int), chunk, gather (Gather and index_select, repeated and negative
indices), gather_elements and concat under ops.grad: values and gradients."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[0.5, -1.0, 2.0, 0.3], [0.1, 0.2, -0.3, 1.5],
                         [1.1, -0.7, 0.4, 0.9]], np.float32))
    idx = Tensor(np.array([2, 0, 2, 3], np.int32))
    neg = Tensor(np.array([2, -1], np.int32))  # forward only: MindSpore drops its gradient
    idx2 = Tensor(np.array([[0, 0, 3], [2, 1, 1]], np.int64))

    def f(x):
        a, b = ops.split(x, [1, 3], 1)
        c, d = ops.chunk(x, 2, 1)
        g = ops.gather(x, idx, 1)
        h = ops.gather_elements(x, 1, idx2)
        i = ops.index_select(x, 0, Tensor(np.array([2, 2, 0], np.int32)))
        j = ops.concat((a * 2.0, b, c * d), 1)
        return (ops.sum(ops.sin(a)) + ops.sum(b * b) + ops.sum(ops.sin(c - d))
                + ops.sum(ops.sin(g)) + ops.sum(h * h) + ops.sum(ops.sin(i)) + ops.sum(j * j))

    parts = ops.split(x, 3, 1)
    return {"value": f(x), "grad": ops.grad(f)(x),
            "split_int_0": parts[0], "split_int_1": parts[1],
            "gather": ops.gather(x, idx, 1), "gather_negative": ops.gather(x, neg, 1), "gather_elements": ops.gather_elements(x, 1, idx2),
            "chunk_last": ops.chunk(x, 3, 1)[-1]}
