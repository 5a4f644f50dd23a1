"""One small regression network trained by Model.train with each optimizer a script would
pick (Adam with weight decay groups, AdamWeightDecay with a no-decay group for biases,
RMSProp centered with momentum, Adagrad, Momentum nesterov with a dynamic lr list, SGD with
dampening), the losses each step, final weights and the names/shapes/values of the
optimizer state a ModelCheckpoint-style save_checkpoint of the train network writes."""
import os
import tempfile

import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
import mindspore.dataset as ds
from mindspore.train import Model, Callback


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(3, 4)
        self.act = nn.Sigmoid()
        self.fc2 = nn.Dense(4, 1)

    def construct(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Rec(Callback):
    def __init__(self):
        super().__init__()
        self.losses = []

    def on_train_step_end(self, run_context):
        self.losses.append(float(run_context.original_args().net_outputs.asnumpy()))


def make():
    net = Net()
    rng = np.random.default_rng(8)
    for p in net.trainable_params():
        p.set_data(Tensor(rng.normal(0.0, 0.6, p.shape).astype(np.float32)))
    return net


def groups(net, wd):
    decay = [p for p in net.trainable_params() if "weight" in p.name]
    rest = [p for p in net.trainable_params() if "weight" not in p.name]
    return [{"params": decay, "weight_decay": wd}, {"params": rest}]


OPTIMIZERS = {
    "adam": lambda net: nn.Adam(groups(net, 0.01), learning_rate=0.05),
    "adamw": lambda net: nn.AdamWeightDecay(groups(net, 0.1), learning_rate=0.05),
    "rmsprop": lambda net: nn.RMSProp(net.trainable_params(), learning_rate=0.02,
                                      momentum=0.5, centered=True),
    "adagrad": lambda net: nn.Adagrad(net.trainable_params(), learning_rate=0.1,
                                      accum=0.1),
    "momentum": lambda net: nn.Momentum(net.trainable_params(), [0.1, 0.05, 0.05, 0.02],
                                        momentum=0.9, use_nesterov=True),
    "sgd": lambda net: nn.SGD(net.trainable_params(), learning_rate=0.1, momentum=0.8,
                              dampening=0.3, weight_decay=0.001),
}


def run():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(8, 3)).astype(np.float32)
    y = np.sin(x.sum(axis=1, keepdims=True)).astype(np.float32)
    out = {}
    for tag, make_opt in OPTIMIZERS.items():
        net = make()
        opt = make_opt(net)
        model = Model(net, loss_fn=nn.MSELoss(), optimizer=opt)
        rec = Rec()
        model.train(2, ds.NumpySlicesDataset((x, y), ["x", "y"], shuffle=False).batch(4),
                    callbacks=[rec])
        out[tag + "/losses"] = np.array(rec.losses)
        for name, p in net.parameters_and_names():
            out[tag + "/w/" + name] = p.asnumpy()
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "opt.ckpt")
            ms.save_checkpoint(model.train_network, path)
            saved = ms.load_checkpoint(path)
        out[tag + "/n_saved"] = float(len(saved))
        out[tag + "/name_lengths"] = np.array([float(len(k)) for k in saved])
        out[tag + "/ndims"] = np.array([float(v.asnumpy().ndim) for v in saved.values()])
        state = [k for k in saved if not k.startswith("fc") and k != "global_step"]
        for k in state:
            out[tag + "/state/" + k] = saved[k].asnumpy().astype(np.float64)
    return out
