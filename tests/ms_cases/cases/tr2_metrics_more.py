"""The other metrics of mindspore.train a training script evaluates with: ConfusionMatrix
(each normalize), Perplexity (ignore_label), Dice, CosineSimilarity, ROC (binary) + auc, names(), and Model.eval with metrics={'confusion_matrix': ...,
'perplexity': ...} over a softmax network."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
import mindspore.dataset as ds
from mindspore.train import Model, ConfusionMatrix, Perplexity, Dice, CosineSimilarity, ROC
from mindspore.train import auc, names


def run():
    out = {}
    rng = np.random.default_rng(13)
    logits = rng.normal(size=(12, 3)).astype(np.float32)
    labels = rng.integers(0, 3, size=(12,)).astype(np.int32)
    for norm in ("no_norm", "target", "prediction", "all"):
        m = ConfusionMatrix(3, normalize=norm)
        m.update(Tensor(logits[:6]), Tensor(labels[:6]))
        m.update(Tensor(logits[6:]), Tensor(labels[6:]))
        out["cm/" + norm] = m.eval()
    b = ConfusionMatrix(2, threshold=0.3)
    b.update(np.array([0.1, 0.35, 0.8, 0.2]), np.array([0, 1, 1, 1]))
    out["cm/binary"] = b.eval()
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    p = Perplexity()
    p.update(Tensor(probs), Tensor(labels))
    out["ppl"] = p.eval()
    p2 = Perplexity(ignore_label=1)
    p2.update(Tensor(probs), Tensor(labels))
    out["ppl_ignore"] = p2.eval()
    d = Dice(smooth=1e-5)
    d.update(np.array([[0.2, 0.8], [0.6, 0.4]]), np.array([[0, 1], [1, 0]]))
    d.update(np.array([[0.9, 0.1]]), np.array([[1, 1]]))
    out["dice"] = d.eval()
    for red in ("none", "sum", "mean"):
        c = CosineSimilarity(reduction=red)
        c.update(np.array([[1.0, 3.0, 4.0, 7.0], [2.0, 4.0, 2.0, 5.0], [3.0, 1.0, 5.0, 8.0]]))
        out["cos/" + red] = c.eval()
    dot = CosineSimilarity(similarity="dot", zero_diagonal=False)
    dot.update(np.array([[1.0, 2.0], [3.0, -1.0]]))
    out["cos/dot"] = dot.eval()
    roc = ROC(pos_label=1)
    roc.update(np.array([0.1, 0.4, 0.35, 0.8, 0.7]), np.array([0, 0, 1, 1, 0]))
    fpr, tpr, thr = roc.eval()
    out["roc/fpr"], out["roc/tpr"], out["roc/thr"] = fpr, tpr, thr
    out["roc/auc"] = float(auc(fpr, tpr))
    # (multi-class ROC is left out: MindSpore 2.10 scrambles the scores -- numpy's
    # transpose(0, 1) of a 2-D array is no transpose -- and raises on most inputs)
    out["auc_reorder"] = float(auc(np.array([0.5, 0.0, 1.0]), np.array([0.7, 0.0, 1.0]),
                                   reorder=True))
    out["n_names"] = float(len([n for n in names() if n in (
        "confusion_matrix", "perplexity", "dice", "cosine_similarity", "roc", "topk")]))
    net = nn.SequentialCell([nn.Dense(3, 3), nn.Softmax()])
    net[0].weight.set_data(Tensor(rng.normal(0, 0.5, (3, 3)).astype(np.float32)))
    net[0].bias.set_data(Tensor(np.zeros(3, np.float32)))
    model = Model(net, loss_fn=nn.NLLLoss() if hasattr(nn, "NLLLoss") else None,
                  metrics={"cm": ConfusionMatrix(3), "ppl": Perplexity()})
    res = model.eval(ds.NumpySlicesDataset((logits, labels), ["x", "y"], shuffle=False).batch(5))
    out["model/cm"] = np.asarray(res["cm"])
    out["model/ppl"] = float(res["ppl"])
    return out
