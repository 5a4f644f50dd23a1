"""MindSpore 2.10's random vision transforms on PIL images: its Python forms, drawing from
Python's random (which ds.config.set_seed seeds): eagerly, and in a map after ToPIL through
two epochs."""
import numpy as np
from PIL import Image
import mindspore.dataset as ds
import mindspore.dataset.transforms as T
import mindspore.dataset.vision as vision


def _img():
    yy, xx = np.mgrid[0:12, 0:16]
    return np.stack([yy * 16, xx * 15, (yy * 7 + xx * 13) % 256], -1).astype(np.uint8)


def run():
    img = _img()
    pil = Image.fromarray(img)
    ops = {
        "hflip": vision.RandomHorizontalFlip(),
        "vflip": vision.RandomVerticalFlip(0.7),
        "crop": vision.RandomCrop((5, 7), padding=1),
        "crop_if_needed": vision.RandomCrop((14, 18), pad_if_needed=True),
        "rrc": vision.RandomResizedCrop((6, 5)),
        "rot": vision.RandomRotation(40, resample=vision.Inter.BILINEAR),
        "color": vision.RandomColorAdjust(0.4, 0.4, 0.4, 0.1),
        "apply": T.RandomApply([vision.RandomHorizontalFlip(1.0)], 0.5),
        "choice": T.RandomChoice([vision.RandomHorizontalFlip(1.0),
                                  vision.RandomVerticalFlip(1.0)]),
    }
    out = {}
    for name, op in ops.items():
        ds.config.set_seed(21)
        out[name] = np.stack([np.asarray(op(pil)) for _ in range(4)])
    ds.config.set_seed(33)
    d = ds.NumpySlicesDataset({"img": np.stack([img] * 5)}, shuffle=False).map(
        [vision.ToPIL(), vision.RandomResizedCrop((6, 5)), vision.RandomHorizontalFlip(),
         vision.RandomColorAdjust(0.3, 0.3, 0.3, 0.05), vision.ToTensor()],
        num_parallel_workers=1)
    it = d.create_dict_iterator(num_epochs=2, output_numpy=True)
    out["map"] = np.stack([np.stack([r["img"] for r in it]) for _ in range(2)])
    return out
