"""nn.LSTM(2, 3, batch_first=True) with weights set from numpy and seq_length: the output,
(h_n, c_n) and the gradients of a weighted sum with respect to x and every weight."""
import numpy as np
from mindspore import Tensor, nn, ops


def run():
    net = nn.LSTM(2, 3, batch_first=True)
    rng = np.random.RandomState(4)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.6, 0.6, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((3, 4, 2)).astype(np.float32))
    lengths = Tensor(np.array([4, 1, 3], np.int64))
    wo = Tensor(rng.standard_normal((3, 4, 3)).astype(np.float32))
    wh = Tensor(rng.standard_normal((1, 3, 3)).astype(np.float32))
    weights = net.trainable_params()

    def loss(x):
        out, (h, c) = net(x, None, lengths)
        return ops.sum(out * wo) + ops.sum(h * wh) + ops.sum(c * wh)

    out, (h, c) = net(x, None, lengths)
    gx, gw = ops.grad(loss, 0, weights)(x)
    result = {"output": out, "h_n": h, "c_n": c, "grad_x": gx}
    for p, g in zip(weights, gw):
        result["grad_" + p.name] = g
    return result
