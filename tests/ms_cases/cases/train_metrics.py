"""The metrics of mindspore.train on fixed predictions, over two update calls each (index and
one-hot labels, multilabel, average=True/False, set_indexes) and the string names."""
import numpy as np
import mindspore as ms
from mindspore import Tensor
from mindspore.train import (Accuracy, Loss, MAE, MSE, Precision, Recall, F1, Fbeta,
                             TopKCategoricalAccuracy, Top1CategoricalAccuracy)
from mindspore.train.metrics import get_metrics

P1 = np.array([[0.9, 0.05, 0.05], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7], [0.6, 0.3, 0.1]], np.float32)
Y1 = np.array([0, 1, 1, 2], np.int32)
P2 = np.array([[0.1, 0.8, 0.1], [0.3, 0.3, 0.4], [0.5, 0.2, 0.3]], np.float32)
Y2 = np.array([1, 2, 1], np.int32)


def both(metric, onehot=False):
    metric.clear()
    metric.update(Tensor(P1), Tensor(np.eye(3, dtype=np.float32)[Y1] if onehot else Y1))
    metric.update(P2, Y2)
    return metric


def run():
    out = {
        "accuracy": both(Accuracy()).eval(),
        "accuracy_onehot": both(Accuracy(), onehot=True).eval(),
        "precision": both(Precision()).eval(),
        "precision_avg": both(Precision()).eval(average=True),
        "recall": both(Recall()).eval(),
        "recall_avg": both(Recall()).eval(average=True),
        "f1": both(F1()).eval(),
        "f2_avg": both(Fbeta(2.0)).eval(average=True),
        "top2": both(TopKCategoricalAccuracy(2)).eval(),
        "top1": both(Top1CategoricalAccuracy()).eval(),
    }
    multi = Accuracy("multilabel")
    multi.update(np.array([[1, 0, 1], [0, 1, 1]]), np.array([[1, 0, 1], [1, 1, 1]]))
    out["accuracy_multilabel"] = multi.eval()
    mp = Precision("multilabel")
    mp.update(np.array([[1, 0, 1], [0, 1, 1]]), np.array([[1, 0, 1], [1, 1, 1]]))
    out["precision_multilabel"] = mp.eval()
    out["precision_multilabel_avg"] = mp.eval(average=True)
    loss = Loss()
    loss.update(Tensor(np.float32(0.5)))
    loss.update(Tensor(np.array([1.0, 2.0], np.float32)))
    out["loss"] = loss.eval()
    mae, mse = MAE(), MSE()
    for m in (mae, mse):
        m.update(Tensor(P1[:, :2]), P1[:, 1:])
        m.update(P2[:, :2], P2[:, 1:])
    out["mae"], out["mse"] = mae.eval(), mse.eval()
    picked = Accuracy().set_indexes([1, 2])
    picked.update(None, P1, Y1)
    out["indexes"] = picked.eval()
    named = get_metrics({"acc", "top_1_accuracy", "F1"})
    for name in sorted(named):
        out["named_" + name] = np.asarray(both(named[name]).eval(), np.float64)
    return out
