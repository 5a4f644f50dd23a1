"""Issue 17, custom primitives: MindSpore's ``mindspore.ops.primitive`` (a primitive class of
the user's own with ``prim_attr_register``, a Python ``__call__`` and a bprop from
``get_bprop()`` or ``bprop_getters``), the primitive classes MindSpore's PyNative unit tests
use (``P.Select``, ``P.Conv2D``, ``P.BiasAdd``, ``P.Split``, ``P.Print``) and
``P.InsertGradientOf`` with several hooks.

The numbers marked "MindSpore 2.10" were measured in /work/ms-venv (CPU); the recorded cases
``ut_prims_*`` (tests/ms_cases) hold more of them.
"""
import importlib
import re

import numpy as np
import pytest
from helpers import T, assert_close

import autograd_st as ms
from autograd_st import Parameter, Tensor, nn, ops
from autograd_st.check import check_grads
from autograd_st.errors import MissingBpropError
from autograd_st.ops import operations as P
from autograd_st.ops._grad_experimental.grad_base import bprop_getters
from autograd_st.ops.primitive import (
    Primitive,
    PrimitiveWithCheck,
    PrimitiveWithInfer,
    constexpr,
    prim_attr_register,
)

grad_all = ops.GradOperation(get_all=True)
grad_all_with_sens = ops.GradOperation(get_all=True, sens_param=True)


# ---------------------------------------------------------------------------------------
# the primitive API: attributes, names, repr (as MindSpore 2.10 gives them)
# ---------------------------------------------------------------------------------------

class WithAttrs(PrimitiveWithInfer):
    @prim_attr_register
    def __init__(self, k, flag=True):
        self.add_prim_attr("extra", [1, 2])

    def __call__(self, x):
        return x * self.k


def test_prim_attr_register_and_add_prim_attr_as_mindspore():
    p = WithAttrs(3)
    # MindSpore 2.10: Prim[A]<k=3, flag=True, extra=[1, 2]>, attrs / init_attrs below
    assert repr(p) == "Prim[WithAttrs]<k=3, flag=True, extra=[1, 2]>"
    assert str(p) == repr(p)
    assert p.name == "WithAttrs"
    assert p.attrs == {"k": 3, "flag": True, "extra": [1, 2]}
    assert p.init_attrs == {"k": 3, "flag": True}
    assert (p.k, p.flag, p.extra) == (3, True, [1, 2])
    p.add_prim_attr("k", 7)  # the attribute follows (MindSpore: p.k == 7)
    assert p.k == 7 and p.attrs["k"] == 7 and p.init_attrs["k"] == 3
    assert_close(p(Tensor(np.ones(2, np.float32))), np.full(2, 7.0))
    assert p.set_prim_instance_name("inst") is p and p.instance_name == "inst"


def test_primitive_names_and_io_names_as_mindspore():
    foo = Primitive("Foo")
    assert (repr(foo), foo.name, foo.attrs) == ("Prim[Foo]", "Foo", {})

    class Named(PrimitiveWithInfer):
        def __init__(self):
            super().__init__("OtherName")

        def __call__(self, x):
            return x

    assert (repr(Named()), Named().name) == ("Prim[OtherName]", "OtherName")

    class IO(PrimitiveWithCheck):
        @prim_attr_register
        def __init__(self):
            self.init_prim_io_names(inputs=["x"], outputs=["y"])

        def __call__(self, x):
            return x

    io = IO()
    # MindSpore 2.10: repr Prim[IO], attrs {'input_names': ['x'], 'output_names': ['y']}
    assert repr(io) == "Prim[IO]"
    assert io.attrs == {"input_names": ["x"], "output_names": ["y"]}


def test_constexpr_is_evaluated_on_constants():
    @constexpr
    def seq(n):
        return tuple(range(n))

    def f(x):
        return x * len(seq(3))

    assert seq(3) == (0, 1, 2)
    assert_close(ops.grad(f)(Tensor(np.array([1.0, 2.0]))), np.full(2, 3.0))


def test_a_user_class_without_call_has_no_kernel():
    class NoCall(Primitive):
        pass

    with pytest.raises(RuntimeError, match="NoCall has no Python __call__"):
        NoCall()(Tensor(np.ones(2)))
    with pytest.raises(RuntimeError, match="NoCall has no Python __call__"):
        ops.grad(lambda a: ops.sum(NoCall()(a)))(Tensor(np.ones(2)))


# ---------------------------------------------------------------------------------------
# a user primitive's bprop under grad
# ---------------------------------------------------------------------------------------

class PrimWithMultiOutputs(PrimitiveWithInfer):
    @prim_attr_register
    def __init__(self):
        """init"""

    def __call__(self, x, y):
        return x, y

    def infer_shape(self, x_shape, y_shape):
        return x_shape, y_shape

    def infer_dtype(self, x_type, y_type):
        return x_type, y_type

    def get_bprop(self):
        def bprop(x, y, out, dout):
            return (dout[0], dout[1])
        return bprop


class PrimWithNoBprop(PrimitiveWithInfer):
    @prim_attr_register
    def __init__(self):
        """init"""

    def __call__(self, x, y):
        return x, y


def _ones(*shape):
    return Tensor(np.ones(shape).astype(np.float32))


def test_stop_gradient_on_one_output_of_a_multi_output_primitive():
    # follows test_stop_gradient.py::test_stop_gradient_7
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.prim_with_multi_outputs = PrimWithMultiOutputs()

        def construct(self, x1, x2):
            x1, x2 = self.prim_with_multi_outputs(x1, x2)
            x1 = ops.stop_gradient(x1)
            return x1, x2

    dx, dy = grad_all(Net())(_ones(2), _ones(2))
    assert_close(dx, np.zeros(2))
    assert_close(dy, np.ones(2))


def test_stop_gradient_on_all_outputs_of_a_multi_output_primitive():
    # follows test_stop_gradient.py::test_stop_gradient_8
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.prim_with_multi_output = PrimWithMultiOutputs()

        def construct(self, x1, x2):
            x1, x2 = ops.stop_gradient(self.prim_with_multi_output(x1, x2))
            return x1, x2

    dx, dy = grad_all(Net())(_ones(2), _ones(2))
    assert_close(dx, np.zeros(2))
    assert_close(dy, np.zeros(2))


def test_a_primitive_without_bprop_whose_outputs_are_all_stopped():
    # follows test_stop_gradient.py::test_stop_gradient_10
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.prim_with_no_bprop = PrimWithNoBprop()

        def construct(self, x, y):
            x = x * y
            x, y = self.prim_with_no_bprop(x, y)
            x = ops.stop_gradient(x)
            y = ops.stop_gradient(y)
            return x, y

    dx, dy = grad_all(Net())(_ones(2), _ones(2))
    assert_close(dx, np.zeros(2))
    assert_close(dy, np.zeros(2))


def test_a_primitive_without_bprop_raises_a_runtime_error_at_the_users_line():
    # follows test_stop_gradient.py::test_stop_gradient_11 (MindSpore: RuntimeError)
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.prim_with_no_bprop = PrimWithNoBprop()

        def construct(self, x, y):
            x, y = self.prim_with_no_bprop(x, y)  # the refused line
            x = ops.stop_gradient(x)
            return x, y

    with pytest.raises(RuntimeError) as info:
        grad_all(Net())(_ones(2), _ones(2))
    err = info.value
    assert isinstance(err, MissingBpropError)
    assert "PrimWithNoBprop" in str(err) and "no bprop" in str(err)
    assert err.filename == __file__ and "the refused line" in err.text
    # forward only: no gradient asked, no error
    out = Net()(_ones(2), _ones(2))
    assert_close(out[1], np.ones(2))


class Scaled(PrimitiveWithInfer):
    """Two outputs scaled; a bprop that is NOT the derivative, to see that it is used."""

    @prim_attr_register
    def __init__(self, k=2.0):
        """init"""

    def __call__(self, x, y):
        return x * self.k, y * 3

    def get_bprop(self):
        def bprop(x, y, out, dout):
            return (dout[0] * 10 + y, dout[1] * 100)
        return bprop


def test_get_bprop_is_the_backward_as_in_mindspores_graph_mode():
    # MindSpore 2.10 (GRAPH_MODE, recorded in ms_cases/ut_prims_custom_bprop): the bprop's
    # numbers, and the dout of a stopped output is zeros
    class Net(nn.Cell):
        def __init__(self, stop):
            super().__init__()
            self.p = Scaled(2.0)
            self.stop = stop

        def construct(self, x1, x2):
            a, b = self.p(x1 * 1, x2 * 1)
            if self.stop:
                a = ops.stop_gradient(a)
            return a * 2 + b

    x = Tensor(np.array([1.0, -2.0, 0.5], np.float32))
    y = Tensor(np.array([0.25, 3.0, -1.0], np.float32))
    dx, dy = grad_all(Net(False))(x, y)
    assert_close(dx, [20.25, 23.0, 19.0])
    assert_close(dy, [100.0, 100.0, 100.0])
    dx, dy = grad_all(Net(True))(x, y)
    assert_close(dx, [0.25, 3.0, -1.0])
    assert_close(dy, [100.0, 100.0, 100.0])
    # eagerly, the Python __call__
    a, b = Scaled(2.0)(x, y)
    assert_close(a, x.asnumpy() * 2)
    assert_close(b, y.asnumpy() * 3)


class Cube(PrimitiveWithInfer):
    @prim_attr_register
    def __init__(self):
        """init"""

    def __call__(self, x):
        return x * x * x


@bprop_getters.register(Cube)
def _get_bprop_cube(self):
    def bprop(x, out, dout):
        return (dout * 3 * x * x,)
    return bprop


def test_bprop_getters_register_gives_the_bprop_and_matches_finite_differences():
    cube = Cube()

    def f(x, y):
        return ops.sum(cube(x * y) * ops.sin(x))

    check_grads(f, (T(2, 3), T(2, 3, seed=1)), modes=("rev",))
    check_grads(lambda x: cube(x), (T(4),), modes=("rev",))
    # in a function, in a Cell, and the primitive differentiated itself
    x = T(3)
    want = 3 * x.asnumpy() ** 2
    assert_close(ops.grad(lambda a: ops.sum(cube(a)))(x), want)
    assert_close(ops.grad(cube)(x), want)
    assert_close(ops.value_and_grad(lambda a: ops.sum(cube(a)))(x)[0],
                 np.sum(x.asnumpy() ** 3))


def test_a_bprop_registered_under_the_primitives_name():
    class Twice(Primitive):
        def __call__(self, x):
            return x * 2

    @bprop_getters.register("Twice")
    def _(self):
        def bprop(x, out, dout):
            return (dout * 5,)
        return bprop

    assert_close(ops.grad(lambda a: ops.sum(Twice()(a)))(T(3)), np.full(3, 5.0))


def test_constant_inputs_reach_the_bprop_and_their_gradient_is_dropped():
    seen = []

    class Scale(Primitive):
        @prim_attr_register
        def __init__(self, k):
            pass

        def __call__(self, x, s):
            return x * s * self.k

        def get_bprop(self):
            def bprop(x, s, out, dout):
                seen.append(s)
                return dout * s * self.k, 0.0
            return bprop

    sc = Scale(2.0)
    g = ops.grad(lambda x: ops.sum(sc(x, 3.0)))(T(2))
    assert_close(g, np.full(2, 6.0))
    assert seen == [3.0]
    dx, ds = ops.grad(sc, grad_position=(0, 1))(T(2), Tensor(np.array(3.0)))
    assert_close(dx, np.full(2, 6.0))
    assert_close(ds, np.full((), 0.0))


def test_a_call_on_numpy_runs_as_it_is_under_grad():
    # a kernel written over numpy (asnumpy, np.*): under grad it runs as it is, once per
    # call, and its bprop gives the gradient
    calls = []

    class NpSinh(PrimitiveWithInfer):
        def __call__(self, x):
            calls.append(1)
            return Tensor(np.sinh(x.asnumpy()))

        def get_bprop(self):
            def bprop(x, out, dout):
                return (dout * Tensor(np.cosh(x.asnumpy())),)
            return bprop

    p = NpSinh()
    x = Tensor(np.array([0.5, -1.0]))
    value, grad = ops.value_and_grad(lambda a: ops.sum(p(a) * a))(x)
    a = x.asnumpy()
    assert_close(value, np.sum(np.sinh(a) * a))
    assert_close(grad, np.sinh(a) + a * np.cosh(a))
    assert len(calls) == 1
    check_grads(lambda a: p(a) * a, (T(3),), modes=("rev",))


def test_a_subclass_of_a_built_in_primitive_keeps_its_gradient():
    class MyMatMul(P.MatMul):
        pass

    mm = MyMatMul(transpose_b=True)
    check_grads(lambda a, b: mm(a, b), (T(2, 3), T(4, 3, seed=1)), modes=("rev",))


def test_a_bprop_returning_more_gradients_than_inputs_keeps_the_first():
    # MindSpore 2.10 (graph mode, where the bprop is used) ignores the extra gradient: the
    # gradient of sum(Bad()(a)) is dout, ones (measured: [1. 1.]); fewer gradients than
    # inputs raise (user_grads.check_user_grads, tested in test_ut17_semantics.py)
    class Bad(Primitive):
        def __call__(self, x):
            return x * x

        def get_bprop(self):
            def bprop(x, out, dout):
                return (dout, dout)
            return bprop

    grad = ops.grad(lambda a: ops.sum(Bad()(a)))(T(2))
    np.testing.assert_array_equal(grad.asnumpy(), np.ones(2))

    class Short(Primitive):
        def __call__(self, x, y):
            return x * y

        def get_bprop(self):
            def bprop(x, y, out, dout):
                return (dout * y,)
            return bprop

    with pytest.raises(RuntimeError, match="bprop"):
        ops.grad(lambda a, b: ops.sum(Short()(a, b)), (0, 1))(T(2), T(2, seed=1))


# ---------------------------------------------------------------------------------------
# the primitive classes the tests use
# ---------------------------------------------------------------------------------------

def test_select_grad():
    # follows ops/test_grad.py::test_select_grad
    select = P.Select()
    cond = Tensor(np.array([[True, False, False], [False, True, True]]))
    x = Tensor(np.array([[1, 2, 3], [4, 5, 6]]).astype(np.float32))
    y = Tensor(np.array([[7, 8, 9], [10, 11, 12]]).astype(np.float32))

    def fn(cond, x, y):
        return select(cond, x, y)

    out = fn(cond, x, y)
    assert_close(out, [[1, 8, 9], [10, 5, 6]])
    sens = Tensor(np.ones_like(out.asnumpy()).astype(np.float32))
    gout = grad_all_with_sens(fn)(cond, x, y, sens)
    assert np.all(gout[0].asnumpy() == 0) and gout[0].dtype == ms.bool_  # (MindSpore: Bool)
    assert_close(gout[1], [[1, 0, 0], [0, 1, 1]])
    assert_close(gout[2], [[0, 1, 1], [1, 0, 0]])
    c = Tensor(np.array([[True, False, True], [False, False, True]]))
    check_grads(lambda a, b: select(c, a, b) * a, (T(2, 3), T(2, 3, seed=1)), modes=("rev",))


class ConvNet(nn.Cell):
    def __init__(self, channels=16):
        super().__init__()
        self.conv = P.Conv2D(channels, 3, mode=1, pad_mode="pad", pad=0, stride=1,
                             dilation=2, group=1)
        self.w = Parameter(Tensor(np.ones([channels, channels, 3, 3]).astype(np.float32)),
                           name='w')

    def construct(self, x):
        return self.conv(x, self.w)


def test_conv2d_as_test_framstruct_convnet_in_a_tensor_while_loop():
    # follows test_framstruct.py::test_while_net
    conv = ConvNet()
    c1, c2, c3 = (Tensor([v], ms.float32) for v in (2, 10, 1))

    def t1_while(x, y, z):
        out = x
        i = c1
        while i < c2:
            out = out + conv(z)
            i = i + c3
        out = out + out
        return out

    x = Tensor(np.ones([1, 16, 12, 12]).astype(np.float32))
    z = Tensor(np.ones([1, 16, 16, 16]).astype(np.float32))
    res = t1_while(x, Tensor(np.ones([1, 3, 3, 4]).astype(np.float32)), z)
    assert_close(res, np.full([1, 16, 12, 12], 2306.0))
    # its gradient: 2 * 8 loop trips of the conv's gradient, each a sum of the ones kernel
    g = ops.grad(lambda z: ops.sum(t1_while(x, x, z)))(z)
    assert g.shape == (1, 16, 16, 16)
    single = ops.grad(lambda z: ops.sum(conv(z)))(z).asnumpy()
    assert_close(g, 16 * single)


@pytest.mark.parametrize("pad_mode,pad,stride,dilation,group", [
    ("pad", 1, 1, 2, 1), ("pad", (1, 0, 2, 1), 2, 1, 2), ("same", 0, 2, 1, 1),
    ("valid", 0, 1, 1, 4)])
def test_conv2d_and_bias_add_match_finite_differences(pad_mode, pad, stride, dilation, group):
    conv = P.Conv2D(4, 3, mode=1, pad_mode=pad_mode, pad=pad, stride=stride,
                    dilation=dilation, group=group)
    bias_add = P.BiasAdd()

    def f(x, w, b):
        y = bias_add(conv(x, w), b)
        return y * y

    check_grads(f, (T(1, 4, 6, 6), T(4, 4 // group, 3, 3, seed=1), T(4, seed=2)),
                modes=("rev",))


def test_split_matches_mindspore_and_finite_differences():
    split = P.Split(1, 3)
    x = Tensor(np.array([[1, 2, 3], [4, 5, 6]]).astype(np.float32))
    parts = split(x)
    # MindSpore 2.10: [[1], [4]], [[2], [5]], [[3], [6]]
    assert len(parts) == 3
    for k, part in enumerate(parts):
        assert_close(part, [[1 + k], [4 + k]])

    def f(a):
        r = split(a)
        return r[0] * 2 + r[2] * r[1]

    # MindSpore 2.10: grad_all(f)(x) == [[2, 3, 2], [2, 6, 5]]
    assert_close(grad_all(f)(x)[0], [[2, 3, 2], [2, 6, 5]])
    check_grads(f, (T(2, 3),), modes=("rev",))


def test_print_inside_construct_under_grad(capsys):
    # follows test_stop_gradient.py::test_stop_print
    class StopPrint(nn.Cell):
        def __init__(self):
            super().__init__()
            self.printm = P.Print()

        def construct(self, x, y):
            self.printm("StopPrint", x)
            self.printm(y)
            return x, y

    x = Tensor(np.ones([2]).astype(np.float32))
    y = Tensor(np.array([1.0, 2.0], np.float32))
    net = StopPrint()
    for _ in range(2):  # printed at run time, on every call
        dx, dy = grad_all(net)(x, y)
        assert_close(dx, np.ones(2))
        assert_close(dy, np.ones(2))
    # MindSpore 2.10 prints the string, then each Tensor as its repr, one per line
    text = capsys.readouterr().out
    one = ("StopPrint\nTensor(shape=[2], dtype=Float32, value= [ 1.00000000e+00,  "
           "1.00000000e+00])\nTensor(shape=[2], dtype=Float32, value= [ 1.00000000e+00,  "
           "2.00000000e+00])\n")
    assert text == one * 2
    assert P.Print()("hello", 3) is None
    assert capsys.readouterr().out == "hello\n3\n"


# ---------------------------------------------------------------------------------------
# InsertGradientOf with several hooks
# ---------------------------------------------------------------------------------------

def test_insert_gradient_of_hooks_run_in_mindspores_order():
    # follows test_insert_grad_of.py::test_InsertGradientOf_1 / _3 (several hooks); order
    # and values measured in MindSpore 2.10 (recorded in ms_cases/ut_prims_insert_grad)
    log = []

    def hook(tag, k):
        def h(dx):
            log.append(tag)
            return dx * k
        return h

    h1, h2, h3 = (P.InsertGradientOf(hook(t, k)) for t, k in (("h1", 2.0), ("h2", 3.0),
                                                                ("h3", 5.0)))

    def chain(x, y):
        x = h1(x)
        x = h2(x)
        y = h3(y)
        return x * y

    def nested(x, y):
        z = x * y
        z = h1(z)
        w = h2(z * z)
        return w + h3(z)

    x = Tensor(np.array([1., 2.], np.float32))
    y = Tensor(np.array([3., 4.], np.float32))
    dx, dy = grad_all(chain)(x, y)
    assert log == ["h3", "h2", "h1"]
    assert_close(dx, [18.0, 24.0])
    assert_close(dy, [5.0, 10.0])
    log.clear()
    dx, dy = grad_all(nested)(x, y)
    assert log == ["h3", "h2", "h1"]
    assert_close(dx, [138.0, 424.0])
    assert_close(dy, [46.0, 212.0])


def test_insert_gradient_of_clip_and_zeros():
    # follows test_insert_grad_of.py::test_InsertGradientOf_1 / _2
    def clip_gradient(dx):
        ret = dx
        if ret > 1.0:
            ret = 1.0
        if ret < 0.2:
            ret = 0.2
        return ret

    clip = P.InsertGradientOf(clip_gradient)
    stop = P.InsertGradientOf(lambda dx: ops.zeros_like(dx))

    def clip_test(x, y):
        x = clip(x)
        y = clip(y)
        return x * y

    def stop_test(x, y):
        x = stop(x)
        return x * y

    assert clip_test(1.1, 0.1) == pytest.approx(0.11)
    dx, dy = grad_all(clip_test)(Tensor(1.1, ms.float32), Tensor(0.1, ms.float32))
    assert_close(dx, np.float32(0.2))  # MindSpore 2.10: (0.2, 1.0)
    assert_close(dy, np.float32(1.0))
    dx, dy = grad_all(stop_test)(Tensor(1.0, ms.float32), Tensor(2.0, ms.float32))
    assert_close(dx, np.float32(0.0))  # MindSpore 2.10: (0.0, 1.0)
    assert_close(dy, np.float32(1.0))


def test_summary_in_a_gradient_hook_and_in_construct():
    # follows test_insert_grad_of.py::test_InsertGradientOf_3 (MindSpore 2.10: a summary
    # call returns None and the hook's gradient passes through)
    summary = P.ScalarSummary()
    seen = []

    def debug_gradient(dx):
        seen.append(summary("dx: ", dx))
        return dx

    debug = P.InsertGradientOf(debug_gradient)

    def debug_test(x, y):
        x = debug(x)
        y = debug(y)
        summary("c", x * y)
        return x * y

    dx, dy = grad_all(debug_test)(Tensor(1.0, ms.float32), Tensor(2.0, ms.float32))
    assert_close(dx, np.float32(2.0))
    assert_close(dy, np.float32(1.0))
    assert seen == [None, None]
    # MindSpore 2.10: Prim[ScalarSummary]<side_effect_io=True, channel_name=ms_scalar_summary,
    # dyn_input_sizes=[-1, 1]>; Prim[Print]<side_effect_io=True>
    assert repr(P.ScalarSummary()).startswith(
        "Prim[ScalarSummary]<side_effect_io=True, channel_name=ms_scalar_summary")
    assert repr(P.Print()) == "Prim[Print]<side_effect_io=True>"


LOGGED = []


class LogShape(PrimitiveWithInfer):
    """A primitive that passes its input through and logs it (its own name given to
    super().__init__, attributes registered)."""

    @prim_attr_register
    def __init__(self, msg):
        super().__init__("LogShapeOp")
        self.msg = msg

    def __call__(self, x):
        LOGGED.append((self.msg, tuple(x.shape)))
        return x

    def infer_shape(self, x_shape):
        return x_shape

    def infer_dtype(self, x_type):
        return x_type


@bprop_getters.register(LogShape)
def _get_bprop_log_shape(self):
    def bprop(x, out, dout):
        return (dout,)
    return bprop


def test_a_user_primitive_made_in_construct_and_as_a_gradient_hook():
    # follows test_insert_grad_of.py::test_print_shape_type
    class Mul(nn.Cell):
        def __init__(self):
            super().__init__()
            self.log_grad = P.InsertGradientOf(LogShape("Gradients"))

        def construct(self, x, y):
            z = x * y
            LogShape("Forward")(z)
            self.log_grad(z)
            return z

    LOGGED.clear()
    x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))
    y = Tensor(np.array([[0.5, -1.0], [2.0, 1.5]], np.float32))
    dx, dy = grad_all(Mul())(x, y)
    assert_close(dx, y.asnumpy())
    assert_close(dy, x.asnumpy())
    assert LOGGED == [("Forward", (2, 2))]  # the hook's value is not used: not run
    p = LogShape("m")
    # MindSpore 2.10: super().__init__(name) empties attrs: LogShapeOp {} m Prim[LogShapeOp],
    # init_attrs {'name': 'LogShapeOp'}
    assert (p.name, p.attrs, p.msg, repr(p)) == ("LogShapeOp", {}, "m", "Prim[LogShapeOp]")
    assert p.init_attrs == {"name": "LogShapeOp"}

    class UsesHook(nn.Cell):
        def __init__(self):
            super().__init__()
            self.log_grad = P.InsertGradientOf(LogShape("Gradients"))

        def construct(self, x, y):
            return self.log_grad(x * y) * 2

    LOGGED.clear()
    dx, dy = grad_all(UsesHook())(x, y)
    assert_close(dx, 2 * y.asnumpy())
    assert LOGGED == [("Gradients", (2, 2))]


def test_module_paths():
    assert ops.PrimitiveWithInfer is PrimitiveWithInfer and ops.prim_attr_register is prim_attr_register
    assert ops.constexpr is constexpr and ops.PrimitiveWithCheck is PrimitiveWithCheck
    for path in ("autograd_st.ops.primitive", "autograd_st.ops._grad_experimental.grad_base"):
        assert importlib.import_module(path) is not None
    assert re.match(r"Prim\[Cube\]", repr(Cube()))


def test_a_primitive_bprop_result_is_checked_like_a_cell_bprop():
    # the one check of user gradients (user_grads.check_user_grads) covers a user
    # primitive's bprop too: a gradient of the wrong shape raises, naming the primitive
    class Wrong(Primitive):
        def __call__(self, x):
            return x * 2

        def get_bprop(self):
            def bprop(x, out, dout):
                return (ops.ones((3,), x.dtype),)
            return bprop

    with pytest.raises(ms.errors.BpropShapeError, match=r"primitive 'Wrong'.*\(3,\)"):
        ops.grad(lambda a: ops.sum(Wrong()(a)))(T(2, 2))

    class Cast(Primitive):  # a gradient of another dtype is cast (check_bprop=False)
        def __call__(self, x):
            return x * 2

        def get_bprop(self):
            def bprop(x, out, dout):
                return (Tensor((dout.asnumpy() * 2).astype(np.float16)),)
            return bprop

    x = Tensor(np.array([1.0, 2.0], np.float32))
    grad = ops.grad(lambda a: ops.sum(Cast()(a)))(x)
    assert grad.dtype == ms.float32
    np.testing.assert_array_equal(grad.asnumpy(), [2.0, 2.0])
