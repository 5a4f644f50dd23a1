"""Cell.to_float(float16): a small network whose float inputs and Parameters compute in
float16, with a BatchNorm kept in float32 (its output back in float16 for the next layer),
eagerly and under value_and_grad (the gradients in the Parameters' float32), then two SGD
steps."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, nn, ops

# float16 arithmetic: MindSpore's CPU kernels and numpy round some sums differently (a few
# units in float16's last place, 1e-3 relative); a gradient that is zero up to rounding
# (fc1's bias, before a BatchNorm) differs by that much in absolute terms
TOLERANCE = (2e-3, 2e-3)

_RNG = np.random.default_rng(7)
_W1 = (_RNG.standard_normal((6, 4)) * 0.5).astype(np.float32)
_W2 = (_RNG.standard_normal((3, 6)) * 0.5).astype(np.float32)
_B2 = (_RNG.standard_normal(3) * 0.1).astype(np.float32)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(4, 6, weight_init=Tensor(_W1), bias_init="zeros")
        self.bn = nn.BatchNorm1d(6)
        self.fc2 = nn.Dense(6, 3, weight_init=Tensor(_W2), bias_init=Tensor(_B2))
        self.relu = nn.ReLU()

    def construct(self, x):
        h = self.relu(self.bn(self.fc1(x)))
        return self.fc2(h)


def run():
    ms.set_seed(3)
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((5, 4)).astype(np.float32))
    labels = Tensor(np.array([0, 2, 1, 1, 0], np.int32))
    net = Net()
    net.to_float(ms.float16)
    net.bn.to_float(ms.float32)
    out = {}
    net.set_train(False)
    y = net(x)
    out["eval_dtype_is_f16"] = float(y.dtype == ms.float16)
    out["eval"] = y.astype(ms.float32)
    loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")

    def forward(x, labels):
        return loss_fn(net(x).astype(ms.float32), labels)

    params = net.trainable_params()
    grad_fn = ms.value_and_grad(forward, None, params)
    opt = nn.SGD(params, learning_rate=0.1)
    net.set_train(True)
    for step in range(2):
        loss, grads = grad_fn(x, labels)
        out["loss%d" % step] = loss
        if step == 0:
            for p, g in zip(params, grads):
                out["grad_dtype_is_f32_" + p.name] = float(g.dtype == ms.float32)
                out["grad0_" + p.name] = g
        opt(grads)
    out["fc1_w"] = net.fc1.weight
    out["bn_mean"] = net.bn.moving_mean
    return out
