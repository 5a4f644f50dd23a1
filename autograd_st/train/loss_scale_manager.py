"""Loss-scale managers with MindSpore 2.10's API (``mindspore.train.loss_scale_manager``, also
``mindspore.FixedLossScaleManager`` / ``mindspore.DynamicLossScaleManager``).

``Model(..., loss_scale_manager=FixedLossScaleManager(s, drop_overflow_update=False))`` scales
the loss's gradient by ``s`` (the optimizer's ``loss_scale`` undoes it), as MindSpore does on
CPU.  Managers that skip overflowing steps (``drop_overflow_update=True``, the dynamic one)
need ``TrainOneStepWithLossScaleCell``, which MindSpore's ``Model`` refuses on CPU: so does
``Model`` here (MindSpore's ``ValueError``).  Their ``get_update_cell()`` gives the update Cell
(``nn.DynamicLossScaleUpdateCell`` / ``nn.FixedLossScaleUpdateCell``) for building
``nn.TrainOneStepWithLossScaleCell(net, opt, scale_sense=manager.get_update_cell())`` by
hand, as MindSpore scripts do; ``update_loss_scale`` is MindSpore's arithmetic too.
"""
from __future__ import annotations

from ..nn import DynamicLossScaleUpdateCell, FixedLossScaleUpdateCell

__all__ = ["LossScaleManager", "FixedLossScaleManager", "DynamicLossScaleManager"]


class LossScaleManager:
    """Base class: ``get_loss_scale``, ``update_loss_scale(overflow)``, ``get_update_cell``."""

    def get_loss_scale(self):
        """The current loss scale."""

    def update_loss_scale(self, overflow):
        """Adjust the scale after a step (``overflow``: whether its gradients overflowed)."""

    def get_update_cell(self):
        """What updates the scale inside the training step (None: nothing does)."""


class FixedLossScaleManager(LossScaleManager):
    """MindSpore's ``FixedLossScaleManager(loss_scale=128.0, drop_overflow_update=True)``: a
    constant scale (``>= 1``); with ``drop_overflow_update`` a step whose gradients overflow
    would be skipped (refused by ``Model`` on CPU, as in MindSpore)."""

    def __init__(self, loss_scale=128.0, drop_overflow_update=True) -> None:
        if loss_scale < 1:
            raise ValueError("The argument 'loss_scale' must be >= 1, but got %s" % (loss_scale,))
        self._loss_scale = loss_scale
        self._drop_overflow_update = drop_overflow_update

    def get_loss_scale(self):
        return self._loss_scale

    def get_drop_overflow_update(self):
        return self._drop_overflow_update

    def update_loss_scale(self, overflow):
        """A fixed scale does not change."""

    def get_update_cell(self):
        if not self._drop_overflow_update:
            return None
        return FixedLossScaleUpdateCell(self._loss_scale)


class DynamicLossScaleManager(LossScaleManager):
    """MindSpore's ``DynamicLossScaleManager(init_loss_scale=2**24, scale_factor=2,
    scale_window=2000)``: divide the scale by ``scale_factor`` (not below 1) after an overflow,
    multiply it after ``scale_window`` steps without one; more than 1000 overflowing steps in a
    row raise ``RuntimeError``."""

    def __init__(self, init_loss_scale=2 ** 24, scale_factor=2, scale_window=2000) -> None:
        if init_loss_scale < 1.0:
            raise ValueError("The argument 'init_loss_scale' must be > 1, but got %s"
                             % (init_loss_scale,))
        if isinstance(scale_window, bool) or not isinstance(scale_window, int) \
                or scale_window <= 0:
            raise ValueError("For 'DynamicLossScaleManager', the 'scale_window' must be int and "
                             "must > 0, but got %r." % (scale_window,))
        if scale_factor <= 0:
            raise ValueError("The argument 'scale_factor' must be > 0, but got %s"
                             % (scale_factor,))
        self.loss_scale = init_loss_scale
        self.scale_window = scale_window
        self.scale_factor = scale_factor
        self.increase_ratio = scale_factor
        self.decrease_ratio = 1 / scale_factor
        self.cur_iter = 1
        self.last_overflow_iter = 0
        self.bad_step_max = 1000
        self.bad_step = 0

    def get_loss_scale(self):
        return self.loss_scale

    def update_loss_scale(self, overflow):
        if overflow:
            self.loss_scale = max(self.loss_scale * self.decrease_ratio, 1)
            self.last_overflow_iter = self.cur_iter
            self.bad_step += 1
        else:
            if (self.cur_iter - self.last_overflow_iter) % self.scale_window == 0:
                self.loss_scale *= self.increase_ratio
            self.bad_step = 0
        if self.bad_step > self.bad_step_max:
            raise RuntimeError("Dynamic loss scale Continuous overflow %d times, has exceeded "
                               "maximum threshold." % self.bad_step)
        self.cur_iter += 1

    def get_drop_overflow_update(self):
        return True

    def get_update_cell(self):
        return DynamicLossScaleUpdateCell(self.loss_scale, self.scale_factor, self.scale_window)
