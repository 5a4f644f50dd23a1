"""Samplers under a seed: WeightedRandomSampler with and without replacement (three epochs),
PKSampler in order and shuffled (two epochs, over a small MNIST-layout folder written here),
SubsetRandomSampler with num_samples (two epochs), a user's ds.Sampler subclass and an
object with __getitem__/__len__ as sampler: the row ids or labels read."""
import os
import struct
import tempfile

import numpy as np
import mindspore.dataset as ds


def _mnist(folder, labels):
    n = len(labels)
    images = np.arange(n * 28 * 28, dtype=np.int64).reshape(n, 28, 28) % 251
    with open(os.path.join(folder, "train-images-idx3-ubyte"), "wb") as f:
        f.write(struct.pack(">IIII", 2051, n, 28, 28) + images.astype(np.uint8).tobytes())
    with open(os.path.join(folder, "train-labels-idx1-ubyte"), "wb") as f:
        f.write(struct.pack(">II", 2049, n) + np.asarray(labels, np.uint8).tobytes())


def _epochs(dataset, epochs, col=0):
    it = dataset.create_tuple_iterator(output_numpy=True, num_epochs=epochs)
    return np.array([[int(np.ravel(r[col])[0]) for r in it] for _ in range(epochs)], np.float64)


class _Evens(ds.Sampler):
    def __iter__(self):
        for i in range(0, 10, 2):
            yield i


class _Listed:
    def __init__(self):
        self.ids = [3, 4, 3, 2, 0, 11, 5]

    def __getitem__(self, index):
        return self.ids[index]

    def __len__(self):
        return len(self.ids)


def run():
    out = {}
    weights = [0.1, 0.5, 0.2, 0, 0.7, 0.3]
    labels = [2, 0, 1, 0, 2, 2, 1, 0, 0, 1, 2, 0, 5, 5, 1, 2]
    with tempfile.TemporaryDirectory() as folder:
        _mnist(folder, labels)
        for seed in (1, 77):
            ds.config.set_seed(seed)
            data = ds.NumpySlicesDataset(np.arange(10), column_names=["x"], sampler=ds.WeightedRandomSampler(weights, num_samples=8))
            out["weighted_%d" % seed] = _epochs(data, 3)
            data = ds.NumpySlicesDataset(np.arange(10), column_names=["x"], sampler=ds.WeightedRandomSampler(weights, num_samples=4, replacement=False))
            out["weighted_norepl_%d" % seed] = _epochs(data, 2)
            data = ds.MnistDataset(folder, sampler=ds.PKSampler(2))
            out["pk_%d" % seed] = _epochs(data, 2, 1)
            data = ds.MnistDataset(folder, sampler=ds.PKSampler(3, shuffle=True, num_samples=7))
            out["pk_shuffle_%d" % seed] = _epochs(data, 2, 1)
            data = ds.NumpySlicesDataset(np.arange(30), column_names=["x"], sampler=ds.SubsetRandomSampler(list(range(10, 20)), num_samples=6))
            out["subset_random_%d" % seed] = _epochs(data, 2)
    out["user_sampler"] = _epochs(ds.NumpySlicesDataset(np.arange(12) * 10, column_names=["x"], sampler=_Evens()), 2)
    out["getitem_sampler"] = _epochs(ds.NumpySlicesDataset(np.arange(12) * 10, column_names=["x"], sampler=_Listed()), 1)
    return out
