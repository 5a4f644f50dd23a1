"""ops.linearize: the output and a jvp_fn evaluated at the same point along several tangents
(a function of one Tensor; a Cell of two, tangents as a tuple)."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, nn, ops


class Net(nn.Cell):
    def construct(self, x, y):
        return ops.matmul(ops.sin(x), y) * 2.0


def run():
    x = Tensor(np.array([[1, 2, 3], [3, 2, 1]]).astype(np.float32))
    v = Tensor(np.array([[1, 1, 1], [1, 1, 1]]).astype(np.float32))
    w = Tensor(np.array([[0.5, -1, 2], [0, 1, -0.5]]).astype(np.float32))

    def fn(x):
        return ops.exp(x * 0.1).sin()

    out, jvp_fn = ops.linearize(fn, x)
    y = Tensor(np.array([[1, 2], [3, 4], [5, 6]]).astype(np.float32))
    out2, jvp2 = ops.linearize(Net(), (x, y))
    return {"out": out, "jv": jvp_fn(v), "jw": jvp_fn(w), "out2": out2,
            "j2": jvp2((v, Tensor(np.ones((3, 2), np.float32))))}
