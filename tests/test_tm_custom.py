"""ops.Custom(func_type="pyfunc"): forward on numpy values, gradient from its bprop, checked
against central finite differences of the composed function; refusals."""
import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Tensor, nn, ops
from autograd_st.errors import CustomOutputError, MissingBpropError
from tests.helpers import fd


def _cube_op():
    grad_op = ops.Custom(lambda x, d: (3.0 * x * x * d).astype(x.dtype), lambda s, t: s,
                         lambda s, t: s, func_type="pyfunc")

    def bprop(x, out, dout):
        return (grad_op(x, dout),)
    return ops.Custom(lambda x: x ** 3, lambda s: s, lambda t: t, bprop=bprop,
                      func_type="pyfunc")


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.cube = _cube_op()
        self.scale = ms.Parameter(Tensor(np.array([0.7, -1.2, 0.4])), name="scale")

    def construct(self, x):
        return (ops.tanh(self.cube(x * self.scale)) * x).sum()


def test_gradient_by_input_and_weight_matches_finite_differences():
    net = Net()
    x = np.array([[0.3, -0.8, 1.1], [0.5, 0.2, -0.4]])
    s = net.scale.asnumpy().copy()

    def ref(xv, sv):
        return float((np.tanh((xv * sv) ** 3) * xv).sum())

    gx = ms.grad(net)(Tensor(x)).asnumpy()
    np.testing.assert_allclose(gx, fd(lambda v: ref(v, s), x), rtol=1e-6, atol=1e-8)
    _, (gs,) = ms.value_and_grad(net, None, net.trainable_params())(Tensor(x))
    np.testing.assert_allclose(gs.asnumpy(), fd(lambda v: ref(x, v), s), rtol=1e-6,
                               atol=1e-8)
    assert isinstance(net.cube, ops.Custom) and type(net.cube).__name__ == "Custom"


def test_several_outputs_and_declared_shapes():
    two = ops.Custom(lambda a, b: (a + b, a * b), lambda s, t: (s, s), (ms.float32, ms.float32),
                     func_type="pyfunc")
    p, q = two(Tensor(np.array([1.0, 2.0], np.float32)), Tensor(np.array([3.0, 5.0], np.float32)))
    assert p.asnumpy().tolist() == [4.0, 7.0] and q.asnumpy().tolist() == [3.0, 10.0]


def test_refusals():
    x = Tensor(np.ones(3, np.float32))
    bad = ops.Custom(lambda a: a.astype(np.float64), lambda s: s, lambda t: t,
                     func_type="pyfunc")
    with pytest.raises(CustomOutputError, match="float64.*declare float32"):
        bad(x)
    no_grad = ops.Custom(lambda a: a * 2, lambda s: s, lambda t: t, func_type="pyfunc")
    with pytest.raises(MissingBpropError):
        ms.grad(lambda t: no_grad(t).sum())(x)
    with pytest.raises(TypeError, match="only func_type='pyfunc'"):
        ops.Custom("./kernel.so:add", (3,), ms.float32, func_type="aot")
