"""nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8), 2, norm=nn.LayerNorm((4,))) with a
causal bool src_mask (post-norm, relu), weights set from numpy by name: the output and the
gradients with respect to src and every weight (layers.0..., layers.1..., norm...)."""
import numpy as np
from mindspore import Tensor, nn, ops


def run():
    layer = nn.TransformerEncoderLayer(4, 2, 8)
    net = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm((4,)))
    rng = np.random.RandomState(13)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    src = Tensor(rng.standard_normal((5, 2, 4)).astype(np.float32))
    mask = Tensor(np.triu(np.ones((5, 5), bool), 1))
    wo = Tensor(rng.standard_normal((5, 2, 4)).astype(np.float32))
    weights = net.trainable_params()

    def loss(src):
        return ops.sum(net(src, src_mask=mask) * wo)

    out = net(src, src_mask=mask)
    gx, gw = ops.grad(loss, 0, weights)(src)
    result = {"output": out, "grad_src": gx}
    for p, g in zip(weights, gw):
        result["grad_" + p.name] = g
    return result
