"""ms.mutable as MindSpore 2.x code uses it: a mutable tuple of Tensors passed beside a
differentiated Tensor (its own gradient is left out: MindSpore 2.10 gives none for a
tuple argument), a mutable scalar, a mutable list to value_and_grad's value, and ms.jit
over the same functions."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


def f(pair, scale):
    a, b = pair
    return (a * b).sum() * scale + (a ** 2).mean()


def h(x, pair, scale):
    return (x * pair[0] * ops.sin(pair[1])).sum() * scale


class Weighted(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(3, 2, weight_init="ones", bias_init="zeros")

    def construct(self, x, extras):
        total = self.fc(x).sum()
        for e in extras:
            total = total + (self.fc(e) * x.mean()).sum()
        return total


@ms.jit
def jitted(x, pair, scale):
    return h(x, pair, scale)


def run():
    out = {}
    a = Tensor(np.array([[1.0, 2.0], [3.0, -1.0]], np.float32))
    b = Tensor(np.array([[0.5, -0.5], [2.0, 1.0]], np.float32))
    pair = ms.mutable((a, b))
    out["h_grad"] = ops.grad(h)(a * 0.3, pair, 2.0)
    out["h_grad_all"] = ops.GradOperation(get_all=True)(h)(a * 0.3, pair, ms.mutable(1.5))[0]
    v, g = ops.value_and_grad(h, 0)(b * 1.0, ms.mutable([a, b]), 0.5)
    out["list_value"] = v
    out["list_grad"] = g
    out["scalar_mutable"] = f((a, b), ms.mutable(3))
    out["scalar_mutable_float"] = f(ms.mutable([a, b]), ms.mutable(0.25))
    net = Weighted()
    x = Tensor(np.linspace(-1, 1, 6).reshape(2, 3).astype(np.float32))
    extras = ms.mutable((Tensor(np.ones((2, 3), np.float32)), Tensor(np.full((1, 3), 2.0, np.float32))))
    gx, gw = ops.grad(net, 0, net.trainable_params())(x, extras)
    out["net_gx"] = gx
    out["net_gw"] = gw[0]
    out["net_gb"] = gw[1]
    out["jit_value"] = jitted(a, pair, 2.0)
    out["jit_grad"] = ops.grad(jitted)(a * 1.0, pair, 2.0)
    return out
