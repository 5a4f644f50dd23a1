"""Model.train with dataset_sink_mode=True (the default of older tutorials) and sink_size:
what callbacks see (cur_epoch_num, cur_step_num, batch_num, net_outputs) per step end and
epoch end, LossMonitor's lines, how many steps run, and the weights; model.eval in sink
mode too."""
import contextlib
import io
import re

import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
import mindspore.dataset as ds
from mindspore.train import Model, Callback, LossMonitor, Loss


class Rec(Callback):
    def __init__(self):
        super().__init__()
        self.rows = []

    def on_train_step_end(self, run_context):
        p = run_context.original_args()
        self.rows.append([1, p.cur_epoch_num, p.cur_step_num, p.batch_num,
                          float(p.net_outputs.asnumpy())])

    def on_train_epoch_end(self, run_context):
        p = run_context.original_args()
        self.rows.append([2, p.cur_epoch_num, p.cur_step_num, p.batch_num,
                          float(p.net_outputs.asnumpy())])


def make():
    return nn.Dense(3, 1, weight_init=Tensor(np.array([[0.2, -0.1, 0.4]], np.float32)),
                    bias_init="zeros")


def run():
    rng = np.random.default_rng(17)
    x = rng.normal(size=(12, 3)).astype(np.float32)
    y = (x @ np.array([[1.0], [2.0], [-1.0]], np.float32)).astype(np.float32)
    out = {}
    for tag, kw in (("sink", {"dataset_sink_mode": True}),
                    ("sink2", {"dataset_sink_mode": True, "sink_size": 2})):
        net = make()
        model = Model(net, loss_fn=nn.MSELoss(),
                      optimizer=nn.SGD(net.trainable_params(), learning_rate=0.05),
                      metrics={"loss": Loss()})
        rec = Rec()
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            model.train(3, ds.NumpySlicesDataset((x, y), ["x", "y"], shuffle=False).batch(3),
                        callbacks=[rec, LossMonitor()], **kw)
        lines = [[float(v) for v in re.findall(r"[-+]?\d+\.?\d*(?:[eE][-+]?\d+)?", line)][:3]
                 for line in buf.getvalue().splitlines() if line.startswith("epoch")]
        out[tag + "/monitor"] = np.array(lines)
        out[tag + "/rows"] = np.array(rec.rows, np.float64)
        out[tag + "/w"] = net.weight.asnumpy()
        out[tag + "/step"] = model.train_network.optimizer.global_step.asnumpy() \
            .astype(np.float64) if hasattr(model.train_network, "optimizer") else np.zeros(1)
        res = model.eval(ds.NumpySlicesDataset((x, y), ["x", "y"], shuffle=False).batch(4),
                         dataset_sink_mode=True)
        out[tag + "/eval_loss"] = float(res["loss"])
    return out
