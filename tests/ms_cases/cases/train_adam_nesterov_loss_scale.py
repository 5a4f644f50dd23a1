"""nn.Adam with use_nesterov and loss_scale: three steps on a small net with explicit weights (parameters after each step)."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([[0.5, -0.3], [0.2, 0.8], [-0.6, 0.1]], np.float32)), name="w")
        self.b = Parameter(Tensor(np.array([0.1, -0.2], np.float32)), name="b")
        self.gamma = Parameter(Tensor(np.array([1.2, 0.7], np.float32)), name="gamma")

    def construct(self, x, y):
        d = (ops.matmul(x, self.w) + self.b) * self.gamma - y
        return ops.sum(d * d)


def run():
    net = Net()
    w, b, gamma = net.w, net.b, net.gamma
    opt = nn.Adam(net.trainable_params(), learning_rate=0.01, beta1=0.8, beta2=0.99, eps=1e-6, use_nesterov=True, loss_scale=2.0)
    x = Tensor(np.array([[1.0, 2.0, -1.0], [0.5, -1.5, 2.0], [-0.3, 0.8, 0.4], [1.1, 0.2, -0.7]], np.float32))
    y = Tensor(np.array([[0.3, -0.5], [1.0, 0.2], [-0.4, 0.9], [0.6, -0.1]], np.float32))
    grad_fn = ops.value_and_grad(net, None, opt.parameters)
    out = {}
    for step in range(3):
        loss, grads = grad_fn(x, y)
        opt(grads)
        out["loss%d" % step] = loss
        out["w%d" % step] = net.w.asnumpy().copy()
        out["b%d" % step] = net.b.asnumpy().copy()
        out["gamma%d" % step] = net.gamma.asnumpy().copy()
    return out
