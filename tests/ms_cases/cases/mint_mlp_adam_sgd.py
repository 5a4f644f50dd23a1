"""An MLP written with mint.nn (Linear, ReLU, Tanh, SmoothL1Loss, BCEWithLogitsLoss and
functional nll_loss over log(softmax)) trained a few steps with mint.optim.Adam
(weight_decay) and mint.optim.SGD (momentum, nesterov): the losses, the Parameters and the
optimizers' state after the steps.  (MindSpore 2.10's CPU build has no AdamW kernel.)"""
import numpy as np
import mindspore as ms
from mindspore import mint, nn, Tensor


class MLP(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = mint.nn.Linear(4, 5)
        self.act = mint.nn.ReLU()
        self.fc2 = mint.nn.Linear(5, 3)
        self.tanh = mint.nn.Tanh()

    def construct(self, x):
        return self.fc2(self.tanh(self.act(self.fc1(x))))


def _net(rng):
    net = MLP()
    for p in net.trainable_params():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    return net


def run():
    rng = np.random.RandomState(3)
    x = Tensor(rng.randn(6, 4).astype(np.float32))
    target = Tensor(rng.randn(6, 3).astype(np.float32))
    labels = Tensor(np.array([0, 2, 1, 1, 0, 2], np.int32))
    out = {}

    net = _net(rng)
    smooth = mint.nn.SmoothL1Loss(beta=0.5)
    bce = mint.nn.BCEWithLogitsLoss()

    def loss_a(x, t):
        y = net(x)
        return smooth(y, t) + bce(y, mint.sigmoid(t))

    opt = mint.optim.Adam(net.trainable_params(), lr=0.05, weight_decay=0.01)
    grad_fn = ms.value_and_grad(loss_a, None, opt.parameters)

    @ms.jit  # (MindSpore 2.10's mint optimizers update nothing in PyNative mode on CPU)
    def train_a(x, t):
        loss, grads = grad_fn(x, t)
        opt(grads)
        return loss

    for step in range(4):
        out["adam_loss_%d" % step] = train_a(x, target)
    for p in net.trainable_params():
        out["adam_" + p.name] = p
    out["adam_exp_avg_0"] = opt.exp_avg[0]
    out["adam_exp_avg_sq_3"] = opt.exp_avg_sq[3]
    out["adam_state_step"] = opt.state_step

    net2 = _net(rng)

    def loss_b(x, labels):
        logp = mint.log(mint.nn.functional.softmax(net2(x), 1))
        return mint.nn.functional.nll_loss(logp, labels)

    opt2 = mint.optim.SGD(net2.trainable_params(), lr=0.1, momentum=0.9, nesterov=True,
                          weight_decay=0.001)
    grad_fn2 = ms.value_and_grad(loss_b, None, opt2.parameters)

    @ms.jit
    def train_b(x, labels):
        loss, grads = grad_fn2(x, labels)
        opt2(grads)
        return loss

    for step in range(4):
        out["sgd_loss_%d" % step] = train_b(x, labels)
    for p in net2.trainable_params():
        out["sgd_" + p.name] = p
    out["sgd_momentum_buf_1"] = opt2.momentum_buf[1]
    return out
