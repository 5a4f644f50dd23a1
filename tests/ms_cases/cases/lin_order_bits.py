"""Order statistics and integer ops: cummax/cummin (values and indices: MindSpore's CPU has no
kernel for their gradient), median, logcumsumexp, trapz and copysign under ops.grad, bitwise
ops, gcd/lcm, signbit."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[0.3, 1.2, -0.5, 2.0, 1.1], [1.5, -0.7, 0.9, 0.2, 3.1]], np.float32))
    i = Tensor(np.array([12, -7, 5, 40], np.int32))
    j = Tensor(np.array([10, 3, 6, 24], np.int32))
    out = {}

    def f(x):
        med, _ = ops.median(x, 1)
        return (ops.sum(med * 2.0) + ops.sum(ops.logcumsumexp(x, 1))
                + ops.sum(ops.trapz(x * x)) + ops.sum(ops.copysign(x, x - 1.0) * x))

    vmax, imax = ops.cummax(x, 1)
    vmin, imin = ops.cummin(x, 1)
    med, imed = ops.median(x, 0, True)
    out.update(vmax=vmax, imax=imax, vmin=vmin, imin=imin, med=med, imed=imed)
    out["logcumsumexp"] = ops.logcumsumexp(x, 1)
    out["grad"] = ops.grad(f)(x)
    out["and"] = ops.bitwise_and(i, j)
    out["or"] = ops.bitwise_or(i, j)
    out["xor"] = ops.bitwise_xor(i, j)
    out["lshift"] = ops.bitwise_left_shift(i, Tensor(np.array([1, 2, 3, 0], np.int32)))
    out["rshift"] = ops.bitwise_right_shift(i, Tensor(np.array([1, 2, 3, 0], np.int32)))
    out["invert"] = ops.invert(i)
    out["gcd"] = ops.gcd(i, j)
    out["lcm"] = ops.lcm(i, j)
    out["copysign"] = ops.copysign(x, ops.sub(x, 1.0))
    out["signbit"] = ops.signbit(x)
    return out
