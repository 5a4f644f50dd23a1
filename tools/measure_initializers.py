"""Measure MindSpore 2.10's initializers for tests/test_initializer.py.

Run in the side venv: ``../ms-venv/bin/python tools/measure_initializers.py``.  Writes
``tests/fixtures/ms_initializer_stats.json``: for each case (an initializer expression and a
shape, the same text evaluated by the test over autograd_st), the mean, std, min and max of
MindSpore's ``initializer(init, shape, mstype.float32)`` and its dtype.
"""
from __future__ import annotations

import json
import os

import mindspore as ms
from mindspore.common import dtype as mstype
from mindspore.common.initializer import (  # noqa: F401  (the cases name them)
    Constant,
    HeNormal,
    HeUniform,
    Normal,
    One,
    TruncatedNormal,
    Uniform,
    XavierNormal,
    XavierUniform,
    Zero,
    initializer,
)

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests",
                   "fixtures", "ms_initializer_stats.json")
BIG = (400, 500)
CASES = [
    ("Normal()", BIG), ("Normal(0.5, 2.0)", BIG), ("Uniform()", BIG), ("Uniform(0.3)", BIG),
    ("XavierUniform()", BIG), ("XavierUniform(2)", BIG), ("XavierNormal()", BIG),
    ("XavierNormal(0.5)", BIG), ("HeUniform()", BIG), ("HeUniform(negative_slope=5 ** 0.5)", BIG),
    ("HeUniform(mode='fan_out')", BIG), ("HeUniform(nonlinearity='relu')", BIG),
    ("HeUniform(nonlinearity='tanh')", BIG), ("HeNormal()", BIG),
    ("HeNormal(mode='fan_out', nonlinearity='sigmoid')", BIG), ("TruncatedNormal()", BIG),
    ("TruncatedNormal(1.0)", BIG), ("TruncatedNormal(1.0, 5.0)", BIG),
    ("TruncatedNormal(1.0, 0.0, -0.5, 1.0)", BIG), ("TruncatedNormal(0.2, 0.1, 0.0, 0.3)", BIG),
    ("'normal'", BIG), ("'uniform'", BIG), ("'truncatednormal'", BIG), ("'xavier_uniform'", BIG),
    ("'XavierNormal'", BIG), ("'he_uniform'", BIG), ("'HeNormal'", BIG), ("'zeros'", (3, 4)),
    ("'ones'", (3, 4)), ("Constant(2.5)", (3, 4)), ("Zero()", (2,)), ("One()", (2,)),
    ("HeUniform()", (64, 32, 3, 3)), ("XavierUniform()", (64, 32, 5, 5)), ("7", (2, 2)),
]


def main():
    ms.set_seed(0)
    stats = {}
    for text, shape in CASES:
        arr = initializer(eval(text), shape, mstype.float32).asnumpy()  # noqa: S307
        stats["%s @ %s" % (text, shape)] = {
            "init": text, "shape": list(shape), "dtype": str(arr.dtype),
            "mean": float(arr.mean()), "std": float(arr.std()), "min": float(arr.min()),
            "max": float(arr.max())}
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(stats, fh, indent=1, sort_keys=True)
        fh.write("\n")
    print("wrote %d cases with MindSpore %s" % (len(stats), ms.__version__))


if __name__ == "__main__":
    main()
