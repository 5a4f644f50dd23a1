"""The schedulers of ``experimental.optim.lr_scheduler`` that keep state of their own:
``SequentialLR``, ``ReduceLROnPlateau``, ``CyclicLR`` and ``CosineAnnealingWarmRestarts``
(MindSpore 2.10's rules, float32 as there; see :mod:`.lr_scheduler`)."""
from __future__ import annotations

import math
from bisect import bisect_right

import numpy as np

from ...tensor import Parameter, Tensor
from ._scheduler_base import _F32, LRScheduler, _call, _epoch_parameter, _f32, _write
from .optimizer import Optimizer

__all__ = ["SequentialLR", "ReduceLROnPlateau", "CyclicLR", "CosineAnnealingWarmRestarts"]


class SequentialLR:
    """``schedulers[i]`` runs from ``milestones[i - 1]``, restarted there with ``step(0)``."""

    def __init__(self, optimizer, schedulers: list, milestones: list,
                 last_epoch: int = -1) -> None:
        for i, scheduler in enumerate(schedulers):
            if scheduler.optimizer is not optimizer:
                raise ValueError("Sequential Schedulers expects all schedulers to belong to the "
                                 "same optimizer, but got scheduler at index %d is different "
                                 "from the optimizer passed in." % i)
        if len(milestones) != len(schedulers) - 1:
            raise ValueError("Sequential Schedulers expects number of schedulers provided to be "
                             "one more than the number of milestone points, but got number of "
                             "schedulers {} and the number of milestones {}"
                             .format(len(schedulers), len(milestones)))
        self._schedulers = schedulers
        self.milestones = milestones
        self.last_epoch = _epoch_parameter(last_epoch + 1, "SequentialLR")
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            _write(group["lr"], group["initial_lr"])
        for scheduler in schedulers:
            _write(scheduler.last_epoch, _f32(scheduler.last_epoch) - 1)
        schedulers[0].step()
        self._last_lr = schedulers[0]._last_lr

    def step(self) -> None:
        epoch = _f32(self.last_epoch) + 1
        _write(self.last_epoch, epoch)
        index = bisect_right(self.milestones, int(epoch))
        scheduler = self._schedulers[index]
        if index > 0 and self.milestones[index - 1] == int(epoch):
            scheduler.step(0)
        else:
            scheduler.step()

    get_last_lr = LRScheduler.get_last_lr


class ReduceLROnPlateau:
    """``lr * factor`` (not below ``min_lr``) once the metric given to ``step(metric)`` has
    not improved for more than ``patience`` epochs."""

    def __init__(self, optimizer, mode: str = "min", factor: float = 0.1, patience: int = 10,
                 threshold: float = 1e-4, threshold_mode: str = "rel", cooldown: int = 0,
                 min_lr=0, eps: float = 1e-8) -> None:
        if factor >= 1.0:
            raise ValueError("The lr factor should be less than 1.0.")
        if not isinstance(optimizer, Optimizer):
            raise TypeError("Expected an `Optimizer`, but got type {}"
                            .format(type(optimizer).__name__))
        self.factor = factor
        self.optimizer = optimizer
        count = len(optimizer.param_groups)
        if isinstance(min_lr, (list, tuple)):
            if len(min_lr) != count:
                raise ValueError("Expected {} min_lrs, got {}".format(count, len(min_lr)))
            self.min_lrs = [_F32(lr) for lr in min_lr]
        else:
            self.min_lrs = [_F32(min_lr)] * count
        if mode not in ("min", "max"):
            raise ValueError("`mode` should be 'min' or 'max', but got %s." % mode)
        if threshold_mode not in ("rel", "abs"):
            raise ValueError("`threshold mode` should be 'rel' or 'abs', but got %s."
                             % threshold_mode)
        self.mode, self.patience, self.threshold = mode, patience, threshold
        self.threshold_mode, self.cooldown, self.eps = threshold_mode, cooldown, eps
        self.mode_worse = math.inf if mode == "min" else -math.inf
        self.last_epoch = Parameter(np.array(0, np.int32), name="last_epoch_ReduceLROnPlateau",
                                    requires_grad=False)
        self.best = Parameter(np.array(self.mode_worse, np.float32), name="best",
                              requires_grad=False)
        self.cooldown_counter = Parameter(np.array(0, np.float32), name="cooldown_counter",
                                          requires_grad=False)
        self.wait = Parameter(np.array(0, np.float32), name="wait", requires_grad=False)
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    def step(self, metrics) -> bool:
        current = _f32(metrics)
        self.last_epoch.asnumpy()[()] += 1
        if self._is_improvement(current, _f32(self.best)):
            _write(self.best, current)
            _write(self.wait, 0)
        else:
            _write(self.wait, _f32(self.wait) + 1)
        if self.in_cooldown():
            _write(self.cooldown_counter, _f32(self.cooldown_counter) - 1)
            _write(self.wait, 0)
        if _f32(self.wait) > self.patience:
            for lr, min_lr in zip(self._last_lr, self.min_lrs):
                old = _f32(lr)
                new = max(old * _F32(self.factor), min_lr)
                if old > new + _F32(self.eps):
                    _write(lr, new)
            _write(self.cooldown_counter, self.cooldown)
            _write(self.wait, 0)
        return True

    def in_cooldown(self) -> bool:
        return bool(_f32(self.cooldown_counter) > 0)

    def _is_improvement(self, current, best) -> bool:
        if self.threshold_mode == "rel":
            scale = 1.0 - self.threshold if self.mode == "min" else self.threshold + 1.0
            benchmark = best * _F32(scale)
        else:
            benchmark = best - _F32(self.threshold) if self.mode == "min" \
                else best + _F32(self.threshold)
        return bool(current < benchmark if self.mode == "min" else current > benchmark)

    get_last_lr = LRScheduler.get_last_lr


def _per_group(optimizer, value, name: str) -> list:
    if isinstance(value, (list, tuple)):
        if len(value) != len(optimizer.param_groups):
            raise ValueError("Expected {} values for {}, got {}"
                             .format(len(optimizer.param_groups), name, len(value)))
        return list(value)
    return [value] * len(optimizer.param_groups)


class CyclicLR(LRScheduler):
    """The rate cycles between ``base_lr`` and ``max_lr`` (``'triangular'``,
    ``'triangular2'``, ``'exp_range'`` or ``scale_fn``); no momentum cycling, as in
    MindSpore."""

    def __init__(self, optimizer, base_lr, max_lr, step_size_up: int = 2000,
                 step_size_down=None, mode: str = "triangular", gamma: float = 1.0,
                 scale_fn=None, scale_mode: str = "cycle", last_epoch: int = -1) -> None:
        base_lrs = _per_group(optimizer, base_lr, "base_lr")
        if last_epoch == -1:
            for lr, group in zip(base_lrs, optimizer.param_groups):
                _write(group["lr"], lr)
        self.max_lrs = [_F32(lr) for lr in _per_group(optimizer, max_lr, "max_lr")]
        up = float(step_size_up)
        down = up if step_size_down is None else float(step_size_down)
        self.total_step_size = up + down
        self.step_up_ratio = up / self.total_step_size
        if mode not in ("triangular", "triangular2", "exp_range") and scale_fn is None:
            raise ValueError("mode is invalid and scale_fn is None")
        self.mode, self.gamma = mode, gamma
        self._scale_fn_custom = scale_fn
        self.scale_mode = scale_mode
        if scale_fn is None:
            self.scale_mode = "iterations" if mode == "exp_range" else "cycle"
        super().__init__(optimizer, last_epoch)
        self.base_lrs = [Tensor(np.array(lr, np.float32)) for lr in base_lrs]

    def scale_fn(self, x):
        if self._scale_fn_custom is not None:
            return _call(self._scale_fn_custom, x)
        if self.mode == "triangular":
            return 1.0
        if self.mode == "triangular2":
            return 1 / (2.0 ** (x - 1))
        return self.gamma ** x

    def get_lr(self):
        epoch = self._epoch()
        cycle = np.floor(1 + epoch / _F32(self.total_step_size))
        x = 1.0 + epoch / _F32(self.total_step_size) - cycle
        if x <= self.step_up_ratio:
            scale = x / self.step_up_ratio
        else:
            scale = (x - 1) / (self.step_up_ratio - 1)
        scaled = self.scale_fn(cycle if self.scale_mode == "cycle" else epoch)
        return [base + (top - base) * scale * scaled
                for base, top in zip(self._base(), self.max_lrs)]


class CosineAnnealingWarmRestarts(LRScheduler):
    """Cosine annealing restarted every ``T_i`` epochs (``T_0``, times ``T_mult`` each
    restart)."""

    def __init__(self, optimizer, T_0: int, T_mult: int = 1, eta_min=0,
                 last_epoch: int = -1) -> None:
        if not isinstance(T_0, int) or T_0 <= 0:
            raise ValueError("T_0 should be an integer and equal or greater than 0, but got {}"
                             .format(T_0))
        if not isinstance(T_mult, int) or T_mult < 1:
            raise ValueError("T_mult should be an integer and equal or greater than 1, but got "
                             "{}".format(T_mult))
        if isinstance(eta_min, bool) or not isinstance(eta_min, (float, int)):
            raise TypeError("For 'CosineAnnealingWarmRestarts', the type of 'eta_min' should "
                            "be one of '[float, int]', but got '%s'." % type(eta_min).__name__)
        self.T_0 = Parameter(np.array(T_0, np.float32), name="T_0", requires_grad=False)
        self.T_i = Parameter(np.array(T_0, np.float32), name="T_i", requires_grad=False)
        self.T_mult = T_mult
        self.eta_min = eta_min
        self.T_cur = Parameter(np.array(last_epoch, np.float32), name="T_cur",
                               requires_grad=False)
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        pct = _F32(math.pi) * _f32(self.T_cur) / _f32(self.T_i)
        return [self.eta_min + (base - self.eta_min) * (1 + np.cos(pct)) / 2
                for base in self._base()]

    def step(self, epoch=None):
        if epoch is None and self._epoch() < 0:
            epoch = 0
        if epoch is None:
            epoch = self._epoch() + 1
            _write(self.T_cur, _f32(self.T_cur) + 1)
            if _f32(self.T_cur) >= _f32(self.T_i):
                _write(self.T_cur, _f32(self.T_cur) - _f32(self.T_i))
                _write(self.T_i, _f32(self.T_i) * self.T_mult)
        else:
            epoch = _f32(epoch)
            if epoch < 0:
                raise ValueError("epoch should be a non-negative integer, but got {}"
                                 .format(epoch))
            t0 = _f32(self.T_0)
            if epoch >= t0:
                if self.T_mult == 1:
                    _write(self.T_cur, epoch % t0)
                else:
                    n = int(math.log(epoch / t0 * (self.T_mult - 1) + 1, self.T_mult))
                    _write(self.T_cur, epoch - t0 * (self.T_mult ** n - 1) / (self.T_mult - 1))
                    _write(self.T_i, t0 * self.T_mult ** n)
            else:
                _write(self.T_i, t0)
                _write(self.T_cur, epoch)
        _write(self.last_epoch, np.floor(_f32(epoch)))
        for lr, value in zip(self._last_lr, self.get_lr()):
            _write(lr, value)
        return True
