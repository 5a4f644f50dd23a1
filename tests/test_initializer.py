"""mindspore.common.initializer over autograd_st: the same distributions as MindSpore 2.10.

``tests/fixtures/ms_initializer_stats.json`` holds the mean, std, min and max of MindSpore's
``initializer(init, shape, mstype.float32)`` for each case (``tools/measure_initializers.py``,
side venv).  The random streams differ, so the test compares statistics: the std within 3%,
the mean within 5 standard errors, the extremes of bounded distributions within 1% of the
bound (200,000 draws each); constants exactly.
"""
from __future__ import annotations

import json
import math
import os

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Parameter, Tensor, nn
from autograd_st.common import dtype as mstype
from autograd_st.common.initializer import (  # noqa: F401  (the cases name them)
    Constant,
    HeNormal,
    HeUniform,
    Initializer,
    Normal,
    One,
    TruncatedNormal,
    Uniform,
    XavierNormal,
    XavierUniform,
    Zero,
    initializer,
)

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures",
                       "ms_initializer_stats.json"), encoding="utf-8") as _fh:
    STATS = json.load(_fh)


@pytest.mark.parametrize("key", sorted(STATS))
def test_statistics_match_mindspore(key):
    want = STATS[key]
    nn.seed_initializers(0)
    arr = initializer(eval(want["init"]), tuple(want["shape"]), mstype.float32).asnumpy()
    assert str(arr.dtype) == want["dtype"] == "float32"
    assert list(arr.shape) == want["shape"]
    if want["std"] == 0:
        assert arr.min() == want["min"] and arr.max() == want["max"]
        return
    assert arr.std() == pytest.approx(want["std"], rel=0.03)
    assert abs(arr.mean() - want["mean"]) < 5 * want["std"] / math.sqrt(arr.size) + 1e-7
    assert arr.min() >= want["min"] - 0.25 * want["std"] - 1e-6 or "Normal" in want["init"] \
        or "normal" in want["init"]
    assert arr.max() <= want["max"] + 0.25 * want["std"] + 1e-6 or "Normal" in want["init"] \
        or "normal" in want["init"]
    if "niform" in want["init"]:  # a uniform's extremes are its bounds
        assert arr.min() == pytest.approx(want["min"], abs=0.01 * want["std"] + 1e-4)
        assert arr.max() == pytest.approx(want["max"], abs=0.01 * want["std"] + 1e-4)


def test_bounds_by_formula():
    nn.seed_initializers(1)
    arr = initializer(HeUniform(), (30, 600)).asnumpy()  # gain sqrt(2): sqrt(6 / fan_in)
    assert np.abs(arr).max() <= math.sqrt(6 / 600) and np.abs(arr).max() > 0.99 * math.sqrt(
        6 / 600)
    arr = initializer(XavierUniform(3), (20, 10, 2, 2)).asnumpy()  # fans 40, 80
    assert np.abs(arr).max() <= 3 * math.sqrt(6 / 120)
    arr = initializer(TruncatedNormal(1.0, 5.0, -2.0, 2.0), (5000,)).asnumpy()
    assert arr.min() >= -2.0 and arr.max() <= 2.0  # bounds on values, not in sigmas


def test_initializer_forms():
    assert initializer("ones", [2], mstype.float16).dtype == ms.float16
    np.testing.assert_array_equal(initializer(Constant(2.5), (2,), mstype.int32).asnumpy(),
                                  [2, 2])
    np.testing.assert_array_equal(initializer(True, (2,)).asnumpy(), [1.0, 1.0])
    t = Tensor(np.ones(3, np.float64))
    assert initializer(t, (3,), mstype.float32).dtype == ms.float64  # keeps its dtype
    assert initializer(Normal(), 3).shape == (3,)
    with pytest.raises(ValueError, match="same as the argument 'shape'"):
        initializer(Tensor(np.ones(3, np.float32)), (2,))
    with pytest.raises(ValueError, match="'nope' was not found"):
        initializer("nope", (2,))
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        initializer(XavierUniform(), (5,))
    with pytest.raises(ValueError, match="mode"):
        initializer(HeUniform(mode="bad"), (2, 2))
    arr = np.zeros((2, 3), np.float32)
    assert Normal(1.0)(arr) is arr and arr.std() > 0  # MindSpore's init(arr): in place
    assert "he_normal" and initializer("HE_NORMAL", (4, 4)).shape == (4, 4)


def test_seeded_and_usable_in_layers():
    nn.seed_initializers(5)
    a = initializer(Normal(), (3, 3)).asnumpy()
    nn.seed_initializers(5)
    np.testing.assert_array_equal(initializer(Normal(), (3, 3)).asnumpy(), a)
    nn.seed_initializers(0)
    dense = nn.Dense(3, 2, weight_init=Normal(0.5, 1.0), bias_init=Zero())
    w = dense.weight.asnumpy()
    assert w.shape == (2, 3) and w.dtype == np.float32 and np.abs(w - 1.0).max() < 2.5
    np.testing.assert_array_equal(dense.bias.asnumpy(), [0.0, 0.0])
    dense = nn.Dense(3, 2, weight_init=initializer("ones", (2, 3)), bias_init="zeros")
    np.testing.assert_array_equal(dense.weight.asnumpy(), np.ones((2, 3)))
    conv = nn.Conv2d(1, 2, 3, weight_init=XavierNormal())
    assert conv.weight.shape == (2, 1, 3, 3)
    p = Parameter(initializer("zeros", (2, 2), mstype.float32), name="p")
    assert p.name == "p" and p.asnumpy().sum() == 0
    assert isinstance(HeNormal(), Initializer) and repr(Uniform(0.3)) == "Uniform(scale=0.3)"
    assert mstype.float32 == ms.float32 and mstype.int32 == np.int32
