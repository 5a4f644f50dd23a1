"""nn.RNNCell (tanh and relu), nn.LSTMCell and nn.GRUCell with weights set from numpy: three
steps of each, and the gradients of a weighted sum of the states with respect to x, the
initial state and every weight."""
import numpy as np
from mindspore import Tensor, nn, ops


def _set(net, rng):
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.7, 0.7, p.shape).astype(np.float32)))


def run():
    rng = np.random.RandomState(5)
    x = Tensor(rng.standard_normal((3, 2, 3)).astype(np.float32))
    h0 = Tensor(rng.standard_normal((2, 4)).astype(np.float32))
    c0 = Tensor(rng.standard_normal((2, 4)).astype(np.float32))
    w = Tensor(rng.standard_normal((2, 4)).astype(np.float32))
    result = {}
    cells = {"rnn_tanh": nn.RNNCell(3, 4), "rnn_relu": nn.RNNCell(3, 4, nonlinearity="relu"),
             "gru": nn.GRUCell(3, 4), "gru_nobias": nn.GRUCell(3, 4, has_bias=False),
             "lstm": nn.LSTMCell(3, 4)}
    for name, cell in cells.items():
        _set(cell, rng)
        weights = cell.trainable_params()
        if name == "lstm":
            def loss(x, h, c, cell=cell):
                s = (h, c)
                total = 0.0
                for t in range(3):
                    s = cell(x[t], s)
                    total = total + ops.sum(s[0] * w) + ops.sum(s[1] * w * 0.5)
                return total
            (gx, gh, gc), gw = ops.grad(loss, (0, 1, 2), weights)(x, h0, c0)
            result[name + "_loss"] = loss(x, h0, c0)
            result[name + "_grad_c0"] = gc
        else:
            def loss(x, h, cell=cell):
                total = 0.0
                for t in range(3):
                    h = cell(x[t], h)
                    total = total + ops.sum(h * w)
                return total
            (gx, gh), gw = ops.grad(loss, (0, 1), weights)(x, h0)
            result[name + "_loss"] = loss(x, h0)
        result[name + "_grad_x"] = gx
        result[name + "_grad_h0"] = gh
        for p, g in zip(weights, gw):
            result[name + "_grad_" + p.name] = g
    return result
