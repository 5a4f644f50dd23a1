"""nn.TransformerEncoder of 2 nn.TransformerEncoderLayer(batch_first=True, dropout in eval) with a
float causal mask and a bool src_key_padding_mask, then mean pooling over unmasked tokens and a
Dense head: the output and the gradients w.r.t. the input and every weight."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Encoder(nn.Cell):
    def __init__(self):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d_model=8, nhead=2, dim_feedforward=16,
                                           dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, norm=nn.LayerNorm((8,)))
        self.head = nn.Dense(8, 2)

    def construct(self, src, mask, pad):
        h = self.encoder(src, src_mask=mask, src_key_padding_mask=pad)
        keep = ops.logical_not(pad).astype(ms.float32).expand_dims(-1)
        pooled = (h * keep).sum(axis=1) / keep.sum(axis=1)
        return self.head(pooled), h


def run():
    net = Encoder()
    net.set_train(False)
    rng = np.random.RandomState(13)
    for name, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.4, 0.4, p.shape).astype(np.float32)))
    src = Tensor(rng.standard_normal((2, 5, 8)).astype(np.float32))
    causal = np.triu(np.full((5, 5), -1e9, np.float32), k=1)
    mask = Tensor(causal)
    pad = Tensor(np.array([[False, False, False, True, True], [False] * 5]))
    w = Tensor(rng.standard_normal((2, 5, 8)).astype(np.float32))
    params = net.trainable_params()

    def loss(src):
        logits, h = net(src, mask, pad)
        return ops.sum(logits * logits) + ops.sum(h * w)

    logits, h = net(src, mask, pad)
    gs, gw = ops.grad(loss, 0, params)(src)
    out = {"logits": logits, "h": h, "grad_src": gs}
    for p, g in zip(params, gw):
        out["grad_" + p.name] = g
    return out
