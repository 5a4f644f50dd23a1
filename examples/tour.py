"""The Cell of the documentation's tour (docs/tour.md) and of the command line's examples:
a one-layer network with a bias it never uses and an input it ignores.

    autograd-st dump examples/tour.py:Net --weights
    autograd-st check examples/tour.py:Net
    autograd-st explain examples/tour.py:Net
"""
import numpy as np

from autograd_st import Parameter, Tensor, nn, ops


class Net(nn.Cell):
    def __init__(self, n_in=3, n_out=2):
        super().__init__()
        rng = np.random.default_rng(0)
        self.w = Parameter(Tensor(rng.standard_normal((n_in, n_out))), name="w")
        self.bias = Parameter(Tensor(np.zeros(n_out)), name="bias")  # never used

    def construct(self, x, label):
        h = ops.tanh(ops.matmul(x, self.w))
        err = h - label
        return ops.mean(err * err)


def example_inputs(name="Net"):
    """What ``autograd-st check``, ``dump`` and ``explain`` call the target ``name`` with
    (None: no example for that name)."""
    rng = np.random.default_rng(1)
    if name == "damped":
        return (Tensor(rng.standard_normal((3,))),)
    if name == "Net":
        return Tensor(rng.standard_normal((4, 3))), Tensor(rng.standard_normal((4, 2)))
    return None


def damped(x):
    """The example of docs/compiler.md: a loop and a branch on a runtime value."""
    y = x
    for _ in range(3):
        y = ops.tanh(y) * x
    if ops.sum(y) > 0:
        y = y * 0.5
    return ops.sum(y)
