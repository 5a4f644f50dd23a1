"""``mindspore.experimental.optim.Optimizer``: MindSpore 2.x's PyTorch-style optimizer base.

An optimizer is a Cell made of parameter groups (``param_groups``: dicts with ``'params'``
and the options its class defaults, ``lr`` and ``weight_decay`` among them, a group's own
values overriding the defaults).  Calling it with a tuple of gradients, one per entry of
``optimizer.parameters`` (the groups' Parameters in order), applies one step eagerly in numpy
and returns ``True``, as MindSpore's experimental optimizers do.

As in MindSpore 2.10 (measured): each group's ``lr`` becomes a float32 scalar Parameter
``learning_rate_group_<i>`` (``optimizer.lrs[i]`` is the same object), which the schedulers of
:mod:`.lr_scheduler` rewrite; a plain float put into ``group['lr']`` afterwards is used as it
is.  ``weight_decay`` is a float >= 0.  The state (``exp_avg.<name>`` ...) lives in
ParameterTuples beside ``parameters``; the learning rates are not among the Cell's
Parameters.

A step is all or nothing, as :class:`autograd_st.nn.Optimizer`'s: the gradients are checked
first (its checks, :class:`~autograd_st.errors.InputValueError`), every new value is
computed, and only then written.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any, Iterable

import numpy as np

from ...cell import Cell
from ...nn import optim as _nn_optim
from ...tensor import Parameter, ParameterTuple, Tensor

__all__ = ["Optimizer"]


def _lr_parameter(value: Any, name: str, cls: str) -> Parameter:
    """A group's learning rate as MindSpore keeps it: a float32 scalar Parameter."""
    if isinstance(value, bool) or not isinstance(value, (float, int, Tensor)):
        raise TypeError("For 'Optimizer', the argument 'learning_rate' must be int, float or "
                        "Tensor, but got %s." % type(value))
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise ValueError("For 'Optimizer', if 'learning_rate' is a Tensor, then it should "
                             "be scalar Tensor")
        data = np.asarray(value.asnumpy(), np.float32)
    else:
        if value < 0:
            raise ValueError("For '%s', the 'learning rate' must be >= 0, but got %r."
                             % (cls, float(value)))
        data = np.array(float(value), np.float32)
    return Parameter(data, name=name)


def _weight_decay(value: Any, cls: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (float, int)):
        raise TypeError("For 'Optimizer', the argument 'Weight_decay' must be int or float.but "
                        "got %s" % type(value))
    if value < 0:
        raise ValueError("For '%s', the 'weight_decay' must be >= 0, but got %r."
                         % (cls, float(value)))
    return float(value)


def _scalars(params, prefix: str, value: float) -> ParameterTuple:
    """One float32 scalar state Parameter per Parameter, ``<prefix>_<name>`` (MindSpore's
    ``mu_<name>``, ``eta_<name>``, ``mu_product_<name>``)."""
    return ParameterTuple(Parameter(np.array(value, np.float32), name=prefix + "_" + p.name,
                                    requires_grad=False) for p in params)


class Optimizer(Cell):
    """MindSpore's ``experimental.optim.Optimizer(params, defaults)``.

    Subclasses name their per-parameter state in ``_STATE`` (``(prefix, fill)`` pairs: arrays
    like the Parameters, ``<prefix>.<name>``) and ``_SCALARS`` (``(prefix, value)``: one
    float32 scalar per Parameter, ``<prefix>_<name>``), made with :meth:`_init_state`, and implement :meth:`_group_writes`: one group's update as
    ``(array, new value)`` pairs, computed, never written.  A subclass of your own may instead
    override ``construct(gradients)`` and update ``group['params']`` itself (``ops.assign``),
    as in MindSpore.
    """

    _STATE: tuple = ()
    _SCALARS: tuple = ()

    # the step's checks are nn.Optimizer's (one gradient per Parameter, shapes, dtypes)
    _gradients = _nn_optim.Optimizer._gradients
    _where = _nn_optim.Optimizer._where

    def __init__(self, params: Iterable, defaults: dict) -> None:
        super().__init__(auto_prefix=False)
        if params is None:
            raise ValueError("For 'Optimizer', the argument params can not be None.")
        if isinstance(params, (Parameter, Tensor)) or not isinstance(params, Iterable):
            raise TypeError("For 'Optimizer', the argument params must be Iterable type, but "
                            "got %s." % type(params))
        groups = list(params)
        if not groups:
            raise ValueError("For 'Optimizer', the argument params must not be empty.")
        self.defaults = defaults
        self.state: dict = defaultdict(dict)
        self.param_groups: list = []
        self.lrs: list = []
        self.group_start_id = [0]
        object.__setattr__(self, "_built", False)
        self.parameters = ParameterTuple(())
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)
        object.__setattr__(self, "_built", True)

    @property
    def cls_name(self) -> str:
        return type(self).__name__

    def __repr__(self) -> str:
        text = self.cls_name + " ("
        for i, group in enumerate(self.param_groups):
            text += "\nParameter Group %d\n" % i
            for key in sorted(group):
                if key == "params":
                    continue
                value = group[key]
                if isinstance(value, Parameter):
                    value = value.asnumpy()
                text += "    %s: %s\n" % (key, value)
        return text + ")"

    def add_param_group(self, param_group: dict) -> None:
        """Add a group: its Parameters join ``parameters`` (and get fresh state), its missing
        options are the defaults."""
        if not isinstance(param_group, dict):
            raise TypeError("Param group must be a dict.")
        params = param_group["params"]
        if isinstance(params, Parameter):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("Optimizer parameters need to be organized in ordered collections, "
                            "but the ordering of tensors in sets will change between runs. "
                            "Please use a list instead.")
        params = list(params)
        for p in params:
            if not isinstance(p, Parameter):
                raise TypeError("Optimizer can only optimize Parameters, but one of the params "
                                "is %s" % type(p).__name__)
        if len({id(p) for p in params}) != len(params):
            raise ValueError("%s: a parameter group lists a Parameter twice; give each once"
                             % self.cls_name)
        if any(p is q for p in params for q in self.parameters):
            raise ValueError("some parameters appear in more than one parameter group.")
        group_id = len(self.param_groups)
        param_group["params"] = params
        for name, default in self.defaults.items():
            param_group.setdefault(name, default)
        lr = _lr_parameter(param_group.get("lr"), "learning_rate_group_%d" % group_id,
                           self.cls_name)
        param_group["lr"] = lr
        param_group["weight_decay"] = _weight_decay(param_group.get("weight_decay", 0.0),
                                                    self.cls_name)
        self.lrs.append(lr)
        self.param_groups.append(param_group)
        self.group_start_id.append(self.group_start_id[-1] + len(params))
        self.parameters = ParameterTuple(tuple(self.parameters) + tuple(params))
        if self.__dict__.get("_built"):  # a group added later: its state too
            for prefix, fill in self._STATE:
                added = ParameterTuple(params).clone(prefix=prefix, init=fill)
                setattr(self, prefix, ParameterTuple(tuple(getattr(self, prefix)) + added))
            for prefix, value in self._SCALARS:
                setattr(self, prefix, ParameterTuple(tuple(getattr(self, prefix))
                                                     + _scalars(params, prefix, value)))

    def _init_state(self) -> None:
        for prefix, fill in self._STATE:
            setattr(self, prefix, self.parameters.clone(prefix=prefix, init=fill))
        for prefix, value in self._SCALARS:
            setattr(self, prefix, _scalars(self.parameters, prefix, value))

    def _state(self, i: int) -> tuple:
        return tuple(getattr(self, prefix)[i].asnumpy() for prefix, _ in self._STATE)

    def _group_lr(self, group_id: int) -> float:
        """The group's learning rate this step: its Parameter, or a float put in its place."""
        lr = self.param_groups[group_id]["lr"]
        if isinstance(lr, float):
            return float(np.float32(lr))
        return float(np.asarray(self.lrs[group_id].asnumpy(), np.float32))

    def _grads_of(self, group_id: int, grads: tuple) -> list:
        """The group's gradients, negated under ``maximize``."""
        start, end = self.group_start_id[group_id], self.group_start_id[group_id + 1]
        out = list(grads[start:end])
        if self.param_groups[group_id].get("maximize"):
            out = [-g for g in out]
        return out

    @staticmethod
    def _decayed(grads: list, params: list, weight_decay: float) -> list:
        """``g + weight_decay * p`` (MindSpore's ``_decay_weight``, the decay cast to each
        Parameter's dtype) when ``weight_decay`` is not 0."""
        if weight_decay == 0.0:
            return grads
        return [g + p * np.asarray(weight_decay, p.dtype) for g, p in zip(grads, params)]

    def _step_writes(self) -> tuple:
        """State every group shares, as ``(array, new value)`` pairs, and what the groups'
        updates read of it this step."""
        return [], None

    def _group_writes(self, group_id: int, grads: list, lr: float, shared) -> list:
        raise NotImplementedError

    def construct(self, gradients):
        if type(self)._group_writes is Optimizer._group_writes:
            raise NotImplementedError
        given = tuple(g.astype(p.asnumpy().dtype, copy=False)
                      for g, p in zip(self._gradients(gradients), self.parameters))
        writes, shared = self._step_writes()
        for group_id in range(len(self.param_groups)):
            writes += self._group_writes(group_id, self._grads_of(group_id, given),
                                         self._group_lr(group_id), shared)
        for target, value in writes:  # every value exists: nothing can fail from here on
            np.copyto(target, value)
        return True
