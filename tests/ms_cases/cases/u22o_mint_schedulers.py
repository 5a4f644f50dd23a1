"""experimental.optim.lr_scheduler driving mindspore.mint.optim optimizers (MindSpore 2.10's
mint.optim classes derive from experimental.optim.Optimizer): Adam under StepLR and SGD
(momentum, two groups) under CosineAnnealingLR, stepped under jit (mint's optimizers update
nothing in PyNative mode on CPU) with the learning rates each epoch; AdamW with StepLR and
CosineAnnealingLR, its groups' learning rates only (MindSpore 2.10's CPU build has no AdamW
kernel to step it)."""
import numpy as np
import mindspore as ms
from mindspore import Parameter, Tensor, mint
from mindspore.experimental import optim

GRADS = np.random.default_rng(7).normal(size=(6, 4)).astype(np.float32)


def params():
    w = Parameter(Tensor(np.array([0.5, -1.0, 2.0], np.float32)), name="w")
    b = Parameter(Tensor(np.array([0.2], np.float32)), name="b")
    return w, b


def drive(out, tag, opt, sched, w, b):
    @ms.jit
    def step(gw, gb):
        opt((gw, gb))
        return True

    lrs = []
    for g in GRADS:
        step(Tensor(g[:3]), Tensor(g[3:]))
        sched.step()
        lrs.append([float(x) for x in sched.get_last_lr()])
    out[tag + "/w"] = w.value()
    out[tag + "/b"] = b.value()
    out[tag + "/lrs"] = np.array(lrs)
    out[tag + "/group_lrs"] = np.array([float(g["lr"]) for g in opt.param_groups])


def run():
    out = {}
    sch = optim.lr_scheduler
    w, b = params()
    opt = mint.optim.Adam([{"params": [w]}, {"params": [b], "lr": 0.2}], lr=0.05,
                          weight_decay=0.1)
    drive(out, "adam_steplr", opt, sch.StepLR(opt, 2, 0.5), w, b)
    w, b = params()
    opt = mint.optim.SGD([{"params": [w], "momentum": 0.9}, {"params": [b], "lr": 0.3}],
                         lr=0.1)
    drive(out, "sgd_cosine", opt, sch.CosineAnnealingLR(opt, T_max=4, eta_min=0.01), w, b)
    for tag, make in (("adamw_steplr", lambda o: sch.StepLR(o, 2, 0.3)),
                      ("adamw_cosine", lambda o: sch.CosineAnnealingLR(o, T_max=5))):
        w, b = params()
        opt = mint.optim.AdamW([{"params": [w]}, {"params": [b], "lr": 0.02}], lr=0.01)
        sched = make(opt)
        lrs = []
        for _ in range(7):
            sched.step()
            lrs.append([float(x) for x in sched.get_last_lr()]
                       + [float(g["lr"]) for g in opt.param_groups])
        out[tag + "/lrs"] = np.array(lrs)
    return out
