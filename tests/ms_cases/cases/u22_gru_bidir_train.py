"""A bidirectional two-layer nn.GRU text classifier with seq_length (variable lengths in the
batch), batch_first=False, an initial hidden state, trained with nn.WithLossCell +
nn.TrainOneStepCell and nn.Adam with parameter groups (weight decay on the weights only,
a lower learning rate for the embedding) for three steps; then eval-mode output."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Classifier(nn.Cell):
    def __init__(self):
        super().__init__()
        ms.set_seed(7)
        self.embed = nn.Embedding(10, 4)
        self.gru = nn.GRU(4, 5, num_layers=2, bidirectional=True)
        self.fc = nn.Dense(10, 3)

    def construct(self, tokens, lengths, h0):
        e = ops.transpose(self.embed(tokens), (1, 0, 2))   # (T, B, 4)
        out, hn = self.gru(e, h0, seq_length=lengths)
        last = ops.concat((hn[-2], hn[-1]), axis=1)         # both directions' last layer
        return self.fc(last) + out.sum(axis=0)[:, :3] * 0.1


def run():
    out = {}
    rng = np.random.default_rng(8)
    tokens = Tensor(rng.integers(0, 10, size=(3, 6)).astype(np.int32))
    lengths = Tensor(np.array([6, 4, 2], np.int32))
    h0 = Tensor(rng.normal(0, 0.1, size=(4, 3, 5)).astype(np.float32))
    labels = Tensor(np.array([0, 2, 1], np.int32))
    net = Classifier()
    for p in net.get_parameters():
        p.set_data(Tensor(rng.normal(0, 0.3, size=p.shape).astype(np.float32)))
    out["logits0"] = net(tokens, lengths, h0)
    decay = [p for p in net.trainable_params() if "weight" in p.name and "embed" not in p.name]
    names = [p.name for p in decay]
    other = [p for p in net.trainable_params() if p.name not in names and "embed" not in p.name]
    groups = [{"params": decay, "weight_decay": 0.01},
              {"params": other},
              {"params": net.embed.trainable_params(), "lr": 0.01},
              {"order_params": net.trainable_params()}]
    opt = nn.Adam(groups, learning_rate=0.05)

    class WithLoss(nn.Cell):
        def __init__(self, backbone):
            super().__init__(auto_prefix=False)
            self.backbone = backbone
            self.loss = nn.CrossEntropyLoss()

        def construct(self, tokens, lengths, h0, labels):
            return self.loss(self.backbone(tokens, lengths, h0), labels)

    step = nn.TrainOneStepCell(WithLoss(net), opt)
    step.set_train()
    out["losses"] = np.array([float(step(tokens, lengths, h0, labels)) for _ in range(3)])
    net.set_train(False)
    out["logits3"] = net(tokens, lengths, h0)
    out["embed"] = net.embed.embedding_table.value()
    return out
