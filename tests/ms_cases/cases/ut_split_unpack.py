"""q, k, v = ops.split(qkv, d, axis=-1) under ops.grad: the parts unpacked into names."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    def f(x):
        q, k, v = ops.split(x, 2, axis=-1)
        return (ops.sin(q) * k * v).sum()

    x = Tensor(np.linspace(-1.0, 1.0, 12).reshape(2, 6).astype("float32"))
    value, grad = ops.value_and_grad(f)(x)
    return {"value": value, "grad": grad}
