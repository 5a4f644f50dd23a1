"""Resuming training from a checkpoint MindSpore 2.10 wrote of a whole train network (a
Model-style TrainOneStepCell: network, Momentum and its state; Adam with a per-step lr
list; tests/fixtures/checkpoints/tr2_resume_*.ckpt, made by
tools/make_tr2_resume_fixture.py with this file's save_fixtures()): load_checkpoint +
load_param_into_net into a fresh train network (nothing left unloaded either way), then the
next steps' losses and weights, which must be MindSpore's."""
import os

import numpy as np
import mindspore as ms
from mindspore import nn, Tensor

X = np.array([[1.0, -2.0, 0.5], [0.3, 0.8, -1.0], [-0.7, 0.1, 0.9], [0.2, 0.2, 0.2]],
             np.float32)
Y = np.array([[1.0], [-1.0], [0.5], [0.0]], np.float32)


def _folder():
    here = os.getcwd()
    while not os.path.isdir(os.path.join(here, "tests", "fixtures", "checkpoints")):
        parent = os.path.dirname(here)
        if parent == here:
            raise FileNotFoundError("run from the repository: tests/fixtures/checkpoints")
        here = parent
    return os.path.join(here, "tests", "fixtures", "checkpoints")


def build(kind, seed):
    net = nn.SequentialCell([nn.Dense(3, 4), nn.Tanh(), nn.Dense(4, 1)])
    rng = np.random.default_rng(seed)
    for p in net.trainable_params():
        p.set_data(Tensor(rng.normal(0.0, 0.5, p.shape).astype(np.float32)))
    if kind == "momentum":
        opt = nn.Momentum(net.trainable_params(), learning_rate=0.05, momentum=0.9,
                          weight_decay=0.01)
    else:
        opt = nn.Adam(net.trainable_params(), learning_rate=[0.05, 0.04, 0.03, 0.02, 0.01, 0.01])
    return net, opt, nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), opt)


def save_fixtures(folder):
    """(Run under MindSpore by tools/make_tr2_resume_fixture.py.)"""
    for kind in ("momentum", "adam"):
        _, _, step = build(kind, 0)
        for _ in range(3):
            step(Tensor(X), Tensor(Y))
        ms.save_checkpoint(step, os.path.join(folder, "tr2_resume_%s.ckpt" % kind))


def run():
    out = {}
    for kind in ("momentum", "adam"):
        net, opt, step = build(kind, 5)
        params = ms.load_checkpoint(os.path.join(_folder(), "tr2_resume_%s.ckpt" % kind))
        out[kind + "/keys"] = float(len(params))
        not_loaded, ckpt_not_loaded = ms.load_param_into_net(step, params)
        out[kind + "/param_not_load"] = float(len(not_loaded))
        out[kind + "/ckpt_not_load"] = float(len(ckpt_not_loaded))
        out[kind + "/global_step"] = opt.global_step.asnumpy().astype(np.float64)
        out[kind + "/losses"] = np.array([float(step(Tensor(X), Tensor(Y)).asnumpy())
                                          for _ in range(3)])
        for name, p in net.parameters_and_names():
            out[kind + "/w/" + name] = p.asnumpy()
    return out
