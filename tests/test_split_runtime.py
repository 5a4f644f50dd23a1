"""``ops.split(x, size)`` with an int size (and ``ops.unstack`` / ``ops.unbind``) in
differentiated code: how many parts there are depends on the input's shape, which the compiled
code does not know (one compile serves every shape), so the parts are a run-time list
(``split_parts``; its gradient joins the parts' gradients, zeros for a part without one).

Each gradient is compared with hand-derived values (MindSpore's own tests) or float64 central
differences; what is not supported (forward mode, a derivative of a derivative) is refused at
the user's line.  MindSpore 2.10's numbers for the same programs: tests/ms_cases/cases/ut_split_*.
"""
from __future__ import annotations

import inspect

import numpy as np
import pytest

from autograd_st import Parameter, Tensor, nn, numerical_grad, ops
from autograd_st.errors import GradientAPIError, UnsupportedSyntaxError
from autograd_st.ops import GradOperation
from autograd_st.rules_lists import grad_join, grad_stack, split_parts
from autograd_st.runtime import GradList

try:
    from .helpers import assert_close
except ImportError:
    from helpers import assert_close


def _line(fn, text):
    lines, start = inspect.getsourcelines(fn)
    return start + next(i for i, line in enumerate(lines) if text in line)


def _x(*shape, seed=0):
    return Tensor(np.random.default_rng(seed).uniform(-1.0, 1.0, shape))


def _check_fd(fn, x):
    assert_close(ops.grad(fn)(x), numerical_grad(fn, (x,)), 1e-6, 1e-7)


# ---------------------------------------------------------------------------------------
# MindSpore's tests (pynative_mode/grad/test_auto_grad.py)
# ---------------------------------------------------------------------------------------

class SplitNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.split = ops.split

    def construct(self, x):
        output = self.split(x, 3)
        return output


class SplitAddNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.split = ops.split

    def construct(self, x):
        output = self.split(x, 3)
        y = output[0] * 3
        z = output[1] * 2
        return y + z


def test_ir_grad_multi_output():
    # test_auto_grad.py::test_ir_grad_multi_output: the returned parts are summed
    net = SplitNet()
    for n in (9, 10, 2):
        x = Tensor(np.arange(n).astype("float32"))
        g = ops.grad(net)(x)
        assert g.dtype == x.dtype
        assert_close(g, np.ones(n, np.float32), 0, 0)
    net.set_inputs(Tensor(shape=[None], dtype=x.dtype))
    assert_close(ops.grad(net)(Tensor(np.arange(9).astype("float32"))), np.ones(9), 0, 0)


def test_auto_grad_multi_output_add_gradient():
    # test_auto_grad.py::test_auto_grad_multi_output_add_gradient: parts 2 and 3 get zeros
    net = SplitAddNet()
    x = Tensor(np.arange(9).astype("float32"))
    assert_close(ops.grad(net)(x), np.array([3, 3, 3, 2, 2, 2, 0, 0, 0], np.float32), 0, 0)
    x = Tensor(np.arange(10).astype("float32"))
    assert_close(ops.grad(net)(x), np.array([3, 3, 3, 2, 2, 2, 0, 0, 0, 0], np.float32), 0, 0)
    net.set_inputs(Tensor(shape=[None], dtype=x.dtype))
    assert_close(ops.grad(net)(x), np.array([3, 3, 3, 2, 2, 2, 0, 0, 0, 0]), 0, 0)


def test_one_compile_serves_every_length():
    # (the compiled code keeps no shape: 9 and 10 entries run the same generated function)
    gfn = ops.grad(SplitAddNet())
    source = gfn.source(Tensor(np.arange(9.0)))
    assert "split_parts(x, 3, 0)" in source
    assert gfn.source(Tensor(np.arange(10.0))) == source


# ---------------------------------------------------------------------------------------
# the ways the parts are read
# ---------------------------------------------------------------------------------------

def qkv(x):
    q, k, v = ops.split(x, 2, axis=-1)  # LINE unpack
    return (ops.sin(q) * k * v).sum()


def test_unpacked_into_names():
    _check_fd(qkv, _x(3, 6))
    source = ops.grad(qkv).source(_x(3, 6))
    assert "q = parts[0]" in source and "v = parts[2]" in source, source


def test_unpacking_another_count_raises_at_the_users_line():
    with pytest.raises(ValueError) as info:
        ops.grad(qkv)(_x(3, 8))  # 4 parts of 2 into 3 names (MindSpore: ValueError too)
    assert "%s:%d" % (__file__, _line(qkv, "LINE unpack")) in str(info.value)
    assert "expected 3" in str(info.value) and "has 4" in str(info.value)
    with pytest.raises(ValueError, match="not enough values"):
        ops.grad(qkv)(_x(3, 4))


def indexed(x):
    o = ops.split(x, 2, 1)
    return (o[-1] * o[0]).sum() * len(o) + ops.exp(o[1]).sum()


def test_constant_indices_and_len():
    for shape in ((3, 5), (2, 6), (1, 4)):
        _check_fd(indexed, _x(*shape))
    x = np.arange(10.0)
    g = ops.grad(lambda t: len(ops.split(t, 3)) * ops.split(t, 3)[-1].sum())(Tensor(x))
    assert_close(g, np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 4.0]), 0, 0)  # MindSpore's


def looped(x):
    s = 0.0
    for p in ops.split(x, 4, 1):
        s = s + (p * p * x[:, :1]).sum()
    return s


def stacked(x):
    o = ops.split(x, 2, 1)
    return (ops.stack(o) * ops.stack(o)).sum() + (ops.concat(o, 0) * 3).sum()


def method(x):
    o = x.split(4, 1)
    return (ops.sin(ops.concat(o, 1)) * x).sum()


def enumerated(x):
    o = ops.split(x, 2, 1)
    s = ops.stack(o).sum()
    for i, p in enumerate(o):
        s = s + (p * p).sum() * i
    return s


def test_enumerated():
    def linear(t):
        o = ops.split(t, 2, 1)
        s = ops.stack(o).sum()
        for i, p in enumerate(o):
            s = s + p.sum() * i
        return s
    x = Tensor(np.arange(12).reshape(2, 6).astype("float32"))
    assert_close(ops.grad(linear)(x), np.array([[1, 1, 2, 2, 3, 3]] * 2), 0, 0)  # MindSpore's
    for shape in ((2, 6), (3, 8), (1, 2)):
        _check_fd(enumerated, _x(*shape))
    assert "p = o[i]" in ops.grad(enumerated).source(_x(2, 6))


@pytest.mark.parametrize("fn, shapes", [(looped, ((2, 6), (3, 8), (2, 3))),
                                        (stacked, ((2, 6), (3, 8), (1, 2))),
                                        (method, ((2, 6), (3, 9), (2, 3)))])
def test_looped_over_and_joined(fn, shapes):
    for shape in shapes:  # (ops.stack needs parts of one length, as in MindSpore)
        _check_fd(fn, _x(*shape))


def unstacked(x):
    a, b = ops.unstack(x)
    return (a * b * b).sum()


def unbound(x):
    a, b = ops.unbind(x, 1)
    return (ops.exp(a) * b).sum()


@pytest.mark.parametrize("fn, shape", [(unstacked, (2, 3)), (unbound, (3, 2)),
                                       (unstacked, (2, 4, 2))])
def test_unstack_and_unbind(fn, shape):
    _check_fd(fn, _x(*shape))


def test_returned_whole_is_a_tuple_of_tensors():
    def f(x):
        return ops.split(x * x, 4, 1)
    x = _x(2, 6)
    value, g = ops.value_and_grad(f)(x)
    assert type(value) is tuple and len(value) == 2
    assert all(isinstance(v, Tensor) for v in value)
    assert_close(value[0], x.asnumpy()[:, :4] ** 2, 0, 0)
    assert_close(value[1], x.asnumpy()[:, 4:] ** 2, 0, 0)
    assert_close(g, 2 * x.asnumpy(), 1e-12, 0)
    assert_close(g, numerical_grad(f, (x,)), 1e-6, 1e-7)  # (the outputs summed)


def test_returned_with_sens_and_vjp():
    def f(x):
        return ops.split(x * x, 4, 1)
    x = _x(2, 6)
    s = (Tensor(np.full((2, 4), 3.0)), Tensor(np.full((2, 2), 5.0)))
    expected = 2 * x.asnumpy() * np.concatenate([np.full((2, 4), 3.0), np.full((2, 2), 5.0)], 1)
    assert_close(GradOperation(sens_param=True)(f)(x, s), expected, 1e-12, 0)
    out, fn = ops.vjp(f, x)
    assert_close(fn(s)[0], expected, 1e-12, 0)
    with pytest.raises(GradientAPIError, match="has 3 parts but the output"):
        GradOperation(sens_param=True)(f)(x, s + (s[1],))
    with pytest.raises(GradientAPIError, match=r"sens\[1\] of .* has shape \(2, 3\)"):
        GradOperation(sens_param=True)(f)(x, (s[0], Tensor(np.ones((2, 3)))))
    with pytest.raises(GradientAPIError, match="one gradient per part"):
        GradOperation(sens_param=True)(f)(x, s[0])


def split_callee(x):
    return ops.split(x, 4, 1)


def test_returned_from_a_callee_and_a_nested_function():
    def caller(x):
        a, b = split_callee(x * 2.0)
        return (a.sum() * 2 + (b * b).sum())

    def nested(x):
        def parts(t):
            return ops.split(t, 2, 0)
        o = parts(ops.tanh(x))
        return (o[0] * o[-1]).sum()
    _check_fd(caller, _x(2, 6))
    _check_fd(nested, _x(4, 3))


def test_through_a_branch():
    def f(x):
        if x.sum() > 0:
            o = ops.split(x, 2)
        else:
            o = ops.split(x * 3.0, 1)
        return (o[0] * o[-1]).sum() + len(o)
    _check_fd(f, Tensor(np.array([0.5, 1.0, 2.0, 0.25])))
    _check_fd(f, Tensor(np.array([-0.5, -1.0, 2.0])))


def split_in_a_loop(x):
    s = 0.0
    for t in range(x.shape[0]):  # (a loop that stays a loop)
        a, b = ops.split(x[t], 3)
        s = s + (a * ops.sin(b)).sum()
        for p in ops.split(x[t], 2):
            s = s + (p * p).sum()
    return s


def split_in_a_while(x):
    o = ops.split(x, 2, 1)
    i = 0
    s = 0.0
    while i < len(o):
        s = s + (o[i] ** 2).sum() * (i + 1)
        i += 1
    if o[0].sum() > 0:
        s = s + (o[-1] * 3).sum()
    return s


@pytest.mark.parametrize("fn", [split_in_a_loop, split_in_a_while])
def test_inside_loops_and_branches(fn):
    for seed in (0, 1):
        _check_fd(fn, _x(3, 6, seed=seed))


class Attention(nn.Cell):
    """The parts of a projection unpacked into query, key and value (weights differentiated)."""

    def __init__(self, d):
        super().__init__()
        rng = np.random.default_rng(3)
        self.w = Parameter(Tensor(rng.uniform(-0.5, 0.5, (d, 3 * d))), name="w")
        self.d = d

    def construct(self, x):
        q, k, v = ops.split(ops.matmul(x, self.w), self.d, axis=-1)
        a = ops.softmax(ops.matmul(q, k.swapaxes(-1, -2)), -1)
        return ops.matmul(a, v).sum()


def test_weight_gradients():
    net = Attention(2)
    x = _x(3, 2)
    gx, (gw,) = ops.grad(net, 0, net.trainable_params())(x)
    assert_close(gx, numerical_grad(net, (x,)), 1e-6, 1e-7)
    assert_close(gw, numerical_grad(net, (x,), None, net.trainable_params())[0], 1e-6, 1e-7)


# ---------------------------------------------------------------------------------------
# what is refused, at the user's line
# ---------------------------------------------------------------------------------------

def test_forward_mode_and_second_order_are_refused():
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.jvp(qkv, (_x(2, 6),), (_x(2, 6),))
    assert info.value.lineno == _line(qkv, "LINE unpack")
    assert "ops.split(x, [2, 2], axis)" in info.value.hint
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.grad(ops.grad(qkv))(_x(2, 6))
    assert info.value.lineno == _line(qkv, "LINE unpack")


def sliced(x):
    o = ops.split(x, 2)
    rest, head, odd = o[1:], o[:-1], o[::2]
    s = ops.stack(rest).sum() * 3.0 + len(rest)
    for p in odd:
        s = s + (p * p).sum()
    return s + (ops.cat(head) * ops.cat(head)).sum() + rest[-1].sum()


def sliced_by_hand(x):  # the same, with the parts' count written out (6: three parts)
    o = [x[0:2], x[2:4], x[4:6]]
    rest, head, odd = o[1:], o[:-1], o[::2]
    s = ops.stack(rest).sum() * 3.0 + len(rest)
    for p in odd:
        s = s + (p * p).sum()
    return s + (ops.cat(head) * ops.cat(head)).sum() + rest[-1].sum()


@pytest.mark.parametrize("n", [4, 6, 8])
def test_slices_of_the_parts(n):
    """A slice of the run-time list of parts is a new run-time list (MindSpore: a tuple);
    checked against finite differences, and at 6 against the parts written out."""
    x = _x(n, 3)
    _check_fd(sliced, x)
    if n == 6:
        assert_close(ops.grad(sliced)(x), ops.grad(sliced_by_hand)(x), 1e-12, 1e-12)
        assert_close(ops.value_and_grad(sliced)(x)[0], sliced_by_hand(x), 1e-12, 1e-12)


# ---------------------------------------------------------------------------------------
# the helpers the generated code calls
# ---------------------------------------------------------------------------------------

def test_helpers():
    x = np.arange(14.0).reshape(2, 7)
    parts = split_parts(x, 3, -1)
    assert [p.shape for p in parts] == [(2, 3), (2, 3), (2, 1)]
    assert [p.shape for p in split_parts(np.zeros((0, 2)), 3, 0)] == [(0, 2)]
    g = grad_join(GradList([None, np.ones((2, 3)), None]), parts, -1)
    assert_close(g, np.concatenate([np.zeros((2, 3)), np.ones((2, 3)), np.zeros((2, 1))], 1),
                 0, 0)
    g = grad_stack(GradList([np.ones(7), None]), list(x), 0)
    assert_close(g, np.stack([np.ones(7), np.zeros(7)]), 0, 0)
    with pytest.raises(ValueError, match="must be positive"):
        split_parts(x, 0, 1)
