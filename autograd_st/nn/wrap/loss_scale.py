"""``mindspore.nn.wrap.loss_scale``: ``nn.TrainOneStepWithLossScaleCell`` and the update
Cells ``nn.DynamicLossScaleUpdateCell`` / ``nn.FixedLossScaleUpdateCell``.

MindSpore 2.10's arithmetic, step by step: the backward starts from ``scale`` (the loss's
initial gradient, ``sens``), each gradient is multiplied by ``1 / scale`` in its dtype, a
step overflows when any gradient is not finite (MindSpore's CPU/GPU check); the update Cell
then adjusts the ``scale_sense`` Parameter and the optimizer runs only without overflow.

What differs: MindSpore 2.10 cannot run ``TrainOneStepWithLossScaleCell`` on CPU at all (its
overflow check calls ``NPUGetFloatStatusV2``, which has no CPU kernel, in PyNative and graph
mode: measured); here it runs the arithmetic above, MindSpore's GPU path.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ...cell import Cell
from ...ops import GradOperation
from ...tensor import Parameter, Tensor, unwrap
from .cell_wrapper import TrainOneStepCell

__all__ = ["DynamicLossScaleUpdateCell", "FixedLossScaleUpdateCell",
           "TrainOneStepWithLossScaleCell"]


def _flag(overflow) -> bool:
    return bool(np.asarray(unwrap(overflow)).reshape(-1).any())


class DynamicLossScaleUpdateCell(Cell):
    """MindSpore's ``nn.DynamicLossScaleUpdateCell(loss_scale_value, scale_factor,
    scale_window)``: called as ``cell(loss_scale, overflow)`` it writes the new scale into
    the ``loss_scale`` Parameter -- divided by ``scale_factor`` (not below 1) after an
    overflow, multiplied by it once ``scale_window`` steps passed since the last overflow or
    increase -- and returns ``overflow``.  Its Parameters ``current_iterator_step`` (from 1)
    and ``last_overflow_iterator_step`` (from 0) are MindSpore's."""

    def __init__(self, loss_scale_value, scale_factor, scale_window) -> None:
        super().__init__()
        self.scale_window = int(scale_window)
        self.scale_factor = np.float32(scale_factor)
        self.loss_scale_value = loss_scale_value
        self.cur_iter = Parameter(np.array(1, np.int32), name="current_iterator_step",
                                  requires_grad=False)
        self.last_overflow_iter = Parameter(np.array(0, np.int32),
                                            name="last_overflow_iterator_step",
                                            requires_grad=False)

    def get_loss_scale(self):
        """The initial loss scale given (MindSpore returns it, not the current one)."""
        return self.loss_scale_value

    def construct(self, loss_scale, overflow):
        scale = unwrap(loss_scale)
        over = _flag(overflow)
        now = np.asarray(scale, np.float32)
        on_overflow = (np.maximum(now * (np.float32(1) / self.scale_factor), np.float32(1))
                       if over else now)
        cur = int(self.cur_iter.asnumpy())
        should_inc = self.scale_window <= cur - int(self.last_overflow_iter.asnumpy())
        if over or should_inc:
            self.last_overflow_iter.asnumpy()[()] = cur
        new = on_overflow * self.scale_factor if should_inc and not over else on_overflow
        np.copyto(scale, np.asarray(new, scale.dtype).reshape(scale.shape))
        self.cur_iter.asnumpy()[()] = cur + 1
        return overflow


class FixedLossScaleUpdateCell(Cell):
    """MindSpore's ``nn.FixedLossScaleUpdateCell(loss_scale_value)``: the scale never
    changes; ``cell(loss_scale, overflow)`` returns ``overflow``."""

    def __init__(self, loss_scale_value) -> None:
        super().__init__()
        self.loss_scale_value = loss_scale_value

    def get_loss_scale(self):
        """The loss scale given."""
        return self.loss_scale_value

    def construct(self, _, overflow):
        return overflow


class TrainOneStepWithLossScaleCell(TrainOneStepCell):
    """MindSpore's ``nn.TrainOneStepWithLossScaleCell(network, optimizer, scale_sense)``:
    ``scale_sense`` is an update Cell (its ``get_loss_scale()`` starts the ``scale_sense``
    Parameter) or a Tensor of shape ``()`` / ``(1,)``.  A call returns ``(loss, overflow,
    scale_sense)``: the loss before the update, a bool Tensor, the ``scale_sense`` Parameter
    (the scale after this step's update); the optimizer steps only without overflow.
    ``set_sense_scale(Tensor)`` sets the scale."""

    def __init__(self, network: Cell, optimizer: Cell, scale_sense) -> None:
        super().__init__(network, optimizer, sens=None)
        self.loss_scaling_manager = None
        if isinstance(scale_sense, Cell):
            self.loss_scaling_manager = scale_sense
            with np.errstate(over="ignore"):  # (2.0 ** 128 is inf in float32, as there)
                start = np.array(scale_sense.get_loss_scale(), np.float32)
            self.scale_sense = Parameter(start, name="scale_sense", requires_grad=False)
        elif isinstance(scale_sense, Tensor):
            if scale_sense.shape not in ((1,), ()):
                raise ValueError("For 'TrainOneStepWithLossScaleCell', the shape of "
                                 "'scale_sense' must be (1,) or (), but got %s."
                                 % (scale_sense.shape,))
            self.scale_sense = Parameter(np.array(unwrap(scale_sense)), name="scale_sense",
                                         requires_grad=False)
        else:
            raise TypeError("For 'TrainOneStepWithLossScaleCell', the 'scale_sense' must be "
                            "Cell or Tensor, but got 'scale_sense' type: %s."
                            % type(scale_sense))
        object.__setattr__(self, "_grad_op", GradOperation(get_by_list=True, sens_param=True))

    def get_overflow_status(self, status, compute_output) -> Tensor:
        """Whether any gradient holds an inf or a NaN (a bool Tensor)."""
        return Tensor(np.array(not all(np.isfinite(np.asarray(unwrap(g))).all()
                                       for g in compute_output)))

    def process_loss_scale(self, overflow):
        """The update Cell's answer (it rewrites ``scale_sense``), or ``overflow``."""
        if self.loss_scaling_manager is not None:
            return self.loss_scaling_manager(self.scale_sense, overflow)
        return overflow

    def set_sense_scale(self, sens) -> None:
        """Sets the ``scale_sense`` Parameter's value (a Tensor)."""
        if not isinstance(sens, Tensor):
            raise TypeError("For 'TrainOneStepWithLossScaleCell', the type of 'sens' must be "
                            "Tensor, but got %s" % type(sens))
        self.scale_sense.set_data(sens)

    def construct(self, *inputs) -> Any:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return self._step(inputs)  # (an overflow is this Cell's business: no warnings)

    def _step(self, inputs) -> tuple:
        loss = self.network(*inputs)
        scale = np.asarray(self.scale_sense.asnumpy()).reshape(-1)[0]
        data = unwrap(loss)
        sens = Tensor(np.ones_like(data) * np.asarray(scale, data.dtype))
        grads = self._grad_op(self.network, self.weights)(*inputs, sens)
        grads = tuple(Tensor(np.asarray(unwrap(g)) * (np.ones((), unwrap(g).dtype)
                                                      / np.asarray(scale, unwrap(g).dtype)))
                      for g in grads)
        grads = self.grad_reducer(grads)
        cond = self.get_overflow_status(None, grads)
        overflow = self.process_loss_scale(cond)
        if not _flag(overflow):
            self.optimizer(grads)
        return loss, cond, self.scale_sense
