"""MindSpore 2.10's seeded random vision transforms called eagerly on numpy images: each call
builds the op again, its std::mt19937 seeded with ds.config's seed, so the same draws each
call (two calls per seed); RandomHorizontalFlip / RandomVerticalFlip (bernoulli), RandomCrop
(x then y, with padding and pad_if_needed), RandomResizedCrop (NEAREST, BILINEAR, the
fallback's halves rounded away from zero, and the box at seed 6885 of a 375 x 500 image, where
the ratio is expf of the float draw), RandomColorAdjust (std::shuffle of the four, float
draws), RandomRotation (float draw in [-1, 1])."""
import numpy as np
import mindspore.dataset as ds
import mindspore.dataset.vision as vision


def _img(h=10, w=12):
    yy, xx = np.mgrid[0:h, 0:w]
    return np.stack([yy * 16, xx * 15, (yy * 7 + xx * 13) % 256], -1).astype(np.uint8)


def run():
    img = _img()
    sq = _img(10, 10)
    ops = {
        "hflip": vision.RandomHorizontalFlip(),
        "vflip": vision.RandomVerticalFlip(0.3),
        "crop": vision.RandomCrop((5, 7)),
        "crop_pad": vision.RandomCrop((11, 13), padding=2),
        "crop_if_needed": vision.RandomCrop((12, 14), pad_if_needed=True, fill_value=9),
        "rrc_nearest": vision.RandomResizedCrop((6, 5), interpolation=vision.Inter.NEAREST),
        "rrc_bilinear": vision.RandomResizedCrop((6, 5), scale=(0.3, 0.9)),
        "color": vision.RandomColorAdjust(0.4, 0.4, 0.4, 0.1),
        "brightness": vision.RandomColorAdjust(brightness=(0.5, 1.5)),
        "rot": vision.RandomRotation(40),
        "rot_bilinear": vision.RandomRotation((10, 80), resample=vision.Inter.BILINEAR),
    }
    out = {}
    for seed in (1, 2, 1234):
        ds.config.set_seed(seed)
        for name, op in ops.items():
            out["%s_%d" % (name, seed)] = op(img)
            if name in ("crop", "color", "rot"):
                out["%s_%d_again" % (name, seed)] = op(img)
        out["fallback_%d" % seed] = vision.RandomResizedCrop(
            (4, 4), scale=(0.95, 1.0), ratio=(2.0, 3.0), interpolation=vision.Inter.NEAREST)(sq)
    yy, xx = np.mgrid[0:375, 0:500]
    big = np.stack([yy % 256, xx % 256, (yy // 256) * 16 + xx // 256], -1).astype(np.uint8)
    ds.config.set_seed(6885)
    box = vision.RandomResizedCrop((375, 500), interpolation=vision.Inter.NEAREST)(big)
    box = box.astype(np.int64)
    out["box_rows"] = box[:, 0, 0] + (box[:, 0, 2] // 16) * 256
    out["box_cols"] = box[0, :, 1] + (box[0, :, 2] % 16) * 256
    return out
