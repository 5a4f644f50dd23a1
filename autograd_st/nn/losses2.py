"""More losses with MindSpore 2.10's signatures, defaults and numbers (measured in the side
venv): ``nn.BCELoss``, ``nn.KLDivLoss``, ``nn.HuberLoss``, ``nn.CosineEmbeddingLoss``.

Each ``construct`` calls one :func:`~autograd_st.prims.bindable` helper written over ``P`` and
reduces with :func:`autograd_st.nn.loss.reduce_loss`.  Labels and targets get no gradient,
as in MindSpore.
"""
from __future__ import annotations

from typing import Any

from ..prims import P, bindable
from .loss import LossBase, _weight_tensor, reduce_loss

__all__ = ["BCELoss", "KLDivLoss", "HuberLoss", "CosineEmbeddingLoss"]

_BCE_EPS = 1e-12  # MindSpore's BCELoss: log(max(p, 1e-12)), so p = 0 or 1 gives 27.631


@bindable
def binary_cross_entropy(probs, labels, weight=None):
    """``-w [y log p + (1 - y) log(1 - p)]`` with each log at least ``log(1e-12)``; a term
    whose label weight is 0 is left out (no ``0 * log 0``).  At exactly ``p = 0`` or ``1``
    the gradient is the clamped formula's (MindSpore's kernel divides by ``max(p (1 - p),
    eps)`` and gives 0 where ``p = y``)."""
    labels = P.stop_gradient(labels)
    log_p = P.log(P.maximum(probs, _BCE_EPS))
    log_q = P.log(P.maximum(P.sub(1.0, probs), _BCE_EPS))
    pos = P.mul(labels, P.where(P.not_equal(labels, 0.0), log_p, 0.0))
    neg = P.mul(P.sub(1.0, labels), P.where(P.not_equal(labels, 1.0), log_q, 0.0))
    loss = P.neg(P.add(pos, neg))
    if weight is not None:
        loss = P.mul(loss, weight)
    return loss


class BCELoss(LossBase):
    """MindSpore's ``nn.BCELoss(weight=None, reduction='mean')`` on probabilities."""

    def __init__(self, weight: Any = None, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.weight = _weight_tensor(weight)

    def construct(self, logits, labels):
        return reduce_loss(binary_cross_entropy(logits, labels, self.weight), self.reduction)


@bindable
def kl_div(logits, labels, reduction):
    """``labels (log labels - logits)`` (0 where a label is 0); 'batchmean' divides the
    sum by the batch size (axis 0)."""
    labels = P.stop_gradient(labels)
    safe = P.where(P.greater(labels, 0.0), labels, 1.0)
    loss = P.mul(labels, P.sub(P.log(safe), logits))
    if reduction == "batchmean":  # the sum over each sample's axes, averaged over axis 0
        return P.mean(P.sum(P.flatten(loss, 1, -1), axis=1))
    return reduce_loss(loss, reduction)


class KLDivLoss(LossBase):
    """MindSpore's ``nn.KLDivLoss(reduction='mean')`` of log-probabilities ``logits`` and
    probabilities ``labels``: ``labels (log labels - logits)``, reduced by 'mean' (over every
    element), 'sum', 'batchmean' (the sum over the batch size) or 'none'."""

    def __init__(self, reduction: str = "mean") -> None:
        if reduction not in ("mean", "sum", "none", "batchmean"):
            raise ValueError("For 'KLDivLoss', reduction must be one of 'mean', 'sum', "
                             "'batchmean', 'none'; got %r" % (reduction,))
        super().__init__("mean" if reduction == "batchmean" else reduction)
        self.reduction = reduction

    def construct(self, logits, labels):
        return kl_div(logits, labels, self.reduction)


@bindable
def huber(input, target, delta):
    """``0.5 d^2`` where ``|d| <= delta``, else ``delta (|d| - 0.5 delta)``."""
    diff = P.sub(input, P.stop_gradient(target))
    ad = P.abs(diff)
    quadratic = P.mul(P.mul(diff, diff), 0.5)
    linear = P.mul(P.sub(ad, 0.5 * delta), delta)
    return P.where(P.greater(ad, delta), linear, quadratic)


class HuberLoss(LossBase):
    """MindSpore's ``nn.HuberLoss(reduction='mean', delta=1.0)``."""

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction)
        if delta <= 0:
            raise ValueError("For 'HuberLoss', delta must be > 0, got %r" % (delta,))
        self.delta = float(delta)

    def construct(self, logits, labels):
        return reduce_loss(huber(logits, labels, self.delta), self.reduction)


@bindable
def cosine_embedding(x1, x2, target, margin):
    """``1 - cos(x1, x2)`` where ``target`` is 1, ``max(0, cos - margin)`` where it is -1;
    the cosine along axis 1 (features)."""
    dot = P.sum(P.mul(x1, x2), axis=1)
    n1 = P.sum(P.mul(x1, x1), axis=1)
    n2 = P.sum(P.mul(x2, x2), axis=1)
    cos = P.div(dot, P.sqrt(P.mul(n1, n2)))
    pos = P.sub(1.0, cos)
    neg = P.maximum(P.sub(cos, margin), 0.0)
    return P.where(P.equal(target, 1), pos, P.where(P.equal(target, -1), neg, 0.0))


class CosineEmbeddingLoss(LossBase):
    """MindSpore's ``nn.CosineEmbeddingLoss(margin=0.0, reduction='mean')``: inputs
    ``(N, D)``, target ``(N,)`` of 1 and -1."""

    def __init__(self, margin: float = 0.0, reduction: str = "mean") -> None:
        super().__init__(reduction)
        if not -1.0 <= margin <= 1.0:
            raise ValueError("For 'CosineEmbeddingLoss', margin must be in [-1, 1], got %r"
                             % (margin,))
        self.margin = float(margin)

    def construct(self, logits_x1, logits_x2, labels):
        return reduce_loss(cosine_embedding(logits_x1, logits_x2, labels, self.margin),
                           self.reduction)
