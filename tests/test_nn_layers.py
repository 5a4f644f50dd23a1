"""The nn kernels, their primitives and rules, the layers and the losses.

1. Each rule of :mod:`autograd_st.rules_nn` against central finite differences in float64:
   for primitive ``p`` with rule ``r``, ``r(dout, out, *args)[k]`` is the gradient of
   ``sum(p.fn(*args) * dout)`` with respect to the k-th differentiable argument.
2. The convolution kernels against a direct loop, and their adjoint identities.
3. Layer and loss forward values against numpy written out by hand.
4. A few gradients through the compiler (``ops.value_and_grad``) against finite differences.
"""
from __future__ import annotations

import inspect
import math

import numpy as np
import pytest
from helpers import assert_close

import autograd_st
from autograd_st import Parameter, Tensor, kernels, kernels_rnn, nn, numerical_grad, ops, rules_nn
from autograd_st.nn import layers
from autograd_st.rules import REGISTRY

RNG_SEED = 1234


def rng(seed: int = RNG_SEED):
    return np.random.default_rng(seed)


# ---------------------------------------------------------------------------------------
# 1. rules against finite differences
# ---------------------------------------------------------------------------------------

def _fd_rule_check(name: str, args: list, seed: int = 0, rtol: float = 1e-6,
                   atol: float = 1e-7) -> None:
    """Compare each gradient of ``name``'s rule with central differences of
    ``sum(fn(*args) * dout)``."""
    prim = REGISTRY[name]
    g = np.random.default_rng(seed)
    out = prim.fn(*args)
    dout = g.standard_normal(np.shape(out))
    grads = prim.vjp(dout, out, *args)
    assert len(grads) == len(prim.diff)
    for pname, grad in zip(prim.diff, grads):
        k = prim.params.index(pname)
        x = np.array(args[k], dtype=np.float64)
        local = list(args)
        local[k] = x
        want = numerical_grad(lambda *a: prim.fn(*a) * dout, local, k)  # of sum(fn * dout)
        assert np.shape(grad) == x.shape, "%s: d%s has shape %s, expected %s" % (
            name, pname, np.shape(grad), x.shape)
        np.testing.assert_allclose(grad, want, rtol=rtol, atol=atol,
                                   err_msg="%s: gradient w.r.t. %s" % (name, pname))


# (x shape, w shape, stride, pad, dilation, group)
CONV_GEOMETRIES = [
    ((2, 3, 5, 5), (4, 3, 3, 3), (1, 1), "valid", (1, 1), 1),
    ((1, 2, 5, 6), (3, 2, 3, 2), (2, 2), "same", (1, 1), 1),
    ((1, 2, 6, 5), (2, 2, 2, 3), (1, 2), (1, 0, 2, 1), (1, 1), 1),
    ((1, 2, 7, 7), (2, 2, 3, 3), (1, 1), "same", (2, 2), 1),
    ((2, 4, 4, 4), (6, 2, 3, 3), (2, 1), "same", (1, 1), 2),
    ((1, 1, 6, 6), (1, 1, 2, 2), (3, 3), "valid", (1, 1), 1),  # rows the kernel never reaches
]


def _rand(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape)


@pytest.mark.parametrize("geo", CONV_GEOMETRIES, ids=lambda g: "x%s_w%s_s%s_%s" % g[:4])
def test_conv2d_rules_match_finite_differences(geo):
    xs, ws, stride, pad, dilation, group = geo
    x, w = _rand(xs, 1), _rand(ws, 2)
    y = kernels.conv2d_forward(x, w, stride, pad, dilation, group)
    dy = _rand(y.shape, 3)
    _fd_rule_check("conv2d", [x, w, stride, pad, dilation, group])
    _fd_rule_check("conv2d_grad_input", [dy, w, x, stride, pad, dilation, group])
    _fd_rule_check("conv2d_grad_weight", [x, dy, w, stride, pad, dilation, group])


ELEMENTWISE_SHAPES = [(), (4,), (2, 3)]


@pytest.mark.parametrize("shape", ELEMENTWISE_SHAPES, ids=str)
def test_erf_and_softplus_rules(shape):
    x = _rand(shape, 4) * 2.0
    _fd_rule_check("erf", [x])
    _fd_rule_check("softplus", [x * 10.0])  # large |x|: logaddexp must not overflow


@pytest.mark.parametrize("axis,ddof,keepdims", [(None, 0, False), (0, 0, False), (1, 1, True),
                                                ((0, 2), 0, True), ((0, 2), 1, False),
                                                (-1, 1, False)])
def test_var_rule(axis, ddof, keepdims):
    x = _rand((3, 4, 5), 5)
    _fd_rule_check("var", [x, axis, ddof, keepdims])
    assert_close(REGISTRY["var"].fn(x, axis, ddof, keepdims),
                 np.var(x, axis=axis, ddof=ddof, keepdims=keepdims))


@pytest.mark.parametrize("shape,start,end,expect", [
    ((2, 3, 4), 1, -1, (2, 12)), ((2, 3, 4), 0, 1, (6, 4)), ((2, 3, 4, 5), 1, 2, (2, 12, 5)),
    ((), 1, -1, (1,))])
def test_flatten_rule_and_shape(shape, start, end, expect):
    x = _rand(shape, 6)
    assert REGISTRY["flatten"].fn(x, start, end).shape == expect
    _fd_rule_check("flatten", [x, start, end])


@pytest.mark.parametrize("like_shape,axis,expect", [((2, 3, 4, 4), 1, (1, 3, 1, 1)),
                                                    ((4, 3), 1, (1, 3)),
                                                    ((2, 5, 3), -1, (1, 1, 3))])
def test_reshape_along_rule(like_shape, axis, expect):
    v = _rand((like_shape[axis],), 7)
    like = np.zeros(like_shape)
    assert REGISTRY["reshape_along"].fn(v, like, axis).shape == expect
    _fd_rule_check("reshape_along", [v, like, axis])


def test_depend_passes_value_and_gradient():
    value, effect = _rand((2, 3), 8), _rand((4,), 9)
    assert REGISTRY["depend"].fn(value, effect) is value
    _fd_rule_check("depend", [value, effect])


def _xent_by_hand(logits, labels):
    """Per-row ``-log softmax(logits)[label]`` and its gradient, in float64, each row shifted
    by its own max (numpy written out, no shortcut)."""
    z = np.asarray(logits, np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    hot = np.eye(z.shape[-1])[labels]
    return -(logp * hot).sum(axis=-1), np.exp(logp) - hot


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("batch", [(), (6,), (2, 3)], ids=str)
def test_sparse_softmax_xent_kernels_match_numpy(batch, dtype):
    g = rng(11)
    logits = (3.0 * g.standard_normal(batch + (7,))).astype(dtype)
    labels = g.integers(0, 7, batch).astype(np.int32)
    dloss = g.standard_normal(batch).astype(dtype)
    want, want_grad = _xent_by_hand(logits, labels)
    loss = kernels.sparse_softmax_xent(logits, labels)
    grad = kernels.sparse_softmax_xent_grad(logits, labels, dloss)
    assert loss.dtype == dtype and np.shape(loss) == batch
    assert grad.dtype == dtype and grad.shape == logits.shape
    tol = 1e-6 if dtype == np.float32 else 1e-13
    np.testing.assert_allclose(loss, want, rtol=tol, atol=tol)
    np.testing.assert_allclose(grad, want_grad * np.expand_dims(dloss, -1), rtol=tol, atol=tol)
    # a scalar incoming gradient (the mean's) broadcasts over the rows
    np.testing.assert_allclose(kernels.sparse_softmax_xent_grad(logits, labels, dtype(0.5)),
                               0.5 * want_grad, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sparse_softmax_xent_rows_far_apart_and_huge_logits(dtype):
    """One whole-array shift is used only when no row's sum can underflow: rows 1000 below
    the largest logit, and logits near the dtype's largest value, take each row's own max."""
    big = float(np.finfo(dtype).max) / 4
    for offsets in ([0.0, -1000.0, -30.0, 5.0], [0.0, big, -big, 1.0]):
        g = rng(12)
        logits = (g.standard_normal((4, 5)) + np.array(offsets)[:, None]).astype(dtype)
        labels = np.array([0, 4, 2, 1], np.int32)
        want, want_grad = _xent_by_hand(logits, labels)
        loss = kernels.sparse_softmax_xent(logits, labels)
        grad = kernels.sparse_softmax_xent_grad(logits, labels, np.ones(4, dtype))
        assert np.all(np.isfinite(loss)) and np.all(np.isfinite(grad))
        np.testing.assert_allclose(loss, want, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(grad, want_grad, rtol=1e-5, atol=1e-6)
    # float64 rows far apart: the gradient against central differences too
    logits = rng(13).standard_normal((3, 4)) + np.array([[0.0], [-400.0], [2.0]])
    labels = np.array([1, 3, 0], np.int32)
    _fd_rule_check("sparse_softmax_xent", [logits, labels])
    _fd_rule_check("sparse_softmax_xent_grad", [logits, labels, rng(14).standard_normal(3)])


@pytest.mark.parametrize("labels,message", [
    (np.array([0.0, 1.0, 2.0]), r"labels must be integer class indices .*got dtype float64"),
    (np.array([[0], [1], [2]], np.int32), r"labels have shape \(3, 1\).*labels of shape \(3,\)"),
    (np.array([0, 4, 1], np.int64), r"label 4 at index \(1,\) is not a class index in \[0, 4\)"),
    (np.array([0, 1, -1], np.int32), r"label -1 at index \(2,\) is not a class index in \[0, 4\)"),
])
def test_sparse_softmax_xent_refuses_bad_labels(labels, message):
    logits = rng(15).standard_normal((3, 4))
    for call in (lambda: kernels.sparse_softmax_xent(logits, labels),
                 lambda: kernels.sparse_softmax_xent_grad(logits, labels, np.ones(3))):
        with pytest.raises(autograd_st.errors.InputValueError, match=message):
            call()
    loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="mean")
    with pytest.raises(ValueError, match=message):  # through the compiled gradient too
        ops.value_and_grad(loss)(Tensor(logits), Tensor(labels))


def test_every_nn_primitive_is_registered_and_tested_here():
    """Each primitive rules_nn registers is in NN_PRIMITIVES; each kernel tag names a
    primitive whose parameters are the kernel's, in order (calls to the kernel in generated
    code are that primitive)."""
    registered = {n for n, p in REGISTRY.items() if p.fn.__module__ == "autograd_st.rules_nn"}
    assert registered == set(rules_nn.NN_PRIMITIVES)
    tested_here = {"conv2d", "conv2d_grad_input", "conv2d_grad_weight", "erf", "softplus",
                   "max_pool2d", "max_pool2d_scatter", "max_pool2d_gather", "pixel_shuffle",
                   "pixel_unshuffle", "adaptive_max_pool2d", "adaptive_max_pool2d_scatter",
                   "adaptive_max_pool2d_gather",  # these eight: rows in tests/rule_specs_nn.py
                   "depth_to_space", "space_to_depth", "load",  # rows in rule_specs_nn.py too
                   "var", "flatten", "reshape_along", "depend", "sparse_softmax_xent",
                   "sparse_softmax_xent_grad",
                   "lstm_seq", "lstm_seq_dgates",  # rows in rule_specs_nn.py, test_nn_rnn.py
                   "linear", "linear_dx", "linear_dw"}  # rows in tests/rule_specs.py
    assert {n for n in registered if REGISTRY[n].diff} == tested_here
    for module in (kernels, kernels_rnn):
        for name in module.KERNEL_NAMES:
            kernel = getattr(module, name)
            prim = REGISTRY[kernel._autograd_st_prim]
            assert list(inspect.signature(kernel).parameters) == prim.params, name
    for name in rules_nn.NN_PRIMITIVES:
        prim = REGISTRY[name]
        assert prim.template.results[0] is not None
        if prim.diff:
            assert len(prim.vjp_template.results) == len(prim.diff)


# ---------------------------------------------------------------------------------------
# 2. convolution kernels
# ---------------------------------------------------------------------------------------

def _naive_conv(x, w, stride, pads, dilation, group):
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    top, bottom, left, right = pads
    xp = np.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    (sh, sw), (dh, dw) = stride, dilation
    ho = (h + top + bottom - (kh - 1) * dh - 1) // sh + 1
    wo = (wd + left + right - (kw - 1) * dw - 1) // sw + 1
    out = np.zeros((n, o, ho, wo))
    og = o // group
    for b in range(n):
        for oc in range(o):
            g = oc // og
            for i in range(ho):
                for j in range(wo):
                    for ci in range(cg):
                        for p in range(kh):
                            for q in range(kw):
                                out[b, oc, i, j] += (xp[b, g * cg + ci, i * sh + p * dh,
                                                        j * sw + q * dw] * w[oc, ci, p, q])
    return out


@pytest.mark.parametrize("geo", CONV_GEOMETRIES, ids=lambda g: "x%s_w%s_s%s_%s" % g[:4])
def test_conv2d_forward_matches_direct_loop(geo):
    xs, ws, stride, pad, dilation, group = geo
    x, w = _rand(xs, 10), _rand(ws, 11)
    pads = kernels.conv2d_pads(xs[2:], ws[2:], stride, dilation, pad)
    assert_close(kernels.conv2d_forward(x, w, stride, pad, dilation, group),
                 _naive_conv(x, w, stride, pads, dilation, group), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("geo", CONV_GEOMETRIES, ids=lambda g: "x%s_w%s_s%s_%s" % g[:4])
def test_conv2d_adjoint_identities(geo):
    """<conv(x, w), dy> == <x, grad_input(dy, w)> == <w, grad_weight(x, dy)>."""
    xs, ws, stride, pad, dilation, group = geo
    x, w = _rand(xs, 12), _rand(ws, 13)
    y = kernels.conv2d_forward(x, w, stride, pad, dilation, group)
    dy = _rand(y.shape, 14)
    b = np.sum(y * dy)
    gx = kernels.conv2d_grad_input(dy, w, x, stride, pad, dilation, group)
    gw = kernels.conv2d_grad_weight(x, dy, w, stride, pad, dilation, group)
    assert math.isclose(np.sum(x * gx), b, rel_tol=1e-10, abs_tol=1e-10)
    assert math.isclose(np.sum(w * gw), b, rel_tol=1e-10, abs_tol=1e-10)


@pytest.mark.parametrize("geo", CONV_GEOMETRIES + [
    ((2, 2, 4, 4), (12, 2, 3, 3), (1, 1), "valid", (1, 1), 1),  # O/G > Ho Wo: the other layout
    ((1, 4, 5, 5), (8, 2, 4, 4), (1, 1), "valid", (1, 1), 2)],
    ids=lambda g: "x%s_w%s_s%s_%s" % g[:4])
@pytest.mark.parametrize("dtypes", [("f8", "f8", "f8"), ("f4", "f4", "f4"), ("f4", "f8", "f4"),
                                    ("f4", "f4", "f8"), ("f8", "f4", "f4")], ids="-".join)
def test_the_saving_conv2d_pair_gives_the_primitives_results(geo, dtypes):
    """``conv2d_forward_saving`` and ``conv2d_grad_weight_saved`` (what lowered code runs:
    the weight gradient from the forward's im2col columns) give exactly what
    ``conv2d_forward`` and ``conv2d_grad_weight`` give, dtypes included."""
    xs, ws, stride, pad, dilation, group = geo
    x = _rand(xs, 20).astype(dtypes[0])
    w = _rand(ws, 21).astype(dtypes[1])
    y, saved = kernels.conv2d_forward_saving(x, w, stride, pad, dilation, group)
    want_y = kernels.conv2d_forward(x, w, stride, pad, dilation, group)
    assert y.dtype == want_y.dtype
    np.testing.assert_array_equal(y, want_y)
    dy = _rand(y.shape, 22).astype(dtypes[2])
    got = kernels.conv2d_grad_weight_saved(saved, dy)
    want = kernels.conv2d_grad_weight(x, dy, w, stride, pad, dilation, group)
    assert got.dtype == want.dtype and got.shape == w.shape
    np.testing.assert_array_equal(got, want)
    # saved is only read: a second backward from it gives the same answer
    np.testing.assert_array_equal(kernels.conv2d_grad_weight_saved(saved, dy), want)


def test_same_padding_puts_the_odd_row_at_the_bottom_right():
    assert kernels.conv2d_pads((5, 6), (2, 3), (1, 1), (1, 1), "same") == (0, 1, 1, 1)
    assert kernels.conv2d_pads((5, 5), (3, 3), (2, 2), (1, 1), "same") == (1, 1, 1, 1)
    assert kernels.conv2d_pads((6, 6), (3, 3), (2, 2), (1, 1), "same") == (0, 1, 0, 1)
    assert kernels.conv2d_output_hw((7, 6), (3, 3), (2, 2), (1, 1), "same") == (4, 3)
    assert kernels.conv2d_pads((4, 4), (3, 3), 1, 1, 2) == (2, 2, 2, 2)


def test_conv2d_keeps_float32():
    x = np.ones((1, 2, 4, 4), np.float32)
    w = np.ones((3, 2, 3, 3), np.float32)
    assert kernels.conv2d_forward(x, w).dtype == np.float32
    dy = np.ones((1, 3, 2, 2), np.float32)
    assert kernels.conv2d_grad_input(dy, w, x).dtype == np.float32
    assert kernels.conv2d_grad_weight(x, dy, w).dtype == np.float32


def test_conv2d_rejects_bad_geometry():
    with pytest.raises(ValueError, match="channels"):
        kernels.conv2d_forward(np.ones((1, 3, 4, 4)), np.ones((2, 2, 3, 3)))
    with pytest.raises(ValueError, match="does not fit"):
        kernels.conv2d_forward(np.ones((1, 1, 2, 2)), np.ones((1, 1, 3, 3)))


# ---------------------------------------------------------------------------------------
# primitives without a gradient
# ---------------------------------------------------------------------------------------

def test_one_hot_and_one_hot_like():
    idx = np.array([[0, 2], [5, -1]])
    hot = kernels.one_hot(idx, 4, np.float64)
    assert hot.shape == (2, 2, 4) and hot.dtype == np.float64
    assert_close(hot[0, 0], [1, 0, 0, 0])
    assert_close(hot[0, 1], [0, 0, 1, 0])
    assert_close(hot[1], np.zeros((2, 4)))  # out of range: zeros
    like = np.zeros((2, 3, 2), np.float32)  # classes on axis 1
    labels = np.array([[0, 2], [1, -100]])
    h = kernels.one_hot_like(labels, like, 1, -100)
    assert h.shape == like.shape and h.dtype == np.float32
    assert_close(h[:, :, 0], [[1, 0, 0], [0, 1, 0]])
    assert_close(h[:, :, 1], [[0, 0, 1], [0, 0, 0]])
    h2 = kernels.one_hot_like(np.array([0, 1, 2]), np.zeros((3, 3)), -1, 1)
    assert_close(h2, [[1, 0, 0], [0, 0, 0], [0, 0, 1]])  # ignore_index may be a real class


def test_assign_writes_the_parameter_storage():
    p = Parameter(np.zeros(3, np.float32), name="p")
    out = REGISTRY["assign"].fn(p.asnumpy(), np.array([1.0, 2.0, 3.0]))
    assert out is p.asnumpy()
    assert_close(p, np.array([1.0, 2.0, 3.0], np.float32))
    assert p.asnumpy().dtype == np.float32


def test_dropout_mask_keeps_the_expected_fraction_and_scale():
    kernels.seed_dropout(3)
    m = kernels.dropout_mask(np.zeros((200, 50), np.float32), 0.8)
    assert m.dtype == np.float32
    assert set(np.unique(m)) <= {0.0, np.float32(1 / 0.8)}
    assert abs((m > 0).mean() - 0.8) < 0.02


# ---------------------------------------------------------------------------------------
# 3. layer forward values against numpy
# ---------------------------------------------------------------------------------------

def test_dense_forward_with_bias_activation_and_leading_axes():
    g = rng()
    w, b = g.standard_normal((3, 4)), g.standard_normal(3)
    x = g.standard_normal((2, 5, 4))
    net = nn.Dense(4, 3, weight_init=Tensor(w), bias_init=b, activation="tanh")
    assert [p.name for p in net.trainable_params()] == ["weight", "bias"]
    assert_close(net(Tensor(x)), np.tanh(x @ w.T + b), rtol=1e-12)
    bare = nn.Dense(4, 3, weight_init=w, has_bias=False, activation=nn.ReLU())
    assert [p.name for p in bare.trainable_params()] == ["weight"]
    assert_close(bare(Tensor(x)), np.maximum(x @ w.T, 0), rtol=1e-12)


def test_dense_default_initializers_are_mindspores_uniform_bounds():
    layers.seed_initializers(0)
    net = nn.Dense(25, 40)
    w, b = net.weight.asnumpy(), net.bias.asnumpy()
    assert w.dtype == np.float32 and w.shape == (40, 25) and b.shape == (40,)
    assert np.abs(w).max() <= 1 / 5 and np.abs(w).max() > 0.15  # HeUniform(sqrt 5): 1/sqrt(in)
    assert np.abs(b).max() <= 1 / 5 and np.abs(b).std() > 0.05


@pytest.mark.parametrize("init,check", [
    ("zeros", lambda a: np.all(a == 0)), ("ones", lambda a: np.all(a == 1)),
    ("normal", lambda a: 0.005 < a.std() < 0.02),
    ("uniform", lambda a: np.abs(a).max() <= 0.07),
    # MindSpore's TruncatedNormal(): sigma 0.01 kept in [-2, 2] (bounds on the values)
    ("truncatedNormal", lambda a: np.abs(a).max() <= 2 and 0.005 < a.std() < 0.02),
    ("HeUniform", lambda a: np.abs(a).max() <= math.sqrt(6 / 50)),
    ("XavierUniform", lambda a: np.abs(a).max() <= math.sqrt(6 / 90)),
    ("HeNormal", lambda a: 0.1 < a.std() < 0.3), (0.5, lambda a: np.all(a == 0.5)),
])
def test_named_initializers(init, check):
    a = layers.initialize(init, (40, 50))
    assert a.shape == (40, 50) and a.dtype == np.float32
    assert check(a)


def test_initializer_errors():
    with pytest.raises(ValueError, match="shape"):
        nn.Dense(3, 2, weight_init=Tensor(np.zeros((3, 2))))
    with pytest.raises(ValueError, match="unknown initializer"):
        layers.initialize("nope", (2,))
    with pytest.raises(ValueError, match="activation"):
        nn.Dense(3, 2, activation="swishy")


@pytest.mark.parametrize("pad_mode,padding,stride,dilation,group,has_bias", [
    ("same", 0, 2, 1, 1, False), ("valid", 0, (1, 2), 1, 1, True),
    ("pad", (1, 0, 2, 1), 1, 2, 1, True), ("pad", 1, 1, 1, 2, False)])
def test_conv2d_layer_forward(pad_mode, padding, stride, dilation, group, has_bias):
    g = rng()
    w = g.standard_normal((4, 4 // group, 3, 2))
    b = g.standard_normal(4)
    x = g.standard_normal((2, 4, 7, 6))
    conv = nn.Conv2d(4, 4, (3, 2), stride, pad_mode, padding, dilation, group, has_bias,
                     weight_init=w, bias_init=b)
    assert [p.name for p in conv.trainable_params()] == (["weight", "bias"] if has_bias
                                                         else ["weight"])
    s = (stride, stride) if isinstance(stride, int) else stride
    pad = pad_mode if pad_mode != "pad" else padding
    pads = kernels.conv2d_pads((7, 6), (3, 2), s, (dilation, dilation), pad)
    want = _naive_conv(x, w, s, pads, (dilation, dilation), group)
    if has_bias:
        want = want + b.reshape(1, -1, 1, 1)
    assert_close(conv(Tensor(x)), want, rtol=1e-10, atol=1e-12)


def test_conv2d_defaults_and_errors():
    conv = nn.Conv2d(3, 8, 3)
    assert conv.weight.shape == (8, 3, 3, 3) and not conv.has_bias
    assert conv(Tensor(np.ones((1, 3, 5, 7), np.float32))).shape == (1, 8, 5, 7)  # 'same'
    with pytest.raises(ValueError, match="padding must be 0"):
        nn.Conv2d(3, 8, 3, padding=1)
    with pytest.raises(ValueError, match="divisible"):
        nn.Conv2d(3, 8, 3, group=2)


def _bn_reference(x, gamma, beta, mean, var, eps, axes):
    shape = [1] * x.ndim
    ch = [a for a in range(x.ndim) if a not in axes][0]
    shape[ch] = -1
    gamma, beta, mean, var = (np.reshape(v, shape) for v in (gamma, beta, mean, var))
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def test_batchnorm2d_inference_uses_moving_statistics():
    g = rng()
    gamma, beta = g.standard_normal(3), g.standard_normal(3)
    mm, mv = g.standard_normal(3), g.random(3) + 0.5
    bn = nn.BatchNorm2d(3, eps=1e-3, gamma_init=gamma, beta_init=beta, moving_mean_init=mm,
                        moving_var_init=mv)
    assert not bn.training
    x = g.standard_normal((2, 3, 4, 5))
    assert_close(bn(Tensor(x)), _bn_reference(x, gamma, beta, mm, mv, 1e-3, (0, 2, 3)),
                 rtol=1e-12)
    assert_close(bn.moving_mean, mm)  # untouched
    names = [p.name for p in bn.get_parameters()]
    assert names == ["mean", "variance", "gamma", "beta"]  # MindSpore's names, standalone
    assert [p.name for p in bn.trainable_params()] == ["gamma", "beta"]


def test_batchnorm2d_training_uses_batch_statistics_and_updates_moving_ones():
    g = rng()
    gamma, beta = g.standard_normal(3), g.standard_normal(3)
    x = g.standard_normal((4, 3, 2, 3)) * 2 + 1
    bn = nn.BatchNorm2d(3, momentum=0.8, gamma_init=gamma, beta_init=beta,
                        moving_mean_init=np.zeros(3), moving_var_init=np.ones(3))
    bn.set_train(True)
    out = bn(Tensor(x))
    mean, var = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))
    assert_close(out, _bn_reference(x, gamma, beta, mean, var, 1e-5, (0, 2, 3)), rtol=1e-10)
    unbiased = x.var(axis=(0, 2, 3), ddof=1)
    assert_close(bn.moving_mean, 0.2 * mean, rtol=1e-12)
    assert_close(bn.moving_variance, 0.8 + 0.2 * unbiased, rtol=1e-12)
    bn(Tensor(x))
    assert_close(bn.moving_mean, 0.8 * 0.2 * mean + 0.2 * mean, rtol=1e-12)
    fixed = nn.BatchNorm2d(3, use_batch_statistics=False)
    fixed.set_train(True)
    assert_close(fixed(Tensor(x)), x / np.sqrt(1 + 1e-5), rtol=1e-12)


def test_batchnorm1d_and_nhwc():
    g = rng()
    x = g.standard_normal((6, 4))
    bn = nn.BatchNorm1d(4, use_batch_statistics=True)
    assert_close(bn(Tensor(x)), (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-5), rtol=1e-10)
    x4 = g.standard_normal((2, 3, 3, 5))
    nhwc = nn.BatchNorm2d(5, data_format="NHWC", use_batch_statistics=True)
    m, v = x4.mean(axis=(0, 1, 2)), x4.var(axis=(0, 1, 2))
    assert_close(nhwc(Tensor(x4)), (x4 - m) / np.sqrt(v + 1e-5), rtol=1e-10)


def test_layernorm_forward():
    g = rng()
    gamma, beta = g.standard_normal((4, 5)), g.standard_normal((4, 5))
    x = g.standard_normal((3, 4, 5))
    ln = nn.LayerNorm((4, 5), begin_norm_axis=1, begin_params_axis=1, gamma_init=gamma,
                      beta_init=beta)
    m = x.mean(axis=(1, 2), keepdims=True)
    v = x.var(axis=(1, 2), keepdims=True)
    assert_close(ln(Tensor(x)), (x - m) / np.sqrt(v + 1e-7) * gamma + beta, rtol=1e-10)


@pytest.mark.parametrize("one_hot", [False, True])
def test_embedding_lookup(one_hot):
    g = rng()
    table = g.standard_normal((6, 3))
    ids = np.array([[0, 2, 2], [5, 1, 0]], np.int32)
    emb = nn.Embedding(6, 3, use_one_hot=one_hot, embedding_table=table)
    out = emb(Tensor(ids))
    assert out.shape == (2, 3, 3)
    assert_close(out, table[ids], rtol=1e-12)
    assert [p.name for p in emb.trainable_params()] == ["embedding_table"]


def test_embedding_defaults_and_padding_idx():
    layers.seed_initializers(1)
    emb = nn.Embedding(10, 4, padding_idx=3)
    t = emb.embedding_table.asnumpy()
    assert t.dtype == np.float32 and t.shape == (10, 4)
    assert np.all(t[3] == 0) and 0.003 < t.std() < 0.02  # 'normal': sigma 0.01
    with pytest.raises(ValueError):
        nn.Embedding(10, 4, padding_idx=10)


def test_activations():
    x = np.linspace(-7, 7, 15).reshape(3, 5)
    t = Tensor(x)
    sm = np.exp(x) / np.exp(x).sum(axis=0, keepdims=True)
    erf = np.vectorize(math.erf)
    cases = [
        (nn.ReLU(), np.maximum(x, 0)), (nn.ReLU6(), np.clip(x, 0, 6)),
        (nn.LeakyReLU(0.1), np.where(x > 0, x, 0.1 * x)), (nn.Sigmoid(), 1 / (1 + np.exp(-x))),
        (nn.Tanh(), np.tanh(x)), (nn.Softmax(axis=0), sm), (nn.LogSoftmax(axis=0), np.log(sm)),
        (nn.GELU(), 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))),
        (nn.GELU(approximate=False), 0.5 * x * (1 + erf(x / math.sqrt(2)))),
        (nn.Identity(), x),
    ]
    for cell, want in cases:
        assert_close(cell(t), want, rtol=1e-10, atol=1e-12)


def test_flatten_and_dropout():
    x = Tensor(np.arange(24.0).reshape(2, 3, 4))
    assert nn.Flatten()(x).shape == (2, 12)
    assert nn.Flatten(0, 1)(x).shape == (6, 4)
    drop = nn.Dropout(p=0.25)
    assert drop.keep_prob == 0.75
    assert drop(x) is x  # inference: the identity
    drop.set_train(True)
    kernels.seed_dropout(0)
    y = drop(Tensor(np.ones((100, 100)))).asnumpy()
    # the scale: 1 / keep_prob, or under a global seed MindSpore's float32 1.f / keep_prob
    scales = {1 / 0.75, float(np.float32(1.0) / np.float32(0.75))}
    assert set(np.unique(y)) <= {0.0} | scales and abs((y > 0).mean() - 0.75) < 0.03
    keep_all = nn.Dropout(keep_prob=1.0)
    keep_all.set_train(True)
    assert_close(keep_all(x), x)
    with pytest.raises(ValueError):
        nn.Dropout(keep_prob=0.0)


def test_sequential_cell_names_order_and_forward():
    g = rng()
    w1, w2 = g.standard_normal((5, 4)), g.standard_normal((2, 5))
    seq = nn.SequentialCell([nn.Dense(4, 5, weight_init=w1, has_bias=False), nn.ReLU(),
                             nn.Dense(5, 2, weight_init=w2, has_bias=False)])
    assert [p.name for p in seq.trainable_params()] == ["0.weight", "2.weight"]
    x = g.standard_normal((3, 4))
    assert_close(seq(Tensor(x)), np.maximum(x @ w1.T, 0) @ w2.T, rtol=1e-12)
    assert len(seq) == 3 and isinstance(seq[1], nn.ReLU)
    seq.append(nn.Tanh())
    assert_close(seq(Tensor(x)), np.tanh(np.maximum(x @ w1.T, 0) @ w2.T), rtol=1e-12)
    star = nn.SequentialCell(nn.Dense(4, 5), nn.Dense(5, 1))
    names = [p.name for p in star.trainable_params()]
    assert names == ["0.weight", "0.bias", "1.weight", "1.bias"]


def test_cell_list():
    cl = nn.CellList([nn.Dense(2, 3), nn.Dense(3, 1)])
    cl.append(nn.ReLU())
    assert len(cl) == 3 and isinstance(cl[2], nn.ReLU)
    names = [p.name for p in cl.trainable_params()]
    assert names == ["0.weight", "0.bias", "1.weight", "1.bias"]
    with pytest.raises(TypeError):
        cl.append(3)


# ---------------------------------------------------------------------------------------
# losses
# ---------------------------------------------------------------------------------------

def _reduce(x, reduction):
    return {"mean": np.mean, "sum": np.sum, "none": lambda v: v}[reduction](x)


def _log_softmax(x, axis):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_regression_losses(reduction):
    g = rng()
    a, b = g.standard_normal((4, 3)), g.standard_normal((4, 3))
    d = np.abs(a - b)
    assert_close(nn.MSELoss(reduction)(Tensor(a), Tensor(b)), _reduce((a - b) ** 2, reduction))
    assert_close(nn.L1Loss(reduction)(Tensor(a), Tensor(b)), _reduce(d, reduction))
    huber = np.where(d < 0.7, 0.5 * d * d / 0.7, d - 0.35)
    assert_close(nn.SmoothL1Loss(0.7, reduction)(Tensor(a), Tensor(b)),
                 _reduce(huber, reduction))


def test_loss_defaults_follow_mindspore():
    assert nn.MSELoss().reduction == "mean"
    assert nn.SmoothL1Loss().reduction == "none"
    assert nn.SoftmaxCrossEntropyWithLogits().reduction == "none"
    assert nn.CrossEntropyLoss().reduction == "mean"
    with pytest.raises(ValueError, match="reduction"):
        nn.MSELoss("avg")


def test_softmax_cross_entropy_with_logits():
    g = rng()
    logits = g.standard_normal((5, 4))
    labels = np.array([0, 3, 1, 1, 2], np.int32)
    per = -_log_softmax(logits, -1)[np.arange(5), labels]
    sparse = nn.SoftmaxCrossEntropyWithLogits(sparse=True)
    assert_close(sparse(Tensor(logits), Tensor(labels)), per, rtol=1e-12)
    dense = nn.SoftmaxCrossEntropyWithLogits(reduction="mean")
    assert_close(dense(Tensor(logits), Tensor(np.eye(4)[labels])), per.mean(), rtol=1e-12)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.2])
def test_cross_entropy_loss(reduction, weighted, smoothing):
    g = rng()
    logits = g.standard_normal((5, 3))
    labels = np.array([0, 2, -100, 1, 2], np.int32)
    w = np.array([0.5, 2.0, 1.0]) if weighted else np.ones(3)
    logp = _log_softmax(logits, 1)
    keep = labels != -100
    safe = np.where(keep, labels, 0)
    nll = np.where(keep, -w[safe] * logp[np.arange(5), safe], 0.0)
    smooth = np.where(keep, -(logp * w).mean(axis=1), 0.0)
    if reduction == "mean":
        nll, smooth = nll.sum() / w[safe][keep].sum(), smooth.sum() / w[safe][keep].sum()
    elif reduction == "sum":
        nll, smooth = nll.sum(), smooth.sum()
    want = (1 - smoothing) * nll + smoothing * smooth
    loss = nn.CrossEntropyLoss(weight=Tensor(w) if weighted else None, reduction=reduction,
                               label_smoothing=smoothing)
    assert_close(loss(Tensor(logits), Tensor(labels)), want, rtol=1e-12)


def test_cross_entropy_spatial_targets_and_nll_loss():
    g = rng()
    logits = g.standard_normal((2, 3, 2, 2))
    labels = np.array([[[0, 1], [2, 2]], [[1, 0], [-100, 1]]], np.int32)
    logp = _log_softmax(logits, 1)
    keep = labels != -100
    picked = np.take_along_axis(logp, np.where(keep, labels, 0)[:, None], 1)[:, 0]
    want = -(picked * keep).sum() / keep.sum()
    assert_close(nn.CrossEntropyLoss()(Tensor(logits), Tensor(labels)), want, rtol=1e-12)
    flat = g.standard_normal((4, 3))
    lab = np.array([2, 0, 1, 1], np.int32)
    assert_close(nn.NLLLoss(reduction="sum")(Tensor(flat), Tensor(lab)),
                 -flat[np.arange(4), lab].sum(), rtol=1e-12)


def test_bce_with_logits_loss():
    g = rng()
    x = g.standard_normal((4, 3)) * 30  # large |x|: no overflow
    y = g.random((4, 3))
    w, pw = np.array([1.0, 2.0, 0.5]), np.array([3.0, 1.0, 0.2])
    sig = 1 / (1 + np.exp(-x))
    with np.errstate(divide="ignore"):
        log_sig, log_1m = -np.logaddexp(0, -x), -np.logaddexp(0, x)
    want = -w * (pw * y * log_sig + (1 - y) * log_1m)
    loss = nn.BCEWithLogitsLoss("none", weight=Tensor(w), pos_weight=Tensor(pw))
    assert_close(loss(Tensor(x), Tensor(y)), want, rtol=1e-10)
    plain = -(y * log_sig + (1 - y) * log_1m)
    assert_close(nn.BCEWithLogitsLoss()(Tensor(x), Tensor(y)), plain.mean(), rtol=1e-10)
    assert np.all(np.isfinite(sig))


# ---------------------------------------------------------------------------------------
# 4. gradients through the compiler, float64, against finite differences
# ---------------------------------------------------------------------------------------

def _check_value_and_grad(fn, x, params, rtol=1e-6, atol=1e-8):
    """``ops.value_and_grad(fn, 0, params)`` at ``x`` against finite differences."""
    value, (gx, gps) = ops.value_and_grad(fn, 0, params)(x)
    assert_close(value, fn(x), rtol=1e-12)
    want_x, want_ps = numerical_grad(fn, (x,), 0, weights=params)
    assert_close(gx, want_x, rtol=rtol, atol=atol)
    for got, w in zip(gps, want_ps):
        assert_close(got, w, rtol=rtol, atol=atol)


def test_conv2d_layer_gradients_through_the_compiler():
    g = rng()
    conv = nn.Conv2d(4, 2, 3, stride=2, group=2, has_bias=True,
                     weight_init=g.standard_normal((2, 2, 3, 3)), bias_init=g.standard_normal(2))
    x = Tensor(g.standard_normal((1, 4, 5, 4)))
    coef = Tensor(g.standard_normal((1, 2, 3, 2)))

    def f(inp):
        return ops.sum(conv(inp) * coef)
    _check_value_and_grad(f, x, conv.trainable_params())


def test_the_conv_weight_gradient_reads_the_forwards_columns():
    """Lowered code saves each convolution's im2col columns for its weight gradient (in a
    sub-Cell's pair and in one function); the gradients stay the differences'."""
    g = rng()
    conv1 = nn.Conv2d(2, 3, 3, pad_mode="same", has_bias=True,
                      weight_init=g.standard_normal((3, 2, 3, 3)), bias_init=g.standard_normal(3))
    conv2 = nn.Conv2d(3, 4, 2, stride=2, pad_mode="valid",
                      weight_init=g.standard_normal((4, 3, 2, 2)))
    x = Tensor(g.standard_normal((2, 2, 5, 5)))
    coef = Tensor(g.standard_normal((2, 4, 2, 2)))
    params = conv1.trainable_params() + conv2.trainable_params()

    def f(inp):
        return ops.sum(conv2(ops.tanh(conv1(inp))) * coef)
    src = ops.value_and_grad(f, 0, params).source(x)
    assert src.count("= conv2d_forward_saving(") == 2
    assert src.count("conv2d_grad_weight_saved(out_saved") == 2
    assert "conv2d_grad_weight(" not in src and "conv2d_grad_input(" in src
    _check_value_and_grad(f, x, params)

    def one_function(inp, w):  # forward and backward in one gradient function
        return ops.sum(ops.conv2d(inp, w, stride=1, pad_mode="valid") ** 2)
    w = Tensor(g.standard_normal((3, 2, 2, 2)))
    src = ops.grad(one_function, (0, 1)).source(x, w)
    assert "conv2d_forward_saving(" in src and "conv2d_grad_weight_saved(" in src
    got = ops.grad(one_function, (0, 1))(x, w)
    for k, grad in enumerate(got):
        assert_close(grad, numerical_grad(one_function, (x, w), k), rtol=1e-6, atol=1e-6)


def test_batchnorm2d_training_gradients_through_the_compiler():
    g = rng()
    bn = nn.BatchNorm2d(2, gamma_init=g.standard_normal(2) + 1, beta_init=g.standard_normal(2),
                        moving_mean_init=np.zeros(2), moving_var_init=np.ones(2))
    bn.set_train(True)
    x = Tensor(g.standard_normal((3, 2, 2, 2)))
    coef = Tensor(g.standard_normal((3, 2, 2, 2)))

    def f(inp):
        return ops.sum(bn(inp) * coef)
    ops.value_and_grad(f, 0, bn.trainable_params())(x)
    # one gradient call updates the moving statistics exactly once
    assert_close(bn.moving_mean, 0.1 * x.asnumpy().mean(axis=(0, 2, 3)), rtol=1e-12)
    _check_value_and_grad(f, x, bn.trainable_params())


def test_embedding_table_gradient_accumulates_repeated_rows():
    g = rng()
    table = g.standard_normal((5, 2))
    ids = Tensor(np.array([[0, 3, 3], [3, 1, 0]], np.int32))
    coef = g.standard_normal((2, 3, 2))
    for one_hot in (False, True):
        emb = nn.Embedding(5, 2, use_one_hot=one_hot, embedding_table=table)

        def f(i):
            return ops.sum(emb(i) * Tensor(coef))
        _, grads = ops.value_and_grad(f, None, emb.trainable_params())(ids)
        want = np.zeros((5, 2))
        np.add.at(want, ids.asnumpy(), coef)
        assert_close(grads[0], want, rtol=1e-12)
        assert np.all(grads[0].asnumpy()[[2, 4]] == 0)


@pytest.mark.parametrize("loss", [
    nn.CrossEntropyLoss(weight=Tensor(np.array([0.5, 2.0, 1.0])), label_smoothing=0.1),
    nn.SoftmaxCrossEntropyWithLogits(sparse=True, reduction="sum"),
], ids=["cross_entropy", "softmax_ce_sparse"])
def test_classification_loss_gradients_through_the_compiler(loss):
    g = rng()
    logits = Tensor(g.standard_normal((4, 3)))
    labels = Tensor(np.array([0, 2, 1, 1], np.int32))

    def f(lg):
        return loss(lg, labels)
    value, glogits = ops.value_and_grad(f)(logits)
    assert_close(glogits, numerical_grad(f, (logits,)), rtol=1e-6, atol=1e-8)


def test_gelu_layernorm_bce_gradients_through_the_compiler():
    g = rng()
    ln = nn.LayerNorm((3,), gamma_init=g.standard_normal(3), beta_init=g.standard_normal(3))
    gelu = nn.GELU(approximate=False)
    bce = nn.BCEWithLogitsLoss(pos_weight=Tensor(np.array([2.0, 0.5, 1.0])))
    y = Tensor(g.random((4, 3)))

    def f(inp):
        return bce(gelu(ln(inp)), y)
    _check_value_and_grad(f, Tensor(g.standard_normal((4, 3))), ln.trainable_params())


def test_package_exposes_the_layers():
    for name in layers.__all__:
        assert getattr(autograd_st.nn, name) is getattr(layers, name)


def test_clip_by_norm_and_matmul_cells():
    x = np.array([[3.0, 4.0, 0.0], [0.1, 0.2, 0.2]])
    # MindSpore 2.10's values for axis=None (the whole tensor's norm, 5.009) and zeros
    np.testing.assert_allclose(nn.ClipByNorm()(Tensor(x, autograd_st.float32), 1.0).asnumpy()[0],
                               [0.59892285, 0.79856384, 0.0], rtol=1e-6)
    assert not nn.ClipByNorm(axis=1)(Tensor(np.zeros((2, 3))), 1.0).asnumpy().any()
    # the documented formula per row: row 0 (norm 5) scaled to norm 1, row 1 (0.3) kept
    np.testing.assert_allclose(nn.ClipByNorm(axis=1)(Tensor(x), 1.0).asnumpy(),
                               [[0.6, 0.8, 0.0], [0.1, 0.2, 0.2]])
    w = np.arange(6.0).reshape(2, 3)
    for cell in (nn.ClipByNorm(axis=1), nn.ClipByNorm()):
        def loss(v, cell=cell):
            return (cell(v, 1.0) * Tensor(w)).sum()
        want = numerical_grad(lambda v: float(loss(Tensor(v)).asnumpy()), [x])
        np.testing.assert_allclose(ops.grad(loss)(Tensor(x)).asnumpy(), want, rtol=1e-6,
                                   atol=1e-8)
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 3))
    mm = nn.MatMul(transpose_x1=True, transpose_x2=True)
    np.testing.assert_allclose(mm(Tensor(a), Tensor(np.swapaxes(a, -1, -2))).asnumpy(),
                               np.swapaxes(a, -1, -2) @ a)
    assert nn.MatMul(transpose_x2=True)(Tensor(np.ones(4)), Tensor(np.ones((5, 4)))).shape \
        == (5,)
    got = ops.grad(lambda u, v: (mm(u, v) ** 2).sum(), (0, 1))(Tensor(a), Tensor(b))
    want = numerical_grad(lambda u, v: float(((np.swapaxes(u, -1, -2) @ np.swapaxes(v, -1, -2))
                                              ** 2).sum()), [a, b], grad_position=(0, 1))
    for g, w_ in zip(got, want):
        np.testing.assert_allclose(g.asnumpy(), w_, rtol=1e-6, atol=1e-8)


def test_unsorted_segment_sum_refuses_ids_out_of_range_as_mindspore():
    with pytest.raises(ValueError, match=r"segment_ids value should be \[0, 3\)"):
        ops.unsorted_segment_sum(Tensor(np.ones((4, 2))), Tensor(np.array([0, -1, 5, 1])), 3)


def test_assign_add_sub_and_l2_loss():
    p = Parameter(Tensor(np.array([1.0, 2.0], np.float32)), name="p")
    ops.AssignAdd()(p, Tensor(np.array([0.5, 0.5], np.float32)))
    ops.assign_sub(p, Tensor(np.array([1.0, 0.0], np.float32)))
    assert p.asnumpy().tolist() == [0.5, 2.5]

    class Counting(nn.Cell):
        def __init__(self):
            super().__init__()
            self.calls = Parameter(Tensor(np.array(0, np.int32)), name="calls",
                                   requires_grad=False)
            self.w = Parameter(Tensor(np.array([1.5, -2.0])), name="w")

        def construct(self, x):
            ops.assign_add(self.calls, Tensor(np.array(1, np.int32)))
            return ops.L2Loss()(x * self.w)

    net = Counting()
    x = np.array([0.5, 3.0])
    gx, (gw,) = ops.grad(net, 0, net.trainable_params())(Tensor(x))
    net(Tensor(x))
    assert int(net.calls.asnumpy()) == 2  # the side effect runs under ops.grad too
    np.testing.assert_allclose(gx.asnumpy(), x * np.array([1.5, -2.0]) ** 2)
    np.testing.assert_allclose(gw.asnumpy(), x ** 2 * [1.5, -2.0])
    assert float(ops.L2Loss()(Tensor(np.arange(12.0))).asnumpy()) == 253.0  # MindSpore's
