"""nn.RNN, 3 layers, tanh, time-major, with h_0, and a ReLU nn.RNN (bidirectional, batch_first,
no bias) over the same data: outputs, h_n and the gradients w.r.t. x, h_0 and every weight."""
import numpy as np
from mindspore import Tensor, nn, ops


def run():
    rng = np.random.RandomState(11)
    a = nn.RNN(3, 4, num_layers=3)
    b = nn.RNN(3, 2, nonlinearity='relu', has_bias=False, batch_first=True, bidirectional=True)
    for net in (a, b):
        for _, p in net.parameters_and_names():
            p.set_data(Tensor(rng.uniform(-0.6, 0.6, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((5, 2, 3)).astype(np.float32))
    h0 = Tensor(rng.standard_normal((3, 2, 4)).astype(np.float32) * 0.5)
    xb = ops.transpose(x, (1, 0, 2))
    wa = Tensor(rng.standard_normal((5, 2, 4)).astype(np.float32))
    wb = Tensor(rng.standard_normal((2, 5, 4)).astype(np.float32))
    params = a.trainable_params() + b.trainable_params()

    def loss(x, h0, xb):
        oa, ha = a(x, h0)
        ob, hb = b(xb)
        return ops.sum(oa * wa) + ops.sum(ha * ha) + ops.sum(ob * wb) + ops.mean(hb)

    oa, ha = a(x, h0)
    ob, hb = b(xb)
    (gx, gh, gxb), gw = ops.grad(loss, (0, 1, 2), params)(x, h0, xb)
    out = {"oa": oa, "ha": ha, "ob": ob, "hb": hb, "gx": gx, "gh0": gh, "gxb": gxb}
    for i, g in enumerate(gw):
        out["g%d_%s" % (i, params[i].name)] = g
    return out
