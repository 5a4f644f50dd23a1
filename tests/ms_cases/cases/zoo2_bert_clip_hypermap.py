"""The BERT zoo's gradient clipping and training cell, written as it is there: a
MultitypeFuncGraph ``clip_grad`` registered for ("Number", "Number", "Tensor") using
F.tuple_to_array, F.cast, F.dtype, C.clip_by_value and nn.ClipByNorm, applied with
C.HyperMap and F.partial over the gradient tuple; a grad_scale MultitypeFuncGraph with
F.reciprocal; a TrainOneStep Cell with GradOperation(get_by_list=True, sens_param=True), the
sens filled with ops.fill; both clip types over three steps of nn.Lamb-free Momentum:
losses and weights."""
import numpy as np
import mindspore as ms
import mindspore.nn as nn
from mindspore import Tensor, ParameterTuple
from mindspore.ops import composite as C
from mindspore.ops import functional as F
from mindspore.ops import operations as P
from mindspore.common import dtype as mstype

GRADIENT_CLIP_TYPE = 1
GRADIENT_CLIP_VALUE = 1.0

clip_grad = C.MultitypeFuncGraph("clip_grad")


@clip_grad.register("Number", "Number", "Tensor")
def _clip_grad(clip_type, clip_value, grad):
    if clip_type not in (0, 1):
        return grad
    dt = F.dtype(grad)
    if clip_type == 0:
        new_grad = C.clip_by_value(grad, F.cast(F.tuple_to_array((-clip_value,)), dt),
                                   F.cast(F.tuple_to_array((clip_value,)), dt))
    else:
        new_grad = nn.ClipByNorm()(grad, F.cast(F.tuple_to_array((clip_value,)), dt))
    return new_grad


grad_scale = C.MultitypeFuncGraph("grad_scale")
reciprocal = P.Reciprocal()


@grad_scale.register("Tensor", "Tensor")
def tensor_grad_scale(scale, grad):
    return grad * reciprocal(scale)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(4, 5, activation='gelu')
        self.fc2 = nn.Dense(5, 3)
        self.loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction='mean')

    def construct(self, x, y):
        return self.loss(self.fc2(self.fc1(x)), y)


class TrainOneStepCell(nn.Cell):
    def __init__(self, network, optimizer, clip_type, clip_value, sens=1.0):
        super().__init__(auto_prefix=False)
        self.network = network
        self.network.set_grad()
        self.weights = ParameterTuple(network.trainable_params())
        self.optimizer = optimizer
        self.grad = C.GradOperation(get_by_list=True, sens_param=True)
        self.sens = sens
        self.hyper_map = C.HyperMap()
        self.cast = P.Cast()
        self.clip_type = clip_type
        self.clip_value = clip_value

    def construct(self, x, y, scale):
        weights = self.weights
        loss = self.network(x, y)
        grads = self.grad(self.network, weights)(x, y, self.cast(F.tuple_to_array((self.sens,)),
                                                                 mstype.float32))
        grads = self.hyper_map(F.partial(grad_scale, scale), grads)
        grads = self.hyper_map(F.partial(clip_grad, self.clip_type, self.clip_value), grads)
        self.optimizer(grads)
        return loss, grads


def run():
    out = {}
    x = Tensor(np.random.RandomState(101).standard_normal((6, 4)).astype(np.float32) * 2)
    y = Tensor(np.array([0, 1, 2, 2, 1, 0], np.int32))
    for clip_type in (0, 1):
        net = Net()
        rng = np.random.RandomState(103)
        for _, p in net.parameters_and_names():
            p.set_data(Tensor(rng.uniform(-1.0, 1.0, p.shape).astype(np.float32)))
        opt = nn.Momentum(net.trainable_params(), 0.1, 0.9)
        step = TrainOneStepCell(net, opt, clip_type, 0.3 if clip_type == 0 else GRADIENT_CLIP_VALUE,
                                sens=4.0)
        scale = Tensor(np.array([2.0], np.float32))
        for i in range(3):
            loss, grads = step(x, y, scale)
            out["t%d_loss%d" % (clip_type, i)] = loss
        for j, g in enumerate(grads):
            out["t%d_grad%d" % (clip_type, j)] = g
        for name, p in net.parameters_and_names():
            out["t%d_%s" % (clip_type, name)] = p.asnumpy().copy()
    return out
