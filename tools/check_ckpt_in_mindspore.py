"""Check that checkpoints written by autograd_st load in real MindSpore 2.10.

Run with the project's Python (it starts the side venv itself)::

    python tools/check_ckpt_in_mindspore.py [--ms-python ../ms-venv/bin/python]

Here it builds networks with autograd_st (a Dense(3, 2) + BatchNorm1d(2) net and a small
Conv2d + Dense net, with non-trivial values), saves them and a list of values of every dtype
with an ``append_dict`` (``crc_check=True``) into a temporary folder, and writes what each
holds and what each net outputs (in eval mode) for a fixed input.  Then, in the side venv,
MindSpore ``load_checkpoint``s every file (with ``crc_check``), compares names, order, dtypes,
shapes and values, ``load_param_into_net``s the nets into the same MindSpore networks
(expecting ``([], [])``) and compares their outputs.  Exit status 0 when everything agrees.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MS_PYTHON = os.path.join(os.path.dirname(ROOT), "ms-venv", "bin", "python")
X_DENSE = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75], [0.0, 1.0, 1.0]], np.float32)
X_CONV = np.linspace(-1.0, 1.0, 2 * 1 * 5 * 5, dtype=np.float32).reshape(2, 1, 5, 5)


def _nets(nn):
    """The same two networks over either backend's ``nn``."""
    class DenseBN(nn.Cell):
        def __init__(self):
            super().__init__()
            self.dense = nn.Dense(3, 2)
            self.bn = nn.BatchNorm1d(2)

        def construct(self, x):
            return self.bn(self.dense(x))

    class ConvNet(nn.Cell):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(1, 2, 3, pad_mode="valid", has_bias=True)
            self.fc = nn.Dense(18, 4)

        def construct(self, x):
            y = self.conv(x)
            return self.fc(y.reshape((y.shape[0], -1)))

    return {"dense_bn": DenseBN, "conv": ConvNet}


def _entry(arr) -> dict:
    arr = np.asarray(arr)
    return {"dtype": str(arr.dtype), "shape": list(arr.shape),
            "data": arr.astype(np.float64).ravel().tolist()}


def write_here(folder: str) -> dict:
    """Save the files with autograd_st; return what MindSpore should find."""
    sys.path.insert(0, ROOT)
    import autograd_st as ms  # noqa: PLC0415  (the project's venv only)
    from autograd_st import Tensor, nn  # noqa: PLC0415

    expected = {"files": {}, "outputs": {}}
    rng = np.random.default_rng(11)
    for name, cls in _nets(nn).items():
        net = cls()
        for p in net.get_parameters():
            p.set_data(rng.uniform(0.5, 1.5, p.shape).astype(np.float32)
                       * rng.choice([-1.0, 1.0], p.shape).astype(np.float32))
        if name == "dense_bn":
            net.bn.moving_variance.set_data(np.array([2.0, 0.5], np.float32))
        net.set_train(False)
        x = X_DENSE if name == "dense_bn" else X_CONV
        expected["outputs"][name] = _entry(net(Tensor(x)).asnumpy())
        path = os.path.join(folder, name + ".ckpt")
        ms.save_checkpoint(net, path)
        expected["files"][name] = {"order": [p.name for p in net.get_parameters()],
                                   "values": {p.name: _entry(p.asnumpy())
                                              for p in net.get_parameters()}}
    values = {"f16": np.array([1.5, -2.0], np.float16), "f64": np.array([[np.pi]]),
              "i8": np.array([-128], np.int8), "i16": np.array([300], np.int16),
              "i32": np.arange(4, dtype=np.int32), "i64": np.array(5, np.int64),
              "u8": np.array([255], np.uint8), "b": np.array([True, False])}
    ms.save_checkpoint([{"name": k, "data": Tensor(v)} for k, v in values.items()],
                       os.path.join(folder, "types.ckpt"), crc_check=True,
                       append_dict={"epoch_num": 3, "lr": 0.5, "note": "text"})
    expected["files"]["types"] = {
        "order": list(values) + ["epoch_num", "lr", "note"],
        "values": dict({k: _entry(v) for k, v in values.items()},
                       epoch_num=_entry(np.array(3, np.int64)),
                       lr=_entry(np.array(0.5, np.float32)), note={"str": "text"})}
    return expected


def check_in_mindspore(folder: str, expected: dict) -> list:
    """In the side venv: what differs (empty: nothing)."""
    import mindspore as ms  # noqa: PLC0415  (the side venv only)
    from mindspore import Tensor, nn  # noqa: PLC0415

    problems = []
    nets = _nets(nn)
    for name, want in expected["files"].items():
        path = os.path.join(folder, name + ".ckpt")
        loaded = ms.load_checkpoint(path, crc_check=(name == "types"))
        if list(loaded) != want["order"]:
            problems.append("%s: names %s, expected %s" % (name, list(loaded), want["order"]))
        for key, entry in want["values"].items():
            got = loaded.get(key)
            if "str" in entry:
                if got != entry["str"]:
                    problems.append("%s/%s: %r, expected %r" % (name, key, got, entry["str"]))
                continue
            arr = got.asnumpy()
            if str(arr.dtype) != entry["dtype"] or list(arr.shape) != entry["shape"] or \
                    arr.astype(np.float64).ravel().tolist() != entry["data"]:
                problems.append("%s/%s: %s %s %s, expected %s" % (
                    name, key, arr.dtype, arr.shape, arr.ravel().tolist(), entry))
        print("MindSpore %s loaded %s.ckpt: %d values" % (ms.__version__, name, len(loaded)))
        if name in nets:
            net = nets[name]()
            result = ms.load_param_into_net(net, loaded)
            if [list(r) for r in result] != [[], []]:
                problems.append("%s: load_param_into_net returned %r" % (name, result))
            net.set_train(False)
            x = X_DENSE if name == "dense_bn" else X_CONV
            out = net(Tensor(x)).asnumpy()
            ref = np.array(expected["outputs"][name]["data"]).reshape(out.shape)
            err = float(np.max(np.abs(out - ref)))
            print("  load_param_into_net -> %r; output max |MindSpore - autograd_st| = %.3g"
                  % (result, err))
            if err > 1e-5:
                problems.append("%s: outputs differ by %g" % (name, err))
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ms-python", default=MS_PYTHON)
    parser.add_argument("--in-mindspore", metavar="FOLDER", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_mindspore:
        with open(os.path.join(args.in_mindspore, "expected.json"), encoding="utf-8") as fh:
            problems = check_in_mindspore(args.in_mindspore, json.load(fh))
        for p in problems:
            print("MISMATCH:", p)
        print("ok: every checkpoint written by autograd_st loads in MindSpore" if not problems
              else "%d mismatches" % len(problems))
        return 1 if problems else 0
    with tempfile.TemporaryDirectory() as folder:
        expected = write_here(folder)
        with open(os.path.join(folder, "expected.json"), "w", encoding="utf-8") as fh:
            json.dump(expected, fh)
        env = dict(os.environ, GLOG_v="3")
        env.pop("PYTHONPATH", None)
        return subprocess.call([args.ms_python, os.path.abspath(__file__), "--in-mindspore",
                                folder], env=env, cwd=folder)


if __name__ == "__main__":
    sys.exit(main())
