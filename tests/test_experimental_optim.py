"""``autograd_st.experimental.optim``: MindSpore 2.x's PyTorch-style optimizers and schedulers.

The recorded MindSpore 2.10 runs (tests/ms_cases/cases/u22_experimental_optim.py and
u22o_groups_schedulers.py, compared by tests/test_ms_cases.py) pin the numbers MindSpore
gives; here every update is written out again in numpy (float64 Parameters) and checked
step by step, with what a recording cannot show: the shared learning-rate Parameters, the
snapshot semantics of get_last_lr, the all-or-nothing step, groups added later, a subclass of
one's own, and the errors.
"""
from __future__ import annotations

import math

import numpy as np
import pytest
from helpers import assert_close, fd
from optim_steps import f32 as _f32
from optim_steps import grads as _grads
from optim_steps import params as _params
from optim_steps import pow32 as _pow32
from optim_steps import run as _run

import autograd_st as ms
from autograd_st import Parameter, Tensor, ops
from autograd_st.errors import InputValueError
from autograd_st.experimental import optim


def test_adam_groups_match_hand_computed_updates():
    w, b = _params()
    p0 = [w.asnumpy().copy(), b.asnumpy().copy()]
    grads = _grads(4)
    opt = optim.Adam([{"params": [w], "weight_decay": 0.1},
                      {"params": [b], "lr": 0.2, "betas": (0.8, 0.9)}], lr=0.05, eps=1e-6)
    _run(opt, grads)
    # MindSpore's Adam kernel: eps added to sqrt(v), the bias correction folded into lr
    for k, (lr, b1, b2, wd) in enumerate([(0.05, 0.9, 0.999, 0.1), (0.2, 0.8, 0.9, 0.0)]):
        p, m, v = p0[k].copy(), 0.0, 0.0
        for t, gs in enumerate(grads, 1):
            g = gs[k] + wd * p
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            lr_t = _f32(lr) * math.sqrt(1 - _pow32(b2, t)) / (1 - _pow32(b1, t))
            p = p - lr_t * m / (np.sqrt(v) + 1e-6)
        assert_close([w, b][k].asnumpy(), p, rtol=1e-6)
        assert_close(opt.exp_avg[k].asnumpy(), m, rtol=1e-6)
    assert int(opt.state_step.asnumpy()) == 4


def test_adam_amsgrad_is_accepted_and_unused_as_in_mindspore():
    # MindSpore 2.10 (measured): Adam(amsgrad=True) gives the numbers of amsgrad=False
    results = []
    for flag in (False, True):
        params = _params()
        _run(optim.Adam(params, lr=0.1, amsgrad=flag), _grads(5))
        results.append([p.asnumpy().copy() for p in params])
    assert_close(results[0][0], results[1][0], rtol=0, atol=0)


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adamw_matches_hand_computed_updates(amsgrad):
    w, b = _params()
    p0 = w.asnumpy().copy()
    grads = _grads(4)
    opt = optim.AdamW([w, b], lr=0.05, betas=(0.7, 0.95), weight_decay=0.3, amsgrad=amsgrad)
    _run(opt, grads)
    p, m, v, vmax = p0, 0.0, 0.0, 0.0
    for t, gs in enumerate(grads, 1):
        p = p * _f32(1 - _f32(_f32(0.05) * _f32(0.3)))
        m = 0.7 * m + 0.3 * gs[0]
        v = 0.95 * v + 0.05 * gs[0] ** 2
        vmax = np.maximum(vmax, v)
        denom = np.sqrt(vmax if amsgrad else v) / _f32(math.sqrt(_f32(1 - _pow32(0.95, t)))) + 1e-8
        p = p - m / denom * _f32(_f32(0.05) / _f32(1 - _pow32(0.7, t)))
    assert_close(w.asnumpy(), p, rtol=1e-6)


@pytest.mark.parametrize("nesterov,dampening", [(False, 0.3), (True, 0.0)])
def test_sgd_momentum_matches_hand_computed_updates(nesterov, dampening):
    w, b = _params()
    p0 = w.asnumpy().copy()
    grads = _grads(4)
    opt = optim.SGD([w, b], lr=0.1, momentum=0.9, dampening=dampening, weight_decay=0.05,
                    nesterov=nesterov)
    _run(opt, grads)
    p, buf = p0, None
    for gs in grads:
        g = gs[0] + 0.05 * p
        buf = g if buf is None else _f32(0.9) * buf + (1 - dampening) * g  # first: undamped
        p = p - _f32(0.1) * (g + _f32(0.9) * buf if nesterov else buf)
    assert_close(w.asnumpy(), p, rtol=1e-6)


@pytest.mark.parametrize("make", [lambda ps, **k: optim.Adam(ps, lr=0.1, **k),
                                  lambda ps, **k: optim.AdamW(ps, lr=0.1, **k),
                                  lambda ps, **k: optim.SGD(ps, lr=0.1, momentum=0.5, **k)])
def test_maximize_steps_along_the_gradient(make):
    up, down = _params(), _params()
    grads = _grads(3)
    _run(make(up, maximize=True), grads)
    _run(make(down), [tuple(-g for g in gs) for gs in grads])
    assert_close(up[0].asnumpy(), down[0].asnumpy(), rtol=1e-12)


def test_training_loop_with_value_and_grad_and_a_scheduler():
    w = Parameter(np.array([1.0, -2.0, 0.5]), name="w")
    x = Tensor(np.array([[0.3, 0.1, -0.2], [0.5, -0.4, 0.9]]))

    def loss_fn(x):
        return ops.sum(ops.tanh(ops.matmul(x, w)) ** 2)

    opt = optim.SGD([w], lr=0.5)
    sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    grad_fn = ms.value_and_grad(loss_fn, None, opt.parameters)
    expected = w.asnumpy().copy()
    for epoch in range(3):
        g_fd = fd(lambda v: float(np.sum(np.tanh(x.asnumpy() @ v) ** 2)), expected)
        _, grads = grad_fn(x)
        assert_close(grads[0].asnumpy(), g_fd, rtol=1e-6, atol=1e-8)
        opt(grads)
        expected = expected - 0.5 * 0.5 ** epoch * g_fd
        sched.step()
        assert_close(w.asnumpy(), expected, rtol=1e-6, atol=1e-8)


def test_lr_parameters_are_shared_and_get_last_lr_gives_float32_copies():
    opt = optim.Adam(_params(), lr=1)
    lr = opt.param_groups[0]["lr"]
    assert isinstance(lr, Parameter) and lr is opt.lrs[0]
    assert lr.name == "learning_rate_group_0" and lr.asnumpy().dtype == np.float32
    sched = optim.lr_scheduler.StepLR(opt, 1, 0.5)
    before = sched.get_last_lr()
    sched.step()
    assert float(before[0]) == 1.0 and float(sched.get_last_lr()[0]) == 0.5
    assert sched.get_last_lr()[0].dtype == ms.float32
    assert float(lr.asnumpy()) == 0.5 and float(opt.param_groups[0]["initial_lr"]) == 1.0
    assert [p.name for p in opt.get_parameters()][:2] == ["w", "b"]
    assert "learning_rate_group_0" not in [p.name for p in opt.get_parameters()]


def test_a_float_put_in_a_group_is_used_as_its_lr():
    w, b = _params()
    opt = optim.SGD([w, b], lr=0.1)
    opt.param_groups[0]["lr"] = 0.5
    g = _grads(1)[0]
    before = w.asnumpy().copy()
    _run(opt, [g])
    assert_close(w.asnumpy(), before - np.float32(0.5) * g[0], rtol=1e-12)


def _lrs(make, steps, epochs=None, lr=0.1):
    opt = optim.SGD(_params(), lr=lr)
    sched = make(opt)
    out = [float(sched.get_last_lr()[0])]
    for t in range(steps):
        sched.step() if epochs is None else sched.step(epochs[t])
        out.append(float(sched.get_last_lr()[0]))
    return np.array(out)


def test_schedulers_follow_their_formulas():
    sch = optim.lr_scheduler
    assert_close(_lrs(lambda o: sch.MultiStepLR(o, [2, 2, 4], 0.5), 5),
                 [0.1, 0.1, 0.025, 0.025, 0.0125, 0.0125], rtol=1e-6)
    cos = _lrs(lambda o: sch.CosineAnnealingLR(o, T_max=4, eta_min=0.01), 8)
    closed = [0.01 + 0.09 * (1 + math.cos(math.pi * e / 4)) / 2 for e in range(9)]
    assert_close(cos, closed, rtol=1e-5, atol=1e-7)  # the chained form, also past T_max
    assert_close(_lrs(lambda o: sch.PolynomialLR(o, total_iters=4, power=2.0), 5),
                 [0.1 * (1 - min(e, 4) / 4) ** 2 for e in range(6)], rtol=1e-5, atol=1e-8)
    assert_close(_lrs(lambda o: sch.LinearLR(o, 0.5, 1.0, total_iters=2), 3),
                 [0.05, 0.075, 0.1, 0.1], rtol=1e-6)
    assert_close(_lrs(lambda o: sch.StepLR(o, 2, 0.5), 2, epochs=[5, 1]),
                 [0.1, 0.025, 0.1], rtol=1e-6)  # step(epoch): the closed form
    warm = _lrs(lambda o: sch.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2), 6)
    t_cur = [0, 1, 0, 1, 2, 3, 0]
    t_i = [2, 2, 4, 4, 4, 4, 8]
    assert_close(warm, [0.05 * (1 + math.cos(math.pi * c / i)) for c, i in zip(t_cur, t_i)],
                 rtol=1e-5, atol=1e-8)


def test_sequential_and_plateau():
    sch = optim.lr_scheduler
    seq = _lrs(lambda o: sch.SequentialLR(o, [sch.ConstantLR(o, 0.5, total_iters=5),
                                              sch.ExponentialLR(o, 0.5)], milestones=[2]), 4)
    assert_close(seq, [0.05, 0.05, 0.1, 0.05, 0.025], rtol=1e-6)
    opt = optim.SGD(_params(), lr=0.1)
    plateau = sch.ReduceLROnPlateau(opt, factor=0.5, patience=1, min_lr=0.03)
    got = []
    for metric in [1.0, 1.0, 1.0, 0.5, 0.6, 0.7, 0.8, 0.9]:
        plateau.step(metric)
        got.append(float(plateau.get_last_lr()[0]))
    assert_close(got, [0.1, 0.1, 0.05, 0.05, 0.05, 0.03, 0.03, 0.03], rtol=1e-6)


def test_multisteplr_step_with_an_epoch_fails_as_in_mindspore():
    sched = optim.lr_scheduler.MultiStepLR(optim.SGD(_params(), lr=0.1), [1])
    with pytest.raises(AttributeError, match="without an epoch"):
        sched.step(3)


def test_a_bad_step_writes_nothing():
    w, b = _params()
    opt = optim.Adam([w, b], lr=0.1)
    before = w.asnumpy().copy()
    with pytest.raises(InputValueError, match="2 parameters"):
        opt((Tensor(np.ones((3, 2))),))
    with pytest.raises(InputValueError, match="shape"):
        opt((Tensor(np.ones((3, 2))), Tensor(np.ones(3))))
    assert_close(w.asnumpy(), before, rtol=0, atol=0)
    assert int(opt.state_step.asnumpy()) == 0


def test_group_added_later_gets_state_and_steps():
    w, b = _params()
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    opt.add_param_group({"params": b, "lr": 0.5})
    assert len(opt.parameters) == 2 and len(opt.accum) == 2 and opt.group_start_id == [0, 1, 2]
    g = _grads(1)[0]
    before = b.asnumpy().copy()
    _run(opt, [g])
    assert_close(b.asnumpy(), before - 0.5 * g[1], rtol=1e-6)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [w]})


def test_an_optimizer_of_ones_own():
    class MySGD(optim.Optimizer):
        def __init__(self, params, lr):
            super().__init__(params, dict(lr=lr))

        def construct(self, gradients):
            for group_id, group in enumerate(self.param_groups):
                start = self.group_start_id[group_id]
                for i, param in enumerate(group["params"]):
                    ops.assign(param, param - gradients[start + i] * group["lr"])
            return True

    w, b = _params()
    before = w.asnumpy().copy()
    opt = MySGD([w, b], 0.25)
    g = _grads(1)[0]
    opt(tuple(Tensor(x) for x in g))
    assert_close(w.asnumpy(), before - 0.25 * g[0], rtol=1e-6)


def test_argument_errors():
    with pytest.raises(ValueError, match="Invalid learning rate"):
        optim.Adam(_params(), lr=-1.0)
    with pytest.raises(ValueError, match="nesterov"):
        optim.SGD(_params(), lr=0.1, nesterov=True)
    with pytest.raises(TypeError, match="Optimizer"):
        optim.lr_scheduler.StepLR(ms.nn.SGD(_params()), 1)
    with pytest.raises(TypeError, match="list instead"):
        optim.SGD([{"params": set(_params())}], lr=0.1)
    with pytest.raises(ValueError, match="not be empty"):
        optim.AdamW([], lr=0.1)
