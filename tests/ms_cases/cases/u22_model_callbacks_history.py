"""Model.train with the callbacks MindSpore 2.x scripts write: a Callback subclass reading
run_context.original_args() (cur_epoch_num, cur_step_num, batch_num, net_outputs) at
on_train_step_end / on_train_epoch_end / on_train_begin / on_train_end, History,
LossMonitor, a LambdaCallback, and a callback that stops training; then Model.eval with
metrics and Model.predict."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor
import mindspore.dataset as ds
from mindspore.train import Model, Callback, History, LossMonitor, LambdaCallback


class Recorder(Callback):
    def __init__(self):
        super().__init__()
        self.steps, self.losses, self.epochs, self.events = [], [], [], []

    def on_train_begin(self, run_context):
        self.events.append(1)

    def on_train_step_end(self, run_context):
        cb = run_context.original_args()
        self.steps.append(cb.cur_step_num)
        self.losses.append(float(cb.net_outputs.asnumpy()))

    def on_train_epoch_end(self, run_context):
        cb = run_context.original_args()
        self.epochs.append(cb.cur_epoch_num * 100 + cb.batch_num)

    def on_train_end(self, run_context):
        self.events.append(2)


class StopAt(Callback):
    def __init__(self, step):
        super().__init__()
        self.step = step

    def on_train_step_end(self, run_context):
        if run_context.original_args().cur_step_num >= self.step:
            run_context.request_stop()


def make_data(rng):
    x = rng.normal(size=(12, 4)).astype(np.float32)
    y = (x[:, 0] + x[:, 1] > 0).astype(np.int32)
    return x, y


def build():
    net = nn.SequentialCell(
        nn.Dense(4, 8, weight_init=Tensor(np.linspace(-0.5, 0.5, 32).reshape(8, 4)
                                          .astype(np.float32)), bias_init="zeros"),
        nn.Tanh(),
        nn.Dense(8, 2, weight_init=Tensor(np.linspace(0.4, -0.4, 16).reshape(2, 8)
                                          .astype(np.float32)), bias_init="zeros"))
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9)
    return net, Model(net, loss, opt, metrics={"acc", "loss"})


def run():
    out = {}
    rng = np.random.default_rng(3)
    x, y = make_data(rng)
    data = ds.NumpySlicesDataset({"x": x, "y": y}, shuffle=False).batch(4)
    net, model = build()
    rec, hist = Recorder(), History()
    ends = []
    lam = LambdaCallback(on_train_epoch_end=lambda rc: ends.append(
        rc.original_args().cur_epoch_num))
    model.train(3, data, callbacks=[rec, hist, LossMonitor(2), lam], dataset_sink_mode=False)
    out["steps"] = np.array(rec.steps)
    out["losses"] = np.array(rec.losses)
    out["epochs"] = np.array(rec.epochs)
    out["events"] = np.array(rec.events)
    out["history_loss"] = np.array([float(v) for v in hist.history["net_output"]])
    out["history_epochs"] = np.array(hist.epoch["epoch"])
    out["lambda_ends"] = np.array(ends)
    res = model.eval(ds.NumpySlicesDataset({"x": x, "y": y}, shuffle=False).batch(4),
                     dataset_sink_mode=False)
    out["eval_acc"] = float(res["acc"])
    out["eval_loss"] = float(res["loss"])
    out["predict"] = model.predict(Tensor(x[:3]))
    net2, model2 = build()
    rec2 = Recorder()
    data2 = ds.NumpySlicesDataset({"x": x, "y": y}, shuffle=False).batch(4)
    model2.train(5, data2, callbacks=[rec2, StopAt(4)], dataset_sink_mode=False)
    out["stopped_steps"] = np.array(rec2.steps)
    out["stopped_w"] = net2[0].weight.value()
    return out
