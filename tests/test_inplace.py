"""compiler/inplace.py: the float-array branch that writes temporaries in place.

Each test checks numbers: the branch's gradients are the plain branch's, bit for bit, and
central finite differences' (float64); the arguments and the values returned are never
overwritten; what no name may read again is the only thing written."""
import numpy as np
import pytest

from autograd_st import Tensor, ops, rules
from autograd_st.compiler import lower_fwdacc
from tests.helpers import fd


@pytest.fixture(autouse=True)
def _without_forward_accumulation(monkeypatch):
    # these chains' gradients are accumulated forward when the call allows it
    # (compiler/lower_fwdacc.py, tests/test_lower_fwdacc.py): this file tests the reverse
    # code's in-place branch, which runs when it does not
    monkeypatch.setattr(lower_fwdacc, "ENABLED", False)


def chain(x):
    # straight-line code (a loop's body is not rewritten)
    h = np.sin(x)
    a = np.tanh(h)
    b = a * 0.9
    h = b + h
    a = np.sin(h)
    b = a * 0.1
    c = np.exp(b)
    h = c * h
    a = np.tanh(h)
    b = a * 0.9
    h = b + h
    a = np.sin(h)
    b = a * 0.1
    c = np.exp(b)
    h = c * h
    a = np.tanh(h)
    b = a * 0.9
    h = b + h
    a = np.sin(h)
    b = a * 0.1
    c = np.exp(b)
    h = c * h
    return np.sum(np.cos(h))


def chain_np(x):
    """``chain``'s value, in numpy (float64)."""
    h = np.sin(x)
    for _ in range(3):
        h = np.tanh(h) * 0.9 + h
        h = np.exp(np.sin(h) * 0.1) * h
    return np.sum(np.cos(h))


def aliased(x):
    # the adjoint of (a * a) - (a - a) binds two names to one array (d_a = d_sub) and
    # then reads both in one statement: d_a = d_a + -d_sub
    a = np.sin(x)
    y = ((a * a) - (a - a)) * 0.5
    y = np.tanh(y) * 0.3 + y
    y = np.exp(y * 0.2) * y
    return np.sum(y * y)


def aliased_np(x):
    a = np.sin(x)
    y = a * a * 0.5
    y = np.tanh(y) * 0.3 + y
    y = np.exp(y * 0.2) * y
    return np.sum(y * y)


def two_outputs(x):
    # the forward value ``y`` is returned and read by later operations: never written
    y = np.sin(x) * 2.0
    z = np.tanh(y) * 0.5 + y
    z = np.exp(z * 0.1) * z
    return y, np.sum(z * z)


def _plain_branch(gfn, x):
    """The generated gradient function run with its in-place branch switched off: its
    source executed again with ``inplace_ok`` answering False."""
    src = gfn.source(Tensor(x))
    ns = dict(rules.template_globals())
    ns["inplace_ok"] = lambda *arrays: False
    exec(compile(src, "<plain branch>", "exec"), ns)  # noqa: S102
    fname = src.split("(", 1)[0].split()[-1]
    return ns[fname]


@pytest.mark.parametrize("f, ref", [(chain, chain_np), (aliased, aliased_np)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
def test_the_in_place_branch_gives_the_plain_branch_s_bits(f, ref, dtype):
    x = np.random.default_rng(0).uniform(-1, 1, 11).astype(dtype)
    g = ops.value_and_grad(f)
    src = g.source(Tensor(x))
    assert src.startswith("def %s_grad(x):\n    if inplace_ok(x):" % f.__name__)
    assert "out=" in src and "numbers_as(x, (" in src
    keep = x.copy()
    value, grad = g(Tensor(x))
    np.testing.assert_array_equal(x, keep)  # the argument is never written
    plain_value, plain_grad = _plain_branch(g, x)(x)
    assert grad.asnumpy().dtype == dtype
    np.testing.assert_array_equal(grad.asnumpy(), plain_grad)
    assert float(value.asnumpy()) == float(plain_value)
    if dtype == np.float64:
        np.testing.assert_allclose(float(value.asnumpy()), ref(x), rtol=1e-12)
        np.testing.assert_allclose(grad.asnumpy(), fd(ref, x), rtol=1e-6, atol=1e-8)


def test_the_chain_adds_into_its_adjoint_and_keeps_nothing_it_reads_later():
    x = np.linspace(-1, 1, 7)
    src = ops.value_and_grad(chain).source(Tensor(x))
    fast = src.split("    # h = np.sin(x)", 2)[1]
    # the adjoint of h = b + h accumulates into the array it holds
    assert "d_h_" in fast and " += np.multiply(" in fast
    # the forward's tanh outputs, read by their gradients, are written only after the
    # first of those gradients
    lines = fast.splitlines()
    tanhs = [line.split("=")[0].strip() for line in lines
             if "= np.tanh(" in line and not line.lstrip().startswith("#")]
    assert len(tanhs) == 3
    first_grad = next(i for i, line in enumerate(lines) if "grad of: a = np.tanh(h)" in line)
    for t in tanhs:
        writes = [i for i, line in enumerate(lines) if "out=%s)" % t in line]
        assert writes and min(writes) > first_grad


def test_a_returned_forward_value_is_never_overwritten():
    x = np.random.default_rng(1).uniform(-1, 1, 9)
    g = ops.value_and_grad(two_outputs)
    (y, loss), grad = g(Tensor(x))
    np.testing.assert_array_equal(y.asnumpy(), np.sin(x) * 2.0)

    def loss_np(v):
        y = np.sin(v) * 2.0
        z = np.tanh(y) * 0.5 + y
        z = np.exp(z * 0.1) * z
        return np.sum(z * z)
    np.testing.assert_allclose(float(loss.asnumpy()), loss_np(x), rtol=1e-12)
    # the gradient of (y, loss) with ones for y's sensitivity
    np.testing.assert_allclose(grad.asnumpy(), fd(loss_np, x) + 2.0 * np.cos(x),
                               rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("x", [np.float64(0.3), np.array(0.3), np.array([0.3])])
def test_zero_dimensional_arguments_run_the_plain_branch(x):
    g = ops.grad(chain)
    got = np.asarray(g(Tensor(x)).asnumpy())
    np.testing.assert_allclose(got.reshape(-1), fd(chain_np, np.atleast_1d(
        np.asarray(x, np.float64))), rtol=1e-6)


def test_numbers_are_read_only_and_shared_per_dtype():
    from autograd_st.runtime import inplace_ok, numbers_as
    a = numbers_as(np.zeros(2, np.float32), (0.9, 1))
    b = numbers_as(np.ones(3, np.float32), (0.9, 1))
    assert a is b and a[0].dtype == np.float32 and a[0] == np.float32(0.9)
    assert not a[0].flags.writeable
    assert numbers_as(np.zeros(2), (0.9, 1))[0] == 0.9
    assert inplace_ok(np.zeros(2), np.zeros((2, 2), np.float16))
    assert not inplace_ok(np.zeros(2), np.array(1.0))
    assert not inplace_ok(np.zeros(2, np.int64))
    assert not inplace_ok(np.float64(1.0))


def _random_program(rnd) -> str:
    """A straight-line elementwise function of ``x``: names rebound, aliased (``v = x``),
    read twice in one statement, returned."""
    names, lines = ["x"], []
    for k in range(rnd.randint(6, 20)):
        a, b = rnd.choice(names), rnd.choice(names)
        c = rnd.choice(["0.5", "2", "-0.3", "1", "0.9"])
        e = rnd.choice(["np.sin(%s)" % a, "np.tanh(%s)" % a, "np.cos(%s)" % a, "-" + a,
                        "%s + %s" % (a, b), "%s * %s" % (a, b), "%s - %s" % (a, b),
                        "%s * %s" % (a, c), "%s - %s" % (c, a), "%s / 2.0" % a,
                        "np.exp(%s * 0.1)" % a, a])
        t = rnd.choice(names[1:] + ["v%d" % k] * 3) if len(names) > 1 else "v%d" % k
        lines.append("    %s = %s" % (t, e))
        if t not in names:
            names.append(t)
    outs = rnd.sample(names, min(len(names), rnd.randint(1, 3)))
    ret = "np.sum(" + " * ".join(outs) + ")"
    if rnd.random() < 0.3:
        ret = outs[0] + ", " + ret
    return "import numpy as np\n\n\ndef f(x):\n" + "\n".join(lines) + "\n    return %s\n" % ret


def test_random_elementwise_programs_give_the_plain_branch_s_values(tmp_path, monkeypatch):
    import importlib
    import random
    monkeypatch.syspath_prepend(str(tmp_path))
    applied = 0
    for seed in range(120):
        src = _random_program(random.Random(seed))
        (tmp_path / ("inplace_prog%d.py" % seed)).write_text(src)
        f = importlib.import_module("inplace_prog%d" % seed).f
        x = np.random.default_rng(seed).uniform(-1, 1, 5).astype(
            np.float32 if seed % 2 else np.float64)
        keep = x.copy()
        g = ops.value_and_grad(f)
        value, grad = g(Tensor(x))
        np.testing.assert_array_equal(x, keep, err_msg=src)
        if "inplace_ok" not in g.source(Tensor(x)):
            continue
        applied += 1
        _, plain_grad = _plain_branch(g, x)(x)
        np.testing.assert_array_equal(grad.asnumpy(), plain_grad, err_msg=src)
        want = f(keep.copy())
        got = value if isinstance(value, tuple) else (value,)
        want = want if isinstance(want, tuple) else (want,)
        for a, b in zip(got, want):
            np.testing.assert_array_equal(np.asarray(a.asnumpy()), np.asarray(b), err_msg=src)
    assert applied >= 50
