"""A sequence regressor as a MindSpore user writes it (nn.LSTM(batch_first, 2 layers) and a
Dense head on the last step, nn.MSELoss, nn.WithLossCell, nn.TrainOneStepCell with
nn.Momentum), weights set from numpy: the loss of three training steps and the weights after
them."""
import numpy as np
from mindspore import Tensor, nn


class Regressor(nn.Cell):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(3, 5, num_layers=2, batch_first=True)
        self.head = nn.Dense(5, 2)

    def construct(self, x):
        out, _ = self.rnn(x)
        return self.head(out[:, -1])


def run():
    net = Regressor()
    rng = np.random.RandomState(20)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((4, 6, 3)).astype(np.float32))
    y = Tensor(rng.standard_normal((4, 2)).astype(np.float32))
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9)
    step = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), opt)
    step.set_train()
    result = {}
    for i in range(3):
        result["loss_%d" % i] = step(x, y)
    for name, p in net.parameters_and_names():
        result[name] = p.asnumpy()
    return result
