"""Idioms of MindSpore (PyNative) code in loops whose trip count is known only when the code
runs, differentiated: each value equals the direct call's, each gradient central
differences' in float64, on several shapes (trip counts 0 and 1 included), and forward mode
and second order where the idiom gives them (docs/python_support.md)."""
import collections
import dataclasses
from typing import NamedTuple

import numpy as np
import pytest
from helpers import assert_close

from autograd_st import Tensor, check_grads, numerical_grad, ops
from autograd_st.errors import CompileError, UnsupportedSyntaxError

TRIPS = (0, 1, 3, 5)


def _data(n, m=2, seed=0):
    g = np.random.default_rng(seed + 10 * n)
    return g.uniform(-1.0, 1.0, (n, m)), g.uniform(0.2, 1.0, m)


def _check(fn, x, w, order=2):
    """Value, reverse-mode gradients (both arguments) against central differences; then
    ``check_grads`` to ``order`` (forward mode and second order included at 2)."""
    direct = fn(Tensor(x), Tensor(w))
    value, grads = ops.value_and_grad(fn, (0, 1))(Tensor(x), Tensor(w))
    assert_close(value, direct, 1e-12, 1e-12)
    for got, want in zip(grads, numerical_grad(fn, (x, w), (0, 1))):
        assert_close(got, want, 1e-6, 1e-7)
    if order:
        check_grads(fn, (x, w), order=order)


# -- 1. accumulators: a list's or a dict's items set in a loop that stays a loop ----------

def list_accumulator(x, w):
    acc = [ops.zeros_like(w)]
    for i in range(x.shape[0]):
        acc[0] = acc[0] + x[i] * w
    return ops.sum(acc[0] ** 2)


def dict_accumulator(x, w):
    d = {"a": 0.0}
    for i in range(x.shape[0]):
        d["a"] = d["a"] + ops.sum(ops.sin(x[i]) * w)
    return d["a"] * 2.0


def two_items_and_a_number(x, w):
    acc = [w, 1.0, "tag"]  # (a string item stays as it is)
    for row in x:
        acc[1] = acc[1] * ops.sum(ops.cos(row * acc[0]))
        acc[0] = ops.tanh(acc[0] + row)
    return ops.sum(acc[0]) + acc[1]


def dict_of_state(x, w):
    st = {"h": w, "c": ops.zeros_like(w), "n": 0}
    for i in range(x.shape[0]):
        c = st["c"] * 0.5 + ops.tanh(x[i] * st["h"])
        st["h"], st["c"] = ops.sin(c) * w, c
        st["n"] = st["n"] + 1
    return ops.sum(st["h"] * st["c"]) + st["n"] * 0.1


def while_with_branch(x, w):
    acc = {"s": w}
    i = 0
    while i < x.shape[0]:
        if ops.sum(x[i]) > 0:
            acc["s"] = acc["s"] * x[i]
        else:
            acc["s"] = acc["s"] + x[i]
        i += 1
    return ops.sum(acc["s"])


def nested_runtime_loops(x, w):
    acc = [w, w * 0.5]
    n = x.shape[0]
    for i in range(n):
        for j in range(i):
            acc[1] = ops.sin(acc[1] * x[j]) + x[i] * acc[0]
        acc[0] = acc[0] * 0.9 + acc[1] * 0.1
    return ops.sum(acc[0] * acc[1])


def through_an_alias(x, w):
    acc = [w, w * 2.0]
    pair = (acc, 3.0)
    for i in range(x.shape[0]):
        held = pair[0]
        held[1] = held[0] * x[i]
        acc[0] = acc[1] + 1.0
    return ops.sum(acc[0] * acc[1]) * pair[1]


def tuple_items(x, w):
    acc = [(w, w * 0.0)]
    for row in x:
        h, c = acc[0]
        acc[0] = (ops.tanh(h + c), c + row * h)
    return ops.sum(acc[0][0] + acc[0][1])


def trip_count_of_an_argument(x, w):
    acc = [w]
    for _ in range(int(ops.sum(x * 0.0) + x.shape[0])):  # int(...) of a runtime value
        acc[0] = ops.sin(acc[0]) * 1.5
    return ops.sum(acc[0])


ACCUMULATORS = [list_accumulator, dict_accumulator, two_items_and_a_number, dict_of_state,
                while_with_branch, nested_runtime_loops, through_an_alias, tuple_items,
                trip_count_of_an_argument]


@pytest.mark.parametrize("fn", ACCUMULATORS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("n", TRIPS)
def test_an_accumulator_in_a_runtime_loop(fn, n):
    x, w = _data(n)
    _check(fn, x, w, order=2 if n in (0, 3) else 1)


@pytest.mark.parametrize("m", [1, 4])
def test_an_accumulator_on_other_shapes(m):
    x, w = _data(4, m, seed=1)
    for fn in (list_accumulator, dict_of_state, tuple_items):
        _check(fn, x, w, order=1)


def test_one_compile_serves_every_trip_count():
    g = ops.value_and_grad(list_accumulator, (0, 1))
    for n in TRIPS:
        x, w = _data(n)
        g(Tensor(x), Tensor(w))
    assert "for i in range(" in g.source(Tensor(x), Tensor(w))  # a loop, not unrolled


def appended_then_read(x, w):
    outs = [w]
    for i in range(x.shape[0]):
        outs.append(ops.tanh(outs[-1] * x[i] + w))
    return ops.sum(outs[-1]) + ops.sum(ops.stack(outs)) * 0.5


@pytest.mark.parametrize("n", TRIPS)
def test_appended_then_read_in_the_same_loop(n):
    x, w = _data(n)
    _check(appended_then_read, x, w, order=0)  # a list built at run time: first order


def test_an_item_the_loop_cannot_carry_is_refused_at_the_loop():
    def fn(x, w):
        d = {"a": w}
        for i in range(x.shape[0]):
            d["a"] = d["a"] * x[i]
            d["b"] = x[i]  # LINE
        return ops.sum(d["a"])
    x, w = _data(3)
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.grad(fn)(Tensor(x), Tensor(w))
    err = info.value
    assert "this loop changes the dict 'd' (adds the key 'b')" in str(err)
    assert err.lineno == fn.__code__.co_firstlineno + 2  # the for loop
    assert err.filename == __file__ and "hint: keep the list's length or the dict's keys" in str(err)


def test_an_if_that_sets_a_dict_item_in_one_branch():
    """(Before, the dict kept the item of the branch bound first: a NameError at run time
    on the other path.)"""
    def fn(x, w):
        d = {"a": w}
        if ops.sum(x) > 0:
            d["a"] = w * x[0]
        return ops.sum(d["a"])
    for sign in (1.0, -1.0):
        x, w = _data(2)
        _check(fn, np.abs(x) * sign, w)


def test_an_if_that_adds_a_key_in_one_branch_is_refused():
    def fn(x, w):
        d = {"a": w}
        if ops.sum(x) > 0:
            d["b"] = w * x[0]
        return ops.sum(d["a"])
    x, w = _data(2)
    with pytest.raises(CompileError, match=r"the dict 'd' has the keys \['a', 'b'\] after one "
                       r"branch of this if on a runtime value and \['a'\] after the other"):
        ops.grad(fn)(Tensor(x), Tensor(w))


# -- 2. [h, *outs], (h, *outs): a run-time list unpacked after items ------------------------

def front_and_back(x, w):
    outs = []
    h = w
    for i in range(x.shape[0]):
        h = ops.tanh(h * x[i] + 0.5)
        outs.append(h)
    seq = [w * 2.0, ops.sin(w), *outs, h * 3.0]
    return ops.sum(ops.stack(seq) * ops.cos(ops.stack(seq))) + len(seq)


def tuple_front(x, w):
    outs = []
    for row in x:
        outs.append(row * w)
    both = (w, *outs)
    first, *rest = both
    return ops.sum(first * 2.0) + ops.sum(ops.stack(both) ** 2) + len(rest) * 0.5


def front_then_loop(x, w):
    outs = [w]
    for row in x:
        outs.append(ops.sin(row) * outs[-1])
    total = 0.0
    for k, v in enumerate([outs[-1] * 0.5, *outs]):
        total = total + ops.sum(v) * (k + 1)
    return total


@pytest.mark.parametrize("fn", [front_and_back, tuple_front, front_then_loop],
                         ids=lambda f: f.__name__)
@pytest.mark.parametrize("n", TRIPS)
def test_a_run_time_list_unpacked_after_items(fn, n):
    x, w = _data(n)
    _check(fn, x, w, order=0)


def test_items_in_front_are_first_order_reverse_mode_only():
    x, w = _data(3)
    with pytest.raises(UnsupportedSyntaxError, match="forward mode") as info:
        ops.jvp(lambda a: front_and_back(a, Tensor(w)), (Tensor(x),), (Tensor(x),))
    assert info.value.filename == __file__


# -- 4. objects holding Tensors: namedtuples are built when compiling; other classes refused

class LSTMState(NamedTuple):
    h: object
    c: object


Pair = collections.namedtuple("Pair", ["a", "b"])


def _lstm_cell(x, st):
    c = st.c * 0.5 + ops.tanh(x * st.h)
    return LSTMState(ops.sin(c), c)


def namedtuple_state(x, w):
    st = LSTMState(w, w * 0.0)
    for i in range(x.shape[0]):  # carried through a runtime loop, a helper's argument/result
        st = _lstm_cell(x[i], st)
    if ops.sum(st.h) > 0:  # merged after a runtime if
        st = st._replace(c=st.c * 2.0)
    p = Pair(b=st.h, a=st.c)
    h, c = st
    return ops.sum(p.a * p.b) + ops.sum(h - c) + ops.sum(st[0])


@pytest.mark.parametrize("n", TRIPS)
def test_a_namedtuple_state(n):
    x, w = _data(n)
    _check(namedtuple_state, x, w, order=2 if n in (0, 3) else 1)


@dataclasses.dataclass
class DataState:
    h: object
    c: object


class PlainState:
    def __init__(self, h, c):
        self.h, self.c = h, c


@pytest.mark.parametrize("cls", [DataState, PlainState], ids=lambda c: c.__name__)
def test_an_object_of_another_class_is_refused_at_its_construction(cls):
    def fn(x, w):
        st = cls(x * w, w)
        return ops.sum(st.h * st.c)
    x, w = _data(2)
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.grad(fn)(Tensor(x), Tensor(w))
    err = info.value
    assert err.lineno == fn.__code__.co_firstlineno + 1 and err.filename == __file__
    assert "builds an object of your own class" in str(err)
    assert "typing.NamedTuple (class %s(NamedTuple)" % cls.__name__ in err.hint


# -- 5. sorted(...), max / min with key=, list(range(n)) with n known only at run time ---------
# (MindSpore 2.10 PyNative differentiates each, the gradient flowing to the items chosen:
# tests/ms_cases/cases/idm_sorted_max_key_range.py records it, ties included)

def max_min_by_key(x, w):
    items = [x[0] * w, x[1] + w, ops.sin(x[2]) * w]
    hi = max(items, key=lambda r: ops.sum(r * r))
    lo = min(items, key=ops.sum)  # (a function of the API as the key)
    return ops.sum(hi * lo) + ops.sum(ops.tanh(hi))


def sorted_items(x, w):
    s = sorted([ops.sum(x[0] * w), ops.sum(x[1]), ops.sum(ops.sin(x[2]) * w), 0.25],
               reverse=True)
    rows = sorted([x[0] * w, x[1] - w, x[2]], key=lambda r: ops.sum(ops.cos(r)))
    return s[0] + s[1] * 2.0 + s[2] * 3.0 + s[3] * 4.0 + ops.sum(rows[0] * 3.0 + rows[2])


def max_row_by_key(x, w):
    best = max(x * w, key=lambda r: ops.sum(ops.sin(r)))  # over the rows: a loop
    return ops.sum(best ** 2) + ops.sum(min(x, key=ops.sum) * w)


@pytest.mark.parametrize("fn", [max_min_by_key, sorted_items], ids=lambda f: f.__name__)
@pytest.mark.parametrize("m", [1, 2, 4])
def test_sorted_and_max_min_by_key_of_a_list(fn, m):
    """The comparisons made when the code runs, the gradient to the items where they land;
    forward mode and second order too."""
    x, w = _data(3, m, seed=m)
    _check(fn, x, w)


@pytest.mark.parametrize("n", [1, 3, 5])
def test_max_min_by_key_over_a_runtime_values_rows(n):
    x, w = _data(n, 3)
    _check(max_row_by_key, x, w)


def sorted_rows(x, w):
    s = sorted(ops.sum(x * w, 1))  # the rows of a runtime value: a run-time list
    total = 0.0
    for i, v in enumerate(s):
        total = total + v * (i + 1.0)
    outs = []
    for r in x:
        outs.append(r * w)
    by_key = sorted(outs, key=lambda r: ops.sum(ops.sin(r)), reverse=True)
    return total + (ops.sum(by_key[0] * 2.0) if len(by_key) else 0.0)


def range_list(x, w):
    idx = list(range(x.shape[0]))  # n known only when the code runs: a run-time list
    acc = w * 0.0
    for i in idx[::-1]:
        acc = acc * 0.5 + ops.sin(x[i]) * w
    return ops.sum(acc) + len(idx)


@pytest.mark.parametrize("fn", [sorted_rows, range_list], ids=lambda f: f.__name__)
@pytest.mark.parametrize("n", TRIPS)
def test_sorted_rows_and_a_range_list_at_run_time(fn, n):
    """A list whose length is known only at run time: first-order reverse mode (and
    forward mode where the list holds no value being differentiated: the indices)."""
    for m in (1, 3):
        x, w = _data(n, m)
        _check(fn, x, w, order=0)
        if fn is range_list:
            check_grads(fn, (x, w), order=1, modes=("fwd",))


def test_a_range_list_differentiated_twice_is_refused_at_the_line():
    x, w = _data(3)
    with pytest.raises(UnsupportedSyntaxError, match=r"a derivative of a derivative .*"
                       r"list\(range\(n\)\)") as info:
        check_grads(range_list, (x, w), order=2)
    assert info.value.filename == __file__


def test_sorted_rows_in_forward_mode_is_refused_at_the_line():
    x, w = _data(3)
    with pytest.raises(UnsupportedSyntaxError, match="forward mode") as info:
        ops.jvp(lambda v: sorted_rows(v, Tensor(w)), Tensor(x), Tensor(np.ones_like(x)))
    assert info.value.filename == __file__


def _reverse_at_run_time(x, w):
    return sorted([x[0], x[1]], reverse=bool(ops.sum(w) > 0))[0]


def _default_of_rows(x, w):
    return max(x, key=ops.sum, default=w)


def _tuple_keys(x, w):
    return sorted([x[0], x[1]], key=lambda r: (ops.sum(r), 1))[0]


def _too_many(x, w):
    return sorted([ops.sum(x * i) for i in range(40)])[0]


@pytest.mark.parametrize("fn, what, hint", [
    (_reverse_at_run_time, "sorted(..., reverse=r) with r known only", "constant True"),
    (_default_of_rows, "max(x, default=...) of a runtime value's rows", "len(x)"),
    (_tuple_keys, "keys that are not numbers or Tensors", "one number"),
    (_too_many, "sorted(...) of 40 items holding runtime values", "ops.sort")],
    ids=lambda v: getattr(v, "__name__", "")[:12])
def test_what_sorted_and_max_refuse(fn, what, hint):
    x, w = _data(3)
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.grad(fn)(Tensor(x), Tensor(w))
    err = info.value
    assert what in str(err) and hint in err.hint and err.filename == __file__
    assert err.lineno == fn.__code__.co_firstlineno + 1


# -- a loop's else ----------------------------------------------------------------------

def _for_else_break(x):
    for i in range(4):
        if x[i] > 1.0:  # (a runtime value)
            y = x * i
            break
    else:
        y = x * 10.0
    return ops.sum(y * y)


def _for_else_return(x):
    for _ in range(3):
        if ops.sum(x) > 100:
            return ops.sum(x)
    else:
        x = x * 3
    return ops.sum(x * x)


def _while_else(x):
    n = 0
    h = x
    while ops.sum(h) < 20.0:
        h = h * 1.7
        n += 1
        if n > 8:
            break
    else:
        h = h + 0.5
    return ops.sum(h)


def _for_else_continue(x):
    y = x
    for i in range(3):
        if ops.sum(y) > 3.0:  # (a continue only: the else always runs)
            continue
        y = y * 1.5 + x[i]
    else:
        y = ops.sin(y)
    return ops.sum(y * y)


@pytest.mark.parametrize("f", [_for_else_break, _for_else_return, _while_else,
                               _for_else_continue])
@pytest.mark.parametrize("values", [(0.3, 0.5, 2.0, 0.1), (0.3, 0.5, 0.2, 0.1),
                                    (-3.0, -2.0, -1.0, -5.0), (30.0, 40.0, 50.0, 1.0)])
def test_a_loops_else_runs_when_it_ended_without_a_break(f, values):
    """``for/while ... else`` (was refused): the else body runs after a loop that did not
    break (nor return), on every path: value and gradient are the direct call's."""
    x = Tensor(np.array(values))
    got = ops.grad(f)(x).asnumpy()
    np.testing.assert_allclose(got, numerical_grad(f, (x,), 0), rtol=1e-6, atol=1e-8)
    value, _ = ops.value_and_grad(f)(x)
    np.testing.assert_allclose(float(value.asnumpy()), float(f(x).asnumpy()), rtol=1e-12)
