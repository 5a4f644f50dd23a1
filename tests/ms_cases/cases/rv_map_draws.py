"""MindSpore 2.10's seeded random vision transforms in dataset.map: each map builds its ops
once per iterator and worker, worker w's generator seeded with the seed (read when the
iterator is created) plus w; rows take the workers in turn, each epoch's end takes a turn
too; the generators run on through the epochs; every op of a map has its own generator (two
flips cancel); a Compose is flattened; take reads its child to the end of the epoch; a new
iterator starts the draws again; a look at the shapes or the size between epochs builds its
own pipeline and leaves the iterator's draws (and its shuffle buffer's) as they were."""
import numpy as np
import mindspore.dataset as ds
import mindspore.dataset.transforms as T
import mindspore.dataset.vision as vision

N = 6


def _imgs():
    yy, xx = np.mgrid[0:8, 0:10]
    base = np.stack([yy * 30, xx * 25, (yy * 7 + xx * 13) % 256], -1)
    return np.stack([(base + 11 * i) % 256 for i in range(N)]).astype(np.uint8)


def _run(ops, seed, workers, epochs=3, take=None, repeat=None):
    ds.config.set_seed(seed)
    d = ds.NumpySlicesDataset({"img": _imgs()}, shuffle=False)
    for stage in ops:
        d = d.map(stage, input_columns=["img"], num_parallel_workers=workers)
    if take:
        d = d.take(take)
    if repeat:
        d = d.repeat(repeat)
    it = d.create_dict_iterator(num_epochs=epochs, output_numpy=True)
    return np.stack([np.stack([r["img"] for r in it]) for _ in range(epochs)])


def run():
    out = {}
    for w in (1, 2):
        out["flip_w%d" % w] = _run([[vision.RandomHorizontalFlip()]], 1234, w)
        out["mix_w%d" % w] = _run([[vision.RandomCrop((6, 7), padding=1),
                                    vision.RandomHorizontalFlip(0.4),
                                    vision.RandomColorAdjust(0.3, 0.3, 0.3, 0.05)]], 21, w, 2)
        out["rrc_rot_w%d" % w] = _run([[vision.RandomResizedCrop((5, 6)),
                                        vision.RandomRotation(30)]], 5, w, 2)
        out["take_w%d" % w] = _run([[vision.RandomHorizontalFlip()]], 77, w, take=2)
        out["repeat_w%d" % w] = _run([[vision.RandomVerticalFlip()]], 77, w, 2, repeat=2)
    out["two_flips"] = _run([[vision.RandomHorizontalFlip(), vision.RandomHorizontalFlip()]],
                            9, 1, 1)
    out["two_maps"] = _run([[vision.RandomCrop((6, 7))], [vision.RandomCrop((5, 5))]], 9, 1, 1)
    out["compose"] = _run([[T.Compose([vision.RandomCrop((6, 7)),
                                       vision.RandomVerticalFlip()])]], 9, 2, 2)
    ds.config.set_seed(31)
    d = ds.NumpySlicesDataset({"img": _imgs()}, shuffle=False).map(
        [vision.RandomCrop((4, 4))], num_parallel_workers=1)
    first = np.stack([r["img"] for r in d.create_dict_iterator(output_numpy=True)])
    it = d.create_dict_iterator(num_epochs=1, output_numpy=True)
    ds.config.set_seed(32)  # (after the iterator is made: its seed is 31's)
    out["new_iterator"] = np.stack([first, np.stack([r["img"] for r in it])])
    ds.config.set_seed(3)
    d = ds.NumpySlicesDataset({"img": _imgs(), "i": np.arange(N)}, shuffle=False).shuffle(4).map(
        [vision.RandomCrop((5, 5))], input_columns=["img"], num_parallel_workers=1)
    it = d.create_dict_iterator(num_epochs=3, output_numpy=True)
    epochs = []
    for _ in range(3):
        epochs.append(np.stack([r["img"] for r in it]))
        d.output_shapes()
        d.get_dataset_size()
    out["probes"] = np.stack(epochs)
    return out
