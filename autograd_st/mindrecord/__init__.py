"""``mindspore.mindrecord``: MindRecord files, MindSpore's own dataset format, written and
read in MindSpore 2.10's bytes (files written here are read by MindSpore, and the other way
round; :mod:`.shard_format` documents the layout).

``FileWriter`` (``add_schema``, ``add_index``, ``write_raw_data``, ``commit``,
``open_for_append``) writes a file set of ``shard_num`` shards, each a data file and its
``.db`` SQLite index; ``FileReader`` reads one back row by row (``get_next``);
``dataset.MindDataset`` reads them into a pipeline.  MindSpore's exception names
(``MindRecordException``, ``MRMInvalidSchemaError``, ...) are the classes of
:mod:`autograd_st.errors`.

Takes: :mod:`autograd_st.errors`; numpy and the standard library.  Gives: ``FileWriter``,
``FileReader`` and the exception names.
"""
from __future__ import annotations

from ..errors import MindRecordError as MindRecordException
from ..errors import MRMDefineIndexError, MRMInvalidSchemaError, ParamTypeError, ParamValueError
from . import shard_format
from .writer import FileWriter

__all__ = ["FileWriter", "FileReader", "MindRecordException", "MRMInvalidSchemaError",
           "MRMDefineIndexError", "ParamValueError", "ParamTypeError"]


def read_shards(file_name) -> list:
    """The opened shards of the file set ``file_name`` (a file of the set: every shard its
    header lists is read; or a list of files: those, in order)."""
    if isinstance(file_name, (list, tuple)):
        return [shard_format.Shard(f) for f in file_name]
    return [shard_format.Shard(p) for p in shard_format.shard_paths(file_name)]


class FileReader:
    """MindSpore's ``mindrecord.FileReader(file_name, num_consumer=4, columns=None,
    operator=None)``: ``get_next()`` yields each row as a dict (raw fields as Python
    int / float / str, then the blob fields: ``bytes`` or numpy arrays), the shards in
    order; ``len_reader()``, ``schema()``, ``close()``."""

    def __init__(self, file_name, num_consumer=4, columns=None, operator=None) -> None:
        self._shards = read_shards(file_name)
        self._columns = None if columns is None else list(columns)
        if self._columns is not None:
            missing = [c for c in self._columns if c not in self.schema()]
            if missing:
                raise MRMInvalidSchemaError("columns %s are not fields of the file's schema "
                                            "(%s)" % (missing, sorted(self.schema())))

    def schema(self) -> dict:
        return dict(self._shards[0].schema)

    def len_reader(self) -> int:
        return sum(len(s.rows) for s in self._shards)

    def get_next(self):
        for shard in self._shards:
            for k in range(len(shard.rows)):
                row = shard.read(k, self._columns)
                if self._columns is not None:
                    row = {c: row[c] for c in self._columns}
                yield row

    def close(self) -> None:
        self._shards = []
