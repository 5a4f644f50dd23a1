"""The dynamic learning-rate lists of mindspore.nn (exponential, natural_exp, inverse, cosine,
polynomial, warmup, piecewise_constant), stair and smooth forms."""
import numpy as np
import mindspore as ms
from mindspore import nn


def run():
    out = {
        "exp": nn.exponential_decay_lr(0.1, 0.9, 6, 2, 1),
        "exp_stair": nn.exponential_decay_lr(0.1, 0.9, 7, 2, 2, True),
        "natural": nn.natural_exp_decay_lr(0.1, 0.9, 6, 2, 2),
        "natural_stair": nn.natural_exp_decay_lr(0.1, 0.9, 7, 3, 2, True),
        "inverse": nn.inverse_decay_lr(0.1, 0.5, 6, 1, 2),
        "inverse_stair": nn.inverse_decay_lr(0.1, 0.5, 7, 2, 2, True),
        "cosine": nn.cosine_decay_lr(0.01, 0.1, 6, 2, 2),
        "cosine_long": nn.cosine_decay_lr(0.0, 0.1, 10, 1, 4),
        "poly": nn.polynomial_decay_lr(0.1, 0.01, 6, 2, 2, 0.5),
        "poly_update": nn.polynomial_decay_lr(0.1, 0.01, 9, 2, 2, 2.0, True),
        "poly_noupdate_past": nn.polynomial_decay_lr(0.1, 0.01, 9, 2, 2, 2.0),
        "warmup": nn.warmup_lr(0.1, 6, 2, 2),
        "warmup_past": nn.warmup_lr(0.1, 8, 1, 3),
        "piecewise": nn.piecewise_constant_lr([2, 5, 6], [0.1, 0.05, 0.01]),
    }
    return {k: np.array(v, np.float64) for k, v in out.items()}
