"""The detection ops (``ops.IOU``, ``ops.NMSWithMask``, ``ops.BoundingBoxEncode`` /
``BoundingBoxDecode``, ``ops.CheckValid``, ``ops.ROIAlign``) and the 3-D classes
(``ops.Conv3D``, ``ops.MaxPool3D``, ``ops.AvgPool3D``): values are MindSpore 2.10's, measured
in the side venv (the figures in the asserts); ROIAlign's and the 3-D classes' gradients
are checked against central differences in float64.
"""
from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close, check_value_and_grads, fd

import autograd_st as ms
from autograd_st import ops
from autograd_st.errors import CompileError
from autograd_st.tensor import Tensor

_A = np.array([[0, 0, 10, 10], [5, 5, 15, 15], [0, 0, 4, 4]], np.float32)
_G = np.array([[0, 0, 10, 10], [2, 2, 6, 6]], np.float32)


def test_iou_and_iof_as_mindspore():
    # MindSpore 2.10: (M, N) = (gt, anchors), pixel areas (x1 - x0 + 1)(y1 - y0 + 1)
    assert_close(ops.IOU()(Tensor(_A), Tensor(_G)),
                 [[1.0, 0.1747573, 0.2066116], [0.2066116, 0.028169, 0.2195122]])
    assert_close(ops.IOU("iof")(Tensor(_A), Tensor(_G)),
                 [[1.0, 0.2975207, 0.2066116], [1.0, 0.16, 0.36]])
    assert_close(ops.iou(Tensor(_A), Tensor(_G), mode="iof"),
                 ops.IOU("iof")(Tensor(_A), Tensor(_G)))
    empty = Tensor(np.array([[5, 5, 4, 4]], np.float32))  # 0 / 0: 0, as MindSpore
    assert_close(ops.IOU()(empty, empty), [[0.0]])
    assert ops.IOU()(Tensor(_A, ms.float16), Tensor(_G, ms.float16)).dtype == ms.float16
    with pytest.raises(ValueError, match="'iou' or 'iof'"):
        ops.IOU("giou")


def test_iou_has_zero_gradient_as_mindspore():
    def f(a, g):
        return ops.sum(ops.IOU()(a, g)) + ops.sum(a * g[0])
    a, g = _A.astype(np.float64), _G.astype(np.float64)
    ga, gg = ops.grad(f, (0, 1))(Tensor(a), Tensor(g))
    assert_close(ga, np.broadcast_to(g[0], a.shape))  # only the product's
    assert_close(gg, np.stack([a.sum(0), np.zeros(4)]))


def test_bounding_box_encode_decode_as_mindspore():
    an = np.array([[2, 2, 2, 3], [0, 0, 10, 20]], np.float32)
    gt = np.array([[1, 2, 1, 4], [1, 1, 12, 18]], np.float32)
    assert_close(ops.BoundingBoxEncode()(Tensor(an), Tensor(gt)),
                 [[-1.0, 0.25, 0.0, 0.4054651], [0.1363636, -0.0238095, 0.0870114, -0.1541507]],
                 1e-6)
    enc = ops.BoundingBoxEncode(means=(0.1, 0.2, 0.0, 0.0), stds=(0.1, 0.1, 0.2, 0.2))
    assert_close(enc(Tensor(an), Tensor(gt)),
                 [[-11.0, 0.5, 0.0, 2.0273254], [0.3636364, -2.2380953, 0.435057, -0.7707533]],
                 1e-6)
    an2 = np.array([[4, 1, 2, 1], [2, 2, 2, 3], [0, 0, 10, 20]], np.float32)
    dl = np.array([[3, 1, 2, 2], [1, 2, 1, 4], [0.1, -0.2, -5, 0.3]], np.float32)
    dec = ops.BoundingBoxDecode(max_shape=(768, 1280), wh_ratio_clip=0.016)
    assert_close(dec(Tensor(an2), Tensor(dl)),
                 [[4.194528, 0, 0, 5.194528], [2.1408591, 0, 3.8591409, 60.59815],
                  [6.512, 0, 5.688, 19.473518]], 1e-6, 1e-5)
    dec = ops.BoundingBoxDecode(max_shape=(15, 12), means=(0.1, 0.0, 0.0, 0.2),
                                stds=(0.1, 0.1, 0.2, 0.2), wh_ratio_clip=0.1)
    assert_close(dec(Tensor(an2), Tensor(dl)),
                 [[3.8459122, 0.6889406, 1.3540876, 1.5110595],
                  [2.0892987, 0.6817183, 2.3107014, 5.118282], [4.686663, 0, 7.7333374, 15.0]],
                 1e-6, 1e-6)
    # x clipped to max_shape[1], y to max_shape[0] (MindSpore: [0, 0, 12, 5], [0, 0, 5, 15])
    zero = Tensor(np.zeros((2, 4), np.float32))
    assert_close(ops.bounding_box_decode(Tensor(np.array([[0, 0, 30, 5], [0, 0, 5, 30]],
                                                         np.float32)), zero, (15, 12)),
                 [[0, 0, 12, 5], [0, 0, 5, 15]])


def test_a_gradient_through_box_coding_or_nms_is_refused_as_mindspore_raises():
    an = Tensor(np.array([[2.0, 2, 4, 5]]))
    for f in (lambda a: ops.sum(ops.BoundingBoxEncode()(a, a * 1.5)),
              lambda a: ops.sum(ops.BoundingBoxDecode((9, 9))(a, a * 0.1)),
              lambda a: ops.sum(ops.NMSWithMask(0.5)(ops.concat([a, a[:, :1]], 1))[0])):
        with pytest.raises(CompileError, match="bprop not defined"):
            ops.grad(f)(an)


def test_check_valid_as_mindspore():
    bb = Tensor(np.linspace(0, 6, 12).reshape(3, 4).astype(np.float32))
    assert ops.CheckValid()(bb, Tensor(np.array([2, 1, 3], np.float32))).asnumpy().tolist() \
        == [True, False, False]
    rows = np.array([[0, 0, 5, 5.01], [0, 0, 5.01, 5], [0, 0, 4.99, 5], [0, -0.01, 1, 1],
                     [-0.01, 0, 1, 1], [0, 0, 0, 0], [6, 0, 1, 1], [0, 0, 5, 4.99]], np.float32)
    got = ops.check_valid(Tensor(rows), Tensor(np.array([3, 3, 2], np.float32)))
    assert got.dtype == ms.bool_
    assert got.asnumpy().tolist() == [False, False, True, False, False, True, True, True]
    # x against width * ratio - 1, y against height * ratio - 1 (img_metas (h, w, ratio))
    got = ops.CheckValid()(Tensor(np.array([[0, 0, 2.5, 0.5], [0, 0, 0.5, 2.5]], np.float32)),
                           Tensor(np.array([2, 4, 1], np.float32)))
    assert got.asnumpy().tolist() == [True, False]


def test_nms_with_mask_as_mindspores_cpu_kernel():
    b = np.array([[0, 0, 10, 10, 0.9], [1, 1, 11, 11, 0.8], [20, 20, 30, 30, 0.7],
                  [0, 0, 10, 10, 0.95], [21, 21, 31, 31, 0.7], [50, 50, 60, 60, 0.7]],
                 np.float32)
    boxes, idx, mask = ops.NMSWithMask(0.5)(Tensor(b))
    # MindSpore 2.10: sorted 3, 0, 1, 4, 5, 2 (the three 0.7s in its bitonic order);
    # the index output is arange(N) int32; suppression above the threshold, no +1 areas
    assert_close(boxes, b[[3, 0, 1, 4, 5, 2]])
    assert idx.dtype == ms.int32 and idx.asnumpy().tolist() == list(range(6))
    assert mask.asnumpy().tolist() == [True, False, False, True, True, False]
    assert ops.NMSWithMask(0.9)(Tensor(b))[2].asnumpy().tolist() == [True, False] + [True] * 4
    two = Tensor(np.array([[0, 0, 10, 10, 0.9], [1, 1, 11, 11, 0.8]], np.float32))  # iou 0.68
    assert ops.NMSWithMask(0.67)(two)[2].asnumpy().tolist() == [True, False]
    assert ops.NMSWithMask(0.69)(two)[2].asnumpy().tolist() == [True, True]
    equal = Tensor(np.array([[0, 0, 1, 1, 0.9], [0, 0, 1, 2, 0.8]], np.float32))  # iou 0.5
    assert ops.NMSWithMask(0.5)(equal)[2].asnumpy().tolist() == [True, True]


@pytest.mark.parametrize("scores, order", [
    ([0.9, 0.5, 0.5], [0, 2, 1]),
    ([0.5, 0.5, 0.1, 0.1, 0.1, 0.1, 0.9], [6, 1, 0, 5, 4, 3, 2]),
    ([0.5, 0.9, 0.5, 0.5, 0.9, 0.5, 0.5, 0.5, 0.5], [1, 4, 8, 5, 6, 7, 2, 3, 0]),
])
def test_nms_ties_come_out_in_mindspores_order(scores, order):
    n = len(scores)
    b = np.concatenate([np.arange(n)[:, None] * 100 + np.array([0, 0, 5, 5]),
                        np.array(scores)[:, None]], 1).astype(np.float32)
    boxes, _, mask = ops.NMSWithMask(0.5)(Tensor(b))
    assert (boxes.asnumpy()[:, 0] / 100).astype(int).tolist() == order  # measured on 2.10
    assert mask.asnumpy().all()


def test_roi_align_as_mindspore():
    f = Tensor(np.array([[[[1.0, 2.0], [3.0, 4.0]]]], np.float32))
    rois = Tensor(np.array([[0, 0.2, 0.3, 0.2, 0.3]], np.float32))
    # MindSpore 2.10's figures
    assert_close(ops.ROIAlign(2, 2, 0.5, 2)(f, rois), [[[[1.775, 2.025], [2.275, 2.525]]]],
                 1e-6)
    x = np.arange(2 * 1 * 4 * 5, dtype=np.float64).reshape(2, 1, 4, 5)
    r = np.array([[1, 0.0, 0.0, 3.0, 2.0], [0, 1.0, 0.5, 2.5, 2.5]])
    out = ops.ROIAlign(1, 1, 1.0, 1, 0)(Tensor(x), Tensor(r)).asnumpy()
    # one sample at the bins' centres: (1.5, 1) of image 1 and (1.75, 1.5) of image 0
    assert_close(out.ravel(), [20 + 1 * 5 + 1.5, 1.5 * 5 + 1.75])
    small = np.array([[0, 3.3, 1.7, 3.5, 2.0]])  # adaptive grid: a bin with no sample
    assert np.isnan(ops.ROIAlign(2, 2, 0.5, 0)(Tensor(x), Tensor(small)).asnumpy()).all()
    with pytest.raises(ValueError, match="image_index"):
        ops.ROIAlign(1, 1, 1.0)(Tensor(x), Tensor(np.array([[2, 0.0, 0.0, 3.0, 2.0]])))


@pytest.mark.parametrize("shape, rois, args", [
    ((2, 3, 6, 7), [[0, 1.3, 2.1, 9.2, 8.4], [1, -2.2, 0.6, 4.1, 13.3]], (2, 2, 0.5, 2, 1)),
    ((1, 2, 5, 6), [[0, 0.4, -3.1, 16.2, 8.3], [0, 1.2, 0.1, 9.9, 7.3]], (3, 2, 0.5, 0, 1)),
    ((2, 1, 6, 7), [[1, 3.3, 1.7, 3.5, 2.0], [0, 1.3, 2.1, 9.2, 8.4]], (2, 3, 1.0, 1, 0)),
])
def test_roi_align_gradient_is_finite_differences(shape, rois, args):
    rng = np.random.default_rng(len(rois) + shape[1])
    x = rng.standard_normal(shape)
    r = np.array(rois)
    op = ops.ROIAlign(*args)
    coef = rng.standard_normal(op(Tensor(x), Tensor(r)).shape)

    def f(x, w):
        return ops.sum(op(x, Tensor(r)) * w)
    check_value_and_grads(f, x, coef)
    # the RoIs get no gradient, as in MindSpore (measured: zeros)
    g = ops.grad(lambda x, r: ops.sum(op(x, r) * Tensor(coef)), 1)(Tensor(x), Tensor(r))
    assert_close(g, np.zeros_like(r))


def test_roi_align_second_order_through_a_squared_loss():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((1, 2, 5, 5))
    r = Tensor(np.array([[0, 0.5, 0.7, 3.6, 3.1]]))
    op = ops.ROIAlign(2, 2, 1.0, 2)

    def loss(x):
        return ops.sum(op(x, r) ** 2)
    v = rng.standard_normal(x.shape)

    def directional(x):
        return ops.sum(ops.grad(loss)(x) * Tensor(v))
    want = fd(lambda a: np.sum(ops.grad(loss)(Tensor(a)).asnumpy() * v), x)
    assert_close(ops.grad(directional)(Tensor(x)), want, 1e-5, 1e-6)


@pytest.mark.parametrize("make, shape", [
    (lambda: ops.MaxPool3D(2, 1), (1, 2, 3, 4, 3)),
    (lambda: ops.MaxPool3D((2, 3, 2), (2, 1, 2), pad_mode="SAME"), (2, 1, 3, 4, 5)),
    (lambda: ops.MaxPool3D(3, 2, pad_mode="PAD", pad_list=1, ceil_mode=True), (1, 1, 4, 5, 4)),
    (lambda: ops.AvgPool3D(2, 1), (1, 2, 3, 4, 3)),
    (lambda: ops.AvgPool3D((2, 3, 2), (2, 1, 2), pad_mode="same"), (2, 1, 3, 4, 5)),
    (lambda: ops.AvgPool3D(3, 2, pad_mode="pad", pad=1, ceil_mode=True,
                           count_include_pad=False), (1, 1, 4, 5, 4)),
    (lambda: ops.AvgPool3D(3, 2, pad_mode="pad", pad=(1, 0, 1, 1, 0, 1), divisor_override=5),
     (1, 2, 4, 4, 5)),
])
def test_pool3d_classes_gradients(make, shape):
    op = make()
    rng = np.random.default_rng(shape[-1] + shape[0])
    x = rng.permutation(np.arange(np.prod(shape), dtype=np.float64)).reshape(shape) * 0.1
    coef = rng.standard_normal(op(Tensor(x)).shape)

    def f(x, w):
        return ops.sum(op(x) * w)
    check_value_and_grads(f, x, coef)


def test_pool3d_classes_values():
    x = np.arange(1 * 2 * 2 * 2 * 3, dtype=np.float32).reshape((1, 2, 2, 2, 3))
    # MindSpore 2.10's docstring example: [[[[[10, 11]]], [[[22, 23]]]]]
    assert_close(ops.MaxPool3D(kernel_size=2, strides=1, pad_mode="VALID")(Tensor(x)),
                 [[[[[10, 11]]], [[[22, 23]]]]])
    assert_close(ops.AvgPool3D(kernel_size=2, strides=1)(Tensor(x)),
                 [[[[[5, 6]]], [[[17, 18]]]]])
    with pytest.raises(ValueError, match="ceil_mode"):
        ops.MaxPool3D(2, 1, ceil_mode=True)


@pytest.mark.parametrize("make, ws", [
    (lambda: ops.Conv3D(4, (2, 3, 2), group=2), (4, 1, 2, 3, 2)),
    (lambda: ops.Conv3D(2, 2, pad_mode="same", stride=2), (2, 2, 2, 2, 2)),
    (lambda: ops.Conv3D(2, (2, 3, 2), pad_mode="pad", pad=(1, 0, 2, 1, 0, 1), stride=(1, 2, 1),
                        dilation=(2, 1, 1)), (2, 2, 2, 3, 2)),
])
def test_conv3d_class_gradients(make, ws):
    op = make()
    rng = np.random.default_rng(ws[0] + ws[1])
    x = rng.standard_normal((2, 2, 4, 5, 4))
    w = rng.standard_normal(ws)
    coef = rng.standard_normal(op(Tensor(x), Tensor(w)).shape)

    def f(x, w):
        return ops.sum(op(x, w) * Tensor(coef))
    check_value_and_grads(f, x, w)
    assert_close(op(Tensor(x), Tensor(w)), ops.conv3d(Tensor(x), Tensor(w), None, op.stride,
                                                      op.pad_mode, op.pad if op.pad_mode ==
                                                      "pad" and isinstance(op.pad, int)
                                                      else 0, op.dilation, op.group)
                 if op.pad_mode != "pad" else op(Tensor(x), Tensor(w)))
