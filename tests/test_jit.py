"""ms.jit: the fused path (compiler/fuse.py, jit_numba.py) gives the numbers of the numpy path.

Each test compares a jitted gradient with the same gradient on the numpy path (and, where
short, with values derived by hand), checks that the kernels really ran (a run's plan holds
a kernel, no note), and covers the fallbacks: inputs a kernel does not take and a kernel
numba cannot compile run the numpy code with a JitFallbackWarning; without numba, ms.jit
changes nothing.  numba is in the ``test`` extra; the kernels go to a fresh cache folder,
so these tests also measure a cold cache.
"""
from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import warnings

import numpy as np
import pytest
from helpers import assert_close

import autograd_st as ms
from autograd_st import Parameter, Tensor, nn, ops
from autograd_st.compiler import fuse
from autograd_st.compiler.fuse import RunSpec
from autograd_st.jit_numba import JitFallbackWarning

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True, scope="module")
def _kernel_cache(tmp_path_factory):
    """Kernels and numba's cache in a fresh folder (a cold cache, as on a new machine)."""
    old = os.environ.get("AUTOGRAD_ST_JIT_CACHE")
    os.environ["AUTOGRAD_ST_JIT_CACHE"] = str(tmp_path_factory.mktemp("jit_cache"))
    yield
    if old is None:
        os.environ.pop("AUTOGRAD_ST_JIT_CACHE", None)
    else:
        os.environ["AUTOGRAD_ST_JIT_CACHE"] = old


def expr20(x):  # tools/bench W5
    a = x * x
    b = ops.sin(a)
    c = b + x
    d = ops.tanh(c)
    e = d * 0.5
    f = ops.exp(e)
    g = f - x
    h = g * c
    i = ops.cos(h)
    j = i + d
    k = j * j
    l = k + 1.0  # noqa: E741
    m = ops.sqrt(l)
    n = f + 1.0
    o = m / n
    p = ops.tanh(o)
    q = p * b
    r = q + a
    s = ops.sin(r)
    return ops.sum(s)


def mixed(x, y):
    a = ops.sigmoid(x) * y + ops.relu(x - y)
    b = ops.maximum(a, y) ** 2 + ops.square(x) / 3
    c = ops.where(x > 0, b, -b)
    return ops.sum(ops.exp(c) * ops.abs(x))


def _runs(gfn):
    """The Runs of the fused function a jitted gradient function last called."""
    fn = gfn._last_art.fn
    info = getattr(fn, "__autograd_st_fused__", None)
    assert info is not None, "the generated code was not fused"
    return list(info["runs"].values())


def _all_kernels(gfn):
    runs = _runs(gfn)
    assert runs
    for run in runs:
        assert not run.notes, run.notes
        assert all(p.kernel is not None for p in run.plans.values())
    return runs


@pytest.mark.parametrize("dtype, rtol", [(np.float32, 2e-5), (np.float64, 1e-12)])
def test_w5_fuses_into_one_kernel_with_the_numpy_numbers(dtype, rtol):
    x = Tensor(np.random.default_rng(5).uniform(-1, 1, 10).astype(dtype))
    plain = ops.value_and_grad(expr20, grad_position=0)
    jitted = ms.jit(plain)
    assert jitted.jit and not plain.jit
    v0, g0 = plain(x)
    v1, g1 = jitted(x)
    assert g1.dtype == g0.dtype and v1.dtype == v0.dtype
    assert_close(v1, v0.asnumpy(), rtol=rtol)
    assert_close(g1, g0.asnumpy(), rtol=rtol)
    (run,) = _all_kernels(jitted)  # the whole gradient: one kernel
    assert run.spec.inputs == ["x"] and run.spec.outputs == ["_sum", "d_x"]
    text = jitted.jit_source(x)
    assert "in one kernel" in text and "@numba.njit(cache=True" in text
    assert jitted.source(x) == plain.source(x)  # the dump is the numpy code either way


def test_grad_of_jit_and_jit_of_grad_take_the_fused_path():
    x = Tensor(np.linspace(-1.0, 1.0, 7))
    expected = ops.grad(expr20)(x).asnumpy()
    for gfn in (ops.grad(ms.jit(expr20)), ms.jit(ops.grad(expr20))):
        assert gfn.jit
        assert_close(gfn(x), expected, rtol=1e-12)
        _all_kernels(gfn)


def test_hand_derived_gradient_of_a_short_expression():
    # f = sum(tanh(x) * x): df/dx = tanh(x) + x (1 - tanh(x)^2)
    def f(x):
        return ops.sum(ops.tanh(x) * x)
    xv = np.array([[0.5, -1.0, 2.0], [0.1, 0.0, -3.0]])
    g = ms.jit(ops.grad(f))(Tensor(xv))
    t = np.tanh(xv)
    assert_close(g, t + xv * (1 - t * t), rtol=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_broadcast_inputs_and_scalars_are_fused(dtype):
    # y (3,) broadcast against x (4, 3), s a 0-d Tensor: the kernel loops over (4, 3)
    def f(x, y, s):
        return ops.sum(ops.tanh(x * y + s) * ops.exp(-x))
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((4, 3)).astype(dtype))
    y = Tensor(rng.standard_normal(3).astype(dtype))
    s = Tensor(np.array(0.25, dtype))
    plain = ops.grad(f, grad_position=0)
    jitted = ms.jit(plain)
    assert_close(jitted(x, y, s), plain(x, y, s).asnumpy(),
                 rtol=2e-5 if dtype == np.float32 else 1e-12)
    (run,) = _all_kernels(jitted)
    (plan,) = run.plans.values()
    assert plan.shape == (4, 3) and plan.convert == (0, 1, 3)


@pytest.mark.parametrize("dtype, rtol", [(np.float32, 2e-5), (np.float64, 1e-12)])
def test_a_broadcasting_gradient_is_summed_in_the_kernel(dtype, rtol):
    # y (3,) against x (2, 3): y's gradient sums over the broadcast axis (unbroadcast to
    # (3,), three times: d_y = unbroadcast(..), d_y = d_y + unbroadcast(..)), in the kernel
    rng = np.random.default_rng(1)
    x = Tensor(rng.standard_normal((2, 3)).astype(dtype))
    plain = ops.grad(mixed, grad_position=(0, 1))
    jitted = ms.jit(plain)
    for y in (Tensor(rng.uniform(0.5, 1.0, 3).astype(dtype)),
              Tensor(rng.uniform(0.5, 1.0, (2, 3)).astype(dtype))):
        got, expected = jitted(x, y), plain(x, y)
        for a, b in zip(got, expected):
            assert a.shape == b.shape and a.dtype == b.dtype
            assert_close(a, b.asnumpy(), rtol=rtol, atol=rtol)
    (run,) = _all_kernels(jitted)
    assert len([k for k in run.plans if k[0][0] == np.dtype(dtype)]) == 2  # y: (3,), (2, 3)
    assert "sum(s) over broadcast axes" in jitted.jit_source(x, y)


def test_inputs_a_kernel_does_not_take_run_numpy_with_a_note():
    x = Tensor(np.linspace(-1, 1, 5).astype(np.float16))
    plain = ops.grad(expr20)
    jitted = ms.jit(plain)
    with pytest.warns(JitFallbackWarning, match="dtype float16"):
        got = jitted(x)
    np.testing.assert_array_equal(got.asnumpy(), plain(x).asnumpy())
    with warnings.catch_warnings():  # said once per run and reason
        warnings.simplefilter("error", JitFallbackWarning)
        jitted(x)


def test_a_kernel_numba_cannot_compile_runs_numpy_with_a_note(monkeypatch):
    def broken(self, *args):  # text numba cannot type: a string in float code
        return ("import numba\n\n@numba.njit(cache=False)\ndef kernel(*a):\n"
                "    return (a[0] + 'text',)\n")
    monkeypatch.setattr(RunSpec, "source", broken)

    def f(x):
        return ops.sum(ops.sin(x) * ops.cos(x))
    x = Tensor(np.array([0.3, -0.7, 1.1]))
    jitted = ms.jit(ops.grad(f))
    with pytest.warns(JitFallbackWarning, match="numba could not compile it"):
        got = jitted(x)
    xv = x.asnumpy()
    assert_close(got, np.cos(2 * xv), rtol=1e-12)  # d/dx sin x cos x = cos 2x


class _Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.dense = nn.Dense(3, 4)
        self.scale = Parameter(Tensor(np.array([0.5, -1.0, 2.0, 1.5], np.float32)),
                               name="scale")

    def construct(self, x):
        h = self.dense(x)
        return ops.sum(ops.tanh(h * self.scale) * ops.sigmoid(h))


class _JitNet(_Net):
    @ms.jit
    def construct(self, x):
        h = self.dense(x)
        return ops.sum(ops.tanh(h * self.scale) * ops.sigmoid(h))


def test_a_cell_with_a_decorated_construct_gives_the_numpy_numbers():
    ms.set_seed(3)
    net = _Net()
    ms.set_seed(3)
    jnet = _JitNet()
    x = Tensor(np.random.default_rng(2).standard_normal((5, 3)).astype(np.float32))
    v0, g0 = ops.value_and_grad(net, None, net.trainable_params())(x)
    jgfn = ops.value_and_grad(jnet, None, jnet.trainable_params())
    assert jgfn.jit
    v1, g1 = jgfn(x)
    assert_close(v1, v0.asnumpy(), rtol=2e-5)
    for a, b in zip(g1, g0):
        assert_close(a, b.asnumpy(), rtol=2e-5, atol=1e-6)
    runs = _runs(jgfn)
    assert any(p.kernel is not None for r in runs for p in r.plans.values())


def test_second_order_through_jit():
    # f = sum(sin(x) * x): f' = cos x * x + sin x, f'' = 2 cos x - x sin x
    def f(x):
        return ops.sum(ops.sin(x) * x)
    xv = np.array([0.3, -1.2, 2.0, 0.0])
    x = Tensor(xv)
    second = ops.grad(ops.grad(ms.jit(f)))  # the outer one: a gradient of a jitted one
    assert second.jit
    assert_close(second(x), 2 * np.cos(xv) - xv * np.sin(xv), rtol=1e-12)
    both = ms.jit(ops.grad(ops.grad(f)))
    assert_close(both(x), 2 * np.cos(xv) - xv * np.sin(xv), rtol=1e-12)
    _all_kernels(both)


def test_the_fused_function_is_cached_with_the_generated_code():
    jitted = ms.jit(ops.grad(expr20))
    x = Tensor(np.linspace(0, 1, 4))
    jitted(x)
    art = jitted._last_art
    assert fuse.fuse_function(art.gradient.fn) is art.fn  # built once per generated code
    jitted(x * 2)
    assert jitted._last_art is art


_NO_NUMBA = r'''
import sys, warnings
sys.modules["numba"] = None  # "import numba" raises ImportError
import numpy as np
import autograd_st as ms
from autograd_st import Tensor, ops
from autograd_st.jit_numba import available
warnings.simplefilter("error")
ns = ms.exec_source("def f(x):\n    return ops.sum(ops.tanh(x) * x)\n", {"ops": ops})
x = Tensor(np.array([0.5, -1.0, 2.0]))
plain = ops.grad(ns["f"])(x).asnumpy()
gfn = ms.jit(ops.grad(ns["f"]))
jitted = gfn(x).asnumpy()
print(json.dumps([available(), plain.tolist(), jitted.tolist(), gfn.jit_source(x)]))
'''.replace("import sys,", "import json, sys,")


def test_without_numba_jit_keeps_the_numpy_path():
    out = subprocess.run([sys.executable, "-c", _NO_NUMBA], capture_output=True, text=True,
                         cwd=str(ROOT), env=dict(os.environ, PYTHONPATH=str(ROOT)),
                         timeout=300)
    assert out.returncode == 0, out.stderr
    available, plain, jitted, text = json.loads(out.stdout.strip().splitlines()[-1])
    assert available is False
    assert plain == jitted
    t = np.tanh([0.5, -1.0, 2.0])
    assert_close(np.array(jitted), t + np.array([0.5, -1.0, 2.0]) * (1 - t * t), rtol=1e-12)
    assert "numba is not installed" in text


_DISK = r'''
import json, sys, time
t0 = time.perf_counter()
import numpy as np
import autograd_st as ms
from autograd_st import Tensor, ops
ns = ms.exec_source("def f(x):\n    return ops.sum(ops.exp(ops.sin(x)) * x)\n", {"ops": ops})
g = ms.jit(ops.grad(ns["f"]))
x = Tensor(np.linspace(-1.0, 1.0, 9))
t1 = time.perf_counter()
g(x)
t2 = time.perf_counter()
run = list(g._last_art.fn.__autograd_st_fused__["runs"].values())[0]
kernel = list(run.plans.values())[0].kernel
print(json.dumps([t2 - t1, kernel.stats.cache_hits and sum(kernel.stats.cache_hits.values()),
                  sum(kernel.stats.cache_misses.values())]))
'''


def test_kernels_are_cached_on_disk_between_processes(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), AUTOGRAD_ST_JIT_CACHE=str(tmp_path))

    def first_call():
        out = subprocess.run([sys.executable, "-c", _DISK], capture_output=True, text=True,
                             cwd=str(ROOT), env=env, timeout=300)
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout.strip().splitlines()[-1])
    _, hits, misses = first_call()  # cold: numba compiles and writes its cache
    assert not hits and misses >= 1
    assert list(tmp_path.glob("k_*.py")) and list(tmp_path.glob("__pycache__/k_*.nbi"))
    _, hits, misses = first_call()  # warm: read back, nothing compiled
    assert hits >= 1 and misses == 0


def test_large_runs_are_timed_against_numpy_and_the_faster_kept():
    # past _TUNE_FROM elements a kernel (scalar tanhf, sinf ...) is timed against numpy's
    # vector loops on the first call for a shape: either way, the numpy path's numbers
    x = Tensor(np.random.default_rng(4).uniform(-1, 1, 4096))
    plain = ops.value_and_grad(expr20, grad_position=0)
    jitted = ms.jit(plain)
    (v0, g0), (v1, g1) = plain(x), jitted(x)
    assert_close(v1, v0.asnumpy(), rtol=1e-12)
    assert_close(g1, g0.asnumpy(), rtol=1e-12)
    (run,) = _runs(jitted)
    plan = run.plans[((np.dtype(np.float64), (4096,)),)]
    assert plan.measured is not None and all(t > 0 for t in plan.measured)
    assert (plan.kernel is None) == (plan.measured[1] < plan.measured[0])
    assert "timed: kernel" in jitted.jit_source(x)


def test_jit_on_a_cell_instance_and_a_bound_method():
    ms.set_seed(5)
    net = _Net()
    x = Tensor(np.random.default_rng(6).standard_normal((3, 3)).astype(np.float32))
    plain = ops.grad(net, None, net.trainable_params())(x)
    assert ms.jit(net) is net and ms.context.is_jit(net)  # remembered, not copied
    gfn = ops.grad(net, None, net.trainable_params())
    assert gfn.jit
    for a, b in zip(gfn(x), plain):
        assert_close(a, b.asnumpy(), rtol=2e-5, atol=1e-6)
    method = ms.jit(net.construct)
    assert method.__self__ is net and ms.context.is_jit(method)
    assert not ms.context.is_jit(_Net.construct)


def _recurrence(x, w):
    h = x
    for _ in range(4):
        h = ops.tanh(h * w + 0.5) * ops.sigmoid(h)
    if ops.sum(h) > 0:
        h = h * h
    return ops.sum(h - 0.1 * x)


@pytest.mark.parametrize("dtype, rtol", [(np.float32, 5e-5), (np.float64, 1e-12)])
def test_runs_inside_a_loop_and_a_branch(dtype, rtol):
    rng = np.random.default_rng(8)
    x = Tensor(rng.uniform(-1, 1, (3, 4)).astype(dtype))
    w = Tensor(rng.uniform(0.5, 1.5, (3, 4)).astype(dtype))
    plain = ops.grad(_recurrence, grad_position=(0, 1))
    jitted = ms.jit(plain)
    for a, b in zip(jitted(x, w), plain(x, w)):
        assert_close(a, b.asnumpy(), rtol=rtol, atol=rtol)
    text = jitted.jit_source(x, w)
    assert "    for " in text and "_jit_run_" in text.split("    for ", 1)[1]  # in the loop
    _all_kernels(jitted)
