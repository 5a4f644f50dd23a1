"""MindRecord files: read the fixtures MindSpore 2.10 wrote (tests/fixtures/mindrecord, with
what MindSpore read from them in expected.json; make_fixtures.py wrote both), and write
files here whose bytes are MindSpore's and that read back with the same rows."""
from __future__ import annotations

import gzip
import json
import pathlib
import shutil
import sqlite3

import numpy as np
import pytest

import autograd_st.dataset as ds
from autograd_st.mindrecord import (
    FileReader,
    FileWriter,
    MindRecordException,
    MRMDefineIndexError,
    MRMInvalidSchemaError,
)

FIX = pathlib.Path(__file__).parent / "fixtures" / "mindrecord"
EXPECTED = json.loads((FIX / "expected.json").read_text())


@pytest.fixture
def files(tmp_path):
    for gz in FIX.glob("*.gz"):
        with gzip.open(gz, "rb") as src, open(tmp_path / gz.name[:-3], "wb") as dst:
            shutil.copyfileobj(src, dst)
    return tmp_path


def _rows(d):
    out = []
    for r in d.create_dict_iterator(output_numpy=True):
        out.append({k: (v.tolist() if v.dtype.kind != "S" else [b.hex() for b in v.tolist()])
                    for k, v in r.items()})
    return out


def _labels(d):
    return [r["label"] for r in _rows(d)]


def _mixed_rows():
    return [{"name": "r%d" % i, "label": i * 10 - 7, "img": bytes(range(i, 3 * i + 1)),
             "f": np.arange(i + 1, dtype=np.float32) / 4, "g": np.full((2, 2), i / 3),
             "big": 2 ** 40 + i, "ia": np.array([i, -300 * i, 70000 * i], np.int32),
             "x": 0.5 * i, "y": 0.1 * i} for i in range(6)]


MIXED_SCHEMA = {"name": {"type": "string"}, "label": {"type": "int32"},
                "img": {"type": "bytes"}, "f": {"type": "float32", "shape": [-1]},
                "g": {"type": "float64", "shape": [2, 2]}, "big": {"type": "int64"},
                "ia": {"type": "int32", "shape": [-1]}, "x": {"type": "float32"},
                "y": {"type": "float64"}}


def test_rows_and_dtypes_of_a_file_mindspore_wrote(files):
    d = ds.MindDataset(str(files / "mixed.mindrecord"), shuffle=False)
    assert _rows(d) == EXPECTED["mixed"]
    first = next(d.create_dict_iterator(output_numpy=True))
    assert {k: str(v.dtype) for k, v in first.items()} == EXPECTED["mixed_dtypes"]
    assert d.get_dataset_size() == 6


def test_shards_order_sharding_columns_and_num_samples(files):
    assert _labels(ds.MindDataset(str(files / "sharded.mindrecord0"), shuffle=False)) == \
        EXPECTED["sharded"]
    assert _labels(ds.MindDataset(str(files / "sharded.mindrecord0"), shuffle=False,
                                  num_shards=3, shard_id=1)) == EXPECTED["shard_1_of_3"]
    d = ds.MindDataset(str(files / "sharded.mindrecord0"), columns_list=["label"],
                       shuffle=False, num_samples=4)
    assert d.get_col_names() == ["label"]
    assert _labels(d) == EXPECTED["columns_label_num4"]


def test_shuffles_under_a_seed_are_mindsporess(files):
    ds.config.set_seed(5)
    try:
        assert _labels(ds.MindDataset(str(files / "sharded.mindrecord1"), shuffle=True)) == \
            EXPECTED["seed5_global"]
        assert _labels(ds.MindDataset(str(files / "sharded.mindrecord0"),
                                      shuffle=ds.Shuffle.FILES)) == EXPECTED["seed5_files"]
        assert _labels(ds.MindDataset(str(files / "sharded.mindrecord0"),
                                      shuffle=ds.Shuffle.INFILE)) == EXPECTED["seed5_infile"]
    finally:
        ds.config.set_seed(ds.config.DEFAULT_SEED)


def test_a_file_written_here_has_mindsporess_bytes(files, tmp_path):
    out = tmp_path / "ours"
    out.mkdir()
    w = FileWriter(str(out / "mixed.mindrecord"))
    w.set_header_size(1 << 14)
    w.set_page_size(1 << 15)
    w.add_schema(MIXED_SCHEMA, "mixed")
    w.add_index(["name", "label"])
    w.write_raw_data(_mixed_rows())
    w.commit()
    ours = (out / "mixed.mindrecord").read_bytes()
    theirs = (files / "mixed.mindrecord").read_bytes()
    assert ours == theirs
    query = "SELECT * FROM INDEXES ORDER BY ROW_ID"
    a = sqlite3.connect(str(out / "mixed.mindrecord.db")).execute(query).fetchall()
    b = sqlite3.connect(str(files / "mixed.mindrecord.db")).execute(query).fetchall()
    assert a == b


def test_round_trip_pages_shards_append(tmp_path):
    name = str(tmp_path / "set.mindrecord")
    w = FileWriter(name, shard_num=3)
    w.set_page_size(1 << 15)
    w.add_schema({"label": {"type": "int64"}, "img": {"type": "bytes"},
                  "v": {"type": "float32", "shape": [-1]}}, "round trip")
    rows = [{"label": i, "img": bytes([i % 251]) * 3000, "v": np.arange(i % 5, dtype=np.float32)}
            for i in range(40)]
    w.write_raw_data(rows[:25])
    w.write_raw_data(rows[25:36])
    w.commit()
    w = FileWriter(name + "0")
    w.open_for_append(name + "1")
    w.write_raw_data(rows[36:])
    w.commit()
    got = list(FileReader(name + "2").get_next())
    assert sorted(r["label"] for r in got) == list(range(40))
    for r in got:
        i = r["label"]
        assert r["img"] == rows[i]["img"]
        np.testing.assert_array_equal(r["v"], rows[i]["v"])
    d = ds.MindDataset(name + "0", shuffle=False)
    assert d.get_dataset_size() == 40
    assert [int(x) for x in _labels(d)] == [r["label"] for r in got]


def test_dataset_save_then_read(tmp_path):
    x = np.arange(12, dtype=np.float32).reshape(6, 2)
    d = ds.NumpySlicesDataset({"x": x, "y": np.arange(6, dtype=np.int32)}, shuffle=False)
    d.save(str(tmp_path / "saved.mindrecord"), 2)
    back = list(ds.MindDataset(str(tmp_path / "saved.mindrecord1"), shuffle=False)
                .create_tuple_iterator(output_numpy=True))
    np.testing.assert_array_equal(np.stack([r[0] for r in back]), x)
    assert [int(r[1]) for r in back] == list(range(6))
    assert back[0][1].dtype == np.int32


def test_errors_as_mindspore_raises_them(tmp_path):
    name = str(tmp_path / "e.mindrecord")
    with pytest.raises(MRMInvalidSchemaError, match="illegal attribute 'int8'"):
        FileWriter(name).add_schema({"a": {"type": "int8"}}, "d")
    with pytest.raises(MindRecordException, match="should be dict"):
        FileWriter(name).add_schema([1], "d")
    w = FileWriter(name)
    w.add_schema({"a": {"type": "int32"}, "b": {"type": "bytes"}}, "d")
    with pytest.raises(MRMDefineIndexError, match="not primitive"):
        w.add_index(["b"])
    with pytest.raises(RuntimeError, match="no valid data"):
        w.write_raw_data([{"a": 1.5, "b": b"x"}])
    w.write_raw_data([{"a": "x", "b": b"1"}, {"a": 2, "b": b"2"}])  # the bad row dropped
    w.commit()
    assert [r["a"] for r in FileReader(name).get_next()] == [2]
    again = FileWriter(name)
    again.add_schema({"a": {"type": "int32"}}, "d")
    with pytest.raises(RuntimeError, match="(?s)already exist.*overwrite"):
        again.write_raw_data([{"a": 1}])
    with pytest.raises(ValueError, match="does not exist"):
        ds.MindDataset(str(tmp_path / "missing.mindrecord"))


def test_minddataset_epochs_reshuffle_the_previous_order(tmp_path):
    """Epoch e's global shuffle reorders epoch e-1's order (MindSpore shuffles its task
    list in place); with num_samples the rows are drawn with replacement from the previous
    epoch's rows, one std::mt19937(seed + 1 + epoch + i) per row (tutorial beginner/dataset
    re-run; MindSpore's values: case tr3_minddataset_epochs)."""
    from autograd_st.dataset import config as cfg
    from autograd_st.mindrecord import FileWriter
    name = str(tmp_path / "e.mindrecord")
    w = FileWriter(file_name=name, shard_num=1, overwrite=True)
    w.add_schema({"label": {"type": "int32"}}, "s")
    w.write_raw_data([{"label": i} for i in range(9)])
    w.commit()

    def epochs(d, k=3):
        it = d.create_tuple_iterator(output_numpy=True, num_epochs=k)
        return [[int(r[0]) for r in it] for _ in range(k)]

    ds.config.set_seed(11)
    e = epochs(ds.MindDataset(name, shuffle=True))
    assert e[0] == cfg.minstd_order(9, 12)
    for k in (1, 2):
        assert e[k] == [e[k - 1][i] for i in cfg.minstd_order(9, 12 + k)]
        assert e[k] != cfg.minstd_order(9, 12 + k)
    ds.config.set_seed(11)
    d = ds.MindDataset(name, shuffle=True, num_samples=13)
    assert d.get_dataset_size() == 13
    r = epochs(d)
    assert r[0] == [cfg.StdMT19937(12 + i).below(9) for i in range(13)]
    assert len(set(r[0])) < 9 or len(r[0]) > 9
    for k in (1, 2):
        assert set(r[k]) <= set(r[k - 1])
        assert r[k] == [r[k - 1][cfg.StdMT19937(12 + k + i).below(13)] for i in range(13)]
    ds.config.set_seed(11)
    assert epochs(ds.MindDataset(name, shuffle=False, num_samples=4), 2) == [[0, 1, 2, 3]] * 2


def test_dataset_save_writes_mindspores_bytes(tmp_path):
    """dataset/eager re-run (stop 19): the tutorial's ``Dataset.save`` of six shuffled ints
    under seed 1234 gives the file MindSpore 2.10 wrote, byte for byte (the schema's
    description was ours, "Dataset.save", where MindSpore writes "mindrecord")."""
    ds.config.set_seed(1234)
    name = str(tmp_path / "train_dataset.mindrecord")
    ds.NumpySlicesDataset(data=[1, 2, 3, 4, 5, 6], column_names=["column_1"]).save(name)
    with gzip.open(FIX / "saved_eager.mindrecord.gz", "rb") as fh:
        theirs = fh.read()
    ours = pathlib.Path(name).read_bytes()
    assert len(ours) == len(theirs)
    assert ours == theirs
    rows = [int(r[0]) for r in ds.MindDataset(name, shuffle=False)
            .create_tuple_iterator(output_numpy=True)]
    assert sorted(rows) == [1, 2, 3, 4, 5, 6] and rows != [1, 2, 3, 4, 5, 6]


def test_numa_enable_setting():
    """cv/fcn8s's pipeline calls ds.config.set_numa_enable(True) (MindSpore 2.10: False
    before, a bool only, TypeError otherwise); the rows are the same either way."""
    assert ds.config.get_numa_enable() is False
    d = ds.NumpySlicesDataset(np.arange(5), shuffle=False)
    before = [int(r[0]) for r in d.create_tuple_iterator(output_numpy=True)]
    try:
        ds.config.set_numa_enable(True)
        assert ds.config.get_numa_enable() is True
        with pytest.raises(TypeError, match="boolean"):
            ds.config.set_numa_enable(1)
        assert [int(r[0]) for r in d.create_tuple_iterator(output_numpy=True)] == before
    finally:
        ds.config.set_numa_enable(False)


def test_shards_wrap_and_shuffle_afresh_each_epoch(tmp_path):
    """SSD re-run (stop 19): with num_shards every shard reads ceil(n / num_shards) rows,
    wrapping to the start of the epoch's order, and each epoch shuffles range(n) afresh
    (case tr3_minddataset_epochs)."""
    from autograd_st.dataset import config as cfg
    from autograd_st.mindrecord import FileWriter
    name = str(tmp_path / "s.mindrecord")
    w = FileWriter(file_name=name, shard_num=1, overwrite=True)
    w.add_schema({"label": {"type": "int32"}}, "s")
    w.write_raw_data([{"label": i} for i in range(11)])
    w.commit()
    ds.config.set_seed(4)
    d = ds.MindDataset(name, shuffle=True, num_shards=2, shard_id=1)
    assert d.get_dataset_size() == 6
    it = d.create_tuple_iterator(output_numpy=True, num_epochs=2)
    for e in range(2):
        p = cfg.minstd_order(11, 5 + e)
        assert [int(r[0]) for r in it] == [p[1], p[3], p[5], p[7], p[9], p[0]]
    plain = ds.MindDataset(name, shuffle=False, num_shards=2, shard_id=1)
    assert [int(r[0]) for r in plain.create_tuple_iterator(output_numpy=True)] == \
        [1, 3, 5, 7, 9, 0]


def test_decode_takes_a_bytes_column(tmp_path):
    """SSD re-run (stop 19): a MindRecord bytes column comes as a one-element bytes array
    (as in MindSpore 2.10), and vision.Decode takes it, and Python bytes, as MindSpore's."""
    import io

    from PIL import Image

    from autograd_st.dataset import vision
    from autograd_st.mindrecord import FileWriter
    img = (np.arange(5 * 7 * 3) % 251).astype(np.uint8).reshape(5, 7, 3)
    buf = io.BytesIO()
    Image.fromarray(img).save(buf, "PNG")
    name = str(tmp_path / "b.mindrecord")
    w = FileWriter(file_name=name, shard_num=1, overwrite=True)
    w.add_schema({"image": {"type": "bytes"}}, "s")
    w.write_raw_data([{"image": buf.getvalue()}])
    w.commit()
    raw = next(ds.MindDataset(name, shuffle=False).create_tuple_iterator(output_numpy=True))[0]
    assert raw.dtype.kind == "S" and raw.shape == (1,)
    np.testing.assert_array_equal(vision.Decode()(raw), img)
    np.testing.assert_array_equal(vision.Decode()(buf.getvalue()), img)
    out = next(ds.MindDataset(name, shuffle=False).map(vision.Decode(), input_columns=["image"])
               .create_tuple_iterator(output_numpy=True))[0]
    np.testing.assert_array_equal(out, img)
    with pytest.raises(TypeError, match="1-D uint8"):
        vision.Decode()(np.array(buf.getvalue(), np.bytes_))
