"""nn.LSTM(3, 4, num_layers=2, bidirectional=True) with weights set from numpy and an initial
state: the output, (h_n, c_n), and the gradients of a weighted sum of all three with respect to
x, h_0, c_0 and every weight (named as MindSpore names them)."""
import numpy as np
from mindspore import Tensor, nn, ops


def run():
    net = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    rng = np.random.RandomState(0)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.6, 0.6, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((5, 2, 3)).astype(np.float32))
    h0 = Tensor(rng.standard_normal((4, 2, 4)).astype(np.float32) * 0.5)
    c0 = Tensor(rng.standard_normal((4, 2, 4)).astype(np.float32) * 0.5)
    wo = Tensor(rng.standard_normal((5, 2, 8)).astype(np.float32))
    wh = Tensor(rng.standard_normal((4, 2, 4)).astype(np.float32))
    wc = Tensor(rng.standard_normal((4, 2, 4)).astype(np.float32))
    weights = net.trainable_params()

    def loss(x, h0, c0):
        out, (h, c) = net(x, (h0, c0))
        return ops.sum(out * wo) + ops.sum(h * wh) + ops.sum(c * wc)

    out, (h, c) = net(x, (h0, c0))
    (gx, gh, gc), gw = ops.grad(loss, (0, 1, 2), weights)(x, h0, c0)
    result = {"output": out, "h_n": h, "c_n": c, "loss": loss(x, h0, c0), "grad_x": gx,
              "grad_h0": gh, "grad_c0": gc}
    for p, g in zip(weights, gw):
        result["grad_" + p.name] = g
    return result
