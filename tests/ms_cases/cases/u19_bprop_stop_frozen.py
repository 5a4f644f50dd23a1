"""A custom bprop Cell (a straight-through clip) inside a bigger net, ops.stop_gradient on one
branch, a Parameter with requires_grad=False that trainable_params leaves out, and a training
loop of five steps with nn.WithLossCell / nn.TrainOneStepCell and Momentum."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


class STEClip(nn.Cell):
    def construct(self, x):
        return ops.clip_by_value(x, -1.0, 1.0)

    def bprop(self, x, out, dout):
        return (dout * 0.5,)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(4, 5, weight_init="normal", bias_init="zeros")
        self.fc2 = nn.Dense(5, 1, weight_init="normal", bias_init="zeros")
        self.clip = STEClip()
        self.scale = Parameter(Tensor(np.array([1.5], np.float32)), name="scale",
                               requires_grad=False)

    def construct(self, x):
        h = self.clip(self.fc1(x) * 3.0)
        side = ops.stop_gradient(h * h)
        return self.fc2(h + side * 0.1) * self.scale


def run():
    ms.set_seed(11)
    net = Net()
    x = Tensor(np.linspace(-1, 1, 24).reshape(6, 4).astype(np.float32))
    y = Tensor(np.linspace(0, 1, 6).reshape(6, 1).astype(np.float32))
    out = {"n_trainable": len(net.trainable_params()), "n_all": len(net.get_parameters() and
                                                                     list(net.get_parameters()))}
    loss_fn = nn.MSELoss()
    wl = nn.WithLossCell(net, loss_fn)
    grads = ops.grad(wl, grad_position=None, weights=net.trainable_params())(x, y)
    for p, g in zip(net.trainable_params(), grads):
        out["g_" + p.name] = g
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9)
    step = nn.TrainOneStepCell(wl, opt)
    losses = [step(x, y) for _ in range(5)]
    out["losses"] = ops.stack(losses)
    out["scale_after"] = net.scale
    out["fc2_w_after"] = net.fc2.weight
    return out
