"""A 3-D CNN training step: Conv3d ('pad', bias) -> BatchNorm3d (training) -> ReLU ->
MaxPool3d -> Conv3d ('same', group 2) -> AvgPool3d -> Dense, softmax cross entropy,
value_and_grad over the weights, one Momentum step; the loss, every gradient, the updated
weights and BatchNorm3d's moving statistics."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        rs = np.random.RandomState(0)
        self.conv1 = nn.Conv3d(2, 4, (2, 3, 3), pad_mode="pad", padding=(1, 0, 1, 1, 0, 1),
                               has_bias=True,
                               weight_init=Tensor(rs.randn(4, 2, 2, 3, 3).astype(np.float32) * 0.3),
                               bias_init=Tensor(rs.randn(4).astype(np.float32) * 0.1))
        self.bn = nn.BatchNorm3d(4)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool3d(2, 2)
        self.conv2 = nn.Conv3d(4, 4, 3, group=2,
                               weight_init=Tensor(rs.randn(4, 2, 3, 3, 3).astype(np.float32) * 0.2))
        self.avg = nn.AvgPool3d(kernel_size=(1, 2, 2), stride=(1, 2, 2))
        self.flat = nn.Flatten()
        self.fc = nn.Dense(8, 3, weight_init=Tensor(rs.randn(3, 8).astype(np.float32) * 0.3),
                           bias_init=Tensor(np.zeros(3, np.float32)))

    def construct(self, x):
        x = self.pool(self.relu(self.bn(self.conv1(x))))
        x = self.avg(self.conv2(x))
        return self.fc(self.flat(x))


def run():
    rs = np.random.RandomState(1)
    x = Tensor(rs.randn(2, 2, 4, 6, 6).astype(np.float32))
    y = Tensor(np.array([0, 2], np.int32))
    net = Net()
    net.set_train(True)
    loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9)

    def forward(x, y):
        return loss_fn(net(x), y)

    grad_fn = ops.value_and_grad(forward, None, opt.parameters)
    loss, grads = grad_fn(x, y)
    out = {"loss": loss}
    for p, g in zip(opt.parameters, grads):
        out["grad_" + p.name] = g
    opt(grads)
    for p in net.get_parameters():
        out["after_" + p.name] = p
    loss2, _ = grad_fn(x, y)
    out["loss2"] = loss2
    return out
