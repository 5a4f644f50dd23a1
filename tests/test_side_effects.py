"""Side effects happen on every call, in program order, as in MindSpore's PyNative mode
(issue 12, item 3), and numpy called on constants inside ``construct`` is evaluated, never
compiled as user code (item 6).

Only calls on the purity table run once, at compile time; ``print``, ``list.append`` on a
list read from outside, ``time.time()``, ``breakpoint()``, ``logging.info``, ``next``,
``np.random`` run on every call of the gradient function, in the order the direct call runs
them, and what they return is a runtime value (a ``range`` over it is a runtime loop).
"""
import bisect
import itertools
import logging
import random
import statistics
import sys
import time

import numpy as np
import pytest

from autograd_st import Parameter, Tensor, nn, ops
from autograd_st.check import numerical_grad
from autograd_st.errors import NoDerivativeError, UnsupportedSyntaxError

try:
    from .helpers import count_compiles
except ImportError:  # run with tests/ on sys.path
    from helpers import count_compiles

X = np.array([0.5, -1.5, 2.0])


def _compiles(monkeypatch):
    return count_compiles(monkeypatch)


# ---------------------------------------------------------------------------------------
# print, in order, on every call
# ---------------------------------------------------------------------------------------

def _helper_prints(x):
    print("helper")
    return x * 3.0


def _prints(x):
    print("start")
    y = x * 2.0
    print("middle", 1, 2.5)
    z = _helper_prints(y)
    print("end")
    return ops.sum(z * y)


def test_prints_run_on_every_call_in_the_direct_calls_order(capsys):
    for _ in range(3):
        _prints(Tensor(X))
    direct = capsys.readouterr().out
    assert direct.count("start") == 3
    g = ops.grad(_prints)
    for _ in range(3):
        gx = g(Tensor(X))
    assert capsys.readouterr().out == direct
    np.testing.assert_allclose(gx.asnumpy(), numerical_grad(_prints, (Tensor(X),), 0),
                               rtol=1e-6)
    capsys.readouterr()


class Printing(nn.Cell):
    def construct(self, x):
        print("construct")
        return ops.sum(x * x)


class GradWrapper(nn.Cell):
    """The tutorials' form: GradOperation inside another Cell's construct."""

    def __init__(self, net):
        super().__init__()
        self.net = net
        self.grad_op = ops.GradOperation()

    def construct(self, x):
        print("wrapper")
        return self.grad_op(self.net)(x)


def test_prints_in_a_cell_and_through_grad_operation(capsys):
    wrapper = GradWrapper(Printing())
    for _ in range(2):
        gx = wrapper(Tensor(X))
    direct = capsys.readouterr().out
    assert direct == "wrapper\nconstruct\n" * 2
    np.testing.assert_allclose(gx.asnumpy(), 2 * X)
    g = ops.grad(Printing())
    for _ in range(2):
        g(Tensor(X))
    assert capsys.readouterr().out == "construct\n" * 2


# ---------------------------------------------------------------------------------------
# a list read from outside, appended to: on every call, and no compile each time
# ---------------------------------------------------------------------------------------

CALLS = []


def _appends(x):
    CALLS.append(1)
    return ops.sum(x * x)


def _appends_then_reads(x):
    CALLS.append(2.0)
    n = len(CALLS)  # after the append: a runtime value
    return ops.sum(x * x) * n


def test_append_to_a_global_list_runs_on_every_call_and_compiles_once(monkeypatch):
    CALLS.clear()
    compiles = _compiles(monkeypatch)
    g = ops.grad(_appends)
    for _ in range(4):
        np.testing.assert_allclose(g(Tensor(X)).asnumpy(), 2 * X)
    assert CALLS == [1, 1, 1, 1]
    assert len(compiles) == 1


def test_a_list_changed_at_run_time_is_read_at_run_time():
    CALLS.clear()
    direct = [float(_appends_then_reads(Tensor(X)).asnumpy()) for _ in range(3)]
    assert direct == [6.5, 13.0, 19.5]
    CALLS.clear()
    vg = ops.value_and_grad(_appends_then_reads)
    for k, want in enumerate(direct, 1):
        value, gx = vg(Tensor(X))
        assert float(value.asnumpy()) == want
        np.testing.assert_allclose(gx.asnumpy(), 2 * X * k)
    assert len(CALLS) == 3


# ---------------------------------------------------------------------------------------
# time.time, breakpoint, logging, next, np.random
# ---------------------------------------------------------------------------------------

def _stamped(x):
    t = time.time()
    return ops.sum(x * x) + t


def test_time_time_runs_on_every_call():
    vg = ops.value_and_grad(_stamped)
    stamps = []
    for _ in range(3):
        before = time.time()
        value = float(vg(Tensor(X))[0].asnumpy()) - float(np.sum(X * X))
        assert before <= value <= time.time()
        stamps.append(value)
        time.sleep(0.002)
    assert stamps[0] < stamps[1] < stamps[2]


def _stops(x):
    breakpoint()
    return ops.sum(x * 2.0)


def test_breakpoint_runs_on_every_call(monkeypatch):
    hits = []
    monkeypatch.setattr(sys, "breakpointhook", lambda *a, **k: hits.append(1))
    g = ops.grad(_stops)
    for _ in range(3):
        np.testing.assert_allclose(g(Tensor(X)).asnumpy(), 2.0)
    assert hits == [1, 1, 1]


def _logs(x):
    logging.info("step")
    return ops.sum(x * x)


def test_logging_runs_on_every_call(caplog):
    g = ops.grad(_logs)
    with caplog.at_level(logging.INFO):
        for _ in range(3):
            g(Tensor(X))
    assert [r.getMessage() for r in caplog.records] == ["step"] * 3


SIZES = itertools.cycle([[1], [1, 2], [1, 2, 3]])


def _runtime_trip_count(x):
    n = len(next(SIZES))  # a different list on every call: n is a runtime value
    s = x * 0.0
    for _ in range(n):
        s = s + x * x
    return ops.sum(s)


def test_a_value_returned_by_a_call_with_effects_is_a_runtime_value():
    g = ops.grad(_runtime_trip_count)
    for n in (1, 2, 3, 1):
        np.testing.assert_allclose(g(Tensor(X)).asnumpy(), 2 * X * n)


def _noisy(x):
    noise = np.random.rand(3)
    return ops.sum(x * Tensor(noise) * random.random())


def test_random_numbers_are_drawn_on_every_call():
    g = ops.grad(_noisy)
    np.random.seed(0)
    random.seed(0)
    got = [g(Tensor(X)).asnumpy() for _ in range(2)]
    np.random.seed(0)
    random.seed(0)
    want = [np.random.rand(3) * random.random() for _ in range(2)]
    np.testing.assert_allclose(got, want)
    assert not np.allclose(got[0], got[1])


# ---------------------------------------------------------------------------------------
# lists the function builds itself
# ---------------------------------------------------------------------------------------

def _builds_a_shape(x):
    shape = []
    shape.append(3)
    shape.append(1)
    return ops.sum(ops.reshape(x, tuple(shape)) * 2.0)


def test_a_list_the_function_builds_is_still_built_at_compile_time():
    g = ops.grad(_builds_a_shape)
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), 2.0)
    assert "append" not in g.source(Tensor(X))


def _library_fills(x):
    buf = [3.0, 1.0]
    bisect.insort(buf, 0.5)  # a library function that changes the list it is given
    return ops.sum(x * buf[0] + x * len(buf))


def _shuffles(x):
    order = [0.0, 1.0, 2.0, 3.0]
    random.shuffle(order)  # a new order on every call, of a new list
    return ops.sum(x * order[0] + x * len(order))


def test_a_list_given_to_a_library_function_is_made_anew_on_every_call():
    g = ops.grad(_library_fills)
    for _ in range(3):  # the same list every call would grow
        np.testing.assert_allclose(g(Tensor(X)).asnumpy(), 3.5)
    random.seed(1)
    want = []
    for _ in range(6):  # what the direct calls draw
        order = [0.0, 1.0, 2.0, 3.0]
        random.shuffle(order)
        want.append(order[0] + 4.0)
    assert len(set(want)) > 1
    random.seed(1)
    g = ops.grad(_shuffles)
    got = [g(Tensor(X)).asnumpy() for _ in range(6)]
    np.testing.assert_array_equal(got, np.array(want)[:, None] * np.ones(3))


def _changes_a_list_the_code_uses(x):
    idx = [0, 2]
    y = x[idx]
    idx.append(1)
    return ops.sum(y * x[idx])


def test_a_list_the_function_changes_after_using_it_is_read_as_python_reads_it():
    """The function's own list is read as it is at each use (x[idx] before and after the
    append), so the gradient call fails exactly as the direct call does: shapes (2,), (3,)."""
    with pytest.raises(ValueError, match="could not be broadcast") as direct:
        _changes_a_list_the_code_uses(Tensor(X))
    with pytest.raises(ValueError, match="could not be broadcast") as compiled:
        ops.grad(_changes_a_list_the_code_uses)(Tensor(X))
    assert "(2,) (3,)" in str(direct.value) and "(2,) (3,)" in str(compiled.value)


# ---------------------------------------------------------------------------------------
# numpy on constants inside construct (item 6)
# ---------------------------------------------------------------------------------------

class NumpyConstants(nn.Cell):
    def construct(self, x):
        a = Tensor(np.ones((3,), np.float64))
        b = np.zeros(3)
        c = np.arange(3)
        d = np.linspace(0.0, 1.0, 3)
        return ops.sum(x * a * x + b + c * x + d * x)


def test_numpy_on_constants_inside_construct_is_evaluated():
    net = NumpyConstants()
    g = ops.grad(net)
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(),
                               numerical_grad(net, (Tensor(X),), 0), rtol=1e-6)
    np.testing.assert_allclose(g(Tensor(X)).asnumpy(), 2 * X + np.arange(3) + [0, 0.5, 1])


def _library_on_a_differentiated_value(x):
    return ops.sum(np.trim_zeros(x))


def _library_on_a_constant_path(x):
    return ops.sum(x * float(np.size(np.trim_zeros(ops.stop_gradient(x)))))


def _stdlib_on_a_differentiated_value(x):
    return ops.sum(x) * statistics.fmean(x)


def test_a_library_function_is_run_as_it_is_never_compiled():
    for f, name in ((_library_on_a_differentiated_value, "trim_zeros"),
                    (_stdlib_on_a_differentiated_value, "fmean")):
        with pytest.raises(NoDerivativeError, match=name) as e:
            ops.grad(f)(Tensor(X))
        assert e.value.filename == __file__  # the user's line, not the library's
    np.testing.assert_allclose(ops.grad(_library_on_a_constant_path)(Tensor(X)).asnumpy(), 3.0)


def _reads_then_appends(x):
    n = len(CALLS)  # read before the append below changes the list at run time
    CALLS.append(1.0)
    return ops.sum(x * x) * (n + 1)


def test_a_list_read_then_changed_at_run_time_is_read_at_run_time_throughout(monkeypatch):
    CALLS.clear()
    direct = [float(_reads_then_appends(Tensor(X)).asnumpy()) for _ in range(3)]
    assert direct == [6.5, 13.0, 19.5]
    CALLS.clear()
    compiles = _compiles(monkeypatch)
    vg = ops.value_and_grad(_reads_then_appends)
    got = [float(vg(Tensor(X))[0].asnumpy()) for _ in range(4)]
    assert got == direct + [26.0]
    assert len(compiles) <= 2  # bound once, and once again with the list read at run time


class _Act(nn.Cell):
    def construct(self, x):
        return x * x


class _MakesACellInConstruct(nn.Cell):
    def construct(self, x):
        return ops.sum(_Act()(x))


class _MakesALayerInConstruct(nn.Cell):
    def construct(self, x):
        return ops.sum(nn.ReLU()(x) * x)


def test_a_cell_made_inside_construct():
    # the user's constructor is the user's code: it runs at run time, so calling what it
    # makes is refused with the way out; autograd_st's own layers are built at compile time
    with pytest.raises(Exception, match="calling a runtime value") as e:
        ops.grad(_MakesACellInConstruct())(Tensor(X))
    assert "in __init__" in str(e.value)
    net = _MakesALayerInConstruct()
    np.testing.assert_allclose(ops.grad(net)(Tensor(X)).asnumpy(),
                               numerical_grad(net, (Tensor(X),), 0), rtol=1e-6)


# ---------------------------------------------------------------------------------------
# and / or: an operand runs only when Python would run it
# ---------------------------------------------------------------------------------------

SHORT_LOG = []


def _note(v):
    SHORT_LOG.append(v)
    return True


def _short_circuits(x):
    ok = ops.sum(x) > 0 and _note(1)
    y = ops.sum(x) < 0 or _note(2)
    never = False and _note(3)
    always = True or _note(4)
    return ops.sum(x * x) * (2.0 if ok else 1.0) + (3.0 if y else 0.0) + (never or always)


@pytest.mark.parametrize("values", [[1.0, 2.0], [-1.0, -2.0], [3.0, -1.0]])
def test_and_or_run_an_operand_only_when_python_does(values):
    x = Tensor(np.array(values))
    SHORT_LOG.clear()
    direct = _short_circuits(x)
    want_log = list(SHORT_LOG)
    SHORT_LOG.clear()
    value, grad = ops.value_and_grad(_short_circuits)(x)
    assert SHORT_LOG == want_log
    np.testing.assert_allclose(value.asnumpy(), float(direct), rtol=1e-15)
    np.testing.assert_allclose(grad.asnumpy(), numerical_grad(_short_circuits, (x,)),
                               rtol=1e-7)


# ---------------------------------------------------------------------------------------
# runtime values appended to a list from outside; second derivatives (issue 12,
# effects_index and effects_second of tests/program_gen.py)
# ---------------------------------------------------------------------------------------

LOG = []
XS = np.array([1.0, 2.0])


def _appends_counter(x):
    s = x
    i = 0
    while ops.sum(s) < 10.0:  # a runtime loop: i is a runtime value
        LOG.append(("w", i))
        print("w", i)
        s = s * 1.5
        i += 1
    LOG.append(("n", i, ops.stop_gradient(s)))
    return ops.sum(s * s)


def _run_logged(capsys, call):
    LOG.clear()
    capsys.readouterr()
    out = call()
    return out, list(LOG), capsys.readouterr().out


def _same_log(got, want):
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert len(g) == len(w) and g[:2] == w[:2]
        assert [type(v) for v in g] == [type(v) for v in w]  # an int is an int, a Tensor a Tensor
        if len(w) == 3:
            np.testing.assert_array_equal(g[2].asnumpy(), w[2].asnumpy())


def test_a_runtime_loop_counter_is_appended_on_every_call_with_its_values(capsys):
    # the loop runs 3 times from [1, 2] (sums 3, 4.5, 6.75, 10.125): f = 1.5**6 * sum(x**2)
    direct, want, printed = _run_logged(capsys, lambda: _appends_counter(Tensor(XS)))
    assert float(direct.asnumpy()) == 1.5 ** 6 * 5.0
    assert [e[:2] for e in want] == [("w", 0), ("w", 1), ("w", 2), ("n", 3)]
    np.testing.assert_allclose(want[3][2].asnumpy(), 1.5 ** 3 * XS)
    assert printed == "w 0\nw 1\nw 2\n"
    calls = [
        (lambda: ops.grad(_appends_counter)(Tensor(XS)), 2 * 1.5 ** 6 * XS),
        (lambda: ops.value_and_grad(_appends_counter)(Tensor(XS))[1], 2 * 1.5 ** 6 * XS),
        (lambda: ops.jvp(_appends_counter, (Tensor(XS),), (Tensor(np.ones(2)),))[1],
         2 * 1.5 ** 6 * XS.sum()),
        # the Hessian is 2 * 1.5**6 * I: the second derivative's call appends once too
        (lambda: ops.grad(ops.grad(_appends_counter))(Tensor(XS)), 2 * 1.5 ** 6 * np.ones(2)),
    ]
    for k in range(2):  # twice: the cached code appends again
        for call, value in calls:
            got, log, out = _run_logged(capsys, call)
            np.testing.assert_allclose(got.asnumpy(), value, rtol=1e-12)
            _same_log(log, want)
            assert out == printed
            assert log[3][2] is not want[3][2]


def _appends_differentiated(x, y):
    LOG.append(("y", y * 2.0))
    return ops.sum(x * y)


def _appends_differentiated_later(x):
    LOG.append(("first", 1))
    # LOG is read at run time below (changed at run time above): still refused
    LOG.append(x + 1.0)
    return ops.sum(x)


class _Recorder(nn.Cell):
    def __init__(self):
        super().__init__()
        self.history = []

    def construct(self, x):
        n = 0
        while ops.sum(x) < 5.0:
            self.history.append(n)
            x = x * 2.0
            n += 1
        self.history.append(x)
        return ops.sum(x)


def test_appending_a_value_being_differentiated_is_refused_where_it_is():
    LOG.clear()
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.grad(_appends_differentiated, (0, 1))(Tensor(XS), Tensor(XS))
    err = info.value
    assert "LOG.append keeps a value being differentiated" in str(err)
    assert "ops.stop_gradient" in err.hint
    assert err.filename == __file__
    assert err.text.strip() == 'LOG.append(("y", y * 2.0))'
    assert LOG == []  # refused before anything ran
    # y not differentiated: its value is appended, as a Tensor, on every call
    g = ops.grad(_appends_differentiated, 0)
    for _ in range(2):
        np.testing.assert_allclose(g(Tensor(XS), Tensor(XS)).asnumpy(), XS)
    assert [e[0] for e in LOG] == ["y", "y"]
    assert all(isinstance(e[1], Tensor) for e in LOG)
    np.testing.assert_allclose(LOG[1][1].asnumpy(), 2.0 * XS)
    with pytest.raises(UnsupportedSyntaxError, match="keeps a value being differentiated") as info:
        ops.grad(_appends_differentiated_later)(Tensor(XS))
    assert info.value.text.strip() == "LOG.append(x + 1.0)"
    net = _Recorder()
    with pytest.raises(UnsupportedSyntaxError, match="self.history.append keeps a value"):
        ops.grad(net)(Tensor(XS))


def test_a_cells_list_attribute_gets_runtime_counters():
    class Counter(nn.Cell):
        def __init__(self):
            super().__init__()
            self.history = []

        def construct(self, x):
            n = 0
            while ops.sum(x) < 5.0:
                self.history.append(n)
                x = x * 2.0
                n += 1
            return ops.sum(x)
    net = Counter()
    net(Tensor(XS))
    assert net.history == [0]
    g = ops.grad(net)
    for x, n in [(XS, 1), (0.5 * XS, 2), (XS, 1)]:  # sums 3 -> 6; 1.5 -> 3 -> 6
        net.history.clear()
        np.testing.assert_allclose(g(Tensor(x)).asnumpy(), 2.0 ** n * np.ones(2))
        assert net.history == list(range(n))
        assert all(type(v) is int for v in net.history)


def _branches(x):
    if ops.sum(x) > 0.0:
        LOG.append(("then", 1))
        print("then")
        return ops.sum(x ** 3)
    LOG.append(("after", 2))
    print("after")
    return ops.sum(x)


class _Sub(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([0.5, 1.0])), name="w")

    def construct(self, x):
        LOG.append(("sub", 1))
        print("sub")
        return ops.sin(x * self.w)


class _Twice(nn.Cell):
    def __init__(self):
        super().__init__()
        self.sub = _Sub()

    def construct(self, x):
        y = self.sub(x)
        LOG.append(("between", 2))
        z = self.sub(y)
        return ops.sum(z * z)


def test_second_derivatives_run_the_side_effects_of_the_direct_call(capsys):
    for x, want, hessian in [(XS, [("then", 1)], 6.0 * XS),
                             (-XS, [("after", 2)], np.zeros(2))]:
        _, log, printed = _run_logged(capsys, lambda: _branches(Tensor(x)))
        assert log == want and printed == want[0][0] + "\n"
        for _ in range(2):
            got, log, out = _run_logged(capsys, lambda: ops.grad(ops.grad(_branches))(
                Tensor(x)))
            np.testing.assert_allclose(got.asnumpy(), hessian)
            assert log == want and out == printed
    net = _Twice()
    _, want, printed = _run_logged(capsys, lambda: net(Tensor(XS)))
    assert want == [("sub", 1), ("between", 2), ("sub", 1)] and printed == "sub\nsub\n"
    first = ops.grad(net)
    expected = numerical_grad(lambda t: first(Tensor(t)), (XS.copy(),))
    for _ in range(2):
        got, log, out = _run_logged(capsys, lambda: ops.grad(first)(Tensor(XS)))
        np.testing.assert_allclose(got.asnumpy(), expected, rtol=1e-6, atol=1e-8)
        assert log == want and out == printed


class _LoopCallsEffects(nn.Cell):
    def __init__(self):
        super().__init__()
        self.sub = _Sub()

    def construct(self, x):
        while ops.sum(x) < 4.0:
            x = x + self.sub(x)
        return ops.sum(x * x)


def test_a_loop_whose_iterations_have_effects_the_second_derivative_cannot_replay(capsys):
    net = _LoopCallsEffects()
    _, want, printed = _run_logged(capsys, lambda: net(Tensor(XS * 0.5)))
    assert want == [("sub", 1)] * 3  # sums 1.5, 2.59, 3.92, 4.78: the loop runs 3 times
    _, log, out = _run_logged(capsys, lambda: ops.grad(net)(Tensor(XS * 0.5)))
    assert log == want and out == printed
    with pytest.raises(UnsupportedSyntaxError, match="has side effects in a loop") as info:
        ops.grad(ops.grad(net))(Tensor(XS * 0.5))
    assert info.value.filename == __file__
    assert info.value.text.strip() == "x = x + self.sub(x)"
