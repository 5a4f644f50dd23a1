"""Margin/pair/likelihood losses (MultiMarginLoss, TripletMarginWithDistance (MindSpore 2.10 has no CPU TripletMarginLoss kernel),
GaussianNLLLoss, PoissonNLLLoss (no CPU SoftMarginLoss kernel in MindSpore 2.10), MarginRankingLoss, HingeEmbeddingLoss): the
value and the gradient w.r.t. each float input, Cells and functionals, each reduction."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


def run():
    rs = np.random.RandomState(7)
    f = lambda *s: Tensor(rs.standard_normal(s).astype(np.float32))  # noqa: E731
    x = f(4, 5)
    tgt = Tensor(np.array([1, 0, 4, 2], np.int64))
    w = Tensor(np.array([1.0, 2.0, 0.5, 1.5, 0.8], np.float32))
    a, p, n = f(4, 6), f(4, 6), f(4, 6)
    y = Tensor(np.array([[1, -1, 1, 1, -1]] * 4, np.float32))
    var = Tensor(rs.uniform(0.2, 2.0, (4, 5)).astype(np.float32))
    var1 = Tensor(rs.uniform(0.2, 2.0, (4,)).astype(np.float32))
    var0 = Tensor(np.array([[0.5, 0.0, 1e-8, 2.0, 1.0]] * 4, np.float32))
    counts = Tensor(rs.poisson(2.0, (4, 5)).astype(np.float32))
    rate = Tensor(rs.uniform(0.1, 3.0, (4, 5)).astype(np.float32))
    sign = Tensor(np.array([1, -1, -1, 1, 1], np.float32))
    i1, i2 = f(5), f(5)
    cases = {
        "mm": (nn.MultiMarginLoss(), (x, tgt), (0,)),
        "mm_p2_m": (nn.MultiMarginLoss(p=2, margin=0.7, reduction="sum"), (x, tgt), (0,)),
        "mm_w_none": (nn.MultiMarginLoss(weight=w, reduction="none"), (x, tgt), (0,)),
        "tmd": (nn.TripletMarginWithDistanceLoss(), (a, p, n), (0, 1, 2)),
        "tmd_swap_none": (nn.TripletMarginWithDistanceLoss(swap=True, reduction="none",
                                                           margin=3.0), (a, p, n), (0, 1, 2)),
        "gnll": (nn.GaussianNLLLoss(), (x, a[:, :5], var), (0, 1, 2)),
        "gnll_full_sum": (nn.GaussianNLLLoss(full=True, reduction="sum"), (x, a[:, :5], var),
                          (0, 1, 2)),
        "gnll_var1_none": (nn.GaussianNLLLoss(reduction="none", eps=0.1), (x, a[:, :5], var1),
                           (0, 2)),
        "gnll_eps": (nn.GaussianNLLLoss(), (x, a[:, :5], var0), (0, 2)),
        "pois": (nn.PoissonNLLLoss(), (x, counts), (0,)),
        "pois_rate_full": (nn.PoissonNLLLoss(log_input=False, full=True, reduction="sum"),
                           (rate, counts), (0,)),
        "pois_full_none": (nn.PoissonNLLLoss(full=True, reduction="none", eps=1e-3),
                           (x, counts), (0,)),
        "mr": (nn.MarginRankingLoss(), (i1, i2, sign), (0, 1)),
        "mr_m_sum": (nn.MarginRankingLoss(margin=0.5, reduction="sum"), (i1, i2, sign), (0, 1)),
        "mr_none": (nn.MarginRankingLoss(margin=0.2, reduction="none"), (i1, i2, sign), (0, 1)),
        "he": (nn.HingeEmbeddingLoss(), (x, y), (0,)),
        "he_m_sum": (nn.HingeEmbeddingLoss(margin=0.5, reduction="sum"), (x, y), (0,)),
        "he_none": (nn.HingeEmbeddingLoss(margin=2, reduction="none"), (x, y), (0,)),
    }
    out = {}
    for name, (loss, args, pos) in cases.items():
        out[name] = loss(*args)
        grads = ops.grad(loss, grad_position=pos)(*args)
        if len(pos) == 1:
            grads = (grads,)
        for k, g in zip(pos, grads):
            out["%s_g%d" % (name, k)] = g
    out["f_mm"] = ops.multi_margin_loss(x, tgt, p=2, margin=2, weight=w)
    out["f_gnll"] = ops.gaussian_nll_loss(x, a[:, :5], var, full=True, reduction="none")
    out["f_mr"] = ops.margin_ranking_loss(i1, i2, sign, 0.3)
    out["f_he"] = ops.hinge_embedding_loss(x, y, 0.8, "none")
    return out
