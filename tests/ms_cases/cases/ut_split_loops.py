"""The parts of ops.split / Tensor.split with an int size looped over and given to ops.stack
and ops.concat under ops.grad; ops.unstack / ops.unbind unpacked."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    def loop(x):
        s = 0
        for p in ops.split(x, 4, 1):
            s = s + (p * p).sum()
        return s

    def stack(x):
        o = ops.split(x, 2, 1)
        return (ops.stack(o) * ops.stack(o)).sum() + (ops.concat(o, 0) * 3).sum()

    def method(x):
        o = x.split(4, 1)
        return (ops.concat(o, 1) * x).sum()

    def unstack(x):
        a, b = ops.unstack(x)
        return (a * b * b).sum()

    def unbind(x):
        a, b = ops.unbind(x, 0)
        return (ops.exp(a) * b).sum()

    x = Tensor(np.linspace(-1.0, 1.0, 12).reshape(2, 6).astype("float32"))
    out = {}
    for name, f in (("loop", loop), ("stack", stack), ("method", method),
                    ("unstack", unstack), ("unbind", unbind)):
        out[name + "_value"] = f(x)
        out[name + "_grad"] = ops.grad(f)(x)
    return out
