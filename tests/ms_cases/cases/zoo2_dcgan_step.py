"""A DCGAN training step as in the model zoo: a generator of Conv2dTranspose + BatchNorm2d +
ReLU and Tanh, a discriminator of Conv2d + LeakyReLU + BatchNorm2d + Sigmoid, nn.BCELoss,
WithLossCell-style D and G loss Cells (the generator's output passed through ops.stop_gradient
for D), two Adam optimizers (beta1=0.5) each with TrainOneStepCell; two alternating steps:
losses, the weights and the moving statistics."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Generator(nn.Cell):
    def __init__(self, nz=3, ngf=4):
        super().__init__()
        self.main = nn.SequentialCell(
            nn.Conv2dTranspose(nz, ngf, 2, 1, pad_mode='valid'),
            nn.BatchNorm2d(ngf), nn.ReLU(),
            nn.Conv2dTranspose(ngf, 1, 4, 2, pad_mode='pad', padding=1),
            nn.Tanh())

    def construct(self, z):
        return self.main(z)


class Discriminator(nn.Cell):
    def __init__(self, ndf=4):
        super().__init__()
        self.main = nn.SequentialCell(
            nn.Conv2d(1, ndf, 4, 2, pad_mode='pad', padding=1), nn.LeakyReLU(0.2),
            nn.Conv2d(ndf, ndf, 2, 1, pad_mode='valid'), nn.BatchNorm2d(ndf),
            nn.LeakyReLU(0.2), nn.Flatten(), nn.Dense(ndf * 4, 1), nn.Sigmoid())

    def construct(self, x):
        return self.main(x)


class WithLossCellD(nn.Cell):
    def __init__(self, netD, netG, loss_fn):
        super().__init__(auto_prefix=True)
        self.netD, self.netG, self.loss_fn = netD, netG, loss_fn

    def construct(self, real, z):
        out_real = self.netD(real)
        real_label = ops.ones_like(out_real)
        loss_real = self.loss_fn(out_real, real_label)
        fake = ops.stop_gradient(self.netG(z))
        out_fake = self.netD(fake)
        loss_fake = self.loss_fn(out_fake, ops.zeros_like(out_fake))
        return loss_real + loss_fake


class WithLossCellG(nn.Cell):
    def __init__(self, netD, netG, loss_fn):
        super().__init__(auto_prefix=True)
        self.netD, self.netG, self.loss_fn = netD, netG, loss_fn

    def construct(self, real, z):
        out = self.netD(self.netG(z))
        return self.loss_fn(out, ops.ones_like(out))


def run():
    rng = np.random.RandomState(83)
    netG, netD = Generator(), Discriminator()
    for net in (netG, netD):
        for name, p in net.parameters_and_names():
            if "moving" in name:
                continue
            lo, hi = (0.8, 1.2) if "gamma" in name else (-0.4, 0.4)
            p.set_data(Tensor(rng.uniform(lo, hi, p.shape).astype(np.float32)))
    loss = nn.BCELoss(reduction='mean')
    optD = nn.Adam(netD.trainable_params(), learning_rate=2e-3, beta1=0.5)
    optG = nn.Adam(netG.trainable_params(), learning_rate=2e-3, beta1=0.5)
    stepD = nn.TrainOneStepCell(WithLossCellD(netD, netG, loss), optD)
    stepG = nn.TrainOneStepCell(WithLossCellG(netD, netG, loss), optG)
    stepD.set_train()
    stepG.set_train()
    real = Tensor(np.tanh(rng.standard_normal((3, 1, 6, 6))).astype(np.float32))
    z = Tensor(rng.standard_normal((3, 3, 2, 2)).astype(np.float32))
    out = {}
    for i in range(2):
        out["lossD%d" % i] = stepD(real, z)
        out["lossG%d" % i] = stepG(real, z)
    for prefix, net in (("G_", netG), ("D_", netD)):
        for name, p in net.parameters_and_names():
            out[prefix + name] = p.asnumpy().copy()
    netG.set_train(False)
    out["fake_eval"] = netG(z)
    return out
