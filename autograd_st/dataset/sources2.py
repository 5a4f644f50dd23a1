"""More sources: ``Cifar10Dataset``, ``Cifar100Dataset``, ``ImageFolderDataset``,
``CSVDataset``, ``TextFileDataset``, ``FashionMnistDataset``, ``KMnistDataset``,
``PaddedDataset``, ``FakeImageDataset``.

Takes: :mod:`.sources` (the indexed base, MNIST's reader), :mod:`.samplers` (sharding),
:mod:`.config`.  Gives: the classes, with MindSpore 2.10's signatures; what they yield was
measured on MindSpore 2.10 with small local files (column names, dtypes, shapes, the order
with ``shuffle=False``, ``usage``, sharding).  Pillow (an optional extra) decodes images for
``ImageFolderDataset(decode=True)``; it is imported only then.
"""
from __future__ import annotations

import csv
import enum
import importlib
import io
import os

import numpy as np

from .. import dtype as mstype
from . import config
from .core import Dataset, _count
from .samplers import sharding
from .sources import MnistDataset, _Indexed

__all__ = ["Cifar10Dataset", "Cifar100Dataset", "ImageFolderDataset", "CSVDataset",
           "TextFileDataset", "FashionMnistDataset", "KMnistDataset", "PaddedDataset",
           "FakeImageDataset", "RandomDataset", "Schema", "Shuffle"]


class Shuffle(enum.Enum):
    """MindSpore's ``ds.Shuffle`` (the ``shuffle`` modes of file sources): FALSE reads in
    order; every other mode shuffles the rows here (MindSpore's modes differ in what they
    permute: files, rows inside files, a buffer)."""

    FALSE = "false"
    ADAPTIVE = "adaptive"
    GLOBAL = "global"
    PARTIAL = "partial"
    FILES = "files"
    INFILE = "infile"


def _folder(path) -> str:
    if not isinstance(path, str) or not os.path.isdir(path):
        raise ValueError("The folder %s does not exist or is not a directory or permission "
                         "denied!" % (path,))
    return path


def _usage(usage, allowed=("train", "test", "all")) -> str:
    usage = "all" if usage is None else usage
    if usage not in allowed:
        raise ValueError("Input usage is not within the valid set of %s." % list(allowed))
    return usage


def _check_num_samples(num_samples) -> None:
    if num_samples is not None and (isinstance(num_samples, bool) or
                                    not isinstance(num_samples, (int, np.integer)) or
                                    num_samples < 0):
        raise ValueError("num_samples exceeds the boundary between 0 and "
                         "9223372036854775807(INT64_MAX)!")


def _read_cifar(path: str, n_labels: int, what: str) -> np.ndarray:
    record = n_labels + 3072
    data = np.fromfile(path, np.uint8)
    if data.size == 0 or data.size % record:
        raise RuntimeError("Invalid %s file, failed to read data from: %s, re-download dataset "
                           "(make sure it is the binary version: records of %d label byte(s) "
                           "and 3072 image bytes)" % (what, path, n_labels))
    return data.reshape(-1, record)


class _Cifar(_Indexed):
    _labels_n = 1
    _what = "cifar10"

    def _files(self, folder: str, usage: str) -> list:
        raise NotImplementedError

    def __init__(self, dataset_dir, usage=None, num_samples=None, num_parallel_workers=None,
                 shuffle=None, sampler=None, num_shards=None, shard_id=None,
                 cache=None) -> None:
        name = type(self).__name__
        usage = _usage(usage)
        _check_num_samples(num_samples)
        sampler = sharding(name, sampler, num_shards, shard_id, shuffle)
        folder = _folder(dataset_dir)
        files = self._files(folder, usage)
        if not files:
            raise RuntimeError("%s: no %s files for usage %r in %s" % (name, self._what, usage,
                                                                      folder))
        records = np.concatenate([_read_cifar(f, self._labels_n, self._what) for f in files])
        self._images = records[:, self._labels_n:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
        self._labels = records[:, :self._labels_n].astype(np.uint32)
        self._setup(len(records), num_samples, shuffle, sampler)

    def _row(self, index: int) -> tuple:
        return (np.ascontiguousarray(self._images[index]),) + tuple(
            np.asarray(v) for v in self._labels[index])


class Cifar10Dataset(_Cifar):
    """MindSpore's ``ds.Cifar10Dataset(dataset_dir, usage=None, num_samples=None,
    num_parallel_workers=None, shuffle=None, sampler=None, num_shards=None, shard_id=None,
    cache=None)``: CIFAR-10's binary batches (``data_batch_*.bin`` for 'train',
    ``test_batch.bin`` for 'test', all of them in name order for 'all' / None) as the columns
    ``image`` ((32, 32, 3) uint8, HWC from the files' CHW) and ``label`` (uint32).  MindSpore
    expects 10000 records a file; autograd_st reads however many whole records a file holds."""

    _columns = ["image", "label"]

    def _files(self, folder: str, usage: str) -> list:
        names = sorted(f for f in os.listdir(folder)
                       if (usage in ("train", "all") and f.startswith("data_batch_")
                           and f.endswith(".bin"))
                       or (usage in ("test", "all") and f == "test_batch.bin"))
        return [os.path.join(folder, f) for f in names]


class Cifar100Dataset(_Cifar):
    """MindSpore's ``ds.Cifar100Dataset(dataset_dir, usage=None, ...)`` (the arguments of
    ``Cifar10Dataset``): CIFAR-100's ``train.bin`` / ``test.bin`` ('all': ``test.bin`` then
    ``train.bin``, name order as MindSpore) as ``image`` ((32, 32, 3) uint8),
    ``coarse_label`` and ``fine_label`` (uint32)."""

    _columns = ["image", "coarse_label", "fine_label"]
    _labels_n = 2
    _what = "cifar100"

    def _files(self, folder: str, usage: str) -> list:
        names = sorted(f for f in os.listdir(folder)
                       if (usage in ("train", "all") and f == "train.bin")
                       or (usage in ("test", "all") and f == "test.bin"))
        return [os.path.join(folder, f) for f in names]


class FashionMnistDataset(MnistDataset):
    """MindSpore's ``ds.FashionMnistDataset(dataset_dir, usage=None, ...)``: Fashion-MNIST's
    IDX files, named and read as MNIST's (see ``MnistDataset``)."""


class KMnistDataset(MnistDataset):
    """MindSpore's ``ds.KMnistDataset(dataset_dir, usage=None, ...)``: Kuzushiji-MNIST's IDX
    files, named and read as MNIST's (see ``MnistDataset``)."""


def _pillow():
    try:
        return importlib.import_module("PIL.Image")
    except ImportError as exc:
        raise ImportError("decoding images needs Pillow (an optional extra of autograd_st): "
                          "pip install Pillow, or read the bytes with decode=False") from exc


def decode_image(data: np.ndarray, where: str = "") -> np.ndarray:
    """Encoded image bytes (a uint8 array) as an RGB HWC uint8 array (Pillow)."""
    image_module = _pillow()
    try:
        with image_module.open(io.BytesIO(np.asarray(data, np.uint8).tobytes())) as img:
            return np.asarray(img.convert("RGB"))
    except Exception as exc:  # noqa: BLE001 - Pillow raises several kinds
        raise RuntimeError("Invalid image, %s decode failed, the image is broken or not an "
                           "image (%s)" % (where or "the data", exc)) from exc


class ImageFolderDataset(_Indexed):
    """MindSpore's ``ds.ImageFolderDataset(dataset_dir, num_samples=None,
    num_parallel_workers=None, shuffle=None, sampler=None, extensions=None,
    class_indexing=None, decode=False, num_shards=None, shard_id=None, cache=None,
    decrypt=None)``: one class per sub-folder of ``dataset_dir`` (sorted names numbered from
    0, empty folders included, unless ``class_indexing`` maps names to labels), its files in
    name order; columns ``image`` (the file's bytes, uint8, or with ``decode=True`` the RGB
    HWC uint8 image, decoded by Pillow) and ``label`` (int32).  ``extensions`` (a list such as
    ['.png']) keeps the files ending so (case-sensitive, as MindSpore); None keeps every file.
    Files directly in ``dataset_dir`` are ignored; with ``class_indexing`` only its folders
    are read (MindSpore's ``get_dataset_size`` still counts every folder's files; here the
    size is the rows read).  No file at all is MindSpore's error when iterated.  ``decrypt``
    is refused."""

    _columns = ["image", "label"]

    def __init__(self, dataset_dir, num_samples=None, num_parallel_workers=None, shuffle=None,
                 sampler=None, extensions=None, class_indexing=None, decode=False,
                 num_shards=None, shard_id=None, cache=None, decrypt=None) -> None:
        if extensions is not None and not isinstance(extensions, list):
            raise TypeError("Argument extensions with value %s is not of type [<class 'list'>],"
                            " but got %s." % (extensions, type(extensions)))
        if class_indexing is not None and not isinstance(class_indexing, dict):
            raise TypeError("Argument class_indexing with value %s is not of type "
                            "[<class 'dict'>], but got %s." % (class_indexing,
                                                               type(class_indexing)))
        if not isinstance(decode, bool):
            raise TypeError("Argument decode with value %s is not of type [<class 'bool'>], "
                            "but got %s." % (decode, type(decode)))
        if decrypt is not None:
            raise NotImplementedError("ImageFolderDataset: decrypt is not supported by "
                                      "autograd_st")
        _check_num_samples(num_samples)
        sampler = sharding("ImageFolderDataset", sampler, num_shards, shard_id, shuffle)
        folder = _folder(dataset_dir)
        classes = sorted(c for c in os.listdir(folder) if os.path.isdir(os.path.join(folder, c)))
        if class_indexing:
            classes = sorted(c for c in classes if c in class_indexing)
            self._class_indexing = {k: int(v) for k, v in class_indexing.items()}
        else:
            self._class_indexing = {c: k for k, c in enumerate(classes)}
        self._files = []
        for c in classes:
            for f in sorted(os.listdir(os.path.join(folder, c))):
                path = os.path.join(folder, c, f)
                if os.path.isfile(path) and (extensions is None or
                                             any(f.endswith(e) for e in extensions)):
                    self._files.append((path, self._class_indexing[c]))
        self._decode, self._folder = decode, folder
        self._setup(len(self._files), num_samples, shuffle, sampler)

    def _rows(self, epoch):
        if not self._files:
            raise RuntimeError("Invalid data, ImageFolderDataset API can't read the data file "
                               "(interface mismatch or no data found). Check image folder "
                               "file path: %s" % self._folder)
        yield from super()._rows(epoch)

    def get_class_indexing(self) -> dict:
        """The class names and their labels."""
        return dict(self._class_indexing)

    def _row(self, index: int) -> tuple:
        path, label = self._files[index]
        data = np.fromfile(path, np.uint8)
        if self._decode:
            data = decode_image(data, path)
        return data, np.asarray(label, np.int32)


def _files_list(dataset_files, what: str) -> list:
    files = [dataset_files] if isinstance(dataset_files, str) else list(dataset_files)
    if not files:
        raise ValueError("%s: dataset_files is empty" % what)
    for f in files:
        if not isinstance(f, str) or not os.path.isfile(f):
            raise ValueError("The file %s does not exist or permission denied!" % (f,))
    return sorted(files)  # MindSpore reads the files in name order


class _Lines(Dataset):
    """Rows read from text files: sharded as MindSpore's file sources (shard ``k`` of ``n``
    reads the rows ``[k * m, (k + 1) * m)`` of the files one after another, wrapping, with
    ``m = ceil(N / n)``) and interleaved one row per run of a file in turn (MindSpore's
    workers; measured with up to 2 files)."""

    def _setup_lines(self, per_file: list, num_samples, shuffle, num_shards, shard_id) -> None:
        _check_num_samples(num_samples)
        if (num_shards is None) != (shard_id is None):
            raise ValueError("num_shards and shard_id need to be passed in together.")
        if num_shards is not None:
            sharding("file source", None, num_shards, shard_id, False)
        self._per_file = per_file
        self._shards = (num_shards, shard_id)
        self._num_samples = num_samples or None
        if isinstance(shuffle, Shuffle):
            shuffle = shuffle is not Shuffle.FALSE
        if not isinstance(shuffle, bool):
            raise TypeError("shuffle must be a bool or a ds.Shuffle mode; got %r" % (shuffle,))
        self._shuffle = shuffle

    def _selected(self) -> list:
        total = sum(len(f) for f in self._per_file)
        owners = [(k, i) for k, f in enumerate(self._per_file) for i in range(len(f))]
        if self._shards[0] is not None and total:
            n, s = self._shards
            m = -(-total // n)
            owners = [owners[j % total] for j in range(s * m, (s + 1) * m)]
        segments = []  # runs of one file's rows, in the order of the range (measured)
        for k, i in owners:
            if not segments or segments[-1][0] != k:
                segments.append((k, []))
            segments[-1][1].append(i)
        rows = []
        while any(seg for _, seg in segments):
            for k, seg in segments:
                if seg:
                    rows.append(self._per_file[k][seg.pop(0)])
        return rows

    def _size(self) -> int:
        n = len(self._selected())
        return n if not self._num_samples else min(n, self._num_samples)

    def _rows(self, epoch):
        rows = self._selected()
        if self._shuffle:
            rows = [rows[k] for k in config.generator(self._stage, epoch).permutation(len(rows))]
        for row in rows[:self._size()]:
            yield self._convert(row)

    def _convert(self, row: tuple) -> tuple:
        return tuple(np.asarray(v) for v in row)


class TextFileDataset(_Lines):
    """MindSpore's ``ds.TextFileDataset(dataset_files, num_samples=None,
    num_parallel_workers=None, shuffle=Shuffle.GLOBAL, num_shards=None, shard_id=None,
    cache=None)``: one row per non-empty line (column ``text``, a numpy str array: strings
    stay numpy arrays in the iterators, as MindSpore).  Files are read in name order, one line
    of each in turn (measured); ``shuffle`` True / a mode permutes the rows from the pipeline
    seed."""

    _columns = ["text"]

    def __init__(self, dataset_files, num_samples=None, num_parallel_workers=None,
                 shuffle=True, num_shards=None, shard_id=None, cache=None) -> None:
        per_file = []
        for path in _files_list(dataset_files, "TextFileDataset"):
            with open(path, encoding="utf-8") as fh:
                per_file.append([(line,) for line in fh.read().splitlines() if line])
        self._setup_lines(per_file, num_samples, shuffle, num_shards, shard_id)


def _csv_value(text: str, default, path: str, line: int):
    if isinstance(default, str) or default is None:
        return np.asarray(text)
    try:
        if isinstance(default, (int, np.integer)) and not isinstance(default, bool):
            return np.asarray(int(text), np.int32)
        return np.asarray(float(text), np.float32)
    except ValueError:
        raise RuntimeError("Invalid csv, csv file: %s parse failed at line %d, type does not "
                           "match." % (path, line)) from None


class CSVDataset(_Lines):
    """MindSpore's ``ds.CSVDataset(dataset_files, field_delim=',', column_defaults=None,
    column_names=None, num_samples=None, num_parallel_workers=None, shuffle=Shuffle.GLOBAL,
    num_shards=None, shard_id=None, cache=None)``: one row per record.  Without
    ``column_names`` the first line of the first file names the columns (and is not a row);
    with them every line is a row.  Values are strings unless ``column_defaults`` gives a
    type per column: an int makes int32, a float float32 (an empty or unparsable field is
    MindSpore's "type does not match" error), a str keeps strings.  Files are read in name
    order, one record of each in turn (measured)."""

    def __init__(self, dataset_files, field_delim=",", column_defaults=None, column_names=None,
                 num_samples=None, num_parallel_workers=None, shuffle=True, num_shards=None,
                 shard_id=None, cache=None) -> None:
        if not isinstance(field_delim, str) or len(field_delim) != 1 or field_delim in "\"\r\n":
            raise ValueError("CSVDataset: field_delim must be one character other than a "
                             "quote or a newline; got %r" % (field_delim,))
        files = _files_list(dataset_files, "CSVDataset")
        tables = []
        for path in files:
            with open(path, encoding="utf-8", newline="") as fh:
                tables.append([r for r in csv.reader(fh, delimiter=field_delim) if r])
        names = None if column_names is None else list(column_names)
        if names is None:
            if not tables[0]:
                raise ValueError("CSVDataset: %s is empty: no header to name the columns"
                                 % files[0])
            names, tables[0] = list(tables[0][0]), tables[0][1:]
        if column_defaults is not None and len(column_defaults) != len(names):
            raise ValueError("CSVDataset: %d column_defaults for %d columns"
                             % (len(column_defaults), len(names)))
        defaults = list(column_defaults) if column_defaults is not None else [""] * len(names)
        per_file = []
        for path, table in zip(files, tables):
            rows = []
            for line, rec in enumerate(table, 1):
                if len(rec) != len(names):
                    raise RuntimeError("Invalid file, failed to parse csv file %s: line %d has "
                                       "%d fields for the %d columns %s"
                                       % (path, line, len(rec), len(names), names))
                rows.append((path, line, rec))  # converted when read, as MindSpore
            per_file.append(rows)
        self._columns, self._defaults = names, defaults
        self._setup_lines(per_file, num_samples, shuffle, num_shards, shard_id)


    def _convert(self, row: tuple) -> tuple:
        path, line, rec = row
        return tuple(_csv_value(v, d, path, line) for v, d in zip(rec, self._defaults))


class PaddedDataset(Dataset):
    """MindSpore's ``ds.PaddedDataset(padded_samples)``: the rows of a list of dicts (the
    keys, the same in every dict, name the columns), in order."""

    _mappable = True  # (as MindSpore 2.10: a GeneratorDataset)

    def __init__(self, padded_samples) -> None:
        if not isinstance(padded_samples, list) or not padded_samples or \
                not all(isinstance(s, dict) for s in padded_samples):
            raise TypeError("PaddedDataset: padded_samples must be a non-empty list of dicts; "
                            "got %r" % (padded_samples,))
        self._columns = list(padded_samples[0])
        for s in padded_samples:
            if list(s) != self._columns:
                raise ValueError("PaddedDataset: every sample must have the columns %s; got %s"
                                 % (self._columns, list(s)))
        self._samples = [tuple(np.asarray(s[c]) for c in self._columns) for s in padded_samples]

    def _size(self) -> int:
        return len(self._samples)

    def _rows(self, epoch):
        yield from self._samples


class FakeImageDataset(_Indexed):
    """MindSpore's ``ds.FakeImageDataset(num_images=1000, image_size=(224, 224, 3),
    num_classes=10, base_seed=0, num_samples=None, num_parallel_workers=None, shuffle=None,
    sampler=None, num_shards=None, shard_id=None)``: ``image`` (``image_size`` uint8, random)
    and ``label`` (uint32 below ``num_classes``); row ``i`` drawn from ``(base_seed, i)`` (the
    same in each run; not MindSpore's values)."""

    _columns = ["image", "label"]

    def __init__(self, num_images=1000, image_size=(224, 224, 3), num_classes=10, base_seed=0,
                 num_samples=None, num_parallel_workers=None, shuffle=None, sampler=None,
                 num_shards=None, shard_id=None) -> None:
        self._count = _count(num_images, "num_images")
        self._shape = tuple(int(v) for v in image_size)
        if len(self._shape) != 3 or min(self._shape) <= 0:
            raise ValueError("FakeImageDataset: image_size must be 3 positive ints (H, W, C); "
                             "got %r" % (image_size,))
        self._classes = _count(num_classes, "num_classes")
        self._seed = int(base_seed)
        _check_num_samples(num_samples)
        sampler = sharding("FakeImageDataset", sampler, num_shards, shard_id, shuffle)
        self._setup(self._count, num_samples, shuffle, sampler)

    def _row(self, index: int) -> tuple:
        rng = np.random.default_rng((self._seed, index))
        image = rng.integers(0, 256, self._shape, dtype=np.uint8)
        return image, np.asarray(rng.integers(self._classes), np.uint32)


class Schema:
    """MindSpore's ``ds.Schema()`` as ``RandomDataset`` reads it: columns added with
    ``add_column(name, de_type, shape=None)``."""

    def __init__(self, schema_file=None) -> None:
        if schema_file is not None:
            raise NotImplementedError("Schema: autograd_st does not read schema files; add the "
                                      "columns with add_column")
        self.columns = []

    def add_column(self, name, de_type, shape=None) -> None:
        """A column ``name`` of MindSpore (or numpy) dtype ``de_type`` and ``shape``."""
        if not isinstance(name, str) or not name:
            raise TypeError("Schema.add_column: name must be a non-empty str; got %r" % (name,))
        self.columns.append((name, np.dtype(mstype.to_numpy(de_type)),
                             tuple(int(d) for d in (shape or (1,)))))


class RandomDataset(_Indexed):
    """MindSpore's ``ds.RandomDataset(total_rows=None, schema=None, columns_list=None,
    num_samples=None, num_parallel_workers=None, cache=None, shuffle=None,
    num_shards=None, shard_id=None)``: ``total_rows`` rows of random values with the columns
    of ``schema`` (a :class:`Schema`; ``columns_list`` keeps some), each row drawn from the
    pipeline seed and its index (not MindSpore's values).  Unlike MindSpore, ``schema`` and
    ``total_rows`` must be given (MindSpore then invents random columns and counts)."""

    _mappable = False  # (as MindSpore 2.10: not a MappableDataset)

    def __init__(self, total_rows=None, schema=None, columns_list=None, num_samples=None,
                 num_parallel_workers=None, cache=None, shuffle=None, num_shards=None,
                 shard_id=None) -> None:
        if not isinstance(schema, Schema) or not schema.columns or total_rows is None:
            raise NotImplementedError("RandomDataset: give total_rows and a ds.Schema with "
                                      "columns (autograd_st does not invent random columns)")
        cols = schema.columns
        if columns_list is not None:
            names = [c[0] for c in cols]
            for c in columns_list:
                if c not in names:
                    raise ValueError("RandomDataset: %r is not a column of the schema %s"
                                     % (c, names))
            cols = [c for c in cols if c[0] in columns_list]
        self._spec, self._columns = cols, [c[0] for c in cols]
        _check_num_samples(num_samples)
        sampler = sharding("RandomDataset", None, num_shards, shard_id, shuffle)
        self._setup(_count(total_rows, "total_rows"), num_samples, shuffle, sampler)

    def _row(self, index: int) -> tuple:
        rng = np.random.default_rng((config.get_seed(), 7, index))
        row = []
        for _, dtype, shape in self._spec:
            n = int(np.prod(shape)) * dtype.itemsize
            raw = rng.integers(0, 256, n, dtype=np.uint8).view(dtype)
            if dtype.kind == "f":
                raw = rng.random(int(np.prod(shape))).astype(dtype)
            row.append(raw.reshape(shape))
        return tuple(row)
