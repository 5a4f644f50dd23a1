"""MindSpore's result structures and errors for GradOperation / ops.grad / ops.value_and_grad,
and the API's own promises (decorators, dump, compile-once caching).

Expected structures were checked against MindSpore 2.10 (CPU); values are closed forms in
float64.  The network used throughout is ``out = x * w * y + b * x`` (a vector output, so the
gradient is that of its sum), whose gradients are ``dx = w*y + b``, ``dy = x*w``, ``dw = x*y``
and ``db = x`` (each times ``sens`` when a sens is given).
"""
from __future__ import annotations

import inspect
import itertools

import numpy as np
import pytest

import autograd_st
import autograd_st.compiler as compiler_pkg
from autograd_st import Parameter, ParameterTuple, Tensor, nn, numerical_grad, ops

try:
    from .helpers import CallCounter, assert_close
except ImportError:  # run with tests/ on sys.path
    from helpers import CallCounter, assert_close

XA = np.array([1.0, 2.0, -0.5])
YA = np.array([3.0, -1.0, 0.25])
SA = np.array([0.5, 2.0, -1.5])  # a sens
WA = np.array([0.5, -1.0, 1.5])
BA = np.array([0.1, 0.2, -0.3])


def _x():
    return Tensor(XA.copy())


def _y():
    return Tensor(YA.copy())


def _sens():
    return Tensor(SA.copy())


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(WA.copy()), name="w")
        self.b = Parameter(Tensor(BA.copy()), name="b")

    def construct(self, x, y):
        return x * self.w * y + self.b * x


def expected(sens=None):
    s = np.ones(3) if sens is None else sens
    return {"x": (WA * YA + BA) * s, "y": XA * WA * s, "w": XA * YA * s, "b": XA * s}


def assert_structure(got, want):
    """``got`` has exactly the nesting of ``want`` (tuples of arrays), and close values."""
    if isinstance(want, tuple):
        assert type(got) is tuple, "expected a tuple, got %s" % type(got).__name__
        assert len(got) == len(want), "expected %d items, got %d" % (len(want), len(got))
        for g, w in zip(got, want):
            assert_structure(g, w)
    else:
        assert isinstance(got, Tensor), "expected a Tensor, got %s" % type(got).__name__
        assert_close(got, want, rtol=1e-12, atol=1e-12)


# =========================================================================================
# GradOperation: all 8 flag combinations
# =========================================================================================

@pytest.mark.parametrize("get_all,get_by_list,sens_param",
                         list(itertools.product([False, True], repeat=3)))
def test_grad_operation_flags(get_all, get_by_list, sens_param):
    net = Net()
    op = ops.GradOperation(get_all=get_all, get_by_list=get_by_list, sens_param=sens_param)
    gfn = op(net, ParameterTuple(net.trainable_params())) if get_by_list else op(net)
    args = (_x(), _y(), _sens()) if sens_param else (_x(), _y())
    e = expected(SA if sens_param else None)
    inputs = (e["x"], e["y"]) if get_all else e["x"]
    weights = (e["w"], e["b"])
    if get_by_list:
        want = (inputs, weights) if get_all else weights
    else:
        want = inputs
    assert_structure(gfn(*args), want)


class NoParams(nn.Cell):
    def __init__(self):
        super().__init__()

    def construct(self, x, y):
        return x * y


def test_get_by_list_with_no_trainable_params_is_empty_tuple():
    net = NoParams()
    assert net.trainable_params() == []
    got = ops.GradOperation(get_by_list=True)(net, ParameterTuple(net.trainable_params()))(
        _x(), _y())
    assert got == () and type(got) is tuple
    got = ops.GradOperation(get_all=True, get_by_list=True)(
        net, ParameterTuple(net.trainable_params()))(_x(), _y())
    assert_structure(got, ((YA, XA), ()))


class OneInput(nn.Cell):
    def __init__(self):
        super().__init__()

    def construct(self, x):
        return x * x


def test_get_all_on_one_input_cell_is_a_one_tuple():
    assert_structure(ops.GradOperation(get_all=True)(OneInput())(_x()), (2 * XA,))
    assert_structure(ops.GradOperation()(OneInput())(_x()), 2 * XA)


class TupleOut(nn.Cell):
    def __init__(self):
        super().__init__()

    def construct(self, x, y):
        return x * y, x + y


def test_sens_param_with_tuple_output_takes_a_tuple_of_sens():
    s1, s2 = SA, np.array([1.0, -2.0, 4.0])
    got = ops.GradOperation(get_all=True, sens_param=True)(TupleOut())(
        _x(), _y(), (Tensor(s1), Tensor(s2)))
    assert_structure(got, (YA * s1 + s2, XA * s1 + s2))


def test_grad_operation_tuple_output_without_sens_sums_outputs():
    got = ops.GradOperation(get_all=True)(TupleOut())(_x(), _y())
    assert_structure(got, (YA + 1.0, XA + 1.0))


# =========================================================================================
# ops.grad / ops.value_and_grad: grad_position and weights
# =========================================================================================

def f2(x, y):
    return ops.sum(x * x * y)


F2_DX, F2_DY = 2 * XA * YA, XA * XA
F2_VALUE = np.sum(XA * XA * YA)


@pytest.mark.parametrize("position,want", [
    (0, F2_DX), (1, F2_DY), ((0,), F2_DX), ((1,), F2_DY), ((0, 1), (F2_DX, F2_DY)),
    ((1, 0), (F2_DY, F2_DX)), ([0, 1], (F2_DX, F2_DY))], ids=str)
def test_grad_position(position, want):
    assert_structure(ops.grad(f2, grad_position=position)(_x(), _y()), want)


def test_grad_default_position_is_zero():
    assert_structure(ops.grad(f2)(_x(), _y()), F2_DX)


@pytest.mark.parametrize("position,want", [
    (0, F2_DX), ((0,), F2_DX), ((0, 1), (F2_DX, F2_DY))], ids=str)
def test_value_and_grad_position(position, want):
    value, grads = ops.value_and_grad(f2, grad_position=position)(_x(), _y())
    assert isinstance(value, Tensor) and value.shape == ()
    assert_close(value, np.array(F2_VALUE), rtol=1e-12)
    assert_structure(grads, want)


def _weights(kind, net):
    if kind == "list":
        return net.trainable_params()
    if kind == "ParameterTuple":
        return ParameterTuple(net.trainable_params())
    if kind == "tuple":
        return (net.w, net.b)
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["list", "ParameterTuple", "tuple"])
def test_grad_weights_only(kind):
    net = Net()
    e = expected()
    got = ops.grad(net, grad_position=None, weights=_weights(kind, net))(_x(), _y())
    assert_structure(got, (e["w"], e["b"]))


def test_grad_single_parameter_gives_bare_tensor():
    net = Net()
    e = expected()
    assert_structure(ops.grad(net, None, net.w)(_x(), _y()), e["w"])
    assert_structure(ops.grad(net, 0, net.w)(_x(), _y()), (e["x"], e["w"]))
    assert_structure(ops.grad(net, None, (net.b,))(_x(), _y()), (e["b"],))  # a 1-tuple stays


@pytest.mark.parametrize("position,want_inputs", [
    (0, "x"), ((0,), "x"), ((0, 1), ("x", "y")), (1, "y")], ids=str)
def test_grad_positions_and_weights(position, want_inputs):
    net = Net()
    e = expected()
    inputs = e[want_inputs] if isinstance(want_inputs, str) else \
        tuple(e[k] for k in want_inputs)
    got = ops.grad(net, position, net.trainable_params())(_x(), _y())
    assert_structure(got, (inputs, (e["w"], e["b"])))


def test_value_and_grad_weights():
    net = Net()
    e = expected()
    out = XA * WA * YA + BA * XA
    value, grads = ops.value_and_grad(net, None, net.trainable_params())(_x(), _y())
    assert_close(value, out, rtol=1e-12)
    assert_structure(grads, (e["w"], e["b"]))
    value, grads = ops.value_and_grad(net, 0, ParameterTuple(net.trainable_params()))(
        _x(), _y())
    assert_close(value, out, rtol=1e-12)
    assert_structure(grads, (e["x"], (e["w"], e["b"])))
    value, grads = ops.value_and_grad(net, None, net.b)(_x(), _y())
    assert_structure(grads, e["b"])


# =========================================================================================
# has_aux and tuple outputs
# =========================================================================================

def f_aux(x, y):
    return ops.sum(x * y), x * 2.0, y + 1.0


def f_aux1(x, y):
    return ops.sum(x * y), x * 2.0


def test_grad_has_aux():
    g, aux = ops.grad(f_aux, 0, has_aux=True)(_x(), _y())
    assert_structure((g, aux), (YA, (2 * XA, YA + 1.0)))
    got = ops.grad(f_aux, (0, 1), has_aux=True)(_x(), _y())
    assert_structure(got, ((YA, XA), (2 * XA, YA + 1.0)))
    got = ops.grad(f_aux1, 0, has_aux=True)(_x(), _y())
    assert_structure(got, (YA, (2 * XA,)))


def test_value_and_grad_has_aux():
    got = ops.value_and_grad(f_aux, 0, has_aux=True)(_x(), _y())
    assert_structure(got, ((np.array(np.sum(XA * YA)), 2 * XA, YA + 1.0), YA))
    got = ops.value_and_grad(f_aux1, (0, 1), has_aux=True)(_x(), _y())
    assert_structure(got, ((np.array(np.sum(XA * YA)), 2 * XA), (YA, XA)))


class AuxNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(WA.copy()), name="w")

    def construct(self, x):
        h = x * self.w
        return ops.sum(h * h), h


def test_value_and_grad_has_aux_with_weights():
    net = AuxNet()
    (loss, h), (gx, (gw,)) = ops.value_and_grad(net, 0, net.trainable_params(),
                                                 has_aux=True)(_x())
    assert_close(loss, np.array(np.sum((XA * WA) ** 2)), rtol=1e-12)
    assert_close(h, XA * WA, rtol=1e-12)
    assert_close(gx, 2 * XA * WA * WA, rtol=1e-12)
    assert_close(gw, 2 * XA * XA * WA, rtol=1e-12)


def test_has_aux_needs_a_tuple_output():
    with pytest.raises(ValueError):
        ops.grad(f2, 0, has_aux=True)(_x(), _y())


def test_tuple_output_without_has_aux_is_sum_of_outputs():
    # d/dx [sum(x y) + 2x + (y + 1)] = y + 2 ; d/dy = x + 1
    assert_structure(ops.grad(f_aux, (0, 1))(_x(), _y()), (YA + 2.0, XA + 1.0))
    value, grads = ops.value_and_grad(f_aux, (0, 1))(_x(), _y())
    assert_structure(value, (np.array(np.sum(XA * YA)), 2 * XA, YA + 1.0))
    assert_structure(grads, (YA + 2.0, XA + 1.0))


# =========================================================================================
# errors
# =========================================================================================

@pytest.mark.parametrize("api", [ops.grad, ops.value_and_grad], ids=["grad", "value_and_grad"])
def test_no_position_and_no_weights_is_value_error(api):
    with pytest.raises(ValueError):
        api(f2, grad_position=None)(_x(), _y())


@pytest.mark.parametrize("position", [2, (0, 2), 5, -3], ids=str)
def test_out_of_range_grad_position_raises(position):
    # MindSpore: RuntimeError "Position index 2 is exceed input size" / ValueError for < 0
    with pytest.raises((ValueError, RuntimeError, IndexError)) as info:
        ops.grad(f2, grad_position=position)(_x(), _y())
    assert str(abs(position if isinstance(position, int) else 2)) in str(info.value)


def test_negative_grad_position_is_rejected_like_mindspore():
    with pytest.raises(ValueError):
        ops.grad(f2, grad_position=-1)(_x(), _y())


def test_wrong_number_of_arguments_is_type_error():
    with pytest.raises(TypeError):
        ops.grad(f2)(_x())
    with pytest.raises(TypeError):
        ops.grad(f2)(_x(), _y(), _x())
    with pytest.raises(TypeError):
        ops.GradOperation()(Net())(_x())
    with pytest.raises(TypeError):  # sens_param=True and no sens: y is missing for construct
        ops.GradOperation(sens_param=True)(Net())(_x(), _y())


def test_grad_of_non_callable_is_type_error():
    with pytest.raises(TypeError):
        ops.grad(3)


# =========================================================================================
# GradOperation inside another Cell's construct (the tutorials' GradNetWrtX pattern)
# =========================================================================================

class GradNetWrtX(nn.Cell):
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.grad_op = ops.GradOperation()

    def construct(self, x, y):
        gradient_function = self.grad_op(self.net)
        return gradient_function(x, y)


class GradNetAllParams(nn.Cell):
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.params = ParameterTuple(net.trainable_params())
        self.grad_op = ops.GradOperation(get_all=True, get_by_list=True, sens_param=True)

    def construct(self, x, y, sens):
        return self.grad_op(self.net, self.params)(x, y, sens)


def test_grad_operation_inside_construct():
    e = expected()
    wrt_x = GradNetWrtX(Net())
    assert_structure(wrt_x(_x(), _y()), e["x"])
    assert_structure(wrt_x(_x(), _y()), e["x"])  # a second call (cached path)
    e = expected(SA)
    got = GradNetAllParams(Net())(_x(), _y(), _sens())
    assert_structure(got, ((e["x"], e["y"]), (e["w"], e["b"])))


def test_grad_net_sees_parameter_updates():
    net = Net()
    wrt_x = GradNetWrtX(net)
    wrt_x(_x(), _y())
    net.w.set_data(np.array([2.0, 3.0, 4.0]))
    assert_structure(wrt_x(_x(), _y()), np.array([2.0, 3.0, 4.0]) * YA + BA)


def test_grad_operation_in_construct_hands_back_one_gradient_function():
    """``self.grad_op(self.net)`` runs on every call: the same network (and the same weights
    tuple) give the same gradient function; a list of weights is looked up by what it holds
    now, and get_by_list without weights reads the trainable Parameters again."""
    net = Net()
    op = ops.GradOperation()
    assert op(net) is op(net)
    byl = ops.GradOperation(get_by_list=True)
    params = ParameterTuple(net.trainable_params())
    assert byl(net, params) is byl(net, params)
    weights = list(net.trainable_params())
    first = byl(net, weights)
    assert byl(net, weights) is first
    weights.pop()  # the same list object, other Parameters: another gradient function
    assert byl(net, weights) is not first
    assert len(byl(net, weights)(_x(), _y())) == len(weights)
    every = byl(net)
    assert len(every(_x(), _y())) == len(net.trainable_params())
    net.trainable_params()[0].requires_grad = False
    assert len(byl(net)(_x(), _y())) == len(net.trainable_params())


def scaled_sum(a, b):
    return ops.sum(a * b * 2.0 + ops.sin(a) / b)


def test_a_python_float_argument_keeps_float32_code_in_float32():
    """A Python float is weak in numpy's promotion, as in MindSpore: float32 Tensor times 3.0
    computes in float32, so the value and the Tensor's gradient are float32 and equal to
    float32 numpy's (MindSpore 2.10 gives the same d/da, and for the float's own position
    nothing: the result is da alone, as for grad_position=(0,))."""
    a = np.array([0.3, -1.2, 2.5], np.float32)
    b = 3.0
    value, da = ops.value_and_grad(scaled_sum, (0, 1))(Tensor(a), b)
    assert value.dtype == da.dtype == autograd_st.float32
    want_value = np.sum(a * np.float32(b) * np.float32(2.0) + np.sin(a) / np.float32(b))
    assert value.asnumpy() == want_value  # the very float32 arithmetic, not float64 rounded
    np.testing.assert_allclose(da.asnumpy(), 2.0 * b + np.cos(a.astype(np.float64)) / b,
                               rtol=1e-6)


def kw_fn(x, y=None, scale=2.0):
    return ops.sum(x * y * scale)


def kw_required_fn(x, y, scale=2.0):
    return ops.sum(x * y * scale)


def kw_only_fn(x, *, y):
    return ops.sum(x * y)


class KwNet(nn.Cell):
    def construct(self, x, y=None):
        return ops.sum(x * y)


def test_keyword_arguments_bind_as_in_mindspore():
    """Each value here is what MindSpore 2.10 gave for the same call: a keyword binds to its
    parameter, grad_position counts parameters, sens stays the last positional argument."""
    x = Tensor(np.array([1.0, 2.0], np.float32))
    y = Tensor(np.array([3.0, 4.0], np.float32))
    cases = [
        (lambda: ops.grad(kw_fn)(x, y=y), [6.0, 8.0]),
        (lambda: ops.grad(kw_fn)(x, y, scale=3.0), [9.0, 12.0]),
        (lambda: ops.value_and_grad(kw_fn)(x, y=y, scale=3.0), (33.0, [9.0, 12.0])),
        (lambda: ops.GradOperation()(kw_fn)(x, y=y), [6.0, 8.0]),
        (lambda: ops.grad(kw_fn, (0, 1))(x, y, scale=3.0), ([9.0, 12.0], [3.0, 6.0])),
        (lambda: ops.grad(kw_fn, 1)(x, y=y), [2.0, 4.0]),
        (lambda: ops.grad(kw_fn, (0, 1))(x, y=y), ([6.0, 8.0], [2.0, 4.0])),
        (lambda: ops.GradOperation(sens_param=True)(kw_fn)(x, Tensor(np.float32(2.0)), y=y),
         [12.0, 16.0]),
        (lambda: ops.GradOperation(get_all=True)(KwNet())(x, y=y), ([3.0, 4.0], [1.0, 2.0])),
        (lambda: ops.GradOperation(get_all=True)(KwNet)()(x, y=y), ([3.0, 4.0], [1.0, 2.0])),
    ]
    for call, want in cases:
        assert_structure(call(), want)
    src = ops.grad(kw_fn).source(x, y=y)
    assert src == ops.grad(kw_fn).source(x, y)  # the same code as the positional call
    with pytest.raises(TypeError, match="unexpected keyword argument 'zz'"):
        ops.grad(kw_fn)(x, y=y, zz=1)
    with pytest.raises(TypeError, match="multiple values for argument 'y'"):
        ops.grad(kw_fn)(x, y, y=y)
    # a keyword-only parameter is an input after the positional ones (MindSpore 2.10)
    assert_structure(ops.grad(kw_only_fn)(x, y=y), [3.0, 4.0])
    assert_structure(ops.grad(kw_only_fn, (0, 1))(x, y=y), ([3.0, 4.0], [1.0, 2.0]))
    with pytest.raises(TypeError, match="missing a required argument: 'y'"):
        ops.grad(kw_required_fn)(x, scale=2.0)
    assert_structure(ops.grad(kw_required_fn, 2)(x, y, scale=Tensor(np.float32(3.0))), 11.0)


def _kw_helper(a, b, c=2.0, d=3.0):
    return a * 1.0 + b * c + d


class _KwSub(nn.Cell):
    def construct(self, a, b, scale=1.0, shift=0.0):
        return a * scale - b + shift


class _KwCaller(nn.Cell):
    def __init__(self):
        super().__init__()
        self.sub = _KwSub()

    def construct(self, x, y):
        # a - b: keywords in any order, a gap filled by its default
        return ops.sum(self.sub(b=y, a=x) + self.sub(x, shift=1.0, b=y * y)
                       + self.sub(shift=0.5, b=x, scale=3.0, a=y))


def _kw_calls(x, y):
    return ops.sum(_kw_helper(b=x, a=y) + _kw_helper(y, d=0.5, b=x)
                   + _kw_helper(c=0.5, b=y, a=x))


def _kw_local(x):
    scale = lambda a, b=2.0: a * b  # noqa: E731 - a lambda called with keywords
    def minus(p, q, r=1.0):
        return p - q * r
    return ops.sum(scale(b=3.0, a=x) + minus(r=2.0, q=x, p=x * x))


def _kw_multiple(x):
    return ops.sum(_kw_helper(x, a=x))


def _kw_missing(x):
    return ops.sum(_kw_helper(c=1.0, a=x))


def _kw_unexpected(x):
    return ops.sum(_kw_helper(x, x, e=1.0))


def _kw_too_many(x):
    return ops.sum(_kw_helper(x, x, 1.0, 2.0, 3.0))


def _kw_lambda_multiple(x):
    f = lambda a, b=1.0: a * b  # noqa: E731
    return ops.sum(f(x, a=x))


def test_calls_inside_bind_keywords_in_any_order_as_python_does():
    x, y = _x(), _y()
    # d/dx: 2 + 2 + 1 = 5; d/dy: 1 + 1 + 0.5 = 2.5 (each term is a + b * c + d)
    gx, gy = ops.grad(_kw_calls, (0, 1))(x, y)
    np.testing.assert_allclose(gx.asnumpy(), np.full(3, 5.0))
    np.testing.assert_allclose(gy.asnumpy(), np.full(3, 2.5))
    np.testing.assert_allclose(ops.value_and_grad(_kw_calls)(x, y)[0].asnumpy(),
                               _kw_calls(x, y).asnumpy())
    # 3x + x**2 - 2x: 2x + 1
    np.testing.assert_allclose(ops.grad(_kw_local)(x).asnumpy(), 2 * XA + 1)
    # (x - y) + (x - y**2 + 1) + (3y - x + 0.5): d/dx = 1, d/dy = -1 - 2y + 3
    net = _KwCaller()
    gx, gy = ops.grad(net, (0, 1))(x, y)
    np.testing.assert_allclose(gx.asnumpy(), np.ones(3))
    np.testing.assert_allclose(gy.asnumpy(), 2.0 - 2.0 * YA)
    np.testing.assert_allclose(ops.value_and_grad(net, (0, 1))(x, y)[0].asnumpy(),
                               net(x, y).asnumpy())


@pytest.mark.parametrize("fn, message", [
    (_kw_multiple, "_kw_helper() got multiple values for argument 'a'"),
    (_kw_missing, "_kw_helper() missing 1 required positional argument: 'b'"),
    (_kw_unexpected, "_kw_helper() got an unexpected keyword argument 'e'"),
    (_kw_too_many, "_kw_helper() takes from 2 to 4 positional arguments but 5 were given"),
    (_kw_lambda_multiple, "<lambda>() got multiple values for argument 'a'"),
])
def test_a_call_inside_that_python_refuses_is_its_type_error_at_the_line(fn, message):
    python = None
    try:
        fn(_x())
    except TypeError as exc:
        python = str(exc)
    assert python is not None and python.endswith(message.split("() ", 1)[1])
    with pytest.raises(autograd_st.errors.CallArgumentError) as info:
        ops.grad(fn)(_x())
    err = info.value
    assert isinstance(err, TypeError) and isinstance(err, autograd_st.errors.CompileError)
    assert message in str(err)
    lines, start = inspect.getsourcelines(fn)
    assert err.filename == __file__ and err.lineno == start + len(lines) - 1


# =========================================================================================
# decorators
# =========================================================================================

@ops.GradOperation()
def deco_gradop(x, y):
    return ops.sum(x * x * y)


@ops.GradOperation(get_all=True)
def deco_gradop_all(x, y):
    return ops.sum(x * x * y)


@ops.grad
def deco_grad(x, y):
    return ops.sum(x * x * y)


@ops.grad(grad_position=(0, 1))
def deco_grad_positions(x, y):
    return ops.sum(x * x * y)


@ops.value_and_grad(grad_position=1)
def deco_value_and_grad(x, y):
    return ops.sum(x * x * y)


def test_decorators_over_functions():
    assert_structure(deco_gradop(_x(), _y()), F2_DX)
    assert_structure(deco_gradop_all(_x(), _y()), (F2_DX, F2_DY))
    assert_structure(deco_grad(_x(), _y()), F2_DX)
    assert_structure(deco_grad_positions(_x(), _y()), (F2_DX, F2_DY))
    assert_structure(deco_value_and_grad(_x(), _y()), (np.array(F2_VALUE), F2_DY))


def _scaled_cell(decorator):
    @decorator
    class Scaled(nn.Cell):
        def __init__(self, s):
            super().__init__()
            self.s = s
            self.w = Parameter(Tensor(WA.copy()), name="w")

        def construct(self, x, y):
            return ops.sum(x * y * self.w * self.s)
    return Scaled


@pytest.mark.parametrize("name,decorator,want", [
    ("GradOperation", ops.GradOperation(), lambda s: YA * WA * s),
    ("GradOperation_all", ops.GradOperation(get_all=True),
     lambda s: (YA * WA * s, XA * WA * s)),
    ("grad", ops.grad, lambda s: YA * WA * s),
    ("grad_positions", ops.grad(grad_position=(0, 1)), lambda s: (YA * WA * s, XA * WA * s)),
    ("value_and_grad", ops.value_and_grad(grad_position=1),
     lambda s: (np.array(np.sum(XA * YA * WA * s)), XA * WA * s)),
], ids=lambda v: v if isinstance(v, str) else "")
def test_decorator_over_cell_class(name, decorator, want):
    cls = _scaled_cell(decorator)
    a, b = cls(2.0), cls(3.0)
    assert isinstance(a, nn.Cell) and isinstance(a, cls)
    assert [p.name for p in a.trainable_params()] == ["w"]
    assert_structure(a(_x(), _y()), want(2.0))
    assert_structure(b(_x(), _y()), want(3.0))  # each instance its own construct
    assert_structure(a(_x(), _y()), want(2.0))


def test_get_by_list_decorator_over_cell_class():
    cls = _scaled_cell(ops.GradOperation(get_by_list=True))
    assert_structure(cls(2.0)(_x(), _y()), (XA * YA * 2.0,))


# =========================================================================================
# dump / source
# =========================================================================================

class Readable(nn.Cell):
    def __init__(self):
        super().__init__()
        self.weight = Parameter(Tensor(WA.copy()), name="weight")

    def construct(self, inputs, targets):
        hidden = ops.tanh(inputs * self.weight)
        residual = hidden - targets
        return ops.sum(residual * residual)


def test_dump_shows_user_names_and_source_lines():
    text = autograd_st.dump(Readable(), _x(), _y(), get_all=True, get_by_list=True)
    for name in ("hidden", "residual", "inputs", "targets", "weight"):
        assert name in text
    lines, start = inspect.getsourcelines(Readable.construct)
    hidden_line = start + next(i for i, ln in enumerate(lines) if "hidden = " in ln)
    residual_line = start + next(i for i, ln in enumerate(lines) if "residual = " in ln)
    for lineno in (hidden_line, residual_line):
        assert "test_api_semantics.py:%d" % lineno in text
    assert any(ln.strip().startswith("#") and "test_api_semantics.py:%d" % hidden_line in ln
               for ln in text.splitlines())
    # it is the code that runs: compile it
    compile(text, "<dump>", "exec")


def f_named(alpha, beta):
    product = alpha * beta
    return ops.sum(ops.exp(product))


def test_source_of_gradient_function_matches_dump():
    gfn = ops.grad(f_named, (0, 1))
    text = gfn.source(_x(), _y())
    assert "product" in text and "alpha" in text and "beta" in text
    line = inspect.getsourcelines(f_named)[1] + 1
    assert "test_api_semantics.py:%d" % line in text
    assert autograd_st.dump(f_named, _x(), _y(), grad_position=(0, 1)) == text
    # and the gradient it computes is right
    assert_structure(gfn(_x(), _y()), (YA * np.exp(XA * YA), XA * np.exp(XA * YA)))


# =========================================================================================
# compiled once
# =========================================================================================

def f_cached(x, y):
    return ops.sum(ops.sin(x) * y)


_Counter = CallCounter


def test_gradient_function_compiles_once(monkeypatch):
    build = _Counter(compiler_pkg.build_gradient)
    normalize = _Counter(compiler_pkg.normalize_function)
    monkeypatch.setattr(compiler_pkg, "build_gradient", build)
    monkeypatch.setattr(compiler_pkg, "normalize_function", normalize)
    gfn = ops.grad(f_cached, (0, 1))
    rng = np.random.default_rng(0)
    for i in range(30):
        shape = (i % 4 + 1, 3)  # shapes change, the code does not
        x, y = Tensor(rng.standard_normal(shape)), Tensor(rng.standard_normal(shape))
        gx, gy = gfn(x, y)
        assert_close(gx, np.cos(x.asnumpy()) * y.asnumpy(), rtol=1e-12)
        assert_close(gy, np.sin(x.asnumpy()), rtol=1e-12)
    assert build.calls == 1
    assert normalize.calls == 1
    text = gfn.source(x, y)
    assert gfn.source(x, y) == text
    assert build.calls == 1


def test_cell_gradient_compiles_once_across_parameter_updates(monkeypatch):
    build = _Counter(compiler_pkg.build_gradient)
    monkeypatch.setattr(compiler_pkg, "build_gradient", build)
    net = Net()
    gfn = ops.GradOperation(get_by_list=True)(net, ParameterTuple(net.trainable_params()))
    for step in range(10):
        net.w.set_data(WA + step)  # optimizer-style in-place updates
        gw, gb = gfn(_x(), _y())
        assert_close(gw, XA * YA, rtol=1e-12)
        assert_close(gb, XA, rtol=1e-12)
    assert build.calls == 1


# =========================================================================================
# requires_grad
# =========================================================================================

class Frozen(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(WA.copy()), name="w")
        self.b = Parameter(Tensor(BA.copy()), name="b")

    def construct(self, x):
        return ops.sum(x * self.w * self.b + self.b * x)


def test_requires_grad_toggled_and_parameter_redefined():
    net = Frozen()
    x = _x()
    gop = ops.GradOperation(get_by_list=True)
    assert [p.name for p in net.trainable_params()] == ["w", "b"]
    assert_structure(gop(net, ParameterTuple(net.trainable_params()))(x),
                     (XA * BA, XA * WA + XA))
    net.b.requires_grad = False
    assert [p.name for p in net.trainable_params()] == ["w"]
    assert_structure(gop(net, ParameterTuple(net.trainable_params()))(x), (XA * BA,))
    assert_structure(ops.grad(net)(x), WA * BA + BA)
    # redefine b trainable with new values, then w frozen with new values
    b2, w2 = np.array([0.3, 0.4, 0.5]), np.array([2.0, 3.0, -1.0])
    net.b = Parameter(Tensor(b2.copy()), name="b", requires_grad=True)
    assert [p.name for p in net.trainable_params()] == ["w", "b"]
    assert_structure(gop(net, ParameterTuple(net.trainable_params()))(x),
                     (XA * b2, XA * WA + XA))
    net.w = Parameter(Tensor(w2.copy()), name="w", requires_grad=False)
    assert [p.name for p in net.trainable_params()] == ["b"]
    assert_structure(gop(net, ParameterTuple(net.trainable_params()))(x), (XA * w2 + XA,))
    assert_structure(ops.grad(net)(x), w2 * b2 + b2)


def test_frozen_parameter_passed_explicitly_gets_zero_gradient():
    net = Frozen()
    net.b.requires_grad = False
    gw, gb = ops.grad(net, None, (net.w, net.b))(_x())
    assert_close(gw, XA * BA)
    assert_close(gb, np.zeros(3))


class TupleAttr(nn.Cell):
    def __init__(self):
        super().__init__()
        self.ws = ParameterTuple([Parameter(Tensor(WA.copy()), name="a"),
                                  Parameter(Tensor(BA.copy()), name="c")])

    def construct(self, x):
        return ops.sum(x * self.ws[0] + x * x * self.ws[1])


def test_parameter_tuple_attribute_is_registered():
    assert [p.name for p in TupleAttr().trainable_params()] == ["a", "c"]


def test_parameter_tuple_attribute_gradients():
    net = TupleAttr()
    assert_structure(ops.grad(net)(_x()), WA + 2 * XA * BA)
    assert_structure(ops.grad(net, None, net.ws)(_x()), (XA, XA * XA))


# =========================================================================================
# dtypes
# =========================================================================================

def f_int(x, k):
    return ops.sum(x * k * 1.5)


def test_int_input_gradient_takes_input_dtype():
    k = Tensor(np.array([1, 2, -3], np.int32))
    gx, gk = ops.grad(f_int, (0, 1))(_x(), k)
    assert gx.dtype == autograd_st.float64
    assert_close(gx, 1.5 * k.asnumpy(), rtol=1e-12)
    assert gk.dtype == autograd_st.int32 and gk.shape == (3,)
    np.testing.assert_array_equal(gk.asnumpy(), (1.5 * XA).astype(np.int32))


def test_float32_inputs_give_float32_gradients():
    x32, y32 = Tensor(XA.astype(np.float32)), Tensor(YA.astype(np.float32))
    gx, gy = ops.grad(f2, (0, 1))(x32, y32)
    assert gx.dtype == autograd_st.float32 and gy.dtype == autograd_st.float32
    assert_close(gx, F2_DX, rtol=1e-6)


def test_results_match_finite_differences_for_cell_with_sens():
    net = Net()
    x, y, s = _x(), _y(), _sens()
    (gx, gy), (gw, gb) = ops.GradOperation(get_all=True, get_by_list=True, sens_param=True)(
        net, ParameterTuple(net.trainable_params()))(x, y, s)

    def weighted(a, b):
        return ops.sum(net(a, b) * s)
    # every one moved in place (inputs too), then x again rebuilt as an argument
    nx, ny, nw, nb = numerical_grad(weighted, (x, y), None, weights=[x, y, net.w, net.b])
    for g, n in ((gx, nx), (gy, ny), (gw, nw), (gb, nb)):
        assert_close(g, n)
    assert_close(numerical_grad(weighted, (x, y)), gx)


def test_get_by_list_alone_builds_no_input_gradient():
    """GradOperation(get_by_list=True) returns the weights' gradients only: the generated
    code computes no input's gradient (a wasted matmul per layer per step otherwise)."""
    net = Net()
    gfn = ops.GradOperation(get_by_list=True)(net, ParameterTuple(net.trainable_params()))
    gw, gb = gfn(_x(), _y())
    assert_close(gw, XA * YA, rtol=1e-12)
    assert_close(gb, XA, rtol=1e-12)
    source = gfn.source(_x(), _y())
    assert "d_x" not in source and "d_y" not in source
    # a constant first input is fine then: nothing asks for its gradient
    gw1, _ = gfn(3, _y())
    assert_close(gw1, 3 * YA, rtol=1e-12)
