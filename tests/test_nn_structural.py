"""The structural layers of ``autograd_st/nn/structural.py``: values measured in MindSpore
2.10 (side venv), parameter names MindSpore's, and, for those with a gradient, eager and
compiled (``ops.value_and_grad`` with weights) gradients against central differences."""
from __future__ import annotations

import numpy as np
import pytest
from test_nn_layers3d import _f64, check_layer

from autograd_st import Tensor, nn, ops
from autograd_st import dtype as mstype


def test_unflatten_moments_norm_logsumexp():
    x = _f64(2, 3, 4)
    assert nn.Unflatten(1, (3, 1))(Tensor(x)).shape == (2, 3, 1, 4)
    assert nn.Unflatten(2, (2, -1))(Tensor(x)).shape == (2, 3, 2, 2)
    check_layer(nn.Unflatten(2, (2, 2)), x)
    m, v = nn.Moments(axis=1)(Tensor(x))
    np.testing.assert_allclose(m.asnumpy(), x.mean(1))
    np.testing.assert_allclose(v.asnumpy(), x.var(1))
    assert [a.shape for a in nn.Moments()(Tensor(x))] == [(), ()]
    assert [a.shape for a in nn.Moments(axis=(0, 2), keep_dims=True)(Tensor(x))] == \
        [(1, 3, 1), (1, 3, 1)]
    assert nn.ReduceLogSumExp((0, 1), True)(Tensor(x)).shape == (1, 1, 4)
    np.testing.assert_allclose(nn.ReduceLogSumExp(1)(Tensor(x)).asnumpy(),
                               np.log(np.exp(x).sum(1)))
    check_layer(nn.ReduceLogSumExp(1), x)
    assert nn.Norm()(Tensor(x)).shape == ()
    assert nn.Norm(axis=1, keep_dims=True)(Tensor(x)).shape == (2, 1, 4)
    check_layer(nn.Norm(axis=(0, 2)), x)

    class MomentsLoss(nn.Cell):
        def __init__(self):
            super().__init__()
            self.m = nn.Moments(axis=(0, 2))

        def construct(self, x):
            mean, var = self.m(x)
            return (mean * var).sum()
    g = ops.grad(MomentsLoss())(Tensor(x)).asnumpy()
    mu, var = x.mean((0, 2), keepdims=True), x.var((0, 2), keepdims=True)
    want = (var + mu * 2 * (x - mu)) / 8
    np.testing.assert_allclose(g, want, rtol=1e-10)


def test_one_hot_range_roll_tril_triu():
    got = nn.OneHot(axis=0, depth=4, on_value=2.0)(Tensor(np.array([1, 3], np.int32)))
    assert got.asnumpy().tolist() == [[0, 0], [2, 0], [0, 0], [0, 2]]  # MindSpore's
    assert nn.OneHot(depth=4)(Tensor(np.array([1, 3], np.int32))).dtype == mstype.float32
    assert nn.Range(1, 8, 2)().asnumpy().tolist() == [1, 3, 5, 7]
    assert nn.Range(5)().asnumpy().tolist() == [0, 1, 2, 3, 4]
    assert nn.Range(5)().dtype == mstype.int32
    np.testing.assert_allclose(nn.Range(1.0, 2.0, 0.25)().asnumpy(), [1, 1.25, 1.5, 1.75])
    got = nn.Roll((1, -1), (0, 1))(Tensor(np.arange(6.0).reshape(2, 3))).asnumpy()
    assert got.tolist() == [[4, 5, 3], [1, 2, 0]]
    check_layer(nn.Roll(2, 1), _f64(2, 5))
    ones = Tensor(np.ones((3, 3)))
    assert nn.Tril()(ones, 1).asnumpy().tolist() == [[1, 1, 0], [1, 1, 1], [1, 1, 1]]
    assert nn.Triu()(ones, -1).asnumpy().tolist() == [[1, 1, 1], [1, 1, 1], [0, 1, 1]]
    check_layer(nn.Tril(), _f64(3, 4))


def test_matrix_diag_family():
    d = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert nn.MatrixDiag()(Tensor(d)).asnumpy().tolist() == \
        [[[1, 0], [0, 2]], [[3, 0], [0, 4]]]
    x = np.arange(12.0).reshape(2, 2, 3)
    assert nn.MatrixDiagPart()(Tensor(x)).asnumpy().tolist() == [[0, 4], [6, 10]]
    tall = np.arange(12.0).reshape(2, 3, 2)
    assert nn.MatrixDiagPart()(Tensor(tall)).asnumpy().tolist() == [[0, 3], [6, 9]]
    got = nn.MatrixSetDiag()(Tensor(np.zeros((2, 2, 3))), Tensor(np.ones((2, 2))))
    assert got.asnumpy().tolist() == [[[1, 0, 0], [0, 1, 0]]] * 2
    got = nn.MatrixSetDiag()(Tensor(np.full((3, 2), 5.0)), Tensor(np.array([7.0, 8.0])))
    assert got.asnumpy().tolist() == [[7, 5], [5, 8], [5, 5]]
    check_layer(nn.MatrixDiag(), _f64(2, 3))
    check_layer(nn.MatrixDiagPart(), _f64(2, 3, 4))


def test_central_crop_and_image_gradients():
    img = np.arange(2 * 3 * 8 * 8, dtype=np.float32).reshape(2, 3, 8, 8)
    assert nn.CentralCrop(0.5)(Tensor(img)).shape == (2, 3, 4, 4)
    assert nn.CentralCrop(0.5)(Tensor(img[0])).shape == (3, 4, 4)
    got = nn.CentralCrop(0.3)(Tensor(img)).asnumpy()[0, 0]
    assert got[0].tolist() == [18, 19, 20, 21]  # MindSpore's: rows and columns 2..5
    check_layer(nn.CentralCrop(0.5), _f64(1, 2, 6, 6))
    x = np.arange(16.0).reshape(1, 1, 4, 4) ** 2
    dy, dx = nn.ImageGradients()(Tensor(x))
    assert dy.asnumpy()[0, 0, :3, :3].tolist() == [[16, 24, 32], [48, 56, 64], [80, 88, 96]]
    assert dx.asnumpy()[0, 0, :3, :3].tolist() == [[1, 3, 5], [9, 11, 13], [17, 19, 21]]
    assert (dy.asnumpy()[0, 0, 3] == 0).all() and (dx.asnumpy()[0, 0, :, 3] == 0).all()

    class First(nn.Cell):
        def __init__(self):
            super().__init__()
            self.g = nn.ImageGradients()

        def construct(self, x):
            dy, dx = self.g(x)
            return dy * 2.0 + dx
    check_layer(First(), _f64(1, 2, 3, 4))


def _ssim_reference(a, b, size=11, sigma=1.5, max_val=1.0):
    y, x = np.mgrid[-size // 2 + 1:size // 2 + 1, -size // 2 + 1:size // 2 + 1]
    g = np.exp(-(x ** 2 + y ** 2) / (2 * sigma ** 2))
    g /= g.sum()

    def filt(img):
        h, w = img.shape[-2:]
        out = np.zeros(img.shape[:-2] + (h - size + 1, w - size + 1))
        for i in range(out.shape[-2]):
            for j in range(out.shape[-1]):
                out[..., i, j] = (img[..., i:i + size, j:j + size] * g).sum((-2, -1))
        return out
    c1, c2 = (0.01 * max_val) ** 2, (0.03 * max_val) ** 2
    m1, m2 = filt(a), filt(b)
    s1, s2, s12 = filt(a * a) - m1 ** 2, filt(b * b) - m2 ** 2, filt(a * b) - m1 * m2
    ssim = (2 * m1 * m2 + c1) * (2 * s12 + c2) / ((m1 ** 2 + m2 ** 2 + c1) * (s1 + s2 + c2))
    return ssim.mean((2, 3)).mean(-1)


def test_psnr_and_ssim():
    a = _f64(2, 3, 12, 13, low=0.0, high=1.0)
    b = np.clip(a + 0.1 * _f64(2, 3, 12, 13, seed=5), 0, 1)
    psnr = nn.PSNR()(Tensor(a), Tensor(b)).asnumpy()
    np.testing.assert_allclose(psnr, 10 * np.log10(1 / ((a - b) ** 2).mean((1, 2, 3))))
    ssim = nn.SSIM()
    assert [(p.name, p.requires_grad) for p in ssim.get_parameters()] == [("conv.weight", False)]
    np.testing.assert_allclose(ssim(Tensor(a), Tensor(b)).asnumpy(), _ssim_reference(a, b),
                               rtol=1e-5)
    np.testing.assert_allclose(ssim(Tensor(a), Tensor(a)).asnumpy(), [1.0, 1.0], rtol=1e-6)

    class Loss(nn.Cell):
        def __init__(self, target):
            super().__init__()
            self.ssim = nn.SSIM(filter_size=3)
            self.target = Tensor(target)

        def construct(self, x):
            return 1.0 - self.ssim(x, self.target).mean()
    check_layer(Loss(b[:, :, :6, :6]), a[:, :, :6, :6], rtol=1e-4)


def test_embedding_lookup_and_bidense():
    e = nn.EmbeddingLookup(5, 3, param_init=Tensor(_f64(5, 3)))
    assert [(p.name, p.shape) for p in e.get_parameters()] == [("embedding_table", (5, 3))]
    ids = Tensor(np.array([[0, 2, 2], [7, -1, 4]], np.int32))
    out = e(ids).asnumpy()
    np.testing.assert_allclose(out[0], _f64(5, 3)[[0, 2, 2]])
    assert (out[1, :2] == 0).all()  # ids outside the table: zeros (MindSpore's)
    clipped = nn.EmbeddingLookup(5, 3, param_init="ones", max_norm=1.0)(ids).asnumpy()
    np.testing.assert_allclose(clipped[0], np.full((3, 3), 0.57735026), rtol=1e-6)

    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.e = nn.EmbeddingLookup(5, 3, param_init=Tensor(_f64(5, 3)), max_norm=0.8)

        def construct(self, x):
            return (self.e(ids) * x).sum()
    net = Net()
    x = Tensor(_f64(2, 3, 3, seed=2))
    _, (gx, (gw,)) = ops.value_and_grad(net, 0, net.trainable_params())(x)
    from autograd_st import numerical_grad
    want = numerical_grad(lambda v: net(v), (x,), None, net.trainable_params())[0]
    np.testing.assert_allclose(gw.asnumpy(), want, rtol=1e-6, atol=1e-8)
    assert (gw.asnumpy()[[1, 3]] == 0).all()

    b = nn.BiDense(3, 4, 5)
    assert [(p.name, p.shape) for p in b.get_parameters()] == [("weight", (5, 3, 4)),
                                                                ("bias", (5,))]
    assert np.abs(b.weight.asnumpy()).max() <= 1 / np.sqrt(3)
    x1, x2 = _f64(2, 7, 3), _f64(2, 7, 4, seed=1)
    w = b.weight.asnumpy().astype(np.float64)
    got = b(Tensor(x1), Tensor(x2)).asnumpy()
    np.testing.assert_allclose(got, np.einsum("nti,oij,ntj->nto", x1, w, x2)
                               + b.bias.asnumpy(), rtol=1e-5)

    class Bi(nn.Cell):
        def __init__(self):
            super().__init__()
            self.b = nn.BiDense(3, 4, 5, weight_init=Tensor(_f64(5, 3, 4, seed=3)),
                                bias_init=Tensor(_f64(5, seed=4)))
            self.x2 = Tensor(x2)

        def construct(self, x):
            return self.b(x, self.x2)
    check_layer(Bi(), x1)


def test_multi_field_embedding_lookup():
    ids = Tensor(np.array([[1, 2, 3]], np.int32))
    vals = Tensor(np.array([[1.0, 2.0, 3.0]], np.float32))
    fields = Tensor(np.array([[0, 1, 1]], np.int32))
    m = nn.MultiFieldEmbeddingLookup(10, 3, 2, param_init="ones")
    assert m(ids, vals, fields).asnumpy().tolist() == [[[1, 1, 1], [5, 5, 5]]]  # MindSpore's
    mean = nn.MultiFieldEmbeddingLookup(10, 3, 3, param_init="ones", operator="MEAN")
    assert mean(ids, vals, fields).asnumpy().tolist() == [[[1, 1, 1], [1, 1, 1], [0, 0, 0]]]
    mx = nn.MultiFieldEmbeddingLookup(10, 3, 2, param_init="ones", operator="MAX")
    assert mx(ids, vals, fields).asnumpy().tolist() == [[[1, 1, 1], [3, 3, 3]]]


def test_time_distributed_and_cell_dict():
    dense = nn.Dense(4, 2, weight_init=Tensor(_f64(2, 4)), bias_init=Tensor(_f64(2, seed=1)))
    td = nn.TimeDistributed(dense, time_axis=1)
    assert [p.name for p in td.get_parameters()] == ["layer.weight", "layer.bias"]
    x = _f64(3, 5, 4)
    out = check_layer(td, x).asnumpy()
    np.testing.assert_allclose(out, x @ dense.weight.asnumpy().T + dense.bias.asnumpy())
    assert nn.TimeDistributed(nn.Dense(4, 2), time_axis=0)(Tensor(np.ones((3, 5, 4)))).shape \
        == (3, 5, 2)
    conv = nn.Conv2d(2, 3, 3, weight_init=Tensor(_f64(3, 2, 3, 3)))
    check_layer(nn.TimeDistributed(conv, time_axis=1), _f64(2, 3, 2, 4, 4))

    cd = nn.CellDict({"a": nn.Dense(2, 3), "b": nn.ReLU()})
    assert list(cd.keys()) == ["a", "b"] and len(cd) == 2 and "a" in cd
    assert [p.name for p in cd.get_parameters()] == ["a.weight", "a.bias"]
    cd["c"] = nn.Dense(3, 1)
    assert cd.pop("b").__class__ is nn.ReLU and list(cd) == ["a", "c"]
    with pytest.raises(NotImplementedError):
        cd(Tensor(np.ones((1, 2))))

    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.cd = nn.CellDict({"x": nn.Dense(2, 3, weight_init=Tensor(_f64(3, 2)),
                                                 bias_init=Tensor(_f64(3, seed=1)))})

        def construct(self, x):
            return self.cd["x"](x)
    assert [p.name for p in Net().get_parameters()] == ["cd.x.weight", "cd.x.bias"]
    check_layer(Net(), _f64(4, 2))
    cd.clear()
    assert len(cd) == 0 and list(cd.get_parameters()) == []



def test_multi_field_mean_divides_by_the_sum_of_absolute_values():
    tab = Tensor(np.arange(12, dtype=np.float32).reshape(6, 2))
    ids = Tensor(np.array([[1, 4, 2, 0]], np.int32))
    fields = Tensor(np.array([[0, 2, 2, 0]], np.int32))
    m = nn.MultiFieldEmbeddingLookup(6, 2, 3, param_init=tab, operator="MEAN")
    got = m(ids, Tensor(np.array([[0.5, -2.0, 1.0, 3.0]], np.float32)), fields).asnumpy()
    # MindSpore 2.10: [[0.2857143, 1.2857143], [0, 0], [-4, -4.3333335]]
    np.testing.assert_allclose(got[0], [[0.2857143, 1.2857143], [0, 0], [-4, -4.3333335]],
                               rtol=1e-6)
    mx = nn.MultiFieldEmbeddingLookup(6, 2, 3, param_init=tab, operator="MAX")
    got = mx(ids, Tensor(np.array([[0.5, -2.0, 1.0, 3.0]], np.float32)), fields).asnumpy()
    np.testing.assert_allclose(got[0], [[1, 3], [0, 0], [4, 5]])  # MindSpore's


def test_psnr_ssim_values_measured_in_mindspore_graph_mode():
    # (MindSpore 2.10's PSNR and SSIM raise in PyNative mode on CPU; measured in GRAPH_MODE)
    rs = np.random.RandomState(0)
    a = rs.rand(2, 3, 16, 16).astype(np.float32)
    b = np.clip(a + 0.1 * rs.randn(*a.shape), 0, 1).astype(np.float32)
    np.testing.assert_allclose(nn.PSNR()(Tensor(a), Tensor(b)).asnumpy(),
                               [20.636119842529297, 20.913583755493164], rtol=1e-6)
    np.testing.assert_allclose(nn.SSIM()(Tensor(a), Tensor(b)).asnumpy(),
                               [0.9557733535766602, 0.9496752619743347], rtol=1e-6)
    np.testing.assert_allclose(nn.SSIM(filter_size=3, max_val=2.0)(Tensor(a), Tensor(b))
                               .asnumpy(), [0.9438633918762207, 0.948086678981781], rtol=1e-6)


def test_mat_inverse_and_det():
    # (MindSpore 2.10's CPU has no kernel for either: CholeskyTrsm, DetTriangle, measured)
    a = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
    np.testing.assert_allclose(nn.MatInverse()(Tensor(a)).asnumpy(), np.linalg.inv(a))
    np.testing.assert_allclose(nn.MatDet()(Tensor(a)).asnumpy(), np.linalg.det(a))
    batch = np.eye(3) + 0.2 * _f64(2, 3, 3)
    check_layer(nn.MatInverse(), batch)
    check_layer(nn.MatDet(), batch)
