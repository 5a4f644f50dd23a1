"""Linear algebra under ops.grad: det, inverse, slogdet, logdet, matrix_power, kron, inner,
outer, diagonal, diag and diag_embed (values and gradients)."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    a = Tensor(np.array([[2.0, 0.5, -0.3], [0.1, 1.5, 0.4], [-0.2, 0.3, 1.8]], np.float32))
    v = Tensor(np.array([0.5, -1.0, 2.0], np.float32))
    out = {}

    def f_det(a):
        return ops.det(a) * 2.0 + ops.sum(ops.inverse(a) * ops.inverse(a))

    def f_slog(a):
        sign, logabs = ops.slogdet(a)
        return logabs * sign + ops.logdet(a)

    def f_power(a):
        return ops.sum(ops.matrix_power(a, 3)) + ops.sum(ops.matrix_power(a, -1))

    def f_kron(a, v):
        return ops.sum(ops.kron(a, ops.outer(v, v)) * 0.1) + ops.sum(ops.inner(a, v) ** 2)

    def f_diag(a, v):
        d = ops.diagonal(a, 1)
        return (ops.sum(d * d) + ops.sum(ops.diag(v) * a)
                + ops.sum(ops.diag_embed(v * 2.0, 0) * a))

    out["det"] = ops.det(a)
    out["det_grad"] = ops.grad(f_det)(a)
    out["slog_grad"] = ops.grad(f_slog)(a)
    out["power"] = ops.matrix_power(a, 3)
    out["power_grad"] = ops.grad(f_power)(a)
    out["kron"] = ops.kron(a, ops.outer(v, v))
    ga, gv = ops.grad(f_kron, grad_position=(0, 1))(a, v)
    out["kron_grad_a"], out["kron_grad_v"] = ga, gv
    ga, gv = ops.grad(f_diag, grad_position=(0, 1))(a, v)
    out["diag_grad_a"], out["diag_grad_v"] = ga, gv
    return out
