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
    return np.cumsum(x).sum()  # LINE no-rule


def line_of(tag: str) -> int:
    import inspect
    import sys
    lines = inspect.getsource(sys.modules[__name__]).splitlines()
    (n,) = [i + 1 for i, text in enumerate(lines) if text.rstrip().endswith("LINE " + tag)]
    return n
