"""More optimizers with MindSpore 2.10's update rules and state layout: ``nn.AdaMax``,
``nn.Adadelta``, ``nn.ASGD``, ``nn.Rprop``, ``nn.FTRL``, ``nn.ProximalAdagrad`` and
``nn.LazyAdam``, on the :class:`~autograd_st.nn.optim.Optimizer` base (groups, learning-rate
schedules, weight decay, loss scale, the all-or-nothing step).

Each one's Parameters are MindSpore's, by name, shape and order (``global_step``, the learning
rate, the parameters, then the state: ``beta1_power`` and ``moment1.<p>`` / ``moment2.<p>``
for AdaMax ...), so MindSpore checkpoints load; the updates follow MindSpore's CPU kernels
(``ApplyAdaMax``, ``ApplyAdadelta``, ``ApplyFtrl``, ``ApplyProximalAdagrad``, ``Adam``) or
its Python (``ASGD``, ``Rprop``), checked against recorded MindSpore runs
(``tests/ms_cases/cases/nlo_optim*.py``).
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from ..tensor import Parameter, ParameterTuple
from .optim import Adam, Optimizer, _minus

__all__ = ["AdaMax", "Adadelta", "ASGD", "Rprop", "FTRL", "ProximalAdagrad", "LazyAdam",
           "AdaFactor", "LARS"]


def _float(value, name: str, cls: str) -> float:
    if not isinstance(value, float):
        raise TypeError("For '%s', the type of '%s' must be 'float', but got '%s'."
                        % (cls, name, type(value).__name__))
    return value


def _in_open_unit(value, name: str, cls: str) -> float:
    _float(value, name, cls)
    if not 0.0 < value < 1.0:
        raise ValueError("For '%s', the '%s' must be in range of (0.0, 1.0), but got %r."
                         % (cls, name, value))
    return value


def _positive(value, name: str, cls: str) -> float:
    _float(value, name, cls)
    if value <= 0.0:
        raise ValueError("For '%s', the '%s' must be positive float, but got %r."
                         % (cls, name, value))
    return value


def _non_negative(value, name: str, cls: str) -> float:
    _float(value, name, cls)
    if value < 0.0:
        raise ValueError("For '%s', the '%s' must be non negative float, but got %r."
                         % (cls, name, value))
    return value


def _filled_like_params(opt: Optimizer, prefix: str, value: float) -> ParameterTuple:
    return ParameterTuple(Parameter(np.full_like(p.asnumpy(), value), name=prefix + "." + p.name,
                                    requires_grad=False) for p in opt.parameters)


def _power(name: str) -> Parameter:
    return Parameter(np.ones((1,), np.float32), name=name, requires_grad=False)


class AdaMax(Optimizer):
    """MindSpore's ``nn.AdaMax(params, learning_rate=0.001, beta1=0.9, beta2=0.999, eps=1e-08,
    weight_decay=0.0, loss_scale=1.0)`` (``ApplyAdaMax``), with ``beta1_power`` multiplied by
    ``beta1`` before the update::

        m = b1 m + (1 - b1) g;   v = max(b2 v, |g|)
        p -= lr / (1 - beta1_power) * m / (v + eps)
    """

    def __init__(self, params: Iterable, learning_rate: Any = 0.001, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-08, weight_decay: float = 0.0,
                 loss_scale: float = 1.0) -> None:
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        self.beta1 = _in_open_unit(beta1, "beta1", "AdaMax")
        self.beta2 = _in_open_unit(beta2, "beta2", "AdaMax")
        self.eps = _positive(eps, "eps", "AdaMax")
        self.beta1_power = _power("beta1_power")
        self.moment1 = self._zeros_like_params("moment1")
        self.moment2 = self._zeros_like_params("moment2")

    def _step_writes(self):
        b1p = self.beta1_power.asnumpy() * np.float32(self.beta1)
        return [(self.beta1_power.asnumpy(), b1p)], float(b1p[0])

    def _state(self, i):
        return self.moment1[i].asnumpy(), self.moment2[i].asnumpy()

    def _apply(self, i, param, grad, lr, b1p):
        m_old, v_old = self.moment1[i].asnumpy(), self.moment2[i].asnumpy()
        m = m_old * self.beta1 + (1.0 - self.beta1) * grad
        v = np.maximum(v_old * self.beta2, np.abs(grad))
        delta = (lr / (1.0 - b1p)) * m / (v + self.eps)
        return [(m_old, m), (v_old, v), (param, _minus(param, delta.astype(param.dtype)))]


class Adadelta(Optimizer):
    """MindSpore's ``nn.Adadelta(params, learning_rate=1.0, rho=0.9, epsilon=1e-6,
    loss_scale=1.0, weight_decay=0.0)`` (``ApplyAdadelta``)::

        accum = rho accum + (1 - rho) g^2
        update = sqrt(accum_update + eps) / sqrt(accum + eps) * g
        accum_update = rho accum_update + (1 - rho) update^2
        p -= lr * update
    """

    def __init__(self, params: Iterable, learning_rate: Any = 1.0, rho: float = 0.9,
                 epsilon: float = 1e-6, loss_scale: float = 1.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        _float(rho, "rho", "Adadelta")
        if not 0.0 <= rho <= 1.0:
            raise ValueError("For 'Adadelta', the 'rho' must be in range of [0.0, 1.0], but got "
                             "%r." % (rho,))
        self.rho = rho
        self.epsilon = _non_negative(epsilon, "epsilon", "Adadelta")
        self.accum = self._zeros_like_params("accum")
        self.accum_update = self._zeros_like_params("accum_update")

    def _state(self, i):
        return self.accum[i].asnumpy(), self.accum_update[i].asnumpy()

    def _apply(self, i, param, grad, lr, shared):
        return adadelta_writes(param, grad, lr, self.rho, self.epsilon, self.accum[i].asnumpy(),
                               self.accum_update[i].asnumpy())


def adadelta_writes(param, grad, lr, rho, eps, acc_old, upd_old) -> list:
    """MindSpore's ``ApplyAdadelta`` kernel on one Parameter, as ``(array, new value)``
    pairs (nothing written); :class:`Adadelta`'s and ``experimental.optim.Adadelta``'s."""
    acc = rho * acc_old + (1.0 - rho) * grad * grad
    update = np.sqrt(upd_old + eps) / np.sqrt(acc + eps) * grad
    upd = rho * upd_old + (1.0 - rho) * update * update
    return [(acc_old, acc), (upd_old, upd),
            (param, _minus(param, (lr * update).astype(param.dtype)))]


class ASGD(Optimizer):
    """MindSpore's ``nn.ASGD(params, learning_rate=0.1, lambd=1e-4, alpha=0.75, t0=1e6,
    weight_decay=0.0)``: averaged SGD, its state the scalars ``mu_<p>`` (1), ``eta_<p>`` (0)
    and the average ``ax_.<p>``.  With ``t`` the step counted from 1 (``eta`` is the
    learning rate at the first step)::

        p = p (1 - lambd eta) - eta g
        ax = p if mu == 1 else ax + (p - ax) mu
        eta = lr / (1 + lambd lr t)^alpha;   mu = 1 / max(1, t - t0)
    """

    def __init__(self, params: Iterable, learning_rate: Any = 0.1, lambd: float = 1e-4,
                 alpha: float = 0.75, t0: float = 1e6, weight_decay: float = 0.0) -> None:
        super().__init__(learning_rate, params, weight_decay)
        self.lambd = _float(lambd, "lambd", "ASGD")
        self.alpha = _float(alpha, "alpha", "ASGD")
        self.t0 = _float(t0, "t0", "ASGD")
        self.mu = ParameterTuple(Parameter(np.array(1.0, np.float32), name="mu_" + p.name,
                                           requires_grad=False) for p in self.parameters)
        self.eta = ParameterTuple(Parameter(np.array(0.0, np.float32), name="eta_" + p.name,
                                            requires_grad=False) for p in self.parameters)
        self.ax = self._zeros_like_params("ax_")

    def _state(self, i):
        return (self.ax[i].asnumpy(),)

    def _step_writes(self):
        return [], int(self.global_step.asnumpy()[0]) + 1

    def _apply(self, i, param, grad, lr, t):
        return asgd_writes(param, grad, lr, self.lambd, self.alpha, self.t0, t,
                           self.mu[i].asnumpy(), self.eta[i].asnumpy(), self.ax[i].asnumpy())


def asgd_writes(param, grad, lr, lambd, alpha, t0, t, mu_arr, eta_arr, ax_old) -> list:
    """MindSpore's ASGD update of one Parameter at step ``t`` (from 1), in float32, as
    ``(array, new value)`` pairs; :class:`ASGD`'s and ``experimental.optim.ASGD``'s."""
    lr = np.float32(lr)
    eta = lr if t == 1 else eta_arr[()]
    mu = mu_arr[()]
    g = grad.astype(np.float32)
    new = param.astype(np.float32) * (np.float32(1.0) - np.float32(lambd) * eta) - eta * g
    ax = new if mu == 1 else ax_old + (new - ax_old) * mu
    t32 = np.float32(t)
    new_eta = lr / np.power(np.float32(1.0) + np.float32(lambd) * lr * t32, np.float32(alpha))
    new_mu = np.float32(1.0) / np.maximum(np.float32(1.0), t32 - np.float32(t0))
    return [(param, new.astype(param.dtype)), (ax_old, ax.astype(ax_old.dtype)),
            (eta_arr, np.float32(new_eta)), (mu_arr, np.float32(new_mu))]


class Rprop(Optimizer):
    """MindSpore's ``nn.Rprop(params, learning_rate=0.1, etas=(0.5, 1.2), step_sizes=(1e-6,
    50.), weight_decay=0.)``: each element's step size (``lr`` at the first step) grows by
    ``etaplus`` while its gradient keeps its sign and shrinks by ``etaminus`` when it flips
    (that step then moves nothing and remembers a gradient of 0), clipped to ``step_sizes``;
    ``p -= sign(g) * step``.  State ``prev.<p>``, ``step_size.<p>``."""

    def __init__(self, params: Iterable, learning_rate: Any = 0.1, etas: tuple = (0.5, 1.2),
                 step_sizes: tuple = (1e-6, 50.), weight_decay: float = 0.) -> None:
        super().__init__(learning_rate, params, weight_decay)
        if not isinstance(etas, tuple):
            raise TypeError("For Rprop, etas must be a tuple, but got %s." % type(etas))
        if len(etas) != 2:
            raise ValueError("For Rprop, etas must be a tuple with the size of 2, but got %d."
                             % len(etas))
        if not isinstance(step_sizes, tuple):
            raise TypeError("For Rprop, step_sizes must be a tuple, but got %s." % type(etas))
        if len(step_sizes) != 2:
            raise ValueError("For Rprop, step_sizes must be a tuple with the size of 2, but got "
                             "%d." % len(step_sizes))
        if step_sizes[0] > step_sizes[1]:
            raise ValueError("For Rprop, maximal step size should not be less than minimal step "
                             "size, but got %r > %r." % (step_sizes[0], step_sizes[1]))
        _in_open_unit(etas[0], "etaminus", "Rprop")
        _float(etas[1], "etaplus", "Rprop")
        if etas[1] <= 1.0:
            raise ValueError("For Rprop, etaplus must be greater than 1.0, but got etaplus %r."
                             % (etas[1],))
        _float(step_sizes[0], "min_step_sizes", "Rprop")
        _float(step_sizes[1], "max_step_sizes", "Rprop")
        self.etaminus, self.etaplus = etas
        self.step_size_min, self.step_size_max = step_sizes
        self.prev = self._zeros_like_params("prev")
        self.step_size = self._zeros_like_params("step_size")

    def _state(self, i):
        return self.prev[i].asnumpy(), self.step_size[i].asnumpy()

    def _step_writes(self):
        return [], int(self.global_step.asnumpy()[0]) + 1

    def _apply(self, i, param, grad, lr, t):
        return rprop_writes(param, grad, lr, (self.etaminus, self.etaplus),
                            (self.step_size_min, self.step_size_max), t,
                            self.prev[i].asnumpy(), self.step_size[i].asnumpy())


def rprop_writes(param, grad, lr, etas, step_sizes, t, prev_arr, step_arr) -> list:
    """MindSpore's Rprop update of one Parameter at step ``t`` (from 1), as ``(array, new
    value)`` pairs; :class:`Rprop`'s and ``experimental.optim.Rprop``'s."""
    etaminus, etaplus = etas
    dtype = np.float32 if param.dtype != np.float16 else np.float16
    step = np.ones_like(step_arr, dtype) * dtype(lr) if t == 1 else step_arr.astype(dtype)
    g = grad.astype(dtype)
    sign = np.sign(g * prev_arr.astype(dtype))
    factor = np.where(sign > 0, dtype(etaplus), np.where(sign < 0, dtype(etaminus), dtype(1.0)))
    step = np.clip(step * factor, step_sizes[0], step_sizes[1]).astype(dtype)
    g = np.where(factor == dtype(etaminus), dtype(0.0), g)
    new = param.astype(dtype) - np.sign(g) * step
    return [(param, new.astype(param.dtype)), (prev_arr, g.astype(prev_arr.dtype)),
            (step_arr, step.astype(step_arr.dtype))]


class FTRL(Optimizer):
    """MindSpore's ``nn.FTRL(params, initial_accum=0.1, learning_rate=0.001, lr_power=-0.5,
    l1=0.0, l2=0.0, use_locking=False, loss_scale=1.0, weight_decay=0.0)`` (``ApplyFtrl``;
    state ``moments.<p>`` from ``initial_accum`` and ``linear.<p>``)::

        accum' = accum + g^2
        linear += g - (accum'^-lr_power - accum^-lr_power) / lr * p
        p = (l1 - linear) / (accum'^-lr_power / lr + 2 l2) if |linear| > l1 else 0

    (``l1 - linear``, not ``sign(linear) l1 - linear``, for either sign of ``linear``: what
    MindSpore 2.10's CPU kernel computes, measured.)  The weight decay applies to every parameter (MindSpore's FTRL sets every decay flag);
    a dynamic or per-group learning rate is a ValueError, as there.
    """

    def __init__(self, params: Iterable, initial_accum: float = 0.1, learning_rate: Any = 0.001,
                 lr_power: float = -0.5, l1: float = 0.0, l2: float = 0.0,
                 use_locking: bool = False, loss_scale: float = 1.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        dynamic = any(lr.value is None for lr in self._lrs)
        if dynamic or self.is_group_lr:
            raise ValueError("For 'FTRL', dynamic learning rate and group learning rate are "
                             "currently not supported in FTRL, they should all be false, but "
                             "got dynamic learning rate %s and group learning rate %s."
                             % (dynamic, self.is_group_lr))
        _non_negative(initial_accum, "initial_accum", "FTRL")
        _float(lr_power, "lr_power", "FTRL")
        if lr_power > 0.0:
            raise ValueError("For 'FTRL', the 'lr_power' must be less than or equal to zero, but "
                             "got %r." % (lr_power,))
        self.l1 = _non_negative(l1, "l1", "FTRL")
        self.l2 = _non_negative(l2, "l2", "FTRL")
        if not isinstance(use_locking, bool):
            raise TypeError("For 'FTRL', the type of 'use_locking' must be 'bool', but got '%s'."
                            % type(use_locking).__name__)
        self.lr_power, self.use_locking = lr_power, use_locking
        if not self.is_group:
            decay = self.weight_decay
            object.__setattr__(self, "_weight_decays", tuple(decay for _ in self.parameters))
            self.decay_flags = tuple(True for _ in self.parameters)
        self.moments = _filled_like_params(self, "moments", initial_accum)
        self.linear = self._zeros_like_params("linear")

    def _state(self, i):
        return self.moments[i].asnumpy(), self.linear[i].asnumpy()

    def _apply(self, i, param, grad, lr, shared):
        acc_old, lin_old = self.moments[i].asnumpy(), self.linear[i].asnumpy()
        power = -self.lr_power
        acc = acc_old + grad * grad
        acc_pow = np.power(acc, power)
        linear = lin_old + grad - (acc_pow - np.power(acc_old, power)) / lr * param
        quadratic = acc_pow / lr + 2.0 * self.l2
        # MindSpore 2.10's CPU ApplyFtrl (measured): l1 - linear, whatever linear's sign
        new = np.where(np.abs(linear) > self.l1, (self.l1 - linear) / quadratic, 0.0)
        return [(acc_old, acc), (lin_old, linear), (param, new.astype(param.dtype))]


class ProximalAdagrad(Optimizer):
    """MindSpore's ``nn.ProximalAdagrad(params, accum=0.1, learning_rate=0.001, l1=0.0,
    l2=0.0, use_locking=False, loss_scale=1.0, weight_decay=0.0)``
    (``ApplyProximalAdagrad``; state ``accum.<p>`` from ``accum``)::

        accum += g^2;   rate = lr / sqrt(accum);   v = p - rate g
        p = sign(v) max(|v| - rate l1, 0) / (1 + rate l2)
    """

    def __init__(self, params: Iterable, accum: float = 0.1, learning_rate: Any = 0.001,
                 l1: float = 0.0, l2: float = 0.0, use_locking: bool = False,
                 loss_scale: float = 1.0, weight_decay: float = 0.0) -> None:
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        _non_negative(accum, "accum", "ProximalAdagrad")
        self.l1 = _non_negative(l1, "l1", "ProximalAdagrad")
        self.l2 = _non_negative(l2, "l2", "ProximalAdagrad")
        if not isinstance(use_locking, bool):
            raise TypeError("For 'ProximalAdagrad', the type of 'use_locking' must be 'bool', "
                            "but got '%s'." % type(use_locking).__name__)
        self.use_locking = use_locking
        self.accum = _filled_like_params(self, "accum", accum)

    def _state(self, i):
        return (self.accum[i].asnumpy(),)

    def _apply(self, i, param, grad, lr, shared):
        acc_old = self.accum[i].asnumpy()
        acc = acc_old + grad * grad
        rate = lr / np.sqrt(acc)
        v = param - rate * grad
        if self.l1 > 0:
            new = np.sign(v) * np.maximum(np.abs(v) - rate * self.l1, 0.0)
        else:
            new = v
        new = new / (1.0 + rate * self.l2)
        return [(acc_old, acc), (param, new.astype(param.dtype))]


class LazyAdam(Adam):
    """MindSpore's ``nn.LazyAdam(params, learning_rate=1e-3, beta1=0.9, beta2=0.999,
    eps=1e-8, use_locking=False, use_nesterov=False, weight_decay=0.0, loss_scale=1.0)``:
    with dense gradients (the only kind here) MindSpore runs the ``Adam`` kernel, so the
    update is :class:`~autograd_st.nn.Adam`'s; the beta powers are shaped ``(1,)``, as in
    MindSpore's LazyAdam."""

    def __init__(self, params: Iterable, learning_rate: Any = 1e-3, beta1: float = 0.9,
                 beta2: float = 0.999, eps: float = 1e-8, use_locking: bool = False,
                 use_nesterov: bool = False, weight_decay: float = 0.0,
                 loss_scale: float = 1.0) -> None:
        for name, value in (("beta1", beta1), ("beta2", beta2), ("eps", eps),
                            ("weight_decay", weight_decay)):
            _float(value, name, "LazyAdam")
        super().__init__(params, learning_rate, beta1, beta2, eps, use_locking, use_nesterov,
                         weight_decay, loss_scale)
        self.beta1_power = _power("beta1_power")
        self.beta2_power = _power("beta2_power")

    def _step_writes(self):
        b1p = self.beta1_power.asnumpy() * np.float32(self.beta1)
        b2p = self.beta2_power.asnumpy() * np.float32(self.beta2)
        writes = [(self.beta1_power.asnumpy(), b1p), (self.beta2_power.asnumpy(), b2p)]
        return writes, (float(b1p[0]), float(b2p[0]))


def _rms(x) -> np.ndarray:
    return np.sqrt(np.mean(np.square(x)))


class AdaFactor(Optimizer):
    """MindSpore's ``nn.AdaFactor(params, learning_rate=None, eps=(1e-30, 1e-3),
    clip_threshold=1.0, decay_rate=0.8, beta1=0.9, weight_decay=0.0, scale_parameter=True,
    relative_step=True, warmup_init=False, compression=False, loss_scale=1.0)``.

    State as MindSpore's: ``exp_avg.<p>`` (with ``beta1``), ``exp_avg_sq_row_<p>`` /
    ``exp_avg_sq_col_<p>`` (the factored second moment of a parameter of rank >= 2; shape
    ``(1,)`` otherwise), ``exp_avg_sq_<p>`` (the full second moment of a vector; ``(1,)``
    otherwise) and the step counter ``afactor_step``.  With ``s`` the step counted from 1::

        lr = min(1e-2 (1e-6 s with warmup_init), 1 / sqrt(s))   (relative_step)
        lr *= max(eps[1], rms(p))                               (scale_parameter)
        beta2t = 1 - s^-decay_rate;  u = g^2 + eps[0]
        rank >= 2: row = beta2t row + (1 - beta2t) mean(u, -1); col likewise over -2;
                   u = g / sqrt(row / mean(row) (x) col)
        else:      sq = beta2t sq + (1 - beta2t) u;  u = g / sqrt(sq)
        u = lr u / max(rms(u) / clip_threshold, 1)
        exp_avg = beta1 exp_avg + (1 - beta1) u;  u = exp_avg      (beta1)
        p = p (1 - weight_decay lr) - u
    """

    def __init__(self, params: Iterable, learning_rate: Any = None, eps: tuple = (1e-30, 1e-3),
                 clip_threshold: float = 1.0, decay_rate: float = 0.8, beta1: Any = 0.9,
                 weight_decay: float = 0.0, scale_parameter: bool = True,
                 relative_step: bool = True, warmup_init: bool = False,
                 compression: bool = False, loss_scale: float = 1.0) -> None:
        if learning_rate is not None and relative_step:
            raise ValueError("Cannot combine manual lr and relative_step options", learning_rate)
        if warmup_init and not relative_step:
            raise ValueError("warmup_init requires relative_step=True")
        if learning_rate is None and not relative_step:
            raise ValueError("Cannot learning_rate is None and relative_step=False")
        if learning_rate is None:
            learning_rate = 0.0
        if beta1 is None:
            beta1 = 0.0
        self_scale_lr = isinstance(learning_rate, (float, int))
        super().__init__(learning_rate, params, weight_decay, loss_scale)
        if not isinstance(eps, (list, tuple)) or len(eps) != 2:
            raise ValueError("eps must have 2 value: (eps1, eps2).")
        for k, e in enumerate(eps):
            _non_negative(e, "eps%d" % k, "AdaFactor")
        _non_negative(clip_threshold, "clip_threshold", "AdaFactor")
        _in_open_unit(decay_rate, "decay_rate", "AdaFactor")
        if not 0.0 <= weight_decay < 1.0:
            raise ValueError("For 'AdaFactor', the 'weight_decay' must be in range of [0, 1), "
                             "but got %r." % (weight_decay,))
        for name, flag in (("scale_parameter", scale_parameter),
                           ("relative_step", relative_step), ("compression", compression)):
            if not isinstance(flag, bool):
                raise TypeError("For 'AdaFactor', the type of '%s' must be 'bool', but got '%s'."
                                % (name, type(flag).__name__))
        if isinstance(beta1, bool) or not isinstance(beta1, (int, float)) or beta1 < 0:
            raise ValueError("For 'AdaFactor', 'beta1' must be a non-negative float, got %r"
                             % (beta1,))
        self.eps = (float(eps[0]), float(eps[1]))
        self.clip_threshold, self.decay_rate = float(clip_threshold), float(decay_rate)
        self.beta1 = float(beta1)
        self.adafactor_weight_decay = float(weight_decay)
        self.scale_lr = self_scale_lr
        self.scale_parameter = scale_parameter and self_scale_lr
        self.relative_step, self.warmup_init = relative_step, warmup_init
        self.compression = compression
        self.use_first_moment = self.beta1 > 0
        if self.use_first_moment:
            self.exp_avg = self._zeros_like_params("exp_avg")
        rows, cols, full = [], [], []
        for p in self.parameters:
            shape, dtype = p.shape, p.asnumpy().dtype
            if len(shape) > 1:
                rows.append(np.zeros(shape[:-1], dtype))
                cols.append(np.zeros(shape[:-2] + shape[-1:], dtype))
                full.append(np.zeros((1,), dtype))
            else:
                rows.append(np.zeros((1,), dtype))
                cols.append(np.zeros((1,), dtype))
                full.append(np.zeros(shape, np.float16 if compression else dtype))
        self.exp_avg_sq_row = ParameterTuple(
            Parameter(a, name="exp_avg_sq_row_" + p.name, requires_grad=False)
            for a, p in zip(rows, self.parameters))
        self.exp_avg_sq_col = ParameterTuple(
            Parameter(a, name="exp_avg_sq_col_" + p.name, requires_grad=False)
            for a, p in zip(cols, self.parameters))
        self.exp_avg_sq = ParameterTuple(
            Parameter(a, name="exp_avg_sq_" + p.name, requires_grad=False)
            for a, p in zip(full, self.parameters))
        self.step = Parameter(np.zeros((1,), np.float32), name="afactor_step",
                              requires_grad=False)

    def decay_weight(self, gradients):
        return tuple(gradients)  # AdaFactor decays the parameter itself, not the gradient

    def scale_grad(self, gradients):
        return tuple(gradients)  # (MindSpore's AdaFactor does not divide by loss_scale)

    def _state(self, i):
        out = (self.exp_avg[i].asnumpy(),) if self.use_first_moment else ()
        return out if len(self.parameters[i].shape) > 1 else out + (self.exp_avg_sq[i].asnumpy(),)

    def _step_writes(self):
        step = self.step.asnumpy()
        s = float(step[0]) + 1.0
        return [(step, step + 1.0)], s

    def _apply(self, i, param, grad, lr, s):
        eps1, eps2 = self.eps
        if self.scale_lr and self.relative_step:
            lr = min(1e-6 * s if self.warmup_init else 1e-2, 1.0 / np.sqrt(s))
        beta2t = 1.0 - s ** -self.decay_rate
        p32 = param.astype(np.float32)
        g = grad.astype(np.float32)
        lr_update = lr * max(eps2, float(_rms(p32))) if self.scale_parameter else lr
        u = g * g + eps1
        writes = []
        if param.ndim >= 2:
            row_arr, col_arr = self.exp_avg_sq_row[i].asnumpy(), self.exp_avg_sq_col[i].asnumpy()
            row = row_arr * beta2t + np.mean(u, -1) * (1.0 - beta2t)
            col = col_arr * beta2t + np.mean(u, -2) * (1.0 - beta2t)
            writes += [(row_arr, row.astype(row_arr.dtype)), (col_arr, col.astype(col_arr.dtype))]
            r_factor = 1.0 / np.sqrt(row / np.mean(row, -1, keepdims=True))
            c_factor = 1.0 / np.sqrt(col)
            u = r_factor[..., None] * np.expand_dims(c_factor, -2) * g
        else:
            sq_arr = self.exp_avg_sq[i].asnumpy()
            sq = sq_arr * beta2t + u * (1.0 - beta2t)
            writes.append((sq_arr, sq.astype(sq_arr.dtype)))
            u = g / np.sqrt(sq)
        u = u / max(float(_rms(u)) / self.clip_threshold, 1.0) * lr_update
        if self.use_first_moment:
            m_arr = self.exp_avg[i].asnumpy()
            u = m_arr * self.beta1 + u * (1.0 - self.beta1)
            writes.append((m_arr, u.astype(m_arr.dtype)))
        if self.adafactor_weight_decay:
            p32 = p32 + p32 * -self.adafactor_weight_decay * lr_update
        return writes + [(param, (p32 - u).astype(param.dtype))]


def _lars_default_filter(param) -> bool:
    return "LayerNorm" not in param.name and "bias" not in param.name


class LARS(Optimizer):
    """MindSpore's ``nn.LARS(optimizer, epsilon=1e-05, coefficient=0.001, use_clip=False,
    lars_filter=lambda x: 'LayerNorm' not in x.name and 'bias' not in x.name)``: each
    gradient the filter selects is rescaled layer-wise before ``optimizer`` steps::

        g = g / loss_scale
        ratio = coefficient ||w|| / (||g|| + wd ||w|| + epsilon)   (1 if ||w|| or ||g|| is 0)
        ratio = min(ratio / lr, 1)                                  (use_clip)
        g = ratio (g + wd w)

    with ``wd`` the inner optimizer's weight decay (0 for a parameter it does not decay),
    divided by its loss scale as MindSpore does; the inner optimizer then neither decays nor
    unscales.  Its Parameters as MindSpore's LARS holds them: ``global_step`` (the inner
    optimizer's), ``fake_lr``, ``fake_param``, then the inner optimizer's.  (MindSpore 2.10's
    CPU build has no LARSUpdate kernel: this is its documented formula.)
    """

    def __init__(self, optimizer: Optimizer, epsilon: float = 1e-05,
                 coefficient: float = 0.001, use_clip: bool = False,
                 lars_filter=_lars_default_filter) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError("For 'LARS', the type of 'optimizer' must be 'Optimizer', but got "
                            "'%s'." % type(optimizer).__name__)
        _float(epsilon, "epsilon", "LARS")
        _float(coefficient, "coefficient", "LARS")
        if not isinstance(use_clip, bool):
            raise TypeError("For 'LARS', the type of 'use_clip' must be 'bool', but got '%s'."
                            % type(use_clip).__name__)
        super().__init__(0.0, [Parameter(np.array(0.0, np.float32), name="fake_param")])
        self.global_step = optimizer.global_step
        self.learning_rate = Parameter(np.array(0.0, np.float32), name="fake_lr",
                                       requires_grad=False)
        del self.parameters  # (re-added after fake_param: MindSpore's order)
        self.parameters = optimizer.parameters
        self.opt = optimizer
        self.epsilon, self.coefficient, self.use_clip = epsilon, coefficient, use_clip
        self.lars_flag = tuple(bool(lars_filter(p)) for p in optimizer.parameters)
        self._inner_decays = optimizer._weight_decays
        self._inner_decay_sources = optimizer._decay_sources
        self._inner_scale = optimizer.loss_scale
        # the inner optimizer neither decays nor unscales: LARS has done both
        object.__setattr__(optimizer, "_weight_decays", tuple(0.0 for _ in optimizer.parameters))
        object.__setattr__(optimizer, "_decay_sources", optimizer._weight_decays)
        object.__setattr__(optimizer, "dynamic_weight_decay", False)
        optimizer.loss_scale = 1.0

    def construct(self, gradients) -> tuple:
        """Rescale the gradients, then step the inner optimizer with them."""
        opt = self.opt
        given = opt._gradients(gradients)
        step = int(self.global_step.asnumpy()[0])
        decays = self._inner_decays
        if any(callable(wd) for wd in self._inner_decay_sources):
            object.__setattr__(opt, "_decay_sources", self._inner_decay_sources)
            decays = opt.get_weight_decay()
            object.__setattr__(opt, "_decay_sources", tuple(0.0 for _ in decays))
        out = []
        for i, (p, g) in enumerate(zip(opt.parameters, given)):
            g = g / self._inner_scale if self._inner_scale != 1.0 else g
            if not self.lars_flag[i]:
                out.append(g)
                continue
            w = p.asnumpy()
            wd = decays[i] / self._inner_scale
            w_norm = float(np.sqrt(np.sum(np.square(w, dtype=np.float64))))
            g_norm = float(np.sqrt(np.sum(np.square(g, dtype=np.float64))))
            if w_norm > 0 and g_norm > 0:
                ratio = self.coefficient * w_norm / (g_norm + wd * w_norm + self.epsilon)
            else:
                ratio = 1.0
            if self.use_clip:
                ratio = min(ratio / opt._lrs[i].at(step), 1.0)
            out.append((ratio * (g + wd * w)).astype(w.dtype))
        return opt(tuple(out))
