"""compiler/analyze.py: a call's results are active where the callee's are, for the
arguments active at the call (not all of them whenever one argument is).

A sub-Cell that returns ``(x, (H, W))`` with ``H, W = x.shape`` (mindcv's XCiT patch
embedding) gives its caller sizes without gradient: the caller can hand them to numpy
(``np.zeros((B, H, W))``, refused before as a value being differentiated through a call with
no rule). Each test checks the value against the direct call and the gradients against
central finite differences in float64."""
import functools
import operator

import numpy as np
import pytest

from autograd_st import Parameter, Tensor, nn, ops
from autograd_st.errors import NoDerivativeError
from tests.helpers import fd


class Embed(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.linspace(0.5, 1.5, 3)), name="w")

    def construct(self, x):
        y = x * self.w
        b, h, w = y.shape
        return y, (h, w), b


class Positions(nn.Cell):
    """Positions from sizes alone, through numpy (no gradient rule: none needed)."""

    def construct(self, b, h, w):
        mask = Tensor(np.zeros((b, h, w)).astype(bool))
        return (~mask).cumsum(1).astype(np.float64) / h


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.embed = Embed()
        self.pos = Positions()
        self.scale = Parameter(Tensor(np.array(0.7)), name="scale")

    def construct(self, x):
        y, (h, w), b = self.embed(x)
        pos = self.pos(b, h, w)
        return ops.sum(ops.tanh(y + pos) * self.scale) * (h + w)


@pytest.mark.parametrize("shape", [(2, 4, 3), (1, 2, 3)])
def test_sizes_returned_by_a_sub_cell_have_no_gradient(shape):
    net = Net()
    x = np.random.default_rng(0).standard_normal(shape)
    params = net.trainable_params()
    value, (gx, grads) = ops.value_and_grad(net, 0, params)(Tensor(x))
    by_name = {p.name: g for p, g in zip(params, grads)}
    gw, gs = by_name["embed.w"], by_name["scale"]
    assert np.isclose(value.asnumpy(), net(Tensor(x)).asnumpy(), rtol=1e-14)
    w0, s0 = net.embed.w.asnumpy().copy(), net.scale.asnumpy().copy()

    def f(xv, wv, sv):
        net.embed.w.set_data(Tensor(wv))
        net.scale.set_data(Tensor(sv))
        try:
            return float(net(Tensor(xv)).asnumpy())
        finally:
            net.embed.w.set_data(Tensor(w0))
            net.scale.set_data(Tensor(s0))
    np.testing.assert_allclose(gx.asnumpy(), fd(lambda a: f(a, w0, s0), x), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(gw.asnumpy(), fd(lambda a: f(x, a, s0), w0), rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(gs.asnumpy(), fd(lambda a: f(x, w0, a), s0), rtol=1e-7, atol=1e-9)


class Pair(nn.Cell):
    def construct(self, a, b):
        return a * 2.0, b * 3.0


def test_each_result_is_active_where_its_arguments_are():
    pair = Pair()

    def f(a, b, c):
        p, q = pair(a, b)
        r, s = pair(q, c)  # r from b: active when b is; s from c alone
        return ops.sum(p * r + s * s)
    a, b, c = (np.linspace(-1, 1, 4) + k for k in range(3))
    for pos in ((0,), (1,), (2,), (0, 2)):
        got = ops.grad(f, pos)(Tensor(a), Tensor(b), Tensor(c))
        got = got if isinstance(got, tuple) else (got,)
        args = [a, b, c]
        for g, i in zip(got, pos):
            def fi(v, i=i):
                vals = list(args)
                vals[i] = v
                return float(f(*[Tensor(u) for u in vals]).asnumpy())
            np.testing.assert_allclose(g.asnumpy(), fd(fi, args[i]), rtol=1e-7, atol=1e-9)



# -- a list the compile built, given to code run as it is --------------------------------

def _reduced(a):
    return np.block([a, a ** 2]).sum()


def test_a_list_given_to_code_without_a_rule_is_refused_not_a_zero_gradient():
    """The list is made at run time (the code it is given may change it) and holds values
    being differentiated: the call is refused by its name, as one given them directly (the
    gradient was zeros, silently: np.array, np.asarray, np.column_stack of a list too)."""
    a = np.arange(4.0).reshape(2, 2) + 1
    with pytest.raises(NoDerivativeError, match="np.block has no derivative rule"):
        ops.grad(_reduced)(a)


def test_reduce_over_a_list_known_now_makes_its_calls():
    def reduced(a):
        return functools.reduce(operator.add, [a, a ** 2]).sum() \
            + functools.reduce(lambda p, q: p * q, (a, np.sin(a)), 2.0).sum()
    a = np.arange(4.0).reshape(2, 2) / 3 + 0.1
    value, grad = ops.value_and_grad(reduced)(a)
    np.testing.assert_allclose(value, reduced(a), rtol=1e-12)
    np.testing.assert_allclose(grad, fd(reduced, a), rtol=1e-6, atol=1e-8)


def test_a_list_given_to_code_is_still_run_where_no_gradient_flows():
    def sizes(a):
        n = functools.reduce(operator.add, [a.shape[0], a.shape[1]])
        return (a * n).sum()
    a = np.arange(4.0).reshape(2, 2) + 1
    np.testing.assert_allclose(ops.grad(sizes)(a), np.full((2, 2), 4.0))
