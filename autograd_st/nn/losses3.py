"""More losses with MindSpore 2.10's signatures, defaults and numbers (measured in the side
venv): ``nn.MultiMarginLoss``, ``nn.TripletMarginLoss``, ``nn.TripletMarginWithDistanceLoss``,
``nn.GaussianNLLLoss``, ``nn.SoftMarginLoss``, ``nn.PoissonNLLLoss``,
``nn.MarginRankingLoss``, ``nn.HingeEmbeddingLoss``, ``nn.FocalLoss``, ``nn.DiceLoss``,
``nn.MultiClassDiceLoss``, ``nn.RMSELoss``, ``nn.MAELoss``, ``nn.MultiLabelSoftMarginLoss``,
``nn.MultilabelMarginLoss``, ``nn.CTCLoss`` and ``nn.L1Regularizer``.

Each ``construct`` is MindSpore's, written over ``ops`` (the functionals are the rows of
:mod:`autograd_st.table_loss`), so the losses run eagerly and inside differentiated code.
The shape checks MindSpore makes inside ``construct`` (``DiceLoss``'s and
``MultiClassDiceLoss``'s equal shapes, ``FocalLoss``'s ranks and channels) are not made here:
``construct`` is compiled, and ``raise`` is refused in compiled code.
"""
from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import ops
from ..cell import Cell
from ..ops.nn_func import one_hot_like
from ..table_loss import multi_margin
from ..tensor import Tensor
from .layers import get_activation
from .loss import LossBase, MSELoss

__all__ = ["MultiMarginLoss", "TripletMarginLoss", "TripletMarginWithDistanceLoss",
           "GaussianNLLLoss", "SoftMarginLoss", "PoissonNLLLoss", "MarginRankingLoss",
           "HingeEmbeddingLoss", "FocalLoss", "DiceLoss", "MultiClassDiceLoss", "RMSELoss",
           "MAELoss", "MultiLabelSoftMarginLoss", "MultilabelMarginLoss", "CTCLoss",
           "L1Regularizer"]

_HALF_LN_2PI = 0.9189385332046727


def _check_string(value, allowed, name: str, cls: str) -> str:
    if value not in allowed:
        raise ValueError("For '%s', the '%s' must be one of %s, but got %r"
                         % (cls, name, list(allowed), value))
    return value


class MultiMarginLoss(LossBase):
    """MindSpore's ``nn.MultiMarginLoss(p=1, margin=1.0, reduction='mean', weight=None)``;
    ``construct(x, target, weight=None)`` (the constructor's weight wins)."""

    def __init__(self, p: int = 1, margin: float = 1.0, reduction: str = "mean",
                 weight: Any = None) -> None:
        super().__init__(reduction)
        if p not in (1, 2):
            raise ValueError("For 'MultiMarginLoss', p must be 1 or 2, got %r" % (p,))
        self.p, self.margin, self.weight = p, float(margin), weight

    def construct(self, x, target, weight=None):
        if self.weight is not None:
            weight = self.weight
        return multi_margin(x, target, self.p, self.margin, weight, self.reduction)


class TripletMarginLoss(LossBase):
    """MindSpore's ``nn.TripletMarginLoss(p=2, swap=False, eps=1e-06, reduction='mean',
    margin=1.0)``; ``construct(x, positive, negative, margin=1.0)`` (a constructor margin
    other than 1.0 wins).  See :func:`autograd_st.ops.triplet_margin_loss`."""

    def __init__(self, p: int = 2, swap: bool = False, eps: float = 1e-06,
                 reduction: str = "mean", margin: float = 1.0) -> None:
        super().__init__(reduction)
        self.p, self.swap, self.eps, self.margin = p, swap, eps, margin

    def construct(self, x, positive, negative, margin=1.0):
        if self.margin != 1.0:
            margin = self.margin
        return ops.triplet_margin_loss(x, positive, negative, margin=margin, p=self.p,
                                       eps=self.eps, swap=self.swap, reduction=self.reduction)


class TripletMarginWithDistanceLoss(LossBase):
    """MindSpore's ``nn.TripletMarginWithDistanceLoss(distance_function=None, swap=False,
    reduction='mean', margin=1.0)``: ``max(d(x, p) - d(x, n) + margin, 0)``, ``d`` by default
    the 2-norm of ``|x - y|`` along axis 1; ``margin`` a float, ``swap`` a bool."""

    def __init__(self, distance_function=None, swap: bool = False, reduction: str = "mean",
                 margin: float = 1.0) -> None:
        super().__init__(reduction)
        if not isinstance(margin, float):
            raise TypeError("For 'TripletMarginWithDistanceLoss', the type of 'margin' must be "
                            "float, but got %s" % type(margin).__name__)
        if not isinstance(swap, bool):
            raise TypeError("For 'TripletMarginWithDistanceLoss', the type of 'swap' must be "
                            "bool, but got %s" % type(swap).__name__)
        self.distance_function = distance_function
        self.swap, self.margin = swap, margin

    def _distance(self, x, y):
        if self.distance_function is None:
            d = ops.abs(x - y)
            return ops.sqrt(ops.sum(d * d, 1))
        return self.distance_function(x, y)

    def construct(self, x, positive, negative):
        d1 = self._distance(x, positive)
        d2 = self._distance(x, negative)
        if self.swap:
            d2 = ops.minimum(d2, self._distance(positive, negative))
        loss = ops.relu(d1 - d2 + self.margin)
        return self.get_loss(loss)


class GaussianNLLLoss(LossBase):
    """MindSpore's ``nn.GaussianNLLLoss(*, full=False, eps=1e-6, reduction='mean')``;
    ``construct(logits, labels, var)``.  See :func:`autograd_st.ops.gaussian_nll_loss`."""

    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean") -> None:
        super().__init__(reduction)
        if isinstance(eps, bool) or not isinstance(eps, (int, float)) or not eps > 0 \
                or math.isinf(eps):
            raise ValueError("For 'GaussianNLLLoss', 'eps' must be in (0, inf), got %r"
                             % (eps,))
        if not isinstance(full, bool):
            raise TypeError("For 'GaussianNLLLoss', the type of 'full' must be bool, but got "
                            "%s" % type(full).__name__)
        self.full, self.eps = full, float(eps)

    def construct(self, logits, labels, var):
        return ops.gaussian_nll_loss(logits, labels, var, self.full, self.eps, self.reduction)


class SoftMarginLoss(LossBase):
    """MindSpore's ``nn.SoftMarginLoss(reduction='mean')``: ``log(1 + exp(-y x))``."""

    def construct(self, logits, labels):
        return ops.soft_margin_loss(logits, labels, self.reduction)


class PoissonNLLLoss(LossBase):
    """MindSpore's ``nn.PoissonNLLLoss(log_input=True, full=False, eps=1e-08,
    reduction='mean')``: ``exp(x) - y x`` (``log_input``) or ``x - y log(x + eps)``, plus
    Stirling's term ``y log y - y + 0.5 log(2 pi y)`` where ``full`` and ``y > 1``."""

    def __init__(self, log_input: bool = True, full: bool = False, eps: float = 1e-08,
                 reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def construct(self, input, target):
        target = ops.cast(target, input.dtype)
        if self.log_input:
            loss = ops.exp(input) - target * input
        else:
            loss = input - target * ops.log(input + self.eps)
        if self.full:
            target = ops.maximum(target, self.eps)
            stirling = (target + 0.5) * ops.log(target) - target + _HALF_LN_2PI
            loss = loss + ops.where(target > 1, stirling, ops.zeros_like(stirling))
        return self.get_loss(loss)


class MarginRankingLoss(LossBase):
    """MindSpore's ``nn.MarginRankingLoss(margin=0.0, reduction='mean')``:
    ``max(0, -target (input1 - input2) + margin)``."""

    def __init__(self, margin: float = 0.0, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.margin = margin

    def construct(self, input1, input2, target):
        return ops.margin_ranking_loss(input1, input2, target, self.margin, self.reduction)


class HingeEmbeddingLoss(LossBase):
    """MindSpore's ``nn.HingeEmbeddingLoss(margin=1.0, reduction='mean')``: ``x`` where the
    label is 1, ``max(0, margin - x)`` where it is -1."""

    def __init__(self, margin: float = 1.0, reduction: str = "mean") -> None:
        super().__init__(reduction)
        if isinstance(margin, bool) or not isinstance(margin, (int, float)):
            raise TypeError("For 'HingeEmbeddingLoss', the type of 'margin' must be float or "
                            "int, but got %s" % type(margin).__name__)
        self.margin = margin

    def construct(self, logits, labels):
        return ops.hinge_embedding_loss(logits, labels, self.margin, self.reduction)


class FocalLoss(LossBase):
    """MindSpore's ``nn.FocalLoss(weight=None, gamma=2.0, reduction='mean')``: ``-(1 -
    p)^gamma log p`` of the softmax over axis 1 of ``logits (N, C[, ...])``, for one-hot
    ``labels`` shaped like ``logits`` or class indices shaped ``(N, 1[, ...])``, averaged
    over the classes (one-hot) or the positions (indices), then reduced; ``weight (C,)``
    scales each class's log-probability."""

    def __init__(self, weight: Any = None, gamma: float = 2.0, reduction: str = "mean") -> None:
        super().__init__(reduction)
        if not isinstance(gamma, float):
            raise TypeError("For 'FocalLoss', the type of 'gamma' must be float, but got %s"
                            % type(gamma).__name__)
        if weight is not None and not isinstance(weight, Tensor):
            raise TypeError("For 'FocalLoss', the type of 'weight' must be a Tensor, but got %s"
                            % type(weight).__name__)
        if isinstance(weight, Tensor) and weight.ndim != 1:
            raise ValueError("For 'FocalLoss', the dimension of 'weight' must be 1, but got %d"
                             % weight.ndim)
        self.gamma, self.weight = gamma, weight

    def construct(self, logits, labels):
        n, c = logits.shape[0], logits.shape[1]
        index_labels = labels.shape[1] == 1
        logits = ops.reshape(logits, (n, c, -1))
        labels = ops.reshape(labels, (n, labels.shape[1], -1))
        log_p = ops.log_softmax(logits, 1)
        if index_labels:
            hot = one_hot_like(labels[:, 0], log_p, 1)
            log_p = ops.sum(log_p * hot, 1)
        p = ops.exp(log_p)
        if self.weight is not None:
            w = ops.reshape(self.weight, (1, -1, 1))
            if index_labels:
                w = ops.sum(w * hot, 1)
            log_p = log_p * w
        modulating = ops.pow(1.0 - p, self.gamma)
        if index_labels:
            loss = ops.mean(-1.0 * modulating * log_p, 1)
        else:
            loss = ops.mean(-1.0 * modulating * labels * log_p, -1)
        return self.get_loss(loss)


class DiceLoss(LossBase):
    """MindSpore's ``nn.DiceLoss(smooth=1e-5)``: ``1 - 2 sum(x y) / (sum(x^2) + sum(y^2) +
    smooth)`` over every element of ``logits`` and ``label`` (same shape)."""

    def __init__(self, smooth: float = 1e-5) -> None:
        super().__init__()
        if isinstance(smooth, bool) or not isinstance(smooth, float) or smooth <= 0:
            raise ValueError("For 'DiceLoss', 'smooth' must be a positive float, got %r"
                             % (smooth,))
        self.smooth = smooth

    def construct(self, logits, label):
        x = ops.reshape(logits, (-1,))
        y = ops.reshape(label, (-1,))
        intersection = ops.sum(x * y)
        union = ops.sum(x * x) + ops.sum(y * y)
        return 1 - (2 * intersection) / (union + self.smooth)


class MultiClassDiceLoss(LossBase):
    """MindSpore's ``nn.MultiClassDiceLoss(weights=None, ignore_indiex=None,
    activation='softmax')`` (its spelling): the mean over the classes (axis 1) of
    :class:`DiceLoss` of each class's slice, after ``activation`` ('softmax', 'logsoftmax',
    'relu', 'relu6', 'tanh', 'sigmoid' as MindSpore's ``get_activation`` makes them: softmax
    over the LAST axis; a Cell; or None); class ``ignore_indiex`` left out of the sum (still
    counted in the mean); ``weights (C, k)`` scales class ``i`` by ``weights[i]``."""

    _ACTIVATIONS = ("softmax", "logsoftmax", "relu", "relu6", "tanh", "sigmoid")

    def __init__(self, weights: Any = None, ignore_indiex: Any = None,
                 activation: Any = "softmax") -> None:
        super().__init__()
        if weights is not None and not isinstance(weights, Tensor):
            raise TypeError("For 'MultiClassDiceLoss', 'weights' must be a Tensor, got %s"
                            % type(weights).__name__)
        if isinstance(weights, Tensor) and weights.ndim != 2:
            raise ValueError("For 'MultiClassDiceLoss', the dimension of 'weights' must be 2, "
                             "but got %d." % weights.ndim)
        if ignore_indiex is not None and (isinstance(ignore_indiex, bool)
                                          or not isinstance(ignore_indiex, int)):
            raise TypeError("For 'MultiClassDiceLoss', 'ignore_indiex' must be an int")
        if isinstance(activation, str):
            _check_string(activation, self._ACTIVATIONS, "activation", "MultiClassDiceLoss")
            activation = get_activation(activation)
        if activation is not None and not isinstance(activation, Cell):
            raise TypeError("For 'MultiClassDiceLoss', the 'activation' must be str or Cell, "
                            "but got %s." % type(activation).__name__)
        self.weights, self.ignore_indiex = weights, ignore_indiex
        self.activation = activation
        self.binarydiceloss = DiceLoss(smooth=1e-5)

    def construct(self, logits, label):
        if self.activation is not None:
            logits = self.activation(logits)
        total_loss = 0.0
        for i in range(label.shape[1]):
            if i != self.ignore_indiex:
                dice_loss = self.binarydiceloss(logits[:, i], label[:, i])
                if self.weights is not None:
                    dice_loss = dice_loss * self.weights[i]
                total_loss = total_loss + dice_loss
        return total_loss / label.shape[1]


class RMSELoss(LossBase):
    """MindSpore's ``nn.RMSELoss()``: ``sqrt(mean((logits - label)^2))``."""

    def __init__(self) -> None:
        super().__init__()
        self.MSELoss = MSELoss()

    def construct(self, logits, label):
        return ops.sqrt(self.MSELoss(logits, label))


class MAELoss(LossBase):
    """MindSpore's ``nn.MAELoss(reduction='mean')``: ``|logits - label|``, reduced."""

    def construct(self, logits, label):
        return self.get_loss(ops.abs(logits - label))


class MultiLabelSoftMarginLoss(LossBase):
    """MindSpore's ``nn.MultiLabelSoftMarginLoss(weight=None, reduction='mean')``.  See
    :func:`autograd_st.ops.multilabel_soft_margin_loss`."""

    def __init__(self, weight: Any = None, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.weight = weight

    def construct(self, x, target):
        return ops.multilabel_soft_margin_loss(x, target, self.weight, self.reduction)


class MultilabelMarginLoss(LossBase):
    """MindSpore's ``nn.MultilabelMarginLoss(reduction='mean')``.  See
    :func:`autograd_st.ops.multilabel_margin_loss`."""

    def construct(self, x, target):
        return ops.multilabel_margin_loss(x, target, self.reduction)


class CTCLoss(LossBase):
    """MindSpore's ``nn.CTCLoss(blank=0, reduction='mean', zero_infinity=False)``;
    ``construct(log_probs, targets, input_lengths, target_lengths)``, ``log_probs (T, N, C)``
    or unbatched ``(T, C)`` with ``targets (S,)`` or ``(1, S)``.  See
    :func:`autograd_st.ops.ctc_loss` (the first of its two outputs)."""

    def __init__(self, blank: int = 0, reduction: str = "mean",
                 zero_infinity: bool = False) -> None:
        super().__init__(reduction)
        self.blank, self.zero_infinity = blank, zero_infinity

    def construct(self, log_probs, targets, input_lengths, target_lengths):
        if log_probs.ndim == 2:
            if targets.ndim == 1:
                targets = ops.expand_dims(targets, 0)
            log_probs = ops.expand_dims(log_probs, -2)
            loss, _ = ops.ctc_loss(log_probs, targets, input_lengths, target_lengths,
                                   self.blank, self.reduction, self.zero_infinity)
            if self.reduction == "none":
                return ops.squeeze(loss, 0)
            return loss
        loss, _ = ops.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank,
                               self.reduction, self.zero_infinity)
        return loss


class L1Regularizer(Cell):
    """MindSpore's ``nn.L1Regularizer(scale)``: ``scale * sum(|weights|)`` (float32);
    ``scale`` a positive finite number."""

    def __init__(self, scale: float) -> None:
        super().__init__()
        if isinstance(scale, bool) or not isinstance(scale, (int, float)):
            raise TypeError("For 'L1Regularizer', the 'scale' must be an int or a float, but "
                            "got %s" % type(scale).__name__)
        if scale <= 0:
            raise ValueError("For 'L1Regularizer', the 'scale' must be greater than 0, but got "
                             "%r." % (scale,))
        if math.isinf(scale) or math.isnan(scale):
            raise ValueError("For 'L1Regularizer', the 'scale' can not be INF or NAN, but got "
                             "%r." % (scale,))
        self.scale = Tensor(np.float32(scale))

    def construct(self, weights):
        return self.scale * ops.sum(ops.abs(weights))
