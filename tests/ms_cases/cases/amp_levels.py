"""mindspore.amp at levels 'O2' and 'O3': auto_mixed_precision's wrappers (float32 outputs,
BatchNorm kept float32 at 'O2', Parameter names unchanged), build_train_network and
Model(amp_level=...) training a few steps with the loss in float32."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, amp, nn
from mindspore.train import Model

# float16 arithmetic: MindSpore's CPU kernels and numpy round some sums differently
TOLERANCE = (3e-3, 3e-3)

_RNG = np.random.default_rng(11)
_W1 = (_RNG.standard_normal((8, 4)) * 0.5).astype(np.float32)
_W2 = (_RNG.standard_normal((3, 8)) * 0.5).astype(np.float32)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(4, 8, weight_init=Tensor(_W1), bias_init="zeros")
        self.bn = nn.BatchNorm1d(8)
        self.act = nn.ReLU()
        self.ln = nn.LayerNorm((8,))
        self.fc2 = nn.Dense(8, 3, weight_init=Tensor(_W2), bias_init="zeros")

    def construct(self, x):
        return self.fc2(self.ln(self.act(self.bn(self.fc1(x)))))


class Data:
    def __init__(self, x, y, n):
        self.x, self.y, self.n = x, y, n

    def __getitem__(self, i):
        return self.x[i % len(self.x)], self.y[i % len(self.y)]

    def __len__(self):
        return self.n


def run():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((6, 4)).astype(np.float32)
    y = np.array([0, 2, 1, 1, 0, 2], np.int32)
    out = {}
    for level in ("O2", "O3"):
        net = amp.auto_mixed_precision(Net(), level)
        net.set_train(False)
        o = net(Tensor(x))
        out[level + "_eval_is_f32"] = float(o.dtype == ms.float32)
        out[level + "_eval"] = o
        out[level + "_n_params"] = float(len(net.trainable_params()))
        out[level + "_name_is_fc1w"] = float(net.trainable_params()[0].name == "fc1.weight")
        loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
        base = Net()
        opt = nn.Momentum(base.trainable_params(), 0.05, 0.9)
        train = amp.build_train_network(base, opt, loss, level=level, loss_scale_manager=None)
        for step in range(3):
            out["%s_btn_loss%d" % (level, step)] = train(Tensor(x), Tensor(y))
        out[level + "_btn_fc2_w"] = base.fc2.weight
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    net = Net()
    opt = nn.Momentum(net.trainable_params(), 0.05, 0.9)
    import mindspore.dataset as ds
    data = ds.GeneratorDataset(Data(x, y, 12), ["x", "y"], shuffle=False).batch(6)
    model = Model(net, loss, opt, amp_level="O3")
    model.train(2, data, dataset_sink_mode=False)
    out["model_fc1_w"] = net.fc1.weight
    out["model_bn_mean"] = net.bn.moving_mean
    return out
