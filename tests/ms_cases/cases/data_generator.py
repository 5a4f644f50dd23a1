"""mindspore.dataset.GeneratorDataset without shuffling: a generator function, a
random-accessible source (shuffle=False), a list, num_samples, column_types; batch and map."""
import numpy as np
import mindspore as ms
import mindspore.dataset as ds


def _put(out, key, value):
    arr = value.asnumpy() if hasattr(value, "asnumpy") else np.asarray(value)
    out[key] = arr
    out[key + "/kind"] = float(ord(arr.dtype.kind))
    out[key + "/itemsize"] = float(arr.dtype.itemsize)


def _rows(out, name, dataset):
    out[name + "/size"] = float(dataset.get_dataset_size())
    for i, row in enumerate(dataset.create_tuple_iterator()):
        for j, value in enumerate(row):
            _put(out, "%s/%d/%d" % (name, i, j), value)


def gen():
    for i in range(4):
        yield np.array([i, i + 1], np.float32), i


def single():
    for i in range(3):
        yield (np.array(i * 0.5),)


class Source:
    def __getitem__(self, i):
        return np.array([i, -i], np.float32), np.array(i * 10, np.int32)

    def __len__(self):
        return 6


def run():
    out = {}
    _rows(out, "gen", ds.GeneratorDataset(gen, column_names=["data", "label"]))
    _rows(out, "gen_batch", ds.GeneratorDataset(gen, column_names=["data", "label"]).batch(3))
    _rows(out, "single", ds.GeneratorDataset(single, ["x"]))
    _rows(out, "random_access", ds.GeneratorDataset(Source(), ["x", "y"], shuffle=False))
    _rows(out, "ra_num_samples", ds.GeneratorDataset(Source(), ["x", "y"], shuffle=False,
                                                     num_samples=4).batch(2))
    _rows(out, "list", ds.GeneratorDataset([(1, 2.5), (3, 4.5)], ["a", "b"], shuffle=False))
    _rows(out, "gen_num_samples", ds.GeneratorDataset(gen, ["d", "l"], num_samples=2))
    _rows(out, "gen_types", ds.GeneratorDataset(gen, ["d", "l"],
                                                column_types=[ms.float32, ms.int64]))
    _rows(out, "gen_map", ds.GeneratorDataset(gen, ["d", "l"]).map(lambda d: d * 3.0, "d")
          .repeat(2))
    return out
