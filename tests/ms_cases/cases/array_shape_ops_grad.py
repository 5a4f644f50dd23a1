"""masked_fill, triu/tril, tile, repeat_interleave, cumsum (CumSum exclusive/reverse), prod
(with a zero), pad (constant, reflect, replicate), flip, narrow, broadcast_to, expand_dims,
swapaxes, flatten, where: values and gradients."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[0.5, -1.0, 2.0], [0.1, 0.2, -0.3], [1.1, -0.7, 0.4]], np.float32))
    z = Tensor(np.array([[0.0, 2.0, 3.0], [1.5, 0.5, 2.0]], np.float32))
    mask = Tensor(np.array([[True, False, True], [False, False, True], [True, True, False]]))
    v = Tensor(np.float32(0.25))

    def f(x, v):
        a = ops.masked_fill(x, mask, v)
        b = ops.triu(x, 1) + ops.tril(x, -1) * 2.0
        c = ops.tile(x, (2, 1))
        d = ops.repeat_interleave(x, 2, 1)
        e = ops.cumsum(x, 1) + ops.CumSum(exclusive=True, reverse=True)(x, 0)
        g = ops.pad(x, (1, 2), value=v) + 0.0
        h = ops.pad(ops.reshape(x, (1, 3, 3)), (1, 1, 0, 1), mode="reflect")
        k = ops.pad(x, (2, 0), mode="replicate")
        m = ops.flip(x, (0, 1)) * ops.narrow(x, 0, 0, 3)
        n = ops.broadcast_to(ops.expand_dims(x[0], 0), (3, 3)) * ops.swapaxes(x, 0, 1)
        p = ops.flatten(ops.reshape(x, (3, 3, 1)))
        q = ops.where(mask, x, x * x)
        return (ops.sum(ops.sin(a)) + ops.sum(b * b) + ops.sum(ops.sin(c)) + ops.sum(d * d)
                + ops.sum(ops.sin(e)) + ops.sum(g * g) + ops.sum(ops.sin(h)) + ops.sum(k * k)
                + ops.sum(m) + ops.sum(n) + ops.sum(ops.sin(p)) + ops.sum(q))

    def prods(z):
        return ops.sum(ops.prod(z, 1)) + ops.prod(z) + ops.sum(ops.ReduceProd(True)(z, 0))

    gx, gv = ops.grad(f, (0, 1))(x, v)
    return {"value": f(x, v), "grad_x": gx, "grad_v": gv, "prod_grad": ops.grad(prods)(z),
            "pad_reflect": ops.pad(ops.reshape(x, (1, 3, 3)), (1, 1, 2, 0), mode="reflect"),
            "pad_neg": ops.pad(x, (-1, 1)), "cumsum_int": ops.cumsum(
                Tensor(np.array([1, 2, 3], np.int32)), 0),
            "repeat_list": ops.repeat_interleave(x, [1, 0, 2], 0),
            "full": ops.full((2,), 3.5), "arange": ops.arange(1, 5, 2),
            "arange_f": ops.arange(0, 1, 0.25), "eye": ops.eye(2, 3),
            "linspace": ops.linspace(0, 1, 5)}
