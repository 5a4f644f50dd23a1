"""compiler/lower_fwdacc.py: the gradient of an elementwise chain accumulated forward.

Each test checks numbers: the forward branch's value is the reverse code's, bit for bit, and
its gradient the reverse code's (the same generated function run with ``fwdacc_ok``
answering False) at float64 rounding, and central finite differences'; functions outside
the class (a branch, a loop, a reduction or a matmul in the middle, a gradient
differentiated again) have no branch, and calls whose arrays do not allow it (a 0-d or
integer x, x broadcast against a bigger array, another dtype) run the reverse code."""
import gast
import numpy as np
import pytest

from autograd_st import GradOperation, Parameter, Tensor, nn, ops, rules
from autograd_st.compiler import gradient, lower_fwdacc
from autograd_st.compiler.lower_fwdacc import fwdacc_ok
from tests.helpers import fd


@pytest.fixture(autouse=True)
def _always(monkeypatch):
    # the branch wherever the function is of the class (short test chains run fewer
    # operations backward, where the branch is not kept: test_the_cost_rule)
    monkeypatch.setattr(lower_fwdacc, "ENABLED", "always")


def _reverse(gfn, *args):
    """The generated gradient function with its forward branch switched off: its source
    executed again with ``fwdacc_ok`` answering False."""
    src = gfn.source(*[Tensor(a) if isinstance(a, np.ndarray) else a for a in args])
    assert "if fwdacc_ok(" in src
    ns = dict(rules.template_globals())
    ns["fwdacc_ok"] = lambda *arrays: False
    ns["sens_shape"] = gradient.sens_shape
    exec(compile(src, "<reverse branch>", "exec"), ns)  # noqa: S102
    return ns[src.split("(", 1)[0].split()[-1]]


def _is_branch_body(stmts) -> bool:
    return bool(stmts) and "an elementwise chain" in gast.dump(stmts[0])


def _np(v):
    return v.asnumpy() if isinstance(v, Tensor) else np.asarray(v)


# -- one function per admitted primitive (its forward rule, its local derivative) ----------

def f_add(x):
    return ops.sum(ops.sin(x) + x + 2.0)


def f_sub(x):
    return ops.sum(3.0 - ops.sin(x) - x)


def f_mul(x):
    return ops.sum(x * ops.sin(x) * 1.5)


def f_div(x):
    return ops.sum(ops.sin(x) / (x * x + 1.0) + 2.0 / (ops.exp(x)))


def f_pow(x):
    return ops.sum((x * x + 1.0) ** 1.5 + ops.exp(x) ** 2 + 2.0 ** ops.sin(x))


def f_neg(x):
    return ops.sum(-ops.tanh(-x))


def f_max(x):
    return ops.sum(ops.maximum(x, 0.25) + ops.minimum(ops.sin(x), x * 0.5))


def f_where(x):
    return ops.sum(ops.where(x > 0, x * x, ops.sin(x)))


def f_unary(x):
    h = ops.exp(x * 0.3)
    h = ops.log(h + 1.0) + ops.sqrt(h) + ops.square(ops.cos(h))
    h = ops.sigmoid(h) + ops.relu(h - 1.5) + ops.abs(ops.sin(h * 3.0))
    return ops.sum(ops.tanh(h) + ops.log1p(h) + ops.expm1(h * 0.1))


def f_trig(x):
    h = ops.atan(x) + ops.sinh(x) * 0.5 + ops.cosh(x * 0.5) + ops.tan(x * 0.5)
    h = h + ops.asin(x * 0.5) + ops.acos(x * 0.5) + ops.asinh(x) + ops.atanh(x * 0.5)
    return ops.sum(h + ops.erf(x) + ops.softplus(x) + ops.logaddexp(x, ops.sin(x)))


def f_np(x):
    # numpy's functions on Tensors (the benchmark's chain is written so)
    h = np.sin(x)
    a = np.tanh(h)
    h = a * 0.9 + h
    c = np.exp(np.sin(h) * 0.1)
    h = c * h
    return np.sum(np.cos(h))


CHAINS = [f_add, f_sub, f_mul, f_div, f_pow, f_neg, f_max, f_where, f_unary, f_trig, f_np]


def _check(f, x, rtol=1e-12):
    g = ops.value_and_grad(f)
    value, grad = g(Tensor(x))
    keep = x.copy()
    rv, rg = _reverse(g, x)(x)
    np.testing.assert_array_equal(x, keep)  # the argument is never written
    assert float(_np(value)) == float(rv)  # the same operations: the same bits
    np.testing.assert_allclose(_np(grad), rg, rtol=rtol, atol=1e-300)
    assert _np(grad).dtype == x.dtype and _np(grad).shape == x.shape
    return _np(grad)


@pytest.mark.parametrize("f", CHAINS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("shape", [(1,), (7,), (3, 4)])
def test_each_primitive_gives_the_reverse_code_s_gradient(f, shape):
    x = np.random.default_rng(1).uniform(-0.9, 0.9, shape)
    x.flat[0] = 0.25  # (a tie of maximum(x, 0.25): half the gradient each way)
    grad = _check(f, x)
    ref = fd(lambda v: float(_np(f(Tensor(v)))), x)
    np.testing.assert_allclose(grad, ref, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("f", CHAINS, ids=lambda f: f.__name__)
def test_float32_is_the_reverse_code_s_at_its_rounding(f):
    x = np.random.default_rng(2).uniform(-0.9, 0.9, 9).astype(np.float32)
    _check(f, x, rtol=2e-5)


def test_the_chain_is_carried_forward_and_nothing_is_kept():
    x = np.linspace(-1, 1, 5)
    src = ops.value_and_grad(f_np).source(Tensor(x))
    fast = src.split("    if inplace_ok(", 1)[0] if "inplace_ok(" in src else src
    fast = fast.split("\n    # h = np.sin(x)", 1)[0]
    assert "if fwdacc_ok(x):" in fast and "carried forward alongside the values" in fast
    # h = 0.9 tanh(h) + h: its local derivative 1.9 - 0.9 a * a, into the carried derivative
    assert "numbers_as(x, (" in fast and "1.9" in fast and " *= t" in fast
    assert "d_h" not in fast  # no adjoint: nothing goes backward


def test_several_uses_of_x_and_a_number_x_falls_back():
    def f(x):
        return ops.sum(x * ops.sin(x) + ops.exp(x * x) * x)
    x = np.linspace(-1, 1, 6)
    grad = _check(f, x)
    np.testing.assert_allclose(grad, np.sin(x) + x * np.cos(x)
                               + np.exp(x * x) * (2 * x * x + 1), rtol=1e-13)
    # a 0-d x: the reverse code (its values are numpy scalars)
    g = ops.grad(f)
    for v in (np.array(0.3), 0.3):
        out = _np(g(Tensor(v) if isinstance(v, np.ndarray) else v))
        np.testing.assert_allclose(out, np.sin(0.3) + 0.3 * np.cos(0.3)
                                   + np.exp(0.09) * (2 * 0.09 + 1), rtol=1e-13)


def test_mean_has_aux_and_the_value():
    def f(x):
        h = ops.tanh(x * 2.0)
        return ops.mean(h * h), h
    x = np.linspace(-1, 1, 8).reshape(2, 4)
    g = ops.value_and_grad(f, has_aux=True)
    (value, aux), grad = g(Tensor(x))
    (rv, raux), rg = _reverse(g, x)(x)
    assert float(_np(value)) == float(rv)
    np.testing.assert_array_equal(_np(aux), raux)
    np.testing.assert_allclose(_np(grad), rg, rtol=1e-13)
    t = np.tanh(2 * x)
    np.testing.assert_allclose(_np(grad), 2 * t * (1 - t * t) * 2 / 8, rtol=1e-13)
    assert not np.shares_memory(_np(grad), _np(aux))


def test_sens_of_the_chain_itself():
    def f(x):
        return ops.sin(x) * ops.exp(x * 0.5)
    x = np.linspace(-1, 1, 5)
    sens = np.linspace(1, 2, 5)
    g = GradOperation(sens_param=True)(f)
    grad = _np(g(Tensor(x), Tensor(sens)))
    rg = _reverse(g, x, sens)(x, sens)
    np.testing.assert_allclose(grad, rg, rtol=1e-13)
    e = np.exp(0.5 * x)
    np.testing.assert_allclose(grad, sens * (np.cos(x) * e + 0.5 * np.sin(x) * e), rtol=1e-13)
    with pytest.raises(Exception, match="shape"):  # the reverse code's own refusal
        g(Tensor(x), Tensor(np.ones(3)))


def test_sens_of_a_full_sum_and_gradients_only():
    def f(x):
        return ops.sum(ops.sin(x) * ops.exp(x * 0.5))
    x = np.linspace(-1, 1, 5)
    e = np.exp(0.5 * x)
    want = np.cos(x) * e + 0.5 * np.sin(x) * e
    g = GradOperation(sens_param=True)(f)
    np.testing.assert_allclose(_np(g(Tensor(x), Tensor(np.array(2.5)))), 2.5 * want,
                               rtol=1e-13)
    np.testing.assert_allclose(_reverse(g, x, np.array(2.5))(x, np.array(2.5)), 2.5 * want,
                               rtol=1e-13)
    # gradients only: the sum itself is not computed
    g = ops.grad(f)
    src = g.source(Tensor(x)).split("\n    if inplace_ok(")[0]
    assert "if fwdacc_ok(x)" in src and "np.sum(" not in src
    np.testing.assert_allclose(_np(g(Tensor(x))), want, rtol=1e-13)


def test_other_arrays_are_read_and_checked_at_run_time():
    def f(x, w):
        return ops.sum(ops.tanh(x * w + 0.5) * w)
    x = np.linspace(-1, 1, 6).reshape(2, 3)

    def ref(x, w):
        t = np.tanh(x * w + 0.5)
        return np.broadcast_to((1 - t * t) * w * w, np.broadcast(x, w).shape)
    g = ops.grad(f)
    for w in (np.linspace(0.5, 1.5, 6).reshape(2, 3), np.array([0.5, 1.0, 2.0]), 1.5):
        np.testing.assert_allclose(_np(g(Tensor(x), Tensor(w) if np.ndim(w) else w)),
                                   ref(x, w), rtol=1e-13)
    # x broadcast against a bigger w: the reverse code sums the gradient to x's shape
    xs = np.array([0.1, -0.2, 0.3])
    w = np.linspace(0.5, 1.5, 6).reshape(2, 3)
    out = _np(g(Tensor(xs), Tensor(w)))
    np.testing.assert_allclose(out, ref(xs, w).sum(axis=0), rtol=1e-13)
    assert out.shape == (3,)
    # w of another dtype: the reverse code, the gradient in x's dtype
    out = _np(g(Tensor(x.astype(np.float32)), Tensor(np.full((2, 3), 1.5))))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, ref(x, 1.5), rtol=1e-5)


def test_integer_inputs():
    def f(x):
        return ops.sum(ops.sin(x) * x)
    x = np.arange(4)
    out = _np(ops.grad(f)(Tensor(x)))
    rev = _np(ops.grad(lambda v: ops.sum(ops.sin(v) * v))(Tensor(x)))
    np.testing.assert_array_equal(out, rev)
    assert out.dtype == x.dtype


def _branchy(x):
    h = ops.sin(x)
    if ops.sum(h) > 0:
        h = h * 2.0
    return ops.sum(ops.exp(h))


def _loopy(x):
    h = ops.sin(x)
    for _ in range(3):
        h = ops.tanh(h) + h
    return ops.sum(h)


def _reduced(x):
    h = ops.sin(x)
    s = ops.sum(h)
    return ops.sum(ops.exp(h * s))


def _matmul(x):
    h = ops.sin(x)
    return ops.sum(ops.exp(ops.matmul(h, h.T)))


def _reshaped(x):
    h = ops.reshape(ops.sin(x), (-1,))
    return ops.sum(ops.exp(h))


@pytest.mark.parametrize("f", [_branchy, _loopy, _reduced, _matmul, _reshaped],
                         ids=lambda f: f.__name__)
def test_outside_the_class_there_is_no_branch(f):
    x = np.linspace(-0.5, 1, 6).reshape(2, 3)
    g = ops.value_and_grad(f)
    assert "if fwdacc_ok(" not in g.source(Tensor(x))
    _, grad = g(Tensor(x))
    ref = fd(lambda v: float(_np(f(Tensor(v)))), x)
    np.testing.assert_allclose(_np(grad), ref, rtol=1e-6, atol=1e-8)


def test_second_order_differentiates_the_reverse_code():
    def f(x):
        return ops.sum(ops.sin(x) * ops.exp(x * 0.5))
    x = np.linspace(-1, 1, 5)
    first = ops.grad(f)
    assert "if fwdacc_ok(" in first.source(Tensor(x))
    second = ops.grad(lambda v: ops.sum(first(v)))
    e = np.exp(0.5 * x)
    # d/dx [cos e + 0.5 sin e] = -sin e + 0.5 cos e + 0.5 cos e + 0.25 sin e
    np.testing.assert_allclose(_np(second(Tensor(x))),
                               -0.75 * np.sin(x) * e + np.cos(x) * e, rtol=1e-13)


def test_a_cell_s_parameters_are_read():
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(Tensor(np.array([0.5, 1.0, 1.5])), name="w")

        def construct(self, x):
            return ops.sum(ops.sin(x * self.w) * self.w)
    net = Net()
    x = np.array([0.1, 0.2, 0.3])
    g = ops.grad(net)
    w = np.array([0.5, 1.0, 1.5])
    np.testing.assert_allclose(_np(g(Tensor(x))), np.cos(x * w) * w * w, rtol=1e-13)


def test_the_cost_rule(monkeypatch):
    monkeypatch.setattr(lower_fwdacc, "ENABLED", True)

    def chain(x):  # the benchmark's blocks: fewer operations forward than backward
        h = np.sin(x)
        for_ = np.tanh(h) * 0.9 + h
        h = np.exp(np.sin(for_) * 0.1) * for_
        h = np.tanh(h) * 0.9 + h
        h = np.exp(np.sin(h) * 0.1) * h
        return np.sum(np.sin(h))
    x = np.linspace(-1, 1, 5)
    assert "if fwdacc_ok(" in ops.value_and_grad(chain).source(Tensor(x))

    # where the branch would run more operations than the reverse code, it is not kept
    counts = []

    def counted(stmts):  # the branch's count made 1000 more
        counts.append(lower_fwdacc.operations(stmts))
        return counts[-1] + 1000 * _is_branch_body(stmts)
    monkeypatch.setattr(gradient, "operations", counted)

    def again(x):
        h = np.sin(x)
        h = np.tanh(h) * 0.9 + h
        return np.sum(np.sin(h))
    assert "if fwdacc_ok(" not in ops.value_and_grad(again).source(Tensor(x))
    # counted against the estimate first, then against the lowered reverse code
    assert len(counts) == 3 and 0 < counts[0] == counts[1] < counts[2] + 1000
    src = "def f(x):\n    a = np.sin(x)\n    a *= -x\n    return np.add(a, 1, out=a) + 2\n"

    assert lower_fwdacc.operations(gast.parse(src).body[0].body) == 5
    monkeypatch.setattr(lower_fwdacc, "ENABLED", False)

    def short(x):
        return ops.sum(ops.sin(x) * 2.0)
    assert "if fwdacc_ok(" not in ops.value_and_grad(short).source(Tensor(x))


def test_fwdacc_ok():
    x = np.zeros((2, 3))
    assert fwdacc_ok(x, 1.0, 2, True, np.ones(3), np.ones((1, 3)), np.ones((2, 3), bool))
    assert not fwdacc_ok(np.zeros(()))
    assert not fwdacc_ok(np.zeros(3, np.int64))
    assert not fwdacc_ok(np.zeros(3, np.float16))  # (its rounding: the reverse code's)
    assert not fwdacc_ok(1.0)
    assert not fwdacc_ok(x, np.ones((2, 2, 3)))  # x broadcast to a bigger shape
    assert not fwdacc_ok(x, np.ones(2))
    assert not fwdacc_ok(x, np.ones(3, np.float32))
    assert not fwdacc_ok(x, np.float64(1.0))  # a numpy scalar: not weak in numpy 2
