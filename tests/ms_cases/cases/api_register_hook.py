"""Tensor.register_hook inside the differentiated function: the hook gets the value's whole
gradient (the uses before the registration too), and what it returns replaces it (None keeps
it); in a function, in a Cell's construct, on an input, with GradOperation(get_all=True)."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, nn, ops


def _times10(g):
    return g * 10


def _keep(g):
    return None


def _halve(g):
    return g / 2


def f(x):
    y = x * 2
    z = y * 3
    y.register_hook(_times10)
    w = y * y
    return z.sum() + w.sum()


def f_none(x):
    y = ops.sin(x) * 2
    y.register_hook(_keep)
    return (y * y).sum()


def f_input(x, b):
    x.register_hook(_halve)
    return (x * x * b).sum()


def hook_test(x, y):  # MindSpore's hook tutorial
    z = x * y
    z.register_hook(_times10)
    z = z * y
    return z


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.dense = nn.Dense(3, 2, weight_init="ones", bias_init="zeros")

    def construct(self, x):
        h = self.dense(x)
        h.register_hook(_halve)
        return (ops.tanh(h) ** 2).sum()


def run():
    x = Tensor(np.array([1.0, 2.0, -0.5], np.float32))
    b = Tensor(np.array([0.5, -1.0, 2.0], np.float32))
    net = Net()
    a = Tensor(np.array([[0.1, -0.2, 0.3], [0.4, 0.0, -0.1]], np.float32))
    gw = ms.grad(net, grad_position=0, weights=net.trainable_params())(a)
    g_tut = ops.GradOperation(get_all=True)(hook_test)(Tensor(1.0, ms.float32),
                                                        Tensor(2.0, ms.float32))
    return {
        "f": ms.grad(f)(x),
        "f_none": ms.grad(f_none)(x),
        "f_input": ms.grad(f_input, grad_position=(0, 1))(x, b)[0],
        "f_input_b": ms.grad(f_input, grad_position=(0, 1))(x, b)[1],
        "net_x": gw[0], "net_w": gw[1][0], "net_b": gw[1][1],
        "tut_x": g_tut[0], "tut_y": g_tut[1],
    }
