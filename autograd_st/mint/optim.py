"""``mindspore.mint.optim``: ``SGD``, ``Adam`` and ``AdamW`` with PyTorch's signatures and
update rules, as MindSpore 2.10 defines them (``mindspore.mint.optim``; its CPU build has
no kernel for AdamW's fused update: the algorithm in its documentation is used).

Takes: :class:`~autograd_st.cell.Cell`, Parameters.  Gives: optimizers called as
``optimizer(grads)`` (one gradient per entry of ``optimizer.parameters``, in order) that
update the Parameters in place, eagerly in numpy, and return True, as MindSpore's.

State, laid out as MindSpore's (its checkpoints list these names): ``exp_avg.<name>``,
``exp_avg_sq.<name>`` and ``state_step`` (float32 ``[1]``; Adam starts it at 0, AdamW at
-1: AdamW's step ``t`` is ``state_step + 1``) for Adam and AdamW; ``momentum_buf.<name>`` and
``step_t`` (int32) for SGD; ``max_exp_avg_sq.<name>`` per group with ``amsgrad``.
``params`` may be a list of dicts (``{'params': [...], 'lr': ..., ...}``), each a group with
its own hyper-parameters; a group's ``lr`` read at every step (``param_groups[i]['lr']``
may be changed between steps, as by a scheduler).
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ..cell import Cell
from ..errors import InputValueError
from ..tensor import Parameter, ParameterTuple, unwrap

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "FusedAdamW"]


class Optimizer(Cell):
    """``mindspore.experimental.optim.Optimizer(params, defaults)``: parameter groups
    (``param_groups``, each a dict with ``'params'`` and the hyper-parameters),
    ``parameters`` (every group's Parameters, in order) and ``defaults``."""

    def __init__(self, params, defaults: dict) -> None:
        super().__init__(auto_prefix=False)
        if isinstance(params, Parameter):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Parameters or dicts, but got a Parameter")
        items = list(params) if isinstance(params, Iterable) else []
        if not items:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(items[0], dict):
            items = [{"params": items}]
        self.defaults = dict(defaults)
        self.param_groups = []
        self.group_start_id = [0]
        flat = []
        for group in items:
            group = dict(group)
            plist = group["params"]
            plist = [plist] if isinstance(plist, Parameter) else list(plist)
            for p in plist:
                if not isinstance(p, Parameter):
                    raise TypeError("an optimizer updates Parameters; got %s"
                                    % type(p).__name__)
                if any(p is q for q in flat):
                    raise ValueError("some parameters appear in more than one parameter group")
            group["params"] = plist
            for key, value in self.defaults.items():
                group.setdefault(key, value)
            self.param_groups.append(group)
            flat.extend(plist)
            self.group_start_id.append(len(flat))
        self.parameters = ParameterTuple(flat)

    def _groups(self):
        """(group, start, end) for each group."""
        for i, group in enumerate(self.param_groups):
            yield group, self.group_start_id[i], self.group_start_id[i + 1]

    def _check(self, gradients) -> list:
        grads = list(gradients)
        if len(grads) != len(self.parameters):
            raise InputValueError("%s got %d gradients for %d Parameters; pass one gradient "
                                  "per entry of optimizer.parameters, in order"
                                  % (type(self).__name__, len(grads), len(self.parameters)))
        out = []
        for i, (p, g) in enumerate(zip(self.parameters, grads)):
            g = np.asarray(unwrap(g))
            if g.shape != p.shape:
                raise InputValueError("%s: the gradient %d has shape %s, its Parameter %r has "
                                      "shape %s; pass the gradients of optimizer.parameters"
                                      % (type(self).__name__, i, g.shape, p.name, p.shape))
            out.append(g.astype(p.asnumpy().dtype, copy=False))
        return out

    def _zeros(self, prefix: str, params=None) -> ParameterTuple:
        params = self.parameters if params is None else params
        return ParameterTuple(Parameter(np.zeros_like(p.asnumpy()), name=prefix + "." + p.name,
                                        requires_grad=False) for p in params)


def _check_betas(betas, eps, weight_decay, lr):
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


class _AdamBase(Optimizer):
    _decoupled = False
    _first_step = 0.0

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
                 amsgrad=False, *, maximize=False) -> None:
        _check_betas(betas, eps, weight_decay, lr)
        super().__init__(params, {"lr": lr, "betas": tuple(betas), "eps": eps,
                                  "weight_decay": weight_decay, "amsgrad": amsgrad,
                                  "maximize": maximize})
        self.exp_avg = self._zeros("exp_avg")
        self.exp_avg_sq = self._zeros("exp_avg_sq")
        self.state_step = Parameter(np.array([self._first_step], np.float32),
                                    name="state_step", requires_grad=False)
        for group, start, end in self._groups():
            if group["amsgrad"]:
                group["max_exp_avg_sq"] = self._zeros("max_exp_avg_sq",
                                                      self.parameters[start:end])

    def construct(self, gradients):
        grads = self._check(gradients)
        step = self.state_step.asnumpy() + np.float32(1)
        t = float(step[0]) + (1.0 if self._decoupled else 0.0)  # AdamW counts from -1
        writes = [(self.state_step, step)]
        for group, start, end in self._groups():
            b1, b2 = (float(b) for b in group["betas"])
            lr, eps, wd = float(group["lr"]), group["eps"], group["weight_decay"]
            bc1 = 1 - b1 ** t
            bc2 = 1 - b2 ** t
            for k in range(start, end):
                p = self.parameters[k]
                w = p.asnumpy()
                g = -grads[k] if group["maximize"] else grads[k]
                if self._decoupled:
                    w = w * np.asarray(1 - lr * wd, w.dtype)
                elif wd:
                    g = g + np.asarray(wd, w.dtype) * w
                m = b1 * self.exp_avg[k].asnumpy() + (1 - b1) * g
                v = b2 * self.exp_avg_sq[k].asnumpy() + (1 - b2) * g * g
                if group["amsgrad"]:
                    vmax_p = group["max_exp_avg_sq"][k - start]
                    vmax = np.maximum(vmax_p.asnumpy(), v)
                    writes.append((vmax_p, vmax))
                    v_used = vmax
                else:
                    v_used = v
                denom = np.sqrt(v_used) / np.sqrt(bc2) + eps
                new = w - (lr / bc1) * m / denom
                writes += [(p, new.astype(w.dtype)), (self.exp_avg[k], m.astype(w.dtype)),
                           (self.exp_avg_sq[k], v.astype(w.dtype))]
        for target, value in writes:
            target.set_data(np.asarray(value, target.asnumpy().dtype))
        return True


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
    ``g`` is the buffer (``nesterov``: ``g + momentum * buf``); ``p -= lr * g``."""

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
        super().__init__(params, {"lr": lr, "momentum": momentum, "dampening": dampening,
                                  "weight_decay": weight_decay, "nesterov": nesterov,
                                  "maximize": maximize})
        self.momentum_buf = self._zeros("momentum_buf")
        self.step_t = Parameter(np.array(0, np.int32), name="step_t", requires_grad=False)

    def construct(self, gradients):
        grads = self._check(gradients)
        first = int(self.step_t.asnumpy()) == 0
        writes = [(self.step_t, self.step_t.asnumpy() + 1)]
        for group, start, end in self._groups():
            lr, mom = float(group["lr"]), group["momentum"]
            for k in range(start, end):
                p = self.parameters[k]
                w = p.asnumpy()
                g = -grads[k] if group["maximize"] else grads[k]
                if group["weight_decay"]:
                    g = g + np.asarray(group["weight_decay"], w.dtype) * w
                if mom:
                    buf = self.momentum_buf[k].asnumpy()
                    buf = g if first else mom * buf + (1 - group["dampening"]) * g
                    writes.append((self.momentum_buf[k], buf))
                    g = g + mom * buf if group["nesterov"] else buf
                writes.append((p, w - np.asarray(lr, w.dtype) * g))
        for target, value in writes:
            target.set_data(np.asarray(value, target.asnumpy().dtype))
        return True

