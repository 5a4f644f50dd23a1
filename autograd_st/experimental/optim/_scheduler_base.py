"""The base of ``experimental.optim.lr_scheduler``: ``LRScheduler`` and the float32 helpers
its schedulers share (see :mod:`.lr_scheduler`)."""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from ...tensor import Parameter, Tensor, unwrap
from .optimizer import Optimizer

__all__ = ["LRScheduler"]

_F32 = np.float32


def _f32(value: Any) -> np.float32:
    """A scalar (number, Tensor, Parameter, array) as a float32 number."""
    return _F32(np.asarray(unwrap(value)).reshape(()))


def _write(param: Parameter, value) -> None:
    np.copyto(param.asnumpy(), _f32(value))


def _epoch_parameter(value, cls: str) -> Parameter:
    return Parameter(np.array(value, np.float32), name="last_epoch_" + cls,
                     requires_grad=False)


class LRScheduler:
    """``LRScheduler(optimizer, last_epoch=-1)``: the base of the epoch schedulers."""

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError("{} is not an Optimizer (experimental.optim's or mint.optim's; an "
                            "nn optimizer takes a schedule as its learning_rate "
                            "instead)".format(type(optimizer).__name__))
        if isinstance(last_epoch, bool) or not isinstance(last_epoch, int):
            raise TypeError("For '%s', the type of 'last_epoch' should be 'int', but got '%s'."
                            % (type(self).__name__, type(last_epoch).__name__))
        if last_epoch < -1:
            raise ValueError("Invalid last_epoch: {}".format(last_epoch))
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", Tensor(np.array(_f32(group["lr"]))))
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError("param 'initial_lr' is not specified in param_groups[%d] "
                                   "when resuming an optimizer: give last_epoch=-1, or set "
                                   "each group's 'initial_lr' first" % i)
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.optimizer = optimizer
        self._last_lr = list(optimizer.lrs)
        self.groups_num = len(optimizer.param_groups)
        self.last_epoch = _epoch_parameter(last_epoch, type(self).__name__)
        self.step()

    # -- the epoch and the rates, as float32 numbers ---------------------------------------
    def _epoch(self) -> np.float32:
        return _f32(self.last_epoch)

    def _lrs(self) -> list:
        return [_f32(lr) for lr in self._last_lr]

    def _base(self) -> list:
        return [_f32(lr) for lr in self.base_lrs]

    def get_lr(self) -> list:
        raise NotImplementedError

    def get_last_lr(self) -> list:
        """The groups' learning rates now: float32 scalar Tensors (copies)."""
        return [Tensor(np.array(_f32(lr))) for lr in self._last_lr]

    def step(self, epoch=None):
        """One epoch on (``epoch=None``) or to ``epoch`` (the closed form where there is one)."""
        if epoch is None:
            _write(self.last_epoch, self._epoch() + 1)
            values = self.get_lr()
        else:
            _write(self.last_epoch, epoch)
            closed = getattr(self, "_get_closed_form_lr", None)
            values = closed() if closed is not None else self.get_lr()
        for lr, value in zip(self._last_lr, values):
            _write(lr, value)
        return True


def _call(fn: Callable, epoch: np.float32) -> np.float32:
    """A user function of the epoch, given it as MindSpore does: a float32 Tensor."""
    return _f32(fn(Tensor(np.array(epoch))))
