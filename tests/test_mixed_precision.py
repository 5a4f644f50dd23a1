"""Mixed precision: ``Cell.to_float`` and ``mindspore.amp`` levels 'O2' / 'O3', eagerly and
in differentiated code.  MindSpore's numbers are in tests/ms_cases/cases/amp_*.py; these
tests check dtypes, values against numpy's float16 arithmetic, the gradients' dtypes and
values, and that compiled code follows a change of precision."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Parameter, Tensor, amp, nn, ops

X = np.array([[0.3, -1.2, 2.5], [1.7, 0.01, -0.4]], np.float32)


class Scale(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([1.3, -0.7, 2.1], np.float32)), name="w")

    def construct(self, x):
        return x * self.w + ops.exp(x)


def _expected(x, w):
    x16, w16 = x.astype(np.float16), w.astype(np.float16)
    return x16 * w16 + np.exp(x16)


@pytest.mark.parametrize("compiled", [False, True])
def test_to_float16_computes_in_float16_and_keeps_parameters_float32(compiled):
    net = Scale().to_float(ms.float16)
    w = net.w.asnumpy().copy()
    if compiled:
        value, (dx, (dw,)) = ops.value_and_grad(lambda x: net(x).sum(), 0,
                                                net.trainable_params())(Tensor(X))
        out = _expected(X, w).sum(dtype=np.float16)
        assert value.dtype == ms.float16
        np.testing.assert_allclose(value.asnumpy(), out, rtol=2e-3)
        assert dx.dtype == ms.float32 and dw.dtype == ms.float32
        x16, w16 = X.astype(np.float16), w.astype(np.float16)
        np.testing.assert_allclose(dx.asnumpy(), (w16 + np.exp(x16)).astype(np.float32),
                                   rtol=1e-3)
        np.testing.assert_allclose(dw.asnumpy(), x16.astype(np.float32).sum(0), rtol=1e-3)
    else:
        y = net(Tensor(X))
        assert y.dtype == ms.float16
        np.testing.assert_array_equal(y.asnumpy(), _expected(X, w))
    assert net.w.dtype == ms.float32
    np.testing.assert_array_equal(net.w.asnumpy(), w)  # (written back unchanged)


def test_to_float_applies_to_sub_cells_and_casts_back_at_a_boundary():
    class Sub(Scale):
        pass

    class Top(nn.Cell):
        def __init__(self):
            super().__init__()
            self.s = Sub()
            self.v = Parameter(Tensor(np.array([0.5, 0.25, 2.0], np.float32)), name="v")

        def construct(self, x):
            return self.s(x) * self.v, self.s(x) + 1.0

    top = Top()
    top.s.to_float(ms.float16)  # only the sub-Cell: float16 * float32 is float32
    assert [o.dtype for o in top(Tensor(X))] == [ms.float32, ms.float16]
    top = Top().to_float(ms.float16)
    top.s.to_float(ms.float32)  # the sub-Cell's float32 output cast back to float16
    assert [o.dtype for o in top(Tensor(X))] == [ms.float16, ms.float16]
    grads = ops.grad(lambda x: top(x)[0].sum() + top(x)[1].sum())(Tensor(X))
    assert grads.dtype == ms.float32


def test_compiled_code_follows_a_change_of_precision():
    net = Scale()
    g = ops.value_and_grad(lambda x: net(x).sum())
    v32, _ = g(Tensor(X))
    assert v32.dtype == ms.float32
    net.to_float(ms.float16)
    v16, d16 = g(Tensor(X))
    assert v16.dtype == ms.float16 and d16.dtype == ms.float32
    net.to_float(ms.float32)
    v32b, _ = g(Tensor(X))
    assert v32b.dtype == ms.float32
    np.testing.assert_allclose(v32b.asnumpy(), v32.asnumpy(), rtol=1e-6)
    assert "mp_cast" in ops.grad(lambda x: net(x).sum()).source(Tensor(X))


def test_integer_and_nested_inputs_are_not_cast():
    class Add(nn.Cell):
        def construct(self, a, pair):
            return a + 1, pair[0] * 2.0

    net = Add().to_float(ms.float16)
    a, b = net(Tensor(np.array([1, 2], np.int32)), (Tensor(np.ones(2, np.float32)),))
    assert a.dtype == ms.int32 and b.dtype == ms.float32


@pytest.mark.parametrize("compiled", [False, True])
def test_batchnorm_moving_statistics_update_under_float16(compiled):
    bn = nn.BatchNorm1d(3)
    ref = nn.BatchNorm1d(3)
    bn.to_float(ms.float16)
    bn.set_train(True)
    ref.set_train(True)
    if compiled:
        ops.grad(lambda x: bn(x).sum())(Tensor(X))
    else:
        bn(Tensor(X))
    ref(Tensor(X.astype(np.float16).astype(np.float32)))
    assert bn.moving_mean.dtype == ms.float32
    np.testing.assert_allclose(bn.moving_mean.asnumpy(), ref.moving_mean.asnumpy(), atol=1e-3)
    assert np.abs(bn.moving_mean.asnumpy()).max() > 1e-3  # (it moved)


class _Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(3, 4)
        self.bn = nn.BatchNorm1d(4)
        self.ln = nn.LayerNorm((4,))
        self.seq = nn.SequentialCell([nn.Dense(4, 4), nn.BatchNorm1d(4)])

    def construct(self, x):
        return self.seq(self.ln(self.bn(self.fc(x))))


def test_auto_mixed_precision_levels():
    for level in ("O2", "O3"):
        net = _Net()
        names = [p.name for p in net.trainable_params()]
        wrapped = amp.auto_mixed_precision(net, level)
        assert [p.name for p in wrapped.trainable_params()] == names
        out = wrapped(Tensor(X))
        assert out.dtype == ms.float32
        kept = isinstance(net.bn, amp_cells().OutputTo16)
        assert kept == (level == "O2")
        assert isinstance(net.seq[1], amp_cells().OutputTo16) == (level == "O2")
        assert net.fc._mp_dtype == np.float16
    net = _Net()
    assert amp.auto_mixed_precision(net, "O0") is net
    with pytest.warns(UserWarning, match="not applied by autograd_st"):
        assert amp.auto_mixed_precision(net, "O1") is net
    with pytest.raises(ValueError, match="must be one of"):
        amp.auto_mixed_precision(net, "O4")
    with pytest.raises(TypeError, match="should be Cell"):
        amp.auto_mixed_precision(lambda x: x, "O2")


def amp_cells():
    from autograd_st.nn import mixed_precision
    return mixed_precision


def test_build_train_network_trains_in_float16_with_the_loss_in_float32():
    ms.set_seed(0)  # (float16 gradients of a small loss can underflow to 0: a fixed start,
    net = _Net()    # and a target far from the outputs)
    opt = nn.SGD(net.trainable_params(), 0.1)
    loss = nn.MSELoss()
    with pytest.raises(ValueError, match="supported on device `CPU`"):
        amp.build_train_network(net, opt, loss, level="O2")  # (a dynamic loss scale)
    train = amp.build_train_network(net, opt, loss, level="O2", loss_scale_manager=None)
    # (a batch of 6: with 2 rows a BatchNorm's output is +-1 whatever its input, and the
    # layer before it gets no gradient)
    x = Tensor(np.random.default_rng(3).standard_normal((6, 3)).astype(np.float32))
    target = Tensor(np.random.default_rng(4).standard_normal((6, 4)).astype(np.float32))
    before = net.fc.weight.asnumpy().copy()
    first = float(train(x, target).asnumpy())
    for _ in range(5):
        last = float(train(x, target).asnumpy())
    assert last < first
    assert net.fc.weight.dtype == ms.float32
    assert not np.array_equal(net.fc.weight.asnumpy(), before)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        amp.build_train_network(_Net(), opt, loss, level="O3")


def test_eager_and_compiled_agree_on_a_sub_cells_parameter_read_directly():
    class Top(nn.Cell):
        def __init__(self):
            super().__init__()
            self.fc = nn.Dense(3, 2)
            self.v = Parameter(Tensor(np.array([0.5, 2.0], np.float32)), name="v")

        def construct(self, x):
            return (self.fc(x) * self.v).sum(), (x @ self.fc.weight.T).sum()

    top = Top().to_float(ms.float16)
    eager = top(Tensor(X))
    # its own Parameter in float16, a sub-Cell's read directly as it is (float32), in both
    assert [o.dtype for o in eager] == [ms.float16, ms.float32]
    for k in (0, 1):
        value, _ = ops.value_and_grad(lambda x: top(x)[k])(Tensor(X))
        assert value.dtype == eager[k].dtype
        np.testing.assert_allclose(value.asnumpy(), eager[k].asnumpy(), rtol=1e-6)
