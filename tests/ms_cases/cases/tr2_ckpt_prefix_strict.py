"""save_checkpoint / load_checkpoint / load_param_into_net as scripts use them: a trained
optimizer's state saved with the network (TrainOneStepCell), append_dict, choice_func,
filter_prefix / specify_prefix / choice_func on load, strict_load, the lists of what was not
loaded, resuming training from the loaded optimizer state."""
import os
import tempfile

import numpy as np
import mindspore as ms
from mindspore import nn, Tensor


class Backbone(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(3, 4)
        self.fc2 = nn.Dense(4, 2)

    def construct(self, x):
        return self.fc2(ops_relu(self.fc1(x)))


def ops_relu(x):
    return nn.ReLU()(x)


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.backbone = Backbone()
        self.head = nn.Dense(2, 1)

    def construct(self, x):
        return self.head(self.backbone(x))


def fixed(net, seed):
    rng = np.random.default_rng(seed)
    for p in net.trainable_params():
        p.set_data(Tensor(rng.normal(0.0, 0.5, p.shape).astype(np.float32)))
    return net


X = Tensor(np.array([[1.0, -2.0, 0.5], [0.3, 0.8, -1.0], [-0.7, 0.1, 0.9]], np.float32))
Y = Tensor(np.array([[1.0], [-1.0], [0.5]], np.float32))


def train(net, opt, steps):
    step = nn.TrainOneStepCell(nn.WithLossCell(net, nn.MSELoss()), opt)
    return [float(step(X, Y).asnumpy()) for _ in range(steps)], step


def run():
    out = {}
    net = fixed(Net(), 0)
    opt = nn.Adam(net.trainable_params(), learning_rate=0.05)
    losses, step = train(net, opt, 3)
    out["losses"] = np.array(losses)
    with tempfile.TemporaryDirectory() as tmp:
        full = os.path.join(tmp, "full.ckpt")
        ms.save_checkpoint(step, full, append_dict={"epoch_num": 3, "lr": 0.05})
        only_backbone = os.path.join(tmp, "bb.ckpt")
        ms.save_checkpoint(net, only_backbone, choice_func=lambda n: n.startswith("backbone"))
        d = ms.load_checkpoint(full)
        out["n_full"] = float(len(d))
        out["epoch_num"] = float(d["epoch_num"].asnumpy())
        out["lr"] = float(d["lr"].asnumpy())
        out["beta1_power"] = d["beta1_power"].asnumpy()
        out["global_step"] = d["global_step"].asnumpy().astype(np.float64)
        out["m1"] = d["moment1.backbone.fc1.weight"].asnumpy()
        out["n_bb"] = float(len(ms.load_checkpoint(only_backbone)))
        out["n_filter"] = float(len(ms.load_checkpoint(full, filter_prefix=["moment", "beta"])))
        out["n_specify"] = float(len(ms.load_checkpoint(full, specify_prefix="backbone")))
        out["n_choice"] = float(len(ms.load_checkpoint(full, choice_func=lambda n: "head" in n)))
        # into a fresh network (non-strict): what the net lacks and what the file lacks
        fresh = fixed(Net(), 1)
        p_not, c_not = ms.load_param_into_net(fresh, ms.load_checkpoint(only_backbone))
        out["bb_param_not_load"] = float(len(p_not))
        out["bb_ckpt_not_load"] = float(len(c_not))
        out["fresh_head"] = fresh.head.weight.asnumpy()
        out["fresh_fc1"] = fresh.backbone.fc1.weight.asnumpy()
        # strict load with a wrong shape raises; without strict it raises too (shape)
        bad = {"head.weight": ms.Parameter(Tensor(np.ones((1, 3), np.float32)), "head.weight")}
        try:
            ms.load_param_into_net(fixed(Net(), 2), bad, strict_load=True)
            out["bad_shape_raises"] = 0.0
        except (RuntimeError, ValueError):
            out["bad_shape_raises"] = 1.0
        # a float64 value into a float32 Parameter: non-strict converts
        conv = {"head.bias": ms.Parameter(Tensor(np.array([0.25])), "head.bias")}
        target = fixed(Net(), 2)
        ms.load_param_into_net(target, conv)
        out["converted_bias"] = target.head.bias.asnumpy()
        out["converted_dtype_f32"] = float(target.head.bias.dtype == ms.float32)
        # resume: a new network + optimizer loaded from the full checkpoint continue as the old
        net2 = fixed(Net(), 3)
        opt2 = nn.Adam(net2.trainable_params(), learning_rate=0.05)
        step2 = nn.TrainOneStepCell(nn.WithLossCell(net2, nn.MSELoss()), opt2)
        p_not2, _ = ms.load_param_into_net(step2, ms.load_checkpoint(full))
        out["resume_not_load"] = float(len(p_not2))
        more_old = [float(step(X, Y).asnumpy()) for _ in range(2)]
        more_new = [float(step2(X, Y).asnumpy()) for _ in range(2)]
        out["resume_old"] = np.array(more_old)
        out["resume_new"] = np.array(more_new)
        out["resume_step"] = opt2.global_step.asnumpy().astype(np.float64)
    return out
