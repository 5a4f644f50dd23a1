"""The second round of MindSpore names model-zoo code calls (``ops.Meshgrid``, ``ops.Depend``,
``ops.DivNoNan``, ``ops.MaxPoolWithArgmax`` ...).  Values are MindSpore 2.10's (CPU),
measured in the side venv (the figures in the asserts); every gradient is checked against
central differences in float64, on several shapes and with broadcasting where the op
broadcasts.
"""
from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close, check_value_and_grads

import autograd_st as ms
from autograd_st import ops
from autograd_st.tensor import Tensor

F32 = np.float32


def _rng(seed):
    return np.random.default_rng(seed)


def test_meshgrid_class_xy_and_ij():
    a, b = Tensor(np.array([1., 2., 3.], F32)), Tensor(np.array([4., 5.], F32))
    x, y = ops.Meshgrid()((a, b))  # MindSpore 2.10: shapes (2, 3)
    assert_close(x, [[1, 2, 3], [1, 2, 3]])
    assert_close(y, [[4, 4, 4], [5, 5, 5]])
    x, y = ops.Meshgrid("ij")((a, b))
    assert_close(x, [[1, 1], [2, 2], [3, 3]])
    assert_close(y, [[4, 5], [4, 5], [4, 5]])
    shapes = [t.shape for t in ops.Meshgrid()((Tensor(np.zeros(2)), Tensor(np.zeros(3)),
                                              Tensor(np.zeros(4))))]
    assert shapes == [(3, 2, 4)] * 3
    with pytest.raises(ValueError, match="indexing"):
        ops.Meshgrid("ab")
    with pytest.raises(ValueError, match="same"):
        ops.Meshgrid()((Tensor(np.array([1, 2], np.int32)), Tensor(np.array([1.], F32))))

    def f(x, w):
        gx, gy = ops.Meshgrid("ij")((x, w))
        return ops.sum(gx * gx * gy)
    check_value_and_grads(f, _rng(0).standard_normal(3), _rng(1).standard_normal(4))


def test_depend_class_passes_value_and_its_gradient_only():
    def f(x, w):
        return ops.sum(ops.Depend()(x * 2.0, w * 3.0) * x)
    check_value_and_grads(f, _rng(0).standard_normal((2, 3)), _rng(1).standard_normal(3))
    _, (gx, gw) = ops.value_and_grad(f, (0, 1))(Tensor(np.ones(3)), Tensor(np.ones(3)))
    assert_close(gw, [0, 0, 0])  # MindSpore 2.10: zeros for expr


def test_range_class():
    out = ops.Range()(Tensor(0.0), Tensor(3.0), Tensor(0.5))
    assert out.dtype == ms.float32
    assert_close(out, [0, 0.5, 1, 1.5, 2, 2.5])
    out = ops.Range()(Tensor(0), Tensor(10), Tensor(3))
    assert out.dtype == ms.int64
    assert_close(out, [0, 3, 6, 9])
    assert ops.Range()(Tensor(0, ms.int32), Tensor(3, ms.int32), Tensor(1, ms.int32)).dtype \
        == ms.int64
    assert_close(ops.Range()(Tensor(10), Tensor(0), Tensor(-3)), [10, 7, 4, 1])
    assert_close(ops.Range(maxlen=2)(0, 10, 3), [0, 3, 6, 9])  # (maxlen unchecked, as MS)
    with pytest.raises(ValueError, match="zero"):
        ops.Range()(Tensor(0), Tensor(10), Tensor(0))
    with pytest.raises(TypeError, match="same"):
        ops.Range()(Tensor(0), Tensor(3.0), Tensor(1))


def test_rint_rounds_halves_to_even():
    out = ops.Rint()(Tensor(np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 1.7], F32)))
    assert out.dtype == ms.float32
    assert_close(out, [-2, -2, 0, 0, 2, 2, 2])
    with pytest.raises(TypeError, match="Float"):
        ops.Rint()(Tensor(np.array([1, 2], np.int32)))


def test_diag_part():
    assert_close(ops.DiagPart()(Tensor(np.arange(16.).reshape(4, 4).astype(F32))),
                 [0, 5, 10, 15])
    assert_close(ops.DiagPart()(Tensor(np.arange(36.).reshape(2, 3, 2, 3).astype(F32))),
                 [[0, 7, 14], [21, 28, 35]])
    with pytest.raises(ValueError, match="equal to 3"):
        ops.DiagPart()(Tensor(np.zeros((3, 4), F32)))
    with pytest.raises(ValueError, match="even"):
        ops.DiagPart()(Tensor(np.zeros(3, F32)))

    def f(x, w):
        return ops.sum(ops.DiagPart()(x * x) * w)
    check_value_and_grads(f, _rng(0).standard_normal((3, 3)), _rng(1).standard_normal(3))
    check_value_and_grads(f, _rng(2).standard_normal((2, 3, 2, 3)),
                          _rng(3).standard_normal((2, 3)))


def test_div_no_nan_values_and_gradients():
    x = Tensor(np.array([1., 0., -2., 3.], F32))
    y = Tensor(np.array([0., 0., 2., 4.], F32))
    assert_close(ops.DivNoNan()(x, y), [0, 0, -1, 0.75])
    # MindSpore 2.10's gradients: dx [0, 0, .5, .25], dy [0, 0, .5, -.1875]
    _, (gx, gy) = ops.value_and_grad(lambda a, b: ops.sum(ops.DivNoNan()(a, b)), (0, 1))(x, y)
    assert_close(gx, [0, 0, 0.5, 0.25])
    assert_close(gy, [0, 0, 0.5, -0.1875])
    assert_close(ops.DivNoNan()(Tensor(np.array([[1.], [2.]], F32)),
                                Tensor(np.array([0., 4.], F32))), [[0, 0.25], [0, 0.5]])
    with pytest.raises(TypeError, match="float"):
        ops.DivNoNan()(Tensor(np.array([3, 4], np.int32)), Tensor(np.array([0, 2], np.int32)))

    def f(x, w):
        return ops.sum(ops.DivNoNan()(x, w * w + 0.5))
    check_value_and_grads(f, _rng(0).standard_normal((2, 3)), _rng(1).standard_normal(3))
    check_value_and_grads(f, _rng(2).standard_normal((4,)), _rng(3).standard_normal((2, 4)))


def test_inv_and_gelu_and_prelu_classes():
    assert_close(ops.Inv()(Tensor(np.array([2., -4.], F32))), [0.5, -0.25])
    out = ops.Inv()(Tensor(np.array([2, 1], np.int32)))
    assert out.dtype == ms.int32
    assert_close(out, [0, 1])  # MindSpore 2.10
    # Gelu is the tanh approximation (MindSpore 2.10's figures)
    assert_close(ops.Gelu()(Tensor(np.array([-1., 0., 1., 2.], F32))),
                 [-0.158808, 0.0, 0.841192, 1.954598], 1e-5, 1e-6)
    x = Tensor(np.array([[-1., 2.], [3., -4.]], F32))
    assert_close(ops.PReLU()(x, Tensor(np.array([0.1, 0.5], F32))), [[-0.1, 2], [3, -2]])
    assert_close(ops.PReLU()(x, Tensor(np.array([0.1], F32))), [[-0.1, 2], [3, -0.4]])

    def f(x, w):
        return ops.sum(ops.Inv()(x * x + 1.0) + ops.Gelu()(x) * ops.PReLU()(x, w))
    check_value_and_grads(f, _rng(0).standard_normal((4, 3)), np.array([0.2, -0.3, 0.7]))
    check_value_and_grads(f, _rng(1).standard_normal((2, 3, 5)), np.array([0.2, -0.3, 0.7]))


def test_pack_tensor_shape_masked_select():
    a = Tensor(np.array([1., 2., 3.], F32))
    assert_close(ops.Pack(1)((a, a)), [[1, 1], [2, 2], [3, 3]])
    assert_close(ops.Pack()([a, a]), [[1, 2, 3], [1, 2, 3]])
    with pytest.raises(ValueError, match="shape must be the same"):
        ops.Pack()((Tensor(np.zeros(2)), Tensor(np.zeros(3))))
    s = ops.TensorShape()(Tensor(np.zeros((2, 3), F32)))
    assert s.dtype == ms.int64
    assert_close(s, [2, 3])
    # MindSpore 2.10: [1, 1, 2] (x broadcast to the mask's shape)
    assert_close(ops.MaskedSelect()(Tensor(np.array([1., 2.], F32)),
                                    Tensor(np.array([[True, False], [True, True]]))), [1, 1, 2])

    def f(x, w):
        return ops.sum(ops.Pack(1)((x, w * x)) * ops.Pack(0)((w, x))[0][:, None]) + ops.sum(
            ops.MaskedSelect()(x, Tensor(np.array([True, False, True]))) ** 2)
    check_value_and_grads(f, _rng(0).standard_normal(3), _rng(1).standard_normal(3))


def test_lrn_class():
    x = _rng(0).standard_normal((1, 6, 2, 2)).astype(F32)
    # MindSpore 2.10, ops.LRN(2, 1.0, 0.5, 0.75)(x) for this x
    assert_close(ops.LRN(2, 1.0, 0.5, 0.75)(Tensor(x)).asnumpy().ravel()[:4],
                 [0.09774109, -0.08245401, 0.34865841, 0.07918906], 1e-5, 1e-6)

    def f(x, w):
        return ops.sum(ops.LRN(1, 1.0, 0.5, 0.75)(x) * w)
    check_value_and_grads(f, _rng(1).standard_normal((1, 4, 2, 3)),
                          _rng(2).standard_normal((1, 4, 2, 3)))


def test_dropout3d_class_drops_whole_channels():
    out, mask = ops.Dropout3D(0.5)(Tensor(np.ones((2, 64, 2, 1, 3), F32)))
    assert mask.dtype == ms.bool_ and mask.shape == (2, 64, 2, 1, 3)
    m = mask.asnumpy()
    assert (m == m[:, :, :1, :1, :1]).all()  # one draw per channel
    assert 0.25 < m.mean() < 0.75
    assert_close(out, np.where(m, 2.0, 0.0))
    out, mask = ops.Dropout3D(1.0)(Tensor(np.ones((1, 2, 1, 1, 1), F32)))
    assert_close(out, np.ones((1, 2, 1, 1, 1))) and mask.asnumpy().all()
    with pytest.raises(ValueError, match="keep_prob"):
        ops.Dropout3D(1.5)
    with pytest.raises(ValueError, match="rank of input"):
        ops.Dropout3D(0.5)(Tensor(np.ones((4, 2), F32)))


X33 = np.array([[[[0.1257302165031433, -0.13210485875606537, 0.6404226422309875],
                  [0.10490011423826218, -0.5356693863868713, 0.3615950644016266],
                  [1.3040000200271606, 0.9470809698104858, -0.7037352323532104]],
                 [[-1.2654215097427368, -0.6232744455337524, 0.04132597893476486],
                  [-2.32503080368042, -0.218791663646698, -1.2459110021591187],
                  [-0.7322673797607422, -0.5442590117454529, -0.3163001537322998]]]], F32)


def test_max_pool_with_argmax():
    out, idx = ops.MaxPoolWithArgmax(2, 1)(Tensor(X33))
    assert idx.dtype == ms.int32
    # MindSpore 2.10 CPU: the index counts over (C, H, W)
    assert_close(idx, [[[[0, 2], [6, 7]], [[13, 11], [13, 13]]]])
    assert_close(out, [[[[0.12573022, 0.64042264], [1.304, 0.94708097]],
                        [[-0.21879166, 0.0413259789], [-0.21879166, -0.21879166]]]])
    out, idx = ops.MaxPoolWithArgmax(2, 2, "same")(Tensor(X33))
    assert_close(idx, [[[[0, 2], [6, 8]], [[13, 11], [16, 17]]]])
    assert_close(out, [[[[0.12573022, 0.64042264], [1.304, -0.70373523]],
                        [[-0.21879166, 0.0413259789], [-0.54425901, -0.31630015]]]])
    out, idx = ops.MaxPoolWithArgmaxV2(2, 1)(Tensor(X33))
    assert idx.dtype == ms.int64
    assert_close(idx, [[[[0, 2], [6, 7]], [[4, 2], [4, 4]]]])
    g = ops.grad(lambda a: ops.sum(ops.MaxPoolWithArgmax(2, 1)(a)[0]))(Tensor(X33))
    # MindSpore 2.10's gradient
    assert_close(g, [[[[1, 0, 1], [0, 0, 0], [1, 1, 0]], [[0, 0, 1], [0, 3, 0], [0, 0, 0]]]])

    def f(x, w):
        return ops.sum(ops.MaxPoolWithArgmax(2, 2, "same")(x)[0] * w) + ops.sum(
            ops.MaxPoolWithArgmaxV2((2, 2), (1, 1))(x)[0])
    check_value_and_grads(f, _rng(0).standard_normal((2, 3, 5, 4)),
                          _rng(1).standard_normal((2, 3, 3, 2)))


XA = np.array([[1., -2., 3.], [0.5, 4., -1.]], F32)


def test_aminmax():
    lo, hi = ops.aminmax(Tensor(XA))  # MindSpore 2.10: axis 0 by default
    assert_close(lo, [0.5, -2, -1])
    assert_close(hi, [1, 4, 3])
    lo, hi = Tensor(XA).aminmax(axis=1, keepdims=True)
    assert lo.shape == (2, 1)
    assert_close(lo, [[-2], [-1]])
    assert_close(hi, [[3], [4]])
    # MindSpore 2.10's gradient of sum(2 min + max) along axis 1
    g = ops.grad(lambda a: ops.sum(ops.aminmax(a, axis=1)[0] * 2 + ops.aminmax(a, axis=1)[1])
                 )(Tensor(XA))
    assert_close(g, [[0, 2, 1], [0, 1, 2]])

    def f(x, w):
        lo, hi = ops.aminmax(x * w, axis=-1)
        return ops.sum(lo * hi)
    check_value_and_grads(f, _rng(0).standard_normal((3, 4)), _rng(1).standard_normal(4))
    check_value_and_grads(f, _rng(2).standard_normal((2, 3, 5)), _rng(3).standard_normal((3, 1)))


def test_cartesian_prod():
    out = ops.cartesian_prod(Tensor(np.array([1, 2])), Tensor(np.array([3, 4, 5])))
    assert out.dtype == ms.int64 and out.shape == (6, 2)
    assert_close(out, [[1, 3], [1, 4], [1, 5], [2, 3], [2, 4], [2, 5]])
    assert_close(ops.cartesian_prod(Tensor(np.array([1., 2.], F32))), [[1], [2]])

    def f(x, w):
        return ops.sum(ops.cartesian_prod(x, w, x) ** 2 * ops.cartesian_prod(x, w, x)[:, :1])
    check_value_and_grads(f, _rng(0).standard_normal(2), _rng(1).standard_normal(3))


def test_renorm():
    x = Tensor(XA)
    assert_close(ops.renorm(x, 2, 0, 3.0), [[0.80178368, -1.60356736, 2.40535116],
                                            [0.36115757, 2.88926053, -0.72231513]], 1e-5, 1e-6)
    assert_close(x.renorm(1, 1, 2.0), [[1, -0.66666669, 1.5], [0.5, 1.33333337, -0.5]],
                 1e-5, 1e-6)
    # MindSpore 2.10 differentiates through the scale
    g = ops.grad(lambda a: ops.sum(ops.renorm(a, 2, 0, 3.0)))(x)
    assert_close(g, [[0.68724316, 1.0308647, 0.45816213], [0.6490368, 0.13608833, 0.8688718]],
                 1e-5, 1e-6)

    def f(x, w):
        return ops.sum(ops.renorm(x * w, 2, 1, 1.0) * w) + ops.sum(ops.renorm(x, 3, -1, 0.8))
    check_value_and_grads(f, _rng(0).standard_normal((3, 4)), _rng(1).standard_normal(4))
    check_value_and_grads(f, _rng(2).standard_normal((2, 3, 4)),
                          _rng(3).standard_normal((3, 4)))
    with pytest.raises(ValueError, match="'p'"):
        ops.renorm(x, 0, 0, 1.0)


def test_intopk():
    x1 = Tensor(np.array([[1, 3, 2], [4, 0, 5]], F32))
    out = ops.intopk(x1, Tensor(np.array([1, 2], np.int32)), 1)  # MindSpore 2.10
    assert out.dtype == ms.bool_
    assert_close(out, [True, True])
    assert_close(ops.intopk(x1, Tensor(np.array([2, 1], np.int32)), 2), [True, False])
    # ties straddling the boundary are in (TensorFlow's in_top_k, which MindSpore's is)
    x = Tensor(np.array([[1., 2., 2., 0.]], F32))
    assert_close(ops.intopk(x, Tensor(np.array([2], np.int32)), 1), [True])
