"""``mindspore.mint.optim``: ``SGD``, ``Adam`` and ``AdamW`` with PyTorch's signatures and
update rules, as MindSpore 2.10 defines them (``mindspore.mint.optim``; its CPU build has
no kernel for AdamW's fused update: the algorithm in its documentation is used).

Takes: :class:`~autograd_st.cell.Cell`, Parameters.  Gives: optimizers called as
``optimizer(grads)`` (one gradient per entry of ``optimizer.parameters``, in order) that
update the Parameters in place, eagerly in numpy, and return True, as MindSpore's.

As in MindSpore, these classes derive from :class:`autograd_st.experimental.optim.Optimizer`
(its parameter groups, all-or-nothing step and gradient checks): each group's ``lr`` is a
float32 Parameter (``learning_rate_group_<i>``, ``optimizer.lrs``) that the schedulers of
``experimental.optim.lr_scheduler`` rewrite; a float put into ``param_groups[i]['lr']`` is
used as it is.  State, laid out as MindSpore's (its checkpoints list these names):
``exp_avg.<name>``, ``exp_avg_sq.<name>`` and ``state_step`` (float32 ``[1]``; Adam starts
it at 0, AdamW at -1: AdamW's step ``t`` is ``state_step + 1``) for Adam and AdamW;
``momentum_buf.<name>`` and ``step_t`` (int32) for SGD; ``max_exp_avg_sq.<name>`` per group
with ``amsgrad``.  ``params`` may be a list of dicts (``{'params': [...], 'lr': ..., ...}``),
each a group with its own hyper-parameters.
"""
from __future__ import annotations

import numpy as np

from ..experimental.optim.basic import check_adam
from ..experimental.optim.optimizer import Optimizer
from ..tensor import Parameter, ParameterTuple

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "FusedAdamW"]


class _AdamBase(Optimizer):
    _decoupled = False
    _first_step = 0.0
    _STATE = (("exp_avg", "zeros"), ("exp_avg_sq", "zeros"))

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False, *, maximize=False) -> None:
        check_adam(lr, betas, eps, weight_decay)
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps,
                                  "weight_decay": weight_decay, "amsgrad": amsgrad,
                                  "maximize": maximize})
        self._init_state()
        self.state_step = Parameter(np.array([self._first_step], np.float32),
                                    name="state_step", requires_grad=False)
        for group_id in range(len(self.param_groups)):
            self._max_exp_avg_sq(group_id)

    def _max_exp_avg_sq(self, group_id: int):
        """The group's running maximum of ``exp_avg_sq`` (``amsgrad``), made when the group
        is (a group added later: at its first step)."""
        group = self.param_groups[group_id]
        if group["amsgrad"] and "max_exp_avg_sq" not in group:
            group["max_exp_avg_sq"] = ParameterTuple(group["params"]).clone(
                prefix="max_exp_avg_sq", init="zeros")
        return group.get("max_exp_avg_sq")

    def _step_writes(self):
        old = self.state_step.asnumpy()
        step = old + np.float32(1)
        return [(old, step)], float(step[0]) + (1.0 if self._decoupled else 0.0)

    def _group_writes(self, group_id, grads, lr, t):
        group = self.param_groups[group_id]
        start = self.group_start_id[group_id]
        b1, b2 = (float(b) for b in group["betas"])
        eps, wd = group["eps"], group["weight_decay"]
        bc1 = 1 - b1 ** t
        bc2 = 1 - b2 ** t
        vmax_state = self._max_exp_avg_sq(group_id)
        writes = []
        for k, (param, g) in enumerate(zip(group["params"], grads)):
            w = p = param.asnumpy()
            if self._decoupled:
                w = w * np.asarray(1 - lr * wd, w.dtype)
            elif wd:
                g = g + np.asarray(wd, w.dtype) * w
            m_old, v_old = self.exp_avg[start + k].asnumpy(), self.exp_avg_sq[start + k].asnumpy()
            m = b1 * m_old + (1 - b1) * g
            v = b2 * v_old + (1 - b2) * g * g
            v_used = v
            if vmax_state is not None:
                vmax_old = vmax_state[k].asnumpy()
                v_used = np.maximum(vmax_old, v)
                writes.append((vmax_old, v_used))
            denom = np.sqrt(v_used) / np.sqrt(bc2) + eps
            writes += [(p, w - (lr / bc1) * m / denom), (m_old, m), (v_old, v)]
        return writes


class Adam(_AdamBase):
    """``mint.optim.Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
    amsgrad=False, *, maximize=False)``: ``g += weight_decay * p``; ``m``, ``v`` the moving
    averages; ``p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)`` (``amsgrad``:
    the largest ``v`` so far)."""


class AdamW(_AdamBase):
    """``mint.optim.AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
    weight_decay=1e-2, amsgrad=False, *, maximize=False)``: as :class:`Adam` with the decay
    decoupled, ``p *= 1 - lr * weight_decay`` before the update."""

    _decoupled = True
    _first_step = -1.0

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize)


FusedAdamW = AdamW


class SGD(Optimizer):
    """``mint.optim.SGD(params, lr, momentum=0, dampening=0, weight_decay=0,
    nesterov=False, *, maximize=False)``: ``g += weight_decay * p``; with momentum the
    buffer is ``g`` at the first step, then ``momentum * buf + (1 - dampening) * g``, and
    ``g`` is the buffer (``nesterov``: ``g + momentum * buf``); ``p -= lr * g``.  ``lr`` is
    the group's ``'lr_float'``, the rate it was built with, as in MindSpore 2.10: a scheduler
    rewrites ``param_groups[i]['lr']`` but does not change SGD's steps."""

    _STATE = (("momentum_buf", "zeros"),)

    def __init__(self, params, lr, momentum=0, dampening=0, weight_decay=0, nesterov=False,
                 *, maximize=False) -> None:
        if lr < 0.0:
            raise ValueError("Invalid learning rate: {}".format(lr))
        if momentum < 0.0:
            raise ValueError("Invalid momentum value: {}".format(momentum))
        if weight_decay < 0.0:
            raise ValueError("Invalid weight_decay value: {}".format(weight_decay))
        if nesterov and (momentum <= 0.0 or dampening != 0.0):
            raise ValueError("For 'SGD', if 'nesterov' is true, 'momentum' must be > 0.0 and "
                             "'dampening' must equal to 0.0, but got 'momentum' {}, "
                             "'dampening' {}".format(momentum, dampening))
        # MindSpore 2.10 steps with ``lr_float``, the lr given at construction (the group's
        # own when it has a non-zero one): a scheduler's rates show in param_groups and
        # get_last_lr() but do not move SGD (measured, u22o_mint_schedulers)
        params = [params] if isinstance(params, Parameter) else list(params)
        for group in params:
            if isinstance(group, dict) and group.get("lr", None):
                group["lr_float"] = group["lr"]
        super().__init__(params, {"lr": lr, "momentum": momentum, "dampening": dampening,
                                  "weight_decay": weight_decay, "nesterov": nesterov,
                                  "maximize": maximize, "lr_float": lr})
        self._init_state()
        self.step_t = Parameter(np.array(0, np.int32), name="step_t", requires_grad=False)

    def _step_writes(self):
        step = self.step_t.asnumpy()
        return [(step, step + 1)], int(step) == 0

    def _group_writes(self, group_id, grads, lr, first):
        group = self.param_groups[group_id]
        start, mom, lr = self.group_start_id[group_id], group["momentum"], group["lr_float"]
        writes = []
        for k, (param, g) in enumerate(zip(group["params"], grads)):
            w = param.asnumpy()
            if group["weight_decay"]:
                g = g + np.asarray(group["weight_decay"], w.dtype) * w
            if mom:
                buf_old = self.momentum_buf[start + k].asnumpy()
                buf = g if first else mom * buf_old + (1 - group["dampening"]) * g
                writes.append((buf_old, buf))
                g = g + mom * buf if group["nesterov"] else buf
            writes.append((w, w - np.asarray(lr, w.dtype) * g))
        return writes
