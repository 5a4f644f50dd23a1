"""Primitive classes and Tensor methods of the linear-algebra family, and more gradients:
batch_dot, tensor_dot, vander, diagflat, matrix_band_part, matrix_set_diag, cov with weights
(values and gradients)."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    s = Tensor(np.array([[4.0, 2.0, 0.6], [2.0, 5.0, 1.0], [0.6, 1.0, 3.0]], np.float32))
    x = Tensor(np.array([[0.3, 1.2, -0.5, 2.0], [1.5, -0.7, 0.9, 0.2]], np.float32))
    b3 = Tensor(np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 0.1)
    out = {}
    out["cls_det"] = ops.MatrixDeterminant()(s)
    out["cls_logdet"] = ops.LogMatrixDeterminant()(s)[1]
    out["cls_inv_adj"] = ops.MatrixInverse(True)(s + ops.triu(s, 1))
    out["cls_chol_up"] = ops.Cholesky(True)(s)
    out["cls_cummax"] = ops.Cummax(1)(x)[0]
    out["cls_cummin_idx"] = ops.Cummin(0)(x)[1]
    out["cls_median"], out["cls_median_idx"] = ops.Median(False, 1, True)(x)
    out["cls_lgamma"] = ops.Lgamma()(x + 2.0)
    out["cls_digamma"] = ops.Digamma()(x + 2.0)
    out["cls_i0"] = ops.BesselI0()(x)
    out["cls_erfinv"] = ops.Erfinv()(x * 0.4)
    out["cls_power"] = ops.MatrixPower(2)(s)
    out["cls_mvlgamma"] = ops.Mvlgamma(2)(x + 2.0)
    out["m_det"] = s.det()
    out["m_inverse"] = s.inverse()
    out["m_inv"] = x.inv()
    out["m_slogdet"] = s.slogdet()[1]
    out["m_diagflat"] = x.diagflat(1)
    out["m_lgamma"] = (x + 2.0).lgamma()
    out["m_nanmedian"] = x.nanmedian(0)[0]
    out["m_outer"] = x[0].outer(x[1])
    out["m_inner"] = x.inner(x)
    out["m_cov"] = x.cov(correction=0)
    out["m_logcumsumexp"] = x.logcumsumexp(0)
    out["m_matrix_power"] = s.matrix_power(-1)
    out["real_imag_conj"] = ops.real(x) + ops.imag(x) * 2.0 + x.conj() * 3.0
    out["grad_conj"] = ops.grad(lambda x: ops.sum(ops.conj(x) * x + ops.imag(x) * x))(x)

    def f(x, s, b3):
        return (ops.sum(ops.batch_dot(b3, ops.transpose(b3, (0, 2, 1))) ** 2) * 0.01
                + ops.sum(ops.tensor_dot(x, b3, ((1,), (2,))) ** 2) * 0.1
                + ops.sum(ops.vander(x[0], 3)) + ops.sum(ops.diagflat(x, -1) ** 2)
                + ops.sum(ops.matrix_band_part(s, 1, 0) ** 2)
                + ops.sum(ops.matrix_set_diag(s, x[0, :3]) ** 2)
                + ops.sum(ops.cov(x, aweights=Tensor(np.array([0.5, 1.0, 2.0, 1.0],
                                                                   np.float32))) ** 2))
    gx, gs, gb = ops.grad(f, grad_position=(0, 1, 2))(x, s, b3)
    out.update(grad_x=gx, grad_s=gs, grad_b3=gb)
    return out
