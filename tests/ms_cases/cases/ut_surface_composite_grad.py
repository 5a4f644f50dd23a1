"""C.MultitypeFuncGraph, C.HyperMap, C.Map, F.partial, F.depend and C.zeros_like,
eagerly and inside a Cell differentiated with C.GradOperation (issue 17: the names
test_partial.py / test_framstruct.py take from C and F; C.tail is in ut_surface_tail_jit: 2.10's PyNative
C.tail returns None)."""
import numpy as np
import mindspore as ms
from mindspore import nn, Tensor
from mindspore.ops import composite as C
from mindspore.ops import functional as F

add = C.MultitypeFuncGraph("add")


@add.register("Tensor", "Tensor")
def _add_tt(x, y):
    return x * y + x


@add.register("Tensor", "Number")
def _add_tn(x, y):
    return x * x * y


@add.register("Number", "Number")
def _add_nn(x, y):
    return x + y


def scale(k, x):
    return x * k


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.hyper_map = C.HyperMap(add)
        self.map = C.Map()
        self.w = ms.Parameter(Tensor(np.array([0.5, -1.0, 2.0], np.float32)), name="w")

    def construct(self, x, y):
        a, b = self.hyper_map((x, y), (y, 3.0))            # (x*y + x, y*y*3)
        c = add(a, self.w)                                   # a*w + a
        t = (b, c)
        p = F.partial(scale, y)                              # scale(y, .)
        d = p(t[0]) + F.partial(scale, 2.0)(t[1])
        e = F.depend(d * x, c)
        m = self.map(add, (e, x), (x, 1.0))                  # (e*x + e, x*x*1)
        return m[0] + m[1]


def run():
    x = Tensor(np.array([1.0, 2.0, -0.5], np.float32))
    y = Tensor(np.array([0.3, -1.5, 2.0], np.float32))
    net = Net()
    out = net(x, y)
    gx, gy = C.GradOperation(get_all=True)(net)(x, y)
    gw = C.GradOperation(get_by_list=True)(net, net.trainable_params())(x, y)[0]
    hm = C.HyperMap(add)((x, (1, 2)), (y, (3, 4.5)))
    return {"out": out, "gx": gx, "gy": gy, "gw": gw,
            "eager_nn": add(1, 2), "eager_tt": add(x, y), "eager_tn": add(x, 2),
            "hm_0": hm[0], "hm_1_0": hm[1][0], "hm_1_1": hm[1][1],
            "partial": F.partial(scale, 3)(y),
            "zeros_like": C.zeros_like(Tensor(np.ones([2, 3]).astype(np.int32))),
            "depend": F.depend(x, y)}
