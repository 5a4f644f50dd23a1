"""``ops.affine_grid`` / ``ops.AffineGrid`` and ``ops.grid_sample`` / ``ops.GridSampler2D`` /
``ops.GridSampler3D``: values are MindSpore 2.10's (CPU, measured in the side venv: the
figures in the asserts); gradients in the image, the grid and theta are checked against
central differences in float64 on batches of two, non-square images, both
``align_corners``, each mode and padding mode, with points outside the image; second order
through a squared loss.
"""
from __future__ import annotations

import numpy as np
import pytest
from helpers import assert_close, check_value_and_grads, fd

from autograd_st import ops
from autograd_st.tensor import Tensor

_XH = np.arange(20, dtype=np.float32).reshape(1, 1, 4, 5)
_GH = np.array([[[[-0.25, -0.5], [0.25, 0.0], [0.75, 1 / 3.]]]], np.float32)


@pytest.mark.parametrize("mode, align, want", [
    ("bilinear", False, [3.875, 10.125, 14.708335]),
    ("bilinear", True, [5.25, 10.0, 13.5]),
    ("nearest", False, [6.0, 13.0, 14.0]),  # (halves rounded away from 0: 0.5 -> 1)
    ("nearest", True, [7.0, 13.0, 14.0]),   # (2.5 -> 3, 1.5 -> 2)
])
def test_grid_sample_as_mindspore(mode, align, want):
    for padding in ("zeros", "border", "reflection"):
        out = ops.grid_sample(Tensor(_XH), Tensor(_GH), mode, padding, align)
        assert out.shape == (1, 1, 1, 3)
        assert_close(out, np.array(want, np.float32).reshape(1, 1, 1, 3), 1e-6, 1e-6)


def test_grid_sample_padding_modes_outside_as_mindspore():
    g = Tensor(np.array([[[[-1.0, -0.0], [-1.0, -1.0], [0.0, -1.0]]]], np.float32))
    x = Tensor(_XH + 1)
    assert_close(ops.GridSampler2D("nearest", "zeros")(x, g), [[[[0.0, 0.0, 0.0]]]])
    assert_close(ops.GridSampler2D("nearest", "border")(x, g), [[[[11.0, 1.0, 3.0]]]])
    assert_close(ops.GridSampler2D("nearest", "reflection")(x, g), [[[[11.0, 1.0, 3.0]]]])


def test_affine_grid_as_mindspore():
    th = Tensor(np.array([[[1, 0.5, 0.25], [2, 3, 4]]], np.float32))
    assert_close(ops.affine_grid(th, (1, 1, 1, 3), True), [[[[-0.75, 2.0], [0.25, 4.0],
                                                              [1.25, 6.0]]]])
    assert_close(ops.AffineGrid(True)(th, (1, 1, 2, 1)), [[[[-0.25, 1.0]], [[0.75, 7.0]]]])
    assert_close(ops.affine_grid(th, (1, 1, 1, 3)), [[[[-0.4166667, 2.6666665], [0.25, 4.0],
                                                       [0.9166667, 5.3333335]]]], 1e-6, 1e-6)
    th3 = Tensor(np.eye(3, 4)[None])
    g = ops.affine_grid(th3, (1, 2, 2, 3, 4), True).asnumpy()
    assert g.shape == (1, 2, 3, 4, 3)
    assert_close(g[0, 1, 2, 3], [1.0, 1.0, 1.0])
    assert_close(g[0, 0, 0, 0], [-1.0, -1.0, -1.0])


_CASES = [(mode, padding, align) for mode in ("bilinear", "nearest")
          for padding in ("zeros", "border", "reflection") for align in (False, True)]


@pytest.mark.parametrize("mode, padding, align", _CASES)
@pytest.mark.parametrize("xs, gs", [((2, 3, 4, 5), (2, 3, 2, 2)),
                                    ((2, 2, 2, 3, 4), (2, 2, 1, 3, 3))])
def test_grid_sample_gradients_are_finite_differences(mode, padding, align, xs, gs):
    rng = np.random.default_rng(len(xs) * 7 + len(padding) + align)
    x = rng.standard_normal(xs)
    grid = rng.uniform(-1.7, 1.7, gs)  # (about a third of the points outside the image)
    coef = rng.standard_normal(xs[:2] + gs[1:-1])

    def f(x, g):
        return ops.sum(ops.grid_sample(x, g, mode, padding, align) * Tensor(coef))
    check_value_and_grads(f, x, grid)
    if mode == "nearest":  # MindSpore's gradient in the grid: 0
        assert not np.any(ops.grad(f, 1)(Tensor(x), Tensor(grid)).asnumpy())


@pytest.mark.parametrize("padding, align", [("zeros", False), ("border", True),
                                            ("reflection", False)])
def test_spatial_transformer_gradient_in_theta(padding, align):
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 2, 5, 6))
    theta = np.array([[[0.93, 0.11, 0.07], [-0.21, 1.13, -0.12]],
                      [[1.02, -0.31, 0.23], [0.27, 0.83, 0.01]]])

    def f(th, x):
        g = ops.affine_grid(th, (2, 2, 4, 5), align_corners=align)
        w = ops.grid_sample(x, g, padding_mode=padding, align_corners=align)
        return ops.sum(w * w) + ops.mean(w)
    check_value_and_grads(f, theta, x)


def test_grid_sample_second_order_through_a_squared_loss():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 2, 3, 4))
    grid = rng.uniform(-1.3, 1.3, (2, 2, 3, 2))
    v = rng.standard_normal(grid.shape)

    def loss(x, g):
        return ops.sum(ops.grid_sample(x, g, "bilinear", "zeros", True) ** 2)

    def directional(x, g):
        return ops.sum(ops.grad(loss, 1)(x, g) * Tensor(v))
    gx, gg = ops.grad(directional, (0, 1))(Tensor(x), Tensor(grid))
    assert_close(gx, fd(lambda a: np.sum(ops.grad(loss, 1)(Tensor(a), Tensor(grid)).asnumpy()
                                         * v), x), 1e-5, 1e-6)
    assert_close(gg, fd(lambda a: np.sum(ops.grad(loss, 1)(Tensor(x), Tensor(a)).asnumpy()
                                         * v), grid), 1e-5, 1e-6)


def test_nearest_gradient_at_a_tie_is_the_forward_s():
    # x 1.5 and y 0.5 (align_corners): the forward reads (1, 2) in MindSpore and here; its
    # CPU GridSampler2DGrad rounds halves to even and sends the gradient to (0, 2)
    # (measured), here it goes where the value came from.
    x = Tensor(np.arange(12, dtype=np.float32).reshape(1, 1, 3, 4))
    g = Tensor(np.array([[[[0.0, -0.5]]]], np.float32))
    assert_close(ops.grid_sample(x, g, "nearest", "zeros", True), [[[[6.0]]]])
    want = np.zeros((1, 1, 3, 4), np.float32)
    want[0, 0, 1, 2] = 1.0
    assert_close(ops.grad(lambda x: ops.sum(ops.grid_sample(x, g, "nearest", "zeros",
                                                            True)))(x), want)


def test_grid_sample_refusals():
    x, g = Tensor(np.zeros((1, 1, 3, 3), np.float32)), Tensor(np.zeros((1, 2, 2, 2), np.float32))
    with pytest.raises(ValueError, match="'mode' must be one of bilinear, nearest"):
        ops.grid_sample(x, g, mode="bicubic")
    with pytest.raises(ValueError, match="'padding_mode'"):
        ops.grid_sample(x, g, padding_mode="reflect")
    with pytest.raises(ValueError, match="grid"):
        ops.grid_sample(x, Tensor(np.zeros((1, 2, 2, 3), np.float32)))
    with pytest.raises(ValueError, match="'theta' must be of shape"):
        ops.affine_grid(Tensor(np.zeros((1, 2, 3), np.float32)), (2, 1, 3, 3))
