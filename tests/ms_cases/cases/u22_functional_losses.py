"""The functional losses MindSpore 2.x scripts call, with their options and gradients:
ops.cross_entropy (class weights, ignore_index, label_smoothing, probability targets),
ops.nll_loss, ops.binary_cross_entropy_with_logits (weight, pos_weight),
ops.binary_cross_entropy, ops.kl_div, ops.smooth_l1_loss, ops.huber_loss, ops.l1_loss,
ops.mse_loss, ops.margin_ranking_loss, ops.cosine_embedding_loss, ops.hinge_embedding_loss, ops.gaussian_nll_loss."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    out = {}
    rng = np.random.default_rng(17)
    logits = Tensor(rng.normal(size=(5, 4)).astype(np.float32))
    labels = Tensor(np.array([0, 3, 1, 3, 2], np.int32))
    w = Tensor(np.array([1.0, 2.0, 0.5, 1.5], np.float32))
    probs = Tensor(ops.softmax(Tensor(rng.normal(size=(5, 4)).astype(np.float32)), -1).asnumpy())

    cases = {
        "ce_plain": lambda z: ops.cross_entropy(z, labels),
        "ce_weight_ignore": lambda z: ops.cross_entropy(z, labels, w, ignore_index=3),
        "ce_smooth_sum": lambda z: ops.cross_entropy(z, labels, label_smoothing=0.2,
                                                     reduction="sum"),
        "ce_probs": lambda z: ops.cross_entropy(z, probs, w, label_smoothing=0.1),
        "nll_weight": lambda z: ops.nll_loss(ops.log_softmax(z, 1), labels, w),
        "nll_ignore_none": lambda z: (ops.nll_loss(ops.log_softmax(z, 1), labels,
                                                   ignore_index=0, reduction="none") ** 2).sum(),
        "bce_logits": lambda z: ops.binary_cross_entropy_with_logits(
            z, probs, w.broadcast_to((5, 4)), w * 2),
        "bce": lambda z: ops.binary_cross_entropy(ops.sigmoid(z), probs, reduction="sum"),
        "kl_batchmean": lambda z: ops.kl_div(ops.log_softmax(z, 1), probs, reduction="batchmean"),
        "smooth_l1": lambda z: ops.smooth_l1_loss(z, probs * 3, beta=0.5),
        "huber": lambda z: ops.huber_loss(z, probs * 3, reduction="sum", delta=0.7),
        "l1": lambda z: ops.l1_loss(z, probs),
        "mse": lambda z: ops.mse_loss(z, probs, reduction="sum"),
    }
    for name, fn in cases.items():
        v, g = ops.value_and_grad(fn)(logits)
        out[name + "/value"] = v
        out[name + "/grad"] = g

    a = Tensor(rng.normal(size=(6,)).astype(np.float32))
    b = Tensor(rng.normal(size=(6,)).astype(np.float32))
    t = Tensor(np.array([1, -1, 1, 1, -1, -1], np.float32))
    v, (ga, gb) = ops.value_and_grad(lambda p, q: ops.margin_ranking_loss(p, q, t, margin=0.3),
                                     (0, 1))(a, b)
    out["margin_ranking"] = v
    out["margin_ranking/ga"] = ga
    out["margin_ranking/gb"] = gb
    e1 = Tensor(rng.normal(size=(4, 3)).astype(np.float32))
    e2 = Tensor(rng.normal(size=(4, 3)).astype(np.float32))
    tt = Tensor(np.array([1, -1, -1, 1], np.int32))
    v, g = ops.value_and_grad(lambda p: ops.cosine_embedding_loss(p, e2, tt, margin=0.1))(e1)
    out["cosine_embedding"] = v
    out["cosine_embedding/grad"] = g
    v, g = ops.value_and_grad(lambda p: ops.hinge_embedding_loss(p, t, margin=0.8))(a)
    out["hinge_embedding"] = v
    out["hinge_embedding/grad"] = g
    var = Tensor(np.abs(rng.normal(size=(6,))).astype(np.float32) + 0.1)
    v, (g1, g2) = ops.value_and_grad(lambda p, s: ops.gaussian_nll_loss(p, b, s), (0, 1))(a, var)
    out["gaussian_nll"] = v
    out["gaussian_nll/g_mean"] = g1
    out["gaussian_nll/g_var"] = g2
    return out
