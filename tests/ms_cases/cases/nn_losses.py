"""Loss Cells with each reduction: the value and the gradient w.r.t. the predictions."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


def run():
    rs = np.random.RandomState(13)
    logits = Tensor(rs.standard_normal((4, 5)).astype(np.float32))
    logits3 = Tensor(rs.standard_normal((2, 5, 3)).astype(np.float32))
    idx = Tensor(np.array([1, 0, 4, 2], np.int32))
    idx_ign = Tensor(np.array([1, -100, 4, 2], np.int32))
    idx3 = Tensor(np.array([[1, 0, 4], [2, 2, 3]], np.int32))
    probs = np.abs(rs.standard_normal((4, 5))).astype(np.float32)
    probs = Tensor(probs / probs.sum(1, keepdims=True))
    w = Tensor(np.array([1.0, 2.0, 0.5, 1.5, 0.8], np.float32))
    # MindSpore 2.10's BCELoss reads a weight of another shape than the input's out of
    # bounds (denormal garbage from index 5 on): the weight is given full-shaped
    w_full = Tensor(np.tile(w.asnumpy(), (4, 1)))
    p = Tensor(rs.uniform(0.05, 0.95, (4, 5)).astype(np.float32))
    y = Tensor((rs.uniform(0, 1, (4, 5)) > 0.5).astype(np.float32))
    a = Tensor(rs.standard_normal((4, 5)).astype(np.float32))
    b = Tensor((rs.standard_normal((4, 5)) * 2).astype(np.float32))
    sign = Tensor(np.array([1, -1, -1, 1], np.int32))
    logp = ops.log_softmax(logits, 1)
    cases = {
        "ce": (nn.CrossEntropyLoss(), logits, idx),
        "ce_sum_w": (nn.CrossEntropyLoss(weight=w, reduction="sum"), logits, idx),
        "ce_mean_w_ign": (nn.CrossEntropyLoss(weight=w, ignore_index=-100), logits, idx_ign),
        "ce_none_ls": (nn.CrossEntropyLoss(reduction="none", label_smoothing=0.1), logits, idx),
        "ce_mean_w_ls": (nn.CrossEntropyLoss(weight=w, label_smoothing=0.2), logits, idx),
        "ce_3d": (nn.CrossEntropyLoss(), logits3, idx3),
        "ce_prob": (nn.CrossEntropyLoss(), logits, probs),
        "ce_prob_w_ls": (nn.CrossEntropyLoss(weight=w, label_smoothing=0.2), logits, probs),
        "ce_prob_sum": (nn.CrossEntropyLoss(reduction="sum"), logits, probs),
        "ce_prob_none_w": (nn.CrossEntropyLoss(weight=w, reduction="none"), logits, probs),
        "nll": (nn.NLLLoss(), logp, idx),
        "nll_w_sum": (nn.NLLLoss(weight=w, reduction="sum"), logp, idx),
        "bce": (nn.BCELoss(), p, y),
        "bce_w_none": (nn.BCELoss(weight=w_full, reduction="none"), p, y),
        "bce_sum": (nn.BCELoss(reduction="sum"), p, y),
        "bcel": (nn.BCEWithLogitsLoss(), a, y),
        "bcel_w_pw": (nn.BCEWithLogitsLoss("sum", w, Tensor(np.full((5,), 2.0, np.float32))),
                      a, y),
        "kl_mean": (nn.KLDivLoss(), logp, probs),
        "kl_sum": (nn.KLDivLoss("sum"), logp, probs),
        "kl_none": (nn.KLDivLoss("none"), logp, probs),
        "kl_batchmean": (nn.KLDivLoss("batchmean"), logp, probs),
        "huber": (nn.HuberLoss(), a, b),
        "huber_none_d": (nn.HuberLoss("none", 0.5), a, b),
        "smoothl1": (nn.SmoothL1Loss(), a, b),
        "smoothl1_mean_b": (nn.SmoothL1Loss(0.5, "mean"), a, b),
        "l1": (nn.L1Loss(), a, b),
        "l1_sum": (nn.L1Loss("sum"), a, b),
        "mse": (nn.MSELoss(), a, b),
        "mse_none": (nn.MSELoss("none"), a, b),
    }
    out = {}
    for name, (loss, pred, target) in cases.items():
        out[name] = loss(pred, target)
        out[name + "_grad"] = ops.grad(loss)(pred, target)
    for name, loss in (("cosemb", nn.CosineEmbeddingLoss()),
                       ("cosemb_m_none", nn.CosineEmbeddingLoss(0.3, "none"))):
        out[name] = loss(a, b, sign)
        g1, g2 = ops.grad(loss, grad_position=(0, 1))(a, b, sign)
        out[name + "_g1"] = g1
        out[name + "_g2"] = g2
    return out
