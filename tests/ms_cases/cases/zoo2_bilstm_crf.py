"""A BiLSTM-CRF tagger as in the zoo's NER scripts: nn.Embedding, a bidirectional batch_first
nn.LSTM, a Dense emission layer, a CRF with a transitions Parameter plus start/end
transitions; the log-partition by the forward algorithm (a Python loop over time in
construct, ops.logsumexp over the previous tag, masked by sequence lengths with ops.where),
the gold path score with ops.gather / gather_elements; the negative log-likelihood, its
gradients and one Adam step."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


class BiLSTMCRF(nn.Cell):
    def __init__(self, vocab=12, emb=4, hid=3, tags=4):
        super().__init__()
        self.tags = tags
        self.embedding = nn.Embedding(vocab, emb)
        self.lstm = nn.LSTM(emb, hid, batch_first=True, bidirectional=True)
        self.emit = nn.Dense(2 * hid, tags)
        self.transitions = Parameter(Tensor(np.zeros((tags, tags), np.float32)),
                                     name="transitions")
        self.start = Parameter(Tensor(np.zeros((tags,), np.float32)), name="start")
        self.end = Parameter(Tensor(np.zeros((tags,), np.float32)), name="end")

    def construct(self, ids, lengths, tags):
        b, t = ids.shape
        out, _ = self.lstm(self.embedding(ids), seq_length=lengths)
        em = self.emit(out)
        mask = ops.sequence_mask(lengths, t)
        # log partition
        alpha = self.start + em[:, 0]
        for i in range(1, t):
            nxt = ops.logsumexp(alpha.expand_dims(2) + self.transitions.expand_dims(0), 1) \
                + em[:, i]
            alpha = ops.where(mask[:, i:i + 1], nxt, alpha)
        log_z = ops.logsumexp(alpha + self.end, 1)
        # gold score
        score = self.start[tags[:, 0]] + ops.gather_elements(em[:, 0], 1, tags[:, :1]).squeeze(1)
        for i in range(1, t):
            trans = self.transitions[tags[:, i - 1], tags[:, i]]
            e = ops.gather_elements(em[:, i], 1, tags[:, i:i + 1]).squeeze(1)
            score = score + (trans + e) * mask[:, i].astype(ms.float32)
        last = ops.gather_elements(tags, 1, (lengths - 1).expand_dims(1)).squeeze(1)
        score = score + self.end[last]
        return (log_z - score).mean()


def run():
    net = BiLSTMCRF()
    rng = np.random.RandomState(107)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    ids = Tensor(np.array([[2, 5, 7, 1, 0], [3, 3, 9, 11, 4], [6, 8, 0, 0, 0]], np.int32))
    lengths = Tensor(np.array([4, 5, 2], np.int32))
    tags = Tensor(np.array([[0, 1, 2, 1, 0], [3, 3, 1, 2, 0], [2, 0, 0, 0, 0]], np.int32))
    opt = nn.Adam(net.trainable_params(), learning_rate=0.05)
    grad_fn = ms.value_and_grad(net, None, opt.parameters)
    loss, grads = grad_fn(ids, lengths, tags)
    out = {"nll": loss}
    for p, g in zip(opt.parameters, grads):
        out["grad_" + p.name] = g
    opt(grads)
    out["nll_after"] = net(ids, lengths, tags)
    return out
