"""compiler/deferred.py: the reverse code of a gradient whose forward-accumulated branch runs
instead (compiler/lower_fwdacc.py) is built at its first call, not with the branch.

Each test checks numbers against a compile without the branch (``lower_fwdacc.ENABLED``
off, the reverse code inline, as before), and when the reverse code gets built: never on
calls the branch takes, once on the first call it does not (a float16 or 0-d ``x``, an array
that broadcasts ``x`` larger), at once where a tool reads every generated function (a dump,
``--standalone``, ``ms.jit``'s fusion) or a stage dump runs every pass."""
import subprocess
import sys
import threading
import types

import numpy as np
import pytest

from autograd_st import Tensor, ops
from autograd_st.compiler import capture, clear_caches, lower_fwdacc, standalone_source
from autograd_st.compiler.deferred import DeferredReverse
from tests.helpers import fd


def chain(x):
    h = np.sin(x) * 0.9 + x
    h = np.tanh(h) * 0.5 + np.exp(h * 0.1)
    return np.sum(np.sin(h) * h)


def chain_with(x, b):
    h = np.sin(x) * b + x
    return np.sum(np.tanh(h) * h)


def _new(fn):
    """A new function object of ``fn``'s code (compiled anew: the caches key by object)."""
    return types.FunctionType(fn.__code__, fn.__globals__, fn.__name__)


def _deferred(gfn) -> DeferredReverse:
    (d,) = [c for c in gfn._last_art.gradient.callees if isinstance(c, DeferredReverse)]
    return d


def _plain_grad(fn, *args):
    """The gradient compiled without the branch (the reverse code inline)."""
    saved = lower_fwdacc.ENABLED
    lower_fwdacc.ENABLED = False
    try:
        clear_caches()
        return ops.grad(_new(fn))(*args)
    finally:
        lower_fwdacc.ENABLED = saved
        clear_caches()


@pytest.fixture(autouse=True)
def _fresh():
    clear_caches()
    yield
    clear_caches()


@pytest.mark.parametrize("shape", [(5,), (2, 3)])
def test_the_branch_runs_without_the_reverse_code(shape):
    x = np.linspace(-1.0, 1.2, int(np.prod(shape))).reshape(shape)
    g = ops.grad(_new(chain))
    got = g(Tensor(x)).asnumpy()
    assert not _deferred(g).built  # the branch ran: no reverse code was built
    want = fd(lambda a: float(chain(a)), x)
    np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(got, _plain_grad(chain, Tensor(x)).asnumpy(), rtol=1e-13)


@pytest.mark.parametrize("x", [np.linspace(-1, 1, 6).astype(np.float16), np.float64(0.3)],
                         ids=["float16", "0-d"])
def test_a_call_the_branch_does_not_take_builds_the_reverse_code_once(x):
    g = ops.grad(_new(chain))
    g(Tensor(np.linspace(-1, 1, 6)))
    d = _deferred(g)
    assert not d.built
    got = g(Tensor(x)).asnumpy()
    assert d.built
    want = _plain_grad(chain, Tensor(x)).asnumpy()
    assert got.dtype == want.dtype == np.asarray(x).dtype
    np.testing.assert_array_equal(got, want)  # the same code: the same bits
    built = d.force()
    g(Tensor(x))
    assert d.force() is built  # (built once; the caller now calls it directly)
    assert built.fn.__globals__ is not None
    top = g._last_art.gradient.fn
    assert top.__globals__[built.fn.__name__] is built.fn


def test_an_array_that_broadcasts_x_larger_runs_the_reverse_code():
    x = np.linspace(-1, 1, 3)
    b = np.linspace(0.5, 1.5, 6).reshape(2, 3)  # x broadcast to (2, 3): not a chain of x
    g = ops.grad(_new(chain_with))
    g(Tensor(x), Tensor(np.full(3, 0.7)))
    assert not _deferred(g).built
    got = g(Tensor(x), Tensor(b)).asnumpy()
    assert _deferred(g).built
    want = fd(lambda a: float(chain_with(a, b)), x)
    np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-9)


def test_threads_build_it_once():
    g = ops.grad(_new(chain))
    g(Tensor(np.linspace(-1, 1, 4)))
    d = _deferred(g)
    builds = []
    inner = d._build

    def counting():
        builds.append(1)
        return inner()
    d._build = counting
    x16 = Tensor(np.linspace(-1, 1, 4).astype(np.float16))
    out = []
    threads = [threading.Thread(target=lambda: out.append(g(x16).asnumpy())) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(builds) == 1 and len(out) == 4
    for o in out[1:]:
        np.testing.assert_array_equal(o, out[0])


def test_the_dump_shows_the_reverse_code_after_the_branch():
    x = Tensor(np.linspace(-1, 1, 4))
    g = ops.grad(_new(chain))
    g(x)
    assert not _deferred(g).built
    src = g.source(x)
    assert _deferred(g).built
    head, _, rest = src.partition("\n\n\ndef chain_grad_reverse(x):\n")
    assert head.startswith("def chain_grad(x):\n    if fwdacc_ok(x):\n")
    assert head.rstrip().endswith("# elsewhere the reverse code (built when first called)\n"
                                  "    return chain_grad_reverse(x)")
    assert "fwdacc_ok" not in rest and "d_h" in rest  # the reverse code, as written before


def test_standalone_module_runs_both():
    x = np.linspace(-1, 1, 4)
    g = ops.grad(_new(chain))
    g(Tensor(x))
    text = standalone_source(g._last_art.gradient, [x])
    assert "def chain_grad_reverse(x):" in text
    ran = subprocess.run([sys.executable, "-c", text], capture_output=True, text=True,
                         check=True)
    want = fd(lambda a: float(chain(a)), np.ones(4))
    got = np.array(ran.stdout.replace("[", " ").replace("]", " ").split(), float)
    np.testing.assert_allclose(got, want, rtol=1e-6)


def test_a_stage_dump_builds_every_pass_at_once():
    x = Tensor(np.linspace(-1, 1, 4))
    with capture() as log:
        g = ops.grad(_new(chain))
        g(x)
    assert not [c for c in g._last_art.gradient.callees if isinstance(c, DeferredReverse)]
    assert any("fwdacc_ok" in t for t in log["lowered"])
    assert any("d_h" in t for t in log["adjoint"])


def test_compile_builds_what_the_first_call_runs_without_running_it(monkeypatch):
    import autograd_st.boundary.function as function_mod
    builds = []
    real = function_mod.compile_gradient

    def counting(*args, **kwargs):
        builds.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(function_mod, "compile_gradient", counting)
    x = np.linspace(-1, 1, 5)
    g = ops.grad(_new(chain))
    assert g.compile(Tensor(x)) is g and len(builds) == 1
    assert not _deferred(g).built  # (the reverse code, when first needed, as on a call)
    got = g(Tensor(x)).asnumpy()
    assert len(builds) == 1  # the call ran what compile built
    np.testing.assert_allclose(got, fd(lambda a: float(chain(a)), x), rtol=1e-7, atol=1e-9)
