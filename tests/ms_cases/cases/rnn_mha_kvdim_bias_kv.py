"""nn.MultiheadAttention(4, 2, kdim=3, vdim=5, add_bias_kv=True, add_zero_attn=True,
batch_first=True) with a bool attn_mask and per-head weights (average_attn_weights=False),
weights set from numpy: the output, the weights and the gradients with respect to query, key,
value and every weight (q/k/v_proj_weight, bias_k, bias_v ...)."""
import numpy as np
from mindspore import Tensor, nn, ops


def run():
    net = nn.MultiheadAttention(4, 2, kdim=3, vdim=5, add_bias_kv=True, add_zero_attn=True,
                                batch_first=True)
    rng = np.random.RandomState(11)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    q = Tensor(rng.standard_normal((2, 3, 4)).astype(np.float32))
    k = Tensor(rng.standard_normal((2, 5, 3)).astype(np.float32))
    v = Tensor(rng.standard_normal((2, 5, 5)).astype(np.float32))
    am = Tensor(np.array([[False, True, False, False, True], [False, False, True, False, False],
                          [True, False, False, False, False]]))
    wo = Tensor(rng.standard_normal((2, 3, 4)).astype(np.float32))
    ww = Tensor(rng.standard_normal((2, 2, 3, 7)).astype(np.float32))
    weights = net.trainable_params()

    def loss(q, k, v):
        out, w = net(q, k, v, attn_mask=am, average_attn_weights=False)
        return ops.sum(out * wo) + ops.sum(w * ww)

    out, w = net(q, k, v, attn_mask=am, average_attn_weights=False)
    (gq, gk, gv), gw = ops.grad(loss, (0, 1, 2), weights)(q, k, v)
    result = {"output": out, "weights": w, "grad_q": gq, "grad_k": gk, "grad_v": gv}
    for p, g in zip(weights, gw):
        result["grad_" + p.name] = g
    return result
