"""A DDPM-style noising step under value_and_grad: a schedule looked up per sample and
reshaped with *-unpacking of (1,) * (rank - 1), heads split with ops.Map over ops.Partial,
a sinusoidal time embedding of int32 steps times float32 frequencies; noise drawn with
ops.standard_normal and steps with ops.uniform (int32) under ms.set_seed.  (The loss's dtype
is not compared: compiled code computes int32 * float32 in float64, MindSpore in float32;
docs/tutorials_vision.md.)"""
import mindspore as ms
import numpy as np
from mindspore import Parameter, Tensor, nn, ops

SQRT_AC = np.sqrt(np.cumprod(1.0 - np.linspace(1e-4, 0.02, 10))).astype(np.float32)


def lookup(a, t, x_shape):
    b = t.shape[0]
    out = Tensor(a).gather(t, -1)
    return out.reshape(b, *((1,) * (len(x_shape) - 1)))


def split_heads(heads, v):
    b, c, n = v.shape
    return v.reshape((b, heads, c // heads, n))


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.linspace(-1.0, 1.0, 12).reshape(1, 12, 1).astype(np.float32)),
                           name="w")
        self.freq = Tensor(np.exp(-np.arange(3) * 0.7).astype(np.float32))
        self.map = ops.Map()
        self.partial = ops.Partial()

    def construct(self, x, t):
        emb = t[:, None] * self.freq[None, :]
        emb = ops.concat((ops.sin(emb), ops.cos(emb)), axis=-1)
        h = x * self.w + emb.sum(-1).reshape(-1, 1, 1)
        q, k, v = self.map(self.partial(split_heads, 2), h.chunk(3, 1))
        sim = ops.softmax(ops.bmm(q.swapaxes(2, 3).reshape((-1, 3, 2)), k.reshape((-1, 2, 3))), axis=-1)
        return sim.sum() * 0.1 + (v * q).mean()


def run():
    ms.set_seed(3)
    net = Net()
    x = Tensor(np.random.RandomState(0).normal(size=(2, 12, 3)).astype(np.float32))
    t = ops.uniform((2,), Tensor(0, ms.int32), Tensor(10, ms.int32), dtype=ms.int32)
    noise = ops.standard_normal(x.shape).astype(ms.float32)

    def loss_fn(x, t, noise):
        noisy = lookup(SQRT_AC, t, x.shape) * x + lookup(1 - SQRT_AC, t, x.shape) * noise
        return net(noisy, t)

    loss, (gx, gw) = ms.value_and_grad(loss_fn, 0, net.trainable_params())(x, t, noise)
    return {"t": t, "noise": noise, "loss": loss, "grad_x": gx, "grad_w": gw[0]}
