"""nn.TransformerEncoderLayer(6, 2, dim_feedforward=8, activation='gelu', norm_first=True,
batch_first=True) with a src_key_padding_mask, weights set from numpy (inference mode, so
dropout is off): the output and the gradients of a weighted sum with respect to src and every
weight."""
import numpy as np
from mindspore import Tensor, nn, ops


def run():
    net = nn.TransformerEncoderLayer(6, 2, dim_feedforward=8, activation="gelu",
                                     norm_first=True, batch_first=True)
    rng = np.random.RandomState(12)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    src = Tensor(rng.standard_normal((2, 4, 6)).astype(np.float32))
    kpm = Tensor(np.array([[False, False, False, True], [False, True, True, False]]))
    wo = Tensor(rng.standard_normal((2, 4, 6)).astype(np.float32))
    weights = net.trainable_params()

    def loss(src):
        return ops.sum(net(src, src_key_padding_mask=kpm) * wo)

    out = net(src, src_key_padding_mask=kpm)
    gx, gw = ops.grad(loss, 0, weights)(src)
    result = {"output": out, "grad_src": gx}
    for p, g in zip(weights, gw):
        result["grad_" + p.name] = g
    return result
