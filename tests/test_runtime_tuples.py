"""A tuple grown in a loop that cannot be unrolled (``outs += (h,)`` in ``for t in
range(x.shape[0])``, MindSpore graph-mode style) is kept as a run-time list
(``compiler/runtime_lists.py``): the values are the direct call's, the gradients the
central differences', for trip counts 0 to 4; a tuple is a value, so another name holding it
keeps the items it had."""
from __future__ import annotations

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Tensor, nn, numerical_grad, ops
from autograd_st.errors import UnsupportedSyntaxError
from tests.helpers import assert_close, check_value_and_grads


def aug_assign(x, w):
    outs = ()
    for t in range(x.shape[0]):
        outs += (ops.tanh(x[t] * w),)
    return ops.stack(outs).sum() if len(outs) else w.sum() * 0.0


def plus_assign(x, w):
    outs = (w,)
    for t in range(x.shape[0]):
        outs = outs + (outs[-1] * x[t] + ops.sin(outs[0]),)
    return (ops.stack(outs, 1) ** 2).sum()


def two_per_step(x, w):
    outs = ()
    for t in range(x.shape[0]):
        h = x[t] * w
        outs += (h, ops.cos(h))
    return ops.stack(outs + (w,)).sum()


def while_grown(x, w):
    outs = ()
    t = 0
    while t < x.shape[0]:
        outs = outs + (x[t] * w,)
        t += 1
    return ops.stack(outs + (w,)).sum()


def alias_keeps_its_items(x, w):
    outs = (w,)
    seen = 0.0
    for t in range(x.shape[0]):
        before = outs
        outs += (x[t] * w,)
        seen = seen + ops.stack(before).sum() * len(before)  # the items before this step
    return seen * 0.5 + ops.stack(outs).sum() if x.shape[0] else w.sum()


def in_a_tuple_too(x, w):
    outs = (w,)
    acc = w.sum() * 0.0
    for t in range(x.shape[0]):
        outs += (x[t] * w,)
        holder = (outs, 1.0)  # a tuple holding it: the push below copies it first
        outs += (x[t] * 2.0,)
        acc = acc + ops.stack(holder[0]).sum() * len(holder[0])
    return acc + ops.stack(outs).sum()


def in_branch(x, w):
    outs = (w * 0.5,)
    for t in range(x.shape[0]):
        if x[t].sum() > 0.0:
            outs += (x[t] * w,)
        else:
            outs += (ops.exp(x[t] * 0.5),)
    return ops.stack(outs).sum() * len(outs)


FUNCS = [aug_assign, plus_assign, two_per_step, while_grown, alias_keeps_its_items,
         in_a_tuple_too, in_branch]


@pytest.mark.parametrize("fn", FUNCS)
@pytest.mark.parametrize("rows", [0, 1, 2, 4])
def test_grown_tuples(fn, rows):
    rng = np.random.default_rng(rows)
    x = rng.uniform(-1.0, 1.0, (rows, 3))
    w = rng.uniform(0.2, 0.9, (3,))
    check_value_and_grads(fn, x, w)


def test_grown_tuple_is_a_loop_not_unrolled():
    src = ops.grad(aug_assign, (0, 1)).source(Tensor(np.ones((3, 3))), Tensor(np.ones(3)))
    assert "list_append(" in src and "for t in range(" in src


class RNNTuple(nn.Cell):
    """MindSpore's graph-mode way of collecting a recurrent layer's outputs."""

    def __init__(self):
        super().__init__()
        self.cell = nn.RNNCell(3, 4)

    def construct(self, x, h):
        outputs = ()
        for t in range(x.shape[0]):
            h = self.cell(x[t], h)
            outputs += (h,)
        return ops.stack(outputs)


def test_rnn_cell_outputs_in_a_tuple():
    net = RNNTuple()
    for p in net.trainable_params():
        p.set_data(Tensor(p.asnumpy().astype(np.float64)))
    rng = np.random.default_rng(3)
    for steps in (1, 5):
        x = Tensor(rng.uniform(-1, 1, (steps, 2, 3)))
        h = Tensor(np.zeros((2, 4)))
        loss = lambda x, h: (net(x, h) ** 2).sum()
        value, (gx, gh) = ops.value_and_grad(loss, (0, 1))(x, h)
        assert_close(value, loss(x, h))
        ex, eh = numerical_grad(loss, (x.asnumpy(), h.asnumpy()), (0, 1))
        assert_close(gx, ex, 1e-6, 1e-7)
        assert_close(gh, eh, 1e-6, 1e-7)


def test_grown_tuple_of_tuples_is_refused():
    def pairs(x, w):
        outs = ()
        for t in range(x.shape[0]):
            outs += ((x[t] * w, x[t]),)
        return ops.stack([p[0] for p in outs]).sum()

    with pytest.raises(UnsupportedSyntaxError, match="list, tuple or dict"):
        ops.grad(pairs, (0, 1))(Tensor(np.ones((2, 3))), Tensor(np.ones(3)))


def chunked(x, w):
    """Tacotron2's pack_list: the grown tuple stacked in chunks whose bounds come from its
    length (a slice of a run-time list with bounds known only at run time)."""
    outs = ()
    for t in range(x.shape[0]):
        outs += (ops.tanh(x[t] * w),)
    n = len(outs)
    parts = (w * 0.0,)
    for i in range(n // 2):
        parts += (ops.stack(outs[i * 2:(i + 1) * 2]).sum(0) * (i + 1),)
    if n % 2 != 0:
        parts += (ops.stack(outs[n // 2 * 2:]).sum(0),)
    return ops.stack(parts).sum() + ops.stack(outs[n // 2:] + (w,)).sum()


@pytest.mark.parametrize("rows", [1, 2, 3, 4, 5])
def test_slices_with_bounds_known_at_run_time(rows):
    test_grown_tuples(chunked, rows)


class Decoder(nn.Cell):
    """A decoder that runs until a gate fires or a step budget ends, collecting two tuples."""

    def __init__(self):
        super().__init__()
        self.cell = nn.GRUCell(3, 3)
        self.out = nn.Dense(3, 1)

    def construct(self, h, max_steps):
        x = ops.zeros((h.shape[0], 3), h.dtype)
        outputs = ()
        gates = ()
        t = 0
        while True:
            h = self.cell(x, h)
            y = self.out(h)
            outputs += (y,)
            gates = gates + (ops.sigmoid(y),)
            x = h
            t += 1
            if ops.sigmoid(y).mean() > 0.9 or t >= max_steps:
                break
        return ops.concat(outputs, 1).sum() + ops.stack(gates).mean() * len(outputs)


@pytest.mark.parametrize("steps", [1, 3, 6])
def test_decoder_loop_with_break_growing_tuples(steps):
    net = Decoder()
    for p in net.trainable_params():
        p.set_dtype(ms.float64)
    h = np.random.default_rng(0).uniform(-1, 1, (2, 3))
    f = lambda h: net(h, steps)  # noqa: E731
    value, g = ops.value_and_grad(f)(Tensor(h))
    assert_close(value, f(Tensor(h)))
    assert_close(g, numerical_grad(f, (Tensor(h),)), 1e-6, 1e-8)
