"""C.tail in compiled code (ms.jit), its gradient through the tuple it returns (issue 17,
test_framstruct.py::test_tail; MindSpore 2.10's PyNative C.tail returns None, its jit the
tuple without its first item, which autograd_st gives in both)."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, ops
from mindspore.ops import composite as C


@ms.jit
def tail_of(x, y):
    return C.tail((x, y, x * y))


def f(x, y):
    t = tail_of(x, y)
    return ops.sum(t[0] * t[1])


def run():
    x = Tensor(np.array([1.0, 2.0, -0.5], np.float32))
    y = Tensor(np.array([0.3, -1.5, 2.0], np.float32))
    t = tail_of(x, y)
    gx, gy = ops.grad(f, grad_position=(0, 1))(x, y)
    return {"n": len(t), "t0": t[0], "t1": t[1], "gx": gx, "gy": gy}
