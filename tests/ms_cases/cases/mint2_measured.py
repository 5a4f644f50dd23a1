"""mindspore.mint's ops that landed with the new primitives, those MindSpore 2.10's CPU build
has kernels for: bitwise_and, cummax (values and int64 indices), erfinv, gcd, imag of a real
Tensor, nonzero, searchsorted (left and right), unique_consecutive (inverse and counts), and
erfinv's gradient (cummax's gradient has no CPU kernel, InplaceScatterAdd; searchsorted with
out_int32=True fails on the CPU build)."""
import numpy as np
import mindspore as ms
from mindspore import mint, ops, Tensor


def run():
    x = Tensor(np.array([[3.0, 1.0, 2.0, 5.0], [0.5, 5.0, 4.0, 4.5], [-1.0, 2.0, -3.0, 0.0]],
                        np.float32))
    xi = Tensor(np.array([[3, 1, 2], [0, 5, 4], [12, 7, 9]], np.int32))
    out = {}
    out["bitwise_and"] = mint.bitwise_and(xi, Tensor(np.array([6, 3, 5], np.int32)))
    out["cummax1_v"], out["cummax1_i"] = mint.cummax(x, 1)
    out["cummax0_v"], out["cummax0_i"] = mint.cummax(x, 0)
    e = Tensor(np.array([0.1, -0.5, 0.9, -0.95, 0.0], np.float32))
    out["erfinv"] = mint.erfinv(e)
    out["gcd"] = mint.gcd(xi, Tensor(np.array([6, 4, 3], np.int32)))
    out["imag"] = mint.imag(x)
    out["nonzero"] = mint.nonzero(x)
    s = Tensor(np.array([1.0, 2.0, 3.0, 5.0], np.float32))
    v = Tensor(np.array([2.0, 4.0, 0.5, 6.0], np.float32))
    out["searchsorted"] = mint.searchsorted(s, v)
    out["searchsorted_right"] = mint.searchsorted(s, v, right=True)
    u = Tensor(np.array([3, 1, 1, 2, 1, 3, 3], np.int64))
    out["uc_v"], out["uc_inv"], out["uc_cnt"] = mint.unique_consecutive(u, True, True)
    out["uc_only"] = mint.unique_consecutive(u)

    def f_erfinv(e):
        return ops.sum(mint.erfinv(e) ** 2)

    out["erfinv_grad"] = ops.grad(f_erfinv)(e)
    return out
