"""A tutorial-style dataset pipeline: GeneratorDataset from a generator function and from a
random-accessible source, map with input/output columns, batch(drop_remainder), repeat,
shuffle under ds.config.set_seed / ms.set_seed, create_tuple_iterator / create_dict_iterator
(num_epochs, output_numpy), get_dataset_size, get_col_names, get_batch_size; for shuffled
pipelines the sorted rows and the determinism of a reseeded run (orders are the engine's)."""
import numpy as np
import mindspore as ms
import mindspore.dataset as ds


def gen():
    for i in range(7):
        yield np.array([i, i * i], np.float32), np.array(i % 3, np.int32)


class Source:
    def __init__(self):
        self.x = np.arange(20, dtype=np.float32).reshape(10, 2)

    def __getitem__(self, i):
        return self.x[i], np.int32(i)

    def __len__(self):
        return 10


def shuffled(seed):
    ds.config.set_seed(seed)
    data = ds.GeneratorDataset(Source(), ["x", "idx"], shuffle=True)
    data = data.map(lambda x: x + 1.0, "x").batch(3, drop_remainder=True)
    rows = [np.concatenate([b["idx"].asnumpy().astype(np.float64) for b in
                            data.create_dict_iterator(num_epochs=1)])]
    return np.concatenate(rows), data


def run():
    out = {}
    data = ds.GeneratorDataset(gen, ["data", "label"])
    data = data.map(lambda d, lab: (d * np.float32(0.5), lab + np.int32(1)), ["data", "label"], ["half", "label1"])
    data = data.batch(3)
    out["cols"] = np.array([float(len(c)) for c in data.get_col_names()])
    out["batch_size"] = float(data.get_batch_size())
    out["size"] = float(data.get_dataset_size())
    for i, (h, lab) in enumerate(data.create_tuple_iterator()):
        out["b%d/half" % i] = h.asnumpy()
        out["b%d/label" % i] = lab.asnumpy()
        out["b%d/dtype_is_int32" % i] = float(lab.dtype == ms.int32)
    rep = ds.GeneratorDataset(Source(), ["x", "idx"], shuffle=False).batch(4, True).repeat(3)
    out["rep/size"] = float(rep.get_dataset_size())
    out["rep/idx"] = np.concatenate([r[1] for r in rep.create_tuple_iterator(output_numpy=True)])
    order1, sdata = shuffled(58)
    order2, _ = shuffled(58)
    out["shuffle/size"] = float(sdata.get_dataset_size())
    out["shuffle/n"] = float(order1.size)
    out["shuffle/distinct"] = float(len(set(order1.tolist())))
    out["shuffle/same_seed_same_order"] = float(np.array_equal(order1, order2))
    ms.set_seed(3)
    a = ds.NumpySlicesDataset(np.arange(12), ["v"], shuffle=True)
    ea = np.array([int(r[0].asnumpy()) for r in a.create_tuple_iterator()])
    ms.set_seed(3)
    b = ds.NumpySlicesDataset(np.arange(12), ["v"], shuffle=True)
    eb = np.array([int(r[0].asnumpy()) for r in b.create_tuple_iterator()])
    out["np_shuffle/sorted"] = np.sort(ea).astype(np.float64)
    out["np_shuffle/repeatable"] = float(np.array_equal(ea, eb))
    out["np_shuffle/moved"] = float(not np.array_equal(ea, np.arange(12)))
    buf = ds.NumpySlicesDataset(np.arange(9), ["v"], shuffle=False).shuffle(4)
    eps = [np.array([int(r[0].asnumpy()) for r in it]) for it in
           [buf.create_tuple_iterator(num_epochs=1)]]
    out["buffer/sorted"] = np.sort(eps[0]).astype(np.float64)
    it = ds.NumpySlicesDataset({"a": np.arange(4), "b": np.arange(4) * 2.0},
                               shuffle=False).create_dict_iterator(num_epochs=2, output_numpy=True)
    out["dict/epoch0"] = np.array([r["b"] for r in it])
    out["dict/epoch1"] = np.array([r["a"] for r in it], np.float64)
    return out
