"""The run context (``set_context`` / ``get_context``, the modes), the global seed and
``jit``: MindSpore 2.10's behaviour (measured in the side venv: defaults, accepted keys, the
errors and their types), seeds that make runs reproducible, and ``jit`` keeping code working,
compiled gradients included."""
from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close

import autograd_st as ms
import autograd_st.dataset as ds
from autograd_st import Parameter, Tensor, context, nn, ops


@pytest.fixture(autouse=True)
def _restore_context():
    saved = dict(context._CONTEXT)
    seed = context.get_seed()
    generators = (context.INIT_RNG[0], context.DROPOUT_RNG[0], np.random.get_state())
    yield
    context._CONTEXT.clear()
    context._CONTEXT.update(saved)
    context._GLOBAL_SEED[0] = seed
    context.INIT_RNG[0], context.DROPOUT_RNG[0] = generators[:2]
    np.random.set_state(generators[2])


# -- set_context / get_context ---------------------------------------------------------

def test_modes_and_defaults():
    assert (ms.GRAPH_MODE, ms.PYNATIVE_MODE) == (0, 1)
    assert ms.get_context("mode") == ms.PYNATIVE_MODE  # MindSpore 2.10's default
    assert ms.get_context("device_target") == "CPU"
    assert ms.get_context("max_call_depth") == 1000
    ms.set_context(mode=ms.GRAPH_MODE)
    assert ms.get_context("mode") == 0
    ms.set_context(mode=ms.PYNATIVE_MODE, device_target="CPU")
    assert ms.get_context("mode") == 1
    assert ms.set_context() is None


def test_context_module_alias():
    """``from mindspore import context; context.set_context(...)``"""
    from autograd_st import context as ctx
    ctx.set_context(mode=ctx.GRAPH_MODE, device_target="CPU")
    assert ctx.get_context("mode") == ctx.GRAPH_MODE
    assert ms.context.set_context is ms.set_context


def test_known_keys_are_stored():
    ms.set_context(max_call_depth=100, pynative_synchronize=True, device_id=0,
                   jit_config={"jit_level": "O0"}, save_graphs=True)
    assert ms.get_context("max_call_depth") == 100
    assert ms.get_context("pynative_synchronize") is True
    assert ms.get_context("jit_config") == {"jit_level": "O0"}
    assert ms.get_context("save_graphs") == 2  # MindSpore maps True to 2, False to 0
    ms.set_context(save_graphs=False)
    assert ms.get_context("save_graphs") == 0


@pytest.mark.parametrize("kwargs, error, text", [
    ({"foo": 1}, ValueError, "keyword argument foo is not recognized"),
    ({"mode": 2}, ValueError, "GRAPH_MODE (0) or context.PYNATIVE_MODE (1)"),
    ({"mode": "GRAPH_MODE"}, TypeError, "'mode' must be <class 'int'>"),
    ({"device_target": "cpu"}, ValueError, "must be one of ['CPU', 'GPU', 'Ascend', 'Davinci']"),
    ({"device_target": "GPU"}, RuntimeError, "Unsupported device target GPU"),
    ({"precision_mode": "x"}, ValueError, "through parameter ascend_config"),
    ({"save_graphs": 4}, ValueError, "save_graphs should be 0-3"),
])
def test_set_context_errors(kwargs, error, text):
    with pytest.raises(error) as info:
        ms.set_context(**kwargs)
    assert text in str(info.value)
    assert ms.get_context("mode") == ms.PYNATIVE_MODE  # nothing was set


def test_unknown_key_sets_nothing():
    with pytest.raises(ValueError):
        ms.set_context(mode=ms.GRAPH_MODE, foo=1)
    assert ms.get_context("mode") == ms.PYNATIVE_MODE


def test_get_context_unknown_key():
    with pytest.raises(ValueError, match="argument foo is not recognized"):
        ms.get_context("foo")


class _Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([[0.5, -0.3], [0.2, 0.8]], np.float32)), name="w")

    def construct(self, x):
        return ops.sum(ops.tanh(ops.matmul(x, self.w)))


def test_both_modes_give_the_same_numbers():
    x = Tensor(np.array([[1.0, -2.0], [0.5, 0.25]], np.float32))
    results = []
    for mode in (ms.PYNATIVE_MODE, ms.GRAPH_MODE):
        ms.set_context(mode=mode)
        net = _Net()
        value, grads = ops.value_and_grad(net, None, net.trainable_params())(x)
        results.append((value.asnumpy(), grads[0].asnumpy()))
    assert_close(results[0][0], results[1][0], rtol=0)
    assert_close(results[0][1], results[1][1], rtol=0)
    # d/dw sum(tanh(x @ w)) = x^T (1 - tanh^2(x @ w))
    xv, w = x.asnumpy().astype(np.float64), np.array([[0.5, -0.3], [0.2, 0.8]])
    assert_close(results[0][1], xv.T @ (1 - np.tanh(xv @ w) ** 2), rtol=1e-5)


# -- set_seed / get_seed ---------------------------------------------------------------

@pytest.mark.parametrize("seed, error, text", [
    (-1, ValueError, "must >= 0, but got '-1'"),
    (1.5, TypeError, "must be type of int"),
    (True, TypeError, "with type 'bool'"),
    (2 ** 40, ValueError, "between 0 and 2**32 - 1"),
    (np.int64(3), TypeError, "must be type of int"),
])
def test_set_seed_rejects(seed, error, text):
    with pytest.raises(error) as info:
        ms.set_seed(seed)
    assert text in str(info.value)


def test_get_seed():
    context._GLOBAL_SEED[0] = None
    assert ms.get_seed() is None  # MindSpore's default
    ms.set_seed(1234)
    assert ms.get_seed() == 1234


class _DropNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(6, 5, weight_init="normal")
        self.drop = nn.Dropout(keep_prob=0.5)

    def construct(self, x):
        return self.drop(self.fc(x))


def _seeded_run(seed):
    ms.set_seed(seed)
    net = _DropNet()
    net.set_train(True)
    x = Tensor(np.ones((4, 6), np.float32))
    out = net(x).asnumpy()
    grads = ops.grad(net, None, net.trainable_params())(x)
    return (net.fc.weight.asnumpy().copy(), net.fc.bias.asnumpy().copy(), out,
            [g.asnumpy() for g in grads], np.random.rand())


def test_set_seed_makes_runs_identical():
    a, b, c = _seeded_run(7), _seeded_run(7), _seeded_run(8)
    for x, y in zip(a[:3], b[:3]):
        np.testing.assert_array_equal(x, y)
    for x, y in zip(a[3], b[3]):
        np.testing.assert_array_equal(x, y)
    assert a[4] == b[4]  # numpy.random is seeded too, as in MindSpore
    assert not np.array_equal(a[0], c[0])  # another seed: other initial weights
    # dropout really drops: about half of the outputs are zero, the rest scaled by 2
    zeros = np.mean(a[2] == 0)
    assert 0.2 < zeros < 0.8


def test_set_seed_reaches_initializers_and_dropout_generators():
    ms.set_seed(11)
    first = (context.INIT_RNG[0].random(3), context.DROPOUT_RNG[0].random(3))
    ms.set_seed(11)
    second = (context.INIT_RNG[0].random(3), context.DROPOUT_RNG[0].random(3))
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    nn.seed_initializers(5)  # the older entry point seeds the same stream: numpy.random's
    first = context.INIT_RNG[0].uniform(-1.0, 1.0, 4)
    np.random.seed(5)
    np.testing.assert_array_equal(context.INIT_RNG[0].uniform(-1.0, 1.0, 4), first)


# -- jit ---------------------------------------------------------------------------------

def _square_sum(x):
    return ops.sum(x * x)


@ms.jit
def _jitted(x):
    return ops.sum(x * x)


@ms.jit(capture_mode="ast", jit_level="O1")
def _jitted_args(x):
    return ops.sum(x * x)


class _JitNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, -1.0, 2.0], np.float32)), name="w")

    @ms.jit
    def construct(self, x):
        return _jitted(x * self.w)


def test_jit_forms_keep_functions_working():
    x = Tensor(np.array([1.0, -2.0, 3.0], np.float32))
    assert float(_jitted(x).asnumpy()) == 14.0
    assert float(_jitted_args(x).asnumpy()) == 14.0
    called = ms.jit(_square_sum, capture_mode="bytecode")
    # a marked copy (its gradients take the fused path); the original stays unmarked
    assert called is not _square_sum and called.__code__ is _square_sum.__code__
    assert ms.context.is_jit(called) and not ms.context.is_jit(_square_sum)
    assert float(called(x).asnumpy()) == 14.0
    assert_close(ops.grad(_jitted)(x), 2 * x.asnumpy(), rtol=0)
    assert_close(ops.grad(_jitted_args)(x), 2 * x.asnumpy(), rtol=0)


def test_jit_on_construct_differentiates():
    net = _JitNet()
    x = Tensor(np.array([1.0, -2.0, 3.0], np.float32))
    value, (gw,) = ops.value_and_grad(net, None, net.trainable_params())(x)
    w = np.array([0.5, -1.0, 2.0])
    xv = np.array([1.0, -2.0, 3.0])
    assert_close(value, np.sum((xv * w) ** 2), rtol=1e-6)
    assert_close(gw, 2 * xv * xv * w, rtol=1e-6)


@pytest.mark.parametrize("kwargs, error, text", [
    ({"capture_mode": "foo"}, ValueError, "'capture_mode' must be str and must be in"),
    ({"jit_level": "O9"}, ValueError, "'jit_level' must be str and must be in '['O0', 'O1']'"),
    ({"dynamic": 2}, ValueError, "'dynamic' must be int"),
    ({"fullgraph": 1}, TypeError, "'fullgraph' must be bool"),
])
def test_jit_checks_arguments(kwargs, error, text):
    with pytest.raises(error) as info:
        ms.jit(_square_sum, **kwargs)
    assert text in str(info.value)


def test_jit_deprecated_option_warns_and_rejects_non_callables():
    with pytest.warns(DeprecationWarning, match="'mode' has been deprecated"):
        assert ms.jit(_square_sum, mode="PSJit").__code__ is _square_sum.__code__
    with pytest.raises(TypeError, match="must be a function"):
        ms.jit(3)


def test_set_seed_seeds_the_data_pipelines_too():
    def order():
        data = ds.NumpySlicesDataset({"x": np.arange(20.0)}, shuffle=True)
        return [float(row[0].asnumpy()) for row in data.create_tuple_iterator()]

    ms.set_seed(7)
    assert ds.config.get_seed() == 7
    first = order()
    ms.set_seed(8)
    other = order()
    ms.set_seed(7)
    assert order() == first != other
    assert sorted(first) == list(np.arange(20.0))
