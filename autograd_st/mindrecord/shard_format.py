"""MindRecord's bytes, as MindSpore 2.10's C++ shard writer lays them out (read from its
``mindspore/ccsrc/minddata/mindrecord/`` sources and measured on files it wrote).

A shard is two files: the data file and ``<data file>.db``, a SQLite index.

- Data file: an 8-byte little-endian length, then the header (compact JSON: schema, index
  fields, pages, sizes, ``shard_addresses``), zero-padded to ``header_size``; then pages of
  ``page_size`` bytes each, page ``k`` at ``header_size + k * page_size`` (the last page is
  not padded).  A BLOB_DATA page holds rows' blobs, a RAW_DATA page rows' raw fields.
- A blob row: an 8-byte little-endian length, then the blob fields in name order: one field
  is stored bare; several each get an 8-byte *big*-endian length first.  When the schema has
  an int32/int64 array field, every such blob field is stored compressed: a 4-byte
  big-endian count, a bitmap of 2 bits per element (its width: int8, int16, int32, int64;
  first element in the high bits), then each element little-endian in that width.  No blob
  field: 4 zero bytes per row.
- A raw row: an 8-byte little-endian length, then MessagePack (nlohmann's ``to_msgpack``) of
  the map of the non-blob fields in name order; ``{"id": 0}`` when every field is a blob.
- ``.db``: table INDEXES (ROW_ID, the raw and blob pages and offsets of each row, its row
  group, and per index field ``INC_k`` and ``<field>_0``) and SHARD_NAME.

Takes: numpy, json, struct, sqlite3.  Gives: the encoders and decoders the writer and the
readers (``FileReader``, ``dataset.MindDataset``) share.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import struct

import numpy as np

TYPES = ("int32", "int64", "float32", "float64", "string", "bytes")
NUMPY = {"int32": np.int32, "int64": np.int64, "float32": np.float32, "float64": np.float64}
SQL_TYPE = {"int32": "INTEGER", "int64": "INTEGER", "float32": "REAL", "float64": "REAL",
            "string": "TEXT"}
FIELD_NAME = re.compile(r"^[0-9a-zA-Z_]+$")
_WIDTHS = (("<i1", 1), ("<i2", 2), ("<i4", 4), ("<i8", 8))


# ---------------------------------------------------------------------------------------
# MessagePack: the subset nlohmann's to_msgpack writes for a map of scalars
# ---------------------------------------------------------------------------------------

def _pack_int(n: int) -> bytes:
    if n >= 0:
        if n < 128:
            return bytes([n])
        for code, fmt, top in ((0xcc, ">B", 1 << 8), (0xcd, ">H", 1 << 16),
                               (0xce, ">I", 1 << 32), (0xcf, ">Q", 1 << 64)):
            if n < top:
                return bytes([code]) + struct.pack(fmt, n)
        raise OverflowError(n)
    if n >= -32:
        return struct.pack(">b", n)
    for code, fmt, low in ((0xd0, ">b", -(1 << 7)), (0xd1, ">h", -(1 << 15)),
                           (0xd2, ">i", -(1 << 31)), (0xd3, ">q", -(1 << 63))):
        if n >= low:
            return bytes([code]) + struct.pack(fmt, n)
    raise OverflowError(n)


def _pack_str(s: str) -> bytes:
    b = s.encode("utf-8")
    n = len(b)
    if n < 32:
        head = bytes([0xa0 | n])
    elif n < 1 << 8:
        head = b"\xd9" + struct.pack(">B", n)
    elif n < 1 << 16:
        head = b"\xda" + struct.pack(">H", n)
    else:
        head = b"\xdb" + struct.pack(">I", n)
    return head + b


def pack(value) -> bytes:
    """MessagePack of a map of str / int / float (a float as float32 when it round-trips
    exactly, as nlohmann writes it)."""
    if isinstance(value, dict):
        n = len(value)
        head = bytes([0x80 | n]) if n < 16 else (b"\xde" + struct.pack(">H", n))
        return head + b"".join(_pack_str(k) + pack(v) for k, v in value.items())
    if isinstance(value, bool):
        return b"\xc3" if value else b"\xc2"
    if isinstance(value, (int, np.integer)):
        return _pack_int(int(value))
    if isinstance(value, (float, np.floating)):
        x = float(value)
        f32 = np.float32(x)
        if np.isfinite(f32) and float(f32) == x:
            return b"\xca" + struct.pack(">f", x)
        return b"\xcb" + struct.pack(">d", x)
    if isinstance(value, str):
        return _pack_str(value)
    if value is None:
        return b"\xc0"
    raise TypeError("cannot store %r in a MindRecord raw field" % (value,))


_FIXED = {0xcc: ">B", 0xcd: ">H", 0xce: ">I", 0xcf: ">Q", 0xd0: ">b", 0xd1: ">h",
          0xd2: ">i", 0xd3: ">q", 0xca: ">f", 0xcb: ">d"}
_STR_LEN = {0xd9: ">B", 0xda: ">H", 0xdb: ">I", 0xc4: ">B", 0xc5: ">H", 0xc6: ">I"}


def unpack(data: bytes, at: int = 0):
    """(value, next offset) of the MessagePack value at ``at``."""
    c = data[at]
    at += 1
    if c < 0x80:
        return c, at
    if c >= 0xe0:
        return c - 256, at
    if 0x80 <= c <= 0x8f or c in (0xde, 0xdf):
        if c <= 0x8f:
            n = c & 0x0f
        else:
            fmt = ">H" if c == 0xde else ">I"
            n = struct.unpack_from(fmt, data, at)[0]
            at += struct.calcsize(fmt)
        out = {}
        for _ in range(n):
            k, at = unpack(data, at)
            out[k], at = unpack(data, at)
        return out, at
    if 0x90 <= c <= 0x9f or c in (0xdc, 0xdd):
        if c <= 0x9f:
            n = c & 0x0f
        else:
            fmt = ">H" if c == 0xdc else ">I"
            n = struct.unpack_from(fmt, data, at)[0]
            at += struct.calcsize(fmt)
        items = []
        for _ in range(n):
            v, at = unpack(data, at)
            items.append(v)
        return items, at
    if 0xa0 <= c <= 0xbf or c in _STR_LEN:
        if c <= 0xbf:
            n = c & 0x1f
        else:
            n = struct.unpack_from(_STR_LEN[c], data, at)[0]
            at += struct.calcsize(_STR_LEN[c])
        raw = bytes(data[at:at + n])
        return (raw if c in (0xc4, 0xc5, 0xc6) else raw.decode("utf-8")), at + n
    if c in _FIXED:
        v = struct.unpack_from(_FIXED[c], data, at)[0]
        return v, at + struct.calcsize(_FIXED[c])
    if c in (0xc0, 0xc2, 0xc3):
        return {0xc0: None, 0xc2: False, 0xc3: True}[c], at
    raise ValueError("MindRecord raw data: MessagePack code 0x%02x is not supported" % c)


# ---------------------------------------------------------------------------------------
# schema and blobs
# ---------------------------------------------------------------------------------------

def blob_fields(schema: dict) -> list:
    """The fields stored in blobs (bytes, and every field with a shape), in name order."""
    return sorted(k for k, v in schema.items() if v["type"] == "bytes" or "shape" in v)


def compresses(schema: dict) -> bool:
    """Whether the blobs' integer arrays are stored compressed (an int array field exists)."""
    return any(v["type"] in ("int32", "int64") and "shape" in v for v in schema.values())


def compress_ints(values: np.ndarray) -> bytes:
    """An int32/int64 array as the shard writer compresses it."""
    flat = np.asarray(values).reshape(-1).astype(np.int64)
    n = flat.size
    codes = np.full(n, 3, np.uint8)
    for code, (lo, hi) in enumerate(((-(1 << 7), 1 << 7), (-(1 << 15), 1 << 15),
                                     (-(1 << 31), 1 << 31))):
        fits = (flat >= lo) & (flat < hi) & (codes == 3)
        codes[fits] = code
    bitmap = bytearray((n + 3) // 4)
    for i, code in enumerate(codes.tolist()):
        bitmap[i // 4] |= code << (2 * (3 - i % 4))
    body = b"".join(flat[i:i + 1].astype(_WIDTHS[c][0]).tobytes()
                    for i, c in enumerate(codes.tolist()))
    return struct.pack(">I", n) + bytes(bitmap) + body


def uncompress_ints(data: bytes, dtype) -> np.ndarray:
    n = struct.unpack_from(">I", data, 0)[0]
    at = 4 + (n + 3) // 4
    out = np.empty(n, dtype)
    for i in range(n):
        code = (data[4 + i // 4] >> (2 * (3 - i % 4))) & 3
        fmt, width = _WIDTHS[code]
        out[i] = np.frombuffer(data, fmt, 1, at)[0]
        at += width
    return out


def encode_blob(schema: dict, fields: list, row: dict) -> bytes:
    """One row's blob (without its 8-byte length)."""
    if not fields:
        return b"\0\0\0\0"
    packed = compresses(schema)
    parts = []
    for name in fields:
        spec, value = schema[name], row[name]
        if spec["type"] == "bytes":
            part = bytes(value)
        else:
            arr = np.asarray(value, NUMPY[spec["type"]])
            part = compress_ints(arr) if packed and spec["type"] in ("int32", "int64") \
                else arr.tobytes()
        parts.append(part)
    if len(parts) == 1:
        return parts[0]
    return b"".join(struct.pack(">Q", len(p)) + p for p in parts)


def decode_blob(schema: dict, fields: list, blob: bytes) -> dict:
    """The blob fields of one row: bytes, or numpy arrays in the schema's shape."""
    if len(fields) == 1:
        parts = [blob]
    else:
        parts, at = [], 0
        for _ in fields:
            n = struct.unpack_from(">Q", blob, at)[0]
            parts.append(blob[at + 8:at + 8 + n])
            at += 8 + n
    packed = compresses(schema)
    out = {}
    for name, part in zip(fields, parts):
        spec = schema[name]
        if spec["type"] == "bytes":
            out[name] = bytes(part)
            continue
        dtype = NUMPY[spec["type"]]
        if packed and spec["type"] in ("int32", "int64"):
            arr = uncompress_ints(part, dtype)
        else:
            arr = np.frombuffer(part, dtype).copy()
        out[name] = arr.reshape(spec["shape"])
    return out


# ---------------------------------------------------------------------------------------
# header
# ---------------------------------------------------------------------------------------

def header_bytes(header: dict) -> bytes:
    """The header as the writer serializes it: compact JSON, keys as nlohmann orders them."""
    order = ("header_size", "index_fields", "page", "page_size", "compression_size", "schema",
             "shard_addresses", "shard_id", "statistics", "version")
    ordered = {k: header[k] for k in order if k in header}
    pages = [dict(sorted(p.items())) for p in ordered["page"]]
    ordered["page"] = pages
    return json.dumps(ordered, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def read_header(path: str) -> dict:
    with open(path, "rb") as fh:
        head = fh.read(8)
        if len(head) < 8:
            raise RuntimeError("Invalid file, %s is not a MindRecord file (too short); give "
                               "a file written by mindrecord.FileWriter" % path)
        n = struct.unpack("<Q", head)[0]
        text = fh.read(n)
    try:
        header = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise RuntimeError("Invalid file, %s is not a MindRecord file (its header is not "
                           "MindRecord's JSON: %s); give a file written by "
                           "mindrecord.FileWriter" % (path, exc)) from None
    if not isinstance(header, dict) or "schema" not in header or "page_size" not in header:
        raise RuntimeError("Invalid file, %s is not a MindRecord file (no schema in its "
                           "header)" % path)
    return header


def shard_paths(file_name: str) -> list:
    """Every shard file of the set ``file_name`` belongs to (its header's
    ``shard_addresses``, beside it), in shard order."""
    if not os.path.isfile(file_name):
        raise RuntimeError("The input: %s is not exists." % file_name)
    header = read_header(file_name)
    folder = os.path.dirname(os.path.abspath(file_name))
    return [os.path.join(folder, os.path.basename(a)) for a in header["shard_addresses"]]


class Shard:
    """One shard file opened for reading: its header, schema and row locations."""

    def __init__(self, path: str) -> None:
        if not os.path.isfile(path + ".db"):
            raise RuntimeError("The input: %s.db is not exists." % path)
        self.path = path
        self.header = read_header(path)
        entry = self.header["schema"][0]
        self.schema = entry["schema"]
        self.blobs = list(entry["blob_fields"])
        con = sqlite3.connect("file:%s.db?mode=ro" % path, uri=True)
        try:
            self.rows = con.execute(
                "SELECT PAGE_ID_RAW, PAGE_OFFSET_RAW, PAGE_ID_BLOB, PAGE_OFFSET_BLOB "
                "FROM INDEXES ORDER BY ROW_ID").fetchall()
        finally:
            con.close()

    def read(self, k: int, columns=None) -> dict:
        """Row ``k``: the raw fields (Python int / float / str) then the blob fields."""
        h, p = self.header["header_size"], self.header["page_size"]
        page_raw, off_raw, page_blob, off_blob = self.rows[k]
        with open(self.path, "rb") as fh:
            fh.seek(h + p * page_raw + off_raw)
            n = struct.unpack("<Q", fh.read(8))[0]
            raw, _ = unpack(fh.read(n))
            out = {name: raw[name] for name in sorted(raw) if name in self.schema
                   and name not in self.blobs}
            if self.blobs and (columns is None or any(c in self.blobs for c in columns)):
                fh.seek(h + p * page_blob + off_blob)
                n = struct.unpack("<Q", fh.read(8))[0]
                out.update(decode_blob(self.schema, self.blobs, fh.read(n)))
        return out
