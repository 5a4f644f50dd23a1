"""Higher-order and multi-output gradients as users write them: grad of grad of a function
and of a Cell's input, value_and_grad with has_aux returning a tuple, grad_position=(0, 1)
with weights, and GradOperation(sens_param=True) with a sens shaped like a tuple output."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


def f(x):
    return (ops.sin(x) * x * x).sum()


class Small(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(3, 2, weight_init="normal", bias_init="normal")

    def construct(self, x, y):
        h = ops.tanh(self.fc(x))
        return (h * y).sum()


class Two(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(3, 3, weight_init="normal", bias_init="zeros")

    def construct(self, x):
        h = self.fc(x)
        return ops.sigmoid(h), h.sum(axis=1)


def run():
    ms.set_seed(3)
    x = Tensor(np.array([0.3, -1.2, 2.0, 0.7], np.float32))
    out = {}
    out["d1"] = ops.grad(f)(x)
    out["d2"] = ops.grad(ops.grad(f))(x)
    out["d3"] = ops.grad(ops.grad(ops.grad(f)))(x)

    def loss_aux(x):
        y = ops.exp(x * 0.5)
        return y.sum(), (y.max(), x * 2)

    (v, (m, twice)), g = ops.value_and_grad(loss_aux, has_aux=True)(x)
    out.update(aux_value=v, aux_max=m, aux_twice=twice, aux_grad=g)

    net = Small()
    xs = Tensor(np.linspace(-1, 1, 6).reshape(2, 3).astype(np.float32))
    ys = Tensor(np.array([[1.0, -2.0], [0.5, 3.0]], np.float32))
    (gx, gy), gw = ops.grad(net, grad_position=(0, 1), weights=net.trainable_params())(xs, ys)
    out.update(small_gx=gx, small_gy=gy, small_gw=gw[0], small_gb=gw[1])
    # second order through a Cell: d/dx of sum(d net / dx)
    first = ops.grad(net, grad_position=0)
    out["small_second"] = ops.grad(lambda a, b: first(a, b).sum(), grad_position=0)(xs, ys)

    two = Two()
    sens = (Tensor(np.full((2, 3), 0.5, np.float32)), Tensor(np.array([1.0, -1.0], np.float32)))
    gs = ops.GradOperation(sens_param=True)(two)(xs, sens)
    out["sens_grad"] = gs
    ga = ops.GradOperation(get_all=True, sens_param=True)(two)(xs, sens)
    out["sens_grad_all"] = ga[0]
    return out
