"""A user optimizer on nn.Optimizer as MindSpore's tutorial writes one: state from
self.parameters.clone(prefix, init='zeros'), self.get_lr(), ops.assign in construct."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


class MyMomentum(nn.Optimizer):
    def __init__(self, params, learning_rate, momentum=0.9):
        super(MyMomentum, self).__init__(learning_rate, params)
        self.momentum = Parameter(Tensor(momentum, ms.float32), name="momentum")
        self.moments = self.parameters.clone(prefix="moments", init="zeros")
        self.ones = self.parameters.clone(prefix="ones", init="ones")

    def construct(self, gradients):
        lr = self.get_lr()
        params = self.parameters
        for i in range(len(params)):
            ops.assign(self.moments[i], self.moments[i] * self.momentum + gradients[i])
            update = params[i] - self.moments[i] * lr
            ops.assign(params[i], update)
        return params


def run():
    net = nn.Dense(3, 2, weight_init=Tensor(np.array([[0.5, -0.3, 0.2], [0.8, -0.6, 0.1]], np.float32)),
                   bias_init="zeros")
    opt = MyMomentum(net.trainable_params(), 0.1)
    x = Tensor(np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 1.5]], np.float32))

    def f(x):
        return ops.sum(net(x) ** 2)

    grad_fn = ops.value_and_grad(f, None, opt.parameters)
    out = {}
    for step in range(3):
        loss, grads = grad_fn(x)
        opt(grads)
        out["loss%d" % step] = loss
        out["w%d" % step] = net.weight.asnumpy().copy()
        out["m%d" % step] = opt.moments[0].asnumpy().copy()
    out["ones"] = opt.ones[1].asnumpy()
    return out
