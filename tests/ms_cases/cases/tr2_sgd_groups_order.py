"""The tutorial's parameter groups: conv weights with weight decay, the rest (biases, BN)
without and a larger learning rate, 'order_params' restoring the network's order; SGD with
momentum and nesterov, a LeNet-like Cell trained with TrainOneStepCell; get_lr per group."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, pad_mode="valid", has_bias=True)
        self.bn = nn.BatchNorm2d(2)
        self.flatten = nn.Flatten()
        self.fc = nn.Dense(2 * 3 * 3, 3)

    def construct(self, x):
        return self.fc(self.flatten(nn.ReLU()(self.bn(self.conv(x)))))


def run():
    net = Net()
    rng = np.random.default_rng(5)
    for p in net.trainable_params():
        if "bn" not in p.name:
            p.set_data(Tensor(rng.normal(0.0, 0.4, p.shape).astype(np.float32)))
    conv_params = list(filter(lambda x: "conv" in x.name and "weight" in x.name,
                              net.trainable_params()))
    no_conv_params = list(filter(lambda x: not ("conv" in x.name and "weight" in x.name),
                                 net.trainable_params()))
    group_params = [{"params": conv_params, "weight_decay": 0.01},
                    {"params": no_conv_params, "lr": 0.05},
                    {"order_params": net.trainable_params()}]
    opt = nn.SGD(group_params, learning_rate=0.1, momentum=0.9, nesterov=True)
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    step = nn.TrainOneStepCell(nn.WithLossCell(net, loss), opt)
    step.set_train()
    x = Tensor(rng.normal(size=(4, 1, 5, 5)).astype(np.float32))
    y = Tensor(np.array([0, 2, 1, 2], np.int32))
    out = {"losses": np.array([float(step(x, y).asnumpy()) for _ in range(4)])}
    out["order"] = np.array([float(ord(p.name[0])) for p in opt.parameters])
    out["lrs"] = np.array([float(v.asnumpy()) for v in opt.get_lr()])
    out["n_lr_params"] = float(len(opt.learning_rate))
    for name, p in net.parameters_and_names():
        out["w/" + name] = p.asnumpy()
    net.set_train(False)
    out["eval"] = net(x).asnumpy()
    return out
