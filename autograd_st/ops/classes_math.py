"""MindSpore's primitive classes for math and activations (``ops.GeLU``, ``ops.Erf`` ...) that take constructor attributes: each
instance is a constant to the compiler, its call a function of the op table.

(The classes without attributes, ``ops.Erf()``, ``ops.Equal()``, ``ops.GeLU()`` ..., are
rows of :mod:`autograd_st.table_math`.)

Takes: :class:`~autograd_st.ops.primitive_base.Primitive` and the op table's functions.
Gives: the classes (``operations`` publishes them as ``autograd_st.ops.<Name>``).
"""
from __future__ import annotations

import numpy as np

from .. import dtype as mstype
from .. import table_math
from ..ms_random import DropoutStream
from ..prims import P
from ..tensor import Tensor
from .primitive_base import Primitive

__all__ = ["SoftmaxCrossEntropyWithLogits", "SparseSoftmaxCrossEntropyWithLogits", "OneHot",
           "Dropout", "L2Normalize", "Elu", "CeLU", "Einsum", "LpNorm", "BiasAdd",
           "BinaryCrossEntropy", "BCEWithLogitsLoss", "KLDivLoss", "SmoothL1Loss", "NLLLoss",
           "SoftShrink", "HShrink", "Cdist", "IsClose", "ScalarCast"]


class SoftmaxCrossEntropyWithLogits(Primitive):
    """MindSpore's ``ops.SoftmaxCrossEntropyWithLogits()(logits, labels)``: for ``logits``
    and probability ``labels`` shaped ``(N, C)``, ``(loss, backprop)``: the per-sample loss
    ``-sum(labels * log_softmax(logits), -1)`` and ``softmax(logits) - labels``."""

    def __init__(self) -> None:
        pass

    def __call__(self, logits, labels):
        labels = P.stop_gradient(labels)
        logp = P.where(P.not_equal(labels, 0.0), P.log_softmax(logits, axis=-1), 0.0)
        loss = P.neg(P.sum(P.mul(labels, logp), axis=-1))
        return loss, P.sub(P.softmax(logits, axis=-1), labels)


class SparseSoftmaxCrossEntropyWithLogits(Primitive):
    """MindSpore's ``ops.SparseSoftmaxCrossEntropyWithLogits(is_grad=False)(logits,
    labels)``: class-index ``labels (N,)``; the mean loss over the batch, or with
    ``is_grad=True`` its gradient in ``logits``, ``(softmax - one_hot) / N``."""

    def __init__(self, is_grad: bool = False) -> None:
        self.is_grad = bool(is_grad)

    def __call__(self, logits, labels):
        if self.is_grad:
            per = P.sparse_softmax_xent_grad(logits, labels, P.ones_like(P.sum(logits,
                                                                                axis=-1)))
            return P.div(per, P.getitem(P.shape(logits), 0))
        return P.mean(P.sparse_softmax_xent(logits, labels))


class OneHot(Primitive):
    """MindSpore's ``ops.OneHot(axis=-1)(indices, depth, on_value, off_value)``."""

    def __init__(self, axis: int = -1) -> None:
        self.axis = int(axis)

    def __call__(self, indices, depth, on_value, off_value):
        return table_math.ms_one_hot(indices, depth, on_value, off_value, self.axis)


class Dropout(Primitive):
    """MindSpore's ``ops.Dropout(keep_prob=0.5, Seed0=0, Seed1=0)(x)``: ``(output, mask)``,
    each element kept with probability ``keep_prob`` and scaled by ``1 / keep_prob``; the
    mask is 1 where kept, 0 where dropped, in x's dtype.  With seeds (not both 0) the masks
    are MindSpore's (``ms_random.DropoutStream``: one stream per op, through its calls);
    with none, the dropout generator's (``kernels.seed_dropout``)."""

    def __init__(self, keep_prob: float = 0.5, Seed0: int = 0, Seed1: int = 0) -> None:
        if not 0.0 < keep_prob <= 1.0:
            raise ValueError("For 'Dropout', keep_prob must be in (0, 1], got %r" % (keep_prob,))
        self.keep_prob = float(keep_prob)
        self.Seed0 = Seed0
        self.Seed1 = Seed1
        self._stream = DropoutStream(Seed0, Seed1) if (Seed0, Seed1) != (0, 0) else None

    def __call__(self, x):
        scaled = P.dropout_mask(x, keep_prob=self.keep_prob, stream=self._stream)
        mask = P.cast_like(P.greater(scaled, 0.0), x)
        return P.mul(x, scaled), mask


class L2Normalize(Primitive):
    """MindSpore's ``ops.L2Normalize(axis=0, epsilon=1e-4)(x)``:
    ``x / sqrt(max(sum(x ** 2, axis, keepdims=True), epsilon))``."""

    def __init__(self, axis=0, epsilon: float = 1e-4) -> None:
        self.axis = tuple(axis) if isinstance(axis, list) else axis
        self.epsilon = float(epsilon)

    def __call__(self, x):
        return table_math.l2_normalize(x, self.axis, self.epsilon)


class Elu(Primitive):
    """MindSpore's ``ops.Elu(alpha=1.0)(x)``: ``ops.elu(x, alpha)``."""

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = float(alpha)

    def __call__(self, x):
        return table_math.elu(x, self.alpha)


class Einsum(Primitive):
    """MindSpore's ``ops.Einsum(equation)(operands)``: the operands as one tuple or list."""

    def __init__(self, equation: str) -> None:
        self.equation = str(equation)

    def __call__(self, operands):
        return table_math.einsum(self.equation, *operands)


class LpNorm(Primitive):
    """MindSpore's ``ops.LpNorm(axis, p=2, keep_dims=False, epsilon=1e-12)(x)``: the p-norm
    along ``axis`` (an int or a tuple of ints: the vector norm of those axes together); a
    norm below ``epsilon`` is ``epsilon``."""

    def __init__(self, axis, p: int = 2, keep_dims: bool = False,
                 epsilon: float = 1e-12) -> None:
        self.axis = tuple(axis) if isinstance(axis, list) else axis
        self.p = p
        self.keep_dims = bool(keep_dims)
        self.epsilon = float(epsilon)

    def __call__(self, x):
        a = P.abs(x)
        if self.p == 2:
            out = P.sqrt(P.sum(P.mul(a, a), axis=self.axis, keepdims=self.keep_dims))
        elif self.p == 1:
            out = P.sum(a, axis=self.axis, keepdims=self.keep_dims)
        else:
            out = P.pow(P.sum(P.pow(a, float(self.p)), axis=self.axis,
                              keepdims=self.keep_dims), 1.0 / self.p)
        return P.where(P.less(out, self.epsilon), self.epsilon, out)


class BiasAdd(Primitive):
    """MindSpore's ``ops.BiasAdd(data_format='NCHW')(input_x, bias)``: ``bias (C,)`` added
    along the channel axis (axis 1 for 'NCHW'/'NCDHW', the last for 'NHWC')."""

    def __init__(self, data_format: str = "NCHW") -> None:
        if data_format not in ("NCHW", "NHWC", "NCDHW"):
            raise ValueError("For 'BiasAdd', data_format must be 'NCHW', 'NHWC' or 'NCDHW', "
                             "got %r" % (data_format,))
        self.data_format = data_format

    def __call__(self, input_x, bias):
        if self.data_format == "NHWC":
            return P.add(input_x, bias)
        return P.add(input_x, P.reshape_along(bias, input_x, 1))


class CeLU(Primitive):
    """MindSpore's ``ops.CeLU(alpha=1.0)(x)``: ``ops.celu(x, alpha)``."""

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = float(alpha)

    def __call__(self, x):
        return table_math.celu(x, self.alpha)


class SoftShrink(Primitive):
    """MindSpore's ``ops.SoftShrink(lambd=0.5)(x)``: ``ops.softshrink(x, lambd)``."""

    def __init__(self, lambd: float = 0.5) -> None:
        self.lambd = float(lambd)

    def __call__(self, input_x):
        return table_math.softshrink(input_x, self.lambd)


class HShrink(Primitive):
    """MindSpore's ``ops.HShrink(lambd=0.5)(x)``: ``ops.hardshrink(x, lambd)``."""

    def __init__(self, lambd: float = 0.5) -> None:
        self.lambd = float(lambd)

    def __call__(self, input_x):
        return table_math.hardshrink(input_x, self.lambd)


class Cdist(Primitive):
    """MindSpore's ``ops.Cdist(p=2.0)(x1, x2)``: ``ops.cdist(x1, x2, p)``."""

    def __init__(self, p: float = 2.0) -> None:
        self.p = float(p)

    def __call__(self, input_x, input_y):
        return table_math.cdist(input_x, input_y, self.p)


class IsClose(Primitive):
    """MindSpore's ``ops.IsClose(rtol=1e-05, atol=1e-08, equal_nan=False)(x, y)``."""

    def __init__(self, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> None:
        self.rtol, self.atol, self.equal_nan = float(rtol), float(atol), bool(equal_nan)

    def __call__(self, input, other):
        return P.isclose(input, other, self.rtol, self.atol, self.equal_nan)


class BinaryCrossEntropy(Primitive):
    """MindSpore's ``ops.BinaryCrossEntropy(reduction='mean')(logits, labels, weight=None)``:
    ``ops.binary_cross_entropy`` of probabilities ``logits``."""

    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction

    def __call__(self, logits, labels, weight=None):
        return table_math.binary_cross_entropy(logits, labels, weight, self.reduction)


class BCEWithLogitsLoss(Primitive):
    """MindSpore's ``ops.BCEWithLogitsLoss(reduction='mean')(logits, label, weight,
    pos_weight)``: ``ops.binary_cross_entropy_with_logits``."""

    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction

    def __call__(self, logits, label, weight=None, pos_weight=None):
        return table_math.binary_cross_entropy_with_logits(logits, label, weight, pos_weight,
                                                           self.reduction)


class KLDivLoss(Primitive):
    """MindSpore's ``ops.KLDivLoss(reduction='mean')(logits, labels)``: ``ops.kl_div``."""

    def __init__(self, reduction: str = "mean") -> None:
        self.reduction = reduction

    def __call__(self, logits, labels):
        return table_math.kl_div(logits, labels, self.reduction)


class SmoothL1Loss(Primitive):
    """MindSpore's ``ops.SmoothL1Loss(beta=1.0, reduction='none')(logits, labels)``."""

    def __init__(self, beta: float = 1.0, reduction: str = "none") -> None:
        self.beta, self.reduction = float(beta), reduction

    def __call__(self, logits, labels):
        return table_math.smooth_l1_loss(logits, labels, self.beta, self.reduction)


class NLLLoss(Primitive):
    """MindSpore's ``ops.NLLLoss(reduction='mean', ignore_index=-100)(logits, labels,
    weight)``: ``(loss, total_weight)``, ``total_weight`` the summed weight of the counted
    labels."""

    def __init__(self, reduction: str = "mean", ignore_index: int = -100) -> None:
        self.reduction, self.ignore_index = reduction, int(ignore_index)

    def __call__(self, logits, labels, weight):
        loss = table_math.nll_loss(logits, labels, weight, self.ignore_index, self.reduction)
        total = P.sum(P.target_weights(labels, logits, self.ignore_index, weight))
        return loss, total


class ScalarCast(Primitive):
    """MindSpore's ``ops.ScalarCast()(input_x, input_y)``: the Python number ``input_x`` as the
    Python type of ``input_y``, which must be ``mindspore.int64`` (``int``, truncated toward
    0: ``-3.7`` is ``-3``), ``float64`` or ``bool_`` (measured on MindSpore 2.10, which
    refuses any other type with a ValueError and a Tensor with a TypeError; deprecated
    there since 2.3 for ``int(x)`` / ``float(x)``)."""

    def __init__(self) -> None:
        pass

    def __call__(self, input_x, input_y):
        if isinstance(input_x, Tensor) or not isinstance(input_x, (bool, int, float,
                                                                    np.number, np.bool_)):
            raise TypeError("For 'ScalarCast', the type of 'x' should be one of '['bool', "
                            "'Number']', but got type '%s'." % type(input_x).__name__)
        to = {mstype.int64: int, mstype.float64: float, mstype.bool_: bool}
        for dtype, kind in to.items():
            if input_y == dtype:
                return kind(input_x)
        raise ValueError("For 'ScalarCast', the supported type is in the list: "
                         "[mindspore.int64, mindspore.float64, mindspore.bool], but got %s"
                         % (input_y,))
