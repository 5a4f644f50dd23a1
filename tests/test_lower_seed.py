"""The seed of an output whose value nothing reads is made without that value
(autograd_st/compiler/lower_seed.py): ``matmul_ones(x, y)`` for ``ones_like(np.matmul(x,
y))``, ``sum_ones(v)`` for ``ones_like(np.sum(v))``; the same gradients and the same errors
as computing the value, and the value still computed wherever it is returned or read."""
import numpy as np
import pytest

from autograd_st import Parameter, Tensor, nn, numerical_grad, ops
from autograd_st.runtime import (
    matmul_nt_to,
    matmul_ones,
    matmul_tn_to,
    ones_like,
    ones_matmul_nt,
    ones_matmul_tn,
    sum_ones,
)


@pytest.mark.parametrize("a_shape, b_shape, a_dtype, b_dtype", [
    ((2, 3), (3, 4), np.float32, np.float32),
    ((2, 3), (3, 4), np.float64, np.float64),
    ((2, 3), (3, 4), np.float16, np.float16),
    ((2, 3), (3, 4), np.complex128, np.complex128),
    ((2, 3), (3, 4), np.float32, np.float64),    # promoted: the product's own ones
    ((2, 3), (3, 4), np.int32, np.int32),
    ((3,), (3, 4), np.float32, np.float32),      # a vector: the product's own ones
    ((5, 2, 3), (3, 4), np.float64, np.float64),
    ((1, 1), (1, 1), np.float32, np.float32),
])
def test_matmul_ones_is_the_ones_of_the_product(a_shape, b_shape, a_dtype, b_dtype):
    a = np.ones(a_shape, a_dtype)
    b = np.ones(b_shape, b_dtype)
    want = ones_like(np.matmul(a, b))
    got = matmul_ones(a, b)
    assert type(got) is type(want) and got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(got, want)


def test_matmul_ones_raises_what_the_product_raises():
    a, b = np.ones((2, 3), np.float32), np.ones((4, 2), np.float32)
    with pytest.raises(ValueError) as want:
        np.matmul(a, b)
    with pytest.raises(ValueError) as got:
        matmul_ones(a, b)
    assert str(got.value) == str(want.value)


@pytest.mark.parametrize("value", [np.ones((2, 3), np.float32), np.ones(4, np.float16),
                                   np.arange(5, dtype=np.int8), np.array(2.5), [1.0, 2.0]])
def test_sum_ones_is_the_ones_of_the_sum(value):
    want = ones_like(np.sum(value))
    got = sum_ones(value)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    assert np.shape(got) == np.shape(want) and np.array_equal(got, want)


class _MatMulNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.z = Parameter(Tensor(np.array([0.7], np.float32)), name="z")

    def construct(self, x, y):
        return ops.matmul(x * self.z, y)


def _xy(dtype=np.float32):
    x = np.array([[0.8, 0.6, 0.2], [1.8, 1.3, 1.1]], dtype)
    y = np.array([[0.11, 3.3, 1.1], [1.1, 0.2, 1.4], [1.1, 2.2, 0.3]], dtype)
    return x, y


def test_gradients_only_skip_the_product():
    net = _MatMulNet()
    g = ops.GradOperation()(net)
    x, y = _xy()
    src = g.source(Tensor(x), Tensor(y))
    code = "\n".join(line for line in src.splitlines() if not line.strip().startswith("#"))
    # the ones are not made either: the gradient reads y's row sums
    assert "ones_matmul_nt(_mul, y)" in code and "np.matmul(" not in code
    assert "matmul_ones(" not in code and "ones_like(" not in code
    got = g(Tensor(x), Tensor(y)).asnumpy()
    want = np.ones((2, 3), np.float32) @ y.T * np.float32(0.7)  # d/dx sum((x z) @ y)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, want, rtol=1e-6)
    # the tutorial's printed numbers (float32, sums in order)
    want_bits = np.einsum("ik,jk->ij", np.ones((2, 3), np.float32), y) * np.float32(0.7)
    assert np.array_equal(got, want_bits)


def test_a_returned_value_is_still_computed():
    net = _MatMulNet()
    g = ops.value_and_grad(net, grad_position=0)
    x, y = _xy()
    src = g.source(Tensor(x), Tensor(y))
    assert "matmul_ones(" not in src and "np.matmul(" in src
    value, grad = g(Tensor(x), Tensor(y))
    np.testing.assert_allclose(value.asnumpy(), (x * np.float32(0.7)) @ y, rtol=1e-6)
    np.testing.assert_allclose(grad.asnumpy(), np.ones((2, 3)) @ y.T * 0.7, rtol=1e-6)


def test_a_mismatched_product_raises_as_before():
    g = ops.GradOperation()(_MatMulNet())
    x = np.ones((2, 3), np.float32)
    with pytest.raises(ValueError, match="matmul"):
        g(Tensor(x), Tensor(np.ones((2, 2), np.float32)))


def test_mixed_dtypes_give_the_input_dtype():
    g = ops.GradOperation(get_all=True)(_MatMulNet())
    x, _ = _xy(np.float32)
    _, y = _xy(np.float64)
    dx, dy = g(Tensor(x), Tensor(y))
    assert dx.dtype == Tensor(x).dtype and dy.asnumpy().dtype == np.float64
    np.testing.assert_allclose(dx.asnumpy(), np.ones((2, 3)) @ y.T * 0.7, rtol=1e-6)
    np.testing.assert_allclose(dy.asnumpy(), (x * 0.7).T @ np.ones((2, 3)), rtol=1e-6)


def loss(x):
    return np.sum(np.sin(x) * x)


def test_a_full_sum_seed_skips_the_sum():
    g = ops.grad(loss)
    x = np.linspace(-1.0, 2.0, 7)
    src = g.source(x)
    code = "\n".join(line for line in src.splitlines() if not line.strip().startswith("#"))
    assert "sum_ones(" in code and "np.sum(" not in code
    np.testing.assert_allclose(g(x), np.cos(x) * x + np.sin(x), rtol=1e-12)
    value, grad = ops.value_and_grad(loss)(x)
    np.testing.assert_allclose(value, np.sum(np.sin(x) * x), rtol=1e-12)
    np.testing.assert_allclose(grad, np.cos(x) * x + np.sin(x), rtol=1e-12)


@pytest.mark.parametrize("a_shape, b_shape, a_dtype, b_dtype", [
    ((2, 3), (3, 4), np.float32, np.float32),
    ((5, 7), (7, 1), np.float64, np.float64),
    ((1, 1), (1, 1), np.float32, np.float32),
    ((2, 3), (3, 4), np.float16, np.float16),    # the two calls it stands for
    ((2, 3), (3, 4), np.float32, np.float64),    # promoted: the two calls
    ((3,), (3, 4), np.float64, np.float64),      # a vector: the two calls
    ((5, 2, 3), (3, 4), np.float64, np.float64),  # a batch: the two calls
])
def test_ones_matmul_is_the_gradient_of_the_product_under_ones(a_shape, b_shape, a_dtype,
                                                               b_dtype):
    r = np.random.default_rng(3)
    a = r.standard_normal(a_shape).astype(a_dtype)
    b = r.standard_normal(b_shape).astype(b_dtype)
    ones = matmul_ones(a, b)
    for got, want in ((ones_matmul_nt(a, b), matmul_nt_to(ones, b, a)),
                      (ones_matmul_tn(a, b), matmul_tn_to(a, ones, b))):
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=1e-6 if want.dtype != np.float16 else 1e-3)


def test_ones_matmul_raises_what_the_product_raises():
    a, b = np.ones((2, 3), np.float32), np.ones((4, 2), np.float32)
    with pytest.raises(ValueError) as want:
        np.matmul(a, b)
    for helper in (ones_matmul_nt, ones_matmul_tn):
        with pytest.raises(ValueError) as got:
            helper(a, b)
        assert str(got.value) == str(want.value)


@pytest.mark.parametrize("x_shape, y_shape, z_shape", [
    ((2, 3), (3, 3), (1,)), ((4, 5), (5, 2), (5,)), ((1, 6), (6, 1), (1, 6))])
def test_both_gradients_of_a_product_under_ones_are_its_finite_differences(
        x_shape, y_shape, z_shape):
    class Net(nn.Cell):
        def __init__(self, z):
            super().__init__()
            self.z = Parameter(Tensor(z), name="z")

        def construct(self, x, y):
            return ops.matmul(x * self.z, y)

    r = np.random.default_rng(0)
    x, y, z = (r.standard_normal(s) for s in (x_shape, y_shape, z_shape))
    net = Net(z)
    g = ops.GradOperation(get_all=True, get_by_list=True)(net, net.trainable_params())
    src = g.source(Tensor(x), Tensor(y))
    assert "ones_matmul_nt(" in src and "ones_matmul_tn(" in src
    (dx, dy), (dz,) = g(Tensor(x), Tensor(y))
    for got, i in ((dx, 0), (dy, 1), (dz, 2)):
        want = numerical_grad(lambda x, y, z: np.sum((x * z) @ y), (x, y, z), i)
        np.testing.assert_allclose(got.asnumpy(), want, rtol=1e-7, atol=1e-9)


def test_ones_read_elsewhere_are_still_made():
    class Net(nn.Cell):
        def construct(self, x, y):
            out = ops.matmul(x, y)
            return out * out  # the seed's ones feed the square's gradient first

    x, y = _xy(np.float64)
    g = ops.GradOperation(get_all=True)(Net())
    src = g.source(Tensor(x), Tensor(y))
    assert "ones_matmul" not in src
    dx, dy = g(Tensor(x), Tensor(y))
    np.testing.assert_allclose(dx.asnumpy(), 2 * (x @ y) @ y.T, rtol=1e-12)
    np.testing.assert_allclose(dy.asnumpy(), 2 * x.T @ (x @ y), rtol=1e-12)
