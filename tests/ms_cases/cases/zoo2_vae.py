"""A VAE as in MindSpore's tutorials: an encoder Dense + ReLU to mu and log-variance, the
reparameterization with the noise passed in (ops.exp(0.5 * logvar) * eps + mu), a decoder with
nn.Sigmoid, the loss nn.BCELoss(reduction='sum') plus the KL term with ops.square / ops.exp,
value_and_grad with has_aux (the reconstruction returned), and two nn.Adam steps."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class VAE(nn.Cell):
    def __init__(self, d=6, h=5, z=2):
        super().__init__()
        self.enc = nn.Dense(d, h, activation='relu')
        self.mu = nn.Dense(h, z)
        self.logvar = nn.Dense(h, z)
        self.dec = nn.SequentialCell(nn.Dense(z, h), nn.ReLU(), nn.Dense(h, d), nn.Sigmoid())

    def construct(self, x, eps):
        hid = self.enc(x)
        mu, logvar = self.mu(hid), self.logvar(hid)
        zz = mu + ops.exp(0.5 * logvar) * eps
        return self.dec(zz), mu, logvar


def run():
    net = VAE()
    rng = np.random.RandomState(109)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.6, 0.6, p.shape).astype(np.float32)))
    x = Tensor(rng.uniform(0.05, 0.95, (4, 6)).astype(np.float32))
    eps = Tensor(rng.standard_normal((4, 2)).astype(np.float32))
    bce = nn.BCELoss(reduction='sum')
    opt = nn.Adam(net.trainable_params(), learning_rate=0.01)

    def forward(x, eps):
        recon, mu, logvar = net(x, eps)
        kld = -0.5 * ops.sum(1 + logvar - ops.square(mu) - ops.exp(logvar))
        return bce(recon, x) + kld, recon

    grad_fn = ms.value_and_grad(forward, None, opt.parameters, has_aux=True)
    out = {}
    for i in range(2):
        (loss, recon), grads = grad_fn(x, eps)
        opt(grads)
        out["loss%d" % i] = loss
        out["recon%d" % i] = recon
    for p, g in zip(opt.parameters, grads):
        out["grad_" + p.name] = g
        out["after_" + p.name] = p.asnumpy().copy()
    return out
