"""Cross attention as a decoder uses it: nn.MultiheadAttention(8, 2, kdim=6, vdim=5,
batch_first=True) with a bool key_padding_mask and a 3-D per-head float attn_mask, dropout in
eval, average_attn_weights=False, followed by a residual, nn.LayerNorm and a Dense; outputs and
gradients w.r.t. query, memory and every weight."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class CrossBlock(nn.Cell):
    def __init__(self):
        super().__init__()
        self.attn = nn.MultiheadAttention(8, 2, dropout=0.1, kdim=6, vdim=5, batch_first=True)
        self.norm = nn.LayerNorm((8,))
        self.ff = nn.Dense(8, 8)

    def construct(self, q, k, v, pad, mask):
        a, w = self.attn(q, k, v, key_padding_mask=pad, attn_mask=mask,
                         average_attn_weights=False)
        h = self.norm(q + a)
        return h + ops.relu(self.ff(h)), w


def run():
    net = CrossBlock()
    net.set_train(False)
    rng = np.random.RandomState(47)
    for name, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    q = Tensor(rng.standard_normal((2, 3, 8)).astype(np.float32))
    k = Tensor(rng.standard_normal((2, 4, 6)).astype(np.float32))
    v = Tensor(rng.standard_normal((2, 4, 5)).astype(np.float32))
    pad = Tensor(np.array([[False, False, False, True], [False, True, False, False]]))
    mask = Tensor((rng.standard_normal((4, 3, 4)) * 0.5).astype(np.float32))
    ro = Tensor(rng.standard_normal((2, 3, 8)).astype(np.float32))
    rw = Tensor(rng.standard_normal((2, 2, 3, 4)).astype(np.float32))
    params = net.trainable_params()

    def loss(q, k, v):
        o, w = net(q, k, v, pad, mask)
        return (o * ro).sum() + (w * rw).sum()

    o, w = net(q, k, v, pad, mask)
    (gq, gk, gv), gw = ops.grad(loss, (0, 1, 2), params)(q, k, v)
    out = {"out": o, "weights": w, "gq": gq, "gk": gk, "gv": gv}
    for p, g in zip(params, gw):
        out["grad_" + p.name] = g
    return out
