"""nn.TransformerDecoderLayer(4, 2, dim_feedforward=6) over a target and a memory with a causal
float tgt_mask and a bool memory_key_padding_mask, weights set from numpy: the output and the
gradients with respect to tgt, memory and every weight."""
import numpy as np
from mindspore import Tensor, nn, ops


def run():
    net = nn.TransformerDecoderLayer(4, 2, dim_feedforward=6)
    rng = np.random.RandomState(14)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    tgt = Tensor(rng.standard_normal((3, 2, 4)).astype(np.float32))
    memory = Tensor(rng.standard_normal((5, 2, 4)).astype(np.float32))
    tgt_mask = Tensor(np.triu(np.full((3, 3), -1e9, np.float32), 1))
    mkpm = Tensor(np.array([[False, False, False, True, True], [False] * 5]))
    wo = Tensor(rng.standard_normal((3, 2, 4)).astype(np.float32))
    weights = net.trainable_params()

    def loss(tgt, memory):
        out = net(tgt, memory, tgt_mask=tgt_mask, memory_key_padding_mask=mkpm)
        return ops.sum(out * wo)

    out = net(tgt, memory, tgt_mask=tgt_mask, memory_key_padding_mask=mkpm)
    (gt, gm), gw = ops.grad(loss, (0, 1), weights)(tgt, memory)
    result = {"output": out, "grad_tgt": gt, "grad_memory": gm}
    for p, g in zip(weights, gw):
        result["grad_" + p.name] = g
    return result
