"""Primitives and rules for the losses and activations of :mod:`autograd_st.table_loss` that
cannot be composed of existing primitives: the CTC negative log-likelihood (its forward-backward
in :mod:`autograd_st.kernels_loss`), its gradient, MindSpore's ``log_alpha`` output, and the
uniform noise of ``nn.RReLU`` (no gradient).

``ctc_nll``'s reverse rule is the true derivative of the likelihood, ``-posterior`` (checked
against finite differences); MindSpore's extra ``exp(log_probs)`` term (its gradient assumes
the inputs come out of a log-softmax) is added by the adapter ``table_loss.ctc_loss``.
Second derivatives of ``ctc_nll`` are not provided: ``ctc_nll_grad`` depends on both its
``log_probs`` and its ``dloss`` but is registered ``refused``, so the compiler refuses a
gradient through it (a second derivative of a CTC loss) instead of leaving out the
likelihood's Hessian.

Takes: :mod:`autograd_st.rules` (``primitive``, ``vjp``, ``jvp``) and the kernels.
Gives: the primitives, by registering them.
"""
from __future__ import annotations

import numpy as np

from .kernels_loss import (
    ctc_log_alpha,
    ctc_nll,
    ctc_nll_grad,
    ctc_time_mask,
    uniform_noise,
    var_like,
)
from .rules import jvp, primitive, vjp
from .runtime import ones_like

__all__ = ["LOSS_PRIMITIVES", "uniform_noise_", "ctc_nll_", "ctc_nll_grad_", "ctc_log_alpha_",
           "ctc_time_mask_", "var_like_"]


@primitive(name="uniform_noise", diff=(), random=True)
def uniform_noise_(x, lower=0.0, upper=1.0):
    return uniform_noise(x, lower, upper)


@primitive(name="ctc_nll", diff=("log_probs",))
def ctc_nll_(log_probs, targets, input_lengths, target_lengths, blank=0):
    return ctc_nll(log_probs, targets, input_lengths, target_lengths, blank)


@vjp(ctc_nll_)
def _(dout, out, log_probs, targets, input_lengths, target_lengths, blank):
    return (ctc_nll_grad(log_probs, targets, input_lengths, target_lengths, blank, dout),)


@jvp(ctc_nll_)
def _(out, log_probs, targets, input_lengths, target_lengths, blank, dlog_probs):
    return (np.sum(dlog_probs * ctc_nll_grad(log_probs, targets, input_lengths, target_lengths,
                                             blank, ones_like(out)), axis=(0, 2)),)


@primitive(name="ctc_nll_grad", diff=("log_probs", "dloss"),
           refused="a second derivative of ctc_loss")
def ctc_nll_grad_(log_probs, targets, input_lengths, target_lengths, blank, dloss):
    return ctc_nll_grad(log_probs, targets, input_lengths, target_lengths, blank, dloss)


@primitive(name="ctc_log_alpha", diff=())
def ctc_log_alpha_(log_probs, targets, input_lengths, target_lengths, blank=0):
    return ctc_log_alpha(log_probs, targets, input_lengths, target_lengths, blank)


@primitive(name="ctc_time_mask", diff=())
def ctc_time_mask_(log_probs, input_lengths):
    return ctc_time_mask(log_probs, input_lengths)


@primitive(name="var_like", diff=("var",))
def var_like_(var, x):
    return var_like(var, x)


@vjp(var_like_)
def _(dout, out, var, x):
    return (np.reshape(dout, np.shape(var)),)


@jvp(var_like_)
def _(out, var, x, dvar):
    return (var_like(dvar, x),)


LOSS_PRIMITIVES = ("uniform_noise", "ctc_nll", "ctc_nll_grad", "ctc_log_alpha", "ctc_time_mask",
                   "var_like")
