"""ms.value_and_grad over a function written with mint (max with a dim, add with alpha,
mean with keepdim, softmax, split, gather, where, clamp, cat, transpose, prod): the value and
the gradients of both inputs."""
import numpy as np
import mindspore as ms
from mindspore import mint, Tensor


def f(x, y):
    values, _ = mint.max(x, 1, keepdim=True)
    a, b = mint.split(x, [1, 3], 1)
    s = mint.sum(values * 2.0) + mint.mean(mint.add(x, y, alpha=2.0) ** 2)
    s = s + mint.sum(mint.softmax(x, 1) * y) + mint.sum(a * 3.0) + mint.sum(b * b)
    s = s + mint.sum(mint.gather(x, 1, Tensor(np.array([[0, 1], [1, 2], [3, 3]], np.int64))))
    s = s + mint.sum(mint.where(x > y, x * y, y)) + mint.sum(mint.clamp(x, -0.5, 1.0) ** 2)
    s = s + mint.sum(mint.cat([x, y], 1) * mint.cat([y, x], 1))
    s = s + mint.sum(mint.transpose(x, 0, 1)[1]) + mint.sum(mint.prod(y, 1))
    return s + mint.sum(mint.mean(x, 0, True) * y)


def run():
    x = Tensor(np.array([[0.5, -1.0, 2.0, 3.5], [0.1, 0.2, -0.3, 1.5], [2.5, -2.0, 0.7, -0.4]],
                        np.float32))
    y = Tensor(np.array([[1.5, 2.0, 0.5, 1.0], [0.3, 1.2, 2.3, 0.5], [0.5, 1.0, 1.7, 2.4]],
                        np.float32))
    value, (gx, gy) = ms.value_and_grad(f, (0, 1))(x, y)
    return {"value": value, "grad_x": gx, "grad_y": gy}
