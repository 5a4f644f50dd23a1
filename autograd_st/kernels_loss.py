"""Numpy kernels behind the loss and activation primitives of :mod:`autograd_st.rules_loss`:
the connectionist temporal classification (CTC) forward-backward and the uniform noise of
``nn.RReLU``.

Like :mod:`autograd_st.kernels`, each function works on raw numpy arrays and is tagged with
the primitive whose parameters it takes, in the same order.

CTC layout is MindSpore's: ``log_probs (T, N, C)``, ``targets (N, S)`` padded class indices,
``input_lengths (N,)``, ``target_lengths (N,)``; the extended label of sample ``n`` is
``blank, l1, blank, l2, ..., blank`` (``2 target_lengths[n] + 1`` states).
"""
from __future__ import annotations

import numpy as np

from .context import DROPOUT_RNG as _DROPOUT_RNG
from .errors import InputValueError

__all__ = ["uniform_noise", "ctc_nll", "ctc_nll_grad", "ctc_log_alpha", "ctc_time_mask",
           "var_like", "KERNEL_NAMES"]


def _tag(prim_name: str):
    def deco(fn):
        fn._autograd_st_prim = prim_name
        return fn
    return deco


@_tag("uniform_noise")
def uniform_noise(x, lower, upper):
    """Noise shaped and typed like ``x`` (float32 for an integer ``x``), uniform in
    ``[lower, upper)``, drawn from the generator ``set_seed`` seeds (dropout's)."""
    x = np.asarray(x)
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(np.float32)
    return _DROPOUT_RNG[0].uniform(lower, upper, x.shape).astype(dtype)


def _lse(a, b):
    m = np.maximum(a, b)
    with np.errstate(invalid="ignore"):
        out = m + np.log1p(np.exp(-np.abs(a - b)))
    return np.where(np.isneginf(m), -np.inf, out)


def _check(log_probs, targets, input_lengths, target_lengths, blank):
    lp = np.asarray(log_probs)
    if lp.ndim != 3:
        raise InputValueError("For 'ctc_loss', log_probs must be (T, N, C), got shape %s; "
                              "pass the time-major log-probabilities" % (lp.shape,))
    T, N, C = lp.shape
    tg = np.asarray(targets).reshape(N, -1) if np.ndim(targets) != 2 else np.asarray(targets)
    il = np.broadcast_to(np.asarray(input_lengths, np.int64).reshape(-1), (N,))
    tl = np.broadcast_to(np.asarray(target_lengths, np.int64).reshape(-1), (N,))
    if not 0 <= blank < C:
        raise InputValueError("For 'ctc_loss', blank must be in [0, %d), got %r" % (C, blank))
    for n in range(N):
        if not 0 <= tl[n] <= min(il[n], tg.shape[1]) or il[n] > T:
            raise InputValueError(
                "For 'ctc_loss', sample %d has input length %d and target length %d (time "
                "steps %d, target width %d): each input length must be at most T and at least "
                "its target length (as MindSpore's kernel requires)"
                % (n, il[n], tl[n], T, tg.shape[1]))
    return lp, tg, il, tl


def _forward_backward(log_probs, targets, input_lengths, target_lengths, blank, need_beta):
    """``(nll (N,), alphas, betas, labels)``: per sample, the log forward (and backward)
    variables over its extended label, each ``(input_length, 2 target_length + 1)``."""
    lp, tg, il, tl = _check(log_probs, targets, input_lengths, target_lengths, blank)
    N = lp.shape[1]
    dtype = lp.dtype if lp.dtype.kind == "f" else np.dtype(np.float32)
    work = lp.astype(np.float64)
    nll = np.zeros(N, dtype)
    alphas, betas, labels = [], [], []
    for n in range(N):
        t_len, s_len = int(il[n]), 2 * int(tl[n]) + 1
        lab = np.full(s_len, blank, np.int64)
        lab[1::2] = tg[n, :tl[n]]
        # a transition s-2 -> s is allowed into a label state (odd s) whose label differs
        # from the one two back (a target equal to the blank counts as a label, as in
        # MindSpore's kernel)
        skip = np.zeros(s_len, bool)
        skip[3::2] = lab[3::2] != lab[1:-2:2]
        emit = work[:t_len, n, :][:, lab] if t_len else np.zeros((0, s_len))
        alpha = np.full((t_len, s_len), -np.inf)
        if t_len:
            alpha[0, 0] = emit[0, 0]
            if s_len > 1:
                alpha[0, 1] = emit[0, 1]
        for t in range(1, t_len):
            prev = alpha[t - 1]
            acc = prev.copy()
            acc[1:] = _lse(acc[1:], prev[:-1])
            acc[2:] = np.where(skip[2:], _lse(acc[2:], prev[:-2]), acc[2:])
            alpha[t] = acc + emit[t]
        if t_len == 0:
            total = 0.0 if s_len == 1 else -np.inf
        elif s_len > 1:
            total = _lse(alpha[-1, -1], alpha[-1, -2])
        else:
            total = alpha[-1, -1]
        nll[n] = -total
        alphas.append(alpha)
        labels.append(lab)
        if need_beta:
            beta = np.full((t_len, s_len), -np.inf)
            if t_len:
                beta[-1, -1] = emit[-1, -1]
                if s_len > 1:
                    beta[-1, -2] = emit[-1, -2]
            nskip = np.zeros(s_len, bool)  # s -> s+2 allowed where skip[s+2]
            nskip[:-2] = skip[2:]
            for t in range(t_len - 2, -1, -1):
                nxt = beta[t + 1]
                acc = nxt.copy()
                acc[:-1] = _lse(acc[:-1], nxt[1:])
                acc[:-2] = np.where(nskip[:-2], _lse(acc[:-2], nxt[2:]), acc[:-2])
                beta[t] = acc + emit[t]
            betas.append(beta)
    return nll, alphas, betas, labels, lp.shape


@_tag("ctc_nll")
def ctc_nll(log_probs, targets, input_lengths, target_lengths, blank=0):
    """The negative log-likelihood of each sample's target, ``(N,)`` (``inf`` where no
    alignment fits in the sample's input length)."""
    return _forward_backward(log_probs, targets, input_lengths, target_lengths, blank,
                             False)[0]


@_tag("ctc_nll_grad")
def ctc_nll_grad(log_probs, targets, input_lengths, target_lengths, blank, dloss):
    """``d nll / d log_probs`` times ``dloss (N,)``: minus the posterior of each (time,
    class) over the alignments, ``(T, N, C)``; 0 past a sample's input length and for a
    sample whose likelihood is 0."""
    nll, alphas, betas, labels, shape = _forward_backward(
        log_probs, targets, input_lengths, target_lengths, blank, True)
    T, N, C = shape
    dloss = np.broadcast_to(np.asarray(dloss, np.float64), (N,))
    lp = np.asarray(log_probs, np.float64)
    grad = np.zeros((T, N, C))
    for n in range(N):
        if not np.isfinite(nll[n]) or dloss[n] == 0:
            continue
        alpha, beta, lab = alphas[n], betas[n], labels[n]
        t_len = alpha.shape[0]
        if not t_len:
            continue
        with np.errstate(invalid="ignore"):
            post = np.exp(alpha + beta - lp[:t_len, n, :][:, lab] + nll[n])
        post = np.nan_to_num(post)
        acc = np.zeros((t_len, C))
        np.add.at(acc, (slice(None), lab), post)
        grad[:t_len, n, :] = -acc * dloss[n]
    dtype = np.asarray(log_probs).dtype
    return grad.astype(dtype if dtype.kind == "f" else np.float32)


@_tag("ctc_log_alpha")
def ctc_log_alpha(log_probs, targets, input_lengths, target_lengths, blank=0):
    """MindSpore's second output of ``ops.ctc_loss``: the log forward variables ``(N, T,
    2 S + 1)`` (``S`` the targets' width), ``-inf`` where a state is unreachable, past the
    sample's input length or past its extended label."""
    _, alphas, _, _, shape = _forward_backward(log_probs, targets, input_lengths,
                                               target_lengths, blank, False)
    T, N, _ = shape
    width = 2 * np.asarray(targets).reshape(N, -1).shape[1] + 1
    out = np.full((N, T, width), -np.inf)
    for n, alpha in enumerate(alphas):
        out[n, :alpha.shape[0], :alpha.shape[1]] = alpha
    dtype = np.asarray(log_probs).dtype
    return out.astype(dtype if dtype.kind == "f" else np.float32)


@_tag("ctc_time_mask")
def ctc_time_mask(log_probs, input_lengths):
    """``(T, N, 1)``: 1 where the time step is within the sample's input length, else 0
    (typed like ``log_probs``)."""
    lp = np.asarray(log_probs)
    il = np.asarray(input_lengths).reshape(-1)
    dtype = lp.dtype if lp.dtype.kind == "f" else np.dtype(np.float32)
    return (np.arange(lp.shape[0])[:, None] < il[None, :]).astype(dtype)[..., None]


@_tag("var_like")
def var_like(var, x):
    """``var`` with a trailing axis of length 1 where its shape is ``x``'s without the last
    axis (``gaussian_nll_loss``'s one variance per sample), else ``var`` itself."""
    var = np.asarray(var)
    shape = np.shape(x)
    if var.shape != shape and var.shape == shape[:-1]:
        return var.reshape(var.shape + (1,))
    return var


KERNEL_NAMES = ("uniform_noise", "ctc_nll", "ctc_nll_grad", "ctc_log_alpha", "ctc_time_mask",
                "var_like")
"""The kernels primitive and rule templates call by name."""
