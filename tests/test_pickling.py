"""Gradient functions (ops.grad, value_and_grad, GradOperation()(net), grad of grad), the
GradOperation itself and Cells holding them (a TrainOneStepCell after a step) pickle and
deep-copy at any time, including after their first call: they are pickled as what they were
made from and compile again, from source, on their first call after loading.  A round trip
into a fresh process gives the same numbers."""
import copy
import os
import pathlib
import pickle
import subprocess
import sys

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import ParameterTuple, Tensor, nn, ops

ROOT = pathlib.Path(__file__).resolve().parent.parent
TARGETS = ROOT / "tests" / "cli_targets"
sys.path.insert(0, str(TARGETS))
import model  # noqa: E402  (tests/cli_targets/model.py: importable in a fresh process too)

X = Tensor(np.array([[0.3, -1.0, 2.0], [0.5, 0.25, -0.75]]))
M = Tensor(np.array([1.0, 2.0, 3.0]))


def _arrays(value):
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in _arrays(v)]
    return [np.asarray(value.asnumpy() if isinstance(value, Tensor) else value)]


def _same(a, b):
    xs, ys = _arrays(a), _arrays(b)
    assert len(xs) == len(ys)
    for x, y in zip(xs, ys):
        np.testing.assert_array_equal(x, y)


def _makers():
    net = model.Net(3)
    w = ParameterTuple(net.trainable_params())
    return [
        ("grad of a function", ops.grad(model.f, (0, 1)), (X, X)),
        ("value_and_grad of a Cell", ops.value_and_grad(net, 0, w), (X, M)),
        ("GradOperation()(net, weights)",
         ops.GradOperation(get_all=True, get_by_list=True)(net, w), (X, M)),
        ("grad of grad", ops.grad(ops.grad(model.f), (0, 1)), (X, X)),
        ("sens_param", ops.GradOperation(sens_param=True)(net), (X, M, Tensor(np.array(2.0)))),
    ]


@pytest.mark.parametrize("case", range(5))
def test_pickle_and_deepcopy_after_the_first_call_give_the_same_numbers(case):
    what, gfn, args = _makers()[case]
    first = gfn(*args)
    for other in (pickle.loads(pickle.dumps(gfn)), copy.deepcopy(gfn), copy.copy(gfn)):
        assert type(other) is type(gfn), what
        _same(other(*args), first)


def test_a_deep_copy_differentiates_its_own_copy_of_the_cell():
    net = model.Net(3)
    gfn = ops.grad(net, None, net.trainable_params())
    before = gfn(X, M)
    twin = copy.deepcopy(gfn)
    assert twin.fn is not net
    assert {id(w) for w in twin.request.weights} == {id(p) for p in twin.fn.trainable_params()}
    twin.fn.scale.set_data(Tensor(np.array([2.0, 2.0, 2.0])))
    _same(gfn(X, M), before)  # the original's Cell is untouched
    changed = twin(X, M)
    # the gradients of the dense layer's weights scale with `scale`
    assert not all(np.allclose(a, b) for a, b in zip(_arrays(changed), _arrays(before)))
    np.testing.assert_allclose(_arrays(changed)[1], 4 * _arrays(before)[1], rtol=1e-5)


def test_pickling_adds_nothing_to_the_call_path():
    gfn = ops.grad(model.f)
    gfn(X, X)
    assert set(vars(gfn)) == {"fn", "request", "_fast", "_is_cell", "_last_art", "__name__",
                              "__qualname__", "__doc__", "jit",  # (jit: ms.jit's flag)
                              "_tail"}  # (made from fn: keyword-only parameters, **kwargs)


def test_a_jitted_gradient_function_pickles_as_jitted():
    loaded = pickle.loads(pickle.dumps(ms.jit(ops.grad(model.f))))
    assert loaded.jit and not pickle.loads(pickle.dumps(ops.grad(model.f))).jit


def test_gradoperation_pickles_without_what_it_remembers():
    net = model.Net(3)
    op = ops.GradOperation(get_all=True)
    op(net)(X, M)
    assert "_memo" in vars(op)
    loaded = pickle.loads(pickle.dumps(op))
    assert "_memo" not in vars(loaded) and loaded.get_all
    _same(loaded(net)(X, M), op(net)(X, M))


def test_train_one_step_cell_after_a_step_deep_copies_and_pickles():
    dense = nn.Dense(3, 2)
    step = nn.TrainOneStepCell(nn.WithLossCell(dense, nn.MSELoss()),
                               nn.SGD(dense.trainable_params(), 0.1))
    data = Tensor(np.ones((4, 3), np.float32))
    label = Tensor(np.zeros((4, 2), np.float32))
    step(data, label)
    twin, loaded = copy.deepcopy(step), pickle.loads(pickle.dumps(step))
    w = dense.weight.asnumpy().copy()
    losses = [float(s(data, label).asnumpy()) for s in (step, twin, loaded)]
    assert losses[0] == losses[1] == losses[2]
    # each trains its own weights
    assert twin.network.backbone_network.weight is not dense.weight
    assert not np.array_equal(dense.weight.asnumpy(), w)
    np.testing.assert_array_equal(twin.network.backbone_network.weight.asnumpy(),
                                  dense.weight.asnumpy())


_SAVE = """
import pickle, sys
import numpy as np
sys.path.insert(0, {targets!r})
import model
from autograd_st import Tensor, ops
net = model.Net(3)
gfn = ops.value_and_grad(net, (0, 1), net.trainable_params())
x = Tensor(np.array([[0.3, -1.0, 2.0], [0.5, 0.25, -0.75]]))
m = Tensor(np.array([1.0, 2.0, 3.0]))
loss, (gi, gw) = gfn(x, m)
with open({path!r}, "wb") as f:
    pickle.dump((gfn, x, m), f)
print(repr([float(loss.asnumpy())] + [a.asnumpy().tolist() for a in gi + gw]))
"""

_LOAD = """
import pickle, sys
sys.path.insert(0, {targets!r})
with open({path!r}, "rb") as f:
    gfn, x, m = pickle.load(f)
loss, (gi, gw) = gfn(x, m)
print(repr([float(loss.asnumpy())] + [a.asnumpy().tolist() for a in gi + gw]))
"""


def _run(code, tmp_path):
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       env=env, cwd=str(tmp_path), timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip().splitlines()[-1]


def test_a_round_trip_into_a_fresh_process_gives_the_same_numbers(tmp_path):
    path = str(tmp_path / "gfn.pkl")
    saved = _run(_SAVE.format(targets=str(TARGETS), path=path), tmp_path)
    loaded = _run(_LOAD.format(targets=str(TARGETS), path=path), tmp_path)
    assert saved == loaded
    values = eval(saved)  # a list of floats and nested lists (our own repr)
    assert values[0] != 0.0 and len(values) == 1 + 2 + 4


def test_a_cell_class_under_a_grad_decorator_pickles():
    cell = model.Squares()
    x = Tensor(np.array([1.0, 2.0]))
    first = cell(x)
    np.testing.assert_array_equal(first.asnumpy(), [4.0, 12.0])  # 2 x w
    for other in (pickle.loads(pickle.dumps(cell)), copy.deepcopy(cell)):
        assert type(other) is type(cell)
        _same(other(x), first)
