"""The orders MindSpore 2.10 shuffles rows in under a seed: a shuffle=True source (its
RandomSampler, reshuffled each epoch), RandomSampler(num_samples), SubsetRandomSampler,
GeneratorDataset(shuffle=True), DistributedSampler and a sharded source,
dataset.shuffle(buffer_size) through several epochs, with
repeat before and after it, split(randomize=True), and 70,000 rows (libstdc++'s
one-swap-per-draw shuffle, past 65,535 rows)."""
import numpy as np
import mindspore.dataset as ds


def _order(d, epochs=1):
    it = d.create_tuple_iterator(num_epochs=epochs, output_numpy=True)
    return np.array([[int(r[0]) for r in it] for _ in range(epochs)], np.float64)


def run():
    out = {}
    for seed, n in ((1234, 6), (1234, 10), (7, 101)):
        ds.config.set_seed(seed)
        out["source_%d_%d" % (seed, n)] = _order(
            ds.NumpySlicesDataset(list(range(n)), column_names=["a"]), 3)
    ds.config.set_seed(1234)
    out["random_sampler_4"] = _order(ds.NumpySlicesDataset(
        list(range(10)), column_names=["a"], sampler=ds.RandomSampler(num_samples=4)), 2)
    out["subset_random"] = _order(ds.NumpySlicesDataset(
        list(range(10)), column_names=["a"], sampler=ds.SubsetRandomSampler([1, 3, 5, 7, 9])))
    out["generator"] = _order(ds.GeneratorDataset(
        [(np.array(i),) for i in range(6)], column_names=["a"], shuffle=True))
    def plain():
        return ds.NumpySlicesDataset(list(range(10)), column_names=["a"], shuffle=False)
    out["buffer_4"] = _order(plain().shuffle(4), 3)
    out["buffer_20"] = _order(plain().shuffle(20))
    out["buffer_then_repeat"] = _order(plain().shuffle(4).repeat(2))
    out["repeat_then_buffer"] = _order(plain().repeat(2).shuffle(4))
    both = ds.NumpySlicesDataset(list(range(10)), column_names=["a"], shuffle=True)
    out["source_and_buffer"] = _order(both.shuffle(3), 2)
    train, test = ds.NumpySlicesDataset(list(range(6)), column_names=["a"],
                                        shuffle=False).split([4, 2])
    out["split_train"], out["split_test"] = _order(train, 2), _order(test)
    for sid in (0, 1):
        out["distributed_%d" % sid] = _order(ds.NumpySlicesDataset(
            list(range(10)), column_names=["a"], sampler=ds.DistributedSampler(2, sid)), 2)
        out["source_shards_%d" % sid] = _order(ds.NumpySlicesDataset(
            list(range(11)), column_names=["a"], num_shards=3, shard_id=sid, shuffle=True), 2)
    ds.config.set_seed(99)
    big = _order(ds.NumpySlicesDataset(np.arange(70000), column_names=["a"]))[0]
    out["big_head"] = big[:40]
    out["big_weighted"] = float(np.sum(big * np.arange(70000) % 1000003))
    return out
