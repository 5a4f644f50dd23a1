"""Bicubic resizing in MindSpore 2.10: ops.interpolate(mode='bicubic') with and without
align_corners, by size and by scale_factor (recompute_scale_factor=True), up- and
down-sampling, non-square, batch 2; ops.ResizeBicubic in its three coordinate modes (size a
tuple and a Tensor); nn.Upsample(mode='bicubic'); the gradients in the image (inside a Cell
with a Parameter, and of a weighted sum)."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


class Head(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.linspace(-1.0, 1.0, 3).astype(np.float32)
                                  .reshape(1, 3, 1, 1)), name="w")
        self.up = nn.Upsample(size=(9, 7), mode="bicubic", align_corners=True)

    def construct(self, x):
        y = self.up(x * self.w)
        return (y * y).mean() + ops.tanh(y).sum()


def run():
    out = {}
    rng = np.random.default_rng(22)
    x = Tensor(rng.normal(size=(2, 3, 5, 6)).astype(np.float32))
    settings = {
        "up_half": dict(size=(8, 11)),
        "up_align": dict(size=(8, 11), align_corners=True),
        "down_half": dict(size=(3, 2)),
        "down_align": dict(size=(3, 4), align_corners=True),
        "mixed_half": dict(size=(9, 4), align_corners=False),
        "scale_half": dict(scale_factor=(1.7, 0.75), recompute_scale_factor=True),
        "scale_align": dict(scale_factor=2.5, recompute_scale_factor=True, align_corners=True),
    }
    for tag, kw in settings.items():
        y = ops.interpolate(x, mode="bicubic", **kw)
        c = Tensor(rng.normal(size=y.shape).astype(np.float32))

        def f(x, kw=kw, c=c):
            return (ops.interpolate(x, mode="bicubic", **kw) * c).sum()
        out["interp_%s/y" % tag] = y
        out["interp_%s/grad" % tag] = ops.grad(f)(x)
    for tag, (align, half) in {"legacy": (False, False), "align": (True, False),
                               "half": (False, True)}.items():
        op = ops.ResizeBicubic(align_corners=align, half_pixel_centers=half)
        out["ResizeBicubic_%s/up" % tag] = op(x, (7, 10))
        out["ResizeBicubic_%s/down" % tag] = op(x, Tensor(np.array([4, 3], np.int32)))

        def g(x, op=op):
            y = op(x, (6, 9))
            return (y * y).sum()
        out["ResizeBicubic_%s/grad" % tag] = ops.grad(g)(x)
    net = Head()
    loss, (gx, gw) = ops.value_and_grad(net, 0, net.trainable_params())(x)
    out["upsample/loss"] = loss
    out["upsample/g_x"] = gx
    out["upsample/g_w"] = gw[0]
    up = nn.Upsample(scale_factor=(0.6, 1.5), mode="bicubic", recompute_scale_factor=True)
    out["upsample/scaled"] = up(x)
    return out
