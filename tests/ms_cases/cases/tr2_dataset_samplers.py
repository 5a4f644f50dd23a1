"""Samplers as scripts pass them (sampler=): SequentialSampler (start_index, num_samples),
SubsetSampler (a train / validation split by index lists), and, for the random ones, the
rows they cover; then Model trained on the SubsetSampler split and evaluated on the rest."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
import mindspore.dataset as ds
from mindspore.train import Model, MSE


def rows(sampler, n=10):
    data = ds.NumpySlicesDataset(np.arange(n), ["x"], sampler=sampler)
    return float(data.get_dataset_size()), np.array(
        [float(r[0].asnumpy()) for r in data.create_tuple_iterator()])


def run():
    out = {}
    for tag, sampler in (("seq", ds.SequentialSampler()),
                         ("seq_start", ds.SequentialSampler(start_index=3)),
                         ("seq_start_num", ds.SequentialSampler(start_index=3, num_samples=4)),
                         ("subset", ds.SubsetSampler([7, 2, 2, 9])),
                         ("subset_num", ds.SubsetSampler([7, 2, 9], num_samples=2))):
        out[tag + "/size"], out[tag + "/rows"] = rows(sampler)
    size, got = rows(ds.RandomSampler(num_samples=4))
    out["random/size"] = size
    out["random/distinct"] = float(len(set(got.tolist())))
    size, got = rows(ds.SubsetRandomSampler([1, 3, 5]))
    out["subset_random/size"] = size
    out["subset_random/sorted"] = np.sort(got)
    size, got = rows(ds.RandomSampler(replacement=True))
    out["replacement/size"] = size
    out["replacement/in_range"] = float(np.all((got >= 0) & (got < 10)))
    rng = np.random.default_rng(4)
    x = rng.normal(size=(12, 3)).astype(np.float32)
    y = (x @ np.array([[0.5], [-1.0], [2.0]], np.float32)).astype(np.float32)
    train_idx, valid_idx = [0, 2, 4, 6, 8, 10, 1, 3], [5, 7, 9, 11]
    train = ds.NumpySlicesDataset((x, y), ["x", "y"], sampler=ds.SubsetSampler(train_idx))
    valid = ds.NumpySlicesDataset((x, y), ["x", "y"], sampler=ds.SubsetSampler(valid_idx))
    net = nn.Dense(3, 1, weight_init="zeros", bias_init="zeros")
    model = Model(net, nn.MSELoss(), nn.SGD(net.trainable_params(), 0.1),
                  metrics={"mse": MSE()})
    model.train(3, train.batch(4))
    out["w"] = net.weight.asnumpy()
    out["valid_mse"] = float(model.eval(valid.batch(2))["mse"])
    return out
