"""GeneratorDataset rows given as lists (one value per column), and a dataset used as another
GeneratorDataset's source (iterating a dataset gives lists): the values, in order."""
import numpy as np
import mindspore.dataset as ds


def _lists():
    for i in range(5):
        yield [np.array([i, i + 1], np.float32), np.array(i * 10, np.int32)]


def run():
    out = {}
    first = ds.GeneratorDataset(_lists, ["a", "b"], shuffle=False)
    rows = list(first.create_tuple_iterator(output_numpy=True))
    out["a"] = np.stack([r[0] for r in rows])
    out["b"] = np.stack([r[1] for r in rows])
    inner = ds.NumpySlicesDataset({"p": np.arange(4), "q": -np.arange(4)}, shuffle=False)
    inner = inner.map(lambda p: p * 3, input_columns=["p"])  # iterable, not random-access
    second = ds.GeneratorDataset(inner, ["u", "v"], shuffle=False)
    second = second.map(lambda u, v: (u * 2, v + 1), input_columns=["u", "v"]).batch(2)
    batches = list(second.create_tuple_iterator(output_numpy=True))
    out["u"] = np.stack([b[0] for b in batches])
    out["v"] = np.stack([b[1] for b in batches])
    return out
