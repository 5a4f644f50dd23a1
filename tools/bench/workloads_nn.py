"""The benchmark's model workloads W7..W9 (issue 15): a LeNet-style CNN, a pre-norm Transformer
encoder layer and a two-layer LSTM, each a training step's gradient w.r.t. every parameter.

Each is written four ways:

* autograd_st, as a MindSpore user writes it (``nn.Conv2d``, ``nn.MaxPool2d``, ``nn.Dense``,
  ``nn.SoftmaxCrossEntropyWithLogits``, ``nn.LayerNorm``, ``nn.MultiheadAttention``,
  ``nn.GELU``, ``nn.LSTM``) and differentiated by ``ops.value_and_grad``;
* the expert hand-written numpy forward + backward (``hand``; for these workloads the careful
  and the expert versions are the same code: ``hand_expert is hand``);
* PyTorch eager (``torch.nn.functional``) and JAX (``jax.grad`` / ``jax.jit(grad)``; W9's time
  loop is a ``lax.scan``, not an unrolled Python loop), when importable.

``forward`` is plain numpy (float64 for finite differences).  The data tuple is the inputs
followed by the parameters in ``net.trainable_params()`` order; ``wrt`` the parameters.
"""
from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from workload_base import Workload, _rng, _st_extract

from autograd_st import Tensor, nn, ops
from autograd_st import dtype as mstype

__all__ = ["W7", "W8", "W9"]

_GELU_C = 0.7978845608028654  # sqrt(2 / pi)


def _uniform(r, shape, fan_in, dtype):
    bound = 1.0 / np.sqrt(fan_in)
    return r.uniform(-bound, bound, shape).astype(dtype)


def _ms_dtype(a):
    return mstype.from_numpy(a.dtype)


class _ParamWorkload(Workload):
    """Inputs then parameters; the gradient of the loss w.r.t. every parameter."""

    n_inputs = 1
    hand_expert_is_hand = True

    def hand_expert(self, *arrays):
        return self.hand(*arrays)

    def competitors(self, arrays, threads=1):
        """PyTorch eager and JAX (HIPS autograd has no convolution, pooling or scan)."""
        out = super().competitors(arrays, threads)
        del out["autograd"]
        return out

    def _st(self, net, inputs):
        params = net.trainable_params()
        g = ops.value_and_grad(net, grad_position=None, weights=params)
        ts = [Tensor(a) for a in inputs]

        def call():
            return g(*ts)
        call.grad_fn = g
        call.args = tuple(ts)
        call.net = net
        return call, _st_extract(True)

    def _torch_call(self, arrays, threads, loss_fn):
        import torch
        torch.set_num_threads(threads)
        ins = [torch.from_numpy(np.ascontiguousarray(a)) for a in arrays[:self.n_inputs]]
        ps = [torch.from_numpy(a.copy()).requires_grad_(True)
              for a in arrays[self.n_inputs:]]

        def call():
            loss = loss_fn(torch, *ins, *ps)
            grads = torch.autograd.grad(loss, ps)
            return loss.detach(), grads
        return call, self._extract_torch

    def _jax_call(self, arrays, jit, loss_fn):
        import jax
        import jax.numpy as jnp
        k = self.n_inputs
        g = jax.value_and_grad(lambda ps, *ins: loss_fn(*ins, *ps))
        if jit:
            g = jax.jit(g)
        ins = [jnp.asarray(a) for a in arrays[:k]]
        ps = [jnp.asarray(a) for a in arrays[k:]]

        def call():
            return jax.block_until_ready(g(ps, *ins))

        def extract(out):
            value, grads = out
            return np.asarray(value), [np.asarray(x) for x in grads]
        return call, extract


# =======================================================================================
# W7: LeNet-style CNN, 1x28x28, batch 64
# =======================================================================================

class LeNet(nn.Cell):
    def __init__(self, c1, c2, f1, classes, k, flat, dtype=mstype.float32):
        super().__init__()
        self.conv1 = nn.Conv2d(1, c1, k, pad_mode="valid", has_bias=True, dtype=dtype)
        self.conv2 = nn.Conv2d(c1, c2, k, pad_mode="valid", has_bias=True, dtype=dtype)
        self.relu = nn.ReLU()
        self.pool = nn.MaxPool2d(kernel_size=2, stride=2)
        self.flatten = nn.Flatten()
        self.fc1 = nn.Dense(flat, f1, dtype=dtype)
        self.fc2 = nn.Dense(f1, classes, dtype=dtype)
        self.loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")

    def construct(self, x, labels):
        h = self.pool(self.relu(self.conv1(x)))
        h = self.pool(self.relu(self.conv2(h)))
        h = self.relu(self.fc1(self.flatten(h)))
        return self.loss(self.fc2(h), labels)


def _cols(x, k):
    """im2col of an NCHW array: ``(N, C * k * k, Ho * Wo)``, one copy whose rows are
    contiguous, so that a convolution is one batched matmul and its output is NCHW."""
    n, c, h, w = x.shape
    win = sliding_window_view(x, (k, k), axis=(2, 3))  # (N, C, Ho, Wo, k, k)
    return win.transpose(0, 1, 4, 5, 2, 3).reshape(n, c * k * k, (h - k + 1) * (w - k + 1))


_TAPS2 = ((0, 0), (0, 1), (1, 0), (1, 1))


def _pool2(a):
    """2x2 max pooling, stride 2: three ``np.maximum`` over strided views."""
    out = np.maximum(a[:, :, 0::2, 0::2], a[:, :, 0::2, 1::2])
    np.maximum(out, a[:, :, 1::2, 0::2], out=out)
    np.maximum(out, a[:, :, 1::2, 1::2], out=out)
    return out


def _pool2_back(a, p, dp):
    """Gradient of relu-then-pool w.r.t. the pre-activation: ``dp`` where the window's maximum
    is, if positive (a tie of zeros goes nowhere, as the ReLU's gradient there is 0)."""
    dpm = dp * (p > 0)
    dz = np.empty(a.shape, dp.dtype)
    for i, j in _TAPS2:
        np.multiply(dpm, a[:, :, i::2, j::2] == p, out=dz[:, :, i::2, j::2])
    return dz


def _xent_sparse(logits, labels):
    """Mean sparse softmax cross-entropy and its gradient w.r.t. the logits."""
    n = logits.shape[0]
    shifted = logits - logits.max(axis=1, keepdims=True)
    e = np.exp(shifted)
    s = e.sum(axis=1, keepdims=True)
    rows = np.arange(n)
    loss = np.mean(np.log(s[:, 0]) - shifted[rows, labels])
    e /= s
    e[rows, labels] -= 1
    e *= 1.0 / n
    return loss, e


class W7(_ParamWorkload):
    name = "W7"
    title = "LeNet CNN 1x28x28, batch 64"
    wrt = tuple(range(2, 10))
    n_inputs = 2

    def sizes(self, small):
        # (batch, image, c1, c2, f1, classes, k)
        return (3, 16, 2, 3, 7, 5, 5) if small else (64, 28, 6, 16, 120, 10, 5)

    def make(self, small=False, dtype=np.float32):
        n, hw, c1, c2, f1, classes, k = self.sizes(small)
        r = _rng(7)
        x = r.standard_normal((n, 1, hw, hw)).astype(dtype)
        labels = r.integers(0, classes, n).astype(np.int32)
        s2 = ((hw - k + 1) // 2 - k + 1) // 2
        flat = c2 * s2 * s2
        return (x, labels,
                _uniform(r, (c1, 1, k, k), k * k, dtype), _uniform(r, (c1,), k * k, dtype),
                _uniform(r, (c2, c1, k, k), c1 * k * k, dtype),
                _uniform(r, (c2,), c1 * k * k, dtype),
                _uniform(r, (f1, flat), flat, dtype), _uniform(r, (f1,), flat, dtype),
                _uniform(r, (classes, f1), f1, dtype), _uniform(r, (classes,), f1, dtype))

    def forward(self, x, labels, w1, b1, w2, b2, wf1, bf1, wf2, bf2):
        return self.hand(x, labels, w1, b1, w2, b2, wf1, bf1, wf2, bf2, grads=False)

    def hand(self, x, labels, w1, b1, w2, b2, wf1, bf1, wf2, bf2, grads=True):
        # each convolution is one batched matmul over im2col columns (N, C k k, Ho Wo)
        n = x.shape[0]
        k = w1.shape[-1]
        c1, c2 = w1.shape[0], w2.shape[0]
        w1m = w1.reshape(c1, -1)
        w2m = w2.reshape(c2, -1)
        cols1 = _cols(x, k)
        ho1 = x.shape[2] - k + 1
        a1 = w1m @ cols1
        a1 += b1[:, None]
        np.maximum(a1, 0, out=a1)
        a1 = a1.reshape(n, c1, ho1, ho1)
        p1 = _pool2(a1)
        cols2 = _cols(p1, k)
        ho2 = p1.shape[2] - k + 1
        a2 = w2m @ cols2
        a2 += b2[:, None]
        np.maximum(a2, 0, out=a2)
        a2 = a2.reshape(n, c2, ho2, ho2)
        p2 = _pool2(a2)
        flat = p2.reshape(n, -1)
        h = flat @ wf1.T
        h += bf1
        np.maximum(h, 0, out=h)
        logits = h @ wf2.T
        logits += bf2
        loss, dlogits = _xent_sparse(logits, labels)
        if not grads:
            return loss
        dwf2 = dlogits.T @ h
        dbf2 = dlogits.sum(axis=0)
        dh = dlogits @ wf2
        dh *= h > 0
        dwf1 = dh.T @ flat
        dbf1 = dh.sum(axis=0)
        dp2 = (dh @ wf1).reshape(p2.shape)
        dz2 = _pool2_back(a2, p2, dp2).reshape(n, c2, -1)
        dw2 = (dz2 @ cols2.transpose(0, 2, 1)).sum(axis=0).reshape(w2.shape)
        db2 = dz2.sum(axis=(0, 2))
        # col2im: the input gradient of conv2 as k*k strided slab additions
        dcols = (w2m.T @ dz2).reshape(n, c1, k, k, ho2, ho2)
        dp1 = np.zeros(p1.shape, dz2.dtype)
        for i in range(k):
            for j in range(k):
                dp1[:, :, i:i + ho2, j:j + ho2] += dcols[:, :, i, j]
        dz1 = _pool2_back(a1, p1, dp1).reshape(n, c1, -1)
        dw1 = (dz1 @ cols1.transpose(0, 2, 1)).sum(axis=0).reshape(w1.shape)
        db1 = dz1.sum(axis=(0, 2))
        return loss, (dw1, db1, dw2, db2, dwf1, dbf1, dwf2, dbf2)

    def autograd_st(self, arrays):
        x, labels = arrays[:2]
        n, hw, c1, c2, f1, classes, k = self.sizes(x.shape[0] != 64)
        net = LeNet(c1, c2, f1, classes, k, arrays[6].shape[1], _ms_dtype(x))
        for p, a in zip(net.trainable_params(), arrays[2:]):
            p.set_data(Tensor(a))
        return self._st(net, (x, labels))

    @staticmethod
    def _torch_loss(torch, x, labels, w1, b1, w2, b2, wf1, bf1, wf2, bf2):
        F = torch.nn.functional
        h = F.max_pool2d(F.relu(F.conv2d(x, w1, b1)), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, w2, b2)), 2)
        h = F.relu(F.linear(h.flatten(1), wf1, bf1))
        return F.cross_entropy(F.linear(h, wf2, bf2), labels)

    def torch(self, arrays, threads=1):
        arrays = (arrays[0], arrays[1].astype(np.int64)) + tuple(arrays[2:])
        return self._torch_call(arrays, threads, self._torch_loss)

    def jax(self, arrays, jit):
        import jax
        import jax.numpy as jnp
        lax = jax.lax

        def conv(x, w, b):
            y = lax.conv_general_dilated(x, w, (1, 1), "VALID")
            return y + b[None, :, None, None]

        def pool(x):
            return lax.reduce_window(x, -jnp.inf, lax.max, (1, 1, 2, 2), (1, 1, 2, 2), "VALID")

        def loss_fn(x, labels, w1, b1, w2, b2, wf1, bf1, wf2, bf2):
            h = pool(jax.nn.relu(conv(x, w1, b1)))
            h = pool(jax.nn.relu(conv(h, w2, b2)))
            h = jax.nn.relu(h.reshape(h.shape[0], -1) @ wf1.T + bf1)
            logp = jax.nn.log_softmax(h @ wf2.T + bf2, axis=1)
            return -jnp.mean(jnp.take_along_axis(logp, labels[:, None], axis=1))
        return self._jax_call(arrays, jit, loss_fn)


# =======================================================================================
# W8: pre-norm Transformer encoder layer, batch 8, seq 128, d_model 256, 4 heads, MLP 1024
# =======================================================================================

class EncoderLayer(nn.Cell):
    """``h = x + MHA(LN1(x))``, ``out = h + fc2(GELU(fc1(LN2(h))))``, loss ``mean(out**2)``."""

    def __init__(self, d, heads, mlp, dtype=mstype.float32):
        super().__init__()
        self.ln1 = nn.LayerNorm((d,), epsilon=1e-5, dtype=dtype)
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True, dtype=dtype)
        self.ln2 = nn.LayerNorm((d,), epsilon=1e-5, dtype=dtype)
        self.fc1 = nn.Dense(d, mlp, dtype=dtype)
        self.gelu = nn.GELU()
        self.fc2 = nn.Dense(mlp, d, dtype=dtype)

    def construct(self, x, pad_mask):
        y = self.ln1(x)
        h = x + self.attn(y, y, y, key_padding_mask=pad_mask, need_weights=False)[0]
        out = h + self.fc2(self.gelu(self.fc1(self.ln2(h))))
        return ops.mean(out * out)


def _ln(x, g, b, eps=1e-5):
    mu = x.mean(axis=-1, keepdims=True)
    xc = x - mu
    var = np.mean(xc * xc, axis=-1, keepdims=True)
    rstd = 1.0 / np.sqrt(var + eps)
    xc *= rstd
    return xc * g + b, xc, rstd


def _ln_back(dy, xhat, rstd, g):
    """(dx, dgamma, dbeta) of a layer norm over the last axis (2-D inputs)."""
    dgamma = np.einsum("ij,ij->j", dy, xhat)
    dbeta = dy.sum(axis=0)
    dxhat = dy * g
    d = dxhat.shape[-1]
    a = dxhat.sum(axis=-1, keepdims=True)
    b = np.einsum("ij,ij->i", dxhat, xhat)[:, None]
    dxhat -= a * (1.0 / d)
    dxhat -= xhat * (b * (1.0 / d))
    dxhat *= rstd
    return dxhat, dgamma, dbeta


class W8(_ParamWorkload):
    name = "W8"
    title = "pre-norm Transformer layer b8 L128 d256 h4"
    wrt = tuple(range(2, 14))
    n_inputs = 2

    def sizes(self, small):
        # (batch, seq, d_model, heads, mlp)
        return (2, 5, 8, 2, 12) if small else (8, 128, 256, 4, 1024)

    def make(self, small=False, dtype=np.float32):
        b, n, d, heads, mlp = self.sizes(small)
        r = _rng(8)
        x = r.standard_normal((b, n, d)).astype(dtype)
        lengths = n - (np.arange(b) * max(1, n // 16))
        pad = np.arange(n)[None, :] >= lengths[:, None]
        lim = np.sqrt(6.0 / (4 * d))  # XavierUniform of (3d, d)
        return (x, pad,
                (1 + 0.1 * r.standard_normal(d)).astype(dtype),
                (0.1 * r.standard_normal(d)).astype(dtype),
                r.uniform(-lim, lim, (3 * d, d)).astype(dtype),
                (0.1 * r.standard_normal(3 * d)).astype(dtype),
                _uniform(r, (d, d), d, dtype), _uniform(r, (d,), d, dtype),
                (1 + 0.1 * r.standard_normal(d)).astype(dtype),
                (0.1 * r.standard_normal(d)).astype(dtype),
                _uniform(r, (mlp, d), d, dtype), _uniform(r, (mlp,), d, dtype),
                _uniform(r, (d, mlp), mlp, dtype), _uniform(r, (d,), mlp, dtype))

    def forward(self, *arrays):
        return self.hand(*arrays, grads=False)

    def hand(self, x, pad, g1, be1, win, bin_, wo, bo, g2, be2, w1, b1, w2, b2, grads=True):
        bsz, n, d = x.shape
        heads = self.sizes(bsz != 8)[3]
        hd = d // heads
        scale = 1.0 / float(np.sqrt(hd))  # a Python float: a float64 scalar would promote
        x2 = x.reshape(bsz * n, d)
        y, xhat1, rstd1 = _ln(x2, g1, be1)
        qkv = y @ win.T
        qkv += bin_
        qkv = qkv.reshape(bsz, n, 3, heads, hd).transpose(2, 0, 3, 1, 4)  # (3, B, H, n, hd)
        q, k, v = qkv[0] * scale, qkv[1], qkv[2]
        s = q @ k.transpose(0, 1, 3, 2)  # (B, H, n, n)
        s += np.where(pad, -np.inf, 0.0).astype(x.dtype)[:, None, None, :]
        s -= s.max(axis=-1, keepdims=True)
        np.exp(s, out=s)
        s /= s.sum(axis=-1, keepdims=True)
        p = s
        o = (p @ v).transpose(0, 2, 1, 3).reshape(bsz * n, d)
        h = o @ wo.T
        h += bo
        h += x2
        z, xhat2, rstd2 = _ln(h, g2, be2)
        u = z @ w1.T
        u += b1
        u2 = u * u
        t = u2 * 0.044715
        t += 1.0
        t *= u
        t *= _GELU_C
        np.tanh(t, out=t)  # tanh(c (u + 0.044715 u^3))
        gl = t + 1.0
        gl *= 0.5
        gl *= u
        out = gl @ w2.T
        out += b2
        out += h
        loss = np.mean(out * out)
        if not grads:
            return loss
        dout = out
        dout *= 2.0 / out.size
        dw2 = dout.T @ gl
        db2 = dout.sum(axis=0)
        dgl = dout @ w2
        # GELU (tanh form)': 0.5 (1 + t) + 0.5 u (1 - t^2) c (1 + 3 * 0.044715 u^2)
        u2 *= 0.134145
        u2 += 1.0
        u2 *= u
        u2 *= 0.5 * _GELU_C
        du = np.multiply(t, t)
        np.subtract(1.0, du, out=du)
        du *= u2
        t += 1.0
        t *= 0.5
        du += t
        du *= dgl
        dw1 = du.T @ z
        db1 = du.sum(axis=0)
        dz = du @ w1
        dh, dg2, dbe2 = _ln_back(dz, xhat2, rstd2, g2)
        dh += dout
        dwo = dh.T @ o
        dbo = dh.sum(axis=0)
        do = (dh @ wo).reshape(bsz, n, heads, hd).transpose(0, 2, 1, 3)
        dp = do @ v.transpose(0, 1, 3, 2)
        dqkv = np.empty((3, bsz, heads, n, hd), x.dtype)
        np.matmul(p.transpose(0, 1, 3, 2), do, out=dqkv[2])
        dp -= (dp * p).sum(axis=-1, keepdims=True)
        dp *= p
        np.matmul(dp, k, out=dqkv[0])
        dqkv[0] *= scale
        np.matmul(dp.transpose(0, 1, 3, 2), q, out=dqkv[1])
        dqkv = dqkv.transpose(1, 3, 0, 2, 4).reshape(bsz * n, 3 * d)
        dwin = dqkv.T @ y
        dbin = dqkv.sum(axis=0)
        dy = dqkv @ win
        _, dg1, dbe1 = _ln_back(dy, xhat1, rstd1, g1)
        return loss, (dg1, dbe1, dwin, dbin, dwo, dbo, dg2, dbe2, dw1, db1, dw2, db2)

    def autograd_st(self, arrays):
        x, pad = arrays[:2]
        b, n, d, heads, mlp = self.sizes(x.shape[0] != 8)
        net = EncoderLayer(d, heads, mlp, _ms_dtype(x))
        for p, a in zip(net.trainable_params(), arrays[2:]):
            p.set_data(Tensor(a))
        return self._st(net, (x, pad))

    def _loss(self, xp, F, x, pad, g1, be1, win, bin_, wo, bo, g2, be2, w1, b1, w2, b2):
        """The layer over a numpy-like namespace ``xp`` (torch or jax.numpy)."""
        bsz, n, d = x.shape
        heads = self.sizes(bsz != 8)[3]
        hd = d // heads
        y = F["ln"](x, g1, be1)
        qkv = (y @ win.T + bin_).reshape(bsz, n, 3, heads, hd)
        qkv = F["perm"](qkv, (2, 0, 3, 1, 4))
        q, k, v = qkv[0], qkv[1], qkv[2]
        s = (q @ F["perm"](k, (0, 1, 3, 2))) / np.sqrt(hd)
        s = F["mask"](s, pad[:, None, None, :])
        p = F["softmax"](s)
        o = F["perm"](p @ v, (0, 2, 1, 3)).reshape(bsz, n, d)
        h = x + o @ wo.T + bo
        u = F["ln"](h, g2, be2) @ w1.T + b1
        out = h + F["gelu"](u) @ w2.T + b2
        return xp.mean(out * out)

    def torch(self, arrays, threads=1):
        import torch
        Fn = torch.nn.functional
        d = arrays[0].shape[-1]
        F = {"ln": lambda x, g, b: Fn.layer_norm(x, (d,), g, b, 1e-5),
             "perm": lambda a, p: a.permute(*p),
             "mask": lambda s, m: s.masked_fill(m, float("-inf")),
             "softmax": lambda s: torch.softmax(s, -1),
             "gelu": lambda u: Fn.gelu(u, approximate="tanh")}
        return self._torch_call(arrays, threads,
                                lambda xp, *a: self._loss(xp, F, *a))

    def jax(self, arrays, jit):
        import jax
        import jax.numpy as jnp

        def ln(x, g, b):
            mu = x.mean(-1, keepdims=True)
            var = ((x - mu) ** 2).mean(-1, keepdims=True)
            return (x - mu) / jnp.sqrt(var + 1e-5) * g + b
        F = {"ln": ln, "perm": jnp.transpose,
             "mask": lambda s, m: jnp.where(m, -jnp.inf, s),
             "softmax": lambda s: jax.nn.softmax(s, -1),
             "gelu": lambda u: jax.nn.gelu(u, approximate=True)}
        return self._jax_call(arrays, jit, lambda *a: self._loss(jnp, F, *a))


# =======================================================================================
# W9: LSTM, 2 layers, hidden 256, 100 steps, batch 32
# =======================================================================================

class LSTMNet(nn.Cell):
    def __init__(self, nin, nh, layers, dtype=mstype.float32):
        super().__init__()
        self.lstm = nn.LSTM(nin, nh, num_layers=layers, dtype=dtype)

    def construct(self, x):
        out, _ = self.lstm(x)
        return ops.mean(out * out)


def _sigmoid_(a):
    """In place: ``a = 1 / (1 + exp(-a))``."""
    np.negative(a, out=a)
    np.exp(a, out=a)
    a += 1.0
    np.reciprocal(a, out=a)
    return a


class W9(_ParamWorkload):
    name = "W9"
    title = "LSTM 2 layers h=256, 100 steps, batch 32"
    wrt = tuple(range(1, 9))
    n_inputs = 1

    def sizes(self, small):
        # (steps, batch, input, hidden, layers)
        return (4, 3, 5, 6, 2) if small else (100, 32, 128, 256, 2)

    def make(self, small=False, dtype=np.float32):
        steps, batch, nin, nh, layers = self.sizes(small)
        r = _rng(9)
        x = r.standard_normal((steps, batch, nin)).astype(dtype)
        per = []
        for layer in range(layers):
            fan = nin if layer == 0 else nh
            per.append([_uniform(r, (4 * nh, fan), nh, dtype),
                        _uniform(r, (4 * nh, nh), nh, dtype),
                        _uniform(r, (4 * nh,), nh, dtype), _uniform(r, (4 * nh,), nh, dtype)])
        # nn.LSTM's trainable_params() order: every w_ih, every w_hh, every b_ih, every b_hh
        return (x,) + tuple(per[layer][j] for j in range(4) for layer in range(layers))

    @staticmethod
    def _per_layer(params):
        """``[(w_ih, w_hh, b_ih, b_hh)]`` per layer, from ``trainable_params()`` order."""
        n = len(params) // 4
        return [tuple(params[j * n + layer] for j in range(4)) for layer in range(n)]

    def forward(self, *arrays):
        return self.hand(*arrays, grads=False)

    @staticmethod
    def _layer_forward(x, w_ih, w_hh, b_ih, b_hh):
        """One layer over ``x (T, B, F)``: the activated gates ``(T, B, 4H)`` (i, f, g, o),
        the cell states and ``tanh`` of them ``(T, B, H)``, the outputs ``(T + 1, B, H)`` (row 0:
        the zero initial state)."""
        steps, batch, _ = x.shape
        nh = w_hh.shape[1]
        dt = x.dtype
        gates = (x.reshape(steps * batch, -1) @ w_ih.T).reshape(steps, batch, 4 * nh)
        gates += b_ih + b_hh  # the input projection of every step: one matmul
        hs = np.zeros((steps + 1, batch, nh), dt)
        cs = np.empty((steps, batch, nh), dt)
        tcs = np.empty((steps, batch, nh), dt)
        c = np.zeros((batch, nh), dt)
        w_hh_t = w_hh.T
        for t in range(steps):
            g = gates[t]
            g += hs[t] @ w_hh_t
            _sigmoid_(g[:, :2 * nh])
            np.tanh(g[:, 2 * nh:3 * nh], out=g[:, 2 * nh:3 * nh])
            _sigmoid_(g[:, 3 * nh:])
            np.multiply(g[:, nh:2 * nh], c, out=cs[t])
            cs[t] += g[:, :nh] * g[:, 2 * nh:3 * nh]
            c = cs[t]
            np.tanh(c, out=tcs[t])
            np.multiply(g[:, 3 * nh:], tcs[t], out=hs[t + 1])
        return gates, cs, tcs, hs

    @staticmethod
    def _layer_backward(x, w_ih, w_hh, gates, cs, tcs, hs, dhs):
        """``dhs (T, B, H)``: the loss's gradient w.r.t. the outputs (overwritten).  Returns
        (dx, dw_ih, dw_hh, db)."""
        steps, batch, nh = dhs.shape
        dg = np.empty_like(gates)
        dc = np.zeros((batch, nh), x.dtype)
        for t in range(steps - 1, -1, -1):
            g = gates[t]
            i, f, gg, o = g[:, :nh], g[:, nh:2 * nh], g[:, 2 * nh:3 * nh], g[:, 3 * nh:]
            dh = dhs[t]
            d = dg[t]
            # do = dh * tanh(c) * o (1 - o)
            np.multiply(dh, tcs[t], out=d[:, 3 * nh:])
            d[:, 3 * nh:] *= o * (1.0 - o)
            # dc += dh * o * (1 - tanh(c)^2)
            tc = tcs[t]
            dc += dh * o * (1.0 - tc * tc)
            # di = dc * gg * i (1 - i); df = dc * c_prev * f (1 - f); dgg = dc * i (1 - gg^2)
            np.multiply(dc, gg, out=d[:, :nh])
            d[:, :nh] *= i * (1.0 - i)
            if t > 0:
                np.multiply(dc, cs[t - 1], out=d[:, nh:2 * nh])
                d[:, nh:2 * nh] *= f * (1.0 - f)
            else:
                d[:, nh:2 * nh] = 0.0
            np.multiply(dc, i, out=d[:, 2 * nh:3 * nh])
            d[:, 2 * nh:3 * nh] *= 1.0 - gg * gg
            dc *= f
            if t > 0:
                dhs[t - 1] += d @ w_hh
        dg2 = dg.reshape(steps * batch, 4 * nh)
        dw_ih = dg2.T @ x.reshape(steps * batch, -1)
        dw_hh = dg2.T @ hs[:-1].reshape(steps * batch, nh)
        db = dg2.sum(axis=0)
        dx = (dg2 @ w_ih).reshape(x.shape)
        return dx, dw_ih, dw_hh, db

    def hand(self, x, *params, grads=True):
        per = self._per_layer(params)
        layers = len(per)
        inp = x
        saved = []
        for layer in range(layers):
            w_ih, w_hh, b_ih, b_hh = per[layer]
            gates, cs, tcs, hs = self._layer_forward(inp, w_ih, w_hh, b_ih, b_hh)
            saved.append((inp, gates, cs, tcs, hs))
            inp = hs[1:]
        out = inp
        loss = np.mean(out * out)
        if not grads:
            return loss
        dout = out * (2.0 / out.size)
        result = [None] * len(params)
        for layer in range(layers - 1, -1, -1):
            w_ih, w_hh = per[layer][:2]
            inp, gates, cs, tcs, hs = saved[layer]
            dout, dw_ih, dw_hh, db = self._layer_backward(inp, w_ih, w_hh, gates, cs, tcs, hs,
                                                          dout)
            for j, grad in enumerate((dw_ih, dw_hh, db, db.copy())):
                result[j * layers + layer] = grad
        return loss, tuple(result)

    def autograd_st(self, arrays):
        x = arrays[0]
        steps, batch, nin, nh, layers = self.sizes(x.shape[0] != 100)
        net = LSTMNet(nin, nh, layers, _ms_dtype(x))
        for p, a in zip(net.trainable_params(), arrays[1:]):
            p.set_data(Tensor(a))
        return self._st(net, (x,))

    def torch(self, arrays, threads=1):
        import torch
        torch.set_num_threads(threads)
        x = torch.from_numpy(arrays[0])
        steps, batch, nin, nh, layers = self.sizes(arrays[0].shape[0] != 100)
        lstm = torch.nn.LSTM(nin, nh, num_layers=layers)
        ps = []
        with torch.no_grad():
            for j, name in enumerate(("weight_ih", "weight_hh", "bias_ih", "bias_hh")):
                for layer in range(layers):
                    p = getattr(lstm, "%s_l%d" % (name, layer))
                    p.copy_(torch.from_numpy(arrays[1 + j * layers + layer]))
                    ps.append(p)

        def call():
            out, _ = lstm(x)
            loss = (out * out).mean()
            return loss.detach(), torch.autograd.grad(loss, ps)
        return call, self._extract_torch

    def jax(self, arrays, jit):
        import jax
        import jax.numpy as jnp

        def layer(x, w_ih, w_hh, b_ih, b_hh):
            nh = w_hh.shape[1]
            xp = x @ w_ih.T + b_ih + b_hh

            def step(carry, g_in):
                h, c = carry
                g = g_in + h @ w_hh.T
                i = jax.nn.sigmoid(g[:, :nh])
                f = jax.nn.sigmoid(g[:, nh:2 * nh])
                gg = jnp.tanh(g[:, 2 * nh:3 * nh])
                o = jax.nn.sigmoid(g[:, 3 * nh:])
                c = f * c + i * gg
                h = o * jnp.tanh(c)
                return (h, c), h
            zero = jnp.zeros((x.shape[1], nh), x.dtype)
            _, hs = jax.lax.scan(step, (zero, zero), xp)
            return hs

        def loss_fn(x, *params):
            for p in W9._per_layer(params):
                x = layer(x, *p)
            return jnp.mean(x * x)
        return self._jax_call(arrays, jit, loss_fn)
