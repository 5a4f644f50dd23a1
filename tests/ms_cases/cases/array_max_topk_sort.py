"""max/min with an axis and without (values, int64 indices), argmax (int64) and argmin
(int32), topk and sort (int32 indices), ArgMaxWithValue, and their gradients (with ties)."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[1.0, 5.0, 3.0, -2.0], [4.0, 2.0, 6.0, 0.5],
                         [0.3, -1.0, 2.5, 7.0]], np.float32))
    t = Tensor(np.array([[3.0, 1.0, 3.0], [2.0, 2.0, 0.0]], np.float32))
    w = Tensor(np.array([1.0, 2.0, 3.0], np.float32))

    def f(x):
        v, i = ops.max(x, 1)
        u, j = ops.min(x, axis=0, keepdims=True)
        k, kv = ops.ArgMaxWithValue(axis=1, keep_dims=True)(x)
        tv, ti = ops.topk(x, 2)
        sv, si = ops.sort(x, 0, True)
        return (ops.sum(v * v) + ops.sum(ops.sin(u)) + ops.sum(kv * 3.0) + ops.sum(ops.sin(tv))
                + ops.sum(sv * ops.arange(1.0, 4.0).reshape(3, 1)))

    def ties(t):
        return ops.sum(ops.max(t, 1)[0]) + ops.max(t)[0] + ops.sum(ops.topk(t, 2)[0]) \
            + ops.sum(ops.sort(t)[0] * w)

    v, i = ops.max(x, 1)
    m, mi = ops.max(x)
    tv, ti = ops.topk(x, 2)
    sv, si = ops.sort(x)
    return {"value": f(x), "grad": ops.grad(f)(x), "ties_grad": ops.grad(ties)(t),
            "max_values": v, "max_indices": i, "max_all": m, "max_all_index": mi,
            "argmax": ops.argmax(x, 1), "argmin": ops.argmin(x, 1),
            "argmax_all": ops.argmax(x), "topk_values": tv, "topk_indices": ti,
            "sort_values": sv, "sort_indices": si}
