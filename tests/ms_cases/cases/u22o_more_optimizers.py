"""mindspore.experimental.optim's other eight optimizers (Adagrad, RMSprop, Adadelta, Adamax,
ASGD, NAdam, RAdam, Rprop), each fed a fixed gradient sequence for a few steps: defaults,
weight decay, their own flags (lr_decay, initial_accumulator_value, centered, momentum,
maximize, t0, momentum_decay, etas, step_sizes) and parameter groups with their own options;
Adagrad under StepLR; NAdam and RAdam training a small linear model with value_and_grad."""
import numpy as np
import mindspore
from mindspore import Parameter, Tensor, nn
from mindspore.experimental import optim

GRADS = np.random.default_rng(11).normal(size=(7, 7)).astype(np.float32)


def params():
    w = Parameter(Tensor(np.array([[0.5, -1.0, 2.0], [0.1, 0.3, -0.7]], np.float32)), name="w")
    b = Parameter(Tensor(np.array([0.2], np.float32)), name="b")
    return w, b


def drive(out, tag, make_opt, make_sched=None):
    w, b = params()
    opt = make_opt(w, b)
    sched = make_sched(opt) if make_sched else None
    for g in GRADS:
        opt((Tensor(g[:6].reshape(2, 3)), Tensor(g[6:])))
        if sched is not None:
            sched.step()
    out[tag + "/w"] = w.value()
    out[tag + "/b"] = b.value()


def train(out, tag, make_opt):
    np.random.seed(0)
    x = Tensor(np.random.default_rng(3).normal(size=(8, 3)).astype(np.float32))
    y = Tensor(np.random.default_rng(4).normal(size=(8, 2)).astype(np.float32))
    net = nn.Dense(3, 2, weight_init="ones", bias_init="zeros")
    opt = make_opt(net.trainable_params())
    loss_fn = nn.MSELoss()

    def forward(a, t):
        return loss_fn(net(a), t)

    grad_fn = mindspore.value_and_grad(forward, None, opt.parameters)
    losses = []
    for _ in range(5):
        loss, grads = grad_fn(x, y)
        opt(grads)
        losses.append(float(loss))
    out[tag + "/losses"] = np.array(losses)
    for p in net.trainable_params():
        out[tag + "/" + p.name] = p.value()


def run():
    out = {}
    o = optim
    drive(out, "adagrad", lambda w, b: o.Adagrad([w, b], lr=0.1))
    drive(out, "adagrad_flags", lambda w, b: o.Adagrad(
        [{"params": [w], "lr_decay": 0.3}, {"params": [b], "lr": 0.3, "weight_decay": 0.2}],
        lr=0.05, initial_accumulator_value=0.1, eps=1e-3, maximize=True),
        lambda opt: o.lr_scheduler.StepLR(opt, 2, 0.5))
    drive(out, "rmsprop", lambda w, b: o.RMSprop([w, b], lr=0.01))
    drive(out, "rmsprop_flags", lambda w, b: o.RMSprop(
        [{"params": [w], "centered": True, "momentum": 0.5},
         {"params": [b], "lr": 0.05, "weight_decay": 0.1, "alpha": 0.9}],
        lr=0.02, maximize=True))
    drive(out, "rmsprop_centered", lambda w, b: o.RMSprop([w, b], centered=True, eps=1e-3))
    drive(out, "adadelta", lambda w, b: o.Adadelta([w, b]))
    drive(out, "adadelta_flags", lambda w, b: o.Adadelta(
        [{"params": [w], "rho": 0.5}, {"params": [b], "lr": 0.5, "weight_decay": 0.3}],
        lr=2.0, eps=1e-4, maximize=True))
    drive(out, "adamax", lambda w, b: o.Adamax([w, b], lr=0.1))
    drive(out, "adamax_flags", lambda w, b: o.Adamax(
        [{"params": [w], "betas": (0.5, 0.8)}, {"params": [b], "lr": 0.2, "weight_decay": 0.5}],
        lr=0.05, eps=1e-2, maximize=True))
    drive(out, "asgd", lambda w, b: o.ASGD([w, b], lr=0.1))
    drive(out, "asgd_flags", lambda w, b: o.ASGD(
        [{"params": [w], "t0": 2.0, "lambd": 0.1}, {"params": [b], "lr": 0.3, "weight_decay": 0.2,
                                                    "alpha": 0.5}],
        lr=0.05, t0=3.0, maximize=True))
    drive(out, "nadam", lambda w, b: o.NAdam([w, b], lr=0.05))
    drive(out, "nadam_flags", lambda w, b: o.NAdam(
        [{"params": [w], "momentum_decay": 0.5}, {"params": [b], "lr": 0.1, "weight_decay": 0.3,
                                                  "betas": (0.8, 0.9)}],
        lr=0.02, eps=1e-3))
    drive(out, "radam", lambda w, b: o.RAdam([w, b], lr=0.05))
    drive(out, "radam_flags", lambda w, b: o.RAdam(
        [{"params": [w], "betas": (0.5, 0.6)}, {"params": [b], "lr": 0.1, "weight_decay": 0.3}],
        lr=0.02, eps=1e-3, betas=(0.9, 0.8)))
    drive(out, "rprop", lambda w, b: o.Rprop([w, b], lr=0.05))
    drive(out, "rprop_flags", lambda w, b: o.Rprop(
        [{"params": [w], "etas": (0.3, 1.5), "step_sizes": (0.01, 0.08)},
         {"params": [b], "lr": 0.2}], lr=0.03, maximize=True))
    train(out, "train_nadam", lambda ps: o.NAdam(ps, lr=0.1))
    train(out, "train_radam", lambda ps: o.RAdam(ps, lr=0.1, betas=(0.9, 0.6)))
    return out
