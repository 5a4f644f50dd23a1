"""mindspore.dataset.NumpySlicesDataset without shuffling: sources (array, tuple, dict, list),
batch (with and without drop_remainder), repeat, skip/take, map, project, sizes, dtypes."""
import numpy as np
import mindspore as ms
import mindspore.dataset as ds


def _put(out, key, value):
    arr = value.asnumpy() if hasattr(value, "asnumpy") else np.asarray(value)
    out[key] = arr
    out[key + "/kind"] = float(ord(arr.dtype.kind))
    out[key + "/itemsize"] = float(arr.dtype.itemsize)


def _rows(out, name, dataset, **kw):
    out[name + "/size"] = float(dataset.get_dataset_size())
    out[name + "/ncols"] = float(len(dataset.get_col_names()))
    for i, row in enumerate(dataset.create_tuple_iterator(**kw)):
        for j, value in enumerate(row):
            _put(out, "%s/%d/%d" % (name, i, j), value)


def run():
    out = {}
    _rows(out, "array", ds.NumpySlicesDataset(np.arange(10).reshape(5, 2), column_names=["x"],
                                              shuffle=False))
    _rows(out, "tuple", ds.NumpySlicesDataset((np.arange(5), np.arange(5) * 1.5),
                                              column_names=["a", "b"], shuffle=False),
          output_numpy=True)
    _rows(out, "dict", ds.NumpySlicesDataset({"a": [1, 2, 3], "b": [0.5, 1.5, 2.5]},
                                             shuffle=False))
    _rows(out, "list", ds.NumpySlicesDataset([[1, 2], [3, 4]], column_names=["x"],
                                             shuffle=False))
    def f32():  # MindSpore refuses a stage with two consumers: a fresh source each time
        return ds.NumpySlicesDataset(np.arange(7, dtype=np.float32), column_names=["x"],
                                     shuffle=False)

    def base():
        return ds.NumpySlicesDataset(np.arange(6), column_names=["x"], shuffle=False)

    _rows(out, "batch", f32().batch(3))
    _rows(out, "batch_drop", f32().batch(3, drop_remainder=True))
    _rows(out, "batch_dict", ds.NumpySlicesDataset(
        {"a": np.arange(5), "b": np.arange(5) * 1.5}, shuffle=False).batch(2))
    _rows(out, "repeat", base().repeat(2))
    _rows(out, "skip_take", base().skip(2).take(3))
    _rows(out, "take_more", base().take(10))
    _rows(out, "num_samples", ds.NumpySlicesDataset(np.arange(6), ["x"], shuffle=False,
                                                    num_samples=4))
    _rows(out, "map_double", base().map(lambda x: x * 2, "x").batch(4))
    _rows(out, "map_two_out", ds.NumpySlicesDataset({"a": np.arange(3)}, shuffle=False).map(
        lambda x: (x * 2, x + 1), "a", ["b", "c"]))
    _rows(out, "map_two_in", ds.NumpySlicesDataset(
        {"a": np.arange(3, dtype=np.float32), "z": np.arange(3) * 10}, shuffle=False).map(
        lambda x, y: x + y, ["a", "z"], ["s"]))
    _rows(out, "map_chain", ds.NumpySlicesDataset({"a": np.arange(4.0)}, shuffle=False).map(
        [lambda x: x + 1, lambda x: x * x], "a"))
    _rows(out, "project", ds.NumpySlicesDataset({"a": [1, 2], "b": [3, 4]}, shuffle=False)
          .project(["b"]))
    _rows(out, "columns", ds.NumpySlicesDataset({"a": [1, 2], "b": [3, 4]}, shuffle=False),
          columns=["b"])
    _rows(out, "pipeline_size", base().map(lambda x: x * 2, "x").batch(4).repeat(3))
    it = ds.NumpySlicesDataset(np.arange(3), column_names=["x"], shuffle=False) \
        .create_tuple_iterator(num_epochs=2)
    _put(out, "epoch0", np.array([int(r[0].asnumpy()) for r in it]))
    _put(out, "epoch1", np.array([int(r[0].asnumpy()) for r in it]))
    for k, row in enumerate(ds.NumpySlicesDataset({"a": [1.0, 2.0]}, shuffle=False)
                            .create_dict_iterator()):
        _put(out, "dict_iter/%d" % k, row["a"])
    return out
