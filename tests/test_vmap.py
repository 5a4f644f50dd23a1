"""ops.vmap / autograd_st.vmap: MindSpore 2.10's results and checks (measured in the side
venv, PyNative, CPU), the compiled path (vmap called inside code being differentiated)
against the eager reference and finite differences, and random programs vmapped and
differentiated against their per-element gradients."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, reject, settings
from hypothesis import strategies as st

import autograd_st as ms
from autograd_st import GradOperation, Parameter, Tensor, check_grads, nn, ops
from autograd_st.errors import VmapError

try:
    from . import program_gen as pg
except ImportError:  # run with tests/ on sys.path
    import program_gen as pg


def T(*shape, dtype=np.float32):
    return Tensor(np.arange(int(np.prod(shape)), dtype=dtype).reshape(shape))


def mul(x, y):
    return x * y


def pair(x):
    return x * 2, x.sum()


def nested_out(x):
    return (x, (x * 2, x.sum()))


def out_and_const(x, y):
    return x * 2, y


def sin_dot(x, w):
    return ops.sum(ops.sin(x * w))


def loss(w, x, y):
    return ((ops.matmul(x, w) - y) ** 2).sum()


# -- eager: MindSpore's numbers ---------------------------------------------------------

def test_exported_as_ms_vmap_and_ops_vmap():
    assert ms.vmap is ops.vmap


def test_in_axes_forms():
    x, y = T(3, 2), T(3, 2)
    np.testing.assert_array_equal(ops.vmap(mul)(x, y).asnumpy(), (x * y).asnumpy())
    b = T(2)
    for axes in ((0, None), [0, None]):
        out = ops.vmap(mul, in_axes=axes)(x, b)
        np.testing.assert_array_equal(out.asnumpy(), x.asnumpy() * b.asnumpy())
    # negative and non-zero axes (MindSpore: [0, 3, 0, 4, 0, 5] and [0, 9, 1, 16, 4, 25])
    out = ops.vmap(mul, in_axes=(-1, None))(T(2, 3), b)
    assert out.shape == (3, 2)
    np.testing.assert_array_equal(out.asnumpy().ravel(), [0, 3, 0, 4, 0, 5])
    out = ops.vmap(mul, in_axes=1)(T(2, 3), T(2, 3))
    np.testing.assert_array_equal(out.asnumpy().ravel(), [0, 9, 1, 16, 4, 25])


def test_nested_in_axes_and_python_numbers():
    x = T(3, 2)
    out = ops.vmap(lambda p, y: p[0] * p[1] + y, in_axes=((0, None), 0))((x, T(2)), x)
    np.testing.assert_array_equal(out.asnumpy().ravel(), [0, 2, 2, 6, 4, 10])
    out = ops.vmap(lambda p, y: p[0] * p[1] + y, in_axes=(0, 0))((x, x), x)
    np.testing.assert_array_equal(out.asnumpy().ravel(), [0, 2, 6, 12, 20, 30])
    out = ops.vmap(lambda x, s: x * s, in_axes=(0, None))(x, 2.0)
    np.testing.assert_array_equal(out.asnumpy().ravel(), [0, 2, 4, 6, 8, 10])


def test_out_axes_and_output_kinds():
    x = T(3, 2)
    a, s = ops.vmap(pair)(x)
    assert a.shape == (3, 2) and s.shape == (3,)
    np.testing.assert_array_equal(s.asnumpy(), [1, 5, 9])
    for axes in ((1, 0), [1, 0]):
        a, s = ops.vmap(pair, out_axes=axes)(x)
        assert a.shape == (2, 3)
        np.testing.assert_array_equal(a.asnumpy().ravel(), [0, 4, 8, 2, 6, 10])
    out = ops.vmap(lambda x: x * 2, out_axes=-1)(T(3, 2, 4))
    assert out.shape == (2, 4, 3)
    np.testing.assert_array_equal(out.asnumpy().ravel()[:6], [0, 16, 32, 2, 18, 34])
    a, (b, c) = ops.vmap(nested_out, out_axes=(0, (1, 0)))(x)
    assert (a.shape, b.shape, c.shape) == ((3, 2), (2, 3), (3,))
    a, b = ops.vmap(out_and_const, in_axes=(0, None), out_axes=(1, None))(x, T(2))
    assert a.shape == (2, 3) and b.shape == (2,)
    np.testing.assert_array_equal(b.asnumpy(), [0, 1])
    # an unmapped output with an int out_axes is broadcast; numbers become Tensors
    out = ops.vmap(lambda x, y: y * 2, in_axes=(0, None))(x, T(2))
    np.testing.assert_array_equal(out.asnumpy().ravel(), [0, 2, 0, 2, 0, 2])
    out = ops.vmap(lambda x: 1.0)(x)
    assert out.dtype == ms.float32 and out.asnumpy().tolist() == [1.0, 1.0, 1.0]
    _, two = ops.vmap(lambda x: (x, 2))(x)
    assert two.dtype == ms.int64 and two.asnumpy().tolist() == [2, 2, 2]
    lst = ops.vmap(lambda x: [x, x * 2])(x)
    assert isinstance(lst, tuple) and lst[1].shape == (3, 2)
    ints = ops.vmap(lambda x: x * 2)(Tensor(np.arange(6).reshape(3, 2).astype(np.int32)))
    assert ints.dtype == ms.int32


def test_nested_vmap():
    out = ops.vmap(ops.vmap(mul, in_axes=(0, None)), in_axes=(None, 0))(T(3), T(4))
    assert out.shape == (4, 3)
    np.testing.assert_array_equal(out.asnumpy(), np.outer(np.arange(4), np.arange(3)))
    out = ops.vmap(ops.vmap(lambda x: x.sum()))(T(2, 3, 4))
    np.testing.assert_array_equal(out.asnumpy().ravel(), [6, 22, 38, 54, 70, 86])


def test_per_example_gradients():
    w = T(2, 1) / 10
    X, Y = T(5, 2), T(5, 1)
    per = ops.vmap(ops.grad(loss), in_axes=(None, 0, 0))(w, X, Y)
    assert per.shape == (5, 2, 1)
    # MindSpore: [0.0, 0.2, -2.8, -4.2, -12.0, -15.0]
    np.testing.assert_allclose(per.asnumpy().ravel()[:6], [0, 0.2, -2.8, -4.2, -12, -15],
                               rtol=1e-5, atol=1e-6)
    loop = np.stack([ops.grad(loss)(w, X[i], Y[i]).asnumpy() for i in range(5)])
    np.testing.assert_allclose(per.asnumpy(), loop, rtol=1e-6)


class Affine(nn.Cell):
    def __init__(self, n_out=3):
        super().__init__()
        self.fc = nn.Dense(2, n_out)

    def construct(self, x):
        return self.fc(x)


def test_cell_list_ensembling():
    cells = nn.CellList([Affine(), Affine(), Affine()])
    names = [p.name for p in cells.get_parameters()]
    x = T(4, 2)
    ref = np.stack([c(x).asnumpy() for c in cells])
    np.testing.assert_allclose(ops.vmap(cells, in_axes=None)(x).asnumpy(), ref, rtol=1e-6)
    xs = T(3, 4, 2)
    ref = np.stack([c(xs[i]).asnumpy() for i, c in enumerate(cells)])
    np.testing.assert_allclose(ops.vmap(cells, in_axes=0)(xs).asnumpy(), ref, rtol=1e-6)
    out = ops.vmap(cells, in_axes=0, out_axes=1)(xs)
    np.testing.assert_allclose(out.asnumpy(), ref.transpose(1, 0, 2), rtol=1e-6)
    assert [p.name for p in cells.get_parameters()] == names  # (MindSpore: unchanged)
    with pytest.raises(ValueError, match="axis_size: 2 and the cell size: 3"):
        ops.vmap(cells, in_axes=0)(T(2, 4, 2))
    with pytest.raises(VmapError, match="parameter's shape in each cell should be"):
        ops.vmap(nn.CellList([Affine(3), Affine(4)]), in_axes=None)(x)


def test_vmap_over_a_cell_and_parameters():
    net = Affine()
    out = ops.vmap(net)(T(5, 4, 2))
    ref = np.stack([net(T(5, 4, 2)[i]).asnumpy() for i in range(5)])
    np.testing.assert_allclose(out.asnumpy(), ref, rtol=1e-6)
    p = Parameter(T(3, 2), name="p")
    np.testing.assert_array_equal(ops.vmap(mul)(p, T(3, 2)).asnumpy(), (T(3, 2) ** 2).asnumpy())


@pytest.mark.parametrize("call, message", [
    (lambda: ops.vmap(mul)(T(3, 2), T(4, 2)),
     "'axis_size' of each argument in the scope of 'vmap' should be equal, but got 3 and 4"),
    (lambda: ops.vmap(mul, in_axes=None)(T(3, 2), T(3, 2)),
     "'in_axes' of 'vmap' cannot be a single None while 'fn' is not a 'CellList'"),
    (lambda: ops.vmap(mul, in_axes=2)(T(3, 2), T(3, 2)),
     r"The axis: 2 in 'in_axes' is out of bounds for array of dimension \[-2,2\)"),
    (lambda: ops.vmap(mul, in_axes=(0,))(T(3, 2), T(3, 2)),
     "number of arguments of 'fn': 2, but got size: 1"),
    (lambda: ops.vmap(mul, in_axes=0.5)(T(3, 2), T(3, 2)), "can only be of type Int or None"),
    (lambda: ops.vmap(mul, in_axes=True)(T(3, 2), T(3, 2)), "can only be of type Int or None"),
    (lambda: ops.vmap(mul, out_axes=1.0)(T(3, 2), T(3, 2)),
     "'out_axes' can only be of type Int or None"),
    (lambda: ops.vmap(3)(T(3)), "'VmapOperation' arg0 must be a 'Function' or 'Cell'"),
    (lambda: ops.vmap(pair, out_axes=1)(T(3, 2)),
     r"The axis: 1 in 'out_axes' is out of bounds for array of dimension \[-1,1\)"),
    (lambda: ops.vmap(lambda x: x * 2, out_axes=None)(T(3, 2)),
     "'out_axes' of 'vmap' cannot be a single None"),
    (lambda: ops.vmap(pair, out_axes=(0, 0, 0))(T(3, 2)),
     "number of results of 'fn': 2, but got size: 3"),
    (lambda: ops.vmap(out_and_const, out_axes=(0, None))(T(3, 2), T(3, 2)),
     "source is not None and dst is None"),
    (lambda: ops.vmap(lambda x: {"a": x})(T(3, 2)), "consisting of tensors or constants"),
    (lambda: ops.vmap(lambda x: None)(T(3, 2)), "consisting of tensors or constants"),
    (lambda: ops.vmap(lambda d: d["a"])({"a": T(3, 2)}), "should be AbstractTensor"),
    (lambda: ops.vmap(lambda x, s: x * s)(T(3, 2), 2.0), "should be AbstractTensor"),
    (lambda: ops.vmap(lambda x: x * 2)(Tensor(2.0)),
     r"out of bounds for array of dimension \[0,0\)"),
    (lambda: ops.vmap(mul, in_axes=((0, 0), 0))(T(3, 2), T(3, 2)),
     "should be a None or a scalar of type Int64Imm"),
])
def test_mindspore_errors(call, message):
    with pytest.raises(RuntimeError, match=message) as info:  # MindSpore: RuntimeError
        call()
    assert isinstance(info.value, VmapError)


def test_keyword_arguments_are_refused():
    def f(x, y):
        return x * y
    with pytest.raises(TypeError, match="unexpected keyword argument 'y'"):  # (MindSpore:
        ops.vmap(f)(T(3, 2), y=T(3, 2))  # RuntimeError "Got an unexpected keyword ...")


# -- compiled: vmap inside code being differentiated ---------------------------------------

def batched_loss(w, x, y):
    return ops.vmap(loss, in_axes=(None, 0, 0))(w, x, y).sum()


def test_grad_of_vmap_mindspore_numbers():
    w = T(2, 1) / 10
    X, Y = T(5, 2), T(5, 1)
    g = ops.grad(batched_loss)(w, X, Y)
    np.testing.assert_allclose(g.asnumpy().ravel(), [-92, -107], rtol=1e-5)
    gw, gx = ops.grad(batched_loss, grad_position=(0, 1))(w, X, Y)
    np.testing.assert_allclose(gx.asnumpy().ravel()[:6], [0, 0.02, 0, -0.14, 0, -0.3],
                               rtol=1e-5, atol=1e-6)


def vm_tuple(x, w):
    a, s = ops.vmap(pair, out_axes=(1, 0))(x * w)
    return ops.sum(ops.sin(a)) + ops.sum(s * s)


def vm_axes(x, b):
    return ops.sum(ops.vmap(mul, in_axes=(-1, None), out_axes=-1)(ops.tanh(x), b) ** 2)


def vm_nested(x, w):
    inner = ops.vmap(sin_dot, in_axes=(0, None))
    return ops.sum(ops.vmap(inner, in_axes=(0, None))(x, w) ** 2)


def pair_mul_add(p, y):
    return p[0] * p[1] + y


def vm_nested_in(x, b):
    return ops.sum(ops.vmap(pair_mul_add, in_axes=((0, None), 0))((x, b), ops.exp(x)))


@pytest.mark.parametrize("f, shapes", [
    (batched_loss, [(2, 1), (5, 2), (5, 1)]),
    (vm_tuple, [(3, 2), (2,)]),
    (vm_axes, [(2, 4), (2,)]),
    (vm_nested, [(2, 3, 2), (2,)]),
    (vm_nested_in, [(3, 2), (2,)]),
])
def test_grad_of_vmap_finite_differences(f, shapes):
    rng = np.random.default_rng(0)
    args = tuple(Tensor(rng.standard_normal(s)) for s in shapes)
    check_grads(f, args, modes=("rev",))


def test_top_level_grad_and_vjp_of_vmap():
    rng = np.random.default_rng(1)
    x, w = Tensor(rng.standard_normal((3, 2))), Tensor(rng.standard_normal(2))
    vf = ops.vmap(sin_dot, in_axes=(0, None))
    gx, gw = ops.grad(vf, grad_position=(0, 1))(x, w)
    xa, wa = x.asnumpy(), w.asnumpy()
    np.testing.assert_allclose(gx.asnumpy(), np.cos(xa * wa) * wa, rtol=1e-10)
    np.testing.assert_allclose(gw.asnumpy(), (np.cos(xa * wa) * xa).sum(0), rtol=1e-10)
    out, vjp_fn = ops.vjp(vf, x, w)
    u = rng.standard_normal(3)
    vx, _ = vjp_fn(Tensor(u))
    np.testing.assert_allclose(vx.asnumpy(), u[:, None] * np.cos(xa * wa) * wa, rtol=1e-10)
    jac = ops.jacrev(vf)(x, w).asnumpy()
    assert jac.shape == (3, 3, 2)
    np.testing.assert_allclose(jac[1, 1], np.cos(xa[1] * wa) * wa, rtol=1e-10)
    assert not jac[0, 1].any()


class Ensemble(nn.Cell):
    def __init__(self):
        super().__init__()
        self.net = Affine()

    def construct(self, x):
        return ops.vmap(self.net, in_axes=0)(x).sum()


def test_vmap_in_construct_under_value_and_grad():
    net = Ensemble()
    x = T(3, 4, 2)
    value, (gw, gb) = ops.value_and_grad(net, None, net.trainable_params())(x)
    np.testing.assert_allclose(value.asnumpy(), net.net(x).asnumpy().sum(), rtol=1e-5)
    # MindSpore: weight gradient rows [132, 144], bias 12 (every output summed)
    np.testing.assert_allclose(gw.asnumpy(), np.tile([132.0, 144.0], (3, 1)))
    np.testing.assert_allclose(gb.asnumpy(), [12.0, 12.0, 12.0])


class Members(nn.Cell):
    def __init__(self):
        super().__init__()
        self.members = nn.CellList([Affine(), Affine()])

    def construct(self, x):
        return ops.sum(ops.tanh(ops.vmap(self.members, in_axes=None)(x)) ** 2)


def test_cell_list_under_grad_to_second_order():
    """A CellList's loop has a known count: unrolled, it differentiates like any code."""
    net = Members()
    for p in net.get_parameters():
        p.set_data(Tensor(p.asnumpy().astype(np.float64)))
    x = Tensor(np.random.default_rng(2).standard_normal((4, 2)))
    grads = ops.grad(net, None, net.trainable_params())(x)
    for k, member in enumerate(net.members):  # each member's own gradient
        def one(x, member=member):
            return ops.sum(ops.tanh(member(x)) ** 2)
        ref = ops.grad(one, None, member.trainable_params())(x)
        np.testing.assert_allclose(grads[2 * k].asnumpy(), ref[0].asnumpy(), rtol=1e-10)
    check_grads(net, (x,), order=2, modes=("rev",))


def test_second_order_mindspore_numbers():
    w = T(2, 1) / 10
    X, Y = T(5, 2), T(5, 1)
    gg = ops.grad(ops.grad(batched_loss))(w, X, Y)  # MindSpore: [520, 610]
    np.testing.assert_allclose(gg.asnumpy().ravel(), [520, 610], rtol=1e-5)


@pytest.mark.parametrize("f, shapes", [
    (vm_tuple, [(3, 2), (2,)]),
    (vm_axes, [(2, 4), (2,)]),
    (vm_nested, [(2, 3, 2), (2,)]),
])
def test_vmap_to_second_order_and_forward_mode(f, shapes):
    rng = np.random.default_rng(3)
    args = tuple(Tensor(rng.standard_normal(s)) for s in shapes)
    check_grads(f, args, order=2, modes=("rev", "fwd"))


def test_jvp_of_vmap():
    rng = np.random.default_rng(4)
    x, w = Tensor(rng.standard_normal((3, 2))), Tensor(rng.standard_normal(2))
    dx = Tensor(rng.standard_normal((3, 2)))
    out, tangent = ops.jvp(lambda x: ops.vmap(sin_dot, in_axes=(0, None))(x, w), x, dx)
    xa, wa = x.asnumpy(), w.asnumpy()
    np.testing.assert_allclose(out.asnumpy(), np.sin(xa * wa).sum(1), rtol=1e-12)
    np.testing.assert_allclose(tangent.asnumpy(), (np.cos(xa * wa) * wa * dx.asnumpy()).sum(1),
                               rtol=1e-10)


def penalty_loss(w, x, y):
    return ((x @ w - y) ** 2).sum()


def gradient_penalty(w, x, y):
    per = ops.vmap(ops.grad(penalty_loss), in_axes=(None, 0, 0))(w, x, y)
    return (per ** 2).sum()


def test_grad_of_vmap_of_grad():
    """A per-example gradient penalty: the gradient of a vmapped gradient function."""
    rng = np.random.default_rng(5)
    args = (Tensor(rng.standard_normal((2, 1))), Tensor(rng.standard_normal((4, 2))),
            Tensor(rng.standard_normal((4, 1))))
    check_grads(gradient_penalty, args, modes=("rev",))


def test_compiled_checks_are_mindspore_s():
    def bad(x):
        return ops.vmap(pair, out_axes=(0, 0, 0))(x)[0].sum()
    with pytest.raises(VmapError, match="number of results of 'fn': 2, but got size: 3"):
        ops.grad(bad)(T(3, 2))


def summed_mul(x, y):
    return ops.vmap(mul)(x, y).sum()


def test_compiled_batch_sizes_are_checked_when_the_code_runs():
    g = ops.grad(summed_mul, grad_position=(0, 1))
    gx, gy = g(T(3, 2, dtype=np.float64), T(3, 2, dtype=np.float64))
    np.testing.assert_array_equal(gx.asnumpy(), T(3, 2).asnumpy())
    for shape, sizes in (((4, 2), "3 and 4"), ((2, 2), "3 and 2")):  # (a longer one would
        with pytest.raises(VmapError, match="should be equal, but got " + sizes):  # be cut)
            g(T(3, 2, dtype=np.float64), T(*shape, dtype=np.float64))
    net = Members()
    with pytest.raises(ValueError, match="axis_size: 3 and the cell size: 2"):
        ops.grad(VmappedMembers(net.members))(T(3, 4, 2))


class VmappedMembers(nn.Cell):
    def __init__(self, members):
        super().__init__()
        self.members = members

    def construct(self, xs):
        return ops.vmap(self.members)(xs).sum()


# -- random programs: vmapped, differentiated, against per-element gradients --------------

SETTINGS = dict(deadline=None, derandomize=True, database=None, print_blob=False,
                phases=(Phase.explicit, Phase.generate),
                suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def program_dir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("vmap_programs"))


def _source_of(n_args):
    names = ", ".join("x%d" % j for j in range(n_args))
    return ("def loss(%s):\n    return ops.sum(vf(%s))\n" % (names, names))


@settings(max_examples=40, **SETTINGS)
@given(program=pg.programs(kinds=("function",), features=frozenset()),
       mapped=st.lists(st.booleans(), min_size=4, max_size=4), batch=st.integers(1, 3))
def test_random_programs_vmapped(program, mapped, batch, program_dir):
    """``ops.sum(vmap(f)(*X))`` under value_and_grad (the compiled loop) against the eager
    reference, its gradient against each element's ``GradOperation`` (unmapped arguments:
    summed over the batch), and its jvp against the sum of each element's."""
    if not all(isinstance(a, np.ndarray) for a in program.inputs) or program.mutations \
            or program.effects or program.has_aux:
        reject()
    mod = pg.load_module(program.source, program_dir, "vm")
    f = mod.f
    n = len(program.inputs)
    axes = tuple(0 if mapped[j % 4] else None for j in range(n))
    if all(a is None for a in axes):
        axes = (0,) + axes[1:]
    rng = np.random.default_rng(len(program.source))
    args = [np.stack([a * (1 + 0.05 * rng.standard_normal(a.shape)) for _ in range(batch)])
            if ax == 0 else a for a, ax in zip(program.inputs, axes)]
    elems = [[args[j][i] if axes[j] == 0 else args[j] for j in range(n)] for i in range(batch)]
    outs = [f(*[Tensor(a) for a in e]) for e in elems]
    if not all(isinstance(o, Tensor) and o.dtype == ms.float64 for o in outs):
        reject()
    vf = ops.vmap(f, in_axes=axes)
    ref = vf(*[Tensor(a) for a in args])
    np.testing.assert_allclose(ref.asnumpy(), np.stack([o.asnumpy() for o in outs]),
                               rtol=1e-12, atol=1e-12)
    outer = pg.load_module("from autograd_st import ops\n\n\n" + _source_of(n), program_dir,
                           "vml")
    outer.vf = vf
    value, grads = ops.value_and_grad(outer.loss, grad_position=tuple(range(n)))(
        *[Tensor(a) for a in args])
    np.testing.assert_allclose(value.asnumpy(), ref.asnumpy().sum(), rtol=1e-10, atol=1e-10)
    per = [GradOperation(get_all=True, sens_param=True)(f)(
        *[Tensor(a) for a in e], Tensor(np.ones_like(o.asnumpy()))) for e, o in zip(elems, outs)]
    for j in range(n):
        got = (grads[j] if isinstance(grads, tuple) else grads).asnumpy()
        rows = [np.asarray(p[j].asnumpy()) for p in per]
        want = np.stack(rows) if axes[j] == 0 else np.sum(rows, axis=0)
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9)
    if program.check_jvp:  # forward mode through the loop: the sum of per-element tangents
        dirs = [rng.standard_normal(np.shape(a)) for a in args]
        _, tangent = ops.jvp(outer.loss, tuple(Tensor(a) for a in args),
                             tuple(Tensor(d) for d in dirs))
        want = 0.0
        for i, e in enumerate(elems):
            de = [d[i] if axes[j] == 0 else d for j, d in enumerate(dirs)]
            _, t = ops.jvp(f, tuple(Tensor(a) for a in e), tuple(Tensor(d) for d in de))
            want += float(np.sum(t.asnumpy()))
        np.testing.assert_allclose(float(tangent.asnumpy()), want, rtol=1e-9, atol=1e-9)


# -- random axes: the compiled loop against the eager reference and per-element gradients --

def el_tanh_mul(x, y):
    return ops.tanh(x) * y


def el_reduce(x, y):
    return ops.sum(ops.exp(x * 0.3), dim=-1) + ops.mean(y)


def el_matmul(x, y):
    return ops.matmul(x, y.T)


def el_pair(x, y):
    return x * y, ops.sum(ops.sin(x))


def el_nested(x, y):
    return (ops.cos(x), (y * 2.0, ops.sum(x * y)))


FNS = {"el_tanh_mul": el_tanh_mul, "el_reduce": el_reduce, "el_matmul": el_matmul,
       "el_pair": el_pair, "el_nested": el_nested}


def _batched(rng, shape, axis, n):
    """A batch of ``n`` arrays of ``shape`` stacked at ``axis`` (None: one array)."""
    if axis is None:
        return rng.standard_normal(shape)
    return np.stack([rng.standard_normal(shape) for _ in range(n)], axis=axis)


def _element(arr, axis, i):
    return arr if axis is None else np.take(arr, i, axis=axis)


def _leaves(tree):
    if isinstance(tree, tuple):
        return [x for t in tree for x in _leaves(t)]
    return [tree]


def weighted_sum(vf, x, y, weights, kind):
    out = vf(x, y)
    if kind == "one":
        leaves = (out,)
    elif kind == "nested":
        leaves = (out[0], out[1][0], out[1][1])
    else:
        leaves = out
    total = 0.0
    for o, w in zip(leaves, weights):
        total = total + ops.sum(o * w)
    return total


KINDS = {"el_pair": "pair", "el_nested": "nested"}


@settings(max_examples=60, **SETTINGS)
@given(name=st.sampled_from(sorted(FNS)), ax_x=st.sampled_from([0, 1, -1, -2]),
       ax_y=st.sampled_from([None, 0, 1, -1, -2]), out_ax=st.sampled_from([0, 1, -1]),
       n=st.integers(1, 3), seed=st.integers(0, 2 ** 16))
def test_random_axes_compiled_against_the_reference(name, ax_x, ax_y, out_ax, n, seed):
    fn = FNS[name]
    rng = np.random.default_rng(seed)
    x = _batched(rng, (2, 3), ax_x, n)
    y = _batched(rng, (2, 3), ax_y, n)
    vf = ops.vmap(fn, in_axes=(ax_x, ax_y), out_axes=out_ax)
    kind = KINDS.get(name, "one")
    try:
        ref = vf(Tensor(x), Tensor(y))
    except VmapError as exc:  # out_ax past a scalar output's ends: refused compiled too
        assert "in 'out_axes' is out of bounds" in str(exc)
        with pytest.raises((VmapError, ValueError, IndexError)):  # (numpy's AxisError)
            ops.grad(weighted_sum, grad_position=(1, 2))(vf, Tensor(x), Tensor(y),
                                                         [1.0, 1.0, 1.0], kind)
        return
    elems = [fn(Tensor(_element(x, ax_x, i)), Tensor(_element(y, ax_y, i))) for i in range(n)]
    flat_ref = [r.asnumpy() for r in _leaves(ref)]
    for k, r in enumerate(flat_ref):  # the reference: each element's output, at out_ax
        want = np.stack([_leaves(e)[k].asnumpy() for e in elems], axis=out_ax)
        np.testing.assert_allclose(r, want, rtol=1e-12)
    weights = [Tensor(rng.standard_normal(r.shape)) for r in flat_ref]

    def loss(x, y):
        return weighted_sum(vf, x, y, weights, kind)
    value, (gx, gy) = ops.value_and_grad(loss, grad_position=(0, 1))(Tensor(x), Tensor(y))
    want = sum(float(np.sum(r * w.asnumpy())) for r, w in zip(flat_ref, weights))
    np.testing.assert_allclose(float(value.asnumpy()), want, rtol=1e-10)
    # per element: the gradient of <fn(x_i, y_i), w_i> (w_i: element i of each weight)
    gxs, gys = [], []
    for i in range(n):
        wi = [Tensor(np.take(w.asnumpy(), i, axis=out_ax)) for w in weights]
        sens = _rebuild_like(elems[i], wi)
        gi = GradOperation(get_all=True, sens_param=True)(fn)(
            Tensor(_element(x, ax_x, i)), Tensor(_element(y, ax_y, i)), sens)
        gxs.append(gi[0].asnumpy())
        gys.append(gi[1].asnumpy())
    np.testing.assert_allclose(gx.asnumpy(), np.stack(gxs, axis=ax_x), rtol=1e-9, atol=1e-12)
    want_y = np.sum(gys, axis=0) if ax_y is None else np.stack(gys, axis=ax_y)
    np.testing.assert_allclose(gy.asnumpy(), want_y, rtol=1e-9, atol=1e-12)


def _rebuild_like(tree, flat):
    it = iter(flat)

    def build(t):
        if isinstance(t, tuple):
            return tuple(build(s) for s in t)
        return next(it)
    return build(tree)


def with_constants(x):
    return x * 2, 1.5, Tensor(np.ones(2, np.float32))


def sum_with_constants(x):
    a, b, c = ops.vmap(with_constants)(x)
    return ops.sum(a) + ops.sum(b * 2) + ops.sum(c * 3)


def sum_unmapped_constants(x):
    a, b, c = ops.vmap(with_constants, out_axes=(0, None, None))(x)
    return ops.sum(a) + b + ops.sum(c)


def test_number_and_constant_outputs_in_compiled_code():
    x = Tensor(np.ones((3, 2), np.float32))
    value, g = ops.value_and_grad(sum_with_constants)(x)
    assert float(value.asnumpy()) == 12 + 2 * 4.5 + 3 * 6
    np.testing.assert_array_equal(g.asnumpy(), np.full((3, 2), 2.0))
    value, g = ops.value_and_grad(sum_unmapped_constants)(x)
    assert float(value.asnumpy()) == 12 + 1.5 + 2
    a, b, c = ops.vmap(with_constants)(x)
    assert b.dtype == ms.float32 and b.asnumpy().tolist() == [1.5] * 3 and c.shape == (3, 2)


def test_top_level_grad_of_a_vmapped_cell_list():
    members = nn.CellList([Affine(), Affine()])
    vf = ops.vmap(members, in_axes=None)
    x = T(4, 2)
    grads = ops.grad(vf, None, members.trainable_params())(x)
    for k, member in enumerate(members):
        ref = ops.grad(member, None, member.trainable_params())(x)
        np.testing.assert_allclose(grads[2 * k].asnumpy(), ref[0].asnumpy(), rtol=1e-6)
        np.testing.assert_allclose(grads[2 * k + 1].asnumpy(), ref[1].asnumpy(), rtol=1e-6)


def test_the_same_vmap_made_again_is_the_same_function():
    assert ops.vmap(mul, in_axes=(0, None)) is ops.vmap(mul, in_axes=(0, None))
    assert ops.vmap(mul, in_axes=1) is not ops.vmap(mul, in_axes=0)
    with pytest.raises(VmapError, match="can only be of type Int or None"):
        ops.vmap(mul, in_axes=True)(T(3, 2), T(3, 2))  # (not the cached in_axes=1's)
    ops.vmap(mul, in_axes=1)(T(3, 2), T(3, 2))
    with pytest.raises(VmapError, match="can only be of type Int or None"):
        ops.vmap(mul, in_axes=1.0)(T(3, 2), T(3, 2))


def sin_scaled(x, y=2.0):
    return ops.sin(x) * y


def test_optional_parameters():
    vf = ops.vmap(sin_scaled)
    x = Tensor(np.random.default_rng(6).standard_normal((3, 2)))
    np.testing.assert_allclose(vf(x).asnumpy(), 2 * np.sin(x.asnumpy()), rtol=1e-12)
    np.testing.assert_allclose(vf(x, x).asnumpy(), np.sin(x.asnumpy()) * x.asnumpy(),
                               rtol=1e-12)
    np.testing.assert_allclose(ops.grad(vf)(x).asnumpy(), 2 * np.cos(x.asnumpy()), rtol=1e-12)
