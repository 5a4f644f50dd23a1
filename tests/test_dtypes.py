"""Every gradient returned for an input, argument or Parameter, has that input's dtype.

MindSpore 2.10 (measured, CPU, PyNative): for ``f(x) = sum(x * c)`` with ``x = [1, 2]`` and a
float64 constant Tensor ``c = [2, 3]``, ``value_and_grad(f)(x)`` gives ``(Float64 8.0,
Float32 [2, 3])`` for a float32 ``x``, ``(Float64 8.0, Float16 [2, 3])`` for float16,
``(Float64 8.0, Int32 [2, 3])`` for int32; a float32 Parameter ``w = [1, 2]`` in
``sum(w * x * c)`` gets ``Float32 [2, 6]`` (value Float64 14.0); a float64 sens for a float32
input gives a Float32 gradient.  The value keeps numpy's promotion (float32 times a float64
Tensor is float64, as in MindSpore); the gradient is cast back.  Gradients are checked against
the closed form and central finite differences in float64.
"""
from __future__ import annotations

import numpy as np
import pytest

import autograd_st
from autograd_st import Parameter, Tensor, nn, numerical_grad, ops

try:
    from .helpers import assert_close
except ImportError:  # run with tests/ on sys.path
    from helpers import assert_close

C64 = Tensor(np.array([2.0, 3.0], np.float64))  # a float64 constant Tensor (a global)
S64 = np.float64(2.5)  # a numpy float64 scalar
X = np.array([1.0, 2.0])
FLOATS = [np.float16, np.float32, np.float64]
TOL = {np.float16: 2e-3, np.float32: 1e-6, np.float64: 1e-12}


def times_c64(x):
    return ops.sum(x * C64)


def times_s64(x):
    return ops.sum(x * S64)


def times_py(x):
    return ops.sum(x * 2.5)


def closure_c64():
    c = Tensor(np.array([2.0, 3.0, -1.0], np.float64))

    def f(x):
        return ops.sum(ops.sin(x) * c)
    return f


@pytest.mark.parametrize("dt", FLOATS)
def test_float_input_times_a_float64_tensor_matches_mindspore(dt):
    x = Tensor(X.astype(dt))
    value, g = ops.value_and_grad(times_c64)(x)
    direct = times_c64(x)
    assert value.dtype == direct.dtype == autograd_st.float64  # the value: numpy's (and MS's)
    assert_close(value, direct.asnumpy(), rtol=0, atol=0)
    assert_close(value, 8.0, rtol=0, atol=0)  # MindSpore 2.10
    assert g.asnumpy().dtype == dt
    assert_close(g, np.array([2.0, 3.0]), rtol=0, atol=0)  # MindSpore 2.10


@pytest.mark.parametrize("dt", FLOATS)
@pytest.mark.parametrize("f", [times_s64, times_py, closure_c64()],
                         ids=["numpy_float64_scalar", "python_float", "closure_tensor"])
def test_gradient_takes_the_input_dtype(dt, f):
    x = Tensor(np.array([0.3, -1.2, 2.0]).astype(dt))
    value, g = ops.value_and_grad(f)(x)
    direct = f(x)
    assert value.dtype == direct.dtype  # the value is what calling f gives
    assert_close(value, direct.asnumpy(), rtol=TOL[dt])
    assert g.asnumpy().dtype == dt
    fd = numerical_grad(f, (Tensor(x.asnumpy().astype(np.float64)),))
    assert_close(g, fd, rtol=max(TOL[dt], 1e-7), atol=TOL[dt])


def test_int_input_times_a_float64_tensor_matches_mindspore():
    x = Tensor(np.array([1, 2], np.int32))
    value, g = ops.value_and_grad(times_c64)(x)
    assert value.dtype == autograd_st.float64
    assert_close(value, 8.0, rtol=0, atol=0)
    assert g.dtype == autograd_st.int32
    np.testing.assert_array_equal(g.asnumpy(), np.array([2, 3], np.int32))  # MindSpore 2.10


def test_mixed_argument_dtypes_each_keep_their_own():
    def f(x, y, n):
        return ops.sum(x * y * n)
    x = Tensor(np.array([1.0, -2.0], np.float32))
    y = Tensor(np.array([0.5, 4.0], np.float64))
    n = Tensor(np.array([3, 1], np.int64))
    gx, gy, gn = ops.grad(f, (0, 1, 2))(x, y, n)
    assert (gx.dtype, gy.dtype, gn.dtype) == (autograd_st.float32, autograd_st.float64,
                                              autograd_st.int64)
    assert_close(gx, np.array([1.5, 4.0]), rtol=0, atol=0)
    assert_close(gy, np.array([3.0, -2.0]), rtol=0, atol=0)
    np.testing.assert_array_equal(gn.asnumpy(), np.array([0, -8]))  # (0.5, -8) cast to int


def test_structured_arguments_keep_each_leaf_dtype():
    def f(xs):
        return ops.sum(xs["a"] * C64) + ops.sum(xs["b"][0] * xs["b"][1] * C64)
    xs = {"a": Tensor(X.astype(np.float16)),
          "b": [Tensor(X.astype(np.float32)), Tensor(X.astype(np.float64))]}
    g = ops.grad(f)(xs)
    assert g["a"].asnumpy().dtype == np.float16
    assert g["b"][0].asnumpy().dtype == np.float32
    assert g["b"][1].asnumpy().dtype == np.float64
    assert_close(g["b"][0], X * np.array([2.0, 3.0]), rtol=0, atol=0)


class ScaledNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="w")
        self.c = Tensor(np.array([2.0, 3.0], np.float64))

    def construct(self, x):
        return ops.sum(self.w * x * self.c)


def test_parameter_gradient_takes_the_parameter_dtype_like_mindspore():
    net = ScaledNet()
    x = Tensor(np.array([1.0, 2.0], np.float32))
    value, (gw,) = ops.value_and_grad(net, None, net.trainable_params())(x)
    assert value.dtype == autograd_st.float64
    assert_close(value, 14.0, rtol=0, atol=0)  # MindSpore 2.10
    assert gw.dtype == autograd_st.float32
    assert_close(gw, np.array([2.0, 6.0]), rtol=0, atol=0)  # MindSpore 2.10
    (gx,), (gw2,) = ops.GradOperation(get_all=True, get_by_list=True)(
        net, net.trainable_params())(x)
    assert gx.dtype == gw2.dtype == autograd_st.float32


def test_float64_sens_for_a_float32_input_gives_a_float32_gradient():
    def f(x):
        return x * C64
    x = Tensor(np.array([1.0, 2.0], np.float32))
    g = ops.GradOperation(sens_param=True)(f)(x, Tensor(np.ones(2, np.float64)))
    assert g.dtype == autograd_st.float32  # MindSpore 2.10
    assert_close(g, np.array([2.0, 3.0]), rtol=0, atol=0)
    _, vjp_fn = ops.vjp(f, x)
    (gv,) = vjp_fn(Tensor(np.array([0.5, -1.0], np.float64)))
    assert gv.dtype == autograd_st.float32
    assert_close(gv, np.array([1.0, -3.0]), rtol=0, atol=0)


def sin_c64(x):
    return ops.sum(ops.sin(x) * C64)


def test_second_derivative_and_its_value_keep_the_input_dtype():
    x = Tensor(np.array([0.3, -1.1], np.float32))
    inner = ops.grad(sin_c64)
    direct = inner(x)
    assert direct.dtype == autograd_st.float32
    value, g2 = ops.value_and_grad(inner)(x)
    assert value.dtype == direct.dtype  # the inner gradient, as calling it gives
    assert_close(value, direct.asnumpy(), rtol=0, atol=0)
    assert g2.dtype == autograd_st.float32
    assert_close(g2, -np.sin(x.asnumpy().astype(np.float64)) * np.array([2.0, 3.0]),
                 rtol=1e-6)


def test_numpy_array_arguments_keep_their_dtype():
    g = ops.grad(times_c64)(X.astype(np.float32))
    assert type(g) is np.ndarray and g.dtype == np.float32
    np.testing.assert_array_equal(g, np.array([2.0, 3.0], np.float32))
