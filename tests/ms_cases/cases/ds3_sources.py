"""Sources over small local files written in a temp folder (MindSpore's layouts):
Cifar10Dataset / Cifar100Dataset (binary batches of 10000 records, usage train/test/all; Cifar100 'test',
num_samples, sharding), ImageFolderDataset (class folders, PNG bytes and decode=True,
extensions, class_indexing), CSVDataset (header, column_defaults, several files),
TextFileDataset (blank lines, several files, sharding), PaddedDataset."""
import os
import shutil
import tempfile

import numpy as np
import mindspore.dataset as ds


def _put(out, key, value):
    arr = value.asnumpy() if hasattr(value, "asnumpy") else np.asarray(value)
    if arr.dtype.kind in "US":
        arr = np.array([ord(ch) for ch in str(arr)] or [0], np.int64)
    out[key] = arr
    out[key + "/kind"] = float(ord(arr.dtype.kind))
    out[key + "/itemsize"] = float(arr.dtype.itemsize)


def _cifar(folder, name, n_labels, seed, fine=False):
    rng = np.random.default_rng(seed)
    rec = rng.integers(0, 256, (10000, n_labels + 3072)).astype(np.uint8)
    rec[:, n_labels - 1] = np.arange(10000) % (100 if fine else 10)
    rec.tofile(os.path.join(folder, name))


def _png(path, arr):
    import zlib
    import struct
    h, w, _ = arr.shape
    raw = b"".join(b"\x00" + arr[y].tobytes() for y in range(h))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    with open(path, "wb") as fh:
        fh.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                 + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def run():
    out = {}
    d = tempfile.mkdtemp()
    c10 = os.path.join(d, "c10")
    os.makedirs(c10)
    _cifar(c10, "data_batch_1.bin", 1, 1)
    _cifar(c10, "test_batch.bin", 1, 2)
    for usage in ("train", "test", "all"):
        data = ds.Cifar10Dataset(c10, usage=usage, shuffle=False, num_samples=3)
        out["c10/%s/size" % usage] = float(data.get_dataset_size())
        for i, (image, label) in enumerate(data.create_tuple_iterator()):
            _put(out, "c10/%s/%d/image" % (usage, i), image.asnumpy()[::7, ::5])  # (kept small)
            _put(out, "c10/%s/%d/label" % (usage, i), label)
    out["c10/all/size_full"] = float(ds.Cifar10Dataset(c10, shuffle=False).get_dataset_size())
    shard = ds.Cifar10Dataset(c10, usage="train", shuffle=False, num_shards=3, shard_id=1,
                              num_samples=4)
    _put(out, "c10/shard", np.array([int(r[1].asnumpy()) for r in shard]))
    c100 = os.path.join(d, "c100")
    os.makedirs(c100)
    _cifar(c100, "test.bin", 2, 4, fine=True)  # (MindSpore wants 50000 records in train.bin)
    for usage in ("test",):
        data = ds.Cifar100Dataset(c100, usage=usage, shuffle=False, num_samples=2)
        out["c100/%s/cols" % usage] = float(len(data.get_col_names()))
        for i, row in enumerate(data.create_dict_iterator(output_numpy=True)):
            for k in ("image", "coarse_label", "fine_label"):
                _put(out, "c100/%s/%d/%s" % (usage, i, k), row[k][::7, ::5] if k == "image"
                     else row[k])
    root = os.path.join(d, "imgs")
    for c, names in (("dog", ["b.png", "a.png"]), ("cat", ["z.png", "y.bin"]), ("emu", [])):
        os.makedirs(os.path.join(root, c))
        for k, n in enumerate(names):
            arr = (np.arange(4 * 5 * 3).reshape(4, 5, 3) * (k + 3 + len(c)) % 256).astype(np.uint8)
            _png(os.path.join(root, c, n), arr)
    folder = ds.ImageFolderDataset(root, shuffle=False, decode=True)
    out["if/size"] = float(folder.get_dataset_size())
    for i, (image, label) in enumerate(folder.create_tuple_iterator()):
        _put(out, "if/%d/image" % i, image)
        _put(out, "if/%d/label" % i, label)
    raw = ds.ImageFolderDataset(root, shuffle=False, extensions=[".png"],
                                class_indexing={"dog": 5, "cat": 1})
    for i, (image, label) in enumerate(raw.create_tuple_iterator(output_numpy=True)):
        _put(out, "if_raw/%d/head" % i, image[:8])
        _put(out, "if_raw/%d/label" % i, label)
    a = os.path.join(d, "a.csv")
    with open(a, "w") as fh:
        fh.write("1,2.5,x\n3,4,\n5,6,w\n")
    b = os.path.join(d, "b.csv")
    with open(b, "w") as fh:
        fh.write("7,8.5,q\n")
    typed = ds.CSVDataset([b, a], column_names=["a", "b", "c"], column_defaults=[0, 1.5, "d"],
                          shuffle=False)
    for i, row in enumerate(typed.create_tuple_iterator(output_numpy=True)):
        for k, v in zip("abc", row):
            _put(out, "csv/%d/%s" % (i, k), v)
    head = ds.CSVDataset(a, shuffle=False)
    out["csv_head/cols"] = np.array([ord(ch) for ch in "".join(head.get_col_names())])
    out["csv_head/size"] = float(head.get_dataset_size())
    t = os.path.join(d, "t.txt")
    with open(t, "w") as fh:
        fh.write("hello world\n\nlast line")
    t2 = os.path.join(d, "t2.txt")
    with open(t2, "w") as fh:
        fh.write("second file\n")
    text = ds.TextFileDataset([t2, t], shuffle=False)
    out["text/size"] = float(text.get_dataset_size())
    for i, (line,) in enumerate(text.create_tuple_iterator(output_numpy=True)):
        _put(out, "text/%d" % i, line)
    for s in (0, 1):
        shard = ds.TextFileDataset([t, t2], shuffle=False, num_shards=2, shard_id=s)
        for i, (line,) in enumerate(shard.create_tuple_iterator(output_numpy=True)):
            _put(out, "text_shard%d/%d" % (s, i), line)
    padded = ds.PaddedDataset([{"image": np.zeros(3, np.uint8), "label": np.array(1)},
                               {"image": np.ones(3, np.uint8), "label": np.array(2)}])
    for i, row in enumerate(padded.create_dict_iterator(output_numpy=True)):
        _put(out, "padded/%d/image" % i, row["image"])
        _put(out, "padded/%d/label" % i, row["label"])
    shutil.rmtree(d)
    return out
