"""More of MindSpore 2.10's seeded random vision transforms, eagerly (seeds 1 to 6) and in a
map through two epochs: RandomInvert / RandomEqualize / RandomAutoContrast /
RandomAdjustSharpness (bernoulli), RandomSharpness (float draw in [-1, 1]), RandomColor (float
draw, its shortcuts near 1 and 0), RandomPosterize and RandomSolarize (uniform_int draws)."""
import numpy as np
import mindspore.dataset as ds
import mindspore.dataset.vision as vision


def _img(shift=0):
    yy, xx = np.mgrid[0:6, 0:7]
    return ((np.stack([yy * 40, xx * 35, yy * 7 + xx * 13], -1) + shift) % 256).astype(np.uint8)


def _ops():
    return {"invert": vision.RandomInvert(0.5), "equalize": vision.RandomEqualize(0.4),
            "autocontrast": vision.RandomAutoContrast(prob=0.6),
            "adjust_sharpness": vision.RandomAdjustSharpness(2.0, 0.5),
            "sharpness": vision.RandomSharpness((0.1, 1.9)), "color": vision.RandomColor(),
            "gray": vision.RandomColor((0.0, 0.001)), "posterize": vision.RandomPosterize((1, 7)),
            "solarize": vision.RandomSolarize((0, 255))}


def run():
    img = _img()
    out = {}
    for name, op in _ops().items():
        per_seed = []
        for seed in range(1, 7):
            ds.config.set_seed(seed)
            per_seed.append(op(img))
        out[name] = np.stack(per_seed)
    ds.config.set_seed(12)
    d = ds.NumpySlicesDataset({"img": np.stack([_img(9 * i) for i in range(5)])},
                              shuffle=False).map(list(_ops().values()), num_parallel_workers=1)
    it = d.create_dict_iterator(num_epochs=2, output_numpy=True)
    out["map"] = np.stack([np.stack([r["img"] for r in it]) for _ in range(2)])
    return out
