"""``mindspore.common.initializer``: ``initializer(init, shape, dtype)`` and the initializer
classes, with MindSpore 2.10's parameters and scales (its source and measured statistics).

Takes: :class:`~autograd_st.tensor.Tensor`, :mod:`autograd_st.dtype`, and the random
generator of :mod:`autograd_st.nn.layers` (``seed_initializers`` reseeds it), so layers'
default initial values and these draw from one seeded stream.
Gives: ``initializer`` (a Tensor, computed at once: MindSpore's is computed lazily, so an
error such as fans of a 1-D shape appears here at the call), ``Initializer`` and
``Normal(sigma=0.01, mean=0.0)``, ``Uniform(scale=0.07)``, ``XavierUniform(gain=1)``,
``XavierNormal(gain=1)``, ``HeUniform(negative_slope=0, mode='fan_in',
nonlinearity='leaky_relu')``, ``HeNormal(...)`` (same parameters), ``TruncatedNormal(sigma=0.01,
mean=0.0, a=-2.0, b=2.0)`` (``a``/``b`` are bounds on the values, not in sigmas), ``Zero()``,
``One()``, ``Constant(value)``; the strings MindSpore registers ('zeros', 'ones', 'normal',
'uniform', 'truncatednormal', 'xavier_uniform', 'xavier_normal', 'he_uniform', 'he_normal',
their forms without '_', any case).

An instance is also what ``nn.Dense(weight_init=...)`` / ``nn.Conv2d`` take: called with a
shape it returns the values; called with a numpy array (MindSpore's ``init(arr)``) it fills
the array in place.  Fans are MindSpore's: ``(shape[1], shape[0])`` for 2-D, times the
receptive field (``prod(shape[2:])``) for more dimensions.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from .. import dtype as mstype
from ..nn import layers as _layers
from ..tensor import Tensor

__all__ = ["Initializer", "initializer", "Normal", "Uniform", "XavierUniform", "XavierNormal",
           "HeUniform", "HeNormal", "TruncatedNormal", "Zero", "One", "Constant", "Identity",
           "Sparse", "Dirac", "Orthogonal", "VarianceScaling"]


def _rng() -> np.random.Generator:
    return _layers._INIT_RNG[0]  # the layers' generator: one seeded stream for both


def _fans(shape) -> tuple:
    if len(shape) < 2:
        raise ValueError("'fan_in' and 'fan_out' can not be computed for tensor with fewer than"
                         " 2 dimensions, but got dimensions %d." % len(shape))
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _fan(shape, mode: str) -> int:
    mode = mode.lower()
    if mode not in ("fan_in", "fan_out"):
        raise ValueError("'mode' %s not supported, please use one of ['fan_in', 'fan_out']"
                         % mode)
    fan_in, fan_out = _fans(shape)
    return fan_in if mode == "fan_in" else fan_out


def _gain(nonlinearity: str, param=None) -> float:
    """MindSpore's ``_calculate_gain``."""
    if nonlinearity in ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                        "conv_transpose2d", "conv_transpose3d", "sigmoid"):
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, numbers.Real):
            raise ValueError("For 'HeUniform', 'negative_slope' %r is not a valid number." % (
                param,))
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError("For 'HeUniform', the argument 'nonlinearity' %r is not supported." % (
        nonlinearity,))


class Initializer:
    """MindSpore's initializer base class: subclasses define ``_values(shape) -> float64
    array``, or MindSpore's ``_initialize(arr)`` that fills a float32 array in place."""

    def __init__(self, **kwargs) -> None:
        self._kwargs = kwargs

    def _values(self, shape: tuple) -> np.ndarray:
        """The values for ``shape``: a subclass written the MindSpore way fills ``arr`` in place
        in ``_initialize(arr)`` (a float32 array of zeros here, as MindSpore hands it)."""
        if type(self)._initialize is Initializer._initialize:
            raise NotImplementedError(
                "Initializer %s defines neither _values(shape) nor _initialize(arr): define "
                "_initialize(self, arr) to fill arr in place, as in MindSpore." % type(self).__name__)
        arr = np.zeros(shape, dtype=np.float32)
        self._initialize(arr)
        return arr

    def _initialize(self, arr: np.ndarray) -> None:
        """MindSpore's hook: fill ``arr`` in place (here from ``_values``)."""
        arr[...] = self._values(arr.shape)

    def __call__(self, arr_or_shape):
        if isinstance(arr_or_shape, np.ndarray):
            self._initialize(arr_or_shape)
            return arr_or_shape
        shape = (arr_or_shape,) if isinstance(arr_or_shape, numbers.Integral) \
            else tuple(int(s) for s in arr_or_shape)
        return self._values(shape).astype(np.float32)

    def __repr__(self) -> str:
        attrs = ", ".join("%s=%r" % kv for kv in self._kwargs.items())
        return "%s(%s)" % (type(self).__name__, attrs)


class Zero(Initializer):
    """Zeros (MindSpore's ``Zero()``, 'zeros')."""

    def _values(self, shape):
        return np.zeros(shape)


class One(Initializer):
    """Ones (MindSpore's ``One()``, 'ones')."""

    def _values(self, shape):
        return np.ones(shape)


class Constant(Initializer):
    """Every entry ``value`` (MindSpore's ``Constant(value)``)."""

    def __init__(self, value) -> None:
        super().__init__(value=value)
        self.value = value

    def _values(self, shape):
        return np.full(shape, self.value, dtype=np.float64)


class Normal(Initializer):
    """Normal with ``sigma`` and ``mean`` (MindSpore's ``Normal(sigma=0.01, mean=0.0)``)."""

    def __init__(self, sigma=0.01, mean=0.0) -> None:
        super().__init__(sigma=sigma, mean=mean)
        self.sigma, self.mean = sigma, mean

    def _values(self, shape):
        return _rng().normal(self.mean, self.sigma, shape)


class Uniform(Initializer):
    """Uniform in ``[-scale, scale]`` (MindSpore's ``Uniform(scale=0.07)``)."""

    def __init__(self, scale=0.07) -> None:
        super().__init__(scale=scale)
        self.scale = scale

    def _values(self, shape):
        return _rng().uniform(-self.scale, self.scale, shape)


class XavierUniform(Initializer):
    """Uniform in ``+-gain * sqrt(6 / (fan_in + fan_out))`` (``XavierUniform(gain=1)``)."""

    def __init__(self, gain=1) -> None:
        super().__init__(gain=gain)
        self.gain = gain

    def _values(self, shape):
        fan_in, fan_out = _fans(shape)
        bound = self.gain * math.sqrt(6.0 / (fan_in + fan_out))
        return _rng().uniform(-bound, bound, shape)


class XavierNormal(Initializer):
    """Normal with std ``gain * sqrt(2 / (fan_in + fan_out))`` (``XavierNormal(gain=1)``)."""

    def __init__(self, gain=1) -> None:
        super().__init__(gain=gain)
        self.gain = gain

    def _values(self, shape):
        fan_in, fan_out = _fans(shape)
        return _rng().normal(0.0, self.gain * math.sqrt(2.0 / (fan_in + fan_out)), shape)


class HeUniform(Initializer):
    """Uniform in ``+-sqrt(3) * gain / sqrt(fan)`` (``HeUniform(negative_slope=0,
    mode='fan_in', nonlinearity='leaky_relu')``; the default gain is sqrt(2))."""

    def __init__(self, negative_slope=0, mode="fan_in", nonlinearity="leaky_relu") -> None:
        super().__init__(negative_slope=negative_slope, mode=mode, nonlinearity=nonlinearity)
        self.negative_slope, self.mode, self.nonlinearity = negative_slope, mode, nonlinearity

    def _std(self, shape) -> float:
        return _gain(self.nonlinearity, self.negative_slope) / math.sqrt(_fan(shape, self.mode))

    def _values(self, shape):
        bound = math.sqrt(3.0) * self._std(shape)
        return _rng().uniform(-bound, bound, shape)


class HeNormal(HeUniform):
    """Normal with std ``gain / sqrt(fan)`` (``HeNormal(negative_slope=0, mode='fan_in',
    nonlinearity='leaky_relu')``)."""

    def _values(self, shape):
        return _rng().normal(0.0, self._std(shape), shape)


class TruncatedNormal(Initializer):
    """Normal with ``sigma`` and ``mean`` kept inside ``[a, b]`` (values outside are drawn
    again) (MindSpore's ``TruncatedNormal(sigma=0.01, mean=0.0, a=-2.0, b=2.0)``)."""

    def __init__(self, sigma=0.01, mean=0.0, a=-2.0, b=2.0) -> None:
        super().__init__(sigma=sigma, mean=mean, a=a, b=b)
        if sigma < 0:
            raise ValueError("sigma < 0")
        if not a < b:
            raise ValueError("TruncatedNormal: a must be below b, got a=%r, b=%r" % (a, b))
        self.sigma, self.mean, self.a, self.b = sigma, mean, a, b

    def _values(self, shape):
        return _rng().truncated_normal(self.a, self.b, self.mean, self.sigma, shape)


class Identity(Initializer):
    """The 2-D identity matrix ``np.eye(rows, cols)`` (MindSpore's ``Identity()``)."""

    def _values(self, shape):
        if len(shape) != 2:
            raise ValueError("For Identity initializer, the dimension of the initialized tensor "
                             "should be 2, but got %d." % len(shape))
        return np.eye(shape[0], shape[1])


class Sparse(Initializer):
    """MindSpore's ``Sparse(sparsity, sigma=0.01)``: normal values with ``sigma``, then in each
    column ``ceil(sparsity * rows)`` rows set to 0 (chosen by ``np.random.permutation``, as
    MindSpore chooses them)."""

    def __init__(self, sparsity, sigma=0.01) -> None:
        super().__init__()
        self.sparsity, self.sigma = sparsity, sigma

    def _values(self, shape):
        if len(shape) != 2:
            raise ValueError("For Sparse initializer, the dimension of the initialized tensor "
                             "should be 2, but got %d." % len(shape))
        rows, cols = shape
        zero_num = int(np.ceil(self.sparsity * rows))
        data = _rng().normal(0.0, self.sigma, shape)
        for col in range(cols):
            data[np.random.permutation(list(range(rows)))[:zero_num], col] = 0.0
        return data


class Dirac(Initializer):
    """MindSpore's ``Dirac(groups=1)``: a 3-, 4- or 5-D convolution weight that passes each
    input channel through at the kernel's centre, per group."""

    def __init__(self, groups=1) -> None:
        super().__init__()
        self.groups = groups

    def _values(self, shape):
        if len(shape) not in (3, 4, 5):
            raise ValueError("For Dirac initializer, only support to initialize tensor with "
                             "dimension of 3, 4 or 5, but got %d." % len(shape))
        if shape[0] % self.groups != 0:
            raise ValueError("For Dirac initializer, the first dimension ofthe initialized "
                             "tensor must be divisible by groups, but got first dimension%d, "
                             "groups%d." % (shape[0], self.groups))
        data = np.zeros(shape)
        per_group = shape[0] // self.groups
        centre = tuple(s // 2 for s in shape[2:])
        for group in range(self.groups):
            for dim in range(min(per_group, shape[1])):
                data[(group * per_group + dim, dim) + centre] = 1
        return data


class Orthogonal(Initializer):
    """MindSpore's ``Orthogonal(gain=1.)``: the Q of a QR decomposition of a normal matrix
    (the trailing dimensions flattened; transposed when it has fewer rows than columns), its
    columns' signs those of R's diagonal, times ``gain``."""

    def __init__(self, gain=1.0) -> None:
        super().__init__(gain=gain)
        self.gain = gain

    def _values(self, shape):
        if len(shape) < 2:
            raise ValueError("For Orthogonal initializer, the dimension of the initialized "
                             "tensor should be no less than 2, but got %d." % len(shape))
        rows = shape[0]
        cols = int(np.prod(shape)) // rows
        data = _rng().normal(0.0, 1.0, (rows, cols))
        if rows < cols:
            data = data.T
        q, r = np.linalg.qr(data)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return (q * self.gain).reshape(shape)


class VarianceScaling(Initializer):
    """MindSpore's ``VarianceScaling(scale=1.0, mode='fan_in',
    distribution='truncated_normal')``: ``scale`` over the fan, then values of that
    variance.  As in MindSpore 2.10 (measured), 'truncated_normal', the default, draws the
    uniform values (its check names 'truncated_norm'); 'untruncated_normal' a normal;
    'uniform' a uniform in ``+-sqrt(3 * scale)``."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal") -> None:
        super().__init__(scale=scale, mode=mode, distribution=distribution)
        if scale <= 0.0:
            raise ValueError("For VarianceScaling initializer, the argument 'scale' must be "
                             "greater than 0, but got %s." % (scale,))
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError("For VarianceScaling initializer, the argument 'mode' must be "
                             "fan_in, fan_out or fan_avg, but got %s." % (mode,))
        if distribution not in ("uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError("For VarianceScaling initializer, the argument 'distribution' "
                             "must be uniform, truncated_norm or untruncated_norm, but got %s."
                             % (distribution,))
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def _values(self, shape):
        fan_in, fan_out = _fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out}.get(self.mode, (fan_in + fan_out) / 2.0)
        scale = self.scale / max(1.0, fan)
        if self.distribution == "untruncated_normal":
            return _rng().normal(0.0, np.sqrt(scale), shape)
        limit = np.sqrt(3.0 * scale)
        return _rng().uniform(-limit, limit, shape)


_ALIAS = {"zeros": Zero, "zero": Zero, "ones": One, "one": One, "normal": Normal,
          "uniform": Uniform, "truncatednormal": TruncatedNormal,
          "xavier_uniform": XavierUniform, "xavieruniform": XavierUniform,
          "xavier_normal": XavierNormal, "xaviernormal": XavierNormal,
          "he_uniform": HeUniform, "heuniform": HeUniform, "he_normal": HeNormal,
          "henormal": HeNormal, "identity": Identity, "sparse": Sparse, "dirac": Dirac,
          "orthogonal": Orthogonal, "variancescaling": VarianceScaling}


def initializer(init, shape=None, dtype=mstype.float32) -> Tensor:
    """MindSpore's ``initializer(init, shape=None, dtype=mstype.float32)``: a Tensor of
    ``shape`` and ``dtype`` from ``init``: an :class:`Initializer`, a registered name, a
    number (``Constant``) or a Tensor (its values; ``shape`` must agree, its dtype is kept,
    as MindSpore keeps it).  Random values come from the layers' seeded generator."""
    if isinstance(init, Tensor):
        if shape is not None and tuple(init.shape) != tuple(
                (shape,) if isinstance(shape, numbers.Integral) else shape):
            raise ValueError("For 'initializer', the shape of the 'init' argument should be same "
                             "as the argument 'shape', but got the 'init' shape %s and the "
                             "'shape' %s." % (list(init.shape), shape))
        return Tensor(np.array(init.asnumpy()))
    if isinstance(init, str):
        cls = _ALIAS.get(init.lower())
        if cls is None:
            raise ValueError("For 'initializer', the class corresponding to '%s' was not "
                             "found." % init)
        init = cls()
    elif isinstance(init, (bool, numbers.Number)):
        init = Constant(init)
    elif not isinstance(init, Initializer):
        raise TypeError("For 'initializer', the type of the 'init' argument should be 'Tensor', "
                        "'number', 'str' or 'Initializer', but got %s." % type(init).__name__)
    if shape is None:  # (MindSpore 2.10 raises AttributeError here too)
        raise AttributeError("'%s' object has no attribute 'shape': for 'initializer', give "
                             "'shape' (the shape of the Tensor to make)" % type(init).__name__)
    shape = (int(shape),) if isinstance(shape, numbers.Integral) else tuple(int(s)
                                                                             for s in shape)
    if any(s < 0 for s in shape):
        raise ValueError("For 'initializer', the argument 'shape' is invalid, the value of "
                         "'shape' must be positive integer, but got %s" % (shape,))
    values = init._values(shape)
    return Tensor(np.asarray(values).astype(mstype.to_numpy(dtype) or np.float32))
