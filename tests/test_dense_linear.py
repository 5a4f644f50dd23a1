"""nn.Dense's product as one primitive (``linear`` in autograd_st/kernels.py, rules in
rules_nn.py): the same bits as the reshapes, ``matmul_nt`` and ``+ bias`` it replaced, the
bias added into the product's own array only, and derivatives (first and second order, with
and without a bias, N-D inputs) against central differences.  The rule rows with a bias are
in tests/rule_specs.py."""
import numpy as np
import pytest

from autograd_st import Parameter, Tensor, check_grads, nn, ops
from autograd_st.kernels import linear, linear_dw, linear_dx
from autograd_st.runtime import matmul_nt, matmul_tn


def _rng():
    return np.random.default_rng(7)


@pytest.mark.parametrize("xshape", [(5, 3), (2, 4, 3), (3,)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_linear_has_the_bits_of_the_code_it_replaced(xshape, dtype):
    r = _rng()
    x = r.standard_normal(xshape).astype(dtype)
    w = r.standard_normal((4, 3)).astype(dtype)
    b = r.standard_normal(4).astype(dtype)
    x0, w0, b0 = x.copy(), w.copy(), b.copy()
    rows = np.reshape(x, (-1, x.shape[-1]))
    product = matmul_nt(rows, w)
    want = np.reshape(product + b, x.shape[:-1] + (4,))
    got = linear(x, w, b)
    assert got.dtype == want.dtype and got.shape == want.shape
    assert np.array_equal(got, want)
    assert np.array_equal(linear(x, w, None), np.reshape(product, want.shape))
    # nothing the caller holds is written (the bias goes into the product's own array)
    assert np.array_equal(x, x0) and np.array_equal(w, w0) and np.array_equal(b, b0)
    dy = r.standard_normal(want.shape).astype(dtype)
    assert np.array_equal(linear_dx(dy, w, x), np.reshape(np.matmul(np.reshape(dy, (-1, 4)), w),
                                                          x.shape))
    assert np.array_equal(linear_dw(dy, x), matmul_tn(np.reshape(dy, (-1, 4)), rows))


def test_linear_promotes_as_the_addition_does():
    """A bias of another dtype or a shape the product does not have is added as ``+`` adds
    it (a new array of numpy's result dtype and shape), never cast into the product."""
    r = _rng()
    x = r.standard_normal((2, 3)).astype(np.float32)
    w = r.standard_normal((4, 3)).astype(np.float32)
    b64 = r.standard_normal(4)
    out = linear(x, w, b64)
    assert out.dtype == np.float64
    assert np.array_equal(out, matmul_nt(x, w) + b64)
    b2 = r.standard_normal((3, 2, 4)).astype(np.float32)  # broadcasts the product up
    assert np.array_equal(linear(x, w, b2), matmul_nt(x, w) + b2)


class _Net(nn.Cell):
    def __init__(self, has_bias, n_in=3, n_out=4):
        super().__init__()
        r = _rng()
        self.fc = nn.Dense(n_in, n_out, weight_init=Tensor(r.standard_normal((n_out, n_in))),
                           bias_init=Tensor(r.standard_normal(n_out)) if has_bias else None,
                           has_bias=has_bias)

    def construct(self, x):
        return ops.tanh(self.fc(x))


@pytest.mark.parametrize("has_bias", [True, False])
@pytest.mark.parametrize("xshape", [(5, 3), (2, 4, 3), (3,)])
def test_dense_gradients_match_finite_differences(has_bias, xshape):
    net = _Net(has_bias)
    x = _rng().standard_normal(xshape)
    check_grads(net, (Tensor(x),), order=2)
    # the weights' gradients: the parameters as arguments of a function over the layer
    params = net.trainable_params()
    assert len(params) == (2 if has_bias else 1)
    grads = ops.grad(net, grad_position=None, weights=params)(Tensor(x))
    arrays = [p.asnumpy().copy() for p in params]
    for k, (p, g) in enumerate(zip(params, grads)):
        num = np.zeros_like(arrays[k])
        for i in np.ndindex(num.shape):
            for sign in (1, -1):
                moved = arrays[k].copy()
                moved[i] += sign * 1e-6
                p.set_data(Tensor(moved))
                num[i] += sign * float(np.sum(net(Tensor(x)).asnumpy())) / 2e-6
            p.set_data(Tensor(arrays[k]))
        np.testing.assert_allclose(g.asnumpy(), num, rtol=1e-5, atol=1e-7)


def test_dense_bias_parameter_is_never_written():
    net = _Net(True)
    bias = net.fc.bias.asnumpy().copy()
    weight = net.fc.weight.asnumpy().copy()
    x = Tensor(_rng().standard_normal((5, 3)))
    g = ops.value_and_grad(net, grad_position=0, weights=net.trainable_params())
    for _ in range(3):
        net(x)
        g(x)
    assert np.array_equal(net.fc.bias.asnumpy(), bias)
    assert np.array_equal(net.fc.weight.asnumpy(), weight)
    assert isinstance(net.fc.bias, Parameter)
