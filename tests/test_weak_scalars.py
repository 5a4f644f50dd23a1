"""MindSpore's dtype rules where numpy's differ, measured in MindSpore 2.10 (CPU, PyNative):

- a numpy scalar meeting a Tensor in an operator acts as the Python number it holds:
  ``Tensor(float32) * np.float64(2.0)`` is Float32 (numpy: float64), ``np.float64(2.0) *
  Tensor(float32)`` too, ``Tensor(int32) * np.int64(2)`` is Int32; inside ``construct`` and in a
  function called with Tensors, under ``value_and_grad`` too (an attention scale
  ``1 / np.sqrt(d)`` keeps a float32 model float32);
- an integer Tensor with a float Tensor takes the float one's dtype (``int32 + float16`` is
  Float16; numpy: float64);
- ``ops.mean`` / ``Tensor.mean`` of an integer Tensor is in its dtype, rounded toward zero
  (``[1, 2, 4]`` -> 2, ``[-1, -2, -4]`` -> -2).

A plain numpy function keeps numpy's rule: its value is what calling it directly gives."""
import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Parameter, Tensor, nn, ops


def _f32(shape=(3,)):
    return Tensor(np.arange(1, 1 + int(np.prod(shape)), dtype=np.float32).reshape(shape))


@pytest.mark.parametrize("make", [
    lambda x: x * np.float64(2.0), lambda x: np.float64(2.0) * x, lambda x: x / np.float64(4.0),
    lambda x: x + np.float32(1.5), lambda x: x - np.float64(0.5), lambda x: x ** np.float64(2.0),
    lambda x: np.float64(1.0) - x,
])
def test_eager_numpy_scalar_keeps_float32(make):
    x = _f32()
    out = make(x)
    assert isinstance(out, Tensor) and out.dtype == ms.float32
    want = make(x.asnumpy().astype(np.float64))
    np.testing.assert_allclose(out.asnumpy(), want, rtol=1e-6)


def test_eager_int_tensor_with_numpy_int_scalar_stays_int32():
    i = Tensor(np.array([1, 2, 3], np.int32))
    out = i * np.int64(2)
    assert out.dtype == ms.int32
    np.testing.assert_array_equal(out.asnumpy(), [2, 4, 6])
    assert (i * np.float64(2.5)).dtype == ms.float32  # as a Python float: float32


def test_int_with_float16_tensor_gives_float16():
    i = Tensor(np.array([1, 2], np.int32))
    h = Tensor(np.array([0.5, 0.25], np.float16))
    for out in (i + h, h + i, i * h):
        assert out.dtype == ms.float16
    np.testing.assert_array_equal((i + h).asnumpy(), np.array([1.5, 2.25], np.float16))
    assert (Tensor(np.ones(2, np.int64)) + h).dtype == ms.float16
    assert (i + Tensor(np.ones(2, np.float64))).dtype == ms.float64
    assert (i / i).dtype == ms.float32


@pytest.mark.parametrize("values,want", [([1, 2, 4], 2), ([-1, -2, -4], -2), ([7], 7)])
def test_mean_of_int_tensor_is_int_rounded_toward_zero(values, want):
    i = Tensor(np.array(values, np.int32))
    for out in (ops.mean(i), i.mean()):
        assert out.dtype == ms.int32
        assert int(out.asnumpy()) == want
    u = Tensor(np.array([[1, 2], [4, 7]], np.uint8))
    out = ops.mean(u, 0)
    assert out.dtype == ms.uint8
    np.testing.assert_array_equal(out.asnumpy(), [2, 4])


class _Attention(nn.Cell):
    def __init__(self, d):
        super().__init__()
        self.scale = 1 / np.sqrt(d)                       # a numpy float64 scalar
        self.w = Parameter(Tensor(np.linspace(-1, 1, d * d).reshape(d, d).astype(np.float32)),
                           name="w")

    def construct(self, q):
        s = ops.matmul(q, self.w) * self.scale
        s = s / np.sqrt(4.0)
        return (s * s).sum(), s


def test_cell_with_numpy_scalar_attribute_stays_float32_under_grad():
    net = _Attention(4)
    q = Tensor(np.linspace(0, 1, 8).reshape(2, 4).astype(np.float32))
    eager = net(q)
    assert [o.dtype for o in eager] == [ms.float32, ms.float32]
    (loss, s), (gw,) = ops.value_and_grad(net, None, net.trainable_params(), has_aux=True)(q)
    assert loss.dtype == ms.float32 and s.dtype == ms.float32 and gw.dtype == ms.float32
    # d/dw sum((q w c)^2) = 2 c^2 q^T (q w), c = 1 / (sqrt(4) * 2)
    qd, wd = q.asnumpy().astype(np.float64), net.w.asnumpy().astype(np.float64)
    c = 1 / np.sqrt(4) / 2.0
    np.testing.assert_allclose(gw.asnumpy(), 2 * c * c * qd.T @ (qd @ wd), rtol=1e-5)
    np.testing.assert_allclose(loss.asnumpy(), ((qd @ wd * c) ** 2).sum(), rtol=1e-5)


def test_function_with_tensors_follows_mindspore_numpy_function_follows_numpy():
    def f(x):
        y = x * np.float64(3.0)
        return (y * y).sum(), y

    (v, y), g = ops.value_and_grad(f, has_aux=True)(_f32())
    assert v.dtype == ms.float32 and y.dtype == ms.float32 and g.dtype == ms.float32
    np.testing.assert_allclose(g.asnumpy(), 18 * np.arange(1, 4), rtol=1e-6)
    # numpy in: numpy's promotion, as calling f directly gives
    x = np.arange(1, 4, dtype=np.float32)
    (v, y), g = ops.value_and_grad(f, has_aux=True)(x)
    assert y.dtype == f(x)[1].dtype == np.float64
    np.testing.assert_allclose(g, 18 * np.arange(1, 4), rtol=1e-6)


_OPS = [
    (lambda x: ops.mul(x, np.float64(2.0)), lambda x: x * 2.0),
    (lambda x: ops.add(np.float64(2.0), x), lambda x: x + 2.0),
    (lambda x: ops.div(x, np.float64(2.0)), lambda x: x / 2.0),
    (lambda x: ops.pow(x, np.float64(2.0)), lambda x: x ** 2.0),
    (lambda x: ops.maximum(x, np.float64(2.0)), lambda x: np.maximum(x, 2.0)),
    (lambda x: ops.where(x > 2.5, x, np.float64(0.5)), lambda x: np.where(x > 2.5, x, 0.5)),
]


@pytest.mark.parametrize("op,ref", _OPS)
def test_ops_with_numpy_scalar_keep_float32_eager_and_compiled(op, ref):
    x = _f32((2, 3))
    out = op(x)
    assert out.dtype == ms.float32
    np.testing.assert_allclose(out.asnumpy(), ref(x.asnumpy().astype(np.float64)), rtol=1e-6)

    def f(x):
        y = op(x)
        return y.sum(), y

    (v, y), g = ops.value_and_grad(f, has_aux=True)(x)
    assert v.dtype == ms.float32 and y.dtype == ms.float32 and g.dtype == ms.float32
    np.testing.assert_allclose(y.asnumpy(), out.asnumpy())
    xd, eps = x.asnumpy().astype(np.float64), 1e-6
    fd = np.array([(ref(xd + eps * e).sum() - ref(xd - eps * e).sum()) / (2 * eps)
                   for e in np.eye(xd.size).reshape((xd.size,) + xd.shape)]).reshape(xd.shape)
    np.testing.assert_allclose(g.asnumpy(), fd, rtol=1e-5, atol=1e-6)
