"""A ResNet-50 style stem and Bottleneck (expansion 4, stride 2, pad_mode='same' convs, MaxPool2d
pad_mode='same', ops.add for the shortcut, AdaptiveAvgPool2d head, Dense) trained one step with
nn.TrainOneStepCell(nn.WithLossCell(net, CrossEntropyLoss)) and a Momentum optimizer; then the
eval-mode output and the moving statistics."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class ResidualBlock(nn.Cell):
    expansion = 4

    def __init__(self, in_channel, out_channel, stride=1):
        super(ResidualBlock, self).__init__()
        channel = out_channel // self.expansion
        self.conv1 = nn.Conv2d(in_channel, channel, 1, stride=1, pad_mode='same')
        self.bn1 = nn.BatchNorm2d(channel)
        self.conv2 = nn.Conv2d(channel, channel, 3, stride=stride, pad_mode='same')
        self.bn2 = nn.BatchNorm2d(channel)
        self.conv3 = nn.Conv2d(channel, out_channel, 1, stride=1, pad_mode='same')
        self.bn3 = nn.BatchNorm2d(out_channel)
        self.relu = nn.ReLU()
        self.down_sample_layer = nn.SequentialCell(
            nn.Conv2d(in_channel, out_channel, 1, stride=stride, pad_mode='same'),
            nn.BatchNorm2d(out_channel))

    def construct(self, x):
        identity = x
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        identity = self.down_sample_layer(identity)
        out = ops.add(out, identity)
        return self.relu(out)


class Net(nn.Cell):
    def __init__(self, num_classes=3):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(3, 4, kernel_size=7, stride=2, pad_mode='same')
        self.bn1 = nn.BatchNorm2d(4)
        self.relu = ops.ReLU()
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, pad_mode='same')
        self.layer1 = ResidualBlock(4, 8, stride=2)
        self.pool = nn.AdaptiveAvgPool2d((1, 1))
        self.flatten = ops.Flatten()
        self.end_point = nn.Dense(8, num_classes)

    def construct(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer1(x)
        x = self.pool(x)
        return self.end_point(self.flatten(x))


def run():
    net = Net()
    rng = np.random.RandomState(5)
    for name, p in net.parameters_and_names():
        if "moving" in name:
            continue
        lo, hi = (0.5, 1.5) if "gamma" in name else (-0.4, 0.4)
        p.set_data(Tensor(rng.uniform(lo, hi, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((3, 3, 15, 15)).astype(np.float32))
    y = Tensor(np.array([2, 0, 1], np.int32))
    loss = nn.CrossEntropyLoss()
    opt = nn.Momentum(net.trainable_params(), 0.05, 0.9)
    train = nn.TrainOneStepCell(nn.WithLossCell(net, loss), opt)
    train.set_train()
    out = {}
    for step in range(2):
        out["loss%d" % step] = train(x, y)
    for name, p in net.parameters_and_names():
        out[name] = p.asnumpy().copy()
    net.set_train(False)
    out["eval"] = net(x)
    return out
