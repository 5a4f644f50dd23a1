"""Jacobians and Hessians as MindSpore 2.x users take them: ops.jacfwd and ops.jacrev of a
function of several Tensors (grad_position tuples, has_aux), of a Cell's forward, a Hessian
as jacfwd(jacrev(f)), and ops.vjp / ops.jvp with a tuple of tangents."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


def f(x, y):
    return ops.sin(x) * y + x * x * ops.exp(-y)


def scalar(x):
    return (ops.tanh(x) ** 2).sum() + (x[0] * x[1] * x[2])


def with_aux(x):
    return ops.log1p(x * x), x.sum()


class Head(nn.Cell):
    def __init__(self):
        super().__init__()
        w = np.arange(12, dtype=np.float32).reshape(4, 3) / 10.0 - 0.5
        self.fc = nn.Dense(3, 4, weight_init=Tensor(w), bias_init="ones")

    def construct(self, x):
        return ops.softmax(self.fc(x), axis=-1)


def run():
    out = {}
    x = Tensor(np.array([0.5, -1.0, 2.0], np.float32))
    y = Tensor(np.array([1.5, 0.3, -0.7], np.float32))
    out["jacfwd_x"] = ops.jacfwd(f)(x, y)
    jx, jy = ops.jacrev(f, grad_position=(0, 1))(x, y)
    out["jacrev_x"] = jx
    out["jacrev_y"] = jy
    jfx, jfy = ops.jacfwd(f, grad_position=(0, 1))(x, y)
    out["jacfwd_y"] = jfy
    out["hessian"] = ops.jacfwd(ops.jacrev(scalar))(x)
    out["hessian_rr"] = ops.jacrev(ops.jacrev(scalar))(x)
    jac, aux = ops.jacrev(with_aux, has_aux=True)(x)
    out["aux_jac"] = jac
    out["aux"] = aux
    jac2, aux2 = ops.jacfwd(with_aux, has_aux=True)(x)
    out["aux_jac_fwd"] = jac2
    head = Head()
    xs = Tensor(np.array([[0.2, -0.4, 0.9], [1.0, 0.0, -1.0]], np.float32))
    out["cell_jac"] = ops.jacrev(head)(xs)
    val, vjp_fn = ops.vjp(f, x, y)
    gx, gy = vjp_fn(ops.ones_like(val) * 0.5)
    out["vjp_val"] = val
    out["vjp_gx"] = gx
    out["vjp_gy"] = gy
    v, t = ops.jvp(f, (x, y), (ops.ones_like(x), y * 2))
    out["jvp_v"] = v
    out["jvp_t"] = t
    return out
