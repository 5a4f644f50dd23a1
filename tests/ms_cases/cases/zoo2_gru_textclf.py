"""A text classifier the way the zoo writes it: nn.Embedding(padding_idx=0), a 2-layer
bidirectional batch_first nn.GRU with seq_length, the last states of both directions concatenated
(ops.concat), Dropout in eval, Dense; value_and_grad w.r.t. every weight and one Adam step."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor
import mindspore.common.dtype as mstype


class TextGRU(nn.Cell):
    def __init__(self, vocab, emb, hidden, classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb, padding_idx=0)
        self.encoder = nn.GRU(emb, hidden, num_layers=2, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(p=0.3)
        self.fc = nn.Dense(hidden * 2, classes)

    def construct(self, ids, lengths):
        x = self.embedding(ids)
        output, h_n = self.encoder(x, seq_length=lengths)
        feat = ops.concat((h_n[-2], h_n[-1]), axis=1)
        feat = self.dropout(feat)
        return self.fc(feat), output


def run():
    net = TextGRU(12, 4, 5, 3)
    rng = np.random.RandomState(7)
    for name, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    ids = Tensor(np.array([[3, 5, 7, 2, 0], [1, 11, 4, 0, 0], [9, 8, 6, 10, 2]], np.int32))
    lengths = Tensor(np.array([4, 3, 5], np.int32))
    labels = Tensor(np.array([1, 0, 2], np.int32))
    loss_fn = nn.CrossEntropyLoss()
    opt = nn.Adam(net.trainable_params(), learning_rate=0.01)
    net.set_train(False)

    def forward(ids, lengths, labels):
        logits, output = net(ids, lengths)
        return loss_fn(logits, labels), output

    grad_fn = ops.value_and_grad(forward, None, opt.parameters, has_aux=True)
    (loss, output), grads = grad_fn(ids, lengths, labels)
    out = {"loss": loss, "output": output}
    for p, g in zip(opt.parameters, grads):
        out["grad_" + p.name] = g
    opt(grads)
    for p in opt.parameters:
        out["after_" + p.name] = p.asnumpy().copy()
    out["loss_after"] = forward(ids, lengths, labels)[0]
    return out
