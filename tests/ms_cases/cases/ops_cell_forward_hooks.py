"""Cell.register_forward_pre_hook / register_forward_hook on a sub-Cell: the hooks change the
inputs and the output, in the forward value and in the gradients; removed, they are gone."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor, nn


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(2, 2, weight_init=Tensor(np.array([[1.0, -0.5], [0.3, 2.0]], np.float32)),
                           bias_init=Tensor(np.array([0.1, -0.2], np.float32)))

    def construct(self, x):
        return ops.sum(ops.tanh(self.fc(x)) ** 2)


def run():
    net = Net()
    calls = []

    def pre(cell, inputs):
        calls.append(len(inputs))
        return (inputs[0] * 2.0,)

    def post(cell, inputs, output):
        calls.append(len(inputs))
        return output * 0.5 + 0.1 * inputs[0].sum()

    x = Tensor(np.array([[0.3, -0.2], [0.5, 0.1]], np.float32))
    h1 = net.fc.register_forward_pre_hook(pre)
    h2 = net.fc.register_forward_hook(post)
    out = {"value": net(x)}
    out["grad_x"] = ops.grad(lambda x: net(x))(x)
    loss, grads = ops.value_and_grad(lambda x: net(x), None, net.trainable_params())(x)
    out["loss"] = loss
    out["grad_w"], out["grad_b"] = grads
    out["hook_calls_positive"] = float(len(calls) > 0)
    h1.remove()
    h2.remove()
    out["value_removed"] = net(x)
    out["grad_x_removed"] = ops.grad(lambda x: net(x))(x)
    return out
