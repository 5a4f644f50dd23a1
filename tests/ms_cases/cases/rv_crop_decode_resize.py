"""vision.RandomCropDecodeResize on PNG bytes under a seed (MindSpore 2.10): RandomResizedCrop's
box and draws on the decoded image, eagerly (the same box each call) and in a map."""
import io

import numpy as np
from PIL import Image
import mindspore.dataset as ds
import mindspore.dataset.vision as vision


def _png():
    base = (np.add.outer(np.arange(24), np.arange(32))[..., None] * np.array([3, 5, 7])
            % 256).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(base).save(buf, "PNG")
    return np.frombuffer(buf.getvalue(), np.uint8)


def run():
    png = _png()
    out = {}
    for seed in (1, 2, 3, 8, 9):
        ds.config.set_seed(seed)
        op = vision.RandomCropDecodeResize((10, 12), interpolation=vision.Inter.NEAREST)
        out["eager_%d" % seed] = np.stack([op(png), op(png)])
    ds.config.set_seed(5)
    d = ds.NumpySlicesDataset({"img": [png] * 4}, shuffle=False).map(
        [vision.RandomCropDecodeResize((10, 12), scale=(0.2, 0.8))], num_parallel_workers=1)
    it = d.create_dict_iterator(num_epochs=2, output_numpy=True)
    out["map"] = np.stack([np.stack([r["img"] for r in it]) for _ in range(2)])
    return out
