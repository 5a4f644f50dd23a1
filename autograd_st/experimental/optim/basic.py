"""``experimental.optim.Adam``, ``AdamW`` and ``SGD`` with MindSpore 2.10's update rules.

- ``Adam`` runs MindSpore's ``Adam`` kernel (the update of :class:`autograd_st.nn.Adam`,
  :func:`~autograd_st.nn.optim.adam_writes`): ``eps`` is added to ``sqrt(v)`` before the bias
  correction is folded into the step, unlike PyTorch.  ``weight_decay`` is an L2 term added
  to the (``maximize``-negated) gradient.  MindSpore 2.10 accepts ``amsgrad=True`` and keeps
  a ``max_exp_avg_sq`` state but does not use it (measured: the same numbers as
  ``amsgrad=False``); so here.
- ``AdamW``: ``p *= 1 - lr * weight_decay``, then PyTorch's bias-corrected Adam step,
  ``p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)`` (``amsgrad``: ``v`` there
  is its running maximum).
- ``SGD`` runs MindSpore's ``SGD`` kernel (:func:`~autograd_st.nn.optim.sgd_writes`), the
  weight decay added to the gradient first; the first step's momentum buffer is the
  gradient itself.

The step count ``state_step`` (int32) and the beta powers are float32, as in MindSpore.
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ...nn.optim import _minus, adam_writes, sgd_writes
from ...tensor import Parameter, Tensor
from .optimizer import Optimizer

__all__ = ["Adam", "AdamW", "SGD"]


def check_adam(lr, betas, eps, weight_decay) -> None:
    """MindSpore's checks of Adam's and AdamW's arguments (mint.optim's too)."""
    if lr < 0.0:
        raise ValueError("Invalid learning rate: {}".format(lr))
    if eps < 0.0:
        raise ValueError("Invalid epsilon value: {}".format(eps))
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError("Invalid beta parameter at index 0: {}".format(betas[0]))
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError("Invalid beta parameter at index 1: {}".format(betas[1]))
    if weight_decay < 0.0:
        raise ValueError("Invalid weight_decay value: {}".format(weight_decay))


def _power(beta: float, step: int) -> float:
    """``beta ** step`` in float32, as MindSpore's ``Pow`` of a float and the int32 step."""
    return float(np.power(np.float32(beta), np.float32(step)))


class _StepCounted(Optimizer):
    """An optimizer with MindSpore's step count (an int32 scalar Parameter named ``_STEP``:
    Adam's ``state_step``, the others' ``step_t``), bumped once a step; the groups' updates
    get the step number from 1."""

    _STEP = "state_step"

    def _init_step(self) -> None:
        setattr(self, self._STEP, Parameter(np.array(0, np.int32), name=self._STEP))

    def _step_writes(self):
        step = getattr(self, self._STEP).asnumpy()
        return [(step, step + 1)], int(step) + 1


class _AdamLike(_StepCounted):
    """Adam's and AdamW's arguments, checked, and their state."""

    _STATE = (("exp_avg", "zeros"), ("exp_avg_sq", "zeros"), ("max_exp_avg_sq", "zeros"))

    def _init_adam(self, params, lr, betas, eps, weight_decay, amsgrad, maximize) -> None:
        check_adam(lr, betas, eps, weight_decay)
        super().__init__(params, {"lr": lr, "betas": betas, "eps": eps,
                                  "weight_decay": weight_decay, "amsgrad": amsgrad,
                                  "maximize": maximize})
        self._init_state()
        self._init_step()


class Adam(_AdamLike):
    """``Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
    amsgrad=False, *, maximize=False)``."""

    def __init__(self, params: Iterable, lr: Any = 1e-3, betas: tuple = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:
        self._init_adam(params, lr, betas, eps, weight_decay, amsgrad, maximize)

    def _group_writes(self, group_id, grads, lr, step):
        group = self.param_groups[group_id]
        beta1, beta2 = group["betas"]
        powers = (_power(beta1, step), _power(beta2, step))
        start = self.group_start_id[group_id]
        params = [p.asnumpy() for p in group["params"]]
        writes = []
        for k, (p, g) in enumerate(zip(params, self._decayed(grads, params,
                                                             group["weight_decay"]))):
            writes += adam_writes(p, g, lr, beta1, beta2, group["eps"], powers,
                                  self.exp_avg[start + k].asnumpy(),
                                  self.exp_avg_sq[start + k].asnumpy())
        return writes


class AdamW(_AdamLike):
    """``AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
    amsgrad=False, *, maximize=False)``: decoupled weight decay."""

    def __init__(self, params: Iterable, lr: Any = 1e-3, betas: tuple = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 1e-2, amsgrad: bool = False, *,
                 maximize: bool = False) -> None:
        self._init_adam(params, lr, betas, eps, weight_decay, amsgrad, maximize)

    def _group_writes(self, group_id, grads, lr, step):
        group = self.param_groups[group_id]
        beta1, beta2 = group["betas"]
        f32 = np.float32
        decay = f32(1) - f32(lr) * f32(group["weight_decay"])
        step_size = f32(lr) / (f32(1) - f32(_power(beta1, step)))
        bc2_sqrt = np.sqrt(f32(1) - f32(_power(beta2, step)))
        start = self.group_start_id[group_id]
        writes = []
        for k, (param, g) in enumerate(zip(group["params"], grads)):
            p = param.asnumpy()
            m_old = self.exp_avg[start + k].asnumpy()
            v_old = self.exp_avg_sq[start + k].asnumpy()
            m = m_old * beta1 + g * (1 - beta1)
            v = v_old * beta2 + (1 - beta2) * g * g
            writes += [(m_old, m), (v_old, v)]
            if group["amsgrad"]:
                vmax_old = self.max_exp_avg_sq[start + k].asnumpy()
                v = np.maximum(vmax_old, v)
                writes.append((vmax_old, v))
            denom = np.sqrt(v) / bc2_sqrt + group["eps"]
            update = np.asarray(m / denom * step_size, p.dtype)
            writes.append((p, _minus(p * decay.astype(p.dtype), update)))
        return writes


class SGD(Optimizer):
    """``SGD(params, lr, momentum=0, dampening=0, weight_decay=0.0, nesterov=False, *,
    maximize=False)``."""

    _STATE = (("accum", "zeros"), ("stat", "ones"))

    def __init__(self, params: Iterable, lr: Any, momentum: float = 0, dampening: float = 0,
                 weight_decay: float = 0.0, nesterov: bool = False, *,
                 maximize: bool = False) -> None:
        if isinstance(lr, bool) or not isinstance(lr, (float, int, Tensor)):
            raise TypeError("For 'SGD', the type of 'lr' should be one of '[float, int, "
                            "Tensor]', but got '%s'." % type(lr).__name__)
        if lr < 0.0:
            raise ValueError("Invalid learning rate: {}".format(lr))
        if isinstance(momentum, bool) or not isinstance(momentum, (float, int)):
            raise TypeError("For 'SGD', the type of 'momentum' should be one of '[int, float]', "
                            "but got '%s'." % type(momentum).__name__)
        if momentum < 0.0:
            raise ValueError("Invalid momentum value: {}".format(momentum))
        for name, flag in (("nesterov", nesterov), ("maximize", maximize)):
            if not isinstance(flag, bool):
                raise TypeError("For 'SGD', the type of '%s' should be 'bool', but got '%s'."
                                % (name, type(flag).__name__))
        super().__init__(params, dict(lr=lr, momentum=float(momentum), dampening=dampening,
                                      weight_decay=weight_decay, nesterov=nesterov,
                                      maximize=maximize, grad_centralization=False))
        for group in self.param_groups:
            value = group["dampening"]
            if isinstance(value, bool) or not isinstance(value, (float, int)):
                raise TypeError("For 'SGD', the type of 'dampening' should be one of '[int, "
                                "float]', but got '%s'." % type(value).__name__)
            group["dampening"] = float(value)
        if nesterov and (momentum <= 0.0 or dampening != 0.0):
            raise ValueError("For 'SGD', if 'nesterov' is true, 'momentum' must be > 0.0 and "
                             "'dampening' must equal to 0.0, but got 'momentum' {}, "
                             "'dampening' {}".format(momentum, dampening))
        self._init_state()

    def _group_writes(self, group_id, grads, lr, shared):
        group = self.param_groups[group_id]
        momentum = float(np.float32(group["momentum"]))
        start = self.group_start_id[group_id]
        params = [p.asnumpy() for p in group["params"]]
        writes = []
        for k, (p, g) in enumerate(zip(params, self._decayed(grads, params,
                                                             group["weight_decay"]))):
            writes += sgd_writes(p, g, lr, momentum, group["dampening"], group["nesterov"],
                                 self.accum[start + k].asnumpy(),
                                 self.stat[start + k].asnumpy())
        return writes
