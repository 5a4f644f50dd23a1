"""ops.InsertGradientOf with several hooks: the order MindSpore calls them in (a chain, a
fan-out, nested, a Cell's method as the hook) and the gradients they give; a clipping hook
on scalars (follows test_insert_grad_of.py::test_InsertGradientOf_1 / _2 / _3)."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, nn, ops
from mindspore.ops import operations as P

LOG = []


def hook(tag, k):
    def h(dx):
        LOG.append(tag)
        return dx * k
    return h


h1 = P.InsertGradientOf(hook(1, 2.0))
h2 = P.InsertGradientOf(hook(2, 3.0))
h3 = P.InsertGradientOf(hook(3, 5.0))


def chain(x, y):
    x = h1(x)
    x = h2(x)
    y = h3(y)
    return x * y


def fanout(x, y):
    a = h1(x)
    b = h2(x)
    return a * y + b


def nested(x, y):
    z = x * y
    z = h1(z)
    w = h2(z * z)
    return w + h3(z)


class SaveGrad(nn.Cell):
    def __init__(self):
        super().__init__()
        self.h = P.InsertGradientOf(self.save)

    def save(self, dout):
        LOG.append(4)
        return dout * 10

    def construct(self, x, y):
        z = self.h(x * y)
        return z * y


def clip_gradient(dx):
    ret = dx
    if ret > 1.0:
        ret = 1.0
    if ret < 0.2:
        ret = 0.2
    return ret


clip = P.InsertGradientOf(clip_gradient)


def clip_test(x, y):
    x = clip(x)
    y = clip(y)
    return x * y


def zeros_hook(dx):
    return ops.zeros_like(dx)


stop = P.InsertGradientOf(zeros_hook)


def stop_test(x, y):
    x = stop(x)
    return x * y


def run():
    out = {}
    grad_all = ops.GradOperation(get_all=True)
    x = Tensor(np.array([1., 2.], np.float32))
    y = Tensor(np.array([3., 4.], np.float32))
    for name, fn in [("chain", chain), ("fanout", fanout), ("nested", nested),
                     ("cell", SaveGrad())]:
        LOG.clear()
        g = grad_all(fn)(x, y)
        out[name + "_dx"], out[name + "_dy"] = g
        out[name + "_order"] = np.array(LOG, np.float64)
    g = grad_all(clip_test)(Tensor(1.1, ms.float32), Tensor(0.1, ms.float32))
    out["clip_dx"], out["clip_dy"] = g
    g = grad_all(clip_test)(Tensor(5.0, ms.float32), Tensor(0.5, ms.float32))
    out["clip2_dx"], out["clip2_dy"] = g
    g = grad_all(stop_test)(Tensor(1.0, ms.float32), Tensor(2.0, ms.float32))
    out["stop_dx"], out["stop_dy"] = g
    return out
