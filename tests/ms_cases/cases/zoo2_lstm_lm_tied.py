"""A word-level LSTM language model as in the zoo's PTB scripts: nn.Embedding, a 2-layer
nn.LSTM (dropout between layers, eval mode) with an explicit (h, c) state carried between two
BPTT windows (ops.stop_gradient on the carried state), nn.Dropout (eval), a decoder
nn.Dense whose weight IS the embedding table (weight tying by assigning the Parameter), the
loss nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction='mean'), gradients clipped with
ops.clip_by_global_norm and nn.SGD; the losses, perplexity, tied weight and the gradients."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class RNNModel(nn.Cell):
    def __init__(self, ntoken=10, ninp=6, nhid=6, nlayers=2):
        super().__init__()
        self.drop = nn.Dropout(p=0.5)
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.LSTM(ninp, nhid, nlayers, dropout=0.5)
        self.decoder = nn.Dense(nhid, ntoken)
        self.decoder.weight = self.encoder.embedding_table
        self.ntoken = ntoken

    def construct(self, ids, hidden):
        emb = self.drop(self.encoder(ids))
        output, hidden = self.rnn(emb, hidden)
        output = self.drop(output)
        decoded = self.decoder(output.reshape((-1, output.shape[2])))
        return decoded, hidden


def run():
    net = RNNModel()
    net.set_train(False)
    rng = np.random.RandomState(97)
    for name, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.4, 0.4, p.shape).astype(np.float32)))
    params = net.trainable_params()
    data = rng.randint(0, 10, (9, 2)).astype(np.int32)
    loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction='mean')
    opt = nn.SGD(params, learning_rate=0.5)
    h = (Tensor(np.zeros((2, 2, 6), np.float32)), Tensor(np.zeros((2, 2, 6), np.float32)))

    def forward(ids, targets, h0, c0):
        logits, (hn, cn) = net(ids, (h0, c0))
        return loss_fn(logits, targets.reshape((-1,))), hn, cn

    grad_fn = ms.value_and_grad(forward, None, params, has_aux=True)
    out = {"n_params": float(len(params))}
    for w in range(2):
        ids = Tensor(data[4 * w:4 * w + 4])
        targets = Tensor(data[4 * w + 1:4 * w + 5])
        (loss, hn, cn), grads = grad_fn(ids, targets, h[0], h[1])
        grads = ops.clip_by_global_norm(grads, 0.25)
        opt(grads)
        h = (ops.stop_gradient(hn), ops.stop_gradient(cn))
        out["loss%d" % w] = loss
        out["ppl%d" % w] = ops.exp(loss)
    for p, g in zip(params, grads):
        out["grad_" + p.name] = g
    out["tied"] = net.decoder.weight.asnumpy().copy()
    out["same_object"] = float(net.decoder.weight is net.encoder.embedding_table)
    out["h"], out["c"] = h
    return out
