"""The LearningRateSchedule Cells of mindspore.nn evaluated at global steps 0..5 (int32 Tensors)."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor


def run():
    cells = {
        "exp": nn.ExponentialDecayLR(0.1, 0.9, 4),
        "exp_stair": nn.ExponentialDecayLR(0.1, 0.9, 2, is_stair=True),
        "natural": nn.NaturalExpDecayLR(0.1, 0.9, 4),
        "natural_stair": nn.NaturalExpDecayLR(0.1, 0.9, 2, True),
        "inverse": nn.InverseDecayLR(0.1, 0.5, 2),
        "inverse_stair": nn.InverseDecayLR(0.1, 0.5, 2, True),
        "cosine": nn.CosineDecayLR(0.01, 0.1, 4),
        "poly": nn.PolynomialDecayLR(0.1, 0.01, 4, 0.5),
        "poly_update": nn.PolynomialDecayLR(0.1, 0.01, 2, 2.0, update_decay_steps=True),
        "warmup": nn.WarmUpLR(0.1, 3),
    }
    out = {}
    for name, cell in cells.items():
        out[name] = np.array([cell(Tensor(step, ms.int32)).asnumpy() for step in range(6)])
    return out
