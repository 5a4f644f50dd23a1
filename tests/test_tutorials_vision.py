"""Pieces the generative and vision tutorials (docs/tutorials_vision.md) rely on, each
checked on a small program of this project against finite differences: a Tensor reshaped
with ``*``-unpacking of a tuple whose length is known only at run time (a diffusion model's
schedule lookup, whatever the rank of its argument), ``ops.Partial()`` mapped with
``ops.Map()`` over a tuple in a Cell's ``construct``.  Recorded MindSpore cases:
tests/ms_cases/cases/tv_*.py."""
import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Tensor, nn, numerical_grad, ops
from autograd_st.errors import CompileError

SCHEDULE = np.linspace(0.5, 2.0, 7)


def lookup(table, t, like_shape):
    # one value per sample, shaped to broadcast against an input of like_shape's rank
    b = t.shape[0]
    out = Tensor(table).gather(t, -1)
    return out.reshape(b, *((1,) * (len(like_shape) - 1)))


def weighted(x, t):
    w = lookup(SCHEDULE, t, x.shape)
    return (ops.sin(x) * w).sum()


@pytest.mark.parametrize("shape", [(3, 4), (3, 2, 2), (3, 1, 2, 2)])
def test_reshape_with_a_runtime_length_star_unpacked(shape):
    x = Tensor(np.random.RandomState(2).normal(size=shape))
    t = Tensor(np.array([0, 6, 3], np.int32))
    loss, grad = ms.value_and_grad(weighted)(x, t)
    w = SCHEDULE[[0, 6, 3]].reshape((3,) + (1,) * (len(shape) - 1))
    np.testing.assert_allclose(loss.asnumpy(), (np.sin(x.asnumpy()) * w).sum(), rtol=1e-12)
    np.testing.assert_allclose(grad.asnumpy(), np.cos(x.asnumpy()) * w, rtol=1e-12)
    np.testing.assert_allclose(grad.asnumpy(),
                               numerical_grad(lambda v: weighted(v, t), (x,)), rtol=1e-6)


def test_view_with_runtime_star_unpacking():
    def f(x):
        rest = x.shape[1:]
        y = x.view(x.shape[0], *rest)              # the same shape, built at run time
        z = x.view(*((-1,) * (len(x.shape) // 2)))  # view(-1), a tuple made at run time
        return (y[0] * ops.exp(y[-1].sum())).sum() + (z * z).sum()

    x = Tensor(np.random.RandomState(3).normal(size=(2, 3)) * 0.3)
    grad = ops.grad(f)(x).asnumpy()
    a = x.asnumpy()
    expected = 2 * a
    expected[0] += np.exp(a[-1].sum())
    expected[-1] += a[0].sum() * np.exp(a[-1].sum())
    np.testing.assert_allclose(grad, expected, rtol=1e-12)
    np.testing.assert_allclose(grad, numerical_grad(f, (x,)), rtol=1e-6, atol=1e-9)


def test_star_unpacking_a_runtime_tuple_into_a_function_is_refused():
    def g(*sizes):
        return len(sizes)

    def f(x):
        return x.sum() * g(*x.shape)

    with pytest.raises(CompileError, match="known only when the code runs"):
        ops.grad(f)(Tensor(np.ones((2, 3))))


def _split_heads(heads, v):
    b, c, n = v.shape
    return v.reshape((b, heads, c // heads, n))


class MappedHeads(nn.Cell):
    def __init__(self):
        super().__init__()
        self.heads = 2
        self.map = ops.Map()
        self.partial = ops.Partial()

    def construct(self, x):
        q, k, v = self.map(self.partial(_split_heads, self.heads), x.chunk(3, 1))
        attn = ops.softmax(ops.bmm(q.swapaxes(2, 3).reshape((-1, 3, 2)),
                                   k.reshape((-1, 2, 3))), axis=-1)
        return (attn * attn).sum() + (v * q).sum()


def test_ops_partial_mapped_in_construct():
    partial = ops.Partial()
    assert partial(lambda a, b: 10 * a + b, 3)(4) == 34   # a functools.partial (measured)
    net = MappedHeads()
    x = Tensor(np.random.RandomState(4).normal(size=(1, 12, 3)))
    grad = ops.grad(net)(x).asnumpy()
    np.testing.assert_allclose(grad, numerical_grad(net, (x,)), rtol=1e-6, atol=1e-9)


def test_cells_and_names_is_depth_first_in_attribute_order():
    """pix2pix re-run (stop 19): its weight re-initialization loops over cells_and_names();
    MindSpore 2.10 walks depth-first (case tr3_cells_and_names_init), so the seeded draws
    reach the same Parameters only in that order."""
    import autograd_st.nn as nn

    class Block(nn.Cell):
        def __init__(self):
            super().__init__()
            self.features = nn.SequentialCell([nn.Conv2d(2, 2, 1), nn.BatchNorm2d(2)])

    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.features = nn.SequentialCell([nn.Conv2d(2, 2, 1), Block(), nn.Conv2d(2, 2, 1)])
            self.x = Block()

    net = Net()
    names = [n for n, _ in net.cells_and_names()]
    assert names == ["", "features", "features.0", "features.1", "features.1.features",
                     "features.1.features.0", "features.1.features.1", "features.2", "x",
                     "x.features", "x.features.0", "x.features.1"]
    assert [n for n, _ in net.cells_and_names(name_prefix="net")][:3] == \
        ["net", "net.features", "net.features.0"]
    seen = {net.x}
    rest = [n for n, _ in net.cells_and_names(seen)]
    assert "x" not in rest and "x.features" not in rest and "features.1" in rest
    assert net.features in seen
    # a Cell reachable twice comes once, at its first place
    net.y = net.features
    assert [n for n, _ in net.cells_and_names()].count("y") == 0
