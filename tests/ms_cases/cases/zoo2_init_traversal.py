"""Weight initialization the way zoo scripts do it, deterministic forms only: a loop over
net.cells_and_names() that set_data's Conv2d / Dense / BatchNorm2d weights from
initializer(Constant / One / Zero / a Tensor, shape, dtype), Parameter.set_data with a numpy-
built Tensor, net.get_parameters() / parameters_dict() / trainable_params() counts, a frozen
layer (requires_grad=False) left out of the optimizer, insert_child_to_cell, then the forward
value, the gradients and one Momentum step."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor
from mindspore.common.initializer import initializer, Constant, One, Zero


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 3, 3, pad_mode='pad', padding=1, has_bias=True)
        self.bn = nn.BatchNorm2d(3)
        self.relu = nn.ReLU()
        self.pool = nn.AvgPool2d(2, 2)
        self.fc = nn.Dense(12, 2)

    def construct(self, x):
        x = self.pool(self.relu(self.bn(self.conv(x))))
        return self.fc(x.reshape((x.shape[0], -1)))


def run():
    net = Net()
    rng = np.random.RandomState(137)
    for name, cell in net.cells_and_names():
        if isinstance(cell, nn.Conv2d):
            cell.weight.set_data(Tensor(rng.uniform(-0.4, 0.4, cell.weight.shape)
                                        .astype(np.float32)))
            cell.bias.set_data(initializer(Constant(0.05), cell.bias.shape, ms.float32))
        elif isinstance(cell, nn.BatchNorm2d):
            cell.gamma.set_data(initializer(One(), cell.gamma.shape))
            cell.beta.set_data(initializer(Zero(), cell.beta.shape))
        elif isinstance(cell, nn.Dense):
            cell.weight.set_data(initializer(Tensor(rng.uniform(-0.3, 0.3, (2, 12))
                                                    .astype(np.float32)), [2, 12], ms.float32))
            cell.bias.set_data(initializer('zeros', [2], ms.float32))
    net.insert_child_to_cell("head_act", nn.Tanh())
    net.conv.bias.requires_grad = False
    out = {"n_all": float(len(list(net.get_parameters()))),
           "n_dict": float(len(net.parameters_dict())),
           "n_train": float(len(net.trainable_params())),
           "n_untrain": float(len(net.untrainable_params()))}
    x = Tensor(rng.standard_normal((2, 2, 4, 4)).astype(np.float32))
    y = Tensor(np.array([1, 0], np.int32))
    net.set_train()
    loss_fn = nn.CrossEntropyLoss()
    opt = nn.Momentum(net.trainable_params(), 0.1, 0.9)

    def forward(x, y):
        return loss_fn(net.head_act(net(x)), y)

    loss, grads = ms.value_and_grad(forward, None, opt.parameters)(x, y)
    opt(grads)
    out["loss"] = loss
    for p, g in zip(opt.parameters, grads):
        out["grad_" + p.name] = g
    for name, p in net.parameters_and_names():
        out["after_" + name] = p.asnumpy().copy()
    return out
