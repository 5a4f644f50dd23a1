"""Checkpoints in MindSpore's ``.ckpt`` format (autograd_st/serialization.py).

The fixtures in tests/fixtures/checkpoints were written by real MindSpore 2.10
(``tools/make_ckpt_fixtures.py``), with ``ms_expected.json`` holding what MindSpore's own
``load_checkpoint`` / ``load_param_into_net`` returned for them.  That files written here load
in MindSpore is checked by ``tools/check_ckpt_in_mindspore.py`` (in the side venv); here, that
they are byte-for-byte the files MindSpore writes for the same values.
"""
from __future__ import annotations

import json
import os
import stat

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Parameter, Tensor, nn
from autograd_st.errors import CheckpointError, CheckpointMismatchError
from autograd_st.serialization import _decode_records

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "checkpoints")
DENSE_BN = os.path.join(HERE, "ms_dense_bn.ckpt")
TYPES = os.path.join(HERE, "ms_types.ckpt")
with open(os.path.join(HERE, "ms_expected.json"), encoding="utf-8") as _fh:
    EXPECTED = json.load(_fh)
RUNS = EXPECTED["load_param_into_net"]


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.dense = nn.Dense(3, 2)
        self.bn = nn.BatchNorm1d(2)

    def construct(self, x):
        return self.bn(self.dense(x))


def _read(path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _values(net) -> dict:
    return {p.name: p.asnumpy().copy() for p in net.get_parameters()}


def _check_entry(value, entry):
    if "str" in entry:
        assert value == entry["str"]
        return
    assert isinstance(value, Parameter)
    arr = value.asnumpy()
    assert str(arr.dtype) == entry["dtype"] and list(arr.shape) == entry["shape"]
    np.testing.assert_array_equal(arr.astype(np.float64).ravel(), entry["data"])


@pytest.mark.parametrize("name", ["ms_dense_bn.ckpt", "ms_types.ckpt"])
def test_load_mindspore_file(name):
    loaded = ms.load_checkpoint(os.path.join(HERE, name))
    assert list(loaded) == EXPECTED[name + ":order"]
    for key, value in loaded.items():
        _check_entry(value, EXPECTED[name][key])
        if isinstance(value, Parameter):
            assert value.name == key and value.requires_grad


def test_load_into_net_same_names():
    net = Net()
    assert ms.load_param_into_net(net, ms.load_checkpoint(DENSE_BN)) == tuple(RUNS["same_net"])
    for p in net.get_parameters():
        _check_entry(p, EXPECTED["ms_dense_bn.ckpt"][p.name])
    assert p.requires_grad  # bn.beta keeps the net's flag
    assert not net.bn.moving_mean.requires_grad
    np.testing.assert_array_equal(net.bn.moving_mean.asnumpy(), [0.25, -1.5])


def test_load_checkpoint_with_net_and_prefixes():
    net = Net()
    before = net.bn.gamma.asnumpy().copy()
    got = ms.load_checkpoint(DENSE_BN, net=net, filter_prefix="bn.")
    assert list(got) == RUNS["filter"]
    np.testing.assert_allclose(net.dense.bias.asnumpy(), RUNS["filter_bias"], rtol=1e-7)
    np.testing.assert_array_equal(net.bn.gamma.asnumpy(), before)
    assert list(ms.load_checkpoint(DENSE_BN, specify_prefix=["bn.g", "dense.b"])) == \
        RUNS["specify"]
    assert list(ms.load_checkpoint(DENSE_BN, choice_func=lambda n: n.endswith("beta"))) == \
        ["bn.beta"]


def test_load_param_into_net_prefix_search_as_mindspore():
    loaded = ms.load_checkpoint(DENSE_BN)
    dense = nn.Dense(3, 2)
    assert dense.weight.name == "weight"
    result = ms.load_param_into_net(dense, loaded)
    assert [list(r) for r in result] == RUNS["standalone_dense"]
    np.testing.assert_allclose(dense.weight.asnumpy().ravel(), RUNS["standalone_dense_values"],
                               rtol=1e-7)
    strict = ms.load_param_into_net(nn.Dense(3, 2), loaded, strict_load=True)
    assert [list(r) for r in strict] == RUNS["standalone_dense_strict"]
    part = {k: v for k, v in loaded.items() if k.startswith("bn.")}
    assert [list(r) for r in ms.load_param_into_net(Net(), part)] == RUNS["partial"]


def test_bytes_equal_mindspores(tmp_path):
    """What autograd_st writes for MindSpore's values is MindSpore's file, byte for byte."""
    net = Net()
    ms.load_param_into_net(net, ms.load_checkpoint(DENSE_BN))
    ms.save_checkpoint(net, str(tmp_path / "net"))  # ".ckpt" is appended
    assert _read(tmp_path / "net.ckpt") == _read(DENSE_BN)

    loaded = ms.load_checkpoint(TYPES)
    appended = ("epoch_num", "lr", "flag", "note")
    entries = [{"name": k, "data": Tensor(v.asnumpy())} for k, v in loaded.items()
               if k not in appended]
    ms.save_checkpoint(entries, str(tmp_path / "types.ckpt"), crc_check=True,
                       append_dict={"epoch_num": 7, "lr": 0.125, "flag": True, "note": "héllo"})
    assert _read(tmp_path / "types.ckpt") == _read(TYPES)


def test_round_trip_and_file_mode(tmp_path):
    path = str(tmp_path / "a.ckpt")
    net = Net()
    net.dense.weight.set_data(np.arange(6, dtype=np.float32).reshape(2, 3))
    ms.save_checkpoint(net, path)
    assert stat.S_IMODE(os.stat(path).st_mode) == stat.S_IRUSR  # read-only, as MindSpore
    ms.save_checkpoint(net, path)  # replaces the read-only file
    other = Net()
    assert ms.load_param_into_net(other, ms.load_checkpoint(path)) == ([], [])
    for name, value in _values(net).items():
        np.testing.assert_array_equal(_values(other)[name], value)
    # a list of Parameters, a {name: Tensor} dict, choice_func
    ms.save_checkpoint([net.dense.weight], str(tmp_path / "b.ckpt"))
    assert list(ms.load_checkpoint(str(tmp_path / "b.ckpt"))) == ["dense.weight"]
    ms.save_checkpoint({"x": Tensor(np.array([1.0, 2.0]))}, str(tmp_path / "c.ckpt"))
    np.testing.assert_array_equal(ms.load_checkpoint(str(tmp_path / "c.ckpt"))["x"].asnumpy(),
                                  [1.0, 2.0])
    ms.save_checkpoint(net, str(tmp_path / "d.ckpt"), choice_func=lambda n: "bn" in n)
    assert list(ms.load_checkpoint(str(tmp_path / "d.ckpt"))) == [
        "bn.moving_mean", "bn.moving_variance", "bn.gamma", "bn.beta"]
    # as MindSpore: a value with no elements writes nothing
    ms.save_checkpoint([{"name": "e", "data": Tensor(np.zeros((0, 2), np.float32))},
                        {"name": "f", "data": Tensor(np.ones(1, np.float32))}],
                       str(tmp_path / "e.ckpt"))
    assert list(ms.load_checkpoint(str(tmp_path / "e.ckpt"))) == ["f"]


def _record_ends(data: bytes) -> set:
    """Byte offsets where a whole ``Checkpoint`` message ends (cuts there are valid files)."""
    ends, pos = set(), 0
    while pos < len(data):
        length, shift, i = 0, 0, pos + 1
        while True:
            length |= (data[i] & 0x7F) << shift
            shift += 7
            i += 1
            if not data[i - 1] & 0x80:
                break
        pos = i + length
        ends.add(pos)
    return ends


def test_truncated_file_is_refused_at_every_cut(tmp_path):
    data = _read(DENSE_BN)
    ends = _record_ends(data)
    assert len(ends) == 6 and max(ends) == len(data)
    for cut in range(len(data)):
        path = tmp_path / ("cut%d.ckpt" % cut)
        path.write_bytes(data[:cut])
        if cut in ends:  # a whole prefix of the values: a smaller, valid checkpoint
            assert len(ms.load_checkpoint(str(path))) == sorted(ends).index(cut) + 1
            continue
        with pytest.raises(CheckpointError):
            ms.load_checkpoint(str(path))


@pytest.mark.parametrize("content, match", [
    (b"", "empty"),
    (b"hello world, not a checkpoint\n", "not a MindSpore checkpoint"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a MindSpore checkpoint"),
    (b"\x00" * 64, "not a MindSpore checkpoint"),
    (b"\x0a\x05\x0a\x03abc", "without its name or tensor"),
    (b"\x0a\x0f\x0a\x01w\x12\x0a\x08\x02\x12\x03Foo\x1a\x01\x00", "type 'Foo'"),
    (b"\x0a\x14\x0a\x01w\x12\x0f\x08\x02\x12\x07Float32\x1a\x02\x00\x00", "whole number"),
    (b"\x0a\x16\x0a\x01w\x12\x11\x08\x03\x12\x07Float32\x1a\x04\x00\x00\x00\x00", "shape"),
])
def test_foreign_or_damaged_file_is_refused(tmp_path, content, match):
    path = tmp_path / "bad.ckpt"
    path.write_bytes(content)
    with pytest.raises(CheckpointError, match=match):
        ms.load_checkpoint(str(path))


def test_other_refusals(tmp_path):
    with pytest.raises(CheckpointError, match="does not exist"):
        ms.load_checkpoint(str(tmp_path / "missing.ckpt"))
    with pytest.raises(ValueError, match="format"):
        ms.load_checkpoint(str(tmp_path / "missing.bin"))
    data = bytearray(_read(TYPES))
    data[-20] ^= 1  # a value's byte, under the CRC
    (tmp_path / "crc.ckpt").write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match="crc"):
        ms.load_checkpoint(str(tmp_path / "crc.ckpt"), crc_check=True)
    assert "lr" in ms.load_checkpoint(str(tmp_path / "crc.ckpt"))  # unchecked: as MindSpore
    with pytest.raises(CheckpointError, match="empty"):
        ms.load_checkpoint(DENSE_BN, specify_prefix="nothing")
    assert isinstance(CheckpointError("x"), ValueError)
    assert isinstance(CheckpointMismatchError("x"), RuntimeError)


def test_mismatch_leaves_the_net_unchanged():
    class Wide(nn.Cell):
        def __init__(self):
            super().__init__()
            self.dense = nn.Dense(3, 2)  # fits the checkpoint
            self.bn = nn.BatchNorm1d(4)  # does not

    net = Wide()
    before = _values(net)
    loaded = ms.load_checkpoint(DENSE_BN)
    with pytest.raises(CheckpointMismatchError, match=r"bn.moving_mean.*\(4,\).*\(2,\)"):
        ms.load_param_into_net(net, loaded)
    for name, value in _values(net).items():
        np.testing.assert_array_equal(value, before[name])  # dense.* not loaded either


def test_dtype_conversion_and_strict():
    loaded = {"dense.weight": Parameter(np.full((2, 3), 0.5, np.float64), name="dense.weight"),
              "dense.bias": Parameter(np.array([1.0, 2.0], np.float16), name="dense.bias")}
    net = Net()
    assert ms.load_param_into_net(net, loaded) == (
        ["bn.moving_mean", "bn.moving_variance", "bn.gamma", "bn.beta"], [])
    assert net.dense.weight.asnumpy().dtype == np.float32
    np.testing.assert_array_equal(net.dense.bias.asnumpy(), [1.0, 2.0])
    net = Net()
    before = net.dense.weight.asnumpy().copy()
    with pytest.raises(CheckpointMismatchError, match="same type"):
        ms.load_param_into_net(net, loaded, strict_load=True)
    np.testing.assert_array_equal(net.dense.weight.asnumpy(), before)
    with pytest.raises(CheckpointMismatchError, match="same type"):
        ms.load_param_into_net(Net(), {"dense.bias": Parameter(np.array([1, 2], np.int32))})
    with pytest.raises(TypeError, match="should be a Cell"):
        ms.load_param_into_net({}, loaded)


def test_decoder_reads_slices_and_negative_dims():
    """MindSpore splits values above 512 MiB into records with the same tag; they are joined."""
    from autograd_st.serialization import _value_message, decode_checkpoint
    a = np.arange(6, dtype=np.float32)
    data = (_value_message("w", [2, 3], "Float32", a[:4].tobytes())
            + _value_message("w", [2, 3], "Float32", a[4:].tobytes()))
    np.testing.assert_array_equal(decode_checkpoint(data)["w"], a.reshape(2, 3))
    assert _decode_records(_value_message("n", [-1], "Float32", b""), "x")[0][1] == [-1]
    with pytest.raises(CheckpointError, match="shape"):
        decode_checkpoint(_value_message("n", [-1], "Float32", b""))
    bf16 = np.array([1.5, -2.0], np.float32).view(np.uint32) >> 16
    got = decode_checkpoint(_value_message("h", [2], "BFloat16",
                                           bf16.astype(np.uint16).tobytes()))["h"]
    np.testing.assert_array_equal(got, [1.5, -2.0])
