"""``autograd_st.train``: Model.train / eval / predict / fit, the callbacks and the metrics.

Model.train agrees with a recorded MindSpore run step by step (tests/ms_cases/cases/
train_model_train.py); here: the loss falls on a small problem, eval's accuracy equals the
one computed by hand from the trained network, one Model step equals one TrainOneStepCell
step, the callbacks see MindSpore's hooks and cb_params, metrics against hand-computed
values, and set_seed makes two training runs identical.
"""
from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close

import autograd_st as ms
from autograd_st import Parameter, Tensor, context, nn
from autograd_st.train import (
    MAE,
    MSE,
    Accuracy,
    Callback,
    CheckpointConfig,
    DynamicLossScaleManager,
    EarlyStopping,
    FixedLossScaleManager,
    History,
    LambdaCallback,
    Loss,
    LossMonitor,
    Metric,
    Model,
    ModelCheckpoint,
    Precision,
    Recall,
    RunContext,
    TimeMonitor,
)
from autograd_st.train import model as model_module
from autograd_st.train.callback import InternalCallbackParam
from autograd_st.train.metrics import get_metrics


class TinyDataset:
    """A stand-in with the dataset interface Model uses."""

    def __init__(self, x, y, batch_size):
        self.x, self.y, self.batch_size = x, y, batch_size
        self.iterators = []
        self.resets = 0

    def get_dataset_size(self):
        return len(self.x) // self.batch_size

    def create_tuple_iterator(self, num_epochs=-1, output_numpy=False):
        self.iterators.append((num_epochs, output_numpy))
        for i in range(self.get_dataset_size()):
            s = slice(i * self.batch_size, (i + 1) * self.batch_size)
            yield self.x[s], Tensor(self.y[s])  # an array and a Tensor: both are accepted

    def reset(self):
        self.resets += 1


def _data(n=64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype(np.float32)
    y = (x[:, 0] - 0.5 * x[:, 2] > 0).astype(np.int32)
    return x, y


def _net():
    w = np.array([[0.3, -0.2, 0.1, 0.4], [-0.1, 0.2, -0.3, 0.05]], np.float32)
    return nn.Dense(4, 2, weight_init=Tensor(w), bias_init="zeros")


@pytest.fixture(autouse=True)
def _quiet():
    Model.progress = False
    yield
    Model.progress = "auto"


def test_train_makes_the_loss_fall_and_eval_is_the_hand_accuracy():
    x, y = _data()
    net = _net()
    loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt = nn.Momentum(net.trainable_params(), learning_rate=0.1, momentum=0.9)
    model = Model(net, loss_fn=loss_fn, optimizer=opt, metrics={"accuracy", "loss"})
    data = TinyDataset(x, y, 16)

    losses = []

    class Rec(Callback):
        def step_end(self, run_context):
            losses.append(float(run_context.original_args().net_outputs.asnumpy()))

    before = model.eval(data)
    model.train(5, data, callbacks=Rec())
    after = model.eval(data)
    assert len(losses) == 5 * 4
    assert np.mean(losses[-4:]) < 0.5 * np.mean(losses[:4])
    assert after["loss"] < before["loss"]
    # accuracy by hand from the trained weights
    logits = x @ net.weight.asnumpy().T + net.bias.asnumpy()
    assert after["accuracy"] == pytest.approx(np.mean(logits.argmax(axis=1) == y))
    assert after["accuracy"] > 0.9
    # the eval loss is the mean of the batch-mean cross entropies
    shifted = logits - logits.max(axis=1, keepdims=True)
    nll = np.log(np.exp(shifted).sum(axis=1)) - shifted[np.arange(len(y)), y]
    assert after["loss"] == pytest.approx(nll.reshape(4, 16).mean(axis=1).mean(), rel=1e-5)
    assert data.iterators[0] == (1, False)  # one epoch per iterator, Tensors


def test_one_model_step_is_one_train_one_step_cell_step():
    x, y = _data(8)
    net_a, net_b = _net(), _net()
    loss_fn = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    opt_a = nn.Adam(net_a.trainable_params(), learning_rate=0.01)
    Model(net_a, loss_fn, opt_a).train(1, TinyDataset(x, y, 4))
    opt_b = nn.Adam(net_b.trainable_params(), learning_rate=0.01)
    step = nn.TrainOneStepCell(nn.WithLossCell(net_b, loss_fn), opt_b)
    for i in range(2):
        step(Tensor(x[4 * i:4 * i + 4]), Tensor(y[4 * i:4 * i + 4]))
    assert_close(net_a.weight, net_b.weight.asnumpy(), rtol=0)
    assert_close(net_a.bias, net_b.bias.asnumpy(), rtol=0)


def test_callback_hooks_and_cb_params():
    x, y = _data(12)
    calls = []

    class Rec(Callback):
        def on_train_begin(self, rc):
            calls.append(("begin", rc.original_args().mode, rc.original_args().epoch_num))

        def on_train_epoch_begin(self, rc):
            calls.append(("epoch_begin", rc.original_args().cur_epoch_num))

        def step_end(self, rc):  # the short form: on_train_step_end calls it
            p = rc.original_args()
            calls.append(("step", p.cur_epoch_num, p.cur_step_num, p.batch_num,
                          len(p.train_dataset_element)))

        def epoch_end(self, rc):
            calls.append(("epoch_end", rc.original_args().cur_epoch_num))

        def end(self, rc):
            calls.append(("end",))

    net = _net()
    opt = nn.SGD(net.trainable_params(), 0.1)
    model = Model(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"), opt)
    data = TinyDataset(x, y, 4)
    model.train(3, data, callbacks=[Rec()], initial_epoch=1)
    assert calls == [("begin", "train", 2),
                     ("epoch_begin", 2), ("step", 2, 1, 3, 2), ("step", 2, 2, 3, 2),
                     ("step", 2, 3, 3, 2), ("epoch_end", 2),
                     ("epoch_begin", 3), ("step", 3, 4, 3, 2), ("step", 3, 5, 3, 2),
                     ("step", 3, 6, 3, 2), ("epoch_end", 3), ("end",)]
    assert data.resets == 2
    assert net.training is True  # MindSpore leaves the network in training mode
    model.predict(Tensor(x[:1]))
    assert net.training is False  # and predict (like eval) in inference mode


def test_request_stop_ends_training_after_the_step():
    x, y = _data(16)
    steps = []
    stopper = LambdaCallback(on_train_step_end=lambda rc: (
        steps.append(rc.original_args().cur_step_num),
        rc.original_args().cur_step_num == 3 and rc.request_stop()))
    net = _net()
    model = Model(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"),
                  nn.SGD(net.trainable_params(), 0.1))
    model.train(4, TinyDataset(x, y, 4), callbacks=stopper)
    assert steps == [1, 2, 3]


def test_loss_monitor_and_time_monitor_print(capsys):
    x, y = _data(16)
    net = _net()
    model = Model(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"),
                  nn.SGD(net.trainable_params(), 0.1))
    model.train(2, TinyDataset(x, y, 4), callbacks=[LossMonitor(3), TimeMonitor()])
    lines = capsys.readouterr().out.splitlines()
    monitor = [ln for ln in lines if ln.startswith("epoch:")]
    # printed at global steps 3 and 6: epoch 1 step 3, epoch 2 step 2
    assert [ln.split(",")[0] for ln in monitor] == ["epoch: 1 step: 3", "epoch: 2 step: 2"]
    assert all(float(ln.split("loss is ")[1]) > 0 for ln in monitor)
    timing = [ln for ln in lines if ln.startswith("Train epoch time:")]
    assert len(timing) == 2 and "per step time:" in timing[0]
    with pytest.raises(ValueError, match="must >= 0"):
        LossMonitor(-1)


def test_loss_monitor_stops_on_nan():
    p = InternalCallbackParam(cur_epoch_num=1, cur_step_num=6, batch_num=4,
                              net_outputs=Tensor(np.array(np.nan, np.float32)))
    with pytest.raises(ValueError, match="In epoch: 1 step: 2, loss is NAN or INF"):
        LossMonitor().step_end(RunContext(p))
    with pytest.raises(TypeError, match="should be dict"):
        RunContext([1])


def test_fit_evaluates_and_loss_monitor_prints_the_metrics(capsys):
    x, y = _data(16)
    net = _net()
    model = Model(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"),
                  nn.SGD(net.trainable_params(), 0.1), metrics={"acc"})
    model.fit(2, TinyDataset(x, y, 8), TinyDataset(x, y, 8), valid_frequency=2,
              callbacks=LossMonitor(100))
    out = capsys.readouterr().out
    assert out.count("Eval result: epoch") == 1 and "Eval result: epoch 2, metrics: {'acc':" in out


def test_predict_and_eval_restore_the_mode():
    net = _net()
    model = Model(net)
    x = np.ones((2, 4), np.float32)
    out = model.predict(Tensor(x))
    assert_close(out, x @ net.weight.asnumpy().T, rtol=1e-6)
    with pytest.raises(ValueError, match="'metrics' can not be None"):
        model.eval(TinyDataset(x, np.zeros(2, np.int32), 1))


def test_model_argument_errors():
    net = _net()
    opt = nn.SGD(net.trainable_params(), 0.1)
    with pytest.raises(ValueError, match="`eval_network` must not be None"):
        Model(net, optimizer=opt, metrics={"accuracy"})
    with pytest.raises(ValueError, match="'optimizer' is None"):
        Model(net, amp_level="O2")
    with pytest.raises(ValueError, match="argument in 'kwargs'"):
        Model(net, foo=1)
    with pytest.warns(UserWarning, match="not applied by autograd_st"):
        Model(net, nn.MSELoss(), opt, amp_level="O1")
    model = Model(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True), opt)
    x, y = _data(8)
    with pytest.raises(ValueError, match="'epoch' must bigger than parameter 'initial_epoch'"):
        model.train(1, TinyDataset(x, y, 4), initial_epoch=1)
    with pytest.raises(TypeError, match="'epoch' must be int"):
        model.train(1.0, TinyDataset(x, y, 4))
    with pytest.raises(ValueError, match="'sink_size' must be -1 or positive"):
        model.train(1, TinyDataset(x, y, 4), sink_size=0)
    with pytest.raises(TypeError, match="must be Callback functions"):
        model.train(1, TinyDataset(x, y, 4), callbacks=3)
    with pytest.raises(TypeError, match="create_tuple_iterator"):
        model.train(1, [(x, y)])


def test_model_without_loss_fn_trains_a_loss_network():
    x, y = _data(8)
    net = _net()
    loss_net = nn.WithLossCell(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True,
                                                                   reduction="mean"))
    before = net.weight.asnumpy().copy()
    Model(loss_net, optimizer=nn.SGD(net.trainable_params(), 0.1)).train(
        1, TinyDataset(x, y, 4), dataset_sink_mode=True)  # sinking runs as on CPU: not sunk
    assert not np.array_equal(before, net.weight.asnumpy())


def test_model_checkpoint_writes_the_files_it_is_due(tmp_path):
    x, y = _data(12)
    net = _net()
    model = Model(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"),
                  nn.SGD(net.trainable_params(), 0.1))
    ckpt = ModelCheckpoint(prefix="net", directory=str(tmp_path),
                           config=CheckpointConfig(save_checkpoint_steps=2,
                                                   keep_checkpoint_max=2))
    model.train(2, TinyDataset(x, y, 4), callbacks=ckpt)
    names = [p.rsplit("/", 1)[1] for p in ckpt.checkpoint_files]
    assert names == ["net-2_1.ckpt", "net-2_3.ckpt"]  # steps 2, 4, 6 due, the last 2 kept
    assert sorted(f.name for f in tmp_path.iterdir()) == names  # the older one deleted
    loaded = ms.load_checkpoint(ckpt.checkpoint_files[-1])
    for p in net.trainable_params():  # the last checkpoint holds the trained weights
        assert np.array_equal(loaded[p.name].asnumpy(), p.asnumpy())
    with pytest.raises(ValueError, match="can't be all None or 0"):
        CheckpointConfig(0, 0, 0, 0)
    with pytest.raises(TypeError, match="'CheckpointConfig'"):
        ModelCheckpoint(config={})


def test_progress_bar_text(capsys):
    x, y = _data(8)
    net = _net()
    model = Model(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"),
                  nn.SGD(net.trainable_params(), 0.1))
    Model.progress = True
    model.train(1, TinyDataset(x, y, 4))
    err = capsys.readouterr().err
    assert "epoch 1/1" in err and ("step 2/2" in err or "2/2" in err)


# -- metrics -------------------------------------------------------------------------------

def test_accuracy_precision_recall_by_hand():
    logits = np.array([[0.9, 0.1, 0.0], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7], [0.6, 0.3, 0.1],
                       [0.1, 0.8, 0.1]])
    labels = np.array([0, 1, 1, 2, 1])
    pred = logits.argmax(axis=1)  # 0, 1, 2, 0, 1
    acc = Accuracy()
    acc.update(Tensor(logits[:2]), Tensor(labels[:2]))
    acc.update(logits[2:], labels[2:])
    assert acc.eval() == pytest.approx(3 / 5)
    onehot = np.eye(3)[labels]
    assert Accuracy()(logits, onehot) == pytest.approx(3 / 5)
    prec, rec = Precision(), Recall()
    prec.update(logits, labels)
    rec.update(logits, labels)
    tp = np.array([(pred == c) & (labels == c) for c in range(3)]).sum(axis=1)
    assert_close(prec.eval(), tp / np.array([(pred == c).sum() for c in range(3)]), rtol=1e-12)
    assert_close(rec.eval(), tp / np.array([(labels == c).sum() for c in range(3)]),
                 rtol=1e-12)
    assert rec.eval(average=True) == pytest.approx(np.mean(tp / np.array([1, 3, 1])))
    with pytest.raises(RuntimeError, match="number of samples is 0"):
        Accuracy().eval()
    with pytest.raises(ValueError, match="do not match"):
        Accuracy().update(logits, labels[:3])
    multi = Accuracy("multilabel")
    multi.update(np.array([[1, 0], [1, 1]]), np.array([[1, 0], [0, 1]]))
    assert multi.eval() == 0.5


def test_loss_mae_mse_by_hand():
    loss = Loss()
    loss.update(Tensor(np.float32(2.0)))
    loss.update(np.array([1.0, 3.0, 5.0]))
    assert loss.eval() == pytest.approx((2.0 + 3.0) / 2)
    pred, true = np.array([[1.0, 2.0], [3.0, 5.0]]), np.array([[1.5, 2.0], [2.0, 1.0]])
    assert MAE()(pred, true) == pytest.approx((0.5 + 1 + 4) / 2)
    assert MSE()(pred, true) == pytest.approx((0.25 + 1 + 16) / 2)
    with pytest.raises(TypeError, match="tensor, list or numpy.ndarray"):
        MAE()(1.0, 2.0)


def test_metric_names_and_indexes():
    metrics = get_metrics({"accuracy", "loss", "mae"})
    assert isinstance(metrics["accuracy"], Accuracy) and isinstance(metrics["loss"], Loss)
    with pytest.raises(KeyError, match="Unknown Metric"):
        get_metrics({"nope"})
    with pytest.raises(TypeError, match="must be None, dict or set"):
        get_metrics(["accuracy"])
    acc = Accuracy().set_indexes([2, 0])  # update reads outputs 2 and 0
    acc.update(np.array([0, 1]), None, np.array([[0.9, 0.1], [0.2, 0.8]]))
    assert acc.eval() == 1.0
    assert isinstance(acc, Metric)


def test_from_mindspore_import_model():
    assert ms.Model is Model
    assert ms.train.callback.LossMonitor is LossMonitor
    assert ms.train.metrics.Accuracy is Accuracy


# -- reproducibility -------------------------------------------------------------------------

class _DropNet(nn.Cell):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Dense(4, 8)  # MindSpore's random default initializers
        self.drop = nn.Dropout(p=0.3)
        self.fc2 = nn.Dense(8, 2)
        self.relu = nn.ReLU()

    def construct(self, x):
        return self.fc2(self.drop(self.relu(self.fc1(x))))


def _seeded_training(seed):
    saved = (context.INIT_RNG[0], context.DROPOUT_RNG[0], context.get_seed())
    try:
        ms.set_seed(seed)
        x, y = _data(32)
        net = _DropNet()
        model = Model(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"),
                      nn.Adam(net.trainable_params(), 0.01))
        losses = []
        cb = LambdaCallback(on_train_step_end=lambda rc: losses.append(
            float(rc.original_args().net_outputs.asnumpy())))
        model.train(2, TinyDataset(x, y, 8), callbacks=cb)
        return losses, [p.asnumpy().copy() for p in net.trainable_params()]
    finally:
        context.INIT_RNG[0], context.DROPOUT_RNG[0] = saved[:2]
        context._GLOBAL_SEED[0] = saved[2]


def test_set_seed_makes_two_training_runs_identical():
    a, b, c = _seeded_training(3), _seeded_training(3), _seeded_training(4)
    assert a[0] == b[0]
    for p, q in zip(a[1], b[1]):
        np.testing.assert_array_equal(p, q)
    assert a[0] != c[0]


def test_parameter_is_exported():
    assert isinstance(_net().weight, Parameter)


# -- loss-scale managers ---------------------------------------------------------------------

def test_loss_scale_managers_as_mindspore_on_cpu():
    net = _net()
    opt = nn.SGD(net.trainable_params(), 0.1)
    refused = "are supported on device `CPU`"
    with pytest.raises(ValueError, match=refused):
        Model(net, nn.MSELoss(), opt, loss_scale_manager=FixedLossScaleManager(8.0))
    with pytest.raises(ValueError, match=refused):
        Model(net, nn.MSELoss(), opt, loss_scale_manager=DynamicLossScaleManager())
    with pytest.raises(ValueError, match=refused):
        Model(net, nn.MSELoss(), opt, amp_level="O2")  # O2 brings a dynamic loss scale
    model = Model(net, nn.MSELoss(), opt,
                  loss_scale_manager=FixedLossScaleManager(8.0, drop_overflow_update=False))
    assert model.train_network.sens == 8.0
    with pytest.raises(ValueError, match="must be >= 1"):
        FixedLossScaleManager(0.5)
    assert ms.FixedLossScaleManager is FixedLossScaleManager


def test_dynamic_loss_scale_arithmetic():
    m = DynamicLossScaleManager(init_loss_scale=16, scale_factor=2, scale_window=2)
    m.update_loss_scale(True)  # overflow: halve
    assert m.get_loss_scale() == 8
    m.update_loss_scale(False)
    m.update_loss_scale(False)  # two clean steps since the overflow: double
    assert m.get_loss_scale() == 16
    for _ in range(10):
        m.update_loss_scale(True)
    assert m.get_loss_scale() == 1  # never below 1


# -- History / EarlyStopping (with Model.fit: recorded case train_model_fit) -----------------

def test_early_stopping_on_the_training_loss_and_history():
    x, y = _data(16)
    net = _net()
    model = Model(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"),
                  nn.SGD(net.trainable_params(), 0.0))  # lr 0: the loss never improves
    history = History()
    stop = EarlyStopping(monitor="loss", patience=2, verbose=True)
    model.train(10, TinyDataset(x, y, 8), callbacks=[history, stop])
    # epoch 1 improves on inf, epochs 2 and 3 do not: stop after epoch 3
    assert history.epoch["epoch"] == [1, 2, 3]
    assert stop.stopped_epoch == 3
    assert len(history.history["net_output"]) == 3
    with pytest.raises(ValueError, match="mode should be"):
        EarlyStopping(mode="up")
    with pytest.raises(TypeError, match="'monitor' must be str"):
        EarlyStopping(monitor=1)


def test_sink_size_sets_the_steps_per_epoch_as_on_mindspore_cpu(capsys):
    """MindSpore 2.10 on CPU (measured): with dataset_sink_mode=True and sink_size=2 it still
    trains on every row, but counts 2 steps per epoch in cb_params.batch_num."""
    x, y = _data(6)
    net = _net()
    model = Model(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"),
                  nn.SGD(net.trainable_params(), 0.1))
    model.train(1, TinyDataset(x, y, 1), callbacks=LossMonitor(), dataset_sink_mode=True,
                sink_size=2)
    steps = [ln.split(",")[0] for ln in capsys.readouterr().out.splitlines()]
    assert steps == ["epoch: 1 step: 1", "epoch: 1 step: 2"] * 3


def test_progress_bar_uses_tqdm_when_installed(monkeypatch):
    events = []

    class FakeBar:
        def __init__(self, total, desc, leave, file):
            events.append(("open", total, desc))

        def update(self, n):
            events.append(("update", n))

        def set_postfix(self, **kw):
            events.append(("loss", float(kw["loss"])))

        def close(self):
            events.append(("close",))

    monkeypatch.setattr(model_module, "_tqdm_module",
                        lambda: type("FakeTqdm", (), {"tqdm": FakeBar}))
    x, y = _data(8)
    net = _net()
    model = Model(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean"),
                  nn.SGD(net.trainable_params(), 0.1))
    Model.progress = True
    model.train(1, TinyDataset(x, y, 4))
    assert [e[0] for e in events] == ["open", "update", "loss", "update", "loss", "close"]
    assert events[0] == ("open", 2, "epoch 1/1")


def test_with_eval_cell_returns_loss_outputs_and_label():
    net = nn.Dense(3, 2)
    loss_fn = nn.MSELoss()
    cell = nn.WithEvalCell(net, loss_fn)
    x = Tensor(np.arange(6.0, dtype=np.float32).reshape(2, 3))
    y = Tensor(np.ones((2, 2), np.float32))
    loss, out, label = cell(x, y)
    expected = net(x).asnumpy()
    np.testing.assert_allclose(out.asnumpy(), expected)
    np.testing.assert_allclose(loss.asnumpy(), ((expected - 1.0) ** 2).mean(), rtol=1e-6)
    assert label is y
    assert nn.Accuracy is ms.Accuracy is ms.train.metrics.Accuracy  # written once
    assert ms.LossMonitor is ms.train.LossMonitor


def test_model_train_reshuffles_each_epoch_through_one_iterator():
    # MindSpore's Model.train iterates one iterator through its epochs: a shuffled dataset
    # comes in a new order each epoch (the order create_tuple_iterator(num_epochs=...) gives)
    import autograd_st.dataset as ds
    from autograd_st.train import Callback

    class Seen(Callback):
        def __init__(self):
            super().__init__()
            self.rows = []

        def on_train_step_end(self, run_context):
            x = run_context.original_args().train_dataset_element[0]
            self.rows.append(x.asnumpy()[:, 0].tolist())

    def data():
        x = np.arange(24, dtype=np.float32).reshape(12, 2)
        y = np.zeros((12, 1), np.float32)
        return ds.NumpySlicesDataset((x, y), column_names=["x", "y"]).shuffle(4).batch(3)

    ms.set_seed(3)
    want = [[b[0].asnumpy()[:, 0].tolist() for b in epoch]
            for epoch in [list(it) for it in [data().create_tuple_iterator(num_epochs=2)] * 2]]
    net = nn.Dense(2, 1)
    model = ms.Model(net, nn.MSELoss(), nn.SGD(net.trainable_params(), 0.0))
    seen = Seen()
    model.train(2, data(), callbacks=[seen])
    assert seen.rows == want[0] + want[1]
    assert want[0] != want[1]
