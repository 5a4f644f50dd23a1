"""vision.Resize (bilinear) of uint8 images: up, down, mixed, one and four channels, HW,
an int size (the shorter side), and Resize then CenterCrop: the pixels, exactly."""
import numpy as np
import mindspore.dataset.vision as vision

TOLERANCE = (0.0, 0.0)  # pixels: exactly


def run():
    rng = np.random.RandomState(11)
    cases = [((72, 80, 3), (40, 33)), ((30, 50, 3), (64, 99)), ((17, 23, 3), (5, 7)),
             ((64, 64, 3), (32, 32)), ((20, 30), (13, 41)), ((21, 19, 1), (40, 9)),
             ((33, 35, 4), (17, 70)), ((9, 9, 3), (27, 27)), ((100, 60, 3), (7, 5)),
             ((72, 80, 3), 64), ((45, 31, 3), 20)]
    out = {}
    for k, (shape, size) in enumerate(cases):
        img = rng.randint(0, 256, shape).astype(np.uint8)
        out["resize%d" % k] = vision.Resize(size)(img).astype(np.float64)
    img = rng.randint(0, 256, (72, 80, 3)).astype(np.uint8)
    out["resize_crop"] = vision.CenterCrop(64)(vision.Resize(64)(img)).astype(np.float64)
    return out
