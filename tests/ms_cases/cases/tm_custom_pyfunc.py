"""ops.Custom(func_type="pyfunc") with a bprop (itself made of a pyfunc Custom) inside a Cell
with a Dense layer: the output, the gradients by input and by weights, and a two-output op."""
import mindspore as ms
import numpy as np
from mindspore import Tensor, nn, ops


def mul_sin(x, y):
    return (x * np.sin(y)).astype(np.float32)


def mul_sin_grads(x, y, dout):
    return (dout * np.sin(y)).astype(np.float32), (dout * x * np.cos(y)).astype(np.float32)


def make_bprop():
    grads = ops.Custom(mul_sin_grads, lambda a, b, c: (a, b), lambda a, b, c: (a, b),
                       func_type="pyfunc")

    def bprop(x, y, out, dout):
        return grads(x, y, dout)
    return bprop


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(3, 3, weight_init="normal", bias_init="zeros")
        self.op = ops.Custom(mul_sin, lambda a, b: a, lambda a, b: a, bprop=make_bprop(),
                             func_type="pyfunc")

    def construct(self, x, y):
        return (self.op(self.fc(x), y * 2.0) ** 2).sum()


def run():
    ms.set_seed(3)
    rng = np.random.RandomState(3)
    x = Tensor(rng.randn(2, 3).astype(np.float32))
    y = Tensor(rng.randn(2, 3).astype(np.float32))
    net = Net()
    out = {"w": net.fc.weight.asnumpy().copy(), "value": net(x, y)}
    gx, gy = ms.grad(net, grad_position=(0, 1))(x, y)
    out["gx"], out["gy"] = gx, gy
    _, gw = ms.value_and_grad(net, None, net.trainable_params())(x, y)
    out["gw"], out["gb"] = gw
    two = ops.Custom(lambda a: (a + 1, a * a), lambda s: (s, s), lambda t: (t, t),
                     func_type="pyfunc")
    p, q = two(x)
    out["two_p"], out["two_q"] = p, q
    return out
