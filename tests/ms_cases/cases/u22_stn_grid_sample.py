"""A spatial transformer's sampling step: ops.affine_grid from a learned theta and
ops.grid_sample (bilinear and nearest, zeros/border padding, align_corners both ways), the
gradients with respect to theta and the image; ops.interpolate (bilinear align_corners,
bicubic, nearest) and ops.pad (reflect, replicate, constant) with gradients.

'nearest' runs with another theta (NEAREST_THETA): with THETA one sample's y is 2.5 exactly,
a tie MindSpore 2.10's CPU GridSampler2DGrad rounds to even (row 2) while its forward reads
row 3 (halves away from 0), so its g_img there is not the forward's derivative (autograd_st's
is; tests/test_grid_sample.py).  NEAREST_THETA keeps every sample at least 0.006 pixel off a
tie."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


THETA = [[[0.9, 0.1, 0.05], [-0.2, 1.1, -0.1]], [[1.0, -0.3, 0.2], [0.25, 0.8, 0.0]]]
NEAREST_THETA = [[[0.93, 0.11, 0.07], [-0.21, 1.13, -0.12]],
                 [[1.02, -0.31, 0.23], [0.27, 0.83, 0.01]]]


class STN(nn.Cell):
    def __init__(self, mode, padding, align):
        super().__init__()
        theta = NEAREST_THETA if mode == "nearest" else THETA
        self.theta = Parameter(Tensor(np.array(theta, np.float32)), name="theta")
        self.mode, self.padding, self.align = mode, padding, align

    def construct(self, img):
        grid = ops.affine_grid(self.theta, (2, 2, 4, 5), align_corners=self.align)
        warped = ops.grid_sample(img, grid, mode=self.mode, padding_mode=self.padding,
                                 align_corners=self.align)
        return (warped * warped).sum() + warped.mean()


def run():
    out = {}
    rng = np.random.default_rng(4)
    img = Tensor(rng.normal(size=(2, 2, 5, 6)).astype(np.float32))
    for mode, padding, align in (("bilinear", "zeros", False), ("bilinear", "border", True),
                                 ("nearest", "zeros", False)):
        net = STN(mode, padding, align)
        tag = "%s_%s_%s" % (mode, padding, align)
        loss, (gi, gw) = ops.value_and_grad(net, 0, net.trainable_params())(img)
        out[tag + "/loss"] = loss
        out[tag + "/g_img"] = gi
        if mode == "bilinear":
            out[tag + "/g_theta"] = gw[0]
    x = Tensor(rng.normal(size=(1, 2, 3, 4)).astype(np.float32))

    def interp(x):
        a = ops.interpolate(x, size=(5, 7), mode="bilinear", align_corners=True)
        b = ops.interpolate(x, size=(6, 8), mode="nearest")
        c = ops.interpolate(x, size=(6, 6), mode="bicubic", align_corners=False)
        return a.sum() * 0.5 + (b * b).mean() + (c * ops.arange(6, dtype=ms.float32)).sum(), a

    (v, a), g = ops.value_and_grad(interp, has_aux=True)(x)
    out["interp/value"] = v
    out["interp/a"] = a
    out["interp/grad"] = g

    def pads(x):
        r = ops.pad(x, (1, 2, 2, 1), mode="reflect")
        p = ops.pad(x, (2, 0, 1, 1), mode="replicate")
        c = ops.pad(x, (1, 1, 0, 2), mode="constant", value=0.5)
        w = ops.arange(r.size, dtype=ms.float32).reshape(r.shape) / r.size
        return (r * w).sum() + (p ** 2).sum() + c.sum(), (r.shape[-1], p.shape[-2])

    (v, shapes), g = ops.value_and_grad(pads, has_aux=True)(x)
    out["pad/value"] = v
    out["pad/shapes"] = np.array(shapes)
    out["pad/grad"] = g
    return out
