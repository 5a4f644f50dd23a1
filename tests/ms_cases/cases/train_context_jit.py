"""A MindSpore script's preamble and decorators run unchanged: set_context in GRAPH_MODE,
ms.jit bare and with arguments on a function and on construct, value_and_grad by weights,
then one optimizer step; the mode read back with get_context."""
import numpy as np
import mindspore as ms
from mindspore import context, nn, ops, Tensor, Parameter


@ms.jit
def scaled_tanh(x, w):
    return ops.tanh(x * w)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, -1.0, 2.0], np.float32)), name="w")

    @ms.jit(capture_mode="ast")
    def construct(self, x):
        return ops.sum(scaled_tanh(x, self.w) * x)


def run():
    context.set_context(mode=context.GRAPH_MODE, device_target="CPU")
    try:
        mode = ms.get_context("mode")
        net = Net()
        opt = nn.SGD(net.trainable_params(), learning_rate=0.1)
        x = Tensor(np.array([1.0, -2.0, 0.5], np.float32))
        loss, grads = ops.value_and_grad(net, None, opt.parameters)(x)
        opt(grads)
        return {"mode": mode, "loss": loss, "grad": grads[0], "w": net.w.asnumpy()}
    finally:
        ms.set_context(mode=ms.PYNATIVE_MODE)
