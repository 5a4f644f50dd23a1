"""The optimizers of ``nn/optim3.py``: their Parameters laid out as MindSpore 2.10's (names,
shapes and order, measured in the side venv), a checkpoint round trip, LARS against its
documented formula (MindSpore's CPU build has no LARSUpdate kernel), training a small network,
and the arguments MindSpore refuses.  (Updates against recorded MindSpore runs:
``tests/ms_cases/cases/nlo_optim.py`` and ``nlo_optim_adafactor.py``.)
"""
from __future__ import annotations

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Parameter, Tensor, nn


def _params():
    w = Parameter(Tensor(np.array([[0.5, -1.0], [2.0, 0.1]], np.float32)), name="w")
    b = Parameter(Tensor(np.array([0.3, -0.2], np.float32)), name="b")
    return [w, b]


_G = (Tensor(np.array([[0.1, -0.2], [0.3, 0.05]], np.float32)),
      Tensor(np.array([0.2, -0.1], np.float32)))

# measured: [(p.name, p.shape) for p in opt.get_parameters()] in MindSpore 2.10
_HEAD = [("global_step", (1,)), ("learning_rate", ()), ("w", (2, 2)), ("b", (2,))]
LAYOUTS = {
    "AdaMax": _HEAD + [("beta1_power", (1,)), ("moment1.w", (2, 2)), ("moment1.b", (2,)),
                       ("moment2.w", (2, 2)), ("moment2.b", (2,))],
    "Adadelta": _HEAD + [("accum.w", (2, 2)), ("accum.b", (2,)), ("accum_update.w", (2, 2)),
                         ("accum_update.b", (2,))],
    "ASGD": _HEAD + [("mu_w", ()), ("mu_b", ()), ("eta_w", ()), ("eta_b", ()),
                     ("ax_.w", (2, 2)), ("ax_.b", (2,))],
    "Rprop": _HEAD + [("prev.w", (2, 2)), ("prev.b", (2,)), ("step_size.w", (2, 2)),
                      ("step_size.b", (2,))],
    "FTRL": _HEAD + [("moments.w", (2, 2)), ("moments.b", (2,)), ("linear.w", (2, 2)),
                     ("linear.b", (2,))],
    "ProximalAdagrad": _HEAD + [("accum.w", (2, 2)), ("accum.b", (2,))],
    "LazyAdam": _HEAD + [("beta1_power", (1,)), ("beta2_power", (1,)), ("moment1.w", (2, 2)),
                         ("moment1.b", (2,)), ("moment2.w", (2, 2)), ("moment2.b", (2,))],
    "AdaFactor": _HEAD + [("exp_avg.w", (2, 2)), ("exp_avg.b", (2,)),
                          ("exp_avg_sq_row_w", (2,)), ("exp_avg_sq_row_b", (1,)),
                          ("exp_avg_sq_col_w", (2,)), ("exp_avg_sq_col_b", (1,)),
                          ("exp_avg_sq_w", (1,)), ("exp_avg_sq_b", (2,)),
                          ("afactor_step", (1,))],
}


def _make(name, params):
    if name == "AdaFactor":
        return nn.AdaFactor(params)
    return getattr(nn, name)(params, learning_rate=0.1)


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_parameters_are_laid_out_as_in_mindspore(name):
    opt = _make(name, _params())
    assert [(p.name, tuple(p.shape)) for p in opt.get_parameters()] == LAYOUTS[name]


def test_lars_parameters_are_laid_out_as_in_mindspore():
    opt = nn.LARS(nn.Momentum(_params(), 0.1, 0.9))
    assert [(p.name, tuple(p.shape)) for p in opt.get_parameters()] == [
        ("global_step", (1,)), ("fake_lr", ()), ("fake_param", ()), ("w", (2, 2)),
        ("b", (2,)), ("learning_rate", ()), ("momentum", ()), ("moments.w", (2, 2)),
        ("moments.b", (2,))]


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_a_checkpoint_restores_the_state(name, tmp_path):
    opt = _make(name, _params())
    for _ in range(2):
        opt(_G)
    path = str(tmp_path / "opt.ckpt")
    ms.save_checkpoint(opt, path)
    fresh = _make(name, _params())
    ms.load_param_into_net(fresh, ms.load_checkpoint(path))
    opt(_G)
    fresh(_G)
    for p, q in zip(opt.get_parameters(), fresh.get_parameters()):
        np.testing.assert_array_equal(p.asnumpy(), q.asnumpy(), err_msg=p.name)


def _lars_reference(w, g, wd, lr, coefficient=0.001, eps=1e-5, clip=False, scale=1.0):
    g = g / scale
    wd = wd / scale
    wn, gn = np.linalg.norm(w), np.linalg.norm(g)
    ratio = coefficient * wn / (gn + wd * wn + eps) if wn > 0 and gn > 0 else 1.0
    if clip:
        ratio = min(ratio / lr, 1.0)
    return ratio * (g + wd * w)


@pytest.mark.parametrize("wd, clip, scale", [(0.0, False, 1.0), (0.1, False, 1.0),
                                             (0.05, True, 1.0), (0.1, False, 4.0)])
def test_lars_is_the_documented_formula(wd, clip, scale):
    params = _params()
    params[1].name = "dense.bias"  # the default filter leaves it out
    w0 = [p.asnumpy().copy() for p in params]
    inner = nn.Momentum(params, 0.1, 0.9, weight_decay=wd, loss_scale=scale)
    opt = nn.LARS(inner, use_clip=clip)
    moments = [np.zeros_like(w) for w in w0]
    ws = [w.copy() for w in w0]
    for step in range(3):
        grads = [g.asnumpy() * (step + 1) for g in _G]
        opt(tuple(Tensor(g) for g in grads))
        for k in range(2):
            if k == 0:
                # (the inner optimizer decays only parameters without 'beta'/'gamma')
                g = _lars_reference(ws[k], grads[k], wd, 0.1, clip=clip, scale=scale)
            else:
                g = grads[k] / scale
            moments[k] = 0.9 * moments[k] + g
            ws[k] = ws[k] - 0.1 * moments[k]
    for p, want in zip(params, ws):
        np.testing.assert_allclose(p.asnumpy(), want, rtol=1e-5, atol=1e-7)
    assert int(opt.global_step.asnumpy()[0]) == 3


@pytest.mark.parametrize("name", sorted(LAYOUTS) + ["LARS"])
def test_training_reduces_the_loss(name):
    rs = np.random.RandomState(0)
    x = Tensor(rs.standard_normal((16, 4)).astype(np.float32))
    y = Tensor((x.asnumpy() @ rs.standard_normal((4, 1))).astype(np.float32))
    net = nn.Dense(4, 1)
    if name == "LARS":
        opt = nn.LARS(nn.Momentum(net.trainable_params(), 0.05, 0.9), coefficient=0.5)
    elif name == "Adadelta":  # (its first steps are ~sqrt(epsilon): a larger one)
        opt = nn.Adadelta(net.trainable_params(), learning_rate=1.0, epsilon=1e-2)
    elif name == "AdaFactor":
        opt = nn.AdaFactor(net.trainable_params(), learning_rate=0.1, relative_step=False)
    else:
        lr = {"FTRL": 0.5, "ProximalAdagrad": 0.3, "Rprop": 0.01}.get(name, 0.05)
        opt = getattr(nn, name)(net.trainable_params(), learning_rate=lr)
    step = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), opt)
    first = float(step(x, y).asnumpy())
    for _ in range(30):
        last = float(step(x, y).asnumpy())
    assert last < 0.7 * first, (first, last)


def test_a_bad_gradient_changes_nothing():
    opt = nn.AdaMax(_params(), learning_rate=0.1)
    before = [p.asnumpy().copy() for p in opt.get_parameters()]
    with pytest.raises(ValueError):
        opt((_G[0], Tensor(np.zeros((3,), np.float32))))
    for p, b in zip(opt.get_parameters(), before):
        np.testing.assert_array_equal(p.asnumpy(), b)


@pytest.mark.parametrize("make, exc", [
    (lambda ps: nn.AdaMax(ps, beta1=1.0), ValueError),
    (lambda ps: nn.AdaMax(ps, eps=1), TypeError),
    (lambda ps: nn.Adadelta(ps, rho=1.5), ValueError),
    (lambda ps: nn.Rprop(ps, etas=(0.5, 1.0)), ValueError),
    (lambda ps: nn.Rprop(ps, etas=[0.5, 1.2]), TypeError),
    (lambda ps: nn.Rprop(ps, step_sizes=(1.0, 0.1)), ValueError),
    (lambda ps: nn.FTRL(ps, lr_power=0.5), ValueError),
    (lambda ps: nn.FTRL(ps, learning_rate=[0.1, 0.2]), ValueError),
    (lambda ps: nn.ProximalAdagrad(ps, l1=-1.0), ValueError),
    (lambda ps: nn.LazyAdam(ps, beta1=1), TypeError),
    (lambda ps: nn.AdaFactor(ps, learning_rate=0.1), ValueError),
    (lambda ps: nn.AdaFactor(ps, warmup_init=True, relative_step=False, learning_rate=0.1),
     ValueError),
    (lambda ps: nn.LARS(nn.Momentum(ps, 0.1, 0.9), epsilon=1), TypeError),
    (lambda ps: nn.LARS(ps), TypeError),
])
def test_bad_arguments_raise(make, exc):
    with pytest.raises(exc):
        make(_params())
