"""A greedy decoder as users write it in PyNative mode: a GRU cell stepped in a for loop over
a maximum length, the next token the argmax of the logits, stopping early (break) when every
sequence produced EOS, the step logits appended to a list then stacked; a teacher-forced loss
on the collected logits, and its gradients with respect to every parameter."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Decoder(nn.Cell):
    def __init__(self, vocab=7, hidden=5, eos=0, max_len=6):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.cell = nn.GRUCell(hidden, hidden)
        self.out = nn.Dense(hidden, vocab)
        self.eos = eos
        self.max_len = max_len

    def construct(self, h, start, targets):
        tok = start
        logits = []
        done = ops.zeros_like(start).astype(ms.bool_)
        for t in range(self.max_len):
            h = self.cell(self.embed(tok), h)
            step = self.out(h)
            logits.append(step)
            tok = step.argmax(axis=-1).astype(ms.int32)
            done = ops.logical_or(done, tok == self.eos)
            if done.all():
                break
        y = ops.stack(logits, axis=1)                      # (b, steps, vocab)
        n = y.shape[1]
        loss = ops.cross_entropy(y.reshape(-1, y.shape[-1]), targets[:, :n].reshape(-1))
        return loss + n * 0.001


def run():
    ms.set_seed(2)
    out = {}
    for k, eos in enumerate((0, 3)):
        net = Decoder(eos=eos)
        h = Tensor(np.linspace(-1, 1, 15).reshape(3, 5).astype(np.float32))
        start = Tensor(np.array([1, 2, 4], np.int32))
        targets = Tensor(np.array([[1, 2, 3, 4, 5, 6], [2, 3, 4, 5, 6, 1], [6, 5, 4, 3, 2, 1]],
                                  np.int32))
        out["loss_%d" % k] = net(h, start, targets)
        gh, gw = ops.grad(net, grad_position=0, weights=net.trainable_params())(h, start, targets)
        out["gh_%d" % k] = gh
        for p, g in zip(net.trainable_params(), gw):
            out["g%d_%s" % (k, p.name)] = g
    return out
