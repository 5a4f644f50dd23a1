"""Under mindspore.set_seed the initial weights are MindSpore's own: every initializer class
and name, the default inits of Dense, Conv1d/2d/3d, Conv transposes, Embedding, BiDense,
PReLU, MultiheadAttention, TransformerEncoderLayer, the RNN layers (np.random.uniform) and
cells (np.random.randn, then Uniform), then a few training steps of a default-initialized
network on fixed data."""
import numpy as np
import mindspore as ms
from mindspore import Parameter, Tensor, nn, ops
from mindspore.common.initializer import (HeNormal, HeUniform, Normal, TruncatedNormal, Uniform,
                                          XavierNormal, XavierUniform, initializer)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)
        self.fc1 = nn.Dense(2 * 6 * 6, 8)  # (pad_mode "same")
        self.relu = nn.ReLU()
        self.fc2 = nn.Dense(8, 3)

    def construct(self, x):
        h = self.relu(self.conv(x))
        return self.fc2(self.relu(self.fc1(h.reshape(h.shape[0], -1))))


def run():
    out = {}
    ms.set_seed(3)
    for name, init, shape in [
            ("normal", Normal(0.02, 0.1), (5, 7)), ("uniform", Uniform(0.3), (4, 3)),
            ("xavier_uniform", XavierUniform(), (6, 4)), ("xavier_normal", XavierNormal(2.0), (3, 5, 2)),
            ("he_uniform", HeUniform(), (8, 3)), ("he_normal", HeNormal(mode="fan_out"), (4, 6)),
            ("truncated", TruncatedNormal(0.02), (9, 11)),
            ("truncated_narrow", TruncatedNormal(1.0, 0.5, -1.0, 1.5), (301,)),
            ("by_name_normal", "normal", (3, 3)), ("by_name_truncated", "truncatedNormal", (2, 5)),
            ("odd_length", Normal(1.0), (7,))]:
        out["init_" + name] = initializer(init, shape, ms.float32).asnumpy()
    cells = [("conv2d", nn.Conv2d(3, 4, 3)), ("dense", nn.Dense(16, 5)),
             ("embedding", nn.Embedding(10, 4)), ("lstm", nn.LSTM(4, 3, batch_first=True)),
             ("conv1d", nn.Conv1d(2, 3, 2, has_bias=True)), ("gru", nn.GRU(3, 2)),
             ("conv2d_transpose", nn.Conv2dTranspose(2, 3, 2)),
             ("lstm_cell", nn.LSTMCell(3, 4)), ("gru_cell", nn.GRUCell(2, 3)),
             ("rnn_cell", nn.RNNCell(3, 2, nonlinearity="relu")),
             ("conv3d", nn.Conv3d(2, 3, 2, has_bias=True)), ("bidense", nn.BiDense(3, 4, 2)),
             ("mha", nn.MultiheadAttention(8, 2)), ("encoder", nn.TransformerEncoderLayer(8, 2, 16)),
             ("prelu", nn.PReLU()), ("rnn_bidir", nn.RNN(3, 4, 2, bidirectional=True))]
    for name, cell in cells:
        for p in cell.get_parameters():
            out["%s.%s" % (name, p.name)] = p.asnumpy()
    out["parameter_xavier"] = Parameter(initializer("xavier_uniform", (3, 4)), name="p").asnumpy()

    ms.set_seed(7)
    net = Net()
    loss_fn = nn.CrossEntropyLoss()
    opt = nn.SGD(net.trainable_params(), 0.1)
    grad_fn = ms.value_and_grad(lambda x, y: loss_fn(net(x), y), None, opt.parameters)
    r = np.random.RandomState(0)
    x = Tensor(r.randn(4, 1, 6, 6).astype(np.float32))
    y = Tensor(np.array([0, 2, 1, 2], np.int32))
    losses = []
    for _ in range(3):
        loss, grads = grad_fn(x, y)
        opt(grads)
        losses.append(float(loss.asnumpy()))
    out["train_losses"] = np.array(losses)
    out["train_fc2_weight"] = net.fc2.weight.asnumpy()
    return out
