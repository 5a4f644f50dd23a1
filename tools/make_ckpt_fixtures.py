"""Write the checkpoint fixtures of tests/test_checkpoint.py with real MindSpore 2.10.

Run in the side venv (``../ms-venv/bin/python tools/make_ckpt_fixtures.py``).  Writes into
``tests/fixtures/checkpoints/``:

- ``ms_dense_bn.ckpt``: ``Net`` below (a Dense(3, 2) and a BatchNorm1d(2), seeded, moving
  statistics set to non-trivial values) saved by ``mindspore.save_checkpoint``;
- ``ms_types.ckpt``: one value per dtype MindSpore writes, a scalar, an append_dict (int,
  float, bool, str), with ``crc_check=True``;
- ``ms_expected.json``: what ``mindspore.load_checkpoint`` returns for each file (name,
  dtype, shape, values; strings as strings), and ``load_param_into_net``'s return values for
  the cases the test replays.
"""
from __future__ import annotations

import json
import os
import stat

import mindspore as ms
import numpy as np
from mindspore import Tensor, nn

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests",
                   "fixtures", "checkpoints")


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.dense = nn.Dense(3, 2)
        self.bn = nn.BatchNorm1d(2)

    def construct(self, x):
        return self.bn(self.dense(x))


def _entry(value):
    if isinstance(value, str):
        return {"str": value}
    arr = value.asnumpy()
    return {"dtype": str(arr.dtype), "shape": list(arr.shape),
            "data": arr.astype(np.float64).ravel().tolist()}


def _save(obj, name, **kw):
    path = os.path.join(OUT, name)
    if os.path.exists(path):
        os.chmod(path, stat.S_IWUSR | stat.S_IRUSR)
    ms.save_checkpoint(obj, path, **kw)
    os.chmod(path, 0o644)  # the repository's copy stays writable
    return path


def main():
    os.makedirs(OUT, exist_ok=True)
    ms.set_seed(3)
    net = Net()
    net.bn.moving_mean.set_data(Tensor(np.array([0.25, -1.5], np.float32)))
    net.bn.moving_variance.set_data(Tensor(np.array([2.0, 0.5], np.float32)))
    net.bn.gamma.set_data(Tensor(np.array([1.5, 0.75], np.float32)))
    dense_bn = _save(net, "ms_dense_bn.ckpt")
    values = [{"name": "f16", "data": Tensor(np.array([1.5, -2.0, 65504.0], np.float16))},
              {"name": "f64", "data": Tensor(np.array([[np.pi, -1e300]], np.float64))},
              {"name": "i8", "data": Tensor(np.array([-128, 127], np.int8))},
              {"name": "i16", "data": Tensor(np.array([-3000], np.int16))},
              {"name": "i32", "data": Tensor(np.arange(6, dtype=np.int32).reshape(2, 3))},
              {"name": "i64", "data": Tensor(np.array([-(2 ** 40)], np.int64))},
              {"name": "u8", "data": Tensor(np.array([0, 255], np.uint8))},
              {"name": "b", "data": Tensor(np.array([True, False, True]))},
              {"name": "scalar", "data": Tensor(np.array(2.5, np.float32))}]
    types = _save(values, "ms_types.ckpt", crc_check=True,
                  append_dict={"epoch_num": 7, "lr": 0.125, "flag": True, "note": "héllo"})
    expected = {}
    for path in (dense_bn, types):
        loaded = ms.load_checkpoint(path)
        expected[os.path.basename(path)] = {k: _entry(v) for k, v in loaded.items()}
        expected[os.path.basename(path) + ":order"] = list(loaded)
    # load_param_into_net's results, replayed by the test
    loaded = ms.load_checkpoint(dense_bn)
    runs = {}
    runs["same_net"] = ms.load_param_into_net(Net(), loaded)
    dense = nn.Dense(3, 2)
    runs["standalone_dense"] = ms.load_param_into_net(dense, loaded)
    runs["standalone_dense_values"] = dense.weight.asnumpy().ravel().tolist()
    runs["standalone_dense_strict"] = ms.load_param_into_net(nn.Dense(3, 2), loaded,
                                                             strict_load=True)
    part = {k: v for k, v in loaded.items() if k.startswith("bn.")}
    runs["partial"] = ms.load_param_into_net(Net(), part)
    half = Net()
    runs["filter"] = list(ms.load_checkpoint(dense_bn, net=half, filter_prefix="bn."))
    runs["filter_bias"] = half.dense.bias.asnumpy().tolist()
    runs["specify"] = list(ms.load_checkpoint(dense_bn, specify_prefix=["bn.g", "dense.b"]))
    expected["load_param_into_net"] = {k: list(v) if isinstance(v, tuple) else v
                                       for k, v in runs.items()}
    with open(os.path.join(OUT, "ms_expected.json"), "w", encoding="utf-8") as fh:
        json.dump(expected, fh, indent=1, sort_keys=True, ensure_ascii=True)
        fh.write("\n")
    print("wrote", OUT, "with MindSpore", ms.__version__)


if __name__ == "__main__":
    main()
