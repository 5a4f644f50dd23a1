"""Dataset operations scripts reach for beyond map/batch: split (randomize=False), zip,
concat (and +), filter, rename, project, batch with per_batch_map and input_columns,
padded_batch, output_shapes / output_types, num_parallel_workers / python_multiprocessing
arguments accepted, create_tuple_iterator(do_copy=False), a Model trained on the zipped
pipeline."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
import mindspore.dataset as ds
from mindspore.train import Model


def _rows(out, name, data, **kw):
    out[name + "/size"] = float(data.get_dataset_size())
    for i, row in enumerate(data.create_tuple_iterator(output_numpy=True, **kw)):
        for j, v in enumerate(row):
            out["%s/%d/%d" % (name, i, j)] = np.asarray(v, np.float64)


def base(n=6, col="x"):
    return ds.NumpySlicesDataset({col: np.arange(n, dtype=np.float32)}, shuffle=False)


def run():
    out = {}
    a, b = base(10).split([0.8, 0.2], randomize=False)
    _rows(out, "split_a", a)
    _rows(out, "split_b", b)
    z = ds.zip((base(4, "x"), ds.NumpySlicesDataset({"y": np.arange(5) * 10}, shuffle=False)))
    out["zip/cols"] = float(len(z.get_col_names()))
    _rows(out, "zip", z)
    _rows(out, "concat", base(3).concat(base(2)))
    _rows(out, "plus", base(2) + base(3))
    _rows(out, "filter", base(8).filter(lambda x: x % 3 == 0, input_columns=["x"]))
    r = base(3).rename(["x"], ["renamed"])
    out["rename/col_len"] = float(len(r.get_col_names()[0]))
    _rows(out, "per_batch_map", base(7).batch(
        3, per_batch_map=lambda x, info: (np.array(x) * (info.get_batch_num() + 1),),
        input_columns=["x"]))
    _rows(out, "num_workers", base(5).map(lambda x: x + 1, "x", num_parallel_workers=2,
                                          python_multiprocessing=False).batch(2))
    gen = ds.GeneratorDataset(lambda: ((np.arange(i + 1, dtype=np.float32),) for i in range(4)),
                              ["v"], num_parallel_workers=1)
    _rows(out, "padded", gen.padded_batch(2, pad_info={"v": ([4], -1.0)}))
    sized = base(6).batch(4)
    out["shapes"] = np.array(sized.output_shapes()[0], np.float64)
    out["types_f32"] = float(sized.output_types()[0] == np.float32)
    _rows(out, "no_copy", base(3), do_copy=False)
    rng = np.random.default_rng(3)
    x = rng.normal(size=(6, 2)).astype(np.float32)
    y = (x.sum(1, keepdims=True)).astype(np.float32)
    train = ds.zip((ds.NumpySlicesDataset({"x": x}, shuffle=False),
                    ds.NumpySlicesDataset({"y": y}, shuffle=False))).batch(3)
    net = nn.Dense(2, 1, weight_init="zeros", bias_init="zeros")
    Model(net, nn.MSELoss(), nn.SGD(net.trainable_params(), 0.1)).train(2, train)
    out["zip_train_w"] = net.weight.asnumpy()
    return out
