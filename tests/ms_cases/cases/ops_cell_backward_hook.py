"""Cell.register_backward_hook: what the hook sees (the gradients of the Cell's input and
output) and how the tuple it returns replaces the input's gradient."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor, nn


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(2, 2, weight_init=Tensor(np.array([[1.0, -0.5], [0.3, 2.0]], np.float32)),
                           bias_init=Tensor(np.array([0.1, -0.2], np.float32)))

    def construct(self, x):
        return ops.sum(ops.tanh(self.fc(ops.sin(x))) ** 2)


def run():
    net = Net()
    seen = {}

    def hook(cell, grad_input, grad_output):
        seen["grad_input_seen"] = grad_input[0].asnumpy().copy()
        seen["grad_output_seen"] = grad_output[0].asnumpy().copy()
        return (grad_input[0] * 3.0,)

    x = Tensor(np.array([[0.3, -0.2], [0.5, 0.1]], np.float32))
    plain = ops.grad(lambda x: net(x))(x)
    handle = net.fc.register_backward_hook(hook)
    out = {"grad_plain": plain, "grad_hooked": ops.grad(lambda x: net(x))(x)}
    out.update(seen)
    handle.remove()
    out["grad_removed"] = ops.grad(lambda x: net(x))(x)
    return out
