"""A function returning ops.split(x, size)'s parts under GradOperation(sens_param=True) and
ops.vjp: one gradient per part."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor
from mindspore.ops import GradOperation


def run():
    def f(x):
        return ops.split(x * x, 4, 1)

    x = Tensor(np.linspace(-1.0, 1.0, 12).reshape(2, 6).astype("float32"))
    s = (Tensor(np.full((2, 4), 3.0, np.float32)), Tensor(np.full((2, 2), 5.0, np.float32)))
    out, fn = ops.vjp(f, x)
    return {"sens_grad": GradOperation(sens_param=True)(f)(x, s), "vjp_grad": fn(s)[0],
            "out_0": out[0], "out_1": out[1]}
