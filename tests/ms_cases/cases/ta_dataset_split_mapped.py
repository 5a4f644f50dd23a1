"""split(randomize=True) over a dataset that is not a source (a map over a shuffled
NumpySlicesDataset, and over an unshuffled one): MindSpore puts shuffle(10000), reseeded
every epoch, before skip/take; the rows of each split over two epochs, under two seeds."""
import numpy as np
import mindspore.dataset as ds


def _rows(dataset, epochs):
    it = dataset.create_tuple_iterator(output_numpy=True, num_epochs=epochs)
    return np.array([np.concatenate([np.ravel(r[0]) for r in it]) for _ in range(epochs)],
                    np.float64)


def run():
    out = {}
    for seed in (1, 2024):
        for shuffle in (True, False):
            ds.config.set_seed(seed)
            data = ds.NumpySlicesDataset(np.arange(30), column_names=["x"], shuffle=shuffle)
            data = data.map(lambda x: x * 10, input_columns=["x"])
            first, second = data.split([0.7, 0.3])
            key = "%d_%s" % (seed, shuffle)
            out["first_" + key] = _rows(first, 2)
            out["second_" + key] = _rows(second, 2)
        ds.config.set_seed(seed)
        data = ds.NumpySlicesDataset(np.arange(12), column_names=["x"], shuffle=False)
        first, second = data.batch(2).split([4, 2])  # batches (a batch is not a source)
        out["batched_%d" % seed] = np.concatenate([_rows(first, 1), _rows(second, 1)], 1)
    return out
