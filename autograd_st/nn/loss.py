"""Loss functions with MindSpore 2.x semantics: ``nn.MSELoss``, ``nn.L1Loss``,
``nn.SmoothL1Loss``, ``nn.SoftmaxCrossEntropyWithLogits``, ``nn.CrossEntropyLoss``,
``nn.NLLLoss`` and ``nn.BCEWithLogitsLoss``.

Each ``construct`` calls one :func:`~autograd_st.prims.bindable` helper written over ``P``:
the helper runs as ordinary Python when the compiler binds it (its ``if`` on the reduction
string is decided then), so the losses differentiate like any other code.

Defaults that differ between losses follow MindSpore: ``SmoothL1Loss`` and
``SoftmaxCrossEntropyWithLogits`` default to ``reduction='none'``, the others to ``'mean'``.
Class-index targets are integer Tensors; one-hot encoding them has no gradient.
"""
from __future__ import annotations

from typing import Any

from .. import ops
from ..cell import Cell
from ..ops.nn_func import one_hot_like, reshape_along, softplus
from ..prims import P, bindable
from ..tensor import Tensor

__all__ = ["LossBase", "MSELoss", "L1Loss", "SmoothL1Loss", "SoftmaxCrossEntropyWithLogits",
           "CrossEntropyLoss", "NLLLoss", "BCEWithLogitsLoss"]

_REDUCTIONS = ("mean", "sum", "none")


@bindable
def reduce_loss(x, reduction="mean", weights=1.0):
    """``x * weights`` reduced by ``reduction``: 'mean' and 'sum' over every axis, 'none'."""
    if not (isinstance(weights, (int, float)) and weights == 1.0):
        x = P.mul(x, weights)
    if reduction == "mean":
        return P.mean(x)
    if reduction == "sum":
        return P.sum(x)
    return x


def _check_reduction(reduction: str, cls: str) -> str:
    if reduction not in _REDUCTIONS:
        raise ValueError("For '%s', reduction must be one of 'mean', 'sum', 'none'; got %r"
                         % (cls, reduction))
    return reduction


class LossBase(Cell):
    """Base class of losses: holds ``reduction`` and applies it in :meth:`get_loss`."""

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = _check_reduction(reduction, type(self).__name__)
        self.average = reduction == "mean"
        self.reduce = reduction != "none"

    def get_loss(self, x, weights=1.0):
        """``x`` times ``weights``, reduced as ``self.reduction`` says."""
        return reduce_loss(x, self.reduction, weights)

    def construct(self, logits, labels):
        raise NotImplementedError("%s must define construct()" % type(self).__name__)


class MSELoss(LossBase):
    """Mean squared error: ``(logits - labels) ** 2``, reduced."""

    def construct(self, logits, labels):
        diff = logits - labels
        return reduce_loss(diff * diff, self.reduction)


class L1Loss(LossBase):
    """Mean absolute error: ``|logits - labels|``, reduced."""

    def construct(self, logits, labels):
        return reduce_loss(ops.abs(logits - labels), self.reduction)


@bindable
def smooth_l1(logits, labels, beta):
    """``0.5 d^2 / beta`` where ``d = |logits - labels| < beta``, else ``d - 0.5 beta``."""
    diff = P.abs(P.sub(logits, labels))
    quadratic = P.div(P.mul(P.mul(diff, diff), 0.5), beta)
    linear = P.sub(diff, 0.5 * beta)
    return P.where(P.less(diff, beta), quadratic, linear)


class SmoothL1Loss(LossBase):
    """Huber-style loss (MindSpore's default reduction here is ``'none'``)."""

    def __init__(self, beta: float = 1.0, reduction: str = "none") -> None:
        super().__init__(reduction)
        if beta <= 0:
            raise ValueError("SmoothL1Loss: beta must be > 0, got %r" % (beta,))
        self.beta = float(beta)

    def construct(self, logits, labels):
        return reduce_loss(smooth_l1(logits, labels, self.beta), self.reduction)


@bindable
def softmax_cross_entropy(logits, labels, sparse):
    """``-sum(labels * log_softmax(logits), -1)`` per sample; ``sparse``: int class labels."""
    if sparse:  # one fused kernel each way (autograd_st.kernels.sparse_softmax_xent)
        return P.sparse_softmax_xent(logits, labels)
    labels = P.stop_gradient(labels)  # MindSpore's kernel gives the labels no gradient
    # a class of probability 0 adds 0 (0 log q = 0) even where its logit is masked (-inf),
    # where labels * log_softmax would be 0 * -inf = nan (MindSpore 2.10's kernel gives nan)
    logp = P.where(P.not_equal(labels, 0.0), P.log_softmax(logits, axis=-1), 0.0)
    return P.neg(P.sum(P.mul(labels, logp), axis=-1))


class SoftmaxCrossEntropyWithLogits(LossBase):
    """Softmax cross entropy between ``logits (N, C)`` and one-hot ``labels (N, C)``, or int
    class ``labels (N,)`` with ``sparse=True``; default ``reduction='none'`` (one per sample)."""

    def __init__(self, sparse: bool = False, reduction: str = "none") -> None:
        super().__init__(reduction)
        self.sparse = bool(sparse)

    def construct(self, logits, labels):
        return reduce_loss(softmax_cross_entropy(logits, labels, self.sparse), self.reduction)


@bindable
def nll(log_probs, labels, weight=None, ignore_index=-100, reduction="mean",
        label_smoothing=0.0):
    """Negative log-likelihood of class indices, as MindSpore's ``nll_loss``.

    ``log_probs`` is ``(N, C)`` or ``(N, C, d1, ...)`` (classes on axis 1) and ``labels``
    ``(N,)`` or ``(N, d1, ...)``.  Per sample ``-w[y] log_probs[y]`` (0 where ``y`` is
    ``ignore_index``); 'mean' divides the sum by the total weight of the counted samples.
    Label smoothing mixes in ``-mean_c(w_c log_probs_c)`` with weight ``label_smoothing``.
    A class other than the target with log-probability ``-inf`` (a masked logit) leaves the
    loss finite, with a finite gradient (MindSpore 2.10 gives nan); with label smoothing the
    loss is then ``inf``, as it truly is.
    """
    hot = one_hot_like(labels, log_probs, 1, ignore_index)
    weighted_logp = log_probs
    hot_w = hot
    if weight is not None:
        w = reshape_along(weight, log_probs, 1)
        weighted_logp = P.mul(log_probs, w)
        hot_w = P.mul(hot, w)
    # the target's log-probability selected, not multiplied out by the one-hot: a masked
    # class (log-probability -inf) elsewhere in the row would make 0 * -inf = nan
    target_logp = P.where(P.greater(hot, 0.0), log_probs, 0.0)
    loss = P.neg(P.sum(P.mul(target_logp, hot_w), axis=1))
    if label_smoothing > 0.0:
        counted = P.sum(hot, axis=1)  # 1 per counted sample, 0 per ignored one
        smooth = P.mul(P.neg(P.mean(weighted_logp, axis=1)), counted)
    if reduction == "mean":
        total = P.sum(hot_w)
        loss = P.div(P.sum(loss), total)
        if label_smoothing > 0.0:
            smooth = P.div(P.sum(smooth), total)
    elif reduction == "sum":
        loss = P.sum(loss)
        if label_smoothing > 0.0:
            smooth = P.sum(smooth)
    if label_smoothing > 0.0:
        loss = P.add(P.mul(loss, 1.0 - label_smoothing), P.mul(smooth, label_smoothing))
    return loss


def _weight_tensor(weight: Any):
    if weight is None or isinstance(weight, Tensor):
        return weight
    return Tensor(weight)


@bindable
def cross_entropy(logits, labels, weight=None, ignore_index=-100, reduction="mean",
                  label_smoothing=0.0):
    """MindSpore's cross entropy of ``logits (N, C[, d1, ...])`` (classes on axis 1) and
    either integer class indices ``(N[, d1, ...])`` or float class probabilities shaped like
    the logits, told apart at run time by the labels' dtype (``P.class_targets``).

    Per sample ``-sum_c w_c t_c log_softmax(logits)_c``; label smoothing mixes in
    ``-mean_c(w_c log p_c)`` with weight ``label_smoothing``.  'mean' divides by the total
    weight of the counted samples for class indices (0 where the index is
    ``ignore_index``), by the number of samples for probabilities (as MindSpore 2.10
    measures).  The labels get no gradient.
    """
    log_probs = P.log_softmax(logits, axis=1)
    hot = P.class_targets(labels, log_probs, 1, ignore_index)
    soft = P.soft_labels(labels, log_probs)  # 1: probabilities, 0: indices
    weighted_logp = log_probs
    hot_w = hot
    if weight is not None:
        w = reshape_along(weight, log_probs, 1)
        weighted_logp = P.mul(log_probs, w)
        hot_w = P.mul(hot, w)
    # the targets' log-probabilities selected, so a masked class (-inf) elsewhere adds 0
    target_logp = P.where(P.not_equal(hot, 0.0), log_probs, 0.0)
    loss = P.neg(P.sum(P.mul(target_logp, hot_w), axis=1))
    if label_smoothing > 0.0:
        counted = P.add(soft, P.mul(P.sub(1.0, soft), P.sum(hot, axis=1)))
        smooth = P.mul(P.neg(P.mean(weighted_logp, axis=1)), counted)
        loss = P.add(P.mul(loss, 1.0 - label_smoothing), P.mul(smooth, label_smoothing))
    if reduction == "mean":
        by_weight = P.div(P.sum(loss), P.sum(hot_w))
        loss = P.where(P.greater(soft, 0.5), P.mean(loss), by_weight)
    elif reduction == "sum":
        loss = P.sum(loss)
    return loss


class CrossEntropyLoss(LossBase):
    """MindSpore's ``nn.CrossEntropyLoss(weight=None, ignore_index=-100, reduction='mean',
    label_smoothing=0.0)`` of ``logits (N, C[, d1, ...])`` and integer class indices or
    float class probabilities (see :func:`cross_entropy`)."""

    def __init__(self, weight: Any = None, ignore_index: int = -100, reduction: str = "mean",
                 label_smoothing: float = 0.0) -> None:
        super().__init__(reduction)
        if not 0.0 <= label_smoothing <= 1.0:
            raise ValueError("CrossEntropyLoss: label_smoothing must be in [0, 1], got %r"
                             % (label_smoothing,))
        self.weight = _weight_tensor(weight)
        self.ignore_index = int(ignore_index)
        self.label_smoothing = float(label_smoothing)

    def construct(self, logits, labels):
        return cross_entropy(logits, labels, self.weight, self.ignore_index, self.reduction,
                             self.label_smoothing)


class NLLLoss(LossBase):
    """Negative log-likelihood of log-probabilities ``(N, C[, d1, ...])`` and class indices."""

    def __init__(self, weight: Any = None, ignore_index: int = -100,
                 reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.weight = _weight_tensor(weight)
        self.ignore_index = int(ignore_index)

    def construct(self, logits, labels):
        return nll(logits, labels, self.weight, self.ignore_index, self.reduction, 0.0)


@bindable
def bce_with_logits(logits, labels, weight=None, pos_weight=None):
    """``-w [pw y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))]``, computed as
    ``w [(1 - y) softplus(x) + pw y softplus(-x)]`` (no overflow for large ``|x|``).

    Each term is taken only where its label weight is not zero, so a masked logit (``-inf``
    with label 0, ``+inf`` with label 1) adds 0 with a zero gradient, where ``0 * inf`` (and
    MindSpore 2.10's ``(1 - y) x + (1 + (pw - 1) y) softplus(-x)``: ``-inf + inf``) is nan."""
    labels = P.stop_gradient(labels)
    neg = P.mul(P.sub(1.0, labels), P.where(P.not_equal(labels, 1.0), softplus(logits), 0.0))
    pos = P.mul(labels, P.where(P.not_equal(labels, 0.0), softplus(P.neg(logits)), 0.0))
    if pos_weight is not None:
        pos = P.mul(pos_weight, pos)
    loss = P.add(neg, pos)
    if weight is not None:
        loss = P.mul(loss, weight)
    return loss


class BCEWithLogitsLoss(LossBase):
    """Binary cross entropy on logits, with optional ``weight`` and ``pos_weight`` Tensors
    (broadcast against the logits)."""

    def __init__(self, reduction: str = "mean", weight: Any = None,
                 pos_weight: Any = None) -> None:
        super().__init__(reduction)
        self.weight = _weight_tensor(weight)
        self.pos_weight = _weight_tensor(pos_weight)

    def construct(self, logits, labels):
        loss = bce_with_logits(logits, labels, self.weight, self.pos_weight)
        return reduce_loss(loss, self.reduction)
