"""LRN, InstanceNorm2d, max unpooling (1-D, 2-D, 3-D after pooling with indices), ChannelShuffle,
LPPool2d, adaptive 3-D pools and EmbeddingLookup: values and input / weight gradients.
MindSpore's InstanceNorm has no CPU kernel: there the case falls back to nn.GroupNorm with one
group per channel, the same formula, which is what autograd_st's InstanceNorm2d must equal.
(A weight is never the differentiated input itself: MindSpore's PyNative grad counts a
captured Tensor that is the input as the input.  EmbeddingLookup's table gradient is not
recorded: MindSpore's CPU returns its sparse rows (one per id, unscattered), autograd_st the
dense table gradient, checked in tests/test_nn_structural.py.)"""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


def run():
    rs = np.random.RandomState(3)
    out = {}
    x = Tensor(rs.randn(2, 6, 3, 3).astype(np.float32))
    r = Tensor(rs.randn(2, 6, 3, 3).astype(np.float32))
    lrn = nn.LRN(depth_radius=2, bias=1.5, alpha=0.3, beta=0.6)
    out["lrn"] = lrn(x)
    out["lrn_grad"] = ops.grad(lambda v: (lrn(v) * r).sum())(x)

    gamma = rs.rand(6).astype(np.float32) + 0.5
    beta = rs.randn(6).astype(np.float32)
    try:
        inorm = nn.InstanceNorm2d(6, gamma_init=Tensor(gamma), beta_init=Tensor(beta))
        value = inorm(x)
    except RuntimeError:
        inorm = nn.GroupNorm(6, 6, gamma_init=Tensor(gamma), beta_init=Tensor(beta))
        value = inorm(x)
    out["instance_norm"] = value
    g = ops.grad(lambda v: (inorm(v) * r).sum(), 0, inorm.trainable_params())(x)
    out["instance_norm_dx"], out["instance_norm_dgamma"], out["instance_norm_dbeta"] = \
        g[0], g[1][0], g[1][1]

    x1 = Tensor(rs.randn(2, 3, 8).astype(np.float32))
    pool1 = nn.MaxPool1d(2, 2, pad_mode="pad", return_indices=True)
    unpool1 = nn.MaxUnpool1d(2, 2)

    def f1(v):
        o, i = pool1(v)
        return unpool1(o * 3.0, i)
    out["unpool1d"] = f1(x1)
    out["unpool1d_grad"] = ops.grad(lambda v: (f1(v) * f1(v)).sum())(x1)

    x2 = Tensor(rs.randn(1, 2, 4, 6).astype(np.float32))
    pool2 = nn.MaxPool2d(2, 2, pad_mode="pad", return_indices=True)
    unpool2 = nn.MaxUnpool2d(2, 2)

    def f2(v):
        o, i = pool2(v)
        return unpool2(o, i)
    out["unpool2d"] = f2(x2)
    w2 = Tensor(rs.randn(1, 2, 4, 6).astype(np.float32))
    out["unpool2d_grad"] = ops.grad(lambda v: (f2(v) * w2).sum())(x2)

    x3 = Tensor(rs.randn(1, 2, 4, 4, 4).astype(np.float32))
    o3, i3 = ops.max_pool3d(x3, 2, 2, return_indices=True)
    out["maxpool3d"], out["maxpool3d_idx"] = o3, i3
    out["unpool3d"] = ops.max_unpool3d(o3, i3, 2, 2)
    out["maxpool3d_grad"] = ops.grad(lambda v: (ops.max_pool3d(v, 2, 2) ** 2).sum())(x3)

    xs = Tensor(rs.randn(2, 6, 2, 2).astype(np.float32))
    shuffle = nn.ChannelShuffle(3)
    out["shuffle"] = shuffle(xs)
    ws = Tensor(rs.randn(2, 6, 2, 2).astype(np.float32))
    out["shuffle_grad"] = ops.grad(lambda v: (shuffle(v) * ws).sum())(xs)

    xp = Tensor(rs.rand(1, 2, 5, 5).astype(np.float32) + 0.5)
    lp = nn.LPPool2d(2, 2, ceil_mode=True)
    out["lppool2d"] = lp(xp)
    out["lppool2d_grad"] = ops.grad(lambda v: lp(v).sum())(xp)

    xa = Tensor(rs.randn(1, 2, 4, 6, 6).astype(np.float32))
    out["adaptive_avg3d"] = nn.AdaptiveAvgPool3d((2, 3, 3))(xa)
    out["adaptive_avg3d_grad"] = ops.grad(
        lambda v: (nn.AdaptiveAvgPool3d((2, 3, 3))(v) ** 2).sum())(xa)
    amax, aidx = nn.AdaptiveMaxPool3d((2, 2, 3), return_indices=True)(xa)
    out["adaptive_max3d"], out["adaptive_max3d_idx"] = amax, aidx
    out["adaptive_max3d_grad"] = ops.grad(lambda v: (nn.AdaptiveMaxPool3d((2, 2, 3))(v) ** 2)
                                          .sum())(xa)

    emb = nn.EmbeddingLookup(6, 3, param_init=Tensor(rs.randn(6, 3).astype(np.float32)))
    ids = Tensor(np.array([[0, 5, 5], [2, 9, 1]], np.int32))
    out["embedding"] = emb(ids)
    return out
