"""``experimental.optim``'s other optimizers with MindSpore 2.10's update rules: ``Adagrad``,
``RMSprop``, ``Adadelta``, ``Adamax``, ``ASGD``, ``NAdam``, ``RAdam`` and ``Rprop``.

Each follows MindSpore's source (``mindspore/experimental/optim/<name>.py``), in float32
where MindSpore computes its scalars in float32 (the step count is an int32 ``step_t``), and
was checked against recorded MindSpore runs (``tests/ms_cases/cases/u22o_more_optimizers.py``).
``weight_decay`` is an L2 term added to the (``maximize``-negated) gradient in all but
``Rprop``, which has none.  Where they differ from PyTorch, as MindSpore:

- ``Adagrad``: ``ApplyAdagradV2``, ``p -= lr / (1 + (t - 1) lr_decay) * g / (sqrt(sum) + eps)``;
  the accumulator starts at the constructor's ``initial_accumulator_value`` (a group's own
  value is not used).
- ``RMSprop``: ``eps`` is added after the square root (centered: ``sqrt(v - mean_g^2) + eps``);
  with ``momentum > 0``, ``buf = momentum buf + g / avg`` and ``p -= lr buf``.
- ``Adadelta``: the ``ApplyAdadelta`` kernel (:func:`~autograd_st.nn.optim3.adadelta_writes`).
- ``Adamax``: ``u = max(beta2 u, |g| + eps)``, ``p -= lr / (1 - beta1^t) m / u``.
- ``ASGD``: :func:`~autograd_st.nn.optim3.asgd_writes` (``eta``, ``mu`` and ``ax`` per
  Parameter).
- ``NAdam``: PyTorch's, with ``mu_product_<name>`` per Parameter; no ``maximize``.
- ``RAdam``: the rectified step when ``rho_t > 5``, else ``p -= lr m / (1 - beta1^t)``; no
  ``maximize``.
- ``Rprop``: :func:`~autograd_st.nn.optim3.rprop_writes` (the step sizes start at ``lr``).
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ...nn.optim import _minus
from ...nn.optim3 import adadelta_writes, asgd_writes, rprop_writes
from .basic import _power, _StepCounted
from .optimizer import Optimizer

__all__ = ["Adagrad", "RMSprop", "Adadelta", "Adamax", "ASGD", "NAdam", "RAdam", "Rprop"]

_F32 = np.float32


def _above(value, name: str, cls: str, bound: float = 0.0) -> None:
    """MindSpore's ``check_not_less_than_without_equal``."""
    if value <= bound:
        raise ValueError("For {}, the {} must be greater than {}, but got {}."
                         .format(cls, name, bound, value))


def _at_least(value, name: str, cls: str) -> None:
    """MindSpore's ``check_not_less_than`` (of 0)."""
    if value < 0.0:
        raise ValueError("For {}, the {} must be greater than or equal to 0.0, but got {}."
                         .format(cls, name, value))


def _in_range(value, name: str, cls: str, closed_right: bool = False,
              open_left: bool = False) -> None:
    """MindSpore's ``validator.check_float_range(value, 0., 1., ...)``."""
    if isinstance(value, bool) or not isinstance(value, float):
        raise TypeError("For '%s', the '%s' must be 'float',  but got '%s'."
                        % (cls, name, type(value).__name__))
    low_ok = value > 0.0 if open_left else value >= 0.0
    high_ok = value <= 1.0 if closed_right else value < 1.0
    if not (low_ok and high_ok):
        raise ValueError("For '%s', the '%s' must be in range of %s0.0, 1.0%s, but got %r with "
                         "type 'float'." % (cls, name, "(" if open_left else "[",
                                             "]" if closed_right else ")", value))


def _check_betas(betas, cls: str) -> None:
    _in_range(betas[0], "betas[0]", cls)
    _in_range(betas[1], "betas[1]", cls)


def _group_arrays(opt: Optimizer, group_id: int, grads: list, decay: bool = True) -> tuple:
    """The group, the index of its first Parameter in ``parameters``, its Parameters' arrays
    and its gradients (with the group's L2 ``weight_decay`` added unless ``decay=False``)."""
    group = opt.param_groups[group_id]
    params = [p.asnumpy() for p in group["params"]]
    if decay:
        grads = opt._decayed(grads, params, group["weight_decay"])
    return group, opt.group_start_id[group_id], params, grads


class Adagrad(_StepCounted):
    """``Adagrad(params, lr=1e-2, lr_decay=0.0, weight_decay=0.0,
    initial_accumulator_value=0.0, eps=1e-10, *, maximize=False)``."""

    _STEP = "step_t"

    def __init__(self, params: Iterable, lr: Any = 1e-2, lr_decay: float = 0.0,
                 weight_decay: float = 0.0, initial_accumulator_value: float = 0.0,
                 eps: float = 1e-10, *, maximize: bool = False) -> None:
        _above(lr, "lr", "Adagrad")
        _at_least(lr_decay, "lr_decay", "Adagrad")
        _at_least(weight_decay, "weight_decay", "Adagrad")
        _at_least(initial_accumulator_value, "initial_accumulator_value", "Adagrad")
        _above(eps, "eps", "Adagrad")
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, eps=eps,
                                      weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value,
                                      maximize=maximize))
        self._STATE = (("accum", float(initial_accumulator_value)),)
        self._init_state()
        self._init_step()

    def _group_writes(self, group_id, grads, lr, step):
        group, start, params, grads = _group_arrays(self, group_id, grads)
        # MindSpore bumps step_t after the groups' updates: the decay sees t - 1
        decay_lr = _F32(lr) / (_F32(1) + _F32(step - 1) * _F32(group["lr_decay"]))
        writes = []
        for k, (p, g) in enumerate(zip(params, grads)):
            acc_old = self.accum[start + k].asnumpy()
            acc = acc_old + g * g
            delta = decay_lr * g / (np.sqrt(acc) + group["eps"])
            writes += [(acc_old, acc), (p, _minus(p, np.asarray(delta, p.dtype)))]
        return writes


class RMSprop(Optimizer):
    """``RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
    centered=False, maximize=False)``."""

    _STATE = (("mean_grad", "zeros"), ("mean_square", "zeros"), ("moment", "zeros"))

    def __init__(self, params: Iterable, lr: Any = 1e-2, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0.0, momentum: float = 0.0,
                 centered: bool = False, maximize: bool = False) -> None:
        _above(lr, "lr", "RMSprop")
        _at_least(alpha, "alpha", "RMSprop")
        _above(eps, "eps", "RMSprop")
        _at_least(momentum, "momentum", "RMSprop")
        _at_least(weight_decay, "weight_decay", "RMSprop")
        super().__init__(params, dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps,
                                      centered=centered, weight_decay=weight_decay,
                                      maximize=maximize))
        self._init_state()

    def _group_writes(self, group_id, grads, lr, shared):
        group, start, params, grads = _group_arrays(self, group_id, grads)
        alpha, eps, momentum = group["alpha"], group["eps"], group["momentum"]
        writes = []
        for k, (p, g) in enumerate(zip(params, grads)):
            ms_old = self.mean_square[start + k].asnumpy()
            ms = ms_old * alpha + (1 - alpha) * g * g
            writes.append((ms_old, ms))
            if group["centered"]:
                mg_old = self.mean_grad[start + k].asnumpy()
                mg = mg_old * alpha + g * (1 - alpha)
                writes.append((mg_old, mg))
                avg = np.sqrt(ms - mg * mg) + eps
            else:
                avg = np.sqrt(ms) + eps
            if momentum > 0:
                mom_old = self.moment[start + k].asnumpy()
                mom = mom_old * momentum + g / avg
                writes += [(mom_old, mom), (p, p - np.asarray(mom * lr, p.dtype))]
            else:
                writes.append((p, p - np.asarray(lr * g / avg, p.dtype)))
        return writes


class Adadelta(Optimizer):
    """``Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0, *, maximize=False)``."""

    _STATE = (("accum", "zeros"), ("accum_update", "zeros"))

    def __init__(self, params: Iterable, lr: Any = 1.0, rho: float = 0.9, eps: float = 1e-6,
                 weight_decay: float = 0.0, *, maximize: bool = False) -> None:
        _above(lr, "lr", "Adadelta")
        _above(eps, "eps", "Adadelta")
        _at_least(weight_decay, "weight_decay", "Adadelta")
        _in_range(rho, "rho", "Adadelta", closed_right=True)
        super().__init__(params, dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize))
        self._init_state()

    def _group_writes(self, group_id, grads, lr, shared):
        group, start, params, grads = _group_arrays(self, group_id, grads)
        writes = []
        for k, (p, g) in enumerate(zip(params, grads)):
            writes += adadelta_writes(p, g, lr, group["rho"], group["eps"],
                                      self.accum[start + k].asnumpy(),
                                      self.accum_update[start + k].asnumpy())
        return writes


class Adamax(_StepCounted):
    """``Adamax(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, *,
    maximize=False)``."""

    _STEP = "step_t"
    _STATE = (("exp_avg", "zeros"), ("exp_inf", "zeros"))

    def __init__(self, params: Iterable, lr: Any = 2e-3, betas: tuple = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, *,
                 maximize: bool = False) -> None:
        _above(lr, "lr", "Adamax")
        _at_least(weight_decay, "weight_decay", "Adamax")
        _above(eps, "eps", "Adamax")
        _check_betas(betas, "Adamax")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      maximize=maximize))
        self._init_step()
        self._init_state()

    def _group_writes(self, group_id, grads, lr, step):
        group, start, params, grads = _group_arrays(self, group_id, grads)
        beta1, beta2 = group["betas"]
        clr = _F32(lr) / (_F32(1) - _F32(_power(beta1, step)))
        writes = []
        for k, (p, g) in enumerate(zip(params, grads)):
            m_old = self.exp_avg[start + k].asnumpy()
            u_old = self.exp_inf[start + k].asnumpy()
            m = m_old * beta1 + g * (1 - beta1)
            u = np.maximum(u_old * beta2, np.abs(g) + group["eps"])
            writes += [(m_old, m), (u_old, u), (p, p - np.asarray(clr * m / u, p.dtype))]
        return writes


class ASGD(_StepCounted):
    """``ASGD(params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0.0,
    maximize=False)``: ``lambd`` and ``t0`` must be floats, as in MindSpore."""

    _STEP = "step_t"
    _STATE = (("ax", "zeros"),)
    _SCALARS = (("mu", 1.0), ("eta", 0.0))

    def __init__(self, params: Iterable, lr: Any = 1e-2, lambd: float = 1e-4,
                 alpha: float = 0.75, t0: float = 1e6, weight_decay: float = 0.0,
                 maximize: bool = False) -> None:
        _above(lr, "lr", "ASGD")
        _at_least(weight_decay, "weight_decay", "ASGD")
        if not isinstance(lambd, float):
            raise TypeError(f"For 'ASGD', the type of lambd must be float, but got {type(lambd)}.")
        if not isinstance(t0, float):
            raise TypeError(f"For 'ASGD', the type of t0 must be float, but got {type(t0)}.")
        super().__init__(params, dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0,
                                      weight_decay=weight_decay, maximize=maximize))
        self._init_state()
        self._init_step()

    def _group_writes(self, group_id, grads, lr, step):
        group, start, params, grads = _group_arrays(self, group_id, grads)
        writes = []
        for k, (p, g) in enumerate(zip(params, grads)):
            i = start + k
            writes += asgd_writes(p, g, lr, group["lambd"], group["alpha"], group["t0"], step,
                                  self.mu[i].asnumpy(), self.eta[i].asnumpy(),
                                  self.ax[i].asnumpy())
        return writes


class NAdam(_StepCounted):
    """``NAdam(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
    momentum_decay=4e-3)``."""

    _STEP = "step_t"
    _STATE = (("exp_avg", "zeros"), ("exp_avg_sq", "zeros"))
    _SCALARS = (("mu_product", 1.0),)

    def __init__(self, params: Iterable, lr: Any = 2e-3, betas: tuple = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0,
                 momentum_decay: float = 4e-3) -> None:
        _above(lr, "lr", "NAdam")
        _above(eps, "eps", "NAdam")
        _at_least(weight_decay, "weight_decay", "NAdam")
        _at_least(momentum_decay, "momentum_decay", "NAdam")
        _check_betas(betas, "NAdam")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      momentum_decay=momentum_decay))
        self._init_step()
        self._init_state()

    def _group_writes(self, group_id, grads, lr, step):
        group, start, params, grads = _group_arrays(self, group_id, grads)
        beta1, beta2 = group["betas"]
        t, decay, one = _F32(step), _F32(group["momentum_decay"]), _F32(1)
        bc2 = one - _F32(_power(beta2, step))
        mu = _F32(beta1) * (one - _F32(0.5) * np.power(_F32(0.96), t * decay))
        mu_next = _F32(beta1) * (one - _F32(0.5) * np.power(_F32(0.96), (t + one) * decay))
        lr = _F32(lr)
        writes = []
        for k, (p, g) in enumerate(zip(params, grads)):
            i = start + k
            prod_old = self.mu_product[i].asnumpy()
            prod = _F32(prod_old * mu)
            m_old, v_old = self.exp_avg[i].asnumpy(), self.exp_avg_sq[i].asnumpy()
            m = m_old * beta1 + g * (1 - beta1)
            v = v_old * beta2 + g * g * (1 - beta2)
            denom = np.sqrt(v / bc2) + group["eps"]
            new = p - np.asarray(lr * (one - mu) / (one - prod) * g / denom, p.dtype)
            new = new - np.asarray(lr * mu_next / (one - prod * mu_next) * m / denom, p.dtype)
            writes += [(prod_old, prod), (m_old, m), (v_old, v), (p, new)]
        return writes


class RAdam(_StepCounted):
    """``RAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)``."""

    _STEP = "step_t"
    _STATE = (("exp_avg", "zeros"), ("exp_avg_sq", "zeros"))

    def __init__(self, params: Iterable, lr: Any = 1e-3, betas: tuple = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        _above(lr, "lr", "RAdam")
        _at_least(weight_decay, "weight_decay", "RAdam")
        _above(eps, "eps", "RAdam")
        _check_betas(betas, "RAdam")
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))
        self._init_step()
        self._init_state()

    def _group_writes(self, group_id, grads, lr, step):
        group, start, params, grads = _group_arrays(self, group_id, grads)
        beta1, beta2 = group["betas"]
        beta2_pow = _F32(_power(beta2, step))
        bc1, bc2 = _F32(1) - _F32(_power(beta1, step)), _F32(1) - beta2_pow
        # in float32 (MindSpore's graph makes beta2 a float32 constant; rho_t cancels digits)
        rho_inf = _F32(2) / (_F32(1) - _F32(beta2)) - _F32(1)
        rho_t = rho_inf - _F32(2) * _F32(step) * beta2_pow / bc2
        rect = None
        if rho_t > 5.0:
            rect = np.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf
                           / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
        lr = _F32(lr)
        writes = []
        for k, (p, g) in enumerate(zip(params, grads)):
            m_old, v_old = self.exp_avg[start + k].asnumpy(), self.exp_avg_sq[start + k].asnumpy()
            m = m_old * beta1 + g * (1 - beta1)
            v = v_old * beta2 + g * g * (1 - beta2)
            corrected = m / bc1
            if rect is None:
                delta = corrected * lr
            else:
                delta = corrected * lr * (np.sqrt(bc2) / (np.sqrt(v) + group["eps"])) * rect
            writes += [(m_old, m), (v_old, v), (p, p - np.asarray(delta, p.dtype))]
        return writes


class Rprop(_StepCounted):
    """``Rprop(params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
    maximize=False)``."""

    _STEP = "step_t"
    _STATE = (("prev", "zeros"), ("step_size", "zeros"))

    def __init__(self, params: Iterable, lr: Any = 1e-2, etas: tuple = (0.5, 1.2),
                 step_sizes: tuple = (1e-6, 50), *, maximize: bool = False) -> None:
        _above(lr, "lr", "Rprop")
        _above(etas[1], "etas[1]", "Rprop", 1.0)
        _in_range(etas[0], "etas[0]", "Rprop", open_left=True)
        super().__init__(params, dict(lr=lr, etas=etas, step_sizes=step_sizes,
                                      maximize=maximize))
        self._init_state()
        self._init_step()

    def _group_writes(self, group_id, grads, lr, step):
        group, start, params, grads = _group_arrays(self, group_id, grads, decay=False)
        writes = []
        for k, (p, g) in enumerate(zip(params, grads)):
            writes += rprop_writes(p, g, lr, group["etas"], group["step_sizes"], step,
                                   self.prev[start + k].asnumpy(),
                                   self.step_size[start + k].asnumpy())
        return writes
