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


def test_nan_and_inf_propagate_as_numpy_does():
    x = np.array([np.nan, 1.0, np.inf, -np.inf])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = ops.grad(f)(Tensor(x)).asnumpy()
        want = fprime(x)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_allclose(got[1], want[1])


@pytest.mark.parametrize("shape", [(0,), (2, 0), ()])
def test_empty_and_zero_d(shape):
    x = np.ones(shape) * 0.5
    got = ops.grad(f)(Tensor(x))
    assert got.shape == shape
    np.testing.assert_allclose(got.asnumpy(), fprime(x))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_float_dtypes_are_kept(dtype):
    x = np.array([0.25, -0.5], dtype)
    g = ops.grad(f)(Tensor(x))
    assert g.dtype == dtype
    np.testing.assert_allclose(g.asnumpy().astype(np.float64), fprime(x.astype(np.float64)),
                               rtol=5e-3 if dtype == np.float16 else 1e-6)


def mul_int(x, k):
    return ops.sum(x * k)


def test_integer_input_gradient_takes_the_input_dtype():
    gx, gk = ops.grad(mul_int, grad_position=(0, 1))(Tensor(np.array([1.5, -2.0, 3.0],
                                                                   np.float32)),
                                                    Tensor(np.array([1, 2, 3], np.int32)))
    assert gk.dtype == np.int32
    np.testing.assert_array_equal(gk.asnumpy(), [1, -2, 3])  # 1.5 -> 1 as MindSpore casts
    np.testing.assert_allclose(gx.asnumpy(), [1, 2, 3])


def test_wrong_number_of_arguments_is_the_same_type_error():
    with pytest.raises(TypeError) as direct:
        mul_int(Tensor(np.ones(2)))
    with pytest.raises(TypeError) as via_grad:
        ops.grad(mul_int)(Tensor(np.ones(2)))
    assert "missing" in str(direct.value) and "missing" in str(via_grad.value)
    with pytest.raises(TypeError):
        ops.grad(mul_int)(Tensor(np.ones(2)), Tensor(np.ones(2)), Tensor(np.ones(2)))


class Shapey(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([[1.0, 2.0], [3.0, 4.0]])), name="w")

    def construct(self, x):
        return ops.sum(ops.matmul(x, self.w))


def test_failure_inside_a_gradient_call_leaves_parameters_unchanged():
    net = Shapey()
    before = net.w.asnumpy().copy()
    g = ops.grad(net, grad_position=0, weights=net.trainable_params())
    with pytest.raises(ValueError):
        g(Tensor(np.ones((3, 5))))  # matmul shape mismatch, raised by numpy
    np.testing.assert_array_equal(net.w.asnumpy(), before)
    gx, (gw,) = g(Tensor(np.ones((3, 2))))  # and it still works afterwards
    np.testing.assert_allclose(gw.asnumpy(), np.full((2, 2), 3.0))
