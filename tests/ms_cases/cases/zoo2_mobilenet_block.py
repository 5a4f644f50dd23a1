"""MobileNetV2/V3 building blocks as the model zoo writes them: an InvertedResidual (1x1
expand Conv2dBnAct with ReLU6, 3x3 depthwise Conv2d with group=channels, BatchNorm2d, 1x1
project), a squeeze-and-excite block (AdaptiveAvgPool2d, 1x1 convs, HSigmoid, multiply), HSwish,
a DenseBnAct head with Dropout (eval); BatchNorm in training mode: value_and_grad, one
Momentum step, the moving statistics, and the eval-mode output."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class SEBlock(nn.Cell):
    def __init__(self, ch, reduction=2):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc1 = nn.Conv2d(ch, ch // reduction, 1, has_bias=True)
        self.relu = nn.ReLU()
        self.fc2 = nn.Conv2d(ch // reduction, ch, 1, has_bias=True)
        self.hsig = nn.HSigmoid()

    def construct(self, x):
        s = self.hsig(self.fc2(self.relu(self.fc1(self.pool(x)))))
        return x * s


class InvertedResidual(nn.Cell):
    def __init__(self, inp, oup, stride, expand_ratio):
        super().__init__()
        hidden = inp * expand_ratio
        self.use_res = stride == 1 and inp == oup
        self.expand = nn.Conv2dBnAct(inp, hidden, 1, has_bn=True, momentum=0.9,
                                     activation='relu6')
        self.dw = nn.Conv2d(hidden, hidden, 3, stride, pad_mode='pad', padding=1, group=hidden,
                            has_bias=False)
        self.bn = nn.BatchNorm2d(hidden, momentum=0.9)
        self.act = nn.HSwish()
        self.se = SEBlock(hidden)
        self.project = nn.Conv2dBnAct(hidden, oup, 1, has_bn=True, momentum=0.9)

    def construct(self, x):
        h = self.expand(x)
        h = self.act(self.bn(self.dw(h)))
        h = self.se(h)
        h = self.project(h)
        if self.use_res:
            return x + h
        return h


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.block1 = InvertedResidual(3, 3, 1, 2)
        self.block2 = InvertedResidual(3, 4, 2, 2)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()
        self.drop = nn.Dropout(p=0.2)
        self.head = nn.DenseBnAct(4, 3, has_bn=True, activation='leakyrelu', alpha=0.1)

    def construct(self, x):
        x = self.block2(self.block1(x))
        return self.head(self.drop(self.flatten(self.pool(x))))


def run():
    net = Net()
    rng = np.random.RandomState(61)
    for name, p in net.parameters_and_names():
        if "moving" in name:
            continue
        lo, hi = (0.5, 1.5) if "gamma" in name else (-0.5, 0.5)
        p.set_data(Tensor(rng.uniform(lo, hi, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((4, 3, 8, 8)).astype(np.float32))
    y = Tensor(np.array([0, 2, 1, 2], np.int32))
    net.set_train()
    net.drop.set_train(False)
    loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction='mean')
    opt = nn.Momentum(net.trainable_params(), 0.1, 0.9, weight_decay=4e-5)

    def forward(x, y):
        return loss_fn(net(x), y)

    grad_fn = ms.value_and_grad(forward, None, opt.parameters)
    loss, grads = grad_fn(x, y)
    out = {"loss": loss}
    for p, g in zip(opt.parameters, grads):
        if p.name == "head.dense.bias":
            # the Dense's bias feeds a training-mode BatchNorm, which subtracts the batch mean:
            # its gradient is 0 in exact arithmetic, float32 rounding noise on both sides (up
            # to 2e-5 in MindSpore, different from one run of it to the next)
            out["grad_head.dense.bias_is_noise"] = bool(np.abs(g.asnumpy()).max() < 1e-4)
            continue
        out["grad_" + p.name] = g
    opt(grads)
    for name, p in net.parameters_and_names():
        out["after_" + name] = p.asnumpy().copy()
    net.set_train(False)
    out["eval"] = net(x)
    return out
