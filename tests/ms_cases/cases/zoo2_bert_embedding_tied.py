"""BERT-style embeddings (word + position + token type, nn.LayerNorm, Dropout in eval) and an
MLM head tied to the word embedding table (ops.matmul(h, table.T) + bias), masked_fill of padded
positions, a masked mean loss; value_and_grad w.r.t. every weight and one AdamWeightDecay step."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter
from mindspore.common.initializer import initializer, TruncatedNormal


class Embeddings(nn.Cell):
    def __init__(self, vocab, hidden, max_pos, types):
        super().__init__()
        self.word = nn.Embedding(vocab, hidden)
        self.position = nn.Embedding(max_pos, hidden)
        self.token_type = nn.Embedding(types, hidden)
        self.layernorm = nn.LayerNorm((hidden,), epsilon=1e-12)
        self.dropout = nn.Dropout(p=0.1)

    def construct(self, ids, token_type_ids):
        seq = ids.shape[1]
        pos = ops.arange(seq).expand_dims(0)
        x = self.word(ids) + self.position(pos) + self.token_type(token_type_ids)
        return self.dropout(self.layernorm(x))


class MLM(nn.Cell):
    def __init__(self, vocab=10, hidden=6):
        super().__init__()
        self.emb = Embeddings(vocab, hidden, 8, 2)
        self.dense = nn.Dense(hidden, hidden, activation='gelu')
        self.bias = Parameter(initializer('zeros', (vocab,), ms.float32), name='output_bias')

    def construct(self, ids, types, pad_mask):
        h = self.emb(ids, types)
        h = self.dense(h)
        h = ops.masked_fill(h, pad_mask.expand_dims(-1), 0.0)
        logits = ops.matmul(h, self.emb.word.embedding_table.T) + self.bias
        return logits


def run():
    net = MLM()
    net.set_train(False)
    rng = np.random.RandomState(17)
    for name, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    ids = Tensor(np.array([[1, 4, 9, 2, 0, 0], [3, 3, 7, 5, 8, 2]], np.int32))
    types = Tensor(np.array([[0, 0, 1, 1, 0, 0], [0, 0, 0, 1, 1, 1]], np.int32))
    pad = ids == 0
    labels = Tensor(np.array([[4, 9, 2, 1, 0, 0], [3, 7, 5, 8, 2, 6]], np.int32))
    weight = ops.logical_not(pad).astype(ms.float32)
    ce = nn.CrossEntropyLoss(reduction='none')
    opt = nn.AdamWeightDecay(net.trainable_params(), learning_rate=1e-2, weight_decay=0.01)

    def forward(ids, types):
        logits = net(ids, types, pad)
        per = ce(logits.reshape((-1, 10)), labels.reshape((-1,)))
        return (per * weight.reshape((-1,))).sum() / weight.sum(), logits

    grad_fn = ms.value_and_grad(forward, None, opt.parameters, has_aux=True)
    (loss, logits), grads = grad_fn(ids, types)
    out = {"loss": loss, "logits": logits}
    for p, g in zip(opt.parameters, grads):
        out["grad_" + p.name] = g
    opt(grads)
    for p in opt.parameters:
        out["after_" + p.name] = p.asnumpy().copy()
    return out
