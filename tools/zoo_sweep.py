"""Run mindcv's model zoo on real MindSpore and on autograd_st with the same weights; compare.

mindcv (MindSpore's vision model library) never comes into this project: point ``--mindcv`` at a
checkout (a folder holding the ``mindcv/`` package), e.g. ``/tmp/mindcv`` made by
``git -C /work/.mirror/mindspore-lab+mindcv/repo archive HEAD | tar -x -C /tmp/mindcv``.

What the tool does:

1. copies the ``mindcv/`` package twice to a temporary folder: ``ms/`` untouched, ``ours/`` with
   only its import lines rewritten ``mindspore`` -> ``autograd_st`` (``rewrite_source`` of
   ``tools/ms_pynative_ut.py``). In both copies three package files that pull in the training
   stack (datasets, optimizers, downloads with ``tqdm``) are replaced by ``STUBS``, and each model
   module is imported on its own (one model's failing import does not hide the others);
2. per model (``MODELS``: module, constructor, keyword arguments, image size) runs one worker
   process in MindSpore's venv (``--ms-python``, ``GLOG_v=3``, PyNative mode) that builds the
   model, saves its parameters by name to an ``.npz``, and records (a) the forward output in eval
   mode, (b) the forward output in train mode (drop rates are set to 0 by the constructor
   arguments, so train mode is deterministic; BatchNorm uses batch statistics and updates its
   moving statistics), (c) ``value_and_grad`` of ``nn.CrossEntropyLoss`` (mean, int32 labels)
   w.r.t. ``trainable_params()`` in train mode, and (d) every parameter after (b) and (c) (the
   BatchNorm moving statistics);
3. runs the same worker on autograd_st (this interpreter, ``PYTHONPATH`` = ``--checkout``) on the
   rewritten copy, loading MindSpore's parameters by name (a missing or extra name, or a shape
   difference, is a failure of stage ``load``);
4. compares with ``|ours - ms| <= atol + rtol * |ms|`` (``--rtol`` 1e-4, ``--atol`` 1e-5 times
   the largest ``|ms|`` of the array, so a gradient whose entries are around 1e3 is not held
   to 1e-5 absolute: float32 sums over thousands of terms differ in order between the two);
   prints one line per model: ``OK`` with the largest share of its tolerance an entry used
   (``|ours - ms| / (atol + rtol |ms|)``, at most 1), or the stage that
   failed (``build``, ``load``, ``eval``, ``train``, ``grad``, ``state``) and the error's last
   line;
5. a model whose numbers differ is run again on autograd_st in float64, as is and with its
   input nudged (``_diagnose``): ``OK (float32 ...)`` when MindSpore's numbers match the
   float64 ones, ``ILL-CONDITIONED`` when a 1e-5 nudge moves the float64 result about as
   much as the two differ (no verdict), ``FAIL`` otherwise.

Usage::

    python tools/zoo_sweep.py --mindcv /tmp/mindcv [--models resnet18 vgg11 ...] [--markdown]
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import traceback

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
from ms_pynative_ut import rewrite_tree  # noqa: E402

_STUB = '"""Stub put here by tools/zoo_sweep.py: {}."""\n'
STUBS = {
    "mindcv/__init__.py": _STUB.format("the package root imports the training stack"),
    "mindcv/models/__init__.py": _STUB.format("each model module is imported on its own"),
    "mindcv/utils/__init__.py": _STUB.format("the utilities import the training stack"),
    "mindcv/utils/download.py": _STUB.format("no downloads (pretrained=False)")
    + "\n\nDownLoad = None\n\n\ndef get_default_download_root():\n    return ''\n",
}

_SMALL = {"num_classes": 10, "in_channels": 3}
_DROP0 = {**_SMALL, "drop_rate": 0.0}
_DROP_PATH0 = {**_DROP0, "drop_path_rate": 0.0}
# name -> (module, constructor, keyword arguments, image size)
MODELS = {
    "resnet18": ("resnet", "resnet18", _SMALL, 64),
    "resnet50": ("resnet", "resnet50", _SMALL, 64),
    "resnext50_32x4d": ("resnet", "resnext50_32x4d", _SMALL, 64),
    "resnetv2_50": ("resnetv2", "resnetv2_50", _SMALL, 64),
    "mobilenet_v1_025": ("mobilenetv1", "mobilenet_v1_025", _SMALL, 64),
    "mobilenet_v2_035_128": ("mobilenetv2", "mobilenet_v2_035_128", _SMALL, 64),
    "mobilenet_v3_small_075": ("mobilenetv3", "mobilenet_v3_small_075", _SMALL, 64),
    "mobilenet_v3_large_075": ("mobilenetv3", "mobilenet_v3_large_075", _SMALL, 64),
    "vgg11": ("vgg", "vgg11", _SMALL, 224),
    "densenet121": ("densenet", "densenet121", _SMALL, 64),
    "squeezenet1_0": ("squeezenet", "squeezenet1_0", _SMALL, 64),
    "squeezenet1_1": ("squeezenet", "squeezenet1_1", _SMALL, 64),
    "shufflenet_v1_g3_05": ("shufflenetv1", "shufflenet_v1_g3_05", _SMALL, 64),
    "shufflenet_v2_x0_5": ("shufflenetv2", "shufflenet_v2_x0_5", _SMALL, 64),
    "ghostnet_050": ("ghostnet", "ghostnet_050", _SMALL, 64),
    "efficientnet_b0": ("efficientnet", "efficientnet_b0", _SMALL, 64),
    "regnet_x_200mf": ("regnet", "regnet_x_200mf", _SMALL, 64),
    "regnet_y_200mf": ("regnet", "regnet_y_200mf", _SMALL, 64),
    "convnext_tiny": ("convnext", "convnext_tiny", _SMALL, 64),
    "vit_b_32_224": ("vit", "vit_b_32_224", _SMALL, 224),
    "swin_tiny": ("swintransformer", "swin_tiny", _SMALL, 224),
    "mlp_mixer_s_p32": ("mlpmixer", "mlp_mixer_s_p32", _SMALL, 224),
    "poolformer_s12": ("poolformer", "poolformer_s12", _SMALL, 64),
    "xception": ("xception", "xception", _SMALL, 71),
    "inception_v3": ("inceptionv3", "inception_v3", _SMALL, 299),
    "googlenet": ("googlenet", "googlenet", {**_SMALL, "aux_logits": False}, 32),
    "seresnet18": ("senet", "seresnet18", _SMALL, 64),
    "skresnet18": ("sknet", "skresnet18", _SMALL, 64),
    "res2net50": ("res2net", "res2net50", _SMALL, 64),
    "repvgg_a0": ("repvgg", "repvgg_a0", _SMALL, 64),
    "rexnet_09": ("rexnet", "rexnet_09", _SMALL, 64),
    "convit_tiny": ("convit", "convit_tiny", _SMALL, 224),
    "pit_ti": ("pit", "pit_ti", _SMALL, 224),
    # stop 17
    "mnasnet_050": ("mnasnet", "mnasnet_050", _SMALL, 64),
    "mixnet_s": ("mixnet", "mixnet_s", _SMALL, 64),
    "resnest14": ("resnest", "resnest14", _SMALL, 64),
    "mobilevit_xx_small": ("mobilevit", "mobilevit_xx_small", _SMALL, 256),
    "edgenext_xx_small": ("edgenext", "edgenext_xx_small", _SMALL, 256),
    "visformer_tiny": ("visformer", "visformer_tiny", _SMALL, 224),
    "pvt_v2_b0": ("pvtv2", "pvt_v2_b0", _SMALL, 224),
    "xcit_tiny_12_p16_224": ("xcit", "xcit_tiny_12_p16_224", _SMALL, 224),
    "cmt_tiny": ("cmt", "cmt_tiny", _SMALL, 224),
    "coat_tiny": ("coat", "coat_tiny", _SMALL, 224),
    "crossvit_9": ("crossvit", "crossvit_9", _SMALL, 240),
    "repmlp_t224": ("repmlp", "repmlp_t224", _SMALL, 224),
}


def prepare(checkout: str, dest: str) -> dict:
    """Copies of ``checkout/mindcv``: ``dest/ms`` as is and ``dest/ours`` import-rewritten."""
    trees = {}
    for side in ("ms", "ours"):
        tree = os.path.join(dest, side)
        shutil.copytree(os.path.join(checkout, "mindcv"), os.path.join(tree, "mindcv"),
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        for rel, text in STUBS.items():
            with open(os.path.join(tree, rel), "w", encoding="utf-8") as f:
                f.write(text)
        if side == "ours":
            rewrite_tree(tree, skip=STUBS)
        trees[side] = tree
    return trees


def _inputs(size: int):
    size = int(os.environ.get("ZOO_SWEEP_SIZE") or size)
    batch = int(os.environ.get("ZOO_SWEEP_BATCH") or 2)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, 3, size, size)).astype(np.float32)
    labels = (np.arange(batch, dtype=np.int32) * 4 + 3) % 10
    return x, labels


def _first(out):
    return out[0] if isinstance(out, (tuple, list)) else out


_DROPS = ("drop_rate", "drop_path_rate", "dropout_rate", "dropout", "attn_drop_rate",
          "pos_drop_rate", "proj_drop_rate")


def _build(ctor, kwargs):
    """``ctor(**kwargs)`` with every drop rate in ``_DROPS`` set to 0 that the model accepts."""
    extra = dict.fromkeys(_DROPS, 0.0)
    while True:
        try:
            return ctor(**kwargs, **extra)
        except TypeError as exc:
            bad = [k for k in extra if f"'{k}'" in str(exc)]
            if not bad:
                raise
            del extra[bad[0]]


def _stochastic(net, nn) -> list:
    """Names of the cells that still drop at random in train mode (rate > 0)."""
    names = []
    for name, cell in net.cells_and_names():
        if isinstance(cell, nn.Dropout):
            rate = getattr(cell, "p", None)
            rate = 1.0 - cell.keep_prob if rate is None else rate
        elif type(cell).__name__.startswith("DropPath"):
            rate = 1.0 - getattr(cell, "keep_prob", 1.0)
        else:
            continue
        if rate > 0:
            names.append(name)
    return names


def worker(side: str, name: str, weights: str, out: str) -> None:
    """Build ``name`` on ``side`` (``ms`` or ``ours``), run the stages, write arrays to ``out``."""
    wide = side.startswith("ours64")
    ms = importlib.import_module("mindspore" if side == "ms" else "autograd_st")
    nn = importlib.import_module(ms.__name__ + ".nn")
    ms.set_context(mode=ms.PYNATIVE_MODE)
    ms.set_seed(0)
    module, ctor, kwargs, size = MODELS[name]
    result = {}
    stage = "build"
    try:
        mod = importlib.import_module("mindcv.models." + module)
        net = _build(getattr(mod, ctor), kwargs)
        stochastic = _stochastic(net, nn)
        result["stochastic"] = np.array(", ".join(stochastic))
        params = {p.name: p for p in net.get_parameters()}
        stage = "load"
        if side == "ms":
            np.savez(weights, **{k: p.asnumpy() for k, p in params.items()})
        else:
            saved = np.load(weights)
            missing = sorted(set(saved.files) - set(params))
            extra = sorted(set(params) - set(saved.files))
            if missing or extra:
                raise KeyError(f"parameter names differ: MindSpore only {missing[:5]}, "
                               f"autograd_st only {extra[:5]}")
            for k, p in params.items():
                if tuple(p.shape) != saved[k].shape:
                    raise ValueError(f"{k}: shape {tuple(p.shape)}, MindSpore {saved[k].shape}")
                p.set_data(ms.Tensor(saved[k]))
                if wide and p.dtype == ms.float32:
                    p.set_dtype(ms.float64)
        x, labels = _inputs(size)
        x = x.astype(np.float64) if wide else x
        if side.startswith("ours64p"):  # a nudge of the input, about float32's error in a
            # deep net's activations (1e-5 relative): it moves kinks, not smooth gradients
            x = x + 1e-5 * np.random.default_rng(int(side[-1])).standard_normal(x.shape)
        xt, yt = ms.Tensor(x), ms.Tensor(labels)
        stage = "eval"
        net.set_train(False)
        result["eval"] = _first(net(xt)).asnumpy()
        stage = "train"
        net.set_train(not stochastic)
        result["train"] = _first(net(xt)).asnumpy()
        stage = "grad"
        loss_fn = nn.CrossEntropyLoss()
        weights_list = net.trainable_params()

        def forward(inp, lab):
            return loss_fn(_first(net(inp)), lab)

        loss, grads = ms.value_and_grad(forward, None, weights_list)(xt, yt)
        result["loss"] = np.asarray(loss.asnumpy())
        for p, g in zip(weights_list, grads):
            result["grad:" + p.name] = g.asnumpy()
        for k, p in params.items():
            result["state:" + k] = p.asnumpy()
        stage = "done"
    except BaseException as exc:  # noqa: BLE001 - the worker reports any failure by stage
        lines = traceback.format_exception_only(type(exc), exc)
        result = {"error": np.array(f"{stage}: {lines[-1].strip()}"),
                  "trace": np.array(traceback.format_exc())}
    np.savez(out, **result)


def _stage_of(key: str) -> str:
    return key.split(":")[0] if ":" in key else ("grad" if key == "loss" else key)


def compare(ms: dict, ours: dict, rtol: float, atol: float) -> tuple[str, float]:
    """``("OK", worst relative error)`` or ``("<stage>: <what>", ...)``; ``ms`` first failed."""
    worst = 0.0
    for key in ms:
        if ms[key].dtype.kind == "U":
            continue
        if key not in ours:
            return f"{_stage_of(key)}: no {key} from autograd_st", worst
        a, b = np.asarray(ours[key], np.float64), np.asarray(ms[key], np.float64)
        if a.shape != b.shape:
            return f"{_stage_of(key)}: {key} shape {a.shape}, MindSpore {b.shape}", worst
        scale = float(np.max(np.abs(b))) if b.size else 0.0
        err = np.abs(a - b)
        bound = atol * max(scale, 1.0) + rtol * np.abs(b)
        if b.size:
            worst = max(worst, float(np.max(err / bound)))
        if not np.all(err <= bound) or not np.all(np.isfinite(a) == np.isfinite(b)):
            i = int(np.argmax(err - bound))
            return (f"{_stage_of(key)}: {key} differs: max |d| {float(np.max(err)):.3g} "
                    f"(ours {a.flat[i]:.6g}, MindSpore {b.flat[i]:.6g}, max |ms| {scale:.3g})",
                    worst)
    return "OK", worst


def _run(cmd, env, timeout):
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout)
        return proc.returncode, proc.stderr[-2000:]
    except subprocess.TimeoutExpired:
        return -1, f"timed out after {timeout}s"


def distance(a: dict, b: dict, rtol: float = 1e-4, atol: float = 1e-5) -> tuple[float, str]:
    """How many times its tolerance (``compare``'s: ``atol max(max |b|, 1) + rtol |b|``) the
    worst entry of the numeric arrays of both differs, and that array's key (an array of
    rounding noise around 0, a BatchNorm's moving mean of normalized data, stays small)."""
    worst = (0.0, "")
    for key in b:
        if key in a and b[key].dtype.kind != "U" and np.size(b[key]):
            x, y = np.asarray(a[key], np.float64), np.asarray(b[key], np.float64)
            if x.shape == y.shape:
                bound = atol * max(float(np.max(np.abs(y))), 1.0) + rtol * np.abs(y)
                worst = max(worst, (float(np.max(np.abs(x - y) / bound)), key))
    return worst


def _diagnose(status, name, weights, work, ms_res, ours_res, timeout):
    """A numeric difference looked at again with autograd_st in float64 (MindSpore's CPU
    convolutions take no float64): ``float64`` (the same run, every Parameter and the input in
    float64) and two ``nudged`` float64 runs (the input moved by 1e-5 at random: about what
    float32 rounding does to the activations of a deep net).  Distances are ``distance``'s
    (how many times its tolerance the worst entry differs):

    * MindSpore's float32 numbers match the float64 ones to ``F64_RTOL`` (MindSpore's own
      rounding): the differentiation is right and autograd_st's float32 run landed elsewhere,
      at a kink (a ReLU input within rounding of 0) or where the result is ill-conditioned:
      ``OK (float32 ...)``;
    * otherwise, when a nudge moves the float64 result by at least a tenth of the
      MindSpore/autograd_st difference, float32 rounding alone can produce that difference
      (BatchNorm over a batch of 2 at 2x2 pixels, ReLU kinks): ``ILL-CONDITIONED`` (no
      verdict; a larger batch or image makes the same check conclusive);
    * otherwise the difference stands (``FAIL``)."""
    out = {}
    for side in ("ours64", "ours64p1", "ours64p2"):
        path = os.path.join(work, f"{name}.{side}.npz")
        env = dict(os.environ, GLOG_v="3", PYTHONPATH=os.pathsep.join(
            (os.path.join(work, "ours"), ROOT)))
        _run([sys.executable, os.path.abspath(__file__), "--worker", side, name, weights, path],
             env, timeout)
        out[side] = dict(np.load(path)) if os.path.exists(path) else {"error": "no result"}
        if "error" in out[side]:
            return f"FAIL {status} [float64 run failed: {out[side]['error']}]"
    wide, _ = compare(ms_res, out["ours64"], F64_RTOL, F64_RTOL / 10)
    if wide == "OK":
        return f"OK (float32 {status}; autograd_st in float64 matches MindSpore)"
    d_ms, key = distance(ours_res, ms_res)
    d_nudge, nkey = max(distance(out[s], out["ours64"]) for s in ("ours64p1", "ours64p2"))
    if d_nudge >= d_ms / 10:
        return (f"ILL-CONDITIONED {status} [MindSpore/autograd_st differ by {d_ms:.3g} "
                f"tolerances ({key}); a 1e-5 nudge of the input moves float64 by {d_nudge:.3g} "
                f"({nkey})]")
    return (f"FAIL {status} [float64 too: {wide}; a 1e-5 nudge moves float64 by {d_nudge:.3g} "
            f"tolerances]")


F64_RTOL = 1e-3


def sweep(checkout, names, ms_python, rtol, atol, timeout, keep=None, verbose=False,
          diagnose=True):
    """Run every model in ``names``; return ``{name: (status, worst, seconds ms, seconds ours)}``."""
    work = keep or tempfile.mkdtemp(prefix="zoo_sweep_")
    if not os.path.isdir(os.path.join(work, "ours")):
        prepare(checkout, work)
    results = {}
    for name in names:
        files = {s: os.path.join(work, f"{name}.{s}.npz") for s in ("ms", "ours")}
        weights = os.path.join(work, f"{name}.weights.npz")
        times = {}
        for side, python, path in (("ms", ms_python, ""), ("ours", sys.executable, ROOT)):
            env = dict(os.environ, GLOG_v="3", PYTHONPATH=os.pathsep.join(
                p for p in (os.path.join(work, side), path) if p))
            start = time.time()
            rc, err = _run([python, os.path.abspath(__file__), "--worker", side, name, weights,
                            files[side]], env, timeout)
            times[side] = time.time() - start
            if not os.path.exists(files[side]):
                files[side] = None
                msg = err.strip().splitlines()[-1] if err.strip() else f"exit {rc}"
                results[name] = (f"{side} worker died: {msg}", 0.0, times.get("ms", 0), 0)
                break
        else:
            ms_res, ours_res = dict(np.load(files["ms"])), dict(np.load(files["ours"]))
            if "error" in ms_res:
                status, worst = f"MindSpore itself fails at {ms_res['error']}", 0.0
            elif "error" in ours_res:
                status, worst = str(ours_res["error"]), 0.0
                if verbose:
                    print(str(ours_res["trace"]), file=sys.stderr)
            else:
                status, worst = compare(ms_res, ours_res, rtol, atol)
                if status != "OK" and diagnose:
                    status = _diagnose(status, name, weights, work, ms_res, ours_res, timeout)
                drops = str(ms_res.get("stochastic", ""))
                if drops:
                    status += f" (train stages in eval mode: random drops at {drops[:60]})"
            results[name] = (status, worst, times["ms"], times["ours"])
        status, worst, t_ms, t_ours = results[name]
        tail = f" (tolerance used {worst:.2f})" if status == "OK" else ""
        print(f"{name:26s} {status}{tail}  [ms {t_ms:.0f}s, ours {t_ours:.0f}s]", flush=True)
    return results


def markdown(results: dict) -> str:
    """The results as a Markdown table."""
    rows = ["| model | result | tolerance used |", "|---|---|---|"]
    for name, (status, worst, _, _) in results.items():
        rows.append(f"| {name} | {status.replace('|', '/')} | "
                    f"{f'{worst:.2f}' if status == 'OK' else ''} |")
    return "\n".join(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mindcv", help="a mindcv checkout (holding the mindcv/ package)")
    parser.add_argument("--models", nargs="*", default=list(MODELS), help="names from MODELS")
    parser.add_argument("--ms-python", default="/work/ms-venv/bin/python")
    parser.add_argument("--rtol", type=float, default=1e-4)
    parser.add_argument("--atol", type=float, default=1e-5)
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per worker")
    parser.add_argument("--size", type=int, help="image size for every model (default: MODELS)")
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--work", help="keep the copies and arrays in this folder")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table too")
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--verbose", action="store_true", help="autograd_st tracebacks")
    parser.add_argument("--no-diagnose", action="store_true",
                        help="no float64 rerun of a model whose numbers differ")
    parser.add_argument("--worker", nargs=4, metavar=("SIDE", "MODEL", "WEIGHTS", "OUT"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(*args.worker)
        return 0
    if not args.mindcv:
        parser.error("--mindcv is required")
    unknown = [m for m in args.models if m not in MODELS]
    if unknown:
        parser.error(f"unknown models {unknown}; choose from {sorted(MODELS)}")
    os.environ["ZOO_SWEEP_SIZE"] = str(args.size or "")
    os.environ["ZOO_SWEEP_BATCH"] = str(args.batch)
    if args.work:
        os.makedirs(args.work, exist_ok=True)
    results = sweep(args.mindcv, args.models, args.ms_python, args.rtol, args.atol, args.timeout,
                    args.work, args.verbose, not args.no_diagnose)
    if args.markdown:
        print(markdown(results))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({k: list(v) for k, v in results.items()}, f, indent=1)
    ok = sum(1 for v in results.values() if v[0].startswith("OK"))
    ill = sum(1 for v in results.values() if v[0].startswith("ILL"))
    print(f"{ok}/{len(results)} models OK, {ill} ill-conditioned (no verdict)")
    return 0 if ok == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
