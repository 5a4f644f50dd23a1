"""MindDataset's shuffles through the epochs of one iterator (the beginner/dataset tutorial's
file re-read with shuffle=True and num_samples): each epoch reshuffles the previous epoch's
order (not range(n)); shuffle=True with num_samples draws with replacement, one
std::mt19937(seed + 1 + epoch + i) per row, from the previous epoch's rows; FILES and
INFILE over a two-file set; shuffle=False with num_samples; with num_shards (the SSD
tutorial passes num_shards=1) each epoch shuffles afresh."""
import os
import tempfile

import numpy as np
import mindspore.dataset as ds
from mindspore.mindrecord import FileWriter


def _ids(dataset, epochs=3):
    it = dataset.create_tuple_iterator(output_numpy=True, num_epochs=epochs)
    return np.array([[int(r[0]) for r in it] for _ in range(epochs)], np.float64)


def run():
    out = {}
    d = tempfile.mkdtemp()
    one = os.path.join(d, "one.mindrecord")
    # two files written one by one (a FileWriter with shard_num=2 gives MindSpore's remainder
    # rows to a random file): 6 and 5 rows, read as one list
    two = [os.path.join(d, "a.mindrecord"), os.path.join(d, "b.mindrecord")]
    for name, rows in ((one, range(10)), (two[0], range(6)), (two[1], range(6, 11))):
        w = FileWriter(file_name=name, shard_num=1, overwrite=True)
        w.add_schema({"label": {"type": "int32"}}, "s")
        w.write_raw_data([{"label": i} for i in rows])
        w.commit()
    for seed in (1, 7, 4321):
        ds.config.set_seed(seed)
        out["global_%d" % seed] = _ids(ds.MindDataset(one, shuffle=True))
        for ns in (3, 10, 14):
            out["ns%d_%d" % (ns, seed)] = _ids(ds.MindDataset(one, shuffle=True, num_samples=ns))
        out["noshuffle_ns_%d" % seed] = _ids(ds.MindDataset(one, shuffle=False, num_samples=4))
        out["files_%d" % seed] = _ids(ds.MindDataset(two, shuffle=ds.Shuffle.FILES))
        out["infile_%d" % seed] = _ids(ds.MindDataset(two, shuffle=ds.Shuffle.INFILE))
        out["global2_%d" % seed] = _ids(ds.MindDataset(two, shuffle=ds.Shuffle.GLOBAL))
        out["shards1_%d" % seed] = _ids(ds.MindDataset(one, shuffle=True, num_shards=1, shard_id=0))
        out["shards2_%d" % seed] = _ids(ds.MindDataset(two, shuffle=True, num_shards=2,
                                                       shard_id=1))
    return out
