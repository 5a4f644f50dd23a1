"""Factorizations and solves under ops.grad: cholesky_solve and cholesky_inverse (in the
factor), matrix_solve, pinv, cov, vector_norm, matrix_norm, svd's singular values (values and
gradients); cholesky and lstsq values (MindSpore's CPU has no kernel for CholeskyGrad, and
Lstsq no bprop).  cholesky_inverse's gradient is taken with upper=True: MindSpore's gradient
for a lower factor is not the derivative of its own forward (finite differences of
sum(inv(L L^T)) give the transpose of the upper case, which is what autograd_st returns)."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    s = Tensor(np.array([[4.0, 2.0, 0.6], [2.0, 5.0, 1.0], [0.6, 1.0, 3.0]], np.float32))
    b = Tensor(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], np.float32))
    m = Tensor(np.array([[3.0, 1.0, 4.0, 1.0], [5.0, 9.0, 2.0, 6.0]], np.float32))
    out = {}

    def f_chol(low, b):
        up = ops.swapaxes(low, 0, 1)
        return ops.sum(ops.cholesky_solve(b, low)) + ops.sum(ops.cholesky_inverse(up, True))

    def f_solve(s, b):
        return ops.sum(ops.matrix_solve(s, b) ** 2)

    def f_pinv(b):
        return ops.sum(ops.pinv(b) ** 2)

    def f_stats(m):
        return (ops.sum(ops.cov(m)) + ops.vector_norm(m) + ops.sum(ops.vector_norm(m, 3.0, 1))
                + ops.matrix_norm(m) + ops.matrix_norm(m, 1) + ops.matrix_norm(m, "nuc"))

    out["cholesky"] = ops.cholesky(s)
    out["cholesky_upper"] = ops.cholesky(s, True)
    g1, g2 = ops.grad(f_chol, grad_position=(0, 1))(ops.cholesky(s), b)
    out["chol_grad_s"], out["chol_grad_b"] = g1, g2
    out["solve"] = ops.matrix_solve(s, b)
    g1, g2 = ops.grad(f_solve, grad_position=(0, 1))(s, b)
    out["solve_grad_s"], out["solve_grad_b"] = g1, g2
    out["pinv"] = ops.pinv(b)
    out["pinv_grad"] = ops.grad(f_pinv)(b)
    out["lstsq"] = ops.lstsq(b, b * 0.5)
    out["cov"] = ops.cov(m)
    out["svd_s"] = ops.svd(m, compute_uv=False)
    out["stats_grad"] = ops.grad(f_stats)(m)
    return out
