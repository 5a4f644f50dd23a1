"""Numerics at the edges finite differences cannot check: ties, masked logits, empty arrays.

1. Ties in the max / min reductions (every public spelling: ``ops.amax``/``ops.max``,
   ``Tensor.max``, ``np.max``/``np.amax``, ``ops.ReduceMax``, and the min forms): tied
   elements share the gradient equally, as in MindSpore, JAX and PyTorch, so the gradient
   of each reduced value sums to its incoming gradient; the forward rule gives the mean of
   the tied tangents; second derivatives go through the same rules.
2. Ties in element-wise ``maximum`` / ``minimum``: half the gradient to each side
   (MindSpore's bprop and JAX); ``clamp`` / ``np.clip`` keep a closed interval (MindSpore's
   clamp: at a bound the gradient goes to the input); ``np.logaddexp`` is numpy's at
   infinities and smooth at a tie.
3. ``nn.CrossEntropyLoss`` / ``nn.NLLLoss`` / ``nn.SoftmaxCrossEntropyWithLogits`` with a
   masked (``-inf``) logit that is not the target, and ``nn.BCEWithLogitsLoss`` with an
   infinite logit on its own label's side: the finite loss and a finite gradient.
4. Reductions of empty arrays: the value numpy gives, and an empty gradient shaped like the
   input (no ZeroDivisionError in generated code).

Finite differences at a tie are ill-defined (the function has a kink there), so the values
here are derived by hand; away from ties the same programs are checked against finite
differences.
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from helpers import as_array, assert_close

import autograd_st as ms
from autograd_st import Tensor, nn, numerical_grad, ops
from autograd_st.kernels import reduction_share
from autograd_st.ops import nn_func

# ---------------------------------------------------------------------------------------
# 1. max / min reductions at ties
# ---------------------------------------------------------------------------------------

# row 0: its max 3.0 twice; row 1: every element 2.0; over everything: 3.0 twice
X_TIES = np.array([[1.0, 3.0, 3.0],
                   [2.0, 2.0, 2.0]])


def amax_all(x):
    return ops.amax(x)


def max_all(x):
    return ops.max(x)[0]  # MindSpore's ops.max returns (values, indices)


def method_max_all(x):
    return x.max()


def np_max_all(x):
    return np.max(x)


def np_amax_all(x):
    return np.amax(x)


def reduce_max_all(x):
    return ops.ReduceMax()(x)


def amax_rows(x):
    return ops.amax(x, 1)


def method_max_rows(x):
    return x.max(axis=1)


def np_max_rows(x):
    return np.max(x, axis=1)


def reduce_max_rows_keepdims(x):
    return ops.ReduceMax(keep_dims=True)(x, 1)


def amin_all(x):
    return ops.amin(-x)


def method_min_rows(x):
    return (-x).min(axis=1)


def np_amin_rows(x):
    return np.amin(-x, axis=1, keepdims=True)


ALL_TIES = [amax_all, max_all, method_max_all, np_max_all, np_amax_all, reduce_max_all]
ROW_TIES = [amax_rows, method_max_rows, np_max_rows, reduce_max_rows_keepdims]

# the global max 3.0 is tied twice: each gets half
WANT_ALL = np.array([[0.0, 0.5, 0.5], [0.0, 0.0, 0.0]])
# row 0: two ties, a half each; row 1: three ties, a third each
WANT_ROWS = np.array([[0.0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])


@pytest.mark.parametrize("f", ALL_TIES + [amin_all], ids=lambda f: f.__name__)
def test_a_tie_in_a_full_reduction_shares_the_gradient(f):
    sign = -1.0 if f is amin_all else 1.0  # min(-x) = -max(x)
    for dtype in (np.float64, np.float32):
        g = ops.grad(f)(Tensor(X_TIES.astype(dtype)))
        assert g.dtype == Tensor(X_TIES.astype(dtype)).dtype
        assert_close(g, sign * WANT_ALL)
        assert float(np.sum(as_array(g))) == pytest.approx(sign * 1.0)  # not k times


@pytest.mark.parametrize("f", ROW_TIES + [method_min_rows, np_amin_rows],
                         ids=lambda f: f.__name__)
def test_a_tie_along_an_axis_shares_each_outputs_gradient(f):
    sign = -1.0 if f in (method_min_rows, np_amin_rows) else 1.0
    g = ops.grad(f)(Tensor(X_TIES))
    assert_close(g, sign * WANT_ROWS)
    # with a sens of its own per row
    sens = Tensor(np.array([[2.0], [3.0]]) if f in (reduce_max_rows_keepdims, np_amin_rows)
                  else np.array([2.0, 3.0]))
    _, vjp_fn = ops.vjp(f, Tensor(X_TIES))
    (g,) = vjp_fn(sens)
    assert_close(g, sign * WANT_ROWS * np.array([[2.0], [3.0]]))


def test_a_tie_along_axis_0_and_a_tuple_of_axes():
    x = np.array([[[1.0, 5.0], [1.0, 0.0]],
                  [[0.0, 5.0], [1.0, 5.0]]])   # (2, 2, 2)

    def f(x):
        return ops.amax(x, (0, 2))              # over axes 0 and 2: one max per middle row

    # middle index 0: 5.0 at (0,0,1) and (1,0,1); middle index 1: 5.0 at (1,1,1) alone
    want = np.zeros_like(x)
    want[0, 0, 1] = want[1, 0, 1] = 0.5
    want[1, 1, 1] = 1.0
    assert_close(ops.grad(f)(Tensor(x)), want)


@pytest.mark.parametrize("f", ALL_TIES, ids=lambda f: f.__name__)
def test_the_forward_rule_at_a_tie_is_the_mean_of_the_tied_tangents(f):
    v = np.array([[10.0, 1.0, 4.0], [7.0, 8.0, 9.0]])
    _, t = ops.jvp(f, Tensor(X_TIES), Tensor(v))
    assert_close(t, np.array((1.0 + 4.0) / 2))
    _, t = ops.jvp(f, Tensor(X_TIES), Tensor(np.ones((2, 3))))
    assert_close(t, np.array(1.0))  # not 2: a shift of every input shifts the max by one


def test_the_forward_rule_along_an_axis_and_min():
    v = np.array([[10.0, 1.0, 4.0], [7.0, 8.0, 9.0]])
    _, t = ops.jvp(amax_rows, Tensor(X_TIES), Tensor(v))
    assert_close(t, np.array([2.5, 8.0]))
    _, t = ops.jvp(method_min_rows, Tensor(X_TIES), Tensor(v))
    assert_close(t, np.array([-2.5, -8.0]))


def test_forward_and_reverse_agree_at_a_tie():
    """<J^T u, v> == <u, J v>: the forward rule is the reverse rule's transpose."""
    rng = np.random.default_rng(0)
    for f in ROW_TIES:
        v = rng.standard_normal((2, 3))
        out, t = ops.jvp(f, Tensor(X_TIES), Tensor(v))
        u = rng.standard_normal(as_array(out).shape)
        _, vjp_fn = ops.vjp(f, Tensor(X_TIES))
        (g,) = vjp_fn(Tensor(u))
        assert float(np.sum(as_array(g) * v)) == pytest.approx(float(np.sum(u * as_array(t))))


def squared_max(x):
    return ops.amax(x * x)


def squared_min_rows(x):
    return ops.amin(x * x, 1).sum()


def test_second_derivatives_at_a_tie():
    # max(x^2) with x^2 = [1, 1, 0.25]: g = 2 x * hit / 2 -> [1, -1, 0]; its derivative
    # (of sum(g)) is 2 * hit / 2 -> [1, 1, 0]
    x = Tensor(np.array([1.0, -1.0, 0.5], np.float32))
    assert_close(ops.grad(squared_max)(x), np.array([1.0, -1.0, 0.0]))
    assert_close(ops.grad(ops.grad(squared_max))(x), np.array([1.0, 1.0, 0.0]))
    _, t = ops.jvp(ops.grad(squared_max), x, Tensor(np.ones(3, np.float32)))
    assert_close(t, np.array([1.0, 1.0, 0.0]))
    # row 1 of x^2 ties three times: 2 x / 3 each, second derivative 2 / 3
    x = Tensor(np.array([[1.0, -1.0, 2.0], [0.5, 0.5, -0.5]]))
    assert_close(ops.grad(squared_min_rows)(x),
                 np.array([[1.0, -1.0, 0.0], [1 / 3, 1 / 3, -1 / 3]]))
    assert_close(ops.grad(ops.grad(squared_min_rows))(x),
                 np.array([[1.0, 1.0, 0.0], [2 / 3, 2 / 3, 2 / 3]]))


@pytest.mark.parametrize("f", ALL_TIES + ROW_TIES, ids=lambda f: f.__name__)
def test_without_ties_the_gradient_is_the_finite_difference(f):
    x = np.array([[0.3, -1.2, 2.5], [1.7, 0.1, -0.4]])
    ms.check_grads(f, (Tensor(x),), order=2)


# ---------------------------------------------------------------------------------------
# 2. element-wise maximum / minimum at ties, and clamp at its bounds
# ---------------------------------------------------------------------------------------

def maximum_xy(x, y):
    return ops.maximum(x, y)


def minimum_xy(x, y):
    return ops.minimum(x, y)


def np_maximum_xy(x, y):
    return np.maximum(x, y)


def method_minimum_xy(x, y):
    return x.minimum(y)


@pytest.mark.parametrize("f", [maximum_xy, np_maximum_xy], ids=lambda f: f.__name__)
def test_maximum_splits_a_tie_in_halves(f):
    x = np.array([1.0, 2.0, 0.0], np.float32)
    y = np.array([1.0, 1.0, 3.0], np.float32)
    gx, gy = ops.grad(f, (0, 1))(Tensor(x), Tensor(y))
    assert gx.dtype == gy.dtype == Tensor(x).dtype
    assert_close(gx, np.array([0.5, 1.0, 0.0]))
    assert_close(gy, np.array([0.5, 0.0, 1.0]))
    _, t = ops.jvp(f, (Tensor(x), Tensor(y)),
                   (Tensor(np.array([2.0, 5.0, 7.0], np.float32)),
                    Tensor(np.array([4.0, 6.0, 8.0], np.float32))))
    assert_close(t, np.array([3.0, 5.0, 8.0]))  # the mean of the two tangents at the tie


@pytest.mark.parametrize("f", [minimum_xy, method_minimum_xy], ids=lambda f: f.__name__)
def test_minimum_splits_a_tie_in_halves(f):
    x = np.array([1.0, 2.0, 0.0])
    y = np.array([1.0, 1.0, 3.0])
    gx, gy = ops.grad(f, (0, 1))(Tensor(x), Tensor(y))
    assert_close(gx, np.array([0.5, 0.0, 1.0]))
    assert_close(gy, np.array([0.5, 1.0, 0.0]))
    _, t = ops.jvp(f, (Tensor(x), Tensor(y)),
                   (Tensor(np.array([2.0, 5.0, 7.0])), Tensor(np.array([4.0, 6.0, 8.0]))))
    assert_close(t, np.array([3.0, 6.0, 7.0]))


def maximum_with_scalar(x, y):
    return ops.maximum(x, y).sum()


def test_a_broadcast_tie_sums_the_halves():
    # y () ties with two elements of x (2, 2): each gives y half its gradient
    x = np.array([[1.0, 0.0], [1.0, 2.0]])
    gx, gy = ops.grad(maximum_with_scalar, (0, 1))(Tensor(x), Tensor(np.array(1.0)))
    assert_close(gx, np.array([[0.5, 0.0], [0.5, 1.0]]))
    assert_close(gy, np.array(2.0))  # 0.5 (tie) + 1 (y above 0.0) + 0.5 (tie) + 0


def clamp_01(x):
    return ops.clamp(x, 0.0, 1.0)


def np_clip_01(x):
    return np.clip(x, 0.0, 1.0)


def clamp_bounds(x, lo, hi):
    return ops.clamp(x, lo, hi)


@pytest.mark.parametrize("f", [clamp_01, np_clip_01], ids=lambda f: f.__name__)
def test_clamp_keeps_the_closed_interval(f):
    x = np.array([-1.0, 0.0, 0.5, 1.0, 2.0], np.float32)
    assert_close(f(Tensor(x)), np.clip(x, 0.0, 1.0))
    g = ops.grad(f)(Tensor(x))
    assert g.dtype == Tensor(x).dtype
    assert_close(g, np.array([0.0, 1.0, 1.0, 1.0, 0.0]))  # the bounds themselves: 1
    _, t = ops.jvp(f, Tensor(x), Tensor(np.full(5, 2.0, np.float32)))
    assert_close(t, np.array([0.0, 2.0, 2.0, 2.0, 0.0]))


def test_clamp_gives_the_bounds_their_gradients():
    # MindSpore's ClampTensor: x in [lo, hi] -> x; below lo -> lo; above hi -> hi
    x = np.array([-1.0, 0.0, 0.5, 1.0, 2.0])
    gx, glo, ghi = ops.grad(clamp_bounds, (0, 1, 2))(
        Tensor(x), Tensor(np.array(0.0)), Tensor(np.array(1.0)))
    assert_close(gx, np.array([0.0, 1.0, 1.0, 1.0, 0.0]))
    assert_close(glo, np.array(1.0))
    assert_close(ghi, np.array(1.0))
    # lo > hi: every element is hi (numpy's and MindSpore's clip), all of it goes to hi
    gx, glo, ghi = ops.grad(clamp_bounds, (0, 1, 2))(
        Tensor(x), Tensor(np.array(1.0)), Tensor(np.array(0.0)))
    assert_close(clamp_bounds(Tensor(x), Tensor(np.array(1.0)), Tensor(np.array(0.0))),
                 np.zeros(5))
    assert_close(gx, np.zeros(5))
    assert_close(glo, np.array(0.0))
    assert_close(ghi, np.array(5.0))


def test_relu6_and_leaky_relu_at_their_kinks():
    """ReLU6: MindSpore's ReLU6Grad passes the gradient for 0 < x <= 6 (6 included);
    LeakyReLU is maximum(x, alpha x) in MindSpore too, whose tie at 0 splits: (1 + alpha) / 2."""
    x = Tensor(np.array([-1.0, 0.0, 3.0, 6.0, 7.0], np.float32))
    relu6 = nn.ReLU6()
    assert_close(relu6(x), np.array([0.0, 0.0, 3.0, 6.0, 6.0]))
    _, vjp_fn = ops.vjp(relu6, x)
    assert_close(vjp_fn(Tensor(np.ones(5, np.float32)))[0], np.array([0, 0, 1, 1, 0.0]))
    leaky = nn.LeakyReLU(0.2)
    _, vjp_fn = ops.vjp(leaky, x)
    assert_close(vjp_fn(Tensor(np.ones(5, np.float32)))[0], np.array([0.2, 0.6, 1, 1, 1]))


def np_logaddexp_xy(x, y):
    return np.logaddexp(x, y)


def test_logaddexp_is_numpys_at_infinities_and_smooth_at_a_tie():
    """It was max + log(exp(x - max) + exp(y - max)): inf - inf = nan where numpy gives
    -inf or inf.  Now numpy's own, with the derivative exp(x - out)."""
    x = np.array([-np.inf, np.inf, 1.0, -np.inf, 0.3])
    y = np.array([-np.inf, np.inf, 1.0, 2.0, -0.4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = ops.value_and_grad(np_logaddexp_xy, (0, 1))(Tensor(x[2:]), Tensor(y[2:]))[0]
    with np.errstate(invalid="ignore"):
        value_all, (gx, gy) = ops.value_and_grad(np_logaddexp_xy, (0, 1))(Tensor(x),
                                                                        Tensor(y))
    np.testing.assert_array_equal(as_array(value_all), np.logaddexp(x, y))
    np.testing.assert_array_equal(as_array(value), np.logaddexp(x[2:], y[2:]))
    sig = 1.0 / (1.0 + np.exp(-(x[2:] - y[2:])))     # d/dx: sigmoid(x - y); 1/2 at the tie
    assert_close(as_array(gx)[2:], sig)
    assert_close(as_array(gy)[2:], 1.0 - sig)
    # the second derivative at the tie: sigmoid'(0) = 1/4 (a kink-free function)
    hess = ops.grad(ops.grad(np_logaddexp_xy))(Tensor(np.array(1.0)), Tensor(np.array(1.0)))
    assert_close(hess, np.array(0.25))


# ---------------------------------------------------------------------------------------
# 3. cross-entropy with a masked logit
# ---------------------------------------------------------------------------------------

LOGITS = np.array([[1.0, -np.inf, 0.5, 0.0],
                   [0.2, 0.3, -np.inf, -np.inf],
                   [-0.5, 1.5, 0.25, 2.0]])
LABELS = np.array([0, 1, 3])


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _xent_by_hand(logits, labels, weight=None):
    """Per-sample loss ``-w[y] log softmax(z)[y]`` and the gradient of the weighted mean."""
    p = _softmax(logits)
    n = len(labels)
    w = np.ones(logits.shape[1]) if weight is None else weight
    wy = w[labels]
    per = -wy * np.log(p[np.arange(n), labels])
    hot = np.zeros_like(p)
    hot[np.arange(n), labels] = 1.0
    grad = wy[:, None] * (p - hot) / wy.sum()
    return per, grad


@pytest.mark.parametrize("weighted", [False, True])
def test_cross_entropy_with_a_masked_logit_is_finite(weighted):
    weight = np.array([0.5, 2.0, 1.0, 1.5]) if weighted else None
    per, want_grad = _xent_by_hand(LOGITS, LABELS, weight)
    wy = (np.ones(4) if weight is None else weight)[LABELS]
    loss = nn.CrossEntropyLoss(weight=None if weight is None else Tensor(weight))
    for dtype in (np.float64, np.float32):
        logits = Tensor(LOGITS.astype(dtype))
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no 0 * -inf on the way
            value = loss(logits, Tensor(LABELS.astype(np.int32)))
            v, g = ops.value_and_grad(loss)(logits, Tensor(LABELS.astype(np.int32)))
        want = per.sum() / wy.sum()
        tol = 1e-12 if dtype == np.float64 else 1e-6
        assert_close(value, np.array(want), rtol=tol)
        assert_close(v, np.array(want), rtol=tol)
        assert np.all(np.isfinite(as_array(g)))
        assert_close(g, want_grad, rtol=tol, atol=tol)


def test_cross_entropy_gradient_with_a_masked_logit_matches_finite_differences():
    """Finite differences over the finite logits (a masked one stays masked)."""
    loss = nn.CrossEntropyLoss(reduction="sum")
    labels = Tensor(LABELS.astype(np.int32))
    finite = np.isfinite(LOGITS)

    def of_finite(values):
        z = LOGITS.copy()
        z[finite] = values
        return loss(Tensor(z), labels)

    g = as_array(ops.grad(loss)(Tensor(LOGITS), labels))
    fd = numerical_grad(of_finite, (LOGITS[finite],))
    np.testing.assert_allclose(g[finite], fd, rtol=1e-7, atol=1e-9)
    assert np.all(g[~finite] == 0.0)


@pytest.mark.parametrize("reduction", ["none", "sum"])
def test_nll_loss_with_a_masked_log_probability(reduction):
    with np.errstate(divide="ignore"):
        logp = np.log(_softmax(LOGITS))      # -inf where the logit is masked
    loss = nn.NLLLoss(reduction=reduction)
    labels = Tensor(LABELS.astype(np.int32))
    want = -logp[np.arange(3), LABELS]
    want = want if reduction == "none" else want.sum()
    assert_close(loss(Tensor(logp), labels), want, rtol=1e-12)
    sens = np.ones(3) if reduction == "none" else 1.0
    hot = np.zeros_like(logp)
    hot[np.arange(3), LABELS] = 1.0
    assert_close(ops.grad(loss)(Tensor(logp), labels), -hot * np.reshape(sens, (-1, 1)))


SOFT_LABELS = np.array([[1.0, 0.0, 0.0, 0.0],
                        [0.3, 0.7, 0.0, 0.0],
                        [0.0, 0.25, 0.25, 0.5]])


@pytest.mark.parametrize("sparse", [False, True])
def test_softmax_cross_entropy_with_logits_and_a_masked_logit(sparse):
    """The dense form summed labels * log_softmax: a zero label on a masked class was
    0 * -inf = nan (MindSpore 2.10's kernel too); 0 log q is 0.  The sparse kernel was
    already finite."""
    labels = LABELS.astype(np.int32) if sparse else SOFT_LABELS
    hot = np.eye(4)[LABELS] if sparse else SOFT_LABELS
    p = _softmax(LOGITS)
    with np.errstate(divide="ignore", invalid="ignore"):
        want = -np.sum(np.where(hot > 0, hot * np.log(p), 0.0), axis=1)
    want_grad = p * hot.sum(axis=1, keepdims=True) - hot
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=sparse)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = loss(Tensor(LOGITS), Tensor(labels))
        _, vjp_fn = ops.vjp(loss, Tensor(LOGITS), Tensor(labels))
        g = vjp_fn(Tensor(np.ones(3)))[0]
    assert_close(value, want, rtol=1e-12)
    assert_close(g, want_grad, rtol=1e-12, atol=1e-15)


BCE_LOGITS = np.array([[-np.inf, 2.0, np.inf], [0.5, -1.0, 3.0]])
BCE_LABELS = np.array([[0.0, 1.0, 1.0], [0.2, 0.0, 1.0]])


@pytest.mark.parametrize("pos_weight", [None, np.array([2.0, 0.5, 1.0])])
def test_bce_with_logits_and_masked_logits(pos_weight):
    """-inf with label 0 and +inf with label 1 lose nothing: 0, with a zero gradient
    (the old formula (1 - y) x + softplus(-x) gave -inf + inf = nan)."""
    x, y = BCE_LOGITS, BCE_LABELS
    pw = np.ones(3) if pos_weight is None else pos_weight
    sig = 1.0 / (1.0 + np.exp(-x))
    with np.errstate(divide="ignore", invalid="ignore"):
        per = np.where(y < 1, -(1 - y) * np.log(1 - sig), 0.0) \
            + np.where(y > 0, -pw * y * np.log(sig), 0.0)
    want_grad = ((1 - y) * sig - pw * y * (1 - sig)) / y.size
    loss = nn.BCEWithLogitsLoss(pos_weight=None if pos_weight is None else Tensor(pw))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, g = ops.value_and_grad(loss)(Tensor(x), Tensor(y))
    assert per[0, 0] == 0.0 and per[0, 2] == 0.0
    assert_close(value, np.array(per.mean()), rtol=1e-12)
    assert_close(g, want_grad, rtol=1e-12, atol=1e-15)
    finite = np.isfinite(x)

    def of_finite(values):
        z = x.copy()
        z[finite] = values
        return loss(Tensor(z), Tensor(y))

    np.testing.assert_allclose(as_array(g)[finite], numerical_grad(of_finite, (x[finite],)),
                               rtol=1e-7, atol=1e-10)


def test_a_masked_target_gives_the_true_infinite_loss():
    logits = np.array([[1.0, -np.inf, 0.5]])
    loss = nn.CrossEntropyLoss()
    assert as_array(loss(Tensor(logits), Tensor(np.array([1], np.int32)))) == np.inf
    # and label smoothing puts weight on the masked class: inf too, truly
    smooth = nn.CrossEntropyLoss(label_smoothing=0.1)
    assert as_array(smooth(Tensor(logits), Tensor(np.array([0], np.int32)))) == np.inf


# ---------------------------------------------------------------------------------------
# 4. reductions of empty arrays
# ---------------------------------------------------------------------------------------

def mean_all(x):
    return x.mean()


def ops_mean_all(x):
    return ops.mean(x)


def np_mean_all(x):
    return np.mean(x)


def mean_axis0(x):
    return ops.mean(x, 0)


def np_mean_axis1_keepdims(x):
    return np.mean(x, axis=1, keepdims=True)


def method_mean_axis1(x):
    return x.mean(axis=1)


def sum_all(x):
    return x.sum()


def np_sum_axis0(x):
    return np.sum(x, axis=0)


def var_all(x):
    return nn_func.var(x)


def var_axis0_unbiased(x):
    return nn_func.var(x, 0, 1)


EMPTY_REDUCTIONS = [mean_all, ops_mean_all, np_mean_all, mean_axis0, np_mean_axis1_keepdims,
                    method_mean_axis1, sum_all, np_sum_axis0, var_all, var_axis0_unbiased]
NUMPY_OF = {
    mean_all: np.mean, ops_mean_all: np.mean, np_mean_all: np.mean,
    mean_axis0: lambda a: np.mean(a, 0), np_mean_axis1_keepdims: lambda a: np.mean(a, 1, None,
                                                                                   None, True),
    method_mean_axis1: lambda a: np.mean(a, 1), sum_all: np.sum,
    np_sum_axis0: lambda a: np.sum(a, 0), var_all: np.var,
    var_axis0_unbiased: lambda a: np.var(a, 0, ddof=1),
}


EMPTY_CASES = [(f, shape) for f in EMPTY_REDUCTIONS for shape in [(0,), (0, 3), (3, 0)]
               if len(shape) == 2 or f not in (np_mean_axis1_keepdims, method_mean_axis1)]


@pytest.mark.parametrize("f, shape", EMPTY_CASES,
                         ids=["%s-%s" % (f.__name__, s) for f, s in EMPTY_CASES])
def test_the_gradient_of_a_reduction_of_an_empty_array_is_empty(f, shape):
    x = np.zeros(shape, np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # numpy's own "mean of empty slice"
        want = NUMPY_OF[f](x)
        value, g = ops.value_and_grad(f)(Tensor(x))
        direct = f(Tensor(x))
    np.testing.assert_array_equal(as_array(value), want)       # nan where numpy gives nan
    np.testing.assert_array_equal(as_array(direct), want)
    assert as_array(g).shape == shape and g.dtype == Tensor(x).dtype
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _, t = ops.jvp(f, Tensor(x), Tensor(np.ones(shape, np.float32)))
    assert as_array(t).shape == np.shape(want)


def test_the_gradient_of_a_mean_over_a_single_element_and_nonempty_means():
    # the factor is 1 / n exactly as before: n = 3 over axis 1, n = 6 over every axis
    x = np.arange(6.0).reshape(2, 3)
    assert_close(ops.grad(method_mean_axis1)(Tensor(x)), np.full((2, 3), 1 / 3), rtol=0)
    assert_close(ops.grad(mean_all)(Tensor(x)), np.full((2, 3), 1 / 6), rtol=0)
    assert_close(ops.grad(mean_axis0)(Tensor(np.array([[4.0, 5.0]]))), np.ones((1, 2)))


def test_an_unbiased_variance_of_one_element_is_nan_and_so_is_its_gradient():
    """``var(x, ddof=1)`` of one element divides by zero in numpy's forward (nan); the
    gradient is nan too (finite differences of nan), not a ZeroDivisionError."""
    x = Tensor(np.array([[1.0, 2.0]]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value, g = ops.value_and_grad(var_axis0_unbiased)(x)
        _, t = ops.jvp(var_axis0_unbiased, x, Tensor(np.ones((1, 2))))
    assert np.all(np.isnan(as_array(value)))
    assert np.all(np.isnan(as_array(g))) and as_array(g).shape == (1, 2)
    assert np.all(np.isnan(as_array(t)))


def test_reduction_share_is_one_over_n_minus_ddof():
    x = np.zeros((2, 3))
    assert reduction_share(np.zeros(2), x) == 1 / 3
    assert reduction_share(np.float64(0.0), x) == 1 / 6
    assert reduction_share(np.zeros(3), x, 1) == 1.0
    assert reduction_share(np.zeros(3), x, 2) == np.inf       # numpy's forward: 0 / 0
    assert reduction_share(np.zeros(3), np.zeros((0, 3))) == 0.0   # an empty gradient
    assert reduction_share(2.0, 3.0) == 1.0                     # Python numbers
