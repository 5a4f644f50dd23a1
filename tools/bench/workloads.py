"""The benchmark's workloads W1..W6 (issue 4; W7..W9 of issue 15 live in ``workloads_nn``),
each in every form the benchmark times.

For every workload there is

* ``make(small, dtype)``: its data, a tuple of numpy arrays (inputs, then parameters), made
  from a fixed seed; ``small=True`` gives a tiny instance for finite differences and tests;
* ``forward(*arrays)``: the scalar loss in plain numpy (what finite differences read);
* ``hand(*arrays)``: hand-written numpy forward + backward, returning ``(value, grads)``
  (``value`` is None where the autograd_st call returns gradients only), as a careful person
  writes it;
* ``hand_expert(*arrays)``: the same as the fastest numpy a performance engineer writes
  (loop-invariant hoisting, preallocated buffers, in-place ops, ``out=``, batched matmuls
  over time); the targets of issue 15 are ratios to it;
* ``autograd_st(arrays)``: ``(call, extract)``: ``call()`` is one gradient call through
  the MindSpore API, ``extract(out)`` turns its result into ``(value, [grads])`` as numpy;
* ``competitors(arrays)``: the same for HIPS autograd, PyTorch eager, JAX ``grad`` and
  ``jax.jit(grad)`` (each only when importable).

``wrt`` names the positions (in the data tuple) whose gradients are returned, in order.
The autograd_st code (Cells and functions) lives in this file so that the compiler can read
its source; the competitors run the very same functions where the code is written over a
numpy-like namespace (``np`` rebound to ``autograd.numpy``, ``jax.numpy`` or ``torch``).
"""
from __future__ import annotations

import numpy as np
from workload_base import Workload, _rng, _st_extract, rebind  # noqa: F401
from workloads_nn import W7, W8, W9

from autograd_st import Parameter, Tensor, nn, ops
from autograd_st import jit as ms_jit

__all__ = ["WORKLOADS", "Workload", "get"]


# =======================================================================================
# W1: the tutorials' MatMul net, gradient w.r.t. x
# =======================================================================================

class MatMulNet(nn.Cell):
    def __init__(self, z):
        super().__init__()
        self.matmul = ops.MatMul()
        self.z = Parameter(Tensor(z), name="z")

    def construct(self, x, y):
        x = x * self.z
        out = self.matmul(x, y)
        return out


class GradNetWrtX(nn.Cell):
    """The tutorials' wrapper: ``GradOperation`` inside another Cell's construct."""

    def __init__(self, net):
        super().__init__()
        self.net = net
        self.grad_op = ops.GradOperation()

    def construct(self, x, y):
        gradient_function = self.grad_op(self.net)
        return gradient_function(x, y)


class W1(Workload):
    name = "W1"
    title = "MatMul net (2,3)@(3,3), d/dx"
    wrt = (0,)
    returns_value = False  # GradOperation() returns the gradient only

    def make(self, small=False, dtype=np.float32):
        x = np.array([[0.8, 0.6, 0.2], [1.8, 1.3, 1.1]], dtype)
        y = np.array([[0.11, 3.3, 1.1], [1.1, 0.2, 1.4], [1.1, 2.2, 0.3]], dtype)
        z = np.array([1.0], dtype)
        if small:  # a less special z for finite differences
            z = np.array([0.7], dtype)
        return x, y, z

    def forward(self, x, y, z):
        return np.sum(np.matmul(x * z, y))

    @staticmethod
    def pure(x, y, z):
        return np.sum(np.matmul(x * z, y))

    def hand(self, x, y, z):
        out = (x * z) @ y
        dout = np.ones_like(out)
        dx = (dout @ y.T) * z
        return None, (dx,)

    def hand_expert(self, x, y, z):
        # d/dx sum((x z) @ y) = z * (row sums of y), the same in every row of x
        dx = np.empty(np.broadcast_shapes(x.shape, z.shape), np.result_type(x, y, z))
        dx[...] = y.sum(axis=1)
        dx *= z
        return None, (dx,)

    def autograd_st(self, arrays, tutorial=False):
        x, y, z = arrays
        net = MatMulNet(z)
        tx, ty = Tensor(x), Tensor(y)
        if tutorial:
            g = GradNetWrtX(net)
        else:
            g = ops.GradOperation()(net)

        def call():
            return g(tx, ty)
        call.grad_fn = None if tutorial else g
        call.args = (tx, ty)
        return call, _st_extract(False)


# =======================================================================================
# W2: MLP 784-256-128-10, ReLU, softmax cross-entropy, batch 64, all six parameters
# =======================================================================================

class MLP(nn.Cell):
    def __init__(self, w1, b1, w2, b2, w3, b3):
        super().__init__()
        self.fc1 = nn.Dense(w1.shape[1], w1.shape[0], weight_init=Tensor(w1),
                            bias_init=Tensor(b1))
        self.fc2 = nn.Dense(w2.shape[1], w2.shape[0], weight_init=Tensor(w2),
                            bias_init=Tensor(b2))
        self.fc3 = nn.Dense(w3.shape[1], w3.shape[0], weight_init=Tensor(w3),
                            bias_init=Tensor(b3))
        self.relu = nn.ReLU()
        self.loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")

    def construct(self, x, labels):
        h = self.relu(self.fc1(x))
        h = self.relu(self.fc2(h))
        logits = self.fc3(h)
        return self.loss(logits, labels)


class W2(Workload):
    name = "W2"
    title = "MLP 784-256-128-10, batch 64"
    wrt = (2, 3, 4, 5, 6, 7)

    def make(self, small=False, dtype=np.float32):
        r = _rng(17)  # no pre-activation within 1e-5 of a ReLU kink (float32 vs others)
        sizes = (12, 9, 7, 5) if small else (784, 256, 128, 10)
        n = 4 if small else 64
        x = r.standard_normal((n, sizes[0])).astype(dtype)
        labels = r.integers(0, sizes[3], n).astype(np.int32)
        out = [x, labels]
        for i in range(3):
            fan_in, fan_out = sizes[i], sizes[i + 1]
            bound = 1.0 / np.sqrt(fan_in)
            out.append(r.uniform(-bound, bound, (fan_out, fan_in)).astype(dtype))
            out.append(r.uniform(-bound, bound, (fan_out,)).astype(dtype))
        return tuple(out)

    def forward(self, x, labels, w1, b1, w2, b2, w3, b3):
        a1 = np.maximum(x @ w1.T + b1, 0)
        a2 = np.maximum(a1 @ w2.T + b2, 0)
        logits = a2 @ w3.T + b3
        m = logits.max(axis=1, keepdims=True)
        logp = logits - m - np.log(np.exp(logits - m).sum(axis=1, keepdims=True))
        return -logp[np.arange(len(labels)), labels].mean()

    def hand(self, x, labels, w1, b1, w2, b2, w3, b3):
        n = x.shape[0]
        # forward
        z1 = x @ w1.T + b1
        a1 = np.maximum(z1, 0)
        z2 = a1 @ w2.T + b2
        a2 = np.maximum(z2, 0)
        logits = a2 @ w3.T + b3
        shifted = logits - logits.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        rows = np.arange(n)
        loss = np.mean(np.log(s[:, 0]) - shifted[rows, labels])
        # backward
        dlogits = e / s
        dlogits[rows, labels] -= 1
        dlogits /= n
        dw3 = dlogits.T @ a2
        db3 = dlogits.sum(axis=0)
        dz2 = dlogits @ w3
        dz2 *= z2 > 0
        dw2 = dz2.T @ a1
        db2 = dz2.sum(axis=0)
        dz1 = dz2 @ w2
        dz1 *= z1 > 0
        dw1 = dz1.T @ x
        db1 = dz1.sum(axis=0)
        return loss, (dw1, db1, dw2, db2, dw3, db3)

    def hand_expert(self, x, labels, w1, b1, w2, b2, w3, b3):
        n = x.shape[0]
        rows = np.arange(n)
        # forward, every activation computed in place
        a1 = x @ w1.T
        a1 += b1
        np.maximum(a1, 0, out=a1)
        a2 = a1 @ w2.T
        a2 += b2
        np.maximum(a2, 0, out=a2)
        e = a2 @ w3.T
        e += b3
        e -= e.max(axis=1, keepdims=True)
        picked = e[rows, labels]
        np.exp(e, out=e)
        s = e.sum(axis=1)
        loss = np.mean(np.log(s)) - np.mean(picked)
        # backward: the softmax's gradient in the exp buffer
        e /= s[:, None]
        e[rows, labels] -= 1
        e *= 1.0 / n
        dw3 = e.T @ a2
        db3 = e.sum(axis=0)
        d2 = e @ w3
        d2 *= a2 > 0  # a ReLU's output is positive exactly where its input is
        dw2 = d2.T @ a1
        db2 = d2.sum(axis=0)
        d1 = d2 @ w2
        d1 *= a1 > 0
        dw1 = d1.T @ x
        db1 = d1.sum(axis=0)
        return loss, (dw1, db1, dw2, db2, dw3, db3)

    def autograd_st(self, arrays):
        x, labels = arrays[:2]
        net = MLP(*arrays[2:])
        params = net.trainable_params()
        assert len(params) == 6
        g = ops.value_and_grad(net, grad_position=None, weights=params)
        tx, tl = Tensor(x), Tensor(labels)

        def call():
            return g(tx, tl)
        call.grad_fn = g
        call.args = (tx, tl)
        call.net = net
        return call, _st_extract(True)

    @staticmethod
    def pure(x, labels, w1, b1, w2, b2, w3, b3):
        a1 = np.maximum(np.matmul(x, w1.T) + b1, 0.0)
        a2 = np.maximum(np.matmul(a1, w2.T) + b2, 0.0)
        logits = np.matmul(a2, w3.T) + b3
        m = np.max(logits, axis=1, keepdims=True)
        logp = logits - m - np.log(np.sum(np.exp(logits - m), axis=1, keepdims=True))
        return -np.mean(logp[np.arange(labels.shape[0]), labels])

    def torch(self, arrays, threads=1):
        import torch
        import torch.nn.functional as F
        torch.set_num_threads(threads)
        x, labels = torch.from_numpy(arrays[0]), torch.from_numpy(arrays[1].astype(np.int64))
        ps = [torch.from_numpy(a.copy()).requires_grad_(True) for a in arrays[2:]]
        w1, b1, w2, b2, w3, b3 = ps

        def call():
            h = F.relu(F.linear(x, w1, b1))
            h = F.relu(F.linear(h, w2, b2))
            loss = F.cross_entropy(F.linear(h, w3, b3), labels)
            grads = torch.autograd.grad(loss, ps)
            return loss.detach(), grads
        return call, self._extract_torch


# =======================================================================================
# W3: a chain of 40 elementwise ops on a vector of 1000
# =======================================================================================

def chain40(x):
    h = np.sin(x)
    a = np.tanh(h)
    b = a * 0.9
    h = b + h
    a = np.sin(h)
    b = a * 0.1
    c = np.exp(b)
    h = c * h
    a = np.tanh(h)
    b = a * 0.9
    h = b + h
    a = np.sin(h)
    b = a * 0.1
    c = np.exp(b)
    h = c * h
    a = np.tanh(h)
    b = a * 0.9
    h = b + h
    a = np.sin(h)
    b = a * 0.1
    c = np.exp(b)
    h = c * h
    a = np.tanh(h)
    b = a * 0.9
    h = b + h
    a = np.sin(h)
    b = a * 0.1
    c = np.exp(b)
    h = c * h
    a = np.tanh(h)
    b = a * 0.9
    h = b + h
    a = np.sin(h)
    b = a * 0.1
    c = np.exp(b)
    h = c * h
    a = np.tanh(h)
    b = a * 0.9
    h = b + h
    a = np.sin(h)
    return np.sum(a)


class W3(Workload):
    """40 elementwise ops then a sum: ``h = sin(x)``, then blocks T (h = 0.9 tanh(h) + h,
    3 ops) and E (h = exp(0.1 sin(h)) * h, 4 ops) as T E T E T E T E T E T, then ``sin``:
    1 + 6 x 3 + 5 x 4 + 1 = 40."""

    name = "W3"
    title = "chain of 40 elementwise ops, n=1000"
    wrt = (0,)

    def make(self, small=False, dtype=np.float32):
        return (_rng(3).uniform(-1, 1, 7 if small else 1000).astype(dtype),)

    def forward(self, x):
        return chain40(x)

    pure = staticmethod(chain40)

    def hand(self, x):
        # forward, keeping what the backward pass reads
        h0 = x
        h = np.sin(h0)
        ts, es = [], []  # per T block: tanh(h); per E block: (h, exp(0.1 sin(h)))
        for k in range(6):
            t = np.tanh(h)
            ts.append(t)
            h = t * 0.9 + h
            if k < 5:
                e = np.exp(np.sin(h) * 0.1)
                es.append((h, e))
                h = e * h
        loss = np.sum(np.sin(h))
        # backward
        dh = np.cos(h)
        for k in range(5, -1, -1):
            if k < 5:
                hk, e = es[k]
                # h_out = e * hk,  e = exp(0.1 sin(hk))
                dh = dh * e * (1 + hk * 0.1 * np.cos(hk))
            t = ts[k]
            # h_out = 0.9 tanh(h) + h
            dh = dh * (1.9 - 0.9 * t * t)
        dx = dh * np.cos(h0)
        return loss, (dx,)

    def hand_expert(self, x):
        # an elementwise chain: its derivative is the product of the local derivatives, so
        # it is accumulated forward, alongside the values, into one buffer; nothing is kept
        h = np.sin(x)
        d = np.cos(x)
        t = np.empty_like(h)
        u = np.empty_like(h)
        for k in range(6):
            np.tanh(h, out=t)
            # h = 0.9 tanh(h) + h: local derivative 1.9 - 0.9 tanh(h)^2
            np.multiply(t, t, out=u)
            u *= -0.9
            u += 1.9
            d *= u
            t *= 0.9
            h += t
            if k < 5:
                # h = exp(0.1 sin(h)) h: local derivative exp(0.1 sin(h)) (1 + 0.1 h cos(h))
                np.sin(h, out=t)
                t *= 0.1
                np.exp(t, out=t)
                np.cos(h, out=u)
                u *= h
                u *= 0.1
                u += 1.0
                u *= t
                d *= u
                h *= t
        loss = np.sum(np.sin(h))
        np.cos(h, out=u)
        d *= u
        return loss, (d,)

    def autograd_st(self, arrays):
        g = ops.value_and_grad(chain40, grad_position=0)
        tx = Tensor(arrays[0])

        def call():
            return g(tx)
        call.grad_fn = g
        call.args = (tx,)
        return call, _st_extract(True)


# =======================================================================================
# W4: tanh RNN, hidden 64, input 32, 50 steps (a Python for loop), batch 16
# =======================================================================================

class RNN(nn.Cell):
    def __init__(self, wx, wh, b, steps):
        super().__init__()
        self.wx = Parameter(Tensor(wx), name="wx")
        self.wh = Parameter(Tensor(wh), name="wh")
        self.b = Parameter(Tensor(b), name="b")
        self.steps = steps

    def construct(self, xs, h):
        for t in range(self.steps):
            h = ops.tanh(ops.matmul(xs[t], self.wx) + ops.matmul(h, self.wh) + self.b)
        return ops.sum(h)


def rnn_pure(xs, h, wx, wh, b):
    for t in range(xs.shape[0]):
        h = np.tanh(np.matmul(xs[t], wx) + np.matmul(h, wh) + b)
    return np.sum(h)


class W4(Workload):
    name = "W4"
    title = "tanh RNN h=64 in=32, 50 steps, batch 16"
    wrt = (2, 3, 4)

    def make(self, small=False, dtype=np.float32):
        r = _rng(4)
        steps, batch, nin, nh = (6, 3, 4, 5) if small else (50, 16, 32, 64)
        xs = r.standard_normal((steps, batch, nin)).astype(dtype)
        h0 = np.zeros((batch, nh), dtype)
        wx = (r.standard_normal((nin, nh)) / np.sqrt(nin)).astype(dtype)
        wh = (r.standard_normal((nh, nh)) / np.sqrt(nh)).astype(dtype)
        b = (0.1 * r.standard_normal(nh)).astype(dtype)
        return xs, h0, wx, wh, b

    def forward(self, xs, h, wx, wh, b):
        for t in range(xs.shape[0]):
            h = np.tanh(xs[t] @ wx + h @ wh + b)
        return np.sum(h)

    pure = staticmethod(rnn_pure)

    def hand(self, xs, h0, wx, wh, b):
        hs = [h0]
        h = h0
        for t in range(xs.shape[0]):
            h = np.tanh(xs[t] @ wx + h @ wh + b)
            hs.append(h)
        loss = np.sum(h)
        dwx = np.zeros_like(wx)
        dwh = np.zeros_like(wh)
        db = np.zeros_like(b)
        dh = np.ones_like(h)
        for t in range(xs.shape[0] - 1, -1, -1):
            h = hs[t + 1]
            dz = dh * (1 - h * h)
            dwx += xs[t].T @ dz
            dwh += hs[t].T @ dz
            db += dz.sum(axis=0)
            dh = dz @ wh.T
        return loss, (dwx, dwh, db)

    def hand_expert(self, xs, h0, wx, wh, b):
        steps, batch, nin = xs.shape
        nh = wh.shape[0]
        x2 = xs.reshape(steps * batch, nin)
        # the input projection of every step: one matmul before the loop
        pre = (x2 @ wx).reshape(steps, batch, nh)
        pre += b
        hs = np.empty((steps + 1, batch, nh), np.result_type(xs, h0, wx, wh, b))
        hs[0] = h0
        for t in range(steps):
            z = np.matmul(hs[t], wh, out=hs[t + 1])
            z += pre[t]
            np.tanh(z, out=z)
        loss = np.sum(hs[steps])
        # backward: 1 - h^2 of every step in one preallocated (T, B, H) array
        dz = np.multiply(hs[1:], hs[1:])
        np.subtract(1.0, dz, out=dz)
        wh_t = wh.T
        dh = np.ones((batch, nh), hs.dtype)
        for t in range(steps - 1, -1, -1):
            dz[t] *= dh
            if t:
                np.matmul(dz[t], wh_t, out=dh)
        # the weight gradients: one matmul (and one sum) each, after the loop
        dz2 = dz.reshape(steps * batch, nh)
        dwx = x2.T @ dz2
        dwh = hs[:-1].reshape(steps * batch, nh).T @ dz2
        db = dz2.sum(axis=0)
        return loss, (dwx, dwh, db)

    def autograd_st(self, arrays):
        xs, h0 = arrays[:2]
        net = RNN(*arrays[2:], steps=xs.shape[0])
        g = ops.value_and_grad(net, grad_position=None, weights=net.trainable_params())
        txs, th = Tensor(xs), Tensor(h0)

        def call():
            return g(txs, th)
        call.grad_fn = g
        call.args = (txs, th)
        call.net = net
        return call, _st_extract(True)


# =======================================================================================
# W5: a 20-operation expression on a vector of 10
# =======================================================================================

def expr20(x):
    a = x * x
    b = np.sin(a)
    c = b + x
    d = np.tanh(c)
    e = d * 0.5
    f = np.exp(e)
    g = f - x
    h = g * c
    i = np.cos(h)
    j = i + d
    k = j * j
    l = k + 1.0
    m = np.sqrt(l)
    n = f + 1.0
    o = m / n
    p = np.tanh(o)
    q = p * b
    r = q + a
    s = np.sin(r)
    return np.sum(s)


class W5(Workload):
    name = "W5"
    title = "20-op expression, n=10"
    wrt = (0,)

    def make(self, small=False, dtype=np.float32):
        return (_rng(5).uniform(-1, 1, 10).astype(dtype),)

    def forward(self, x):
        return expr20(x)

    pure = staticmethod(expr20)

    def hand(self, x):
        a = x * x
        b = np.sin(a)
        c = b + x
        d = np.tanh(c)
        e = d * 0.5
        f = np.exp(e)
        g = f - x
        h = g * c
        i = np.cos(h)
        j = i + d
        k = j * j
        l = k + 1.0
        m = np.sqrt(l)
        n = f + 1.0
        o = m / n
        p = np.tanh(o)
        q = p * b
        r = q + a
        s = np.sin(r)
        loss = np.sum(s)
        dr = np.cos(r)
        dq = dr
        da = dr.copy()
        dp = dq * b
        db = dq * p
        do = dp * (1 - p * p)
        dm = do / n
        dn = -do * o / n
        dl = dm * 0.5 / m
        dk = dl
        dj = dk * 2 * j
        di = dj
        dd = dj.copy()
        dh = -di * np.sin(h)
        dg = dh * c
        dc = dh * g
        df = dg + dn
        dx = -dg
        de = df * f
        dd += de * 0.5
        dc += dd * (1 - d * d)
        db += dc
        dx += dc
        da += db * np.cos(a)
        dx += da * 2 * x
        return loss, (dx,)

    def hand_expert(self, x):
        # the same derivation with each shared factor computed once (few ufunc calls: at
        # n = 10 every call costs far more than its arithmetic)
        a = x * x
        b = np.sin(a)
        c = b + x
        d = np.tanh(c)
        f = np.exp(0.5 * d)
        g = f - x
        h = g * c
        i = np.cos(h)
        j = i + d
        m = np.sqrt(j * j + 1.0)
        n = f + 1.0
        o = m / n
        p = np.tanh(o)
        r = p * b + a
        dr = np.cos(r)
        loss = np.sum(np.sin(r))
        do = dr * b * (1 - p * p) / n
        dj = do * j / m
        dh = -dj * np.sin(h)
        dg = dh * c
        dd = dj + (dg - do * o) * f * 0.5  # through j, and through f = exp(d / 2) (g and n)
        dc = dh * g + dd * (1 - d * d)
        dx = dc - dg + (dr * p + dc) * np.cos(a) * 2 * x + dr * 2 * x
        return loss, (dx,)

    def autograd_st(self, arrays, jit=False):
        g = ops.value_and_grad(expr20, grad_position=0)
        if jit:  # ms.jit: the generated code fused by numba (docs/jit.md)
            g = ms_jit(g)
        tx = Tensor(arrays[0])

        def call():
            return g(tx)
        call.grad_fn = g
        call.args = (tx,)
        return call, _st_extract(True)


# =======================================================================================
# W6: sum(tanh(A @ B)), 1024 x 1024
# =======================================================================================

def tanh_matmul(a, b):
    return np.sum(np.tanh(np.matmul(a, b)))


class W6(Workload):
    name = "W6"
    title = "sum(tanh(A@B)), 1024x1024"
    wrt = (0, 1)

    def make(self, small=False, dtype=np.float32):
        r = _rng(6)
        n = 8 if small else 1024
        return (r.standard_normal((n, n)) / np.sqrt(n)).astype(dtype), \
            (r.standard_normal((n, n)) / np.sqrt(n)).astype(dtype)

    def forward(self, a, b):
        return np.sum(np.tanh(a @ b))

    pure = staticmethod(tanh_matmul)

    def hand(self, a, b):
        t = np.tanh(a @ b)
        loss = np.sum(t)
        dc = 1 - t * t
        return loss, (dc @ b.T, a.T @ dc)

    def hand_expert(self, a, b):
        t = a @ b
        np.tanh(t, out=t)
        loss = np.sum(t)
        np.multiply(t, t, out=t)  # 1 - tanh^2 in the same buffer
        np.subtract(1.0, t, out=t)
        return loss, (t @ b.T, a.T @ t)

    def autograd_st(self, arrays):
        g = ops.value_and_grad(tanh_matmul, grad_position=(0, 1))
        ta, tb = Tensor(arrays[0]), Tensor(arrays[1])

        def call():
            return g(ta, tb)
        call.grad_fn = g
        call.args = (ta, tb)
        return call, _st_extract(True)


WORKLOADS = [W1(), W2(), W3(), W4(), W5(), W6(), W7(), W8(), W9()]


def get(name):
    for w in WORKLOADS:
        if w.name == name:
            return w
    raise KeyError(name)
