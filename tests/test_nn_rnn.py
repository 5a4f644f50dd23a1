"""The recurrent layers (autograd_st/nn/rnn.py): nn.RNNCell, nn.LSTMCell, nn.GRUCell, nn.RNN,
nn.LSTM and nn.GRU.

1. Parameter names, shapes, order and initial ranges, as measured in MindSpore 2.10
   (``net.parameters_and_names()``), and MindSpore's errors for bad arguments.
2. Forward values against a numpy recurrence written out here (MindSpore's gate orders).
3. Gradients through the compiler (``ops.grad`` with weights, ``GradOperation`` over a Cell)
   against float64 central differences, for every layer and the options (layers, directions,
   batch_first, initial state, seq_length, no bias).
The values and gradients of real MindSpore are checked by the recorded cases
``tests/ms_cases/cases/rnn_*.py``.
"""
from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from helpers import assert_close

from autograd_st import GradOperation, Tensor, check_grads, nn, numerical_grad, ops
from autograd_st import dtype as mstype

F64 = mstype.float64


def _set_weights(net, seed, scale=0.6):
    rng = np.random.default_rng(seed)
    for _, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-scale, scale, p.shape)))


def _randn(shape, seed, scale=1.0):
    return Tensor(np.random.default_rng(seed).standard_normal(shape) * scale)


def _assert_tree_close(got, want, rtol=1e-6, atol=1e-8, where="grad"):
    if isinstance(want, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(want), where
        for i, (g, w) in enumerate(zip(got, want)):
            _assert_tree_close(g, w, rtol, atol, "%s[%d]" % (where, i))
        return
    assert_close(got, want, rtol=rtol, atol=atol)


def _check_fd(loss, args, positions, weights):
    got = ops.grad(loss, positions, weights)(*args)
    want = numerical_grad(loss, args, positions, weights)
    _assert_tree_close(got, want)


# ---------------------------------------------------------------------------------------
# 1. structure and arguments
# ---------------------------------------------------------------------------------------

def test_lstm_parameter_names_shapes_and_order_follow_mindspore():
    net = nn.LSTM(3, 4, num_layers=2, bidirectional=True)
    got = [(name, p.name, tuple(p.shape)) for name, p in net.parameters_and_names()]
    want = []
    for kind, cols in (("weight_ih", (3, 3, 8, 8)), ("weight_hh", (4, 4, 4, 4)),
                       ("bias_ih", None), ("bias_hh", None)):
        for i, suffix in enumerate(("_l0", "_l0_reverse", "_l1", "_l1_reverse")):
            shape = (16,) if cols is None else (16, cols[i])
            want.append((kind + suffix, kind + suffix, shape))
    assert got == want
    assert [p.name for p in net.trainable_params()] == [w[0] for w in want]


def test_rnn_gru_and_cell_parameters_follow_mindspore():
    assert [(n, tuple(p.shape)) for n, p in nn.GRU(3, 4, has_bias=False).parameters_and_names()
            ] == [("weight_ih_l0", (12, 3)), ("weight_hh_l0", (12, 4))]
    assert [(n, tuple(p.shape)) for n, p in nn.RNN(3, 4).parameters_and_names()] == [
        ("weight_ih_l0", (4, 3)), ("weight_hh_l0", (4, 4)), ("bias_ih_l0", (4,)),
        ("bias_hh_l0", (4,))]
    for cls, chunks in ((nn.RNNCell, 1), (nn.LSTMCell, 4), (nn.GRUCell, 3)):
        cell = cls(3, 4)
        assert [(n, tuple(p.shape)) for n, p in cell.parameters_and_names()] == [
            ("weight_ih", (4 * chunks, 3)), ("weight_hh", (4 * chunks, 4)),
            ("bias_ih", (4 * chunks,)), ("bias_hh", (4 * chunks,))]
    assert [n for n, _ in nn.GRUCell(3, 4, has_bias=False).parameters_and_names()] == [
        "weight_ih", "weight_hh"]


def test_nested_rnn_parameters_carry_the_attribute_path():
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.rnn = nn.GRU(2, 3)
            self.fc = nn.Dense(3, 1)

        def construct(self, x):
            return self.fc(self.rnn(x)[0])

    # measured in MindSpore 2.10: names and the order of trainable_params()
    want = ["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0",
            "fc.weight", "fc.bias"]
    net = Net()
    assert [n for n, _ in net.parameters_and_names()] == want
    assert [p.name for p in net.trainable_params()] == want


def test_initial_values_are_uniform_in_one_over_sqrt_hidden():
    nn.seed_initializers(3)
    for net in (nn.LSTM(5, 16, num_layers=2), nn.GRUCell(5, 16), nn.RNN(5, 16)):
        values = np.concatenate([p.asnumpy().ravel() for p in net.get_parameters()])
        assert values.dtype == np.float32
        assert np.abs(values).max() <= 0.25
        assert np.abs(values).max() > 0.24  # spread over the whole range
        assert abs(values.mean()) < 0.02


@pytest.mark.parametrize("make,error,words", [
    (lambda: nn.LSTM(3, 4, dropout=1.0), ValueError, "dropout"),
    (lambda: nn.LSTM(3, 4, dropout=1), TypeError, "dropout"),
    (lambda: nn.GRU(3, 0), ValueError, "hidden_size"),
    (lambda: nn.GRU(3, 4, has_bias=1), TypeError, "has_bias"),
    (lambda: nn.RNN(3, 4, nonlinearity="sigmoid"), ValueError, "nonlinearity"),
    (lambda: nn.RNNCell(3, 4, nonlinearity="gelu"), ValueError, "nonlinearity"),
    (lambda: nn.LSTMCell(3.0, 4), TypeError, "input_size"),
])
def test_bad_arguments_raise_as_mindspore_does(make, error, words):
    with pytest.raises(error, match=words):
        make()


def test_positional_arguments_follow_mindspore_order():
    # _RNNBase(input_size, hidden_size, num_layers, has_bias, batch_first, dropout,
    # bidirectional, dtype)
    net = nn.GRU(3, 4, 2, False, True, 0.0, True)
    assert (net.num_layers, net.has_bias, net.batch_first, net.bidirectional) == (2, False,
                                                                                  True, True)
    assert nn.RNN(3, 4, nonlinearity="relu").mode == "RNN_RELU"


# ---------------------------------------------------------------------------------------
# 2. forward values against numpy
# ---------------------------------------------------------------------------------------

def _sig(v):
    return 1.0 / (1.0 + np.exp(-v))


def _np_step(mode, x, h, c, w_ih, w_hh, b_ih, b_hh):
    gi = x @ w_ih.T + (0 if b_ih is None else b_ih)
    gh = h @ w_hh.T + (0 if b_hh is None else b_hh)
    n = h.shape[-1]
    if mode == "LSTM":
        g = gi + gh
        i, f, cc, o = (g[:, k * n:(k + 1) * n] for k in range(4))
        c = _sig(f) * c + _sig(i) * np.tanh(cc)
        return _sig(o) * np.tanh(c), c
    if mode == "GRU":
        r = _sig(gi[:, :n] + gh[:, :n])
        z = _sig(gi[:, n:2 * n] + gh[:, n:2 * n])
        new = np.tanh(gi[:, 2 * n:] + r * gh[:, 2 * n:])
        return new + z * (h - new), None
    pre = gi + gh
    return (np.tanh(pre) if mode == "RNN_TANH" else np.maximum(pre, 0)), None


def _np_rnn(net, x, h0, c0, lengths=None):
    """MindSpore's recurrence written out in numpy (time-major x)."""
    def arr(p):
        return None if p is None else p.asnumpy()
    nd = net.num_directions
    layer_in = x
    hs, cs = [], []
    for layer in range(net.num_layers):
        outs = []
        for d in range(nd):
            k = layer * nd + d
            w = (arr(net.w_ih_list[k]), arr(net.w_hh_list[k]),
                 arr(net.b_ih_list[k]) if net.has_bias else None,
                 arr(net.b_hh_list[k]) if net.has_bias else None)
            T, B = layer_in.shape[:2]
            L = np.full(B, T) if lengths is None else lengths
            h, c = h0[k].copy(), None if c0 is None else c0[k].copy()
            out = np.zeros((T, B, h.shape[-1]))
            for b in range(B):
                hb, cb = h[b:b + 1], None if c is None else c[b:b + 1]
                steps = range(L[b]) if d == 0 else range(L[b] - 1, -1, -1)
                for t in steps:
                    hb, cb = _np_step(net.mode, layer_in[t, b:b + 1], hb, cb, *w)
                    out[t, b] = hb[0]
                h[b] = hb[0]
                if c is not None:
                    c[b] = cb[0]
            outs.append(out)
            hs.append(h)
            cs.append(c)
        layer_in = np.concatenate(outs, -1)
    return layer_in, np.stack(hs), (np.stack(cs) if c0 is not None else None)


CONFIGS = [
    ("LSTM", dict(num_layers=2, bidirectional=True)),
    ("LSTM", dict(batch_first=True, has_bias=False)),
    ("GRU", dict(num_layers=2, batch_first=True)),
    ("GRU", dict(bidirectional=True)),
    ("RNN", dict(num_layers=2)),
    ("RNN", dict(nonlinearity="relu", bidirectional=True)),
]


def _make(kind, kw, input_size=3, hidden=4):
    cls = {"LSTM": nn.LSTM, "GRU": nn.GRU, "RNN": nn.RNN}[kind]
    return cls(input_size, hidden, dtype=F64, **kw)


@pytest.mark.parametrize("kind,kw", CONFIGS, ids=lambda v: str(v))
@pytest.mark.parametrize("with_lengths", [False, True])
def test_forward_matches_numpy_recurrence(kind, kw, with_lengths):
    net = _make(kind, kw)
    _set_weights(net, 1)
    T, B = 5, 3
    x = np.random.default_rng(2).standard_normal((T, B, 3))
    lengths = np.array([5, 2, 4]) if with_lengths else None
    nh = net.num_layers * net.num_directions
    h0 = np.random.default_rng(3).standard_normal((nh, B, 4)) * 0.5
    c0 = np.random.default_rng(4).standard_normal((nh, B, 4)) * 0.5 if kind == "LSTM" else None
    want_out, want_h, want_c = _np_rnn(net, x, h0, c0, lengths)
    xin = np.transpose(x, (1, 0, 2)) if net.batch_first else x
    hx = (Tensor(h0), Tensor(c0)) if kind == "LSTM" else Tensor(h0)
    out, state = net(Tensor(xin), hx, None if lengths is None else Tensor(lengths))
    if net.batch_first:
        want_out = np.transpose(want_out, (1, 0, 2))
    assert_close(out, want_out, rtol=1e-12, atol=1e-12)
    if kind == "LSTM":
        assert_close(state[0], want_h, rtol=1e-12, atol=1e-12)
        assert_close(state[1], want_c, rtol=1e-12, atol=1e-12)
    else:
        assert_close(state, want_h, rtol=1e-12, atol=1e-12)


def test_no_initial_state_means_zeros():
    net = nn.LSTM(3, 4, num_layers=2, dtype=F64)
    x = _randn((4, 2, 3), 5)
    zeros = Tensor(np.zeros((2, 2, 4)))
    out, (h, c) = net(x)
    out0, (h0, c0) = net(x, (zeros, zeros))
    assert_close(out, out0.asnumpy())
    assert_close(c, c0.asnumpy())
    gru = nn.GRU(3, 4, bidirectional=True, dtype=F64)
    assert_close(gru(x)[1], gru(x, Tensor(np.zeros((2, 2, 4))))[1].asnumpy())


def test_outputs_after_seq_length_are_zero():
    net = nn.GRU(3, 4, bidirectional=True, dtype=F64)
    out, h = net(_randn((5, 2, 3), 6), None, Tensor(np.array([5, 2])))
    assert np.all(out.asnumpy()[2:, 1] == 0)
    assert np.all(out.asnumpy()[:2, 1] != 0)


def test_cells_match_numpy_steps():
    x, h, c = _randn((2, 3), 7), _randn((2, 4), 8), _randn((2, 4), 9)
    for cls, mode, kw in ((nn.RNNCell, "RNN_TANH", {}),
                          (nn.RNNCell, "RNN_RELU", {"nonlinearity": "relu"}),
                          (nn.GRUCell, "GRU", {}), (nn.GRUCell, "GRU", {"has_bias": False}),
                          (nn.LSTMCell, "LSTM", {})):
        cell = cls(3, 4, dtype=F64, **kw)
        w = [None if p is None else p.asnumpy()
             for p in (cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)]
        if mode == "LSTM":
            got = cell(x, (h, c))
            want = _np_step(mode, x.asnumpy(), h.asnumpy(), c.asnumpy(), *w)
            assert_close(got[0], want[0], rtol=1e-12)
            assert_close(got[1], want[1], rtol=1e-12)
        else:
            want = _np_step(mode, x.asnumpy(), h.asnumpy(), None, *w)[0]
            assert_close(cell(x, h), want, rtol=1e-12)


def test_dropout_between_layers_only_in_training():
    net = nn.LSTM(3, 4, num_layers=2, dropout=0.5, dtype=F64)
    x = _randn((4, 2, 3), 10)
    first = net(x)[0].asnumpy()
    assert_close(net(x)[0], first)
    net.set_train(True)
    assert not np.allclose(net(x)[0].asnumpy(), first)
    net.set_train(False)
    assert_close(net(x)[0], first)


# ---------------------------------------------------------------------------------------
# 3. gradients against float64 central differences
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind,kw", CONFIGS, ids=lambda v: str(v))
def test_layer_gradients_match_finite_differences(kind, kw):
    net = _make(kind, kw, hidden=3)
    _set_weights(net, 11)
    B, T = 2, 4
    nh = net.num_layers * net.num_directions
    shape = (B, T, 3) if net.batch_first else (T, B, 3)
    x = _randn(shape, 12)
    h0 = _randn((nh, B, 3), 13, 0.5)
    out_shape = shape[:2] + (3 * net.num_directions,)
    wo, wh = _randn(out_shape, 14), _randn((nh, B, 3), 15)
    weights = net.trainable_params()
    if kind == "LSTM":
        c0 = _randn((nh, B, 3), 16, 0.5)

        def loss(x, h0, c0):
            out, (h, c) = net(x, (h0, c0))
            return ops.sum(out * wo) + ops.sum(h * wh) + ops.sum(c * wh * 0.5)
        _check_fd(loss, (x, h0, c0), (0, 1, 2), weights)
    else:
        def loss(x, h0):
            out, h = net(x, h0)
            return ops.sum(out * wo) + ops.sum(h * wh)
        _check_fd(loss, (x, h0), (0, 1), weights)


@pytest.mark.parametrize("kind", ["LSTM", "GRU", "RNN"])
def test_seq_length_gradients_match_finite_differences(kind):
    net = _make(kind, dict(bidirectional=True, num_layers=2), input_size=2, hidden=2)
    _set_weights(net, 17)
    x = _randn((5, 3, 2), 18)
    lengths = Tensor(np.array([5, 2, 4]))
    wo, wh = _randn((5, 3, 4), 19), _randn((4, 3, 2), 20)

    def loss(x):
        out, state = net(x, None, lengths)
        h = state[0] if kind == "LSTM" else state
        return ops.sum(out * wo) + ops.sum(h * wh)
    _check_fd(loss, (x,), 0, net.trainable_params())


@pytest.mark.parametrize("cls,kw", [(nn.RNNCell, {}), (nn.RNNCell, {"nonlinearity": "relu"}),
                                    (nn.GRUCell, {}), (nn.GRUCell, {"has_bias": False}),
                                    (nn.LSTMCell, {})], ids=str)
def test_cell_gradients_over_steps_match_finite_differences(cls, kw):
    cell = cls(3, 4, dtype=F64, **kw)
    _set_weights(cell, 21, 0.7)
    x, h0, c0, w = _randn((3, 2, 3), 22), _randn((2, 4), 23), _randn((2, 4), 24), \
        _randn((2, 4), 25)
    weights = cell.trainable_params()
    if cls is nn.LSTMCell:
        def loss(x, h, c):
            total = 0.0
            for t in range(3):
                h, c = cell(x[t], (h, c))
                total = total + ops.sum(h * w) + ops.sum(c * w * 0.5)
            return total
        _check_fd(loss, (x, h0, c0), (0, 1, 2), weights)
    else:
        def loss(x, h):
            total = 0.0
            for t in range(3):
                h = cell(x[t], h)
                total = total + ops.sum(h * w)
            return total
        _check_fd(loss, (x, h0), (0, 1), weights)


class _Classifier(nn.Cell):
    """A GRU encoder and a Dense head on the last step, as a model would use them."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(3, 5, num_layers=2, batch_first=True, dtype=F64)
        self.head = nn.Dense(5, 2, dtype=F64)

    def construct(self, x, target):
        out, _ = self.rnn(x)
        pred = self.head(out[:, -1])
        return ops.mean((pred - target) ** 2)


def test_grad_operation_over_a_model_cell_matches_finite_differences():
    net = _Classifier()
    _set_weights(net, 26)
    x, target = _randn((2, 4, 3), 27), _randn((2, 2), 28)
    weights = net.trainable_params()
    got = GradOperation(get_by_list=True)(net, weights)(x, target)
    want = numerical_grad(net, (x, target), None, weights)
    _assert_tree_close(got, want)
    # the compiled value is the eager one, and a second call reuses the compiled code
    value, (gx, gw) = ops.value_and_grad(net, 0, weights)(x, target)
    assert_close(value, net(x, target).asnumpy(), rtol=1e-12)
    assert_close(gx, numerical_grad(net, (x, target), 0), rtol=1e-6, atol=1e-8)


def test_float32_gradients_stay_float32():
    net = nn.GRU(3, 4)
    x = Tensor(np.random.default_rng(29).standard_normal((3, 2, 3)).astype(np.float32))
    gx, gw = ops.grad(lambda x: ops.sum(net(x)[0]), 0, net.trainable_params())(x)
    assert gx.dtype == mstype.float32
    assert all(g.dtype == mstype.float32 for g in gw)


def test_forward_and_reverse_mode_agree_with_finite_differences():
    # check_grads: ops.jvp's tangents and ops.vjp's gradients (inner-product identity)
    net = nn.GRU(3, 4, num_layers=2, bidirectional=True, dtype=F64)
    _set_weights(net, 30)
    lstm = nn.LSTM(3, 4, batch_first=True, dtype=F64)
    _set_weights(lstm, 31)

    def gru_out(x, h0):
        return net(x, h0)

    def lstm_out(x):
        out, (h, c) = lstm(x)
        return out, c
    check_grads(gru_out, (_randn((4, 2, 3), 32), _randn((4, 2, 4), 33)))
    check_grads(lstm_out, (_randn((2, 4, 3), 34),))


def test_gradient_memory_is_linear_in_the_sequence_length():
    # the outputs are written into one Tensor (ops.where), so the tape keeps per-step values
    # only; growing them with ops.concat kept every partial output (quadratic: 350 MB for
    # 400 steps)
    net = nn.GRU(32, 64)
    grad = ops.grad(lambda x: ops.sum(net(x)[0]), 0, net.trainable_params())
    peaks = []
    for steps in (60, 240):
        x = Tensor(np.random.default_rng(35).standard_normal((steps, 16, 32)).astype(np.float32))
        grad(x)  # compiled before measuring
        tracemalloc.start()
        try:
            grad(x)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    assert peaks[1] < 6 * peaks[0], peaks  # 4x the steps: about 4x the memory
    assert peaks[1] < 40e6, peaks


def test_second_order_through_the_time_loop():
    # check_grads order 2: derivatives of GradOperation(get_all, sens_param) of the layer
    net = nn.GRU(2, 3, dtype=F64)
    _set_weights(net, 36)
    lstm = nn.LSTMCell(2, 3, dtype=F64)
    _set_weights(lstm, 37)

    def gru_out(x):
        return net(x)[0]

    def lstm_two_steps(x, h):
        s = lstm(x[0], (h, h))
        return lstm(x[1], s)[1]
    check_grads(gru_out, (_randn((3, 2, 2), 38),), order=2)
    check_grads(lstm_two_steps, (_randn((2, 2, 2), 39), _randn((2, 3), 40)), order=2)


# ---------------------------------------------------------------------------------------
# the fused LSTM (lstm_seq, autograd_st/kernels_rnn.py): nn.LSTM without seq_length runs
# one primitive per layer and direction; with seq_length it keeps the time loop, so full
# lengths give the same function by the other path
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kw", [dict(), dict(num_layers=2), dict(bidirectional=True),
                                dict(num_layers=2, bidirectional=True, batch_first=True),
                                dict(has_bias=False)])
def test_fused_lstm_matches_the_time_loop(kw):
    net = nn.LSTM(3, 4, dtype=F64, **kw)
    _set_weights(net, 41)
    layers = kw.get("num_layers", 1) * (2 if kw.get("bidirectional") else 1)
    x = _randn((2, 5, 3) if kw.get("batch_first") else (5, 2, 3), 42)
    hx = (_randn((layers, 2, 4), 43), _randn((layers, 2, 4), 44))
    full = Tensor(np.array([5, 5], np.int32))

    def loss(x, h, c, lengths=None):
        out, (h_n, c_n) = net(x, (h, c), lengths)
        return ops.sum(out * out) + ops.sum(ops.sin(h_n)) + ops.sum(c_n * c_n * c_n)

    def fused_loss(x, h, c):
        return loss(x, h, c)

    def looped_loss(x, h, c):
        return loss(x, h, c, full)

    fused = ops.grad(fused_loss, (0, 1, 2), net.trainable_params())
    looped = ops.grad(looped_loss, (0, 1, 2), net.trainable_params())
    assert "lstm_seq_forward(" in fused.source(x, *hx)
    assert "lstm_seq_forward(" not in looped.source(x, *hx)
    assert_close(loss(x, *hx).asnumpy(), loss(x, *hx, full).asnumpy(), rtol=1e-12)
    (ga, wa), (gb, wb) = fused(x, *hx), looped(x, *hx)
    for a, b in zip(list(ga) + list(wa), list(gb) + list(wb)):
        assert_close(a.asnumpy(), b.asnumpy(), rtol=1e-10, atol=1e-12)


def test_fused_lstm_forward_mode_and_second_order():
    # check_grads order 2: ops.jvp, ops.vjp and their derivatives against finite differences
    net = nn.LSTM(2, 3, num_layers=2, bidirectional=True, dtype=F64)
    _set_weights(net, 45)

    def out_and_state(x):
        out, (h_n, c_n) = net(x)
        return out, c_n

    check_grads(out_and_state, (_randn((3, 2, 2), 46),), order=2)

    def with_hx(x, h, c):  # (hx given: the test of hx is folded in every order)
        out, (h_n, c_n) = net(x, (h, c))
        return out, h_n

    check_grads(with_hx, (_randn((2, 2, 2), 47), _randn((4, 2, 3), 48), _randn((4, 2, 3), 49)),
                order=2)


def test_fused_lstm_second_derivative_matches_the_time_loop():
    net = nn.LSTM(2, 3, dtype=F64)
    _set_weights(net, 49)
    full = Tensor(np.array([4, 4], np.int32))
    x = _randn((4, 2, 2), 50)

    def grad_norm(lengths):
        inner = ops.grad(lambda x: ops.sum(ops.tanh(net(x, None, lengths)[0])), 0,
                         net.trainable_params())
        return lambda x: ops.sum(inner(x)[0] ** 2) + ops.sum(inner(x)[1][1] ** 2)

    fused = ops.grad(grad_norm(None), 0, net.trainable_params())(x)
    looped = ops.grad(grad_norm(full), 0, net.trainable_params())(x)
    for a, b in zip([fused[0]] + list(fused[1]), [looped[0]] + list(looped[1])):
        assert_close(a.asnumpy(), b.asnumpy(), rtol=1e-9, atol=1e-12)


def test_fused_lstm_float32_and_memory():
    # float32 stays float32; the tape (6 T B H) is the memory: linear in the length
    net = nn.LSTM(16, 32)
    grad = ops.grad(lambda x: ops.sum(net(x)[0]), 0, net.trainable_params())
    peaks = []
    for steps in (50, 200):
        x = Tensor(np.random.default_rng(51).standard_normal((steps, 8, 16)).astype(np.float32))
        gx, gw = grad(x)
        assert gx.dtype == mstype.float32 and all(g.dtype == mstype.float32 for g in gw)
        tracemalloc.start()
        try:
            grad(x)
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    tape = 6 * 200 * 8 * 32 * 4
    assert peaks[1] < 5 * peaks[0], peaks
    assert peaks[1] < 4 * tape, (peaks, tape)
