"""Record and compare the project's own MindSpore cases (``tests/ms_cases``).

A case is ``tests/ms_cases/cases/NAME.py``: a small MindSpore program whose ``run()`` returns a
flat dict ``{str: array | number}`` (the format of ``../shared/reference_cases``).
``tests/ms_cases/reference/NAME.json`` is what real MindSpore 2.10 returned for it.

Record (in the side venv with ``mindspore==2.10.0`` and ``numpy<2``)::

    ../ms-venv/bin/python tools/ms_cases.py record              # every case without a reference
    ../ms-venv/bin/python tools/ms_cases.py record NAME ...     # these, recorded again

Compare autograd_st with the references (what ``tests/test_ms_cases.py`` does)::

    python tools/ms_cases.py compare [NAME ...]

A case whose ``run()`` raises under MindSpore is recorded as ``{"status": "error", ...}``;
autograd_st then passes only if it raises too.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import re
import shutil
import sys
import tempfile
import traceback

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = os.path.join(ROOT, "tests", "ms_cases", "cases")
REFERENCE = os.path.join(ROOT, "tests", "ms_cases", "reference")
RTOL, ATOL = 1e-4, 1e-5
_IMPORT = re.compile(r"^(\s*)(import|from)(\s+)mindspore\b", re.MULTILINE)
_BARE = re.compile(r"^(\s*)import(\s+)mindspore[ \t]*$", re.MULTILINE)  # binds `mindspore`


def names() -> list[str]:
    """Every case's name, sorted."""
    return sorted(f[:-3] for f in os.listdir(CASES) if f.endswith(".py") and f[0] != "_")


def source(name: str, backend: str) -> str:
    """The case's source, its import lines pointed at ``backend``."""
    with open(os.path.join(CASES, name + ".py"), encoding="utf-8") as fh:
        text = fh.read()
    if backend == "mindspore":
        return text
    text = _BARE.sub(lambda m: m.group(1) + "import" + m.group(2) + backend + " as mindspore",
                     text)
    return _IMPORT.sub(lambda m: m.group(1) + m.group(2) + m.group(3) + backend, text)


def _entry(key, value) -> dict:
    if hasattr(value, "asnumpy"):
        value = value.asnumpy()
    arr = np.asarray(value)
    if arr.dtype == object or arr.dtype.kind == "c":
        raise TypeError("result %r: %s values cannot be recorded" % (key, arr.dtype))
    return {"shape": list(arr.shape), "dtype": str(arr.dtype),
            "data": arr.astype(np.float64).ravel().tolist()}


def run_case(name: str, backend: str) -> dict:
    """Run one case in this process under ``backend``; its result as recorded."""
    directory = tempfile.mkdtemp(prefix="ms_case_")
    module_name = "ms_case_%s_%s" % (backend, re.sub(r"\W", "_", name))
    path = os.path.join(directory, module_name + ".py")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(source(name, backend))
    # a case's own temporary files (checkpoints, MindRecord files) go under its directory,
    # removed with it
    scratch, tempfile.tempdir = tempfile.tempdir, directory
    try:
        spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
        out = module.run()
        return {"case": name, "backend": backend, "status": "ok",
                "values": {k: _entry(k, v) for k, v in out.items()},
                # a case that computes in float16 says how close it must come
                "tolerance": list(getattr(module, "TOLERANCE", (RTOL, ATOL)))}
    except Exception as exc:  # noqa: BLE001 - recorded
        return {"case": name, "backend": backend, "status": "error",
                "error": "%s: %s" % (type(exc).__name__, (str(exc).splitlines() or [""])[0]),
                "traceback": traceback.format_exc()[-3000:]}
    finally:
        sys.modules.pop(module_name, None)
        tempfile.tempdir = scratch
        shutil.rmtree(directory, ignore_errors=True)  # (the suite runs every case)


def reference(name: str) -> dict:
    with open(os.path.join(REFERENCE, name + ".json"), encoding="utf-8") as fh:
        return json.load(fh)


def differences(ref: dict, got: dict) -> list[str]:
    """What differs between a recorded result and ours (empty: they agree)."""
    if ref["status"] == "error":
        return [] if got["status"] == "error" else ["MindSpore raised (%s); we did not"
                                                    % ref["error"]]
    if got["status"] == "error":
        return ["we raised: %s\n%s" % (got["error"], got.get("traceback", ""))]
    out = []
    want, have = ref["values"], got["values"]
    rtol, atol = got.get("tolerance", (RTOL, ATOL))
    if set(want) != set(have):
        out.append("keys differ: missing %s, extra %s" % (sorted(set(want) - set(have)),
                                                          sorted(set(have) - set(want))))
    for key in sorted(set(want) & set(have)):
        a, b = want[key], have[key]
        if a["shape"] != b["shape"]:
            out.append("%s: shape %s, MindSpore %s" % (key, b["shape"], a["shape"]))
            continue
        x, y = np.array(b["data"]), np.array(a["data"])
        if not np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=True):
            worst = int(np.argmax(np.abs(x - y))) if x.size else 0
            out.append("%s: %r, MindSpore %r (first of the worst at flat index %d)"
                       % (key, x.ravel()[worst], y.ravel()[worst], worst))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="tools/ms_cases.py", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("record", "compare"))
    parser.add_argument("names", nargs="*", help="cases (default: all; record: the unrecorded)")
    args = parser.parse_args(argv)
    if args.command == "record":
        todo = args.names or [n for n in names()
                              if not os.path.exists(os.path.join(REFERENCE, n + ".json"))]
        for name in todo:
            result = run_case(name, "mindspore")
            result["backend_version"] = str(sys.modules["mindspore"].__version__)
            with open(os.path.join(REFERENCE, name + ".json"), "w", encoding="utf-8") as fh:
                json.dump(result, fh, indent=1, sort_keys=True)
            print("%-6s %s %s" % (result["status"], name, result.get("error", "")))
        return 0
    sys.path.insert(0, ROOT)
    failed = 0
    for name in args.names or names():
        diff = differences(reference(name), run_case(name, "autograd_st"))
        failed += bool(diff)
        print("%s %s" % ("FAIL" if diff else "PASS", name))
        for line in diff:
            print("    " + line)
    print("%d passed, %d failed" % (len(args.names or names()) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
