"""The sources of a pipeline: ``NumpySlicesDataset``, ``GeneratorDataset``, ``MnistDataset``.

Takes: :class:`.core.Dataset`, :mod:`.config`.  Gives: the three classes, with MindSpore
2.10's signatures.  Values become numpy arrays as MindSpore makes them (measured): Python
ints are int64, Python floats float64, MNIST images ``(28, 28, 1)`` uint8 and labels uint32.
Sharding (``num_shards`` / ``shard_id``, or ``sampler=ds.DistributedSampler(...)``) gives a
process of a data-parallel job its rows with MindSpore's split rule (see :mod:`.samplers`);
other samplers refuse; worker counts are accepted and ignored.
"""
from __future__ import annotations

import os

import numpy as np

from . import config
from .core import Dataset, _count
from .samplers import sharding

__all__ = ["NumpySlicesDataset", "GeneratorDataset", "MnistDataset"]


class _Indexed(Dataset):
    """A source of ``n`` rows read by index, in order or (``shuffle``) permuted each epoch."""

    _sampler = None
    _labels = None  # (the class column, read once for a PKSampler)
    _mappable = True  # (MindSpore's MappableDataset sources)

    def _setup(self, n: int, num_samples, shuffle, sampler=None) -> None:
        self._n = n
        self._num_samples = None if num_samples is None else _count(num_samples,
                                                                    "num_samples", low=0)
        self._shuffle = True if shuffle is None else bool(shuffle)
        self._sampler = sampler

    def _sampled(self, epoch: int):
        bind = getattr(self._sampler, "bind", None)
        if bind is not None:  # a PKSampler: the class of every row
            if self._labels is None:
                column = self._sampler.class_column
                if column not in self._columns:
                    raise RuntimeError("PKSampler: class_column %r is not a column of %s "
                                       "(columns: %s)" % (column, type(self).__name__,
                                                          self._columns))
                k = self._columns.index(column)
                self._labels = [self._row(i)[k] for i in range(self._n)]
            bind(self._labels)
        return self._sampler.indices(self._n, self._stage, epoch)

    def _size(self) -> int:
        n = self._n
        if self._sampler is not None:
            n = len(self._sampled(0))
        return n if not self._num_samples else min(n, self._num_samples)

    def _order(self, epoch: int):
        if self._sampler is not None:
            order = self._sampled(epoch)
            return order if not self._num_samples else order[:self._num_samples]
        if self._shuffle and self._num_samples:
            # MindSpore's select_sampler: shuffle with num_samples is
            # RandomSampler(replacement=True, num_samples)
            return config.sampler_draws(self._n, self._size(), epoch)
        if self._shuffle:
            order = config.sampler_order(self._n, epoch)  # MindSpore's RandomSampler
        else:
            order = np.arange(self._n)
        return order[:self._size()]

    def _row(self, index: int) -> tuple:
        raise NotImplementedError

    def _rows(self, epoch):
        for i in self._order(epoch):
            yield self._row(int(i))


def _column_names(names, n: int, what: str) -> list:
    if names is None:
        return ["column_%d" % k for k in range(n)]
    names = [names] if isinstance(names, str) else list(names)
    if len(names) != n:
        raise ValueError("%s: %d column names given for %d columns" % (what, len(names), n))
    return names


class NumpySlicesDataset(_Indexed):
    """MindSpore's ``ds.NumpySlicesDataset(data, column_names=None, num_samples=None,
    num_parallel_workers=1, shuffle=None, sampler=None, num_shards=None, shard_id=None)``:
    rows sliced along the first axis of ``data`` (a list or array: one column; a tuple: one
    column per item; a dict: one column per key, named by it).  ``shuffle`` defaults to True.
    """

    def __init__(self, data, column_names=None, num_samples=None, num_parallel_workers=1,
                 shuffle=None, sampler=None, num_shards=None, shard_id=None) -> None:
        sampler = sharding("NumpySlicesDataset", sampler, num_shards, shard_id, shuffle)
        if isinstance(data, dict):
            names, cols = list(data), [np.asarray(v) for v in data.values()]
        elif isinstance(data, tuple):
            cols = [np.asarray(v) for v in data]
            names = _column_names(column_names, len(cols), "NumpySlicesDataset")
        else:
            cols = [np.asarray(data)]
            if column_names is not None and not isinstance(column_names, str) and \
                    len(column_names) != 1:
                raise ValueError("Num of input column names is %d, but required is 1 as data "
                                 "is list." % len(column_names))
            names = _column_names(column_names, 1, "NumpySlicesDataset")
        lengths = {len(c) if c.ndim else -1 for c in cols}
        if len(lengths) != 1 or -1 in lengths:
            raise ValueError("NumpySlicesDataset: every column needs the same number of rows "
                             "along its first axis; got lengths %s" % sorted(lengths))
        self._data, self._columns = cols, names
        self._setup(lengths.pop(), num_samples, shuffle, sampler)

    def _row(self, index: int) -> tuple:
        return tuple(np.asarray(c[index]) for c in self._data)


def _as_row(item, n: int, types) -> tuple:
    # a tuple or a list holds one value per column (as MindSpore 2.10 reads a list: what
    # iterating a dataset gives, so a dataset can be another's source)
    row = tuple(item) if isinstance(item, (tuple, list)) else (item,)
    if len(row) != n:
        raise ValueError("GeneratorDataset: the source gave %d values for the %d columns; "
                         "return a tuple with one value per column name" % (len(row), n))
    out = tuple(v if isinstance(v, dict) else np.asarray(v.asnumpy() if hasattr(v, "asnumpy")
                                                          else v) for v in row)
    for k, t in enumerate(types or ()):
        want = np.dtype(getattr(t, "np_dtype", t))
        if out[k].dtype != want:  # MindSpore checks the type, it does not convert
            raise RuntimeError("GeneratorDataset: column %d of the source is %s but "
                               "column_types says %s; return that type or drop column_types"
                               % (k, out[k].dtype, want))
    return out


class GeneratorDataset(_Indexed):
    """MindSpore's ``ds.GeneratorDataset(source, column_names=None, column_types=None,
    schema=None, num_samples=None, num_parallel_workers=1, shuffle=None, sampler=None,
    num_shards=None, shard_id=None, python_multiprocessing=True, max_rowsize=None, ...)``.

    ``source``: a random-accessible object (``__getitem__`` and ``__len__``: read by index,
    shuffled by default), a callable returning an iterator (called once per epoch) or an
    iterable (``iter()`` once per epoch; another dataset too); each item is a tuple or a list
    with one value per column (or one value for one column); ``column_types`` are checked (not converted), as MindSpore
    does.  An iterator source is never shuffled (``shuffle`` is ignored,
    as in MindSpore).  ``schema``, ``batch_sampler`` and ``collate_fn`` are refused."""

    def __init__(self, source, column_names=None, column_types=None, schema=None,
                 num_samples=None, num_parallel_workers=1, shuffle=None, sampler=None,
                 num_shards=None, shard_id=None, python_multiprocessing=True,
                 max_rowsize=None, batch_sampler=None, collate_fn=None) -> None:
        sampler = sharding("GeneratorDataset", sampler, num_shards, shard_id, shuffle)
        if schema is not None or batch_sampler is not None or collate_fn is not None:
            raise NotImplementedError("GeneratorDataset: schema, batch_sampler and collate_fn "
                                      "are not supported by autograd_st")
        if column_names is None:
            raise ValueError("GeneratorDataset: give column_names (one name per value the "
                             "source yields)")
        self._columns = [column_names] if isinstance(column_names, str) else list(column_names)
        self._types = list(column_types) if column_types else None
        self._source = source
        self._random_access = hasattr(source, "__getitem__") and hasattr(source, "__len__")
        if not self._random_access and not callable(source) and not hasattr(source,
                                                                             "__iter__"):
            raise TypeError("GeneratorDataset: source must be random-accessible, callable or "
                            "iterable; got %s" % type(source).__name__)
        if sampler is not None and not self._random_access:
            raise NotImplementedError("GeneratorDataset: sharding (num_shards, shard_id, "
                                      "sampler) needs a random-accessible source "
                                      "(__getitem__ and __len__)")
        n = len(source) if self._random_access else -1
        self._setup(n, num_samples, shuffle if self._random_access else False, sampler)

    def _row(self, index: int) -> tuple:
        return _as_row(self._source[index], len(self._columns), self._types)

    def _iterate(self):
        source = self._source
        return iter(source() if callable(source) and not hasattr(source, "__iter__")
                    else source)

    def _size(self) -> int:
        if self._random_access:
            return super()._size()
        n = sum(1 for _ in self._iterate())  # MindSpore also runs the generator to count
        return n if not self._num_samples else min(n, self._num_samples)

    def _rows(self, epoch):
        if self._random_access:
            yield from super()._rows(epoch)
            return
        for k, item in enumerate(self._iterate()):
            if self._num_samples and k >= self._num_samples:
                return
            yield _as_row(item, len(self._columns), self._types)


def _read_idx(path: str, magic: int, ndim: int) -> np.ndarray:
    if not os.path.isfile(path):
        raise ValueError("MnistDataset: %s is missing; the folder must hold MNIST's files "
                         "(train-images-idx3-ubyte, train-labels-idx1-ubyte, "
                         "t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte)" % path)
    data = np.fromfile(path, np.uint8)
    head = 4 * (1 + ndim)
    if data.size < head:
        raise ValueError("MnistDataset: %s is truncated (no header)" % path)
    fields = data[:head].view(">u4").astype(np.int64)
    if fields[0] != magic:
        raise ValueError("MnistDataset: %s is not an MNIST file (magic number %d, expected %d)"
                         % (path, fields[0], magic))
    shape = tuple(int(d) for d in fields[1:])
    if data.size - head != int(np.prod(shape)):
        raise ValueError("MnistDataset: %s holds %d bytes of values for the shape %s; it is "
                         "truncated or damaged" % (path, data.size - head, shape))
    return data[head:].reshape(shape)


class MnistDataset(_Indexed):
    """MindSpore's ``ds.MnistDataset(dataset_dir, usage=None, num_samples=None,
    num_parallel_workers=None, shuffle=None, sampler=None, num_shards=None, shard_id=None,
    cache=None)``: the columns ``image`` (``(28, 28, 1)`` uint8) and ``label`` (uint32) from
    MNIST's IDX files in ``dataset_dir``.  ``usage``: 'train', 'test' or 'all' (None; the
    test files, then the train files, as MindSpore reads them, those the folder holds).  ``shuffle`` defaults to
    True."""

    def __init__(self, dataset_dir, usage=None, num_samples=None, num_parallel_workers=None,
                 shuffle=None, sampler=None, num_shards=None, shard_id=None,
                 cache=None) -> None:
        sampler = sharding("MnistDataset", sampler, num_shards, shard_id, shuffle)
        if not os.path.isdir(dataset_dir):
            raise ValueError("The folder %s does not exist or is not a directory or "
                             "permission denied!" % dataset_dir)
        usage = "all" if usage is None else usage
        prefixes = {"train": ["train"], "test": ["t10k"], "all": ["t10k", "train"]}.get(usage)
        if prefixes is None:
            raise ValueError("MnistDataset: usage must be 'train', 'test' or 'all'; got %r"
                             % (usage,))
        if usage == "all":  # the pairs present (MNIST_Data/train holds only train-*, as
            # MindSpore's download lays it out): at least one
            present = [p for p in prefixes
                       if os.path.isfile(os.path.join(dataset_dir, p + "-images-idx3-ubyte"))]
            prefixes = present or prefixes
        images, labels = [], []
        for prefix in prefixes:
            img = _read_idx(os.path.join(dataset_dir, prefix + "-images-idx3-ubyte"), 2051, 3)
            lab = _read_idx(os.path.join(dataset_dir, prefix + "-labels-idx1-ubyte"), 2049, 1)
            if len(img) != len(lab):
                raise ValueError("MnistDataset: %s has %d images but %d labels"
                                 % (prefix, len(img), len(lab)))
            images.append(img[..., None])
            labels.append(lab.astype(np.uint32))
        self._images, self._labels = np.concatenate(images), np.concatenate(labels)
        self._columns = ["image", "label"]
        self._setup(len(self._labels), num_samples, shuffle, sampler)

    def _row(self, index: int) -> tuple:
        return self._images[index], np.asarray(self._labels[index])
