"""Learning-rate schedules as Cells: MindSpore 2.10's ``mindspore.nn.learning_rate_schedule``
(``nn.ExponentialDecayLR``, ``nn.NaturalExpDecayLR``, ``nn.InverseDecayLR``,
``nn.CosineDecayLR``, ``nn.PolynomialDecayLR``, ``nn.WarmUpLR``, and the base
``LearningRateSchedule``, which MindSpore, too, keeps out of ``nn``'s namespace).

A schedule is called with the optimizer's ``global_step`` (an int Tensor; a number works too)
and returns the learning rate of that step as a float32 Tensor of the step's shape.  An
optimizer given one as ``learning_rate`` calls it at every step.  The arithmetic is done in
float32, in MindSpore's order (compared with recorded MindSpore values in
``tests/ms_cases/cases/train_lr_cells.py``); the argument checks are MindSpore's.  A schedule
runs eagerly in numpy: optimizers are never differentiated, so neither are schedules.
"""
from __future__ import annotations

import math

import numpy as np

from ..cell import Cell
from ..tensor import Tensor, unwrap
from .dynamic_lr import check_bool, check_float, check_positive_int

__all__ = ["ExponentialDecayLR", "NaturalExpDecayLR", "InverseDecayLR", "CosineDecayLR",
           "PolynomialDecayLR", "WarmUpLR"]

_F32 = np.float32


class LearningRateSchedule(Cell):
    """Base class of the schedules: ``construct(global_step)`` returns the learning rate."""

    def __init__(self) -> None:
        super().__init__()

    def construct(self, global_step):
        raise NotImplementedError

    @staticmethod
    def _step(global_step) -> np.ndarray:
        """The global step as float32 (MindSpore casts it so)."""
        return np.asarray(unwrap(global_step)).astype(_F32)


def _out(value) -> Tensor:
    return Tensor(np.asarray(value, _F32))


def _check_inputs(learning_rate, decay_rate, decay_steps, is_stair, cls) -> None:
    check_positive_int(decay_steps, "decay_steps", cls)
    check_float(learning_rate, "learning_rate", cls)
    check_float(decay_rate, "decay_rate", cls)
    check_bool(is_stair, "is_stair", cls)


class ExponentialDecayLR(LearningRateSchedule):
    """MindSpore's ``nn.ExponentialDecayLR(learning_rate, decay_rate, decay_steps,
    is_stair=False)``: ``learning_rate * decay_rate ** (step / decay_steps)``, the exponent
    floored with ``is_stair``."""

    def __init__(self, learning_rate, decay_rate, decay_steps, is_stair=False) -> None:
        super().__init__()
        _check_inputs(learning_rate, decay_rate, decay_steps, is_stair, "ExponentialDecayLR")
        self.learning_rate, self.decay_rate = learning_rate, decay_rate
        self.decay_steps, self.is_stair = decay_steps, is_stair

    def construct(self, global_step):
        p = self._step(global_step) / _F32(self.decay_steps)
        if self.is_stair:
            p = np.floor(p)
        return _out(_F32(self.learning_rate) * np.power(_F32(self.decay_rate), p))


class NaturalExpDecayLR(LearningRateSchedule):
    """MindSpore's ``nn.NaturalExpDecayLR(learning_rate, decay_rate, decay_steps,
    is_stair=False)``: ``learning_rate * e ** (-decay_rate * step)``, the step rounded down to
    a multiple of ``decay_steps`` with ``is_stair``."""

    def __init__(self, learning_rate, decay_rate, decay_steps, is_stair=False) -> None:
        super().__init__()
        _check_inputs(learning_rate, decay_rate, decay_steps, is_stair, "NaturalExpDecayLR")
        self.learning_rate, self.decay_rate = learning_rate, decay_rate
        self.decay_steps, self.is_stair = decay_steps, is_stair

    def construct(self, global_step):
        p = self._step(global_step)
        if self.is_stair:
            p = np.floor_divide(p, _F32(self.decay_steps)) * _F32(self.decay_steps)
        return _out(_F32(self.learning_rate) * np.power(_F32(math.e), _F32(-self.decay_rate) * p))


class InverseDecayLR(LearningRateSchedule):
    """MindSpore's ``nn.InverseDecayLR(learning_rate, decay_rate, decay_steps,
    is_stair=False)``: ``learning_rate / (1 + decay_rate * step / decay_steps)``, the ratio
    floored with ``is_stair``."""

    def __init__(self, learning_rate, decay_rate, decay_steps, is_stair=False) -> None:
        super().__init__()
        _check_inputs(learning_rate, decay_rate, decay_steps, is_stair, "InverseDecayLR")
        self.learning_rate, self.decay_rate = learning_rate, decay_rate
        self.decay_steps, self.is_stair = decay_steps, is_stair

    def construct(self, global_step):
        p = self._step(global_step) / _F32(self.decay_steps)
        if self.is_stair:
            p = np.floor(p)
        return _out(_F32(self.learning_rate) / (_F32(1) + _F32(self.decay_rate) * p))


class CosineDecayLR(LearningRateSchedule):
    """MindSpore's ``nn.CosineDecayLR(min_lr, max_lr, decay_steps)``:
    ``min_lr + 0.5 (max_lr - min_lr) (1 + cos(pi min(step, decay_steps) / decay_steps))``
    (computed, as there, with ``sin(pi (p + 0.5))``)."""

    def __init__(self, min_lr, max_lr, decay_steps) -> None:
        super().__init__()
        if not isinstance(min_lr, float):
            raise TypeError("For 'CosineDecayLR', the argument 'min_lr' must be type of float, "
                            "but got 'min_lr' type: %s." % type(min_lr))
        check_float(min_lr, "min_lr", "CosineDecayLR", positive=False)
        check_float(max_lr, "max_lr", "CosineDecayLR")
        check_positive_int(decay_steps, "decay_steps", "CosineDecayLR")
        if min_lr >= max_lr:
            raise ValueError("For 'CosineDecayLR', the 'max_lr' must be greater than the "
                             "'min_lr', but got 'max_lr' value: %s, 'min_lr' value: %s."
                             % (max_lr, min_lr))
        self.min_lr, self.max_lr, self.decay_steps = min_lr, max_lr, decay_steps
        self.delta = 0.5 * (max_lr - min_lr)

    def construct(self, global_step):
        p = np.minimum(self._step(global_step), _F32(self.decay_steps))
        angle = _F32(math.pi) * (p / _F32(self.decay_steps) + _F32(0.5))
        return _out(_F32(self.min_lr) + _F32(self.delta) * (_F32(1.0) + np.sin(angle)))


class PolynomialDecayLR(LearningRateSchedule):
    """MindSpore's ``nn.PolynomialDecayLR(learning_rate, end_learning_rate, decay_steps, power,
    update_decay_steps=False)``: ``(learning_rate - end_learning_rate) (1 - s / D) ** power +
    end_learning_rate`` with ``s = min(step, decay_steps)``, ``D = decay_steps``; with
    ``update_decay_steps``, ``s = step`` and ``D = decay_steps * max(ceil(step / decay_steps),
    1)``."""

    def __init__(self, learning_rate, end_learning_rate, decay_steps, power,
                 update_decay_steps=False) -> None:
        super().__init__()
        check_float(learning_rate, "learning_rate")
        if not isinstance(end_learning_rate, float):
            raise TypeError("For 'PolynomialDecayLR', the argument 'end_learning_rate' must be "
                            "type of float, but got 'end_learning_rate' type: %s."
                            % type(end_learning_rate))
        check_float(end_learning_rate, "end_learning_rate", "PolynomialDecayLR", positive=False)
        check_positive_int(decay_steps, "decay_steps", "PolynomialDecayLR")
        check_bool(update_decay_steps, "update_decay_steps", "PolynomialDecayLR")
        check_float(power, "power", "PolynomialDecayLR")
        self.decay_steps, self.power = decay_steps, power
        self.start_learning_rate, self.end_learning_rate = learning_rate, end_learning_rate
        self.diff_learning_rate = learning_rate - end_learning_rate
        self.update_decay_steps = update_decay_steps

    def construct(self, global_step):
        step = self._step(global_step)
        span = _F32(self.decay_steps)
        if self.update_decay_steps:
            span = span * np.maximum(np.ceil(step / span), _F32(1))
        else:
            step = np.minimum(step, span)
        p = step / span
        return _out(_F32(self.diff_learning_rate) * np.power(_F32(1.0) - p, _F32(self.power))
                    + _F32(self.end_learning_rate))


class WarmUpLR(LearningRateSchedule):
    """MindSpore's ``nn.WarmUpLR(learning_rate, warmup_steps)``:
    ``learning_rate * min(step, warmup_steps) / warmup_steps``."""

    def __init__(self, learning_rate, warmup_steps) -> None:
        super().__init__()
        if not isinstance(learning_rate, float):
            raise TypeError("For 'WarmUpLR', the argument 'learning_rate' must be type of float, "
                            "but got 'learning_rate' type: %s." % type(learning_rate))
        check_float(learning_rate, "learning_rate", "WarmUpLR", positive=False)
        check_positive_int(warmup_steps, "warmup_steps", "WarmUpLR")
        self.warmup_steps, self.learning_rate = warmup_steps, learning_rate

    def construct(self, global_step):
        step = np.minimum(self._step(global_step), _F32(self.warmup_steps))
        return _out(_F32(self.learning_rate) * (step / _F32(self.warmup_steps)))
