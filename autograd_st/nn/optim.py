"""Optimizers with MindSpore 2.x update rules: ``nn.SGD``, ``nn.Momentum``, ``nn.Adam`` and
``nn.AdamWeightDecay``.

An optimizer is a Cell that is never differentiated: calling it with a tuple of gradients
(one per entry of ``optimizer.parameters``) updates every Parameter in place, eagerly in
numpy, and returns a tuple of ``True``.  Its state (momentum buffers, moments) lives in
ParameterTuples beside the parameters, so it stays with the optimizer and never shows up in
the network's ``trainable_params()``.

A step is all or nothing.  The gradients are checked first (one per Parameter, each of its
Parameter's shape, numeric; each Parameter floating-point and writable): a problem raises
:class:`~autograd_st.errors.InputValueError` naming the Parameter, its position and what to
do.  Then every new value (Parameters, their state, shared state such as Adam's beta powers)
is computed into new arrays, and only when all of them exist are they copied in, with
``global_step`` bumped last; anything raised before that (a learning-rate schedule, numpy
under ``np.seterr(all='raise')``) leaves the optimizer and the Parameters as they were, so
the step can be retried.

Shared behaviour (``Optimizer``):

- ``learning_rate``: a number, a scalar Tensor, a per-step sequence (list, 1-D array or
  Tensor: step ``t`` uses entry ``t``, the last entry after the end, where MindSpore's CPU
  Gather raises), or a callable ``schedule(global_step) -> lr`` (a LearningRateSchedule
  Cell).  A constant learning rate lives in the Parameter ``optimizer.learning_rate``, as in
  MindSpore: a value written there (``ops.assign``, ``LearningRateScheduler``) is used from
  the next step.
- ``weight_decay``: adds ``weight_decay * p`` to the gradient of each parameter whose name
  contains neither 'beta' nor 'gamma' (AdamWeightDecay decays its update instead); a number,
  or a Cell called with the global step (MindSpore's dynamic weight decay).
- ``loss_scale``: gradients are divided by it.
- ``params`` may be a list of dicts (groups) with keys ``'params'`` and optionally ``'lr'``
  and ``'weight_decay'``; a group's weight decay applies to all its parameters.
"""
from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

import numpy as np

from ..cell import Cell
from ..errors import InputValueError, LearningRateRangeError
from ..tensor import Parameter, ParameterTuple, Tensor, unwrap

__all__ = ["Optimizer", "SGD", "Momentum", "Adam", "AdamWeightDecay"]


_GROUP_KEYS = ("params", "lr", "weight_decay", "order_params", "grad_centralization")


def _reorder(order, params, lrs, decays, centralize):
    """The group lists put in the order of ``order_params`` (MindSpore matches by name)."""
    if len(order) != len(params):
        raise ValueError("For 'Optimizer',the length of order parameters must be the same as the "
                         "length of group parameters, but got order parameters' length %d, "
                         "group parameters' length %d." % (len(order), len(params)))
    names = [getattr(p, "name", None) for p in order]
    out = [[None] * len(params) for _ in range(4)]
    for p, lr, wd, gc in zip(params, lrs, decays, centralize):
        if p.name not in names:
            raise ValueError("For 'Optimizer', parameter %r of the groups is not in "
                             "'order_params'" % p.name)
        i = names.index(p.name)
        out[0][i], out[1][i], out[2][i], out[3][i] = p, lr, wd, gc
    return tuple(out)


def _decay_source(value):
    """A weight decay as given: a float, or a Cell / callable of the global step."""
    if callable(value) and not isinstance(value, (int, float, np.number)):
        return value
    if not isinstance(value, (int, float, np.number)):
        raise TypeError("For 'Optimizer', the argument 'Weight_decay' must be int, float or "
                        "Cell.but got %s" % type(value))
    return float(value)


def _decays(param: Parameter) -> bool:
    """MindSpore's default weight-decay filter: normalization scales and shifts are exempt."""
    return "beta" not in param.name and "gamma" not in param.name


class _LR:
    """One learning-rate source: a constant, a per-step table, or a schedule callable."""

    def __init__(self, value: Any) -> None:
        self.schedule = None
        self._cell = None
        self.name = "learning_rate"
        self.table = None
        self.value = None
        self.param = None  # the optimizer's learning_rate Parameter, for a constant
        if isinstance(value, Tensor):
            value = value.asnumpy()
        if isinstance(value, (bool, str)):
            raise TypeError("learning_rate must be a number, a sequence, a Tensor or a "
                            "schedule, not %r" % (value,))
        scalar_array = isinstance(value, np.ndarray) and value.ndim == 0
        if isinstance(value, (int, float, np.number)) or scalar_array:
            self.value = float(value)
            if self.value < 0:
                raise ValueError("learning_rate must be >= 0, got %r" % (self.value,))
        elif isinstance(value, (list, tuple, np.ndarray)):
            self.table = np.asarray(value, dtype=np.float32).reshape(-1)
            if self.table.size == 0:
                raise ValueError("a learning-rate sequence needs at least one value")
        elif callable(value):
            self.schedule = value
        else:
            raise TypeError("learning_rate must be a number, a sequence, a Tensor or a "
                            "schedule, not %r" % (value,))

    def at(self, step: int) -> float:
        if self.value is not None:
            if self.param is not None:  # written since (ops.assign, LearningRateScheduler)?
                now = self.param.asnumpy()
                if now.shape == () and now != np.float32(self.value):
                    return float(now)
            return self.value
        if self.table is not None:
            # the Parameter holding it (a checkpoint loaded into the optimizer replaces it)
            table = self.param.asnumpy() if self.param is not None else self.table
            if step >= table.size:  # MindSpore's Gather refuses the index
                raise LearningRateRangeError(
                    "the learning-rate list %r has %d values (one per step) but the global "
                    "step is %d: give a list as long as the steps that will run (e.g. "
                    "nn.piecewise_constant_lr / nn.cosine_decay_lr with total_step covering "
                    "them); nothing was updated" % (self.name, table.size, step))
            return float(table[step])
        return float(unwrap(self.schedule(Tensor(np.array(step, np.int32)))))

    def cell(self) -> Cell:
        """The Cell MindSpore makes of it among dynamic group learning rates (made once)."""
        if self._cell is None:
            if isinstance(self.schedule, Cell):
                self._cell = self.schedule
            elif self.table is not None:
                self._cell = _IteratorLearningRate(self.param)
            else:
                self._cell = _ConvertToCell(self.param if self.param is not None
                                            else Parameter(self.initial(), name=self.name,
                                                           requires_grad=False))
        return self._cell

    def initial(self):
        if self.value is not None:
            return np.array(self.value, np.float32)
        if self.table is not None:
            return self.table.copy()
        return np.array(0.0, np.float32)


class _IteratorLearningRate(Cell):
    """MindSpore's inner Cell for a per-step learning-rate list: ``learning_rate`` (its
    Parameter, named ``learning_rate`` as in MindSpore's checkpoints) at the global step."""

    def __init__(self, table: Parameter) -> None:
        super().__init__(auto_prefix=False)
        self.learning_rate = table

    def construct(self, global_step):
        data = self.learning_rate.asnumpy()
        step = int(np.asarray(unwrap(global_step)).reshape(-1)[0])
        if not 0 <= step < data.size:
            raise LearningRateRangeError(
                "For 'Gather', the 'input_indices' should be in the range [0, %d), but got "
                "%d: the learning-rate list is shorter than the steps run" % (data.size, step))
        return Tensor(data[step])


class _ConvertToCell(Cell):
    """MindSpore's inner Cell for a constant learning rate among dynamic group ones."""

    def __init__(self, learning_rate: Parameter) -> None:
        super().__init__(auto_prefix=False)
        self.learning_rate = learning_rate

    def construct(self, global_step):
        return Tensor(self.learning_rate.asnumpy().copy())


class _LRCells(Cell):
    """The per-Parameter learning-rate Cells of an optimizer with dynamic group learning
    rates (MindSpore's ``CellList(group_lr, auto_prefix=False)``), children ``0``, ``1``..."""

    def __init__(self, cells: list) -> None:
        super().__init__(auto_prefix=False)
        for i, cell in enumerate(cells):
            setattr(self, str(i), cell)
        self._n = len(cells)

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> Cell:
        return getattr(self, str(range(self._n)[i]))


class Optimizer(Cell):
    """Base class: parameter groups, learning rate, weight decay, loss scale, global step.

    Subclasses implement :meth:`_apply` (one parameter's update as ``(array, new value)``
    pairs, computed in numpy, never written by it), :meth:`_state` (the arrays shaped like
    the parameter that it rewrites, checked before a step) and, for state every parameter
    shares, :meth:`_step_writes`; :meth:`construct` writes the pairs once all exist.
    """

    def __init__(self, learning_rate: Any, parameters: Iterable, weight_decay: float = 0.0,
                 loss_scale: float = 1.0) -> None:
        super().__init__(auto_prefix=False)
        items = list(parameters)
        if not items:
            raise ValueError("%s got an empty parameter list" % type(self).__name__)
        default_lr = _LR(learning_rate)
        groups = isinstance(items[0], dict)
        params, lrs, decays, centralize = [], [], [], []
        if groups:
            order = None
            for group_num, item in enumerate(items):
                if not isinstance(item, dict):
                    raise TypeError("mix of parameter groups (dicts) and Parameters")
                unknown = [k for k in item if k not in _GROUP_KEYS]
                if unknown:
                    raise KeyError("For 'Optimizer', the key in group params must be one of in "
                                   "%s, but got %s." % (list(_GROUP_KEYS), unknown[0]))
                if "order_params" in item:
                    if len(item) > 1:
                        raise ValueError("For 'Optimizer', the order params dict in group "
                                         "parameters should only include the 'order_params' "
                                         "key, but got %s." % (list(item),))
                    order = list(item["order_params"])
                    continue
                group_params = list(item["params"])
                lr = _LR(item["lr"]) if "lr" in item else default_lr
                if lr is not default_lr:
                    lr.name = "learning_rate_group_%d" % group_num
                wd = _decay_source(item.get("weight_decay", weight_decay))
                gc = bool(item.get("grad_centralization", False))
                for p in group_params:
                    params.append(p)
                    lrs.append(lr)
                    decays.append(wd)
                    centralize.append(gc)
            if order is not None:
                params, lrs, decays, centralize = _reorder(order, params, lrs, decays,
                                                           centralize)
        else:
            for item in items:
                if isinstance(item, dict):
                    raise TypeError("mix of parameter groups (dicts) and Parameters")
                params.append(item)
                lrs.append(default_lr)
                decays.append(_decay_source(weight_decay) if isinstance(item, Parameter)
                              and _decays(item) else 0.0)
                centralize.append(False)
        seen = []
        for p in params:
            if not isinstance(p, Parameter):
                raise TypeError("an optimizer updates Parameters; got %s" % type(p).__name__)
            if any(p is q for q in seen):
                raise ValueError("parameter %r is given to the optimizer twice" % p.name)
            seen.append(p)
        if any(not callable(wd) and wd < 0 for wd in decays + [_decay_source(weight_decay)]):
            raise ValueError("weight_decay must be >= 0")
        if loss_scale <= 0:
            raise ValueError("loss_scale must be > 0, got %r" % (loss_scale,))
        # MindSpore's order (its checkpoints list them so): global_step, the learning
        # rate(s), then the Parameters, then each optimizer's own state
        self.global_step = Parameter(np.zeros((1,), np.int32), name="global_step",
                                     requires_grad=False)
        self._lr_parameters(default_lr, lrs)
        self.parameters = ParameterTuple(params)
        self._parameters = self.parameters
        self._lrs = tuple(lrs)
        self.weight_decay = _decay_source(weight_decay)
        self.dynamic_weight_decay = any(callable(wd) for wd in decays)
        self._decay_sources = tuple(decays)
        self._weight_decays = tuple(0.0 if callable(wd) else wd for wd in decays)
        self.decay_flags = tuple(callable(wd) or wd > 0 for wd in decays)
        self.loss_scale = float(loss_scale)
        self.is_group = groups
        self.is_group_lr = groups and any(lr is not default_lr for lr in lrs)
        self.grad_centralization_flags = tuple(centralize)

    def _lr_parameters(self, default_lr: _LR, lrs: list) -> None:
        """The learning-rate Parameters as MindSpore lays them out: ``learning_rate`` (a
        constant; a per-step list too, held by a sub-Cell ``learning_rate``, so walked as
        ``learning_rate.learning_rate``), none for a schedule Cell (the sub-Cell).  With
        groups of their own ``lr`` (``learning_rate_group_<i>`` for group i), the attribute
        ``learning_rate`` is a ParameterTuple with one entry per Parameter, or, when one is
        dynamic, a list of Cells (``learning_rate.<k>``)."""
        distinct = []
        for lr in lrs if any(lr is not default_lr for lr in lrs) else [default_lr]:
            if not any(lr is d for d in distinct):
                distinct.append(lr)
        for lr in distinct:
            lr.param = Parameter(lr.initial(), name=lr.name, requires_grad=False)
        if len(distinct) > 1 or distinct[0] is not default_lr:
            if all(lr.value is not None for lr in lrs):
                self.learning_rate = ParameterTuple(lr.param for lr in lrs)  # one per Parameter
            else:  # a dynamic one among them: a Cell per Parameter (MindSpore's CellList)
                self.learning_rate = _LRCells([lr.cell() for lr in lrs])
        elif isinstance(default_lr.schedule, Cell):  # a sub-Cell computes it: no Parameter
            self.learning_rate = default_lr.schedule
        elif default_lr.schedule is not None:
            object.__setattr__(self, "learning_rate", default_lr.param)
        elif default_lr.table is not None:  # a Cell holding the list, as in MindSpore
            self.learning_rate = _IteratorLearningRate(default_lr.param)
        else:
            self.learning_rate = default_lr.param

    def _zeros_like_params(self, prefix: str) -> ParameterTuple:
        return ParameterTuple(Parameter(np.zeros_like(p.asnumpy()), name=prefix + "." + p.name,
                                        requires_grad=False) for p in self.parameters)

    # -- the pieces MindSpore's optimizers share -------------------------------------------
    def get_lr(self):
        """MindSpore's ``Optimizer.get_lr``: the learning rate of this step, a float32 scalar
        Tensor (a tuple of them, one per parameter, when groups set their own ``lr``)."""
        step = int(self.global_step.asnumpy()[0])
        if self.is_group_lr:
            return tuple(Tensor(np.float32(lr.at(step))) for lr in self._lrs)
        return Tensor(np.float32(self._lrs[0].at(step)))

    def get_lr_parameter(self, param):
        """MindSpore's ``Optimizer.get_lr_parameter(param)``: the learning rate of a Parameter
        (or of each of a list of them): its Parameter (a per-step list's whole table), or
        the schedule Cell that computes it."""
        if isinstance(param, Parameter):
            wanted = [param]
        elif isinstance(param, list):
            wanted = param
        else:
            raise TypeError("For 'get_lr_parameter', the 'param' must be 'Parameter' or "
                            "'list' type, but got %s." % type(param))
        ids = [id(p) for p in self._parameters]
        out = []
        for p in wanted:
            if not isinstance(p, Parameter):
                raise TypeError("For '%s', the 'parameter' must be a Parameter, but got %s"
                                % (type(self).__name__, type(p).__name__))
            if id(p) not in ids:
                raise ValueError("For 'get_lr_parameter', the parameter %s is not in optimizer, "
                                 "please check whether the argument 'param' is correct."
                                 % p.name)
            lr = self.learning_rate[ids.index(id(p))] if self.is_group_lr else self.learning_rate
            if isinstance(lr, (_ConvertToCell, _IteratorLearningRate)):
                lr = lr.learning_rate
            out.append(lr)
        return out if isinstance(param, list) else out[0]

    def get_weight_decay(self) -> tuple:
        """The weight decay of each parameter at this step: a number, or what a decay Cell
        (``weight_decay=`` a Cell taking the global step, as in MindSpore) returns for it."""
        step = Tensor(np.array(self.global_step.asnumpy()[0], np.int32))
        out = []
        for wd in self._decay_sources:
            if callable(wd):
                wd = float(np.asarray(unwrap(wd(step))).reshape(()))
                if not math.isfinite(wd) or wd < 0:
                    raise ValueError("%s: the weight-decay schedule gave %r at step %d; it "
                                     "must be a number >= 0; nothing was updated"
                                     % (type(self).__name__, wd, int(unwrap(step))))
            out.append(wd)
        return tuple(out)

    def decay_weight(self, gradients: Sequence[np.ndarray]) -> tuple:
        """``g + weight_decay * loss_scale * p`` for the parameters that decay (the gradients
        are still loss-scaled here; :meth:`scale_grad` divides both terms afterwards)."""
        scale = self.loss_scale
        return tuple(g + (wd * scale) * p.asnumpy() if wd > 0 else g
                     for g, p, wd in zip(gradients, self.parameters, self._weight_decays))

    def gradients_centralization(self, gradients: Sequence[np.ndarray]) -> tuple:
        """The gradients of groups with ``'grad_centralization': True`` minus their mean over
        every axis but the first (gradients of fewer than 2 dimensions are left alone)."""
        out = []
        for g, flag in zip(gradients, self.grad_centralization_flags):
            if flag and np.ndim(g) > 1:
                g = g - np.mean(g, axis=tuple(range(1, np.ndim(g))), keepdims=True)
            out.append(g)
        return tuple(out)

    def scale_grad(self, gradients: Sequence[np.ndarray]) -> tuple:
        """Gradients divided by ``loss_scale``."""
        if self.loss_scale == 1.0:
            return tuple(gradients)
        return tuple(g / self.loss_scale for g in gradients)

    def _where(self, i: int, p: Parameter) -> str:
        return "%s: Parameter %r (position %d of %d)" % (type(self).__name__, p.name, i,
                                                         len(self.parameters))

    def _gradients(self, gradients) -> tuple:
        """The gradients as arrays in their Parameters' dtypes, once everything a step writes
        has been checked: one gradient per Parameter, of its shape and a numeric dtype, and
        every Parameter floating-point and writable.  Raises before anything is written."""
        name = type(self).__name__
        try:
            given = tuple(gradients)
        except TypeError:
            raise InputValueError("%s takes a tuple of gradients, one per Parameter; got %s"
                                  % (name, type(gradients).__name__)) from None
        if len(given) != len(self.parameters):
            raise InputValueError(
                "%s got %d gradients for %d parameters (%s): pass one gradient per entry of "
                "optimizer.parameters, in that order; nothing was updated"
                % (name, len(given), len(self.parameters),
                   ", ".join(repr(p.name) for p in self.parameters)))
        grads = []
        for i, (g, p) in enumerate(zip(given, self.parameters)):
            where = self._where(i, p)
            data = p.asnumpy()
            if data.dtype.kind != "f":
                raise InputValueError(
                    "%s has dtype %s: an optimizer updates floating-point Parameters only; "
                    "make it float, or leave it out of the optimizer (requires_grad=False "
                    "keeps it out of trainable_params()); nothing was updated"
                    % (where, data.dtype))
            if not data.flags.writeable:
                raise InputValueError("%s is read-only: the optimizer writes it in place; "
                                      "give it writable data; nothing was updated" % where)
            try:
                g = np.asarray(unwrap(g))
            except Exception as exc:
                raise InputValueError("%s: its gradient is not an array (%s: %s); nothing "
                                      "was updated" % (where, type(exc).__name__, exc)) from None
            if g.dtype.kind not in "biuf":
                raise InputValueError("%s: its gradient has dtype %s; gradients must be real "
                                      "numbers; nothing was updated" % (where, g.dtype))
            if g.shape != p.shape:
                raise InputValueError(
                    "%s: its gradient has shape %s, the Parameter %s; pass the gradients in "
                    "the order of optimizer.parameters; nothing was updated"
                    % (where, g.shape, p.shape))
            for state in self._state(i):
                if state.shape != p.shape:
                    raise InputValueError(
                        "%s has shape %s but the optimizer's state for it %s (its data was "
                        "replaced after the optimizer was made): make a new optimizer; "
                        "nothing was updated" % (where, p.shape, state.shape))
            grads.append(g)
        return tuple(grads)

    def construct(self, gradients) -> tuple:
        """Apply one step; ``gradients`` is a tuple matching ``self.parameters``.  All or
        nothing: every new value is computed before any is written."""
        given = self._gradients(gradients)
        step = int(self.global_step.asnumpy()[0])
        if self.dynamic_weight_decay:  # this step's decays (a schedule may raise: no write yet)
            object.__setattr__(self, "_weight_decays", self.get_weight_decay())
        grads = self.scale_grad(self.gradients_centralization(self.decay_weight(given)))
        lrs = [lr.at(step) for lr in self._lrs]
        writes, shared = self._step_writes()
        for i, (p, g) in enumerate(zip(self.parameters, grads)):
            data = p.asnumpy()
            writes += self._apply(i, data, g.astype(data.dtype, copy=False), lrs[i], shared)
        for target, value in writes:  # nothing can fail from here on: shapes, dtypes and
            np.copyto(target, value)  # writability were checked, every value exists
        self.global_step.asnumpy()[0] += 1
        return tuple(True for _ in self.parameters)

    def _state(self, i: int) -> tuple:
        """The state arrays shaped like Parameter ``i`` that its update rewrites."""
        return ()

    def _step_writes(self) -> tuple:
        """The per-step state every parameter shares (Adam's beta powers): its ``(array, new
        value)`` pairs, and what :meth:`_apply` reads of it this step."""
        return [], None

    def _apply(self, i: int, param: np.ndarray, grad: np.ndarray, lr: float,
               shared) -> list:
        """Parameter ``i``'s update as ``(array, new value)`` pairs: the Parameter's data and
        its state, computed into new arrays (nothing written here)."""
        raise NotImplementedError


def _minus(param: np.ndarray, delta):
    """``param - delta``, into ``delta`` when it is an array of this step's own (every
    caller's is: new, of ``param``'s dtype and shape) instead of one more new array."""
    if isinstance(delta, np.ndarray):
        return np.subtract(param, delta, out=delta)
    return param - delta  # a numpy scalar (0-d Parameters)


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum, dampening and Nesterov momentum.

    With ``momentum > 0`` the first step's buffer is the gradient itself (no dampening);
    later ``buf = momentum * buf + (1 - dampening) * g``.  The step is ``p -= lr * buf``, or
    ``p -= lr * (g + momentum * buf)`` with ``nesterov=True`` (which needs momentum > 0 and
    dampening 0).
    """

    def __init__(self, params: Iterable, learning_rate: Any = 0.1, momentum: float = 0.0,
                 dampening: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False,
                 loss_scale: float = 1.0) -> None:
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        if self.dynamic_weight_decay:
            raise TypeError("For 'SGD', dynamic weight decay is currently not supported, the "
                            "argument 'weight_decay' or 'weight_decay' set in grouped 'params' "
                            "must be float or int type.")
        if momentum < 0.0:
            raise ValueError("For 'SGD', momentum must be at least 0.0, got %r" % (momentum,))
        if dampening < 0.0:
            raise ValueError("For 'SGD', dampening must be at least 0.0, got %r" % (dampening,))
        if nesterov and (momentum <= 0.0 or dampening != 0.0):
            raise ValueError("For 'SGD', nesterov needs momentum > 0 and dampening 0; got "
                             "momentum %r, dampening %r" % (momentum, dampening))
        self.momentum = Parameter(np.array(momentum, np.float32), name="momentum",
                                  requires_grad=False)
        self.dampening = float(dampening)
        self.nesterov = bool(nesterov)
        self.accum = self._zeros_like_params("accum")
        self.stat = ParameterTuple(Parameter(np.ones(p.shape, np.float32), name="stat." + p.name,
                                             requires_grad=False) for p in self.parameters)

    def _state(self, i):
        return (self.accum[i].asnumpy(),)

    def _apply(self, i, param, grad, lr, shared):
        return sgd_writes(param, grad, lr, self.momentum.asnumpy()[()], self.dampening,
                          self.nesterov, self.accum[i].asnumpy(), self.stat[i].asnumpy())


def sgd_writes(param, grad, lr, momentum, dampening, nesterov, accum, stat) -> list:
    """MindSpore's ``SGD`` kernel (``ops.SGD``) on one parameter as ``(array, new value)``
    pairs: the first step (``stat > 0``) takes the gradient undamped as the buffer."""
    writes = []
    step = grad
    if momentum > 0.0:
        if np.all(stat > 0):
            new = grad  # first step: the buffer is the gradient, undamped
            writes.append((stat, np.zeros_like(stat)))
        else:
            new = accum * momentum
            new += (1.0 - dampening) * grad
            if np.any(stat > 0):  # (a stat written in part: elementwise, as ApplySGD)
                new = np.where(stat > 0, grad, new)
                writes.append((stat, np.zeros_like(stat)))
        writes.append((accum, new))
        step = grad + momentum * new if nesterov else new
    writes.append((param, _minus(param, lr * step)))
    return writes


class Momentum(Optimizer):
    """MindSpore's ``nn.Momentum``: ``buf = momentum * buf + g``; ``p -= lr * buf``.

    ``use_nesterov=True``: ``p -= lr * (g + momentum * buf_before)``, with the buffer from
    *before* this step's update -- what MindSpore 2.10's ApplyMomentum computes on CPU
    (measured; its documentation shows the updated buffer).
    """

    def __init__(self, params: Iterable, learning_rate: Any, momentum: float,
                 weight_decay: float = 0.0, loss_scale: float = 1.0,
                 use_nesterov: bool = False) -> None:
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        if not isinstance(momentum, float):  # MindSpore: an int momentum is a TypeError here
            raise TypeError("For 'Momentum', the type of 'momentum' must be 'float', but got "
                            "'%s'." % type(momentum).__name__)
        if momentum < 0.0:
            raise ValueError("For 'Momentum', momentum must be at least 0.0, got %r"
                             % (momentum,))
        self.momentum = Parameter(np.array(momentum, np.float32), name="momentum",
                                  requires_grad=False)
        self.use_nesterov = bool(use_nesterov)
        self.moments = self._zeros_like_params("moments")

    def _state(self, i):
        return (self.moments[i].asnumpy(),)

    def _apply(self, i, param, grad, lr, shared):
        buf = self.moments[i].asnumpy()
        momentum = self.momentum.asnumpy()[()]
        new = buf * momentum
        new += grad
        step = grad + momentum * buf if self.use_nesterov else new
        return [(buf, new), (param, _minus(param, lr * step))]


def _check_betas(beta1: float, beta2: float, eps: float, cls: str) -> None:
    if not 0.0 < beta1 < 1.0 or not 0.0 < beta2 < 1.0:
        raise ValueError("For '%s', beta1 and beta2 must be in (0, 1); got %r, %r"
                         % (cls, beta1, beta2))
    if eps <= 0.0:
        raise ValueError("For '%s', eps must be > 0, got %r" % (cls, eps))


class Adam(Optimizer):
    """Adam with the bias correction folded into the learning rate:

    ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g^2``,
    ``lr_t = lr sqrt(1 - b2^t) / (1 - b1^t)``, ``p -= lr_t m / (sqrt(v) + eps)``
    (``use_nesterov``: ``m`` replaced by ``b1 m + (1 - b1) g``; ``use_amsgrad``: ``v`` in the
    denominator replaced by its running maximum ``vhat``).  ``weight_decay`` is an L2 term
    added to the gradient.  ``use_lazy`` / ``use_offload`` (keyword arguments, as in MindSpore)
    are accepted: with dense gradients MindSpore's lazy and offloaded Adam compute this same
    update.
    """

    def __init__(self, params: Iterable, learning_rate: Any = 1e-3, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8, use_locking: bool = False,
                 use_nesterov: bool = False, weight_decay: float = 0.0, loss_scale: float = 1.0,
                 use_amsgrad: bool = False, **kwargs) -> None:
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        unknown = set(kwargs) - {"use_lazy", "use_offload"}
        if unknown:
            raise KeyError("For 'Adam', invalid keys are passed as kwargs, supported keys are "
                           "'use_lazy' and 'use_offload', but got %s." % sorted(unknown))
        for name, flag in (("use_locking", use_locking), ("use_nesterov", use_nesterov),
                           ("use_amsgrad", use_amsgrad)) + tuple(kwargs.items()):
            if not isinstance(flag, bool):
                raise TypeError("For 'Adam', the type of '%s' must be 'bool', but got '%s'."
                                % (name, type(flag).__name__))
        if kwargs.get("use_lazy") and kwargs.get("use_offload"):
            raise ValueError("For 'Adam', 'use_lazy' and 'use_offload' can not both be True.")
        if use_amsgrad and (kwargs.get("use_lazy") or kwargs.get("use_offload")):
            raise ValueError("For lazy Adam and Adam with offload, there is no parameter named "
                             "'use_amsgrad'.")
        _check_betas(beta1, beta2, eps, "Adam")
        # with use_amsgrad MindSpore runs ApplyAdamWithAmsgradV2, which has no Nesterov form:
        # use_nesterov is then ignored, as there
        self.use_amsgrad = bool(use_amsgrad)
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.use_nesterov = bool(use_nesterov)
        self.beta1_power = Parameter(np.array(1.0, np.float32), name="beta1_power",
                                     requires_grad=False)
        self.beta2_power = Parameter(np.array(1.0, np.float32), name="beta2_power",
                                     requires_grad=False)
        self.moment1 = self._zeros_like_params("moment1")
        self.moment2 = self._zeros_like_params("moment2")
        if self.use_amsgrad:
            self.vhat = self._zeros_like_params("vhat")

    def _step_writes(self):
        b1p = self.beta1_power.asnumpy() * self.beta1
        b2p = self.beta2_power.asnumpy() * self.beta2
        writes = [(self.beta1_power.asnumpy(), b1p), (self.beta2_power.asnumpy(), b2p)]
        return writes, (float(b1p), float(b2p))

    def _state(self, i):
        if self.use_amsgrad:
            return self.moment1[i].asnumpy(), self.moment2[i].asnumpy(), self.vhat[i].asnumpy()
        return self.moment1[i].asnumpy(), self.moment2[i].asnumpy()

    def _apply(self, i, param, grad, lr, shared):
        vhat = self.vhat[i].asnumpy() if self.use_amsgrad else None
        return adam_writes(param, grad, lr, self.beta1, self.beta2, self.eps, shared,
                           self.moment1[i].asnumpy(), self.moment2[i].asnumpy(), vhat,
                           self.use_nesterov and not self.use_amsgrad)


def adam_writes(param, grad, lr, b1, b2, eps, powers, m_old, v_old, vhat_old=None,
                nesterov=False) -> list:
    """MindSpore's ``Adam`` kernel (``ops.Adam``; ``ApplyAdamWithAmsgradV2`` with
    ``vhat_old``) on one parameter as ``(array, new value)`` pairs; ``powers`` are this
    step's ``(beta1 ** t, beta2 ** t)``."""
    b1p, b2p = powers
    m = m_old * b1
    m += (1.0 - b1) * grad
    v = v_old * b2
    g2 = (1.0 - b2) * grad
    g2 *= grad
    v += g2
    lr_t = lr * math.sqrt(1.0 - b2p) / (1.0 - b1p)
    writes = [(m_old, m), (v_old, v)]
    if vhat_old is not None:  # ApplyAdamWithAmsgradV2: the running maximum of v
        v = np.maximum(vhat_old, v)
        writes.append((vhat_old, v))
    direction = b1 * m + (1.0 - b1) * grad if nesterov else m
    delta = lr_t * direction
    denom = np.sqrt(v)
    denom += eps
    delta /= denom
    return writes + [(param, _minus(param, delta))]


class AdamWeightDecay(Optimizer):
    """Adam without bias correction and with decoupled weight decay:

    ``m = b1 m + (1 - b1) g``, ``v = b2 v + (1 - b2) g^2``,
    ``p -= lr (m / (sqrt(v) + eps) + weight_decay p)`` (the decay term only for parameters
    whose name has no 'beta' or 'gamma').
    """

    def __init__(self, params: Iterable, learning_rate: Any = 1e-3, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-6, weight_decay: float = 0.0) -> None:
        super().__init__(learning_rate, params, weight_decay)
        _check_betas(beta1, beta2, eps, "AdamWeightDecay")
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.moments1 = self._zeros_like_params("adam_m")
        self.moments2 = self._zeros_like_params("adam_v")

    def decay_weight(self, gradients):
        return tuple(gradients)  # the decay is applied to the update, not the gradient

    def _state(self, i):
        return self.moments1[i].asnumpy(), self.moments2[i].asnumpy()

    def _apply(self, i, param, grad, lr, shared):
        m_old, v_old = self.moments1[i].asnumpy(), self.moments2[i].asnumpy()
        m = m_old * self.beta1
        m += (1.0 - self.beta1) * grad
        v = v_old * self.beta2
        g2 = (1.0 - self.beta2) * grad
        g2 *= grad
        v += g2
        denom = np.sqrt(v)
        denom += self.eps
        update = m / denom
        wd = self._weight_decays[i]
        if wd > 0:
            update += wd * param
        update *= lr
        return [(m_old, m), (v_old, v), (param, _minus(param, update))]
