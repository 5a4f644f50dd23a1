"""Two zoo idioms: a WaveNet residual block (causal dilated nn.Conv1d by left padding with
ops.pad, gated tanh * sigmoid activation, 1x1 residual and skip convs, nn.Conv1dTranspose
up-sampling of the conditioning, nn.MaxPool1d) and an FPN top-down pathway (lateral 1x1
Conv2d, ops.ResizeNearestNeighbor to the finer map's size, ops.interpolate with
scale_factor and mode 'bilinear', nn.AdaptiveMaxPool2d on the top level); outputs and the
gradients w.r.t. the inputs and every weight."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class WaveNetBlock(nn.Cell):
    def __init__(self, ch=3, dilation=2):
        super().__init__()
        self.pad = (2 - 1) * dilation
        self.filter = nn.Conv1d(ch, ch, 2, dilation=dilation, pad_mode='valid', has_bias=True)
        self.gate = nn.Conv1d(ch, ch, 2, dilation=dilation, pad_mode='valid', has_bias=True)
        self.res = nn.Conv1d(ch, ch, 1, has_bias=True)
        self.skip = nn.Conv1d(ch, 2, 1, has_bias=True)
        self.cond = nn.Conv1dTranspose(2, ch, 2, stride=2, pad_mode='valid')
        self.pool = nn.MaxPool1d(kernel_size=2, stride=2)

    def construct(self, x, c):
        x_pad = ops.pad(x, (self.pad, 0))
        cond = self.cond(c)
        h = ops.tanh(self.filter(x_pad) + cond) * ops.sigmoid(self.gate(x_pad) + cond)
        return x + self.res(h), self.pool(self.skip(h))


class FPN(nn.Cell):
    def __init__(self):
        super().__init__()
        self.lat3 = nn.Conv2d(4, 3, 1, has_bias=True)
        self.lat2 = nn.Conv2d(2, 3, 1, has_bias=True)
        self.lat1 = nn.Conv2d(2, 3, 1, has_bias=True)
        self.smooth = nn.Conv2d(3, 3, 3, pad_mode='same', has_bias=True)
        self.top_pool = nn.AdaptiveMaxPool2d((1, 2))

    def construct(self, c1, c2, c3):
        p3 = self.lat3(c3)
        p2 = self.lat2(c2) + ops.ResizeNearestNeighbor(c2.shape[2:])(p3)
        p1 = self.lat1(c1) + ops.interpolate(p2, scale_factor=2.0, mode='bilinear',
                                             recompute_scale_factor=True)
        return self.smooth(p1), p2, self.top_pool(p3)


def run():
    rng = np.random.RandomState(131)
    wn, fpn = WaveNetBlock(), FPN()
    for net in (wn, fpn):
        for _, p in net.parameters_and_names():
            p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((2, 3, 8)).astype(np.float32))
    c = Tensor(rng.standard_normal((2, 2, 4)).astype(np.float32))
    c1 = Tensor(rng.standard_normal((1, 2, 8, 8)).astype(np.float32))
    c2 = Tensor(rng.standard_normal((1, 2, 4, 4)).astype(np.float32))
    c3 = Tensor(rng.standard_normal((1, 4, 2, 2)).astype(np.float32))
    out = {}
    y, s = wn(x, c)
    ry = Tensor(rng.standard_normal(y.shape).astype(np.float32))
    rs = Tensor(rng.standard_normal(s.shape).astype(np.float32))

    def wn_loss(x, c):
        y, s = wn(x, c)
        return (y * ry).sum() + (s * rs).sum()

    (gx, gc), gw = ops.grad(wn_loss, (0, 1), wn.trainable_params())(x, c)
    out.update({"wn_y": y, "wn_skip": s, "wn_gx": gx, "wn_gc": gc})
    for p, g in zip(wn.trainable_params(), gw):
        out["wn_grad_" + p.name] = g
    p1, p2, top = fpn(c1, c2, c3)
    r1 = Tensor(rng.standard_normal(p1.shape).astype(np.float32))

    def fpn_loss(c1, c2, c3):
        p1, p2, top = fpn(c1, c2, c3)
        return (p1 * r1).sum() + (p2 * p2).mean() + top.sum()

    (g1, g2, g3), gw = ops.grad(fpn_loss, (0, 1, 2), fpn.trainable_params())(c1, c2, c3)
    out.update({"p1": p1, "p2": p2, "top": top, "g1": g1, "g2": g2, "g3": g3})
    for p, g in zip(fpn.trainable_params(), gw):
        out["fpn_grad_" + p.name] = g
    return out
