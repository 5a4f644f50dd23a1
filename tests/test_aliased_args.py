"""One Tensor object passed as several arguments: as in MindSpore 2.10 (measured, recorded in
``tests/ms_cases/cases/u22_aliased_args.py``) the gradient at a differentiated position is the
derivative through every argument that is that object, checked here against central
differences of the function of that one Tensor, in float64, on several shapes (broadcasting
between the aliased uses and a distinct argument included)."""
import numpy as np
import pytest
from helpers import assert_close, fd

from autograd_st import Parameter, Tensor, nn, numerical_grad, ops


def f(a, b, c):
    return (ops.sin(a) * b).sum() + (a * c * c).mean()


def np_f(a, b, c):
    return float((np.sin(a) * b).sum() + (a * c * c).mean())


@pytest.mark.parametrize("shape,other", [((3,), (3,)), ((2, 3), (1, 3)), ((2, 1, 4), (3, 4))])
def test_grad_at_an_aliased_position_is_the_whole_derivative(shape, other):
    rng = np.random.default_rng(len(shape))
    x = Tensor(rng.normal(size=shape))
    y = Tensor(rng.normal(size=other))
    xa = x.asnumpy()
    whole = fd(lambda v: np_f(v, v, v), xa.copy())
    assert_close(ops.grad(f, 0)(x, x, x), whole)
    g0, g2 = ops.grad(f, (0, 2))(x, x, x)
    assert_close(g0, whole)
    assert_close(g2, whole)
    # a and c the same object, b another Tensor of a broadcasting shape
    assert_close(ops.grad(f, 0)(x, y, x), fd(lambda v: np_f(v, y.asnumpy(), v), xa.copy()))
    gb = ops.grad(f, 1)(x, y, x)  # b alone: not aliased
    assert_close(gb, fd(lambda v: np_f(xa, v, xa), y.asnumpy().copy()))
    # an equal copy is another object: its gradient stays its own
    assert_close(ops.grad(f, 0)(x, x.copy(), x.copy()),
                 fd(lambda v: np_f(v, xa, xa), xa.copy()))


def test_value_and_grad_with_weights_aux_and_gradoperation_sens():
    rng = np.random.default_rng(5)

    class Pair(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(Tensor(rng.normal(size=(3, 3))), name="w")

        def construct(self, x, y):
            return ops.matmul(x, self.w) * ops.exp(y * 0.1), x.max()

    net = Pair()
    x = Tensor(rng.normal(size=(2, 3)))
    xa, wa = x.asnumpy(), net.w.asnumpy()
    sens = rng.normal(size=(2, 3))

    def np_loss(v, w=wa):
        return float(((v @ w) * np.exp(v * 0.1)).sum())

    (value, aux), (gx, (gw,)) = ops.value_and_grad(net, 0, net.trainable_params(),
                                                   has_aux=True)(x, x)
    assert_close(value, (xa @ wa) * np.exp(xa * 0.1))
    assert_close(aux, xa.max())
    assert_close(gx, fd(np_loss, xa.copy()))
    assert_close(gw, fd(lambda w: np_loss(xa, w), wa.copy()))

    def sens_loss(v):
        return float((((v @ wa) * np.exp(v * 0.1)) * sens).sum())

    got = ops.GradOperation(get_all=True, sens_param=True)(net)(x, x, (Tensor(sens), Tensor(0.0)))
    assert_close(got[0], fd(sens_loss, xa.copy()))
    assert_close(got[1], got[0])


def _inner_f(t, u):
    return ops.sum(ops.sin(t) * u + u * u)


class _InnerGradOfAlias(nn.Cell):
    """A gradient taken inside construct of a function given one value twice."""

    def construct(self, x):
        v = ops.tanh(x) * 1.5
        g = ops.grad(_inner_f, 0)(v, v)
        gv, (gt, gu) = ops.value_and_grad(_inner_f, (0, 1))(v, x), \
            ops.grad(_inner_f, (0, 1))(v, v)
        return ops.sum(g * g) + ops.sum(gt * gu) + gv[0] * 0.0


def test_a_gradient_taken_inside_compiled_code_sums_an_aliased_value_as_a_direct_call():
    """Inside differentiated code, ``ops.grad(f, 0)(v, v)`` is what the direct call gives
    (the gradients of both positions summed, as MindSpore 2.10): the compiled code asks
    the gradient function the same plan (it gave only the first position's part, while
    the direct call summed: a value that differed from the direct call's)."""
    net = _InnerGradOfAlias()
    x = Tensor(np.array([0.3, -0.7, 1.1]))
    v = np.tanh(x.asnumpy()) * 1.5
    want_g = np.cos(v) * v + np.sin(v) + 2 * v  # d/dt + d/du at t = u = v
    direct = float(net(x).asnumpy())
    gt = np.cos(v) * v + np.sin(v) + 2 * v
    np.testing.assert_allclose(direct, np.sum(want_g ** 2) + np.sum(gt * gt), rtol=1e-12)
    value, grad = ops.value_and_grad(net)(x)
    np.testing.assert_allclose(float(value.asnumpy()), direct, rtol=1e-12)
    np.testing.assert_allclose(grad.asnumpy(), numerical_grad(net, (x,), 0), rtol=1e-6,
                               atol=1e-8)
