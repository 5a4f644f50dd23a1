"""Targets of tests/test_cli.py: a Cell with a sub-Cell, a Parameter it never reads, and an
input that never reaches the output; a factory; a function that fails to compile; a Cell
that fails at run time."""
import numpy as np

from autograd_st import Parameter, Tensor, nn, ops

print("model.py imported")  # the CLI sends this to stderr, not into its output


class Net(nn.Cell):
    def __init__(self, n=3):
        super().__init__()
        self.dense = nn.Dense(n, n)
        self.scale = Parameter(Tensor(np.full((n,), 0.5)), name="scale")
        self.spare = Parameter(Tensor(np.ones((2,))), name="spare")

    def construct(self, x, mask):
        h = ops.tanh(self.dense(x)) * self.scale
        for _ in range(2):
            h = h * x
        return ops.sum(h)


def make_net():
    return Net(4)


def f(x, y):
    return ops.sum(ops.exp(x) * ops.sin(y))


def refused(x):
    try:
        y = ops.sin(x)
    except ValueError:
        y = x
    return y


def fails_at_run_time(x):
    return ops.sum(x[[0, 1, 2, 3, 4]])


@ops.grad
class Squares(nn.Cell):
    """A Cell class under ``@ops.grad``: its instances return gradients (and pickle)."""

    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([2.0, 3.0])), name="w")

    def construct(self, x):
        return ops.sum(x * x * self.w)


def weighted(x, labels):
    """An integer input (class labels): not differentiated by ``check``."""
    return ops.sum(ops.tanh(x) * labels)


class Tanh32(nn.Cell):
    """A float32 model, as users write them (``nn.Dense``'s Parameters are float32)."""

    def __init__(self):
        super().__init__()
        self.dense = nn.Dense(4, 3)

    def construct(self, x):
        h = ops.tanh(self.dense(x))
        return ops.reduce_sum(h * h)


def example_inputs(name):
    """Inputs per target (``autograd-st check model.py:weighted`` without shapes); None for
    the others (they take ``--example-inputs`` or the default)."""
    rng = np.random.default_rng(5)
    if name == "weighted":
        return Tensor(rng.standard_normal((2, 3))), Tensor(np.array([1, 0, 2], np.int32))
    if name == "f":
        return Tensor(rng.standard_normal((2, 3))), Tensor(rng.standard_normal((3,)))
    if name == "Tanh32":
        return (Tensor(rng.standard_normal((2, 4)).astype(np.float32)),)
    return None
