"""Tensor and Parameter methods that zoo scripts call, eagerly and inside a differentiated
construct: Tensor.select(condition, y), Tensor.reverse(axis), Tensor.argmax_with_value /
argmin_with_value (values first, unlike ops.ArgMaxWithValue), Tensor.top_k, Tensor.gather_nd, Parameter.init_data() and
Parameter.value(), Tensor.from_numpy: values and gradients."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter


class Net(nn.Cell):
    def __init__(self):
        super().__init__()
        self.w = Parameter(Tensor(np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]], np.float32)),
                           name="w").init_data()

    def construct(self, x):
        w = self.w.value()
        y = x * w
        picked = y.select(y > 0, ops.zeros_like(y) - 0.5)
        flipped = y.reverse([1])
        vmax, idx = y.argmax_with_value(axis=1)
        vmin, _ = y.argmin_with_value(0, True)
        top, _ = y.top_k(2)
        return (picked * flipped).sum() + vmax.sum() * 2.0 + (vmin * vmin).sum() + top.sum() \
            + y.gather_nd(Tensor(np.array([[0, 2], [1, 1]], np.int32))).sum()


def run():
    x = Tensor.from_numpy(np.array([[1.0, 2.0, 0.5], [-1.0, 3.0, 2.0]], np.float32))
    net = Net()
    gx, (gw,) = ops.grad(net, 0, net.trainable_params())(x)
    y = x * net.w
    val, idx = y.argmax_with_value(axis=1, keep_dims=True)
    tv, ti = y.top_k(2, sorted=True)
    return {"value": net(x), "gx": gx, "gw": gw, "idx": idx, "val": val, "top_v": tv,
            "top_i": ti, "rev": x.reverse([0, 1]), "sel": x.select(x < 1, y),
            "amin_default": x.argmin_with_value()[0], "amin_default_i": x.argmin_with_value()[1]}
