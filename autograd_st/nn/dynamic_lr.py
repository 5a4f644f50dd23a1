"""Dynamic learning rates as lists, one value per step: MindSpore 2.10's
``mindspore.nn.dynamic_lr`` (``nn.exponential_decay_lr``, ``nn.natural_exp_decay_lr``,
``nn.inverse_decay_lr``, ``nn.cosine_decay_lr``, ``nn.polynomial_decay_lr``,
``nn.warmup_lr``, ``nn.piecewise_constant_lr``).

Each returns a plain Python list of floats that any optimizer takes as ``learning_rate``
(step ``t`` uses entry ``t``).  With ``current_epoch = floor(i / step_per_epoch)`` for step
``i``, the formulas, argument checks and error types are MindSpore's (compared with recorded
MindSpore lists in ``tests/ms_cases/cases/train_lr_lists.py``).
"""
from __future__ import annotations

import math

__all__ = ["piecewise_constant_lr", "exponential_decay_lr", "natural_exp_decay_lr",
           "inverse_decay_lr", "cosine_decay_lr", "polynomial_decay_lr", "warmup_lr"]


def _prefix(cls: str | None) -> str:
    return "For '%s', the" % cls if cls else "The"


def check_positive_int(value, name: str, cls: str | None = None) -> int:
    """An int (not a bool) above 0, else MindSpore's TypeError / ValueError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("%s '%s' must be int and must > 0, but got '%s' with type '%s'."
                        % (_prefix(cls), name, value, type(value).__name__))
    if value <= 0:
        raise ValueError("%s '%s' must be int and must > 0, but got '%s' with type 'int'."
                         % (_prefix(cls), name, value))
    return value


def check_float(value, name: str, cls: str | None = None, positive: bool = True) -> float:
    """A float above 0 (``positive``) or at least 0, else MindSpore's TypeError / ValueError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError("%s '%s' must be float, but got '%s'"
                        % (_prefix(cls), name, type(value).__name__))
    if positive and value <= 0:
        raise ValueError("%s '%s' must be float and must > 0, but got '%s' with type '%s'."
                         % (_prefix(cls), name, value, type(value).__name__))
    if value < 0:
        raise ValueError("%s '%s' must be float and must >= 0, but got '%s' with type '%s'."
                         % (_prefix(cls), name, value, type(value).__name__))
    if not isinstance(value, float):
        raise TypeError("%s '%s' must be float, but got '%s'"
                        % (_prefix(cls), name, type(value).__name__))
    return value


def check_bool(value, name: str, cls: str | None = None) -> bool:
    if not isinstance(value, bool):
        raise TypeError("%s type of '%s' should be 'bool', but got type '%s'."
                        % (_prefix(cls), name, type(value).__name__))
    return value


def _check_inputs(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch,
                  is_stair) -> None:
    check_positive_int(total_step, "total_step")
    check_positive_int(step_per_epoch, "step_per_epoch")
    check_positive_int(decay_epoch, "decay_epoch")
    check_float(learning_rate, "learning_rate")
    check_float(decay_rate, "decay_rate")
    check_bool(is_stair, "is_stair")


def piecewise_constant_lr(milestone, learning_rates) -> list:
    """MindSpore's ``nn.piecewise_constant_lr(milestone, learning_rates)``: ``learning_rates[t]``
    for the steps in ``[milestone[t-1], milestone[t])``; ``milestone[-1]`` values in all."""
    for name, value in (("milestone", milestone), ("learning_rates", learning_rates)):
        if not isinstance(value, (tuple, list)):
            raise TypeError("The type of '%s' should be one of ['tuple', 'list'], but got type "
                            "'%s'." % (name, type(value).__name__))
    if len(milestone) != len(learning_rates):
        raise ValueError("For 'piecewise_constant_lr', the size of 'milestone' must be same with "
                         "the size of 'learning_rates', but got 'milestone' size: %d, "
                         "'learning_rates' size: %d." % (len(milestone), len(learning_rates)))
    lr: list = []
    last = 0
    for i, item in enumerate(milestone):
        check_positive_int(item, "milestone[%d]" % i)
        if isinstance(learning_rates[i], bool) or not isinstance(learning_rates[i], float):
            raise TypeError("The 'learning_rates[%d]' must be float, but got '%s'"
                            % (i, type(learning_rates[i]).__name__))
        if item < last:
            raise ValueError("For 'piecewise_constant_lr', the value of milestone[%d] must be "
                             "greater than milestone[%d], but got milestone[%d]: %s, "
                             "milestone[%d]: %s." % (i, i - 1, i, item, i - 1, milestone[i - 1]))
        lr += [learning_rates[i]] * (item - last)
        last = item
    return lr


def exponential_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch,
                         is_stair=False) -> list:
    """MindSpore's ``nn.exponential_decay_lr``:
    ``learning_rate * decay_rate ** (current_epoch / decay_epoch)`` (the exponent floored
    with ``is_stair``)."""
    _check_inputs(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    out = []
    for i in range(total_step):
        p = math.floor(i / step_per_epoch) / decay_epoch
        out.append(learning_rate * decay_rate ** (math.floor(p) if is_stair else p))
    return out


def natural_exp_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch,
                         is_stair=False) -> list:
    """MindSpore's ``nn.natural_exp_decay_lr``:
    ``learning_rate * e ** (-decay_rate * current_epoch)`` (``current_epoch`` rounded down to
    a multiple of ``decay_epoch`` with ``is_stair``)."""
    _check_inputs(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    out = []
    for i in range(total_step):
        epoch = math.floor(i / step_per_epoch)
        if is_stair:
            epoch = math.floor(epoch / decay_epoch) * decay_epoch
        out.append(learning_rate * math.e ** (-decay_rate * epoch))
    return out


def inverse_decay_lr(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch,
                     is_stair=False) -> list:
    """MindSpore's ``nn.inverse_decay_lr``:
    ``learning_rate / (1 + decay_rate * current_epoch / decay_epoch)`` (the ratio floored with
    ``is_stair``)."""
    _check_inputs(learning_rate, decay_rate, total_step, step_per_epoch, decay_epoch, is_stair)
    out = []
    for i in range(total_step):
        epoch = math.floor(i / step_per_epoch)
        if is_stair:
            out.append(learning_rate / (1 + decay_rate * math.floor(epoch / decay_epoch)))
        else:
            out.append(learning_rate / (1 + decay_rate * epoch / decay_epoch))
    return out


def cosine_decay_lr(min_lr, max_lr, total_step, step_per_epoch, decay_epoch) -> list:
    """MindSpore's ``nn.cosine_decay_lr``: ``min_lr + 0.5 (max_lr - min_lr)
    (1 + cos(pi min(current_epoch, decay_epoch) / decay_epoch))``."""
    if not isinstance(min_lr, float):
        raise TypeError("For 'cosine_decay_lr', the argument 'min_lr' must be type of float, but "
                        "got 'min_lr' type: %s." % type(min_lr))
    check_float(min_lr, "min_lr", positive=False)
    check_float(max_lr, "max_lr")
    check_positive_int(total_step, "total_step")
    check_positive_int(step_per_epoch, "step_per_epoch")
    check_positive_int(decay_epoch, "decay_epoch")
    if min_lr >= max_lr:
        raise ValueError("For 'cosine_decay_lr', the 'max_lr' must be greater than the 'min_lr', "
                         "but got 'max_lr' value: %s, 'min_lr' value: %s." % (max_lr, min_lr))
    delta = 0.5 * (max_lr - min_lr)
    out = []
    for i in range(total_step):
        epoch = min(math.floor(i / step_per_epoch), decay_epoch)
        out.append(min_lr + delta * (1 + math.cos(math.pi * epoch / decay_epoch)))
    return out


def polynomial_decay_lr(learning_rate, end_learning_rate, total_step, step_per_epoch,
                        decay_epoch, power, update_decay_epoch=False) -> list:
    """MindSpore's ``nn.polynomial_decay_lr``: ``(learning_rate - end_learning_rate)
    (1 - e / D) ** power + end_learning_rate`` with ``e = min(current_epoch, decay_epoch)`` and
    ``D = decay_epoch``, or, with ``update_decay_epoch``, ``e = current_epoch`` and ``D`` the
    first multiple of ``decay_epoch`` at or above it (at least ``decay_epoch``)."""
    check_float(learning_rate, "learning_rate")
    if not isinstance(end_learning_rate, float):
        raise TypeError("For 'polynomial_decay_lr', the argument 'end_learning_rate' must be type "
                        "of float, but got 'end_learning_rate' type: %s."
                        % type(end_learning_rate))
    check_float(end_learning_rate, "end_learning_rate", positive=False)
    check_float(power, "power")
    check_positive_int(total_step, "total_step")
    check_positive_int(step_per_epoch, "step_per_epoch")
    check_positive_int(decay_epoch, "decay_epoch")
    check_bool(update_decay_epoch, "update_decay_epoch")
    delta = learning_rate - end_learning_rate
    out = []
    for i in range(total_step):
        epoch = math.floor(i / step_per_epoch)
        if update_decay_epoch:
            span = decay_epoch * max(math.ceil(epoch / decay_epoch), 1)
        else:
            span, epoch = decay_epoch, min(decay_epoch, epoch)
        out.append(delta * (1 - epoch / span) ** power + end_learning_rate)
    return out


def warmup_lr(learning_rate, total_step, step_per_epoch, warmup_epoch) -> list:
    """MindSpore's ``nn.warmup_lr``:
    ``learning_rate * min(current_epoch, warmup_epoch) / warmup_epoch``."""
    if not isinstance(learning_rate, float):
        raise TypeError("For 'warmup_lr', the argument 'learning_rate' must be type of float, but "
                        "got 'learning_rate' type: %s." % type(learning_rate))
    check_float(learning_rate, "learning_rate", positive=False)
    check_positive_int(warmup_epoch, "warmup_epoch")
    check_positive_int(total_step, "total_step")
    check_positive_int(step_per_epoch, "step_per_epoch")
    return [learning_rate * min(warmup_epoch, math.floor(i / step_per_epoch)) / warmup_epoch
            for i in range(total_step)]
