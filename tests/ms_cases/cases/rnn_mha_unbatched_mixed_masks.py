"""nn.MultiheadAttention(4, 2) on unbatched input (L, E) with a bool attn_mask and a float
key_padding_mask (MindSpore or-s them), and batched self-attention (query is key is value) with
a float key_padding_mask alone, weights set from numpy: outputs, weights and gradients."""
import numpy as np
from mindspore import Tensor, nn, ops


def run():
    net = nn.MultiheadAttention(4, 2)
    rng = np.random.RandomState(16)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    q = Tensor(rng.standard_normal((3, 4)).astype(np.float32))
    kv = Tensor(rng.standard_normal((5, 4)).astype(np.float32))
    am = Tensor(np.array([[False, True, False, False, False]] * 3))
    kpm = Tensor(np.array([0.0, 0.0, -2.0, 0.0, 0.5], np.float32))
    x = Tensor(rng.standard_normal((5, 2, 4)).astype(np.float32))
    kpm2 = Tensor(rng.standard_normal((2, 5)).astype(np.float32))
    wo = Tensor(rng.standard_normal((3, 4)).astype(np.float32))
    wo2 = Tensor(rng.standard_normal((5, 2, 4)).astype(np.float32))
    weights = net.trainable_params()

    def loss(q, kv, x):
        out, w = net(q, kv, kv, key_padding_mask=kpm, attn_mask=am)
        out2, w2 = net(x, x, x, key_padding_mask=kpm2)
        return ops.sum(out * wo) + ops.sum(w * w) + ops.sum(out2 * wo2) + ops.sum(w2 * w2)

    out, w = net(q, kv, kv, key_padding_mask=kpm, attn_mask=am)
    out2, w2 = net(x, x, x, key_padding_mask=kpm2)
    (gq, gkv, gx), gw = ops.grad(loss, (0, 1, 2), weights)(q, kv, x)
    result = {"output": out, "weights": w, "output_self": out2, "weights_self": w2,
              "grad_q": gq, "grad_kv": gkv, "grad_x": gx}
    for p, g in zip(weights, gw):
        result["grad_" + p.name] = g
    return result
