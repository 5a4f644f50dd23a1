"""Shape ops under ops.grad: moveaxis, the stacks, atleast_*, reverse_sequence, mirror_pad,
space_to_batch_nd / batch_to_space_nd, unfold / fold (values and gradients)."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor((np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 11.0) / 7.0)
    img = Tensor((np.arange(36, dtype=np.float32).reshape(1, 2, 3, 6) - 17.0) / 9.0)

    def f(x):
        a = ops.moveaxis(x, 0, -1) * Tensor(np.arange(24, dtype=np.float32).reshape(3, 4, 2))
        b = ops.hstack([x[0], x[1]]).sum(0)[:4] * ops.vstack([x[0, 0], x[1, 1]]).sum(0)
        c = ops.dstack([x[0], x[1] * 2.0]) ** 2
        d = ops.column_stack([x[0, 0], x[1, 2]]) * Tensor(np.array([1.0, -2.0], np.float32))
        e = ops.reverse_sequence(x[0], Tensor(np.array([1, 2, 3, 2], np.int32)), 0, 1)
        g = ops.mirror_pad(x[1], Tensor(np.array([[1, 1], [2, 1]], np.int64)), "REFLECT")
        h = ops.mirror_pad(x[0], Tensor(np.array([[0, 1], [1, 1]], np.int64)), "SYMMETRIC")
        return (a.sum() + b.sum() + c.sum() + d.sum() + (e * e).sum() + (g * g).sum()
                + (h * h * h).sum() + ops.atleast_3d(x[0, 0]).sum() * 3.0)

    def blocks(img):
        s2b = ops.space_to_batch_nd(img, [1, 2], [[1, 0], [0, 2]])
        b2s = ops.batch_to_space_nd(s2b * s2b, [1, 2], [[1, 0], [0, 2]])
        cols = ops.unfold(img, (2, 3), 1, (1, 0), (1, 2))
        back = ops.fold(cols * cols, Tensor(np.array([3, 6], np.int32)), (2, 3), 1, (1, 0),
                        (1, 2))
        return (b2s * img).sum() + back.sum() + cols.sum() * 0.5

    value, grad = ops.value_and_grad(f)(x)
    bv, bg = ops.value_and_grad(blocks)(img)
    return {"value": value, "grad": grad, "blocks": bv, "blocks_grad": bg,
            "s2b": ops.space_to_batch_nd(img, [1, 2], [[1, 0], [0, 2]]),
            "unfold": ops.unfold(img, (2, 3), 1, (1, 0), (1, 2))}
