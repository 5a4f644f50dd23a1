"""More optimizers with MindSpore 2.10's update rules: ``nn.RMSProp``, ``nn.Adagrad`` and
``nn.Lamb``, on the :class:`~autograd_st.nn.optim.Optimizer` base (groups, learning-rate
schedules, weight decay, loss scale, the all-or-nothing step).

RMSProp and Adagrad follow MindSpore's CPU kernels (``ApplyRMSProp``,
``ApplyCenteredRMSProp``, ``ApplyAdagrad``), checked against recorded MindSpore runs
(``tests/ms_cases/cases/train_rmsprop*.py``, ``train_adagrad*.py``).  MindSpore 2.10 has no
CPU kernel for Lamb (``Unsupported op [Lamb] on CPU``); ``nn.Lamb`` here follows its GPU
kernel, formula by formula (see :class:`Lamb`).
"""
from __future__ import annotations

import math
from typing import Any, Iterable

import numpy as np

from ..tensor import Parameter, ParameterTuple
from .optim import Optimizer, _check_betas, _minus

__all__ = ["RMSProp", "Adagrad", "Lamb"]


def _check_float(value, name: str, cls: str, positive: bool = False) -> float:
    """MindSpore's ``check_value_type(name, value, [float])`` then its range check."""
    if not isinstance(value, float):
        raise TypeError("For '%s', the type of '%s' must be 'float', but got '%s'."
                        % (cls, name, type(value).__name__))
    if positive and value <= 0.0:
        raise ValueError("For '%s', the '%s' must be positive float, but got %r."
                         % (cls, name, value))
    if value < 0.0:
        raise ValueError("For '%s', the '%s' must be non negative float, but got %r."
                         % (cls, name, value))
    return value


def _check_bool(value, name: str, cls: str) -> bool:
    if not isinstance(value, bool):
        raise TypeError("For '%s', the type of '%s' must be 'bool', but got '%s'."
                        % (cls, name, type(value).__name__))
    return value


class RMSProp(Optimizer):
    """MindSpore's ``nn.RMSProp(params, learning_rate=0.1, decay=0.9, momentum=0.0,
    epsilon=1e-10, use_locking=False, centered=False, loss_scale=1.0, weight_decay=0.0)``.

    The mean square starts at ones, the moment at zeros::

        ms = decay * ms + (1 - decay) * g^2
        mom = momentum * mom + lr * g / sqrt(ms + epsilon)
        p -= mom

    ``centered=True`` also keeps the mean gradient ``mg = decay * mg + (1 - decay) * g`` and
    divides by ``sqrt(ms - mg^2 + epsilon)``.  ``decay``, ``momentum`` and ``epsilon`` must be
    floats, as in MindSpore.
    """

    def __init__(self, params: Iterable, learning_rate: Any = 0.1, decay: float = 0.9,
                 momentum: float = 0.0, epsilon: float = 1e-10, use_locking: bool = False,
                 centered: bool = False, loss_scale: float = 1.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        self.decay = _check_float(decay, "decay", "RMSProp")
        self.momentum = _check_float(momentum, "momentum", "RMSProp")
        self.epsilon = _check_float(epsilon, "epsilon", "RMSProp", positive=True)
        self.use_locking = _check_bool(use_locking, "use_locking", "RMSProp")
        self.centered = _check_bool(centered, "centered", "RMSProp")
        if self.centered:  # (first, as in MindSpore's parameter order)
            self.mg = self._zeros_like_params("mean_grad")
        self.ms = ParameterTuple(Parameter(np.ones_like(p.asnumpy()), name="mean_square." + p.name,
                                           requires_grad=False) for p in self.parameters)
        self.moment = self._zeros_like_params("moment")

    def _state(self, i):
        out = (self.ms[i].asnumpy(), self.moment[i].asnumpy())
        return out + (self.mg[i].asnumpy(),) if self.centered else out

    def _apply(self, i, param, grad, lr, shared):
        rho = self.decay
        ms_old, mom_old = self.ms[i].asnumpy(), self.moment[i].asnumpy()
        ms = ms_old * rho
        ms += (1.0 - rho) * grad * grad
        writes = [(ms_old, ms)]
        denom = ms
        if self.centered:
            mg_old = self.mg[i].asnumpy()
            mg = mg_old * rho
            mg += (1.0 - rho) * grad
            writes.append((mg_old, mg))
            denom = ms - mg * mg
        mom = mom_old * self.momentum
        mom += lr * grad / np.sqrt(denom + self.epsilon)
        writes.append((mom_old, mom))
        writes.append((param, param - mom))
        return writes


class Adagrad(Optimizer):
    """MindSpore's ``nn.Adagrad(params, accum=0.1, learning_rate=0.001, update_slots=True,
    loss_scale=1.0, weight_decay=0.0)``.

    The accumulator starts at ``accum``; ``accum += g^2``, then ``p -= lr * g / sqrt(accum)``.
    ``update_slots=False`` changes nothing: MindSpore 2.10's CPU ``ApplyAdagrad`` updates the
    accumulator either way (measured, ``tests/ms_cases/cases/train_adagrad_no_slots.py``).
    """

    def __init__(self, params: Iterable, accum: float = 0.1, learning_rate: Any = 0.001,
                 update_slots: bool = True, loss_scale: float = 1.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        accum = _check_float(accum, "accum", "Adagrad")
        self.update_slots = _check_bool(update_slots, "update_slots", "Adagrad")
        self.accum = ParameterTuple(
            Parameter(np.full_like(p.asnumpy(), accum), name="accum." + p.name,
                      requires_grad=False) for p in self.parameters)

    def _state(self, i):
        return (self.accum[i].asnumpy(),)

    def _apply(self, i, param, grad, lr, shared):
        acc_old = self.accum[i].asnumpy()
        acc = acc_old + grad * grad  # also with update_slots=False: MindSpore's CPU kernel
        return [(acc_old, acc), (param, _minus(param, lr * grad / np.sqrt(acc)))]


class Lamb(Optimizer):
    """MindSpore's ``nn.Lamb(params, learning_rate, beta1=0.9, beta2=0.999, eps=1e-6,
    weight_decay=0.0)`` (no ``loss_scale``, as there).

    With ``t`` the step number counted from 1 (MindSpore bumps ``global_step`` before the
    update)::

        m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g^2
        m_hat = m / (1 - b1^t);  v_hat = v / (1 - b2^t)
        update = m_hat / (sqrt(v_hat) + eps) + wd * p
        r = ||p|| / ||m_hat / sqrt(v_hat + eps) + wd * p||   (1 if either norm is 0)
        p -= clip(r, 0, 10) * lr * update                     (r is 0 if it is NaN)

    ``wd`` is the weight decay of parameters whose name has no 'beta' or 'gamma' (all of a
    group's).  This is MindSpore's GPU kernel (``lamb_impl.cu``, ``CalcTrustRatio``), note
    ``eps`` inside the square root in the trust ratio's norm; MindSpore 2.10 has no Lamb on CPU
    to record it against.
    """

    def __init__(self, params: Iterable, learning_rate: Any, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-6, weight_decay: float = 0.0) -> None:
        super().__init__(learning_rate, params, weight_decay)
        for name, value in (("beta1", beta1), ("beta2", beta2), ("eps", eps)):
            if not isinstance(value, float):
                raise TypeError("For 'Lamb', the type of '%s' must be 'float', but got '%s'."
                                % (name, type(value).__name__))
        _check_betas(beta1, beta2, eps, "Lamb")
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)
        self.moments1 = self._zeros_like_params("lamb_m")
        self.moments2 = self._zeros_like_params("lamb_v")

    def decay_weight(self, gradients):
        return tuple(gradients)  # the decay is part of the update (and of the trust ratio)

    def _state(self, i):
        return self.moments1[i].asnumpy(), self.moments2[i].asnumpy()

    def _step_writes(self):
        return [], int(self.global_step.asnumpy()[0]) + 1

    def _apply(self, i, param, grad, lr, t):
        b1, b2, eps = self.beta1, self.beta2, self.eps
        wd = self._weight_decays[i]
        m_old, v_old = self.moments1[i].asnumpy(), self.moments2[i].asnumpy()
        m = m_old * b1
        m += (1.0 - b1) * grad
        v = v_old * b2
        v += (1.0 - b2) * grad * grad
        m_hat = m / (1.0 - b1 ** t)
        v_hat = v / (1.0 - b2 ** t)
        update = m_hat / (np.sqrt(v_hat) + eps) + wd * param
        g_hat = m_hat / np.sqrt(v_hat + eps) + wd * param
        w_norm = float(np.sqrt(np.sum(np.square(param, dtype=np.float64))))
        g_hat_norm = float(np.sqrt(np.sum(np.square(g_hat, dtype=np.float64))))
        ratio = w_norm / g_hat_norm if w_norm > 0 and g_hat_norm > 0 else 1.0
        ratio = 0.0 if math.isnan(ratio) or ratio < 0 else min(ratio, 10.0)
        new = param - (ratio * lr) * update
        return [(m_old, m), (v_old, v), (param, new.astype(param.dtype, copy=False))]
