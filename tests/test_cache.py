"""The cache is never stale and never races: redefinition of functions and classes, edited
files, structure changes (a flag, a sub-Cell of another type, a new or frozen Parameter, a
rebound free Tensor), argument kinds (float and int Tensors, Python floats and ints), eight
threads, and bounded memory (no residuals kept alive, bounded caches)."""
import gc
import importlib
import linecache
import sys
import textwrap
import threading
import tracemalloc

import numpy as np

from autograd_st import Parameter, Tensor, nn, ops
from autograd_st.boundary import function as grad_api

X = np.array([0.5, -1.5, 2.0])


def _module(tmp_path, name, body):
    path = tmp_path / (name + ".py")
    path.write_text("import numpy as np\n\n" + textwrap.dedent(body))
    sys.path.insert(0, str(tmp_path))
    try:
        if name in sys.modules:
            return importlib.reload(sys.modules[name])
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(tmp_path))


def test_editing_a_file_and_reimporting_gives_new_code(tmp_path):
    mod = _module(tmp_path, "edited_mod", "def f(x):\n    return np.sum(x * x)\n")
    np.testing.assert_allclose(ops.grad(mod.f)(X), 2 * X)
    mod = _module(tmp_path, "edited_mod", "def f(x):\n    return np.sum(x * x * x)\n")
    np.testing.assert_allclose(ops.grad(mod.f)(X), 3 * X ** 2)


def test_redefining_a_global_helper_is_seen_by_an_existing_gradient_function(tmp_path):
    mod = _module(tmp_path, "helper_mod", """
        def helper(x):
            return x * 2.0

        def f(x):
            return np.sum(helper(x) * x)
        """)
    g = ops.grad(mod.f)
    np.testing.assert_allclose(g(X), 4 * X)
    other = _module(tmp_path, "helper_mod2", "def helper(x):\n    return x * x\n")
    mod.helper = other.helper  # a new helper under the same global name
    np.testing.assert_allclose(g(X), 3 * X ** 2)


class Switch(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([2.0, 3.0, 4.0])), name="w")
        self.square = True

    def construct(self, x):
        if self.square:
            return ops.sum(x * x * self.w)
        return ops.sum(x * self.w)


def test_structure_changes_are_seen():
    net = Switch()
    g = ops.grad(net, grad_position=0, weights=net.trainable_params())
    gx, (gw,) = g(Tensor(X))
    np.testing.assert_allclose(gx.asnumpy(), 2 * X * net.w.asnumpy())
    net.square = False  # a constant the code was compiled with
    gx, (gw,) = g(Tensor(X))
    np.testing.assert_allclose(gx.asnumpy(), net.w.asnumpy())
    net.w.requires_grad = False  # frozen after the first call: weights get zeros
    gx, (gw,) = g(Tensor(X))
    np.testing.assert_allclose(gw.asnumpy(), 0.0)


def test_argument_kinds_get_their_own_code():
    def f(x, k):
        return ops.sum(x * k)
    g = ops.grad(f, grad_position=(0, 1))
    gx, gk = g(Tensor(X), Tensor(np.array([1, 2, 3], np.int32)))
    assert gk.dtype == np.int32  # MindSpore casts the gradient to the input's dtype
    np.testing.assert_allclose(gx.asnumpy(), [1, 2, 3])
    gx, gk = g(Tensor(X), Tensor(np.array([1.0, 2.0, 3.0])))
    assert gk.dtype == np.float64
    np.testing.assert_allclose(gk.asnumpy(), X)


def test_redefining_a_class_with_the_same_name_in_an_edited_file(tmp_path):
    body = """
        from autograd_st import Parameter, Tensor, nn, ops

        class Net(nn.Cell):
            def __init__(self):
                super().__init__()
                self.w = Parameter(Tensor(np.array([2.0, 3.0, 4.0])), name="w")

            def construct(self, x):
                return ops.sum(x * self.w%s)
        """
    mod = _module(tmp_path, "class_mod", body % "")
    old = mod.Net()
    g_old = ops.grad(old, 0, old.trainable_params())
    gx, (gw,) = g_old(Tensor(X))
    np.testing.assert_allclose(gx.asnumpy(), [2.0, 3.0, 4.0])
    np.testing.assert_allclose(gw.asnumpy(), X)
    mod = _module(tmp_path, "class_mod", body % " * x")  # same class name, new construct
    new = mod.Net()
    for g in (ops.grad(new, 0, new.trainable_params()), ops.grad(new, 0, new.trainable_params())):
        gx, (gw,) = g(Tensor(X))
        np.testing.assert_allclose(gx.asnumpy(), 2 * X * np.array([2.0, 3.0, 4.0]))
        np.testing.assert_allclose(gw.asnumpy(), X * X)
    gx, (gw,) = g_old(Tensor(X))  # an instance of the old class keeps the old construct
    np.testing.assert_allclose(gx.asnumpy(), [2.0, 3.0, 4.0])
    gx, _ = ops.grad(old, 0, old.trainable_params())(Tensor(X))
    np.testing.assert_allclose(gx.asnumpy(), [2.0, 3.0, 4.0])


def _class_named_net(square):
    if square:
        class Net(nn.Cell):
            def __init__(self):
                super().__init__()
                self.w = Parameter(Tensor(np.array([2.0, 3.0, 4.0])), name="w")

            def construct(self, x):
                return ops.sum(x * x * self.w)
    else:
        class Net(nn.Cell):
            def __init__(self):
                super().__init__()
                self.w = Parameter(Tensor(np.array([2.0, 3.0, 4.0])), name="w")

            def construct(self, x):
                return ops.sum(x * self.w)
    return Net


def test_a_class_redefined_under_the_same_name_and_an_instance_whose_class_is_swapped():
    w = np.array([2.0, 3.0, 4.0])
    for _ in range(3):  # old instances die: their ids (and cache keys) are reused
        np.testing.assert_allclose(ops.grad(_class_named_net(False)())(Tensor(X)).asnumpy(), w)
        gc.collect()
        np.testing.assert_allclose(ops.grad(_class_named_net(True)())(Tensor(X)).asnumpy(),
                                   2 * X * w)
        gc.collect()
    net = _class_named_net(False)()
    g = ops.grad(net)
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), w)
    net.__class__ = _class_named_net(True)
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), 2 * X * w)


class Linear(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([2.0, 3.0, 4.0])), name="w")

    def construct(self, x):
        return x * self.w


class Quadratic(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([-1.0, 0.5, 2.0])), name="w")

    def construct(self, x):
        return x * x * self.w


class Outer(nn.Cell):
    def __init__(self):
        super().__init__()
        self.sub = Linear()

    def construct(self, x):
        return ops.sum(self.sub(x) * 3.0)


def test_a_sub_cell_swapped_for_one_of_another_type():
    net = Outer()
    g = ops.grad(net, 0, net.trainable_params())
    gx, (gw,) = g(Tensor(X))
    np.testing.assert_allclose(gx.asnumpy(), 3 * np.array([2.0, 3.0, 4.0]))
    np.testing.assert_allclose(gw.asnumpy(), 3 * X)
    net.sub = Quadratic()
    gx = ops.grad(net)(Tensor(X))  # and the gradient function made before the swap:
    np.testing.assert_allclose(gx.asnumpy(), 3 * 2 * X * np.array([-1.0, 0.5, 2.0]))
    gx, (gw_old,) = g(Tensor(X))
    np.testing.assert_allclose(gx.asnumpy(), 3 * 2 * X * np.array([-1.0, 0.5, 2.0]))
    np.testing.assert_allclose(gw_old.asnumpy(), 0.0)  # its weight is no longer used
    gx, (gw,) = ops.grad(net, 0, net.trainable_params())(Tensor(X))
    np.testing.assert_allclose(gw.asnumpy(), 3 * X * X)


class NoGlobals(nn.Cell):
    """Its code reads nothing but self and x (no module globals to guard)."""

    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([2.0, 3.0, 4.0])), name="w")
        self.square = True
        self.sub = Linear()

    def construct(self, x):
        if self.square:
            return (x * x * self.w).sum() + (self.sub(x) * 0.5).sum()
        return (x * self.w).sum() + (self.sub(x) * 0.5).sum()


def test_structure_changes_are_seen_by_code_that_reads_no_globals():
    net = NoGlobals()
    g = ops.grad(net)
    w = np.array([2.0, 3.0, 4.0])
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), 2 * X * w + 0.5 * w)
    net.square = False
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), w + 0.5 * w)
    net.sub = Quadratic()
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(),
                               w + 0.5 * 2 * X * np.array([-1.0, 0.5, 2.0]))
    net.w = Parameter(Tensor(np.array([1.0, 1.0, 1.0])), name="w")
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(),
                               1.0 + 0.5 * 2 * X * np.array([-1.0, 0.5, 2.0]))


class Cubic(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([2.0, 3.0, 4.0])), name="w")

    def construct(self, x):
        return ops.sum(x * x * x * self.w)


def test_a_gradient_of_a_gradient_sees_what_the_inner_one_sees():
    net = Cubic()
    second = ops.grad(ops.grad(net))  # d/dx sum(3 x^2 w) = 6 x w
    np.testing.assert_allclose(second(Tensor(X)).asnumpy(), 6 * X * net.w.asnumpy())
    net.w = Parameter(Tensor(np.array([-1.0, 0.5, 1.5])), name="w")
    np.testing.assert_allclose(second(Tensor(X)).asnumpy(), 6 * X * net.w.asnumpy())
    net.w.set_data(Tensor(np.array([5.0, 5.0, 5.0])))
    np.testing.assert_allclose(second(Tensor(X)).asnumpy(), 30 * X)


def test_a_parameter_replaced_by_a_new_parameter_object():
    net = Linear()
    g = ops.grad(lambda x: ops.sum(net(x)))
    gn = ops.grad(Outer(), 0)
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), [2.0, 3.0, 4.0])
    net.w = Parameter(Tensor(np.array([7.0, 8.0, 9.0])), name="w")  # e.g. a loaded checkpoint
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), [7.0, 8.0, 9.0])
    outer = gn.fn
    np.testing.assert_allclose(gn(Tensor(X)).asnumpy(), 3 * np.array([2.0, 3.0, 4.0]))
    outer.sub.w = Parameter(Tensor(np.array([-1.0, -2.0, -3.0])), name="w")
    np.testing.assert_allclose(gn(Tensor(X)).asnumpy(), 3 * np.array([-1.0, -2.0, -3.0]))
    gw = ops.grad(outer, None, outer.trainable_params())(Tensor(X))
    np.testing.assert_allclose(gw[0].asnumpy(), 3 * X)


FREE_W = Parameter(Tensor(np.array([2.0, 3.0, 4.0])), name="free_w")


def _reads_free_w(x):
    return ops.sum(x * FREE_W * FREE_W)


def test_a_free_parameter_frozen_after_the_first_call():
    FREE_W.requires_grad = True
    try:
        g = ops.grad(_reads_free_w, 0, [FREE_W])
        gx, (gw,) = g(Tensor(X))
        np.testing.assert_allclose(gw.asnumpy(), 2 * X * FREE_W.asnumpy())
        FREE_W.requires_grad = False
        for fn in (g, ops.grad(_reads_free_w, 0, [FREE_W])):  # existing and new
            gx, (gw,) = fn(Tensor(X))
            np.testing.assert_allclose(gw.asnumpy(), 0.0)
            np.testing.assert_allclose(gx.asnumpy(), FREE_W.asnumpy() ** 2)
        FREE_W.requires_grad = True
        gx, (gw,) = g(Tensor(X))
        np.testing.assert_allclose(gw.asnumpy(), 2 * X * FREE_W.asnumpy())
    finally:
        FREE_W.requires_grad = True


class _Holder:
    pass


HOLDER = _Holder()
HOLDER.w = Tensor(np.array([2.0, 3.0, 4.0]))
ITEMS = [Tensor(np.array([2.0, 3.0, 4.0]))]
FREE_T = Tensor(np.array([2.0, 3.0, 4.0]))


def _reads_holder(x):
    return ops.sum(x * HOLDER.w)


def _reads_item(x):
    return ops.sum(x * ITEMS[0])


def _reads_free_t(x):
    return ops.sum(x * FREE_T)


def _closure_reading(t):
    def f(x):
        return ops.sum(x * t)

    def rebind(new):
        nonlocal t
        t = new
    return f, rebind


def test_rebinding_a_free_tensor_anywhere_is_seen():
    global FREE_T
    f_closure, rebind = _closure_reading(Tensor(np.array([2.0, 3.0, 4.0])))
    cases = [(_reads_holder, lambda v: setattr(HOLDER, "w", v)),
             (_reads_item, lambda v: ITEMS.__setitem__(0, v)),
             (_reads_free_t, lambda v: globals().__setitem__("FREE_T", v)),
             (f_closure, rebind)]
    for fn, set_value in cases:
        g = ops.grad(fn)
        np.testing.assert_allclose(g(Tensor(X)).asnumpy(), [2.0, 3.0, 4.0])
        set_value(Tensor(np.array([7.0, 8.0, 9.0])))
        np.testing.assert_allclose(g(Tensor(X)).asnumpy(), [7.0, 8.0, 9.0])
        np.testing.assert_allclose(ops.grad(fn)(Tensor(X)).asnumpy(), [7.0, 8.0, 9.0])
        set_value(Tensor(np.array([2.0, 3.0, 4.0])))


def _xxy(x, y):
    return ops.sum(x * x * y)


def test_every_argument_kind_gets_code_built_for_it():
    """Fresh and reused gradient functions, alternating kinds: float and int Tensors, numpy
    arrays and scalars, Python floats (runtime values) and ints (compiled in)."""
    reused = ops.grad(_xxy, grad_position=(0, 1))
    kinds = [
        (Tensor(np.array([3.0, -1.0])), Tensor(np.array([2.0, 0.5])), np.float64),
        (Tensor(np.array([3, -1], np.int32)), Tensor(np.array([2, 5], np.int32)), np.int32),
        (3.0, 2.0, None),
        (np.float64(3.0), np.float64(2.5), None),
        (np.array([3.0, -1.0], np.float32), np.array([2.0, 0.5], np.float32), np.float32),
        (3.0, Tensor(np.array(5.0)), None),  # with a Tensor: no gradient for 3.0 (MindSpore)
    ]
    for _ in range(2):
        for x, y, dtype in kinds:
            xv, yv = np.asarray(getattr(x, "asnumpy", lambda: x)(), np.float64), \
                np.asarray(getattr(y, "asnumpy", lambda: y)(), np.float64)
            for g in (reused, ops.grad(_xxy, grad_position=(0, 1))):
                if isinstance(x, float) and isinstance(y, Tensor):
                    np.testing.assert_allclose(g(x, y).asnumpy(), xv * xv)
                    continue
                gx, gy = g(x, y)
                gx = gx.asnumpy() if isinstance(gx, Tensor) else np.asarray(gx)
                gy = gy.asnumpy() if isinstance(gy, Tensor) else np.asarray(gy)
                np.testing.assert_allclose(gx, 2 * xv * yv)
                np.testing.assert_allclose(gy, np.sum(xv * xv) if yv.ndim == 0 and xv.ndim
                                           else xv * xv)
                if dtype is not None:
                    assert gx.dtype == dtype and gy.dtype == dtype
    for k in (2, 5, 2, 3.0, 4.5, 2):  # a Python int is compiled in, a float is not
        for g in (ops.grad(_xxy), ops.grad(_xxy)):
            np.testing.assert_allclose(g(Tensor(np.array([3.0, -1.0])), k).asnumpy(),
                                       2 * np.array([3.0, -1.0]) * k)


def _f_threads(x):
    s = x * 0.0
    for i in range(3):
        s = s + ops.sin(x * (i + 1))
    return ops.sum(s)


def _g_threads(x):
    return ops.sum(ops.tanh(x) * x)


def _f_threads_want(x):
    return sum((i + 1) * np.cos(x * (i + 1)) for i in range(3))


def _g_threads_want(x):
    t = np.tanh(x)
    return (1 - t * t) * x + t


def test_eight_threads_calling_same_and_different_gradient_functions():
    """Each thread has its own inputs, so results crossing between threads show; the
    interpreter switches threads every microsecond to make interleavings likely."""
    gf, gg = ops.grad(_f_threads), ops.grad(_g_threads)
    net = Outer()
    gn = ops.grad(net, 0, net.trainable_params())
    gk = ops.grad(_xxy, grad_position=(0, 1))
    errors = []
    barrier = threading.Barrier(8)

    def work(k):
        rng = np.random.default_rng(k)
        try:
            barrier.wait()
            for j in range(120):
                x = rng.standard_normal(3) + k
                case = (k + j) % 4
                if case == 0:
                    fn = gf if j % 30 else ops.grad(_f_threads)  # fresh ones compile too
                    got, want = fn(Tensor(x)).asnumpy(), _f_threads_want(x)
                elif case == 1:
                    fn = gg if j % 30 else ops.grad(_g_threads)
                    got, want = fn(x), _g_threads_want(x)  # a numpy array in and out
                elif case == 2:
                    gx, (gw,) = gn(Tensor(x))
                    got = np.concatenate([gx.asnumpy(), gw.asnumpy()])
                    want = np.concatenate([3 * np.array([2.0, 3.0, 4.0]), 3 * x])
                else:
                    y = int(k + j % 5)
                    gx, gy = gk(Tensor(x), Tensor(np.full(3, y, np.int64)))
                    got = np.concatenate([gx.asnumpy(), gy.asnumpy()])
                    want = np.concatenate([2 * x * y, np.trunc(x * x)])
                    if gy.dtype != np.int64:
                        errors.append((k, j, "dtype", gy.dtype))
                if not np.allclose(got, want, rtol=1e-12, atol=1e-12):
                    errors.append((k, j, case, got, want))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append((k, repr(exc)))
    _run_eight_threads(work)
    assert not errors, errors[:3]


def _run_eight_threads(work):
    """``work(k)`` on eight threads at once, the interpreter switching between them every
    microsecond (so that state shared between calls would show)."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        sys.setswitchinterval(old)


def _tiny(x, y):
    return ops.sum(x * y)


def test_eight_threads_hammering_one_gradient_function():
    """Many short calls of one shared gradient function, each thread with its own inputs:
    state shared between calls (it must be none) would show as another thread's values."""
    g = ops.grad(_tiny, grad_position=(0, 1))
    errors = []
    barrier = threading.Barrier(8)

    def work(k):
        x, y = Tensor(np.full(2, float(k))), Tensor(np.full(2, k + 0.5))
        try:
            barrier.wait()
            for _ in range(2500):
                gx, gy = g(x, y)
                if gx.asnumpy()[0] != k + 0.5 or gy.asnumpy()[1] != k:
                    errors.append((k, gx, gy))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append((k, repr(exc)))
    _run_eight_threads(work)
    assert not errors, errors[:3]


def test_no_residuals_or_arguments_kept_alive_after_a_call():
    """The values a call computes (residuals, tapes, the result) and its arguments are
    freed when the caller drops them: traced memory returns to where it was."""
    g = ops.grad(_f_threads)
    g(Tensor(np.ones(3)))  # compiled
    n = 200_000  # 1.6 MB per array; the call makes a dozen of them
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        x = Tensor(np.linspace(-1.0, 1.0, n))
        got = g(x)
        np.testing.assert_allclose(got.asnumpy()[::50_000],
                                   _f_threads_want(np.linspace(-1.0, 1.0, n))[::50_000])
        held = tracemalloc.get_traced_memory()[0] - before
        assert held < 2.5 * 8 * n, held  # x and the gradient, nothing more
        del x, got
        gc.collect()
        left = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert left < 0.25 * 8 * n, "%d bytes still held after the call" % left


def test_memory_stays_flat_over_many_calls():
    g = ops.grad(_g_threads)
    net = Outer()
    gn = ops.grad(net, 0, net.trainable_params())
    x = Tensor(np.array([0.5, -1.5, 2.0]))
    for _ in range(500):
        g(x), gn(x)
    gc.collect()
    tracemalloc.start()
    try:
        start = tracemalloc.get_traced_memory()[0]
        for i in range(10_000):
            g(x)
            gn(x)
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    np.testing.assert_allclose(g(x).asnumpy(), _g_threads_want(x.asnumpy()))
    assert growth < 32_000, "%d bytes more after 20,000 calls" % growth


def _make_scaled(k):
    def scaled(x):
        return ops.sum(ops.tanh(x) * k)
    return scaled


def _generated_files():
    return {f for f in linecache.cache if f.startswith("<autograd_st")}


def test_the_caches_are_bounded(monkeypatch):
    from autograd_st.compiler import frontend as driver
    monkeypatch.setattr(grad_api, "_GLOBAL_SIZE", 8)
    monkeypatch.setattr(driver, "_IR_CACHE_SIZE", 8)
    gc.collect()
    files_before = len(_generated_files())
    x = np.array([0.5, -1.5, 2.0])
    fns = [_make_scaled(k + 0.5) for k in range(40)]  # 40 different generated sources
    for rnd in range(2):
        for k, fn in enumerate(fns):
            np.testing.assert_allclose(ops.grad(fn)(x), (1 - np.tanh(x) ** 2) * (k + 0.5))
            assert len(grad_api._GLOBAL) <= 8
    del fns, fn
    gc.collect()
    # the generated code of evicted gradient functions (and its linecache entry) is freed
    assert len(_generated_files()) - files_before <= 2 * 8 + 8
    g = ops.grad(_xxy)
    for k in range(200):  # one gradient function, 200 compiled-in constants
        np.testing.assert_allclose(g(Tensor(x), k).asnumpy(), 2 * x * k)
    assert len(g._fast) <= 65


def test_parse_fence_and_desugar_caches_are_bounded(tmp_path, monkeypatch):
    from autograd_st.compiler import frontend as driver
    from autograd_st.compiler import parse
    monkeypatch.setattr(driver, "_CACHE_SIZE", 5)
    monkeypatch.setattr(parse, "_PARSE_CACHE_SIZE", 5)
    body = "".join("def f%d(x):\n    return np.sum(x * %d.0)\n\n" % (i, i + 1)
                   for i in range(20))
    mod = _module(tmp_path, "many_codes_mod", body)
    for i in range(20):
        np.testing.assert_allclose(ops.grad(getattr(mod, "f%d" % i))(X), np.full(3, i + 1.0))
    assert len(parse._PARSE_CACHE) <= 5
    assert len(driver._FENCED_CODES) <= 5
    assert len(driver._DESUGARED) <= 5


def _scaled_by_a_closure_number():
    k = 2.0

    def f(x):
        return ops.sum(x * k)

    def rebind(value):
        nonlocal k
        k = value
    return f, rebind


def test_a_closure_number_rebound_with_nonlocal_is_seen():
    f, rebind = _scaled_by_a_closure_number()
    g = ops.grad(f)
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), np.full(3, 2.0))
    rebind(5.0)  # compiled in as a constant: the code must be built again
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), np.full(3, 5.0))
    np.testing.assert_allclose(ops.grad(f)(Tensor(X)).asnumpy(), np.full(3, 5.0))
