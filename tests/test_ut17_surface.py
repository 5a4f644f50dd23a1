"""Issue 17, the API surface MindSpore's PyNative unit tests import and call: the module
paths (``ops.composite``, ``ops.functional``, ``common.api``/``parameter``/``tensor``,
``nn.wrap.cell_wrapper``), ``C.MultitypeFuncGraph``/``C.HyperMap``/``C.Map``/``C.tail``/
``F.partial``/``F.depend`` eagerly and in differentiated code, ``Cell.set_inputs``,
``Cell.add_flags``, ``Cell(auto_prefix=False)`` and ``initializer``.

Every expected value, error class and message below was measured on MindSpore 2.10 (CPU,
/work/ms-venv); the numeric programs are also recorded as ms_cases ``ut_surface_*``.
"""
from __future__ import annotations

import functools
import importlib

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Parameter, Tensor, nn, ops
from autograd_st.common.initializer import initializer
from autograd_st.errors import UnsupportedSyntaxError
from autograd_st.ops import composite as C
from autograd_st.ops import functional as F


@pytest.fixture
def graph_mode():
    ms.set_context(mode=ms.GRAPH_MODE)
    yield
    ms.set_context(mode=ms.PYNATIVE_MODE)


def _fd(fn, args, pos, h=1e-6):
    """Central finite differences of ``sum(fn(*args))`` w.r.t. ``args[pos]`` (float64)."""
    x = np.array(args[pos].asnumpy(), np.float64)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        hi = list(args)
        lo = list(args)
        hi[pos], lo[pos] = Tensor(x + e), Tensor(x - e)
        g[i] = (np.sum(fn(*hi).asnumpy()) - np.sum(fn(*lo).asnumpy())) / (2 * h)
    return g


# -- module paths ---------------------------------------------------------------------------

def test_module_paths_the_unit_tests_import():
    # follows the imports of test_framstruct.py, test_partial.py, test_stop_gradient.py,
    # test_kw_and_kwarg.py (ops.composite.base), bprop_util.py (common.ParameterTuple)
    base = importlib.import_module("autograd_st.ops.composite.base")
    assert base.GradOperation is C.GradOperation is ops.GradOperation
    assert base.HyperMap is C.HyperMap and base.MultitypeFuncGraph is C.MultitypeFuncGraph
    assert base.tail is C.tail
    assert C.zeros_like is ops.zeros_like and C.ones_like is ops.ones_like
    assert F.stop_gradient is ops.stop_gradient and F.depend is ops.depend
    ops_p = importlib.import_module("autograd_st.ops.operations")
    assert ops_p.MatMul is ops.MatMul
    api = importlib.import_module("autograd_st.common.api")
    assert api.jit is ms.jit
    par = importlib.import_module("autograd_st.common.parameter")
    assert par.Parameter is ms.Parameter and par.ParameterTuple is ms.ParameterTuple
    assert importlib.import_module("autograd_st.common.tensor").Tensor is ms.Tensor
    from autograd_st.common import ParameterTuple
    assert ParameterTuple is ms.ParameterTuple
    wrapper = importlib.import_module("autograd_st.nn.wrap.cell_wrapper")
    assert wrapper.WithGradCell is nn.WithGradCell and wrapper.WithLossCell is nn.WithLossCell
    assert importlib.import_module("autograd_st.nn.wrap").TrainOneStepCell is nn.TrainOneStepCell
    context = importlib.import_module("autograd_st.context")
    assert context.PYNATIVE_MODE == 1 and context.GRAPH_MODE == 0


def test_context_keys_the_tests_set():
    # follows setup_module of the 16 files, test_tuple_parameter.py (save_graphs=True),
    # test_user_define_bprop_check.py (check_bprop): 2.10's get_context answers
    try:
        ms.context.set_context(mode=ms.context.PYNATIVE_MODE, device_target="CPU")
        assert ms.context.get_context("mode") == 1
        assert ms.context.get_context("device_target") == "CPU"
        ms.context.set_context(save_graphs=True)
        assert ms.context.get_context("save_graphs") == 2
        ms.context.set_context(mode=ms.context.PYNATIVE_MODE, check_bprop=True)
        assert ms.context.get_context("check_bprop") is True
        with pytest.raises(ValueError, match="argument 'mode' should be"):
            ms.context.set_context(mode=5)
        with pytest.raises(TypeError, match="The parameter 'mode' must be"):
            ms.context.set_context(mode="1")
    finally:
        ms.context.set_context(save_graphs=False, check_bprop=False)


# -- MultitypeFuncGraph ---------------------------------------------------------------------

# which values each registered type name matches (a second, "String", registration keeps the
# single-registration rule out of it): measured on 2.10 (PyNative; "Float32" as its ms.jit,
# which test_partial.py::test_full_multi_add runs: PyNative matches no float with it)
_MATCHES = {
    "Tensor": ["t32", "ti32"], "Number": ["int", "float", "bool"], "Int": ["int"],
    "Int32": [], "Int64": ["int"], "Float": ["float"], "Float32": ["float"],
    "Float64": ["float"],
    "Bool": ["bool"], "Tuple": ["tuple"], "List": ["list"], "String": ["str"],
    "None": ["none"], "Dictionary": [], "Function": [], "UInt8": [],
}
_VALUES = [("int", 3), ("float", 2.5), ("bool", True),
           ("t32", Tensor(np.array([1.0], np.float32))), ("ti32", Tensor(np.array([1], np.int32))),
           ("tuple", (1, 2)), ("list", [1, 2]), ("str", "s"), ("none", None), ("dict", {"a": 1}),
           ("fn", abs)]


@pytest.mark.parametrize("name", sorted(_MATCHES))
def test_multitype_type_names_match_as_mindspore(name):
    # follows test_partial.py (MULTI_ADD.register("Int32", "Int32") / ("Float32", "Float32"))
    mt = C.MultitypeFuncGraph("m")
    mt.register(name, "String")(lambda x, y: "hit")
    mt.register("String", "String")(lambda x, y: "other")
    hits = []
    for label, v in _VALUES:
        try:
            if mt(v, "z") == "hit":
                hits.append(label)
        except ValueError:  # no registration matches (as 2.10 raises)
            pass
    assert hits == (["str"] if name == "String" else _MATCHES[name])


def test_multitype_order_fallback_and_errors():
    mt = C.MultitypeFuncGraph("o")
    mt.register("Number")(lambda x: "number")
    mt.register("Int64")(lambda x: "int64")
    assert mt(3) == "number"  # the first registered match wins
    mt = C.MultitypeFuncGraph("o2")
    mt.register("Int64")(lambda x: "int64")
    mt.register("Number")(lambda x: "number")
    assert (mt(3), mt(2.5)) == ("int64", "number")
    one = C.MultitypeFuncGraph("one")
    one.register("Tensor")(lambda x: "tensor")
    assert one(3) == "tensor"  # 2.10: a single registration takes anything
    add = C.MultitypeFuncGraph("add")
    add.register("Number", "Number")(lambda x, y: x + y)
    add.register("Tensor", "Tensor")(lambda x, y: x * y)
    with pytest.raises(ValueError, match="cannot find fn match given args"):
        add(3, Tensor(np.array([1.0], np.float32)))
    with pytest.raises(ValueError, match="cannot find fn match given args"):
        add(1)
    with pytest.raises(RuntimeError, match="Unsupported type name: Foo!"):
        C.MultitypeFuncGraph("x").register("Foo")


# -- HyperMap, Map, tail, partial, depend ---------------------------------------------------

def test_hypermap_eager_as_mindspore():
    add = C.MultitypeFuncGraph("add2")
    add.register("Tensor", "Tensor")(lambda x, y: x + y)
    add.register("Number", "Number")(lambda x, y: x + y)
    hm = C.HyperMap(add)
    a, b = Tensor(np.array([1.0], np.float32)), Tensor(np.array([2.0], np.float32))
    np.testing.assert_array_equal(hm(a, b).asnumpy(), [3.0])
    out = hm((a, (1, 2)), (b, (3, 4)))
    np.testing.assert_array_equal(out[0].asnumpy(), [3.0])
    assert out[1] == (4, 6)
    assert hm([1, 2], [3, 4]) == (4, 6)  # lists give tuples
    assert hm((1, 2), (3,)) == (4,)  # zipped to the shortest
    with pytest.raises(TypeError, match="'int' object is not iterable"):
        hm((1, 2), 3)
    assert C.HyperMap()(add, (1, 2), (3, 4)) == (4, 6)
    assert C.HyperMap(add, reverse=True)((1, 2), (3, 4)) == (4, 6)
    assert C.Map()(lambda x: x, ((1, 2), 3)) == ((1, 2), 3)  # one level only


def test_partial_depend_tail_zeros_like_eager():
    # follows test_partial.py::test_full_simple_add, test_framstruct.py::test_tail/test_zeros
    def myadd(x, y):
        return x + y
    p = F.partial(myadd, 2)
    assert type(p) is functools.partial and p(5) == 7  # 2.10 returns a functools.partial
    assert F.scalar_add(1, 2) == 3
    x = Tensor(np.array([1.0, 2.0], np.float32))
    np.testing.assert_array_equal(F.depend(x, x * 2).asnumpy(), [1.0, 2.0])
    assert C.tail((0, 1, 2, 3)) == (1, 2, 3)  # (2.10's jit result; its PyNative gives None)
    z = C.zeros_like(Tensor(np.ones([2, 3]).astype(np.int32)))
    assert z.dtype == ms.int32 and not z.asnumpy().any()


def test_composite_gradients_match_finite_differences():
    add = C.MultitypeFuncGraph("add")
    add.register("Tensor", "Tensor")(lambda a, b: a * b + a)
    add.register("Tensor", "Number")(lambda a, b: a * a * b)
    hyper = C.HyperMap(add)

    def scale(k, v):
        return v * k

    def f(x, y):
        a, b = hyper((x, y), (y, 3.0))
        p = F.partial(scale, y)
        m = C.Map()(add, (p(a), b), (x, 2.0))
        t = C.tail((x, m[0], m[1]))
        return F.depend(t[0] + t[1] * x, a)

    x = Tensor(np.array([1.0, 2.0, -0.5]))
    y = Tensor(np.array([0.3, -1.5, 2.0]))
    gx, gy = ops.grad(f, grad_position=(0, 1))(x, y)
    np.testing.assert_allclose(gx.asnumpy(), _fd(f, (x, y), 0), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(gy.asnumpy(), _fd(f, (x, y), 1), rtol=1e-6, atol=1e-6)


def _scale(k, v):
    return v * k


def _make_partial(y):
    return F.partial(_scale, y)


def _apply(p, z):
    return p(z * z)


def test_a_partial_of_runtime_values_leaving_its_function_is_refused():
    # test_partial.py::test_full_simple_add returns F.partial(myadd, x) from a helper; 2.10's
    # graph mode calls it in the caller.  Here the partial's values belong to the helper's
    # compiled code, so the compile is refused at the user's line (never a wrong gradient).
    x = Tensor(np.array([1.0, 2.0]))
    y = Tensor(np.array([0.3, -1.5]))

    def returned(a, b):
        return _make_partial(b)(a * a)

    with pytest.raises(UnsupportedSyntaxError, match="partial .* is returned") as err:
        ops.grad(returned)(x, y)
    assert "_make_partial" in str(err.value) and "test_ut17_surface.py" in str(err.value)

    def passed(a, b):
        return _apply(F.partial(_scale, b), a)

    with pytest.raises(UnsupportedSyntaxError, match="partial .* is passed to another"):
        ops.grad(passed)(x, y)

    def made_here(a, b):  # made and called in one function: differentiated
        return _scale(b, a * a) + F.partial(_scale, b)(a)

    np.testing.assert_allclose(ops.grad(made_here)(x, y).asnumpy(),
                               2 * x.asnumpy() * y.asnumpy() + y.asnumpy())


# -- set_inputs -----------------------------------------------------------------------------

class _Twice(nn.Cell):
    def construct(self, x):
        return x * 2


def test_placeholder_tensors():
    t = Tensor(shape=[None, 3], dtype=ms.float32)
    assert t.shape == (-1, 3) and t.ndim == 2 and t.dtype == ms.float32
    assert repr(t) == "Tensor(shape=[-1, 3], dtype=Float32, value= )"
    assert Tensor(shape=None, dtype=ms.float32).shape == (-2,)
    with pytest.raises(ValueError, match="negative dimensions are not allowed"):
        t.asnumpy()
    with pytest.raises(ValueError, match="dtype must not be None"):
        Tensor(shape=[None, 3])
    assert not Tensor(shape=[2, 3], dtype=ms.float32).asnumpy().any()


def test_set_inputs_pynative_does_not_check():
    # follows grad/test_auto_grad.py: set_inputs then the same gradients; 2.10's PyNative
    # mode checks no call against the declaration
    m = _Twice()
    assert m.set_inputs(Tensor(shape=[None, 3], dtype=ms.float32)) is None
    assert m.get_inputs()[0].shape == (-1, 3)
    assert m(Tensor(np.ones((2, 4), np.float32))).shape == (2, 4)
    assert m(Tensor(np.ones((2, 3), np.float64))).dtype == ms.float64
    assert m(3) == 6
    g = ops.grad(m)(Tensor(np.ones((5, 3), np.float32)))
    np.testing.assert_array_equal(g.asnumpy(), np.full((5, 3), 2.0, np.float32))


def test_set_inputs_graph_mode_checks_calls(graph_mode):
    m = _Twice()
    m.set_inputs(Tensor(shape=[None, 3], dtype=ms.float32))
    assert m(Tensor(np.ones((7, 3), np.float32))).shape == (7, 3)
    with pytest.raises(ValueError, match="the dims of 1th input must be the same as expected, "
                                         "but got expected: 2, and input: 3!"):
        m(Tensor(np.ones((2, 3, 1), np.float32)))
    with pytest.raises(ValueError, match="the shape of 1th input must be the same as expected, "
                                         "but got expected: 3, and input: 4!"):
        m(Tensor(np.ones((2, 4), np.float32)))
    with pytest.raises(TypeError, match=r"the 1th type should be Tensor\[Float32\], but got "
                                        r"Tensor\[Float64\]!"):
        m(Tensor(np.ones((2, 3), np.float64)))
    with pytest.raises(TypeError, match="the 1th should be mutable one, but got static!"):
        m(3)
    # the gradient functions are not checked (2.10 computes them for any shape)
    assert ops.grad(m)(Tensor(np.ones((2, 4), np.float32))).shape == (2, 4)
    anyrank = _Twice()
    anyrank.set_inputs(Tensor(shape=None, dtype=ms.float32))
    assert anyrank(Tensor(np.ones((2, 3, 4), np.float32))).shape == (2, 3, 4)
    with pytest.raises(TypeError, match="Tensor\\[Float16\\]"):
        anyrank(Tensor(np.ones((2,), np.float16)))
    fixed = _Twice()
    fixed.set_inputs(Tensor(np.ones((2, 3)), ms.float32))
    with pytest.raises(ValueError, match="expected: 2, and input: 4!"):
        fixed(Tensor(np.ones((4, 3), np.float32)))
    with pytest.raises(TypeError, match="construct requires 1 positional argument, but got 0"):
        _Twice().set_inputs()


# -- add_flags, auto_prefix -----------------------------------------------------------------

def test_add_flags():
    # follows test_framstruct.py::test_grad_if_defer_inline (network.add_flags(...))
    class D(nn.Cell):
        def __init__(self):
            super().__init__()
            self.fc = nn.Dense(2, 3)

        def construct(self, x):
            return self.fc(x)

    d = D()
    assert d.add_flags(defer_inline=False, foo=1) is d
    assert d.defer_inline is False and d.get_flags() == {"defer_inline": False, "foo": 1}
    assert d.add_flags_recursive(bar=True) is d
    assert d.get_flags()["bar"] is True and d.fc.get_flags() == {"bar": True}
    assert nn.Cell(flags={"x": 2}).x == 2


class _ModA(nn.Cell):
    def __init__(self, tensor):
        super().__init__()
        self.weight = Parameter(tensor, name="weight")

    def construct(self, *inputs):
        return None


class _ModC(nn.Cell):
    def __init__(self, ta, tb):
        super().__init__()
        self.mod1 = _ModA(ta)
        self.mod2 = _ModA(tb)


class _Net(nn.Cell):
    def __init__(self, ta, tb, auto_prefix=True):
        super().__init__(auto_prefix=auto_prefix)
        self.mod1 = _ModA(ta)
        self.mod2 = _ModA(tb)
        self.mod3 = _ModC(ta, tb)


def test_auto_prefix_names_and_checkpoints(tmp_path):
    # follows nn/test_cell.py::test_basic, test_parameter_name, test_stop_update_name
    ta = Tensor(np.ones([2, 3], np.float32))
    tb = Tensor(np.ones([1, 4], np.float32) * 2)
    full = ["mod1.weight", "mod2.weight", "mod3.mod1.weight", "mod3.mod2.weight"]
    n = _Net(ta, tb)
    assert list(n.parameters_dict()) == full
    assert [k for k, _ in n.parameters_and_names()] == full
    n2 = _Net(ta, tb, auto_prefix=False)
    assert {k: v.shape for k, v in n2.parameters_dict().items()} == {
        "weight": (1, 4), "mod1.weight": (2, 3), "mod2.weight": (1, 4)}
    assert [k for k, _ in n2.parameters_and_names()] == full
    assert [p.name for p in n2.trainable_params()] == ["weight", "weight", "mod1.weight",
                                                       "mod2.weight"]
    path = str(tmp_path / "n2.ckpt")
    ms.save_checkpoint(n2, path)
    loaded = ms.load_checkpoint(path)
    assert {k: v.shape for k, v in loaded.items()} == {
        "weight": (1, 4), "mod1.weight": (2, 3), "mod2.weight": (1, 4)}

    class Inner(nn.Cell):
        def __init__(self):
            super().__init__(auto_prefix=False)
            self.fc = nn.Dense(2, 3)
            self.w = Parameter(Tensor(np.ones(2, np.float32)), name="w")

    class Outer(nn.Cell):
        def __init__(self):
            super().__init__()
            self.inner = Inner()

    inner = Inner()  # (2.10: a Cell's own Parameters come before its sub-Cells')
    assert [k for k, _ in inner.parameters_and_names()] == ["w", "fc.weight", "fc.bias"]
    assert [p.name for p in inner.trainable_params()] == ["w", "weight", "bias"]
    outer = Outer()
    assert [k for k, _ in outer.parameters_and_names()] == [
        "inner.w", "inner.fc.weight", "inner.fc.bias"]
    assert [p.name for p in outer.trainable_params()] == [
        "inner.w", "inner.fc.weight", "inner.fc.bias"]


# -- initializer, WithGradCell --------------------------------------------------------------

def test_initializer_forms_and_errors():
    # follows test_cell_bprop.py (initializer(1, (2, 2), mstype.float32)); 2.10's values
    t = initializer(1, (2, 2), ms.float32)
    assert t.dtype == ms.float32 and t.asnumpy().tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert initializer(2.5, (2,), ms.int32).asnumpy().tolist() == [2, 2]
    assert initializer("zeros", [2, 1], ms.int32).dtype == ms.int32
    src = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]), ms.float64)
    assert initializer(src, (2, 2), ms.float32).dtype == ms.float64  # the Tensor's dtype kept
    with pytest.raises(TypeError, match="the type of the 'init' argument should be"):
        initializer((2, 2), (2, 2), ms.float32)
    with pytest.raises(ValueError, match="the class corresponding to 'foo' was not found"):
        initializer("foo", (2,), ms.float32)
    with pytest.raises(ValueError, match="'shape' must be positive integer, but got"):
        initializer(1, (-1, 2), ms.float32)
    with pytest.raises(ValueError, match="should be same as the argument 'shape'"):
        initializer(src, (3,), ms.float32)
    with pytest.raises(AttributeError, match="has no attribute 'shape'"):
        initializer(1, None, ms.float32)


def test_with_grad_cell_against_finite_differences():
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(Tensor(np.array([1.0, -2.0, 0.5])), name="w")

        def construct(self, x):
            return x * self.w * self.w

    net = Net()
    x = Tensor(np.array([0.3, 1.0, -2.0]))
    (gw,) = nn.WithGradCell(net)(x)
    np.testing.assert_allclose(gw.asnumpy(), 2 * x.asnumpy() * net.w.asnumpy())
    sens = Tensor(np.array([1.0, 2.0, -1.0]))
    (gw,) = nn.WithGradCell(net, sens=sens)(x)
    np.testing.assert_allclose(gw.asnumpy(), 2 * x.asnumpy() * net.w.asnumpy() * sens.asnumpy())
    assert [p.name for p in nn.WithGradCell(net, nn.MSELoss()).trainable_params()] == ["w"]


def test_support_module_names():
    # the names MindSpore's test utilities import: block_util.py (_cell_graph_executor),
    # check_gradient.py (mindspore._c_expression, which in 2.10 has no Tensor)
    api = importlib.import_module("autograd_st.common.api")

    class Twice(nn.Cell):
        def construct(self, x):
            return ops.matmul(x, x)

    phase, ok = api._cell_graph_executor.compile(Twice(), Tensor(np.ones((2, 2), np.float32)))
    assert phase.startswith("predict.") and ok is True
    # the shape error surfaces (2.10 raises RuntimeError, from its compile and from its
    # PyNative matmul alike; autograd_st's matmul raises ValueError)
    with pytest.raises(ValueError):
        api._cell_graph_executor.compile(Twice(), Tensor(np.ones((2, 3), np.float32)))
    c_expression = importlib.import_module("autograd_st._c_expression")
    assert not hasattr(c_expression, "Tensor")
    assert ops.HyperMap is C.HyperMap and ops.MultitypeFuncGraph is C.MultitypeFuncGraph
    assert ops.tail is C.tail and ops.partial is F.partial and ops.Map is C.Map
