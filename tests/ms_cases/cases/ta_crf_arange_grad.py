"""A linear-chain CRF negative log-likelihood written with mindspore.numpy.arange over the
batch size read from a shape, integer-tensor indexing of parameters, a loop with
ops.logsumexp and mnp.where on a mask: the loss and its gradients (value_and_grad over a
Cell's parameters and the emissions)."""
import numpy as np
import mindspore as ms
import mindspore.numpy as mnp
from mindspore import nn, ops, Tensor, Parameter


class ChainNLL(nn.Cell):
    def __init__(self, k):
        super().__init__()
        rng = np.random.RandomState(3)
        self.trans = Parameter(Tensor(rng.uniform(-0.5, 0.5, (k, k)).astype(np.float32)),
                               name="trans")
        self.first = Parameter(Tensor(rng.uniform(-0.5, 0.5, (k,)).astype(np.float32)),
                               name="first")
        self.last = Parameter(Tensor(rng.uniform(-0.5, 0.5, (k,)).astype(np.float32)),
                              name="last")

    def construct(self, em, tags, lengths):
        steps, batch = tags.shape
        pos = mnp.arange(0, steps, 1, lengths.dtype)
        mask = (pos < lengths.view(lengths.shape + (1,))).astype(ms.int64).swapaxes(0, 1)
        fmask = mask.astype(em.dtype)
        gold = self.first[tags[0]] + em[0, mnp.arange(batch), tags[0]]
        for t in range(1, steps):
            gold += self.trans[tags[t - 1], tags[t]] * fmask[t]
            gold += em[t, mnp.arange(batch), tags[t]] * fmask[t]
        gold += self.last[tags[lengths - 1, mnp.arange(batch)]]
        alpha = self.first + em[0]
        for t in range(1, steps):
            nxt = ops.logsumexp(alpha.expand_dims(2) + self.trans + em[t].expand_dims(1), 1)
            alpha = mnp.where(mask[t].expand_dims(1), nxt, alpha)
        norm = ops.logsumexp(alpha + self.last, 1)
        return (norm - gold).sum()


def run():
    rng = np.random.RandomState(0)
    em = Tensor(rng.normal(size=(5, 3, 4)).astype(np.float32))
    tags = Tensor(np.array([[0, 1, 2], [1, 1, 3], [2, 0, 3], [3, 2, 0], [0, 2, 1]], np.int64))
    lengths = Tensor(np.array([5, 3, 4], np.int64))
    net = ChainNLL(4)
    fn = ms.value_and_grad(net, 0, net.trainable_params())
    loss, (g_em, g_params) = fn(em, tags, lengths)
    out = {"loss": loss, "grad_em": g_em}
    for p, g in zip(net.trainable_params(), g_params):
        out["grad_" + p.name] = g
    out["arange_int"] = mnp.arange(0, 4)
    out["arange_float"] = mnp.arange(0, 2.5, 0.5)
    return out
