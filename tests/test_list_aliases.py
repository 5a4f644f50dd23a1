"""A list (or dict) the differentiated function builds, reached other than by its name.

Every form of tests/list_alias_cases.py (a bound method kept in a name, getattr, a default
argument, a nested function's free name, functools.partial, list.append(outs, v),
outs += [v], outs.extend through an alias, a tuple/dict/list holding it), in straight-line
code, an unrolled loop and loops whose trip count is not a constant, gives the direct
call's value (on two shapes: one compile serves both) and a gradient matching float64
central differences; the forms the compiler cannot follow are refused before anything
runs, at the user's line, with a hint.  The list holds an item before the loop, so a
dropped append would change the value.
"""
import functools
import pathlib

import list_alias_cases as lac
import numpy as np
import pytest

from autograd_st import Tensor, numerical_grad, ops
from autograd_st.errors import UnsupportedSyntaxError

try:
    from .helpers import assert_close
except ImportError:
    from helpers import assert_close

X = Tensor(np.random.default_rng(3).uniform(0.2, 1.2, (2, 3)))
X4 = Tensor(np.random.default_rng(4).uniform(0.2, 1.2, (4, 3)))
RT_READ = ("read the list with ops.stack(outs, axis), ops.concat(outs, axis), outs[i], "
           "len(outs) or a for loop over it; or loop a constant number of times so that the "
           "loop is unrolled")
_HERE = pathlib.Path(__file__).resolve()
_CASES_LINES = pathlib.Path(lac.__file__).read_text().splitlines()


def _check(fn, *shapes):
    for x in shapes:
        want = fn(x)
        value, grad = ops.value_and_grad(fn)(x)
        assert_close(value, np.asarray(want.asnumpy()), rtol=1e-12, atol=1e-12)
        assert_close(grad, numerical_grad(fn, (x,)), rtol=1e-6, atol=1e-7)


def _refused(fn, line, hint, x=X, filename=None):
    with pytest.raises(UnsupportedSyntaxError) as info:
        ops.grad(fn)(x)
    err = info.value
    assert err.lineno == line, str(err)
    assert pathlib.Path(err.filename).resolve() == pathlib.Path(
        filename or _HERE).resolve(), str(err)
    assert err.hint == hint, str(err)
    return err


def _line(fn, text):
    """The line of ``fn``'s source in this file that contains ``text``."""
    lines = _HERE.read_text().splitlines()
    start = fn.__code__.co_firstlineno
    return next(i + 1 for i in range(start - 1, len(lines)) if text in lines[i])


@pytest.mark.parametrize("fn", lac.CASES, ids=lambda f: f.__name__)
def test_each_form_gives_the_direct_value_and_gradient(fn):
    _check(fn, X, X4)


def test_the_values_are_not_the_ones_a_dropped_append_gives():
    # the direct value counts every appended item: a compile that dropped the loop's
    # appends would give x[0] * 2 * x[0] summed, which differs
    dropped = float(np.sum(X.asnumpy()[0] * 2.0 * X.asnumpy()[0]))
    for fn in lac.CASES:
        assert abs(float(ops.value_and_grad(fn)(X)[0].asnumpy()) - dropped) > 1e-3, \
            fn.__name__


@pytest.mark.parametrize("fn", lac.REFUSED, ids=lambda f: f.__name__)
def test_a_list_held_in_a_container_is_refused_in_a_loop_that_stays_a_loop(fn):
    start = fn.__code__.co_firstlineno
    line = next(i + 1 for i in range(start - 1, len(_CASES_LINES))
                if "# REFUSED" in _CASES_LINES[i])
    err = _refused(fn, line, RT_READ, filename=lac.__file__)
    assert "inside a tuple, list or dict" in str(err)


def test_the_loops_whose_trip_count_is_not_a_constant_stay_loops():
    # (not unrolled: a run-time list, one append per iteration)
    for fn in (lac.method_shape, lac.default_def_while, lac.partial_shape, lac.iadd_while):
        src = ops.grad(fn).source(X)
        assert "list_append(" in src and ("for t in range(" in src or "while " in src), \
            fn.__name__


# -- an alias read after the loop, a second name, a stale alias ------------------------------
def alias_after_loop(x):
    outs = [x[0] * 2.0]
    t = 0
    while t < x.shape[0]:
        outs.append(x[t] * x[t])
        t += 1
    push = outs.append
    push(x[1] * 5.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def kept_under_another_name(x):
    outs = [x[0] * 2.0]
    push = outs.append
    for t in range(x.shape[0]):
        push(x[t] * x[t])
    old = outs
    outs = [x[1]]
    push(x[0] * 3.0)  # appends to the first list, which `old` holds
    return ops.sum(ops.stack(old, 0) * x[0]) + ops.sum(ops.stack(outs, 0))


def nested_loops_through_a_default(x):
    outs = [x[0]]

    def add(v, store=outs):
        store.append(v)
    for t in range(x.shape[0]):
        for k in range(2):
            add(x[t] * (k + 1.0))
    return ops.sum(ops.stack(outs, 0) * x[1])


def closure_reads_the_list(x):
    outs = [x[0]]

    def add(v, store=outs):
        store.append(v * len(store))
        return ops.stack(store, 0)
    last = x[0] * 0.0
    for t in range(x.shape[0]):
        last = add(x[t])
    return ops.sum(ops.stack(outs, 0) * x[1]) + ops.sum(last)


def alias_in_if(x):
    outs = [x[0]]
    push = outs.append
    for t in range(x.shape[0]):
        if ops.sum(x[t]) > 1.5:
            push(x[t] * 2.0)
        else:
            push(x[t] * 3.0)
    return ops.sum(ops.stack(outs, 0) * x[0])


def alias_in_one_branch(x):
    outs = [x[0]]
    push = outs.append
    for t in range(x.shape[0]):
        push(x[t])
        if ops.sum(x[t]) > 1.5:
            push(x[t] * 2.0)
    return ops.sum(ops.stack(outs, 0)) * len(outs)

def two_lists(x):
    a = [x[0]]
    b = []
    pa, pb = a.append, b.append
    t = 0
    while t < x.shape[0]:
        pa(x[t] * 2.0)
        pb(ops.sin(x[t]))
        t += 1
    return ops.sum(ops.stack(a, 0)) + ops.sum(ops.stack(b, 0) * x[1])

def rebound_then_closure_reads(x):
    outs = [x[0]]
    push = outs.append
    def get(store=outs):
        return ops.sum(ops.stack(store, 0))
    outs = [x[1]]
    for t in range(x.shape[0]):
        push(x[t] * 2.0)
    return get() + ops.sum(ops.stack(outs, 0))

def rebound_unused(x):
    outs = [x[0]]
    push = outs.append
    outs = [x[1]]
    for t in range(x.shape[0]):
        push(x[t] * 2.0)
        outs.append(x[t])
    return ops.sum(ops.stack(outs, 0))

def closure_after_loop(x):
    outs = [x[0]]
    def add(v):
        outs.append(v)
    for t in range(x.shape[0]):
        add(x[t])
    add(x[0] * 5.0)
    return ops.sum(ops.stack(outs, 0) * x[1])

def nested_rt(x):
    outs = [x[0]]
    push = outs.append
    i = 0
    while i < 2:
        for t in range(x.shape[0]):
            push(x[t] * (i + 1.0))
        i += 1
    return ops.sum(ops.stack(outs, 0) * x[1])


@pytest.mark.parametrize("fn", [alias_in_if, alias_in_one_branch, two_lists,
                                rebound_then_closure_reads, rebound_unused,
                                closure_after_loop, nested_rt], ids=lambda f: f.__name__)
def test_aliases_in_branches_nested_loops_and_after_the_name_is_rebound(fn):
    # (a list only an alias holds when the loop starts is held by a name of the compiler's)
    _check(fn, X, X4)


def test_an_alias_taken_after_the_loop_and_a_list_kept_under_another_name():
    _check(alias_after_loop, X, X4)
    _check(kept_under_another_name, X, X4)
    _check(nested_loops_through_a_default, X, X4)


def test_a_nested_function_reading_the_list_through_its_default():
    _check(closure_reads_the_list, X, X4)


def stale_through_a_dict_default(x):
    outs = [x[0]]

    def add(v, store={"o": outs}):
        store.get("o").append(v)
    for t in range(x.shape[0]):
        add(x[t])
    return ops.sum(ops.stack(outs, 0))


def stale_alias(x):
    outs = [x[0]]
    push = outs.append
    for t in range(x.shape[0]):
        push(x[t] * 2.0)
    outs = []
    push(x[0])
    return ops.sum(x)


def test_a_list_reached_a_way_that_cannot_follow_it_is_refused_at_the_line():
    hint = ("append to the list by its name (outs.append(v)), or loop a constant number of "
            "times so that the loop is unrolled")
    err = _refused(stale_through_a_dict_default,
                   _line(stale_through_a_dict_default, 'store.get("o")'), hint)
    assert "became a list built at run time" in str(err)
    err = _refused(stale_alias, _line(stale_alias, "push(x[0])"), hint)
    assert "no name holds it here" in str(err)


def pop_through_getattr(x):
    outs = [x[0]]
    for t in range(x.shape[0]):
        outs.append(x[t])
    return ops.sum(getattr(outs, "pop")(0))


def test_a_method_a_run_time_list_does_not_have_is_refused_through_an_alias_too():
    err = _refused(pop_through_getattr, _line(pop_through_getattr, "getattr(outs"), RT_READ)
    assert "outs.pop(...)" in str(err)


def popped_through_getattr(x):
    outs = [x[0]]
    for t in range(x.shape[0]):
        outs.append(x[t] * (t + 1.0))
    return ops.sum(getattr(outs, "pop")() * outs[0])


def test_pop_of_a_run_time_list_through_an_alias():
    value, grad = ops.value_and_grad(popped_through_getattr)(X)
    assert_close(value, popped_through_getattr(X))
    assert_close(grad, numerical_grad(popped_through_getattr,
                                      (X.asnumpy().astype(np.float64),), 0), 1e-5, 1e-6)


# -- dicts the function builds -----------------------------------------------------------
def dict_setitem_alias(x):
    d = {"a": x[0]}
    put = d.__setitem__
    put("b", x[1] * 3.0)
    dict.__setitem__(d, "c", x[0] * x[1])
    return ops.sum(d["a"] * d["b"] + d["c"])


def dict_update_alias(x):
    d = {"a": x[0]}
    upd = d.update
    for k in range(2):
        upd({"a": d["a"] * x[k]})
    upd(b=x[1])
    return ops.sum(d["a"] + d["b"])


def dict_setdefault_partial(x):
    d = {}
    put = functools.partial(d.__setitem__, "a")
    put(x[0] * 2.0)
    d.setdefault("b", x[1])
    return ops.sum(d["a"] * d["b"])


def dict_in_loop(x):
    d = {"s": x[0]}
    t = 0
    while t < x.shape[0]:
        d.update(s=d["s"] + x[t])
        t += 1
    return ops.sum(d["s"])


def test_a_dict_changed_through_an_alias_gives_the_direct_value_and_gradient():
    _check(dict_setitem_alias, X)
    _check(dict_update_alias, X)
    _check(dict_setdefault_partial, X)


def test_a_dict_changed_in_a_loop_that_stays_a_loop_carries_its_items():
    _check(dict_in_loop, X, X4)


def dict_key_added_in_loop(x):
    d = {"s": x[0]}
    t = 0
    while t < x.shape[0]:
        d.update(s=d["s"] + x[t], n=t)
        t += 1
    return ops.sum(d["s"])


def test_a_dict_given_a_key_in_a_loop_that_stays_a_loop_is_refused():
    err = _refused(dict_key_added_in_loop, _line(dict_key_added_in_loop, "while t <"),
                   "keep the list's length or the dict's keys, and each item a Tensor or a "
                   "number (set items, do not add or remove them), or loop a constant number "
                   "of times (for ... in range(3)) so that the loop is unrolled")
    assert "this loop changes the dict 'd' (adds the key 'n')" in str(err)


def slice_append(x):
    outs = [x[0]]
    for t in range(2):
        outs[len(outs):] = [x[t]]
    return ops.sum(ops.stack(outs, 0))


def test_assigning_a_slice_of_a_list_is_refused_with_the_append_hint():
    err = _refused(slice_append, _line(slice_append, "outs[len(outs):]"),
                   "build the new value with ops (e.g. ops.where, or concatenation) instead "
                   "of writing into an array; to add to a list, outs.append(v) or "
                   "outs.extend(vs)")
    assert "assigning into a subscript" in str(err)


def passed_to_map(x):
    outs = [x[0]]
    list(map(outs.append, [x[1] * 2.0, x[0]]))
    return ops.sum(ops.stack(outs, 0) * x[0])


def passed_dict_method(x):
    d = {"a": x[0]}
    list(map(d.__setitem__, ["b"], [x[1]]))
    return ops.sum(d["a"] * d["b"])


def passed_to_filter(x):
    outs = [x[0]]
    list(filter(outs.append, [x[1] * 2.0, x[0]]))
    return ops.sum(ops.stack(outs, 0) * x[0])


def passed_dict_method_to_filter(x):
    d = {"a": x[0]}
    list(filter(d.__setitem__, ["b"]))
    return ops.sum(d["a"])


def test_a_method_passed_to_another_function_is_refused():
    # (filter would append where the compiler cannot see it: the direct call's list has
    # three items, a compile that ran filter at run time would keep one)
    hint = "call the method in the function itself (for v in vs: outs.append(v))"
    err = _refused(passed_to_filter, _line(passed_to_filter, "list(filter("), hint)
    assert "append" in str(err) and "passed to another function" in str(err)
    _refused(passed_dict_method_to_filter, _line(passed_dict_method_to_filter,
                                                 "list(filter("), hint)


@pytest.mark.parametrize("fn", [passed_to_map, passed_dict_method])
def test_map_of_a_method_over_known_sequences_calls_it_in_turn(fn):
    # map over sequences known when the code compiles is its calls, made in the compile, so
    # the list (the dict) has every item the direct call gives it
    value, grad = ops.value_and_grad(fn)(X)
    assert_close(value, fn(X))
    assert_close(grad, numerical_grad(fn, (X.asnumpy().astype(np.float64),), 0), 1e-5, 1e-6)


def read_only_default(x):
    ws = [x[0], x[1] * 2.0]

    def f(v, w=ws):
        return v * sum(w)
    h = x[0]
    t = 0
    while t < x.shape[0]:
        h = f(h) * 0.5 + x[t]
        t += 1
    return ops.sum(h) + ops.sum(sum(ws[0:2]))


def test_a_list_a_nested_function_only_reads_stays_a_compile_time_list():
    # (only the lists a loop may append to become run-time lists: this one is sliced and
    # summed after the loop, which a run-time list refuses)
    _check(read_only_default, X, X4)
