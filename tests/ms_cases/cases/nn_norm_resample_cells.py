"""GroupNorm and BatchNorm2d (training: batch statistics and the moving statistics written;
inference) with weights from numpy, and the resampling Cells (Upsample, PixelShuffle,
PixelUnshuffle): outputs and the gradients of sum(out * r) w.r.t. the input and weights."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class Weighted(nn.Cell):
    def __init__(self, cell, r):
        super().__init__()
        self.cell = cell
        self.r = r

    def construct(self, x):
        return (self.cell(x) * self.r).sum()


def run():
    rs = np.random.RandomState(19)
    x = Tensor((rs.standard_normal((2, 4, 3, 5)) * 2 + 1).astype(np.float32))
    r = Tensor(rs.standard_normal((2, 4, 3, 5)).astype(np.float32))
    gamma = Tensor(rs.uniform(0.5, 1.5, (4,)).astype(np.float32))
    beta = Tensor(rs.standard_normal((4,)).astype(np.float32))
    out = {}
    for name, cell in (("gn2", nn.GroupNorm(2, 4, gamma_init=gamma, beta_init=beta)),
                       ("gn1", nn.GroupNorm(1, 4, eps=1e-3)),
                       ("gn4", nn.GroupNorm(4, 4, gamma_init=gamma, beta_init=beta)),
                       ("bn", nn.BatchNorm2d(4, momentum=0.8, gamma_init=gamma,
                                             beta_init=beta))):
        cell.set_train()
        params = cell.trainable_params()
        gx, gw = ops.grad(Weighted(cell, r), grad_position=0, weights=params)(x)
        out[name] = cell(x)
        out[name + "_gx"] = gx
        for p, g in zip(params, gw):
            out[name + "_g" + p.name.split(".")[-1]] = g
    bn = nn.BatchNorm2d(4)
    bn.set_train()
    bn(x)
    out["bn_moving_mean"] = bn.moving_mean
    out["bn_moving_var"] = bn.moving_variance
    bn.set_train(False)
    out["bn_eval"] = bn(x)
    out["bn_eval_gx"] = ops.grad(Weighted(bn, r))(x)
    small = Tensor(rs.standard_normal((1, 8, 2, 3)).astype(np.float32))
    for name, cell, inp in (
            ("up_nearest", nn.Upsample(size=(5, 7)), small),
            ("up_bilinear", nn.Upsample(size=(3, 4), mode="bilinear"), small),
            ("up_bilinear_ac", nn.Upsample(size=(4, 7), mode="bilinear", align_corners=True),
             small),
            ("shuffle", nn.PixelShuffle(2), small),
            ("unshuffle", nn.PixelUnshuffle(2), x[:, :, :2, :4])):
        y = cell(inp)
        rr = Tensor(rs.standard_normal(y.shape).astype(np.float32))
        out[name] = y
        out[name + "_grad"] = ops.grad(Weighted(cell, rr))(inp)
    return out
