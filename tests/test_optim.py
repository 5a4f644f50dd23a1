"""Optimizers and training wrappers: each step against the update formula written out in
numpy, plus MindSpore-measured behaviour (first momentum step undamped, the weight-decay
name filter, Momentum's Nesterov step, loss scale), and WithLossCell / TrainOneStepCell."""
from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import assert_close

from autograd_st import Parameter, ParameterTuple, Tensor, nn, ops
from autograd_st.errors import LearningRateRangeError


def _params(seed=0):
    g = np.random.default_rng(seed)
    return [Parameter(g.standard_normal((3, 2)), name="fc.weight"),
            Parameter(g.standard_normal(2), name="bn.gamma"),
            Parameter(g.standard_normal(2), name="bn.beta")]


def _grads(params, steps, seed=1):
    g = np.random.default_rng(seed)
    return [tuple(g.standard_normal(p.shape) for p in params) for _ in range(steps)]


def _run(opt, params, grads):
    """Apply ``grads`` step by step; the parameter values after each step."""
    history = []
    for step in grads:
        result = opt(tuple(Tensor(x) for x in step))
        assert result == tuple(True for _ in params)
        history.append([p.asnumpy().copy() for p in params])
    return history


def _decays(name):
    return "beta" not in name and "gamma" not in name


# ---------------------------------------------------------------------------------------
# SGD and Momentum
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("momentum,dampening,wd,nesterov", [
    (0.0, 0.0, 0.0, False), (0.0, 0.0, 0.1, False), (0.9, 0.0, 0.0, False),
    (0.9, 0.3, 0.05, False), (0.8, 0.0, 0.01, True)])
def test_sgd_matches_the_formula(momentum, dampening, wd, nesterov):
    params = _params()
    start = [p.asnumpy().copy() for p in params]
    grads = _grads(params, 3)
    opt = nn.SGD(params, learning_rate=0.1, momentum=momentum, dampening=dampening,
                 weight_decay=wd, nesterov=nesterov)
    got = _run(opt, params, grads)
    for k, p in enumerate(params):
        w, buf = start[k].copy(), None
        for step, g_all in enumerate(grads):
            g = g_all[k] + (wd * w if _decays(p.name) else 0.0)
            if momentum > 0:
                # the first step's buffer is the gradient itself, not dampened
                buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
                g = g + momentum * buf if nesterov else buf
            w = w - 0.1 * g
            assert_close(got[step][k], w, rtol=1e-12)


def test_sgd_validates_its_arguments():
    with pytest.raises(ValueError, match="nesterov"):
        nn.SGD(_params(), momentum=0.0, nesterov=True)
    with pytest.raises(ValueError, match="nesterov"):
        nn.SGD(_params(), momentum=0.9, dampening=0.1, nesterov=True)
    with pytest.raises(ValueError, match="momentum"):
        nn.SGD(_params(), momentum=-1.0)
    opt = nn.SGD(_params())
    with pytest.raises(ValueError, match="gradients"):
        opt((Tensor(np.zeros((3, 2))),))
    with pytest.raises(ValueError, match="empty"):
        nn.SGD([])


def test_sgd_loss_scale_divides_gradients_but_not_the_decay():
    params = _params()
    start = [p.asnumpy().copy() for p in params]
    grads = _grads(params, 1)
    nn.SGD(params, learning_rate=0.1, weight_decay=0.1, loss_scale=4.0)(
        tuple(Tensor(g) for g in grads[0]))
    want = start[0] - 0.1 * (grads[0][0] / 4.0 + 0.1 * start[0])
    assert_close(params[0], want, rtol=1e-12)


@pytest.mark.parametrize("nesterov", [False, True])
def test_momentum_optimizer(nesterov):
    params = _params()
    start = [p.asnumpy().copy() for p in params]
    grads = _grads(params, 3)
    got = _run(nn.Momentum(params, 0.1, 0.9, use_nesterov=nesterov), params, grads)
    for k in range(len(params)):
        w, buf = start[k].copy(), np.zeros_like(start[k])
        for step, g_all in enumerate(grads):
            g = g_all[k]
            if nesterov:  # MindSpore 2.10 (CPU) uses the buffer from before the update
                w = w - 0.1 * (g + 0.9 * buf)
            buf = 0.9 * buf + g
            if not nesterov:
                w = w - 0.1 * buf
            assert_close(got[step][k], w, rtol=1e-12)


def test_momentum_nesterov_matches_mindspore_numbers():
    """nn.Momentum(lr=0.1, momentum=0.9, use_nesterov=True), float32, three steps: the
    parameter values real MindSpore 2.10 (CPU) gave for these inputs."""
    g = np.random.default_rng(1)
    p0 = g.standard_normal((3,)).astype(np.float32)
    g.standard_normal((2,)), g.standard_normal((2,))  # the other parameters of that run
    p = Parameter(Tensor(p0.copy()), name="w")
    opt = nn.Momentum([p], 0.1, 0.9, use_nesterov=True)
    mindspore = [[0.28747237, 0.7851609, 0.3010238], [0.28338367, 0.69246477, 0.27057967],
                 [0.30726415, 0.47963184, 0.14250751]]
    for want in mindspore:
        grad = g.standard_normal((3,)).astype(np.float32)
        g.standard_normal((2,)), g.standard_normal((2,))
        opt((Tensor(grad),))
        assert_close(p, np.array(want, np.float32), rtol=1e-6, atol=1e-6)


# ---------------------------------------------------------------------------------------
# Adam and AdamWeightDecay
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("wd,nesterov", [(0.0, False), (0.1, False), (0.0, True)])
def test_adam_folds_bias_correction_into_the_learning_rate(wd, nesterov):
    params = _params()
    start = [p.asnumpy().copy() for p in params]
    grads = _grads(params, 3)
    b1, b2, eps, lr = 0.8, 0.99, 1e-6, 0.01
    got = _run(nn.Adam(params, learning_rate=lr, beta1=b1, beta2=b2, eps=eps,
                       weight_decay=wd, use_nesterov=nesterov), params, grads)
    for k, p in enumerate(params):
        w, m, v = start[k].copy(), 0.0, 0.0
        for t, g_all in enumerate(grads, start=1):
            g = g_all[k] + (wd * w if _decays(p.name) else 0.0)  # L2 term on the gradient
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            lr_t = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
            direction = b1 * m + (1 - b1) * g if nesterov else m
            w = w - lr_t * direction / (np.sqrt(v) + eps)
            assert_close(got[t - 1][k], w, rtol=1e-10)


def test_adam_defaults_and_float32():
    p = Parameter(Tensor(np.ones(3, np.float32)), name="w")
    opt = nn.Adam([p])
    assert (opt.beta1, opt.beta2, opt.eps) == (0.9, 0.999, 1e-8)
    opt((Tensor(np.array([1.0, -2.0, 0.5], np.float32)),))
    assert p.asnumpy().dtype == np.float32
    # the first Adam step moves each entry by about lr, against the gradient's sign
    assert_close(p, np.array([1 - 1e-3, 1 + 1e-3, 1 - 1e-3], np.float32), rtol=1e-5)
    with pytest.raises(ValueError, match="beta1"):
        nn.Adam([p], beta1=1.0)


def test_adam_weight_decay_is_decoupled_and_uncorrected():
    params = _params()
    start = [p.asnumpy().copy() for p in params]
    grads = _grads(params, 3)
    b1, b2, eps, lr, wd = 0.9, 0.999, 1e-6, 0.01, 0.1
    opt = nn.AdamWeightDecay(params, learning_rate=lr, weight_decay=wd)
    assert opt.eps == 1e-6
    got = _run(opt, params, grads)
    for k, p in enumerate(params):
        w, m, v = start[k].copy(), 0.0, 0.0
        for t, g_all in enumerate(grads):
            g = g_all[k]
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            update = m / (np.sqrt(v) + eps) + (wd * w if _decays(p.name) else 0.0)
            w = w - lr * update
            assert_close(got[t][k], w, rtol=1e-10)


# ---------------------------------------------------------------------------------------
# shared optimizer behaviour
# ---------------------------------------------------------------------------------------

def test_learning_rate_sequence_and_schedule():
    p = Parameter(np.zeros(2), name="w")
    g = (Tensor(np.ones(2)),)
    opt = nn.SGD([p], learning_rate=[0.1, 0.05, 0.01])
    assert opt.learning_rate.learning_rate.shape == (3,)  # a Cell holds it, as in MindSpore
    assert opt.learning_rate.learning_rate.name == "learning_rate"
    for _ in range(3):
        opt(g)
    assert_close(p, -np.full(2, 0.1 + 0.05 + 0.01), rtol=1e-6)
    # past the end MindSpore 2.10 raises (its Gather index check), measured: so do we,
    # before writing anything
    with pytest.raises(LearningRateRangeError, match="3 values"):
        opt(g)
    with pytest.raises(RuntimeError):
        opt.get_lr()
    assert_close(p, -np.full(2, 0.1 + 0.05 + 0.01), rtol=1e-6)
    assert int(opt.global_step.asnumpy()[0]) == 3

    q = Parameter(np.zeros(2), name="w")
    sched = nn.SGD([q], learning_rate=lambda step: Tensor(np.float32(0.5) ** (int(step) + 1)))
    sched(g)
    sched(g)
    assert_close(q, -np.full(2, 0.5 + 0.25))
    t = nn.SGD([Parameter(np.zeros(1), name="w")], learning_rate=Tensor(np.float32(0.2)))
    assert float(t.get_lr().asnumpy()) == pytest.approx(0.2)


def test_parameter_groups():
    w, gamma, b = _params()
    start = [x.asnumpy().copy() for x in (w, gamma, b)]
    opt = nn.SGD([{"params": [w, gamma], "weight_decay": 0.1, "lr": 0.05}, {"params": [b]}],
                 learning_rate=0.2)
    assert opt.parameters == (w, gamma, b)
    grads = _grads([w, gamma, b], 1)[0]
    opt(tuple(Tensor(x) for x in grads))
    # a group's weight decay applies to all of its parameters, names notwithstanding
    assert_close(w, start[0] - 0.05 * (grads[0] + 0.1 * start[0]), rtol=1e-12)
    assert_close(gamma, start[1] - 0.05 * (grads[1] + 0.1 * start[1]), rtol=1e-12)
    assert_close(b, start[2] - 0.2 * grads[2], rtol=1e-12)
    assert [float(v.asnumpy()) for v in opt.get_lr()] == pytest.approx([0.05, 0.05, 0.2])


def test_optimizer_state_stays_out_of_the_network():
    net = nn.Dense(3, 2)
    opt = nn.Adam(net.trainable_params())
    assert isinstance(opt.parameters, ParameterTuple)
    assert [p.name for p in net.trainable_params()] == ["weight", "bias"]
    assert [p.name for p in opt.moment1] == ["moment1.weight", "moment1.bias"]
    # MindSpore lists the network's parameters among the optimizer's (its ParameterTuple);
    # the optimizer's own state is never trainable
    own = {id(p) for p in net.trainable_params()}
    assert [p.name for p in opt.get_parameters() if id(p) in own] == ["weight", "bias"]
    assert all(not p.requires_grad for p in opt.get_parameters() if id(p) not in own)


# ---------------------------------------------------------------------------------------
# WithLossCell and TrainOneStepCell
# ---------------------------------------------------------------------------------------

class _Net(nn.Cell):
    def __init__(self, w, b):
        super().__init__()
        self.fc = nn.Dense(3, 2, weight_init=w, bias_init=b)

    def construct(self, x):
        return self.fc(x)


def _linear_mse_grads(w, b, x, y):
    """Gradients of mean((x @ w.T + b - y) ** 2) by hand."""
    r = 2 * (x @ w.T + b - y) / y.size
    return r.T @ x, r.sum(axis=0)


def test_with_loss_cell_keeps_names_and_computes_the_loss():
    g = np.random.default_rng(3)
    w, b = g.standard_normal((2, 3)), g.standard_normal(2)
    x, y = g.standard_normal((5, 3)), g.standard_normal((5, 2))
    net = _Net(w, b)
    with_loss = nn.WithLossCell(net, nn.MSELoss())
    assert [p.name for p in with_loss.trainable_params()] == ["fc.weight", "fc.bias"]
    assert with_loss.backbone_network is net
    assert_close(with_loss(Tensor(x), Tensor(y)), np.mean((x @ w.T + b - y) ** 2), rtol=1e-12)


@pytest.mark.parametrize("sens", [None, 2.0])
def test_train_one_step_cell_returns_the_loss_before_its_update(sens):
    g = np.random.default_rng(4)
    w, b = g.standard_normal((2, 3)), g.standard_normal(2)
    x, y = g.standard_normal((5, 3)), g.standard_normal((5, 2))
    net = _Net(w.copy(), b.copy())
    with_loss = nn.WithLossCell(net, nn.MSELoss())
    train = nn.TrainOneStepCell(with_loss, nn.SGD(with_loss.trainable_params(), 0.1, 0.9),
                                sens=sens)
    train.set_train()
    assert [p.name for p in net.trainable_params()] == ["fc.weight", "fc.bias"]
    scale = 1.0 if sens is None else sens
    buf_w = buf_b = None
    for _ in range(3):
        want_loss = np.mean((x @ w.T + b - y) ** 2)
        loss = train(Tensor(x), Tensor(y))
        assert_close(loss, want_loss, rtol=1e-10)
        gw, gb = _linear_mse_grads(w, b, x, y)
        gw, gb = gw * scale, gb * scale
        buf_w = gw if buf_w is None else 0.9 * buf_w + gw
        buf_b = gb if buf_b is None else 0.9 * buf_b + gb
        w, b = w - 0.1 * buf_w, b - 0.1 * buf_b
        assert_close(net.fc.weight, w, rtol=1e-10)
        assert_close(net.fc.bias, b, rtol=1e-10)


def test_training_loop_with_value_and_grad_lowers_the_loss():
    g = np.random.default_rng(5)
    net = nn.SequentialCell([nn.Dense(4, 8, activation="relu"), nn.Dense(8, 1)])
    x = Tensor(g.standard_normal((16, 4)).astype(np.float32))
    y = Tensor(g.standard_normal((16, 1)).astype(np.float32))
    loss_fn = nn.MSELoss()
    opt = nn.Adam(net.trainable_params(), learning_rate=0.01)

    def forward(data, label):
        return loss_fn(net(data), label)
    grad_fn = ops.value_and_grad(forward, None, opt.parameters)
    first = None
    for _ in range(30):
        loss, grads = grad_fn(x, y)
        opt(grads)
        first = float(loss.asnumpy()) if first is None else first
    assert float(forward(x, y).asnumpy()) < 0.8 * first
