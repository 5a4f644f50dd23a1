"""jvp (forward mode, its own generated code), vjp, jacfwd, jacrev, Hessians and higher
order, against closed forms, finite differences and the inner-product identity (float64)."""
import numpy as np
import pytest

from autograd_st import Tensor, numerical_grad, numerical_jacobian, numerical_jvp, ops
from autograd_st.errors import GradientAPIError

RNG = np.random.default_rng(7)
X = RNG.uniform(-0.9, 0.9, (3,))
Y = RNG.uniform(-0.9, 0.9, (3,))


def f_vec(x, y):
    return ops.tanh(x * y) + ops.sin(x) * 2.0 - x * x * y


def f_loop(x, y):
    s = x * 0.0
    for i in range(3):
        s = ops.sin(s + x * y * (i + 1))
    if s.sum() > 0:
        s = s * s
    return s


@pytest.mark.parametrize("f", [f_vec, f_loop])
def test_jvp_matches_finite_differences(f):
    vx, vy = RNG.standard_normal(3), RNG.standard_normal(3)
    out, tangent = ops.jvp(f, (Tensor(X), Tensor(Y)), (Tensor(vx), Tensor(vy)))
    np.testing.assert_allclose(out.asnumpy(), f(Tensor(X), Tensor(Y)).asnumpy())
    np.testing.assert_allclose(tangent.asnumpy(),
                               numerical_jvp(f, (Tensor(X), Tensor(Y)), (vx, vy), eps=1e-6),
                               rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("f", [f_vec, f_loop])
def test_jvp_and_vjp_satisfy_the_inner_product_identity(f):
    for _ in range(3):
        v = (RNG.standard_normal(3), RNG.standard_normal(3))
        u = RNG.standard_normal(3)
        _, jv = ops.jvp(f, (Tensor(X), Tensor(Y)), (Tensor(v[0]), Tensor(v[1])))
        _, vjp_fn = ops.vjp(f, Tensor(X), Tensor(Y))
        ux, uy = vjp_fn(Tensor(u))
        lhs = float(np.dot(u, jv.asnumpy()))
        rhs = float(np.dot(ux.asnumpy(), v[0]) + np.dot(uy.asnumpy(), v[1]))
        assert lhs == pytest.approx(rhs, rel=1e-10, abs=1e-12)


def test_jacobians_forward_and_reverse_agree_with_finite_differences():
    jf = ops.jacfwd(f_vec, grad_position=(0, 1))(Tensor(X), Tensor(Y))
    jr = ops.jacrev(f_vec, grad_position=(0, 1))(Tensor(X), Tensor(Y))
    fds = numerical_jacobian(f_vec, (Tensor(X), Tensor(Y)), (0, 1), eps=1e-6)
    for p, fd in enumerate(fds):
        assert fd.shape == (3, 3)
        np.testing.assert_allclose(jf[p].asnumpy(), fd, rtol=1e-6, atol=1e-8)
        np.testing.assert_allclose(jr[p].asnumpy(), fd, rtol=1e-6, atol=1e-8)


def test_jvp_is_its_own_transformation():
    from autograd_st.boundary import compile_jvp as _compiled_jvp
    _, compiled, _ = _compiled_jvp(f_vec, (Tensor(X), Tensor(Y)))
    assert "_dot" in compiled.source and "reversed" not in compiled.source


# -- a Hessian of a small MLP loss, against finite differences of its gradient ---------------
XB = RNG.standard_normal((5, 3))
W2 = RNG.standard_normal((4, 2)) * 0.5
YB = RNG.standard_normal((5, 2))


def mlp_loss(w1):
    h = ops.tanh(ops.matmul(Tensor(XB), w1))
    pred = ops.matmul(h, Tensor(W2))
    return ops.mean(ops.square(pred - Tensor(YB)))


def test_hessian_of_mlp_loss_matches_finite_differences_of_its_gradient():
    w1 = RNG.standard_normal((3, 4)) * 0.5
    H = ops.jacfwd(ops.jacrev(mlp_loss))(Tensor(w1)).asnumpy()
    assert H.shape == (3, 4, 3, 4)
    fd = numerical_jacobian(ops.grad(mlp_loss), (Tensor(w1),), eps=1e-5)
    assert fd.shape == (3, 4, 3, 4)
    np.testing.assert_allclose(H, fd, rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(H.reshape(12, 12), H.reshape(12, 12).T, atol=1e-10)


def _sin_exp(x, y):
    return ops.sin(x) * y + x * x * ops.exp(-y)


def test_jacrev_of_jacrev_is_the_hessian_in_jacfwd_of_jacrevs_layout():
    # (was: AttributeError '_JacRev' object has no attribute '__code__')
    w1 = RNG.standard_normal((3, 4)) * 0.5
    H = ops.jacrev(ops.jacrev(mlp_loss))(Tensor(w1)).asnumpy()
    fd = numerical_jacobian(ops.grad(mlp_loss), (Tensor(w1),), eps=1e-5)
    np.testing.assert_allclose(H, fd, rtol=1e-5, atol=1e-8)
    # a vector output, two positions broadcasting (x: (3,), y: (2, 1) -> out (2, 3))
    x, y = Tensor(RNG.standard_normal(3)), Tensor(RNG.standard_normal((2, 1)))
    got = ops.jacrev(ops.jacrev(_sin_exp, (0, 1)), (0, 1))(x, y)
    for p, first in enumerate((ops.jacrev(_sin_exp, 0), ops.jacrev(_sin_exp, 1))):
        for q in range(2):
            want = numerical_jacobian(first, (x, y), q, eps=1e-5)
            assert got[p][q].shape == want.shape
            np.testing.assert_allclose(got[p][q].asnumpy(), want, rtol=1e-5, atol=1e-7)


# -- higher order -----------------------------------------------------------------------------
def quartic(x):
    return ops.sum(x ** 4 + ops.sin(x))


def two_args(x, y):
    return ops.sum(x * x * y * y * y + ops.exp(x * y))


def test_third_derivative_closed_form():
    x = np.array([0.5, -1.3, 2.0])
    d3 = ops.grad(ops.grad(ops.grad(quartic)))
    np.testing.assert_allclose(d3(Tensor(x)).asnumpy(), 24 * x - np.cos(x), rtol=1e-10)
    d2 = ops.grad(ops.grad(quartic))
    np.testing.assert_allclose(d2(Tensor(x)).asnumpy(), 12 * x ** 2 - np.sin(x), rtol=1e-10)


def dxy_helper(x, y):
    return ops.sum(ops.grad(two_args, grad_position=0)(x, y))


def test_mixed_partial_grad_over_position_one_of_grad_over_position_zero():
    x, y = np.array([0.3, 0.7]), np.array([1.1, -0.4])
    got = ops.grad(dxy_helper, grad_position=1)(Tensor(x), Tensor(y)).asnumpy()
    # d/dy of d/dx [x^2 y^3 + exp(xy)] = 6 x y^2 + exp(xy) + x y exp(xy)
    want = 6 * x * y ** 2 + np.exp(x * y) + x * y * np.exp(x * y)
    np.testing.assert_allclose(got, want, rtol=1e-10)


def test_value_and_grad_of_a_gradient():
    x = np.array([0.5, -1.3])
    value, g2 = ops.value_and_grad(dxy_sum_of_grad)(Tensor(x))
    np.testing.assert_allclose(value.asnumpy(), np.sum(4 * x ** 3 + np.cos(x)), rtol=1e-12)
    np.testing.assert_allclose(g2.asnumpy(), 12 * x ** 2 - np.sin(x), rtol=1e-10)


def dxy_sum_of_grad(x):
    return ops.sum(ops.grad(quartic)(x))


# -- higher order through loops: the gradient's loops recompute their states ------------------
def loop_for(x):
    s = x * 0.0
    for i in range(3):
        s = s + ops.sin(x * (i + 1))
    return ops.sum(s)


def loop_while(x):
    s = x * 1.0
    n = 0
    while n < 3:
        s = ops.tanh(s) * x + s
        n = n + 1
    return ops.sum(s * s)


def loop_with_branch(x):
    s = x * 0.5
    for i in range(4):
        if ops.sum(s) > 0.5:
            s = s * ops.cos(x)
        else:
            s = s + x * x
    return ops.sum(s)


def test_second_derivative_through_a_for_loop_closed_form():
    x = np.array([0.5, 1.0])
    got = ops.grad(ops.grad(loop_for))(Tensor(x)).asnumpy()
    np.testing.assert_allclose(got, -sum((i + 1) ** 2 * np.sin(x * (i + 1)) for i in range(3)),
                               rtol=1e-10)
    third = ops.grad(ops.grad(ops.grad(loop_for)))(Tensor(x)).asnumpy()
    np.testing.assert_allclose(third, -sum((i + 1) ** 3 * np.cos(x * (i + 1))
                                           for i in range(3)), rtol=1e-10)


@pytest.mark.parametrize("f", [loop_while, loop_with_branch])
def test_second_derivative_through_loops_matches_finite_differences_of_the_gradient(f):
    _check_second_derivative(f)


def test_hessian_through_a_loop():
    x = np.array([0.3, -0.6, 0.9])
    H = ops.jacfwd(ops.jacrev(loop_while))(Tensor(x)).asnumpy()
    fd = numerical_jacobian(ops.grad(loop_while), (Tensor(x),), eps=1e-6)
    np.testing.assert_allclose(H, fd, rtol=1e-5, atol=1e-7)


_SUMMED = {}


def lambda_sum_of(g):
    """sum(g(x)) as a compilable function of x (g is a gradient function)."""
    def summed(x):
        return ops.sum(g(x))
    return summed


class _Scale(__import__("autograd_st").nn.Cell):
    def __init__(self):
        super().__init__()
        from autograd_st import Parameter
        self.w = Parameter(Tensor(np.array([2.0, 3.0])), name="w")

    def construct(self, x):
        return x * self.w


def test_vjp_with_weights_returns_input_and_weight_gradients():
    """MindSpore 2.10: vjp_fn(v) -> ((input grads), (weight grads))."""
    net = _Scale()
    x = np.array([1.0, 2.0])
    out, vjp_fn = ops.vjp(net, Tensor(x), weights=net.trainable_params())
    (gx,), (gw,) = vjp_fn(Tensor(np.ones(2)))
    np.testing.assert_allclose(out.asnumpy(), x * [2.0, 3.0])
    np.testing.assert_allclose(gx.asnumpy(), [2.0, 3.0])
    np.testing.assert_allclose(gw.asnumpy(), x)


class _Inner(__import__("autograd_st").nn.Cell):
    def construct(self, x):
        return ops.sum(x * x * x)


class _GradInConstruct(__import__("autograd_st").nn.Cell):
    def __init__(self):
        super().__init__()
        self.net = _Inner()
        self.grad_op = ops.GradOperation()

    def construct(self, x):
        return ops.sum(self.grad_op(self.net)(x))


def test_gradoperation_of_a_cell_whose_construct_calls_gradoperation():
    x = np.array([0.5, -2.0])
    got = ops.GradOperation()(_GradInConstruct())(Tensor(x)).asnumpy()
    np.testing.assert_allclose(got, 6 * x)  # d/dx sum(3 x^2)


def two_loops(x):
    s = x * 1.0
    for i in range(2):
        t = ops.tanh(s) * x
        s = t + x
    for i in range(3):
        t = s * x
        s = ops.sin(t)
    return ops.sum(s)


def test_second_derivative_of_two_loops_sharing_names():
    """Regression (random programs): a name assigned in one loop and again in a later one
    was carried from a value that existed only inside the first loop."""
    _check_second_derivative(two_loops)


def _helper_saves_output(x):
    return ops.tanh(x) * ops.exp(x * 0.5)


def _uses_helper_saving_output(x):
    return ops.sum(_helper_saves_output(x) * x)


def _helper_with_loop(x):
    s = x * 1.0
    for i in range(3):
        s = ops.sin(s) + x
    return s


def _uses_helper_with_loop(x):
    return ops.sum(_helper_with_loop(x) * x)


@pytest.mark.parametrize("f", [_uses_helper_saving_output, _uses_helper_with_loop])
def test_second_derivative_through_helpers(f):
    """Regressions (random programs): a helper whose rules reuse its outputs, and a helper
    holding a loop, under a second derivative."""
    _check_second_derivative(f)


def _check_second_derivative(f):
    """d/dx sum(grad f (x)) against central differences of the gradient, in float64."""
    x = np.array([0.3, -0.6, 0.9])
    g = ops.grad(f)
    h = ops.grad(lambda_sum_of(g))(Tensor(x)).asnumpy()
    fd = numerical_grad(g, (Tensor(x),), eps=1e-6)  # of sum(g(x))
    np.testing.assert_allclose(h, fd, rtol=1e-5, atol=1e-7)


def _one_tuple(x):
    return (x * 2.0,)


def _pair(x):
    return x * 2.0, ops.sum(x)


def test_vjp_cotangent_of_a_one_tuple_output_may_come_bare():
    x = Tensor(np.array([1.0, -2.0, 3.0]))
    v = Tensor(np.array([0.5, 1.5, -1.0]))
    _, vjp_fn = ops.vjp(_one_tuple, x)
    (bare,) = vjp_fn(v)
    (tupled,) = vjp_fn((v,))
    np.testing.assert_allclose(bare.asnumpy(), 2.0 * v.asnumpy(), rtol=1e-15)
    np.testing.assert_allclose(tupled.asnumpy(), 2.0 * v.asnumpy(), rtol=1e-15)


def test_vjp_cotangent_with_the_wrong_structure_is_refused():
    x = Tensor(np.array([1.0, -2.0, 3.0]))
    _, vjp_fn = ops.vjp(_pair, x)
    with pytest.raises(GradientAPIError, match="a tuple of 2"):
        vjp_fn(Tensor(np.ones(3)))
    (g,) = vjp_fn(Tensor(np.ones(3)), Tensor(np.array(2.0)))
    np.testing.assert_allclose(g.asnumpy(), np.full(3, 4.0), rtol=1e-15)
