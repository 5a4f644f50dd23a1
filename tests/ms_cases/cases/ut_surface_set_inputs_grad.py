"""Cell.set_inputs with Tensor(shape=[None], dtype=...) placeholders, in PyNative mode:
gradients before and after the declaration are the same (issue 17, grad/test_auto_grad.py:
test_auto_grad_multi_input, _weights_grad, _with_sens, _by_position, _return_param)."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter
from mindspore.ops import composite as C


class MultiInputNet(nn.Cell):
    def construct(self, x, t):
        y = x * x
        return y * t[0] + t[1]


class NormalNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.p1 = Parameter(Tensor(np.array([1.5, -0.5], np.float32)), name="p1")
        self.p2 = Parameter(Tensor(np.array([2.0, 3.0], np.float32)), name="p2")

    def construct(self, x):
        return (x + self.p1) * self.p2 * x


def run():
    ms.set_context(mode=ms.PYNATIVE_MODE)
    x = Tensor(np.array([1.0, -2.0], np.float32))
    y = Tensor(np.array([2.0, 0.5], np.float32))
    z = Tensor(np.array([3.0, 1.0], np.float32))
    out = {}
    net = MultiInputNet()
    grad_all = C.GradOperation(get_all=True)
    out["multi_before"] = grad_all(net)(x, (y, z))[0]
    net.set_inputs(Tensor(shape=[None], dtype=ms.float32),
                   (Tensor(shape=[None], dtype=ms.float32), Tensor(shape=[None], dtype=ms.float32)))
    # (2.10 gives no gradient for the tuple argument here: only g[0] is compared)
    out["multi_after_x"] = grad_all(net)(x, (y, z))[0]
    out["multi_value"] = net(x, (y, z))
    normal = NormalNet()
    both = C.GradOperation(get_all=True, get_by_list=True)
    out["w_before"] = both(normal, [normal.p1])(x)[1][0]
    normal.set_inputs(Tensor(shape=[None], dtype=ms.float32))
    g = both(normal, [normal.p1])(x)
    out["w_after_x"] = g[0][0]
    out["w_after_p1"] = g[1][0]
    sens = Tensor(np.array([1.0, -1.0], np.float32))
    g = C.GradOperation(get_all=True, get_by_list=True, sens_param=True)(normal, [normal.p2])(x, sens)
    out["sens_x"] = g[0][0]
    out["sens_p2"] = g[1][0]
    v, gx = ops.value_and_grad(normal)(x)
    out["vg_value"] = v
    out["vg_grad"] = gx
    out["long"] = ops.grad(normal)(Tensor(np.array([1.0, 2.0, 3.0], np.float32))[:2])
    return out
