"""nn.Dropout's masks under mindspore.set_seed are MindSpore's own: each layer's op seeds,
the stream that runs on through the calls for one input shape and starts afresh for
another, several layers, float64 inputs, masks inside value_and_grad and a few training
steps of a network with dropout."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, nn


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(8, 16)
        self.drop1 = nn.Dropout(p=0.3)
        self.fc2 = nn.Dense(16, 3)
        self.drop2 = nn.Dropout(p=0.5)

    def construct(self, x):
        return self.drop2(self.fc2(self.drop1(self.fc1(x))))


def run():
    out = {}
    ms.set_seed(5)
    d, d2 = nn.Dropout(p=0.5), nn.Dropout(p=0.1)
    d.set_train()
    d2.set_train()
    x = Tensor(np.ones((4, 8), np.float32))
    y = Tensor(np.ones((64, 100), np.float32))
    out["first"] = d(x).asnumpy()
    out["second_call"] = d(x).asnumpy()
    out["other_shape_kept"] = float((d(y).asnumpy() > 0).sum())
    out["back_to_first_shape"] = d(x).asnumpy()
    out["second_layer"] = d2(x).asnumpy()
    out["float64"] = d(Tensor(np.ones((3, 5), np.float64))).asnumpy()

    ms.set_seed(9)
    net = Net()
    loss_fn = nn.MSELoss()
    opt = nn.SGD(net.trainable_params(), 0.05)
    grad_fn = ms.value_and_grad(lambda a, b: loss_fn(net(a), b), None, opt.parameters)
    net.set_train()
    r = np.random.RandomState(1)
    a = Tensor(r.randn(6, 8).astype(np.float32))
    b = Tensor(r.randn(6, 3).astype(np.float32))
    losses = []
    for _ in range(4):
        loss, grads = grad_fn(a, b)
        opt(grads)
        losses.append(float(loss.asnumpy()))
    out["train_losses"] = np.array(losses)
    out["train_fc2_weight"] = net.fc2.weight.asnumpy()
    return out
