"""Resize, CenterCrop and Pad called on a PIL image (eager): MindSpore 2.10 runs their Pillow
forms (Resize to an int or (h, w) size, bilinear and nearest; CenterCrop with a half-pixel
offset; Pad constant with an int or per-channel fill, and edge): the pixels and sizes."""
import numpy as np
from PIL import Image
import mindspore.dataset.vision as vision
from mindspore.dataset.vision import Inter, Border

TOLERANCE = (0.0, 0.0)  # pixels: exactly


def _arr(img):
    assert isinstance(img, Image.Image)
    return np.asarray(img).astype(np.float64)


def run():
    rng = np.random.RandomState(4)
    img = Image.fromarray((rng.rand(37, 50, 3) * 255).astype(np.uint8))
    gray = Image.fromarray((rng.rand(20, 15) * 255).astype(np.uint8))
    out = {}
    out["resize_int"] = _arr(vision.Resize(30)(img))
    out["resize_hw"] = _arr(vision.Resize((20, 61))(img))
    out["resize_nearest"] = _arr(vision.Resize((25, 19), Inter.NEAREST)(img))
    out["resize_gray_int"] = _arr(vision.Resize(9)(gray))
    out["resize_same"] = _arr(vision.Resize(37)(img))
    out["crop_odd"] = _arr(vision.CenterCrop((30, 43))(img))
    out["crop_int"] = _arr(vision.CenterCrop(14)(gray))
    out["pad_int"] = _arr(vision.Pad(3)(img))
    out["pad_fill"] = _arr(vision.Pad((1, 2, 3, 4), fill_value=(10, 20, 30))(img))
    out["pad_gray"] = _arr(vision.Pad((2, 1), fill_value=7)(gray))
    out["pad_edge"] = _arr(vision.Pad(2, padding_mode=Border.EDGE)(img))
    out["chain"] = _arr(vision.Pad(4)(vision.CenterCrop((28, 28))(vision.Resize(32)(img))))
    return out
