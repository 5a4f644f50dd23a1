"""Pooling layers (MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveMaxPool2d, MaxPool1d,
AvgPool1d) in each
pad_mode: the output and the gradient of sum(out ** 2) w.r.t. the input."""
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


def run():
    rs = np.random.RandomState(3)
    x = Tensor(rs.standard_normal((2, 3, 7, 6)).astype(np.float32))
    x1 = Tensor(rs.standard_normal((2, 3, 9)).astype(np.float32))
    cells = {
        "max_valid": (nn.MaxPool2d(2, 2), x),
        "max_k3s1": (nn.MaxPool2d(3, 1), x),
        "max_same": (nn.MaxPool2d(3, 2, pad_mode="same"), x),
        "max_same_k2": (nn.MaxPool2d(2, 2, pad_mode="same"), x),
        "max_pad": (nn.MaxPool2d(3, 2, pad_mode="pad", padding=1), x),
        "max_pad_hw": (nn.MaxPool2d((3, 2), (2, 1), pad_mode="pad", padding=(1, 0)), x),
        "max_ceil": (nn.MaxPool2d(2, 2, pad_mode="pad", ceil_mode=True), x),
        "max_dil": (nn.MaxPool2d(2, 1, pad_mode="pad", dilation=2), x),
        "avg_valid": (nn.AvgPool2d(2, 2), x),
        "avg_same": (nn.AvgPool2d(3, 2, pad_mode="same"), x),
        "avg_same_k2": (nn.AvgPool2d(2, 2, pad_mode="same"), x),
        "avg_pad": (nn.AvgPool2d(3, 2, pad_mode="pad", padding=1), x),
        "avg_pad_nocip": (nn.AvgPool2d(3, 2, pad_mode="pad", padding=1,
                                       count_include_pad=False), x),
        "avg_ceil": (nn.AvgPool2d(2, 2, pad_mode="pad", ceil_mode=True), x),
        "avg_ceil_pad": (nn.AvgPool2d(3, 2, pad_mode="pad", padding=1, ceil_mode=True), x),
        "avg_div": (nn.AvgPool2d(2, 2, pad_mode="pad", divisor_override=3), x),
        "adaptive_3": (nn.AdaptiveAvgPool2d(3), x),
        "adaptive_hw": (nn.AdaptiveAvgPool2d((4, None)), x),
        "adaptive_up": (nn.AdaptiveAvgPool2d((9, 4)), x),
        "adaptive_max_3": (nn.AdaptiveMaxPool2d(3), x),
        "adaptive_max_hw": (nn.AdaptiveMaxPool2d((5, None)), x),
        "adaptive_max_up": (nn.AdaptiveMaxPool2d((9, 4)), x),
        "max1d": (nn.MaxPool1d(2, 2), x1),
        "max1d_same": (nn.MaxPool1d(3, 2, pad_mode="same"), x1),
        "avg1d": (nn.AvgPool1d(3, 2), x1),
        "avg1d_same": (nn.AvgPool1d(2, 2, pad_mode="same"), x1),
    }
    out = {}
    for name, (cell, inp) in cells.items():
        out[name] = cell(inp)
        out[name + "_grad"] = ops.grad(SumSq(cell))(inp)
    # return_indices: where each maximum is (flat index into the plane), and the gradient
    # of the values through a Cell that returns both
    for name, cell, inp in (
            ("max_idx_pad", nn.MaxPool2d(3, 2, pad_mode="pad", padding=1, return_indices=True),
             x),
            ("max_idx_ceil", nn.MaxPool2d(2, 2, pad_mode="pad", ceil_mode=True,
                                          return_indices=True), x),
            ("max1d_idx", nn.MaxPool1d(2, 2, pad_mode="pad", return_indices=True), x1),
            ("adaptive_max_idx", nn.AdaptiveMaxPool2d((3, 4), return_indices=True), x)):
        y, idx = cell(inp)
        out[name] = y
        out[name + "_indices"] = idx
        out[name + "_grad"] = ops.grad(SumSqFirst(cell))(inp)
    return out


class SumSqFirst(nn.Cell):
    def __init__(self, cell):
        super().__init__()
        self.cell = cell

    def construct(self, x):
        y, _ = self.cell(x)
        return (y * y).sum()
