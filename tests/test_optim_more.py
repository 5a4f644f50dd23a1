"""More optimizers, parameter groups and learning-rate schedules.

RMSProp, Adagrad, Adam(use_amsgrad), the groups with 'order_params', the per-step learning
rates and the schedules agree with recorded MindSpore runs in tests/ms_cases (train_*); here
each update is also written out in numpy (float64) and checked step by step, with the cases
MindSpore cannot record: Lamb (no CPU kernel in MindSpore 2.10: its GPU kernel's formula),
the trust ratio's edge cases, grad_centralization, argument errors, and the all-or-nothing
step of the new optimizers.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import assert_close

from autograd_st import Parameter, ParameterTuple, Tensor, nn
from autograd_st.errors import InputValueError
from autograd_st.nn.learning_rate_schedule import LearningRateSchedule


def _params(seed=0):
    g = np.random.default_rng(seed)
    return [Parameter(g.standard_normal((3, 2)), name="fc.weight"),
            Parameter(g.standard_normal(2), name="bn.gamma"),
            Parameter(g.standard_normal(2), name="fc.bias")]


def _grads(params, steps, seed=1):
    g = np.random.default_rng(seed)
    return [tuple(g.standard_normal(p.shape) for p in params) for _ in range(steps)]


def _run(opt, params, grads):
    history = []
    for step in grads:
        opt(tuple(Tensor(x) for x in step))
        history.append([p.asnumpy().copy() for p in params])
    return history


def _decays(name):
    return "beta" not in name and "gamma" not in name


# -- Lamb --------------------------------------------------------------------------------

def _lamb_reference(params, grads, lr, b1, b2, eps, wd):
    """MindSpore's Lamb GPU kernel, in float64."""
    out = []
    state = [[np.zeros_like(p), np.zeros_like(p)] for p in params]
    ws = [p.copy() for p in params]
    names = ["fc.weight", "bn.gamma", "fc.bias"]
    for t, step in enumerate(grads, start=1):
        for k, g in enumerate(step):
            m, v = state[k]
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            state[k] = [m, v]
            decay = wd if _decays(names[k]) else 0.0
            m_hat, v_hat = m / (1 - b1 ** t), v / (1 - b2 ** t)
            update = m_hat / (np.sqrt(v_hat) + eps) + decay * ws[k]
            g_hat = m_hat / np.sqrt(v_hat + eps) + decay * ws[k]
            w_norm, g_norm = np.linalg.norm(ws[k]), np.linalg.norm(g_hat)
            ratio = w_norm / g_norm if w_norm > 0 and g_norm > 0 else 1.0
            ratio = min(max(ratio, 0.0), 10.0)
            ws[k] = ws[k] - ratio * lr * update
        out.append([w.copy() for w in ws])
    return out


@pytest.mark.parametrize("b1, b2, eps, wd", [(0.9, 0.999, 1e-6, 0.0), (0.8, 0.95, 1e-4, 0.1)])
def test_lamb_against_the_gpu_kernel_formula(b1, b2, eps, wd):
    params = _params()
    start = [p.asnumpy().copy() for p in params]
    grads = _grads(params, 3)
    opt = nn.Lamb(params, learning_rate=0.05, beta1=b1, beta2=b2, eps=eps, weight_decay=wd)
    got = _run(opt, params, grads)
    want = _lamb_reference(start, grads, 0.05, b1, b2, eps, wd)
    for t in range(3):
        for k in range(3):
            assert_close(got[t][k], want[t][k], rtol=1e-10)
    assert int(opt.global_step.asnumpy()[0]) == 3


def test_lamb_trust_ratio_edges():
    # a zero parameter: the trust ratio is 1, the step is lr * update
    p = Parameter(np.zeros(3), name="w")
    opt = nn.Lamb([p], learning_rate=0.1)
    g = np.array([1.0, -2.0, 0.5])
    opt((Tensor(g),))
    # first step: m_hat = g, v_hat = g^2, update = g / (|g| + eps)
    assert_close(p, -0.1 * g / (np.abs(g) + 1e-6), rtol=1e-10)
    # a large parameter and a small update: the ratio is clipped at 10
    q = Parameter(np.full(2, 1e3), name="w")
    opt = nn.Lamb([q], learning_rate=0.01)
    opt((Tensor(np.array([1.0, -1.0])),))
    update = np.array([1.0, -1.0]) / (1.0 + 1e-6)
    assert_close(q, 1e3 - 10 * 0.01 * update, rtol=1e-12)


def test_lamb_checks_arguments():
    with pytest.raises(TypeError, match="'beta1' must be 'float'"):
        nn.Lamb(_params(), 0.1, beta1=1)
    with pytest.raises(ValueError, match="beta1 and beta2 must be in"):
        nn.Lamb(_params(), 0.1, beta2=1.0)


# -- RMSProp / Adagrad / Adam(use_amsgrad) -----------------------------------------------

@pytest.mark.parametrize("centered, momentum", [(False, 0.0), (True, 0.9), (False, 0.5)])
def test_rmsprop_formula(centered, momentum):
    params = _params()
    start = [p.asnumpy().copy() for p in params]
    grads = _grads(params, 3)
    lr, rho, eps, wd = 0.01, 0.8, 1e-6, 0.02
    opt = nn.RMSProp(params, learning_rate=lr, decay=rho, momentum=momentum, epsilon=eps,
                     centered=centered, weight_decay=wd)
    got = _run(opt, params, grads)
    names = ["fc.weight", "bn.gamma", "fc.bias"]
    for k, name in enumerate(names):
        w, ms, mom, mg = start[k].copy(), np.ones_like(start[k]), 0.0, 0.0
        for t in range(3):
            g = grads[t][k] + (wd * w if _decays(name) else 0.0)
            ms = rho * ms + (1 - rho) * g * g
            denom = ms
            if centered:
                mg = rho * mg + (1 - rho) * g
                denom = ms - mg * mg
            mom = momentum * mom + lr * g / np.sqrt(denom + eps)
            w = w - mom
            assert_close(got[t][k], w, rtol=1e-10)


def test_adagrad_formula_and_update_slots():
    for update_slots in (True, False):  # MindSpore's CPU kernel updates the slots either way
        params = _params()
        start = [p.asnumpy().copy() for p in params]
        grads = _grads(params, 3)
        opt = nn.Adagrad(params, accum=0.3, learning_rate=0.1, update_slots=update_slots,
                         loss_scale=2.0)
        got = _run(opt, params, grads)
        for k in range(3):
            w, acc = start[k].copy(), np.full_like(start[k], 0.3)
            for t in range(3):
                g = grads[t][k] / 2.0
                acc = acc + g * g
                w = w - 0.1 * g / np.sqrt(acc)
                assert_close(got[t][k], w, rtol=1e-10)


def test_adam_amsgrad_keeps_the_running_maximum():
    p = Parameter(np.array([1.0, -1.0]), name="w")
    opt = nn.Adam([p], learning_rate=0.1, beta1=0.5, beta2=0.5, eps=1e-8, use_amsgrad=True)
    grads = [np.array([2.0, 0.1]), np.array([0.1, 0.1]), np.array([0.1, 3.0])]
    w, m, v, vhat = np.array([1.0, -1.0]), 0.0, 0.0, np.zeros(2)
    for t, g in enumerate(grads, start=1):
        opt((Tensor(g),))
        m = 0.5 * m + 0.5 * g
        v = 0.5 * v + 0.5 * g * g
        vhat = np.maximum(vhat, v)
        lr_t = 0.1 * math.sqrt(1 - 0.5 ** t) / (1 - 0.5 ** t)
        w = w - lr_t * m / (np.sqrt(vhat) + 1e-8)
        assert_close(p, w, rtol=1e-6)
        assert_close(opt.vhat[0], vhat, rtol=1e-6)
    assert_close(opt.moment2[0], v, rtol=1e-6)  # v itself is not the maximum


@pytest.mark.parametrize("make, error, text", [
    (lambda ps: nn.RMSProp(ps, decay=1), TypeError, "'decay' must be 'float'"),
    (lambda ps: nn.RMSProp(ps, epsilon=0.0), ValueError, "'epsilon' must be positive"),
    (lambda ps: nn.RMSProp(ps, momentum=-0.1), ValueError, "'momentum' must be non negative"),
    (lambda ps: nn.RMSProp(ps, centered=1), TypeError, "'centered' must be 'bool'"),
    (lambda ps: nn.Adagrad(ps, accum=1), TypeError, "'accum' must be 'float'"),
    (lambda ps: nn.Adagrad(ps, accum=-0.1), ValueError, "'accum' must be non negative"),
    (lambda ps: nn.Adagrad(ps, update_slots=None), TypeError, "'update_slots' must be 'bool'"),
])
def test_argument_errors(make, error, text):
    with pytest.raises(error) as info:
        make(_params())
    assert text in str(info.value)


@pytest.mark.parametrize("make", [
    lambda ps: nn.RMSProp(ps, centered=True, momentum=0.9),
    lambda ps: nn.Adagrad(ps),
    lambda ps: nn.Lamb(ps, 0.1),
    lambda ps: nn.Adam(ps, use_amsgrad=True),
])
def test_new_optimizers_step_all_or_nothing(make):
    params = _params()
    opt = make(params)
    opt(tuple(Tensor(g) for g in _grads(params, 1)[0]))
    before = [p.asnumpy().copy() for p in params]
    state = [a.asnumpy().copy() for a in opt.get_parameters()]
    bad = list(_grads(params, 1, seed=3)[0])
    bad[2] = np.ones(5)  # the last gradient has the wrong shape
    with pytest.raises(InputValueError, match="position 2"):
        opt(tuple(Tensor(g) for g in bad))
    for p, b in zip(params, before):
        np.testing.assert_array_equal(p.asnumpy(), b)
    for a, s in zip(opt.get_parameters(), state):
        np.testing.assert_array_equal(a.asnumpy(), s)


# -- parameter groups --------------------------------------------------------------------

def test_order_params_orders_the_optimizer():
    w, gamma, b = _params()
    opt = nn.Momentum([{"params": [b, gamma], "lr": 0.01},
                       {"params": [w], "weight_decay": 0.1},
                       {"order_params": [w, gamma, b]}], learning_rate=0.05, momentum=0.9,
                      weight_decay=0.02)
    assert [p.name for p in opt.parameters] == ["fc.weight", "bn.gamma", "fc.bias"]
    assert [float(v.asnumpy()) for v in opt.get_lr()] == pytest.approx([0.05, 0.01, 0.01])
    # a group's weight decay covers all its parameters, gamma included (MindSpore)
    assert opt._weight_decays == (0.1, 0.02, 0.02)
    assert opt.is_group and opt.is_group_lr


@pytest.mark.parametrize("groups, error, text", [
    (lambda w, g, b: [{"params": [w], "lr_rate": 0.1}], KeyError,
     "the key in group params must be one of"),
    (lambda w, g, b: [{"params": [w, g, b]}, {"order_params": [w, g, b], "lr": 0.1}],
     ValueError, "should only include the 'order_params' key"),
    (lambda w, g, b: [{"params": [w, g, b]}, {"order_params": [w, g]}], ValueError,
     "the length of order parameters must be the same"),
    (lambda w, g, b: [{"params": [w, g]}, {"params": [g, b]}], ValueError, "twice"),
    (lambda w, g, b: [{"params": [w], "weight_decay": -0.1}], ValueError, "weight_decay"),
])
def test_group_errors(groups, error, text):
    with pytest.raises(error) as info:
        nn.SGD(groups(*_params()), learning_rate=0.1)
    assert text in str(info.value)


def test_grad_centralization():
    w, gamma, b = _params()
    start = w.asnumpy().copy(), b.asnumpy().copy()
    opt = nn.SGD([{"params": [w, b], "grad_centralization": True}, {"params": [gamma]}],
                 learning_rate=0.5)
    assert [p.name for p in opt.parameters] == ["fc.weight", "fc.bias", "bn.gamma"]
    gw, gb, gg = _grads([w, b, gamma], 1)[0]
    opt((Tensor(gw), Tensor(gb), Tensor(gg)))
    # 2-D gradients lose their mean over every axis but the first; 1-D ones are kept
    assert_close(w, start[0] - 0.5 * (gw - gw.mean(axis=1, keepdims=True)), rtol=1e-12)
    assert_close(b, start[1] - 0.5 * gb, rtol=1e-12)


# -- learning rates ----------------------------------------------------------------------

def test_schedule_cell_drives_the_learning_rate():
    sched = nn.PolynomialDecayLR(0.1, 0.01, 2, 2.0)
    p = Parameter(np.zeros(2), name="w")
    opt = nn.SGD([p], learning_rate=sched)
    expected = 0.0
    for step in range(4):
        lr = float(sched(Tensor(np.array(step, np.int32))).asnumpy())
        want = (0.1 - 0.01) * (1 - min(step, 2) / 2) ** 2 + 0.01
        assert lr == pytest.approx(want, rel=1e-6)
        opt((Tensor(np.ones(2)),))
        expected -= lr
        assert_close(p, np.full(2, expected), rtol=1e-6)
    assert isinstance(sched, LearningRateSchedule)


def test_schedule_cells_hand_values():
    t = [Tensor(np.array(s, np.int32)) for s in range(5)]
    exp = nn.ExponentialDecayLR(0.1, 0.5, 2, is_stair=True)
    assert [round(float(exp(s).asnumpy()), 7) for s in t] == [0.1, 0.1, 0.05, 0.05, 0.025]
    warm = nn.WarmUpLR(0.2, 2)
    assert [float(warm(s).asnumpy()) for s in t] == pytest.approx([0.0, 0.1, 0.2, 0.2, 0.2])
    cos = nn.CosineDecayLR(0.0, 1.0, 4)
    assert [float(cos(s).asnumpy()) for s in t] == pytest.approx(
        [1.0, 0.5 * (1 + math.cos(math.pi / 4)), 0.5, 0.5 * (1 + math.cos(3 * math.pi / 4)),
         0.0], abs=1e-6)
    inv = nn.InverseDecayLR(0.1, 0.5, 1)
    assert float(inv(t[2]).asnumpy()) == pytest.approx(0.1 / 2.0)
    nat = nn.NaturalExpDecayLR(0.1, 0.5, 2, True)
    assert float(nat(t[3]).asnumpy()) == pytest.approx(0.1 * math.exp(-0.5 * 2), rel=1e-6)
    assert exp(t[1]).dtype == np.float32 or str(exp(t[1]).dtype) == "Float32"


def test_dynamic_lr_hand_values():
    assert nn.piecewise_constant_lr([2, 5], [0.1, 0.05]) == [0.1, 0.1, 0.05, 0.05, 0.05]
    assert nn.exponential_decay_lr(0.1, 0.5, 4, 1, 2, True) == pytest.approx(
        [0.1, 0.1, 0.05, 0.05])
    assert nn.warmup_lr(0.1, 4, 1, 2) == pytest.approx([0.0, 0.05, 0.1, 0.1])
    assert nn.cosine_decay_lr(0.0, 0.1, 3, 1, 2) == pytest.approx([0.1, 0.05, 0.0])
    # update_decay_epoch: step 3 decays over ceil(3 / 2) * 2 = 4 epochs: 0.1 * (1 - 3/4)
    assert nn.polynomial_decay_lr(0.1, 0.0, 4, 1, 2, 1.0, True) == pytest.approx(
        [0.1, 0.05, 0.0, 0.025])
    assert nn.natural_exp_decay_lr(0.1, 1.0, 2, 1, 1) == pytest.approx(
        [0.1, 0.1 * math.exp(-1)])
    assert nn.inverse_decay_lr(0.1, 1.0, 3, 1, 1) == pytest.approx([0.1, 0.05, 0.1 / 3])


@pytest.mark.parametrize("call, error, text", [
    (lambda: nn.exponential_decay_lr(1, 0.9, 6, 2, 1), TypeError, "'learning_rate' must be float"),
    (lambda: nn.exponential_decay_lr(0.1, 0.9, 0, 2, 1), ValueError, "'total_step' must be int"),
    (lambda: nn.exponential_decay_lr(0.1, 0.9, 6, 2, 1, 1), TypeError, "'is_stair' should be"),
    (lambda: nn.exponential_decay_lr(-0.1, 0.9, 6, 2, 1), ValueError, "must > 0"),
    (lambda: nn.piecewise_constant_lr([2, 1], [0.1, 0.2]), ValueError, "must be greater than"),
    (lambda: nn.piecewise_constant_lr([2, 3], [0.1]), ValueError, "must be same with the size"),
    (lambda: nn.cosine_decay_lr(0.2, 0.1, 2, 1, 1), ValueError, "must be greater than the"),
    (lambda: nn.ExponentialDecayLR(0.1, 0.9, True), TypeError, "'decay_steps' must be int"),
    (lambda: nn.WarmUpLR(1, 2), TypeError, "must be type of float"),
    (lambda: nn.CosineDecayLR(0.2, 0.1, 2), ValueError, "must be greater than the 'min_lr'"),
])
def test_learning_rate_errors(call, error, text):
    with pytest.raises(error) as info:
        call()
    assert text in str(info.value)


# -- dynamic weight decay ----------------------------------------------------------------

def test_dynamic_weight_decay_by_hand():
    p = Parameter(np.array([1.0, -2.0]), name="w")
    q = Parameter(np.array([0.5]), name="bn.gamma")  # exempt by name
    sched = nn.ExponentialDecayLR(0.1, 0.5, 1)
    opt = nn.Momentum([p, q], learning_rate=0.1, momentum=0.0, weight_decay=sched,
                      loss_scale=2.0)
    assert opt.dynamic_weight_decay and opt.decay_flags == (True, False)
    w, g = np.array([1.0, -2.0]), np.array([0.2, 0.4])
    for step in range(3):
        opt((Tensor(g * 2.0), Tensor(np.array([0.0]))))  # loss-scaled gradients
        w = w - 0.1 * (g + 0.1 * 0.5 ** step * w)
        assert_close(p, w, rtol=1e-6)
    assert_close(q, np.array([0.5]), rtol=0)


def test_dynamic_weight_decay_is_checked_before_anything_is_written():
    p = Parameter(np.array([1.0, -2.0]), name="w")
    opt = nn.Momentum([p], learning_rate=0.1, momentum=0.9,
                      weight_decay=lambda step: Tensor(np.float32(-1.0)))
    with pytest.raises(ValueError, match="must be a number >= 0; nothing was updated"):
        opt((Tensor(np.ones(2)),))
    assert_close(p, np.array([1.0, -2.0]), rtol=0)
    assert int(opt.global_step.asnumpy()[0]) == 0
    assert_close(opt.moments[0], np.zeros(2), rtol=0)
    with pytest.raises(TypeError, match="dynamic weight decay is currently not supported"):
        nn.SGD([p], 0.1, weight_decay=nn.WarmUpLR(0.1, 2))
    with pytest.raises(TypeError, match="must be int, float or Cell"):
        nn.Momentum([p], 0.1, 0.9, weight_decay="0.1")


def test_parameter_clone_init():
    """Optimizer state as MindSpore's tutorial makes it (recorded: train_custom_optimizer)."""
    ps = ParameterTuple(_params())
    zeros, ones, same, five = (ps.clone("m", init="zeros"), ps.clone("o", init="ones"),
                               ps.clone("s"), ps.clone("f", init=5.0))
    assert [p.name for p in zeros] == ["m.fc.weight", "m.bn.gamma", "m.fc.bias"]
    for p, z, o, s, f in zip(ps, zeros, ones, same, five):
        np.testing.assert_array_equal(z.asnumpy(), np.zeros(p.shape))
        np.testing.assert_array_equal(o.asnumpy(), np.ones(p.shape))
        np.testing.assert_array_equal(s.asnumpy(), p.asnumpy())
        np.testing.assert_array_equal(f.asnumpy(), np.full(p.shape, 5.0))
        assert s.asnumpy() is not p.asnumpy()
    assert_close(ps[0].clone(init="zeros"), np.zeros((3, 2)), rtol=0)
    with pytest.raises(ValueError, match="init must be"):
        ps.clone("x", init="normal")


def test_mindspore_argument_checks_of_momentum_and_adam():
    ps = _params()
    with pytest.raises(TypeError, match="'momentum' must be 'float'"):
        nn.Momentum(ps, 0.1, 1)  # MindSpore refuses an int momentum
    with pytest.raises(KeyError, match="invalid keys are passed as kwargs"):
        nn.Adam(_params(), use_fast=True)
    with pytest.raises(TypeError, match="'use_nesterov' must be 'bool'"):
        nn.Adam(_params(), use_nesterov=1)
    with pytest.raises(ValueError, match="can not both be True"):
        nn.Adam(_params(), use_lazy=True, use_offload=True)
    # use_lazy with dense gradients: the same update as plain Adam
    a, b = _params(), _params()
    grads = _grads(a, 2)
    got_a = _run(nn.Adam(a, 0.01, use_lazy=True), a, grads)
    got_b = _run(nn.Adam(b, 0.01), b, grads)
    for x, y in zip(got_a[-1], got_b[-1]):
        np.testing.assert_array_equal(x, y)


def test_get_lr_parameter_gives_each_parameters_learning_rate():
    # MindSpore 2.10's layout (u22_lr_schedule_model records it): a constant group lr is its
    # Parameter (learning_rate_group_<i>), a per-step list its whole table
    net = nn.SequentialCell(nn.Dense(3, 4), nn.ReLU(), nn.Dense(4, 2))
    ws = [p for p in net.trainable_params() if "weight" in p.name]
    bs = [p for p in net.trainable_params() if "bias" in p.name]
    opt = nn.Momentum([{"params": ws, "lr": 0.05}, {"params": bs}], learning_rate=0.1,
                      momentum=0.9)
    got = opt.get_lr_parameter(ws + bs)
    assert [float(g.asnumpy()) for g in got] == pytest.approx([0.05, 0.05, 0.1, 0.1])
    assert isinstance(opt.get_lr_parameter(bs[0]), Parameter)
    table = [0.3, 0.2, 0.1]
    plain = nn.SGD(net.trainable_params(), learning_rate=table)
    np.testing.assert_allclose(plain.get_lr_parameter(ws[0]).asnumpy(), table, rtol=1e-7)
    with pytest.raises(ValueError, match="not in optimizer"):
        nn.SGD(ws, 0.1).get_lr_parameter(bs[0])
    with pytest.raises(TypeError, match="'Parameter' or 'list'"):
        opt.get_lr_parameter(tuple(ws))
