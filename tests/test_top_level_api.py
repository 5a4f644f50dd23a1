"""mindspore's top-level names a script calls before or around training: ``set_device``,
``set_deterministic``, ``mutable``, ``jit_class``, ``lazy_inline``, ``no_inline``, the
``Generator`` family and ``grad(..., return_ids=True)`` with ``get_grad``.  The messages and
structures are MindSpore 2.10's (measured; ``tests/ms_cases/cases/api_return_ids.py`` records
the structures)."""
from __future__ import annotations

import numpy as np
import pytest
from helpers import fd

import autograd_st as ms
from autograd_st import Tensor, nn, ops
from autograd_st.errors import AutogradError, GradientNotFoundError


@pytest.fixture(autouse=True)
def _restore_context():
    target, device_id = ms.get_context("device_target"), ms.get_context("device_id")
    det = ms.get_context("deterministic")
    yield
    ms.set_context(device_target=target, device_id=device_id, deterministic=det)


# --- set_device / set_deterministic ---------------------------------------------------------

def test_set_device_records_target_and_id():
    ms.set_device("CPU", 2)
    assert ms.get_context("device_target") == "CPU"
    assert ms.get_context("device_id") == 2
    ms.set_device("CPU")
    assert ms.get_context("device_id") == 2  # (device_id left as it was)


@pytest.mark.parametrize("args, exc, text", [
    (("cpu",), ValueError, "must be one of ['CPU', 'GPU', 'Ascend'], but got cpu"),
    (("CPU", -1), ValueError, "bigger than or equal to 0"),
    (("CPU", 1.0), TypeError, "'device_id' must be <class 'int'>"),
    (("CPU", True), TypeError, "'device_id' must be <class 'int'>"),
    (("GPU",), RuntimeError, "Unsupported device target GPU"),
])
def test_set_device_checks_as_mindspore(args, exc, text):
    with pytest.raises(exc) as info:
        ms.set_device(*args)
    assert text in str(info.value)


def test_set_deterministic():
    ms.set_deterministic(True)
    assert ms.get_context("deterministic") == "ON"
    ms.set_deterministic(False)
    assert ms.get_context("deterministic") == "OFF"
    for bad in (1, "ON", None):
        with pytest.raises(TypeError, match="'deterministic' must be <class 'bool'>"):
            ms.set_deterministic(bad)


# --- mutable / jit_class / lazy_inline / no_inline ------------------------------------------

def test_mutable_returns_the_value_in_a_subclass_of_its_container():
    x = Tensor(np.ones(2, np.float32))
    assert ms.mutable(x) is x
    assert ms.mutable(2.0) == 2.0 and ms.mutable(True) is True
    t = ms.mutable((x, 1))
    assert isinstance(t, tuple) and type(t) is not tuple and t == (x, 1)
    lst = ms.mutable([1, 2], True)
    assert isinstance(lst, list) and lst == [1, 2]
    d = ms.mutable({"a": x})
    assert isinstance(d, dict) and d["a"] is x


@pytest.mark.parametrize("value", ["s", None, np.ones(2), [1, "s"], {"a": None}])
def test_mutable_refuses_what_mindspore_refuses(value):
    with pytest.raises(TypeError, match="should be one of \\(bool, int, float, Tensor"):
        ms.mutable(value)


def test_mutable_dynamic_len_needs_a_sequence():
    with pytest.raises(TypeError, match="variable_len is True"):
        ms.mutable(Tensor(1.0), True)


def test_mutable_refuses_a_self_reference():
    a: list = [1]
    a.append(a)
    with pytest.raises(TypeError, match="self-referenc"):
        ms.mutable(a)


@pytest.mark.parametrize("shape_u,shape_v", [((3,), (3,)), ((2, 3), (1, 3)), ((2, 1), (2, 4))])
def test_mutable_dict_argument_is_differentiated_as_a_dict(shape_u, shape_v):
    # a dict argument's gradient is a dict (autograd_st's pytrees; MindSpore 2.10 gives ()):
    # ms.mutable's dict the same (was refused as a constant); central differences in float64
    rng = np.random.default_rng(len(shape_u) + len(shape_v))
    u, v = rng.normal(size=shape_u), rng.normal(size=shape_v)

    def g(d):
        return (d["u"] * ops.exp(d["v"])).sum()

    for make in (dict, ms.mutable):
        got = ms.grad(g)(make({"u": Tensor(u), "v": Tensor(v)}))
        assert sorted(got) == ["u", "v"]
        np.testing.assert_allclose(got["u"].asnumpy(),
                                   fd(lambda a: float((a * np.exp(v)).sum()), u.copy()),
                                   rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(got["v"].asnumpy(),
                                   fd(lambda b: float((u * np.exp(b)).sum()), v.copy()),
                                   rtol=1e-6, atol=1e-7)


def test_mutable_inside_differentiated_code_is_the_value():
    def f(x):
        t = ms.mutable((x, x * 2))
        return (t[0] * t[1]).sum()

    class Net(nn.Cell):
        def construct(self, x):
            y = ms.mutable(x)
            return (y * y * y).sum()

    x = Tensor(np.array([1.0, -2.0, 0.5]))
    np.testing.assert_allclose(ms.grad(f)(x).asnumpy(), 4 * x.asnumpy())
    np.testing.assert_allclose(ms.grad(Net())(x).asnumpy(), 3 * x.asnumpy() ** 2)


def test_jit_class_and_inline_markers_change_nothing():
    @ms.jit_class
    class Scale:
        def __init__(self):
            self.w = 3.0

        def apply(self, x):
            return x * self.w

    class Net(nn.Cell):
        @ms.lazy_inline
        def __init__(self):
            super().__init__()
            self.s = Scale()

        def construct(self, x):
            return (self.s.apply(x) ** 2).sum()

    @ms.no_inline
    def double(x):
        return x * 2

    x = Tensor(np.array([1.0, 2.0]))
    np.testing.assert_allclose(ms.grad(Net())(x).asnumpy(), 18 * x.asnumpy())
    np.testing.assert_allclose(double(x).asnumpy(), [2.0, 4.0])
    assert ms.no_inline()(double) is double
    with pytest.raises(TypeError, match="jit_class can only be used for class type"):
        ms.jit_class(lambda v: v)
    with pytest.raises(ValueError, match="should decorate the __init__ function"):
        ms.lazy_inline(double)


# --- Generator ------------------------------------------------------------------------------

def test_generator_seed_and_state_layout():
    g = ms.Generator()
    assert g.initial_seed() == 0
    assert g.manual_seed(7) is g
    state = g.get_state()
    assert state.dtype == ms.uint8 and state.shape == (16,)
    np.testing.assert_array_equal(state.asnumpy(), [7] + [0] * 15)  # MindSpore's bytes
    g.numpy_generator()
    np.testing.assert_array_equal(g.get_state().asnumpy()[8:], [1] + [0] * 7)
    s = g.seed()
    assert g.initial_seed() == s and 0 <= s < 2 ** 31
    with pytest.raises(TypeError, match="Seed must be an integer"):
        g.manual_seed(1.5)


def test_generator_replays_from_a_state():
    g = ms.Generator().manual_seed(11)
    first = g.numpy_generator().standard_normal(5)
    state = g.get_state()
    a = g.numpy_generator().standard_normal(5)
    b = g.numpy_generator().standard_normal(5)
    assert not np.array_equal(first, a) and not np.array_equal(a, b)  # draws differ
    g.set_state(state)
    np.testing.assert_array_equal(g.numpy_generator().standard_normal(5), a)
    np.testing.assert_array_equal(g.numpy_generator().standard_normal(5), b)
    g.manual_seed(11)
    np.testing.assert_array_equal(g.numpy_generator().standard_normal(5), first)
    with pytest.raises(ValueError, match="16"):
        g.set_state(Tensor(np.zeros(8, np.uint8)))


def test_default_generator_functions():
    ms.manual_seed(3)
    assert ms.initial_seed() == 3 == ms.default_generator.initial_seed()
    state = ms.get_rng_state()
    a = ms.default_generator.numpy_generator().random(4)
    ms.set_rng_state(state)
    np.testing.assert_array_equal(ms.default_generator.numpy_generator().random(4), a)
    ms.set_seed(5)  # as in MindSpore 2.10, set_seed leaves the default generator alone
    assert ms.initial_seed() == 3
    s = ms.seed()
    assert ms.initial_seed() == s


# --- return_ids / get_grad ------------------------------------------------------------------

def _f(x, y):
    return (x * y * x).sum()


X = Tensor(np.array([1.0, 2.0]))
Y = Tensor(np.array([3.0, -4.0]))
DX = 2 * X.asnumpy() * Y.asnumpy()
DY = X.asnumpy() ** 2


def test_return_ids_pairs_positions():
    pos, g = ms.grad(_f, 0, return_ids=True)(X, Y)
    assert pos == 0
    np.testing.assert_allclose(g.asnumpy(), DX)
    pos, g = ms.grad(_f, (1,), return_ids=True)(X, Y)  # (MindSpore 2.10: ((1, g[0]),))
    assert pos == 1
    np.testing.assert_allclose(g.asnumpy(), DY)
    (p0, g0), (p1, g1) = ms.grad(_f, (0, 1), return_ids=True)(X, Y)
    assert (p0, p1) == (0, 1)
    np.testing.assert_allclose(g0.asnumpy(), DX)
    np.testing.assert_allclose(g1.asnumpy(), DY)
    value, ((_, g0), (_, g1)) = ms.value_and_grad(_f, (0, 1), return_ids=True)(X, Y)
    np.testing.assert_allclose(value.asnumpy(), _f(X, Y).asnumpy())


def test_return_ids_pairs_parameters_and_get_grad_finds_them():
    net = nn.Dense(2, 1, weight_init="ones", bias_init="zeros")
    a = Tensor(np.array([[0.5, -1.5]]))

    def loss(a):
        return (net(a) ** 2).sum()

    def loss_aux(a):
        return (net(a) ** 2).sum(), a * 2

    out = net(a).asnumpy()  # [[-1]]
    dw, db, da = 2 * out * a.asnumpy(), 2 * out[0], 2 * out * net.weight.asnumpy()
    pairs = ms.grad(loss, None, net.trainable_params(), return_ids=True)(a)
    assert [p[0] for p in pairs] == ["weight", "bias"]
    name, g = ms.grad(loss, None, net.weight, return_ids=True)(a)
    assert name == "weight"
    np.testing.assert_allclose(g.asnumpy(), dw)
    g = ms.grad(loss, 0, net.trainable_params(), return_ids=True)(a)
    (pos, ga), wpairs = g
    assert pos == 0 and [p[0] for p in wpairs] == ["weight", "bias"]
    np.testing.assert_allclose(ms.get_grad(g, 0).asnumpy(), da)
    np.testing.assert_allclose(ms.get_grad(g, net.weight).asnumpy(), dw)
    np.testing.assert_allclose(ms.get_grad(g, net.bias).asnumpy(), db)
    (value, aux), wpairs = ms.value_and_grad(loss_aux, None, net.trainable_params(),
                                             has_aux=True, return_ids=True)(a)
    np.testing.assert_allclose(aux.asnumpy(), 2 * a.asnumpy())
    np.testing.assert_allclose(ms.get_grad(wpairs, net.bias).asnumpy(), db)
    grads, aux = ms.grad(loss_aux, 0, net.trainable_params(), has_aux=True,
                         return_ids=True)(a)
    np.testing.assert_allclose(ms.get_grad(grads, 0).asnumpy(), da)


def test_return_ids_on_a_decorated_function():
    @ops.grad(grad_position=(0, 1), return_ids=True)
    def g(x, y):
        return (x * y * x).sum()

    np.testing.assert_allclose(ms.get_grad(g(X, Y), 1).asnumpy(), DY)


def test_get_grad_errors():
    grads = ms.grad(_f, 0, return_ids=True)(X, Y)
    with pytest.raises(GradientNotFoundError, match="no gradient for position 1 among"):
        ms.get_grad(grads, 1)
    assert isinstance(GradientNotFoundError("x"), (RuntimeError, AutogradError))
    with pytest.raises(GradientNotFoundError, match="carry no ids.*return_ids=True"):
        ms.get_grad(ms.grad(_f, (0, 1))(X, Y), 0)
    with pytest.raises(TypeError, match="should be an integer or a Parameter, but got 'x'"):
        ms.get_grad(grads, "x")


# --- Tensor(shape, dtype, init), CSRTensor, COOTensor ---------------------------------------

def test_tensor_with_an_initializer_holds_its_values():
    from autograd_st.common.initializer import Normal, One
    np.testing.assert_array_equal(Tensor(shape=(2, 2), dtype=ms.float32, init=One()).asnumpy(),
                                  np.ones((2, 2), np.float32))
    t = Tensor(shape=(3, 4), dtype=ms.float32, init=Normal(0.5))
    assert t.dtype == ms.float32 and t.shape == (3, 4) and 0 < t.asnumpy().std() < 2
    assert Tensor(shape=(2,), dtype=ms.int32, init="ones").asnumpy().tolist() == [1, 1]
    with pytest.raises(TypeError, match="must be an Initializer"):
        Tensor(shape=(2,), dtype=ms.float32, init="normal")


def test_csr_tensor():
    csr = ms.CSRTensor(Tensor([0, 1, 3]), Tensor([0, 1, 3]), Tensor([1.0, 2.0, -3.0]), (2, 4))
    dense = np.array([[1, 0, 0, 0], [0, 2, 0, -3]], np.float64)
    np.testing.assert_array_equal(csr.to_dense().asnumpy(), dense)
    assert (csr.shape, csr.size, csr.ndim, csr.dtype) == ((2, 4), 3, 2, ms.float32)
    np.testing.assert_array_equal((csr * Tensor(np.full((2, 4), 2.0))).to_dense().asnumpy(),
                                  2 * dense)
    np.testing.assert_array_equal((csr - csr).values.asnumpy(), [0.0, 0.0, 0.0])  # (kept)
    np.testing.assert_array_equal((-csr).abs().to_dense().asnumpy(), np.abs(dense))
    np.testing.assert_array_equal(csr.mm(Tensor(np.ones((4, 2)))).asnumpy(),
                                  dense @ np.ones((4, 2)))
    np.testing.assert_array_equal(csr.sum(1).asnumpy(), dense.sum(1, keepdims=True))
    np.testing.assert_array_equal(csr.to_coo().to_dense().asnumpy(), dense)
    assert csr.astype(ms.float64).dtype == ms.float64
    assert "CSRTensor(shape=[2, 4]" in repr(csr)
    with pytest.raises(ValueError, match="dimension"):
        ms.CSRTensor(Tensor([0, 1]), Tensor([0]), Tensor([1.0]), (1, 2, 3))


def test_coo_tensor():
    coo = ms.COOTensor(Tensor(np.array([[0, 1], [1, 2], [0, 1]], np.int64)),
                       Tensor([1.0, 2.0, 4.0]), (3, 4))
    dense = np.zeros((3, 4))
    dense[0, 1], dense[1, 2] = 5.0, 2.0  # (repeated coordinates add up)
    np.testing.assert_array_equal(coo.to_dense().asnumpy(), dense)
    np.testing.assert_array_equal(coo.coalesce().values.asnumpy(), [5.0, 2.0])
    np.testing.assert_array_equal((coo + coo).to_dense().asnumpy(), 2 * dense)
    np.testing.assert_array_equal((coo + Tensor(np.ones((3, 4)))).asnumpy(), dense + 1)
    np.testing.assert_array_equal(coo.to_csr().to_dense().asnumpy(), dense)
    np.testing.assert_array_equal((coo / 2).to_dense().asnumpy(), dense / 2)
    with pytest.raises(RuntimeError, match="out of range"):
        ms.COOTensor(Tensor(np.array([[0, 9]])), Tensor([1.0]), (3, 4)).to_dense()


def test_forward_value_and_grad_checks_and_values():
    net = nn.Dense(2, 1, weight_init="ones", bias_init="zeros")
    x = Tensor(np.array([[1.0, -2.0]], np.float32))
    out, (gx, (gw, gb)) = nn.ForwardValueAndGrad(net, net.trainable_params(), get_all=True,
                                                 get_by_list=True)(x)
    np.testing.assert_allclose(out.asnumpy(), [[-1.0]])
    np.testing.assert_allclose(gx[0].asnumpy(), [[1.0, 1.0]])
    np.testing.assert_allclose(gw.asnumpy(), x.asnumpy())
    np.testing.assert_allclose(gb.asnumpy(), [1.0])
    with pytest.raises(TypeError, match="'weights' must be Parameters array"):
        nn.ForwardValueAndGrad(net, get_by_list=True)
    with pytest.raises(TypeError, match="'get_all' must be bool"):
        nn.ForwardValueAndGrad(net, get_all=1)


class _Exported(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(3, 2)
        self.drop = nn.Dropout(p=0.5)

    def construct(self, x):
        return self.drop(self.fc(x))


def test_export_load_graph_cell_round_trip(tmp_path):
    net = _Exported()
    x = Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
    ms.export(net, x, file_name=str(tmp_path / "model"), file_format="MINDIR")
    graph = ms.load(str(tmp_path / "model.mindir"))
    cell = nn.GraphCell(graph)
    net.set_train(False)
    np.testing.assert_array_equal(cell(x).asnumpy(), net(x).asnumpy())  # (inference mode)
    assert [p.name for p in cell.trainable_params()] == ["fc.weight", "fc.bias"]
    w = Tensor(np.ones((2, 3), np.float32))
    cell2 = nn.GraphCell(ms.load(str(tmp_path / "model.mindir")), params_init={"fc.weight": w})
    np.testing.assert_allclose(cell2(x).asnumpy(), x.asnumpy() @ np.ones((3, 2))
                               + net.fc.bias.asnumpy())
    with pytest.raises(ValueError, match="does not exist"):
        ms.load(str(tmp_path / "none.mindir"))
    (tmp_path / "ms.mindir").write_bytes(b"\x0a\x05MindIR protobuf")
    with pytest.raises(ValueError, match="cannot be read here"):
        ms.load(str(tmp_path / "ms.mindir"))
    with pytest.raises(ValueError, match="must be one of \\['AIR', 'ONNX', 'MINDIR'\\]"):
        ms.export(net, x, file_name=str(tmp_path / "m"), file_format="XYZ")
    with pytest.raises(ValueError, match="not written by autograd_st"):
        ms.export(net, x, file_name=str(tmp_path / "m"), file_format="ONNX")


def test_linearize_matches_jvp():
    x = Tensor(np.array([[0.5, -1.0], [2.0, 0.25]]))
    out, jvp_fn = ops.linearize(lambda t: ops.sin(t) * t, x)
    np.testing.assert_allclose(out.asnumpy(), np.sin(x.asnumpy()) * x.asnumpy())
    for v in (np.ones((2, 2)), np.array([[1.0, -2.0], [0.5, 3.0]])):
        expected = (np.cos(x.asnumpy()) * x.asnumpy() + np.sin(x.asnumpy())) * v
        np.testing.assert_allclose(jvp_fn(Tensor(v)).asnumpy(), expected)
    with pytest.raises(TypeError, match="must be a Tensor or a tuple"):
        ops.linearize(lambda t: t, 3.0)


def test_mindsporess_deeper_module_paths_import():
    import importlib
    import subprocess
    import sys

    from autograd_st._aliases import ALIASES
    for path in ALIASES:
        module = importlib.import_module("autograd_st." + path)
        assert dir(module)
    from autograd_st.nn.loss.loss import LossBase
    from autograd_st.nn.optim.optimizer import Optimizer
    from autograd_st.train.serialization import load_checkpoint, save_checkpoint
    assert LossBase is nn.LossBase and Optimizer is nn.Optimizer
    assert save_checkpoint is ms.save_checkpoint and load_checkpoint is ms.load_checkpoint
    # (importing autograd_st still loads nn only when it is used)
    code = "import sys, autograd_st; print('autograd_st.nn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_no_stand_in_hides_a_real_module():
    import pathlib

    from autograd_st._aliases import ALIASES
    root = pathlib.Path(ms.__file__).parent
    for path in ALIASES:
        parts = path.split(".")
        assert not (root.joinpath(*parts).with_suffix(".py").exists()
                    or root.joinpath(*parts, "__init__.py").exists()), path


def test_mindspore_tensor_function_makes_tensors_eagerly_and_in_compiled_code():
    # MindSpore 2.x: mindspore.tensor(input_data, dtype, ...) is Tensor(...); the module
    # autograd_st.tensor is that function too (from mindspore import tensor)
    from autograd_st import tensor
    t = ms.tensor([0.5, 1.0, 2.0], ms.float32)
    assert type(t) is ms.Tensor and t.dtype == ms.float32
    assert tensor(-2).dtype == ms.int64 and tensor([1.0], ms.float16).dtype == ms.float16
    assert ms.Tensor(np.ones(2), const_arg=True).shape == (2,)
    from autograd_st.tensor import Tensor  # (the module still gives its names)
    assert Tensor is ms.Tensor

    def f(x):
        y = ms.tensor([1.0, 2.0, 3.0], ms.float32)
        return (x * y + ms.tensor(2.0)).sum()

    np.testing.assert_allclose(ms.ops.grad(f)(t).asnumpy(), [1.0, 2.0, 3.0])
    assert float(f(t).asnumpy()) == 0.5 + 2.0 + 6.0 + 6.0


def test_int_and_float_of_a_one_element_tensor_of_any_shape():
    t = ms.Tensor(np.array([[2.7]], np.float32))
    assert int(t) == 2 and float(t) == pytest.approx(2.7) and bool(t)
    assert [10, 20, 30][ms.Tensor(np.array([1]))] == 20
    with pytest.raises(ValueError, match="Only one element tensors"):
        int(ms.Tensor(np.array([1.0, 2.0])))


def test_jit_syntax_levels_are_mindspores_constants():
    assert (ms.STRICT, ms.COMPATIBLE, ms.LAX) == (0, 1, 2)  # MindSpore 2.10's values
    before = ms.get_context("jit_syntax_level")
    try:
        ms.set_context(jit_syntax_level=ms.STRICT)
        assert ms.get_context("jit_syntax_level") == 0
    finally:
        ms.set_context(jit_syntax_level=before)
