"""Memory: Cell.recompute(), mindspore.recompute, checkpointed loops, shape-only residuals.

Gradients with recompute or checkpointing must be the plain ones (bit for bit: the same
operations run, only at another time) and central finite differences; the generated code
must show what is kept (read from the source), and a tracemalloc peak on a small case must
drop by a clear margin.
"""
from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Parameter, Tensor, nn, ops
from autograd_st.runtime import segment_length
from autograd_st.runtime_loops import clear_pool
from tests.helpers import T, assert_close


class Block(nn.Cell):
    def __init__(self, n=3, seed=0):
        super().__init__()
        rng = np.random.default_rng(seed)
        self.w = Parameter(Tensor(rng.uniform(-0.7, 0.7, (n, n))), name="w")
        self.b = Parameter(Tensor(rng.uniform(-0.3, 0.3, (n,))), name="b")

    def construct(self, x):
        h = ops.tanh(ops.matmul(x, self.w) + self.b)
        return ops.sigmoid(h) * x + ops.sum(h * h, dim=1, keepdim=True)


class Net(nn.Cell):
    def __init__(self, n=3):
        super().__init__()
        self.a = Block(n, 0)
        self.c = Block(n, 1)

    def construct(self, x):
        return ops.sum(self.c(self.a(x)) ** 2)


class FunctionForm(Net):
    def construct(self, x):
        return ops.sum(ms.recompute(self.c, ms.recompute(self.a, x)) ** 2)


class Loop(nn.Cell):
    """A recurrence over ``trips`` steps: h <- tanh(h W + x) * 0.9 + 0.01 t."""

    def __init__(self, trips, n=3, seed=2):
        super().__init__()
        self.trips = trips
        rng = np.random.default_rng(seed)
        self.w = Parameter(Tensor(rng.uniform(-0.6, 0.6, (n, n))), name="w")

    def construct(self, x):
        h = x
        for t in range(self.trips):
            h = ops.tanh(ops.matmul(h, self.w) + x) * 0.9 + t * 0.01
        return h


class LoopNet(nn.Cell):
    def __init__(self, trips):
        super().__init__()
        self.loop = Loop(trips)

    def construct(self, x):
        return ops.sum(self.loop(x) ** 2)


def _grads(net, x):
    out = ops.grad(net, 0, net.trainable_params())(x)
    return [out[0].asnumpy()] + [g.asnumpy() for g in out[1]]


def _same(a, b):
    # the same computation up to the order of sums: a plain loop's weight gradients are
    # one matmul over its stacked tape (compiler/lower_loops.py), a checkpointed one's
    # are added segment by segment
    assert len(a) == len(b)
    for u, v in zip(a, b):
        np.testing.assert_allclose(u, v, rtol=1e-13, atol=1e-15)


def _copy_weights(dst, src):
    for p, q in zip(dst.trainable_params(), src.trainable_params()):
        p.set_data(Tensor(q.asnumpy().copy()))


def _fd(net, x):
    """Central differences of net(x) by x and by each weight."""
    return [np.asarray(ms.numerical_grad(net, (x,), 0))] + \
        [np.asarray(g) for g in ms.numerical_grad(net, (x,), None,
                                                   weights=net.trainable_params())]


# ---------------------------------------------------------------------------------------
# Cell.recompute(): MindSpore's API
# ---------------------------------------------------------------------------------------

def test_recompute_validation_as_mindspore():
    # (measured in MindSpore 2.10: the same exception classes and messages)
    with pytest.raises(ValueError, match="keyword 'foo' is not recognized"):
        Net().recompute(foo=1)
    with pytest.raises(TypeError, match="'mp_comm_recompute' must be <class 'bool'>"):
        Net().recompute(mp_comm_recompute=1)
    with pytest.raises(TypeError):
        Net().recompute(True)  # keyword-only
    with pytest.raises(TypeError, match="must be a bool, but got int"):
        Net().recompute(output_recompute=3)
    with pytest.raises(ValueError, match="context_fn is only supported when use_reentrant"):
        Net().recompute(context_fn=lambda: None)
    for kw in ({"mp_comm_recompute": True}, {"parallel_optimizer_comm_recompute": True},
               {"recompute_slice_activation": True}, {"use_reentrant": False},
               {"output_recompute": True, "context_fn": None}):
        assert Net().recompute(**kw) is None
    net = Net()
    net.recompute()
    net.recompute()  # configured once: a second call is ignored, no error
    with pytest.raises(TypeError, match="inherited from Cell"):
        ms.recompute(lambda v: v, T(2, 3))
    with pytest.raises(ValueError, match="context_fn"):
        ms.recompute(Block(), T(2, 3), context_fn=lambda: None)
    # eagerly it is the block's call
    b = Block()
    assert_close(ms.recompute(b, T(2, 3)), b(T(2, 3)).asnumpy())


@pytest.mark.parametrize("which", ["a", "c", "both", "top", "function"])
def test_recompute_gradients_identical_and_finite_differences(which):
    x = T(2, 3, seed=5)
    plain = Net()
    expected = _grads(plain, x)
    net = FunctionForm() if which == "function" else Net()
    _copy_weights(net, plain)
    if which in ("a", "both"):
        net.a.recompute()
    if which in ("c", "both"):
        net.c.recompute()
    if which == "top":
        net.recompute()
    got = _grads(net, x)
    _same(got, expected)
    for g, f in zip(got, _fd(net, x)):
        assert_close(g, f, rtol=1e-6, atol=1e-7)


def test_recompute_shows_in_the_generated_code_and_keeps_no_residuals():
    net = Net()
    net.a.recompute()
    src = ops.grad(net, 0, net.trainable_params()).source(T(2, 3))
    assert "Block.construct is recomputed in the backward (Cell.recompute())" in src
    assert "the forward of Block.construct, recomputed (Cell.recompute())" in src
    # the recomputed Cell's forward is the one with nothing differentiated: no residuals
    fwd = src[src.index("def Block_construct_recompute_fwd"):]
    called = fwd.split("= ", 1)[1].split("(", 1)[0]
    body = src[src.index("def %s(" % called):]
    body = body[:body.index("\n\n")]
    assert body.rstrip().endswith(", ()"), body
    assert "return _out, (x, self_w, self_b)" in fwd


def test_recompute_reconfigured_compiles_again():
    x = T(2, 3)
    net = Net()
    g = ops.grad(net, 0, net.trainable_params())
    before = g.source(x)
    first = [v.asnumpy() for v in [g(x)[0]]]
    net.a.recompute()
    after = g.source(x)
    assert "recompute" not in before and "Cell.recompute()" in after
    np.testing.assert_array_equal(g(x)[0].asnumpy(), first[0])


def test_second_order_through_a_recomputed_cell():
    x = T(2, 3, seed=3)
    plain, net = Net(), Net()
    _copy_weights(net, plain)
    net.a.recompute()

    def gsum(n):
        inner = ops.grad(n, 0)
        return ops.grad(lambda v: ops.sum(inner(v) * inner(v)))
    expected = gsum(plain)(x).asnumpy()
    got = gsum(net)(x).asnumpy()
    assert_close(got, expected, rtol=1e-9, atol=1e-10)
    inner = ops.grad(net, 0)
    fd = ms.numerical_grad(lambda v: ops.sum(inner(v) * inner(v)), (x,), 0)
    assert_close(got, np.asarray(fd), rtol=1e-5, atol=1e-6)


# ---------------------------------------------------------------------------------------
# checkpointed loops
# ---------------------------------------------------------------------------------------

def test_segment_length():
    assert [segment_length(t) for t in (0, 1, 2, 4, 5, 9, 10, 100, 101)] == \
        [1, 1, 2, 2, 3, 3, 4, 10, 11]


@pytest.mark.parametrize("trips", [0, 1, 2, 3, 5, 7, 10, 12])
def test_checkpointed_loop_gradients(trips):
    x = T(2, 3, seed=trips)
    plain = LoopNet(trips)
    expected = _grads(plain, x)
    sub = LoopNet(trips)  # the loop's Cell recomputed: its pair recomputes and checkpoints
    sub.loop.recompute()
    _copy_weights(sub, plain)
    got = _grads(sub, x)
    _same(got, expected)
    for g, f in zip(got, _fd(sub, x)):
        assert_close(g, f, rtol=1e-6, atol=1e-7)
    top = Loop(trips)  # the differentiated Cell itself: its gradient function checkpoints
    top.recompute()
    plain_top = Loop(trips)
    _same(_grads(top, x), _grads(plain_top, x))


def test_checkpointed_loop_in_the_generated_code():
    top = Loop(10)
    top.recompute()
    src = ops.grad(top, 0, top.trainable_params()).source(T(2, 3))
    assert "_checkpoints.append((h,))" in src
    assert "_tape.append" in src and src.index("_checkpoints.append") < src.index(
        "_tape.append")  # the tape is filled in the backward, per segment
    assert "each segment of _segment iterations is recomputed" in src
    plain = Loop(10)
    assert "_checkpoints" not in ops.grad(plain, 0).source(T(2, 3))


def test_loop_with_side_effects_keeps_its_tape():
    seen = []

    class Printing(Loop):
        def construct(self, x):
            h = x
            for t in range(self.trips):
                seen.append(t)
                h = ops.tanh(ops.matmul(h, self.w) + x)
            return h
    net, plain = Printing(4), Printing(4)
    net.recompute()
    x = T(2, 3)
    g = ops.grad(net, 0)
    assert "_checkpoints" not in g.source(x)
    seen.clear()
    assert_close(g(x), ops.grad(plain, 0)(x).asnumpy())
    assert seen == [0, 1, 2, 3, 0, 1, 2, 3]


def _peak(fn, *args):
    fn(*args)  # compiled, caches warm
    clear_pool()  # (a loop's rows arrays kept for the next call would not be counted)
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        fn(*args)
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def test_checkpointing_lowers_the_peak():
    trips, n = 64, 96
    x = T(16, n, seed=1, low=-0.1, high=0.1)

    class Wide(nn.Cell):
        def __init__(self):
            super().__init__()
            self.loop = Loop(trips, n)

        def construct(self, x):
            return ops.sum(self.loop(x))
    plain, net = Wide(), Wide()
    net.loop.recompute()
    _copy_weights(net, plain)
    gp = ops.grad(plain, 0, plain.trainable_params())
    gn = ops.grad(net, 0, net.trainable_params())
    _same([gn(x)[0].asnumpy()], [gp(x)[0].asnumpy()])
    p_plain, p_ckpt = _peak(gp, x), _peak(gn, x)
    print("checkpoint peak", p_ckpt, "plain", p_plain)
    # the tape keeps ~3 arrays of 16 x 96 per step: 64 steps against ~2 * 8 steps
    assert p_ckpt < 0.6 * p_plain, (p_ckpt, p_plain)


def test_recompute_lowers_the_peak():
    n = 64
    x = T(128, n, seed=1)

    class Deep(nn.Cell):
        def __init__(self):
            super().__init__()
            self.blocks = nn.CellList([Block(n, s) for s in range(6)])

        def construct(self, x):
            for b in self.blocks:
                x = b(x)
            return ops.sum(x)
    plain, net = Deep(), Deep()
    _copy_weights(net, plain)
    for b in net.blocks:
        b.recompute()
    gp = ops.grad(plain, 0, plain.trainable_params())
    gn = ops.grad(net, 0, net.trainable_params())
    _same([gn(x)[0].asnumpy()], [gp(x)[0].asnumpy()])
    p_plain, p_rc = _peak(gp, x), _peak(gn, x)
    print("recompute peak", p_rc, "plain", p_plain)
    assert p_rc < 0.7 * p_plain, (p_rc, p_plain)


# ---------------------------------------------------------------------------------------
# residuals read only for their shape
# ---------------------------------------------------------------------------------------

class Shapes(nn.Cell):
    """Values the backward reads only for their shape: ``y`` (a sum's input), ``e`` (a
    reshape's input: ``np.shape``), ``u`` (an if: ``expand_to`` in one arm, ``zeros_like``
    in the other)."""

    def __init__(self, flag):
        super().__init__()
        self.flag = flag
        self.w = Parameter(Tensor(np.linspace(-0.5, 0.7, 12).reshape(3, 4)), name="w")

    def construct(self, x):
        y = ops.matmul(x, self.w)
        s = ops.sum(y, dim=1, keepdim=True)
        e = ops.exp(y * 0.5)
        z = ops.reshape(ops.sin(e), (-1,))
        u = ops.tanh(y)
        if self.flag:
            t = ops.sum(u) * 0.5
        else:
            t = ops.sum(x) * 0.5
        return s * 2.0 + ops.sum(z * z) + t


class ShapesNet(nn.Cell):
    def __init__(self, flag):
        super().__init__()
        self.inner = Shapes(flag)

    def construct(self, x):
        return ops.sum(self.inner(x) ** 2)


def _pair_source(src, fname):
    start = src.index("def " + fname)
    end = src.find("\n\n", start)
    return src[start:end if end >= 0 else len(src)]


@pytest.mark.parametrize("flag", [True, False])
def test_shape_only_residuals_of_a_pair(flag):
    x = T(2, 3, seed=7)
    net = ShapesNet(flag)
    g = ops.grad(net, 0, net.trainable_params())
    src = g.source(x)
    fwd = _pair_source(src, "Shapes_construct_fwd")
    ret = fwd.splitlines()[-1]
    # y: read by the sum's expand_to (and, with flag, the tanh's... no: u is its own value)
    assert "getattr(y, 'shape', ())" in ret, ret
    assert "shape_of(" not in ret or "zeros_like" in src
    bwd = _pair_source(src, "Shapes_construct_bwd")
    assert "expand_to(d_s, y_shape, axis=1, keepdims=True)" in bwd, bwd
    got = _grads(net, x)
    for a, b in zip(got, _fd(net, x)):
        assert_close(a, b, rtol=1e-6, atol=1e-7)


def test_shape_with_dtype_for_zeros_like():
    class Branch(nn.Cell):
        def __init__(self, flag):
            super().__init__()
            self.flag = flag

        def construct(self, x, c):
            y = ops.sin(x) * 2.0
            if c > 0:
                t = ops.sum(y)
            else:
                t = ops.sum(x) * 3.0
            return t

    class Outer(nn.Cell):
        def __init__(self):
            super().__init__()
            self.b = Branch(True)

        def construct(self, x, c):
            return self.b(x, c) ** 2
    net = Outer()
    x = T(3, 2, seed=4).astype(ms.float32)
    g = ops.grad(net, 0)
    src = g.source(x, Tensor(np.array(1.0)))
    assert "shape_of(y)" in src, src
    bwd = _pair_source(src, "Branch_construct_bwd")
    assert "zeros_like(y_shape)" in bwd and "expand_to(d_t, y_shape)" in bwd, bwd
    for c in (1.0, -1.0):
        got = g(x, Tensor(np.array(c)))
        assert got.dtype == ms.float32
        x64 = Tensor(x.asnumpy().astype(np.float64))
        fd = ms.numerical_grad(lambda v: net(v, Tensor(np.array(c))), (x64,), 0)
        assert_close(got, np.asarray(fd), rtol=1e-4, atol=1e-5)


def test_shape_only_values_on_a_loop_tape():
    class Acc(nn.Cell):
        def __init__(self, trips):
            super().__init__()
            self.trips = trips
            self.w = Parameter(Tensor(np.linspace(-0.4, 0.6, 9).reshape(3, 3)), name="w")

        def construct(self, x):
            h = x
            acc = ops.sum(x * 0.0)
            for _ in range(self.trips):
                h = ops.tanh(ops.matmul(h, self.w))
                m = h * 3.0
                acc = acc + ops.sum(m)
            return acc
    for trips in (0, 1, 4):
        net = Acc(trips)
        x = T(2, 3, seed=trips + 1)
        g = ops.grad(net, 0, net.trainable_params())
        src = g.source(x)
        assert "getattr(m, 'shape', ())" in src and "expand_to(d_sum_1, m_shape)" in src, src
        got = _grads(net, x)
        for a, b in zip(got, _fd(net, x)):
            assert_close(a, b, rtol=1e-6, atol=1e-7)


def test_shape_only_values_freed_before_the_backward():
    def f(x):
        a = ops.exp(x) * 2.0
        s = ops.sum(a)
        return s * ops.sum(ops.sin(x))
    x = T(4, 5, seed=2)
    g = ops.grad(f)
    src = g.source(x)
    lines = [ln.strip() for ln in src.splitlines()]
    # a is read by the sum's backward for its shape only: its shape is taken and the array
    # deleted before the seed, where the backward starts
    assert "a_shape = getattr(a, 'shape', ())" in lines
    assert lines.index("del a") < lines.index("# seed: the gradient of the output")
    fd = ms.numerical_grad(f, (x,), 0)
    assert_close(g(x), np.asarray(fd), rtol=1e-6, atol=1e-7)


def test_shape_tuple_stands_in_for_the_array():
    from autograd_st.runtime import expand_to, shape_of, sum_to, unbroadcast, zeros_like
    v = np.ones((2, 3), np.float32)
    s = shape_of(v)
    assert s == (2, 3) and isinstance(s, tuple) and s.dtype == np.float32
    assert np.shape(s) == (2, 3) and np.ndim(s) == 2
    z = zeros_like(s)
    assert z.shape == (2, 3) and z.dtype == np.float32 and not z.any()
    g = np.arange(2.0).reshape(2, 1)
    np.testing.assert_array_equal(expand_to(g, s, axis=1, keepdims=True),
                                  expand_to(g, v, axis=1, keepdims=True))
    np.testing.assert_array_equal(expand_to(g, (2, 3), axis=1, keepdims=True),
                                  expand_to(g, v, axis=1, keepdims=True))
    big = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(sum_to(big, shape_of(np.ones(3))), unbroadcast(big, np.ones(3)))
    assert shape_of(2.5).dtype == np.float64 and shape_of(2.5) == ()
    assert shape_of([1, 2]) == [1, 2]  # (a run-time list stays as it is)


def test_helper_methods_recomputed_once_with_their_cell():
    class WithHelper(Block):
        def _inner(self, x):
            return ops.tanh(ops.matmul(x, self.w) + self.b)

        def construct(self, x):
            h = self._inner(x)
            return ops.sigmoid(h) * x

    class Outer(nn.Cell):
        def __init__(self):
            super().__init__()
            self.a = WithHelper()

        def construct(self, x):
            return ops.sum(self.a(x) ** 2)
    net, plain = Outer(), Outer()
    _copy_weights(net, plain)
    net.a.recompute()
    x = T(2, 3)
    src = ops.grad(net, 0, net.trainable_params()).source(x)
    # the Cell's call is recomputed; its own helper method is part of that forward
    assert src.count("is recomputed in the backward") == 1, src
    _same(_grads(net, x), _grads(plain, x))


@pytest.mark.parametrize("trips", [0, 1, 3])
def test_recomputed_cell_called_in_a_loop(trips):
    class Stack(nn.Cell):
        def __init__(self):
            super().__init__()
            self.block = Block(3, 4)

        def construct(self, x):
            for _ in range(trips):
                x = self.block(x) * 0.5
            return ops.sum(x * x)
    plain, net = Stack(), Stack()
    _copy_weights(net, plain)
    net.block.recompute()
    x = T(2, 3, seed=9)
    got = _grads(net, x)
    _same(got, _grads(plain, x))
    for a, b in zip(got, _fd(net, x)):
        assert_close(a, b, rtol=1e-6, atol=1e-7)
    # forward mode goes through the Cell's forward as it is
    t = Tensor(np.ones((2, 3)))
    assert_close(ops.jvp(net, x, t)[1], ops.jvp(plain, x, t)[1].asnumpy())


def test_reshape_input_kept_as_its_shape():
    class R(nn.Cell):
        def construct(self, x):
            m = ops.sin(x) * 2.0
            flat = ops.reshape(m, (-1,))
            return flat * flat

    class Outer(nn.Cell):
        def __init__(self):
            super().__init__()
            self.r = R()

        def construct(self, x):
            return ops.sum(self.r(x))
    net = Outer()
    x = T(2, 3, seed=11)
    g = ops.grad(net, 0)
    src = g.source(x)
    assert "np.shape(m)" in _pair_source(src, "R_construct_fwd").splitlines()[-1], src
    assert "np.reshape(d_flat, tuple(m_shape))" in _pair_source(src, "R_construct_bwd"), src
    assert_close(g(x), np.asarray(ms.numerical_grad(net, (x,), 0)), rtol=1e-6, atol=1e-7)


class Nested(nn.Cell):
    """Loops in loops (each checkpointed when recomputed), a sub-Cell called in them, a
    while loop (which keeps its tape) and a branch on a runtime value inside."""

    def __init__(self, outer, inner):
        super().__init__()
        self.outer, self.inner = outer, inner
        self.block = Block(3, 6)
        self.w = Parameter(Tensor(np.linspace(-0.5, 0.5, 9).reshape(3, 3)), name="wn")

    def construct(self, x):
        h = x
        for i in range(self.outer):
            for j in range(self.inner):
                h = ops.tanh(ops.matmul(h, self.w) + x * 0.1 * j)
            h = self.block(h) * 0.5
            if ops.sum(h) > 0:
                h = h * 0.9
            k = 0
            while k < 2:
                h = ops.sin(h) + i * 0.01
                k = k + 1
        return ops.sum(h * h)


@pytest.mark.parametrize("outer,inner", [(0, 2), (1, 1), (2, 3), (5, 2)])
def test_checkpointed_nested_loops(outer, inner):
    x = T(2, 3, seed=outer * 10 + inner)
    plain, net = Nested(outer, inner), Nested(outer, inner)
    _copy_weights(net, plain)
    net.recompute()
    got = _grads(net, x)
    _same(got, _grads(plain, x))
    for a, b in zip(got, _fd(net, x)):
        assert_close(a, b, rtol=1e-6, atol=1e-7)
    if outer:
        src = ops.grad(net, 0, net.trainable_params()).source(x)
        assert src.count("_checkpoints") > 0 and "_checkpoints_1" in src  # outer and inner


# -- random draws are never drawn again by the backward ----------------------------------

class DropBlock(nn.Cell):
    def __init__(self, functional):
        super().__init__()
        self.functional = functional
        self.drop = nn.Dropout(p=0.5)

    def construct(self, x):
        y = x * x
        return ops.dropout(y, 0.5) if self.functional else self.drop(y)


class DropTop(nn.Cell):
    def __init__(self, functional, recompute):
        super().__init__()
        self.block = DropBlock(functional)
        if recompute:
            self.block.recompute()

    def construct(self, x):
        return self.block(x) * 3.0


@pytest.mark.parametrize("functional", [False, True])
def test_recomputed_cell_with_dropout_keeps_the_forwards_mask(functional):
    """d/dx of 3 * dropout(x^2) is 6x * mask / keep, with the forward's mask: a Cell whose
    forward draws random values keeps its residuals (its recomputed forward would draw
    another mask)."""
    ms.set_seed(4)
    net = DropTop(functional, recompute=True)
    net.set_train()
    x = Tensor(np.linspace(0.5, 2.0, 48).reshape(6, 8))
    for _ in range(3):  # (each call draws another mask)
        value, gx = ms.value_and_grad(net)(x)
        kept = value.asnumpy() != 0
        assert 0 < kept.sum() < kept.size
        np.testing.assert_allclose(gx.asnumpy(), np.where(kept, 6.0 * x.asnumpy() / 0.5, 0.0),
                                   rtol=1e-12)
    assert "recompute_fwd" not in ops.grad(net).source(x)
    plain = DropTop(functional, recompute=True)
    plain.block.drop.set_train(False)
    if not functional:  # without dropout in training the Cell is recomputed
        assert "recompute_fwd" in ops.grad(plain).source(x)


class DropLoop(nn.Cell):
    def __init__(self, trips):
        super().__init__()
        self.trips = trips
        self.w = Parameter(Tensor(np.linspace(-0.4, 0.5, 9).reshape(3, 3)), name="w")

    def construct(self, x):
        h = x
        for _ in range(self.trips):
            h = ops.dropout(ops.tanh(ops.matmul(h, self.w) + x), 0.3)
        return h.sum()


def test_checkpointed_loop_with_dropout_keeps_its_tape():
    ms.set_seed(6)
    net = DropLoop(9)
    net.recompute()
    x = Tensor(np.linspace(-1.0, 1.0, 6).reshape(2, 3))
    g = ops.grad(net, 0, net.trainable_params())
    assert "_checkpoints" not in g.source(x)
    # the gradient is that of the masks the forward drew: the same masks replayed eagerly
    # (ops.dropout under the same seed state) give the same value and finite differences
    ms.set_seed(6)
    value, (gx, (gw,)) = ops.value_and_grad(net, 0, net.trainable_params())(x)
    ms.set_seed(6)
    masks = [ops.dropout(Tensor(np.ones((2, 3))), 0.3).asnumpy() for _ in range(9)]

    def replay(xa, wa):
        h = xa
        for m in masks:
            h = np.tanh(h @ wa + xa) * m
        return h.sum()
    xa, wa = x.asnumpy(), net.w.asnumpy()
    assert float(value.asnumpy()) == pytest.approx(replay(xa, wa), rel=1e-12)
    eps = 1e-6
    for arr, got in ((xa, gx.asnumpy()), (wa, gw.asnumpy())):
        fd = np.zeros_like(arr)
        for k in np.ndindex(arr.shape):
            up, down = arr.copy(), arr.copy()
            up[k] += eps
            down[k] -= eps
            args_up = (up, wa) if arr is xa else (xa, up)
            args_down = (down, wa) if arr is xa else (xa, down)
            fd[k] = (replay(*args_up) - replay(*args_down)) / (2 * eps)
        np.testing.assert_allclose(got, fd, rtol=1e-6, atol=1e-8)


def test_second_order_through_a_loop_with_dropout_is_refused():
    net = DropLoop(3)
    net.set_train()
    inner = ops.grad(net, 0)
    with pytest.raises(ms.errors.UnsupportedSyntaxError, match="random draw"):
        ops.grad(lambda x: inner(x).sum())(Tensor(np.ones((2, 3))))
