"""tools/api_coverage.py: the coverage page is what the tool writes now, and the tool's
classification says the truth about a few names whose status is known."""
from __future__ import annotations

import importlib.util
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_spec = importlib.util.spec_from_file_location(
    "api_coverage", os.path.join(ROOT, "tools", "api_coverage.py"))
cov = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cov)


def test_doc_is_up_to_date():
    with open(cov.DOC, encoding="utf-8") as fh:
        current = fh.read()
    assert current == cov.render(), (
        "docs/api_coverage.md is out of date; regenerate it with: "
        "python tools/api_coverage.py --write")


def test_saved_lists_are_mindspores():
    for ns, _title, _how in cov.NAMESPACES:
        names = cov.saved_names(ns)
        assert names == sorted(set(names)), ns
    assert len(cov.saved_names("ops_functions")) > 800
    assert {"split", "matmul", "softmax"} <= set(cov.saved_names("ops_functions"))
    assert {"Split", "MatMul", "GradOperation"} <= set(cov.saved_names("ops_classes"))
    assert {"Dense", "Conv2d", "BatchNorm2d"} <= set(cov.saved_names("nn_classes"))
    assert {"asnumpy", "reshape", "shape"} <= set(cov.saved_names("tensor_methods"))
    assert {"save_checkpoint", "set_seed", "Tensor"} <= set(cov.saved_names("mindspore"))


@pytest.mark.parametrize("ns, name, status", [
    ("ops_functions", "exp", cov.GRADIENT),          # a row over a primitive with a vjp
    ("ops_functions", "rsqrt", cov.GRADIENT),        # an adapter over P.div / P.sqrt
    ("ops_functions", "stop_gradient", cov.FORWARD),  # diff=()
    ("ops_functions", "ones", cov.FORWARD),          # builds a constant
    ("ops_classes", "MatMul", cov.GRADIENT),         # a class with attributes, over P.matmul
    ("ops_classes", "ReduceSum", cov.GRADIENT),      # FUNCTIONS[fn_name] through a closure
    ("ops_classes", "StopGradient", cov.FORWARD),
    ("nn_classes", "Dense", cov.GRADIENT),
    ("tensor_methods", "asnumpy", cov.FORWARD),
    ("tensor_methods", "sum", cov.GRADIENT),
    ("mindspore", "Tensor", cov.PRESENT),
    ("ops_functions", "no_such_op_anywhere", cov.MISSING),
    ("ops_classes", "exp", cov.MISSING),             # a function is not a class
    ("mint_functions", "max", cov.GRADIENT),         # a bindable adapter over ops rows
    ("mint_functions", "linalg.vector_norm", cov.GRADIENT),
    ("mint_functions", "isclose", cov.FORWARD),
    ("mint_nn", "Linear", cov.GRADIENT),
    ("mint_nn", "functional.cross_entropy", cov.GRADIENT),
    ("mint_optim", "AdamW", cov.PRESENT),
])
def test_classify(ns, name, status):
    assert cov.classify(ns, name) == status


def test_missing_names_are_ranked_by_usage():
    used = cov.usage()
    assert used[("nn_classes", "Conv2d")] > used.get(("nn_classes", "Conv3d"), 0) > 0
    text = cov.render()
    line = next(ln for ln in text.splitlines() if ln.startswith("**missing**")
                and "most-used" in ln)
    counts = [int(part.split("(")[1].split(")")[0]) for part in line.split(": ", 1)[1]
              .split(", ") if "(" in part]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
