"""Dataset sharding: the rows each shard reads (num_shards/shard_id and DistributedSampler,
with offset and num_samples), unshuffled, over 10 and 7 rows; and the parallel context's
mode set and reset."""
import numpy as np
import mindspore as ms
import mindspore.dataset as ds


def _rows(d):
    return np.array([int(r[0]) for r in d.create_tuple_iterator(output_numpy=True)])


def run():
    out = {}
    for n_rows in (10, 7):
        data = np.arange(n_rows)
        for shards in (2, 3, 4):
            for sid in range(shards):
                d = ds.NumpySlicesDataset(data, column_names=["x"], shuffle=False,
                                          num_shards=shards, shard_id=sid)
                out["rows%d_shards%d_id%d" % (n_rows, shards, sid)] = _rows(d)
                out["size%d_shards%d_id%d" % (n_rows, shards, sid)] = float(
                    d.get_dataset_size())
        for sid in range(3):
            s = ds.DistributedSampler(3, sid, shuffle=False, offset=2)
            out["offset2_rows%d_id%d" % (n_rows, sid)] = _rows(
                ds.NumpySlicesDataset(data, column_names=["x"], sampler=s))
            s = ds.DistributedSampler(3, sid, shuffle=False, num_samples=2)
            out["num_samples2_rows%d_id%d" % (n_rows, sid)] = _rows(
                ds.NumpySlicesDataset(data, column_names=["x"], sampler=s))
    ms.set_auto_parallel_context(parallel_mode=ms.ParallelMode.DATA_PARALLEL,
                                 gradients_mean=True)
    out["mode_is_data_parallel"] = float(
        ms.get_auto_parallel_context("parallel_mode") == "data_parallel")
    ms.reset_auto_parallel_context()
    out["mode_after_reset_is_stand_alone"] = float(
        ms.get_auto_parallel_context("parallel_mode") == "stand_alone")
    return out
