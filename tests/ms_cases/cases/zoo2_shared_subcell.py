"""A sub-Cell used twice (a shared projection applied to two inputs: a siamese net), a Parameter
shared by two layers (weight tying through the same Parameter object), a ParameterTuple of
extra weights, GradOperation(get_all=True, get_by_list=True) and nn.SGD with momentum over the
deduplicated parameters: gradients (summed over both uses) and parameters after two steps."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter, ParameterTuple


class Tower(nn.Cell):
    def __init__(self):
        super().__init__()
        self.proj = nn.Dense(3, 4)
        self.act = nn.GELU()

    def construct(self, x):
        return self.act(self.proj(x))


class Siamese(nn.Cell):
    def __init__(self):
        super().__init__()
        self.tower = Tower()
        shared = Parameter(Tensor(np.linspace(-0.5, 0.5, 16).reshape(4, 4).astype(np.float32)),
                           name="shared_w")
        self.a = nn.Dense(4, 4, weight_init=shared, has_bias=False)
        self.b = nn.Dense(4, 4, has_bias=False)
        self.b.weight = self.a.weight
        self.scales = ParameterTuple((Parameter(Tensor(np.array([1.5], np.float32)), name="s1"),
                                      Parameter(Tensor(np.array([0.5], np.float32)), name="s2")))

    def construct(self, x1, x2):
        h1 = self.tower(x1)
        h2 = self.tower(x2)
        z1 = self.a(h1) * self.scales[0]
        z2 = self.b(h2) * self.scales[1]
        diff = z1 - z2
        return (diff * diff).sum() + ops.cosine_similarity(z1, z2).sum()


class GradAll(nn.Cell):
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.params = ParameterTuple(net.trainable_params())
        self.grad = ops.GradOperation(get_all=True, get_by_list=True)

    def construct(self, x1, x2):
        return self.grad(self.net, self.params)(x1, x2)


def run():
    net = Siamese()
    rng = np.random.RandomState(43)
    for name, p in net.tower.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.7, 0.7, p.shape).astype(np.float32)))
    x1 = Tensor(rng.standard_normal((3, 3)).astype(np.float32))
    x2 = Tensor(rng.standard_normal((3, 3)).astype(np.float32))
    out = {"n_params": float(len(net.trainable_params())), "value": net(x1, x2)}
    (gx1, gx2), gw = GradAll(net)(x1, x2)
    out["gx1"], out["gx2"] = gx1, gx2
    for p, g in zip(net.trainable_params(), gw):
        out["grad_" + p.name] = g
    opt = nn.SGD(net.trainable_params(), learning_rate=0.05, momentum=0.9)
    train = nn.TrainOneStepCell(net, opt)
    for i in range(2):
        out["loss%d" % i] = train(x1, x2)
    for p in net.trainable_params():
        out["after_" + p.name] = p.asnumpy().copy()
    out["tied_same"] = float(np.array_equal(net.a.weight.asnumpy(), net.b.weight.asnumpy()))
    return out
