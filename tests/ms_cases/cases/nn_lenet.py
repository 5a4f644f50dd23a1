"""A LeNet-style net (Conv2d -> ReLU -> MaxPool2d twice, Flatten, Dense x2) with
CrossEntropyLoss: the loss and the gradients of every weight and of the input."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


def _w(rs, *shape):
    return Tensor((rs.standard_normal(shape) * 0.2).astype(np.float32))


class LeNet(nn.Cell):
    def __init__(self, rs):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 4, 5, pad_mode="valid", weight_init=_w(rs, 4, 1, 5, 5))
        self.conv2 = nn.Conv2d(4, 6, 3, pad_mode="same", has_bias=True,
                               weight_init=_w(rs, 6, 4, 3, 3), bias_init=_w(rs, 6))
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Dense(6 * 3 * 3, 16, weight_init=_w(rs, 16, 54), bias_init=_w(rs, 16))
        self.fc2 = nn.Dense(16, 5, weight_init=_w(rs, 5, 16), bias_init=_w(rs, 5))

    def construct(self, x):
        x = self.pool(self.relu(self.conv1(x)))
        x = self.pool(self.relu(self.conv2(x)))
        x = self.flatten(x)
        return self.fc2(self.relu(self.fc1(x)))


class WithLoss(nn.Cell):
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.loss = nn.CrossEntropyLoss()

    def construct(self, x, y):
        return self.loss(self.net(x), y)


def run():
    rs = np.random.RandomState(7)
    net = WithLoss(LeNet(rs))
    x = Tensor(rs.standard_normal((3, 1, 16, 16)).astype(np.float32))
    y = Tensor(np.array([1, 4, 0], np.int32))
    params = net.trainable_params()
    loss, (gx, gw) = ops.value_and_grad(net, grad_position=0, weights=params)(x, y)
    out = {"loss": loss, "grad_x": gx, "logits": net.net(x)}
    for p, g in zip(params, gw):
        out["grad_" + p.name] = g
    return out
