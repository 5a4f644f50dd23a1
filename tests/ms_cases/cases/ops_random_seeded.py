"""The random ops under mindspore.set_seed draw MindSpore's numbers: standard_normal, randn,
normal (StandardNormal's kernel), rand, uniform (UniformReal's), randint and an int uniform
(UniformInt's), their _like forms, an op seed of the call's own, each function's own op
seed counter, and noise drawn inside a gradient (a VAE-style reparameterisation).  The
normal draws agree to float32 rounding (libm's logf is not always correctly rounded)."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, nn, ops

TOLERANCE = (2e-6, 1e-6)


class Reparam(nn.Cell):
    def __init__(self):
        super().__init__()
        self.mu = nn.Dense(4, 3)
        self.logvar = nn.Dense(4, 3)

    def construct(self, x):
        mu, logvar = self.mu(x), self.logvar(x)
        eps = ops.randn(mu.shape)
        z = mu + ops.exp(0.5 * logvar) * eps
        return (z * z).sum()


def run():
    out = {}
    ms.set_seed(1)
    out["standard_normal"] = ops.standard_normal((3, 5)).asnumpy()
    out["standard_normal_2"] = ops.standard_normal((1000,)).asnumpy()
    out["randn"] = ops.randn(4, 6).asnumpy()
    out["randn_f64"] = ops.randn(3, dtype=ms.float64).asnumpy()
    out["normal"] = ops.normal((2, 7), Tensor(1.5), Tensor(0.25)).asnumpy()
    out["rand"] = ops.rand(5, 4).asnumpy()
    out["rand_like_f64"] = ops.rand_like(Tensor(np.zeros((2, 3)))).asnumpy()
    out["uniform"] = ops.uniform((3, 4), Tensor(-2.0), Tensor(3.0)).asnumpy()
    out["uniform_int"] = ops.uniform((9,), Tensor(-4, ms.int32), Tensor(40, ms.int32),
                                     dtype=ms.int32).asnumpy()
    out["randint"] = ops.randint(0, 10, (4, 5)).asnumpy()
    out["randint_like"] = ops.randint_like(Tensor(np.zeros(6, np.int32)), -3, 3).asnumpy()
    out["randn_seed_7"] = ops.randn(5, seed=7).asnumpy()
    out["randn_seed_7_again"] = ops.randn(5, seed=7).asnumpy()
    out["randn_like"] = ops.randn_like(Tensor(np.zeros((2, 2), np.float32))).asnumpy()

    ms.set_seed(3)
    net = Reparam()
    x = Tensor(np.linspace(-1.0, 1.0, 8).reshape(2, 4).astype(np.float32))
    grad_fn = ms.value_and_grad(net, None, net.trainable_params())
    for k in range(2):
        loss, grads = grad_fn(x)
        out["vae_loss_%d" % k] = float(loss.asnumpy())
        for i, g in enumerate(grads):
            out["vae_grad_%d_%d" % (k, i)] = g.asnumpy()
    return out
