"""MindSpore's result dtypes where integer, bool and float operands meet, eagerly and in the
code the compiler generates (``autograd_st/promotion.py``, ``compiler/promote.py``).

Measured in MindSpore 2.10 (CPU; tests/ms_cases/cases/dt_promote_*.py record the programs
below): an int or bool Tensor with a float Tensor gives the float one's dtype (int32 *
float32 is Float32, numpy float64); with a Python float, and in the true division of two
integer Tensors, Float32; float64 only when an operand is float64.  The gradient of an
integer input is an integer one, each operator's gradient for an integer operand cast to its
dtype (the adjoint of ``x * t`` is ``g * t`` in x's dtype; ``t``'s is cast to int32).
Programs with no integer array get no cast at all: their generated code is unchanged.
"""
import numpy as np
import pytest
from helpers import assert_close, numeric

import autograd_st as ms
from autograd_st import Parameter, Tensor, compiler, nn, ops
from autograd_st.compiler.ir import RUNTIME
from autograd_st.promotion import promote_pair, result_dtype


def _t(values, dtype):
    return Tensor(np.array(values, dtype))


X32 = _t([1.5, 2.25, 3.0], np.float32)
T32 = _t([1, 2, 3], np.int32)


# ---------------------------------------------------------------------------------------
# the rule, eagerly (each row measured in MindSpore 2.10, PyNative and ms.jit alike)
# ---------------------------------------------------------------------------------------

_OPERANDS = {
    "i32": lambda: _t([1, 2, 3], np.int32), "i64": lambda: _t([1, 2, 3], np.int64),
    "u8": lambda: _t([1, 2, 3], np.uint8), "i8": lambda: _t([1, 2, 3], np.int8),
    "b": lambda: _t([True, False, True], np.bool_), "f16": lambda: _t([1, 2, 3], np.float16),
    "f32": lambda: _t([1, 2, 3], np.float32), "f64": lambda: _t([1, 2, 3], np.float64),
    "py1.5": lambda: 1.5, "py2": lambda: 2,
}
_OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
        "/": lambda a, b: a / b, "//": lambda a, b: a // b, "%": lambda a, b: a % b,
        "**": lambda a, b: a ** b, "<": lambda a, b: a < b}

# (a, b, op) -> MindSpore's dtype of a op b and of b op a (the measured table, abridged)
MEASURED = [
    ("i32", "f16", "+", "Float16"), ("i32", "f16", "/", "Float16"),
    ("i32", "f16", "**", "Float16"), ("i64", "f16", "*", "Float16"),
    ("u8", "f16", "%", "Float16"), ("b", "f16", "*", "Float16"),
    ("i32", "f32", "*", "Float32"), ("i32", "f32", "//", "Float32"),
    ("i32", "f32", "%", "Float32"), ("i32", "f32", "**", "Float32"),
    ("i64", "f32", "-", "Float32"), ("i8", "f32", "/", "Float32"),
    ("b", "f32", "+", "Float32"), ("i32", "f64", "*", "Float64"), ("b", "f64", "/", "Float64"),
    ("i32", "i32", "/", "Float32"), ("i32", "i32", "//", "Int32"), ("i32", "i32", "%", "Int32"),
    ("i32", "i32", "**", "Int32"), ("i32", "i64", "+", "Int64"), ("i32", "i64", "/", "Float32"),
    ("i32", "u8", "*", "Int32"), ("i8", "u8", "+", "Int16"), ("u8", "b", "*", "UInt8"),
    ("b", "b", "/", "Float32"), ("b", "b", "+", "Bool"),
    ("i32", "py1.5", "*", "Float32"), ("i32", "py1.5", "//", "Float32"),
    ("i32", "py1.5", "**", "Float32"), ("u8", "py1.5", "-", "Float32"),
    ("b", "py1.5", "+", "Float32"), ("i32", "py2", "*", "Int32"), ("i32", "py2", "/", "Float32"),
    ("u8", "py2", "+", "UInt8"), ("b", "py2", "*", "Int64"), ("b", "py2", "/", "Float32"),
    ("i32", "f32", "<", "Bool"), ("i32", "py1.5", "<", "Bool"),
]


@pytest.mark.parametrize("a,b,op,want", MEASURED)
def test_tensor_operators_give_mindspores_dtype(a, b, op, want):
    x, y = _OPERANDS[a](), _OPERANDS[b]()
    with np.errstate(divide="ignore", invalid="ignore"):  # (x / 0: inf, as MindSpore)
        outs = (_OPS[op](x, y), _OPS[op](y, x))
    for out in outs:
        assert isinstance(out, Tensor) and str(out.dtype) == want


@pytest.mark.parametrize("fn", [ops.add, ops.sub, ops.mul, ops.div, ops.pow, ops.maximum,
                                ops.minimum, ops.floor_div, ops.floor_mod, ops.fmod])
def test_functional_ops_give_mindspores_dtype(fn):
    # measured: Float32, Float32, Int32, Float16 (div: Float32 for int32 / int32)
    h = _t([0.5, 1.0, 2.0], np.float16)
    assert fn(X32, T32).dtype == ms.float32
    assert fn(T32, 0.5).dtype == ms.float32
    assert fn(T32, T32).dtype == (ms.float32 if fn is ops.div else ms.int32)
    assert fn(h, T32).dtype == ms.float16
    assert fn(_t([True, False, True], np.bool_), 0.5).dtype == ms.float32


def test_the_operands_are_cast_before_the_operator():
    # MindSpore casts int32 to float32 first: 16777217 (2**24 + 1) is 16777216.0 in float32
    big = np.array([2 ** 24 + 1], np.int32)
    one = np.ones(1, np.float32)
    a, b = promote_pair(big, one)
    assert a.dtype == np.float32 and b is one
    assert (Tensor(big) * Tensor(one)).asnumpy()[0] == np.float32(2 ** 24)
    assert result_dtype(big, one) == np.float32
    assert result_dtype(one, 2.0) is None and result_dtype(big, 2) is None
    assert result_dtype(big, big, true_div=True) == np.float32


# ---------------------------------------------------------------------------------------
# generated code: values, gradients and their dtypes
# ---------------------------------------------------------------------------------------

def mixed(x, t):  # the example of the issue
    y = x * t
    z = y / 2 + t * 0.5
    return (z * x).sum()


def test_value_and_grad_gives_mindspores_dtypes():
    assert mixed(X32, T32).dtype == ms.float32
    value, (gx, gt) = ops.value_and_grad(mixed, grad_position=(0, 1))(X32, T32)
    assert value.dtype == ms.float32 and gx.dtype == ms.float32 and gt.dtype == ms.int32
    # MindSpore 2.10 (measured): 27.1875, [2.0, 5.5, 10.5], [1, 3, 5]
    assert float(value.asnumpy()) == 27.1875
    np.testing.assert_array_equal(gx.asnumpy(), [2.0, 5.5, 10.5])
    np.testing.assert_array_equal(gt.asnumpy(), [1, 3, 5])
    source = ops.value_and_grad(mixed, grad_position=(0, 1)).source(X32, T32)
    assert "ms_promote(t, x, False)" in source and "ms_promote(t, 0.5, False)" in source


def test_gradient_in_float64_against_finite_differences():
    x = _t([0.4, -1.3, 2.2], np.float64)
    value, gx = ops.value_and_grad(mixed)(x, T32)
    assert value.dtype == ms.float64 and gx.dtype == ms.float64
    assert_close(value, mixed(x, T32))
    assert_close(gx, numeric(mixed, (x, T32), 0), 1e-6, 1e-7)


def square_chain(x, t):
    return (t * t * x).sum()


def test_integer_operand_gradients_are_cast_per_operator():
    # MindSpore (measured): the adjoint of the int32 t * t is cast to int32 first, so the
    # gradient of t is 2 t trunc(x): [2, 8, 18] for x = [1.5, 2.5, 3.5] (the true one is
    # 2 t x = [3, 10, 21])
    x = _t([1.5, 2.5, 3.5], np.float32)
    gx, gt = ops.grad(square_chain, (0, 1))(x, T32)
    assert gt.dtype == ms.int32
    np.testing.assert_array_equal(gt.asnumpy(), [2, 8, 18])
    np.testing.assert_array_equal(gx.asnumpy(), [1, 4, 9])


def divisions(x, t, s):
    q = t / s
    f = t // s
    m = t % s
    g = x // t + x % t
    h = t % 1.5 + t // 1.5
    return (x * q + f * x - m * 1.5 + g * 0.25 + h * x).sum(), q, f, m, g, h


def powers(x, t):
    return (x ** t + t ** 0.5 * x + (t ** 2) * x + ops.maximum(x, t)).sum()


def test_division_floor_mod_and_power_dtypes_and_gradients():
    s = _t([2, 3, 2], np.int32)
    eager = divisions(X32, T32, s)
    (vals, gx) = ops.value_and_grad(divisions, grad_position=(0,), has_aux=True)(X32, T32, s)
    want = [ms.float32, ms.float32, ms.int32, ms.int32, ms.float32, ms.float32]
    for got, direct, dt in zip(vals, eager, want):
        assert got.dtype == dt and direct.dtype == dt
        assert_close(got, direct)
    assert gx.dtype == ms.float32
    x64 = _t([1.7, 2.4, 3.2], np.float64)  # (away from the jumps of // and %)
    g64 = ops.grad(divisions, has_aux=True)(x64, T32, s)[0]
    assert_close(g64, numeric(lambda *a: divisions(*a)[0], (x64, T32, s), 0), 1e-6, 1e-7)
    value, gx = ops.value_and_grad(powers)(X32, T32)
    assert value.dtype == ms.float32 and gx.dtype == ms.float32
    assert_close(value, powers(X32, T32), 1e-6)
    x64 = _t([1.3, 2.6, 3.4], np.float64)
    assert_close(ops.grad(powers)(x64, T32), numeric(powers, (x64, T32), 0), 1e-6, 1e-6)


def masks_and_numbers(x, t, b, c):
    w = x * (x > t) + b * 0.5 + t * c   # c: a Python float passed at run time
    n = b + 2
    return (w * x).sum() + (n * x).sum() + (t.sum() * x).sum(), w, n


def test_bool_masks_python_floats_and_integer_sums():
    b = _t([True, False, True], np.bool_)
    (value, w, n), gx = ops.value_and_grad(masks_and_numbers, has_aux=True)(X32, T32, b, 0.25)
    assert value.dtype == ms.float32 and w.dtype == ms.float32 and gx.dtype == ms.float32
    assert n.dtype == ms.int64  # (a bool Tensor + 2: Int64, measured)
    for got, direct in zip((value, w, n), masks_and_numbers(X32, T32, b, 0.25)):
        assert got.dtype == direct.dtype
        assert_close(got, direct, 1e-6)
    x64 = _t([0.5, 2.5, 3.5], np.float64)
    g = ops.grad(masks_and_numbers, has_aux=True)(x64, T32, b, 0.25)[0]
    want = numeric(lambda *a: masks_and_numbers(*a)[0], (x64, T32, b, 0.25), 0)
    assert_close(g, want, 1e-6, 1e-6)


def in_place(x, t):
    y = t * 1
    y += 0.5      # Float32 (a new Tensor, as in MindSpore's PyNative mode)
    s = t + 0
    s += 1        # Int32
    return (y * x).sum(), y, s


def test_augmented_assignment():
    (value, y, s), (gx, gt) = ops.value_and_grad(in_place, (0, 1), has_aux=True)(X32, T32)
    assert y.dtype == ms.float32 and s.dtype == ms.int32 and value.dtype == ms.float32
    np.testing.assert_array_equal(y.asnumpy(), [1.5, 2.5, 3.5])
    np.testing.assert_array_equal(s.asnumpy(), [2, 3, 4])
    np.testing.assert_array_equal(gx.asnumpy(), [1.5, 2.5, 3.5])
    np.testing.assert_array_equal(gt.asnumpy(), [1, 2, 3])  # (measured)
    eager = in_place(X32, T32)
    assert [v.dtype for v in eager] == [ms.float32, ms.float32, ms.int32]


def scale_by(h, k):  # a helper function, called with an int32 Tensor
    return h * k + k / 4


class Stepper(nn.Cell):
    """An int32 buffer (a Tensor attribute), an int32 Parameter not trained, a loop."""

    def __init__(self, dtype=np.float32):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, -1.0, 1.5], dtype)), name="w")
        self.steps = Tensor(np.array([1, 2, 3], np.int32))
        self.shift = Parameter(Tensor(np.array([2, 0, -1], np.int32)), name="shift",
                               requires_grad=False)

    def construct(self, x, n):
        h = x * self.w
        for _ in range(3):
            h = scale_by(h, self.steps) * 0.5 + self.shift
        return (h * h).sum() / n


def test_cell_with_an_int32_buffer_a_loop_and_a_helper():
    net = Stepper()
    x, n = _t([0.25, -0.5, 0.75], np.float32), Tensor(np.array(3, np.int32))
    value, ((gx, gn), (gw,)) = ops.value_and_grad(net, (0, 1), net.trainable_params())(x, n)
    assert net(x, n).dtype == ms.float32
    assert value.dtype == gx.dtype == gw.dtype == ms.float32 and gn.dtype == ms.int32
    # MindSpore 2.10 (tests/ms_cases/cases/dt_promote_cell.py)
    assert_close(value, np.float32(5.39794921875), 1e-6)
    assert_close(gx, [0.1555989682674408, -0.8333333730697632, 2.794922351837158], 1e-5)
    assert int(gn.asnumpy()) == -1
    source = ops.value_and_grad(net, (0, 1), net.trainable_params()).source(x, n)
    assert "ms_promote(" in source
    # in float64 (the same Cell, a float64 weight): against finite differences
    net64 = Stepper(np.float64)
    x64 = _t([0.25, -0.5, 0.75], np.float64)
    gx64, gw64 = ops.grad(net64, 0, net64.trainable_params())(x64, n)
    assert gx64.dtype == ms.float64
    assert_close(gx64, numeric(lambda a: net64(Tensor(a), n), (x64,), 0), 1e-6, 1e-7)
    w0 = net64.w.asnumpy().copy()

    def at_w(w):
        net64.w.set_data(Tensor(w))
        return net64(x64, n)
    want = numeric(at_w, (w0,), 0)
    net64.w.set_data(Tensor(w0))
    assert_close(gw64[0], want, 1e-6, 1e-7)


def test_grad_operation_and_ms_jit():
    net = Stepper()
    x, n = _t([0.25, -0.5, 0.75], np.float32), Tensor(np.array(3, np.int32))
    dx, dn = ops.GradOperation(get_all=True)(net)(x, n)
    assert dx.dtype == ms.float32 and dn.dtype == ms.int32
    plain = ops.value_and_grad(mixed, (0, 1))(X32, T32)
    jitted = ms.jit(ops.value_and_grad(mixed, (0, 1)))(X32, T32)
    for a, b in zip((plain[0],) + plain[1], (jitted[0],) + jitted[1]):
        assert a.dtype == b.dtype
        assert_close(a, b, 1e-6)
    value, gx = ms.jit(ops.value_and_grad(net, 0))(x, n)
    assert value.dtype == gx.dtype == ms.float32
    assert_close(gx, ops.grad(net, 0)(x, n), 1e-6)


def test_forward_mode_and_second_order():
    out, tangent = ops.jvp(lambda x: mixed(x, T32), (X32,), (Tensor(np.ones(3, np.float32)),))
    assert out.dtype == ms.float32 and tangent.dtype == ms.float32
    assert_close(tangent, ops.grad(mixed)(X32, T32).asnumpy().sum(), 1e-6)
    x64 = _t([0.4, -1.3, 2.2], np.float64)

    def first(x, t):
        return ops.grad(mixed)(x, t).sum()
    g2 = ops.grad(first)(x64, T32)
    assert g2.dtype == ms.float64
    assert_close(g2, numeric(first, (x64, T32), 0), 1e-5, 1e-6)


# ---------------------------------------------------------------------------------------
# what does not change: float programs, numpy in numpy out
# ---------------------------------------------------------------------------------------

def float_only(x, w):
    total = 0
    for i in range(3):
        total = total + (x * (x > 0) * w).sum() / x.shape[0] + i
    mask = x > 0.5
    return total + (x * mask).sum() * 0.5


class Classifier(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(4, 3)
        self.loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")

    def construct(self, x, labels):
        return self.loss(self.fc(x), labels)


def test_programs_without_integer_arithmetic_are_unchanged():
    x, w = _t([0.3, -0.7, 1.2], np.float32), _t([1.0, 2.0, 0.5], np.float32)
    fir = compiler.normalize_function(float_only, None, [RUNTIME, RUNTIME], None, True)
    assert compiler.promote_dtypes(fir, ["f", "f"], []) is fir
    assert "ms_promote" not in ops.grad(float_only, (0, 1)).source(x, w)
    # integer labels that only feed the loss (benchmark W2's case): no cast either
    net = Classifier()
    labels = _t([0, 2], np.int32)
    grad = ops.value_and_grad(net, None, net.trainable_params())
    assert "ms_promote" not in grad.source(_t(np.ones((2, 4)), np.float32), labels)


def test_numpy_in_numpy_out_keeps_numpys_promotion():
    x, t = np.array([1.5, 2.25, 3.0], np.float32), np.array([1, 2, 3], np.int32)
    assert mixed(x, t).dtype == np.float64  # (numpy: int32 * float32 is float64)
    value, gx = ops.value_and_grad(mixed)(x, t)
    assert isinstance(value, np.generic) and value.dtype == np.float64
    assert gx.dtype == np.float32  # (a gradient in its input's dtype)
    assert "ms_promote" not in ops.value_and_grad(mixed).source(x, t)
