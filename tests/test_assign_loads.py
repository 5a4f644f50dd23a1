"""ops.assign inside a differentiated function: every read of the written Parameter keeps the
value of the moment of the read, in the backward too (compiler/loads.py).  References: central
finite differences of the whole call, the Parameter set back before each evaluation."""
import numpy as np
from helpers import assert_close, numeric

from autograd_st import Parameter, Tensor, nn, ops


class Loop(nn.Cell):
    """w is written before each read: out = sum_i x * c_i, c_i = 2 * i - 1."""

    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, 2.0, -1.0], np.float32)), name="w")

    def construct(self, x):
        out = 0
        i = 0
        while i < 3:
            ops.assign(self.w, Tensor(np.full(3, 2.0 * i - 1.0, np.float32)))
            out = x * self.w + out
            i = i + 1
        return (out * out).sum()


class Chain(nn.Cell):
    """Read, write from the read, read, add in place, read."""

    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, 2.0, -1.5], np.float32)), name="w")

    def construct(self, x):
        y = ops.sin(x) * self.w
        ops.assign(self.w, self.w * 3)
        z = y * self.w
        ops.assign_add(self.w, Tensor(np.array([1.0, -1.0, 0.5], np.float32)))
        return (z * self.w + x * self.w).sum()


def _check(cls, x):
    net = cls()
    w0 = net.w.asnumpy().copy()

    def f(xv):
        net.w.set_data(Tensor(w0))
        return float(net(Tensor(np.asarray(xv, np.float32))).asnumpy())

    want = numeric(f, [x], 0, eps=1e-3)
    net.w.set_data(Tensor(w0))
    value, dx = ops.value_and_grad(net)(Tensor(x))
    assert_close(value, f(x), rtol=1e-6)
    assert_close(dx, want, rtol=2e-3, atol=2e-3)
    return net


def test_loop_reads_each_written_value():
    x = np.array([1.5, -1.0, 0.25], np.float32)
    net = _check(Loop, x)
    # the forward still writes the Parameter: its last value stays
    assert_close(net.w.value(), np.full(3, 3.0, np.float32))
    # by hand: out = 3x, d sum(out^2) / dx = 18x
    net.w.set_data(Tensor(np.zeros(3, np.float32)))
    assert_close(ops.grad(net)(Tensor(x)), 18 * x, rtol=1e-6)


def test_read_write_read_chain():
    x = np.array([1.5, -1.0, 0.25], np.float32)
    net = _check(Chain, x)
    w0 = np.array([0.5, 2.0, -1.5])
    assert_close(net.w.value(), 3 * w0 + np.array([1.0, -1.0, 0.5]), rtol=1e-6)


def test_without_assign_no_snapshot():
    net = nn.Dense(3, 2)
    fn = ops.value_and_grad(net, None, net.trainable_params())
    x = Tensor(np.ones((4, 3), np.float32))
    assert "copy=True" not in fn.source(x)
    loop = Loop()
    fn = ops.value_and_grad(loop)
    assert "self_w_load = np.array(self_w, copy=True)" in fn.source(Tensor(np.ones(3, np.float32)))
