"""``ds.MindDataset``: a MindRecord file set (written by MindSpore or by
:class:`autograd_st.mindrecord.FileWriter`) as a pipeline source, in MindSpore 2.10's order.

Measured in MindSpore 2.10: a file of a set reads every shard its header lists, shard after
shard, each in row order; columns in name order (or ``columns_list``'s); ``shuffle=True`` /
``Shuffle.GLOBAL`` permutes all rows by ``std::shuffle`` with
``std::default_random_engine(seed + 1 + epoch)``, ``Shuffle.FILES`` the files' order and
``Shuffle.INFILE`` the rows inside each file with that generator (one seed for every file);
``num_shards``/``shard_id`` without shuffle give shard ``k`` rows ``k, k + num_shards, ...``.
A row's scalars are 0-d arrays, a ``bytes`` field a one-element ``numpy.bytes_`` array, a
string field a 0-d ``str_`` array.

Takes: :mod:`autograd_st.mindrecord` (the file format), :mod:`.sources`' indexed source.
Gives: ``MindDataset``.
"""
from __future__ import annotations

import os

import numpy as np

from ..mindrecord import read_shards
from ..mindrecord.shard_format import NUMPY
from . import config
from .samplers import sharding
from .sources import _Indexed
from .sources2 import Shuffle, _check_num_samples

__all__ = ["MindDataset"]


def _value(spec: dict, value):
    if spec["type"] == "bytes":
        return np.array([value], dtype=np.bytes_) if value else np.array([b""], np.bytes_)
    if spec["type"] == "string":
        return np.array(value)
    if "shape" in spec:
        return value
    return np.asarray(value, NUMPY[spec["type"]])


class MindDataset(_Indexed):
    """MindSpore's ``ds.MindDataset(dataset_files, columns_list=None, num_parallel_workers=
    None, shuffle=None, num_shards=None, shard_id=None, sampler=None, padded_sample=None,
    num_padded=None, num_samples=None, cache=None)``: the rows of a MindRecord file set
    (``dataset_files`` one file of the set, or a list of files read in that order).
    ``padded_sample`` is refused."""

    def __init__(self, dataset_files, columns_list=None, num_parallel_workers=None,
                 shuffle=None, num_shards=None, shard_id=None, sampler=None,
                 padded_sample=None, num_padded=None, num_samples=None, cache=None) -> None:
        files = [dataset_files] if isinstance(dataset_files, str) else list(dataset_files)
        for f in files:
            if not isinstance(f, str) or not os.path.isfile(f):
                raise ValueError("The file %s does not exist or permission denied!" % (f,))
        if padded_sample is not None or num_padded is not None:
            raise NotImplementedError("MindDataset: padded_sample / num_padded are not "
                                      "supported by autograd_st; pad the rows when writing "
                                      "the file instead")
        _check_num_samples(num_samples)
        self._shards = read_shards(files[0] if isinstance(dataset_files, str) else files)
        schema = self._shards[0].schema
        self._schema = schema
        if columns_list is None:
            columns = sorted(schema)
        else:
            columns = list(columns_list)
            for c in columns:
                if c not in schema:
                    raise RuntimeError("Invalid data, column name: %s can not found in "
                                       "schema. Check the 'columns_list' parameter (the "
                                       "file's fields: %s)." % (c, sorted(schema)))
        self._columns = columns
        self._where = [(s, k) for s, shard in enumerate(self._shards)
                       for k in range(len(shard.rows))]
        mode = shuffle
        if isinstance(shuffle, Shuffle):
            mode = shuffle
        elif shuffle is None or shuffle is True:
            mode = Shuffle.GLOBAL if sampler is None else None
        elif shuffle is False:
            mode = Shuffle.FALSE
        self._mode = mode
        plain = None if isinstance(shuffle, Shuffle) else shuffle
        if isinstance(shuffle, Shuffle):
            plain = shuffle is not Shuffle.FALSE
        sampler = sharding("MindDataset", sampler, num_shards, shard_id,
                           None if sampler is not None else False)
        self._setup(len(self._where), num_samples, plain if plain is not None else True,
                    sampler)
        self._num_shards, self._shard_id = num_shards, shard_id

    def _replacing(self) -> bool:
        """MindSpore 2.10 turns a global shuffle with ``num_samples`` into draws with
        replacement (measured: rows repeat, and more rows than the file set holds come)."""
        return bool(self._num_samples) and self._mode is Shuffle.GLOBAL and \
            self._num_shards is None and self._sampler is None

    def _step(self, prev: list, seed: int) -> list:
        """One epoch's shuffle of the previous epoch's order ``prev`` with ``seed``."""
        if self._mode in (Shuffle.FILES, Shuffle.INFILE):
            # the previous order cut where the files' row counts end (in file order)
            chunks, at = [], 0
            for shard in self._shards:
                chunks.append(prev[at:at + len(shard.rows)])
                at += len(shard.rows)
            if self._mode is Shuffle.FILES:
                return [i for f in config.minstd_order(len(chunks), seed) for i in chunks[f]]
            return [c[i] for c in chunks for i in config.minstd_order(len(c), seed)]
        if self._replacing():
            m = len(prev)
            return [prev[config.StdMT19937((seed + i) & 0xFFFFFFFF).below(m)]
                    for i in range(self._num_samples)]
        return [prev[i] for i in config.minstd_order(len(prev), seed)]

    def _permutation(self, epoch: int) -> list:
        """Positions in read order after MindSpore's MindDataset shuffle for ``epoch``:
        seeded with the dataset seed + 1 + the epoch, a global shuffle (and its draws with
        replacement under ``num_samples``) reorders the previous epoch's order, not
        ``range(n)`` (MindSpore shuffles its task list in place; measured over 3 epochs,
        case tr3_minddataset_epochs); FILES reorders the previous order cut at the files'
        row counts, INFILE shuffles within those pieces. With ``num_shards`` given each epoch
        shuffles ``range(n)`` afresh (then takes its shard)."""
        n = len(self._where)
        if self._mode in (Shuffle.FALSE, None):
            return list(range(n))
        base = config.get_seed() + 1
        memo = getattr(self, "_memo", None)
        if memo is not None and memo[0] == base and memo[1] <= epoch:
            at, order = memo[1], memo[2]
        else:
            at, order = 0, self._step(list(range(n)), base)
        while at < epoch:
            at += 1
            # with num_shards MindSpore builds the tasks afresh each epoch (measured)
            order = self._step(order if self._num_shards is None else list(range(n)),
                               base + at)
        self._memo = (base, at, order)
        return order

    def _order(self, epoch: int):
        if self._sampler is not None and self._num_shards is None:
            return super()._order(epoch)
        order = self._permutation(epoch)
        if self._num_shards is not None:
            # every shard reads ceil(n / num_shards) rows, wrapping to the order's start
            # (MindSpore 2.10: shard 1 of 2 over 11 rows reads positions 1, 3, .., 9, 0)
            n = len(order)
            order = [order[(self._shard_id + k * self._num_shards) % n]
                     for k in range(-(-n // self._num_shards))] if n else []
        return np.asarray(order[:self._size()], np.int64)

    def _size(self) -> int:
        if self._sampler is not None and self._num_shards is None:
            return super()._size()
        if self._replacing():
            return int(self._num_samples)
        n = len(self._where)
        if self._num_shards is not None:
            n = -(-n // self._num_shards)
        return n if not self._num_samples else min(n, self._num_samples)

    def _row(self, index: int) -> tuple:
        s, k = self._where[index]
        row = self._shards[s].read(k, self._columns)
        return tuple(_value(self._schema[c], row[c]) for c in self._columns)
