"""``autograd_st.numpy`` (``mindspore.numpy``): numpy's names over Tensors, MindSpore's
default dtypes for creation (measured in MindSpore 2.10), and gradients through them."""
import numpy as np

import autograd_st as ms
import autograd_st.numpy as mnp
from autograd_st import Tensor, numerical_grad, ops


def test_creation_takes_mindsporess_default_dtypes():
    assert mnp.ones((2,)).dtype == ms.float32 and mnp.zeros(3).dtype == ms.float32
    assert mnp.arange(5).dtype == ms.int32 and mnp.arange(0.0, 1.0, 0.5).dtype == ms.float32
    assert mnp.array([1, 2]).dtype == ms.int32 and mnp.array([1.0, 2.0]).dtype == ms.float32
    assert mnp.full((2,), 3).dtype == ms.int32
    assert mnp.linspace(0, 1, 3).dtype == ms.float32 and mnp.eye(2).dtype == ms.float32
    assert mnp.full_like(mnp.ones(2), 4).dtype == ms.float32
    np.testing.assert_array_equal(mnp.arange(1, 7, 2).asnumpy(), [1, 3, 5])
    np.testing.assert_allclose(mnp.linspace(0, 1, 3).asnumpy(), [0, 0.5, 1])
    x = Tensor(np.ones(2, np.float32))
    assert mnp.asarray(x) is x


def test_numpy_names_compute_as_numpy_and_differentiate():
    x = Tensor(np.array([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]))
    np.testing.assert_allclose(mnp.sum(x, axis=1).asnumpy(), x.asnumpy().sum(1))
    assert mnp.mean(x, axis=0, keepdims=True).shape == (1, 3)
    np.testing.assert_allclose(mnp.dot(x, mnp.ones((3,), ms.float64)).asnumpy(),
                               x.asnumpy().sum(1))

    def f(x):
        w = mnp.arange(3.0)  # made when compiling, a constant
        return mnp.sum(mnp.tanh(x) * w) + mnp.mean(mnp.square(x), axis=0).sum()

    grad = ops.grad(f)(x).asnumpy()
    np.testing.assert_allclose(grad, numerical_grad(f, (x,)), rtol=1e-6, atol=1e-9)


def test_split_as_numpys_and_differentiated():
    """``mindspore.numpy.split`` (mindcv's coat imports it): numpy's parts, and in
    differentiated code the gradient of finite differences."""
    from autograd_st.numpy import split
    x = np.random.default_rng(2).uniform(-1, 1, (4, 6))
    for spec, axis in (([1, 3], 1), (2, 0), (3, 1)):
        got = split(Tensor(x), spec, axis)
        want = np.split(x, spec, axis)
        assert len(got) == len(want)
        for a, b in zip(got, want):
            np.testing.assert_array_equal(a.asnumpy(), b)

    def f(t):
        a, b, c = split(x=t, indices_or_sections=[1, 3], axis=1)
        p, q = split(t, 2, axis=0)
        return (a * 2).sum() + (b * b).sum() + ops.sin(c).sum() + (p * q).sum()
    g = ops.grad(f)(Tensor(x))
    np.testing.assert_allclose(g.asnumpy(), numerical_grad(f, (Tensor(x),)), rtol=1e-6,
                               atol=1e-9)
