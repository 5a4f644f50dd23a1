"""DeepFM as in the model zoo's recommendation scripts: multi-field ids into one shared
nn.Embedding (ids offset per field), a first-order weight table, the FM second-order term
(0.5 * ((sum v)^2 - sum v^2)) with ops.ReduceSum / ops.Square, a deep tower
(Dense + ReLU + Dropout in eval), field values multiplied in, ops.Sigmoid output with
nn.BCEWithLogitsLoss on the logit, an L2 penalty on the embeddings; gradients and one
nn.Adam step with loss scale."""
import numpy as np
import mindspore as ms
import mindspore.nn as nn
import mindspore.ops as ops
from mindspore import Tensor, Parameter


class DeepFM(nn.Cell):
    def __init__(self, field_size=3, vocab=15, k=4):
        super().__init__()
        self.field_size, self.k = field_size, k
        self.embedding = nn.Embedding(vocab, k)
        self.fm_w = nn.Embedding(vocab, 1)
        self.fm_b = Parameter(Tensor(np.zeros((1,), np.float32)), name="fm_bias")
        self.reduce_sum = ops.ReduceSum(keep_dims=False)
        self.square = ops.Square()
        self.deep = nn.SequentialCell(nn.Dense(field_size * k, 6), nn.ReLU(), nn.Dropout(p=0.2),
                                      nn.Dense(6, 1))
        self.l2_coef = 1e-3

    def construct(self, ids, vals):
        v = self.embedding(ids) * vals.expand_dims(-1)
        first = self.reduce_sum(self.fm_w(ids).squeeze(-1) * vals, 1)
        sum_sq = self.square(self.reduce_sum(v, 1))
        sq_sum = self.reduce_sum(self.square(v), 1)
        second = 0.5 * self.reduce_sum(sum_sq - sq_sum, 1)
        deep = self.deep(v.reshape((-1, self.field_size * self.k))).squeeze(-1)
        return first + second + deep + self.fm_b, self.l2_coef * self.reduce_sum(
            self.square(v), (0, 1, 2))


def run():
    net = DeepFM()
    net.set_train(False)
    rng = np.random.RandomState(113)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    ids = Tensor((rng.randint(0, 5, (6, 3)) + np.array([0, 5, 10])).astype(np.int32))
    vals = Tensor(rng.uniform(0.5, 1.5, (6, 3)).astype(np.float32))
    label = Tensor(np.array([1, 0, 0, 1, 1, 0], np.float32))
    bce = nn.BCEWithLogitsLoss()
    opt = nn.Adam(net.trainable_params(), learning_rate=0.02, loss_scale=8.0, eps=1e-8)

    def forward(ids, vals, label):
        logit, l2 = net(ids, vals)
        return (bce(logit, label) + l2) * 8.0

    grad_fn = ms.value_and_grad(forward, None, opt.parameters)
    loss, grads = grad_fn(ids, vals, label)
    out = {"loss": loss, "prob": ops.sigmoid(net(ids, vals)[0])}
    for p, g in zip(opt.parameters, grads):
        out["grad_" + p.name] = g
    opt(grads)
    for p in opt.parameters:
        out["after_" + p.name] = p.asnumpy().copy()
    return out
