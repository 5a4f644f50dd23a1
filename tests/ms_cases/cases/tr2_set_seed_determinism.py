"""ms.set_seed as a training script uses it for reproducibility: networks built after the
same seed start from the same weights and train to the same losses (Dropout included);
another seed gives other weights; get_seed; initializer statistics of the default Dense
init (HeUniform bounds) and of Normal(sigma) -- the values themselves are the engine's."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
from mindspore.common.initializer import Normal, initializer


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(16, 32)
        self.drop = nn.Dropout(p=0.3)
        self.fc2 = nn.Dense(32, 1)

    def construct(self, x):
        return self.fc2(self.drop(nn.ReLU()(self.fc1(x))))


def train(seed):
    ms.set_seed(seed)
    net = Net()
    w0 = net.fc1.weight.asnumpy().copy()
    opt = nn.Adam(net.trainable_params(), learning_rate=0.01)
    step = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), opt)
    step.set_train()
    x = Tensor(np.linspace(-1, 1, 64, dtype=np.float32).reshape(4, 16))
    y = Tensor(np.array([[0.5], [-0.5], [1.0], [0.0]], np.float32))
    losses = np.array([float(step(x, y).asnumpy()) for _ in range(4)])
    return w0, losses, net


def run():
    out = {}
    w_a, l_a, net_a = train(1234)
    out["get_seed"] = float(ms.get_seed())
    w_b, l_b, _ = train(1234)
    w_c, l_c, _ = train(99)
    out["same_seed_same_init"] = float(np.array_equal(w_a, w_b))
    out["same_seed_same_losses"] = float(np.array_equal(l_a, l_b))
    out["other_seed_other_init"] = float(not np.array_equal(w_a, w_c))
    out["losses_finite"] = float(np.all(np.isfinite(l_a)))
    bound = np.sqrt(6.0 / ((1 + 5.0) * 16))  # HeUniform(negative_slope=sqrt(5)), fan_in 16
    out["dense_init_within_he_bound"] = float(np.all(np.abs(w_a) <= bound + 1e-7))
    out["dense_init_spread"] = float(np.abs(w_a).max() > 0.5 * bound)
    ms.set_seed(7)
    big = initializer(Normal(sigma=0.02), [400, 500], ms.float32).init_data().asnumpy()
    out["normal_mean_small"] = float(abs(big.mean()) < 1e-3)
    out["normal_std_close"] = float(abs(big.std() - 0.02) < 5e-4)
    out["normal_dtype_f32"] = float(big.dtype == np.float32)
    return out
