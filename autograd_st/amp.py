"""``mindspore.amp``: the loss scalers of the 2.x functional training loop
(``DynamicLossScaler``, ``StaticLossScaler``, ``all_finite``), the loss-scale managers, and
``auto_mixed_precision`` / ``build_train_network`` at level ``'O0'``.

Takes: :mod:`.nn` (the training Cells), :mod:`.train` (the managers), Tensor/Parameter.
Gives: the names of MindSpore 2.10's ``mindspore.amp.__all__``.

The scalers follow MindSpore's arithmetic (measured): ``scale`` multiplies by the scale in
each input's dtype, ``unscale`` by its float32 reciprocal, ``DynamicLossScaler.adjust``
multiplies the scale by ``scale_factor`` after ``scale_window`` finite steps in a row (if the
product is finite) and divides it (not below 1) after a non-finite one.  What differs: mixed
precision itself (levels 'O1', 'O2', 'O3', 'auto', which cast the network to float16 or
bfloat16) is refused: autograd_st computes in the dtypes the network holds.
"""
from __future__ import annotations

import numpy as np

from . import nn, ops
from .cell import Cell
from .tensor import Parameter, Tensor, unwrap
from .train.loss_scale_manager import (
    DynamicLossScaleManager,
    FixedLossScaleManager,
    LossScaleManager,
)

__all__ = ["DynamicLossScaleManager", "LossScaleManager", "FixedLossScaleManager",
           "build_train_network", "DynamicLossScaler", "StaticLossScaler", "LossScaler",
           "auto_mixed_precision", "all_finite"]


def _map(fn, inputs):
    if isinstance(inputs, (tuple, list)):
        return type(inputs)(_map(fn, x) for x in inputs)
    return fn(inputs)


def _scale_by(value: np.ndarray):
    def fn(x):
        data = np.asarray(unwrap(x))
        return Tensor(data * value.astype(data.dtype))
    return fn


def _check_scale(scale_value) -> float:
    if isinstance(scale_value, bool) or not isinstance(scale_value, (int, float)):
        raise TypeError("For 'LossScaler', the type of 'scale_value' must be float or int, but "
                        "got %s." % type(scale_value).__name__)
    if scale_value < 1.0:
        raise ValueError("The argument 'scale_value' must be > 1, but got %s" % (scale_value,))
    return scale_value


def _check_positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError("For 'DynamicLossScaler', '%s' must be a positive int, but got %r."
                         % (name, value))
    return value


class _Scale(Cell):
    """``loss_scaler.scale``: ``x * scale`` in ``x``'s dtype; a tuple or list (of gradients)
    is scaled item by item, eagerly."""

    def __init__(self, scale_value: Parameter) -> None:
        super().__init__()
        object.__setattr__(self, "_value", scale_value)  # (not a Parameter of this Cell)

    def __call__(self, inputs):
        if isinstance(inputs, (tuple, list)):
            return _map(_scale_by(self._value.asnumpy()), inputs)
        return super().__call__(inputs)

    def construct(self, x):
        return x * ops.cast(self._value, x.dtype)


class LossScaler(Cell):
    """MindSpore's abstract ``amp.LossScaler``: ``scale``, ``unscale``, ``adjust``.

    (A Cell here, which MindSpore's is not: the compiler follows a Cell's methods, so
    ``loss_scaler.scale(loss)`` inside a function being differentiated passes the gradient
    through, as in MindSpore.)"""

    def scale(self, inputs):
        raise NotImplementedError

    def unscale(self, inputs):
        raise NotImplementedError

    def adjust(self, grads_finite):
        raise NotImplementedError


class StaticLossScaler(LossScaler):
    """MindSpore's ``amp.StaticLossScaler(scale_value)``: a fixed scale (the float32
    Parameter ``scale_value``); ``adjust`` changes nothing and returns False."""

    def __init__(self, scale_value) -> None:
        super().__init__()
        self.scale_value = Parameter(np.array(_check_scale(scale_value), np.float32),
                                     name="scale_value", requires_grad=False)
        # scale(inputs): a Tensor or a tuple / list of them times the scale (each in its
        # dtype); a sub-Cell, so that the compiler follows it inside a differentiated loss
        self.scale = _Scale(self.scale_value)

    def unscale(self, inputs):
        """``inputs`` times the float32 reciprocal of the scale."""
        return _map(_scale_by(np.float32(1) / self.scale_value.asnumpy()), inputs)

    def adjust(self, grads_finite):
        return False


class DynamicLossScaler(StaticLossScaler):
    """MindSpore's ``amp.DynamicLossScaler(scale_value, scale_factor, scale_window)``:
    ``adjust(grads_finite)`` multiplies the scale by ``scale_factor`` when this is the
    ``scale_window``-th finite step in a row (and the product is finite), divides it by
    ``scale_factor`` (not below 1) after a non-finite step, and returns True."""

    def __init__(self, scale_value, scale_factor, scale_window) -> None:
        super().__init__(scale_value)
        self.scale_window = _check_positive_int(scale_window, "scale_window")
        self.scale_factor = _check_positive_int(scale_factor, "scale_factor")
        self.counter = Parameter(np.array(0, np.int32), name="counter", requires_grad=False)

    def adjust(self, grads_finite):
        finite = bool(np.asarray(unwrap(grads_finite)))
        scale = self.scale_value.asnumpy()
        counter = self.counter.asnumpy()
        with np.errstate(over="ignore"):
            grown = scale * np.float32(self.scale_factor)
        if finite:
            if int(counter) == self.scale_window - 1 and np.isfinite(grown):
                scale[()] = grown
        else:
            scale[()] = np.maximum(np.float32(1), scale / np.float32(self.scale_factor))
        counter[()] = ((int(counter) + 1) % self.scale_window) * int(finite)
        return True


def all_finite(inputs) -> Tensor:
    """MindSpore's ``amp.all_finite(inputs)``: a bool Tensor, whether every value of every
    Tensor in ``inputs`` (a tuple or list) is finite."""
    return Tensor(np.array(all(np.isfinite(np.asarray(unwrap(x))).all() for x in inputs)))


def _check_level(level: str, what: str) -> None:
    if level not in ("O0", "O1", "O2", "O3", "auto"):
        raise ValueError("For '%s', the argument 'level' must be one of 'O0', 'O1', 'O2', "
                         "'O3', 'auto', but got %r." % (what, level))
    if level != "O0":
        raise NotImplementedError(
            "%s(level=%r): autograd_st runs networks in the dtypes their Parameters and "
            "inputs hold and has no float16 mixed precision; use level='O0' (cast the "
            "network yourself with Cell.to_float if you need another dtype)" % (what, level))


def auto_mixed_precision(network: Cell, amp_level: str = "O0", dtype=None) -> Cell:
    """MindSpore's ``amp.auto_mixed_precision(network, amp_level='O0')``: at 'O0' the
    network unchanged; other levels are refused (see the module's docstring)."""
    if not isinstance(network, Cell):
        raise TypeError("For 'auto_mixed_precision', the 'network' must be a Cell, but got %s."
                        % type(network).__name__)
    _check_level(amp_level, "auto_mixed_precision")
    return network


def build_train_network(network: Cell, optimizer, loss_fn=None, level: str = "O0",
                        boost_level: str = "O0", **kwargs) -> Cell:
    """MindSpore's ``amp.build_train_network(network, optimizer, loss_fn=None, level='O0',
    boost_level='O0', **kwargs)`` at level 'O0': ``WithLossCell(network, loss_fn)`` (when a
    loss is given) trained by ``TrainOneStepCell``, or, with
    ``loss_scale_manager=`` a manager that has an update Cell, by
    ``TrainOneStepWithLossScaleCell``; a FixedLossScaleManager without one scales the sens
    by its loss scale, as MindSpore."""
    _check_level(level, "build_train_network")
    unknown = set(kwargs) - {"loss_scale_manager", "keep_batchnorm_fp32", "cast_model_type"}
    if unknown:
        raise ValueError("For 'build_train_network', unknown keyword arguments %s"
                         % sorted(unknown))
    net = nn.WithLossCell(network, loss_fn) if loss_fn is not None else network
    manager = kwargs.get("loss_scale_manager")
    if manager is None:
        return nn.TrainOneStepCell(net, optimizer)
    if not isinstance(manager, LossScaleManager):
        raise TypeError("For 'build_train_network', 'loss_scale_manager' must be a "
                        "LossScaleManager, but got %s." % type(manager).__name__)
    update = manager.get_update_cell()
    if update is None:
        return nn.TrainOneStepCell(net, optimizer, sens=manager.get_loss_scale())
    return nn.TrainOneStepWithLossScaleCell(net, optimizer, scale_sense=update)
