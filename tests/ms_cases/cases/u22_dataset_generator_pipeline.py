"""A dataset pipeline as MindSpore 2.x scripts build it: GeneratorDataset over a
random-access class (__getitem__/__len__) with column_names, map with input_columns /
output_columns splitting one column into two, a lambda map, filter, batch with
drop_remainder and per_batch_map, padded_batch, repeat, take, skip, zip, concat,
project/rename, create_tuple_iterator(output_numpy=True) and create_dict_iterator, sizes,
column names and output shapes."""
import numpy as np
import mindspore as ms
import mindspore.dataset as ds


class Source:
    def __init__(self, n):
        rng = np.random.default_rng(0)
        self.x = rng.normal(size=(n, 3)).astype(np.float32)
        self.y = np.arange(n, dtype=np.int32) % 3

    def __getitem__(self, i):
        return self.x[i], self.y[i]

    def __len__(self):
        return len(self.y)


def split(x):
    return x[:2], x[2:] * 10


def per_batch(a, b, c, info):
    n, e = info.get_batch_num() + 1, info.get_epoch_num()
    return [v * n for v in a], b, [v + e for v in c]


def seq_gen():
    for i in range(5):
        yield (np.arange(i + 1, dtype=np.int32),)


def run():
    out = {}
    data = ds.GeneratorDataset(Source(10), column_names=["x", "y"], shuffle=False)
    out["size"] = data.get_dataset_size()
    data = data.map(operations=split, input_columns=["x"], output_columns=["head", "tail"])
    data = data.map(operations=lambda y: y * 2, input_columns=["y"])
    data = data.filter(predicate=lambda y: y < 4, input_columns=["y"])
    data = data.project(["head", "tail", "y"])
    batched = data.batch(3, drop_remainder=True, per_batch_map=per_batch,
                         input_columns=["head", "tail", "y"])
    out["columns"] = np.array([len(c) for c in batched.get_col_names()])
    heads, tails, ys = [], [], []
    for h, t, y in batched.create_tuple_iterator(output_numpy=True, num_epochs=1):
        heads.append(h)
        tails.append(t)
        ys.append(y)
    out["heads"] = np.concatenate(heads)
    out["tails"] = np.concatenate(tails)
    out["ys"] = np.concatenate(ys)
    out["batched_size"] = batched.get_dataset_size()
    rep = ds.GeneratorDataset(Source(4), ["x", "y"], shuffle=False).repeat(3).skip(2).take(7)
    out["repeat_skip_take_y"] = np.array([int(d["y"]) for d in
                                          rep.create_dict_iterator(output_numpy=True)])
    a = ds.NumpySlicesDataset({"a": np.arange(4, dtype=np.float32)}, shuffle=False)
    b = ds.NumpySlicesDataset({"b": np.arange(4, dtype=np.float32) * -1}, shuffle=False)
    z = ds.zip((a, b)).rename(["a", "b"], ["u", "v"])
    out["zip"] = np.array([[float(r["u"]), float(r["v"])]
                           for r in z.create_dict_iterator(output_numpy=True)])
    a2 = ds.NumpySlicesDataset({"a": np.arange(4, dtype=np.float32)}, shuffle=False)
    c = a2.concat(ds.NumpySlicesDataset({"a": np.array([9.0, 8.0], np.float32)}, shuffle=False))
    out["concat"] = np.array([float(r[0]) for r in c.create_tuple_iterator(output_numpy=True)])
    pad = ds.GeneratorDataset(seq_gen, ["s"], shuffle=False).padded_batch(
        2, pad_info={"s": ([4], -1)})
    out["padded"] = np.concatenate([r[0] for r in pad.create_tuple_iterator(output_numpy=True)])
    shapes = batched.output_shapes()
    out["shapes"] = np.array([d for s in shapes for d in s])
    return out
