"""map(..., python_multiprocessing=True) with a Python function drawing from numpy.random
and random (the SSD tutorial's random crop and flip): the draws are those of MindSpore's
worker processes (worker w seeded with the dataset seed + w, rows in turn, a new iterator
starting new workers, the main process's state unmoved); one and two workers, two iterators
of two epochs; unseeded (seed 5489) one worker keeps numpy's forked state."""
import random

import numpy as np
import mindspore.dataset as ds


def _f(x):
    return (np.array(np.random.randint(0, 1000), np.int64),
            np.array(random.randint(0, 1000), np.int64))


def run():
    out = {}
    for workers in (1, 2):
        for seed in (3, 11):
            ds.config.set_seed(seed)
            d = ds.NumpySlicesDataset(np.arange(7), column_names=["x"], shuffle=False)
            d = d.map(_f, input_columns=["x"], output_columns=["a", "b"],
                      python_multiprocessing=True, num_parallel_workers=workers)
            got = []
            for _ in range(2):
                it = d.create_tuple_iterator(num_epochs=2, output_numpy=True)
                for _ in range(2):
                    got.append([[int(r[0]), int(r[1])] for r in it])
            out["w%d_s%d" % (workers, seed)] = np.array(got, np.float64)
            out["w%d_s%d_main" % (workers, seed)] = np.array(
                [np.random.randint(0, 1000), random.randint(0, 1000)], np.float64)
    ds.config.set_seed(5489)
    np.random.seed(2)
    random.seed(2)
    d = ds.NumpySlicesDataset(np.arange(5), column_names=["x"], shuffle=False)
    d = d.map(_f, input_columns=["x"], output_columns=["a", "b"],
              python_multiprocessing=True, num_parallel_workers=1)
    # (only numpy's: Python reseeds `random` from the OS in a forked child, so MindSpore's
    # unseeded workers draw other `random` numbers on every run)
    out["unseeded"] = np.array([int(r[0]) for r in
                                d.create_tuple_iterator(output_numpy=True)], np.float64)
    out["unseeded_main"] = np.array([np.random.randint(0, 1000), random.randint(0, 1000)],
                                    np.float64)
    return out
