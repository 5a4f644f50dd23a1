"""Special functions under ops.grad: lgamma, digamma, polygamma, erfinv, mvlgamma, igamma's
gradients in a and x, zeta's in q, i0's, and their values."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([0.7, 1.3, 2.5, 4.0, 9.5], np.float32))
    u = Tensor(np.array([-0.8, -0.2, 0.1, 0.45, 0.9], np.float32))
    a = Tensor(np.array([0.5, 1.0, 2.0, 3.0, 4.5], np.float32))
    out = {}

    def f_gamma(x):
        return ops.sum(ops.lgamma(x) * 0.5 + ops.digamma(x) ** 2
                       + ops.polygamma(Tensor(np.array(1)), x))

    def f_erfinv(u):
        return ops.sum(ops.erfinv(u) ** 3)

    def f_mvl(x):
        return ops.sum(ops.mvlgamma(x + 2.0, 3))

    def f_igamma(x):
        return ops.sum(ops.igamma(a, x) + ops.igammac(a, x * 2.0) * 0.5)

    out["lgamma"] = ops.lgamma(x)
    out["digamma"] = ops.digamma(x)
    out["polygamma2"] = ops.polygamma(Tensor(np.array(2)), x)
    out["gamma_grad"] = ops.grad(f_gamma)(x)
    out["erfinv"] = ops.erfinv(u)
    out["erfinv_grad"] = ops.grad(f_erfinv)(u)
    out["mvlgamma"] = ops.mvlgamma(x + 2.0, 3)
    out["mvlgamma_grad"] = ops.grad(f_mvl)(x)
    out["igamma"] = ops.igamma(a, x)
    out["igamma_grad"] = ops.grad(f_igamma)(x)
    out["igamma_grad_a"] = ops.grad(lambda a: ops.sum(ops.igamma(a, x) * x))(a)
    out["zeta"] = ops.zeta(x + 1.5, a)
    out["zeta_grad_q"] = ops.grad(lambda q: ops.sum(ops.zeta(x + 1.5, q)))(a)
    out["i0"] = ops.i0(u * 5.0)
    out["i0_grad"] = ops.grad(lambda u: ops.sum(ops.i0(u * 5.0)))(u)
    out["bessel_i1"] = ops.bessel_i1(u * 5.0)
    out["bessel_i1_grad"] = ops.grad(lambda u: ops.sum(ops.bessel_i1(u * 5.0) * u))(u)
    out["bessel_i0"] = ops.bessel_i0(u)
    return out
