"""Bicubic resizing: ``ops.interpolate(mode='bicubic')``, ``ops.ResizeBicubic`` and
``nn.Upsample(mode='bicubic')``.  Values are MindSpore 2.10's (CPU, measured in the side venv:
the figures in the asserts; ``tests/ms_cases/cases/u22b_bicubic.py`` records more); the weights
are checked against the cubic kernel written out here, and gradients (reverse and forward, first
and second order) against central differences in float64 on up- and down-sampling, non-square
images and batches of two."""
from __future__ import annotations

import numpy as np
import pytest

from autograd_st import Tensor, check_grads, nn, ops
from autograd_st import kernels_conv as kc
from tests.helpers import assert_close, check_value_and_grads

_X = np.arange(12, dtype=np.float32).reshape(1, 1, 3, 4) ** 2 / 10


@pytest.mark.parametrize("align, half, want", [
    (False, False, [[0.0, 0.053567, 0.236697, 0.626606, 0.948023],
                    [4.15, 5.13146, 6.395708, 7.959514, 9.045484]]),
    (True, False, [[0.0, 0.045703, 0.2125, 0.544922, 0.9],
                   [6.4, 7.514454, 9.012501, 10.676172, 12.1]]),
    (False, True, [[0.188436, 0.336197, 0.625, 1.075972, 1.528814],
                   [5.456568, 6.524918, 7.947628, 9.532507, 10.905936]]),
])
def test_resize_bicubic_as_mindspore(align, half, want):
    out = ops.ResizeBicubic(align, half)(Tensor(_X), (2, 5))
    assert out.shape == (1, 1, 2, 5) and out.dtype == _X.dtype
    assert_close(out.asnumpy()[0, 0], want, 1e-6, 2e-6)


def test_interpolate_bicubic_as_mindspore():
    half = ops.interpolate(Tensor(_X), size=(5, 3), mode="bicubic").asnumpy()[0, 0, :, 0]
    assert_close(half, [-0.118957, 0.380085, 1.690578, 4.933762, 6.941794], 1e-6, 2e-6)
    ac = ops.interpolate(Tensor(_X), size=(5, 3), mode="bicubic", align_corners=True)
    assert_close(ac.asnumpy()[0, 0, :, 0], [0.0, 0.35, 1.6, 4.15, 6.4], 1e-6, 2e-6)


def _cubic(t, a):
    t = np.abs(t)
    return np.where(t <= 1, ((a + 2) * t - (a + 3)) * t * t + 1,
                    np.where(t < 2, ((a * t - 5 * a) * t + 8 * a) * t - 4 * a, 0.0))


def _reference_matrix(n, size, mode):
    """Output ``i``'s row, pixel by pixel: the cubic kernel at the distance to each of the
    four taps, the fraction rounded to 1/1024 (MindSpore's weight table)."""
    a = -0.5 if mode == "cubic" else -0.75
    scale = (n - 1) / (size - 1) if mode == "cubic_align" and size > 1 else n / size
    m = np.zeros((size, n))
    for i in range(size):
        src = (i + 0.5) * scale - 0.5 if mode == "cubic" else i * scale
        base = int(np.floor(src))
        frac = round((src - base) * 1024) / 1024
        for k in range(-1, 3):
            j = base + k
            if mode == "cubic" and not 0 <= j < n:
                continue  # outside: weight 0, the rest renormalized below
            m[i, min(max(j, 0), n - 1)] += _cubic(k - frac, a)
        m[i] /= m[i].sum() if mode == "cubic" else 1.0
    return m


@pytest.mark.parametrize("mode", ["cubic", "cubic_align", "cubic_legacy"])
@pytest.mark.parametrize("n, size", [(4, 7), (7, 4), (5, 13), (13, 5), (1, 3), (3, 1), (6, 6)])
def test_weights_are_the_cubic_kernel(mode, n, size):
    m = kc.resize_matrix(np.zeros((n, 2)), -2, size, mode)
    assert m.shape == (size, n)
    assert_close(m, _reference_matrix(n, size, mode), 1e-6, 1e-6)
    assert_close(m.sum(axis=1), np.ones(size), 1e-6, 1e-6)  # a constant image stays constant
    assert_close(kc.resize_matrix(np.zeros((2, n)), -1, size, mode), m.T)


def test_same_size_and_aligned_corners_keep_the_pixels():
    x = np.random.default_rng(1).standard_normal((2, 3, 4, 5))
    assert_close(ops.interpolate(Tensor(x), size=(4, 5), mode="bicubic"), x, 1e-6, 1e-6)
    ac = ops.interpolate(Tensor(x), size=(7, 9), mode="bicubic", align_corners=True).asnumpy()
    assert_close(ac[..., ::2, ::2], x, 1e-6, 1e-6)


_SHAPES = [((2, 3, 4, 5), (7, 9)),   # up
           ((2, 2, 7, 6), (3, 4)),   # down
           ((1, 2, 3, 8), (6, 3)),   # up in one axis, down in the other
           ((2, 1, 5, 5), (5, 5))]   # the same size


@pytest.mark.parametrize("xs, size", _SHAPES)
@pytest.mark.parametrize("how", ["half", "align", "legacy"])
def test_gradients_are_finite_differences(xs, size, how):
    rng = np.random.default_rng(xs[2] * 10 + size[0])
    x = rng.standard_normal(xs)
    coef = rng.standard_normal(xs[:2] + size)

    def resize(x):
        if how == "legacy":
            return ops.ResizeBicubic()(x, size)
        return ops.interpolate(x, size=size, mode="bicubic", align_corners=how == "align")

    def f(x, c):
        y = resize(x)
        return ops.sum(y * c) + ops.sum(y * y) * 0.5
    check_value_and_grads(f, x, coef)
    check_grads(resize, (x,), order=2, modes=("fwd", "rev"))


def test_sizes_known_at_run_time_and_upsample():
    x = np.random.default_rng(2).standard_normal((2, 2, 4, 6))

    class Net(nn.Cell):
        def construct(self, x):
            y = ops.ResizeBicubic(False, True)(x, x.shape[2:])  # the same size
            return ops.sum(y * y)
    assert_close(ops.grad(Net())(Tensor(x)), 2 * x, 1e-6, 1e-6)
    up = nn.Upsample(scale_factor=(1.5, 0.5), mode="bicubic", recompute_scale_factor=True)
    want = ops.interpolate(Tensor(x), size=(6, 3), mode="bicubic")
    assert_close(up(Tensor(x)), want)
    assert_close(nn.Upsample(size=(6, 3), mode="bicubic")(Tensor(x)), want)
    sized = ops.interpolate(Tensor(x), scale_factor=1.75, mode="bicubic",
                            recompute_scale_factor=True, align_corners=True)
    assert sized.shape == (2, 2, 7, 10)


def test_refusals_as_mindspore():
    x = Tensor(_X)
    with pytest.raises(ValueError, match="half_pixel_centers must be false"):
        ops.ResizeBicubic(True, True)
    with pytest.raises(ValueError, match="number of size must be equal to 2"):
        ops.ResizeBicubic()(x, (5,))
    with pytest.raises(ValueError, match="size value must be greater than 0"):
        ops.ResizeBicubic()(x, (0, 3))
    with pytest.raises(ValueError, match="image rank must be equal to 4"):
        ops.ResizeBicubic()(Tensor(_X[0]), (5, 5))
    with pytest.raises(ValueError, match="'scale_factor' option cannot currently be set"):
        ops.interpolate(x, scale_factor=2.0, mode="bicubic")
    with pytest.raises(ValueError, match="same spatial dimensions"):
        ops.interpolate(Tensor(_X[0]), size=(5, 5), mode="bicubic")
