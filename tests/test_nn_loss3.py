"""The activations and losses of ``nn/activation3.py``, ``nn/losses3.py`` and ``table_loss.py``:
gradients against float64 central differences (through ``check_grads``, so inside compiled
code), the eager value against the compiled one, numpy references for the losses MindSpore
2.10's CPU build has no kernel for (TripletMarginLoss, SoftMarginLoss, MultilabelMarginLoss),
CTC against a brute-force sum over alignments, RReLU's noise, and the errors MindSpore raises.
(Values and gradients against MindSpore itself: ``tests/ms_cases/cases/nlo_*.py``.)
"""
from __future__ import annotations

import itertools

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Tensor, nn, ops
from autograd_st.kernels import seed_dropout

RS = np.random.RandomState(0)


def _t(*shape, scale=1.0):
    return Tensor(RS.standard_normal(shape) * scale)


X = _t(4, 5)
TGT = Tensor(np.array([1, 0, 4, 2], np.int64))
W5 = Tensor(np.array([1.0, 2.0, 0.5, 1.5, 0.8]))
A, PO, NE = _t(4, 6), _t(4, 6), _t(4, 6)
SIGN = Tensor(np.array([[1, -1, 1, 1, -1]] * 4, np.float64))
VAR = Tensor(RS.uniform(0.2, 2.0, (4, 5)))
COUNTS = Tensor(RS.poisson(2.0, (4, 5)).astype(np.float64))
ML = Tensor(np.array([[3, 0, -1, 1, 2], [1, 2, 4, -1, 0], [0, 1, 2, 3, 4], [-1, 2, 0, 1, 3]],
                     np.int32))
ONEHOT = Tensor(np.eye(5)[[1, 0, 4, 2]])
PM1 = Tensor(np.array([1, -1, -1, 0], np.int32))  # (a 0 target: no loss)
BIN = Tensor((RS.uniform(0, 1, (4, 5)) > 0.5).astype(np.float64))


def _loss_cases():
    """(name, loss function of the differentiated arguments, those arguments)."""
    y = _t(4, 5)
    x3 = _t(2, 3, 4)
    lab3 = Tensor(np.eye(3)[RS.randint(0, 3, (2, 4))].transpose(0, 2, 1).copy())
    prob = Tensor(RS.uniform(0.1, 0.9, (4, 5)))
    idx1 = Tensor(np.array([[1], [0], [4], [2]]))
    v1 = Tensor(RS.uniform(0.5, 2.0, (4,)))
    pw = Tensor(np.array([0.1, -0.5, 2.0]))
    c0 = nn.MultiMarginLoss(p=2, margin=0.7, weight=W5)
    c1 = nn.TripletMarginLoss()
    c2 = nn.TripletMarginWithDistanceLoss(swap=True, margin=2.5)
    c3 = nn.GaussianNLLLoss(full=True)
    c4 = nn.SoftMarginLoss()
    c5 = nn.PoissonNLLLoss(full=True)
    c6 = nn.PoissonNLLLoss(log_input=False, reduction="sum")
    c7 = nn.MarginRankingLoss(0.3)
    c8 = nn.HingeEmbeddingLoss(0.5, "sum")
    c9 = nn.FocalLoss(weight=Tensor(W5.asnumpy()))
    c10 = nn.FocalLoss(gamma=1.5, reduction="sum")
    c11 = nn.DiceLoss()
    c12 = nn.MultiClassDiceLoss()
    c13 = nn.RMSELoss()
    c14 = nn.MAELoss("sum")
    c15 = nn.MultiLabelSoftMarginLoss(weight=W5)
    c16 = nn.MultilabelMarginLoss()
    c17 = nn.L1Regularizer(0.3)
    c18 = nn.CELU(0.7)
    c19 = nn.GLU(0)
    c20 = nn.Softmax2d()
    c21 = nn.SeLU()
    return [
        ("multi_margin", lambda x: c0(x, TGT), (X,)),
        ("multi_margin_f", lambda x: ops.multi_margin_loss(x, TGT, reduction="sum"), (X,)),
        ("triplet", lambda a, p, n: c1(a, p, n), (A, PO, NE)),
        ("triplet_p3_swap", lambda a, p, n: ops.triplet_margin_loss(
            a, p, n, margin=2.0, p=3, swap=True, reduction="sum"), (A, PO, NE)),
        ("triplet_dist", lambda a, p, n: c2(a, p, n), (A, PO, NE)),
        ("gaussian", lambda x, t, v: c3(x, t, v), (X, y, VAR)),
        ("gaussian_1var", lambda x, v: ops.gaussian_nll_loss(x, y, v, reduction="sum"),
         (X, v1)),
        ("soft_margin", lambda x: c4(x, SIGN), (X,)),
        ("poisson", lambda x: c5(x, COUNTS), (X,)),
        ("poisson_rate", lambda r: c6(r, COUNTS), (prob,)),
        ("margin_ranking", lambda a, b: c7(a, b, SIGN), (X, y)),
        ("hinge_embedding", lambda x: c8(x, SIGN), (X,)),
        ("focal_onehot", lambda x: c9(x, ONEHOT), (X,)),
        ("focal_index", lambda x: c10(x, idx1), (X,)),
        ("dice", lambda p, t: c11(p, t), (prob, y)),
        ("multiclass_dice", lambda x: c12(x, lab3), (x3,)),
        ("rmse", lambda a, b: c13(a, b), (X, y)),
        ("mae", lambda a: c14(a, y), (X,)),
        ("multilabel_soft", lambda x: c15(x, BIN), (X,)),
        ("multilabel_margin", lambda x: c16(x, ML), (X,)),
        ("l1_regularizer", lambda x: c17(x), (X,)),
        ("celu", lambda x: ops.sum(ops.cos(c18(x))), (X,)),
        ("glu", lambda x: ops.sum(ops.cos(c19(x))), (X,)),
        ("softmax2d", lambda x: ops.sum(c20(x) * x3), (x3,)),
        ("prelu", lambda x, w: ops.sum(ops.cos(ops.prelu(x, w))), (x3, pw)),
        ("selu", lambda x: ops.sum(ops.cos(c21(x))), (X,)),
        ("cosine_embedding", lambda a, b: ops.cosine_embedding_loss(a, b, PM1, 0.1), (A, PO)),
        ("cosine_embedding_bcast", lambda a, b: ops.cosine_embedding_loss(
            a, b, PM1, margin=-0.4, reduction="sum"), (A, _t(1, 6))),
    ]


@pytest.mark.parametrize("name, f, args", _loss_cases(), ids=[c[0] for c in _loss_cases()])
def test_gradient_matches_finite_differences(name, f, args):
    ms.check_grads(f, args, modes=("rev",))


@pytest.mark.parametrize("name, f, args", _loss_cases()[:8],
                         ids=[c[0] for c in _loss_cases()[:8]])
def test_forward_mode_matches_finite_differences(name, f, args):
    ms.check_grads(f, args, modes=("fwd",))


@pytest.mark.parametrize("name, f, args", _loss_cases(), ids=[c[0] for c in _loss_cases()])
def test_eager_value_is_the_compiled_value(name, f, args):
    value, _ = ops.value_and_grad(f, grad_position=0)(*args)
    np.testing.assert_allclose(value.asnumpy(), f(*args).asnumpy(), rtol=1e-12)


# ---------------------------------------------------------------------------------------
# numpy references where MindSpore 2.10's CPU build has no kernel
# ---------------------------------------------------------------------------------------

def test_triplet_margin_loss_is_the_documented_formula():
    a, p, n = A.asnumpy(), PO.asnumpy(), NE.asnumpy()

    def dist(u, v, q):
        return (np.abs(u - v + 1e-6) ** q).sum(-1) ** (1.0 / q)

    for q, swap in [(2, False), (1, True), (3, True)]:
        dn = dist(a, n, q)
        if swap:
            dn = np.minimum(dn, dist(p, n, q))
        want = np.maximum(dist(a, p, q) - dn + 1.0, 0.0)
        got = nn.TripletMarginLoss(p=q, swap=swap, reduction="none")(A, PO, NE).asnumpy()
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_cosine_embedding_loss_is_mindspores_formula():
    a, b = A.asnumpy(), NE.asnumpy()
    cos = (a * b).sum(1) / np.sqrt((a * a).sum(1) * (b * b).sum(1))
    t = PM1.asnumpy()
    rows = np.where(t == 1, 1 - cos, np.where(t == -1, np.maximum(cos - 0.25, 0), 0))
    for reduction, want in (("none", rows), ("sum", rows.sum()), ("mean", rows.mean())):
        got = ops.cosine_embedding_loss(A, NE, PM1, 0.25, reduction)
        np.testing.assert_allclose(got.asnumpy(), want, rtol=1e-12)
    with pytest.raises(ValueError, match="should be in \\[-1, 1\\]"):
        ops.cosine_embedding_loss(A, NE, PM1, 1.5)


def test_soft_margin_loss_is_the_documented_formula():
    x, y = X.asnumpy(), SIGN.asnumpy()
    want = np.log1p(np.exp(-y * x))
    np.testing.assert_allclose(nn.SoftMarginLoss("none")(X, SIGN).asnumpy(), want, rtol=1e-12)
    np.testing.assert_allclose(ops.soft_margin_loss(X, SIGN).asnumpy(), want.mean(), rtol=1e-12)


def _multilabel_margin_ref(x, y):
    out = []
    for xs, ys in zip(np.atleast_2d(x), np.atleast_2d(y)):
        targets = list(itertools.takewhile(lambda v: v >= 0, ys))
        total = 0.0
        for j in targets:
            for i in range(len(xs)):
                if i not in targets:
                    total += max(0.0, 1.0 - (xs[j] - xs[i]))
        out.append(total / len(xs))
    return np.array(out)


def test_multilabel_margin_loss_is_the_documented_formula():
    x, y = X.asnumpy(), ML.asnumpy()
    want = _multilabel_margin_ref(x, y)
    np.testing.assert_allclose(nn.MultilabelMarginLoss("none")(X, ML).asnumpy(), want,
                               rtol=1e-12)
    np.testing.assert_allclose(ops.multilabel_margin_loss(X, ML, "sum").asnumpy(), want.sum(),
                               rtol=1e-12)
    one = ops.multilabel_margin_loss(X[1], ML[1], "none")
    assert one.shape == ()
    np.testing.assert_allclose(one.asnumpy(), want[1], rtol=1e-12)
    # a repeated target counts twice, as the formula's sum over j says
    rep = Tensor(np.array([[2, 2, -1, 0, 1]], np.int32))
    np.testing.assert_allclose(ops.multilabel_margin_loss(X[:1], rep, "none").asnumpy(),
                               _multilabel_margin_ref(x[:1], rep.asnumpy()), rtol=1e-12)


# ---------------------------------------------------------------------------------------
# CTC
# ---------------------------------------------------------------------------------------

def _collapse(path, blank):
    out = []
    prev = None
    for c in path:
        if c != prev and c != blank:
            out.append(c)
        prev = c
    return out


def _ctc_brute(lp, target, blank):
    """-log of the sum over every path of length T that collapses to ``target``."""
    T, C = lp.shape
    total = -np.inf
    for path in itertools.product(range(C), repeat=T):
        if _collapse(path, blank) == list(target):
            total = np.logaddexp(total, sum(lp[t, c] for t, c in enumerate(path)))
    return -total


@pytest.mark.parametrize("blank", [0, 3])
def test_ctc_matches_a_brute_force_sum_over_alignments(blank):
    rs = np.random.RandomState(1)
    T, N, C = 5, 3, 4
    lp = np.log(rs.dirichlet(np.ones(C), (T, N)))
    labels = [c for c in range(C) if c != blank]
    tg = np.array([[labels[0], labels[1], labels[1]], [labels[2], labels[0], 0],
                   [labels[1], 0, 0]])
    il, tl = np.array([5, 4, 3]), np.array([3, 2, 1])
    got = nn.CTCLoss(blank=blank, reduction="none")(Tensor(lp), Tensor(tg), Tensor(il),
                                                    Tensor(tl)).asnumpy()
    want = [_ctc_brute(lp[:il[n], n], tg[n, :tl[n]], blank) for n in range(N)]
    np.testing.assert_allclose(got, want, rtol=1e-10)
    mean = nn.CTCLoss(blank=blank)(Tensor(lp), Tensor(tg), Tensor(il), Tensor(tl)).asnumpy()
    np.testing.assert_allclose(mean, np.mean(np.array(want) / tl), rtol=1e-10)


def test_ctc_gradient_is_mindspores_through_log_softmax():
    # MindSpore's gradient w.r.t. log_probs is exp(log_probs) - posterior: the gradient of
    # the loss of log_softmax(z) w.r.t. z, which finite differences check here
    rs = np.random.RandomState(2)
    z = Tensor(rs.standard_normal((5, 2, 4)))
    tg, il, tl = (Tensor(np.array([[1, 2], [3, 3]])), Tensor(np.array([5, 5])),
                  Tensor(np.array([2, 2])))

    def f(z):
        return nn.CTCLoss(reduction="sum")(ops.log_softmax(z, 2), tg, il, tl)

    ms.check_grads(f, (z,), modes=("rev",))
    lp = ops.log_softmax(z, 2)
    g_lp = ops.grad(lambda v: nn.CTCLoss(reduction="sum")(v, tg, il, tl))(lp)
    g_z = ops.grad(f)(z)
    np.testing.assert_allclose(g_lp.asnumpy(), g_z.asnumpy(), atol=1e-12)


def test_ctc_zero_infinity_and_impossible_alignments():
    lp = Tensor(np.log(np.full((2, 1, 3), 1 / 3)))
    tg, il, tl = Tensor(np.array([[1, 1]])), Tensor(np.array([2])), Tensor(np.array([2]))
    # [1, 1] needs a blank between: 3 frames; in 2 the likelihood is 0 (MindSpore 2.10: the
    # loss stays inf even with zero_infinity, whose gradient is 0)
    assert np.isinf(nn.CTCLoss(reduction="none")(lp, tg, il, tl).asnumpy()).all()
    assert np.isinf(nn.CTCLoss(zero_infinity=True)(lp, tg, il, tl).asnumpy())
    g = ops.grad(nn.CTCLoss(zero_infinity=True))(lp, tg, il, tl)
    np.testing.assert_array_equal(g.asnumpy(), 0.0)


def test_ctc_refuses_an_input_shorter_than_its_target():
    lp = Tensor(np.log(np.full((4, 1, 3), 1 / 3)))
    with pytest.raises(ValueError, match="input length 1 and target length 2"):
        nn.CTCLoss()(lp, Tensor(np.array([[1, 2]])), Tensor(np.array([1])),
                     Tensor(np.array([2])))


def test_ctc_log_alpha_output():
    lp = np.log(np.random.RandomState(4).dirichlet(np.ones(3), (3, 1)))
    loss, alpha = ops.ctc_loss(Tensor(lp), Tensor(np.array([[1]])), Tensor(np.array([3])),
                               Tensor(np.array([1])), reduction="none")
    assert alpha.shape == (1, 3, 3)
    a = alpha.asnumpy()[0]
    np.testing.assert_allclose(a[0], [lp[0, 0, 0], lp[0, 0, 1], -np.inf])
    np.testing.assert_allclose(-np.logaddexp(a[-1, -1], a[-1, -2]), loss.asnumpy()[0])


# ---------------------------------------------------------------------------------------
# RReLU: random slopes in training and evaluation (MindSpore 2.10 has no eval mode for it)
# ---------------------------------------------------------------------------------------

def test_rrelu_slopes_are_uniform_in_the_range_and_drawn_anew():
    seed_dropout(0)
    x = Tensor(-np.ones((200, 100)))
    cell = nn.RReLU(0.1, 0.3)
    y1, y2 = cell(x).asnumpy(), cell(x).asnumpy()
    slopes = -y1
    assert slopes.min() >= 0.1 and slopes.max() < 0.3
    assert abs(slopes.mean() - 0.2) < 0.003
    assert abs(slopes.var() - 0.2 ** 2 / 12) < 0.0003  # uniform on a width of 0.2
    assert not np.allclose(y1, y2)
    cell.set_train(False)  # still random, as MindSpore 2.10's
    assert not np.allclose(cell(x).asnumpy(), y1)
    pos = Tensor(np.array([0.0, 1.5, 2.0]))
    np.testing.assert_array_equal(cell(pos).asnumpy(), [0.0, 1.5, 2.0])


def test_rrelu_is_reproducible_from_the_seed_and_its_gradient_is_the_slope():
    x = Tensor(np.array([[-1.0, 2.0, -3.0, 0.0]]))
    seed_dropout(7)
    a = ops.rrelu(x).asnumpy()
    seed_dropout(7)
    np.testing.assert_array_equal(ops.rrelu(x).asnumpy(), a)
    seed_dropout(7)
    value, grad = ops.value_and_grad(lambda v: ops.sum(nn.RReLU()(v)))(x)
    slope = a / np.where(x.asnumpy() == 0, 1.0, x.asnumpy())
    np.testing.assert_allclose(grad.asnumpy()[0], [slope[0, 0], 1.0, slope[0, 2], 0.0])
    np.testing.assert_allclose(value.asnumpy(), a.sum())


# ---------------------------------------------------------------------------------------
# arguments MindSpore refuses (messages measured in MindSpore 2.10)
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("make, exc", [
    (lambda: ops.multi_margin_loss(X, TGT, margin=1.0), TypeError),
    (lambda: ops.margin_ranking_loss(X, X, SIGN, margin=1), TypeError),
    (lambda: ops.gaussian_nll_loss(X, X, VAR, eps=0.0), ValueError),
    (lambda: ops.gaussian_nll_loss(X, X, VAR, reduction="avg"), ValueError),
    (lambda: ops.rrelu(X, 0.5, 0.1), ValueError),
    (lambda: nn.RReLU(0.5, 0.1), ValueError),
    (lambda: nn.TripletMarginWithDistanceLoss(margin=1), TypeError),
    (lambda: nn.FocalLoss(gamma=2), TypeError),
    (lambda: nn.DiceLoss(smooth=0.0), ValueError),
    (lambda: nn.MultiClassDiceLoss(activation="gelu"), ValueError),
    (lambda: nn.L1Regularizer(-1.0), ValueError),
    (lambda: nn.CELU(2), TypeError),
    (lambda: nn.CELU(0.0), ValueError),
    (lambda: nn.MultiMarginLoss(p=3), ValueError),
    (lambda: nn.GaussianNLLLoss(eps=0.0), ValueError),
    (lambda: nn.HingeEmbeddingLoss(margin="a"), TypeError),
    (lambda: nn.L1Regularizer(float("inf")), ValueError),
    (lambda: nn.MAELoss("avg"), ValueError),
    (lambda: nn.CTCLoss(reduction="avg"), ValueError),
])
def test_bad_arguments_raise(make, exc):
    with pytest.raises(exc):
        make()


def test_losses_train_inside_a_cell():
    """A loss inside a network's construct, differentiated w.r.t. the weights."""
    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.dense = nn.Dense(5, 5)
            self.loss = nn.MultiMarginLoss()
            self.act = nn.CELU()

        def construct(self, x, t):
            return self.loss(self.act(self.dense(x)), t)

    net = Net()
    x = Tensor(X.asnumpy().astype(np.float32))
    grads = ops.grad(net, None, net.trainable_params())(x, TGT)
    assert len(grads) == 2 and all(np.isfinite(g.asnumpy()).all() for g in grads)
    assert np.abs(grads[0].asnumpy()).sum() > 0


def test_ctc_second_derivative_is_refused_not_incomplete():
    from autograd_st.errors import UnsupportedSyntaxError
    rs = np.random.RandomState(3)
    z = Tensor(rs.standard_normal((5, 2, 4)))
    tg, il, tl = (Tensor(np.array([[1, 2], [3, 3]])), Tensor(np.array([5, 5])),
                  Tensor(np.array([2, 2])))

    def f(z):
        return nn.CTCLoss(reduction="sum")(ops.log_softmax(z, 2), tg, il, tl)

    with pytest.raises(UnsupportedSyntaxError, match="second derivative of ctc_loss"):
        ops.grad(ops.grad(f))(z)
    with pytest.raises(UnsupportedSyntaxError, match="second derivative of ctc_loss"):
        ms.check_grads(f, (z,), order=2, modes=("rev",))
