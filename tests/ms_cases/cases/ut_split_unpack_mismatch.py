"""q, k, v = ops.split(x, 2, axis=-1) on an axis of 8 (4 parts): MindSpore raises ValueError."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    def f(x):
        q, k, v = ops.split(x, 2, axis=-1)
        return (q * k * v).sum()

    x = Tensor(np.arange(16).reshape(2, 8).astype("float32"))
    return {"grad": ops.grad(f)(x)}
