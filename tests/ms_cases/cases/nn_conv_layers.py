"""Conv2d (pad modes, 4-sided padding, stride, dilation, group, bias), Conv1d and
Conv2dTranspose with weights from numpy: outputs and the gradients of sum(out ** 2) w.r.t.
the input and the weights."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class SumSq(nn.Cell):
    def __init__(self, cell):
        super().__init__()
        self.cell = cell

    def construct(self, x):
        y = self.cell(x)
        return (y * y).sum()


def _t(rs, *shape):
    return Tensor((rs.standard_normal(shape) * 0.3).astype(np.float32))


def run():
    rs = np.random.RandomState(5)
    x = _t(rs, 2, 4, 7, 6)
    x1 = _t(rs, 2, 4, 9)
    cells = {
        "c2_same": (nn.Conv2d(4, 3, 3, weight_init=_t(rs, 3, 4, 3, 3)), x),
        "c2_same_s2": (nn.Conv2d(4, 3, 2, stride=2, has_bias=True,
                                 weight_init=_t(rs, 3, 4, 2, 2), bias_init=_t(rs, 3)), x),
        "c2_valid": (nn.Conv2d(4, 2, (3, 2), pad_mode="valid", weight_init=_t(rs, 2, 4, 3, 2)),
                     x),
        "c2_pad": (nn.Conv2d(4, 2, 3, pad_mode="pad", padding=1, has_bias=True,
                             weight_init=_t(rs, 2, 4, 3, 3), bias_init=_t(rs, 2)), x),
        "c2_pad4": (nn.Conv2d(4, 2, 3, pad_mode="pad", padding=(1, 2, 0, 1),
                              weight_init=_t(rs, 2, 4, 3, 3)), x),
        "c2_dil_group": (nn.Conv2d(4, 6, 3, pad_mode="pad", padding=2, dilation=2, group=2,
                                   weight_init=_t(rs, 6, 2, 3, 3)), x),
        "c1_same": (nn.Conv1d(4, 3, 3, has_bias=True, weight_init=_t(rs, 3, 4, 3),
                              bias_init=_t(rs, 3)), x1),
        "c1_pad_s2": (nn.Conv1d(4, 2, 3, stride=2, pad_mode="pad", padding=1,
                                weight_init=_t(rs, 2, 4, 3)), x1),
        "c1_valid_dil": (nn.Conv1d(4, 2, 2, pad_mode="valid", dilation=3,
                                   weight_init=_t(rs, 2, 4, 2)), x1),
        "ct_same": (nn.Conv2dTranspose(4, 3, 3, weight_init=_t(rs, 4, 3, 3, 3)), x),
        "ct_same_s2": (nn.Conv2dTranspose(4, 3, 3, stride=2, has_bias=True,
                                          weight_init=_t(rs, 4, 3, 3, 3),
                                          bias_init=_t(rs, 3)), x),
        "ct_valid_s2": (nn.Conv2dTranspose(4, 2, 2, stride=2, pad_mode="valid",
                                           weight_init=_t(rs, 4, 2, 2, 2)), x),
        "ct_pad": (nn.Conv2dTranspose(4, 2, 3, stride=2, pad_mode="pad", padding=1,
                                      weight_init=_t(rs, 4, 2, 3, 3)), x),
    }
    out = {}
    for name, (cell, inp) in cells.items():
        out[name] = cell(inp)
        params = cell.trainable_params()
        gx, gw = ops.grad(SumSq(cell), grad_position=0, weights=params)(inp)
        out[name + "_gx"] = gx
        for p, g in zip(params, gw):
            out[name + "_g" + p.name.split(".")[-1]] = g
    return out
