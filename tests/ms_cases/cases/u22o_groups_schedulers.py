"""mindspore.experimental.optim with parameter groups (own lr / weight_decay), maximize,
AdamW amsgrad, Adam's L2 weight decay and SGD's groups, fed a fixed gradient sequence; and
the schedulers PolynomialLR, ConstantLR, MultiplicativeLR, CyclicLR (triangular2, exp_range),
CosineAnnealingWarmRestarts, ReduceLROnPlateau, step(epoch) closed forms and SequentialLR
across three phases (get_last_lr of every group recorded each step)."""
import numpy as np
from mindspore import Parameter, Tensor
from mindspore.experimental import optim

GRADS = np.random.default_rng(5).normal(size=(6, 7)).astype(np.float32)


def params():
    w = Parameter(Tensor(np.array([[0.5, -1.0, 2.0], [0.1, 0.3, -0.7]], np.float32)), name="w")
    b = Parameter(Tensor(np.array([0.2], np.float32)), name="b")
    return w, b


def drive(out, tag, make_opt, make_sched=None, metric=None):
    w, b = params()
    opt = make_opt(w, b)
    sched = make_sched(opt) if make_sched else None
    lrs = []
    for t, g in enumerate(GRADS):
        opt((Tensor(g[:6].reshape(2, 3)), Tensor(g[6:])))
        if sched is not None:
            if metric is not None:
                sched.step(metric[t])
            else:
                sched.step()
            lrs.append([float(x) for x in sched.get_last_lr()])
    out[tag + "/w"] = w.value()
    out[tag + "/b"] = b.value()
    if lrs:
        out[tag + "/lrs"] = np.array(lrs)


def lrs_only(out, tag, make_sched, steps=8, lr=0.1, epochs=None):
    w, b = params()
    opt = optim.SGD([{"params": [w]}, {"params": [b], "lr": lr * 2}], lr=lr)
    sched = make_sched(opt)
    got = [[float(x) for x in sched.get_last_lr()]]
    for t in range(steps):
        if epochs is None:
            sched.step()
        else:
            sched.step(epochs[t])
        got.append([float(x) for x in sched.get_last_lr()])
    out[tag] = np.array(got)


def run():
    out = {}
    drive(out, "adam_groups", lambda w, b: optim.Adam(
        [{"params": [w], "weight_decay": 0.1}, {"params": [b], "lr": 0.2, "betas": (0.8, 0.9)}],
        lr=0.05, amsgrad=True), lambda o: optim.lr_scheduler.StepLR(o, 2, 0.5))
    drive(out, "adam_max", lambda w, b: optim.Adam([w, b], lr=0.03, maximize=True, eps=1e-3))
    drive(out, "adamw_ams", lambda w, b: optim.AdamW(
        [{"params": [w]}, {"params": [b], "weight_decay": 0.5, "lr": 0.1}], lr=0.05,
        amsgrad=True, betas=(0.7, 0.95)))
    drive(out, "adamw_max", lambda w, b: optim.AdamW([w, b], lr=0.02, maximize=True))
    drive(out, "sgd_groups", lambda w, b: optim.SGD(
        [{"params": [w], "momentum": 0.5, "dampening": 0.2},
         {"params": [b], "lr": 0.3, "weight_decay": 0.2, "nesterov": True, "momentum": 0.9}],
        lr=0.1), lambda o: optim.lr_scheduler.ExponentialLR(o, 0.9))
    drive(out, "sgd_max", lambda w, b: optim.SGD([w, b], lr=0.1, momentum=0.8, maximize=True))
    drive(out, "sgd_plateau", lambda w, b: optim.SGD([w, b], lr=0.1),
          lambda o: optim.lr_scheduler.ReduceLROnPlateau(o, factor=0.5, patience=1,
                                                         cooldown=1, min_lr=0.02),
          metric=[1.0, 0.9, 0.95, 0.97, 0.99, 0.5])
    sch = optim.lr_scheduler
    lrs_only(out, "poly", lambda o: sch.PolynomialLR(o, total_iters=5, power=2.0))
    lrs_only(out, "constant", lambda o: sch.ConstantLR(o, factor=0.25, total_iters=3))
    lrs_only(out, "multiplicative", lambda o: sch.MultiplicativeLR(o, lambda e: 0.9))
    lrs_only(out, "lambda_groups", lambda o: sch.LambdaLR(
        o, [lambda e: 1.0 / (e + 1), lambda e: 0.5 ** e]))
    lrs_only(out, "cyclic_tri2", lambda o: sch.CyclicLR(o, 0.01, 0.1, step_size_up=2,
                                                        mode="triangular2"), steps=12)
    lrs_only(out, "cyclic_exp", lambda o: sch.CyclicLR(o, [0.01, 0.02], [0.1, 0.3],
                                                       step_size_up=3, step_size_down=2,
                                                       mode="exp_range", gamma=0.9), steps=12)
    lrs_only(out, "warm_restarts", lambda o: sch.CosineAnnealingWarmRestarts(
        o, T_0=3, T_mult=2, eta_min=0.001), steps=12)
    lrs_only(out, "warm_restarts1", lambda o: sch.CosineAnnealingWarmRestarts(o, T_0=4),
             steps=9)
    lrs_only(out, "cosine_long", lambda o: sch.CosineAnnealingLR(o, T_max=3, eta_min=0.01),
             steps=10)
    lrs_only(out, "linear_end", lambda o: sch.LinearLR(o, 1.0, 0.2, total_iters=4), steps=6)
    lrs_only(out, "step_epochs", lambda o: sch.StepLR(o, 2, 0.5), steps=4,
             epochs=[3, 5, 1, 4])
    lrs_only(out, "exp_epochs", lambda o: sch.ExponentialLR(o, 0.5), steps=3, epochs=[2, 0, 3])
    lrs_only(out, "cosine_epochs", lambda o: sch.CosineAnnealingLR(o, T_max=4), steps=3,
             epochs=[1, 3, 6])
    lrs_only(out, "seq3", lambda o: sch.SequentialLR(o, [
        sch.ConstantLR(o, factor=0.5, total_iters=2), sch.ExponentialLR(o, 0.8),
        sch.CosineAnnealingLR(o, T_max=3)], milestones=[2, 5]), steps=9)
    return out
