"""nn.Transformer(4, 2, 1, 1, 6, batch_first=True) with a causal tgt_mask and a
src_key_padding_mask, weights set from numpy: the output and the gradients with respect to src,
tgt and every weight (encoder..., decoder...)."""
import numpy as np
from mindspore import Tensor, nn, ops


def run():
    net = nn.Transformer(4, 2, 1, 1, 6, batch_first=True)
    rng = np.random.RandomState(15)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    src = Tensor(rng.standard_normal((2, 5, 4)).astype(np.float32))
    tgt = Tensor(rng.standard_normal((2, 3, 4)).astype(np.float32))
    tgt_mask = Tensor(np.triu(np.ones((3, 3), bool), 1))
    skpm = Tensor(np.array([[False] * 5, [False, False, False, True, True]]))
    wo = Tensor(rng.standard_normal((2, 3, 4)).astype(np.float32))
    weights = net.trainable_params()

    def loss(src, tgt):
        out = net(src, tgt, tgt_mask=tgt_mask, src_key_padding_mask=skpm)
        return ops.sum(out * wo)

    out = net(src, tgt, tgt_mask=tgt_mask, src_key_padding_mask=skpm)
    (gs, gt), gw = ops.grad(loss, (0, 1), weights)(src, tgt)
    result = {"output": out, "grad_src": gs, "grad_tgt": gt}
    for p, g in zip(weights, gw):
        result["grad_" + p.name] = g
    return result
