"""Model.fit with a validation set and the callbacks a script adds: History, LambdaCallback,
EarlyStopping on the eval loss, a custom Callback that calls run_context.request_stop(),
on_eval_* hooks and cb_params.eval_results; Model.train with initial_epoch; the epochs run,
the losses, the history and the final weights."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
import mindspore.dataset as ds
from mindspore.train import Model, Callback, History, LambdaCallback, EarlyStopping, Loss, MAE


def make():
    net = nn.Dense(2, 1, weight_init=Tensor(np.array([[0.3, -0.2]], np.float32)),
                   bias_init="zeros")
    return net


rng = np.random.default_rng(6)
X = rng.normal(size=(8, 2)).astype(np.float32)
Y = (X @ np.array([[1.5], [-0.5]], np.float32) + 0.3).astype(np.float32)
XV = rng.normal(size=(4, 2)).astype(np.float32)
YV = (XV @ np.array([[1.5], [-0.5]], np.float32) + 0.3).astype(np.float32)


def train_data():
    return ds.NumpySlicesDataset((X, Y), ["x", "y"], shuffle=False).batch(4)


def valid_data():
    return ds.NumpySlicesDataset((XV, YV), ["x", "y"], shuffle=False).batch(2)


class Stopper(Callback):
    def __init__(self, at_step):
        super().__init__()
        self.at_step = at_step
        self.seen = []

    def on_train_step_end(self, run_context):
        p = run_context.original_args()
        self.seen.append([p.cur_epoch_num, p.cur_step_num])
        if p.cur_step_num == self.at_step:
            run_context.request_stop()


class EvalHooks(Callback):
    def __init__(self):
        super().__init__()
        self.rows = []

    def on_eval_begin(self, run_context):
        self.rows.append([1.0, 0.0])

    def on_eval_end(self, run_context):
        res = run_context.original_args().eval_results
        self.rows.append([2.0, float(res["loss"])])


def run():
    out = {}
    net = make()
    model = Model(net, loss_fn=nn.MSELoss(),
                  optimizer=nn.SGD(net.trainable_params(), learning_rate=0.05),
                  metrics={"loss": Loss(), "mae": MAE()})
    hist = History()
    ends = []
    lam = LambdaCallback(on_train_epoch_end=lambda rc: ends.append(
        float(rc.original_args().net_outputs.asnumpy())))
    hooks = EvalHooks()
    model.fit(3, train_data(), valid_data(), callbacks=[hist, lam, hooks])
    out["fit/epoch_end_losses"] = np.array(ends)
    out["fit/history_loss"] = np.array([float(np.asarray(v)) for v in hist.history["net_output"]])
    out["fit/history_epochs"] = np.array(hist.epoch["epoch"], np.float64)
    out["fit/history_eval_loss"] = np.array(hist.history["loss"], np.float64)
    out["fit/eval_hooks"] = np.array(hooks.rows)
    out["fit/w"] = net.weight.asnumpy()
    out["fit/b"] = net.bias.asnumpy()

    net = make()
    model = Model(net, loss_fn=nn.MSELoss(),
                  optimizer=nn.Momentum(net.trainable_params(), 0.05, 0.9))
    stop = Stopper(5)
    model.train(10, train_data(), callbacks=[stop])
    out["stop/seen"] = np.array(stop.seen, np.float64)
    out["stop/w"] = net.weight.asnumpy()

    net = make()
    model = Model(net, loss_fn=nn.MSELoss(),
                  optimizer=nn.SGD(net.trainable_params(), learning_rate=0.05))
    stop = Stopper(-1)
    model.train(4, train_data(), callbacks=[stop], initial_epoch=2)
    out["initial_epoch/seen"] = np.array(stop.seen, np.float64)
    out["initial_epoch/w"] = net.weight.asnumpy()

    net = make()
    model = Model(net, loss_fn=nn.MSELoss(),
                  optimizer=nn.SGD(net.trainable_params(), learning_rate=2.5),
                  metrics={"loss": Loss()})
    early = EarlyStopping(monitor="eval_loss", patience=1, mode="min")
    stop = Stopper(-1)
    model.fit(8, train_data(), valid_data(), callbacks=[early, stop])
    out["early/seen"] = np.array(stop.seen, np.float64)
    out["early/stopped_epoch"] = float(early.stopped_epoch)
    out["early/best"] = float(early.best)
    return out
