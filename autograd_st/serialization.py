"""Checkpoints in MindSpore's own ``.ckpt`` format: ``save_checkpoint``, ``load_checkpoint``,
``load_param_into_net``.

Takes: Cells and Parameters (:mod:`autograd_st.cell`, :mod:`autograd_st.tensor`).
Gives: files that MindSpore 2.10 reads, and Parameters from files MindSpore wrote.

The file is MindSpore's ``checkpoint.proto`` (proto2), encoded and decoded here by hand (no
protobuf dependency)::

    message Checkpoint {
      message Value {
        required string tag = 1;                       // the Parameter's name
        oneof value { TensorProto tensor = 2; MapTensorProto maptensor = 3; }
      }
      repeated Value value = 1;
    }
    message TensorProto {
      repeated int64 dims = 1;                         // not packed: one varint field each
      required string tensor_type = 2;                 // "Float32", "Int64", "Bool", "str" ...
      required bytes tensor_content = 3;               // the values, little-endian, C order
    }

MindSpore writes one ``Checkpoint`` message per value (concatenated messages are one message
in protobuf), splitting a value above 512 MiB into slices with the same tag; the reader here
joins slices as MindSpore does.  A file that ends in ``b"crc_num"`` and 10 big-endian bytes
carries a CRC-32 of what precedes it (``crc_check=True``).

What differs from MindSpore: no encryption (``enc_key``/``dec_key``), no ``safetensors``
format, no MapParameters, no asynchronous saving (each refuses with a clear error);
``BFloat16`` values load as float32.  A file that is not a whole checkpoint is refused with
:class:`~autograd_st.errors.CheckpointError` before anything is returned, and
``load_param_into_net`` checks every parameter before it changes any, so a failed load leaves
the net as it was (MindSpore may stop halfway).
"""
from __future__ import annotations

import binascii
import os
import stat
from collections import OrderedDict
from typing import Any

import numpy as np

from .cell import Cell
from .errors import CheckpointError, CheckpointMismatchError
from .mpi_backend import job_rank
from .tensor import Parameter, Tensor

__all__ = ["save_checkpoint", "load_checkpoint", "load_param_into_net", "encode_checkpoint",
           "decode_checkpoint"]

#: MindSpore's ``tensor_type`` strings and their numpy dtypes (BFloat16 is read specially).
TYPES = OrderedDict([
    ("Bool", np.bool_), ("Int8", np.int8), ("Int16", np.int16), ("Int32", np.int32),
    ("Int64", np.int64), ("UInt8", np.uint8), ("UInt16", np.uint16), ("UInt32", np.uint32),
    ("UInt64", np.uint64), ("Float16", np.float16), ("Float32", np.float32),
    ("Float64", np.float64)])
_NAME_OF = {np.dtype(v): k for k, v in TYPES.items()}
_CRC_MARK = b"crc_num"


# ---------------------------------------------------------------------------------------
# protobuf wire format
# ---------------------------------------------------------------------------------------

def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1  # int64 dims: two's complement in 10 bytes, as protobuf writes them
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def _tensor_proto(dims, type_name: str, content: bytes) -> bytes:
    out = b"".join(_varint(1 << 3 | 0) + _varint(int(d)) for d in dims)
    return out + _field(2, type_name.encode()) + _field(3, content)


def _value_message(tag: str, dims, type_name: str, content: bytes) -> bytes:
    """One ``Checkpoint`` message holding one ``Value`` (what MindSpore writes per value)."""
    value = _field(1, tag.encode("utf-8")) + _field(2, _tensor_proto(dims, type_name, content))
    return _field(1, value)


class _Reader:
    """Reads protobuf fields from ``data[start:end]``; any inconsistency is a CheckpointError."""

    def __init__(self, data: bytes, start: int, end: int, where: str) -> None:
        self.data, self.pos, self.end, self.where = data, start, end, where

    def fail(self, what: str):
        raise CheckpointError("%s is not a MindSpore checkpoint (or is truncated): %s at byte %d. "
                              "Save it again with save_checkpoint." % (self.where, what, self.pos))

    def varint(self) -> int:
        shift = result = 0
        while True:
            if self.pos >= self.end:
                self.fail("a number runs past the end")
            byte = self.data[self.pos]
            self.pos += 1
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7
            if shift >= 70:
                self.fail("a number longer than 10 bytes")

    def fields(self, allowed: dict):
        """``(number, value)`` per field: a length-delimited field gives ``(start, end)``, a
        varint field its value; ``allowed`` maps field numbers to their wire types."""
        while self.pos < self.end:
            key = self.varint()
            number, wire = key >> 3, key & 7
            if allowed.get(number) != wire:
                self.fail("field %d of wire type %d is not in the checkpoint format"
                          % (number, wire))
            if wire == 0:
                yield number, self.varint()
            else:
                length = self.varint()
                if self.pos + length > self.end:
                    self.fail("a field of %d bytes runs past the end" % length)
                yield number, (self.pos, self.pos + length)
                self.pos += length


def _int64(n: int) -> int:
    return n - (1 << 64) if n >= 1 << 63 else n


def _decode_records(data: bytes, where: str) -> list:
    """``[(tag, dims, type_name, content)]`` in file order."""
    records = []
    top = _Reader(data, 0, len(data), where)
    for _num, (vs, ve) in top.fields({1: 2}):
        tag = dims = type_name = content = None
        for num, span in _Reader(data, vs, ve, where).fields({1: 2, 2: 2, 3: 2}):
            if num == 1:
                tag = data[span[0]:span[1]].decode("utf-8", "replace")
            elif num == 3:
                raise CheckpointError("%s holds a MapParameter (%r), which autograd_st cannot "
                                      "load" % (where, tag))
            else:
                dims, type_name, content = [], None, None
                inner = _Reader(data, span[0], span[1], where)
                for n2, v2 in inner.fields({1: 0, 2: 2, 3: 2}):
                    if n2 == 1:
                        dims.append(_int64(v2))
                    elif n2 == 2:
                        type_name = data[v2[0]:v2[1]].decode("ascii", "replace")
                    else:
                        content = bytes(data[v2[0]:v2[1]])
                if type_name is None or content is None:
                    top.fail("a tensor without its type or content")
        if tag is None or type_name is None:
            top.fail("a value without its name or tensor")
        records.append((tag, dims, type_name, content))
    return records


def _array(tag: str, dims: list, type_name: str, content: bytes, where: str):
    if type_name == "str":
        return str(np.frombuffer(content, "U%d" % (len(content) // 4))[0]) if content else ""
    if dims == [0]:
        dims = []
    if type_name == "BFloat16":
        bits = np.frombuffer(content, np.uint16).astype(np.uint32) << 16
        flat = bits.view(np.float32)
    elif type_name in TYPES:
        dtype = np.dtype(TYPES[type_name]).newbyteorder("<")
        if len(content) % dtype.itemsize:
            raise CheckpointError("%s: value %r has %d bytes, not a whole number of %s values; "
                                  "the file is truncated or damaged" % (where, tag, len(content),
                                                                        type_name))
        flat = np.frombuffer(content, dtype).astype(dtype.newbyteorder("="))
    else:
        raise CheckpointError("%s: value %r has type %r, which autograd_st cannot load (it "
                              "reads %s, BFloat16 and str)" % (where, tag, type_name,
                                                               ", ".join(TYPES)))
    if any(d < 0 for d in dims) or flat.size != int(np.prod(dims, dtype=np.int64)):
        raise CheckpointError("%s: value %r has %d values for the shape %s; the file is "
                              "truncated or damaged" % (where, tag, flat.size, tuple(dims)))
    return flat.reshape(dims)


def decode_checkpoint(data: bytes, where: str = "the checkpoint") -> "OrderedDict[str, Any]":
    """``{name: numpy array or str}`` from the bytes of a ``.ckpt`` file (slices joined)."""
    if data[-17:-10] == _CRC_MARK:
        data = data[:-17]
    joined: OrderedDict = OrderedDict()
    for tag, dims, type_name, content in _decode_records(data, where):
        if tag in joined and joined[tag][1] == type_name:  # a slice of a large value
            joined[tag][2].append(content)
        else:
            joined[tag] = [dims, type_name, [content]]
    return OrderedDict((tag, _array(tag, dims, t, b"".join(parts), where))
                       for tag, (dims, t, parts) in joined.items())


def encode_checkpoint(items) -> bytes:
    """The bytes of a ``.ckpt`` file holding ``items``: ``(name, numpy array or str)`` pairs.

    As MindSpore, a value with no elements writes nothing (it is not in the file)."""
    out = []
    for name, value in items:
        if isinstance(value, str):
            out.append(_value_message(name, [0], "str", np.array(value).tobytes()))
            continue
        arr = np.asarray(value)  # (ascontiguousarray would make a 0-d value 1-d)
        type_name = _NAME_OF.get(arr.dtype.newbyteorder("="))
        if type_name is None:
            raise TypeError("save_checkpoint: %r has dtype %s, which MindSpore's checkpoint "
                            "format has no name for" % (name, arr.dtype))
        if arr.size:
            out.append(_value_message(name, arr.shape, type_name,
                                      arr.astype(arr.dtype.newbyteorder("<")).tobytes()))
    return b"".join(out)


# ---------------------------------------------------------------------------------------
# the MindSpore API
# ---------------------------------------------------------------------------------------

def _save_items(save_obj, append_dict, choice_func) -> list:
    def keep(name):
        return choice_func is None or choice_func(name)

    if isinstance(save_obj, Cell):
        # by name: Parameters sharing one (auto_prefix=False) are saved once, the later one
        # at the place of the first, as MindSpore 2.10 saves them
        items = [(name, p.asnumpy()) for name, p in save_obj.parameters_dict().items()]
    elif isinstance(save_obj, dict):
        items = [(k, np.asarray(v.asnumpy() if isinstance(v, Tensor) else v))
                 for k, v in save_obj.items()]
    elif isinstance(save_obj, list):
        items = []
        for entry in save_obj:
            if isinstance(entry, Parameter):
                items.append((entry.name, entry.asnumpy()))
            elif isinstance(entry, dict) and "name" in entry and "data" in entry:
                if not isinstance(entry["name"], str) or not isinstance(entry["data"], Tensor):
                    raise TypeError("For save_checkpoint, a list entry {'name': str, 'data': "
                                    "Tensor} is expected, got %r" % (entry,))
                items.append((entry["name"], entry["data"].asnumpy()))
            else:
                raise TypeError("For save_checkpoint, save_obj should be a list of Parameters "
                                "or of dicts with keys 'name' and 'data', got %r" % (entry,))
    else:
        raise TypeError("For 'save_checkpoint', the parameter 'save_obj' must be nn.Cell, list "
                        "or dict, but got %s." % type(save_obj))
    items = [(k, v) for k, v in items if keep(k)]
    for key, value in (append_dict or {}).items():
        if not isinstance(key, str) or not isinstance(value, (int, float, bool, str, Tensor)):
            raise TypeError("For 'save_checkpoint', append_dict maps str to int, float, bool, "
                            "str or Tensor; got %r: %r" % (key, value))
        if isinstance(value, Tensor):
            value = value.asnumpy()
        elif isinstance(value, bool):
            value = np.array(value)
        elif isinstance(value, int):
            value = np.array(value, np.int64)  # MindSpore: Tensor(3) is Int64
        elif isinstance(value, float):
            value = np.array(value, np.float32)  # Tensor(0.5) is Float32
        items.append((key, value))
    return items


def save_checkpoint(save_obj, ckpt_file_name, integrated_save=True, async_save=False,
                    append_dict=None, enc_key=None, enc_mode="AES-GCM", choice_func=None,
                    crc_check=False, format="ckpt", **kwargs) -> None:
    """MindSpore's ``mindspore.save_checkpoint``: write a Cell's Parameters (or a list of
    Parameters, of ``{"name": str, "data": Tensor}`` dicts, or a ``{name: Tensor}`` dict) to
    ``ckpt_file_name`` (``.ckpt`` is appended when missing) in MindSpore's format.

    As MindSpore: names are the Parameters' names, ``append_dict`` values are added (int as
    Int64, float as Float32, bool, str, Tensor), ``choice_func(name)`` selects, ``crc_check``
    appends a CRC-32, an existing file is replaced and the file is left read-only (0400).
    Differs: ``enc_key``, ``async_save=True`` and ``format='safetensors'`` are refused; in
    a job of several processes (``mpiexec``) rank 0 alone writes, the other ranks return
    without writing (MindSpore writes on every rank).
    """
    if format != "ckpt":
        raise ValueError("save_checkpoint: autograd_st writes format='ckpt' only, got %r"
                         % (format,))
    if enc_key is not None or async_save:
        raise NotImplementedError("save_checkpoint: encryption (enc_key) and async_save are "
                                  "not supported by autograd_st; save without them")
    if not isinstance(ckpt_file_name, str):
        raise TypeError("For 'save_checkpoint', 'ckpt_file_name' must be a string, but got %s."
                        % type(ckpt_file_name))
    path = os.path.realpath(ckpt_file_name)
    if os.path.isdir(path):
        raise IsADirectoryError("For 'save_checkpoint', the parameter `ckpt_file_name`: %s is "
                                "a directory, it must be a file name." % path)
    if not path.endswith(format):
        path += "." + format
    if job_rank() != 0:
        return  # rank 0 alone writes checkpoints (data-parallel ranks hold the same values)
    data = encode_checkpoint(_save_items(save_obj, append_dict, choice_func))
    if crc_check:
        data += _CRC_MARK + binascii.crc32(data).to_bytes(10, "big")
    tmp = path[:-len(".ckpt")] + ".tmp" if path.endswith(".ckpt") else path + ".tmp"
    for old in (path, tmp):
        if os.path.exists(old):
            os.chmod(old, stat.S_IWUSR)
            os.remove(old)
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.rename(tmp, path)
    os.chmod(path, stat.S_IRUSR)


def _prefixes(prefix, what: str) -> tuple:
    if prefix is None:
        return ()
    items = (prefix,) if isinstance(prefix, str) else tuple(prefix)
    if not items or not all(isinstance(p, str) and p for p in items):
        raise TypeError("For 'load_checkpoint', %s must be a non-empty str or a list/tuple of "
                        "them, got %r" % (what, prefix))
    return items


def load_checkpoint(ckpt_file_name, net=None, strict_load=False, filter_prefix=None,
                    dec_key=None, dec_mode="AES-GCM", specify_prefix=None, choice_func=None,
                    crc_check=False, remove_redundancy=False, format="ckpt") -> dict:
    """MindSpore's ``mindspore.load_checkpoint``: ``{name: Parameter}`` (a ``str`` for
    string values of ``append_dict``) from a ``.ckpt`` file, in file order; with ``net``,
    also :func:`load_param_into_net` (``strict_load`` passed on).

    ``specify_prefix`` / ``filter_prefix`` keep / drop names starting with them (either
    overrides ``choice_func``); ``crc_check=True`` verifies the file's CRC-32.  The file name
    must end in ``.ckpt`` (MindSpore's check).  A truncated, damaged or foreign file raises
    :class:`~autograd_st.errors.CheckpointError` (a ValueError, as MindSpore's); so does a
    file that leaves nothing to load.  Differs: ``dec_key`` and ``format='safetensors'`` are
    refused.
    """
    if format != "ckpt":
        raise ValueError("load_checkpoint: autograd_st reads format='ckpt' only, got %r"
                         % (format,))
    if dec_key is not None:
        raise NotImplementedError("load_checkpoint: encrypted checkpoints (dec_key) are not "
                                  "supported by autograd_st")
    if not isinstance(ckpt_file_name, str):
        raise TypeError("For 'load_checkpoint', the argument 'ckpt_file_name' must be string, "
                        "but got %s." % type(ckpt_file_name))
    if not ckpt_file_name.endswith(format):
        raise ValueError("For 'load_checkpoint', the checkpoint file format must same with "
                         "'format', but got file_name:'%s', format:'%s'" % (ckpt_file_name,
                                                                            format))
    path = os.path.realpath(ckpt_file_name)
    if not os.path.exists(path):
        raise CheckpointError("For 'load_checkpoint', the checkpoint file: %s does not exist, "
                              "please check whether the 'ckpt_file_name' is correct." % path)
    with open(path, "rb") as fh:
        data = fh.read()
    if data[-17:-10] == _CRC_MARK and crc_check:
        if binascii.crc32(data[:-17]) != int.from_bytes(data[-10:], "big"):
            raise CheckpointError("For 'load_checkpoint', the crc check of %s failed: the file "
                                  "is damaged" % path)
    values = decode_checkpoint(data, path)
    specify, filt = _prefixes(specify_prefix, "specify_prefix"), _prefixes(filter_prefix,
                                                                           "filter_prefix")
    use_choice = not specify and not filt and choice_func is not None
    out = OrderedDict()
    for tag, value in values.items():
        if specify and not tag.startswith(specify):
            continue
        if filt and tag.startswith(filt):
            continue
        if use_choice and not choice_func(tag):
            continue
        out[tag] = value if isinstance(value, str) else Parameter(value, name=tag)
    if not out:
        raise CheckpointError("%s: the loaded parameter dict is empty (the file holds no values, "
                              "or 'filter_prefix'/'specify_prefix'/'choice_func' dropped them "
                              "all)" % path)
    if net is not None:
        load_param_into_net(net, out, strict_load)
    return dict(out)


_FLOATS = {np.dtype(t) for t in (np.float16, np.float32, np.float64)}
_INTS = {np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64)}


def _checked_value(param: Parameter, new, strict_load: bool):
    """What ``param`` will hold after loading ``new``; raises before anything changes.  A
    Tensor of ``param``'s shape and dtype is held as it is (MindSpore 2.10, measured: the
    Parameter and the dict's entry then share memory, so two networks loaded from one dict
    train as one); anything else is a converted copy."""
    old = param.asnumpy()
    value = new.asnumpy() if isinstance(new, Tensor) else np.asarray(new)
    if value.shape != old.shape:
        extra = value.shape[old.ndim:]
        if value.ndim > old.ndim and all(d == 1 for d in extra):  # (12, 2048, 1, 1) -> (12, 2048)
            return value.reshape(old.shape).astype(old.dtype)
        raise CheckpointMismatchError(
            "For 'load_param_into_net', %s in the argument 'net' should have the same shape as "
            "%s in the argument 'parameter_dict'. But got its shape %s in the argument 'net' "
            "and shape %s in the argument 'parameter_dict'. Nothing was loaded; check that the "
            "checkpoint is the one for this network." % (param.name, param.name, old.shape,
                                                         value.shape))
    if value.dtype != old.dtype:
        pair = {value.dtype, old.dtype}
        if not strict_load and (pair <= _FLOATS or pair <= _INTS):
            return value.astype(old.dtype)
        raise CheckpointMismatchError(
            "For 'load_param_into_net', %s in the argument 'net' should have the same type as "
            "%s in the argument 'parameter_dict'. but got its type %s in the argument 'net' and "
            "type %s in the argument 'parameter_dict'. Nothing was loaded; check that the "
            "checkpoint is the one for this network." % (
                param.name, param.name, _NAME_OF.get(old.dtype, old.dtype),
                _NAME_OF.get(value.dtype, value.dtype)))
    return new if isinstance(new, Tensor) else value


def load_param_into_net(net, parameter_dict, strict_load=False, remove_redundancy=False):
    """MindSpore's ``mindspore.load_param_into_net``: copy ``parameter_dict``'s values into the
    net's Parameters of the same names; returns ``(param_not_load, ckpt_not_load)``: the net's
    Parameter names that got no value, and the dict's names not matched by name.

    As MindSpore: with ``strict_load=False`` a value of another float (or int) dtype is
    converted, and when some Parameters are not found, the prefix that makes a dict name end
    in a missing Parameter's name is tried for all of them (a standalone ``nn.Dense`` loads
    ``dense.weight`` as ``weight``; such names stay in ``ckpt_not_load``, as in MindSpore).
    A shape or dtype that does not fit raises
    :class:`~autograd_st.errors.CheckpointMismatchError` (a RuntimeError, as MindSpore's).
    Differs: every value is checked before any Parameter changes, so a failed load leaves
    the net as it was.
    """
    if not isinstance(net, Cell):
        raise TypeError("For 'load_param_into_net', the argument 'net' should be a Cell, but "
                        "got %s." % type(net))
    if not isinstance(parameter_dict, dict):
        raise TypeError("For 'load_param_into_net', the argument 'parameter_dict' should be a "
                        "dict, but got %s." % type(parameter_dict))
    for key, value in parameter_dict.items():
        if not isinstance(key, str) or not isinstance(value, (Parameter, str, list)):
            raise TypeError("For 'parameter_dict', the element in the argument 'parameter_dict' "
                            "should be a 'str' and 'Parameter' , but got %s and %s."
                            % (type(key), type(value)))
    strict_load = bool(strict_load)
    params = [p for _, p in net.parameters_and_names()]
    plan, param_not_load, ckpt_not_load = [], [], list(parameter_dict)
    for param in params:
        if param.name in parameter_dict:
            new = parameter_dict[param.name]
            if not isinstance(new, Tensor):  # a str of append_dict: MindSpore skips it
                continue
            plan.append((param, _checked_value(param, new, strict_load)))
            ckpt_not_load.remove(param.name)
        else:
            param_not_load.append(param.name)
    longest = param_not_load[0] if param_not_load else None
    while param_not_load and not strict_load:
        prefix = _missing_prefix(parameter_dict, param_not_load, longest)
        if prefix is None:
            break
        for param in params:
            full = prefix + param.name
            if param.name in param_not_load and full in parameter_dict:
                plan.append((param, _checked_value(param, parameter_dict[full], strict_load)))
                param_not_load.remove(param.name)
    for param, value in plan:
        param.set_data(value)
    return param_not_load, ckpt_not_load


def _missing_prefix(parameter_dict, param_not_load, longest):
    """One round of MindSpore's ``_load_dismatch_prefix_params``: the prefix of the first
    dict name that ends with a not-loaded Parameter's name (None: there is none)."""
    for net_name in param_not_load:
        for dict_name in parameter_dict:
            if dict_name.endswith(net_name):
                prefix = dict_name[:-len(net_name)]
                return prefix if prefix != longest else None
    return None
