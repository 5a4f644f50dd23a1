"""Layers: ``nn.Dense``, ``nn.Conv2d``, ``nn.BatchNorm2d``, ``nn.Embedding``, activations and
containers, with MindSpore 2.x semantics.

Every ``construct`` here is written in the subset of Python the compiler differentiates:
``ops.*`` functions, the functional forms of :mod:`autograd_st.ops.nn_func` (``conv2d``,
``dense``, ``var``, ``dropout`` ..., each one primitive, from the op table), Tensor operators,
and ``if`` on attributes that are constants.  Eagerly, the same code runs on Tensors.

Parameter initializers follow MindSpore: ``weight_init=None`` is ``HeUniform(sqrt(5))``
(uniform in ``+-1/sqrt(fan_in)``) and ``bias_init=None`` is uniform in ``+-1/sqrt(fan_in)``;
the strings ``'zeros'``, ``'ones'``, ``'normal'`` (sigma 0.01), ``'uniform'`` (+-0.07),
``'truncatedNormal'``, ``'HeUniform'``, ``'HeNormal'``, ``'XavierUniform'`` and
``'XavierNormal'`` are accepted, as are a number, a Tensor, a numpy array or a callable
``init(shape) -> array``.  Random initial values come from one numpy generator seeded with 0,
so a program builds the same network every run (:func:`seed_initializers` reseeds it).
"""
from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any, Callable, Iterable

import numpy as np

from .. import dtype as mstype
from .. import ops
from ..cell import Cell
from ..context import INIT_RNG as _INIT_RNG
from ..context import get_seed
from ..ms_random import DropoutStream, graph_seed
from ..ops.nn_func import (
    assign,
    bias_add,
    conv2d,
    dense,
    depend,
    erf,
    flatten,
    gather_rows,
    linear,
    one_hot,
    var,
)
from ..prims import P
from ..tensor import Parameter, Tensor
from .dynamic_lr import check_positive_int

__all__ = ["Dense", "Linear", "Conv2d", "BatchNorm1d", "BatchNorm2d", "LayerNorm", "Embedding", "ReLU",
           "ReLU6", "LeakyReLU", "Sigmoid", "Tanh", "GELU", "Softmax", "LogSoftmax", "Flatten",
           "GroupNorm",
           "Dropout", "Identity", "SequentialCell", "CellList", "seed_initializers",
           "get_activation"]


# ---------------------------------------------------------------------------------------
# initializers
# ---------------------------------------------------------------------------------------

# _INIT_RNG is autograd_st.context.INIT_RNG: set_seed and seed_initializers reseed it.

def seed_initializers(seed: int) -> None:
    """Reseed the stream random initializers ('normal', HeUniform ...) draw from: as in
    MindSpore, ``numpy.random``'s."""
    np.random.seed(seed)


def _fans(shape) -> tuple[int, int]:
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _he_bound(fan_in: int, negative_slope: float = 0.0) -> float:
    gain = math.sqrt(2.0 / (1.0 + negative_slope ** 2))
    return gain * math.sqrt(3.0 / fan_in)


def initialize(init: Any, shape: tuple, dtype=None, default: str = "zeros") -> np.ndarray:
    """The initial value of a Parameter: ``init`` (see the module docstring) made ``shape``d.

    ``default`` names the initializer used when ``init`` is None (``'he_uniform_sqrt5'`` is
    MindSpore's weight default, HeUniform with negative slope sqrt(5)).  A Tensor or an array
    keeps its own dtype, as in MindSpore; everything else gets ``dtype`` (float32).
    """
    np_dtype = mstype.to_numpy(dtype) or np.dtype(np.float32)
    shape = tuple(int(s) for s in shape)
    if init is None:
        init = default
    if isinstance(init, Tensor):
        arr = np.array(init.asnumpy())
    elif isinstance(init, np.ndarray):
        arr = np.array(init)
    elif isinstance(init, (list, tuple)):
        arr = np.asarray(init, dtype=np_dtype)
    elif isinstance(init, (bool, int, float, np.number)):
        return np.full(shape, init, dtype=np_dtype)
    elif isinstance(init, str):
        return _named_init(init, shape, np_dtype)
    elif callable(init):
        arr = np.asarray(init(shape))
        if arr.dtype.kind == "f" and arr.dtype != np_dtype:
            arr = arr.astype(np_dtype)
    else:
        raise TypeError("cannot initialize a Parameter from %r" % (init,))
    if arr.shape != shape:
        raise ValueError("initial value has shape %s, expected %s" % (arr.shape, shape))
    return arr


def _named_init(name: str, shape: tuple, dtype) -> np.ndarray:
    key = name.lower().replace("_", "")
    rng = _INIT_RNG[0]
    fan_in, fan_out = _fans(shape)
    if key == "zeros":
        return np.zeros(shape, dtype)
    if key == "ones":
        return np.ones(shape, dtype)
    if key == "normal":
        return rng.normal(0.0, 0.01, shape).astype(dtype)
    if key == "truncatednormal":  # MindSpore's TruncatedNormal(): sigma 0.01, in [-2, 2]
        return rng.truncated_normal(-2.0, 2.0, 0.0, 0.01, shape).astype(dtype)
    if key == "uniform":
        return rng.uniform(-0.07, 0.07, shape).astype(dtype)
    if key == "heuniform":
        bound = _he_bound(fan_in)
        return rng.uniform(-bound, bound, shape).astype(dtype)
    if key == "heuniformsqrt5":
        bound = _he_bound(fan_in, math.sqrt(5.0))
        return rng.uniform(-bound, bound, shape).astype(dtype)
    if key == "henormal":
        return rng.normal(0.0, math.sqrt(2.0 / fan_in), shape).astype(dtype)
    if key == "xavieruniform":
        bound = math.sqrt(6.0 / (fan_in + fan_out))
        return rng.uniform(-bound, bound, shape).astype(dtype)
    if key == "xaviernormal":
        return rng.normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), shape).astype(dtype)
    raise ValueError("unknown initializer %r; use one of 'zeros', 'ones', 'normal', 'uniform', "
                     "'truncatedNormal', 'HeUniform', 'HeNormal', 'XavierUniform', "
                     "'XavierNormal', a number, a Tensor or a numpy array" % name)


def _bias_init(init: Any, shape: tuple, fan_in: int, dtype=None) -> np.ndarray:
    """A bias: ``init``, or (None) uniform in +-1/sqrt(fan_in) as MindSpore's layers do."""
    if init is None:
        bound = 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        np_dtype = mstype.to_numpy(dtype) or np.dtype(np.float32)
        return _INIT_RNG[0].uniform(-bound, bound, shape).astype(np_dtype)
    return initialize(init, shape, dtype)


def _pair(value, what: str) -> tuple:
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value), int(value)
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return int(value[0]), int(value[1])
    raise ValueError("%s must be an int or a pair of ints, not %r" % (what, value))


# ---------------------------------------------------------------------------------------
# activations
# ---------------------------------------------------------------------------------------

class ReLU(Cell):
    """``max(x, 0)``."""

    def construct(self, x):
        return ops.relu(x)


class ReLU6(Cell):
    """``min(max(x, 0), 6)``, gradient 1 for ``0 < x <= 6`` (MindSpore's ReLU6Grad)."""

    def construct(self, x):
        return ops.clamp(ops.relu(x), None, 6.0)


class LeakyReLU(Cell):
    """``x`` where positive, ``alpha * x`` elsewhere (``0 <= alpha <= 1``)."""

    def __init__(self, alpha: float = 0.2) -> None:
        super().__init__()
        if not 0.0 <= alpha <= 1.0:
            raise ValueError("LeakyReLU: alpha must be in [0, 1], got %r" % (alpha,))
        self.alpha = float(alpha)

    def construct(self, x):
        return ops.maximum(x, x * self.alpha)


class Sigmoid(Cell):
    """``1 / (1 + exp(-x))``."""

    def construct(self, x):
        return ops.sigmoid(x)


class Tanh(Cell):
    """``tanh(x)``."""

    def construct(self, x):
        return ops.tanh(x)


class GELU(Cell):
    """Gaussian error linear unit; ``approximate=True`` (MindSpore's default) is the tanh form
    ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``, otherwise ``0.5 x (1 + erf(x/sqrt 2))``."""

    def __init__(self, approximate: bool = True) -> None:
        super().__init__()
        self.approximate = bool(approximate)

    def construct(self, x):
        if self.approximate:
            inner = 0.7978845608028654 * (x + 0.044715 * x * x * x)
            out = 0.5 * x * (1.0 + ops.tanh(inner))
        else:
            out = 0.5 * x * (1.0 + erf(x * 0.7071067811865476))
        return out


class Softmax(Cell):
    """Softmax along ``axis``."""

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.axis = axis

    def construct(self, x):
        return ops.softmax(x, self.axis)


class LogSoftmax(Cell):
    """Log-softmax along ``axis``."""

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.axis = axis

    def construct(self, x):
        return ops.log_softmax(x, self.axis)


_ACTIVATIONS: dict[str, Callable[[], Cell]] = {
    "relu": ReLU, "relu6": ReLU6, "leakyrelu": LeakyReLU, "sigmoid": Sigmoid, "tanh": Tanh,
    "gelu": GELU, "softmax": Softmax, "logsoftmax": LogSoftmax,
}


def get_activation(name: str | Cell | None) -> Cell | None:
    """The activation Cell for a name ('relu', 'sigmoid', 'tanh', 'gelu', ...), a Cell or None."""
    if name is None or isinstance(name, Cell):
        return name
    if isinstance(name, str):
        factory = _ACTIVATIONS.get(name.lower().replace("_", ""))
        if factory is not None:
            return factory()
    raise ValueError("unknown activation %r; use one of %s or a Cell"
                     % (name, ", ".join(sorted(_ACTIVATIONS))))


# ---------------------------------------------------------------------------------------
# layers with parameters
# ---------------------------------------------------------------------------------------

def dense_any(x, w):
    """``x @ w.T`` over the last axis as one 2-D matmul whatever the rank of ``x`` (MindSpore's
    ``Dense`` reshapes the same way): a batched matmul over the leading axes would make the
    weight's gradient one small product per leading index, then a sum."""
    if len(x.shape) == 2:
        return dense(x, w)
    out = dense(ops.reshape(x, (-1, x.shape[-1])), w)
    return ops.reshape(out, x.shape[:-1] + out.shape[-1:])


def _check_init_shape(what: str, init, shape: tuple) -> None:
    """MindSpore's Dense check of a weight/bias given as an array: its shape."""
    got = getattr(init, "shape", None)
    if got is not None and tuple(got) != shape:
        raise ValueError("For 'Dense', %s shape error. '%s' must have shape %s "
                         "((out_channels, in_channels) for the weight, (out_channels,) for "
                         "the bias), but got shape %s." % (what.split("_")[0] + " init", what,
                                                           shape, tuple(got)))


class Dense(Cell):
    """Fully connected layer: ``activation(x @ weight.T + bias)``.

    ``weight`` has shape ``(out_channels, in_channels)`` and ``bias`` ``(out_channels,)``;
    ``x`` may have any number of leading axes.
    """

    def __init__(self, in_channels: int, out_channels: int, weight_init: Any = None,
                 bias_init: Any = None, has_bias: bool = True,
                 activation: str | Cell | None = None, dtype=None) -> None:
        super().__init__()
        self.in_channels = check_positive_int(in_channels, "in_channels", "Dense")
        self.out_channels = check_positive_int(out_channels, "out_channels", "Dense")
        self.has_bias = bool(has_bias)
        _check_init_shape("weight_init", weight_init, (out_channels, in_channels))
        if has_bias:
            _check_init_shape("bias_init", bias_init, (out_channels,))
        self.weight = Parameter(initialize(weight_init, (out_channels, in_channels), dtype,
                                           default="he_uniform_sqrt5"), name="weight")
        if self.has_bias:
            self.bias = Parameter(_bias_init(bias_init, (out_channels,), in_channels, dtype),
                                  name="bias")
        else:
            self.bias = None  # as MindSpore's
        self.activation = get_activation(activation)
        self.activation_flag = self.activation is not None

    def construct(self, x):
        # as MindSpore's Dense: the leading axes flattened, one 2-D matmul, plus the bias
        # (one primitive: kernels.linear)
        out = linear(x, self.weight, self.bias)
        if self.activation_flag:
            out = self.activation(out)
        return out

    def extend_repr(self) -> str:
        return "input_channels=%d, output_channels=%d, has_bias=%s" % (
            self.in_channels, self.out_channels, self.has_bias)


class Linear(Cell):
    """MindSpore 2.10's ``nn.Linear(in_features, out_features, bias=True, weight_init=None,
    bias_init=None, dtype=None)`` (the same class as ``mint.nn.Linear`` there): ``x @
    weight.T + bias`` over the last axis of ``x``, ``weight (out_features, in_features)``
    HeUniform with negative slope sqrt(5) by default, ``bias (out_features,)`` uniform in
    +-1/sqrt(in_features) (None without ``bias``)."""

    def __init__(self, in_features, out_features, bias=True, weight_init=None,
                 bias_init=None, dtype=None) -> None:
        super().__init__()
        self.in_features = check_positive_int(in_features, "in_features", "Linear")
        self.out_features = check_positive_int(out_features, "out_features", "Linear")
        if not isinstance(bias, bool):
            raise TypeError("For 'Linear', the type of 'has_bias' should be 'bool', but got "
                            "%r." % (bias,))
        self.has_bias = bias
        self.weight = Parameter(initialize(weight_init, (out_features, in_features), dtype,
                                           default="he_uniform_sqrt5"), name="weight")
        if bias:
            self.bias = Parameter(_bias_init(bias_init, (out_features,), in_features, dtype),
                                  name="bias")
        else:
            self.bias = None

    def construct(self, input):
        return linear(input, self.weight, self.bias)

    def extend_repr(self) -> str:
        s = "input_features=%d, output_features=%d" % (self.in_features, self.out_features)
        return s + (", has_bias=True" if self.has_bias else "")


class Conv2d(Cell):
    """2-D convolution over NCHW input; weight ``(out_channels, in_channels / group, kh, kw)``.

    ``pad_mode``: ``'same'`` (default; output ``ceil(H / stride)``, odd padding at the
    bottom/right), ``'valid'`` (no padding) or ``'pad'`` (``padding``: an int or
    ``(top, bottom, left, right)``).  No bias unless ``has_bias=True``.
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1,
                 pad_mode: str = "same", padding=0, dilation=1, group: int = 1,
                 has_bias: bool = False, weight_init: Any = None, bias_init: Any = None,
                 data_format: str = "NCHW", dtype=None) -> None:
        super().__init__()
        if data_format != "NCHW":
            raise ValueError("Conv2d supports data_format='NCHW' only, got %r" % (data_format,))
        if pad_mode not in ("same", "valid", "pad"):
            raise ValueError("Conv2d: pad_mode must be 'same', 'valid' or 'pad', got %r"
                             % (pad_mode,))
        if in_channels % group or out_channels % group:
            raise ValueError("Conv2d: in_channels (%d) and out_channels (%d) must be divisible "
                             "by group (%d)" % (in_channels, out_channels, group))
        self.in_channels = int(in_channels)
        self.out_channels = int(out_channels)
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        self.dilation = _pair(dilation, "dilation")
        self.group = int(group)
        self.pad_mode = pad_mode
        if pad_mode == "pad":
            if isinstance(padding, (int, np.integer)):
                self.padding = (int(padding),) * 4
            elif isinstance(padding, (tuple, list)) and len(padding) == 4:
                self.padding = tuple(int(p) for p in padding)
            else:
                raise ValueError("Conv2d: padding must be an int or 4 ints (top, bottom, left, "
                                 "right), got %r" % (padding,))
            self.pad = self.padding
        else:
            if padding not in (0, (0, 0, 0, 0)):
                raise ValueError("Conv2d: padding must be 0 when pad_mode is %r" % pad_mode)
            self.padding = (0, 0, 0, 0)
            self.pad = pad_mode
        self.has_bias = bool(has_bias)
        shape = (out_channels, in_channels // group) + self.kernel_size
        self.weight = Parameter(initialize(weight_init, shape, dtype,
                                           default="he_uniform_sqrt5"), name="weight")
        if self.has_bias:
            fan_in = shape[1] * shape[2] * shape[3]
            self.bias = Parameter(_bias_init(bias_init, (out_channels,), fan_in, dtype),
                                  name="bias")
        else:
            self.bias = None  # as MindSpore's

    def construct(self, x):
        out = conv2d(x, self.weight, None, self.stride, self.pad_mode, self.padding,
                     self.dilation, self.group)
        if self.has_bias:
            out = bias_add(out, self.bias)
        return out

    def extend_repr(self) -> str:
        return ("input_channels=%d, output_channels=%d, kernel_size=%s, stride=%s, "
                "pad_mode=%s, padding=%s, dilation=%s, group=%d, has_bias=%s"
                % (self.in_channels, self.out_channels, self.kernel_size, self.stride,
                   self.pad_mode, self.padding, self.dilation, self.group, self.has_bias))


class _BatchNorm(Cell):
    """Batch normalization over every axis but the channel axis.

    Training (``set_train(True)``, or ``use_batch_statistics=True``) normalizes with the batch
    mean and biased variance, differentiated through, and updates the moving statistics
    ``moving = momentum * moving + (1 - momentum) * batch`` (the variance with n - 1).
    Inference uses the moving statistics.
    """

    _axes: tuple = ()
    _shape: tuple = ()

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.9,
                 affine: bool = True, gamma_init: Any = "ones", beta_init: Any = "zeros",
                 moving_mean_init: Any = "zeros", moving_var_init: Any = "ones",
                 use_batch_statistics: bool | None = None, data_format: str = "NCHW",
                 dtype=None) -> None:
        super().__init__()
        if not 0.0 <= momentum <= 1.0:
            raise ValueError("BatchNorm: momentum must be in [0, 1], got %r" % (momentum,))
        if data_format not in ("NCHW", "NHWC"):
            raise ValueError("BatchNorm: data_format must be 'NCHW' or 'NHWC'")
        self.num_features = int(num_features)
        self.eps = float(eps)
        self.momentum = float(momentum)
        self.use_batch_statistics = use_batch_statistics
        self.format = data_format
        if data_format == "NHWC":
            self._axes = tuple(range(len(self._shape) - 1))
            self._shape = (1,) * (len(self._shape) - 1) + (-1,)
        n = (num_features,)
        self.moving_mean = Parameter(initialize(moving_mean_init, n, dtype), name="mean",
                                     requires_grad=False)
        self.moving_variance = Parameter(initialize(moving_var_init, n, dtype),
                                         name="variance", requires_grad=False)
        self.gamma = Parameter(initialize(gamma_init, n, dtype), name="gamma",
                               requires_grad=affine)
        self.beta = Parameter(initialize(beta_init, n, dtype), name="beta",
                              requires_grad=affine)

    def construct(self, x):
        if self.use_batch_statistics is None:
            use_batch = self.training
        else:
            use_batch = self.use_batch_statistics
        gamma = ops.reshape(self.gamma, self._shape)
        beta = ops.reshape(self.beta, self._shape)
        if use_batch:
            mu = ops.mean(x, self._axes, True)
            sigma2 = var(x, self._axes, 0, True)
            out = (x - mu) / ops.sqrt(sigma2 + self.eps) * gamma + beta
            # the moving statistics: no gradient, the unbiased variance, written in place
            xs = ops.stop_gradient(x)
            batch_mean = ops.mean(xs, self._axes)
            batch_var = var(xs, self._axes, 1)
            new_mean = self.moving_mean * self.momentum + batch_mean * (1.0 - self.momentum)
            new_var = self.moving_variance * self.momentum + batch_var * (1.0 - self.momentum)
            out = depend(out, assign(self.moving_mean, new_mean))
            out = depend(out, assign(self.moving_variance, new_var))
        else:
            mu = ops.reshape(self.moving_mean, self._shape)
            sigma2 = ops.reshape(self.moving_variance, self._shape)
            out = (x - mu) / ops.sqrt(sigma2 + self.eps) * gamma + beta
        return out

    def extend_repr(self) -> str:
        return ("num_features=%d, eps=%g, momentum=%g, gamma=%r, beta=%r, moving_mean=%r, "
                "moving_variance=%r" % (self.num_features, self.eps, self.momentum, self.gamma,
                                        self.beta, self.moving_mean, self.moving_variance))


class BatchNorm2d(_BatchNorm):
    """Batch normalization of 4-D input ``(N, C, H, W)`` (``data_format='NHWC'``:
    ``(N, H, W, C)``); see :class:`_BatchNorm` for the training behaviour."""

    _axes = (0, 2, 3)
    _shape = (1, -1, 1, 1)


class BatchNorm1d(_BatchNorm):
    """Batch normalization of 2-D input ``(N, C)``; see :class:`_BatchNorm`."""

    _axes = (0,)
    _shape = (1, -1)


class LayerNorm(Cell):
    """Normalize over the axes from ``begin_norm_axis`` on:
    ``(x - mean) / sqrt(var + epsilon) * gamma + beta`` (gamma, beta shaped
    ``normalized_shape``; MindSpore's epsilon default is 1e-7)."""

    def __init__(self, normalized_shape, begin_norm_axis: int = -1, begin_params_axis: int = -1,
                 gamma_init: Any = "ones", beta_init: Any = "zeros", epsilon: float = 1e-7,
                 dtype=None) -> None:
        super().__init__()
        if not isinstance(normalized_shape, (tuple, list)):
            normalized_shape = (normalized_shape,)
        shape = tuple(int(s) for s in normalized_shape)
        self.normalized_shape = shape
        self.begin_norm_axis = begin_norm_axis
        self.begin_params_axis = begin_params_axis
        self.epsilon = float(epsilon)
        if begin_norm_axis < 0:
            self._axes = tuple(range(begin_norm_axis, 0))
        elif begin_params_axis >= 0:
            ndim = begin_params_axis + len(shape)
            self._axes = tuple(range(begin_norm_axis, ndim))
        else:
            raise ValueError("LayerNorm: a non-negative begin_norm_axis needs a non-negative "
                             "begin_params_axis (the input rank is otherwise unknown)")
        self.gamma = Parameter(initialize(gamma_init, shape, dtype), name="gamma")
        self.beta = Parameter(initialize(beta_init, shape, dtype), name="beta")
        # MindSpore's attribute (subclasses call ``self.layer_norm(x, self.gamma, self.beta)``)
        self.layer_norm = ops.LayerNorm(begin_norm_axis, begin_params_axis, self.epsilon)

    def extend_repr(self) -> str:
        # (MindSpore 2.10 prints it so, "gamma" without its "=")
        return ("normalized_shape=%s, begin_norm_axis=%d, begin_params_axis=%d, gamma%r, "
                "beta=%r" % (self.normalized_shape, self.begin_norm_axis,
                             self.begin_params_axis, self.gamma, self.beta))

    def construct(self, x):
        mu = ops.mean(x, self._axes, True)
        sigma2 = var(x, self._axes, 0, True)
        return (x - mu) / ops.sqrt(sigma2 + self.epsilon) * self.gamma + self.beta


class GroupNorm(Cell):
    """MindSpore's ``nn.GroupNorm(num_groups, num_channels, eps=1e-05, affine=True,
    gamma_init='ones', beta_init='zeros', dtype=float32)`` of ``(N, C, H, W)`` input:
    each sample's channels in ``num_groups`` groups, each group normalized over its channels
    and positions with its mean and biased variance, then ``* gamma + beta`` per channel.
    The group statistics are the per-channel ones averaged by a constant ``(C, C)`` matrix."""

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5,
                 affine: bool = True, gamma_init: Any = "ones", beta_init: Any = "zeros",
                 dtype=None) -> None:
        super().__init__()
        if num_channels % num_groups:
            raise ValueError("For 'GroupNorm', num_channels (%d) must be divisible by "
                             "num_groups (%d)" % (num_channels, num_groups))
        self.num_groups, self.num_channels = int(num_groups), int(num_channels)
        self.eps = float(eps)
        self.affine = bool(affine)
        size = num_channels // num_groups
        group = np.arange(num_channels) // size
        np_dtype = mstype.to_numpy(dtype) or np.dtype(np.float32)
        self.group_mean = ((group[:, None] == group[None, :]) / size).astype(np_dtype)
        n = (num_channels,)
        self.gamma = Parameter(initialize(gamma_init, n, dtype), name="gamma",
                               requires_grad=affine)
        self.beta = Parameter(initialize(beta_init, n, dtype), name="beta",
                              requires_grad=affine)

    def construct(self, x):
        mu = ops.matmul(ops.mean(x, (2, 3)), self.group_mean)
        mu = ops.expand_dims(ops.expand_dims(mu, 2), 3)
        centred = x - mu
        sigma2 = ops.matmul(ops.mean(centred * centred, (2, 3)), self.group_mean)
        sigma2 = ops.expand_dims(ops.expand_dims(sigma2, 2), 3)
        out = centred / ops.sqrt(sigma2 + self.eps)
        gamma = ops.reshape(self.gamma, (1, -1, 1, 1))
        beta = ops.reshape(self.beta, (1, -1, 1, 1))
        return out * gamma + beta


class Embedding(Cell):
    """A lookup table: ``embedding_table[ids]``, shaped ``ids.shape + (embedding_size,)``.

    Gradients of repeated ids accumulate into their row; rows never looked up get 0.
    ``use_one_hot=True`` computes ``one_hot(ids) @ embedding_table`` (same values and
    gradients).  ``padding_idx`` zeroes that row of the initial table.
    """

    def __init__(self, vocab_size: int, embedding_size: int, use_one_hot: bool = False,
                 embedding_table: Any = "normal", dtype=mstype.float32,
                 padding_idx: int | None = None) -> None:
        super().__init__()
        self.vocab_size = int(vocab_size)
        self.embedding_size = int(embedding_size)
        self.use_one_hot = bool(use_one_hot)
        self.dtype = dtype
        table = initialize(embedding_table, (vocab_size, embedding_size))
        # one_hot's on and off values, numpy scalars of the table's dtype (constants)
        self.hot_on, self.hot_off = table.dtype.type(1), table.dtype.type(0)
        if padding_idx is not None:
            if not 0 <= padding_idx < vocab_size:
                raise ValueError("Embedding: padding_idx must be in [0, %d), got %r"
                                 % (vocab_size, padding_idx))
            table[padding_idx] = 0
        self.padding_idx = padding_idx
        self.embedding_table = Parameter(table, name="embedding_table")

    def construct(self, ids):
        if self.use_one_hot:
            hot = one_hot(ids, self.vocab_size, self.hot_on, self.hot_off)
            out = ops.matmul(hot, self.embedding_table)
        else:
            out = gather_rows(self.embedding_table, ids)
        return out

    def extend_repr(self) -> str:
        return ("vocab_size=%d, embedding_size=%d, use_one_hot=%s, embedding_table=%r, "
                "dtype=%s, padding_idx=%s" % (self.vocab_size, self.embedding_size,
                                              self.use_one_hot, self.embedding_table,
                                              self.embedding_table.dtype,
                                              getattr(self, "padding_idx", None)))


# ---------------------------------------------------------------------------------------
# shape and regularization layers
# ---------------------------------------------------------------------------------------

class Flatten(Cell):
    """Merge the axes ``start_dim..end_dim`` (default: all but the batch axis)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def construct(self, x):
        return flatten(x, self.start_dim, self.end_dim)


class Dropout(Cell):
    """MindSpore's ``nn.Dropout(keep_prob=0.5, p=None, dtype=float32)``: identity in
    inference mode; in training, zeroes each element with probability ``p`` (given, or
    ``1 - keep_prob``) and scales the others by ``1 / (1 - p)``, so the gradient is 0 where
    an element is dropped and ``1 / (1 - p)`` where it is kept."""

    def __init__(self, keep_prob: float = 0.5, p: float | None = None, dtype=None) -> None:
        super().__init__()
        if p is not None:
            if not 0.0 <= p < 1.0:
                raise ValueError("For 'Dropout', the 'p' must be a number in range [0, 1), but "
                                 "got %r." % (p,))
            self.p = float(p)
            self.keep_prob = 1.0 - self.p
        else:
            if not 0.0 < keep_prob <= 1.0:
                raise ValueError("For 'Dropout', the 'keep_prob' must be a number in range "
                                 "(0, 1], but got %r." % (keep_prob,))
            self.keep_prob = float(keep_prob)
            self.p = 1.0 - self.keep_prob
        # MindSpore's op seeds for this layer, taken when it is made: under a global seed its
        # masks are MindSpore's own (ms_random.DropoutStream); without one, the dropout
        # generator's
        seeds = graph_seed(get_seed(), "dropout")
        self._stream = DropoutStream(*seeds) if seeds != (0, 0) else None

    def extend_repr(self) -> str:
        return "p=%s" % (self.p,)

    def construct(self, x):
        out = x
        if self.training:
            if self.p > 0.0:
                out = P.mul(x, P.dropout_mask(x, keep_prob=1.0 - self.p, stream=self._stream))
        return out


class Identity(Cell):
    """Returns its input (MindSpore's ``nn.Identity(*args, **kwargs)`` ignores its
    arguments)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()

    def construct(self, x):
        return x


# ---------------------------------------------------------------------------------------
# containers
# ---------------------------------------------------------------------------------------

def _cells_of(args) -> list:
    if len(args) == 1 and isinstance(args[0], (list, tuple)):
        items = list(args[0])
    elif len(args) == 1 and isinstance(args[0], (dict, OrderedDict)):
        items = list(args[0].items())
    else:
        items = list(args)
    for item in items:
        cell = item[1] if isinstance(item, tuple) else item
        if not isinstance(cell, Cell):
            raise TypeError("a cell container holds Cells only; got %s" % type(cell).__name__)
    return items


def _check_index(seq, index) -> int:
    """MindSpore's index check of a Cell container: an int within its length."""
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
        raise TypeError("For '%s', the type of 'index' should be int or slice, but got %s."
                        % (type(seq).__name__, type(index).__name__))
    n = len(seq.cell_list)
    if not -n <= index < n:
        raise IndexError("For '%s', the value of 'index' must be a number in range [%d, %d), "
                         "but got %d." % (type(seq).__name__, -n, n, index))
    return int(index) % n


def _list_prefix(seq) -> str:
    """The prefix MindSpore 2.10 puts before the position in the Parameter names of a cell
    appended to a SequentialCell or CellList (measured; it is read off the names the cells
    already there carry): the first Parameter of the first cell holding one is split at its
    dots, and the prefix is the part before a piece equal to that cell's key; of several such
    pieces the last is taken, unless the second cell's first Parameter has its own key at
    that same place (then the first such place is kept).  Usually "" - but a list of lists
    appended to after it was attached gives, as in MindSpore, names like
    ``0.blocks.1.blocks.0.weight``, which MindSpore checkpoints carry."""
    firsts = []
    for key, cell in seq._named():
        for _, param in cell.parameters_and_names():
            firsts.append((key, param.name))
            break
        if len(firsts) == 2:
            break
    if not firsts:
        return ""
    (key, name), second = firsts[0], (firsts[1] if len(firsts) > 1 else None)
    prefix, pieces = "", name.split(".")
    for i, piece in enumerate(pieces):
        if piece == key:
            prefix = ".".join(pieces[:i]) + "." if i else ""
            other = second[1].split(".") if second else []
            if second and i < len(other) and other[i] == second[0]:
                break
    return prefix


class _CellSequence(Cell):
    """Sub-cells kept in order in ``cell_list`` (a tuple: what ``construct`` loops over)."""

    def _add(self, name: str, cell: Cell) -> None:
        if not isinstance(cell, Cell):
            raise TypeError("%s.append takes a Cell, got %s"
                            % (type(self).__name__, type(cell).__name__))
        setattr(self, name, cell)
        self.cell_list = self.cell_list + (cell,)

    def append(self, cell: Cell) -> None:
        """Add ``cell`` at the end (named by its position; its Parameter names get
        ``_list_prefix`` and the position before them, as in MindSpore)."""
        self._append_all([cell])

    def _append_all(self, cells) -> None:
        """Append each of ``cells``, with the prefix of their Parameter names read once,
        before the first (MindSpore's ``CellList.extend``; ``append`` is one of these)."""
        prefix = _list_prefix(self)
        for cell in cells:
            key = str(len(self.cell_list))
            self._add(key, cell)
            if prefix and self.__dict__.get("_auto_prefix", True):
                cell.update_parameters_name(prefix + key + ".")

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(list(self.cell_list[index]))
        return self.cell_list[_check_index(self, index)]

    def _named(self) -> list:
        """(name, cell) in order: the names the cells are registered under."""
        return list(zip((n for n, c in self._cells.items() if c is not None), self.cell_list))

    def _reset(self, items: list) -> None:
        """Registers ``items`` ((name or None, cell), ...) afresh; positional names ('0',
        '1', ...) are given again by position, as MindSpore's containers do."""
        for name in list(self._cells):
            delattr(self, name)
        self.cell_list = ()
        for i, (name, cell) in enumerate(items):
            self._add(str(i) if name is None or name.isdigit() else name, cell)

    def __setitem__(self, index, cell) -> None:
        """``m[i] = cell`` replaces the cell at ``i`` (keeping its name)."""
        items = self._named()
        i = _check_index(self, index)
        items[i] = (items[i][0], cell)
        self._reset(items)

    def __delitem__(self, index) -> None:
        """``del m[i]`` / ``del m[a:b]``: the rest keep their order."""
        items = self._named()
        if isinstance(index, slice):
            del items[index]
        else:
            del items[_check_index(self, index)]
        self._reset(items)

    def insert(self, index: int, cell: Cell) -> None:
        """Insert ``cell`` before position ``index``."""
        items = self._named()
        items.insert(index, (None, cell))
        self._reset(items)

    def __iadd__(self, cells):
        for cell in cells:
            self.append(cell)
        return self

    def __len__(self) -> int:
        return len(self.cell_list)

    def __iter__(self):
        return iter(self.cell_list)


class SequentialCell(_CellSequence):
    """Cells applied in order: ``SequentialCell([Dense(4, 5), ReLU()])`` or
    ``SequentialCell(Dense(4, 5), ReLU())`` or an OrderedDict of named cells.

    The cells are sub-cells named '0', '1', ... (or the dict's keys), so parameter names read
    ``0.weight``; ``cell_list`` is the tuple that ``construct`` loops over.
    """

    def __init__(self, *args) -> None:
        super().__init__()
        self.cell_list = ()
        for i, item in enumerate(_cells_of(args)):
            name, cell = item if isinstance(item, tuple) else (str(i), item)
            self._add(name, cell)

    def construct(self, x):
        for cell in self.cell_list:
            x = cell(x)
        return x


class CellList(_CellSequence):
    """A list of sub-cells (named '0', '1', ...) that user code iterates or indexes."""

    def __init__(self, *args) -> None:
        super().__init__()
        self.cell_list = ()
        if args and not (len(args) == 1 and args[0] is None):
            self._append_all([item[1] if isinstance(item, tuple) else item
                              for item in _cells_of(args)])

    def extend(self, cells: Iterable[Cell]) -> "CellList":
        """Append each of ``cells`` (the prefix of their Parameter names is read once, before
        the first, as MindSpore's ``CellList.extend`` does)."""
        self._append_all(list(cells))
        return self

    def construct(self, *inputs):
        raise TypeError("a CellList is not callable; iterate over it in your construct")
