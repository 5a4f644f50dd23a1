"""ops.exp and ops.sum under ops.grad: the value and the gradient (a first case of the format)."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[0.5, -1.0, 2.0], [0.1, 0.2, -0.3]], np.float32))

    def f(x):
        return ops.sum(ops.exp(x) * x)

    return {"value": f(x), "grad": ops.grad(f)(x)}
