"""BERT's self-attention as the model zoo writes it with primitives: ops.BatchMatMul
(transpose_b=True), ops.Transpose, ops.Reshape, ops.Mul by a scale, an extended attention mask
((1 - mask) * -10000.0 via ops.Cast / ops.ExpandDims), ops.Softmax, ops.Add; then the output
Dense + residual + LayerNorm, a GELU feed-forward, and a StridedSlice pooler with Tanh: the
outputs and the gradients w.r.t. the hidden states and every weight."""
import numpy as np
import mindspore as ms
import mindspore.nn as nn
import mindspore.ops as P
from mindspore import Tensor
from mindspore.common import dtype as mstype


class BertSelfAttention(nn.Cell):
    def __init__(self, hidden=8, heads=2, seq=5):
        super().__init__()
        self.heads = heads
        self.size = hidden // heads
        self.query = nn.Dense(hidden, hidden)
        self.key = nn.Dense(hidden, hidden)
        self.value = nn.Dense(hidden, hidden)
        self.matmul_trans_b = P.BatchMatMul(transpose_b=True)
        self.matmul = P.BatchMatMul()
        self.transpose = P.Transpose()
        self.reshape = P.Reshape()
        self.multiply = P.Mul()
        self.softmax = nn.Softmax()
        self.cast = P.Cast()
        self.expand = P.ExpandDims()
        self.add = P.Add()
        self.scale = 1.0 / np.sqrt(self.size)
        self.out = nn.Dense(hidden, hidden)
        self.norm = nn.LayerNorm((hidden,), epsilon=1e-12)
        self.ffn = nn.Dense(hidden, 16, activation='gelu')
        self.ffn_out = nn.Dense(16, hidden)
        self.norm2 = nn.LayerNorm((hidden,), epsilon=1e-12)
        self.slice = P.StridedSlice(shrink_axis_mask=2)
        self.pooler = nn.Dense(hidden, hidden, activation='tanh')

    def split(self, x, b, s):
        x = self.reshape(x, (b, s, self.heads, self.size))
        return self.transpose(x, (0, 2, 1, 3))

    def construct(self, h, mask):
        b, s, d = h.shape
        q = self.split(self.query(h), b, s)
        k = self.split(self.key(h), b, s)
        v = self.split(self.value(h), b, s)
        scores = self.multiply(self.matmul_trans_b(q, k), self.scale)
        ext = self.expand(self.cast(mask, mstype.float32), 1)
        ext = self.expand(ext, 1)
        scores = self.add(scores, self.multiply(1.0 - ext, -10000.0))
        probs = self.softmax(scores)
        ctx = self.transpose(self.matmul(probs, v), (0, 2, 1, 3))
        ctx = self.reshape(ctx, (b, s, d))
        h1 = self.norm(self.out(ctx) + h)
        h2 = self.norm2(self.ffn_out(self.ffn(h1)) + h1)
        pooled = self.pooler(self.slice(h2, (0, 0, 0), (b, 1, d), (1, 1, 1)))
        return h2, pooled, probs


def run():
    net = BertSelfAttention()
    rng = np.random.RandomState(79)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    h = Tensor(rng.standard_normal((2, 5, 8)).astype(np.float32))
    mask = Tensor(np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], np.int32))
    r1 = Tensor(rng.standard_normal((2, 5, 8)).astype(np.float32))
    r2 = Tensor(rng.standard_normal((2, 8)).astype(np.float32))
    r3 = Tensor(rng.standard_normal((2, 2, 5, 5)).astype(np.float32))
    params = net.trainable_params()

    def loss(h):
        a, b, c = net(h, mask)
        return (a * r1).sum() + (b * r2).sum() + (c * r3).sum()

    a, b, c = net(h, mask)
    gh, gw = ms.grad(loss, 0, params)(h)
    out = {"seq": a, "pooled": b, "probs": c, "gh": gh}
    for p, g in zip(params, gw):
        out["grad_" + p.name] = g
    return out
