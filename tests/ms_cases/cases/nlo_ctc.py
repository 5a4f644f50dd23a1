"""nn.CTCLoss and ops.ctc_loss: the negative log-likelihood and its gradient w.r.t. the
log-probabilities for each reduction, another blank, repeated labels, an impossible
alignment with zero_infinity, and the unbatched (T, C) form."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


def run():
    rs = np.random.RandomState(3)
    T, N, C = 6, 3, 5
    lp = Tensor(np.log(rs.dirichlet(np.ones(C), (T, N))).astype(np.float32))
    tg = Tensor(np.array([[1, 2, 2], [3, 1, 0], [4, 4, 4]], np.int32))
    il = Tensor(np.array([6, 5, 6], np.int32))
    tl = Tensor(np.array([3, 2, 2], np.int32))
    tg_b = Tensor(np.array([[1, 2, 0], [3, 1, 2], [0, 0, 2]], np.int32))  # (no target is the blank)
    tl_short = Tensor(np.array([3, 3, 1], np.int32))
    tl_rep = Tensor(np.array([3, 2, 2], np.int32))
    il_short = Tensor(np.array([6, 2, 2], np.int32))  # [4, 4] in 2 frames: impossible
    out = {}
    for red in ("mean", "sum", "none"):
        loss = nn.CTCLoss(reduction=red)
        out["ctc_" + red] = loss(lp, tg, il, tl)
        out["ctc_%s_g" % red] = ops.grad(loss)(lp, tg, il, tl)
    loss = nn.CTCLoss(blank=4, reduction="sum")
    out["ctc_blank4"] = loss(lp, tg_b, il, tl_short)
    out["ctc_blank4_g"] = ops.grad(loss)(lp, tg_b, il, tl_short)
    loss = nn.CTCLoss(reduction="none", zero_infinity=True)
    out["ctc_zinf"] = loss(lp, tg, il_short, tl_rep)
    out["ctc_zinf_mean"] = nn.CTCLoss(zero_infinity=True)(lp, tg, il_short, tl_rep)
    out["ctc_zinf_sum"] = nn.CTCLoss(reduction="sum", zero_infinity=True)(lp, tg, il_short,
                                                                        tl_rep)
    out["ctc_zinf_g"] = ops.grad(nn.CTCLoss(zero_infinity=True))(lp, tg, il_short, tl_rep)
    out["ctc_inf_value"] = nn.CTCLoss(reduction="none")(lp, tg, il_short, tl_rep)
    lp2 = Tensor(np.log(rs.dirichlet(np.ones(C), (T,))).astype(np.float32))
    single = nn.CTCLoss()
    out["ctc_2d"] = single(lp2, Tensor(np.array([1, 3, 3], np.int32)),
                           Tensor(np.array([6], np.int32)), Tensor(np.array([3], np.int32)))
    out["ctc_2d_g"] = ops.grad(single)(lp2, Tensor(np.array([1, 3, 3], np.int32)),
                                       Tensor(np.array([6], np.int32)),
                                       Tensor(np.array([3], np.int32)))
    nll, alpha = ops.ctc_loss(lp, tg, il, tl, reduction="none")
    out["f_ctc_nll"] = nll
    out["f_ctc_alpha_finite"] = ops.where(ops.isinf(alpha), ops.zeros_like(alpha) - 1e4, alpha)
    raw = Tensor(rs.standard_normal((T, N, C)).astype(np.float32))
    out["ctc_logsoftmax_g"] = ops.grad(
        lambda z: nn.CTCLoss()(ops.log_softmax(z, 2), tg, il, tl))(raw)
    return out
