"""autograd_st.dataset (MindSpore's mindspore.dataset): what the recorded MindSpore cases
(tests/ms_cases/cases/data_*.py) cannot check: column names, seeded shuffling, refusals.

Column names and error conditions below were measured in MindSpore 2.10 (the side venv).
"""
from __future__ import annotations

import os
import struct

import numpy as np
import pytest

import autograd_st as ms
import autograd_st.dataset as ds
from autograd_st.dataset import transforms, vision

MNIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "mnist")


def _order(dataset, col=0):
    return [int(np.asarray(r[col]).ravel()[0]) for r in
            dataset.create_tuple_iterator(output_numpy=True)]


@pytest.fixture(autouse=True)
def _default_seed():
    ds.config.set_seed(ds.config.DEFAULT_SEED)
    yield
    ds.config.set_seed(ds.config.DEFAULT_SEED)


def test_column_names_as_mindspore():
    assert ds.NumpySlicesDataset([1, 2, 3], shuffle=False).get_col_names() == ["column_0"]
    assert ds.NumpySlicesDataset({"a": [1], "b": [2]}).get_col_names() == ["a", "b"]
    assert ds.NumpySlicesDataset({"a": [1, 2], "b": [3, 4]}).rename(["a"], ["c"]) \
        .get_col_names() == ["c", "b"]
    data = {"a": np.arange(3), "z": np.arange(3) * 10}
    assert ds.NumpySlicesDataset(data).map(lambda x: x * 2, "a", "b").get_col_names() == \
        ["b", "z"]
    assert ds.NumpySlicesDataset(data).map(lambda x, y: x + y, ["a", "z"], ["s"]) \
        .get_col_names() == ["s"]
    assert ds.NumpySlicesDataset({"a": np.arange(3)}).map(
        lambda x: (x, x), "a", ["b", "c"]).get_col_names() == ["b", "c"]
    assert ds.MnistDataset(MNIST).get_col_names() == ["image", "label"]
    base = ds.NumpySlicesDataset(list(range(6)), ["x"], shuffle=False)
    assert base.get_batch_size() == 1 and base.batch(4).get_batch_size() == 4
    assert len(base.batch(4)) == 2 and base.repeat().get_dataset_size() == 6


def test_iterators_yield_tensors_lists_and_dicts():
    d = ds.NumpySlicesDataset({"a": np.arange(4, dtype=np.float32), "b": np.arange(4)},
                              shuffle=False)
    row = next(iter(d))
    assert isinstance(row, list) and all(isinstance(t, ms.Tensor) for t in row)
    assert row[0].dtype == ms.float32 and row[1].dtype == ms.int64
    row = next(iter(d.create_dict_iterator()))
    assert list(row) == ["a", "b"] and isinstance(row["a"], ms.Tensor)
    row = next(iter(d.create_dict_iterator(output_numpy=True)))
    assert isinstance(row["b"], np.ndarray)
    it = d.create_tuple_iterator(num_epochs=2, output_numpy=True)
    assert [len(list(it)) for _ in range(3)] == [4, 4, 0]


def test_shuffle_is_seeded_and_reshuffles_each_epoch():
    def make():
        return ds.NumpySlicesDataset(list(range(20)), ["x"])  # shuffle defaults to True

    first = _order(make())
    assert sorted(first) == list(range(20)) and first != list(range(20))
    assert _order(make()) == first  # the same seed: the same order
    it = make().create_tuple_iterator(output_numpy=True)
    epochs = [[int(r[0]) for r in it] for _ in range(2)]
    assert epochs[0] == first and sorted(epochs[1]) == sorted(first) and epochs[1] != first
    ds.config.set_seed(1234)
    assert ds.config.get_seed() == 1234
    other = _order(make())
    assert sorted(other) == list(range(20)) and other != first
    ds.config.set_seed(1234)
    assert _order(make()) == other
    buffered = ds.NumpySlicesDataset(list(range(20)), ["x"], shuffle=False).shuffle(4)
    got = _order(buffered)
    assert sorted(got) == list(range(20)) and got != list(range(20))
    assert _order(buffered) == got
    # a buffer of 4 moves a row at most 3 places earlier
    assert all(pos >= value - 3 for pos, value in enumerate(got))
    ra = ds.GeneratorDataset([np.array(i) for i in range(10)], ["x"])
    assert sorted(_order(ra)) == list(range(10)) and _order(ra) != list(range(10))
    mn = ds.MnistDataset(MNIST, usage="train")
    assert sorted(_order(mn, 1)) == sorted(_order(ds.MnistDataset(MNIST, "train",
                                                                  shuffle=False), 1))


def test_seed_hook_and_default():
    assert ds.config.DEFAULT_SEED == 5489 == ds.get_seed()  # MindSpore's default seed
    ds.set_seed(7)
    assert ds.config.get_seed() == 7
    with pytest.raises(ValueError, match="seed"):
        ds.config.set_seed(-1)


def test_generator_sources():
    def gen():
        for i in range(5):
            yield (np.array(i),)
    d = ds.GeneratorDataset(gen, ["x"], shuffle=True)  # not random-accessible: not shuffled
    assert _order(d) == [0, 1, 2, 3, 4] and d.get_dataset_size() == 5
    assert _order(ds.GeneratorDataset(lambda: iter([np.array(7)]), ["x"])) == [7]
    with pytest.raises(RuntimeError, match="column_types"):
        list(ds.GeneratorDataset(gen, ["x"], column_types=[ms.float32]))
    with pytest.raises(ValueError, match="2 values for the 1 columns"):
        list(ds.GeneratorDataset(lambda: iter([(1, 2)]), ["x"]))


def test_refusals():
    base = ds.NumpySlicesDataset(list(range(6)), ["x"], shuffle=False)
    with pytest.raises(ValueError, match="batch_size"):
        base.batch(0)
    with pytest.raises(ValueError, match="count"):
        base.take(0)
    with pytest.raises(ValueError, match="buffer_size"):
        base.shuffle(1)
    with pytest.raises(ValueError, match="'nope' is not a column"):
        base.map(lambda x: x, "nope")
    with pytest.raises(ValueError, match="required is 1 as data is list"):
        ds.NumpySlicesDataset(np.arange(5), ["x", "y"])
    with pytest.raises(ValueError, match="different shapes"):
        list(ds.GeneratorDataset(lambda: iter([np.zeros(2), np.zeros(3)]), ["x"]).batch(2))
    with pytest.raises(NotImplementedError, match="sampler"):
        ds.NumpySlicesDataset([1, 2], sampler=object())
    with pytest.raises(ValueError, match="passed in together"):
        ds.NumpySlicesDataset([1, 2], num_shards=2)


def test_mnist_refusals(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        ds.MnistDataset(str(tmp_path / "none"))
    with pytest.raises(ValueError, match="is missing"):
        ds.MnistDataset(str(tmp_path))
    for name in os.listdir(MNIST):
        with open(os.path.join(MNIST, name), "rb") as src:
            (tmp_path / name).write_bytes(src.read())
    path = tmp_path / "train-images-idx3-ubyte"
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(ValueError, match="truncated"):
        ds.MnistDataset(str(tmp_path), usage="train")
    path.write_bytes(struct.pack(">IIII", 2049, 0, 28, 28))
    with pytest.raises(ValueError, match="magic"):
        ds.MnistDataset(str(tmp_path), usage="train")
    with pytest.raises(ValueError, match="usage"):
        ds.MnistDataset(MNIST, usage="validation")


def test_mnist_folder_with_only_the_training_files(tmp_path):
    # MindSpore's MNIST_Data/train holds only train-*: usage None reads the pairs present
    for name in os.listdir(MNIST):
        if name.startswith("train"):
            with open(os.path.join(MNIST, name), "rb") as src:
                (tmp_path / name).write_bytes(src.read())
    got = ds.MnistDataset(str(tmp_path), shuffle=False)
    want = ds.MnistDataset(MNIST, usage="train", shuffle=False)
    assert got.get_dataset_size() == want.get_dataset_size()
    for (a, la), (b, lb) in zip(got.create_tuple_iterator(output_numpy=True),
                                want.create_tuple_iterator(output_numpy=True)):
        np.testing.assert_array_equal(a, b)
        assert la == lb


def test_transforms_by_hand():
    smooth = transforms.OneHot(3, smoothing_rate=0.3)(np.array(1))  # MindSpore 2.10's values
    assert smooth.dtype == np.float64
    np.testing.assert_allclose(smooth, [0.1, 0.8, 0.1], rtol=1e-15)
    assert transforms.OneHot(3)(np.array([0, 2], np.uint32)).dtype == np.uint32
    with pytest.raises(RuntimeError, match="int type"):
        transforms.OneHot(3)(np.array(1.0))
    composed = transforms.Compose([vision.Rescale(0.5, 1.0), vision.HWC2CHW()])
    np.testing.assert_array_equal(composed(np.ones((2, 3, 1), np.uint8)),
                                  np.full((1, 2, 3), 1.5, np.float32))
    img = np.arange(12, dtype=np.float32).reshape(3, 4, 1)
    np.testing.assert_array_equal(vision.Resize((3, 4))(img), img)  # same size: unchanged
    np.testing.assert_array_equal(vision.Resize((6, 8), vision.Inter.NEAREST)(img)[::2, ::2],
                                  img)
    with pytest.raises(NotImplementedError, match="BICUBIC"):
        vision.Resize((2, 2), vision.Inter.BICUBIC)


def _rows(d) -> list:
    return [int(r[0]) for r in d.create_tuple_iterator(output_numpy=True)]


def test_sharding_follows_mindspore_split():
    """Rows per shard as MindSpore 2.10 gave them (measured in the side venv):
    ``NumpySlicesDataset(range(10), num_shards=n, shard_id=k, shuffle=False)``."""
    measured = {
        (2, 0): [0, 2, 4, 6, 8], (2, 1): [1, 3, 5, 7, 9],
        (3, 0): [0, 3, 6, 9], (3, 1): [1, 4, 7, 0], (3, 2): [2, 5, 8, 1],
        (4, 0): [0, 4, 8], (4, 1): [1, 5, 9], (4, 2): [2, 6, 0], (4, 3): [3, 7, 1]}
    for (n, k), rows in measured.items():
        d = ds.NumpySlicesDataset(np.arange(10), ["x"], shuffle=False, num_shards=n, shard_id=k)
        assert _rows(d) == rows
        assert d.get_dataset_size() == len(rows)
    # DistributedSampler: offset (no padding) and num_samples, measured the same way
    offset = [[2, 5, 8], [0, 3, 6, 9], [1, 4, 7]]
    capped = [[0, 3], [1, 4], [2, 5]]
    for k in range(3):
        d = ds.NumpySlicesDataset(np.arange(10), ["x"],
                                  sampler=ds.DistributedSampler(3, k, shuffle=False, offset=1))
        assert _rows(d) == offset[k]
        d = ds.NumpySlicesDataset(np.arange(10), ["x"], sampler=ds.DistributedSampler(
            3, k, shuffle=False, num_samples=2))
        assert _rows(d) == capped[k]
    with pytest.raises(ValueError, match="less than num_shards"):
        ds.NumpySlicesDataset(np.arange(10), ["x"], num_shards=2, shard_id=2)
    with pytest.raises(ValueError, match="required interval"):
        ds.NumpySlicesDataset(np.arange(10), ["x"], num_shards=0, shard_id=0)


def test_sharded_shuffle_is_one_permutation_split():
    """Shuffled shards: disjoint, covering every row, the same after the same seed, and a
    new permutation each epoch."""
    def shards(seed):
        ds.config.set_seed(seed)
        out = []
        for k in range(2):
            d = ds.NumpySlicesDataset(np.arange(10), ["x"], shuffle=True, num_shards=2,
                                      shard_id=k)
            out.append([_rows(d), [int(i) for i in d._order(1)]])  # epochs 0 and 1
        return out
    a, b = shards(7), shards(7)
    assert a == b
    for epoch in range(2):
        assert sorted(a[0][epoch] + a[1][epoch]) == list(range(10))
    assert a[0][0] != a[0][1]
    assert shards(8) != a


def test_padded_batch_cuts_a_row_longer_than_the_pad_shape():
    # MindSpore 2.10 (measured, u22_dataset_generator_pipeline): the row is cut to the pad
    # shape, the shorter ones padded with the fill value
    def gen():
        for i in range(5):
            yield (np.arange(i + 1, dtype=np.int32).reshape(1, -1).repeat(i % 2 + 1, 0),)

    data = ds.GeneratorDataset(gen, ["s"], shuffle=False).padded_batch(
        5, pad_info={"s": ([1, 3], -1)})
    (got,) = next(data.create_tuple_iterator(output_numpy=True))
    want = np.full((5, 1, 3), -1, np.int32)
    for i in range(5):
        n = min(i + 1, 3)
        want[i, 0, :n] = np.arange(n)
    np.testing.assert_array_equal(got, want)
