"""Sampling with replacement under a seed: RandomSampler(replacement=True) with and without
num_samples, and shuffle=True with num_samples (which MindSpore maps to it), over three
epochs of one iterator: the row ids drawn."""
import numpy as np
import mindspore.dataset as ds


def _ids(dataset, epochs=1):
    it = dataset.create_tuple_iterator(output_numpy=True, num_epochs=epochs)
    return np.array([[int(r[0]) for r in it] for _ in range(epochs)], np.float64)


def run():
    out = {}
    for seed in (1, 7, 123456):
        ds.config.set_seed(seed)
        out["shuffle_ns_%d" % seed] = _ids(
            ds.NumpySlicesDataset(np.arange(1000), shuffle=True, num_samples=6), 3)
        out["small_%d" % seed] = _ids(
            ds.NumpySlicesDataset(np.arange(5), shuffle=True, num_samples=8))
        out["sampler_%d" % seed] = _ids(ds.NumpySlicesDataset(
            np.arange(70000), sampler=ds.RandomSampler(replacement=True, num_samples=9)), 2)
        out["sampler_all_%d" % seed] = _ids(ds.NumpySlicesDataset(
            np.arange(7), sampler=ds.RandomSampler(replacement=True)))
    return out
