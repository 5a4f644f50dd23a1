"""MindDataset's shuffles through the epochs of one iterator (the beginner/dataset tutorial's
file re-read with shuffle=True and num_samples): each epoch reshuffles the previous epoch's
order (not range(n)); shuffle=True with num_samples draws with replacement, one
std::mt19937(seed + 1 + epoch + i) per row, from the previous epoch's rows; FILES and
INFILE over a two-file set; shuffle=False with num_samples."""
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
    one, two = os.path.join(d, "one.mindrecord"), os.path.join(d, "two.mindrecord")
    for name, shards, n in ((one, 1, 10), (two, 2, 11)):
        w = FileWriter(file_name=name, shard_num=shards, overwrite=True)
        w.add_schema({"label": {"type": "int32"}}, "s")
        w.write_raw_data([{"label": i} for i in range(n)])
        w.commit()
    for seed in (1, 7, 4321):
        ds.config.set_seed(seed)
        out["global_%d" % seed] = _ids(ds.MindDataset(one, shuffle=True))
        for ns in (3, 10, 14):
            out["ns%d_%d" % (ns, seed)] = _ids(ds.MindDataset(one, shuffle=True, num_samples=ns))
        out["noshuffle_ns_%d" % seed] = _ids(ds.MindDataset(one, shuffle=False, num_samples=4))
        out["files_%d" % seed] = _ids(ds.MindDataset(two + "0", shuffle=ds.Shuffle.FILES))
        out["infile_%d" % seed] = _ids(ds.MindDataset(two + "0", shuffle=ds.Shuffle.INFILE))
        out["global2_%d" % seed] = _ids(ds.MindDataset(two + "0", shuffle=ds.Shuffle.GLOBAL))
    return out
