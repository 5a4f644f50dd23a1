"""vision.Rescale on uint8 and float32 images: the float32 values bit for bit (MindSpore rounds
image * rescale + shift once)."""
import mindspore.dataset.vision as vision
import numpy as np

TOLERANCE = (0.0, 0.0)  # bit for bit


def run():
    out = {}
    ramp = np.arange(256, dtype=np.uint8).reshape(16, 16, 1)
    noise = np.random.RandomState(0).randn(8, 8, 3).astype(np.float32) * 50
    for i, (s, t) in enumerate(((1 / 255.0, -1.0), (1 / 127.5, -1.0), (3.3, 0.7), (0.5, 0.25))):
        op = vision.Rescale(s, t)
        out["u8_%d" % i] = op(ramp).astype(np.float64)
        out["f32_%d" % i] = op(noise).astype(np.float64)
    return out
