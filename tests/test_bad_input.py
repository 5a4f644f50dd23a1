"""Bad and unusual input: NaN and inf propagate as numpy does, empty and 0-d tensors, float16
and float64 keep their dtype through gradients, integer inputs as MindSpore, a wrong number of
arguments raises the TypeError calling the function would, and a failure inside a gradient
call leaves the Cell's Parameters as they were."""
import warnings

import numpy as np
import pytest

from autograd_st import Parameter, Tensor, nn, ops


def f(x):
    return ops.sum(ops.tanh(x) * x + x * 2.0)


def fprime(x):
    t = np.tanh(x)
    return (1 - t * t) * x + t + 2.0


SPECIAL = np.array([np.nan, np.inf, -np.inf, 1000.0, 0.0, -2.0, 0.5])
# (function, its derivative written in numpy): NaN, inf, overflow, 0 * inf and division by
# zero come out of the gradient exactly as numpy computes them by hand
ELEMENTWISE = [
    (f, fprime),
    (lambda x: ops.sum(ops.exp(x)), np.exp),
    (lambda x: ops.sum(ops.log(x)), lambda x: 1.0 / x),
    (lambda x: ops.sum(ops.sqrt(x)), lambda x: 0.5 / np.sqrt(x)),
    (lambda x: ops.sum(1.0 / x), lambda x: -1.0 / (x * x)),
    (lambda x: ops.sum(x * x * x), lambda x: 3.0 * x * x),
    (lambda x: ops.sum(ops.abs(x)), np.sign),
    (lambda x: ops.mean(x * 2.0), lambda x: np.full(x.shape, 2.0 / x.size)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("k", range(len(ELEMENTWISE)))
def test_nan_and_inf_propagate_as_numpy_does(k, dtype):
    fn, derivative = ELEMENTWISE[k]
    x = SPECIAL.astype(dtype)
    with np.errstate(all="ignore"):
        got = ops.grad(fn)(Tensor(x)).asnumpy()
        want = derivative(x.astype(np.float64)).astype(dtype)
    assert got.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=1e-6 if dtype == np.float32 else 1e-12,
                               equal_nan=True)  # NaN where numpy has NaN, inf where inf
    assert np.array_equal(np.isnan(got), np.isnan(want))
    assert np.array_equal(np.isposinf(got), np.isposinf(want))
    assert np.array_equal(np.isneginf(got), np.isneginf(want))


def test_numpy_floating_point_settings_hold_inside_gradients():
    x = Tensor(np.array([0.0, 1.0]))
    g = ops.grad(lambda x: ops.sum(ops.log(x)))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy warns; the gradient does too, no more
        with pytest.raises(RuntimeWarning):
            np.log(np.array([0.0]))
        with pytest.raises(RuntimeWarning):
            g(x)
    with np.errstate(divide="raise"):
        with pytest.raises(FloatingPointError):
            np.float64(1.0) / np.array([0.0])
        with pytest.raises(FloatingPointError):
            g(x)
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(g(x).asnumpy(), [np.inf, 1.0])


@pytest.mark.parametrize("shape", [(0,), (2, 0), ()])
def test_empty_and_zero_d(shape):
    x = np.ones(shape) * 0.5
    got = ops.grad(f)(Tensor(x))
    assert got.shape == shape
    np.testing.assert_allclose(got.asnumpy(), fprime(x))


class Dense2(nn.Cell):
    def __init__(self, dtype=np.float64):
        super().__init__()
        self.w = Parameter(Tensor(np.array([[0.5, -1.0], [2.0, 0.25], [1.5, -0.5]], dtype)),
                           name="w")
        self.b = Parameter(Tensor(np.array([0.1, 0.2], dtype)), name="b")

    def construct(self, x):
        return ops.sum(ops.tanh(ops.matmul(x, self.w) + self.b) * 0.5)


def _dense2_grads(x, w, b):
    """Hand-derived gradients of Dense2 (in float64)."""
    t = np.tanh(x @ w + b)
    d = 0.5 * (1 - t * t)
    return d @ w.T, x.T @ d, d.sum(axis=0)


@pytest.mark.parametrize("batch", [0, 1, 3])
def test_an_empty_batch_through_a_cell_with_weights(batch):
    net = Dense2()
    x = np.linspace(-1.0, 1.0, batch * 3).reshape(batch, 3)
    value, (gx, (gw, gb)) = ops.value_and_grad(net, 0, net.trainable_params())(Tensor(x))
    want = _dense2_grads(x, net.w.asnumpy(), net.b.asnumpy())
    assert value.shape == () and gx.shape == (batch, 3)
    assert gw.shape == (3, 2) and gb.shape == (2,)
    for got, w in zip((gx, gw, gb), want):
        np.testing.assert_allclose(got.asnumpy(), w, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(value.asnumpy(), 0.5 * np.tanh(x @ net.w.asnumpy()
                                                             + net.b.asnumpy()).sum())


def test_zero_d_tensors_and_python_scalars():
    def h(x, y):
        return x * x * y + ops.sin(x)
    gx, gy = ops.grad(h, (0, 1))(Tensor(np.array(1.5)), Tensor(np.array(-2.0)))
    assert gx.shape == () and gy.shape == ()
    np.testing.assert_allclose(gx.asnumpy(), 2 * 1.5 * -2.0 + np.cos(1.5))
    np.testing.assert_allclose(gy.asnumpy(), 1.5 ** 2)
    # a function of Python floats only (numpy's style): their gradients, as autograd's
    gx, gy = ops.grad(h, (0, 1))(1.5, -2.0)
    np.testing.assert_allclose([gx, gy], [2 * 1.5 * -2.0 + np.cos(1.5), 1.5 ** 2])
    # with a Tensor (MindSpore's style) a Python number gets none, as in MindSpore 2.10
    gx = ops.grad(h, (0, 1))(Tensor(np.array(1.5)), -2.0)  # the Tensor's alone, bare
    np.testing.assert_allclose(gx.asnumpy(), 2 * 1.5 * -2.0 + np.cos(1.5))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtypes_are_kept(dtype):
    x = np.array([0.25, -0.5], dtype)
    g = ops.grad(f)(Tensor(x))
    assert g.dtype == dtype
    np.testing.assert_allclose(g.asnumpy().astype(np.float64), fprime(x.astype(np.float64)),
                               rtol=5e-3 if dtype == np.float16 else 1e-6)


@pytest.mark.parametrize("dtype", [np.float16, np.float64])
def test_float16_and_float64_kept_through_cells_values_and_higher_orders(dtype):
    rtol = 5e-3 if dtype == np.float16 else 1e-12
    net = Dense2(dtype)
    x = np.array([[1.0, 2.0, -0.5]], dtype)
    value, (gx, (gw, gb)) = ops.value_and_grad(net, 0, net.trainable_params())(Tensor(x))
    assert (value.dtype, gx.dtype, gw.dtype, gb.dtype) == (dtype,) * 4
    want = _dense2_grads(x.astype(np.float64), net.w.asnumpy().astype(np.float64),
                         net.b.asnumpy().astype(np.float64))
    for got, w in zip((gx, gw, gb), want):
        np.testing.assert_allclose(got.asnumpy().astype(np.float64), w, rtol=rtol, atol=rtol)
    t = np.array([0.3, -0.1], dtype)
    second = ops.grad(ops.grad(lambda x: ops.sum(ops.tanh(x))))(Tensor(t))
    assert second.dtype == dtype
    th = np.tanh(t.astype(np.float64))
    np.testing.assert_allclose(second.asnumpy().astype(np.float64), -2 * th * (1 - th * th),
                               rtol=rtol, atol=rtol)
    out, tangent = ops.jvp(lambda x: ops.tanh(x) * 2.0, Tensor(t), Tensor(np.ones(2, dtype)))
    assert out.dtype == dtype and tangent.dtype == dtype
    np.testing.assert_allclose(tangent.asnumpy().astype(np.float64), 2 * (1 - th * th),
                               rtol=rtol, atol=rtol)


def mul_int(x, k):
    return ops.sum(x * k)


def test_integer_input_gradient_takes_the_input_dtype():
    gx, gk = ops.grad(mul_int, grad_position=(0, 1))(Tensor(np.array([1.5, -2.0, 3.0],
                                                                   np.float32)),
                                                    Tensor(np.array([1, 2, 3], np.int32)))
    assert gk.dtype == np.int32
    np.testing.assert_array_equal(gk.asnumpy(), [1, -2, 3])  # 1.5 -> 1 as MindSpore casts
    np.testing.assert_allclose(gx.asnumpy(), [1, 2, 3])


def test_integer_inputs_as_mindspore():
    k = Tensor(np.array([3, -2, 5], np.int32))
    x = Tensor(np.array([0.5, -1.5, 2.25]))
    # not differentiated: an int Tensor is an ordinary operand
    np.testing.assert_allclose(ops.grad(mul_int)(x, k).asnumpy(), [3, -2, 5])
    # differentiated: the true gradient cast to the input's dtype (toward zero)
    gk = ops.grad(mul_int, 1)(x, k)
    assert gk.dtype == np.int32
    np.testing.assert_array_equal(gk.asnumpy(), [0, -1, 2])
    # a function of integers only: the gradient is an integer Tensor too
    gk = ops.grad(lambda k: ops.sum(k * k * 3))(k)
    assert gk.dtype == np.int32
    np.testing.assert_array_equal(gk.asnumpy(), [18, -12, 30])


def dflt(x, k=2.0):
    return ops.sum(x * k)


class OneInput(nn.Cell):
    def construct(self, x):
        return ops.sum(x * 2.0)


T = Tensor(np.ones(2))
WRONG_COUNTS = [(mul_int, (T,)), (mul_int, (T, T, T)), (mul_int, ()), (dflt, (T, T, T)),
                (OneInput(), (T, T)), (OneInput(), ())]


def _type_error(call) -> str:
    with pytest.raises(TypeError) as info:
        call()
    return str(info.value)


@pytest.mark.parametrize("fn, args", WRONG_COUNTS)
def test_wrong_number_of_arguments_is_the_same_type_error(fn, args):
    direct = _type_error(lambda: fn(*args))
    for make in (ops.grad, ops.value_and_grad, ops.GradOperation(),
                 ops.GradOperation(get_all=True), lambda fn: ops.grad(ops.grad(fn))):
        assert _type_error(lambda: make(fn)(*args)) == direct
    # with sens_param the last argument is the sens: the others are counted
    assert _type_error(lambda: ops.GradOperation(sens_param=True)(fn)(*args, T)) == direct


class Shapey(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([[1.0, 2.0], [3.0, 4.0]])), name="w")

    def construct(self, x):
        return ops.sum(ops.matmul(x, self.w))


def _parameters(net):
    return {p.name: p.asnumpy().copy() for p in net.get_parameters()}


def _same(net, before):
    after = _parameters(net)
    assert after.keys() == before.keys()
    for k in before:
        np.testing.assert_array_equal(after[k], before[k], err_msg=k)


class Fails(nn.Cell):
    """Raises in its backward (a user bprop with a bug)."""

    def construct(self, x):
        return x * 2.0

    def bprop(self, x, out, dout):
        return (dout @ np.ones((7, 7)),)


class Normalized(nn.Cell):
    def __init__(self, tail):
        super().__init__()
        self.bn = nn.BatchNorm1d(3)
        self.w = Parameter(Tensor(np.ones((3, 2))), name="w")
        self.tail = tail

    def construct(self, x, y):
        h = self.tail(self.bn(x))
        return ops.sum(ops.matmul(h, self.w) * y)


@pytest.mark.parametrize("tail, y_rows, where", [(nn.ReLU(), 5, "forward"),
                                                 (Fails(), 4, "backward")])
def test_a_failure_after_batchnorm_updated_its_statistics_leaves_parameters_unchanged(
        tail, y_rows, where):
    net = Normalized(tail)
    net.set_train(True)
    x = Tensor(np.linspace(-1.0, 2.0, 12).reshape(4, 3))
    g = ops.value_and_grad(net, 0, net.trainable_params())
    before = _parameters(net)
    with pytest.raises(ValueError):  # numpy's shape error, in the forward or the backward
        g(x, Tensor(np.ones((y_rows, 2))))
    _same(net, before)
    if where == "forward":  # and a good call afterwards updates them exactly once
        g(x, Tensor(np.ones((4, 2))))
        batch = x.asnumpy().mean(axis=0)
        np.testing.assert_allclose(net.bn.moving_mean.asnumpy(), 0.1 * batch, rtol=1e-6)


def test_failure_inside_a_gradient_call_leaves_parameters_unchanged():
    net = Shapey()
    before = net.w.asnumpy().copy()
    g = ops.grad(net, grad_position=0, weights=net.trainable_params())
    with pytest.raises(ValueError):
        g(Tensor(np.ones((3, 5))))  # matmul shape mismatch, raised by numpy
    np.testing.assert_array_equal(net.w.asnumpy(), before)
    gx, (gw,) = g(Tensor(np.ones((3, 2))))  # and it still works afterwards
    np.testing.assert_allclose(gw.asnumpy(), np.full((2, 2), 3.0))
