"""ops.vmap inside a Cell's construct, under ops.value_and_grad with respect to the input
and the Cell's Parameters."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


class PerSample(nn.Cell):
    def __init__(self):
        super().__init__()
        rng = np.random.default_rng(3)
        self.fc = nn.Dense(3, 2, weight_init=Tensor(rng.standard_normal((2, 3)).astype(
            np.float32)), bias_init=Tensor(rng.standard_normal(2).astype(np.float32)))

    def construct(self, x):
        out = ops.vmap(self.fc, in_axes=1, out_axes=0)(x)
        return ops.reduce_sum(ops.sigmoid(out) * out)


def run():
    rng = np.random.default_rng(4)
    x = Tensor(rng.standard_normal((4, 5, 3)).astype(np.float32))
    net = PerSample()
    value, (gx, (gw, gb)) = ops.value_and_grad(net, 0, net.trainable_params())(x)
    return {"value": value, "grad_x": gx, "grad_weight": gw, "grad_bias": gb}
