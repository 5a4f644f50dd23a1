"""nn.GRU(3, 5, bidirectional=True, has_bias=False) with weights set from numpy and an initial
state: the output, h_n and the gradients of a weighted sum with respect to x, h_0 and every
weight."""
import numpy as np
from mindspore import Tensor, nn, ops


def run():
    net = nn.GRU(3, 5, has_bias=False, bidirectional=True)
    rng = np.random.RandomState(2)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.6, 0.6, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((4, 3, 3)).astype(np.float32))
    h0 = Tensor(rng.standard_normal((2, 3, 5)).astype(np.float32) * 0.5)
    wo = Tensor(rng.standard_normal((4, 3, 10)).astype(np.float32))
    wh = Tensor(rng.standard_normal((2, 3, 5)).astype(np.float32))
    weights = net.trainable_params()

    def loss(x, h0):
        out, h = net(x, h0)
        return ops.sum(out * wo) + ops.sum(h * wh)

    out, h = net(x, h0)
    (gx, gh), gw = ops.grad(loss, (0, 1), weights)(x, h0)
    result = {"output": out, "h_n": h, "grad_x": gx, "grad_h0": gh}
    for p, g in zip(weights, gw):
        result["grad_" + p.name] = g
    return result
