"""The pipeline: :class:`Dataset` and its stages (``batch`` / ``padded_batch``, ``map``,
``shuffle``, ``repeat``, ``take``, ``skip``, ``rename``, ``project``, ``filter``, ``zip``,
``concat`` / ``+``, ``split``) and the iterators that yield Tensors.

Takes: :class:`~autograd_st.tensor.Tensor`, :mod:`.config` (the seed).
Gives: the base class the sources (:mod:`.sources`) derive from.

A stage computes rows lazily: ``_rows(epoch)`` yields tuples of numpy arrays, one per column
(``get_col_names()``).  Iterators convert them to Tensors (``output_numpy=False``) at the end.
Each stage has a number, its distance from the source.  Shuffled orders are MindSpore's
(:mod:`.config`): they depend on the seed and the epoch only.
"""
from __future__ import annotations

from typing import Iterator

import numpy as np

from ..mindrecord import FileWriter
from ..tensor import Tensor
from . import config, map_procs, op_draws

__all__ = ["Dataset", "BatchInfo"]

_MAX = 2 ** 31 - 1


def _count(value, what: str, low: int = 1, allow_minus_one: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or \
            not (low <= value <= _MAX or (allow_minus_one and value == -1)):
        raise ValueError("Input %s is not within the required interval of [%d, %d]%s; got %r."
                         % (what, low, _MAX, " (or -1)" if allow_minus_one else "", value))
    return int(value)


def _names(columns, what: str) -> list:
    if isinstance(columns, str):
        return [columns]
    columns = list(columns)
    if not columns or not all(isinstance(c, str) for c in columns):
        raise TypeError("%s must be a column name or a non-empty list of them; got %r"
                        % (what, columns))
    return columns


class Dataset:
    """MindSpore's ``mindspore.dataset.Dataset``: a stage of a data pipeline.

    Subclasses set ``_columns`` and define ``_rows(epoch)`` and ``_size()``."""

    _columns: list = []
    _stage = 0
    _mappable = False  # a source MindSpore derives from MappableDataset (split reads it)

    # -- what subclasses define ----------------------------------------------------------
    def _rows(self, epoch: int) -> Iterator[tuple]:
        raise NotImplementedError

    def _size(self) -> int:
        raise NotImplementedError

    # -- information ---------------------------------------------------------------------
    def get_dataset_size(self) -> int:
        """The number of rows (batches after ``batch``) in one epoch."""
        return self._size()

    def __len__(self) -> int:
        return self.get_dataset_size()

    def get_col_names(self) -> list:
        """The column names, in order."""
        return list(self._columns)

    def get_batch_size(self) -> int:
        """The batch size of the last ``batch`` stage (1 without one)."""
        return 1

    # -- stages --------------------------------------------------------------------------
    def batch(self, batch_size, drop_remainder=False, num_parallel_workers=None,
              per_batch_map=None, input_columns=None, output_columns=None,
              python_multiprocessing=False, max_rowsize=None, **kwargs):
        """Rows stacked ``batch_size`` at a time (``np.stack`` per column); the last, smaller
        batch is dropped with ``drop_remainder=True``.  ``per_batch_map(col, ...,
        batch_info)`` (MindSpore's) gets each of ``input_columns`` (default: all) as a list
        of the batch's rows and a :class:`BatchInfo`; what it returns replaces those
        columns (``output_columns``: their new names).  ``num_parallel_workers``,
        ``python_multiprocessing``, ``max_rowsize`` are accepted: rows are made in order
        here.  Padding options (``pad_info``, of ``padded_batch``) are refused."""
        if kwargs:
            raise NotImplementedError("batch: autograd_st does not support %s"
                                      % ", ".join(sorted(kwargs)))
        if per_batch_map is None and (input_columns is not None or output_columns is not None):
            raise ValueError("batch: input_columns / output_columns need per_batch_map")
        if per_batch_map is not None and not callable(per_batch_map):
            raise TypeError("batch: per_batch_map must be callable; got %r" % (per_batch_map,))
        return _Batch(self, _count(batch_size, "batch_size"), bool(drop_remainder),
                      per_batch_map, input_columns, output_columns)

    def padded_batch(self, batch_size, drop_remainder=False, num_parallel_workers=None,
                     pad_info=None):
        """MindSpore's ``padded_batch``: as ``batch``, each column's rows padded first to
        one shape.  ``pad_info`` maps a column to ``(shape, value)``: ``shape`` (a None entry,
        or None for all: the batch's largest) and the fill ``value`` (None: 0); columns not in
        it are stacked as they are.  ``pad_info=None`` pads every column to the batch's
        largest shape with 0."""
        if pad_info is not None and not isinstance(pad_info, dict):
            raise TypeError("padded_batch: pad_info must be a dict {column: (shape, value)}; "
                            "got %r" % (pad_info,))
        for c in pad_info or {}:
            if c not in self._columns:
                raise ValueError("padded_batch: pad_info names %r, not a column (columns: %s)"
                                 % (c, self._columns))
        return _Batch(self, _count(batch_size, "batch_size"), bool(drop_remainder),
                      pad_info=pad_info if pad_info is not None else
                      {c: (None, 0) for c in self._columns})

    def map(self, operations, input_columns=None, output_columns=None,
            num_parallel_workers=None, python_multiprocessing=False, cache=None,
            callbacks=None, max_rowsize=None, offload=None, **kwargs):
        """``operations`` (a callable or a list, applied in order; each gets numpy arrays)
        run on ``input_columns`` (default: the first column); their results become
        ``output_columns`` (default: the input columns), placed where the first input
        column was, the other input columns dropped (as MindSpore).
        ``num_parallel_workers`` (default ``ds.config.get_num_parallel_workers()``) is
        the number of copies of the random transforms, each seeded as MindSpore seeds its
        workers' (one process computes the rows, in order: :mod:`.op_draws`);
        with ``python_multiprocessing`` the Python functions draw from ``numpy.random`` and
        ``random`` as in MindSpore's worker processes (:mod:`.map_procs`); ``max_rowsize`` is
        accepted; so is a ``cache``
        (``DatasetCache``: the rows are computed as without it, as MindSpore's values are);
        ``callbacks`` and ``offload`` are refused when given."""
        if cache is not None and type(cache).__name__ != "DatasetCache":
            raise TypeError("Argument cache with value %r is not of type [DatasetCache]"
                            % (cache,))
        given = sorted(k for k, v in (("callbacks", callbacks),
                                      ("offload", offload)) if v is not None) + sorted(kwargs)
        if given:
            raise NotImplementedError("map: autograd_st does not support %s"
                                      % ", ".join(given))
        return _Map(self, operations, input_columns, output_columns, num_parallel_workers,
                    python_multiprocessing)

    def filter(self, predicate, input_columns=None, num_parallel_workers=None):
        """MindSpore's ``filter``: only the rows for which ``predicate(*columns)`` (numpy
        arrays of ``input_columns``, default all) is true."""
        if not callable(predicate):
            raise TypeError("filter: predicate must be callable; got %r" % (predicate,))
        return _Filter(self, predicate, input_columns)

    def zip(self, datasets):
        """MindSpore's ``Dataset.zip``: this dataset's columns then those of ``datasets`` (a
        Dataset or a tuple of them) side by side, as many rows as the shortest."""
        if isinstance(datasets, Dataset):
            datasets = (datasets,)
        if not isinstance(datasets, tuple) or not all(isinstance(d, Dataset) for d in datasets):
            raise TypeError("Invalid datasets, expected Dataset object or tuple of Dataset, "
                            "but got %r!" % (datasets,))
        return _Zip((self,) + datasets)

    def concat(self, datasets):
        """MindSpore's ``concat`` (also ``+``): the rows of this dataset, then those of
        ``datasets`` (a Dataset or a list of them), which must have the same columns."""
        if isinstance(datasets, Dataset):
            datasets = [datasets]
        if not isinstance(datasets, (list, tuple)) or \
                not all(isinstance(d, Dataset) for d in datasets):
            raise TypeError("concat: datasets must be a Dataset or a list of them; got %r"
                            % (datasets,))
        return _Concat([self] + list(datasets))

    def __add__(self, datasets):
        return self.concat(datasets)

    def sync_wait(self, condition_name, num_batch=1, callback=None):
        """MindSpore's ``sync_wait(condition_name, num_batch=1, callback=None)``: a barrier
        the pipeline waits at until ``sync_update``.  Here the pipeline is pulled row by
        row in the caller's thread, so it never runs ahead: ``sync_update`` calls
        ``callback(data)`` at once, and the rows read after it see its effect."""
        if not isinstance(condition_name, str):
            raise TypeError("sync_wait: condition_name must be a str; got %r"
                            % (condition_name,))
        if callback is not None and not callable(callback):
            raise TypeError("sync_wait: callback must be callable; got %r" % (callback,))
        return _SyncWait(self, condition_name, num_batch, callback)

    def sync_update(self, condition_name, num_batch=None, data=None):
        """MindSpore's ``sync_update(condition_name, num_batch=None, data=None)``: releases
        the ``sync_wait`` barrier named ``condition_name`` (calls its callback with
        ``data``)."""
        stage = self
        while stage is not None:
            if isinstance(stage, _SyncWait) and stage.condition_name == condition_name:
                if stage.callback is not None:
                    stage.callback(data)
                return
            stage = getattr(stage, "child", None)
        raise RuntimeError("sync_update: no sync_wait named %r in this pipeline (give the "
                           "name used in sync_wait)" % (condition_name,))

    def save(self, file_name, num_files=1, file_type="mindrecord"):
        """MindSpore's ``save(file_name, num_files=1, file_type='mindrecord')``: writes the
        rows (one epoch) as a MindRecord file set of ``num_files`` shards that MindSpore
        reads back: each column's schema from its first row (a 0-d number a scalar field,
        an array a ``shape=[-1, ...]`` field, bytes ``bytes``, str ``string``)."""
        if file_type != "mindrecord":
            raise ValueError("save: file_type must be 'mindrecord'; got %r" % (file_type,))
        names = self.get_col_names()
        rows = [dict(zip(names, r)) for r in self.create_tuple_iterator(output_numpy=True,
                                                                       num_epochs=1)]
        schema = {}
        kinds = {"i": "int64", "u": "int64", "f": "float32", "b": "int32"}
        for name in names:
            v = np.asarray(rows[0][name]) if rows else np.zeros(0)
            if v.dtype.kind == "S":
                schema[name] = {"type": "bytes"}
            elif v.dtype.kind == "U":
                schema[name] = {"type": "string"}
            else:
                t = {np.dtype(np.int32): "int32", np.dtype(np.float64): "float64"}.get(
                    v.dtype, kinds.get(v.dtype.kind, "float32"))
                schema[name] = {"type": t} if v.ndim == 0 else \
                    {"type": t, "shape": [-1] + list(v.shape[1:])}
        out = []
        for r in rows:
            row = {}
            for name in names:
                v, spec = np.asarray(r[name]), schema[name]
                if spec["type"] == "bytes":
                    row[name] = bytes(v.reshape(-1)[0])
                elif spec["type"] == "string":
                    row[name] = str(v)
                elif "shape" in spec:
                    row[name] = v
                else:
                    row[name] = v.item()
            out.append(row)
        writer = FileWriter(file_name, num_files)
        writer.add_schema(schema, "mindrecord")  # the description MindSpore 2.10 writes
        if out:
            writer.write_raw_data(out)
        writer.commit()

    def split(self, sizes, randomize=True):
        """MindSpore's ``split``: non-overlapping datasets of ``sizes`` rows (ints summing to
        the size, or fractions: rounded, the rounding difference given to the first split
        as MindSpore does).  ``randomize=True`` shuffles the rows the same way every epoch,
        as MindSpore 2.10 does: a source (MindSpore's MappableDataset) through its
        RandomSampler's first order; any other dataset (a map, a batch, a file source)
        through ``shuffle(10000)`` reseeded each epoch (then ``skip`` and ``take``)."""
        n = self.get_dataset_size()
        if not isinstance(sizes, list) or not sizes:
            raise RuntimeError("sizes must be a list.")
        if all(isinstance(v, int) and not isinstance(v, bool) for v in sizes):
            if sum(sizes) != n:
                raise RuntimeError("Sum of split sizes %d is not equal to dataset size %d."
                                   % (sum(sizes), n))
            absolute = list(sizes)
        else:
            absolute = []
            for v in sizes:
                k = int(round(v * n))
                if k == 0:
                    raise RuntimeError("Split percentage %s is too small." % (v,))
                absolute.append(k)
            diff = n - sum(absolute)
            if diff > 0:
                absolute[0] += diff
            else:
                for i, k in enumerate(absolute):
                    if k + diff > 0:
                        absolute[i] += diff
                        break
            if sum(absolute) != n:
                raise RuntimeError("Sum of calculated split sizes %d is not equal to dataset "
                                   "size %d." % (sum(absolute), n))
        source = self
        if randomize:
            source = _FixedShuffle(self) if self._mappable else _FixedBufferShuffle(self)
        out, skip = [], 0
        for k in absolute:
            part = source.skip(skip) if skip else source
            out.append(part.take(k))
            skip += k
        return tuple(out)

    def output_shapes(self, estimate=False):
        """The shape of each column in the first row (batch) of an epoch."""
        return [list(np.shape(v)) for v in self._first_row()]

    def output_types(self):
        """The numpy dtype of each column in the first row (batch) of an epoch."""
        return [np.asarray(v).dtype for v in self._first_row()]

    def _first_row(self) -> tuple:
        previous = op_draws.enter(op_draws.Run())  # (a look of its own, as MindSpore's)
        try:
            for row in self._rows(0):
                return row
        finally:
            op_draws.enter(previous)
        raise RuntimeError("the dataset has no rows: no shapes or types to give")

    def shuffle(self, buffer_size):
        """Rows in random order through a buffer of ``buffer_size`` rows (reshuffled each
        epoch; the order comes from ``ds.config.set_seed``, see :mod:`.config`)."""
        return _Shuffle(self, _count(buffer_size, "buffer_size", low=2))

    def repeat(self, count=None):
        """The rows ``count`` times (None or -1: forever); each repetition is a new epoch of
        the stages before it (a shuffled source reshuffles)."""
        if count is not None and count != -1:
            count = _count(count, "count")
        return _Repeat(self, None if count in (None, -1) else count)

    def take(self, count=-1):
        """The first ``count`` rows (-1: all)."""
        return _Take(self, _count(count, "count", allow_minus_one=True))

    def skip(self, count):
        """The rows after the first ``count``."""
        return _Skip(self, _count(count, "count", low=0))

    def rename(self, input_columns, output_columns):
        """The columns ``input_columns`` renamed ``output_columns``."""
        return _Rename(self, _names(input_columns, "rename input_columns"),
                       _names(output_columns, "rename output_columns"))

    def project(self, columns):
        """Only ``columns``, in that order."""
        return _Project(self, _names(columns, "project columns"))

    # -- iterators -----------------------------------------------------------------------
    def create_tuple_iterator(self, columns=None, num_epochs=-1, output_numpy=False,
                              do_copy=False):
        """An iterator of rows, each a list of Tensors (numpy arrays with
        ``output_numpy=True``), of ``columns`` (default: all).  Iterating it again runs the
        next epoch; after ``num_epochs`` epochs (-1: no limit) it yields nothing."""
        return _Iterator(self, columns, num_epochs, output_numpy, as_dict=False)

    def create_dict_iterator(self, num_epochs=-1, output_numpy=False, do_copy=False):
        """An iterator of rows, each a ``{column: Tensor}`` dict."""
        return _Iterator(self, None, num_epochs, output_numpy, as_dict=True)

    def __iter__(self):
        return iter(self.create_tuple_iterator())


class _Stage(Dataset):
    def __init__(self, child: Dataset) -> None:
        self.child = child
        self._columns = list(child._columns)
        self._stage = child._stage + 1

    def get_batch_size(self) -> int:
        return self.child.get_batch_size()


class BatchInfo:
    """MindSpore's ``BatchInfo``, given to ``per_batch_map``: ``get_batch_num()`` (the batch
    in this epoch, from 0) and ``get_epoch_num()`` (from 0)."""

    def __init__(self, batch_num: int, epoch_num: int) -> None:
        self._batch_num, self._epoch_num = batch_num, epoch_num

    def get_batch_num(self) -> int:
        return self._batch_num

    def get_epoch_num(self) -> int:
        return self._epoch_num


def _pad(values: list, shape, fill, name: str) -> list:
    arrays = [np.asarray(v) for v in values]
    ndim = {a.ndim for a in arrays}
    if len(ndim) > 1:
        raise ValueError("padded_batch: column %r has rows of different ranks %s"
                         % (name, sorted(ndim)))
    biggest = [max(a.shape[d] for a in arrays) for d in range(arrays[0].ndim)]
    target = biggest if shape is None else [b if t is None else int(t)
                                            for t, b in zip(list(shape), biggest)]
    if shape is not None and len(list(shape)) != len(biggest):
        raise ValueError("padded_batch: pad shape %s for column %r has rank %d, its rows %d"
                         % (list(shape), name, len(list(shape)), len(biggest)))
    out = []
    for a in arrays:
        # a row longer than the pad shape is cut to it, as MindSpore 2.10 does (measured:
        # u22_dataset_generator_pipeline)
        a = a[tuple(slice(0, t) for t in target)]
        pad = np.full(target, 0 if fill is None else fill, dtype=a.dtype)
        pad[tuple(slice(0, n) for n in a.shape)] = a
        out.append(pad)
    return out


class _Batch(_Stage):
    def __init__(self, child, batch_size: int, drop_remainder: bool, per_batch_map=None,
                 input_columns=None, output_columns=None, pad_info=None) -> None:
        super().__init__(child)
        self.batch_size, self.drop_remainder = batch_size, drop_remainder
        self.per_batch_map, self.pad_info = per_batch_map, pad_info
        names = list(child._columns)
        inputs = names if input_columns is None else _names(input_columns,
                                                            "batch input_columns")
        for c in inputs:
            if c not in names:
                raise ValueError("batch: input column %r is not a column (columns: %s)"
                                 % (c, names))
        self.in_idx = [names.index(c) for c in inputs]
        outputs = inputs if output_columns is None else _names(output_columns,
                                                               "batch output_columns")
        if per_batch_map is None and len(outputs) != len(inputs):
            raise ValueError("batch: %d output_columns for %d input_columns"
                             % (len(outputs), len(inputs)))
        self.n_out = len(outputs)
        self._layout = None
        if len(outputs) == len(inputs):  # renamed in place
            for i, c in zip(self.in_idx, outputs):
                self._columns[i] = c
        else:  # (per_batch_map giving another number of columns) as map's outputs do
            first = self.in_idx[0]
            keep = [i for i in range(len(names)) if i not in self.in_idx]
            self._layout = [i for i in keep if i < first] + [None] + [i for i in keep
                                                                       if i > first]
            self._columns = [c for i in self._layout for c in
                             ([names[i]] if i is not None else outputs)]

    def get_batch_size(self) -> int:
        return self.batch_size

    def _size(self) -> int:
        n = self.child._size()
        return n // self.batch_size if self.drop_remainder else -(-n // self.batch_size)

    def _stack(self, rows: list, batch_num: int = 0, epoch: int = 0) -> tuple:
        done: dict = {}
        if self.per_batch_map is not None:
            width = len(rows[0])
            cols = [[r[k] for r in rows] for k in range(width)]
            result = self.per_batch_map(*[cols[k] for k in self.in_idx],
                                        BatchInfo(batch_num, epoch))
            result = result if isinstance(result, tuple) else (result,)
            if len(result) != self.n_out:
                raise ValueError("batch: per_batch_map returned %d values for %d output "
                                 "columns" % (len(result), self.n_out))
            outs = []
            for value in result:
                outs.append([None] * len(rows))
                value = value.asnumpy() if isinstance(value, Tensor) else value
                if isinstance(value, dict):  # that column's batch as it is (MindSpore's)
                    done[sum(1 for _ in outs) - 1] = value
                else:
                    outs[-1] = list(np.asarray(value))
            if self._layout is None:
                for k, out in zip(self.in_idx, outs):
                    cols[k] = out
                done = {self.in_idx[k]: v for k, v in done.items()}
            else:
                cols = [c for i in self._layout for c in ([cols[i]] if i is not None
                                                          else outs)]
                first = self._layout.index(None)
                done = {first + k: v for k, v in done.items()}
            rows = list(zip(*cols))

        if self.pad_info is not None:
            cols = [[r[k] for r in rows] for k in range(len(self._columns))]
            for k, name in enumerate(self._columns):
                if name in self.pad_info:
                    shape, fill = self.pad_info[name]
                    cols[k] = _pad(cols[k], shape, fill, name)
            rows = list(zip(*cols))
        out = []
        for k, name in enumerate(self._columns):
            out.append(done[k] if k in done else _batch_column([r[k] for r in rows], name))
        return tuple(out)

    def _rows(self, epoch):
        rows, n = [], 0
        for row in self.child._rows(epoch):
            rows.append(row)
            if len(rows) == self.batch_size:
                yield self._stack(rows, n, epoch)
                rows, n = [], n + 1
        if rows and not self.drop_remainder:
            yield self._stack(rows, n, epoch)


class _Map(_Stage):
    def __init__(self, child, operations, input_columns, output_columns,
                 num_parallel_workers=None, python_multiprocessing=False) -> None:
        super().__init__(child)
        ops = list(operations) if isinstance(operations, (list, tuple)) else [operations]
        if not ops or not all(callable(op) for op in ops):
            raise TypeError("map: operations must be a callable or a list of callables; got %r"
                            % (operations,))
        self.operations = op_draws.flatten(ops)  # (a Compose's transforms: ops of the map)
        self.workers = None if num_parallel_workers is None else \
            _count(num_parallel_workers, "num_parallel_workers")
        self.seeded = any(isinstance(op, op_draws.SeededOp) for op in self.operations)
        self.processes = bool(python_multiprocessing) and \
            map_procs.runs_python(self.operations)
        names = child._columns
        inputs = names[:1] if input_columns is None else _names(input_columns,
                                                                 "map input_columns")
        for c in inputs:
            if c not in names:
                raise ValueError("map: input column %r is not a column of the dataset (its "
                                 "columns: %s)" % (c, names))
        outputs = inputs if output_columns is None else _names(output_columns,
                                                               "map output_columns")
        self.in_idx = [names.index(c) for c in inputs]
        self.n_out = len(outputs)
        first = self.in_idx[0]
        keep = [i for i in range(len(names)) if i not in self.in_idx]
        self._layout = [i for i in keep if i < first] + [None] + [i for i in keep if i > first]
        self._columns = [c for i in self._layout for c in
                         ([names[i]] if i is not None else outputs)]

    def _size(self) -> int:
        return self.child._size()

    def _apply(self, row: tuple, scope) -> tuple:
        args = tuple(row[i] for i in self.in_idx)
        for k, op in enumerate(self.operations):
            result = op_draws.run_op(op, scope, (k,), args) if scope is not None else op(*args)
            args = result if isinstance(result, tuple) else (result,)
        if len(args) != self.n_out:
            raise ValueError("map: the operations returned %d values for the %d output "
                             "columns %s" % (len(args), self.n_out, self._columns))
        args = tuple(column_value(a) for a in args)
        out = []
        for i in self._layout:
            out.extend([row[i]] if i is not None else args)
        return tuple(out)

    def _rows(self, epoch):
        # the random transforms draw from this iterator's copies of them, one per worker, the
        # rows and each pass's end taking the workers in turn (MindSpore's MapOp)
        draws = op_draws.map_draws(self, self.workers) if self.seeded else None
        procs = map_procs.workers_of(self, self.workers) if self.processes else None
        for row in self.child._rows(epoch):
            scope = draws.next_scope() if draws is not None else None
            if procs is None:
                yield self._apply(row, scope)
            else:  # (the Python functions draw as in MindSpore's worker processes)
                yield procs.call(lambda: self._apply(row, scope))
        if draws is not None:
            draws.end_pass()
        if procs is not None:
            procs.end_pass()


class _Shuffle(_Stage):
    def __init__(self, child, buffer_size: int) -> None:
        super().__init__(child)
        self.buffer_size = buffer_size

    def _size(self) -> int:
        return self.child._size()

    def _rows(self, epoch):
        # MindSpore's ShuffleOp: one generator per iterator, running on through its epochs
        # (kept in the iterator's run: a look at the shapes on the way has its own)
        run = op_draws.current_run()
        shuffler = None if run is None else run.states.get(id(self))
        if shuffler is None:
            shuffler = config.BufferShuffle(self.buffer_size)
            for e in range(epoch):  # (an epoch asked for out of turn: the draws replayed)
                for _ in shuffler.rows(self.child._rows(e)):
                    pass
            if run is not None:
                run.states[id(self)] = shuffler
        yield from shuffler.rows(self.child._rows(epoch))


class _Repeat(_Stage):
    def __init__(self, child, count) -> None:
        super().__init__(child)
        self.count = count

    def _size(self) -> int:
        n = self.child._size()
        return n if self.count is None else n * self.count  # forever: MindSpore gives n

    def _rows(self, epoch):
        k = 0
        while self.count is None or k < self.count:
            any_row = False
            for row in self.child._rows(epoch * (self.count or 1) + k):
                any_row = True
                yield row
            if not any_row:
                return
            k += 1


class _Take(_Stage):
    def __init__(self, child, count: int) -> None:
        super().__init__(child)
        self.count = count

    def _size(self) -> int:
        n = self.child._size()
        return n if self.count == -1 else min(n, self.count)

    def _rows(self, epoch):
        if self.count == -1:
            yield from self.child._rows(epoch)
            return
        rows = self.child._rows(epoch)
        for k, row in enumerate(rows):
            if k >= self.count:
                if _draws_below(self.child):  # MindSpore's take reads its child to the end
                    for _ in rows:  # of the epoch: the random draws of those rows are made
                        pass
                return
            yield row


def _draws_below(stage) -> bool:
    """Whether a stage at or below ``stage`` holds random generators that run on through an
    iterator's epochs (a map of MindSpore-seeded transforms, a shuffle buffer)."""
    if getattr(stage, "seeded", False) or isinstance(stage, _Shuffle):
        return True
    children = getattr(stage, "children", None) or \
        ([stage.child] if isinstance(getattr(stage, "child", None), Dataset) else [])
    return any(_draws_below(c) for c in children)


class _Skip(_Stage):
    def __init__(self, child, count: int) -> None:
        super().__init__(child)
        self.count = count

    def _size(self) -> int:
        return max(0, self.child._size() - self.count)

    def _rows(self, epoch):
        for k, row in enumerate(self.child._rows(epoch)):
            if k >= self.count:
                yield row


class _Rename(_Stage):
    def __init__(self, child, inputs: list, outputs: list) -> None:
        super().__init__(child)
        if len(inputs) != len(outputs):
            raise ValueError("rename: %d input columns but %d output columns"
                             % (len(inputs), len(outputs)))
        for c in inputs:
            if c not in self._columns:
                raise ValueError("rename: %r is not a column (columns: %s)" % (c, self._columns))
        mapping = dict(zip(inputs, outputs))
        self._columns = [mapping.get(c, c) for c in self._columns]

    def _size(self) -> int:
        return self.child._size()

    def _rows(self, epoch):
        return self.child._rows(epoch)


class _Project(_Stage):
    def __init__(self, child, columns: list) -> None:
        super().__init__(child)
        for c in columns:
            if c not in self._columns:
                raise ValueError("project: %r is not a column (columns: %s)"
                                 % (c, self._columns))
        self.idx = [self._columns.index(c) for c in columns]
        self._columns = list(columns)

    def _size(self) -> int:
        return self.child._size()

    def _rows(self, epoch):
        for row in self.child._rows(epoch):
            yield tuple(row[i] for i in self.idx)


class _Filter(_Stage):
    def __init__(self, child, predicate, input_columns) -> None:
        super().__init__(child)
        names = self._columns
        inputs = names if input_columns is None else _names(input_columns,
                                                            "filter input_columns")
        for c in inputs:
            if c not in names:
                raise ValueError("filter: %r is not a column (columns: %s)" % (c, names))
        self.predicate, self.idx = predicate, [names.index(c) for c in inputs]

    def _size(self) -> int:  # MindSpore counts them too: one pass (of its own)
        previous = op_draws.enter(op_draws.Run())
        try:
            return sum(1 for _ in self._rows(0))
        finally:
            op_draws.enter(previous)

    def _rows(self, epoch):
        for row in self.child._rows(epoch):
            keep = self.predicate(*[row[i] for i in self.idx])
            if bool(np.asarray(keep.asnumpy() if isinstance(keep, Tensor) else keep)):
                yield row


class _Zip(Dataset):
    def __init__(self, children: tuple) -> None:
        names = [c for d in children for c in d._columns]
        if len(set(names)) != len(names):
            raise ValueError("zip: the datasets' column names must differ; got %s" % names)
        self.children, self._columns = children, names
        self._stage = max(d._stage for d in children) + 1

    def _size(self) -> int:
        return min(d._size() for d in self.children)

    def get_batch_size(self) -> int:
        return self.children[0].get_batch_size()

    def _rows(self, epoch):
        for rows in zip(*[d._rows(epoch) for d in self.children]):
            yield tuple(v for row in rows for v in row)


class _Concat(Dataset):
    def __init__(self, children: list) -> None:
        for d in children[1:]:
            if d._columns != children[0]._columns:
                raise ValueError("concat: the datasets must have the same columns; got %s and "
                                 "%s" % (children[0]._columns, d._columns))
        self.children, self._columns = children, list(children[0]._columns)
        self._stage = max(d._stage for d in children) + 1

    def _size(self) -> int:
        return sum(d._size() for d in self.children)

    def get_batch_size(self) -> int:
        return self.children[0].get_batch_size()

    def _rows(self, epoch):
        for d in self.children:
            yield from d._rows(epoch)


class _FixedShuffle(_Stage):
    """The rows in one random order, the same every epoch (``split(randomize=True)``)."""

    def _size(self) -> int:
        return self.child._size()

    def _rows(self, epoch):
        rows = list(self.child._rows(epoch))
        for k in config.sampler_order(len(rows), 0):  # (MindSpore's, not reshuffled)
            yield rows[k]


class _SyncWait(_Stage):
    """``sync_wait``'s barrier: the rows pass through (see ``Dataset.sync_wait``)."""

    def __init__(self, child, condition_name: str, num_batch, callback) -> None:
        super().__init__(child)
        self.condition_name, self.num_batch, self.callback = condition_name, num_batch, callback

    def _size(self) -> int:
        return self.child._size()

    def _rows(self, epoch):
        yield from self.child._rows(epoch)


class _FixedBufferShuffle(_Stage):
    """MindSpore's ``shuffle(10000)`` with ``reshuffle_each_epoch=False`` (what ``split``
    puts over a dataset that is not a source): its generator reseeded every epoch."""

    def _size(self) -> int:
        return self.child._size()

    def _rows(self, epoch):
        yield from config.BufferShuffle(10000).rows(self.child._rows(epoch))


def _output(value, output_numpy: bool):
    """A column's value as an iterator gives it (MindSpore 2.10's ``__convert_python``): a
    dict (a Python object column), list or tuple converted item by item, numbers and
    arrays as numpy arrays or Tensors (strings stay numpy), anything else as it is."""
    if isinstance(value, dict):
        return {k: _output(v, output_numpy) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_output(v, output_numpy) for v in value)
    if isinstance(value, Tensor):
        value = value.asnumpy()
    if not isinstance(value, (np.ndarray, np.generic, int, float, bool, str, bytes)):
        return value
    arr = np.asarray(value)
    if output_numpy or arr.dtype.kind in "USO":
        return arr
    return _data_tensor(arr)


def column_value(value):
    """A value as a pipeline stage keeps it: a dict (MindSpore's Python object column)
    as it is, a Tensor's data, anything else as a numpy array."""
    if isinstance(value, dict):
        return value
    return np.asarray(value.asnumpy() if isinstance(value, Tensor) else value)


def _batch_column(values: list, name: str):
    """One column of a batch: dicts key by key (nested too), arrays stacked."""
    if values and isinstance(values[0], dict):
        return {k: _batch_column([v[k] for v in values], name) for k in values[0]}
    shapes = {np.shape(v) for v in values}
    if len(shapes) > 1:
        raise ValueError("batch: column %r has rows of different shapes %s; make them "
                         "one shape (e.g. with map) before batching" % (name, sorted(shapes)))
    return np.stack(values)


def _data_tensor(value) -> Tensor:
    """A Tensor of a row's column, printed as MindSpore prints a dataset's (numpy's format)."""
    t = Tensor(value)
    t._np_repr = True
    return t


class _Iterator:
    """Rows of a dataset, epoch after epoch (each ``for`` over it is one epoch)."""

    def __init__(self, dataset: Dataset, columns, num_epochs, output_numpy: bool,
                 as_dict: bool) -> None:
        names = dataset.get_col_names()
        columns = names if columns is None else _names(columns, "iterator columns")
        for c in columns:
            if c not in names:
                raise ValueError("create_tuple_iterator: %r is not a column (columns: %s)"
                                 % (c, names))
        self.dataset, self.columns = dataset, columns
        self.idx = [names.index(c) for c in columns]
        self.num_epochs = _count(num_epochs, "num_epochs", allow_minus_one=True)
        self.output_numpy, self.as_dict = bool(output_numpy), as_dict
        self._epoch, self._rows = 0, None
        self._run = op_draws.Run()  # (the seed now, this iterator's random generators)

    def __iter__(self):
        return self

    def __next__(self):
        if self._rows is None:
            if self.num_epochs != -1 and self._epoch >= self.num_epochs:
                raise StopIteration
            self._rows = self.dataset._rows(self._epoch)
        previous = op_draws.enter(self._run)
        try:
            row = next(self._rows)
        except StopIteration:
            self._rows = None
            self._epoch += 1
            raise
        finally:
            op_draws.enter(previous)
        values = [_output(row[i], self.output_numpy) for i in self.idx]
        return dict(zip(self.columns, values)) if self.as_dict else values

    def get_next(self):
        return next(self)
