"""Class/segmentation losses (FocalLoss, DiceLoss, MultiClassDiceLoss, RMSELoss, MAELoss,
MultiLabelSoftMarginLoss, L1Regularizer; no CPU MultilabelMarginLoss kernel): values and gradients."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


def run():
    rs = np.random.RandomState(11)
    f = lambda *s: Tensor(rs.standard_normal(s).astype(np.float32))  # noqa: E731
    x = f(4, 5)
    x3 = f(2, 3, 4)
    onehot = Tensor(np.eye(5, dtype=np.float32)[[1, 0, 4, 2]])
    idx1 = Tensor(np.array([[1], [0], [4], [2]], np.int32))
    lab3 = Tensor(np.eye(3, dtype=np.float32)[rs.randint(0, 3, (2, 4))].transpose(0, 2, 1).copy())
    w = Tensor(np.array([1.0, 2.0, 0.5, 1.5, 0.8], np.float32))
    prob = Tensor(rs.uniform(0.05, 0.95, (4, 5)).astype(np.float32))
    bin_ = Tensor((rs.uniform(0, 1, (4, 5)) > 0.5).astype(np.float32))
    y = f(4, 5)
    dw = Tensor(np.array([[0.5, 1.0, 2.0]], np.float32).T.copy())
    cases = {
        "focal": (nn.FocalLoss(), (x, onehot), (0,)),
        "focal_idx_w": (nn.FocalLoss(weight=w, gamma=1.5, reduction="sum"), (x, idx1), (0,)),
        "focal_3d_none": (nn.FocalLoss(gamma=0.0, reduction="none"), (x3, lab3), (0,)),
        "dice": (nn.DiceLoss(), (prob, bin_), (0, 1)),
        "dice_s": (nn.DiceLoss(smooth=0.5), (x3, lab3), (0,)),
        "mcdice": (nn.MultiClassDiceLoss(), (x3, lab3), (0,)),
        "mcdice_ign_w": (nn.MultiClassDiceLoss(weights=dw, ignore_indiex=1,
                                               activation="sigmoid"), (x3, lab3), (0,)),
        "rmse": (nn.RMSELoss(), (x, y), (0, 1)),
        "mae": (nn.MAELoss(), (x, y), (0,)),
        "mae_sum": (nn.MAELoss("sum"), (x, y), (0,)),
        "mae_none": (nn.MAELoss("none"), (x, y), (0,)),
        "mlsm": (nn.MultiLabelSoftMarginLoss(), (x, bin_), (0,)),
        "mlsm_w_sum": (nn.MultiLabelSoftMarginLoss(weight=w, reduction="sum"), (x, bin_), (0,)),
        "mlsm_none": (nn.MultiLabelSoftMarginLoss(reduction="none"), (x, prob), (0,)),
        "l1reg": (nn.L1Regularizer(0.3), (x,), (0,)),
    }
    out = {}
    for name, (loss, args, pos) in cases.items():
        out[name] = loss(*args)
        grads = ops.grad(loss, grad_position=pos)(*args)
        if len(pos) == 1:
            grads = (grads,)
        for k, g in zip(pos, grads):
            out["%s_g%d" % (name, k)] = g
    out["f_mlsm"] = ops.multilabel_soft_margin_loss(x, bin_, w, "none")
    return out
