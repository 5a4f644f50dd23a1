"""Resize, CenterCrop and Pad called on a PIL image (eager): MindSpore 2.10 runs their Pillow
forms (Resize to an int or (h, w) size, bilinear and nearest; CenterCrop with a half-pixel
offset; Pad constant with an int or per-channel fill, and edge): the pixels and sizes."""
import numpy as np
from PIL import Image
import mindspore.dataset.vision as vision
from mindspore.dataset.vision import Inter, Border

# pixels: one level. Both sides run Pillow's own Resize, whose bilinear rounding moved by one
# level in a few pixels between Pillow 12 (the newest for Python 3.10) and 13 (MindSpore's,
# recorded); with the same Pillow the pixels are equal.
TOLERANCE = (0.0, 1.0)


def _arr(img):
    assert isinstance(img, Image.Image)
    return np.asarray(img).astype(np.float64)


def run():
    rng = np.random.RandomState(4)
    img = Image.fromarray((rng.rand(19, 26, 3) * 255).astype(np.uint8))
    gray = Image.fromarray((rng.rand(12, 9) * 255).astype(np.uint8))
    out = {}
    out["resize_int"] = _arr(vision.Resize(15)(img))
    out["resize_hw"] = _arr(vision.Resize((10, 31))(img))
    out["resize_nearest"] = _arr(vision.Resize((13, 10), Inter.NEAREST)(img))
    out["resize_gray_int"] = _arr(vision.Resize(5)(gray))
    out["resize_same"] = _arr(vision.Resize(19)(img))
    out["crop_odd"] = _arr(vision.CenterCrop((14, 21))(img))
    out["crop_int"] = _arr(vision.CenterCrop(7)(gray))
    out["pad_int"] = _arr(vision.Pad(3)(img))
    out["pad_fill"] = _arr(vision.Pad((1, 2, 3, 4), fill_value=(10, 20, 30))(img))
    out["pad_gray"] = _arr(vision.Pad((2, 1), fill_value=7)(gray))
    out["pad_edge"] = _arr(vision.Pad(2, padding_mode=Border.EDGE)(img))
    out["chain"] = _arr(vision.Pad(2)(vision.CenterCrop((12, 12))(vision.Resize(16)(img))))
    return out
