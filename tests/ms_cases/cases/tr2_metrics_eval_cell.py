"""Evaluation as scripts write it: WithEvalCell + metrics updated by hand (Accuracy,
Precision, Recall, F1, Fbeta, MAE, MSE, TopKCategoricalAccuracy, Loss, ConfusionMatrix-free
set), Model.eval with an eval_network and eval_indexes, Model(metrics={...}) names and
Accuracy('multilabel'), nn.Accuracy from mindspore.nn."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
import mindspore.dataset as ds
from mindspore.train import Model, Accuracy, Precision, Recall, F1, Fbeta, MAE, MSE, Loss
from mindspore.train import TopKCategoricalAccuracy


def run():
    out = {}
    rng = np.random.default_rng(21)
    x = rng.normal(size=(10, 4)).astype(np.float32)
    y = rng.integers(0, 3, size=(10,)).astype(np.int32)
    net = nn.Dense(4, 3, weight_init=Tensor(rng.normal(0, 0.7, (3, 4)).astype(np.float32)),
                   bias_init="zeros")
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    eval_net = nn.WithEvalCell(net, loss)
    metrics = {"acc": Accuracy(), "prec": Precision(), "rec": Recall(), "f1": F1(),
               "f2": Fbeta(2.0), "top2": TopKCategoricalAccuracy(2), "loss": Loss()}
    for m in metrics.values():
        m.clear()
    for i in range(0, 10, 4):
        l, logits, label = eval_net(Tensor(x[i:i + 4]), Tensor(y[i:i + 4]))
        for name, m in metrics.items():
            if name == "loss":
                m.update(l)
            else:
                m.update(logits, label)
    for name, m in metrics.items():
        out["hand/" + name] = np.asarray(m.eval(), np.float64)
    prec_avg = Precision("classification")
    prec_avg.update(Tensor(x[:, :3]), Tensor(y))
    out["prec_average"] = float(prec_avg.eval(average=True))
    multi = Accuracy("multilabel")
    multi.update(Tensor(np.array([[0.9, 0.1, 0.8], [0.2, 0.7, 0.6]], np.float32).round()),
                 Tensor(np.array([[1, 0, 1], [0, 1, 0]], np.int32)))
    out["multilabel"] = float(multi.eval())
    mae, mse = MAE(), MSE()
    pred = Tensor(np.array([0.1, 0.5, 2.0], np.float32))
    tgt = Tensor(np.array([0.0, 1.0, 1.5], np.float32))
    mae.update(pred, tgt)
    mse.update(pred, tgt)
    out["mae"] = float(mae.eval())
    out["mse"] = float(mse.eval())
    data = ds.NumpySlicesDataset({"x": x, "y": y}, shuffle=False).batch(3)
    model = Model(net, loss_fn=loss, metrics={"acc": Accuracy(), "loss": Loss(),
                                              "top2": TopKCategoricalAccuracy(2)})
    res = model.eval(data)
    for k in sorted(res):
        out["model/" + k] = float(res[k])
    model2 = Model(net, eval_network=eval_net, eval_indexes=[0, 1, 2],
                   metrics={"acc": Accuracy(), "loss": Loss()})
    res2 = model2.eval(ds.NumpySlicesDataset({"x": x, "y": y}, shuffle=False).batch(4))
    out["model2/acc"] = float(res2["acc"])
    out["model2/loss"] = float(res2["loss"])
    acc = nn.Accuracy()
    acc.update(Tensor(x[:, :3]), Tensor(y))
    out["nn_accuracy"] = float(acc.eval())
    return out
