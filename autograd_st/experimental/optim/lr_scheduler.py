"""``mindspore.experimental.optim.lr_scheduler``: MindSpore 2.10's PyTorch-style schedulers.

A scheduler rewrites its optimizer's learning-rate Parameters (``optimizer.lrs``, the groups'
``'lr'``), one value per group, when ``step()`` is called (once at construction too), and
``get_last_lr()`` returns them as a list of float32 scalar Tensors (copies).  As in MindSpore
(measured): ``last_epoch`` is a float32 Parameter; the chained forms (``lr * gamma``) compute
in float32 from the current learning rates, ``step(epoch)`` uses the closed form from the
groups' ``initial_lr`` (set by the first scheduler, a float32 Tensor) where the class has
one; ``LambdaLR``'s and ``MultiplicativeLR``'s functions receive the epoch as a float32
Tensor; ``SequentialLR`` steps the scheduler of the current phase and restarts it at its
milestone with ``step(0)``.  ``MultiStepLR.step(epoch)`` fails in MindSpore 2.10 (its closed
form reads an attribute it lacks): it raises here too, saying so.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np

from ._scheduler_base import _F32, LRScheduler, _call
from .lr_scheduler_more import (
    CosineAnnealingWarmRestarts,
    CyclicLR,
    ReduceLROnPlateau,
    SequentialLR,
)

__all__ = ["LRScheduler", "StepLR", "LinearLR", "ExponentialLR", "PolynomialLR",
           "MultiplicativeLR", "ConstantLR", "MultiStepLR", "LambdaLR", "SequentialLR",
           "ReduceLROnPlateau", "CyclicLR", "CosineAnnealingWarmRestarts", "CosineAnnealingLR"]

def _check_type(value, types: tuple, name: str, cls: str) -> None:
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        raise TypeError("For '%s', the '%s' must be %s, but got %s."
                        % (cls, name, " or ".join(t.__name__ for t in types), type(value)))


class StepLR(LRScheduler):
    """``lr * gamma`` every ``step_size`` epochs."""

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        _check_type(step_size, (int, bool), "step_size", "StepLR")
        _check_type(gamma, (float,), "gamma", "StepLR")
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        epoch = self._epoch()
        if epoch == 0 or epoch % self.step_size != 0:
            return [lr * 1.0 for lr in self._lrs()]
        return [lr * self.gamma for lr in self._lrs()]

    def _get_closed_form_lr(self):
        return [base * self.gamma ** (self._epoch() // self.step_size) for base in self._base()]


class LinearLR(LRScheduler):
    """The factor goes linearly from ``start_factor`` to ``end_factor`` in ``total_iters``."""

    def __init__(self, optimizer, start_factor: float = 1.0 / 3, end_factor: float = 1.0,
                 total_iters: int = 5, last_epoch: int = -1) -> None:
        if start_factor > 1.0 or start_factor <= 0:
            raise ValueError("Starting multiplicative factor expected to be greater than 0 and "
                             "less than or equal to 1.")
        if end_factor > 1.0 or end_factor < 0:
            raise ValueError("Ending multiplicative factor expected to be between 0 and 1.")
        if not isinstance(total_iters, int):
            raise TypeError("For 'LinearLR', the type of total_iters must be int, but got %s."
                            % type(total_iters))
        self.start_factor = start_factor
        self.end_factor = end_factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        epoch = self._epoch()
        if epoch == 0:
            return [lr * self.start_factor for lr in self._lrs()]
        if epoch > self.total_iters:
            return [lr * 1.0 for lr in self._lrs()]
        span = self.end_factor - self.start_factor
        factor = 1.0 + span / (self.total_iters * self.start_factor + (epoch - 1) * span)
        return [lr * factor for lr in self._lrs()]

    def _get_closed_form_lr(self):
        epoch = min(self.total_iters, self._epoch())
        return [base * (self.start_factor + (self.end_factor - self.start_factor) * epoch
                        / self.total_iters) for base in self._base()]


class ExponentialLR(LRScheduler):
    """``lr * gamma`` every epoch."""

    def __init__(self, optimizer, gamma: float, last_epoch: int = -1) -> None:
        _check_type(gamma, (float,), "gamma", "ExponentialLR")
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        if self._epoch() == 0:
            return [lr * 1.0 for lr in self._lrs()]
        return [lr * self.gamma for lr in self._lrs()]

    def _get_closed_form_lr(self):
        return [base * self.gamma ** self._epoch() for base in self._base()]


class PolynomialLR(LRScheduler):
    """``base_lr * (1 - min(total_iters, epoch) / total_iters) ** power``."""

    def __init__(self, optimizer, total_iters: int = 5, power: float = 1.0,
                 last_epoch: int = -1) -> None:
        _check_type(power, (float,), "power", "PolynomialLR")
        if power < 0:
            raise ValueError("For 'PolynomialLR', the 'power' must be >= 0, but got %s." % power)
        if not isinstance(total_iters, int):
            raise TypeError("For 'PolynomialLR', the type of total_iters must be int, but got "
                            "%s." % type(total_iters))
        self.total_iters = total_iters
        self.power = power
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        epoch = self._epoch()
        if epoch == 0 or epoch > self.total_iters:
            return [lr * 1.0 for lr in self._lrs()]
        factor = ((1.0 - epoch / self.total_iters)
                  / (1.0 - (epoch - 1) / self.total_iters)) ** self.power
        return [lr * factor for lr in self._lrs()]

    def _get_closed_form_lr(self):
        epoch = min(_F32(self.total_iters), self._epoch())
        return [base * (1.0 - epoch / self.total_iters) ** self.power for base in self._base()]


def _lambdas(optimizer, lr_lambda) -> list:
    count = len(optimizer.param_groups)
    if isinstance(lr_lambda, (list, tuple)):
        if len(lr_lambda) != count:
            raise ValueError("Expected {} lr_lambdas, but got {}".format(count, len(lr_lambda)))
        return list(lr_lambda)
    return [lr_lambda] * count


class LambdaLR(LRScheduler):
    """``base_lr * lr_lambda(epoch)`` (one function, or one per group)."""

    def __init__(self, optimizer, lr_lambda, last_epoch: int = -1) -> None:
        self.lr_lambdas = _lambdas(optimizer, lr_lambda)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        epoch = self._epoch()
        return [base * _call(fn, epoch) for fn, base in zip(self.lr_lambdas, self._base())]


class MultiplicativeLR(LRScheduler):
    """``lr * lr_lambda(epoch)`` every epoch after the first."""

    def __init__(self, optimizer, lr_lambda, last_epoch: int = -1) -> None:
        self.lr_lambdas = _lambdas(optimizer, lr_lambda)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        epoch = self._epoch()
        if epoch > 0:
            return [lr * _call(fn, epoch) for fn, lr in zip(self.lr_lambdas, self._lrs())]
        return [lr * 1.0 for lr in self._lrs()]


class MultiStepLR(LRScheduler):
    """``lr * gamma ** k`` at an epoch listed ``k`` times in ``milestones``."""

    def __init__(self, optimizer, milestones: list, gamma: float = 0.1,
                 last_epoch: int = -1) -> None:
        if not isinstance(milestones, list):
            raise TypeError("For 'MultiStepLR', the type of 'milestones' should be 'list', but "
                            "got '%s'." % type(milestones).__name__)
        for milestone in milestones:
            if not isinstance(milestone, int):
                raise TypeError("For 'MultiStepLR', elements of the 'milestones' must be type "
                                "of int, but got one element of 'milestones' type: %s."
                                % type(milestone))
        _check_type(gamma, (float, int), "gamma", "MultiStepLR")
        self.milestones = Counter(milestones)
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        lrs = self._lrs()
        count = self.milestones.get(int(self._epoch()), 0)
        if count:
            return [lr * self.gamma ** count for lr in lrs]
        return lrs

    def _get_closed_form_lr(self):
        raise AttributeError(
            "'MultiStepLR' object has no attribute 'step_size': MindSpore 2.10's "
            "MultiStepLR.step(epoch) fails so (also as a SequentialLR phase after the first, "
            "restarted with step(0)); call step() without an epoch")


class ConstantLR(LRScheduler):
    """``lr * factor`` until ``total_iters``, then ``lr``."""

    def __init__(self, optimizer, factor: float = 1.0 / 3, total_iters: int = 5,
                 last_epoch: int = -1) -> None:
        if factor > 1.0 or factor < 0:
            raise ValueError("Constant multiplicative factor expected to be between 0 and 1.")
        if not isinstance(total_iters, int):
            raise TypeError("For 'ConstantLR', the type of total_iters must be int, but got %s."
                            % type(total_iters))
        self.factor = factor
        self.total_iters = total_iters
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        epoch = self._epoch()
        if epoch == 0:
            return [lr * self.factor for lr in self._lrs()]
        if epoch != self.total_iters:
            return [lr * 1.0 for lr in self._lrs()]
        return [lr / self.factor for lr in self._lrs()]

    def _get_closed_form_lr(self):
        after = float(self._epoch() >= self.total_iters)
        return [base * (self.factor + after * (1 - self.factor)) for base in self._base()]


class CosineAnnealingLR(LRScheduler):
    """Cosine annealing from the base rate to ``eta_min`` in ``T_max`` epochs (chained)."""

    def __init__(self, optimizer, T_max: int, eta_min: float = 0.0,
                 last_epoch: int = -1) -> None:
        _check_type(eta_min, (float, int), "eta_min", "CosineAnnealingLR")
        _check_type(T_max, (int, bool), "T_max", "CosineAnnealingLR")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        epoch = self._epoch()
        if epoch == 0:
            return [lr * 1.0 for lr in self._lrs()]
        if (epoch - 1 - self.T_max) % (2 * self.T_max) == 0:
            half = (1 - np.cos(_F32(math.pi / self.T_max))) / 2
            return [lr + (base - self.eta_min) * half
                    for base, lr in zip(self._base(), self._lrs())]
        pi = _F32(math.pi)
        ratio = ((1 + np.cos(pi * epoch / self.T_max))
                 / (1 + np.cos(pi * (epoch - 1) / self.T_max)))
        return [ratio * (lr - self.eta_min) + self.eta_min for lr in self._lrs()]

    def _get_closed_form_lr(self):
        cos = np.cos(_F32(math.pi) * self._epoch() / self.T_max)
        return [self.eta_min + (base - self.eta_min) * (1 + cos) / 2 for base in self._base()]
