"""nn.RNN(3, 4, num_layers=2, nonlinearity='relu', bidirectional=True) with weights set from
numpy and seq_length (padded batch columns): the output, h_n and the gradients of a weighted
sum with respect to x and every weight."""
import numpy as np
from mindspore import Tensor, nn, ops


def run():
    net = nn.RNN(3, 4, num_layers=2, nonlinearity="relu", bidirectional=True)
    rng = np.random.RandomState(3)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.6, 0.6, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((5, 3, 3)).astype(np.float32))
    lengths = Tensor(np.array([5, 2, 4], np.int32))
    wo = Tensor(rng.standard_normal((5, 3, 8)).astype(np.float32))
    wh = Tensor(rng.standard_normal((4, 3, 4)).astype(np.float32))
    weights = net.trainable_params()

    def loss(x):
        out, h = net(x, None, lengths)
        return ops.sum(out * wo) + ops.sum(h * wh)

    out, h = net(x, None, lengths)
    gx, gw = ops.grad(loss, 0, weights)(x)
    result = {"output": out, "h_n": h, "grad_x": gx}
    for p, g in zip(weights, gw):
        result["grad_" + p.name] = g
    return result
