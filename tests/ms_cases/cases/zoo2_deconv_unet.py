"""A tiny U-Net: Conv2d + BatchNorm2d (eval) + ReLU, nn.AvgPool2d down, nn.Conv2dTranspose up
(stride 2 with pad_mode 'same', and with pad_mode 'pad' + padding), a skip connection with
ops.cat, AdaptiveAvgPool2d((2, 3)), and nn.AvgPool1d on a flattened branch: outputs and the
gradients w.r.t. the input and every weight."""
import numpy as np
from mindspore import nn, ops, Tensor


class UNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.enc = nn.SequentialCell(nn.Conv2d(2, 4, 3, pad_mode='same', has_bias=True),
                                     nn.BatchNorm2d(4), nn.ReLU())
        self.down = nn.AvgPool2d(kernel_size=2, stride=2)
        self.mid = nn.Conv2d(4, 4, 3, pad_mode='pad', padding=1, has_bias=True)
        self.up = nn.Conv2dTranspose(4, 4, 2, stride=2, pad_mode='same', has_bias=True)
        self.up2 = nn.Conv2dTranspose(8, 3, 3, stride=2, pad_mode='pad', padding=1,
                                      has_bias=True)
        self.gap = nn.AdaptiveAvgPool2d((2, 3))
        self.pool1d = nn.AvgPool1d(kernel_size=3, stride=2)

    def construct(self, x):
        e = self.enc(x)
        m = ops.relu(self.mid(self.down(e)))
        u = self.up(m)
        cat = ops.cat((u, e), axis=1)
        y = self.up2(cat)
        g = self.gap(y)
        f = self.pool1d(y.reshape((y.shape[0], y.shape[1], -1)))
        return y, g, f


def run():
    net = UNet()
    net.set_train(False)
    rng = np.random.RandomState(29)
    for name, p in net.parameters_and_names():
        if "moving_variance" in name or "gamma" in name:
            p.set_data(Tensor(rng.uniform(0.5, 1.5, p.shape).astype(np.float32)))
        else:
            p.set_data(Tensor(rng.uniform(-0.5, 0.5, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((2, 2, 6, 8)).astype(np.float32))
    y, g, f = net(x)
    ry = Tensor(rng.standard_normal(y.shape).astype(np.float32))
    rg = Tensor(rng.standard_normal(g.shape).astype(np.float32))
    rf = Tensor(rng.standard_normal(f.shape).astype(np.float32))
    params = net.trainable_params()

    def loss(x):
        y, g, f = net(x)
        return (y * ry).sum() + (g * rg).sum() + (f * rf).sum()

    gx, gw = ops.grad(loss, 0, params)(x)
    out = {"y": y, "g": g, "f": f, "gx": gx}
    for p, gp in zip(params, gw):
        out["grad_" + p.name] = gp
    return out
