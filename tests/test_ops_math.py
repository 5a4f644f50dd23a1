"""The math family (``autograd_st/table_math.py``, ``rules_math.py``, ``ops/classes_math.py``)
through the public API: each op's derivatives under the compiler (forward, reverse, second
order, by ``check_grads``) on float64 inputs, einsum against numpy, norm against
``np.linalg.norm``, MindSpore 2.x's ``dropout`` / ``one_hot`` signatures, the losses' target
handling, the primitive classes and the Tensor operators.  Recorded MindSpore values for the
same ops are the ``math_*`` cases of ``tests/ms_cases``.
"""
import math

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Tensor, check_grads, kernels, nn, numerical_grad, ops

RNG = np.random.default_rng(11)
X = Tensor(RNG.standard_normal((3, 4)))
Y = Tensor(RNG.standard_normal((3, 4)))
B1 = Tensor(RNG.standard_normal((2, 3, 4)))
B2 = Tensor(RNG.standard_normal((2, 4, 2)))
V = Tensor(RNG.uniform(0.5, 2.0, (5,)) * RNG.choice([-1.0, 1.0], (5,)))
LABELS = Tensor(np.array([0, 3, -100]))
W4 = Tensor(np.array([1.0, 2.0, 0.5, 1.5]))
PROBS = ops.softmax(Tensor(RNG.standard_normal((3, 4))), 1)  # kl_div's labels: no gradient


# ---------------------------------------------------------------------------------------
# derivatives of every composed op, to second order, under the compiler
# ---------------------------------------------------------------------------------------

def gelu_none(x):
    return ops.gelu(x)


def gelu_tanh(x):
    return ops.gelu(x, approximate="tanh")


def class_gelu(x):
    return ops.GeLU()(x) + ops.FastGeLU()(x)


def smooth_activations(x):
    return (ops.silu(x) + ops.mish(x) + ops.softsign(x) * ops.erfc(x)
            + ops.softplus(x, beta=2, threshold=3) + ops.sinh(x) * ops.atan(x))


def piecewise_activations(x):
    return (ops.elu(x) + ops.selu(x) + ops.hardswish(x * 3) + ops.hardsigmoid(x * 3)
            + ops.leaky_relu(x) + ops.relu6(x * 5) + ops.hardtanh(x))


def norms(x):
    return (ops.norm(x) + ops.norm(x, 3, dim=1).sum() + ops.norm(x, "fro", (0, 1))
            + ops.norm(x, None, keepdim=True) + ops.norm(x, 1, dim=0).sum()
            + ops.norm(x[0], 2) + ops.norm(x[1], 3) + ops.norm(x, float("inf")))


def spectral_norms(x):
    return ops.norm(x, "nuc") + ops.norm(x, 2, keepdim=True) + ops.norm(x, -2)


def moments(x):
    return (ops.std(x, 1, 1).sum() + ops.var(x, (0, 1), True, True).sum() + x.std()
            + ops.logsumexp(x, 0).sum())


def global_norm_clip(x, y):
    a, b = ops.clip_by_global_norm((x, y), 1.5)
    return ops.sum(a * ops.sin(b)) + ops.sum(ops.clip_by_value(x, -0.5, 0.5) * y)


def products(x, y):
    return (ops.sum(ops.mv(x, y[0]) ** 2) + ops.sum(ops.outer(x[0], y[1]) ** 2)
            + ops.sum(ops.addmm(x @ y.T, x, y.T, beta=0.5, alpha=2.0) ** 2))


def batched(x, y):
    return ops.sum(ops.baddbmm(ops.bmm(x, y), x, y, beta=0.3, alpha=1.5) ** 2)


def einsums(x, y):
    return (ops.sum(ops.einsum("bij,bjk->bik", x, y) ** 2)
            + ops.sum(ops.einsum("bij,bjk,bkl->il", x, y, ops.transpose(y, (0, 2, 1))) ** 2)
            + ops.einsum("...ij,...ji", x[:, :, :3], x[:, :, :3] * 1.0).sum()
            + ops.sum(ops.Einsum("bij->bj")((x,)) ** 2) + ops.sum(ops.sin(ops.einsum("bij,bjk", x, y))))


def losses(x, y):
    p = ops.sigmoid(y)
    return (ops.cross_entropy(x, LABELS[:3], label_smoothing=0.1)
            + ops.cross_entropy(x, ops.softmax(y, 1), W4, reduction="sum")
            + ops.nll_loss(ops.log_softmax(x, 1), LABELS[:3], W4)
            + ops.binary_cross_entropy(ops.sigmoid(x), p)
            + ops.binary_cross_entropy_with_logits(x, p, pos_weight=W4)
            + ops.mse_loss(x, y) + ops.l1_loss(x, y, "sum") + ops.smooth_l1_loss(x, y).sum()
            + ops.huber_loss(x, y, delta=0.5) + ops.kl_div(x, PROBS, "batchmean"))


def similarity(x, y):
    return (ops.cosine_similarity(x, y).sum() + ops.cosine_similarity(x, y, dim=0).sum()
            + ops.L2Normalize(axis=1)(x).sum() * ops.LpNorm(0, 3)(y).sum())


def trig(x):
    u = ops.tanh(x) * 0.9
    return (ops.asin(u) + ops.acos(u) * ops.atanh(u) + ops.acosh(x * x + 1.5)
            + ops.asinh(x) + ops.tan(u) + ops.cosh(u) + ops.expm1(x) + ops.log1p(x * x)
            + ops.log2(x * x + 1) + ops.log10(x * x + 1) + ops.atan2(x, u + 2))


def remainders(x, y):
    return ops.remainder(x * 3, y * y + 1) + ops.fmod(x * 3, y * y + 1) + (x * 3) % 1.7


def tensor_methods(x):
    return (x.clamp(-0.5, 0.5) + x.norm() + x.std() + x.var(0, ddof=1) + x.softmax(0)
            + x.log_softmax() + x.erf() + x.erfc() + (x * x + 1).rsqrt()
            + (x * x + 1).reciprocal() + x.expm1() + x.sinh() + x.floor() + x.round()
            + x.sign() * x)


def operators(x, y):
    return 1.0 - x + 2.0 ** y + 3.0 / (y * y + 1) + (x @ y.T).sum() + (y.T @ x).sum()


def distances(x, y):
    a, b = ops.reshape(x, (2, 2, 3)), ops.reshape(y, (2, 2, 3))
    return (ops.sum(ops.sin(ops.cdist(a, b))) + ops.sum(ops.pdist(x, 3.0) ** 2)
            + ops.sum(ops.cdist(x, y, 1.0)) + ops.sum(ops.cdist(x, y, float("inf"))))


def more_activations(x):
    return (ops.logsigmoid(x) + ops.softmin(x, 0) + ops.celu(x, 0.7) + ops.hardshrink(x)
            + ops.softshrink(x) + ops.tanhshrink(x) + ops.threshold(x, 0.1, -2.0)
            + ops.logit(ops.sigmoid(x)) + ops.logit(ops.sigmoid(x * 5), 0.05)
            + ops.xlogy(x * x, x * x + 1) + ops.hypot(x, 2.0) + ops.lerp(x, x * x, 0.25)
            + ops.deg2rad(x) * ops.rad2deg(x))


def more_reductions(x):
    s, m = ops.std_mean(x, 1, 1, True)
    v, m2 = ops.var_mean(x)
    return (ops.sum(s * m) + v * m2 + ops.trace(x[:, :3]) + ops.sum(ops.clip_by_norm(x, 1.0))
            + ops.sum(ops.clip_by_norm((x, x * 2), 1.0, 1.0)[1]))


SINGLE = [gelu_none, gelu_tanh, class_gelu, smooth_activations, piecewise_activations, norms,
          moments, trig, tensor_methods, more_activations, more_reductions]
PAIRS = [global_norm_clip, products, losses, similarity, remainders, operators, distances]


@pytest.mark.parametrize("fn", SINGLE, ids=lambda f: f.__name__)
def test_derivatives_of_one_argument_ops_to_second_order(fn):
    check_grads(fn, (X,), order=2)


def test_spectral_and_nuclear_norms_differentiate_once():
    check_grads(spectral_norms, (X,), order=1)
    with pytest.raises(ms.errors.InputValueError, match="no second derivative"):
        check_grads(spectral_norms, (X,), order=2)


@pytest.mark.parametrize("fn", PAIRS, ids=lambda f: f.__name__)
def test_derivatives_of_two_argument_ops_to_second_order(fn):
    check_grads(fn, (X, Y), order=2)


@pytest.mark.parametrize("fn", [batched, einsums], ids=lambda f: f.__name__)
def test_derivatives_of_batched_products_to_second_order(fn):
    check_grads(fn, (B1, B2), order=2)


# ---------------------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------------------

def _np(t):
    return t.asnumpy() if isinstance(t, Tensor) else np.asarray(t)


@pytest.mark.parametrize("equation, shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("ii", [(3, 3)]),
    ("ii->i", [(3, 3)]),
    ("ij->", [(2, 3)]),
    ("i,j->ij", [(3,), (4,)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 4)]),
    ("...ij,...jk->...ik", [(2, 2, 3), (3, 4)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("ab,bc,cd,de->ae", [(2, 3), (3, 2), (2, 4), (4, 3)]),
    ("ij,ij,ij->j", [(2, 3), (2, 3), (2, 3)]),
    ("i,i,i->", [(4,), (4,), (4,)]),
    ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),  # ellipsis axes broadcast
    ("ij,ij->ij", [(3, 1), (1, 4)]),  # a letter of size 1 in one operand broadcasts
])
def test_einsum_values_and_gradients_match_numpy(equation, shapes):
    arrays = [np.random.default_rng(len(s)).standard_normal(s) for s in shapes]
    tensors = [Tensor(a) for a in arrays]
    got = ops.einsum(equation, *tensors)
    np.testing.assert_allclose(_np(got), np.einsum(equation, *arrays), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(_np(ops.Einsum(equation)(tuple(tensors))), _np(got))
    w = np.random.default_rng(5).standard_normal(np.shape(_np(got)))

    def loss(*values):
        return np.sum(np.einsum(equation, *values) * w)
    want = numerical_grad(loss, tuple(arrays), grad_position=tuple(range(len(arrays))))
    want = want if isinstance(want, tuple) else (want,)
    fn = {1: _einsum1, 2: _einsum2, 3: _einsum3, 4: _einsum4}[len(arrays)]
    got = ops.grad(fn, tuple(range(len(arrays))))(*tensors, Tensor(w), equation)
    got = got if isinstance(got, tuple) else (got,)
    for g, want_k in zip(got, want):
        np.testing.assert_allclose(_np(g), want_k, rtol=1e-6, atol=1e-8)


def _einsum1(a, w, equation):
    return ops.sum(ops.einsum(equation, a) * w)


def _einsum2(a, b, w, equation):
    return ops.sum(ops.einsum(equation, a, b) * w)


def _einsum3(a, b, c, w, equation):
    return ops.sum(ops.einsum(equation, a, b, c) * w)


def _einsum4(a, b, c, d, w, equation):
    return ops.sum(ops.Einsum(equation)((a, b, c, d)) * w)


def test_einsum_refuses_a_wrong_number_of_operands():
    with pytest.raises(ValueError, match="names 2 operands but 1"):
        ops.einsum("ij,jk->ik", X)


@pytest.mark.parametrize("ord", [None, 2, 1, 3, 0, float("inf"), float("-inf")])
def test_vector_norms_match_numpy(ord):
    got = ops.norm(V, ord) if ord is not None else ops.norm(V)
    np.testing.assert_allclose(_np(got), np.linalg.norm(_np(V), ord), rtol=1e-12)
    np.testing.assert_allclose(_np(ops.norm(X, ord, dim=1)),
                               np.linalg.norm(_np(X), ord, axis=1), rtol=1e-12)


@pytest.mark.parametrize("ord", [None, "fro", "nuc", 1, -1, 2, -2, float("inf"), float("-inf")])
def test_matrix_norms_match_numpy(ord):
    np.testing.assert_allclose(_np(ops.norm(X, ord)), np.linalg.norm(_np(X), ord), rtol=1e-12)
    if ord in (None, "fro", 1, -1, float("inf"), float("-inf")):
        got = ops.norm(B1, ord, dim=(2, 1), keepdim=True)
        np.testing.assert_allclose(_np(got), np.linalg.norm(_np(B1), ord, axis=(2, 1),
                                                            keepdims=True), rtol=1e-12)
    g = ops.grad(lambda t: ops.norm(t, ord))(X)
    want = numerical_grad(lambda a: np.linalg.norm(a, ord), (_np(X),))
    np.testing.assert_allclose(_np(g), want, rtol=1e-6, atol=1e-8)


def test_norm_refuses_what_it_does_not_compute():
    with pytest.raises(ValueError, match="not supported here"):
        ops.norm(B1, "nuc", dim=(1, 2))
    with pytest.raises(ValueError, match="needs a matrix"):
        ops.norm(X, "fro", dim=1)
    assert ops.norm(X.astype(ms.float32), dtype=ms.float64).dtype == ms.float64


def test_var_and_std_take_mindspores_ddof():
    x = _np(X)
    np.testing.assert_allclose(_np(ops.var(X, ddof=True)), np.var(x, ddof=1))
    np.testing.assert_allclose(_np(ops.var(X, [0, 1], False)), np.var(x))
    np.testing.assert_allclose(_np(ops.std(X, 0, 1, True)), np.std(x, 0, ddof=1, keepdims=True))
    np.testing.assert_allclose(_np(X.std(axis=1)), np.std(x, 1))


def test_gelu_approximations_and_activations_by_formula():
    x = _np(X)
    erf = np.vectorize(math.erf)
    np.testing.assert_allclose(_np(ops.gelu(X)), 0.5 * x * (1 + erf(x / math.sqrt(2))),
                               rtol=1e-12)
    tanh_form = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
    np.testing.assert_allclose(_np(ops.gelu(X, "tanh")), tanh_form, rtol=1e-12)
    np.testing.assert_allclose(_np(ops.GeLU()(X)), tanh_form, rtol=1e-12)  # MindSpore's GeLU
    with pytest.raises(ValueError, match="approximate must be 'none' or 'tanh'"):
        ops.gelu(X, "erf")
    np.testing.assert_allclose(_np(ops.silu(X)), x / (1 + np.exp(-x)), rtol=1e-12)
    np.testing.assert_allclose(_np(ops.softplus(X * 30, 1, 20)),
                               np.where(x * 30 > 20, x * 30, np.logaddexp(0, x * 30)))


# ---------------------------------------------------------------------------------------
# MindSpore 2.x's dropout (p drops) and one_hot (on/off values, axis)
# ---------------------------------------------------------------------------------------

def test_dropout_p_is_the_probability_to_drop():
    ones = Tensor(np.ones((200, 100), np.float32))
    kernels.seed_dropout(1)
    y = _np(ops.dropout(ones, 0.8))  # positional p, as MindSpore 2.x
    assert abs((y > 0).mean() - 0.2) < 0.02
    assert set(np.unique(y)) <= {0.0, np.float32(1 / 0.2)}
    assert ops.dropout(ones, p=0.5, training=False) is ones
    assert ops.dropout(ones, p=0.0) is ones
    np.testing.assert_array_equal(_np(ops.dropout(ones, p=1.0)), 0.0)
    with pytest.raises(ValueError, match="p must be in"):
        ops.dropout(ones, p=1.5)
    out, mask = ops.Dropout(keep_prob=0.7)(ones)
    assert abs(_np(mask).mean() - 0.7) < 0.02
    np.testing.assert_allclose(_np(out), _np(mask) / 0.7, rtol=1e-6)


def test_dropout_layer_and_functional_agree_on_p():
    kernels.seed_dropout(2)
    layer = nn.Dropout(p=0.3)
    layer.set_train(True)
    y = _np(layer(Tensor(np.ones((300, 100)))))
    assert abs((y > 0).mean() - 0.7) < 0.02


def test_dropout_gradient_is_the_mask():
    def f(x):
        return ops.sum(ops.dropout(x, p=0.5) * 2.0)
    kernels.seed_dropout(4)
    g = _np(ops.grad(f)(Tensor(np.ones((50, 40)))))
    assert set(np.unique(g)) <= {0.0, 4.0} and 0.4 < (g > 0).mean() < 0.6


def test_one_hot_takes_mindspores_signature():
    idx = Tensor(np.array([[0, 2], [1, 5]]))
    hot = ops.one_hot(idx, 3)
    assert hot.dtype == ms.int64 and hot.shape == (2, 2, 3)
    np.testing.assert_array_equal(_np(hot)[1, 1], [0, 0, 0])  # out of range: all off
    f = ops.one_hot(idx, 3, Tensor(np.float32(2.0)), Tensor(np.float32(-1.0)), axis=0)
    assert f.dtype == ms.float32 and f.shape == (3, 2, 2)
    np.testing.assert_array_equal(_np(f)[:, 0, 1], [-1, -1, 2])
    assert ops.one_hot(idx, 3, 1.0, 0.0).dtype == ms.float32
    np.testing.assert_array_equal(_np(ops.OneHot(axis=1)(idx, 3, 1.0, 0.0))[0],
                                  [[1, 0], [0, 0], [0, 1]])


def test_embedding_with_one_hot_keeps_the_table_dtype():
    emb = nn.Embedding(5, 3, use_one_hot=True, embedding_table=np.arange(15.0).reshape(5, 3))
    out = emb(Tensor(np.array([4, 0])))
    np.testing.assert_allclose(_np(out), [[12, 13, 14], [0, 1, 2]])


# ---------------------------------------------------------------------------------------
# losses: targets
# ---------------------------------------------------------------------------------------

def test_cross_entropy_class_targets_take_no_gradient_and_probabilities_do():
    def by_index(x, t):
        return ops.cross_entropy(x, t)
    gx, gt = ops.grad(by_index, (0, 1))(X[:3], Tensor(np.array([0, 1, 3])))
    np.testing.assert_array_equal(_np(gt), 0.0)
    p = ops.softmax(Y[:3], 1)

    def by_prob(x, t):
        return ops.cross_entropy(x, t, label_smoothing=0.2)
    gt = ops.grad(by_prob, 1)(X[:3], p)
    logp = _np(ops.log_softmax(X[:3], 1))
    np.testing.assert_allclose(_np(gt), -0.8 * logp / 3, rtol=1e-10)


def test_cross_entropy_mean_divides_by_the_counted_weight():
    w = _np(W4)
    logp = _np(ops.log_softmax(X, 1))
    labels = np.array([0, 3, -100])
    picked = np.array([logp[0, 0] * w[0], logp[1, 3] * w[3]])
    np.testing.assert_allclose(_np(ops.cross_entropy(X, Tensor(labels), W4)),
                               -picked.sum() / (w[0] + w[3]), rtol=1e-12)
    np.testing.assert_allclose(_np(ops.cross_entropy(X, Tensor(labels), W4, reduction="none")),
                               [-picked[0], -picked[1], 0.0], rtol=1e-12)
    with pytest.raises(ValueError, match="reduction must be one of"):
        ops.cross_entropy(X, Tensor(labels), reduction="avg")


# ---------------------------------------------------------------------------------------
# comparisons and predicates: bool Tensors, no gradient
# ---------------------------------------------------------------------------------------

def test_comparisons_give_bool_tensors_eagerly_and_no_gradient():
    for op in (ops.eq, ops.ne, ops.gt, ops.ge, ops.lt, ops.le, ops.greater, ops.less,
               ops.equal, ops.isclose, ops.Equal(), ops.Greater(), ops.Less()):
        out = op(X, Y)
        assert isinstance(out, Tensor) and out.dtype == ms.bool_
    for out in (X < Y, X <= Y, X > Y, X >= Y, X == Y, X != Y, ops.isnan(X), ops.isinf(X),
                ops.isfinite(X), ops.logical_not(X > 0), ops.LogicalAnd()(X > 0, Y > 0)):
        assert isinstance(out, Tensor) and out.dtype == ms.bool_

    def f(x, y):
        return ops.sum(ops.cast(ops.gt(x, y), ms.float64) * x) + ops.sum(ops.floor(x) * y)
    gx, gy = ops.grad(f, (0, 1))(X, Y)
    np.testing.assert_array_equal(_np(gx), _np(X) > _np(Y))
    np.testing.assert_array_equal(_np(gy), np.floor(_np(X)))


def test_round_is_half_to_even_and_mod_floor_mod_follow_mindspore():
    r = Tensor(np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5]))
    np.testing.assert_array_equal(_np(ops.round(r)), [-2, -2, -0, 0, 2, 2])
    a, b = Tensor(np.array([5.0, -5.0, 7.5, -7.5])), Tensor(np.array([3.0, 3.0, -2.0, -2.0]))
    np.testing.assert_array_equal(_np(ops.Mod()(a, b)), [2, -2, 1.5, -1.5])
    np.testing.assert_array_equal(_np(ops.FloorMod()(a, b)), [2, 1, -0.5, -1.5])
    np.testing.assert_array_equal(_np(a % b), _np(ops.remainder(a, b)))
    np.testing.assert_array_equal(_np(ops.floor_div(a, b)), [1, -2, -4, 3])


def test_tensor_operators_are_the_same_eagerly_and_under_a_gradient():
    def f(x, y):
        return ops.sum(1.0 - x + 2.0 ** y + 3.0 / (y * y + 1) + x % 1.3 + (x // 0.7) * y
                       + (x > y) * y + (x @ y.T).sum())
    x, y = _np(X), _np(Y)
    want = (1.0 - x + 2.0 ** y + 3.0 / (y * y + 1) + x % 1.3 + (x // 0.7) * y
            + (x > y) * y + (x @ y.T).sum()).sum()
    np.testing.assert_allclose(_np(f(X, Y)), want, rtol=1e-12)
    value, (gx, gy) = ops.value_and_grad(f, (0, 1))(X, Y)
    np.testing.assert_allclose(_np(value), want, rtol=1e-12)
    num = numerical_grad(lambda a, b: (1.0 - a + 2.0 ** b + 3.0 / (b * b + 1) + a % 1.3
                                       + (a // 0.7) * b + (a > b) * b + (a @ b.T).sum()).sum(),
                         (x, y), grad_position=(0, 1))
    np.testing.assert_allclose(_np(gx), num[0], rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(_np(gy), num[1], rtol=1e-6, atol=1e-8)


# ---------------------------------------------------------------------------------------
# primitive classes with attributes
# ---------------------------------------------------------------------------------------

def test_softmax_cross_entropy_classes():
    logits = _np(X)
    p = _np(ops.softmax(Y, 1))
    loss, backprop = ops.SoftmaxCrossEntropyWithLogits()(X, Tensor(p))
    logp = logits - np.log(np.exp(logits).sum(1, keepdims=True))
    np.testing.assert_allclose(_np(loss), -(p * logp).sum(1), rtol=1e-12)
    np.testing.assert_allclose(_np(backprop), np.exp(logp) - p, rtol=1e-10, atol=1e-14)
    labels = Tensor(np.array([0, 3, 2]))
    mean = ops.SparseSoftmaxCrossEntropyWithLogits()(X, labels)
    np.testing.assert_allclose(_np(mean), -logp[[0, 1, 2], [0, 3, 2]].mean(), rtol=1e-12)
    grad = ops.SparseSoftmaxCrossEntropyWithLogits(is_grad=True)(X, labels)
    np.testing.assert_allclose(_np(grad), _np(ops.grad(
        lambda x: ops.SparseSoftmaxCrossEntropyWithLogits()(x, labels))(X)), rtol=1e-10)


def test_bias_add_addn_squared_difference_and_elu_classes():
    x = Tensor(np.zeros((2, 3, 2, 2)))
    b = Tensor(np.array([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(_np(ops.BiasAdd()(x, b))[1, :, 1, 0], [1, 2, 3])
    np.testing.assert_array_equal(_np(ops.BiasAdd("NHWC")(Tensor(np.zeros((2, 3))), b))[0],
                                  [1, 2, 3])
    np.testing.assert_allclose(_np(ops.AddN()((X, Y, X))), 2 * _np(X) + _np(Y))
    np.testing.assert_allclose(_np(ops.SquaredDifference()(X, Y)), (_np(X) - _np(Y)) ** 2)
    np.testing.assert_allclose(_np(ops.Elu(0.5)(X)), _np(ops.elu(X, 0.5)))
    with pytest.raises(ValueError, match="data_format"):
        ops.BiasAdd("NCW")


def test_distances_match_numpy_and_a_zero_distance_has_gradient_zero():
    x, y = _np(X), _np(Y)
    d = np.sqrt(((x[:, None, :] - y[None, :, :]) ** 2).sum(-1))
    np.testing.assert_allclose(_np(ops.cdist(X, Y)), d, rtol=1e-12)
    i, j = np.triu_indices(3, 1)
    self_d = np.sqrt(((x[:, None, :] - x[None, :, :]) ** 2).sum(-1))
    np.testing.assert_allclose(_np(ops.pdist(X)), self_d[i, j], rtol=1e-12)

    def f(a):
        return ops.sum(ops.cdist(a, a))
    g = _np(ops.grad(f)(X))
    assert np.all(np.isfinite(g))
    want = numerical_grad(lambda a: np.sum(np.sqrt(((a[:, None] - a[None]) ** 2).sum(-1))), (x,))
    np.testing.assert_allclose(g, want, rtol=1e-5, atol=1e-6)


def test_tensor_operators_type_results_as_mindspore():
    i = Tensor(np.array([1, 2, 3]))
    f = Tensor(np.array([1.0, 2.0, 3.0], np.float32))
    b = Tensor(np.array([True, False, True]))
    for value, dtype in [(i / 2, ms.float32), (i * 1.5, ms.float32), (i + f, ms.float32),
                         (2 / i, ms.float32), (2.0 ** i, ms.float32), (b * 1.5, ms.float32),
                         (i // 2, ms.int64), (i % 2, ms.int64), (2 ** i, ms.int64),
                         (f ** 2, ms.float32), (1 - f, ms.float32), (f // 0.7, ms.float32),
                         (i > 1.5, ms.bool_), (b & b, ms.bool_), (~b, ms.bool_),
                         (f * Tensor(np.ones(3)), ms.float64), (i @ i, ms.int64)]:
        assert value.dtype == dtype
    np.testing.assert_allclose(_np(i / 2), [0.5, 1.0, 1.5])
    assert (f == None) is False and (f != None) is True  # noqa: E711 (MindSpore's answer)


def test_remainder_and_fmod_keep_integers():
    a, b = Tensor(np.array([5, -5, 7, -7])), Tensor(np.array([3, 3, -2, -2]))
    assert ops.remainder(a, b).dtype == ms.int64 and ops.fmod(a, b).dtype == ms.int64
    np.testing.assert_array_equal(_np(ops.remainder(a, b)), [2, 1, -1, -1])
    np.testing.assert_array_equal(_np(ops.fmod(a, b)), [2, -2, 1, -1])


class _ZooBlock(nn.Cell):
    """A classifier head as model-zoo code writes it, with primitive classes."""

    def __init__(self):
        super().__init__()
        self.w = ms.Parameter(Tensor(np.random.default_rng(3).standard_normal((4, 5)) * 0.5),
                              name="w")
        self.gelu = ops.GeLU()
        self.dropout = ops.Dropout(keep_prob=1.0)
        self.one_hot = ops.OneHot()
        self.xent = ops.SoftmaxCrossEntropyWithLogits()
        self.norm = ops.L2Normalize(axis=-1)
        self.on, self.off = Tensor(np.float64(1.0)), Tensor(np.float64(0.0))

    def construct(self, x, labels):
        h = self.gelu(ops.matmul(self.norm(x), self.w))
        h, _ = self.dropout(h)
        loss, _ = self.xent(h, self.one_hot(labels, 5, self.on, self.off))
        return ops.mean(loss) + 0.01 * ops.norm(self.w) ** 2


def test_a_model_zoo_block_with_primitive_classes_trains():
    net = _ZooBlock()
    x, labels = X, Tensor(np.array([0, 4, 2]))
    loss, grads = ops.value_and_grad(net, None, net.trainable_params())(x, labels)
    w0 = net.w.asnumpy().copy()

    def numpy_loss(w):
        xn = _np(X) / np.sqrt(np.maximum((_np(X) ** 2).sum(-1, keepdims=True), 1e-4))
        z = xn @ w
        h = 0.5 * z * (1 + np.tanh(math.sqrt(2 / math.pi) * (z + 0.044715 * z ** 3)))
        logp = h - np.log(np.exp(h).sum(1, keepdims=True))
        return -logp[[0, 1, 2], [0, 4, 2]].mean() + 0.01 * (w ** 2).sum()
    np.testing.assert_allclose(_np(loss), numpy_loss(w0), rtol=1e-10)
    np.testing.assert_allclose(_np(grads[0]), numerical_grad(numpy_loss, (w0,)), rtol=1e-6,
                               atol=1e-8)
    clipped = ops.clip_by_global_norm(grads, 1e-3)
    np.testing.assert_allclose(np.linalg.norm(_np(clipped[0])), 1e-3, rtol=1e-6)
