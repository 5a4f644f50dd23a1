"""Run MindSpore's own PyNative autodiff unit tests on autograd_st and compare with MindSpore.

MindSpore's repository keeps unit tests under ``tests/ut/python/pynative_mode/`` (issue 17 names
16 of them, ``FILES`` below). Their code never comes into this project: point ``--tests`` at a
MindSpore checkout's tree (a folder holding ``tests/ut/python/pynative_mode/...``, the support
modules ``tests/ut/python/ut_filter.py`` and ``tests/mindspore_test_framework/...`` and the
``__init__.py`` files), for example ``/work/ms_ut``.

What the tool does:

1. copies that tree to a temporary folder;
2. rewrites only the import lines of every ``.py`` file there, ``mindspore`` -> ``autograd_st``
   (``rewrite_source``): ``from mindspore.x import y`` -> ``from autograd_st.x import y``,
   ``import mindspore.x as z`` -> ``import autograd_st.x as z``, and ``import mindspore`` /
   ``import mindspore.x`` (which bind the name ``mindspore``) -> ``import autograd_st as mindspore``
   (plus ``import autograd_st.x``), so the test body keeps its ``mindspore.float32``;
3. replaces two support modules that query MindSpore's internals by stubs (``STUBS``) unless
   ``--no-stubs``: ``tests/vm_impl/__init__.py`` (``tests/ut/python/__init__.py`` imports it to
   register Python kernels into MindSpore's graph-VM registry, ``mindspore.ops.vm_impl_registry``;
   without the stub every test fails at collection) and ``tests/security_utils.py`` (asks
   ``mindspore._c_expression.security`` whether MindSpore was built with security on; the stub
   answers off, as the MindSpore 2.10 wheel does, so the wrapped tests run);
4. runs pytest on the files (``--continue-on-collection-errors``) with ``PYTHONPATH`` = the
   autograd_st checkout (``--checkout``, default: this repository) and writes a JUnit XML; with
   ``--per-file`` one pytest process per file (no state such as ``context.set_context(mode=...)``
   leaks from one file into the next; ``test_insert_grad_of.py::test_cell_assign`` leaves
   GRAPH_MODE set), the XMLs merged into one;
5. with ``--ms-junit FILE...`` (MindSpore's JUnit XMLs for the same files, made by running pytest
   on the untouched tree in the MindSpore venv; several are merged), prints per file how many tests pass on MindSpore,
   how many of those pass on autograd_st, and for each test passing on MindSpore but not on ours
   the error's last line; then the same failures grouped by that line.

Usage::

    cd /work/ms_ut && GLOG_v=3 /work/ms-venv/bin/python -m pytest $(cat files.txt) \\
        -p no:cacheprovider -q --continue-on-collection-errors --junitxml=ms_junit.xml
    python tools/ms_pynative_ut.py --tests /work/ms_ut --ms-junit /work/ms_ut/ms_junit.xml \\
        --json /tmp/ours.json

``--ours-junit FILE`` skips the run and compares an existing autograd_st JUnit XML.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UT_DIR = "tests/ut/python/pynative_mode"
FILES = (
    "test_stop_gradient.py", "test_cell_bprop.py", "test_framstruct.py",
    "test_insert_grad_of.py", "test_user_define_bprop_check.py", "test_kw_and_kwarg.py",
    "test_tuple_parameter.py", "test_outermost_non_tensor_input.py",
    "test_remove_unnecessary_phi.py", "test_partial.py", "ops/test_grad.py",
    "grad/test_auto_grad.py", "nn/test_cell.py", "nn/test_container.py", "nn/test_dense.py",
    "nn/test_loss.py",
)
SOURCE, TARGET = "mindspore", "autograd_st"
_FROM = re.compile(r"^(\s*from\s+)mindspore(?=[.\s])")
_IMPORT = re.compile(r"^(\s*import\s+)(.*?)(\s*(#.*)?)$")
_MODULE = re.compile(r"^mindspore(\.[\w.]+)?$")
_STUB_DOC = '"""Stub put here by tools/ms_pynative_ut.py: {} is MindSpore-internal."""\n'
STUBS = {
    "tests/vm_impl/__init__.py": _STUB_DOC.format("the graph-VM kernel registry") + "vm = None\n",
    "tests/security_utils.py": _STUB_DOC.format("the security build flag")
    + "\n\ndef security_off_wrap(func):\n    return func\n",
}


def _rewrite_import_item(item: str) -> str:
    """One ``a.b [as c]`` item of an ``import`` statement, pointed at autograd_st."""
    parts = item.split()
    if not parts or not _MODULE.match(parts[0]):
        return item
    module = TARGET + parts[0][len(SOURCE):]
    if len(parts) == 3 and parts[1] == "as":
        return f"{module} as {parts[2]}"
    if module == TARGET:
        return f"{TARGET} as {SOURCE}"
    # ``import mindspore.x`` binds ``mindspore``: keep that name bound, and import the submodule.
    return f"{TARGET} as {SOURCE}, {module}"


def rewrite_line(line: str) -> str:
    """``line`` with a ``mindspore`` import pointed at autograd_st; any other line unchanged."""
    match = _FROM.match(line)
    if match:
        return match.group(1) + TARGET + line[match.end():]
    match = _IMPORT.match(line)
    if not match or SOURCE not in match.group(2):
        return line
    if ";" in match.group(2):  # ``import mindspore as ms; ms.set_seed(0)``: each statement
        # rewritten one by one (the text after ``;`` was dropped before)
        head, rest = line.split(";", 1)
        stripped = rest.lstrip(" ")
        return rewrite_line(head) + ";" + rest[:len(rest) - len(stripped)] \
            + rewrite_line(stripped)
    items = [_rewrite_import_item(item.strip()) for item in match.group(2).split(",")]
    return match.group(1) + ", ".join(items) + match.group(3)


def rewrite_source(text: str) -> str:
    """Every line of ``text`` through ``rewrite_line`` (line count and endings unchanged)."""
    return "".join(rewrite_line(line[:-1]) + "\n" if line.endswith("\n") else rewrite_line(line)
                   for line in text.splitlines(keepends=True))


def rewrite_tree(tree: str, skip=()) -> None:
    """Every ``.py`` file under ``tree`` (but those whose path relative to it is in ``skip``)
    through ``rewrite_source``, in place."""
    for folder, _, names in os.walk(tree):
        for name in names:
            if name.endswith(".py") and os.path.join(os.path.relpath(folder, tree), name) \
                    not in skip:
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                new = rewrite_source(text)
                if new != text:
                    with open(path, "w", encoding="utf-8") as f:
                        f.write(new)


def prepare_tree(tests_dir: str, dest: str, stubs: bool = True) -> None:
    """Copy ``tests_dir`` to ``dest``, rewrite the imports of its ``.py`` files, put in ``STUBS``."""
    shutil.copytree(tests_dir, dest, ignore=shutil.ignore_patterns(
        "__pycache__", "*.pyc", "*.xml", "*.log", ".pytest_cache"))
    rewrite_tree(dest)
    for rel, text in STUBS.items() if stubs else ():
        path = os.path.join(dest, rel)
        if os.path.exists(path):
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)


def run_pytest(tree: str, files, junit: str, checkout: str, python: str, timeout: float) -> int:
    """pytest on ``files`` (relative to ``UT_DIR``) in ``tree``; JUnit XML to ``junit``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (checkout, env.get("PYTHONPATH")) if p)
    cmd = [python, "-m", "pytest", *[f"{UT_DIR}/{f}" for f in files], "-p", "no:cacheprovider",
           "-q", "-rA", "--continue-on-collection-errors", f"--junitxml={junit}"]
    try:
        proc = subprocess.run(cmd, cwd=tree, env=env, timeout=timeout,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except subprocess.TimeoutExpired:
        print(f"pytest ran past {timeout:.0f} s: {' '.join(files)} left out", file=sys.stderr)
        return 124
    tail = proc.stdout.strip().splitlines()[-1:] if proc.stdout.strip() else []
    print("pytest:", " ".join(files) if len(files) == 1 else "", *tail)
    return proc.returncode


def merge_junit(paths, out: str) -> None:
    """The test suites of the JUnit XMLs ``paths`` (those that exist) in one file ``out``."""
    root = ET.Element("testsuites")
    for path in paths:
        if os.path.exists(path):
            got = ET.parse(path).getroot()
            root.extend(got.iter("testsuite") if got.tag == "testsuites" else [got])
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)


def _last_line(element) -> str:
    """The last ``E   ...`` line of a failure's text, else its message."""
    text = element.text or ""
    lines = [ln[1:].strip() for ln in text.splitlines() if ln.startswith("E ")]
    lines = [ln for ln in lines if ln]
    if lines:
        return lines[-1]
    message = (element.get("message") or "").strip()
    return message.splitlines()[-1] if message else element.tag


def _test_id(classname: str, name: str = "") -> str:
    """``tests.ut.python.pynative_mode.nn.test_container.TestCellList``, ``test_x`` ->
    ``nn/test_container.py::TestCellList::test_x`` (no ``name``: just the file)."""
    prefix = UT_DIR.replace("/", ".") + "."
    dotted = classname[len(prefix):] if classname.startswith(prefix) else classname
    parts = dotted.split(".")
    cut = next((i for i, p in enumerate(parts) if p.startswith("test_")), len(parts) - 1) + 1
    test = "/".join(parts[:cut]) + ".py"
    return "::".join([test, *parts[cut:], *([name] if name else [])])


def parse_junit(paths) -> dict:
    """``{"tests": {"file.py::name": (status, last_line)}, "collection": {"file.py": line}}`` from
    one JUnit XML path or several (merged).

    status is ``passed``, ``failed``, ``error`` or ``skipped``."""
    if isinstance(paths, str):
        paths = [paths]
    tests, collection = {}, {}
    cases = [case for path in paths for case in ET.parse(path).getroot().iter("testcase")]
    for case in cases:
        classname, name = case.get("classname", ""), case.get("name", "")
        status, line = "passed", ""
        for tag in ("failure", "error", "skipped"):
            child = case.find(tag)
            if child is not None:
                status = {"failure": "failed"}.get(tag, tag)
                line = _last_line(child) if tag != "skipped" else (child.get("message") or "")
                break
        if not classname:  # a collection error: name is the module's dotted path
            collection[_test_id(name)] = line
            continue
        tests[_test_id(classname, name)] = (status, line)
    return {"tests": tests, "collection": collection}


def compare(ms: dict | None, ours: dict, files=FILES) -> dict:
    """Per file: tests passing on MindSpore, on ours, and the ones MindSpore passes that we fail."""
    out = {"files": {}, "total": {"ms_passed": 0, "ours_passed": 0, "both_passed": 0}}
    for file in files:
        ours_file = {k: v for k, v in ours["tests"].items() if k.startswith(file + "::")}
        ms_file = ({k: v for k, v in ms["tests"].items() if k.startswith(file + "::")}
                   if ms else ours_file)
        ms_pass = sorted(k for k, v in ms_file.items() if v[0] == "passed")
        ours_pass = sorted(k for k, v in ours_file.items() if v[0] == "passed")
        missing = {}
        for test in ms_pass:
            status, line = ours_file.get(test, ("not run", ours["collection"].get(file, "")))
            if status != "passed":
                missing[test] = {"status": status, "error": line}
        both = len(ms_pass) - len(missing)
        out["files"][file] = {"ms_passed": len(ms_pass), "ours_passed": len(ours_pass),
                              "both_passed": both, "failing": missing, "ms_tests": ms_pass,
                              "collection_error": ours["collection"].get(file)}
        out["total"]["ms_passed"] += len(ms_pass)
        out["total"]["ours_passed"] += len(ours_pass)
        out["total"]["both_passed"] += both
    return out


def _cause(line: str) -> str:
    """An error line with addresses, paths, function and Cell names blurred, to group by."""
    line = re.sub(r"0x[0-9a-f]+", "0x..", line)
    line = re.sub(r"/[\w./-]+\.py", "<file>", line)
    line = re.sub(r"argument (\d+) of \S+ is", r"argument \1 of <function> is", line)
    line = re.sub(r"^AttributeError: '\w+' object has no", "AttributeError: '<Cell>' object has no", line)
    return line[:160]


def report(result: dict, with_ms: bool) -> str:
    """The text table printed by the command line."""
    rows = [f"{'file':40} {'MindSpore':>9} {'ours':>5} {'both':>5}"]
    for file, r in result["files"].items():
        ms = r["ms_passed"] if with_ms else "-"
        rows.append(f"{file:40} {ms:>9} {r['ours_passed']:>5} {r['both_passed'] if with_ms else '-':>5}")
    t = result["total"]
    rows.append(f"{'TOTAL':40} {t['ms_passed'] if with_ms else '-':>9} {t['ours_passed']:>5} "
                f"{t['both_passed'] if with_ms else '-':>5}")
    if not with_ms:
        return "\n".join(rows)
    causes: dict[str, list[str]] = {}
    rows.append("\nPassing on MindSpore, not on autograd_st:")
    for file, r in result["files"].items():
        for test, info in r["failing"].items():
            rows.append(f"  {test}: [{info['status']}] {info['error']}")
            causes.setdefault(_cause(info["error"]), []).append(test)
    rows.append("\nGrouped by error line:")
    for cause, tests in sorted(causes.items(), key=lambda kv: -len(kv[1])):
        rows.append(f"  {len(tests):3}  {cause}")
        rows.extend(f"         {t}" for t in tests)
    return "\n".join(rows)


def markdown(result: dict) -> str:
    """Every test that passes on MindSpore, file by file, and whether it passes on autograd_st
    with only its imports rewritten (the page docs/mindspore_unit_tests.md is made of)."""
    t = result["total"]
    rows = [f"Of the {t['ms_passed']} tests that pass on MindSpore, {t['both_passed']} pass on "
            "autograd_st with only their imports rewritten.", "",
            "| file | MindSpore | autograd_st |", "|---|---:|---:|"]
    rows += [f"| `{f}` | {r['ms_passed']} | {r['both_passed']} |"
             for f, r in result["files"].items()]
    for file, r in result["files"].items():
        rows += ["", f"### `{file}`", ""]
        for test in r.get("ms_tests", []):
            info = r["failing"].get(test)
            name = test.split("::", 1)[1]
            rows.append(f"- `{name}`: " + ("passes" if info is None else
                                           f"fails ({info['status']}): {info['error'][:200]}"))
    return "\n".join(rows) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tests", help="MindSpore test tree (holds tests/ut/python/pynative_mode)")
    parser.add_argument("--ms-junit", nargs="+", help="MindSpore's JUnit XML(s) for the files")
    parser.add_argument("--ours-junit", help="compare this autograd_st JUnit XML (no run)")
    parser.add_argument("--json", help="write the comparison as JSON here")
    parser.add_argument("--markdown", help="write every MindSpore-passing test's result here")
    parser.add_argument("--junit-out", help="keep autograd_st's JUnit XML here")
    parser.add_argument("--checkout", default=ROOT, help="autograd_st checkout for PYTHONPATH")
    parser.add_argument("--python", default=sys.executable, help="interpreter that runs pytest")
    parser.add_argument("--files", nargs="*", default=list(FILES), help="files under " + UT_DIR)
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds for a run")
    parser.add_argument("--per-file", action="store_true", help="one pytest process per file")
    parser.add_argument("--no-stubs", action="store_true",
                        help="keep the MindSpore-internal support modules in STUBS as they are")
    parser.add_argument("--keep-tree", action="store_true", help="keep the rewritten copy")
    args = parser.parse_args(argv)
    if args.ours_junit:
        ours_junit = args.ours_junit
    else:
        if not args.tests or not os.path.isdir(os.path.join(args.tests, UT_DIR)):
            parser.error(f"--tests must name a folder holding {UT_DIR}")
        work = tempfile.mkdtemp(prefix="ms_pynative_ut_")
        tree = os.path.join(work, "tree")
        prepare_tree(args.tests, tree, not args.no_stubs)
        ours_junit = args.junit_out or os.path.join(work, "ours.xml")
        if args.per_file:
            parts = [os.path.join(work, f"part{i}.xml") for i in range(len(args.files))]
            for file, part in zip(args.files, parts):
                run_pytest(tree, [file], part, args.checkout, args.python, args.timeout)
            merge_junit(parts, ours_junit)
        else:
            run_pytest(tree, args.files, ours_junit, args.checkout, args.python, args.timeout)
        if args.keep_tree:
            print("rewritten tree:", tree)
        if not os.path.exists(ours_junit):
            return 2
    ours = parse_junit(ours_junit)
    ms = parse_junit(args.ms_junit) if args.ms_junit else None
    result = compare(ms, ours, args.files)
    print(report(result, ms is not None))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=1)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(markdown(result))
    if not args.ours_junit and not args.keep_tree:
        shutil.rmtree(os.path.dirname(tree), ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
