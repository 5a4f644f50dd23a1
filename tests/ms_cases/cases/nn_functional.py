"""Functional ops (conv1d, conv2d, max_pool2d, avg_pool2d, avg_pool1d, adaptive_avg_pool2d,
interpolate, pixel_shuffle, bias_add) and primitive classes (Conv2D, MaxPool, AvgPool,
AdaptiveAvgPool2D, ResizeNearestNeighbor, ResizeBilinearV2, BiasAdd): values and the
gradient of sum(out ** 2) w.r.t. the input (and the weight for the convolutions)."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


# module-level constants: the ops below read them as globals (autograd_st does not yet
# resolve a closure's variable two closures deep)
rs = np.random.RandomState(17)
x = Tensor(rs.standard_normal((2, 4, 7, 6)).astype(np.float32))
x1 = Tensor(rs.standard_normal((2, 4, 9)).astype(np.float32))
w = Tensor((rs.standard_normal((3, 4, 3, 3)) * 0.3).astype(np.float32))
wg = Tensor((rs.standard_normal((4, 2, 3, 3)) * 0.3).astype(np.float32))
w1 = Tensor((rs.standard_normal((3, 4, 3)) * 0.3).astype(np.float32))
bias = Tensor(rs.standard_normal((3,)).astype(np.float32))
small = Tensor(rs.standard_normal((1, 2, 3, 4)).astype(np.float32))
chan = Tensor(np.arange(4, dtype=np.float32))


def run():
    fns = {
        "conv2d": lambda x, w: ops.conv2d(x, w),
        "conv2d_same_s2": lambda x, w: ops.conv2d(x, w, bias, 2, "same"),
        "conv2d_pad_hw": lambda x, w: ops.conv2d(x, w, None, 1, "pad", (1, 2)),
        "conv2d_dil": lambda x, w: ops.conv2d(x, w, bias, (2, 1), "pad", 1, (2, 1)),
        "conv2d_group": lambda x, w: ops.conv2d(x, wg * w.sum(), None, 1, "same", 0, 1, 2),
        "conv2d_class": lambda x, w: ops.Conv2D(3, 3, pad_mode="pad", pad=(1, 0, 2, 1))(x, w),
        "conv2d_class_same": lambda x, w: ops.Conv2D(3, 3, pad_mode="same", stride=2)(x, w),
    }
    out = {}
    for name, f in fns.items():
        out[name] = f(x, w)
        gx, gw = ops.grad(lambda x, w: (f(x, w) ** 2).sum(), grad_position=(0, 1))(x, w)
        out[name + "_gx"] = gx
        out[name + "_gw"] = gw
    fns1 = {
        "conv1d": lambda x, w: ops.conv1d(x, w),
        "conv1d_same_s2": lambda x, w: ops.conv1d(x, w, bias, 2, "same"),
        "conv1d_pad_dil": lambda x, w: ops.conv1d(x, w, None, 1, "pad", 2, 2),
    }
    for name, f in fns1.items():
        out[name] = f(x1, w1)
        gx, gw = ops.grad(lambda x, w: (f(x, w) ** 2).sum(), grad_position=(0, 1))(x1, w1)
        out[name + "_gx"] = gx
        out[name + "_gw"] = gw
    unary = {
        "max_pool2d": (lambda x: ops.max_pool2d(x, 2), x),
        "max_pool2d_pad": (lambda x: ops.max_pool2d(x, 3, 2, 1), x),
        "max_pool2d_ceil": (lambda x: ops.max_pool2d(x, (2, 3), (2, 2), 0, 1, ceil_mode=True), x),
        "max_pool2d_dil": (lambda x: ops.max_pool2d(x, 2, 1, 0, 2), x),
        "avg_pool2d": (lambda x: ops.avg_pool2d(x, 2), x),
        "avg_pool2d_s2_pad": (lambda x: ops.avg_pool2d(x, 3, 2, 1), x),
        "avg_pool2d_ceil_nocip": (lambda x: ops.avg_pool2d(x, 3, 2, 1, True, False), x),
        "avg_pool2d_div": (lambda x: ops.avg_pool2d(x, 2, 2, 0, False, True, 5), x),
        "avg_pool1d": (lambda x: ops.avg_pool1d(x, 3, 2, 1), x1),
        "adaptive_avg_pool2d": (lambda x: ops.adaptive_avg_pool2d(x, (3, 4)), x),
        "adaptive_avg_pool2d_none": (lambda x: ops.adaptive_avg_pool2d(x, (None, 5)), x),
        "adaptive_max_pool2d": (lambda x: ops.adaptive_max_pool2d(x, (3, 4)), x),
        "adaptive_max_pool2d_up": (lambda x: ops.adaptive_max_pool2d(x, (8, None)), x),
        "interp_nearest": (lambda x: ops.interpolate(x, size=(5, 9)), small),
        "interp_nearest_down": (lambda x: ops.interpolate(x, size=(2, 3)), small),
        "interp_bilinear": (lambda x: ops.interpolate(x, size=(5, 7), mode="bilinear"), small),
        "interp_bilinear_ac": (lambda x: ops.interpolate(x, size=(5, 7), mode="bilinear",
                                                         align_corners=True), small),
        "interp_bilinear_down": (lambda x: ops.interpolate(x, size=(2, 3), mode="bilinear"),
                                 small),
        "interp_linear": (lambda x: ops.interpolate(x, size=13, mode="linear"), x1),
        "pixel_shuffle": (lambda x: ops.pixel_shuffle(x, 2), x),
        "bias_add": (lambda x: ops.bias_add(x, chan), x),
        "MaxPool_same": (lambda x: ops.MaxPool(3, 2, "same")(x), x),
        "MaxPool_valid": (lambda x: ops.MaxPool(2, 1)(x), x),
        "AvgPool_same": (lambda x: ops.AvgPool(3, 2, "same")(x), x),
        "AvgPool_valid": (lambda x: ops.AvgPool(2, 2)(x), x),
        "AdaptiveAvgPool2D": (lambda x: ops.AdaptiveAvgPool2D((2, 3))(x), x),
        "ResizeNearest": (lambda x: ops.ResizeNearestNeighbor((5, 6))(x), small),
        "ResizeNearest_ac": (lambda x: ops.ResizeNearestNeighbor((5, 6), True)(x), small),
        "ResizeBilinearV2": (lambda x: ops.ResizeBilinearV2()(x, (5, 7)), small),
        "ResizeBilinearV2_hpc": (lambda x: ops.ResizeBilinearV2(False, True)(x, (5, 7)), small),
        "ResizeBilinearV2_ac": (lambda x: ops.ResizeBilinearV2(True)(x, (5, 7)), small),
        "BiasAdd": (lambda x: ops.BiasAdd()(x, chan), x),
    }
    y, idx = ops.max_pool2d(x, 3, 2, 1, return_indices=True)
    out["max_pool2d_indices"] = idx
    y, idx = ops.adaptive_max_pool2d(x, (3, 5), return_indices=True)
    out["adaptive_max_pool2d_indices"] = idx
    for name, (f, inp) in unary.items():
        out[name] = f(inp)
        out[name + "_grad"] = ops.grad(lambda x: (f(x) ** 2).sum())(inp)
    return out
