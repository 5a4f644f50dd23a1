"""Functions using Python the compiler refuses (one per construct); lines are asserted."""
import numpy as np

import autograd_st.nn as nn

G = 1.0


def uses_try(x):
    try:  # LINE try
        y = x * 2.0
    except ValueError:
        y = x
    return y


def uses_with(x):
    with open("f") as f:  # noqa: F841  # LINE with
        pass
    return x


def uses_yield(x):
    yield x * 2.0  # LINE yield


def uses_global(x):
    global G  # LINE global
    return x * G


def uses_nonlocal_outer():
    k = 2.0

    def uses_nonlocal(x):
        nonlocal k  # LINE nonlocal
        return x * k
    return uses_nonlocal


def uses_del(x):
    y = x * 2.0
    del y  # LINE del
    return x


class TryCell(nn.Cell):
    def construct(self, x):
        try:  # LINE cell-try
            return x * 2.0
        finally:
            pass


def recursive(x):
    return recursive(x * 0.5)  # LINE recursion


def no_rule(x):
    return np.nancumsum(x).sum()  # LINE no-rule


def uses_yield_from(x):
    yield from (x, x)  # LINE yield-from


def uses_class(x):
    class Local:  # LINE class
        pass
    return x


def uses_async_def(x):
    async def inner():  # LINE async-def
        return 1
    return x


def uses_import(x):
    import math  # LINE import
    return x * math.pi


def uses_raise(x):
    if G < 2.0:  # (true when the code compiles: the raise is reached)
        raise ValueError("no")  # LINE raise
    return x


def uses_assert(x):
    assert G < 0.0  # LINE assert
    return x


def uses_walrus(x):
    return (y := x * 2.0) * y  # LINE walrus


def uses_set_comp(x):
    n = len({i for i in range(3)})  # LINE set-comp
    return x * n


def uses_starred(x):
    for a, *rest in ((x, x, x),):  # LINE starred
        x = a * len(rest)
    return x


def uses_match(x):
    match G:  # LINE match
        case 1.0:
            return x
    return x * 2.0


def _takes(a, b=1.0):
    return a * b


def uses_kwargs_unpacking(x):
    return _takes(x, **x)  # LINE kwargs-unpacking


def uses_decorated_nested(x):
    @staticmethod  # LINE decorated-nested
    def inner(t):
        return t
    return inner(x)


def uses_lambda_varargs(x):
    f = lambda *t: t[0]  # noqa: E731  LINE lambda-varargs
    return f(x)


class _Box:
    pass


BOX = _Box()
OUTSIDE = []


def uses_attr_assign(x):
    BOX.value = x  # LINE attr-assign
    return x


def uses_subscript_assign(x):
    ys = [x, x]
    ys[0][0] = x[0] * 2.0  # LINE subscript-assign
    return ys[0]


def uses_growing_while(x):
    ys = ()
    while x.sum() < 10.0:  # LINE growing-while
        x = x * 2.0
        ys = (x,) + ys  # (ys + (x,) at its end: a run-time list)
    return x * len(ys)


def uses_dict_changed_in_loop(x):
    d = {"s": x}
    t = 0
    while t < x.shape[0]:  # LINE dict-changed-in-loop
        d.update(s=d["s"] * 2.0, steps=t)  # (a key the loop adds: d's keys change)
        t += 1
    return d["s"]


def uses_runtime_list_pop(x):
    outs = []
    for t in range(x.shape[0]):
        outs.append(x[t])
    return outs.pop(0)  # LINE runtime-list-pop


def uses_runtime_index(x):
    i = int(x.sum() > 0.0)
    return (x, x * 2.0)[i]  # LINE runtime-index


def _two(a, b, c=1.0):
    return a * b * c


def uses_bad_call(x):
    return _two(x, a=x)  # LINE bad-call


def uses_outside_append(x):
    OUTSIDE.append(x)  # LINE outside-append
    return x


def uses_runtime_set(x):
    return len({x, x * 2.0}) * x  # LINE runtime-set


def uses_dictcomp_over_tensor(x):
    return {i: r for i, r in enumerate(x)}[0]  # LINE dictcomp-over-tensor


def uses_bitand(x):
    return x & x  # LINE bitand


def uses_in_runtime(x):
    return x * (1.0 if x in (1.0, 2.0) else 2.0)  # LINE in-runtime


def _apply(f, x):
    return f(x)


def uses_lambda_passed(x):
    return _apply(lambda t: t * 2.0, x)  # LINE lambda-passed


def uses_list_one_branch(x):
    parts = {"ys": [x]}  # (a list a dict holds: not made a run-time list)
    if x.sum() > 0.0:  # LINE list-one-branch
        parts["ys"].append(x)
    return parts["ys"][0]


def uses_tuple_lengths(x):
    if x.sum() > 0.0:  # LINE tuple-lengths
        t = (x,)
    else:
        t = (x, x)
    return t[0]


def uses_list_merged_then_changed(x):
    ys = [x]
    if x.sum() > 0.0:
        r = ys
    else:
        r = [x * 2.0]
    r.append(x)  # LINE list-merged-then-changed
    return ys[-1]


def uses_value_plus_list(x):
    return x + [x, x]  # LINE value-plus-list


def uses_while_true(x):
    while True:  # LINE while-true
        x = x * 2.0
    return x


def uses_long_unroll(x):
    ys = ()
    for i in range(5000):  # LINE long-unroll
        ys = (x,) + ys
    return x * len(ys)


def uses_local_before_assignment(x):
    y = x * G  # noqa: F823  LINE local-before-assignment
    G = 3.0
    return y * G


def uses_lambda_in_comprehension(x):
    fs = [lambda t: t * i for i in range(3)]  # LINE lambda-in-comprehension
    return fs[0](x)


def line_of(tag: str) -> int:
    import inspect
    import sys
    lines = inspect.getsource(sys.modules[__name__]).splitlines()
    (n,) = [i + 1 for i, text in enumerate(lines) if text.rstrip().endswith("LINE " + tag)]
    return n
