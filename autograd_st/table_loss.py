"""The op-table rows for MindSpore 2.10's loss functionals and activations that autograd_st
lacked: ``ops.rrelu``, ``ops.prelu``, ``ops.multi_margin_loss``, ``ops.triplet_margin_loss``,
``ops.gaussian_nll_loss``, ``ops.soft_margin_loss``, ``ops.margin_ranking_loss``,
``ops.hinge_embedding_loss``, ``ops.multilabel_soft_margin_loss``,
``ops.multilabel_margin_loss``, ``ops.cosine_embedding_loss`` and ``ops.ctc_loss`` (each row one calling convention; see
:mod:`autograd_st.op_table`).

Signatures and defaults are MindSpore 2.10's (measured in the side venv); values and gradients
are checked against MindSpore's where its CPU build has a kernel
(``tests/ms_cases/cases/nlo_*.py``) and against finite differences.  MindSpore 2.10's CPU build
has no ``TripletMarginLoss``, ``SoftMarginLoss`` or ``MultilabelMarginLoss`` kernel: those
follow the formulas of MindSpore's documentation.  Every adapter is composed of existing
primitives, but for the CTC likelihood and RReLU's noise (:mod:`autograd_st.rules_loss`).

Takes: :class:`~autograd_st.op_row.Op`, :data:`~autograd_st.prims.P` and the primitives of
:mod:`autograd_st.rules_loss`.  Gives: :data:`OPS` and the adapters they name.
"""
from __future__ import annotations

import numpy as np

from . import rules_loss  # noqa: F401  (registers the primitives the rows name)
from .op_row import Op
from .prims import P, bindable

__all__ = ["OPS", "rrelu", "prelu", "multi_margin_loss", "triplet_margin_loss",
           "gaussian_nll_loss", "soft_margin_loss", "margin_ranking_loss",
           "hinge_embedding_loss", "multilabel_soft_margin_loss", "multilabel_margin_loss",
           "ctc_loss", "cosine_embedding_loss", "multi_margin", "check_reduction", "reduce"]

_REDUCTIONS = ("mean", "sum", "none")


def check_reduction(reduction, op: str) -> str:
    """``reduction`` if it is 'mean', 'sum' or 'none', else MindSpore's ValueError."""
    if reduction not in _REDUCTIONS:
        raise ValueError("For '%s', reduction must be one of 'mean', 'sum', 'none', got %r; "
                         "pass one of those" % (op, reduction))
    return reduction


def reduce(x, reduction, op):
    """``x`` averaged ('mean') or summed ('sum') over every element, or as it is ('none')."""
    check_reduction(reduction, op)
    if reduction == "mean":
        return P.mean(x)
    if reduction == "sum":
        return P.sum(x)
    return x


def _positive(x):
    """``max(x, 0)``; the gradient 0 at exactly 0 (as MindSpore's clamps give it)."""
    return P.where(P.greater(x, 0.0), x, 0.0)


# ---------------------------------------------------------------------------------------
# activations
# ---------------------------------------------------------------------------------------

def rrelu(input, lower=1.0 / 8, upper=1.0 / 3):
    """MindSpore's ``ops.rrelu(input, lower=1/8, upper=1/3)``: ``x`` where positive, ``a x``
    where negative with ``a`` drawn uniformly from ``[lower, upper)`` for each element at each
    call (in training and evaluation alike, as in MindSpore 2.10), 0 at 0.  The noise comes
    from the generator ``set_seed`` seeds; its draws differ from MindSpore's."""
    for name, v in (("upper", upper), ("lower", lower)):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise TypeError("For 'rrelu', '%s' must be an int or a float, but got %s"
                            % (name, type(v).__name__))
    if lower > upper:
        raise ValueError("For 'rrelu', the value of 'upper' must be greater than or equal to "
                         "'lower', but got upper: %r, lower: %r" % (upper, lower))
    slope = P.uniform_noise(input, float(lower), float(upper))
    return P.where(P.greater(input, 0.0), input,
                   P.where(P.less(input, 0.0), P.mul(input, slope), P.mul(input, 0.0)))


def prelu(input, weight):
    """MindSpore's ``ops.prelu(input, weight)``: ``x`` where positive, else ``weight * x``,
    ``weight`` (shape ``(C,)`` or ``(1,)``) along axis 1 (the channels)."""
    return P.where(P.greater(input, 0.0), input,
                   P.mul(input, P.reshape_along(weight, input, 1)))


# ---------------------------------------------------------------------------------------
# losses
# ---------------------------------------------------------------------------------------

def multi_margin_loss(input, target, p=1, margin=1, weight=None, reduction="mean"):
    """MindSpore's ``ops.multi_margin_loss(input, target, p=1, margin=1, weight=None,
    reduction='mean')``: per sample of ``input (N, C)``, ``sum_{i != y} w[y] max(0, margin -
    x[y] + x[i])^p / C`` (``p`` 1 or 2; ``margin`` an int, as MindSpore checks)."""
    if isinstance(margin, bool) or not isinstance(margin, int):
        raise TypeError("For 'multi_margin_loss', the type of 'margin' must be int, but got %s"
                        % (type(margin),))
    return multi_margin(input, target, p, float(margin), weight, reduction)


@bindable
def multi_margin(input, target, p, margin, weight, reduction):
    """:func:`multi_margin_loss` with any (float) ``margin``, as ``nn.MultiMarginLoss``
    passes it."""
    if p not in (1, 2):
        raise ValueError("For 'multi_margin_loss', p must be 1 or 2, got %r" % (p,))
    check_reduction(reduction, "multi_margin_loss")
    hot = P.one_hot_like(target, input, -1)
    picked = P.sum(P.mul(input, hot), axis=-1, keepdims=True)
    z = _positive(P.add(P.sub(float(margin), picked), input))
    if p == 2:
        z = P.mul(z, z)
    z = P.mul(z, P.sub(1.0, hot))
    if weight is not None:
        z = P.mul(z, P.sum(P.mul(hot, weight), axis=-1, keepdims=True))
    return reduce(P.mean(z, axis=-1), reduction, "multi_margin_loss")


def _lp_distance(x, y, p, eps):
    d = P.abs(P.add(P.sub(x, y), eps)) if eps else P.abs(P.sub(x, y))
    if p == 1:
        return P.sum(d, axis=-1)
    if p == 2:
        return P.sqrt(P.sum(P.mul(d, d), axis=-1))
    return P.pow(P.sum(P.pow(d, float(p)), axis=-1), 1.0 / p)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-06, swap=False,
                        reduction="mean"):
    """MindSpore's ``ops.triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2,
    eps=1e-06, swap=False, reduction='mean')``: ``max(d(a, p) - d(a, n) + margin, 0)`` with
    ``d(x, y) = ||x - y + eps||_p`` over the last axis; ``swap``: ``d(a, n)`` is
    ``min(d(a, n), d(p, n))``.  (MindSpore 2.10's CPU build has no kernel for it: this is
    its documented formula.)"""
    d_pos = _lp_distance(anchor, positive, p, eps)
    d_neg = _lp_distance(anchor, negative, p, eps)
    if swap:
        d_neg = P.minimum(d_neg, _lp_distance(positive, negative, p, eps))
    return reduce(_positive(P.add(P.sub(d_pos, d_neg), margin)), reduction,
                  "triplet_margin_loss")


def gaussian_nll_loss(x, target, var, full=False, eps=1e-6, reduction="mean"):
    """MindSpore's ``ops.gaussian_nll_loss(x, target, var, full=False, eps=1e-6,
    reduction='mean')``: ``0.5 (log max(var, eps) + (x - target)^2 / max(var, eps))``, plus
    ``0.5 log(2 pi)`` where ``full``; a ``var`` shaped like ``x`` without its last axis is one
    variance per sample."""
    if not isinstance(full, bool):
        raise TypeError("For 'gaussian_nll_loss', 'full' must be a bool, but got %s"
                        % (type(full).__name__,))
    if not isinstance(eps, float) or eps <= 0:
        raise ValueError("For 'gaussian_nll_loss', 'eps' must be a positive float, but got %r"
                         % (eps,))
    check_reduction(reduction, "gaussian_nll_loss")
    v = P.maximum(P.var_like(var, x), eps)
    d = P.sub(x, target)
    loss = P.mul(P.add(P.log(v), P.div(P.mul(d, d), v)), 0.5)
    if full:
        loss = P.add(loss, 0.9189385332046727)  # 0.5 log(2 pi)
    return reduce(loss, reduction, "gaussian_nll_loss")


def soft_margin_loss(input, target, reduction="mean"):
    """MindSpore's ``ops.soft_margin_loss(input, target, reduction='mean')``:
    ``log(1 + exp(-y x))`` (MindSpore 2.10's CPU build has no kernel for it: this is its
    documented formula)."""
    return reduce(P.softplus(P.neg(P.mul(target, input))), reduction, "soft_margin_loss")


def margin_ranking_loss(input1, input2, target, margin=0.0, reduction="mean"):
    """MindSpore's ``ops.margin_ranking_loss(input1, input2, target, margin=0.0,
    reduction='mean')``: ``max(0, -target (input1 - input2) + margin)`` (``margin`` a float,
    as MindSpore checks)."""
    if not isinstance(margin, float):
        raise TypeError("For 'margin_ranking_loss', the type of 'margin' must be float, but "
                        "got %s" % (type(margin).__name__,))
    x = P.add(P.neg(P.mul(target, P.sub(input1, input2))), margin)
    return reduce(_positive(x), reduction, "margin_ranking_loss")


def hinge_embedding_loss(inputs, targets, margin=1.0, reduction="mean"):
    """MindSpore's ``ops.hinge_embedding_loss(inputs, targets, margin=1.0, reduction='mean')``:
    ``x`` where the target is positive, ``max(0, margin - x)`` where it is negative, 0 where
    it is 0."""
    if isinstance(margin, bool) or not isinstance(margin, (int, float)):
        raise TypeError("For 'hinge_embedding_loss', 'margin' must be a float or an int, but "
                        "got %s" % (type(margin).__name__,))
    pos = P.where(P.greater(targets, 0), inputs, 0.0)
    neg = P.where(P.less(targets, 0), _positive(P.sub(float(margin), inputs)), 0.0)
    return reduce(P.add(pos, neg), reduction, "hinge_embedding_loss")


def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction="mean"):
    """MindSpore's ``ops.cosine_embedding_loss(input1, input2, target, margin=0.0,
    reduction='mean')``: with ``c`` the cosine of the rows (axis 1, no eps, as MindSpore
    computes it), ``1 - c`` where the target is 1, ``max(c - margin, 0)`` where it is -1, 0
    elsewhere; ``margin`` a number in [-1, 1]."""
    if isinstance(margin, bool) or not isinstance(margin, (int, float)):
        raise TypeError("For ops.cosine_embedding_loss, 'margin' must be float, but got %s"
                        % (type(margin).__name__,))
    if not -1.0 <= margin <= 1.0:
        raise ValueError("For ops.cosine_embedding_loss, the value of 'margin' should be in "
                         "[-1, 1], but got %r" % (margin,))
    check_reduction(reduction, "cosine_embedding_loss")
    prod = P.sum(P.mul(input1, input2), axis=1)
    denom = P.mul(P.sqrt(P.sum(P.square(input1), axis=1)),
                  P.sqrt(P.sum(P.square(input2), axis=1)))
    cosine = P.div(prod, denom)
    pos = P.where(P.equal(target, 1), P.sub(1.0, cosine), 0.0)
    neg = P.where(P.equal(target, -1), P.maximum(P.sub(cosine, float(margin)), 0.0), 0.0)
    return reduce(P.add(pos, neg), reduction, "cosine_embedding_loss")


def multilabel_soft_margin_loss(input, target, weight=None, reduction="mean"):
    """MindSpore's ``ops.multilabel_soft_margin_loss(input, target, weight=None,
    reduction='mean')``: ``y log(1 + exp(-x)) + (1 - y) log(1 + exp(x))``, times ``weight``,
    averaged over the class axis (the last), then reduced over the samples."""
    loss = P.add(P.mul(target, P.softplus(P.neg(input))),
                 P.mul(P.sub(1.0, target), P.softplus(input)))
    if weight is not None:
        loss = P.mul(loss, weight)
    return reduce(P.mean(loss, axis=-1), reduction, "multilabel_soft_margin_loss")


def multilabel_margin_loss(input, target, reduction="mean"):
    """MindSpore's ``ops.multilabel_margin_loss(input, target, reduction='mean')``: per sample
    of ``input ([N,] C)``, ``sum_j sum_{i not a target} max(0, 1 - (x[y_j] - x[i])) / C`` over
    the targets ``y_j``, the leading entries of ``target`` before its first -1.  (MindSpore
    2.10's CPU build has no kernel for it: this is its documented formula.)"""
    check_reduction(reduction, "multilabel_margin_loss")
    target = P.stop_gradient(target)
    valid = P.cumprod(P.astype(P.greater_equal(target, 0), np.int32), -1)
    idx = P.where(P.greater(valid, 0), target, -1)
    hot = P.one_hot(idx, P.getitem(P.shape(input), -1))              # (..., S, C)
    picked = P.sum(P.mul(hot, P.expand_dims(input, -2)), axis=-1)    # x[y_j], (..., S)
    is_target = P.minimum(P.sum(hot, axis=-2), 1.0)                  # (..., C)
    hinge = _positive(P.add(P.sub(1.0, P.expand_dims(picked, -1)), P.expand_dims(input, -2)))
    mask = P.mul(P.expand_dims(P.astype(valid, np.float32), -1),
                 P.expand_dims(P.sub(1.0, is_target), -2))
    loss = P.sum(P.mean(P.mul(hinge, mask), axis=-1), axis=-1)
    return reduce(loss, reduction, "multilabel_margin_loss")


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
             zero_infinity=False):
    """MindSpore's ``ops.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0,
    reduction='mean', zero_infinity=False)``: ``(loss, log_alpha)`` for ``log_probs (T, N,
    C)`` and padded ``targets (N, S)``; 'mean' averages each sample's negative
    log-likelihood divided by its target length.

    As MindSpore 2.10 (measured): the gradient w.r.t. ``log_probs`` is ``exp(log_probs) -
    posterior`` within each sample's input length (the gradient through a log-softmax,
    which MindSpore's kernel assumes); ``zero_infinity`` zeroes the gradient of a sample
    without any alignment but leaves its loss ``inf``; an input length below its target
    length is an error.  Only first derivatives are exact: a second derivative w.r.t.
    ``log_probs`` leaves out the likelihood's Hessian (see :mod:`autograd_st.rules_loss`)."""
    check_reduction(reduction, "ctc_loss")
    targets = P.stop_gradient(targets)
    nll = P.ctc_nll(log_probs, targets, input_lengths, target_lengths, blank)
    # MindSpore's extra term: its value is 0, its gradient exp(log_probs) in the sample's time
    probs = P.sum(P.mul(P.exp(log_probs), P.ctc_time_mask(log_probs, input_lengths)),
                  axis=(0, 2))
    extra = P.sub(probs, P.stop_gradient(probs))
    if zero_infinity:
        extra = P.where(P.isinf(nll), 0.0, extra)
    nll = P.add(nll, extra)
    if reduction == "mean":
        lengths = P.maximum(P.astype(target_lengths, np.float32), 1.0)
        loss = P.mean(P.div(nll, P.cast_like(lengths, nll)))
    elif reduction == "sum":
        loss = P.sum(nll)
    else:
        loss = nll
    return loss, P.ctc_log_alpha(log_probs, targets, input_lengths, target_lengths, blank)


# ---------------------------------------------------------------------------------------
# the rows
# ---------------------------------------------------------------------------------------

#: the rows (``op_table`` publishes them as ``autograd_st.ops.<name>``).
OPS: tuple[Op, ...] = (
    Op("uniform_noise", fn=rrelu, ops=("rrelu",)),
    Op("where", fn=prelu, ops=("prelu",)),
    Op("one_hot_like", fn=multi_margin_loss, ops=("multi_margin_loss",)),
    Op("sqrt", fn=triplet_margin_loss, ops=("triplet_margin_loss",)),
    Op("var_like", fn=gaussian_nll_loss, ops=("gaussian_nll_loss",)),
    Op("softplus", fn=soft_margin_loss, ops=("soft_margin_loss",)),
    Op("where", fn=margin_ranking_loss, ops=("margin_ranking_loss",)),
    Op("where", fn=hinge_embedding_loss, ops=("hinge_embedding_loss",)),
    Op("where", fn=cosine_embedding_loss, ops=("cosine_embedding_loss",)),
    Op("softplus", fn=multilabel_soft_margin_loss, ops=("multilabel_soft_margin_loss",)),
    Op("one_hot", fn=multilabel_margin_loss, ops=("multilabel_margin_loss",)),
    Op("ctc_nll", fn=ctc_loss, ops=("ctc_loss",)),
)
