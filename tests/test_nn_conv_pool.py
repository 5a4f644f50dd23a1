"""Pooling, resampling and the new convolution / activation / loss layers: hand-derived
values (MindSpore 2.10's, measured in the side venv), second derivatives through the
compiler against finite differences, and the refusals MindSpore makes.  The recorded
MindSpore cases ``tests/ms_cases/cases/nn_*.py`` check the rest against MindSpore itself."""
import numpy as np
import pytest

from autograd_st import Tensor, nn, numerical_grad, ops
from autograd_st import kernels_conv as kc
from tests.helpers import fd

X25 = np.arange(1, 26, dtype=np.float32).reshape(1, 1, 5, 5)


def test_pool_values_measured_in_mindspore():
    # nn.MaxPool2d(3, 2, pad_mode='same') on 1..25: padding one row above and below
    assert ops.max_pool2d(Tensor(X25), 3, 2, 1).asnumpy().tolist() == \
        [[[[7, 9, 10], [17, 19, 20], [22, 24, 25]]]]
    same = nn.AvgPool2d(2, 2, pad_mode="same")(Tensor(X25)).asnumpy()
    np.testing.assert_allclose(same[0, 0, 0], [4.0, 6.0, 7.5])  # (5 + 10) / 2: padding left out
    incl = ops.avg_pool2d(Tensor(X25), 3, 2, 1).asnumpy()
    np.testing.assert_allclose(incl[0, 0, 0, 0], 16 / 9, rtol=1e-6)  # padding counted
    div = nn.AvgPool2d(2, 2, pad_mode="pad", divisor_override=3)(Tensor(X25)).asnumpy()
    np.testing.assert_allclose(div[0, 0, 0, 0], 16 / 3, rtol=1e-6)
    ada = ops.adaptive_avg_pool2d(Tensor(X25), 3).asnumpy()
    np.testing.assert_allclose(ada[0, 0, 0], [4.0, 5.5, 7.0], rtol=1e-6)


def test_resize_values_measured_in_mindspore():
    x = np.arange(1, 7, dtype=np.float32).reshape(1, 1, 2, 3)
    near = ops.interpolate(Tensor(x), size=(3, 5)).asnumpy()[0, 0]
    assert near.tolist() == [[1, 1, 2, 2, 3], [1, 1, 2, 2, 3], [4, 4, 5, 5, 6]]
    bil = ops.interpolate(Tensor(x), size=(3, 5), mode="bilinear").asnumpy()[0, 0]
    np.testing.assert_allclose(bil[1], [2.5, 2.9, 3.5, 4.1, 4.5], rtol=1e-6)
    legacy = ops.ResizeBilinearV2()(Tensor(x), (3, 5)).asnumpy()[0, 0]
    np.testing.assert_allclose(legacy[0], [1.0, 1.6, 2.2, 2.8, 3.0], rtol=1e-6)
    ac = ops.ResizeNearestNeighbor((3, 5), align_corners=True)(Tensor(x)).asnumpy()[0, 0]
    assert ac[0].tolist() == [1, 2, 2, 3, 3]  # 0.5 and 1.5 round up


def test_max_pool_gradient_goes_to_the_first_maximum():
    x = np.array([[[[1.0, 3.0], [3.0, 0.0]]]])
    g = kc.max_pool2d_scatter(x, np.ones((1, 1, 1, 1)), (2, 2), (2, 2))
    assert g.tolist() == [[[[0.0, 1.0], [0.0, 0.0]]]]


class _Net(nn.Cell):
    def __init__(self):
        super().__init__()
        w = np.random.default_rng(0).standard_normal((2, 2, 3)) * 0.5
        self.conv = nn.Conv1d(2, 2, 3, pad_mode="pad", padding=1, weight_init=Tensor(w))
        self.pool = nn.MaxPool1d(2, 2)
        self.act = nn.Mish()

    def construct(self, x):
        y = self.pool(self.act(self.conv(x)))
        return ops.sum(y * y * y)


def test_second_derivative_through_conv1d_maxpool1d_mish():
    net = _Net()
    x = np.random.default_rng(1).standard_normal((1, 2, 6))
    g = ops.grad(net)

    def gsum(x):
        return ops.sum(g(x) * g(x))

    second = ops.grad(gsum)(Tensor(x)).asnumpy()
    ref = fd(lambda v: float(gsum(Tensor(v)).asnumpy()), x)
    np.testing.assert_allclose(second, ref, rtol=1e-5, atol=1e-6)


def test_jvp_of_avg_pool_and_interpolate():
    x = np.random.default_rng(2).standard_normal((1, 2, 5, 4))
    v = np.random.default_rng(3).standard_normal((1, 2, 5, 4))

    def f(x):
        return ops.interpolate(ops.avg_pool2d(x, 2, 1, 1), size=(4, 7), mode="bilinear")

    _, tangent = ops.jvp(f, Tensor(x), Tensor(v))
    # linear: the tangent is the map applied to v
    np.testing.assert_allclose(tangent.asnumpy(), f(Tensor(v)).asnumpy(), rtol=1e-12)


def test_cross_entropy_probabilities_and_indices_agree_on_one_hot():
    logits = Tensor(np.random.default_rng(4).standard_normal((3, 4)))
    idx = np.array([2, 0, 3])
    hot = np.eye(4)[idx]
    loss = nn.CrossEntropyLoss(label_smoothing=0.1)
    a = loss(logits, Tensor(idx.astype(np.int32))).asnumpy()
    b = loss(logits, Tensor(hot)).asnumpy()
    np.testing.assert_allclose(a, b, rtol=1e-12)
    ga = ops.grad(loss)(logits, Tensor(idx.astype(np.int32))).asnumpy()
    gb = ops.grad(loss)(logits, Tensor(hot)).asnumpy()
    np.testing.assert_allclose(ga, gb, rtol=1e-12)


@pytest.mark.parametrize("make,message", [
    (lambda: nn.MaxPool2d(2, 2, padding=1), "can not be set to non-default value"),
    (lambda: nn.MaxPool2d(3, 1, pad_mode="pad", padding=(1, 0, 1, 0)), "length of padding"),
    (lambda: nn.MaxPool2d(2, 1, pad_mode="pad", padding=2), "half of ksize"),
    (lambda: nn.AvgPool2d(3, 1, pad_mode="pad", padding=(1, 0, 1, 0)), "1 or 2 int"),
    (lambda: nn.ELU(0.5), "alpha must be 1.0"),
    (lambda: nn.Conv1d(2, 2, 3, weight_init=Tensor(np.ones((2, 2, 1, 3)))), "must = 3"),
    (lambda: ops.conv2d(Tensor(X25), Tensor(np.ones((1, 1, 2, 2))), padding=1), "zero"),
    (lambda: ops.interpolate(Tensor(X25), scale_factor=2.0), "scale_factor"),
])
def test_mindspores_refusals(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_transposed_conv_output_sizes():
    x = Tensor(np.ones((1, 4, 5, 5), np.float32))
    shapes = [nn.Conv2dTranspose(4, 6, 3, **kw)(x).shape for kw in (
        {}, {"pad_mode": "valid"}, {"pad_mode": "same", "stride": 2},
        {"pad_mode": "valid", "stride": 2}, {"pad_mode": "pad", "padding": 1, "stride": 2},
        {"pad_mode": "pad", "padding": 1, "stride": 2, "output_padding": 1})]
    # MindSpore 2.10's, measured
    assert [s[2] for s in shapes] == [5, 7, 10, 11, 9, 10]


def test_padding_layers_values_gradients_and_refusals():
    # values measured in MindSpore 2.10: SYMMETRIC repeats the edge, REFLECT does not
    x = Tensor(np.arange(12.0).reshape(3, 4))
    sym = nn.Pad(((1, 0), (2, 1)), mode="SYMMETRIC")(x).asnumpy()
    assert sym[0].tolist() == [1, 0, 0, 1, 2, 3, 3] and sym[1].tolist() == sym[0].tolist()
    refl = nn.Pad(((1, 1), (2, 0)), mode="REFLECT")(x).asnumpy()
    assert refl[:, 0].tolist() == [6, 2, 6, 10, 6] and refl.shape == (5, 6)
    rep = nn.ReplicationPad2d((1, 0, 2, 1))(Tensor(np.arange(24.0).reshape(1, 2, 3, 4)))
    assert rep.asnumpy()[0, 0, :, 0].tolist() == [0, 0, 0, 4, 8, 8]
    assert nn.ConstantPad1d(2, 1.5)(x).asnumpy()[0].tolist() == [1.5, 1.5, 0, 1, 2, 3, 1.5,
                                                                   1.5]
    assert nn.ZeroPad2d((1, 2, 0, 1))(x).shape == (4, 7)
    assert nn.ConstantPad3d((1, 1, 0, 1, 1, 0), -1.0)(Tensor(np.ones((2, 3, 4)))).shape \
        == (3, 4, 6)
    # gradients through the compiler against finite differences (float64)
    layers = [nn.Pad(((0, 0), (1, 2), (2, 1)), mode="SYMMETRIC"),
              nn.Pad(((0, 0), (1, 2), (2, 1)), mode="REFLECT"), nn.Pad(((1, 0), (0, 0), (0, 2))),
              nn.ReflectionPad1d((2, 1)), nn.ReplicationPad1d(3), nn.ConstantPad2d(1, 2.0)]
    rng = np.random.default_rng(3)
    a = rng.standard_normal((2, 3, 4))
    for layer in layers:
        w = Tensor(rng.standard_normal(layer(Tensor(a)).shape))

        def loss(x, layer=layer, w=w):
            y = layer(x)
            return (y * y * w).sum()
        got = ops.grad(loss)(Tensor(a)).asnumpy()
        want = numerical_grad(lambda v: float(loss(Tensor(v)).asnumpy()), [a])
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)
    # MindSpore's refusals
    with pytest.raises(ValueError, match="MirrorPad"):
        nn.ReflectionPad2d(3)(Tensor(np.ones((1, 2, 3, 4))))
    with pytest.raises(ValueError, match="rank"):
        nn.Pad(((1, 1),))(x)
    with pytest.raises(ValueError, match="CONSTANT"):
        nn.Pad(((1, 1), (0, 0)), mode="constant")


def test_interpolate_scale_factor_and_runtime_sizes():
    # measured in MindSpore 2.10: scale_factor needs recompute_scale_factor=True, and then is
    # size = floor(in * scale) (3 x 4 by 1.5: 4 x 6)
    x = Tensor(np.arange(24.0, dtype=np.float32).reshape(2, 1, 3, 4))
    y = ops.interpolate(x, scale_factor=1.5, mode="bilinear", recompute_scale_factor=True)
    assert y.shape == (2, 1, 4, 6)
    np.testing.assert_allclose(y.asnumpy()[0, 0, 0], [0.0, 0.5, 1.1667, 1.8333, 2.5, 3.0],
                               atol=1e-4)
    near = ops.interpolate(x, scale_factor=1.5, mode="nearest", recompute_scale_factor=True)
    assert near.asnumpy()[0, 0, 0].tolist() == [0, 0, 1, 2, 2, 3]
    with pytest.raises(ValueError, match="scale_factor"):
        ops.interpolate(x, scale_factor=2.0, mode="bilinear")
    # in differentiated code the sizes come from the input's shape at run time
    rng = np.random.default_rng(5)
    a, b = rng.standard_normal((1, 2, 3, 4)), rng.standard_normal((1, 2, 6, 8))

    def loss(u, v):
        up = ops.interpolate(u, scale_factor=2.0, mode="bilinear", recompute_scale_factor=True)
        near = ops.ResizeNearestNeighbor(v.shape[2:])(u)
        return (up * v).sum() + (near * near * v).sum()

    got = ops.grad(loss, (0, 1))(Tensor(a), Tensor(b))
    want = numerical_grad(lambda u, v: float(loss(Tensor(u), Tensor(v)).asnumpy()), [a, b],
                          grad_position=(0, 1))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.asnumpy(), w, rtol=1e-6, atol=1e-8)
