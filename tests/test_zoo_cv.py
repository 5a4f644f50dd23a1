"""Construct patterns of vision model-zoo code (found by tools/zoo_sweep.py on mindcv), each in a
small Cell of this project's own, checked against float64 finite differences or against what
MindSpore 2.10 does (recorded cases ``tests/ms_cases/cases/cv_*.py`` hold the rest)."""
import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Tensor, nn, numerical_grad, ops
from autograd_st.errors import CompileError, UnsupportedSyntaxError


class ChannelsFirstNorm(nn.LayerNorm):
    """A LayerNorm subclass calling MindSpore's ``self.layer_norm`` primitive attribute."""

    def __init__(self, channels):
        super().__init__((channels,), epsilon=1e-6, dtype=ms.float64)

    def construct(self, x):
        y, _, _ = self.layer_norm(ops.transpose(x, (0, 2, 3, 1)), self.gamma, self.beta)
        return ops.transpose(y, (0, 3, 1, 2))


def test_layer_norm_attribute_gradients_match_finite_differences():
    rng = np.random.default_rng(1)
    net = ChannelsFirstNorm(3)
    net.gamma.set_data(Tensor(rng.standard_normal(3)))
    net.beta.set_data(Tensor(rng.standard_normal(3)))
    x = Tensor(rng.standard_normal((2, 3, 2, 4)))
    w = Tensor(rng.standard_normal((2, 3, 2, 4)))

    def loss(x):
        return (net(x) * w).sum()

    weights = net.trainable_params()
    _, (gx, gw) = ms.value_and_grad(loss, 0, weights)(x)
    nx, nw = numerical_grad(loss, (x,), 0, weights)
    np.testing.assert_allclose(gx.asnumpy(), nx, rtol=1e-6, atol=1e-8)
    for g, n in zip(gw, nw):
        np.testing.assert_allclose(g.asnumpy(), n, rtol=1e-6, atol=1e-8)


def test_layer_norm_primitive_outputs_and_axes():
    x = np.random.default_rng(2).standard_normal((2, 3, 4)).astype(np.float32)
    y, mean, var = ops.LayerNorm(1, 1, 1e-5)(Tensor(x), Tensor(np.ones((3, 4), np.float32)),
                                             Tensor(np.zeros((3, 4), np.float32)))
    assert mean.shape == (2, 1, 1) and var.shape == (2, 1, 1)
    flat = x.reshape(2, -1).astype(np.float64)
    np.testing.assert_allclose(var.asnumpy().ravel(), flat.var(1), rtol=1e-5)
    want = (flat - flat.mean(1, keepdims=True)) / np.sqrt(flat.var(1, keepdims=True) + 1e-5)
    np.testing.assert_allclose(y.asnumpy().reshape(2, -1), want, rtol=1e-4, atol=1e-5)


def test_layer_norm_from_a_leading_axis_is_refused_in_differentiated_code():
    ln = ops.LayerNorm(1, 1)
    g, b = Tensor(np.ones((3,), np.float32)), Tensor(np.zeros((3,), np.float32))

    def f(x):
        return ln(x, g, b)[0].sum()

    with pytest.raises(UnsupportedSyntaxError, match="counted from the end"):
        ops.grad(f)(Tensor(np.ones((2, 3), np.float32)))


def _names(net):
    return [p.name for p in net.trainable_params()]


class _Block(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(2, 2)


class _Stage(nn.Cell):
    def __init__(self, depth):
        super().__init__()
        self.blocks = nn.CellList()
        for _ in range(depth):
            self.blocks.append(_Block())


def test_cell_list_extend_reads_the_prefix_once():
    # measured on MindSpore 2.10: extend (and CellList(list)) reads the prefix before the
    # first new cell, so a stage whose names carry "0.blocks.0" does not shift the next one
    stages = nn.CellList([_Stage(1), _Stage(1)])
    assert _names(stages) == ["0.blocks.0.fc.weight", "0.blocks.0.fc.bias",
                              "1.blocks.0.fc.weight", "1.blocks.0.fc.bias"]
    grown = nn.CellList()
    grown.append(_Stage(1))
    grown.append(_Stage(1))
    assert _names(grown) == ["0.blocks.0.fc.weight", "0.blocks.0.fc.bias",
                             "0.blocks.1.blocks.0.fc.weight", "0.blocks.1.blocks.0.fc.bias"]


class _SplitHalves(nn.Cell):
    """Keeps the call's keyword arguments in a dict made in __init__ and unpacks it."""

    def __init__(self):
        super().__init__()
        self.kwargs = dict(split_size_or_sections=2, axis=1)

    def construct(self, x):
        return ops.split(x, **self.kwargs)


class _UsesHalves(nn.Cell):
    def __init__(self):
        super().__init__()
        self.split = _SplitHalves()

    def construct(self, x):
        a, b = self.split(x)
        return (a * ops.sin(b)).sum()


def test_double_star_unpacking_of_a_dict_kept_on_self():
    x = Tensor(np.random.default_rng(4).standard_normal((3, 4)))
    net = _UsesHalves()
    np.testing.assert_allclose(ms.grad(net)(x).asnumpy(), numerical_grad(net, (x,)),
                               rtol=1e-6, atol=1e-8)


def test_double_star_unpacking_of_a_tensor_is_refused():
    def f(x):
        return ops.sum(x, **x)

    with pytest.raises(CompileError, match="not a dict with string keys known"):
        ops.grad(f)(Tensor(np.ones(3)))


class _ConfiguredFirst(nn.Cell):
    """Sets a plain attribute before Cell.__init__ (MindSpore allows it; it stays)."""

    def __init__(self, what="plain"):
        if what == "plain":
            self.config = {"scale": 3.0}
        elif what == "cell":
            self.early = nn.Dense(2, 2)
        else:
            self.early = ms.Parameter(Tensor(np.ones(2)))
        super().__init__()
        self.dense = nn.Dense(2, 2, weight_init="ones", bias_init="zeros", dtype=ms.float64)

    def construct(self, x):
        return self.dense(x) * self.config["scale"]


def test_plain_attribute_before_cell_init():
    net = _ConfiguredFirst()
    assert [p.name for p in net.get_parameters()] == ["dense.weight", "dense.bias"]
    x = Tensor(np.array([[1.0, -2.0]]))
    np.testing.assert_allclose(net(x).asnumpy(), [[-3.0, -3.0]])
    np.testing.assert_allclose(ms.grad(net)(x).asnumpy(), [[6.0, 6.0]])


@pytest.mark.parametrize("what, message", [("cell", "_auto_prefix"),
                                           ("param", "please call Cell.__init__")])
def test_cell_or_parameter_before_cell_init_is_refused(what, message):
    with pytest.raises(AttributeError, match=message):
        _ConfiguredFirst(what)


# ---------------------------------------------------------------------------------------
# tools/zoo_sweep.py's own pieces (no mindcv checkout needed)
# ---------------------------------------------------------------------------------------

import os  # noqa: E402
import pathlib  # noqa: E402
import sys  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tools"))
import zoo_sweep  # noqa: E402


def test_sweep_compare_scales_atol_by_the_array_and_names_the_stage():
    ms_res = {"eval": np.array([1000.0, 1.0]), "grad:w": np.array([0.5, -0.5])}
    assert zoo_sweep.compare(ms_res, {"eval": np.array([1000.009, 1.0]),
                                      "grad:w": np.array([0.5, -0.5])}, 1e-4, 1e-5)[0] == "OK"
    status, _ = zoo_sweep.compare(ms_res, {"eval": np.array([1000.0, 1.0]),
                                           "grad:w": np.array([0.5, -0.49])}, 1e-4, 1e-5)
    assert status.startswith("grad: grad:w differs")
    assert zoo_sweep.compare(ms_res, {"eval": ms_res["eval"]}, 1e-4, 1e-5)[0] == \
        "grad: no grad:w from autograd_st"


def test_sweep_distance_counts_tolerances():
    # a: |2.1 - 2| / (1e-5 * 2 + 1e-4 * 2) = 454.5; b: noise around 0 held to 1e-5
    d, key = zoo_sweep.distance({"a": np.array([1.0, 2.1]), "b": np.array([3e-9, 0.0])},
                                {"a": np.array([1.0, 2.0]), "b": np.array([1e-9, 2e-9])})
    assert key == "a" and d == pytest.approx(0.1 / 2.2e-4)


def test_sweep_prepares_an_import_rewritten_copy_with_stubs(tmp_path):
    pkg = tmp_path / "checkout" / "mindcv"
    for rel in ("models", "utils"):
        (pkg / rel).mkdir(parents=True)
    (pkg / "__init__.py").write_text("from . import data\n")
    (pkg / "models" / "__init__.py").write_text("from . import everything\n")
    (pkg / "utils" / "__init__.py").write_text("from .train_step import *\n")
    (pkg / "utils" / "download.py").write_text("from tqdm import tqdm\n")
    (pkg / "models" / "net.py").write_text(
        "import mindspore as ms\nfrom mindspore import nn\nx = 'mindspore stays in text'\n")
    trees = zoo_sweep.prepare(str(tmp_path / "checkout"), str(tmp_path / "work"))
    ours = pathlib.Path(trees["ours"]) / "mindcv"
    assert (ours / "models" / "net.py").read_text() == (
        "import autograd_st as ms\nfrom autograd_st import nn\nx = 'mindspore stays in text'\n")
    mine = pathlib.Path(trees["ms"]) / "mindcv" / "models" / "net.py"
    assert mine.read_text().startswith("import mindspore as ms")
    assert "from ." not in (ours / "__init__.py").read_text()
    assert "tqdm" not in (ours / "utils" / "download.py").read_text()


def test_nn_cell_module_as_in_mindspore():
    # measured on MindSpore 2.10: ``nn.cell`` is the module and ``nn.cell.Cell is nn.Cell``
    # (model code writes ``act_layer: nn.cell = nn.GELU`` in signatures)
    assert nn.cell.Cell is nn.Cell
