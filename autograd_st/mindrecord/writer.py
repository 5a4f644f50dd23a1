"""``mindrecord.FileWriter``: MindRecord shards written as MindSpore 2.10's shard writer
writes them (:mod:`.shard_format` has the bytes): rows split over the shards in contiguous
runs per ``write_raw_data`` call (MindSpore gives the remainder rows to random shards; here
to the first ones), blob pages filled up to ``page_size`` then a new page, raw rows
appended to the last raw page; the header and the ``.db`` index written by ``commit``.

Takes: :mod:`.shard_format`, :mod:`autograd_st.errors`.  Gives: ``FileWriter``.
"""
from __future__ import annotations

import os
import sqlite3
import struct

import numpy as np

from ..errors import (
    MindRecordError,
    MRMDefineIndexError,
    MRMInvalidSchemaError,
    ParamTypeError,
    ParamValueError,
)
from . import shard_format as fmt

_INDEXABLE = ("int32", "int64", "float32", "float64", "string")


def _check_schema(content) -> dict:
    if not isinstance(content, dict):
        raise MRMInvalidSchemaError("Schema content should be dict.")
    if not content:
        raise MRMInvalidSchemaError("Schema content is empty.")
    out = {}
    for name, spec in content.items():
        if not isinstance(name, str) or not fmt.FIELD_NAME.match(name):
            raise MRMInvalidSchemaError("Field '%s' should be composed of '0-9' or 'a-z' or "
                                        "'A-Z' or '_'." % (name,))
        if not isinstance(spec, dict) or spec.get("type") not in fmt.TYPES or \
                set(spec) - {"type", "shape"}:
            raise MRMInvalidSchemaError("Field '%s' contain illegal attribute '%s'."
                                        % (name, spec.get("type") if isinstance(spec, dict)
                                           else spec))
        if "shape" in spec:
            shape = spec["shape"]
            if spec["type"] in ("string", "bytes"):
                raise MRMInvalidSchemaError("Field '%s' contain illegal attribute '%s'."
                                            % (name, spec["type"]))
            if not isinstance(shape, list) or not shape or \
                    not all(isinstance(d, int) and (d > 0 or d == -1) for d in shape) or \
                    shape.count(-1) > 1:
                raise MRMInvalidSchemaError(
                    "Field '%s': only 1 variable dimension(-1) allowed in 'shape', the others "
                    "positive ints, but got: %r." % (name, shape))
            out[name] = {"shape": list(shape), "type": spec["type"]}
        else:
            out[name] = {"type": spec["type"]}
    return dict(sorted(out.items()))


def _fits(spec: dict, value) -> bool:
    t = spec["type"]
    if "shape" in spec:
        try:
            arr = np.asarray(value)
        except (TypeError, ValueError):
            return False
        return arr.dtype.kind in "iuf" and arr.ndim >= 1
    if t == "bytes":
        return isinstance(value, (bytes, bytearray, np.ndarray))
    if t == "string":
        return isinstance(value, str)
    if t in ("int32", "int64"):
        return isinstance(value, (int, np.integer)) and not isinstance(value, bool)
    return isinstance(value, (float, np.floating))


class FileWriter:
    """MindSpore's ``mindrecord.FileWriter(file_name, shard_num=1, overwrite=False)``:
    ``add_schema``, ``add_index``, ``write_raw_data``, ``commit``, ``open_for_append``,
    ``set_header_size``, ``set_page_size``.  ``shard_num > 1`` writes ``file_name0`` ...
    ``file_name<shard_num-1>``.  Files MindSpore 2.10 reads back with the same rows."""

    def __init__(self, file_name, shard_num=1, overwrite=False) -> None:
        if not isinstance(file_name, str) or not file_name:
            raise ParamTypeError("Invalid parameter type. 'file_name' expect str type.")
        if isinstance(shard_num, bool) or not isinstance(shard_num, int):
            raise ParamTypeError("Invalid parameter type. 'shard_num' expect int type.")
        if not 1 <= shard_num <= 1000:
            raise ParamValueError("Invalid parameter value. Parameter shard_num's value: %d "
                                  "should between 1 and 1000." % shard_num)
        names = [file_name] if shard_num == 1 else \
            ["%s%d" % (file_name, k) for k in range(shard_num)]
        self._paths = [os.path.abspath(n) for n in names]
        self._overwrite = bool(overwrite)
        self._header_size, self._page_size = 1 << 24, 1 << 25
        self._schema: dict = {}
        self._desc = ""
        self._index: list = []
        self._shards: list = []  # per shard: {"pages": [...], "index": [...]}
        self._opened = False
        self._compression = 0
        self._append = False

    # -- configuration ----------------------------------------------------------------

    def add_schema(self, content, desc=None):
        """The fields: ``{name: {"type": int32|int64|float32|float64|string|bytes,
        "shape": [...]}}`` (a shape makes a numeric field an array); returns the schema id
        (0)."""
        if self._schema:
            raise MindRecordError("add_schema: the schema is already set (one schema per "
                                  "file set, as MindSpore)")
        self._schema = _check_schema(content)
        self._desc = "" if desc is None else str(desc)
        return 0

    def add_index(self, index_fields):
        """Index the scalar raw fields ``index_fields`` in the ``.db`` file (without it,
        every scalar field is indexed, as MindSpore does)."""
        if not isinstance(index_fields, list) or not index_fields:
            raise ParamTypeError("Invalid parameter type. 'index_fields' expect list type.")
        for name in index_fields:
            spec = self._schema.get(name)
            if spec is None:
                raise MRMDefineIndexError("Invalid input, 'index_fields': %s can not found in "
                                          "schema; add it to the schema first" % name)
            if spec["type"] not in _INDEXABLE or "shape" in spec:
                raise MRMDefineIndexError("Failed to set field %s since it's not primitive "
                                          "type." % name)
        self._index = list(index_fields)

    def set_header_size(self, header_size):
        if not (1 << 14) <= header_size <= (1 << 27) or header_size % 4:
            raise MindRecordError("set_header_size(%r): the header size must be a multiple "
                                  "of 4 between 16 KB and 128 MB" % (header_size,))
        self._header_size = int(header_size)

    def set_page_size(self, page_size):
        if not (1 << 15) <= page_size <= (1 << 28) or page_size % 4:
            raise MindRecordError("set_page_size(%r): the page size must be a multiple of 4 "
                                  "between 32 KB and 256 MB" % (page_size,))
        self._page_size = int(page_size)

    # -- writing ------------------------------------------------------------------------

    def _open(self) -> None:
        if not self._schema:
            raise RuntimeError("Invalid data, schema is not found in header, please use "
                               "'add_schema' to add a schema before 'write_raw_data'.")
        if not self._append:
            for p in self._paths:
                if os.path.exists(p) or os.path.exists(p + ".db"):
                    if not self._overwrite:
                        raise RuntimeError(
                            "Invalid file, mindrecord files already exist. Please check file "
                            "path: %s.\nIf you do not want to keep the files, set the "
                            "'overwrite' parameter to True and try again." % p)
                    for q in (p, p + ".db"):
                        if os.path.exists(q):
                            os.remove(q)
            for p in self._paths:
                open(p, "wb").close()
            self._shards = [{"pages": [], "index": []} for _ in self._paths]
            if not self._index:
                self._index = [k for k, v in self._schema.items()
                               if v["type"] in _INDEXABLE and "shape" not in v]
        self._opened = True

    def write_raw_data(self, raw_data, parallel_writer=False):
        """Append ``raw_data`` (a list of dicts, one per row).  Rows missing a field or
        with a value of the wrong type are dropped, as MindSpore drops them; no valid row
        at all raises ``RuntimeError``."""
        if not isinstance(raw_data, list):
            raise ParamTypeError("Invalid parameter type. 'raw_data' expect list type.")
        if not self._opened:
            self._open()
        rows = [r for r in raw_data if isinstance(r, dict) and
                all(k in r and _fits(s, r[k]) for k, s in self._schema.items())]
        if raw_data and not rows:
            raise RuntimeError("There is no valid data which can be written by "
                               "'write_raw_data' to mindrecord file. Please check the "
                               "abnormal input data indicated in the warning log above.")
        blobs_named = fmt.blob_fields(self._schema)
        raw_named = [k for k in self._schema if k not in blobs_named]
        packed = []
        for r in rows:
            raw = {k: r[k] for k in raw_named} if raw_named else {"id": 0}
            raw = {k: (float(v) if isinstance(v, np.floating) else
                       int(v) if isinstance(v, np.integer) else v) for k, v in raw.items()}
            blob = fmt.encode_blob(self._schema, blobs_named, r)
            if fmt.compresses(self._schema):
                plain = sum(np.asarray(r[k]).size * np.dtype(fmt.NUMPY[self._schema[k]["type"]]).itemsize
                            for k in blobs_named if self._schema[k]["type"] in ("int32", "int64"))
                self._compression += plain - sum(len(fmt.compress_ints(np.asarray(r[k])))
                                                 for k in blobs_named
                                                 if self._schema[k]["type"] in ("int32", "int64"))
            packed.append((fmt.pack(raw), blob, {k: r[k] for k in self._index}))
        n, count = len(packed), len(self._paths)
        start = 0
        for s in range(count):
            end = start + n // count + (1 if s < n % count else 0)
            self._write_shard(s, packed[start:end])
            start = end
        return 0

    def _write_shard(self, s: int, rows: list) -> None:
        if not rows:
            return
        shard, path = self._shards[s], self._paths[s]
        pages = shard["pages"]
        size = self._page_size
        blob_pages = [p for p in pages if p["page_type"] == "BLOB_DATA"]
        raw_pages = [p for p in pages if p["page_type"] == "RAW_DATA"]
        with open(path, "r+b") as fh:
            for raw, blob, keys in rows:
                blob_rec = struct.pack("<Q", len(blob)) + blob
                raw_rec = struct.pack("<Q", len(raw)) + raw
                if len(blob_rec) > size or len(raw_rec) > size:
                    raise RuntimeError("Page size is too small to save a row! (a row takes "
                                       "%d bytes; set_page_size larger)"
                                       % max(len(blob_rec), len(raw_rec)))
                last = blob_pages[-1] if blob_pages else None
                if last is None or last["page_size"] + len(blob_rec) > size:
                    start = last["end_row_id"] if last else 0
                    last = {"end_row_id": start, "page_id": len(pages), "page_size": 0,
                            "page_type": "BLOB_DATA", "page_type_id": len(blob_pages),
                            "row_group_ids": [{"id": 0, "offset": 0}], "shard_id": s,
                            "start_row_id": start}
                    pages.append(last)
                    blob_pages.append(last)
                group = last["page_type_id"]
                raw_page = raw_pages[-1] if raw_pages else None
                if raw_page is None or raw_page["page_size"] + len(raw_rec) > size:
                    raw_page = {"end_row_id": 0, "page_id": len(pages), "page_size": 0,
                                "page_type": "RAW_DATA", "page_type_id": len(raw_pages),
                                "row_group_ids": [{"id": group, "offset": 0}],
                                "shard_id": s, "start_row_id": 0}
                    pages.append(raw_page)
                    raw_pages.append(raw_page)
                elif raw_page["row_group_ids"][-1]["id"] != group:
                    raw_page["row_group_ids"].append({"id": group,
                                                      "offset": raw_page["page_size"]})
                blob_at, raw_at = last["page_size"], raw_page["page_size"]
                fh.seek(self._header_size + size * last["page_id"] + blob_at)
                fh.write(blob_rec)
                fh.seek(self._header_size + size * raw_page["page_id"] + raw_at)
                fh.write(raw_rec)
                last["page_size"] += len(blob_rec)
                last["end_row_id"] += 1
                raw_page["page_size"] += len(raw_rec)
                shard["index"].append((len(shard["index"]), raw_page["page_id"], raw_at,
                                       raw_at + len(raw_rec), group, last["page_id"], blob_at,
                                       blob_at + len(blob_rec), keys))

    def commit(self):
        """Write the headers and the ``.db`` index files."""
        if not self._opened:
            self._open()
        addresses = [os.path.basename(p) for p in self._paths]
        schema = [{"blob_fields": fmt.blob_fields(self._schema), "desc": self._desc,
                   "schema": self._schema}]
        for s, path in enumerate(self._paths):
            header = {"header_size": self._header_size, "page": self._shards[s]["pages"],
                      "page_size": self._page_size,
                      "compression_size": max(self._compression, 0), "schema": schema,
                      "shard_addresses": addresses, "shard_id": s, "statistics": None,
                      "version": "3.0"}
            if self._index:
                header["index_fields"] = [{"index_field": k, "schema_id": 0}
                                          for k in self._index]
            text = fmt.header_bytes(header)
            if len(text) + 8 > self._header_size:
                raise RuntimeError("Shard header is too big (%d bytes); set_header_size "
                                   "larger" % (len(text) + 8))
            with open(path, "r+b") as fh:
                fh.write(struct.pack("<Q", len(text)) + text)
                fh.write(b"\0" * (self._header_size - 8 - len(text)))
            self._write_db(s, path)
        return 0

    def _write_db(self, s: int, path: str) -> None:
        if os.path.exists(path + ".db"):
            os.remove(path + ".db")
        con = sqlite3.connect(path + ".db")
        try:
            cols = "".join(",INC_%d INT, %s_0 %s" % (k, name, fmt.SQL_TYPE[self._schema[name]["type"]])
                           for k, name in enumerate(self._index))
            keys = "".join(",INC_%d" % k for k in range(len(self._index)))
            con.execute(
                "CREATE TABLE INDEXES(  ROW_ID               INT  NOT NULL, PAGE_ID_RAW          "
                "INT  NOT NULL, PAGE_OFFSET_RAW      INT  NOT NULL, PAGE_OFFSET_RAW_END  INT  "
                "NOT NULL, ROW_GROUP_ID         INT  NOT NULL, PAGE_ID_BLOB         INT  NOT "
                "NULL, PAGE_OFFSET_BLOB     INT  NOT NULL, PAGE_OFFSET_BLOB_END INT  NOT NULL"
                "%s, PRIMARY KEY(ROW_ID%s))" % (cols, keys))
            con.execute("CREATE TABLE SHARD_NAME(NAME TEXT NOT NULL)")
            con.execute("INSERT INTO SHARD_NAME VALUES (?)", (os.path.basename(path),))
            marks = ",".join("?" * (8 + 2 * len(self._index)))
            for entry in self._shards[s]["index"]:
                values = list(entry[:8])
                for name in self._index:
                    v = entry[8][name]
                    values += [0, v.item() if isinstance(v, np.generic) else v]
                con.execute("INSERT INTO INDEXES VALUES (%s)" % marks, values)
            con.commit()
        finally:
            con.close()

    def open_for_append(self, file_name):
        """Reopen a committed file set to append rows (its schema and index kept)."""
        paths = fmt.shard_paths(file_name)
        first = fmt.read_header(paths[0])
        self._paths = paths
        self._schema = first["schema"][0]["schema"]
        self._desc = first["schema"][0].get("desc", "")
        self._index = [f["index_field"] for f in first.get("index_fields", [])]
        self._header_size, self._page_size = first["header_size"], first["page_size"]
        self._compression = first.get("compression_size", 0)
        self._shards = []
        for p in paths:
            header = fmt.read_header(p)
            con = sqlite3.connect(p + ".db")
            try:
                names = ", ".join("%s_0" % k for k in self._index)
                rows = con.execute("SELECT ROW_ID, PAGE_ID_RAW, PAGE_OFFSET_RAW, "
                                   "PAGE_OFFSET_RAW_END, ROW_GROUP_ID, PAGE_ID_BLOB, "
                                   "PAGE_OFFSET_BLOB, PAGE_OFFSET_BLOB_END%s FROM INDEXES "
                                   "ORDER BY ROW_ID" % (", " + names if names else "")).fetchall()
            finally:
                con.close()
            index = [tuple(r[:8]) + (dict(zip(self._index, r[8:])),) for r in rows]
            self._shards.append({"pages": header["page"], "index": index})
        self._append = self._opened = True
        return 0
