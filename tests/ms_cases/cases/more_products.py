"""table_more's scaled products and friends (addcmul, addcdiv, addmv, addr, ger, addbmm,
ldexp, dist, msort, gather_d, soft_shrink, isneginf): values, and gradients under ops.grad."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[1.0, -2.0, 0.5], [3.0, 4.0, -1.5], [0.25, 1.0, 2.0]], np.float32))
    v = Tensor(np.array([1.0, 2.0, -0.5], np.float32))
    w = Tensor(np.array([[0.5, -1.0, 2.0]], np.float32))
    b1 = Tensor(np.arange(18, dtype=np.float32).reshape(2, 3, 3) * 0.1)
    out = {
        "addcmul": ops.addcmul(x, x, w, 2), "addcdiv": ops.addcdiv(x, x, w, 0.5),
        "addmv": ops.addmv(v, x, v, beta=2, alpha=3), "ger": ops.ger(v, v),
        "addr": ops.addr(x, v, v, beta=1, alpha=2), "addbmm": ops.addbmm(x, b1, b1, beta=0.5),
        "ldexp": ops.ldexp(x, Tensor(np.array([1, 2, -1]))),
        "dist2": ops.dist(x, x * 2), "dist1": ops.dist(x, x * 2, 1),
        "dist3": ops.dist(x, x * 2, 3), "msort": ops.msort(x),
        "gather_d": ops.gather_d(x, 1, Tensor(np.array([[0, 2], [1, 1], [2, 0]]))),
        "soft_shrink": ops.soft_shrink(x, 0.7),
        "isneginf": ops.isneginf(Tensor(np.array([-np.inf, np.inf, 1.0], np.float32))),
        "isposinf": ops.isposinf(Tensor(np.array([-np.inf, np.inf, 1.0], np.float32))),
        "m_addcmul": x.addcmul(x, w, 0.5), "m_addmv": v.addmv(x, v), "m_msort": x.msort(),
    }

    def f(a, b):
        return ops.sum(ops.addcmul(a, b, a, 0.5) + ops.addr(a, b, b, alpha=2)
                       + ops.addmv(b, a, b) + ops.msort(a * a) + ops.soft_shrink(a, 0.7)) \
            + ops.dist(a, a * 2)

    ga, gb = ops.grad(f, (0, 1))(x, v)
    out["grad_a"], out["grad_b"] = ga, gb
    return out
