"""Ops on int and bool masks as models use them: ops.masked_fill with a broadcast bool mask,
ops.where with a float/int condition built by comparisons, ops.gather along axis 1 with int
indices, ops.gather_elements, ops.one_hot with on/off values, ops.argmax, ops.topk (values and
indices), ops.select, bool reductions (any/all), ops.nonzero count, and the gradients of a loss
through masked_fill, where, gather, gather_elements and topk."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    rng = np.random.RandomState(31)
    x = Tensor(rng.standard_normal((3, 5)).astype(np.float32))
    y = Tensor(rng.standard_normal((3, 5)).astype(np.float32))
    lengths = Tensor(np.array([2, 5, 3], np.int32))
    idx = Tensor(np.array([4, 0, 2, 2], np.int32))
    elem = Tensor(np.array([[0, 4], [3, 3], [1, 0]], np.int64))
    labels = Tensor(np.array([1, 4, 0], np.int32))

    def f(x, y):
        pos = ops.arange(5).expand_dims(0)
        pad = pos >= lengths.expand_dims(1)
        a = ops.masked_fill(x, pad, -1e4)
        sm = ops.softmax(a, axis=-1)
        b = ops.where(x > y, x * 2.0, y - x)
        c = ops.gather(x, idx, 1)
        d = ops.gather_elements(y, 1, elem)
        vals, ind = ops.topk(x * y, 2)
        oh = ops.one_hot(labels, 5, Tensor(0.9, ms.float32), Tensor(0.025, ms.float32))
        ce = -(oh * ops.log_softmax(a, -1)).sum(-1).mean()
        sel = ops.select(pad, ops.zeros_like(y), y * y)
        return ce + (sm * y).sum() + b.sum() + (c * c).sum() + d.sum() * 3 + vals.sum() + sel.sum()

    pos = ops.arange(5).expand_dims(0)
    pad = pos >= lengths.expand_dims(1)
    vals, ind = ops.topk(x, 3, largest=False)
    gx, gy = ops.grad(f, (0, 1))(x, y)
    return {"value": f(x, y), "gx": gx, "gy": gy,
            "pad": pad.astype(ms.int32), "argmax": ops.argmax(x, dim=1),
            "argmax_keep": ops.argmax(x, dim=0, keepdim=True),
            "topk_small_vals": vals, "topk_small_idx": ind,
            "any": ops.any(pad, 1).astype(ms.int32), "all": pad.all(axis=0).astype(ms.int32),
            "count": ops.count_nonzero(pad.astype(ms.int32)),
            "masked_int": ops.masked_fill(Tensor(np.arange(15).reshape(3, 5), ms.int32), pad,
                                          -1),
            "where_int": ops.where(pad, Tensor(np.arange(15).reshape(3, 5), ms.int32), 7)}
