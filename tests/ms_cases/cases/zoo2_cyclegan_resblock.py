"""The CycleGAN generator's pieces as the model zoo writes them: a ResidualBlock with
nn.Pad(REFLECT) before a 'valid' Conv2d, BatchNorm2d (training), ReLU, Dropout (eval); a
SYMMETRIC nn.Pad; nn.ZeroPad2d, nn.ReflectionPad2d, nn.ReplicationPad2d and nn.ConstantPad2d;
a Conv2dTranspose up-sampling head with Tanh; the output, the gradients w.r.t. the input and
every weight, and one Adam step (beta1=0.5, as in the GAN scripts)."""
import numpy as np
import mindspore as ms
import mindspore.nn as nn
import mindspore.ops as ops
from mindspore import Tensor


class ConvNormReLU(nn.Cell):
    def __init__(self, in_planes, out_planes, kernel_size=3, stride=1, pad_mode="REFLECT"):
        super(ConvNormReLU, self).__init__()
        padding = (kernel_size - 1) // 2
        layers = [nn.Pad(paddings=((0, 0), (0, 0), (padding, padding), (padding, padding)),
                         mode=pad_mode),
                  nn.Conv2d(in_planes, out_planes, kernel_size, stride, pad_mode='valid'),
                  nn.BatchNorm2d(out_planes), nn.ReLU()]
        self.features = nn.SequentialCell(layers)

    def construct(self, x):
        return self.features(x)


class ResidualBlock(nn.Cell):
    def __init__(self, dim, pad_mode="REFLECT"):
        super(ResidualBlock, self).__init__()
        self.conv1 = ConvNormReLU(dim, dim, 3, 1, pad_mode=pad_mode)
        self.conv2 = ConvNormReLU(dim, dim, 3, 1, pad_mode=pad_mode)
        self.dropout = nn.Dropout(p=0.5)

    def construct(self, x):
        out = self.conv1(x)
        out = self.dropout(out)
        out = self.conv2(out)
        return x + out


class Generator(nn.Cell):
    def __init__(self):
        super().__init__()
        self.stem = ConvNormReLU(2, 4, 3, pad_mode="SYMMETRIC")
        self.res = ResidualBlock(4)
        self.zpad = nn.ZeroPad2d((1, 0, 0, 1))
        self.rpad = nn.ReflectionPad2d((1, 2, 2, 1))
        self.ppad = nn.ReplicationPad2d(1)
        self.cpad = nn.ConstantPad2d((0, 1, 1, 0), 0.5)
        self.up = nn.Conv2dTranspose(4, 2, 3, stride=2, pad_mode='same')
        self.tanh = nn.Tanh()

    def construct(self, x):
        h = self.res(self.stem(x))
        y = self.tanh(self.up(h))
        extra = self.zpad(h).sum() + (self.rpad(h)[:, :, :7, :8] * self.ppad(h)).mean() \
            + self.cpad(h).max()
        return y, extra


def run():
    net = Generator()
    rng = np.random.RandomState(53)
    for name, p in net.parameters_and_names():
        if "moving" in name:
            continue
        lo, hi = (0.5, 1.5) if "gamma" in name else (-0.3, 0.3)
        p.set_data(Tensor(rng.uniform(lo, hi, p.shape).astype(np.float32)))
    net.set_train()
    net.res.dropout.set_train(False)
    x = Tensor(rng.standard_normal((2, 2, 5, 6)).astype(np.float32))
    r = Tensor(rng.standard_normal((2, 2, 10, 12)).astype(np.float32))
    opt = nn.Adam(net.trainable_params(), learning_rate=2e-3, beta1=0.5)

    def loss_fn(x):
        y, extra = net(x)
        return (y * r).sum() + 0.1 * extra

    grad_fn = ms.value_and_grad(loss_fn, 0, opt.parameters)
    loss, (gx, gw) = grad_fn(x)
    out = {"loss": loss, "gx": gx}
    for p, g in zip(opt.parameters, gw):
        out["grad_" + p.name] = g
    opt(gw)
    out["loss_after"] = grad_fn(x)[0]
    for name, p in net.parameters_and_names():
        out["after_" + name] = p.asnumpy().copy()
    net.set_train(False)
    out["eval_y"], out["eval_extra"] = net(x)
    return out
