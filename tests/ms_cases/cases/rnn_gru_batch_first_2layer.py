"""nn.GRU(3, 4, num_layers=2, batch_first=True) with weights set from numpy, no initial state:
the output, h_n and the gradients of a weighted sum of both with respect to x and every
weight."""
import numpy as np
from mindspore import Tensor, nn, ops


def run():
    net = nn.GRU(3, 4, num_layers=2, batch_first=True)
    rng = np.random.RandomState(1)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.6, 0.6, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((2, 6, 3)).astype(np.float32))
    wo = Tensor(rng.standard_normal((2, 6, 4)).astype(np.float32))
    wh = Tensor(rng.standard_normal((2, 2, 4)).astype(np.float32))
    weights = net.trainable_params()

    def loss(x):
        out, h = net(x)
        return ops.sum(out * wo) + ops.sum(h * wh)

    out, h = net(x)
    gx, gw = ops.grad(loss, 0, weights)(x)
    result = {"output": out, "h_n": h, "loss": loss(x), "grad_x": gx}
    for p, g in zip(weights, gw):
        result["grad_" + p.name] = g
    return result
