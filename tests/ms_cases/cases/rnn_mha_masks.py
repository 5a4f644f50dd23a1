"""nn.MultiheadAttention(6, 2) over separate query, key and value with a bool key_padding_mask
and a float attn_mask, weights set from numpy: the output, the head-averaged weights and the
gradients of a weighted sum of both with respect to query, key, value and every weight."""
import numpy as np
from mindspore import Tensor, nn, ops


def run():
    net = nn.MultiheadAttention(6, 2)
    rng = np.random.RandomState(10)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    q = Tensor(rng.standard_normal((3, 2, 6)).astype(np.float32))
    k = Tensor(rng.standard_normal((4, 2, 6)).astype(np.float32))
    v = Tensor(rng.standard_normal((4, 2, 6)).astype(np.float32))
    kpm = Tensor(np.array([[False, False, True, False], [False, False, False, True]]))
    am = Tensor(rng.standard_normal((3, 4)).astype(np.float32) * 0.3)
    wo = Tensor(rng.standard_normal((3, 2, 6)).astype(np.float32))
    ww = Tensor(rng.standard_normal((2, 3, 4)).astype(np.float32))
    weights = net.trainable_params()

    def loss(q, k, v):
        out, w = net(q, k, v, key_padding_mask=kpm, attn_mask=am)
        return ops.sum(out * wo) + ops.sum(w * ww)

    out, w = net(q, k, v, key_padding_mask=kpm, attn_mask=am)
    (gq, gk, gv), gw = ops.grad(loss, (0, 1, 2), weights)(q, k, v)
    result = {"output": out, "weights": w, "grad_q": gq, "grad_k": gk, "grad_v": gv}
    for p, g in zip(weights, gw):
        result["grad_" + p.name] = g
    return result
