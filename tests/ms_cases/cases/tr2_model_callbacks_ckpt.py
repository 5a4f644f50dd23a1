"""Model.train with the tutorial callbacks: LossMonitor (its printed lines parsed),
TimeMonitor, ModelCheckpoint + CheckpointConfig (save_checkpoint_steps, keep_checkpoint_max,
prefix, directory) and a custom Callback reading run_context.original_args() at every hook;
the files kept, the last checkpoint loaded into a fresh network, Model.eval / predict."""
import contextlib
import io
import os
import re
import tempfile

import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
import mindspore.dataset as ds
from mindspore.train import Model, Callback, LossMonitor, TimeMonitor, ModelCheckpoint
from mindspore.train import CheckpointConfig, Accuracy


class Recorder(Callback):
    def __init__(self):
        super().__init__()
        self.events = []
        self.steps = []

    def on_train_begin(self, run_context):
        p = run_context.original_args()
        self.events.append(1.0)
        self.steps.append([0, p.epoch_num, p.batch_num, 0, 0])

    def on_train_epoch_begin(self, run_context):
        self.events.append(2.0)

    def on_train_step_begin(self, run_context):
        self.events.append(3.0)

    def on_train_step_end(self, run_context):
        p = run_context.original_args()
        self.events.append(4.0)
        self.steps.append([1, p.cur_epoch_num, p.cur_step_num, p.batch_num,
                           float(p.net_outputs.asnumpy())])

    def on_train_epoch_end(self, run_context):
        p = run_context.original_args()
        self.events.append(5.0)
        self.steps.append([2, p.cur_epoch_num, p.cur_step_num, p.batch_num,
                           float(p.net_outputs.asnumpy())])

    def on_train_end(self, run_context):
        self.events.append(6.0)


def make_net():
    net = nn.SequentialCell([nn.Dense(3, 4), nn.Tanh(), nn.Dense(4, 3)])
    rng = np.random.default_rng(3)
    for p in net.trainable_params():
        p.set_data(Tensor(rng.normal(0.0, 0.6, p.shape).astype(np.float32)))
    return net


def run():
    rng = np.random.default_rng(11)
    x = rng.normal(size=(12, 3)).astype(np.float32)
    y = np.argmax(x, axis=1).astype(np.int32)
    data = ds.NumpySlicesDataset({"x": x, "y": y}, shuffle=False).batch(3)
    net = make_net()
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.5)
    model = Model(net, loss_fn=loss, optimizer=opt, metrics={"acc": Accuracy()})
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        config = CheckpointConfig(save_checkpoint_steps=2, keep_checkpoint_max=3)
        ckpt = ModelCheckpoint(prefix="tr2net", directory=tmp, config=config)
        rec = Recorder()
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            model.train(3, data, callbacks=[LossMonitor(2), TimeMonitor(), ckpt, rec])
        printed = [line for line in buf.getvalue().splitlines() if "loss" in line]
        nums = [[float(v) for v in re.findall(r"[-+]?\d+\.?\d*(?:[eE][-+]?\d+)?", line)]
                for line in printed if line.startswith("epoch")]
        out["monitor_lines"] = float(len(nums))
        out["monitor"] = np.array([row[:3] for row in nums])
        files = sorted(f for f in os.listdir(tmp) if f.endswith(".ckpt"))
        out["n_ckpt"] = float(len(files))
        for name in ["tr2net-3_4.ckpt", "tr2net-2_4.ckpt", "tr2net-3_2.ckpt", "tr2net-1_2.ckpt"]:
            out["has/" + name] = float(name in files)
        out["latest_is_last"] = float(ckpt.latest_ckpt_file_name ==
                                      os.path.join(tmp, "tr2net-3_4.ckpt"))
        fresh = make_net()
        params = ms.load_checkpoint(os.path.join(tmp, "tr2net-3_4.ckpt"))
        not_loaded, _ = ms.load_param_into_net(fresh, params)
        out["not_loaded"] = float(len(not_loaded))
        mid = ms.load_checkpoint(os.path.join(tmp, "tr2net-3_2.ckpt"))
        out["mid_keys"] = float(len(mid))
        out["mid_w0"] = mid["0.weight"].asnumpy()
    out["events"] = np.array(rec.events)
    out["steps"] = np.array(rec.steps, np.float64)
    for name, p in net.parameters_and_names():
        out["w/" + name] = p.asnumpy()
    probe = Tensor(x[:4])
    out["fresh_out"] = fresh(probe).asnumpy()
    out["predict"] = model.predict(probe).asnumpy()
    out["eval_acc"] = model.eval(ds.NumpySlicesDataset({"x": x, "y": y}, shuffle=False)
                                 .batch(4))["acc"]
    return out
