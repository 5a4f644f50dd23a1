"""Gradient clipping the way zoo training scripts do it: ops.clip_by_global_norm on the
gradient tuple from ops.GradOperation(get_by_list=True) over a ParameterTuple, inside a custom
TrainOneStep Cell with ops.depend, then nn.Adam; plus ops.clip_by_value and ops.clip_by_norm
style clipping of one gradient; three steps: losses, clipped gradients and the parameters.
(Pre-activations stay within |x| < 3: MindSpore's CPU Tanh is a rational approximation whose
error grows to 1e-4 near |x| = 5, where it returns 1.0000098; numpy's tanh is exact.)"""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, ParameterTuple


class MLP(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(4, 6, activation=nn.Tanh())
        self.fc2 = nn.Dense(6, 6, activation='relu')
        self.fc3 = nn.Dense(6, 2)

    def construct(self, x):
        return self.fc3(self.fc2(self.fc1(x)))


class TrainOneStep(nn.Cell):
    def __init__(self, network, optimizer, clip=1.0):
        super().__init__(auto_prefix=False)
        self.network = network
        self.weights = ParameterTuple(network.trainable_params())
        self.optimizer = optimizer
        self.grad = ops.GradOperation(get_by_list=True)
        self.clip = clip

    def construct(self, x, y):
        loss = self.network(x, y)
        grads = self.grad(self.network, self.weights)(x, y)
        grads = ops.clip_by_global_norm(grads, self.clip)
        loss = ops.depend(loss, self.optimizer(grads))
        return loss, grads


def run():
    net = MLP()
    rng = np.random.RandomState(41)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((5, 4)).astype(np.float32))
    y = Tensor(rng.standard_normal((5, 2)).astype(np.float32) * 5)
    with_loss = nn.WithLossCell(net, nn.MSELoss())
    opt = nn.Adam(net.trainable_params(), learning_rate=0.05)
    step = TrainOneStep(with_loss, opt, clip=0.5)
    out = {}
    for i in range(3):
        loss, grads = step(x, y)
        out["loss%d" % i] = loss
        out["gnorm%d" % i] = ops.sqrt(sum((g * g).sum() for g in grads))
    for i, g in enumerate(grads):
        out["clipped%d" % i] = g
    for name, p in net.parameters_and_names():
        out[name] = p.asnumpy().copy()
    raw = ops.grad(with_loss, None, net.trainable_params())(x, y)
    out["clip_value"] = ops.clip_by_value(raw[0], Tensor(-0.1, ms.float32), Tensor(0.1, ms.float32))
    out["clip_global_tuple"] = ops.clip_by_global_norm(raw[:2], 0.3)[1]
    out["clamp"] = ops.clamp(raw[2], min=-0.05)
    return out
