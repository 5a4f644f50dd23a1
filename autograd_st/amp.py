"""``mindspore.amp``: the loss scalers of the 2.x functional training loop
(``DynamicLossScaler``, ``StaticLossScaler``, ``all_finite``), the loss-scale managers, and
``auto_mixed_precision`` / ``build_train_network`` (levels 'O0', 'O2', 'O3').

Takes: :mod:`.nn` (the training Cells), :mod:`.train` (the managers), Tensor/Parameter.
Gives: the names of MindSpore 2.10's ``mindspore.amp.__all__``.

The scalers follow MindSpore's arithmetic (measured): ``scale`` multiplies by the scale in
each input's dtype, ``unscale`` by its float32 reciprocal, ``DynamicLossScaler.adjust``
multiplies the scale by ``scale_factor`` after ``scale_window`` finite steps in a row (if the
product is finite) and divides it (not below 1) after a non-finite one.  Mixed precision:
levels 'O2' and 'O3' cast the network to float16 as MindSpore does
(:mod:`autograd_st.nn.mixed_precision`); 'O1' and 'auto' are not applied (a warning says
so), bfloat16 is refused.
"""
from __future__ import annotations

import numpy as np

from . import dtype as mstype
from . import nn, ops
from .cell import Cell
from .nn import mixed_precision
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


def auto_mixed_precision(network: Cell, amp_level: str = "O0", dtype=mstype.float16) -> Cell:
    """MindSpore's ``amp.auto_mixed_precision(network, amp_level='O0', dtype=float16)``:
    'O0' the network as it is; 'O3' the network in float16 with its outputs cast back to
    float32; 'O2' the same with BatchNorm and LayerNorm kept in float32 (see
    :mod:`autograd_st.nn.mixed_precision`).  'O1' and 'auto' are not applied here (the
    network as it is, with a warning); ``dtype=bfloat16`` is refused (numpy has none)."""
    if not isinstance(network, Cell):
        raise TypeError("For amp_level '%s', the network type should be Cell." % (amp_level,))
    if dtype is not mstype.float16:
        raise ValueError("The dtype should be one of (mstype.float16, mstype.bfloat16), but got "
                         "%s (autograd_st computes with numpy, which has float16 but no "
                         "bfloat16)." % (dtype,))
    mixed_precision.check_level(amp_level, "auto_mixed_precision")
    if amp_level not in ("O2", "O3"):  # ('O1' and 'auto' warned: not applied)
        return network
    if amp_level == "O2":
        mixed_precision.auto_black_list(network, dtype)
    else:
        network.to_float(dtype)
    network = mixed_precision.OutputTo32(network)
    object.__setattr__(network, "_amp_level", amp_level)
    return network


_CONFIG = {"O0": (False, mstype.float32, None), "O1": (False, mstype.float32, None),
           "O2": (True, mstype.float16, "dynamic"), "O3": (False, mstype.float16, None),
           "auto": (False, mstype.float32, None)}


def build_train_network(network: Cell, optimizer, loss_fn=None, level: str = "O0",
                        boost_level: str = "O0", **kwargs) -> Cell:
    """MindSpore's ``amp.build_train_network(network, optimizer, loss_fn=None, level='O0',
    boost_level='O0', **kwargs)``: the network cast for ``level`` ('O2', 'O3', or
    ``cast_model_type`` / ``keep_batchnorm_fp32`` given), its loss (``loss_fn``) computed
    in float32 when the network is float16, trained by ``TrainOneStepCell`` (the loss
    scale of a ``FixedLossScaleManager`` as its sens), or by
    ``TrainOneStepWithLossScaleCell`` under a manager with an update Cell.  As MindSpore on
    CPU, a dynamic loss scale (the default at 'O2') is refused: pass
    ``loss_scale_manager=None`` or a ``FixedLossScaleManager(drop_overflow_update=False)``."""
    mixed_precision.check_level(level, "build_train_network")
    unknown = set(kwargs) - {"loss_scale_manager", "keep_batchnorm_fp32", "cast_model_type"}
    if unknown:
        raise ValueError("Unsupported arg '%s'" % sorted(unknown)[0])
    keep, cast_type, manager = _CONFIG[level]
    cast_type = kwargs.get("cast_model_type", cast_type)
    if cast_type is not mstype.float16 and cast_type is not mstype.float32:
        raise TypeError("For 'build_train_network', 'cast_model_type' must be float16 or "
                        "float32, but got %s." % (cast_type,))
    keep = kwargs.get("keep_batchnorm_fp32", keep)
    if not isinstance(keep, bool):
        raise TypeError("For 'build_train_network', 'keep_batchnorm_fp32' must be a bool, but "
                        "got %s." % type(keep).__name__)
    manager = kwargs.get("loss_scale_manager",
                         DynamicLossScaleManager() if manager == "dynamic" else None)
    if manager is not None and not isinstance(manager, LossScaleManager):
        raise TypeError("For 'build_train_network', 'loss_scale_manager' must be a "
                        "LossScaleManager, but got %s." % type(manager).__name__)
    update = None if manager is None else manager.get_update_cell()
    if update is not None and not isinstance(manager, FixedLossScaleManager) \
            and "loss_scale_manager" not in kwargs:
        raise ValueError("Only `loss_scale_manager=None` or "
                         "`loss_scale_manager=FixedLossScaleManager(drop_overflow_update=False)`"
                         "are supported on device `CPU`. ")
    network = mixed_precision.apply_level(network, level, cast_type, keep)
    if loss_fn is not None:
        if cast_type is mstype.float16:
            network = mixed_precision.AmpWithLossCell(network, loss_fn)
        else:
            network = nn.WithLossCell(network, loss_fn)
    # (in training mode, as MindSpore's: BatchNorm normalizes by the batch and updates its
    # moving statistics)
    if update is not None:
        return nn.TrainOneStepWithLossScaleCell(network, optimizer,
                                                scale_sense=update).set_train()
    if manager is None:
        return nn.TrainOneStepCell(network, optimizer).set_train()
    return nn.TrainOneStepCell(network, optimizer, sens=manager.get_loss_scale()).set_train()
