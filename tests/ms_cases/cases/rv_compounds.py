"""transforms.RandomApply / RandomChoice / RandomOrder under a seed in MindSpore 2.10: eager
RandomApply / RandomChoice are built again each call (the same pick each call), in map the
compound takes the worker's seed and its inner transforms the seed itself; RandomOrder is
Python: random.shuffle of its own list, kept from call to call."""
import numpy as np
import mindspore.dataset as ds
import mindspore.dataset.transforms as T
import mindspore.dataset.vision as vision


def _imgs(n=6):
    yy, xx = np.mgrid[0:4, 0:5]
    base = np.stack([yy * 40, xx * 30, (yy * 7 + xx * 13) % 256], -1)
    return np.stack([(base + 17 * i) % 256 for i in range(n)]).astype(np.uint8)


def _map(ops, seed, workers, epochs=2):
    ds.config.set_seed(seed)
    d = ds.NumpySlicesDataset({"img": _imgs()}, shuffle=False).map(
        ops, input_columns=["img"], num_parallel_workers=workers)
    it = d.create_dict_iterator(num_epochs=epochs, output_numpy=True)
    return np.stack([np.stack([r["img"] for r in it]) for _ in range(epochs)])


def run():
    img = _imgs(1)[0]
    out = {}
    eager = []
    for seed in range(1, 13):
        ds.config.set_seed(seed)
        choice = T.RandomChoice([vision.HorizontalFlip(), vision.VerticalFlip(),
                                 vision.RandomCrop((4, 5), padding=1)])
        apply = T.RandomApply([vision.RandomHorizontalFlip(0.5), vision.VerticalFlip()], 0.6)
        eager += [choice(img), choice(img), apply(img), apply(img)]
    out["eager"] = np.stack(eager)
    for w in (1, 2):
        out["apply_w%d" % w] = _map([T.RandomApply([vision.RandomHorizontalFlip(0.5),
                                                    vision.RandomCrop((4, 5), padding=1)],
                                                   0.7)], 8, w)
        out["choice_w%d" % w] = _map([T.RandomChoice([vision.RandomHorizontalFlip(0.5),
                                                      vision.RandomVerticalFlip(0.5),
                                                      vision.VerticalFlip()])], 8, w)
    x = np.arange(4)
    order = T.RandomOrder([lambda a: a + 1, lambda a: a * 10, lambda a: a - 3])
    ds.config.set_seed(11)
    out["order"] = np.array([order(x)[1] for _ in range(12)])
    out["order_map"] = _map([T.RandomOrder([vision.RandomHorizontalFlip(),
                                            vision.RandomCrop((3, 3))])], 4, 1)
    return out
