"""Targets of tests/test_cli.py: a function through a user rule registered correctly
(``f_ok``) and one whose rule is deliberately wrong (``f_wrong``: the derivative of
``softsign`` is 1 / (1 + |x|)**2, the rule returns 1 / (1 + |x|))."""
import numpy as np

import autograd_st
from autograd_st import ops

print("rules.py imported")  # the CLI sends this to stderr, not into its output


def softsign(x):
    return x / (1 + np.abs(x))


def softsign_wrong(x):
    return x / (1 + np.abs(x))


@autograd_st.register_vjp(softsign)
def _(dout, out, x):
    return (dout / (1 + np.abs(x)) ** 2,)


@autograd_st.register_vjp(softsign_wrong)
def _(dout, out, x):
    return (dout / (1 + np.abs(x)),)


def f_ok(x, y):
    return ops.sum(softsign(x) * y)


def f_wrong(x, y):
    return ops.sum(softsign_wrong(x) * y)


def example_inputs():
    rng = np.random.default_rng(3)
    return rng.standard_normal((2, 3)), rng.standard_normal((3,))
