"""The gradients the benchmark (tools/bench) times are right: on small instances of every
workload W1..W9, the hand-written numpy gradient and the expert one match central finite
differences in float64, the expert one matches the hand-written one at full size, and
autograd_st's gradient matches the hand-written one (float32 and float64)."""
import os
import sys

import numpy as np
import pytest

_BENCH = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "tools", "bench")
if _BENCH not in sys.path:
    sys.path.insert(0, _BENCH)

import check  # noqa: E402
import workloads  # noqa: E402

NAMES = [w.name for w in workloads.WORKLOADS]


@pytest.mark.parametrize("name", NAMES)
def test_hand_written_matches_finite_differences(name):
    w = workloads.get(name)
    assert check.fd_check(w, rtol=1e-6) <= 1e-6


@pytest.mark.parametrize("name", NAMES)
def test_expert_matches_finite_differences(name):
    w = workloads.get(name)
    assert check.fd_check(w, rtol=1e-6, method="hand_expert") <= 1e-6


@pytest.mark.parametrize("name", [n for n in NAMES
                                  if not getattr(workloads.get(n), "hand_expert_is_hand", 0)])
def test_expert_matches_hand_written(name):
    """The expert version (in place, preallocated, batched) gives the careful version's
    numbers: at the small size in float64 to rounding, at the benchmark's size in float32."""
    w = workloads.get(name)
    small = w.make(small=True, dtype=np.float64)
    check.compare(name, w.hand_expert(*small), w.hand(*small), rtol=1e-10)
    if name != "W6":  # (W6 at full size is two 1024^3 matmuls: the benchmark compares it)
        full = w.make()
        check.compare(name, w.hand_expert(*full), w.hand(*full), rtol=2e-5)


@pytest.mark.parametrize("name", ["W7", "W8", "W9"])
def test_model_workloads_use_the_nn_layers(name):
    """W7..W9 are written as a MindSpore user writes them: the nn layers, every parameter a
    Parameter of the net, in trainable_params() order (the data tuple's order after the
    inputs), differentiated by value_and_grad w.r.t. all of them."""
    w = workloads.get(name)
    arrays = w.make(small=True, dtype=np.float64)
    call, _ = w.autograd_st(arrays)
    params = call.net.trainable_params()
    assert len(params) == len(w.wrt)
    for p, pos in zip(params, w.wrt):
        np.testing.assert_array_equal(p.asnumpy(), arrays[pos])
    layers = {type(c).__name__ for _, c in call.net.cells_and_names()}
    want = {"W7": {"Conv2d", "MaxPool2d", "Dense", "SoftmaxCrossEntropyWithLogits", "ReLU"},
            "W8": {"LayerNorm", "MultiheadAttention", "Dense", "GELU"},
            "W9": {"LSTM"}}[name]
    assert want <= layers


def test_w8_padding_mask_changes_the_gradient():
    """The padding mask is live: unmasking the padded keys changes the loss and gradients."""
    w = workloads.get("W8")
    arrays = list(w.make(small=True, dtype=np.float64))
    assert arrays[1].any()
    masked = w.hand(*arrays)
    arrays[1] = np.zeros_like(arrays[1])
    unmasked = w.hand(*arrays)
    assert abs(masked[0] - unmasked[0]) > 1e-6
    call, extract = w.autograd_st(arrays)
    check.compare("W8 unmasked", extract(call()), unmasked, rtol=1e-10)


@pytest.mark.parametrize("dtype,rtol", [(np.float64, 1e-10), (np.float32, 2e-5)])
@pytest.mark.parametrize("name", NAMES)
def test_autograd_st_matches_hand_written(name, dtype, rtol):
    w = workloads.get(name)
    arrays = w.make(small=True, dtype=dtype)
    want = w.hand(*arrays)
    call, extract = w.autograd_st(arrays)
    got = extract(call())
    check.compare(name, got, want, rtol=rtol)
    # a second (cached) call gives the same
    again = extract(call())
    check.compare(name + " (cached call)", again, got, rtol=0.0)
    for g, pos in zip(got[1], w.wrt):
        assert g.shape == arrays[pos].shape
        assert g.dtype == arrays[pos].dtype


def test_tutorial_grad_net_wrt_x_matches_hand_written():
    """W1 the way the tutorials write it: GradOperation inside another Cell's construct."""
    w = workloads.get("W1")
    arrays = w.make(small=True)
    call, extract = w.autograd_st(arrays, tutorial=True)
    check.compare("W1 GradNetWrtX", extract(call()), w.hand(*arrays), rtol=2e-6)


def test_bench_compares_full_size_w1_and_w5():
    """W1 and W5 are tiny at full size too: the exact instances the benchmark times."""
    for name in ("W1", "W5"):
        w = workloads.get(name)
        arrays = w.make()
        call, extract = w.autograd_st(arrays)
        check.compare(name, extract(call()), w.hand(*arrays), rtol=2e-5)


def test_finite_difference_check_catches_a_wrong_gradient():
    class Wrong(workloads.W5):
        def hand(self, x):
            value, (dx,) = super().hand(x)
            return value, (dx * 1.01,)
    with pytest.raises(check.VerificationError):
        check.fd_check(Wrong())


def test_compare_catches_a_wrong_gradient():
    a = np.ones(3)
    with pytest.raises(check.VerificationError):
        check.compare("x", (None, [a * 1.001]), (None, [a]), rtol=1e-4)
