"""A ResNet BasicBlock the way the model zoo writes it (conv3x3 with pad_mode='pad', BatchNorm2d,
ReLU, a downsample SequentialCell, ops.ReduceMean head, SoftmaxCrossEntropyWithLogits(sparse)):
training mode value_and_grad, one Momentum step with weight decay, the moving statistics after
it, and the eval-mode output with those statistics."""
import numpy as np
import mindspore as ms
import mindspore.nn as nn
import mindspore.ops as ops
from mindspore import Tensor


def conv3x3(in_c, out_c, stride=1):
    return nn.Conv2d(in_c, out_c, kernel_size=3, stride=stride, padding=1, pad_mode='pad',
                     has_bias=False)


def conv1x1(in_c, out_c, stride=1):
    return nn.Conv2d(in_c, out_c, kernel_size=1, stride=stride, pad_mode='valid', has_bias=False)


class BasicBlock(nn.Cell):
    expansion = 1

    def __init__(self, in_channel, out_channel, stride=1):
        super(BasicBlock, self).__init__()
        self.conv1 = conv3x3(in_channel, out_channel, stride=stride)
        self.bn1 = nn.BatchNorm2d(out_channel, momentum=0.9)
        self.conv2 = conv3x3(out_channel, out_channel)
        self.bn2 = nn.BatchNorm2d(out_channel, momentum=0.9)
        self.relu = nn.ReLU()
        self.down_sample = None
        if stride != 1 or in_channel != out_channel:
            self.down_sample = nn.SequentialCell([conv1x1(in_channel, out_channel, stride),
                                                  nn.BatchNorm2d(out_channel, momentum=0.9)])

    def construct(self, x):
        identity = x
        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)
        out = self.conv2(out)
        out = self.bn2(out)
        if self.down_sample is not None:
            identity = self.down_sample(x)
        out = out + identity
        out = self.relu(out)
        return out


class Net(nn.Cell):
    def __init__(self):
        super(Net, self).__init__()
        self.block1 = BasicBlock(3, 4, stride=2)
        self.block2 = BasicBlock(4, 4)
        self.mean = ops.ReduceMean(keep_dims=True)
        self.flatten = nn.Flatten()
        self.fc = nn.Dense(4, 5)

    def construct(self, x):
        x = self.block1(x)
        x = self.block2(x)
        x = self.mean(x, (2, 3))
        x = self.flatten(x)
        return self.fc(x)


def run():
    net = Net()
    rng = np.random.RandomState(3)
    for name, p in net.parameters_and_names():
        if "moving" in name:
            continue
        if "gamma" in name:
            p.set_data(Tensor(rng.uniform(0.5, 1.5, p.shape).astype(np.float32)))
        else:
            p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((4, 3, 8, 8)).astype(np.float32))
    y = Tensor(np.array([0, 3, 1, 4], np.int32))
    loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction='mean')
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9, weight_decay=1e-4)

    def forward(x, y):
        logits = net(x)
        return loss_fn(logits, y), logits

    grad_fn = ms.value_and_grad(forward, None, opt.parameters, has_aux=True)
    net.set_train()
    out = {}
    for step in range(2):
        (loss, logits), grads = grad_fn(x, y)
        opt(grads)
        out["loss%d" % step] = loss
        out["logits%d" % step] = logits
    for p, g in zip(opt.parameters, grads):
        out["grad_" + p.name] = g
    for name, p in net.parameters_and_names():
        out["after_" + name] = p.asnumpy().copy()
    net.set_train(False)
    out["eval_logits"] = net(x)
    return out
