"""The 3-D and structural layers of ``autograd_st/nn/layers3d.py`` and ``nn/structural.py``:
each runs eagerly and inside a differentiated ``construct`` (``ops.value_and_grad`` with
the layer's weights), the gradients checked against float64 central differences of the eager
forward; values MindSpore 2.10 gives (measured in the side venv) checked by hand; parameter
names and shapes MindSpore's.  The recorded cases ``tests/ms_cases/cases/nnl_*.py`` check the
rest against MindSpore itself."""
from __future__ import annotations

import importlib.util
import inspect
import pathlib

import numpy as np
import pytest

from autograd_st import (
    Tensor,
    exec_source,
    kernels_3d,
    load_checkpoint,
    load_param_into_net,
    nn,
    numerical_grad,
    ops,
    rules_nn3d,
)
from autograd_st import dtype as mstype
from autograd_st.rules import REGISTRY

RNG = np.random.default_rng(0)


def _f64(*shape, low=-1.0, high=1.0, seed=0):
    return np.random.default_rng(seed).uniform(low, high, shape)


def _distinct(*shape, seed=0):
    """Values with no ties (max pooling's finite differences never switch a maximum)."""
    n = int(np.prod(shape))
    return (np.random.default_rng(seed).permutation(n) / n - 0.5).reshape(shape) * 2


class _Loss(nn.Cell):
    """``sum(layer(x) * r)`` for a fixed random ``r``."""

    def __init__(self, layer, r):
        super().__init__()
        self.layer = layer
        self.r = Tensor(r)

    def construct(self, x):
        return (self.layer(x) * self.r).sum()


def check_layer(layer, *xs, positions=(0,), rtol=1e-5, atol=1e-7):
    """``layer`` eagerly and compiled under value_and_grad: same value; the input and weight
    gradients equal central differences of the eager forward."""
    xs = tuple(Tensor(x) if isinstance(x, np.ndarray) else x for x in xs)
    out = layer(*xs)
    first = out[0] if isinstance(out, tuple) else out
    r = np.random.default_rng(1).standard_normal(first.shape)
    net = _Loss(layer, r)
    weights = [p for p in net.trainable_params()]
    fn = ops.value_and_grad(net, grad_position=positions, weights=weights or None)
    value, grads = fn(*xs)
    eager = float(np.sum(first.asnumpy() * r))
    np.testing.assert_allclose(float(value.asnumpy()), eager, rtol=1e-9, atol=1e-12)
    if weights:
        g_pos, g_w = grads
    else:
        g_pos, g_w = grads, ()
    if not isinstance(g_pos, tuple):
        g_pos = (g_pos,)
    want_pos, want_w = numerical_grad(lambda *a: net(*a), xs, positions, weights or [])
    if not isinstance(want_pos, tuple):
        want_pos = (want_pos,)
    for got, want in zip(g_pos, want_pos):
        np.testing.assert_allclose(got.asnumpy(), want, rtol=rtol, atol=atol)
    assert len(g_w) == len(want_w)
    for got, want in zip(g_w, want_w):
        np.testing.assert_allclose(got.asnumpy(), want, rtol=rtol, atol=atol)
    return out


# ---------------------------------------------------------------------------------------
# convolution
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kw", [
    dict(pad_mode="same"),
    dict(pad_mode="valid", stride=2),
    dict(pad_mode="pad", padding=(1, 0, 0, 1, 1, 1), dilation=(1, 2, 1)),
    dict(pad_mode="same", group=2, stride=(1, 2, 1)),
])
def test_conv3d_gradients(kw):
    w = _f64(4, 2 // kw.get("group", 1), 2, 3, 2, seed=2)
    layer = nn.Conv3d(2, 4, (2, 3, 2), has_bias=True, weight_init=Tensor(w),
                      bias_init=Tensor(_f64(4, seed=3)), **kw)
    check_layer(layer, _f64(2, 2, 4, 5, 3))


def test_conv3d_matches_a_direct_sum_and_mindspore_shapes():
    x, w = _f64(1, 2, 4, 4, 4), _f64(3, 2, 2, 2, 2, seed=1)
    y = ops.conv3d(Tensor(x), Tensor(w)).asnumpy()
    ref = np.zeros((1, 3, 3, 3, 3))
    for i, j, k in np.ndindex(3, 3, 3):
        ref[0, :, i, j, k] = np.einsum("cdhw,ocdhw->o", x[0, :, i:i + 2, j:j + 2, k:k + 2], w)
    np.testing.assert_allclose(y, ref, rtol=1e-12)
    # measured in MindSpore 2.10: output shapes and where 'same' puts the odd padding
    x5 = Tensor(np.zeros((1, 2, 5, 6, 7), np.float32))
    w5 = Tensor(np.zeros((3, 2, 2, 2, 2), np.float32))
    assert ops.conv3d(x5, w5, pad_mode="same", stride=2).shape == (1, 3, 3, 3, 4)
    assert ops.conv3d(x5, w5, pad_mode="pad", padding=(1, 2, 0)).shape == (1, 3, 6, 9, 6)
    assert nn.Conv3d(2, 3, 2, pad_mode="pad", padding=(1, 0, 2, 0, 0, 1))(x5).shape == \
        (1, 3, 5, 7, 7)
    x1 = np.zeros((1, 1, 4, 4, 4), np.float32)
    x1[0, 0, 3, 3, 3], x1[0, 0, 0, 0, 0] = 1, 2
    same = ops.conv3d(Tensor(x1), Tensor(np.ones((1, 1, 2, 2, 2), np.float32)), pad_mode="same")
    assert same.asnumpy()[0, 0].sum(axis=(1, 2)).tolist() == [2, 0, 4, 4]
    with pytest.raises(ValueError, match="must = 6"):
        nn.Conv3d(2, 3, 2, pad_mode="pad", padding=(1, 0, 2))


def test_conv3d_parameters_are_mindspores():
    c = nn.Conv3d(2, 4, 3, has_bias=True)
    assert [(p.name, p.shape) for p in c.get_parameters()] == [
        ("weight", (4, 2, 3, 3, 3)), ("bias", (4,))]
    t = nn.Conv3dTranspose(2, 4, 3, has_bias=True)
    assert [(p.name, p.shape) for p in t.get_parameters()] == [
        ("weight", (2, 4, 3, 3, 3)), ("bias", (4,))]


@pytest.mark.parametrize("kw, shape", [
    (dict(pad_mode="same"), (1, 4, 10, 12, 14)),
    (dict(pad_mode="valid"), (1, 4, 11, 13, 15)),
    (dict(pad_mode="pad", padding=1), (1, 4, 9, 11, 13)),
    (dict(pad_mode="pad", padding=1, output_padding=1), (1, 4, 10, 12, 14)),
])
def test_conv3d_transpose_shapes_measured(kw, shape):
    layer = nn.Conv3dTranspose(2, 4, 3, stride=2, **kw)
    assert layer(Tensor(np.zeros((1, 2, 5, 6, 7), np.float32))).shape == shape


def test_conv3d_transpose_gradients_and_adjointness():
    w = _f64(2, 3, 2, 2, 3, seed=4)
    layer = nn.Conv3dTranspose(2, 3, (2, 2, 3), stride=(2, 1, 2), pad_mode="valid",
                               has_bias=True, weight_init=Tensor(w),
                               bias_init=Tensor(_f64(3, seed=5)))
    check_layer(layer, _f64(1, 2, 2, 3, 2))
    # <conv3d(x, w), y> == <x, conv3d_transpose(y, w)>
    x, y = _f64(1, 3, 4, 4, 5, seed=6), _f64(1, 2, 2, 3, 2, seed=7)
    back = ops.conv3d_transpose(Tensor(y), Tensor(w), stride=(2, 1, 2))
    assert back.shape == x.shape
    forward = ops.conv3d(Tensor(x), Tensor(w), stride=(2, 1, 2))
    np.testing.assert_allclose(np.sum(forward.asnumpy() * y), np.sum(x * back.asnumpy()),
                               rtol=1e-10)


# ---------------------------------------------------------------------------------------
# normalization
# ---------------------------------------------------------------------------------------

def test_batchnorm3d_names_training_and_gradients():
    bn = nn.BatchNorm3d(3, gamma_init=Tensor(_f64(3, seed=1) + 1.5),
                        beta_init=Tensor(_f64(3, seed=2)),
                        moving_mean_init=Tensor(np.zeros(3)), moving_var_init=Tensor(np.ones(3)))
    assert [p.name for p in bn.get_parameters()] == [
        "bn2d.moving_mean", "bn2d.moving_variance", "bn2d.gamma", "bn2d.beta"]
    bn.set_train(False)
    check_layer(bn, _f64(2, 3, 2, 3, 2))
    bn.set_train(True)
    x = _f64(2, 3, 2, 3, 2, seed=3)
    out = bn(Tensor(x)).asnumpy()
    mu = x.mean(axis=(0, 2, 3, 4), keepdims=True)
    sd = np.sqrt(x.var(axis=(0, 2, 3, 4), keepdims=True) + 1e-5)
    g, b = bn.bn2d.gamma.asnumpy(), bn.bn2d.beta.asnumpy()
    np.testing.assert_allclose(out, (x - mu) / sd * g.reshape(1, 3, 1, 1, 1)
                               + b.reshape(1, 3, 1, 1, 1), rtol=1e-10)
    np.testing.assert_allclose(bn.bn2d.moving_mean.asnumpy(), 0.1 * mu.ravel(), rtol=1e-10)


@pytest.mark.parametrize("cls, shape", [(nn.InstanceNorm1d, (2, 3, 5)),
                                        (nn.InstanceNorm2d, (2, 3, 3, 4)),
                                        (nn.InstanceNorm3d, (2, 3, 2, 2, 3))])
def test_instance_norm(cls, shape):
    layer = cls(3, gamma_init=Tensor(_f64(3, seed=1) + 1.5), beta_init=Tensor(_f64(3, seed=2)))
    assert [p.name for p in layer.get_parameters()] == ["mean", "variance", "gamma", "beta"]
    x = _f64(*shape, seed=4)
    out = check_layer(layer, x).asnumpy()
    axes = tuple(range(2, len(shape)))
    ref = (x - x.mean(axes, keepdims=True)) / np.sqrt(x.var(axes, keepdims=True) + 1e-5)
    view = (1, 3) + (1,) * len(axes)
    ref = ref * layer.gamma.asnumpy().reshape(view) + layer.beta.asnumpy().reshape(view)
    np.testing.assert_allclose(out, ref, rtol=1e-10)


def test_lrn_value_measured_and_gradient():
    x = np.arange(2 * 6 * 2 * 2, dtype=np.float32).reshape(2, 6, 2, 2) / 10
    got = nn.LRN(depth_radius=1, bias=1.0, alpha=0.5, beta=0.75)(Tensor(x)).asnumpy()[0, :, 0, 0]
    mindspore = [0.0, 0.3107878, 0.45534238, 0.48789647, 0.47851163, 0.67212063]
    np.testing.assert_allclose(got, mindspore, rtol=1e-6)
    check_layer(nn.LRN(2, 1.5, 0.3, 0.6), _f64(2, 5, 2, 3))
    with pytest.raises(ValueError, match="ACROSS_CHANNELS"):
        nn.LRN(norm_region="WITHIN_CHANNEL")


# ---------------------------------------------------------------------------------------
# pooling
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kw", [
    dict(kernel_size=2, stride=2),
    dict(kernel_size=3, stride=2, pad_mode="same"),
    dict(kernel_size=(3, 2, 3), stride=(2, 1, 2), pad_mode="pad", padding=1),
    dict(kernel_size=2, stride=2, pad_mode="pad", ceil_mode=True),
    dict(kernel_size=2, stride=1, pad_mode="pad", dilation=(1, 2, 1)),
])
def test_max_pool3d_gradients(kw):
    check_layer(nn.MaxPool3d(**kw), _distinct(2, 2, 5, 4, 5))


def test_max_pool3d_indices_shapes_and_unpool():
    x = _distinct(1, 2, 4, 4, 4, seed=3)
    out, idx = nn.MaxPool3d(2, 2, pad_mode="pad", return_indices=True)(Tensor(x))
    assert idx.dtype == mstype.int64
    ref = x.reshape(1, 2, 2, 2, 2, 2, 2, 2).transpose(0, 1, 2, 4, 6, 3, 5, 7).reshape(
        1, 2, 2, 2, 2, 8).max(-1)
    np.testing.assert_allclose(out.asnumpy(), ref)
    flat = x.reshape(1, 2, -1)
    np.testing.assert_allclose(np.take_along_axis(flat, idx.asnumpy().reshape(1, 2, -1), -1)
                               .reshape(out.shape), ref)
    # measured: nn.MaxPool3d(2, 2) on (1, 2, 5, 6, 7) -> (1, 2, 2, 3, 3) (indices too)
    o2, i2 = ops.max_pool3d(Tensor(np.zeros((1, 2, 5, 6, 7))), 2, 2, return_indices=True)
    assert o2.shape == i2.shape == (1, 2, 2, 3, 3)
    up = nn.MaxUnpool3d(2, 2)(out, idx).asnumpy()
    assert up.shape == x.shape
    assert np.count_nonzero(up) == 16
    np.testing.assert_allclose(np.take_along_axis(up.reshape(1, 2, -1),
                                                  idx.asnumpy().reshape(1, 2, -1), -1),
                               ref.reshape(1, 2, -1))


class _UnpoolAfterPool(nn.Cell):
    def __init__(self, pool, unpool):
        super().__init__()
        self.pool, self.unpool = pool, unpool

    def construct(self, x):
        out, idx = self.pool(x)
        return self.unpool(out * 2.0, idx)


@pytest.mark.parametrize("pool, unpool, shape", [
    (nn.MaxPool1d(2, 2, pad_mode="pad", return_indices=True), nn.MaxUnpool1d(2, 2), (2, 2, 6)),
    (nn.MaxPool2d(2, 2, pad_mode="pad", return_indices=True), nn.MaxUnpool2d(2), (1, 2, 4, 6)),
    (nn.MaxPool3d(2, 2, pad_mode="pad", return_indices=True), nn.MaxUnpool3d(2), (1, 1, 4, 2, 4)),
])
def test_max_unpool_gradients(pool, unpool, shape):
    check_layer(_UnpoolAfterPool(pool, unpool), _distinct(*shape, seed=5))


def test_max_unpool_values():
    x = Tensor(np.array([[[5.0, 7.0]]]))
    idx = Tensor(np.array([[[1, 2]]], np.int64))
    assert ops.max_unpool1d(x, idx, 2).asnumpy().tolist() == [[[0.0, 5.0, 7.0, 0.0]]]
    assert ops.max_unpool1d(x, idx, 2, output_size=(1, 1, 5)).shape == (1, 1, 5)
    with pytest.raises(ValueError, match="outside"):
        ops.max_unpool1d(x, Tensor(np.array([[[1, 9]]], np.int64)), 2)


@pytest.mark.parametrize("kw", [
    dict(kernel_size=2, stride=2),
    dict(kernel_size=3, stride=2, pad_mode="same"),
    dict(kernel_size=3, stride=2, pad_mode="pad", padding=1, count_include_pad=False),
    dict(kernel_size=2, stride=2, pad_mode="pad", ceil_mode=True, divisor_override=3),
])
def test_avg_pool3d_gradients(kw):
    check_layer(nn.AvgPool3d(**kw), _f64(1, 2, 5, 4, 5))


def test_avg_pool3d_values_measured():
    ones = Tensor(np.ones((1, 1, 5, 5, 5), np.float32))
    want = [0.2962963, 0.44444445, 0.2962963]  # MindSpore 2.10: padding in the divisor
    for layer in (nn.AvgPool3d(3, 2, pad_mode="same"), nn.AvgPool3d(3, 2, pad_mode="pad",
                                                                      padding=1)):
        np.testing.assert_allclose(layer(ones).asnumpy()[0, 0, :, 0, 0], want, rtol=1e-6)
    np.testing.assert_allclose(ops.avg_pool3d(ones, 3, 2, 1).asnumpy()[0, 0, :, 0, 0], want,
                               rtol=1e-6)
    nocip = nn.AvgPool3d(3, 2, pad_mode="pad", padding=1, count_include_pad=False)(ones)
    np.testing.assert_allclose(nocip.asnumpy()[0, 0, :, 0, 0], [1, 1, 1], rtol=1e-6)
    assert nn.AvgPool3d(2, 2)(Tensor(np.ones((2, 4, 4, 4)))).shape == (2, 2, 2, 2)
    with pytest.raises(ValueError, match="pad_mode is not 'pad'"):
        nn.AvgPool3d(2, 2, padding=1)


def test_adaptive_pools():
    x = np.arange(18.0).reshape(1, 1, 2, 3, 3)
    got = nn.AdaptiveAvgPool3d((1, 2, None))(Tensor(x)).asnumpy()
    assert got.tolist() == [[[[[6.0, 7.0, 8.0], [9.0, 10.0, 11.0]]]]]  # MindSpore's
    check_layer(nn.AdaptiveAvgPool3d((2, 3, 2)), _f64(1, 2, 3, 4, 5))
    check_layer(nn.AdaptiveMaxPool3d((2, 3, 2)), _distinct(1, 2, 3, 4, 5))
    out, idx = nn.AdaptiveMaxPool3d((1, 2, 2), True)(Tensor(_distinct(1, 1, 2, 3, 3)))
    assert idx.dtype == mstype.int32
    flat = _distinct(1, 1, 2, 3, 3).reshape(1, 1, -1)
    np.testing.assert_allclose(np.take_along_axis(flat, idx.asnumpy().reshape(1, 1, -1), -1)
                               .ravel(), out.asnumpy().ravel())
    assert nn.AdaptiveMaxPool1d(3)(Tensor(np.array([[[1.0, 5, 3, 4, 2, 7]]]))) \
        .asnumpy().tolist() == [[[5.0, 4.0, 7.0]]]
    check_layer(nn.AdaptiveMaxPool1d(2), _distinct(2, 3, 6))
    with pytest.raises(ValueError, match="divisible by output size 3"):
        nn.AdaptiveMaxPool1d(3)(Tensor(np.zeros((1, 1, 7))))


def test_lp_pools():
    got = nn.LPPool1d(3, 3, 1)(Tensor(np.array([[[1.0, -2, 3, 4, 5]]], np.float32)))
    np.testing.assert_allclose(got.asnumpy(), [[[2.7144177, 4.362071, 6.0000005]]], rtol=1e-6)
    got = nn.LPPool2d(2, 2, ceil_mode=True)(Tensor(np.arange(25.0).reshape(1, 1, 5, 5)))
    np.testing.assert_allclose(got.asnumpy()[0, 0, 2], [41.01219, 45.01111, 48.0], rtol=1e-6)
    check_layer(nn.LPPool1d(2, 2), _f64(2, 2, 6, low=0.5, high=2.0))
    check_layer(nn.LPPool2d(3, (2, 3), 1), _f64(1, 2, 4, 5, low=0.5, high=2.0))


# ---------------------------------------------------------------------------------------
# dropout, shuffles, patches
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("cls, shape", [(nn.Dropout1d, (4, 8, 3)), (nn.Dropout2d, (4, 8, 2, 3)),
                                        (nn.Dropout3d, (4, 8, 2, 2, 2))])
def test_channel_dropout(cls, shape):
    layer = cls(0.5)
    layer.set_train(True)
    out = layer(Tensor(np.ones(shape))).asnumpy()
    per_channel = out.reshape(shape[0], shape[1], -1)
    assert set(np.unique(out)) <= {0.0, 2.0}
    assert (per_channel.min(-1) == per_channel.max(-1)).all()  # whole channels
    assert 0 < np.count_nonzero(per_channel[:, :, 0]) < shape[0] * shape[1]
    layer.set_train(False)
    assert (layer(Tensor(np.ones(shape))).asnumpy() == 1).all()

    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.drop = cls(0.5)

        def construct(self, x):
            return (self.drop(x) * x).sum()
    net = Net()
    net.set_train(True)
    x = _f64(*shape)
    value, grad = ops.value_and_grad(net)(Tensor(x))
    kept = grad.asnumpy() != 0  # d/dx of mask * x * x = 2 mask x
    np.testing.assert_allclose(grad.asnumpy()[kept], 4 * x[kept])
    np.testing.assert_allclose(float(value.asnumpy()), np.sum(2 * x * x * kept))


def test_channel_shuffle_and_unfold():
    got = nn.ChannelShuffle(2)(Tensor(np.arange(6.0).reshape(1, 6, 1, 1))).asnumpy().ravel()
    assert got.tolist() == [0, 3, 1, 4, 2, 5]  # MindSpore's
    check_layer(nn.ChannelShuffle(3), _f64(2, 6, 2, 2))
    x = np.arange(32.0).reshape(1, 2, 4, 4)
    u = nn.Unfold([1, 2, 2, 1], [1, 2, 2, 1], [1, 1, 1, 1])(Tensor(x)).asnumpy()
    assert u.shape == (1, 8, 2, 2)
    # depth (p kw + q) C + c: the patch at (0, 0), channel fastest
    assert u[0, :, 0, 0].tolist() == [0, 16, 1, 17, 4, 20, 5, 21]
    assert nn.Unfold([1, 2, 2, 1], [1, 2, 2, 1], [1, 2, 2, 1])(
        Tensor(np.ones((2, 3, 6, 6)))).shape == (2, 12, 2, 2)  # MindSpore's docstring
    check_layer(nn.Unfold([1, 3, 2, 1], [1, 2, 1, 1], [1, 1, 2, 1], "same"), _f64(2, 2, 5, 5))


def test_a_mindspore_checkpoint_of_the_new_layers_loads():
    """``tests/fixtures/checkpoints/nnl_layers_mindspore.ckpt``: written by MindSpore 2.10
    from the net of ``tests/ms_cases/cases/nnl_checkpoint_roundtrip.py`` (seed 0); loaded into
    the same net built with other values, every parameter loads and the forward output is
    MindSpore's."""
    here = pathlib.Path(__file__).parent
    case = here / "ms_cases" / "cases" / "nnl_checkpoint_roundtrip.py"
    text = case.read_text().replace("import mindspore as ms", "import autograd_st as ms") \
        .replace("from mindspore import", "from autograd_st import")
    spec = importlib.util.spec_from_loader("nnl_ckpt_case", loader=None)
    module = importlib.util.module_from_spec(spec)
    exec_source(text, module.__dict__)
    net = module.Net(1)
    net.set_train(False)
    params = load_checkpoint(str(here / "fixtures" / "checkpoints" / "nnl_layers_mindspore.ckpt"))
    assert "bn.bn2d.moving_mean" in params and "ssim.conv.weight" in params
    not_loaded = load_param_into_net(net, params)
    if isinstance(not_loaded, tuple):
        not_loaded = not_loaded[0]
    assert list(not_loaded) == []
    x = Tensor(np.random.RandomState(2).randn(1, 2, 3, 3, 3).astype(np.float32))
    want = np.load(here / "fixtures" / "checkpoints" / "nnl_layers_mindspore_forward.npy")
    np.testing.assert_allclose(net(x).asnumpy(), want, rtol=1e-5, atol=1e-6)


def test_conv3d_transpose_output_padding_is_checked_as_in_mindspore():
    with pytest.raises(ValueError, match=r"output_padding_h belonging \[0, max\(stride_h"):
        nn.Conv3dTranspose(2, 3, 2, stride=(2, 1, 2), pad_mode="pad", output_padding=1)
    with pytest.raises(ValueError, match="output_padding_d"):
        ops.conv3d_transpose(Tensor(np.zeros((1, 2, 2, 2, 2))), Tensor(np.zeros((2, 3, 2, 2, 2))),
                             output_padding=1)


def test_the_3d_primitives_are_registered_with_their_kernels():
    registered = {n for n, p in REGISTRY.items() if p.fn.__module__ == "autograd_st.rules_nn3d"}
    assert registered == set(rules_nn3d.NN3D_PRIMITIVES)
    for name in kernels_3d.KERNEL_NAMES:
        kernel = getattr(kernels_3d, name)
        prim = REGISTRY[kernel._autograd_st_prim]
        assert list(inspect.signature(kernel).parameters) == prim.params, name
    assert {n for n in registered if REGISTRY[n].diff} == {
        "conv3d", "conv3d_grad_input", "conv3d_grad_weight", "gather_volume", "scatter_volume"}
