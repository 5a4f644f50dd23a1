"""Custom bprop Cells inside a bigger net, as model code writes them (a straight-through
rounding, a gradient-reversal layer, a clipped-gradient op), with Parameter(requires_grad=
False), ops.stop_gradient on a branch, GradOperation(get_all=True, get_by_list=True), and a
second-order gradient of a function whose Cell has no bprop of its own."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


class RoundSTE(nn.Cell):
    def construct(self, x):
        return ops.round(x * 4) / 4

    def bprop(self, x, out, dout):
        return (dout,)


class GradReverse(nn.Cell):
    def __init__(self, lam):
        super().__init__()
        self.lam = lam

    def construct(self, x):
        return x * 1.0

    def bprop(self, x, out, dout):
        return (-self.lam * dout,)


class ClipGrad(nn.Cell):
    def construct(self, x, y):
        return x * y

    def bprop(self, x, y, out, dout):
        return ops.clip_by_value(dout * y, -0.5, 0.5), dout * x


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(3, 3, weight_init=Tensor(np.array(
            [[0.5, -0.2, 0.1], [0.3, 0.8, -0.5], [-0.4, 0.2, 0.6]], np.float32)), bias_init="zeros")
        self.scale = Parameter(Tensor(np.array([1.5, 0.5, -1.0], np.float32)), name="scale",
                               requires_grad=False)
        self.gain = Parameter(Tensor(np.array([0.7], np.float32)), name="gain")
        self.ste = RoundSTE()
        self.rev = GradReverse(0.3)
        self.clip = ClipGrad()

    def construct(self, x, y):
        h = self.ste(self.fc(x)) * self.scale
        r = self.rev(ops.tanh(h))
        frozen = ops.stop_gradient(h * 2)
        return (self.clip(r, y) * self.gain).sum() + (frozen * h).mean()


class Smooth(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.3, -0.6, 1.1], np.float32)), name="w")

    def construct(self, x):
        return (ops.sin(x * self.w) * x).sum()


def run():
    out = {}
    net = Net()
    x = Tensor(np.array([[0.3, -1.2, 0.8], [1.1, 0.4, -0.6]], np.float32))
    y = Tensor(np.array([[2.0, -1.0, 0.5], [0.25, 3.0, -2.0]], np.float32))
    grads = ops.GradOperation(get_all=True, get_by_list=True)(net, net.trainable_params())(x, y)
    (gx, gy), gws = grads
    out["gx"] = gx
    out["gy"] = gy
    out["n_weights"] = np.array(len(gws))
    for p, g in zip(net.trainable_params(), gws):
        out["g_" + p.name] = g
    s = Smooth()
    first = ops.grad(s, 0)
    out["second"] = ops.grad(lambda v: first(v).sum())(Tensor(np.array([0.5, -1.0, 2.0],
                                                                       np.float32)))
    params = s.trainable_params()
    gw2 = ops.grad(lambda v: ops.grad(s, None, params)(v)[0].sum(), 0)(
        Tensor(np.array([0.5, -1.0, 2.0], np.float32)))
    out["mixed"] = gw2
    return out
