"""mint.nn layers MindSpore 2.10's CPU build runs (Linear, GroupNorm, SiLU, Hardswish, Tanh,
ReLU, Softmax, Flatten, Dropout in eval mode) and losses (BCEWithLogitsLoss, SmoothL1Loss,
functional nll_loss) in a Cell under value_and_grad with its weights: the value, the input's
gradient and every weight's gradient."""
import numpy as np
import mindspore as ms
from mindspore import mint, nn, Tensor


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = mint.nn.Linear(6, 8)
        self.gn = mint.nn.GroupNorm(2, 8)
        self.silu = mint.nn.SiLU()
        self.hswish = mint.nn.Hardswish()
        self.tanh = mint.nn.Tanh()
        self.relu = mint.nn.ReLU()
        self.soft = mint.nn.Softmax(dim=1)
        self.flat = mint.nn.Flatten()
        self.drop = mint.nn.Dropout(p=0.3)
        self.out = mint.nn.Linear(8, 3, bias=False)

    def construct(self, x):
        h = self.gn(self.fc(self.flat(x)))
        h = self.silu(h) + self.hswish(h) * self.tanh(self.relu(h))
        return self.out(self.drop(h))


def run():
    rng = np.random.RandomState(7)
    net = Net()
    net.set_train(False)
    for p in net.trainable_params():
        p.set_data(Tensor(rng.uniform(-0.6, 0.6, p.shape).astype(np.float32)))
    x = Tensor(rng.randn(4, 2, 3).astype(np.float32))
    t = Tensor(rng.uniform(0, 1, (4, 3)).astype(np.float32))
    labels = Tensor(np.array([0, 2, 1, 2], np.int32))
    bce = mint.nn.BCEWithLogitsLoss()
    smooth = mint.nn.SmoothL1Loss()

    def loss_fn(x):
        y = net(x)
        logp = mint.log(net.soft(y))
        return bce(y, t) + smooth(y, t) + mint.nn.functional.nll_loss(logp, labels)

    value, (gx, gw) = ms.value_and_grad(loss_fn, 0, net.trainable_params())(x)
    out = {"value": value, "grad_x": gx}
    for p, g in zip(net.trainable_params(), gw):
        out["grad_" + p.name] = g
    return out
