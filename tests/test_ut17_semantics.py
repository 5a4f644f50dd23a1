"""Issue 17, semantics: what MindSpore's PyNative autodiff unit tests check about custom bprop
results, Python numbers as arguments, Python in differentiated code (closures, *args,
**kwargs, bprop(self, *args)) and float16, each with MindSpore 2.10's numbers and error
classes (measured in the side venv; the ut_sem_* ms_cases hold the recorded values).
Each test names the MindSpore test it follows."""
import contextlib
import inspect
import timeit

import numpy as np
import pytest

import autograd_st
from autograd_st import GradOperation, Parameter, Tensor, context, nn, ops
from autograd_st.errors import BpropShapeError, BpropTypeError, CompileError
from autograd_st.user_grads import GradSource, check_user_grads

ga = GradOperation(get_all=True)
gas = GradOperation(get_all=True, sens_param=True)
F32 = np.float32


@contextlib.contextmanager
def check_bprop(on):
    context.set_context(check_bprop=on)
    try:
        yield
    finally:
        context.set_context(check_bprop=False)


class Twice(nn.Cell):
    """x * 2 whose bprop returns what ``grad`` gives (self.grad * 3)."""

    def __init__(self, grad):
        super().__init__()
        self.grad = grad

    def construct(self, x):
        return x * 2

    def bprop(self, x, out, dout):
        return (self.grad * 3,)


BPROP_LINE = inspect.getsourcelines(Twice.bprop)[1]
X23 = Tensor(np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], F32))
SENS = Tensor(np.array([[1.0, 2.0, 0.0], [0.0, 3.0, 4.0]], F32))
G23 = np.array([[1.1, 2.2, 3.3], [2.0, 3.0, 4.0]], F32)


# ---------------------------------------------------------------------------------------
# a Cell's bprop: its results checked (autograd_st/user_grads.py)
# ---------------------------------------------------------------------------------------

def test_bprop_check_ok():
    # follows test_user_define_bprop_check.py::test_user_define_bprop_check_ok
    with check_bprop(True):
        g = gas(Twice(Tensor(G23)))(X23, SENS)[0]
    assert g.shape == (2, 3) and g.dtype == autograd_st.float32
    np.testing.assert_array_equal(g.asnumpy(), G23 * 3)


def test_bprop_dtype_is_cast_without_check_bprop():
    # follows test_user_define_bprop_check.py::test_user_define_bprop_no_check_dtype; that
    # test expects float16 back, MindSpore 2.10 gives float32 (the input's dtype: measured)
    g16 = Tensor(G23.astype(np.float16))
    g = gas(Twice(g16))(X23, SENS)[0]
    assert g.dtype == autograd_st.float32
    np.testing.assert_array_equal(g.asnumpy(), (G23.astype(np.float16) * 3).astype(F32))


def test_bprop_shape_checked():
    # follows test_user_define_bprop_check.py::test_user_define_bprop_check_shape
    net = Twice(Tensor(np.array([[1.1, 2.2], [2.0, 3.0]], F32)))
    with check_bprop(True), pytest.raises(ValueError) as info:
        gas(net)(X23, SENS)
    msg = str(info.value)
    assert isinstance(info.value, BpropShapeError)
    for words in ("bprop' of net 'Twice'", "%s:%d" % (__file__, BPROP_LINE),
                  "0th argument 'x'", "should have the same shape", "(2, 3)", "(2, 2)"):
        assert words in msg, (words, msg)
    # without check_bprop MindSpore raises RuntimeError ("should be broadcast to expected
    # shape"); ours is a RuntimeError too
    with pytest.raises(RuntimeError, match=r"\(2, 3\), or one it broadcasts to, but got: "
                                           r"\(2, 2\)"):
        gas(net)(X23, SENS)


def test_bprop_dtype_checked():
    # follows test_user_define_bprop_check.py::test_user_define_bprop_check_dtype
    net = Twice(Tensor(G23.astype(np.float16)))
    with check_bprop(True), pytest.raises(TypeError) as info:
        gas(net)(X23, SENS)
    assert isinstance(info.value, BpropTypeError)
    msg = str(info.value)
    for words in ("should have the same dtype", "float32", "float16", "'x'", "Twice"):
        assert words in msg, (words, msg)


def test_bprop_with_a_parameter_in_the_net_runs():
    # follows test_user_define_bprop_check.py::test_user_define_bprop_check_parameter; that
    # test expects RuntimeError, MindSpore 2.10 runs it (measured): the gradient is dout + x
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.par = Parameter(Tensor(G23), name="par")

        def construct(self, x):
            return x * 2 + self.par

        def bprop(self, x, out, dout):
            return dout + x

    for on in (False, True):
        with check_bprop(on):
            g = gas(Net())(X23, SENS)[0]
        np.testing.assert_allclose(g.asnumpy(), SENS.asnumpy() + X23.asnumpy())


class TwoInputs(nn.Cell):
    def __init__(self, ret):
        super().__init__()
        self.ret = ret

    def construct(self, x, y):
        return x * 2 + y

    def bprop(self, x, y, out, dout):
        return self.ret(x, y, dout)


def test_bprop_number_of_gradients():
    # follows test_user_define_bprop_check.py::test_user_define_bprop_check_number and
    # test_cell_bprop.py::test_grad_mul_add_with_wrong_output_num (MindSpore 2.10: TypeError
    # with check_bprop=True, RuntimeError "Grad size should lager than forward inputs"
    # without; ours is both)
    net = TwoInputs(lambda x, y, d: (d,))
    for on in (True, False):
        with check_bprop(on), pytest.raises(TypeError) as info:
            gas(net)(X23, X23, SENS)
        assert isinstance(info.value, RuntimeError)
        assert "which is: 2, but got:1" in str(info.value)
        assert "(x, y)" in str(info.value)
    # more gradients than inputs: the extra ones are ignored without check_bprop
    g = ga(TwoInputs(lambda x, y, d: (d, d * 2, d * 3)))(X23, X23.copy())
    np.testing.assert_array_equal(g[1].asnumpy(), np.full((2, 3), 2.0, F32))
    # X23 passed twice: both positions get the sum d + 2d (MindSpore 2.10 measured)
    g = ga(TwoInputs(lambda x, y, d: (d, d * 2, d * 3)))(X23, X23)
    np.testing.assert_array_equal(g[0].asnumpy(), np.full((2, 3), 3.0, F32))
    np.testing.assert_array_equal(g[1].asnumpy(), np.full((2, 3), 3.0, F32))
    with check_bprop(True), pytest.raises(TypeError, match="which is: 2, but got:3"):
        ga(TwoInputs(lambda x, y, d: (d, d * 2, d * 3)))(X23, X23)


def test_bprop_gradient_that_is_not_a_tensor():
    # follows test_cell_bprop.py::test_grad_mul_add_with_wrong_output_type and _shape
    ones = Tensor(np.ones([2, 2], F32))
    wrong_type = TwoInputs(lambda x, y, d: (2 * d, 2))
    with check_bprop(True), pytest.raises(TypeError, match=r"1th return value\(gradient of the "
                                                           r"1th argument 'y'\) should be "
                                                           r"Tensor, but got int"):
        ga(wrong_type)(ones, ones)
    with pytest.raises(RuntimeError):  # MindSpore 2.10 without check_bprop: RuntimeError
        ga(wrong_type)(1, ones)
    wrong_shape = TwoInputs(lambda x, y, d: (2, Tensor(np.ones([2], F32))))
    with pytest.raises(RuntimeError, match=r"\(2, 2\), or one it broadcasts to, but got: "
                                           r"\(2,\)"):
        ga(wrong_shape)(1, ones)
    with check_bprop(True), pytest.raises(ValueError, match="should have the same shape"):
        ga(wrong_shape)(1, ones)  # the int input's gradient (2) is not checked


def test_bprop_results_fitted_as_mindspore_does():
    # MindSpore 2.10 without check_bprop (measured; ms_case ut_sem_bprop_check): a gradient
    # the input broadcasts to is summed to the input's shape, the dtype cast, None is zero,
    # a bare Tensor or a list stands for the tuple
    x3 = Tensor(np.array([1.0, 2.0, 3.0], F32))

    def grad_of(ret, x=x3):
        return ga(_Returns(ret))(x)[0]
    g = grad_of(lambda x, d: (Tensor(np.arange(6, dtype=F32).reshape(2, 3)),))
    np.testing.assert_array_equal(g.asnumpy(), [3.0, 5.0, 7.0])
    g = grad_of(lambda x, d: (Tensor(np.array([1.5, 2.5, 3.5])),))
    assert g.dtype == autograd_st.float32
    g = grad_of(lambda x, d: (Tensor(np.ones(3, F32) * 1.5),), Tensor(np.ones(3, np.int32)))
    assert g.dtype == autograd_st.int32 and g.asnumpy().tolist() == [1, 1, 1]
    np.testing.assert_array_equal(grad_of(lambda x, d: (None,)).asnumpy(), [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(grad_of(lambda x, d: d * 3).asnumpy(), [3.0, 3.0, 3.0])
    np.testing.assert_array_equal(grad_of(lambda x, d: [d * 4]).asnumpy(), [4.0, 4.0, 4.0])
    with pytest.raises(RuntimeError):  # a 0-d gradient for a (3,) input
        grad_of(lambda x, d: (Tensor(F32(4.0)),))
    with check_bprop(True):
        for bad in ((None,), [x3], (Tensor(np.ones(3)),)):
            with pytest.raises(TypeError):
                grad_of(lambda x, d, bad=bad: bad)


class _Returns(nn.Cell):
    def __init__(self, ret):
        super().__init__()
        self.ret = ret

    def construct(self, x):
        return x * 2

    def bprop(self, x, out, dout):
        return self.ret(x, dout)


def test_bprop_taking_star_args():
    # follows grad/test_auto_grad.py::test_auto_grad_bprop_net: bprop(self, *args) gets
    # (*inputs, out, dout)
    class CustomBpropNet(nn.Cell):
        def construct(self, x):
            y = x * x
            return y + y

        def bprop(self, *args):
            return args[0] * 4,

    g = ops.grad(CustomBpropNet())(Tensor(np.array([2.0], F32)))
    np.testing.assert_array_equal(g.asnumpy(), [8.0])

    class Two(nn.Cell):
        def construct(self, x, y):
            return x * y

        def bprop(self, *args):
            x, y, out, dout = args
            return y * dout, x * dout + out

    gx, gy = ga(Two())(Tensor(np.array([2.0])), Tensor(np.array([5.0])))
    assert (gx.asnumpy(), gy.asnumpy()) == ([5.0], [12.0])  # MindSpore 2.10: 5, 12


def test_bprop_of_a_sub_cell_with_python_numbers():
    # follows test_cell_bprop.py::test_grad_inline_mul_add, with Tensors (2.10's numbers:
    # 3 and 6 per element; with ints it gives ())
    class MulAdd(nn.Cell):
        def construct(self, x, y):
            return 2 * x + y

        def bprop(self, x, y, out, dout):
            return 2 * dout, 2 * y

    class Inline(nn.Cell):
        def __init__(self):
            super().__init__()
            self.mul_add = MulAdd()
            self.param = 2

        def construct(self, x, y):
            return self.mul_add(x, y) + x + self.param * y

    x = Tensor(np.ones((2, 2), F32))
    y = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], F32))
    gx, gy = ga(Inline())(x, y)
    np.testing.assert_array_equal(gx.asnumpy(), np.full((2, 2), 3.0))
    np.testing.assert_array_equal(gy.asnumpy(), 2 * y.asnumpy() + 2)
    assert ga(Inline())(1, 2) == ()
    assert ga(MulAdd())(1, 2) == ()


# ---------------------------------------------------------------------------------------
# register_vjp rules: the same check
# ---------------------------------------------------------------------------------------

def cube(x):
    return x * x * x


@autograd_st.register_vjp(cube)
def _cube_vjp(dout, out, x):
    return (np.broadcast_to(3 * x * x * dout, (4,) + np.shape(x)) / 4.0,)  # summed back


def bad_shape(x):
    return x * 2.0


@autograd_st.register_vjp(bad_shape)
def _bad_shape_vjp(dout, out, x):
    return (np.ones(7),)


def too_few(x, y):
    return x * y


@autograd_st.register_vjp(too_few)
def _too_few_vjp(dout, out, x, y):
    return (dout * y,)


def test_register_vjp_results_are_checked():
    x = np.array([1.0, -2.0, 0.5])
    g = ops.grad(lambda t: ops.sum(cube(t)))(Tensor(x))
    np.testing.assert_allclose(g.asnumpy(), 3 * x * x)
    with pytest.raises(BpropShapeError) as info:
        ops.grad(lambda t: ops.sum(bad_shape(t)))(Tensor(x))
    msg = str(info.value)
    assert "register_vjp for 'bad_shape'" in msg and "(3,)" in msg and "(7,)" in msg
    assert "%s:%d" % (__file__, inspect.getsourcelines(_bad_shape_vjp)[1]) in msg
    with pytest.raises(BpropTypeError, match="which is: 2, but got:1"):
        ops.grad(lambda a, b: ops.sum(too_few(a, b)), (0, 1))(Tensor(x), Tensor(x))


def square(x):
    return x * x


@autograd_st.register_vjp(square)
def _square_vjp(dout, out, x):
    return (2.0 * x * dout,)


def sum_square_cubed(s):
    return ops.sum(square(s) * s)


def grad_sum_square_cubed(t):
    return ops.sum(ops.grad(sum_square_cubed)(t))


def test_register_vjp_second_order_goes_through_the_check():
    x = np.array([1.0, -2.0, 0.5])
    g2 = ops.grad(grad_sum_square_cubed)(Tensor(x))
    np.testing.assert_allclose(g2.asnumpy(), 6 * x)


def test_the_check_costs_a_shape_and_dtype_compare():
    """Per call with nothing to fix: about as much as a few attribute reads (measured in
    the same run against a call that only builds the tuple)."""
    x = np.ones((3, 4), F32)
    grads = (np.ones((3, 4), F32), np.ones((3, 4), F32))
    source = GradSource("method 'bprop' of net 'N'", test_bprop_check_ok, ("x", "y"))
    assert check_user_grads(grads, (x, x), source, False)[0] is grads[0]  # not copied

    def plain():
        return tuple(g for g in grads)
    checked = min(timeit.repeat(lambda: check_user_grads(grads, (x, x), source, False),
                                number=2000, repeat=5))
    base = min(timeit.repeat(plain, number=2000, repeat=5))
    assert checked / 2000 < 20e-6, checked / 2000  # (about 1 microsecond here)
    assert checked < 20 * base


# ---------------------------------------------------------------------------------------
# Python numbers as arguments
# ---------------------------------------------------------------------------------------

def mul_add(x, y):
    return 2 * x + y


def test_python_numbers_get_no_gradient():
    # follows test_cell_bprop.py::test_grad_mul_add / test_with_no_bprop (C.grad_all(...)(1, 2)
    # written with 2.10's GradOperation(get_all=True)); MindSpore 2.10 gives () (measured,
    # ms_case ut_sem_number_grads)
    t = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], F32))
    assert ga(mul_add)(1, 2) == ()
    assert ga(mul_add)(1.0, 2.0) == ()
    assert GradOperation()(mul_add)(1, 2) == ()
    assert GradOperation()(mul_add)(1, t) == ()
    assert ops.grad(mul_add)(1, 2) == ()
    assert ops.grad(mul_add, grad_position=(0, 1))(1, 2) == ()
    assert ops.grad(mul_add, grad_position=1)(t, 2) == ()
    value, grads = ops.value_and_grad(mul_add)(1, 2)
    assert value == 4 and grads == ()
    # mixed: the numbers are left out
    (g,) = ga(mul_add)(1, t)
    np.testing.assert_array_equal(g.asnumpy(), np.ones((2, 2)))
    (g,) = ga(mul_add)(t, 1.5)
    np.testing.assert_array_equal(g.asnumpy(), np.full((2, 2), 2.0))
    g = ops.grad(mul_add, grad_position=(0, 1))(t, 2)  # one Tensor left: bare, as 2.10
    np.testing.assert_array_equal(g.asnumpy(), np.full((2, 2), 2.0))


# ---------------------------------------------------------------------------------------
# Python in differentiated code
# ---------------------------------------------------------------------------------------

def grad_refactor_1(a, b):
    def inner(x, y):
        return x * y
    return inner(a, b)


def grad_refactor_2(a, b):
    def inner(x):
        return x * b
    return inner(b) * inner(a)


def test_closure_gradients():
    # follows test_framstruct.py::test_grad_refactor_1 and test_grad_refactor_2 (int32
    # Tensors: int32 gradients, as MindSpore 2.10)
    i32 = autograd_st.int32
    g = ga(grad_refactor_1)(Tensor(2, dtype=i32), Tensor(3, dtype=i32))
    assert [int(v.asnumpy()) for v in g] == [3, 2] and g[0].dtype == i32
    g = ga(grad_refactor_2)(Tensor(2, dtype=i32), Tensor(3, dtype=i32))
    assert [int(v.asnumpy()) for v in g] == [27, 54]
    a, b = np.array([2.0, -1.0]), np.array([3.0, 0.5])
    ga_, gb = ga(grad_refactor_2)(Tensor(a), Tensor(b))
    np.testing.assert_allclose(ga_.asnumpy(), b ** 3)  # f = a b^3
    np.testing.assert_allclose(gb.asnumpy(), 3 * a * b * b)


class KwNet(nn.Cell):
    def construct(self, x, y, *arg, **kwargs):
        return 2 * x + 3 * y + 4 * arg[0] + 5 * kwargs['v']


class GradKwNet(nn.Cell):
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.grad_all_with_sens = GradOperation(get_all=True, sens_param=True)

    def construct(self, x, y, *arg, **kwargs):
        return self.grad_all_with_sens(self.net)(x, y, *arg, **kwargs)


def test_kwargs_gradients():
    # follows test_kw_and_kwarg.py::test_kw_grad: one gradient per positional argument (the
    # *arg ones included), then one per keyword argument, each in its input's dtype; the
    # sens is the last argument given (sens=...)
    shape = (1, 2, 3)
    x = Tensor(np.ones(shape, np.int32))
    y = Tensor(np.ones(shape, F32))
    z = Tensor(np.ones(shape, np.float64))
    u = Tensor(np.ones(shape, np.float16))
    v = Tensor(np.ones(shape, np.int32))
    w = Tensor(np.ones(shape, np.float64))
    sens = Tensor(np.ones(shape, np.float64))
    ret = KwNet()(x, y, z, u=u, v=v, w=w)
    np.testing.assert_array_equal(ret.asnumpy(), np.full(shape, 14.0))
    want = [(2, autograd_st.int32), (3, autograd_st.float32), (4, autograd_st.float64),
            (0, autograd_st.float16), (5, autograd_st.int32), (0, autograd_st.float64)]
    for grads in (GradKwNet(KwNet())(x, y, z, u=u, v=v, w=w, sens=sens),
                  gas(KwNet())(x, y, z, u, v=v, w=w, sens=sens)):
        assert len(grads) == 6
        for g, (value, dtype) in zip(grads, want):
            assert g.dtype == dtype
            np.testing.assert_array_equal(g.asnumpy(), np.full(shape, value))


def test_float16_gradient_dtype():
    # follows test_kw_and_kwarg.py::test_grad: each gradient has its input's dtype (int32,
    # float32, float16), with a float32 sens, as in MindSpore 2.10
    class Net(nn.Cell):
        def construct(self, x, y, z):
            return 2 * x + 3 * y + 4 * z

    shape = (1, 2, 3)
    x = Tensor(np.ones(shape, np.int32))
    y = Tensor(np.ones(shape, F32))
    z = Tensor(np.ones(shape, np.float16))
    np.testing.assert_array_equal(Net()(x, y, z).asnumpy(), np.full(shape, 9.0))
    grads = gas(Net())(x, y, z, Tensor(np.ones(shape, F32)))
    assert [g.dtype for g in grads] == [autograd_st.int32, autograd_st.float32,
                                        autograd_st.float16]
    assert [float(g.asnumpy()[0, 0, 0]) for g in grads] == [2.0, 3.0, 4.0]


def _star(a, *rest, scale=1.0, **named):
    return a * rest[0] * scale + named["shift"] * rest[1]


def test_star_args_and_kwargs_of_a_called_function_against_finite_differences():
    def f(x, y):
        return ops.sum(_star(x, ops.sin(y), x * y, scale=3.0, shift=ops.cos(x)))

    x, y = np.array([0.3, -1.2, 2.0]), np.array([1.5, 0.25, -0.7])
    autograd_st.check_grads(f, (Tensor(x), Tensor(y)), modes=("rev",))
    gx, gy = ops.grad(f, (0, 1))(Tensor(x), Tensor(y))
    np.testing.assert_allclose(gx.asnumpy(), 3 * np.sin(y) - np.sin(x) * x * y
                               + np.cos(x) * y)
    np.testing.assert_allclose(gy.asnumpy(), 3 * x * np.cos(y) + np.cos(x) * x)


def test_keyword_only_parameters_of_the_differentiated_function():
    def f(x, *, scale=2.0):
        return ops.sum(x * x * scale)

    x = np.array([1.0, -3.0])
    np.testing.assert_allclose(ops.grad(f)(Tensor(x)).asnumpy(), 4 * x)
    np.testing.assert_allclose(ops.grad(f)(Tensor(x), scale=0.5).asnumpy(), x)


def test_bprop_arity_still_checked():
    class Wrong(nn.Cell):
        def construct(self, x):
            return x * 2

        def bprop(self, x, dout):
            return (dout,)

    with pytest.raises(CompileError, match="takes 2 arguments after self"):
        ops.grad(Wrong())(Tensor(np.ones(2)))


def test_tuple_parameter():
    # follows test_tuple_parameter.py::test_net
    class Block1(nn.Cell):
        def construct(self, tuple_xy):
            x, y = tuple_xy
            return ops.mul(x, y)

    class Net1(nn.Cell):
        def __init__(self):
            super().__init__()
            self.block = Block1()

        def construct(self, x, y):
            return self.block((x, y))

    class Block2(nn.Cell):
        def construct(self, x, y):
            z1 = x * y
            return (z1, (z1 + x, z1 + y))

    class Net2(nn.Cell):
        def __init__(self):
            super().__init__()
            self.block = Block2()

        def construct(self, x, y):
            z1, (z2, z3) = self.block(x, y)
            return z1 + z2 + z3

    x = Tensor(np.ones([1, 1, 3, 3], F32) * 2)
    y = Tensor(np.ones([1, 1, 3, 3], F32) * 3)
    gx, gy = ga(Net1())(x, y)
    np.testing.assert_array_equal(gx.asnumpy(), y.asnumpy())
    np.testing.assert_array_equal(gy.asnumpy(), x.asnumpy())
    gx, gy = ga(Net2())(x, y)
    np.testing.assert_array_equal(gx.asnumpy(), np.full((1, 1, 3, 3), 10.0))
    np.testing.assert_array_equal(gy.asnumpy(), np.full((1, 1, 3, 3), 7.0))


class NormalNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.p1 = Parameter(Tensor([1], dtype=autograd_st.float32))
        self.p2 = Parameter(Tensor([2], dtype=autograd_st.float32))

    def construct(self, x):
        return (x + self.p1) * self.p2


def test_auto_grad_weights_sens_and_value_and_grad():
    # follows grad/test_auto_grad.py::test_auto_grad_weights_grad, _with_sens,
    # _by_position (the first halves: set_inputs is another helper's)
    x = Tensor([1.0], autograd_st.float32)
    net = NormalNet()
    grads = GradOperation(get_all=True, get_by_list=True)(net, [net.p1])(x)
    assert grads[0][0].asnumpy().tolist() == [2.0] and grads[1][0].asnumpy().tolist() == [2.0]
    grads = GradOperation(get_all=True, get_by_list=True, sens_param=True)(net, [net.p1])(
        Tensor([2.0], autograd_st.float32), Tensor([1.0], autograd_st.float32))
    assert grads[0][0].asnumpy().tolist() == [2.0]
    value, g = ops.value_and_grad(NormalNet())(x)
    assert value.asnumpy().tolist() == [4.0] and g.asnumpy().tolist() == [2.0]


def test_auto_grad_return_param_and_stop_gradient():
    # follows grad/test_auto_grad.py::test_auto_grad_return_param and _stop_gradient
    class ParamNet(nn.Cell):
        def __init__(self):
            super().__init__()
            self.p1 = Parameter(Tensor([2], dtype=autograd_st.float32))

        def construct(self, x):
            return self.p1

    class StopGradientNet(nn.Cell):
        def __init__(self):
            super().__init__()
            self.p1 = Parameter(Tensor([2], dtype=autograd_st.float32))

        def construct(self, x):
            y = ops.stop_gradient(x * x)
            return y * self.p1

    x = Tensor([2.0], autograd_st.float32)
    grads = GradOperation(get_all=True, get_by_list=True)(ParamNet())(x)
    assert grads[0][0].asnumpy().tolist() == [0.0] and grads[1][0].asnumpy().tolist() == [1.0]
    grads = GradOperation(get_all=True, get_by_list=True)(StopGradientNet())(x)
    assert grads[0][0].asnumpy().tolist() == [0.0] and grads[1][0].asnumpy().tolist() == [4.0]


def test_auto_grad_concat_and_stack():
    # follows grad/test_auto_grad.py::test_auto_grad_multi_input_op and _stack_op
    x, y = Tensor([1.0], autograd_st.float32), Tensor([2.0], autograd_st.float32)
    for op in (ops.concat, ops.stack):
        gx, gy = ga(lambda a, b, op=op: op((a, b), 0))(x, y)
        assert gx.asnumpy().tolist() == [1.0] and gy.asnumpy().tolist() == [1.0]


def test_first_input_among_structures():
    # follows test_outermost_non_tensor_input.py::test_grad_first_input_net
    class FirstInputTensorNet(nn.Cell):
        def construct(self, tensor_x, tuple_a, list_b, tensor_y, tensor_z, dict_c):
            return tensor_x + tuple_a[0] - list_b[1][1]["y"] + tensor_y - tensor_z \
                + dict_c["y"]

    x = Tensor(np.ones((2, 2), F32))
    y, z, w = x * 2, x * 3, x * 4
    arg_l0 = [[x, x], [[x, y], {"x": x, "y": y, "z": x, "p": y}]]
    g = GradOperation()(FirstInputTensorNet())(z, (x, y, z, w), arg_l0, w, y, {"x": x, "y": y})
    np.testing.assert_array_equal(g.asnumpy(), np.ones((2, 2)))


def _scaled_square(x, *, s=2.0, **kw):
    return x * x * s


def _affine_rest(x, *rest):
    return x * rest[0] + rest[1]


def test_jvp_of_functions_with_keyword_only_parameters_and_star_args():
    x = np.array([1.0, 3.0])
    out, tangent = ops.jvp(_scaled_square, (Tensor(x),), (Tensor(np.ones(2)),))
    np.testing.assert_allclose(out.asnumpy(), 2 * x * x)
    np.testing.assert_allclose(tangent.asnumpy(), 4 * x)
    np.testing.assert_allclose(ops.grad(_scaled_square)(Tensor(x), s=1.0).asnumpy(), 2 * x)
    out, tangent = ops.jvp(_affine_rest, (Tensor(x),) * 3, (Tensor(np.ones(2)),) * 3)
    np.testing.assert_allclose(tangent.asnumpy(), 2 * x + 1)


class _TupleIn(nn.Cell):
    def construct(self, xy, s):
        x, y = xy
        return x * y * s

    def bprop(self, xy, s, out, dout):
        x, y = xy
        return (dout * y * 10, dout * x * 100), 0.0


class _UsesTupleIn(nn.Cell):
    def __init__(self):
        super().__init__()
        self.inner = _TupleIn()

    def construct(self, a, b):
        return ops.sum(self.inner((a, b), 2.0))


def test_bprop_of_a_cell_taking_a_tuple_and_a_number():
    # the bprop gets the tuple and the Python number as given; its tuple's gradients flow to
    # the Tensors inside
    a, b = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    ga_, gb = ga(_UsesTupleIn())(Tensor(a), Tensor(b))
    np.testing.assert_allclose(ga_.asnumpy(), 10 * b)
    np.testing.assert_allclose(gb.asnumpy(), 100 * a)
