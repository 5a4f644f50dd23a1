"""User code whose names look like the generated code's own (see compiler/names.py)."""
import numpy as np


def template(x, y):
    NAME = x * y
    s = NAME + 1.0
    for i in range(2):
        s = s * 0.5 + NAME * x
    if np.sum(s) > -1e9:
        s = s + x
    return np.sum(s * s)


def shadows_np_and_ops(np, ops):
    return np * ops * 3.0 + ops


def unicode_names(α, β):
    γ = α * β
    return γ * γ + α


def early_exit_names(x, _broke, _skip):
    _returned = x * _broke
    _return_value = _returned + _skip
    for i in range(3):
        if i == 2:
            break
        _return_value = _return_value * x
    return np.sum(_return_value)
