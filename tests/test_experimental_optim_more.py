"""``experimental.optim``'s Adagrad, RMSprop, Adadelta, Adamax, ASGD, NAdam, RAdam and Rprop.

The recorded MindSpore 2.10 run (tests/ms_cases/cases/u22o_more_optimizers.py, compared by
tests/test_ms_cases.py) pins MindSpore's float32 numbers; here each update is written out
again in numpy on float64 Parameters (MindSpore's float32 scalars: lr, the step's powers) and
checked after several steps, with what a recording cannot show: the state's names, groups
added later (the per-Parameter scalar state too), the all-or-nothing step and the errors.
"""
from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close
from optim_steps import f32 as _f32
from optim_steps import grads as _grads
from optim_steps import params as _params
from optim_steps import pow32 as _pow32
from optim_steps import run as _run

from autograd_st import Tensor, mint
from autograd_st.errors import InputValueError
from autograd_st.experimental import optim


def _start():
    w, b = _params()
    return (w, b), [w.asnumpy().copy(), b.asnumpy().copy()], _grads(5)


def test_adagrad_lr_decay_initial_accumulator_and_weight_decay():
    ps, p0, grads = _start()
    opt = optim.Adagrad([{"params": [ps[0]], "lr_decay": 0.3},
                         {"params": [ps[1]], "lr": 0.3, "weight_decay": 0.2}],
                        lr=0.05, initial_accumulator_value=0.1, eps=1e-3)
    _run(opt, grads)
    for k, (lr, decay, wd) in enumerate([(0.05, 0.3, 0.0), (0.3, 0.0, 0.2)]):
        p, acc = p0[k], 0.1
        for t, gs in enumerate(grads, 1):
            g = gs[k] + wd * p
            acc = acc + g * g
            p = p - _f32(_f32(lr) / _f32(1 + _f32((t - 1) * _f32(decay)))) * g / (
                np.sqrt(acc) + 1e-3)
        assert_close(ps[k].asnumpy(), p, rtol=1e-6)
        assert_close(opt.accum[k].asnumpy(), acc, rtol=1e-12)
    assert int(opt.step_t.asnumpy()) == 5 and opt.accum[0].name == "accum.w"


@pytest.mark.parametrize("centered,momentum", [(False, 0.0), (True, 0.0), (True, 0.5),
                                               (False, 0.7)])
def test_rmsprop_centered_and_momentum(centered, momentum):
    ps, p0, grads = _start()
    opt = optim.RMSprop(ps, lr=0.02, alpha=0.9, eps=1e-3, weight_decay=0.1,
                        momentum=momentum, centered=centered)
    _run(opt, grads)
    p, v, mg, buf = p0[0], 0.0, 0.0, 0.0
    for gs in grads:
        g = gs[0] + 0.1 * p
        v = 0.9 * v + 0.1 * g * g
        mg = 0.9 * mg + 0.1 * g
        avg = np.sqrt(v - mg * mg if centered else v) + 1e-3  # eps after the square root
        if momentum:
            buf = momentum * buf + g / avg
            p = p - _f32(0.02) * buf
        else:
            p = p - _f32(0.02) * g / avg
    assert_close(ps[0].asnumpy(), p, rtol=1e-6)
    assert_close(opt.mean_square[0].asnumpy(), v, rtol=1e-12)


def test_adadelta_matches_hand_computed_updates():
    ps, p0, grads = _start()
    opt = optim.Adadelta([{"params": [ps[0]], "rho": 0.5}, {"params": [ps[1]], "lr": 0.5,
                                                            "weight_decay": 0.3}],
                         lr=2.0, eps=1e-4)
    _run(opt, grads)
    for k, (lr, rho, wd) in enumerate([(2.0, 0.5, 0.0), (0.5, 0.9, 0.3)]):
        p, acc, upd = p0[k], 0.0, 0.0
        for gs in grads:
            g = gs[k] + wd * p
            acc = rho * acc + (1 - rho) * g * g
            delta = np.sqrt(upd + 1e-4) / np.sqrt(acc + 1e-4) * g
            upd = rho * upd + (1 - rho) * delta * delta
            p = p - lr * delta
        assert_close(ps[k].asnumpy(), p, rtol=1e-6)
        assert_close(opt.accum_update[k].asnumpy(), upd, rtol=1e-6)


def test_adamax_matches_hand_computed_updates():
    ps, p0, grads = _start()
    opt = optim.Adamax(ps, lr=0.1, betas=(0.5, 0.8), eps=1e-2, weight_decay=0.5)
    _run(opt, grads)
    p, m, u = p0[0], 0.0, 0.0
    for t, gs in enumerate(grads, 1):
        g = gs[0] + 0.5 * p
        m = 0.5 * m + 0.5 * g
        u = np.maximum(0.8 * u, np.abs(g) + 1e-2)
        p = p - _f32(_f32(0.1) / _f32(1 - _pow32(0.5, t))) * m / u
    assert_close(ps[0].asnumpy(), p, rtol=1e-6)
    assert_close(opt.exp_inf[0].asnumpy(), u, rtol=1e-12)


def test_asgd_eta_mu_and_the_average():
    ps, p0, grads = _start()
    opt = optim.ASGD(ps, lr=0.05, lambd=0.1, alpha=0.5, t0=2.0, weight_decay=0.2)
    _run(opt, grads)
    p, ax, eta, mu = p0[0], 0.0, _f32(0.05), 1.0
    for t, gs in enumerate(grads, 1):
        g = gs[0] + 0.2 * p
        p = p * (1 - _f32(0.1) * eta) - eta * g
        ax = p if mu == 1 else ax + (p - ax) * mu
        eta = _f32(_f32(0.05) / _f32((1 + _f32(0.1 * _f32(0.05)) * t) ** 0.5))
        mu = _f32(1 / max(1.0, t - 2.0))
    assert_close(ps[0].asnumpy(), p, rtol=1e-6)
    assert_close(opt.ax[0].asnumpy(), ax, rtol=1e-6)
    assert_close(opt.eta[0].asnumpy(), eta, rtol=1e-6)
    assert float(opt.mu[0].asnumpy()) == pytest.approx(1 / 3)
    assert (opt.mu[0].name, opt.eta[1].name, opt.ax[1].name) == ("mu_w", "eta_b", "ax.b")


def test_nadam_matches_hand_computed_updates():
    ps, p0, grads = _start()
    opt = optim.NAdam(ps, lr=0.05, betas=(0.8, 0.9), eps=1e-3, weight_decay=0.3,
                      momentum_decay=0.5)
    _run(opt, grads)
    p, m, v, prod = p0[0], 0.0, 0.0, 1.0
    for t, gs in enumerate(grads, 1):
        g = gs[0] + 0.3 * p
        mu = 0.8 * (1 - 0.5 * 0.96 ** (t * 0.5))
        mu_next = 0.8 * (1 - 0.5 * 0.96 ** ((t + 1) * 0.5))
        prod = prod * mu
        m = 0.8 * m + 0.2 * g
        v = 0.9 * v + 0.1 * g * g
        denom = np.sqrt(v / (1 - 0.9 ** t)) + 1e-3
        p = p - 0.05 * (1 - mu) / (1 - prod) * g / denom
        p = p - 0.05 * mu_next / (1 - prod * mu_next) * m / denom
    # MindSpore's scalars (mu, the product, the powers) are float32
    assert_close(ps[0].asnumpy(), p, rtol=1e-5)
    assert_close(opt.mu_product[0].asnumpy(), prod, rtol=1e-6)
    assert opt.mu_product[1].name == "mu_product_b"


@pytest.mark.parametrize("beta2", [0.6, 0.8])  # rho_inf 4 (never rectified), 9 (from t=7)
def test_radam_rectified_and_plain_steps(beta2):
    ps, p0, _ = _start()
    grads = _grads(10)
    opt = optim.RAdam(ps, lr=0.05, betas=(0.5, beta2), eps=1e-3, weight_decay=0.3)
    _run(opt, grads)
    p, m, v, rectified = p0[0], 0.0, 0.0, 0
    rho_inf = 2 / (1 - beta2) - 1
    for t, gs in enumerate(grads, 1):
        g = gs[0] + 0.3 * p
        m = 0.5 * m + 0.5 * g
        v = beta2 * v + (1 - beta2) * g * g
        rho_t = rho_inf - 2 * t * beta2 ** t / (1 - beta2 ** t)
        step = m / (1 - 0.5 ** t) * 0.05
        if rho_t > 5:
            rectified += 1
            rect = np.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                           / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            step = step * np.sqrt(1 - beta2 ** t) / (np.sqrt(v) + 1e-3) * rect
        p = p - step
    assert rectified == (0 if beta2 == 0.6 else 4)
    assert_close(ps[0].asnumpy(), p, rtol=1e-5)


def test_rprop_step_sizes_and_sign_flips():
    ps, p0, grads = _start()
    opt = optim.Rprop(ps, lr=0.03, etas=(0.3, 1.5), step_sizes=(0.01, 0.08))
    _run(opt, grads)
    p, prev, size = p0[0], np.zeros((3, 2)), np.full((3, 2), _f32(0.03))
    for gs in grads:
        g = gs[0]
        s = np.sign(g * prev)
        size = np.clip(size * np.where(s > 0, _f32(1.5), np.where(s < 0, _f32(0.3), 1.0)),
                       0.01, 0.08)
        g = np.where(s < 0, 0.0, g)  # a flip: no move, and remembered as 0
        prev = g
        p = p - np.sign(g) * size
    assert_close(ps[0].asnumpy(), p, rtol=1e-6)
    assert_close(opt.step_size[0].asnumpy(), size, rtol=1e-6)


@pytest.mark.parametrize("make", [
    lambda ps, **k: optim.Adagrad(ps, lr=0.1, **k),
    lambda ps, **k: optim.RMSprop(ps, lr=0.01, momentum=0.5, **k),
    lambda ps, **k: optim.Adadelta(ps, **k),
    lambda ps, **k: optim.Adamax(ps, lr=0.1, **k),
    lambda ps, **k: optim.ASGD(ps, lr=0.1, **k),
    lambda ps, **k: optim.Rprop(ps, lr=0.05, **k)])
def test_maximize_steps_along_the_gradient(make):
    up, down = _params(), _params()
    grads = _grads(3)
    _run(make(up, maximize=True), grads)
    _run(make(down), [tuple(-g for g in gs) for gs in grads])
    assert_close(up[0].asnumpy(), down[0].asnumpy(), rtol=1e-12)
    assert not np.allclose(up[0].asnumpy(), _params()[0].asnumpy())


def test_group_added_later_gets_its_scalar_state_and_steps():
    w, b = _params()
    opt = optim.NAdam([w], lr=0.1)
    opt.add_param_group({"params": [b], "lr": 0.2})
    assert [p.name for p in opt.mu_product] == ["mu_product_w", "mu_product_b"]
    assert len(opt.exp_avg_sq) == 2
    before = b.asnumpy().copy()
    _run(opt, _grads(2))
    assert not np.allclose(b.asnumpy(), before)
    assert float(opt.mu_product[1].asnumpy()) < 1.0


def test_a_bad_step_writes_nothing():
    w, b = _params()
    opt = optim.ASGD([w, b], lr=0.1)
    before = w.asnumpy().copy()
    with pytest.raises(InputValueError, match="shape"):
        opt((Tensor(np.ones((3, 2))), Tensor(np.ones(3))))
    assert_close(w.asnumpy(), before, rtol=0, atol=0)
    assert int(opt.step_t.asnumpy()) == 0 and float(opt.eta[0].asnumpy()) == 0.0


def test_a_scheduler_drives_them():
    ps, p0, grads = _start()
    opt = optim.Adagrad(ps, lr=0.4)
    sched = optim.lr_scheduler.StepLR(opt, 1, 0.5)
    acc, p = 0.0, p0[0]
    for t, gs in enumerate(grads):
        _run(opt, [gs])
        sched.step()
        acc = acc + gs[0] ** 2
        p = p - _f32(0.4 * 0.5 ** t) * gs[0] / (np.sqrt(acc) + 1e-10)
    assert_close(ps[0].asnumpy(), p, rtol=1e-6)


def test_argument_errors_as_in_mindspore():
    with pytest.raises(ValueError, match="For Adagrad, the lr must be greater than 0.0"):
        optim.Adagrad(_params(), lr=0)
    with pytest.raises(ValueError, match="'betas\\[0\\]' must be in range of \\[0.0, 1.0\\)"):
        optim.Adamax(_params(), betas=(1.0, 0.9))
    with pytest.raises(TypeError, match="'betas\\[0\\]' must be 'float'"):
        optim.NAdam(_params(), betas=(1, 0.9))
    with pytest.raises(ValueError, match="'rho' must be in range of \\[0.0, 1.0\\]"):
        optim.Adadelta(_params(), rho=1.5)
    with pytest.raises(ValueError, match="'etas\\[0\\]' must be in range of \\(0.0, 1.0\\)"):
        optim.Rprop(_params(), etas=(1.0, 1.2))
    with pytest.raises(ValueError, match="etas\\[1\\] must be greater than 1.0"):
        optim.Rprop(_params(), etas=(0.5, 1.0))
    with pytest.raises(TypeError, match="type of t0 must be float"):
        optim.ASGD(_params(), t0=10)
    with pytest.raises(ValueError, match="momentum must be greater than or equal to 0.0"):
        optim.RMSprop(_params(), momentum=-0.1)


def test_schedulers_drive_mint_optimizers_as_in_mindspore():
    ps, p0, grads = _start()
    opt = mint.optim.AdamW(ps, lr=0.1, weight_decay=0.0)
    sched = optim.lr_scheduler.StepLR(opt, 1, 0.5)
    assert isinstance(opt, optim.Optimizer) and opt.lrs[0].name == "learning_rate_group_0"
    p, m, v = p0[0], 0.0, 0.0
    for t, gs in enumerate(grads, 1):
        _run(opt, [gs])
        lr = _f32(0.1 * 0.5 ** (t - 1))
        m = 0.9 * m + 0.1 * gs[0]
        v = 0.999 * v + 0.001 * gs[0] ** 2
        p = p - lr / (1 - 0.9 ** t) * m / (np.sqrt(v) / np.sqrt(1 - 0.999 ** t) + 1e-8)
        sched.step()
    assert_close(ps[0].asnumpy(), p, rtol=1e-9)
    # SGD steps with the lr it was built with (MindSpore 2.10's lr_float), whatever the
    # scheduler writes into param_groups
    ps, p0, grads = _start()
    opt = mint.optim.SGD(ps, lr=0.1)
    sched = optim.lr_scheduler.StepLR(opt, 1, 0.5)
    for gs in grads:
        _run(opt, [gs])
        sched.step()
    assert_close(ps[0].asnumpy(), p0[0] - 0.1 * sum(gs[0] for gs in grads), rtol=1e-9)
    assert float(opt.param_groups[0]["lr"]) == pytest.approx(0.1 * 0.5 ** 5)
