"""vision.Resize (bilinear) of uint8 images: up, down, mixed, one and four channels, HW,
an int size (the shorter side), and Resize then CenterCrop: the pixels, exactly."""
import numpy as np
import mindspore.dataset.vision as vision

TOLERANCE = (0.0, 0.0)  # pixels: exactly


def run():
    rng = np.random.RandomState(11)
    cases = [((36, 40, 3), (20, 17)), ((15, 25, 3), (32, 50)), ((17, 23, 3), (5, 7)),
             ((32, 32, 3), (16, 16)), ((20, 30), (13, 41)), ((21, 19, 1), (40, 9)),
             ((17, 18, 4), (9, 35)), ((9, 9, 3), (27, 27)), ((50, 30, 3), (7, 5)),
             ((36, 40, 3), 16), ((45, 31, 3), 12)]
    out = {}
    for k, (shape, size) in enumerate(cases):
        img = rng.randint(0, 256, shape).astype(np.uint8)
        out["resize%d" % k] = vision.Resize(size)(img).astype(np.float64)
    img = rng.randint(0, 256, (36, 40, 3)).astype(np.uint8)
    out["resize_crop"] = vision.CenterCrop(24)(vision.Resize(28)(img)).astype(np.float64)
    return out
