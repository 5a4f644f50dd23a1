"""A GRU/LSTM seq2seq with Bahdanau-style attention as the zoo writes it: a bidirectional
batch_first nn.LSTM encoder, a decoder loop over time in construct with nn.LSTMCell (a Python
for loop, teacher forcing), additive attention with ops.bmm / ops.tile / ops.softmax masked by
the source lengths (ops.sequence_mask + masked_fill), ops.stack of the step logits, and
nn.CrossEntropyLoss(ignore_index=0) with label_smoothing; loss, gradients, one Adam step."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Seq2Seq(nn.Cell):
    def __init__(self, vocab=9, emb=4, hid=5):
        super().__init__()
        self.src_emb = nn.Embedding(vocab, emb)
        self.tgt_emb = nn.Embedding(vocab, emb)
        self.encoder = nn.LSTM(emb, hid, batch_first=True, bidirectional=True)
        self.bridge = nn.Dense(2 * hid, hid)
        self.cell = nn.LSTMCell(emb + 2 * hid, hid)
        self.w_enc = nn.Dense(2 * hid, hid, has_bias=False)
        self.w_dec = nn.Dense(hid, hid)
        self.v = nn.Dense(hid, 1, has_bias=False)
        self.out = nn.Dense(hid + 2 * hid, vocab)

    def construct(self, src, src_len, tgt_in):
        enc, (h_n, c_n) = self.encoder(self.src_emb(src), seq_length=src_len)
        h = ops.tanh(self.bridge(ops.concat((h_n[0], h_n[1]), axis=-1)))
        c = ops.zeros_like(h)
        keys = self.w_enc(enc)
        mask = ops.logical_not(ops.sequence_mask(src_len, src.shape[1]))
        emb = self.tgt_emb(tgt_in)
        logits = []
        for t in range(tgt_in.shape[1]):
            q = ops.tile(ops.expand_dims(self.w_dec(h), 1), (1, src.shape[1], 1))
            score = self.v(ops.tanh(keys + q)).squeeze(-1)
            score = ops.masked_fill(score, mask, -1e9)
            attn = ops.softmax(score, axis=-1)
            ctx = ops.bmm(ops.expand_dims(attn, 1), enc).squeeze(1)
            h, c = self.cell(ops.concat((emb[:, t], ctx), axis=-1), (h, c))
            logits.append(self.out(ops.concat((h, ctx), axis=-1)))
        return ops.stack(logits, axis=1)


def run():
    net = Seq2Seq()
    rng = np.random.RandomState(67)
    for name, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    src = Tensor(np.array([[3, 4, 5, 0], [6, 7, 8, 2]], np.int32))
    src_len = Tensor(np.array([3, 4], np.int32))
    tgt_in = Tensor(np.array([[1, 5, 4], [1, 2, 8]], np.int32))
    tgt_out = Tensor(np.array([[5, 4, 0], [2, 8, 7]], np.int32))
    ce = nn.CrossEntropyLoss(ignore_index=0, label_smoothing=0.1)
    opt = nn.Adam(net.trainable_params(), learning_rate=0.01)

    def forward(src, src_len, tgt_in, tgt_out):
        logits = net(src, src_len, tgt_in)
        return ce(logits.reshape((-1, 9)), tgt_out.reshape((-1,))), logits

    grad_fn = ms.value_and_grad(forward, None, opt.parameters, has_aux=True)
    (loss, logits), grads = grad_fn(src, src_len, tgt_in, tgt_out)
    out = {"loss": loss, "logits": logits}
    for p, g in zip(opt.parameters, grads):
        out["grad_" + p.name] = g
    opt(grads)
    out["loss_after"] = forward(src, src_len, tgt_in, tgt_out)[0]
    return out
