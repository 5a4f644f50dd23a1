"""Compiling pauses the cyclic garbage collector (compile cost linear in the source) and
always gives it back as it was: on, off, after a refused compile, across threads."""
import gc
import threading

import numpy as np
import pytest

from autograd_st import Tensor, compiler, ops
from autograd_st.compiler import gradient

X = Tensor(np.array([0.5, -1.5, 2.0]))


def _f(x):
    h = np.sin(x)
    h = h * 0.9
    return np.sum(h)


def _bad(x):
    return np.sum(x) if x else x  # the truth value of an array: refused


@pytest.fixture
def gc_state():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_collector_is_off_while_compiling_and_back_on_after(gc_state):
    gc.enable()
    seen = []
    real = gradient.lower

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)
    gradient.lower = spy
    try:
        compiler.clear_caches()
        # (a transpose: no forward-accumulated branch, whose reverse code is lowered later)
        ops.grad(lambda x: np.sum(np.tanh(x).T * 2.0))(X)
    finally:
        gradient.lower = real
    assert seen and not any(seen)
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled(gc_state):
    gc.disable()
    compiler.clear_caches()
    ops.grad(_f)(X)
    assert not gc.isenabled()


def test_a_refused_compile_gives_the_collector_back(gc_state):
    gc.enable()
    with pytest.raises(Exception):
        ops.grad(_bad)(X)
    assert gc.isenabled()
    with compiler.gc_paused():
        with compiler.gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_threads_compiling_together_leave_the_collector_on(gc_state):
    gc.enable()
    errors = []

    def work(k):
        try:
            for i in range(5):
                compiler.clear_caches()
                ops.grad(lambda x: np.sum(np.sin(x) * (k + i)))(X)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert gc.isenabled()
