"""The final lowering (compiler/lower.py): same values as the pure code, never a write into a
user's array or a Parameter, and never in code that is differentiated again."""
import numpy as np

from autograd_st import Parameter, Tensor, nn, ops

from helpers import numeric_grad  # noqa: E402  (tests/helpers.py)


def carried_from_a_constant(x):
    s = 0.0
    for i in range(3):
        m = s * 2.0
        s = m + x  # m is a Python float on the first trip: its taped shape is ()
    return np.sum(s * s)


def straight(x, y):
    a = np.sin(x) * y
    b = np.tanh(a) + x
    return np.sum(b * b)


class Acc(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.linspace(-0.5, 0.5, 12).reshape(3, 4)), name="w")
        self.b = Parameter(Tensor(np.linspace(0.1, 0.4, 4)), name="b")

    def construct(self, x):
        h = x
        for i in range(3):
            h = ops.tanh(ops.matmul(h, self.w) + self.b)[:, :3]
        return ops.sum(h)


def test_a_shape_taped_from_a_python_number():
    x = np.array([0.3, -0.2, 0.5])
    got = ops.grad(carried_from_a_constant)(x)
    np.testing.assert_allclose(got, numeric_grad(carried_from_a_constant, x), rtol=1e-6)
    assert "sum_to(" in ops.grad(carried_from_a_constant).source(x)


def test_inputs_and_parameters_are_never_written():
    x, y = np.array([0.3, -0.7, 0.2]), np.array([1.2, 0.4, -0.5])
    x0, y0 = x.copy(), y.copy()
    g = ops.grad(straight, (0, 1))(x, y)
    np.testing.assert_array_equal(x, x0)
    np.testing.assert_array_equal(y, y0)
    for got, want in zip(g, numeric_grad(straight, x, y, wrt=(0, 1))):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    net = Acc()
    w0, b0 = net.w.asnumpy().copy(), net.b.asnumpy().copy()
    xs = Tensor(np.linspace(-1, 1, 6).reshape(2, 3))
    gfn = ops.grad(net, None, net.trainable_params())
    first = [t.asnumpy().copy() for t in gfn(xs)]
    second = [t.asnumpy() for t in gfn(xs)]  # accumulators are fresh on every call
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(net.w.asnumpy(), w0)
    np.testing.assert_array_equal(net.b.asnumpy(), b0)
    src = gfn.source(xs)
    assert "accumulate" in src and "del " in src


def test_code_differentiated_again_is_not_lowered():
    x = np.array([0.3, -0.2, 0.5])
    gg = ops.grad(ops.grad(carried_from_a_constant))
    np.testing.assert_allclose(gg(x), numeric_grad(ops.grad(carried_from_a_constant), x),
                               rtol=1e-5, atol=1e-7)
    _, names, _ = ops.grad(carried_from_a_constant)._autograd_st_generated([x])
    fn = ops.grad(carried_from_a_constant)._autograd_st_generated([x])[0]
    import inspect
    text = inspect.getsource(fn)
    for lowered in ("accumulate", "sum_to", "del ", "matmul_nt_to", "matmul_tn_to"):
        assert lowered not in text
