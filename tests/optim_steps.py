"""What the tests of ``autograd_st.experimental.optim`` share: two Parameters, a run of
gradients for them, MindSpore's float32 hyper-parameters, and the steps of an optimizer."""
import numpy as np

from autograd_st import Parameter, Tensor


def params():
    g = np.random.default_rng(0)
    return [Parameter(g.standard_normal((3, 2)), name="w"),
            Parameter(g.standard_normal(2), name="b")]


def grads(steps, seed=1):
    g = np.random.default_rng(seed)
    return [(g.standard_normal((3, 2)), g.standard_normal(2)) for _ in range(steps)]


def f32(x):
    """A hyper-parameter as MindSpore keeps it: a float32 number (lr, beta ** t)."""
    return float(np.float32(x))


def pow32(beta, t):
    return float(np.float32(beta) ** np.float32(t))


def run(opt, grads):
    """One step of ``opt`` per tuple of gradients (each step returns True)."""
    for gs in grads:
        assert opt(tuple(Tensor(g) for g in gs)) is True
