"""Dropout in training mode (both keyword forms, and ops.dropout; what is dropped gets gradient 0, what is
kept 1 / keep_prob) and the statistics of the default initializers (Conv2d, Conv1d, Dense,
Conv2dTranspose: the bound 1 / sqrt(fan_in) of weight and bias, has_bias defaults)."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class SumOut(nn.Cell):
    def __init__(self, cell):
        super().__init__()
        self.cell = cell

    def construct(self, x):
        return self.cell(x).sum()


def _stats(prefix, arr, fan_in):
    a = arr.asnumpy()
    bound = 1.0 / np.sqrt(fan_in)
    within = {prefix + "_within": float(np.abs(a).max() <= bound * (1 + 1e-6))}
    if a.size < 1000:  # a bias: too few draws for steady rounded statistics
        return within
    return {**within, prefix + "_spread": round(float(np.abs(a).max() / bound), 1),
            prefix + "_std": round(float(a.std() / bound), 1),
            prefix + "_mean": round(float(a.mean() / bound), 1) + 0.0}


def run():
    out = {}
    x = Tensor(np.ones((200, 50), np.float32))
    for name, cell in (("p", nn.Dropout(p=0.2)), ("keep", nn.Dropout(keep_prob=0.8)),
                       ("default", nn.Dropout())):
        cell.set_train()
        y = cell(x).asnumpy()
        g = ops.grad(SumOut(cell))(x).asnumpy()
        keep = 1.0 - (0.5 if name == "default" else 0.2)
        out[name + "_values"] = np.unique(np.round(y, 5))
        out[name + "_grad_values"] = np.unique(np.round(g, 5))
        out[name + "_kept_fraction"] = round(float((y != 0).mean()), 1)
        out[name + "_scale"] = float(y.max() * keep)
        cell.set_train(False)
        out[name + "_eval_identity"] = float(np.array_equal(cell(x).asnumpy(), x.asnumpy()))
    y = ops.dropout(x, p=0.3).asnumpy()  # (10000 draws: the kept fraction rounds to 0.7)
    out["ops_values"] = np.unique(np.round(y, 5))
    out["ops_kept_fraction"] = round(float((y != 0).mean()), 1)
    out["ops_grad_values"] = np.unique(np.round(
        ops.grad(lambda x: ops.dropout(x, 0.25).sum())(x).asnumpy(), 5))
    out["ops_eval_identity"] = float(np.array_equal(
        ops.dropout(x, 0.25, training=False).asnumpy(), x.asnumpy()))
    out["ops_p0_identity"] = float(np.array_equal(ops.dropout(x, 0.0).asnumpy(), x.asnumpy()))
    conv = nn.Conv2d(16, 64, 3, has_bias=True)
    out.update(_stats("conv_w", conv.weight, 144))
    out.update(_stats("conv_b", conv.bias, 144))
    out["conv_default_no_bias"] = float(nn.Conv2d(16, 64, 3).bias is None)
    dense = nn.Dense(400, 120)
    out.update(_stats("dense_w", dense.weight, 400))
    out.update(_stats("dense_b", dense.bias, 400))
    out["dense_has_bias"] = float(dense.has_bias)
    c1 = nn.Conv1d(32, 64, 5, has_bias=True)
    out["conv1d_shape"] = np.array(c1.weight.shape, np.float32)
    out.update(_stats("conv1d_w", c1.weight, 160))
    ct = nn.Conv2dTranspose(32, 64, 3, has_bias=True)
    out["convT_shape"] = np.array(ct.weight.shape, np.float32)
    out.update(_stats("convT_w", ct.weight, 576))
    out["convT_default_no_bias"] = float(nn.Conv2dTranspose(4, 6, 3).bias is None)
    return out
