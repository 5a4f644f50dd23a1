"""Parameter groups with their own dynamic learning rates: one group on a per-step list,
another on a LearningRateSchedule Cell, the default a constant; Momentum / Adam trained
by the functional loop; get_lr each step, the final weights, the checkpoint keys a
save_checkpoint of the optimizer writes and the walk names of optimizer.parameters_and_names."""
import os
import tempfile

import numpy as np
import mindspore as ms
from mindspore import nn, Tensor


def run():
    out = {}
    rng = np.random.default_rng(12)
    x = Tensor(rng.normal(size=(5, 3)).astype(np.float32))
    y = Tensor(rng.normal(size=(5, 2)).astype(np.float32))
    for tag in ("momentum", "adam"):
        net = nn.SequentialCell([nn.Dense(3, 3), nn.ReLU(), nn.Dense(3, 2)])
        for p in net.trainable_params():
            p.set_data(Tensor(rng.normal(0.0, 0.5, p.shape).astype(np.float32)))
        ps = net.trainable_params()
        groups = [{"params": ps[:2], "lr": [0.1, 0.08, 0.06, 0.04, 0.02, 0.01]},
                  {"params": ps[2:3], "lr": nn.ExponentialDecayLR(0.05, 0.5, 2)},
                  {"params": ps[3:]}]
        if tag == "momentum":
            opt = nn.Momentum(groups, learning_rate=0.03, momentum=0.9)
        else:
            opt = nn.Adam(groups, learning_rate=0.03)
        loss_fn = nn.MSELoss()

        def forward(a, b):
            return loss_fn(net(a), b)

        grad_fn = ms.value_and_grad(forward, None, opt.parameters)
        lrs, losses = [], []
        for _ in range(6):
            lrs.append([float(v.asnumpy()) for v in opt.get_lr()])
            loss, grads = grad_fn(x, y)
            opt(grads)
            losses.append(float(loss.asnumpy()))
        out[tag + "/lrs"] = np.array(lrs)
        out[tag + "/losses"] = np.array(losses)
        for name, p in net.parameters_and_names():
            out[tag + "/w/" + name] = p.asnumpy()
        walk = [n for n, _ in opt.parameters_and_names()]
        out[tag + "/walk_lengths"] = np.array([float(len(n)) for n in walk])
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "o.ckpt")
            ms.save_checkpoint(opt, path)
            saved = ms.load_checkpoint(path)
        out[tag + "/ckpt_lengths"] = np.array([float(len(k)) for k in saved])
        out[tag + "/lr_group_0"] = saved["learning_rate_group_0"].asnumpy()
        out[tag + "/lr_default"] = saved["learning_rate"].asnumpy()
    return out
